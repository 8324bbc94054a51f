/*
 * assessments.c — CIN census rules whose module is Assessments: dates
 * (1103, 8608, 8670Q, 8696, 8736, 8863Q, 8896) and the factors identified at
 * assessment (8614, 8869, 8873Q, 8897Q, 8898, 8945Q, 8950Q).
 *
 * An assessment is "completed" when it has an AssessmentAuthorisationDate;
 * its factors are its rows of AssessmentFactorsList.
 *
 * Readings chosen where the definition leaves room:
 *  - 8670Q: an assessment with no end date should not have started before
 *    the reference date less 45 working days (England and Wales).
 *  - 8736 follows the DfE definition (start on or between the start of the
 *    census year and the reference date); the D2I code tests the opposite.
 *  - 8863Q compares the assessments of one episode; an assessment starting
 *    the day another ends is inside it, as the definition says "on or
 *    between".  Two assessments with the same dates are compared too.
 *  - 8873Q fires only for a closed episode (a ReasonForClosure that is not
 *    RC8 or RC9) whose single, completed assessment has factor 21; an open
 *    episode is not yet asked for a reason.
 *  - 8896: "open" is without an AssessmentAuthorisationDate; every open one
 *    of an episode with two or more is reported.
 *  - 8897Q: a completed assessment dated in or after the census year needs at
 *    least one factor and only valid codes (18A and 19A still count as codes;
 *    8945Q and 8950Q query them from 2024/25).
 */
#include "rules/cin/cin_rules.h"

#include <string.h>

static const char *const factor_codes[] = {
    "1A",  "1B",  "1C",  "2A",  "2B",  "2C",  "3A",  "3B",  "3C",  "4A",  "4B",  "4C",
    "5A",  "5B",  "5C",  "6A",  "6B",  "6C",  "7A",  "8B",  "8C",  "8D",  "8E",  "8F",
    "9A",  "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18A", "18B", "18C",
    "19A", "19B", "19C", "20",  "21",  "22A", "23A", "24A", NULL,
};

static const struct cin_table *assessments(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_Assessments];
}

/* Factor rows of assessment a: *first … *first+n-1 of AssessmentFactorsList. */
static size_t factors(struct rule_ctx *ctx, size_t a, size_t *first)
{
        return cin_rows_under(ctx->cin, CIN_AssessmentFactorsList, a, first);
}

static const char *factor(struct rule_ctx *ctx, size_t i)
{
        return ctx->cin->table[CIN_AssessmentFactorsList].rows[i].v[CIN_AF_AssessmentFactor];
}

static const struct cin_row *episode_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->episode == CIN_NO_ROW ? NULL : &ctx->cin->table[CIN_CINdetails].rows[r->episode];
}

static int r_1103(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *a = &as->rows[i], *cd = episode_of(ctx, a);
                date_t start = a->d[CIN_AS_AssessmentActualStartDate];
                if (cd && cin_real(start) && cin_real(cd->d[CIN_CD_CINreferralDate]) &&
                    start < cd->d[CIN_CD_CINreferralDate])
                        cin_reportf(ctx, CIN_Assessments, a, NULL, "started %s, referred %s",
                                    a->v[CIN_AS_AssessmentActualStartDate],
                                    cd->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_8608(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *a = &as->rows[i];
                date_t s = a->d[CIN_AS_AssessmentActualStartDate];
                date_t e = a->d[CIN_AS_AssessmentAuthorisationDate];
                if (cin_real(s) && cin_real(e) && s > e)
                        cin_reportf(ctx, CIN_Assessments, a, NULL, "started %s, completed %s",
                                    a->v[CIN_AS_AssessmentActualStartDate],
                                    a->v[CIN_AS_AssessmentAuthorisationDate]);
        }
        return 0;
}

static int r_8614(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                size_t first;
                if (!as->rows[i].v[CIN_AS_AssessmentAuthorisationDate] && factors(ctx, i, &first))
                        cin_report(ctx, CIN_Assessments, &as->rows[i], NULL, NULL);
        }
        return 0;
}

static int r_8670Q(struct rule_ctx *ctx)
{
        date_t limit;
        if (cin_working_days_before(ctx, ctx->reference_date, 45, &limit) < 0)
                return -1;
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *a = &as->rows[i];
                date_t s = a->d[CIN_AS_AssessmentActualStartDate];
                if (!a->v[CIN_AS_AssessmentAuthorisationDate] && cin_real(s) && s < limit)
                        cin_reportf(ctx, CIN_Assessments, a, NULL, "started %s, not completed",
                                    a->v[CIN_AS_AssessmentActualStartDate]);
        }
        return 0;
}

