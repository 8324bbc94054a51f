/*
 * test_rules_903_prevperm.c — the SSDA903 PrevPerm rules (prevperm.c): the
 * previous permanence option (631), the authority that arranged it (633),
 * and no order details when there was none (635).  Passing and failing
 * cases worked out by hand; the authority numbers come from
 * data-formats.md §4.4–4.5.
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

static void test_631(void **state)
{
        (void)state;
        check(2025, "631",
              T(R903_PREVPERM "A,01/01/2015,P1,,\n"
                              "B,01/01/2015,p2,,\n"
                              "C,01/01/2015,Z2,,\n"
                              "D,01/01/2015,,,\n"
                              "E,01/01/2015,P5,,\n"),
              "PrevPerm", ROWS(3, 5));
        check(2027, "631", T(R903_PREVPERM "A,01/01/2015,P4,,\nB,01/01/2015,Z1,,\n"), NONE);
}

static void test_633(void **state)
{
        (void)state;
        /* 940 (West Northamptonshire, from 2021) and 837 (Bournemouth, to 2019) are valid;
         * 458 and 176 are no authority's number. */
        check(2025, "633",
              T(R903_PREVPERM "A,01/01/2015,P1,,\n"
                              "B,01/01/2015,P1,sco,\n"
                              "C,01/01/2015,P1,204,\n"
                              "D,01/01/2015,P1,458,\n"
                              "E,01/01/2015,P1,176,\n"
                              "F,01/01/2015,P1,940,\n"
                              "G,01/01/2015,P1,999,\n"
                              "H,01/01/2015,P1,20,\n"
                              "I,01/01/2015,P1,2041,\n"
                              "J,01/01/2015,P1,837,\n"),
              "PrevPerm", ROWS(4, 5, 8, 9));
        check(2025, "633",
              T(R903_PREVPERM "A,01/01/2015,P2,201,\nB,01/01/2015,P2,943,\nC,01/01/2015,P2,NUK,\n"
                              "D,01/01/2015,P2,WAL,\nE,01/01/2015,P2,NIR,\n"),
              NONE);
}

static void test_635(void **state)
{
        (void)state;
        check(2025, "635",
              T(R903_PREVPERM "A,01/01/2015,Z1,352,\n"
                              "B,01/01/2015,,,ZZ/05/2019\n"
                              "C,01/01/2015,Z1,,\n"
                              "D,01/01/2015,P1,352,05/05/2020\n"
                              "E,01/01/2015,,,\n"),
              "PrevPerm", ROWS(1, 2));
        check(2025, "635", T(R903_PREVPERM "C,01/01/2015,Z1,,\nD,01/01/2015,P2,NUK,ZZ/ZZ/2019\n"),
              NONE);
}

static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"631", "633", "635"};
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, R903_PREVPERM ",,,,ZZ/ZZ/ZZZZ\n");
                        /* Only 635: order details without an option. */
                        assert_int_equal(r903_check(&t, codes[i]),
                                         strcmp(codes[i], "635") == 0 ? 1 : 0);
                        r903_end(&t);
                }
        check(2025, "633", T(R903_PREVPERM), NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_631),
            cmocka_unit_test(test_633),
            cmocka_unit_test(test_635),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
