/*
 * episodes_b2.c — SSDA903 rules joining Episodes with the adoption tables
 * (AD1: 521, 582, 601, 602; PlacedAdoption: 551–558, 1003) and with the
 * Missing table (575, 577, 578, 580, 581).
 *
 * Readings chosen where the definition leaves room (see also
 * util.h for blanks and invalid dates):
 *  - A period of care (577, 578) is a run of the child's episodes, ordered
 *    by DECOM, in which each starts no later than the previous one ended; an
 *    episode without a real DEC does not end its period.  Its start is the
 *    first DECOM, its end the last episode's DEC (none while open).  A
 *    Missing row is reported when it fits none of the child's periods.
 *  - 521: every adoption placement that a DATE_INT follows is reported, and
 *    each late AD1 row once, however many placements it follows.
 *  - 558: "the decision was not disrupted" is read as: the child's
 *    PlacedAdoption rows must include one without DATE_PLACED_CEASED; when
 *    every row has one, the adoption episode and those rows are reported.
 *  - 557: a child with several qualifying episodes has each incomplete
 *    PlacedAdoption row reported once.
 *  - 580: the 18th birthday is taken from the Missing row's DOB, or from
 *    Header when that is blank.
 *  - 581: a Missing row without a real MIS_START is left to the date rules.
 */
#include "rules/903/util.h"

#define PLACED_FOR_ADOPTION "A3 A4 A5 A6"

static void report(struct rule_ctx *ctx, int t, const struct ssda903_row *r)
{
        rule_report_903(ctx, t, r, NULL, NULL);
}

/* ---------------------------------------------------------------- AD1 */

/* 521: the decision that the child should be placed (DATE_INT) comes before the placement. */
static int r_521(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nad;
                struct ssda903_row *const *ad = r9_rows(ctx, SSDA903_AD1, k, &nad);
                if (nad == 0)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                /* The earliest placement for adoption is the one every decision must precede. */
                date_t earliest = DATE_NONE;
                for (size_t i = 0; i < n; i++) {
                        date_t d = e[i]->d[EP_DECOM];
                        if (!r9_in(e[i]->v[EP_PLACE], PLACED_FOR_ADOPTION) || !r9_real(d))
                                continue;
                        int late = 0;
                        for (size_t j = 0; j < nad; j++)
                                late |= r9_real(ad[j]->d[AD_DATE_INT]) && ad[j]->d[AD_DATE_INT] > d;
                        if (late)
                                report(ctx, SSDA903_EPISODES, e[i]);
                        if (earliest == DATE_NONE || d < earliest)
                                earliest = d;
                }
                for (size_t j = 0; earliest != DATE_NONE && j < nad; j++)
                        if (r9_real(ad[j]->d[AD_DATE_INT]) && ad[j]->d[AD_DATE_INT] > earliest)
                                report(ctx, SSDA903_AD1, ad[j]);
        }
        return 0;
}

/* 582: adopted on the very day the match with adopters was made. */
static int r_582(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_in(r->v[EP_REC], "E11 E12") || !r9_real(r->d[EP_DEC]))
                        continue;
                size_t n;
                struct ssda903_row *const *ad = r9_rows(ctx, SSDA903_AD1, r->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (ad[j]->d[AD_DATE_MATCH] == r->d[EP_DEC]) {
                                report(ctx, SSDA903_EPISODES, r);
                                break;
                        }
        }
        return 0;
}

static int adopted_in_year(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dec = r->d[EP_DEC];
        return r9_in(r->v[EP_REC], "E11 E12") && r9_real(dec) && dec >= ctx->start &&
               dec <= ctx->end;
}

static const int ad1_fields[] = {AD_DATE_INT,  AD_DATE_MATCH, AD_FOSTER_CARE,
                                 AD_NB_ADOPTR, AD_SEX_ADOPTR, AD_LS_ADOPTR};
#define NAD1 (sizeof ad1_fields / sizeof *ad1_fields)

