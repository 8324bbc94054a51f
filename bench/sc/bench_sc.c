/*
 * bench_sc.c — timing of the synthetic control (statistics.md §4): one
 * treated unit against 152 donors on 96 monthly periods (72 before the
 * change, 24 after), with placebo in space for every donor; outcome-only,
 * then with 3 predictors.  The panel is generated here from a fixed seed (a
 * factor model: level, trend, two common factors with unit loadings,
 * seasonality and noise), so every run times the same problem.  Prints
 * figures; never fails on timing.
 */
#include "core/err.h"
#include "stats/sc.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNITS   153
#define PERIODS 96
#define POST    72
#define NSERIES 2

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
        return (double)clock() / CLOCKS_PER_SEC;
}

/* y: outcomes; s[0], s[1]: two covariates related to the outcome. */
static void generate(double *y, double *s0, double *s1, unsigned long seed)
{
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rng, seed);
        double f1[PERIODS], f2[PERIODS];
        double a = 0, b = 0;
        for (int t = 0; t < PERIODS; t++) {
                a = 0.8 * a + gsl_ran_gaussian(rng, 1.0);
                b = 0.95 * b + gsl_ran_gaussian(rng, 0.5);
                f1[t] = a;
                f2[t] = b;
        }
        for (int u = 0; u < UNITS; u++) {
                double level = 20 + gsl_ran_gaussian(rng, 4);
                double trend = gsl_ran_gaussian(rng, 0.03);
                double l1 = 1 + gsl_ran_gaussian(rng, 0.5), l2 = gsl_ran_gaussian(rng, 1);
                double season = gsl_ran_gaussian(rng, 0.8);
                for (int t = 0; t < PERIODS; t++) {
                        double v = level + trend * t + l1 * f1[t] + l2 * f2[t] +
                                   season * sin(2 * M_PI * (t % 12) / 12.0) +
                                   gsl_ran_gaussian(rng, 0.6);
                        y[u * PERIODS + t] = v;
                        s0[u * PERIODS + t] = 0.5 * level + gsl_ran_gaussian(rng, 1);
                        s1[u * PERIODS + t] = 10 * l1 + gsl_ran_gaussian(rng, 2);
                }
        }
        /* unit 0 is a mix of three donors, then falls by 2 after the change */
        for (int t = 0; t < PERIODS; t++) {
                y[t] = 0.5 * y[5 * PERIODS + t] + 0.3 * y[17 * PERIODS + t] +
                       0.2 * y[99 * PERIODS + t] + gsl_ran_gaussian(rng, 0.3) - (t >= POST ? 2 : 0);
                s0[t] = 0.5 * s0[5 * PERIODS + t] + 0.5 * s0[17 * PERIODS + t];
                s1[t] = 0.5 * s1[5 * PERIODS + t] + 0.5 * s1[99 * PERIODS + t];
        }
        gsl_rng_free(rng);
}

static int run(const char *label, const struct sc_panel *p, struct sc_options *o)
{
        struct sc_result r;
        sc_result_init(&r);
        struct err e = {0};
        double w0 = now(), c0 = cpu();
        if (sc_fit(p, 0, POST, o, &r, &e) < 0) {
                fprintf(stderr, "bench_sc: %s\n", e.msg);
                return -1;
        }
        double wall = now() - w0, c = cpu() - c0;
        size_t used = 0;
        for (size_t j = 0; j < r.ndonors; j++)
                used += r.weight[j] > 1e-6;
        printf("%-44s %7.3f s wall %7.3f s CPU  (threads %d)\n", label, wall, c, o->threads);
        printf("    donors %zu (%zu with weight), loss %.6g, pre RMSPE %.4f, ATT %.4f, "
               "p = %zu/%zu, iterations %d, evaluations %d, placebo fits at a cap %zu%s\n",
               r.ndonors, used, r.loss, r.pre_rmspe, r.att, r.p_rank, r.p_units, r.iterations,
               r.evaluations, r.placebo_unconverged, r.poor_fit ? ", POOR FIT" : "");
        sc_result_release(&r);
        return 0;
}

/*
 * Usage: bench_sc [all|outcome|predictors|predictors-placebos] (default all):
 * outcome-only with placebos on 2 threads and on 1, without placebos; then 3
 * predictors without placebos and with them.
 */
int main(int argc, char **argv)
{
        const char *mode = argc > 1 ? argv[1] : "all";
        int all = strcmp(mode, "all") == 0;
        int outcome = all || strcmp(mode, "outcome") == 0;
        int pred = all || strcmp(mode, "predictors") == 0;
        int pred_placebo = all || strcmp(mode, "predictors-placebos") == 0;
        if (!outcome && !pred && !pred_placebo) {
                fprintf(stderr, "usage: bench_sc [all|outcome|predictors|predictors-placebos]\n");
                return 2;
        }
        double *y = malloc(sizeof(double) * UNITS * PERIODS);
        double *s0 = malloc(sizeof(double) * UNITS * PERIODS);
        double *s1 = malloc(sizeof(double) * UNITS * PERIODS);
        generate(y, s0, s1, 20240601);
        const double *series[NSERIES] = {s0, s1};
        struct sc_panel p = {
            .nunits = UNITS, .nperiods = PERIODS, .y = y, .nseries = NSERIES, .series = series};
        setvbuf(stdout, NULL, _IOLBF, 0);
        printf("synthetic control: 1 treated unit, %d donors, %d periods (%d before the change)\n",
               UNITS - 1, PERIODS, POST);
        struct sc_options o;
        sc_options_init(&o);
        int rc = 0;
        if (outcome) {
                o.threads = 2;
                rc |= run("outcome-only, all placebos", &p, &o);
                o.threads = 1;
                rc |= run("outcome-only, all placebos", &p, &o);
                o.placebos = 0;
                rc |= run("outcome-only, no placebos", &p, &o);
        }
        /* outcome mean over the last pre year, and the two covariates over the pre-period */
        struct sc_predictor pr[3] = {
            {SC_OUTCOME, POST - 12, POST - 1}, {0, 0, POST - 1}, {1, 0, POST - 1}};
        o.predictors = pr;
        o.npredictors = 3;
        o.threads = 2;
        if (pred) {
                o.placebos = 0;
                rc |= run("3 predictors, no placebos", &p, &o);
        }
        if (pred_placebo) {
                o.placebos = 1;
                rc |= run("3 predictors, all placebos", &p, &o);
        }
        free(s1);
        free(s0);
        free(y);
        return rc ? 1 : 0;
}
