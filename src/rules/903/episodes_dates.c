/*
 * episodes_dates.c — SSDA903 Episodes rules about dates and the sequence of a
 * child's episodes: start and end dates against the year and each other
 * (142, 353–357, 385), how long a legal status or a placement may last
 * (361–365, 367, 375, 376, 379), how often (377), minimum ages for a
 * placement (370–374, 234), and what may come before or after an episode
 * (225, 336, 383).
 *
 * A child's episodes are taken from the load's per-child index, in DECOM
 * order (then DEC), blank and invalid dates last; "previous" and "next"
 * episode mean neighbours in that order.  Ages use the child's Header DOB;
 * a birthday on 29 February falls on 28 February in other years.
 *
 * Readings chosen where the definition leaves room:
 *  - An open episode (blank DEC) runs to the end of the collection year for
 *    the duration rules (361–365, 367, 375, 376, 379); an episode whose
 *    DEC is not a real date is left to 147.
 *  - 361–364: consecutive episodes with the same legal status, each starting
 *    on or before the previous one's end, are one period of that status;
 *    its length is from the first DECOM to the last end, and every episode
 *    of a period that is too long is reported.
 *  - 370–374: the age is checked at DECOM whether or not the episode has
 *    ended (Data to Insight skips open episodes).
 *  - 371: H5 at 14 (2022/23), H5 at 16 (2023/24), K3 at 16 (from 2024/25),
 *    as the three versions of the rule state.
 *  - 377: a T3 episode that only changes legal status (RNE L) straight after
 *    another T3 episode is the same placement and is not counted again.
 *  - 383 to 2024/25 reports the temporary episode whose next episode does not
 *    return (RNE P) to the placement before it; from 2025/26 it reports the
 *    episode after the temporary one, which must return (RNE P) to the same
 *    placement type and postcode as the one before (blank postcodes agree).
 *  - 234: the change of placement happens when the episode carrying CUSTOD
 *    ends (its DEC, the next episode's DECOM), so the age is taken then; an
 *    episode without a real DEC is taken at its DECOM.
 *  - 336: previous episode of an A3 or A5 placement must be a foster (U1–U6)
 *    or adoption (A3–A6) placement; Data to Insight tests A3 and A4, but the
 *    rule and its message concern placement with current foster carers.
 */
#include "rules/903/util.h"

/* ---------------------------------------------------------------- helpers */

/* The date an episode stops counting: DEC, or the end of the year while open; DATE_BAD if DEC
 * is not a date. */
static date_t until(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dec = r->d[EP_DEC];
        if (dec == DATE_NONE)
                return ctx->end;
        return dec;
}

/* clang-format off */
static const char *const TEMPORARY[] = {"T0", "T1", "T2", "T3", "T4", NULL};
/* clang-format on */

/* ---------------------------------------------------------------- start and end dates */

/* 142: every episode but the child's latest must have ended (DEC and REC). */
static int r_142(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, last = 0;
                int found = 0;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 0; j < n; j++)
                        if (r9_real(e[j]->d[EP_DECOM])) {
                                last = j;
                                found = 1;
                        }
                for (size_t j = 0; found && j < last; j++)
                        if (r9_real(e[j]->d[EP_DECOM]) && (!e[j]->v[EP_DEC] || !e[j]->v[EP_REC]))
                                rule_report_903f(ctx, SSDA903_EPISODES, e[j], NULL,
                                                 "a later episode starts on %s",
                                                 e[last]->v[EP_DECOM]);
        }
        return 0;
}

static int r_353(struct rule_ctx *ctx)
{
        date_t first = date_from_ymd(1991, 10, 14);
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++)
                if (r9_real(ep->rows[i].d[EP_DECOM]) && ep->rows[i].d[EP_DECOM] < first)
                        rule_report_903(ctx, SSDA903_EPISODES, &ep->rows[i], NULL, NULL);
        return 0;
}

/* 354 and 385: a date after the end of the collection year. */
static int after_year(struct rule_ctx *ctx, int col)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r9_real(r->d[col]) && r->d[col] > ctx->end)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s", r->v[col]);
        }
        return 0;
}
static int r_354(struct rule_ctx *ctx)
{
        return after_year(ctx, EP_DECOM);
}
static int r_385(struct rule_ctx *ctx)
{
        return after_year(ctx, EP_DEC);
}

