/*
 * adoption.c — SSDA903 rules on adoption: the AD1 table (children adopted
 * in the year: dates, codes, completeness, the adopters' number, sex and
 * legal status agreeing, matching before placement) and the PlacedAdoption
 * table (decisions that a child should be placed for adoption, their
 * reversal, overlaps, agreement with AD1 and with last year's return).
 *
 * Readings chosen where the definition leaves room:
 *  - 112, 113, 115, 116: a blank date is not an invalid one (completeness
 *    rules say when it is required).
 *  - 511–524: the adopters' sex code is compared only when given; a blank
 *    SEX_ADOPTR is reported by 151.
 *  - 331: "the date of placement for adoption" is the start (DECOM) of the
 *    episode that ended in adoption (REC E11, E12); the AD1 row and each such
 *    episode matched after it are reported.
 *  - 333: a matching date with DATE_INT blank is reported too (DfE: the
 *    decision date must then be given); an invalid DATE_INT is left to 112.
 *  - 523: AD1's DATE_INT is compared with the child's latest decision to
 *    place (the one that led to the adoption); earlier, reversed decisions
 *    naturally differ.  Both rows are reported.
 *  - 525: each reversed decision (DATE_PLACED_CEASED given) is reported, and
 *    the child's AD1 row once.
 *  - 559: a decision dated before this year must be in last year's
 *    PlacedAdoption table: reported when last year's table has no row for
 *    the child with a real DATE_PLACED.
 *  - 560: when last year's decision was still open, this year's rows must
 *    carry its date; when none does, each of this year's rows with a real
 *    DATE_PLACED is reported.
 *  - 561, 584: this year's decisions are compared with each of last year's
 *    decisions that had been reversed (ceased date or reason given): the
 *    same date is reported by 561, an earlier or equal one by 584.  Blank or
 *    invalid dates take no part.
 *  - 563: the decision was reversed (both ceased date and reason given) but
 *    DATE_PLACED is blank.
 *  - 579: decisions are taken in order of DATE_PLACED; one is reported when
 *    an earlier one is still open, or when it starts before an earlier one
 *    ceased.  583: every decision but the latest must have been reversed;
 *    the earlier open ones are reported.  Rows without a real DATE_PLACED
 *    cannot be ordered and take no part in either.
 */
#include "rules/903/util.h"

static int ad1_any(const struct ssda903_row *r)
{
        for (int c = AD_DATE_INT; c <= AD_LS_ADOPTR; c++)
                if (r->v[c])
                        return 1;
        return 0;
}

static int each_row(struct rule_ctx *ctx, int table,
                    int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *t = r9_tab(ctx, table);
        for (size_t i = 0; i < t->n; i++)
                if (bad(ctx, &t->rows[i]))
                        rule_report_903(ctx, table, &t->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- AD1: values */

static int bad_112(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[AD_DATE_INT] == DATE_BAD;
}

static int bad_113(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[AD_DATE_MATCH] == DATE_BAD;
}

static int bad_114(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[AD_FOSTER_CARE] && !r9_in(r->v[AD_FOSTER_CARE], "0 1");
}

static int bad_151(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        int n = 0;
        for (int c = AD_DATE_INT; c <= AD_LS_ADOPTR; c++)
                n += r->v[c] != NULL;
        return n != 0 && n != AD_LS_ADOPTR - AD_DATE_INT + 1;
}

static int bad_175(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[AD_NB_ADOPTR] && !r9_in(r->v[AD_NB_ADOPTR], "1 2");
}

static int bad_176(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[AD_SEX_ADOPTR] && !r9_in(r->v[AD_SEX_ADOPTR], "M1 F1 MM FF MF");
}

static int bad_177(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[AD_LS_ADOPTR] && !r9_in(r->v[AD_LS_ADOPTR], "L0 L11 L12 L2 L3 L4");
}

static int bad_333(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t i = r->d[AD_DATE_INT], m = r->d[AD_DATE_MATCH];
        return r9_real(m) && (i == DATE_NONE || (r9_real(i) && i > m));
}

/* ---------------------------------------------------------------- AD1: adopters */

/* The legal status `ls` allows only the sex codes in `sexes`. */
static int adopters_disagree(const struct ssda903_row *r, const char *ls, const char *sexes)
{
        return r9_is(r->v[AD_LS_ADOPTR], ls) && r->v[AD_SEX_ADOPTR] &&
               !r9_in(r->v[AD_SEX_ADOPTR], sexes);
}

static int bad_511(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[AD_NB_ADOPTR], "2") && r9_in(r->v[AD_SEX_ADOPTR], "M1 F1");
}

static int bad_514(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L0", "M1 F1");
}

static int bad_517(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L3", "MF");
}

static int bad_518(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L4", "MM FF");
}

static int bad_519(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L2", "MM FF MF");
}

static int bad_520(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L11", "MF");
}

static int bad_524(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return adopters_disagree(r, "L12", "MM FF");
}

#define AD1_FN(code)                                                                               \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_row(ctx, SSDA903_AD1, bad_##code);                                     \
        }
