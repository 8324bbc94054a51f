/*
 * runchart.c — run charts with the Anhøj rules (statistics.md §2.1).
 *
 * The binomial percentile comes from GSL's cumulative distribution rather
 * than a hand-written sum; for n up to a few hundred its error is far below
 * the gap between neighbouring CDF values, so the smallest c with
 * P(X <= c) >= 0.05 is found exactly (the unit test checks n = 1..200 against
 * the reference table).
 */
#include "stats/runchart.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void runchart_options_init(struct runchart_options *o)
{
        memset(o, 0, sizeof *o);
}

int runchart_longest_run_max(size_t n_useful)
{
        /* log2 of a whole number is never exactly x.5, so the rounding rule does not matter. */
        return (int)lround(log2((double)n_useful)) + 3;
}

int runchart_crossings_min(size_t n_useful)
{
        unsigned trials = (unsigned)(n_useful - 1);
        for (unsigned c = 0; c < trials; c++)
                if (gsl_cdf_binomial_P(c, 0.5, trials) >= 0.05)
                        return (int)c;
        return (int)trials;
}

double runchart_median(double *v, size_t n)
{
        gsl_sort(v, 1, n);
        return gsl_stats_median_from_sorted_data(v, 1, n);
}

static void warn(struct runchart *rc, const struct runchart_options *o, size_t part,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "part 2 (2021-01 to 2021-08): ..."; part SIZE_MAX is about the whole chart. */
static void warn(struct runchart *rc, const struct runchart_options *o, size_t part,
                 const char *fmt, ...)
{
        struct buf b;
        buf_init(&b);
        const struct runchart_part *p = part < rc->n_parts ? &rc->parts[part] : NULL;
        if (p && o->periods)
                buf_printf(&b, "part %zu (%s to %s): ", part + 1, o->periods[p->start],
                           o->periods[p->start + p->count - 1]);
        else if (p)
                buf_printf(&b, "part %zu (points %zu to %zu): ", part + 1, p->start + 1,
                           p->start + p->count);
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(&b, fmt, ap);
        va_end(ap);
        rc->warnings = xrealloc(rc->warnings, (rc->n_warnings + 1) * sizeof *rc->warnings);
        rc->warnings[rc->n_warnings++] = buf_detach(&b, NULL);
        buf_release(&b);
}

static int included(const double *y, const struct runchart_options *o, size_t i)
{
        return !isnan(y[i]) && !(o->exclude && o->exclude[i]);
}

static void analyse_part(const double *y, const struct runchart_options *o, struct runchart *rc,
                         struct runchart_part *p, double *scratch)
{
        size_t baseline = o->fix_after > 0 && o->fix_after < p->count ? o->fix_after : p->count;
        size_t m = 0;
        for (size_t i = p->start; i < p->start + baseline; i++)
                if (included(y, o, i))
                        scratch[m++] = y[i];
        p->n_baseline = m;
        if (m == 0) {
                p->centre = NAN;
                return;
        }
        p->centre = runchart_median(scratch, m);

        int prev = 0;
        size_t run = 0, runs = 0;
        for (size_t i = p->start; i < p->start + p->count; i++) {
                int s = included(y, o, i) ? (y[i] > p->centre) - (y[i] < p->centre) : 0;
                rc->side[i] = s;
                if (s == 0)
                        continue;
                p->n_useful++;
                if (s == prev) {
                        run++;
                } else {
                        runs++;
                        run = 1;
                }
                prev = s;
                if (run > p->longest_run)
                        p->longest_run = run;
        }
        if (p->n_useful == 0)
                return;
        p->crossings = runs - 1;
        p->has_thresholds = 1;
        p->longest_run_max = runchart_longest_run_max(p->n_useful);
        p->crossings_min = runchart_crossings_min(p->n_useful);
        p->runs_signal = p->longest_run > (size_t)p->longest_run_max;
        p->crossings_signal = p->crossings < (size_t)p->crossings_min;
        p->signal = p->runs_signal || p->crossings_signal;

        /* Mark the useful points of every run that is too long, walking each run twice:
         * once to measure it, once to mark it. */
        size_t i = p->start, end = p->start + p->count;
        while (i < end) {
                if (rc->side[i] == 0) {
                        i++;
                        continue;
                }
                int s = rc->side[i];
                size_t len = 0, j = i;
                for (; j < end && rc->side[j] != -s; j++)
                        len += rc->side[j] == s;
                if (len > (size_t)p->longest_run_max)
                        for (size_t k = i; k < j; k++)
                                rc->long_run[k] = rc->side[k] == s;
                i = j;
        }
}

int runchart_compute(const double *y, size_t n, const struct runchart_options *o,
                     struct runchart *rc, struct err *e)
{
        memset(rc, 0, sizeof *rc);
        for (size_t i = 0; i < o->n_breaks; i++)
                if (o->breaks[i] >= n)
                        return err_set(e, EXIT_USAGE,
                                       "new part at point %zu, but the series has %zu points",
                                       o->breaks[i] + 1, n);
        rc->n = n;
        if (n == 0)
                return 0;
        unsigned char *starts = xcalloc(n, 1);
        starts[0] = 1;
        for (size_t i = 0; i < o->n_breaks; i++)
                starts[o->breaks[i]] = 1;
        for (size_t i = 0; i < n; i++)
                rc->n_parts += starts[i];
        rc->parts = xcalloc(rc->n_parts, sizeof *rc->parts);
        rc->part = xcalloc(n, sizeof *rc->part);
        rc->side = xcalloc(n, sizeof *rc->side);
        rc->long_run = xcalloc(n, 1);
        size_t pi = 0;
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && starts[i])
                        pi++;
                if (starts[i])
                        rc->parts[pi].start = i;
                rc->parts[pi].count++;
                rc->part[i] = pi;
        }
        free(starts);
        double *scratch = xmalloc(n * sizeof *scratch);
        for (pi = 0; pi < rc->n_parts; pi++) {
                struct runchart_part *p = &rc->parts[pi];
                analyse_part(y, o, rc, p, scratch);
                if (p->n_baseline == 0)
                        warn(rc, o, pi, "no values in the baseline, so no median and no signal");
                else if (p->n_useful == 0)
                        warn(rc, o, pi,
                             "every value is on the median, so no useful observations and no "
                             "signal");
                if (o->fix_after > p->count)
                        warn(rc, o, pi,
                             "has only %zu points, fewer than the %zu to fix the median after; "
                             "all of them are its baseline",
                             p->count, o->fix_after);
        }
        free(scratch);
        size_t missing = 0;
        for (size_t i = 0; i < n; i++)
                missing += isnan(y[i]) != 0;
        if (missing > 0)
                warn(rc, o, SIZE_MAX, "%zu missing value%s left out of the median and the runs",
                     missing, missing == 1 ? " is" : "s are");
        return 0;
}

void runchart_release(struct runchart *rc)
{
        for (size_t i = 0; i < rc->n_warnings; i++)
                free(rc->warnings[i]);
        free(rc->warnings);
        free(rc->parts);
        free(rc->part);
        free(rc->side);
        free(rc->long_run);
        memset(rc, 0, sizeof *rc);
}
