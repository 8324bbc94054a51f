/*
 * uasc.c — SSDA903 rules on unaccompanied asylum-seeking children: the date
 * UASC status ceased (DUC; 104, 303, 304) and the status against last year's
 * return (205A–205D).
 *
 * "UASC this year" is Header's derived flag: 1 when the child has a row in
 * the UASC table (CSV), or as the XML's HEADER/UASC states it (ssda903.h).
 * Last year's flag comes from Header_last the same way, and DUC from the
 * child's row in UASC / UASC_last.
 *
 * Readings chosen where the definition leaves room:
 *  - 104: a DUC before the collection year began is reported with the
 *    invalid ones: the UASC table lists children who were UASC at some time
 *    in the year, so their status cannot have ceased before it.
 *  - 205A–205D look at every child in this year's Header who is also in last
 *    year's (205C also at children new this year) and report the Header row:
 *      205A  UASC last year, not this year though still looked after (an
 *            episode this year): last year's DUC must fall within last
 *            year, and no DUC may be given this year.  A young person now
 *            only a care leaver (OC3) has no UASC status to return;
 *      205B  UASC both years: last year's DUC, if given, must not be before
 *            this year began, and a DUC given in both years must agree;
 *      205C  UASC in neither year, yet a DUC is given in either;
 *      205D  UASC this year, not last year.
 *    Data to Insight reads 205B as also requiring last year's DUC to be the
 *    18th birthday, which would report every young UASC child whose status
 *    simply continues; we do not.
 *  - 304: the date of birth is the UASC row's own, or Header's when that is
 *    not a real date.
 */
#include "rules/903/util.h"

#include <string.h>

/* ---------------------------------------------------------------- DUC */

static int r_104(struct rule_ctx *ctx)
{
        const struct ssda903_table *ua = r9_tab(ctx, SSDA903_UASC);
        for (size_t i = 0; i < ua->n; i++) {
                const struct ssda903_row *r = &ua->rows[i];
                if (r->d[UA_DUC] == DATE_BAD)
                        rule_report_903(ctx, SSDA903_UASC, r, NULL, "not a real date");
                else if (r9_real(r->d[UA_DUC]) && r->d[UA_DUC] < ctx->start)
                        rule_report_903(ctx, SSDA903_UASC, r, NULL,
                                        "before the collection year began");
        }
        return 0;
}

static int r_303(struct rule_ctx *ctx)
{
        const struct ssda903_table *ua = r9_tab(ctx, SSDA903_UASC);
        for (size_t i = 0; i < ua->n; i++) {
                const struct ssda903_row *r = &ua->rows[i];
                const struct ssda903_row *h = r9_header(ctx, r->child);
                if (r->v[UA_DUC] && h && !r9_is(h->v[HD_UASC], "1"))
                        rule_report_903(ctx, SSDA903_UASC, r, NULL, NULL);
        }
        return 0;
}

static int r_304(struct rule_ctx *ctx)
{
        const struct ssda903_table *ua = r9_tab(ctx, SSDA903_UASC);
        for (size_t i = 0; i < ua->n; i++) {
                const struct ssda903_row *r = &ua->rows[i];
                date_t dob = r9_row_dob(ctx, r, UA_DOB);
                if (dob != DATE_NONE && r9_real(r->d[UA_DUC]) &&
                    r->d[UA_DUC] > r9_birthday(dob, 18))
                        rule_report_903(ctx, SSDA903_UASC, r, NULL, NULL);
        }
        return 0;
}

/* ---------------------------------------------------------------- against last year */

struct uasc_years {
        const struct ssda903_row *hd, *hd_last; /* Header rows (hd_last may be NULL) */
        int now, last;                          /* UASC flags */
        const struct ssda903_row *ua, *ua_last; /* UASC rows, or NULL */
        date_t start_last, end_last;            /* last year's collection period */
};

static void uasc_years(struct rule_ctx *ctx, const struct ssda903_row *hd, struct uasc_years *u)
{
        u->hd = hd;
        u->hd_last = r9_first(ctx, SSDA903_HEADER_LAST, hd->child);
        u->now = r9_is(hd->v[HD_UASC], "1");
        u->last = u->hd_last && r9_is(u->hd_last->v[HD_UASC], "1");
        u->ua = r9_first(ctx, SSDA903_UASC, hd->child);
        u->ua_last = r9_first(ctx, SSDA903_UASC_LAST, hd->child);
        u->start_last = date_add_months(ctx->start, -12);
        u->end_last = date_add_months(ctx->end, -12);
}

static const char *duc(const struct ssda903_row *ua)
{
        return ua ? ua->v[UA_DUC] : NULL;
}

static date_t duc_date(const struct ssda903_row *ua)
{
        return ua ? ua->d[UA_DUC] : DATE_NONE;
}