AD1_FN(112)
AD1_FN(113)
AD1_FN(114)
AD1_FN(151)
AD1_FN(175)
AD1_FN(176)
AD1_FN(177)
AD1_FN(333)
AD1_FN(511)
AD1_FN(514)
AD1_FN(517)
AD1_FN(518)
AD1_FN(519)
AD1_FN(520)
AD1_FN(524)

/* 331: matched with the adopters on or before the placement that ended in adoption. */
static int r_331(struct rule_ctx *ctx)
{
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t i = 0; i < ad->n; i++) {
                const struct ssda903_row *a = &ad->rows[i];
                date_t match = a->d[AD_DATE_MATCH];
                if (!r9_real(match))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, a->child, &n);
                int reported = 0;
                for (size_t j = 0; j < n; j++) {
                        date_t decom = e[j]->d[EP_DECOM];
                        if (!r9_in(e[j]->v[EP_REC], "E11 E12") || !r9_real(decom) || match <= decom)
                                continue;
                        if (!reported)
                                rule_report_903(ctx, SSDA903_AD1, a, NULL, NULL);
                        reported = 1;
                        rule_report_903(ctx, SSDA903_EPISODES, e[j], NULL, NULL);
                }
        }
        return 0;
}

/* ---------------------------------------------------------------- PlacedAdoption: values */

static int bad_115(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[PA_DATE_PLACED] == DATE_BAD;
}

static int bad_116(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[PA_DATE_PLACED_CEASED] == DATE_BAD;
}

static int bad_119(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return !r->v[PA_DATE_PLACED_CEASED] != !r->v[PA_REASON_PLACED_CEASED];
}

static int bad_120(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[PA_REASON_PLACED_CEASED] &&
               !r9_in(r->v[PA_REASON_PLACED_CEASED], "RD1 RD2 RD3 RD4");
}

static int bad_522(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t p = r->d[PA_DATE_PLACED], c = r->d[PA_DATE_PLACED_CEASED];
        return r9_real(p) && r9_real(c) && c < p;
}

static int bad_563(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[PA_DATE_PLACED_CEASED] && r->v[PA_REASON_PLACED_CEASED] &&
               !r->v[PA_DATE_PLACED];
}

#define PA_FN(code)                                                                                \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_row(ctx, SSDA903_PLACED_ADOPTION, bad_##code);                         \
        }
PA_FN(115)
PA_FN(116)
PA_FN(119)
PA_FN(120)
PA_FN(522)
PA_FN(563)

/* ---------------------------------------------------------------- PlacedAdoption: per child */

/* Rows of child k with a real DATE_PLACED: they come first in the per-child order. */
static size_t dated(struct ssda903_row *const *p, size_t n)
{
        size_t m = 0;
        while (m < n && r9_real(p[m]->d[PA_DATE_PLACED]))
                m++;
        return m;
}

