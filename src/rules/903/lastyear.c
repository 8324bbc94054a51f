/*
 * lastyear.c — SSDA903 Episodes rules that compare this year's return with
 * last year's tables (`--previous`): the open episode at the end of last
 * year against the first episode this year (452, 453, 502, 503A–503J, 562),
 * care leavers' history (1000–1002, 1010, 1011), and the postcode checks
 * that need to know whether a child was ever UASC (392a, 392b, 406).
 *
 * "Last year's open episode" is the child's Episodes_last row with the
 * latest real DECOM when its DEC is blank; "the first episode this year" is
 * the child's Episodes row with the earliest real DECOM.
 *
 * Readings chosen where the definition leaves room (see also
 * util.h):
 *  - A child is (formerly) UASC when its Header or Header_last row says
 *    UASC = 1 or it has a UASC / UASC_last row with any detail (392a, 392b,
 *    406); children not in those tables count as never UASC.
 *  - 503D tolerates the recoding forced by code-list changes: H5 → K3 in the
 *    2023/24 and 2024/25 sets, Z1 → Z11–Z14 from the 2025/26 set.
 *  - 503G and 453 compare distances numerically and differ at 0.2 miles or
 *    more; for 503G a distance present on one side only is also a change.
 *  - 502 and 562 compare real dates only; an invalid date on either side is
 *    left to the date rules.
 *  - 1001 and 1002 report only what the loaded years prove.  Care not in
 *    them ended before last year began and before the earliest episode
 *    seen, so time in care after the 14th (16th) birthday is known in full
 *    when that birthday is no earlier than both.  1002 judges a young person
 *    with no episodes at all only when the 16th birthday falls on or after
 *    the start of last year; 1001 reports an adoption (the latest episode
 *    ending E11/E12) always, too little time after 16 or after 14 only when
 *    that time is known in full.  1001 leaves alone young people without a
 *    real DOB, without episodes (1002's case) or aged 20 or over.  Episodes
 *    present in both years (same DECOM) count once, the copy with a DEC
 *    preferred; the latest episode, if open, runs to 31 March.
 */
#include "rules/903/util.h"

static void report(struct rule_ctx *ctx, int t, const struct ssda903_row *r)
{
        rule_report_903(ctx, t, r, NULL, NULL);
}

/* ---------------------------------------------------------------- UASC and postcodes */

static int uasc_row_has_detail(const struct ssda903_row *u)
{
        return u->v[UA_SEX] || u->v[UA_DOB] || u->v[UA_DUC];
}

static int ever_uasc(const struct rule_ctx *ctx, uint32_t k)
{
        static const int hd[] = {SSDA903_HEADER, SSDA903_HEADER_LAST};
        static const int ua[] = {SSDA903_UASC, SSDA903_UASC_LAST};
        for (int t = 0; t < 2; t++) {
                size_t n;
                struct ssda903_row *const *r = r9_rows(ctx, hd[t], k, &n);
                for (size_t i = 0; i < n; i++)
                        if (r9_eq(r[i]->v[HD_UASC], "1"))
                                return 1;
                r = r9_rows(ctx, ua[t], k, &n);
                for (size_t i = 0; i < n; i++)
                        if (uasc_row_has_detail(r[i]))
                                return 1;
        }
        return 0;
}

/* 392a/392b: a looked-after child never UASC and not on short breaks needs a distance/postcodes. */
static void needs_location(struct rule_ctx *ctx, int postcodes)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                int missing =
                    postcodes ? (!r->v[EP_HOME_POST] || !r->v[EP_PL_POST]) : !r->v[EP_PL_DISTANCE];
                if (missing && !r9_in(r->v[EP_LS], "V3 V4") && !ever_uasc(ctx, r->child))
                        report(ctx, SSDA903_EPISODES, r);
        }
}

static int r_392a(struct rule_ctx *ctx)
{
        needs_location(ctx, 0);
        return 0;
}

static int r_392b(struct rule_ctx *ctx)
{
        needs_location(ctx, 1);
        return 0;
}

/* 406: no distance for a child who is or was UASC. */
static int r_406(struct rule_ctx *ctx)
{
        const struct ssda903_table *ep = r9_tab(ctx, SSDA903_EPISODES);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                if (r->v[EP_PL_DISTANCE] && ever_uasc(ctx, r->child))
                        report(ctx, SSDA903_EPISODES, r);
        }
        return 0;
}

/* ---------------------------------------------------------------- open episode at year end */

