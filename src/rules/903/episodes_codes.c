/*
 * episodes_codes.c — SSDA903 Episodes rules that check one episode's codes:
 * valid code lists (143–149, 178), dates that are not dates (141, 147), and
 * the combinations of placement, legal status, provider and URN that cannot
 * go together (213, 214, 217, 217t, 222, 226, 233, 366, 378, 380–382, 384).
 *
 * Code lists follow data-formats.md §1.6; where DfE changed a list (PLACE in
 * 2024/25 and 2025/26, the placements exempt from a provider or a URN) the
 * rule has one row per version, with disjoint rule-set years.
 *
 * Readings chosen where the definition leaves room:
 *  - A blank cell is never "not a valid code": blanks are the business of
 *    the rules that require the field.  A date that is present but not a
 *    real dd/mm/YYYY date is reported by 141/147 and skipped elsewhere.
 *  - 146 (2024/25): the list includes K3.  Data to Insight's list spells it
 *    "k3", which no upper-cased input can match; DfE added K3 that year.
 *  - 222 (2025/26 on): the placements that take no URN are those exempt from
 *    218 that year (P1, P3, R1, R2, R5, T0–T4, Z11–Z14); the 2025/26 source
 *    of this rule was not available.
 *  - 226: "the previous episode" is the child's episode just before this one
 *    in DECOM order, in this year's return.
 */
#include "rules/903/util.h"

#include <string.h>

/* ---------------------------------------------------------------- helpers */

/* Report every episode for which `bad` holds. */
static int each_episode(struct rule_ctx *ctx, int (*bad)(const struct ssda903_row *r))
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++)
                if (bad(&ep->rows[i]))
                        rule_report_903(ctx, SSDA903_EPISODES, &ep->rows[i], NULL, NULL);
        return 0;
}

/* A present code outside `list` is reported with the code itself. */
static int not_in_list(struct rule_ctx *ctx, int col, const char *const *list)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        struct r9_list_memo memo;
        memset(&memo, 0, sizeof memo);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r->v[col] && !r9_in_list_memo(&memo, r->v[col], list))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "'%s'", r->v[col]);
        }
        return 0;
}

/* clang-format off */
static const char *const TEMPORARY[] = {"T0", "T1", "T2", "T3", "T4", NULL};
static const char *const RESPITE[] = {"V3", "V4", NULL};
static const char *const XURN = "XXXXXXX"; /* URN placeholder: no URN to check */
/* clang-format on */

/* ---------------------------------------------------------------- dates that are not dates */

static int bad_decom(const struct ssda903_row *r)
{
        return r->d[EP_DECOM] == DATE_BAD;
}
static int r_141(struct rule_ctx *ctx)
{
        return each_episode(ctx, bad_decom);
}

static int bad_dec(const struct ssda903_row *r)
{
        return r->d[EP_DEC] == DATE_BAD;
}
static int r_147(struct rule_ctx *ctx)
{
        return each_episode(ctx, bad_dec);
}

/* ---------------------------------------------------------------- code lists */

static int r_143(struct rule_ctx *ctx)
{
        static const char *const rne[] = {"S", "P", "L", "T", "U", "B", NULL};
        return not_in_list(ctx, EP_RNE, rne);
}

static int r_144(struct rule_ctx *ctx)
{
        static const char *const ls[] = {"C1", "C2", "D1", "E1", "V2", "V3", "V4",
                                         "J1", "J2", "J3", "L1", "L2", "L3", NULL};
        return not_in_list(ctx, EP_LS, ls);
}