/* 523: the adoption decision date agrees with the latest decision to place. */
static int r_523(struct rule_ctx *ctx)
{
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t i = 0; i < ad->n; i++) {
                const struct ssda903_row *a = &ad->rows[i];
                if (!r9_real(a->d[AD_DATE_INT]))
                        continue;
                size_t n;
                struct ssda903_row *const *p = r9_rows(ctx, SSDA903_PLACED_ADOPTION, a->child, &n);
                size_t m = dated(p, n);
                if (m == 0 || p[m - 1]->d[PA_DATE_PLACED] == a->d[AD_DATE_INT])
                        continue;
                rule_report_903f(ctx, SSDA903_PLACED_ADOPTION, p[m - 1], NULL, "%s here, %s in AD1",
                                 p[m - 1]->v[PA_DATE_PLACED], a->v[AD_DATE_INT]);
                rule_report_903(ctx, SSDA903_AD1, a, NULL, NULL);
        }
        return 0;
}

/* 525: a reversed decision and an adoption in the same year. */
static int r_525(struct rule_ctx *ctx)
{
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t i = 0; i < ad->n; i++) {
                const struct ssda903_row *a = &ad->rows[i];
                if (!ad1_any(a))
                        continue;
                size_t n;
                struct ssda903_row *const *p = r9_rows(ctx, SSDA903_PLACED_ADOPTION, a->child, &n);
                int any = 0;
                for (size_t j = 0; j < n; j++)
                        if (p[j]->v[PA_DATE_PLACED_CEASED]) {
                                rule_report_903(ctx, SSDA903_PLACED_ADOPTION, p[j], NULL, NULL);
                                any = 1;
                        }
                if (any)
                        rule_report_903(ctx, SSDA903_AD1, a, NULL, NULL);
        }
        return 0;
}

/* 579: decisions in date order must not overlap or start while an earlier one is open. */
static int r_579(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *p = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &n);
                size_t m = dated(p, n);
                int open_before = 0;
                date_t ceased_before = DATE_NONE; /* latest real ceased date so far */
                for (size_t j = 0; j < m; j++) {
                        date_t placed = p[j]->d[PA_DATE_PLACED];
                        date_t ceased = p[j]->d[PA_DATE_PLACED_CEASED];
                        if (j > 0 && open_before)
                                rule_report_903(ctx, SSDA903_PLACED_ADOPTION, p[j], NULL,
                                                "an earlier decision is still open");
                        else if (j > 0 && ceased_before != DATE_NONE && placed < ceased_before)
                                rule_report_903(ctx, SSDA903_PLACED_ADOPTION, p[j], NULL,
                                                "an earlier decision ceased after this date");
                        if (ceased == DATE_NONE)
                                open_before = 1;
                        else if (r9_real(ceased) &&
                                 (ceased_before == DATE_NONE || ceased > ceased_before))
                                ceased_before = ceased;
                }
        }
        return 0;
}

/* 583: with several decisions, every one but the latest must have been reversed. */
static int r_583(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *p = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &n);
                size_t m = dated(p, n);
                for (size_t j = 0; j + 1 < m; j++)
                        if (!p[j]->v[PA_DATE_PLACED_CEASED])
                                rule_report_903(ctx, SSDA903_PLACED_ADOPTION, p[j], NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- PlacedAdoption: last year */

/* 559: a decision from before this year must appear in last year's return. */
static int r_559(struct rule_ctx *ctx)
{
        const struct ssda903_table *pa = r9_tab(ctx, SSDA903_PLACED_ADOPTION);
        for (size_t i = 0; i < pa->n; i++) {
                const struct ssda903_row *r = &pa->rows[i];
                date_t placed = r->d[PA_DATE_PLACED];
                if (!r9_real(placed) || placed >= ctx->start)
                        continue;
                size_t n;
                struct ssda903_row *const *l =
                    r9_rows(ctx, SSDA903_PLACED_ADOPTION_LAST, r->child, &n);
                if (dated(l, n) == 0)
                        rule_report_903(ctx, SSDA903_PLACED_ADOPTION, r, NULL, NULL);
        }
        return 0;
}

/* 560: last year's open decision keeps its date this year. */
static int r_560(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nl;
                struct ssda903_row *const *p = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &n);
                size_t m = dated(p, n);
                if (m == 0)
                        continue;
                struct ssda903_row *const *l = r9_rows(ctx, SSDA903_PLACED_ADOPTION_LAST, k, &nl);
                size_t ml = dated(l, nl);
                for (size_t j = 0; j < ml; j++) {
                        if (l[j]->v[PA_DATE_PLACED_CEASED])
                                continue;
                        date_t open = l[j]->d[PA_DATE_PLACED];
                        int carried = 0;
                        for (size_t i = 0; i < m; i++)
                                carried |= p[i]->d[PA_DATE_PLACED] == open;
                        if (carried)
                                continue;
                        for (size_t i = 0; i < m; i++)
                                rule_report_903f(ctx, SSDA903_PLACED_ADOPTION, p[i], NULL,
                                                 "last year's open decision is dated %s",
                                                 l[j]->v[PA_DATE_PLACED]);
                        break;
                }
        }
        return 0;
}

