/*
 * plans.c — CIN census rules on CIN plans (CINPlanDates) and their relation
 * to child protection plans and reviews: 4000, 4001, 4003, 4004, 4010–4017.
 *
 * Plans are compared within their episode.  "The end of the census year" is
 * the reference date; an open plan (no end date) runs to it.
 *
 * Readings chosen where the definition leaves room:
 *  - 4003: a review strictly after a CIN plan's start and before its end
 *    (or, for an open plan, at any later date) is held during the plan.
 *  - 4014, 4016, 4017: a plan may start on the day the other ends.
 *  - 4016 is reported on the CIN plan that starts inside a protection plan,
 *    4017 on the CIN plan inside which a protection plan starts.
 */
#include "rules/cin/cin_rules.h"

static const struct cin_table *plans(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_CINplanDates];
}

static const struct cin_row *episode_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->episode == CIN_NO_ROW ? NULL : &ctx->cin->table[CIN_CINdetails].rows[r->episode];
}

/* Last day of a plan that may be open: its end, or the reference date. */
static date_t until(struct rule_ctx *ctx, date_t end)
{
        return end == DATE_NONE ? ctx->reference_date : end;
}

static int r_4000(struct rule_ctx *ctx)
{
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < p->n; i++) {
                const struct cin_row *cd = episode_of(ctx, &p->rows[i]);
                if (cd && cin_bool(cd->v[CIN_CD_ReferralNFA]) == 1)
                        cin_report(ctx, CIN_CINplanDates, &p->rows[i], NULL, NULL);
        }
        return 0;
}

static int r_4001(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *p = plans(ctx);
        const struct cin_table *cpp = &l->table[CIN_ChildProtectionPlans];
        for (size_t i = 0; i < p->n; i++) {
                if (p->rows[i].v[CIN_PD_CINPlanEndDate])
                        continue;
                size_t first,
                    n = cin_rows_under(l, CIN_ChildProtectionPlans, p->rows[i].episode, &first);
                for (size_t c = first; c < first + n; c++)
                        if (!cpp->rows[c].v[CIN_CPP_CPPendDate]) {
                                cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL,
                                            "open alongside protection plan %s",
                                            cpp->rows[c].v[CIN_CPP_CPPID]);
                                break;
                        }
        }
        return 0;
}

static int r_4003(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *rv = &l->table[CIN_Reviews];
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < rv->n; i++) {
                const struct cin_row *r = &rv->rows[i];
                date_t d = r->d[CIN_REV_CPPreviewDate];
                if (!cin_real(d) || r->episode == CIN_NO_ROW)
                        continue;
                size_t first, n = cin_rows_under(l, CIN_CINplanDates, r->episode, &first);
                for (size_t k = first; k < first + n; k++) {
                        date_t s = p->rows[k].d[CIN_PD_CINPlanStartDate];
                        date_t e = p->rows[k].d[CIN_PD_CINPlanEndDate];
                        if (cin_real(s) && d > s && (e == DATE_NONE || (cin_real(e) && d < e))) {
                                cin_reportf(ctx, CIN_Reviews, r, NULL,
                                            "review %s during the CIN plan from %s",
                                            r->v[CIN_REV_CPPreviewDate],
                                            p->rows[k].v[CIN_PD_CINPlanStartDate]);
                                break;
                        }
                }
        }
        return 0;
}

static int r_4004(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *p = plans(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_CINplanDates, e, &first), open = 0;
                for (size_t i = first; i < first + n; i++)
                        open += !p->rows[i].v[CIN_PD_CINPlanEndDate];
                if (open < 2)
                        continue;
                for (size_t i = first; i < first + n; i++)
                        if (!p->rows[i].v[CIN_PD_CINPlanEndDate])
                                cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL,
                                            "%zu open CIN plans in the episode", open);
        }
        return 0;
}

