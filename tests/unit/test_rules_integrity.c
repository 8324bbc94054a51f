/*
 * test_rules_integrity.c — the SSDA903 integrity checks INT01–INT36, EPI and
 * NoE, run end to end: CSV text → load → rule set → findings.
 *
 * A clean return (every child in Header, dates and sexes agreeing, one row
 * per child where one is expected) gives no integrity finding; each failing
 * case replaces one table of it and names the exact rows that must be
 * reported, worked out by hand from the rule's definition.
 */
#include "test.h"

#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

/* clang-format off */
static const char *const BASE[SSDA903_NCURRENT] = {
    [SSDA903_HEADER] =
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "A,M,01/01/2010,WBRI,UN1,,\n"
        "B,F,02/02/2012,WBRI,UN1,0,\n"
        "C,M,03/03/2007,WBRI,UN3,,\n",
    [SSDA903_EPISODES] =
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n"
        "A,01/05/2024,S,C2,N1,U6,PR1,01/09/2024,X1,,,,\n"
        "A,01/09/2024,P,C2,N1,U4,PR1,,,,,,\n"
        "B,10/06/2024,S,V2,N1,U6,PR1,,,,,,\n",
    [SSDA903_REVIEWS] =
        "CHILD,DOB,REVIEW,REVIEW_CODE\n"
        "A,01/01/2010,01/08/2024,PN1\n"
        "B,02/02/2012,01/09/2024,PN1\n",
    [SSDA903_UASC] = "CHILD,SEX,DOB,DUC\nB,F,02/02/2012,02/02/2030\n",
    [SSDA903_OC2] =
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
        "A,01/01/2010,10,,0,,1,1,1,0,,\n",
    [SSDA903_OC3] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC,03/03/2007,YES,F1,B1\n",
    [SSDA903_AD1] =
        "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
        "A,01/01/2010,01/06/2024,01/07/2024,0,2,MF,L11\n",
    [SSDA903_PLACED_ADOPTION] =
        "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"
        "A,01/01/2010,01/06/2024,,\n",
    [SSDA903_PREV_PERM] =
        "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\nA,01/01/2010,Z1,,\nB,02/02/2012,Z1,,\n",
    [SSDA903_MISSING] = "CHILD,DOB,MISSING,MIS_START,MIS_END\nB,02/02/2012,M,01/07/2024,"
                        "02/07/2024\n",
    [SSDA903_SW_EPISODES] = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n",
    [SSDA903_DOLO] = "CHILD,DOB,DOLO_START,DOLO_END\n",
};
/* clang-format on */

/* Integrity codes, to check that a case fires nothing else. */
static int is_integrity(const char *code)
{
        return strncmp(code, "INT", 3) == 0 || strcmp(code, "EPI") == 0 || strcmp(code, "NoE") == 0;
}

struct run {
        struct ssda903_load *ld;
        struct rules_result res;
};

/* Load BASE with table `t` replaced by `text` (t < 0: none) and optional last-year Episodes. */
static void run_case(struct run *r, int t, const char *text, const char *episodes_last)
{
        struct err e;
        err_clear(&e);
        r->ld = ssda903_new();
        for (int k = 0; k < SSDA903_NCURRENT; k++) {
                const char *s = k == t ? text : BASE[k];
                if (!s)
                        continue;
                char name[32];
                snprintf(name, sizeof name, "t%d.csv", k);
                int rc = ssda903_add_mem(r->ld, name, s, strlen(s), 0, &e);
                if (rc)
                        print_message("%s\n", e.msg);
                assert_int_equal(rc, 0);
        }
        if (episodes_last)
                assert_int_equal(
                    ssda903_add_mem(r->ld, "last.csv", episodes_last, strlen(episodes_last), 1, &e),
                    0);
        struct ssda903_options o = {.collection_year = 2025};
        assert_int_equal(ssda903_finish(r->ld, &o, &e), 0);
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, r->ld, 2025);
        rules_result_init(&r->res);
        assert_int_equal(rules_run(&ctx, &r->res, &e), 0);
}