/* 561 (same_is_bad) and 584 (earlier or the same): against last year's reversed decisions. */
static int against_reversed(struct rule_ctx *ctx, int same_only)
{
        const struct ssda903_table *pa = r9_tab(ctx, SSDA903_PLACED_ADOPTION);
        for (size_t i = 0; i < pa->n; i++) {
                const struct ssda903_row *r = &pa->rows[i];
                date_t placed = r->d[PA_DATE_PLACED];
                if (!r9_real(placed))
                        continue;
                size_t n;
                struct ssda903_row *const *l =
                    r9_rows(ctx, SSDA903_PLACED_ADOPTION_LAST, r->child, &n);
                size_t m = dated(l, n);
                for (size_t j = 0; j < m; j++) {
                        if (!l[j]->v[PA_DATE_PLACED_CEASED] && !l[j]->v[PA_REASON_PLACED_CEASED])
                                continue;
                        date_t last = l[j]->d[PA_DATE_PLACED];
                        if (same_only ? placed == last : placed <= last) {
                                rule_report_903f(ctx, SSDA903_PLACED_ADOPTION, r, NULL,
                                                 "last year's decision of %s was reversed",
                                                 l[j]->v[PA_DATE_PLACED]);
                                break;
                        }
                }
        }
        return 0;
}

static int r_561(struct rule_ctx *ctx)
{
        return against_reversed(ctx, 1);
}

static int r_584(struct rule_ctx *ctx)
{
        return against_reversed(ctx, 0);
}

#define ALL       RULES_ALL_YEARS
#define LAST      RULE_NEEDS_LAST_YEAR
#define AD1_ITEMS "DATE_INT|DATE_MATCH|FOSTER_CARE|NB_ADOPTR|SEX_ADOPTR|LS_ADOPTR"

