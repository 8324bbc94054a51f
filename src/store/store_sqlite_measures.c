/*
 * store_sqlite_measures.c — measure values, their benchmarks and the years
 * they cover on SQLite (the "measure values and benchmarks" section of
 * store.h; migration 6), and the published-series lookups benchmarking needs.
 *
 * Values are many (an authority has about 1,400 a year: every measure for
 * the year, twelve months and twelve rolling points), so writers keep their
 * statements prepared and callers write in key order.  Numbers that are
 * absent are SQL NULL, never 0.
 */
#include "store/store.h"
#include "store/store_sqlite.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/xalloc.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *st, int i)
{
        const char *t = (const char *)sqlite3_column_text(st, i);
        return t ? t : "";
}

void sq_measure_value_row(sqlite3_stmt *st, struct store_measure_value *v)
{
        *v = (struct store_measure_value){
            .la = col_text(st, 0),
            .period = col_text(st, 1),
            .period_end = col_text(st, 2),
            .measure = col_text(st, 3),
            .year = sqlite3_column_int(st, 4),
            .source = col_text(st, 5),
            .has_numerator = sqlite3_column_type(st, 6) != SQLITE_NULL,
            .numerator = sqlite3_column_int64(st, 6),
            .has_denominator = sqlite3_column_type(st, 7) != SQLITE_NULL,
            .denominator = sqlite3_column_int64(st, 7),
            .has_value = sqlite3_column_type(st, 8) != SQLITE_NULL,
            .value = sqlite3_column_double(st, 8),
            .note = col_text(st, 9),
            .small_base = sqlite3_column_int(st, 10),
            .lookback_incomplete = sqlite3_column_int(st, 11),
            .dq_warnings = sqlite3_column_int(st, 12),
        };
}

static void bind_opt_int(sqlite3_stmt *st, int i, int has, int64_t v)
{
        if (has)
                sqlite3_bind_int64(st, i, v);
        else
                sqlite3_bind_null(st, i);
}

static void bind_opt_double(sqlite3_stmt *st, int i, int has, double v)
{
        if (has)
                sqlite3_bind_double(st, i, v);
        else
                sqlite3_bind_null(st, i);
}

const char *store_location(const struct store *s)
{
        return s->path;
}

/* ---------------------------------------------------------------- values */

struct store_measure_writer {
        struct store *s;
        sqlite3_stmt *put;
};

int store_measure_writer_open(struct store *s, struct store_measure_writer **out, struct err *e)
{
        struct store_measure_writer *w = xcalloc(1, sizeof *w);
        w->s = s;
        *out = NULL;
        if (sq_prepare(s, &w->put,
                       "INSERT OR REPLACE INTO measure_values (la, period, period_end, measure, "
                       "year, source, numerator, denominator, value, note, small_base, "
                       "lookback_incomplete, dq_warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?)",
                       e)) {
                free(w);
                return -1;
        }
        *out = w;
        return 0;
}

int store_measure_put(struct store_measure_writer *w, const struct store_measure_value *v,
                      struct err *e)
{
        sqlite3_stmt *st = w->put;
        sqlite3_bind_text(st, 1, v->la, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, v->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, v->period_end, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, v->measure, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, v->year);
        sqlite3_bind_text(st, 6, v->source, -1, SQLITE_STATIC);
        bind_opt_int(st, 7, v->has_numerator, v->numerator);
        bind_opt_int(st, 8, v->has_denominator, v->denominator);
        bind_opt_double(st, 9, v->has_value, v->value);
        sqlite3_bind_text(st, 10, v->note ? v->note : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 11, v->small_base != 0);
        sqlite3_bind_int(st, 12, v->lookback_incomplete != 0);
        sqlite3_bind_int(st, 13, v->dq_warnings > 0 ? v->dq_warnings : 0);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE) {
                char what[200];
                snprintf(what, sizeof what, "storing %s of %s for %s %s", v->measure, v->la,
                         v->period, v->period_end);
                return sq_error(w->s, e, what);
        }
        return 0;
}

void store_measure_writer_close(struct store_measure_writer *w)
{
        if (!w)
                return;
        sqlite3_finalize(w->put);
        free(w);
}

static int measure_delete_rows(struct store *s, const char *la, const char *source, int from_year,
                               struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "DELETE FROM measure_values WHERE la = ?1 AND (?2 IS NULL OR source = ?2) "
                       "AND year >= ?3",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, source);
        sqlite3_bind_int(st, 3, from_year);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "deleting measure values");
        return 0;
}

