/*
 * test_rules_903_oc2.c — the SSDA903 OC2 rules (oc2.c): codes (180, 181,
 * 196), SDQ by age and cohort (157, 188, 189, 197a, 197B), substance misuse
 * follow-up (158, 159, 192, 193), completeness (182, 191, 544, 545, 547),
 * conviction age (542), the 12-month cohort (190) and care leavers (215).
 *
 * Cases are worked out by hand for the 2024/25 set (2025: 01/04/2024 to
 * 31/03/2025) unless stated.  A child is looked after all year when its only
 * episode started on 01/01/2020 and is still open (CLA); one whose period of
 * care started on 01/06/2024 is not (NEW).
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

#define CLA(id) id ",01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
#define NEW(id) id ",01/06/2024,S,C2,N1,U4,PR1,,,,,,\n"
/* OC2 row: child, DOB, then the ten items in file order (score, reason, convicted, health
 * check, immunisations, teeth, assessment, substance misuse, received, offered). */
#define O2(id, dob, items) id "," dob "," items "\n"
#define BLANK10            ",,,,,,,,,"
#define FULL               ",,,,1,1,1,0,,"

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

/* Findings must be exactly `want` ("Table:row" each), in any order. */
static void check_tables(int year, const char *code, const char *const *now,
                         const char *const *want)
{
        struct r903 t;
        r903_begin(&t, year);
        for (; now && *now; now++)
                r903_table(&t, *now);
        size_t n = r903_check(&t, code), nwant = 0;
        for (const char *const *w = want; *w; w++) {
                nwant++;
                int found = 0;
                for (size_t i = 0; i < n; i++) {
                        char buf[64];
                        snprintf(buf, sizeof buf, "%s:%ld", t.res.f[i].table, t.res.f[i].row);
                        if (strcmp(buf, *w) == 0)
                                found = 1;
                }
                if (!found)
                        print_error("%s: expected a finding on %s\n", code, *w);
                assert_true(found);
        }
        if (n != nwant)
                for (size_t i = 0; i < n; i++)
                        print_error("  finding: %s row %ld\n", t.res.f[i].table, t.res.f[i].row);
        assert_int_equal(n, nwant);
        r903_end(&t);
}

/* ---------------------------------------------------------------- codes */

static void test_180(void **state)
{
        (void)state;
        check(2025, "180",
              T(R903_OC2 O2("A", "01/01/2012", "10,,,,,,,,,") O2("B", "01/01/2012", "41,,,,,,,,,")
                    O2("C", "01/01/2012", "xx,,,,,,,,,") O2("D", "01/01/2012", "20.0,,,,,,,,,")
                        O2("E", "01/01/2012", "-1,,,,,,,,,") O2("F", "01/01/2012", "0,,,,,,,,,")
                            O2("G", "01/01/2012", "40,,,,,,,,,")
                                O2("H", "01/01/2012", "39.5,,,,,,,,,")),
              "OC2", ROWS(2, 3, 5, 8));
        check(2023, "180", T(R903_OC2 O2("A", "01/01/2012", "40,,,,,,,,,")), NONE);
}

static void test_181(void **state)
{
        (void)state;
        check(2025, "181",
              T(R903_OC2 O2("A", "01/01/2012", ",,2,,1,1,1,0,,") O2("B", "01/01/2012", FULL)
                    O2("C", "01/01/2012", BLANK10) O2("D", "01/01/2012", ",,,,1,1,1,1,0,Y")),
              "OC2", ROWS(1, 4));
        check(2027, "181", T(R903_OC2 O2("B", "01/01/2012", ",,0,1,1,1,1,1,1,")), NONE);
}

static void test_196(void **state)
{
        (void)state;
        check(2025, "196",
              T(R903_OC2 O2("A", "01/01/2012", ",SDQ6,,,,,,,,")
                    O2("B", "01/01/2012", ",SDQ2,,,,,,,,") O2("C", "01/01/2012", BLANK10)
                        O2("D", "01/01/2012", ",sdq5,,,,,,,,")),
              "OC2", ROWS(1));
}

