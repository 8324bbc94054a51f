/*
 * page_api.c — the JSON API under /api/v1/, mirroring the command line's
 * outputs with the same roles and suppression as the pages:
 *
 *   GET /api/v1/measures[.csv]  `improve measures --la LA` (JSON or CSV)
 *   GET /api/v1/spc/{measure}   `improve spc --format json` of one measure
 *   GET /api/v1/findings[.csv]  `improve validate --format csv` columns, from
 *                               the stored findings (child-level: staff
 *                               roles only, audited)
 *
 * The bodies are written by the command's own writers (measures_write_*,
 * spc_output_xmr) into memory, so the API cannot drift from the CLI.
 * Outward roles get values passed through disclosure control ("c").
 */
#include "web/pages.h"
#include "web/web_data.h"
#include "cmd/spc_output.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/spc.h"
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run a FILE writer into the response body. */
static int to_body(struct web_ctx *c,
                   int (*write)(FILE *, const struct measures_row *, size_t, struct err *),
                   const struct web_measures *set, struct err *e)
{
        char *data = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&data, &len);
        if (!f)
                return err_set(e, EXIT_INTERNAL, "open_memstream: %s", strerror(errno));
        int rc = write(f, set->v, set->n, e);
        if (fclose(f) != 0 && rc == 0)
                rc = err_set(e, EXIT_INTERNAL, "writing the answer: %s", strerror(errno));
        if (rc == 0)
                buf_append(&c->resp->body, data, len);
        free(data);
        return rc;
}

int web_write_csv(struct web_ctx *c, const struct web_measures *set, const char *filename,
                  struct err *e)
{
        c->resp->content_type = "text/csv; charset=utf-8";
        http_response_header(c->resp, "Content-Disposition",
                             arena_printf(c->arena, "attachment; filename=\"%s\"", filename));
        return to_body(c, measures_write_csv, set, e);
}

/* The rows the query asks for: period year (default) or month, and optionally one year. */
static int api_rows(struct web_ctx *c, struct web_measures *set, struct err *e)
{
        const char *measure = web_field(c, "measure");
        if (measure && !measure_find(measure)) {
                http_respond_text(c->resp, 404, "no such measure\n");
                return 1;
        }
        const char *period = web_field(c, "period");
        if (period && strcmp(period, "year") != 0 && strcmp(period, "month") != 0) {
                http_respond_text(c->resp, 400, "period must be year or month\n");
                return 1;
        }
        int month = period && strcmp(period, "month") == 0;
        const char *ytext = web_field(c, "year");
        int year = ytext ? atoi(ytext) : 0;
        if (web_measures_load(c->store, c->scope->la, measure, c->scope->suppress, month,
                              WEB_SPC_ALL, set, e))
                return -1;
        size_t kept = 0;
        for (size_t i = 0; i < set->n; i++) {
                struct measures_row *r = &set->v[i];
                if ((r->period == MEASURE_MONTH) == month && (!year || r->year == year))
                        set->v[kept++] = *r;
                else
                        free(r->note);
        }
        set->n = kept;
        return 0;
}

static int measures(struct web_ctx *c, int csv)
{
        struct err e = {0};
        struct web_measures set;
        int rc = api_rows(c, &set, &e);
        if (rc)
                return rc < 0 ? -1 : 0;
        if (csv) {
                rc = web_write_csv(c, &set, arena_printf(c->arena, "%s-measures.csv", c->scope->la),
                                   &e);
        } else {
                c->resp->content_type = "application/json";
                rc = to_body(c, measures_write_json, &set, &e);
        }
        web_measures_release(&set);
        return rc;
}

int page_api_measures(struct web_ctx *c)
{
        return measures(c, 0);
}

int page_api_measures_csv(struct web_ctx *c)
{
        return measures(c, 1);
}

int page_api_spc(struct web_ctx *c)
{
        const struct measure_def *m = measure_find(web_field(c, "measure"));
        if (!m || (c->scope->suppress && (m->flags & MEASURE_INTERNAL_ONLY))) {
                http_respond_text(c->resp, 404, "no such measure\n");
                return 0;
        }
        const char *fmt = web_field(c, "format");
        enum spc_format f = SPC_FORMAT_JSON;
        if (fmt && (spc_format_parse(fmt, &f) || f == SPC_FORMAT_TEXT)) {
                http_respond_text(c->resp, 400, "format must be json, csv or svg\n");
                return 0;
        }
        struct err e = {0};
        struct web_measures set;
        if (web_measures_load(c->store, c->scope->la, m->id, c->scope->suppress, 1, WEB_SPC_NONE,
                              &set, &e))
                return -1;
        /* The monthly series, months missing between the first and the last as NaN. */
        size_t n = 0, cap = 0;
        double *y = NULL;
        char **periods = NULL;
        int y0 = 0, m0 = 0;
        for (size_t i = 0; i < set.n; i++) {
                const struct measures_row *r = &set.v[i];
                date_t d;
                if (r->period != MEASURE_MONTH || date_parse_iso(r->period_end, 10, &d))
                        continue;
                int yy, mm, dd;
                date_to_ymd(d, &yy, &mm, &dd);
                if (!n) {
                        y0 = yy;
                        m0 = mm;
                }
                size_t k = (size_t)((yy - y0) * 12 + (mm - m0));
                while (n <= k) {
                        y = xgrow(y, &cap, n + 1, sizeof *y);
                        periods = xrealloc(periods, (n + 1) * sizeof *periods);
                        char iso[11];
                        date_format_iso(
                            date_month_end(date_add_months(date_from_ymd(y0, m0, 1), (int)n)), iso);
                        periods[n] = arena_strdup(c->arena, iso);
                        y[n] = NAN;
                        n++;
                }
                y[k] = r->has_value && !r->c_value ? r->value : NAN;
        }
        int rc = 0;
        if (n == 0) {
                http_respond_text(c->resp, 404, "no monthly values for this measure\n");
        } else {
                struct spc_options o;
                spc_options_init(&o);
                o.direction = m->polarity == BENCH_HIGHER_BETTER  ? SPC_INCREASE
                              : m->polarity == BENCH_LOWER_BETTER ? SPC_DECREASE
                                                                  : SPC_NEUTRAL;
                o.periods = (const char *const *)periods;
                struct spc_chart chart;
                memset(&chart, 0, sizeof chart);
                if (spc_xmr(y, n, &o, &chart, &e)) {
                        rc = -1;
                } else {
                        struct spc_source src = {m->id, (const char *const *)periods, y, n};
                        c->resp->content_type = f == SPC_FORMAT_CSV   ? "text/csv; charset=utf-8"
                                                : f == SPC_FORMAT_SVG ? "image/svg+xml"
                                                                      : "application/json";
                        spc_output_xmr(&c->resp->body, f, &src, &chart);
                        spc_chart_release(&chart);
                }
        }
        free(y);
        free(periods);
        web_measures_release(&set);
        return rc;
}

