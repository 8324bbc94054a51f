/*
 * store_sqlite_returns_read.c — stored returns read back into memory: an
 * authority's SSDA903 load or CIN census for one collection year, rebuilt
 * with src/returns/build.h so that the measures engine can run over what was
 * imported earlier (the "returns read back" functions of store.h).
 *
 * Columns are matched to the reader's tables by name, as storing does
 * (store_sqlite_returns.c), so the two cannot drift apart silently: a date is
 * stored as a day number with the text in <name>_raw only when it was not a
 * real date, and is given back as text in the reader's own format.
 *
 * Two facts about a return are not columns.  Which SSDA903 tables were
 * supplied (a table sent empty differs from one not sent: SWEpisodes before
 * 2023-24) is read from the import's record, whose counts list every table
 * the load had.  Whether the postcode lookup was applied is taken to be so
 * when any episode carries a derived distance or placement authority; a
 * lookup that matched no postcode at all is indistinguishable from none.
 *
 * Snapshots (migration 8).  Decoding rows cell by cell through SQLite costs
 * far more than the measures themselves, so the cells a read produced (the
 * exact texts handed to the builder) can be kept as one blob per return:
 * return_snapshots.  The rows stay the source of truth.  A snapshot is used
 * only when its import is the return's current import, its format is
 * SNAP_FORMAT, it holds every table asked for with the reader's current
 * column counts, and its checksum holds; otherwise the rows are read, and
 * the caller may be handed a fresh snapshot to store.  Feeding the builder
 * the same cells either way makes the two paths give the same load.  From
 * format 6 an SSDA903 snapshot holds each row as the builder made it (texts
 * trimmed and upper-cased, dates parsed), so a read of it only lays the rows
 * out (ssda903_build_row_parsed); a CIN snapshot holds its links and parsed
 * dates (format 4) and, from format 5, only the texts the measures read
 * (store_cin_snapshot_keeps; from format 7 only their cells are written).
 * From format 8 the blob is read in pieces, each checksummed as it arrives
 * (snap_read_summed); from format 9 rows in order cost a byte for their
 * number, and a CIN row's LAchildID that an earlier row of its child gave is
 * one byte (SNAP_CHILD_ID); from format 10 the checksum is XXH3 (snap_sum).
 */
#include "store/store.h"
#include "store/store_sqlite.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/build.h"
#include "returns/cin.h"
#include "returns/ssda903.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* XXH3 from Debian's libxxhash-dev, compiled in (no library to link). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Store table of each reader table (migration 3). */
static const char *const store_903[SSDA903_NCURRENT] = {
    [SSDA903_HEADER] = "s903_header",
    [SSDA903_EPISODES] = "s903_episodes",
    [SSDA903_REVIEWS] = "s903_reviews",
    [SSDA903_UASC] = "s903_uasc",
    [SSDA903_OC2] = "s903_oc2",
    [SSDA903_OC3] = "s903_oc3",
    [SSDA903_AD1] = "s903_ad1",
    [SSDA903_PLACED_ADOPTION] = "s903_placed_adoption",
    [SSDA903_PREV_PERM] = "s903_prev_perm",
    [SSDA903_MISSING] = "s903_missing",
    [SSDA903_SW_EPISODES] = "s903_sw_episodes",
    [SSDA903_DOLO] = "s903_dolo",
};

static const char *const store_cin[CIN_NTABLES] = {
    [CIN_Header] = "cin_header",
    [CIN_ChildIdentifiers] = "cin_child_identifiers",
    [CIN_ChildCharacteristics] = "cin_child_characteristics",
    [CIN_Disabilities] = "cin_disabilities",
    [CIN_CINdetails] = "cin_details",
    [CIN_Assessments] = "cin_assessments",
    [CIN_AssessmentFactorsList] = "cin_assessment_factors",
    [CIN_CINplanDates] = "cin_plan_dates",
    [CIN_Section47] = "cin_section47",
    [CIN_ChildProtectionPlans] = "cin_child_protection_plans",
    [CIN_Reviews] = "cin_reviews",
    [CIN_PreProceedings] = "cin_pre_proceedings",
};

#define MAXCOLS 24
/* Every return table starts la, year, row (migration 3). */
#define COL_ROW 2

int store_return_years(struct store *s, enum store_return_kind kind, const char *la, int **years,
                       size_t *n, struct err *e)
{
        sqlite3_stmt *st;
        *years = NULL;
        *n = 0;
        if (sq_prepare_kept(s, &st,
                            "SELECT year FROM returns WHERE kind = ? AND la = ? ORDER BY year", e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(kind));
        sq_bind_text(st, 2, la);
        size_t cap = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                *years = xgrow(*years, &cap, *n + 1, sizeof **years);
                (*years)[(*n)++] = sqlite3_column_int(st, 0);
        }
        sq_kept_done(s, st);
        if (rc != SQLITE_DONE) {
                free(*years);
                *years = NULL;
                *n = 0;
                return sq_error(s, e, "listing stored returns");
        }
        return 0;
}

/* How a result column fills the reader's row. */
struct colmap {
        int col; /* reader column, -1 for la, year, row and anything unknown */
        int raw; /* 1: the <name>_raw text of a date that was not a real date */
        int date;
};

typedef int (*find_col_fn)(const void *def, const char *name, int *is_date);

