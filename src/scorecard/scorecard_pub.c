/*
 * scorecard_pub.c — a measure's published figures, read the way its
 * catalogue row says (scorecard.h), and the stored populations that derived
 * rates need (measures.md §0.7).
 *
 * A benchmark may be one value column, a count made a rate, a ratio of sums
 * of columns, or 100 minus a column; each column may add its own filters
 * ("children_count[breakdown=Total new placements]").  Every column named is
 * one published series; its values at every level are summed per (year,
 * level, area), and a figure exists only where every column had a number.
 */
#include "scorecard/scorecard_int.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "published/ees.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- populations */

struct scorecard_pops {
        json_t *map; /* "area|year" -> population */
};

static int put_pop(void *ctx, const char *area, int year, int64_t population)
{
        struct scorecard_pops *p = ctx;
        char key[48];
        snprintf(key, sizeof key, "%s|%d", area, year);
        json_object_set_new(p->map, key, json_integer((json_int_t)population));
        return 0;
}

struct scorecard_pops *scorecard_pops_load(struct store *s, struct err *e)
{
        struct scorecard_pops *p = xcalloc(1, sizeof *p);
        p->map = json_object();
        if (store_population_each(s, put_pop, p, e)) {
                scorecard_pops_free(p);
                return NULL;
        }
        return p;
}

void scorecard_pops_free(struct scorecard_pops *p)
{
        if (!p)
                return;
        json_decref(p->map);
        free(p);
}

int scorecard_pops_get(const struct scorecard_pops *p, const char *area, int year, int64_t *out)
{
        if (!p || !area)
                return 0;
        char key[48];
        snprintf(key, sizeof key, "%s|%d", area, year);
        json_t *v = json_object_get(p->map, key);
        if (!v)
                return 0;
        *out = (int64_t)json_integer_value(v);
        return 1;
}

/* ---------------------------------------------------------------- published figures */

/* Average days in a month, as measures.md §4.3 turns days into months. */
#define DAYS_PER_MONTH 30.4375

struct entry {
        int year, level;
        char area[16], region[16];
        double num, den;
        int nnum, nden; /* columns that had a number */
        int months;     /* published as a YY:MM duration, i.e. in months */
        char symbol[8]; /* the first symbol met, "" for none */
};

struct scorecard_pub {
        const struct measure_def *m;
        const struct scorecard_pops *pops;
        struct entry *v;
        size_t n, cap;
        json_t *index; /* "year|level|area" -> position in v */
        int nterms, nden_terms;
        json_t *la_years; /* years with a numeric LA-level figure */
        int first, last;  /* years of the figures */
};

static void key_of(char *key, size_t n, int year, int level, const char *area)
{
        snprintf(key, n, "%d|%d|%s", year, level, area);
}

/* Split "a=b|c=d" into pairs appended to names/values (pointers into `text`, modified). */
static size_t split_pairs(char *text, const char **names, const char **values, size_t n, size_t max)
{
        char *p = text;
        while (p && *p && n < max) {
                char *bar = strchr(p, '|');
                if (bar)
                        *bar = '\0';
                char *eq = strchr(p, '=');
                if (eq) {
                        *eq = '\0';
                        names[n] = p;
                        values[n] = eq + 1;
                        n++;
                }
                p = bar ? bar + 1 : NULL;
        }
        return n;
}

/* One column term "name" or "name[filters]": its indicator and canonical filter key. */
static int term_key(const char *base, const char *term, size_t len, char *indicator, size_t ilen,
                    struct buf *filters)
{
        const char *open = memchr(term, '[', len);
        size_t nlen = open ? (size_t)(open - term) : len;
        if (nlen == 0 || nlen >= ilen || memchr(term, '*', len))
                return -1; /* a pattern ("Duration_*") names no single series */
        memcpy(indicator, term, nlen);
        indicator[nlen] = '\0';
        char text[1024];
        size_t extra = 0;
        if (open) {
                const char *close = memchr(open, ']', len - nlen);
                if (!close)
                        return -1;
                extra = (size_t)(close - open - 1);
        }
        if (strlen(base) + extra + 2 >= sizeof text)
                return -1;
        snprintf(text, sizeof text, "%s", base);
        if (extra) {
                size_t at = strlen(text);
                if (at)
                        text[at++] = '|';
                memcpy(text + at, open + 1, extra);
                text[at + extra] = '\0';
        }
        const char *names[32], *values[32];
        size_t n = split_pairs(text, names, values, 0, 32);
        buf_reset(filters);
        ees_filter_key(names, values, n, filters);
        return 0;
}

struct add_ctx {
        struct scorecard_pub *p;
        int den; /* adding a denominator column */
};

static int add_value(void *vctx, const struct store_published *v)
{
        struct add_ctx *c = vctx;
        struct scorecard_pub *p = c->p;
        char key[64];
        key_of(key, sizeof key, v->year, (int)v->level, v->area);
        json_t *hit = json_object_get(p->index, key);
        struct entry *x;
        if (hit) {
                x = &p->v[json_integer_value(hit)];
        } else {
                p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
                x = &p->v[p->n];
                memset(x, 0, sizeof *x);
                x->year = v->year;
                x->level = (int)v->level;
                snprintf(x->area, sizeof x->area, "%s", v->area);
                json_object_set_new(p->index, key, json_integer((json_int_t)p->n));
                p->n++;
        }
        if (v->region_code && !x->region[0])
                snprintf(x->region, sizeof x->region, "%s", v->region_code);
        if (!v->symbol) {
                x->months |= v->text && strchr(v->text, ':') != NULL;
                if (c->den) {
                        x->den += v->value;
                        x->nden++;
                } else {
                        x->num += v->value;
                        x->nnum++;
                }
        } else if (!x->symbol[0]) {
                snprintf(x->symbol, sizeof x->symbol, "%s", *v->symbol ? v->symbol : "blank");
        }
        return 0;
}

