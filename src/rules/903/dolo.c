/*
 * dolo.c — SSDA903 rules on the DoLo table (deprivation of liberty orders,
 * from the 2026/27 set): valid dates (700, 701), in order and in the year
 * (702, 703, 704), after birth (708), not overlapping (705), an order open at
 * the end of last year carried into this one (706), no order left open after
 * care ends (707), and the child's placements while an order runs (709, 710).
 *
 * Readings chosen where the definition leaves room:
 *  - 700: a blank start is reported with an invalid one (the start is
 *    required); 701 reports only an end that is given and invalid.
 *  - 702: an order ending the day it started is accepted; only an end
 *    before the start is reported, as the message says.
 *  - 705: orders are taken in order of start; one is reported when an
 *    earlier one has no end, or when it starts before an earlier one ended.
 *  - 706: for each order open at the end of last year (real start, no end),
 *    a child still in this year's return (Episodes or DoLo rows) must have
 *    an order with the same start this year; otherwise last year's row is
 *    reported (there is no row of this year to point at).
 *  - 707: "ceased to be looked after" is the child's latest episode (by
 *    DECOM) having a DEC; each order of that child without an end is
 *    reported.
 *  - 708: an order starting on the date of birth is reported too (DfE: the
 *    start must be after the date of birth).  The date of birth is the row's
 *    own, or Header's when that is not a real date.
 *  - 709, 710: an order runs from its start to the day before its end (to
 *    the end of the year when it has none), an episode from DECOM to the day
 *    before DEC (open: beyond the year), so a placement that ends the day an
 *    order starts, or starts the day it ends, does not overlap it.  709
 *    reports the order once (naming the first unexpected placement); 710
 *    reports the order and each episode in a forbidden placement.  Episodes
 *    with a blank PLACE are left to the PLACE rules.
 */
#include "rules/903/util.h"

static int each_dolo(struct rule_ctx *ctx,
                     int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *t = r9_tab(ctx, SSDA903_DOLO);
        for (size_t i = 0; i < t->n; i++)
                if (bad(ctx, &t->rows[i]))
                        rule_report_903(ctx, SSDA903_DOLO, &t->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- dates */

static int bad_700(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return !r9_real(r->d[DL_DOLO_START]);
}

static int bad_701(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[DL_DOLO_END] == DATE_BAD;
}

static int bad_702(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        date_t s = r->d[DL_DOLO_START], e = r->d[DL_DOLO_END];
        return r9_real(s) && r9_real(e) && e < s;
}

static int bad_703(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_real(r->d[DL_DOLO_START]) && r->d[DL_DOLO_START] > ctx->end;
}

static int bad_704(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t e = r->d[DL_DOLO_END];
        return r9_real(e) && (e < ctx->start || e > ctx->end);
}

static int bad_708(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dob = r9_row_dob(ctx, r, DL_DOB), s = r->d[DL_DOLO_START];
        return r9_real(dob) && r9_real(s) && s <= dob;
}

#define RULE_FN(code)                                                                              \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_dolo(ctx, bad_##code);                                                 \
        }
RULE_FN(700)
RULE_FN(701)
RULE_FN(702)
RULE_FN(703)
RULE_FN(704)
RULE_FN(708)

/* ---------------------------------------------------------------- overlaps */

/* 705: an order starts while an earlier one is open, or before it ended. */
static int r_705(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *d = r9_rows(ctx, SSDA903_DOLO, k, &n);
                int open_before = 0;
                date_t end_before = DATE_NONE; /* latest real end so far */
                for (size_t i = 0; i < n; i++) {
                        date_t s = d[i]->d[DL_DOLO_START], e = d[i]->d[DL_DOLO_END];
                        if (!r9_real(s))
                                break; /* sorted: the rest have no usable start */
                        if (i > 0 && open_before)
                                rule_report_903(ctx, SSDA903_DOLO, d[i], NULL,
                                                "an earlier order is still open");
                        else if (i > 0 && end_before != DATE_NONE && s < end_before)
                                rule_report_903(ctx, SSDA903_DOLO, d[i], NULL,
                                                "an earlier order ended after this one started");
                        if (e == DATE_NONE)
                                open_before = 1;
                        else if (r9_real(e) && (end_before == DATE_NONE || e > end_before))
                                end_before = e;
                }
        }
        return 0;
}

/* 706: an order open at the end of last year continues this year. */
static int r_706(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t nl, n;
                struct ssda903_row *const *l = r9_rows(ctx, SSDA903_DOLO_LAST, k, &nl);
                if (nl == 0)
                        continue;
                struct ssda903_row *const *d = r9_rows(ctx, SSDA903_DOLO, k, &n);
                if (n == 0 && r9_count(ctx, SSDA903_EPISODES, k) == 0)
                        continue; /* not in this year's return */
                for (size_t j = 0; j < nl; j++) {
                        date_t s = l[j]->d[DL_DOLO_START];
                        if (!r9_real(s) || l[j]->v[DL_DOLO_END])
                                continue;
                        int carried = 0;
                        for (size_t i = 0; i < n; i++)
                                carried |= d[i]->d[DL_DOLO_START] == s;
                        if (!carried)
                                rule_report_903(ctx, SSDA903_DOLO_LAST, l[j], NULL,
                                                "not in this year's DoLo table");
                }
        }
        return 0;
}