static int r_145(struct rule_ctx *ctx)
{
        static const char *const cin[] = {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", NULL};
        return not_in_list(ctx, EP_CIN, cin);
}

/* clang-format off */
static const char *const PLACE_2023[] = {
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", NULL};
static const char *const PLACE_2025[] = {
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", NULL};
static const char *const PLACE_2026[] = {
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13",
    "Z14", NULL};
/* clang-format on */

static int r_146_2023(struct rule_ctx *ctx)
{
        return not_in_list(ctx, EP_PLACE, PLACE_2023);
}
static int r_146_2025(struct rule_ctx *ctx)
{
        return not_in_list(ctx, EP_PLACE, PLACE_2025);
}
static int r_146_2026(struct rule_ctx *ctx)
{
        return not_in_list(ctx, EP_PLACE, PLACE_2026);
}

static int half_ceased(const struct ssda903_row *r)
{
        return !r->v[EP_DEC] != !r->v[EP_REC];
}
static int r_148(struct rule_ctx *ctx)
{
        return each_episode(ctx, half_ceased);
}

static int r_149(struct rule_ctx *ctx)
{
        static const char *const rec[] = {"E11", "E12", "E2",  "E3",  "E4A", "E4B", "E13", "E41",
                                          "E45", "E46", "E47", "E48", "E5",  "E6",  "E7",  "E8",
                                          "E9",  "E14", "E15", "E16", "E17", "X1",  NULL};
        return not_in_list(ctx, EP_REC, rec);
}

/* 178: a provider code must be a valid one, and must not be given for placements without one. */
static int provider_invalid(struct rule_ctx *ctx, const char *const *no_provider)
{
        static const char *const pr[] = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5", NULL};
        const struct ssda903_table *ep = r9_episodes(ctx);
        struct r9_list_memo in_pr, in_none;
        memset(&in_pr, 0, sizeof in_pr);
        memset(&in_none, 0, sizeof in_none);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const char *p = r->v[EP_PLACE_PROVIDER];
                if (!p)
                        continue;
                if (!r9_in_list_memo(&in_pr, p, pr))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "'%s'", p);
                else if (r9_in_list_memo(&in_none, r->v[EP_PLACE], no_provider))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL,
                                         "%s given for placement %s", p, r->v[EP_PLACE]);
        }
        return 0;
}
static int r_178_2023(struct rule_ctx *ctx)
{
        static const char *const none[] = {"T0", "T1", "T2", "T3", "T4", "Z1", NULL};
        return provider_invalid(ctx, none);
}
static int r_178_2026(struct rule_ctx *ctx)
{
        static const char *const none[] = {"T0",  "T1",  "T2",  "T3", "Z11",
                                           "Z12", "Z13", "Z14", NULL};
        return provider_invalid(ctx, none);
}

/* ---------------------------------------------------------------- combinations */

/* 213: placements that take no provider code. */
static int provider_given(struct rule_ctx *ctx, const char *const *places)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r->v[EP_PLACE_PROVIDER] && r9_in_list(r->v[EP_PLACE], places))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "placement %s",
                                         r->v[EP_PLACE]);
        }
        return 0;
}
static int r_213_2023(struct rule_ctx *ctx)
{
        return provider_given(ctx, TEMPORARY);
}
static int r_213_2026(struct rule_ctx *ctx)
{
        static const char *const none[] = {"T0",  "T1",  "T2",  "T3",  "T4",
                                           "Z11", "Z12", "Z13", "Z14", NULL};
        return provider_given(ctx, none);
}

static int respite_located(const struct ssda903_row *r)
{
        return r9_in_list(r->v[EP_LS], RESPITE) && (r->v[EP_PL_POST] || r->v[EP_URN]);
}
static int r_214(struct rule_ctx *ctx)
{
        return each_episode(ctx, respite_located);
}

/* 217: adoption by current foster carers is a new episode S, T or U (rule from 1 April 2015). */
static int r_217(struct rule_ctx *ctx)
{
        static const char *const place[] = {"A3", "A5", NULL};
        static const char *const rne[] = {"S", "T", "U", NULL};
        date_t from = date_from_ymd(2015, 4, 1);
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r9_in_list(r->v[EP_PLACE], place) && r9_real(r->d[EP_DECOM]) &&
                    r->d[EP_DECOM] >= from && !r9_in_list(r->v[EP_RNE], rne))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "RNE %s",
                                         r->v[EP_RNE] ? r->v[EP_RNE] : "blank");
        }
        return 0;
}

/* 217t (2023/24): P2 ended on 27 October 2023; an episode still open after 28 October is wrong. */
static int r_217t(struct rule_ctx *ctx)
{
        date_t last = date_from_ymd(2023, 10, 28);
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                date_t dec = r->d[EP_DEC];
                if (r9_is(r->v[EP_PLACE], "P2") &&
                    (dec == DATE_NONE || (r9_real(dec) && dec > last)))
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

/* 222: a URN given for a placement that has none (the placeholder XXXXXXX is allowed). */
static int urn_given(struct rule_ctx *ctx, const char *const *places)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        struct r9_list_memo memo;
        memset(&memo, 0, sizeof memo);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r->v[EP_URN] && !r9_streq(r->v[EP_URN], XURN) &&
                    r9_in_list_memo(&memo, r->v[EP_PLACE], places))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "placement %s",
                                         r->v[EP_PLACE]);
        }
        return 0;
}
/* clang-format off */
static int r_222_2023(struct rule_ctx *ctx)
{
        static const char *const p[] = {"H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2",
                                        "T3", "T4", "Z1", NULL};
        return urn_given(ctx, p);
}
static int r_222_2024(struct rule_ctx *ctx)
{
        static const char *const p[] = {"P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3",
                                        "T4", "Z1", NULL};
        return urn_given(ctx, p);
}
static int r_222_2025(struct rule_ctx *ctx)
{
        static const char *const p[] = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                                        "Z1", NULL};
        return urn_given(ctx, p);
}
static int r_222_2026(struct rule_ctx *ctx)
{
        static const char *const p[] = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                                        "Z11", "Z12", "Z13", "Z14", NULL};
        return urn_given(ctx, p);
}
/* clang-format on */

