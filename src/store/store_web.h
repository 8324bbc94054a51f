/*
 * store_web.h — what the web application needs from the store to answer
 * fast, beyond store.h: a stamp that tells whether the database may have
 * changed since a cached read, a slot for a cache kept beside a connection,
 * and every authority's annual value of one measure in one statement.
 *
 * The stamp is the content generation (migration 9): a number in a one-row
 * table that store_commit moves, inside the same transaction, whenever the
 * transaction changed any row that is not bookkeeping.  Bookkeeping is the
 * sessions, login_failures and audit_log tables (a session touched, a failed
 * sign-in, a page view audited): those writes leave the stamp alone, so a
 * signed-in user's "last seen" no longer drops every worker's cache.
 *
 * A cache keyed by the stamp is never stale, from any connection or process:
 * the new content and the new number commit together, and the commit hook
 * (store_sqlite.c) refuses any commit that changed content without moving the
 * number, so a forgotten write path fails loudly instead.  A cache must hold
 * nothing read from the bookkeeping tables (the audit log page reads afresh).
 *
 * Why not (b), bookkeeping in an ATTACHed file with its own data_version: a
 * transaction over two WAL files is not atomic as a whole (an import and its
 * audit row could part), and backup would have two files to copy.  Why not
 * triggers: per-row work on tables the recompute writes a million rows into.
 */
#ifndef IMPROVE_STORE_WEB_H
#define IMPROVE_STORE_WEB_H

#include <stdint.h>

struct store;
struct err;
struct store_measure_value;

struct store_stamp {
        int64_t generation; /* content_generation.n; -1: inside a transaction, matches nothing */
};

/* The stamp now.  Equal stamps mean no content changed between (bookkeeping may have). */
int store_data_stamp(struct store *s, struct store_stamp *out, struct err *e);
static inline int store_stamp_equal(const struct store_stamp *a, const struct store_stamp *b)
{
        return a->generation >= 0 && a->generation == b->generation;
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
