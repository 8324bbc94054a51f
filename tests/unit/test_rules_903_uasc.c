/*
 * test_rules_903_uasc.c — the SSDA903 rules on unaccompanied asylum-seeking
 * children (uasc.c): the date UASC status ceased (104, 303, 304) and the
 * status against last year's return (205A–205D).  Passing and failing cases
 * worked out by hand.  The 2024/25 set (2025) runs from 01/04/2024 to
 * 31/03/2025, so last year ran from 01/04/2023 to 31/03/2024.
 *
 * In CSV loads the UASC flag is derived (1 when the child has a UASC row), so
 * a DUC without the flag can only come from an EXPSSDA903 file; 303 and 205C
 * are tested with one.
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

/* X1: flag blank but a DUC given; X2: neither; X3: UASC with a DUC. */
static const char *XML = "<EXPSSDA903>\n"
                         "<CHILD><HEADER><CHILDID>X1</CHILDID><SEX>M</SEX><DOB>01/05/2008</DOB>"
                         "<UASC /><DUC>01/05/2024</DUC></HEADER></CHILD>\n"
                         "<CHILD><HEADER><CHILDID>X2</CHILDID><SEX>M</SEX><DOB>01/05/2008</DOB>"
                         "<UASC /></HEADER></CHILD>\n"
                         "<CHILD><HEADER><CHILDID>X3</CHILDID><SEX>M</SEX><DOB>01/05/2008</DOB>"
                         "<UASC>1</UASC><DUC>01/05/2026</DUC></HEADER></CHILD>\n"
                         "</EXPSSDA903>\n";

static void test_104(void **state)
{
        (void)state;
        check(2025, "104",
              T(R903_UASC "A,M,01/05/2008,31/02/2025\n"
                          "B,M,01/05/2008,31/03/2024\n"
                          "C,M,01/05/2008,01/04/2024\n"
                          "D,M,01/05/2008,\n"),
              NULL, "UASC", ROWS(1, 2));
        check(2024, "104", T(R903_UASC "B,1,01/05/2008,31/03/2024\n"), NULL, NONE);
}

