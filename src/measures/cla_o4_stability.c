/*
 * cla_o4_stability.c — Outcome 4 stability measures from the SSDA903
 * (measures.md §4.1): three or more placements in the year, long-term
 * placement stability, three or more social workers, and placements more
 * than 20 miles from home (at 31 March, and new placements in the year).
 *
 * Placements are counted over the episodes of the window (§0.4): V3/V4 and
 * temporary (T0-T4) episodes dropped, the earliest counting one, each later
 * RNE S/P/B one more.  Distances are the loader's PL_DISTANCE, which exists
 * only when a postcode lookup was given: without it the distance measures
 * are "not available", never guessed.
 */
#include "measures/cla_util.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- cla_placements_3plus_pct */

/* Placements of a child in the window (§4.1 counting, with its known simplification). */
static int placements_in(const struct measure_eps *e)
{
        int count = 0;
        for (size_t i = 0; i < e->n; i++) {
                const struct ssda903_row *r = e->ep[i];
                if (measure_ep_short_break(r) || measure_place_temporary(r->v[EP_PLACE]))
                        continue;
                if (count == 0 || measure_rne_new_placement(r->v[EP_RNE]))
                        count++;
        }
        return count;
}

/* What placements_in() asks of an episode, worked out once per row. */
enum { PL_COUNTS = 1, PL_NEW = 2 }; /* not V3/V4 nor T0-T4; RNE S/P/B */

/*
 * An Episodes row as the placement count reads it, laid out in the table's
 * per-child order (ssda903_child_rows: a child's rows are consecutive), so
 * that a child's episodes are read from one short run of memory instead of
 * through a pointer to each row and another to its dates.
 */
struct pl_row {
        date_t decom, dec;
        uint8_t cls; /* PL_ bits */
};

static const char key_pl_rows;

/* The pl_rows of return y (by position in t->sorted), made once per authority. */
static const struct pl_row *placement_rows(struct measure_ctx *ctx, const struct mcla_year *y)
{
        struct pl_row **per = measure_cache_get(ctx, &key_pl_rows);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * sizeof *per);
                measure_cache_put(ctx, &key_pl_rows, per, NULL);
        }
        size_t yi = (size_t)(measure_history_year(ctx->h, y->year) - ctx->h->years);
        if (!per[yi]) {
                const struct ssda903_table *t = &y->ld->t[SSDA903_EPISODES];
                struct pl_row *v = arena_alloc(&ctx->arena, (t->n + 1) * sizeof *v);
                for (size_t i = 0; t->sorted && i < t->n; i++) {
                        const struct ssda903_row *r = t->sorted[i];
                        bool counts =
                            !measure_ep_short_break(r) && !measure_place_temporary(r->v[EP_PLACE]);
                        v[i] = (struct pl_row){
                            r->d[EP_DECOM], r->d[EP_DEC],
                            (uint8_t)((counts ? PL_COUNTS : 0) |
                                      (measure_rne_new_placement(r->v[EP_RNE]) ? PL_NEW : 0))};
                }
                per[yi] = v;
        }
        return per[yi];
}

/* The pl_rows of child k of return y: *n set. */
static const struct pl_row *child_pl_rows(const struct mcla_year *y, const struct pl_row *v,
                                          uint32_t k, size_t *n)
{
        const struct ssda903_table *t = &y->ld->t[SSDA903_EPISODES];
        if (!t->first) {
                *n = 0;
                return NULL;
        }
        *n = t->first[k + 1] - t->first[k];
        return v + t->first[k];
}

/* r comes before q in mcla_window_episodes' (stable) sort of the earlier returns' episodes. */
static bool sorts_before(const struct pl_row *r, const struct pl_row *q)
{
        return r->decom < q->decom || (r->decom == q->decom && r->dec < q->dec);
}

