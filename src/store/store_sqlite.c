/*
 * store_sqlite.c — the SQLite backend of store.h.
 *
 * One connection per `struct store`.  Opening sets WAL mode (readers do not
 * block the writer, and `improve backup` can copy while the server runs),
 * foreign keys on and a busy timeout, then brings the schema up to date.
 *
 * Identity and version live in the file header: PRAGMA application_id marks
 * the file as ours, PRAGMA user_version holds the schema version, and the
 * schema_migrations table records when each migration was applied and by
 * which version of improve.  A file with tables but without our mark is some
 * other program's database and is left untouched.
 *
 * The content generation (migration 9, store_web.h) is moved here, in the
 * commit path, by every transaction that changed content; the commit hook
 * refuses any commit that changed content without moving it.
 */
#include "store/store.h"
#include "store/schema.h"
#include "store/store_sqlite.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef IMPROVE_VERSION
#define IMPROVE_VERSION "0.0.0"
#endif

/* "IMPV" */
#define APPLICATION_ID 0x494D5056

int sq_error(struct store *s, struct err *e, const char *what)
{
        if (s->vetoed) {
                s->vetoed = 0;
                return err_set(e, EXIT_INTERNAL,
                               "%s: %s: a write outside store_begin/store_commit was refused "
                               "(it would change content without moving the content "
                               "generation)",
                               s->path, what);
        }
        return err_set(e, EXIT_INTERNAL, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int sq_exec(struct store *s, const char *sql, struct err *e)
{
        char *msg = NULL;
        if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
                if (s->vetoed)
                        sq_error(s, e, sql);
                else
                        err_set(e, EXIT_INTERNAL, "%s: %s", s->path,
                                msg ? msg : sqlite3_errmsg(s->db));
                sqlite3_free(msg);
                return -1;
        }
        return 0;
}

int sq_query_int(struct store *s, const char *sql, int64_t *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "query failed");
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
                return sq_error(s, e, "query failed");
        return 0;
}

void sq_utc_now(char out[21])
{
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
        if (!v)
                return sqlite3_bind_null(st, i);
        return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

int sq_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e)
{
        if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
                *st = NULL;
                return sq_error(s, e, "preparing statement");
        }
        return 0;
}

int sq_prepare_kept(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e)
{
        for (int i = 0; i < SQ_KEPT_MAX; i++) {
                if (s->kept_sql[i] == sql) {
                        *st = s->kept[i];
                        return 0;
                }
                if (!s->kept_sql[i]) {
                        if (sq_prepare(s, st, sql, e))
                                return -1;
                        s->kept_sql[i] = sql;
                        s->kept[i] = *st;
                        return 0;
                }
        }
        return sq_prepare(s, st, sql, e);
}

void sq_kept_done(struct store *s, sqlite3_stmt *st)
{
        for (int i = 0; i < SQ_KEPT_MAX && s->kept_sql[i]; i++)
                if (s->kept[i] == st) {
                        sqlite3_reset(st);
                        sqlite3_clear_bindings(st);
                        return;
                }
        sqlite3_finalize(st); /* one of the statements beyond SQ_KEPT_MAX */
}

/* ---------------------------------------------------------------- content generation */

/* The migration that made content_generation, and the statement that moves it. */
#define CONTENT_GENERATION_SINCE 9
#define BUMP_SQL                 "UPDATE content_generation SET n = n + 1 WHERE id = 1"

/*
 * Called by SQLite as a write transaction of this connection commits (only write transactions
 * call it).  Inside store_begin/store_commit, store_commit has already moved the generation if
 * content rows changed, and the count here is exact (every statement has finished).  Outside
 * one, an autocommit statement commits as it steps and its own rows are not yet counted, so
 * only a declared bookkeeping statement may commit that way.  Returning non-zero turns the
 * commit into a rollback (SQLITE_CONSTRAINT_COMMITHOOK).
 */
static int on_commit(void *arg)
{
        struct store *s = arg;
        if (!s->enforce || s->bumped)
                return 0;
        if (s->in_tx) {
                if (sqlite3_total_changes64(s->db) - s->tx_mark - s->tx_bk_rows <= 0)
                        return 0;
        } else if (s->bookkeeping) {
                return 0;
        }
        s->vetoed = 1;
        return 1;
}

int sq_step_bookkeeping(struct store *s, sqlite3_stmt *st)
{
        int64_t before = sqlite3_total_changes64(s->db);
        s->bookkeeping = 1;
        int rc = sqlite3_step(st);
        s->bookkeeping = 0;
        if (s->in_tx)
                s->tx_bk_rows += sqlite3_total_changes64(s->db) - before;
        return rc;
}

