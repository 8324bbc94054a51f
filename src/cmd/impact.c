/*
 * impact.c — `improve impact`: did a structural change make a difference?
 *
 * Three forms.  --panel FILE: a long panel of units × periods, one treated
 * unit, evaluated by interrupted time series (its own series), synthetic
 * control (against the other units) and 2 × 2 difference in differences.
 * --series FILE: one series, interrupted time series alone.  --la CODE with
 * --event or --date: an authority's stored measure series (impact_store.c)
 * against the other authorities with values for the measure.
 *
 * This file checks the options and runs the flow: impact_panel.c reads the
 * input, impact_methods.c runs the methods (src/stats/its.c, sc.c, did.c),
 * impact_output.c and impact_svg.c write what they found.
 * Output is built in memory and written in one go, so a failed run never
 * leaves half a file at --out.
 */
#include "cmd/cli.h"
#include "cmd/impact_int.h"
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
            "        (each other unit treated in turn).  No confidence interval.  Needs at\n"
            "        least 3 periods before the change.\n"
            "  did   2 x 2 difference in differences against all the other units, with a\n"
            "        standard error clustered by unit (unreliable with one treated unit).\n"
            "        Needs at least 3 periods before the change.\n"
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
            "  --la CODE ...       an authority's stored measure series (improve measures)\n"
            "                      around a registered change (--event ID, see improve event)\n"
            "                      or a date, against the other authorities with values for\n"
            "                      the measure.  --period month (the default when the measure\n"
            "                      has monthly values) or year; never rolling values.  The\n"
            "                      first post-change period is the first that starts on or\n"
            "                      after the date; a period the date falls inside is left out\n"
            "                      unless --keep-transition.  Values with an incomplete\n"
            "                      look-back are left out.  --donors all (default),\n"
            "                      neighbours (statistical neighbours) or region; authorities\n"
            "                      with a registered change of the same kind in the window are\n"
            "                      never comparison units.\n"
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
            "  improve impact --series rereferrals.csv --start 2022-04-01 --format svg\n"
            "  improve impact --la 202 --event 3 --measure rereferrals_12m_pct\n",
};

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

/* The store form's options, checked before the store is opened. */
static int check_store_options(const struct command *cmd, const struct impact_args *a, long *id)
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
        *id = 0;
        if (a->event && cli_int(cmd, "event", a->event, 1, 2147483647L, id))
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
        if (a->period && strcmp(a->period, "month") == 0 &&
            !(measure_find(a->measure)->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH)))
                return cli_usage_error(cmd, "measure %s has no monthly values; use --period year",
                                       a->measure);
        if (a->donors && strcmp(a->donors, "all") != 0 && strcmp(a->donors, "neighbours") != 0 &&
            strcmp(a->donors, "region") != 0)
                return cli_usage_error(cmd,
                                       "option '--donors' must be all, neighbours or region, not "
                                       "'%s'",
                                       a->donors);
        return 0;
}

