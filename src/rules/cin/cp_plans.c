/*
 * cp_plans.c — CIN census rules on child protection plans and their reviews:
 * 1105, 2883, 2885, 8565, 8720, 8730, 8832, 8840, 8841, 8842Q, 8905, 8910,
 * 8915, 8920, 8925, 8930, 8935, 8940.
 *
 * Plans are compared within their episode.  "The census year" runs from
 * 1 April to the reference date; an open plan (no end date) runs to it.
 *
 * Readings chosen where the definition leaves room:
 *  - 2885: a plan starting in the census year must start on the day of an
 *    initial conference of its episode (a Section47 DateOfInitialCPC, or the
 *    episode's own DateOfInitialCPC).
 *  - 8565 is reported once per closed episode, on its CINdetails row, naming
 *    the first activity found after the closure.
 *  - 8920 (and 4009Q, in child_identifiers.c, read the same way): a plan that
 *    is still open when the child has died "ends after" the death.
 *  - 8842Q can only see a review element that is present and blank; an
 *    empty <Reviews/> has no review row to report.
 */
#include "rules/cin/cin_rules.h"

#include <string.h>

static const struct cin_table *cpps(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_ChildProtectionPlans];
}

static const struct cin_row *episode_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->episode == CIN_NO_ROW ? NULL : &ctx->cin->table[CIN_CINdetails].rows[r->episode];
}

static const struct cin_row *ids_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->child == CIN_NO_ROW ? NULL : cin_child_ids(ctx->cin, r->child);
}

static bool in_year(struct rule_ctx *ctx, date_t d)
{
        return cin_real(d) && d >= ctx->start && d <= ctx->reference_date;
}

static int r_1105(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const struct cin_row *r = &c->rows[i], *cd = episode_of(ctx, r);
                date_t s = r->d[CIN_CPP_CPPstartDate];
                if (cd && cin_real(s) && cin_real(cd->d[CIN_CD_CINreferralDate]) &&
                    s < cd->d[CIN_CD_CINreferralDate])
                        cin_reportf(ctx, CIN_ChildProtectionPlans, r, NULL,
                                    "starts %s, referred %s", r->v[CIN_CPP_CPPstartDate],
                                    cd->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_2883(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        size_t plans = 0, conferences = 0;
        for (size_t i = 0; i < cpps(ctx)->n; i++)
                plans += in_year(ctx, cpps(ctx)->rows[i].d[CIN_CPP_CPPstartDate]);
        for (size_t i = 0; i < l->table[CIN_CINdetails].n; i++)
                conferences +=
                    in_year(ctx, l->table[CIN_CINdetails].rows[i].d[CIN_CD_DateOfInitialCPC]);
        for (size_t i = 0; i < l->table[CIN_Section47].n; i++)
                conferences +=
                    in_year(ctx, l->table[CIN_Section47].rows[i].d[CIN_S47_DateOfInitialCPC]);
        if (plans > conferences)
                cin_reportf(ctx, CIN_ChildProtectionPlans, NULL, NULL,
                            "%zu plans started in the year, %zu initial conferences", plans,
                            conferences);
        return 0;
}

static int r_2885(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const struct cin_row *r = &c->rows[i], *cd = episode_of(ctx, r);
                date_t s = r->d[CIN_CPP_CPPstartDate];
                if (!cd || !in_year(ctx, s))
                        continue;
                bool matched = cd->d[CIN_CD_DateOfInitialCPC] == s;
                size_t first, n = cin_rows_under(l, CIN_Section47, r->episode, &first);
                for (size_t k = first; k < first + n && !matched; k++)
                        matched = l->table[CIN_Section47].rows[k].d[CIN_S47_DateOfInitialCPC] == s;
                if (!matched)
                        cin_reportf(ctx, CIN_ChildProtectionPlans, r, NULL,
                                    "starts %s, no initial conference that day",
                                    r->v[CIN_CPP_CPPstartDate]);
        }
        return 0;
}

/* The first activity of episode e dated after `closed`, or NULL. */
static const char *after_closure(struct rule_ctx *ctx, size_t e, date_t closed)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_row *cd = &l->table[CIN_CINdetails].rows[e];
        if (cin_real(cd->d[CIN_CD_DateOfInitialCPC]) && cd->d[CIN_CD_DateOfInitialCPC] > closed)
                return "DateOfInitialCPC";
        static const struct {
                enum cin_table_id t;
                int col;
        } dates[] = {
            {CIN_Assessments, CIN_AS_AssessmentActualStartDate},
            {CIN_Assessments, CIN_AS_AssessmentAuthorisationDate},
            {CIN_Section47, CIN_S47_S47ActualStartDate},
            {CIN_Section47, CIN_S47_DateOfInitialCPC},
            {CIN_ChildProtectionPlans, CIN_CPP_CPPendDate},
            {CIN_CINplanDates, CIN_PD_CINPlanStartDate},
            {CIN_CINplanDates, CIN_PD_CINPlanEndDate},
        };
        for (size_t k = 0; k < sizeof dates / sizeof dates[0]; k++) {
                size_t first, n = cin_rows_under(l, dates[k].t, e, &first);
                for (size_t i = first; i < first + n; i++) {
                        date_t d = l->table[dates[k].t].rows[i].d[dates[k].col];
                        if (cin_real(d) && d > closed)
                                return cin_tables[dates[k].t].cols[dates[k].col].name;
                }
        }
        return NULL;
}

