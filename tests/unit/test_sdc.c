/*
 * test_sdc.c — statistical disclosure control (src/stats/sdc.c) against
 * statistics.md §8: E8.1, the §8.3 rounding examples, and cases worked by
 * hand in the comments.
 */
#include "test.h"

#include "stats/sdc.h"

#include <math.h>

enum { S = SDC_SHOWN, P = SDC_PRIMARY, X = SDC_SECONDARY, L = SDC_LOW };

static void test_primary_counts(void **state)
{
        (void)state;
        struct sdc_options o;
        sdc_options_default(&o);
        assert_int_equal(o.threshold, 6);
        assert_true(o.den_threshold == 10);
        assert_false(sdc_count_suppressed(0, &o)); /* zero is published */
        for (int c = 1; c <= 5; c++)
                assert_true(sdc_count_suppressed(c, &o));
        assert_false(sdc_count_suppressed(6, &o));
        assert_false(sdc_count_suppressed(1000, &o));
        assert_false(sdc_count_suppressed(NAN, &o));
        o.suppress_zero = 1;
        assert_true(sdc_count_suppressed(0, &o));
        o.suppress_zero = 0;
        o.threshold = 10; /* a common alternative: 1–9 */
        assert_true(sdc_count_suppressed(9, &o));
        assert_false(sdc_count_suppressed(10, &o));
}

static void test_primary_ratios(void **state)
{
        (void)state;
        struct sdc_options o;
        sdc_options_default(&o);
        /* 3 of 50: the numerator is a small count */
        assert_true(sdc_ratio_suppressed(3, 50, 1, &o));
        /* 30 of 4: the denominator is a small count */
        assert_true(sdc_ratio_suppressed(30, 4, 1, &o));
        /* 7 of 8: neither count is small, but the denominator is below T_den = 10 */
        assert_true(sdc_ratio_suppressed(7, 8, 1, &o));
        assert_false(sdc_ratio_suppressed(7, 10, 1, &o));
        assert_false(sdc_ratio_suppressed(0, 100, 1, &o)); /* 0% is published */
        /* a rate per 10,000: the population is the denominator and is never small */
        assert_false(sdc_ratio_suppressed(50, 35276, 1, &o));
        assert_true(sdc_ratio_suppressed(5, 35276, 1, &o));
        /* an average: the numerator is a sum of scores, not a count; n = 20 is fine */
        assert_false(sdc_ratio_suppressed(3.5, 20, 0, &o));
        assert_true(sdc_ratio_suppressed(300, 4, 0, &o));
}

static void test_rounding(void **state)
{
        (void)state;
        /* §8.3 examples, b = 5 and b = 10 */
        assert_int_equal(sdc_round_count(2, 5), 0);
        assert_int_equal(sdc_round_count(3, 5), 5);
        assert_int_equal(sdc_round_count(7, 5), 5);
        assert_int_equal(sdc_round_count(8, 5), 10);
        assert_int_equal(sdc_round_count(12, 5), 10);
        assert_int_equal(sdc_round_count(13, 5), 15);
        assert_int_equal(sdc_round_count(15, 10), 20);
        assert_int_equal(sdc_round_count(14, 10), 10);
        assert_int_equal(sdc_round_count(25, 10), 30); /* halves upward */
        assert_int_equal(sdc_round_count(0, 5), 0);
        assert_int_equal(sdc_round_count(-3, 5), -5);
        assert_int_equal(sdc_round_count(17, 0), 17);
        assert_int_equal(sdc_round_count(17, 1), 17);

        /* half-up to 1 dp, decimal halves included (18.25 is 18.2499… in binary) */
        assert_true(sdc_round_half_up(18.25, 1) == 18.3);
        assert_true(sdc_round_half_up(100.0 * 73 / 400, 1) == 18.3);
        assert_true(sdc_round_half_up(18.24, 1) == 18.2);
        assert_true(sdc_round_half_up(-18.25, 1) == -18.3);
        assert_true(sdc_round_half_up(2.5, 0) == 3);
        assert_true(sdc_round_half_up(0.5, 0) == 1);
        assert_true(sdc_round_half_up(0.49, 0) == 0);
        assert_true(sdc_round_half_up(1.005, 2) == 1.01);
        assert_true(sdc_round_half_up(100.0 / 3, 1) == 33.3);
        assert_true(sdc_round_half_up(4024000000.0 / 12183016, 1) == 330.3);
        assert_true(sdc_round_half_up(1e12 + 0.4, 0) == 1e12);
        assert_true(isnan(sdc_round_half_up(NAN, 1)));
}

static void assert_statuses(const enum sdc_status *got, const int *want, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if ((int)got[i] != want[i])
                        print_error("cell %zu: got %d, want %d\n", i, got[i], want[i]);
                assert_int_equal(got[i], want[i]);
        }
}

