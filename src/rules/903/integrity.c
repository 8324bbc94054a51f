/*
 * integrity.c — the structural checks of an SSDA903 load (INT01–INT36, EPI,
 * NoE): every child in a table has a Header row, repeated child-level fields
 * agree with Header, one-row-per-child tables hold one row per child, and
 * episodes exist where the other tables say they should.  These are the Data
 * to Insight validator's internal checks, not DfE rules (data-formats.md §3.1).
 *
 * Readings chosen where the definition leaves room:
 *  - DOB agreement (INT11–INT18) compares dates, so 1/3/2010 and 01/03/2010
 *    agree; a blank or invalid DOB on either side is left to the rules that
 *    check DOB itself.  SEX agreement (INT21) compares the codes (upper-cased);
 *    blank on either side is not a disagreement.
 *  - A blank CHILD is a child id like any other for "exists in Header"
 *    (INT01–INT09), but never a duplicate (INT31–INT36): duplicates of nothing
 *    are not duplicates.
 *  - Every row of a duplicated child is reported, not only the second one,
 *    since either could be the wrong one.
 */
#include "rules/rules.h"

#include <string.h>

static const struct ssda903_table *tab(struct rule_ctx *ctx, int t)
{
        return &ctx->s903->t[t];
}

static size_t nrows_of(struct rule_ctx *ctx, int t, uint32_t child)
{
        size_t n;
        ssda903_child_rows(tab(ctx, t), child, &n);
        return n;
}

/* ---------------------------------------------------------------- in Header */

static int not_in_header(struct rule_ctx *ctx, int t)
{
        const struct ssda903_table *x = tab(ctx, t);
        for (size_t i = 0; i < x->n; i++)
                if (nrows_of(ctx, SSDA903_HEADER, x->rows[i].child) == 0)
                        rule_report_903(ctx, t, &x->rows[i], NULL, NULL);
        return 0;
}

static int r_int01(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_AD1);
}
static int r_int02(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_PLACED_ADOPTION);
}
static int r_int03(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_EPISODES);
}
static int r_int04(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_MISSING);
}
static int r_int05(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_OC2);
}
static int r_int06(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_OC3);
}
static int r_int07(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_PREV_PERM);
}
static int r_int08(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_REVIEWS);
}
static int r_int09(struct rule_ctx *c)
{
        return not_in_header(c, SSDA903_UASC);
}

/* ---------------------------------------------------------------- agree with Header */

static int real_date(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

/* DOB is column 1 in every table that repeats it, except UASC (CHILD, SEX, DOB, DUC). */
static int dob_differs(struct rule_ctx *ctx, int t)
{
        int c = t == SSDA903_UASC ? UA_DOB : 1;
        const struct ssda903_table *x = tab(ctx, t), *hd = tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < x->n; i++) {
                const struct ssda903_row *r = &x->rows[i];
                if (!real_date(r->d[c]))
                        continue;
                size_t n;
                struct ssda903_row *const *h = ssda903_child_rows(hd, r->child, &n);
                for (size_t k = 0; k < n; k++)
                        if (real_date(h[k]->d[HD_DOB]) && h[k]->d[HD_DOB] != r->d[c]) {
                                rule_report_903f(ctx, t, r, NULL, "%s here, %s in Header", r->v[c],
                                                 h[k]->v[HD_DOB]);
                                break;
                        }
        }
        return 0;
}

static int r_int11(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_AD1);
}
static int r_int12(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_PLACED_ADOPTION);
}
static int r_int13(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_MISSING);
}
static int r_int14(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_OC2);
}
static int r_int15(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_OC3);
}
static int r_int16(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_PREV_PERM);
}
static int r_int17(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_REVIEWS);
}
static int r_int18(struct rule_ctx *c)
{
        return dob_differs(c, SSDA903_UASC);
}

static int r_int21(struct rule_ctx *ctx)
{
        const struct ssda903_table *ua = tab(ctx, SSDA903_UASC), *hd = tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < ua->n; i++) {
                const struct ssda903_row *r = &ua->rows[i];
                if (!r->v[UA_SEX])
                        continue;
                size_t n;
                struct ssda903_row *const *h = ssda903_child_rows(hd, r->child, &n);
                for (size_t k = 0; k < n; k++)
                        if (h[k]->v[HD_SEX] && strcmp(h[k]->v[HD_SEX], r->v[UA_SEX]) != 0) {
                                rule_report_903f(ctx, SSDA903_UASC, r, NULL,
                                                 "%s here, %s in Header", r->v[UA_SEX],
                                                 h[k]->v[HD_SEX]);
                                break;
                        }
        }
        return 0;
}

/* ---------------------------------------------------------------- once per child */

static int duplicated(struct rule_ctx *ctx, int t)
{
        const struct ssda903_table *x = tab(ctx, t);
        for (size_t i = 0; i < x->n; i++) {
                const struct ssda903_row *r = &x->rows[i];
                size_t n = nrows_of(ctx, t, r->child);
                if (r->v[SSDA903_COL_CHILD] && n > 1)
                        rule_report_903f(ctx, t, r, NULL, "%zu rows for this child", n);
        }
        return 0;
}

static int r_int31(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_AD1);
}
static int r_int32(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_HEADER);
}
static int r_int33(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_OC2);
}
static int r_int34(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_OC3);
}
static int r_int35(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_PREV_PERM);
}
static int r_int36(struct rule_ctx *c)
{
        return duplicated(c, SSDA903_UASC);
}

