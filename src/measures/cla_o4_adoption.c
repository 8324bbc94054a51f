/*
 * cla_o4_adoption.c — adoption timeliness in the style of the adoption
 * scorecard (measures.md §4.3): A1 entry to placed for adoption, A10 entry
 * to moving in with the adoptive family, A2 authority to place to match
 * (3-year averages and their 1-year variants), the LA's own decision-to-
 * match months, and the share of ceased children who were adopted.
 *
 * An adoption is an episode ending with REC E11/E12, read from the return of
 * the year it ends in.  Its timeline is worked out once, over the merged
 * episode history (§0.4), and kept per return; a window then sums the
 * adoptions dated in it (each child once, on its last adoption).
 */
#include "measures/cla_util.h"

#include <string.h>

static const char *const rec_adopted[] = {"E11", "E12", NULL};

/* One adopted child's stages in days; -1 where the child is left out of that stage. */
struct adoption {
        date_t d; /* the adoption (DEC) */
        uint32_t k, gid;
        int a1, a10, a2, dtm;
        bool no_placed;    /* no A3-A6 episode in the period (DQ, left out of A1 and A10) */
        bool match_before; /* AD1 match before the authority to place (DQ, left out of A2) */
        bool unsure;       /* the period's start could lie in a return not held */
};

struct adoptions {
        size_t n;
        struct adoption *v; /* by date */
};

static bool place_for_adoption(const char *p)
{
        return p && p[0] == 'A' && p[1] >= '3' && p[1] <= '6' && !p[2];
}

static bool ls_authority(const char *ls)
{
        return ls && (strcmp(ls, "E1") == 0 || strcmp(ls, "D1") == 0);
}

static int days_between(date_t from, date_t to)
{
        if (!measure_date_known(from) || !measure_date_known(to) || to < from)
                return -1;
        return (int)(to - from);
}

/* The timeline of the adoption ending episode `row` of return y. */
static void timeline(struct measure_ctx *ctx, const struct mcla_year *y,
                     const struct ssda903_row *row, struct measure_eps *e, struct adoption *a)
{
        mcla_history(y, row->child, e);
        size_t i = e->first_current;
        while (i < e->n && e->ep[i] != row)
                i++;
        a->a1 = a->a10 = a->a2 = a->dtm = -1;
        const struct ssda903_row *ad1 = mcla_row(y, SSDA903_AD1, row->child);
        if (ad1)
                a->dtm = days_between(ad1->d[AD_DATE_INT], ad1->d[AD_DATE_MATCH]);
        if (i == e->n)
                return;
        size_t p = measure_poc_start(e, i);
        const struct ssda903_row *first = e->ep[p];
        a->unsure = p == 0 && !(first->v[EP_RNE] && strcmp(first->v[EP_RNE], "S") == 0) &&
                    measure_date_known(first->d[EP_DECOM]) &&
                    !measure_history_holds(ctx->h, MEASURE_SRC_903,
                                           date_collection_year(first->d[EP_DECOM]));
        date_t entered = first->d[EP_DECOM];
        long placed = -1, authority = -1;
        for (size_t j = p; j <= i; j++) {
                if (placed < 0 && place_for_adoption(e->ep[j]->v[EP_PLACE]))
                        placed = (long)j;
                if (authority < 0 && ls_authority(e->ep[j]->v[EP_LS]))
                        authority = (long)j;
        }
        if (placed < 0) {
                a->no_placed = true;
        } else {
                const struct ssda903_row *pa = e->ep[placed];
                const char *pl = pa->v[EP_PLACE], *rne = pa->v[EP_RNE];
                bool with_foster_carers =
                    strcmp(pl, "A3") == 0 || strcmp(pl, "A5") == 0 ||
                    (rne && (strcmp(rne, "T") == 0 || strcmp(rne, "U") == 0)) ||
                    (ad1 && mcla_flag_yes(ad1->v[AD_FOSTER_CARE]));
                date_t moved_in =
                    with_foster_carers
                        ? e->ep[measure_placement_start(e, (size_t)placed)]->d[EP_DECOM]
                        : pa->d[EP_DECOM];
                a->a1 = days_between(entered, pa->d[EP_DECOM]);
                a->a10 = days_between(entered, moved_in);
        }
        if (authority >= 0 && ad1 && measure_date_known(ad1->d[AD_DATE_MATCH])) {
                a->a2 = days_between(e->ep[authority]->d[EP_DECOM], ad1->d[AD_DATE_MATCH]);
                a->match_before = a->a2 < 0;
        }
}

