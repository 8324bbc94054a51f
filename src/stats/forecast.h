/*
 * forecast.h — demand forecast for children looked after: the stock-and-flow
 * Markov model of statistics.md §6.
 *
 * Four layers, each usable on its own:
 *
 *  1. States (§6.1): age band × placement category for children in care, plus
 *     the absorbing "left care", which is always the last state.  Bands,
 *     categories and disallowed combinations are data (struct forecast_states);
 *     a disallowed combination maps to the band's "other" category.  Labels are
 *     written "<band>:<category>" ("10-15:fostering").
 *
 *  2. The chain over plain numbers (§6.2–§6.4): rates from exposure and
 *     transition counts (occurrence/exposure), daily probabilities from rates,
 *     and the projection of the mean m_t and covariance Σ_t day by day, with
 *     the analytic 95% interval.  Matrices are row-major arrays of doubles,
 *     ns × ns where ns counts "left care"; this is all E6.1 needs.
 *
 *  3. Estimation from SSDA903 episodes over a reference window
 *     (forecast_estimate.c): episodes from one or more annual returns are
 *     merged, short breaks (LS V3/V4) dropped, each child's state followed day
 *     by day, and exposure, transitions, entrants and the starting stock
 *     counted, child by child so that the parameter bootstrap can resample
 *     children.
 *
 *  4. The monthly forecast (forecast_run): rates, ageing, scenario scaling,
 *     projection to each month end, analytic intervals and optionally the
 *     bootstrap (forecast_sim.c); and the back-test against a known future
 *     (forecast_backtest.c).
 *
 * Day conventions.  A child is in care on day d when an episode is open on d
 * (DECOM <= d < DEC, measures.md §0.1).  Everything is dated: a placement
 * change on the DECOM of the new episode, leaving care on the DEC of the last
 * episode of a period (no episode starting that day), an entry on the DECOM of
 * the first episode.  Over the window [W0, W1] (both days included) exposure
 * counts the child-days d in [W0, W1], and transitions and entries count the
 * events dated in [W0, W1]; a transition is charged to the state the child was
 * in the day before.  Days in the window = W1 - W0 + 1.  Age is in completed
 * years on the day (date_age); a child moves band on the birthday, which is
 * not a counted transition, and leaving on or after the 18th birthday is the
 * forced leaving of the projection, so it is not counted either.
 *
 * Ownership: every struct that a function fills is caller-owned and released
 * with its _release function; inputs are only read.  GSL's random generators
 * are seeded from the options, so every result is a pure function of inputs.
 */
#ifndef IMPROVE_FORECAST_H
#define IMPROVE_FORECAST_H

#include "core/date.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct err;
struct ssda903_load;

#define FORECAST_Z95            1.959964 /* statistics.md §6.4 */
#define FORECAST_DAYS_PER_YEAR  365.25
#define FORECAST_LEAVING_AGE    18
#define FORECAST_MAX_BANDS      8
#define FORECAST_MAX_CATS       8
#define FORECAST_MAX_STATES     (FORECAST_MAX_BANDS * FORECAST_MAX_CATS + 1)
#define FORECAST_NAME_MAX       24
#define FORECAST_LABEL_MAX      (2 * FORECAST_NAME_MAX)
#define FORECAST_MIN_REPLICATES 2000 /* §6.4: at least 2000 bootstrap replicates */

/* §6.4 asks the screen to say what the analytic interval leaves out. */
#define FORECAST_ANALYTIC_NOTE                                                                     \
        "The 95% interval covers process noise only (children moving and arriving at random "      \
        "at the estimated rates), not the uncertainty in the rates themselves; the parameter "     \
        "bootstrap adds that."

/* ------------------------------------------------------------------ 1. states */

struct forecast_states {
        /* Configuration.  Band b covers ages band_lo[b] .. band_lo[b+1]-1 (completed
         * years); band_lo[nbands] is the leaving age (18).  Category names and their
         * PLACE codes (space-separated); the last category takes every code not listed
         * ("other") and its codes string is ignored. */
        size_t nbands, ncats;
        int band_lo[FORECAST_MAX_BANDS + 1];
        char cat_name[FORECAST_MAX_CATS][FORECAST_NAME_MAX];
        const char *cat_codes[FORECAST_MAX_CATS];
        unsigned char allowed[FORECAST_MAX_BANDS][FORECAST_MAX_CATS];
        /* Temporary placements T0–T4 keep the category of the placement they interrupt
         * (measures.md §0.4 ignores them as placements); 0, the default, follows
         * statistics.md §6.1 literally and maps them to "other". */
        int temporary_keeps_category;