/* Run `check` over every child in this year's Header; it reports what it finds. */
static int each_child(struct rule_ctx *ctx, void (*check)(struct rule_ctx *, struct uasc_years *))
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                size_t n, nl;
                r9_rows(ctx, SSDA903_UASC, r->child, &n);
                r9_rows(ctx, SSDA903_UASC_LAST, r->child, &nl);
                /* Never UASC and no DUC in either year: no 205 rule has anything to say (a
                 * last year's flag of 1 always comes with a UASC_last row). */
                if (!r9_is(r->v[HD_UASC], "1") && n == 0 && nl == 0)
                        continue;
                struct uasc_years u;
                uasc_years(ctx, r, &u);
                check(ctx, &u);
        }
        return 0;
}

static void check_205a(struct rule_ctx *ctx, struct uasc_years *u)
{
        size_t neps;
        if (!u->hd_last || u->now || !u->last)
                return;
        /* UASC status is returned for children looked after; a care leaver has none. */
        r9_rows(ctx, SSDA903_EPISODES, u->hd->child, &neps);
        if (neps == 0)
                return;
        date_t dl = duc_date(u->ua_last);
        if (duc(u->ua))
                rule_report_903(ctx, SSDA903_HEADER, u->hd, NULL,
                                "a date UASC ceased is given this year");
        else if (!r9_real(dl) || dl < u->start_last || dl > u->end_last)
                rule_report_903(ctx, SSDA903_HEADER, u->hd, NULL,
                                "last year's date UASC ceased is not within last year");
}

static int r_205a(struct rule_ctx *ctx)
{
        return each_child(ctx, check_205a);
}

static void check_205b(struct rule_ctx *ctx, struct uasc_years *u)
{
        if (!u->now || !u->last)
                return;
        date_t d = duc_date(u->ua), dl = duc_date(u->ua_last);
        if (r9_real(dl) && dl < ctx->start)
                rule_report_903f(ctx, SSDA903_HEADER, u->hd, NULL,
                                 "status ceased on %s, before this year", duc(u->ua_last));
        else if (duc(u->ua) && duc(u->ua_last) &&
                 (r9_real(d) && r9_real(dl) ? d != dl : strcmp(duc(u->ua), duc(u->ua_last)) != 0))
                rule_report_903f(ctx, SSDA903_HEADER, u->hd, NULL, "ceased %s here, %s last year",
                                 duc(u->ua), duc(u->ua_last));
}

static int r_205b(struct rule_ctx *ctx)
{
        return each_child(ctx, check_205b);
}

static void check_205c(struct rule_ctx *ctx, struct uasc_years *u)
{
        if (!u->now && !u->last && (duc(u->ua) || duc(u->ua_last)))
                rule_report_903(ctx, SSDA903_HEADER, u->hd, NULL, NULL);
}

static int r_205c(struct rule_ctx *ctx)
{
        return each_child(ctx, check_205c);
}

static void check_205d(struct rule_ctx *ctx, struct uasc_years *u)
{
        if (u->hd_last && u->now && !u->last)
                rule_report_903(ctx, SSDA903_HEADER, u->hd, NULL, NULL);
}

static int r_205d(struct rule_ctx *ctx)
{
        return each_child(ctx, check_205d);
}

#define ALL  RULES_ALL_YEARS
#define LAST RULE_NEEDS_LAST_YEAR
#define UY   "UASC|UASC_last|Header|Header_last"

/* clang-format off */
const struct rule_def rules_903_uasc[] = {
    {"104", RULE_ERROR, "The date UASC status ceased is not a real date, or is before the "
     "collection year began.",
     "DUC", "UASC", 0, ALL, r_104},
    {"205A", RULE_ERROR, "The child was UASC last year and is not this year, but the dates UASC "
     "status ceased do not show it ending last year.",
     "CHILD|UASC", UY, LAST, ALL, r_205a},
    {"205B", RULE_ERROR, "The child is UASC this year and was last year, but the dates UASC "
     "status ceased in the two returns do not fit that.",
     "DUC|UASC", UY, LAST, ALL, r_205b},
    {"205C", RULE_ERROR, "The child is not UASC this year or last year, yet a date UASC status "
     "ceased is given.",
     "DUC|UASC", UY, LAST, ALL, r_205c},
    {"205D", RULE_ERROR, "The child is UASC this year but was in last year's return as not "
     "UASC.",
     "UASC|CHILD", UY, LAST, ALL, r_205d},
    {"303", RULE_ERROR, "A date UASC status ceased is given but the child is not recorded as "
     "UASC (flag 1).",
     "DUC|UASC", "UASC|Header", 0, ALL, r_303},
    {"304", RULE_ERROR, "The date UASC status ceased is after the child's 18th birthday.",
     "DUC", "UASC", 0, ALL, r_304},
    {0},
};
/* clang-format on */
