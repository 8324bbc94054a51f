/*
 * episodes_b3.c — SSDA903 rules joining Episodes with the child-level
 * tables (Header: 607, 625, 628; OC2: 543, 546; OC3: 1007, 1014, 1016;
 * PrevPerm: 630, 632, 634; every other table: 1012) and the Episodes rules
 * that need reference data: postcodes (392c, 392d, 411, 420, 454, 1015) and
 * Ofsted's providers list (1008).
 *
 * Readings chosen where the definition leaves room (see also
 * util.h for blanks and invalid dates):
 *  - Continuously looked after (543, 546): the OC2 cohort of every rule and
 *    measure (r9_looked_after_all_year): an episode open at some time in the
 *    year and none that starts a period of care in the year (RNE S after
 *    1 April), ends one (a real DEC up to 31 March with REC not X1) or is a
 *    V3/V4 short break in the year.
 *  - Ages use completed years with r9_birthday (a 29 February birthday
 *    falls on 1 March in other years, as date_age counts).  DOB comes from the row's own
 *    table (OC2, OC3) and from Header when that is blank.
 *  - 1007: "still looked after on the 17th or 18th birthday" includes an
 *    episode still open (no DEC), as DfE's wording "DEC and/or REC not
 *    provided" says.
 *  - 1016: "ceased to be looked after after the birthday" is an episode
 *    ending with a REC other than X1 strictly after the birthday (17th or
 *    18th) that falls in this collection year, the same birthday as 1007.
 *    Leaving on the birthday itself means not being looked after on it (an
 *    episode ending on D is not open on D, as 1007 reads it), so that young
 *    person is a care leaver whose OC3 details are required, not forbidden.
 *  - 632: DATE_PERM parts may be ZZ (day, month) or ZZZZ (year); the latest
 *    date the text can stand for is compared with the first DECOM; an
 *    unknown year cannot be compared and is accepted.
 *  - 634: "started to be looked after from 1 April 2016" is the child's
 *    latest DECOM on or after 01/04/2016, as the message says.
 *  - 411 and 1015 compare with the submitting authority's code (--la).
 *  - 392c/392d: postcodes are compared without spaces, in upper case.
 */
#include "rules/903/util.h"

#include "returns/refdata.h"

#include <strings.h>

static void report(struct rule_ctx *ctx, int t, const struct ssda903_row *r)
{
        rule_report_903(ctx, t, r, NULL, NULL);
}

static int oc3_completed(const struct ssda903_row *o)
{
        return o->v[O3_IN_TOUCH] || o->v[O3_ACTIV] || o->v[O3_ACCOM];
}

/* ---------------------------------------------------------------- OC2 */

/* 543: 10 or over at 31 March and in the OC2 cohort: CONVICTED is required. */
static int r_543(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC2);
        for (size_t i = 0; i < oc->n; i++) {
                const struct ssda903_row *r = &oc->rows[i];
                date_t dob = r9_row_dob(ctx, r, O2_DOB);
                if (!r->v[O2_CONVICTED] && r9_real(dob) && ctx->end > r9_birthday(dob, 10) &&
                    r9_looked_after_all_year(ctx, r->child))
                        report(ctx, SSDA903_OC2, r);
        }
        return 0;
}

/* 546: 5 or over at 31 March: HEALTH_CHECK (for under-fives) must be blank. */
static int r_546(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC2);
        for (size_t i = 0; i < oc->n; i++) {
                const struct ssda903_row *r = &oc->rows[i];
                date_t dob = r9_row_dob(ctx, r, O2_DOB);
                if (r->v[O2_HEALTH_CHECK] && r9_real(dob) && ctx->end >= r9_birthday(dob, 5) &&
                    r9_looked_after_all_year(ctx, r->child))
                        report(ctx, SSDA903_OC2, r);
        }
        return 0;
}

/* ---------------------------------------------------------------- Header */

/* 607: a girl who ceased to be looked after in the year needs MOTHER (SEX 2, from 2024/25 F). */
static int r_607(struct rule_ctx *ctx)
{
        const char *female = ctx->rules_year >= 2025 ? "F" : "2";
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *h = r9_header(ctx, k);
                if (!h || h->v[HD_MOTHER] || !r9_eq(h->v[HD_SEX], female))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                int found = 0;
                for (size_t i = 0; i < n; i++) {
                        const struct ssda903_row *r = e[i];
                        date_t dec = r->d[EP_DEC];
                        if (r9_real(dec) && dec >= ctx->start && dec <= ctx->end && r->v[EP_REC] &&
                            !r9_eq(r->v[EP_REC], "X1") && !r9_in(r->v[EP_LS], "V3 V4")) {
                                report(ctx, SSDA903_EPISODES, r);
                                found = 1;
                        }
                }
                if (found)
                        report(ctx, SSDA903_HEADER, h);
        }
        return 0;
}

