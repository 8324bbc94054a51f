/*
 * ees.c — the Explore Education Statistics CSV reader (see ees.h).
 *
 * Two passes over the same bytes: the first reads the header and every row
 * to learn which columns hold values and which hold filters (and catches a
 * ragged row before anything is handed out); the second hands back rows.
 * Both passes use the fast reader in core/csv.c, so reading twice costs
 * little next to storing what was read.
 */
#include "published/ees.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Columns that are about time or place; everything else is a filter or a value. */
enum geo_col {
        G_TIME_PERIOD,
        G_TIME_IDENTIFIER,
        G_LEVEL,
        G_COUNTRY_CODE,
        G_COUNTRY_NAME,
        G_REGION_CODE,
        G_REGION_NAME,
        G_OLD_LA_CODE,
        G_NEW_LA_CODE,
        G_LA_NAME,
        G_N,
};

static const char *const geo_names[G_N] = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name",     "old_la_code",      "new_la_code",  "la_name",
};

/*
 * Other EES geography columns (for levels we skip); they are neither filters
 * nor values, so they are ignored rather than let into the filter key.
 */
static const char *const other_geo_names[] = {
    "lad_code",
    "lad_name",
    "pcon_code",
    "pcon_name",
    "ward_code",
    "ward_name",
    "school_urn",
    "school_laestab",
    "school_name",
    "opportunity_area_code",
    "opportunity_area_name",
    "english_devolved_area_code",
    "english_devolved_area_name",
    "local_enterprise_partnership_code",
    "local_enterprise_partnership_name",
};

enum col_role { ROLE_GEO, ROLE_IGNORED, ROLE_VALUE, ROLE_FILTER };

struct ees_file {
        char *name;
        char source[256];
        struct buf owned; /* the file's bytes when opened by path */
        const char *data;
        size_t len;
        struct csv_reader *r;

        size_t ncols;
        char **colnames;
        enum col_role *roles;
        int geo[G_N]; /* column index, or -1 when absent */

        size_t nvalues;
        size_t *value_cols;
        size_t nfilters;
        size_t *filter_cols; /* sorted by column name */
        enum ees_period_kind period;

        struct arena row_arena; /* the current row's strings */
        struct ees_value *values;
        const char **fnames, **fvalues; /* scratch for the filter key */
        struct buf key;
        int failed;
};

/* ---------------------------------------------------------------- values */

static const char *const symbol_texts[] = {
    [EES_NUMBER] = NULL, [EES_C] = "c",     [EES_Z] = "z",     [EES_K] = "k",    [EES_X] = "x",
    [EES_U] = "u",       [EES_LOW] = "low", [EES_COLON] = ":", [EES_BLANK] = "",
};

const char *ees_symbol_text(enum ees_symbol s)
{
        if ((unsigned)s >= sizeof symbol_texts / sizeof *symbol_texts)
                return NULL;
        return symbol_texts[s];
}

static void trim(const char **s, size_t *n)
{
        while (*n && (**s == ' ' || **s == '\t')) {
                (*s)++;
                (*n)--;
        }
        while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
                (*n)--;
}

/* Strictly a decimal number: [+-] digits [. digits] [e [+-] digits]; no inf, nan, hex or spaces. */
static int parse_number(const char *s, size_t n, double *out)
{
        size_t i = 0, digits = 0;
        if (i < n && (s[i] == '+' || s[i] == '-'))
                i++;
        while (i < n && isdigit((unsigned char)s[i]))
                i++, digits++;
        if (i < n && s[i] == '.') {
                i++;
                while (i < n && isdigit((unsigned char)s[i]))
                        i++, digits++;
        }
        if (digits == 0)
                return -1;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
                i++;
                if (i < n && (s[i] == '+' || s[i] == '-'))
                        i++;
                size_t exp_digits = 0;
                while (i < n && isdigit((unsigned char)s[i]))
                        i++, exp_digits++;
                if (exp_digits == 0)
                        return -1;
        }
        if (i != n || n >= 64)
                return -1;
        char tmp[64];
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        double v = strtod(tmp, NULL);
        if (!isfinite(v))
                return -1;
        *out = v;
        return 0;
}