static void run_free(struct run *r)
{
        rules_result_release(&r->res);
        ssda903_free(r->ld);
}

/* Exactly these (table, row) findings for `code`, and no other integrity finding. */
static void expect(const struct run *r, const char *code, const char *table, const long *rows,
                   size_t nrows)
{
        size_t k = 0;
        for (size_t i = 0; i < r->res.n; i++) {
                const struct finding *f = &r->res.f[i];
                if (!is_integrity(f->rule))
                        continue;
                if (strcmp(f->rule, code) != 0) {
                        print_message("unexpected %s %s row %ld\n", f->rule, f->table, f->row);
                        fail();
                }
                assert_true(k < nrows);
                assert_string_equal(f->table, table);
                assert_int_equal(f->row, rows[k]);
                k++;
        }
        if (k != nrows)
                print_message("%s: %zu findings, expected %zu\n", code, k, nrows);
        assert_int_equal(k, nrows);
}

/* The first finding of `code` (other rules' findings may come before it). */
static const struct finding *first_of(const struct run *r, const char *code)
{
        for (size_t i = 0; i < r->res.n; i++)
                if (strcmp(r->res.f[i].rule, code) == 0)
                        return &r->res.f[i];
        fail_msg("no %s finding", code);
        return NULL;
}

static void test_clean_return(void **state)
{
        (void)state;
        struct run r;
        run_case(&r, -1, NULL, NULL);
        expect(&r, "-", "-", NULL, 0);
        /* every integrity rule ran, except NoE, which needs last year */
        for (size_t i = 0; i < r.res.no; i++) {
                const struct rule_outcome *o = &r.res.o[i];
                if (!is_integrity(o->code))
                        continue;
                if (strcmp(o->code, "NoE") == 0) {
                        assert_int_equal(o->kind, RULE_SKIPPED);
                        assert_string_equal(o->reason, "needs last year's tables (--previous)");
                } else {
                        assert_int_equal(o->kind, RULE_RAN);
                        assert_int_equal(o->nfindings, 0);
                }
        }
        run_free(&r);
}

