/*
 * sdc.c — primary and secondary suppression and rounding (see sdc.h).
 *
 * Secondary suppression follows statistics.md §8.2 literally: lines are the
 * rows and the columns of the table, each with its total; the scan changes
 * cells as it goes, so a cell suppressed while scanning the rows is already
 * seen when the columns are scanned (E8.1 depends on that order).
 */
#include "stats/sdc.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

void sdc_options_default(struct sdc_options *o)
{
        o->threshold = 6;
        o->suppress_zero = 0;
        o->den_threshold = 10;
        o->round_base = 0;
}

int sdc_count_suppressed(double count, const struct sdc_options *o)
{
        if (isnan(count))
                return 0;
        if (count == 0)
                return o->suppress_zero;
        return count > 0 && count < (double)o->threshold;
}

int sdc_ratio_suppressed(double num, double den, int num_is_count, const struct sdc_options *o)
{
        if (num_is_count && sdc_count_suppressed(num, o))
                return 1;
        if (sdc_count_suppressed(den, o))
                return 1;
        return !isnan(den) && den < o->den_threshold;
}

long sdc_round_count(long count, long base)
{
        if (base <= 1)
                return count;
        if (count < 0)
                return -sdc_round_count(-count, base);
        /* floor(c/b + 1/2) in integers: floor((2c + b) / 2b). */
        return (2 * count + base) / (2 * base) * base;
}

double sdc_round_half_up(double x, int dp)
{
        if (isnan(x) || isinf(x))
                return x;
        double scale = pow(10, dp);
        double y = fabs(x) * scale;
        double lo = floor(y);
        /* A decimal half stored a few units in the last place below .5 still rounds up. */
        double tol = 64 * DBL_EPSILON * (y > 1 ? y : 1);
        double r = (y - lo >= 0.5 - tol) ? lo + 1 : lo;
        r /= scale;
        return x < 0 ? -r : r;
}

/* One line: `n` cells at cells[first + k*stride]. */
struct line {
        size_t first, stride, n;
        enum sdc_status *total;
};

/* Apply §8.2 to one line; returns 1 when it changed something. */
static int protect_line(const long *cells, enum sdc_status *status, const struct line *l)
{
        size_t suppressed = 0;
        for (size_t k = 0; k < l->n; k++)
                suppressed += status[l->first + k * l->stride] != SDC_SHOWN;
        if (suppressed != 1 || *l->total != SDC_SHOWN)
                return 0;
        size_t best = (size_t)-1;
        for (size_t k = 0; k < l->n; k++) {
                size_t i = l->first + k * l->stride;
                if (status[i] != SDC_SHOWN || cells[i] == 0)
                        continue;
                if (best == (size_t)-1 || cells[i] < cells[best])
                        best = i;
        }
        if (best != (size_t)-1)
                status[best] = SDC_SECONDARY;
        else
                *l->total = SDC_SECONDARY;
        return 1;
}

static void round_shown(const long *cells, size_t n, const struct sdc_options *o,
                        enum sdc_status *status, long *shown)
{
        if (!shown)
                return;
        for (size_t i = 0; i < n; i++) {
                shown[i] = 0;
                if (status[i] != SDC_SHOWN)
                        continue;
                shown[i] = sdc_round_count(cells[i], o->round_base);
                if (cells[i] > 0 && shown[i] == 0)
                        status[i] = SDC_LOW;
        }
}

void sdc_table(const long *cells, size_t rows, size_t cols, const struct sdc_options *o,
               enum sdc_status *status, enum sdc_status *row_total, enum sdc_status *col_total,
               long *shown)
{
        size_t n = rows * cols;
        for (size_t i = 0; i < n; i++)
                status[i] = sdc_count_suppressed((double)cells[i], o) ? SDC_PRIMARY : SDC_SHOWN;
        for (size_t r = 0; r < rows; r++)
                row_total[r] = SDC_SHOWN;
        for (size_t c = 0; c < cols; c++)
                col_total[c] = SDC_SHOWN;
        int changed;
        do {
                changed = 0;
                for (size_t r = 0; r < rows; r++) {
                        struct line l = {r * cols, 1, cols, &row_total[r]};
                        changed |= protect_line(cells, status, &l);
                }
                for (size_t c = 0; c < cols; c++) {
                        struct line l = {c, cols, rows, &col_total[c]};
                        changed |= protect_line(cells, status, &l);
                }
        } while (changed);
        round_shown(cells, n, o, status, shown);
}

void sdc_line(const long *cells, size_t n, const struct sdc_options *o, enum sdc_status *status,
              enum sdc_status *total, long *shown)
{
        for (size_t i = 0; i < n; i++)
                status[i] = sdc_count_suppressed((double)cells[i], o) ? SDC_PRIMARY : SDC_SHOWN;
        *total = SDC_SHOWN;
        struct line l = {0, 1, n, total};
        while (protect_line(cells, status, &l))
                ;
        round_shown(cells, n, o, status, shown);
}

const char *sdc_format(enum sdc_status status, long shown, char *buf, size_t n)
{
        switch (status) {
        case SDC_PRIMARY:
        case SDC_SECONDARY:
                snprintf(buf, n, "c");
                break;
        case SDC_LOW:
                snprintf(buf, n, "low");
                break;
        case SDC_SHOWN:
        default:
                snprintf(buf, n, "%ld", shown);
                break;
        }
        return buf;
}
