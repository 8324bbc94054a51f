/*
 * episodes_links.c — SSDA903 rules led by Episodes that check another table
 * against the child's episodes: the adoption decision dates (117, 118) and
 * adoption details (334, 335), the SDQ fields of OC2 against whether the
 * child was looked after all year (185, 186, 198), earlier adoptions from
 * care (199) and mother status carried from last year (207).
 *
 * "Looked after continuously for 12 months at 31 March" is the OC2 cohort
 * of measures.md §0.3 and the OC2 family (r9_looked_after_all_year): an
 * episode open at some time in the year, and none that starts a period of
 * care (RNE S) after 1 April, ends one (REC other than X1) on or before
 * 31 March, or is a short break (LS V3, V4) open in the year.  A child who
 * ceased on 31 March itself is not looked after at 31 March (Data to Insight
 * lets that child stay in; we keep one cohort for every rule and measure).
 *
 * Readings chosen where the definition leaves room:
 *  - 117: "the child ceased to be looked after" is the latest episode (by
 *    DECOM) whose REC is not X1; an open latest episode leaves only the end
 *    of the collection year to compare with.
 *  - 118: the earliest episode is the earliest by DECOM whose LS is not V3
 *    or V4 (short breaks are not a period of care).
 *  - 186: the score is missing only when both SDQ_SCORE and SDQ_REASON are
 *    blank (a reason explains a missing score); the ages use OC2's DOB.
 *  - 199: the child's episodes of last year and this year are taken
 *    together; a last-year episode with the same DECOM as one of this year
 *    is the same episode.  Any episode of this year that starts after an
 *    adoption (REC E11, E12), or is a second adoption, is reported.
 *  - 207: the mother status must stay 1 once recorded as 1 last year, for a
 *    child with episodes this year; a blank MOTHER this year disagrees.
 *  - Rows of both tables are reported when a rule compares two (the episode
 *    and the PlacedAdoption or AD1 row), each once.
 */
#include "rules/903/util.h"

/* ---------------------------------------------------------------- helpers */

/* clang-format off */
static const char *const ADOPTED[] = {"E11", "E12", NULL};
static const char *const RESPITE[] = {"V3", "V4", NULL};
/* clang-format on */

/* ---------------------------------------------------------------- adoption decisions */

/*
 * 117, 118: for each child with episodes and PlacedAdoption rows, `pick` chooses the episode
 * the decisions are compared with (NULL: none to compare with); every decision row for which
 * `bad` holds is reported, then that episode once.
 */
static void decisions_against(struct rule_ctx *ctx,
                              const struct ssda903_row *(*pick)(struct ssda903_row *const *e,
                                                                size_t n),
                              int (*bad)(const struct rule_ctx *ctx, const struct ssda903_row *ep,
                                         const struct ssda903_row *pa))
{
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, np;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, (uint32_t)k, &n);
                struct ssda903_row *const *p =
                    r9_rows(ctx, SSDA903_PLACED_ADOPTION, (uint32_t)k, &np);
                if (n == 0 || np == 0)
                        continue;
                const struct ssda903_row *ep = pick(e, n);
                if (!ep)
                        continue;
                int any = 0;
                for (size_t j = 0; j < np; j++)
                        if (bad(ctx, ep, p[j])) {
                                rule_report_903(ctx, SSDA903_PLACED_ADOPTION, p[j], NULL, NULL);
                                any = 1;
                        }
                if (any)
                        rule_report_903(ctx, SSDA903_EPISODES, ep, NULL, NULL);
        }
}

/* 117: the latest episode (by DECOM) that did not end with X1. */
static const struct ssda903_row *last_ceased(struct ssda903_row *const *e, size_t n)
{
        const struct ssda903_row *last = NULL;
        for (size_t j = 0; j < n; j++)
                if (r9_real(e[j]->d[EP_DECOM]) && !r9_is(e[j]->v[EP_REC], "X1"))
                        last = e[j];
        return last;
}

/* 117: the decision dates cannot be after the year's end or after care ended. */
static int decided_late(const struct rule_ctx *ctx, const struct ssda903_row *last,
                        const struct ssda903_row *pa)
{
        date_t dec = r9_real(last->d[EP_DEC]) ? last->d[EP_DEC] : DATE_NONE;
        const date_t dates[2] = {pa->d[PA_DATE_PLACED], pa->d[PA_DATE_PLACED_CEASED]};
        int bad = 0;
        for (int q = 0; q < 2; q++)
                if (r9_real(dates[q]) &&
                    (dates[q] > ctx->end || (dec != DATE_NONE && dates[q] > dec)))
                        bad = 1;
        return bad;
}

static int r_117(struct rule_ctx *ctx)
{
        decisions_against(ctx, last_ceased, decided_late);
        return 0;
}

