/*
 * test_rules_903_episodes_a.c — the Episodes code rules of
 * src/rules/903/episodes_codes.c, and the rows of all four "episodes A"
 * families (episodes_codes, episodes_dates, episodes_links, placements)
 * against the generated catalogue.
 *
 * Each rule has a passing case (no finding) and a failing case naming the
 * exact rows, worked out by hand from the rule's definition; rules whose code
 * list changed are run in each year where it differs.  Rows are numbered from
 * 1 below the header, as in the report.
 */
#include "rules903_test.h"

#include <stdarg.h>

extern const struct rule_def rules_903_episodes_codes[];
extern const struct rule_def rules_903_episodes_dates[];
extern const struct rule_def rules_903_episodes_links[];
extern const struct rule_def rules_903_placements[];

#define EPS R903_EPISODES

#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, 0

/* Load the NULL-terminated tables (this year's), run `code` of set `year`, expect `rows`. */
static void expect(int year, const char *code, const char *table, const long *rows, size_t n, ...)
{
        struct r903 t;
        r903_begin(&t, year);
        va_list ap;
        va_start(ap, n);
        for (const char *s; (s = va_arg(ap, const char *));)
                r903_table(&t, s);
        va_end(ap);
        r903_check(&t, code);
        r903_expect_rows(&t, table ? table : "", rows, n);
        r903_end(&t);
}

/* ---------------------------------------------------------------- dates that are not dates */

static void test_141_147(void **state)
{
        (void)state;
        const char *ok = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                             "B,,S,C2,N1,U6,PR1,,,,,,\n";
        expect(2025, "141", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "147", NULL, NONE, ok, (const char *)NULL);
        const char *bad = EPS "A,01/05/2024,S,C2,N1,U6,PR1,31/02/2025,E4A,,,,\n"
                              "B,31/02/2024,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,\n"
                              "C,,S,C2,N1,U6,PR1,,,,,,\n"
                              "D,2024-05-01,S,C2,N1,U6,PR1,01-06-2024,E4A,,,,\n";
        expect(2025, "141", "Episodes", ROWS(2, 4), bad, (const char *)NULL);
        expect(2025, "147", "Episodes", ROWS(1, 4), bad, (const char *)NULL);
}

/* ---------------------------------------------------------------- code lists */

static void test_143_144_145(void **state)
{
        (void)state;
        const char *ok = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"
                             "B,01/05/2024,p,c1,n8,U6,PR1,,,,,,\n"
                             "C,01/05/2024,,,,U6,PR1,,,,,,\n";
        expect(2025, "143", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "144", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "145", NULL, NONE, ok, (const char *)NULL);
        const char *bad = EPS "A,01/05/2024,Q,C9,N1,U6,PR1,,,,,,\n"
                              "B,01/05/2024,SP,C2,N9,U6,PR1,,,,,,\n"
                              "C,01/05/2024,B,V1,N0,U6,PR1,,,,,,\n"
                              "D,01/05/2024,U,J3,N5,U6,PR1,,,,,,\n";
        expect(2025, "143", "Episodes", ROWS(1, 2), bad, (const char *)NULL);
        expect(2025, "144", "Episodes", ROWS(1, 3), bad, (const char *)NULL);
        expect(2025, "145", "Episodes", ROWS(2, 3), bad, (const char *)NULL);
}

static void test_146(void **state)
{
        (void)state;
        const char *places = EPS "A,01/05/2024,S,C2,N1,K3,PR1,,,,,,\n" /* 1 */
                                 "B,01/05/2024,S,C2,N1,H5,PR1,,,,,,\n" /* 2 */
                                 "C,01/05/2024,S,C2,N1,Z1,,,,,,,\n"    /* 3 */
                                 "D,01/05/2024,S,C2,N1,Z11,,,,,,,\n"   /* 4 */
                                 "E,01/05/2024,S,C2,N1,P2,PR1,,,,,,\n" /* 5 */
                                 "F,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n" /* 6 */
                                 "G,01/05/2024,S,C2,N1,Z9,PR1,,,,,,\n" /* 7 */
                                 "H,01/05/2024,S,C2,N1,,PR1,,,,,,\n";  /* 8 blank */
        /* K3 arrives in 2024/25; H5, P2 and Z1 go in 2025/26, Z11-Z14 come. */
        expect(2023, "146", "Episodes", ROWS(1, 4, 7), places, (const char *)NULL);
        expect(2024, "146", "Episodes", ROWS(1, 4, 7), places, (const char *)NULL);
        expect(2025, "146", "Episodes", ROWS(4, 7), places, (const char *)NULL);
        expect(2026, "146", "Episodes", ROWS(2, 3, 5, 7), places, (const char *)NULL);
        expect(2027, "146", "Episodes", ROWS(2, 3, 5, 7), places, (const char *)NULL);
        expect(2026, "146", NULL, NONE, EPS "A,01/05/2024,S,C2,N1,Z14,,,,,,,\n",
               (const char *)NULL);
        /* Listed codes repeated or extended are no codes (the list is compared byte by byte). */
        expect(2026, "146", "Episodes", ROWS(1, 2, 3),
               EPS "A,01/05/2024,S,C2,N1,Z11Z11Z11,,,,,,,\n"
                   "B,01/05/2024,S,C2,N1,Z111,,,,,,,\n"
                   "C,01/05/2024,S,C2,N1,U6U6U6U,PR1,,,,,,\n"
                   "D,01/05/2024,S,C2,N1,Z12,,,,,,,\n",
               (const char *)NULL);
}

