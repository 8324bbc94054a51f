/*
 * validate_report.c — the validation report in its four forms: text for a
 * person at a terminal, CSV and XLSX for the analyst fixing the return, JSON
 * for other programs (see validate.h).
 *
 * Whatever the form, a report never hides what was not checked: rules skipped
 * for want of data are listed with the reason, and rules of the set that have
 * no implementation yet are counted.  CSV and XLSX findings have exactly the
 * columns rule,severity,table,row,child,fields,message,file.
 */
#include "cmd/validate.h"

#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <xlsxwriter.h>

static const char *const report_columns[] = {"rule",  "severity", "table",   "row",
                                             "child", "fields",   "message", "file"};

static const char *severity_name(enum rule_severity s)
{
        return s == RULE_QUERY ? "query" : "error";
}

static const char *rule_message(const struct validate_run *r, const char *code)
{
        if (strcmp(code, "FORMAT") == 0)
                return "The file holds something its format does not allow (see each finding).";
        const struct rule_def *d = rules_find(r->ret, r->rules_year, code);
        return d ? d->message : "";
}

struct validate_rule_count *validate_rule_counts(const struct validate_run *r, size_t *n)
{
        struct validate_rule_count *v = NULL;
        size_t cap = 0, k = 0;
        ssize_t last = -1;
        for (size_t i = 0, run; i < r->res.n; i += run) {
                const struct finding *f = &r->res.f[i];
                /* Codes are the rule table's own strings: equal pointers, equal codes.  A
                 * rule's findings lie together, so count the run sharing f's pointer at once. */
                run = 1;
                while (i + run < r->res.n && r->res.f[i + run].rule == f->rule)
                        run++;
                if (last < 0 || (v[last].rule != f->rule && strcmp(v[last].rule, f->rule) != 0)) {
                        /* Findings come grouped by rule, so this search is rare. */
                        last = -1;
                        for (size_t j = 0; j < k; j++)
                                if (v[j].rule[0] == f->rule[0] && strcmp(v[j].rule, f->rule) == 0)
                                        last = (ssize_t)j;
                        if (last < 0) {
                                v = xgrow(v, &cap, k + 1, sizeof *v);
                                v[k] = (struct validate_rule_count){f->rule, f->severity, 0,
                                                                    rule_message(r, f->rule)};
                                last = (ssize_t)k++;
                        }
                }
                v[last].count += run;
        }
        *n = k;
        return v;
}

int validate_format_parse(const char *s)
{
        static const char *const names[] = {"text", "csv", "json", "xlsx"};
        for (int i = 0; i < 4; i++)
                if (strcmp(s, names[i]) == 0)
                        return i;
        return -1;
}

enum validate_format validate_format_of(const char *path)
{
        const char *dot = strrchr(path, '.');
        if (dot && !strchr(dot, '/')) {
                int f = validate_format_parse(dot + 1);
                if (f >= 0)
                        return (enum validate_format)f;
        }
        return VFORMAT_TEXT;
}

/* ---------------------------------------------------------------- text */

static size_t count_kind(const struct validate_run *r, enum rule_outcome_kind k)
{
        size_t n = 0;
        for (size_t i = 0; i < r->res.no; i++)
                n += r->res.o[i].kind == k;
        return n;
}

static const char *plural(size_t n, const char *one, const char *many)
{
        return n == 1 ? one : many;
}

