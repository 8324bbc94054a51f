/*
 * test_rules_903_adoption.c — the SSDA903 adoption rules (adoption.c): AD1
 * values, completeness and adopters (112–177, 333, 511–524), matching before
 * placement (331), PlacedAdoption values and order (115–120, 522, 563, 579,
 * 583), agreement with AD1 (523, 525) and with last year's return (559, 560,
 * 561, 584).
 *
 * Cases are worked out by hand for the 2024/25 set (2025: 01/04/2024 to
 * 31/03/2025); every rule here is in every set, and a few cases run in other
 * years to show it.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

/* AD1 row: child, then DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR. */
#define AD(id, items) id ",01/01/2016," items "\n"
/* PlacedAdoption row: child, then DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED. */
#define PA(id, items) id ",01/01/2016," items "\n"

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

/* ---------------------------------------------------------------- AD1 */

static void test_112_113(void **state)
{
        (void)state;
        check(2025, "112",
              T(R903_AD1 AD("A", "31/02/2024,01/03/2024,0,1,F1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,1,F1,L0") AD("C", ",,,,,")),
              NULL, "AD1", ROWS(1));
        check(2025, "113",
              T(R903_AD1 AD("A", "01/02/2024,2024-03-01,0,1,F1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,1,F1,L0") AD("C", ",,,,,")),
              NULL, "AD1", ROWS(1));
        check(2023, "113", T(R903_AD1 AD("B", "01/02/2022,01/03/2022,0,1,F1,L0")), NULL, NONE);
}

static void test_114_175_176_177(void **state)
{
        (void)state;
        check(2025, "114",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0") AD(
                  "B", "01/02/2024,01/03/2024,1,1,F1,L0") AD("C", "01/02/2024,01/03/2024,2,1,F1,L0")
                    AD("D", "01/02/2024,01/03/2024,Y,1,F1,L0") AD("E", ",,,,,")),
              NULL, "AD1", ROWS(3, 4));
        check(2025, "175",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,2,MF,L11")
                        AD("C", "01/02/2024,01/03/2024,0,0,F1,L0")
                            AD("D", "01/02/2024,01/03/2024,0,3,F1,L0")),
              NULL, "AD1", ROWS(3, 4));
        check(2025, "176",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,m1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,1,XX,L0")),
              NULL, "AD1", ROWS(2));
        check(2025, "177",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,2,MF,L1")
                        AD("C", "01/02/2024,01/03/2024,0,2,MF,l2")),
              NULL, "AD1", ROWS(2));
}

static void test_151(void **state)
{
        (void)state;
        check(2025, "151",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0") AD("B", ",,,,,")
                    AD("C", "01/02/2024,,,,,") AD("D", "01/02/2024,01/03/2024,0,1,F1,")),
              NULL, "AD1", ROWS(3, 4));
}

static void test_333(void **state)
{
        (void)state;
        check(2025, "333",
              T(R903_AD1 AD("A", "01/02/2024,01/01/2024,0,1,F1,L0") AD("B", ",01/01/2024,0,1,F1,L0")
                    AD("C", "01/01/2024,01/02/2024,0,1,F1,L0")
                        AD("D", "40/01/2024,01/02/2024,0,1,F1,L0") AD("E", "01/01/2024,,0,1,F1,L0")
                            AD("F", "01/01/2024,01/01/2024,0,1,F1,L0")),
              NULL, "AD1", ROWS(1, 2));
}

static void test_331(void **state)
{
        (void)state;
        check_tables(2025, "331",
                     T(R903_AD1 AD("A", "01/01/2024,01/03/2024,0,1,F1,L0")
                           AD("B", "01/12/2023,01/01/2024,0,1,F1,L0")
                               AD("C", "01/12/2023,01/03/2024,0,1,F1,L0"),
                       R903_EPISODES "A,01/02/2024,P,E1,N1,A5,PR1,01/06/2024,E11,,,,\n"
                                     "B,01/02/2024,P,E1,N1,A5,PR1,01/06/2024,E12,,,,\n"
                                     "C,01/02/2024,P,E1,N1,A5,PR1,01/06/2024,X1,,,,\n"),
                     T("AD1:1", "Episodes:1"));
}

