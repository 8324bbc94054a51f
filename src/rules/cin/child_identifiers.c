/*
 * child_identifiers.c — CIN census rules on ChildIdentifiers that are not
 * about the UPN (upn.c): the LA child id (1570, 1580, 8500, 8510, 8590),
 * sex or gender (2886Q, 4180, 8750), dates of birth and death (4008, 4009Q,
 * 8520, 8525Q, 8530Q, 8535Q, 8545Q) and age (8775Q).
 *
 * Sex replaced GenderCurrent in 2024/25 (data-formats.md §2.4): 4180 and
 * 8750 have one row per version; 2886Q reads the field of the set it runs.
 *
 * Readings chosen where the definition leaves room:
 *  - 8500: a child element with no ChildIdentifiers at all has no LA child id
 *    either, and is reported (row 0).
 *  - 8525Q: "provided" means the element has text, date or not.
 *  - 8530Q: the expected date of birth may be anywhere from 30 days before
 *    to 9 months after the reference date, both ends included.
 *  - 8535Q: only a death before a recorded date of birth breaks the rule;
 *    a missing date of birth is 8525Q's business.
 *  - 8545Q: "the census year" is 1 April to 31 March of the collection year.
 *  - 4009Q: a CIN plan still open (no end date) when the child has died ends
 *    after the death, as 8920 reads it for protection plans.
 *  - 8775Q: over 25 on the reference date, with an episode still open or
 *    closed after the 25th birthday; reported once per child.
 *  - 2886Q: as DfE defines the ratio, unborn children (an expected date of
 *    birth) are left out of the count without sex but stay in the total;
 *    blank and "U" (blank and "0" for GenderCurrent before 2024/25) count as
 *    not recorded.
 */
#include "rules/cin/cin_rules.h"

#include <stdio.h>
#include <string.h>

static const struct cin_table *ids(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_ChildIdentifiers];
}

static int r_1570(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const char *id = ci->rows[i].v[CIN_CI_LAchildID];
                if (id && strlen(id) > 20)
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "%zu characters",
                                    strlen(id));
        }
        return 0;
}

static int r_1580(struct rule_ctx *ctx)
{
        static const char alnum[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const char *id = ci->rows[i].v[CIN_CI_LAchildID];
                if (id && id[strspn(id, alnum)])
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "'%c' in %s",
                                    id[strspn(id, alnum)], id);
        }
        return 0;
}

static int r_8500(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++)
                if (!ci->rows[i].v[CIN_CI_LAchildID])
                        cin_report(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, NULL);
        for (size_t k = 0; k < l->nchildren; k++)
                if (l->children[k].n[CIN_ChildIdentifiers] == 0) {
                        char detail[80];
                        snprintf(detail, sizeof detail,
                                 "the child on line %ld has no ChildIdentifiers",
                                 l->children[k].line);
                        cin_report_child(ctx, CIN_ChildIdentifiers, k, NULL, detail);
                }
        return 0;
}

static int r_8510(struct rule_ctx *ctx)
{
        return cin_report_duplicates(ctx, CIN_ChildIdentifiers, CIN_CI_LAchildID);
}

static int r_8590(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *r = cin_child_ids(l, k);
                if (r && l->children[k].n[CIN_CINdetails] == 0)
                        cin_report(ctx, CIN_ChildIdentifiers, r, NULL, NULL);
        }
        return 0;
}

/* Sex (from 2024/25) or GenderCurrent (until 2023/24) not recorded. */
static bool sex_not_recorded(const struct cin_row *r, int rules_year)
{
        if (rules_year >= 2025)
                return !r->v[CIN_CI_Sex] || !strcmp(r->v[CIN_CI_Sex], "U");
        return !r->v[CIN_CI_GenderCurrent] || !strcmp(r->v[CIN_CI_GenderCurrent], "0");
}

static int r_2886Q(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        size_t missing = 0;
        for (size_t i = 0; i < ci->n; i++)
                if (!ci->rows[i].v[CIN_CI_ExpectedPersonBirthDate] &&
                    sex_not_recorded(&ci->rows[i], ctx->rules_year))
                        missing++;
        /* more than 2%: missing / n > 1 / 50 */
        if (ci->n && missing * 50 > ci->n)
                cin_reportf(ctx, CIN_ChildIdentifiers, NULL, NULL, "%zu of %zu children (%.1f%%)",
                            missing, ci->n, 100.0 * (double)missing / (double)ci->n);
        return 0;
}

static int check_code(struct rule_ctx *ctx, int col, const char *const *codes)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const char *v = ci->rows[i].v[col];
                if (!v)
                        cin_report(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "missing");
                else if (!cin_in(v, codes))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                    "'%s' is not a code", v);
        }
        return 0;
}

