/*
 * cin_o3.c — Outcome 3 measures from the CIN census (measures.md §3):
 * Section 47 enquiries, initial conferences within 15 working days, and
 * child protection plans (at 31 March, second or subsequent, lasting two
 * years or more).
 */
#include "measures/cin_util.h"
#include "measures/util.h"

#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- s47_rate_per_10k */

/* Enquiries, not children: a child with two S47s counts twice. */
static void build_s47(struct measure_ctx *ctx, const struct cin_load *l, int year,
                      struct mcin_series *s)
{
        (void)ctx;
        (void)year;
        const struct cin_table *t = &l->table[CIN_Section47];
        for (size_t i = 0; i < t->n; i++)
                mcin_event(s, t->rows[i].d[CIN_S47_S47ActualStartDate], true, false,
                           t->rows[i].v[CIN_S47_LAchildID]);
}

static const char key_s47;

static int m_s47_rate(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        return mcin_flow(ctx, &key_s47, build_s47, w, out, false);
}

/* ---------------------------------------------------------------- icpc_15wd_pct */

/*
 * Section 47 modules with an initial conference in the window, timed from
 * the S47 start.  Conferences recorded only on CINdetails (transfer-in, no
 * S47) are not in this table, so they are left out as §3 says.
 */
static void build_icpc(struct measure_ctx *ctx, const struct cin_load *l, int year,
                       struct mcin_series *s)
{
        (void)year;
        const struct cin_table *t = &l->table[CIN_Section47];
        for (size_t i = 0; i < t->n; i++) {
                const struct cin_row *r = &t->rows[i];
                date_t icpc = r->d[CIN_S47_DateOfInitialCPC];
                if (!measure_date_known(icpc))
                        continue;
                if (cin_bool(r->v[CIN_S47_ICPCnotRequired]) == 1)
                        continue;
                const char *child = r->v[CIN_S47_LAchildID];
                int days;
                switch (measure_working_days(ctx, NULL, child, r->d[CIN_S47_S47ActualStartDate],
                                             icpc, &days)) {
                case MEASURE_WD_OK:
                        mcin_event(s, icpc, days <= 15, true, child);
                        break;
                case MEASURE_WD_UNKNOWN:
                        mcin_event_dq(s, icpc, child,
                                      "initial conference with no valid S47 start date: left out");
                        break;
                case MEASURE_WD_NEGATIVE:
                        mcin_event_dq(s, icpc, child,
                                      "initial conference before the S47 started: left out");
                        break;
                case MEASURE_WD_OUT_OF_TABLE:
                        mcin_event_dq(s, icpc, child,
                                      "S47 dates outside the bank-holiday table: left out");
                        break;
                }
        }
}

static const char key_icpc;

static int m_icpc_15wd(struct measure_ctx *ctx, const struct measure_window *w,
                       struct measure_value *out)
{
        return mcin_flow(ctx, &key_icpc, build_icpc, w, out, true);
}

/* ---------------------------------------------------------------- cpp_rate_per_10k */

static void snap_cpp_children(struct measure_ctx *ctx, const struct cin_load *l, const date_t *at,
                              size_t nat, struct mcin_snap *s, bool report)
{
        const struct cin_table *t = &l->table[CIN_ChildProtectionPlans];
        for (size_t c = 0; c < l->nchildren; c++) {
                size_t first, n = mcin_child_rows(l, c, CIN_ChildProtectionPlans, &first);
                if (n == 0)
                        continue;
                for (size_t k = 0; k < nat; k++) {
                        bool open = false;
                        for (size_t i = first; i < first + n && !open; i++)
                                open = measure_open_on(t->rows[i].d[CIN_CPP_CPPstartDate],
                                                       t->rows[i].d[CIN_CPP_CPPendDate], at[k]);
                        if (!open)
                                continue;
                        mcin_snap_add(&s[k], true, false);
                        if (report)
                                measure_counted(ctx, l->children[c].LAchildID, true);
                }
        }
}

static const char key_cpp_children;

static int m_cpp_rate(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        return mcin_snapshot(ctx, &key_cpp_children, snap_cpp_children, w, out, false);
}

/* ---------------------------------------------------------------- cpp_second_subsequent_pct */

/* NumberOfPreviousCPP >= 1; blank or not a number says nothing. */
static bool previous_plans(const char *cell)
{
        if (!cell)
                return false;
        char *end;
        long v = strtol(cell, &end, 10);
        return end != cell && *end == '\0' && v >= 1;
}

/*
 * A plan starting in the window is a second or subsequent plan when the
 * census says so (NumberOfPreviousCPP >= 1) or any census held has an
 * earlier plan start for the child — anywhere in time, as DfE counts.
 */
static void build_cpp_second(struct measure_ctx *ctx, const struct cin_load *l, int year,
                             struct mcin_series *s)
{
        const struct mcin_lookback *lb = mcin_lookback(ctx);
        const uint32_t *gid = mcin_lookback_children(lb, ctx, year);
        date_t ys = date_year_start(year), ye = date_year_end(year);
        const struct cin_table *t = &l->table[CIN_ChildProtectionPlans];
        for (size_t i = 0; i < t->n; i++) {
                const struct cin_row *r = &t->rows[i];
                date_t d = r->d[CIN_CPP_CPPstartDate];
                if (!measure_date_known(d))
                        continue;
                if (d < ys || d > ye)
                        continue; /* read from its own year's census */
                bool second =
                    previous_plans(r->v[CIN_CPP_NumberOfPreviousCPP]) ||
                    (r->child < l->nchildren && mcin_plan_between(lb, gid[r->child], DATE_NONE, d));
                mcin_event(s, d, second, true, r->v[CIN_CPP_LAchildID]);
        }
}

