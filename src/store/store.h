/*
 * store.h — the one interface the rest of the program uses to keep data.
 *
 * Callers never write SQL: each thing the program keeps has functions here,
 * and the backend (SQLite now, PostgreSQL later) owns its statements, its
 * dialect and its schema migrations.  Adding a backend means a new
 * store_<backend>.c behind the same functions, chosen in store_open() by the
 * form of the location ("postgresql://…" later; a path means SQLite).
 *
 * Ownership: strings passed in are copied by the store; strings handed out in
 * result structs live until the callback returns (copy what you keep).
 * Every function returns 0 on success or -1 with an error (EXIT_INTERNAL for
 * store failures, EXIT_INPUT for a file that is not an improve database).
 */
#ifndef IMPROVE_STORE_H
#define IMPROVE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct store;

enum store_open_flags {
        STORE_CREATE = 1,   /* create the database if it does not exist */
        STORE_READONLY = 2, /* open for reading only; no migrations */
};

/*
 * Open (and with STORE_CREATE create) the database at `location`, apply any
 * pending schema migrations and record them.  A database written by a newer
 * version of improve (a schema version above ours) is refused, as is a file
 * that is not an improve database.
 */
struct store *store_open(const char *location, int flags, struct err *e);
void store_close(struct store *s);

/* Schema version of the open database, and the newest this build knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);
const char *store_backend(const struct store *s); /* "sqlite" */
/* Migrations applied while opening (0 if the schema was already current). */
int store_migrations_applied(const struct store *s);

/* One transaction at a time; store_rollback is safe to call after a failure. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/*
 * Consistent copy of the whole database to `dest` while others may be using
 * it.  The copy is written beside `dest` and renamed into place, so `dest`
 * is either the old file or a complete backup.  `progress` may be NULL.
 */
int store_backup(struct store *s, const char *dest,
                 void (*progress)(void *ctx, long done, long total), void *ctx, struct err *e);

/* ---------------------------------------------------------------- authorities */

#define STORE_NEIGHBOURS 10

struct store_authority {
        char code[4];   /* old-style 3-digit code, "202" */
        char ecode[10]; /* 9-character ONS code, "E09000007" */
        const char *name;
        const char *region_code; /* "E12000007" */
        const char *region_name;
        char neighbours[STORE_NEIGHBOURS]
                       [4]; /* statistical neighbours, closest first; "" if unset */
};

/* Insert or replace one authority and its neighbours. */
int store_authority_put(struct store *s, const struct store_authority *a, struct err *e);
/* 1 found, 0 not found, -1 error. */
int store_authority_get(struct store *s, const char *code, struct store_authority *out,
                        char *strings, size_t strings_len, struct err *e);
/* Call fn for every authority in code order; fn returning non-zero stops the walk. */
int store_authority_each(struct store *s, int (*fn)(void *ctx, const struct store_authority *a),
                         void *ctx, struct err *e);

/* ---------------------------------------------------------------- imports */

struct store_import {
        const char *kind; /* "ssda903", "cin", "published", "authorities", … */
        const char *la;   /* 3-digit code or NULL */
        int year;         /* collection year or 0 */
        const char *user; /* who ran it (login name or account email) */
};

/* Record the start of an import; *id receives its number. */
int store_import_begin(struct store *s, const struct store_import *imp, int64_t *id, struct err *e);
/* Record one file read by the import: name, SHA-256 (hex) and size. */
int store_import_file(struct store *s, int64_t id, const char *name, const char *sha256_hex,
                      int64_t bytes, struct err *e);
/* Close an import with its status ("ok", "rejected", "failed") and a JSON object of counts. */
int store_import_finish(struct store *s, int64_t id, const char *status, const char *counts_json,
                        struct err *e);

/* ---------------------------------------------------------------- audit log */

/* The audit log is append-only: the schema refuses UPDATE and DELETE on it. */
struct store_audit {
        const char *user;     /* who */
        const char *action;   /* "login", "import", "view-children", … */
        const char *la;       /* authority concerned, or NULL */
        const char *detail;   /* free text or JSON (what) */
        const char *children; /* which children (comma-separated ids) or NULL */
};
int store_audit_append(struct store *s, const struct store_audit *a, struct err *e);
/* Number of audit rows (for tests and the admin page). */
int store_audit_count(struct store *s, int64_t *out, struct err *e);