int store_measure_delete(struct store *s, const char *la, const char *source, int from_year,
                         struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, measure_delete_rows(s, la, source, from_year, e), e);
}

/* Key order of measure_values within one authority (BINARY collation is strcmp here). */
static int key_cmp(const char *p1, const char *e1, const char *m1, const char *p2, const char *e2,
                   const char *m2)
{
        int c = strcmp(p1, p2);
        if (!c)
                c = strcmp(e1, e2);
        if (!c)
                c = strcmp(m1, m2);
        return c;
}

/* A stored value as store_measure_put wrote it, copied (read fully before any write). */
struct oldrow {
        const char *period, *period_end, *measure, *source, *note;
        int year, small_base, lookback_incomplete, dq_warnings;
        bool has_num, has_den, has_value;
        int64_t num, den;
        double value;
};

static bool row_same(const struct oldrow *o, const struct store_measure_value *v)
{
        if (o->year != v->year || strcmp(o->source, v->source) != 0 ||
            o->has_num != (v->has_numerator != 0) || o->has_den != (v->has_denominator != 0) ||
            o->has_value != (v->has_value != 0))
                return false;
        if ((o->has_num && o->num != v->numerator) || (o->has_den && o->den != v->denominator) ||
            (o->has_value && !(o->value == v->value)))
                return false;
        return strcmp(o->note, v->note ? v->note : "") == 0 &&
               o->small_base == (v->small_base != 0) &&
               o->lookback_incomplete == (v->lookback_incomplete != 0) &&
               o->dq_warnings == (v->dq_warnings > 0 ? v->dq_warnings : 0);
}

static bool source_in(const char *source, const char *const *sources)
{
        for (; *sources; sources++)
                if (strcmp(source, *sources) == 0)
                        return true;
        return false;
}

/*
 * la's stored values of the sources (at most three) from from_year on, in key
 * order, strings in `a`.  Rows of other sources play no part in a replace: a
 * new row put over one replaces it whether it was read or not.
 */
