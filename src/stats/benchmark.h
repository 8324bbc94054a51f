/*
 * benchmark.h — setting a value beside other authorities (statistics.md §7,
 * measures.md §0.10–§0.11).
 *
 * Pure functions of numbers.  A missing value (a published symbol such as c,
 * x, z, k, or an authority with no figure) is NaN and is left out, never
 * counted as zero.  Quartile cut points are R type 7; band 1 and rank 1 are
 * always the best given the polarity; for neutral measures both count from
 * the lowest value.
 */
#ifndef IMPROVE_BENCHMARK_H
#define IMPROVE_BENCHMARK_H

#include <stddef.h>

enum bench_polarity {
        BENCH_HIGHER_BETTER,
        BENCH_LOWER_BETTER,
        BENCH_NEUTRAL, /* demand and volume: only above/below, never good/bad */
};

/* Fewer neighbours with a value than this: the median carries a warning (statistics.md §7). */
#define BENCH_NEIGHBOURS_WARN 5

/*
 * R type 7 quantile of n sorted values (no NaN), 0 <= p <= 1:
 * h = (n-1)p + 1, Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 * n must be at least 1.
 */
double bench_quantile_sorted(const double *sorted, size_t n, double p);

/*
 * Copy the non-NaN values of v[0..n) into out (which has room for n) in
 * ascending order; returns how many there were.
 */
size_t bench_sorted_values(const double *v, size_t n, double *out);

/* Median of the non-NaN values; *used gets how many.  NaN when there are none. */
double bench_median(const double *v, size_t n, size_t *used);

struct bench_neighbours {
        double median; /* NaN when no neighbour has a value */
        size_t used;   /* neighbours with a value: shown as "used/10" */
        int few;       /* 1 when used < BENCH_NEIGHBOURS_WARN (median shown with a warning) */
};

/* The statistical-neighbour benchmark: median of the neighbours' values (authority excluded). */
void bench_neighbours(const double *values, size_t n, struct bench_neighbours *out);

struct bench_quartiles {
        double q1, q2, q3; /* Q(0.25), Q(0.5), Q(0.75); NaN when n is 0 */
        size_t n;          /* authorities with a value */
};

void bench_quartiles(const double *values, size_t n, struct bench_quartiles *out);

/*
 * Quartile band 1–4 of `value`, 1 = best quarter given the polarity (for
 * neutral measures 1 = the lowest values).  Higher is better: 1 if value >=
 * Q3, 2 if Q2 <= value < Q3, 3 if Q1 <= value < Q2, 4 below Q1.  Lower is
 * better (and neutral): 1 if value <= Q1, 2 if Q1 < value <= Q2, 3 if Q2 <
 * value <= Q3, 4 above Q3.  0 when value is NaN or there are no quartiles.
 */
int bench_band(double value, const struct bench_quartiles *q, enum bench_polarity polarity);

/*
 * Competition rank ("1, 2, 2, 4") of `value` among the non-NaN values of
 * all[0..n), which should include the authority's own value: 1 + the number
 * of values strictly better given the polarity (for neutral, strictly
 * lower).  *ranked gets the number of non-NaN values ("rank r of ranked").
 * 0 when value is NaN.
 */
int bench_rank(double value, const double *all, size_t n, enum bench_polarity polarity,
               size_t *ranked);

/* +1 when value is above the reference, -1 below, 0 equal or either is NaN. */
int bench_direction(double value, double reference);

/*
 * Whether value compares well with the reference (e.g. the neighbours'
 * median) given the polarity: +1 favourable, -1 unfavourable, 0 when equal,
 * when either is NaN, or for neutral measures (which are only above/below:
 * use bench_direction).
 */
int bench_favourable(double value, double reference, enum bench_polarity polarity);

/*
 * A comparator computed by pooling authorities (only where nothing is
 * published, statistics.md §7): scale × Σ numerators / Σ denominators over
 * the pairs where both are present (non-NaN).  *used gets the number of
 * authorities pooled.  NaN when none or when the pooled denominator is 0.
 */
double bench_pooled(const double *num, const double *den, size_t n, double scale, size_t *used);

#endif
