/*
 * test_rules_903_reviews.c — the SSDA903 Reviews rules (reviews.c): valid
 * review dates and participation codes (166, 167) and the code against the
 * child's age at the review (440, 441).  Passing and failing cases worked
 * out by hand, including the 4th birthday itself.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

static void check(int year, const char *code, const char *const *now, const char *table,
                  const long *rows, size_t n)
{
        struct r903 t;
        r903_begin(&t, year);
        for (; now && *now; now++)
                r903_table(&t, *now);
        r903_check(&t, code);
        if (n == 0)
                r903_expect_none(&t);
        else
                r903_expect_rows(&t, table, rows, n);
        r903_end(&t);
}

static void test_166(void **state)
{
        (void)state;
        check(2025, "166",
              T(R903_REVIEWS "A,01/01/2015,01/05/2024,PN1\n"
                             "B,01/01/2015,31/02/2024,PN1\n"
                             "C,01/01/2015,,PN1\n"
                             "D,01/01/2015,2024-05-01,PN1\n"),
              "Reviews", ROWS(2, 3, 4));
        check(2023, "166", T(R903_REVIEWS "A,01/01/2015,01/05/2022,PN1\n"), NONE);
}

static void test_167(void **state)
{
        (void)state;
        check(2025, "167",
              T(R903_REVIEWS "A,01/01/2015,01/05/2024,PN1\n"
                             "B,01/01/2015,01/05/2024,PN9\n"
                             "C,01/01/2015,01/05/2024,\n"
                             "D,01/01/2015,,\n"
                             "E,01/01/2015,,PN1\n"
                             "F,01/01/2015,01/05/2024,pn2\n"),
              "Reviews", ROWS(2, 3, 5));
        check(2025, "167",
              T(R903_REVIEWS "A,01/01/2015,01/05/2024,PN0\nF,01/01/2015,01/05/2024,PN7\n"), NONE);
        /* Near misses of PN0-PN7: too short, too long, out of range, letters swapped. */
        check(2025, "167",
              T(R903_REVIEWS "A,01/01/2015,01/05/2024,PN8\n"
                             "B,01/01/2015,01/05/2024,PN\n"
                             "C,01/01/2015,01/05/2024,PN10\n"
                             "D,01/01/2015,01/05/2024,P1\n"
                             "E,01/01/2015,01/05/2024,NP1\n"
                             "F,01/01/2015,01/05/2024,PN3\n"),
              "Reviews", ROWS(1, 2, 3, 4, 5));
}

static void test_440(void **state)
{
        (void)state;
        /* A is 4 on the review day (its 4th birthday); B is 3; C's DOB comes from Header
         * (5 at the review); D's code is not PN0. */
        check(2025, "440",
              T(R903_HEADER "C,M,01/05/2019,WBRI,UN1,,\n",
                R903_REVIEWS "A,01/05/2020,01/05/2024,PN0\n"
                             "B,02/05/2020,01/05/2024,PN0\n"
                             "C,,01/05/2024,PN0\n"
                             "D,01/05/2014,01/05/2024,PN1\n"),
              "Reviews", ROWS(1, 3));
        check(2025, "440", T(R903_REVIEWS "B,02/05/2020,01/05/2024,PN0\n"), NONE);
}

static void test_441(void **state)
{
        (void)state;
        check(2025, "441",
              T(R903_REVIEWS "A,02/05/2020,01/05/2024,PN1\n"
                             "B,01/05/2020,01/05/2024,PN7\n"
                             "C,02/05/2020,01/05/2024,PN0\n"
                             "D,02/05/2020,31/02/2024,PN3\n"),
              "Reviews", ROWS(1));
        check(2025, "441", T(R903_REVIEWS "B,01/05/2020,01/05/2024,PN7\n"), NONE);
}

static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"166", "167", "440", "441"};
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        /* No Header at all; a review before birth; a row with only a code. */
                        r903_table(&t, R903_REVIEWS "A,01/05/2024,01/05/2023,PN1\n,,,PN0\n");
                        size_t n = r903_check(&t, codes[i]);
                        size_t want = 0;
                        if (strcmp(codes[i], "166") == 0)
                                want = 1; /* row 2 has no date */
                        else if (strcmp(codes[i], "167") == 0)
                                want = 1; /* row 2 has a code without a date */
                        assert_int_equal(n, want);
                        r903_end(&t);
                }
        check(2025, "166", T(R903_REVIEWS), NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_166), cmocka_unit_test(test_167),      cmocka_unit_test(test_440),
            cmocka_unit_test(test_441), cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