/* A time value given to an option, of the panel's kind. */
static int option_time(const struct command *cmd, const char *flag, const char *text,
                       const struct impact_panel *p, double *key)
{
        enum impact_time_kind kind;
        if (impact_parse_time(text, strlen(text), &kind, key) != 0)
                return cli_usage_error(cmd,
                                       "option '--%s' needs a period: a number such as 1989 or "
                                       "an ISO date such as 2021-04-01, not '%s'",
                                       flag, text);
        if (kind != p->kind)
                return cli_usage_error(cmd, "option '--%s': '%s' is a %s but %s has %ss", flag,
                                       text, kind == IMPACT_TIME_DATE ? "date" : "number", p->path,
                                       p->kind == IMPACT_TIME_DATE ? "date" : "number");
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
        enum impact_time_kind k;
        double key;
        for (size_t i = 1; i + 1 < n; i++) {
                if (range[i] != '-')
                        continue;
                if (impact_parse_time(range, i, &k, &key) == 0 &&
                    impact_parse_time(range + i + 1, n - i - 1, &k, &key) == 0) {
                        *col = xstrndup(text, (size_t)(colon - text));
                        *from = xstrndup(range, i);
                        *to = xstrdup(range + i + 1);
                        return 0;
                }
        }
        if (impact_parse_time(range, n, &k, &key) != 0)
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

/* What either form hands to the evaluation: a panel, the treated unit and the split. */
struct prepared {
        const struct impact_panel *p;
        size_t treated, first_post, fit_from;
        const unsigned char *exclude;
        const struct sc_predictor *preds;
        size_t np;
        const char *const *pred_text;
        const char *source, *treated_name, *outcome, *start, *change;
        char *const *warnings;
        size_t n_warnings;
};

/* Monthly: ISO-dated periods whose smallest step is one month (a left-out month is a gap). */
static int monthly_months(const struct impact_panel *p, int *month)
{
        if (p->kind != IMPACT_TIME_DATE)
                return 0;
        long step = 0;
        for (size_t t = 0; t < p->nperiods; t++) {
                long mi = impact_month_index(p->keys[t], &month[t]);
                if (t > 0) {
                        long d = mi - impact_month_index(p->keys[t - 1], NULL);
                        if (d < 1)
                                return 0;
                        step = step ? (d < step ? d : step) : d;
                }
        }
        return step == 1;
}

/* Run the methods asked for, write the report, deliver it. */
static int evaluate(const struct command *cmd, const struct impact_args *a, int mask,
                    enum impact_format fmt, long lag, const struct prepared *w)
{
        const struct impact_panel *p = w->p;
        struct impact_its_request iq = {a->seasonal, NULL, lag, !a->no_small_sample};
        int *month = xmalloc((p->nperiods + 1) * sizeof *month);
        if (a->seasonal) {
                if (!monthly_months(p, month)) {
                        free(month);
                        return cli_usage_error(cmd, "--seasonal needs a monthly series: ISO-dated "
                                                    "periods one month apart");
                }
                iq.month = month;
        }
        struct impact_report r = {0};
        r.source = w->source;
        r.treated = w->treated_name;
        r.outcome = w->outcome;
        r.start = w->start;
        r.change = w->change;
        r.nperiods = p->nperiods;
        r.labels = p->labels;
        r.first_post = w->first_post;
        r.nunits = p->nunits;
        r.observed = p->y + w->treated * p->nperiods;
        double big = 0;
        for (size_t t = 0; t < p->nperiods; t++)
                if (isfinite(r.observed[t]))
                        big = fmax(big, fabs(r.observed[t]));
        r.decimals = big > 0 ? 3 - (int)floor(log10(big)) : 2;
        r.decimals = r.decimals < 0 ? 0 : r.decimals > 6 ? 6 : r.decimals;
        for (size_t k = 0; k < w->n_warnings; k++)
                impact_report_warn(&r, "%s", w->warnings[k]);
        if (w->first_post == 0)
                impact_report_warn(&r,
                                   "the change at %s is at or before the first period: "
                                   "there is nothing before it",
                                   w->start);
        else if (w->first_post == p->nperiods)
                impact_report_warn(&r,
                                   "the change at %s is after the last period: there is "
                                   "nothing after it",
                                   w->start);
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                impact_method_init(&r.m[i], (enum impact_method_id)i, p->nperiods);
                r.m[i].requested = (mask >> i) & 1;
                r.m[i].available = 1;
        }
        if (r.m[IMPACT_ITS].requested)
                impact_run_its(&r, p, w->treated, &iq);
        if (r.m[IMPACT_SC].requested) {
                struct impact_sc_request sq = {w->exclude, w->fit_from, w->preds, w->np,
                                               w->pred_text};
                impact_run_sc(&r, p, w->treated, &sq);
        }
        if (r.m[IMPACT_DID].requested)
                impact_run_did(&r, p, w->treated, w->exclude);

        struct buf b;
        buf_init(&b);
        impact_output(&b, fmt, &r);
        if (fmt == IMPACT_CSV || fmt == IMPACT_SVG) {
                for (size_t k = 0; k < r.n_warnings; k++)
                        cli_warn("%s", r.warnings[k]);
                for (int i = 0; i < IMPACT_NMETHODS; i++)
                        for (size_t k = 0; r.m[i].requested && k < r.m[i].n_warnings; k++)
                                cli_warn("%s: %s", impact_method_name((enum impact_method_id)i),
                                         r.m[i].warnings[k]);
        }
        int code = cli_deliver(&b, a->out);
        buf_release(&b);
        impact_report_release(&r);
        free(month);
        return code;
}

