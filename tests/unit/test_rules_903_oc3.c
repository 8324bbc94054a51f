/*
 * test_rules_903_oc3.c — the SSDA903 OC3 rules (oc3.c): codes (131, 132,
 * 133), completeness and consistency (153, 344, 345), foyers for under-18s
 * (347, from 2023/24), age (391), a death last year (348, from 2025/26) and
 * adoption or 12-month cohort data alongside (134, 187).
 *
 * Cases are worked out by hand for the 2024/25 set (2025: 01/04/2024 to
 * 31/03/2025) unless stated.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

#define CLA(id)  id ",01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
#define NEW(id)  id ",01/06/2024,S,C2,N1,U4,PR1,,,,,,\n"
#define AD1_FULL ",01/01/2024,01/02/2024,0,1,F1,L0\n"

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

/* ---------------------------------------------------------------- codes */

static void test_131(void **state)
{
        (void)state;
        check(2025, "131",
              T(R903_OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,MAYBE,F1,B1\nC,01/01/2006,,,\n"
                         "D,01/01/2006,yes,F1,B1\nE,01/01/2006,REFUSE,0,0\n"),
              NULL, "OC3", ROWS(2, 5));
        check(2023, "131", T(R903_OC3 "A,01/01/2004,NREQ,0,0\n"), NULL, NONE);
}

static void test_132(void **state)
{
        (void)state;
        check(2025, "132",
              T(R903_OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,YES,F3,B1\nC,01/01/2006,NO,0,0\n"
                         "D,01/01/2006,YES,1,B1\nE,01/01/2006,,,\n"),
              NULL, "OC3", ROWS(2, 4));
}

static void test_133(void **state)
{
        (void)state;
        check(2025, "133",
              T(R903_OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,YES,F1,S1\nC,01/01/2006,YES,F1,X1\n"
                         "D,01/01/2006,YES,F1,X2\nE,01/01/2006,NO,0,0\nF,01/01/2006,YES,F1,T\n"),
              NULL, "OC3", ROWS(2, 3, 6));
}

/* ---------------------------------------------------------------- consistency */

static void test_153(void **state)
{
        (void)state;
        check(2025, "153",
              T(R903_OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,,,\nC,01/01/2006,YES,,\n"
                         "D,01/01/2006,,F1,B1\n"),
              NULL, "OC3", ROWS(3, 4));
}

static void test_344(void **state)
{
        (void)state;
        check(2025, "344",
              T(R903_OC3 "A,01/01/2006,DIED,0,0\nB,01/01/2006,RHOM,F2,0\nC,01/01/2006,DIED,0,B1\n"
                         "D,01/01/2006,DIED,,\nE,01/01/2006,YES,F2,B1\n"),
              NULL, "OC3", ROWS(2, 3));
}

static void test_345(void **state)
{
        (void)state;
        check(2025, "345",
              T(R903_OC3 "A,01/01/2006,YES,0,B1\nB,01/01/2006,YES,F2,0\nC,01/01/2006,YES,F2,B1\n"
                         "D,01/01/2006,NO,0,0\n"),
              NULL, "OC3", ROWS(1, 2));
}

static void test_347(void **state)
{
        (void)state;
        /* A turns 18 on 01/04/2025, after the year; B on 31/03/2025. */
        check(
            2025, "347",
            T(R903_OC3 "A,01/04/2007,YES,F2,T1\nB,31/03/2007,YES,F2,T2\nC,01/04/2007,YES,F2,B1\n"),
            NULL, "OC3", ROWS(1));
        /* Header's DOB when OC3's is blank. */
        check(2027, "347", T(R903_HEADER "A,M,01/06/2009,WBRI,UN1,,\n", R903_OC3 "A,,YES,F2,T2\n"),
              NULL, "OC3", ROWS(1));
        /* Added in 2023/24. */
        assert_null(rules_find(RULES_903, 2023, "347"));
        assert_non_null(rules_find(RULES_903, 2024, "347"));
}

