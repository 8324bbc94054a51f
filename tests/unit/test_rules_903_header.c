/*
 * test_rules_903_header.c — the SSDA903 rules on the Header table alone
 * (header.c) and against last year's Header (header_lastyear.c).  Each rule
 * has a passing case (no finding) and a failing case naming the exact rows,
 * worked out by hand from the rule's definition; rules whose codes changed
 * with the 2024/25 sex codes are run in the years on both sides.
 *
 * Dates: the 2024/25 set (2025) runs from 01/04/2024 to 31/03/2025.
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

/* Run rule `code` of set `year` on tables `now` (and last year's `last`); expect these rows. */
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

static const char *SEX_CODES = R903_HEADER "A,1,01/01/2015,WBRI,UN1,,\n"
                                           "B,2,01/01/2015,WBRI,UN1,0,\n"
                                           "C,M,01/01/2015,WBRI,UN1,,\n"
                                           "D,,01/01/2015,WBRI,UN1,,\n"
                                           "E,f,01/01/2015,WBRI,UN1,0,\n"
                                           "G,U,01/01/2015,WBRI,UN1,,\n";

static void test_101(void **state)
{
        (void)state;
        /* To 2023/24 only 1 and 2; from 2024/25 only M, F (f upper-cased) and U. */
        check(2024, "101", T(SEX_CODES), NULL, "Header", ROWS(3, 4, 5, 6));
        check(2023, "101", T(SEX_CODES), NULL, "Header", ROWS(3, 4, 5, 6));
        check(2025, "101", T(SEX_CODES), NULL, "Header", ROWS(1, 2, 4));
        check(2027, "101", T(SEX_CODES), NULL, "Header", ROWS(1, 2, 4));
        check(2024, "101", T(R903_HEADER "A,1,01/01/2015,WBRI,UN1,,\nB,2,01/01/2015,WBRI,UN1,0,\n"),
              NULL, NONE);
        check(2026, "101", T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\nB,F,01/01/2015,WBRI,UN1,0,\n"),
              NULL, NONE);
}

static void test_102(void **state)
{
        (void)state;
        check(2025, "102",
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                            "B,M,31/02/2015,WBRI,UN1,,\n"
                            "C,M,,WBRI,UN1,,\n"
                            "D,M,2015-01-01,WBRI,UN1,,\n"),
              NULL, "Header", ROWS(2, 3, 4));
        check(2025, "102", T(R903_HEADER "A,M,29/02/2016,WBRI,UN1,,\n"), NULL, NONE);
}

static void test_103(void **state)
{
        (void)state;
        check(2025, "103",
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                            "B,M,01/01/2015,wbri,UN1,,\n"
                            "C,M,01/01/2015,WBRX,UN1,,\n"
                            "D,M,01/01/2015,,UN1,,\n"
                            "E,M,01/01/2015,NOBT,UN1,,\n"),
              NULL, "Header", ROWS(3, 4));
        check(2025, "103", T(R903_HEADER "A,M,01/01/2015,REFU,UN1,,\n"), NULL, NONE);
}

/* The flag only comes from an XML file; CSV loads derive it as 0 or 1. */
static void test_105(void **state)
{
        (void)state;
        const char *xml = "<EXPSSDA903>\n"
                          "<CHILD><HEADER><CHILDID>X1</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB>"
                          "<UASC>1</UASC></HEADER></CHILD>\n"
                          "<CHILD><HEADER><CHILDID>X2</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB>"
                          "<UASC>2</UASC></HEADER></CHILD>\n"
                          "<CHILD><HEADER><CHILDID>X3</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB>"
                          "<UASC /></HEADER></CHILD>\n"
                          "</EXPSSDA903>\n";
        check(2025, "105", T(xml), NULL, "Header", ROWS(2));
        check(2025, "105",
              T(R903_HEADER "A,M,01/01/2010,WBRI,UN1,,\nB,M,01/01/2010,WBRI,UN1,,\n",
                R903_UASC "B,M,01/01/2010,\n"),
              NULL, NONE);
}