/* The store form: an authority's stored measure series around a change. */
static int store_form(const struct command *cmd, const struct impact_args *a, int mask,
                      enum impact_format fmt, long lag)
{
        long id;
        if (check_store_options(cmd, a, &id))
                return EXIT_USAGE;
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        struct impact_store_request q = {a->la,     id,        a->date,           a->measure,
                                         a->period, a->donors, a->keep_transition};
        struct impact_store_input in;
        int rc = impact_store_load(s, &q, &in, &e);
        store_close(s);
        if (rc)
                return e.code == EXIT_USAGE ? cli_usage_error(cmd, "%s", e.msg) : cli_report(&e);
        struct prepared w = {.p = &in.p,
                             .treated = in.treated,
                             .first_post = in.first_post,
                             .exclude = in.exclude,
                             .source = cli.db,
                             .treated_name = in.treated_name,
                             .outcome = in.outcome,
                             .start = in.start,
                             .change = in.change,
                             .warnings = in.warnings,
                             .n_warnings = in.n_warnings};
        int code = evaluate(cmd, a, mask, fmt, lag, &w);
        impact_store_input_release(&in);
        return code;
}

static int file_form(const struct command *cmd, const struct impact_args *a, int mask,
                     enum impact_format fmt, long lag)
{
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

        struct impact_reader rd = {a->panel ? a->panel : a->series,
                                   a->panel ? a->unit : NULL,
                                   a->panel ? a->time : "period",
                                   a->panel ? a->outcome : "value",
                                   cols,
                                   ncols};
        struct impact_panel p;
        struct err e = {0};
        struct sc_predictor *preds = NULL;
        unsigned char *exclude = NULL;
        if (impact_panel_read(&rd, &p, &e) != 0) {
                code = cli_report(&e);
                predictor_specs_free(ps, np);
                free(cols);
                return code;
        }
        size_t treated = 0;
        if (a->panel) {
                treated = impact_find_unit(&p, a->treated);
                if (treated == p.nunits) {
                        code = cli_usage_error(cmd, "--treated '%s': no such unit in %s",
                                               a->treated, p.path);
                        goto out;
                }
        }
        exclude = xcalloc(p.nunits, 1);
        for (size_t i = 0; i < a->exclude.n; i++) {
                size_t u = impact_find_unit(&p, a->exclude.v[i]);
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
        size_t first_post = impact_find_period(&p, start);
        size_t fit_from = 0;
        if (a->fit_from) {
                double ff;
                if (option_time(cmd, "fit-from", a->fit_from, &p, &ff)) {
                        code = EXIT_USAGE;
                        goto out;
                }
                fit_from = impact_find_period(&p, ff);
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
                size_t lo = impact_find_period(&p, from), hi = impact_find_period(&p, to);
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
        struct prepared w = {&p,
                             treated,
                             first_post,
                             fit_from,
                             exclude,
                             preds,
                             np,
                             (const char *const *)a->predictor.v,
                             p.path,
                             a->panel ? p.units[treated] : NULL,
                             rd.outcome_col,
                             a->start,
                             NULL,
                             NULL,
                             0};
        code = evaluate(cmd, a, mask, fmt, lag, &w);
out:
        impact_panel_release(&p);
        predictor_specs_free(ps, np);
        free(cols);
        free(preds);
        free(exclude);
        return code;
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
        if (!(mask & (1 << IMPACT_ITS)) && (a->seasonal || a->lag || a->no_small_sample))
                return cli_usage_error(cmd, "option '--%s' applies to interrupted time series only",
                                       a->seasonal ? "seasonal"
                                       : a->lag    ? "lag"
                                                   : "no-small-sample");
        if (a->la)
                return store_form(cmd, a, mask, fmt, lag);
        if (check_file_options(cmd, a, mask))
                return EXIT_USAGE;
        if (a->series)
                mask = 1 << IMPACT_ITS;
        return file_form(cmd, a, mask, fmt, lag);
}
