/*
 * util.h — small helpers every SSDA903 rule family shares, so that blank and
 * invalid cells, codes, children and birthdays are treated the same way in
 * every rule.
 *
 * Conventions:
 *  - a date takes part in a comparison only when it is a real date; a blank or
 *    invalid one (DATE_NONE, DATE_BAD) makes the comparison false, so a rule
 *    about dates never fires on a date that other rules report as bad;
 *  - codes are compared as the loader stores them (trimmed, upper-cased);
 *  - "the same" for two cells means both blank or both equal;
 *  - the n-th birthday of someone born on 29 February is 1 March in a common
 *    year, as date_age() counts it.
 */
#ifndef IMPROVE_RULES_903_UTIL_H
#define IMPROVE_RULES_903_UTIL_H

#include "rules/rules.h"

#include <stdatomic.h>
#include <string.h>

static inline int r9_real(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

/*
 * strcmp(a, b) == 0, compared here byte by byte.  Codes are a few bytes long and
 * most comparisons fail at the first byte, where a call to the library's vector
 * strcmp costs several times the loop (issue 4: 8 M of the fixtures' 113 M
 * instructions were strcmp calls from the rules).
 */
static inline int r9_streq(const char *a, const char *b)
{
        while (*a && *a == *b) {
                a++;
                b++;
        }
        return *a == *b;
}

/* The cell holds exactly `code`. */
static inline int r9_is(const char *v, const char *code)
{
        return v && r9_streq(v, code);
}

/* Both present and equal. */
static inline int r9_eq(const char *a, const char *b)
{
        return a && b && r9_streq(a, b);
}

/* Both blank, or both present and equal. */
static inline int r9_same(const char *a, const char *b)
{
        if (!a || !b)
                return !a && !b;
        return r9_streq(a, b);
}

/* 1 if `s` is one of the space-separated codes in `list` ("A3 A4 A5 A6"); blank is never.
 * One pass over the list, matching `s` against each code as it goes (no strlen, no memcmp);
 * a space in `s` ends the match, so a cell "A3 A4" is not a code of "A3 A4 A5". */
static inline int r9_in(const char *s, const char *list)
{
        if (!s || !*s)
                return 0;
        const char *p = list;
        for (;;) {
                while (*p == ' ')
                        p++;
                if (!*p)
                        return 0;
                const char *q = s;
                while (*q && *q != ' ' && *q == *p) {
                        q++;
                        p++;
                }
                if (!*q && (!*p || *p == ' '))
                        return 1;
                while (*p && *p != ' ')
                        p++;
        }
}

/* Sex codes: 1/2 up to the 2023/24 rule set, M/F/U from 2024/25 (data-formats.md §1.6). */
static inline int r9_male(const char *sex, int rules_year)
{
        return r9_is(sex, rules_year <= 2024 ? "1" : "M");
}

static inline int r9_female(const char *sex, int rules_year)
{
        return r9_is(sex, rules_year <= 2024 ? "2" : "F");
}

/* The n-th birthday (1 March for a 29 February birth in a common year, as date_age). */
static inline date_t r9_birthday(date_t dob, int n)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        if (m == 2 && d == 29 && !date_ymd_valid(y + n, 2, 29))
                return date_from_ymd(y + n, 3, 1);
        return date_from_ymd(y + n, m, d);
}

static inline const struct ssda903_table *r9_tab(const struct rule_ctx *ctx, int t)
{
        return &ctx->s903->t[t];
}

static inline const struct ssda903_table *r9_episodes(const struct rule_ctx *ctx)
{
        return &ctx->s903->t[SSDA903_EPISODES];
}

/* Rows of child k in table t, in the table's per-child order. */
static inline struct ssda903_row *const *r9_rows(const struct rule_ctx *ctx, int t, uint32_t k,
                                                 size_t *n)
{
        return ssda903_child_rows(&ctx->s903->t[t], k, n);
}

static inline size_t r9_count(const struct rule_ctx *ctx, int t, uint32_t k)
{
        size_t n;
        ssda903_child_rows(&ctx->s903->t[t], k, &n);
        return n;
}

/* The child's first row in table t (one-row-per-child tables), or NULL. */
static inline const struct ssda903_row *r9_first(const struct rule_ctx *ctx, int t, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *r = ssda903_child_rows(&ctx->s903->t[t], k, &n);
        return n ? r[0] : NULL;
}

/* The child's first Header row this year, or NULL. */
static inline const struct ssda903_row *r9_header(const struct rule_ctx *ctx, uint32_t k)
{
        return ctx->s903->children[k].header;
}

/* The child's date of birth from Header, or DATE_NONE when absent or invalid. */
static inline date_t r9_dob(const struct rule_ctx *ctx, uint32_t k)
{
        const struct ssda903_row *h = r9_header(ctx, k);
        return h && r9_real(h->d[HD_DOB]) ? h->d[HD_DOB] : DATE_NONE;
}

