/*
 * swepisodes.c — SSDA903 rules on the SWEpisodes table (social worker
 * episodes of children looked after on 31 March, from 2023/24): complete
 * and valid items (SW01a, SW01b, SW02, SW03, SW04, SW05, SW13), dates in the
 * reporting period (SW06, SW07), episodes following on from each other
 * (SW08, SW09, SW10, SW11a, SW11b, SW14, SW17) and covering the child's care
 * (SW01, SW12).
 *
 * A child is looked after on 31 March when it has an episode that started on
 * or before 31 March, has no DEC, and is not a V3/V4 short break (DfE's
 * definition for these rules).  A child's social worker episodes are taken
 * in order of SW_DECOM (then SW_DEC); episodes without a real SW_DECOM
 * cannot be ordered and take no part in the order rules (SW04 reports them).
 *
 * Readings chosen where the definition leaves room:
 *  - SW01 (2023/24): "no social worker episode information" is no episode
 *    with both SW_ID and SW_DECOM; the reason may be blank for an episode
 *    that began before 1 April 2023.  The open Episodes row is reported.
 *  - SW01a/SW01b/SW03: complete means SW_DECOM given (an invalid one is left
 *    to SW04), SW_ID given, and SW_REASON given for episodes starting on or
 *    after 1 April 2023, the date from which the reason is collected.
 *    SW03 (2023/24) is that whole check; from 2024/25 SW01a covers episodes
 *    starting before that date and SW01b those after.
 *  - SW02: a blank SW_ID is left to the completeness rules.  Codes are
 *    compared upper-cased, so "sw…" and "xx…" are accepted.
 *  - SW07: from 2024/25 Data to Insight accepts end dates back to 1 April of
 *    the previous year (the social worker reporting period reaches back a
 *    year); 2023/24 keeps the collection year.
 *  - SW10: the next episode must start within 7 days either side of the end
 *    of the one before; both dates must be real.  From 2024/25 an episode
 *    whose reason is FCONTA is exempt.
 *  - SW11a (2023/24) and SW11b: an episode that ended before 31 March must
 *    be followed by another.  SW11b reports an ended episode that is the
 *    child's last; SW11a reports one ended at least 5 days before 31 March
 *    whose next episode does not start within 5 days either side of its end.
 *  - SW12: the social worker episodes of a child looked after on 31 March
 *    must cover its care this year: the earliest SW_DECOM must be on or
 *    before the later of 1 April and the start of the child's first episode
 *    in the year.  A child with no usable episode at all is reported on its
 *    open Episodes row; otherwise its earliest social worker episode is.
 *  - SW08/SW14 (the same check under two codes in 2023/24) report an
 *    episode without SW_DEC that is not the child's latest; SW17 reports the
 *    latest when it has an SW_DEC.
 */
#include "rules/903/util.h"

#define SW_REASONS "MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS"

/* 1 April 2023: social worker change reasons are collected from this date. */
static date_t reasons_from(void)
{
        return date_from_ymd(2023, 4, 1);
}

static int each_sw(struct rule_ctx *ctx, int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *t = r9_tab(ctx, SSDA903_SW_EPISODES);
        for (size_t i = 0; i < t->n; i++)
                if (bad(ctx, &t->rows[i]))
                        rule_report_903(ctx, SSDA903_SW_EPISODES, &t->rows[i], NULL, NULL);
        return 0;
}

/* The child's open episode on 31 March (not a short break), or NULL. */
static const struct ssda903_row *open_at_31_march(const struct rule_ctx *ctx, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
        for (size_t i = n; i-- > 0;) {
                const struct ssda903_row *r = e[i];
                if (r->d[EP_DEC] == DATE_NONE && r9_real(r->d[EP_DECOM]) &&
                    r->d[EP_DECOM] <= ctx->end && !r9_in(r->v[EP_LS], "V3 V4"))
                        return r;
        }
        return NULL;
}

