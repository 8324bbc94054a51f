/*
 * placements.c — SSDA903 Episodes rules about where a child is placed: the
 * fields derived from postcodes (164 distance, 169 placement LA, 179
 * placement location), when an Ofsted URN is required (218, 230), and the
 * URN checked against Ofsted's providers list (219 placement type, 221
 * postcode, 224 provider, 227/228 registration dates, 229 own or other
 * authority's provision).
 *
 * These rules need reference data (rules.h `needs`): the postcode directory
 * derives PL_DISTANCE, PL_LA and PL_LOCATION when the load is finished; the
 * providers list is looked up by URN.  The URN placeholder XXXXXXX is never
 * looked up.
 *
 * Readings chosen where the definition leaves room:
 *  - 164: a child who is or was UASC (this year's or last year's Header
 *    flag or UASC table) and short-break episodes (LS V3, V4) are exempt; a
 *    distance that could not be derived (postcode not found) is left to
 *    169/179, which report the missing placement LA and location.
 *  - 179 needs the submitting authority's code as well as the postcodes:
 *    PL_LOCATION (IN/OUT) cannot be derived without it.  229 needs it too.
 *  - 218/230: a placement whose LA could not be derived counts as in
 *    England, so its URN is required (Data to Insight's test turns the
 *    missing value into the text "NAN", which starts with N and so exempts
 *    it until 2024/25).
 *  - 219, 221, 224, 229: a URN that is not in the providers list is left to
 *    rule 1008 (URN not valid) and not reported again here; likewise a
 *    provider without the detail being compared (no placement codes, no
 *    provider codes, no postcode, a postcode outside the directory).
 *  - 221 compares children's homes, secure homes, family centres and
 *    residential schools (K1, K2, R3, S1), and H5 in 2023/24 only.  From
 *    2024/25 supported accommodation (K3) is not compared: one Ofsted
 *    registration covers a provider's many addresses.  (Data to Insight's
 *    2024/25 source exists in versions with and without K3.)
 *  - 227/228 compare with the provider's deregistration date only.
 */
#include "rules/903/util.h"

#include "returns/refdata.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- helpers */

/* clang-format off */
static const char *const RESPITE[] = {"V3", "V4", NULL};
/* clang-format on */

/* The episode's URN when it is a real one to look up, else NULL. */
static const char *urn_of(const struct ssda903_row *r)
{
        const char *u = r->v[EP_URN];
        return u && strcmp(u, "XXXXXXX") != 0 ? u : NULL;
}

/* The provider of a real URN, or NULL when there is none or it is not in the list. */
static const struct refdata_provider *provider_of(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return rule_ep_provider(ctx, r);
}

/* ---------------------------------------------------------------- derived fields */

static int uasc_in(const struct ssda903_load *ld, int hd, int ua, uint32_t child)
{
        size_t n;
        struct ssda903_row *const *h = ssda903_child_rows(&ld->t[hd], child, &n);
        for (size_t j = 0; j < n; j++)
                if (r9_is(h[j]->v[HD_UASC], "1"))
                        return 1;
        ssda903_child_rows(&ld->t[ua], child, &n);
        return n > 0;
}

/*
 * A distance is valid when it reads wholly as a number from 0 to 999.9.  The
 * derived ones look like "12.3": their tenths decide without strtod, since
 * strtod rounds decimals monotonically and 999.9 reads as the constant.
 */
static int distance_ok(const char *s)
{
        unsigned long long tenths = 0;
        size_t i = 0;
        while (s[i] >= '0' && s[i] <= '9' && i < 9)
                tenths = tenths * 10 + (unsigned)(s[i++] - '0');
        if (i > 0 && i < 9 && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9' && !s[i + 2])
                return tenths * 10 + (unsigned)(s[i + 1] - '0') <= 9999;
        char *end;
        double miles = strtod(s, &end);
        return !(end == s || *end || miles < 0.0 || miles > 999.9);
}

static int r_164(struct rule_ctx *ctx)
{
        const struct ssda903_load *ld = ctx->s903;
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const char *s = r->v[EP_PL_DISTANCE];
                if (!s || r9_in_list(r->v[EP_LS], RESPITE) ||
                    uasc_in(ld, SSDA903_HEADER, SSDA903_UASC, r->child) ||
                    uasc_in(ld, SSDA903_HEADER_LAST, SSDA903_UASC_LAST, r->child))
                        continue;
                if (!distance_ok(s))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s miles", s);
        }
        return 0;
}

