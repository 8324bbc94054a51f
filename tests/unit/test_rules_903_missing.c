/*
 * test_rules_903_missing.c — the SSDA903 Missing rules (missing.c): type and
 * dates valid and complete (564, 565, 566, 1004, 1005, 1006), in order and in
 * the year (567, 570, 571), after birth (586), no overlaps (574) and a period
 * open at the end of last year carried into this one (576).  Passing and
 * failing cases worked out by hand; the 2024/25 set (2025) runs from
 * 01/04/2024 to 31/03/2025.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

static void check(int year, const char *code, const char *const *now, const char *const *last,
                  const char *table, const long *rows, size_t n)
{
        struct r903 t;
        r903_begin(&t, year);
        for (; now && *now; now++)
                r903_table(&t, *now);
        for (; last && *last; last++)
                r903_last(&t, *last);
        r903_check(&t, code);
        if (n == 0)
                r903_expect_none(&t);
        else
                r903_expect_rows(&t, table, rows, n);
        r903_end(&t);
}

/* ---------------------------------------------------------------- completeness */

static void test_564(void **state)
{
        (void)state;
        check(2025, "564",
              T(R903_MISSING "A,01/01/2010,M,,\n"
                             "B,01/01/2010,A,07/02/2025,\n"
                             "C,01/01/2010,,,\n"
                             "D,01/01/2010,X,,\n"
                             "E,01/01/2010,a,,01/03/2025\n"),
              NULL, "Missing", ROWS(1, 5));
        check(2025, "564", T(R903_MISSING "B,01/01/2010,A,07/02/2025,\n"), NULL, NONE);
}

static void test_565(void **state)
{
        (void)state;
        check(2025, "565",
              T(R903_MISSING "A,01/01/2010,,07/02/2025,\nB,01/01/2010,M,07/02/2025,\n"), NULL,
              "Missing", ROWS(1));
        check(2025, "565", T(R903_MISSING "B,01/01/2010,M,07/02/2025,\n"), NULL, NONE);
}

static void test_566(void **state)
{
        (void)state;
        check(2025, "566",
              T(R903_MISSING "A,01/01/2010,,,07/02/2025\n"
                             "B,01/01/2010,M,01/02/2025,07/02/2025\n"
                             "C,01/01/2010,,,\n"),
              NULL, "Missing", ROWS(1));
        check(2025, "566", T(R903_MISSING "B,01/01/2010,M,01/02/2025,07/02/2025\n"), NULL, NONE);
}

static void test_1004(void **state)
{
        (void)state;
        check(2025, "1004",
              T(R903_MISSING "A,01/01/2010,M,08/03/2025,08/03/2025\n"
                             "B,01/01/2010,M,,22/06/2024\n"
                             "C,01/01/2010,M,10/24/2024,\n"),
              NULL, "Missing", ROWS(2, 3));
        check(2025, "1004", T(R903_MISSING "A,01/01/2010,M,08/03/2025,08/03/2025\n"), NULL, NONE);
}

static void test_1005(void **state)
{
        (void)state;
        check(2025, "1005",
              T(R903_MISSING "A,01/01/2010,M,08/03/2025,08/03/2025\n"
                             "B,01/01/2010,M,22/06/2024,\n"
                             "C,01/01/2010,M,13/10/2024,13/10/24\n"),
              NULL, "Missing", ROWS(3));
        check(2025, "1005", T(R903_MISSING "B,01/01/2010,M,22/06/2024,\n"), NULL, NONE);
}

static void test_1006(void **state)
{
        (void)state;
        check(2025, "1006",
              T(R903_MISSING "A,01/01/2010,M,01/05/2024,\n"
                             "B,01/01/2010,A,01/05/2024,\n"
                             "C,01/01/2010,AWAY,01/05/2024,\n"
                             "D,01/01/2010,m,01/05/2024,\n"
                             "E,01/01/2010,,01/05/2024,\n"),
              NULL, "Missing", ROWS(3));
        check(2025, "1006", T(R903_MISSING "D,01/01/2010,m,01/05/2024,\n"), NULL, NONE);
}

/* ---------------------------------------------------------------- dates */

static void test_567(void **state)
{
        (void)state;
        check(2025, "567",
              T(R903_MISSING "A,01/01/2010,M,03/06/2024,01/06/2024\n"
                             "B,01/01/2010,M,03/06/2024,03/06/2024\n"
                             "C,01/01/2010,M,03/06/2024,\n"),
              NULL, "Missing", ROWS(1));
        check(2025, "567", T(R903_MISSING "B,01/01/2010,M,03/06/2024,03/06/2024\n"), NULL, NONE);
}

static void test_570(void **state)
{
        (void)state;
        check(2025, "570",
              T(R903_MISSING "A,01/01/2010,M,01/04/2025,\nB,01/01/2010,M,31/03/2025,\n"), NULL,
              "Missing", ROWS(1));
        /* The same start is within the next year. */
        check(2026, "570", T(R903_MISSING "A,01/01/2010,M,01/04/2025,\n"), NULL, NONE);
}

