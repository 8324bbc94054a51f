/*
 * spc.c — `improve spc`: an XmR (Making Data Count) or run chart of one series.
 *
 * The series comes from a CSV file (`--input`, columns `period,value`) or from
 * the store (`--la CODE --measure ID`): the measure's discrete monthly values
 * (measures.md §0.2, never the rolling ones; spc_series.c), with the
 * improvement direction taken from the measure's polarity and the target from
 * `improve target set` unless the options say otherwise.  The statistics are
 * in src/stats/spc.c and runchart.c; this file reads the input, checks the
 * options, and writes text, CSV, JSON or SVG (spc_output.c).  Output is built in memory and written
 * in one go, so a failed run never leaves half a file behind at --out.
 */
#include "cmd/cli.h"
#include "cmd/spc_output.h"
#include "cmd/spc_series.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "stats/runchart.h"
#include "stats/spc.h"
#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_spc = {
    .name = "spc",
    .run = run,
    .summary = "Signal or noise: an XmR (SPC) or run chart of a series.",
    .usage = "improve spc [--db PATH] (--la CODE --measure ID | --input FILE) [--chart xmr|run]\n"
             "       [--improvement increase|decrease|neutral] [--target X] [--rebase PERIOD]...\n"
             "       [--fix-after N] [--no-screen] [--format text|csv|json|svg] [--out FILE]",
    .help = "Draws a statistical process control chart and says which points are signals\n"
            "and which are noise.\n"
            "\n"
            "XmR charts (the default) follow NHS England's \"Making Data Count\": the mean,\n"
            "process limits at mean +/- 2.66 x the average moving range, and four rules for\n"
            "special cause variation: a point outside the limits; a trend of 7 points rising\n"
            "or falling; 2 of 3 points near a limit on the same side; 7 points on one side\n"
            "of the mean.  A point takes the label of the first rule that fires, in that\n"
            "order.  Moving ranges of 3.267 x their average or more are screened out before\n"
            "the limits are worked out (once).  The chart's variation icon comes from the\n"
            "last point; with --target, the assurance icon compares the target with the\n"
            "last group's limits.  Groups of fewer than 13 points have trial limits.\n"
            "Missing values (possible in store series, not in --input files) are left out\n"
            "of the limits, and runs, trends and windows are not joined across them.\n"
            "\n"
            "Run charts use the median and the Anhøj rules: a signal when the longest run\n"
            "on one side of the median is longer than round(log2 n) + 3, or there are fewer\n"
            "crossings than the 5th percentile of Binomial(n - 1, 0.5), where n counts the\n"
            "points not on the median.\n"
            "\n"
            "Options:\n"
            "  --input FILE        a CSV file with a header naming `period` and `value`\n"
            "                      columns (others are ignored); one row per period in time\n"
            "                      order; every value must be a number\n"
            "  --la CODE --measure ID\n"
            "                      a measure's discrete monthly series from the database\n"
            "                      (the values `improve measures --period month` shows; never\n"
            "                      the rolling ones).  A month the database lacks between\n"
            "                      the first and the last is a missing value, and so is\n"
            "                      one counted without the earlier returns its look-back\n"
            "                      needs (biased, e.g. re-referrals in a first year)\n"
            "  --chart xmr|run     the kind of chart (default xmr)\n"
            "  --improvement increase|decrease|neutral\n"
            "                      which direction is better (xmr only; default increase, or\n"
            "                      for a measure its polarity: higher_better is increase,\n"
            "                      lower_better decrease, neutral neutral)\n"
            "  --target X          a target for the assurance icon (xmr only; for a measure,\n"
            "                      default the one set with `improve target set`)\n"
            "  --rebase PERIOD     start new limits (xmr) or a new part with its own median\n"
            "                      (run) at this period; repeatable; the period must exist\n"
            "  --fix-after N       work out the limits (or median) from the first N points of\n"
            "                      each group only (xmr: N >= 12)\n"
            "  --no-screen         keep every moving range, as the Making Data Count Excel\n"
            "                      tools do (xmr only)\n"
            "  --format FORMAT     text (default), csv, json or svg\n"
            "  --out FILE          write to FILE instead of standard output\n"
            "\n"
            "CSV columns, one row per point: period,value,centre,lpl,upl,near_lpl,near_upl,\n"
            "outside,trend,two_in_three,shift,point_type (xmr), or period,value,centre,\n"
            "longest_run,longest_run_max,crossings,crossings_min,signal (run).  The four\n"
            "rule columns are the raw flags (several may be 1); point_type applies the\n"
            "precedence.  Warnings go to standard error for csv and svg, and into the\n"
            "summary for text and json.\n"
            "\n"
            "Exit status: 0 chart written; 2 usage error (including a --rebase period that\n"
            "is not in the series, or an authority or measure with no monthly series in the\n"
            "database); 3 unreadable or malformed input, or --out not writable; 4 store\n"
            "failure.\n"
            "\n"
            "Examples:\n"
            "  improve spc --la 202 --measure referrals_rate_per_10k --format svg --out r.svg\n"
            "  improve spc --input referrals.csv --improvement decrease\n"
            "  improve spc --input cla.csv --rebase 2023-04 --format svg --out cla.svg\n"
            "  improve spc --input timeliness.csv --chart run --format csv\n",
};