static void test_148_149(void **state)
{
        (void)state;
        const char *ok = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,,,\n"
                             "A,01/06/2024,P,C2,N1,U6,PR1,01/07/2024,E4A,,,,\n"
                             "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n";
        expect(2025, "148", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "149", NULL, NONE, ok, (const char *)NULL);
        const char *bad = EPS "A,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,,,,,\n"   /* DEC only */
                              "B,01/05/2024,S,C2,N1,U6,PR1,,E4C,,,,\n"          /* REC only */
                              "C,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,E1,,,,\n" /* old code */
                              "D,01/05/2024,S,C2,N1,U6,PR1,31/02/2024,E41,,,,\n";
        expect(2025, "148", "Episodes", ROWS(1, 2), bad, (const char *)NULL);
        expect(2025, "149", "Episodes", ROWS(2, 3), bad, (const char *)NULL);
}

static void test_178(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"   /* 1 ok */
                              "B,01/05/2024,S,C2,N1,U6,PR9,,,,,,\n"   /* 2 not a code */
                              "C,01/05/2024,S,C2,N1,T0,PR1,,,,,,\n"   /* 3 T0 has none */
                              "D,01/05/2024,S,C2,N1,T0,,,,,,,\n"      /* 4 ok */
                              "E,01/05/2024,S,C2,N1,Z1,PR2,,,,,,\n"   /* 5 Z1 to 2024/25 */
                              "F,01/05/2024,S,C2,N1,T4,PR1,,,,,,\n"   /* 6 T4 to 2024/25 */
                              "G,01/05/2024,S,C2,N1,Z12,PR2,,,,,,\n"; /* 7 Z12 from 2025/26 */
        expect(2025, "178", "Episodes", ROWS(2, 3, 5, 6), eps, (const char *)NULL);
        expect(2023, "178", "Episodes", ROWS(2, 3, 5, 6), eps, (const char *)NULL);
        expect(2026, "178", "Episodes", ROWS(2, 3, 7), eps, (const char *)NULL);
        expect(2026, "178", NULL, NONE, EPS "A,01/05/2024,S,C2,N1,U6,PR0,,,,,,\n",
               (const char *)NULL);
}

/* ---------------------------------------------------------------- combinations */

static void test_213(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,T2,PR1,,,,,,\n"  /* 1 */
                              "B,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"  /* 2 */
                              "C,01/05/2024,S,C2,N1,Z1,PR1,,,,,,\n"  /* 3 */
                              "D,01/05/2024,S,C2,N1,Z12,PR1,,,,,,\n" /* 4 */
                              "E,01/05/2024,S,C2,N1,T4,PR1,,,,,,\n"  /* 5 */
                              "F,01/05/2024,S,C2,N1,T3,,,,,,,\n";    /* 6 */
        expect(2025, "213", "Episodes", ROWS(1, 5), eps, (const char *)NULL);
        expect(2026, "213", "Episodes", ROWS(1, 4, 5), eps, (const char *)NULL);
        expect(2026, "213", NULL, NONE, EPS "A,01/05/2024,S,C2,N1,Z13,,,,,,,\n",
               (const char *)NULL);
}

