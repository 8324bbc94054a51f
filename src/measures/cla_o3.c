/*
 * cla_o3.c — Outcome 3 measures from the SSDA903 (measures.md §3): children
 * looked after who went missing or were away from placement, incidents per
 * missing child, and convictions of children looked after 12 months or more
 * (from the OC2 cohort of §4.4).
 *
 * The missing-from-care measures are for internal use only and never ranked
 * across authorities: authorities record missing incidents against very
 * different thresholds (DfE removed them from its dashboard).
 */
#include "measures/cla_util.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- missing and away */

/*
 * One window's counts, shared by the three measures: the children looked
 * after during the window (a non-V3/V4 episode overlapping it, §0.3), and
 * among them who had a missing ("M") or away ("A") incident starting in it.
 * Each year's part of the window is read from that year's return.
 */
struct missing_counts {
        int64_t cohort;
        int64_t missing_children, missing_incidents;
        int64_t away_children;
};

enum { REPORT_NONE, REPORT_MISSING, REPORT_INCIDENTS, REPORT_AWAY };

static void missing_count(struct measure_ctx *ctx, const struct measure_window *w,
                          struct missing_counts *c, int report)
{
        memset(c, 0, sizeof *c);
        int first = date_collection_year(w->start);
        date_t a, b;
        /* Set 0: looked after during the window; 1: went missing; 2: away. */
        struct mcla_marks *in = mcla_marks_begin(ctx, 0);
        size_t ncohort = 0, cap = 0;
        uint32_t *cohort = NULL; /* gids, kept only to report the children */
        for (int yr = first; yr <= w->year; yr++) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (!y || !mcla_portion_of(w, y, &a, &b))
                        continue;
                /* Windows are whole calendar months: the months of the part in this year. */
                uint16_t months = mcla_months(mcla_month_of(a), mcla_month_of(b));
                const uint16_t *mask = mcla_month_masks(ctx, y);
                for (uint32_t k = 0; k < y->ld->nchildren; k++) {
                        if (!(mask[k] & months) || !mcla_mark(in, y->gid[k]))
                                continue;
                        c->cohort++;
                        if (report) {
                                cohort = xgrow(cohort, &cap, ncohort + 1, sizeof *cohort);
                                cohort[ncohort++] = y->gid[k];
                        }
                }
        }
        struct mcla_marks *missing = mcla_marks_begin(ctx, 1), *away = mcla_marks_begin(ctx, 2);
        for (int yr = first; yr <= w->year; yr++) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (!y || !mcla_portion_of(w, y, &a, &b))
                        continue;
                const struct ssda903_table *t = &y->ld->t[SSDA903_MISSING];
                for (size_t i = 0; i < t->n; i++) {
                        const struct ssda903_row *r = &t->rows[i];
                        const char *kind = r->v[MI_MISSING];
                        uint32_t gid = y->gid[r->child];
                        if (!kind || kind[1] || r->d[MI_MIS_START] < a || r->d[MI_MIS_START] > b ||
                            !mcla_marked(in, gid))
                                continue;
                        if (kind[0] == 'M') {
                                c->missing_incidents++;
                                c->missing_children += mcla_mark(missing, gid);
                        } else if (kind[0] == 'A') {
                                c->away_children += mcla_mark(away, gid);
                        }
                }
        }
        if (report) {
                /* The ids of the gids reported: any return of the window holds them. */
                for (size_t i = 0; i < ncohort; i++) {
                        uint32_t gid = cohort[i];
                        const char *id = NULL;
                        for (int yr = w->year; yr >= first && !id; yr--) {
                                const struct mcla_year *y = mcla_year(ctx, yr);
                                uint32_t k = mcla_k_of(y, gid);
                                if (k != MCLA_NONE)
                                        id = mcla_child(y, k);
                        }
                        bool miss = mcla_marked(missing, gid), gone = mcla_marked(away, gid);
                        if (report == REPORT_MISSING)
                                measure_counted(ctx, id, miss);
                        else if (report == REPORT_AWAY)
                                measure_counted(ctx, id, gone);
                        else if (miss)
                                measure_counted(ctx, id, true);
                }
                free(cohort);
        }
}

