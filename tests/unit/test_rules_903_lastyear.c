/*
 * test_rules_903_lastyear.c — the rules of src/rules/903/lastyear.c that
 * compare this year's return with last year's tables.  Each rule has a
 * passing and a failing case with the exact rows reported, worked out by
 * hand; 503D is run in every set where its tolerance differs.  Collection
 * year 2024/25 (1 April 2024 – 31 March 2025) unless stated.
 *
 * Postcode cases use AB1 2CD (400000, 500000) and AB3 4EF (403000, 504000)
 * in E06000001, the submitting authority, and EF5 6GH (410000, 510000) in
 * E06000002: AB1 2CD→AB3 4EF is 5000 m = 3.1 miles, AB1 2CD→EF5 6GH is
 * 14142 m = 8.8 miles.
 */
#include "rules903_b_test.h"

#include "returns/refdata.h"

extern const struct rule_def rules_903_lastyear[];

#define EPS  R903_EPISODES
#define HDR  R903_HEADER
#define OC3  R903_OC3
#define LAST "last:"

static const char POSTCODES[] = "pcd,oslaua,oseast1m,osnrth1m\n"
                                "AB1 2CD,E06000001,400000,500000\n"
                                "AB3 4EF,E06000001,403000,504000\n"
                                "EF5 6GH,E06000002,410000,510000\n";

/* Load `tables` with the postcode directory for E06000001 and run `code`. */
static void run_pc(struct r903 *t, int year, const char *code, const char *const *tables)
{
        struct err e;
        struct refdata_postcodes *pc =
            refdata_postcodes_mem("pc.csv", POSTCODES, strlen(POSTCODES), NULL, NULL, 0, &e);
        assert_non_null(pc);
        b_load(t, year, tables);
        struct ssda903_options opt = {
            .collection_year = year, .postcodes = pc, .la_code = "E06000001"};
        assert_int_equal(ssda903_finish(t->ld, &opt, &t->e), 0);
        rules_ctx_init_903(&t->ctx, t->ld, year);
        t->loaded = 1;
        t->ctx.postcodes = pc;
        t->ctx.la_code = "E06000001";
        r903_check(t, code);
        refdata_postcodes_free(pc);
}

static void pc_expect(int year, const char *code, const char *const *tables, const long *rows,
                      size_t n)
{
        struct r903 t;
        print_message("rule %s (%d) with postcodes: expecting %zu finding(s)\n", code, year, n);
        run_pc(&t, year, code, tables);
        r903_expect_rows(&t, "Episodes", rows, n);
        r903_end(&t);
}

/* ---------------------------------------------------------------- 503x */

/* Last year every child ended in the same open episode. */
#define LAST_OPEN(c) c ",01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"

static void test_503_fields(void **state)
{
        (void)state;
        const char *last = LAST EPS LAST_OPEN("A") LAST_OPEN("B") LAST_OPEN("C") LAST_OPEN("D")
            LAST_OPEN("E") LAST_OPEN("F") LAST_OPEN("G") LAST_OPEN("H");
        /* A continues unchanged; B–G each differ in one field; H has a second, later
         * episode this year, which is not compared. */
        const char *now =
            EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "B,01/01/2024,P,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "C,01/01/2024,S,C1,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "D,01/01/2024,S,C2,N2,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "E,01/01/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "F,01/01/2024,S,C2,N1,U6,PR4,,,,AB1 2CD,AB3 4EF,SC111111\n"
                "G,01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC222222\n"
                "H,01/01/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,AB1 2CD,AB3 4EF,SC111111\n"
                "H,01/06/2024,P,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC333333\n";
        B_EXPECT(2025, "503A", "Episodes", ROWS(2), TABLES(now, last));
        B_EXPECT(2025, "503B", "Episodes", ROWS(3), TABLES(now, last));
        B_EXPECT(2025, "503C", "Episodes", ROWS(4), TABLES(now, last));
        B_EXPECT(2025, "503D", "Episodes", ROWS(5), TABLES(now, last));
        B_EXPECT(2025, "503E", "Episodes", ROWS(6), TABLES(now, last));
        B_EXPECT(2025, "503F", "Episodes", ROWS(7), TABLES(now, last));
        /* Last year's episode closed: nothing to compare. */
        B_NONE(2025, "503B",
               TABLES(EPS "A,01/04/2024,S,C1,N1,U6,PR1,,,,,,\n",
                      LAST EPS "A,01/01/2024,S,C2,N1,U6,PR1,31/03/2024,E4A,,,,\n"));
}

