/*
 * store_sqlite_events.c — the change register on SQLite (the "change
 * register: events" section of store.h; tables of migration 5).
 *
 * An event is identified to people by (la, date, kind, title) and to the
 * program by its id.  A put runs in a savepoint so that the event row and its
 * measure rows change together whether or not the caller holds a transaction.
 */
#include "store/store.h"
#include "store/store_sqlite.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const store_event_kinds[] = {
    "restructure",   "practice-model", "trust",      "outsourcing",
    "joint-service", "leadership",     "inspection", NULL,
};

int store_event_kind_valid(const char *kind)
{
        for (size_t i = 0; kind && store_event_kinds[i]; i++)
                if (strcmp(kind, store_event_kinds[i]) == 0)
                        return 1;
        return 0;
}

int store_event_find(struct store *s, const char *la, const char *date, const char *kind,
                     const char *title, int64_t *id, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT id FROM events WHERE la = ? AND date = ? AND kind = ? AND title = ?",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, date);
        sq_bind_text(st, 3, kind);
        sq_bind_text(st, 4, title);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && id)
                *id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 1;
        if (rc == SQLITE_DONE)
                return 0;
        return sq_error(s, e, "finding event");
}

static int step_done(struct store *s, sqlite3_stmt *st, const struct store_event *ev,
                     const char *what, struct err *e)
{
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return 0;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
                return err_set(e, EXIT_INPUT,
                               "authority %s is not in the database; import the authority list "
                               "first (improve import authorities FILE)",
                               ev->la);
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
                return err_set(e, EXIT_INPUT, "event refused by the register: %s",
                               sqlite3_errmsg(s->db));
        return sq_error(s, e, what);
}

