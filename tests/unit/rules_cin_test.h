/*
 * rules_cin_test.h — shared helpers for the CIN census rule tests.
 *
 * A case is a small census written inline; rcin_check() reads it with the
 * real reader, runs ONE rule of one rule-set year through its function as the
 * runner would, and keeps the findings, so each test reads as "this census ->
 * these findings":
 *
 *      struct rcin t;
 *      rcin_begin(&t, 2025, CHILD("<LAchildID>A1</LAchildID><Sex>X</Sex>", ""));
 *      rcin_check(&t, "4180");
 *      rcin_expect(&t, "ChildIdentifiers", (long[]){1}, 1);
 *      rcin_end(&t);
 *
 * rcin_begin() wraps the children in a census for collection year `year`
 * (Year = year, ReferenceDate = 31 March of it, LEA 938); rcin_begin_doc()
 * takes a whole document instead.
 */
#ifndef IMPROVE_RULES_CIN_TEST_H
#define IMPROVE_RULES_CIN_TEST_H

#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "returns/cin.h"
#include "rules/cin/cin_rules.h"
#include "rules/rules.h"

/* One child: its ChildIdentifiers content, then whatever follows them. */
#define CHILD(ids, rest) "<Child><ChildIdentifiers>" ids "</ChildIdentifiers>" rest "</Child>\n"
/* One CINdetails block. */
#define CIN(body) "<CINdetails>" body "</CINdetails>"
/* ChildCharacteristics with an ethnicity and disability codes. */
#define CHARS(eth, dis)                                                                            \
        "<ChildCharacteristics><Ethnicity>" eth "</Ethnicity><Disabilities>" dis                   \
        "</Disabilities></ChildCharacteristics>"
#define DIS(code) "<Disability>" code "</Disability>"

struct rcin {
        int year;
        char *doc;
        struct cin_load l;
        struct rule_ctx ctx;
        struct rules_result res;
        struct err e;
};

static inline void rcin_begin_doc(struct rcin *t, int year, const char *doc)
{
        memset(t, 0, sizeof *t);
        t->year = year;
        t->doc = strdup(doc);
        assert_non_null(t->doc);
        cin_load_init(&t->l);
        int rc = cin_read_buffer(&t->l, t->doc, strlen(t->doc), "census.xml", NULL, &t->e);
        if (rc != 0)
                print_error("reading the census failed: %s\n", t->e.msg);
        assert_int_equal(rc, 0);
        cin_rules_ctx_init(&t->ctx, &t->l, year, year);
        rules_result_init(&t->res);
}

static inline void rcin_begin(struct rcin *t, int year, const char *children)
{
        char *doc = NULL;
        int n = asprintf(&doc,
                         "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
                         "<Year>%d</Year><ReferenceDate>%d-03-31</ReferenceDate>"
                         "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>938</LEA>"
                         "</Source></Header>\n<Children>\n%s</Children></Message>\n",
                         year, year, children);
        assert_true(n > 0);
        rcin_begin_doc(t, year, doc);
        free(doc);
}

/* Run rule `code` of the set t->year; returns the number of findings. */
static inline size_t rcin_check(struct rcin *t, const char *code)
{
        const struct rule_def *d = rules_find(RULES_CIN, t->year, code);
        if (!d)
                print_error("rule %s is not implemented in the %d set\n", code, t->year);
        assert_non_null(d);
        rules_result_release(&t->res);
        rules_result_init(&t->res);
        t->ctx.rule = d;
        t->ctx.out = &t->res;
        t->ctx.err = &t->e;
        t->ctx.nfound = 0;
        assert_int_equal(d->check(&t->ctx), 0);
        t->ctx.rule = NULL;
        for (size_t i = 0; i < t->res.n; i++) {
                assert_string_equal(t->res.f[i].rule, code);
                assert_string_equal(t->res.f[i].file, "census.xml");
        }
        return t->res.n;
}

static inline void rcin_dump(const struct rcin *t)
{
        for (size_t i = 0; i < t->res.n; i++)
                print_error("  finding: %s %s row %ld child %s: %s\n", t->res.f[i].rule,
                            t->res.f[i].table, t->res.f[i].row,
                            t->res.f[i].child ? t->res.f[i].child : "-", t->res.f[i].message);
}

/* The findings must be exactly these rows of `table` (in any order; row 0 = no row). */
static inline void rcin_expect(const struct rcin *t, const char *table, const long *rows,
                               size_t nrows)
{
        if (t->res.n != nrows)
                rcin_dump(t);
        assert_int_equal(t->res.n, nrows);
        for (size_t j = 0; j < nrows; j++) {
                int found = 0;
                for (size_t i = 0; i < t->res.n; i++)
                        if (t->res.f[i].row == rows[j] && !strcmp(t->res.f[i].table, table))
                                found = 1;
                if (!found) {
                        print_error("expected a finding on %s row %ld\n", table, rows[j]);
                        rcin_dump(t);
                }
                assert_true(found);
        }
}

/* No findings at all. */
static inline void rcin_none(const struct rcin *t)
{
        if (t->res.n)
                rcin_dump(t);
        assert_int_equal(t->res.n, 0);
}

/* Finding i is about child `child` (NULL: none). */
static inline void rcin_child(const struct rcin *t, size_t i, const char *child)
{
        assert_true(i < t->res.n);
        if (child)
                assert_string_equal(t->res.f[i].child, child);
        else
                assert_null(t->res.f[i].child);
}

static inline void rcin_end(struct rcin *t)
{
        rules_result_release(&t->res);
        cin_load_release(&t->l);
        free(t->doc);
}

#endif