static int r_4010(struct rule_ctx *ctx)
{
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < p->n; i++) {
                date_t s = p->rows[i].d[CIN_PD_CINPlanStartDate];
                if (!cin_real(s) || s > ctx->reference_date)
                        cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL, "start %s",
                                    p->rows[i].v[CIN_PD_CINPlanStartDate]
                                        ? p->rows[i].v[CIN_PD_CINPlanStartDate]
                                        : "missing");
        }
        return 0;
}

/* 4011 (end before start) and 4012Q (end on the start day). */
static int compare_ends(struct rule_ctx *ctx, bool same_day)
{
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < p->n; i++) {
                date_t s = p->rows[i].d[CIN_PD_CINPlanStartDate];
                date_t e = p->rows[i].d[CIN_PD_CINPlanEndDate];
                if (cin_real(s) && cin_real(e) && (same_day ? e == s : e < s))
                        cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL, "%s to %s",
                                    p->rows[i].v[CIN_PD_CINPlanStartDate],
                                    p->rows[i].v[CIN_PD_CINPlanEndDate]);
        }
        return 0;
}

static int r_4011(struct rule_ctx *ctx)
{
        return compare_ends(ctx, false);
}

static int r_4012Q(struct rule_ctx *ctx)
{
        return compare_ends(ctx, true);
}

static int r_4013(struct rule_ctx *ctx)
{
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < p->n; i++) {
                date_t e = p->rows[i].d[CIN_PD_CINPlanEndDate];
                if (cin_real(e) && (e < ctx->start || e > ctx->reference_date))
                        cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL, "ends %s",
                                    p->rows[i].v[CIN_PD_CINPlanEndDate]);
        }
        return 0;
}

static int r_4014(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *p = plans(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_CINplanDates, e, &first);
                for (size_t a = first; a < first + n; a++) {
                        date_t s = p->rows[a].d[CIN_PD_CINPlanStartDate];
                        if (!cin_real(s))
                                continue;
                        for (size_t b = first; b < first + n; b++) {
                                date_t bs = p->rows[b].d[CIN_PD_CINPlanStartDate];
                                date_t be = p->rows[b].d[CIN_PD_CINPlanEndDate];
                                if (a == b || !cin_real(bs) || be == DATE_BAD || s < bs ||
                                    s > until(ctx, be) || s == be)
                                        continue;
                                cin_reportf(ctx, CIN_CINplanDates, &p->rows[a], NULL,
                                            "starts %s inside the plan from %s",
                                            p->rows[a].v[CIN_PD_CINPlanStartDate],
                                            p->rows[b].v[CIN_PD_CINPlanStartDate]);
                                break;
                        }
                }
        }
        return 0;
}

