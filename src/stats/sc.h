/*
 * sc.h — synthetic control (statistics.md §4) as pure functions of numbers.
 *
 * The treated unit's outcome is matched by a convex combination of donor units
 * (weights w >= 0, Σw = 1).  Outcome-only by default: the weights minimise the
 * squared pre-period gap directly (V = I).  With predictors, each predictor is
 * the mean of one series over a range of periods, rows are scaled by their
 * sample SD, the weights minimise the V-weighted predictor distance, and V is
 * chosen by multi-start Nelder–Mead to minimise the mean squared outcome gap
 * over the fit periods.  Results: the synthetic series and gaps, pre/post
 * RMSPE, the effect per post period and its mean (ATT), placebo-in-space gaps
 * and p-value, the poor-fit warning, and always the loss actually reached.
 *
 * Data layout.  A panel is nunits × nperiods, row-major (y[u * nperiods + t]),
 * periods in time order; NAN marks a missing value.  Period indices are
 * 0-based.  The pre-period P is every period before `first_post` that is not
 * skipped; the post-period Q is every period from `first_post` on that is not
 * skipped.  The fit periods P_opt are the pre periods from `fit_from` on.
 *
 * Ownership: inputs are only read; a struct sc_result is caller-owned,
 * initialised by sc_result_init and freed by sc_result_release (safe to call
 * on an initialised, failed or released result).  Every result is a
 * deterministic function of the inputs and options, whatever the thread count.
 */
#ifndef IMPROVE_SC_H
#define IMPROVE_SC_H

#include <stddef.h>

struct err;

#define SC_OUTCOME     (-1) /* sc_predictor.series: the outcome itself */
#define SC_POOR_FIT    0.10 /* §4.4: warn when pre RMSPE > 10% of the treated pre mean */
#define SC_MAX_STARTS  10   /* §4.3: deterministic Nelder–Mead starts are capped at 10 */
#define SC_WARNING_MAX 512
#define SC_MAX_THREADS 2

/* A panel of outcomes and, for predictors, further series of the same shape. */
struct sc_panel {
        size_t nunits;
        size_t nperiods;
        const double *y; /* nunits × nperiods outcomes */
        size_t nseries;
        const double *const *series; /* nseries arrays, each nunits × nperiods */
};

/*
 * One predictor row: the mean of `series` (SC_OUTCOME or an index into
 * panel.series) over periods from..to (both included), missing values left
 * out of the mean.  E4.3's "odd years 1961–1969" is a range whose even years
 * are missing; "popdens 1969" is a range of one period.
 */
struct sc_predictor {
        int series;
        size_t from;
        size_t to;
};

struct sc_options {
        size_t fit_from;              /* first period of P_opt (default 0) */
        const unsigned char *skip;    /* nperiods flags, nonzero = left out (transition); NULL */
        const unsigned char *exclude; /* nunits flags, nonzero = never a donor; NULL */
        int drop_incomplete;          /* 1: leave out donors with a missing value the fit
                                         needs, and count them; 0 (default): error */
        const struct sc_predictor *predictors; /* NULL/0 = outcome-only */
        size_t npredictors;
        int placebos;          /* run placebo in space (default 1) */
        double placebo_filter; /* m of §4.4; 0 (default) = keep every placebo */
        int max_starts;        /* deterministic NM starts, 1..SC_MAX_STARTS (10) */
        int random_starts;     /* extra NM starts from `seed` (default 0) */
        unsigned long seed;    /* for random_starts only */
        int nm_max_evals;      /* per start (default 4000) */
        double nm_tol_loss;    /* default 1e-10 */
        double nm_stall;       /* stop a start gaining < this·L per 100·k evaluations (1e-6) */
        double nm_tol_theta;   /* default 1e-6 */
        int inner_max_iter;    /* default 20000 */
        int inner_window;      /* default 200 */
        double inner_tol;      /* relative decrease over the window, default 1e-13 */
        double poor_fit_share; /* default SC_POOR_FIT */
        int threads;           /* placebo threads, 1..SC_MAX_THREADS (default 2) */
};

void sc_options_init(struct sc_options *o);

struct sc_result {
        size_t nperiods;
        size_t first_post;
        size_t treated;