static int find_903(const void *vdef, const char *name, int *is_date)
{
        const struct ssda903_tabledef *def = vdef;
        for (int c = 0; c < def->ncols; c++)
                if (strcmp(def->cols[c], name) == 0) {
                        *is_date = def->kind[c] == SSDA903_COL_DATE;
                        return c;
                }
        return -1;
}

static int find_cin(const void *vdef, const char *name, int *is_date)
{
        const struct cin_table_def *def = vdef;
        /* CIN Header's Year is stored as CollectionYear (migration 3: `year` is the key). */
        if (strcmp(name, "CollectionYear") == 0)
                name = "Year";
        for (size_t c = 0; c < def->ncols; c++)
                if (strcmp(def->cols[c].name, name) == 0) {
                        *is_date = def->cols[c].type == CIN_DATE;
                        return (int)c;
                }
        return -1;
}

/* Prepare "every row of (la, year) in order" for table `table` and map its columns. */
static int open_table(struct store *s, const char *table, const char *la, int year, const void *def,
                      find_col_fn find, sqlite3_stmt **st, struct colmap *map, int *ncols,
                      struct err *e)
{
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE la = ? AND year = ? ORDER BY row", table);
        if (sq_prepare(s, st, sql, e))
                return -1;
        sq_bind_text(*st, 1, la);
        sqlite3_bind_int(*st, 2, year);
        int n = sqlite3_column_count(*st);
        if (n > MAXCOLS + 3) {
                sqlite3_finalize(*st);
                return err_set(e, EXIT_INTERNAL, "store: table %s has too many columns", table);
        }
        for (int i = 0; i < n; i++) {
                char name[64];
                snprintf(name, sizeof name, "%s", sqlite3_column_name(*st, i));
                size_t len = strlen(name);
                map[i] = (struct colmap){-1, 0, 0};
                if (len > 4 && strcmp(name + len - 4, "_raw") == 0) {
                        name[len - 4] = '\0';
                        map[i].raw = 1;
                }
                if (strcmp(name, "la") == 0 || strcmp(name, "year") == 0 ||
                    strcmp(name, "row") == 0)
                        continue;
                map[i].col = find(def, name, &map[i].date);
                if (map[i].col < 0) {
                        sqlite3_finalize(*st);
                        return err_set(e, EXIT_INTERNAL,
                                       "store: column %s.%s is not one the reader knows", table,
                                       name);
                }
        }
        *ncols = n;
        return 0;
}

/* Decimal text of x without printf: ids and counts are read back by the million. */
static void int_text(long long x, char out[32])
{
        char tmp[24];
        int n = 0;
        unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        do {
                tmp[n++] = (char)('0' + u % 10);
                u /= 10;
        } while (u);
        int k = 0;
        if (x < 0)
                out[k++] = '-';
        while (n)
                out[k++] = tmp[--n];
        out[k] = '\0';
}

/*
 * The cells of the current row as text, in the reader's column order.  Day
 * numbers become dates in the reader's format (dd/mm/YYYY or ISO); other
 * integers decimal text; reals (PL_DISTANCE) one decimal, as the loader
 * writes them.  `scratch` holds the formatted ones.
 */
static void row_cells(sqlite3_stmt *st, const struct colmap *map, int n, int iso,
                      const char **cells, char (*scratch)[32])
{
        for (int i = 0; i < n; i++) {
                const struct colmap *m = &map[i];
                if (m->col < 0)
                        continue;
                int type = sqlite3_column_type(st, i);
                if (m->raw) {
                        if (!cells[m->col] && type == SQLITE_TEXT)
                                cells[m->col] = (const char *)sqlite3_column_text(st, i);
                        continue;
                }
                switch (type) {
                case SQLITE_INTEGER: {
                        sqlite3_int64 x = sqlite3_column_int64(st, i);
                        if (m->date) {
                                if (iso)
                                        date_format_iso((date_t)x, scratch[i]);
                                else
                                        date_format_uk((date_t)x, scratch[i]);
                        } else {
                                int_text((long long)x, scratch[i]);
                        }
                        cells[m->col] = scratch[i];
                        break;
                }
                case SQLITE_FLOAT:
                        snprintf(scratch[i], 32, "%.1f", sqlite3_column_double(st, i));
                        cells[m->col] = scratch[i];
                        break;
                case SQLITE_TEXT:
                        cells[m->col] = (const char *)sqlite3_column_text(st, i);
                        break;
                default:
                        break;
                }
        }
}

/* ---------------------------------------------------------------- snapshots */

/* Bump when the blob layout, its checksum or the texts row_cells() produces change. */
#define SNAP_FORMAT 10
#define SNAP_MAGIC  0x4e534d49u /* "IMSN" read as a little-endian word */
/* The section of a CIN snapshot that keeps the finished census's links (format 4). */
#define SNAP_LINKS 0x4b4e494cu /* "LINK" */

struct snapbuf {
        unsigned char *p;
        size_t n, cap;
};

static void sb_put(struct snapbuf *b, const void *v, size_t n)
{
        if (b->n + n > b->cap) {
                size_t cap = b->cap ? b->cap : 65536;
                while (cap < b->n + n)
                        cap *= 2;
                b->p = xrealloc(b->p, cap);
                b->cap = cap;
        }
        memcpy(b->p + b->n, v, n);
        b->n += n;
}

static void sb_u32(struct snapbuf *b, uint32_t v)
{
        sb_put(b, &v, sizeof v);
}

static void sb_u64(struct snapbuf *b, uint64_t v)
{
        sb_put(b, &v, sizeof v);
}