int sq_own_begin(struct store *s, int *own, struct err *e)
{
        *own = !s->in_tx;
        return *own ? store_begin(s, e) : 0;
}

int sq_own_end(struct store *s, int own, int rc, struct err *e)
{
        if (!own)
                return rc;
        if (rc < 0) {
                store_rollback(s);
                return rc;
        }
        return store_commit(s, e) ? -1 : rc;
}

int store_schema_latest(void)
{
        return store_sqlite_migrations[store_sqlite_migration_count - 1].version;
}

static int migrate(struct store *s, struct err *e)
{
        int64_t appid, version, tables;
        if (sq_query_int(s, "PRAGMA application_id", &appid, e) ||
            sq_query_int(s, "PRAGMA user_version", &version, e) ||
            sq_query_int(s, "SELECT count(*) FROM sqlite_schema", &tables, e))
                return -1;
        if (appid != APPLICATION_ID && (tables > 0 || appid != 0))
                return err_set(e, EXIT_INPUT,
                               "%s: this is not an improve database (it holds other tables); "
                               "choose another --db path",
                               s->path);
        if (version > store_schema_latest())
                return err_set(e, EXIT_INPUT,
                               "%s was written by a newer version of improve (schema version "
                               "%lld; this is improve %s, which knows up to %d). Upgrade improve "
                               "to open it; the file has not been changed.",
                               s->path, (long long)version, IMPROVE_VERSION, store_schema_latest());
        s->version = (int)version;
        for (int i = 0; i < store_sqlite_migration_count; i++) {
                const struct store_migration *m = &store_sqlite_migrations[i];
                if (m->version <= s->version)
                        continue;
                if (sq_exec(s, "BEGIN IMMEDIATE", e))
                        return -1;
                char sql[160];
                snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                         APPLICATION_ID, m->version);
                if (m->version == 1 && sq_exec(s,
                                               "CREATE TABLE schema_migrations (\n"
                                               "  version INTEGER PRIMARY KEY,\n"
                                               "  description TEXT NOT NULL,\n"
                                               "  applied_at TEXT NOT NULL,\n"
                                               "  improve_version TEXT NOT NULL\n"
                                               ") STRICT",
                                               e))
                        goto fail;
                if (sq_exec(s, m->sql, e) || sq_exec(s, sql, e))
                        goto fail;
                /* A migration may change what pages show: once the generation exists, move it. */
                if (m->version >= CONTENT_GENERATION_SINCE && sq_exec(s, BUMP_SQL, e))
                        goto fail;
                sqlite3_stmt *st;
                if (sqlite3_prepare_v2(s->db,
                                       "INSERT INTO schema_migrations (version, description, "
                                       "applied_at, improve_version) VALUES (?, ?, ?, ?)",
                                       -1, &st, NULL) != SQLITE_OK) {
                        sq_error(s, e, "recording migration");
                        goto fail;
                }
                char now[21];
                sq_utc_now(now);
                sqlite3_bind_int(st, 1, m->version);
                sq_bind_text(st, 2, m->description);
                sq_bind_text(st, 3, now);
                sq_bind_text(st, 4, IMPROVE_VERSION);
                int rc = sqlite3_step(st);
                sqlite3_finalize(st);
                if (rc != SQLITE_DONE) {
                        sq_error(s, e, "recording migration");
                        goto fail;
                }
                if (sq_exec(s, "COMMIT", e))
                        goto fail;
                s->version = m->version;
                s->applied++;
                continue;
        fail:
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                err_prefix(e, "schema migration %d (%s) failed", m->version, m->description);
                return -1;
        }
        return 0;
}

