/*
 * did.h — 2 × 2 difference in differences (statistics.md §5).
 *
 *      DiD = (mean_post(T) - mean_pre(T)) - (mean_post(C) - mean_pre(C))
 *
 * with means over all unit-periods of each cell (controls pooled), and a
 * standard error from y = a + b·Treat + c·Post + d·Treat·Post clustered by
 * unit (CR1).  With one treated unit that standard error rests on a single
 * cluster for the treatment contrast and is unreliable; the result always says
 * so, and the placebo approach of synthetic control (§4.4) is to be preferred.
 * Pure functions of numbers: no I/O, no exit.
 */
#ifndef IMPROVE_DID_H
#define IMPROVE_DID_H

#include <stddef.h>

struct err;

/* One unit-period. */
struct did_obs {
        size_t unit; /* 0 .. n_units-1: the cluster */
        int treated; /* the unit had the change (the same for all its rows) */
        int post;    /* the period is on or after the change */
        double y;
};

struct did_result {
        double did;
        double mean_pre_t, mean_post_t, mean_pre_c, mean_post_c;
        size_t cell_n[4]; /* rows in pre T, post T, pre C, post C */
        size_t n;         /* rows used */
        size_t clusters;  /* units with at least one row */
        size_t treated_units;
        double b[4]; /* a, b, c, d of the regression (d equals did) */
        double se;   /* CR1 clustered standard error of d */
        int df;      /* clusters - 1, for the t interval */
        double level, ci_low, ci_high, p_value;
        char **warnings;
        size_t n_warnings;
};

/*
 * Estimate from obs[0..n) over n_units units.  Fails (-1, EXIT_INPUT) when a
 * cell is empty, there are fewer than two units with rows, a unit is marked
 * treated on some rows only, or a value is not finite.  `level` is the
 * confidence level of the interval (0.95).
 */
int did_estimate(const struct did_obs *obs, size_t n, size_t n_units, double level,
                 struct did_result *out, struct err *e);
void did_result_release(struct did_result *r);

/*
 * The treated unit's counterfactual path implied by the 2 × 2 estimate:
 * cf_t = mean_pre(T) + (control_t - mean_pre(C)), where control_t is the mean
 * of the controls in period t (NaN if none).  Over a balanced panel the mean of
 * y_t - cf_t over the post-period equals DiD.
 */
void did_counterfactual(const struct did_result *r, const double *control_mean, size_t n_periods,
                        double *cf);

#endif
