/*
 * ssda903_csv.c — read one SSDA903 table from CSV (data-formats.md §1.2).
 *
 * The table is recognised by its exact set of column names, in any order and
 * any case, never by the file name.  The first record is the header; every
 * later record must have as many fields (a ragged row is malformed input).
 * Records whose cells are all blank (Excel's trailing ",,,,") are skipped
 * but still counted, so row numbers stay those of the file.
 */
#include "returns/ssda903_int.h"

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"

#include <string.h>
#include <strings.h>

static int name_eq(const struct csv_field *f, const char *name)
{
        const char *p = f->ptr;
        size_t n = f->len;
        while (n && (*p == ' ' || *p == '\t')) {
                p++;
                n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
        return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/*
 * Map header fields to the columns of table t: map[i] = canonical column of
 * field i.  1 if the set of names is exactly the table's file columns.
 */
static int match_table(const struct csv_record *h, int t, int *map)
{
        const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
        if (h->count != (size_t)def->nfile)
                return 0;
        unsigned seen = 0;
        for (size_t i = 0; i < h->count; i++) {
                int c = 0;
                while (c < def->nfile && !name_eq(&h->fields[i], def->cols[c]))
                        c++;
                if (c == def->nfile || (seen & (1u << c)))
                        return 0;
                seen |= 1u << c;
                map[i] = c;
        }
        return 1;
}

/* The table whose columns differ least from the header, to make the error actionable. */
static void describe_nearest(const struct csv_record *h, struct buf *b)
{
        int best = -1, best_score = 0;
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
                int common = 0;
                for (int c = 0; c < def->nfile; c++)
                        for (size_t i = 0; i < h->count; i++)
                                if (name_eq(&h->fields[i], def->cols[c])) {
                                        common++;
                                        break;
                                }
                /* CHILD and DOB are in most tables; they alone say nothing. */
                if (common > 2 && common * 2 > def->nfile && common > best_score) {
                        best = t;
                        best_score = common;
                }
        }
        if (best < 0)
                return;
        const struct ssda903_tabledef *def = &ssda903_tabledefs[best];
        buf_printf(b, "; nearest is %s", def->name);
        const char *sep = " (missing: ";
        for (int c = 0; c < def->nfile; c++) {
                size_t i = 0;
                while (i < h->count && !name_eq(&h->fields[i], def->cols[c]))
                        i++;
                if (i == h->count) {
                        buf_printf(b, "%s%s", sep, def->cols[c]);
                        sep = ", ";
                }
        }
        const char *sep2 = *sep == ',' ? "; not expected: " : " (not expected: ";
        for (size_t i = 0; i < h->count; i++) {
                int c = 0;
                while (c < def->nfile && !name_eq(&h->fields[i], def->cols[c]))
                        c++;
                if (c == def->nfile) {
                        buf_printf(b, "%s%.*s", sep2,
                                   (int)(h->fields[i].len > 40 ? 40 : h->fields[i].len),
                                   h->fields[i].ptr);
                        sep2 = ", ";
                        sep = ", ";
                }
        }
        if (*sep == ',')
                buf_putc(b, ')');
}

static int no_table(const char *name, const struct csv_record *h, struct err *e)
{
        struct buf b;
        buf_init(&b);
        for (int t = 0; t < SSDA903_NCURRENT; t++)
                buf_printf(&b, "%s%s", t ? ", " : "", ssda903_tabledefs[t].name);
        describe_nearest(h, &b);
        err_at(e, name, h->line, "columns match no SSDA903 table; expected one of: %s", b.data);
        buf_release(&b);
        return -1;
}

static int read_records(struct ssda903_load *ld, struct csv_reader *r, int previous, struct err *e)
{
        const char *name = csv_name(r);
        struct csv_record rec;
        int rc = csv_read(r, &rec, e);
        if (rc < 0)
                return -1;
        if (rc == 0)
                return err_at(e, name, 1,
                              "no header row; expected the column names of an SSDA903 table");

        int map[SSDA903_MAXCOLS], t = -1;
        for (int k = 0; k < SSDA903_NCURRENT && t < 0; k++)
                if (match_table(&rec, k, map))
                        t = k;
        if (t < 0)
                return no_table(name, &rec, e);
        int tid = previous ? SSDA903_LAST(t) : t;
        if (s903_claim(ld, tid, name, rec.line, e) < 0)
                return -1;

        size_t width = (size_t)ssda903_tabledefs[t].nfile;
        struct s903_cell cells[SSDA903_MAXCOLS];
        long row = 0;
        while ((rc = csv_read(r, &rec, e)) == 1) {
                row++;
                if (rec.count != width)
                        return err_at(e, name, rec.line,
                                      "row has %zu fields, expected %zu (the %s columns)",
                                      rec.count, width, ssda903_tabledefs[t].name);
                int blank = 1;
                for (size_t i = 0; i < width; i++) {
                        cells[map[i]].p = rec.fields[i].ptr;
                        cells[map[i]].n = rec.fields[i].len;
                        for (size_t j = 0; blank && j < rec.fields[i].len; j++)
                                if (rec.fields[i].ptr[j] != ' ' && rec.fields[i].ptr[j] != '\t')
                                        blank = 0;
                }
                if (!blank)
                        s903_add_row(ld, tid, cells, row, rec.line);
        }
        return rc < 0 ? -1 : 0;
}

int ssda903_read_csv_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                         int previous, struct err *e)
{
        if (len > S903_MAX_INPUT)
                return err_at(e, name, 0, "file too large (%zu bytes); expected at most %zu", len,
                              S903_MAX_INPUT);
        struct csv_reader *r = csv_open_mem(data, len, name);
        int rc = read_records(ld, r, previous, e);
        csv_free(r);
        return rc;
}

int s903_read_csv_file(struct ssda903_load *ld, const char *path, int previous, struct err *e)
{
        struct csv_reader *r = csv_open_file(path, e);
        if (!r)
                return -1;
        if (csv_size(r) > S903_MAX_INPUT) {
                csv_free(r);
                return err_at(e, path, 0, "file too large; expected at most %zu bytes",
                              S903_MAX_INPUT);
        }
        int rc = read_records(ld, r, previous, e);
        csv_free(r);
        return rc;
}