/*
 * placements_in() of the list mcla_window_episodes() makes, without making
 * it, for a window that reads at most one earlier return (every 12-month
 * window); -1 for any other.  The count is 1 for the first counting episode
 * and 1 for each later one with RNE S/P/B, so only the number of counting
 * episodes, how many start a placement and which comes first matter.  The
 * list is the earlier return's episodes starting before the child's
 * earliest in `top` and overlapping its part of the window, sorted by DECOM
 * then DEC (stably), then top's episodes overlapping its part, in order.
 * pl_top and pl_prev are placement_rows() of top and of top->prev.
 */
static int placements_fast(const struct mcla_year *top, const struct pl_row *pl_top,
                           const struct pl_row *pl_prev, const struct measure_window *w,
                           uint32_t gid)
{
        uint32_t kt = mcla_k_of(top, gid);
        if (kt == MCLA_NONE)
                return 0;
        size_t nt;
        const struct pl_row *cur = child_pl_rows(top, pl_top, kt, &nt);
        if (nt == 0)
                return 0;
        date_t a, b, earliest = cur[0].decom;
        int counting = 0, new_ones = 0;
        const struct pl_row *first = NULL;
        const struct mcla_year *y = top->prev;
        if (y && y->ye >= w->start) {
                if (y->prev && y->prev->ye >= w->start)
                        return -1;
                uint32_t k = mcla_k_of(y, gid);
                if (k != MCLA_NONE && measure_date_known(earliest) &&
                    mcla_portion_of(w, y, &a, &b)) {
                        size_t n;
                        const struct pl_row *rows = child_pl_rows(y, pl_prev, k, &n);
                        for (size_t j = 0; j < n; j++) {
                                const struct pl_row *r = &rows[j];
                                if (!measure_date_known(r->decom) || r->decom >= earliest ||
                                    !(r->cls & PL_COUNTS) ||
                                    !measure_overlaps(r->decom, r->dec, a, b))
                                        continue;
                                counting++;
                                new_ones += (r->cls & PL_NEW) != 0;
                                if (!first || sorts_before(r, first))
                                        first = r;
                        }
                }
        }
        if (mcla_portion_of(w, top, &a, &b)) {
                for (size_t i = 0; i < nt; i++) {
                        const struct pl_row *r = &cur[i];
                        if (!(r->cls & PL_COUNTS) || !measure_overlaps(r->decom, r->dec, a, b))
                                continue;
                        counting++;
                        new_ones += (r->cls & PL_NEW) != 0;
                        if (!first)
                                first = r;
                }
        }
        if (counting == 0)
                return 0;
        return 1 + new_ones - ((first->cls & PL_NEW) != 0);
}

static int m_placements_3plus(struct measure_ctx *ctx, const struct measure_window *w,
                              struct measure_value *out)
{
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        struct measure_eps e;
        measure_eps_init(&e);
        int64_t num = 0;
        const struct pl_row *pl_top = placement_rows(ctx, s->y);
        const struct pl_row *pl_prev = s->y->prev ? placement_rows(ctx, s->y->prev) : NULL;
        for (size_t i = 0; i < s->n; i++) {
                uint32_t k = s->v[i].k;
                int placements = placements_fast(s->y, pl_top, pl_prev, w, s->y->gid[k]);
                if (placements < 0) {
                        mcla_window_episodes(s->y, w, s->y->gid[k], &e);
                        placements = placements_in(&e);
                }
                bool three = placements >= 3;
                num += three;
                measure_counted(ctx, mcla_child(s->y, k), three);
        }
        measure_eps_release(&e);
        out->numerator = num;
        out->denominator = (int64_t)s->n;
        out->has_numerator = out->has_denominator = true;
        mcla_snap_dq(ctx, s, out);
        return 0;
}

/* ---------------------------------------------------------------- cla_long_term_stability_pct */

/* The last day of the month `months` months before the month of `end`. */
static date_t month_end_before(date_t end, int months)
{
        int y, m, d;
        date_to_ymd(end, &y, &m, &d);
        return date_month_end(date_add_months(date_from_ymd(y, m, 1), -months));
}

