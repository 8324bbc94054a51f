/*
 * section47.c — CIN census rules whose module is Section47, the Section 47
 * enquiries of an episode and their initial child protection conferences
 * (ICPC): 1104, 2884, 2889, 8615, 8675Q, 8715, 8740, 8839, 8870Q, 8875.
 *
 * An enquiry is "open" (has not held its conference) when it has no
 * DateOfInitialCPC and ICPCnotRequired is not true or 1.
 *
 * Readings chosen where the definition leaves room:
 *  - 1104 checks the conference date of each Section47 block, and the one
 *    recorded on the episode itself, against the episode's referral date.
 *  - 2884 reports the Section47 rows that repeat a conference date the
 *    episode also records.
 *  - 8675Q follows the DfE definition (an open enquiry should not have
 *    started before the reference date less 15 working days); the D2I code
 *    tests the opposite.
 *  - 8740: "ICPCnotRequired is false" is read as not true or 1, blank
 *    included.
 *  - 8839 reports every open enquiry of an episode with two or more.
 */
#include "rules/cin/cin_rules.h"

static const struct cin_table *s47(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_Section47];
}

static const struct cin_row *episode_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->episode == CIN_NO_ROW ? NULL : &ctx->cin->table[CIN_CINdetails].rows[r->episode];
}

static bool open_enquiry(const struct cin_row *r)
{
        return !r->v[CIN_S47_DateOfInitialCPC] && cin_bool(r->v[CIN_S47_ICPCnotRequired]) != 1;
}

static int r_1104(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i], *cd = episode_of(ctx, r);
                date_t icpc = r->d[CIN_S47_DateOfInitialCPC];
                if (cd && cin_real(icpc) && cin_real(cd->d[CIN_CD_CINreferralDate]) &&
                    icpc < cd->d[CIN_CD_CINreferralDate])
                        cin_reportf(ctx, CIN_Section47, r, NULL, "conference %s, referred %s",
                                    r->v[CIN_S47_DateOfInitialCPC], cd->v[CIN_CD_CINreferralDate]);
        }
        const struct cin_table *cds = &ctx->cin->table[CIN_CINdetails];
        for (size_t i = 0; i < cds->n; i++) {
                const struct cin_row *cd = &cds->rows[i];
                date_t icpc = cd->d[CIN_CD_DateOfInitialCPC], ref = cd->d[CIN_CD_CINreferralDate];
                if (cin_real(icpc) && cin_real(ref) && icpc < ref)
                        cin_reportf(ctx, CIN_CINdetails, cd, NULL, "conference %s, referred %s",
                                    cd->v[CIN_CD_DateOfInitialCPC], cd->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_2884(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i], *cd = episode_of(ctx, r);
                if (cd && cd->v[CIN_CD_DateOfInitialCPC] && r->v[CIN_S47_DateOfInitialCPC])
                        cin_report(ctx, CIN_Section47, r, NULL, NULL);
        }
        return 0;
}

static int r_2889(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i], *cd = episode_of(ctx, r);
                date_t start = r->d[CIN_S47_S47ActualStartDate];
                if (cd && cin_real(start) && cin_real(cd->d[CIN_CD_CINreferralDate]) &&
                    start < cd->d[CIN_CD_CINreferralDate])
                        cin_reportf(ctx, CIN_Section47, r, NULL, "started %s, referred %s",
                                    r->v[CIN_S47_S47ActualStartDate],
                                    cd->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_8615(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i];
                date_t start = r->d[CIN_S47_S47ActualStartDate],
                       icpc = r->d[CIN_S47_DateOfInitialCPC];
                if (!r->v[CIN_S47_S47ActualStartDate])
                        cin_report(ctx, CIN_Section47, r, NULL, "no start date");
                else if (cin_real(start) && cin_real(icpc) && start > icpc)
                        cin_reportf(ctx, CIN_Section47, r, NULL, "started %s, conference %s",
                                    r->v[CIN_S47_S47ActualStartDate],
                                    r->v[CIN_S47_DateOfInitialCPC]);
        }
        return 0;
}

static int r_8675Q(struct rule_ctx *ctx)
{
        date_t limit;
        if (cin_working_days_before(ctx, ctx->reference_date, 15, &limit) < 0)
                return -1;
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i];
                date_t start = r->d[CIN_S47_S47ActualStartDate];
                if (open_enquiry(r) && cin_real(start) && start < limit)
                        cin_reportf(ctx, CIN_Section47, r, NULL, "started %s, no conference",
                                    r->v[CIN_S47_S47ActualStartDate]);
        }
        return 0;
}

