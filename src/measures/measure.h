/*
 * measure.h — the outcome measures of ../shared/docs/measures.md: the
 * catalogue, the periods a value is computed for, one authority's returns
 * held in memory, and the engine that computes values from them.
 *
 * THE CONTRACT
 *
 * A measure is one catalogue row and one function.  The row (struct
 * measure_def) is data: id as in measures.md, title, National Framework
 * outcome or enabler, unit, polarity, source, the periods it has, flags, and
 * where its published benchmark is.  The function counts a numerator and a
 * denominator for one window of one authority; the engine does the rest
 * (checking the returns are held, the §0.7 population of rates, the value,
 * the small-base flag):
 *
 *      static int m_referrals(struct measure_ctx *ctx, const struct measure_window *w,
 *                             struct measure_value *out)
 *      {
 *              const struct cin_load *l = measure_history_cin(ctx->h, w->year);
 *              ... count the referrals dated in the window into out->numerator ...
 *              out->has_numerator = true;
 *              return 0;        (a rate: the engine sets the denominator)
 *      }
 *
 *      const struct measure_def measures_cin_o1[] = {
 *              {"referrals_rate_per_10k", "Referrals in the year, rate per 10,000 children",
 *               MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_CIN,
 *               MEASURE_PERIODS_ALL, 12, 0,
 *               {MEASURE_BENCH_DERIVE_RATE, "c1_children_in_need_referrals_and_rereferrals",
 *                "", "referral_count", NULL, 1, 1, NULL},
 *               m_referrals, NULL},
 *              ...
 *              {0},
 *      };
 *
 * - Where: measures live in src/measures/<file>.c, split by National
 *   Framework outcome: cin_o1.c and cin_o3.c for the CIN census; cla_o1.c,
 *   cla_o2.c, cla_o3.c, cla_o4_stability.c, cla_o4_adoption.c, cla_o4_oc2.c
 *   and cla_o4_oc3.c for the SSDA903; workforce.c and context.c for the rows
 *   read from published figures only.  Each file exports one table
 *   `const struct measure_def measures_<file>[]` ending with a zeroed row and
 *   is listed once in src/measures/catalogue.c (an extern and one line in the
 *   list) — the only line a new file adds outside itself.  Adding a measure to
 *   a file: one row and one static function.  Helpers shared by measure files
 *   (open on D, overlaps, short breaks, periods of care and placements over
 *   the merged episode history, ages, UASC, working days, the population
 *   rule) are in src/measures/util.h; use them rather than re-deriving a rule.
 *
 * - What a function does.  It fills out->numerator and out->denominator
 *   (counts; for averages the sum and the count; for days the sum of days
 *   and the count) and sets has_numerator / has_denominator.  For a rate per
 *   10,000 (unit MEASURE_RATE_PER_10K) it fills the numerator only: the
 *   engine takes the denominator from the population of the window's
 *   reporting year (§0.7) and never from another year.  For a count (unit
 *   MEASURE_COUNT) the value is the numerator.  It never computes the value
 *   itself: the engine does, as scale × numerator / denominator, so that the
 *   stored value always agrees with its numerator and denominator.
 *   It leaves has_numerator false when nothing can be counted (the measure
 *   then has no value and the note says why, via measure_note()).
 *   Data-quality problems met while counting (two episodes open on one date,
 *   a working-day count outside the bank-holiday table, a cohort child with
 *   no OC2 row) are reported with measure_dq(), which counts them on the
 *   value and passes them to the caller's hook.  A function may report the
 *   children it counted with measure_counted() (for users allowed to see
 *   child-level data); it costs nothing when no hook is set.
 *
 * - Windows (§0.2).  A function reads its period only from the window:
 *   "at 31 March" is w->end, "in the year" is w->start <= d <= w->end
 *   (measure_in_window), "on 1 April" is w->start, and the population and
 *   the snapshot's return are those of w->year.  The same function then
 *   gives the annual value, the discrete monthly value and the rolling
 *   value, and the rolling value at 31 March equals the annual value by
 *   construction.  Which return to read: a snapshot at D and an event dated
 *   d are read from the return of the collection year containing that date
 *   (date_collection_year), so a rolling window that spans two years takes
 *   its April–March months from each year's own return and counts nothing
 *   twice.  Look-back (periods of care, previous referrals, earlier plans)
 *   may read every return the history holds (§0.4, §0.5).
 *
 * - Periods.  `periods` says which of year / month / rolling the measure
 *   has; the engine never calls a function for a period the row lacks.
 *   `span_months` is the length of the annual and rolling windows: 12, or 36
 *   for the 3-year adoption averages (the annual window of year Y is then
 *   1 April Y-3 … 31 March Y).
 *
 * - Behaviour.  A function never crashes on odd data — any cell may be NULL,
 *   any date DATE_NONE or DATE_BAD, any table empty, any year's return
 *   absent.  It returns 0, or -1 only for an internal failure (with
 *   ctx->err set).  It does not print or keep state between calls except
 *   through the ctx caches (measure_cache_get/put), which live as long as
 *   the ctx.
 *
 * Threads: the engine is pure over one history.  Authorities may be computed
 * in parallel with one measure_ctx each; a ctx is not shared between threads.
 *
 * Ownership: a history borrows the loads given to it (the caller keeps them
 * alive and frees them after the history); notes and caches live in the
 * ctx's arena until measure_ctx_release().  Caches describe the history as
 * it was when they were built: do not change a history while a ctx on it
 * lives (release the ctx, change the history, start a new ctx).
 */
