/*
 * cin_util.c — flows, snapshots and the look-back index of the CIN measures
 * (see cin_util.h for why they are cached the way they are).
 */
#include "measures/cin_util.h"

#include "core/hash.h"
#include "core/xalloc.h"
#include "measures/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One measure's cache: per history year, the census's series and month-end snapshots. */
struct mcin_cache {
        size_t n; /* entries, aligned with ctx->h->years */
        struct mcin_series **series;
        struct mcin_snap **snap; /* [12] each: April … March month ends */
};

static void push_dq(struct arena *a, struct mcin_dq **v, size_t *n, size_t *cap,
                    struct mcin_dq item)
{
        if (*n == *cap) {
                size_t ncap = *cap ? *cap * 2 : 8;
                struct mcin_dq *nv = arena_alloc(a, ncap * sizeof *nv);
                if (*n)
                        memcpy(nv, *v, *n * sizeof *nv);
                *v = nv;
                *cap = ncap;
        }
        (*v)[(*n)++] = item;
}

static struct mcin_cache *cache_of(struct measure_ctx *ctx, const void *key)
{
        struct mcin_cache *c = measure_cache_get(ctx, key);
        if (c)
                return c;
        c = arena_zalloc(&ctx->arena, sizeof *c);
        c->n = ctx->h->n;
        c->series = arena_zalloc(&ctx->arena, (c->n ? c->n : 1) * sizeof *c->series);
        c->snap = arena_zalloc(&ctx->arena, (c->n ? c->n : 1) * sizeof *c->snap);
        measure_cache_put(ctx, key, c, NULL);
        return c;
}

/* Index of `year` in ctx->h->years, or -1. */
static long year_index(const struct measure_ctx *ctx, int year)
{
        const struct measure_year *y = measure_history_year(ctx->h, year);
        return y ? (long)(y - ctx->h->years) : -1;
}

/* ---------------------------------------------------------------- flows */

void mcin_series_grow(struct mcin_series *s)
{
        s->ev = xgrow(s->ev, &s->cap, s->n + 1, sizeof *s->ev);
}

void mcin_event_dq(struct mcin_series *s, date_t d, const char *child, const char *text)
{
        if (d < s->ys || d > s->ye)
                return;
        push_dq(s->arena, &s->dq, &s->ndq, &s->dqcap, (struct mcin_dq){d, child, text});
}

static struct mcin_series *series_get(struct measure_ctx *ctx, struct mcin_cache *c,
                                      mcin_build_fn build, int year)
{
        long i = year_index(ctx, year);
        if (i < 0 || (size_t)i >= c->n || !ctx->h->years[i].cin)
                return NULL;
        if (c->series[i])
                return c->series[i];
        struct mcin_series *s = arena_zalloc(&ctx->arena, sizeof *s);
        s->arena = &ctx->arena;
        s->ys = date_year_start(year);
        s->ye = date_year_end(year);
        /* A build lists at most about one event per row of a table: room for the largest up
         * front, instead of growing (and copying) the list a dozen times. */
        const struct cin_load *l = ctx->h->years[i].cin;
        size_t most = 0;
        for (int t = 0; t < CIN_NTABLES; t++)
                if (l->table[t].n > most)
                        most = l->table[t].n;
        s->ev = xgrow(NULL, &s->cap, most, sizeof *s->ev);
        build(ctx, l, year, s);
        /*
         * Every event lies in one year: a counting sort by day keeps input
         * order within a day and costs one pass, where qsort cost more than
         * the measures themselves.
         */
        size_t days = (size_t)(s->ye - s->ys) + 1;
        size_t *at = arena_zalloc(&ctx->arena, (days + 1) * sizeof *at);
        for (size_t k = 0; k < s->n; k++)
                at[(size_t)(s->ev[k].d - s->ys) + 1]++;
        for (size_t d = 0; d < days; d++)
                at[d + 1] += at[d];
        struct mcin_event *ev = arena_alloc(&ctx->arena, (s->n ? s->n : 1) * sizeof *ev);
        for (size_t k = 0; k < s->n; k++)
                ev[at[(size_t)(s->ev[k].d - s->ys)]++] = s->ev[k];
        free(s->ev);
        s->ev = ev;
        s->cap = s->n;
        s->cnum = arena_alloc(&ctx->arena, (s->n + 1) * sizeof *s->cnum);
        s->cden = arena_alloc(&ctx->arena, (s->n + 1) * sizeof *s->cden);
        s->cnum[0] = s->cden[0] = 0;
        for (size_t k = 0; k < s->n; k++) {
                s->cnum[k + 1] = s->cnum[k] + s->ev[k].num;
                s->cden[k + 1] = s->cden[k] + s->ev[k].den;
        }
        c->series[i] = s;
        return s;
}