static void test_214(void **state)
{
        (void)state;
        expect(2025, "214", NULL, NONE,
               EPS "A,01/05/2024,S,V3,N2,U6,PR1,02/05/2024,E8,,,,\n"
                   "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 2CD,EF3 4GH,SC123456\n",
               (const char *)NULL);
        expect(2025, "214", "Episodes", ROWS(1, 2),
               EPS "A,01/05/2024,S,V3,N2,U6,PR1,02/05/2024,E8,,,EF3 4GH,\n"
                   "B,01/05/2024,S,V4,N2,U6,PR1,02/05/2024,E8,,,,XXXXXXX\n"
                   "C,01/05/2024,S,V4,N2,U6,PR1,02/05/2024,E8,,AB1 2CD,,\n",
               (const char *)NULL);
}

static void test_217(void **state)
{
        (void)state;
        expect(2025, "217", NULL, NONE,
               EPS "A,01/05/2024,S,E1,N1,A3,PR1,,,,,,\n"
                   "B,01/05/2024,T,E1,N1,A5,PR1,,,,,,\n"
                   "C,01/05/2024,P,E1,N1,A4,PR1,,,,,,\n"
                   "D,01/03/2015,P,E1,N1,A3,PR1,,,,,,\n", /* before 1 April 2015 */
               (const char *)NULL);
        expect(2025, "217", "Episodes", ROWS(1, 2),
               EPS "A,01/05/2024,P,E1,N1,A3,PR1,,,,,,\n"
                   "B,01/04/2015,,E1,N1,A5,PR1,,,,,,\n"
                   "C,01/05/2024,U,E1,N1,A5,PR1,,,,,,\n",
               (const char *)NULL);
}

static void test_217t(void **state)
{
        (void)state;
        expect(2024, "217t", "Episodes", ROWS(1, 3),
               EPS "A,01/05/2023,S,V2,N1,P2,PR1,01/11/2023,E8,,,,\n"
                   "B,01/05/2023,S,V2,N1,P2,PR1,28/10/2023,E8,,,,\n"
                   "C,01/05/2023,S,V2,N1,P2,PR1,,,,,,\n"
                   "D,01/05/2023,S,V2,N1,P1,PR0,,,,,,\n",
               (const char *)NULL);
        expect(2024, "217t", NULL, NONE, EPS "A,01/05/2023,S,V2,N1,P2,PR1,27/10/2023,E8,,,,\n",
               (const char *)NULL);
        /* only in the 2023/24 set */
        assert_null(rules_find(RULES_903, 2023, "217t"));
        assert_null(rules_find(RULES_903, 2025, "217t"));
}

static void test_222(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,H5,PR4,,,,,,SC111111\n" /* 1 */
                              "B,01/05/2024,S,C2,N1,P1,PR0,,,,,,XXXXXXX\n"  /* 2 */
                              "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,SC222222\n" /* 3 */
                              "D,01/05/2024,S,C2,N1,T1,,,,,,,SC333333\n"    /* 4 */
                              "E,01/05/2024,S,C2,N1,P2,PR4,,,,,,SC444444\n" /* 5 */
                              "F,01/05/2024,S,C2,N1,Z1,,,,,,,SC555555\n"    /* 6 */
                              "G,01/05/2024,S,C2,N1,Z11,,,,,,,SC666666\n"   /* 7 */
                              "H,01/05/2024,S,C2,N1,R1,PR3,,,,,,\n";        /* 8 */
        expect(2023, "222", "Episodes", ROWS(1, 4, 5, 6), eps, (const char *)NULL);
        expect(2024, "222", "Episodes", ROWS(4, 5, 6), eps, (const char *)NULL);
        expect(2025, "222", "Episodes", ROWS(4, 6), eps, (const char *)NULL);
        expect(2026, "222", "Episodes", ROWS(4, 7), eps, (const char *)NULL);
}

static void test_226(void **state)
{
        (void)state;
        /* A's rows are out of order in the file: the T1 episode follows the one with a reason. */
        const char *bad = EPS "A,10/06/2024,P,C2,N1,T1,,20/06/2024,X1,,,,\n"         /* 1 */
                              "A,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,CARPL,,,\n" /* 2 */
                              "B,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,,,,\n"      /* 3 */
                              "B,10/06/2024,P,C2,N1,T3,,20/06/2024,X1,CHILD,,,\n"    /* 4 */
                              "C,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,,,,\n"      /* 5 */
                              "C,10/06/2024,P,C2,N1,T2,,,,,,,\n";                    /* 6 */
        expect(2025, "226", "Episodes", ROWS(1, 4), bad, (const char *)NULL);
        expect(2026, "226", "Episodes", ROWS(1, 4), bad, (const char *)NULL);
        expect(2025, "226", NULL, NONE,
               EPS "A,01/05/2024,S,C2,N1,U6,PR1,10/06/2024,X1,,,,\n"
                   "A,10/06/2024,P,C2,N1,T1,,20/06/2024,X1,,,,\n"
                   "A,20/06/2024,P,C2,N1,U6,PR1,01/07/2024,X1,CARPL,,,\n"
                   "A,01/07/2024,P,C2,N1,U4,PR1,,,,,,\n",
               (const char *)NULL);
}