/*
 * One row (format 9): its number as the difference from the row before's
 * plus one (zigzag, 7 bits a byte: one byte 0 for rows numbered in order),
 * then each cell as a length byte (0 absent; 1..253 the text's length plus
 * one; SNAP_CHILD_ID the row's child's LAchildID, given by an earlier row of
 * that child; 255 a 4-byte length plus one follows) and the text with its NUL,
 * so that a reader finds cells without scanning for the NUL.  `id_col` is the
 * cell that may be given as SNAP_CHILD_ID when it equals `child_id` (-1 none).
 */
#define SNAP_CHILD_ID 254
static void sb_row(struct snapbuf *b, long row, long *prev, const char *const *cells, int ncols,
                   int id_col, const char *child_id)
{
        uint64_t d = (uint64_t)row - (uint64_t)*prev - 1;
        d = (d << 1) ^ (0 - (d >> 63)); /* zigzag: small either way */
        *prev = row;
        do {
                unsigned char byte = (unsigned char)((d & 0x7f) | (d > 0x7f ? 0x80 : 0));
                sb_put(b, &byte, 1);
                d >>= 7;
        } while (d);
        for (int c = 0; c < ncols; c++) {
                if (!cells[c]) {
                        sb_put(b, "", 1);
                        continue;
                }
                if (c == id_col && child_id && strcmp(cells[c], child_id) == 0) {
                        sb_put(b, &(unsigned char){SNAP_CHILD_ID}, 1);
                        continue;
                }
                size_t n = strlen(cells[c]) + 1;
                if (n < SNAP_CHILD_ID) {
                        unsigned char k = (unsigned char)n;
                        sb_put(b, &k, 1);
                } else {
                        sb_put(b, "\xff", 1);
                        sb_u32(b, (uint32_t)n);
                }
                sb_put(b, cells[c], n);
        }
}

/*
 * The blob's checksum (it detects damage, not tampering): XXH3, 64 bits, from
 * format 10; formats 8 and 9 had a hand-written eight-lane sum of the same
 * speed.
 */
static uint64_t snap_sum(const unsigned char *p, size_t n)
{
        return XXH3_64bits(p, n);
}

/* A table's section: t, claimed, ncols, nrows, then the byte length of its rows (patched). */
static size_t sb_section(struct snapbuf *b, int t, int claimed, int ncols)
{
        sb_u32(b, (uint32_t)t);
        sb_u32(b, (uint32_t)claimed);
        sb_u32(b, (uint32_t)ncols);
        size_t at = b->n;
        sb_u32(b, 0);
        sb_u64(b, 0);
        return at;
}

static void sb_section_end(struct snapbuf *b, size_t at, uint32_t nrows)
{
        uint64_t bytes = b->n - (at + sizeof(uint32_t) + sizeof(uint64_t));
        memcpy(b->p + at, &nrows, sizeof nrows);
        memcpy(b->p + at + sizeof nrows, &bytes, sizeof bytes);
}

static void sb_header(struct snapbuf *b, unsigned tables, int extra)
{
        sb_u32(b, SNAP_MAGIC);
        sb_u32(b, SNAP_FORMAT);
        sb_u32(b, tables);
        sb_u32(b, (uint32_t)extra);
}

static uint32_t link_u32(size_t v)
{
        return v == CIN_NO_ROW ? UINT32_MAX : (uint32_t)v;
}

static int cin_kept_cols(int t, int col[MAXCOLS]);

/*
 * The tables of a finished census, in table order: each row's kept cells
 * (cin_kept_cols).  A row's LAchildID is given as SNAP_CHILD_ID when an
 * earlier row of its child gave the same text, in the order a reader lays the
 * rows out, so that the reader has it from the child (cin_build_row_linked
 * names a child by the first LAchildID met).
 */
static void sb_cin_tables(struct snapbuf *b, const struct cin_load *l, unsigned tables)
{
        const char **given = xcalloc(l->nchildren ? l->nchildren : 1, sizeof *given);
        for (int t = 0; t < CIN_NTABLES; t++) {
                if (!(tables & (1u << t)))
                        continue;
                int kcol[MAXCOLS], nk = cin_kept_cols(t, kcol), id = -1;
                for (int k = 0; k < nk; k++)
                        if (t != CIN_Header && kcol[k] == 0) /* LAchildID leads every other table */
                                id = k;
                const struct cin_table *tab = &l->table[t];
                size_t sec = sb_section(b, t, 1, nk);
                long prev = 0;
                for (size_t i = 0; i < tab->n; i++) {
                        const struct cin_row *r = &tab->rows[i];
                        const char *kept[MAXCOLS];
                        for (int k = 0; k < nk; k++)
                                kept[k] = r->v[kcol[k]];
                        const char **g = r->child < l->nchildren ? &given[r->child] : NULL;
                        sb_row(b, r->row, &prev, kept, nk, id, g ? *g : NULL);
                        if (g && !*g && id >= 0)
                                *g = kept[id];
                }
                sb_section_end(b, sec, (uint32_t)tab->n);
        }
        free(given);
}

/*
 * What cin_build_finish() worked out, so that a read of the snapshot need not
 * work it out again: the number of children, then for each table held its
 * number, row count and, row by row, child, parent and the date columns as
 * parsed (cin_build_row_linked).
 */
