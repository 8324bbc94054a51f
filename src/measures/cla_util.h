/*
 * cla_util.h — shared machinery of the SSDA903 measures (cla_*.c); internal
 * to src/measures.
 *
 * An authority's 903 measures ask the same few questions of every return,
 * many times over: who is looked after at a month end (a snapshot), which
 * episodes start, cease or begin a placement in a window (flows), where a
 * child's period of care and placement began (walks back over the history,
 * §0.4), who is in the OC2 cohort and who the OC3 care leavers are.  Each
 * answer is worked out once per return and kept in the ctx caches, so that
 * the 25 windows of a year (the year, twelve months, twelve rolling points)
 * and the many measures reading them cost a lookup or a short scan each.
 *
 * Reading rules (measure.h): a snapshot at D is read from the return of the
 * collection year containing D; an event dated d from the return of d's
 * year, so a rolling window spanning two years counts nothing twice; a
 * child is followed across returns by its CHILD id (mcla children are
 * numbered once per authority, `gid`).
 *
 * Everything returned lives in ctx->arena until measure_ctx_release().
 * Implemented in cla_util.c, and cla_cohorts.c for the ceased children and
 * the OC2 cohort.
 */
#ifndef IMPROVE_MEASURE_CLA_UTIL_H
#define IMPROVE_MEASURE_CLA_UTIL_H

#include "measures/measure.h"
#include "measures/util.h"
#include "returns/ssda903.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MCLA_NONE UINT32_MAX

/* One SSDA903 return of the history. */
struct mcla_year {
        int year;
        const struct ssda903_load *ld;
        date_t ys, ye;        /* 1 April year-1, 31 March year */
        const uint32_t *gid;  /* [ld->nchildren]: the authority-wide number of each child */
        const uint32_t *k_of; /* [ngid]: child number in this return, or MCLA_NONE */
        uint32_t ngid;
        const struct mcla_year *prev;  /* the return of year-1, or NULL when not held */
        const struct mcla_year *older; /* the nearest earlier return held, or NULL */
};

/* The return of collection year `year`, or NULL when none is held. */
const struct mcla_year *mcla_year(struct measure_ctx *ctx, int year);
/* The child number of gid in return y (MCLA_NONE when the child is not in it, or y is NULL). */
static inline uint32_t mcla_k_of(const struct mcla_year *y, uint32_t gid)
{
        return y && gid < y->ngid ? y->k_of[gid] : MCLA_NONE;
}
/* CHILD id of child k of a return. */
static inline const char *mcla_child(const struct mcla_year *y, uint32_t k)
{
        return y->ld->children[k].id;
}
/* The first row of child k in table t of the return, or NULL. */
const struct ssda903_row *mcla_row(const struct mcla_year *y, int t, uint32_t k);

/*
 * The part of window w that lies in collection year `year`: *a..*b.  False
 * when the window does not touch that year.
 */
bool mcla_portion(const struct measure_window *w, int year, date_t *a, date_t *b);
/* The same for the year of return y (its ys..ye kept, not worked out again). */
static inline bool mcla_portion_of(const struct measure_window *w, const struct mcla_year *y,
                                   date_t *a, date_t *b)
{
        *a = w->start > y->ys ? w->start : y->ys;
        *b = w->end < y->ye ? w->end : y->ye;
        return *a <= *b;
}

/* ---------------------------------------------------------------- marks */

/*
 * Per-child marks for counting a child once in a window: begin a fresh set,
 * then mcla_mark() is true the first time a gid is marked.  MCLA_MARK_SETS
 * independent sets may be in use at once; set 3 belongs to mcla_iter.
 */
enum { MCLA_MARK_SETS = 4 };
struct mcla_marks {
        uint32_t *v; /* [ngid] generation that marked each child */
        uint32_t gen, ngid;
};
struct mcla_marks *mcla_marks_begin(struct measure_ctx *ctx, int set);
static inline bool mcla_mark(struct mcla_marks *m, uint32_t gid)
{
        if (m->v[gid] == m->gen)
                return false;
        m->v[gid] = m->gen;
        return true;
}
static inline bool mcla_marked(const struct mcla_marks *m, uint32_t gid)
{
        return m->v[gid] == m->gen;
}

