/*
 * test_scorecard_replace.c — store_measure_replace (store_sqlite_measures.c):
 * an authority's values of some sources from a year on become exactly the
 * new list, as a delete and a put of each would make them, while only the
 * rows that change are written.
 *
 * Stored before (authority 001; source, numerator):
 *   month 2024-04-30 m1  cin 1    (year 2025)  — given again unchanged
 *   year  2024-03-31 m1  cin 4    (year 2024)  — before from_year: kept
 *   year  2025-03-31 m0  cin 2                 — not given again: deleted
 *   year  2025-03-31 m1  cin 5                 — given with 6: rewritten
 *   year  2025-03-31 m2  903 7                 — another source: kept
 *   year  2025-03-31 m3  published (value 3)   — another source: kept
 * Given: the month row as stored, m1 with 6, and m4 (cin 9), new.
 * After: month m1 1, 2024 m1 4, 2025 m1 6, m2 7, m3 published, m4 9; two
 * rows written (m1, m4).  Given the same list again: nothing written.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"

#include <stdbool.h>

static struct store_measure_value val(const char *period, const char *end, const char *measure,
                                      const char *source, int year, long num)
{
        struct store_measure_value v = {
            .la = "001",
            .period = period,
            .period_end = end,
            .measure = measure,
            .year = year,
            .source = source,
            .note = "",
            .has_value = true,
        };
        if (num >= 0) {
                v.has_numerator = v.has_denominator = true;
                v.numerator = num;
                v.denominator = 10;
                v.value = 10.0 * (double)num;
        } else {
                v.value = 3;
        }
        return v;
}

struct seen {
        char text[1024];
};

static int show(void *ctx, const struct store_measure_value *v)
{
        struct seen *s = ctx;
        size_t n = strlen(s->text);
        snprintf(s->text + n, sizeof s->text - n, "%s %s %s %s %lld|", v->period, v->period_end,
                 v->measure, v->source, v->has_numerator ? (long long)v->numerator : -1LL);
        return 0;
}

static void test_replace_writes_changes_only(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char db[512];
        snprintf(db, sizeof db, "%s/r.db", dir);
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        struct store_authority a = {.code = "001", .name = "One"};
        assert_int_equal(store_authority_put(s, &a, &e), 0);

        const struct store_measure_value before[] = {
            val("month", "2024-04-30", "m1", "cin", 2025, 1),
            val("year", "2024-03-31", "m1", "cin", 2024, 4),
            val("year", "2025-03-31", "m0", "cin", 2025, 2),
            val("year", "2025-03-31", "m1", "cin", 2025, 5),
            val("year", "2025-03-31", "m2", "903", 2025, 7),
            val("year", "2025-03-31", "m3", "published", 2025, -1),
        };
        assert_int_equal(store_begin(s, &e), 0);
        struct store_measure_writer *w;
        assert_int_equal(store_measure_writer_open(s, &w, &e), 0);
        for (size_t i = 0; i < sizeof before / sizeof *before; i++)
                assert_int_equal(store_measure_put(w, &before[i], &e), 0);
        store_measure_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);

        const struct store_measure_value now[] = {
            val("month", "2024-04-30", "m1", "cin", 2025, 1),
            val("year", "2025-03-31", "m1", "cin", 2025, 6),
            val("year", "2025-03-31", "m4", "cin", 2025, 9),
        };
        const char *sources[] = {"cin", NULL};
        long written = -1;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_replace(s, "001", sources, 2025, now, 3, &written, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(written, 2);

        struct seen got = {{0}};
        assert_int_equal(store_measure_each(s, "001", NULL, 0, NULL, show, &got, &e), 0);
        assert_string_equal(got.text, "month 2024-04-30 m1 cin 1|"
                                      "year 2024-03-31 m1 cin 4|"
                                      "year 2025-03-31 m1 cin 6|"
                                      "year 2025-03-31 m2 903 7|"
                                      "year 2025-03-31 m3 published -1|"
                                      "year 2025-03-31 m4 cin 9|");

        /* The same list again: nothing to write, nothing changed. */
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_replace(s, "001", sources, 2025, now, 3, &written, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(written, 0);
        struct seen again = {{0}};
        assert_int_equal(store_measure_each(s, "001", NULL, 0, NULL, show, &again, &e), 0);
        assert_string_equal(again.text, got.text);

        /* A note or a flag that changes is a change. */
        struct store_measure_value noted[3];
        memcpy(noted, now, sizeof noted);
        noted[0].note = "incomplete look-back";
        noted[2].small_base = true;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_replace(s, "001", sources, 2025, noted, 3, &written, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(written, 2);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_replace_writes_changes_only),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