#ifndef IMPROVE_MEASURE_H
#define IMPROVE_MEASURE_H

#include "core/arena.h"
#include "core/date.h"
#include "stats/benchmark.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct ssda903_load;
struct cin_load;

/* ---------------------------------------------------------------- the catalogue */

/* National Framework (2023) outcome or enabler the measure serves. */
enum measure_outcome {
        MEASURE_OUTCOME_1,         /* stay together and get the help they need */
        MEASURE_OUTCOME_2,         /* supported by their family network */
        MEASURE_OUTCOME_3,         /* safe in and outside of their home */
        MEASURE_OUTCOME_4,         /* stable, loving homes */
        MEASURE_ENABLER_WORKFORCE, /* the workforce is equipped and effective */
        MEASURE_CONTEXT,           /* context (population) */
};
/* "outcome_1" … "outcome_4", "workforce", "context" */
const char *measure_outcome_name(enum measure_outcome o);

enum measure_unit {
        MEASURE_PERCENT,      /* 100 × num / den */
        MEASURE_RATE_PER_10K, /* 10000 × num / population (§0.7) */
        MEASURE_DAYS,         /* sum of days / n */
        MEASURE_MONTHS,       /* sum of days / n / 30.4375 (scale in the row) */
        MEASURE_AVERAGE,      /* sum / n */
        MEASURE_COUNT,        /* the numerator itself */
};
/* The strings `improve measures` prints: "percent", "rate_per_10k", "days", "months",
 * "average", "count". */
const char *measure_unit_name(enum measure_unit u);
/* "higher_better", "lower_better", "neutral" */
const char *measure_polarity_name(enum bench_polarity p);

enum measure_source {
        MEASURE_SRC_CIN,       /* the CIN census */
        MEASURE_SRC_903,       /* the SSDA903 return */
        MEASURE_SRC_PUBLISHED, /* published figures only (workforce census, ONS population) */
};
const char *measure_source_name(enum measure_source s); /* "cin", "903", "published" */

/* Periods (§0.2). */
enum measure_period {
        MEASURE_YEAR,    /* the collection year (or 3 years for 36-month measures) */
        MEASURE_MONTH,   /* one calendar month: the discrete series SPC uses */
        MEASURE_ROLLING, /* 12 (or 36) months to a month end: display only */
};
#define MEASURE_PERIOD_BIT(p) (1u << (p))
#define MEASURE_PERIODS_ALL                                                                        \
        (MEASURE_PERIOD_BIT(MEASURE_YEAR) | MEASURE_PERIOD_BIT(MEASURE_MONTH) |                    \
         MEASURE_PERIOD_BIT(MEASURE_ROLLING))
