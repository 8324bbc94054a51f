/*
 * workforce.c — the workforce enabler (measures.md §6): read from the
 * children's social work workforce census only.  Authorities cannot compute
 * these from their returns, so the rows have no function; `improve measures`
 * shows the published LA value beside the year with the same number, labelled
 * as the 30 September snapshot it is.
 */
#include "measures/measure.h"

#include <stddef.h>

#define WF_NOTE "workforce census, 30 September snapshot"

/* clang-format off */
const struct measure_def measures_workforce[] = {
    {"sw_turnover_rate_pct", "Social worker turnover rate, FTE (%)",
     MEASURE_ENABLER_WORKFORCE, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_PUBLISHED,
     MEASURE_PERIODS_ANNUAL, 12, 0,
     {MEASURE_BENCH_VALUE, "csww_indicators", "", "turnover_rate_fte", NULL, 1, 1, WF_NOTE},
     NULL, NULL, 0},
    {"sw_agency_rate_pct", "Agency social worker rate, FTE (%)",
     MEASURE_ENABLER_WORKFORCE, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_PUBLISHED,
     MEASURE_PERIODS_ANNUAL, 12, 0,
     {MEASURE_BENCH_VALUE, "csww_indicators", "", "agency_rate_fte", NULL, 1, 1, WF_NOTE},
     NULL, NULL, 0},
    {"sw_vacancy_rate_pct", "Social worker vacancy rate, FTE (%)",
     MEASURE_ENABLER_WORKFORCE, MEASURE_PERCENT, BENCH_LOWER_BETTER, MEASURE_SRC_PUBLISHED,
     MEASURE_PERIODS_ANNUAL, 12, 0,
     {MEASURE_BENCH_VALUE, "csww_indicators", "", "vacancy_rate_fte", NULL, 1, 1, WF_NOTE},
     NULL, NULL, 0},
    {"sw_caseload_avg", "Average caseload per case-holding FTE social worker",
     MEASURE_ENABLER_WORKFORCE, MEASURE_AVERAGE, BENCH_LOWER_BETTER, MEASURE_SRC_PUBLISHED,
     MEASURE_PERIODS_ANNUAL, 12, 0,
     {MEASURE_BENCH_VALUE, "csww_indicators", "", "caseload_fte", NULL, 1, 1, WF_NOTE},
     NULL, NULL, 0},
    {0},
};
/* clang-format on */