/* Number of the six adoption fields completed in an AD1 row. */
static size_t ad1_completed(const struct ssda903_row *a)
{
        size_t n = 0;
        for (size_t i = 0; i < NAD1; i++)
                n += a->v[ad1_fields[i]] != NULL;
        return n;
}

/* 601: adopted in the year and in AD1, but some AD1 fields are blank. */
static int r_601(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nad;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                struct ssda903_row *const *ad = r9_rows(ctx, SSDA903_AD1, k, &nad);
                int incomplete = 0;
                for (size_t j = 0; j < nad; j++)
                        incomplete |= ad1_completed(ad[j]) < NAD1;
                if (!incomplete)
                        continue;
                int adopted = 0;
                for (size_t i = 0; i < n; i++)
                        if (adopted_in_year(ctx, e[i])) {
                                report(ctx, SSDA903_EPISODES, e[i]);
                                adopted = 1;
                        }
                for (size_t j = 0; adopted && j < nad; j++)
                        if (ad1_completed(ad[j]) < NAD1)
                                report(ctx, SSDA903_AD1, ad[j]);
        }
        return 0;
}

/* 602: adoption details for a child whose episodes show no adoption in the year. */
static int r_602(struct rule_ctx *ctx)
{
        const struct ssda903_table *ad = r9_tab(ctx, SSDA903_AD1);
        for (size_t j = 0; j < ad->n; j++) {
                const struct ssda903_row *a = &ad->rows[j];
                if (ad1_completed(a) == 0)
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, a->child, &n);
                int adopted = 0;
                for (size_t i = 0; i < n && !adopted; i++)
                        adopted = adopted_in_year(ctx, e[i]);
                if (!adopted)
                        report(ctx, SSDA903_AD1, a);
        }
        return 0;
}

/* ---------------------------------------------------------------- PlacedAdoption */

/* 551: placed for adoption, but no date of the decision that the child should be. */
static int r_551(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        struct r9_list_memo memo;
        memset(&memo, 0, sizeof memo);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_in_memo(&memo, r->v[EP_PLACE], PLACED_FOR_ADOPTION))
                        continue;
                size_t n;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, r->child, &n);
                int missing = n == 0;
                for (size_t j = 0; j < n; j++)
                        missing |= pa[j]->v[PA_DATE_PLACED] == NULL;
                if (missing)
                        report(ctx, SSDA903_EPISODES, r);
        }
        return 0;
}

/* 552: the latest decision to place must not come after the first adoption placement. */
static int r_552(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                if (npa == 0)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *first = NULL, *latest = NULL;
                for (size_t i = 0; i < n && !first; i++)
                        if (r9_in(e[i]->v[EP_PLACE], PLACED_FOR_ADOPTION) &&
                            r9_real(e[i]->d[EP_DECOM]))
                                first = e[i];
                for (size_t j = 0; j < npa; j++)
                        if (r9_real(pa[j]->d[PA_DATE_PLACED]) &&
                            (!latest || pa[j]->d[PA_DATE_PLACED] > latest->d[PA_DATE_PLACED]))
                                latest = pa[j];
                if (first && latest && first->d[EP_DECOM] < latest->d[PA_DATE_PLACED]) {
                        report(ctx, SSDA903_EPISODES, first);
                        report(ctx, SSDA903_PLACED_ADOPTION, latest);
                }
        }
        return 0;
}

/*
 * 553 (placement order, E1) and 555 (freeing order, D1): an episode under
 * the order needs a PlacedAdoption row, and while such an episode is open
 * the decision cannot have been reversed.
 */
