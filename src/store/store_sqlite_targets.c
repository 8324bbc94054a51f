/*
 * store_sqlite_targets.c — measure targets on SQLite (the "measure targets"
 * section of store.h; the table of migration 7).
 *
 * A target is one row per (la, measure).  Setting one is an upsert so that a
 * new value replaces the old in one statement; the caller audits the change.
 */
#include "core/err.h"
#include "store/store.h"
#include "store/store_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>

static const char *text_or_empty(sqlite3_stmt *st, int i)
{
        const char *t = (const char *)sqlite3_column_text(st, i);
        return t ? t : "";
}

static int target_put_row(struct store *s, const struct store_target *t, int *replaced,
                          struct err *e)
{
        double old;
        int had = store_target_get(s, t->la, t->measure, &old, e);
        if (had < 0)
                return -1;
        char now[21];
        sq_utc_now(now);
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO measure_targets (la, measure, value, user, set_at) VALUES "
                       "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (la, measure) DO UPDATE SET value = "
                       "excluded.value, user = excluded.user, set_at = excluded.set_at",
                       e))
                return -1;
        sq_bind_text(st, 1, t->la);
        sq_bind_text(st, 2, t->measure);
        sqlite3_bind_double(st, 3, t->value);
        sq_bind_text(st, 4, t->user ? t->user : "unknown");
        sq_bind_text(st, 5, now);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "setting a target");
        if (replaced)
                *replaced = had;
        return 0;
}

int store_target_put(struct store *s, const struct store_target *t, int *replaced, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, target_put_row(s, t, replaced, e), e);
}

int store_target_get(struct store *s, const char *la, const char *measure, double *value,
                     struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "SELECT value FROM measure_targets WHERE la = ?1 AND measure = ?2",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, measure);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *value = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 1;
        if (rc == SQLITE_DONE)
                return 0;
        return sq_error(s, e, "reading a target");
}

static int target_delete_rows(struct store *s, const char *la, const char *measure,
                              int64_t *deleted, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "DELETE FROM measure_targets WHERE la = ?1 AND (?2 IS NULL OR measure = ?2)",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, measure);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "deleting targets");
        if (deleted)
                *deleted = sqlite3_changes64(s->db);
        return 0;
}

int store_target_delete(struct store *s, const char *la, const char *measure, int64_t *deleted,
                        struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, target_delete_rows(s, la, measure, deleted, e), e);
}

int store_target_each(struct store *s, const char *la,
                      int (*fn)(void *ctx, const struct store_target *t), void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT la, measure, value, user, set_at FROM measure_targets WHERE ?1 IS "
                       "NULL OR la = ?1 ORDER BY la, measure",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_target t = {
                    .la = text_or_empty(st, 0),
                    .measure = text_or_empty(st, 1),
                    .value = sqlite3_column_double(st, 2),
                    .user = text_or_empty(st, 3),
                    .set_at = text_or_empty(st, 4),
                };
                if (fn(ctx, &t)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading targets");
        return 0;
}
