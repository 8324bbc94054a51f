/*
 * spc_output.c — text, CSV, JSON and SVG for `improve spc` (see spc_output.h).
 *
 * Numbers are written with 15 significant digits: enough for every figure in
 * statistics.md (1e-6 on limits) and short enough that 53.6 stays 53.6 rather
 * than the 17-digit 53.600000000000001.  CSV goes through the core writer so
 * that period labels with commas or quotes are quoted correctly; JSON is built
 * with jansson.
 */
#include "cmd/spc_output.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/runchart.h"
#include "stats/spc.h"
#include "stats/spc_svg.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

int spc_format_parse(const char *s, enum spc_format *f)
{
        static const char *const names[] = {[SPC_FORMAT_TEXT] = "text",
                                            [SPC_FORMAT_CSV] = "csv",
                                            [SPC_FORMAT_JSON] = "json",
                                            [SPC_FORMAT_SVG] = "svg"};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
                if (strcmp(s, names[i]) == 0) {
                        *f = (enum spc_format)i;
                        return 0;
                }
        }
        return -1;
}

const char *spc_number(char *tmp, size_t cap, double v)
{
        if (isnan(v))
                tmp[0] = '\0';
        else
                snprintf(tmp, cap, "%.15g", v == 0 ? 0.0 : v);
        return tmp;
}

/* A short number for the text table: 6 significant digits, "-" when there is none. */
static const char *short_number(char *tmp, size_t cap, double v)
{
        if (isnan(v))
                snprintf(tmp, cap, "-");
        else
                snprintf(tmp, cap, "%.6g", v == 0 ? 0.0 : v);
        return tmp;
}

static json_t *json_num(double v)
{
        return isnan(v) ? json_null() : json_real(v == 0 ? 0.0 : v);
}

/* Text, CSV: the memstream lets the core CSV writer (which takes a FILE) fill a buf. */
struct sink {
        FILE *f;
        char *data;
        size_t len;
};

static FILE *sink_open(struct sink *s)
{
        s->data = NULL;
        s->len = 0;
        s->f = open_memstream(&s->data, &s->len);
        if (!s->f) {
                /* Out of memory: the one exit library code may take (see xalloc.h). */
                fprintf(stderr, "improve: out of memory\n");
                exit(EXIT_INTERNAL);
        }
        return s->f;
}

static void sink_close(struct sink *s, struct buf *out)
{
        fclose(s->f);
        buf_append(out, s->data, s->len);
        free(s->data);
}

static void json_out(struct buf *out, json_t *root)
{
        char *text = json_dumps(root, JSON_FLAGS);
        if (!text) {
                fprintf(stderr, "improve: out of memory\n");
                exit(EXIT_INTERNAL);
        }
        buf_puts(out, text);
        buf_putc(out, '\n');
        free(text);
        json_decref(root);
}

static int period_width(const struct spc_source *src)
{
        size_t w = 6;
        for (size_t i = 0; i < src->n; i++)
                if (strlen(src->periods[i]) > w)
                        w = strlen(src->periods[i]);
        return (int)(w > 40 ? 40 : w);
}

static void text_warnings(FILE *f, char *const *w, size_t n)
{
        if (n == 0) {
                fprintf(f, "  warnings: none\n");
                return;
        }
        fprintf(f, "  warnings:\n");
        for (size_t i = 0; i < n; i++)
                fprintf(f, "    - %s\n", w[i]);
}

/* ---------------------------------------------------------------- XmR */

