/*
 * store_sqlite_users.c — the SQLite backend for the web application's
 * accounts: users, sessions, sign-in failures, and reading the audit log back
 * for the admin page (migration 4; store.h, "users, sessions…").
 *
 * Every statement is parameterised.  Strings handed out in store_user are
 * copied into the struct's own arrays, so callers may keep it.
 */
#include "store/store.h"
#include "store/store_sqlite.h"
#include "core/err.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Run a prepared statement that returns no rows; finalizes it.  Returns changes or -1. */
static int step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, what);
        return sqlite3_changes(s->db);
}

/* step_done for a bookkeeping write (sessions, login_failures): the content generation stays. */
static int bk_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
        int rc = sq_step_bookkeeping(s, st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, what);
        return sqlite3_changes(s->db);
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
        const unsigned char *v = sqlite3_column_text(st, col);
        snprintf(dst, n, "%s", v ? (const char *)v : "");
}

#define USER_COLS "id, email, la, role, pwhash, disabled, created_at"

static void row_to_user(sqlite3_stmt *st, struct store_user *u)
{
        memset(u, 0, sizeof *u);
        u->id = sqlite3_column_int64(st, 0);
        copy_col(u->email, sizeof u->email, st, 1);
        copy_col(u->la, sizeof u->la, st, 2);
        copy_col(u->role, sizeof u->role, st, 3);
        copy_col(u->pwhash, sizeof u->pwhash, st, 4);
        u->disabled = sqlite3_column_int(st, 5);
        copy_col(u->created_at, sizeof u->created_at, st, 6);
}

static int user_add_row(struct store *s, const struct store_user *u, int64_t *id, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO users (email, la, role, pwhash, disabled, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       e))
                return -1;
        char now[21];
        sq_utc_now(now);
        sq_bind_text(st, 1, u->email);
        sq_bind_text(st, 2, u->la);
        sq_bind_text(st, 3, u->role);
        sq_bind_text(st, 4, u->pwhash);
        sqlite3_bind_int(st, 5, u->disabled ? 1 : 0);
        sq_bind_text(st, 6, u->created_at[0] ? u->created_at : now);
        int rc = sqlite3_step(st);
        int ext = sqlite3_extended_errcode(s->db);
        sqlite3_finalize(st);
        if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) {
                if (ext == SQLITE_CONSTRAINT_UNIQUE)
                        return err_set(e, EXIT_INPUT, "a user with e-mail %s already exists",
                                       u->email);
                if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
                        return err_set(e, EXIT_INPUT,
                                       "authority %s is not in the database; import the "
                                       "authorities first (improve import authorities FILE)",
                                       u->la);
                return err_set(e, EXIT_INPUT, "user %s: %s", u->email, sqlite3_errmsg(s->db));
        }
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "adding user");
        if (id)
                *id = sqlite3_last_insert_rowid(s->db);
        return 0;
}

int store_user_add(struct store *s, const struct store_user *u, int64_t *id, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, user_add_row(s, u, id, e), e);
}

static int user_get(struct store *s, const char *sql, const char *text, int64_t num,
                    struct store_user *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        if (text)
                sq_bind_text(st, 1, text);
        else
                sqlite3_bind_int64(st, 1, num);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                row_to_user(st, out);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 1;
        if (rc == SQLITE_DONE)
                return 0;
        return sq_error(s, e, "reading user");
}

int store_user_get_email(struct store *s, const char *email, struct store_user *out, struct err *e)
{
        return user_get(s, "SELECT " USER_COLS " FROM users WHERE email = lower(?)", email, 0, out,
                        e);
}

int store_user_get_id(struct store *s, int64_t id, struct store_user *out, struct err *e)
{
        return user_get(s, "SELECT " USER_COLS " FROM users WHERE id = ?", NULL, id, out, e);
}

int store_user_each(struct store *s, const char *la,
                    int (*fn)(void *ctx, const struct store_user *u), void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT " USER_COLS " FROM users WHERE ?1 IS NULL OR la = ?1 "
                       "ORDER BY la, email",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_user u;
                row_to_user(st, &u);
                if (fn(ctx, &u)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "listing users");
        return 0;
}

static int user_set_disabled_row(struct store *s, int64_t id, int disabled, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "UPDATE users SET disabled = ? WHERE id = ?", e))
                return -1;
        sqlite3_bind_int(st, 1, disabled ? 1 : 0);
        sqlite3_bind_int64(st, 2, id);
        int n = step_done(s, st, "updating user", e);
        return n < 0 ? -1 : n > 0;
}

int store_user_set_disabled(struct store *s, int64_t id, int disabled, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, user_set_disabled_row(s, id, disabled, e), e);
}

static int user_set_pwhash_row(struct store *s, int64_t id, const char *pwhash, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "UPDATE users SET pwhash = ? WHERE id = ?", e))
                return -1;
        sq_bind_text(st, 1, pwhash);
        sqlite3_bind_int64(st, 2, id);
        int n = step_done(s, st, "updating password", e);
        return n < 0 ? -1 : n > 0;
}

int store_user_set_pwhash(struct store *s, int64_t id, const char *pwhash, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, user_set_pwhash_row(s, id, pwhash, e), e);
}

/* ---------------------------------------------------------------- sessions */

