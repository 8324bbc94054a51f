/*
 * engine.c — the measures engine: windows, one authority's history, the
 * ctx with its caches, and computing values (measure.h has the contract).
 *
 * The engine owns everything that must be the same for every measure: which
 * periods a measure has, whether the returns a window needs are held, the
 * §0.7 population of a rate, and the value from numerator and denominator.
 * Measure functions only count.
 */
#include "measures/measure.h"

#include "core/err.h"
#include "core/xalloc.h"
#include "measures/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- names */

const char *measure_outcome_name(enum measure_outcome o)
{
        switch (o) {
        case MEASURE_OUTCOME_1:
                return "outcome_1";
        case MEASURE_OUTCOME_2:
                return "outcome_2";
        case MEASURE_OUTCOME_3:
                return "outcome_3";
        case MEASURE_OUTCOME_4:
                return "outcome_4";
        case MEASURE_ENABLER_WORKFORCE:
                return "workforce";
        case MEASURE_CONTEXT:
                return "context";
        }
        return "?";
}

const char *measure_unit_name(enum measure_unit u)
{
        switch (u) {
        case MEASURE_PERCENT:
                return "percent";
        case MEASURE_RATE_PER_10K:
                return "rate_per_10k";
        case MEASURE_DAYS:
                return "days";
        case MEASURE_MONTHS:
                return "months";
        case MEASURE_AVERAGE:
                return "average";
        case MEASURE_COUNT:
                return "count";
        }
        return "?";
}

const char *measure_polarity_name(enum bench_polarity p)
{
        switch (p) {
        case BENCH_HIGHER_BETTER:
                return "higher_better";
        case BENCH_LOWER_BETTER:
                return "lower_better";
        case BENCH_NEUTRAL:
                return "neutral";
        }
        return "?";
}

const char *measure_source_name(enum measure_source s)
{
        switch (s) {
        case MEASURE_SRC_CIN:
                return "cin";
        case MEASURE_SRC_903:
                return "903";
        case MEASURE_SRC_PUBLISHED:
                return "published";
        }
        return "?";
}

const char *measure_period_name(enum measure_period p)
{
        switch (p) {
        case MEASURE_YEAR:
                return "year";
        case MEASURE_MONTH:
                return "month";
        case MEASURE_ROLLING:
                return "rolling";
        }
        return "?";
}

double measure_scale(const struct measure_def *m)
{
        if (m->scale != 0)
                return m->scale;
        switch (m->unit) {
        case MEASURE_PERCENT:
                return 100.0;
        case MEASURE_RATE_PER_10K:
                return 10000.0;
        default:
                return 1.0;
        }
}

static int span_of(const struct measure_def *m)
{
        return m->span_months > 0 ? m->span_months : 12;
}

/* ---------------------------------------------------------------- windows */

static date_t month_first(date_t t)
{
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        return date_from_ymd(y, m, 1);
}

void measure_window_year(struct measure_window *w, int year, int span_months)
{
        if (span_months <= 0)
                span_months = 12;
        int years = (span_months + 11) / 12;
        w->period = MEASURE_YEAR;
        w->months = years * 12;
        w->start = date_year_start(year - years + 1);
        w->end = date_year_end(year);
        w->year = year;
}

void measure_window_month(struct measure_window *w, date_t month_end)
{
        w->period = MEASURE_MONTH;
        w->months = 1;
        w->end = date_month_end(month_end);
        w->start = month_first(w->end);
        w->year = date_collection_year(w->end);
}

void measure_window_rolling(struct measure_window *w, date_t month_end, int months)
{
        if (months <= 0)
                months = 12;
        w->period = MEASURE_ROLLING;
        w->months = months;
        w->end = date_month_end(month_end);
        /* The 1st of the end's month, then back months-1 whole months: no day clamping. */
        w->start = date_add_months(month_first(w->end), -(months - 1));
        w->year = date_collection_year(w->end);
}

void measure_window_for(struct measure_window *w, const struct measure_def *m,
                        enum measure_period p, date_t end)
{
        switch (p) {
        case MEASURE_YEAR:
                measure_window_year(w, date_collection_year(end), span_of(m));
                break;
        case MEASURE_MONTH:
                measure_window_month(w, end);
                break;
        case MEASURE_ROLLING:
                measure_window_rolling(w, end, span_of(m));
                break;
        }
}

/* ---------------------------------------------------------------- history */

void measure_history_init(struct measure_history *h, const char *la)
{
        memset(h, 0, sizeof *h);
        h->la = la;
}

void measure_history_release(struct measure_history *h)
{
        free(h->years);
        memset(h, 0, sizeof *h);
}