static void sb_cin_links(struct snapbuf *b, const struct cin_load *l, unsigned tables)
{
        size_t sec = sb_section(b, (int)SNAP_LINKS, 0, 0);
        uint32_t held = 0;
        sb_u64(b, l->nchildren);
        for (int t = 0; t < CIN_NTABLES; t++) {
                if (!(tables & (1u << t)))
                        continue;
                const struct cin_table *tab = &l->table[t];
                sb_u32(b, (uint32_t)t);
                sb_u32(b, (uint32_t)tab->n);
                for (size_t i = 0; i < tab->n; i++) {
                        const struct cin_row *r = &tab->rows[i];
                        sb_u32(b, link_u32(r->child));
                        sb_u32(b, link_u32(r->parent));
                        for (size_t c = 0; c < cin_tables[t].ncols; c++)
                                if (cin_tables[t].cols[c].type == CIN_DATE)
                                        sb_put(b, &r->d[c], sizeof r->d[c]);
                }
                held++;
        }
        sb_section_end(b, sec, held);
}

/* Close the blob and hand it over as a snapshot of (kind, la, year). */
static void sb_finish(struct snapbuf *b, struct store_return_snapshot *made,
                      enum store_return_kind kind, const char *la, int year, int64_t import_id,
                      unsigned tables)
{
        sb_u64(b, snap_sum(b->p, b->n));
        made->kind = kind;
        snprintf(made->la, sizeof made->la, "%s", la);
        made->year = year;
        made->import_id = import_id;
        made->tables = tables;
        made->data = b->p;
        made->size = b->n;
        b->p = NULL;
        b->n = b->cap = 0;
}

void store_return_snapshot_release(struct store_return_snapshot *sn)
{
        if (!sn)
                return;
        free(sn->data);
        sn->data = NULL;
        sn->size = 0;
}

static int snapshot_put_row(struct store *s, const struct store_return_snapshot *sn, struct err *e)
{
        if (!sn->data)
                return 0;
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT OR REPLACE INTO return_snapshots (kind, la, year, import_id, "
                       "format, tables, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(sn->kind));
        sq_bind_text(st, 2, sn->la);
        sqlite3_bind_int(st, 3, sn->year);
        sqlite3_bind_int64(st, 4, sn->import_id);
        sqlite3_bind_int(st, 5, SNAP_FORMAT);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)sn->tables);
        sqlite3_bind_blob64(st, 7, sn->data, sn->size, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "storing a return snapshot");
        return 0;
}

int store_return_snapshot_put(struct store *s, const struct store_return_snapshot *sn,
                              struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, snapshot_put_row(s, sn, e), e);
}

int store_read_mapped(struct store *s, struct err *e)
{
        /* sqlite caps the size at its compile-time limit; 0 there means no map (still fine). */
        return sq_exec(s, "PRAGMA mmap_size = 17179869184", e);
}

/*
 * The CIN cells whose text a snapshot keeps (format 5): the measures read a
 * census's dates as parsed (kept in the LINK section) and, as text, only the
 * LAchildIDs, Section47 ICPCnotRequired and ChildProtectionPlans
 * NumberOfPreviousCPP (src/measures/cin_*.c); the Header (one row) is kept
 * whole.  The ids that tie rows to their parents are needed only to work out
 * the links, which the snapshot holds.  A measure that reads another CIN text
 * must add it here.
 */
int store_cin_snapshot_keeps(int t, size_t col)
{
        if (t < 0 || t >= CIN_NTABLES || col >= cin_tables[t].ncols)
                return 0;
        if (t == CIN_Header)
                return 1;
        if (strcmp(cin_tables[t].cols[col].name, "LAchildID") == 0)
                return true;
        return (t == CIN_Section47 && col == CIN_S47_ICPCnotRequired) ||
               (t == CIN_ChildProtectionPlans && col == CIN_CPP_NumberOfPreviousCPP);
}

/* The columns of CIN table t whose text a snapshot keeps, in order; their number. */
static int cin_kept_cols(int t, int col[MAXCOLS])
{
        int n = 0;
        for (size_t c = 0; c < cin_tables[t].ncols && c < MAXCOLS; c++)
                if (store_cin_snapshot_keeps(t, c))
                        col[n++] = (int)c;
        return n;
}

/* A reader over a snapshot blob; any overrun makes it bad. */
struct snapread {
        const unsigned char *p, *end;
        int bad;
};

static uint32_t sr_u32(struct snapread *r)
{
        uint32_t v = 0;
        if ((size_t)(r->end - r->p) < sizeof v) {
                r->bad = 1;
                return 0;
        }
        memcpy(&v, r->p, sizeof v);
        r->p += sizeof v;
        return v;
}

static uint64_t sr_u64(struct snapread *r)
{
        uint64_t v = 0;
        if ((size_t)(r->end - r->p) < sizeof v) {
                r->bad = 1;
                return 0;
        }
        memcpy(&v, r->p, sizeof v);
        r->p += sizeof v;
        return v;
}

/*
 * The cells of the next row (pointers into the blob, or `child_id` where the
 * row gives its child's LAchildID, NULL when it has none to give) and its
 * number (*row, from the row before's); 0 when the blob is bad.
 */