/* ---------------------------------------------- published statistics and populations */

/*
 * Figures the DfE publishes (Explore Education Statistics files), kept as
 * published: a value is either a number or one of the symbols c, z, k, x, u,
 * low, ":" or "" (blank), never both.  A series is one value column of one
 * source file under one combination of filter values; re-importing a source
 * replaces all its series.  No child-level data is kept here.
 */

enum store_geo {
        STORE_GEO_NATIONAL,
        STORE_GEO_REGIONAL,
        STORE_GEO_LA,
};

struct store_published_key {
        const char *source; /* file name without .csv and year range, "c1_children_in_need_…" */
        const char *indicator; /* value column, "rereferral_percent" */
        const char *filters;   /* canonical filter key (ees_filter_key); "" for none; NULL in a
                                  query: any, provided exactly one series matches */
};

struct store_published {
        struct store_published_key key;
        enum store_geo level;
        const char *area;        /* "E92000001", a region code, or a 3-digit LA code */
        const char *new_la_code; /* LA rows: ONS code as published; NULL if none */
        const char *region_code; /* region of the row (LA and regional rows); NULL if none */
        const char *joint;       /* joint return "314 / 318" stored under each member; else NULL */
        int year;                /* the year the figure sits beside (see published/ees.h) */
        const char *time_period; /* as published, "2025" or "202425" */
        const char *period_end;  /* ISO date the figure describes, "2025-03-31" */
        const char *text;        /* the cell as published */
        const char *symbol; /* NULL for a number; else "c", "z", "k", "x", "u", "low", ":", "" */
        double value;       /* the number when symbol is NULL */
};

/*
 * Bulk writing, inside the caller's transaction (store_begin): one writer
 * keeps its prepared statements and a cache of series ids for all its puts.
 * A second value for the same series, year, level and area is an EXIT_INPUT
 * error (the caller adds the file and line).
 */
struct store_published_writer;
int store_published_writer_open(struct store *s, int64_t import_id,
                                struct store_published_writer **out, struct err *e);
/* Delete every series (and value) of `source`, so that an import replaces it. */
int store_published_clear(struct store_published_writer *w, const char *source, struct err *e);
int store_published_put(struct store_published_writer *w, const struct store_published *v,
                        struct err *e);
void store_published_writer_close(struct store_published_writer *w);

/*
 * One value: 1 found (strings copied into `strings`), 0 not found, -1 error
 * (also when k->filters is NULL and several series match).
 */
int store_published_get(struct store *s, const struct store_published_key *k, enum store_geo level,
                        const char *area, int year, struct store_published *out, char *strings,
                        size_t strings_len, struct err *e);
/* Every value of one series at one level for one year, in area order (e.g. all LAs). */
int store_published_each(struct store *s, const struct store_published_key *k, enum store_geo level,
                         int year, int (*fn)(void *ctx, const struct store_published *v), void *ctx,
                         struct err *e);
/* Number of stored values of `source` (NULL: of all sources). */
int store_published_count(struct store *s, const char *source, int64_t *out, struct err *e);

/*
 * Children aged 0–17 (measures.md §0.7), keyed by the reporting year the
 * figure serves: the mid-(year−1) estimate serves year.  `area` is a 3-digit
 * LA code, a region code or E92000001 for England.
 */
int store_population_put(struct store *s, const char *area, int year, int64_t population,
                         const char *source, int64_t import_id, struct err *e);
/* 1 found, 0 none for that year (the rate is then "not available"), -1 error. */
int store_population_get(struct store *s, const char *area, int year, int64_t *out, struct err *e);

/* ------------------------------------------------ returns: SSDA903 and CIN (issue 4) */

/*
 * A return is one authority's SSDA903 load or CIN census for one collection
 * year, stored table by table (store tables s903_<table> and cin_<table>,
 * keyed by la, year and row; see migration 3) with the validation findings
 * made when it was imported.  Storing a return deletes the previous one of the
 * same kind, authority and year first; both functions must run inside the
 * caller's transaction (store_begin), so that the old return or the new one is
 * there, never a mixture.  The authority must already be in `authorities`.
 */
struct ssda903_load;
struct cin_load;
struct finding;