/* 625: the mother's child cannot be born after 31 March or after she left care. */
static int r_625(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *h = r9_header(ctx, k);
                if (!h || !r9_real(h->d[HD_MC_DOB]))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *latest = NULL;
                for (size_t i = 0; i < n; i++)
                        if (r9_real(e[i]->d[EP_DEC]) &&
                            (!latest || e[i]->d[EP_DEC] > latest->d[EP_DEC]))
                                latest = e[i];
                date_t mc = h->d[HD_MC_DOB];
                if (latest && (mc > ctx->end || mc > latest->d[EP_DEC])) {
                        report(ctx, SSDA903_HEADER, h);
                        report(ctx, SSDA903_EPISODES, latest);
                }
        }
        return 0;
}

/* 628: a care leaver with no episodes this year has no motherhood details. */
static int r_628(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *h = &hd->rows[i];
                if (!h->v[HD_MOTHER] || r9_count(ctx, SSDA903_EPISODES, h->child))
                        continue;
                size_t n;
                struct ssda903_row *const *oc = r9_rows(ctx, SSDA903_OC3, h->child, &n);
                for (size_t j = 0; j < n; j++)
                        if (oc3_completed(oc[j])) {
                                report(ctx, SSDA903_HEADER, h);
                                break;
                        }
        }
        return 0;
}

/* ---------------------------------------------------------------- PrevPerm */

/* 630: a child starting care in the year needs a complete previous-permanence record. */
static int r_630(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (!r9_eq(r->v[EP_RNE], "S") || !r9_real(r->d[EP_DECOM]) ||
                    r->d[EP_DECOM] < ctx->start)
                        continue;
                size_t n;
                struct ssda903_row *const *pp = r9_rows(ctx, SSDA903_PREV_PERM, r->child, &n);
                int bad = n == 0;
                for (size_t j = 0; j < n; j++) {
                        const struct ssda903_row *p = pp[j];
                        bad |= !p->v[PP_PREV_PERM] || (!r9_eq(p->v[PP_PREV_PERM], "Z1") &&
                                                       (!p->v[PP_LA_PERM] || !p->v[PP_DATE_PERM]));
                }
                if (bad)
                        report(ctx, SSDA903_EPISODES, r);
        }
        return 0;
}

/* One part of DATE_PERM: 1–`width` digits, or `width` Z's (unknown).  -1 if neither. */
static int perm_part(const char *s, size_t len, size_t width, int *unknown)
{
        *unknown = 0;
        if (len == width) {
                size_t z = 0;
                while (z < len && s[z] == 'Z')
                        z++;
                if (z == len) {
                        *unknown = 1;
                        return 0;
                }
        }
        if (len == 0 || len > width)
                return -1;
        int v = 0;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        return v;
}

/*
 * DATE_PERM as the latest date it can stand for: 0 and *out set (DATE_NONE
 * when the year is unknown), or -1 when the text is not a date in the
 * dd/mm/YYYY form with ZZ for unknown parts.
 */
static int perm_latest(const char *s, date_t *out)
{
        const char *a = strchr(s, '/'), *b = a ? strchr(a + 1, '/') : NULL;
        if (!a || !b || strchr(b + 1, '/'))
                return -1;
        int dz, mz, yz;
        int d = perm_part(s, (size_t)(a - s), 2, &dz);
        int m = perm_part(a + 1, (size_t)(b - a - 1), 2, &mz);
        int y = perm_part(b + 1, strlen(b + 1), 4, &yz);
        if (d < 0 || m < 0 || y < 0 || (!yz && strlen(b + 1) != 4))
                return -1;
        if ((!mz && (m < 1 || m > 12)) || (!dz && (d < 1 || d > 31)))
                return -1;
        if (!dz && !mz && !yz && !date_ymd_valid(y, m, d))
                return -1;
        if (!dz && !mz && yz && d > date_days_in_month(2000, m)) /* 2000: a leap year */
                return -1;
        if (yz) {
                *out = DATE_NONE;
                return 0;
        }
        if (mz)
                m = 12;
        if (dz)
                d = date_days_in_month(y, m);
        if (!date_ymd_valid(y, m, d))
                return -1;
        *out = date_from_ymd(y, m, d);
        return 0;
}

