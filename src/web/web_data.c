/*
 * web_data.c — an authority's measure values as the pages and the API show
 * them (see web_data.h).
 *
 * The rows are the command's own struct measures_row, so that the API's CSV
 * and JSON are written by measures_write_csv/json and SPC's variation and
 * assurance come from measures_spc_fill: the web never words or computes
 * them differently from `improve measures`.  Reading is one index range per
 * period of one authority, plus its benchmarks.
 */
#include "web/web_data.h"

#include "core/err.h"
#include "core/xalloc.h"
#include "scorecard/scorecard.h"
#include "stats/sdc.h"
#include "store/store.h"
#include "store/store_web.h"
#include "web/html.h"

#if defined(__has_include)
#if __has_include("cmd/measures_spc.h")
#include "cmd/measures_spc.h"
#define WEB_SPC_ON_STORE 1
#endif
#endif

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct load_ctx {
        struct web_measures *m;
        const char *only;
};

static int add_value(void *vctx, const struct store_measure_value *v)
{
        struct load_ctx *c = vctx;
        const struct measure_def *def = measure_find(v->measure);
        if (!def)
                return 0; /* a measure no longer in the catalogue */
        struct web_measures *m = c->m;
        m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
        struct measures_row *r = &m->v[m->n++];
        measures_row_from_value(r, def, v, "");
        if (r->period == MEASURE_YEAR && r->year > m->latest_year)
                m->latest_year = r->year;
        return 0;
}

static int add_bench(void *vctx, const struct store_measure_bench *b)
{
        struct load_ctx *c = vctx;
        struct measures_row *r =
            (struct measures_row *)web_measures_year(c->m, b->measure, b->year);
        if (!r)
                return 0;
        measures_row_set_bench(r, b);
        return 0;
}

const struct measures_row *web_measures_year(const struct web_measures *m, const char *measure,
                                             int year)
{
        for (size_t i = 0; i < m->n; i++)
                if (m->v[i].period == MEASURE_YEAR && m->v[i].year == year &&
                    strcmp(m->v[i].m->id, measure) == 0)
                        return &m->v[i];
        return NULL;
}

void web_disclose(struct measures_row *r)
{
        struct sdc_options o;
        sdc_options_default(&o);
        measures_disclose(r, &o);
}

/* Catalogue positions, looked up by definition address (built once, read by every thread). */
struct def_pos {
        const struct measure_def *m;
        size_t pos;
};
static struct def_pos *positions;
static size_t npositions;
static pthread_once_t positions_once = PTHREAD_ONCE_INIT;

static int cmp_def_pos(const void *a, const void *b)
{
        uintptr_t x = (uintptr_t)((const struct def_pos *)a)->m;
        uintptr_t y = (uintptr_t)((const struct def_pos *)b)->m;
        return x < y ? -1 : x > y;
}

static void positions_init(void)
{
        npositions = measure_count();
        positions = xcalloc(npositions ? npositions : 1, sizeof *positions);
        for (size_t i = 0; i < npositions; i++)
                positions[i] = (struct def_pos){measure_at(i), i};
        qsort(positions, npositions, sizeof *positions, cmp_def_pos);
}

static size_t position(const struct measure_def *m)
{
        pthread_once(&positions_once, positions_init);
        struct def_pos key = {m, 0};
        const struct def_pos *hit =
            bsearch(&key, positions, npositions, sizeof *positions, cmp_def_pos);
        return hit ? hit->pos : (size_t)-1;
}

struct keyed {
        size_t pos;
        struct measures_row row;
};

static int cmp_keyed(const void *a, const void *b)
{
        const struct keyed *x = a, *y = b;
        if (x->row.m->outcome != y->row.m->outcome)
                return x->row.m->outcome < y->row.m->outcome ? -1 : 1;
        if (x->pos != y->pos)
                return x->pos < y->pos ? -1 : 1;
        if (x->row.period != y->row.period)
                return x->row.period < y->row.period ? -1 : 1;
        return strcmp(x->row.period_end, y->row.period_end);
}