static const char key_cpp_second;

static int m_cpp_second(struct measure_ctx *ctx, const struct measure_window *w,
                        struct measure_value *out)
{
        return mcin_flow(ctx, &key_cpp_second, build_cpp_second, w, out, true);
}

/* ---------------------------------------------------------------- cpp_2yrs_plus_at31_pct */

/* Plans (not children) open at each date; of which started at least 24 months before. */
static void snap_cpp_2yrs(struct measure_ctx *ctx, const struct cin_load *l, const date_t *at,
                          size_t nat, struct mcin_snap *s, bool report)
{
        date_t cut[12];
        for (size_t k = 0; k < nat; k++)
                cut[k] = measure_months_before(at[k], 24);
        const struct cin_table *t = &l->table[CIN_ChildProtectionPlans];
        for (size_t i = 0; i < t->n; i++) {
                const struct cin_row *r = &t->rows[i];
                date_t start = r->d[CIN_CPP_CPPstartDate];
                for (size_t k = 0; k < nat; k++) {
                        if (!measure_open_on(start, r->d[CIN_CPP_CPPendDate], at[k]))
                                continue;
                        bool longer = start <= cut[k];
                        mcin_snap_add(&s[k], longer, true);
                        if (report)
                                measure_counted(ctx, r->v[CIN_CPP_LAchildID], longer);
                }
        }
}

static const char key_cpp_2yrs;

static int m_cpp_2yrs_at31(struct measure_ctx *ctx, const struct measure_window *w,
                           struct measure_value *out)
{
        return mcin_snapshot(ctx, &key_cpp_2yrs, snap_cpp_2yrs, w, out, true);
}

/* ---------------------------------------------------------------- cpp_ended_2yrs_plus_pct */

/*
 * Plans ending in the window; of which the end is on or after the start + 2
 * calendar years (a 29 February start reaches its two years on 28 February).
 */
static void build_cpp_ended(struct measure_ctx *ctx, const struct cin_load *l, int year,
                            struct mcin_series *s)
{
        (void)ctx;
        (void)year;
        const struct cin_table *t = &l->table[CIN_ChildProtectionPlans];
        for (size_t i = 0; i < t->n; i++) {
                const struct cin_row *r = &t->rows[i];
                date_t end = r->d[CIN_CPP_CPPendDate];
                if (!measure_date_known(end))
                        continue;
                const char *child = r->v[CIN_CPP_LAchildID];
                date_t start = r->d[CIN_CPP_CPPstartDate];
                if (!measure_date_known(start)) {
                        mcin_event(s, end, false, true, child);
                        mcin_event_dq(s, end, child,
                                      "plan ended with no valid start date: counted as "
                                      "under 2 years");
                        continue;
                }
                if (end < start)
                        mcin_event_dq(s, end, child, "plan ends before it starts");
                mcin_event(s, end, end >= measure_months_before(start, -24), true, child);
        }
}

static const char key_cpp_ended;

static int m_cpp_ended_2yrs(struct measure_ctx *ctx, const struct measure_window *w,
                            struct measure_value *out)
{
        return mcin_flow(ctx, &key_cpp_ended, build_cpp_ended, w, out, true);
}

/* ---------------------------------------------------------------- the table */

/* clang-format off */
const struct measure_def measures_cin_o3[] = {
    {"s47_rate_per_10k", "Section 47 enquiries started in the year, rate per 10,000 children",
     MEASURE_OUTCOME_3, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_DERIVE_RATE, "c4_section47_and_initial_child_protection_conferences", "",
      "Section47", NULL, 0, 1, "C4 file not in the local set"},
     m_s47_rate, NULL, 0},
    {"icpc_15wd_pct", "Initial child protection conferences within 15 working days of the S47 start (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_HIGHER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_RATIO, "c4_section47_and_initial_child_protection_conferences", "",
      "Duration_0-10_days+Duration_11-15_days", "Duration_*",
      0, 1, "C4 file not in the local set; denominator is the sum of the four Duration_* bands"},
     m_icpc_15wd, NULL, 0},
    {"cpp_rate_per_10k", "Children subject to a child protection plan at 31 March, rate per 10,000 children",
     MEASURE_OUTCOME_3, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_DERIVE_RATE, "d5_cpps_at31march_by_duration",
      "category=Child Protection Plans by length of time", "CPP_At31", NULL, 1, 1, NULL},
     m_cpp_rate, NULL, 0},
    {"cpp_second_subsequent_pct", "Plans starting in the year that were a second or subsequent plan (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK,
     {MEASURE_BENCH_VALUE, "d3_cpps_subsequent_plan",
      "category=Child Protection Plans which are a second or subsequent plan",
      "CPP_subsequent_percent", NULL, 1, 1, NULL},
     m_cpp_second, NULL, 0},
    {"cpp_2yrs_plus_at31_pct", "Plans open at 31 March that had lasted 2 years or more (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, "d5_cpps_at31march_by_duration",
      "category=Child Protection Plans by length of time", "2_years_or_more_percent", NULL, 1, 1,
      "LA values are often suppressed; national and regional values shown"},
     m_cpp_2yrs_at31, NULL, 0},
    {"cpp_ended_2yrs_plus_pct", "Plans ended in the year that had lasted 2 years or more (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_CIN,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 1,
      "plans ending by duration: not in the local set"},
     m_cpp_ended_2yrs, NULL, 0},
    {0},
};
/* clang-format on */