enum store_return_kind {
        STORE_RETURN_SSDA903,
        STORE_RETURN_CIN,
};
const char *store_return_kind_name(enum store_return_kind k); /* "ssda903", "cin" */

struct store_return {
        enum store_return_kind kind;
        const char *la; /* 3-digit code */
        int year;       /* collection year of the data */
        int rules_year; /* rule set the findings come from */
        int64_t import_id;
        int64_t children; /* distinct children in the return */
};

/* Store this year's tables of `ld` (not the `_last` ones) and the findings. */
int store_return_put_903(struct store *s, const struct store_return *r,
                         const struct ssda903_load *ld, const struct finding *f, size_t nf,
                         struct err *e);
/* Store every table of the census `l` and the findings. */
int store_return_put_cin(struct store *s, const struct store_return *r, const struct cin_load *l,
                         const struct finding *f, size_t nf, struct err *e);
/* Delete a stored return (rows and findings); 1 if there was one, 0 if not, -1 error. */
int store_return_delete(struct store *s, enum store_return_kind kind, const char *la, int year,
                        struct err *e);

struct store_return_info {
        enum store_return_kind kind;
        char la[4];
        int year;
        int rules_year;
        int64_t import_id;
        int64_t children, rows, errors, queries;
};
/* The stored return of (kind, la, year): 1 found, 0 none, -1 error. */
int store_return_get(struct store *s, enum store_return_kind kind, const char *la, int year,
                     struct store_return_info *out, struct err *e);
/* Rows stored for one store table ("s903_episodes", "return_findings") of one la and year. */
int store_return_count(struct store *s, const char *table, const char *la, int year, int64_t *out,
                       struct err *e);

/* One recorded import, for `improve imports`. */
struct store_import_row {
        int64_t id;
        const char *kind;
        const char *la; /* NULL when none */
        int year;       /* 0 when none */
        const char *user;
        const char *started_at, *finished_at; /* finished_at NULL while running */
        const char *status;
        const char *counts; /* JSON object */
        int64_t files, bytes;
        int current; /* the stored return of its kind, authority and year comes from it */
};
/* Every import, newest first, of one authority (la NULL: all); fn returning non-zero stops. */
int store_import_each(struct store *s, const char *la,
                      int (*fn)(void *ctx, const struct store_import_row *r), void *ctx,
                      struct err *e);

/* ------------------------------------------- users, sessions, sign-in failures (issue 7) */

/*
 * Accounts of the web application.  Every user belongs to one authority and
 * has one role (security.md: admin, leader, analyst, practitioner, member,
 * peer, inspector); the store keeps the role as its name and the password as
 * a libsodium crypto_pwhash_str string (Argon2id), never the password itself.
 * E-mail addresses are kept in lower case and are unique.
 */
#define STORE_EMAIL_MAX  254
#define STORE_PWHASH_MAX 128 /* crypto_pwhash_STRBYTES */

struct store_user {
        int64_t id;
        char email[STORE_EMAIL_MAX + 1];
        char la[4];
        char role[16];
        char pwhash[STORE_PWHASH_MAX];
        int disabled;
        char created_at[21]; /* ISO 8601 UTC */
};

/* Add a user; *id receives its number.  An e-mail already taken is an EXIT_INPUT error. */
int store_user_add(struct store *s, const struct store_user *u, int64_t *id, struct err *e);
/* 1 found, 0 not found, -1 error. */
int store_user_get_email(struct store *s, const char *email, struct store_user *out, struct err *e);
int store_user_get_id(struct store *s, int64_t id, struct store_user *out, struct err *e);
/* Every user of one authority (la NULL: all), by authority then e-mail; fn non-zero stops. */
int store_user_each(struct store *s, const char *la,
                    int (*fn)(void *ctx, const struct store_user *u), void *ctx, struct err *e);
/* Set or clear the disabled flag; 1 changed, 0 no such user, -1 error. */
int store_user_set_disabled(struct store *s, int64_t id, int disabled, struct err *e);
/* Replace the password hash; 1 changed, 0 no such user, -1 error. */
int store_user_set_pwhash(struct store *s, int64_t id, const char *pwhash, struct err *e);

/*
 * Sessions are keyed by a hash of the identifier the browser holds (32
 * bytes), so that a copy of the database does not hand out live sessions.
 * Times are seconds since the epoch, given by the caller (tests move them).
 */
