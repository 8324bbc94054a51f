/*
 * test_benchmark.c — medians, quartile bands, ranks and polarity
 * (src/stats/benchmark.c) against statistics.md §7 (E7.1) and cases worked
 * by hand in the comments.
 */
#include "test.h"

#include "stats/benchmark.h"

#include <math.h>

#define NA NAN

static void assert_near(double got, double want)
{
        if (fabs(got - want) > 1e-9)
                print_error("got %.12g, want %.12g\n", got, want);
        assert_true(fabs(got - want) <= 1e-9);
}

/* E7.1: 12 LAs. Sorted: 33 38 41 45 48 49 52 55 57 61 66 70. */
static const double e71[12] = {45, 52, 38, 61, 57, 49, 70, 33, 55, 48, 66, 41};

static void test_e71_quartiles_bands_rank(void **state)
{
        (void)state;
        struct bench_quartiles q;
        bench_quartiles(e71, 12, &q);
        assert_int_equal(q.n, 12);
        /* h = 11·0.25 + 1 = 3.75: 41 + 0.75·(45 − 41) = 44 */
        assert_near(q.q1, 44.0);
        assert_near(q.q2, 50.5);
        assert_near(q.q3, 58.0);
        assert_int_equal(bench_band(61, &q, BENCH_HIGHER_BETTER), 1);
        assert_int_equal(bench_band(49, &q, BENCH_HIGHER_BETTER), 3);
        assert_int_equal(bench_band(44, &q, BENCH_HIGHER_BETTER), 3); /* = Q1 counts up */
        assert_int_equal(bench_band(41, &q, BENCH_HIGHER_BETTER), 4);
        assert_int_equal(bench_band(58, &q, BENCH_HIGHER_BETTER), 1);   /* = Q3 */
        assert_int_equal(bench_band(50.5, &q, BENCH_HIGHER_BETTER), 2); /* = median */
        assert_int_equal(bench_band(57.9, &q, BENCH_HIGHER_BETTER), 2);
        size_t ranked;
        /* 66 and 70 are better than 61 */
        assert_int_equal(bench_rank(61, e71, 12, BENCH_HIGHER_BETTER, &ranked), 3);
        assert_int_equal(ranked, 12);
        assert_int_equal(bench_rank(70, e71, 12, BENCH_HIGHER_BETTER, &ranked), 1);
        assert_int_equal(bench_rank(33, e71, 12, BENCH_HIGHER_BETTER, &ranked), 12);
}

static void test_lower_better_and_neutral_bands(void **state)
{
        (void)state;
        struct bench_quartiles q;
        bench_quartiles(e71, 12, &q);
        /* lower is better: 1 if <= 44, 2 if <= 50.5, 3 if <= 58, else 4 */
        assert_int_equal(bench_band(41, &q, BENCH_LOWER_BETTER), 1);
        assert_int_equal(bench_band(44, &q, BENCH_LOWER_BETTER), 1);
        assert_int_equal(bench_band(45, &q, BENCH_LOWER_BETTER), 2);
        assert_int_equal(bench_band(50.5, &q, BENCH_LOWER_BETTER), 2);
        assert_int_equal(bench_band(58, &q, BENCH_LOWER_BETTER), 3);
        assert_int_equal(bench_band(61, &q, BENCH_LOWER_BETTER), 4);
        /* neutral: numbered from the lowest values, the same cut rule */
        assert_int_equal(bench_band(33, &q, BENCH_NEUTRAL), 1);
        assert_int_equal(bench_band(70, &q, BENCH_NEUTRAL), 4);
        size_t ranked;
        assert_int_equal(bench_rank(33, e71, 12, BENCH_LOWER_BETTER, &ranked), 1);
        assert_int_equal(bench_rank(61, e71, 12, BENCH_LOWER_BETTER, &ranked), 10);
        assert_int_equal(bench_rank(33, e71, 12, BENCH_NEUTRAL, &ranked), 1);
        assert_int_equal(bench_rank(70, e71, 12, BENCH_NEUTRAL, &ranked), 12);
        /* missing values get no band and no rank */
        assert_int_equal(bench_band(NA, &q, BENCH_HIGHER_BETTER), 0);
        assert_int_equal(bench_rank(NA, e71, 12, BENCH_HIGHER_BETTER, &ranked), 0);
        struct bench_quartiles none;
        bench_quartiles(NULL, 0, &none);
        assert_int_equal(none.n, 0);
        assert_true(isnan(none.q1) && isnan(none.q2) && isnan(none.q3));
        assert_int_equal(bench_band(5, &none, BENCH_HIGHER_BETTER), 0);
}