/* 632: DATE_PERM must be a (possibly partly unknown) date before the first episode. */
static int r_632(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npp;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *first = r9_first_decom(e, n);
                if (!first)
                        continue;
                struct ssda903_row *const *pp = r9_rows(ctx, SSDA903_PREV_PERM, k, &npp);
                int bad = 0;
                for (size_t j = 0; j < npp; j++) {
                        const char *s = pp[j]->v[PP_DATE_PERM];
                        date_t latest;
                        if (!s)
                                continue;
                        if (perm_latest(s, &latest) < 0)
                                rule_report_903(ctx, SSDA903_PREV_PERM, pp[j], NULL,
                                                "DATE_PERM is not dd/mm/YYYY (ZZ for unknown "
                                                "parts)");
                        else if (latest != DATE_NONE && latest >= first->d[EP_DECOM])
                                rule_report_903(ctx, SSDA903_PREV_PERM, pp[j], NULL,
                                                "DATE_PERM is not before the first episode");
                        else
                                continue;
                        bad = 1;
                }
                if (bad)
                        report(ctx, SSDA903_EPISODES, first);
        }
        return 0;
}

/* 634: previous permanence is recorded only for care starting on or after 1 April 2016. */
static int r_634(struct rule_ctx *ctx)
{
        date_t from = date_from_ymd(2016, 4, 1);
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, npp;
                struct ssda903_row *const *pp = r9_rows(ctx, SSDA903_PREV_PERM, k, &npp);
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
                const struct ssda903_row *last = r9_last_decom(e, n);
                if (!last || last->d[EP_DECOM] >= from)
                        continue;
                int any = 0;
                for (size_t j = 0; j < npp; j++)
                        if (pp[j]->v[PP_PREV_PERM] || pp[j]->v[PP_LA_PERM] ||
                            pp[j]->v[PP_DATE_PERM]) {
                                report(ctx, SSDA903_PREV_PERM, pp[j]);
                                any = 1;
                        }
                for (size_t i = 0; any && i < n; i++)
                        report(ctx, SSDA903_EPISODES, e[i]);
        }
        return 0;
}

/* ---------------------------------------------------------------- OC3 and the rest */

/* 17 or 18 at 31 March: *bday set to the latest (17th or 18th) birthday. */
static int aged_17_18(const struct rule_ctx *ctx, date_t dob, date_t *bday)
{
        if (!r9_real(dob))
                return 0;
        int age = date_age(dob, ctx->end);
        if (age != 17 && age != 18)
                return 0;
        *bday = r9_birthday(dob, age);
        return 1;
}

/* 1007: no care-leaver details for a 17/18-year-old looked after on that birthday. */
static int r_1007(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                const struct ssda903_row *o = &oc->rows[j];
                date_t bday;
                if (!oc3_completed(o) || !aged_17_18(ctx, r9_row_dob(ctx, o, O3_DOB), &bday))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, o->child, &n);
                for (size_t i = 0; i < n; i++) {
                        date_t decom = e[i]->d[EP_DECOM], dec = e[i]->d[EP_DEC];
                        if (r9_real(decom) && decom <= bday && (!e[i]->v[EP_DEC] || dec > bday)) {
                                report(ctx, SSDA903_OC3, o);
                                break;
                        }
                }
        }
        return 0;
}

/* 1016: no care-leaver details for a 17/18-year-old who left care after this year's birthday. */
static int r_1016(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                const struct ssda903_row *o = &oc->rows[j];
                date_t bday;
                if (!oc3_completed(o) || !aged_17_18(ctx, r9_row_dob(ctx, o, O3_DOB), &bday))
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, o->child, &n);
                for (size_t i = 0; i < n; i++)
                        if (e[i]->v[EP_REC] && !r9_eq(e[i]->v[EP_REC], "X1") &&
                            r9_real(e[i]->d[EP_DEC]) && e[i]->d[EP_DEC] > bday) {
                                report(ctx, SSDA903_OC3, o);
                                break;
                        }
        }
        return 0;
}

/* 1012: a care leaver with no episodes this year appears only in Header and OC3. */
static int r_1012(struct rule_ctx *ctx)
{
        static const int others[] = {SSDA903_PLACED_ADOPTION, SSDA903_MISSING,
                                     SSDA903_REVIEWS,         SSDA903_AD1,
                                     SSDA903_PREV_PERM,       SSDA903_OC2};
        for (size_t t = 0; t < sizeof others / sizeof *others; t++) {
                const struct ssda903_table *x = r9_tab(ctx, others[t]);
                for (size_t i = 0; i < x->n; i++)
                        if (r9_count(ctx, SSDA903_EPISODES, x->rows[i].child) == 0)
                                report(ctx, others[t], &x->rows[i]);
        }
        return 0;
}

