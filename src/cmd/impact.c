/*
 * impact.c — `improve impact`: did a structural change make a difference?
 *
 * Three forms.  --panel FILE: a long panel of units × periods, one treated
 * unit, evaluated by interrupted time series (its own series), synthetic
 * control (against the other units) and 2 × 2 difference in differences.
 * --series FILE: one series, interrupted time series alone.  --la CODE with
 * --event or --date: the stored measure series of an authority, which needs
 * the measure series of issue 5; its options are checked and it says plainly
 * that it cannot run yet.
 *
 * This file reads and checks the input and runs the methods (src/stats/its.c,
 * sc.c, did.c); impact_output.c and impact_svg.c write what they found.
 * Output is built in memory and written in one go, so a failed run never
 * leaves half a file at --out.
 */
#include "cmd/cli.h"
#include "cmd/impact.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "stats/did.h"
#include "stats/its.h"
#include "stats/sc.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_impact = {
    .name = "impact",
    .run = run,
    .summary = "Evaluate a structural change: interrupted time series, synthetic control, DiD.",
    .usage =
        "improve impact --panel FILE --unit COL --time COL --outcome COL --treated UNIT\n"
        "              --start T [--method its|sc|did|all] [--exclude UNIT]...\n"
        "              [--predictor COL:FROM-TO]... [--fit-from T]\n"
        "       improve impact --series FILE --start T\n"
        "       improve impact --la CODE (--event ID | --date YYYY-MM-DD) --measure ID\n"
        "              [--method its|sc|did|all] [--period year|month]\n"
        "              [--donors all|neighbours|region] [--keep-transition]\n"
        "       common: [--seasonal] [--lag L] [--no-small-sample] [--format text|csv|json|svg]\n"
        "              [--out FILE]",
    .help = "Says whether an outcome changed after a structural change (a restructure, a\n"
            "practice model, a trust), by how much, how sure we can be, and how well each\n"
            "method fitted the years before.  The text ends with a plain-English verdict;\n"
            "too few periods or a poor fit before the change give a warning in words\n"
            "instead of a confident number.\n"
            "\n"
            "Methods (statistics.md sections 3-5):\n"
            "  its   interrupted time series: a segmented regression of the treated series\n"
            "        (level and slope change), Newey-West standard errors (lag\n"
            "        floor(4 (n/100)^(2/9)) unless --lag).  The effect is the mean over the\n"
            "        post-change periods, b2 + b3 (n_post + 1)/2, with its 95% interval.\n"
            "        Needs at least 3 periods before and 3 after.\n"
            "  sc    synthetic control: a weighted mix of the other units that tracks the\n"
            "        treated unit before the change (outcome-only unless --predictor).  The\n"
            "        effect is the mean gap after the change; the p-value comes from placebos\n"
            "        (each other unit treated in turn).  No confidence interval.\n"
            "  did   2 x 2 difference in differences against all the other units, with a\n"
            "        standard error clustered by unit (unreliable with one treated unit).\n"
            "  all   every method the form allows (the default for --panel).\n"
            "\n"
            "Input forms:\n"
            "  --panel FILE        a long CSV panel: one row per unit and period.  --unit,\n"
            "                      --time and --outcome name its columns, --treated the unit\n"
            "                      that changed, --start the first period after the change.\n"
            "                      Time values are numbers (1989 or 1989.0) or ISO dates\n"
            "                      (2021-04-01), one kind per file.  A blank value or a DfE\n"
            "                      symbol (c, z, k, x, u, low) is missing.\n"
            "  --exclude UNIT      leave a unit out of the comparison units (one that had a\n"
            "                      similar change); repeatable\n"
            "  --predictor COL:FROM-TO\n"
            "                      add the mean of column COL over periods FROM to TO as a\n"
            "                      synthetic-control predictor (repeatable; COL:T for one)\n"
            "  --fit-from T        fit the synthetic control's V on pre-periods from T on\n"
            "  --series FILE       a CSV with columns period,value: interrupted time series\n"
            "  --la CODE ...       an authority's stored measure series around a registered\n"
            "                      change (improve event) or a date.  Needs the stored measure\n"
            "                      series of issue 5, not yet available: use --panel/--series.\n"
            "                      The first post-change period is the first that starts on\n"
            "                      or after the date; a period the date falls inside is left\n"
            "                      out unless --keep-transition.\n"
            "  --seasonal          add two seasonal harmonics to the time series model (needs\n"
            "                      ISO-dated periods one month apart)\n"
            "  --lag L             the Newey-West lag\n"
            "  --no-small-sample   leave out the n/(n-k) factor of the Newey-West variance\n"
            "  --format FORMAT     text (default), csv, json or svg\n"
            "  --out FILE          write to FILE instead of standard output\n"
            "\n"
            "CSV columns, one row per method and period: method,period,observed,\n"
            "counterfactual,effect,lower,upper.  effect is given after the change only;\n"
            "lower and upper are empty where a method gives no interval.  JSON has, per\n"
            "method, effect, ci_low, ci_high, pre_rmspe, post_rmspe, p_value, loss (the\n"
            "mean squared error of the fit: residuals for its, the reached synthetic-control\n"
            "loss for sc, the pre-period gap for did) and warnings, then details and the\n"
            "periods.  Warnings go to standard error for csv and svg.\n"
            "\n"
            "Exit status: 0 evaluated (perhaps with warnings); 2 usage error; 3 unreadable\n"
            "or malformed input (FILE:LINE), or --out not writable.\n"
            "\n"
            "Examples:\n"
            "  improve impact --panel smoking.csv --unit state --time year --outcome cigsale \\\n"
            "      --treated California --start 1989\n"
            "  improve impact --series rereferrals.csv --start 2022-04-01 --format svg\n",
};