void validate_write_text(FILE *out, const struct validate_run *r, size_t first,
                         const char *full_report)
{
        const struct rules_result *res = &r->res;
        char lab[8];
        size_t ncur = 0, nprev = 0;
        for (size_t i = 0; i < r->nfiles; i++)
                r->files[i].previous ? nprev++ : ncur++;
        fprintf(out, "Return:     %s, %zu %s", validate_return_name(r->ret), ncur,
                plural(ncur, "file", "files"));
        if (nprev)
                fprintf(out, " (and %zu of last year's)", nprev);
        fprintf(out, ", %zu %s, %zu rows\n", r->nchildren,
                plural(r->nchildren, "child", "children"), r->nrows);
        fprintf(out, "Year:       %s\n", r->year_note ? r->year_note : "unknown");
        fprintf(out, "Rules:      %s\n", r->rules_note ? r->rules_note : "");
        fprintf(out, "Authority:  %s\n", r->la_note ? r->la_note : "not given");

        size_t counts_n;
        struct validate_rule_count *counts = validate_rule_counts(r, &counts_n);
        fprintf(out, "Result:     %zu %s and %zu %s", res->nerrors,
                plural(res->nerrors, "error", "errors"), res->nqueries,
                plural(res->nqueries, "query", "queries"));
        if (counts_n)
                fprintf(out, " from %zu %s", counts_n, plural(counts_n, "rule", "rules"));
        fprintf(out, "; %zu %s ran, %zu skipped, %zu not implemented\n", res->nran,
                plural(res->nran, "rule", "rules"), res->nskipped, res->nmissing);

        if (res->n) {
                fprintf(out, "\nFindings by rule:\n  %-10s %-8s %6s  %s\n", "RULE", "SEVERITY",
                        "COUNT", "MESSAGE");
                for (size_t i = 0; i < counts_n; i++)
                        fprintf(out, "  %-10s %-8s %6zu  %s\n", counts[i].rule,
                                severity_name(counts[i].severity), counts[i].count,
                                counts[i].message);
                size_t show = first && first < res->n ? first : res->n;
                if (show < res->n)
                        fprintf(out, "\nFirst %zu of %zu findings:\n", show, res->n);
                else
                        fprintf(out, "\nFindings:\n");
                fprintf(out, "  %-10s %-15s %6s  %-12s %-20s %s\n", "RULE", "TABLE", "ROW", "CHILD",
                        "FIELDS", "MESSAGE");
                for (size_t i = 0; i < show; i++) {
                        const struct finding *f = &res->f[i];
                        char row[24] = "";
                        if (f->row > 0)
                                snprintf(row, sizeof row, "%ld", f->row);
                        fprintf(out, "  %-10s %-15s %6s  %-12s %-20s %s\n", f->rule,
                                f->table ? f->table : "", row, f->child ? f->child : "",
                                f->fields ? f->fields : "", f->message);
                }
                if (full_report)
                        fprintf(out, "\nFull report: %s\n", full_report);
                else if (show < res->n)
                        fprintf(out,
                                "\nFor all %zu findings, run again with --out FILE.csv (or "
                                ".xlsx, .json).\n",
                                res->n);
        } else {
                fprintf(out, "\nNo findings.\n");
                if (full_report)
                        fprintf(out, "Full report: %s\n", full_report);
        }
        free(counts);

        size_t nfailed = count_kind(r, RULE_FAILED);
        if (nfailed) {
                fprintf(out,
                        "\nRules that could not finish (%zu); their findings are "
                        "incomplete:\n",
                        nfailed);
                for (size_t i = 0; i < res->no; i++)
                        if (res->o[i].kind == RULE_FAILED)
                                fprintf(out, "  %-10s %s\n", res->o[i].code, res->o[i].reason);
        }
        if (res->nskipped) {
                fprintf(out, "\nSkipped (%zu %s, not checked):\n", res->nskipped,
                        plural(res->nskipped, "rule", "rules"));
                for (size_t i = 0; i < res->no; i++)
                        if (res->o[i].kind == RULE_SKIPPED)
                                fprintf(out, "  %-10s %s\n", res->o[i].code, res->o[i].reason);
        }
        if (res->nmissing)
                fprintf(out,
                        "\nNot implemented yet: %zu %s of the %s set, not checked (list them with "
                        "'improve rules --return %s --rules %d').\n",
                        res->nmissing, plural(res->nmissing, "rule", "rules"),
                        validate_year_label(r->rules_year, lab),
                        r->ret == RULES_CIN ? "cin" : "903", r->rules_year);
}

/* ---------------------------------------------------------------- CSV */

void validate_write_csv(FILE *out, const struct validate_run *r)
{
        for (size_t c = 0; c < 8; c++)
                fprintf(out, "%s%s", c ? "," : "", report_columns[c]);
        fputc('\n', out);
        for (size_t i = 0; i < r->res.n; i++) {
                const struct finding *f = &r->res.f[i];
                char row[24] = "";
                if (f->row > 0)
                        snprintf(row, sizeof row, "%ld", f->row);
                csv_write_str(out, f->rule);
                fputc(',', out);
                fputs(severity_name(f->severity), out);
                fputc(',', out);
                csv_write_str(out, f->table);
                fputc(',', out);
                fputs(row, out);
                fputc(',', out);
                csv_write_str(out, f->child);
                fputc(',', out);
                csv_write_str(out, f->fields);
                fputc(',', out);
                csv_write_str(out, f->message);
                fputc(',', out);
                csv_write_str(out, f->file);
                fputc('\n', out);
        }
}

/* ---------------------------------------------------------------- JSON */