/* A table's own DOB column when it is a real date, else Header's (or DATE_NONE). */
static inline date_t r9_row_dob(const struct rule_ctx *ctx, const struct ssda903_row *r, int col)
{
        return r9_real(r->d[col]) ? r->d[col] : r9_dob(ctx, r->child);
}

/* Episodes sort by DECOM with blank and invalid dates last: the first and last real ones. */
static inline const struct ssda903_row *r9_first_decom(struct ssda903_row *const *e, size_t n)
{
        return n && r9_real(e[0]->d[EP_DECOM]) ? e[0] : NULL;
}

static inline const struct ssda903_row *r9_last_decom(struct ssda903_row *const *e, size_t n)
{
        for (size_t i = n; i-- > 0;)
                if (r9_real(e[i]->d[EP_DECOM]))
                        return e[i];
        return NULL;
}

/*
 * "Looked after continuously for 12 months at 31 March" (the OC2 cohort of
 * measures.md §0.3, used by every rule that asks it): the child has an
 * episode open at some time in the collection year, and none of its episodes
 * starts a period of care (RNE S) after 1 April, is a V3/V4 short break open
 * in the year, or ends a period of care (a real DEC from 1 April to 31 March,
 * with REC other than X1): a child who ceased on 31 March is not looked after
 * at 31 March.  (Data to Insight lets an episode ending on 31 March itself
 * pass in 185, 186 and 198; one cohort for every rule keeps the findings
 * consistent with the OC2 family and the measures.)
 */
static inline int r9_looked_after_all_year_of(const struct rule_ctx *ctx, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &n);
        int during = 0;
        for (size_t i = 0; i < n; i++) {
                date_t decom = e[i]->d[EP_DECOM], dec = e[i]->d[EP_DEC];
                int in_year =
                    r9_real(decom) && decom <= ctx->end && (!r9_real(dec) || dec >= ctx->start);
                if (r9_is(e[i]->v[EP_RNE], "S") && r9_real(decom) && decom > ctx->start &&
                    decom <= ctx->end)
                        return 0;
                if (!r9_is(e[i]->v[EP_REC], "X1") && r9_real(dec) && dec >= ctx->start &&
                    dec <= ctx->end)
                        return 0;
                if (in_year && r9_in(e[i]->v[EP_LS], "V3 V4"))
                        return 0;
                during |= in_year;
        }
        return during;
}

/* The same, worked out once a run for each child (several rules ask about every child). */
static inline int r9_looked_after_all_year(const struct rule_ctx *ctx, uint32_t k)
{
        atomic_uchar *memo = rules_memo_looked_after(ctx, k);
        if (!memo)
                return r9_looked_after_all_year_of(ctx, k);
        unsigned char known = atomic_load_explicit(memo, memory_order_relaxed);
        if (known)
                return known - 1;
        int yes = r9_looked_after_all_year_of(ctx, k);
        atomic_store_explicit(memo, (unsigned char)(yes + 1), memory_order_relaxed);
        return yes;
}

/* 1 if `v` is one of the NULL-terminated `list` of codes; blank is never (no list holds
 * ""). The first characters are compared before the rest: most codes in a list differ there. */
static inline int r9_in_list(const char *v, const char *const *list)
{
        if (!v)
                return 0;
        for (; *list; list++)
                if (v[0] == (*list)[0] && r9_streq(v, *list))
                        return 1;
        return 0;
}

/*
 * r9_in_list() asked of many rows with one list: a row's short code is mostly
 * a copy shared by every row with that code (s903_fill_row), so the answer
 * is remembered by the code's address.  Zeroed before the first ask.
 */
struct r9_list_memo {
        const char *v[32];
        unsigned char in[32];
};

static inline int r9_in_list_memo(struct r9_list_memo *m, const char *v, const char *const *list)
{
        size_t s = ((uintptr_t)v >> 3) % 32; /* copies are 8-byte aligned */
        if (m->v[s] == v) /* a NULL slot is right for NULL too: never in a list */
                return m->in[s];
        int in = r9_in_list(v, list);
        m->v[s] = v;
        m->in[s] = (unsigned char)in;
        return in;
}

/* r9_in() likewise, for one space-separated list. */
static inline int r9_in_memo(struct r9_list_memo *m, const char *v, const char *list)
{
        size_t s = ((uintptr_t)v >> 3) % 32;
        if (m->v[s] == v) /* NULL is never in a list either */
                return m->in[s];
        int in = r9_in(v, list);
        m->v[s] = v;
        m->in[s] = (unsigned char)in;
        return in;
}

/* Aged at least n completed years on `on` (quick bounds before the exact count). */
static inline int r9_age_at_least(date_t dob, date_t on, int n)
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

/* A distance in miles ("12.5"); 0 if blank or not a plain decimal number. */
static inline int r9_miles(const char *s, double *out)
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