/* 1014: a care leaver not looked after in the year has no UASC details. */
static int r_1014(struct rule_ctx *ctx)
{
        const struct ssda903_table *ua = r9_tab(ctx, SSDA903_UASC);
        for (size_t j = 0; j < ua->n; j++) {
                const struct ssda903_row *u = &ua->rows[j];
                size_t n, noc;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, u->child, &n);
                if (n == 0)
                        continue;
                int in_year = 0;
                for (size_t i = 0; i < n && !in_year; i++) {
                        date_t decom = e[i]->d[EP_DECOM], dec = e[i]->d[EP_DEC];
                        in_year = r9_real(decom) && decom <= ctx->end &&
                                  (!r9_real(dec) || dec >= ctx->start);
                }
                if (in_year)
                        continue;
                struct ssda903_row *const *oc = r9_rows(ctx, SSDA903_OC3, u->child, &noc);
                int any = 0;
                for (size_t i = 0; i < noc; i++)
                        if (oc3_completed(oc[i])) {
                                report(ctx, SSDA903_OC3, oc[i]);
                                any = 1;
                        }
                if (any)
                        report(ctx, SSDA903_UASC, u);
        }
        return 0;
}

/* ---------------------------------------------------------------- reference data */

/* Report every Episodes row for which `bad` holds. */
static void each_episode(struct rule_ctx *ctx,
                         int (*bad)(const struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++)
                if (bad(ctx, &ep->rows[i]))
                        report(ctx, SSDA903_EPISODES, &ep->rows[i]);
}

/* 392c: a postcode not in the directory; a child's episodes repeat theirs, so each row's
 * postcodes are looked up only when they differ from the last row's. */
static int r_392c(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        const char *last[2] = {NULL, NULL};
        int known[2] = {0, 0};
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                const char *pc[2] = {r->v[EP_HOME_POST], r->v[EP_PL_POST]};
                int bad = 0;
                for (int k = 0; k < 2 && !bad; k++) {
                        if (!pc[k])
                                continue;
                        if (!last[k] || strcmp(last[k], pc[k]) != 0) {
                                last[k] = pc[k];
                                known[k] = refdata_postcode_find(ctx->postcodes, pc[k]) != NULL;
                        }
                        bad = !known[k];
                }
                if (bad)
                        report(ctx, SSDA903_EPISODES, r);
        }
        return 0;
}

static int b_392d(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        char a[32], b[32];
        if (r9_eq(r->v[EP_PLACE], "P1") || !r->v[EP_HOME_POST] || !r->v[EP_PL_POST])
                return 0;
        size_t na = refdata_postcode_norm(r->v[EP_HOME_POST], a, sizeof a);
        size_t nb = refdata_postcode_norm(r->v[EP_PL_POST], b, sizeof b);
        return na && na == nb && memcmp(a, b, na) == 0;
}

static int la_is(const struct rule_ctx *ctx, const char *la)
{
        return la && ctx->la_code && strcasecmp(la, ctx->la_code) == 0;
}

static int b_411(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_eq(r->v[EP_PL_LOCATION], "IN") && !la_is(ctx, r->v[EP_PL_LA]);
}

static int b_420(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in(r->v[EP_LS], "V3 V4") && r->v[EP_PL_LA];
}

/* 999.9 is DfE's "not known" distance. */
static int b_454(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        double miles;
        return r9_miles(r->v[EP_PL_DISTANCE], &miles) && miles > 350.0 &&
               (miles < 999.85 || miles > 999.95);
}

static int b_1008(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        const char *urn = r->v[EP_URN];
        return urn && strcmp(urn, "XXXXXXX") != 0 && !rule_ep_provider(ctx, r);
}

/* 1015: own provision (PR1) outside fostering and adoption is expected inside the LA. */
static int b_1015(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_eq(r->v[EP_PLACE_PROVIDER], "PR1") && r->v[EP_LS] &&
               !r9_in(r->v[EP_LS], "V3 V4") && r->v[EP_PLACE] &&
               !r9_in(r->v[EP_PLACE], "A3 A4 A5 A6 U1 U2 U3 U4 U5 U6") &&
               !la_is(ctx, r->v[EP_PL_LA]);
}

#define EPISODE_RULE(code)                                                                         \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                each_episode(ctx, b_##code);                                                       \
                return 0;                                                                          \
        }
EPISODE_RULE(392d)
EPISODE_RULE(411)
EPISODE_RULE(420)
EPISODE_RULE(454)
EPISODE_RULE(1008)
EPISODE_RULE(1015)