static int r_4180_gender(struct rule_ctx *ctx)
{
        static const char *const codes[] = {"0", "1", "2", "9", NULL};
        return check_code(ctx, CIN_CI_GenderCurrent, codes);
}

static int r_4180_sex(struct rule_ctx *ctx)
{
        static const char *const codes[] = {"M", "F", "U", NULL};
        return check_code(ctx, CIN_CI_Sex, codes);
}

/* An unborn child: an expected date of birth and no date of birth. */
static bool unborn(const struct cin_row *r)
{
        return !r->v[CIN_CI_PersonBirthDate] && r->v[CIN_CI_ExpectedPersonBirthDate];
}

static int r_8750_gender(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const char *g = ci->rows[i].v[CIN_CI_GenderCurrent];
                if (unborn(&ci->rows[i]) && (!g || strcmp(g, "0")))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                    "GenderCurrent is %s", g ? g : "blank");
        }
        return 0;
}

static int r_8750_sex(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const char *s = ci->rows[i].v[CIN_CI_Sex];
                if (unborn(&ci->rows[i]) && (!s || strcmp(s, "U")))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "Sex is %s",
                                    s ? s : "blank");
        }
        return 0;
}

static int r_8520(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                date_t dob = ci->rows[i].d[CIN_CI_PersonBirthDate];
                if (cin_real(dob) && dob > ctx->reference_date)
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "born %s",
                                    ci->rows[i].v[CIN_CI_PersonBirthDate]);
        }
        return 0;
}

static int r_8525Q(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                bool dob = ci->rows[i].v[CIN_CI_PersonBirthDate] != NULL;
                bool expected = ci->rows[i].v[CIN_CI_ExpectedPersonBirthDate] != NULL;
                if (dob == expected)
                        cin_report(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                   dob ? "both are given" : "neither is given");
        }
        return 0;
}

static int r_8530Q(struct rule_ctx *ctx)
{
        date_t lo = ctx->reference_date - 30, hi = date_add_months(ctx->reference_date, 9);
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                date_t e = ci->rows[i].d[CIN_CI_ExpectedPersonBirthDate];
                if (cin_real(e) && (e < lo || e > hi))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "expected %s",
                                    ci->rows[i].v[CIN_CI_ExpectedPersonBirthDate]);
        }
        return 0;
}

static int r_8535Q(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                const struct cin_row *r = &ci->rows[i];
                date_t dob = r->d[CIN_CI_PersonBirthDate], dod = r->d[CIN_CI_PersonDeathDate];
                if (cin_real(dob) && cin_real(dod) && dod < dob)
                        cin_reportf(ctx, CIN_ChildIdentifiers, r, NULL, "died %s, born %s",
                                    r->v[CIN_CI_PersonDeathDate], r->v[CIN_CI_PersonBirthDate]);
        }
        return 0;
}

static int r_8545Q(struct rule_ctx *ctx)
{
        const struct cin_table *ci = ids(ctx);
        for (size_t i = 0; i < ci->n; i++) {
                date_t dod = ci->rows[i].d[CIN_CI_PersonDeathDate];
                if (cin_real(dod) && (dod < ctx->start || dod > ctx->end))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "died %s",
                                    ci->rows[i].v[CIN_CI_PersonDeathDate]);
        }
        return 0;
}

/* CIN plans against the date of death: 4008 (start after it), 4009Q (end after it). */
static int plans_after_death(struct rule_ctx *ctx, int col)
{
        const struct cin_load *l = ctx->cin;
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *r = cin_child_ids(l, k);
                if (!r || !cin_real(r->d[CIN_CI_PersonDeathDate]))
                        continue;
                size_t first, n = cin_child_rows(l, k, CIN_CINplanDates, &first);
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *p = &l->table[CIN_CINplanDates].rows[i];
                        date_t d = p->d[col];
                        /* A plan still open at the death ends after it (see the file comment). */
                        bool late = cin_real(d) ? d > r->d[CIN_CI_PersonDeathDate]
                                                : col == CIN_PD_CINPlanEndDate && d == DATE_NONE;
                        if (late)
                                cin_reportf(ctx, CIN_CINplanDates, p, NULL, "%s %s, died %s",
                                            cin_tables[CIN_CINplanDates].cols[col].name,
                                            p->v[col] ? p->v[col] : "blank",
                                            r->v[CIN_CI_PersonDeathDate]);
                }
        }
        return 0;
}

static int r_4008(struct rule_ctx *ctx)
{
        return plans_after_death(ctx, CIN_PD_CINPlanStartDate);
}

static int r_4009Q(struct rule_ctx *ctx)
{
        return plans_after_death(ctx, CIN_PD_CINPlanEndDate);
}