/* ---------------------------------------------------------------- time values */

enum time_kind { TIME_NONE, TIME_NUMBER, TIME_DATE };

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
static int parse_time(const char *p, size_t n, enum time_kind *kind, double *key)
{
        date_t d;
        if (n == 10 && p[4] == '-' && p[7] == '-') {
                if (date_parse_iso(p, n, &d) != 0)
                        return -1;
                *kind = TIME_DATE;
                *key = d;
                return 0;
        }
        if (parse_number(p, n, key) != 0)
                return -1;
        *kind = TIME_NUMBER;
        return 0;
}

static char *time_label(enum time_kind kind, double key)
{
        char tmp[40];
        if (kind == TIME_DATE)
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

struct panel {
        const char *path;
        enum time_kind kind;
        size_t nunits, nperiods, nseries;
        char **units;
        double *keys; /* period keys, ascending */
        char **labels;
        double *y;          /* nunits × nperiods, NaN missing */
        double **series;    /* nseries × (nunits × nperiods) */
        char **series_cols; /* column names of the series */
};

static void panel_release(struct panel *p)
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

struct reader {
        const char *path;
        const char *unit_col, *time_col, *outcome_col; /* unit_col NULL: one unit */
        const char *const *series_cols;                /* other columns to keep */
        size_t nseries;
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

static size_t find_key(const struct panel *p, double key)
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
static int read_panel(const struct reader *rd, struct panel *p, struct err *e)
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
                enum time_kind kind;
                double key;
                if (parse_time(tf.ptr, tf.len, &kind, &key) != 0) {
                        rc = err_at(e, rd->path, rec.line,
                                    "time '%.*s' is neither a number nor a date; expected a "
                                    "number such as 1989 or an ISO date such as 2021-04-01",
                                    (int)(tf.len > 40 ? 40 : tf.len), tf.ptr);
                        break;
                }
                if (p->kind != TIME_NONE && kind != p->kind) {
                        rc = err_at(e, rd->path, rec.line,
                                    "time '%.*s' is a %s but earlier rows have %ss; expected "
                                    "one kind of time value in a file",
                                    (int)(tf.len > 40 ? 40 : tf.len), tf.ptr,
                                    kind == TIME_DATE ? "date" : "number",
                                    p->kind == TIME_DATE ? "date" : "number");
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
                        json_object_set_new(unit_index, name, json_integer((json_int_t)u));
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
                size_t c = raw[i].unit * p->nperiods + find_key(p, raw[i].key);
                if (line[c]) {
                        rc = rd->unit_col
                                 ? err_at(e, rd->path, raw[i].line,
                                          "unit '%s' has period %s again (first on line %ld); "
                                          "expected one row per unit and period",
                                          p->units[raw[i].unit], p->labels[find_key(p, raw[i].key)],
                                          line[c])
                                 : err_at(e, rd->path, raw[i].line,
                                          "period %s appears again (first on line %ld); expected "
                                          "each period once",
                                          p->labels[find_key(p, raw[i].key)], line[c]);
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
        panel_release(p);
        memset(p, 0, sizeof *p);
        return -1;
}

/* ---------------------------------------------------------------- report helpers */

const char *impact_method_name(enum impact_method_id id)
{
        static const char *const names[] = {"its", "sc", "did"};
        return (unsigned)id < IMPACT_NMETHODS ? names[id] : "?";
}

const char *impact_method_title(enum impact_method_id id)
{
        static const char *const titles[] = {"Interrupted time series", "Synthetic control",
                                             "Difference in differences"};
        return (unsigned)id < IMPACT_NMETHODS ? titles[id] : "?";
}

static void push(char ***list, size_t *n, const char *fmt, va_list ap)
{
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("(warning could not be formatted)");
        *list = xrealloc(*list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = s;
}

void impact_method_warn(struct impact_method *m, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        push(&m->warnings, &m->n_warnings, fmt, ap);
        va_end(ap);
}

void impact_report_warn(struct impact_report *r, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        push(&r->warnings, &r->n_warnings, fmt, ap);
        va_end(ap);
}

void impact_report_release(struct impact_report *r)
{
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                struct impact_method *m = &r->m[i];
                free(m->counterfactual);
                free(m->effect_t);
                free(m->lower);
                free(m->upper);
                free(m->row);
                for (size_t k = 0; k < m->n_warnings; k++)
                        free(m->warnings[k]);
                free(m->warnings);
                json_decref(m->details);
        }
        for (size_t k = 0; k < r->n_warnings; k++)
                free(r->warnings[k]);
        free(r->warnings);
        free(r->placebo_gap);
        free(r->sc_gap);
        memset(r, 0, sizeof *r);
}

static void method_init(struct impact_method *m, enum impact_method_id id, size_t n)
{
        m->id = id;
        m->effect = m->ci_low = m->ci_high = NAN;
        m->pre_rmspe = m->post_rmspe = m->p_value = m->loss = NAN;
        m->counterfactual = xmalloc(n * sizeof(double));
        m->effect_t = xmalloc(n * sizeof(double));
        m->lower = xmalloc(n * sizeof(double));
        m->upper = xmalloc(n * sizeof(double));
        m->row = xcalloc(n ? n : 1, 1);
        for (size_t t = 0; t < n; t++)
                m->counterfactual[t] = m->effect_t[t] = m->lower[t] = m->upper[t] = NAN;
        m->details = json_object();
}

static json_t *num(double v)
{
        return isfinite(v) ? json_real(v == 0 ? 0.0 : v) : json_null();
}

/* ---------------------------------------------------------------- the methods */

struct its_request {
        int seasonal;
        const int *month; /* per period of the axis when seasonal */
        long lag;         /* -1 default */
        int small_sample;
};

/* Month index (year·12 + month - 1) of a date key, for spacing checks and harmonics. */
static long month_index(double key, int *month)
{
        int y, m, d;
        date_to_ymd((date_t)key, &y, &m, &d);
        if (month)
                *month = m;
        return (long)y * 12 + m - 1;
}

/* Periods used by a series: are they evenly spaced?  Names the first gap when not. */
static void check_spacing(struct impact_report *r, struct impact_method *m, const struct panel *p,
                          const size_t *idx, size_t n)
{
        if (n < 3)
                return;
        double step = HUGE_VAL;
        double *pos = xmalloc(n * sizeof *pos);
        for (size_t i = 0; i < n; i++)
                pos[i] = p->kind == TIME_DATE ? (double)month_index(p->keys[idx[i]], NULL)
                                              : p->keys[idx[i]];
        for (size_t i = 1; i < n; i++)
                step = fmin(step, pos[i] - pos[i - 1]);
        for (size_t i = 1; i < n; i++) {
                if (fabs(pos[i] - pos[i - 1] - step) > 1e-9 * fmax(1, fabs(step))) {
                        impact_method_warn(m,
                                           "the series has a gap between %s and %s; the time "
                                           "series model treats its periods as evenly spaced",
                                           r->labels[idx[i - 1]], r->labels[idx[i]]);
                        break;
                }
        }
        free(pos);
}

static void run_its(struct impact_report *r, const struct panel *p, size_t treated,
                    const struct its_request *q)
{
        struct impact_method *m = &r->m[IMPACT_ITS];
        size_t *idx = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *idx);
        double *y = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *y);
        int *month = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *month);
        size_t n = 0, n_pre = 0, missing = 0;
        for (size_t t = 0; t < p->nperiods; t++) {
                double v = p->y[treated * p->nperiods + t];
                if (isnan(v)) {
                        missing++;
                        continue;
                }
                idx[n] = t;
                month[n] = q->seasonal ? q->month[t] : 0;
                y[n++] = v;
                n_pre += t < r->first_post;
        }
        m->n_pre = n_pre;
        m->n_post = n - n_pre;
        if (missing)
                impact_method_warn(m, "%zu period%s without a value left out", missing,
                                   missing == 1 ? "" : "s");
        check_spacing(r, m, p, idx, n);
        struct its_options o;
        its_options_init(&o);
        o.lag = (int)q->lag;
        o.small_sample = q->small_sample;
        if (q->seasonal) {
                o.harmonics = 2;
                o.month = month;
        }
        struct its_fit f;
        struct err e = {0};
        if (its_fit(y, n, n_pre, &o, &f, &e) != 0) {
                impact_method_warn(m, "no estimate: %s", e.msg);
                goto out;
        }
        m->ran = 1;
        m->effect = f.effect;
        m->ci_low = f.effect_low;
        m->ci_high = f.effect_high;
        m->p_value = f.effect_p;
        m->pre_rmspe = f.pre_rmspe;
        m->post_rmspe = f.post_rmspe;
        m->loss = f.ssr / (double)f.n;
        m->poor_fit = f.poor_fit;
        for (size_t i = 0; i < n; i++) {
                size_t t = idx[i];
                m->row[t] = 1;
                m->counterfactual[t] = f.counterfactual[i];
                m->effect_t[t] = f.effect_t[i];
                m->lower[t] = f.effect_low_t[i];
                m->upper[t] = f.effect_high_t[i];
        }
        for (size_t i = 0; i < f.n_warnings; i++)
                impact_method_warn(m, "%s", f.warnings[i]);
        static const char *const names[] = {
            "b0_intercept", "b1_trend", "b2_level_change", "b3_slope_change", "sin1", "cos1",
            "sin2",         "cos2"};
        json_t *b = json_object(), *se_ols = json_object(), *se_nw = json_object();
        for (size_t j = 0; j < f.k; j++) {
                json_object_set_new(b, names[j], num(f.b[j]));
                json_object_set_new(se_ols, names[j], num(f.se_ols[j]));
                json_object_set_new(se_nw, names[j], num(f.se_nw[j]));
        }
        json_object_update_new(
            m->details,
            json_pack("{s:o, s:o, s:o, s:i, s:b, s:i, s:o, s:o, s:o, s:o, s:i}", "coefficients", b,
                      "se_ols", se_ols, "se_newey_west", se_nw, "lag", f.lag, "small_sample_factor",
                      q->small_sample, "df", f.df, "durbin_watson", num(f.dw), "effect_se",
                      num(f.effect_se), "effect_se_ols", num(f.effect_se_ols), "pre_mean",
                      num(f.pre_mean), "harmonics", o.harmonics));
        its_fit_release(&f);
out:
        free(idx);
        free(y);
        free(month);
}

