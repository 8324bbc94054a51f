/*
 * scorecard_int.h — what the files of src/scorecard/ share; not for use
 * outside it.
 */
#ifndef IMPROVE_SCORECARD_INT_H
#define IMPROVE_SCORECARD_INT_H

#include "scorecard/scorecard.h"

struct store;
struct err;

/* Monotonic seconds, for the stage timings of scorecard_stats. */
double sc_now(void);
/* The store's word for where a computed value came from: "cin", "903". */
const char *sc_source_name(enum measure_source src);

/* Authority codes in the store, in code order (sc_codes_load; free code). */
struct sc_codes {
        char (*code)[4];
        size_t n, cap;
};
int sc_codes_load(struct store *s, struct sc_codes *out, struct err *e);

/* The first and last year of the figures of p (0, 0 when none). */
void sc_pub_years(const struct scorecard_pub *p, int *first, int *last);

/*
 * Published fall-backs: every measure's published figures loaded once, then
 * written authority by authority (inside the caller's transaction).
 */
struct sc_published;
struct sc_published *sc_published_open(struct store *s, struct err *e);
void sc_published_close(struct sc_published *p);
int sc_published_la(struct store *s, struct sc_published *p, const char *la,
                    struct scorecard_stats *st, struct err *e);
/* The loaded figures of catalogue row i (NULL when none) and the populations. */
const struct scorecard_pub *sc_published_of(const struct sc_published *p, size_t i);
const struct scorecard_pops *sc_published_pops(const struct sc_published *p);

/*
 * One authority's returns of `kinds` read back (every year) with their
 * populations, as a recompute reads them; the measures' history of it.
 */
struct sc_job;
struct sc_job *sc_job_load(struct store *s, const char *la, unsigned kinds, int from_year,
                           struct err *e);
const struct measure_history *sc_job_history(const struct sc_job *j);
void sc_job_free(struct sc_job *j);

#endif