static void test_503D_years(void **state)
{
        (void)state;
        const char *last = LAST EPS "A,01/01/2023,S,C2,N1,H5,PR4,,,,,,\n"
                                    "B,01/01/2023,S,C2,N1,H5,PR4,,,,,,\n"
                                    "C,01/01/2023,S,C2,N1,Z1,PR4,,,,,,\n";
        const char *now = EPS "A,01/01/2023,S,C2,N1,K3,PR4,,,,,,\n"
                              "B,01/01/2023,S,C2,N1,U6,PR1,,,,,,\n"
                              "C,01/01/2023,S,C2,N1,Z12,PR4,,,,,,\n";
        /* 2022/23: no tolerance; 2023/24 and 2024/25: H5→K3; 2025/26 on: Z1→Z11–Z14. */
        B_EXPECT(2023, "503D", "Episodes", ROWS(1, 2, 3), TABLES(now, last));
        B_EXPECT(2024, "503D", "Episodes", ROWS(2, 3), TABLES(now, last));
        B_EXPECT(2025, "503D", "Episodes", ROWS(2, 3), TABLES(now, last));
        B_EXPECT(2026, "503D", "Episodes", ROWS(1, 2), TABLES(now, last));
        B_EXPECT(2027, "503D", "Episodes", ROWS(1, 2), TABLES(now, last));
}

static void test_postcode_comparisons(void **state)
{
        (void)state;
        /* A moved to EF5 6GH (other LA, 8.8 miles) in a continuing episode; B changed RNE;
         * C unchanged. */
        const char *const *tables =
            TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,EF5 6GH,SC111111\n"
                       "B,01/01/2024,P,C2,N1,U6,PR1,,,,AB1 2CD,EF5 6GH,SC111111\n"
                       "C,01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,SC111111\n",
                   LAST EPS LAST_OPEN("A") LAST_OPEN("B") LAST_OPEN("C"));
        pc_expect(2025, "452", tables, ROWS(1));
        pc_expect(2025, "453", tables, ROWS(1));
        pc_expect(2025, "503G", tables, ROWS(1, 2));
        pc_expect(2025, "503H", tables, ROWS(1, 2));
        pc_expect(2025, "503J", tables, ROWS(1, 2));
        /* A distance on one side only is a change for 503G. */
        pc_expect(2025, "503G",
                  TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,,SC111111\n",
                         LAST EPS LAST_OPEN("A")),
                  ROWS(1));
}

/* ---------------------------------------------------------------- 502, 562 */