struct sc_request {
        const unsigned char *exclude;
        size_t fit_from;
        const struct sc_predictor *predictors;
        size_t npredictors;
        const char *const *predictor_text; /* as given, for JSON */
};

/*
 * Synthetic control and DiD judge their fit on the periods before the change;
 * with one or two of them a perfect fit proves nothing, so, like the time
 * series (§3.1), they need at least ITS_MIN_SIDE.
 */
static int too_few(struct impact_method *m, const char *what, size_t n_pre, size_t n_post)
{
        m->n_pre = n_pre;
        m->n_post = n_post;
        if (n_pre >= ITS_MIN_SIDE && n_post >= 1)
                return 0;
        impact_method_warn(m,
                           "no estimate: %s needs at least %d periods before the change and 1 "
                           "after; there %s %zu before and %zu after",
                           what, ITS_MIN_SIDE, n_pre == 1 ? "is" : "are", n_pre, n_post);
        return 1;
}

static void run_sc(struct impact_report *r, const struct panel *p, size_t treated,
                   const struct sc_request *q)
{
        struct impact_method *m = &r->m[IMPACT_SC];
        struct sc_panel sp = {p->nunits, p->nperiods, p->y, p->nseries,
                              (const double *const *)p->series};
        struct sc_options o;
        sc_options_init(&o);
        o.fit_from = q->fit_from;
        o.exclude = q->exclude;
        o.drop_incomplete = 1;
        o.predictors = q->predictors;
        o.npredictors = q->npredictors;
        struct sc_result res;
        sc_result_init(&res);
        struct err e = {0};
        if (too_few(m, "synthetic control", r->first_post, p->nperiods - r->first_post))
                return;
        if (sc_fit(&sp, treated, r->first_post, &o, &res, &e) != 0) {
                impact_method_warn(m, "no estimate: %s", e.msg);
                sc_result_release(&res);
                return;
        }
        m->ran = 1;
        m->effect = res.att;
        m->pre_rmspe = res.pre_rmspe;
        m->post_rmspe = res.post_rmspe;
        m->loss = res.loss;
        m->poor_fit = res.poor_fit;
        if (res.placebos_run) {
                m->p_value = res.p_value;
                m->p_rank = res.p_rank;
                m->p_units = res.p_units;
        }
        if (res.ndropped)
                impact_method_warn(m,
                                   "%zu comparison unit%s left out for missing values in the "
                                   "periods the fit needs",
                                   res.ndropped, res.ndropped == 1 ? "" : "s");
        if (res.warning[0])
                impact_method_warn(m, "%s", res.warning);
        if (!res.converged)
                impact_method_warn(m, "the optimiser stopped at its iteration limit; the loss "
                                      "reported is the one reached");
        if (res.placebo_unconverged)
                impact_method_warn(m, "%zu placebo fit%s stopped at the iteration limit",
                                   res.placebo_unconverged,
                                   res.placebo_unconverged == 1 ? "" : "s");
        r->sc_gap = xmalloc(p->nperiods * sizeof *r->sc_gap);
        for (size_t t = 0; t < p->nperiods; t++) {
                double obs = p->y[treated * p->nperiods + t];
                r->sc_gap[t] = res.gap[t];
                if (isnan(res.synthetic[t]) || isnan(obs))
                        continue;
                m->row[t] = 1;
                m->counterfactual[t] = res.synthetic[t];
                if (t >= r->first_post)
                        m->effect_t[t] = res.gap[t];
        }
        if (res.placebos_run && res.ndonors) {
                r->placebo_gap = xmalloc(res.ndonors * p->nperiods * sizeof *r->placebo_gap);
                for (size_t i = 0; i < res.ndonors; i++) {
                        if (res.placebo_kept && !res.placebo_kept[i])
                                continue;
                        memcpy(r->placebo_gap + r->nplacebo * p->nperiods,
                               res.placebo_gap + i * p->nperiods,
                               p->nperiods * sizeof *r->placebo_gap);
                        r->nplacebo++;
                }
        }
        json_t *weights = json_object();
        for (size_t i = 0; i < res.ndonors; i++)
                if (res.weight[i] >= 0.0005)
                        json_object_set_new(weights, p->units[res.donor[i]], num(res.weight[i]));
        json_t *preds = json_array();
        for (size_t k = 0; k < res.npredictors; k++)
                json_array_append_new(preds, json_pack("{s:s, s:o, s:o, s:o}", "predictor",
                                                       q->predictor_text[k], "v", num(res.v[k]),
                                                       "treated", num(res.x_treated[k]),
                                                       "synthetic", num(res.x_synth[k])));
        json_object_update_new(
            m->details,
            json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:i, s:i, s:b}", "donors",
                      (json_int_t)res.ndonors, "dropped_for_missing", (json_int_t)res.ndropped,
                      "weights_informative", weights, "predictors", preds, "ratio", num(res.ratio),
                      "pre_ssr", num(res.pre_ssr), "inner_loss", num(res.inner_loss), "placebos",
                      (json_int_t)r->nplacebo, "p_rank", (json_int_t)res.p_rank, "p_units",
                      (json_int_t)res.p_units, "iterations", res.iterations, "evaluations",
                      res.evaluations, "converged", res.converged));
        sc_result_release(&res);
}