#define STORE_SESSION_KEY 32
#define STORE_CSRF_MAX    64

struct store_session {
        int64_t user_id;
        char csrf[STORE_CSRF_MAX + 1]; /* the session's CSRF token */
        int64_t created, last_seen;
};
int store_session_put(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                      const struct store_session *v, struct err *e);
/* 1 found, 0 not found, -1 error. */
int store_session_get(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                      struct store_session *out, struct err *e);
int store_session_touch(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                        int64_t last_seen, struct err *e);
int store_session_delete(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                         struct err *e);
/* Delete every session of one user (disabled, password reset). */
int store_session_delete_user(struct store *s, int64_t user_id, struct err *e);
/* Delete sessions idle since before `idle_before` or created before `created_before`. */
int store_session_prune(struct store *s, int64_t idle_before, int64_t created_before,
                        struct err *e);

/*
 * Failed sign-ins, for rate limiting per account and per address.  The
 * audit log has them too; this table is only for counting and is pruned.
 */
int store_login_failure_add(struct store *s, const char *email, const char *address, int64_t at,
                            struct err *e);
/* Failures since `since` for the e-mail and for the address (either may be NULL: 0). */
int store_login_failure_count(struct store *s, const char *email, const char *address,
                              int64_t since, int64_t *by_email, int64_t *by_address, struct err *e);
/* Forget the failures of one e-mail (after a successful sign-in or a reset). */
int store_login_failure_clear(struct store *s, const char *email, struct err *e);
/* Forget failures older than `before`. */
int store_login_failure_prune(struct store *s, int64_t before, struct err *e);

/* A cheap query that fails if the database cannot be read (for GET /healthz). */
int store_ping(struct store *s, struct err *e);

/* One row of the audit log, newest first, for the admin page. */
struct store_audit_row {
        int64_t id;
        const char *at, *user, *action, *la, *detail, *children; /* la, children may be NULL */
};
/* Rows of one authority (la NULL: all), newest first, at most `limit` from `offset`. */
int store_audit_each(struct store *s, const char *la, int64_t limit, int64_t offset,
                     int (*fn)(void *ctx, const struct store_audit_row *r), void *ctx,
                     struct err *e);

/* ------------------------------------------------ change register: events (issue 8) */

/*
 * A structural change in one authority: a restructure, a new practice model, a
 * trust, … (store_event_kinds), dated, titled, with the measures it is meant to
 * move (catalogue ids, in the order given) and a free-text note.  An event is
 * one (la, date, kind, title): putting the same again updates its note and
 * measures.  The authority must already be in `authorities`.
 */
extern const char *const store_event_kinds[]; /* NULL-terminated, in the order help lists */
/* 1 if `kind` is one of store_event_kinds, else 0. */
int store_event_kind_valid(const char *kind);

#define STORE_EVENT_MEASURES_MAX 16

struct store_event {
        int64_t id;       /* set by the store */
        const char *la;   /* 3-digit code */
        const char *date; /* ISO YYYY-MM-DD */
        const char *kind;
        const char *title;
        const char *note; /* "" when none */
        const char *measures[STORE_EVENT_MEASURES_MAX];
        size_t n_measures;
        int64_t import_id;      /* 0 when added by hand */
        const char *user;       /* who registered it */
        const char *created_at; /* set by the store; ISO 8601 UTC */
};

/*
 * Add an event, or update the note and measures of the same (la, date, kind,
 * title).  *id receives its number, *created 1 if it is new (either may be
 * NULL).  Run inside the caller's transaction for a batch.
 */
int store_event_put(struct store *s, const struct store_event *ev, int64_t *id, int *created,
                    struct err *e);
/* The id of the event (la, date, kind, title): 1 found, 0 not found, -1 error. */
int store_event_find(struct store *s, const char *la, const char *date, const char *kind,
                     const char *title, int64_t *id, struct err *e);
/* One event by id; fn is called once with it.  1 found, 0 not found, -1 error. */
int store_event_get(struct store *s, int64_t id, int (*fn)(void *ctx, const struct store_event *ev),
                    void *ctx, struct err *e);