/* 707: the child has left care, but an order has no end. */
static int r_707(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, ne;
                struct ssda903_row *const *d = r9_rows(ctx, SSDA903_DOLO, k, &n);
                if (n == 0)
                        continue;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &ne);
                const struct ssda903_row *last = r9_last_decom(e, ne);
                if (!last || !r9_real(last->d[EP_DEC]))
                        continue;
                for (size_t i = 0; i < n; i++)
                        if (r9_real(d[i]->d[DL_DOLO_START]) && d[i]->d[DL_DOLO_END] == DATE_NONE)
                                rule_report_903f(ctx, SSDA903_DOLO, d[i], NULL, "care ended on %s",
                                                 last->v[EP_DEC]);
        }
        return 0;
}

/* ---------------------------------------------------------------- placements */

/* The order and the episode share at least one day (half-open intervals). */
static int overlaps(const struct rule_ctx *ctx, const struct ssda903_row *o,
                    const struct ssda903_row *ep)
{
        date_t s = o->d[DL_DOLO_START], e = o->d[DL_DOLO_END];
        date_t decom = ep->d[EP_DECOM], dec = ep->d[EP_DEC];
        if (!r9_real(s) || e == DATE_BAD || !r9_real(decom) || dec == DATE_BAD)
                return 0;
        date_t o_end = e == DATE_NONE ? ctx->end + 1 : e;
        date_t ep_end = dec == DATE_NONE ? INT32_MAX : dec;
        return s < ep_end && decom < o_end;
}

/* 709 (allowed != NULL: anything else is unexpected) and 710 (forbidden). */
static int placements(struct rule_ctx *ctx, const char *allowed, const char *forbidden)
{
        const struct ssda903_table *t = r9_tab(ctx, SSDA903_DOLO);
        for (size_t i = 0; i < t->n; i++) {
                const struct ssda903_row *o = &t->rows[i];
                size_t ne;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, o->child, &ne);
                int reported = 0;
                for (size_t j = 0; j < ne; j++) {
                        const char *pl = e[j]->v[EP_PLACE];
                        if (!pl || !overlaps(ctx, o, e[j]))
                                continue;
                        if (allowed && !r9_in(pl, allowed)) {
                                rule_report_903f(ctx, SSDA903_DOLO, o, NULL, "placement %s from %s",
                                                 pl, e[j]->v[EP_DECOM]);
                                break;
                        }
                        if (forbidden && r9_in(pl, forbidden)) {
                                if (!reported)
                                        rule_report_903(ctx, SSDA903_DOLO, o, NULL, NULL);
                                reported = 1;
                                rule_report_903(ctx, SSDA903_EPISODES, e[j], NULL, NULL);
                        }
                }
        }
        return 0;
}

static int r_709(struct rule_ctx *ctx)
{
        return placements(ctx, "K2 Z12 Z13", NULL);
}

static int r_710(struct rule_ctx *ctx)
{
        return placements(ctx, NULL, "K1 P1 R5 K3");
}

#define Y27 RULES_FROM(2027)

/* clang-format off */
const struct rule_def rules_903_dolo[] = {
    {"700", RULE_ERROR, "The start date of the deprivation of liberty order is blank or not a "
     "real dd/mm/YYYY date.",
     "DOLO_START", "DoLo", 0, Y27, r_700},
    {"701", RULE_ERROR, "The end date of the deprivation of liberty order is not a real "
     "dd/mm/YYYY date.",
     "DOLO_END", "DoLo", 0, Y27, r_701},
    {"702", RULE_ERROR, "The deprivation of liberty order ends before it starts.",
     "DOLO_START|DOLO_END", "DoLo", 0, Y27, r_702},
    {"703", RULE_ERROR, "The deprivation of liberty order starts after the end of the "
     "collection year.",
     "DOLO_START", "DoLo", 0, Y27, r_703},
    {"704", RULE_ERROR, "The deprivation of liberty order ends outside the collection year.",
     "DOLO_END", "DoLo", 0, Y27, r_704},
    {"705", RULE_ERROR, "This deprivation of liberty order starts while an earlier one is still "
     "open, or before it ended.",
     "DOLO_START|DOLO_END", "DoLo", 0, Y27, r_705},
    {"706", RULE_ERROR, "Last year's return has an open deprivation of liberty order, but this "
     "year's has no order with the same start date.",
     "DOLO_START", "DoLo|DoLo_last", RULE_NEEDS_LAST_YEAR, Y27, r_706},
    {"707", RULE_ERROR, "The child has ceased to be looked after, but this deprivation of "
     "liberty order has no end date.",
     "DOLO_END", "DoLo|Episodes", 0, Y27, r_707},
    {"708", RULE_ERROR, "The deprivation of liberty order starts on or before the child's date "
     "of birth.",
     "DOLO_START", "DoLo", 0, Y27, r_708},
    {"709", RULE_ERROR, "During the deprivation of liberty order the child is in a placement "
     "other than the expected K2, Z12 or Z13.",
     "DOLO_START|PLACE", "DoLo|Episodes", 0, Y27, r_709},
    {"710", RULE_ERROR, "During the deprivation of liberty order the child is placed in a secure "
     "children's home (K1), with parents (P1), in a young offender institution (R5) or in "
     "supported accommodation (K3), which is not allowed.",
     "DOLO_START|PLACE", "DoLo|Episodes", 0, Y27, r_710},
    {0},
};
/* clang-format on */