static int old_rows(struct store *s, const char *la, const char *const *sources, int from_year,
                    struct arena *a, struct oldrow **out, size_t *n, struct err *e)
{
        sqlite3_stmt *st;
        *out = NULL;
        *n = 0;
        if (!sources[0] || (sources[1] && sources[2] && sources[3]))
                return err_set(e, EXIT_INTERNAL, "replacing measure values: 1 to 3 sources");
        if (sq_prepare(s, &st,
                       "SELECT period, period_end, measure, year, source, numerator, denominator, "
                       "value, note, small_base, lookback_incomplete, dq_warnings FROM "
                       "measure_values WHERE la = ?1 AND year >= ?2 AND source IN (?3, ?4, ?5) "
                       "ORDER BY la, period, period_end, measure",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sqlite3_bind_int(st, 2, from_year);
        for (int k = 0; k < 3 && sources[k]; k++) /* unbound: NULL, which no source equals */
                sq_bind_text(st, 3 + k, sources[k]);
        size_t cap = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                *out = xgrow(*out, &cap, *n + 1, sizeof **out);
                struct oldrow *o = &(*out)[(*n)++];
                o->period = arena_strdup(a, col_text(st, 0));
                o->period_end = arena_strdup(a, col_text(st, 1));
                o->measure = arena_strdup(a, col_text(st, 2));
                o->year = sqlite3_column_int(st, 3);
                o->source = arena_strdup(a, col_text(st, 4));
                o->has_num = sqlite3_column_type(st, 5) != SQLITE_NULL;
                o->num = sqlite3_column_int64(st, 5);
                o->has_den = sqlite3_column_type(st, 6) != SQLITE_NULL;
                o->den = sqlite3_column_int64(st, 6);
                o->has_value = sqlite3_column_type(st, 7) != SQLITE_NULL;
                o->value = sqlite3_column_double(st, 7);
                o->note = arena_strdup(a, col_text(st, 8));
                o->small_base = sqlite3_column_int(st, 9);
                o->lookback_incomplete = sqlite3_column_int(st, 10);
                o->dq_warnings = sqlite3_column_int(st, 11);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading measure values");
        return 0;
}

/* ---------------------------------------------------------------- value digests */

/*
 * A digest of the rows store_measure_replace makes an authority's (BLAKE2b
 * over every column of each row, in order; libsodium).  It is kept in
 * measure_value_sums with the sources and first year it covers; migration
 * 10's triggers drop an authority's digests on any write to its values, so a
 * stored digest always describes the rows as they are, and a replace whose
 * new rows have the same digest has nothing to write.
 */
#define SUM_BYTES crypto_generichash_BYTES

struct sumbuf {
        crypto_generichash_state st;
        unsigned char buf[16384];
        size_t n;
};

static void sum_put(struct sumbuf *b, const void *p, size_t n)
{
        if (b->n + n > sizeof b->buf) {
                crypto_generichash_update(&b->st, b->buf, b->n);
                b->n = 0;
        }
        if (n > sizeof b->buf) {
                crypto_generichash_update(&b->st, p, n);
                return;
        }
        memcpy(b->buf + b->n, p, n);
        b->n += n;
}

static void sum_text(struct sumbuf *b, const char *t)
{
        sum_put(b, t, strlen(t) + 1); /* with its NUL: texts cannot run into each other */
}

static void sum_i64(struct sumbuf *b, int64_t x)
{
        sum_put(b, &x, sizeof x);
}

/* The digest of v[0..n) as stored (absent numbers as absent, the note "" when none). */
static void values_digest(const struct store_measure_value *v, size_t n,
                          unsigned char out[SUM_BYTES])
{
        struct sumbuf *b = xmalloc(sizeof *b);
        crypto_generichash_init(&b->st, NULL, 0, SUM_BYTES);
        b->n = 0;
        for (size_t i = 0; i < n; i++) {
                const struct store_measure_value *x = &v[i];
                sum_text(b, x->period);
                sum_text(b, x->period_end);
                sum_text(b, x->measure);
                sum_text(b, x->source);
                sum_text(b, x->note ? x->note : "");
                unsigned flags = (x->has_numerator != 0) | (x->has_denominator != 0) << 1 |
                                 (x->has_value != 0) << 2 | (x->small_base != 0) << 3 |
                                 (x->lookback_incomplete != 0) << 4;
                unsigned char f = (unsigned char)flags;
                sum_put(b, &f, 1);
                sum_i64(b, x->year);
                sum_i64(b, x->has_numerator ? x->numerator : 0);
                sum_i64(b, x->has_denominator ? x->denominator : 0);
                double val = x->has_value ? x->value : 0;
                sum_put(b, &val, sizeof val);
                sum_i64(b, x->dq_warnings > 0 ? x->dq_warnings : 0);
        }
        if (b->n)
                crypto_generichash_update(&b->st, b->buf, b->n);
        crypto_generichash_final(&b->st, out, SUM_BYTES);
        free(b);
}

/* The sources as one key text ("903,cin"); 0 when they do not fit. */
static int sources_key(const char *const *sources, char *out, size_t cap)
{
        size_t used = 0;
        out[0] = '\0';
        for (const char *const *p = sources; *p; p++) {
                int k = snprintf(out + used, cap - used, "%s%s", used ? "," : "", *p);
                if (k < 0 || (size_t)k >= cap - used)
                        return 0;
                used += (size_t)k;
        }
        return 1;
}

/*
 * Whether every row of v is one the digest may cover: of one of the sources
 * and from from_year on, so that after the replace they are exactly the
 * authority's rows of those sources and years.
 */
static bool digestible(const char *const *sources, int from_year,
                       const struct store_measure_value *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (v[i].year < from_year || !source_in(v[i].source, sources))
                        return false;
        return true;
}

/* 1 when la's stored digest for (sources, from_year) is of n rows and equals sum. */
static int digest_same(struct store *s, const char *la, const char *key, int from_year, size_t n,
                       const unsigned char sum[SUM_BYTES], struct err *e)
{
        static const char sql[] = "SELECT rows, digest FROM measure_value_sums WHERE la = ?1 AND "
                                  "sources = ?2 AND from_year = ?3";
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, key);
        sqlite3_bind_int(st, 3, from_year);
        int rc = sqlite3_step(st), same = 0;
        if (rc == SQLITE_ROW)
                same = sqlite3_column_int64(st, 0) == (sqlite3_int64)n &&
                       sqlite3_column_bytes(st, 1) == SUM_BYTES &&
                       memcmp(sqlite3_column_blob(st, 1), sum, SUM_BYTES) == 0;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sq_error(s, e, "reading a measure value digest");
                sq_kept_done(s, st);
                return -1;
        }
        sq_kept_done(s, st);
        return same;
}