static int order_without_decision(struct rule_ctx *ctx, const char *ls)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                int open = 0;
                for (size_t i = 0; i < n; i++) {
                        if (!r9_eq(e[i]->v[EP_LS], ls))
                                continue;
                        if (npa == 0)
                                report(ctx, SSDA903_EPISODES, e[i]);
                        open |= e[i]->v[EP_DEC] == NULL;
                }
                for (size_t j = 0; open && j < npa; j++)
                        if (pa[j]->v[PA_DATE_PLACED_CEASED] || pa[j]->v[PA_REASON_PLACED_CEASED])
                                report(ctx, SSDA903_PLACED_ADOPTION, pa[j]);
        }
        return 0;
}

static int r_553(struct rule_ctx *ctx)
{
        return order_without_decision(ctx, "E1");
}

static int r_555(struct rule_ctx *ctx)
{
        return order_without_decision(ctx, "D1");
}

/* 554: the decision to place comes no later than the first episode under a placement order. */
static int r_554(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                if (npa == 0)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *first = NULL;
                for (size_t i = 0; i < n && !first; i++)
                        if (r9_eq(e[i]->v[EP_LS], "E1") && r9_real(e[i]->d[EP_DECOM]))
                                first = e[i];
                if (!first)
                        continue;
                int bad = 0;
                for (size_t j = 0; j < npa; j++)
                        if (r9_real(pa[j]->d[PA_DATE_PLACED]) &&
                            pa[j]->d[PA_DATE_PLACED] > first->d[EP_DECOM]) {
                                report(ctx, SSDA903_PLACED_ADOPTION, pa[j]);
                                bad = 1;
                        }
                if (bad)
                        report(ctx, SSDA903_EPISODES, first);
        }
        return 0;
}

/* 556: the decision to place comes no later than any episode under a freeing order. */
static int r_556(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_eq(r->v[EP_LS], "D1") || !r9_real(r->d[EP_DECOM]))
                        continue;
                size_t n;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, r->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (r9_real(pa[j]->d[PA_DATE_PLACED]) &&
                            pa[j]->d[PA_DATE_PLACED] > r->d[EP_DECOM]) {
                                report(ctx, SSDA903_EPISODES, r);
                                break;
                        }
        }
        return 0;
}

/*
 * 557: left care other than by adoption while placed for adoption or under
 * an order (D1 or E1; E1 only from 2024/25): the reversal of the decision
 * must be recorded.
 */
static int r_557(struct rule_ctx *ctx)
{
        const char *orders = ctx->rules_year >= 2025 ? "E1" : "D1 E1";
        struct r9_list_memo in_rec, in_place, in_ls;
        memset(&in_rec, 0, sizeof in_rec);
        memset(&in_place, 0, sizeof in_place);
        memset(&in_ls, 0, sizeof in_ls);
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                int incomplete = npa == 0, any = 0;
                for (size_t j = 0; j < npa; j++)
                        incomplete |=
                            !pa[j]->v[PA_DATE_PLACED_CEASED] || !pa[j]->v[PA_REASON_PLACED_CEASED];
                if (!incomplete)
                        continue;
                for (size_t i = 0; i < n; i++) {
                        const struct ssda903_row *r = e[i];
                        const char *rec = r->v[EP_REC];
                        if (!rec || r9_in_memo(&in_rec, rec, "E11 E12 X1"))
                                continue;
                        if (!r9_in_memo(&in_place, r->v[EP_PLACE], PLACED_FOR_ADOPTION) &&
                            !r9_in_memo(&in_ls, r->v[EP_LS], orders))
                                continue;
                        report(ctx, SSDA903_EPISODES, r);
                        any = 1;
                }
                for (size_t j = 0; any && j < npa; j++)
                        if (!pa[j]->v[PA_DATE_PLACED_CEASED] || !pa[j]->v[PA_REASON_PLACED_CEASED])
                                report(ctx, SSDA903_PLACED_ADOPTION, pa[j]);
        }
        return 0;
}