static json_t *str_or_null(const char *s)
{
        return s ? json_string(s) : json_null();
}

int validate_write_json(FILE *out, const struct validate_run *r, struct err *e)
{
        const struct rules_result *res = &r->res;
        json_t *root = json_object();
        json_object_set_new(root, "return", json_string(r->ret == RULES_CIN ? "cin" : "ssda903"));
        json_t *files = json_array();
        for (size_t i = 0; i < r->nfiles; i++)
                json_array_append_new(files, json_pack("{s:s, s:b}", "path", r->files[i].path,
                                                       "previous", r->files[i].previous));
        json_object_set_new(root, "files", files);
        json_object_set_new(root, "children", json_integer((json_int_t)r->nchildren));
        json_object_set_new(root, "rows", json_integer((json_int_t)r->nrows));
        json_object_set_new(root, "collection_year", json_integer(r->collection_year));
        json_object_set_new(root, "year_note", str_or_null(r->year_note));
        json_object_set_new(root, "rules_year", json_integer(r->rules_year));
        json_object_set_new(root, "rules_note", str_or_null(r->rules_note));
        json_object_set_new(root, "la", str_or_null(r->la_old));
        json_object_set_new(root, "la_code", str_or_null(r->la_code));
        json_object_set_new(root, "la_note", str_or_null(r->la_note));
        json_object_set_new(root, "summary",
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "errors",
                                      (json_int_t)res->nerrors, "queries",
                                      (json_int_t)res->nqueries, "rules_ran", (json_int_t)res->nran,
                                      "rules_skipped", (json_int_t)res->nskipped, "rules_failed",
                                      (json_int_t)res->nfailed, "rules_not_implemented",
                                      (json_int_t)res->nmissing));
        size_t counts_n;
        struct validate_rule_count *counts = validate_rule_counts(r, &counts_n);
        json_t *by_rule = json_array();
        for (size_t i = 0; i < counts_n; i++)
                json_array_append_new(
                    by_rule, json_pack("{s:s, s:s, s:I, s:s}", "rule", counts[i].rule, "severity",
                                       severity_name(counts[i].severity), "count",
                                       (json_int_t)counts[i].count, "message", counts[i].message));
        free(counts);
        json_object_set_new(root, "by_rule", by_rule);
        json_t *findings = json_array();
        for (size_t i = 0; i < res->n; i++) {
                const struct finding *f = &res->f[i];
                json_t *o = json_object();
                json_object_set_new(o, "rule", json_string(f->rule));
                json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
                json_object_set_new(o, "table", str_or_null(f->table));
                json_object_set_new(o, "row", f->row > 0 ? json_integer(f->row) : json_null());
                json_object_set_new(o, "child", str_or_null(f->child));
                json_object_set_new(o, "fields", json_string(f->fields ? f->fields : ""));
                json_object_set_new(o, "message", json_string(f->message));
                json_object_set_new(o, "file", str_or_null(f->file));
                json_array_append_new(findings, o);
        }
        json_object_set_new(root, "findings", findings);
        json_t *skipped = json_array(), *failed = json_array(), *missing = json_array();
        for (size_t i = 0; i < res->no; i++) {
                const struct rule_outcome *o = &res->o[i];
                if (o->kind == RULE_SKIPPED)
                        json_array_append_new(
                            skipped, json_pack("{s:s, s:s}", "rule", o->code, "reason", o->reason));
                else if (o->kind == RULE_FAILED)
                        json_array_append_new(
                            failed, json_pack("{s:s, s:s}", "rule", o->code, "reason", o->reason));
                else if (o->kind == RULE_NOT_IMPLEMENTED)
                        json_array_append_new(missing, json_string(o->code));
        }
        json_object_set_new(root, "skipped", skipped);
        json_object_set_new(root, "failed", failed);
        json_object_set_new(root, "not_implemented", missing);
        int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(root);
        if (rc)
                return err_set(e, EXIT_INTERNAL, "writing the JSON report failed");
        return 0;
}

/* ---------------------------------------------------------------- XLSX */

/* Excel's limits: a sheet's rows, and a cell's characters. */
#define XLSX_MAX_ROWS 1048576u
#define XLSX_MAX_CELL 32767u

static void xl_str(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *fmt)
{
        if (!s || !*s)
                return;
        if (strlen(s) > XLSX_MAX_CELL) {
                char *cut = xstrndup(s, XLSX_MAX_CELL);
                worksheet_write_string(ws, row, col, cut, fmt);
                free(cut);
                return;
        }
        worksheet_write_string(ws, row, col, s, fmt);
}