/* 118: the earliest episode (by DECOM) that is not a short break. */
static const struct ssda903_row *first_in_care(struct ssda903_row *const *e, size_t n)
{
        for (size_t j = 0; j < n; j++)
                if (r9_real(e[j]->d[EP_DECOM]) && !r9_in_list(e[j]->v[EP_LS], RESPITE))
                        return e[j];
        return NULL;
}

/* 118: a reversed decision cannot be before this year or before the child's care began. */
static int reversed_early(const struct rule_ctx *ctx, const struct ssda903_row *first,
                          const struct ssda903_row *pa)
{
        date_t ceased = pa->d[PA_DATE_PLACED_CEASED];
        return r9_real(ceased) && (ceased < ctx->start || ceased < first->d[EP_DECOM]);
}

static int r_118(struct rule_ctx *ctx)
{
        decisions_against(ctx, first_in_care, reversed_early);
        return 0;
}

/* 334: the decision to place for adoption comes on or after the latest period of care began. */
static int r_334(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, na;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                struct ssda903_row *const *a = ssda903_child_rows(ad, (uint32_t)k, &na);
                if (n == 0 || na == 0)
                        continue;
                const struct ssda903_row *start = NULL;
                for (size_t j = 0; j < n; j++)
                        if (r9_is(e[j]->v[EP_RNE], "S") && r9_real(e[j]->d[EP_DECOM]))
                                start = e[j];
                if (!start)
                        continue;
                int any = 0;
                for (size_t j = 0; j < na; j++)
                        if (r9_real(a[j]->d[AD_DATE_INT]) &&
                            a[j]->d[AD_DATE_INT] < start->d[EP_DECOM]) {
                                rule_report_903f(ctx, SSDA903_AD1, a[j], NULL,
                                                 "DATE_INT %s, care began %s", a[j]->v[AD_DATE_INT],
                                                 start->v[EP_DECOM]);
                                any = 1;
                        }
                if (any)
                        rule_report_903(ctx, SSDA903_EPISODES, start, NULL, NULL);
        }
        return 0;
}

