/* benchmark.c — medians, quartile bands, ranks and polarity (see benchmark.h). */
#include "stats/benchmark.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>

double bench_quantile_sorted(const double *sorted, size_t n, double p)
{
        if (n == 0)
                return NAN;
        double h = (double)(n - 1) * p; /* 0-based: h - 1 in the 1-based formula */
        double lo = floor(h);
        size_t i = (size_t)lo;
        if (i + 1 >= n)
                return sorted[n - 1];
        return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

size_t bench_sorted_values(const double *v, size_t n, double *out)
{
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
                if (!isnan(v[i]))
                        out[m++] = v[i];
        qsort(out, m, sizeof *out, cmp_double);
        return m;
}

/* Sorted copy of the values in a small stack array, or on the heap for many. */
static double *sorted_copy(const double *v, size_t n, double *stack, size_t stack_n, size_t *m)
{
        double *s = n <= stack_n ? stack : xmalloc((n ? n : 1) * sizeof *s);
        *m = bench_sorted_values(v, n, s);
        return s;
}

double bench_median(const double *v, size_t n, size_t *used)
{
        double stack[64];
        size_t m;
        double *s = sorted_copy(v, n, stack, 64, &m);
        double med = bench_quantile_sorted(s, m, 0.5);
        if (s != stack)
                free(s);
        if (used)
                *used = m;
        return med;
}

void bench_neighbours(const double *values, size_t n, struct bench_neighbours *out)
{
        out->median = bench_median(values, n, &out->used);
        out->few = out->used < BENCH_NEIGHBOURS_WARN;
}

void bench_quartiles(const double *values, size_t n, struct bench_quartiles *out)
{
        double stack[256];
        size_t m;
        double *s = sorted_copy(values, n, stack, 256, &m);
        out->n = m;
        out->q1 = bench_quantile_sorted(s, m, 0.25);
        out->q2 = bench_quantile_sorted(s, m, 0.5);
        out->q3 = bench_quantile_sorted(s, m, 0.75);
        if (s != stack)
                free(s);
}

int bench_band(double value, const struct bench_quartiles *q, enum bench_polarity polarity)
{
        if (isnan(value) || q->n == 0)
                return 0;
        if (polarity == BENCH_HIGHER_BETTER) {
                if (value >= q->q3)
                        return 1;
                if (value >= q->q2)
                        return 2;
                if (value >= q->q1)
                        return 3;
                return 4;
        }
        if (value <= q->q1)
                return 1;
        if (value <= q->q2)
                return 2;
        if (value <= q->q3)
                return 3;
        return 4;
}

int bench_rank(double value, const double *all, size_t n, enum bench_polarity polarity,
               size_t *ranked)
{
        size_t count = 0, better = 0;
        for (size_t i = 0; i < n; i++) {
                if (isnan(all[i]))
                        continue;
                count++;
                if (polarity == BENCH_HIGHER_BETTER ? all[i] > value : all[i] < value)
                        better++;
        }
        if (ranked)
                *ranked = count;
        if (isnan(value))
                return 0;
        return (int)(better + 1);
}

int bench_direction(double value, double reference)
{
        if (isnan(value) || isnan(reference))
                return 0;
        return (value > reference) - (value < reference);
}

int bench_favourable(double value, double reference, enum bench_polarity polarity)
{
        int d = bench_direction(value, reference);
        switch (polarity) {
        case BENCH_HIGHER_BETTER:
                return d;
        case BENCH_LOWER_BETTER:
                return -d;
        case BENCH_NEUTRAL:
        default:
                return 0;
        }
}

double bench_pooled(const double *num, const double *den, size_t n, double scale, size_t *used)
{
        double sn = 0, sd = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                if (isnan(num[i]) || isnan(den[i]))
                        continue;
                sn += num[i];
                sd += den[i];
                k++;
        }
        if (used)
                *used = k;
        if (k == 0 || sd == 0)
                return NAN;
        return scale * sn / sd;
}
