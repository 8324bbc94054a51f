/*
 * cla_o4_oc2.c — health and wellbeing of children looked after 12 months or
 * more (measures.md §4.4, annual only): health assessments, immunisations,
 * dental checks, development checks of the under-fives, substance misuse and
 * interventions, and the strengths and difficulties questionnaire (SDQ).
 *
 * The cohort and its data-quality warnings (a cohort child with no OC2 row
 * counts in the denominator only; rows of children outside the cohort are
 * ignored) come from mcla_oc2_cohort().  Convictions, also from OC2, are an
 * Outcome 3 measure (cla_o3.c).
 */
#include "measures/cla_util.h"

#include <stdio.h>
#include <string.h>

/* A flag share: which column counts, the age band, and a column the denominator needs. */
struct flag_share {
        int num_col;
        int age_lo, age_hi; /* -1: all ages */
        int den_col;        /* -1: the whole cohort (of the band) */
};

static const struct flag_share fs_health = {O2_HEALTH_ASSESSMENT, -1, -1, -1};
static const struct flag_share fs_immunisations = {O2_IMMUNISATIONS, -1, -1, -1};
static const struct flag_share fs_teeth = {O2_TEETH_CHECK, -1, -1, -1};
static const struct flag_share fs_development = {O2_HEALTH_CHECK, 0, 4, -1};
static const struct flag_share fs_substance = {O2_SUBSTANCE_MISUSE, -1, -1, -1};
static const struct flag_share fs_intervention = {O2_INTERVENTION_RECEIVED, -1, -1,
                                                  O2_SUBSTANCE_MISUSE};

static int m_flag_share(struct measure_ctx *ctx, const struct measure_window *w,
                        struct measure_value *out)
{
        const struct flag_share *f = ctx->def->arg;
        return mcla_oc2_share(ctx, w, out, f->num_col, f->age_lo, f->age_hi, f->den_col);
}

/* ---------------------------------------------------------------- SDQ */

/* A valid SDQ score: an integer 0-40 (digits only); -1 otherwise. */
static int sdq_score(const char *v)
{
        if (!v || !*v)
                return -1;
        int s = 0;
        for (const char *p = v; *p; p++) {
                if (*p < '0' || *p > '9' || p - v >= 2)
                        return -1;
                s = s * 10 + (*p - '0');
        }
        return s <= 40 ? s : -1;
}

enum sdq_kind { SDQ_RECEIVED, SDQ_AVERAGE, SDQ_NORMAL, SDQ_BORDERLINE, SDQ_CONCERN };

/*
 * Among the cohort aged 5 to 16 at 31 March: received = valid scores / the
 * children; the average and the bands are over the valid scores (normal
 * 0-13, borderline 14-16, concern 17-40).
 */
static int m_sdq(struct measure_ctx *ctx, const struct measure_window *w, struct measure_value *out)
{
        enum sdq_kind kind = (enum sdq_kind)(*(const int *)ctx->def->arg);
        const struct mcla_oc2 *c = mcla_oc2_cohort(ctx, w);
        if (!c)
                return 0;
        const struct mcla_year *y = mcla_year(ctx, w->year);
        int64_t children = 0, valid = 0, sum = 0, band = 0;
        int64_t reasons[6] = {0}; /* SDQ1..SDQ5, other */
        for (size_t i = 0; i < c->n; i++) {
                const struct mcla_oc2_child *ch = &c->v[i];
                if (ch->age < 5 || ch->age > 16)
                        continue;
                children++;
                int s = ch->oc2 ? sdq_score(ch->oc2->v[O2_SDQ_SCORE]) : -1;
                const char *child = mcla_child(y, ch->k);
                if (s < 0) {
                        const char *r = ch->oc2 ? ch->oc2->v[O2_SDQ_REASON] : NULL;
                        if (r && strncmp(r, "SDQ", 3) == 0 && r[3] >= '1' && r[3] <= '5' && !r[4])
                                reasons[r[3] - '1']++;
                        else if (r)
                                reasons[5]++;
                        if (kind == SDQ_RECEIVED)
                                measure_counted(ctx, child, false);
                        continue;
                }
                valid++;
                sum += s;
                bool in_band = (kind == SDQ_NORMAL && s <= 13) ||
                               (kind == SDQ_BORDERLINE && s >= 14 && s <= 16) ||
                               (kind == SDQ_CONCERN && s >= 17);
                band += in_band;
                measure_counted(ctx, child, kind == SDQ_RECEIVED || kind == SDQ_AVERAGE || in_band);
        }
        switch (kind) {
        case SDQ_RECEIVED:
                out->numerator = valid;
                out->denominator = children;
                if (reasons[0] + reasons[1] + reasons[2] + reasons[3] + reasons[4] + reasons[5])
                        measure_note(ctx, out,
                                     "reasons for no score: SDQ1 %lld, SDQ2 %lld, SDQ3 %lld, "
                                     "SDQ4 %lld, SDQ5 %lld, other %lld",
                                     (long long)reasons[0], (long long)reasons[1],
                                     (long long)reasons[2], (long long)reasons[3],
                                     (long long)reasons[4], (long long)reasons[5]);
                break;
        case SDQ_AVERAGE:
                out->numerator = sum;
                out->denominator = valid;
                break;
        default:
                out->numerator = band;
                out->denominator = valid;
                break;
        }
        out->has_numerator = out->has_denominator = true;
        mcla_oc2_dq(ctx, c, out);
        return 0;
}