/* Read every series a column list names ("a+b[f=v]") into p; 0 when one is not stored. */
static int add_columns(struct store *s, struct scorecard_pub *p, const char *columns, int den,
                       int *nterms, struct err *e)
{
        const char *base = p->m->bench.filters ? p->m->bench.filters : "";
        struct buf filters;
        buf_init(&filters);
        struct add_ctx ctx = {p, den};
        int rc = 1;
        *nterms = 0;
        for (const char *t = columns; t && *t;) {
                /* '+' inside brackets belongs to a filter value. */
                const char *q = t;
                int depth = 0;
                while (*q && (depth || *q != '+')) {
                        depth += *q == '[';
                        depth -= *q == ']';
                        q++;
                }
                char indicator[128];
                int64_t id;
                if (term_key(base, t, (size_t)(q - t), indicator, sizeof indicator, &filters)) {
                        rc = 0;
                        break;
                }
                int found = store_published_series_find(s, p->m->bench.source, indicator,
                                                        filters.data ? filters.data : "", &id, e);
                if (found <= 0) {
                        rc = found;
                        break;
                }
                for (int level = STORE_GEO_NATIONAL; level <= STORE_GEO_LA; level++)
                        if (store_published_series_each(s, id, (enum store_geo)level, add_value,
                                                        &ctx, e)) {
                                rc = -1;
                                break;
                        }
                if (rc < 0)
                        break;
                (*nterms)++;
                t = *q ? q + 1 : q;
        }
        buf_release(&filters);
        return rc;
}

void scorecard_pub_free(struct scorecard_pub *p)
{
        if (!p)
                return;
        free(p->v);
        json_decref(p->index);
        json_decref(p->la_years);
        free(p);
}

struct scorecard_pub *scorecard_pub_load(struct store *s, const struct measure_def *m,
                                         const struct scorecard_pops *pops, struct err *e)
{
        const struct measure_benchmark *b = &m->bench;
        if (b->kind == MEASURE_BENCH_NONE || !b->source || !b->column)
                return NULL;
        struct scorecard_pub *p = xcalloc(1, sizeof *p);
        p->m = m;
        p->pops = pops;
        p->index = json_object();
        p->la_years = json_object();
        int rc = add_columns(s, p, b->column, 0, &p->nterms, e);
        if (rc > 0 && b->kind == MEASURE_BENCH_RATIO)
                rc = add_columns(s, p, b->den_column, 1, &p->nden_terms, e);
        if (rc <= 0 || p->n == 0) {
                scorecard_pub_free(p);
                return NULL; /* rc < 0: the error is set */
        }
        p->first = p->last = p->v[0].year;
        for (size_t i = 0; i < p->n; i++) {
                if (p->v[i].year < p->first)
                        p->first = p->v[i].year;
                if (p->v[i].year > p->last)
                        p->last = p->v[i].year;
                struct scorecard_pub_value v;
                scorecard_pub_get(p, p->v[i].year, STORE_GEO_LA, p->v[i].area, &v);
                if (p->v[i].level == STORE_GEO_LA && v.has_value) {
                        char y[16];
                        snprintf(y, sizeof y, "%d", p->v[i].year);
                        json_object_set_new(p->la_years, y, json_true());
                }
        }
        return p;
}

void scorecard_pub_get(const struct scorecard_pub *p, int year, int level, const char *area,
                       struct scorecard_pub_value *out)
{
        memset(out, 0, sizeof *out);
        if (!p || !area)
                return;
        char key[64];
        key_of(key, sizeof key, year, level, area);
        json_t *hit = json_object_get(p->index, key);
        if (!hit)
                return;
        const struct entry *x = &p->v[json_integer_value(hit)];
        out->found = 1;
        out->region = x->region[0] ? x->region : NULL;
        if (x->nnum < p->nterms ||
            (p->m->bench.kind == MEASURE_BENCH_RATIO && x->nden < p->nden_terms)) {
                out->symbol = x->symbol[0] ? x->symbol : "blank";
                return;
        }
        switch (p->m->bench.kind) {
        case MEASURE_BENCH_VALUE:
                out->value = x->num;
                /* A days measure set beside a YY:MM duration (months): compare like with like. */
                if (x->months && p->m->unit == MEASURE_DAYS) {
                        out->value *= DAYS_PER_MONTH;
                        out->converted = 1;
                }
                break;
        case MEASURE_BENCH_COMPLEMENT:
                out->value = 100.0 - x->num;
                break;
        case MEASURE_BENCH_RATIO:
                if (x->den <= 0) {
                        out->why = "published denominator is zero";
                        return;
                }
                out->value = 100.0 * x->num / x->den;
                break;
        case MEASURE_BENCH_DERIVE_RATE: {
                int64_t pop;
                if (!scorecard_pops_get(p->pops, area, year, &pop) || pop <= 0) {
                        out->why = "no population to derive the published rate";
                        return;
                }
                out->value = 10000.0 * x->num / (double)pop;
                break;
        }
        default:
                return;
        }
        out->has_value = 1;
}

int scorecard_pub_any_la(const struct scorecard_pub *p, int year)
{
        if (!p)
                return 0;
        char y[16];
        snprintf(y, sizeof y, "%d", year);
        return json_object_get(p->la_years, y) != NULL;
}

void sc_pub_years(const struct scorecard_pub *p, int *first, int *last)
{
        *first = p ? p->first : 0;
        *last = p ? p->last : 0;
}