static int r_8696(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *a = &as->rows[i];
                date_t e = a->d[CIN_AS_AssessmentAuthorisationDate];
                if (cin_real(e) && (e < ctx->start || e > ctx->reference_date))
                        cin_reportf(ctx, CIN_Assessments, a, NULL, "completed %s",
                                    a->v[CIN_AS_AssessmentAuthorisationDate]);
        }
        return 0;
}

static int r_8736(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                const struct cin_row *a = &as->rows[i];
                date_t s = a->d[CIN_AS_AssessmentActualStartDate];
                if (!a->v[CIN_AS_AssessmentAuthorisationDate] && cin_real(s) &&
                    (s < ctx->start || s > ctx->reference_date))
                        cin_reportf(ctx, CIN_Assessments, a, NULL, "started %s, not completed",
                                    a->v[CIN_AS_AssessmentActualStartDate]);
        }
        return 0;
}

static int r_8863Q(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *as = assessments(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_Assessments, e, &first);
                for (size_t a = first; a < first + n; a++) {
                        date_t start = as->rows[a].d[CIN_AS_AssessmentActualStartDate];
                        if (!cin_real(start))
                                continue;
                        for (size_t b = first; b < first + n; b++) {
                                const struct cin_row *o = &as->rows[b];
                                date_t os = o->d[CIN_AS_AssessmentActualStartDate];
                                date_t oe = o->d[CIN_AS_AssessmentAuthorisationDate];
                                if (a == b || !cin_real(os) || start < os)
                                        continue;
                                bool during = cin_real(oe)
                                                  ? start <= oe
                                                  : oe == DATE_NONE && start <= ctx->reference_date;
                                if (during) {
                                        cin_reportf(ctx, CIN_Assessments, &as->rows[a], NULL,
                                                    "starts %s during assessment %s",
                                                    as->rows[a].v[CIN_AS_AssessmentActualStartDate],
                                                    o->v[CIN_AS_AssessmentID]);
                                        break;
                                }
                        }
                }
        }
        return 0;
}

static int r_8869(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                size_t first, n = factors(ctx, i, &first), codes = 0;
                bool none = false;
                for (size_t f = first; f < first + n; f++) {
                        const char *v = factor(ctx, f);
                        codes += v != NULL;
                        none |= v && !strcmp(v, "21");
                }
                if (none && codes > 1)
                        cin_reportf(ctx, CIN_Assessments, &as->rows[i], NULL, "factors %s",
                                    as->rows[i].v[CIN_AS_AssessmentFactors]);
        }
        return 0;
}

static int r_8873Q(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *as = assessments(ctx);
        const struct cin_table *cd = &l->table[CIN_CINdetails];
        for (size_t e = 0; e < cd->n; e++) {
                const char *why = cd->rows[e].v[CIN_CD_ReasonForClosure];
                size_t first;
                if (!why || !strcmp(why, "RC8") || !strcmp(why, "RC9") ||
                    cin_rows_under(l, CIN_Assessments, e, &first) != 1 ||
                    !as->rows[first].v[CIN_AS_AssessmentAuthorisationDate])
                        continue;
                size_t ffirst, n = factors(ctx, first, &ffirst);
                for (size_t f = ffirst; f < ffirst + n; f++) {
                        const char *v = factor(ctx, f);
                        if (v && !strcmp(v, "21")) {
                                cin_reportf(ctx, CIN_Assessments, &as->rows[first], NULL,
                                            "factor 21, closed with %s", why);
                                break;
                        }
                }
        }
        return 0;
}

static int r_8896(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *as = assessments(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_Assessments, e, &first), open = 0;
                for (size_t a = first; a < first + n; a++)
                        open += !as->rows[a].v[CIN_AS_AssessmentAuthorisationDate];
                if (open < 2)
                        continue;
                for (size_t a = first; a < first + n; a++)
                        if (!as->rows[a].v[CIN_AS_AssessmentAuthorisationDate])
                                cin_reportf(ctx, CIN_Assessments, &as->rows[a], NULL,
                                            "%zu open assessments in the episode", open);
        }
        return 0;
}

static int r_8897Q(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                date_t e = as->rows[i].d[CIN_AS_AssessmentAuthorisationDate];
                if (!cin_real(e) || e < ctx->start)
                        continue;
                size_t first, n = factors(ctx, i, &first), given = 0;
                const char *bad = NULL;
                for (size_t f = first; f < first + n; f++) {
                        const char *v = factor(ctx, f);
                        given += v != NULL;
                        if (!bad && !cin_in(v, factor_codes))
                                bad = v ? v : "a blank code";
                }
                if (!given)
                        cin_report(ctx, CIN_Assessments, &as->rows[i], NULL, "no factors");
                else if (bad)
                        cin_reportf(ctx, CIN_Assessments, &as->rows[i], NULL, "'%s' is not a code",
                                    bad);
        }
        return 0;
}

