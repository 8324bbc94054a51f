/*
 * store_sqlite_published.c — published statistics and populations on SQLite
 * (the "published statistics and populations" section of store.h).
 *
 * Values are stored long: one row per (series, year, level, area), where a
 * series is (source, indicator, filters).  Keeping the long strings once in
 * published_series makes the value rows small (the whole DfE folder is about
 * 700,000 values), and a WITHOUT ROWID primary key that starts with the
 * series and year makes "every LA for this indicator and year" one range.
 *
 * The writer is for bulk imports: its statements are prepared once, and the
 * ids of series it has seen are cached in a jansson object (a string map) so
 * that a value costs one INSERT.
 */
#include "store/store.h"
#include "store/store_sqlite.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {
    [STORE_GEO_NATIONAL] = "national",
    [STORE_GEO_REGIONAL] = "regional",
    [STORE_GEO_LA] = "la",
};

static const char *level_name(enum store_geo g)
{
        return (unsigned)g < 3 ? level_names[g] : "?";
}

static enum store_geo level_of(const unsigned char *text)
{
        const char *t = text ? (const char *)text : "";
        if (strcmp(t, "national") == 0)
                return STORE_GEO_NATIONAL;
        if (strcmp(t, "regional") == 0)
                return STORE_GEO_REGIONAL;
        return STORE_GEO_LA;
}

/* ---------------------------------------------------------------- writer */

static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
        if (v)
                sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

struct store_published_writer {
        struct store *s;
        int64_t import_id;
        sqlite3_stmt *find_series, *add_series, *add_value, *clear;
        json_t *series; /* "source\x1Findicator\x1Ffilters" -> id */
        struct buf key;
};

