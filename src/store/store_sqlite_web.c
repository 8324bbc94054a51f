/*
 * store_sqlite_web.c — the reads the web application's data-quality pages
 * and API need beyond the other sections: stored validation findings of one
 * authority (all of them, by rule, or of one child) and one import by its
 * number (store.h, "web application: findings and imports").
 *
 * Every statement is parameterised and limited to one authority: the caller
 * passes the signed-in user's authority, never one taken from the request.
 */
#include "store/store.h"
#include "store/store_sqlite.h"
#include "store/store_web.h"
#include "core/err.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char *col(sqlite3_stmt *st, int i)
{
        const unsigned char *v = sqlite3_column_text(st, i);
        return v ? (const char *)v : NULL;
}

int store_web_findings_each(struct store *s, const char *la, const char *kind, int year,
                            const char *rule, const char *child,
                            int (*fn)(void *ctx, const struct store_finding_row *f), void *ctx,
                            struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT kind, year, seq, import_id, rule, severity, table_name, row, "
                       "child, fields, message, file FROM return_findings "
                       "WHERE la = ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 = 0 OR year = ?3) "
                       "AND (?4 IS NULL OR rule = ?4) AND (?5 IS NULL OR child = ?5) "
                       "ORDER BY kind, year, seq",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, kind);
        sqlite3_bind_int(st, 3, year);
        sq_bind_text(st, 4, rule);
        sq_bind_text(st, 5, child);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_finding_row f = {
                    .kind = col(st, 0),
                    .year = sqlite3_column_int(st, 1),
                    .seq = sqlite3_column_int64(st, 2),
                    .import_id = sqlite3_column_int64(st, 3),
                    .rule = col(st, 4),
                    .severity = col(st, 5),
                    .table = col(st, 6),
                    .row = sqlite3_column_int64(st, 7),
                    .child = col(st, 8),
                    .fields = col(st, 9),
                    .message = col(st, 10),
                    .file = col(st, 11),
                };
                if (fn(ctx, &f)) {
                        sqlite3_finalize(st);
                        return 0;
                }
        }
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : sq_error(s, e, "reading findings");
}

int store_web_rule_counts(struct store *s, const char *la,
                          int (*fn)(void *ctx, const struct store_rule_count *r), void *ctx,
                          struct err *e)
{
        sqlite3_stmt *st;
        /* The message of a rule's first finding stands for the rule. */
        if (sq_prepare(s, &st,
                       "SELECT kind, year, rule, severity, count(*), min(message), "
                       "count(DISTINCT child) FROM return_findings WHERE la = ?1 "
                       "GROUP BY kind, year, rule, severity ORDER BY kind, year DESC, "
                       "count(*) DESC, rule",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_rule_count r = {
                    .kind = col(st, 0),
                    .year = sqlite3_column_int(st, 1),
                    .rule = col(st, 2),
                    .severity = col(st, 3),
                    .count = sqlite3_column_int64(st, 4),
                    .message = col(st, 5),
                    .children = sqlite3_column_int64(st, 6),
                };
                if (fn(ctx, &r)) {
                        sqlite3_finalize(st);
                        return 0;
                }
        }
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : sq_error(s, e, "counting findings");
}

int store_data_stamp(struct store *s, struct store_stamp *out, struct err *e)
{
        /* Inside a transaction this connection may hold content it has not yet accounted
         * for (store_commit moves the generation) or that will be rolled back. */
        if (!sqlite3_get_autocommit(s->db)) {
                out->generation = -1;
                return 0;
        }
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st, "SELECT n FROM content_generation WHERE id = 1", e))
                return -1;
        int rc = sqlite3_step(st);
        out->generation = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sq_kept_done(s, st);
        if (rc != SQLITE_ROW)
                return sq_error(s, e, "reading the content generation");
        return 0;
}

void *store_cache(struct store *s)
{
        return s->cache;
}

void store_set_cache(struct store *s, void *cache, void (*release)(void *cache))
{
        s->cache = cache;
        s->cache_free = release;
}

int store_web_year_values_each(struct store *s, const char *measure, int year,
                               int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                               struct err *e)
{
        /* CROSS JOIN keeps authorities the outer loop (SQLite does not reorder it): each one's
         * (la, period) range of the values' key is read, 153 short ranges, not a scan of every
         * value in the database, which is what the planner chose for a plain join. */
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT v.la, v.period, v.period_end, v.measure, v.year, v.source, "
                       "v.numerator, v.denominator, v.value, v.note, v.small_base, "
                       "v.lookback_incomplete, v.dq_warnings FROM authorities a "
                       "CROSS JOIN measure_values v ON v.la = a.code AND v.period = 'year' "
                       "WHERE v.year = ?1 AND v.measure = ?2 ORDER BY a.code, v.period_end",
                       e))
                return -1;
        sqlite3_bind_int(st, 1, year);
        sq_bind_text(st, 2, measure);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_measure_value v;
                sq_measure_value_row(st, &v);
                if (fn(ctx, &v)) {
                        rc = SQLITE_DONE; /* the caller has what it needs */
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading every authority's values");
        return 0;
}