static inline int sr_row(struct snapread *r, int ncols, const char **cells, long *row,
                         const char *child_id)
{
        /* The cursor in locals: a row is read by the million, and r->bad says it only once. */
        const unsigned char *p = r->p, *end = r->end;
        uint64_t d = 0;
        for (int shift = 0;; shift += 7) {
                if (p >= end || shift > 63)
                        goto bad;
                unsigned char byte = *p++;
                d |= (uint64_t)(byte & 0x7f) << shift;
                if (!(byte & 0x80))
                        break;
        }
        d = (d >> 1) ^ (0 - (d & 1));
        *row = (long)(int64_t)((uint64_t)*row + 1 + d);
        for (int c = 0; c < ncols; c++) {
                if (p >= end)
                        goto bad;
                size_t n = *p++;
                if (n == 0) {
                        cells[c] = NULL;
                        continue;
                }
                if (n >= SNAP_CHILD_ID) {
                        if (n == SNAP_CHILD_ID) {
                                if (!child_id)
                                        goto bad;
                                cells[c] = child_id;
                                continue;
                        }
                        uint32_t v;
                        if ((size_t)(end - p) < sizeof v)
                                goto bad;
                        memcpy(&v, p, sizeof v);
                        p += sizeof v;
                        n = v;
                        if (n == 0)
                                goto bad;
                }
                if (n > (size_t)(end - p) || p[n - 1] != 0)
                        goto bad;
                cells[c] = (const char *)p;
                p += n;
        }
        r->p = p;
        return 1;
bad:
        r->bad = 1;
        return 0;
}

struct snap_section {
        int t, claimed, ncols;
        uint32_t nrows;
        const unsigned char *rows, *end;
};

/* Next section header; 0 at the end or when bad (r->bad tells which). */
static int sr_section(struct snapread *r, struct snap_section *sec)
{
        if (r->p == r->end)
                return 0;
        sec->t = (int)sr_u32(r);
        sec->claimed = (int)sr_u32(r);
        sec->ncols = (int)sr_u32(r);
        sec->nrows = sr_u32(r);
        uint64_t bytes = sr_u64(r);
        if (r->bad || bytes > (uint64_t)(r->end - r->p)) {
                r->bad = 1;
                return 0;
        }
        sec->rows = r->p;
        sec->end = r->p + bytes;
        r->p = sec->end;
        return 1;
}

/*
 * Read an open blob of body + 8 bytes into `to`, summing the body (snap_sum)
 * a piece at a time as it arrives, while the piece is still in the cache.
 * 0, or -1 when sqlite could not read it.
 */
#define SNAP_PIECE (64 * 1024)
static int snap_read_summed(sqlite3_blob *bh, unsigned char *to, size_t body, uint64_t *sum)
{
        size_t n = body + sizeof(uint64_t), at = 0;
        XXH3_state_t h;
        XXH3_64bits_reset(&h);
        while (at < n) {
                size_t piece = n - at < SNAP_PIECE ? n - at : SNAP_PIECE;
                if (sqlite3_blob_read(bh, to + at, (int)piece, (int)at) != SQLITE_OK)
                        return -1;
                if (at < body)
                        XXH3_64bits_update(&h, to + at,
                                           (at + piece < body ? at + piece : body) - at);
                at += piece;
        }
        *sum = XXH3_64bits_digest(&h);
        return 0;
}

/*
 * The stored snapshot of a return when usable: its blob copied (malloc'd),
 * its body (between header and checksum) and the header's extra word.
 * 1 usable, 0 none or not usable, -1 error.
 */