        /* Donor pool and weights. */
        size_t ndonors;
        size_t *donor;   /* unit indices, ascending */
        double *weight;  /* ndonors, w >= 0, Σw = 1 */
        size_t ndropped; /* donors left out for missing values (drop_incomplete) */

        /* Predictors (NULL / 0 when outcome-only). */
        size_t npredictors;
        double *v;         /* npredictors, Σv = 1 */
        double *x_treated; /* npredictors, predictor values of the treated unit (unscaled) */
        double *x_synth;   /* npredictors, Σ_j w_j x_j (unscaled) */

        /* Series. */
        double *synthetic;    /* nperiods: Σ_j w_j y_jt */
        double *gap;          /* nperiods: y_1t - synthetic_t */
        const double *effect; /* = gap + first_post: the effect in each post period */
        size_t npost;         /* nperiods - first_post */

        /* Fit and effect. */
        double pre_mean;   /* mean of the treated outcome over P */
        double pre_ssr;    /* Σ gap² over P */
        double pre_rmspe;  /* sqrt(mean gap² over P) */
        double post_rmspe; /* over Q */
        double ratio;      /* post_rmspe / pre_rmspe (see sc.c for zero pre RMSPE) */
        double att;        /* mean gap over Q */
        double loss;       /* reached loss: mean gap² over P_opt (§4.3 L; also outcome-only) */
        double inner_loss; /* f(w) of §4.2 for the chosen V */

        /* Solver report. */
        int iterations;  /* inner iterations of the final fit */
        int evaluations; /* NM loss evaluations over all starts (0 outcome-only) */
        int nstarts;
        double *start_loss; /* nstarts: loss reached from each start (NULL outcome-only) */
        int converged;      /* 1 when the final inner fit and the best NM start met tolerance */

        /* Placebo in space (§4.4); arrays indexed like donor[]. */
        int placebos_run;
        double *placebo_gap;         /* ndonors × nperiods, row i: donor[i] as treated */
        double *placebo_pre_rmspe;   /* ndonors */
        double *placebo_post_rmspe;  /* ndonors */
        double *placebo_ratio;       /* ndonors */
        double *placebo_loss;        /* ndonors */
        unsigned char *placebo_kept; /* ndonors: 0 when dropped by placebo_filter */
        size_t placebo_dropped;
        size_t placebo_unconverged; /* placebo fits that stopped at an iteration cap */
        size_t p_rank;              /* units (treated included) whose ratio >= the treated unit's */
        size_t p_units;             /* kept placebos + 1 */
        double p_value;             /* p_rank / p_units */

        /* Warning. */
        int poor_fit;
        char warning[SC_WARNING_MAX]; /* "" or sentences for a person */
};

void sc_result_init(struct sc_result *r);
void sc_result_release(struct sc_result *r);

/*
 * Fit the synthetic control for `treated` with the change starting at period
 * `first_post`.  Donors: every other unit not excluded.  Returns 0, or -1 with
 * `e` set: EXIT_USAGE for bad arguments (indices out of range, fewer than one
 * donor, no pre or post period), EXIT_INPUT for missing values the fit needs.
 */
int sc_fit(const struct sc_panel *p, size_t treated, size_t first_post,
           const struct sc_options *opt, struct sc_result *r, struct err *e);

/* Mean gap over periods from..to (both included, skipped periods left out); NAN if none. */
double sc_mean_gap(const struct sc_result *r, const struct sc_options *opt, size_t from, size_t to);

/* ---------------------------------------------------------------- building blocks */

/*
 * Euclidean projection of v (n values) onto the simplex {w >= 0, Σw = 1} by the
 * sort-based rule of §4.2; `out` may equal `v`.  `work` holds n doubles.
 */
void sc_simplex_project(const double *v, double *out, size_t n, double *work);

struct sc_weights_report {
        double loss; /* f(w) = ||A w - b||² */
        int iterations;
        int converged; /* 0 when stopped by inner_max_iter */
};

/*
 * The inner problem of §4.2: minimise ||A w - b||² over the simplex by FISTA
 * with restart.  A is nrows × ncols row-major, b has nrows values, w (ncols)
 * holds the start on entry (warm start; pass 1/ncols for the §4.2 default) and
 * the solution on return.  Only the inner_* options are read.
 */
int sc_weights(const double *a, const double *b, size_t nrows, size_t ncols, double *w,
               const struct sc_options *opt, struct sc_weights_report *rep, struct err *e);

#endif