static void run_did(struct impact_report *r, const struct panel *p, size_t treated,
                    const unsigned char *exclude)
{
        struct impact_method *m = &r->m[IMPACT_DID];
        size_t P = p->nperiods;
        if (too_few(m, "difference in differences", r->first_post, P - r->first_post))
                return;
        struct did_obs *obs = xmalloc((p->nunits * P + 1) * sizeof *obs);
        double *control = xmalloc(P * sizeof *control);
        size_t n = 0;
        for (size_t t = 0; t < P; t++) {
                double sum = 0;
                size_t k = 0;
                for (size_t u = 0; u < p->nunits; u++) {
                        double v = p->y[u * P + t];
                        if ((exclude && exclude[u]) || isnan(v))
                                continue;
                        obs[n++] = (struct did_obs){u, u == treated, t >= r->first_post, v};
                        if (u != treated) {
                                sum += v;
                                k++;
                        }
                }
                control[t] = k ? sum / (double)k : NAN;
        }
        struct did_result d;
        struct err e = {0};
        if (did_estimate(obs, n, p->nunits, 0.95, &d, &e) != 0) {
                impact_method_warn(m, "no estimate: %s", e.msg);
                goto out;
        }
        m->ran = 1;
        m->effect = d.did;
        m->ci_low = d.ci_low;
        m->ci_high = d.ci_high;
        m->p_value = d.p_value;
        did_counterfactual(&d, control, P, m->counterfactual);
        double pre_sq = 0, post_sq = 0;
        size_t npre = 0, npost = 0;
        for (size_t t = 0; t < P; t++) {
                double y = p->y[treated * P + t];
                if (isnan(y) || isnan(m->counterfactual[t])) {
                        m->counterfactual[t] = NAN;
                        continue;
                }
                m->row[t] = 1;
                double g = y - m->counterfactual[t];
                if (t >= r->first_post) {
                        m->effect_t[t] = g;
                        post_sq += g * g;
                        npost++;
                } else {
                        pre_sq += g * g;
                        npre++;
                }
        }
        m->n_pre = npre;
        m->n_post = npost;
        m->pre_rmspe = npre ? sqrt(pre_sq / (double)npre) : NAN;
        m->post_rmspe = npost ? sqrt(post_sq / (double)npost) : NAN;
        m->loss = npre ? pre_sq / (double)npre : NAN;
        m->poor_fit = m->pre_rmspe > 0.10 * fabs(d.mean_pre_t);
        if (m->poor_fit)
                impact_method_warn(m,
                                   "the treated unit and the comparison units did not move in "
                                   "parallel before the change (pre-period RMSPE %.3g is more "
                                   "than 10%% of the pre-period mean %.3g)",
                                   m->pre_rmspe, d.mean_pre_t);
        for (size_t i = 0; i < d.n_warnings; i++)
                impact_method_warn(m, "%s", d.warnings[i]);
        json_object_update_new(m->details,
                               json_pack("{s:o, s:o, s:o, s:o, s:o, s:i, s:I, s:I, s:I}",
                                         "mean_pre_treated", num(d.mean_pre_t), "mean_post_treated",
                                         num(d.mean_post_t), "mean_pre_controls", num(d.mean_pre_c),
                                         "mean_post_controls", num(d.mean_post_c), "se_clustered",
                                         num(d.se), "df", d.df, "clusters", (json_int_t)d.clusters,
                                         "treated_units", (json_int_t)d.treated_units, "rows",
                                         (json_int_t)d.n));
        did_result_release(&d);
out:
        free(obs);
        free(control);
}

