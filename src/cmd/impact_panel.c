/*
 * impact_panel.c — reading the input of `improve impact`: a long panel
 * (unit, time, outcome and any predictor columns) or a period,value series,
 * checked row by row (FILE:LINE for anything malformed) and laid out as a
 * units × periods matrix with NaN where a value is missing (blank or a DfE
 * symbol).  Periods are the distinct time values in order.
 */
#include "cmd/impact_int.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- time values */

/* A plain decimal number: digits, sign, point, exponent; nothing else (no hex, inf, nan). */
static int parse_number(const char *p, size_t n, double *out)
{
        if (n == 0 || n > 64)
                return -1;
        char tmp[65];
        for (size_t i = 0; i < n; i++) {
                if (!strchr("0123456789+-.eE", p[i]))
                        return -1;
                tmp[i] = p[i];
        }
        tmp[n] = '\0';
        char *end;
        errno = 0;
        double v = strtod(tmp, &end);
        if (end != tmp + n || errno == ERANGE || !isfinite(v))
                return -1;
        *out = v;
        return 0;
}

/* A time value: an ISO date (key = day number) or a number. 0, or -1 if neither. */
int impact_parse_time(const char *p, size_t n, enum impact_time_kind *kind, double *key)
{
        date_t d;
        if (n == 10 && p[4] == '-' && p[7] == '-') {
                if (date_parse_iso(p, n, &d) != 0)
                        return -1;
                *kind = IMPACT_TIME_DATE;
                *key = d;
                return 0;
        }
        if (parse_number(p, n, key) != 0)
                return -1;
        *kind = IMPACT_TIME_NUMBER;
        return 0;
}

static char *time_label(enum impact_time_kind kind, double key)
{
        char tmp[40];
        if (kind == IMPACT_TIME_DATE)
                date_format_iso((date_t)key, tmp);
        else if (key == floor(key) && fabs(key) < 1e15)
                snprintf(tmp, sizeof tmp, "%.0f", key == 0 ? 0.0 : key);
        else
                snprintf(tmp, sizeof tmp, "%.15g", key);
        return xstrdup(tmp);
}

static const char *missing_codes[] = {"c", "z", "k", "x", "u", "low", NULL};