static int load_uncached(struct store *s, const char *la, const char *measure, int outward,
                         int months, enum web_spc spc, struct web_measures *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        struct load_ctx c = {out, measure};
        /* Benchmarks attach to annual rows before the (many more) monthly rows are read. */
        if (store_measure_each(s, la, "year", 0, measure, add_value, &c, e) ||
            store_bench_each(s, la, 0, measure, add_bench, &c, e) ||
            (months && store_measure_each(s, la, "month", 0, measure, add_value, &c, e))) {
                web_measures_release(out);
                return -1;
        }
        /* Sort by outcome, catalogue position, period and period end. */
        struct keyed *k = xcalloc(out->n ? out->n : 1, sizeof *k);
        size_t kept = 0;
        for (size_t i = 0; i < out->n; i++) {
                if (outward && (out->v[i].m->flags & MEASURE_INTERNAL_ONLY)) {
                        free(out->v[i].note);
                        continue;
                }
                k[kept].pos = position(out->v[i].m);
                k[kept].row = out->v[i];
                kept++;
        }
        if (kept)
                qsort(k, kept, sizeof *k, cmp_keyed);
        for (size_t i = 0; i < kept; i++)
                out->v[i] = k[i].row;
        out->n = kept;
        free(k);
        if (outward)
                for (size_t i = 0; i < out->n; i++)
                        web_disclose(&out->v[i]);
        /* SPC icons belong to annual rows (the scorecard's); monthly rows are the series. */
        size_t na = 0;
        struct measures_row *annual = xcalloc(out->n ? out->n : 1, sizeof *annual);
        for (size_t i = 0; i < out->n && spc != WEB_SPC_NONE;) {
                size_t j = i, pick = (size_t)-1;
                /* One measure's rows: the latest annual one with a value (or hidden one),
                 * else the latest annual one; the row the scorecard shows. */
                for (; j < out->n && out->v[j].m == out->v[i].m; j++) {
                        const struct measures_row *r = &out->v[j];
                        if (r->period != MEASURE_YEAR)
                                continue;
                        if (spc == WEB_SPC_ALL)
                                annual[na++] = *r;
                        else if (pick == (size_t)-1 || r->has_value || r->c_value ||
                                 !(out->v[pick].has_value || out->v[pick].c_value))
                                pick = j;
                }
                if (spc == WEB_SPC_LATEST && pick != (size_t)-1)
                        annual[na++] = out->v[pick];
                i = j;
        }
#ifdef WEB_SPC_ON_STORE
        /* The icons `improve measures` prints, read through this request's own connection. */
        if (measures_spc_apply(s, annual, na, e)) {
                free(annual);
                web_measures_release(out);
                return -1;
        }
#else
        measures_spc_fill(annual, na);
#endif
        /* Back to their rows, which are in the same order. */
        for (size_t i = 0, a = 0; i < out->n && a < na; i++)
                if (out->v[i].period == MEASURE_YEAR && out->v[i].m == annual[a].m &&
                    strcmp(out->v[i].period_end, annual[a].period_end) == 0) {
                        out->v[i].variation = annual[a].variation;
                        out->v[i].assurance = annual[a].assurance;
                        a++;
                }
        free(annual);
        return 0;
}

/*
 * The cache beside each store connection (store_web.h): sets and year values read for earlier
 * requests, each with the stamp the store had just before it was read.  A hit needs the same key
 * and the same stamp now, so an import, a target or a recompute by anyone makes every entry a
 * miss; the scorecard's SPC icons (a chart per monthly series) are the bulk of what this saves.
 */
#define CACHE_SLOTS 32

struct year_value {
        char la[8];
        char period_end[11];
        char source[10];
        int has_numerator, has_denominator, has_value;
        int64_t numerator, denominator;
        double value;
        char *note;
        int small_base, lookback_incomplete, dq_warnings;
};

struct cache_slot {
        char key[96];
        struct store_stamp stamp;
        unsigned long long used; /* 0: empty */
        struct web_measures set;
        struct year_value *yv;
        size_t nyv;
};

struct web_cache {
        struct cache_slot slot[CACHE_SLOTS];
        unsigned long long tick;
};

static void slot_clear(struct cache_slot *sl)
{
        web_measures_release(&sl->set);
        for (size_t i = 0; i < sl->nyv; i++)
                free(sl->yv[i].note);
        free(sl->yv);
        memset(sl, 0, sizeof *sl);
}

