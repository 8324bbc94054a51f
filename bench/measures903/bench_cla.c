/*
 * bench_cla.c — time every SSDA903 measure for every period (year, month,
 * rolling) over a synthetic region, and check the generator's ground truth.
 *
 *      bench_cla [--threads N] [--compare-only] REGION_DIR
 *
 * For each authority of REGION_DIR (an `improve synth` output), its SSDA903
 * returns are loaded (timed as "load"), then every 903 measure with a
 * function is computed for every window the engine makes (timed as
 * "compute"), authorities shared between N threads (one measure_ctx each).
 * Annual values of the measures in truth/measures.csv are compared with it
 * exactly; mismatches are printed.  Figures only: the exit status is 0
 * unless something could not be read or a value disagrees with the truth.
 */
#include "core/err.h"
#include "measures/measure.h"
#include "returns/ssda903.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXLA 200
#define MAXY  16

struct la {
        char code[4];
        int years[MAXY], ny;
        int64_t pop[MAXY];
        bool has_pop[MAXY];
        double load_s, compute_s;
        long values, with_value;
        int failed;
        size_t truth_first, ntruth; /* this authority's rows of truth[] (sorted by la) */
};

static const char *dir;
static struct la las[MAXLA];
static int nlas, next_la;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Truth rows: la, year, measure, numerator, denominator. */
struct truth {
        char la[4], id[64];
        int year;
        long long num, den;
        bool seen;
        long long got_num, got_den;
        bool got;
};
static struct truth *truth;
static size_t ntruth;

