/*
 * context.c — context measures (measures.md §7): the population aged 0–17,
 * the denominator of every rate.  Shown from the imported ONS estimates
 * (mid-(Y−1) against reporting year Y); no function yet — the `improve
 * measures` step reads it from the store's populations.
 */
#include "measures/measure.h"

#include <stddef.h>

/* clang-format off */
const struct measure_def measures_context[] = {
    {"population_0_17", "Children aged 0 to 17 (ONS mid-year estimate, mid-(Y-1))",
     MEASURE_CONTEXT, MEASURE_COUNT, BENCH_NEUTRAL, MEASURE_SRC_PUBLISHED,
     MEASURE_PERIODS_ANNUAL, 12, MEASURE_NEVER_RANK,
     {MEASURE_BENCH_VALUE, "ons_mid-year_population_estimates",
      "age_group=Children aged 0 to 17 years", "population_estimate", NULL, 1, 0,
      "ONS mid-year estimate for the mid-year before the reporting year"},
     NULL, NULL, 0},
    {0},
};
/* clang-format on */