/* YY:MM (years:months) as in the adoption-timeliness file; months 0–11. */
static int parse_duration(const char *s, size_t n, double *months)
{
        size_t colon = 0;
        while (colon < n && s[colon] != ':')
                colon++;
        if (colon == 0 || colon > 3 || n - colon != 3)
                return -1;
        int years = 0;
        for (size_t i = 0; i < colon; i++) {
                if (!isdigit((unsigned char)s[i]))
                        return -1;
                years = years * 10 + (s[i] - '0');
        }
        if (!isdigit((unsigned char)s[colon + 1]) || !isdigit((unsigned char)s[colon + 2]))
                return -1;
        int mm = (s[colon + 1] - '0') * 10 + (s[colon + 2] - '0');
        if (mm > 11)
                return -1;
        *months = 12.0 * years + mm;
        return 0;
}

int ees_parse_value(const char *s, size_t n, struct ees_value *out)
{
        trim(&s, &n);
        memset(out, 0, sizeof *out);
        if (n == 0) {
                out->symbol = EES_BLANK;
                return 0;
        }
        for (int k = EES_C; k <= EES_COLON; k++) {
                const char *t = symbol_texts[k];
                if (strlen(t) == n && strncasecmp(s, t, n) == 0) {
                        out->symbol = (enum ees_symbol)k;
                        return 0;
                }
        }
        if (parse_number(s, n, &out->number) == 0) {
                out->symbol = EES_NUMBER;
                return 0;
        }
        if (parse_duration(s, n, &out->number) == 0) {
                out->symbol = EES_NUMBER;
                out->duration = 1;
                return 0;
        }
        return -1;
}

/* ---------------------------------------------------------------- filter keys and codes */

static void put_escaped(struct buf *out, const char *s)
{
        for (; *s; s++) {
                if (*s == '|' || *s == '=' || *s == '\\')
                        buf_putc(out, '\\');
                buf_putc(out, *s);
        }
}

struct pair {
        const char *name, *value;
};

static int pair_cmp(const void *a, const void *b)
{
        return strcmp(((const struct pair *)a)->name, ((const struct pair *)b)->name);
}

void ees_filter_key(const char *const *names, const char *const *values, size_t n, struct buf *out)
{
        struct pair stack[16];
        struct pair *p = n <= 16 ? stack : xmalloc(n * sizeof *p);
        for (size_t i = 0; i < n; i++)
                p[i] = (struct pair){names[i], values[i]};
        qsort(p, n, sizeof *p, pair_cmp);
        for (size_t i = 0; i < n; i++) {
                if (i)
                        buf_putc(out, '|');
                put_escaped(out, p[i].name);
                buf_putc(out, '=');
                put_escaped(out, p[i].value);
        }
        if (p != stack)
                free(p);
}

int ees_la_codes(const char *text, char (*codes)[4], int max)
{
        int count = 0;
        const char *s = text;
        for (;;) {
                while (*s == ' ')
                        s++;
                if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
                    !isdigit((unsigned char)s[2]) || isdigit((unsigned char)s[3]))
                        return -1;
                if (count < max) {
                        memcpy(codes[count], s, 3);
                        codes[count][3] = '\0';
                }
                count++;
                s += 3;
                while (*s == ' ')
                        s++;
                if (*s == '\0')
                        break;
                if (*s != '/')
                        return -1;
                s++;
        }
        return count < max ? count : max;
}

void ees_source_of(const char *path, char *out, size_t n)
{
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 4 && strcasecmp(base + len - 4, ".csv") == 0)
                len -= 4;
        /* "_YYYY_to_YYYY" at the end: 13 characters. */
        if (len > 13) {
                const char *t = base + len - 13;
                int ok = t[0] == '_' && strncmp(t + 5, "_to_", 4) == 0;
                for (int i = 1; ok && i < 5; i++)
                        ok = isdigit((unsigned char)t[i]) && isdigit((unsigned char)t[i + 8]);
                if (ok)
                        len -= 13;
        }
        if (n == 0)
                return;
        if (len >= n)
                len = n - 1;
        memcpy(out, base, len);
        out[len] = '\0';
}