/* The child's latest episode last year, if it was still open. */
static const struct ssda903_row *open_last_year(const struct rule_ctx *ctx, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES_LAST, k, &n);
        const struct ssda903_row *last = r9_last_decom(e, n);
        return last && !last->v[EP_DEC] ? last : NULL;
}

/* The child's first episode this year. */
static const struct ssda903_row *first_this_year(const struct rule_ctx *ctx, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
        return r9_first_decom(e, n);
}

/* Fields compared by 503x; each is a function of (last year's row, this year's row). */
typedef int (*differs_fn)(const struct rule_ctx *, const struct ssda903_row *,
                          const struct ssda903_row *);

/* Run one 503x / 452 / 453 comparison over every child. */
static void compare_with_last(struct rule_ctx *ctx, differs_fn differs)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *last = open_last_year(ctx, k);
                const struct ssda903_row *first = last ? first_this_year(ctx, k) : NULL;
                if (first && differs(ctx, last, first))
                        report(ctx, SSDA903_EPISODES, first);
        }
}

#define FIELD_DIFFERS(name, col)                                                                   \
        static int d_##name(const struct rule_ctx *ctx, const struct ssda903_row *l,               \
                            const struct ssda903_row *r)                                           \
        {                                                                                          \
                (void)ctx;                                                                         \
                return !r9_same(l->v[col], r->v[col]);                                             \
        }                                                                                          \
        static int r_##name(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                compare_with_last(ctx, d_##name);                                                  \
                return 0;                                                                          \
        }
FIELD_DIFFERS(503A, EP_RNE)
FIELD_DIFFERS(503B, EP_LS)
FIELD_DIFFERS(503C, EP_CIN)
FIELD_DIFFERS(503E, EP_PLACE_PROVIDER)
FIELD_DIFFERS(503F, EP_URN)
FIELD_DIFFERS(503H, EP_PL_LA)
FIELD_DIFFERS(503J, EP_PL_LOCATION)

/* 503D: PLACE, allowing for codes that ceased to exist (H5 → K3, Z1 → Z11–Z14). */
static int d_503D(const struct rule_ctx *ctx, const struct ssda903_row *l,
                  const struct ssda903_row *r)
{
        const char *was = l->v[EP_PLACE], *now = r->v[EP_PLACE];
        if (r9_same(was, now))
                return 0;
        if ((ctx->rules_year == 2024 || ctx->rules_year == 2025) && r9_eq(was, "H5") &&
            r9_eq(now, "K3"))
                return 0;
        if (ctx->rules_year >= 2026 && r9_eq(was, "Z1") && r9_in(now, "Z11 Z12 Z13 Z14"))
                return 0;
        return 1;
}

static int r_503D(struct rule_ctx *ctx)
{
        compare_with_last(ctx, d_503D);
        return 0;
}

static int d_503G(const struct rule_ctx *ctx, const struct ssda903_row *l,
                  const struct ssda903_row *r)
{
        (void)ctx;
        double a = 0, b = 0;
        int ha = r9_miles(l->v[EP_PL_DISTANCE], &a), hb = r9_miles(r->v[EP_PL_DISTANCE], &b);
        if (ha != hb)
                return 1;
        return ha && (a - b >= 0.2 - 1e-9 || b - a >= 0.2 - 1e-9);
}

static int r_503G(struct rule_ctx *ctx)
{
        compare_with_last(ctx, d_503G);
        return 0;
}

/* 452/453 compare only a continuing episode (the same RNE). */
static int d_452(const struct rule_ctx *ctx, const struct ssda903_row *l,
                 const struct ssda903_row *r)
{
        (void)ctx;
        return r9_eq(l->v[EP_RNE], r->v[EP_RNE]) && !r9_same(l->v[EP_PL_LA], r->v[EP_PL_LA]);
}

static int r_452(struct rule_ctx *ctx)
{
        compare_with_last(ctx, d_452);
        return 0;
}

static int d_453(const struct rule_ctx *ctx, const struct ssda903_row *l,
                 const struct ssda903_row *r)
{
        (void)ctx;
        double a = 0, b = 0;
        return r9_eq(l->v[EP_RNE], r->v[EP_RNE]) && r9_miles(l->v[EP_PL_DISTANCE], &a) &&
               r9_miles(r->v[EP_PL_DISTANCE], &b) && (a - b >= 0.2 - 1e-9 || b - a >= 0.2 - 1e-9);
}

static int r_453(struct rule_ctx *ctx)
{
        compare_with_last(ctx, d_453);
        return 0;
}

