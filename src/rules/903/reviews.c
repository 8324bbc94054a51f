/*
 * reviews.c — SSDA903 rules on the Reviews table: the review date and the
 * participation code must be valid (166, 167) and the code must fit the
 * child's age at the review: PN0 is for children under 4 (440), PN1–PN7 for
 * children of 4 and over (441).
 *
 * Readings chosen where the definition leaves room:
 *  - 167: a row with a review date needs a valid code; a row with no date
 *    must not carry a code either (a blank row is left to 166).
 *  - 440/441: the age is completed years on the review date (date_age), so
 *    on the 4th birthday itself the child is 4 and PN0 no longer fits; the
 *    two rules then leave no gap between them.  The date of birth is the
 *    row's own, or Header's when that is not a real date.
 */
#include "rules/903/util.h"

/*
 * The participation code's number: 0 for PN0 … 7 for PN7, -1 for anything
 * else (blank included).  Read character by character, as these rules ask it
 * of every review (a list of eight codes sharing "PN" made strcmp the cost).
 */
static int pn_number(const char *code)
{
        if (code && code[0] == 'P' && code[1] == 'N' && code[2] >= '0' && code[2] <= '7' &&
            code[3] == '\0')
                return code[2] - '0';
        return -1;
}

static int r_166(struct rule_ctx *ctx)
{
        const struct ssda903_table *rv = r9_tab(ctx, SSDA903_REVIEWS);
        for (size_t i = 0; i < rv->n; i++)
                if (!r9_real(rv->rows[i].d[RV_REVIEW]))
                        rule_report_903(ctx, SSDA903_REVIEWS, &rv->rows[i], NULL, NULL);
        return 0;
}

static int r_167(struct rule_ctx *ctx)
{
        const struct ssda903_table *rv = r9_tab(ctx, SSDA903_REVIEWS);
        for (size_t i = 0; i < rv->n; i++) {
                const struct ssda903_row *r = &rv->rows[i];
                const char *code = r->v[RV_REVIEW_CODE];
                if (r->v[RV_REVIEW] ? pn_number(code) < 0 : code != NULL)
                        rule_report_903(ctx, SSDA903_REVIEWS, r, NULL, NULL);
        }
        return 0;
}

/* Report reviews with a code PN`lo` to PN`hi` when the child is 4 or over (`at_least` 1) or
 * under 4 (`at_least` 0) on the review date. */
static int each_review_age(struct rule_ctx *ctx, int lo, int hi, int at_least)
{
        const struct ssda903_table *rv = r9_tab(ctx, SSDA903_REVIEWS);
        for (size_t i = 0; i < rv->n; i++) {
                const struct ssda903_row *r = &rv->rows[i];
                int pn = pn_number(r->v[RV_REVIEW_CODE]);
                if (pn < lo || pn > hi || !r9_real(r->d[RV_REVIEW]))
                        continue;
                date_t dob = r9_row_dob(ctx, r, RV_DOB);
                if (dob == DATE_NONE || r->d[RV_REVIEW] < dob)
                        continue;
                if (r9_age_at_least(dob, r->d[RV_REVIEW], 4) == at_least)
                        rule_report_903f(ctx, SSDA903_REVIEWS, r, NULL, "aged %d at the review",
                                         date_age(dob, r->d[RV_REVIEW]));
        }
        return 0;
}

static int r_440(struct rule_ctx *ctx)
{
        return each_review_age(ctx, 0, 0, 1);
}

static int r_441(struct rule_ctx *ctx)
{
        return each_review_age(ctx, 1, 7, 0);
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_reviews[] = {
    {"166", RULE_ERROR, "Review date is blank or not a real dd/mm/YYYY date.",
     "REVIEW", "Reviews", 0, ALL, r_166},
    {"167", RULE_ERROR, "Participation code is blank or not PN0-PN7 for a review with a date, "
     "or given for a row with no review date.",
     "REVIEW_CODE", "Reviews", 0, ALL, r_167},
    {"440", RULE_ERROR, "Participation code PN0 means the child was under 4 at the review, but "
     "by the dates the child was 4 or over.",
     "DOB|REVIEW|REVIEW_CODE", "Reviews", 0, ALL, r_440},
    {"441", RULE_ERROR, "Participation code PN1-PN7 means the child was 4 or over at the "
     "review, but by the dates the child was under 4.",
     "DOB|REVIEW|REVIEW_CODE", "Reviews", 0, ALL, r_441},
    {0},
};
/* clang-format on */
