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
 *
 * A replace keeps a digest of the rows it made (measure_value_sums) and
 * skips the work when the next list has the same digest; any other write to
 * the authority's values, here by another connection as the sqlite3 shell
 * would make it, must drop it, so that the next replace puts the rows back.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"

#include <sqlite3.h>
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

/* Run sql on its own connection to the file (not through the store). */
static void raw(const char *db, const char *sql)
{
        sqlite3 *h = NULL;
        assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
        char *msg = NULL;
        int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK)
                fail_msg("%s: %s", sql, msg ? msg : "?");
        sqlite3_close(h);
}

static long raw_count(const char *db, const char *sql)
{
        sqlite3 *h = NULL;
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long n = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
        return n;
}

static long replace(struct store *s, const struct store_measure_value *v, size_t n)
{
        const char *sources[] = {"cin", NULL};
        struct err e = {0};
        long written = -1;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_replace(s, "001", sources, 2025, v, n, &written, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        return written;
}

static void listing(struct store *s, struct seen *out)
{
        struct err e = {0};
        out->text[0] = '\0';
        assert_int_equal(store_measure_each(s, "001", NULL, 0, NULL, show, out, &e), 0);
}

static void test_digest_follows_other_writes(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char db[512];
        snprintf(db, sizeof db, "%s/d.db", dir);
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        struct store_authority a = {.code = "001", .name = "One"};
        assert_int_equal(store_authority_put(s, &a, &e), 0);
        const struct store_measure_value now[] = {
            val("year", "2025-03-31", "m1", "cin", 2025, 6),
            val("year", "2025-03-31", "m4", "cin", 2025, 9),
        };
        const char *sums = "SELECT count(*) FROM measure_value_sums WHERE la = '001'";
        assert_int_equal(replace(s, now, 2), 2);
        assert_int_equal(raw_count(db, sums), 1);
        struct seen want;
        listing(s, &want);
        assert_string_equal(want.text, "year 2025-03-31 m1 cin 6|year 2025-03-31 m4 cin 9|");
        assert_int_equal(replace(s, now, 2), 0); /* same digest: nothing to do */
        assert_int_equal(raw_count(db, sums), 1);

        /* Changed, deleted and added behind the store's back: each is undone. */
        static const char *const edits[] = {
            "UPDATE measure_values SET numerator = 99 WHERE measure = 'm1'",
            "UPDATE measure_values SET note = 'edited' WHERE measure = 'm4'",
            "DELETE FROM measure_values WHERE measure = 'm4'",
            "DELETE FROM measure_values",
            "INSERT INTO measure_values (la, period, period_end, measure, year, source) "
            "VALUES ('001', 'year', '2025-03-31', 'm9', 2025, 'cin')",
            "INSERT OR REPLACE INTO measure_values (la, period, period_end, measure, year, "
            "source, numerator) VALUES ('001', 'year', '2025-03-31', 'm1', 2025, 'cin', 7)",
        };
        for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
                raw(db, edits[i]);
                assert_int_equal(raw_count(db, sums), 0);
                replace(s, now, 2);
                struct seen got;
                listing(s, &got);
                assert_string_equal(got.text, want.text);
                assert_int_equal(raw_count(db, sums), 1);
                assert_int_equal(replace(s, now, 2), 0);
        }

        /* Another authority's values leave 001's digest alone. */
        raw(db, "INSERT INTO measure_values (la, period, period_end, measure, year, source) "
                "VALUES ('002', 'year', '2025-03-31', 'm1', 2025, 'cin')");
        assert_int_equal(raw_count(db, sums), 1);

        /* A value put through the store (a published one) drops it too. */
        struct store_measure_value pub = val("year", "2025-03-31", "m5", "published", 2025, -1);
        assert_int_equal(store_begin(s, &e), 0);
        struct store_measure_writer *w;
        assert_int_equal(store_measure_writer_open(s, &w, &e), 0);
        assert_int_equal(store_measure_put(w, &pub, &e), 0);
        store_measure_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(raw_count(db, sums), 0);

        /* A list of another first year is not compared with this digest. */
        assert_int_equal(replace(s, now, 2), 0);
        assert_int_equal(raw_count(db, sums), 1);
        const char *sources[] = {"cin", NULL};
        long written = -1;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_replace(s, "001", sources, 2024, now, 2, &written, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(written, 0);
        assert_int_equal(raw_count(db, "SELECT from_year FROM measure_value_sums WHERE la = '001' "
                                       "AND sources = 'cin'"),
                         2024);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_replace_writes_changes_only),
            cmocka_unit_test(test_digest_follows_other_writes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
