/*
 * oc3.c — SSDA903 rules on the OC3 table (care leavers around their 17th to
 * 21st birthdays): valid codes (131, 132, 133), the three items given
 * together (153) and consistently (344, 345), foyer accommodation for
 * under-18s (347), age (391), a death reported last year (348), and no
 * adoption or 12-month cohort data alongside care-leaver data (134, 187).
 *
 * Readings chosen where the definition leaves room:
 *  - 131, 132, 133: a blank item is not an invalid code; a row with some
 *    items blank is reported by 153, and a row with all three blank is
 *    "left blank", which 153 allows.
 *  - 344: the items must be 0 for a young person who died or returned home;
 *    an item that is given and is not 0 is reported (a blank one is left to
 *    153, since the message is about items that "have been completed").
 *  - 347: foyer accommodation is ACCOM T1 or T2 (Data to Insight compares
 *    with a bare "T", which never occurs).  "Aged under 18" is taken at 31
 *    March: the young person's birthday in this year is the 17th, so the
 *    information describes a 17-year-old.  (DfE's text measures 18 at
 *    1 April, which would also reject 18-year-olds whose information is
 *    gathered around their 18th birthday.)
 *  - 348: any row this year for a young person whose IN_TOUCH was DIED in
 *    last year's OC3 is reported unless it says DIED again.
 *  - 391: the young person must have turned 17 by 31 March, as DfE's
 *    condition says; being over 21 is not checked (DfE does not either).
 *  - 134, 187: the AD1 row (and for 187 the OC3 row) is reported; a row
 *    counts as completed when any of its items is given.
 */
#include "rules/903/util.h"

static int oc3_any(const struct ssda903_row *r)
{
        return r->v[O3_IN_TOUCH] || r->v[O3_ACTIV] || r->v[O3_ACCOM];
}

static int ad1_any(const struct ssda903_row *r)
{
        for (int c = AD_DATE_INT; c <= AD_LS_ADOPTR; c++)
                if (r->v[c])
                        return 1;
        return 0;
}

static int each_oc3(struct rule_ctx *ctx, int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *t = r9_tab(ctx, SSDA903_OC3);
        for (size_t i = 0; i < t->n; i++)
                if (bad(ctx, &t->rows[i]))
                        rule_report_903(ctx, SSDA903_OC3, &t->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- codes */

static int bad_131(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O3_IN_TOUCH] && !r9_in(r->v[O3_IN_TOUCH], "YES NO DIED REFU NREQ RHOM");
}

static int bad_132(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O3_ACTIV] && !r9_in(r->v[O3_ACTIV], "F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0");
}

/* S1 and X1 are missing on purpose: homelessness and custody are never suitable. */
static int bad_133(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O3_ACCOM] && !r9_in(r->v[O3_ACCOM], "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 "
                                                        "K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 "
                                                        "X2 Y1 Y2 Z1 Z2 0");
}

/* ---------------------------------------------------------------- consistency */

static int bad_153(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        int n = !!r->v[O3_IN_TOUCH] + !!r->v[O3_ACTIV] + !!r->v[O3_ACCOM];
        return n != 0 && n != 3;
}

static int bad_344(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        if (!r9_in(r->v[O3_IN_TOUCH], "DIED RHOM"))
                return 0;
        return (r->v[O3_ACTIV] && !r9_is(r->v[O3_ACTIV], "0")) ||
               (r->v[O3_ACCOM] && !r9_is(r->v[O3_ACCOM], "0"));
}

static int bad_345(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O3_IN_TOUCH], "YES") &&
               (r9_is(r->v[O3_ACTIV], "0") || r9_is(r->v[O3_ACCOM], "0"));
}

static int bad_347(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        if (!r9_in(r->v[O3_ACCOM], "T1 T2"))
                return 0;
        date_t dob = r9_row_dob(ctx, r, O3_DOB);
        return r9_real(dob) && r9_birthday(dob, 18) > ctx->end;
}

static int bad_391(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dob = r9_row_dob(ctx, r, O3_DOB);
        return oc3_any(r) && r9_real(dob) && r9_birthday(dob, 17) > ctx->end;
}

#define RULE_FN(code)                                                                              \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_oc3(ctx, bad_##code);                                                  \
        }
RULE_FN(131)
RULE_FN(132)
RULE_FN(133)
RULE_FN(153)
RULE_FN(344)
RULE_FN(345)
RULE_FN(347)
RULE_FN(391)

/* ---------------------------------------------------------------- other tables */