/* ---------------------------------------------------------------- options */

struct impact_args {
        const char *panel, *series, *unit, *time, *outcome, *treated, *start, *method, *fit_from;
        const char *la, *event, *date, *measure, *period, *donors;
        const char *format, *out, *lag;
        struct cli_list exclude, predictor;
        int keep_transition, seasonal, no_small_sample;
};

static int execute(const struct command *cmd, struct impact_args *a);

static int run(int argc, char **argv)
{
        struct impact_args a = {0};
        const struct cli_opt opts[] = {
            {"panel", 0, CLI_VALUE, &a.panel},
            {"series", 0, CLI_VALUE, &a.series},
            {"unit", 0, CLI_VALUE, &a.unit},
            {"time", 0, CLI_VALUE, &a.time},
            {"outcome", 0, CLI_VALUE, &a.outcome},
            {"treated", 0, CLI_VALUE, &a.treated},
            {"start", 0, CLI_VALUE, &a.start},
            {"method", 0, CLI_VALUE, &a.method},
            {"exclude", 0, CLI_MULTI, &a.exclude},
            {"predictor", 0, CLI_MULTI, &a.predictor},
            {"fit-from", 0, CLI_VALUE, &a.fit_from},
            {"la", 0, CLI_VALUE, &a.la},
            {"event", 0, CLI_VALUE, &a.event},
            {"date", 0, CLI_VALUE, &a.date},
            {"measure", 0, CLI_VALUE, &a.measure},
            {"period", 0, CLI_VALUE, &a.period},
            {"donors", 0, CLI_VALUE, &a.donors},
            {"keep-transition", 0, CLI_FLAG, &a.keep_transition},
            {"seasonal", 0, CLI_FLAG, &a.seasonal},
            {"lag", 0, CLI_VALUE, &a.lag},
            {"no-small-sample", 0, CLI_FLAG, &a.no_small_sample},
            {"format", 0, CLI_VALUE, &a.format},
            {"out", 0, CLI_VALUE, &a.out},
            {0},
        };
        int code;
        if (cli_parse(&command_impact, argc, argv, opts, NULL, &code))
                code = execute(&command_impact, &a);
        cli_list_release(&a.exclude);
        cli_list_release(&a.predictor);
        return code;
}

/* Which methods: bit i for method i. */
static int parse_methods(const struct command *cmd, const char *s, int *mask)
{
        if (!s || strcmp(s, "all") == 0)
                *mask = (1 << IMPACT_NMETHODS) - 1;
        else if (strcmp(s, "its") == 0)
                *mask = 1 << IMPACT_ITS;
        else if (strcmp(s, "sc") == 0)
                *mask = 1 << IMPACT_SC;
        else if (strcmp(s, "did") == 0)
                *mask = 1 << IMPACT_DID;
        else
                return cli_usage_error(cmd,
                                       "option '--method' must be its, sc, did or all, not "
                                       "'%s'",
                                       s);
        return 0;
}

struct event_match {
        char la[4];
};

static int event_found(void *ctx, const struct store_event *ev)
{
        struct event_match *m = ctx;
        snprintf(m->la, sizeof m->la, "%s", ev->la);
        return 0;
}

