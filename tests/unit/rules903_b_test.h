/*
 * rules903_b_test.h — shorthand on top of rules903_test.h for the Episodes
 * rule families episodes_b*, lastyear: one call runs one rule over a list of
 * inline tables and checks the exact rows it reports.
 *
 *      B_EXPECT(2025, "390", "Episodes", ROWS(1, 3), TABLES(R903_EPISODES "..."));
 *      B_NONE(2025, "390", TABLES(R903_EPISODES "..."));
 *
 * Tables whose CSV text starts with "last:" are loaded as last year's.
 * For findings in several tables, b_run() keeps the result for b_has()/b_count().
 */
#ifndef IMPROVE_RULES903_B_TEST_H
#define IMPROVE_RULES903_B_TEST_H

#include "rules903_test.h"

#define ROWS(...)   (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define TABLES(...) ((const char *const[]){__VA_ARGS__, NULL})

static inline void b_load(struct r903 *t, int year, const char *const *tables)
{
        r903_begin(t, year);
        for (size_t i = 0; tables[i]; i++) {
                if (strncmp(tables[i], "last:", 5) == 0)
                        r903_last(t, tables[i] + 5);
                else
                        r903_table(t, tables[i]);
        }
}

/* Load, run `code`; the caller inspects t and calls r903_end. */
static inline void b_run(struct r903 *t, int year, const char *code, const char *const *tables)
{
        b_load(t, year, tables);
        r903_check(t, code);
}

static inline void b_expect(int year, const char *code, const char *table, const long *rows,
                            size_t n, const char *const *tables)
{
        struct r903 t;
        print_message("rule %s (%d): expecting %zu finding(s) in %s\n", code, year, n, table);
        b_run(&t, year, code, tables);
        r903_expect_rows(&t, table, rows, n);
        r903_end(&t);
}

static inline void b_none(int year, const char *code, const char *const *tables)
{
        struct r903 t;
        print_message("rule %s (%d): expecting no finding\n", code, year);
        b_run(&t, year, code, tables);
        r903_expect_none(&t);
        r903_end(&t);
}

/* Findings of the last run in `table`. */
static inline size_t b_count(const struct r903 *t, const char *table)
{
        size_t n = 0;
        for (size_t i = 0; i < t->res.n; i++)
                n += strcmp(t->res.f[i].table, table) == 0;
        return n;
}

static inline int b_has(const struct r903 *t, const char *table, long row)
{
        for (size_t i = 0; i < t->res.n; i++)
                if (t->res.f[i].row == row && strcmp(t->res.f[i].table, table) == 0)
                        return 1;
        return 0;
}

#define B_EXPECT(year, code, table, rows, tables) b_expect(year, code, table, rows, tables)
#define B_NONE(year, code, tables)                b_none(year, code, tables)

/*
 * Every code of a family table that needs no reference data beyond last year's tables, run
 * over odd data in every year it exists: it must return 0 and report real rows.
 */
static inline void b_run_all_odd(const struct rule_def *fam, const char *const *tables)
{
        for (int y = RULES_903_FIRST; y <= RULES_903_LAST; y++)
                for (const struct rule_def *d = fam; d->code; d++) {
                        if (!(d->years & RULES_Y(y)) ||
                            (d->needs &
                             ~(unsigned)(RULE_NEEDS_LAST_YEAR | RULE_NEEDS_BANK_HOLIDAYS)))
                                continue;
                        struct r903 t;
                        b_load(&t, y, tables);
                        r903_load(&t);
                        t.ctx.rule = d;
                        t.ctx.out = &t.res;
                        t.ctx.err = &t.e;
                        assert_int_equal(d->check(&t.ctx), 0);
                        for (size_t i = 0; i < t.res.n; i++) {
                                assert_non_null(t.res.f[i].table);
                                assert_true(t.res.f[i].row >= 0);
                        }
                        r903_end(&t);
                }
}

#endif
