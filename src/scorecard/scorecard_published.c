/*
 * scorecard_published.c — an authority's published values: for every
 * measure the DfE publishes (and the population aged 0-17, measures.md §7),
 * each year whose return the authority has not imported gets the DfE's own
 * figure for it as its value, with no numerator or denominator and the note
 * "published" (measures.md §0.10; issue 5).  A return held for the year wins:
 * the authority's own data is what it manages by.  Published symbols (c, x,
 * k, …) are kept as empty values whose note says what the symbol means.
 */
#include "scorecard/scorecard_int.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sc_published {
        struct scorecard_pops *pops;
        struct scorecard_pub **pub; /* per catalogue row */
        size_t n;
};

struct sc_published *sc_published_open(struct store *s, struct err *e)
{
        struct sc_published *p = xcalloc(1, sizeof *p);
        p->n = measure_count();
        p->pub = xcalloc(p->n ? p->n : 1, sizeof *p->pub);
        if (!(p->pops = scorecard_pops_load(s, e)))
                goto fail;
        for (size_t i = 0; i < p->n; i++) {
                err_clear(e);
                p->pub[i] = scorecard_pub_load(s, measure_at(i), p->pops, e);
                if (!p->pub[i] && e->code)
                        goto fail;
        }
        return p;
fail:
        sc_published_close(p);
        return NULL;
}

void sc_published_close(struct sc_published *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->n; i++)
                scorecard_pub_free(p->pub[i]);
        free(p->pub);
        scorecard_pops_free(p->pops);
        free(p);
}

const struct scorecard_pub *sc_published_of(const struct sc_published *p, size_t i)
{
        return p && i < p->n ? p->pub[i] : NULL;
}

const struct scorecard_pops *sc_published_pops(const struct sc_published *p)
{
        return p ? p->pops : NULL;
}

/* What a published symbol means (measures.md §0.9). */
static const char *symbol_meaning(const char *sym)
{
        static const struct {
                const char *sym, *text;
        } t[] = {
            {"c", "suppressed"},
            {"x", "not available"},
            {"z", "not applicable"},
            {"k", "a non-zero value below 0.5"},
            {"low", "a non-zero value below 0.5"},
            {"u", "low reliability"},
            {":", "not available"},
            {"blank", "blank"},
        };
        for (size_t i = 0; i < sizeof t / sizeof *t; i++)
                if (strcmp(sym, t[i].sym) == 0)
                        return t[i].text;
        return "not a number";
}

struct row {
        const struct measure_def *m;
        int year;
        int has_value;
        double value;
        const char *note;
};

static int cmp_row(const void *a, const void *b)
{
        const struct row *x = a, *y = b;
        if (x->year != y->year)
                return x->year < y->year ? -1 : 1;
        return strcmp(x->m->id, y->m->id);
}

static bool holds(const int *years, size_t n, int year)
{
        for (size_t i = 0; i < n; i++)
                if (years[i] == year)
                        return true;
        return false;
}

static const char *published_note(struct arena *a, const struct measure_def *m,
                                  const struct scorecard_pub_value *v, int year)
{
        if (!v->has_value && v->symbol)
                return arena_printf(a, "published as %s (%s)", v->symbol,
                                    symbol_meaning(v->symbol));
        if (!v->has_value)
                return arena_printf(a, "published, but %s for mid-%d", v->why ? v->why : "no value",
                                    year - 1);
        if (m->bench.kind == MEASURE_BENCH_DERIVE_RATE)
                return arena_printf(a,
                                    "published (rate derived from the published count and the "
                                    "mid-%d population)",
                                    year - 1);
        if (m->bench.note &&
            (m->outcome == MEASURE_ENABLER_WORKFORCE || (m->flags & MEASURE_PROXY)))
                return arena_printf(a, "published; %s", m->bench.note);
        return "published";
}

/* The population measure (measures.md §7): the stored mid-(Y-1) estimate, for every year. */
static void population_rows(const struct sc_published *p, const struct measure_def *m,
                            const char *la, struct row **rows, size_t *n, size_t *cap,
                            struct arena *a)
{
        for (int year = 1990; year <= 2100; year++) {
                int64_t pop;
                if (!scorecard_pops_get(p->pops, la, year, &pop))
                        continue;
                *rows = xgrow(*rows, cap, *n + 1, sizeof **rows);
                (*rows)[(*n)++] = (struct row){
                    m, year, 1, (double)pop,
                    arena_printf(a, "ONS mid-%d estimate of children aged 0 to 17", year - 1)};
        }
}