/* 169, 179: a derived field that could not be derived, outside short breaks. */
static int not_derived(struct rule_ctx *ctx, int col)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r->v[col] && !r9_in_list(r->v[EP_LS], RESPITE))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "placement postcode %s",
                                         r->v[EP_PL_POST] ? r->v[EP_PL_POST] : "blank");
        }
        return 0;
}
static int r_169(struct rule_ctx *ctx)
{
        return not_derived(ctx, EP_PL_LA);
}
static int r_179(struct rule_ctx *ctx)
{
        return not_derived(ctx, EP_PL_LOCATION);
}

/* ---------------------------------------------------------------- URN required */

/* Outside England by the placement LA: to 2024/25 any code starting N, W, S or C. */
static int abroad_2023(const char *la)
{
        return la && (la[0] == 'N' || la[0] == 'W' || la[0] == 'S' || la[0] == 'C');
}
static int abroad_2026(const char *la)
{
        static const char *const codes[] = {"CON", "NIR", "SCO", "WAL", "NUK", NULL};
        return r9_in_list(la, codes);
}

/* 218: placements in England that end on or after 1 April, other than `exempt`, need a URN. */
static int urn_required(struct rule_ctx *ctx, const char *const *exempt,
                        int (*abroad)(const char *))
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                date_t dec = r->d[EP_DEC];
                int current = dec == DATE_NONE || (r9_real(dec) && dec >= ctx->start);
                if (current && !r->v[EP_URN] && !r9_in_list(r->v[EP_PLACE], exempt) &&
                    !abroad(r->v[EP_PL_LA]))
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "placement %s",
                                         r->v[EP_PLACE] ? r->v[EP_PLACE] : "blank");
        }
        return 0;
}
/* clang-format off */
static int r_218_2023(struct rule_ctx *ctx)
{
        static const char *const x[] = {"H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2",
                                        "T3", "T4", "Z1", NULL};
        return urn_required(ctx, x, abroad_2023);
}
static int r_218_2024(struct rule_ctx *ctx)
{
        static const char *const x[] = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                                        "Z1", NULL};
        return urn_required(ctx, x, abroad_2023);
}
static int r_218_2026(struct rule_ctx *ctx)
{
        static const char *const x[] = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                                        "Z11", "Z12", "Z13", "Z14", NULL};
        return urn_required(ctx, x, abroad_2026);
}
/* clang-format on */

