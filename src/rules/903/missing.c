/*
 * missing.c — SSDA903 rules on the Missing table (periods a child was
 * missing, M, or away without authorisation, A): the type and dates must be
 * valid and complete (564, 565, 566, 1004, 1005, 1006), in order and within
 * the year (567, 570, 571), after birth (586), not overlapping (574), and a
 * period open at the end of last year must continue into this one (576).
 *
 * Readings chosen where the definition leaves room:
 *  - 574: a child's periods are taken in order of start date (the load's
 *    per-child order); a period is reported when it starts while an earlier
 *    one is still open, or before an earlier one ended.  A period may start
 *    on the day the previous one ended.  Periods without a real start date
 *    take no part (1004 reports them).
 *  - 576: for a child with an open period (MIS_END blank) in last year's
 *    Missing table and periods in this year's, the earliest period this year
 *    must start on the date the open one started; that earliest period is
 *    reported.  A child with no periods this year is not reported: there is
 *    no row to report, and the child may have left care.
 *  - 586: a period starting on the date of birth is reported too, as Data to
 *    Insight does.  The date of birth is the row's own, or Header's when
 *    that is not a real date.
 */
#include "rules/903/util.h"

static const char *const missing_types[] = {"M", "A", NULL};

static const struct ssda903_table *missing(struct rule_ctx *ctx)
{
        return r9_tab(ctx, SSDA903_MISSING);
}

/* Report every Missing row for which `bad` holds. */
static int each_missing(struct rule_ctx *ctx,
                        int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *mi = missing(ctx);
        for (size_t i = 0; i < mi->n; i++)
                if (bad(ctx, &mi->rows[i]))
                        rule_report_903(ctx, SSDA903_MISSING, &mi->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- completeness */

static int bad_564(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_in_list(r->v[MI_MISSING], missing_types) && !r->v[MI_MIS_START];
}

static int bad_565(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[MI_MIS_START] && !r->v[MI_MISSING];
}

static int bad_566(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[MI_MIS_END] && !r->v[MI_MISSING];
}

static int bad_1004(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return !r9_real(r->d[MI_MIS_START]);
}

static int bad_1005(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[MI_MIS_END] == DATE_BAD;
}

static int bad_1006(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[MI_MISSING] && !r9_in_list(r->v[MI_MISSING], missing_types);
}

/* ---------------------------------------------------------------- dates */

static int bad_567(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_real(r->d[MI_MIS_START]) && r9_real(r->d[MI_MIS_END]) &&
               r->d[MI_MIS_END] < r->d[MI_MIS_START];
}

static int bad_570(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_real(r->d[MI_MIS_START]) && r->d[MI_MIS_START] > ctx->end;
}

static int bad_571(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t e = r->d[MI_MIS_END];
        return r9_real(e) && (e < ctx->start || e > ctx->end);
}

static int bad_586(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t dob = r9_row_dob(ctx, r, MI_DOB);
        return dob != DATE_NONE && r9_real(r->d[MI_MIS_START]) && r->d[MI_MIS_START] <= dob;
}

#define RULE_FN(code)                                                                              \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_missing(ctx, bad_##code);                                              \
        }
RULE_FN(564)
RULE_FN(565)
RULE_FN(566)
RULE_FN(567)
RULE_FN(570)
RULE_FN(571)
RULE_FN(586)
RULE_FN(1004)
RULE_FN(1005)
RULE_FN(1006)

/* ---------------------------------------------------------------- overlaps */

static int r_574(struct rule_ctx *ctx)
{
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n;
                struct ssda903_row *const *m = r9_rows(ctx, SSDA903_MISSING, (uint32_t)k, &n);
                int open_before = 0;   /* an earlier period has no end */
                date_t end_before = 0; /* latest end of the earlier periods */
                int any = 0;
                for (size_t i = 0; i < n; i++) {
                        const struct ssda903_row *r = m[i];
                        date_t s = r->d[MI_MIS_START], e = r->d[MI_MIS_END];
                        if (!r9_real(s))
                                break; /* sorted: the rest have no usable start */
                        if (any && open_before)
                                rule_report_903(ctx, SSDA903_MISSING, r, NULL,
                                                "an earlier period is still open");
                        else if (any && s < end_before)
                                rule_report_903(ctx, SSDA903_MISSING, r, NULL,
                                                "starts before an earlier period ended");
                        if (e == DATE_NONE)
                                open_before = 1;
                        else if (r9_real(e) && (!any || e > end_before))
                                end_before = e;
                        any = 1;
                }
        }
        return 0;
}

