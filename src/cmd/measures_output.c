/*
 * measures_output.c — writing `improve measures` rows as CSV (the columns
 * issue 5 fixes), JSON, XLSX and a text table grouped by National Framework
 * outcome.
 *
 * CSV and JSON carry values unrounded (CSV to six decimal places, trailing
 * zeros dropped); the text table rounds half away from zero to one decimal
 * place, as measures.md §0.8 says values are displayed.  A cell suppressed
 * for an outward audience is written "c" in every format.
 */
#include "cmd/measures_output.h"
#include "cmd/measures_spc.h"

#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/sdc.h"
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

void measures_spc_fill(struct measures_row *rows, size_t n)
{
        /* Each row's icons from its measure's monthly XmR chart up to the row's period end
         * (measures_spc.c), read from the same database. */
        measures_spc_apply_db(rows, n);
}

/*
 * §8.1 on one computed value: a count 1-5 is suppressed, and a ratio built on
 * one, or on a denominator under 10.  A rate's denominator is the population,
 * which is published; published values are public already.  There is no
 * table with margins here, so no secondary suppression (§8.2) is needed.
 */
void measures_disclose(struct measures_row *r, const struct sdc_options *o)
{
        if (strcmp(r->source, "cin") != 0 && strcmp(r->source, "903") != 0)
                return;
        int rate = r->m->unit == MEASURE_RATE_PER_10K;
        int num_count = r->m->unit == MEASURE_PERCENT || rate || r->m->unit == MEASURE_COUNT;
        if (r->has_num && !r->has_den) {
                if (num_count && sdc_count_suppressed((double)r->num, o))
                        r->c_num = r->c_value = 1;
        } else if (r->has_num && r->has_den &&
                   sdc_ratio_suppressed((double)r->num, (double)r->den, num_count, o)) {
                r->c_value = 1;
                r->c_num = 1;
                r->c_den = !rate;
        }
        if (r->c_value) {
                /* A rank or band beside others' values would narrow down the hidden one. */
                r->quartile = r->rank = r->ranked = 0;
                const char *why = "suppressed for an outward audience: fewer than 6, or a "
                                  "denominator under 10 (statistics.md 8.1)";
                size_t n = strlen(r->note) + strlen(why) + 3;
                char *joined = xmalloc(n);
                snprintf(joined, n, "%s%s%s", why, *r->note ? "; " : "", r->note);
                free(r->note);
                r->note = joined;
        }
}

const char *measures_versus_name(const struct measures_row *r)
{
        if (!r->has_value || !r->has_sn || r->c_value)
                return "";
        if (r->versus == 0)
                return "equal";
        if (r->m->polarity == BENCH_NEUTRAL)
                return r->versus > 0 ? "above" : "below";
        return r->versus > 0 ? "favourable" : "unfavourable";
}

/* Six decimal places without trailing zeros: 429.572736, 18.3, 67. */
static const char *num6(double x, char *buf, size_t n)
{
        snprintf(buf, n, "%.6f", x);
        char *dot = strchr(buf, '.');
        if (dot) {
                char *end = buf + strlen(buf) - 1;
                while (end > dot && *end == '0')
                        *end-- = '\0';
                if (end == dot)
                        *end = '\0';
        }
        if (strcmp(buf, "-0") == 0)
                snprintf(buf, n, "0");
        return buf;
}

static const char *int_or_empty(int has, int64_t v, char *buf, size_t n)
{
        if (!has)
                return "";
        snprintf(buf, n, "%lld", (long long)v);
        return buf;
}

/* ---------------------------------------------------------------- CSV */

int measures_write_csv(FILE *out, const struct measures_row *rows, size_t n, struct err *e)
{
        fputs(MEASURES_CSV_HEADER "\n", out);
        for (size_t i = 0; i < n; i++) {
                const struct measures_row *r = &rows[i];
                char b[8][64];
                const char *cells[17] = {
                    r->m->id,
                    r->la,
                    r->period_end,
                    r->c_num ? "c" : int_or_empty(r->has_num, r->num, b[0], sizeof b[0]),
                    r->c_den ? "c" : int_or_empty(r->has_den, r->den, b[1], sizeof b[1]),
                    r->c_value     ? "c"
                    : r->has_value ? num6(r->value, b[2], sizeof b[2])
                                   : "",
                    measure_unit_name(r->m->unit),
                    measure_polarity_name(r->m->polarity),
                    r->has_sn ? num6(r->sn_median, b[3], sizeof b[3]) : "",
                    r->has_region ? num6(r->region, b[4], sizeof b[4]) : "",
                    r->has_england ? num6(r->england, b[5], sizeof b[5]) : "",
                    r->quartile ? int_or_empty(1, r->quartile, b[6], sizeof b[6]) : "",
                    r->rank ? int_or_empty(1, r->rank, b[7], sizeof b[7]) : "",
                    NULL,
                    r->variation ? r->variation : "",
                    r->assurance ? r->assurance : "",
                    r->note ? r->note : "",
                };
                char ranked[32];
                cells[13] = r->rank ? int_or_empty(1, r->ranked, ranked, sizeof ranked) : "";
                for (int c = 0; c < 17; c++) {
                        if (c)
                                fputc(',', out);
                        csv_write_str(out, cells[c]);
                }
                fputc('\n', out);
        }
        if (ferror(out))
                return err_set(e, EXIT_INTERNAL, "writing CSV: %s", strerror(errno));
        return 0;
}

