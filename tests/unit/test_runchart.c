/*
 * test_runchart.c — run charts and the Anhøj rules (src/stats/runchart.c)
 * against statistics.md §2.1: the worked example E2.1, the worked thresholds
 * as literals, and the full table for n = 1..200 from ../shared (skipped with
 * a message when absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "stats/runchart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N(a)  (sizeof(a) / sizeof *(a))
#define TABLE "../shared/data/stats/anhoej_critical_values_n1_200.csv"

static void compute(const double *y, size_t n, const struct runchart_options *o,
                    struct runchart *rc)
{
        struct err e;
        err_clear(&e);
        if (runchart_compute(y, n, o, rc, &e) != 0)
                fail_msg("runchart_compute failed: %s", e.msg);
}

static void e2_1(void **state)
{
        (void)state;
        const double y[] = {5, 7, 6, 8, 9, 9, 4, 10, 11, 12, 12, 13, 12, 14, 15, 14};
        struct runchart_options o;
        runchart_options_init(&o);
        struct runchart rc;
        compute(y, N(y), &o, &rc);
        assert_int_equal(rc.n_parts, 1);
        const struct runchart_part *p = &rc.parts[0];
        assert_true(p->centre == 10.5);
        assert_int_equal(p->n_useful, 16);
        assert_int_equal(p->longest_run, 8);
        assert_int_equal(p->crossings, 1);
        assert_true(p->has_thresholds);
        assert_int_equal(p->longest_run_max, 7);
        assert_int_equal(p->crossings_min, 4);
        assert_true(p->runs_signal);
        assert_true(p->crossings_signal);
        assert_true(p->signal);
        for (size_t i = 0; i < N(y); i++) {
                assert_int_equal(rc.side[i], i < 8 ? -1 : 1);
                assert_int_equal(rc.long_run[i], 1); /* both runs of 8 are longer than 7 */
        }
        runchart_release(&rc);
}

static void worked_thresholds(void **state)
{
        (void)state;
        static const int table[][3] = {{10, 6, 2},    {12, 7, 3},  {20, 7, 6},
                                       {24, 8, 8},    {30, 8, 10}, {50, 9, 19},
                                       {100, 10, 41}, {1, 3, 0},   {16, 7, 4}};
        for (size_t i = 0; i < N(table); i++) {
                assert_int_equal(runchart_longest_run_max((size_t)table[i][0]), table[i][1]);
                assert_int_equal(runchart_crossings_min((size_t)table[i][0]), table[i][2]);
        }
}

static void shared_table(void **state)
{
        (void)state;
        FILE *f = fopen(TABLE, "r");
        if (!f) {
                print_message("SKIP: %s is absent (the shared reference data is not checked "
                              "out next to the repository)\n",
                              TABLE);
                skip();
                return;
        }
        char header[128];
        assert_non_null(fgets(header, sizeof header, f));
        assert_string_equal(header, "n_useful,longest_run_max,n_crossings_min\n");
        int n, run_max, cross_min, rows = 0;
        while (fscanf(f, "%d,%d,%d\n", &n, &run_max, &cross_min) == 3) {
                rows++;
                assert_int_equal(n, rows);
                if (runchart_longest_run_max((size_t)n) != run_max ||
                    runchart_crossings_min((size_t)n) != cross_min)
                        fail_msg("n = %d: got %d, %d; want %d, %d", n,
                                 runchart_longest_run_max((size_t)n),
                                 runchart_crossings_min((size_t)n), run_max, cross_min);
        }
        fclose(f);
        assert_int_equal(rows, 200);
}

static void median_and_useful(void **state)
{
        (void)state;
        double v[] = {4, 1, 3, 2};
        assert_true(runchart_median(v, 4) == 2.5);
        double w[] = {9, 1, 5};
        assert_true(runchart_median(w, 3) == 5);

        /* Points on the median and missing points are not useful. */
        const double y[] = {1, 2, 3, NAN, 2, 5};
        struct runchart_options o;
        runchart_options_init(&o);
        struct runchart rc;
        compute(y, N(y), &o, &rc);
        assert_true(rc.parts[0].centre == 2);
        assert_int_equal(rc.parts[0].n_baseline, 5);
        assert_int_equal(rc.parts[0].n_useful, 3); /* 1, 3, 5 */
        assert_int_equal(rc.parts[0].longest_run, 2);
        assert_int_equal(rc.parts[0].crossings, 1);
        assert_int_equal(rc.side[1], 0);
        assert_int_equal(rc.side[3], 0);
        assert_false(rc.parts[0].signal);
        assert_int_equal(rc.n_warnings, 1);
        assert_string_equal(rc.warnings[0],
                            "1 missing value is left out of the median and the runs");
        runchart_release(&rc);

        /* All on the centre line: no useful observations, no thresholds, no signal. */
        const double flat[] = {3, 3, 3, 3};
        compute(flat, N(flat), &o, &rc);
        assert_int_equal(rc.parts[0].n_useful, 0);
        assert_false(rc.parts[0].has_thresholds);
        assert_false(rc.parts[0].signal);
        assert_int_equal(rc.n_warnings, 1);
        assert_non_null(
            strstr(rc.warnings[0], "part 1 (points 1 to 4): every value is on the median"));
        runchart_release(&rc);

        /* Only missing values: no centre. */
        const double none[] = {NAN, NAN};
        compute(none, N(none), &o, &rc);
        assert_true(isnan(rc.parts[0].centre));
        assert_false(rc.parts[0].has_thresholds);
        runchart_release(&rc);

        compute(NULL, 0, &o, &rc);
        assert_int_equal(rc.n_parts, 0);
        runchart_release(&rc);
}