static void test_168(void **state)
{
        (void)state;
        /* Structure only (header.c's reading): U938012345670 is data-formats.md §2.6's example;
         * V938012345670 has the wrong check letter (U) but the right shape, so it passes;
         * H93801234567B is a temporary UPN; u938012345670 is upper-cased on loading.  Failing:
         * 12 characters (F), an unknown code DfE does not list (G), a first letter I, O or S
         * (H, L, M), a letter inside the digits (J), a digit first (N), 14 characters (P). */
        check(2025, "168",
              T(R903_HEADER "A,M,01/01/2015,WBRI,U938012345670,,\n"
                            "B,M,01/01/2015,WBRI,H93801234567B,,\n"
                            "C,M,01/01/2015,WBRI,UN5,,\n"
                            "D,M,01/01/2015,WBRI,,,\n"
                            "E,M,01/01/2015,WBRI,V938012345670,,\n"
                            "F,M,01/01/2015,WBRI,U93801234567,,\n"
                            "G,M,01/01/2015,WBRI,UN7,,\n"
                            "H,M,01/01/2015,WBRI,I938012345670,,\n"
                            "J,M,01/01/2015,WBRI,U9380123456X0,,\n"
                            "K,M,01/01/2015,WBRI,u938012345670,,\n"
                            "L,M,01/01/2015,WBRI,O938012345670,,\n"
                            "M,M,01/01/2015,WBRI,S938012345670,,\n"
                            "N,M,01/01/2015,WBRI,1938012345670,,\n"
                            "P,M,01/01/2015,WBRI,U9380123456701,,\n"),
              NULL, "Header", ROWS(6, 7, 8, 9, 11, 12, 13, 14));
        check(2023, "168",
              T(R903_HEADER "A,1,01/01/2015,WBRI,UN1,,\nB,2,01/01/2015,WBRI,Z123456789012,,\n"),
              NULL, NONE);
}

static void test_171(void **state)
{
        (void)state;
        check(2025, "171",
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                            "B,F,01/01/2005,WBRI,UN1,1,31/02/2023\n"
                            "C,F,01/01/2005,WBRI,UN1,0,\n"),
              NULL, "Header", ROWS(2));
        check(2025, "171", T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"), NULL, NONE);
}

static void test_232(void **state)
{
        (void)state;
        check(2025, "232", T(R903_HEADER "A,U,01/01/2015,WBRI,UN1,,\nB,M,01/01/2015,WBRI,UN1,,\n"),
              NULL, "Header", ROWS(1));
        check(2027, "232", T(R903_HEADER "A,F,01/01/2015,WBRI,UN1,0,\n"), NULL, NONE);
        assert_null(rules_find(RULES_903, 2024, "232"));
}

/* ---------------------------------------------------------------- ages */

static void test_209(void **state)
{
        (void)state;
        /* 2024/25: the reference date is 31/08/2023. */
        check(2025, "209",
              T(R903_HEADER "A,M,31/08/2019,WBRI,UN1,,\n"
                            "B,M,01/09/2019,WBRI,UN1,,\n"
                            "C,M,01/01/2010,WBRI,UN2,,\n"),
              NULL, "Header", ROWS(1));
        /* The same child in 2023/24 (reference 31/08/2022) was 3. */
        check(2024, "209", T(R903_HEADER "A,1,31/08/2019,WBRI,UN1,,\n"), NULL, NONE);
}

static void test_231(void **state)
{
        (void)state;
        const char *hd = R903_HEADER "A,M,01/04/2014,WBRI,UN1,,\n"
                                     "B,M,31/03/2014,WBRI,UN1,,\n"
                                     "C,M,01/04/2014,WBRI,UN1,,\n";
        const char *ua = R903_UASC "A,M,01/04/2014,\nB,M,31/03/2014,\n";
        /* A is 10 on 31/03/2025, B turns 11 that day, C is not UASC. */
        check(2025, "231", T(hd, ua), NULL, "Header", ROWS(1));
        check(2025, "231", T(hd, R903_UASC "B,M,31/03/2014,\n"), NULL, NONE);
        assert_null(rules_find(RULES_903, 2024, "231"));
}

static void test_301(void **state)
{
        (void)state;
        check(2025, "301", T(R903_HEADER "A,M,01/04/2025,WBRI,UN1,,\nB,M,31/03/2025,WBRI,UN1,,\n"),
              NULL, "Header", ROWS(1));
        /* The same date is within the following year. */
        check(2026, "301", T(R903_HEADER "A,M,01/04/2025,WBRI,UN1,,\n"), NULL, NONE);
}