/* ---------------------------------------------------------------- JSON */

static json_t *num_or_c(int c, int has, double v)
{
        if (c)
                return json_string("c");
        return has ? json_real(v) : json_null();
}

static json_t *int_or_c(int c, int has, int64_t v)
{
        if (c)
                return json_string("c");
        return has ? json_integer((json_int_t)v) : json_null();
}

int measures_write_json(FILE *out, const struct measures_row *rows, size_t n, struct err *e)
{
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++) {
                const struct measures_row *r = &rows[i];
                json_t *o = json_object();
                json_object_set_new(o, "measure", json_string(r->m->id));
                json_object_set_new(o, "title", json_string(r->m->title));
                json_object_set_new(o, "outcome", json_string(measure_outcome_name(r->m->outcome)));
                json_object_set_new(o, "la", json_string(r->la));
                json_object_set_new(o, "period", json_string(measure_period_name(r->period)));
                json_object_set_new(o, "period_end", json_string(r->period_end));
                json_object_set_new(o, "source", json_string(r->source));
                json_object_set_new(o, "numerator", int_or_c(r->c_num, r->has_num, r->num));
                json_object_set_new(o, "denominator", int_or_c(r->c_den, r->has_den, r->den));
                json_object_set_new(o, "value", num_or_c(r->c_value, r->has_value, r->value));
                json_object_set_new(o, "unit", json_string(measure_unit_name(r->m->unit)));
                json_object_set_new(o, "polarity",
                                    json_string(measure_polarity_name(r->m->polarity)));
                json_object_set_new(o, "small_base", json_boolean(r->small_base));
                json_object_set_new(o, "lookback_incomplete", json_boolean(r->lookback_incomplete));
                json_object_set_new(o, "dq_warnings", json_integer(r->dq_warnings));
                json_object_set_new(o, "sn_median", num_or_c(0, r->has_sn, r->sn_median));
                json_object_set_new(o, "sn_used", json_integer(r->sn_used));
                json_object_set_new(o, "vs_neighbours", json_string(measures_versus_name(r)));
                json_object_set_new(o, "region", num_or_c(0, r->has_region, r->region));
                json_object_set_new(o, "region_source", json_string(r->region_source));
                json_object_set_new(o, "england", num_or_c(0, r->has_england, r->england));
                json_object_set_new(o, "england_source", json_string(r->england_source));
                json_object_set_new(o, "quartile", int_or_c(0, r->quartile > 0, r->quartile));
                json_object_set_new(o, "rank", int_or_c(0, r->rank > 0, r->rank));
                json_object_set_new(o, "ranked", int_or_c(0, r->rank > 0, r->ranked));
                json_object_set_new(o, "variation",
                                    r->variation ? json_string(r->variation) : json_null());
                json_object_set_new(o, "assurance",
                                    r->assurance ? json_string(r->assurance) : json_null());
                json_object_set_new(o, "note", json_string(r->note ? r->note : ""));
                json_array_append_new(list, o);
        }
        json_t *doc = json_pack("{s:o}", "measures", list);
        int rc =
            json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        json_decref(doc);
        fputc('\n', out);
        if (rc || ferror(out))
                return err_set(e, EXIT_INTERNAL, "writing JSON: %s", strerror(errno));
        return 0;
}

/* ---------------------------------------------------------------- text */

static const char *outcome_title(enum measure_outcome o)
{
        switch (o) {
        case MEASURE_OUTCOME_1:
                return "Outcome 1: children, young people and families stay together and get the "
                       "help they need";
        case MEASURE_OUTCOME_2:
                return "Outcome 2: children and young people are supported by their family "
                       "network";
        case MEASURE_OUTCOME_3:
                return "Outcome 3: children and young people are safe in and outside of their home";
        case MEASURE_OUTCOME_4:
                return "Outcome 4: children in care and care leavers have stable, loving homes";
        case MEASURE_ENABLER_WORKFORCE:
                return "Enabler: the workforce is equipped and effective";
        case MEASURE_CONTEXT:
                return "Context";
        }
        return "?";
}