static void test_303(void **state)
{
        (void)state;
        check(2025, "303", T(XML), NULL, "UASC", ROWS(1));
        check(2025, "303",
              T(R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n", R903_UASC "A,M,01/05/2008,01/05/2026\n"),
              NULL, NONE);
}

static void test_304(void **state)
{
        (void)state;
        /* C has no DOB in UASC; Header's is used. */
        check(2025, "304",
              T(R903_HEADER "C,M,01/05/2006,WBRI,UN2,,\n", R903_UASC "A,M,01/05/2006,02/05/2024\n"
                                                                     "B,M,01/05/2006,01/05/2024\n"
                                                                     "C,M,,02/05/2024\n"),
              NULL, "UASC", ROWS(1, 3));
        check(2025, "304", T(R903_UASC "B,M,01/05/2006,01/05/2024\n"), NULL, NONE);
}

static const char *HD5 = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                     "B,M,01/05/2008,WBRI,UN2,,\n"
                                     "C,M,01/05/2008,WBRI,UN2,,\n"
                                     "D,M,01/05/2008,WBRI,UN2,,\n"
                                     "E,M,01/05/2008,WBRI,UN2,,\n";
static const char *HD5_LAST = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                          "B,M,01/05/2008,WBRI,UN2,,\n"
                                          "C,M,01/05/2008,WBRI,UN2,,\n"
                                          "D,M,01/05/2008,WBRI,UN2,,\n"
                                          "E,M,01/05/2008,WBRI,UN2,,\n";

static void test_205a(void **state)
{
        (void)state;
        /* A ceased last year; B never ceased; C "ceased" after last year ended; D is UASC in
         * both years; E was not UASC last year; F never ceased either but has left care (no
         * episode this year), so has no UASC status to return. */
        const char *hd = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                     "B,M,01/05/2008,WBRI,UN2,,\n"
                                     "C,M,01/05/2008,WBRI,UN2,,\n"
                                     "D,M,01/05/2008,WBRI,UN2,,\n"
                                     "E,M,01/05/2008,WBRI,UN2,,\n"
                                     "F,M,01/05/2006,WBRI,UN2,,\n";
        const char *ep = R903_EPISODES "A,01/01/2024,S,V2,N1,U4,PR1,,,,,,\n"
                                       "B,01/01/2024,S,V2,N1,U4,PR1,,,,,,\n"
                                       "C,01/01/2024,S,V2,N1,U4,PR1,,,,,,\n"
                                       "D,01/01/2024,S,V2,N1,U4,PR1,,,,,,\n"
                                       "E,01/01/2024,S,V2,N1,U4,PR1,,,,,,\n";
        const char *hd_last = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                          "B,M,01/05/2008,WBRI,UN2,,\n"
                                          "C,M,01/05/2008,WBRI,UN2,,\n"
                                          "D,M,01/05/2008,WBRI,UN2,,\n"
                                          "E,M,01/05/2008,WBRI,UN2,,\n"
                                          "F,M,01/05/2006,WBRI,UN2,,\n";
        const char *ua_last = R903_UASC "A,M,01/05/2008,10/10/2023\n"
                                        "B,M,01/05/2008,\n"
                                        "C,M,01/05/2008,10/10/2024\n"
                                        "D,M,01/05/2008,\n"
                                        "F,M,01/05/2006,\n";
        const char *ua = R903_UASC "D,M,01/05/2008,\n";
        check(2025, "205A", T(hd, ep, ua), T(hd_last, ua_last), "Header", ROWS(2, 3));
        check(2025, "205A", T(hd, ep, ua),
              T(hd_last, R903_UASC "A,M,01/05/2008,10/10/2023\nD,M,01/05/2008,\nF,M,01/05/2006,\n"),
              NONE);
}

static void test_205b(void **state)
{
        (void)state;
        const char *ua = R903_UASC "A,M,01/05/2008,\n"
                                   "B,M,01/05/2008,\n"
                                   "C,M,01/05/2008,01/05/2024\n"
                                   "D,M,01/05/2008,02/05/2024\n"
                                   "E,M,01/05/2008,01/06/2024\n";
        const char *ua_last = R903_UASC "A,M,01/05/2008,\n"
                                        "B,M,01/05/2008,10/10/2023\n"
                                        "C,M,01/05/2008,01/05/2024\n"
                                        "D,M,01/05/2008,01/05/2024\n"
                                        "E,M,01/05/2008,\n";
        /* B ceased last year yet is UASC again; D's two dates disagree. */
        check(2025, "205B", T(HD5, ua), T(HD5_LAST, ua_last), "Header", ROWS(2, 4));
        check(2025, "205B", T(HD5, ua),
              T(HD5_LAST, R903_UASC "A,M,01/05/2008,\nC,M,01/05/2008,01/05/2024\n"), NONE);
}

static void test_205c(void **state)
{
        (void)state;
        const char *last = R903_HEADER "X1,M,01/05/2008,WBRI,UN2,,\n"
                                       "X2,M,01/05/2008,WBRI,UN2,,\n"
                                       "X3,M,01/05/2008,WBRI,UN2,,\n";
        check(2025, "205C", T(XML), T(last, R903_UASC "X3,M,01/05/2008,\n"), "Header", ROWS(1));
        /* In CSV a DUC always comes with the flag. */
        check(2025, "205C", T(HD5, R903_UASC "A,M,01/05/2008,01/05/2024\n"), T(HD5_LAST, R903_UASC),
              NONE);
}

static void test_205d(void **state)
{
        (void)state;
        const char *hd = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                     "B,M,01/05/2008,WBRI,UN2,,\n"
                                     "C,M,01/05/2008,WBRI,UN2,,\n"
                                     "D,M,01/05/2008,WBRI,UN2,,\n";
        const char *last = R903_HEADER "A,M,01/05/2008,WBRI,UN2,,\n"
                                       "B,M,01/05/2008,WBRI,UN2,,\n"
                                       "D,M,01/05/2008,WBRI,UN2,,\n";
        /* A is UASC now but was not last year; C is new this year; D stopped being UASC. */
        check(2025, "205D", T(hd, R903_UASC "A,M,01/05/2008,\nB,M,01/05/2008,\nC,M,01/05/2008,\n"),
              T(last, R903_UASC "B,M,01/05/2008,\nD,M,01/05/2008,10/10/2023\n"), "Header", ROWS(1));
        check(2025, "205D", T(hd, R903_UASC "B,M,01/05/2008,\n"),
              T(last, R903_UASC "B,M,01/05/2008,\n"), NONE);
}

static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"104", "303", "304", "205A", "205B", "205C", "205D"};
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        struct r903 t;
                        r903_begin(&t, y);
                        /* UASC rows for a child without Header; blank and bad dates. */
                        r903_table(&t, R903_HEADER "A,M,,WBRI,UN2,,\n");
                        r903_table(&t, R903_UASC "Z,M,,99/99/2024\nA,M,,\n");
                        r903_last(&t, R903_UASC "A,M,,31/02/2023\n");
                        size_t n = r903_check(&t, codes[i]);
                        /* Only Z's invalid DUC (104).  A has no Header_last row, so the
                         * 205 rules have no last year to compare it with. */
                        assert_int_equal(n, strcmp(codes[i], "104") == 0 ? 1 : 0);
                        r903_end(&t);
                }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_104),  cmocka_unit_test(test_303),
            cmocka_unit_test(test_304),  cmocka_unit_test(test_205a),
            cmocka_unit_test(test_205b), cmocka_unit_test(test_205c),
            cmocka_unit_test(test_205d), cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