/* A child's social worker episodes with a real SW_DECOM (they sort first). */
static size_t ordered(struct ssda903_row *const *s, size_t n)
{
        size_t m = 0;
        while (m < n && r9_real(s[m]->d[SW_SW_DECOM]))
                m++;
        return m;
}

/* ---------------------------------------------------------------- completeness and codes */

static int bad_SW01a(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t d = r->d[SW_SW_DECOM];
        return d == DATE_NONE || (r9_real(d) && d < reasons_from() && !r->v[SW_SW_ID]);
}

static int bad_SW01b(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t d = r->d[SW_SW_DECOM];
        return d == DATE_NONE ||
               (r9_real(d) && d >= reasons_from() && (!r->v[SW_SW_ID] || !r->v[SW_SW_REASON]));
}

static int bad_SW03(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t d = r->d[SW_SW_DECOM];
        return d == DATE_NONE || !r->v[SW_SW_ID] ||
               (r9_real(d) && d >= reasons_from() && !r->v[SW_SW_REASON]);
}

static int bad_SW02(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        const char *id = r->v[SW_SW_ID];
        return id && strncmp(id, "SW", 2) != 0 && strncmp(id, "XX", 2) != 0;
}

static int bad_SW04(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return !r9_real(r->d[SW_SW_DECOM]);
}

static int bad_SW05(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[SW_SW_DEC] == DATE_BAD;
}

static int bad_SW13(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        const char *why = r->v[SW_SW_REASON];
        if (why)
                return !r9_in(why, SW_REASONS);
        return r9_real(r->d[SW_SW_DECOM]) && r->d[SW_SW_DECOM] >= reasons_from();
}

/* ---------------------------------------------------------------- dates */

static int bad_SW06(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_real(r->d[SW_SW_DECOM]) && r->d[SW_SW_DECOM] > ctx->end;
}

static int bad_SW07(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t d = r->d[SW_SW_DEC];
        date_t from = ctx->rules_year >= 2025 ? date_add_months(ctx->start, -12) : ctx->start;
        return r9_real(d) && (d < from || d > ctx->end);
}

static int bad_SW09(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t s = r->d[SW_SW_DECOM], e = r->d[SW_SW_DEC];
        return r9_real(s) && r9_real(e) && s == e;
}

#define RULE_FN(code)                                                                              \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_sw(ctx, bad_##code);                                                   \
        }
RULE_FN(SW01a)
RULE_FN(SW01b)
RULE_FN(SW02)
RULE_FN(SW03)
RULE_FN(SW04)
RULE_FN(SW05)
RULE_FN(SW06)
RULE_FN(SW07)
RULE_FN(SW09)
RULE_FN(SW13)

/* ---------------------------------------------------------------- sequence */

/* SW08, SW14: an episode with no end that is not the child's latest. */
static int r_open_not_latest(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                size_t m = ordered(s, n);
                for (size_t i = 0; i + 1 < m; i++)
                        if (s[i]->d[SW_SW_DEC] == DATE_NONE)
                                rule_report_903f(ctx, SSDA903_SW_EPISODES, s[i], NULL,
                                                 "a later social worker episode starts on %s",
                                                 s[i + 1]->v[SW_SW_DECOM]);
        }
        return 0;
}

/* SW10: each episode starts within 7 days either side of the end of the one before. */
static int r_SW10(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                size_t m = ordered(s, n);
                for (size_t i = 1; i < m; i++) {
                        date_t prev_end = s[i - 1]->d[SW_SW_DEC], start = s[i]->d[SW_SW_DECOM];
                        if (!r9_real(prev_end))
                                continue;
                        if (ctx->rules_year >= 2025 && r9_is(s[i]->v[SW_SW_REASON], "FCONTA"))
                                continue;
                        if (start < prev_end - 7 || start > prev_end + 7)
                                rule_report_903f(ctx, SSDA903_SW_EPISODES, s[i], NULL,
                                                 "the episode before ended on %s",
                                                 s[i - 1]->v[SW_SW_DEC]);
                }
        }
        return 0;
}