/* 502: last year ended with an open episode; this year's first episode starts on its DECOM. */
static int r_502(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *first = first_this_year(ctx, k);
                if (!first)
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES_LAST, k, &n);
                for (size_t i = 0; i < n; i++)
                        if (!e[i]->v[EP_DEC] && r9_real(e[i]->d[EP_DECOM]) &&
                            e[i]->d[EP_DECOM] != first->d[EP_DECOM]) {
                                report(ctx, SSDA903_EPISODES, first);
                                break;
                        }
        }
        return 0;
}

/* 562: an episode begun before this year must be last year's latest episode. */
static int r_562(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                const struct ssda903_row *first = first_this_year(ctx, k);
                if (!first || first->d[EP_DECOM] >= ctx->start)
                        continue;
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES_LAST, k, &n);
                const struct ssda903_row *last = r9_last_decom(e, n);
                if (!last || last->d[EP_DECOM] != first->d[EP_DECOM])
                        report(ctx, SSDA903_EPISODES, first);
        }
        return 0;
}

/* ---------------------------------------------------------------- care leavers (OC3) */

static int oc3_completed(const struct ssda903_row *o)
{
        return o->v[O3_IN_TOUCH] || o->v[O3_ACTIV] || o->v[O3_ACCOM];
}

/* 1000: a child who died in care (REC E2, this year or last) has no care-leaver details. */
static int r_1000(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        static const int eps[] = {SSDA903_EPISODES, SSDA903_EPISODES_LAST};
        for (size_t j = 0; j < oc->n; j++) {
                int died = 0;
                for (int t = 0; t < 2 && !died; t++) {
                        size_t n;
                        struct ssda903_row *const *e = r9_rows(ctx, eps[t], oc->rows[j].child, &n);
                        for (size_t i = 0; i < n && !died; i++)
                                died = r9_eq(e[i]->v[EP_REC], "E2");
                }
                if (died)
                        report(ctx, SSDA903_OC3, &oc->rows[j]);
        }
        return 0;
}

/* The first day of last year's collection: care before it is not in the loaded tables. */
static date_t seen_from(const struct rule_ctx *ctx)
{
        return date_add_months(ctx->start, -12);
}

/* 1002: a care leaver must have episodes; judged when all care after 16 would be seen. */
static int r_1002(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                const struct ssda903_row *o = &oc->rows[j];
                date_t dob = r9_real(o->d[O3_DOB]) ? o->d[O3_DOB] : r9_dob(ctx, o->child);
                if (!r9_real(dob) || r9_birthday(dob, 16) < seen_from(ctx))
                        continue;
                if (!r9_count(ctx, SSDA903_EPISODES, o->child) &&
                    !r9_count(ctx, SSDA903_EPISODES_LAST, o->child))
                        report(ctx, SSDA903_OC3, o);
        }
        return 0;
}

/* 1010: open at the end of last year, no episodes this year, yet care-leaver details. */
static int r_1010(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                uint32_t k = oc->rows[j].child;
                if (!r9_count(ctx, SSDA903_EPISODES, k) && open_last_year(ctx, k))
                        report(ctx, SSDA903_OC3, &oc->rows[j]);
        }
        return 0;
}

/* 1011: the final episode ended with care transferred to another LA (E3). */
static int r_1011(struct rule_ctx *ctx)
{
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                const struct ssda903_row *o = &oc->rows[j];
                size_t n;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, o->child, &n);
                const struct ssda903_row *last = r9_last_decom(e, n);
                if (oc3_completed(o) && last && r9_eq(last->v[EP_REC], "E3"))
                        report(ctx, SSDA903_OC3, o);
        }
        return 0;
}

/* 1001 -------------------------------------------------------------------------------------- */

/* Same episode reported in both years (or twice): same DECOM, real or not. */
static int same_start(const struct ssda903_row *a, const struct ssda903_row *b)
{
        return a->d[EP_DECOM] == b->d[EP_DECOM] ||
               (!r9_real(a->d[EP_DECOM]) && !r9_real(b->d[EP_DECOM]));
}

/*
 * Whether episode x (number ix in the child's combined list: this year's
 * rows, then last year's) is dropped as a duplicate: another row with the
 * same start is kept instead when it has a real DEC and x has not, or when
 * both are alike and it comes first.
 */