/*
 * At M: children looked after (not a short break), under 16, whose period
 * of care began on or before the end of the month 30 months earlier (30
 * September Y-3 at 31 March Y); of them, those whose placement began on or
 * before the end of the month 24 months earlier (31 March Y-2).
 */
static int long_term(struct measure_ctx *ctx, const struct measure_window *w,
                     struct measure_value *out)
{
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        date_t poc_by = month_end_before(s->at, 30), placed_by = month_end_before(s->at, 24);
        /* Aged 16 or more at M: born on or before the same day 16 years earlier (M is a month
         * end, and 16 years keep 29 February). */
        int my, mm, md;
        date_to_ymd(s->at, &my, &mm, &md);
        date_t sixteen_by = date_ymd_valid(my - 16, mm, md) ? date_from_ymd(my - 16, mm, md)
                                                            : date_from_ymd(my - 16, mm, md - 1);
        int64_t num = 0, den = 0;
        bool unsure = false;
        for (size_t i = 0; i < s->n; i++) {
                uint32_t k = s->v[i].k;
                const char *child = mcla_child(s->y, k);
                date_t dob = measure_903_dob(s->y->ld, k, NULL, -1);
                if (!measure_date_known(dob) || dob > s->at) {
                        measure_dq(ctx, out, child, "no valid date of birth: left out");
                        continue;
                }
                if (dob <= sixteen_by)
                        continue;
                const struct mcla_walk *wk = mcla_walk(ctx, s->y, s->v[i].ep);
                if (wk->poc_start > poc_by) {
                        unsure |= wk->poc_unsure;
                        continue;
                }
                bool same = wk->pl_start <= placed_by;
                unsure |= !same && wk->pl_unsure;
                den++;
                num += same;
                measure_counted(ctx, child, same);
        }
        out->numerator = num;
        out->denominator = den;
        out->has_numerator = out->has_denominator = true;
        mcla_snap_dq(ctx, s, out);
        if (unsure) {
                out->lookback_incomplete = true;
                measure_note(ctx, out,
                             "incomplete look-back: a period of care or placement may have "
                             "started in a return not held");
        }
        return 0;
}

/* ---------------------------------------------------------------- cla_sw_3plus_pct */

/* The window's returns all carry the SWEpisodes table (from 2023-24); else say which does not. */
static bool sw_held(struct measure_ctx *ctx, const struct measure_window *w,
                    struct measure_value *out)
{
        for (int yr = date_collection_year(w->start); yr <= w->year; yr++) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (y && !ssda903_has(y->ld, SSDA903_SW_EPISODES)) {
                        measure_note(ctx, out,
                                     "not available: the %d return has no SWEpisodes table "
                                     "(collected from 2023-24)",
                                     yr);
                        return false;
                }
        }
        return true;
}

/*
 * Distinct SW_IDs of a child's social worker episodes overlapping the window,
 * up to `enough`; `first` is the collection year of the window's start.
 */
static int social_workers(const struct mcla_year *top, const struct measure_window *w, int first,
                          uint32_t gid, int enough)
{
        const char *seen[8];
        int n = 0;
        date_t a, b;
        for (const struct mcla_year *y = top; y && y->year >= first && n < enough; y = y->prev) {
                uint32_t k = mcla_k_of(y, gid);
                if (k == MCLA_NONE || !mcla_portion_of(w, y, &a, &b))
                        continue;
                size_t nr;
                struct ssda903_row *const *rows =
                    ssda903_child_rows(&y->ld->t[SSDA903_SW_EPISODES], k, &nr);
                for (size_t i = 0; i < nr && n < enough; i++) {
                        const char *id = rows[i]->v[SW_SW_ID];
                        if (!id ||
                            !measure_overlaps(rows[i]->d[SW_SW_DECOM], rows[i]->d[SW_SW_DEC], a, b))
                                continue;
                        bool dup = false;
                        for (int j = 0; j < n && !dup; j++)
                                dup = strcmp(seen[j], id) == 0;
                        if (!dup)
                                seen[n++] = id;
                }
        }
        return n;
}