static void test_ranks_ties_and_missing(void **state)
{
        (void)state;
        /* competition ranking "1, 2, 2, 4" */
        const double v[] = {10, 20, NA, 20, 30};
        size_t ranked;
        assert_int_equal(bench_rank(30, v, 5, BENCH_HIGHER_BETTER, &ranked), 1);
        assert_int_equal(ranked, 4); /* the NaN is not ranked */
        assert_int_equal(bench_rank(20, v, 5, BENCH_HIGHER_BETTER, &ranked), 2);
        assert_int_equal(bench_rank(10, v, 5, BENCH_HIGHER_BETTER, &ranked), 4);
        assert_int_equal(bench_rank(10, v, 5, BENCH_LOWER_BETTER, &ranked), 1);
        assert_int_equal(bench_rank(20, v, 5, BENCH_LOWER_BETTER, &ranked), 2);
        assert_int_equal(bench_rank(30, v, 5, BENCH_LOWER_BETTER, &ranked), 4);
        /* all tied: everyone is first */
        const double same[] = {7, 7, 7};
        assert_int_equal(bench_rank(7, same, 3, BENCH_HIGHER_BETTER, &ranked), 1);
        assert_int_equal(ranked, 3);
        /* ties on a cut point: 1 2 2 2 3 — Q1 = Q2 = 2 (h = 2 and 3), Q3 = 2 */
        const double t[] = {1, 2, 2, 2, 3};
        struct bench_quartiles q;
        bench_quartiles(t, 5, &q);
        assert_near(q.q1, 2);
        assert_near(q.q2, 2);
        assert_near(q.q3, 2);
        assert_int_equal(bench_band(2, &q, BENCH_HIGHER_BETTER), 1);
        assert_int_equal(bench_band(1, &q, BENCH_HIGHER_BETTER), 4);
        assert_int_equal(bench_band(2, &q, BENCH_LOWER_BETTER), 1);
        assert_int_equal(bench_band(3, &q, BENCH_LOWER_BETTER), 4);
}

static void test_quantiles_by_hand(void **state)
{
        (void)state;
        const double one[] = {42};
        assert_near(bench_quantile_sorted(one, 1, 0.25), 42);
        assert_near(bench_quantile_sorted(one, 1, 0.75), 42);
        /* n = 2 {1, 3}: h = 1.25 -> 1 + 0.25·2 = 1.5; median 2; Q3 2.5 */
        const double two[] = {1, 3};
        assert_near(bench_quantile_sorted(two, 2, 0.25), 1.5);
        assert_near(bench_quantile_sorted(two, 2, 0.5), 2);
        assert_near(bench_quantile_sorted(two, 2, 0.75), 2.5);
        assert_near(bench_quantile_sorted(two, 2, 0), 1);
        assert_near(bench_quantile_sorted(two, 2, 1), 3);
        assert_true(isnan(bench_quantile_sorted(NULL, 0, 0.5)));
        /* 1..1000 (more than the stack copy holds): Q1 = 1 + 999·0.25 = 250.75 */
        double *many = malloc(1000 * sizeof *many);
        assert_non_null(many);
        for (int i = 0; i < 1000; i++)
                many[i] = 1000 - i; /* unsorted on purpose */
        struct bench_quartiles q;
        bench_quartiles(many, 1000, &q);
        assert_near(q.q1, 250.75);
        assert_near(q.q2, 500.5);
        assert_near(q.q3, 750.25);
        size_t used;
        assert_near(bench_median(many, 1000, &used), 500.5);
        assert_int_equal(used, 1000);
        free(many);
}