static int digest_put(struct store *s, const char *la, const char *key, int from_year, size_t n,
                      const unsigned char sum[SUM_BYTES], struct err *e)
{
        static const char sql[] = "INSERT OR REPLACE INTO measure_value_sums (la, sources, "
                                  "from_year, rows, digest) VALUES (?1, ?2, ?3, ?4, ?5)";
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, key);
        sqlite3_bind_int(st, 3, from_year);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
        sqlite3_bind_blob(st, 5, sum, SUM_BYTES, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sq_kept_done(s, st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "storing a measure value digest");
        return 0;
}

static int replace_rows(struct store *s, const char *la, const char *const *sources, int from_year,
                        const struct store_measure_value *v, size_t n, long *written,
                        struct err *e);

int store_measure_replace(struct store *s, const char *la, const char *const *sources,
                          int from_year, const struct store_measure_value *v, size_t n,
                          long *written, struct err *e)
{
        if (written)
                *written = 0;
        char key[64];
        if (!sources_key(sources, key, sizeof key) || !digestible(sources, from_year, v, n))
                return replace_rows(s, la, sources, from_year, v, n, written, e);
        if (sodium_init() < 0)
                return err_set(e, EXIT_INTERNAL, "libsodium could not be initialised");
        unsigned char sum[SUM_BYTES];
        values_digest(v, n, sum);
        int same = digest_same(s, la, key, from_year, n, sum, e);
        if (same < 0)
                return -1;
        if (same)
                return 0; /* the rows are these already */
        /* The writes drop la's digests (the triggers); this one is put back after them. */
        if (replace_rows(s, la, sources, from_year, v, n, written, e))
                return -1;
        return digest_put(s, la, key, from_year, n, sum, e);
}

static int replace_rows(struct store *s, const char *la, const char *const *sources, int from_year,
                        const struct store_measure_value *v, size_t n, long *written, struct err *e)
{
        struct arena a;
        arena_init(&a, 0);
        struct oldrow *o = NULL;
        size_t no = 0;
        sqlite3_stmt *del = NULL;
        struct store_measure_writer *w = NULL;
        if (old_rows(s, la, sources, from_year, &a, &o, &no, e) ||
            sq_prepare(s, &del,
                       "DELETE FROM measure_values WHERE la = ?1 AND period = ?2 AND period_end "
                       "= ?3 AND measure = ?4",
                       e) ||
            store_measure_writer_open(s, &w, e))
                goto fail;
        sq_bind_text(del, 1, la);
        /* Merge the stored rows with v, both in key order. */
        size_t i = 0, k = 0;
        while (k < no || i < n) {
                int c = k >= no  ? 1
                        : i >= n ? -1
                                 : key_cmp(o[k].period, o[k].period_end, o[k].measure, v[i].period,
                                           v[i].period_end, v[i].measure);
                if (c < 0) { /* stored, not computed now: gone if it is of these sources */
                        if (source_in(o[k].source, sources)) {
                                sq_bind_text(del, 2, o[k].period);
                                sq_bind_text(del, 3, o[k].period_end);
                                sq_bind_text(del, 4, o[k].measure);
                                int d = sqlite3_step(del);
                                sqlite3_reset(del);
                                if (d != SQLITE_DONE) {
                                        sq_error(s, e, "deleting a measure value");
                                        goto fail;
                                }
                        }
                        k++;
                        continue;
                }
                if (c > 0 || !row_same(&o[k], &v[i])) {
                        if (store_measure_put(w, &v[i], e))
                                goto fail;
                        if (written)
                                (*written)++;
                }
                if (c == 0)
                        k++;
                i++;
        }
        sqlite3_finalize(del);
        store_measure_writer_close(w);
        free(o);
        arena_release(&a);
        return 0;
fail:
        sqlite3_finalize(del);
        store_measure_writer_close(w);
        free(o);
        arena_release(&a);
        return -1;
}