static int snap_get(struct store *s, enum store_return_kind kind, const char *la, int year,
                    unsigned tables, struct arena *keep, unsigned char **blob,
                    struct snapread *body, int *extra, struct err *e)
{
        sqlite3_stmt *st;
        *blob = NULL;
        /*
         * The blob is read straight into its buffer (sqlite3_blob_read) while
         * the statement still holds its read transaction, so that it is the
         * row the query found, without sqlite assembling a copy of its own.
         */
        if (sq_prepare_kept(
                s, &st,
                "SELECT n.format, n.tables, n.rowid, length(n.data) FROM return_snapshots n "
                "JOIN returns r ON r.kind = n.kind AND r.la = n.la AND r.year = n.year AND "
                "r.import_id = n.import_id WHERE n.kind = ? AND n.la = ? AND n.year = ?",
                e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(kind));
        sq_bind_text(st, 2, la);
        sqlite3_bind_int(st, 3, year);
        int rc = sqlite3_step(st), ok = 0;
        if (rc == SQLITE_ROW && sqlite3_column_int(st, 0) == SNAP_FORMAT &&
            (tables & ~(unsigned)sqlite3_column_int64(st, 1)) == 0) {
                sqlite3_int64 rowid = sqlite3_column_int64(st, 2);
                sqlite3_int64 len = sqlite3_column_int64(st, 3);
                size_t n = len > 0 && len <= INT_MAX ? (size_t)len : 0;
                sqlite3_blob *bh = NULL;
                if (n >= 4 * sizeof(uint32_t) + sizeof(uint64_t)) {
                        *blob = keep ? arena_alloc(keep, n) : xmalloc(n);
                        uint64_t sum, body_sum;
                        if (sqlite3_blob_open(s->db, "main", "return_snapshots", "data", rowid, 0,
                                              &bh) != SQLITE_OK ||
                            sqlite3_blob_bytes(bh) != (int)n ||
                            snap_read_summed(bh, *blob, n - sizeof sum, &body_sum)) {
                                sqlite3_blob_close(bh);
                                rc = SQLITE_ERROR; /* reported below, with sqlite's message */
                                goto done;
                        }
                        sqlite3_blob_close(bh);
                        memcpy(&sum, *blob + n - sizeof sum, sizeof sum);
                        struct snapread r = {*blob, *blob + n - sizeof sum, 0};
                        ok = sum == body_sum && sr_u32(&r) == SNAP_MAGIC &&
                             sr_u32(&r) == SNAP_FORMAT;
                        unsigned held = sr_u32(&r);
                        *extra = (int)sr_u32(&r);
                        ok = ok && !r.bad && (tables & ~held) == 0;
                        *body = r;
                }
        }
done:
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                ok = -1;
        if (ok < 0) { /* the message before the statement goes */
                sq_error(s, e, "reading a return snapshot");
                sq_kept_done(s, st);
                if (!keep)
                        free(*blob);
                *blob = NULL;
                return -1;
        }
        sq_kept_done(s, st);
        if (ok <= 0 && !keep) /* an arena's copy goes with the load */
                free(*blob);
        if (ok <= 0)
                *blob = NULL;
        return ok;
}

/*
 * A section fits the reader's table: a table it has, with its column count.
 * The checksum has already said the blob is the one written; this guards
 * against a writer of the same format number with other tables.
 */
static bool section_fits(const struct snap_section *sec, int ntables, const int *ncols_of,
                         int maxcols)
{
        return sec->t >= 0 && sec->t < ntables && sec->ncols == ncols_of[sec->t] &&
               sec->ncols <= maxcols;
}

/*
 * Into ld (new, the blob in its arena: rows keep pointing at its cells): 1
 * built, 0 the blob does not fit (ld to be freed), -1 error.  From format 5
 * each row's cells are its texts as built, followed by its parsed dates.
 */
static int snap_903(struct snapread body, unsigned tables, const char *file,
                    struct ssda903_load *ld, struct err *e)
{
        int ncols[SSDA903_NCURRENT];
        for (int t = 0; t < SSDA903_NCURRENT; t++)
                ncols[t] = ssda903_tabledefs[t].ncols;
        struct snap_section sec;
        while (sr_section(&body, &sec)) {
                if (!section_fits(&sec, SSDA903_NCURRENT, ncols, SSDA903_MAXCOLS))
                        return 0;
                if (!(tables & (1u << sec.t)))
                        continue;
                if (sec.claimed && ssda903_build_table(ld, sec.t, file, e))
                        return -1;
                size_t nd = ssda903_date_cols(sec.t) * sizeof(int32_t);
                struct snapread r = {sec.rows, sec.end, 0};
                /* Each row takes at least a byte for its number and one a cell: a count the
                 * section cannot hold is not reserved. */
                if (sec.nrows > (size_t)(sec.end - sec.rows) / (1 + (size_t)sec.ncols))
                        return 0;
                struct ssda903_build_rows br;
                ssda903_build_reserve(ld, sec.t, sec.nrows, &br);
                /* sr_row sets every one of the section's cells (its ncols are the table's). */
                const char *cells[SSDA903_MAXCOLS] = {0};
                long row = 0;
                for (uint32_t i = 0; i < sec.nrows; i++) {
                        if (!sr_row(&r, sec.ncols, cells, &row, NULL) || (size_t)(r.end - r.p) < nd)
                                return 0;
                        ssda903_build_row_parsed(ld, &br, cells, r.p, row);
                        r.p += nd;
                }
                if (r.p != r.end)
                        return 0;
        }
        return !body.bad;
}

/* One table's links in a CIN snapshot: rows of `stride` bytes from `p`. */
struct snap_links {
        const unsigned char *p;
        uint32_t n;
        size_t stride;
};

/* The links section's tables; 0 when it is missing or bad. */
static int sr_cin_links(struct snapread body, uint64_t *nchildren,
                        struct snap_links links[CIN_NTABLES])
{
        struct snap_section sec;
        while (sr_section(&body, &sec)) {
                if ((uint32_t)sec.t != SNAP_LINKS)
                        continue;
                struct snapread r = {sec.rows, sec.end, 0};
                *nchildren = sr_u64(&r);
                for (uint32_t k = 0; k < sec.nrows && !r.bad; k++) {
                        uint32_t t = sr_u32(&r), n = sr_u32(&r);
                        if (r.bad || t >= CIN_NTABLES)
                                return 0;
                        size_t stride = 2 * sizeof(uint32_t) +
                                        cin_date_cols((enum cin_table_id)t) * sizeof(int32_t);
                        if ((size_t)(r.end - r.p) / stride < n)
                                return 0;
                        links[t] = (struct snap_links){r.p, n, stride};
                        r.p += stride * n;
                }
                return !r.bad && r.p == r.end && *nchildren < UINT32_MAX;
        }
        return 0;
}

static size_t link_size(const unsigned char *p)
{
        uint32_t v;
        memcpy(&v, p, sizeof v);
        return v == UINT32_MAX ? CIN_NO_ROW : v;
}

/* 1 built, 0 the blob does not fit (the census emptied again). */
static int snap_cin(struct snapread body, unsigned tables, const char *la, struct cin_load *out)
{
        /* From format 7 a section holds only the kept columns' cells (cin_kept_cols). */
        int ncols[CIN_NTABLES], kcol[CIN_NTABLES][MAXCOLS];
        for (int t = 0; t < CIN_NTABLES; t++)
                ncols[t] = cin_kept_cols(t, kcol[t]);
        struct snap_links links[CIN_NTABLES] = {{0}};
        uint64_t nchildren = 0;
        if (!sr_cin_links(body, &nchildren, links))
                goto unfit;
        /* Children are numbered over the tables held: only a read of all of them can use that. */
        for (int t = 0; t < CIN_NTABLES; t++)
                if (links[t].p && !(tables & (1u << t)))
                        goto unfit;
        cin_build_link_begin(out, (size_t)nchildren, la);
        struct snap_section sec;
        while (sr_section(&body, &sec)) {
                if ((uint32_t)sec.t == SNAP_LINKS)
                        continue;
                if (!section_fits(&sec, CIN_NTABLES, ncols, MAXCOLS))
                        goto unfit;
                if (!(tables & (1u << sec.t)))
                        continue;
                const struct snap_links *lk = &links[sec.t];
                if (lk->n != sec.nrows) /* lk->n fits the links section */
                        goto unfit;
                /* The sections come in table order, as written: else not fit. */
                struct cin_link_table lt;
                if (cin_build_link_table(out, (enum cin_table_id)sec.t, sec.nrows, kcol[sec.t],
                                         sec.ncols, &lt))
                        goto unfit;
                struct snapread r = {sec.rows, sec.end, 0};
                long row = 0;
                for (uint32_t i = 0; i < sec.nrows; i++) {
                        const char *packed[MAXCOLS];
                        const unsigned char *at = lk->p + (size_t)i * lk->stride;
                        size_t child = link_size(at);
                        /* A row's child's LAchildID, once an earlier row of the child gave it. */
                        const char *child_id =
                            child < out->nchildren ? out->children[child].LAchildID : NULL;
                        if (!sr_row(&r, sec.ncols, packed, &row, child_id))
                                goto unfit;
                        if (cin_build_row_linked(out, &lt, packed, at + 2 * sizeof(uint32_t), row,
                                                 child, link_size(at + sizeof(uint32_t))))
                                goto unfit;
                }
                if (r.p != r.end)
                        goto unfit;
        }
        if (!body.bad) {
                cin_build_link_end(out);
                return 1;
        }
unfit:
        cin_load_release(out);
        cin_load_init(out);
        return 0;
}

/* The import behind the stored return and the SSDA903 tables it supplied (from its counts). */
static int supplied_903(struct store *s, const char *la, int year, int64_t *import_id,
                        int supplied[SSDA903_NCURRENT], int *known, struct err *e)
{
        /* supplied NULL: the import alone (a snapshot says which tables were supplied). */
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st,
                            "SELECT r.import_id, i.counts FROM returns r JOIN imports i ON i.id = "
                            "r.import_id WHERE r.kind = 'ssda903' AND r.la = ? AND r.year = ?",
                            e))
                return -1;
        sq_bind_text(st, 1, la);
        sqlite3_bind_int(st, 2, year);
        int rc = sqlite3_step(st);
        *known = 0;
        if (rc == SQLITE_ROW) {
                *import_id = sqlite3_column_int64(st, 0);
                const char *text = supplied ? (const char *)sqlite3_column_text(st, 1) : NULL;
                json_t *c = text ? json_loads(text, 0, NULL) : NULL;
                json_t *tables = c ? json_object_get(c, "tables") : NULL;
                if (json_is_object(tables)) {
                        *known = 1;
                        const char *name;
                        json_t *v;
                        json_object_foreach(tables, name, v)
                        {
                                (void)v;
                                int t = ssda903_table_by_name(name);
                                if (t >= 0 && t < SSDA903_NCURRENT)
                                        supplied[t] = 1;
                        }
                }
                json_decref(c);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sq_error(s, e, "reading a stored return");
                sq_kept_done(s, st);
                return -1;
        }
        sq_kept_done(s, st);
        return rc == SQLITE_ROW;
}