int sc_published_la(struct store *s, struct sc_published *p, const char *la,
                    struct scorecard_stats *st, struct err *e)
{
        double t0 = sc_now();
        int *y903 = NULL, *ycin = NULL;
        size_t n903 = 0, ncin = 0;
        struct row *rows = NULL;
        size_t n = 0, cap = 0;
        struct arena a;
        arena_init(&a, 0);
        struct store_measure_value *vals = NULL;
        char(*ends)[11] = NULL;
        int rc = -1;
        if (store_return_years(s, STORE_RETURN_SSDA903, la, &y903, &n903, e) ||
            store_return_years(s, STORE_RETURN_CIN, la, &ycin, &ncin, e))
                goto out;
        for (size_t i = 0; i < p->n; i++) {
                const struct measure_def *m = measure_at(i);
                if (m->outcome == MEASURE_CONTEXT && m->unit == MEASURE_COUNT &&
                    m->source == MEASURE_SRC_PUBLISHED && strcmp(m->id, "population_0_17") == 0) {
                        population_rows(p, m, la, &rows, &n, &cap, &a);
                        continue;
                }
                const struct scorecard_pub *pub = p->pub[i];
                if (!pub)
                        continue;
                int first, last;
                sc_pub_years(pub, &first, &last);
                for (int year = first; year <= last; year++) {
                        if (m->compute &&
                            ((m->source == MEASURE_SRC_903 && holds(y903, n903, year)) ||
                             (m->source == MEASURE_SRC_CIN && holds(ycin, ncin, year))))
                                continue; /* computed from the authority's own return */
                        struct scorecard_pub_value v;
                        scorecard_pub_get(pub, year, STORE_GEO_LA, la, &v);
                        if (!v.found)
                                continue;
                        rows = xgrow(rows, &cap, n + 1, sizeof *rows);
                        rows[n++] = (struct row){m, year, v.has_value, v.value,
                                                 published_note(&a, m, &v, year)};
                }
        }
        if (n)
                qsort(rows, n, sizeof *rows, cmp_row);
        /* In key order (period, period_end, measure): all are years', so by year, then id. */
        vals = xcalloc(n ? n : 1, sizeof *vals);
        ends = xcalloc(n ? n : 1, sizeof *ends);
        for (size_t i = 0; i < n; i++) {
                snprintf(ends[i], sizeof ends[i], "%04d-03-31", rows[i].year);
                vals[i] = (struct store_measure_value){
                    .la = la,
                    .measure = rows[i].m->id,
                    .period = "year",
                    .period_end = ends[i],
                    .year = rows[i].year,
                    .source = "published",
                    .has_value = rows[i].has_value,
                    .value = rows[i].value,
                    .note = rows[i].note,
                };
        }
        /* As a delete of the authority's published values and a put of each, writing only
         * what changed. */
        static const char *const published_only[] = {"published", NULL};
        if (store_measure_replace(s, la, published_only, 0, vals, n, NULL, e))
                goto out;
        int marked = 0;
        for (size_t i = 0; i < n; i++) {
                if (rows[i].year != marked) {
                        if (store_measure_year_mark(s, rows[i].year, e))
                                goto out;
                        marked = rows[i].year;
                }
        }
        if (st)
                st->published += (long)n;
        rc = 0;
out:
        free(vals);
        free(ends);
        arena_release(&a);
        free(rows);
        free(y903);
        free(ycin);
        if (st)
                st->published_s += sc_now() - t0;
        return rc;
}

static int add_code(void *ctx, const struct store_authority *a)
{
        struct sc_codes *l = ctx;
        l->code = xgrow(l->code, &l->cap, l->n + 1, sizeof *l->code);
        snprintf(l->code[l->n++], 4, "%s", a->code);
        return 0;
}

int sc_codes_load(struct store *s, struct sc_codes *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        return store_authority_each(s, add_code, out, e);
}

int scorecard_published(struct store *s, const char *la, struct scorecard_stats *st, struct err *e)
{
        struct sc_codes l = {0};
        if (la) {
                l.code = xcalloc(1, sizeof *l.code);
                snprintf(l.code[0], 4, "%s", la);
                l.n = 1;
        } else if (sc_codes_load(s, &l, e)) {
                return -1;
        }
        struct sc_published *p = sc_published_open(s, e);
        int rc = p ? store_begin(s, e) : -1;
        for (size_t i = 0; rc == 0 && i < l.n; i++)
                rc = sc_published_la(s, p, l.code[i], st, e);
        if (rc == 0)
                rc = store_commit(s, e);
        else if (p)
                store_rollback(s);
        sc_published_close(p);
        free(l.code);
        return rc;
}