static void test_571(void **state)
{
        (void)state;
        check(2025, "571",
              T(R903_MISSING "A,01/01/2010,M,01/03/2024,31/03/2024\n"
                             "B,01/01/2010,M,30/03/2025,01/04/2025\n"
                             "C,01/01/2010,M,01/03/2024,01/04/2024\n"
                             "D,01/01/2010,M,01/03/2025,\n"),
              NULL, "Missing", ROWS(1, 2));
        check(2025, "571", T(R903_MISSING "C,01/01/2010,M,01/03/2024,01/04/2024\n"), NULL, NONE);
}

static void test_586(void **state)
{
        (void)state;
        /* C starts on the birth date itself; D's DOB comes from Header. */
        check(2025, "586",
              T(R903_HEADER "D,M,10/02/2020,WBRI,UN1,,\n",
                R903_MISSING "A,04/02/2020,M,03/02/2020,\n"
                             "B,02/02/2020,M,07/02/2020,\n"
                             "C,07/02/2020,M,07/02/2020,\n"
                             "D,,M,09/02/2020,\n"),
              NULL, "Missing", ROWS(1, 3, 4));
        check(2025, "586", T(R903_MISSING "B,02/02/2020,M,07/02/2020,\n"), NULL, NONE);
}

/* ---------------------------------------------------------------- overlaps */

static void test_574(void **state)
{
        (void)state;
        /* 111: row 2 starts before row 1 ended.  222: row 4 starts the day row 3 ended (fine),
         * row 5 starts while row 4 is open.  333: row 7 overlaps row 6.  444 in start order is
         * rows 8, 10, 9: row 10 starts the day row 8 ended, row 9 lies inside row 10.  555 has
         * no usable starts. */
        check(2025, "574",
              T(R903_MISSING "111,01/01/2010,M,01/06/2024,05/06/2024\n"
                             "111,01/01/2010,M,04/06/2024,\n"
                             "222,01/01/2010,M,03/06/2024,04/06/2024\n"
                             "222,01/01/2010,M,04/06/2024,\n"
                             "222,01/01/2010,M,07/06/2024,09/06/2024\n"
                             "333,01/01/2010,M,02/06/2024,04/06/2024\n"
                             "333,01/01/2010,M,03/06/2024,09/06/2024\n"
                             "444,01/01/2010,M,06/06/2024,08/06/2024\n"
                             "444,01/01/2010,M,10/06/2024,10/06/2024\n"
                             "444,01/01/2010,M,08/06/2024,10/08/2024\n"
                             "555,01/01/2010,M,,05/06/2024\n"
                             "555,01/01/2010,M,,05/06/2024\n"),
              NULL, "Missing", ROWS(2, 5, 7, 9));
        check(2025, "574",
              T(R903_MISSING "222,01/01/2010,M,04/06/2024,06/06/2024\n"
                             "222,01/01/2010,A,03/06/2024,04/06/2024\n"
                             "333,01/01/2010,M,04/06/2024,\n"),
              NULL, NONE);
}

/* ---------------------------------------------------------------- last year */

static void test_576(void **state)
{
        (void)state;
        const char *last = R903_MISSING "111,01/01/2010,M,07/02/2024,07/02/2024\n"
                                        "222,01/01/2010,M,07/02/2024,\n"
                                        "333,01/01/2010,M,03/02/2024,07/02/2024\n"
                                        "444,01/01/2010,M,07/02/2024,\n"
                                        "555,01/01/2010,M,01/02/2024,\n"
                                        "666,01/01/2010,M,01/03/2024,\n";
        /* 222's first period this year is not last year's open one; 444's has no start; 555
         * carries it on; 666 has no periods this year. */
        check(2025, "576",
              T(R903_MISSING "111,01/01/2010,M,07/02/2025,\n"
                             "222,01/01/2010,M,08/02/2024,\n"
                             "333,01/01/2010,M,03/02/2025,\n"
                             "444,01/01/2010,M,,\n"
                             "555,01/01/2010,M,05/06/2024,06/06/2024\n"
                             "555,01/01/2010,M,01/02/2024,01/04/2024\n"),
              T(last), "Missing", ROWS(2, 4));
        check(2025, "576", T(R903_MISSING "555,01/01/2010,M,01/02/2024,01/04/2024\n"), T(last),
              NONE);
}

static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"564", "565", "566", "567",  "570",  "571",
                                            "574", "576", "586", "1004", "1005", "1006"};
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        /* No Header; one row with only a DOB, one with bad dates; last
                         * year's open period has no start, so 576 has nothing to match. */
                        r903_table(&t, R903_MISSING ",01/01/2010,,,\nA,,M,31/02/2024,99/99/9\n");
                        r903_last(&t, R903_MISSING "A,,M,,\n");
                        size_t n = r903_check(&t, codes[i]);
                        size_t want = 0;
                        if (strcmp(codes[i], "1004") == 0)
                                want = 2; /* both starts unusable */
                        else if (strcmp(codes[i], "1005") == 0)
                                want = 1; /* A's bad end */
                        assert_int_equal(n, want);
                        r903_end(&t);
                }
        check(2025, "574", T(R903_MISSING), NULL, NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_564),      cmocka_unit_test(test_565),
            cmocka_unit_test(test_566),      cmocka_unit_test(test_1004),
            cmocka_unit_test(test_1005),     cmocka_unit_test(test_1006),
            cmocka_unit_test(test_567),      cmocka_unit_test(test_570),
            cmocka_unit_test(test_571),      cmocka_unit_test(test_586),
            cmocka_unit_test(test_574),      cmocka_unit_test(test_576),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