int store_return_read_903_snap(struct store *s, const char *la, int year, unsigned tables,
                               struct ssda903_load **out, struct store_return_snapshot *made,
                               struct err *e)
{
        *out = NULL;
        if (made)
                memset(made, 0, sizeof *made);
        int supplied[SSDA903_NCURRENT] = {0}, known;
        int64_t import_id = 0;
        int found = supplied_903(s, la, year, &import_id, NULL, &known, e);
        if (found <= 0)
                return found;
        char file[64];
        snprintf(file, sizeof file, "stored return %s/%d (import %lld)", la, year,
                 (long long)import_id);
        unsigned char *blob;
        struct snapread body;
        int postcodes = 0;
        /* The blob is copied into the load's arena: its rows keep pointing at its cells. */
        struct ssda903_load *ld = ssda903_new();
        int got = snap_get(s, STORE_RETURN_SSDA903, la, year, tables, &ld->arena, &blob, &body,
                           &postcodes, e);
        if (got > 0)
                got = snap_903(body, tables, file, ld, e);
        if (got < 0) {
                ssda903_free(ld);
                return -1;
        }
        struct snapbuf sb = {0};
        if (!got) {
                ssda903_free(ld);
                ld = NULL;
                /* The rows, then: which tables the import supplied, from its record. */
                found = supplied_903(s, la, year, &import_id, supplied, &known, e);
                if (found <= 0)
                        return found;
                snprintf(file, sizeof file, "stored return %s/%d (import %lld)", la, year,
                         (long long)import_id);
                ld = ssda903_new();
                if (made)
                        sb_header(&sb, tables, 0);
                for (int t = 0; t < SSDA903_NCURRENT; t++) {
                        if (!(tables & (1u << t)))
                                continue;
                        sqlite3_stmt *st;
                        struct colmap map[MAXCOLS + 3];
                        int n;
                        if (open_table(s, store_903[t], la, year, &ssda903_tabledefs[t], find_903,
                                       &st, map, &n, e))
                                goto fail;
                        int rc, claimed = 0;
                        if (known && supplied[t]) {
                                if (ssda903_build_table(ld, t, file, e)) {
                                        sqlite3_finalize(st);
                                        goto fail;
                                }
                                claimed = 1;
                        }
                        size_t sec = 0;
                        uint32_t nrows = 0;
                        long prev = 0;
                        if (made)
                                sec = sb_section(&sb, t, claimed, ssda903_tabledefs[t].ncols);
                        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                                if (!claimed) { /* an older record without its table list */
                                        if (ssda903_build_table(ld, t, file, e)) {
                                                sqlite3_finalize(st);
                                                goto fail;
                                        }
                                        claimed = 1;
                                        if (made) /* the section's claimed word */
                                                memcpy(sb.p + sec - sizeof(uint32_t) * 2,
                                                       &(uint32_t){1}, sizeof(uint32_t));
                                }
                                const char *cells[SSDA903_MAXCOLS] = {0};
                                char scratch[MAXCOLS + 3][32];
                                row_cells(st, map, n, 0, cells, scratch);
                                if (t == SSDA903_EPISODES &&
                                    (cells[EP_PL_DISTANCE] || cells[EP_PL_LA]))
                                        postcodes = 1;
                                long row = (long)sqlite3_column_int64(st, COL_ROW);
                                ssda903_build_row(ld, t, cells, row);
                                if (made) { /* the row as built: texts, then parsed dates */
                                        const struct ssda903_row *br =
                                            &ld->t[t].rows[ld->t[t].n - 1];
                                        const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
                                        sb_row(&sb, row, &prev, br->v, def->ncols, -1, NULL);
                                        for (int c = 0; c < def->ncols; c++)
                                                if (def->kind[c] == SSDA903_COL_DATE)
                                                        sb_put(&sb, &br->d[c], sizeof br->d[c]);
                                        nrows++;
                                }
                        }
                        sqlite3_finalize(st);
                        if (made)
                                sb_section_end(&sb, sec, nrows);
                        if (rc != SQLITE_DONE) {
                                sq_error(s, e, "reading a stored SSDA903 return");
                                goto fail;
                        }
                }
                if (made) {
                        memcpy(sb.p + 3 * sizeof(uint32_t), &(uint32_t){(uint32_t)postcodes},
                               sizeof(uint32_t));
                        sb_finish(&sb, made, STORE_RETURN_SSDA903, la, year, import_id, tables);
                }
        }
        if (ssda903_build_finish(ld, year, postcodes, e))
                goto fail;
        *out = ld;
        return 1;