struct series {
        char **periods;
        double *y;
        long *lines;
        size_t n, cap;
};

static void series_release(struct series *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->periods[i]);
        free(s->periods);
        free(s->y);
        free(s->lines);
}

static void trim(const char **p, size_t *n)
{
        while (*n > 0 && (**p == ' ' || **p == '\t')) {
                (*p)++;
                (*n)--;
        }
        while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
                (*n)--;
}

/* A plain decimal number: digits, sign, point, exponent; nothing else (no hex, inf, nan). */
static int parse_value(const char *p, size_t n, double *out)
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

static int find_column(const struct csv_record *h, const char *name, const char *path, size_t *col,
                       struct err *e)
{
        int found = 0;
        for (size_t i = 0; i < h->count; i++) {
                struct csv_field f = h->fields[i];
                trim(&f.ptr, &f.len);
                if (!csv_field_eq_nocase(&f, name))
                        continue;
                if (found)
                        return err_at(e, path, h->line,
                                      "two '%s' columns in the header; expected one", name);
                *col = i;
                found = 1;
        }
        if (!found)
                return err_at(e, path, h->line,
                              "no '%s' column in the header; expected a header naming the "
                              "columns period,value",
                              name);
        return 0;
}

static int by_period(const void *a, const void *b, void *ctx)
{
        const struct series *s = ctx;
        size_t i = *(const size_t *)a, j = *(const size_t *)b;
        int c = strcmp(s->periods[i], s->periods[j]);
        return c ? c : (i > j) - (i < j);
}

/* Duplicate periods are an input error; report the first repeat in file order. */
static int check_duplicates(const struct series *s, const char *path, struct err *e)
{
        if (s->n < 2)
                return 0;
        size_t *idx = xmalloc(s->n * sizeof *idx);
        for (size_t i = 0; i < s->n; i++)
                idx[i] = i;
        qsort_r(idx, s->n, sizeof *idx, by_period, (void *)s);
        size_t worst = s->n, first = 0;
        for (size_t k = 1; k < s->n; k++) {
                if (strcmp(s->periods[idx[k]], s->periods[idx[k - 1]]) == 0 && idx[k] < worst) {
                        worst = idx[k];
                        first = idx[k - 1];
                }
        }
        free(idx);
        if (worst == s->n)
                return 0;
        return err_at(e, path, s->lines[worst],
                      "period '%s' appears again (first on line %ld); expected each period once",
                      s->periods[worst], s->lines[first]);
}

