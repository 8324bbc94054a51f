/*
 * test_rules_903_episodes_b3.c — the Episodes × Header/OC2/OC3/PrevPerm/UASC
 * rules and the postcode and provider rules of src/rules/903/episodes_b3.c.
 * Each rule has a passing and a failing case with the exact rows reported,
 * worked out by hand; 2024/25 unless a rule belongs to other years.
 *
 * The postcode cases use a four-postcode directory: AB1 2CD and AB3 4EF in
 * E06000001 (the submitting authority), EF5 6GH in E06000002 and FA9 9RR far
 * away.  Distances by hand: AB1 2CD→AB3 4EF √(3000²+4000²) m = 5 km = 3.1
 * miles; AB1 2CD→FA9 9RR √(300000²+500000²) m = 583.1 km = 362.3 miles;
 * ZE1 1AA→ZE2 2BB 1609140 m = 999.9 miles (DfE's "not known").
 */
#include "rules903_b_test.h"

#include "returns/refdata.h"

extern const struct rule_def rules_903_episodes_b3[];

#define EPS R903_EPISODES
#define HDR R903_HEADER
#define OC2 R903_OC2
#define OC3 R903_OC3
#define PP  R903_PREVPERM

/* ---------------------------------------------------------------- OC2 */

static void test_543(void **state)
{
        (void)state;
        /* A: 15 and in care all year; B: 9; C: entered care in the year; D: answered. */
        const char *eps = EPS "A,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n"
                              "B,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n"
                              "C,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                              "D,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n";
        B_EXPECT(2025, "543", "OC2", ROWS(1),
                 TABLES(eps, OC2 "A,01/01/2010,10,,,,1,1,1,0,,\n"
                                 "B,01/01/2016,10,,,,1,1,1,0,,\n"
                                 "C,01/01/2010,10,,,,1,1,1,0,,\n"
                                 "D,01/01/2010,10,,0,,1,1,1,0,,\n"));
}

static void test_546(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/01/2022,S,C2,N1,U6,PR1,,,,,,\n"
                              "B,01/06/2022,S,C2,N1,U6,PR1,,,,,,\n";
        B_EXPECT(2025, "546", "OC2", ROWS(1),
                 TABLES(eps, OC2 "A,01/01/2019,10,,,1,1,1,1,0,,\n"
                                 "B,01/06/2021,,SDQ1,,1,1,1,1,0,,\n"));
        B_NONE(2025, "546", TABLES(eps, OC2 "A,01/01/2019,10,,,,1,1,1,0,,\n"));
}

/* ---------------------------------------------------------------- Header */