/* ---------------------------------------------------------------- findings */

static const char *const finding_cols[8] = {"rule",  "severity", "table",   "row",
                                            "child", "fields",   "message", "file"};

struct findings_ctx {
        FILE *csv;           /* CSV output, or NULL for JSON */
        json_t *json;        /* the array of findings */
        struct buf children; /* child ids for the audit record, comma-separated */
        size_t n;
};

static int finding_row(void *vctx, const struct store_finding_row *f)
{
        struct findings_ctx *fc = vctx;
        char row[32];
        snprintf(row, sizeof row, "%lld", (long long)f->row);
        const char *cells[8] = {f->rule,
                                f->severity,
                                f->table ? f->table : "",
                                f->row ? row : "",
                                f->child ? f->child : "",
                                f->fields,
                                f->message,
                                f->file ? f->file : ""};
        if (fc->csv) {
                for (int i = 0; i < 8; i++) {
                        if (i)
                                fputc(',', fc->csv);
                        csv_write_str(fc->csv, cells[i]);
                }
                fputc('\n', fc->csv);
        } else {
                json_t *o = json_object();
                for (int i = 0; i < 8; i++)
                        json_object_set_new(o, finding_cols[i],
                                            i == 3 ? (f->row ? json_integer(f->row) : json_null())
                                            : (i == 2 && !f->table) || (i == 4 && !f->child) ||
                                                    (i == 7 && !f->file)
                                                ? json_null()
                                                : json_string(cells[i]));
                json_array_append_new(fc->json, o);
        }
        if (f->child && *f->child && fc->children.len < 60000) {
                if (fc->children.len)
                        buf_putc(&fc->children, ',');
                buf_puts(&fc->children, f->child);
        }
        fc->n++;
        return 0;
}

static int findings(struct web_ctx *c, int csv)
{
        const char *kind = web_field(c, "return");
        if (kind && strcmp(kind, "ssda903") != 0 && strcmp(kind, "cin") != 0) {
                http_respond_text(c->resp, 400, "return must be ssda903 or cin\n");
                return 0;
        }
        const char *ytext = web_field(c, "year");
        struct err e = {0};
        struct findings_ctx fc = {0};
        buf_init(&fc.children);
        char *data = NULL;
        size_t len = 0;
        if (csv) {
                fc.csv = open_memstream(&data, &len);
                if (!fc.csv)
                        return err_set(&e, EXIT_INTERNAL, "open_memstream failed");
                for (int i = 0; i < 8; i++)
                        fprintf(fc.csv, "%s%s", i ? "," : "", finding_cols[i]);
                fputc('\n', fc.csv);
        } else {
                fc.json = json_array();
        }
        int rc = store_web_findings_each(c->store, c->scope->la, kind, ytext ? atoi(ytext) : 0,
                                         web_field(c, "rule"), web_field(c, "child"), finding_row,
                                         &fc, &e);
        if (csv) {
                fclose(fc.csv);
                c->resp->content_type = "text/csv; charset=utf-8";
                http_response_header(c->resp, "Content-Disposition",
                                     arena_printf(c->arena,
                                                  "attachment; filename=\"%s-findings.csv\"",
                                                  c->scope->la));
                buf_append(&c->resp->body, data, len);
                free(data);
        } else {
                c->resp->content_type = "application/json";
                char *text = json_dumps(fc.json, JSON_INDENT(1));
                buf_puts(&c->resp->body, text ? text : "[]");
                buf_putc(&c->resp->body, '\n');
                free(text);
                json_decref(fc.json);
        }
        /* Child-level data was read: who, what and which children go to the audit log. */
        c->audit_detail =
            arena_printf(c->arena, "findings %s: %zu rows", csv ? "CSV" : "JSON", fc.n);
        c->audit_children = fc.children.len ? arena_strdup(c->arena, fc.children.data) : NULL;
        buf_release(&fc.children);
        return rc;
}

int page_api_findings(struct web_ctx *c)
{
        return findings(c, 0);
}

int page_api_findings_csv(struct web_ctx *c)
{
        return findings(c, 1);
}
