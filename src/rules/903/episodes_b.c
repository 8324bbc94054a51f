/*
 * episodes_b.c — SSDA903 Episodes rules about how a child's episodes follow
 * one another (388, 431–437, 501, 504) and about the codes of one episode
 * (389, 390, 398, 399, 407, 408, 426, 442, 445, 446, 451, 516, 526–531,
 * 550, 1009).
 *
 * "Previous" and "next" episode mean the neighbours in the child's episodes
 * ordered by DECOM (then DEC), as the load's per-child index gives them.
 *
 * Readings chosen where the definition leaves room (see also
 * util.h for blanks and invalid dates):
 *  - 389: without a real DOB or DEC the child's age at leaving cannot be
 *    judged, so the rule stays silent (DOB and DEC rules report those).
 *  - 399: a child counts as V3/V4 only when every one of its episodes is;
 *    then its episodes, its Header row and its review rows are reported
 *    (reviews only when they or MOTHER are completed).
 *  - 434–436 and 504 compare fields with blank = blank, so an unchanged
 *    blank URN is no change; an LS blank on both sides is no change of
 *    legal status.
 *  - 433: a previous episode without a real DEC, or this one without a real
 *    DECOM, cannot be shown to chain, so a continuation RNE is reported.
 *  - 437: any later episode of the child counts, whatever its dates.
 */
#include "rules/903/util.h"

/* Run fn over every pair (previous, this) of consecutive episodes of every child. */
static void each_pair(struct rule_ctx *ctx,
                      void (*fn)(struct rule_ctx *, const struct ssda903_row *,
                                 const struct ssda903_row *))
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                for (size_t i = 1; i < n; i++)
                        fn(ctx, e[i - 1], e[i]);
        }
}

static void report_ep(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
}

/* ---------------------------------------------------------------- sequence */

/* 388: X1 must be followed by an episode starting that day; any other ending must not be. */
static int r_388(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                for (size_t i = 0; i < n; i++) {
                        const struct ssda903_row *r = e[i];
                        const char *rec = r->v[EP_REC];
                        date_t dec = r->d[EP_DEC];
                        if (i + 1 == n) {
                                if (r9_real(dec) && r9_eq(rec, "X1"))
                                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL,
                                                        "no later episode follows");
                                continue;
                        }
                        date_t next = e[i + 1]->d[EP_DECOM];
                        if (!r9_real(dec) || !r9_real(next) || !rec)
                                continue;
                        if (strcmp(rec, "X1") == 0 && dec != next)
                                rule_report_903(ctx, SSDA903_EPISODES, r, NULL,
                                                "the next episode does not start on DEC");
                        else if (strcmp(rec, "X1") != 0 && dec == next)
                                rule_report_903f(ctx, SSDA903_EPISODES, r, NULL,
                                                 "the next episode starts on DEC, so REC "
                                                 "should be X1, not %s",
                                                 rec);
                }
        }
        return 0;
}

static void p_431(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (r9_eq(r->v[EP_RNE], "S") && r9_real(r->d[EP_DECOM]) && r9_real(p->d[EP_DEC]) &&
            r->d[EP_DECOM] <= p->d[EP_DEC])
                report_ep(ctx, r);
}

static int r_431(struct rule_ctx *ctx)
{
        each_pair(ctx, p_431);
        return 0;
}

/* Reasons an episode ends that end the period of care (not X1). */
#define LEFT_CARE "E2 E3 E4A E4B E5 E6 E7 E8 E9 E11 E12 E13 E14 E15 E16 E17 E41 E45 E46 E47 E48"

static void p_432(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        const char *rec = p->v[EP_REC];
        if (rec && rec[0] == 'E' && r9_in(rec, LEFT_CARE) && !r9_eq(r->v[EP_RNE], "S"))
                report_ep(ctx, r);
}

static int r_432(struct rule_ctx *ctx)
{
        each_pair(ctx, p_432);
        return 0;
}

static void p_433(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (!r9_in(r->v[EP_RNE], "P L T U B"))
                return;
        if (!r9_real(p->d[EP_DEC]) || !r9_real(r->d[EP_DECOM]) || p->d[EP_DEC] != r->d[EP_DECOM])
                report_ep(ctx, r);
}

static int r_433(struct rule_ctx *ctx)
{
        each_pair(ctx, p_433);
        return 0;
}