static const char key_adoptions;

/* The adoptions of return y, worked out on first use and kept. */
static const struct adoptions *adoptions_of(struct measure_ctx *ctx, const struct mcla_year *y)
{
        struct adoptions **per = measure_cache_get(ctx, &key_adoptions);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * sizeof *per);
                measure_cache_put(ctx, &key_adoptions, per, NULL);
        }
        size_t yi = (size_t)(measure_history_year(ctx->h, y->year) - ctx->h->years);
        if (per[yi])
                return per[yi];
        struct adoptions *as = arena_zalloc(&ctx->arena, sizeof *as);
        const struct ssda903_table *t = &y->ld->t[SSDA903_EPISODES];
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
                const struct ssda903_row *r = &t->rows[i];
                n += mcla_code_in(r->v[EP_REC], rec_adopted) && !measure_ep_short_break(r) &&
                     r->d[EP_DEC] >= y->ys && r->d[EP_DEC] <= y->ye;
        }
        as->v = arena_zalloc(&ctx->arena, (n + 1) * sizeof *as->v);
        struct measure_eps e;
        measure_eps_init(&e);
        /* Children in id order, each child's episodes by DECOM: adoptions end up by child. */
        for (uint32_t k = 0; k < y->ld->nchildren; k++) {
                size_t nr;
                struct ssda903_row *const *rows = ssda903_child_rows(t, k, &nr);
                for (size_t j = 0; j < nr; j++) {
                        const struct ssda903_row *r = rows[j];
                        if (!mcla_code_in(r->v[EP_REC], rec_adopted) || measure_ep_short_break(r) ||
                            r->d[EP_DEC] < y->ys || r->d[EP_DEC] > y->ye)
                                continue;
                        struct adoption *a = &as->v[as->n++];
                        a->d = r->d[EP_DEC];
                        a->k = k;
                        a->gid = y->gid[k];
                        timeline(ctx, y, r, &e, a);
                }
        }
        measure_eps_release(&e);
        per[yi] = as;
        return as;
}

enum stage { A1, A10, A2, DTM };

/* Sum of days and number of children of one stage over the adoptions dated in the window. */
static int m_stage(struct measure_ctx *ctx, const struct measure_window *w,
                   struct measure_value *out)
{
        enum stage st = (enum stage)(*(const int *)ctx->def->arg);
        int64_t sum = 0, n = 0;
        bool unsure = false;
        date_t a, b;
        struct mcla_marks *seen = mcla_marks_begin(ctx, 0);
        int first = date_collection_year(w->start);
        for (int yr = w->year; yr >= first; yr--) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (!y || !mcla_portion(w, yr, &a, &b))
                        continue;
                const struct adoptions *as = adoptions_of(ctx, y);
                for (size_t i = as->n; i-- > 0;) {
                        const struct adoption *ad = &as->v[i];
                        if (ad->d < a || ad->d > b || !mcla_mark(seen, ad->gid))
                                continue;
                        const char *child = mcla_child(y, ad->k);
                        int days = st == A1    ? ad->a1
                                   : st == A10 ? ad->a10
                                   : st == A2  ? ad->a2
                                               : ad->dtm;
                        if (ad->no_placed && (st == A1 || st == A10))
                                measure_dq(ctx, out, child,
                                           "adopted with no placed-for-adoption (A3-A6) "
                                           "episode in the period of care: left out");
                        if (ad->match_before && st == A2)
                                measure_dq(ctx, out, child,
                                           "AD1 DATE_MATCH before the authority to place: left "
                                           "out");
                        if (days < 0)
                                continue;
                        unsure |= ad->unsure && st != DTM;
                        sum += days;
                        n++;
                        measure_counted(ctx, child, true);
                }
        }
        out->numerator = sum;
        out->denominator = n;
        out->has_numerator = out->has_denominator = true;
        if (unsure) {
                out->lookback_incomplete = true;
                measure_note(ctx, out,
                             "incomplete look-back: a period of care may have started in a "
                             "return not held");
        }
        return 0;
}