static size_t year_pos(const struct measure_history *h, int year)
{
        size_t lo = 0, hi = h->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (h->years[mid].year < year)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

static struct measure_year *year_entry(struct measure_history *h, int year)
{
        size_t i = year_pos(h, year);
        if (i < h->n && h->years[i].year == year)
                return &h->years[i];
        h->years = xgrow(h->years, &h->cap, h->n + 1, sizeof *h->years);
        memmove(&h->years[i + 1], &h->years[i], (h->n - i) * sizeof *h->years);
        h->n++;
        memset(&h->years[i], 0, sizeof h->years[i]);
        h->years[i].year = year;
        return &h->years[i];
}

void measure_history_set_903(struct measure_history *h, int year, const struct ssda903_load *ld)
{
        year_entry(h, year)->s903 = ld;
}

void measure_history_set_cin(struct measure_history *h, int year, const struct cin_load *l)
{
        year_entry(h, year)->cin = l;
}

void measure_history_set_population(struct measure_history *h, int year, int64_t population)
{
        struct measure_year *y = year_entry(h, year);
        y->population = population;
        y->has_population = true;
}

const struct measure_year *measure_history_year(const struct measure_history *h, int year)
{
        /* Years held are usually consecutive: try year's place counting from the first. */
        if (h->n && year >= h->years[0].year) {
                size_t d = (size_t)year - (size_t)h->years[0].year;
                if (d < h->n && h->years[d].year == year)
                        return &h->years[d];
        }
        size_t i = year_pos(h, year);
        return i < h->n && h->years[i].year == year ? &h->years[i] : NULL;
}

const struct ssda903_load *measure_history_903(const struct measure_history *h, int year)
{
        const struct measure_year *y = measure_history_year(h, year);
        return y ? y->s903 : NULL;
}

const struct cin_load *measure_history_cin(const struct measure_history *h, int year)
{
        const struct measure_year *y = measure_history_year(h, year);
        return y ? y->cin : NULL;
}

int measure_history_population(const struct measure_history *h, int year, int64_t *out)
{
        const struct measure_year *y = measure_history_year(h, year);
        if (!y || !y->has_population)
                return 0;
        *out = y->population;
        return 1;
}

bool measure_history_holds(const struct measure_history *h, enum measure_source src, int year)
{
        const struct measure_year *y = measure_history_year(h, year);
        if (!y)
                return false;
        switch (src) {
        case MEASURE_SRC_CIN:
                return y->cin != NULL;
        case MEASURE_SRC_903:
                return y->s903 != NULL;
        case MEASURE_SRC_PUBLISHED:
                return false;
        }
        return false;
}

/* The first year of the window not held for src, or 0 when every one is. */
static int first_missing(const struct measure_history *h, enum measure_source src,
                         const struct measure_window *w)
{
        for (int y = date_collection_year(w->start); y <= w->year; y++)
                if (!measure_history_holds(h, src, y))
                        return y;
        return 0;
}

bool measure_window_held(const struct measure_history *h, enum measure_source src,
                         const struct measure_window *w)
{
        return first_missing(h, src, w) == 0;
}

/* ---------------------------------------------------------------- ctx, caches, notes */

struct measure_cache_entry {
        const void *key;
        void *data;
        void (*release)(void *data);
        struct measure_cache_entry *next;
};

void measure_ctx_init(struct measure_ctx *ctx, const struct measure_history *h)
{
        memset(ctx, 0, sizeof *ctx);
        ctx->h = h;
        arena_init(&ctx->arena, 0);
}

void measure_ctx_release(struct measure_ctx *ctx)
{
        for (struct measure_cache_entry *c = ctx->caches; c; c = c->next)
                if (c->release)
                        c->release(c->data);
        arena_release(&ctx->arena);
        ctx->caches = NULL;
}

void *measure_cache_get(struct measure_ctx *ctx, const void *key)
{
        /* Found entries move to the front: a measure asks for the same few caches window after
         * window, and the list holds every cache the ctx has made. */
        for (struct measure_cache_entry **p = &ctx->caches; *p; p = &(*p)->next) {
                struct measure_cache_entry *c = *p;
                if (c->key != key)
                        continue;
                if (p != &ctx->caches) {
                        *p = c->next;
                        c->next = ctx->caches;
                        ctx->caches = c;
                }
                return c->data;
        }
        return NULL;
}

void measure_cache_put(struct measure_ctx *ctx, const void *key, void *data,
                       void (*release)(void *data))
{
        for (struct measure_cache_entry *c = ctx->caches; c; c = c->next) {
                if (c->key == key) {
                        if (c->release && c->data != data)
                                c->release(c->data);
                        c->data = data;
                        c->release = release;
                        return;
                }
        }
        struct measure_cache_entry *c = arena_alloc(&ctx->arena, sizeof *c);
        *c = (struct measure_cache_entry){key, data, release, ctx->caches};
        ctx->caches = c;
}

void measure_note(struct measure_ctx *ctx, struct measure_value *v, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *text = arena_vprintf(&ctx->arena, fmt, ap);
        va_end(ap);
        if (!v->note) {
                v->note = text;
                return;
        }
        if (strstr(v->note, text))
                return; /* the same caveat once */
        v->note = arena_printf(&ctx->arena, "%s; %s", v->note, text);
}

void measure_dq(struct measure_ctx *ctx, struct measure_value *v, const char *child,
                const char *fmt, ...)
{
        v->dq_warnings++;
        if (!ctx->on_dq)
                return; /* formatting costs more than counting: only with a listener */
        char text[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        ctx->on_dq(ctx->hook_arg, ctx->def, ctx->w, child, text);
}

/* ---------------------------------------------------------------- computing */

static const char *source_return_name(enum measure_source s)
{
        return s == MEASURE_SRC_CIN ? "CIN census" : "SSDA903 return";
}

static void finish(struct measure_ctx *ctx, const struct measure_def *m,
                   const struct measure_window *w, struct measure_value *v)
{
        if (!v->has_numerator)
                return;
        if (m->unit == MEASURE_COUNT) {
                v->value = (double)v->numerator;
                v->has_value = true;
                return;
        }
        if (m->unit == MEASURE_RATE_PER_10K && !measure_rate_denominator(ctx, w, v))
                return;
        if (!v->has_denominator)
                return;
        if (v->denominator <= 0) {
                measure_note(ctx, v, "no cases in the denominator");
                return;
        }
        v->value = measure_scale(m) * (double)v->numerator / (double)v->denominator;
        v->has_value = true;
        if (m->unit != MEASURE_RATE_PER_10K && v->denominator < MEASURE_SMALL_BASE)
                v->small_base = true;
}

int measure_compute(struct measure_ctx *ctx, const struct measure_def *m,
                    const struct measure_window *w, struct measure_value *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        if (!(m->periods & MEASURE_PERIOD_BIT(w->period))) {
                measure_note(ctx, out, "no %s value for this measure",
                             measure_period_name(w->period));
                return 0;
        }
        if (!m->compute) {
                measure_note(ctx, out,
                             m->source == MEASURE_SRC_PUBLISHED ? "published figures only"
                                                                : "not computed from returns yet");
                return 0;
        }
        int missing = first_missing(ctx->h, m->source, w);
        if (missing) {
                measure_note(ctx, out, "not available: no %s held for %d",
                             source_return_name(m->source), missing);
                return 0;
        }
        const struct measure_def *saved_def = ctx->def;
        const struct measure_window *saved_w = ctx->w;
        struct err *saved_err = ctx->err;
        ctx->def = m;
        ctx->w = w;
        ctx->err = e;
        int rc = m->compute(ctx, w, out);
        ctx->def = saved_def;
        ctx->w = saved_w;
        ctx->err = saved_err;
        if (rc < 0) {
                if (e && !e->code)
                        err_set(e, EXIT_INTERNAL, "measure %s failed", m->id);
                return -1;
        }
        finish(ctx, m, w, out);
        return 0;
}

static int emit_one(struct measure_ctx *ctx, const struct measure_def *m,
                    const struct measure_window *w, measure_emit_fn emit, void *arg, struct err *e)
{
        struct measure_value v;
        if (measure_compute(ctx, m, w, &v, e) < 0)
                return -1;
        return emit(arg, m, w, &v);
}

static int compute_measure_all(struct measure_ctx *ctx, const struct measure_def *m,
                               unsigned periods, measure_emit_fn emit, void *arg, struct err *e)
{
        unsigned want = m->periods & periods;
        const struct measure_history *h = ctx->h;
        for (size_t i = 0; i < h->n; i++) {
                int year = h->years[i].year;
                if (!measure_history_holds(h, m->source, year))
                        continue;
                struct measure_window w;
                int rc;
                if (want & MEASURE_PERIOD_BIT(MEASURE_YEAR)) {
                        measure_window_year(&w, year, span_of(m));
                        if ((rc = emit_one(ctx, m, &w, emit, arg, e)) != 0)
                                return rc;
                }
                if (want & MEASURE_PERIOD_BIT(MEASURE_MONTH)) {
                        for (int k = 0; k < 12; k++) {
                                date_t first = date_add_months(date_year_start(year), k);
                                measure_window_month(&w, first);
                                if ((rc = emit_one(ctx, m, &w, emit, arg, e)) != 0)
                                        return rc;
                        }
                }
                if (want & MEASURE_PERIOD_BIT(MEASURE_ROLLING)) {
                        for (int k = 0; k < 12; k++) {
                                date_t first = date_add_months(date_year_start(year), k);
                                measure_window_rolling(&w, first, span_of(m));
                                if (!measure_window_held(h, m->source, &w))
                                        continue;
                                if ((rc = emit_one(ctx, m, &w, emit, arg, e)) != 0)
                                        return rc;
                        }
                }
        }
        return 0;
}

int measure_compute_all(struct measure_ctx *ctx, const struct measure_def *const *only,
                        unsigned periods, measure_emit_fn emit, void *arg, struct err *e)
{
        if (only) {
                for (size_t i = 0; only[i]; i++) {
                        if (!only[i]->compute)
                                continue;
                        int rc = compute_measure_all(ctx, only[i], periods, emit, arg, e);
                        if (rc != 0)
                                return rc;
                }
                return 0;
        }
        for (size_t i = 0, n = measure_count(); i < n; i++) {
                const struct measure_def *m = measure_at(i);
                if (!m->compute)
                        continue;
                int rc = compute_measure_all(ctx, m, periods, emit, arg, e);
                if (rc != 0)
                        return rc;
        }
        return 0;
}
