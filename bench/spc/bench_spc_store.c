/*
 * bench_spc_store.c — SPC on every monthly series of 153 authorities × all
 * measures, read from the store, as `improve spc --la` and the variation and
 * assurance columns of `improve measures` do it.
 *
 *      bench_spc_store [DB]
 *
 * Without DB, a store is made in a temporary directory: 153 authorities, each
 * with every catalogue measure that has a monthly period, 96 months
 * (2018-04 .. 2026-03) of deterministic values (a level, noise, and in a
 * quarter of the series a shift, in another quarter a trend), the annual
 * values beside them, and a target on every fifth series.  With DB (for
 * example the national store of bench/measures), its own values are used.
 *
 * Timed: (1) reading every authority's monthly series (spc_series_read, one
 * index range per authority); (2) an XmR chart with icons of every series;
 * (1 + 2) is the figure for the target of under 1 s; (3) the icons of
 * `improve measures --la all` for the last year's annual rows
 * (measures_spc_apply: read, targets, charts); (4) the same for every
 * monthly row (a chart per series and month end).  Figures only; never fails
 * on timing.
 */
#include "cmd/measures_output.h"
#include "cmd/measures_spc.h"
#include "cmd/spc_series.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "stats/spc.h"
#include "store/store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AUTHORITIES 153
#define MONTHS      96

static uint64_t rng = 0x2545F4914F6CDD1Du;

static double uniform(void)
{
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        return (double)((rng * 2685821657736338717u) >> 11) / 9007199254740992.0;
}

static double normal(void)
{
        double u = uniform(), v = uniform();
        return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: the machine may be shared, so wall time alone misleads. */
static double cpu(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const struct err *e)
{
        fprintf(stderr, "bench_spc_store: %s\n", e->msg);
        exit(1);
}

/* 153 authorities with every monthly measure: values, annual values and some targets. */
static void make_store(struct store *s)
{
        struct err e = {0};
        if (store_begin(s, &e))
                die(&e);
        for (int a = 0; a < AUTHORITIES; a++) {
                struct store_authority au = {.name = "Bench authority"};
                snprintf(au.code, sizeof au.code, "%03d", a + 1);
                if (store_authority_put(s, &au, &e))
                        die(&e);
        }
        struct store_measure_writer *w;
        if (store_measure_writer_open(s, &w, &e))
                die(&e);
        size_t nm = measure_count();
        char ends[MONTHS][11];
        for (int k = 0; k < MONTHS; k++)
                date_format_iso(date_month_end(date_add_months(date_from_ymd(2018, 4, 1), k)),
                                ends[k]);
        /* Values in (la, period, period_end, measure) order, the writer's fastest. */
        for (int a = 0; a < AUTHORITIES; a++) {
                char la[4];
                snprintf(la, sizeof la, "%03d", a + 1);
                double level[256], sd[256], step[256];
                int kind[256], change[256];
                for (size_t i = 0; i < nm && i < 256; i++) {
                        level[i] = 20 + 60 * uniform();
                        sd[i] = 1 + 5 * uniform();
                        kind[i] = (int)(uniform() * 4);
                        change[i] = 24 + (int)(uniform() * 60);
                        step[i] = (uniform() < 0.5 ? -2 : 2) * sd[i];
                }
                for (int k = 0; k < MONTHS; k++) {
                        for (size_t i = 0; i < nm && i < 256; i++) {
                                const struct measure_def *m = measure_at(i);
                                if (!(m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH)))
                                        continue;
                                double v = level[i] + sd[i] * normal();
                                if (kind[i] == 2 && k >= change[i])
                                        v += step[i];
                                if (kind[i] == 3 && k >= change[i])
                                        v += 0.1 * step[i] * (k - change[i]);
                                struct store_measure_value mv = {
                                    .la = la,
                                    .measure = m->id,
                                    .period = "month",
                                    .period_end = ends[k],
                                    .year = date_collection_year(date_month_end(
                                        date_add_months(date_from_ymd(2018, 4, 1), k))),
                                    .source = "903",
                                    .has_value = 1,
                                    .value = v,
                                    .note = "",
                                };
                                if (store_measure_put(w, &mv, &e))
                                        die(&e);
                        }
                }
                for (int y = 2019; y <= 2026; y++) {
                        char end[11];
                        snprintf(end, sizeof end, "%d-03-31", y);
                        for (size_t i = 0; i < nm && i < 256; i++) {
                                struct store_measure_value mv = {
                                    .la = la,
                                    .measure = measure_at(i)->id,
                                    .period = "year",
                                    .period_end = end,
                                    .year = y,
                                    .source = "903",
                                    .has_value = 1,
                                    .value = level[i],
                                    .note = "",
                                };
                                if (store_measure_put(w, &mv, &e))
                                        die(&e);
                        }
                }
                for (size_t i = 0; i < nm && i < 256; i += 5) {
                        struct store_target t = {la, measure_at(i)->id, level[i], "bench", NULL};
                        if (store_target_put(s, &t, NULL, &e))
                                die(&e);
                }
        }
        store_measure_writer_close(w);
        if (store_commit(s, &e))
                die(&e);
}

struct codes {
        char (*v)[4];
        size_t n;
};

static int add_code(void *ctx, const struct store_authority *a)
{
        struct codes *c = ctx;
        c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
        memcpy(c->v[c->n++], a->code, 4);
        return 0;
}

