/*
 * bench_spc.c — how long SPC takes on a whole region's monthly series.
 *
 * Stands in for "every monthly series of 153 authorities x all measures"
 * until the store holds real measure series: 153 x 40 deterministic series of
 * 48-96 monthly points (a level, noise, and in some series a planted shift or
 * trend), each charted as an XmR chart (default options), and again as a run
 * chart and as an SVG picture, timed separately.  Prints figures; never
 * fails on timing.
 */
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/runchart.h"
#include "stats/spc.h"
#include "stats/spc_svg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define AUTHORITIES 153
#define MEASURES    40
#define MIN_POINTS  48
#define MAX_POINTS  96

static uint64_t rng = 0x9E3779B97F4A7C15u;

/* xorshift64*: deterministic and good enough for synthetic noise. */
static double uniform(void)
{
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        return (double)((rng * 2685821657736338717u) >> 11) / 9007199254740992.0;
}

static double normal(void)
{
        double u = uniform(), v = uniform();
        return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
        size_t n_series = AUTHORITIES * MEASURES;
        double **series = xmalloc(n_series * sizeof *series);
        size_t *len = xmalloc(n_series * sizeof *len);
        int *planted = xmalloc(n_series * sizeof *planted);
        char **periods = xmalloc(MAX_POINTS * sizeof *periods);
        for (size_t i = 0; i < MAX_POINTS; i++) {
                periods[i] = xmalloc(16);
                snprintf(periods[i], 16, "%04zu-%02zu", 2017 + i / 12, i % 12 + 1);
        }
        size_t points = 0;
        for (size_t s = 0; s < n_series; s++) {
                size_t n = MIN_POINTS + (size_t)(uniform() * (MAX_POINTS - MIN_POINTS + 1));
                double level = 20 + 60 * uniform(), sd = 1 + 5 * uniform();
                size_t change = n / 2 + (size_t)(uniform() * (double)(n / 3));
                int kind = (int)(uniform() * 4); /* 0, 1: none; 2: shift; 3: trend */
                series[s] = xmalloc(n * sizeof **series);
                for (size_t t = 0; t < n; t++) {
                        double v = level + sd * normal();
                        if (kind == 2 && t >= change)
                                v += 2 * sd;
                        if (kind == 3 && t >= change)
                                v += 0.3 * sd * (double)(t - change);
                        series[s][t] = v;
                }
                len[s] = n;
                planted[s] = kind >= 2;
                points += n;
        }

        struct spc_options o;
        spc_options_init(&o);
        struct err e;
        size_t special = 0, signalled = 0, quiet = 0, quiet_any = 0;
        double t0 = now();
        for (size_t s = 0; s < n_series; s++) {
                struct spc_chart c;
                if (spc_xmr(series[s], len[s], &o, &c, &e) != 0) {
                        fprintf(stderr, "bench_spc: %s\n", e.msg);
                        return 1;
                }
                size_t here = 0;
                for (size_t i = 0; i < c.n; i++)
                        here += c.points[i].type != SPC_COMMON_CAUSE;
                special += here;
                signalled += c.variation != SPC_VARIATION_COMMON_CAUSE;
                if (!planted[s]) {
                        quiet++;
                        quiet_any += here > 0;
                }
                spc_chart_release(&c);
        }
        double t_xmr = now() - t0;

        size_t run_signals = 0;
        struct runchart_options ro;
        runchart_options_init(&ro);
        t0 = now();
        for (size_t s = 0; s < n_series; s++) {
                struct runchart rc;
                if (runchart_compute(series[s], len[s], &ro, &rc, &e) != 0) {
                        fprintf(stderr, "bench_spc: %s\n", e.msg);
                        return 1;
                }
                run_signals += rc.parts[0].signal;
                runchart_release(&rc);
        }
        double t_run = now() - t0;

        size_t svg_bytes = 0;
        struct buf b;
        buf_init(&b);
        t0 = now();
        for (size_t s = 0; s < n_series; s++) {
                struct spc_chart c;
                spc_xmr(series[s], len[s], &o, &c, &e);
                buf_reset(&b);
                spc_svg_xmr(&b, &c, (const char *const *)periods, "bench");
                svg_bytes += b.len;
                spc_chart_release(&c);
        }
        double t_svg = now() - t0;
        buf_release(&b);

        printf("series: %zu (%d authorities x %d measures), points: %zu (%d-%d per series)\n",
               n_series, AUTHORITIES, MEASURES, points, MIN_POINTS, MAX_POINTS);
        printf("xmr (limits, rules, icons):  %.3f s  (%.1f us per series; target < 1 s)\n", t_xmr,
               1e6 * t_xmr / (double)n_series);
        printf("run charts (Anhoej rules):   %.3f s\n", t_run);
        printf("xmr + svg picture:           %.3f s  (%.1f MB of SVG)\n", t_svg,
               (double)svg_bytes / 1e6);
        printf("special-cause points: %zu; series whose last point is special cause: %zu; "
               "run-chart signals: %zu\n",
               special, signalled, run_signals);
        printf("series with nothing planted: %zu, of which %zu (%.1f%%) show a special-cause point "
               "somewhere (pure noise, 48-96 points)\n",
               quiet, quiet_any, 100.0 * (double)quiet_any / (double)(quiet ? quiet : 1));
        for (size_t s = 0; s < n_series; s++)
                free(series[s]);
        free(series);
        free(len);
        free(planted);
        for (size_t i = 0; i < MAX_POINTS; i++)
                free(periods[i]);
        free(periods);
        return 0;
}