/* Annual and rolling, no discrete monthly value (cla_placements_3plus_pct). */
#define MEASURE_PERIODS_NO_MONTH                                                                   \
        (MEASURE_PERIOD_BIT(MEASURE_YEAR) | MEASURE_PERIOD_BIT(MEASURE_ROLLING))
/* Annual only (OC2, workforce, 3-year adoption averages' published side). */
#define MEASURE_PERIODS_ANNUAL MEASURE_PERIOD_BIT(MEASURE_YEAR)
const char *measure_period_name(enum measure_period p); /* "year", "month", "rolling" */

enum measure_flag {
        MEASURE_NEVER_RANK = 1u << 0,    /* no quartile or rank across authorities (§3 missing) */
        MEASURE_INTERNAL_ONLY = 1u << 1, /* shown for internal use only, with its caveat */
        MEASURE_LOOKBACK = 1u << 2,      /* reads returns before the window's (§0.4, §0.5) */
        MEASURE_PROXY = 1u << 3,         /* the benchmark is a proxy, labelled so */
};

/* How the published benchmark is read (measures.md §0.9, §0.10). */
enum measure_bench_kind {
        MEASURE_BENCH_NONE,        /* nothing published to compare with */
        MEASURE_BENCH_VALUE,       /* the column is the value, as published */
        MEASURE_BENCH_DERIVE_RATE, /* the column is a count: 10000 × count / population (§0.7) */
        MEASURE_BENCH_RATIO,       /* 100 × (sum of `column`) / (sum of `den_column`) */
        MEASURE_BENCH_COMPLEMENT, /* 100 − column (a proxy, e.g. 100 − "information not known") */
};

struct measure_benchmark {
        enum measure_bench_kind kind;
        /* Published source: file name without ".csv" and year range (ees_source). */
        const char *source;
        /*
         * Filters the row must match, "name=value" pairs joined with "|" in
         * any order (canonicalise with ees_filter_key); "" for none.
         */
        const char *filters;
        /* Value column; for MEASURE_BENCH_RATIO one or more joined with "+". */
        const char *column;
        /* MEASURE_BENCH_RATIO: denominator column(s) joined with "+"; else NULL. */
        const char *den_column;
        int local; /* 1: the file is in ../shared/data/dfe-published; 0: "not in the local set" */
        int dp;    /* decimal places DfE publishes (§0.8): 0 CLA, 1 CIN and workforce */
        const char *note; /* shown beside the benchmark ("national only", "30 September
                             snapshot", …), or NULL */
};

struct measure_ctx;
struct measure_window;
struct measure_value;

/* Count one window's numerator and denominator; see THE CONTRACT. */
typedef int (*measure_fn)(struct measure_ctx *ctx, const struct measure_window *w,
                          struct measure_value *out);

struct measure_def {
        const char *id;    /* as in measures.md: "rereferrals_12m_pct" */
        const char *title; /* our own short title */
        enum measure_outcome outcome;
        enum measure_unit unit;
        enum bench_polarity polarity;
        enum measure_source source;
        unsigned periods; /* MEASURE_PERIOD_BIT() bits */
        int span_months;  /* annual and rolling window length: 12, or 36; 0 means 12 */
        unsigned flags;   /* enum measure_flag bits */
        struct measure_benchmark bench;
        measure_fn compute; /* NULL: not computed from returns (published only, or not yet) */
        const void *arg;    /* for a function shared by several rows (ctx->def->arg) */
        double scale;       /* value = scale × num / den; 0 means from the unit (100, 10000, 1) */
};

/* Every measure, in catalogue order (file by file as listed in catalogue.c). */
size_t measure_count(void);
const struct measure_def *measure_at(size_t i);
/* The row of an id, or NULL. */
const struct measure_def *measure_find(const char *id);
/* The tables of catalogue.c, NULL-terminated; each ends with a zeroed row. */
extern const struct measure_def *const measure_tables[];
/* The scale the engine applies: def->scale, or 100, 10000, 1 by unit. */
double measure_scale(const struct measure_def *m);