static void xl_header(lxw_worksheet *ws, const char *const *names, int n, lxw_format *bold)
{
        for (int c = 0; c < n; c++)
                worksheet_write_string(ws, 0, (lxw_col_t)c, names[c], bold);
        worksheet_freeze_panes(ws, 1, 0);
}

struct child_ref {
        const char *child;
        size_t i;
};

static int cmp_child_ref(const void *a, const void *b)
{
        const struct child_ref *x = a, *y = b;
        int c = strcmp(x->child, y->child);
        if (c)
                return c;
        return x->i < y->i ? -1 : x->i > y->i;
}

static void xl_findings(lxw_worksheet *ws, const struct validate_run *r, lxw_format *bold)
{
        const struct rules_result *res = &r->res;
        worksheet_set_column(ws, 0, 0, 10, NULL);
        worksheet_set_column(ws, 1, 1, 9, NULL);
        worksheet_set_column(ws, 2, 2, 16, NULL);
        worksheet_set_column(ws, 3, 3, 7, NULL);
        worksheet_set_column(ws, 4, 4, 14, NULL);
        worksheet_set_column(ws, 5, 5, 22, NULL);
        worksheet_set_column(ws, 6, 6, 70, NULL);
        worksheet_set_column(ws, 7, 7, 30, NULL);
        xl_header(ws, report_columns, 8, bold);
        size_t n = res->n;
        int cut = n > XLSX_MAX_ROWS - 2;
        if (cut)
                n = XLSX_MAX_ROWS - 2;
        for (size_t i = 0; i < n; i++) {
                const struct finding *f = &res->f[i];
                lxw_row_t row = (lxw_row_t)(i + 1);
                xl_str(ws, row, 0, f->rule, NULL);
                xl_str(ws, row, 1, severity_name(f->severity), NULL);
                xl_str(ws, row, 2, f->table, NULL);
                if (f->row > 0)
                        worksheet_write_number(ws, row, 3, (double)f->row, NULL);
                xl_str(ws, row, 4, f->child, NULL);
                xl_str(ws, row, 5, f->fields, NULL);
                xl_str(ws, row, 6, f->message, NULL);
                xl_str(ws, row, 7, f->file, NULL);
        }
        if (cut) {
                char note[160];
                snprintf(note, sizeof note,
                         "%zu more findings do not fit in a sheet; use --format csv for all",
                         res->n - n);
                worksheet_write_string(ws, (lxw_row_t)(n + 1), 6, note, bold);
        }
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, 7);
}

static void xl_summary(lxw_worksheet *ws, const struct validate_run *r, lxw_format *bold)
{
        static const char *const cols[] = {"rule", "count", "message"};
        worksheet_set_column(ws, 0, 0, 10, NULL);
        worksheet_set_column(ws, 1, 1, 8, NULL);
        worksheet_set_column(ws, 2, 2, 80, NULL);
        xl_header(ws, cols, 3, bold);
        size_t n;
        struct validate_rule_count *c = validate_rule_counts(r, &n);
        for (size_t i = 0; i < n; i++) {
                xl_str(ws, (lxw_row_t)(i + 1), 0, c[i].rule, NULL);
                worksheet_write_number(ws, (lxw_row_t)(i + 1), 1, (double)c[i].count, NULL);
                xl_str(ws, (lxw_row_t)(i + 1), 2, c[i].message, NULL);
        }
        free(c);
}