static const int sdq_received = SDQ_RECEIVED, sdq_average = SDQ_AVERAGE, sdq_normal = SDQ_NORMAL,
                 sdq_borderline = SDQ_BORDERLINE, sdq_concern = SDQ_CONCERN;

/* ---------------------------------------------------------------- the table */

#define OC2_FILE "la_conviction_health_outcome_cla"
#define HEALTH   "characteristic=Health assessments: Children looked after all ages|breakdown="
#define DEVELOP                                                                                    \
        "characteristic=Development assessments: Children looked after ages 0 to 4 years|"         \
        "breakdown="
#define SUBST "characteristic=Substance misuse: Children looked after all ages|breakdown="
#define SDQ   "characteristic=Ages 5 to 16 years with SDQ score|breakdown="
#define ROW(id, title, pol, fn, arg, filters, column, dp, unit)                                    \
        {                                                                                          \
                id, title, MEASURE_OUTCOME_4, unit, pol, MEASURE_SRC_903, MEASURE_PERIODS_ANNUAL,  \
                    12, 0, {MEASURE_BENCH_VALUE, OC2_FILE, filters, column, NULL, 1, dp, NULL},    \
                    fn, arg, 0                                                                     \
        }

/* clang-format off */
const struct measure_def measures_cla_o4_oc2[] = {
    ROW("oc2_health_assessment_pct",
        "Children looked after 12 months or more who had their annual health assessment (%)",
        BENCH_HIGHER_BETTER, m_flag_share, &fs_health,
        HEALTH "Had their annual health assessment", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_immunisations_pct",
        "Children looked after 12 months or more with immunisations up to date (%)",
        BENCH_HIGHER_BETTER, m_flag_share, &fs_immunisations,
        HEALTH "Had their immunisations up to date", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_dental_check_pct",
        "Children looked after 12 months or more who had their teeth checked by a dentist (%)",
        BENCH_HIGHER_BETTER, m_flag_share, &fs_teeth,
        HEALTH "Had their teeth checked by a dentist", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_development_check_u5_pct",
        "Children looked after 12 months or more aged 0 to 4 with development assessments up to "
        "date (%)",
        BENCH_HIGHER_BETTER, m_flag_share, &fs_development,
        DEVELOP "Development assessments up to date", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_substance_misuse_pct",
        "Children looked after 12 months or more identified as having a substance misuse "
        "problem (%)",
        BENCH_LOWER_BETTER, m_flag_share, &fs_substance,
        SUBST "Identified as having a substance misuse problem", "children_percent", 0,
        MEASURE_PERCENT),
    ROW("oc2_substance_intervention_received_pct",
        "Children with a substance misuse problem who received an intervention (%)",
        BENCH_HIGHER_BETTER, m_flag_share, &fs_intervention,
        SUBST "Received an intervention for their substance misuse problem", "children_percent",
        0, MEASURE_PERCENT),
    ROW("oc2_sdq_received_pct",
        "Children looked after 12 months or more aged 5 to 16 with an SDQ score (%)",
        BENCH_HIGHER_BETTER, m_sdq, &sdq_received,
        SDQ "SDQ score was received", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_sdq_average", "Average SDQ score of children looked after 12 months or more",
        BENCH_LOWER_BETTER, m_sdq, &sdq_average,
        SDQ "SDQ average score", "children_count", 1, MEASURE_AVERAGE),
    ROW("oc2_sdq_normal_pct", "SDQ scores in the normal range (%)",
        BENCH_HIGHER_BETTER, m_sdq, &sdq_normal,
        SDQ "SDQ score is normal", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_sdq_borderline_pct", "SDQ scores in the borderline range (%)",
        BENCH_NEUTRAL, m_sdq, &sdq_borderline,
        SDQ "SDQ score is borderline", "children_percent", 0, MEASURE_PERCENT),
    ROW("oc2_sdq_concern_pct", "SDQ scores that are a cause for concern (%)",
        BENCH_LOWER_BETTER, m_sdq, &sdq_concern,
        SDQ "SDQ score is a cause for concern", "children_percent", 0, MEASURE_PERCENT),
    {0},
};
/* clang-format on */