/* One decimal place, half away from zero (measures.md §0.8). */
static const char *dp1(int c, int has, double v, char *buf, size_t n)
{
        if (c)
                return "c";
        if (!has)
                return "-";
        snprintf(buf, n, "%.1f", sdc_round_half_up(v, 1));
        return buf;
}

int measures_write_text(FILE *out, const struct measures_row *rows, size_t n, struct err *e)
{
        if (n == 0)
                fputs("no values\n", out);
        for (size_t i = 0; i < n; i++) {
                const struct measures_row *r = &rows[i];
                const struct measures_row *p = i ? &rows[i - 1] : NULL;
                bool block = !p || strcmp(p->la, r->la) != 0 || p->period != r->period ||
                             strcmp(p->period_end, r->period_end) != 0;
                if (block) {
                        fprintf(out, "%s%s%s%s: %s ending %s\n", p ? "\n" : "", r->la,
                                *r->la_name ? " " : "", r->la_name, measure_period_name(r->period),
                                r->period_end);
                }
                if (block || p->m->outcome != r->m->outcome) {
                        fprintf(out, "\n%s\n", outcome_title(r->m->outcome));
                        fprintf(out, "  %-40s %9s %17s %9s %9s %9s %2s %8s %s\n", "measure",
                                "value", "num/den", "SN median", "region", "England", "Q", "rank",
                                "vs neighbours");
                }
                char v[32], sn[32], rg[32], en[32], nd[48], rk[24];
                if (r->c_num || r->c_den)
                        snprintf(nd, sizeof nd, "c");
                else if (r->has_num && r->has_den)
                        snprintf(nd, sizeof nd, "%lld/%lld", (long long)r->num, (long long)r->den);
                else if (r->has_num)
                        snprintf(nd, sizeof nd, "%lld", (long long)r->num);
                else
                        snprintf(nd, sizeof nd, "-");
                if (r->rank)
                        snprintf(rk, sizeof rk, "%d/%d", r->rank, r->ranked);
                else
                        snprintf(rk, sizeof rk, "-");
                char q[8];
                snprintf(q, sizeof q, "%d", r->quartile);
                fprintf(out, "  %-40s %9s %17s %9s %9s %9s %2s %8s %s\n", r->m->id,
                        dp1(r->c_value, r->has_value, r->value, v, sizeof v), nd,
                        dp1(0, r->has_sn, r->sn_median, sn, sizeof sn),
                        dp1(0, r->has_region, r->region, rg, sizeof rg),
                        dp1(0, r->has_england, r->england, en, sizeof en), r->quartile ? q : "-",
                        rk, measures_versus_name(r));
                if (r->note && *r->note)
                        fprintf(out, "  %-40s   %s\n", "", r->note);
        }
        if (ferror(out))
                return err_set(e, EXIT_INTERNAL, "writing text: %s", strerror(errno));
        return 0;
}

/* ---------------------------------------------------------------- XLSX */

static void xl_num(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int c, int has, double v)
{
        if (c)
                worksheet_write_string(ws, row, col, "c", NULL);
        else if (has)
                worksheet_write_number(ws, row, col, v, NULL);
}

static void xl_str(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s)
{
        if (s && *s)
                worksheet_write_string(ws, row, col, s, NULL);
}