static void test_351(void **state)
{
        (void)state;
        check(2025, "351", T(R903_HEADER "A,M,31/03/1999,WBRI,UN3,,\nB,M,01/04/1999,WBRI,UN3,,\n"),
              NULL, "Header", ROWS(1));
        check(2025, "351", T(R903_HEADER "B,M,01/04/1999,WBRI,UN3,,\n"), NULL, NONE);
}

static void test_620(void **state)
{
        (void)state;
        /* 1 April 2024: A is 10, B turns 11 that day, C is not a mother. */
        check(2025, "620",
              T(R903_HEADER "A,F,02/04/2013,WBRI,UN3,1,01/01/2024\n"
                            "B,F,01/04/2013,WBRI,UN3,1,01/01/2024\n"
                            "C,F,02/04/2013,WBRI,UN3,0,\n"),
              NULL, "Header", ROWS(1));
        check(2025, "620", T(R903_HEADER "B,F,01/04/2013,WBRI,UN3,1,01/01/2024\n"), NULL, NONE);
}

/* ---------------------------------------------------------------- mother */

static void test_174(void **state)
{
        (void)state;
        const char *old = R903_HEADER "A,1,01/01/2005,WBRI,UN1,,01/01/2023\n"
                                      "B,2,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                                      "C,1,01/01/2005,WBRI,UN1,,\n";
        const char *cur = R903_HEADER "A,M,01/01/2005,WBRI,UN1,,01/01/2023\n"
                                      "B,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                                      "C,M,01/01/2005,WBRI,UN1,,\n";
        check(2024, "174", T(old), NULL, "Header", ROWS(1));
        check(2025, "174", T(cur), NULL, "Header", ROWS(1));
        /* Each year knows only its own male code. */
        check(2025, "174", T(old), NULL, NONE);
        check(2024, "174", T(cur), NULL, NONE);
}

static void test_611(void **state)
{
        (void)state;
        check(2025, "611",
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,\n"
                            "B,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                            "C,F,01/01/2005,WBRI,UN1,0,\n"),
              NULL, "Header", ROWS(1));
        check(2025, "611", T(R903_HEADER "B,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"), NULL, NONE);
}

static void test_612(void **state)
{
        (void)state;
        const char *old = R903_HEADER "A,2,01/01/2005,WBRI,UN1,0,01/01/2023\n"
                                      "B,2,01/01/2005,WBRI,UN1,,01/01/2023\n"
                                      "C,2,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                                      "D,2,01/01/2005,WBRI,UN1,0,\n";
        const char *cur = R903_HEADER "A,F,01/01/2005,WBRI,UN1,0,01/01/2023\n"
                                      "B,F,01/01/2005,WBRI,UN1,,01/01/2023\n"
                                      "C,F,01/01/2005,WBRI,UN1,1,01/01/2023\n"
                                      "D,F,01/01/2005,WBRI,UN1,0,\n";
        check(2024, "612", T(old), NULL, "Header", ROWS(1, 2));
        check(2026, "612", T(cur), NULL, "Header", ROWS(1, 2));
        check(2025, "612", T(old), NULL, NONE);
}

static void test_621(void **state)
{
        (void)state;
        check(2025, "621",
              T(R903_HEADER "A,F,01/01/2008,WBRI,UN1,1,01/01/2008\n"
                            "B,F,01/01/2008,WBRI,UN1,1,01/01/2007\n"
                            "C,F,01/01/2008,WBRI,UN1,1,02/01/2008\n"
                            "D,F,01/01/2008,WBRI,UN1,1,31/02/2024\n"
                            "E,F,,WBRI,UN1,1,01/01/2007\n"),
              NULL, "Header", ROWS(1, 2));
        check(2025, "621", T(R903_HEADER "C,F,01/01/2008,WBRI,UN1,1,02/01/2008\n"), NULL, NONE);
}

/* ---------------------------------------------------------------- duplicates */