static void xmr_csv(FILE *f, const struct spc_source *src, const struct spc_chart *c)
{
        char t[8][40];
        fputs("period,value,centre,lpl,upl,near_lpl,near_upl,outside,trend,two_in_three,shift,"
              "point_type\n",
              f);
        for (size_t i = 0; i < c->n; i++) {
                const struct spc_point *p = &c->points[i];
                csv_write_str(f, src->periods[i]);
                fprintf(f, ",%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%s\n",
                        spc_number(t[0], sizeof t[0], p->value),
                        spc_number(t[1], sizeof t[1], p->centre),
                        spc_number(t[2], sizeof t[2], p->lpl),
                        spc_number(t[3], sizeof t[3], p->upl),
                        spc_number(t[4], sizeof t[4], p->near_lpl),
                        spc_number(t[5], sizeof t[5], p->near_upl), p->outside, p->trend,
                        p->two_in_three, p->shift, spc_point_type_name(p->type));
        }
}

static const char *type_text(enum spc_point_type t)
{
        switch (t) {
        case SPC_COMMON_CAUSE:
                return "common cause";
        case SPC_IMPROVEMENT:
                return "improvement";
        case SPC_CONCERN:
                return "concern";
        case SPC_NEUTRAL_HIGH:
                return "neutral (high)";
        case SPC_NEUTRAL_LOW:
                return "neutral (low)";
        }
        return "";
}

static void xmr_text(FILE *f, const struct spc_source *src, const struct spc_chart *c)
{
        char t[4][40];
        int w = period_width(src);
        fprintf(f, "XmR chart: %s\n", src->name);
        fprintf(f, "%zu point%s; improvement: %s; moving ranges %s", c->n, c->n == 1 ? "" : "s",
                spc_direction_name(c->direction), c->screen ? "screened" : "not screened");
        if (c->fix_after)
                fprintf(f, "; baseline fixed after %zu points", c->fix_after);
        fprintf(f, "\n\n%-*s %10s %10s %10s %10s  %-5s %s\n", w, "period", "value", "mean", "lower",
                "upper", "rules", "point type");
        for (size_t i = 0; i < c->n; i++) {
                const struct spc_point *p = &c->points[i];
                char rules[5] = "";
                size_t k = 0;
                if (p->outside)
                        rules[k++] = 'O';
                if (p->trend)
                        rules[k++] = 'T';
                if (p->two_in_three)
                        rules[k++] = '2';
                if (p->shift)
                        rules[k++] = 'S';
                if (k == 0)
                        rules[k++] = '-';
                rules[k] = '\0';
                fprintf(f, "%-*s %10s %10s %10s %10s  %-5s %s\n", w, src->periods[i],
                        short_number(t[0], sizeof t[0], p->value),
                        short_number(t[1], sizeof t[1], p->centre),
                        short_number(t[2], sizeof t[2], p->lpl),
                        short_number(t[3], sizeof t[3], p->upl), rules, type_text(p->type));
        }
        fprintf(f, "\nRules: O outside the limits; T trend of 7 rising or falling; 2 two of three "
                   "near a limit;\nS 7 on one side of the mean.  Outside > trend > two of three > "
                   "shift decides the type.\n\n");
        for (size_t g = 0; g < c->n_groups; g++) {
                const struct spc_group *gr = &c->groups[g];
                fprintf(f, "Group %zu (%s to %s): %zu point%s", g + 1, src->periods[gr->start],
                        src->periods[gr->start + gr->count - 1], gr->count,
                        gr->count == 1 ? "" : "s");
                if (!gr->has_limits) {
                        fprintf(f, ", no limits\n");
                        continue;
                }
                fprintf(f, ", baseline %zu%s\n", gr->baseline,
                        gr->trial_limits ? " (trial limits)" : "");
                fprintf(f, "  mean %s, average moving range %s (%zu range%s, %zu screened out)\n",
                        short_number(t[0], sizeof t[0], gr->mean),
                        short_number(t[1], sizeof t[1], gr->amr), gr->n_ranges,
                        gr->n_ranges == 1 ? "" : "s", gr->n_screened);
                fprintf(f, "  limits %s to %s, near-limit lines %s and %s\n",
                        short_number(t[0], sizeof t[0], gr->lpl),
                        short_number(t[1], sizeof t[1], gr->upl),
                        short_number(t[2], sizeof t[2], gr->near_lpl),
                        short_number(t[3], sizeof t[3], gr->near_upl));
        }
        fprintf(f, "\nSummary\n  variation icon: %s\n", spc_variation_words(c->variation));
        if (!c->has_target)
                fprintf(f, "  assurance icon: none (no target)\n");
        else
                fprintf(f, "  assurance icon: %s (target %s)\n",
                        c->assurance ? spc_assurance_words(c->assurance) : "none",
                        short_number(t[0], sizeof t[0], c->target));
        text_warnings(f, c->warnings, c->n_warnings);
}