/*
 * 226: a temporary placement is not a change of placement, so neither it nor
 * the episode that led into it carries a reason for the change.
 */
static int r_226(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *e = ssda903_child_rows(ep, (uint32_t)k, &n);
                for (size_t j = 0; j < n; j++) {
                        if (!r9_in_list(e[j]->v[EP_PLACE], TEMPORARY))
                                continue;
                        if (e[j]->v[EP_REASON_PLACE_CHANGE])
                                rule_report_903f(
                                    ctx, SSDA903_EPISODES, e[j], NULL, "%s on a %s episode",
                                    e[j]->v[EP_REASON_PLACE_CHANGE], e[j]->v[EP_PLACE]);
                        else if (j > 0 && e[j - 1]->v[EP_REASON_PLACE_CHANGE])
                                rule_report_903f(ctx, SSDA903_EPISODES, e[j], NULL,
                                                 "%s on the episode before this %s one",
                                                 e[j - 1]->v[EP_REASON_PLACE_CHANGE],
                                                 e[j]->v[EP_PLACE]);
                }
        }
        return 0;
}

static int open_with_reason(const struct ssda903_row *r)
{
        return !r->v[EP_DEC] && r->v[EP_REASON_PLACE_CHANGE];
}
static int r_233(struct rule_ctx *ctx)
{
        return each_episode(ctx, open_with_reason);
}

static int respite_new_placement(const struct ssda903_row *r)
{
        return r9_is(r->v[EP_LS], "V3") && !r9_is(r->v[EP_RNE], "S");
}
static int r_366(struct rule_ctx *ctx)
{
        return each_episode(ctx, respite_new_placement);
}

static int parents_under_s20(const struct ssda903_row *r)
{
        return r9_is(r->v[EP_PLACE], "P1") && r9_is(r->v[EP_LS], "V2");
}
static int r_378(struct rule_ctx *ctx)
{
        return each_episode(ctx, parents_under_s20);
}

static int temporary_not_a_move(const struct ssda903_row *r)
{
        return r9_in_list(r->v[EP_PLACE], TEMPORARY) && !r9_is(r->v[EP_RNE], "P") &&
               !r9_is(r->v[EP_RNE], "B");
}
static int r_380(struct rule_ctx *ctx)
{
        return each_episode(ctx, temporary_not_a_move);
}

static int temporary_ends_care(const struct ssda903_row *r)
{
        return r9_in_list(r->v[EP_PLACE], TEMPORARY) && r->v[EP_REC] && !r9_is(r->v[EP_REC], "X1");
}
static int r_381(struct rule_ctx *ctx)
{
        return each_episode(ctx, temporary_ends_care);
}

static int respite_temporary(const struct ssda903_row *r)
{
        return r9_in_list(r->v[EP_LS], RESPITE) && r9_in_list(r->v[EP_PLACE], TEMPORARY);
}
static int r_382(struct rule_ctx *ctx)
{
        return each_episode(ctx, respite_temporary);
}

static int respite_long_term_foster(const struct ssda903_row *r)
{
        return r9_in_list(r->v[EP_LS], RESPITE) &&
               (r9_is(r->v[EP_PLACE], "U1") || r9_is(r->v[EP_PLACE], "U4"));
}
static int r_384(struct rule_ctx *ctx)
{
        return each_episode(ctx, respite_long_term_foster);
}

/* ---------------------------------------------------------------- the table */

#define ALL RULES_ALL_YEARS
#define EP  "Episodes"