        /* Derived by forecast_states_finish(). */
        size_t n;   /* states including "left care"; left care is n - 1 */
        size_t nin; /* in-care states = n - 1 */
        int index[FORECAST_MAX_BANDS][FORECAST_MAX_CATS]; /* state, or -1 when disallowed */
        int band_of[FORECAST_MAX_STATES], cat_of[FORECAST_MAX_STATES];
        char band_name[FORECAST_MAX_BANDS][FORECAST_NAME_MAX]; /* "0", "1-4", "16-17" */
        char label[FORECAST_MAX_STATES][FORECAST_LABEL_MAX];   /* "1-4:fostering", "left" */
};

/*
 * The defaults of §6.1 and the issue: bands 0, 1-4, 5-9, 10-15, 16-17;
 * fostering (U1–U6), residential (K1, K2, R1), supported (H5, P2, K3), other.
 * Disallowed by default: residential under 5 (the example in §6.1) and
 * supported under 10 (H5 starts at 14 or 16, K3 at 16, P2 is independent
 * living).  States are numbered band by band, categories in order.
 */
void forecast_states_default(struct forecast_states *st);
/* Check the configuration and derive states and labels.  -1 + EXIT_USAGE error. */
int forecast_states_finish(struct forecast_states *st, struct err *e);
/* Replace the bands: "0,1-4,5-9,10-15,16-17" (contiguous from 0, ending at 17). */
int forecast_states_set_bands(struct forecast_states *st, const char *spec, struct err *e);
/* Allow or disallow combinations named "<band>:<category>", comma-separated. */
int forecast_states_set_allowed(struct forecast_states *st, const char *spec, int allowed,
                                struct err *e);

/* Band of an age in completed years, or -1 (negative, or at or over the leaving age). */
int forecast_band_of_age(const struct forecast_states *st, int age);
/* Category of a PLACE code (NULL or unknown: the last category). */
int forecast_category_of_place(const struct forecast_states *st, const char *place);
/* In-care state of (band, category), a disallowed category mapped to the band's last. */
int forecast_state(const struct forecast_states *st, int band, int cat);
/* State by its label, or -1. */
int forecast_state_by_label(const struct forecast_states *st, const char *label);

/* --------------------------------------------------- 2. the chain over numbers */

/*
 * Occurrence/exposure rates (§6.2): rate[s*ns+r] = N[s*ns+r] / E[s] per day
 * for r != s; the diagonal and the last (left care) row are 0.  A state with
 * no exposure gets zero rates (no information, and never NaN); the number of
 * such states that nevertheless have transitions out is returned in
 * *inconsistent (may be NULL).  -1 + EXIT_USAGE for negative or non-finite
 * input.
 */
int forecast_rates(size_t ns, const double *exposure, const double *N, double *rate,
                   size_t *inconsistent, struct err *e);

/* Daily probabilities from rates (§6.3): competing hazards; left care absorbing. */
void forecast_probabilities(size_t ns, const double *rate, double *P);

/*
 * Add the ageing of §6.2 to a rate matrix over st's states: from every state in
 * band b at 1/(length of b in days, 365.25-day years) to the same category in
 * band b+1 (or that band's "other" if disallowed), and from the last band to
 * left care (forced leaving at 18).
 */
void forecast_add_ageing(const struct forecast_states *st, double *rate);

/*
 * Project the stock (§6.3).  P is ns × ns, mu has ns entries (the left-care
 * entry is ignored), m0 the starting stock, cov0 the starting covariance of the
 * nin = ns - 1 in-care states (NULL: known stock, Σ0 = 0).  days[] is strictly
 * increasing, from 0 (day 0 is the start).  For each requested day k the in-care
 * mean goes to mean[k*nin ...] and the covariance to cov[k*nin*nin ...] (cov may
 * be NULL).  -1 + EXIT_USAGE for bad days.
 */
int forecast_project(size_t ns, const double *P, const double *mu, const double *m0,
                     const double *cov0, const int *days, size_t ndays, double *mean, double *cov,
                     struct err *e);

/* Analytic interval (§6.4): mean ± 1.959964·sd, lower end clipped at 0. */
void forecast_interval(double mean, double sd, double *lower, double *upper);

