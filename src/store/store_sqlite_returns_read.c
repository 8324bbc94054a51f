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
 */
#include "store/store.h"
#include "store/store_sqlite.h"

#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/build.h"
#include "returns/cin.h"
#include "returns/ssda903.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if (sq_prepare(s, &st, "SELECT year FROM returns WHERE kind = ? AND la = ? ORDER BY year",
                       e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(kind));
        sq_bind_text(st, 2, la);
        size_t cap = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                *years = xgrow(*years, &cap, *n + 1, sizeof **years);
                (*years)[(*n)++] = sqlite3_column_int(st, 0);
        }
        sqlite3_finalize(st);
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

/* The import behind the stored return and the SSDA903 tables it supplied (from its counts). */
static int supplied_903(struct store *s, const char *la, int year, int64_t *import_id,
                        int supplied[SSDA903_NCURRENT], int *known, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
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
                const char *text = (const char *)sqlite3_column_text(st, 1);
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
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return sq_error(s, e, "reading a stored return");
        return rc == SQLITE_ROW;
}

int store_return_read_903(struct store *s, const char *la, int year, unsigned tables,
                          struct ssda903_load **out, struct err *e)
{
        *out = NULL;
        int supplied[SSDA903_NCURRENT] = {0}, known;
        int64_t import_id = 0;
        int found = supplied_903(s, la, year, &import_id, supplied, &known, e);
        if (found <= 0)
                return found;
        struct ssda903_load *ld = ssda903_new();
        char file[64];
        snprintf(file, sizeof file, "stored return %s/%d (import %lld)", la, year,
                 (long long)import_id);
        int postcodes = 0;
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                if (!(tables & (1u << t)))
                        continue;
                sqlite3_stmt *st;
                struct colmap map[MAXCOLS + 3];
                int n;
                if (open_table(s, store_903[t], la, year, &ssda903_tabledefs[t], find_903, &st, map,
                               &n, e))
                        goto fail;
                int rc, claimed = 0;
                if (known && supplied[t]) {
                        if (ssda903_build_table(ld, t, file, e)) {
                                sqlite3_finalize(st);
                                goto fail;
                        }
                        claimed = 1;
                }
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        if (!claimed) { /* an older record without its table list */
                                if (ssda903_build_table(ld, t, file, e)) {
                                        sqlite3_finalize(st);
                                        goto fail;
                                }
                                claimed = 1;
                        }
                        const char *cells[SSDA903_MAXCOLS] = {0};
                        char scratch[MAXCOLS + 3][32];
                        row_cells(st, map, n, 0, cells, scratch);
                        if (t == SSDA903_EPISODES && (cells[EP_PL_DISTANCE] || cells[EP_PL_LA]))
                                postcodes = 1;
                        long row = (long)sqlite3_column_int64(st, COL_ROW);
                        ssda903_build_row(ld, t, cells, row);
                }
                sqlite3_finalize(st);
                if (rc != SQLITE_DONE) {
                        sq_error(s, e, "reading a stored SSDA903 return");
                        goto fail;
                }
        }
        if (ssda903_build_finish(ld, year, postcodes, e))
                goto fail;
        *out = ld;
        return 1;
fail:
        ssda903_free(ld);
        return -1;
}

int store_return_read_cin(struct store *s, const char *la, int year, unsigned tables,
                          struct cin_load *out, struct err *e)
{
        struct store_return_info info;
        int found = store_return_get(s, STORE_RETURN_CIN, la, year, &info, e);
        if (found <= 0)
                return found;
        for (int t = 0; t < CIN_NTABLES; t++) {
                if (!(tables & (1u << t)))
                        continue;
                sqlite3_stmt *st;
                struct colmap map[MAXCOLS + 3];
                int n;
                if (open_table(s, store_cin[t], la, year, &cin_tables[t], find_cin, &st, map, &n,
                               e))
                        return -1;
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        const char *cells[MAXCOLS] = {0};
                        char scratch[MAXCOLS + 3][32];
                        row_cells(st, map, n, 1, cells, scratch);
                        long row = (long)sqlite3_column_int64(st, COL_ROW);
                        cin_build_row(out, (enum cin_table_id)t, cells, row);
                }
                sqlite3_finalize(st);
                if (rc != SQLITE_DONE)
                        return sq_error(s, e, "reading a stored CIN census");
        }
        cin_build_finish(out, la);
        return 1;
}