/* 558: adopted, yet every decision to place is recorded as reversed. */
static int r_558(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                if (npa == 0)
                        continue;
                int all_ceased = 1;
                for (size_t j = 0; j < npa; j++)
                        all_ceased &= pa[j]->v[PA_DATE_PLACED_CEASED] != NULL;
                if (!all_ceased)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                int adopted = 0;
                for (size_t i = 0; i < n; i++)
                        if (r9_in(e[i]->v[EP_REC], "E11 E12")) {
                                report(ctx, SSDA903_EPISODES, e[i]);
                                adopted = 1;
                        }
                for (size_t j = 0; adopted && j < npa; j++)
                        report(ctx, SSDA903_PLACED_ADOPTION, pa[j]);
        }
        return 0;
}

/* 1003: the decision to place cannot predate the child's first start in care (RNE S). */
static int r_1003(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npa;
                struct ssda903_row *const *pa = r9_rows(ctx, SSDA903_PLACED_ADOPTION, k, &npa);
                if (npa == 0)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *first = NULL;
                for (size_t i = 0; i < n && !first; i++)
                        if (r9_eq(e[i]->v[EP_RNE], "S") && r9_real(e[i]->d[EP_DECOM]))
                                first = e[i];
                if (!first)
                        continue;
                int bad = 0;
                for (size_t j = 0; j < npa; j++)
                        if (r9_real(pa[j]->d[PA_DATE_PLACED]) &&
                            pa[j]->d[PA_DATE_PLACED] < first->d[EP_DECOM]) {
                                report(ctx, SSDA903_PLACED_ADOPTION, pa[j]);
                                bad = 1;
                        }
                if (bad)
                        report(ctx, SSDA903_EPISODES, first);
        }
        return 0;
}

/* ---------------------------------------------------------------- Missing */

/* 575: the episode the child went missing from ended, so the missing period must have too. */
static int r_575(struct rule_ctx *ctx)
{
        const struct ssda903_table *mi = r9_tab(ctx, SSDA903_MISSING);
        for (size_t j = 0; j < mi->n; j++) {
                const struct ssda903_row *m = &mi->rows[j];
                date_t s = m->d[MI_MIS_START];
                if (r9_real(m->d[MI_MIS_END]) || !r9_real(s))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, m->child, &n);
                for (size_t i = 0; i < n; i++)
                        if (r9_real(e[i]->d[EP_DECOM]) && r9_real(e[i]->d[EP_DEC]) &&
                            s >= e[i]->d[EP_DECOM] && s <= e[i]->d[EP_DEC]) {
                                report(ctx, SSDA903_MISSING, m);
                                break;
                        }
        }
        return 0;
}

/* One period of care: [start, end], end DATE_NONE while it is open. */
struct poc {
        date_t start, end;
};

/* The period of care beginning at e[*i]; *i moves past it.  0 when none is left. */
static int next_poc(struct ssda903_row *const *e, size_t n, size_t *i, struct poc *p)
{
        if (*i >= n || !r9_real(e[*i]->d[EP_DECOM]))
                return 0;
        p->start = e[*i]->d[EP_DECOM];
        size_t j = *i;
        while (j + 1 < n && r9_real(e[j + 1]->d[EP_DECOM]) &&
               !(r9_real(e[j]->d[EP_DEC]) && e[j + 1]->d[EP_DECOM] > e[j]->d[EP_DEC]))
                j++;
        p->end = r9_real(e[j]->d[EP_DEC]) ? e[j]->d[EP_DEC] : DATE_NONE;
        *i = j + 1;
        return 1;
}

/* 577: does this Missing row (MIS_START real) lie outside this period of care? */
static int out_577(const struct ssda903_row *m, const struct poc *p)
{
        date_t s = m->d[MI_MIS_START], end = m->d[MI_MIS_END];
        if (!r9_real(end))
                return p->end != DATE_NONE || s < p->start;
        return (p->end != DATE_NONE && end > p->end) || end < p->start;
}

/* 578: does MIS_START lie outside this period of care? */
static int out_578(const struct ssda903_row *m, const struct poc *p)
{
        date_t s = m->d[MI_MIS_START];
        return r9_real(s) && (s < p->start || (p->end != DATE_NONE && s > p->end));
}