/* The store form: check everything it takes, then say why it cannot run yet. */
static int store_form(const struct command *cmd, const struct impact_args *a)
{
        const char *panel_only = a->unit          ? "unit"
                                 : a->time        ? "time"
                                 : a->outcome     ? "outcome"
                                 : a->treated     ? "treated"
                                 : a->start       ? "start"
                                 : a->fit_from    ? "fit-from"
                                 : a->exclude.n   ? "exclude"
                                 : a->predictor.n ? "predictor"
                                                  : NULL;
        if (panel_only)
                return cli_usage_error(
                    cmd, "option '--%s' belongs to the --panel form, not to --la", panel_only);
        if (cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        if (!a->event == !a->date)
                return cli_usage_error(cmd, "with --la give either --event ID or --date "
                                            "YYYY-MM-DD (one of them)");
        long id = 0;
        if (a->event && cli_int(cmd, "event", a->event, 1, 2147483647L, &id))
                return EXIT_USAGE;
        date_t d;
        if (a->date && date_parse_iso(a->date, strlen(a->date), &d) != 0)
                return cli_usage_error(cmd,
                                       "option '--date' needs a real date as YYYY-MM-DD, not "
                                       "'%s'",
                                       a->date);
        if (!a->measure)
                return cli_usage_error(cmd, "with --la say which measure: --measure ID");
        if (!measure_find(a->measure))
                return cli_usage_error(cmd,
                                       "--measure '%s' is not in the measure catalogue; expected "
                                       "an id such as rereferrals_12m_pct",
                                       a->measure);
        if (a->period && strcmp(a->period, "year") != 0 && strcmp(a->period, "month") != 0)
                return cli_usage_error(cmd, "option '--period' must be year or month, not '%s'",
                                       a->period);
        if (a->donors && strcmp(a->donors, "all") != 0 && strcmp(a->donors, "neighbours") != 0 &&
            strcmp(a->donors, "region") != 0)
                return cli_usage_error(cmd,
                                       "option '--donors' must be all, neighbours or region, not "
                                       "'%s'",
                                       a->donors);
        if (a->event) {
                struct err e = {0};
                struct store *s = store_open(cli.db, 0, &e);
                if (!s)
                        return cli_report(&e);
                struct event_match m = {{0}};
                int found = store_event_get(s, id, event_found, &m, &e);
                store_close(s);
                if (found < 0)
                        return cli_report(&e);
                if (!found)
                        return cli_usage_error(cmd,
                                               "no event %ld in the change register (see improve "
                                               "event list)",
                                               id);
                if (strcmp(m.la, a->la) != 0)
                        return cli_usage_error(cmd, "event %ld is a change in authority %s, not %s",
                                               id, m.la, a->la);
        }
        return cli_usage_error(cmd, "measure series not yet available in the store (issue 5); "
                                    "use --panel or --series");
}

/* Write the finished output to stdout or to --out. */
static int deliver(const struct buf *b, const char *out_path)
{
        if (!out_path) {
                fwrite(b->data, 1, b->len, stdout);
                return EXIT_OK;
        }
        struct err e = {0};
        FILE *f = fopen(out_path, "wb");
        if (!f) {
                err_at(&e, out_path, 0, "cannot write: %s", strerror(errno));
                return cli_report(&e);
        }
        size_t w = fwrite(b->data, 1, b->len, f);
        int bad = w != b->len || ferror(f);
        if (fclose(f) != 0 || bad) {
                err_at(&e, out_path, 0, "cannot write: %s", strerror(errno));
                return cli_report(&e);
        }
        cli_verbose("wrote %s", out_path);
        return EXIT_OK;
}

/* A time value given to an option, of the panel's kind. */
static int option_time(const struct command *cmd, const char *flag, const char *text,
                       const struct panel *p, double *key)
{
        enum time_kind kind;
        if (parse_time(text, strlen(text), &kind, key) != 0)
                return cli_usage_error(cmd,
                                       "option '--%s' needs a period: a number such as 1989 or "
                                       "an ISO date such as 2021-04-01, not '%s'",
                                       flag, text);
        if (kind != p->kind)
                return cli_usage_error(cmd, "option '--%s': '%s' is a %s but %s has %ss", flag,
                                       text, kind == TIME_DATE ? "date" : "number", p->path,
                                       p->kind == TIME_DATE ? "date" : "number");
        return 0;
}

/* COL:FROM-TO (or COL:T).  Splits at the last ':' and at the first '-' that leaves two times. */
static int split_predictor(const char *text, char **col, char **from, char **to)
{
        const char *colon = strrchr(text, ':');
        if (!colon || colon == text || !colon[1])
                return -1;
        const char *range = colon + 1;
        size_t n = strlen(range);
        enum time_kind k;
        double key;
        for (size_t i = 1; i + 1 < n; i++) {
                if (range[i] != '-')
                        continue;
                if (parse_time(range, i, &k, &key) == 0 &&
                    parse_time(range + i + 1, n - i - 1, &k, &key) == 0) {
                        *col = xstrndup(text, (size_t)(colon - text));
                        *from = xstrndup(range, i);
                        *to = xstrdup(range + i + 1);
                        return 0;
                }
        }
        if (parse_time(range, n, &k, &key) != 0)
                return -1;
        *col = xstrndup(text, (size_t)(colon - text));
        *from = xstrdup(range);
        *to = xstrdup(range);
        return 0;
}

struct predictor_spec {
        char *col, *from, *to;
};

static void predictor_specs_free(struct predictor_spec *ps, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(ps[i].col);
                free(ps[i].from);
                free(ps[i].to);
        }
        free(ps);
}

