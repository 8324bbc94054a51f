/*
 * web_data.h — the figures the pages and the JSON API show, read from the
 * store as `improve measures` reads them (struct measures_row, so the CSV
 * and JSON writers of the command serve the API unchanged), limited to the
 * signed-in user's authority and, for the outward roles, passed through
 * statistical disclosure control (statistics.md §8.1: "c").
 *
 * Ownership: a web_measures set owns its rows and their notes; release it
 * with web_measures_release().
 */
#ifndef IMPROVE_WEB_DATA_H
#define IMPROVE_WEB_DATA_H

#include "cmd/measures_output.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct err;

/* One authority's rows: annual and monthly values of every measure (or one). */
struct web_measures {
        struct measures_row *v;
        size_t n, cap;
        int latest_year; /* the latest collection year with any annual value; 0 if none */
};

/* Which annual rows get SPC variation and assurance (each is an XmR chart of the monthly
 * series to that row's period end). */
enum web_spc {
        WEB_SPC_NONE,
        WEB_SPC_LATEST, /* the latest annual row of each measure (the scorecard's) */
        WEB_SPC_ALL,    /* every annual row (the API, as `improve measures` prints them) */
};

/*
 * Read `la`'s values (annual with their benchmarks, and with `months` the
 * discrete monthly ones) of `measure` (NULL: all), sorted by outcome, catalogue order, period and
 * period end.  Annual rows get a data-quality count (dq_warnings is left as
 * stored; see web_return_errors).  With `outward`, internal-only measures
 * are left out and small numbers are suppressed (c_num, c_den, c_value).
 * Stale benchmarks are redone first, as the command does.
 */
int web_measures_load(struct store *s, const char *la, const char *measure, int outward, int months,
                      enum web_spc spc, struct web_measures *out, struct err *e);
void web_measures_release(struct web_measures *m);

/*
 * Every authority's annual value of `measure` in `year`, as store_web_year_values_each gives them
 * (authority code order), until `fn` returns non-zero.  Both this and web_measures_load answer
 * from a cache kept beside the connection while the store's stamp (store_web.h) is unchanged.
 */
struct store_measure_value;
int web_year_values_each(struct store *s, const char *measure, int year,
                         int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                         struct err *e);
/* How many reads these two answered from the cache, in this process (for tests). */
unsigned long long web_data_cache_hits(void);

/*
 * §8.1 on one computed value (the rule `improve measures --audience outward`
 * applies): a count of 1-5 is suppressed, and a ratio built on one or on a
 * denominator under 10; published values are public already.
 */
void web_disclose(struct measures_row *r);

/* The annual row of `measure` for `year`, or NULL. */
const struct measures_row *web_measures_year(const struct web_measures *m, const char *measure,
                                             int year);

/*
 * Errors in the stored return of kind ("903" or "cin") for `la` and `year`:
 * the count, 0 when none, -1 when no return is held (the value is then a
 * published figure), or -2 on a store error.
 */
long long web_return_errors(struct store *s, const char *la, const char *source, int year,
                            struct err *e);

/* A value as shown on pages: rounded half up to 1 decimal place (measures.md §0.8), "c" when
 * suppressed, "" when absent, with the unit's sign ("12.5%"). */
const char *web_value_text(const struct measures_row *r, double v, int has, int c, char *buf,
                           size_t n);

/* The heading of a National Framework outcome or enabler. */
const char *web_outcome_title(enum measure_outcome o);

#endif
