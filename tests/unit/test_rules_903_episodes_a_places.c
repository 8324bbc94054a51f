/*
 * test_rules_903_episodes_a_places.c — the placement rules of
 * src/rules/903/placements.c, with small inline reference data: a postcode
 * directory (for PL_DISTANCE, PL_LA, PL_LOCATION and providers' authorities),
 * Ofsted's providers list and the submitting authority E06000001.
 *
 * Each rule has a passing and a failing case naming the exact rows, worked
 * out by hand; rules whose lists changed are run in the years where they
 * differ.  Rows are numbered from 1 below the header.
 */
#include "rules903_test.h"

#include "returns/refdata.h"

#include <stdarg.h>

#define EPS R903_EPISODES
#define HDR R903_HEADER

#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, 0

#define OWN_LA "E06000001"

/*
 * AB1 2BB is 3 km east and 4 km north of AB1 1AA: 5 km, 3.1 miles.  FA1 1AA is
 * 1,700 km east of AB1 1AA (1,056 miles, beyond any real distance).
 */
static const char POSTCODES[] = "pcd,oslaua,oseast1m,osnrth1m\n"
                                "AB1 1AA,E06000001,100000,100000\n"
                                "AB1 2BB,E06000001,103000,104000\n"
                                "CD1 1CC,E08000002,200000,200000\n"
                                "EH1 1AA,S12000036,325000,673000\n"
                                "CF1 1AA,W06000015,318000,176000\n"
                                "FA1 1AA,E06000099,1800000,100000\n";

/* SC000002 was deregistered on 1 June 2024; SC000003 has no details. */
static const char PROVIDERS[] =
    "URN,Registration Date,Deregistration Date,Placement Code,Placement Provider Code,"
    "Setting Address Postcode\n"
    "SC000001,01/01/2010,,K2/K1,PR4,AB1 2BB\n"
    "SC000002,01/01/2010,01/06/2024,K2/K3,PR1/PR2,CD1 1CC\n"
    "SC000003,01/01/2010,,,,\n";

struct refs {
        struct refdata_postcodes *pc;
        struct refdata_providers *pv;
};

static struct refs refs_new(void)
{
        struct err e;
        err_clear(&e);
        struct refs r;
        r.pc = refdata_postcodes_mem("pc.csv", POSTCODES, strlen(POSTCODES), NULL, NULL, 0, &e);
        if (!r.pc)
                print_error("%s\n", e.msg);
        assert_non_null(r.pc);
        r.pv = refdata_providers_mem("pv.csv", PROVIDERS, strlen(PROVIDERS), &e);
        if (!r.pv)
                print_error("%s\n", e.msg);
        assert_non_null(r.pv);
        return r;
}

static void refs_free(struct refs *r)
{
        refdata_postcodes_free(r->pc);
        refdata_providers_free(r->pv);
}

/*
 * Load the NULL-terminated tables ('@' first: last year's) with the postcode
 * directory applied and every reference given, run `code` of set `year` and
 * expect `rows` of Episodes.
 */
static void expect(int year, const char *code, const long *rows, size_t n, ...)
{
        struct refs refs = refs_new();
        struct r903 t;
        r903_begin(&t, year);
        va_list ap;
        va_start(ap, n);
        for (const char *s; (s = va_arg(ap, const char *));)
                r903_table_ex(&t, s[0] == '@' ? s + 1 : s, s[0] == '@');
        va_end(ap);
        /* r903_load() without postcodes cannot derive the PL_* fields: finish here instead. */
        struct ssda903_options opt = {
            .collection_year = year, .postcodes = refs.pc, .la_code = OWN_LA};
        assert_int_equal(ssda903_finish(t.ld, &opt, &t.e), 0);
        rules_ctx_init_903(&t.ctx, t.ld, year);
        t.loaded = 1;
        t.ctx.postcodes = refs.pc;
        t.ctx.providers = refs.pv;
        t.ctx.la_code = OWN_LA;
        r903_check(&t, code);
        r903_expect_rows(&t, "Episodes", rows, n);
        r903_end(&t);
        refs_free(&refs);
}

/* ---------------------------------------------------------------- derived fields */