int store_measure_each(struct store *s, const char *la, const char *period, int year,
                       const char *measure,
                       int (*fn)(void *ctx, const struct store_measure_value *v), void *ctx,
                       struct err *e)
{
        /* Spelled out per case so that SQLite sees the key columns it can range over. */
        const char *sql =
            la ? (period ? "SELECT la, period, period_end, measure, year, source, numerator, "
                           "denominator, value, note, small_base, lookback_incomplete, "
                           "dq_warnings FROM measure_values WHERE la = ?1 AND period = ?2 AND "
                           "(?3 = 0 OR year = ?3) AND (?4 IS NULL OR measure = ?4) ORDER BY la, "
                           "period, period_end, measure"
                         : "SELECT la, period, period_end, measure, year, source, numerator, "
                           "denominator, value, note, small_base, lookback_incomplete, "
                           "dq_warnings FROM measure_values WHERE la = ?1 AND (?3 = 0 OR year = "
                           "?3) AND (?4 IS NULL OR measure = ?4) AND (?2 IS NULL OR 1) ORDER BY "
                           "la, period, period_end, measure")
               : "SELECT la, period, period_end, measure, year, source, numerator, denominator, "
                 "value, note, small_base, lookback_incomplete, dq_warnings FROM measure_values "
                 "WHERE (?1 IS NULL OR 1) AND (?2 IS NULL OR period = ?2) AND (?3 = 0 OR year = "
                 "?3) AND (?4 IS NULL OR measure = ?4) ORDER BY la, period, period_end, measure";
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, period);
        sqlite3_bind_int(st, 3, year);
        sq_bind_text(st, 4, measure);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_measure_value v;
                sq_measure_value_row(st, &v);
                if (fn(ctx, &v)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading measure values");
        return 0;
}

/* ---------------------------------------------------------------- benchmarks */

static int bench_clear_rows(struct store *s, int year, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "DELETE FROM measure_benchmarks WHERE year = ?", e))
                return -1;
        sqlite3_bind_int(st, 1, year);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "deleting benchmarks");
        return 0;
}

int store_bench_clear(struct store *s, int year, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, bench_clear_rows(s, year, e), e);
}

/* A benchmark row of the year being written by difference (store_bench_writer_year). */
struct bench_old {
        struct store_measure_bench b; /* texts in the writer's arena */
        uint64_t hash;                /* of la and measure */
        int seen;                     /* put again since the year was read */
};

struct store_bench_writer {
        struct store *s;
        sqlite3_stmt *put;
        int year; /* the year read by store_bench_writer_year, 0 for none */
        struct arena a;
        struct bench_old *old;
        size_t nold, cap;
        uint32_t *slot; /* open addressing: index into old + 1, 0 empty */
        size_t nslot;
};

static uint64_t bench_key(const char *la, const char *measure)
{
        /* la, a separator, measure */
        return fnv1a_str(fnv1a_byte(fnv1a_str(FNV1A_INIT, la), 0x1f), measure);
}

static struct bench_old *bench_find(struct store_bench_writer *w, const char *la,
                                    const char *measure)
{
        if (!w->nslot)
                return NULL;
        uint64_t h = bench_key(la, measure);
        for (size_t k = (size_t)h & (w->nslot - 1); w->slot[k]; k = (k + 1) & (w->nslot - 1)) {
                struct bench_old *o = &w->old[w->slot[k] - 1];
                if (o->hash == h && strcmp(o->b.la, la) == 0 && strcmp(o->b.measure, measure) == 0)
                        return o;
        }
        return NULL;
}

static const char *or_empty(const char *t)
{
        return t ? t : "";
}

static bool same_double(int has_a, double a, int has_b, double b)
{
        return has_a == has_b && (!has_a || memcmp(&a, &b, sizeof a) == 0);
}

/* A put equal to the stored row, as it reads back (NULL for a non-positive band or rank). */
static bool bench_same(const struct store_measure_bench *o, const struct store_measure_bench *b)
{
        return same_double(o->has_sn_median, o->sn_median, b->has_sn_median, b->sn_median) &&
               same_double(o->has_region, o->region, b->has_region, b->region) &&
               same_double(o->has_england, o->england, b->has_england, b->england) &&
               o->sn_used == b->sn_used && o->quartile == (b->quartile > 0 ? b->quartile : 0) &&
               o->rank == (b->rank > 0 ? b->rank : 0) &&
               o->ranked == (b->ranked > 0 ? b->ranked : 0) && o->versus == b->versus &&
               strcmp(o->region_code, or_empty(b->region_code)) == 0 &&
               strcmp(o->region_source, or_empty(b->region_source)) == 0 &&
               strcmp(o->england_source, or_empty(b->england_source)) == 0 &&
               strcmp(o->note, or_empty(b->note)) == 0;
}

