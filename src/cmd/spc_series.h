/*
 * spc_series.h — measures' discrete monthly series as SPC reads them from the
 * store, shared by `improve spc --la --measure`, `improve measures` (its
 * variation and assurance columns) and bench/spc.
 *
 * A series is one authority's stored monthly values of one measure
 * (measures.md §0.2), never the rolling ones, in month order.  A month the
 * store does not hold between the first and the last stored month (a missing
 * return) is put in as a missing value, so that moving ranges, trends and
 * runs are not joined across the gap; a stored month without a value is
 * missing too, and so is a value counted without the earlier returns its
 * look-back needs (lookback_incomplete, measures.md §0.4): it is biased, not
 * noise.  Missing is NaN, as src/stats/spc.h expects.
 *
 * Ownership: a struct spc_series_set owns its series; release it with
 * spc_series_set_release().
 */
#ifndef IMPROVE_CMD_SPC_SERIES_H
#define IMPROVE_CMD_SPC_SERIES_H

#include "stats/spc.h"

#include <stddef.h>

struct err;
struct store;
struct measure_def;

struct spc_series {
        const struct measure_def *m;
        char (*periods)[11]; /* month ends, ISO */
        double *y;           /* NaN when missing */
        size_t n, cap;
        size_t n_values;   /* months with a usable value */
        size_t n_lookback; /* months left missing because their look-back was incomplete */
        size_t order;      /* position in the catalogue */
};

struct spc_series_set {
        struct spc_series *v; /* in catalogue order */
        size_t n;
};

/*
 * Every monthly series of one authority (measure NULL), or of one measure,
 * from the store.  Only catalogue measures with a monthly period are kept.
 */
int spc_series_read(struct store *s, const char *la, const char *measure,
                    struct spc_series_set *out, struct err *e);
void spc_series_set_release(struct spc_series_set *set);

/* The improvement direction of a measure's polarity: higher_better → increase, … */
enum spc_direction spc_series_direction(const struct measure_def *m);

/*
 * The icons of an XmR chart of y[0..n) with the default options (screening
 * on, no rebasing, no fixing).  Either may be NONE (too few values for
 * limits; no target or a neutral direction).
 */
void spc_series_icons(const double *y, size_t n, enum spc_direction d, int has_target,
                      double target, enum spc_variation *variation, enum spc_assurance *assurance);

/* The names `improve measures` writes: "common_cause", …; "pass", "fail", "hit_and_miss".
 * NULL for NONE. */
const char *spc_series_variation_name(enum spc_variation v);
const char *spc_series_assurance_name(enum spc_assurance a);

#endif
