/*
 * header_episodes.c — SSDA903 rules that read the child's Header row
 * together with another table: the mother fields against the episodes
 * (165, 393), the unknown-UPN code UN4 against time in care (210), ages at
 * the start and end of episodes (302, 352, 358, 359, 386, 387, 460), the
 * adoption decision before birth (184) and care leavers' accommodation at
 * 17 (3001).
 *
 * Readings chosen where the definition leaves room:
 *  - Ages are completed years on the date in question (date_age), so "aged
 *    18 or over" holds from the 18th birthday itself and "under 10" ends on
 *    the 10th birthday.
 *  - 165: MOTHER, when given, must be 0 or 1 and must not be given for a
 *    male child; it must be given for a female child with an episode in the
 *    year that is not a short break (V3/V4).  A care leaver with no episode
 *    this year may leave it blank, and one who gives it is not reported
 *    (Data to Insight also reports that case; DfE's wording does not).  The
 *    sex codes are those of the rule set (1/2 to 2023/24, M/F from 2024/25).
 *  - 210: a child "looked after for more than a week at 31 March" has an
 *    episode open at 31 March whose period of care (episodes joined
 *    end-to-start) began before 24 March.  Data to Insight's version reports
 *    the opposite case (a start on or after 24 March), which is the one case
 *    UN4 exists for; we follow the rule's own wording.
 *  - 302: the first episode is the child's earliest by start date in this
 *    year's return; only it is reported.
 *  - 359: an episode still open (DEC blank) for a young person whose 18th
 *    birthday fell before 31 March must be V2 in K2.
 *  - 393: any of the child's episodes with a legal status other than V3/V4
 *    (a blank one included) makes MOTHER required for a female child.
 *  - 184 and 3001 take the date of birth from Header, or from the row itself
 *    when the child has no Header row with a real date.
 */
#include "rules/903/util.h"

#include <string.h>

static const char *const short_breaks[] = {"V3", "V4", NULL};

/* Date of birth for a row of another table: Header's, else the row's own. */
static date_t child_dob(struct rule_ctx *ctx, const struct ssda903_row *r, int dob_col)
{
        date_t d = r9_dob(ctx, r->child);
        if (d == DATE_NONE && r9_real(r->d[dob_col]))
                d = r->d[dob_col];
        return d;
}

/* ---------------------------------------------------------------- mother */

static int in_year_not_short_break(struct rule_ctx *ctx, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
        for (size_t i = 0; i < n; i++) {
                const struct ssda903_row *r = e[i];
                if (r9_in_list(r->v[EP_LS], short_breaks) || !r9_real(r->d[EP_DECOM]))
                        continue;
                date_t dec = r9_real(r->d[EP_DEC]) ? r->d[EP_DEC] : ctx->end;
                if (r->d[EP_DECOM] <= ctx->end && dec >= ctx->start)
                        return 1;
        }
        return 0;
}

static int r_165(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        static const char *const codes[] = {"0", "1", NULL};
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                const char *m = r->v[HD_MOTHER], *sex = r->v[HD_SEX];
                if (m && !r9_in_list(m, codes))
                        rule_report_903f(ctx, SSDA903_HEADER, r, NULL, "MOTHER is %s", m);
                else if (m && r9_male(sex, ctx->rules_year))
                        rule_report_903(ctx, SSDA903_HEADER, r, NULL,
                                        "MOTHER is given for a male child");
                else if (!m && r9_female(sex, ctx->rules_year) &&
                         in_year_not_short_break(ctx, r->child))
                        rule_report_903(ctx, SSDA903_HEADER, r, NULL,
                                        "MOTHER is blank for a girl looked after this year");
        }
        return 0;
}

static int r_393(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                if (r->v[HD_MOTHER] || !r9_female(r->v[HD_SEX], ctx->rules_year))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, r->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (!r9_in_list(e[j]->v[EP_LS], short_breaks)) {
                                rule_report_903(ctx, SSDA903_HEADER, r, NULL, NULL);
                                break;
                        }
        }
        return 0;
}

/* ---------------------------------------------------------------- UN4 */