/* ---------------------------------------------------------------- opening */

static char *field_dup(const struct csv_field *f)
{
        const char *s = f->ptr;
        size_t n = f->len;
        trim(&s, &n);
        return xstrndup(s, n);
}

static int is_other_geo(const char *name)
{
        for (size_t i = 0; i < sizeof other_geo_names / sizeof *other_geo_names; i++)
                if (strcasecmp(name, other_geo_names[i]) == 0)
                        return 1;
        return 0;
}

static const struct ees_file *sort_file; /* qsort has no context argument in C17 */

static int filter_col_cmp(const void *a, const void *b)
{
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        return strcmp(sort_file->colnames[x], sort_file->colnames[y]);
}

static int read_header(struct ees_file *f, struct err *e)
{
        struct csv_record rec;
        int rc = csv_read(f->r, &rec, e);
        if (rc < 0)
                return -1;
        if (rc == 0)
                return err_at(e, f->name, 1,
                              "the file is empty; expected a header row naming time_period, "
                              "time_identifier, geographic_level and the value columns");
        f->ncols = rec.count;
        f->colnames = xcalloc(rec.count, sizeof *f->colnames);
        f->roles = xcalloc(rec.count, sizeof *f->roles);
        for (int g = 0; g < G_N; g++)
                f->geo[g] = -1;
        for (size_t i = 0; i < rec.count; i++) {
                f->colnames[i] = field_dup(&rec.fields[i]);
                if (!f->colnames[i][0])
                        return err_at(e, f->name, rec.line,
                                      "column %zu has no name; expected a name in every header "
                                      "cell",
                                      i + 1);
                for (size_t j = 0; j < i; j++)
                        if (strcmp(f->colnames[i], f->colnames[j]) == 0)
                                return err_at(e, f->name, rec.line,
                                              "column '%s' appears twice; expected each column "
                                              "name once",
                                              f->colnames[i]);
                f->roles[i] = ROLE_VALUE; /* until a cell says otherwise */
                for (int g = 0; g < G_N; g++)
                        if (strcasecmp(f->colnames[i], geo_names[g]) == 0) {
                                f->geo[g] = (int)i;
                                f->roles[i] = ROLE_GEO;
                        }
                if (f->roles[i] == ROLE_VALUE && is_other_geo(f->colnames[i]))
                        f->roles[i] = ROLE_IGNORED;
        }
        static const int required[] = {G_TIME_PERIOD, G_TIME_IDENTIFIER, G_LEVEL};
        for (size_t k = 0; k < sizeof required / sizeof *required; k++)
                if (f->geo[required[k]] < 0)
                        return err_at(e, f->name, rec.line,
                                      "no column '%s'; expected an Explore Education Statistics "
                                      "file with time_period, time_identifier and "
                                      "geographic_level columns",
                                      geo_names[required[k]]);
        csv_set_width(f->r, f->ncols);
        return 0;
}