fail:
        free(sb.p);
        store_return_snapshot_release(made);
        ssda903_free(ld);
        return -1;
}

int store_return_read_903(struct store *s, const char *la, int year, unsigned tables,
                          struct ssda903_load **out, struct err *e)
{
        return store_return_read_903_snap(s, la, year, tables, out, NULL, e);
}

/* use_snap 0: the rows alone (every cell's text); 1: a usable snapshot first. */
static int read_cin(struct store *s, const char *la, int year, unsigned tables, int use_snap,
                    struct cin_load *out, struct store_return_snapshot *made, struct err *e)
{
        if (made)
                memset(made, 0, sizeof *made);
        struct store_return_info info;
        int found = store_return_get(s, STORE_RETURN_CIN, la, year, &info, e);
        if (found <= 0)
                return found;
        unsigned char *blob;
        struct snapread body;
        int extra;
        /* The blob is copied into the census's arena: its rows keep pointing at its cells. */
        int got = use_snap ? snap_get(s, STORE_RETURN_CIN, la, year, tables, &out->arena, &blob,
                                      &body, &extra, e)
                           : 0;
        if (got < 0)
                return -1;
        if (got)
                got = snap_cin(body, tables, la, out);
        if (got)
                return 1;
        struct snapbuf sb = {0};
        if (made)
                sb_header(&sb, tables, 0);
        for (int t = 0; t < CIN_NTABLES; t++) {
                if (!(tables & (1u << t)))
                        continue;
                sqlite3_stmt *st;
                struct colmap map[MAXCOLS + 3];
                int n;
                if (open_table(s, store_cin[t], la, year, &cin_tables[t], find_cin, &st, map, &n,
                               e)) {
                        free(sb.p);
                        return -1;
                }
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        const char *cells[MAXCOLS] = {0};
                        char scratch[MAXCOLS + 3][32];
                        row_cells(st, map, n, 1, cells, scratch);
                        long row = (long)sqlite3_column_int64(st, COL_ROW);
                        cin_build_row(out, (enum cin_table_id)t, cells, row);
                }
                sqlite3_finalize(st);
                if (rc != SQLITE_DONE) {
                        free(sb.p);
                        return sq_error(s, e, "reading a stored CIN census");
                }
        }
        cin_build_finish(out, la);
        if (made) {
                sb_cin_tables(&sb, out, tables);
                sb_cin_links(&sb, out, tables);
                sb_finish(&sb, made, STORE_RETURN_CIN, la, year, info.import_id, tables);
        }
        return 1;
}

int store_return_read_cin_snap(struct store *s, const char *la, int year, unsigned tables,
                               struct cin_load *out, struct store_return_snapshot *made,
                               struct err *e)
{
        return read_cin(s, la, year, tables, 1, out, made, e);
}

int store_return_read_cin(struct store *s, const char *la, int year, unsigned tables,
                          struct cin_load *out, struct err *e)
{
        return read_cin(s, la, year, tables, 0, out, NULL, e);
}
