/*
 * store_sqlite.h — internals shared by the files of the SQLite backend.
 *
 * Only src/store/store_sqlite*.c include this.  The backend is split by area
 * (store_sqlite.c: opening, migrations, transactions, backup, authorities,
 * imports, audit; store_sqlite_<area>.c: what later issues add), and these
 * helpers keep error messages and binding the same everywhere.
 */
#ifndef IMPROVE_STORE_SQLITE_H
#define IMPROVE_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdint.h>

struct err;

#define SQ_KEPT_MAX 32

struct store {
        sqlite3 *db;
        char *path;
        int version;
        int applied;
        int in_tx;
        /* A cache a reader keeps beside this connection (store_web.h), freed on close. */
        void *cache;
        void (*cache_free)(void *cache);
        /* The content generation (store_sqlite.c, "content generation"): a transaction that
         * changed rows other than bookkeeping ones moves it before it commits. */
        int enforce;        /* schema current: the commit hook refuses unaccounted commits */
        int bookkeeping;    /* a declared bookkeeping statement is being stepped */
        int bumped;         /* this transaction has moved the generation */
        int vetoed;         /* the commit hook refused the last commit */
        int64_t tx_mark;    /* sqlite3_total_changes64 when store_begin opened the transaction */
        int64_t tx_bk_rows; /* rows bookkeeping statements changed since then */
        /* Statements kept prepared by sq_prepare_kept, found by their SQL text's address. */
        const char *kept_sql[SQ_KEPT_MAX];
        sqlite3_stmt *kept[SQ_KEPT_MAX];
};

/* Fill `e` with "PATH: what: sqlite's message" (EXIT_INTERNAL); returns -1. */
int sq_error(struct store *s, struct err *e, const char *what);
/* Run SQL without results. */
int sq_exec(struct store *s, const char *sql, struct err *e);
/* Run a query that returns one integer. */
int sq_query_int(struct store *s, const char *sql, int64_t *out, struct err *e);
/* Prepare a statement; on failure *st is NULL and the error is set. */
int sq_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e);
/*
 * A statement asked for again and again (a recompute reads every return of every authority:
 * preparing cost as much as stepping): `sql` must be a string literal, whose address names
 * the statement.  The first call prepares it and keeps it with the connection (finalized by
 * store_close; more than SQ_KEPT_MAX such statements are prepared each time, as sq_prepare);
 * after use the caller hands it back with sq_kept_done (reset, bindings cleared), never
 * sqlite3_finalize.  One user at a time, as for the connection itself.
 */
int sq_prepare_kept(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e);
void sq_kept_done(struct store *s, sqlite3_stmt *st);
/* Bind a string, or NULL as SQL NULL. */
int sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* The current time as ISO 8601 UTC, "2026-03-31T09:30:00Z". */
void sq_utc_now(char out[21]);

/*
 * Writes and the content generation.  Content (everything but sessions, sign-in failures and
 * the audit log) is written inside store_begin/store_commit, which moves the generation; a
 * store function that writes content and may be called outside a transaction opens its own:
 *
 *     int own;
 *     if (sq_own_begin(s, &own, e)) return -1;
 *     return sq_own_end(s, own, body(s, ..., e), e);
 *
 * sq_own_end commits when it opened the transaction and `rc` >= 0, else rolls back; it
 * returns `rc` (or -1 if the commit failed).  Bookkeeping writes (sessions, login_failures,
 * audit_log) step their statement with sq_step_bookkeeping, which keeps their rows out of the
 * count that decides whether a transaction moves the generation.  Any other commit that did
 * not move it is refused by the commit hook, so a forgotten write fails loudly, never leaves
 * a page cache stale.
 */
int sq_own_begin(struct store *s, int *own, struct err *e);
int sq_own_end(struct store *s, int own, int rc, struct err *e);
int sq_step_bookkeeping(struct store *s, sqlite3_stmt *st);

/* One measure_values row, selected as la, period, period_end, measure, year, source,
 * numerator, denominator, value, note, small_base, lookback_incomplete, dq_warnings (in that
 * order), as a store_measure_value whose texts live until the next step; NULL texts read "". */
void sq_measure_value_row(sqlite3_stmt *st, struct store_measure_value *v);

#endif