/* Events of one authority (la NULL: all) by authority, date and id; fn non-zero stops. */
int store_event_each(struct store *s, const char *la,
                     int (*fn)(void *ctx, const struct store_event *ev), void *ctx, struct err *e);
/* Number of events (la NULL: all). */
int store_event_count(struct store *s, const char *la, int64_t *out, struct err *e);

/* ------------------------------------------------ measure values and benchmarks (issue 5) */

/*
 * Returns read back: an authority's stored SSDA903 load or CIN census of one
 * collection year rebuilt in memory (src/returns/build.h), for the measures
 * engine.  `tables` has bit (1u << t) set for each reader table t to read
 * (enum ssda903_table_id < SSDA903_NCURRENT, enum cin_table_id);
 * STORE_ALL_TABLES reads all; tables left out are absent from the load.  A
 * CIN census needs its ChildIdentifiers to know its children.  1 found (*out
 * a finished load the caller frees with ssda903_free, or `out` an initialised
 * census filled in), 0 none, -1 error.
 */
#define STORE_ALL_TABLES (~0u)
int store_return_read_903(struct store *s, const char *la, int year, unsigned tables,
                          struct ssda903_load **out, struct err *e);
int store_return_read_cin(struct store *s, const char *la, int year, unsigned tables,
                          struct cin_load *out, struct err *e);
/*
 * Return snapshots (store_sqlite_returns_read.c): the cells a read of stored
 * rows gave, kept as one blob per return so that later reads skip decoding
 * rows.  The rows stay the source of truth: a snapshot is used only when it
 * belongs to the return's current import, has the current format, holds
 * every table asked for and checks.  The _snap reads use a usable snapshot;
 * otherwise they read the rows and, when `made` is not NULL, hand back a
 * snapshot of what they read (made->data NULL when none was made) for the
 * caller to store with store_return_snapshot_put on a writable connection
 * and free with store_return_snapshot_release.  The load is the same either
 * way, except that a census read from a snapshot carries the text of only
 * the cells store_cin_snapshot_keeps() names (its dates are parsed as ever;
 * store_return_read_cin reads the rows, every text).
 */
int store_cin_snapshot_keeps(int table, size_t col); /* 1: a CIN snapshot keeps this text */
struct store_return_snapshot {
        enum store_return_kind kind;
        char la[4];
        int year;
        int64_t import_id;
        unsigned tables;
        unsigned char *data;
        size_t size;
};
int store_return_read_903_snap(struct store *s, const char *la, int year, unsigned tables,
                               struct ssda903_load **out, struct store_return_snapshot *made,
                               struct err *e);
int store_return_read_cin_snap(struct store *s, const char *la, int year, unsigned tables,
                               struct cin_load *out, struct store_return_snapshot *made,
                               struct err *e);
int store_return_snapshot_put(struct store *s, const struct store_return_snapshot *sn,
                              struct err *e);
/*
 * Ask the connection to read the file through a memory map (PRAGMA
 * mmap_size, up to sqlite's limit): a connection that reads many large
 * snapshots then copies pages once instead of through read().  0, or -1.
 */
int store_read_mapped(struct store *s, struct err *e);
void store_return_snapshot_release(struct store_return_snapshot *sn);
/* Where the store is (the path it was opened with), for opening more connections to it. */
const char *store_location(const struct store *s);
/* The collection years of an authority's stored returns of one kind, ascending (malloc'd). */
int store_return_years(struct store *s, enum store_return_kind kind, const char *la, int **years,
                       size_t *n, struct err *e);

/*
 * One value of a measure (measures.md §0.2, §0.8): an authority, a measure
 * id, a period ("year", "month" or "rolling") ending on `period_end` (ISO
 * date), its numerator, denominator and unrounded value, each of which may be
 * absent, and why in `note`.  `source` says where it came from: "cin" or
 * "903" (computed from that return) or "published" (the DfE's figure for an
 * authority whose return for the year is not held; numerator and denominator
 * then absent).  `year` is the collection year containing period_end.
 */
struct store_measure_value {
        const char *la;
        const char *measure;
        const char *period;
        const char *period_end;
        int year;
        const char *source;
        int has_numerator, has_denominator, has_value;
        int64_t numerator, denominator;
        double value;
        const char *note;        /* "" when none */
        int small_base;          /* denominator below 10 (§0.9) */
        int lookback_incomplete; /* an earlier return the look-back needs is not held */
        int dq_warnings;         /* data-quality problems met while counting */
};