static int read_series(const char *path, struct series *s, struct err *e)
{
        struct csv_reader *r = csv_open_file(path, e);
        if (!r)
                return -1;
        struct csv_record rec;
        int rc = csv_read(r, &rec, e);
        if (rc == 0)
                rc = err_at(e, path, 0, "the file is empty; expected a header line period,value");
        size_t pcol = 0, vcol = 0;
        if (rc > 0 && (find_column(&rec, "period", path, &pcol, e) ||
                       find_column(&rec, "value", path, &vcol, e)))
                rc = -1;
        if (rc > 0)
                csv_set_width(r, rec.count);
        while (rc > 0 && (rc = csv_read(r, &rec, e)) > 0) {
                struct csv_field pf = rec.fields[pcol], vf = rec.fields[vcol];
                trim(&pf.ptr, &pf.len);
                trim(&vf.ptr, &vf.len);
                if (pf.len == 0) {
                        rc = err_at(e, path, rec.line,
                                    "blank period; expected a label such as 2024-03-31");
                        break;
                }
                double v;
                if (vf.len == 0) {
                        rc = err_at(e, path, rec.line,
                                    "blank value for period '%.*s'; expected a number "
                                    "(a --input file cannot have missing values)",
                                    (int)pf.len, pf.ptr);
                        break;
                }
                if (parse_value(vf.ptr, vf.len, &v) != 0) {
                        rc = err_at(e, path, rec.line,
                                    "value '%.*s' is not a number; expected a decimal number "
                                    "such as 12.5",
                                    (int)(vf.len > 40 ? 40 : vf.len), vf.ptr);
                        break;
                }
                if (s->n == s->cap) {
                        size_t cap = s->cap;
                        s->periods = xgrow(s->periods, &cap, s->n + 1, sizeof *s->periods);
                        cap = s->cap;
                        s->lines = xgrow(s->lines, &cap, s->n + 1, sizeof *s->lines);
                        s->y = xgrow(s->y, &s->cap, s->n + 1, sizeof *s->y);
                }
                s->periods[s->n] = xstrndup(pf.ptr, pf.len);
                s->lines[s->n] = rec.line;
                s->y[s->n++] = v;
        }
        csv_free(r);
        if (rc < 0)
                return -1;
        if (s->n == 0)
                return err_at(e, path, 0,
                              "no data rows after the header; expected one row per "
                              "period");
        return check_duplicates(s, path, e);
}

struct spc_args {
        const char *la, *measure, *input, *chart, *improvement, *target, *fix_after, *format, *out;
        struct cli_list rebase;
        int no_screen;
};

static int execute(const struct command *cmd, const struct spc_args *a);

static int run(int argc, char **argv)
{
        struct spc_args a = {0};
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &a.la},
            {"measure", 0, CLI_VALUE, &a.measure},
            {"input", 0, CLI_VALUE, &a.input},
            {"chart", 0, CLI_VALUE, &a.chart},
            {"improvement", 0, CLI_VALUE, &a.improvement},
            {"target", 0, CLI_VALUE, &a.target},
            {"rebase", 0, CLI_MULTI, &a.rebase},
            {"fix-after", 0, CLI_VALUE, &a.fix_after},
            {"no-screen", 0, CLI_FLAG, &a.no_screen},
            {"format", 0, CLI_VALUE, &a.format},
            {"out", 0, CLI_VALUE, &a.out},
            {0},
        };
        int code;
        if (cli_parse(&command_spc, argc, argv, opts, NULL, &code))
                code = execute(&command_spc, &a);
        cli_list_release(&a.rebase);
        return code;
}

/* "a, b, c" of up to `max` names, then "and N more". */
static void list_names(struct buf *b, const char *const *names, size_t n, size_t max)
{
        for (size_t i = 0; i < n && i < max; i++)
                buf_printf(b, "%s%s", i ? ", " : "", names[i]);
        if (n > max)
                buf_printf(b, " and %zu more", n - max);
        if (n == 0)
                buf_printf(b, "none");
}

/* The catalogue's measures that have a discrete monthly series. */
static void monthly_catalogue(struct buf *b)
{
        size_t n = 0, nc = measure_count();
        const char **ids = xmalloc((nc + 1) * sizeof *ids);
        for (size_t i = 0; i < nc; i++)
                if (measure_at(i)->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH))
                        ids[n++] = measure_at(i)->id;
        list_names(b, ids, n, nc);
        free(ids);
}

struct la_codes {
        const char **v;
        char (*codes)[4];
        size_t n;
};

static int add_code(void *ctx, const struct store_authority *au)
{
        struct la_codes *l = ctx;
        l->codes = xrealloc(l->codes, (l->n + 1) * sizeof *l->codes);
        memcpy(l->codes[l->n++], au->code, 4);
        return 0;
}

/* What a store-backed chart takes from the store besides the values. */
struct store_series_info {
        char *name;
        size_t n_lookback;
        enum spc_direction direction;
        int has_target;
        double target;
};

/*
 * Read the monthly series of --measure for --la into s.  Returns 0, or an
 * exit code after saying what is wrong and what exists instead.
 */