static int r_210(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        date_t week_before = ctx->end - 7;
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                if (!r9_is(r->v[HD_UPN], "UN4"))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, r->child, &n);
                for (size_t j = 0; j < n; j++) {
                        const struct ssda903_row *ep = e[j];
                        if (!r9_real(ep->d[EP_DECOM]) || ep->d[EP_DECOM] > ctx->end)
                                continue;
                        if (ep->d[EP_DEC] == DATE_BAD ||
                            (ep->d[EP_DEC] != DATE_NONE && ep->d[EP_DEC] <= ctx->end))
                                continue;
                        /* Open at 31 March: walk back to where its period of care began. */
                        size_t s = j;
                        while (s > 0 && r9_real(e[s - 1]->d[EP_DEC]) &&
                               e[s - 1]->d[EP_DEC] == e[s]->d[EP_DECOM])
                                s--;
                        if (e[s]->d[EP_DECOM] < week_before) {
                                rule_report_903f(ctx, SSDA903_HEADER, r, NULL,
                                                 "looked after since %s", e[s]->v[EP_DECOM]);
                                break;
                        }
                }
        }
        return 0;
}

/* ---------------------------------------------------------------- ages in episodes */

static int r_302(struct rule_ctx *ctx)
{
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, (uint32_t)k, &n);
                date_t dob = r9_dob(ctx, (uint32_t)k);
                if (n == 0 || dob == DATE_NONE || !r9_real(e[0]->d[EP_DECOM]))
                        continue;
                if (e[0]->d[EP_DECOM] < dob)
                        rule_report_903(ctx, SSDA903_EPISODES, e[0], NULL, NULL);
        }
        return 0;
}

/*
 * Report every episode whose code in `code_col` is one of `codes`, whose date
 * `col` is real, and whose child is `n` or over on that date (`at_least` 1) or
 * under `n` (`at_least` 0).
 */
static int each_episode_age(struct rule_ctx *ctx, int col, const char *const *codes, int code_col,
                            int n, int at_least)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_in_list(r->v[code_col], codes) || !r9_real(r->d[col]))
                        continue;
                date_t dob = r9_dob(ctx, r->child);
                if (dob == DATE_NONE || r->d[col] < dob)
                        continue;
                if (r9_age_at_least(dob, r->d[col], n) == at_least)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "aged %d",
                                         date_age(dob, r->d[col]));
        }
        return 0;
}

static int r_352(struct rule_ctx *ctx)
{
        static const char *const rne[] = {"S", NULL};
        return each_episode_age(ctx, EP_DECOM, rne, EP_RNE, 18, 1);
}

static int r_358(struct rule_ctx *ctx)
{
        static const char *const ls[] = {"J1", "J2", "J3", NULL};
        return each_episode_age(ctx, EP_DECOM, ls, EP_LS, 10, 0);
}

static int r_386(struct rule_ctx *ctx)
{
        static const char *const rec[] = {"E11", "E12", NULL};
        return each_episode_age(ctx, EP_DEC, rec, EP_REC, 18, 1);
}

static int r_387(struct rule_ctx *ctx)
{
        static const char *const rec[] = {"E5", "E6", NULL};
        return each_episode_age(ctx, EP_DEC, rec, EP_REC, 14, 0);
}

static int r_460(struct rule_ctx *ctx)
{
        static const char *const rec[] = {"E17", NULL};
        return each_episode_age(ctx, EP_DEC, rec, EP_REC, 18, 0);
}

static int r_359(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r->d[EP_DEC] != DATE_NONE)
                        continue;
                /* An 18th birthday before 31 March: 18 on 30 March. */
                date_t dob = r9_dob(ctx, r->child);
                if (dob == DATE_NONE || !r9_age_at_least(dob, ctx->end - 1, 18))
                        continue;
                if (!(r9_is(r->v[EP_LS], "V2") && r9_is(r->v[EP_PLACE], "K2")))
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- other tables */

