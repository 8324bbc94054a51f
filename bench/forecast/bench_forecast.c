/*
 * bench_forecast.c — time the demand forecast (statistics.md §6) for every
 * authority of a generated region: reading the SSDA903 episodes and headers of
 * each year, merging them, estimating over the default 3-year window and
 * projecting 36 months with the analytic interval; then the two bootstrap
 * options on one authority.  Prints figures; never fails on timing.
 *
 *      bench_forecast DIR LAS FIRST_YEAR LAST_YEAR
 */
#include "core/err.h"
#include "returns/ssda903.h"
#include "stats/forecast.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int load_la(const char *dir, int la, int first, int last, struct forecast_episodes *eps,
                   struct err *e)
{
        forecast_episodes_init(eps);
        for (int y = first; y <= last; y++) {
                char ep[512], hd[512];
                snprintf(ep, sizeof ep, "%s/%03d/%d/903/episodes.csv", dir, la, y);
                snprintf(hd, sizeof hd, "%s/%03d/%d/903/header.csv", dir, la, y);
                const char *paths[2] = {hd, ep};
                struct ssda903_options o = {.collection_year = y};
                struct ssda903_load *ld = ssda903_load_paths(paths, 2, NULL, 0, &o, e);
                if (!ld)
                        return -1;
                int rc = forecast_episodes_add_903(eps, ld, e);
                ssda903_free(ld);
                if (rc)
                        return -1;
        }
        return forecast_episodes_finish(eps, e);
}

int main(int argc, char **argv)
{
        if (argc != 5) {
                fprintf(stderr, "usage: bench_forecast DIR LAS FIRST_YEAR LAST_YEAR\n");
                return 2;
        }
        const char *dir = argv[1];
        int las = atoi(argv[2]), first = atoi(argv[3]), last = atoi(argv[4]);
        struct err e = {0};
        struct forecast_states st;
        forecast_states_default(&st);
        if (forecast_states_finish(&st, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                return 4;
        }
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = 36;
        double t_load = 0, t_est = 0, t_proj = 0, stock0 = 0, stock36 = 0;
        size_t episodes = 0, children = 0;
        double t0 = now();
        for (int la = 1; la <= las; la++) {
                struct forecast_episodes eps;
                double a = now();
                if (load_la(dir, la, first, last, &eps, &e)) {
                        fprintf(stderr, "authority %03d: %s\n", la, e.msg);
                        return 3;
                }
                double b = now();
                date_t w0, w1;
                struct forecast_estimate est;
                double stock[FORECAST_MAX_STATES];
                if (forecast_default_window(&eps, 36, &w0, &w1, &e) ||
                    forecast_estimate(&st, &eps, w0, w1, &est, &e)) {
                        fprintf(stderr, "authority %03d: %s\n", la, e.msg);
                        return 3;
                }
                forecast_stock_on(&st, &eps, w1, stock, NULL);
                double c = now();
                struct forecast_result r;
                if (forecast_run(&st, &est, stock, w1, &o, &r, &e)) {
                        fprintf(stderr, "authority %03d: %s\n", la, e.msg);
                        return 4;
                }
                double d = now();
                t_load += b - a;
                t_est += c - b;
                t_proj += d - c;
                episodes += eps.n;
                children += eps.nchildren;
                size_t w = r.nin + 1;
                stock36 += r.mean[(r.months - 1) * w + r.nin];
                for (size_t s = 0; s < r.nin; s++)
                        stock0 += stock[s];
                forecast_result_release(&r);
                forecast_estimate_release(&est);
                forecast_episodes_release(&eps);
        }
        double total = now() - t0;
        printf("forecast for %d authorities, %d-%d returns, 36-month horizon, analytic "
               "interval\n",
               las, first, last);
        printf("  %zu episodes of %zu children; stock %.0f at the start, projected %.0f after "
               "36 months\n",
               episodes, children, stock0, stock36);
        printf("  read Header+Episodes CSV and merge years  %8.3f s\n", t_load);
        printf("  estimate (window, counts, stock)         %8.3f s\n", t_est);
        printf("  project 36 months (rates, P, mean, cov)  %8.3f s  (%.2f ms per authority)\n",
               t_proj, 1000 * t_proj / las);
        printf("  whole forecast                           %8.3f s wall\n", total);

        /* the bootstrap options on the first authority */
        struct forecast_episodes eps;
        struct forecast_estimate est;
        date_t w0, w1;
        double stock[FORECAST_MAX_STATES];
        if (load_la(dir, 1, first, last, &eps, &e) ||
            forecast_default_window(&eps, 36, &w0, &w1, &e) ||
            forecast_estimate(&st, &eps, w0, w1, &est, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                return 3;
        }
        forecast_stock_on(&st, &eps, w1, stock, NULL);
        for (int kind = FORECAST_BOOT_PROCESS; kind <= FORECAST_BOOT_PARAMETER; kind++) {
                o.bootstrap = kind;
                struct forecast_result r;
                double a = now();
                if (forecast_run(&st, &est, stock, w1, &o, &r, &e)) {
                        fprintf(stderr, "%s\n", e.msg);
                        return 4;
                }
                double b = now();
                size_t c = (r.months - 1) * (r.nin + 1) + r.nin;
                printf("  %s bootstrap, %zu replicates, one authority: %.3f s "
                       "(36 months: %.1f, analytic %.0f-%.0f, bootstrap %.0f-%.0f)\n",
                       kind == FORECAST_BOOT_PROCESS ? "process" : "parameter", r.replicates, b - a,
                       r.mean[c], r.lower[c], r.upper[c], r.boot_lower[c], r.boot_upper[c]);
                forecast_result_release(&r);
        }
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
        return 0;
}