/* First event with date >= d. */
static size_t lower(const struct mcin_series *s, date_t d)
{
        size_t lo = 0, hi = s->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (s->ev[mid].d < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

int mcin_flow(struct measure_ctx *ctx, const void *key, mcin_build_fn build,
              const struct measure_window *w, struct measure_value *out, bool with_den)
{
        struct mcin_cache *c = cache_of(ctx, key);
        int64_t num = 0, den = 0;
        for (int y = date_collection_year(w->start); y <= w->year; y++) {
                struct mcin_series *s = series_get(ctx, c, build, y);
                if (!s)
                        continue; /* the engine checked the window is held */
                date_t a = w->start > s->ys ? w->start : s->ys;
                date_t b = w->end < s->ye ? w->end : s->ye;
                if (a > b)
                        continue;
                size_t lo = lower(s, a), hi = lower(s, b + 1);
                num += s->cnum[hi] - s->cnum[lo];
                den += s->cden[hi] - s->cden[lo];
                if (ctx->on_child)
                        for (size_t k = lo; k < hi; k++)
                                if (s->ev[k].den || s->ev[k].num)
                                        measure_counted(ctx, s->ev[k].child, s->ev[k].num);
                for (size_t k = 0; k < s->ndq; k++)
                        if (s->dq[k].d >= a && s->dq[k].d <= b)
                                measure_dq(ctx, out, s->dq[k].child, "%s", s->dq[k].text);
        }
        out->numerator = num;
        out->has_numerator = true;
        if (with_den) {
                out->denominator = den;
                out->has_denominator = true;
        }
        return 0;
}

/* ---------------------------------------------------------------- snapshots */

void mcin_snap_dq(struct mcin_snap *s, const char *child, const char *text)
{
        push_dq(s->arena, &s->dq, &s->ndq, &s->dqcap, (struct mcin_dq){0, child, text});
}

static void snap_apply(struct measure_ctx *ctx, const struct mcin_snap *s,
                       struct measure_value *out, bool with_den)
{
        out->numerator = s->num;
        out->has_numerator = true;
        if (with_den) {
                out->denominator = s->den;
                out->has_denominator = true;
        }
        for (size_t k = 0; k < s->ndq; k++)
                measure_dq(ctx, out, s->dq[k].child, "%s", s->dq[k].text);
}

int mcin_snapshot(struct measure_ctx *ctx, const void *key, mcin_snap_fn fn,
                  const struct measure_window *w, struct measure_value *out, bool with_den)
{
        const struct cin_load *l = measure_history_cin(ctx->h, w->year);
        if (!l)
                return 0;
        int y, m, d;
        date_to_ymd(w->end, &y, &m, &d);
        bool month_end =
            w->end == date_month_end(w->end) && date_collection_year(w->end) == w->year;
        if (ctx->on_child || !month_end) {
                struct mcin_snap s = {.arena = &ctx->arena};
                fn(ctx, l, &w->end, 1, &s, ctx->on_child != NULL);
                snap_apply(ctx, &s, out, with_den);
                return 0;
        }
        struct mcin_cache *c = cache_of(ctx, key);
        long i = year_index(ctx, w->year);
        if (i < 0 || (size_t)i >= c->n)
                return 0;
        if (!c->snap[i]) {
                /* All twelve month ends of the year in one pass. */
                date_t at[12];
                for (int k = 0; k < 12; k++)
                        at[k] = date_month_end(date_add_months(date_year_start(w->year), k));
                struct mcin_snap *s = arena_zalloc(&ctx->arena, 12 * sizeof *s);
                for (int k = 0; k < 12; k++)
                        s[k].arena = &ctx->arena;
                fn(ctx, l, at, 12, s, false);
                c->snap[i] = s;
        }
        snap_apply(ctx, &c->snap[i][(m + 8) % 12], out, with_den); /* April 0 … March 11 */
        return 0;
}

/* ---------------------------------------------------------------- look-back index */

struct mcin_lookback {
        size_t ngid;
        uint32_t **gid;     /* per history entry: [nchildren], NULL without a census */
        uint32_t *ref_off;  /* [ngid + 1] */
        date_t *ref;        /* referral dates by child number, ascending */
        uint32_t *plan_off; /* [ngid + 1] */
        date_t *plan;       /* plan start dates by child number, ascending */
};

static uint64_t hash_id(const char *s)
{
        return fnv1a_str(FNV1A_INIT, s);
}

/*
 * Child numbers: the same LAchildID in every census gets the same number.
 * Open addressing on the id's hash; a slot keeps the hash and the number, so
 * that probing rarely has to follow a pointer to compare the strings.
 */
static void number_children(struct measure_ctx *ctx, struct mcin_lookback *lb)
{
        const struct measure_history *h = ctx->h;
        size_t total = 0;
        for (size_t i = 0; i < h->n; i++)
                if (h->years[i].cin)
                        total += h->years[i].cin->nchildren;
        size_t cap = 16;
        while (cap < total + total / 2)
                cap *= 2;
        struct slot {
                uint32_t hash;
                uint32_t gid1; /* number + 1; 0 = empty */
        } *tab = xcalloc(cap, sizeof *tab);
        const char **ids = xmalloc((total ? total : 1) * sizeof *ids);
        lb->gid = arena_zalloc(&ctx->arena, (h->n ? h->n : 1) * sizeof *lb->gid);
        uint32_t next = 0;
        for (size_t i = 0; i < h->n; i++) {
                const struct cin_load *l = h->years[i].cin;
                if (!l)
                        continue;
                uint32_t *g =
                    arena_alloc(&ctx->arena, (l->nchildren ? l->nchildren : 1) * sizeof *g);
                for (size_t c = 0; c < l->nchildren; c++) {
                        const char *id = l->children[c].LAchildID;
                        if (!id) {
                                ids[next] = NULL;
                                g[c] = next++;
                                continue;
                        }
                        uint64_t hv = hash_id(id);
                        uint32_t h32 = (uint32_t)(hv >> 32);
                        size_t k = (size_t)hv & (cap - 1);
                        while (tab[k].gid1 &&
                               (tab[k].hash != h32 || strcmp(ids[tab[k].gid1 - 1], id) != 0))
                                k = (k + 1) & (cap - 1);
                        if (!tab[k].gid1) {
                                ids[next] = id;
                                tab[k].hash = h32;
                                tab[k].gid1 = ++next;
                        }
                        g[c] = tab[k].gid1 - 1;
                }
                lb->gid[i] = g;
        }
        free(tab);
        free(ids);
        lb->ngid = next;
}

/* Dates of one column of table t, listed by child number (CSR), each list ascending. */
static void list_dates(struct measure_ctx *ctx, struct mcin_lookback *lb, enum cin_table_id t,
                       int col, uint32_t **off_out, date_t **dates_out)
{
        const struct measure_history *h = ctx->h;
        uint32_t *off = arena_zalloc(&ctx->arena, (lb->ngid + 1) * sizeof *off);
        for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < h->n; i++) {
                        const struct cin_load *l = h->years[i].cin;
                        if (!l)
                                continue;
                        const struct cin_table *tb = &l->table[t];
                        for (size_t r = 0; r < tb->n; r++) {
                                const struct cin_row *row = &tb->rows[r];
                                if (row->child >= l->nchildren || !measure_date_known(row->d[col]))
                                        continue;
                                uint32_t g = lb->gid[i][row->child];
                                if (pass == 0)
                                        off[g + 1]++;
                                else
                                        (*dates_out)[off[g]++] = row->d[col];
                        }
                }
                if (pass == 0) {
                        for (size_t g = 0; g < lb->ngid; g++)
                                off[g + 1] += off[g];
                        *dates_out = arena_alloc(&ctx->arena, (off[lb->ngid] ? off[lb->ngid] : 1) *
                                                                  sizeof **dates_out);
                } else {
                        /* the fill moved each start to the next child's: move them back */
                        for (size_t g = lb->ngid; g > 0; g--)
                                off[g] = off[g - 1];
                        off[0] = 0;
                }
        }
        date_t *v = *dates_out;
        for (size_t g = 0; g < lb->ngid; g++) {
                for (uint32_t a = off[g] + 1; a < off[g + 1]; a++) {
                        date_t x = v[a];
                        uint32_t b = a;
                        for (; b > off[g] && v[b - 1] > x; b--)
                                v[b] = v[b - 1];
                        v[b] = x;
                }
        }
        *off_out = off;
}

