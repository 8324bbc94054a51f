/*
 * cin_details.c — CIN census rules whose module is CINdetails, the CIN
 * episode: its own fields (8568, 8600, 8610, 8620, 8630, 8640, 8650, 8805,
 * 8810, 8866), the child's dates (8555Q, 8585Q, 8606), the year's start
 * (8569Q), the child's other episodes (8815, 8816, 8820) and what the
 * episode holds (2990, 2991Q, 8825Q, 8831, 8867, 8868, 8890).
 *
 * "The census year" and "the collection period" are 1 April to 31 March of
 * the collection year (ctx->start, ctx->end).  A finding is reported on the
 * row that lacks or carries the offending data (an Assessments row for 8867,
 * a Section47 row for 8868 and 8890), else on the CINdetails row.
 *
 * Readings chosen where the definition leaves room:
 *  - 2990 covers RC8 and RC9, as the rule's message (every year) says; the
 *    D2I code checks RC8 only.
 *  - 8569Q fires only for a referral flagged as no further action (true or
 *    1); a blank or invalid flag is 8568's business.  "One working day before
 *    the collection start" is the last England and Wales working day before
 *    1 April.
 *  - 8600 and 8620: a date that is present but not a date fails; both ends
 *    of the census year are inside it (D2I excludes them for 8620).
 *  - 8820: an episode may start on the day another closes (the DfE note);
 *    an open episode that is not an NFA referral runs to the reference date.
 *  - 8831: DateOfInitialCPC counts whether on the episode or on one of its
 *    Section47 blocks.
 *  - 8866 applies to referrals dated on or after 1 April 2013; an episode
 *    whose referral date is blank or not a date is left to 8600.
 *  - 8867 and 8868 check the assessments / Section 47 enquiries the episode
 *    has; an episode with none breaks neither (D2I reports 8867 for it).
 *    8868 is met by an ICPC date or the not-required flag, or both.
 *  - 8890 compares the Section 47 enquiries within one episode, as the DfE
 *    wording has it ("within one CINdetails group").
 */
#include "rules/cin/cin_rules.h"

#include "core/err.h"

#include <stdio.h>
#include <string.h>

static const struct cin_table *episodes(struct rule_ctx *ctx)
{
        return &ctx->cin->table[CIN_CINdetails];
}

/* Rows of table t (Assessments, Section47, …) in episode e: *first … *first+n-1. */
static size_t in_episode(struct rule_ctx *ctx, enum cin_table_id t, size_t e, size_t *first)
{
        return cin_rows_under(ctx->cin, t, e, first);
}

static const struct cin_row *ids_of(struct rule_ctx *ctx, const struct cin_row *r)
{
        return r->child == CIN_NO_ROW ? NULL : cin_child_ids(ctx->cin, r->child);
}

/* The cell holds exactly `code` (bytes compared inline: codes are short). */
static bool is(const char *v, const char *code)
{
        if (!v)
                return false;
        while (*v && *v == *code) {
                v++;
                code++;
        }
        return *v == *code;
}

static int r_8555Q(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i], *ci = ids_of(ctx, r);
                if (ci && cin_real(ci->d[CIN_CI_PersonDeathDate]) &&
                    cin_real(r->d[CIN_CD_CINreferralDate]) &&
                    r->d[CIN_CD_CINreferralDate] > ci->d[CIN_CI_PersonDeathDate])
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "referred %s, died %s",
                                    r->v[CIN_CD_CINreferralDate], ci->v[CIN_CI_PersonDeathDate]);
        }
        return 0;
}

static int r_8568(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const char *v = cd->rows[i].v[CIN_CD_ReferralNFA];
                if (cin_bool(v) < 0)
                        cin_reportf(ctx, CIN_CINdetails, &cd->rows[i], NULL, "ReferralNFA is %s",
                                    v ? v : "missing");
        }
        return 0;
}

static int r_8569Q(struct rule_ctx *ctx)
{
        /* The last working day before the census year starts. */
        date_t d;
        if (cin_working_days_before(ctx, ctx->start, 1, &d) < 0)
                return -1;
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                if (cin_real(r->d[CIN_CD_CINreferralDate]) && r->d[CIN_CD_CINreferralDate] < d &&
                    cin_bool(r->v[CIN_CD_ReferralNFA]) == 1)
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "referred %s",
                                    r->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_8585Q(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i], *ci = ids_of(ctx, r);
                if (is(r->v[CIN_CD_ReasonForClosure], "RC2") &&
                    !(ci && cin_real(ci->d[CIN_CI_PersonDeathDate])))
                        cin_report(ctx, CIN_CINdetails, r, NULL, NULL);
        }
        return 0;
}