/*
 * Process-noise simulation (§6.4 a): children move by multinomial draws from
 * their state's row of P and arrive as Poisson(mu) per state per day, with
 * GSL's generators (gsl_rng_mt19937 seeded with `seed`).  m0 is rounded to
 * whole children.  For replicate i and requested day k the in-care counts go
 * to out[(i*ndays + k)*(nin+1) + s] and the total to column nin.
 */
int forecast_simulate(size_t ns, const double *P, const double *mu, const double *m0,
                      const int *days, size_t ndays, size_t replicates, unsigned long seed,
                      double *out, struct err *e);

/* Mean, sd (n-1) and R type-7 2.5th/97.5th percentiles of v[0..n) (sorted in place). */
void forecast_summary(double *v, size_t n, double *mean, double *sd, double *p025, double *p975);

/* ------------------------------------------------------------- 3. estimation */

/* One SSDA903 episode, reduced to what the model needs. */
struct forecast_episode {
        uint32_t child; /* child number, 0..nchildren-1 */
        int year;       /* collection year of the return it came from */
        date_t dob;     /* DATE_NONE when unknown */
        date_t decom;
        date_t dec; /* DATE_NONE: open */
        char place[4];
        unsigned char short_break; /* LS V3/V4: excluded */
        unsigned char censored;    /* dec is where the record stops, not a real end */
};

/*
 * An authority's episodes from all its returns.  Add rows from any source (the
 * 903 reader, the store), then finish: rows are grouped by child and DECOM; for
 * the same CHILD and DECOM the later return wins (measures.md §0.4); an episode
 * left open in a return while a later return was loaded and does not re-send
 * it is censored at the end of its own year (never carried forward).
 */
struct forecast_episodes {
        struct forecast_episode *ep; /* after finish: by child, then DECOM */
        size_t n, cap;
        char **child_id; /* after finish: [nchildren], in strcmp order */
        size_t nchildren;
        date_t data_start, data_end; /* 1 April of the first return, 31 March of the last */
        size_t dropped;              /* rows without a usable DECOM or with DEC before it */
        size_t censored;
        /* private */
        char **row_id;
        size_t row_cap;
        int finished;
};

void forecast_episodes_init(struct forecast_episodes *eps);
void forecast_episodes_release(struct forecast_episodes *eps);
/* One row; ls is the legal status code (V3/V4 mark a short break); dec DATE_NONE if open. */
void forecast_episodes_add(struct forecast_episodes *eps, int year, const char *child, date_t dob,
                           date_t decom, date_t dec, const char *place, const char *ls);
int forecast_episodes_finish(struct forecast_episodes *eps, struct err *e);
/* Add every Episodes row of finished loads (one per collection year), with Header DOBs. */
int forecast_episodes_add_903(struct forecast_episodes *eps, const struct ssda903_load *ld,
                              struct err *e);

/* A child's share of the counts: the parameter bootstrap resamples children. */
enum forecast_contrib_kind { FORECAST_EXPOSURE, FORECAST_TRANSITION, FORECAST_ENTRY };
struct forecast_contrib {
        uint32_t child;
        unsigned char kind;
        unsigned char s, r; /* state (and target state of a transition) */
        double amount;      /* child-days, or 1 */
};

struct forecast_estimate {
        size_t ns;
        date_t w0, w1;    /* the reference window, both days included */
        double days;      /* w1 - w0 + 1 */
        double *exposure; /* [ns] child-days */
        double *trans;    /* [ns*ns] N_{s->r}; row s, column r (left care = ns-1) */
        double *entries;  /* [ns] entries into care */
        size_t children;  /* children with exposure or an entry in the window */
        /* What could not be used, for the report. */
        size_t no_dob;      /* children in the window without a date of birth */
        size_t aged_out;    /* leavings on or after the 18th birthday (forced, not counted) */
        size_t overlapping; /* episodes cut short by a later overlapping episode */
        /* Per-child contributions, by child. */
        struct forecast_contrib *contrib;
        size_t ncontrib, contrib_cap;
};

void forecast_estimate_release(struct forecast_estimate *est);
/* The default window (§6.2): the last `months` months of the data, ending on data_end. */
int forecast_default_window(const struct forecast_episodes *eps, int months, date_t *w0, date_t *w1,
                            struct err *e);
