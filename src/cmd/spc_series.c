/*
 * spc_series.c — measures' discrete monthly series read from the store for
 * SPC (see spc_series.h), and the icons of their default XmR chart.
 *
 * One authority's monthly values are one index range of measure_values
 * (la, 'month', period_end, measure), so the whole authority is read in one
 * pass (store_measure_month_each: three columns) and sorted into per-measure
 * series; that keeps `improve measures --la all` to one query per authority.
 */
#include "cmd/spc_series.h"

#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct reader {
        struct spc_series_set *set;
        size_t hint; /* where the next row probably goes: rows repeat one order each month */
};

/* Append month `end` (ISO) to a series, first filling any months between with NaN. */
static void append(struct spc_series *sr, const char *end, int has, double v)
{
        date_t d;
        if (date_parse_iso(end, strlen(end), &d) != 0)
                return;
        if (sr->n > 0) {
                date_t last;
                if (date_parse_iso(sr->periods[sr->n - 1], 10, &last) != 0 || d <= last)
                        return;
                /* Months the store does not hold are missing values, not absent points. */
                for (date_t m = date_month_end(date_add_months(last, 1)); m < d;
                     m = date_month_end(date_add_months(m, 1))) {
                        size_t cap = sr->cap;
                        sr->periods = xgrow(sr->periods, &cap, sr->n + 1, sizeof *sr->periods);
                        sr->y = xgrow(sr->y, &sr->cap, sr->n + 1, sizeof *sr->y);
                        date_format_iso(m, sr->periods[sr->n]);
                        sr->y[sr->n++] = NAN;
                }
        }
        size_t cap = sr->cap;
        sr->periods = xgrow(sr->periods, &cap, sr->n + 1, sizeof *sr->periods);
        sr->y = xgrow(sr->y, &sr->cap, sr->n + 1, sizeof *sr->y);
        memcpy(sr->periods[sr->n], end, 10);
        sr->periods[sr->n][10] = '\0';
        sr->y[sr->n++] = has ? v : NAN;
        if (has)
                sr->n_values++;
}

/* The series of measure `id`, made when first met; NULL for a measure SPC does not chart. */
static struct spc_series *series_of(struct reader *r, const char *id)
{
        struct spc_series_set *set = r->set;
        if (r->hint < set->n && strcmp(set->v[r->hint].m->id, id) == 0)
                return &set->v[r->hint++];
        for (size_t i = 0; i < set->n; i++)
                if (strcmp(set->v[i].m->id, id) == 0) {
                        r->hint = i + 1;
                        return &set->v[i];
                }
        const struct measure_def *m = measure_find(id);
        if (!m || !(m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH)))
                return NULL;
        set->v = xrealloc(set->v, (set->n + 1) * sizeof *set->v);
        struct spc_series *sr = &set->v[set->n++];
        memset(sr, 0, sizeof *sr);
        sr->m = m;
        r->hint = set->n;
        return sr;
}

static int add_value(void *ctx, const char *end, const char *measure, int has, double value,
                     int lookback_incomplete)
{
        struct reader *r = ctx;
        if (strlen(end) != 10)
                return 0;
        struct spc_series *sr = series_of(r, measure);
        if (!sr)
                return 0;
        /* A value counted without the earlier returns its look-back needs is biased (too
         * few re-referrals in a first year, for example): a missing value, not a point. */
        int usable = has && isfinite(value) && !lookback_incomplete;
        append(sr, end, usable, value);
        if (has && lookback_incomplete)
                sr->n_lookback++;
        return 0;
}

static size_t catalogue_index(const struct measure_def *m)
{
        size_t i = 0;
        for (size_t t = 0; measure_tables[t]; t++)
                for (const struct measure_def *d = measure_tables[t]; d->id; d++, i++)
                        if (d == m)
                                return i;
        return i;
}

static int by_catalogue(const void *a, const void *b)
{
        const struct spc_series *x = a, *y = b;
        return (x->order > y->order) - (x->order < y->order);
}

int spc_series_read(struct store *s, const char *la, const char *measure,
                    struct spc_series_set *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        struct reader r = {out, 0};
        /* Rows come in period_end order, measures interleaved: each series grows in time order. */
        if (store_measure_month_each(s, la, measure, add_value, &r, e)) {
                spc_series_set_release(out);
                return -1;
        }
        for (size_t i = 0; i < out->n; i++)
                out->v[i].order = catalogue_index(out->v[i].m);
        if (out->n > 1)
                qsort(out->v, out->n, sizeof *out->v, by_catalogue);
        return 0;
}

void spc_series_set_release(struct spc_series_set *set)
{
        for (size_t i = 0; i < set->n; i++) {
                free(set->v[i].periods);
                free(set->v[i].y);
        }
        free(set->v);
        set->v = NULL;
        set->n = 0;
}

enum spc_direction spc_series_direction(const struct measure_def *m)
{
        switch (m->polarity) {
        case BENCH_HIGHER_BETTER:
                return SPC_INCREASE;
        case BENCH_LOWER_BETTER:
                return SPC_DECREASE;
        case BENCH_NEUTRAL:
                break;
        }
        return SPC_NEUTRAL;
}

void spc_series_icons(const double *y, size_t n, enum spc_direction d, int has_target,
                      double target, enum spc_variation *variation, enum spc_assurance *assurance)
{
        /* The icons of spc_xmr()'s default chart, without drawing the rest of it. */
        spc_icons(y, n, d, has_target, target, variation, assurance);
}

const char *spc_series_variation_name(enum spc_variation v)
{
        return spc_variation_name(v);
}

const char *spc_series_assurance_name(enum spc_assurance a)
{
        switch (a) {
        case SPC_ASSURANCE_PASS:
                return "pass";
        case SPC_ASSURANCE_FAIL:
                return "fail";
        case SPC_ASSURANCE_INCONSISTENT:
                return "hit_and_miss";
        case SPC_ASSURANCE_NONE:
                break;
        }
        return NULL;
}