/* Pass 1: a column with any cell that is not a number or symbol is a filter. */
static int classify(struct ees_file *f, struct err *e)
{
        struct csv_record rec;
        int rc;
        size_t open = 0;
        for (size_t i = 0; i < f->ncols; i++)
                open += f->roles[i] == ROLE_VALUE;
        while ((rc = csv_read(f->r, &rec, e)) == 1) {
                if (!open)
                        continue; /* still read on, to catch a ragged row */
                for (size_t i = 0; i < f->ncols; i++) {
                        if (f->roles[i] != ROLE_VALUE)
                                continue;
                        struct ees_value v;
                        if (ees_parse_value(rec.fields[i].ptr, rec.fields[i].len, &v) < 0) {
                                f->roles[i] = ROLE_FILTER;
                                open--;
                        }
                }
        }
        if (rc < 0)
                return -1;
        for (size_t i = 0; i < f->ncols; i++) {
                if (f->roles[i] == ROLE_VALUE)
                        f->nvalues++;
                else if (f->roles[i] == ROLE_FILTER)
                        f->nfilters++;
        }
        if (f->nvalues == 0)
                return err_at(e, f->name, 1,
                              "no value columns (every column besides time and place holds "
                              "text); expected at least one numeric column");
        f->value_cols = xcalloc(f->nvalues, sizeof *f->value_cols);
        f->filter_cols = xcalloc(f->nfilters ? f->nfilters : 1, sizeof *f->filter_cols);
        size_t nv = 0, nf = 0;
        for (size_t i = 0; i < f->ncols; i++) {
                if (f->roles[i] == ROLE_VALUE)
                        f->value_cols[nv++] = i;
                else if (f->roles[i] == ROLE_FILTER)
                        f->filter_cols[nf++] = i;
        }
        sort_file = f;
        qsort(f->filter_cols, f->nfilters, sizeof *f->filter_cols, filter_col_cmp);
        sort_file = NULL;
        f->values = xcalloc(f->nvalues, sizeof *f->values);
        f->fnames = xcalloc(f->nfilters ? f->nfilters : 1, sizeof *f->fnames);
        f->fvalues = xcalloc(f->nfilters ? f->nfilters : 1, sizeof *f->fvalues);
        for (size_t k = 0; k < f->nfilters; k++)
                f->fnames[k] = f->colnames[f->filter_cols[k]];
        return 0;
}

static int has_value_column(const struct ees_file *f, const char *name)
{
        for (size_t k = 0; k < f->nvalues; k++)
                if (strcasecmp(f->colnames[f->value_cols[k]], name) == 0)
                        return 1;
        return 0;
}

static int has_filter_column(const struct ees_file *f, const char *name)
{
        for (size_t k = 0; k < f->nfilters; k++)
                if (strcasecmp(f->fnames[k], name) == 0)
                        return 1;
        return 0;
}

static enum ees_period_kind detect_period(const struct ees_file *f)
{
        if (strncasecmp(f->source, "csww", 4) == 0 || has_value_column(f, "inpost_fte") ||
            has_value_column(f, "social_worker_fte"))
                return EES_PERIOD_WORKFORCE;
        if (f->nvalues == 1 && has_value_column(f, "population_estimate") &&
            has_filter_column(f, "age_group"))
                return EES_PERIOD_MID_YEAR;
        return EES_PERIOD_YEAR;
}

struct ees_file *ees_open_mem(const char *data, size_t len, const char *name, struct err *e)
{
        struct ees_file *f = xcalloc(1, sizeof *f);
        f->name = xstrdup(name);
        ees_source_of(name, f->source, sizeof f->source);
        f->data = data;
        f->len = len;
        buf_init(&f->owned);
        buf_init(&f->key);
        arena_init(&f->row_arena, 0);
        f->r = csv_open_mem(data, len, f->name);
        if (read_header(f, e) || classify(f, e))
                goto fail;
        f->period = detect_period(f);
        /* Pass 2 starts again after the header. */
        csv_free(f->r);
        f->r = csv_open_mem(data, len, f->name);
        struct csv_record rec;
        if (csv_read(f->r, &rec, e) != 1)
                goto fail;
        csv_set_width(f->r, f->ncols);
        return f;
fail:
        ees_free(f);
        return NULL;
}

struct ees_file *ees_open_file(const char *path, struct err *e)
{
        struct buf b;
        buf_init(&b);
        if (buf_read_file(&b, path, e)) {
                buf_release(&b);
                return NULL;
        }
        struct ees_file *f = ees_open_mem(b.data, b.len, path, e);
        if (!f) {
                buf_release(&b);
                return NULL;
        }
        buf_release(&f->owned);
        f->owned = b;
        return f;
}