static void test_607(void **state)
{
        (void)state;
        /* SEX is 1/2 until 2023/24 and M/F/U from 2024/25. */
        struct r903 t;
        b_run(&t, 2024, "607",
              TABLES(HDR "A,2,01/01/2008,WBRI,UN1,,\n",
                     EPS "A,01/05/2023,S,C2,N1,U6,PR1,01/06/2023,E4A,,,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "Header", 1));
        r903_end(&t);
        B_NONE(2025, "607",
               TABLES(HDR "A,2,01/01/2008,WBRI,UN1,,\n",
                      EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"));
        b_run(&t, 2025, "607",
              TABLES(HDR "A,F,01/01/2008,WBRI,UN1,,\n",
                     EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"));
        assert_int_equal(t.res.n, 2);
        r903_end(&t);
        /* Completed MOTHER; a V3 short break; a change of placement (X1). */
        B_NONE(2025, "607",
               TABLES(HDR "A,F,01/01/2008,WBRI,UN1,0,\nB,F,01/01/2008,WBRI,UN1,,\n",
                      EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                          "B,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                          "B,01/06/2024,S,C2,N1,U6,PR1,01/07/2024,X1,,,,\n"
                          "B,01/07/2024,P,C2,N1,U4,PR1,,,,,,\n"));
}

static void test_625(void **state)
{
        (void)state;
        B_NONE(2025, "625",
               TABLES(HDR "B,F,01/01/2007,WBRI,UN1,1,01/05/2024\n",
                      EPS "B,01/05/2023,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"));
        struct r903 t;
        b_run(&t, 2025, "625",
              TABLES(HDR "A,F,01/01/2007,WBRI,UN1,1,01/07/2024\n",
                     EPS "A,01/05/2023,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "Header", 1));
        r903_end(&t);
}

static void test_628(void **state)
{
        (void)state;
        B_EXPECT(2025, "628", "Header", ROWS(1),
                 TABLES(HDR "A,F,01/06/2006,WBRI,UN1,1,\n"
                            "B,F,01/06/2006,WBRI,UN1,1,\n"
                            "C,F,01/06/2006,WBRI,UN1,,\n",
                        EPS "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
                        OC3 "A,01/06/2006,YES,F1,B1\nB,01/06/2006,YES,F1,B1\n"
                            "C,01/06/2006,YES,F1,B1\n"));
}

/* ---------------------------------------------------------------- PrevPerm */

static void test_630(void **state)
{
        (void)state;
        /* A: no record; B: P1 without LA_PERM; C: Z1 needs nothing more; D: began last year. */
        B_EXPECT(2025, "630", "Episodes", ROWS(1, 2),
                 TABLES(EPS "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "B,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "C,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "D,01/06/2023,S,C2,N1,U6,PR1,,,,,,\n",
                        PP "B,01/01/2012,P1,,01/01/2019\nC,01/01/2012,Z1,,\n"));
}

static void test_632(void **state)
{
        (void)state;
        struct r903 t;
        b_run(&t, 2025, "632",
              TABLES(EPS "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "B,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "C,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "D,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "E,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "F,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                         "G,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n",
                     PP "A,01/01/2012,P1,352,xx/10/2011\n"
                        "B,01/01/2012,P2,352,ZZ/06/2024\n"
                        "C,01/01/2012,P2,352,ZZ/ZZ/2019\n"
                        "D,01/01/2012,P2,352,ZZ/ZZ/ZZZZ\n"
                        "E,01/01/2012,P2,352,31/02/2019\n"
                        "F,01/01/2012,Z1,,\n"
                        "G,01/01/2012,P2,352,ZZ/ZZ/ZZ\n"));
        /* A, E, G: not a date; B: June 2024 may be after 01/06/2024.  C, D, F pass. */
        assert_int_equal(b_count(&t, "PrevPerm"), 4);
        assert_int_equal(b_count(&t, "Episodes"), 4);
        for (long r = 1; r <= 7; r++) {
                int bad = r == 1 || r == 2 || r == 5 || r == 7;
                assert_int_equal(b_has(&t, "PrevPerm", r), bad);
                assert_int_equal(b_has(&t, "Episodes", r), bad);
        }
        r903_end(&t);
        B_NONE(2025, "632",
               TABLES(EPS "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n",
                      PP "A,01/01/2012,P2,352,31/05/2024\n"));
}

static void test_634(void **state)
{
        (void)state;
        B_NONE(2025, "634",
               TABLES(EPS "B,01/01/2010,S,C2,N1,U6,PR1,01/02/2010,E4A,,,,\n"
                          "B,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n",
                      PP "B,01/01/2008,Z1,,\n"));
        struct r903 t;
        b_run(&t, 2025, "634",
              TABLES(EPS "A,01/01/2015,S,C2,N1,U6,PR1,,,,,,\n", PP "A,01/01/2008,P1,352,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "PrevPerm", 1));
        r903_end(&t);
}

/* ---------------------------------------------------------------- OC3 and the rest */

static void test_1007_1016(void **state)
{
        (void)state;
        /* 17th birthday 01/06/2024.  A: in care that day (open episode); B: left before it;
         * C: left after it (1016, not 1007); D: 20 at 31 March. */
        const char *const *tables =
            TABLES(EPS "A,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n"
                       "B,01/01/2020,S,C2,N1,U6,PR1,01/01/2024,E4A,,,,\n"
                       "C,01/08/2024,S,C2,N1,U6,PR1,01/09/2024,E4A,,,,\n"
                       "D,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n",
                   OC3 "A,01/06/2007,YES,F1,B1\nB,01/06/2007,YES,F1,B1\nC,01/06/2007,YES,F1,B1\n"
                       "D,01/06/2004,YES,F1,B1\n");
        B_EXPECT(2025, "1007", "OC3", ROWS(1), tables);
        B_EXPECT(2025, "1016", "OC3", ROWS(3), tables);
        /* A move (X1) after the birthday is not leaving care. */
        B_NONE(
            2025, "1016",
            TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,01/08/2024,X1,,,,\n", OC3 "A,01/06/2007,,,\n"));
        B_NONE(2025, "1016",
               TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,01/08/2024,X1,,,,\n",
                      OC3 "A,01/06/2007,YES,F1,B1\n"));
        /* 18 on 01/12/2024, left on 01/06/2024: after the 17th birthday but before this
         * year's one. */
        B_NONE(2025, "1016",
               TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                      OC3 "A,01/12/2006,YES,F1,B1\n"));
        /* Left on the 17th birthday itself (01/06/2024): not looked after on it, so a care
         * leaver whose details are required, not a 1016 finding. */
        B_NONE(2025, "1016",
               TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                      OC3 "A,01/06/2007,YES,F1,B1\n"));
        /* One day after it: reported. */
        B_EXPECT(2025, "1016", "OC3", ROWS(1),
                 TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,02/06/2024,E4A,,,,\n",
                        OC3 "A,01/06/2007,YES,F1,B1\n"));
        assert_null(rules_find(RULES_903, 2023, "1016"));
}

static void test_1012(void **state)
{
        (void)state;
        struct r903 t;
        b_run(&t, 2025, "1012",
              TABLES(EPS "A,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n",
                     R903_REVIEWS "A,01/01/2010,01/06/2024,PN1\nB,01/01/2010,01/06/2024,PN1\n",
                     R903_MISSING "A,01/01/2010,M,01/06/2024,02/06/2024\n",
                     OC2 "C,01/01/2010,10,,0,,1,1,1,0,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Reviews", 2) && b_has(&t, "OC2", 1));
        r903_end(&t);
}

static void test_1014(void **state)
{
        (void)state;
        struct r903 t;
        b_run(&t, 2025, "1014",
              TABLES(EPS "A,01/01/2022,S,C2,N1,U6,PR1,01/06/2022,E4A,,,,\n"
                         "B,01/01/2022,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                     R903_UASC "A,M,01/06/2006,01/06/2024\nB,M,01/06/2006,01/06/2024\n",
                     OC3 "A,01/06/2006,YES,F1,B1\nB,01/06/2006,YES,F1,B1\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "UASC", 1) && b_has(&t, "OC3", 1));
        r903_end(&t);
}

/* ---------------------------------------------------------------- reference data */

static const char POSTCODES[] = "pcd,oslaua,oseast1m,osnrth1m\n"
                                "AB1 2CD,E06000001,400000,500000\n"
                                "AB3 4EF,E06000001,403000,504000\n"
                                "EF5 6GH,E06000002,410000,510000\n"
                                "FA9 9RR,E06000002,700000,1000000\n"
                                "ZE1 1AA,E06000002,100000,100000\n"
                                "ZE2 2BB,E06000002,1709140,100000\n";

/* Run `code` with the postcode directory applied for authority `derive_la` and --la `la`. */
static void run_pc(struct r903 *t, int year, const char *code, const char *derive_la,
                   const char *la, const char *episodes)
{
        struct err e;
        struct refdata_postcodes *pc =
            refdata_postcodes_mem("pc.csv", POSTCODES, strlen(POSTCODES), NULL, NULL, 0, &e);
        assert_non_null(pc);
        b_load(t, year, TABLES(episodes));
        struct ssda903_options opt = {
            .collection_year = year, .postcodes = pc, .la_code = derive_la};
        assert_int_equal(ssda903_finish(t->ld, &opt, &t->e), 0);
        rules_ctx_init_903(&t->ctx, t->ld, year);
        t->loaded = 1;
        t->ctx.postcodes = pc;
        t->ctx.la_code = la;
        r903_check(t, code);
        refdata_postcodes_free(pc);
}

static void pc_expect(int year, const char *code, const char *episodes, const long *rows, size_t n)
{
        struct r903 t;
        run_pc(&t, year, code, "E06000001", "E06000001", episodes);
        r903_expect_rows(&t, "Episodes", rows, n);
        r903_end(&t);
}

static void test_392c_392d(void **state)
{
        (void)state;
        pc_expect(2025, "392c",
                  EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,XX9 9XX,\n"
                      "B,01/05/2024,S,C2,N1,U6,PR1,,,,ab12cd,AB3 4EF,\n"
                      "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
                  ROWS(1));
        pc_expect(2025, "392d",
                  EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,ab12cd,\n"
                      "B,01/05/2024,S,C2,N1,P1,PR0,,,,AB1 2CD,AB1 2CD,\n"
                      "C,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n",
                  ROWS(1));
}

static void test_411(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,EF5 6GH,\n"
                              "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n";
        struct r903 t;
        /* Derived for the right authority: IN and OUT agree with PL_LA. */
        run_pc(&t, 2025, "411", "E06000001", "E06000001", eps);
        r903_expect_none(&t);
        r903_end(&t);
        /* PL_LOCATION says IN for E06000002's postcode, but the return is E06000001's. */
        run_pc(&t, 2025, "411", "E06000002", "E06000001", eps);
        r903_expect_rows(&t, "Episodes", ROWS(1));
        r903_end(&t);
}

static void test_420_454(void **state)
{
        (void)state;
        pc_expect(2025, "420",
                  EPS "A,01/05/2024,S,V3,N1,U6,PR1,,,,,AB3 4EF,\n"
                      "B,01/05/2024,S,V3,N1,U6,PR1,,,,,,\n"
                      "C,01/05/2024,S,C2,N1,U6,PR1,,,,,AB3 4EF,\n",
                  ROWS(1));
        pc_expect(2026, "454",
                  EPS "A,01/05/2025,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n"
                      "B,01/05/2025,S,C2,N1,U6,PR1,,,,AB1 2CD,FA9 9RR,\n"
                      "C,01/05/2025,S,C2,N1,U6,PR1,,,,ZE1 1AA,ZE2 2BB,\n",
                  ROWS(2));
        assert_null(rules_find(RULES_903, 2025, "454"));
}

static void test_1015(void **state)
{
        (void)state;
        /* A: own home outside the LA; B: foster care may be outside; C: inside; D: V3. */
        pc_expect(2025, "1015",
                  EPS "A,01/05/2024,S,C2,N1,K2,PR1,,,,AB1 2CD,EF5 6GH,\n"
                      "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,EF5 6GH,\n"
                      "C,01/05/2024,S,C2,N1,K2,PR1,,,,AB1 2CD,AB3 4EF,\n"
                      "D,01/05/2024,S,V3,N1,K2,PR1,,,,,EF5 6GH,\n",
                  ROWS(1));
}

static void test_1008(void **state)
{
        (void)state;
        static const char prov[] = "URN,Registration Date,Deregistration Date,Placement Code,"
                                   "Placement Provider Code,Setting Address Postcode\n"
                                   "SC111111,01/01/2010,,K2,PR4,AB1 2CD\n";
        struct err e;
        struct refdata_providers *p = refdata_providers_mem("prov.csv", prov, strlen(prov), &e);
        assert_non_null(p);
        struct r903 t;
        b_load(&t, 2025,
               TABLES(EPS "A,01/05/2024,S,C2,N1,K2,PR4,,,,,,SC111111\n"
                          "B,01/05/2024,S,C2,N1,K2,PR4,,,,,,SC999999\n"
                          "C,01/05/2024,S,C2,N1,K2,PR4,,,,,,XXXXXXX\n"
                          "D,01/05/2024,S,C2,N1,P1,PR0,,,,,,\n"));
        r903_load(&t);
        t.ctx.providers = p;
        r903_check(&t, "1008");
        r903_expect_rows(&t, "Episodes", ROWS(2));
        r903_end(&t);
        refdata_providers_free(p);
}

static void test_odd_data(void **state)
{
        (void)state;
        b_run_all_odd(rules_903_episodes_b3,
                      TABLES(HDR "Z,,,,,,31/02/2020\nA,F,,,,1,xx\n",
                             EPS "A,,,,,A4,PR1,,E11,,,,\nA,31/02/2024,S,E1,,,,99/99/9999,E13,,,,\n"
                                 ",,,,,,,,,,,,\n",
                             OC2 "A,,,,,,,,,,,\n", OC3 "A,,YES,,\nQ,31/02/2007,,,\n",
                             PP "A,,P1,,ZZ\nA,,,,//\n", R903_UASC "A,,,\n"));
        b_run_all_odd(rules_903_episodes_b3, TABLES(HDR, EPS, OC2, OC3, PP, R903_UASC));
        /* The postcode rules with nothing to look up. */
        for (int y = 2023; y <= 2027; y++) {
                static const char *const codes[] = {"392c", "392d", "411", "420", "1015"};
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        run_pc(&t, y, codes[i], NULL, NULL, EPS ",,,,,,,,,,,,\n");
                        assert_true(t.res.n <= 1);
                        r903_end(&t);
                }
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_543),       cmocka_unit_test(test_546),
            cmocka_unit_test(test_607),       cmocka_unit_test(test_625),
            cmocka_unit_test(test_628),       cmocka_unit_test(test_630),
            cmocka_unit_test(test_632),       cmocka_unit_test(test_634),
            cmocka_unit_test(test_1007_1016), cmocka_unit_test(test_1012),
            cmocka_unit_test(test_1014),      cmocka_unit_test(test_392c_392d),
            cmocka_unit_test(test_411),       cmocka_unit_test(test_420_454),
            cmocka_unit_test(test_1015),      cmocka_unit_test(test_1008),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