struct store *store_open(const char *location, int flags, struct err *e)
{
        struct stat sb;
        int exists = stat(location, &sb) == 0;
        if (!exists && !(flags & STORE_CREATE)) {
                err_set(e, EXIT_INPUT,
                        "%s: no database here; create one with 'improve init --db %s'", location,
                        location);
                return NULL;
        }
        if (exists && !S_ISREG(sb.st_mode)) {
                err_set(e, EXIT_INPUT, "%s: not a regular file", location);
                return NULL;
        }
        struct store *s = xcalloc(1, sizeof *s);
        s->path = xstrdup(location);
        int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        if (sqlite3_open_v2(location, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
                err_set(e, EXIT_INPUT, "%s: cannot open database: %s", location,
                        s->db ? sqlite3_errmsg(s->db) : strerror(errno));
                store_close(s);
                return NULL;
        }
        sqlite3_extended_result_codes(s->db, 1);
        sqlite3_busy_timeout(s->db, 10000);
        int64_t probe;
        if (sq_query_int(s, "SELECT count(*) FROM sqlite_schema", &probe, e)) {
                int code = sqlite3_errcode(s->db);
                if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                        err_set(e, EXIT_INPUT, "%s: this is not an improve database (%s)", location,
                                sqlite3_errmsg(s->db));
                store_close(s);
                return NULL;
        }
        if (!(flags & STORE_READONLY)) {
                if (sq_exec(s, "PRAGMA journal_mode = WAL", e) ||
                    sq_exec(s, "PRAGMA synchronous = FULL", e)) {
                        store_close(s);
                        return NULL;
                }
        }
        if (sq_exec(s, "PRAGMA foreign_keys = ON", e)) {
                store_close(s);
                return NULL;
        }
        sqlite3_commit_hook(s->db, on_commit, s);
        if (flags & STORE_READONLY) {
                int64_t v, appid;
                if (sq_query_int(s, "PRAGMA user_version", &v, e) ||
                    sq_query_int(s, "PRAGMA application_id", &appid, e)) {
                        store_close(s);
                        return NULL;
                }
                if (appid != APPLICATION_ID || v > store_schema_latest() ||
                    v < store_schema_latest()) {
                        err_set(e, EXIT_INPUT,
                                "%s: not an improve database of schema version %d (found "
                                "version %lld)",
                                location, store_schema_latest(), (long long)v);
                        store_close(s);
                        return NULL;
                }
                s->version = (int)v;
                s->enforce = 1;
                return s;
        }
        if (migrate(s, e)) {
                store_close(s);
                return NULL;
        }
        s->enforce = 1;
        return s;
}

void store_close(struct store *s)
{
        if (!s)
                return;
        if (s->cache_free)
                s->cache_free(s->cache);
        for (int i = 0; i < SQ_KEPT_MAX; i++)
                sqlite3_finalize(s->kept[i]);
        if (s->db)
                sqlite3_close_v2(s->db);
        free(s->path);
        free(s);
}

int store_schema_version(struct store *s)
{
        return s->version;
}

const char *store_backend(const struct store *s)
{
        (void)s;
        return "sqlite";
}

int store_migrations_applied(const struct store *s)
{
        return s->applied;
}

int store_begin(struct store *s, struct err *e)
{
        if (s->in_tx)
                return err_set(e, EXIT_INTERNAL, "store: transaction already open");
        if (sq_exec(s, "BEGIN IMMEDIATE", e))
                return -1;
        s->in_tx = 1;
        s->bumped = 0;
        s->vetoed = 0;
        s->tx_mark = sqlite3_total_changes64(s->db);
        s->tx_bk_rows = 0;
        return 0;
}

int store_commit(struct store *s, struct err *e)
{
        if (!s->in_tx)
                return err_set(e, EXIT_INTERNAL, "store: no transaction to commit");
        /* The one place content is committed: if rows other than bookkeeping ones changed,
         * move the generation in the same transaction, so a reader can never see the new
         * content under the old number. */
        if (s->enforce && sqlite3_total_changes64(s->db) - s->tx_mark - s->tx_bk_rows > 0) {
                if (sq_exec(s, BUMP_SQL, e)) {
                        store_rollback(s);
                        return -1;
                }
                s->bumped = 1;
        }
        if (sq_exec(s, "COMMIT", e)) {
                store_rollback(s);
                return -1;
        }
        s->in_tx = 0;
        s->bumped = 0;
        return 0;
}

void store_rollback(struct store *s)
{
        if (s->in_tx)
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_tx = 0;
        s->bumped = 0;
}

int store_backup(struct store *s, const char *dest,
                 void (*progress)(void *ctx, long done, long total), void *ctx, struct err *e)
{
        size_t n = strlen(dest) + 32;
        char *tmp = xmalloc(n);
        snprintf(tmp, n, "%s.partial-%ld", dest, (long)getpid());
        unlink(tmp);
        sqlite3 *out = NULL;
        int ret = -1;
        if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK) {
                err_set(e, EXIT_INPUT, "%s: cannot create backup: %s", dest,
                        out ? sqlite3_errmsg(out) : strerror(errno));
                goto done;
        }
        sqlite3_backup *b = sqlite3_backup_init(out, "main", s->db, "main");
        if (!b) {
                err_set(e, EXIT_INTERNAL, "%s: cannot start backup: %s", dest, sqlite3_errmsg(out));
                goto done;
        }
        int rc;
        do {
                /* Steps of 1024 pages; if a writer changes the source meanwhile, SQLite restarts
                 * the copy. */
                rc = sqlite3_backup_step(b, 1024);
                if (progress)
                        progress(ctx, sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
                                 sqlite3_backup_pagecount(b));
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                        sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
                err_set(e, EXIT_INTERNAL, "%s: backup failed: %s", dest, sqlite3_errstr(rc));
                goto done;
        }
        /* Leave the copy as a self-contained file: no -wal beside it. */
        if (sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
                err_set(e, EXIT_INTERNAL, "%s: backup failed: %s", dest, sqlite3_errmsg(out));
                goto done;
        }
        if (sqlite3_close(out) != SQLITE_OK) {
                err_set(e, EXIT_INTERNAL, "%s: backup failed while closing", dest);
                out = NULL;
                goto done;
        }
        out = NULL;
        if (rename(tmp, dest) != 0) {
                err_set(e, EXIT_INPUT, "%s: cannot write backup: %s", dest, strerror(errno));
                goto done;
        }
        ret = 0;
done:
        if (out)
                sqlite3_close(out);
        if (ret)
                unlink(tmp);
        free(tmp);
        return ret;
}