/* ---------------------------------------------------------------- windows */

/*
 * One period (§0.2).  Dates are inclusive day numbers.
 *  - year Y (12 months): start = 1 April Y-1, end = 31 March Y; with a 36-month
 *    span, start = 1 April Y-3.
 *  - month ending M: start = the 1st of M's month, end = M.
 *  - rolling to M over n months (12 or 36): the window (M − n months, M] of
 *    whole calendar months, start = the 1st of the month n−1 months before
 *    M's month (so that 28 February 2025 gives 1 March 2024 … 28 February
 *    2025), end = M.  At M = 31 March Y with n = 12 it is year Y exactly.
 * `year` is the collection year containing `end`: the return holding the
 * snapshot, and the reporting year whose population (mid-(year−1)) applies.
 */
struct measure_window {
        enum measure_period period;
        int months;   /* length in whole calendar months: 12, 1, 12 or 36 */
        date_t start; /* first day: "1 April", "the first day of the window" */
        date_t end;   /* last day, a month end: "31 March", "at M"; the period_end */
        int year;     /* collection year containing end */
};

void measure_window_year(struct measure_window *w, int year, int span_months);
/* month_end may be any day of the month: the window is that whole month. */
void measure_window_month(struct measure_window *w, date_t month_end);
void measure_window_rolling(struct measure_window *w, date_t month_end, int months);
/* The window a measure has for period p ending at month end `end` (year: end is 31 March). */
void measure_window_for(struct measure_window *w, const struct measure_def *m,
                        enum measure_period p, date_t end);

/* start <= d <= end; false for DATE_NONE and DATE_BAD. */
static inline bool measure_in_window(const struct measure_window *w, date_t d)
{
        return d >= w->start && d <= w->end; /* DATE_NONE and DATE_BAD are below any start */
}

/* ---------------------------------------------------------------- one authority's returns */

struct measure_year {
        int year;                        /* collection year */
        const struct ssda903_load *s903; /* this year's SSDA903 load, or NULL */
        const struct cin_load *cin;      /* this year's CIN census, or NULL */
        int64_t population;              /* children 0–17, mid-(year−1) (§0.7) */
        bool has_population;
};

/*
 * Everything the engine may use about ONE authority: its returns by
 * collection year and its populations by reporting year.  Years are kept in
 * ascending order, one entry per year.  Loads are borrowed.
 */
struct measure_history {
        const char *la;             /* 3-digit code, for notes and hooks; may be NULL */
        struct measure_year *years; /* ascending by year */
        size_t n, cap;
};

void measure_history_init(struct measure_history *h, const char *la);
void measure_history_release(struct measure_history *h);
void measure_history_set_903(struct measure_history *h, int year, const struct ssda903_load *ld);
void measure_history_set_cin(struct measure_history *h, int year, const struct cin_load *l);
/* The population serving reporting year `year` (the mid-(year−1) estimate). */
void measure_history_set_population(struct measure_history *h, int year, int64_t population);

const struct measure_year *measure_history_year(const struct measure_history *h, int year);
const struct ssda903_load *measure_history_903(const struct measure_history *h, int year);
const struct cin_load *measure_history_cin(const struct measure_history *h, int year);
/* 1 and *out set when a population serves reporting year `year`; 0 when none. */
int measure_history_population(const struct measure_history *h, int year, int64_t *out);
/* The return of a measure's source for `year` is held (always false for published rows). */
bool measure_history_holds(const struct measure_history *h, enum measure_source src, int year);
/* Every collection year the window touches (start's to end's) is held for the source. */
bool measure_window_held(const struct measure_history *h, enum measure_source src,
                         const struct measure_window *w);

/* ---------------------------------------------------------------- values */

struct measure_value {
        int64_t numerator;   /* count, or sum (of days, of scores) */
        int64_t denominator; /* count, or population for rates */
        double value;        /* unrounded (§0.8) */
        bool has_numerator, has_denominator, has_value;
        bool small_base;          /* denominator < 10 (not for rates and counts, §0.9) */
        bool lookback_incomplete; /* an earlier return the look-back needs is not held */
        int dq_warnings;          /* data-quality problems met while counting */
        const char *note;         /* why empty, or a caveat; "; "-joined; ctx lifetime; or NULL */
};