/* 230 (2023/24): H5 placements in England open on or after 29 October 2023 need a real URN. */
static int r_230(struct rule_ctx *ctx)
{
        date_t from = date_from_ymd(2023, 10, 29);
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                date_t dec = r->d[EP_DEC];
                const char *la = r->v[EP_PL_LA];
                int abroad = la && (la[0] == 'N' || la[0] == 'W' || la[0] == 'S');
                if (r9_is(r->v[EP_PLACE], "H5") &&
                    (dec == DATE_NONE || (r9_real(dec) && dec >= from)) && !urn_of(r) && !abroad)
                        rule_report_903(ctx, SSDA903_EPISODES, r, NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- URN against the providers list
 */

static int r_219(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const struct refdata_provider *p = provider_of(ctx, r);
                if (p && p->placement_codes &&
                    !refdata_code_in_list(p->placement_codes, r->v[EP_PLACE]))
                        rule_report_903f(
                            ctx, SSDA903_EPISODES, r, NULL, "placement %s, provider offers %s",
                            r->v[EP_PLACE] ? r->v[EP_PLACE] : "blank", p->placement_codes);
        }
        return 0;
}

/* 221: the placement postcode of a registered setting is the setting's postcode. */
static int postcode_differs(struct rule_ctx *ctx, const char *const *places)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r->v[EP_PL_POST] || r9_in_list(r->v[EP_LS], RESPITE) ||
                    !r9_in_list(r->v[EP_PLACE], places))
                        continue;
                const struct refdata_provider *p = provider_of(ctx, r);
                if (!p || !p->postcode)
                        continue;
                char pc[32];
                refdata_postcode_norm(r->v[EP_PL_POST], pc, sizeof pc);
                if (strcmp(pc, p->postcode) != 0)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s here, %s for the URN",
                                         r->v[EP_PL_POST], p->postcode);
        }
        return 0;
}
/* Also from 2024/25, when H5 left the list again. */
static int r_221_2023(struct rule_ctx *ctx)
{
        static const char *const p[] = {"K1", "K2", "R3", "S1", NULL};
        return postcode_differs(ctx, p);
}
static int r_221_2024(struct rule_ctx *ctx)
{
        static const char *const p[] = {"H5", "K1", "K2", "R3", "S1", NULL};
        return postcode_differs(ctx, p);
}

static int r_224(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const struct refdata_provider *p = provider_of(ctx, r);
                if (p && p->provider_codes &&
                    !refdata_code_in_list(p->provider_codes, r->v[EP_PLACE_PROVIDER]))
                        rule_report_903f(
                            ctx, SSDA903_EPISODES, r, NULL, "provider %s, the URN's is %s",
                            r->v[EP_PLACE_PROVIDER] ? r->v[EP_PLACE_PROVIDER] : "blank",
                            p->provider_codes);
        }
        return 0;
}

/* 227: the episode cannot start on or after the setting was deregistered. */
static int r_227(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const struct refdata_provider *p = provider_of(ctx, r);
                if (p && r9_real(p->deregistered) && r9_real(r->d[EP_DECOM]) &&
                    r->d[EP_DECOM] >= p->deregistered) {
                        char d[11];
                        date_format_uk(p->deregistered, d);
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "deregistered %s", d);
                }
        }
        return 0;
}

/* 228: nor end (or, while open, reach 31 March) after it was deregistered. */
static int r_228(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const struct refdata_provider *p = provider_of(ctx, r);
                date_t dec = r->d[EP_DEC];
                if (!p || !r9_real(p->deregistered) || dec == DATE_BAD)
                        continue;
                date_t to = dec == DATE_NONE ? ctx->end : dec;
                if (to > p->deregistered) {
                        char d[11];
                        date_format_uk(p->deregistered, d);
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "deregistered %s", d);
                }
        }
        return 0;
}

/*
 * 229: own provision (PR1) is in the placing authority, other authorities'
 * provision (PR2) is not; the setting's authority comes from its postcode.
 */
static int provision_mismatch(struct rule_ctx *ctx, const char *const *skip)
{
        const struct ssda903_table *ep = r9_episodes(ctx);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const char *pr = r->v[EP_PLACE_PROVIDER];
                if (!(r9_is(pr, "PR1") || r9_is(pr, "PR2")) ||
                    (skip && r9_in_list(r->v[EP_PLACE], skip)))
                        continue;
                const struct refdata_provider *p = provider_of(ctx, r);
                const struct refdata_postcode *pc =
                    p && p->postcode ? refdata_postcode_find(ctx->postcodes, p->postcode) : NULL;
                if (!pc || !pc->la)
                        continue;
                int own = strcasecmp(pc->la, ctx->la_code) == 0;
                if (r9_is(pr, "PR1") != own)
                        rule_report_903f(ctx, SSDA903_EPISODES, r, NULL, "%s, setting in %s", pr,
                                         pc->la);
        }
        return 0;
}
static int r_229_2023(struct rule_ctx *ctx)
{
        return provision_mismatch(ctx, NULL);
}
static int r_229_2026(struct rule_ctx *ctx)
{
        static const char *const skip[] = {"K3", "P1", "P3", "R1",  "R2",  "R5",  "T0",  "T1",
                                           "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14", NULL};
        return provision_mismatch(ctx, skip);
}