static int r_8565(struct rule_ctx *ctx)
{
        const struct cin_table *cd = &ctx->cin->table[CIN_CINdetails];
        for (size_t e = 0; e < cd->n; e++) {
                date_t closed = cd->rows[e].d[CIN_CD_CINclosureDate];
                const char *what = cin_real(closed) ? after_closure(ctx, e, closed) : NULL;
                if (what)
                        cin_reportf(ctx, CIN_CINdetails, &cd->rows[e], NULL,
                                    "closed %s, %s is later", cd->rows[e].v[CIN_CD_CINclosureDate],
                                    what);
        }
        return 0;
}

static int r_8720(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                date_t s = c->rows[i].d[CIN_CPP_CPPstartDate];
                if (!cin_real(s) || s > ctx->reference_date)
                        cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, "start %s",
                                    c->rows[i].v[CIN_CPP_CPPstartDate]
                                        ? c->rows[i].v[CIN_CPP_CPPstartDate]
                                        : "missing");
        }
        return 0;
}

static int r_8730(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++)
                if (!c->rows[i].v[CIN_CPP_NumberOfPreviousCPP])
                        cin_report(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, NULL);
        return 0;
}

static int r_8832(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const struct cin_row *cd = episode_of(ctx, &c->rows[i]);
                if (cd && cin_bool(cd->v[CIN_CD_ReferralNFA]) == 1)
                        cin_report(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, NULL);
        }
        return 0;
}

/* 8840 (ends the day it starts) and 8925 (ends before it starts). */
static int compare_ends(struct rule_ctx *ctx, bool same_day)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                date_t s = c->rows[i].d[CIN_CPP_CPPstartDate], e = c->rows[i].d[CIN_CPP_CPPendDate];
                if (cin_real(s) && cin_real(e) && (same_day ? e == s : e < s))
                        cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, "%s to %s",
                                    c->rows[i].v[CIN_CPP_CPPstartDate],
                                    c->rows[i].v[CIN_CPP_CPPendDate]);
        }
        return 0;
}

static int r_8840(struct rule_ctx *ctx)
{
        return compare_ends(ctx, true);
}

static int r_8925(struct rule_ctx *ctx)
{
        return compare_ends(ctx, false);
}

static int r_8841(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *rv = &l->table[CIN_Reviews];
        for (size_t i = 0; i < rv->n; i++) {
                const struct cin_row *r = &rv->rows[i];
                if (r->parent == CIN_NO_ROW)
                        continue;
                date_t s = cpps(ctx)->rows[r->parent].d[CIN_CPP_CPPstartDate];
                date_t d = r->d[CIN_REV_CPPreviewDate];
                if (cin_real(s) && cin_real(d) && d <= s)
                        cin_reportf(ctx, CIN_Reviews, r, NULL, "review %s, plan started %s",
                                    r->v[CIN_REV_CPPreviewDate],
                                    cpps(ctx)->rows[r->parent].v[CIN_CPP_CPPstartDate]);
        }
        return 0;
}