static void test_233(void **state)
{
        (void)state;
        expect(2026, "233", "Episodes", ROWS(2),
               EPS "A,01/05/2025,S,C2,N1,U6,PR1,01/06/2025,X1,CARPL,,,\n"
                   "A,01/06/2025,P,C2,N1,U4,PR1,,,CARPL,,,\n"
                   "B,01/05/2025,S,C2,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
        expect(2027, "233", NULL, NONE, EPS "A,01/05/2026,S,C2,N1,U6,PR1,,,,,,\n",
               (const char *)NULL);
        assert_null(rules_find(RULES_903, 2025, "233"));
}

static void test_366_378(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,P,V3,N2,U6,PR1,02/05/2024,E8,,,,\n" /* 1 */
                              "B,01/05/2024,S,V3,N2,U6,PR1,02/05/2024,E8,,,,\n" /* 2 */
                              "C,01/05/2024,P,V4,N2,U6,PR1,02/05/2024,E8,,,,\n" /* 3 */
                              "D,01/05/2024,,V3,N2,U6,PR1,02/05/2024,E8,,,,\n"  /* 4 */
                              "E,01/05/2024,S,V2,N1,P1,PR0,,,,,,\n"             /* 5 */
                              "F,01/05/2024,S,C2,N1,P1,PR0,,,,,,\n"             /* 6 */
                              "G,01/05/2024,S,V2,N1,U6,PR1,,,,,,\n";            /* 7 */
        expect(2025, "366", "Episodes", ROWS(1, 4), eps, (const char *)NULL);
        expect(2025, "378", "Episodes", ROWS(5), eps, (const char *)NULL);
        const char *ok = EPS "B,01/05/2024,S,V3,N2,U6,PR1,02/05/2024,E8,,,,\n";
        expect(2025, "366", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "378", NULL, NONE, ok, (const char *)NULL);
}

static void test_380_381(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,P,C2,N1,T1,,10/05/2024,X1,,,,\n"      /* 1 */
                              "B,01/05/2024,B,C2,N1,T1,,10/05/2024,E4A,,,,\n"     /* 2 */
                              "C,01/05/2024,L,C2,N1,T0,,,,,,,\n"                  /* 3 */
                              "D,01/05/2024,S,C2,N1,T2,,,,,,,\n"                  /* 4 */
                              "E,01/05/2024,S,C2,N1,U6,PR1,10/05/2024,E4A,,,,\n"; /* 5 */
        expect(2025, "380", "Episodes", ROWS(3, 4), eps, (const char *)NULL);
        expect(2025, "381", "Episodes", ROWS(2), eps, (const char *)NULL);
        const char *ok = EPS "A,01/05/2024,P,C2,N1,T3,,10/05/2024,X1,,,,\n";
        expect(2025, "380", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "381", NULL, NONE, ok, (const char *)NULL);
}

static void test_382_384(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,V3,N2,T0,,02/05/2024,E8,,,,\n"    /* 1 */
                              "B,01/05/2024,S,V4,N2,T4,,02/05/2024,E8,,,,\n"    /* 2 */
                              "C,01/05/2024,S,V3,N2,U1,PR1,02/05/2024,E8,,,,\n" /* 3 */
                              "D,01/05/2024,S,V4,N2,U4,PR1,02/05/2024,E8,,,,\n" /* 4 */
                              "E,01/05/2024,S,V4,N2,U6,PR1,02/05/2024,E8,,,,\n" /* 5 */
                              "F,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n"             /* 6 */
                              "G,01/05/2024,P,C2,N1,T0,,,,,,,\n";               /* 7 */
        expect(2025, "382", "Episodes", ROWS(1, 2), eps, (const char *)NULL);
        expect(2025, "384", "Episodes", ROWS(3, 4), eps, (const char *)NULL);
        const char *ok = EPS "E,01/05/2024,S,V4,N2,U6,PR1,02/05/2024,E8,,,,\n";
        expect(2025, "382", NULL, NONE, ok, (const char *)NULL);
        expect(2025, "384", NULL, NONE, ok, (const char *)NULL);
}

/* Odd input: no rows, blank codes and dates everywhere, a table with only a header. */
static void test_odd_input(void **state)
{
        (void)state;
        const char *codes[] = {"141", "143", "144", "145", "146", "147", "148",
                               "149", "178", "213", "214", "217", "222", "226",
                               "366", "378", "380", "381", "382", "384"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                expect(2025, codes[i], NULL, NONE, EPS, (const char *)NULL);
                expect(2025, codes[i], NULL, NONE, EPS ",,,,,,,,,,,,\n", (const char *)NULL);
        }
}

/* ---------------------------------------------------------------- rows against the catalogue */

static const struct rule_catalogue_entry *cat(int year, const char *code)
{
        for (size_t i = 0; i < rules_catalogue_903_n; i++)
                if ((rules_catalogue_903[i].years & RULES_Y(year)) &&
                    strcmp(rules_catalogue_903[i].code, code) == 0)
                        return &rules_catalogue_903[i];
        return NULL;
}

/*
 * Every row of the four families belongs to the years whose catalogue lists its
 * code, with the catalogue's fields, tables and needs (plus --la where the rule
 * compares with the submitting authority), and together the rows of a code cover
 * every year the catalogue lists it.
 */
static void test_rows_match_catalogue(void **state)
{
        (void)state;
        const struct rule_def *fams[] = {rules_903_episodes_codes, rules_903_episodes_dates,
                                         rules_903_episodes_links, rules_903_placements};
        size_t rows = 0;
        for (size_t f = 0; f < 4; f++)
                for (const struct rule_def *d = fams[f]; d->code; d++) {
                        rows++;
                        assert_non_null(d->check);
                        unsigned covered = 0, listed = 0;
                        for (const struct rule_def *o = fams[f]; o->code; o++)
                                if (strcmp(o->code, d->code) == 0) {
                                        if (o != d)
                                                assert_int_equal(o->years & d->years, 0);
                                        covered |= o->years;
                                }
                        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++) {
                                const struct rule_catalogue_entry *c = cat(y, d->code);
                                if (c)
                                        listed |= RULES_Y(y);
                                if (!(d->years & RULES_Y(y)))
                                        continue;
                                if (!c)
                                        fail_msg("%s is not in the %d set", d->code, y);
                                assert_string_equal(d->fields, c->fields);
                                assert_string_equal(d->tables, c->tables);
                                assert_int_equal(d->needs & ~(unsigned)RULE_NEEDS_LA, c->needs);
                                assert_ptr_equal(rules_find(RULES_903, y, d->code), d);
                        }
                        if (covered != listed)
                                fail_msg("%s: rows cover years %#x, the catalogue lists %#x",
                                         d->code, covered, listed);
                }
        /* 68 codes, some with a row per version */
        assert_true(rows >= 68);
}