int measures_write_xlsx(const char *path, const struct measures_row *rows, size_t n, struct err *e)
{
        static const char *const head[] = {
            "measure", "la",       "period_end", "numerator", "denominator",  "value",
            "unit",    "polarity", "sn_median",  "region",    "england",      "quartile",
            "rank",    "ranked",   "variation",  "assurance", "note",         "title",
            "outcome", "period",   "source",     "sn_used",   "vs_neighbours"};
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
        lxw_workbook *wb = workbook_new_opt(path, &opt);
        if (!wb)
                return err_set(e, EXIT_INPUT, "%s: cannot create the workbook", path);
        lxw_format *bold = workbook_add_format(wb);
        format_set_bold(bold);
        lxw_worksheet *ws = workbook_add_worksheet(wb, "Measures");
        for (lxw_col_t c = 0; c < sizeof head / sizeof *head; c++)
                worksheet_write_string(ws, 0, c, head[c], bold);
        worksheet_freeze_panes(ws, 1, 0);
        worksheet_set_column(ws, 0, 0, 38, NULL);
        worksheet_set_column(ws, 16, 17, 60, NULL);
        for (size_t i = 0; i < n; i++) {
                const struct measures_row *r = &rows[i];
                lxw_row_t row = (lxw_row_t)(i + 1);
                xl_str(ws, row, 0, r->m->id);
                xl_str(ws, row, 1, r->la);
                xl_str(ws, row, 2, r->period_end);
                xl_num(ws, row, 3, r->c_num, r->has_num, (double)r->num);
                xl_num(ws, row, 4, r->c_den, r->has_den, (double)r->den);
                xl_num(ws, row, 5, r->c_value, r->has_value, r->value);
                xl_str(ws, row, 6, measure_unit_name(r->m->unit));
                xl_str(ws, row, 7, measure_polarity_name(r->m->polarity));
                xl_num(ws, row, 8, 0, r->has_sn, r->sn_median);
                xl_num(ws, row, 9, 0, r->has_region, r->region);
                xl_num(ws, row, 10, 0, r->has_england, r->england);
                xl_num(ws, row, 11, 0, r->quartile > 0, r->quartile);
                xl_num(ws, row, 12, 0, r->rank > 0, r->rank);
                xl_num(ws, row, 13, 0, r->rank > 0, r->ranked);
                xl_str(ws, row, 14, r->variation);
                xl_str(ws, row, 15, r->assurance);
                xl_str(ws, row, 16, r->note);
                xl_str(ws, row, 17, r->m->title);
                xl_str(ws, row, 18, measure_outcome_name(r->m->outcome));
                xl_str(ws, row, 19, measure_period_name(r->period));
                xl_str(ws, row, 20, r->source);
                xl_num(ws, row, 21, 0, r->has_sn, r->sn_used);
                xl_str(ws, row, 22, measures_versus_name(r));
        }
        if (n)
                worksheet_autofilter(ws, 0, 0, (lxw_row_t)n,
                                     (lxw_col_t)(sizeof head / sizeof *head - 1));
        lxw_error rc = workbook_close(wb);
        if (rc != LXW_NO_ERROR)
                return err_set(e, EXIT_INPUT, "%s: cannot write the workbook: %s", path,
                               lxw_strerror(rc));
        return 0;
}

static const char *bench_source(const char *s)
{
        return strcmp(s, "published") == 0  ? "published"
               : strcmp(s, "computed") == 0 ? "computed"
                                            : "";
}

void measures_row_set_bench(struct measures_row *r, const struct store_measure_bench *b)
{
        r->has_sn = b->has_sn_median;
        r->sn_median = b->sn_median;
        r->sn_used = b->sn_used;
        r->has_region = b->has_region;
        r->region = b->region;
        r->region_source = bench_source(b->region_source);
        r->has_england = b->has_england;
        r->england = b->england;
        r->england_source = bench_source(b->england_source);
        r->quartile = b->quartile;
        r->rank = b->rank;
        r->ranked = b->ranked;
        r->versus = b->versus;
        if (b->note && *b->note) {
                size_t n = strlen(r->note) + strlen(b->note) + 3;
                char *joined = xmalloc(n);
                snprintf(joined, n, "%s%s%s", r->note, *r->note ? "; " : "", b->note);
                free(r->note);
                r->note = joined;
        }
}

void measures_row_from_value(struct measures_row *r, const struct measure_def *m,
                             const struct store_measure_value *v, const char *la_name)
{
        memset(r, 0, sizeof *r);
        r->m = m;
        snprintf(r->la, sizeof r->la, "%s", v->la);
        r->la_name = la_name;
        r->period = strcmp(v->period, "month") == 0     ? MEASURE_MONTH
                    : strcmp(v->period, "rolling") == 0 ? MEASURE_ROLLING
                                                        : MEASURE_YEAR;
        snprintf(r->period_end, sizeof r->period_end, "%s", v->period_end);
        r->year = v->year;
        r->source = strcmp(v->source, "published") == 0 ? "published"
                    : strcmp(v->source, "cin") == 0     ? "cin"
                                                        : "903";
        r->has_num = v->has_numerator;
        r->has_den = v->has_denominator;
        r->has_value = v->has_value;
        r->num = v->numerator;
        r->den = v->denominator;
        r->value = v->value;
        r->small_base = v->small_base;
        r->lookback_incomplete = v->lookback_incomplete;
        r->dq_warnings = v->dq_warnings;
        r->note = xstrdup(v->note ? v->note : "");
        r->region_source = r->england_source = "";
}