static int r_8775Q(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        date_t born_before = date_add_months(ctx->reference_date, -25 * 12);
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *r = cin_child_ids(l, k);
                if (!r || !cin_real(r->d[CIN_CI_PersonBirthDate]) ||
                    r->d[CIN_CI_PersonBirthDate] >= born_before)
                        continue;
                date_t birthday25 = date_add_months(r->d[CIN_CI_PersonBirthDate], 25 * 12);
                size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first);
                for (size_t i = first; i < first + n; i++) {
                        date_t close = l->table[CIN_CINdetails].rows[i].d[CIN_CD_CINclosureDate];
                        if (close == DATE_NONE || (cin_real(close) && close > birthday25)) {
                                cin_reportf(ctx, CIN_ChildIdentifiers, r, NULL, "born %s",
                                            r->v[CIN_CI_PersonBirthDate]);
                                break;
                        }
                }
        }
        return 0;
}

const struct rule_def rules_cin_child_identifiers[] = {
    {"1570", RULE_ERROR, "The LA child id is longer than 20 characters.", "LAchildID",
     "ChildIdentifiers", 0, CIN_FROM(2025), r_1570},
    {"1580", RULE_ERROR, "The LA child id may hold only letters and digits.", "LAchildID",
     "ChildIdentifiers", 0, CIN_FROM(2025), r_1580},
    {"2886Q", RULE_QUERY,
     "Check: more than 2% of children (unborn children aside) have no sex recorded.",
     "ExpectedPersonBirthDate|ChildIdentifiers", "ChildIdentifiers", 0, CIN_ALL_YEARS, r_2886Q},
    {"4008", RULE_ERROR, "A CIN plan starts after the child's date of death.",
     "PersonDeathDate|CINPlanStartDate", "ChildIdentifiers|CINplanDates", 0, CIN_ALL_YEARS, r_4008},
    {"4009Q", RULE_QUERY, "Check: a CIN plan ends after the child's date of death.",
     "PersonDeathDate|CINPlanEndDate", "ChildIdentifiers|CINplanDates", 0, CIN_ALL_YEARS, r_4009Q},
    {"4180", RULE_ERROR, "GenderCurrent must be given and be 1, 2, 0 or 9.", "GenderCurrent",
     "ChildIdentifiers", 0, CIN_UNTIL(2024), r_4180_gender},
    {"4180", RULE_ERROR, "Sex must be given and be M, F or U.", "Sex", "ChildIdentifiers", 0,
     CIN_FROM(2025), r_4180_sex},
    {"8500", RULE_ERROR, "The LA child id is missing.", "LAchildID", "ChildIdentifiers", 0,
     CIN_ALL_YEARS, r_8500},
    {"8510", RULE_ERROR, "Two or more children have the same LA child id.", "LAchildID",
     "ChildIdentifiers", 0, CIN_ALL_YEARS, r_8510},
    {"8520", RULE_ERROR, "The date of birth is after the end of the census period.",
     "PersonBirthDate|ReferenceDate", "ChildIdentifiers|Header", 0, CIN_ALL_YEARS, r_8520},
    {"8525Q", RULE_QUERY,
     "Check: give either the date of birth or the expected date of birth, not both.",
     "PersonBirthDate|ExpectedPersonBirthDate", "ChildIdentifiers", 0, CIN_ALL_YEARS, r_8525Q},
    {"8530Q", RULE_QUERY,
     "Check: the expected date of birth should fall between 30 days before and 9 months "
     "after the reference date.",
     "ExpectedPersonBirthDate", "ChildIdentifiers|Header", 0, CIN_ALL_YEARS, r_8530Q},
    {"8535Q", RULE_QUERY, "Check: the date of death is before the date of birth.",
     "PersonDeathDate|PersonBirthDate", "ChildIdentifiers", 0, CIN_ALL_YEARS, r_8535Q},
    {"8545Q", RULE_QUERY, "Check: the date of death should fall within the census year.",
     "PersonDeathDate", "ChildIdentifiers|Header", 0, CIN_ALL_YEARS, r_8545Q},
    {"8590", RULE_ERROR, "The child has no CIN episode (CINdetails).", "LAchildID",
     "ChildIdentifiers|CINdetails", 0, CIN_ALL_YEARS, r_8590},
    {"8750", RULE_ERROR, "An unborn child's GenderCurrent must be 0.",
     "GenderCurrent|PersonBirthDate|ExpectedPersonBirthDate", "ChildIdentifiers", 0,
     CIN_UNTIL(2024), r_8750_gender},
    {"8750", RULE_ERROR, "An unborn child's Sex must be U.",
     "Sex|PersonBirthDate|ExpectedPersonBirthDate", "ChildIdentifiers", 0, CIN_FROM(2025),
     r_8750_sex},
    {"8775Q", RULE_QUERY,
     "Check: the child is over 25 and has an episode open past their 25th birthday.",
     "PersonBirthDate|CINclosureDate", "ChildIdentifiers|CINdetails|Header", 0, CIN_ALL_YEARS,
     r_8775Q},
    {0},
};
