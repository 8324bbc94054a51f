/*
 * synth.h — the synthetic region generator behind `improve synth`.
 *
 * synth_run() simulates children's journeys through a region of fictional
 * authorities and writes their statutory returns (SSDA903 CSV tables and the
 * CIN census XML, one set per authority and collection year) together with the
 * ground truth: the measures the simulation counted as it ran, the planted
 * structural changes and their true effects, and every injected data error.
 * The layout of the output directory is documented in docs/synthetic-data.md.
 *
 * Output is a pure function of the options: the same version, seed and
 * options write byte-identical files, whatever the machine or thread count.
 */
#ifndef IMPROVE_SYNTH_H
#define IMPROVE_SYNTH_H

#include <stdint.h>

struct err;

#define SYNTH_MAX_LAS        199
#define SYNTH_FIRST_YEAR_MIN 2013 /* earliest collection year (bank holiday table) */
#define SYNTH_LAST_YEAR_MAX  2027 /* latest collection year with a known format */

struct synth_options {
        const char *out_dir;
        int las;           /* authorities, 1..SYNTH_MAX_LAS (default 12) */
        int years;         /* collection years (default 4) */
        int last_year;     /* last collection year, e.g. 2026 = 2025/26 */
        uint64_t seed;     /* default 1 */
        double error_rate; /* 0 = clean files; else share of records given a mistake */
};

/* Progress: called after each authority is written (done of total). */
typedef void (*synth_progress_fn)(void *ctx, int done, int total);

/* Fill the defaults of `improve synth` (12 authorities, 2023–2026, seed 1, no errors). */
void synth_options_default(struct synth_options *o);

/* Check the options; -1 with an EXIT_USAGE error naming the bad one. */
int synth_check_options(const struct synth_options *o, struct err *e);

/* Generate the region.  0, or -1 with an error (EXIT_INPUT for I/O trouble). */
int synth_run(const struct synth_options *o, struct err *e);
int synth_run_progress(const struct synth_options *o, synth_progress_fn fn, void *ctx,
                       struct err *e);

#endif
