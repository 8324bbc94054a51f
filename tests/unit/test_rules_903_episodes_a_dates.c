/*
 * test_rules_903_episodes_a_dates.c — the Episodes date and sequence rules of
 * src/rules/903/episodes_dates.c.  Each rule has a passing and a failing case
 * naming the exact rows, worked out by hand (day counts are written next to
 * the rows); rules that changed are run in each year where they differ.  The
 * 2024/25 set (year 2025: 1 April 2024 to 31 March 2025) is used unless a
 * case says otherwise.  Rows are numbered from 1 below the header.
 */
#include "rules903_test.h"

#include <stdarg.h>

#define EPS R903_EPISODES
#define HDR R903_HEADER

#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, 0

/* Load the NULL-terminated tables, run `code` of set `year`, expect `rows` of Episodes. */
static void expect(int year, const char *code, const long *rows, size_t n, ...)
{
        struct r903 t;
        r903_begin(&t, year);
        va_list ap;
        va_start(ap, n);
        for (const char *s; (s = va_arg(ap, const char *));)
                r903_table(&t, s);
        va_end(ap);
        r903_check(&t, code);
        r903_expect_rows(&t, "Episodes", rows, n);
        r903_end(&t);
}

/* ---------------------------------------------------------------- start and end dates */

static void test_142(void **state)
{
        (void)state;
        expect(2025, "142", NONE,
               EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n"
                   "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"
                   "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
        expect(2025, "142", ROWS(1, 2, 4),
               EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,,,,,\n" /* 1 no REC */
                   "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"           /* 2 open, not last */
                   "A,10/07/2024,P,C2,N1,U4,PR1,,,,,,\n"           /* 3 last: open is fine */
                   "B,01/05/2024,S,C2,N1,U6,PR1,,E4A,,,,\n"        /* 4 no DEC */
                   "B,02/06/2024,S,C2,N1,U6,PR1,,,,,,\n"           /* 5 */
                   "C,,S,C2,N1,U6,PR1,,,,,,\n"                     /* 6 no DECOM: not judged */
                   "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",          /* 7 */
               (const char *)NULL);
}

static void test_353_354_355_356_385(void **state)
{
        (void)state;
        const char *ok = EPS "A,14/10/1991,S,C2,N1,U6,PR1,15/10/1991,X1,,,,\n"
                             "B,31/03/2025,S,C2,N1,U6,PR1,,,,,,\n"
                             "C,01/05/2024,S,C2,N1,U6,PR1,31/03/2025,E4A,,,,\n";
        const char *codes[] = {"353", "354", "355", "356", "385"};
        for (size_t i = 0; i < 5; i++)
                expect(2025, codes[i], NONE, ok, (const char *)NULL);
        const char *bad = EPS "A,13/10/1991,S,C2,N1,U6,PR1,15/10/1991,X1,,,,\n"  /* 1 too early */
                              "B,01/04/2025,S,C2,N1,U6,PR1,,,,,,\n"              /* 2 after year */
                              "C,01/05/2024,S,C2,N1,U6,PR1,01/04/2025,E4A,,,,\n" /* 3 ends after */
                              "D,01/05/2024,S,C2,N1,U6,PR1,01/05/2024,E4A,,,,\n" /* 4 same day */
                              "E,01/05/2024,S,C2,N1,U6,PR1,30/04/2024,E4A,,,,\n" /* 5 ends before */
                              "F,,S,C2,N1,U6,PR1,,,,,,\n";                       /* 6 blanks */
        expect(2025, "353", ROWS(1), bad, (const char *)NULL);
        expect(2025, "354", ROWS(2), bad, (const char *)NULL);
        expect(2025, "385", ROWS(3), bad, (const char *)NULL);
        expect(2025, "355", ROWS(4), bad, (const char *)NULL);
        expect(2025, "356", ROWS(5), bad, (const char *)NULL);
}

static void test_357(void **state)
{
        (void)state;
        expect(2025, "357", NONE,
               EPS "B,01/05/2023,P,C2,N1,U6,PR1,,,,,,\n" /* first before the year: not judged */
                   "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n"
                   "C,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n",
               (const char *)NULL);
        /* D's first episode (by DECOM) is the second row in the file. */
        expect(2025, "357", ROWS(1, 3),
               EPS "A,01/05/2024,P,C2,N1,U6,PR1,,,,,,\n"
                   "D,01/06/2024,S,C2,N1,U4,PR1,,,,,,\n"
                   "D,01/05/2024,L,C2,N1,U6,PR1,01/06/2024,X1,,,,\n",
               (const char *)NULL);
}

/* ---------------------------------------------------------------- how long */

static void test_361(void **state)
{
        (void)state;
        expect(2025, "361", ROWS(1, 2, 8),
               EPS "A,01/05/2024,S,L1,N1,U6,PR1,03/05/2024,X1,,,,\n"  /* 1 \ one period, */
                   "A,03/05/2024,L,L1,N1,U6,PR1,05/05/2024,E4A,,,,\n" /* 2 / 4 days */
                   "B,01/05/2024,S,L1,N1,U6,PR1,04/05/2024,X1,,,,\n"  /* 3 3 days */
                   "B,04/05/2024,L,C2,N1,U6,PR1,,,,,,\n"              /* 4 */
                   "C,01/05/2024,S,L1,N1,U6,PR1,02/05/2024,X1,,,,\n"  /* 5 1 day */
                   "C,02/05/2024,L,C1,N1,U6,PR1,03/05/2024,X1,,,,\n"  /* 6 */
                   "C,03/05/2024,L,L1,N1,U6,PR1,05/05/2024,E4A,,,,\n" /* 7 2 days */
                   "D,25/03/2025,S,L1,N1,U6,PR1,,,,,,\n",             /* 8 open: 6 days */
               (const char *)NULL);
        expect(2025, "361", NONE, EPS "B,01/05/2024,S,L1,N1,U6,PR1,04/05/2024,X1,,,,\n",
               (const char *)NULL);
}

static void test_362_363_364(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,L2,N1,U6,PR1,20/05/2024,X1,,,,\n" /* 1 \ L2 24 days */
                              "A,20/05/2024,P,L2,N1,U4,PR1,25/05/2024,E4A,,,,\n"  /* 2 / */
                              "B,01/05/2024,S,L2,N1,U6,PR1,22/05/2024,E4A,,,,\n"  /* 3 L2 21 */
                              "C,01/05/2024,S,L3,N1,U6,PR1,09/05/2024,E4A,,,,\n"  /* 4 L3 8 */
                              "D,01/05/2024,S,L3,N1,U6,PR1,08/05/2024,E4A,,,,\n"  /* 5 L3 7 */
                              "E,01/05/2024,S,J2,N1,U6,PR1,23/05/2024,E4A,,,,\n"  /* 6 J2 22 */
                              "F,01/05/2024,S,J2,N1,U6,PR1,22/05/2024,E4A,,,,\n"; /* 7 J2 21 */
        expect(2025, "362", ROWS(1, 2), eps, (const char *)NULL);
        expect(2025, "363", ROWS(4), eps, (const char *)NULL);
        expect(2025, "364", ROWS(6), eps, (const char *)NULL);
        const char *ok = EPS "B,01/05/2024,S,L2,N1,U6,PR1,22/05/2024,E4A,,,,\n";
        expect(2025, "362", NONE, ok, (const char *)NULL);
        expect(2025, "363", NONE, ok, (const char *)NULL);
        expect(2025, "364", NONE, ok, (const char *)NULL);
}

static void test_365_367(void **state)
{
        (void)state;
        expect(2025, "365", ROWS(2, 4),
               EPS "A,01/05/2024,S,V3,N2,U6,PR1,18/05/2024,E8,,,,\n" /* 1 17 days */
                   "B,01/05/2024,S,V3,N2,U6,PR1,19/05/2024,E8,,,,\n" /* 2 18 days */
                   "C,20/03/2025,S,V3,N2,U6,PR1,,,,,,\n"             /* 3 open: 11 days */
                   "D,01/03/2025,S,V3,N2,U6,PR1,,,,,,\n",            /* 4 open: 30 days */
               (const char *)NULL);
        expect(2025, "365", NONE, EPS "A,01/05/2024,S,V3,N2,U6,PR1,18/05/2024,E8,,,,\n",
               (const char *)NULL);
        /* A: 30 + 30 + 19 = 79 days; B: 19 (from 1 April) + 55 = 74 days. */
        expect(2025, "367", ROWS(1, 2, 3),
               EPS "A,01/05/2024,S,V3,N2,U6,PR1,31/05/2024,E8,,,,\n"
                   "A,01/06/2024,S,V3,N2,U6,PR1,01/07/2024,E8,,,,\n"
                   "A,01/08/2024,S,V3,N2,U6,PR1,20/08/2024,E8,,,,\n"
                   "B,01/03/2024,S,V3,N2,U6,PR1,20/04/2024,E8,,,,\n"
                   "B,01/05/2024,S,V3,N2,U6,PR1,25/06/2024,E8,,,,\n"
                   "C,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
        expect(2025, "367", NONE,
               EPS "B,01/03/2024,S,V3,N2,U6,PR1,20/04/2024,E8,,,,\n"
                   "B,01/05/2024,S,V3,N2,U6,PR1,25/06/2024,E8,,,,\n",
               (const char *)NULL);
}

static void test_375_376_379(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,01/01/2010,WBRI,UN1,,\n";
        const char *eps = EPS "A,01/05/2024,P,C2,N1,T1,,12/06/2024,X1,,,,\n" /* 1 T1 42 days */
                              "B,01/05/2024,P,C2,N1,T1,,13/06/2024,X1,,,,\n" /* 2 T1 43 */
                              "C,01/05/2024,P,C2,N1,T3,,22/05/2024,X1,,,,\n" /* 3 T3 21 */
                              "D,01/05/2024,P,C2,N1,T3,,23/05/2024,X1,,,,\n" /* 4 T3 22 */
                              "E,01/05/2024,P,C2,N1,T4,,08/05/2024,X1,,,,\n" /* 5 T4 7 */
                              "F,01/05/2024,P,C2,N1,T4,,09/05/2024,X1,,,,\n" /* 6 T4 8 */
                              "G,25/03/2025,P,C2,N1,T4,,,,,,,\n"             /* 7 open: 6 */
                              "H,01/03/2025,P,C2,N1,T4,,,,,,,\n";            /* 8 open: 30 */
        expect(2025, "375", ROWS(2), hdr, eps, (const char *)NULL);
        expect(2025, "376", ROWS(4), hdr, eps, (const char *)NULL);
        expect(2025, "379", ROWS(6, 8), hdr, eps, (const char *)NULL);
        const char *ok = EPS "G,25/03/2025,P,C2,N1,T4,,,,,,,\n";
        expect(2025, "375", NONE, hdr, ok, (const char *)NULL);
        expect(2025, "376", NONE, hdr, ok, (const char *)NULL);
        expect(2025, "379", NONE, hdr, ok, (const char *)NULL);
}

static void test_377(void **state)
{
        (void)state;
        expect(2025, "377", ROWS(1, 3, 5),
               EPS "A,01/05/2024,P,C2,N1,T3,,05/05/2024,X1,,,,\n"
                   "A,05/05/2024,P,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                   "A,01/06/2024,P,C2,N1,T3,,05/06/2024,X1,,,,\n"
                   "A,05/06/2024,P,C2,N1,U6,PR1,01/07/2024,X1,,,,\n"
                   "A,01/07/2024,P,C2,N1,T3,,05/07/2024,X1,,,,\n"
                   "A,05/07/2024,P,C2,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
        /* B's second T3 row only changes legal status: still two placements. */
        expect(2025, "377", NONE,
               EPS "B,01/05/2024,P,C2,N1,T3,,05/05/2024,X1,,,,\n"
                   "B,05/05/2024,L,C1,N1,T3,,08/05/2024,X1,,,,\n"
                   "B,08/05/2024,P,C1,N1,U6,PR1,01/06/2024,X1,,,,\n"
                   "B,01/06/2024,P,C1,N1,T3,,05/06/2024,X1,,,,\n"
                   "B,05/06/2024,P,C1,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
}

/* ---------------------------------------------------------------- minimum ages */

static void test_370(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,10/05/2008,WBRI,UN1,,\n"
                              "B,M,11/05/2008,WBRI,UN1,,\n"
                              "C,F,10/05/2007,WBRI,UN1,0,\n";
        const char *eps = EPS "A,10/05/2023,S,V2,N1,P2,PR4,,,,,,\n"  /* 1 15 today */
                              "B,10/05/2023,S,V2,N1,P2,PR4,,,,,,\n"  /* 2 14 */
                              "C,10/05/2023,S,V2,N1,P2,PR4,,,,,,\n"  /* 3 16 */
                              "D,10/05/2023,S,V2,N1,P2,PR4,,,,,,\n"; /* 4 no Header */
        expect(2023, "370", ROWS(2), hdr, eps, (const char *)NULL);
        expect(2024, "370", ROWS(1, 2), hdr, eps, (const char *)NULL);
        expect(2024, "370", NONE, hdr, EPS "C,10/05/2023,S,V2,N1,P2,PR4,,,,,,\n",
               (const char *)NULL);
        assert_null(rules_find(RULES_903, 2025, "370"));
}

static void test_371(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,10/05/2009,WBRI,UN1,,\n"
                              "B,M,10/05/2008,WBRI,UN1,,\n";
        const char *eps = EPS "A,10/05/2023,S,V2,N1,H5,PR4,10/05/2024,X1,,,,\n" /* 1 H5 at 14 */
                              "A,10/05/2024,P,V2,N1,K3,PR4,,,,,,\n"             /* 2 K3 at 15 */
                              "B,10/05/2021,S,V2,N1,H5,PR4,10/05/2024,X1,,,,\n" /* 3 H5 at 13 */
                              "B,10/05/2024,P,V2,N1,K3,PR4,,,,,,\n";            /* 4 K3 at 16 */
        expect(2023, "371", ROWS(3), hdr, eps, (const char *)NULL);
        expect(2024, "371", ROWS(1, 3), hdr, eps, (const char *)NULL);
        expect(2025, "371", ROWS(2), hdr, eps, (const char *)NULL);
        expect(2026, "371", ROWS(2), hdr, eps, (const char *)NULL);
        expect(2025, "371", NONE, hdr, EPS "B,10/05/2024,P,V2,N1,K3,PR4,,,,,,\n",
               (const char *)NULL);
}

static void test_372_373_374(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,01/06/2014,WBRI,UN1,,\n"
                              "B,M,01/06/2014,WBRI,UN1,,\n"
                              "C,M,01/06/2020,WBRI,UN1,,\n"
                              "D,M,01/06/2020,WBRI,UN1,,\n"
                              "E,M,01/06/2010,WBRI,UN1,,\n"
                              "F,M,01/06/2010,WBRI,UN1,,\n";
        const char *eps = EPS "A,31/05/2024,S,J1,N6,R5,PR3,,,,,,\n"  /* 1 R5 the day before 10 */
                              "B,01/06/2024,S,J1,N6,R5,PR3,,,,,,\n"  /* 2 R5 at 10 */
                              "C,31/05/2024,S,C2,N1,S1,PR4,,,,,,\n"  /* 3 S1 at 3 */
                              "D,01/06/2024,S,C2,N1,S1,PR4,,,,,,\n"  /* 4 S1 at 4 */
                              "E,31/05/2024,S,C2,N1,P3,PR4,,,,,,\n"  /* 5 P3 at 13 */
                              "F,01/06/2024,S,C2,N1,P3,PR4,,,,,,\n"; /* 6 P3 at 14 */
        expect(2025, "372", ROWS(1), hdr, eps, (const char *)NULL);
        expect(2025, "373", ROWS(3), hdr, eps, (const char *)NULL);
        expect(2025, "374", ROWS(5), hdr, eps, (const char *)NULL);
        const char *ok = EPS "B,01/06/2024,S,J1,N6,R5,PR3,,,,,,\n"
                             "D,01/06/2024,S,C2,N1,S1,PR4,,,,,,\n"
                             "F,01/06/2024,S,C2,N1,P3,PR4,,,,,,\n";
        expect(2025, "372", NONE, hdr, ok, (const char *)NULL);
        expect(2025, "373", NONE, hdr, ok, (const char *)NULL);
        expect(2025, "374", NONE, hdr, ok, (const char *)NULL);
}

static void test_234(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,15/06/2015,WBRI,UN1,,\n"
                              "B,M,15/06/2015,WBRI,UN1,,\n"
                              "C,M,01/01/2010,WBRI,UN1,,\n"
                              "D,M,15/06/2015,WBRI,UN1,,\n";
        /* A leaves for custody at 9 (DEC 14/06/2025); B on his 10th birthday. */
        expect(2026, "234", ROWS(1), hdr,
               EPS "A,01/05/2025,S,C2,N1,U6,PR1,14/06/2025,X1,CUSTOD,,,\n"
                   "A,14/06/2025,P,C2,N1,R5,PR3,,,,,,\n"
                   "B,01/05/2025,S,C2,N1,U6,PR1,15/06/2025,X1,CUSTOD,,,\n"
                   "C,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,X1,CUSTOD,,,\n"
                   "D,01/05/2025,S,C2,N1,U6,PR1,14/06/2025,X1,CARPL,,,\n",
               (const char *)NULL);
        expect(2027, "234", NONE, hdr, EPS "C,01/05/2026,S,C2,N1,U6,PR1,01/06/2026,X1,CUSTOD,,,\n",
               (const char *)NULL);
        assert_null(rules_find(RULES_903, 2025, "234"));
}

/* ---------------------------------------------------------------- before and after */

static void test_225(void **state)
{
        (void)state;
        expect(2025, "225", ROWS(1),
               EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"      /* 1 move, no reason */
                   "A,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"                  /* 2 */
                   "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 3 */
                   "B,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n"                  /* 4 */
                   "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"      /* 5 status only */
                   "C,01/06/2024,L,C1,N1,U6,PR1,,,,,,\n"                  /* 6 */
                   "D,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"      /* 7 into T1 */
                   "D,01/06/2024,P,C2,N1,T1,,,,,,,\n"                     /* 8 */
                   "E,01/05/2024,P,C2,N1,T1,,01/06/2024,X1,,,,\n"         /* 9 from T1 */
                   "E,01/06/2024,P,C2,N1,U6,PR1,,,,,,\n"                  /* 10 */
                   "F,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"     /* 11 left care */
                   "F,01/07/2024,S,C2,N1,U6,PR1,,,,,,\n",                 /* 12 */
               (const char *)NULL);
        expect(2025, "225", NONE,
               EPS "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n"
                   "B,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n",
               (const char *)NULL);
}

static void test_336(void **state)
{
        (void)state;
        expect(2025, "336", ROWS(4, 9),
               EPS "A,01/05/2024,S,E1,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 1 */
                   "A,01/06/2024,P,E1,N1,A3,PR1,,,,,,\n"                  /* 2 after U6 */
                   "B,01/05/2024,S,E1,N1,K2,PR1,01/06/2024,X1,CARPL,,,\n" /* 3 */
                   "B,01/06/2024,P,E1,N1,A5,PR1,,,,,,\n"                  /* 4 after K2 */
                   "C,01/05/2024,S,E1,N1,A3,PR1,,,,,,\n"                  /* 5 first episode */
                   "D,01/05/2024,S,E1,N1,T1,,01/06/2024,X1,,,,\n"         /* 6 */
                   "D,01/06/2024,P,E1,N1,A4,PR1,,,,,,\n"                  /* 7 A4: not checked */
                   "E,01/05/2024,S,E1,N1,R1,PR3,01/06/2024,X1,CARPL,,,\n" /* 8 */
                   "E,01/06/2024,P,E1,N1,A3,PR1,,,,,,\n",                 /* 9 after R1 */
               (const char *)NULL);
        expect(2025, "336", NONE,
               EPS "A,01/05/2024,S,E1,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n"
                   "A,01/06/2024,P,E1,N1,A3,PR1,,,,,,\n",
               (const char *)NULL);
}

static void test_383(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,AB1 2CD,\n" /* 1 */
                              "A,01/06/2024,P,C2,N1,T1,,05/06/2024,X1,,,,\n"                /* 2 */
                              "A,05/06/2024,P,C2,N1,U6,PR1,,,,,AB12CD,\n"            /* 3 back */
                              "B,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 4 */
                              "B,01/06/2024,P,C2,N1,T3,,05/06/2024,X1,,,,\n"         /* 5 */
                              "B,05/06/2024,P,C2,N1,U4,PR1,,,,,,\n" /* 6 elsewhere */
                              "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 7 */
                              "C,01/06/2024,P,C2,N1,T1,,05/06/2024,X1,,,,\n"         /* 8 */
                              "C,05/06/2024,T,C2,N1,U6,PR1,,,,,,\n"                  /* 9 RNE T */
                              "D,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 10 */
                              "D,01/06/2024,P,C2,N1,T1,,,,,,,\n" /* 11 no next */
                              "E,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,AB1 2CD,\n" /* 12 */
                              "E,01/06/2024,P,C2,N1,T1,,05/06/2024,X1,,,,\n"                /* 13 */
                              "E,05/06/2024,P,C2,N1,U6,PR1,,,,,ZZ9 9ZZ,\n"; /* 14 new address */
        /* to 2024/25 the temporary episode is reported; from 2025/26 the one after it */
        expect(2025, "383", ROWS(5, 8), eps, (const char *)NULL);
        expect(2023, "383", ROWS(5, 8), eps, (const char *)NULL);
        expect(2026, "383", ROWS(6, 9, 14), eps, (const char *)NULL);
        const char *ok = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,AB1 2CD,\n"
                             "A,01/06/2024,P,C2,N1,T1,,05/06/2024,X1,,,,\n"
                             "A,05/06/2024,P,C2,N1,U6,PR1,,,,,AB12CD,\n";
        expect(2025, "383", NONE, ok, (const char *)NULL);
        expect(2026, "383", NONE, ok, (const char *)NULL);
}

/* Odd input: no rows, blank rows, a child without Header: nothing to report, no crash. */
static void test_odd_input(void **state)
{
        (void)state;
        const char *codes[] = {"142", "225", "336", "353", "354", "355", "356", "357",
                               "361", "362", "363", "364", "365", "367", "371", "372",
                               "373", "374", "375", "376", "377", "379", "383", "385"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                expect(2025, codes[i], NONE, EPS, (const char *)NULL);
                expect(2025, codes[i], NONE, HDR, EPS ",,,,,,,,,,,,\n,,,,,,,,,,,,\n",
                       (const char *)NULL);
                expect(2025, codes[i], NONE, HDR "Z,M,,WBRI,UN1,,\n",
                       EPS "Z,31/02/2024,S,C2,N1,R5,PR1,31/02/2024,X1,,,,\n", (const char *)NULL);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_142),         cmocka_unit_test(test_353_354_355_356_385),
            cmocka_unit_test(test_357),         cmocka_unit_test(test_361),
            cmocka_unit_test(test_362_363_364), cmocka_unit_test(test_365_367),
            cmocka_unit_test(test_375_376_379), cmocka_unit_test(test_377),
            cmocka_unit_test(test_370),         cmocka_unit_test(test_371),
            cmocka_unit_test(test_372_373_374), cmocka_unit_test(test_234),
            cmocka_unit_test(test_225),         cmocka_unit_test(test_336),
            cmocka_unit_test(test_383),         cmocka_unit_test(test_odd_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