/* ---------------------------------------------------------------- episodes present */

/*
 * EPI: a child in Header needs episodes before DfE's portal checks the rest;
 * a care leaver reported only in OC3 is the exception.  Episodes or OC3 not
 * supplied count as empty.
 */
static int r_epi(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                uint32_t k = hd->rows[i].child;
                if (nrows_of(ctx, SSDA903_EPISODES, k) == 0 && nrows_of(ctx, SSDA903_OC3, k) == 0)
                        rule_report_903(ctx, SSDA903_HEADER, &hd->rows[i], NULL, NULL);
        }
        return 0;
}

/* NoE: an episode that began before this year must have been in last year's return. */
static int r_noe(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (real_date(r->d[EP_DECOM]) && r->d[EP_DECOM] < ctx->start &&
                    nrows_of(ctx, SSDA903_EPISODES_LAST, r->child) == 0)
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_integrity[] = {
    {"EPI", RULE_ERROR, "This child has no episodes (and is not a care leaver in OC3); "
     "DfE cannot check the rest of the child's record without them.",
     "CHILD", "Header", 0, ALL, r_epi},
    {"INT01", RULE_ERROR, "This child is in AD1 but has no Header row.",
     "CHILD", "Header|AD1", 0, ALL, r_int01},
    {"INT02", RULE_ERROR, "This child is in PlacedAdoption but has no Header row.",
     "CHILD", "Header|PlacedAdoption", 0, ALL, r_int02},
    {"INT03", RULE_ERROR, "This child has episodes but no Header row.",
     "CHILD", "Header|Episodes", 0, ALL, r_int03},
    {"INT04", RULE_ERROR, "This child is in Missing but has no Header row.",
     "CHILD", "Header|Missing", 0, ALL, r_int04},
    {"INT05", RULE_ERROR, "This child is in OC2 but has no Header row.",
     "CHILD", "Header|OC2", 0, ALL, r_int05},
    {"INT06", RULE_ERROR, "This child is in OC3 but has no Header row.",
     "CHILD", "Header|OC3", 0, ALL, r_int06},
    {"INT07", RULE_ERROR, "This child is in PrevPerm but has no Header row.",
     "CHILD", "Header|PrevPerm", 0, ALL, r_int07},
    {"INT08", RULE_ERROR, "This child has reviews but no Header row.",
     "CHILD", "Header|Reviews", 0, ALL, r_int08},
    {"INT09", RULE_ERROR, "This child is in UASC but has no Header row.",
     "CHILD", "Header|UASC", 0, ALL, r_int09},
    {"INT11", RULE_ERROR, "The date of birth in AD1 does not match the child's Header.",
     "DOB", "Header|AD1", 0, ALL, r_int11},
    {"INT12", RULE_ERROR, "The date of birth in PlacedAdoption does not match the child's Header.",
     "DOB", "Header|PlacedAdoption", 0, ALL, r_int12},
    {"INT13", RULE_ERROR, "The date of birth in Missing does not match the child's Header.",
     "DOB", "Header|Missing", 0, ALL, r_int13},
    {"INT14", RULE_ERROR, "The date of birth in OC2 does not match the child's Header.",
     "DOB", "Header|OC2", 0, ALL, r_int14},
    {"INT15", RULE_ERROR, "The date of birth in OC3 does not match the child's Header.",
     "DOB", "Header|OC3", 0, ALL, r_int15},
    {"INT16", RULE_ERROR, "The date of birth in PrevPerm does not match the child's Header.",
     "DOB", "Header|PrevPerm", 0, ALL, r_int16},
    {"INT17", RULE_ERROR, "The date of birth on this review does not match the child's Header.",
     "DOB", "Header|Reviews", 0, ALL, r_int17},
    {"INT18", RULE_ERROR, "The date of birth in UASC does not match the child's Header.",
     "DOB", "Header|UASC", 0, ALL, r_int18},
    {"INT21", RULE_ERROR, "The sex recorded in UASC does not match the child's Header.",
     "SEX", "Header|UASC", 0, ALL, r_int21},
    {"INT31", RULE_ERROR, "This child has more than one row in AD1; expected one.",
     "CHILD", "AD1", 0, ALL, r_int31},
    {"INT32", RULE_ERROR, "This child has more than one Header row; expected one.",
     "CHILD", "Header", 0, ALL, r_int32},
    {"INT33", RULE_ERROR, "This child has more than one row in OC2; expected one.",
     "CHILD", "OC2", 0, ALL, r_int33},
    {"INT34", RULE_ERROR, "This child has more than one row in OC3; expected one.",
     "CHILD", "OC3", 0, ALL, r_int34},
    {"INT35", RULE_ERROR, "This child has more than one row in PrevPerm; expected one.",
     "CHILD", "PrevPerm", 0, ALL, r_int35},
    {"INT36", RULE_ERROR, "This child has more than one row in UASC; expected one.",
     "CHILD", "UASC", 0, ALL, r_int36},
    {"NoE", RULE_ERROR, "This episode began before the collection year, but the child has no "
     "episodes in last year's return.",
     "DECOM", "Episodes|Episodes_last", RULE_NEEDS_LAST_YEAR, ALL, r_noe},
    {0},
};
/* clang-format on */