void ees_free(struct ees_file *f)
{
        if (!f)
                return;
        csv_free(f->r);
        for (size_t i = 0; i < f->ncols; i++)
                free(f->colnames ? f->colnames[i] : NULL);
        free(f->colnames);
        free(f->roles);
        free(f->value_cols);
        free(f->filter_cols);
        free(f->values);
        free(f->fnames);
        free(f->fvalues);
        buf_release(&f->key);
        buf_release(&f->owned);
        arena_release(&f->row_arena);
        free(f->name);
        free(f);
}

/* ---------------------------------------------------------------- rows */

static const char *cell(struct ees_file *f, const struct csv_record *rec, int col)
{
        if (col < 0)
                return "";
        const char *s = rec->fields[col].ptr;
        size_t n = rec->fields[col].len;
        trim(&s, &n);
        return arena_strndup(&f->row_arena, s, n);
}

static int all_digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!isdigit((unsigned char)s[i]))
                        return 0;
        return 1;
}

/* time_period and time_identifier -> year and the date the figures describe. */
static int parse_period(struct ees_file *f, struct ees_row *row, struct err *e)
{
        const char *tp = row->time_period, *ti = row->time_identifier;
        size_t n = strlen(tp);
        int first = 0, ending = 0;
        if (n >= 4 && all_digits(tp, 4))
                first = atoi((char[5]){tp[0], tp[1], tp[2], tp[3], 0});
        if (n == 6 && all_digits(tp, 6)) {
                int yy = (tp[4] - '0') * 10 + (tp[5] - '0');
                if (yy == (first + 1) % 100)
                        ending = first + 1;
        }
        int four = n == 4 && all_digits(tp, 4);
        const char *month_day;
        int year;
        if (strcasecmp(ti, "Reporting year") == 0 || strcasecmp(ti, "Calendar year") == 0) {
                if (!four)
                        return err_at(e, f->name, row->line,
                                      "time_period '%s' is not a year; expected YYYY for '%s'", tp,
                                      ti);
                year = first;
                if (strcasecmp(ti, "Calendar year") == 0)
                        month_day = "12-31";
                else if (f->period == EES_PERIOD_WORKFORCE)
                        month_day = "09-30";
                else if (f->period == EES_PERIOD_MID_YEAR)
                        month_day = "06-30";
                else
                        month_day = "03-31";
        } else if (strcasecmp(ti, "Academic year") == 0 || strcasecmp(ti, "Financial year") == 0) {
                if (!ending)
                        return err_at(e, f->name, row->line,
                                      "time_period '%s' is not a two-part year; expected YYYYyy "
                                      "(e.g. 202425) for '%s'",
                                      tp, ti);
                year = ending;
                month_day = strcasecmp(ti, "Academic year") == 0 ? "08-31" : "03-31";
        } else {
                return err_at(e, f->name, row->line,
                              "time_identifier '%s' is not one this reader knows; expected "
                              "'Reporting year', 'Academic year', 'Financial year' or 'Calendar "
                              "year'",
                              ti);
        }
        if (year < 1900 || year > 2199)
                return err_at(e, f->name, row->line,
                              "time_period '%s' is out of range; expected a year between 1900 "
                              "and 2199",
                              tp);
        row->year = year;
        snprintf(row->period_end, sizeof row->period_end, "%04d-%s", year, month_day);
        return 0;
}