/* ---------------------------------------------------------------- SDQ */

static void test_157(void **state)
{
        (void)state;
        const char *eps =
            R903_EPISODES CLA("A") CLA("B") CLA("C") NEW("D") CLA("E") CLA("F") CLA("G");
        /* A aged 10-11; B is 4 on 01/04/2024; C turns 4 on 02/04/2024; D not looked after all
         * year; E turns 17 on 31/03/2025; F turns 17 on 01/04/2025; G has a score. */
        check(
            2025, "157",
            T(eps,
              R903_OC2 O2("A", "01/01/2014", ",SDQ1,,,,,,,,") O2("B", "01/04/2020", ",SDQ1,,,,,,,,")
                  O2("C", "02/04/2020", ",SDQ1,,,,,,,,") O2("D", "01/01/2014", ",SDQ1,,,,,,,,")
                      O2("E", "31/03/2008", ",SDQ1,,,,,,,,") O2("F", "01/04/2008", ",SDQ1,,,,,,,,")
                          O2("G", "01/01/2014", "12,SDQ1,,,,,,,,")),
            "OC2", ROWS(1, 2, 6));
        check(2024, "157", T(eps, R903_OC2 O2("A", "01/01/2014", ",SDQ2,,,,,,,,")), NONE);
}

static void test_188(void **state)
{
        (void)state;
        check(2025, "188",
              T(R903_OC2 O2("A", "01/04/2021", "5,,,,,,,,,") O2("B", "31/03/2021", "5,,,,,,,,,")
                    O2("C", "01/04/2021", ",SDQ1,,,,,,,,") O2("D", "01/04/2022", BLANK10)),
              "OC2", ROWS(1, 3));
        /* OC2's DOB is blank: Header's is used. */
        check(2025, "188",
              T(R903_HEADER "A,M,01/04/2021,WBRI,UN1,,\n", R903_OC2 O2("A", "", "5,,,,,,,,,")),
              "OC2", ROWS(1));
}

static void test_189(void **state)
{
        (void)state;
        check(2025, "189",
              T(R903_OC2 O2("A", "01/04/2007", "10,,,,,,,,,") O2("B", "02/04/2007", "10,,,,,,,,,")
                    O2("C", "01/01/2000", ",SDQ4,,,,,,,,") O2("D", "01/01/2000", BLANK10)),
              "OC2", ROWS(1, 3));
        /* The 2022/23 set: 17 on 01/04/2022. */
        check(2023, "189", T(R903_OC2 O2("A", "01/04/2005", "10,,,,,,,,,")), "OC2", ROWS(1));
}

static void test_197a(void **state)
{
        (void)state;
        check(2025, "197a",
              T(R903_OC2 O2("A", "01/01/2012", "12,SDQ2,,,,,,,,")
                    O2("B", "01/01/2012", "12,,,,,,,,,") O2("C", "01/01/2012", ",SDQ2,,,,,,,,")),
              "OC2", ROWS(1));
}

static void test_197B(void **state)
{
        (void)state;
        const char *eps = R903_EPISODES CLA("A") CLA("B") CLA("C") CLA("D") NEW("E");
        check(2025, "197B",
              T(eps, R903_OC2 O2("A", "15/06/2020", BLANK10) O2("B", "15/06/2007", BLANK10)
                         O2("C", "15/06/2020", ",SDQ1,,,,,,,,") O2("D", "15/06/2015", BLANK10)
                             O2("E", "15/06/2020", BLANK10)),
              "OC2", ROWS(1, 2));
        check(2026, "197B", T(eps, R903_OC2 O2("A", "15/06/2021", "7,,,,,,,,,")), NONE);
        /* 17 on 01/04/2024 (the first day): 17 all year, so no SDQ is expected (189); 17 on
         * 31/03/2025 (the last day): expected. */
        check(2025, "197B",
              T(eps, R903_OC2 O2("A", "01/04/2007", BLANK10) O2("B", "31/03/2008", BLANK10)), "OC2",
              ROWS(2));
}

/* ---------------------------------------------------------------- substance misuse */

