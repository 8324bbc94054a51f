/*
 * test_rules_903_swepisodes.c — the SSDA903 social worker episode rules
 * (swepisodes.c), from the 2023/24 set: completeness and codes (SW01a,
 * SW01b, SW02, SW03, SW04, SW05, SW13), dates (SW06, SW07), order (SW08,
 * SW09, SW10, SW11a, SW11b, SW14, SW17) and cover of the child's care (SW01,
 * SW12), each in the sets where it applies and where its definition differs.
 *
 * Worked out by hand.  2024 = 01/04/2023–31/03/2024; 2025 = 01/04/2024–
 * 31/03/2025; 2026 = 01/04/2025–31/03/2026.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

/* SWEpisodes row: child, then SW_ID, SW_DECOM, SW_DEC, SW_REASON. */
#define SW(id, items) id ",01/01/2012," items "\n"

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

/* The rule is in exactly the sets of `mask`. */
static void sets(const char *code, unsigned mask)
{
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++) {
                const struct rule_def *d = rules_find(RULES_903, y, code);
                if ((d != NULL) != ((mask & RULES_Y(y)) != 0))
                        print_error("%s in the %d set: %s\n", code, y, d ? "yes" : "no");
                assert_true((d != NULL) == ((mask & RULES_Y(y)) != 0));
        }
}

/* ---------------------------------------------------------------- completeness and codes */

static void test_SW01(void **state)
{
        (void)state;
        struct r903 t;
        r903_begin(&t, 2024);
        r903_table(&t, R903_EPISODES "A,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
                                     "B,01/01/2020,S,V3,N1,U4,PR1,,,,,,\n"
                                     "C,01/01/2020,S,C2,N1,U4,PR1,01/01/2024,E13,,,,\n"
                                     "D,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
                                     "E,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n");
        r903_table(&t, R903_SW SW("A", "SW1,01/01/2022,,") SW("D", ",01/01/2022,,")
                           SW("C", "SW3,01/01/2022,,"));
        r903_check(&t, "SW01STG1");
        r903_expect_rows(&t, "Episodes", (long[]){4, 5}, 2);
        r903_end(&t);
        sets("SW01STG1", RULES_Y(2024));
}

static void test_SW01a_SW01b(void **state)
{
        (void)state;
        const char *sw = R903_SW SW("A", ",01/01/2022,,") SW("B", ",01/05/2024,,MANAGE")
            SW("C", "SW3,,,MANAGE") SW("D", "SW4,01/01/2022,,") SW("E", "SW5,31/02/2024,,MANAGE")
                SW("F", "SW6,01/05/2024,,") SW("G", "SW7,01/05/2024,,MANAGE");
        check(2025, "SW01aSTG1", T(sw), "SWEpisodes", ROWS(1, 3));
        check(2025, "SW01bSTG1", T(sw), "SWEpisodes", ROWS(2, 3, 6));
        check(2027, "SW01bSTG1", T(R903_SW SW("G", "SW7,01/05/2026,,MANAGE")), NONE);
        sets("SW01aSTG1", RULES_FROM(2025));
        sets("SW01bSTG1", RULES_FROM(2025));
}

static void test_SW03(void **state)
{
        (void)state;
        check(2024, "SW03STG1",
              T(R903_SW SW("A", ",01/01/2022,,") SW("B", "SW2,,,MANAGE") SW("C", "SW3,01/01/2022,,")
                    SW("D", "SW4,01/05/2023,,") SW("E", "SW5,01/05/2023,,LEFTRL")),
              "SWEpisodes", ROWS(1, 2, 4));
        sets("SW03STG1", RULES_Y(2024));
}

static void test_SW02(void **state)
{
        (void)state;
        check(2025, "SW02STG1",
              T(R903_SW SW("A", "SW123,01/05/2024,,MANAGE") SW("B", "XX1,01/05/2024,,MANAGE")
                    SW("C", "AB12,01/05/2024,,MANAGE") SW("D", "sw9,01/05/2024,,MANAGE")
                        SW("E", ",01/05/2024,,MANAGE") SW("F", "S,01/05/2024,,MANAGE")),
              "SWEpisodes", ROWS(3, 6));
        sets("SW02STG1", RULES_FROM(2024));
}

static void test_SW04_SW05(void **state)
{
        (void)state;
        const char *sw = R903_SW SW("A", "SW1,,,MANAGE") SW("B", "SW2,31/02/2024,,MANAGE")
            SW("C", "SW3,01/05/2024,01/13/2024,MANAGE") SW("D", "SW4,01/05/2024,01/06/2024,MANAGE");
        check(2025, "SW04STG1", T(sw), "SWEpisodes", ROWS(1, 2));
        check(2025, "SW05STG1", T(sw), "SWEpisodes", ROWS(3));
        check(2024, "SW05STG1", T(R903_SW SW("D", "SW4,01/05/2023,01/06/2023,MANAGE")), NONE);
}

