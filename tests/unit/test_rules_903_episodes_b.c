/*
 * test_rules_903_episodes_b.c — the Episodes sequence and code rules of
 * src/rules/903/episodes_b.c: for each rule a passing case (no finding) and
 * a failing case naming the exact rows, worked out by hand from the rule's
 * definition; rules whose definition changed are run in the years where they
 * differ.  Data rows are numbered from 1 below the header.
 */
#include "rules903_b_test.h"

extern const struct rule_def rules_903_episodes_b[];

#define EPS R903_EPISODES
#define HDR R903_HEADER

/* ---------------------------------------------------------------- sequence */

static void test_388(void **state)
{
        (void)state;
        B_NONE(2025, "388",
               TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                          "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"
                          "B,01/05/2024,S,C2,N1,U6,PR1,10/05/2024,E4A,,,,\n"));
        /* 1: X1 but the next starts a day later; 2: next starts on DEC but REC is E4A;
         * 3: the last episode ends X1; B is open and fine. */
        B_EXPECT(2025, "388", "Episodes", ROWS(1, 2, 3),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                            "A,02/06/2024,P,C2,N1,U4,PR1,05/07/2024,E4A,,,,\n"
                            "A,05/07/2024,S,C2,N1,U4,PR1,10/07/2024,X1,,,,\n"
                            "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"));
}

static void test_431(void **state)
{
        (void)state;
        B_NONE(2025, "431",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                          "B,05/06/2024,S,C2,N1,U6,PR1,,,,,,\n"));
        B_EXPECT(2025, "431", "Episodes", ROWS(2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                            "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"));
}

static void test_432(void **state)
{
        (void)state;
        B_NONE(2025, "432",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                          "B,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"
                          "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                          "C,09/06/2024,S,C2,N1,U4,PR1,,,,,,\n"));
        B_EXPECT(2025, "432", "Episodes", ROWS(2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                            "A,09/06/2024,P,C2,N1,U4,PR1,,,,,,\n"));
}

static void test_433(void **state)
{
        (void)state;
        B_NONE(2025, "433",
               TABLES(EPS "B,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,,,\n"
                          "B,01/06/2024,L,C2,N1,U6,PR1,,,,,,\n"));
        /* A: a day's gap; C: the previous episode never ended. */
        B_EXPECT(2025, "433", "Episodes", ROWS(2, 4),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                            "A,02/06/2024,P,C2,N1,U4,PR1,,,,,,\n"
                            "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"
                            "C,01/07/2024,T,C2,N1,U4,PR1,,,,,,\n"));
}

