/*
 * runchart.h — run charts with the Anhøj rules (statistics.md §2.1).
 *
 * The centre line is the median of a part's baseline; the runs analysis
 * counts the useful observations (not missing, not on the median), the
 * longest run on one side and the number of crossings, and signals
 * non-random variation when the longest run is longer than
 * round(log2 n) + 3 or there are fewer crossings than the 5th percentile of
 * Binomial(n - 1, 0.5).  Pure functions of numbers; a missing value is NaN.
 *
 * Ownership: runchart_compute() fills a caller-owned struct runchart, freed
 * with runchart_release().
 */
#ifndef IMPROVE_RUNCHART_H
#define IMPROVE_RUNCHART_H

#include <stddef.h>

struct err;

struct runchart_options {
        size_t fix_after;     /* 0: every point of a part is its baseline */
        const size_t *breaks; /* 0-based indices of points that start a new part */
        size_t n_breaks;
        const unsigned char *exclude; /* NULL, or n flags: left out of median and runs */
        const char *const *periods;   /* optional labels, used only to word warnings */
};

struct runchart_part {
        size_t start, count;
        size_t n_baseline; /* values the median was taken from */
        double centre;     /* NaN when the baseline has no values */
        size_t n_useful;
        size_t longest_run;
        size_t crossings;
        int has_thresholds; /* 0 when n_useful is 0: thresholds are missing */
        int longest_run_max;
        int crossings_min;
        int runs_signal;      /* longest_run > longest_run_max */
        int crossings_signal; /* crossings < crossings_min */
        int signal;
};

struct runchart {
        size_t n;
        size_t n_parts;
        struct runchart_part *parts;
        size_t *part; /* per point: index of its part */
        int *side;    /* per point: sign(y - centre), 0 when on it, missing or excluded */
        /* per point: in a run longer than its part's longest_run_max (drawn as a signal) */
        unsigned char *long_run;
        char **warnings; /* sentences for the reader, in the order found */
        size_t n_warnings;
};

void runchart_options_init(struct runchart_options *o);

/* Returns 0, or -1 with an EXIT_USAGE error for a break index beyond the series. */
int runchart_compute(const double *y, size_t n, const struct runchart_options *o,
                     struct runchart *rc, struct err *e);
void runchart_release(struct runchart *rc);

/* Anhøj thresholds for n_useful >= 1. */
int runchart_longest_run_max(size_t n_useful);
int runchart_crossings_min(size_t n_useful);

/* R's median of v[0..n) (n >= 1); sorts v in place. */
double runchart_median(double *v, size_t n);

#endif