/* 335: adopted by the foster carers (FOSTER_CARE 1) agrees with the last placement's type. */
static int r_335(struct rule_ctx *ctx)
{
        static const char *const rec[] = {"E1", "E11", "E12", NULL};
        static const char *const with_carers[] = {"A2", "A3", "A5", NULL};
        static const char *const not_carers[] = {"A1", "A4", "A6", NULL};
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, na;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                struct ssda903_row *const *a = ssda903_child_rows(ad, (uint32_t)k, &na);
                if (n == 0 || na == 0)
                        continue;
                int any = 0;
                for (size_t j = 0; j < n; j++) {
                        const struct ssda903_row *r = e[j];
                        if (!r9_in_list(r->v[EP_REC], rec))
                                continue;
                        int wrong = 0;
                        for (size_t q = 0; q < na; q++) {
                                const char *fc = a[q]->v[AD_FOSTER_CARE];
                                if ((r9_in_list(r->v[EP_PLACE], with_carers) && r9_is(fc, "0")) ||
                                    (r9_in_list(r->v[EP_PLACE], not_carers) && r9_is(fc, "1")))
                                        wrong = 1;
                        }
                        if (wrong) {
                                rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "placement %s",
                                                 r->v[EP_PLACE]);
                                any = 1;
                        }
                }
                if (any)
                        for (size_t q = 0; q < na; q++)
                                rule_report_903(ctx, SSDA903_AD1, a[q], NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- SDQ and continuous care */

/* 185, 198: SDQ fields given for a child not looked after all year. */
static int sdq_not_expected(struct rule_ctx *ctx, int col)
{
        const struct ssda903_table *oc2 = r9_tab(ctx, SSDA903_OC2);
        for (size_t i = 0; i < oc2->n; i++) {
                const struct ssda903_row *r = &oc2->rows[i];
                if (r->v[col] && !r9_looked_after_all_year(ctx, r->child))
                        rule_report_903(ctx, SSDA903_OC2, r, NULL, NULL);
        }
        return 0;
}
static int r_185(struct rule_ctx *ctx)
{
        return sdq_not_expected(ctx, O2_SDQ_SCORE);
}
static int r_198(struct rule_ctx *ctx)
{
        return sdq_not_expected(ctx, O2_SDQ_REASON);
}

/* 186: aged 4 by the year's start and under 17 at its end, in care all year: a score or a reason.
 */
static int r_186(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc2 = r9_tab(ctx, SSDA903_OC2);
        for (size_t i = 0; i < oc2->n; i++) {
                const struct ssda903_row *r = &oc2->rows[i];
                date_t dob = r->d[O2_DOB];
                if (!r9_real(dob) || r->v[O2_SDQ_SCORE] || r->v[O2_SDQ_REASON])
                        continue;
                if (date_add_months(dob, 48) <= ctx->start &&
                    date_add_months(dob, 17 * 12) > ctx->end &&
                    r9_looked_after_all_year(ctx, r->child))
                        rule_report_903(ctx, SSDA903_OC2, r, NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- against last year */

/* Is this last-year episode also in this year's return (same DECOM)? */
static int carried_over(struct ssda903_row *const *cur, size_t n, const struct ssda903_row *r)
{
        for (size_t j = 0; j < n; j++)
                if (cur[j]->d[EP_DECOM] == r->d[EP_DECOM])
                        return 1;
        return 0;
}

/* 199: a child adopted from care does not come back into care in these returns. */
static int r_199(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        const struct ssda903_table *el = r9_tab(ctx, SSDA903_EPISODES_LAST);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nl;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                struct ssda903_row *const *l = ssda903_child_rows(el, (uint32_t)k, &nl);
                /* Both lists are in DECOM order: merge them, this year's first on equal dates. */
                size_t i = 0, j = 0;
                int adoptions = 0;
                while (i < n || j < nl) {
                        if (j < nl && (!r9_real(l[j]->d[EP_DECOM]) || carried_over(e, n, l[j]))) {
                                j++;
                                continue;
                        }
                        if (i < n && !r9_real(e[i]->d[EP_DECOM])) {
                                i++;
                                continue;
                        }
                        int take_cur = i < n && (j >= nl || e[i]->d[EP_DECOM] <= l[j]->d[EP_DECOM]);
                        const struct ssda903_row *r = take_cur ? e[i++] : l[j++];
                        int adopted = r9_in_list(r->v[EP_REC], ADOPTED);
                        adoptions += adopted;
                        if (take_cur && adoptions > 0 && !(adoptions == 1 && adopted))
                                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
                }
        }
        return 0;
}

/* 207: once a mother, always a mother. */
static int r_207(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        const struct ssda903_table *hl = r9_tab(ctx, SSDA903_HEADER_LAST);
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                size_t n, ne;
                struct ssda903_row *const *l = ssda903_child_rows(hl, r->child, &n);
                ssda903_child_rows(ep, r->child, &ne);
                if (ne == 0 || r9_is(r->v[HD_MOTHER], "1"))
                        continue;
                for (size_t j = 0; j < n; j++)
                        if (r9_is(l[j]->v[HD_MOTHER], "1")) {
                                rule_report_903f(ctx, SSDA903_HEADER, r, NULL,
                                                 "1 last year, %s now",
                                                 r->v[HD_MOTHER] ? r->v[HD_MOTHER] : "blank");
                                break;
                        }
        }
        return 0;
}

/* ---------------------------------------------------------------- the table */

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_episodes_links[] = {
    {"117", RULE_ERROR, "A decision that the child should (or should no longer) be placed for "
     "adoption is dated after the collection year or after the child ceased to be looked after.",
     "DATE_PLACED_CEASED|DATE_PLACED|DEC|REC|DECOM", "Episodes|PlacedAdoption", 0, ALL, r_117},
    {"118", RULE_ERROR, "The decision that the child should no longer be placed for adoption is "
     "dated before the collection year or before the child started to be looked after.",
     "DECOM|LS", "Episodes|PlacedAdoption", 0, ALL, r_118},
    {"185", RULE_ERROR, "An SDQ score is given, but the child has not been looked after "
     "continuously for 12 months at 31 March.",
     "SDQ_SCORE", "Episodes|OC2", 0, ALL, r_185},
    {"186", RULE_ERROR, "A child aged 4 to 16 looked after continuously for 12 months should have "
     "an SDQ score (or a reason why there is none).",
     "SDQ_SCORE", "Episodes|OC2", 0, ALL, r_186},
    {"198", RULE_ERROR, "A reason for no SDQ score is given, but the child has not been looked "
     "after continuously for 12 months at 31 March.",
     "SDQ_REASON", "Episodes|OC2", 0, ALL, r_198},
    {"199", RULE_ERROR, "The episodes show the child was adopted from care before this episode "
     "(checked over last year's and this year's returns only).",
     "CHILD", "Episodes", RULE_NEEDS_LAST_YEAR, ALL, r_199},
    {"207", RULE_ERROR, "Last year's return records this child as a mother (MOTHER 1); this "
     "year's disagrees.",
     "MOTHER", "Episodes|Header|Header_last", RULE_NEEDS_LAST_YEAR, ALL, r_207},
    {"334", RULE_ERROR, "The decision that the child should be placed for adoption (DATE_INT) is "
     "before the latest period of care began (DECOM of the last RNE S episode).",
     "DATE_INT|DECOM|RNE", "Episodes|AD1", 0, ALL, r_334},
    {"335", RULE_ERROR, "Adoption by the foster carers (FOSTER_CARE) disagrees with the last "
     "placement: 0 with A3 or A5 (placed with current foster carers), or 1 with A4 or A6.",
     "PLACE|FOSTER_CARE", "Episodes|AD1", 0, ALL, r_335},
    {0},
};
/* clang-format on */