/* clang-format off */
const struct rule_def rules_903_episodes_codes[] = {
    {"141", RULE_ERROR, "The episode's start date (DECOM) is not a real date in dd/mm/YYYY form.",
     "DECOM", EP, 0, ALL, r_141},
    {"143", RULE_ERROR, "Reason for new episode (RNE) is not one of S, P, L, T, U, B.",
     "RNE", EP, 0, ALL, r_143},
    {"144", RULE_ERROR, "Legal status (LS) is not a valid code.",
     "LS", EP, 0, ALL, r_144},
    {"145", RULE_ERROR, "Category of need (CIN) is not one of N1 to N8.",
     "CIN", EP, 0, ALL, r_145},
    {"146", RULE_ERROR, "Placement type (PLACE) is not a valid code for 2022/23 and 2023/24.",
     "PLACE", EP, 0, RULES_UNTIL(2024), r_146_2023},
    {"146", RULE_ERROR, "Placement type (PLACE) is not a valid code for 2024/25.",
     "PLACE", EP, 0, RULES_Y(2025), r_146_2025},
    {"146", RULE_ERROR, "Placement type (PLACE) is not a valid code from 2025/26 "
     "(H5, P2 and Z1 are no longer used; Z1 became Z11 to Z14).",
     "PLACE", EP, 0, RULES_FROM(2026), r_146_2026},
    {"147", RULE_ERROR, "The episode's end date (DEC) is not a real date in dd/mm/YYYY form.",
     "DEC", EP, 0, ALL, r_147},
    {"148", RULE_ERROR, "End date (DEC) and reason the episode ceased (REC) must be given "
     "together or both left blank.",
     "DEC|REC", EP, 0, ALL, r_148},
    {"149", RULE_ERROR, "Reason the episode ceased (REC) is not a valid code.",
     "REC", EP, 0, ALL, r_149},
    {"178", RULE_ERROR, "Placement provider (PLACE_PROVIDER) is not PR0 to PR5, or is given for a "
     "temporary (T0-T4) or Z1 placement, which has no provider.",
     "PLACE_PROVIDER", EP, 0, RULES_UNTIL(2025), r_178_2023},
    {"178", RULE_ERROR, "Placement provider (PLACE_PROVIDER) is not PR0 to PR5, or is given for a "
     "T0-T3 or Z11-Z14 placement, which has no provider.",
     "PLACE_PROVIDER", EP, 0, RULES_FROM(2026), r_178_2026},
    {"213", RULE_ERROR, "A placement provider is given for a temporary placement (T0-T4), which "
     "takes none.",
     "PLACE_PROVIDER", EP, 0, RULES_UNTIL(2025), r_213_2023},
    {"213", RULE_ERROR, "A placement provider is given for a temporary (T0-T4) or Z11-Z14 "
     "placement, which takes none.",
     "PLACE_PROVIDER", EP, 0, RULES_FROM(2026), r_213_2026},
    {"214", RULE_ERROR, "A short-break episode (LS V3 or V4) records no placement postcode or URN, "
     "but one is given.",
     "PL_POST|URN", EP, 0, ALL, r_214},
    {"217", RULE_ERROR, "A placement for adoption with the current foster carers (A3, A5) must "
     "start with reason for new episode S, T or U.",
     "PLACE|DECOM|RNE", EP, 0, ALL, r_217},
    {"217t", RULE_ERROR, "Placement type P2 cannot be used after 28 October 2023.",
     "PLACE|DECOM", EP, 0, RULES_Y(2024), r_217t},
    {"222", RULE_ERROR, "A URN is given for a placement type that has no Ofsted URN.",
     "URN", EP, 0, RULES_Y(2023), r_222_2023},
    {"222", RULE_ERROR, "A URN is given for a placement type that has no Ofsted URN "
     "(H5 takes one from 2023/24).",
     "URN", EP, 0, RULES_Y(2024), r_222_2024},
    {"222", RULE_ERROR, "A URN is given for a placement type that has no Ofsted URN.",
     "URN", EP, 0, RULES_Y(2025), r_222_2025},
    {"222", RULE_ERROR, "A URN is given for a placement type that has no Ofsted URN.",
     "URN", EP, 0, RULES_FROM(2026), r_222_2026},
    {"226", RULE_ERROR, "A temporary placement (T0-T4) is not a change of placement: neither it "
     "nor the episode before it takes a reason for placement change.",
     "REASON_PLACE_CHANGE|PLACE", EP, 0, ALL, r_226},
    {"233", RULE_ERROR, "A reason for placement change is given on an episode that has not "
     "ended.",
     "REASON_PLACE_CHANGE", EP, 0, RULES_FROM(2026), r_233},
    {"366", RULE_ERROR, "A short break (LS V3) is one placement: each V3 episode must start with "
     "reason for new episode S.",
     "RNE", EP, 0, ALL, r_366},
    {"378", RULE_ERROR, "A child placed with parents (P1) cannot be accommodated under a single "
     "period of section 20 accommodation (LS V2).",
     "PLACE|LS", EP, 0, ALL, r_378},
    {"380", RULE_ERROR, "A temporary placement (T0-T4) must be a change of placement (RNE P or "
     "B); a period of care cannot start with one.",
     "PLACE|RNE", EP, 0, ALL, r_380},
    {"381", RULE_ERROR, "A period of care cannot end with a temporary placement (T0-T4): only "
     "X1 may close one.",
     "PLACE|REC", EP, 0, ALL, r_381},
    {"382", RULE_ERROR, "A child on short breaks (LS V3 or V4) cannot be in a temporary "
     "placement (T0-T4).",
     "LS|PLACE", EP, 0, ALL, r_382},
    {"384", RULE_ERROR, "A child on short breaks (LS V3 or V4) cannot be in a long-term foster "
     "placement (U1 or U4).",
     "PLACE|LS", EP, 0, ALL, r_384},
    {0},
};
/* clang-format on */