/* 1 if placement, postcode, URN and provider are all as in the previous episode. */
static int same_placement(const struct ssda903_row *p, const struct ssda903_row *r)
{
        return r9_same(p->v[EP_PLACE], r->v[EP_PLACE]) &&
               r9_same(p->v[EP_PL_POST], r->v[EP_PL_POST]) && r9_same(p->v[EP_URN], r->v[EP_URN]) &&
               r9_same(p->v[EP_PLACE_PROVIDER], r->v[EP_PLACE_PROVIDER]);
}

/* 434: RNE L = legal status changed, placement did not. */
static void p_434(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (!r9_eq(r->v[EP_RNE], "L"))
                return;
        if (r9_same(p->v[EP_LS], r->v[EP_LS]))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "LS did not change");
        else if (!same_placement(p, r))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "the placement changed");
}

static int r_434(struct rule_ctx *ctx)
{
        each_pair(ctx, p_434);
        return 0;
}

/* 435: RNE P or T = placement changed, legal status did not. */
static void p_435(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (!r9_in(r->v[EP_RNE], "P T"))
                return;
        if (!r9_same(p->v[EP_LS], r->v[EP_LS]))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "LS changed");
        else if (same_placement(p, r))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "the placement did not change");
}

static int r_435(struct rule_ctx *ctx)
{
        each_pair(ctx, p_435);
        return 0;
}

/* 436: RNE U or B = both changed. */
static void p_436(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (!r9_in(r->v[EP_RNE], "U B"))
                return;
        if (r9_same(p->v[EP_LS], r->v[EP_LS]))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "LS did not change");
        else if (same_placement(p, r))
                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, "the placement did not change");
}

static int r_436(struct rule_ctx *ctx)
{
        each_pair(ctx, p_436);
        return 0;
}

/* 437: died (E2) or found to be 18+ (E15), yet more episodes follow. */
static int r_437(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                for (size_t i = 0; i + 1 < n; i++)
                        if (r9_real(e[i]->d[EP_DECOM]) && r9_in(e[i]->v[EP_REC], "E2 E15"))
                                report_ep(ctx, e[i]);
        }
        return 0;
}

static void p_501(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (r9_real(r->d[EP_DECOM]) && r9_real(p->d[EP_DEC]) && r->d[EP_DECOM] < p->d[EP_DEC])
                report_ep(ctx, r);
}

static int r_501(struct rule_ctx *ctx)
{
        each_pair(ctx, p_501);
        return 0;
}

/* 504: within a period of care (previous ended X1 on this DECOM) CIN stays the same. */
static void p_504(struct rule_ctx *ctx, const struct ssda903_row *p, const struct ssda903_row *r)
{
        if (r9_eq(p->v[EP_REC], "X1") && r9_real(p->d[EP_DEC]) && p->d[EP_DEC] == r->d[EP_DECOM] &&
            !r9_same(p->v[EP_CIN], r->v[EP_CIN]))
                rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s before, %s now",
                                 p->v[EP_CIN] ? p->v[EP_CIN] : "blank",
                                 r->v[EP_CIN] ? r->v[EP_CIN] : "blank");
}

static int r_504(struct rule_ctx *ctx)
{
        each_pair(ctx, p_504);
        return 0;
}

/* ---------------------------------------------------------------- one episode */

/* Report every Episodes row for which `bad` holds. */
static void each_episode(struct rule_ctx *ctx,
                         int (*bad)(const struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++)
                if (bad(ctx, &ep->rows[i]))
                        report_ep(ctx, &ep->rows[i]);
}

static int b_389(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dob = r9_dob(ctx, r->child);
        return r9_eq(r->v[EP_REC], "E7") && r9_real(dob) && r9_real(r->d[EP_DEC]) &&
               r->d[EP_DEC] < r9_birthday(dob, 16);
}

static int r_389(struct rule_ctx *ctx)
{
        each_episode(ctx, b_389);
        return 0;
}

static int b_390(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in(r->v[EP_REC], "E11 E12") && !r9_in(r->v[EP_PLACE], "A3 A4 A5 A6");
}

static int r_390(struct rule_ctx *ctx)
{
        each_episode(ctx, b_390);
        return 0;
}

static int b_398(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in(r->v[EP_LS], "V3 V4") && (r->v[EP_HOME_POST] || r->v[EP_PL_POST]);
}

static int r_398(struct rule_ctx *ctx)
{
        each_episode(ctx, b_398);
        return 0;
}