static void cache_free(void *vc)
{
        struct web_cache *c = vc;
        for (size_t i = 0; i < CACHE_SLOTS; i++)
                slot_clear(&c->slot[i]);
        free(c);
}

static struct web_cache *cache_of(struct store *s)
{
        struct web_cache *c = store_cache(s);
        if (!c) {
                c = xcalloc(1, sizeof *c);
                store_set_cache(s, c, cache_free);
        }
        return c;
}

static _Atomic unsigned long long cache_hits;

unsigned long long web_data_cache_hits(void)
{
        return cache_hits;
}

static struct cache_slot *cache_find(struct web_cache *c, const char *key,
                                     const struct store_stamp *now)
{
        for (size_t i = 0; i < CACHE_SLOTS; i++) {
                struct cache_slot *sl = &c->slot[i];
                if (sl->used && strcmp(sl->key, key) == 0) {
                        if (!store_stamp_equal(&sl->stamp, now)) {
                                slot_clear(sl);
                                return NULL;
                        }
                        sl->used = ++c->tick;
                        cache_hits++;
                        return sl;
                }
        }
        return NULL;
}

/* An empty slot for `key`, the least recently used one cleared if all are taken. */
static struct cache_slot *cache_take(struct web_cache *c, const char *key,
                                     const struct store_stamp *stamp)
{
        struct cache_slot *pick = &c->slot[0];
        for (size_t i = 0; i < CACHE_SLOTS; i++) {
                struct cache_slot *sl = &c->slot[i];
                if (!sl->used || strcmp(sl->key, key) == 0) {
                        pick = sl;
                        break;
                }
                if (sl->used < pick->used)
                        pick = sl;
        }
        slot_clear(pick);
        snprintf(pick->key, sizeof pick->key, "%s", key);
        pick->stamp = *stamp;
        pick->used = ++c->tick;
        return pick;
}

static void measures_copy(struct web_measures *to, const struct web_measures *from)
{
        memset(to, 0, sizeof *to);
        to->latest_year = from->latest_year;
        if (!from->n)
                return;
        to->v = xmalloc(from->n * sizeof *to->v);
        memcpy(to->v, from->v, from->n * sizeof *to->v);
        to->n = to->cap = from->n;
        for (size_t i = 0; i < to->n; i++)
                to->v[i].note = xstrdup(from->v[i].note);
}

int web_measures_load(struct store *s, const char *la, const char *measure, int outward, int months,
                      enum web_spc spc, struct web_measures *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        struct web_cache *c = cache_of(s);
        char key[96];
        snprintf(key, sizeof key, "set %s %s %d %d %d", la ? la : "-", measure ? measure : "-",
                 outward, months, (int)spc);
        struct store_stamp now;
        if (store_data_stamp(s, &now, e))
                return -1;
        const struct cache_slot *hit = cache_find(c, key, &now);
        if (hit) {
                measures_copy(out, &hit->set);
                return 0;
        }
        /* Stale benchmarks are redone first (a write, which moves the stamp), then the stamp is
         * taken before reading: what is read is at least as new as the stamp it is kept with. */
        struct scorecard_stats st = {0};
        if (scorecard_benchmarks(s, 0, &st, e) || store_data_stamp(s, &now, e) ||
            load_uncached(s, la, measure, outward, months, spc, out, e))
                return -1;
        measures_copy(&cache_take(c, key, &now)->set, out);
        return 0;
}

static int keep_year_value(void *vctx, const struct store_measure_value *v)
{
        struct cache_slot *sl = vctx;
        sl->yv = xrealloc(sl->yv, (sl->nyv + 1) * sizeof *sl->yv);
        struct year_value *y = &sl->yv[sl->nyv++];
        memset(y, 0, sizeof *y);
        snprintf(y->la, sizeof y->la, "%s", v->la);
        snprintf(y->period_end, sizeof y->period_end, "%s", v->period_end);
        snprintf(y->source, sizeof y->source, "%s", v->source);
        y->has_numerator = v->has_numerator;
        y->has_denominator = v->has_denominator;
        y->has_value = v->has_value;
        y->numerator = v->numerator;
        y->denominator = v->denominator;
        y->value = v->value;
        y->note = xstrdup(v->note ? v->note : "");
        y->small_base = v->small_base;
        y->lookback_incomplete = v->lookback_incomplete;
        y->dq_warnings = v->dq_warnings;
        return 0;
}

