/*
 * store_web.h — what the web application needs from the store to answer
 * fast, beyond store.h: a stamp that tells whether the database may have
 * changed since a cached read, a slot for a cache kept beside a connection,
 * and every authority's annual value of one measure in one statement.
 *
 * A cache keyed by the stamp is never stale: the stamp changes when any other
 * connection (another worker, an `improve import` in another process) commits,
 * and when this connection writes anything.  It may change when nothing a
 * cache holds did (a session touched); that only costs a read.
 */
#ifndef IMPROVE_STORE_WEB_H
#define IMPROVE_STORE_WEB_H

#include <stdint.h>

struct store;
struct err;
struct store_measure_value;

struct store_stamp {
        int64_t data_version; /* PRAGMA data_version: others' commits */
        int64_t changes;      /* rows this connection changed */
};

/* The connection's stamp now.  Equal stamps of one connection mean no data changed between. */
int store_data_stamp(struct store *s, struct store_stamp *out, struct err *e);
static inline int store_stamp_equal(const struct store_stamp *a, const struct store_stamp *b)
{
        return a->data_version == b->data_version && a->changes == b->changes;
}

/* The cache kept beside this connection (NULL until set); `release` frees it at store_close.
 * A connection is used by one thread at a time, so its cache needs no lock. */
void *store_cache(struct store *s);
void store_set_cache(struct store *s, void *cache, void (*release)(void *cache));

/*
 * Every listed authority's annual value of `measure` in collection year `year`, in authority
 * code order (then period end), until `fn` returns non-zero: what calling store_measure_each(s,
 * code, "year", year, measure) for each authority of store_authority_each gives, in one statement.
 */
int store_web_year_values_each(struct store *s, const char *measure, int year,
                               int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                               struct err *e);

#endif