/* ---------------------------------------------------------------- the table */

#define ALL RULES_ALL_YEARS
#define EP  "Episodes"
#define EPP "Episodes|ProviderInfo"
#define PC  RULE_NEEDS_POSTCODES
#define PV  RULE_NEEDS_PROVIDERS

/* clang-format off */
const struct rule_def rules_903_placements[] = {
    {"164", RULE_ERROR, "The home-to-placement distance is not valid (0 to 999.9 miles); check "
     "the postcodes. Children who were UASC earlier but are not marked so here may be reported "
     "wrongly.",
     "PL_DISTANCE", EP, PC | RULE_NEEDS_LAST_YEAR, ALL, r_164},
    {"169", RULE_ERROR, "The placement's local authority cannot be found from the placement "
     "postcode; check a valid postcode is given.",
     "PL_LA", EP, PC, ALL, r_169},
    {"179", RULE_ERROR, "The placement location (in or out of the authority) cannot be found "
     "from the placement postcode; check a valid postcode is given.",
     "PL_LOCATION", EP, PC | RULE_NEEDS_LA, ALL, r_179},
    {"218", RULE_ERROR, "An Ofsted URN is required for this placement in England.",
     "URN", EP, PC, RULES_Y(2023), r_218_2023},
    {"218", RULE_ERROR, "An Ofsted URN is required for this placement in England (including H5 "
     "from 2023/24).",
     "URN", EP, PC, RULES_Y(2024) | RULES_Y(2025), r_218_2024},
    {"218", RULE_ERROR, "An Ofsted URN is required for this placement in England.",
     "URN", EP, PC, RULES_FROM(2026), r_218_2026},
    {"219", RULE_ERROR, "The placement type is not one that Ofsted lists for this URN.",
     "URN|PLACE", EPP, PV, ALL, r_219},
    {"221", RULE_ERROR, "The placement postcode is not the postcode Ofsted lists for this URN.",
     "PL_POST", EPP, PV, RULES_Y(2023) | RULES_FROM(2025), r_221_2023},
    {"221", RULE_ERROR, "The placement postcode is not the postcode Ofsted lists for this URN.",
     "PL_POST", EPP, PV, RULES_Y(2024), r_221_2024},
    {"224", RULE_ERROR, "The placement provider is not one that Ofsted lists for this URN.",
     "PLACE_PROVIDER", EPP, PV, ALL, r_224},
    {"227", RULE_ERROR, "The episode starts on or after the date Ofsted deregistered this URN.",
     "URN|DECOM", EPP, PV, ALL, r_227},
    {"228", RULE_ERROR, "The episode ends (or is still open at 31 March) after the date Ofsted "
     "deregistered this URN; a setting that closed during the year may be reported wrongly.",
     "URN|DEC", EPP, PV, ALL, r_228},
    {"229", RULE_ERROR, "The placement provider disagrees with where the setting is: own "
     "provision (PR1) must be in this authority, another authority's (PR2) outside it. The "
     "setting's authority comes from its postcode and may be wrong.",
     "URN|PLACE_PROVIDER", EPP, PC | PV | RULE_NEEDS_LA, RULES_UNTIL(2025), r_229_2023},
    {"229", RULE_ERROR, "The placement provider disagrees with where the setting is: own "
     "provision (PR1) must be in this authority, another authority's (PR2) outside it. The "
     "setting's authority comes from its postcode and may be wrong.",
     "URN|PLACE_PROVIDER", EPP, PC | PV | RULE_NEEDS_LA, RULES_FROM(2026), r_229_2026},
    {"230", RULE_ERROR, "An Ofsted URN is required for H5 placements in England from 28 October "
     "2023.",
     "PLACE|DEC|URN", EP, PC, RULES_Y(2024), r_230},
    {0},
};
/* clang-format on */