/* 399: a child only on short breaks (V3/V4) has no MOTHER, reviews or participation codes. */
static int r_399(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nrv;
                struct ssda903_row *const *rv = r9_rows(ctx, SSDA903_REVIEWS, k, &nrv);
                const struct ssda903_row *h = r9_header(ctx, k);
                int mother = h && h->v[HD_MOTHER];
                int reviews = 0;
                for (size_t i = 0; i < nrv; i++)
                        reviews |= rv[i]->v[RV_REVIEW] || rv[i]->v[RV_REVIEW_CODE];
                if (!mother && !reviews)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                int all = n > 0;
                for (size_t i = 0; i < n && all; i++)
                        all = r9_in(e[i]->v[EP_LS], "V3 V4");
                if (!all)
                        continue;
                for (size_t i = 0; i < n; i++)
                        report_ep(ctx, e[i]);
                if (h)
                        rule_report_903(ctx, SSDA903_HEADER, h, NULL, NULL);
                for (size_t i = 0; i < nrv; i++)
                        if (mother || rv[i]->v[RV_REVIEW] || rv[i]->v[RV_REVIEW_CODE])
                                rule_report_903(ctx, SSDA903_REVIEWS, rv[i], NULL, NULL);
        }
        return 0;
}

/* 407: a special guardianship order ends care before 18; one on or after 18 is an error. */
static int r_407(struct rule_ctx *ctx)
{
        struct r9_list_memo memo;
        memset(&memo, 0, sizeof memo);
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                date_t dob = r9_dob(ctx, k);
                int found = 0;
                for (size_t i = 0; i < n && r9_real(dob); i++)
                        if (r9_in_memo(&memo, e[i]->v[EP_REC], "E45 E46 E47 E48") &&
                            r9_real(e[i]->d[EP_DEC]) && e[i]->d[EP_DEC] > r9_birthday(dob, 18)) {
                                report_ep(ctx, e[i]);
                                found = 1;
                        }
                if (found)
                        rule_report_903(ctx, SSDA903_HEADER, r9_header(ctx, k), NULL, NULL);
        }
        return 0;
}

static int b_408(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in(r->v[EP_PLACE], "A5 A6") && !r9_eq(r->v[EP_LS], "E1");
}

static int r_408(struct rule_ctx *ctx)
{
        each_episode(ctx, b_408);
        return 0;
}

/* 426: V3 and V4 in the same year; every V3/V4 episode of such a child is reported. */
static int r_426(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                int v3 = 0, v4 = 0;
                for (size_t i = 0; i < n; i++) {
                        v3 |= r9_eq(e[i]->v[EP_LS], "V3");
                        v4 |= r9_eq(e[i]->v[EP_LS], "V4");
                }
                if (!v3 || !v4)
                        continue;
                for (size_t i = 0; i < n; i++)
                        if (r9_in(e[i]->v[EP_LS], "V3 V4"))
                                report_ep(ctx, e[i]);
        }
        return 0;
}

/* 442: a child with any episode not on short breaks needs a UPN (or an UN code). */
static int r_442(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *h = &hd->rows[i];
                if (h->v[HD_UPN])
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, h->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (!r9_in(e[j]->v[EP_LS], "V3 V4")) {
                                rule_report_903(ctx, SSDA903_HEADER, h, NULL, NULL);
                                break;
                        }
        }
        return 0;
}

/* Freeing orders (D1) ended with December 2005; placement orders (E1) began then. */
static int b_445(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_eq(r->v[EP_LS], "D1") && r9_real(r->d[EP_DECOM]) &&
               r->d[EP_DECOM] > date_from_ymd(2005, 12, 31);
}

static int r_445(struct rule_ctx *ctx)
{
        each_episode(ctx, b_445);
        return 0;
}

static int b_446(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_eq(r->v[EP_LS], "E1") && r9_real(r->d[EP_DECOM]) &&
               r->d[EP_DECOM] < date_from_ymd(2005, 12, 1);
}

static int r_446(struct rule_ctx *ctx)
{
        each_episode(ctx, b_446);
        return 0;
}

static int b_451(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_eq(r->v[EP_LS], "D1") && !r->v[EP_DEC] && !r->v[EP_REC];
}

static int r_451(struct rule_ctx *ctx)
{
        each_episode(ctx, b_451);
        return 0;
}

