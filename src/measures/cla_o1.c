/*
 * cla_o1.c — Outcome 1 measures from the SSDA903 (measures.md §1): children
 * looked after at 31 March, starting and ceasing to be looked after (all
 * rates per 10,000, the engine adding the §0.7 population), UASC starters
 * and the UASC share of children looked after.
 *
 * Short breaks (V3/V4) are left out everywhere (§0.3); see cla_util.h for
 * how snapshots and flows are read from the returns.
 */
#include "measures/cla_util.h"

/* ---------------------------------------------------------------- cla_rate_per_10k */

static int cla_rate(struct measure_ctx *ctx, const struct measure_window *w,
                    struct measure_value *out)
{
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        out->numerator = (int64_t)s->n;
        out->has_numerator = true;
        mcla_snap_dq(ctx, s, out);
        if (ctx->on_child)
                for (size_t i = 0; i < s->n; i++)
                        measure_counted(ctx, mcla_child(s->y, s->v[i].k), true);
        return 0;
}

/* ---------------------------------------------------------------- cla_uasc_pct */

static int uasc_pct(struct measure_ctx *ctx, const struct measure_window *w,
                    struct measure_value *out)
{
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        int64_t num = 0;
        for (size_t i = 0; i < s->n; i++) {
                bool uasc = measure_903_uasc_on(s->y->ld, s->v[i].k, s->at);
                num += uasc;
                measure_counted(ctx, mcla_child(s->y, s->v[i].k), uasc);
        }
        out->numerator = num;
        out->denominator = (int64_t)s->n;
        out->has_numerator = out->has_denominator = true;
        mcla_snap_dq(ctx, s, out);
        return 0;
}

static int m_cla_rate(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        return mcla_at_month_end(ctx, w, out, cla_rate);
}

static int m_uasc_pct(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        return mcla_at_month_end(ctx, w, out, uasc_pct);
}

/* ---------------------------------------------------------------- starts and ceases */

/* Children with a start in the window, once each, on their first start in it. */
static int m_starting_rate(struct measure_ctx *ctx, const struct measure_window *w,
                           struct measure_value *out)
{
        struct mcla_iter it;
        mcla_iter_begin(&it, ctx, MCLA_STARTS, w, false, true);
        int64_t n = 0;
        for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                n++;
                measure_counted(ctx, mcla_child(it.y, e->k), true);
        }
        out->numerator = n;
        out->has_numerator = true;
        return 0;
}

/* Starters who were UASC (§0.4) on the DECOM of their counted (first) start. */
static int m_starting_uasc_rate(struct measure_ctx *ctx, const struct measure_window *w,
                                struct measure_value *out)
{
        struct mcla_iter it;
        mcla_iter_begin(&it, ctx, MCLA_STARTS, w, false, true);
        int64_t n = 0;
        for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                if (!measure_903_uasc_on(it.y->ld, e->k, e->d))
                        continue;
                n++;
                measure_counted(ctx, mcla_child(it.y, e->k), true);
        }
        out->numerator = n;
        out->has_numerator = true;
        return 0;
}

/* Children with a cessation (REC other than X1) in the window, once each. */
static int m_ceasing_rate(struct measure_ctx *ctx, const struct measure_window *w,
                          struct measure_value *out)
{
        struct mcla_iter it;
        mcla_iter_begin(&it, ctx, MCLA_CEASES, w, true, true);
        int64_t n = 0;
        for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                n++;
                if (!e->ep->v[EP_REC])
                        measure_dq(ctx, out, mcla_child(it.y, e->k),
                                   "episode ends with no REC: counted as ceased");
                measure_counted(ctx, mcla_child(it.y, e->k), true);
        }
        out->numerator = n;
        out->has_numerator = true;
        return 0;
}

/* ---------------------------------------------------------------- the table */

#define CLA_RATES "cla_number_and_rate_per_10k_children"

/* clang-format off */
const struct measure_def measures_cla_o1[] = {
    {"cla_rate_per_10k", "Children looked after at 31 March, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, CLA_RATES,
      "population_type=Children looked after on 31 March each year", "rate_per_10000", NULL,
      1, 0, NULL},
     m_cla_rate, NULL, 0},
    {"cla_starting_rate_per_10k",
     "Children starting to be looked after in the year, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, CLA_RATES,
      "population_type=Children starting to be looked after each year", "rate_per_10000", NULL,
      1, 0, NULL},
     m_starting_rate, NULL, 0},
    {"cla_starting_uasc_rate_per_10k",
     "Children starting to be looked after who were UASC, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_DERIVE_RATE, "la_children_who_started_to_be_looked_after_during_the_year",
      "characteristic=Unaccompanied asylum-seeking children", "number", NULL, 0, 0,
      "file not in the local set (filter and column unconfirmed); the dashboard rounds UASC "
      "starters / population x 10000"},
     m_starting_uasc_rate, NULL, 0},
    {"cla_ceasing_rate_per_10k",
     "Children who ceased to be looked after in the year, rate per 10,000 children",
     MEASURE_OUTCOME_1, MEASURE_RATE_PER_10K, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, CLA_RATES,
      "population_type=Children ceasing to be looked after each year", "rate_per_10000", NULL,
      1, 0, NULL},
     m_ceasing_rate, NULL, 0},
    {"cla_uasc_pct", "Children looked after at 31 March who are UASC (%)",
     MEASURE_OUTCOME_1, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, "la_cla_on_31_march_by_characteristics",
      "characteristic=Unaccompanied asylum-seeking children", "percentage", NULL, 0, 0,
      "file not in the local set (filter and column unconfirmed)"},
     m_uasc_pct, NULL, 0},
    {0},
};
/* clang-format on */