static int r_8600(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                date_t d = r->d[CIN_CD_CINreferralDate];
                if (!cin_real(d) || d > ctx->end)
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "CINreferralDate is %s",
                                    r->v[CIN_CD_CINreferralDate] ? r->v[CIN_CD_CINreferralDate]
                                                                 : "missing");
        }
        return 0;
}

static int r_8606(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i], *ci = ids_of(ctx, r);
                date_t ref = r->d[CIN_CD_CINreferralDate];
                if (!ci || !cin_real(ref))
                        continue;
                date_t dob = ci->d[CIN_CI_PersonBirthDate];
                date_t due = ci->d[CIN_CI_ExpectedPersonBirthDate];
                if ((cin_real(dob) && ref < dob - 280) || (cin_real(due) && ref < due - 280))
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "referred %s",
                                    r->v[CIN_CD_CINreferralDate]);
        }
        return 0;
}

static int r_8610(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++)
                if (cin_false(cd->rows[i].v[CIN_CD_ReferralNFA]) &&
                    !cd->rows[i].v[CIN_CD_PrimaryNeedCode])
                        cin_report(ctx, CIN_CINdetails, &cd->rows[i], NULL, NULL);
        return 0;
}

static int r_8620(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                date_t d = r->d[CIN_CD_CINclosureDate];
                if (r->v[CIN_CD_CINclosureDate] && (!cin_real(d) || d < ctx->start || d > ctx->end))
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "closed %s",
                                    r->v[CIN_CD_CINclosureDate]);
        }
        return 0;
}

static int r_8630(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                date_t ref = r->d[CIN_CD_CINreferralDate], close = r->d[CIN_CD_CINclosureDate];
                if (cin_real(ref) && cin_real(close) && close < ref)
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "referred %s, closed %s",
                                    r->v[CIN_CD_CINreferralDate], r->v[CIN_CD_CINclosureDate]);
        }
        return 0;
}

static int check_code(struct rule_ctx *ctx, int col, const char *const *codes)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const char *v = cd->rows[i].v[col];
                if (v && !cin_in(v, codes))
                        cin_reportf(ctx, CIN_CINdetails, &cd->rows[i], NULL, "'%s' is not a code",
                                    v);
        }
        return 0;
}

static int r_8640(struct rule_ctx *ctx)
{
        static const char *const codes[] = {"RC1", "RC2", "RC3", "RC4", "RC5",
                                            "RC6", "RC7", "RC8", "RC9", NULL};
        return check_code(ctx, CIN_CD_ReasonForClosure, codes);
}

static int r_8650(struct rule_ctx *ctx)
{
        static const char *const codes[] = {"N0", "N1", "N2", "N3", "N4", "N5",
                                            "N6", "N7", "N8", "N9", NULL};
        return check_code(ctx, CIN_CD_PrimaryNeedCode, codes);
}

static int r_8805(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++)
                if (cd->rows[i].v[CIN_CD_CINclosureDate] && !cd->rows[i].v[CIN_CD_ReasonForClosure])
                        cin_report(ctx, CIN_CINdetails, &cd->rows[i], NULL, NULL);
        return 0;
}

static int r_8810(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++)
                if (cd->rows[i].v[CIN_CD_ReasonForClosure] && !cd->rows[i].v[CIN_CD_CINclosureDate])
                        cin_report(ctx, CIN_CINdetails, &cd->rows[i], NULL, NULL);
        return 0;
}

/* Open (no closure date) and not a referral with no further action. */
static bool open_case(const struct cin_row *r)
{
        return !r->v[CIN_CD_CINclosureDate] && cin_false(r->v[CIN_CD_ReferralNFA]);
}

static int r_8815(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first), open = 0;
                for (size_t i = first; i < first + n; i++)
                        open += open_case(&cd->rows[i]);
                if (open < 2)
                        continue;
                for (size_t i = first; i < first + n; i++)
                        if (open_case(&cd->rows[i]))
                                cin_reportf(ctx, CIN_CINdetails, &cd->rows[i], NULL,
                                            "%zu open episodes", open);
        }
        return 0;
}

static int r_8816(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first);
                date_t latest = DATE_NONE;
                for (size_t i = first; i < first + n; i++) {
                        date_t d = cd->rows[i].d[CIN_CD_CINreferralDate];
                        if (cin_real(d) && (latest == DATE_NONE || d > latest))
                                latest = d;
                }
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *r = &cd->rows[i];
                        if (open_case(r) && cin_real(r->d[CIN_CD_CINreferralDate]) &&
                            r->d[CIN_CD_CINreferralDate] < latest)
                                cin_reportf(ctx, CIN_CINdetails, r, NULL,
                                            "referred %s, not the latest referral",
                                            r->v[CIN_CD_CINreferralDate]);
                }
        }
        return 0;
}