static void test_SW13(void **state)
{
        (void)state;
        const char *sw = R903_SW SW("A", "SW1,01/05/2023,,MANAGE") SW("B", "SW2,01/05/2023,,BORED")
            SW("C", "SW3,01/05/2023,,") SW("D", "SW4,01/01/2022,,")
                SW("E", "SW5,01/05/2023,,others");
        check(2024, "SW13STG1", T(sw), "SWEpisodes", ROWS(2, 3));
        check(2026, "SW13STG1", T(sw), "SWEpisodes", ROWS(2, 3));
        sets("SW13STG1", RULES_FROM(2024));
}

/* ---------------------------------------------------------------- dates */

static void test_SW06(void **state)
{
        (void)state;
        check(2025, "SW06STG2",
              T(R903_SW SW("A", "SW1,01/04/2025,,MANAGE") SW("B", "SW2,31/03/2025,,MANAGE")),
              "SWEpisodes", ROWS(1));
}

static void test_SW07(void **state)
{
        (void)state;
        const char *sw = R903_SW SW("A", "SW1,01/01/2022,31/03/2023,MANAGE")
            SW("B", "SW2,01/01/2022,01/04/2023,MANAGE") SW("C", "SW3,01/01/2022,01/04/2024,MANAGE")
                SW("D", "SW4,01/01/2022,31/03/2024,MANAGE");
        /* 2023/24: the collection year only. */
        check(2024, "SW07STG2", T(sw), "SWEpisodes", ROWS(1, 3));
        /* From 2024/25: back to 1 April of the previous year (01/04/2023). */
        check(2025, "SW07STG2",
              T(R903_SW SW("A", "SW1,01/01/2022,31/03/2023,MANAGE")
                    SW("B", "SW2,01/01/2022,01/04/2023,MANAGE")
                        SW("C", "SW3,01/01/2022,01/04/2025,MANAGE")),
              "SWEpisodes", ROWS(1, 3));
}

/* ---------------------------------------------------------------- order */

static void test_SW08_SW14(void **state)
{
        (void)state;
        /* A's rows are out of order: the earlier (row 2) is open while a later one starts. */
        const char *sw = R903_SW SW("A", "SW1,01/02/2024,,MANAGE") SW("A", "SW2,01/01/2024,,MANAGE")
            SW("B", "SW3,01/01/2024,01/02/2024,MANAGE") SW("B", "SW4,01/02/2024,,LEFTRL");
        check(2025, "SW08STG2", T(sw), "SWEpisodes", ROWS(2));
        check(2024, "SW14STG2", T(sw), "SWEpisodes", ROWS(2));
        check(2024, "SW08STG2", T(sw), "SWEpisodes", ROWS(2));
        sets("SW14STG2", RULES_Y(2024));
        sets("SW08STG2", RULES_FROM(2024));
}

static void test_SW09(void **state)
{
        (void)state;
        check(2025, "SW09STG2",
              T(R903_SW SW("A", "SW1,01/05/2024,01/05/2024,MANAGE")
                    SW("B", "SW2,01/05/2024,02/05/2024,MANAGE")),
              "SWEpisodes", ROWS(1));
}

static void test_SW10(void **state)
{
        (void)state;
        const char *sw = R903_SW SW("A", "SW1,01/01/2023,01/06/2023,MANAGE")
            SW("A", "SW2,09/06/2023,,MANAGE") SW("B", "SW3,01/01/2023,01/06/2023,MANAGE")
                SW("B", "SW4,08/06/2023,,MANAGE") SW("C", "SW5,01/01/2023,01/06/2023,MANAGE")
                    SW("C", "SW6,24/05/2023,,MANAGE") SW("D", "SW7,01/01/2023,01/06/2023,MANAGE")
                        SW("D", "SW8,01/08/2023,,FCONTA");
        check(2024, "SW10STG2", T(sw), "SWEpisodes", ROWS(2, 6, 8));
        /* From 2024/25 a change at the family's request (FCONTA) is exempt. */
        check(2025, "SW10STG2", T(sw), "SWEpisodes", ROWS(2, 6));
}