static int b_516(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in(r->v[EP_REC], "E45 E46") && !r9_in(r->v[EP_PLACE], "U1 U2 U3 U4 U5 U6");
}

static int r_516(struct rule_ctx *ctx)
{
        each_episode(ctx, b_516);
        return 0;
}

/* 526: placements other than temporary ones and Z1 (Z11–Z14 from 2025/26) need a provider. */
static int b_526(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        const char *none =
            ctx->rules_year >= 2026 ? "T0 T1 T2 T3 T4 Z11 Z12 Z13 Z14" : "T0 T1 T2 T3 T4 Z1";
        return !r->v[EP_PLACE_PROVIDER] && !r9_in(r->v[EP_PLACE], none);
}

static int r_526(struct rule_ctx *ctx)
{
        each_episode(ctx, b_526);
        return 0;
}

/* Provider codes that cannot go with some placement types (527–531, 550). */
static int provider_with(const struct ssda903_row *r, const char *provider, const char *places)
{
        return r9_eq(r->v[EP_PLACE_PROVIDER], provider) && r9_in(r->v[EP_PLACE], places);
}

static int b_527(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return provider_with(r, "PR1", "P1 R2 R5");
}

static int b_528(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return provider_with(r, "PR2", "P1 R2 R5");
}

static int b_529(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return provider_with(r, "PR3", "P1 A3 A4 A5 A6 K1 K2 U1 U2 U3 U4 U5 U6");
}

static int b_530(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return provider_with(r, "PR4", "P1");
}

static int b_531(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return provider_with(r, "PR5", "P1");
}

static int b_550(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_eq(r->v[EP_PLACE_PROVIDER], "PR0") && !r9_eq(r->v[EP_PLACE], "P1");
}

static int r_527(struct rule_ctx *ctx)
{
        each_episode(ctx, b_527);
        return 0;
}
static int r_528(struct rule_ctx *ctx)
{
        each_episode(ctx, b_528);
        return 0;
}
static int r_529(struct rule_ctx *ctx)
{
        each_episode(ctx, b_529);
        return 0;
}
static int r_530(struct rule_ctx *ctx)
{
        each_episode(ctx, b_530);
        return 0;
}
static int r_531(struct rule_ctx *ctx)
{
        each_episode(ctx, b_531);
        return 0;
}
static int r_550(struct rule_ctx *ctx)
{
        each_episode(ctx, b_550);
        return 0;
}