static int r_355(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r9_real(r->d[EP_DECOM]) && r->d[EP_DEC] == r->d[EP_DECOM])
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

static int r_356(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r9_real(r->d[EP_DECOM]) && r9_real(r->d[EP_DEC]) &&
                    r->d[EP_DEC] < r->d[EP_DECOM])
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

/* 357: a child whose first episode starts this year started to be looked after then. */
static int r_357(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                if (n == 0 || !r9_real(e[0]->d[EP_DECOM]) || e[0]->d[EP_DECOM] < ctx->start)
                        continue;
                if (!r9_is(e[0]->v[EP_RNE], "S"))
                        rule_report_903f(ctx, SSDA903_EPISODES, e[0], NULL, "RNE %s",
                                         e[0]->v[EP_RNE] ? e[0]->v[EP_RNE] : "blank");
        }
        return 0;
}

/* ---------------------------------------------------------------- how long */

static int counts(struct rule_ctx *ctx, const struct ssda903_row *r, const char *ls)
{
        return r9_is(r->v[EP_LS], ls) && r9_real(r->d[EP_DECOM]) && r9_real(until(ctx, r));
}

/* 361–364: a period of one legal status longer than `max_days`. */
static int status_too_long(struct rule_ctx *ctx, const char *ls, int max_days)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                size_t j = 0;
                while (j < n) {
                        if (!counts(ctx, e[j], ls)) {
                                j++;
                                continue;
                        }
                        size_t first = j, m = j + 1;
                        date_t from = e[j]->d[EP_DECOM], to = until(ctx, e[j]);
                        for (; m < n; m++) {
                                if (!counts(ctx, e[m], ls))
                                        continue;
                                if (e[m]->d[EP_DECOM] > to)
                                        break;
                                if (until(ctx, e[m]) > to)
                                        to = until(ctx, e[m]);
                        }
                        if (to - from > max_days)
                                for (size_t q = first; q < m; q++)
                                        if (counts(ctx, e[q], ls))
                                                rule_report_903f(ctx, SSDA903_EPISODES, e[q], NULL,
                                                                 "%s for %d days", ls,
                                                                 (int)(to - from));
                        j = m;
                }
        }
        return 0;
}
static int r_361(struct rule_ctx *ctx)
{
        return status_too_long(ctx, "L1", 3);
}
static int r_362(struct rule_ctx *ctx)
{
        return status_too_long(ctx, "L2", 21);
}
static int r_363(struct rule_ctx *ctx)
{
        return status_too_long(ctx, "L3", 7);
}
static int r_364(struct rule_ctx *ctx)
{
        return status_too_long(ctx, "J2", 21);
}

/* 365, 375, 376, 379: one episode of a legal status or placement longer than `max_days`. */
static int episode_too_long(struct rule_ctx *ctx, int col, const char *code, int max_days)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                date_t to = until(ctx, r);
                if (r9_is(r->v[col], code) && r9_real(r->d[EP_DECOM]) && r9_real(to) &&
                    to - r->d[EP_DECOM] > max_days)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s for %d days", code,
                                         (int)(to - r->d[EP_DECOM]));
        }
        return 0;
}
static int r_365(struct rule_ctx *ctx)
{
        return episode_too_long(ctx, EP_LS, "V3", 17);
}
static int r_375(struct rule_ctx *ctx)
{
        return episode_too_long(ctx, EP_PLACE, "T1", 42);
}
static int r_376(struct rule_ctx *ctx)
{
        return episode_too_long(ctx, EP_PLACE, "T3", 21);
}
static int r_379(struct rule_ctx *ctx)
{
        return episode_too_long(ctx, EP_PLACE, "T4", 7);
}

/* 367: days of short breaks (V3) within the collection year, per child, at most 75. */
static int r_367(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                long total = 0;
                for (int pass = 0; pass < 2; pass++) {
                        for (size_t j = 0; j < n; j++) {
                                if (!counts(ctx, e[j], "V3"))
                                        continue;
                                date_t from = e[j]->d[EP_DECOM], to = until(ctx, e[j]);
                                if (from < ctx->start)
                                        from = ctx->start;
                                if (to > ctx->end)
                                        to = ctx->end;
                                if (to <= from)
                                        continue;
                                if (pass == 0)
                                        total += to - from;
                                else
                                        rule_report_903f(ctx, SSDA903_EPISODES, e[j], NULL,
                                                         "%ld days of V3 this year", total);
                        }
                        if (total <= 75)
                                break;
                }
        }
        return 0;
}