/* Report Missing rows that lie outside every one of the child's periods of care. */
static void outside_care(struct rule_ctx *ctx, int need_start,
                         int (*out)(const struct ssda903_row *, const struct poc *))
{
        const struct ssda903_table *mi = r9_tab(ctx, SSDA903_MISSING);
        for (size_t j = 0; j < mi->n; j++) {
                const struct ssda903_row *m = &mi->rows[j];
                if (need_start && !r9_real(m->d[MI_MIS_START]))
                        continue;
                size_t n, i = 0, nperiods = 0;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, m->child, &n);
                struct poc p;
                int fits = 0;
                while (!fits && next_poc(e, n, &i, &p)) {
                        nperiods++;
                        fits = !out(m, &p);
                }
                if (nperiods && !fits)
                        report(ctx, SSDA903_MISSING, m);
        }
}

static int r_577(struct rule_ctx *ctx)
{
        outside_care(ctx, 1, out_577);
        return 0;
}

static int r_578(struct rule_ctx *ctx)
{
        outside_care(ctx, 0, out_578);
        return 0;
}

/* 580: missing when care ended at 18 (MIS_END = 18th birthday = DEC): REC must be E8. */
static int r_580(struct rule_ctx *ctx)
{
        const struct ssda903_table *mi = r9_tab(ctx, SSDA903_MISSING);
        for (size_t j = 0; j < mi->n; j++) {
                const struct ssda903_row *m = &mi->rows[j];
                date_t dob = r9_real(m->d[MI_DOB]) ? m->d[MI_DOB] : r9_dob(ctx, m->child);
                date_t end = m->d[MI_MIS_END];
                if (!r9_real(dob) || !r9_real(end) || end != r9_birthday(dob, 18))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, m->child, &n);
                for (size_t i = 0; i < n; i++)
                        if (e[i]->d[EP_DEC] == end && !r9_eq(e[i]->v[EP_REC], "E8"))
                                report(ctx, SSDA903_EPISODES, e[i]);
        }
        return 0;
}