int store_published_writer_open(struct store *s, int64_t import_id,
                                struct store_published_writer **out, struct err *e)
{
        struct store_published_writer *w = xcalloc(1, sizeof *w);
        w->s = s;
        w->import_id = import_id;
        w->series = json_object();
        buf_init(&w->key);
        *out = NULL;
        if (sq_prepare(s, &w->find_series,
                       "SELECT id FROM published_series WHERE source = ? AND indicator = ? AND "
                       "filters = ?",
                       e) ||
            sq_prepare(s, &w->add_series,
                       "INSERT INTO published_series (source, indicator, filters) VALUES (?, ?, ?)",
                       e) ||
            sq_prepare(s, &w->add_value,
                       "INSERT INTO published_values (series, year, level, area, time_period, "
                       "period_end, new_la_code, region_code, joint, value_text, value, symbol, "
                       "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       e) ||
            sq_prepare(s, &w->clear, "DELETE FROM published_series WHERE source = ?", e)) {
                store_published_writer_close(w);
                return -1;
        }
        *out = w;
        return 0;
}

void store_published_writer_close(struct store_published_writer *w)
{
        if (!w)
                return;
        sqlite3_finalize(w->find_series);
        sqlite3_finalize(w->add_series);
        sqlite3_finalize(w->add_value);
        sqlite3_finalize(w->clear);
        json_decref(w->series);
        buf_release(&w->key);
        free(w);
}

int store_published_clear(struct store_published_writer *w, const char *source, struct err *e)
{
        sqlite3_reset(w->clear);
        sq_bind_text(w->clear, 1, source);
        if (sqlite3_step(w->clear) != SQLITE_DONE)
                return sq_error(w->s, e, "clearing published values");
        /* Cached ids of that source are gone; dropping the whole cache is simplest. */
        json_object_clear(w->series);
        return 0;
}

static int series_id(struct store_published_writer *w, const struct store_published_key *k,
                     int64_t *id, struct err *e)
{
        const char *filters = k->filters ? k->filters : "";
        buf_reset(&w->key);
        buf_puts(&w->key, k->source);
        buf_putc(&w->key, '\x1f');
        buf_puts(&w->key, k->indicator);
        buf_putc(&w->key, '\x1f');
        buf_puts(&w->key, filters);
        json_t *hit = json_object_get(w->series, w->key.data);
        if (hit) {
                *id = json_integer_value(hit);
                return 0;
        }
        sqlite3_reset(w->find_series);
        sq_bind_text(w->find_series, 1, k->source);
        sq_bind_text(w->find_series, 2, k->indicator);
        sq_bind_text(w->find_series, 3, filters);
        int rc = sqlite3_step(w->find_series);
        if (rc == SQLITE_ROW) {
                *id = sqlite3_column_int64(w->find_series, 0);
        } else if (rc == SQLITE_DONE) {
                sqlite3_reset(w->add_series);
                sq_bind_text(w->add_series, 1, k->source);
                sq_bind_text(w->add_series, 2, k->indicator);
                sq_bind_text(w->add_series, 3, filters);
                if (sqlite3_step(w->add_series) != SQLITE_DONE)
                        return sq_error(w->s, e, "saving published series");
                *id = sqlite3_last_insert_rowid(w->s->db);
        } else {
                return sq_error(w->s, e, "finding published series");
        }
        sqlite3_reset(w->find_series);
        json_object_set_new_nocheck(w->series, w->key.data, json_integer(*id));
        return 0;
}

int store_published_put(struct store_published_writer *w, const struct store_published *v,
                        struct err *e)
{
        if (!v->key.source || !v->key.indicator || !v->area || !v->time_period || !v->period_end ||
            !v->text)
                return err_set(e, EXIT_INTERNAL, "store_published_put: missing field");
        int64_t id = 0;
        if (series_id(w, &v->key, &id, e))
                return -1;
        sqlite3_stmt *st = w->add_value;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        /* The strings outlive the step, so SQLite need not copy them (SQLITE_STATIC). */
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, v->year);
        bind_static(st, 3, level_name(v->level));
        bind_static(st, 4, v->area);
        bind_static(st, 5, v->time_period);
        bind_static(st, 6, v->period_end);
        bind_static(st, 7, v->new_la_code && *v->new_la_code ? v->new_la_code : NULL);
        bind_static(st, 8, v->region_code && *v->region_code ? v->region_code : NULL);
        bind_static(st, 9, v->joint);
        bind_static(st, 10, v->text);
        if (!v->symbol)
                sqlite3_bind_double(st, 11, v->value);
        bind_static(st, 12, v->symbol);
        if (w->import_id > 0)
                sqlite3_bind_int64(st, 13, w->import_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return 0;
        if (sqlite3_extended_errcode(w->s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
                return err_set(e, EXIT_INPUT,
                               "a second %s row for %s in %s with the same filters (%s); "
                               "expected one row per time period, place and filter values",
                               v->level == STORE_GEO_LA         ? "local authority"
                               : v->level == STORE_GEO_REGIONAL ? "regional"
                                                                : "national",
                               v->area, v->time_period, v->key.filters ? v->key.filters : "");
        return sq_error(w->s, e, "saving published value");
}

/* ---------------------------------------------------------------- queries */

/* 1 with *id when exactly one series matches, 0 when none, -1 on error or ambiguity. */
static int resolve_series(struct store *s, const struct store_published_key *k, int64_t *id,
                          struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT id, filters FROM published_series WHERE source = ?1 AND "
                       "indicator = ?2 AND (?3 IS NULL OR filters = ?3) ORDER BY filters LIMIT 3",
                       e))
                return -1;
        sq_bind_text(st, 1, k->source);
        sq_bind_text(st, 2, k->indicator);
        sq_bind_text(st, 3, k->filters);
        int n = 0, rc;
        char first[2][200] = {"", ""};
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (n == 0)
                        *id = sqlite3_column_int64(st, 0);
                if (n < 2)
                        snprintf(first[n], sizeof first[n], "%s",
                                 (const char *)sqlite3_column_text(st, 1));
                n++;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "finding published series");
        if (n > 1)
                return err_set(e, EXIT_INTERNAL,
                               "published %s/%s: several series match (filters '%s', '%s'%s); "
                               "name the filters",
                               k->source, k->indicator, first[0], first[1], n > 2 ? ", …" : "");
        return n;
}

#define VALUE_COLUMNS                                                                              \
        "area, level, year, time_period, period_end, new_la_code, region_code, joint, "            \
        "value_text, value, symbol"

static void row_to_value(sqlite3_stmt *st, const struct store_published_key *k,
                         struct store_published *v)
{
        memset(v, 0, sizeof *v);
        v->key = *k;
        v->area = (const char *)sqlite3_column_text(st, 0);
        v->level = level_of(sqlite3_column_text(st, 1));
        v->year = sqlite3_column_int(st, 2);
        v->time_period = (const char *)sqlite3_column_text(st, 3);
        v->period_end = (const char *)sqlite3_column_text(st, 4);
        v->new_la_code = (const char *)sqlite3_column_text(st, 5);
        v->region_code = (const char *)sqlite3_column_text(st, 6);
        v->joint = (const char *)sqlite3_column_text(st, 7);
        v->text = (const char *)sqlite3_column_text(st, 8);
        if (sqlite3_column_type(st, 10) == SQLITE_NULL) {
                v->value = sqlite3_column_double(st, 9);
        } else {
                v->symbol = (const char *)sqlite3_column_text(st, 10);
                v->value = 0;
        }
}

/* Copy a string into the caller's pool; NULL stays NULL. */
static const char *pool_copy(const char *src, char *pool, size_t len, size_t *off, int *full)
{
        if (!src)
                return NULL;
        size_t n = strlen(src) + 1;
        if (*off + n > len) {
                *full = 1;
                return NULL;
        }
        memcpy(pool + *off, src, n);
        const char *p = pool + *off;
        *off += n;
        return p;
}