struct rows {
        struct measures_row *v;
        size_t n, cap;
        int period; /* MEASURE_YEAR: the last year only; MEASURE_MONTH: every month */
        int year;
};

static int add_row(void *ctx, const struct store_measure_value *v)
{
        struct rows *r = ctx;
        const struct measure_def *m = measure_find(v->measure);
        if (!m)
                return 0;
        r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
        struct measures_row *row = &r->v[r->n++];
        memset(row, 0, sizeof *row);
        row->m = m;
        snprintf(row->la, sizeof row->la, "%s", v->la);
        snprintf(row->period_end, sizeof row->period_end, "%s", v->period_end);
        row->has_value = v->has_value;
        row->value = v->value;
        return 0;
}

int main(int argc, char **argv)
{
        struct err e = {0};
        char dir[] = "/tmp/improve-bench-spc-XXXXXX", path[128];
        const char *db = argc > 1 ? argv[1] : NULL;
        int made = 0;
        double t0 = now();
        if (!db) {
                if (!mkdtemp(dir)) {
                        perror("mkdtemp");
                        return 1;
                }
                snprintf(path, sizeof path, "%s/spc.db", dir);
                db = path;
                struct store *s = store_open(db, STORE_CREATE, &e);
                if (!s)
                        die(&e);
                make_store(s);
                store_close(s);
                made = 1;
                printf("made %s: %d authorities x every monthly measure x %d months, "
                       "annual values, a target on every fifth measure (%.1f s, not timed "
                       "below)\n",
                       db, AUTHORITIES, MONTHS, now() - t0);
        }
        struct store *s = store_open(db, 0, &e);
        if (!s)
                die(&e);
        struct codes las = {0};
        if (store_authority_each(s, add_code, &las, &e))
                die(&e);

        /* Warm the page cache once so that every figure below is a warm read. */
        for (size_t a = 0; a < las.n; a++) {
                struct spc_series_set set;
                if (spc_series_read(s, las.v[a], NULL, &set, &e))
                        die(&e);
                spc_series_set_release(&set);
        }

        size_t series = 0, points = 0, special_last = 0;
        double t_read = 0, t_chart = 0;
        double start = now(), cpu0 = cpu();
        for (size_t a = 0; a < las.n; a++) {
                double r0 = now();
                struct spc_series_set set;
                if (spc_series_read(s, las.v[a], NULL, &set, &e))
                        die(&e);
                double r1 = now();
                t_read += r1 - r0;
                for (size_t i = 0; i < set.n; i++) {
                        struct spc_options o;
                        spc_options_init(&o);
                        o.direction = spc_series_direction(set.v[i].m);
                        struct spc_chart c;
                        if (spc_xmr(set.v[i].y, set.v[i].n, &o, &c, &e))
                                die(&e);
                        special_last += c.variation != SPC_VARIATION_COMMON_CAUSE &&
                                        c.variation != SPC_VARIATION_NONE;
                        spc_chart_release(&c);
                        series++;
                        points += set.v[i].n;
                }
                t_chart += now() - r1;
                spc_series_set_release(&set);
        }
        double t_all = now() - start, c_all = cpu() - cpu0;
        printf("authorities %zu, monthly series %zu, points %zu\n", las.n, series, points);
        printf("read every monthly series from the store:   %.3f s\n", t_read);
        printf("XmR chart + icons of every series:          %.3f s\n", t_chart);
        printf("both (the figure for the target < 1 s):     %.3f s wall, %.3f s CPU\n", t_all,
               c_all);
        printf("series whose last point is special cause:   %zu (%.1f%%)\n", special_last,
               100.0 * (double)special_last / (double)(series ? series : 1));

        /* What `improve measures --la all` adds: the icons of its rows. */
        for (int pass = 0; pass < 2; pass++) {
                struct rows rows = {0};
                const char *period = pass == 0 ? "year" : "month";
                int year = 0;
                if (pass == 0) {
                        int *years = NULL, *stale = NULL;
                        size_t ny = 0;
                        if (store_measure_years(s, &years, &stale, &ny, &e))
                                die(&e);
                        year = ny ? years[ny - 1] : 0;
                        free(years);
                        free(stale);
                }
                if (store_measure_each(s, NULL, period, year, NULL, add_row, &rows, &e))
                        die(&e);
                double m0 = now(), mc = cpu();
                if (measures_spc_apply(s, rows.v, rows.n, &e))
                        die(&e);
                double dt = now() - m0, dc = cpu() - mc;
                size_t with = 0;
                for (size_t i = 0; i < rows.n; i++)
                        with += rows.v[i].variation != NULL;
                printf("improve measures --la all --period %s%s: icons of %zu rows (%zu with a "
                       "variation icon) in %.3f s wall, %.3f s CPU\n",
                       period, pass == 0 ? " (last year)" : "", rows.n, with, dt, dc);
                free(rows.v);
        }
        store_close(s);
        free(las.v);
        if (made) {
                char wal[160];
                unlink(path);
                snprintf(wal, sizeof wal, "%s-wal", path);
                unlink(wal);
                snprintf(wal, sizeof wal, "%s-shm", path);
                unlink(wal);
                rmdir(dir);
        }
        return 0;
}
