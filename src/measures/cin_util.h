/*
 * cin_util.h — shared machinery of the CIN census measures (cin_o1.c,
 * cin_o3.c); internal to src/measures.
 *
 * Every CIN measure is either a flow (events dated in the window: referrals,
 * assessments authorised, S47 starts, plans started or ended) or a snapshot
 * (what is open at the window's end).  Both are computed once per census
 * and kept in the ctx caches, so that the 25 windows a year has (the year,
 * twelve months, twelve rolling points) cost a lookup each:
 *
 *  - a flow measure's build function lists one census's events with their
 *    date and whether each counts in the numerator and the denominator;
 *    only events dated in that census's own collection year are kept (an
 *    event is read from the return of its year, measure.h), so a window is
 *    a sum over prefix sums, year by year;
 *  - a snapshot function counts at one date; results at month ends are kept
 *    per census and month.
 *
 * Look-back across censuses (re-referrals, earlier plans) uses a sorted
 * (child, date) index over every census the history holds (§0.5).
 */
#ifndef IMPROVE_MEASURE_CIN_UTIL_H
#define IMPROVE_MEASURE_CIN_UTIL_H

#include "measures/measure.h"
#include "returns/cin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mcin_dq;

/*
 * One census's events and DQ problems of a flow.  Private to cin_util.c: it
 * is here only so that mcin_event(), called for every row of a census, is
 * inlined in the build functions.
 */
struct mcin_event {
        date_t d;
        uint8_t num, den;
        const char *child;
};

struct mcin_series {
        struct arena *arena;
        date_t ys, ye; /* the census's collection year */
        struct mcin_event *ev;
        size_t n, cap;
        int64_t *cnum, *cden; /* prefix sums, [n + 1] */
        struct mcin_dq *dq;
        size_t ndq, dqcap;
};

/* Room for one more event (cin_util.c). */
void mcin_series_grow(struct mcin_series *s);

/* Add one event of a census (ignored unless d lies in the census's year). */
static inline void mcin_event(struct mcin_series *s, date_t d, bool num, bool den,
                              const char *child)
{
        if (d < s->ys || d > s->ye)
                return;
        if (s->n == s->cap)
                mcin_series_grow(s);
        s->ev[s->n] = (struct mcin_event){d, num, den, child};
        s->n++;
}
/*
 * A DQ problem dated d (ignored unless d lies in the census's year); replayed
 * in windows.  `text` is a static string: it is kept, not copied, and only
 * formatted when a DQ hook listens.
 */
void mcin_event_dq(struct mcin_series *s, date_t d, const char *child, const char *text);

/* List the events of census `l` (collection year `year`) with mcin_event. */
typedef void (*mcin_build_fn)(struct measure_ctx *ctx, const struct cin_load *l, int year,
                              struct mcin_series *s);

/*
 * A flow value: the sums over the events dated in the window, each year's
 * read from that year's census.  Sets has_numerator, and has_denominator
 * when `with_den`.  `key` identifies the measure's cache (a static in the
 * measure file).
 */
int mcin_flow(struct measure_ctx *ctx, const void *key, mcin_build_fn build,
              const struct measure_window *w, struct measure_value *out, bool with_den);

/* A DQ problem kept with a flow or snapshot. */
struct mcin_dq {
        date_t d;
        const char *child;
        const char *text;
};

/* The result of a snapshot at one date. */
struct mcin_snap {
        struct arena *arena;
        int64_t num, den;
        struct mcin_dq *dq;
        size_t ndq, dqcap;
};

static inline void mcin_snap_add(struct mcin_snap *s, bool num, bool den)
{
        s->num += num;
        s->den += den;
}

/* A DQ problem of a snapshot; `text` static as for mcin_event_dq. */
void mcin_snap_dq(struct mcin_snap *s, const char *child, const char *text);
/*
 * Count census `l` at each of the dates at[0..nat) (ascending) into s[k]
 * (mcin_snap_add, mcin_snap_dq); nat <= 12; one pass over the census serves every date,
 * so the twelve month ends of a year cost about one.  When `report` (nat is
 * then 1), also call measure_counted() for each child counted.
 */
typedef void (*mcin_snap_fn)(struct measure_ctx *ctx, const struct cin_load *l, const date_t *at,
                             size_t nat, struct mcin_snap *s, bool report);

/* A snapshot value at w->end from census w->year (the engine checked it is held). */
int mcin_snapshot(struct measure_ctx *ctx, const void *key, mcin_snap_fn fn,
                  const struct measure_window *w, struct measure_value *out, bool with_den);

/* ---------------------------------------------------------------- look-back index */

/*
 * Look-back across censuses (§0.5): every child of every census held gets a
 * number (the same LAchildID in two censuses, the same number; a child
 * without LAchildID a number of its own), and each number lists its
 * referral dates and plan start dates from every census.  Built once per ctx.
 */
struct mcin_lookback;
const struct mcin_lookback *mcin_lookback(struct measure_ctx *ctx);
/* The numbers of the children of the census of `year` (indexed like l->children). */
const uint32_t *mcin_lookback_children(const struct mcin_lookback *lb,
                                       const struct measure_ctx *ctx, int year);
/* Whether child `gid` has a referral (a plan start) dated d with lo <= d < hi. */
bool mcin_referral_between(const struct mcin_lookback *lb, uint32_t gid, date_t lo, date_t hi);
bool mcin_plan_between(const struct mcin_lookback *lb, uint32_t gid, date_t lo, date_t hi);
/* The earliest referral date of child `gid` in any census, or DATE_NONE when it has none. */
date_t mcin_first_referral(const struct mcin_lookback *lb, uint32_t gid);

/* The rows of table t of child c: *first set, count returned. */
static inline size_t mcin_child_rows(const struct cin_load *l, size_t c, enum cin_table_id t,
                                     size_t *first)
{
        *first = l->children[c].first[t];
        return l->children[c].n[t];
}

#endif