static void test_434(void **state)
{
        (void)state;
        B_NONE(2025, "434",
               TABLES(EPS "A,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                          "A,01/06/2024,L,C2,N1,U6,PR1,,,,AB1,CD1,SC1\n"));
        /* B: LS unchanged; C: placement changed too. */
        B_EXPECT(2025, "434", "Episodes", ROWS(2, 4),
                 TABLES(EPS "B,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                            "B,01/06/2024,L,C1,N1,U6,PR1,,,,AB1,CD1,SC1\n"
                            "C,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                            "C,01/06/2024,L,C2,N1,U4,PR1,,,,AB1,CD1,SC1\n"));
}

static void test_435(void **state)
{
        (void)state;
        /* A: new placement type; D: both URNs blank, new postcode — still a move. */
        B_NONE(2025, "435",
               TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                          "A,01/06/2024,P,C2,N1,K2,PR4,,,,AB1,EF2,SC2\n"
                          "D,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,\n"
                          "D,01/06/2024,P,C2,N1,U6,PR1,,,,AB1,GH3,\n"));
        /* B: LS changed; C: nothing changed. */
        B_EXPECT(2025, "435", "Episodes", ROWS(2, 4),
                 TABLES(EPS "B,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                            "B,01/06/2024,P,C2,N1,K2,PR4,,,,AB1,EF2,SC2\n"
                            "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,\n"
                            "C,01/06/2024,T,C2,N1,U6,PR1,,,,AB1,CD1,\n"));
}

static void test_436(void **state)
{
        (void)state;
        B_NONE(2025, "436",
               TABLES(EPS "A,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                          "A,01/06/2024,B,C2,N1,K2,PR4,,,,AB1,EF2,SC2\n"));
        /* B: LS unchanged; C: placement unchanged. */
        B_EXPECT(2025, "436", "Episodes", ROWS(2, 4),
                 TABLES(EPS "B,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                            "B,01/06/2024,U,C1,N1,K2,PR4,,,,AB1,EF2,SC2\n"
                            "C,01/05/2024,S,C1,N1,U6,PR1,01/06/2024,X1,,AB1,CD1,SC1\n"
                            "C,01/06/2024,B,C2,N1,U6,PR1,,,,AB1,CD1,SC1\n"));
}

static void test_437(void **state)
{
        (void)state;
        B_NONE(2025, "437",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                          "B,01/06/2024,P,C2,N1,U4,PR1,03/07/2024,E2,,,,\n"));
        B_EXPECT(2025, "437", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E15,,,,\n"
                            "A,05/06/2024,S,C2,N1,U4,PR1,,,,,,\n"));
}

static void test_501(void **state)
{
        (void)state;
        B_NONE(2025, "501",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,,,,\n"
                          "B,10/06/2024,P,C2,N1,U4,PR1,,,,,,\n"));
        B_EXPECT(2025, "501", "Episodes", ROWS(2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,,,,\n"
                            "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"));
}

static void test_504(void **state)
{
        (void)state;
        /* B keeps N1; C starts a new period of care with N3. */
        B_NONE(2025, "504",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                          "B,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"
                          "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                          "C,05/06/2024,S,C2,N3,U4,PR1,,,,,,\n"));
        B_EXPECT(2025, "504", "Episodes", ROWS(2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                            "A,01/06/2024,P,C2,N2,U4,PR1,,,,,,\n"));
}

/* ---------------------------------------------------------------- one episode */

static void test_389(void **state)
{
        (void)state;
        /* B turned 16 on the day it left; C has no DOB (cannot be judged). */
        B_NONE(2025, "389",
               TABLES(HDR "B,M,01/06/2008,WBRI,UN1,,\nC,M,,WBRI,UN1,,\n",
                      EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E7,,,,\n"
                          "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E7,,,,\n"));
        B_EXPECT(2025, "389", "Episodes", ROWS(2),
                 TABLES(HDR "A,M,02/06/2008,WBRI,UN1,,\n",
                        EPS "A,01/04/2024,S,C2,N1,U6,PR1,01/05/2024,X1,,,,\n"
                            "A,01/05/2024,P,C2,N1,U6,PR1,01/06/2024,E7,,,,\n"));
}

static void test_390(void **state)
{
        (void)state;
        B_NONE(2025, "390", TABLES(EPS "A,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E12,,,,\n"));
        B_EXPECT(2025, "390", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,E1,N1,U1,PR1,01/06/2024,E11,,,,\n"
                            "B,01/05/2024,S,E1,N1,U1,PR1,01/06/2024,E4A,,,,\n"));
}

static void test_398(void **state)
{
        (void)state;
        B_NONE(2025, "398",
               TABLES(EPS "A,01/05/2024,S,V4,N1,U6,PR1,,,,,,\n"
                          "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,EF3 4GH,\n"));
        B_EXPECT(2025, "398", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,V3,N1,U6,PR1,,,,AB1 2CD,,\n"));
}

static void test_399(void **state)
{
        (void)state;
        /* B has a C2 episode as well; C is V4 only but has nothing to report. */
        B_NONE(2025, "399",
               TABLES(HDR "B,F,01/01/2010,WBRI,UN1,0,\nC,M,01/01/2010,WBRI,UN1,,\n",
                      EPS "B,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                          "B,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"
                          "C,01/05/2024,S,V4,N1,U6,PR1,,,,,,\n",
                      R903_REVIEWS "B,01/01/2010,01/09/2024,PN1\n"));
        struct r903 t;
        b_run(&t, 2025, "399",
              TABLES(HDR "A,F,01/01/2010,WBRI,UN1,0,\n",
                     EPS "A,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                         "A,01/06/2024,S,V3,N1,U6,PR1,02/06/2024,E8,,,,\n",
                     R903_REVIEWS "A,01/01/2010,01/09/2024,PN1\n"));
        assert_int_equal(t.res.n, 4);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "Episodes", 2));
        assert_true(b_has(&t, "Header", 1) && b_has(&t, "Reviews", 1));
        r903_end(&t);
}

static void test_407(void **state)
{
        (void)state;
        B_NONE(2025, "407",
               TABLES(HDR "B,F,01/01/2008,WBRI,UN1,,\n",
                      EPS "B,01/05/2024,S,C2,N1,U6,PR1,05/05/2024,E45,,,,\n"));
        struct r903 t;
        b_run(&t, 2025, "407",
              TABLES(HDR "B,F,01/01/2008,WBRI,UN1,,\nA,F,01/01/2006,WBRI,UN1,,\n",
                     EPS "B,01/05/2024,S,C2,N1,U6,PR1,05/05/2024,E45,,,,\n"
                         "A,01/05/2024,S,C2,N1,U6,PR1,05/05/2024,E48,,,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 2) && b_has(&t, "Header", 2));
        r903_end(&t);
}

static void test_408(void **state)
{
        (void)state;
        B_NONE(2025, "408", TABLES(EPS "A,01/05/2024,S,E1,N1,A6,PR1,,,,,,\n"));
        B_EXPECT(2025, "408", "Episodes", ROWS(1, 2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,A5,PR1,,,,,,\n"
                            "B,01/05/2024,S,,N1,A6,PR1,,,,,,\n"
                            "C,01/05/2024,S,C2,N1,A4,PR1,,,,,,\n"));
}

static void test_426(void **state)
{
        (void)state;
        B_NONE(2025, "426",
               TABLES(EPS "B,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                          "B,01/06/2024,S,V3,N1,U6,PR1,02/06/2024,E8,,,,\n"));
        B_EXPECT(2025, "426", "Episodes", ROWS(1, 3),
                 TABLES(EPS "A,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                            "A,01/06/2024,S,C2,N1,U6,PR1,02/06/2024,E8,,,,\n"
                            "A,01/07/2024,S,V4,N1,U6,PR1,,,,,,\n"));
}

static void test_442(void **state)
{
        (void)state;
        B_NONE(2025, "442",
               TABLES(HDR "B,M,01/01/2010,WBRI,,,\nC,M,01/01/2010,WBRI,UN1,,\n",
                      EPS "B,01/05/2024,S,V3,N1,U6,PR1,,,,,,\n"
                          "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"));
        B_EXPECT(2025, "442", "Header", ROWS(2),
                 TABLES(HDR "B,M,01/01/2010,WBRI,,,\nA,M,01/01/2010,WBRI,,,\n",
                        EPS "B,01/05/2024,S,V3,N1,U6,PR1,,,,,,\n"
                            "A,01/05/2024,S,V3,N1,U6,PR1,02/05/2024,E8,,,,\n"
                            "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"));
}

static void test_445_446_451(void **state)
{
        (void)state;
        B_NONE(2024, "445", TABLES(EPS "A,31/12/2005,S,D1,N1,U6,PR1,01/06/2023,E11,,,,\n"));
        B_EXPECT(2024, "445", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/01/2006,S,D1,N1,U6,PR1,01/06/2023,E11,,,,\n"));
        /* Freeing-order rules left the rule set in 2024/25. */
        assert_null(rules_find(RULES_903, 2025, "445"));
        assert_null(rules_find(RULES_903, 2025, "451"));
        assert_non_null(rules_find(RULES_903, 2027, "446"));

        B_NONE(2025, "446", TABLES(EPS "A,01/12/2005,S,E1,N1,U6,PR1,,,,,,\n"));
        B_EXPECT(2025, "446", "Episodes", ROWS(1),
                 TABLES(EPS "A,30/11/2005,S,E1,N1,U6,PR1,,,,,,\n"));

        B_NONE(2023, "451", TABLES(EPS "A,01/05/2005,S,D1,N1,U6,PR1,01/06/2022,E11,,,,\n"));
        B_EXPECT(2023, "451", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2005,S,D1,N1,U6,PR1,,,,,,\n"));
}

static void test_516(void **state)
{
        (void)state;
        B_NONE(2025, "516", TABLES(EPS "A,01/05/2024,S,C2,N1,U3,PR1,01/06/2024,E46,,,,\n"));
        B_EXPECT(2025, "516", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,K2,PR4,01/06/2024,E45,,,,\n"));
}

static void test_526(void **state)
{
        (void)state;
        /* Until 2024/25 Z1 needs no provider; from 2025/26 Z11–Z14 do not, Z1 does. */
        B_EXPECT(2025, "526", "Episodes", ROWS(2, 3),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,Z1,,,,,,,\n"
                            "B,01/05/2024,S,C2,N1,U6,,,,,,,\n"
                            "C,01/05/2024,S,C2,N1,Z11,,,,,,,\n"
                            "D,01/05/2024,S,C2,N1,T1,,,,,,,\n"));
        B_EXPECT(2026, "526", "Episodes", ROWS(1, 2),
                 TABLES(EPS "A,01/05/2025,S,C2,N1,Z1,,,,,,,\n"
                            "B,01/05/2025,S,C2,N1,U6,,,,,,,\n"
                            "C,01/05/2025,S,C2,N1,Z11,,,,,,,\n"
                            "D,01/05/2025,S,C2,N1,T1,,,,,,,\n"));
        B_NONE(2026, "526", TABLES(EPS "A,01/05/2025,S,C2,N1,U6,PR1,,,,,,\n"));
}

static void test_provider_codes(void **state)
{
        (void)state;
        static const struct {
                const char *code, *bad_place, *bad_prov, *good_place;
        } cases[] = {
            {"527", "P1", "PR1", "R1"}, {"528", "R5", "PR2", "K2"}, {"529", "K2", "PR3", "R2"},
            {"530", "P1", "PR4", "K2"}, {"531", "P1", "PR5", "U6"}, {"550", "U6", "PR0", "P1"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                char csv[512];
                snprintf(csv, sizeof csv,
                         EPS "A,01/05/2024,S,C2,N1,%s,%s,,,,,,\nB,01/05/2024,S,C2,N1,%s,%s,,,,,,\n",
                         cases[i].good_place, cases[i].bad_prov, cases[i].bad_place,
                         cases[i].bad_prov);
                B_EXPECT(2025, cases[i].code, "Episodes", ROWS(2), TABLES(csv));
        }
        /* 550 also catches a blank PLACE with PR0. */
        B_EXPECT(2025, "550", "Episodes", ROWS(1), TABLES(EPS "A,01/05/2024,S,C2,N1,,PR0,,,,,,\n"));
}

static void test_1009(void **state)
{
        (void)state;
        B_NONE(2026, "1009",
               TABLES(EPS "A,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,X1,CUSTOD,,,\n"
                          "A,01/06/2025,P,C2,N1,U4,PR1,,,,,,\n"));
        B_EXPECT(2026, "1009", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,X1,MOVED,,,\n"
                            "A,01/06/2025,P,C2,N1,U4,PR1,,,,,,\n"));
}

/* Blank cells, invalid dates, no Header, unknown codes: no crash, only real rows. */
static void test_odd_data(void **state)
{
        (void)state;
        b_run_all_odd(rules_903_episodes_b,
                      TABLES(HDR "Z,,,,,,\n",
                             EPS "A,,,,,,,,,,,,\nA,31/02/2024,X,,,,,99/99/9999,X1,,,,\n"
                                 "B,01/05/2024,S,V3,,,,,E2,,,,\n,,,,,,,,,,,,\n",
                             R903_REVIEWS "A,,,\n"));
        b_run_all_odd(rules_903_episodes_b, TABLES(HDR, EPS, R903_REVIEWS));
        /* An invalid DEC is not a date, so 501 cannot compare with it. */
        B_NONE(2025, "501",
               TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,40/06/2024,X1,,,,\n"
                          "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_388),         cmocka_unit_test(test_431),
            cmocka_unit_test(test_432),         cmocka_unit_test(test_433),
            cmocka_unit_test(test_434),         cmocka_unit_test(test_435),
            cmocka_unit_test(test_436),         cmocka_unit_test(test_437),
            cmocka_unit_test(test_501),         cmocka_unit_test(test_504),
            cmocka_unit_test(test_389),         cmocka_unit_test(test_390),
            cmocka_unit_test(test_398),         cmocka_unit_test(test_399),
            cmocka_unit_test(test_407),         cmocka_unit_test(test_408),
            cmocka_unit_test(test_426),         cmocka_unit_test(test_442),
            cmocka_unit_test(test_445_446_451), cmocka_unit_test(test_516),
            cmocka_unit_test(test_526),         cmocka_unit_test(test_provider_codes),
            cmocka_unit_test(test_1009),        cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