/*
 * Bulk writing inside the caller's transaction: statements prepared once.
 * Putting a value that exists (same la, period, period_end, measure)
 * replaces it.  Rows written in (la, period, period_end, measure) order go
 * fastest.
 */
struct store_measure_writer;
int store_measure_writer_open(struct store *s, struct store_measure_writer **out, struct err *e);
int store_measure_put(struct store_measure_writer *w, const struct store_measure_value *v,
                      struct err *e);
void store_measure_writer_close(struct store_measure_writer *w);
/* Delete an authority's values from one source ("cin", "903", "published"; NULL: every
 * source) whose period ends in collection year `from_year` or later (0: every year). */
int store_measure_delete(struct store *s, const char *la, const char *source, int from_year,
                         struct err *e);
/*
 * Make authority `la`'s values of the given sources (NULL-terminated:
 * "903", "cin") from collection year `from_year` on exactly v[0..n), which
 * must be in (period, period_end, measure) key order: as a delete of those
 * values followed by a put of each of v (other sources' values of other
 * keys stay; a put replaces whatever holds its key), but writing only the
 * rows that change.  *written (may be NULL) gets the number of rows put.
 * Inside the caller's transaction.
 */
int store_measure_replace(struct store *s, const char *la, const char *const *sources,
                          int from_year, const struct store_measure_value *v, size_t n,
                          long *written, struct err *e);
/*
 * Values of one authority (la NULL: every authority), one period (NULL: all),
 * one collection year (0: all) and one measure (NULL: all), in (la, period,
 * period_end, measure) order; fn returning non-zero stops the walk.  One
 * authority's year is one index range (the scorecard read).
 */
int store_measure_each(struct store *s, const char *la, const char *period, int year,
                       const char *measure,
                       int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                       struct err *e);

/*
 * The benchmarks of one authority's annual value (statistics.md §7,
 * measures.md §0.10): the median of its statistical neighbours' values
 * (sn_used of 10 had one), its region's and England's figure — published, or
 * "computed" by pooling the authorities in the store — the quartile band and
 * rank (1 = best; 0 when not ranked) among `ranked` authorities, and how the
 * value compares with the neighbours' median: +1 favourable (neutral
 * measures: above), -1 unfavourable (below), 0 equal or not comparable.
 */
struct store_measure_bench {
        const char *la;
        int year;
        const char *measure;
        int has_sn_median, has_region, has_england;
        double sn_median, region, england;
        int sn_used;
        const char *region_code;    /* "" when unknown */
        const char *region_source;  /* "published", "computed" or "" */
        const char *england_source; /* "published", "computed" or "" */
        int quartile, rank, ranked;
        int versus;
        const char *note; /* "" when none */
};

/* Replace every benchmark of `year` (within the caller's transaction), then put each row. */
int store_bench_clear(struct store *s, int year, struct err *e);
struct store_bench_writer;
int store_bench_writer_open(struct store *s, struct store_bench_writer **out, struct err *e);
int store_bench_put(struct store_bench_writer *w, const struct store_measure_bench *b,
                    struct err *e);
void store_bench_writer_close(struct store_bench_writer *w);
/*
 * A year's benchmarks by difference, instead of store_bench_clear and a put of every row:
 * store_bench_writer_year reads the year's rows; a put of that year equal to its stored row
 * (as it would read back) writes nothing; store_bench_writer_year_end deletes the year's rows
 * not put since.  So a recompute that changes nothing writes nothing.
 */
int store_bench_writer_year(struct store_bench_writer *w, int year, struct err *e);
int store_bench_writer_year_end(struct store_bench_writer *w, struct err *e);
/* Benchmarks of one authority (NULL: all), year (0: all), measure (NULL: all), in key order. */
int store_bench_each(struct store *s, const char *la, int year, const char *measure,
                     int (*fn)(void *ctx, const struct store_measure_bench *b), void *ctx,
                     struct err *e);

/*
 * Years that have values, and whether their benchmarks are stale: values
 * change one authority at a time, but every authority's rank and its
 * neighbours' median move with them, so an import only marks its years and
 * the benchmarks are redone once, when next read.  year 0 marks every year.
 */