static int read_measure(const struct command *cmd, const struct spc_args *a, struct series *s,
                        struct store_series_info *ms)
{
        if (!a->la || !a->measure)
                return cli_usage_error(cmd, "a measure's series needs both --la CODE and "
                                            "--measure ID");
        if (cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        const struct measure_def *m = measure_find(a->measure);
        if (!m || !(m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH))) {
                struct buf b;
                buf_init(&b);
                monthly_catalogue(&b);
                int code = cli_usage_error(cmd,
                                           m ? "--measure %s has no monthly values (annual only), "
                                               "so no SPC series; measures with one: %s"
                                             : "--measure %s is not in the catalogue; measures "
                                               "with a monthly series: %s",
                                           a->measure, b.data);
                buf_release(&b);
                return code;
        }
        struct err e = {0};
        struct store *st = store_open(cli.db, 0, &e);
        if (!st)
                return cli_report(&e);
        int code = 0;
        char pool[1024];
        struct store_authority au;
        struct spc_series_set set = {0}, all = {0};
        int known = store_authority_get(st, a->la, &au, pool, sizeof pool, &e);
        if (known < 0) {
                code = cli_report(&e);
        } else if (!known) {
                struct la_codes l = {0};
                if (store_authority_each(st, add_code, &l, &e) == 0) {
                        l.v = xmalloc((l.n + 1) * sizeof *l.v);
                        for (size_t i = 0; i < l.n; i++)
                                l.v[i] = l.codes[i];
                        struct buf b;
                        buf_init(&b);
                        list_names(&b, l.v, l.n, 20);
                        code = cli_usage_error(cmd,
                                               "authority %s is not in the database %s; "
                                               "authorities there: %s",
                                               a->la, cli.db, b.data);
                        buf_release(&b);
                } else {
                        code = cli_report(&e);
                }
                free(l.v);
                free(l.codes);
        } else if (spc_series_read(st, a->la, a->measure, &set, &e) != 0) {
                code = cli_report(&e);
        } else if (set.n == 0 || set.v[0].n_values == 0) {
                if (spc_series_read(st, a->la, NULL, &all, &e) != 0) {
                        code = cli_report(&e);
                } else {
                        const char **ids = xmalloc((all.n + 1) * sizeof *ids);
                        size_t k = 0;
                        for (size_t i = 0; i < all.n; i++)
                                if (all.v[i].n_values)
                                        ids[k++] = all.v[i].m->id;
                        struct buf b;
                        buf_init(&b);
                        list_names(&b, ids, k, all.n);
                        code = cli_usage_error(cmd,
                                               "no monthly values of %s for %s in %s (import its "
                                               "returns: improve import); measures with a "
                                               "monthly series for %s: %s",
                                               a->measure, a->la, cli.db, a->la, b.data);
                        buf_release(&b);
                        free(ids);
                }
        } else {
                const struct spc_series *sr = &set.v[0];
                s->periods = xmalloc(sr->n * sizeof *s->periods);
                s->lines = xcalloc(sr->n, sizeof *s->lines);
                s->y = xmalloc(sr->n * sizeof *s->y);
                for (size_t i = 0; i < sr->n; i++) {
                        s->periods[i] = xstrdup(sr->periods[i]);
                        s->y[i] = sr->y[i];
                }
                s->n = s->cap = sr->n;
                ms->direction = spc_series_direction(m);
                ms->n_lookback = sr->n_lookback;
                struct buf b;
                buf_init(&b);
                buf_printf(&b, "%s %s, %s (monthly)", au.code, au.name, m->id);
                ms->name = buf_detach(&b, NULL);
                buf_release(&b);
                if (!a->target) {
                        int has = store_target_get(st, a->la, m->id, &ms->target, &e);
                        if (has < 0)
                                code = cli_report(&e);
                        ms->has_target = has > 0;
                }
        }
        spc_series_set_release(&set);
        spc_series_set_release(&all);
        store_close(st);
        return code;
}