/*
 * Count exposure, transitions and entrants of eps over [w0, w1].  The window
 * is first cut to the days the returns cover (data_start .. data_end): outside
 * them children who came and went are missing, and entrants per day would be
 * too low; est->w0/w1 say what was used.  -1 + EXIT_USAGE if the window is
 * empty (w1 < w0, or no overlap with the data); EXIT_INTERNAL if eps is not
 * finished.
 */
int forecast_estimate(const struct forecast_states *st, const struct forecast_episodes *eps,
                      date_t w0, date_t w1, struct forecast_estimate *est, struct err *e);

/*
 * Children in care on day d (an open episode that is not a short break), by
 * state into stock[ns] (left care 0).  Returns the total in care including
 * children who fit no state (no date of birth, 18 or over), and sets
 * *unplaced to their number (may be NULL).
 */
size_t forecast_stock_on(const struct forecast_states *st, const struct forecast_episodes *eps,
                         date_t d, double *stock, size_t *unplaced);

/* ------------------------------------------------------ 4. the monthly forecast */

/* Scenario scaling of the estimated rates (1 = as estimated).  Ageing is never scaled. */
struct forecast_scenario {
        double entrants; /* μ */
        double leaving;  /* rates into left care (not the forced leaving at 18) */
        double moves;    /* placement-change rates between categories */
};

enum forecast_bootstrap {
        FORECAST_BOOT_NONE,
        FORECAST_BOOT_PROCESS,   /* §6.4 (a) */
        FORECAST_BOOT_PARAMETER, /* §6.4 (b): resample children, re-estimate, simulate */
};

struct forecast_options {
        int horizon_months; /* month ends after the start: default 36 */
        struct forecast_scenario scenario;
        enum forecast_bootstrap bootstrap;
        size_t replicates;  /* default 2000, at least FORECAST_MIN_REPLICATES */
        unsigned long seed; /* default 1 */
};

void forecast_options_default(struct forecast_options *o);

/* Everything a command needs to print.  Tables are [months × (nin+1)], total in column nin. */
struct forecast_result {
        size_t nin, ns, months;
        date_t start;                      /* the stock date: day 0 */
        date_t *month_end;                 /* [months] */
        int *day;                          /* [months] days after start */
        double *start_stock;               /* [ns] */
        double *rate, *P, *mu;             /* the chain used (scenario and ageing applied) */
        double *mean, *sd, *lower, *upper; /* analytic, lower end clipped at 0 */
        size_t replicates;                 /* 0 unless a bootstrap was run */
        double *boot_mean, *boot_sd, *boot_lower, *boot_upper;
        size_t zero_exposure; /* in-care states with no exposure (rates set to 0) */
};

void forecast_result_release(struct forecast_result *r);

/*
 * The forecast of §6: rates from est (scaled by the scenario), ageing, daily P,
 * projection from `stock` (children in each state on `start`) to the next
 * horizon_months month ends after start.  -1 + EXIT_USAGE on bad options.
 */
int forecast_run(const struct forecast_states *st, const struct forecast_estimate *est,
                 const double *stock, date_t start, const struct forecast_options *o,
                 struct forecast_result *res, struct err *e);

/*
 * CSV `month,state,projected,lower,upper`: per month end (ISO date) one row per
 * in-care state then `total`; projected to one decimal, the interval rounded
 * to whole children.  boot = 1 takes the bootstrap mean and percentiles.
 */
int forecast_write_csv(FILE *f, const struct forecast_states *st, const struct forecast_result *r,
                       int boot);

/* ------------------------------------------------------------------ back-test */

struct forecast_backtest {
        size_t months;
        date_t cutoff, w0;
        date_t *month_end;
        double *projected, *lower, *upper, *actual; /* totals */
        double mape;                                /* mean absolute percentage error, in percent */
        double naive_mape; /* the same for "the stock stays as on the cut-off" */
        size_t inside;     /* months whose actual lies in the 95% interval */
        double start_stock;
};

void forecast_backtest_release(struct forecast_backtest *b);
/*
 * Forecast from `cutoff` with the reference window of the preceding
 * ref_months (ending on the cut-off) and compare the projected total at each
 * of the next `months` month ends with the actual number of children in care
 * (forecast_stock_on's total).  The estimation sees nothing after the cut-off.
 */
int forecast_backtest_run(const struct forecast_states *st, const struct forecast_episodes *eps,
                          date_t cutoff, int ref_months, int months,
                          const struct forecast_scenario *scenario, struct forecast_backtest *b,
                          struct err *e);

#endif