static int r_1009(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        struct r9_list_memo memo; /* by the reason's (mostly shared) copy */
        memset(&memo, 0, sizeof memo);
        for (size_t i = 0; i < ep->n; i++) {
                const char *why = ep->rows[i].v[EP_REASON_PLACE_CHANGE];
                if (why && !r9_in_memo(&memo, why,
                                       "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ "
                                       "PLACE CUSTOD OTHER"))
                        report_ep(ctx, &ep->rows[i]);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS
#define EP  "Episodes"

/* clang-format off */
const struct rule_def rules_903_episodes_b[] = {
    {"388", RULE_ERROR, "An episode ended with REC X1 (a new episode the same day) but no episode "
     "starts that day, or an episode followed the same day by another did not end with X1.",
     "REC", EP, 0, ALL, r_388},
    {"389", RULE_ERROR, "REC E7 (moved to adult social care) is recorded for a child under 16 "
     "when the episode ended.",
     "REC", "Episodes|Header", 0, ALL, r_389},
    {"390", RULE_ERROR, "The child was adopted (REC E11/E12) but the episode is not an adoption "
     "placement (A3–A6).",
     "PLACE|REC", EP, 0, ALL, r_390},
    {"398", RULE_ERROR, "Postcodes (used for the distance) are recorded for an episode under legal "
     "status V3 or V4.",
     "LS|HOME_POST|PL_POST", EP, 0, ALL, r_398},
    {"399", RULE_ERROR, "A child looked after only under V3/V4 has MOTHER, a review or a "
     "participation code completed.",
     "MOTHER|LS|REVIEW|REVIEW_CODE", "Episodes|Header|Reviews", 0, ALL, r_399},
    {"407", RULE_ERROR, "The episode ended with a special guardianship order (E45–E48) after the "
     "child's 18th birthday.",
     "DEC|DOB|REC", "Episodes|Header", 0, ALL, r_407},
    {"408", RULE_ERROR, "Placed for adoption under a placement order (A5/A6) but the legal status "
     "is not E1.",
     "PLACE|LS", EP, 0, ALL, r_408},
    {"426", RULE_ERROR, "The child has short-break episodes under both V3 and V4 in the year.",
     "LS", EP, 0, ALL, r_426},
    {"431", RULE_ERROR, "RNE is S (started to be looked after) but the previous episode had not "
     "ended before this one began.",
     "RNE|DECOM", EP, 0, ALL, r_431},
    {"432", RULE_ERROR, "The previous episode ended the period of care, so this episode should "
     "have RNE S.",
     "RNE", EP, 0, ALL, r_432},
    {"433", RULE_ERROR, "RNE says this episode continues the previous one, but it does not start "
     "on the day the previous one ended.",
     "RNE|DECOM", EP, 0, ALL, r_433},
    {"434", RULE_ERROR, "RNE L (legal status changed, placement the same) does not match the "
     "change from the previous episode.",
     "RNE|LS|PLACE|PL_POST|URN|PLACE_PROVIDER", EP, 0, ALL, r_434},
    {"435", RULE_ERROR, "RNE P or T (placement changed, legal status the same) does not match the "
     "change from the previous episode.",
     "LS|PLACE|PL_POST|URN|PLACE_PROVIDER", EP, 0, ALL, r_435},
    {"436", RULE_ERROR, "RNE U or B (legal status and placement both changed) does not match the "
     "change from the previous episode.",
     "RNE|LS|PLACE|PL_POST|URN|PLACE_PROVIDER", EP, 0, ALL, r_436},
    {"437", RULE_ERROR, "The episode ended because the child died or was found to be 18 or over "
     "(E2/E15), yet later episodes follow.",
     "REC", EP, 0, ALL, r_437},
    {"442", RULE_ERROR, "UPN is blank for a child looked after other than under V3/V4.",
     "UPN", "Episodes|Header", 0, ALL, r_442},
    {"445", RULE_ERROR, "Legal status D1 (freeing order) is recorded for an episode starting after "
     "December 2005.",
     "LS|DECOM", EP, 0, RULES_UNTIL(2024), r_445},
    {"446", RULE_ERROR, "Legal status E1 (placement order) is recorded for an episode starting "
     "before December 2005.",
     "LS|DECOM", EP, 0, ALL, r_446},
    {"451", RULE_ERROR, "An open episode has legal status D1, but freeing orders ended in "
     "December 2005.",
     "DEC|REC|LS", EP, 0, RULES_UNTIL(2024), r_451},
    {"501", RULE_ERROR, "The episode starts before the previous episode ended.",
     "DECOM|DEC", EP, 0, ALL, r_501},
    {"504", RULE_ERROR, "The category of need changed within a period of care.",
     "CIN", EP, 0, ALL, r_504},
    {"516", RULE_ERROR, "REC E45/E46 (special guardianship to former foster carers) needs a "
     "foster placement (U1–U6) in that episode.",
     "REC|PLACE", EP, 0, ALL, r_516},
    {"526", RULE_ERROR, "PLACE_PROVIDER is blank for a placement that needs one.",
     "PLACE|PLACE_PROVIDER", EP, 0, RULES_UNTIL(2025), r_526},
    {"526", RULE_ERROR, "PLACE_PROVIDER is blank for a placement that needs one.",
     "PLACE|PLACE_PROVIDER", EP, 0, RULES_FROM(2026), r_526},
    {"527", RULE_ERROR, "Provider PR1 (own LA) cannot provide placements P1, R2 or R5.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_527},
    {"528", RULE_ERROR, "Provider PR2 (other LA) cannot provide placements P1, R2 or R5.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_528},
    {"529", RULE_ERROR, "Provider PR3 (other public body) cannot provide placements P1, A3–A6, K1, "
     "K2 or U1–U6.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_529},
    {"530", RULE_ERROR, "Provider PR4 (private) cannot provide placement P1.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_530},
    {"531", RULE_ERROR, "Provider PR5 (voluntary sector) cannot provide placement P1.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_531},
    {"550", RULE_ERROR, "Provider PR0 (parents) goes only with placement P1.",
     "PLACE|PLACE_PROVIDER", EP, 0, ALL, r_550},
    {"1009", RULE_ERROR, "REASON_PLACE_CHANGE is not a valid code.",
     "REASON_PLACE_CHANGE", EP, 0, ALL, r_1009},
    {0},
};
/* clang-format on */