/* Check the options that need no input, then read the series and draw the chart. */
static int execute(const struct command *cmd, const struct spc_args *a)
{
        if ((a->la || a->measure) && a->input)
                return cli_usage_error(cmd, "use either --input or --la with --measure, not both");
        int from_store = a->la || a->measure;
        if (!from_store && !a->input)
                return cli_usage_error(cmd, "say which series: --input FILE (or --la CODE "
                                            "--measure ID)");
        int is_run;
        if (!a->chart || strcmp(a->chart, "xmr") == 0)
                is_run = 0;
        else if (strcmp(a->chart, "run") == 0)
                is_run = 1;
        else
                return cli_usage_error(cmd, "option '--chart' must be xmr or run, not '%s'",
                                       a->chart);
        enum spc_format fmt;
        if (spc_format_parse(a->format ? a->format : "text", &fmt) != 0)
                return cli_usage_error(cmd,
                                       "option '--format' must be text, csv, json or svg, not "
                                       "'%s'",
                                       a->format);
        if (is_run && (a->improvement || a->target || a->no_screen))
                return cli_usage_error(cmd, "option '--%s' applies to xmr charts only",
                                       a->improvement ? "improvement"
                                       : a->target    ? "target"
                                                      : "no-screen");
        struct spc_options so;
        spc_options_init(&so);
        if (a->improvement && spc_direction_parse(a->improvement, &so.direction) != 0)
                return cli_usage_error(cmd,
                                       "option '--improvement' must be increase, decrease or "
                                       "neutral, not '%s'",
                                       a->improvement);
        if (a->target) {
                if (cli_double(cmd, "target", a->target, -HUGE_VAL, HUGE_VAL, &so.target))
                        return EXIT_USAGE;
                so.has_target = 1;
        }
        long fix = 0;
        if (a->fix_after && cli_int(cmd, "fix-after", a->fix_after, is_run ? 1 : SPC_MIN_FIX_AFTER,
                                    1000000000L, &fix))
                return EXIT_USAGE;
        so.fix_after = (size_t)fix;
        so.screen = !a->no_screen;

        struct series s = {0};
        struct err e = {0};
        struct store_series_info ms = {0};
        const char *name = a->input;
        if (from_store) {
                int code = read_measure(cmd, a, &s, &ms);
                if (code) {
                        series_release(&s);
                        free(ms.name);
                        return code;
                }
                name = ms.name;
                if (ms.n_lookback)
                        cli_warn("%zu month%s counted without the earlier returns the "
                                 "look-back needs %s left out as missing values",
                                 ms.n_lookback, ms.n_lookback == 1 ? "" : "s",
                                 ms.n_lookback == 1 ? "is" : "are");
                if (!a->improvement)
                        so.direction = ms.direction;
                if (!a->target && ms.has_target && !is_run) {
                        so.has_target = 1;
                        so.target = ms.target;
                }
        } else if (read_series(a->input, &s, &e) != 0) {
                series_release(&s);
                return cli_report(&e);
        }
        const char *const *periods = (const char *const *)s.periods;
        size_t *at = xmalloc((a->rebase.n ? a->rebase.n : 1) * sizeof *at);
        for (size_t i = 0; i < a->rebase.n; i++) {
                long k = spc_find_period(periods, s.n, a->rebase.v[i]);
                if (k < 0) {
                        free(at);
                        series_release(&s);
                        int code = cli_usage_error(cmd, "--rebase '%s': no such period in %s",
                                                   a->rebase.v[i], name);
                        free(ms.name);
                        return code;
                }
                at[i] = (size_t)k;
        }

        struct buf b;
        buf_init(&b);
        const struct spc_source src = {name, periods, s.y, s.n};
        /* Text and JSON carry the warnings in their summary; CSV and SVG have no place
         * for them, so they go to standard error. */
        int warn_on_stderr = fmt == SPC_FORMAT_CSV || fmt == SPC_FORMAT_SVG;
        int rc;
        if (is_run) {
                struct runchart_options ro;
                runchart_options_init(&ro);
                ro.fix_after = so.fix_after;
                ro.breaks = at;
                ro.n_breaks = a->rebase.n;
                ro.periods = periods;
                struct runchart rcht;
                rc = runchart_compute(s.y, s.n, &ro, &rcht, &e);
                if (rc == 0)
                        spc_output_run(&b, fmt, &src, &rcht);
                for (size_t i = 0; warn_on_stderr && i < rcht.n_warnings; i++)
                        cli_warn("%s", rcht.warnings[i]);
                runchart_release(&rcht);
        } else {
                so.rebase = at;
                so.n_rebase = a->rebase.n;
                so.periods = periods;
                struct spc_chart c;
                rc = spc_xmr(s.y, s.n, &so, &c, &e);
                if (rc == 0)
                        spc_output_xmr(&b, fmt, &src, &c);
                for (size_t i = 0; warn_on_stderr && i < c.n_warnings; i++)
                        cli_warn("%s", c.warnings[i]);
                spc_chart_release(&c);
        }
        free(at);
        series_release(&s);
        free(ms.name);
        int code = rc == 0 ? cli_deliver(&b, a->out) : cli_report(&e);
        buf_release(&b);
        return code;
}
