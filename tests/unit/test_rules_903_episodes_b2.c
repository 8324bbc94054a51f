/*
 * test_rules_903_episodes_b2.c — the Episodes × adoption (AD1,
 * PlacedAdoption) and Episodes × Missing rules of src/rules/903/episodes_b2.c:
 * for each rule a passing case and a failing case with the exact rows
 * reported, worked out by hand.  The collection year is 2024/25 unless a
 * rule belongs to other years.
 */
#include "rules903_b_test.h"

extern const struct rule_def rules_903_episodes_b2[];

#define EPS R903_EPISODES
#define HDR R903_HEADER
#define AD1 R903_AD1
#define PA  R903_PLACED
#define MIS R903_MISSING

static void test_521(void **state)
{
        (void)state;
        B_NONE(2025, "521",
               TABLES(EPS "B,01/06/2024,S,E1,N1,A4,PR1,,,,,,\n",
                      AD1 "B,01/01/2015,01/05/2024,10/05/2024,0,2,MF,L11\n"));
        struct r903 t;
        b_run(&t, 2025, "521",
              TABLES(EPS "A,01/06/2024,S,E1,N1,A4,PR1,,,,,,\n",
                     AD1 "A,01/01/2015,01/07/2024,10/07/2024,0,2,MF,L11\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "AD1", 1));
        r903_end(&t);
        /* Two placements before the decision: both reported, the AD1 row once. */
        b_run(&t, 2025, "521",
              TABLES(EPS "A,01/06/2024,S,E1,N1,A4,PR1,05/06/2024,X1,,,,\n"
                         "A,05/06/2024,P,E1,N1,A6,PR1,,,,,,\n",
                     AD1 "A,01/01/2015,01/07/2024,10/07/2024,0,2,MF,L11\n"));
        assert_int_equal(t.res.n, 3);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "Episodes", 2) && b_has(&t, "AD1", 1));
        r903_end(&t);
}

static void test_551(void **state)
{
        (void)state;
        B_NONE(2025, "551",
               TABLES(EPS "C,01/06/2024,S,E1,N1,A6,PR1,,,,,,\nD,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n",
                      PA "C,01/01/2015,01/05/2024,,\n"));
        /* A: the decision row has no date; B: no decision row at all. */
        B_EXPECT(2025, "551", "Episodes", ROWS(1, 2),
                 TABLES(EPS "A,01/06/2024,S,E1,N1,A3,PR1,,,,,,\n"
                            "B,01/06/2024,S,E1,N1,A5,PR1,,,,,,\n"
                            "C,01/06/2024,S,E1,N1,A6,PR1,,,,,,\n",
                        PA "A,01/01/2015,,,\nC,01/01/2015,01/05/2024,,\n"));
}