static int put_rows(struct store *s, const struct store_event *ev, int64_t *id, int *created,
                    struct err *e)
{
        int64_t found_id = 0;
        int found = store_event_find(s, ev->la, ev->date, ev->kind, ev->title, &found_id, e);
        if (found < 0)
                return -1;
        sqlite3_stmt *st;
        if (found) {
                if (sq_prepare(s, &st, "UPDATE events SET note = ? WHERE id = ?", e))
                        return -1;
                sq_bind_text(st, 1, ev->note ? ev->note : "");
                sqlite3_bind_int64(st, 2, found_id);
                int bad = step_done(s, st, ev, "updating event", e);
                sqlite3_finalize(st);
                if (bad || sq_prepare(s, &st, "DELETE FROM event_measures WHERE event = ?", e))
                        return -1;
                sqlite3_bind_int64(st, 1, found_id);
                bad = step_done(s, st, ev, "updating event", e);
                sqlite3_finalize(st);
                if (bad)
                        return -1;
        } else {
                if (sq_prepare(s, &st,
                               "INSERT INTO events (la, date, kind, title, note, import_id, user, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               e))
                        return -1;
                char now[21];
                sq_utc_now(now);
                sq_bind_text(st, 1, ev->la);
                sq_bind_text(st, 2, ev->date);
                sq_bind_text(st, 3, ev->kind);
                sq_bind_text(st, 4, ev->title);
                sq_bind_text(st, 5, ev->note ? ev->note : "");
                if (ev->import_id > 0)
                        sqlite3_bind_int64(st, 6, ev->import_id);
                else
                        sqlite3_bind_null(st, 6);
                sq_bind_text(st, 7, ev->user ? ev->user : "unknown");
                sq_bind_text(st, 8, now);
                int bad = step_done(s, st, ev, "adding event", e);
                sqlite3_finalize(st);
                if (bad)
                        return -1;
                found_id = sqlite3_last_insert_rowid(s->db);
        }
        if (sq_prepare(s, &st, "INSERT INTO event_measures (event, seq, measure) VALUES (?, ?, ?)",
                       e))
                return -1;
        for (size_t i = 0; i < ev->n_measures; i++) {
                sqlite3_reset(st);
                sqlite3_bind_int64(st, 1, found_id);
                sqlite3_bind_int64(st, 2, (int64_t)i + 1);
                sq_bind_text(st, 3, ev->measures[i]);
                if (step_done(s, st, ev, "adding event measure", e)) {
                        sqlite3_finalize(st);
                        return -1;
                }
        }
        sqlite3_finalize(st);
        if (id)
                *id = found_id;
        if (created)
                *created = !found;
        return 0;
}

static int event_put_rows(struct store *s, const struct store_event *ev, int64_t *id, int *created,
                          struct err *e)
{
        if (ev->n_measures > STORE_EVENT_MEASURES_MAX)
                return err_set(e, EXIT_INPUT, "an event can target at most %d measures, not %zu",
                               STORE_EVENT_MEASURES_MAX, ev->n_measures);
        if (!ev->la || !ev->date || !ev->kind || !ev->title)
                return err_set(e, EXIT_INTERNAL, "event without authority, date, kind or title");
        if (sq_exec(s, "SAVEPOINT event_put", e))
                return -1;
        if (put_rows(s, ev, id, created, e)) {
                sqlite3_exec(s->db, "ROLLBACK TO event_put; RELEASE event_put", NULL, NULL, NULL);
                return -1;
        }
        return sq_exec(s, "RELEASE event_put", e);
}

int store_event_put(struct store *s, const struct store_event *ev, int64_t *id, int *created,
                    struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, event_put_rows(s, ev, id, created, e), e);
}

/* Read the current row of `st` (the columns of SELECT_EVENT) and its measures, then call fn. */
#define SELECT_EVENT                                                                               \
        "SELECT id, la, date, kind, title, note, import_id, user, created_at FROM events "

static int deliver(struct store *s, sqlite3_stmt *st, sqlite3_stmt *ms,
                   int (*fn)(void *ctx, const struct store_event *ev), void *ctx, struct err *e)
{
        struct store_event ev = {0};
        ev.id = sqlite3_column_int64(st, 0);
        ev.la = (const char *)sqlite3_column_text(st, 1);
        ev.date = (const char *)sqlite3_column_text(st, 2);
        ev.kind = (const char *)sqlite3_column_text(st, 3);
        ev.title = (const char *)sqlite3_column_text(st, 4);
        ev.note = (const char *)sqlite3_column_text(st, 5);
        ev.import_id = sqlite3_column_int64(st, 6);
        ev.user = (const char *)sqlite3_column_text(st, 7);
        ev.created_at = (const char *)sqlite3_column_text(st, 8);
        char *owned[STORE_EVENT_MEASURES_MAX];
        sqlite3_reset(ms);
        sqlite3_bind_int64(ms, 1, ev.id);
        int rc;
        while ((rc = sqlite3_step(ms)) == SQLITE_ROW && ev.n_measures < STORE_EVENT_MEASURES_MAX) {
                owned[ev.n_measures] = xstrdup((const char *)sqlite3_column_text(ms, 0));
                ev.measures[ev.n_measures] = owned[ev.n_measures];
                ev.n_measures++;
        }
        int ret;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                ret = sq_error(s, e, "reading event measures");
        else
                ret = fn(ctx, &ev);
        for (size_t i = 0; i < ev.n_measures; i++)
                free(owned[i]);
        return ret;
}

static int walk(struct store *s, sqlite3_stmt *st,
                int (*fn)(void *ctx, const struct store_event *ev), void *ctx, int *seen,
                struct err *e)
{
        sqlite3_stmt *ms;
        if (sq_prepare(s, &ms, "SELECT measure FROM event_measures WHERE event = ? ORDER BY seq",
                       e))
                return -1;
        int rc, ret = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                (*seen)++;
                ret = deliver(s, st, ms, fn, ctx, e);
                if (ret)
                        break;
        }
        sqlite3_finalize(ms);
        if (ret < 0)
                return -1;
        if (ret == 0 && rc != SQLITE_DONE)
                return sq_error(s, e, "reading events");
        return 0;
}

int store_event_get(struct store *s, int64_t id, int (*fn)(void *ctx, const struct store_event *ev),
                    void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, SELECT_EVENT "WHERE id = ?", e))
                return -1;
        sqlite3_bind_int64(st, 1, id);
        int seen = 0;
        int rc = walk(s, st, fn, ctx, &seen, e);
        sqlite3_finalize(st);
        return rc < 0 ? -1 : seen > 0;
}

int store_event_each(struct store *s, const char *la,
                     int (*fn)(void *ctx, const struct store_event *ev), void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, SELECT_EVENT "WHERE ?1 IS NULL OR la = ?1 ORDER BY la, date, id", e))
                return -1;
        sq_bind_text(st, 1, la);
        int seen = 0;
        int rc = walk(s, st, fn, ctx, &seen, e);
        sqlite3_finalize(st);
        return rc;
}

int store_event_count(struct store *s, const char *la, int64_t *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "SELECT count(*) FROM events WHERE ?1 IS NULL OR la = ?1", e))
                return -1;
        sq_bind_text(st, 1, la);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return rc == SQLITE_ROW ? 0 : sq_error(s, e, "counting events");
}