int web_year_values_each(struct store *s, const char *measure, int year,
                         int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                         struct err *e)
{
        struct web_cache *c = cache_of(s);
        char key[96];
        snprintf(key, sizeof key, "year %s %d", measure, year);
        struct store_stamp now;
        if (store_data_stamp(s, &now, e))
                return -1;
        const struct cache_slot *sl = cache_find(c, key, &now);
        if (!sl) {
                struct cache_slot *fresh = cache_take(c, key, &now);
                if (store_web_year_values_each(s, measure, year, keep_year_value, fresh, e)) {
                        slot_clear(fresh);
                        return -1;
                }
                sl = fresh;
        }
        for (size_t i = 0; i < sl->nyv; i++) {
                const struct year_value *y = &sl->yv[i];
                struct store_measure_value v = {
                    .la = y->la,
                    .measure = measure,
                    .period = "year",
                    .period_end = y->period_end,
                    .year = year,
                    .source = y->source,
                    .has_numerator = y->has_numerator,
                    .has_denominator = y->has_denominator,
                    .has_value = y->has_value,
                    .numerator = y->numerator,
                    .denominator = y->denominator,
                    .value = y->value,
                    .note = y->note,
                    .small_base = y->small_base,
                    .lookback_incomplete = y->lookback_incomplete,
                    .dq_warnings = y->dq_warnings,
                };
                if (fn(ctx, &v))
                        break;
        }
        return 0;
}

void web_measures_release(struct web_measures *m)
{
        for (size_t i = 0; i < m->n; i++)
                free(m->v[i].note);
        free(m->v);
        memset(m, 0, sizeof *m);
}

long long web_return_errors(struct store *s, const char *la, const char *source, int year,
                            struct err *e)
{
        enum store_return_kind kind;
        if (strcmp(source, "903") == 0)
                kind = STORE_RETURN_SSDA903;
        else if (strcmp(source, "cin") == 0)
                kind = STORE_RETURN_CIN;
        else
                return -1;
        struct store_return_info info;
        int rc = store_return_get(s, kind, la, year, &info, e);
        if (rc < 0)
                return -2;
        return rc ? (long long)info.errors : -1;
}

const char *web_value_text(const struct measures_row *r, double v, int has, int c, char *buf,
                           size_t n)
{
        if (c)
                return "c";
        if (!has || isnan(v))
                return "";
        double x = sdc_round_half_up(v, 1);
        const char *unit = r->m->unit == MEASURE_PERCENT ? "%" : "";
        /* html_fmt_fixed: the bytes of "%.0f"/"%.1f" without printf (this is per table cell). */
        char num[HTML_FIXED_MAX + 1];
        size_t k = html_fmt_fixed(num, x, r->m->unit == MEASURE_COUNT && x == floor(x) ? 0 : 1);
        size_t u = strlen(unit);
        if (k + u < n) {
                memcpy(buf, num, k);
                memcpy(buf + k, unit, u + 1);
        } else {
                snprintf(buf, n, "%s%s", num, unit);
        }
        if (strcmp(buf, "-0.0") == 0)
                snprintf(buf, n, "0.0");
        return buf;
}

const char *web_outcome_title(enum measure_outcome o)
{
        switch (o) {
        case MEASURE_OUTCOME_1:
                return "Outcome 1: children, young people and families stay together and get the "
                       "help they need";
        case MEASURE_OUTCOME_2:
                return "Outcome 2: children and young people are supported by their family "
                       "network";
        case MEASURE_OUTCOME_3:
                return "Outcome 3: children and young people are safe in and outside of their "
                       "home";
        case MEASURE_OUTCOME_4:
                return "Outcome 4: children in care and care leavers have stable, loving homes";
        case MEASURE_ENABLER_WORKFORCE:
                return "Enabler: the workforce is equipped and effective";
        case MEASURE_CONTEXT:
                return "Context";
        }
        return "";
}