static void test_391(void **state)
{
        (void)state;
        check(2025, "391",
              T(R903_OC3 "A,01/04/2008,YES,F2,B1\nB,31/03/2008,YES,F2,B1\nC,01/04/2008,,,\n"), NULL,
              "OC3", ROWS(1));
}

static void test_348(void **state)
{
        (void)state;
        check(2026, "348",
              T(R903_OC3 "A,01/01/2005,YES,F2,B1\nB,01/01/2005,YES,F2,B1\nC,01/01/2005,DIED,0,0\n"
                         "D,01/01/2005,NO,0,0\n"),
              T(R903_OC3 "A,01/01/2005,DIED,0,0\nB,01/01/2005,YES,F2,B1\nC,01/01/2005,DIED,0,0\n"),
              "OC3", ROWS(1));
        check(2027, "348", T(R903_OC3 "A,01/01/2005,DIED,0,0\n"),
              T(R903_OC3 "A,01/01/2005,DIED,0,0\n"), NONE);
        assert_null(rules_find(RULES_903, 2025, "348"));
        const struct rule_def *d = rules_find(RULES_903, 2026, "348");
        assert_non_null(d);
        assert_true(d->needs & RULE_NEEDS_LAST_YEAR);
}

/* ---------------------------------------------------------------- other tables */

static void test_134(void **state)
{
        (void)state;
        check(2025, "134",
              T(R903_OC3 "A,01/01/2006,YES,F1,B1\nB,01/01/2006,,,\nC,01/01/2006,NO,0,0\n",
                R903_AD1 "A,01/01/2006" AD1_FULL "B,01/01/2006" AD1_FULL "C,01/01/2006,,,,,,\n"),
              NULL, "AD1", ROWS(1));
}

static void test_187(void **state)
{
        (void)state;
        struct r903 t;
        r903_begin(&t, 2025);
        r903_table(&t, R903_EPISODES CLA("A") CLA("B") NEW("C"));
        r903_table(&t, R903_OC3 "A,01/01/2006,YES,F1,B1\nC,01/01/2006,YES,F1,B1\n");
        r903_table(&t, R903_AD1 "B,01/01/2016" AD1_FULL "D,01/01/2016" AD1_FULL);
        assert_int_equal(r903_check(&t, "187"), 2);
        int oc3 = 0, ad1 = 0;
        for (size_t i = 0; i < t.res.n; i++) {
                if (strcmp(t.res.f[i].table, "OC3") == 0 && t.res.f[i].row == 1)
                        oc3++;
                if (strcmp(t.res.f[i].table, "AD1") == 0 && t.res.f[i].row == 1)
                        ad1++;
        }
        assert_int_equal(oc3, 1);
        assert_int_equal(ad1, 1);
        r903_end(&t);
        check(2025, "187", T(R903_EPISODES NEW("C"), R903_OC3 "C,01/01/2006,YES,F1,B1\n", R903_AD1),
              NULL, NONE);
}

/* Odd data: blank CHILD, bad dates, empty tables; nothing crashes or fires on them. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"131", "132", "133", "134", "153", "187",
                                            "344", "345", "347", "348", "391"};
        for (int y = 2024; y <= 2027; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        if (!rules_find(RULES_903, y, codes[i]))
                                continue;
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, R903_EPISODES ",99/99/2020,S,,,,,,,,,,\n");
                        r903_table(&t, R903_OC3 ",,,,\nA,31/02/2009,DIED,0,0\n");
                        r903_table(&t, R903_AD1);
                        r903_last(&t, R903_OC3);
                        assert_int_equal(r903_check(&t, codes[i]), 0);
                        r903_end(&t);
                }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_131), cmocka_unit_test(test_132), cmocka_unit_test(test_133),
            cmocka_unit_test(test_153), cmocka_unit_test(test_344), cmocka_unit_test(test_345),
            cmocka_unit_test(test_347), cmocka_unit_test(test_391), cmocka_unit_test(test_348),
            cmocka_unit_test(test_134), cmocka_unit_test(test_187), cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