/* clang-format off */
const struct rule_def rules_903_adoption[] = {
    /* AD1 */
    {"112", RULE_ERROR, "The date of the decision that the child should be placed for adoption "
     "(DATE_INT) is not a real dd/mm/YYYY date.",
     "DATE_INT", "AD1", 0, ALL, r_112},
    {"113", RULE_ERROR, "The date the child was matched with the adopters (DATE_MATCH) is not a "
     "real dd/mm/YYYY date.",
     "DATE_MATCH", "AD1", 0, ALL, r_113},
    {"114", RULE_ERROR, "Whether the child was adopted by former foster carers is not 0 or 1.",
     "FOSTER_CARE", "AD1", 0, ALL, r_114},
    {"151", RULE_ERROR, "Some adoption items are given and some are blank; give all six or leave "
     "all blank.",
     AD1_ITEMS, "AD1", 0, ALL, r_151},
    {"175", RULE_ERROR, "The number of adopters is not 1 or 2.",
     "NB_ADOPTR", "AD1", 0, ALL, r_175},
    {"176", RULE_ERROR, "The sex of the adopters is not a valid code (M1, F1, MM, FF, MF).",
     "SEX_ADOPTR", "AD1", 0, ALL, r_176},
    {"177", RULE_ERROR, "The legal status of the adopters is not a valid code (L0, L11, L12, L2, "
     "L3, L4).",
     "LS_ADOPTR", "AD1", 0, ALL, r_177},
    {"331", RULE_ERROR, "The child was matched with the adopters after being placed for the "
     "adoption (the start of the episode that ended in adoption).",
     "DATE_MATCH|DECOM|REC", "AD1|Episodes", 0, ALL, r_331},
    {"333", RULE_ERROR, "The date of the decision that the child should be placed for adoption "
     "is blank, or later than the date of matching with the adopters.",
     "DATE_INT", "AD1", 0, ALL, r_333},
    {"511", RULE_ERROR, "There are two adopters, so their sex code must be MM, FF or MF.",
     "NB_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_511},
    {"514", RULE_ERROR, "The legal status is a single adopter (L0), but the sex code describes a "
     "couple.",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_514},
    {"517", RULE_ERROR, "The adopters are an unmarried couple of different sexes (L3), so their "
     "sex code must be MF.",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_517},
    {"518", RULE_ERROR, "The adopters are an unmarried same-sex couple (L4), so their sex code "
     "must be MM or FF.",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_518},
    {"519", RULE_ERROR, "The adopters are civil partners (L2), but their sex code does not "
     "describe a couple (MM, FF or MF).",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_519},
    {"520", RULE_ERROR, "The adopters are a married couple of different sexes (L11), so their "
     "sex code must be MF.",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_520},
    {"524", RULE_ERROR, "The adopters are a married same-sex couple (L12), so their sex code "
     "must be MM or FF.",
     "LS_ADOPTR|SEX_ADOPTR", "AD1", 0, ALL, r_524},
    /* PlacedAdoption */
    {"115", RULE_ERROR, "The date of the decision that the child should be placed for adoption "
     "(DATE_PLACED) is not a real dd/mm/YYYY date.",
     "DATE_PLACED", "PlacedAdoption", 0, ALL, r_115},
    {"116", RULE_ERROR, "The date the decision to place for adoption was reversed "
     "(DATE_PLACED_CEASED) is not a real dd/mm/YYYY date.",
     "DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_116},
    {"119", RULE_ERROR, "The date and the reason the decision to place for adoption was reversed "
     "must be given together.",
     "REASON_PLACED_CEASED|DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_119},
    {"120", RULE_ERROR, "The reason the decision to place for adoption was reversed is not one "
     "of RD1 to RD4.",
     "REASON_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_120},
    {"522", RULE_ERROR, "The decision to place for adoption was reversed before it was made.",
     "DATE_PLACED|DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_522},
    {"523", RULE_ERROR, "The date of the latest decision to place for adoption differs from the "
     "decision date in AD1 (DATE_INT).",
     "DATE_PLACED|DATE_INT", "PlacedAdoption|AD1", 0, ALL, r_523},
    {"525", RULE_ERROR, "The decision to place the child for adoption was reversed, yet the "
     "child has adoption (AD1) information for this year.",
     "DATE_PLACED_CEASED|" AD1_ITEMS, "PlacedAdoption|AD1", 0, ALL, r_525},
    {"559", RULE_ERROR, "The decision to place for adoption was made before this year, but last "
     "year's return has no decision date for the child.",
     "DATE_PLACED", "PlacedAdoption|PlacedAdoption_last", LAST, ALL, r_559},
    {"560", RULE_ERROR, "Last year's decision to place for adoption was still open, but this "
     "year's decision has a different date.",
     "DATE_PLACED|DATE_PLACED_CEASED", "PlacedAdoption|PlacedAdoption_last", LAST, ALL, r_560},
    {"561", RULE_ERROR, "This decision to place for adoption has the same date as one reversed "
     "in last year's return.",
     "DATE_PLACED", "PlacedAdoption|PlacedAdoption_last", LAST, ALL, r_561},
    {"563", RULE_ERROR, "The decision to place for adoption was reversed, but the date it was "
     "made is blank.",
     "DATE_PLACED|REASON_PLACED_CEASED|DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_563},
    {"579", RULE_ERROR, "This decision to place for adoption starts while an earlier decision is "
     "still open, or before an earlier one was reversed.",
     "DATE_PLACED|DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_579},
    {"583", RULE_ERROR, "There is a later decision to place for adoption, but this earlier one "
     "has no date it was reversed (which may belong to a previous year).",
     "DATE_PLACED|DATE_PLACED_CEASED", "PlacedAdoption", 0, ALL, r_583},
    {"584", RULE_ERROR, "Last year's decision to place for adoption was reversed, so a decision "
     "this year must be dated after it.",
     "DATE_PLACED", "PlacedAdoption|PlacedAdoption_last", LAST, ALL, r_584},
    {0},
};
/* clang-format on */