static void test_444(void **state)
{
        (void)state;
        check(2026, "444",
              T(R903_HEADER "A,M,01/01/2015,WBRI,U938012345670,,\n"
                            "B,M,01/01/2015,WBRI,UN1,,\n"
                            "C,M,01/01/2015,WBRI,UN1,,\n"
                            "D,M,01/01/2015,WBRI,H938012345671,,\n"
                            "E,M,01/01/2015,WBRI,U938012345670,,\n"
                            "F,M,01/01/2015,WBRI,,,\n"
                            "G,M,01/01/2015,WBRI,,,\n"
                            "H,M,01/01/2015,WBRI,u938012345670,,\n"),
              NULL, "Header", ROWS(1, 5, 8));
        check(2027, "444",
              T(R903_HEADER "A,M,01/01/2015,WBRI,U938012345670,,\n"
                            "B,M,01/01/2015,WBRI,H938012345671,,\n"
                            "C,M,01/01/2015,WBRI,UN2,,\n"
                            "D,M,01/01/2015,WBRI,UN2,,\n"),
              NULL, NONE);
        assert_null(rules_find(RULES_903, 2025, "444"));
}

/* ---------------------------------------------------------------- against last year */

static void test_202(void **state)
{
        (void)state;
        const char *now = R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                                      "B,F,01/01/2015,WBRI,UN1,0,\n"
                                      "C,M,01/01/2015,WBRI,UN1,,\n"
                                      "D,M,01/01/2015,WBRI,UN1,,\n"
                                      "E,F,01/01/2015,WBRI,UN1,0,\n";
        const char *last = R903_HEADER "A,1,01/01/2015,WBRI,UN1,,\n"
                                       "B,1,01/01/2015,WBRI,UN1,,\n"
                                       "C,,01/01/2015,WBRI,UN1,,\n"
                                       "E,F,01/01/2015,WBRI,UN1,0,\n";
        /* 1 last year and M now are the same sex; D was not in last year's return. */
        check(2025, "202", T(now), T(last), "Header", ROWS(2, 3));
        check(2025, "202", T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"),
              T(R903_HEADER "A,1,01/01/2015,WBRI,UN1,,\n"), NONE);
}

static void test_203(void **state)
{
        (void)state;
        check(2025, "203",
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                            "B,M,02/01/2015,WBRI,UN1,,\n"
                            "C,M,31/02/2015,WBRI,UN1,,\n"
                            "D,M,31/02/2015,WBRI,UN1,,\n"),
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                            "B,M,01/01/2015,WBRI,UN1,,\n"
                            "C,M,01/01/2015,WBRI,UN1,,\n"
                            "D,M,,WBRI,UN1,,\n"),
              "Header", ROWS(2, 3));
        check(2025, "203", T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"),
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"), NONE);
}

static void test_204(void **state)
{
        (void)state;
        check(2025, "204",
              T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"
                            "B,M,01/01/2015,WBRI,UN1,,\n"
                            "C,M,01/01/2015,,UN1,,\n"),
              T(R903_HEADER "A,M,01/01/2015,wbri,UN1,,\n"
                            "B,M,01/01/2015,NOBT,UN1,,\n"
                            "C,M,01/01/2015,WBRI,UN1,,\n"),
              "Header", ROWS(2, 3));
        check(2025, "204", T(R903_HEADER "A,M,01/01/2015,WBRI,UN1,,\n"),
              T(R903_HEADER "Z,M,01/01/2015,NOBT,UN1,,\n"), NONE);
}

static void test_208(void **state)
{
        (void)state;
        check(2025, "208",
              T(R903_HEADER "A,M,01/01/2015,WBRI,U938012345670,,\n"
                            "B,M,01/01/2015,WBRI,UN2,,\n"
                            "C,M,01/01/2015,WBRI,U938012345670,,\n"
                            "D,M,01/01/2015,WBRI,UN2,,\n"
                            "E,M,01/01/2015,WBRI,UN3,,\n"
                            "F,M,01/01/2015,WBRI,H938012345671,,\n"
                            "G,M,01/01/2015,WBRI,,,\n"
                            "H,M,01/01/2015,WBRI,UN4,,\n"),
              T(R903_HEADER "A,M,01/01/2015,WBRI,U938012345670,,\n"
                            "B,M,01/01/2015,WBRI,UN1,,\n"
                            "C,M,01/01/2015,WBRI,UN3,,\n"
                            "D,M,01/01/2015,WBRI,U938012345670,,\n"
                            "E,M,01/01/2015,WBRI,UN2,,\n"
                            "F,M,01/01/2015,WBRI,U938012345670,,\n"
                            "G,M,01/01/2015,WBRI,,,\n"
                            "H,M,01/01/2015,WBRI,,,\n"),
              "Header", ROWS(4, 5, 6));
        /* Unknown to known, UN1 to UN2, blank to UN4: none is a contradiction. */
        check(2025, "208",
              T(R903_HEADER "C,M,01/01/2015,WBRI,U938012345670,,\nB,M,01/01/2015,WBRI,UN2,,\n"
                            "H,M,01/01/2015,WBRI,UN4,,\n"),
              T(R903_HEADER "C,M,01/01/2015,WBRI,UN3,,\nB,M,01/01/2015,WBRI,UN1,,\n"
                            "H,M,01/01/2015,WBRI,,,\n"),
              NONE);
}