static void test_158(void **state)
{
        (void)state;
        check(2025, "158",
              T(R903_OC2 O2("A", "01/01/2010", ",,,,1,1,1,1,1,0") O2(
                  "B", "01/01/2010", ",,,,1,1,1,1,1,") O2("C", "01/01/2010", ",,,,1,1,1,1,0,1")),
              "OC2", ROWS(1));
}

static void test_159(void **state)
{
        (void)state;
        check(2025, "159",
              T(R903_OC2 O2("A", "01/01/2010", ",,,,1,1,1,1,0,")
                    O2("B", "01/01/2010", ",,,,1,1,1,1,0,1") O2("C", "01/01/2010", ",,,,1,1,1,1,1,")
                        O2("D", "01/01/2010", ",,,,1,1,1,0,0,")),
              "OC2", ROWS(1));
}

static void test_192(void **state)
{
        (void)state;
        check(2025, "192",
              T(R903_OC2 O2("A", "01/01/2010", ",,,,1,1,1,1,,") O2(
                  "B", "01/01/2010", ",,,,1,1,1,1,0,1") O2("C", "01/01/2010", ",,,,1,1,1,0,,")),
              "OC2", ROWS(1));
}

static void test_193(void **state)
{
        (void)state;
        check(2025, "193",
              T(R903_OC2 O2("A", "01/01/2010", ",,,,1,1,1,0,1,")
                    O2("B", "01/01/2010", ",,,,1,1,1,,,0") O2("C", "01/01/2010", ",,,,1,1,1,1,1,")
                        O2("D", "01/01/2010", ",,,,1,1,1,0,,")),
              "OC2", ROWS(1, 2));
}

/* ---------------------------------------------------------------- completeness */

static void test_182(void **state)
{
        (void)state;
        check(2025, "182",
              T(R903_OC2 O2("A", "01/01/2010", ",,0,,1,1,1,,,") O2("B", "01/01/2010", ",,,1,,,,,,")
                    O2("C", "01/01/2010", BLANK10) O2("D", "01/01/2010", ",,0,,1,1,1,0,,")
                        O2("E", "01/01/2010", "14,,,,,,,,,")),
              "OC2", ROWS(1, 2));
}

static void test_190(void **state)
{
        (void)state;
        check(2025, "190",
              T(R903_EPISODES NEW("A") CLA("B") NEW("C"),
                R903_OC2 O2("A", "01/01/2010", ",,,,1,,,,,") O2("B", "01/01/2010", FULL)
                    O2("C", "01/01/2010", "12,,,,,,,,,") O2("D", "01/01/2010", FULL)),
              "OC2", ROWS(1, 4));
        /* Leaving care in the year (REC E13), on 31 March too, or a V3 short break, breaks
         * the 12 months; an X1 end on 31 March (D) does not. */
        check(2024, "190",
              T(R903_EPISODES "A,01/01/2020,S,C2,N1,U4,PR1,01/02/2024,E13,,,,\n"
                              "B,01/01/2020,S,V3,N1,U4,PR1,,,,,,\n"
                              "C,01/01/2020,S,C2,N1,U4,PR1,31/03/2024,E13,,,,\n"
                              "D,01/01/2020,S,C2,N1,U4,PR1,31/03/2024,X1,,,,\n"
                              "D,31/03/2024,L,C2,N1,U4,PR1,,,,,,\n",
                R903_OC2 O2("A", "01/01/2010", FULL) O2("B", "01/01/2010", FULL)
                    O2("C", "01/01/2010", FULL) O2("D", "01/01/2010", FULL)),
              "OC2", ROWS(1, 2, 3));
}

static void test_191(void **state)
{
        (void)state;
        check_tables(2025, "191",
                     T(R903_EPISODES CLA("A")
                           CLA("C") "B,01/01/2020,L,C2,N1,U4,PR1,,,,,,\n"
                                    "B,01/01/2019,S,C1,N1,U4,PR1,01/01/2020,X1,,,,\n" NEW("D"),
                       R903_OC2 O2("A", "01/01/2010", ",,,,1,,1,0,,") O2("C", "01/01/2010", FULL)
                           O2("D", "01/01/2010", BLANK10)),
                     T("OC2:1", "Episodes:4"));
        check(2025, "191", T(R903_EPISODES CLA("C"), R903_OC2 O2("C", "01/01/2010", FULL)), NONE);
}