/* One row per child: their errors and queries, and the rules they break. */
static void xl_children(lxw_worksheet *ws, const struct validate_run *r, lxw_format *bold)
{
        static const char *const cols[] = {"child", "errors", "queries", "rules"};
        worksheet_set_column(ws, 0, 0, 14, NULL);
        worksheet_set_column(ws, 1, 2, 8, NULL);
        worksheet_set_column(ws, 3, 3, 60, NULL);
        xl_header(ws, cols, 4, bold);
        const struct rules_result *res = &r->res;
        struct child_ref *v = xmalloc((res->n ? res->n : 1) * sizeof *v);
        size_t n = 0;
        for (size_t i = 0; i < res->n; i++)
                if (res->f[i].child && *res->f[i].child)
                        v[n++] = (struct child_ref){res->f[i].child, i};
        qsort(v, n, sizeof *v, cmp_child_ref);
        struct buf_rules {
                char *s;
                size_t len, cap;
        } rules = {0};
        lxw_row_t row = 1;
        for (size_t a = 0; a < n && row < XLSX_MAX_ROWS;) {
                size_t b = a, errors = 0, queries = 0;
                rules.len = 0;
                for (; b < n && strcmp(v[b].child, v[a].child) == 0; b++) {
                        const struct finding *f = &res->f[v[b].i];
                        if (f->severity == RULE_QUERY)
                                queries++;
                        else
                                errors++;
                        /* Each rule once per child, in catalogue order. */
                        int seen = 0;
                        for (size_t k = a; k < b && !seen; k++)
                                seen = strcmp(res->f[v[k].i].rule, f->rule) == 0;
                        if (seen)
                                continue;
                        size_t need = rules.len + strlen(f->rule) + 3;
                        rules.s = xgrow(rules.s, &rules.cap, need, 1);
                        rules.len += (size_t)snprintf(rules.s + rules.len, rules.cap - rules.len,
                                                      "%s%s", rules.len ? ", " : "", f->rule);
                }
                xl_str(ws, row, 0, v[a].child, NULL);
                worksheet_write_number(ws, row, 1, (double)errors, NULL);
                worksheet_write_number(ws, row, 2, (double)queries, NULL);
                xl_str(ws, row, 3, rules.len ? rules.s : "", NULL);
                row++;
                a = b;
        }
        free(rules.s);
        free(v);
        if (row > 1)
                worksheet_autofilter(ws, 0, 0, row - 1, 3);
}

/* What was checked and what was not: the sheet a reader of the workbook starts from. */
static void xl_about(lxw_worksheet *ws, const struct validate_run *r, lxw_format *bold)
{
        const struct rules_result *res = &r->res;
        worksheet_set_column(ws, 0, 0, 16, NULL);
        worksheet_set_column(ws, 1, 1, 100, NULL);
        lxw_row_t row = 0;
        char buf[256];
        snprintf(buf, sizeof buf, "%s, %zu children, %zu rows", validate_return_name(r->ret),
                 r->nchildren, r->nrows);
        const char *const lines[][2] = {
            {"return", buf},
            {"year", r->year_note},
            {"rules", r->rules_note},
            {"authority", r->la_note},
        };
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++, row++) {
                xl_str(ws, row, 0, lines[i][0], bold);
                xl_str(ws, row, 1, lines[i][1], NULL);
        }
        snprintf(buf, sizeof buf,
                 "%zu errors, %zu queries; %zu rules ran, %zu skipped, %zu failed, %zu not "
                 "implemented",
                 res->nerrors, res->nqueries, res->nran, res->nskipped, res->nfailed,
                 res->nmissing);
        xl_str(ws, row, 0, "result", bold);
        xl_str(ws, row++, 1, buf, NULL);
        row++;
        for (size_t i = 0; i < res->no && row < XLSX_MAX_ROWS; i++) {
                const struct rule_outcome *o = &res->o[i];
                if (o->kind == RULE_RAN)
                        continue;
                const char *what = o->kind == RULE_SKIPPED  ? "skipped: "
                                   : o->kind == RULE_FAILED ? "failed: "
                                                            : "";
                snprintf(buf, sizeof buf, "%s%s", what, o->reason ? o->reason : "");
                xl_str(ws, row, 0, o->code, NULL);
                xl_str(ws, row++, 1, buf, NULL);
        }
}

int validate_write_xlsx(const char *path, const struct validate_run *r, struct err *e)
{
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
        lxw_workbook *wb = workbook_new_opt(path, &opt);
        if (!wb)
                return err_set(e, EXIT_INPUT, "%s: cannot create the workbook", path);
        lxw_format *bold = workbook_add_format(wb);
        format_set_bold(bold);
        lxw_worksheet *findings = workbook_add_worksheet(wb, "Findings");
        lxw_worksheet *summary = workbook_add_worksheet(wb, "Summary");
        lxw_worksheet *children = workbook_add_worksheet(wb, "Children");
        lxw_worksheet *about = workbook_add_worksheet(wb, "About");
        if (!findings || !summary || !children || !about) {
                workbook_close(wb);
                return err_set(e, EXIT_INTERNAL, "%s: cannot add worksheets", path);
        }
        xl_findings(findings, r, bold);
        xl_summary(summary, r, bold);
        xl_children(children, r, bold);
        xl_about(about, r, bold);
        lxw_error rc = workbook_close(wb);
        if (rc != LXW_NO_ERROR)
                return err_set(e, EXIT_INPUT, "%s: cannot write the workbook: %s", path,
                               lxw_strerror(rc));
        return 0;
}