#define ALL RULES_ALL_YEARS
#define PC  RULE_NEEDS_POSTCODES

/* clang-format off */
const struct rule_def rules_903_episodes_b3[] = {
    {"392c", RULE_ERROR, "A home or placement postcode is not in the postcode directory.",
     "HOME_POST|PL_POST", "Episodes", PC, ALL, r_392c},
    {"392d", RULE_ERROR, "The home and placement postcodes are the same, but the placement is not "
     "with parents (P1).",
     "HOME_POST|PL_POST|PLACE", "Episodes", PC, ALL, r_392d},
    {"411", RULE_ERROR, "The placement location says inside the authority (IN) but the placement "
     "postcode lies in another authority.",
     "PL_LOCATION", "Episodes", PC | RULE_NEEDS_LA, ALL, r_411},
    {"420", RULE_ERROR, "A placement authority is derived (placement postcode given) for an "
     "episode under legal status V3 or V4.",
     "PL_LA", "Episodes", PC, ALL, r_420},
    {"454", RULE_ERROR, "The placement is more than 350 miles from home; check the postcodes "
     "(former UASC not identified in the data may be reported wrongly).",
     "PL_DISTANCE", "Episodes", PC, RULES_FROM(2026), r_454},
    {"543", RULE_ERROR, "A child aged 10 or over at 31 March, looked after for the whole year, has "
     "no conviction information (CONVICTED).",
     "DOB|CONVICTED", "Episodes|OC2", 0, ALL, r_543},
    {"546", RULE_ERROR, "HEALTH_CHECK is completed for a child aged 5 or over at 31 March; it is "
     "only for under-fives.",
     "DOB|HEALTH_CHECK", "Episodes|OC2", 0, ALL, r_546},
    {"607", RULE_ERROR, "A girl ceased to be looked after in the year but MOTHER is blank.",
     "DEC|REC|MOTHER|LS|SEX", "Episodes|Header", 0, RULES_UNTIL(2024), r_607},
    {"607", RULE_ERROR, "A girl ceased to be looked after in the year but MOTHER is blank.",
     "DEC|REC|MOTHER|LS|SEX", "Episodes|Header", 0, RULES_FROM(2025), r_607},
    {"625", RULE_ERROR, "The mother's child's date of birth (MC_DOB) is after 31 March or after "
     "she ceased to be looked after.",
     "MC_DOB|DEC", "Episodes|Header", 0, ALL, r_625},
    {"628", RULE_ERROR, "MOTHER is completed for a care leaver who was not looked after in the "
     "year.",
     "MOTHER", "Episodes|Header|OC3", 0, ALL, r_628},
    {"630", RULE_ERROR, "The child started to be looked after in the year but the previous "
     "permanence option is missing or incomplete.",
     "RNE", "Episodes|PrevPerm", 0, ALL, r_630},
    {"632", RULE_ERROR, "DATE_PERM is not a valid date before the first episode (periods of care "
     "begun in earlier years cannot be checked).",
     "DATE_PERM|DECOM", "Episodes|PrevPerm", 0, ALL, r_632},
    {"634", RULE_ERROR, "Previous permanence is recorded but the child has not started to be "
     "looked after since 1 April 2016.",
     "LA_PERM|PREV_PERM|DATE_PERM|DECOM", "Episodes|PrevPerm", 0, ALL, r_634},
    {"1007", RULE_ERROR, "Care leaver details are completed for a 17- or 18-year-old who was "
     "looked after on that birthday.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3", 0, ALL, r_1007},
    {"1008", RULE_ERROR, "The URN is not in Ofsted's providers list.",
     "URN", "Episodes|ProviderInfo", RULE_NEEDS_PROVIDERS, ALL, r_1008},
    {"1012", RULE_ERROR, "The child has no episodes this year, so only Header and OC3 should hold "
     "data for it.",
     "CHILD", "Episodes", 0, ALL, r_1012},
    {"1014", RULE_ERROR, "UASC details are completed for a care leaver not looked after in the "
     "year.",
     "ACTIV|ACCOM|IN_TOUCH|DUC", "Episodes|UASC|OC3", 0, ALL, r_1014},
    {"1015", RULE_ERROR, "The provider is the authority's own (PR1) but the placement is outside "
     "the authority.",
     "PL_LA", "Episodes", PC | RULE_NEEDS_LA, ALL, r_1015},
    {"1016", RULE_ERROR, "Care leaver details are completed for a 17- or 18-year-old who ceased to "
     "be looked after after this year's (17th or 18th) birthday.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3", 0, RULES_FROM(2024), r_1016},
    {0},
};
/* clang-format on */
