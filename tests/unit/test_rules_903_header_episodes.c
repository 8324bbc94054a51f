/*
 * test_rules_903_header_episodes.c — the SSDA903 rules that read Header with
 * another table (header_episodes.c): the mother fields against episodes, UN4
 * against time in care, ages at the start and end of episodes, the adoption
 * decision before birth and care leavers' accommodation at 17.  Passing and
 * failing cases worked out by hand; the 2024/25 set (2025) runs from
 * 01/04/2024 to 31/03/2025, the 2023/24 set (2024) a year earlier.
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

/* ---------------------------------------------------------------- mother */

static void test_165(void **state)
{
        (void)state;
        const char *hd = R903_HEADER "A,F,01/01/2010,WBRI,UN1,,\n"
                                     "B,F,01/01/2010,WBRI,UN1,0,\n"
                                     "C,M,01/01/2010,WBRI,UN1,1,\n"
                                     "D,F,01/01/2010,WBRI,UN1,2,\n"
                                     "E,F,01/01/2010,WBRI,UN1,,\n"
                                     "F,F,01/01/2005,WBRI,UN1,,\n"
                                     "G,M,01/01/2010,WBRI,UN1,,\n";
        const char *ep = R903_EPISODES "A,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "B,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "C,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "D,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "E,01/05/2024,S,V3,N2,U4,PR1,05/05/2024,E8,,,,\n"
                                       "F,01/01/2023,S,C2,N1,U4,PR1,01/02/2024,E8,,,,\n"
                                       "G,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n";
        const char *oc3 = R903_OC3 "F,01/01/2005,YES,F1,B1\n";
        /* A: a girl in care with no MOTHER; C: a boy with one; D: not 0/1.  E is on short
         * breaks only, F left care before the year. */
        check(2025, "165", T(hd, ep, oc3), "Header", ROWS(1, 3, 4));
        check(2025, "165",
              T(R903_HEADER "B,F,01/01/2010,WBRI,UN1,0,\nF,F,01/01/2005,WBRI,UN1,,\n", ep, oc3),
              NONE);
        /* 2023/24 codes: 2 is female, F is not a code at all. */
        const char *old = R903_HEADER "A,2,01/01/2010,WBRI,UN1,,\n"
                                      "B,F,01/01/2010,WBRI,UN1,,\n";
        const char *ep_old = R903_EPISODES "A,01/05/2023,S,C2,N1,U4,PR1,,,,,,\n"
                                           "B,01/05/2023,S,C2,N1,U4,PR1,,,,,,\n";
        check(2024, "165", T(old, ep_old, R903_OC3), "Header", ROWS(1));
}

static void test_393(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "B,01/05/2024,S,V4,N2,U4,PR1,,,,,,\n"
                                       "C,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "D,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n";
        const char *old = R903_HEADER "A,2,01/01/2010,WBRI,UN1,,\n"
                                      "B,2,01/01/2010,WBRI,UN1,,\n"
                                      "C,1,01/01/2010,WBRI,UN1,,\n"
                                      "D,2,01/01/2010,WBRI,UN1,0,\n";
        const char *cur = R903_HEADER "A,F,01/01/2010,WBRI,UN1,,\n"
                                      "B,F,01/01/2010,WBRI,UN1,,\n"
                                      "C,M,01/01/2010,WBRI,UN1,,\n"
                                      "D,F,01/01/2010,WBRI,UN1,0,\n";
        check(2024, "393", T(old, ep), "Header", ROWS(1));
        check(2025, "393", T(cur, ep), "Header", ROWS(1));
        check(2025, "393", T(old, ep), NONE);
        check(2023, "393", T(cur, ep), NONE);
}

/* ---------------------------------------------------------------- UN4 */

static void test_210(void **state)
{
        (void)state;
        const char *hd = R903_HEADER "A,M,01/01/2010,WBRI,UN4,,\n"
                                     "B,M,01/01/2010,WBRI,UN4,,\n"
                                     "C,M,01/01/2010,WBRI,UN4,,\n"
                                     "D,M,01/01/2010,WBRI,UN4,,\n"
                                     "E,M,01/01/2010,WBRI,UN4,,\n"
                                     "F,M,01/01/2010,WBRI,UN3,,\n";
        const char *ep = R903_EPISODES "A,01/03/2025,S,C2,N1,U4,PR1,,,,,,\n"
                                       "B,24/03/2025,S,C2,N1,U4,PR1,,,,,,\n"
                                       "C,24/03/2025,P,C2,N1,U6,PR1,,,,,,\n"
                                       "C,01/01/2025,S,C2,N1,U4,PR1,24/03/2025,X1,,,,\n"
                                       "D,01/01/2025,S,C2,N1,U4,PR1,10/02/2025,E8,,,,\n"
                                       "D,25/03/2025,S,C2,N1,U4,PR1,,,,,,\n"
                                       "E,01/01/2025,S,C2,N1,U4,PR1,01/02/2025,E8,,,,\n"
                                       "F,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n";
        /* A: in care 30 days at 31 March; C: its period began on 1 January; B and D began
         * within the last week; E had left; F's code is not UN4. */
        check(2025, "210", T(hd, ep), "Header", ROWS(1, 3));
        check(2025, "210",
              T(R903_HEADER "B,M,01/01/2010,WBRI,UN4,,\nE,M,01/01/2010,WBRI,UN4,,\n", ep), NONE);
}