static void test_adopters(void **state)
{
        (void)state;
        check(2025, "511",
              T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,2,M1,L0")
                    AD("B", "01/02/2024,01/03/2024,0,2,MM,L12")
                        AD("C", "01/02/2024,01/03/2024,0,1,F1,L0")
                            AD("D", "01/02/2024,01/03/2024,0,2,,L12")),
              NULL, "AD1", ROWS(1));
        /* For each legal status: a code it rejects, one it accepts, and a blank sex code. */
        static const struct {
                const char *code, *ls, *bad, *good;
        } pairs[] = {
            {"514", "L0", "MM", "F1"}, {"517", "L3", "MM", "MF"},  {"518", "L4", "MF", "FF"},
            {"519", "L2", "M1", "MF"}, {"520", "L11", "FF", "MF"}, {"524", "L12", "MF", "MM"},
        };
        for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
                char csv[512];
                snprintf(csv, sizeof csv,
                         R903_AD1 "A,01/01/2016,01/02/2024,01/03/2024,0,2,%s,%s\n"
                                  "B,01/01/2016,01/02/2024,01/03/2024,0,2,%s,%s\n"
                                  "C,01/01/2016,01/02/2024,01/03/2024,0,2,,%s\n"
                                  "D,01/01/2016,01/02/2024,01/03/2024,0,2,%s,L99\n",
                         pairs[i].bad, pairs[i].ls, pairs[i].good, pairs[i].ls, pairs[i].ls,
                         pairs[i].bad);
                check(2024 + (int)(i % 4), pairs[i].code, T(csv), NULL, "AD1", ROWS(1));
        }
}

/* ---------------------------------------------------------------- PlacedAdoption */

static void test_115_116(void **state)
{
        (void)state;
        check(2025, "115",
              T(R903_PLACED PA("A", "31/04/2024,,") PA("B", "01/04/2024,,")
                    PA("C", ",01/05/2024,RD1")),
              NULL, "PlacedAdoption", ROWS(1));
        check(2025, "116",
              T(R903_PLACED PA("A", "01/04/2024,32/05/2024,RD1")
                    PA("B", "01/04/2024,01/05/2024,RD1") PA("C", "01/04/2024,,")),
              NULL, "PlacedAdoption", ROWS(1));
}

static void test_119_120(void **state)
{
        (void)state;
        check(2025, "119",
              T(R903_PLACED PA("A", "01/04/2024,01/05/2024,") PA("B", "01/04/2024,,RD2")
                    PA("C", "01/04/2024,01/05/2024,RD2") PA("D", "01/04/2024,,")),
              NULL, "PlacedAdoption", ROWS(1, 2));
        check(2025, "120",
              T(R903_PLACED PA("A", "01/04/2024,01/05/2024,RD5")
                    PA("B", "01/04/2024,01/05/2024,rd1") PA("C", "01/04/2024,,")),
              NULL, "PlacedAdoption", ROWS(1));
}

static void test_522_563(void **state)
{
        (void)state;
        check(2025, "522",
              T(R903_PLACED PA("A", "01/05/2024,01/04/2024,RD1")
                    PA("B", "01/05/2024,01/05/2024,RD1") PA("C", "01/05/2024,,")),
              NULL, "PlacedAdoption", ROWS(1));
        check(2025, "563",
              T(R903_PLACED PA("A", ",01/04/2024,RD1") PA("B", ",01/04/2024,")
                    PA("C", "01/03/2024,01/04/2024,RD1")),
              NULL, "PlacedAdoption", ROWS(1));
}

static void test_523(void **state)
{
        (void)state;
        check_tables(2025, "523",
                     T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0")
                           AD("B", "01/02/2024,01/03/2024,0,1,F1,L0") AD("C", ",,,,,"),
                       R903_PLACED PA("A", "01/02/2024,,") PA("A", "01/01/2023,01/06/2023,RD1")
                           PA("B", "05/02/2024,,") PA("C", "05/02/2024,,")),
                     T("PlacedAdoption:3", "AD1:2"));
}

static void test_525(void **state)
{
        (void)state;
        check_tables(2025, "525",
                     T(R903_AD1 AD("A", "01/02/2024,01/03/2024,0,1,F1,L0")
                           AD("B", "01/02/2024,01/03/2024,0,1,F1,L0") AD("C", ",,,,,"),
                       R903_PLACED PA("A", "01/01/2023,01/06/2023,RD1") PA("A", "01/02/2024,,")
                           PA("B", "01/02/2024,,") PA("C", "01/01/2023,01/06/2023,RD1")),
                     T("PlacedAdoption:1", "AD1:1"));
}

