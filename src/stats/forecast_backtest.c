/*
 * forecast_backtest.c — how well the forecast would have done: estimate on a
 * window that ends at a cut-off, project, and compare with what happened.
 *
 * The estimation sees nothing after the cut-off (forecast_estimate counts
 * only what is dated in its window, and the starting stock is the stock on
 * the cut-off), so the months after it are a fair test.  The error is the
 * mean absolute percentage error of the projected total against the actual
 * number of children in care at each month end.
 */
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void forecast_backtest_release(struct forecast_backtest *b)
{
        free(b->month_end);
        free(b->projected);
        free(b->lower);
        free(b->upper);
        free(b->actual);
        memset(b, 0, sizeof *b);
}

int forecast_backtest_run(const struct forecast_states *st, const struct forecast_episodes *eps,
                          date_t cutoff, int ref_months, int months,
                          const struct forecast_scenario *scenario, struct forecast_backtest *b,
                          struct err *e)
{
        memset(b, 0, sizeof *b);
        if (ref_months < 1 || months < 1)
                return err_set(e, EXIT_USAGE,
                               "forecast back-test: reference and horizon must be at least a "
                               "month");
        date_t w0 = date_add_months(cutoff, -ref_months) + 1;
        struct forecast_estimate est;
        if (forecast_estimate(st, eps, w0, cutoff, &est, e) != 0)
                return -1;
        double *stock = xcalloc(st->n, sizeof *stock);
        b->start_stock = (double)forecast_stock_on(st, eps, cutoff, stock, NULL);

        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = months;
        if (scenario)
                o.scenario = *scenario;
        struct forecast_result res;
        int rc = forecast_run(st, &est, stock, cutoff, &o, &res, e);
        forecast_estimate_release(&est);
        if (rc != 0) {
                free(stock);
                return -1;
        }
        size_t H = (size_t)months, w = res.nin + 1;
        b->months = H;
        b->cutoff = cutoff;
        b->w0 = w0;
        b->month_end = xmalloc(H * sizeof *b->month_end);
        b->projected = xmalloc(H * sizeof(double));
        b->lower = xmalloc(H * sizeof(double));
        b->upper = xmalloc(H * sizeof(double));
        b->actual = xmalloc(H * sizeof(double));
        double sum = 0, naive = 0;
        size_t used = 0;
        for (size_t k = 0; k < H; k++) {
                b->month_end[k] = res.month_end[k];
                b->projected[k] = res.mean[k * w + res.nin];
                b->lower[k] = res.lower[k * w + res.nin];
                b->upper[k] = res.upper[k * w + res.nin];
                b->actual[k] = (double)forecast_stock_on(st, eps, res.month_end[k], stock, NULL);
                if (b->actual[k] > 0) {
                        sum += fabs(b->projected[k] - b->actual[k]) / b->actual[k];
                        naive += fabs(b->start_stock - b->actual[k]) / b->actual[k];
                        used++;
                }
                if (b->actual[k] >= b->lower[k] && b->actual[k] <= b->upper[k])
                        b->inside++;
        }
        b->mape = used ? 100 * sum / (double)used : NAN;
        b->naive_mape = used ? 100 * naive / (double)used : NAN;
        forecast_result_release(&res);
        free(stock);
        return 0;
}