/* 377: more than two temporary placements while the usual foster carers are on holiday (T3). */
static int r_377(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                int placements = 0;
                for (size_t j = 0; j < n; j++) {
                        if (!r9_is(e[j]->v[EP_PLACE], "T3"))
                                continue;
                        int continued = j > 0 && r9_is(e[j - 1]->v[EP_PLACE], "T3") &&
                                        r9_is(e[j]->v[EP_RNE], "L") && r9_real(e[j]->d[EP_DECOM]) &&
                                        e[j - 1]->d[EP_DEC] == e[j]->d[EP_DECOM];
                        if (!continued)
                                placements++;
                }
                if (placements <= 2)
                        continue;
                for (size_t j = 0; j < n; j++)
                        if (r9_is(e[j]->v[EP_PLACE], "T3"))
                                rule_report_903f(ctx, SSDA903_EPISODES, e[j], NULL,
                                                 "%d T3 placements", placements);
        }
        return 0;
}

/* ---------------------------------------------------------------- minimum ages */

static int too_young(struct rule_ctx *ctx, const char *place, int years)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_is(r->v[EP_PLACE], place) || !r9_real(r->d[EP_DECOM]))
                        continue;
                date_t dob = r9_dob(ctx, r->child);
                if (dob == DATE_NONE || r->d[EP_DECOM] >= date_add_months(dob, 12 * years))
                        continue;
                int age = date_age(dob, r->d[EP_DECOM]);
                if (age < 0)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s before birth", place);
                else
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s at age %d", place,
                                         age);
        }
        return 0;
}
static int r_370_2023(struct rule_ctx *ctx)
{
        return too_young(ctx, "P2", 15);
}
static int r_370_2024(struct rule_ctx *ctx)
{
        return too_young(ctx, "P2", 16);
}
static int r_371_2023(struct rule_ctx *ctx)
{
        return too_young(ctx, "H5", 14);
}
static int r_371_2024(struct rule_ctx *ctx)
{
        return too_young(ctx, "H5", 16);
}
static int r_371_2025(struct rule_ctx *ctx)
{
        return too_young(ctx, "K3", 16);
}
static int r_372(struct rule_ctx *ctx)
{
        return too_young(ctx, "R5", 10);
}
static int r_373(struct rule_ctx *ctx)
{
        return too_young(ctx, "S1", 4);
}
static int r_374(struct rule_ctx *ctx)
{
        return too_young(ctx, "P3", 14);
}

/* 234: a child under 10 cannot leave a placement because of custody. */
static int r_234(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_is(r->v[EP_REASON_PLACE_CHANGE], "CUSTOD"))
                        continue;
                date_t when = r9_real(r->d[EP_DEC]) ? r->d[EP_DEC] : r->d[EP_DECOM];
                date_t dob = r9_dob(ctx, r->child);
                if (r9_real(when) && dob != DATE_NONE && when < date_add_months(dob, 120))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "age %d",
                                         date_age(dob, when));
        }
        return 0;
}

/* ---------------------------------------------------------------- what comes before and after */

/* 225: a change of placement (next RNE P, B, T or U) needs its reason on the episode that ended. */
static int r_225(struct rule_ctx *ctx)
{
        static const char *const moved[] = {"P", "B", "T", "U", NULL};
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 0; j + 1 < n; j++)
                        if (r9_is(e[j]->v[EP_REC], "X1") && !e[j]->v[EP_REASON_PLACE_CHANGE] &&
                            !r9_in_list(e[j]->v[EP_PLACE], TEMPORARY) &&
                            r9_in_list(e[j + 1]->v[EP_RNE], moved) &&
                            !r9_in_list(e[j + 1]->v[EP_PLACE], TEMPORARY))
                                rule_report_903f(ctx, SSDA903_EPISODES, e[j], NULL,
                                                 "next episode starts with RNE %s",
                                                 e[j + 1]->v[EP_RNE]);
        }
        return 0;
}