int store_session_put(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                      const struct store_session *v, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO sessions (key, user_id, csrf, created, last_seen) "
                       "VALUES (?, ?, ?, ?, ?)",
                       e))
                return -1;
        sqlite3_bind_blob(st, 1, key, STORE_SESSION_KEY, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, v->user_id);
        sq_bind_text(st, 3, v->csrf);
        sqlite3_bind_int64(st, 4, v->created);
        sqlite3_bind_int64(st, 5, v->last_seen);
        return bk_done(s, st, "saving session", e) < 0 ? -1 : 0;
}

int store_session_get(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                      struct store_session *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT user_id, csrf, created, last_seen FROM sessions WHERE key = ?", e))
                return -1;
        sqlite3_bind_blob(st, 1, key, STORE_SESSION_KEY, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                memset(out, 0, sizeof *out);
                out->user_id = sqlite3_column_int64(st, 0);
                copy_col(out->csrf, sizeof out->csrf, st, 1);
                out->created = sqlite3_column_int64(st, 2);
                out->last_seen = sqlite3_column_int64(st, 3);
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 1;
        if (rc == SQLITE_DONE)
                return 0;
        return sq_error(s, e, "reading session");
}

int store_session_touch(struct store *s, const unsigned char key[STORE_SESSION_KEY],
                        int64_t last_seen, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "UPDATE sessions SET last_seen = ? WHERE key = ?", e))
                return -1;
        sqlite3_bind_int64(st, 1, last_seen);
        sqlite3_bind_blob(st, 2, key, STORE_SESSION_KEY, SQLITE_TRANSIENT);
        return bk_done(s, st, "updating session", e) < 0 ? -1 : 0;
}

int store_session_delete(struct store *s, const unsigned char key[STORE_SESSION_KEY], struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM sessions WHERE key = ?", e))
                return -1;
        sqlite3_bind_blob(st, 1, key, STORE_SESSION_KEY, SQLITE_TRANSIENT);
        return bk_done(s, st, "deleting session", e) < 0 ? -1 : 0;
}

int store_session_delete_user(struct store *s, int64_t user_id, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM sessions WHERE user_id = ?", e))
                return -1;
        sqlite3_bind_int64(st, 1, user_id);
        return bk_done(s, st, "deleting sessions", e) < 0 ? -1 : 0;
}

int store_session_prune(struct store *s, int64_t idle_before, int64_t created_before, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM sessions WHERE last_seen < ? OR created < ?", e))
                return -1;
        sqlite3_bind_int64(st, 1, idle_before);
        sqlite3_bind_int64(st, 2, created_before);
        return bk_done(s, st, "pruning sessions", e) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- sign-in failures */

int store_login_failure_add(struct store *s, const char *email, const char *address, int64_t at,
                            struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "INSERT INTO login_failures (at, email, address) VALUES (?, ?, ?)",
                       e))
                return -1;
        sqlite3_bind_int64(st, 1, at);
        sq_bind_text(st, 2, email ? email : "");
        sq_bind_text(st, 3, address ? address : "");
        return bk_done(s, st, "recording failed sign-in", e) < 0 ? -1 : 0;
}

static int count_since(struct store *s, const char *sql, const char *key, int64_t since,
                       int64_t *out, struct err *e)
{
        *out = 0;
        if (!key)
                return 0;
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, key);
        sqlite3_bind_int64(st, 2, since);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
                return sq_error(s, e, "counting failed sign-ins");
        return 0;
}

int store_login_failure_count(struct store *s, const char *email, const char *address,
                              int64_t since, int64_t *by_email, int64_t *by_address, struct err *e)
{
        if (count_since(s, "SELECT count(*) FROM login_failures WHERE email = lower(?) AND at >= ?",
                        email, since, by_email, e))
                return -1;
        return count_since(s, "SELECT count(*) FROM login_failures WHERE address = ? AND at >= ?",
                           address, since, by_address, e);
}

int store_login_failure_clear(struct store *s, const char *email, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM login_failures WHERE email = lower(?)", e))
                return -1;
        sq_bind_text(st, 1, email);
        return bk_done(s, st, "clearing failed sign-ins", e) < 0 ? -1 : 0;
}

int store_login_failure_prune(struct store *s, int64_t before, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM login_failures WHERE at < ?", e))
                return -1;
        sqlite3_bind_int64(st, 1, before);
        return bk_done(s, st, "pruning failed sign-ins", e) < 0 ? -1 : 0;
}

int store_ping(struct store *s, struct err *e)
{
        int64_t v;
        return sq_query_int(s, "SELECT count(*) FROM schema_migrations", &v, e);
}

/* ---------------------------------------------------------------- audit log, read back */

static const char *col_or_null(sqlite3_stmt *st, int col)
{
        return sqlite3_column_type(st, col) == SQLITE_NULL
                   ? NULL
                   : (const char *)sqlite3_column_text(st, col);
}

int store_audit_each(struct store *s, const char *la, int64_t limit, int64_t offset,
                     int (*fn)(void *ctx, const struct store_audit_row *r), void *ctx,
                     struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT id, at, user, action, la, detail, children FROM audit_log "
                       "WHERE ?1 IS NULL OR la = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sqlite3_bind_int64(st, 2, limit);
        sqlite3_bind_int64(st, 3, offset);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_audit_row r = {
                    .id = sqlite3_column_int64(st, 0),
                    .at = (const char *)sqlite3_column_text(st, 1),
                    .user = (const char *)sqlite3_column_text(st, 2),
                    .action = (const char *)sqlite3_column_text(st, 3),
                    .la = col_or_null(st, 4),
                    .detail = (const char *)sqlite3_column_text(st, 5),
                    .children = col_or_null(st, 6),
                };
                if (fn(ctx, &r)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading audit log");
        return 0;
}
