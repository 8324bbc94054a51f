/*
 * test_rules_903_episodes_a_links.c — the rules of
 * src/rules/903/episodes_links.c, which check another table against the
 * child's episodes: PlacedAdoption (117, 118), AD1 (334, 335), OC2 and
 * continuous care (185, 186, 198), and last year's return (199, 207).
 *
 * Each rule has a passing case and a failing case naming the exact rows of
 * each table, worked out by hand.  Year 2025 (1 April 2024 to 31 March 2025)
 * throughout.  A table text starting with '@' is last year's.
 */
#include "rules903_test.h"

#include <stdarg.h>

#define EPS R903_EPISODES
#define HDR R903_HEADER

#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, 0

/* Load the NULL-terminated tables and run `code` of the 2025 set; the caller checks and ends. */
static void run(struct r903 *t, const char *code, ...)
{
        r903_begin(t, 2025);
        va_list ap;
        va_start(ap, code);
        for (const char *s; (s = va_arg(ap, const char *));)
                r903_table_ex(t, s[0] == '@' ? s + 1 : s, s[0] == '@');
        va_end(ap);
        r903_check(t, code);
}

/* The findings in `table` must be exactly `rows`. */
static void rows_in(const struct r903 *t, const char *table, const long *rows, size_t n)
{
        size_t have = 0;
        for (size_t i = 0; i < t->res.n; i++)
                if (strcmp(t->res.f[i].table, table) == 0)
                        have++;
        if (have != n)
                print_error("%s: %zu findings, expected %zu\n", table, have, n);
        assert_int_equal(have, n);
        for (size_t j = 0; j < n; j++) {
                int found = 0;
                for (size_t i = 0; i < t->res.n; i++)
                        found |=
                            strcmp(t->res.f[i].table, table) == 0 && t->res.f[i].row == rows[j];
                if (!found)
                        print_error("expected a finding on %s row %ld\n", table, rows[j]);
                assert_true(found);
        }
}

/* ---------------------------------------------------------------- adoption decisions */

#define PA "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"
#define AD R903_AD1