int store_published_get(struct store *s, const struct store_published_key *k, enum store_geo level,
                        const char *area, int year, struct store_published *out, char *strings,
                        size_t strings_len, struct err *e)
{
        int64_t id = 0;
        int found = resolve_series(s, k, &id, e);
        if (found <= 0)
                return found;
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT " VALUE_COLUMNS ", (SELECT filters FROM published_series WHERE "
                       "id = ?1) FROM published_values WHERE series = ?1 AND year = ?2 AND "
                       "level = ?3 AND area = ?4",
                       e))
                return -1;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, year);
        sq_bind_text(st, 3, level_name(level));
        sq_bind_text(st, 4, area);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
                sqlite3_finalize(st);
                return 0;
        }
        if (rc != SQLITE_ROW) {
                sqlite3_finalize(st);
                return sq_error(s, e, "reading published value");
        }
        struct store_published v;
        row_to_value(st, k, &v);
        size_t off = 0;
        int full = 0;
        *out = v;
        out->key.source = pool_copy(k->source, strings, strings_len, &off, &full);
        out->key.indicator = pool_copy(k->indicator, strings, strings_len, &off, &full);
        out->key.filters =
            pool_copy((const char *)sqlite3_column_text(st, 11), strings, strings_len, &off, &full);
        out->area = pool_copy(v.area, strings, strings_len, &off, &full);
        out->time_period = pool_copy(v.time_period, strings, strings_len, &off, &full);
        out->period_end = pool_copy(v.period_end, strings, strings_len, &off, &full);
        out->new_la_code = pool_copy(v.new_la_code, strings, strings_len, &off, &full);
        out->region_code = pool_copy(v.region_code, strings, strings_len, &off, &full);
        out->joint = pool_copy(v.joint, strings, strings_len, &off, &full);
        out->text = pool_copy(v.text, strings, strings_len, &off, &full);
        out->symbol = pool_copy(v.symbol, strings, strings_len, &off, &full);
        sqlite3_finalize(st);
        if (full)
                return err_set(e, EXIT_INTERNAL, "published value: strings buffer too small");
        return 1;
}

int store_published_each(struct store *s, const struct store_published_key *k, enum store_geo level,
                         int year, int (*fn)(void *ctx, const struct store_published *v), void *ctx,
                         struct err *e)
{
        int64_t id = 0;
        int found = resolve_series(s, k, &id, e);
        if (found <= 0)
                return found;
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT " VALUE_COLUMNS " FROM published_values WHERE series = ? AND "
                       "year = ? AND level = ? ORDER BY area",
                       e))
                return -1;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, year);
        sq_bind_text(st, 3, level_name(level));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_published v;
                row_to_value(st, k, &v);
                if (fn(ctx, &v))
                        break;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
                return sq_error(s, e, "listing published values");
        return 0;
}

int store_published_count(struct store *s, const char *source, int64_t *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT count(*) FROM published_values v JOIN published_series p ON p.id "
                       "= v.series WHERE ?1 IS NULL OR p.source = ?1",
                       e))
                return -1;
        sq_bind_text(st, 1, source);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
                return sq_error(s, e, "counting published values");
        return 0;
}

/* ---------------------------------------------------------------- populations */

static int population_put_row(struct store *s, const char *area, int year, int64_t population,
                              const char *source, int64_t import_id, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO populations (area, year, mid_year, population, source, "
                       "import_id) VALUES (?1, ?2, ?2 - 1, ?3, ?4, ?5) ON CONFLICT (area, year) "
                       "DO UPDATE SET population = excluded.population, source = "
                       "excluded.source, import_id = excluded.import_id",
                       e))
                return -1;
        sq_bind_text(st, 1, area);
        sqlite3_bind_int(st, 2, year);
        sqlite3_bind_int64(st, 3, population);
        sq_bind_text(st, 4, source ? source : "");
        if (import_id > 0)
                sqlite3_bind_int64(st, 5, import_id);
        else
                sqlite3_bind_null(st, 5);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "saving population");
        return 0;
}

int store_population_put(struct store *s, const char *area, int year, int64_t population,
                         const char *source, int64_t import_id, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own,
                          population_put_row(s, area, year, population, source, import_id, e), e);
}

int store_population_get(struct store *s, const char *area, int year, int64_t *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st,
                            "SELECT population FROM populations WHERE area = ? AND year = ?", e))
                return -1;
        sq_bind_text(st, 1, area);
        sqlite3_bind_int(st, 2, year);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                sq_error(s, e, "reading population");
        sq_kept_done(s, st);
        return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