static double now(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the calling thread: the per-authority figures do not count time waiting for a core.
 */
static double cpu(void)
{
        struct timespec t;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct emit_arg {
        struct la *la;
};

static int on_value(void *arg, const struct measure_def *m, const struct measure_window *w,
                    const struct measure_value *v)
{
        struct la *la = ((struct emit_arg *)arg)->la;
        la->values++;
        la->with_value += v->has_value;
        if (w->period != MEASURE_YEAR || !m->id[0] || !m->title)
                return 0;
        for (size_t i = la->truth_first; i < la->truth_first + la->ntruth; i++)
                if (truth[i].year == w->year && strcmp(truth[i].la, la->code) == 0 &&
                    strcmp(truth[i].id, m->id) == 0) {
                        truth[i].got = true;
                        truth[i].got_num = v->numerator;
                        truth[i].got_den = v->denominator;
                }
        return 0;
}

static void run_la(struct la *la, const struct measure_def *const *only)
{
        struct ssda903_load *ld[MAXY] = {0};
        struct measure_history h;
        measure_history_init(&h, la->code);
        struct err e = {0};
        double t0 = cpu();
        for (int j = 0; j < la->ny; j++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%.3s/%d/903", dir, la->code, la->years[j]);
                const char *paths[] = {path};
                struct ssda903_options opt = {.collection_year = la->years[j]};
                ld[j] = ssda903_load_paths(paths, 1, NULL, 0, &opt, &e);
                if (!ld[j]) {
                        fprintf(stderr, "%s: %s\n", path, e.msg);
                        la->failed = 1;
                        goto out;
                }
                measure_history_set_903(&h, la->years[j], ld[j]);
                if (la->has_pop[j])
                        measure_history_set_population(&h, la->years[j], la->pop[j]);
        }
        double t1 = cpu();
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        struct emit_arg arg = {la};
        if (measure_compute_all(&ctx, only, MEASURE_PERIODS_ALL, on_value, &arg, &e) != 0) {
                fprintf(stderr, "%s: %s\n", la->code, e.msg);
                la->failed = 1;
        }
        measure_ctx_release(&ctx);
        la->load_s = t1 - t0;
        la->compute_s = cpu() - t1;
out:
        measure_history_release(&h);
        for (int j = 0; j < la->ny; j++)
                ssda903_free(ld[j]);
}

static const struct measure_def **only903;

static void *worker(void *unused)
{
        (void)unused;
        for (;;) {
                pthread_mutex_lock(&mu);
                int i = next_la < nlas ? next_la++ : -1;
                pthread_mutex_unlock(&mu);
                if (i < 0)
                        return NULL;
                run_la(&las[i], only903);
        }
}

static void read_inputs(void)
{
        char path[4096], line[4096];
        snprintf(path, sizeof path, "%s/authorities.csv", dir);
        FILE *f = fopen(path, "r");
        if (!f || !fgets(line, sizeof line, f)) {
                fprintf(stderr, "cannot read %s\n", path);
                exit(3);
        }
        while (nlas < MAXLA && fgets(line, sizeof line, f)) {
                memcpy(las[nlas].code, line, 3);
                las[nlas].code[3] = 0;
                nlas++;
        }
        fclose(f);
        /* Years: the directories present for the first authority, 2000..2099. */
        for (int i = 0; i < nlas; i++)
                for (int y = 2000; y < 2100; y++) {
                        int len = snprintf(path, sizeof path, "%s/%.3s/%d/903/episodes.csv", dir,
                                           las[i].code, y);
                        FILE *t = len < (int)sizeof path ? fopen(path, "r") : NULL;
                        if (t) {
                                fclose(t);
                                if (las[i].ny < MAXY)
                                        las[i].years[las[i].ny++] = y;
                        }
                }
        snprintf(path, sizeof path, "%s/populations.csv", dir);
        f = fopen(path, "r");
        if (!f || !fgets(line, sizeof line, f)) {
                fprintf(stderr, "cannot read %s\n", path);
                exit(3);
        }
        while (fgets(line, sizeof line, f)) {
                char code[8];
                int year;
                long long pop;
                if (sscanf(line, "%7[^,],%d,%lld", code, &year, &pop) != 3)
                        continue;
                for (int i = 0; i < nlas; i++)
                        if (strcmp(code, las[i].code) == 0)
                                for (int j = 0; j < las[i].ny; j++)
                                        if (las[i].years[j] == year) {
                                                las[i].pop[j] = pop;
                                                las[i].has_pop[j] = true;
                                        }
        }
        fclose(f);
        snprintf(path, sizeof path, "%s/truth/measures.csv", dir);
        f = fopen(path, "r");
        if (f && fgets(line, sizeof line, f)) {
                size_t cap = 0;
                while (fgets(line, sizeof line, f)) {
                        struct truth t = {0};
                        if (sscanf(line, "%3[^,],%d,%63[^,],%lld,%lld", t.la, &t.year, t.id, &t.num,
                                   &t.den) != 5)
                                continue;
                        const struct measure_def *m = measure_find(t.id);
                        if (!m || m->source != MEASURE_SRC_903)
                                continue;
                        if (ntruth == cap) {
                                cap = cap ? cap * 2 : 1024;
                                truth = realloc(truth, cap * sizeof *truth);
                        }
                        truth[ntruth++] = t;
                }
        }
        if (f)
                fclose(f);
        /* The generator writes truth authority by authority: find each one's run. */
        for (int i = 0; i < nlas; i++) {
                size_t a = 0;
                while (a < ntruth && strcmp(truth[a].la, las[i].code) != 0)
                        a++;
                size_t b = a;
                while (b < ntruth && strcmp(truth[b].la, las[i].code) == 0)
                        b++;
                las[i].truth_first = a;
                las[i].ntruth = b - a;
        }
}

int main(int argc, char **argv)
{
        int threads = 2;
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
                        threads = atoi(argv[++i]);
                else
                        dir = argv[i];
        }
        if (!dir || threads < 1 || threads > 64) {
                fprintf(stderr, "usage: bench_cla [--threads N] REGION_DIR\n");
                return 2;
        }
        read_inputs();
        size_t n = 0;
        only903 = calloc(measure_count() + 1, sizeof *only903);
        for (size_t i = 0; i < measure_count(); i++)
                if (measure_at(i)->source == MEASURE_SRC_903 && measure_at(i)->compute)
                        only903[n++] = measure_at(i);
        double t0 = now();
        pthread_t th[64];
        for (int i = 0; i < threads; i++)
                pthread_create(&th[i], NULL, worker, NULL);
        for (int i = 0; i < threads; i++)
                pthread_join(th[i], NULL);
        double wall = now() - t0;
        double load = 0, compute = 0;
        long values = 0, with_value = 0;
        int failed = 0;
        for (int i = 0; i < nlas; i++) {
                load += las[i].load_s;
                compute += las[i].compute_s;
                values += las[i].values;
                with_value += las[i].with_value;
                failed += las[i].failed;
        }
        int mism = 0, missing = 0;
        for (size_t i = 0; i < ntruth; i++) {
                if (!truth[i].got) {
                        missing++;
                        continue;
                }
                if (truth[i].got_num != truth[i].num || truth[i].got_den != truth[i].den) {
                        if (mism < 20)
                                printf("MISMATCH %s %d %s: engine %lld/%lld truth %lld/%lld\n",
                                       truth[i].la, truth[i].year, truth[i].id, truth[i].got_num,
                                       truth[i].got_den, truth[i].num, truth[i].den);
                        mism++;
                }
        }
        printf("authorities %d, 903 measures %zu, threads %d\n", nlas, n, threads);
        printf("values %ld (%ld with a value)\n", values, with_value);
        printf("load 903 returns (CPU time, all threads) %.2f s\n", load);
        printf("compute (CPU time, all threads)         %.2f s\n", compute);
        printf("wall (load + compute, %d threads)        %.2f s\n", threads, wall);
        printf("truth rows %zu: %d mismatches, %d not computed\n", ntruth, mism, missing);
        return failed || mism || missing ? 1 : 0;
}