static json_t *warnings_json(char *const *w, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(a, json_string(w[i]));
        return a;
}

static json_t *name_or_null(const char *s)
{
        return s ? json_string(s) : json_null();
}

static void xmr_json(struct buf *out, const struct spc_source *src, const struct spc_chart *c)
{
        json_t *root = json_object();
        json_object_set_new(root, "chart", json_string("xmr"));
        json_object_set_new(root, "input", json_string(src->name));
        json_object_set_new(root, "improvement", json_string(spc_direction_name(c->direction)));
        json_object_set_new(root, "screen", json_boolean(c->screen));
        json_object_set_new(root, "fix_after",
                            c->fix_after ? json_integer((json_int_t)c->fix_after) : json_null());
        json_object_set_new(root, "target", c->has_target ? json_num(c->target) : json_null());
        json_t *points = json_array();
        for (size_t i = 0; i < c->n; i++) {
                const struct spc_point *p = &c->points[i];
                json_t *o = json_object();
                json_object_set_new(o, "period", json_string(src->periods[i]));
                json_object_set_new(o, "value", json_num(p->value));
                json_object_set_new(o, "group", json_integer((json_int_t)p->group + 1));
                json_object_set_new(o, "centre", json_num(p->centre));
                json_object_set_new(o, "lpl", json_num(p->lpl));
                json_object_set_new(o, "upl", json_num(p->upl));
                json_object_set_new(o, "near_lpl", json_num(p->near_lpl));
                json_object_set_new(o, "near_upl", json_num(p->near_upl));
                json_object_set_new(o, "outside", json_boolean(p->outside));
                json_object_set_new(o, "trend", json_boolean(p->trend));
                json_object_set_new(o, "two_in_three", json_boolean(p->two_in_three));
                json_object_set_new(o, "shift", json_boolean(p->shift));
                json_object_set_new(o, "rule",
                                    p->rule ? json_string(spc_rule_name(p->rule)) : json_null());
                json_object_set_new(o, "point_type", json_string(spc_point_type_name(p->type)));
                json_array_append_new(points, o);
        }
        json_object_set_new(root, "points", points);
        json_t *groups = json_array();
        for (size_t g = 0; g < c->n_groups; g++) {
                const struct spc_group *gr = &c->groups[g];
                json_t *o = json_object();
                json_object_set_new(o, "first", json_string(src->periods[gr->start]));
                json_object_set_new(o, "last",
                                    json_string(src->periods[gr->start + gr->count - 1]));
                json_object_set_new(o, "points", json_integer((json_int_t)gr->count));
                json_object_set_new(o, "baseline", json_integer((json_int_t)gr->baseline));
                json_object_set_new(o, "has_limits", json_boolean(gr->has_limits));
                json_object_set_new(o, "trial_limits", json_boolean(gr->trial_limits));
                json_object_set_new(o, "mean", json_num(gr->mean));
                json_object_set_new(o, "amr", json_num(gr->amr));
                json_object_set_new(o, "moving_ranges", json_integer((json_int_t)gr->n_ranges));
                json_object_set_new(o, "screened_out", json_integer((json_int_t)gr->n_screened));
                json_object_set_new(o, "lpl", json_num(gr->lpl));
                json_object_set_new(o, "upl", json_num(gr->upl));
                json_object_set_new(o, "near_lpl", json_num(gr->near_lpl));
                json_object_set_new(o, "near_upl", json_num(gr->near_upl));
                json_array_append_new(groups, o);
        }
        json_object_set_new(root, "groups", groups);
        json_t *summary = json_object();
        json_object_set_new(summary, "variation", name_or_null(spc_variation_name(c->variation)));
        json_object_set_new(summary, "assurance", name_or_null(spc_assurance_name(c->assurance)));
        json_object_set_new(summary, "warnings", warnings_json(c->warnings, c->n_warnings));
        json_object_set_new(root, "summary", summary);
        json_out(out, root);
}

