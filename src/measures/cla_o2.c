/*
 * cla_o2.c — Outcome 2 measures from the SSDA903 (measures.md §2): the share
 * of children ceasing to be looked after who left on a special guardianship
 * order, or on a residence / child arrangements order.
 *
 * A ceased child is counted once, on the last cessation in the window, and
 * the reason is that episode's REC (§0.4).
 */
#include "measures/cla_util.h"

/* The REC codes of a share (the row's arg). */
static const char *const rec_sgo[] = {"E45", "E46", "E47", "E48", NULL};
static const char *const rec_cao[] = {"E41", NULL};

static int m_ceased_share(struct measure_ctx *ctx, const struct measure_window *w,
                          struct measure_value *out)
{
        return mcla_ceased_share(ctx, w, out, ctx->def->arg);
}

#define CEASED_FILE "la_children_who_ceased_during_the_year"

/* clang-format off */
const struct measure_def measures_cla_o2[] = {
    {"cla_ceased_sgo_pct",
     "Children ceasing to be looked after because of a special guardianship order (%)",
     MEASURE_OUTCOME_2, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, CEASED_FILE, "characteristic=Special guardianship order",
      "percentage", NULL, 0, 0, "file not in the local set"},
     m_ceased_share, rec_sgo, 0},
    {"cla_ceased_cao_pct",
     "Children ceasing to be looked after because of a residence or child arrangements order (%)",
     MEASURE_OUTCOME_2, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, CEASED_FILE,
      "characteristic=Residence order or child arrangement order granted", "percentage", NULL,
      0, 0, "file not in the local set"},
     m_ceased_share, rec_cao, 0},
    {0},
};
/* clang-format on */