static int m_sw_3plus(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        if (!sw_held(ctx, w, out))
                return 0;
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        int64_t num = 0;
        int first = date_collection_year(w->start);
        for (size_t i = 0; i < s->n; i++) {
                uint32_t k = s->v[i].k;
                bool three = social_workers(s->y, w, first, s->y->gid[k], 3) >= 3;
                num += three;
                measure_counted(ctx, mcla_child(s->y, k), three);
        }
        out->numerator = num;
        out->denominator = (int64_t)s->n;
        out->has_numerator = out->has_denominator = true;
        mcla_snap_dq(ctx, s, out);
        return 0;
}

/* ---------------------------------------------------------------- distances */

/*
 * PL_DISTANCE in tenths of a mile, or -1 when unknown (blank, not a number,
 * or DfE's 999.9 sentinel).  The loader writes it with one decimal.
 */
static long distance_tenths(const char *v)
{
        if (!v || !*v)
                return -1;
        long whole = 0, tenths = 0;
        const char *p = v;
        if (*p < '0' || *p > '9')
                return -1;
        for (; *p >= '0' && *p <= '9'; p++)
                if ((whole = whole * 10 + (*p - '0')) > 100000)
                        return -1;
        if (*p == '.') {
                p++;
                if (*p >= '0' && *p <= '9')
                        tenths = *p++ - '0';
                while (*p >= '0' && *p <= '9') /* further digits only refine: > 20.0 holds */
                        if (*p++ != '0' && tenths == 0 && whole == 20)
                                tenths = 1;
        }
        if (*p)
                return -1;
        long d = whole * 10 + tenths;
        return d == 9999 ? -1 : d;
}

static const char key_distances;

/*
 * distance_tenths() of every Episodes row of return y (by row index), worked
 * out once per authority: the month ends and windows read the same rows
 * many times over.
 */
static const int32_t *distances(struct measure_ctx *ctx, const struct mcla_year *y)
{
        int32_t **per = measure_cache_get(ctx, &key_distances);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * sizeof *per);
                measure_cache_put(ctx, &key_distances, per, NULL);
        }
        size_t yi = (size_t)(measure_history_year(ctx->h, y->year) - ctx->h->years);
        if (!per[yi]) {
                const struct ssda903_table *t = &y->ld->t[SSDA903_EPISODES];
                int32_t *d = arena_alloc(&ctx->arena, (t->n + 1) * sizeof *d);
                for (size_t i = 0; i < t->n; i++)
                        d[i] = (int32_t)distance_tenths(t->rows[i].v[EP_PL_DISTANCE]);
                per[yi] = d;
        }
        return per[yi];
}

/* Every return the window touches was loaded with the postcode lookup; else say which not. */
static bool distances_held(struct measure_ctx *ctx, const struct measure_window *w,
                           struct measure_value *out)
{
        for (int yr = date_collection_year(w->start); yr <= w->year; yr++) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (y && !y->ld->postcodes_applied) {
                        measure_note(ctx, out,
                                     "not available: distances (PL_DISTANCE) need the postcode "
                                     "lookup, not given for the %d return",
                                     yr);
                        return false;
                }
        }
        return true;
}

static int placed_over_20(struct measure_ctx *ctx, const struct measure_window *w,
                          struct measure_value *out)
{
        if (!distances_held(ctx, w, out))
                return 0;
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        int64_t num = 0, unknown = 0;
        const int32_t *dist = distances(ctx, s->y);
        for (size_t i = 0; i < s->n; i++) {
                long d = dist[s->v[i].ep->index];
                unknown += d < 0;
                num += d > 200;
                measure_counted(ctx, mcla_child(s->y, s->v[i].k), d > 200);
        }
        out->numerator = num;
        out->denominator = (int64_t)s->n;
        out->has_numerator = out->has_denominator = true;
        if (unknown)
                measure_note(ctx, out, "distance not known for %lld of %zu children",
                             (long long)unknown, s->n);
        mcla_snap_dq(ctx, s, out);
        return 0;
}

