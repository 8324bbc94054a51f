/*
 * its.h — interrupted time series by segmented regression (statistics.md §3).
 *
 * For a series y_1..y_n whose first post-change period is T0 = n_pre + 1:
 *
 *      y_t = b0 + b1·t + b2·D_t + b3·(t - (T0-1))·D_t [+ seasonal harmonics] + e_t
 *
 * fitted by ordinary least squares (QR from GSL), with OLS and Newey–West
 * (HAC, Bartlett kernel) standard errors, t intervals, the Durbin–Watson
 * statistic, the counterfactual line and the effect at every post period.
 * The headline effect is the mean post-period effect b2 + b3·(n_post + 1)/2
 * with its Newey–West interval (with explicit times: b2 + b3 × the mean slope
 * term over the post points).  Pure functions of numbers: no I/O, no exit.
 *
 * Ownership: its_fit() fills a caller-owned struct whose arrays it allocates;
 * its_fit_release() frees them (safe on a zeroed struct and after a failure).
 */
#ifndef IMPROVE_ITS_H
#define IMPROVE_ITS_H

#include <stddef.h>

struct err;

/* At least this many periods before and after the change (§3.1). */
#define ITS_MIN_SIDE 3
/* Harmonic pairs sin/cos(2πk·m/12), k = 1..harmonics, at most 2. */
#define ITS_MAX_HARMONICS 2
#define ITS_MAX_K         (4 + 2 * ITS_MAX_HARMONICS)
/* A pre-period RMSPE above this share of the pre-period mean is a poor fit (as §4.4 for SC). */
#define ITS_POOR_FIT_SHARE 0.10

struct its_options {
        int harmonics;      /* 0 (default), 1 or 2 */
        const int *month;   /* calendar month 1..12 of each point; required when harmonics > 0 */
        const double *time; /* time of each point, increasing (NULL: 1..n); with gaps, the
                               slope term counts from the first post point as 1 */
        int lag;            /* Newey–West lag L >= 0; -1 (default) for its_default_lag(n) */
        int small_sample;   /* 1 (default): V_NW × n/(n-k); 0 leaves it out */
        double level;       /* confidence level, default 0.95 */
};

void its_options_init(struct its_options *o);

/* floor(4·(n/100)^(2/9)): 59 → 3, 24 → 2, 120 → 4. */
int its_default_lag(size_t n);

struct its_fit {
        size_t n, n_pre, n_post;
        size_t k; /* coefficients: b0, b1, b2, b3, then sin/cos pairs */
        int lag;  /* the Newey–West lag used */
        int df;   /* n - k */
        double level, tcrit;

        double b[ITS_MAX_K];
        double se_ols[ITS_MAX_K];
        double se_nw[ITS_MAX_K];
        double ci_low[ITS_MAX_K], ci_high[ITS_MAX_K]; /* b ± t·SE_NW */
        double cov_ols[ITS_MAX_K * ITS_MAX_K];        /* row-major k × k */
        double cov_nw[ITS_MAX_K * ITS_MAX_K];

        double ssr;    /* e'e */
        double sigma2; /* e'e / (n - k) */
        double dw;     /* Durbin–Watson */

        /* Mean post-period effect b2 + b3·(n_post+1)/2, Newey–West SE, interval, two-sided p. */
        double effect, effect_se, effect_low, effect_high, effect_p;
        double effect_se_ols;

        double pre_mean;   /* mean of y over the pre-period */
        double pre_rmspe;  /* sqrt(mean over pre of (y - fitted)²) */
        double post_rmspe; /* sqrt(mean over post of (y - counterfactual)²) */
        int poor_fit;      /* pre_rmspe > ITS_POOR_FIT_SHARE × |pre_mean| */

        /* Per point, n each. */
        double *fitted;         /* the whole model */
        double *counterfactual; /* b0 + b1·t (+ seasonal terms): the model without the change */
        double *effect_t;       /* b2 + b3·(t - T0 + 1) after the change; NaN before */
        double *effect_low_t, *effect_high_t; /* its Newey–West interval; NaN before */

        char **warnings; /* sentences for the reader (autocorrelation, poor fit) */
        size_t n_warnings;
};

/*
 * Fit the model to y[0..n), the first n_pre points being before the change.
 * Fails (-1, EXIT_INPUT) with a sentence saying why when there are fewer than
 * ITS_MIN_SIDE points on either side, a value is not finite, harmonics lack
 * months, the lag is out of range or the design is rank deficient.
 */
int its_fit(const double *y, size_t n, size_t n_pre, const struct its_options *o,
            struct its_fit *out, struct err *e);
void its_fit_release(struct its_fit *f);

#endif