/* ---------------------------------------------------------------- authorities */

static int authority_put_rows(struct store *s, const struct store_authority *a, struct err *e)
{
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO authorities (code, ecode, name, region_code, "
                               "region_name) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE "
                               "SET ecode = excluded.ecode, name = excluded.name, region_code = "
                               "excluded.region_code, region_name = excluded.region_name",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "saving authority");
        sq_bind_text(st, 1, a->code);
        sq_bind_text(st, 2, a->ecode);
        sq_bind_text(st, 3, a->name ? a->name : "");
        sq_bind_text(st, 4, a->region_code ? a->region_code : "");
        sq_bind_text(st, 5, a->region_name ? a->region_name : "");
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "saving authority");
        if (sqlite3_prepare_v2(s->db, "DELETE FROM authority_neighbours WHERE code = ?", -1, &st,
                               NULL) != SQLITE_OK)
                return sq_error(s, e, "saving neighbours");
        sq_bind_text(st, 1, a->code);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "saving neighbours");
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO authority_neighbours (code, rank, neighbour) VALUES "
                               "(?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "saving neighbours");
        for (int i = 0; i < STORE_NEIGHBOURS; i++) {
                if (!a->neighbours[i][0])
                        continue;
                sqlite3_reset(st);
                sq_bind_text(st, 1, a->code);
                sqlite3_bind_int(st, 2, i + 1);
                sq_bind_text(st, 3, a->neighbours[i]);
                if (sqlite3_step(st) != SQLITE_DONE) {
                        sqlite3_finalize(st);
                        return sq_error(s, e, "saving neighbours");
                }
        }
        sqlite3_finalize(st);
        return 0;
}

int store_authority_put(struct store *s, const struct store_authority *a, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, authority_put_rows(s, a, e), e);
}

static void copy_code(char *dst, size_t n, const unsigned char *src)
{
        snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static int load_neighbours(struct store *s, struct store_authority *a, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT rank, neighbour FROM authority_neighbours WHERE code = ? "
                               "ORDER BY rank",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "reading neighbours");
        sq_bind_text(st, 1, a->code);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                int rank = sqlite3_column_int(st, 0);
                if (rank >= 1 && rank <= STORE_NEIGHBOURS)
                        copy_code(a->neighbours[rank - 1], 4, sqlite3_column_text(st, 1));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading neighbours");
        return 0;
}

/* Fill `a` from a row (code, ecode, name, region_code, region_name), strings into `pool`. */
static int row_to_authority(sqlite3_stmt *st, struct store_authority *a, char *pool, size_t len)
{
        memset(a, 0, sizeof *a);
        copy_code(a->code, sizeof a->code, sqlite3_column_text(st, 0));
        copy_code(a->ecode, sizeof a->ecode, sqlite3_column_text(st, 1));
        const char *fields[3];
        size_t off = 0;
        for (int i = 0; i < 3; i++) {
                const char *v = (const char *)sqlite3_column_text(st, 2 + i);
                size_t n = strlen(v ? v : "");
                if (off + n + 1 > len)
                        return -1;
                memcpy(pool + off, v ? v : "", n + 1);
                fields[i] = pool + off;
                off += n + 1;
        }
        a->name = fields[0];
        a->region_code = fields[1];
        a->region_name = fields[2];
        return 0;
}