static int r_8842Q(struct rule_ctx *ctx)
{
        const struct cin_table *rv = &ctx->cin->table[CIN_Reviews];
        for (size_t i = 0; i < rv->n; i++)
                if (!rv->rows[i].v[CIN_REV_CPPreviewDate])
                        cin_report(ctx, CIN_Reviews, &rv->rows[i], NULL, NULL);
        return 0;
}

static int category(struct rule_ctx *ctx, int col)
{
        static const char *const codes[] = {"NEG", "PHY", "SAB", "EMO", "MUL", NULL};
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const char *v = c->rows[i].v[col];
                if (!cin_in(v, codes))
                        cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, "%s",
                                    v ? v : "missing");
        }
        return 0;
}

static int r_8905(struct rule_ctx *ctx)
{
        return category(ctx, CIN_CPP_InitialCategoryOfAbuse);
}

static int r_8910(struct rule_ctx *ctx)
{
        return category(ctx, CIN_CPP_LatestCategoryOfAbuse);
}

static int r_8915(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const struct cin_row *r = &c->rows[i], *ci = ids_of(ctx, r);
                date_t s = r->d[CIN_CPP_CPPstartDate];
                if (ci && cin_real(ci->d[CIN_CI_PersonDeathDate]) && cin_real(s) &&
                    s > ci->d[CIN_CI_PersonDeathDate])
                        cin_reportf(ctx, CIN_ChildProtectionPlans, r, NULL, "starts %s, died %s",
                                    r->v[CIN_CPP_CPPstartDate], ci->v[CIN_CI_PersonDeathDate]);
        }
        return 0;
}

static int r_8920(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                const struct cin_row *r = &c->rows[i], *ci = ids_of(ctx, r);
                date_t e = r->d[CIN_CPP_CPPendDate];
                if (ci && cin_real(ci->d[CIN_CI_PersonDeathDate]) &&
                    (e == DATE_NONE || (cin_real(e) && e > ci->d[CIN_CI_PersonDeathDate])))
                        cin_reportf(ctx, CIN_ChildProtectionPlans, r, NULL, "ends %s, died %s",
                                    r->v[CIN_CPP_CPPendDate] ? r->v[CIN_CPP_CPPendDate] : "never",
                                    ci->v[CIN_CI_PersonDeathDate]);
        }
        return 0;
}

static int r_8930(struct rule_ctx *ctx)
{
        const struct cin_table *c = cpps(ctx);
        for (size_t i = 0; i < c->n; i++) {
                date_t e = c->rows[i].d[CIN_CPP_CPPendDate];
                if (cin_real(e) && !in_year(ctx, e))
                        cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL, "ends %s",
                                    c->rows[i].v[CIN_CPP_CPPendDate]);
        }
        return 0;
}

static int r_8935(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *c = cpps(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_ChildProtectionPlans, e, &first), open = 0;
                for (size_t i = first; i < first + n; i++)
                        open += !c->rows[i].v[CIN_CPP_CPPendDate];
                if (open < 2)
                        continue;
                for (size_t i = first; i < first + n; i++)
                        if (!c->rows[i].v[CIN_CPP_CPPendDate])
                                cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[i], NULL,
                                            "%zu open plans in the episode", open);
        }
        return 0;
}

static int r_8940(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *c = cpps(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_ChildProtectionPlans, e, &first);
                for (size_t a = first; a < first + n; a++) {
                        date_t s = c->rows[a].d[CIN_CPP_CPPstartDate];
                        if (!cin_real(s))
                                continue;
                        for (size_t b = first; b < first + n; b++) {
                                date_t bs = c->rows[b].d[CIN_CPP_CPPstartDate];
                                date_t be = c->rows[b].d[CIN_CPP_CPPendDate];
                                date_t last = be == DATE_NONE ? ctx->reference_date : be;
                                if (a == b || !cin_real(bs) || !cin_real(last) || s < bs ||
                                    s > last)
                                        continue;
                                cin_reportf(ctx, CIN_ChildProtectionPlans, &c->rows[a], NULL,
                                            "starts %s inside plan %s",
                                            c->rows[a].v[CIN_CPP_CPPstartDate],
                                            c->rows[b].v[CIN_CPP_CPPID]);
                                break;
                        }
                }
        }
        return 0;
}