static int m_ceased_adopted(struct measure_ctx *ctx, const struct measure_window *w,
                            struct measure_value *out)
{
        return mcla_ceased_share(ctx, w, out, rec_adopted);
}

static const int st_a1 = A1, st_a10 = A10, st_a2 = A2, st_dtm = DTM;

#define ADOPTION_3YR (MEASURE_PERIODS_ANNUAL | MEASURE_PERIOD_BIT(MEASURE_ROLLING))
#define STAGES       "national_cla_adopted_average_time_between_adoption_process_stages"
#define STAGE4                                                                                     \
        "cla_group=Age on starting final period of care|age_start_poc=Total|"                      \
        "stage_of_adoption_process=4. Total average time between entry into care and date "        \
        "placed for adoption"
#define STAGE2                                                                                     \
        "cla_group=Age on starting final period of care|age_start_poc=Total|"                      \
        "stage_of_adoption_process=2. Average time between decision that child should be "         \
        "placed for adoption and matching of child and adopters"
#define NOTE_A1  "national only, months (YY:MM in `number`); scorecard threshold 426 days"
#define NOTE_A10 "no published equivalent; scorecard threshold 426 days"
#define NOTE_A2  "no published equivalent; scorecard threshold 121 days"

#define BENCH_A1                                                                                   \
        {                                                                                          \
                MEASURE_BENCH_VALUE, STAGES, STAGE4, "number", NULL, 1, 0, NOTE_A1                 \
        }
#define BENCH_A10                                                                                  \
        {                                                                                          \
                MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0, NOTE_A10                         \
        }
#define BENCH_A2                                                                                   \
        {                                                                                          \
                MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0, NOTE_A2                          \
        }

/* clang-format off */
const struct measure_def measures_cla_o4_adoption[] = {
    {"adoption_a1_days_3yr",
     "Average days from entering care to being placed for adoption (3 years)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     ADOPTION_3YR, 36, MEASURE_LOOKBACK, BENCH_A1, m_stage, &st_a1, 0},
    {"adoption_a10_days_3yr",
     "Average days from entering care to moving in with the adoptive family (3 years)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     ADOPTION_3YR, 36, MEASURE_LOOKBACK, BENCH_A10, m_stage, &st_a10, 0},
    {"adoption_a2_days_3yr",
     "Average days from the authority to place to the match with adopters (3 years)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     ADOPTION_3YR, 36, MEASURE_LOOKBACK, BENCH_A2, m_stage, &st_a2, 0},
    {"adoption_a1_days_1yr",
     "Average days from entering care to being placed for adoption (1 year)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK, BENCH_A1, m_stage, &st_a1, 0},
    {"adoption_a10_days_1yr",
     "Average days from entering care to moving in with the adoptive family (1 year)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK, BENCH_A10, m_stage, &st_a10, 0},
    {"adoption_a2_days_1yr",
     "Average days from the authority to place to the match with adopters (1 year)",
     MEASURE_OUTCOME_4, MEASURE_DAYS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, MEASURE_LOOKBACK, BENCH_A2, m_stage, &st_a2, 0},
    {"adoption_decision_to_match_months_1yr",
     "Average months from the decision to place for adoption to the match (AD1)",
     MEASURE_OUTCOME_4, MEASURE_MONTHS, BENCH_LOWER_BETTER, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, STAGES, STAGE2, "number", NULL, 1, 0,
      "national only, months (YY:MM in `number`): stage 2"},
     m_stage, &st_dtm, 1.0 / 30.4375},
    {"cla_ceased_adopted_pct",
     "Children ceasing to be looked after who were adopted (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, "la_children_who_ceased_during_the_year", "characteristic=Adopted",
      "percentage", NULL, 0, 0, "file not in the local set"},
     m_ceased_adopted, rec_adopted, 0},
    {0},
};
/* clang-format on */