static int duplicate(struct ssda903_row *const *all[2], const size_t n[2], size_t ix)
{
        const struct ssda903_row *x = ix < n[0] ? all[0][ix] : all[1][ix - n[0]];
        int xdec = r9_real(x->d[EP_DEC]);
        for (size_t iy = 0; iy < n[0] + n[1]; iy++) {
                const struct ssda903_row *y = iy < n[0] ? all[0][iy] : all[1][iy - n[0]];
                if (iy == ix || !same_start(x, y))
                        continue;
                int ydec = r9_real(y->d[EP_DEC]);
                if ((ydec && !xdec) || (ydec == xdec && iy < ix))
                        return 1;
        }
        return 0;
}

/* Whether the young person in OC3 row o was a relevant or former relevant child. */
static int relevant_care_leaver(const struct rule_ctx *ctx, const struct ssda903_row *o, date_t dob)
{
        struct ssda903_row *const *all[2];
        size_t n[2];
        all[0] = r9_rows(ctx, SSDA903_EPISODES, o->child, &n[0]);
        all[1] = r9_rows(ctx, SSDA903_EPISODES_LAST, o->child, &n[1]);
        size_t total = n[0] + n[1];

        /* The latest kept episode: it runs to 31 March if open, and adoption ends the story. */
        const struct ssda903_row *latest = NULL;
        for (size_t ix = 0; ix < total; ix++) {
                const struct ssda903_row *x = ix < n[0] ? all[0][ix] : all[1][ix - n[0]];
                if (r9_real(x->d[EP_DECOM]) && !duplicate(all, n, ix) &&
                    (!latest || x->d[EP_DECOM] > latest->d[EP_DECOM]))
                        latest = x;
        }
        if (latest && r9_in(latest->v[EP_REC], "E11 E12"))
                return 0;

        /* Care not seen ended before `seen`: last year's start or the earliest episode. */
        date_t seen = seen_from(ctx);
        for (size_t ix = 0; ix < total; ix++) {
                const struct ssda903_row *x = ix < n[0] ? all[0][ix] : all[1][ix - n[0]];
                if (r9_real(x->d[EP_DECOM]) && x->d[EP_DECOM] < seen)
                        seen = x->d[EP_DECOM];
        }
        date_t b14 = r9_birthday(dob, 14), b16 = r9_birthday(dob, 16);
        long days14 = 0, days16 = 0;
        for (size_t ix = 0; ix < total; ix++) {
                const struct ssda903_row *x = ix < n[0] ? all[0][ix] : all[1][ix - n[0]];
                date_t decom = x->d[EP_DECOM], dec = x->d[EP_DEC];
                if (!r9_real(decom) || r9_in(x->v[EP_LS], "V3 V4") || duplicate(all, n, ix))
                        continue;
                if (!r9_real(dec)) {
                        if (x != latest)
                                continue;
                        dec = ctx->end;
                }
                date_t from14 = decom > b14 ? decom : b14, from16 = decom > b16 ? decom : b16;
                days14 += dec > from14 ? dec - from14 : 0;
                days16 += dec > from16 ? dec - from16 : 0;
        }
        return !((seen <= b16 && days16 < 1) || (seen <= b14 && days14 < 91));
}