const struct rule_def rules_cin_cp_plans[] = {
    {"1105", RULE_ERROR, "The child protection plan starts before the referral date.",
     "CPPstartDate|CINreferralDate", "ChildProtectionPlans|CINdetails", 0, CIN_ALL_YEARS, r_1105},
    {"2883", RULE_ERROR,
     "More child protection plans start in the year than initial conferences take place.",
     "CPPstartDate|DateOfInitialCPC", "ChildProtectionPlans|Header|CINdetails|Section47", 0,
     CIN_ALL_YEARS, r_2883},
    {"2885", RULE_ERROR,
     "The child protection plan does not start on the day of an initial conference.",
     "CPPstartDate|DateOfInitialCPC", "ChildProtectionPlans|CINdetails|Section47|Header", 0,
     CIN_ALL_YEARS, r_2885},
    {"8565", RULE_ERROR, "Activity is dated after the episode was closed.",
     "CINclosureDate|DateOfInitialCPC|AssessmentActualStartDate|AssessmentAuthorisationDate|"
     "S47ActualStartDate|CPPendDate|CINPlanStartDate|CINPlanEndDate",
     "ChildProtectionPlans|CINdetails|Assessments|Section47|CINplanDates", 0, CIN_ALL_YEARS,
     r_8565},
    {"8720", RULE_ERROR,
     "The child protection plan start date is missing or after the census year.",
     "CPPstartDate|ReferenceDate", "ChildProtectionPlans|Header", 0, CIN_ALL_YEARS, r_8720},
    {"8730", RULE_ERROR, "The number of previous child protection plans is missing.",
     "NumberOfPreviousCPP", "ChildProtectionPlans", 0, CIN_ALL_YEARS, r_8730},
    {"8832", RULE_ERROR, "A referral with no further action has a child protection plan.",
     "CINdetailsID|ReferralNFA", "ChildProtectionPlans|CINdetails", 0, CIN_ALL_YEARS, r_8832},
    {"8840", RULE_ERROR, "The child protection plan starts and ends on the same day.",
     "ChildProtectionPlans|CPPstartDate|CPPendDate", "ChildProtectionPlans", 0, CIN_ALL_YEARS,
     r_8840},
    {"8841", RULE_ERROR, "The review is on or before the day the protection plan started.",
     "CPPstartDate|CPPreviewDate", "ChildProtectionPlans|Reviews", 0, CIN_ALL_YEARS, r_8841},
    {"8842Q", RULE_QUERY, "Check: a review has no date.", "CPPreviewDate", "Reviews", 0,
     CIN_ALL_YEARS, r_8842Q},
    {"8905", RULE_ERROR, "The initial category of abuse is missing or not a valid code.",
     "InitialCategoryOfAbuse", "ChildProtectionPlans", 0, CIN_ALL_YEARS, r_8905},
    {"8910", RULE_ERROR, "The latest category of abuse is missing or not a valid code.",
     "LatestCategoryOfAbuse", "ChildProtectionPlans", 0, CIN_ALL_YEARS, r_8910},
    {"8915", RULE_ERROR, "The child protection plan starts after the child's date of death.",
     "CPPstartDate|PersonDeathDate", "ChildProtectionPlans|ChildIdentifiers", 0, CIN_ALL_YEARS,
     r_8915},
    {"8920", RULE_ERROR,
     "The child protection plan ends after, or is still open at, the child's death.",
     "PersonDeathDate|CPPendDate", "ChildProtectionPlans|ChildIdentifiers", 0, CIN_ALL_YEARS,
     r_8920},
    {"8925", RULE_ERROR, "The child protection plan ends before it starts.",
     "CPPstartDate|CPPendDate", "ChildProtectionPlans", 0, CIN_ALL_YEARS, r_8925},
    {"8930", RULE_ERROR, "The child protection plan end date is not within the census year.",
     "CPPendDate|ReferenceDate", "ChildProtectionPlans|Header", 0, CIN_ALL_YEARS, r_8930},
    {"8935", RULE_ERROR, "The episode has more than one open child protection plan.", "CPPendDate",
     "ChildProtectionPlans", 0, CIN_ALL_YEARS, r_8935},
    {"8940", RULE_ERROR, "The episode's child protection plans overlap.", "CPPstartDate|CPPendDate",
     "ChildProtectionPlans|Header", 0, CIN_ALL_YEARS, r_8940},
    {0},
};