/* INT01–INT09: a child in the table but not in Header (Z), reported at its row. */
static void test_not_in_header(void **state)
{
        (void)state;
        static const struct {
                const char *code;
                int t;
                const char *extra; /* a row for child Z */
        } cases[] = {
            {"INT01", SSDA903_AD1, "Z,01/01/2010,01/06/2024,01/07/2024,0,2,MF,L11\n"},
            {"INT02", SSDA903_PLACED_ADOPTION, "Z,01/01/2010,01/06/2024,,\n"},
            {"INT03", SSDA903_EPISODES, "Z,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n"},
            {"INT04", SSDA903_MISSING, "Z,01/01/2010,A,01/07/2024,\n"},
            {"INT05", SSDA903_OC2, "Z,01/01/2010,,SDQ1,,,,,,,,\n"},
            {"INT06", SSDA903_OC3, "Z,01/01/2006,NO,0,0\n"},
            {"INT07", SSDA903_PREV_PERM, "Z,01/01/2010,Z1,,\n"},
            {"INT08", SSDA903_REVIEWS, "Z,01/01/2010,01/08/2024,PN1\n"},
            {"INT09", SSDA903_UASC, "Z,M,01/01/2010,\n"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                char text[2048];
                snprintf(text, sizeof text, "%s%s", BASE[cases[i].t], cases[i].extra);
                /* the new row is the last one */
                long nrows = 0;
                for (const char *p = text; *p; p++)
                        nrows += *p == '\n';
                long row = nrows - 1;
                struct run r;
                run_case(&r, cases[i].t, text, NULL);
                expect(&r, cases[i].code, ssda903_tabledefs[cases[i].t].name, &row, 1);
                assert_string_equal(first_of(&r, cases[i].code)->child, "Z");
                assert_string_equal(first_of(&r, cases[i].code)->fields, "CHILD");
                run_free(&r);
        }
}

/* INT11–INT18: DOB differs from Header; equal dates written differently, blank or invalid
 * DOBs are not a disagreement. */
static void test_dob_differs(void **state)
{
        (void)state;
        static const struct {
                const char *code;
                int t;
                const char *fmt; /* %s = the DOB of child A */
        } cases[] = {
            {"INT11", SSDA903_AD1, "A,%s,01/06/2024,01/07/2024,0,2,MF,L11\n"},
            {"INT12", SSDA903_PLACED_ADOPTION, "A,%s,01/06/2024,,\n"},
            {"INT13", SSDA903_MISSING, "A,%s,A,01/07/2024,\n"},
            {"INT14", SSDA903_OC2, "A,%s,10,,0,,1,1,1,0,,\n"},
            {"INT15", SSDA903_OC3, "A,%s,YES,F1,B1\n"},
            {"INT16", SSDA903_PREV_PERM, "A,%s,Z1,,\n"},
            {"INT17", SSDA903_REVIEWS, "A,%s,01/08/2024,PN1\n"},
            {"INT18", SSDA903_UASC, "A,M,%s,\n"},
        };
        static const struct {
                const char *dob;
                int fires;
        } dobs[] = {
            {"02/01/2010", 1},                    /* Header says 01/01/2010 */
            {"01/01/2010", 0}, {"1/1/2010", 0},   /* the same date */
            {"", 0},           {"31/02/2010", 0}, /* not a date: rule 102-style checks own that */
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
                for (size_t d = 0; d < sizeof dobs / sizeof *dobs; d++) {
                        const char *base = BASE[cases[i].t];
                        const char *nl = strchr(base, '\n');
                        char row[256], text[2048];
                        snprintf(row, sizeof row, cases[i].fmt, dobs[d].dob);
                        /* header line + the one A row (+ OC3's own C row, which agrees) */
                        snprintf(text, sizeof text, "%.*s%s%s", (int)(nl - base + 1), base, row,
                                 cases[i].t == SSDA903_OC3 ? "C,03/03/2007,YES,F1,B1\n" : "");
                        struct run r;
                        run_case(&r, cases[i].t, text, NULL);
                        long one = 1;
                        /* the UASC replacement drops B's row: then EPI/INT rules still quiet */
                        expect(&r, cases[i].code, ssda903_tabledefs[cases[i].t].name, &one,
                               (size_t)dobs[d].fires);
                        if (dobs[d].fires)
                                assert_non_null(strstr(first_of(&r, cases[i].code)->message,
                                                       "02/01/2010 here, 01/01/2010 in Header"));
                        run_free(&r);
                }
}

static void test_sex_differs(void **state)
{
        (void)state;
        static const struct {
                const char *text;
                int fires;
        } cases[] = {
            {"CHILD,SEX,DOB,DUC\nB,M,02/02/2012,\n", 1}, /* Header: F */
            {"CHILD,SEX,DOB,DUC\nB,f,02/02/2012,\n", 0}, /* codes ignore case */
            {"CHILD,SEX,DOB,DUC\nB,,02/02/2012,\n", 0},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                struct run r;
                run_case(&r, SSDA903_UASC, cases[i].text, NULL);
                long one = 1;
                expect(&r, "INT21", "UASC", &one, (size_t)cases[i].fires);
                run_free(&r);
        }
}

/* INT31–INT36: every row of a child with two rows is reported; blank CHILD is no duplicate. */
static void test_duplicates(void **state)
{
        (void)state;
        static const struct {
                const char *code;
                int t;
                const char *text;
        } cases[] = {
            {"INT31", SSDA903_AD1, NULL},       {"INT32", SSDA903_HEADER, NULL},
            {"INT33", SSDA903_OC2, NULL},       {"INT34", SSDA903_OC3, NULL},
            {"INT35", SSDA903_PREV_PERM, NULL}, {"INT36", SSDA903_UASC, NULL},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                /* repeat the table's first data row after its other rows */
                const char *base = BASE[cases[i].t];
                const char *first = strchr(base, '\n') + 1;
                const char *second = strchr(first, '\n') + 1;
                char text[2048];
                snprintf(text, sizeof text, "%s%.*s", base, (int)(second - first), first);
                long nrows = 0;
                for (const char *p = text; *p; p++)
                        nrows += *p == '\n';
                long rows[] = {1, nrows - 1};
                struct run r;
                run_case(&r, cases[i].t, text, NULL);
                expect(&r, cases[i].code, ssda903_tabledefs[cases[i].t].name, rows, 2);
                assert_non_null(
                    strstr(first_of(&r, cases[i].code)->message, "2 rows for this child"));
                run_free(&r);
        }
        /* two rows with a blank CHILD: INT05 (not in Header), never INT33 */
        char text[1024];
        snprintf(text, sizeof text, "%s,01/01/2010,,SDQ1,,,,,,,,\n,01/01/2010,,SDQ1,,,,,,,,\n",
                 BASE[SSDA903_OC2]);
        struct run r;
        run_case(&r, SSDA903_OC2, text, NULL);
        long rows[] = {2, 3};
        expect(&r, "INT05", "OC2", rows, 2);
        run_free(&r);
}

static void test_epi(void **state)
{
        (void)state;
        struct run r;
        /* C is a care leaver only in OC3: without the OC3 row it has nothing */
        run_case(&r, SSDA903_OC3, "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n", NULL);
        long row = 3;
        expect(&r, "EPI", "Header", &row, 1);
        assert_string_equal(first_of(&r, "EPI")->child, "C");
        run_free(&r);
        /* B loses its episode: B (Header row 2) is reported */
        run_case(&r, SSDA903_EPISODES,
                 "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                 "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                 "A,01/05/2024,S,C2,N1,U6,PR1,,,,,,\n",
                 NULL);
        row = 2;
        expect(&r, "EPI", "Header", &row, 1);
        run_free(&r);
}

static void test_noe(void **state)
{
        (void)state;
        const char *eps = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                          "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                          "A,01/01/2024,S,C2,N1,U6,PR1,01/09/2024,X1,,,,\n" /* before 1/4/2024 */
                          "A,01/09/2024,P,C2,N1,U4,PR1,,,,,,\n"
                          "B,31/03/2024,S,V2,N1,U6,PR1,,,,,,\n"  /* before, and in last year */
                          "B,01/04/2024,S,V2,N1,U6,PR1,,,,,,\n"; /* the first day: not before */
        const char *last_without_a = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                     "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                     "B,31/03/2024,S,V2,N1,U6,PR1,,,,,,\n";
        struct run r;
        run_case(&r, SSDA903_EPISODES, eps, last_without_a);
        long row = 1;
        expect(&r, "NoE", "Episodes", &row, 1);
        assert_string_equal(first_of(&r, "NoE")->child, "A");
        assert_string_equal(first_of(&r, "NoE")->fields, "DECOM");
        run_free(&r);

        const char *last_with_a = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                  "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                  "A,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n"
                                  "B,31/03/2024,S,V2,N1,U6,PR1,,,,,,\n";
        run_case(&r, SSDA903_EPISODES, eps, last_with_a);
        expect(&r, "NoE", "Episodes", NULL, 0);
        run_free(&r);
}

/* A table that was not supplied: its rules are skipped with the reason, not run. */
static void test_table_not_supplied(void **state)
{
        (void)state;
        struct run r;
        run_case(&r, SSDA903_AD1, NULL, NULL);
        int seen = 0;
        for (size_t i = 0; i < r.res.no; i++) {
                const struct rule_outcome *o = &r.res.o[i];
                if (strcmp(o->code, "INT01") == 0 || strcmp(o->code, "INT11") == 0 ||
                    strcmp(o->code, "INT31") == 0) {
                        assert_int_equal(o->kind, RULE_SKIPPED);
                        assert_string_equal(o->reason, "needs the AD1 table, which was not "
                                                       "supplied");
                        seen++;
                }
        }
        assert_int_equal(seen, 3);
        run_free(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_clean_return), cmocka_unit_test(test_not_in_header),
            cmocka_unit_test(test_dob_differs),  cmocka_unit_test(test_sex_differs),
            cmocka_unit_test(test_duplicates),   cmocka_unit_test(test_epi),
            cmocka_unit_test(test_noe),          cmocka_unit_test(test_table_not_supplied),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