void spc_output_xmr(struct buf *out, enum spc_format f, const struct spc_source *src,
                    const struct spc_chart *c)
{
        struct sink s;
        switch (f) {
        case SPC_FORMAT_CSV:
                xmr_csv(sink_open(&s), src, c);
                sink_close(&s, out);
                break;
        case SPC_FORMAT_TEXT:
                xmr_text(sink_open(&s), src, c);
                sink_close(&s, out);
                break;
        case SPC_FORMAT_JSON:
                xmr_json(out, src, c);
                break;
        case SPC_FORMAT_SVG: {
                struct buf title;
                buf_init(&title);
                buf_printf(&title, "XmR chart: %s", src->name);
                spc_svg_xmr(out, c, src->periods, title.data);
                buf_release(&title);
                break;
        }
        }
}

/* ---------------------------------------------------------------- run chart */

static void run_csv(FILE *f, const struct spc_source *src, const struct runchart *rc)
{
        char t[2][40];
        fputs("period,value,centre,longest_run,longest_run_max,crossings,crossings_min,signal\n",
              f);
        for (size_t i = 0; i < rc->n; i++) {
                const struct runchart_part *p = &rc->parts[rc->part[i]];
                csv_write_str(f, src->periods[i]);
                fprintf(f, ",%s,%s,", spc_number(t[0], sizeof t[0], src->y[i]),
                        spc_number(t[1], sizeof t[1], p->centre));
                if (p->has_thresholds)
                        fprintf(f, "%zu,%d,%zu,%d,%d\n", p->longest_run, p->longest_run_max,
                                p->crossings, p->crossings_min, p->signal);
                else
                        fprintf(f, "%zu,,%zu,,0\n", p->longest_run, p->crossings);
        }
}

static void run_text(FILE *f, const struct spc_source *src, const struct runchart *rc)
{
        char t[2][40];
        int w = period_width(src);
        fprintf(f, "Run chart: %s\n%zu point%s\n\n", src->name, rc->n, rc->n == 1 ? "" : "s");
        fprintf(f, "%-*s %10s %10s  %-6s %s\n", w, "period", "value", "median", "side", "long run");
        int any = 0;
        for (size_t i = 0; i < rc->n; i++) {
                const struct runchart_part *p = &rc->parts[rc->part[i]];
                const char *side = isnan(src->y[i])  ? "-"
                                   : rc->side[i] > 0 ? "above"
                                   : rc->side[i] < 0 ? "below"
                                                     : "on";
                fprintf(f, "%-*s %10s %10s  %-6s %s\n", w, src->periods[i],
                        short_number(t[0], sizeof t[0], src->y[i]),
                        short_number(t[1], sizeof t[1], p->centre), side,
                        rc->long_run[i] ? "yes" : "-");
        }
        fputc('\n', f);
        for (size_t k = 0; k < rc->n_parts; k++) {
                const struct runchart_part *p = &rc->parts[k];
                fprintf(f, "Part %zu (%s to %s): median %s", k + 1, src->periods[p->start],
                        src->periods[p->start + p->count - 1],
                        short_number(t[0], sizeof t[0], p->centre));
                if (!p->has_thresholds) {
                        fprintf(f, ", no useful observations\n");
                        continue;
                }
                any |= p->signal;
                fprintf(f,
                        ", %zu useful observations,\n  longest run %zu (a signal above %d), "
                        "crossings %zu (a signal below %d): %s\n",
                        p->n_useful, p->longest_run, p->longest_run_max, p->crossings,
                        p->crossings_min, p->signal ? "signal" : "no signal");
        }
        fprintf(f, "\nSummary\n  signal: %s\n",
                any ? "yes, non-random variation" : "no, the variation looks random");
        text_warnings(f, rc->warnings, rc->n_warnings);
}