/* The codes this work covers, each implemented in every set that lists it. */
static void test_all_codes_implemented(void **state)
{
        (void)state;
        static const char *const codes[] = {
            "117", "118", "141", "142", "143", "144", "145", "146", "147", "148", "149", "164",
            "169", "178", "179", "185", "186", "198", "199", "207", "213", "214", "217", "217t",
            "218", "219", "221", "222", "224", "225", "226", "227", "228", "229", "230", "233",
            "234", "334", "335", "336", "353", "354", "355", "356", "357", "361", "362", "363",
            "364", "365", "366", "367", "370", "371", "372", "373", "374", "375", "376", "377",
            "378", "379", "380", "381", "382", "383", "384", "385"};
        assert_int_equal(sizeof codes / sizeof *codes, 68);
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                int listed = 0;
                for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++) {
                        const struct rule_catalogue_entry *c = cat(y, codes[i]);
                        if (!c)
                                continue;
                        listed = 1;
                        if (!rules_find(RULES_903, y, codes[i]))
                                fail_msg("%s is not implemented in the %d set", codes[i], y);
                }
                assert_true(listed);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_141_147),
            cmocka_unit_test(test_143_144_145),
            cmocka_unit_test(test_146),
            cmocka_unit_test(test_148_149),
            cmocka_unit_test(test_178),
            cmocka_unit_test(test_213),
            cmocka_unit_test(test_214),
            cmocka_unit_test(test_217),
            cmocka_unit_test(test_217t),
            cmocka_unit_test(test_222),
            cmocka_unit_test(test_226),
            cmocka_unit_test(test_233),
            cmocka_unit_test(test_366_378),
            cmocka_unit_test(test_380_381),
            cmocka_unit_test(test_382_384),
            cmocka_unit_test(test_odd_input),
            cmocka_unit_test(test_rows_match_catalogue),
            cmocka_unit_test(test_all_codes_implemented),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