static void test_502(void **state)
{
        (void)state;
        B_EXPECT(2025, "502", "Episodes", ROWS(2),
                 TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "B,05/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "C,05/01/2024,S,C2,N1,U6,PR1,,,,,,\n",
                        LAST EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                                 "B,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                                 "C,01/01/2024,S,C2,N1,U6,PR1,02/01/2024,E4A,,,,\n"));
}

static void test_562(void **state)
{
        (void)state;
        /* B's first episode is not last year's latest; C has none last year; D began this
         * year. */
        B_EXPECT(2025, "562", "Episodes", ROWS(2, 3),
                 TABLES(EPS "A,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "B,01/02/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "C,01/03/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "D,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
                        LAST EPS "A,01/06/2023,S,C2,N1,U6,PR1,01/01/2024,X1,,,,\n"
                                 "A,01/01/2024,P,C2,N1,U6,PR1,,,,,,\n"
                                 "B,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"));
}

/* ---------------------------------------------------------------- UASC and postcodes */

static void test_392ab_406(void **state)
{
        (void)state;
        /* A has both postcodes; B has no placement postcode; C is UASC now; D was UASC last
         * year; E is on short breaks. */
        const char *const *tables =
            TABLES(HDR "A,M,01/01/2010,WBRI,UN1,,\nB,M,01/01/2010,WBRI,UN1,,\n"
                       "C,M,01/01/2008,WBRI,UN2,,\nD,M,01/01/2008,WBRI,UN2,,\n"
                       "E,M,01/01/2010,WBRI,UN1,,\n",
                   EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n"
                       "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,,\n"
                       "C,01/05/2024,S,V2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n"
                       "D,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,AB3 4EF,\n"
                       "E,01/05/2024,S,V3,N1,U6,PR1,,,,,,\n",
                   R903_UASC "C,M,01/01/2008,\n", LAST HDR "D,M,01/01/2008,WBRI,UN2,,\n",
                   LAST R903_UASC "D,M,01/01/2008,01/01/2024\n");
        pc_expect(2025, "392a", tables, ROWS(2));
        pc_expect(2025, "392b", tables, ROWS(2));
        pc_expect(2025, "406", tables, ROWS(3, 4));
}

/* ---------------------------------------------------------------- care leavers */

static void test_1000_1002_1010_1011(void **state)
{
        (void)state;
        B_EXPECT(2025, "1000", "OC3", ROWS(1, 2),
                 TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E2,,,,\n"
                            "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                        OC3
                        "A,01/01/2006,DIED,0,0\nB,01/01/2006,DIED,0,0\nC,01/01/2006,YES,F1,B1\n",
                        LAST EPS "A,01/05/2023,S,C2,N1,U6,PR1,01/06/2023,E2,,,,\n"));
        /* A: 16 on 01/06/2023, within last year, yet no episodes either year; B: last year
         * only; C: this year only; D: 16 before last year began, so its care may be older. */
        B_EXPECT(2025, "1002", "OC3", ROWS(1),
                 TABLES(EPS "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                        OC3 "A,01/06/2007,YES,F1,B1\nB,01/06/2007,YES,F1,B1\n"
                            "C,01/06/2007,YES,F1,B1\nD,01/01/2006,YES,F1,B1\n",
                        LAST EPS "B,01/05/2023,S,C2,N1,U6,PR1,01/06/2023,E4A,,,,\n"));
        /* A: open at the end of last year, nothing this year; B: closed; C: episodes now. */
        B_EXPECT(2025, "1010", "OC3", ROWS(1),
                 TABLES(EPS "C,01/05/2023,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                        OC3
                        "A,01/01/2006,YES,F1,B1\nB,01/01/2006,YES,F1,B1\nC,01/01/2006,YES,F1,B1\n",
                        LAST EPS "A,01/01/2023,S,C2,N1,U6,PR1,01/05/2023,X1,,,,\n"
                                 "A,01/05/2023,P,C2,N1,U4,PR1,,,,,,\n"
                                 "B,01/05/2023,S,C2,N1,U6,PR1,01/06/2023,E4A,,,,\n"
                                 "C,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n"));
        /* A: last episode E3; B: last episode E4A (an earlier E3 does not count); C: E3 but
         * no details. */
        B_EXPECT(2025, "1011", "OC3", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E3,,,,\n"
                            "B,01/04/2024,S,C2,N1,U6,PR1,01/05/2024,E3,,,,\n"
                            "B,01/06/2024,S,C2,N1,U6,PR1,01/07/2024,E4A,,,,\n"
                            "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E3,,,,\n",
                        OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,YES,F1,B1\nC,01/01/2006,,,\n",
                        LAST EPS));
}