static void bench_forget(struct store_bench_writer *w)
{
        arena_release(&w->a);
        arena_init(&w->a, 0);
        free(w->old);
        free(w->slot);
        w->old = NULL;
        w->slot = NULL;
        w->nold = w->cap = w->nslot = 0;
        w->year = 0;
}

static int bench_keep(void *ctx, const struct store_measure_bench *b)
{
        struct store_bench_writer *w = ctx;
        w->old = xgrow(w->old, &w->cap, w->nold + 1, sizeof *w->old);
        struct bench_old *o = &w->old[w->nold++];
        o->b = *b;
        o->b.la = arena_strdup(&w->a, b->la);
        o->b.measure = arena_strdup(&w->a, b->measure);
        o->b.region_code = arena_strdup(&w->a, or_empty(b->region_code));
        o->b.region_source = arena_strdup(&w->a, or_empty(b->region_source));
        o->b.england_source = arena_strdup(&w->a, or_empty(b->england_source));
        o->b.note = arena_strdup(&w->a, or_empty(b->note));
        o->hash = bench_key(b->la, b->measure);
        o->seen = 0;
        return 0;
}

int store_bench_writer_year(struct store_bench_writer *w, int year, struct err *e)
{
        bench_forget(w);
        if (store_bench_each(w->s, NULL, year, NULL, bench_keep, w, e))
                return -1;
        w->nslot = 16;
        while (w->nslot < 2 * w->nold)
                w->nslot *= 2;
        w->slot = xcalloc(w->nslot, sizeof *w->slot);
        for (size_t i = 0; i < w->nold; i++) {
                size_t k = (size_t)w->old[i].hash & (w->nslot - 1);
                while (w->slot[k])
                        k = (k + 1) & (w->nslot - 1);
                w->slot[k] = (uint32_t)(i + 1);
        }
        w->year = year;
        return 0;
}

static int bench_delete_unseen(struct store_bench_writer *w, struct err *e)
{
        sqlite3_stmt *st = NULL;
        for (size_t i = 0; i < w->nold; i++) {
                if (w->old[i].seen)
                        continue;
                if (!st &&
                    sq_prepare(w->s, &st,
                               "DELETE FROM measure_benchmarks WHERE la = ? AND year = ? AND "
                               "measure = ?",
                               e))
                        return -1;
                sqlite3_bind_text(st, 1, w->old[i].b.la, -1, SQLITE_STATIC);
                sqlite3_bind_int(st, 2, w->year);
                sqlite3_bind_text(st, 3, w->old[i].b.measure, -1, SQLITE_STATIC);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE) {
                        sq_error(w->s, e, "deleting a benchmark");
                        sqlite3_finalize(st);
                        return -1;
                }
        }
        sqlite3_finalize(st);
        return 0;
}

int store_bench_writer_year_end(struct store_bench_writer *w, struct err *e)
{
        int rc = w->year ? bench_delete_unseen(w, e) : 0;
        bench_forget(w);
        return rc;
}

int store_bench_writer_open(struct store *s, struct store_bench_writer **out, struct err *e)
{
        struct store_bench_writer *w = xcalloc(1, sizeof *w);
        w->s = s;
        arena_init(&w->a, 0);
        *out = NULL;
        if (sq_prepare(s, &w->put,
                       "INSERT OR REPLACE INTO measure_benchmarks (la, year, measure, sn_median, "
                       "sn_used, region, region_code, region_source, england, england_source, "
                       "quartile, rank, ranked, versus, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?)",
                       e)) {
                arena_release(&w->a);
                free(w);
                return -1;
        }
        *out = w;
        return 0;
}

