/*
 * bench_read.c — how fast one authority's stored measure values read back.
 *
 *      bench_read DB LA YEAR [RUNS]
 *
 * Times, RUNS times each (default 200) on one open store: the scorecard read
 * (every annual value of LA for YEAR and its benchmarks, as `improve
 * measures --la LA --year YEAR` reads them) and every value of the authority
 * (all years, months and rolling points).  Prints the median and the fastest
 * run in milliseconds and how many rows each read.  Figures only.
 */
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int count_value(void *ctx, const struct store_measure_value *v)
{
        (void)v;
        ++*(long *)ctx;
        return 0;
}

static int count_bench(void *ctx, const struct store_measure_bench *b)
{
        (void)b;
        ++*(long *)ctx;
        return 0;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int runs, long rows)
{
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        printf("%-52s %8ld rows  median %7.3f ms  fastest %7.3f ms\n", what, rows, t[runs / 2],
               t[0]);
}

int main(int argc, char **argv)
{
        if (argc < 4) {
                fprintf(stderr, "usage: bench_read DB LA YEAR [RUNS]\n");
                return 2;
        }
        const char *la = argv[2];
        int year = atoi(argv[3]);
        int runs = argc > 4 ? atoi(argv[4]) : 200;
        if (runs < 1)
                runs = 1;
        struct err e = {0};
        struct store *s = store_open(argv[1], STORE_READONLY, &e);
        if (!s) {
                fprintf(stderr, "bench_read: %s\n", e.msg);
                return 3;
        }
        double *t = malloc((size_t)runs * sizeof *t);
        long rows = 0;
        for (int r = 0; r < runs; r++) {
                long n = 0;
                double t0 = now_ms();
                if (store_measure_each(s, la, "year", year, NULL, count_value, &n, &e) ||
                    store_bench_each(s, la, year, NULL, count_bench, &n, &e)) {
                        fprintf(stderr, "bench_read: %s\n", e.msg);
                        return 4;
                }
                t[r] = now_ms() - t0;
                rows = n;
        }
        char what[128];
        snprintf(what, sizeof what, "scorecard of %s for %d (values + benchmarks)", la, year);
        report(what, t, runs, rows);
        for (int r = 0; r < runs; r++) {
                long n = 0;
                double t0 = now_ms();
                if (store_measure_each(s, la, NULL, 0, NULL, count_value, &n, &e)) {
                        fprintf(stderr, "bench_read: %s\n", e.msg);
                        return 4;
                }
                t[r] = now_ms() - t0;
                rows = n;
        }
        snprintf(what, sizeof what, "every value of %s (all years and periods)", la);
        report(what, t, runs, rows);
        free(t);
        store_close(s);
        return 0;
}