/* ---------------------------------------------------------------- snapshots (§0.1, §0.3) */

/* A child looked after at the snapshot date, not on a short break. */
struct mcla_cla {
        uint32_t k;                   /* child in the return */
        const struct ssda903_row *ep; /* the episode open that day (latest DECOM) */
        char place[4], ls[4];         /* its PLACE and LS ("" when blank or longer) */
};

struct mcla_snap {
        const struct mcla_year *y;
        date_t at;
        size_t n;
        const struct mcla_cla *v;
        size_t ndq;
        const uint32_t *dq; /* k of children with more than one episode open (a DQ problem) */
};

/*
 * The children looked after at w->end, read from return w->year (which the
 * engine checked is held): each child's open episode, the latest DECOM when
 * several are open; children whose open episode is V3/V4 are left out.
 */
const struct mcla_snap *mcla_snapshot(struct measure_ctx *ctx, const struct measure_window *w);
/* Raise the snapshot's DQ warnings on a value. */
void mcla_snap_dq(struct measure_ctx *ctx, const struct mcla_snap *s, struct measure_value *out);

/*
 * A measure whose value depends only on the snapshot at w->end (the year,
 * the month and the rolling point ending on one month end all give the same
 * value): call fn once per month end and keep its result for the measure
 * (ctx->def).  Without caching when a hook is set (the children and DQ
 * problems are then reported each time).
 */
typedef int (*mcla_fn)(struct measure_ctx *ctx, const struct measure_window *w,
                       struct measure_value *out);
int mcla_at_month_end(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out, mcla_fn fn);

/*
 * The calendar months of return y's year (bit 0 April … bit 11 March) in
 * which each child has an episode that is not a short break: child k was
 * looked after during months i..j (§0.3) when mask[k] & mcla_months(i, j).
 */
const uint16_t *mcla_month_masks(struct measure_ctx *ctx, const struct mcla_year *y);
/* Bits i..j (April 0 … March 11). */
static inline uint16_t mcla_months(int i, int j)
{
        return (uint16_t)(((1u << (j + 1)) - 1u) & ~((1u << i) - 1u));
}
/* Month index (April 0 … March 11) of a date. */
int mcla_month_of(date_t d);

/* ---------------------------------------------------------------- flows */

enum mcla_flow {
        MCLA_STARTS,     /* RNE S, dated DECOM (§0.4 started) */
        MCLA_CEASES,     /* REC other than X1, dated DEC (§0.4 ceased) */
        MCLA_PLACEMENTS, /* RNE S/P/B, not T0-T4, dated DECOM (new placements) */
        MCLA_NFLOWS,
};

/* One event: an episode of a return (never V3/V4), dated in that return's year. */
struct mcla_event {
        date_t d;
        uint32_t k, gid;
        const struct ssda903_row *ep;
};

/*
 * Walk the events of a flow dated in window w, each year's read from its own
 * return, in date order (or latest first when `backward`).  With
 * `once_per_child` a child's later events (earlier ones when backward) are
 * skipped, so forward gives each child's first event in the window and
 * backward each child's last.  Uses mark set 3.
 */
struct mcla_iter {
        struct measure_ctx *ctx;
        struct mcla_marks *marks;
        enum mcla_flow f;
        const struct measure_window *w;
        bool backward, once;
        int year, last_year;
        const struct mcla_year *y; /* the return of the event just returned */
        size_t lo, hi, i;
        bool started;
};
void mcla_iter_begin(struct mcla_iter *it, struct measure_ctx *ctx, enum mcla_flow f,
                     const struct measure_window *w, bool backward, bool once_per_child);
const struct mcla_event *mcla_iter_next(struct mcla_iter *it);

/* v is one of the NULL-terminated codes. */
bool mcla_code_in(const char *v, const char *const *codes);