/* 134: a care leaver (OC3 data) cannot also have adoption (AD1) data. */
static int r_134(struct rule_ctx *ctx)
{
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t i = 0; i < ad->n; i++) {
                const struct ssda903_row *a = &ad->rows[i];
                if (!ad1_any(a))
                        continue;
                size_t n;
                struct ssda903_row *const *o = r9_rows(ctx, SSDA903_OC3, a->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (oc3_any(o[j])) {
                                rule_report_903(ctx, SSDA903_AD1, a, NULL, NULL);
                                break;
                        }
        }
        return 0;
}

/* 187: a child in the 12-month (OC2) cohort has neither adoption nor care-leaver data. */
static int r_187(struct rule_ctx *ctx)
{
        const struct ssda903_table *o3 = r9_tab(ctx, SSDA903_OC3), *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t i = 0; i < o3->n; i++)
                if (oc3_any(&o3->rows[i]) && r9_looked_after_all_year(ctx, o3->rows[i].child))
                        rule_report_903(ctx, SSDA903_OC3, &o3->rows[i], NULL, NULL);
        for (size_t i = 0; i < ad->n; i++)
                if (ad1_any(&ad->rows[i]) && r9_looked_after_all_year(ctx, ad->rows[i].child))
                        rule_report_903(ctx, SSDA903_AD1, &ad->rows[i], NULL, NULL);
        return 0;
}

/* 348: last year's return said the young person had died. */
static int r_348(struct rule_ctx *ctx)
{
        const struct ssda903_table *o3 = r9_tab(ctx, SSDA903_OC3);
        for (size_t i = 0; i < o3->n; i++) {
                const struct ssda903_row *r = &o3->rows[i];
                if (r9_is(r->v[O3_IN_TOUCH], "DIED"))
                        continue;
                size_t n;
                struct ssda903_row *const *l = r9_rows(ctx, SSDA903_OC3_LAST, r->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (r9_is(l[j]->v[O3_IN_TOUCH], "DIED")) {
                                rule_report_903(ctx, SSDA903_OC3, r, NULL, NULL);
                                break;
                        }
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_oc3[] = {
    {"131", RULE_ERROR, "Whether the authority is in touch with the care leaver is not a valid "
     "code (YES, NO, DIED, REFU, NREQ, RHOM).",
     "IN_TOUCH", "OC3", 0, ALL, r_131},
    {"132", RULE_ERROR, "The care leaver's activity is not a valid code.",
     "ACTIV", "OC3", 0, ALL, r_132},
    {"133", RULE_ERROR, "The care leaver's accommodation is not a valid code (S1 and X1 are never "
     "valid: homelessness and custody cannot be suitable).",
     "ACCOM", "OC3", 0, ALL, r_133},
    {"134", RULE_ERROR, "The child has care leaver (OC3) information and adoption (AD1) "
     "information; a care leaver should have no adoption data.",
     "IN_TOUCH|ACTIV|ACCOM|DATE_INT|DATE_MATCH|FOSTER_CARE|NB_ADOPTR|SEX_ADOPTR|LS_ADOPTR",
     "OC3|AD1", 0, ALL, r_134},
    {"153", RULE_ERROR, "In touch, activity and accommodation after leaving care must be given "
     "together or all left blank.",
     "IN_TOUCH|ACTIV|ACCOM", "OC3", 0, ALL, r_153},
    {"187", RULE_ERROR, "The child was looked after continuously for the 12 months to 31 March, "
     "so adoption and care leaver information should be blank.",
     "DATE_INT|DATE_MATCH|FOSTER_CARE|NB_ADOPTR|SEX_ADOPTR|LS_ADOPTR|IN_TOUCH|ACTIV|ACCOM",
     "OC3|AD1|Episodes", 0, ALL, r_187},
    {"344", RULE_ERROR, "The young person has died or returned home for 6 months or more, so "
     "activity and accommodation should be 0.",
     "IN_TOUCH|ACTIV|ACCOM", "OC3", 0, ALL, r_344},
    {"345", RULE_ERROR, "The authority is in touch with the young person, but activity or "
     "accommodation is 0.",
     "IN_TOUCH|ACTIV|ACCOM", "OC3", 0, ALL, r_345},
    {"347", RULE_ERROR, "The care leaver is under 18 and cannot be accommodated in a foyer "
     "(ACCOM T1, T2).",
     "PLACE|DEC|URN", "OC3", 0, RULES_FROM(2024), r_347},
    {"348", RULE_ERROR, "Last year's return recorded that this care leaver had died.",
     "IN_TOUCH", "OC3", RULE_NEEDS_LAST_YEAR, RULES_FROM(2026), r_348},
    {"391", RULE_ERROR, "Care leaver information is given for a young person who is not yet 17 "
     "on 31 March.",
     "DOB|IN_TOUCH|ACTIV|ACCOM", "OC3", 0, ALL, r_391},
    {0},
};
/* clang-format on */