/* ---------------------------------------------------------------- ages in episodes */

static void test_302(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/07/2020,P,C2,N1,U4,PR1,,,,,,\n"
                                       "A,01/05/2020,S,C2,N1,U6,PR1,01/07/2020,X1,,,,\n"
                                       "B,01/01/2015,S,C2,N1,U4,PR1,,,,,,\n";
        check(2025, "302",
              T(R903_HEADER "A,M,01/06/2020,WBRI,UN1,,\nB,M,01/01/2015,WBRI,UN1,,\n", ep),
              "Episodes", ROWS(2));
        check(2025, "302",
              T(R903_HEADER "A,M,01/05/2020,WBRI,UN1,,\nB,M,01/01/2015,WBRI,UN1,,\n", ep), NONE);
}

static void test_352(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/05/2024,S,V2,N1,K2,PR1,,,,,,\n"
                                       "B,01/05/2024,S,V2,N1,K2,PR1,,,,,,\n"
                                       "C,01/05/2024,P,V2,N1,K2,PR1,,,,,,\n";
        /* A started on the 18th birthday, B the day before it; C's episode is not a start. */
        check(2025, "352",
              T(R903_HEADER "A,M,01/05/2006,WBRI,UN3,,\nB,M,02/05/2006,WBRI,UN3,,\n"
                            "C,M,01/01/2000,WBRI,UN3,,\n",
                ep),
              "Episodes", ROWS(1));
        check(2025, "352", T(R903_HEADER "A,M,01/05/2007,WBRI,UN3,,\n", ep), NONE);
}

static void test_358(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/05/2024,S,J1,N6,K1,PR1,,,,,,\n"
                                       "B,01/05/2024,S,J2,N6,K1,PR1,,,,,,\n"
                                       "C,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n";
        check(2025, "358",
              T(R903_HEADER "A,M,02/05/2014,WBRI,UN3,,\nB,M,01/05/2014,WBRI,UN3,,\n"
                            "C,M,02/05/2014,WBRI,UN3,,\n",
                ep),
              "Episodes", ROWS(1));
        check(2025, "358", T(R903_HEADER "A,M,01/05/2014,WBRI,UN3,,\n", ep), NONE);
}

static void test_359(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "B,01/05/2024,S,V2,N1,K2,PR1,,,,,,\n"
                                       "C,01/05/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                       "D,01/05/2024,S,C2,N1,U4,PR1,01/02/2025,E17,,,,\n";
        /* A turned 18 on 01/01/2025 and is still in C2/U4; C turns 18 on 31 March itself. */
        check(2025, "359",
              T(R903_HEADER "A,M,01/01/2007,WBRI,UN3,,\nB,M,01/01/2007,WBRI,UN3,,\n"
                            "C,M,31/03/2007,WBRI,UN3,,\nD,M,01/01/2006,WBRI,UN3,,\n",
                ep),
              "Episodes", ROWS(1));
        check(2025, "359", T(R903_HEADER "A,M,01/01/2008,WBRI,UN3,,\n", ep), NONE);
}

static void test_386(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/01/2024,S,E1,N1,A5,PR1,01/05/2024,E11,,,,\n"
                                       "B,01/01/2024,S,E1,N1,A5,PR1,01/05/2024,E12,,,,\n"
                                       "C,01/01/2024,S,E1,N1,A5,PR1,01/05/2024,E8,,,,\n";
        check(2025, "386",
              T(R903_HEADER "A,M,01/05/2006,WBRI,UN3,,\nB,M,02/05/2006,WBRI,UN3,,\n"
                            "C,M,01/05/2000,WBRI,UN3,,\n",
                ep),
              "Episodes", ROWS(1));
        check(2025, "386", T(R903_HEADER "A,M,01/05/2016,WBRI,UN1,,\n", ep), NONE);
}