static void test_SW11(void **state)
{
        (void)state;
        /* 2023/24 ends 31/03/2024; 5 days before is 26/03/2024. */
        const char *sw = R903_SW SW("A", "SW1,01/01/2023,01/06/2023,MANAGE")
            SW("A", "SW2,06/06/2023,,MANAGE") SW("B", "SW3,01/01/2023,01/06/2023,MANAGE")
                SW("B", "SW4,07/06/2023,,MANAGE") SW("C", "SW5,01/01/2023,28/03/2024,MANAGE")
                    SW("C", "SW6,10/04/2024,,MANAGE") SW("D", "SW7,01/01/2023,01/06/2023,MANAGE")
                        SW("E", "SW8,01/01/2023,31/03/2024,MANAGE");
        check(2024, "SW11aSTG2", T(sw), "SWEpisodes", ROWS(3));
        check(2024, "SW11bSTG2", T(sw), "SWEpisodes", ROWS(7));
        /* In 2024/25 (end 31/03/2025) E's end is before 31 March too. */
        check(2025, "SW11bSTG2", T(sw), "SWEpisodes", ROWS(7, 8));
        sets("SW11aSTG2", RULES_Y(2024));
        sets("SW11bSTG2", RULES_FROM(2024));
}

static void test_SW17(void **state)
{
        (void)state;
        check(2026, "SW17STG2",
              T(R903_SW SW("A", "SW1,01/01/2025,01/06/2025,MANAGE")
                    SW("A", "SW2,01/06/2025,,LEFTRL") SW("B", "SW3,01/06/2025,01/02/2026,LEFTRL")
                        SW("B", "SW4,01/01/2025,01/06/2025,MANAGE")
                            SW("C", "SW5,01/01/2025,01/02/2026,MANAGE")),
              "SWEpisodes", ROWS(3, 5));
        sets("SW17STG2", RULES_FROM(2026));
}

/* ---------------------------------------------------------------- cover of care */

static void test_SW12(void **state)
{
        (void)state;
        struct r903 t;
        r903_begin(&t, 2025);
        r903_table(&t, R903_EPISODES "A,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
                                     "B,01/10/2024,S,C2,N1,U4,PR1,,,,,,\n"
                                     "C,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
                                     "D,01/01/2020,S,C2,N1,U4,PR1,,,,,,\n"
                                     "E,01/01/2020,S,C2,N1,U4,PR1,01/02/2025,E13,,,,\n");
        r903_table(&t, R903_SW SW("A", "SW1,01/01/2022,,") SW("B", "SW2,01/10/2024,,MANAGE")
                           SW("C", "SW3,02/04/2024,,MANAGE") SW("E", "SW4,01/06/2024,,MANAGE"));
        assert_int_equal(r903_check(&t, "SW12STG2"), 2);
        int sw = 0, ep = 0;
        for (size_t i = 0; i < t.res.n; i++) {
                if (strcmp(t.res.f[i].table, "SWEpisodes") == 0 && t.res.f[i].row == 3)
                        sw++;
                if (strcmp(t.res.f[i].table, "Episodes") == 0 && t.res.f[i].row == 4)
                        ep++;
        }
        assert_int_equal(sw, 1);
        assert_int_equal(ep, 1);
        r903_end(&t);
        sets("SW12STG2", RULES_FROM(2024));
}

/* Odd data: blank CHILD, invalid dates, empty tables, no Header: nothing crashes. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {
            "SW01STG1",  "SW01aSTG1", "SW01bSTG1", "SW02STG1", "SW03STG1", "SW05STG1",
            "SW06STG2",  "SW07STG2",  "SW08STG2",  "SW09STG2", "SW10STG2", "SW11aSTG2",
            "SW11bSTG2", "SW12STG2",  "SW13STG1",  "SW14STG2", "SW17STG2"};
        for (int y = 2024; y <= 2027; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        if (!rules_find(RULES_903, y, codes[i]))
                                continue;
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, R903_EPISODES ",99/99/2020,S,,,,,,,,,,\n");
                        r903_table(&t, R903_SW ",,SW1,31/02/2020,,MANAGE\nA,,XX1,40/01/2020,,\n");
                        assert_int_equal(r903_check(&t, codes[i]), 0);
                        r903_end(&t);
                }
        check(2025, "SW12STG2", T(R903_EPISODES, R903_SW), NONE);
        check(2025, "SW10STG2", T(R903_SW), NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_SW01),      cmocka_unit_test(test_SW01a_SW01b),
            cmocka_unit_test(test_SW03),      cmocka_unit_test(test_SW02),
            cmocka_unit_test(test_SW04_SW05), cmocka_unit_test(test_SW13),
            cmocka_unit_test(test_SW06),      cmocka_unit_test(test_SW07),
            cmocka_unit_test(test_SW08_SW14), cmocka_unit_test(test_SW09),
            cmocka_unit_test(test_SW10),      cmocka_unit_test(test_SW11),
            cmocka_unit_test(test_SW17),      cmocka_unit_test(test_SW12),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