/*
 * The share of ceased children (each counted once, on their last cessation in
 * the window, §0.4) whose REC is one of `codes`.
 */
int mcla_ceased_share(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out, const char *const *codes);

/* ---------------------------------------------------------------- walking back (§0.4) */

/* Where the period of care and the placement containing an episode began. */
struct mcla_walk {
        date_t poc_start; /* DECOM of the period's first episode */
        date_t pl_start;  /* DECOM of the episode that began the placement (same carer) */
        /*
         * The walk stopped at the earliest episode held and could have gone
         * further: that episode does not start a period (RNE not S) or
         * continues a placement (RNE L/T/U), and the return that would hold
         * the episode before it is not in the history.
         */
        bool poc_unsure, pl_unsure;
};

/*
 * The merged episode history of child k of return y (§0.4): exactly what
 * measure_903_episodes(ctx->h, y->year, id, out) gives, found through the
 * authority-wide child numbers instead of a search by id in every return
 * (tests check the two agree).  Returns out->n.
 */
size_t mcla_history(const struct mcla_year *y, uint32_t k, struct measure_eps *out);

/* The walks of an episode of return y, over the merged history (mcla_history). */
const struct mcla_walk *mcla_walk(struct measure_ctx *ctx, const struct mcla_year *y,
                                  const struct ssda903_row *ep);

/*
 * The child's episodes that count for window w: from each return the window
 * touches, the episodes overlapping that return's part of it, merged as in
 * §0.4 (the return of w->year first; an earlier return's episodes only when
 * they start before the child's earliest episode in a later one).  `top` is
 * the return of w->year, where `gid` must have episodes.  In DECOM order;
 * returns the count.
 */
size_t mcla_window_episodes(const struct mcla_year *top, const struct measure_window *w,
                            uint32_t gid, struct measure_eps *out);

/* ---------------------------------------------------------------- window caches */

/*
 * A slot for one family's result in one window of the engine (the year,
 * a month or a rolling point, of 12 or 36 months), or NULL for a window the
 * engine does not make (then compute without caching).  *slot starts NULL.
 */
void **mcla_slot(struct measure_ctx *ctx, const void *key, const struct measure_window *w);

/* ---------------------------------------------------------------- OC2 cohort (§4.4) */

struct mcla_oc2_child {
        uint32_t k;
        const struct ssda903_row *oc2; /* the child's OC2 row, or NULL */
        int age;                       /* at 31 March, -1 unknown */
};

struct mcla_oc2 {
        size_t n;
        const struct mcla_oc2_child *v;
        /* DQ problems: cohort children with no OC2 row, OC2 rows of children outside it,
         * two episodes open at 31 March */
        size_t ndq;
        const char *const *dq_child;
        const char *const *dq_text;
        bool unsure; /* a period-of-care start could not be seen (look-back incomplete) */
};

/*
 * The OC2 cohort of year w->year (an annual window): looked after at 31
 * March, not on a short break, in a period of care that began on or before
 * 1 April; children with any V3/V4 episode overlapping the year left out.
 */
const struct mcla_oc2 *mcla_oc2_cohort(struct measure_ctx *ctx, const struct measure_window *w);
/* Raise the cohort's DQ warnings on a value. */
void mcla_oc2_dq(struct measure_ctx *ctx, const struct mcla_oc2 *c, struct measure_value *out);
/* A yes/no flag of OC2 is yes ("1"). */
bool mcla_flag_yes(const char *v);

/*
 * An OC2 share (annual): the denominator is the cohort children aged
 * age_lo..age_hi at 31 March (-1, -1: any age) and, when den_col >= 0, whose
 * OC2 column den_col is yes; the numerator those whose column num_col is yes.
 * A cohort child with no OC2 row is in the denominator only (when den_col <
 * 0); a child whose age is unknown is left out of an age-banded share.
 */
int mcla_oc2_share(struct measure_ctx *ctx, const struct measure_window *w,
                   struct measure_value *out, int num_col, int age_lo, int age_hi, int den_col);

#endif