int store_bench_put(struct store_bench_writer *w, const struct store_measure_bench *b,
                    struct err *e)
{
        if (w->year && b->year == w->year) {
                struct bench_old *o = bench_find(w, b->la, b->measure);
                if (o) {
                        o->seen = 1;
                        if (bench_same(&o->b, b))
                                return 0; /* stored as it is */
                }
        }
        sqlite3_stmt *st = w->put;
        sqlite3_bind_text(st, 1, b->la, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, b->year);
        sqlite3_bind_text(st, 3, b->measure, -1, SQLITE_STATIC);
        bind_opt_double(st, 4, b->has_sn_median, b->sn_median);
        sqlite3_bind_int(st, 5, b->sn_used);
        bind_opt_double(st, 6, b->has_region, b->region);
        sqlite3_bind_text(st, 7, b->region_code ? b->region_code : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, b->region_source ? b->region_source : "", -1, SQLITE_STATIC);
        bind_opt_double(st, 9, b->has_england, b->england);
        sqlite3_bind_text(st, 10, b->england_source ? b->england_source : "", -1, SQLITE_STATIC);
        bind_opt_int(st, 11, b->quartile > 0, b->quartile);
        bind_opt_int(st, 12, b->rank > 0, b->rank);
        bind_opt_int(st, 13, b->ranked > 0, b->ranked);
        sqlite3_bind_int(st, 14, b->versus);
        sqlite3_bind_text(st, 15, b->note ? b->note : "", -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE)
                return sq_error(w->s, e, "storing a benchmark");
        return 0;
}

void store_bench_writer_close(struct store_bench_writer *w)
{
        if (!w)
                return;
        sqlite3_finalize(w->put);
        bench_forget(w);
        arena_release(&w->a);
        free(w);
}

int store_bench_each(struct store *s, const char *la, int year, const char *measure,
                     int (*fn)(void *ctx, const struct store_measure_bench *b), void *ctx,
                     struct err *e)
{
        const char *sql =
            la ? "SELECT la, year, measure, sn_median, sn_used, region, region_code, "
                 "region_source, england, england_source, quartile, rank, ranked, versus, note "
                 "FROM measure_benchmarks WHERE la = ?1 AND (?2 = 0 OR year = ?2) AND (?3 IS "
                 "NULL OR measure = ?3) ORDER BY la, year, measure"
               : "SELECT la, year, measure, sn_median, sn_used, region, region_code, "
                 "region_source, england, england_source, quartile, rank, ranked, versus, note "
                 "FROM measure_benchmarks WHERE (?1 IS NULL OR 1) AND (?2 = 0 OR year = ?2) AND "
                 "(?3 IS NULL OR measure = ?3) ORDER BY la, year, measure";
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, la);
        sqlite3_bind_int(st, 2, year);
        sq_bind_text(st, 3, measure);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_measure_bench b = {
                    .la = col_text(st, 0),
                    .year = sqlite3_column_int(st, 1),
                    .measure = col_text(st, 2),
                    .has_sn_median = sqlite3_column_type(st, 3) != SQLITE_NULL,
                    .sn_median = sqlite3_column_double(st, 3),
                    .sn_used = sqlite3_column_int(st, 4),
                    .has_region = sqlite3_column_type(st, 5) != SQLITE_NULL,
                    .region = sqlite3_column_double(st, 5),
                    .region_code = col_text(st, 6),
                    .region_source = col_text(st, 7),
                    .has_england = sqlite3_column_type(st, 8) != SQLITE_NULL,
                    .england = sqlite3_column_double(st, 8),
                    .england_source = col_text(st, 9),
                    .quartile = sqlite3_column_int(st, 10),
                    .rank = sqlite3_column_int(st, 11),
                    .ranked = sqlite3_column_int(st, 12),
                    .versus = sqlite3_column_int(st, 13),
                    .note = col_text(st, 14),
                };
                if (fn(ctx, &b)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading benchmarks");
        return 0;
}

/* ---------------------------------------------------------------- years */

static int year_mark_rows(struct store *s, int year, struct err *e)
{
        sqlite3_stmt *st;
        /* Kept prepared: a recompute marks each authority's every year. */
        static const char mark_one[] = "INSERT INTO measure_years (year, stale) VALUES (?, 1) ON "
                                       "CONFLICT (year) DO UPDATE SET stale = 1";
        static const char mark_all[] = "UPDATE measure_years SET stale = 1 WHERE ? = 0";
        if (sq_prepare_kept(s, &st, year ? mark_one : mark_all, e))
                return -1;
        sqlite3_bind_int(st, 1, year);
        int rc = sqlite3_step(st);
        sq_kept_done(s, st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "marking benchmarks stale");
        return 0;
}

int store_measure_year_mark(struct store *s, int year, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, year_mark_rows(s, year, e), e);
}

