/*
 * sdc.h — statistical disclosure control for outward-facing figures
 * (statistics.md §8; measures.md §0.9).
 *
 * Pure functions of numbers.  The order is §8.4: suppress on the unrounded
 * counts (primary, then secondary), then round what is left.  Every cell
 * keeps its status and the reason it was suppressed, so an audit can show
 * that no published cell is below the threshold.
 *
 * Ownership: sdc_table() and sdc_line() write into arrays the caller owns.
 */
#ifndef IMPROVE_SDC_H
#define IMPROVE_SDC_H

#include <stddef.h>

struct sdc_options {
        long threshold;       /* T: a count with 0 < c < T is suppressed (default 6) */
        int suppress_zero;    /* also suppress zero counts (default off) */
        double den_threshold; /* T_den: a ratio with denominator below this is suppressed (10) */
        long round_base; /* 0: no rounding; else round shown counts to this base (5; 10 national) */
};

/* T = 6, zero published, T_den = 10, no rounding. */
void sdc_options_default(struct sdc_options *o);

enum sdc_status {
        SDC_SHOWN = 0, /* published (possibly rounded) */
        SDC_PRIMARY,   /* suppressed: a small count, or a ratio built on one (§8.1) */
        SDC_SECONDARY, /* suppressed so that a total cannot reveal a primary cell (§8.2) */
        SDC_LOW,       /* shown as "low": a positive count that rounds to 0 (§8.3) */
};

/* Primary suppression of one count (§8.1): 1 when it must be shown as `c`. */
int sdc_count_suppressed(double count, const struct sdc_options *o);

/*
 * Primary suppression of a rate, percentage or average (§8.1): suppressed
 * when its numerator (if it is a count: num_is_count) or its denominator
 * would be suppressed as counts, or the denominator is below T_den.
 * Rates per 10,000 pass the population as denominator, which is never small.
 */
int sdc_ratio_suppressed(double num, double den, int num_is_count, const struct sdc_options *o);

/*
 * Round a count to the nearest multiple of `base`, halves upward
 * (base·floor(c/base + 1/2), mirrored for negative counts).  base <= 1
 * leaves the count as it is.
 */
long sdc_round_count(long count, long base);

/*
 * Round half away from zero to `dp` decimal places (measures.md §0.8), with
 * values that are a half in decimal (18.25 stored as 18.2499…) treated as
 * halves.  NaN stays NaN.
 */
double sdc_round_half_up(double x, int dp);

/*
 * Disclosure control of a table with published row and column totals.
 * cells: rows × cols counts, row-major.  Writes status[rows × cols] for the
 * cells, row_total[rows] and col_total[cols] (SDC_SHOWN or SDC_SECONDARY)
 * for the margins, and, when shown is not NULL, shown[rows × cols] the
 * value to print for a shown cell (rounded when o->round_base > 0; a
 * positive count that rounds to 0 gets SDC_LOW).  Totals themselves are
 * rounded from the unrounded totals by the caller (sdc_round_count).
 *
 * §8.2: repeat until nothing changes — scan rows top to bottom, then
 * columns left to right; in a line with exactly one suppressed cell (and a
 * total still shown) also suppress its smallest non-zero unsuppressed cell
 * (ties: the first); if there is none, suppress the line's total.
 */
void sdc_table(const long *cells, size_t rows, size_t cols, const struct sdc_options *o,
               enum sdc_status *status, enum sdc_status *row_total, enum sdc_status *col_total,
               long *shown);

/* A one-dimensional breakdown with a total: the same rule on the single line. */
void sdc_line(const long *cells, size_t n, const struct sdc_options *o, enum sdc_status *status,
              enum sdc_status *total, long *shown);

/* The published text of a cell: "c" when suppressed, "low", else the (rounded) count. */
const char *sdc_format(enum sdc_status status, long shown, char *buf, size_t n);

#endif