static int m_long_term(struct measure_ctx *ctx, const struct measure_window *w,
                       struct measure_value *out)
{
        return mcla_at_month_end(ctx, w, out, long_term);
}

static int m_placed_over_20(struct measure_ctx *ctx, const struct measure_window *w,
                            struct measure_value *out)
{
        return mcla_at_month_end(ctx, w, out, placed_over_20);
}

/* Episodes starting a new placement in the window (not T0-T4, not V3/V4): each one counts. */
static int m_new_over_20(struct measure_ctx *ctx, const struct measure_window *w,
                         struct measure_value *out)
{
        if (!distances_held(ctx, w, out))
                return 0;
        struct mcla_iter it;
        mcla_iter_begin(&it, ctx, MCLA_PLACEMENTS, w, false, false);
        int64_t num = 0, den = 0, unknown = 0;
        const struct mcla_year *dy = NULL; /* the return `dist` belongs to */
        const int32_t *dist = NULL;
        for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                if (it.y != dy) {
                        dy = it.y;
                        dist = distances(ctx, dy);
                }
                long d = dist[e->ep->index];
                den++;
                unknown += d < 0;
                num += d > 200;
                measure_counted(ctx, mcla_child(it.y, e->k), d > 200);
        }
        out->numerator = num;
        out->denominator = den;
        out->has_numerator = out->has_denominator = true;
        if (unknown)
                measure_note(ctx, out, "distance not known for %lld of %lld new placements",
                             (long long)unknown, (long long)den);
        return 0;
}

/* ---------------------------------------------------------------- the table */

#define STABILITY "la_cla_placement_stability"

/* clang-format off */
const struct measure_def measures_cla_o4_stability[] = {
    {"cla_placements_3plus_pct",
     "Children looked after at 31 March with 3 or more placements during the year (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_NO_MONTH, 12, MEASURE_LOOKBACK,
     {MEASURE_BENCH_VALUE, STABILITY,
      "cla_group=CLA on 31 March|placement_stability=With 3 or more placements during the year",
      "children_percent", NULL, 1, 0, NULL},
     m_placements_3plus, NULL, 0},
    {"cla_long_term_stability_pct", "Long-term placement stability (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_HIGHER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK,
     {MEASURE_BENCH_VALUE, STABILITY,
      "cla_group=Children looked after continuously for at least 2.5 years on 31 March aged "
      "under 16 years|placement_stability=Living with the same carer for at least 2 years",
      "children_percent", NULL, 1, 0, NULL},
     m_long_term, NULL, 0},
    {"cla_sw_3plus_pct",
     "Children looked after at 31 March with 3 or more social workers during the year (%)",
     MEASURE_ENABLER_WORKFORCE, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_NO_MONTH, 12, MEASURE_LOOKBACK,
     {MEASURE_BENCH_VALUE, "la_cla_swcount",
      "cla_group=CLA on 31 March|sw_stability=3 or more social workers during the year",
      "percentage", NULL, 1, 0, "published for 2024 only in the local set"},
     m_sw_3plus, NULL, 0},
    {"cla_placed_over_20_miles_pct",
     "Children looked after at 31 March placed more than 20 miles from home (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, "la_cla_on_31_march_by_characteristics",
      "characteristic=Placed more than 20 miles from home", "percentage", NULL, 0, 0,
      "file not in the local set"},
     m_placed_over_20, NULL, 0},
    {"new_placements_over_20_miles_pct",
     "New placements in the year more than 20 miles from home (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_RATIO, "la_cla_during_year_new_placements",
      "characteristic=Location of new placements during the year",
      "children_count[breakdown=Placed inside LA boundary more than 20 miles from home]+"
      "children_count[breakdown=Placed outside LA boundary more than 20 miles from home]",
      "children_count[breakdown=Total new placements]", 1, 0,
      "sum of the two 'more than 20 miles' breakdowns / 'Total new placements'"},
     m_new_over_20, NULL, 0},
    {0},
};
/* clang-format on */