static void test_neighbours_median(void **state)
{
        (void)state;
        /* E7.1: 52 61 57 49 70 55 48 66 41 45 -> sorted 41 45 48 49 52 | 55 … -> 53.5 */
        double sn[10] = {52, 61, 57, 49, 70, 55, 48, 66, 41, 45};
        struct bench_neighbours b;
        bench_neighbours(sn, 10, &b);
        assert_near(b.median, 53.5);
        assert_int_equal(b.used, 10);
        assert_false(b.few);
        /* the last one suppressed: median of 9 = 55 */
        sn[9] = NA;
        bench_neighbours(sn, 10, &b);
        assert_near(b.median, 55);
        assert_int_equal(b.used, 9);
        /* all neighbours suppressed: no median, used 0, flagged */
        const double none[10] = {NA, NA, NA, NA, NA, NA, NA, NA, NA, NA};
        bench_neighbours(none, 10, &b);
        assert_true(isnan(b.median));
        assert_int_equal(b.used, 0);
        assert_true(b.few);
        /* four with values: median 2.5 with a warning; five: no warning */
        const double four[10] = {4, NA, 1, NA, 3, NA, 2, NA, NA, NA};
        bench_neighbours(four, 10, &b);
        assert_near(b.median, 2.5);
        assert_int_equal(b.used, 4);
        assert_true(b.few);
        const double five[10] = {4, NA, 1, NA, 3, NA, 2, 9, NA, NA};
        bench_neighbours(five, 10, &b);
        assert_near(b.median, 3);
        assert_false(b.few);
}

static void test_favourable_and_pooled(void **state)
{
        (void)state;
        assert_int_equal(bench_favourable(60, 53.5, BENCH_HIGHER_BETTER), 1);
        assert_int_equal(bench_favourable(50, 53.5, BENCH_HIGHER_BETTER), -1);
        assert_int_equal(bench_favourable(60, 53.5, BENCH_LOWER_BETTER), -1);
        assert_int_equal(bench_favourable(50, 53.5, BENCH_LOWER_BETTER), 1);
        /* equal counts as neither; neutral is never good or bad, only above/below */
        assert_int_equal(bench_favourable(53.5, 53.5, BENCH_HIGHER_BETTER), 0);
        assert_int_equal(bench_favourable(60, 53.5, BENCH_NEUTRAL), 0);
        assert_int_equal(bench_direction(60, 53.5), 1);
        assert_int_equal(bench_direction(50, 53.5), -1);
        assert_int_equal(bench_direction(53.5, 53.5), 0);
        assert_int_equal(bench_direction(NA, 53.5), 0);
        assert_int_equal(bench_favourable(60, NA, BENCH_HIGHER_BETTER), 0);

        /* pooled: (10 + 20) / (100 + 300) × 100 = 7.5; the pair with a NaN is left out */
        const double num[] = {10, 20, NA, 5};
        const double den[] = {100, 300, 50, NA};
        size_t used;
        assert_near(bench_pooled(num, den, 4, 100, &used), 7.5);
        assert_int_equal(used, 2);
        /* a rate per 10,000: 402,400 / 12,183,016 × 10,000 = 330.295… (measures.md §1) */
        const double n2[] = {402400}, d2[] = {12183016};
        assert_near(bench_pooled(n2, d2, 1, 10000, &used), 4024000000.0 / 12183016.0);
        const double zero[] = {0};
        assert_true(isnan(bench_pooled(zero, zero, 1, 100, &used)));
        assert_true(isnan(bench_pooled(NULL, NULL, 0, 100, &used)));
        assert_int_equal(used, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_e71_quartiles_bands_rank),
            cmocka_unit_test(test_lower_better_and_neutral_bands),
            cmocka_unit_test(test_ranks_ties_and_missing),
            cmocka_unit_test(test_quantiles_by_hand),
            cmocka_unit_test(test_neighbours_median),
            cmocka_unit_test(test_favourable_and_pooled),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