static void run_json(struct buf *out, const struct spc_source *src, const struct runchart *rc)
{
        json_t *root = json_object();
        json_object_set_new(root, "chart", json_string("run"));
        json_object_set_new(root, "input", json_string(src->name));
        json_t *points = json_array();
        int any = 0;
        for (size_t i = 0; i < rc->n; i++) {
                const struct runchart_part *p = &rc->parts[rc->part[i]];
                json_t *o = json_object();
                json_object_set_new(o, "period", json_string(src->periods[i]));
                json_object_set_new(o, "value", json_num(src->y[i]));
                json_object_set_new(o, "part", json_integer((json_int_t)rc->part[i] + 1));
                json_object_set_new(o, "centre", json_num(p->centre));
                json_object_set_new(o, "side", json_integer(rc->side[i]));
                json_object_set_new(o, "long_run", json_boolean(rc->long_run[i]));
                json_array_append_new(points, o);
        }
        json_object_set_new(root, "points", points);
        json_t *parts = json_array();
        for (size_t k = 0; k < rc->n_parts; k++) {
                const struct runchart_part *p = &rc->parts[k];
                json_t *o = json_object();
                json_object_set_new(o, "first", json_string(src->periods[p->start]));
                json_object_set_new(o, "last", json_string(src->periods[p->start + p->count - 1]));
                json_object_set_new(o, "points", json_integer((json_int_t)p->count));
                json_object_set_new(o, "median", json_num(p->centre));
                json_object_set_new(o, "n_useful", json_integer((json_int_t)p->n_useful));
                json_object_set_new(o, "longest_run", json_integer((json_int_t)p->longest_run));
                json_object_set_new(o, "longest_run_max",
                                    p->has_thresholds ? json_integer(p->longest_run_max)
                                                      : json_null());
                json_object_set_new(o, "crossings", json_integer((json_int_t)p->crossings));
                json_object_set_new(o, "crossings_min",
                                    p->has_thresholds ? json_integer(p->crossings_min)
                                                      : json_null());
                json_object_set_new(o, "runs_signal", json_boolean(p->runs_signal));
                json_object_set_new(o, "crossings_signal", json_boolean(p->crossings_signal));
                json_object_set_new(o, "signal", json_boolean(p->signal));
                json_array_append_new(parts, o);
                any |= p->signal;
        }
        json_object_set_new(root, "parts", parts);
        json_t *summary = json_object();
        json_object_set_new(summary, "signal", json_boolean(any));
        json_object_set_new(summary, "warnings", warnings_json(rc->warnings, rc->n_warnings));
        json_object_set_new(root, "summary", summary);
        json_out(out, root);
}

void spc_output_run(struct buf *out, enum spc_format f, const struct spc_source *src,
                    const struct runchart *rc)
{
        struct sink s;
        switch (f) {
        case SPC_FORMAT_CSV:
                run_csv(sink_open(&s), src, rc);
                sink_close(&s, out);
                break;
        case SPC_FORMAT_TEXT:
                run_text(sink_open(&s), src, rc);
                sink_close(&s, out);
                break;
        case SPC_FORMAT_JSON:
                run_json(out, src, rc);
                break;
        case SPC_FORMAT_SVG: {
                struct buf title;
                buf_init(&title);
                buf_printf(&title, "Run chart: %s", src->name);
                spc_svg_run(out, rc, src->y, src->periods, title.data);
                buf_release(&title);
                break;
        }
        }
}