static void test_579_583(void **state)
{
        (void)state;
        /* A: an open decision then a later one.  B: the second starts before the first
         * ceased.  C: the second starts the day the first ceased.  Rows out of date order. */
        const char *pa = R903_PLACED PA("A", "01/03/2024,,") PA("A", "01/01/2024,,")
            PA("B", "01/02/2024,,") PA("B", "01/01/2024,01/03/2024,RD1") PA("C", "01/02/2024,,")
                PA("C", "01/01/2024,01/02/2024,RD1") PA("D", "01/01/2024,,");
        check(2025, "579", T(pa), NULL, "PlacedAdoption", ROWS(1, 3));
        check(2025, "583", T(pa), NULL, "PlacedAdoption", ROWS(2));
        check(2027, "583",
              T(R903_PLACED PA("C", "01/02/2026,,") PA("C", "01/01/2026,01/02/2026,RD1")), NULL,
              NONE);
}

/* ---------------------------------------------------------------- last year */

static void test_559(void **state)
{
        (void)state;
        check(2025, "559",
              T(R903_PLACED PA("A", "01/01/2023,,") PA("B", "01/01/2023,,") PA("C", "01/06/2024,,")
                    PA("D", "01/01/2023,,")),
              T(R903_PLACED PA("A", "01/01/2023,,") PA("D", ",,")), "PlacedAdoption", ROWS(2, 4));
        const struct rule_def *d = rules_find(RULES_903, 2023, "559");
        assert_non_null(d);
        assert_true(d->needs & RULE_NEEDS_LAST_YEAR);
}

static void test_560(void **state)
{
        (void)state;
        check(2025, "560",
              T(R903_PLACED PA("A", "01/01/2023,,") PA("B", "02/01/2023,,") PA("C", "01/05/2024,,")
                    PA("D", "01/01/2023,01/05/2024,RD1") PA("D", "01/06/2024,,")),
              T(R903_PLACED PA("A", "01/01/2023,,") PA("B", "01/01/2023,,")
                    PA("C", "01/01/2023,01/02/2024,RD3") PA("D", "01/01/2023,,")),
              "PlacedAdoption", ROWS(2));
}

static void test_561_584(void **state)
{
        (void)state;
        const char *last = R903_PLACED PA("A", "01/01/2023,01/06/2023,RD1")
            PA("B", "01/01/2023,01/06/2023,RD1") PA("C", "01/01/2023,,") PA("D", "01/01/2023,,RD2");
        check(2025, "561",
              T(R903_PLACED PA("A", "01/01/2023,,") PA("B", "01/07/2024,,") PA("C", "01/01/2023,,")
                    PA("D", "01/01/2023,,")),
              T(last), "PlacedAdoption", ROWS(1, 4));
        check(2025, "584",
              T(R903_PLACED PA("A", "01/12/2022,,") PA("B", "01/01/2023,,") PA("C", "01/12/2022,,")
                    PA("B", "01/07/2024,,") PA("E", "01/12/2022,,")),
              T(last), "PlacedAdoption", ROWS(1, 2));
}

/* Odd data: blank CHILD, invalid dates, empty tables, no Header: nothing crashes or fires. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"331", "333", "511", "514", "523", "525", "559",
                                            "560", "561", "579", "583", "584", "522", "151"};
        for (int y = 2023; y <= 2027; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, R903_EPISODES ",99/99/2020,S,,,,,,,,,,\n");
                        r903_table(&t, R903_AD1 ",,,,,,,\n");
                        r903_table(&t, R903_PLACED ",,,,\nA,,99/99/2020,,\nA,,31/02/2020,,\n");
                        r903_last(&t, R903_PLACED "A,,31/02/2019,,\n");
                        assert_int_equal(r903_check(&t, codes[i]), 0);
                        r903_end(&t);
                }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_112_113), cmocka_unit_test(test_114_175_176_177),
            cmocka_unit_test(test_151),     cmocka_unit_test(test_333),
            cmocka_unit_test(test_331),     cmocka_unit_test(test_adopters),
            cmocka_unit_test(test_115_116), cmocka_unit_test(test_119_120),
            cmocka_unit_test(test_522_563), cmocka_unit_test(test_523),
            cmocka_unit_test(test_525),     cmocka_unit_test(test_579_583),
            cmocka_unit_test(test_559),     cmocka_unit_test(test_560),
            cmocka_unit_test(test_561_584), cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
