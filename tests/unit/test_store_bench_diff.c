/*
 * test_store_bench_diff.c — a year's benchmarks written by difference
 * (store_bench_writer_year / _year_end, store.h): a row put again unchanged
 * writes nothing, a changed row is rewritten, a new one inserted, a row not
 * put again deleted, and other years are left alone.  "Writes nothing" is
 * read from SQLite's own count of changed rows on the connection.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"
#include "store/store_sqlite.h"

#include <sqlite3.h>
#include <string.h>

struct seen {
        struct store_measure_bench b[8];
        char la[8][4], measure[8][32], note[8][32];
        int n;
};

static int keep(void *ctx, const struct store_measure_bench *b)
{
        struct seen *s = ctx;
        assert_true(s->n < 8);
        int i = s->n++;
        s->b[i] = *b;
        snprintf(s->la[i], sizeof s->la[i], "%s", b->la);
        snprintf(s->measure[i], sizeof s->measure[i], "%s", b->measure);
        snprintf(s->note[i], sizeof s->note[i], "%s", b->note);
        return 0;
}

static struct store_measure_bench row(const char *la, int year, const char *measure, double sn,
                                      int quartile, const char *note)
{
        return (struct store_measure_bench){.la = la,
                                            .year = year,
                                            .measure = measure,
                                            .has_sn_median = 1,
                                            .sn_median = sn,
                                            .sn_used = 10,
                                            .region_code = "E12000001",
                                            .region_source = "computed",
                                            .england_source = "published",
                                            .quartile = quartile,
                                            .rank = quartile > 0 ? 3 : 0,
                                            .ranked = quartile > 0 ? 40 : 0,
                                            .versus = 1,
                                            .note = note};
}

/* Write `rows` for `year` by difference in one transaction; the rows SQLite changed. */
static int64_t write_year(struct store *s, int year, const struct store_measure_bench *rows, int n)
{
        struct err e = {0};
        int64_t before = sqlite3_total_changes64(s->db);
        assert_int_equal(store_begin(s, &e), 0);
        struct store_bench_writer *w;
        assert_int_equal(store_bench_writer_open(s, &w, &e), 0);
        assert_int_equal(store_bench_writer_year(w, year, &e), 0);
        for (int i = 0; i < n; i++)
                assert_int_equal(store_bench_put(w, &rows[i], &e), 0);
        assert_int_equal(store_bench_writer_year_end(w, &e), 0);
        store_bench_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);
        /* The commit's own bookkeeping (the content generation) is one row when anything
         * changed; count only the benchmark rows. */
        int64_t changed = sqlite3_total_changes64(s->db) - before;
        return changed > 0 ? changed - 1 : 0;
}

static void test_by_difference(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/b.db", dir);
        struct err e = {0};
        struct store *s = store_open(path, STORE_CREATE, &e);
        assert_non_null(s);

        struct store_measure_bench first[] = {
            row("901", 2025, "cin_rate_per_10k", 330.5, 2, ""),
            row("901", 2025, "rereferrals_12m_pct", 21.25, 0, "England published"),
            row("902", 2025, "cin_rate_per_10k", 301.0, 3, ""),
        };
        struct store_measure_bench other = row("901", 2024, "cin_rate_per_10k", 1.0, 1, "");
        /* Nothing stored yet: every row is inserted (and the other year's row too). */
        assert_int_equal(write_year(s, 2025, first, 3), 3);
        assert_int_equal(write_year(s, 2024, &other, 1), 1);

        /* The same rows again: nothing written.  A band of 0 is stored as NULL and reads back
         * as 0, which is the same row. */
        assert_int_equal(write_year(s, 2025, first, 3), 0);

        /* One changed (by the last bit of its median), one new, one not put again. */
        struct store_measure_bench second[] = {
            row("901", 2025, "cin_rate_per_10k", 330.5, 2, ""),
            row("902", 2025, "cin_rate_per_10k", 301.00000000000006, 3, ""),
            row("903", 2025, "cin_rate_per_10k", 250.0, 4, "new"),
        };
        /* 902 replaced (INSERT OR REPLACE: a delete and an insert), 903 inserted, 901's
         * rereferrals deleted. */
        int64_t changed = write_year(s, 2025, second, 3);
        assert_true(changed >= 3);

        struct seen got = {0};
        assert_int_equal(store_bench_each(s, NULL, 2025, NULL, keep, &got, &e), 0);
        assert_int_equal(got.n, 3);
        assert_string_equal(got.la[0], "901");
        assert_string_equal(got.measure[0], "cin_rate_per_10k");
        assert_string_equal(got.la[1], "902");
        assert_true(got.b[1].sn_median == 301.00000000000006);
        assert_string_equal(got.la[2], "903");
        assert_string_equal(got.note[2], "new");
        assert_int_equal(got.b[2].quartile, 4);

        /* The other year was not touched. */
        struct seen old = {0};
        assert_int_equal(store_bench_each(s, NULL, 2024, NULL, keep, &old, &e), 0);
        assert_int_equal(old.n, 1);
        assert_true(old.b[0].sn_median == 1.0);

        /* And the second set again writes nothing. */
        assert_int_equal(write_year(s, 2025, second, 3), 0);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_by_difference),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
