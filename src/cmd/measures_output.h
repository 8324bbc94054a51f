/*
 * measures_output.h — the rows `improve measures` prints and the writers for
 * each format (text, CSV, JSON, XLSX), kept apart from the command so that
 * other exports can reuse them.
 */
#ifndef IMPROVE_CMD_MEASURES_OUTPUT_H
#define IMPROVE_CMD_MEASURES_OUTPUT_H

#include "measures/measure.h"

#include <stdint.h>
#include <stdio.h>

struct err;

/* The CSV header, exactly as issue 5 specifies. */
#define MEASURES_CSV_HEADER                                                                        \
        "measure,la,period_end,numerator,denominator,value,unit,polarity,sn_median,region,"        \
        "england,quartile,rank,ranked,variation,assurance,note"

/* One value with its benchmarks, ready to print. */
struct measures_row {
        const struct measure_def *m;
        char la[4];
        const char *la_name; /* "" when unknown */
        enum measure_period period;
        char period_end[11];
        int year;
        const char *source; /* "cin", "903", "published", or "" for a gap */
        int has_num, has_den, has_value;
        int64_t num, den;
        double value;
        int small_base, lookback_incomplete, dq_warnings;
        char *note; /* owned; "" when none */

        /* Benchmarks (annual values only). */
        int has_sn, has_region, has_england;
        double sn_median, region, england;
        int sn_used;
        const char *region_source, *england_source; /* "published", "computed", "" */
        int quartile, rank, ranked;                 /* 0: none */
        int versus;                                 /* see store_measure_bench */

        /* Disclosure control (--audience outward): these cells are written "c". */
        int c_num, c_den, c_value;

        /*
         * Statistical process control, filled by measures_spc_fill(): one of
         * common_cause, improvement_high, improvement_low, concern_high,
         * concern_low, neutral_high, neutral_low; and pass, fail or
         * hit_and_miss.  NULL (written empty) until the SPC issue fills them.
         */
        const char *variation, *assurance;
};

/*
 * The hook where the SPC issue fills variation and assurance from each
 * row's discrete monthly series (statistics.md §1).  It leaves both NULL for
 * now: nothing is claimed before the charts exist.
 */
void measures_spc_fill(struct measures_row *rows, size_t n);

/*
 * Outward suppression of one row (statistics.md §8.1), the one rule of
 * `improve measures --audience outward` and of the web's outward roles: a
 * count of 1-5 is suppressed, and a ratio built on one or on a denominator
 * under 10 (c_num, c_den, c_value set; rank and band cleared; the note says
 * why).  Published values are public already and left alone.
 */
struct sdc_options;
void measures_disclose(struct measures_row *r, const struct sdc_options *o);

/*
 * Fill a row from a stored value of measure `m` (zeroing it first): authority, period, source,
 * numerator, denominator, value and their flags; comparators are left for
 * measures_row_set_bench().
 */
struct store_measure_value;
void measures_row_from_value(struct measures_row *r, const struct measure_def *m,
                             const struct store_measure_value *v, const char *la_name);

/*
 * Copy a stored benchmark (neighbours' median, region, England, quartile, rank, favourable)
 * into its row; the benchmark's note, if any, is added to the row's after "; ".
 */
struct store_measure_bench;
void measures_row_set_bench(struct measures_row *r, const struct store_measure_bench *b);

/* "favourable", "unfavourable", "above", "below", "equal" or "" (no comparison). */
const char *measures_versus_name(const struct measures_row *r);

int measures_write_csv(FILE *out, const struct measures_row *rows, size_t n, struct err *e);
int measures_write_json(FILE *out, const struct measures_row *rows, size_t n, struct err *e);
int measures_write_text(FILE *out, const struct measures_row *rows, size_t n, struct err *e);
int measures_write_xlsx(const char *path, const struct measures_row *rows, size_t n, struct err *e);

#endif