static int parse_level(struct ees_file *f, struct ees_row *row, const char *level, struct err *e)
{
        if (strcasecmp(level, "National") == 0)
                row->level = EES_NATIONAL;
        else if (strcasecmp(level, "Regional") == 0)
                row->level = EES_REGIONAL;
        else if (strcasecmp(level, "Local authority") == 0)
                row->level = EES_LA;
        else if (!*level)
                return err_at(e, f->name, row->line,
                              "geographic_level is blank; expected National, Regional or Local "
                              "authority");
        else
                row->level = EES_OTHER;
        if (row->level == EES_REGIONAL && !*row->region_code)
                return err_at(e, f->name, row->line,
                              "Regional row without a region_code; expected a code such as "
                              "E12000001");
        if (row->level == EES_LA) {
                char codes[4][4];
                if (!*row->la_code)
                        return err_at(e, f->name, row->line,
                                      "Local authority row without old_la_code; expected the "
                                      "3-digit LA number");
                int k = ees_la_codes(row->la_code, codes, 4);
                if (k < 1)
                        return err_at(e, f->name, row->line,
                                      "old_la_code '%s' is not an LA number; expected 3 digits "
                                      "(or a joint return such as '314 / 318')",
                                      row->la_code);
                row->joint = k > 1;
        }
        return 0;
}

int ees_read(struct ees_file *f, struct ees_row *row, struct err *e)
{
        if (f->failed)
                return err_set(e, EXIT_INTERNAL, "%s: read after an error", f->name);
        struct csv_record rec;
        int rc = csv_read(f->r, &rec, e);
        if (rc <= 0) {
                f->failed = rc < 0;
                return rc;
        }
        arena_reset(&f->row_arena);
        memset(row, 0, sizeof *row);
        row->line = rec.line;
        row->time_period = cell(f, &rec, f->geo[G_TIME_PERIOD]);
        row->time_identifier = cell(f, &rec, f->geo[G_TIME_IDENTIFIER]);
        row->country_code = cell(f, &rec, f->geo[G_COUNTRY_CODE]);
        row->region_code = cell(f, &rec, f->geo[G_REGION_CODE]);
        row->region_name = cell(f, &rec, f->geo[G_REGION_NAME]);
        row->la_code = cell(f, &rec, f->geo[G_OLD_LA_CODE]);
        row->new_la_code = cell(f, &rec, f->geo[G_NEW_LA_CODE]);
        row->la_name = cell(f, &rec, f->geo[G_LA_NAME]);
        if (parse_level(f, row, cell(f, &rec, f->geo[G_LEVEL]), e) || parse_period(f, row, e)) {
                f->failed = 1;
                return -1;
        }
        for (size_t k = 0; k < f->nfilters; k++)
                f->fvalues[k] = cell(f, &rec, (int)f->filter_cols[k]);
        buf_reset(&f->key);
        ees_filter_key(f->fnames, f->fvalues, f->nfilters, &f->key);
        row->filters = f->key.data;
        for (size_t k = 0; k < f->nvalues; k++) {
                const struct csv_field *fl = &rec.fields[f->value_cols[k]];
                if (ees_parse_value(fl->ptr, fl->len, &f->values[k]) < 0) {
                        /* pass 1 saw every cell, so this cannot happen */
                        f->failed = 1;
                        return err_set(e, EXIT_INTERNAL, "%s:%ld: value changed between passes",
                                       f->name, rec.line);
                }
                f->values[k].text = cell(f, &rec, (int)f->value_cols[k]);
        }
        row->values = f->values;
        row->nvalues = f->nvalues;
        return 1;
}

/* ---------------------------------------------------------------- accessors */

const char *ees_source(const struct ees_file *f)
{
        return f->source;
}

const char *ees_name(const struct ees_file *f)
{
        return f->name;
}

enum ees_period_kind ees_period(const struct ees_file *f)
{
        return f->period;
}

size_t ees_value_count(const struct ees_file *f)
{
        return f->nvalues;
}

const char *ees_value_name(const struct ees_file *f, size_t i)
{
        return i < f->nvalues ? f->colnames[f->value_cols[i]] : NULL;
}

size_t ees_filter_count(const struct ees_file *f)
{
        return f->nfilters;
}

const char *ees_filter_name(const struct ees_file *f, size_t i)
{
        return i < f->nfilters ? f->fnames[i] : NULL;
}

size_t ees_offset(const struct ees_file *f)
{
        return csv_offset(f->r);
}

size_t ees_size(const struct ees_file *f)
{
        return f->len;
}
