/*
 * test_scorecard_pooling.c — regional and England comparators computed by
 * pooling the authorities in the store when nothing is published
 * (statistics.md §7, src/scorecard/scorecard_bench.c): the numerators and
 * the denominators are summed, and a rate per 10,000 divides by the summed
 * populations — never the mean of the authorities' values.
 *
 * THE DATA (collection year 2025, written straight into a fresh store):
 *   001 region R1: cla_rate_per_10k 50 / population 10,000 (50.0);
 *                  rereferrals_12m_pct 1 / 10 (10 %); adoption_a1_days_1yr 400 / 2 (200 days)
 *   002 region R1: 300 / 100,000 (30.0); 30 / 100 (30 %); 900 / 3 (300 days)
 *   003 region R2: 20 / 2,000 (100.0); 5 / 5 (100 %); 100 / 1 (100 days)
 *   004 region R1: published values only (no numerator or denominator),
 *                  which pooling cannot use and must leave out.
 * By hand:
 *   R1 rate    10000 × (50 + 300) / (10,000 + 100,000) = 3,500,000 / 110,000 = 31.818181…
 *              (the mean of the two rates would be 40);
 *   England    10000 × 370 / 112,000 = 33.035714…;
 *   R1 %       100 × 31 / 110 = 28.181818… (mean 20);  England 100 × 36 / 115 = 31.304347…;
 *   R1 days    1300 / 5 = 260 (mean 250);              England 1400 / 6 = 233.333…;
 *   R2         each figure is 003's own.
 */
#include "test.h"

#include "core/err.h"
#include "scorecard/scorecard.h"
#include "store/store.h"

#include <math.h>

#define assert_near(a, b)                                                                          \
        do {                                                                                       \
                double a_ = (a), b_ = (b);                                                         \
                if (!(fabs(a_ - b_) <= 1e-9 * (fabs(b_) + 1)))                                     \
                        fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);                        \
        } while (0)

static void put_la(struct store *s, const char *code, const char *region)
{
        struct err e = {0};
        struct store_authority a = {.name = code, .region_code = region, .region_name = region};
        snprintf(a.code, sizeof a.code, "%s", code);
        assert_int_equal(store_authority_put(s, &a, &e), 0);
}

static void put_value(struct store_measure_writer *w, const char *la, const char *measure,
                      const char *source, long num, long den, double scale)
{
        struct err e = {0};
        struct store_measure_value v = {
            .la = la,
            .measure = measure,
            .period = "year",
            .period_end = "2025-03-31",
            .year = 2025,
            .source = source,
            .note = "",
        };
        if (num >= 0) {
                v.has_numerator = v.has_denominator = true;
                v.numerator = num;
                v.denominator = den;
                v.value = scale * (double)num / (double)den;
        } else {
                v.value = 42.0; /* a published figure alone */
        }
        v.has_value = true;
        assert_int_equal(store_measure_put(w, &v, &e), 0);
}

struct got {
        const char *measure;
        double region, england;
        char region_source[16], england_source[16];
        int found;
};

static int keep(void *ctx, const struct store_measure_bench *b)
{
        struct got *g = ctx;
        if (strcmp(b->measure, g->measure) != 0)
                return 0;
        g->found = 1;
        g->region = b->has_region ? b->region : NAN;
        g->england = b->has_england ? b->england : NAN;
        snprintf(g->region_source, sizeof g->region_source, "%s", b->region_source);
        snprintf(g->england_source, sizeof g->england_source, "%s", b->england_source);
        return 0;
}

static void expect(struct store *s, const char *la, const char *measure, double region,
                   double england)
{
        struct err e = {0};
        struct got g = {.measure = measure};
        assert_int_equal(store_bench_each(s, la, 2025, measure, keep, &g, &e), 0);
        assert_true(g.found);
        assert_near(g.region, region);
        assert_near(g.england, england);
        assert_string_equal(g.region_source, "computed");
        assert_string_equal(g.england_source, "computed");
}

static void test_pooled_comparators(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char db[512];
        snprintf(db, sizeof db, "%s/p.db", dir);
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        put_la(s, "001", "R1");
        put_la(s, "002", "R1");
        put_la(s, "003", "R2");
        put_la(s, "004", "R1");
        assert_int_equal(store_begin(s, &e), 0);
        struct store_measure_writer *w;
        assert_int_equal(store_measure_writer_open(s, &w, &e), 0);
        /* Key order: la, period, period_end, measure. */
        static const struct {
                const char *la;
                long rate[2], pct[2], days[2];
        } rows[] = {
            {"001", {50, 10000}, {1, 10}, {400, 2}},
            {"002", {300, 100000}, {30, 100}, {900, 3}},
            {"003", {20, 2000}, {5, 5}, {100, 1}},
        };
        for (size_t i = 0; i < 3; i++) {
                put_value(w, rows[i].la, "adoption_a1_days_1yr", "903", rows[i].days[0],
                          rows[i].days[1], 1);
                put_value(w, rows[i].la, "cla_rate_per_10k", "903", rows[i].rate[0],
                          rows[i].rate[1], 10000);
                put_value(w, rows[i].la, "rereferrals_12m_pct", "cin", rows[i].pct[0],
                          rows[i].pct[1], 100);
        }
        put_value(w, "004", "adoption_a1_days_1yr", "published", -1, 0, 1);
        put_value(w, "004", "cla_rate_per_10k", "published", -1, 0, 1);
        put_value(w, "004", "rereferrals_12m_pct", "published", -1, 0, 1);
        store_measure_writer_close(w);
        assert_int_equal(store_measure_year_mark(s, 2025, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        assert_int_equal(scorecard_benchmarks(s, 1, NULL, &e), 0);

        double r1_rate = 10000.0 * 350 / 110000, en_rate = 10000.0 * 370 / 112000;
        double r1_pct = 100.0 * 31 / 110, en_pct = 100.0 * 36 / 115;
        double r1_days = 1300.0 / 5, en_days = 1400.0 / 6;
        for (int k = 0; k < 3; k++) {
                const char *la = k == 0 ? "001" : k == 1 ? "002" : "004";
                expect(s, la, "cla_rate_per_10k", r1_rate, en_rate);
                expect(s, la, "rereferrals_12m_pct", r1_pct, en_pct);
                expect(s, la, "adoption_a1_days_1yr", r1_days, en_days);
        }
        expect(s, "003", "cla_rate_per_10k", 100.0, en_rate);
        expect(s, "003", "rereferrals_12m_pct", 100.0, en_pct);
        expect(s, "003", "adoption_a1_days_1yr", 100.0, en_days);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pooled_comparators),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