/* 1 missing, 0 a number in *v, -1 neither. */
static int parse_value(const char *p, size_t n, double *v)
{
        if (n == 0)
                return 1;
        for (int i = 0; missing_codes[i]; i++)
                if (strlen(missing_codes[i]) == n && strncmp(p, missing_codes[i], n) == 0)
                        return 1;
        return parse_number(p, n, v) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- the panel */

void impact_panel_release(struct impact_panel *p)
{
        for (size_t i = 0; i < p->nunits; i++)
                free(p->units[i]);
        for (size_t i = 0; i < p->nperiods; i++)
                free(p->labels[i]);
        for (size_t s = 0; s < p->nseries; s++) {
                free(p->series[s]);
                free(p->series_cols[s]);
        }
        free(p->units);
        free(p->keys);
        free(p->labels);
        free(p->y);
        free(p->series);
        free(p->series_cols);
}

static void trim(const char **p, size_t *n)
{
        while (*n > 0 && isspace((unsigned char)**p)) {
                (*p)++;
                (*n)--;
        }
        while (*n > 0 && isspace((unsigned char)(*p)[*n - 1]))
                (*n)--;
}

struct raw {
        size_t unit;
        double key;
        long line;
};

static int header_column(const struct csv_record *h, const char *path, const char *name,
                         const char *flag, long *col, struct err *e)
{
        *col = -1;
        for (size_t i = 0; i < h->count; i++) {
                struct csv_field f = h->fields[i];
                trim(&f.ptr, &f.len);
                if (!csv_field_eq_nocase(&f, name))
                        continue;
                if (*col >= 0)
                        return err_at(e, path, h->line,
                                      "two '%s' columns in the header; expected one", name);
                *col = (long)i;
        }
        if (*col < 0)
                return err_at(e, path, h->line,
                              "no '%s' column in the header (named by %s); expected a header "
                              "naming it",
                              name, flag);
        return 0;
}

static int by_key(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

size_t impact_find_period(const struct impact_panel *p, double key)
{
        size_t lo = 0, hi = p->nperiods;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (p->keys[mid] < key)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* Read a long panel.  Rows are checked as they come; the matrix is built at the end. */
int impact_panel_read(const struct impact_reader *rd, struct impact_panel *p, struct err *e)
{
        memset(p, 0, sizeof *p);
        p->path = rd->path;
        struct csv_reader *r = csv_open_file(rd->path, e);
        if (!r)
                return -1;
        struct csv_record rec;
        long ucol = -1, tcol, ycol;
        long *scol = xcalloc(rd->nseries + 1, sizeof *scol);
        struct raw *raw = NULL;
        double *rawy = NULL, *raws = NULL;
        size_t nraw = 0, cap = 0, scap = 0;
        json_t *unit_index = json_object();
        size_t ucap = 0;
        int rc = csv_read(r, &rec, e);
        if (rc == 0)
                rc = err_at(e, rd->path, 0,
                            "the file is empty; expected a header line naming "
                            "its columns");
        if (rc > 0 &&
            ((rd->unit_col && header_column(&rec, rd->path, rd->unit_col, "--unit", &ucol, e)) ||
             header_column(&rec, rd->path, rd->time_col, rd->unit_col ? "--time" : "--series",
                           &tcol, e) ||
             header_column(&rec, rd->path, rd->outcome_col, rd->unit_col ? "--outcome" : "--series",
                           &ycol, e)))
                rc = -1;
        for (size_t s = 0; rc > 0 && s < rd->nseries; s++)
                if (header_column(&rec, rd->path, rd->series_cols[s], "--predictor", &scol[s], e))
                        rc = -1;
        if (rc > 0)
                csv_set_width(r, rec.count);
        while (rc > 0 && (rc = csv_read(r, &rec, e)) > 0) {
                struct csv_field uf = ucol >= 0 ? rec.fields[ucol] : (struct csv_field){"", 0, 0};
                struct csv_field tf = rec.fields[tcol], yf = rec.fields[ycol];
                trim(&uf.ptr, &uf.len);
                trim(&tf.ptr, &tf.len);
                trim(&yf.ptr, &yf.len);
                if (ucol >= 0 && uf.len == 0) {
                        rc = err_at(e, rd->path, rec.line, "blank unit; expected a unit's name");
                        break;
                }
                enum impact_time_kind kind;
                double key;
                if (impact_parse_time(tf.ptr, tf.len, &kind, &key) != 0) {
                        rc = err_at(e, rd->path, rec.line,
                                    "time '%.*s' is neither a number nor a date; expected a "
                                    "number such as 1989 or an ISO date such as 2021-04-01",
                                    (int)(tf.len > 40 ? 40 : tf.len), tf.ptr);
                        break;
                }
                if (p->kind != IMPACT_TIME_NONE && kind != p->kind) {
                        rc = err_at(e, rd->path, rec.line,
                                    "time '%.*s' is a %s but earlier rows have %ss; expected "
                                    "one kind of time value in a file",
                                    (int)(tf.len > 40 ? 40 : tf.len), tf.ptr,
                                    kind == IMPACT_TIME_DATE ? "date" : "number",
                                    p->kind == IMPACT_TIME_DATE ? "date" : "number");
                        break;
                }
                p->kind = kind;
                double y = NAN;
                if (parse_value(yf.ptr, yf.len, &y) < 0) {
                        rc = err_at(e, rd->path, rec.line,
                                    "%s '%.*s' is not a number; expected a decimal number such "
                                    "as 12.5, or blank or c, z, k, x, u, low when missing",
                                    rd->outcome_col, (int)(yf.len > 40 ? 40 : yf.len), yf.ptr);
                        break;
                }
                if (nraw == cap) {
                        size_t c2 = cap;
                        raw = xgrow(raw, &c2, nraw + 1, sizeof *raw);
                        rawy = xgrow(rawy, &cap, nraw + 1, sizeof *rawy);
                }
                raws =
                    xgrow(raws, &scap, (nraw + 1) * (rd->nseries ? rd->nseries : 1), sizeof *raws);
                for (size_t s = 0; s < rd->nseries; s++) {
                        struct csv_field sf = rec.fields[scol[s]];
                        trim(&sf.ptr, &sf.len);
                        double v = NAN;
                        if (parse_value(sf.ptr, sf.len, &v) < 0) {
                                rc = err_at(e, rd->path, rec.line,
                                            "%s '%.*s' is not a number; expected a decimal "
                                            "number, or blank or a DfE symbol when missing",
                                            rd->series_cols[s], (int)(sf.len > 40 ? 40 : sf.len),
                                            sf.ptr);
                                break;
                        }
                        raws[nraw * rd->nseries + s] = v;
                }
                if (rc < 0)
                        break;
                char *name = xstrndup(uf.ptr, uf.len);
                json_t *idx = json_object_get(unit_index, name);
                size_t u;
                if (idx) {
                        u = (size_t)json_integer_value(idx);
                        free(name);
                } else {
                        u = p->nunits;
                        /* _nocheck: a name need not be UTF-8 (a checked set refuses it, and the
                         * name would then open a new unit on every row) */
                        json_object_set_new_nocheck(unit_index, name, json_integer((json_int_t)u));
                        p->units = xgrow(p->units, &ucap, u + 1, sizeof *p->units);
                        p->units[p->nunits++] = name;
                }
                raw[nraw] = (struct raw){u, key, rec.line};
                rawy[nraw++] = y;
        }
        csv_free(r);
        json_decref(unit_index);
        free(scol);
        if (rc == 0 && nraw == 0)
                rc = err_at(e, rd->path, 0,
                            "no data rows after the header; expected one row per "
                            "unit and period");
        if (rc < 0)
                goto fail;

        /* The axis: every distinct time value, in order. */
        p->keys = xmalloc(nraw * sizeof *p->keys);
        for (size_t i = 0; i < nraw; i++)
                p->keys[i] = raw[i].key;
        qsort(p->keys, nraw, sizeof *p->keys, by_key);
        for (size_t i = 0; i < nraw; i++)
                if (p->nperiods == 0 || p->keys[i] != p->keys[p->nperiods - 1])
                        p->keys[p->nperiods++] = p->keys[i];
        p->labels = xmalloc(p->nperiods * sizeof *p->labels);
        for (size_t t = 0; t < p->nperiods; t++)
                p->labels[t] = time_label(p->kind, p->keys[t]);
        size_t cells = p->nunits * p->nperiods;
        p->y = xmalloc(cells * sizeof *p->y);
        long *line = xcalloc(cells, sizeof *line);
        for (size_t c = 0; c < cells; c++)
                p->y[c] = NAN;
        p->nseries = rd->nseries;
        p->series = xcalloc(rd->nseries + 1, sizeof *p->series);
        p->series_cols = xcalloc(rd->nseries + 1, sizeof *p->series_cols);
        for (size_t s = 0; s < rd->nseries; s++) {
                p->series[s] = xmalloc(cells * sizeof **p->series);
                for (size_t c = 0; c < cells; c++)
                        p->series[s][c] = NAN;
                p->series_cols[s] = xstrdup(rd->series_cols[s]);
        }
        for (size_t i = 0; i < nraw; i++) {
                size_t c = raw[i].unit * p->nperiods + impact_find_period(p, raw[i].key);
                if (line[c]) {
                        rc = rd->unit_col
                                 ? err_at(e, rd->path, raw[i].line,
                                          "unit '%s' has period %s again (first on line %ld); "
                                          "expected one row per unit and period",
                                          p->units[raw[i].unit],
                                          p->labels[impact_find_period(p, raw[i].key)], line[c])
                                 : err_at(e, rd->path, raw[i].line,
                                          "period %s appears again (first on line %ld); expected "
                                          "each period once",
                                          p->labels[impact_find_period(p, raw[i].key)], line[c]);
                        break;
                }
                line[c] = raw[i].line;
                p->y[c] = rawy[i];
                for (size_t s = 0; s < rd->nseries; s++)
                        p->series[s][c] = raws[i * rd->nseries + s];
        }
        free(line);
        if (rc < 0)
                goto fail;
        free(raw);
        free(rawy);
        free(raws);
        return 0;
fail:
        free(raw);
        free(rawy);
        free(raws);
        impact_panel_release(p);
        memset(p, 0, sizeof *p);
        return -1;
}

size_t impact_find_unit(const struct impact_panel *p, const char *name)
{
        for (size_t u = 0; u < p->nunits; u++)
                if (strcmp(p->units[u], name) == 0)
                        return u;
        return p->nunits;
}
