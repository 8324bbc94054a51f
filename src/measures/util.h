/*
 * util.h — the common rules of measures.md §0, once, for every measure file.
 *
 * Open on D and overlaps (§0.1), short breaks (§0.3), the merged episode
 * history across returns with periods of care and placements walked back
 * over it (§0.4), ages, UASC on D, working days (§0.6) and the population
 * rule of rates (§0.7).  A measure file should use these rather than restate
 * a rule, so that every measure applies it the same way.
 *
 * Dates: DATE_NONE is blank; DATE_BAD (a cell that is not a real date) is
 * treated as unknown — an interval with an unknown start is never open and
 * never overlaps; an unknown end is treated as blank only where said.
 */
#ifndef IMPROVE_MEASURE_UTIL_H
#define IMPROVE_MEASURE_UTIL_H

#include "measures/measure.h"
#include "returns/ssda903.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- intervals (§0.1, §0.5) */

/* A real date: neither blank nor bad. */
static inline bool measure_date_known(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

/*
 * Open on D: start <= D and (end blank or end > D).  Something that ends on
 * D is not open on D.  An unknown start is never open; a bad end is treated
 * as blank (still open), which the validator reports separately.  Inline:
 * snapshots call these for every episode at every month end.
 */
static inline bool measure_open_on(date_t start, date_t end, date_t d)
{
        if (!measure_date_known(start) || start > d)
                return false;
        return end == DATE_NONE || end == DATE_BAD || end > d;
}

/* Overlaps [ws, we]: start <= we and (end blank or end >= ws). */
static inline bool measure_overlaps(date_t start, date_t end, date_t ws, date_t we)
{
        if (!measure_date_known(start) || start > we)
                return false;
        return end == DATE_NONE || end == DATE_BAD || end >= ws;
}

/* ---------------------------------------------------------------- SSDA903 episodes */

/* LS V3 or V4: an agreed series of short breaks (§0.3).  V2 is not. */
bool measure_ls_short_break(const char *ls);
/* PLACE T0–T4: a temporary placement, ignored when counting placements (§0.4). */
bool measure_place_temporary(const char *place);
/* RNE S, P or B: the episode begins a new placement with a new carer (§0.4). */
bool measure_rne_new_placement(const char *rne);

bool measure_ep_open_on(const struct ssda903_row *ep, date_t d);
bool measure_ep_overlaps(const struct ssda903_row *ep, date_t ws, date_t we);
bool measure_ep_short_break(const struct ssda903_row *ep);
/* prev is followed by cur without a break: prev REC = X1 and prev DEC = cur DECOM. */
bool measure_ep_contiguous(const struct ssda903_row *prev, const struct ssda903_row *cur);

/*
 * A child's episode history (§0.4): the year-Y return's episodes, with in
 * front of them the episodes of earlier returns that start before the
 * child's earliest year-Y episode; when the same CHILD+DECOM occurs in two
 * returns the later return's episode wins.  Episodes are in DECOM order
 * (blank and bad DECOM last, as in the load).  Caller-owned; reuse one for
 * many children (measure_eps_init / measure_eps_release).
 */
struct measure_eps {
        const struct ssda903_row **ep; /* [n] */
        int *year;                     /* [n] collection year of the return each came from */
        size_t n, cap;
        size_t first_current; /* index of the first year-Y episode (n when none) */
};
void measure_eps_init(struct measure_eps *e);
void measure_eps_release(struct measure_eps *e);

/*
 * Fill `out` with the history of child `child` (CHILD id) as of year Y,
 * reading every earlier SSDA903 return the history holds.  A child with no
 * year-Y episode gets no episodes (n = 0).  Returns the number of episodes.
 */
size_t measure_903_episodes(const struct measure_history *h, int year, const char *child,
                            struct measure_eps *out);

/*
 * Index of the first episode of the period of care containing episode i:
 * walk back while the previous episode is contiguous (REC X1, DEC = DECOM).
 */
size_t measure_poc_start(const struct measure_eps *e, size_t i);
/*
 * Index of the episode that began the placement (same carer) containing
 * episode i: walk back while episode i has RNE L, T or U and the previous
 * one is contiguous.  Its DECOM is the placement's start date.
 */
size_t measure_placement_start(const struct measure_eps *e, size_t i);

/*
 * The episode open on D among e->ep[lo..hi): the one with the latest DECOM,
 * or -1 when none.  *several (may be NULL) is set when more than one is
 * open, a data error the caller raises as a DQ warning (§0.1).
 */
long measure_eps_open_on(const struct measure_eps *e, size_t lo, size_t hi, date_t d,
                         bool *several);

/* ---------------------------------------------------------------- ages and UASC */

/*
 * Date of birth of child k of a load: the Header DOB, else (when `row` is
 * given) the DOB in column `dob_col` of that row (an OC2/OC3 row, §0.4).
 * DATE_NONE when unknown.
 */
date_t measure_903_dob(const struct ssda903_load *ld, uint32_t k, const struct ssda903_row *row,
                       int dob_col);
/* Age in completed years on d; -1 when unknown (dob not known or d before dob). */
int measure_age_on(date_t dob, date_t d);
/*
 * OC3 age (§0.4): the age reached on the birthday that falls in year Y —
 * Y − birth year when the DOB is 1 January–31 March, else Y − 1 − birth
 * year.  -1 when the DOB is unknown.
 */
int measure_age_oc3(date_t dob, int year);

/*
 * UASC on d (§0.4): the child has a UASC row whose DUC is blank or after d;
 * without UASC rows, the Header UASC flag "1" (from the XML) counts.
 */
bool measure_903_uasc_on(const struct ssda903_load *ld, uint32_t k, date_t d);

/* ---------------------------------------------------------------- working days (§0.6) */

enum measure_wd_result {
        MEASURE_WD_OK,          /* *days set */
        MEASURE_WD_UNKNOWN,     /* a date blank or bad: excluded */
        MEASURE_WD_NEGATIVE,    /* e < s: excluded, DQ warning raised */
        MEASURE_WD_OUT_OF_TABLE /* outside the bank-holiday table: excluded, DQ warning raised */
};
/*
 * Working days from s to e (days d with s < d <= e, Monday–Friday, not a
 * bank holiday).  Anything but MEASURE_WD_OK means the record is excluded
 * from numerator and denominator; for NEGATIVE and OUT_OF_TABLE a DQ warning
 * naming `child` has been counted on v (v NULL: none is raised, the caller
 * records its own).  Never a guess.
 */
enum measure_wd_result measure_working_days(struct measure_ctx *ctx, struct measure_value *v,
                                            const char *child, date_t s, date_t e, int *days);

/* ---------------------------------------------------------------- rates (§0.7) */

/*
 * Make v a rate per 10,000: the denominator is the population serving
 * reporting year w->year (mid-(year−1)).  Without one, the denominator and
 * value stay empty and the note says "no population for mid-YYYY": another
 * year's population is never used.  The engine calls this for every
 * MEASURE_RATE_PER_10K measure; returns 1 when a population was found.
 */
int measure_rate_denominator(struct measure_ctx *ctx, const struct measure_window *w,
                             struct measure_value *v);

/*
 * Same day-month `months` calendar months earlier (negative: later); 29
 * February goes to 28 February in a year without one (§1 re-referrals).
 */
date_t measure_months_before(date_t d, int months);

#endif