static void test_387(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/01/2024,S,V2,N1,U4,PR1,01/05/2024,E5,,,,\n"
                                       "B,01/01/2024,S,V2,N1,U4,PR1,01/05/2024,E6,,,,\n"
                                       "C,01/01/2024,S,V2,N1,U4,PR1,01/05/2024,E4A,,,,\n";
        check(2025, "387",
              T(R903_HEADER "A,M,02/05/2010,WBRI,UN3,,\nB,M,01/05/2010,WBRI,UN3,,\n"
                            "C,M,02/05/2015,WBRI,UN1,,\n",
                ep),
              "Episodes", ROWS(1));
        check(2025, "387", T(R903_HEADER "A,M,01/05/2010,WBRI,UN3,,\n", ep), NONE);
}

static void test_460(void **state)
{
        (void)state;
        const char *ep = R903_EPISODES "A,01/01/2024,S,V2,N1,U4,PR1,01/05/2024,E17,,,,\n"
                                       "B,01/01/2024,S,V2,N1,U4,PR1,01/05/2024,E17,,,,\n";
        check(2025, "460",
              T(R903_HEADER "A,M,02/05/2006,WBRI,UN3,,\nB,M,01/05/2006,WBRI,UN3,,\n", ep),
              "Episodes", ROWS(1));
        check(2025, "460", T(R903_HEADER "A,M,01/05/2006,WBRI,UN3,,\n", ep), NONE);
}

/* ---------------------------------------------------------------- other tables */

static void test_184(void **state)
{
        (void)state;
        const char *pa = R903_PLACED "A,01/01/2020,31/12/2019,,\n"
                                     "B,01/01/2020,01/01/2020,,\n";
        check(2025, "184",
              T(R903_HEADER "A,M,01/01/2020,WBRI,UN1,,\nB,M,01/01/2020,WBRI,UN1,,\n", pa),
              "PlacedAdoption", ROWS(1));
        check(2025, "184", T(R903_HEADER "A,M,31/12/2019,WBRI,UN1,,\n", pa), NONE);
}

static void test_3001(void **state)
{
        (void)state;
        const char *oc3 = R903_OC3 "A,01/06/2007,YES,F1,Z1\n"
                                   "B,01/06/2006,YES,F1,Z2\n"
                                   "C,01/06/2007,YES,F1,B1\n"
                                   "D,01/06/2007,YES,F1,Z2\n";
        /* A turns 17 on 01/06/2024; B turned 17 last year; D has no Header row, so its own
         * DOB is used. */
        check(2025, "3001",
              T(R903_HEADER "A,M,01/06/2007,WBRI,UN3,,\nB,M,01/06/2006,WBRI,UN3,,\n"
                            "C,M,01/06/2007,WBRI,UN3,,\n",
                oc3),
              "OC3", ROWS(1, 4));
        check(2025, "3001",
              T(R903_HEADER "B,M,01/06/2006,WBRI,UN3,,\n", R903_OC3 "B,01/06/2006,YES,F1,Z2\n"),
              NONE);
}

/* ---------------------------------------------------------------- odd data */

static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"165", "184", "210", "302", "352", "358",
                                            "359", "386", "387", "393", "460", "3001"};
        /* Episodes and OC3 rows without Header rows, blank and invalid dates. */
        const char *hd = R903_HEADER "A,F,,WBRI,UN4,,\n";
        const char *ep = R903_EPISODES "A,,S,J1,,,,,E11,,,,\n"
                                       "A,99/99/2024,S,J1,,,,31/02/2024,E17,,,,\n"
                                       "Z,01/01/2024,S,J1,,,,01/02/2024,E5,,,,\n";
        const char *oc3 = R903_OC3 "Y,,YES,F1,Z1\n";
        const char *pa = R903_PLACED "X,,01/01/2020,,\n";
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, hd);
                        r903_table(&t, ep);
                        r903_table(&t, oc3);
                        r903_table(&t, pa);
                        size_t n = r903_check(&t, codes[i]);
                        /* Only the girl with no MOTHER and a non-short-break episode is
                         * reported (393, and 165 where F is her sex code). */
                        size_t want = strcmp(codes[i], "393") == 0 && y >= 2025 ? 1 : 0;
                        assert_int_equal(n, want);
                        r903_end(&t);
                }
        check(2025, "302", T(R903_HEADER, R903_EPISODES), NONE);
        check(2025, "210", T(R903_HEADER "A,M,01/01/2010,WBRI,UN4,,\n", R903_EPISODES), NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_165),      cmocka_unit_test(test_393),
            cmocka_unit_test(test_210),      cmocka_unit_test(test_302),
            cmocka_unit_test(test_352),      cmocka_unit_test(test_358),
            cmocka_unit_test(test_359),      cmocka_unit_test(test_386),
            cmocka_unit_test(test_387),      cmocka_unit_test(test_460),
            cmocka_unit_test(test_184),      cmocka_unit_test(test_3001),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