static const char lookback_key;

const struct mcin_lookback *mcin_lookback(struct measure_ctx *ctx)
{
        struct mcin_lookback *lb = measure_cache_get(ctx, &lookback_key);
        if (lb)
                return lb;
        lb = arena_zalloc(&ctx->arena, sizeof *lb);
        number_children(ctx, lb);
        list_dates(ctx, lb, CIN_CINdetails, CIN_CD_CINreferralDate, &lb->ref_off, &lb->ref);
        list_dates(ctx, lb, CIN_ChildProtectionPlans, CIN_CPP_CPPstartDate, &lb->plan_off,
                   &lb->plan);
        measure_cache_put(ctx, &lookback_key, lb, NULL);
        return lb;
}

const uint32_t *mcin_lookback_children(const struct mcin_lookback *lb,
                                       const struct measure_ctx *ctx, int year)
{
        long i = year_index(ctx, year);
        return i < 0 ? NULL : lb->gid[i];
}

static bool between(const uint32_t *off, const date_t *v, uint32_t g, date_t lo, date_t hi)
{
        for (uint32_t a = off[g]; a < off[g + 1] && v[a] < hi; a++)
                if (v[a] >= lo)
                        return true;
        return false;
}

bool mcin_referral_between(const struct mcin_lookback *lb, uint32_t gid, date_t lo, date_t hi)
{
        return gid < lb->ngid && between(lb->ref_off, lb->ref, gid, lo, hi);
}

bool mcin_plan_between(const struct mcin_lookback *lb, uint32_t gid, date_t lo, date_t hi)
{
        return gid < lb->ngid && between(lb->plan_off, lb->plan, gid, lo, hi);
}

date_t mcin_first_referral(const struct mcin_lookback *lb, uint32_t gid)
{
        if (gid >= lb->ngid || lb->ref_off[gid] == lb->ref_off[gid + 1])
                return DATE_NONE;
        return lb->ref[lb->ref_off[gid]];
}