static int r_8820(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first);
                for (size_t a = first; a < first + n; a++) {
                        const struct cin_row *ra = &cd->rows[a];
                        date_t start = ra->d[CIN_CD_CINreferralDate];
                        if (!cin_real(start))
                                continue;
                        for (size_t b = first; b < first + n; b++) {
                                const struct cin_row *rb = &cd->rows[b];
                                date_t bs = rb->d[CIN_CD_CINreferralDate];
                                date_t be = rb->d[CIN_CD_CINclosureDate];
                                if (a == b || !cin_real(bs) || start < bs)
                                        continue;
                                bool inside = cin_real(be) ? start < be
                                                           : be == DATE_NONE && open_case(rb) &&
                                                                 start <= ctx->reference_date;
                                if (inside) {
                                        cin_reportf(ctx, CIN_CINdetails, ra, NULL,
                                                    "starts %s, inside CINdetails %s",
                                                    ra->v[CIN_CD_CINreferralDate],
                                                    rb->v[CIN_CD_CINdetailsID]);
                                        break;
                                }
                        }
                }
        }
        return 0;
}

static bool closed_after_assessment(const struct cin_row *r)
{
        return is(r->v[CIN_CD_ReasonForClosure], "RC8") || is(r->v[CIN_CD_ReasonForClosure], "RC9");
}

static int r_2990(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                const struct cin_row *r = &cd->rows[e];
                if (!closed_after_assessment(r))
                        continue;
                size_t first;
                const char *what = r->v[CIN_CD_DateOfInitialCPC]               ? "an initial CPC"
                                   : in_episode(ctx, CIN_Section47, e, &first) ? "a Section 47"
                                   : in_episode(ctx, CIN_ChildProtectionPlans, e, &first)
                                       ? "a child protection plan"
                                   : in_episode(ctx, CIN_CINplanDates, e, &first) ? "a CIN plan"
                                                                                  : NULL;
                if (what)
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "%s with %s",
                                    r->v[CIN_CD_ReasonForClosure], what);
        }
        return 0;
}

static int r_2991Q(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                size_t first;
                if (in_episode(ctx, CIN_Section47, e, &first) &&
                    !in_episode(ctx, CIN_Assessments, e, &first))
                        cin_report(ctx, CIN_CINdetails, &cd->rows[e], NULL, NULL);
        }
        return 0;
}

static int r_8825Q(struct rule_ctx *ctx)
{
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                size_t first;
                if (closed_after_assessment(&cd->rows[e]) &&
                    !in_episode(ctx, CIN_Assessments, e, &first))
                        cin_reportf(ctx, CIN_CINdetails, &cd->rows[e], NULL, "%s, no assessment",
                                    cd->rows[e].v[CIN_CD_ReasonForClosure]);
        }
        return 0;
}

static int r_8831(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                const struct cin_row *r = &cd->rows[e];
                if (cin_bool(r->v[CIN_CD_ReferralNFA]) != 1)
                        continue;
                const char *what = r->v[CIN_CD_DateOfInitialCPC] ? "DateOfInitialCPC" : NULL;
                size_t first, n = in_episode(ctx, CIN_Assessments, e, &first);
                for (size_t i = first; i < first + n && !what; i++) {
                        const struct cin_row *a = &l->table[CIN_Assessments].rows[i];
                        if (a->v[CIN_AS_AssessmentActualStartDate])
                                what = "AssessmentActualStartDate";
                        else if (a->v[CIN_AS_AssessmentAuthorisationDate])
                                what = "AssessmentAuthorisationDate";
                }
                n = in_episode(ctx, CIN_Section47, e, &first);
                for (size_t i = first; i < first + n && !what; i++) {
                        const struct cin_row *s = &l->table[CIN_Section47].rows[i];
                        if (s->v[CIN_S47_S47ActualStartDate])
                                what = "S47ActualStartDate";
                        else if (s->v[CIN_S47_DateOfInitialCPC])
                                what = "DateOfInitialCPC";
                }
                if (what)
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "%s is recorded", what);
        }
        return 0;
}