static const char key_missing;

static const struct missing_counts *missing_get(struct measure_ctx *ctx,
                                                const struct measure_window *w, int report,
                                                struct missing_counts *tmp)
{
        if (ctx->on_child) {
                missing_count(ctx, w, tmp, report);
                return tmp;
        }
        void **slot = mcla_slot(ctx, &key_missing, w);
        if (!slot) {
                missing_count(ctx, w, tmp, REPORT_NONE);
                return tmp;
        }
        if (!*slot) {
                struct missing_counts *c = arena_alloc(&ctx->arena, sizeof *c);
                missing_count(ctx, w, c, REPORT_NONE);
                *slot = c;
        }
        return *slot;
}

static int m_missing_pct(struct measure_ctx *ctx, const struct measure_window *w,
                         struct measure_value *out)
{
        struct missing_counts tmp;
        const struct missing_counts *c = missing_get(ctx, w, REPORT_MISSING, &tmp);
        out->numerator = c->missing_children;
        out->denominator = c->cohort;
        out->has_numerator = out->has_denominator = true;
        measure_note(ctx, out,
                     "internal use only: missing incidents are recorded against "
                     "different thresholds; never ranked");
        return 0;
}

static int m_missing_incidents(struct measure_ctx *ctx, const struct measure_window *w,
                               struct measure_value *out)
{
        struct missing_counts tmp;
        const struct missing_counts *c = missing_get(ctx, w, REPORT_INCIDENTS, &tmp);
        out->numerator = c->missing_incidents;
        out->denominator = c->missing_children;
        out->has_numerator = out->has_denominator = true;
        measure_note(ctx, out,
                     "internal use only: missing incidents are recorded against "
                     "different thresholds; never ranked");
        return 0;
}

static int m_away_pct(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        struct missing_counts tmp;
        const struct missing_counts *c = missing_get(ctx, w, REPORT_AWAY, &tmp);
        out->numerator = c->away_children;
        out->denominator = c->cohort;
        out->has_numerator = out->has_denominator = true;
        measure_note(ctx, out,
                     "internal use only: away-from-placement incidents are recorded "
                     "against different thresholds; never ranked");
        return 0;
}

/* ---------------------------------------------------------------- oc2_convicted_10_17_pct */

static int m_convicted(struct measure_ctx *ctx, const struct measure_window *w,
                       struct measure_value *out)
{
        return mcla_oc2_share(ctx, w, out, O2_CONVICTED, 10, 17, -1);
}

/* ---------------------------------------------------------------- the table */

#define MISSING_FLAGS (MEASURE_NEVER_RANK | MEASURE_INTERNAL_ONLY)
#define MISSING_BENCH                                                                              \
        {                                                                                          \
                MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0,                                  \
                    "DfE removed missing-from-care indicators from its dashboard: no benchmark"    \
        }

/* clang-format off */
const struct measure_def measures_cla_o3[] = {
    {"cla_missing_children_pct",
     "Children looked after who had a missing incident in the year (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MISSING_FLAGS, MISSING_BENCH, m_missing_pct, NULL, 0},
    {"cla_missing_incidents_per_missing_child",
     "Missing incidents per child looked after who went missing",
     MEASURE_OUTCOME_3, MEASURE_AVERAGE, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MISSING_FLAGS, MISSING_BENCH, m_missing_incidents, NULL, 0},
    {"cla_away_children_pct",
     "Children looked after who were away from placement without authorisation in the year (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MISSING_FLAGS, MISSING_BENCH, m_away_pct, NULL, 0},
    {"oc2_convicted_10_17_pct",
     "Children looked after 12 months or more aged 10 to 17 convicted or given a youth caution "
     "in the year (%)",
     MEASURE_OUTCOME_3, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ANNUAL, 12, 0,
     {MEASURE_BENCH_VALUE, "la_conviction_health_outcome_cla",
      "characteristic=Convictions: Children looked after Ages 10 to 17 years|breakdown=Convicted "
      "or subject to youth cautions, or youth conditional cautions during the year",
      "children_percent", NULL, 1, 0, NULL},
     m_convicted, NULL, 0},
    {0},
};
/* clang-format on */