static int r_8715(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i];
                date_t icpc = r->d[CIN_S47_DateOfInitialCPC];
                if (cin_real(icpc) && (icpc < ctx->start || icpc > ctx->reference_date))
                        cin_reportf(ctx, CIN_Section47, r, NULL, "conference %s",
                                    r->v[CIN_S47_DateOfInitialCPC]);
        }
        return 0;
}

static int r_8740(struct rule_ctx *ctx)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                const struct cin_row *r = &s->rows[i];
                date_t start = r->d[CIN_S47_S47ActualStartDate];
                if (open_enquiry(r) && cin_real(start) &&
                    (start < ctx->start || start > ctx->reference_date))
                        cin_reportf(ctx, CIN_Section47, r, NULL, "started %s, no conference",
                                    r->v[CIN_S47_S47ActualStartDate]);
        }
        return 0;
}

static int r_8839(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *s = s47(ctx);
        for (size_t e = 0; e < l->table[CIN_CINdetails].n; e++) {
                size_t first, n = cin_rows_under(l, CIN_Section47, e, &first), open = 0;
                for (size_t i = first; i < first + n; i++)
                        open += open_enquiry(&s->rows[i]);
                if (open < 2)
                        continue;
                for (size_t i = first; i < first + n; i++)
                        if (open_enquiry(&s->rows[i]))
                                cin_reportf(ctx, CIN_Section47, &s->rows[i], NULL,
                                            "%zu open enquiries in the episode", open);
        }
        return 0;
}

/* A date column of Section47 that falls on a Saturday or Sunday. */
static int weekend(struct rule_ctx *ctx, int col)
{
        const struct cin_table *s = s47(ctx);
        for (size_t i = 0; i < s->n; i++) {
                date_t d = s->rows[i].d[col];
                if (cin_real(d) && date_weekday(d) >= 5)
                        cin_reportf(ctx, CIN_Section47, &s->rows[i], NULL, "%s is a %s",
                                    s->rows[i].v[col],
                                    date_weekday(d) == 5 ? "Saturday" : "Sunday");
        }
        return 0;
}

static int r_8870Q(struct rule_ctx *ctx)
{
        return weekend(ctx, CIN_S47_InitialCPCtarget);
}

static int r_8875(struct rule_ctx *ctx)
{
        return weekend(ctx, CIN_S47_DateOfInitialCPC);
}

const struct rule_def rules_cin_section47[] = {
    {"1104", RULE_ERROR, "The initial child protection conference is before the referral date.",
     "CINreferralDate|DateOfInitialCPC", "Section47|CINdetails", 0, CIN_ALL_YEARS, r_1104},
    {"2884", RULE_ERROR,
     "The initial conference is recorded on both the Section 47 and the episode; record it "
     "once.",
     "DateOfInitialCPC", "Section47|CINdetails", 0, CIN_ALL_YEARS, r_2884},
    {"2889", RULE_ERROR, "The Section 47 enquiry starts before the referral date.",
     "S47ActualStartDate|CINreferralDate", "Section47|CINdetails", 0, CIN_ALL_YEARS, r_2889},
    {"8615", RULE_ERROR, "The Section 47 start date is missing or after the initial conference.",
     "S47ActualStartDate|DateOfInitialCPC", "Section47", 0, CIN_ALL_YEARS, r_8615},
    {"8675Q", RULE_QUERY,
     "Check: the Section 47 enquiry started more than 15 working days before the end of the "
     "census year and has no initial conference.",
     "DateOfInitialCPC|S47ActualStartDate|ICPCnotRequired", "Section47|Header",
     RULE_NEEDS_BANK_HOLIDAYS, CIN_ALL_YEARS, r_8675Q},
    {"8715", RULE_ERROR, "The initial conference date is not within the census year.",
     "DateOfInitialCPC|ReferenceDate", "Section47|Header", 0, CIN_ALL_YEARS, r_8715},
    {"8740", RULE_ERROR,
     "A Section 47 enquiry without an initial conference must have started within the "
     "census year.",
     "S47ActualStartDate|DateOfInitialCPC|ICPCnotRequired", "Section47|Header", 0, CIN_ALL_YEARS,
     r_8740},
    {"8839", RULE_ERROR, "The episode has two or more open Section 47 enquiries.",
     "DateOfInitialCPC", "Section47", 0, CIN_ALL_YEARS, r_8839},
    {"8870Q", RULE_QUERY, "Check: the target date for the initial conference is a weekend.",
     "InitialCPCtarget", "Section47", 0, CIN_ALL_YEARS, r_8870Q},
    {"8875", RULE_ERROR, "The initial conference date is a weekend.", "DateOfInitialCPC",
     "Section47", 0, CIN_ALL_YEARS, r_8875},
    {0},
};