/* 336: adoption by the current foster carers (A3, A5) follows a foster or adoption placement. */
static int r_336(struct rule_ctx *ctx)
{
        static const char *const adopt[] = {"A3", "A5", NULL};
        static const char *const before[] = {"A3", "A4", "A5", "A6", "U1", "U2",
                                             "U3", "U4", "U5", "U6", NULL};
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 1; j < n; j++)
                        if (r9_in_list(e[j]->v[EP_PLACE], adopt) &&
                            !r9_in_list(e[j - 1]->v[EP_PLACE], before))
                                rule_report_903f(
                                    ctx, SSDA903_EPISODES, e[j], NULL, "previous placement %s",
                                    e[j - 1]->v[EP_PLACE] ? e[j - 1]->v[EP_PLACE] : "blank");
        }
        return 0;
}

/* 383 to 2024/25: the episode after a temporary one returns (RNE P) to the placement before it. */
static int r_383_2023(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 1; j + 1 < n; j++) {
                        if (!r9_in_list(e[j]->v[EP_PLACE], TEMPORARY))
                                continue;
                        const struct ssda903_row *prev = e[j - 1], *next = e[j + 1];
                        if (!r9_is(next->v[EP_RNE], "P") ||
                            !r9_same(next->v[EP_PLACE], prev->v[EP_PLACE]))
                                rule_report_903(ctx, SSDA903_EPISODES, e[j], NULL, NULL);
                }
        }
        return 0;
}

/* Postcodes compared without spaces (cells are already upper-cased). */
static int same_postcode(const char *a, const char *b)
{
        if (!a || !b)
                return !a && !b;
        for (;;) {
                while (*a == ' ')
                        a++;
                while (*b == ' ')
                        b++;
                if (*a != *b)
                        return 0;
                if (!*a)
                        return 1;
                a++;
                b++;
        }
}

/* 383 from 2025/26: ... and to the same placement postcode; the returning episode is reported. */
static int r_383_2026(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 2; j < n; j++) {
                        if (!r9_in_list(e[j - 1]->v[EP_PLACE], TEMPORARY))
                                continue;
                        const struct ssda903_row *before = e[j - 2], *r = e[j];
                        if (!r9_is(r->v[EP_RNE], "P") ||
                            !r9_same(r->v[EP_PLACE], before->v[EP_PLACE]) ||
                            !same_postcode(r->v[EP_PL_POST], before->v[EP_PL_POST]))
                                rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
                }
        }
        return 0;
}

/* ---------------------------------------------------------------- the table */

#define ALL RULES_ALL_YEARS
#define EP  "Episodes"
#define EPH "Episodes|Header"