int store_measure_years(struct store *s, int **years, int **stale, size_t *n, struct err *e)
{
        sqlite3_stmt *st;
        *years = *stale = NULL;
        *n = 0;
        if (sq_prepare(s, &st, "SELECT year, stale FROM measure_years ORDER BY year", e))
                return -1;
        size_t cap = 0, cap2 = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                *years = xgrow(*years, &cap, *n + 1, sizeof **years);
                *stale = xgrow(*stale, &cap2, *n + 1, sizeof **stale);
                (*years)[*n] = sqlite3_column_int(st, 0);
                (*stale)[*n] = sqlite3_column_int(st, 1);
                (*n)++;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
                free(*years);
                free(*stale);
                *years = *stale = NULL;
                *n = 0;
                return sq_error(s, e, "listing measure years");
        }
        return 0;
}

static int year_fresh_row(struct store *s, int year, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "UPDATE measure_years SET stale = 0 WHERE year = ?", e))
                return -1;
        sqlite3_bind_int(st, 1, year);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "marking benchmarks fresh");
        return 0;
}

int store_measure_year_fresh(struct store *s, int year, struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, year_fresh_row(s, year, e), e);
}

/* ---------------------------------------------------------------- populations, published */

int store_population_each(struct store *s,
                          int (*fn)(void *ctx, const char *area, int year, int64_t population),
                          void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, "SELECT area, year, population FROM populations ORDER BY area, year",
                       e))
                return -1;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                if (fn(ctx, col_text(st, 0), sqlite3_column_int(st, 1),
                       sqlite3_column_int64(st, 2))) {
                        rc = SQLITE_DONE;
                        break;
                }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading populations");
        return 0;
}

/*
 * Whether every "name=value" pair of `want` is one of the pairs of `have`;
 * both are canonical keys (pairs joined with "|", a "|" inside written "\|").
 */
static int filters_include(const char *have, const char *want)
{
        const char *p = want;
        while (*p) {
                const char *q = p;
                while (*q && *q != '|') {
                        if (*q == '\\' && q[1])
                                q++;
                        q++;
                }
                size_t n = (size_t)(q - p);
                int found = 0;
                for (const char *h = have; *h && !found;) {
                        const char *k = h;
                        while (*k && *k != '|') {
                                if (*k == '\\' && k[1])
                                        k++;
                                k++;
                        }
                        found = (size_t)(k - h) == n && memcmp(h, p, n) == 0;
                        h = *k ? k + 1 : k;
                }
                if (!found)
                        return 0;
                p = *q ? q + 1 : q;
        }
        return 1;
}

int store_published_series_find(struct store *s, const char *source, const char *indicator,
                                const char *filters, int64_t *id, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT id, filters FROM published_series WHERE source = ? AND indicator = "
                       "? ORDER BY id",
                       e))
                return -1;
        sq_bind_text(st, 1, source);
        sq_bind_text(st, 2, indicator);
        int rc, matches = 0, exact = 0;
        const char *want = filters ? filters : "";
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const char *have = col_text(st, 1);
                if (strcmp(have, want) == 0) { /* the exact key wins over a wider match */
                        *id = sqlite3_column_int64(st, 0);
                        exact = 1;
                        rc = SQLITE_DONE;
                        break;
                }
                if (filters_include(have, want)) {
                        *id = sqlite3_column_int64(st, 0);
                        matches++;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "finding a published series");
        return exact || matches == 1;
}

int store_published_series_each(struct store *s, int64_t series, enum store_geo level,
                                int (*fn)(void *ctx, const struct store_published *v), void *ctx,
                                struct err *e)
{
        static const char *const levels[] = {"national", "regional", "la"};
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT year, area, time_period, period_end, new_la_code, region_code, "
                       "joint, value_text, value, symbol FROM published_values WHERE series = ? "
                       "AND level = ? ORDER BY year, area",
                       e))
                return -1;
        sqlite3_bind_int64(st, 1, series);
        sq_bind_text(st, 2, (unsigned)level < 3 ? levels[level] : "?");
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_published v = {
                    .level = level,
                    .year = sqlite3_column_int(st, 0),
                    .area = col_text(st, 1),
                    .time_period = col_text(st, 2),
                    .period_end = col_text(st, 3),
                    .new_la_code = (const char *)sqlite3_column_text(st, 4),
                    .region_code = (const char *)sqlite3_column_text(st, 5),
                    .joint = (const char *)sqlite3_column_text(st, 6),
                    .text = col_text(st, 7),
                    .symbol = (const char *)sqlite3_column_text(st, 9),
                    .value = sqlite3_column_double(st, 8),
                };
                if (fn(ctx, &v)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading a published series");
        return 0;
}