/* Denominator below this: the value is flagged "small base" (§0.9). */
#define MEASURE_SMALL_BASE 10

/* ---------------------------------------------------------------- the engine */

/* A DQ problem, passed to the hook: which measure, which window, which child (or NULL). */
typedef void (*measure_dq_fn)(void *arg, const struct measure_def *m,
                              const struct measure_window *w, const char *child, const char *text);
/* A child counted in a denominator (and, when in_numerator, in the numerator). */
typedef void (*measure_child_fn)(void *arg, const struct measure_def *m,
                                 const struct measure_window *w, const char *child,
                                 bool in_numerator);

struct measure_cache_entry;

struct measure_ctx {
        const struct measure_history *h;
        /* Set by the engine while a function runs. */
        const struct measure_def *def;
        const struct measure_window *w;
        struct err *err;

        /* Optional hooks (NULL: none) and their argument. */
        measure_dq_fn on_dq;
        measure_child_fn on_child;
        void *hook_arg;

        /* Notes and caches; lives until measure_ctx_release(). */
        struct arena arena;
        struct measure_cache_entry *caches; /* private */
};

void measure_ctx_init(struct measure_ctx *ctx, const struct measure_history *h);
void measure_ctx_release(struct measure_ctx *ctx);

/*
 * Caches for work shared between windows and measures (an index of one
 * return, every referral date of a child across censuses …).  `key` is the
 * address of a static object in the measure file, so keys never collide.
 * The data should live in ctx->arena (or be freed by the `release`
 * callback, which may be NULL).  get returns NULL when nothing is stored.
 */
void *measure_cache_get(struct measure_ctx *ctx, const void *key);
void measure_cache_put(struct measure_ctx *ctx, const void *key, void *data,
                       void (*release)(void *data));

/* Append a note to the value (copied; "; "-joined with any earlier one). */
void measure_note(struct measure_ctx *ctx, struct measure_value *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Count a DQ warning on the value and pass it to ctx->on_dq. */
void measure_dq(struct measure_ctx *ctx, struct measure_value *v, const char *child,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Report a child counted (no-op without ctx->on_child). */
static inline void measure_counted(struct measure_ctx *ctx, const char *child, bool in_numerator)
{
        if (ctx->on_child)
                ctx->on_child(ctx->hook_arg, ctx->def, ctx->w, child, in_numerator);
}

/*
 * One measure for one window.  *out is reset first.  When the measure has no
 * such period, or no function, or the returns the window needs are not held,
 * the value is empty with a note saying why (this is not an error).  After
 * the function: rates get the population of w->year as denominator (or the
 * note "no population for mid-YYYY"); the value is scale × num / den when
 * both are present and den > 0 (counts: the numerator); small_base is set.
 * -1 + error only for an internal failure.
 */
int measure_compute(struct measure_ctx *ctx, const struct measure_def *m,
                    const struct measure_window *w, struct measure_value *out, struct err *e);

/* Called once per value by measure_compute_all(); non-zero stops the walk (returned as is). */
typedef int (*measure_emit_fn)(void *arg, const struct measure_def *m,
                               const struct measure_window *w, const struct measure_value *v);

/*
 * Every value of an authority: for each measure with a function (all of the
 * catalogue, or the NULL-terminated `only`), restricted to the `periods`
 * bits (MEASURE_PERIODS_ALL for everything), in catalogue order:
 *  - year: each collection year whose return of the measure's source is held
 *    (36-month measures: empty with a note unless all three years are held);
 *  - month: each month of each year held;
 *  - rolling: each month end of each year held whose whole window is held.
 * The value and window passed to `emit` live until it returns.  Returns 0, the
 * non-zero value `emit` returned, or -1 + error for an internal failure.
 */
int measure_compute_all(struct measure_ctx *ctx, const struct measure_def *const *only,
                        unsigned periods, measure_emit_fn emit, void *arg, struct err *e);

#endif
