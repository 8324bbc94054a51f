/*
 * scorecard.h — measure values kept in the store, ready for pages and
 * exports: computed from an authority's stored returns by the measures
 * engine (src/measures/measure.h), the DfE's published figure where the
 * authority's return for a year is not held, and the benchmarks of every
 * annual value (measures.md §0.10, statistics.md §7).
 *
 * When values change:
 *  - a return is imported: that authority's values from that kind of return
 *    are recomputed for the return's collection year and every later one
 *    (look-back reads earlier returns, never later ones, so earlier values
 *    cannot change), then its published fall-backs are redone;
 *  - published figures or the authority list are imported: every
 *    authority's published values are redone;
 *  - populations are imported: every rate may change, so everything is
 *    recomputed;
 *  - `improve measures --recompute`: everything.
 * Benchmarks depend on every authority at once, so changes only mark their
 * years stale; scorecard_benchmarks() redoes the stale years, which the
 * reading command does before it reads.
 *
 * Every function here runs its own store transaction: call it after the
 * import's transaction has committed.
 */
#ifndef IMPROVE_SCORECARD_H
#define IMPROVE_SCORECARD_H

#include "measures/measure.h"
#include "returns/cin.h"
#include "returns/ssda903.h"

#include <stdint.h>

struct err;
struct store;
struct buf;

/* Which returns' measures to recompute. */
enum scorecard_kind {
        SCORECARD_903 = 1u << 0,
        SCORECARD_CIN = 1u << 1,
        SCORECARD_ALL = SCORECARD_903 | SCORECARD_CIN,
};

/*
 * The tables of a stored return the measures read (src/measures/): the
 * others (SSDA903 Reviews, PrevPerm, PlacedAdoption, DoLo; CIN
 * ChildCharacteristics, Disabilities, AssessmentFactorsList, CINplanDates,
 * Reviews, PreProceedings) are more than half the rows and are not read back
 * for computing.  A measure that starts reading one of them must add it
 * here; test_scorecard checks that values from these tables equal values
 * from whole returns on a generated region.
 */
#define SCORECARD_903_TABLES                                                                       \
        ((1u << SSDA903_HEADER) | (1u << SSDA903_EPISODES) | (1u << SSDA903_UASC) |                \
         (1u << SSDA903_OC2) | (1u << SSDA903_OC3) | (1u << SSDA903_AD1) |                         \
         (1u << SSDA903_MISSING) | (1u << SSDA903_SW_EPISODES))
#define SCORECARD_CIN_TABLES                                                                       \
        ((1u << CIN_Header) | (1u << CIN_ChildIdentifiers) | (1u << CIN_CINdetails) |              \
         (1u << CIN_Assessments) | (1u << CIN_Section47) | (1u << CIN_ChildProtectionPlans))

struct scorecard_stats {
        long authorities; /* authorities whose values were recomputed */
        long returns;     /* returns read back from the store */
        long values;      /* computed values stored */
        long written;     /* of which rows actually written (the others were unchanged) */
        long published;   /* published values written */
        long benchmarks;  /* benchmark rows written */
        double read_s, compute_s, write_s, published_s, bench_s; /* wall seconds per stage */
};

/*
 * Recompute `la`'s values from its stored returns of `kinds`, for periods
 * ending in collection year `from_year` or later (0: all), replacing the old
 * ones; then its published fall-backs.  Marks the years stale.
 */
int scorecard_recompute(struct store *s, const char *la, unsigned kinds, int from_year,
                        struct scorecard_stats *st, struct err *e);

/*
 * Every authority with a stored return, every year, then every authority's
 * published values and every year's benchmarks.  `threads` (1 or more)
 * authorities are computed at once; the store is written by one of them.
 */
int scorecard_recompute_all(struct store *s, int threads, struct scorecard_stats *st,
                            struct err *e);

/* Published values of one authority (NULL: every authority in the store). */
int scorecard_published(struct store *s, const char *la, struct scorecard_stats *st, struct err *e);

/* Benchmarks of the stale years (all != 0: of every year). */
int scorecard_benchmarks(struct store *s, int all, struct scorecard_stats *st, struct err *e);

/*
 * What an import of `kind` ("ssda903", "cin", "published", "authorities",
 * "populations"; others change nothing) of authority `la` and collection
 * year `year` (returns only) changes; appends one line saying what was done
 * to `msg`.
 */
int scorecard_after_import(struct store *s, const char *kind, const char *la, int year,
                           struct buf *msg, struct err *e);

/*
 * The children one value counted, for users allowed to see child-level data:
 * authority `la`, measure `measure`, period `period` ending on `end` (a month
 * end; 31 March for a year).  Not stored: the authority's returns are read
 * back and the value computed again with the engine's child hook (measure.h,
 * measure_counted), so the list is always that of the stored returns.  One
 * row per child in LAchildID / CHILD order: how many times it was counted in
 * the numerator and in the denominator (0 for rates per 10,000 and counts,
 * whose denominator is not children; a child counts more than once where the
 * measure counts referrals, episodes or placements).  `value` is the value
 * computed alongside (its note copied), equal to the stored one.
 * 1 computed, 0 the authority holds no return for the window, -1 error
 * (EXIT_USAGE: unknown measure, a published-only measure, a period the
 * measure has not).  Release with scorecard_children_release either way.
 */
struct scorecard_child {
        const char *child;
        long in_numerator, in_denominator;
};
struct scorecard_children {
        struct scorecard_child *child;
        size_t n;
        struct measure_value value;
        struct measure_window window;
        struct arena arena; /* the strings */
};
int scorecard_children(struct store *s, const char *la, const char *measure,
                       enum measure_period period, date_t end, struct scorecard_children *out,
                       struct err *e);
void scorecard_children_release(struct scorecard_children *c);

/* ---------------------------------------------------------------- published figures */

/* Stored populations (area, reporting year) for derived rates and the population measure. */
struct scorecard_pops;
struct scorecard_pops *scorecard_pops_load(struct store *s, struct err *e);
void scorecard_pops_free(struct scorecard_pops *p);
/* 1 and *out when known. */
int scorecard_pops_get(const struct scorecard_pops *p, const char *area, int year, int64_t *out);

/*
 * The published figures of one measure, every year, level and area, read as
 * its catalogue row says (measures.md §0.9–§0.10): the value column, or a
 * count made a rate with the §0.7 population, a ratio of sums, or 100 minus
 * the column.  Symbols (c, x, z, k, …) give no value and keep their text.
 */
struct scorecard_pub;

struct scorecard_pub_value {
        int found;          /* a row exists */
        int has_value;      /* and it gives a number */
        double value;       /* unrounded, as published or derived */
        const char *symbol; /* the symbol that stopped it, or NULL */
        const char *why;    /* why there is no value when found (no population, …), or NULL */
        const char *region; /* LA rows: the region code on the row, or NULL */
        int converted;      /* published in months (YY:MM), given in days (× 30.4375) */
};

/* NULL (and no error) when the measure has nothing published in the store. */
struct scorecard_pub *scorecard_pub_load(struct store *s, const struct measure_def *m,
                                         const struct scorecard_pops *pops, struct err *e);
void scorecard_pub_free(struct scorecard_pub *p);
/* The figure of one area ("202", a region code, "E92000001") for a year at a level. */
void scorecard_pub_get(const struct scorecard_pub *p, int year, int level, const char *area,
                       struct scorecard_pub_value *out);
/* Whether any LA-level figure of `year` is a number (comparisons then use published precision). */
int scorecard_pub_any_la(const struct scorecard_pub *p, int year);

#endif
