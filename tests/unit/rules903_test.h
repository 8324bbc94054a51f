/*
 * rules903_test.h — shared helpers for the SSDA903 rule tests.
 *
 * A case is a few inline CSV tables (with their header rows) and optionally
 * last year's tables; r903_check() loads them, runs ONE rule of one rule-set
 * year through its function exactly as the runner would, and returns the
 * findings, so each test reads as "these rows -> these findings".
 *
 *      struct r903 t;
 *      r903_begin(&t, 2026);                       rule set and collection year
 *      r903_table(&t, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
 *                     "A1,M,01/01/2015,WBRI,UN1,,\n");
 *      r903_check(&t, "103");                      runs rule 103
 *      r903_expect_rows(&t, "Header", (long[]){1}, 1);
 *      r903_end(&t);
 *
 * Reference data (postcodes, providers, authorities, --la) can be put in t.ctx
 * fields between r903_load() and r903_check() (r903_check loads if needed).
 */
#ifndef IMPROVE_RULES903_TEST_H
#define IMPROVE_RULES903_TEST_H

#include "test.h"

#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

struct r903 {
        int year;
        struct ssda903_load *ld;
        int loaded;
        int ntables;
        struct rule_ctx ctx;
        struct rules_result res;
        struct err e;
};

static inline void r903_begin(struct r903 *t, int year)
{
        memset(t, 0, sizeof *t);
        t->year = year;
        t->ld = ssda903_new();
        rules_result_init(&t->res);
}

/* Add one CSV table (recognised by its header row); previous = 1 for last year's. */
static inline void r903_table_ex(struct r903 *t, const char *csv, int previous)
{
        char name[32];
        snprintf(name, sizeof name, "%s%d.csv", previous ? "last" : "table", ++t->ntables);
        int rc = ssda903_add_mem(t->ld, name, csv, strlen(csv), previous, &t->e);
        if (rc != 0)
                print_error("loading %s failed: %s\n", name, t->e.msg);
        assert_int_equal(rc, 0);
}
static inline void r903_table(struct r903 *t, const char *csv)
{
        r903_table_ex(t, csv, 0);
}
static inline void r903_last(struct r903 *t, const char *csv)
{
        r903_table_ex(t, csv, 1);
}

/* Finish the load (collection year = t->year) and set up the rule context. */
static inline void r903_load(struct r903 *t)
{
        if (t->loaded)
                return;
        struct ssda903_options opt = {.collection_year = t->year};
        int rc = ssda903_finish(t->ld, &opt, &t->e);
        if (rc != 0)
                print_error("finishing load failed: %s\n", t->e.msg);
        assert_int_equal(rc, 0);
        rules_ctx_init_903(&t->ctx, t->ld, t->year);
        t->loaded = 1;
}

/* Run rule `code` of the set t->year; returns the number of findings it made. */
static inline size_t r903_check(struct r903 *t, const char *code)
{
        r903_load(t);
        const struct rule_def *d = rules_find(RULES_903, t->year, code);
        if (!d)
                print_error("rule %s is not implemented in the %d set\n", code, t->year);
        assert_non_null(d);
        /* Start from an empty result each time. */
        rules_result_release(&t->res);
        rules_result_init(&t->res);
        t->ctx.rule = d;
        t->ctx.out = &t->res;
        t->ctx.err = &t->e;
        t->ctx.nfound = 0;
        assert_int_equal(d->check(&t->ctx), 0);
        t->ctx.rule = NULL;
        return t->res.n;
}

/* The findings must be exactly these rows of `table` (in any order). */
static inline void r903_expect_rows(const struct r903 *t, const char *table, const long *rows,
                                    size_t nrows)
{
        if (t->res.n != nrows) {
                for (size_t i = 0; i < t->res.n; i++)
                        print_error("  finding: %s %s row %ld child %s: %s\n", t->res.f[i].rule,
                                    t->res.f[i].table, t->res.f[i].row,
                                    t->res.f[i].child ? t->res.f[i].child : "-",
                                    t->res.f[i].message);
        }
        assert_int_equal(t->res.n, nrows);
        for (size_t j = 0; j < nrows; j++) {
                int found = 0;
                for (size_t i = 0; i < t->res.n; i++)
                        if (t->res.f[i].row == rows[j] && strcmp(t->res.f[i].table, table) == 0)
                                found = 1;
                if (!found)
                        print_error("expected a finding on %s row %ld\n", table, rows[j]);
                assert_true(found);
        }
}

/* No findings at all. */
static inline void r903_expect_none(const struct r903 *t)
{
        r903_expect_rows(t, "", NULL, 0);
}

static inline void r903_end(struct r903 *t)
{
        rules_result_release(&t->res);
        ssda903_free(t->ld);
        t->ld = NULL;
}

/* Canonical headers, to keep test tables short. */
#define R903_HEADER "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define R903_EPISODES                                                                              \
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"       \
        "PL_POST,URN\n"
#define R903_REVIEWS "CHILD,DOB,REVIEW,REVIEW_CODE\n"
#define R903_UASC    "CHILD,SEX,DOB,DUC\n"
#define R903_OC2                                                                                   \
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"         \
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
#define R903_OC3      "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
#define R903_AD1      "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
#define R903_PLACED   "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"
#define R903_PREVPERM "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\n"
#define R903_MISSING  "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
#define R903_SW       "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"
#define R903_DOLO     "CHILD,DOB,DOLO_START,DOLO_END\n"

#endif