int store_authority_get(struct store *s, const char *code, struct store_authority *out,
                        char *strings, size_t strings_len, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT code, ecode, name, region_code, region_name FROM "
                               "authorities WHERE code = ?",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "reading authority");
        sq_bind_text(st, 1, code);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
                sqlite3_finalize(st);
                return 0;
        }
        if (rc != SQLITE_ROW) {
                sqlite3_finalize(st);
                return sq_error(s, e, "reading authority");
        }
        int bad = row_to_authority(st, out, strings, strings_len);
        sqlite3_finalize(st);
        if (bad)
                return err_set(e, EXIT_INTERNAL, "authority %s: names too long for buffer", code);
        if (load_neighbours(s, out, e))
                return -1;
        return 1;
}

int store_authority_each(struct store *s, int (*fn)(void *ctx, const struct store_authority *a),
                         void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT code, ecode, name, region_code, region_name FROM "
                               "authorities ORDER BY code",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "listing authorities");
        int rc;
        char pool[1024];
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_authority a;
                if (row_to_authority(st, &a, pool, sizeof pool) || load_neighbours(s, &a, e)) {
                        sqlite3_finalize(st);
                        return e && e->code ? -1 : err_set(e, EXIT_INTERNAL, "authority too long");
                }
                if (fn(ctx, &a))
                        break;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
                return sq_error(s, e, "listing authorities");
        return 0;
}

/* ---------------------------------------------------------------- imports */

static int import_begin_row(struct store *s, const struct store_import *imp, int64_t *id,
                            struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO imports (kind, la, year, user, started_at) VALUES "
                               "(?, ?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "recording import");
        char now[21];
        sq_utc_now(now);
        sq_bind_text(st, 1, imp->kind);
        sq_bind_text(st, 2, imp->la);
        if (imp->year)
                sqlite3_bind_int(st, 3, imp->year);
        else
                sqlite3_bind_null(st, 3);
        sq_bind_text(st, 4, imp->user ? imp->user : "");
        sq_bind_text(st, 5, now);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "recording import");
        *id = sqlite3_last_insert_rowid(s->db);
        return 0;
}

int store_import_begin(struct store *s, const struct store_import *imp, int64_t *id, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, import_begin_row(s, imp, id, e), e);
}

static int import_file_row(struct store *s, int64_t id, const char *name, const char *sha256_hex,
                           int64_t bytes, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO import_files (import_id, name, sha256, bytes) VALUES "
                               "(?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "recording import file");
        sqlite3_bind_int64(st, 1, id);
        sq_bind_text(st, 2, name);
        sq_bind_text(st, 3, sha256_hex);
        sqlite3_bind_int64(st, 4, bytes);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "recording import file");
        return 0;
}

int store_import_file(struct store *s, int64_t id, const char *name, const char *sha256_hex,
                      int64_t bytes, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, import_file_row(s, id, name, sha256_hex, bytes, e), e);
}

static int import_finish_row(struct store *s, int64_t id, const char *status,
                             const char *counts_json, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "UPDATE imports SET status = ?, counts = ?, finished_at = ? WHERE "
                               "id = ?",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "finishing import");
        char now[21];
        sq_utc_now(now);
        sq_bind_text(st, 1, status);
        sq_bind_text(st, 2, counts_json ? counts_json : "{}");
        sq_bind_text(st, 3, now);
        sqlite3_bind_int64(st, 4, id);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "finishing import");
        if (sqlite3_changes(s->db) != 1)
                return err_set(e, EXIT_INTERNAL, "import %lld not found", (long long)id);
        return 0;
}

int store_import_finish(struct store *s, int64_t id, const char *status, const char *counts_json,
                        struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, import_finish_row(s, id, status, counts_json, e), e);
}

/* ---------------------------------------------------------------- audit log */

int store_audit_append(struct store *s, const struct store_audit *a, struct err *e)
{
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO audit_log (at, user, action, la, detail, children) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return sq_error(s, e, "writing audit log");
        char now[21];
        sq_utc_now(now);
        sq_bind_text(st, 1, now);
        sq_bind_text(st, 2, a->user ? a->user : "");
        sq_bind_text(st, 3, a->action);
        sq_bind_text(st, 4, a->la);
        sq_bind_text(st, 5, a->detail ? a->detail : "");
        sq_bind_text(st, 6, a->children);
        int rc = sq_step_bookkeeping(s, st); /* an audit row alone leaves the generation */
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "writing audit log");
        return 0;
}

int store_audit_count(struct store *s, int64_t *out, struct err *e)
{
        return sq_query_int(s, "SELECT count(*) FROM audit_log", out, e);
}