static int r_8866(struct rule_ctx *ctx)
{
        static const char *const sources[] = {"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B",
                                              "3C", "3D", "3E", "3F", "4",  "5A", "5B", "5C",
                                              "5D", "6",  "7",  "8",  "9",  "10", NULL};
        date_t from = date_from_ymd(2013, 4, 1);
        const struct cin_table *cd = episodes(ctx);
        for (size_t i = 0; i < cd->n; i++) {
                const struct cin_row *r = &cd->rows[i];
                const char *v = r->v[CIN_CD_ReferralSource];
                if (cin_real(r->d[CIN_CD_CINreferralDate]) &&
                    r->d[CIN_CD_CINreferralDate] >= from && !cin_in(v, sources))
                        cin_reportf(ctx, CIN_CINdetails, r, NULL, "ReferralSource is %s",
                                    v ? v : "missing");
        }
        return 0;
}

static int r_8867(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                if (!cd->rows[e].v[CIN_CD_CINclosureDate])
                        continue;
                size_t first, n = in_episode(ctx, CIN_Assessments, e, &first);
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *a = &l->table[CIN_Assessments].rows[i];
                        if (!a->v[CIN_AS_AssessmentAuthorisationDate])
                                cin_reportf(ctx, CIN_Assessments, a, NULL,
                                            "CINdetails %s closed %s", a->v[CIN_AS_CINdetailsID],
                                            cd->rows[e].v[CIN_CD_CINclosureDate]);
                }
        }
        return 0;
}

static int r_8868(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cd = episodes(ctx);
        for (size_t e = 0; e < cd->n; e++) {
                if (!cd->rows[e].v[CIN_CD_CINclosureDate])
                        continue;
                size_t first, n = in_episode(ctx, CIN_Section47, e, &first);
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *s = &l->table[CIN_Section47].rows[i];
                        if (!s->v[CIN_S47_DateOfInitialCPC] &&
                            cin_bool(s->v[CIN_S47_ICPCnotRequired]) != 1)
                                cin_reportf(ctx, CIN_Section47, s, NULL, "CINdetails %s closed %s",
                                            s->v[CIN_S47_CINdetailsID],
                                            cd->rows[e].v[CIN_CD_CINclosureDate]);
                }
        }
        return 0;
}

static int r_8890(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *s47 = &l->table[CIN_Section47];
        for (size_t e = 0; e < episodes(ctx)->n; e++) {
                size_t first, n = in_episode(ctx, CIN_Section47, e, &first);
                for (size_t a = first; a < first + n; a++) {
                        date_t start = s47->rows[a].d[CIN_S47_S47ActualStartDate];
                        if (!cin_real(start))
                                continue;
                        for (size_t b = first; b < first + n; b++) {
                                const struct cin_row *o = &s47->rows[b];
                                date_t os = o->d[CIN_S47_S47ActualStartDate];
                                date_t icpc = o->d[CIN_S47_DateOfInitialCPC];
                                if (a == b || !cin_real(os) || start < os)
                                        continue;
                                bool ongoing =
                                    cin_real(icpc)
                                        ? start <= icpc
                                        : icpc == DATE_NONE &&
                                              cin_bool(o->v[CIN_S47_ICPCnotRequired]) != 1 &&
                                              start <= ctx->reference_date;
                                if (ongoing) {
                                        cin_reportf(ctx, CIN_Section47, &s47->rows[a], NULL,
                                                    "starts %s while the enquiry from %s is open",
                                                    s47->rows[a].v[CIN_S47_S47ActualStartDate],
                                                    o->v[CIN_S47_S47ActualStartDate]);
                                        break;
                                }
                        }
                }
        }
        return 0;
}