static int r_184(struct rule_ctx *ctx)
{
        const struct ssda903_table *pa = r9_tab(ctx, SSDA903_PLACED_ADOPTION);
        for (size_t i = 0; i < pa->n; i++) {
                const struct ssda903_row *r = &pa->rows[i];
                date_t dob = child_dob(ctx, r, PA_DOB);
                if (dob != DATE_NONE && r9_real(r->d[PA_DATE_PLACED]) && r->d[PA_DATE_PLACED] < dob)
                        rule_report_903(ctx, SSDA903_PLACED_ADOPTION, r, NULL, NULL);
        }
        return 0;
}

static int r_3001(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc3 = r9_tab(ctx, SSDA903_OC3);
        static const char *const foster[] = {"Z1", "Z2", NULL};
        for (size_t i = 0; i < oc3->n; i++) {
                const struct ssda903_row *r = &oc3->rows[i];
                if (!r9_in_list(r->v[O3_ACCOM], foster))
                        continue;
                date_t dob = child_dob(ctx, r, O3_DOB);
                if (dob == DATE_NONE)
                        continue;
                date_t b17 = r9_birthday(dob, 17);
                if (b17 >= ctx->start && b17 <= ctx->end)
                        rule_report_903(ctx, SSDA903_OC3, r, NULL, NULL);
        }
        return 0;
}

#define ALL   RULES_ALL_YEARS
#define UNTIL RULES_UNTIL
#define FROM  RULES_FROM

/* clang-format off */
const struct rule_def rules_903_header_episodes[] = {
    {"165", RULE_ERROR, "MOTHER is not valid: it must be 0 or 1, must be blank for a male "
     "child, and must be given for a girl looked after during the year.",
     "MOTHER|SEX|ACTIV|ACCOM|IN_TOUCH|DECOM", "Header|Episodes|OC3", 0, ALL, r_165},
    {"184", RULE_ERROR, "The date of the decision that the child should be placed for adoption "
     "is before the child's date of birth.",
     "DATE_PLACED|DOB", "Header|PlacedAdoption", 0, ALL, r_184},
    {"210", RULE_ERROR, "UPN is UN4 (newly looked after) but the child had been looked after for "
     "more than a week on 31 March.",
     "UPN|DECOM", "Header|Episodes", 0, ALL, r_210},
    {"302", RULE_ERROR, "The child's first episode starts before their date of birth.",
     "DECOM|DOB", "Header|Episodes", 0, ALL, r_302},
    {"352", RULE_ERROR, "The child started to be looked after (RNE S) at 18 or over.",
     "DECOM|RNE", "Header|Episodes", 0, ALL, r_352},
    {"358", RULE_ERROR, "Legal status J1, J2 or J3 is recorded for a child under 10 at the "
     "start of the episode.",
     "DECOM|DOB|LS", "Header|Episodes", 0, ALL, r_358},
    {"359", RULE_ERROR, "A young person still looked after past their 18th birthday must be "
     "accommodated under section 20(5) in a children's home (LS V2, PLACE K2).",
     "DEC|LS|PLACE", "Header|Episodes", 0, ALL, r_359},
    {"386", RULE_ERROR, "The episode ended in adoption (E11/E12) when the child was already 18 "
     "or over.",
     "REC", "Header|Episodes", 0, ALL, r_386},
    {"387", RULE_ERROR, "The episode ended with a move to independent living (E5/E6) when the "
     "child was under 14.",
     "REC", "Header|Episodes", 0, ALL, r_387},
    {"393", RULE_ERROR, "MOTHER is blank for a girl (sex 2) who is looked after other than on "
     "short breaks.",
     "MOTHER", "Header|Episodes", 0, UNTIL(2024), r_393},
    {"393", RULE_ERROR, "MOTHER is blank for a girl (sex F) who is looked after other than on "
     "short breaks.",
     "MOTHER", "Header|Episodes", 0, FROM(2025), r_393},
    {"460", RULE_ERROR, "The episode ended with the young person staying with their carers at "
     "18 or over (E17), but they were under 18 when it ended.",
     "DEC|REC", "Header|Episodes", 0, ALL, r_460},
    {"3001", RULE_ERROR, "The young person's 17th birthday is in this year, so their care "
     "leaver accommodation cannot be with former foster carers (Z1/Z2).",
     "REC", "Header|OC3", 0, ALL, r_3001},
    {0},
};
/* clang-format on */