static void test_164(void **state)
{
        (void)state;
        const char *hdr = HDR "A,M,01/01/2010,WBRI,UN1,,\n"
                              "B,M,01/01/2010,WBRI,UN1,,\n"
                              "C,M,01/01/2008,WBRI,UN2,,\n"
                              "D,M,01/01/2008,WBRI,UN2,,\n"
                              "E,M,01/01/2010,WBRI,UN1,,\n"
                              "F,M,01/01/2010,WBRI,UN1,,\n";
        const char *uasc = R903_UASC "C,M,01/01/2008,\n";
        const char *uasc_last = "@" R903_UASC "D,M,01/01/2008,\n";
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 1AA,AB1 2BB,\n"  /* 1 3.1 miles */
                              "B,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 1AA,FA1 1AA,\n"  /* 2 1056 */
                              "C,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 1AA,FA1 1AA,\n"  /* 3 UASC */
                              "D,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 1AA,FA1 1AA,\n"  /* 4 was UASC */
                              "E,01/05/2024,S,V3,N2,U6,PR1,,,,AB1 1AA,FA1 1AA,\n"  /* 5 break */
                              "F,01/05/2024,S,C2,N1,U6,PR1,,,,ZZ9 9ZZ,AB1 2BB,\n"; /* 6 none */
        expect(2025, "164", ROWS(2), hdr, uasc, uasc_last, eps, (const char *)NULL);
        expect(2025, "164", NONE, hdr, uasc, uasc_last,
               EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,AB1 1AA,AB1 2BB,\n", (const char *)NULL);
}

static void test_169_179(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,,AB1 2BB,\n"  /* 1 */
                              "B,01/05/2024,S,C2,N1,U6,PR1,,,,,ZZ1 1ZZ,\n"  /* 2 unknown */
                              "C,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"         /* 3 blank */
                              "D,01/05/2024,S,V3,N2,U6,PR1,,,,,,\n"         /* 4 short break */
                              "E,01/05/2024,S,C2,N1,U6,PR1,,,,,cd11cc,\n"   /* 5 other LA */
                              "F,01/05/2024,S,C2,N1,U6,PR1,,,,,EH1 1AA,\n"; /* 6 Scotland */
        expect(2025, "169", ROWS(2, 3), eps, (const char *)NULL);
        expect(2025, "179", ROWS(2, 3), eps, (const char *)NULL);
        const char *ok = EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,,AB1 2BB,\n"
                             "D,01/05/2024,S,V3,N2,U6,PR1,,,,,,\n";
        expect(2025, "169", NONE, ok, (const char *)NULL);
        expect(2025, "179", NONE, ok, (const char *)NULL);
        /* PL_LOCATION needs the authority as well as the postcodes */
        assert_true(rules_find(RULES_903, 2025, "179")->needs & RULE_NEEDS_LA);
        assert_true(rules_find(RULES_903, 2025, "229")->needs & RULE_NEEDS_LA);
}

/* ---------------------------------------------------------------- URN required */

static void test_218(void **state)
{
        (void)state;
        const char *eps =
            EPS "A,01/05/2024,S,C2,N1,U6,PR1,,,,,AB1 2BB,\n"              /* 1 no URN */
                "B,01/05/2024,S,C2,N1,U6,PR1,,,,,AB1 2BB,SC000001\n"      /* 2 */
                "C,01/05/2024,S,C2,N1,P1,PR0,,,,,AB1 2BB,\n"              /* 3 P1 exempt */
                "D,01/05/2024,S,C2,N1,U6,PR1,,,,,EH1 1AA,\n"              /* 4 Scotland */
                "E,01/05/2021,S,C2,N1,U6,PR1,01/03/2022,E4A,,,AB1 2BB,\n" /* 5 ended before */
                "F,01/05/2024,S,C2,N1,H5,PR4,,,,,AB1 2BB,\n"              /* 6 H5 */
                "G,01/05/2024,S,C2,N1,Z11,,,,,,AB1 2BB,\n"                /* 7 Z11 */
                "H,01/05/2024,S,C2,N1,U6,PR1,,,,,ZZ1 1ZZ,\n"              /* 8 LA unknown */
                "I,01/05/2024,S,C2,N1,U6,PR1,,,,,CF1 1AA,\n";             /* 9 Wales */
        expect(2023, "218", ROWS(1, 7, 8), eps, (const char *)NULL);      /* H5 exempt in 2022/23 */
        expect(2024, "218", ROWS(1, 6, 7, 8), eps, (const char *)NULL);
        expect(2025, "218", ROWS(1, 6, 7, 8), eps, (const char *)NULL);
        expect(2026, "218", ROWS(1, 6, 8), eps, (const char *)NULL); /* Z11 exempt from 2025/26 */
        expect(2025, "218", NONE, EPS "B,01/05/2024,S,C2,N1,U6,PR1,,,,,AB1 2BB,SC000001\n",
               (const char *)NULL);
}

static void test_230(void **state)
{
        (void)state;
        expect(2024, "230", ROWS(1, 3),
               EPS "A,01/05/2023,S,C2,N1,H5,PR4,,,,,AB1 2BB,\n"                    /* 1 */
                   "B,01/05/2023,S,C2,N1,H5,PR4,28/10/2023,E8,,,AB1 2BB,\n"        /* 2 ended */
                   "C,01/05/2023,S,C2,N1,H5,PR4,29/10/2023,E8,,,AB1 2BB,XXXXXXX\n" /* 3 */
                   "D,01/05/2023,S,C2,N1,H5,PR4,,,,,AB1 2BB,SC000001\n"            /* 4 */
                   "E,01/05/2023,S,C2,N1,H5,PR4,,,,,EH1 1AA,\n"                    /* 5 Scotland */
                   "F,01/05/2023,S,C2,N1,U6,PR4,,,,,AB1 2BB,\n",                   /* 6 not H5 */
               (const char *)NULL);
        expect(2024, "230", NONE, EPS "D,01/05/2023,S,C2,N1,H5,PR4,,,,,AB1 2BB,SC000001\n",
               (const char *)NULL);
        assert_null(rules_find(RULES_903, 2025, "230"));
}

/* ---------------------------------------------------------------- URN against the list */

static void test_219(void **state)
{
        (void)state;
        expect(2025, "219", ROWS(2, 6),
               EPS "A,01/05/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n" /* 1 */
                   "B,01/05/2024,S,C2,N1,U6,PR4,,,,,AB1 2BB,SC000001\n" /* 2 not offered */
                   "C,01/05/2024,S,C2,N1,U6,PR4,,,,,AB1 2BB,SC999999\n" /* 3 unknown URN */
                   "D,01/05/2024,S,C2,N1,U6,PR4,,,,,AB1 2BB,XXXXXXX\n"  /* 4 placeholder */
                   "E,01/05/2024,S,C2,N1,U6,PR4,,,,,AB1 2BB,SC000003\n" /* 5 no codes */
                   "F,01/05/2024,S,C2,N1,,PR4,,,,,AB1 2BB,SC000001\n",  /* 6 blank */
               (const char *)NULL);
        expect(2025, "219", NONE, EPS "A,01/05/2024,S,C2,N1,K1,PR4,,,,,AB1 2BB,sc000001\n",
               (const char *)NULL);
}

static void test_221(void **state)
{
        (void)state;
        const char *eps = EPS "A,01/05/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n"  /* 1 */
                              "B,01/05/2024,S,C2,N1,K2,PR4,,,,,ab12bb,SC000001\n"   /* 2 */
                              "C,01/05/2024,S,C2,N1,K2,PR4,,,,,CD1 1CC,SC000001\n"  /* 3 */
                              "D,01/05/2024,S,C2,N1,U6,PR4,,,,,CD1 1CC,SC000001\n"  /* 4 */
                              "E,01/05/2024,S,V3,N2,K2,PR4,,,,,CD1 1CC,SC000001\n"  /* 5 */
                              "F,01/05/2024,S,C2,N1,H5,PR4,,,,,CD1 1CC,SC000001\n"  /* 6 */
                              "G,01/05/2024,S,C2,N1,K3,PR4,,,,,CD1 1CC,SC000001\n"; /* 7 */
        expect(2023, "221", ROWS(3), eps, (const char *)NULL);
        expect(2024, "221", ROWS(3, 6), eps, (const char *)NULL);
        expect(2025, "221", ROWS(3), eps, (const char *)NULL); /* K3: one URN, many addresses */
        expect(2026, "221", ROWS(3), eps, (const char *)NULL);
        expect(2025, "221", NONE, EPS "A,01/05/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n",
               (const char *)NULL);
}

static void test_224(void **state)
{
        (void)state;
        expect(2025, "224", ROWS(2, 4),
               EPS "A,01/05/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n"  /* 1 */
                   "B,01/05/2024,S,C2,N1,K2,PR1,,,,,AB1 2BB,SC000001\n"  /* 2 not PR4 */
                   "C,01/05/2024,S,C2,N1,K2,PR2,,,,,CD1 1CC,SC000002\n"  /* 3 */
                   "D,01/05/2024,S,C2,N1,K2,,,,,,CD1 1CC,SC000002\n"     /* 4 blank */
                   "E,01/05/2024,S,C2,N1,K2,PR1,,,,,CD1 1CC,SC000003\n", /* 5 no codes */
               (const char *)NULL);
        expect(2025, "224", NONE, EPS "C,01/05/2024,S,C2,N1,K2,PR2,,,,,CD1 1CC,SC000002\n",
               (const char *)NULL);
}

static void test_227_228(void **state)
{
        (void)state;
        /* SC000002 was deregistered on 01/06/2024 */
        expect(2025, "227", ROWS(2),
               EPS "A,01/05/2024,S,C2,N1,K2,PR2,01/06/2024,E4A,,,CD1 1CC,SC000002\n" /* 1 */
                   "B,01/06/2024,S,C2,N1,K2,PR2,02/06/2024,E4A,,,CD1 1CC,SC000002\n" /* 2 */
                   "C,01/07/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n",             /* 3 */
               (const char *)NULL);
        expect(2025, "228", ROWS(2, 3),
               EPS "A,01/05/2024,S,C2,N1,K2,PR2,01/06/2024,E4A,,,CD1 1CC,SC000002\n" /* 1 */
                   "B,01/05/2024,S,C2,N1,K2,PR2,02/06/2024,E4A,,,CD1 1CC,SC000002\n" /* 2 */
                   "C,01/05/2024,S,C2,N1,K2,PR2,,,,,CD1 1CC,SC000002\n"              /* 3 open */
                   "D,01/05/2024,S,C2,N1,K2,PR4,,,,,AB1 2BB,SC000001\n",             /* 4 */
               (const char *)NULL);
        const char *ok = EPS "A,01/05/2024,S,C2,N1,K2,PR2,01/06/2024,E4A,,,CD1 1CC,SC000002\n";
        expect(2025, "227", NONE, ok, (const char *)NULL);
        expect(2025, "228", NONE, ok, (const char *)NULL);
}

static void test_229(void **state)
{
        (void)state;
        /* SC000001 is in this authority (AB1 2BB), SC000002 in E08000002 (CD1 1CC). */
        const char *eps = EPS "A,01/05/2024,S,C2,N1,K2,PR1,,,,,AB1 2BB,SC000001\n"  /* 1 */
                              "B,01/05/2024,S,C2,N1,K2,PR1,,,,,CD1 1CC,SC000002\n"  /* 2 */
                              "C,01/05/2024,S,C2,N1,K2,PR2,,,,,AB1 2BB,SC000001\n"  /* 3 */
                              "D,01/05/2024,S,C2,N1,K2,PR2,,,,,CD1 1CC,SC000002\n"  /* 4 */
                              "E,01/05/2024,S,C2,N1,K2,PR4,,,,,CD1 1CC,SC000002\n"  /* 5 */
                              "F,01/05/2024,S,C2,N1,K2,PR1,,,,,,SC000003\n"         /* 6 */
                              "G,01/05/2024,S,C2,N1,K3,PR1,,,,,CD1 1CC,SC000002\n"; /* 7 */
        expect(2025, "229", ROWS(2, 3, 7), eps, (const char *)NULL);
        expect(2026, "229", ROWS(2, 3), eps,
               (const char *)NULL); /* K3 is not checked from 2025/26 */
        expect(2025, "229", NONE, EPS "A,01/05/2024,S,C2,N1,K2,PR1,,,,,AB1 2BB,SC000001\n",
               (const char *)NULL);
}

/* Odd input: empty tables and blank cells give nothing and do not crash. */
static void test_odd_input(void **state)
{
        (void)state;
        const char *codes[] = {"164", "219", "221", "224", "227", "228", "229"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                expect(2025, codes[i], NONE, HDR, EPS, (const char *)NULL);
                expect(2025, codes[i], NONE, HDR "A,,,,,,\n",
                       EPS "A,31/02/2024,,,,,,31/02/2024,,,,,SC000003\n,,,,,,,,,,,,\n",
                       (const char *)NULL);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_164), cmocka_unit_test(test_169_179),
            cmocka_unit_test(test_218), cmocka_unit_test(test_230),
            cmocka_unit_test(test_219), cmocka_unit_test(test_221),
            cmocka_unit_test(test_224), cmocka_unit_test(test_227_228),
            cmocka_unit_test(test_229), cmocka_unit_test(test_odd_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