/* E8.1: R1 = (23, 4, 11), R2 = (15, 17, 9), R3 = (12, 14, 30), T = 6. */
static void test_e81(void **state)
{
        (void)state;
        const long cells[9] = {23, 4, 11, 15, 17, 9, 12, 14, 30};
        enum sdc_status st[9], rt[3], ct[3];
        long shown[9];
        struct sdc_options o;
        sdc_options_default(&o);
        sdc_table(cells, 3, 3, &o, st, rt, ct, shown);
        /* final: R1B (primary), R1C, R2A, R2C, R3A, R3B (secondary); R1A, R2B, R3C shown */
        const int want[9] = {S, P, X, X, S, X, X, X, S};
        assert_statuses(st, want, 9);
        const int totals[3] = {S, S, S};
        assert_statuses(rt, totals, 3);
        assert_statuses(ct, totals, 3);
        assert_int_equal(shown[0], 23);
        assert_int_equal(shown[4], 17);
        assert_int_equal(shown[8], 30);
        /* the same table rounded to 5 after suppression (§8.4): 23 -> 25, 17 -> 15, 30 -> 30 */
        o.round_base = 5;
        sdc_table(cells, 3, 3, &o, st, rt, ct, shown);
        assert_statuses(st, want, 9);
        assert_int_equal(shown[0], 25);
        assert_int_equal(shown[4], 15);
        assert_int_equal(shown[8], 30);
        char buf[16];
        assert_string_equal(sdc_format(st[1], shown[1], buf, sizeof buf), "c");
        assert_string_equal(sdc_format(st[2], shown[2], buf, sizeof buf), "c");
        assert_string_equal(sdc_format(st[0], shown[0], buf, sizeof buf), "25");
}

static void test_secondary_totals(void **state)
{
        (void)state;
        struct sdc_options o;
        sdc_options_default(&o);
        /*
         * (3, 0 / 0, 0): row 1 and column A each have one suppressed cell and no
         * non-zero cell to add, so their totals are suppressed instead.
         */
        const long cells[4] = {3, 0, 0, 0};
        enum sdc_status st[4], rt[2], ct[2];
        sdc_table(cells, 2, 2, &o, st, rt, ct, NULL);
        const int want[4] = {P, S, S, S};
        assert_statuses(st, want, 4);
        const int wrt[2] = {X, S}, wct[2] = {X, S};
        assert_statuses(rt, wrt, 2);
        assert_statuses(ct, wct, 2);
        /* a table with nothing small is left alone */
        const long big[4] = {10, 20, 30, 40};
        sdc_table(big, 2, 2, &o, st, rt, ct, NULL);
        const int none[4] = {S, S, S, S};
        assert_statuses(st, none, 4);
        assert_statuses(rt, none, 2);
        assert_statuses(ct, none, 2);
}

static void test_line(void **state)
{
        (void)state;
        struct sdc_options o;
        sdc_options_default(&o);
        enum sdc_status st[4], total;
        long shown[4];
        /* one small cell: the smallest other non-zero cell goes too */
        const long a[3] = {3, 40, 50};
        sdc_line(a, 3, &o, st, &total, shown);
        const int wa[3] = {P, X, S};
        assert_statuses(st, wa, 3);
        assert_int_equal(total, S);
        /* zeros are skipped when choosing */
        const long b[3] = {4, 0, 30};
        sdc_line(b, 3, &o, st, &total, shown);
        const int wb[3] = {P, S, X};
        assert_statuses(st, wb, 3);
        /* nothing else non-zero: the total is suppressed */
        const long c[3] = {3, 0, 0};
        sdc_line(c, 3, &o, st, &total, shown);
        const int wc[3] = {P, S, S};
        assert_statuses(st, wc, 3);
        assert_int_equal(total, X);
        /* two small cells already protect each other */
        const long d[3] = {2, 3, 40};
        sdc_line(d, 3, &o, st, &total, shown);
        const int wd[3] = {P, P, S};
        assert_statuses(st, wd, 3);
        assert_int_equal(total, S);
        /* ties: the first in scan order */
        const long t[4] = {20, 4, 20, 25};
        sdc_line(t, 4, &o, st, &total, shown);
        const int wt[4] = {X, P, S, S};
        assert_statuses(st, wt, 4);
        /* suppress_zero: a zero is primary, and needs a partner */
        o.suppress_zero = 1;
        const long z[3] = {0, 10, 12};
        sdc_line(z, 3, &o, st, &total, shown);
        const int wz[3] = {P, X, S};
        assert_statuses(st, wz, 3);
        /* rounding only (T = 1 suppresses nothing): a positive count rounding to 0 is "low" */
        sdc_options_default(&o);
        o.threshold = 1;
        o.round_base = 5;
        const long r[4] = {2, 0, 13, 7};
        sdc_line(r, 4, &o, st, &total, shown);
        const int wr[4] = {L, S, S, S};
        assert_statuses(st, wr, 4);
        assert_int_equal(shown[1], 0);
        assert_int_equal(shown[2], 15);
        assert_int_equal(shown[3], 5);
        char buf[16];
        assert_string_equal(sdc_format(st[0], shown[0], buf, sizeof buf), "low");
        assert_string_equal(sdc_format(st[1], shown[1], buf, sizeof buf), "0");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_primary_counts),   cmocka_unit_test(test_primary_ratios),
            cmocka_unit_test(test_rounding),         cmocka_unit_test(test_e81),
            cmocka_unit_test(test_secondary_totals), cmocka_unit_test(test_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
