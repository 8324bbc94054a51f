/*
 * bench_measures_cin.c — how long the measures engine takes over a whole
 * synthetic region's CIN censuses: every CIN measure, every period (annual,
 * discrete monthly, rolling) of every authority.
 *
 * Reads DIR/NNN/YYYY/cin.xml and DIR/populations.csv of a region written by
 * `improve synth`, authority by authority on THREADS threads (each reads its
 * authority's censuses, computes, frees them), and prints the wall time and
 * the CPU time spent reading and computing, summed over threads.  Stands in for
 * bench/measures until values are stored.  Figures only; never fails on
 * timing.
 *
 *      bench_measures_cin DIR LAS FIRST_YEAR LAST_YEAR [THREADS]
 */
#include "core/err.h"
#include "measures/measure.h"
#include "returns/cin.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *dir;
static int las, first, last;
static atomic_int next_la = 1;
/* BENCH_REPEAT: compute each authority's values this many times (for profiling). */
static int repeat = 1;

/* populations: [la][year - first] */
static long long *pops;

struct totals {
        double read_s, compute_s;
        long long values, with_value, dq;
        int failed;
};

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread: steadier than wall time on a shared machine. */
static double cpu(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count(void *arg, const struct measure_def *m, const struct measure_window *w,
                 const struct measure_value *v)
{
        (void)m;
        (void)w;
        struct totals *t = arg;
        t->values++;
        t->with_value += v->has_value;
        t->dq += v->dq_warnings;
        return 0;
}

static void *worker(void *arg)
{
        struct totals *t = arg;
        int ny = last - first + 1;
        struct cin_load *loads = calloc((size_t)ny, sizeof *loads);
        for (;;) {
                int la = atomic_fetch_add(&next_la, 1);
                if (la > las)
                        break;
                char code[8], path[4096];
                snprintf(code, sizeof code, "%03d", la);
                struct measure_history h;
                measure_history_init(&h, code);
                double t0 = cpu();
                for (int y = first; y <= last; y++) {
                        struct err e = {0};
                        cin_load_init(&loads[y - first]);
                        snprintf(path, sizeof path, "%s/%s/%d/cin.xml", dir, code, y);
                        if (cin_read_file(&loads[y - first], path, code, &e) != 0) {
                                fprintf(stderr, "%s\n", e.msg);
                                t->failed = 1;
                                continue;
                        }
                        measure_history_set_cin(&h, y, &loads[y - first]);
                        long long p = pops[(size_t)(la - 1) * (size_t)ny + (size_t)(y - first)];
                        if (p > 0)
                                measure_history_set_population(&h, y, p);
                }
                double t1 = cpu();
                for (int r = 0; r < repeat; r++) {
                        struct measure_ctx ctx;
                        measure_ctx_init(&ctx, &h);
                        struct err e = {0};
                        if (measure_compute_all(&ctx, NULL, MEASURE_PERIODS_ALL, count, t, &e) !=
                            0) {
                                fprintf(stderr, "%s: %s\n", code, e.msg);
                                t->failed = 1;
                        }
                        measure_ctx_release(&ctx);
                }
                double t2 = cpu();
                t->read_s += t1 - t0;
                t->compute_s += t2 - t1;
                measure_history_release(&h);
                for (int y = first; y <= last; y++)
                        cin_load_release(&loads[y - first]);
        }
        free(loads);
        return NULL;
}

int main(int argc, char **argv)
{
        if (argc < 5) {
                fprintf(stderr, "usage: %s DIR LAS FIRST_YEAR LAST_YEAR [THREADS]\n", argv[0]);
                return 2;
        }
        dir = argv[1];
        las = atoi(argv[2]);
        first = atoi(argv[3]);
        last = atoi(argv[4]);
        int threads = argc > 5 ? atoi(argv[5]) : 2;
        if (getenv("BENCH_REPEAT"))
                repeat = atoi(getenv("BENCH_REPEAT"));
        if (repeat < 1)
                repeat = 1;
        if (threads < 1 || threads > 64 || las < 1 || last < first)
                return 2;
        int ny = last - first + 1;
        pops = calloc((size_t)las * (size_t)ny, sizeof *pops);
        char path[4096];
        snprintf(path, sizeof path, "%s/populations.csv", dir);
        FILE *f = fopen(path, "r");
        if (!f) {
                perror(path);
                return 3;
        }
        char line[256];
        while (fgets(line, sizeof line, f)) {
                int la, y;
                long long p;
                if (sscanf(line, "%d,%d,%lld", &la, &y, &p) == 3 && la >= 1 && la <= las &&
                    y >= first && y <= last)
                        pops[(size_t)(la - 1) * (size_t)ny + (size_t)(y - first)] = p;
        }
        fclose(f);

        pthread_t th[64];
        struct totals tot[64];
        memset(tot, 0, sizeof tot);
        double t0 = now();
        for (int i = 0; i < threads; i++)
                pthread_create(&th[i], NULL, worker, &tot[i]);
        for (int i = 0; i < threads; i++)
                pthread_join(th[i], NULL);
        double wall = now() - t0;
        struct totals sum = {0};
        for (int i = 0; i < threads; i++) {
                sum.read_s += tot[i].read_s;
                sum.compute_s += tot[i].compute_s;
                sum.values += tot[i].values;
                sum.with_value += tot[i].with_value;
                sum.dq += tot[i].dq;
                sum.failed |= tot[i].failed;
        }
        printf("CIN measures, %d authorities x %d years (%d-%d), %d threads\n", las, ny, first,
               last, threads);
        printf("  values computed        %lld (%lld with a value, %lld DQ warnings)\n", sum.values,
               sum.with_value, sum.dq);
        printf("  reading censuses       %.2f s CPU (summed over threads)\n", sum.read_s);
        printf("  computing measures     %.2f s CPU (summed over threads; %.2f s per thread)\n",
               sum.compute_s, sum.compute_s / threads);
        printf("  wall (read + compute)  %.2f s\n", wall);
        free(pops);
        return sum.failed ? 1 : 0;
}