static void test_624(void **state)
{
        (void)state;
        check(2025, "624",
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"
                            "B,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"
                            "C,F,01/01/2005,WBRI,UN1,1,\n"
                            "D,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"),
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"
                            "B,F,01/01/2005,WBRI,UN1,1,02/01/2020\n"
                            "C,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"
                            "D,F,01/01/2005,WBRI,UN1,0,\n"),
              "Header", ROWS(2, 3));
        check(2025, "624", T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"),
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2020\n"), NONE);
}

static void test_626(void **state)
{
        (void)state;
        check(2025, "626",
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,1,01/01/2024\n"
                            "B,F,01/01/2005,WBRI,UN1,1,01/05/2024\n"
                            "C,F,01/01/2005,WBRI,UN1,1,01/01/2024\n"),
              T(R903_HEADER "A,F,01/01/2005,WBRI,UN1,0,\n"
                            "B,F,01/01/2005,WBRI,UN1,0,\n"
                            "C,F,01/01/2005,WBRI,UN1,1,01/01/2024\n"),
              "Header", ROWS(1));
        check(2025, "626", T(R903_HEADER "B,F,01/01/2005,WBRI,UN1,1,01/05/2024\n"),
              T(R903_HEADER "B,F,01/01/2005,WBRI,UN1,0,\n"), NONE);
}

/* ---------------------------------------------------------------- odd data */

/* Blank cells, invalid dates, empty tables and rows without a Header: no crash, and the
 * blank-sensitive rules report exactly the rows they should. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"101", "102", "103", "105", "168", "171", "174", "209",
                                            "231", "232", "301", "351", "444", "611", "612", "620",
                                            "621", "202", "203", "204", "208", "624", "626"};
        const char *hd = R903_HEADER ",,,XXXX,,,\nA,X,99/99/9999,,,,99/99/9999\n";
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                        if (!rules_find(RULES_903, y, codes[i]))
                                continue;
                        struct r903 t;
                        r903_begin(&t, y);
                        r903_table(&t, hd);
                        r903_table(&t, R903_UASC);
                        r903_last(&t, R903_HEADER ",,,XXXX,,,\n");
                        size_t n = r903_check(&t, codes[i]);
                        size_t want = 0; /* the blank child is the same both years */
                        if (strcmp(codes[i], "101") == 0 || strcmp(codes[i], "102") == 0 ||
                            strcmp(codes[i], "103") == 0)
                                want = 2; /* blank on row 1, invalid on row 2 */
                        else if (strcmp(codes[i], "171") == 0)
                                want = 1;
                        if (n != want)
                                print_error("%d %s: %zu findings\n", y, codes[i], n);
                        assert_int_equal(n, want);
                        r903_end(&t);
                }
        /* An empty Header. */
        check(2026, "444", T(R903_HEADER), NULL, NONE);
        check(2025, "102", T(R903_HEADER), NULL, NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_101), cmocka_unit_test(test_102), cmocka_unit_test(test_103),
            cmocka_unit_test(test_105), cmocka_unit_test(test_168), cmocka_unit_test(test_171),
            cmocka_unit_test(test_232), cmocka_unit_test(test_209), cmocka_unit_test(test_231),
            cmocka_unit_test(test_301), cmocka_unit_test(test_351), cmocka_unit_test(test_620),
            cmocka_unit_test(test_174), cmocka_unit_test(test_611), cmocka_unit_test(test_612),
            cmocka_unit_test(test_621), cmocka_unit_test(test_444), cmocka_unit_test(test_202),
            cmocka_unit_test(test_203), cmocka_unit_test(test_204), cmocka_unit_test(test_208),
            cmocka_unit_test(test_624), cmocka_unit_test(test_626), cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