/* ---------------------------------------------------------------- last year */

static int r_576(struct rule_ctx *ctx)
{
        for (size_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n, nl;
                struct ssda903_row *const *m = r9_rows(ctx, SSDA903_MISSING, (uint32_t)k, &n);
                if (n == 0)
                        continue;
                struct ssda903_row *const *l = r9_rows(ctx, SSDA903_MISSING_LAST, (uint32_t)k, &nl);
                for (size_t i = 0; i < nl; i++) {
                        const struct ssda903_row *o = l[i];
                        if (o->v[MI_MIS_END] || !o->v[MI_MIS_START])
                                continue;
                        /* This year's rows sort by start, unusable starts last. */
                        const struct ssda903_row *first = m[0];
                        int same = r9_real(first->d[MI_MIS_START]) && r9_real(o->d[MI_MIS_START])
                                       ? first->d[MI_MIS_START] == o->d[MI_MIS_START]
                                       : r9_same(first->v[MI_MIS_START], o->v[MI_MIS_START]);
                        if (!same) {
                                rule_report_903f(ctx, SSDA903_MISSING, first, NULL,
                                                 "last year's period from %s is still open",
                                                 o->v[MI_MIS_START]);
                                break;
                        }
                }
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_missing[] = {
    {"564", RULE_ERROR, "The child was missing or away without authorisation but the start "
     "date of the period is blank.",
     "MISSING|MIS_START", "Missing", 0, ALL, r_564},
    {"565", RULE_ERROR, "A start date is given but not whether the child was missing (M) or "
     "away without authorisation (A).",
     "MISSING|MIS_START", "Missing", 0, ALL, r_565},
    {"566", RULE_ERROR, "An end date is given but not whether the child was missing (M) or "
     "away without authorisation (A).",
     "MISSING|MIS_END", "Missing", 0, ALL, r_566},
    {"567", RULE_ERROR, "The period of being missing or away ends before it starts.",
     "MIS_START|MIS_END", "Missing", 0, ALL, r_567},
    {"570", RULE_ERROR, "The period of being missing or away starts after the collection year "
     "ended.",
     "MIS_START", "Missing", 0, ALL, r_570},
    {"571", RULE_ERROR, "The period of being missing or away ends outside the collection year.",
     "MIS_END", "Missing", 0, ALL, r_571},
    {"574", RULE_ERROR, "This missing or away period starts while an earlier one is still open, "
     "or overlaps it.",
     "MIS_START|MIS_END", "Missing", 0, ALL, r_574},
    {"576", RULE_ERROR, "Last year's return has an open missing or away period for this child, "
     "but this year's periods do not begin with it.",
     "CHILD", "Missing|Missing_last", RULE_NEEDS_LAST_YEAR, ALL, r_576},
    {"586", RULE_ERROR, "The missing or away period starts on or before the child's date of "
     "birth.",
     "MIS_START", "Missing", 0, ALL, r_586},
    {"1004", RULE_ERROR, "The start date of the missing or away period is blank or not a real "
     "dd/mm/YYYY date.",
     "MIS_START", "Missing", 0, ALL, r_1004},
    {"1005", RULE_ERROR, "The end date of the missing or away period is not a real dd/mm/YYYY "
     "date.",
     "MIS_END", "Missing", 0, ALL, r_1005},
    {"1006", RULE_ERROR, "Missing type is not M (missing) or A (away without authorisation).",
     "MISSING", "Missing", 0, ALL, r_1006},
    {0},
};
/* clang-format on */