static int check_file_options(const struct command *cmd, const struct impact_args *a, int mask)
{
        const char *store_only = a->event             ? "event"
                                 : a->date            ? "date"
                                 : a->measure         ? "measure"
                                 : a->period          ? "period"
                                 : a->donors          ? "donors"
                                 : a->keep_transition ? "keep-transition"
                                                      : NULL;
        if (store_only)
                return cli_usage_error(cmd, "option '--%s' belongs to the --la form, not to --%s",
                                       store_only, a->panel ? "panel" : "series");
        if (!a->start)
                return cli_usage_error(cmd, "say when the change started: --start T (the first "
                                            "period after the change)");
        if (a->series) {
                const char *panel_only = a->unit          ? "unit"
                                         : a->time        ? "time"
                                         : a->outcome     ? "outcome"
                                         : a->treated     ? "treated"
                                         : a->exclude.n   ? "exclude"
                                         : a->predictor.n ? "predictor"
                                         : a->fit_from    ? "fit-from"
                                                          : NULL;
                if (panel_only)
                        return cli_usage_error(cmd, "option '--%s' needs --panel, not --series",
                                               panel_only);
                if (a->method && strcmp(a->method, "its") != 0 && strcmp(a->method, "all") != 0)
                        return cli_usage_error(cmd, "--series holds one series: interrupted "
                                                    "time series only (--method its)");
        } else {
                const char *missing = !a->unit      ? "unit"
                                      : !a->time    ? "time"
                                      : !a->outcome ? "outcome"
                                      : !a->treated ? "treated"
                                                    : NULL;
                if (missing)
                        return cli_usage_error(cmd, "--panel needs --%s", missing);
        }
        if (!(mask & (1 << IMPACT_SC)) && (a->predictor.n || a->fit_from))
                return cli_usage_error(cmd, "option '--%s' applies to synthetic control only",
                                       a->predictor.n ? "predictor" : "fit-from");
        if (!(mask & (1 << IMPACT_ITS)) && (a->seasonal || a->lag || a->no_small_sample))
                return cli_usage_error(cmd, "option '--%s' applies to interrupted time series only",
                                       a->seasonal ? "seasonal"
                                       : a->lag    ? "lag"
                                                   : "no-small-sample");
        return 0;
}

static size_t find_unit(const struct panel *p, const char *name)
{
        for (size_t u = 0; u < p->nunits; u++)
                if (strcmp(p->units[u], name) == 0)
                        return u;
        return p->nunits;
}