int store_measure_year_mark(struct store *s, int year, struct err *e);
/* The years with values (ascending, malloc'd), and for each whether it is stale. */
int store_measure_years(struct store *s, int **years, int **stale, size_t *n, struct err *e);
int store_measure_year_fresh(struct store *s, int year, struct err *e);

/* Every stored population (area, reporting year, children 0-17); fn non-zero stops. */
int store_population_each(struct store *s,
                          int (*fn)(void *ctx, const char *area, int year, int64_t population),
                          void *ctx, struct err *e);

/*
 * Published series lookup for benchmarks: the series of (source, indicator)
 * whose filter key contains every "name=value" pair of `filters` (a canonical
 * key, ees_filter_key; "" matches any).  1 found, 0 none or more than one, -1
 * error.  Then every value of it at one level (all years), by year and area.
 */
int store_published_series_find(struct store *s, const char *source, const char *indicator,
                                const char *filters, int64_t *id, struct err *e);
int store_published_series_each(struct store *s, int64_t series, enum store_geo level,
                                int (*fn)(void *ctx, const struct store_published *v), void *ctx,
                                struct err *e);

/* ------------------------------------------------ measure targets (issue 6) */

/*
 * A target for one authority's measure, in the measure's own units: the SPC
 * assurance icon compares it with the process limits (statistics.md §1.4).
 * One target per (la, measure); setting it again replaces it.  The authority
 * must already be in `authorities`.  `user` and `set_at` (ISO 8601 UTC, set by
 * the store) say who set it and when.
 */
struct store_target {
        const char *la;
        const char *measure;
        double value;
        const char *user;
        const char *set_at; /* ignored by store_target_put */
};

/* Set (or replace) a target; *replaced (may be NULL) is 1 when one was there. */
int store_target_put(struct store *s, const struct store_target *t, int *replaced, struct err *e);
/* The target of (la, measure): 1 found (*value set), 0 none, -1 error. */
int store_target_get(struct store *s, const char *la, const char *measure, double *value,
                     struct err *e);
/* Delete the target of (la, measure), or every target of la when measure is NULL;
 * *deleted (may be NULL) receives how many went. */
int store_target_delete(struct store *s, const char *la, const char *measure, int64_t *deleted,
                        struct err *e);
/* Targets of one authority (la NULL: all) by authority and measure; fn non-zero stops. */
int store_target_each(struct store *s, const char *la,
                      int (*fn)(void *ctx, const struct store_target *t), void *ctx, struct err *e);

/*
 * SPC's read of the discrete monthly values (store_sqlite_spc.c): one
 * authority's values of period "month" (measure NULL: every measure) in
 * (period_end, measure) order, with only the columns a chart needs; has_value
 * is 0 when the value is absent, lookback_incomplete as stored.  fn returning
 * non-zero stops the walk.
 */
int store_measure_month_each(struct store *s, const char *la, const char *measure,
                             int (*fn)(void *ctx, const char *period_end, const char *measure,
                                       int has_value, double value, int lookback_incomplete),
                             void *ctx, struct err *e);

/* ------------------------------------------- web application: findings (issue 7) */

/* One stored validation finding (store_sqlite_web.c); strings live until fn returns. */
struct store_finding_row {
        const char *kind; /* "ssda903", "cin" */
        int year;
        int64_t seq, import_id;
        const char *rule, *severity, *table; /* table may be NULL */
        int64_t row;
        const char *child, *fields, *message, *file; /* child, file may be NULL */
};
/* Findings of authority `la`, narrowed by kind (NULL: any), year (0: any), rule and child
 * (NULL: any), in (kind, year, seq) order; fn returning non-zero stops. */
int store_web_findings_each(struct store *s, const char *la, const char *kind, int year,
                            const char *rule, const char *child,
                            int (*fn)(void *ctx, const struct store_finding_row *f), void *ctx,
                            struct err *e);
/* Findings of `la` counted by return, year, rule and severity (most first within a year). */
struct store_rule_count {
        const char *kind;
        int year;
        const char *rule, *severity, *message;
        int64_t count, children;
};
int store_web_rule_counts(struct store *s, const char *la,
                          int (*fn)(void *ctx, const struct store_rule_count *r), void *ctx,
                          struct err *e);

#endif