static void crossings_only_and_random(void **state)
{
        (void)state;
        /* Four runs of 5 (n = 20): longest 5 <= 7, but 3 crossings < 6. */
        double y[20];
        for (size_t i = 0; i < 20; i++)
                y[i] = (i / 5) % 2 ? 10 + (double)i : (double)i;
        struct runchart_options o;
        runchart_options_init(&o);
        struct runchart rc;
        compute(y, N(y), &o, &rc);
        assert_int_equal(rc.parts[0].n_useful, 20);
        assert_int_equal(rc.parts[0].longest_run, 5);
        assert_int_equal(rc.parts[0].crossings, 3);
        assert_false(rc.parts[0].runs_signal);
        assert_true(rc.parts[0].crossings_signal);
        assert_true(rc.parts[0].signal);
        for (size_t i = 0; i < 20; i++)
                assert_int_equal(rc.long_run[i], 0);
        runchart_release(&rc);

        /* Alternating: 19 crossings, runs of 1: no signal. */
        for (size_t i = 0; i < 20; i++)
                y[i] = i % 2 ? 1 : 0;
        compute(y, N(y), &o, &rc);
        assert_int_equal(rc.parts[0].crossings, 19);
        assert_int_equal(rc.parts[0].longest_run, 1);
        assert_false(rc.parts[0].signal);
        runchart_release(&rc);
}

static void freeze_parts_exclude(void **state)
{
        (void)state;
        /* Median from the first 12 only (1,11,3,9,5,7,7,5,9,3,11,1 -> 6); the last 8 (20s)
         * make a run of 8 > 7. */
        double y[20];
        for (size_t i = 0; i < 20; i++)
                y[i] = i < 12 ? (double)(i % 2 ? 12 - i : i + 1) : 20;
        struct runchart_options o;
        runchart_options_init(&o);
        o.fix_after = 12;
        struct runchart rc;
        compute(y, N(y), &o, &rc);
        assert_int_equal(rc.parts[0].n_baseline, 12);
        assert_true(rc.parts[0].centre == 6);
        assert_int_equal(rc.parts[0].longest_run, 8);
        assert_true(rc.parts[0].runs_signal);
        for (size_t i = 12; i < 20; i++)
                assert_int_equal(rc.long_run[i], 1);
        runchart_release(&rc);

        /* Two parts, each with its own median. */
        const double z[] = {1, 2, 3, 4, 5, 10, 20, 30};
        size_t at[] = {5};
        runchart_options_init(&o);
        o.breaks = at;
        o.n_breaks = 1;
        compute(z, N(z), &o, &rc);
        assert_int_equal(rc.n_parts, 2);
        assert_true(rc.parts[0].centre == 3);
        assert_true(rc.parts[1].centre == 20);
        assert_int_equal(rc.part[5], 1);
        assert_int_equal(rc.parts[1].n_useful, 2);
        runchart_release(&rc);

        /* Excluded points are left out of median and runs. */
        const double x[] = {1, 2, 100, 3};
        unsigned char ex[] = {0, 0, 1, 0};
        runchart_options_init(&o);
        o.exclude = ex;
        compute(x, N(x), &o, &rc);
        assert_true(rc.parts[0].centre == 2);
        assert_int_equal(rc.parts[0].n_useful, 2);
        assert_int_equal(rc.side[2], 0);
        runchart_release(&rc);

        /* A break beyond the series is a usage error. */
        size_t bad[] = {4};
        runchart_options_init(&o);
        o.breaks = bad;
        o.n_breaks = 1;
        struct err e;
        err_clear(&e);
        assert_int_equal(runchart_compute(x, N(x), &o, &rc, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        runchart_release(&rc);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(e2_1),
            cmocka_unit_test(worked_thresholds),
            cmocka_unit_test(shared_table),
            cmocka_unit_test(median_and_useful),
            cmocka_unit_test(crossings_only_and_random),
            cmocka_unit_test(freeze_parts_exclude),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