/* clang-format off */
const struct rule_def rules_903_episodes_dates[] = {
    {"142", RULE_ERROR, "A later episode has started, but this one has no end date or no reason "
     "it ceased.",
     "DEC|REC", EP, 0, ALL, r_142},
    {"225", RULE_ERROR, "The placement changed after this episode (next RNE P, B, T or U), so "
     "its reason for placement change must be given.",
     "REASON_PLACE_CHANGE", EP, 0, ALL, r_225},
    {"234", RULE_ERROR, "A child under 10 cannot change placement because of custody (CUSTOD).",
     "REASON_PLACE_CHANGE|DOB", EPH, 0, RULES_FROM(2026), r_234},
    {"336", RULE_ERROR, "A placement for adoption with the current foster carers (A3, A5) must "
     "follow a foster or adoption placement.",
     "PLACE", EP, 0, ALL, r_336},
    {"353", RULE_ERROR, "The episode starts before 14 October 1991, the earliest date an episode "
     "can have.",
     "DECOM", EP, 0, ALL, r_353},
    {"354", RULE_ERROR, "The episode starts (DECOM) after the end of the collection year.",
     "DECOM", EP, 0, ALL, r_354},
    {"355", RULE_ERROR, "The episode starts and ends on the same day: it lasted less than 24 "
     "hours.",
     "DECOM|DEC", EP, 0, ALL, r_355},
    {"356", RULE_ERROR, "The episode ends (DEC) before it starts (DECOM).",
     "DECOM", EP, 0, ALL, r_356},
    {"357", RULE_ERROR, "The child's first episode must start with reason for new episode S; if "
     "an earlier episode is missing, add it.",
     "RNE", EP, 0, ALL, r_357},
    {"361", RULE_ERROR, "Police protection (LS L1) lasted more than the 72 hours the Children Act "
     "1989 allows.",
     "DECOM|LS|DEC", EP, 0, ALL, r_361},
    {"362", RULE_ERROR, "An emergency protection order (LS L2) lasted more than 21 days.",
     "DECOM|LS|DEC", EP, 0, ALL, r_362},
    {"363", RULE_ERROR, "A child assessment order (LS L3) lasted more than the 7 days the "
     "Children Act 1989 allows.",
     "LS|DECOM|DEC", EP, 0, ALL, r_363},
    {"364", RULE_ERROR, "Detention under PACE 1984 (LS J2) lasted more than 21 days; sections "
     "41-46 strictly limit it.",
     "LS|DECOM|DEC", EP, 0, ALL, r_364},
    {"365", RULE_ERROR, "A single short break (LS V3) lasted more than 17 days.",
     "LS|DECOM|DEC", EP, 0, ALL, r_365},
    {"367", RULE_ERROR, "Short breaks (LS V3) this year add up to more than 75 days.",
     "LS|DECOM|DEC", EP, 0, ALL, r_367},
    {"370", RULE_ERROR, "A child in independent living (P2) should be at least 15.",
     "DECOM|PLACE", EPH, 0, RULES_Y(2023), r_370_2023},
    {"370", RULE_ERROR, "A child in independent living (P2) should be at least 16.",
     "DECOM|PLACE", EPH, 0, RULES_Y(2024), r_370_2024},
    {"371", RULE_ERROR, "A child in semi-independent living not regulated as a children's home "
     "(H5) should be at least 14.",
     "DECOM|PLACE", EPH, 0, RULES_Y(2023), r_371_2023},
    {"371", RULE_ERROR, "A child in semi-independent living not regulated as a children's home "
     "(H5) should be at least 16.",
     "DECOM|PLACE", EPH, 0, RULES_Y(2024), r_371_2024},
    {"371", RULE_ERROR, "A child in supported accommodation (K3) should be at least 16.",
     "DECOM|PLACE", EPH, 0, RULES_FROM(2025), r_371_2025},
    {"372", RULE_ERROR, "A child in youth custody or prison (R5) should be at least 10.",
     "DECOM|PLACE", EPH, 0, ALL, r_372},
    {"373", RULE_ERROR, "A child placed in a residential school (S1) should be at least 4.",
     "DECOM|PLACE", EPH, 0, ALL, r_373},
    {"374", RULE_ERROR, "A child in residential employment (P3) should be at least 14.",
     "DECOM|PLACE", EPH, 0, ALL, r_374},
    {"375", RULE_ERROR, "A temporary stay in hospital (T1) lasted more than six weeks.",
     "DECOM|PLACE", EPH, 0, ALL, r_375},
    {"376", RULE_ERROR, "A temporary placement while the foster carers are on holiday (T3) "
     "lasted more than three weeks.",
     "DECOM|PLACE", EPH, 0, ALL, r_376},
    {"377", RULE_ERROR, "More than two temporary placements while the foster carers are on "
     "holiday (T3) in the year; two are allowed.",
     "PLACE", EP, 0, ALL, r_377},
    {"379", RULE_ERROR, "A temporary placement for another reason (T4) lasted more than seven "
     "days.",
     "DECOM|PLACE", EPH, 0, ALL, r_379},
    {"383", RULE_ERROR, "After a temporary placement (T0-T4) the child must return to the "
     "placement before it, with reason for new episode P.",
     "PLACE", EP, 0, RULES_UNTIL(2025), r_383_2023},
    {"383", RULE_ERROR, "After a temporary placement (T0-T4) the child must return (RNE P) to "
     "the same placement type and postcode as before it.",
     "PLACE|RNE|PL_POST", EP, 0, RULES_FROM(2026), r_383_2026},
    {"385", RULE_ERROR, "The episode ends (DEC) after the end of the collection year.",
     "DEC", EP, 0, ALL, r_385},
    {0},
};
/* clang-format on */
