/*
 * cin_util.c — flows, snapshots and the look-back index of the CIN measures
 * (see cin_util.h for why they are cached the way they are).
 */
#include "measures/cin_util.h"

#include "core/xalloc.h"
#include "measures/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mcin_event {
        date_t d;
        uint8_t num, den;
        const char *child;
        size_t seq; /* input order, for a stable sort */
};

struct mcin_dq {
        date_t d;
        const char *child;
        const char *text;
};

struct mcin_series {
        struct arena *arena;
        date_t ys, ye; /* the census's collection year */
        struct mcin_event *ev;
        size_t n, cap;
        int64_t *cnum, *cden; /* prefix sums, [n + 1] */
        struct mcin_dq *dq;
        size_t ndq, dqcap;
};

struct mcin_snap {
        struct arena *arena;
        int64_t num, den;
        struct mcin_dq *dq;
        size_t ndq, dqcap;
};

/* One measure's cache: per history year, the census's series and month-end snapshots. */
struct mcin_cache {
        size_t n; /* entries, aligned with ctx->h->years */
        struct mcin_series **series;
        struct mcin_snap *(*snap)[12];
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

void mcin_event(struct mcin_series *s, date_t d, bool num, bool den, const char *child)
{
        if (d < s->ys || d > s->ye)
                return;
        if (s->n == s->cap)
                s->ev = xgrow(s->ev, &s->cap, s->n + 1, sizeof *s->ev);
        s->ev[s->n] = (struct mcin_event){d, num, den, child, s->n};
        s->n++;
}

void mcin_event_dq(struct measure_ctx *ctx, struct mcin_series *s, date_t d, const char *child,
                   const char *fmt, ...)
{
        if (d < s->ys || d > s->ye)
                return;
        va_list ap;
        va_start(ap, fmt);
        const char *text = arena_vprintf(&ctx->arena, fmt, ap);
        va_end(ap);
        push_dq(s->arena, &s->dq, &s->ndq, &s->dqcap, (struct mcin_dq){d, child, text});
}

static int event_cmp(const void *a, const void *b)
{
        const struct mcin_event *x = a, *y = b;
        if (x->d != y->d)
                return x->d < y->d ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
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
        build(ctx, ctx->h->years[i].cin, year, s);
        qsort(s->ev, s->n, sizeof *s->ev, event_cmp);
        /* Keep the events in the arena, exactly sized, with their prefix sums. */
        struct mcin_event *ev = arena_alloc(&ctx->arena, (s->n ? s->n : 1) * sizeof *ev);
        if (s->n)
                memcpy(ev, s->ev, s->n * sizeof *ev);
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

void mcin_snap_add(struct mcin_snap *s, bool num, bool den)
{
        s->num += num;
        s->den += den;
}

void mcin_snap_dq(struct measure_ctx *ctx, struct mcin_snap *s, const char *child, const char *fmt,
                  ...)
{
        va_list ap;
        va_start(ap, fmt);
        const char *text = arena_vprintf(&ctx->arena, fmt, ap);
        va_end(ap);
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
                fn(ctx, l, w->end, &s, ctx->on_child != NULL);
                snap_apply(ctx, &s, out, with_den);
                return 0;
        }
        struct mcin_cache *c = cache_of(ctx, key);
        long i = year_index(ctx, w->year);
        if (i < 0 || (size_t)i >= c->n)
                return 0;
        int k = (m + 8) % 12; /* April 0 … March 11 */
        struct mcin_snap *s = c->snap[i][k];
        if (!s) {
                s = arena_zalloc(&ctx->arena, sizeof *s);
                s->arena = &ctx->arena;
                fn(ctx, l, w->end, s, false);
                c->snap[i][k] = s;
        }
        snap_apply(ctx, s, out, with_den);
        return 0;
}

/* ---------------------------------------------------------------- look-back index */

static int cd_cmp(const void *a, const void *b)
{
        const struct mcin_child_date *x = a, *y = b;
        int c = strcmp(x->child, y->child);
        if (c)
                return c;
        return x->d < y->d ? -1 : x->d > y->d;
}

/* Distinct (child, date) of one date column of table t in every census held. */
static const struct mcin_dates *dates_build(struct measure_ctx *ctx, const void *key,
                                            enum cin_table_id t, int col)
{
        struct mcin_dates *x = measure_cache_get(ctx, key);
        if (x)
                return x;
        size_t n = 0, cap = 0;
        struct mcin_child_date *v = NULL;
        for (size_t i = 0; i < ctx->h->n; i++) {
                const struct cin_load *l = ctx->h->years[i].cin;
                if (!l)
                        continue;
                const struct cin_table *tb = &l->table[t];
                for (size_t r = 0; r < tb->n; r++) {
                        const struct cin_row *row = &tb->rows[r];
                        if (!row->v[0] || !measure_date_known(row->d[col]))
                                continue;
                        v = xgrow(v, &cap, n + 1, sizeof *v);
                        v[n++] = (struct mcin_child_date){row->v[0], row->d[col]};
                }
        }
        if (n)
                qsort(v, n, sizeof *v, cd_cmp);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
                if (m == 0 || cd_cmp(&v[m - 1], &v[i]) != 0)
                        v[m++] = v[i];
        struct mcin_child_date *kept = arena_alloc(&ctx->arena, (m ? m : 1) * sizeof *kept);
        if (m)
                memcpy(kept, v, m * sizeof *kept);
        free(v);
        x = arena_zalloc(&ctx->arena, sizeof *x);
        x->n = m;
        x->v = kept;
        measure_cache_put(ctx, key, x, NULL);
        return x;
}

static const char referral_dates_key, plan_starts_key;

const struct mcin_dates *mcin_referral_dates(struct measure_ctx *ctx)
{
        return dates_build(ctx, &referral_dates_key, CIN_CINdetails, CIN_CD_CINreferralDate);
}

const struct mcin_dates *mcin_plan_starts(struct measure_ctx *ctx)
{
        return dates_build(ctx, &plan_starts_key, CIN_ChildProtectionPlans, CIN_CPP_CPPstartDate);
}

bool mcin_dates_any(const struct mcin_dates *x, const char *child, date_t lo, date_t hi)
{
        if (!child)
                return false;
        struct mcin_child_date key = {child, lo};
        size_t a = 0, b = x->n;
        while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (cd_cmp(&x->v[mid], &key) < 0)
                        a = mid + 1;
                else
                        b = mid;
        }
        return a < x->n && strcmp(x->v[a].child, child) == 0 && x->v[a].d < hi;
}