const struct rule_def rules_cin_cin_details[] = {
    {"2990", RULE_ERROR,
     "An episode closed after assessment (RC8 or RC9) has a Section 47, conference, "
     "protection plan or CIN plan.",
     "ReasonForClosure", "CINdetails|ChildProtectionPlans|Section47|CINplanDates", 0, CIN_ALL_YEARS,
     r_2990},
    {"2991Q", RULE_QUERY, "Check: the episode has a Section 47 enquiry but no assessment.",
     "CINdetailsID", "CINdetails|Assessments|Section47", 0, CIN_ALL_YEARS, r_2991Q},
    {"8555Q", RULE_QUERY, "Check: the referral is dated after the child's date of death.",
     "PersonDeathDate|CINreferralDate", "CINdetails|ChildIdentifiers", 0, CIN_ALL_YEARS, r_8555Q},
    {"8568", RULE_ERROR, "ReferralNFA is missing or not true, false, 1 or 0.", "ReferralNFA",
     "CINdetails", 0, CIN_ALL_YEARS, r_8568},
    {"8569Q", RULE_QUERY,
     "Check: a referral from before the census year (less one working day) is flagged as "
     "no further action.",
     "ReferralNFA", "CINdetails|Header", RULE_NEEDS_BANK_HOLIDAYS, CIN_ALL_YEARS, r_8569Q},
    {"8585Q", RULE_QUERY,
     "Check: the episode closed because the child died (RC2) but no date of death is "
     "recorded.",
     "ReasonForClosure|PersonDeathDate", "CINdetails|ChildIdentifiers", 0, CIN_ALL_YEARS, r_8585Q},
    {"8600", RULE_ERROR, "The referral date is missing or after the census year.",
     "CINreferralDate", "CINdetails|Header", 0, CIN_ALL_YEARS, r_8600},
    {"8606", RULE_ERROR,
     "The referral is more than 40 weeks before the date of birth or expected birth.",
     "CINreferralDate|PersonBirthDate|ExpectedPersonBirthDate", "CINdetails|ChildIdentifiers", 0,
     CIN_ALL_YEARS, r_8606},
    {"8610", RULE_ERROR, "A referral that led to further action needs a primary need code.",
     "ReferralNFA|PrimaryNeedCode", "CINdetails", 0, CIN_ALL_YEARS, r_8610},
    {"8620", RULE_ERROR, "The closure date is not within the census year.", "CINclosureDate",
     "CINdetails|Header", 0, CIN_ALL_YEARS, r_8620},
    {"8630", RULE_ERROR, "The episode closes before its referral date.",
     "CINreferralDate|CINclosureDate", "CINdetails", 0, CIN_ALL_YEARS, r_8630},
    {"8640", RULE_ERROR, "The reason for closure is not a code RC1 to RC9.", "ReasonForClosure",
     "CINdetails", 0, CIN_ALL_YEARS, r_8640},
    {"8650", RULE_ERROR, "The primary need code is not a code N0 to N9.", "PrimaryNeedCode",
     "CINdetails", 0, CIN_ALL_YEARS, r_8650},
    {"8805", RULE_ERROR, "The episode has a closure date but no reason for closure.",
     "CINclosureDate|ReasonForClosure", "CINdetails", 0, CIN_ALL_YEARS, r_8805},
    {"8810", RULE_ERROR, "The episode has a reason for closure but no closure date.",
     "ReasonForClosure|CINclosureDate", "CINdetails", 0, CIN_ALL_YEARS, r_8810},
    {"8815", RULE_ERROR,
     "The child has more than one open episode that is not a referral with no further "
     "action.",
     "ReferralNFA|CINclosureDate", "CINdetails|Header", 0, CIN_ALL_YEARS, r_8815},
    {"8816", RULE_ERROR,
     "An open episode that is not a referral with no further action must be the child's "
     "latest referral.",
     "CINreferralDate|ReferralNFA", "CINdetails", 0, CIN_ALL_YEARS, r_8816},
    {"8820", RULE_ERROR, "The child's CIN episodes overlap.", "CINreferralDate|CINclosureDate",
     "CINdetails|Header", 0, CIN_ALL_YEARS, r_8820},
    {"8825Q", RULE_QUERY,
     "Check: the episode closed after assessment (RC8 or RC9) but has no assessment.",
     "ReasonForClosure", "CINdetails|Assessments", 0, CIN_ALL_YEARS, r_8825Q},
    {"8831", RULE_ERROR,
     "A referral with no further action has an assessment, Section 47 or conference "
     "recorded.",
     "AssessmentActualStartDate|AssessmentAuthorisationDate|S47ActualStartDate|"
     "DateOfInitialCPC",
     "CINdetails|Section47|Assessments", 0, CIN_ALL_YEARS, r_8831},
    {"8866", RULE_ERROR, "The referral source is missing or not a valid code.",
     "CINreferralDate|ReferralSource", "CINdetails", 0, CIN_ALL_YEARS, r_8866},
    {"8867", RULE_ERROR, "The episode is closed but this assessment has no completion date.",
     "CINclosureDate|AssessmentAuthorisationDate", "CINdetails|Assessments", 0, CIN_ALL_YEARS,
     r_8867},
    {"8868", RULE_ERROR,
     "The episode is closed but this Section 47 enquiry has neither an initial conference "
     "date nor 'not required'.",
     "ICPCnotRequired|CINclosureDate|DateOfInitialCPC", "CINdetails|Section47", 0, CIN_ALL_YEARS,
     r_8868},
    {"8890", RULE_ERROR, "A Section 47 enquiry starts while another in the episode is open.",
     "S47ActualStartDate", "CINdetails|Section47|Header", 0, CIN_ALL_YEARS, r_8890},
    {0},
};
