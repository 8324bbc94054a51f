/*
 * header_util.h — small helpers shared by the child-level SSDA903 rule
 * families (header.c, header_episodes.c, header_lastyear.c, uasc.c,
 * reviews.c, prevperm.c, missing.c): tests on cells that treat blank and
 * invalid values alike, the sex codes of each rule-set year, birthdays and
 * the child's rows through the load's per-child indexes.
 *
 * Conventions fixed here for those families:
 *  - a date takes part in a comparison only when it is a real date; a blank
 *    or invalid one makes the comparison false, so that a rule about dates
 *    never fires on a date that another rule reports as invalid;
 *  - codes are compared as the loader stores them (trimmed, upper-cased);
 *  - ages are completed years as date_age() counts them, so a 29 February
 *    birthday falls on 1 March in other years, and hu_birthday() agrees:
 *    date_age(dob, d) >= n exactly when d >= hu_birthday(dob, n).
 */
#ifndef IMPROVE_RULES_903_HEADER_UTIL_H
#define IMPROVE_RULES_903_HEADER_UTIL_H

#include "rules/rules.h"

#include <string.h>

static inline int hu_real(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

/* Present and equal to `code`. */
static inline int hu_is(const char *v, const char *code)
{
        return v && strcmp(v, code) == 0;
}

/* 1 if `v` is one of the NULL-terminated codes; blank is never. */
static inline int hu_in(const char *v, const char *const *list)
{
        if (!v)
                return 0;
        for (; *list; list++)
                if (strcmp(v, *list) == 0)
                        return 1;
        return 0;
}

/* Both blank, or both present and equal. */
static inline int hu_same(const char *a, const char *b)
{
        if (!a || !b)
                return !a && !b;
        return strcmp(a, b) == 0;
}

/*
 * Sex codes: 1 male / 2 female up to the 2023/24 rule set, M / F / U from
 * 2024/25 (data-formats.md §1.6).
 */
static inline int hu_male(const char *sex, int rules_year)
{
        return hu_is(sex, rules_year <= 2024 ? "1" : "M");
}

static inline int hu_female(const char *sex, int rules_year)
{
        return hu_is(sex, rules_year <= 2024 ? "2" : "F");
}

/* The n-th birthday, on 1 March for a 29 February birth in a common year (as date_age). */
static inline date_t hu_birthday(date_t dob, int n)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        if (m == 2 && d == 29 && !date_ymd_valid(y + n, 2, 29))
                return date_from_ymd(y + n, 3, 1);
        return date_from_ymd(y + n, m, d);
}

/*
 * date_age(dob, on) >= n, without the calendar arithmetic in the common case:
 * n years hold at least 365n and fewer than 366n days.
 */
static inline int hu_age_at_least(date_t dob, date_t on, int n)
{
        int64_t days = (int64_t)on - dob;
        if (days < 0)
                return 0;
        if (days >= 366 * (int64_t)n)
                return 1;
        if (days < 365 * (int64_t)n)
                return 0;
        return date_age(dob, on) >= n;
}

static inline const struct ssda903_table *hu_tab(const struct rule_ctx *ctx, int t)
{
        return &ctx->s903->t[t];
}

/* Rows of child k in table t, in the table's per-child order. */
static inline struct ssda903_row *const *hu_rows(const struct rule_ctx *ctx, int t, uint32_t k,
                                                 size_t *n)
{
        return ssda903_child_rows(&ctx->s903->t[t], k, n);
}

/* The child's first row in table t (one-row-per-child tables), or NULL. */
static inline const struct ssda903_row *hu_first(const struct rule_ctx *ctx, int t, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *r = ssda903_child_rows(&ctx->s903->t[t], k, &n);
        return n ? r[0] : NULL;
}

/* The child's first Header row this year, or NULL. */
static inline const struct ssda903_row *hu_header(const struct rule_ctx *ctx, uint32_t k)
{
        return ctx->s903->children[k].header;
}

/* The child's date of birth from Header, or DATE_NONE when absent or invalid. */
static inline date_t hu_dob(const struct rule_ctx *ctx, uint32_t k)
{
        const struct ssda903_row *h = hu_header(ctx, k);
        return h && hu_real(h->d[HD_DOB]) ? h->d[HD_DOB] : DATE_NONE;
}

/* A table's own DOB column when it is a real date, else Header's (or DATE_NONE). */
static inline date_t hu_row_dob(const struct rule_ctx *ctx, const struct ssda903_row *r, int col)
{
        return hu_real(r->d[col]) ? r->d[col] : hu_dob(ctx, r->child);
}

#endif