static void test_117(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n" /* 1 */
                              "A,01/06/2024,P,E1,N1,A4,PR1,01/09/2024,E11,,,,\n"     /* 2 */
                              "B,01/05/2024,S,E1,N1,A4,PR1,01/09/2024,E12,,,,\n"     /* 3 */
                              "C,01/05/2024,S,E1,N1,U6,PR1,,,,,,\n"                  /* 4 open */
                              "D,01/05/2024,S,E1,N1,U6,PR1,,,,,,\n";                 /* 5 open */
        struct r903 t;
        run(&t, "117", eps,
            PA "A,01/01/2015,01/08/2024,,\n"              /* 1 before A ceased */
               "B,01/01/2015,01/10/2024,,\n"              /* 2 after B ceased (01/09) */
               "C,01/01/2015,01/05/2024,01/04/2025,RD1\n" /* 3 reversed after the year */
               "D,01/01/2015,01/05/2024,,\n"              /* 4 */
               "E,01/01/2015,01/05/2026,,\n",             /* 5 no episodes: not judged */
            (const char *)NULL);
        rows_in(&t, "PlacedAdoption", ROWS(2, 3));
        rows_in(&t, "Episodes", ROWS(3, 4));
        r903_end(&t);
        run(&t, "117", eps, PA "A,01/01/2015,01/08/2024,,\nD,01/01/2015,31/03/2025,,\n",
            (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

static void test_118(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/03/2024,S,V3,N2,U6,PR1,05/03/2024,E8,,,,\n" /* 1 short break */
                              "A,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"             /* 2 care begins */
                              "B,01/01/2020,S,C2,N1,U6,PR1,,,,,,\n"             /* 3 */
                              "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n";            /* 4 */
        struct r903 t;
        run(&t, "118", eps,
            PA "A,01/01/2015,01/04/2024,10/04/2024,RD1\n"  /* 1 before A's care began */
               "B,01/01/2015,01/01/2024,10/03/2024,RD2\n"  /* 2 before the year */
               "C,01/01/2015,01/05/2024,10/06/2024,RD4\n"  /* 3 */
               "D,01/01/2015,01/05/2024,10/03/2024,RD4\n", /* 4 no episodes */
            (const char *)NULL);
        rows_in(&t, "PlacedAdoption", ROWS(1, 2));
        rows_in(&t, "Episodes", ROWS(2, 3));
        r903_end(&t);
        run(&t, "118", eps, PA "C,01/01/2015,01/05/2024,10/06/2024,RD4\n", (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

static void test_334(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/01/2020,S,C2,N1,U6,PR1,01/02/2020,E4A,,,,\n" /* 1 */
                              "A,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"              /* 2 latest S */
                              "B,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n";             /* 3 */
        struct r903 t;
        run(&t, "334", eps,
            AD "A,01/01/2015,01/03/2024,01/04/2024,0,2,MF,L11\n"
               "B,01/01/2015,01/06/2023,01/07/2024,0,2,MF,L11\n",
            (const char *)NULL);
        rows_in(&t, "AD1", ROWS(1));
        rows_in(&t, "Episodes", ROWS(2));
        r903_end(&t);
        run(&t, "334", eps, AD "B,01/01/2015,01/05/2023,01/07/2024,0,2,MF,L11\n",
            (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

static void test_335(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,P,E1,N1,A3,PR1,01/09/2024,E11,,,,\n" /* 1 */
                              "B,01/05/2024,P,E1,N1,A4,PR1,01/09/2024,E12,,,,\n" /* 2 */
                              "C,01/05/2024,P,E1,N1,A5,PR1,01/09/2024,E11,,,,\n" /* 3 */
                              "D,01/05/2024,P,E1,N1,A6,PR1,01/09/2024,X1,,,,\n"; /* 4 */
        struct r903 t;
        run(&t, "335", eps,
            AD "A,01/01/2015,01/03/2024,01/04/2024,0,2,MF,L11\n"  /* 1 A3 but not foster carers */
               "B,01/01/2015,01/03/2024,01/04/2024,1,2,MF,L11\n"  /* 2 A4 but foster carers */
               "C,01/01/2015,01/03/2024,01/04/2024,1,2,MF,L11\n"  /* 3 */
               "D,01/01/2015,01/03/2024,01/04/2024,1,2,MF,L11\n", /* 4 not adopted (X1) */
            (const char *)NULL);
        rows_in(&t, "Episodes", ROWS(1, 2));
        rows_in(&t, "AD1", ROWS(1, 2));
        r903_end(&t);
        run(&t, "335", eps, AD "C,01/01/2015,01/03/2024,01/04/2024,1,2,MF,L11\n",
            (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

/* ---------------------------------------------------------------- SDQ and continuous care */

/* Who was looked after all year: A, D (ended on 31 March) and G (moved in the year). */
static const char *const CARE =
    EPS "A,01/01/2023,S,C2,N1,U6,PR1,,,,,,\n"
        "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"              /* started in the year */
        "C,01/01/2023,S,C2,N1,U6,PR1,01/03/2025,E4A,,,,\n" /* left before 31 March */
        "D,01/01/2023,S,C2,N1,U6,PR1,31/03/2025,E4A,,,,\n" /* left on 31 March */
        "E,01/01/2023,S,V3,N2,U6,PR1,,,,,,\n"              /* short breaks */
        "G,01/01/2023,S,C2,N1,U6,PR1,01/06/2024,X1,CARPL,,,\n"
        "G,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n";

#define OC2 R903_OC2

static void test_185_198(void **state)
{
        (void)state;
        const char *oc2 = OC2 "A,01/01/2012,10,,0,,1,1,1,0,,\n"   /* 1 */
                              "B,01/01/2012,12,,0,,1,1,1,0,,\n"   /* 2 score, not in care */
                              "C,01/01/2012,,SDQ2,0,,1,1,1,0,,\n" /* 3 reason, left */
                              "D,01/01/2012,8,,0,,1,1,1,0,,\n"    /* 4 score, left 31/3 */
                              "E,01/01/2012,9,,0,,1,1,1,0,,\n"    /* 5 score, short breaks */
                              "F,01/01/2012,,SDQ4,0,,1,1,1,0,,\n" /* 6 reason, no episodes */
                              "G,01/01/2012,20,,0,,1,1,1,0,,\n";  /* 7 */
        struct r903 t;
        /* D ceased on 31 March itself, so is not looked after at 31 March: out of the OC2
         * cohort, as the OC2 family and the measures read it. */
        run(&t, "185", CARE, oc2, (const char *)NULL);
        r903_expect_rows(&t, "OC2", ROWS(2, 4, 5));
        r903_end(&t);
        run(&t, "198", CARE, oc2, (const char *)NULL);
        r903_expect_rows(&t, "OC2", ROWS(3, 6));
        r903_end(&t);
        const char *ok = OC2 "A,01/01/2012,10,,0,,1,1,1,0,,\n"
                             "G,01/01/2012,,SDQ5,0,,1,1,1,0,,\n";
        run(&t, "185", CARE, ok, (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
        run(&t, "198", CARE, ok, (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
        /* A reason for no score for the child who left on 31 March is reported by 198. */
        run(&t, "198", CARE, OC2 "D,01/01/2012,,SDQ5,0,,1,1,1,0,,\n", (const char *)NULL);
        r903_expect_rows(&t, "OC2", ROWS(1));
        r903_end(&t);
}

static void test_186(void **state)
{
        (void)state;
        struct r903 t;
        run(&t, "186", CARE,
            OC2 "A,01/04/2020,,,,1,1,1,1,0,,\n"  /* 1 4 on 1 April 2024: needs a score */
                "D,31/03/2008,,,0,,1,1,1,0,,\n"  /* 2 17 on 31 March 2025: too old */
                "G,02/04/2020,,,,1,1,1,1,0,,\n"  /* 3 4 on 2 April: too young */
                "B,01/01/2015,,,0,,1,1,1,0,,\n", /* 4 not in care all year */
            (const char *)NULL);
        r903_expect_rows(&t, "OC2", ROWS(1));
        r903_end(&t);
        run(&t, "186", CARE,
            OC2 "A,01/04/2020,,SDQ1,,1,1,1,1,0,,\n"
                "D,01/04/2008,15,,0,,1,1,1,0,,\n",
            (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

/* ---------------------------------------------------------------- against last year */

static void test_199(void **state)
{
        (void)state;
        const char *last = "@" EPS "A,01/05/2022,S,E1,N1,A4,PR1,01/10/2023,E11,,,,\n"
                           "B,01/05/2023,S,E1,N1,A4,PR1,,,,,,\n"
                           "E,01/05/2023,S,E1,N1,A4,PR1,01/03/2024,E11,,,,\n";
        struct r903 t;
        run(&t, "199", last,
            EPS "A,01/06/2024,S,C2,N1,U6,PR1,,,,,,\n"               /* 1 after A's adoption */
                "B,01/05/2023,S,E1,N1,A4,PR1,01/06/2024,E12,,,,\n"  /* 2 B's adoption */
                "B,01/08/2024,S,C2,N1,U6,PR1,,,,,,\n"               /* 3 after it */
                "C,01/05/2024,S,E1,N1,A4,PR1,01/06/2024,E11,,,,\n"  /* 4 */
                "C,01/06/2024,S,E1,N1,A4,PR1,01/07/2024,E12,,,,\n"  /* 5 second adoption */
                "D,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"               /* 6 */
                "E,01/05/2023,S,E1,N1,A4,PR1,01/03/2024,E11,,,,\n", /* 7 = last year's */
            (const char *)NULL);
        r903_expect_rows(&t, "Episodes", ROWS(1, 3, 5));
        r903_end(&t);
        run(&t, "199", last,
            EPS "B,01/05/2023,S,E1,N1,A4,PR1,01/06/2024,E12,,,,\n"
                "D,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
            (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

static void test_207(void **state)
{
        (void)state;
        const char *last = "@" HDR "A,F,01/01/2007,WBRI,UN3,1,01/06/2023\n"
                           "B,F,01/01/2007,WBRI,UN3,1,01/06/2023\n"
                           "C,F,01/01/2007,WBRI,UN3,1,01/06/2023\n"
                           "D,F,01/01/2007,WBRI,UN3,0,\n";
        const char *eps = EPS "A,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n"
                              "C,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n"
                              "D,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n"
                              "E,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n";
        struct r903 t;
        run(&t, "207", last, eps,
            HDR "A,F,01/01/2007,WBRI,UN3,,\n"            /* 1 was a mother, now blank */
                "B,F,01/01/2007,WBRI,UN3,0,\n"           /* 2 no episodes this year */
                "C,F,01/01/2007,WBRI,UN3,1,01/06/2023\n" /* 3 */
                "D,F,01/01/2007,WBRI,UN3,0,\n"           /* 4 */
                "E,F,01/01/2007,WBRI,UN3,0,\n",          /* 5 new this year */
            (const char *)NULL);
        r903_expect_rows(&t, "Header", ROWS(1));
        r903_end(&t);
        run(&t, "207", last, eps, HDR "C,F,01/01/2007,WBRI,UN3,1,01/06/2023\n", (const char *)NULL);
        r903_expect_none(&t);
        r903_end(&t);
}

/* Odd input: empty tables and blank cells give nothing and do not crash. */
static void test_odd_input(void **state)
{
        (void)state;
        const char *codes[] = {"117", "118", "185", "186", "198", "199", "207", "334", "335"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                struct r903 t;
                run(&t, codes[i], EPS, PA, AD, OC2, HDR, "@" HDR, "@" EPS, (const char *)NULL);
                r903_expect_none(&t);
                r903_end(&t);
                run(&t, codes[i], EPS ",,,,,,,,,,,,\nA,31/02/2024,,,,,,31/02/2024,,,,,\n",
                    PA "A,,31/02/2024,,\n", AD "A,,31/02/2024,,,,,\n", OC2 "A,,,,,,,,,,,\n",
                    HDR "A,,,,,,\n", "@" HDR "A,,,,,1,\n", "@" EPS "A,,,,,,,,E11,,,,\n",
                    (const char *)NULL);
                if (strcmp(codes[i], "207") != 0)
                        r903_expect_none(&t);
                else /* a mother last year, MOTHER blank now, with an episode: reported */
                        r903_expect_rows(&t, "Header", ROWS(1));
                r903_end(&t);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_117),       cmocka_unit_test(test_118),
            cmocka_unit_test(test_334),       cmocka_unit_test(test_335),
            cmocka_unit_test(test_185_198),   cmocka_unit_test(test_186),
            cmocka_unit_test(test_199),       cmocka_unit_test(test_207),
            cmocka_unit_test(test_odd_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