static int r_8898(struct rule_ctx *ctx)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                size_t first, n = factors(ctx, i, &first);
                const char *twice = NULL;
                for (size_t a = first; a < first + n && !twice; a++)
                        for (size_t b = a + 1; b < first + n && !twice; b++)
                                if (factor(ctx, a) && factor(ctx, b) &&
                                    !strcmp(factor(ctx, a), factor(ctx, b)))
                                        twice = factor(ctx, a);
                if (twice)
                        cin_reportf(ctx, CIN_Assessments, &as->rows[i], NULL,
                                    "%s is recorded more than once", twice);
        }
        return 0;
}

static int uses_factor(struct rule_ctx *ctx, const char *code)
{
        const struct cin_table *as = assessments(ctx);
        for (size_t i = 0; i < as->n; i++) {
                size_t first, n = factors(ctx, i, &first);
                for (size_t f = first; f < first + n; f++)
                        if (factor(ctx, f) && !strcmp(factor(ctx, f), code)) {
                                cin_reportf(ctx, CIN_Assessments, &as->rows[i], NULL, "factor %s",
                                            code);
                                break;
                        }
        }
        return 0;
}

static int r_8945Q(struct rule_ctx *ctx)
{
        return uses_factor(ctx, "18A");
}

static int r_8950Q(struct rule_ctx *ctx)
{
        return uses_factor(ctx, "19A");
}

const struct rule_def rules_cin_assessments[] = {
    {"1103", RULE_ERROR, "The assessment starts before the referral date.",
     "AssessmentActualStartDate|CINreferralDate", "Assessments|CINdetails", 0, CIN_ALL_YEARS,
     r_1103},
    {"8608", RULE_ERROR, "The assessment starts after its completion date.",
     "AssessmentActualStartDate|AssessmentAuthorisationDate", "Assessments", 0, CIN_ALL_YEARS,
     r_8608},
    {"8614", RULE_ERROR, "Factors identified at assessment belong only to a completed assessment.",
     "AssessmentAuthorisationDate|AssessmentFactors", "Assessments", 0, CIN_ALL_YEARS, r_8614},
    {"8670Q", RULE_QUERY,
     "Check: the assessment started more than 45 working days before the end of the census "
     "year and has no completion date.",
     "AssessmentActualStartDate", "Assessments|Header", RULE_NEEDS_BANK_HOLIDAYS, CIN_ALL_YEARS,
     r_8670Q},
    {"8696", RULE_ERROR, "The assessment's completion date is not within the census year.",
     "AssessmentAuthorisationDate|ReferenceDate", "Assessments|Header", 0, CIN_ALL_YEARS, r_8696},
    {"8736", RULE_ERROR,
     "An assessment that is not completed must have started within the census year.",
     "AssessmentAuthorisationDate|AssessmentActualStartDate", "Assessments|Header", 0,
     CIN_ALL_YEARS, r_8736},
    {"8863Q", RULE_QUERY, "Check: the assessment starts while another in the episode is open.",
     "AssessmentActualStartDate|AssessmentAuthorisationDate", "Assessments|Header", 0,
     CIN_ALL_YEARS, r_8863Q},
    {"8869", RULE_ERROR, "Factor 21 (no factors identified) is recorded with other factors.",
     "AssessmentFactors", "Assessments", 0, CIN_ALL_YEARS, r_8869},
    {"8873Q", RULE_QUERY,
     "Check: the episode's only assessment found no factors (21), so the reason for closure "
     "should be RC8 or RC9.",
     "ReasonForClosure|AssessmentFactors", "Assessments|AssessmentFactorsList|CINdetails", 0,
     CIN_ALL_YEARS, r_8873Q},
    {"8896", RULE_ERROR, "The episode has two or more assessments that are not completed.",
     "AssessmentAuthorisationDate", "Assessments", 0, CIN_ALL_YEARS, r_8896},
    {"8897Q", RULE_QUERY,
     "Check: a completed assessment has no factors identified, or a factor code that is not "
     "valid.",
     "AssessmentAuthorisationDate|AssessmentFactors", "Assessments|AssessmentFactorsList|Header", 0,
     CIN_ALL_YEARS, r_8897Q},
    {"8898", RULE_ERROR, "The assessment records the same factor more than once.",
     "AssessmentFactors", "Assessments|AssessmentFactorsList", 0, CIN_ALL_YEARS, r_8898},
    {"8945Q", RULE_QUERY, "Check: factor 18A is no longer used; record 18B or 18C instead.",
     "AssessmentFactors", "Assessments", 0, CIN_FROM(2025), r_8945Q},
    {"8950Q", RULE_QUERY, "Check: factor 19A is no longer used; record 19B or 19C instead.",
     "AssessmentFactors", "Assessments", 0, CIN_FROM(2025), r_8950Q},
    {0},
};
