/*
 * cin_o1.c — Outcome 1 measures from the CIN census (measures.md §1):
 * children in need at 31 March, referrals, re-referrals within 12 months,
 * assessments within 45 working days.
 *
 * Unborn children and NFA referrals are counted like any other (§0.5).
 */
#include "measures/cin_util.h"
#include "measures/util.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- cin_rate_per_10k */

/*
 * How many of the dates at[0..nat) (ascending) lie before day d: from a
 * table of the days between the first and the last date (the month ends of
 * a year span 335 days), so that each episode costs two look-ups.
 */
struct at_rank {
        const date_t *at;
        size_t nat;
        bool table;
        uint8_t below[400]; /* [d - at[0] - 1] for at[0] < d <= at[nat - 1] */
};

static void at_rank_init(struct at_rank *r, const date_t *at, size_t nat)
{
        r->at = at;
        r->nat = nat;
        r->table = nat > 0 && nat < 256 && at[nat - 1] - at[0] < (date_t)sizeof r->below;
        if (!r->table)
                return;
        size_t k = 1; /* at[0] < d */
        for (date_t d = at[0] + 1; d <= at[nat - 1]; d++) {
                while (k < nat && at[k] < d)
                        k++;
                r->below[d - at[0] - 1] = (uint8_t)k;
        }
}

static size_t at_rank(const struct at_rank *r, date_t d)
{
        if (r->nat == 0 || d <= r->at[0])
                return 0;
        if (d > r->at[r->nat - 1])
                return r->nat;
        if (r->table)
                return r->below[d - r->at[0] - 1];
        size_t lo = 1, hi = r->nat; /* the first k >= 1 with at[k] >= d, by halving */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (r->at[mid] < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/*
 * Children with a CIN episode open at each date, once each (two open is a DQ
 * warning).  A child with one CINdetails row (most) is open on the run of
 * dates from the first on or after the referral to the last before the
 * closure: it is added to a difference array, summed into s[] at the end,
 * instead of being looked at date by date; children with several rows (who
 * may be open twice, a DQ problem reported in child order) and the
 * per-child report take the date-by-date walk.
 */
static void snap_cin_open(struct measure_ctx *ctx, const struct cin_load *l, const date_t *at,
                          size_t nat, struct mcin_snap *s, bool report)
{
        const struct cin_table *cd = &l->table[CIN_CINdetails];
        int open[12];
        int64_t diff[13] = {0};
        struct at_rank rank;
        at_rank_init(&rank, at, nat);
        for (size_t c = 0; c < l->nchildren; c++) {
                size_t first, n = mcin_child_rows(l, c, CIN_CINdetails, &first);
                if (n == 0)
                        continue;
                if (n == 1 && !report) {
                        const struct cin_row *r = &cd->rows[first];
                        date_t ref = r->d[CIN_CD_CINreferralDate];
                        date_t close = r->d[CIN_CD_CINclosureDate];
                        if (!measure_date_known(ref))
                                continue;
                        if (!measure_date_known(close))
                                close = INT32_MAX; /* blank (or bad): still open */
                        /* open at at[k] for ref <= at[k] < close */
                        size_t k0 = at_rank(&rank, ref), k1 = at_rank(&rank, close);
                        if (k0 < k1) {
                                diff[k0]++;
                                diff[k1]--;
                        }
                        continue;
                }
                memset(open, 0, sizeof open);
                bool any = false;
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *r = &cd->rows[i];
                        date_t ref = r->d[CIN_CD_CINreferralDate];
                        date_t close = r->d[CIN_CD_CINclosureDate];
                        if (!measure_date_known(ref))
                                continue;
                        if (!measure_date_known(close))
                                close = INT32_MAX; /* blank (or bad): still open */
                        /* at[] ascends: open at at[k] for ref <= at[k] < close */
                        for (size_t k = 0; k < nat && at[k] < close; k++)
                                if (ref <= at[k]) {
                                        open[k]++;
                                        any = true;
                                }
                }
                if (!any)
                        continue;
                const char *child = l->children[c].LAchildID;
                for (size_t k = 0; k < nat; k++) {
                        if (!open[k])
                                continue;
                        mcin_snap_add(&s[k], true, false);
                        if (report)
                                measure_counted(ctx, child, true);
                        if (open[k] > 1)
                                mcin_snap_dq(&s[k], child,
                                             "more than one CIN episode open at the snapshot "
                                             "date: child counted once");
                }
        }
        int64_t run = 0;
        for (size_t k = 0; k < nat; k++) {
                run += diff[k];
                s[k].num += run;
        }
}

static const char key_cin_open;

static int m_cin_rate(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        return mcin_snapshot(ctx, &key_cin_open, snap_cin_open, w, out, false);
}

/* ---------------------------------------------------------------- referrals_rate_per_10k */

static void build_referrals(struct measure_ctx *ctx, const struct cin_load *l, int year,
                            struct mcin_series *s)
{
        (void)ctx;
        (void)year;
        const struct cin_table *cd = &l->table[CIN_CINdetails];
        for (size_t i = 0; i < cd->n; i++)
                mcin_event(s, cd->rows[i].d[CIN_CD_CINreferralDate], true, false,
                           cd->rows[i].v[CIN_CD_LAchildID]);
}

static const char key_referrals;

static int m_referrals_rate(struct measure_ctx *ctx, const struct measure_window *w,
                            struct measure_value *out)
{
        return mcin_flow(ctx, &key_referrals, build_referrals, w, out, false);
}

/* ---------------------------------------------------------------- rereferrals_12m_pct */

/*
 * A referral on R is a re-referral when the child has another referral on
 * R0 with R − 12 months <= R0 < R, in any census held; a referral on the
 * same date is not an earlier one.
 */
static void build_rereferrals(struct measure_ctx *ctx, const struct cin_load *l, int year,
                              struct mcin_series *s)
{
        const struct mcin_lookback *lb = mcin_lookback(ctx);
        const uint32_t *gid = mcin_lookback_children(lb, ctx, year);
        date_t ys = date_year_start(year), ye = date_year_end(year);
        const struct cin_table *cd = &l->table[CIN_CINdetails];
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                date_t d = r->d[CIN_CD_CINreferralDate];
                if (!measure_date_known(d))
                        continue;
                if (d < ys || d > ye)
                        continue; /* read from its own year's census */
                /* A first referral (none dated before it) needs no look-back window. */
                bool re = false;
                if (r->child < l->nchildren) {
                        uint32_t g = gid[r->child];
                        date_t first = mcin_first_referral(lb, g);
                        re = first != DATE_NONE && first < d &&
                             mcin_referral_between(lb, g, measure_months_before(d, 12), d);
                }
                mcin_event(s, d, re, true, r->v[CIN_CD_LAchildID]);
        }
}