/* SW11a: an episode ended well before 31 March is followed within 5 days by the next. */
static int r_SW11a(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                for (size_t i = 0; i + 1 < n; i++) {
                        date_t end = s[i]->d[SW_SW_DEC];
                        if (!r9_real(s[i]->d[SW_SW_DECOM]) || !r9_real(end) || end > ctx->end - 5)
                                continue;
                        date_t next = s[i + 1]->d[SW_SW_DECOM];
                        if (!r9_real(next) || next < end - 5 || next > end + 5)
                                rule_report_903(ctx, SSDA903_SW_EPISODES, s[i], NULL,
                                                "the next episode does not start within 5 days");
                }
        }
        return 0;
}

/* SW11b: an episode ended before 31 March is not the child's last. */
static int r_SW11b(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                if (n == 0)
                        continue;
                const struct ssda903_row *last = s[n - 1];
                if (r9_real(last->d[SW_SW_DECOM]) && r9_real(last->d[SW_SW_DEC]) &&
                    last->d[SW_SW_DEC] < ctx->end)
                        rule_report_903(ctx, SSDA903_SW_EPISODES, last, NULL, NULL);
        }
        return 0;
}

/* SW17: the child's latest episode is still open at 31 March. */
static int r_SW17(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                size_t m = ordered(s, n);
                if (m > 0 && s[m - 1]->d[SW_SW_DEC] != DATE_NONE)
                        rule_report_903(ctx, SSDA903_SW_EPISODES, s[m - 1], NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- against Episodes */

/* SW01: a child looked after on 31 March has social worker episode information. */
static int r_SW01(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *open = open_at_31_march(ctx, k);
                if (!open)
                        continue;
                size_t n;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                int any = 0;
                for (size_t i = 0; i < n; i++)
                        any |= s[i]->v[SW_SW_ID] && s[i]->v[SW_SW_DECOM];
                if (!any)
                        rule_report_903(ctx, SSDA903_EPISODES, open, NULL, NULL);
        }
        return 0;
}

/* SW12: the social worker episodes of a child looked after on 31 March cover its year. */
static int r_SW12(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *open = open_at_31_march(ctx, k);
                if (!open)
                        continue;
                size_t n, ne;
                struct ssda903_row *const *s = r9_rows(ctx, SSDA903_SW_EPISODES, k, &n);
                if (n == 0) {
                        rule_report_903(ctx, SSDA903_EPISODES, open, NULL,
                                        "no social worker episodes are reported");
                        continue;
                }
                if (ordered(s, n) == 0)
                        continue;
                /* The first episode that is open at some time in the year. */
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &ne);
                date_t from = ctx->end;
                for (size_t i = 0; i < ne; i++) {
                        date_t decom = e[i]->d[EP_DECOM], dec = e[i]->d[EP_DEC];
                        if (r9_real(decom) && decom <= ctx->end &&
                            (!r9_real(dec) || dec >= ctx->start)) {
                                from = decom > ctx->start ? decom : ctx->start;
                                break;
                        }
                }
                if (s[0]->d[SW_SW_DECOM] > from) {
                        char d[11];
                        date_format_uk(from, d);
                        rule_report_903f(ctx, SSDA903_SW_EPISODES, s[0], NULL,
                                         "no social worker episode covers %s", d);
                }
        }
        return 0;
}

#define SW_SETS   RULES_FROM(2024)
#define ONLY_2024 RULES_Y(2024)
#define FROM_2025 RULES_FROM(2025)