static void test_542(void **state)
{
        (void)state;
        check(2025, "542",
              T(R903_OC2 O2("A", "01/04/2015", ",,0,,1,1,1,0,,")
                    O2("B", "31/03/2015", ",,0,,1,1,1,0,,") O2("C", "01/04/2015", FULL)),
              "OC2", ROWS(1));
}

static void test_544(void **state)
{
        (void)state;
        check(2025, "544",
              T(R903_OC2 O2("A", "01/01/2008", ",,1,,1,,1,0,,")
                    O2("B", "01/01/2008", ",,1,,1,1,1,0,,") O2("C", "01/01/2008", ",,0,,,,,,,")),
              "OC2", ROWS(1));
}

static void test_545(void **state)
{
        (void)state;
        check(2025, "545",
              T(R903_EPISODES CLA("A") CLA("B") CLA("C") NEW("D"),
                R903_OC2 O2("A", "01/04/2020", FULL) O2("B", "01/04/2020", ",,,1,1,1,1,0,,")
                    O2("C", "31/03/2020", FULL) O2("D", "01/04/2020", FULL)),
              "OC2", ROWS(1));
}

static void test_547(void **state)
{
        (void)state;
        check(2025, "547",
              T(R903_OC2 O2("A", "01/01/2022", ",,,1,1,1,1,,,")
                    O2("B", "01/01/2022", ",,,1,1,1,1,0,,") O2("C", "01/01/2022", ",,,0,,,,,,")),
              "OC2", ROWS(1));
}

static void test_215(void **state)
{
        (void)state;
        check_tables(2025, "215",
                     T(R903_OC3 "A,01/01/2006,YES,F2,B1\nB,01/01/2006,YES,F2,B1\n"
                                "C,01/01/2006,NO,0,0\n",
                       R903_OC2 O2("A", "01/01/2006", ",,,,1,,,,,")
                           O2("B", "01/01/2006", "12,,,,,,,,,")),
                     T("OC3:1", "OC2:1"));
        check(2025, "215", T(R903_OC3 "C,01/01/2006,NO,0,0\n", R903_OC2), NONE);
}

/* Odd data: no Header, blank CHILD and DOB, bad dates, empty tables; nothing crashes and
 * dates that cannot be read make no age-based finding. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"157",  "158", "159", "180", "181", "182", "188",
                                            "189",  "190", "191", "192", "193", "196", "197a",
                                            "197B", "215", "542", "544", "545", "547"};
        for (int y = 2023; y <= 2027; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, R903_EPISODES ",31/02/2020,S,,,,,,,,,,\n");
                        r903_table(&t, R903_OC2 ",,,,,,,,,,,\nA,99/99/2010,,SDQ1,,,,,,,,\n");
                        r903_table(&t, R903_OC3);
                        size_t n = r903_check(&t, codes[i]);
                        assert_int_equal(n, 0);
                        r903_end(&t);
                }
        check(2025, "191", T(R903_EPISODES, R903_OC2), NONE);
        check(2025, "215", T(R903_OC3, R903_OC2), NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_180),      cmocka_unit_test(test_181),
            cmocka_unit_test(test_196),      cmocka_unit_test(test_157),
            cmocka_unit_test(test_188),      cmocka_unit_test(test_189),
            cmocka_unit_test(test_197a),     cmocka_unit_test(test_197B),
            cmocka_unit_test(test_158),      cmocka_unit_test(test_159),
            cmocka_unit_test(test_192),      cmocka_unit_test(test_193),
            cmocka_unit_test(test_182),      cmocka_unit_test(test_190),
            cmocka_unit_test(test_191),      cmocka_unit_test(test_542),
            cmocka_unit_test(test_544),      cmocka_unit_test(test_545),
            cmocka_unit_test(test_547),      cmocka_unit_test(test_215),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