/* 1001: care-leaver details only for relevant / former relevant children. */
static int r_1001(struct rule_ctx *ctx)
{
        static const int needed[] = {SSDA903_EPISODES, SSDA903_OC3, SSDA903_HEADER,
                                     SSDA903_EPISODES_LAST};
        for (size_t t = 0; t < sizeof needed / sizeof *needed; t++)
                if (r9_tab(ctx, needed[t])->n == 0)
                        return 0;
        const struct ssda903_table *oc = r9_tab(ctx, SSDA903_OC3);
        for (size_t j = 0; j < oc->n; j++) {
                const struct ssda903_row *o = &oc->rows[j];
                date_t dob = r9_dob(ctx, o->child);
                if (!r9_real(dob) || r9_birthday(dob, 20) <= ctx->end)
                        continue;
                if (!r9_count(ctx, SSDA903_EPISODES, o->child) &&
                    !r9_count(ctx, SSDA903_EPISODES_LAST, o->child))
                        continue;
                if (!relevant_care_leaver(ctx, o, dob))
                        report(ctx, SSDA903_OC3, o);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS
#define LY  RULE_NEEDS_LAST_YEAR
#define PC  RULE_NEEDS_POSTCODES
#define EE  "Episodes|Episodes_last"

/* clang-format off */
const struct rule_def rules_903_lastyear[] = {
    {"392a", RULE_ERROR, "No placement distance could be derived (postcodes missing or unknown) "
     "for a looked-after child who was never UASC; former UASC not in the loaded years may be "
     "reported wrongly.",
     "PL_DISTANCE", "Episodes", PC | LY, ALL, r_392a},
    {"392b", RULE_ERROR, "A home or placement postcode is blank for a looked-after child who was "
     "never UASC; former UASC not in the loaded years may be reported wrongly.",
     "HOME_POST|PL_POST", "Episodes", PC | LY, ALL, r_392b},
    {"406", RULE_ERROR, "The child is or was UASC, so no placement distance should be derived "
     "(leave the postcodes out); former UASC are known only from the loaded years.",
     "PL_DISTANCE", "Episodes", PC | LY, ALL, r_406},
    {"452", RULE_ERROR, "The placement authority of the first episode differs from last year's "
     "open episode.",
     "PL_LA", EE, PC | LY, ALL, r_452},
    {"453", RULE_ERROR, "The placement distance of the first episode differs from last year's "
     "open episode.",
     "PL_DISTANCE", EE, PC | LY, ALL, r_453},
    {"502", RULE_ERROR, "Last year ended with an open episode, but this year's first episode "
     "does not start on the same date.",
     "DECOM", EE, LY, ALL, r_502},
    {"503A", RULE_ERROR, "RNE of the first episode differs from last year's open episode.",
     "RNE", EE, LY, ALL, r_503A},
    {"503B", RULE_ERROR, "The legal status of the first episode differs from last year's open "
     "episode.",
     "LS", EE, LY, ALL, r_503B},
    {"503C", RULE_ERROR, "The category of need of the first episode differs from last year's "
     "open episode.",
     "CIN", EE, LY, ALL, r_503C},
    {"503D", RULE_ERROR, "The placement type of the first episode differs from last year's open "
     "episode.",
     "PLACE", EE, LY, RULES_Y(2023), r_503D},
    {"503D", RULE_ERROR, "The placement type of the first episode differs from last year's open "
     "episode (H5 may become K3).",
     "PLACE", EE, LY, RULES_Y(2024), r_503D},
    {"503D", RULE_ERROR, "The placement type of the first episode differs from last year's open "
     "episode (H5 may become K3).",
     "PLACE", "Episodes", LY, RULES_Y(2025), r_503D},
    {"503D", RULE_ERROR, "The placement type of the first episode differs from last year's open "
     "episode (Z1 may become Z11–Z14).",
     "PLACE", "Episodes", LY, RULES_FROM(2026), r_503D},
    {"503E", RULE_ERROR, "The placement provider of the first episode differs from last year's "
     "open episode.",
     "PLACE_PROVIDER", EE, LY, ALL, r_503E},
    {"503F", RULE_ERROR, "The URN of the first episode differs from last year's open episode.",
     "URN", EE, LY, ALL, r_503F},
    {"503G", RULE_ERROR, "The placement distance of the first episode differs from last year's "
     "open episode.",
     "PL_DISTANCE", EE, PC | LY, ALL, r_503G},
    {"503H", RULE_ERROR, "The placement authority of the first episode differs from last year's "
     "open episode.",
     "PL_LA", EE, PC | LY, ALL, r_503H},
    {"503J", RULE_ERROR, "The placement location (IN/OUT) of the first episode differs from last "
     "year's open episode.",
     "PL_LOCATION", EE, PC | LY, ALL, r_503J},
    {"562", RULE_ERROR, "The first episode began before this year but is not last year's latest "
     "episode.",
     "DECOM", EE, LY, ALL, r_562},
    {"1000", RULE_ERROR, "The child died in care (REC E2), so there should be no care-leaver "
     "details; only the loaded years are checked.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3", LY, ALL, r_1000},
    {"1001", RULE_ERROR, "The episodes show the young person is not a relevant or former "
     "relevant child (adopted, or not 13 weeks looked after from 14 with some time after 16), so "
     "there should be no care-leaver details.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3|Header|Episodes_last", LY, ALL, r_1001},
    {"1002", RULE_ERROR, "The young person turned 16 within the loaded years but has no episodes "
     "this year or last, so there should be no care-leaver details.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3|Episodes_last", LY, ALL, r_1002},
    {"1010", RULE_ERROR, "Last year ended with an open episode but there are no episodes this "
     "year, and care-leaver details are completed.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|Episodes_last|OC3", LY, ALL, r_1010},
    {"1011", RULE_ERROR, "The final episode ended with care transferred to another authority "
     "(E3), so there should be no care-leaver details.",
     "IN_TOUCH|ACTIV|ACCOM", "Episodes|OC3", LY, ALL, r_1011},
    {0},
};
/* clang-format on */