/* 581: the child went missing at a time when no episode was open. */
static int r_581(struct rule_ctx *ctx)
{
        const struct ssda903_table *mi = r9_tab(ctx, SSDA903_MISSING);
        for (size_t j = 0; j < mi->n; j++) {
                const struct ssda903_row *m = &mi->rows[j];
                date_t s = m->d[MI_MIS_START];
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, m->child, &n);
                if (!r9_real(s) || n == 0)
                        continue;
                int in = 0;
                for (size_t i = 0; i < n && !in; i++)
                        in = r9_real(e[i]->d[EP_DECOM]) && s >= e[i]->d[EP_DECOM] &&
                             (!r9_real(e[i]->d[EP_DEC]) || s <= e[i]->d[EP_DEC]);
                if (!in)
                        report(ctx, SSDA903_MISSING, m);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_episodes_b2[] = {
    {"521", RULE_ERROR, "The date of the decision that adoption is in the child's best interests "
     "(DATE_INT) is after the child was placed for adoption.",
     "PLACE|DECOM|DATE_INT", "Episodes|AD1", 0, ALL, r_521},
    {"551", RULE_ERROR, "The child is placed for adoption but there is no date of the decision "
     "that the child should be placed (DATE_PLACED).",
     "DATE_PLACED|PLACE", "Episodes|PlacedAdoption", 0, ALL, r_551},
    {"552", RULE_ERROR, "The decision that the child should be placed for adoption is dated after "
     "the child's first adoption placement.",
     "DATE_PLACED|DECOM", "Episodes|PlacedAdoption", 0, ALL, r_552},
    {"553", RULE_ERROR, "A placement order (E1) is recorded without a decision that the child "
     "should be placed for adoption, or with that decision reversed while the order continues.",
     "CHILD|DATE_PLACED|DATE_PLACED_CEASED|REASON_PLACED_CEASED", "Episodes|PlacedAdoption", 0,
     ALL, r_553},
    {"554", RULE_ERROR, "The decision that the child should be placed for adoption is dated after "
     "the placement order was granted (first E1 episode); check episodes of earlier years.",
     "DATE_PLACED|DECOM|LS", "Episodes|PlacedAdoption", 0, ALL, r_554},
    {"555", RULE_ERROR, "A freeing order (D1) is recorded without a decision that the child should "
     "be placed for adoption, or with that decision reversed while the order continues.",
     "CHILD|DATE_PLACED|DATE_PLACED_CEASED|REASON_PLACED_CEASED", "Episodes|PlacedAdoption", 0,
     RULES_UNTIL(2024), r_555},
    {"556", RULE_ERROR, "The decision that the child should be placed for adoption is dated after "
     "the freeing order was granted.",
     "DATE_PLACED|DECOM", "Episodes|PlacedAdoption", 0, RULES_UNTIL(2024), r_556},
    {"557", RULE_ERROR, "The child left care without being adopted while a decision to place for "
     "adoption stood, but the date and reason that decision was reversed are not completed.",
     "DATE_PLACED_CEASED|REASON_PLACED_CEASED|PLACE|LS|REC", "Episodes|PlacedAdoption", 0,
     RULES_UNTIL(2024), r_557},
    {"557", RULE_ERROR, "The child left care without being adopted while a decision to place for "
     "adoption stood, but the date and reason that decision was reversed are not completed.",
     "DATE_PLACED_CEASED|REASON_PLACED_CEASED|PLACE|LS|REC", "Episodes|PlacedAdoption", 0,
     RULES_FROM(2025), r_557},
    {"558", RULE_ERROR, "The child was adopted, so the decision to place for adoption was not "
     "reversed: DATE_PLACED_CEASED should be blank.",
     "DATE_PLACED_CEASED|REC", "Episodes|PlacedAdoption", 0, ALL, r_558},
    {"575", RULE_ERROR, "The placement the child went missing from has ended, but the missing or "
     "away period has no end date.",
     "MIS_END", "Episodes|Missing", 0, ALL, r_575},
    {"577", RULE_ERROR, "The child ceased to be looked after but a missing or away period has no "
     "end date, or lies outside the period of care.",
     "MIS_END", "Episodes|Missing", 0, ALL, r_577},
    {"578", RULE_ERROR, "The missing or away period starts outside every period of care (after "
     "the child ceased to be looked after).",
     "MIS_START", "Episodes|Missing", 0, ALL, r_578},
    {"580", RULE_ERROR, "The child was missing when care ended at 18, so REC should be E8.",
     "REC", "Episodes|Missing", 0, ALL, r_580},
    {"581", RULE_ERROR, "The missing or away period starts when no episode of care was open.",
     "MIS_START", "Episodes|Missing", 0, ALL, r_581},
    {"582", RULE_ERROR, "The child was adopted on the same day as being matched with adopters; "
     "the match is normally earlier.",
     "DEC|DATE_MATCH", "Episodes|AD1", 0, ALL, r_582},
    {"601", RULE_ERROR, "The child was adopted in the year but some AD1 adoption fields are blank.",
     "REC|DATE_INT|DATE_MATCH|FOSTER_CARE|NB_ADOPTR|SEX_ADOPTR|LS_ADOPTR", "Episodes|AD1", 0, ALL,
     r_601},
    {"602", RULE_ERROR, "AD1 adoption details are recorded but the episodes show no adoption in "
     "the year.",
     "CHILD", "Episodes|AD1", 0, ALL, r_602},
    {"1003", RULE_ERROR, "The decision that the child should be placed for adoption is dated "
     "before the child started to be looked after.",
     "DATE_PLACED|DECOM|RNE", "Episodes|PlacedAdoption", 0, ALL, r_1003},
    {0},
};
/* clang-format on */
