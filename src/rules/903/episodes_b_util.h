/*
 * episodes_b_util.h — small helpers shared by the Episodes rule families
 * episodes_b.c, episodes_b2.c, episodes_b3.c and lastyear.c: date and code
 * tests that treat blank and invalid cells the same way everywhere, and
 * access to a child's rows in any table through the load's per-child indexes.
 *
 * Conventions these helpers fix for those families:
 *  - a date takes part in a comparison only when it is a real date; a blank
 *    or invalid one (DATE_NONE, DATE_BAD) makes the comparison false, so a
 *    rule about dates never fires on a date that other rules report as bad;
 *  - codes are compared as the loader stores them (trimmed, upper-cased);
 *  - "the same" for two cells means both blank or both equal, so that an
 *    unchanged blank URN is not a change of placement.
 */
#ifndef IMPROVE_RULES_903_EPISODES_B_UTIL_H
#define IMPROVE_RULES_903_EPISODES_B_UTIL_H

#include "rules/rules.h"

#include <string.h>

static inline int eb_real(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

/* Both present and equal. */
static inline int eb_eq(const char *a, const char *b)
{
        return a && b && strcmp(a, b) == 0;
}

/* Both blank, or both present and equal. */
static inline int eb_same(const char *a, const char *b)
{
        if (!a || !b)
                return !a && !b;
        return strcmp(a, b) == 0;
}

/* 1 if `s` is one of the space-separated codes in `list` ("A3 A4 A5 A6"); blank is never. */
static inline int eb_in(const char *s, const char *list)
{
        if (!s || !*s)
                return 0;
        size_t n = strlen(s);
        const char *p = list;
        while (*p) {
                while (*p == ' ')
                        p++;
                const char *q = p;
                while (*q && *q != ' ')
                        q++;
                if ((size_t)(q - p) == n && memcmp(p, s, n) == 0)
                        return 1;
                p = q;
        }
        return 0;
}

static inline const struct ssda903_table *eb_tab(const struct rule_ctx *ctx, int t)
{
        return &ctx->s903->t[t];
}

/* Rows of child k in table t, in the table's per-child order. */
static inline struct ssda903_row *const *eb_rows(const struct rule_ctx *ctx, int t, uint32_t k,
                                                 size_t *n)
{
        return ssda903_child_rows(&ctx->s903->t[t], k, n);
}

static inline size_t eb_count(const struct rule_ctx *ctx, int t, uint32_t k)
{
        size_t n;
        ssda903_child_rows(&ctx->s903->t[t], k, &n);
        return n;
}

/* The child's first Header row, or NULL. */
static inline const struct ssda903_row *eb_header(const struct rule_ctx *ctx, uint32_t k)
{
        return ctx->s903->children[k].header;
}

/* The child's date of birth from Header, or DATE_NONE. */
static inline date_t eb_dob(const struct rule_ctx *ctx, uint32_t k)
{
        const struct ssda903_row *h = eb_header(ctx, k);
        return h && eb_real(h->d[HD_DOB]) ? h->d[HD_DOB] : DATE_NONE;
}

/* The n-th birthday (28 February for a 29 February birth in other years). */
static inline date_t eb_birthday(date_t dob, int years)
{
        return date_add_months(dob, 12 * years);
}

/*
 * Episodes sort by DECOM with blank and invalid dates last, so a child's
 * first episode with a real start date is the first row, and the last one
 * is found by walking back over the blanks.  NULL when there is none.
 */
static inline const struct ssda903_row *eb_first_decom(struct ssda903_row *const *e, size_t n)
{
        return n && eb_real(e[0]->d[EP_DECOM]) ? e[0] : NULL;
}

static inline const struct ssda903_row *eb_last_decom(struct ssda903_row *const *e, size_t n)
{
        for (size_t i = n; i-- > 0;)
                if (eb_real(e[i]->d[EP_DECOM]))
                        return e[i];
        return NULL;
}

/*
 * A distance in miles as the loader writes it ("12.3"), parsed without
 * strtod (the distance rules read one per episode).  0 when blank or not a
 * plain decimal number.
 */
static inline int eb_miles(const char *s, double *out)
{
        if (!s || !*s)
                return 0;
        double v = 0, scale = 1;
        int digits = 0, frac = 0, neg = *s == '-';
        if (neg || *s == '+')
                s++;
        for (; *s; s++) {
                if (*s >= '0' && *s <= '9') {
                        v = v * 10 + (*s - '0');
                        digits++;
                        if (frac)
                                scale *= 10;
                } else if (*s == '.' && !frac) {
                        frac = 1;
                } else {
                        return 0;
                }
        }
        if (!digits)
                return 0;
        *out = (neg ? -v : v) / scale;
        return 1;
}

#endif