static void test_1001(void **state)
{
        (void)state;
        /* Last year began 01/04/2023.  Born 01/06/2007: 14 on 01/06/2021, 16 on 01/06/2023, so
         * time after 16 is seen in full; born 01/06/2006: 16 on 01/06/2022, before it. */
        const char *hdr = HDR "A,F,01/06/2007,WBRI,UN1,0,\nB,F,01/06/2006,WBRI,UN1,0,\n"
                              "C,F,01/06/2006,WBRI,UN1,0,\nD,F,01/06/2007,WBRI,UN1,0,\n"
                              "E,F,01/06/2007,WBRI,UN1,0,\nF,F,01/06/2004,WBRI,UN1,0,\n"
                              "H,F,01/06/2007,WBRI,UN1,0,\nI,F,01/06/2007,WBRI,UN1,0,\n"
                              "J,F,01/06/2007,WBRI,UN1,0,\n";
        const char *oc3 = OC3 "A,01/06/2007,YES,F1,B1\nB,01/06/2006,YES,F1,B1\n"
                              "C,01/06/2006,YES,F1,B1\nD,01/06/2007,YES,F1,B1\n"
                              "E,01/06/2007,YES,F1,B1\nF,01/06/2004,YES,F1,B1\n"
                              "G,01/06/2007,YES,F1,B1\nH,01/06/2007,YES,F1,B1\n"
                              "I,01/06/2007,YES,F1,B1\nJ,01/06/2007,YES,F1,B1\n";
        /* A: 153 days from 14, 122 after 16: relevant.  B: 31 days, but care before last year
         * is not seen: not judged.  C: adopted.  D: short breaks only, nothing after 16.
         * E: in V3 short breaks since before 14 (so everything after 14 is seen), then 60 days
         * reported in both years, counted once: under 13 weeks.  F: 20 at 31 March.  G: no
         * Header.  H: no episodes (1002's case).  I: open from 01/12/2024 to 31 March, 120
         * days.  J: left care before 16. */
        const char *now = EPS "E,01/01/2024,S,C2,N1,U6,PR1,01/03/2024,E4A,,,,\n"
                              "I,01/12/2024,S,C2,N1,U6,PR1,,,,,,\n";
        const char *last = LAST EPS "A,01/05/2023,S,C2,N1,U6,PR1,01/10/2023,E4A,,,,\n"
                                    "B,01/01/2024,S,C2,N1,U6,PR1,01/02/2024,E4A,,,,\n"
                                    "C,01/01/2023,S,C2,N1,A4,PR1,01/06/2023,E11,,,,\n"
                                    "D,01/01/2023,S,V3,N1,U6,PR1,01/06/2023,E8,,,,\n"
                                    "E,01/01/2019,S,V3,N1,U6,PR1,05/04/2023,E8,,,,\n"
                                    "E,01/01/2024,S,C2,N1,U6,PR1,01/03/2024,E4A,,,,\n"
                                    "F,01/01/2023,S,C2,N1,U6,PR1,01/02/2023,E4A,,,,\n"
                                    "G,01/01/2024,S,C2,N1,U6,PR1,01/02/2024,E4A,,,,\n"
                                    "J,01/05/2023,S,C2,N1,U6,PR1,20/05/2023,E4A,,,,\n";
        B_EXPECT(2025, "1001", "OC3", ROWS(3, 4, 5, 10), TABLES(hdr, oc3, now, last));
        /* An empty table (here last year's Episodes) means nothing can be judged. */
        B_NONE(2025, "1001", TABLES(hdr, oc3, now, LAST EPS));
}

static void test_odd_data(void **state)
{
        (void)state;
        b_run_all_odd(rules_903_lastyear,
                      TABLES(HDR "A,,,,,,\n",
                             EPS "A,,,,,,,,,,,,\nA,31/02/2024,S,E1,,,,99/99/9999,E3,,,,\n"
                                 ",,,,,,,,,,,,\n",
                             OC3 "A,,YES,,\nQ,31/02/2007,,,\n",
                             LAST EPS "A,,,,,,,,,,,,\nA,xx,S,,,,,,,,,,\n", LAST HDR "A,,,,,,\n"));
        b_run_all_odd(rules_903_lastyear, TABLES(HDR, EPS, OC3, LAST EPS));
        /* The postcode rules too, with the directory applied to odd rows. */
        for (const struct rule_def *d = rules_903_lastyear; d->code; d++) {
                if (!(d->needs & RULE_NEEDS_POSTCODES))
                        continue;
                for (int y = 2023; y <= 2027; y++) {
                        if (!(d->years & RULES_Y(y)))
                                continue;
                        struct r903 t;
                        run_pc(&t, y, d->code,
                               TABLES(EPS ",,,,,,,,,,,,\nA,xx,S,,,,,,,,zz,AB3 4EF,\n",
                                      LAST EPS "A,,,,,,,,,,,,\n"));
                        assert_true(t.res.n <= 2);
                        r903_end(&t);
                }
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_503_fields),
            cmocka_unit_test(test_503D_years),
            cmocka_unit_test(test_postcode_comparisons),
            cmocka_unit_test(test_502),
            cmocka_unit_test(test_562),
            cmocka_unit_test(test_392ab_406),
            cmocka_unit_test(test_1000_1002_1010_1011),
            cmocka_unit_test(test_1001),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