static const char key_rereferrals;

static int m_rereferrals(struct measure_ctx *ctx, const struct measure_window *w,
                         struct measure_value *out)
{
        /* The first months' look-back reaches into the year before the window's first. */
        int before = date_collection_year(w->start) - 1;
        if (!measure_history_cin(ctx->h, before)) {
                out->lookback_incomplete = true;
                measure_note(ctx, out, "incomplete look-back: no CIN census for %d", before);
        }
        return mcin_flow(ctx, &key_rereferrals, build_rereferrals, w, out, true);
}

/* ---------------------------------------------------------------- assessments_45wd_pct */

static void build_assessments(struct measure_ctx *ctx, const struct cin_load *l, int year,
                              struct mcin_series *s)
{
        (void)year;
        const struct cin_table *as = &l->table[CIN_Assessments];
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *r = &as->rows[i];
                date_t done = r->d[CIN_AS_AssessmentAuthorisationDate];
                if (!measure_date_known(done))
                        continue; /* not yet authorised: not counted */
                const char *child = r->v[CIN_AS_LAchildID];
                date_t start = r->d[CIN_AS_AssessmentActualStartDate];
                int days;
                switch (measure_working_days(ctx, NULL, child, start, done, &days)) {
                case MEASURE_WD_OK:
                        mcin_event(s, done, days <= 45, true, child);
                        break;
                case MEASURE_WD_UNKNOWN:
                        mcin_event_dq(s, done, child,
                                      "assessment authorised with no valid start date: left out");
                        break;
                case MEASURE_WD_NEGATIVE:
                        mcin_event_dq(s, done, child,
                                      "assessment authorised before it started: left out");
                        break;
                case MEASURE_WD_OUT_OF_TABLE:
                        mcin_event_dq(s, done, child,
                                      "assessment dates outside the bank-holiday table: left out");
                        break;
                }
        }
}

static const char key_assessments;

static int m_assessments_45wd(struct measure_ctx *ctx, const struct measure_window *w,
                              struct measure_value *out)
{
        return mcin_flow(ctx, &key_assessments, build_assessments, w, out, true);
}

/* ---------------------------------------------------------------- the table */

/* clang-format off */
const struct measure_def measures_cin_o1[] = {
    {"cin_rate_per_10k", "Children in need at 31 March, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_DERIVE_RATE, "b1_children_in_need", "category=Children in Need",
      "At31_episodes", NULL, 1, 1, NULL},
     m_cin_rate, NULL, 0},
    {"referrals_rate_per_10k", "Referrals in the year, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_DERIVE_RATE, "c1_children_in_need_referrals_and_rereferrals",
      "category=Referrals and Re-referrals", "referral_count", NULL, 1, 1, NULL},
     m_referrals_rate, NULL, 0},
    {"rereferrals_12m_pct", "Re-referrals within 12 months of a previous referral (%)",
     MEASURE_OUTCOME_1, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK,
     {MEASURE_BENCH_VALUE, "c1_children_in_need_referrals_and_rereferrals",
      "category=Referrals and Re-referrals", "rereferral_percent", NULL, 1, 1, NULL},
     m_rereferrals, NULL, 0},
    {"assessments_45wd_pct", "Assessments completed within 45 working days (%)",
     MEASURE_OUTCOME_1, MEASURE_PERCENT, BENCH_HIGHER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_RATIO, "c2_completed_assessments_by_duration", "",
      "Same_day+1-10_days+11-20_days+21-30_days+31-40_days+41-45_days",
      "Assessments_completed", 0, 1, "C2 file not in the local set"},
     m_assessments_45wd, NULL, 0},
    {0},
};
/* clang-format on */