static int r_4015(struct rule_ctx *ctx)
{
        const struct cin_table *p = plans(ctx);
        for (size_t i = 0; i < p->n; i++) {
                const struct cin_row *cd = episode_of(ctx, &p->rows[i]);
                date_t s = p->rows[i].d[CIN_PD_CINPlanStartDate];
                if (cd && cin_real(s) && cin_real(cd->d[CIN_CD_CINreferralDate]) &&
                    s < cd->d[CIN_CD_CINreferralDate])
                        cin_reportf(ctx, CIN_CINplanDates, &p->rows[i], NULL,
                                    "starts %s, referred %s", p->rows[i].v[CIN_PD_CINPlanStartDate],
                                    cd->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

/*
 * One plan starting inside another of the same episode: `inner` starts on or
 * after `outer` starts, on or before it ends (or the reference date), and not
 * on the day it ends.
 */
static bool starts_inside(struct rule_ctx *ctx, date_t inner, date_t outer_start, date_t outer_end)
{
        return cin_real(inner) && cin_real(outer_start) && outer_end != DATE_BAD &&
               inner >= outer_start && inner <= until(ctx, outer_end) && inner != outer_end;
}

static int cin_plan_and_cpp(struct rule_ctx *ctx, bool cin_inside)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *p = plans(ctx);
        const struct cin_table *cpp = &l->table[CIN_ChildProtectionPlans];
        for (size_t i = 0; i < p->n; i++) {
                const struct cin_row *pl = &p->rows[i];
                size_t first, n = cin_rows_under(l, CIN_ChildProtectionPlans, pl->episode, &first);
                for (size_t c = first; c < first + n; c++) {
                        const struct cin_row *cp = &cpp->rows[c];
                        bool hit = cin_inside ? starts_inside(ctx, pl->d[CIN_PD_CINPlanStartDate],
                                                              cp->d[CIN_CPP_CPPstartDate],
                                                              cp->d[CIN_CPP_CPPendDate])
                                              : starts_inside(ctx, cp->d[CIN_CPP_CPPstartDate],
                                                              pl->d[CIN_PD_CINPlanStartDate],
                                                              pl->d[CIN_PD_CINPlanEndDate]);
                        if (hit) {
                                cin_reportf(ctx, CIN_CINplanDates, pl, NULL,
                                            "CIN plan from %s, protection plan from %s",
                                            pl->v[CIN_PD_CINPlanStartDate],
                                            cp->v[CIN_CPP_CPPstartDate]);
                                break;
                        }
                }
        }
        return 0;
}

static int r_4016(struct rule_ctx *ctx)
{
        return cin_plan_and_cpp(ctx, true);
}

static int r_4017(struct rule_ctx *ctx)
{
        return cin_plan_and_cpp(ctx, false);
}

const struct rule_def rules_cin_plans[] = {
    {"4000", RULE_ERROR, "A referral with no further action has a CIN plan.", "ReferralNFA",
     "CINplanDates|CINdetails", 0, CIN_ALL_YEARS, r_4000},
    {"4001", RULE_ERROR, "A CIN plan and a child protection plan of the episode are both open.",
     "CINPlanEndDate|CPPendDate", "CINplanDates|ChildProtectionPlans", 0, CIN_ALL_YEARS, r_4001},
    {"4003", RULE_ERROR, "A protection plan review is held while a CIN plan is open.",
     "CINPlanStartDate|CINPlanEndDate|CPPreviewDate", "Reviews|CINplanDates|ChildProtectionPlans",
     0, CIN_ALL_YEARS, r_4003},
    {"4004", RULE_ERROR, "The episode has more than one open CIN plan.", "CINPlanEndDate",
     "CINplanDates", 0, CIN_ALL_YEARS, r_4004},
    {"4010", RULE_ERROR, "The CIN plan start date is missing or after the census year.",
     "CINPlanStartDate", "CINplanDates|Header", 0, CIN_ALL_YEARS, r_4010},
    {"4011", RULE_ERROR, "The CIN plan ends before it starts.", "CINPlanEndDate|CINPlanStartDate",
     "CINplanDates", 0, CIN_ALL_YEARS, r_4011},
    {"4012Q", RULE_QUERY, "Check: the CIN plan starts and ends on the same day.",
     "CINPlanStartDate|CINPlanEndDate", "CINplanDates", 0, CIN_ALL_YEARS, r_4012Q},
    {"4013", RULE_ERROR, "The CIN plan end date is not within the census year.",
     "CINPlanEndDate|ReferenceDate", "CINplanDates|Header", 0, CIN_ALL_YEARS, r_4013},
    {"4014", RULE_ERROR, "The episode's CIN plans overlap.", "CINPlanStartDate|CINPlanEndDate",
     "CINplanDates|Header", 0, CIN_ALL_YEARS, r_4014},
    {"4015", RULE_ERROR, "The CIN plan starts before the referral date.",
     "CINPlanStartDate|CINreferralDate", "CINplanDates|CINdetails", 0, CIN_ALL_YEARS, r_4015},
    {"4016", RULE_ERROR, "The CIN plan starts while a child protection plan is open.",
     "CINPlanStartDate|CPPstartDate|CPPendDate", "CINplanDates|ChildProtectionPlans|Header", 0,
     CIN_ALL_YEARS, r_4016},
    {"4017", RULE_ERROR, "A child protection plan starts while the CIN plan is open.",
     "CINPlanStartDate|CINPlanEndDate|CPPstartDate", "CINplanDates|ChildProtectionPlans|Header", 0,
     CIN_ALL_YEARS, r_4017},
    {0},
};