static int execute(const struct command *cmd, struct impact_args *a)
{
        int forms = !!a->panel + !!a->series + !!a->la;
        if (forms == 0)
                return cli_usage_error(cmd, "say what to evaluate: --panel FILE, --series FILE or "
                                            "--la CODE");
        if (forms > 1)
                return cli_usage_error(cmd, "use one of --panel, --series and --la");
        int mask = 0;
        if (parse_methods(cmd, a->method, &mask))
                return EXIT_USAGE;
        enum impact_format fmt = IMPACT_TEXT;
        if (a->format && impact_format_parse(a->format, &fmt) != 0)
                return cli_usage_error(cmd,
                                       "option '--format' must be text, csv, json or svg, not "
                                       "'%s'",
                                       a->format);
        long lag = -1;
        if (a->lag && cli_int(cmd, "lag", a->lag, 0, 1000, &lag))
                return EXIT_USAGE;
        if (a->la)
                return store_form(cmd, a);
        if (check_file_options(cmd, a, mask))
                return EXIT_USAGE;
        if (a->series)
                mask = 1 << IMPACT_ITS;

        /* Predictor columns are read with the panel, so split them first. */
        size_t np = a->predictor.n;
        struct predictor_spec *ps = xcalloc(np + 1, sizeof *ps);
        const char **cols = xcalloc(np + 1, sizeof *cols);
        size_t ncols = 0;
        int code = EXIT_OK;
        for (size_t i = 0; i < np; i++) {
                if (split_predictor(a->predictor.v[i], &ps[i].col, &ps[i].from, &ps[i].to) != 0) {
                        code = cli_usage_error(cmd,
                                               "--predictor '%s': expected COL:FROM-TO (or COL:T) "
                                               "with periods such as 1980-1988",
                                               a->predictor.v[i]);
                        predictor_specs_free(ps, np);
                        free(cols);
                        return code;
                }
                int seen = strcasecmp(ps[i].col, a->outcome) == 0;
                for (size_t j = 0; j < ncols && !seen; j++)
                        seen = strcasecmp(cols[j], ps[i].col) == 0;
                if (!seen)
                        cols[ncols++] = ps[i].col;
        }

        struct reader rd = {a->panel ? a->panel : a->series,
                            a->panel ? a->unit : NULL,
                            a->panel ? a->time : "period",
                            a->panel ? a->outcome : "value",
                            cols,
                            ncols};
        struct panel p;
        struct err e = {0};
        struct impact_report r = {0};
        struct sc_predictor *preds = NULL;
        unsigned char *exclude = NULL;
        int *month = NULL;
        struct buf b;
        buf_init(&b);
        if (read_panel(&rd, &p, &e) != 0) {
                code = cli_report(&e);
                predictor_specs_free(ps, np);
                free(cols);
                buf_release(&b);
                return code;
        }
        size_t treated = 0;
        if (a->panel) {
                treated = find_unit(&p, a->treated);
                if (treated == p.nunits) {
                        code = cli_usage_error(cmd, "--treated '%s': no such unit in %s",
                                               a->treated, p.path);
                        goto out;
                }
        }
        exclude = xcalloc(p.nunits, 1);
        for (size_t i = 0; i < a->exclude.n; i++) {
                size_t u = find_unit(&p, a->exclude.v[i]);
                if (u == p.nunits) {
                        code = cli_usage_error(cmd, "--exclude '%s': no such unit in %s",
                                               a->exclude.v[i], p.path);
                        goto out;
                }
                if (u == treated) {
                        code = cli_usage_error(cmd, "--exclude '%s' is the treated unit",
                                               a->exclude.v[i]);
                        goto out;
                }
                exclude[u] = 1;
        }
        double start;
        if (option_time(cmd, "start", a->start, &p, &start)) {
                code = EXIT_USAGE;
                goto out;
        }
        size_t first_post = find_key(&p, start);
        size_t fit_from = 0;
        if (a->fit_from) {
                double ff;
                if (option_time(cmd, "fit-from", a->fit_from, &p, &ff)) {
                        code = EXIT_USAGE;
                        goto out;
                }
                fit_from = find_key(&p, ff);
                if (fit_from >= first_post) {
                        code = cli_usage_error(cmd, "--fit-from %s is not before --start %s",
                                               a->fit_from, a->start);
                        goto out;
                }
        }
        preds = xcalloc(np + 1, sizeof *preds);
        for (size_t i = 0; i < np; i++) {
                double from, to;
                if (option_time(cmd, "predictor", ps[i].from, &p, &from) ||
                    option_time(cmd, "predictor", ps[i].to, &p, &to)) {
                        code = EXIT_USAGE;
                        goto out;
                }
                size_t lo = find_key(&p, from), hi = find_key(&p, to);
                if (hi == p.nperiods || p.keys[hi] > to)
                        hi = hi ? hi - 1 : p.nperiods;
                if (from > to || lo >= p.nperiods || hi == p.nperiods || lo > hi) {
                        code = cli_usage_error(cmd,
                                               "--predictor '%s': no periods of %s between "
                                               "%s and %s",
                                               a->predictor.v[i], p.path, ps[i].from, ps[i].to);
                        goto out;
                }
                preds[i].series = SC_OUTCOME;
                for (size_t s = 0; s < p.nseries; s++)
                        if (strcasecmp(p.series_cols[s], ps[i].col) == 0)
                                preds[i].series = (int)s;
                preds[i].from = lo;
                preds[i].to = hi;
        }
        struct its_request iq = {a->seasonal, NULL, lag, !a->no_small_sample};
        if (a->seasonal) {
                month = xmalloc(p.nperiods * sizeof *month);
                int monthly = p.kind == TIME_DATE;
                for (size_t t = 0; monthly && t < p.nperiods; t++) {
                        long mi = month_index(p.keys[t], &month[t]);
                        if (t > 0 && mi != month_index(p.keys[t - 1], NULL) + 1)
                                monthly = 0;
                }
                if (!monthly) {
                        code = cli_usage_error(cmd, "--seasonal needs a monthly series: ISO-dated "
                                                    "periods one month apart");
                        goto out;
                }
                iq.month = month;
        }

        r.source = p.path;
        r.treated = a->panel ? p.units[treated] : NULL;
        r.outcome = rd.outcome_col;
        r.start = a->start;
        r.nperiods = p.nperiods;
        r.labels = p.labels;
        r.first_post = first_post;
        r.nunits = p.nunits;
        r.observed = p.y + treated * p.nperiods;
        double big = 0;
        for (size_t t = 0; t < p.nperiods; t++)
                if (isfinite(r.observed[t]))
                        big = fmax(big, fabs(r.observed[t]));
        r.decimals = big > 0 ? 3 - (int)floor(log10(big)) : 2;
        r.decimals = r.decimals < 0 ? 0 : r.decimals > 6 ? 6 : r.decimals;
        if (first_post == 0)
                impact_report_warn(&r,
                                   "--start %s is at or before the first period: there is "
                                   "nothing before the change",
                                   a->start);
        else if (first_post == p.nperiods)
                impact_report_warn(&r,
                                   "--start %s is after the last period: there is nothing "
                                   "after the change",
                                   a->start);
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                method_init(&r.m[i], (enum impact_method_id)i, p.nperiods);
                r.m[i].requested = (mask >> i) & 1;
                r.m[i].available = 1;
        }
        if (r.m[IMPACT_ITS].requested)
                run_its(&r, &p, treated, &iq);
        if (r.m[IMPACT_SC].requested) {
                const char **text = xcalloc(np + 1, sizeof *text);
                for (size_t i = 0; i < np; i++)
                        text[i] = a->predictor.v[i];
                struct sc_request sq = {exclude, fit_from, preds, np, text};
                run_sc(&r, &p, treated, &sq);
                free(text);
        }
        if (r.m[IMPACT_DID].requested)
                run_did(&r, &p, treated, exclude);

        impact_output(&b, fmt, &r);
        if (fmt == IMPACT_CSV || fmt == IMPACT_SVG) {
                for (size_t k = 0; k < r.n_warnings; k++)
                        cli_warn("%s", r.warnings[k]);
                for (int i = 0; i < IMPACT_NMETHODS; i++)
                        for (size_t k = 0; r.m[i].requested && k < r.m[i].n_warnings; k++)
                                cli_warn("%s: %s", impact_method_name((enum impact_method_id)i),
                                         r.m[i].warnings[k]);
        }
        code = deliver(&b, a->out);
out:
        impact_report_release(&r);
        panel_release(&p);
        predictor_specs_free(ps, np);
        free(cols);
        free(preds);
        free(exclude);
        free(month);
        buf_release(&b);
        return code;
}