static void test_552(void **state)
{
        (void)state;
        B_NONE(2025, "552",
               TABLES(EPS "B,01/06/2024,S,E1,N1,A4,PR1,,,,,,\n", PA "B,01/01/2015,01/05/2024,,\n"));
        /* The latest decision (10/06) is after the first adoption placement (01/06). */
        struct r903 t;
        b_run(&t, 2025, "552",
              TABLES(EPS "A,01/04/2024,S,E1,N1,U6,PR1,01/06/2024,X1,,,,\n"
                         "A,01/06/2024,P,E1,N1,A4,PR1,,,,,,\n",
                     PA "A,01/01/2015,01/05/2024,02/05/2024,RD1\nA,01/01/2015,10/06/2024,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 2) && b_has(&t, "PlacedAdoption", 2));
        r903_end(&t);
}

static void test_553_555(void **state)
{
        (void)state;
        B_NONE(2025, "553",
               TABLES(EPS "C,01/05/2024,S,E1,N1,U6,PR1,01/06/2024,E13,,,,\n",
                      PA "C,01/01/2015,01/04/2024,01/06/2024,RD1\n"));
        /* A: E1 with no decision row; B: E1 still open but the decision is reversed. */
        struct r903 t;
        b_run(&t, 2025, "553",
              TABLES(EPS "A,01/05/2024,S,E1,N1,U6,PR1,,,,,,\nB,01/05/2024,S,E1,N1,U6,PR1,,,,,,\n",
                     PA "B,01/01/2015,01/04/2024,01/06/2024,RD1\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "PlacedAdoption", 1));
        r903_end(&t);

        B_EXPECT(2024, "555", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2004,S,D1,N1,U6,PR1,,,,,,\n", PA));
        B_NONE(2024, "555",
               TABLES(EPS "A,01/05/2004,S,D1,N1,U6,PR1,,,,,,\n", PA "A,01/01/2000,01/04/2004,,\n"));
        assert_null(rules_find(RULES_903, 2025, "555"));
}

static void test_554_556(void **state)
{
        (void)state;
        B_NONE(2025, "554",
               TABLES(EPS "B,01/06/2024,S,E1,N1,U6,PR1,,,,,,\n", PA "B,01/01/2015,01/05/2024,,\n"));
        struct r903 t;
        b_run(&t, 2025, "554",
              TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                         "A,01/06/2024,L,E1,N1,U6,PR1,,,,,,\n",
                     PA "A,01/01/2015,01/07/2024,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 2) && b_has(&t, "PlacedAdoption", 1));
        r903_end(&t);

        B_NONE(2024, "556",
               TABLES(EPS "A,01/06/2004,S,D1,N1,U6,PR1,,,,,,\n", PA "A,01/01/2000,01/05/2004,,\n"));
        B_EXPECT(
            2024, "556", "Episodes", ROWS(1),
            TABLES(EPS "A,01/06/2004,S,D1,N1,U6,PR1,,,,,,\n", PA "A,01/01/2000,01/07/2004,,\n"));
}

static void test_557(void **state)
{
        (void)state;
        /* A freeing order (D1) counts until 2023/24 only. */
        const char *const *d1 = TABLES(EPS "A,01/05/2023,S,D1,N1,U6,PR1,01/06/2023,E13,,,,\n", PA);
        B_EXPECT(2024, "557", "Episodes", ROWS(1), d1);
        B_NONE(2025, "557", TABLES(EPS "A,01/05/2024,S,D1,N1,U6,PR1,01/06/2024,E13,,,,\n", PA));
        /* B left placed for adoption with the reversal incomplete; C was adopted. */
        B_NONE(2025, "557",
               TABLES(EPS "C,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                      PA "C,01/01/2015,01/04/2024,,\n"));
        struct r903 t;
        b_run(&t, 2025, "557",
              TABLES(EPS "B,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E13,,,,\n",
                     PA "B,01/01/2015,01/04/2024,,RD1\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "PlacedAdoption", 1));
        r903_end(&t);
}

static void test_558(void **state)
{
        (void)state;
        B_NONE(2025, "558",
               TABLES(EPS "B,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E12,,,,\n",
                      PA "B,01/01/2015,01/04/2023,01/05/2023,RD1\nB,01/01/2015,01/04/2024,,\n"));
        struct r903 t;
        b_run(&t, 2025, "558",
              TABLES(EPS "A,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                     PA "A,01/01/2015,01/04/2024,01/05/2024,RD1\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "PlacedAdoption", 1));
        r903_end(&t);
}

static void test_1003(void **state)
{
        (void)state;
        B_NONE(2025, "1003",
               TABLES(EPS "B,01/06/2024,S,E1,N1,U6,PR1,,,,,,\n", PA "B,01/01/2015,10/06/2024,,\n"));
        struct r903 t;
        b_run(&t, 2025, "1003",
              TABLES(EPS "A,01/06/2024,S,E1,N1,U6,PR1,,,,,,\n", PA "A,01/01/2015,01/05/2024,,\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "PlacedAdoption", 1));
        r903_end(&t);
}

static void test_582_601_602(void **state)
{
        (void)state;
        B_NONE(2025, "582",
               TABLES(EPS "B,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                      AD1 "B,01/01/2015,01/04/2024,01/05/2024,0,2,MF,L11\n"));
        B_EXPECT(2025, "582", "Episodes", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                        AD1 "A,01/01/2015,01/04/2024,01/06/2024,0,2,MF,L11\n"));

        /* B was adopted last year; C's details are complete. */
        B_NONE(2025, "601",
               TABLES(EPS "B,01/05/2022,S,E1,N1,A4,PR1,01/06/2023,E12,,,,\n"
                          "C,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                      AD1 "B,01/01/2015,01/04/2022,,0,2,MF,L11\n"
                          "C,01/01/2015,01/04/2024,01/05/2024,0,2,MF,L11\n"));
        struct r903 t;
        b_run(&t, 2025, "601",
              TABLES(EPS "A,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n",
                     AD1 "A,01/01/2015,01/04/2024,01/05/2024,0,,MF,L11\n"));
        assert_int_equal(t.res.n, 2);
        assert_true(b_has(&t, "Episodes", 1) && b_has(&t, "AD1", 1));
        r903_end(&t);

        /* A: details but no adoption; B: an empty AD1 row; C: adopted in the year. */
        B_EXPECT(2025, "602", "AD1", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E4A,,,,\n"
                            "C,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E12,,,,\n",
                        AD1 "A,01/01/2015,01/04/2024,01/05/2024,0,2,MF,L11\n"
                            "B,01/01/2015,,,,,,\n"
                            "C,01/01/2015,01/04/2024,01/05/2024,0,2,MF,L11\n"));
}

static void test_575(void **state)
{
        (void)state;
        B_NONE(
            2025, "575",
            TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n", MIS "B,01/01/2010,M,10/06/2024,\n"));
        B_EXPECT(2025, "575", "Missing", ROWS(2),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/07/2024,E4A,,,,\n",
                        MIS "A,01/01/2010,M,02/05/2024,03/05/2024\nA,01/01/2010,M,10/06/2024,\n"));
}

static void test_577_578(void **state)
{
        (void)state;
        /* B open; C ended inside its period; D is missing in its second, open period. */
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/07/2024,E4A,,,,\n"
                              "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"
                              "C,01/05/2024,S,C2,N1,U6,PR1,01/07/2024,E4A,,,,\n"
                              "D,01/04/2024,S,C2,N1,U6,PR1,01/05/2024,E4A,,,,\n"
                              "D,01/08/2024,S,C2,N1,U6,PR1,,,,,,\n";
        B_EXPECT(2025, "577", "Missing", ROWS(1),
                 TABLES(eps, MIS "A,01/01/2010,M,10/06/2024,\n"
                                 "B,01/01/2010,M,10/06/2024,\n"
                                 "C,01/01/2010,A,10/06/2024,15/06/2024\n"
                                 "D,01/01/2010,M,10/08/2024,\n"));
        /* A went missing after care ended; E has no episodes (other rules' concern). */
        B_EXPECT(2025, "578", "Missing", ROWS(1),
                 TABLES(eps, MIS "A,01/01/2010,M,10/08/2024,11/08/2024\n"
                                 "B,01/01/2010,M,10/08/2024,\n"
                                 "D,01/01/2010,M,10/04/2024,11/04/2024\n"
                                 "E,01/01/2010,M,10/04/2024,11/04/2024\n"));
        B_NONE(2025, "578", TABLES(eps, MIS "C,01/01/2010,A,10/06/2024,15/06/2024\n"));
}

static void test_580(void **state)
{
        (void)state;
        B_NONE(2025, "580",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,E8,,,,\n",
                      MIS "B,10/06/2006,M,01/06/2024,10/06/2024\n"));
        /* A's DOB comes from Header because Missing has none. */
        B_EXPECT(2025, "580", "Episodes", ROWS(1),
                 TABLES(HDR "A,F,10/06/2006,WBRI,UN1,0,\n",
                        EPS "A,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,E5,,,,\n",
                        MIS "A,,M,01/06/2024,10/06/2024\n"));
}

static void test_581(void **state)
{
        (void)state;
        B_NONE(2025, "581",
               TABLES(EPS "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
                      MIS "B,01/01/2010,M,10/06/2024,\nC,01/01/2010,M,10/06/2024,\n"));
        B_EXPECT(2025, "581", "Missing", ROWS(1),
                 TABLES(EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n",
                        MIS "A,01/01/2010,M,10/06/2024,11/06/2024\n"));
}

static void test_odd_data(void **state)
{
        (void)state;
        b_run_all_odd(rules_903_episodes_b2,
                      TABLES(HDR "Z,,,,,,\n",
                             EPS "A,,,,,A4,,,E11,,,,\nA,31/02/2024,S,E1,,A5,,99/99/9999,E13,,,,\n"
                                 ",,,,,,,,,,,,\n",
                             AD1 "A,,31/02/2024,,,,,\n", PA "A,,xx,yy,\n",
                             MIS "A,,M,31/02/2024,\nQ,,M,,\n"));
        b_run_all_odd(rules_903_episodes_b2, TABLES(HDR, EPS, AD1, PA, MIS));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_521),         cmocka_unit_test(test_551),
            cmocka_unit_test(test_552),         cmocka_unit_test(test_553_555),
            cmocka_unit_test(test_554_556),     cmocka_unit_test(test_557),
            cmocka_unit_test(test_558),         cmocka_unit_test(test_1003),
            cmocka_unit_test(test_582_601_602), cmocka_unit_test(test_575),
            cmocka_unit_test(test_577_578),     cmocka_unit_test(test_580),
            cmocka_unit_test(test_581),         cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