/* clang-format off */
const struct rule_def rules_903_swepisodes[] = {
    {"SW01STG1", RULE_ERROR, "The child is looked after on 31 March, but no social worker "
     "episode (social worker ID and start date) is reported.",
     "DEC", "SWEpisodes|Episodes", 0, ONLY_2024, r_SW01},
    {"SW01aSTG1", RULE_ERROR, "The social worker episode is incomplete: the start date is blank, "
     "or the episode began before 01/04/2023 without a social worker ID.",
     "SW_DECOM|SW_ID", "SWEpisodes", 0, FROM_2025, r_SW01a},
    {"SW01bSTG1", RULE_ERROR, "The social worker episode is incomplete: the start date is blank, "
     "or the episode began on or after 01/04/2023 without a social worker ID or reason.",
     "SW_DECOM|SW_ID|SW_REASON", "SWEpisodes", 0, FROM_2025, r_SW01b},
    {"SW02STG1", RULE_ERROR, "The social worker ID does not begin with SW or XX.",
     "SW_ID", "SWEpisodes", 0, SW_SETS, r_SW02},
    {"SW03STG1", RULE_ERROR, "The social worker episode is incomplete: social worker ID, start "
     "date, or (for episodes from 01/04/2023) the reason for the change is blank.",
     "SW_ID|SW_DECOM|SW_REASON", "SWEpisodes", 0, ONLY_2024, r_SW03},
    {"SW04STG1", RULE_ERROR, "The start date of the social worker episode is blank or not a real "
     "dd/mm/YYYY date.",
     "SW_DECOM", "SWEpisodes", 0, SW_SETS, r_SW04},
    {"SW05STG1", RULE_ERROR, "The end date of the social worker episode is not a real dd/mm/YYYY "
     "date.",
     "SW_DEC", "SWEpisodes", 0, SW_SETS, r_SW05},
    {"SW06STG2", RULE_ERROR, "The social worker episode starts after the end of the collection "
     "year.",
     "SW_DECOM", "SWEpisodes", 0, SW_SETS, r_SW06},
    {"SW07STG2", RULE_ERROR, "The social worker episode ends outside the social worker reporting "
     "period or after the end of the collection year.",
     "SW_DEC", "SWEpisodes", 0, SW_SETS, r_SW07},
    {"SW08STG2", RULE_ERROR, "A later social worker episode starts, but this one has no end "
     "date.",
     "SW_DEC", "SWEpisodes", 0, SW_SETS, r_open_not_latest},
    {"SW09STG2", RULE_ERROR, "The social worker episode starts and ends on the same day (less "
     "than 24 hours).",
     "SW_DECOM|SW_DEC", "SWEpisodes", 0, SW_SETS, r_SW09},
    {"SW10STG2", RULE_ERROR, "The social worker episode does not start within 7 days of the end "
     "of the previous one.",
     "SW_DECOM", "SWEpisodes", 0, SW_SETS, r_SW10},
    {"SW11aSTG2", RULE_ERROR, "The social worker episode ended before 31 March and the next one "
     "does not start within 5 days of its end.",
     "SW_DEC", "SWEpisodes", 0, ONLY_2024, r_SW11a},
    {"SW11bSTG2", RULE_ERROR, "The social worker episode ended before 31 March and no later "
     "episode is reported.",
     "SW_DEC", "SWEpisodes", 0, SW_SETS, r_SW11b},
    {"SW12STG2", RULE_ERROR, "The child is looked after on 31 March, but the social worker "
     "episodes do not cover the whole year (including time not looked after).",
     "SW_DECOM", "SWEpisodes|Episodes", 0, SW_SETS, r_SW12},
    {"SW13STG1", RULE_ERROR, "The reason for the change of social worker is not a valid code, or "
     "is blank for an episode starting on or after 01/04/2023.",
     "SW_REASON", "SWEpisodes", 0, SW_SETS, r_SW13},
    {"SW14STG2", RULE_ERROR, "The social worker episode has no end date but is not the child's "
     "latest.",
     "SW_DEC", "SWEpisodes", 0, ONLY_2024, r_open_not_latest},
    {"SW17STG2", RULE_ERROR, "The child's latest social worker episode has ended: one should be "
     "open at 31 March.",
     "SW_DEC|SW_DECOM", "SWEpisodes", 0, RULES_FROM(2026), r_SW17},
    {0},
};
/* clang-format on */
