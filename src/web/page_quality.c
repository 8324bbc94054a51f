/*
 * page_quality.c — data quality of the signed-in user's authority:
 *
 *   GET /quality                   its imports (status, counts) and the
 *                                  stored validation findings counted by rule
 *   GET /quality/{return}/{year}/rules/{rule}   the findings of one rule
 *   GET /quality/children/{child}               every finding about one child
 *   GET /quality/{return}/{year}/report.xlsx    the workbook `improve validate
 *                                               --format xlsx` writes, from
 *                                               the stored findings
 *
 * Counts are aggregates (staff and practitioners); anything that names a
 * child is for the roles allowed child-level data, and the route writes
 * each view to the audit log with the children shown.  Every query is
 * limited to scope->la: a child id from another authority finds nothing.
 */
#include "web/pages.h"
#include "cmd/validate.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void td_int(struct html *h, long long v)
{
        html_lit(h, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">");
        html_int(h, v);
        html_lit(h, "</td>");
}

static int child_level(const struct web_ctx *c)
{
        return (WEB_STAFF & WEB_ROLE(c->scope->role)) != 0;
}

static const char *return_words(const char *kind)
{
        return strcmp(kind, "cin") == 0 ? "CIN census" : "SSDA903";
}

/* ---------------------------------------------------------------- imports */

struct imports_ctx {
        struct web_ctx *c;
        int n;
};

static const char *count_of(json_t *counts, const char *key, char *buf, size_t n)
{
        json_t *v = json_object_get(counts, key);
        if (json_is_integer(v)) {
                snprintf(buf, n, "%lld", (long long)json_integer_value(v));
                return buf;
        }
        return "";
}

static int import_row(void *vctx, const struct store_import_row *r)
{
        struct imports_ctx *ic = vctx;
        struct html *h = &ic->c->html;
        if (++ic->n > 200)
                return 1;
        char b[6][32];
        json_t *counts = json_loads(r->counts ? r->counts : "{}", 0, NULL);
        html_lit(h, "<tr class=\"govuk-table__row\">");
        snprintf(b[0], 32, "%lld", (long long)r->id);
        html_td(h, b[0], 1);
        html_td(h, r->kind, 0);
        if (r->year)
                snprintf(b[1], 32, "%d/%02d", r->year - 1, r->year % 100);
        else
                b[1][0] = '\0';
        html_td(h, b[1], 0);
        html_td(h, r->started_at, 0);
        html_td(h, r->user, 0);
        html_lit(h, "<td class=\"govuk-table__cell\"><strong class=\"govuk-tag ");
        const char *status = r->status ? r->status : "";
        if (strcmp(status, "ok") == 0)
                html_lit(h, "govuk-tag--green\">Stored");
        else if (strcmp(status, "rejected") == 0)
                html_lit(h, "govuk-tag--red\">Refused");
        else if (strcmp(status, "failed") == 0)
                html_lit(h, "govuk-tag--red\">Failed");
        else
                html_lit(h, "govuk-tag--grey\">Running");
        html_lit(h, "</strong>");
        if (r->current)
                html_lit(h, " <span class=\"govuk-body-s\">(current)</span>");
        html_lit(h, "</td>");
        html_td(h, count_of(counts, "children", b[2], 32), 1);
        html_td(h, count_of(counts, "errors", b[3], 32), 1);
        html_td(h, count_of(counts, "queries", b[4], 32), 1);
        snprintf(b[5], 32, "%lld", (long long)r->files);
        html_td(h, b[5], 1);
        if (ic->c->scope->role == WEB_ROLE_ADMIN) {
                html_lit(h, "<td class=\"govuk-table__cell\">");
                if (r->current) {
                        html_lit(h, "<a class=\"govuk-link\" href=\"");
                        html_url(h, arena_printf(ic->c->arena, "/admin/imports/%lld/delete",
                                                 (long long)r->id));
                        html_lit(h, "\">Delete<span class=\"govuk-visually-hidden\"> import ");
                        html_int(h, r->id);
                        html_lit(h, "</span></a>");
                }
                html_lit(h, "</td>");
        }
        json_decref(counts);
        html_lit(h, "</tr>\n");
        return 0;
}

/* ---------------------------------------------------------------- findings by rule */

struct rules_ctx {
        struct web_ctx *c;
        char kind[16];
        int year;
        int open;
        long long n;
};

static void rules_table_close(struct rules_ctx *rc)
{
        if (rc->open)
                html_lit(&rc->c->html, "</tbody>\n</table>\n");
        rc->open = 0;
}

static int rule_row(void *vctx, const struct store_rule_count *r)
{
        struct rules_ctx *rc = vctx;
        struct web_ctx *c = rc->c;
        struct html *h = &c->html;
        if (!rc->open || strcmp(rc->kind, r->kind) != 0 || rc->year != r->year) {
                rules_table_close(rc);
                snprintf(rc->kind, sizeof rc->kind, "%s", r->kind);
                rc->year = r->year;
                html_lit(h, "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                            "govuk-table__caption--s\">");
                html_textf(h, "%s %d/%02d: findings by rule", return_words(r->kind), r->year - 1,
                           r->year % 100);
                html_lit(h, "</caption>\n<thead class=\"govuk-table__head\">"
                            "<tr class=\"govuk-table__row\">");
                html_th(h, "Rule", 0);
                html_th(h, "Severity", 0);
                html_th(h, "Findings", 1);
                html_th(h, "Children", 1);
                html_th(h, "Message", 0);
                html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
                rc->open = 1;
        }
        rc->n++;
        html_lit(h, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">");
        if (child_level(c)) {
                html_lit(h, "<a class=\"govuk-link\" href=\"");
                html_url(h, arena_printf(c->arena, "/quality/%s/%d/rules/%s", r->kind, r->year,
                                         r->rule));
                html_lit(h, "\">");
                html_text(h, r->rule);
                html_lit(h, "</a>");
        } else {
                html_text(h, r->rule);
        }
        html_lit(h, "</td>");
        html_lit(h, "<td class=\"govuk-table__cell\"><strong class=\"govuk-tag ");
        if (strcmp(r->severity, "error") == 0)
                html_lit(h, "govuk-tag--red\">Error");
        else
                html_lit(h, "govuk-tag--yellow\">Query");
        html_lit(h, "</strong></td>");
        td_int(h, r->count);
        td_int(h, r->children);
        html_td(h, r->message, 0);
        html_lit(h, "</tr>\n");
        return 0;
}

/* The returns held, for the workbook links. */
struct held_ctx {
        struct web_ctx *c;
        int n;
};

static int held_link(void *vctx, const struct store_import_row *r)
{
        struct held_ctx *hc = vctx;
        if (!r->current)
                return 0;
        struct html *h = &hc->c->html;
        const char *kind = strcmp(r->kind, "cin") == 0 ? "cin" : "ssda903";
        if (!hc->n++)
                html_lit(h, "<ul class=\"govuk-list\">\n");
        html_lit(h, "<li><a class=\"govuk-link\" href=\"");
        html_url(h, arena_printf(hc->c->arena, "/quality/%s/%d/report.xlsx", kind, r->year));
        html_lit(h, "\" download>");
        html_textf(h, "%s %d/%02d findings (XLSX)", return_words(kind), r->year - 1, r->year % 100);
        html_lit(h, "</a></li>\n");
        return 0;
}

int page_quality(struct web_ctx *c)
{
        struct html *h = &c->html;
        struct err e = {0};
        web_page_begin(c, "Data quality");
        html_lit(h, "<h1 class=\"govuk-heading-l\">Data quality</h1>\n"
                    "<h2 class=\"govuk-heading-m\">Imports</h2>\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Imports of authority ");
        html_text(h, c->scope->la);
        html_lit(h, ", newest first</caption>\n<thead class=\"govuk-table__head\">"
                    "<tr class=\"govuk-table__row\">");
        html_th(h, "Import", 1);
        html_th(h, "Kind", 0);
        html_th(h, "Year", 0);
        html_th(h, "Started (UTC)", 0);
        html_th(h, "By", 0);
        html_th(h, "Status", 0);
        html_th(h, "Children", 1);
        html_th(h, "Errors", 1);
        html_th(h, "Queries", 1);
        html_th(h, "Files", 1);
        if (c->scope->role == WEB_ROLE_ADMIN)
                html_th(h, "Change", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        struct imports_ctx ic = {c, 0};
        if (store_import_each(c->store, c->scope->la, import_row, &ic, &e))
                return -1;
        html_lit(h, "</tbody>\n</table>\n");
        if (ic.n == 0)
                html_lit(h, "<p class=\"govuk-body\">Nothing has been imported for this "
                            "authority yet.</p>\n");

        html_lit(h, "<h2 class=\"govuk-heading-m\">Validation findings by rule</h2>\n");
        if (child_level(c)) {
                html_lit(h, "<p class=\"govuk-body\">Select a rule for the children and rows it "
                            "found. Opening those lists is recorded in the audit log.</p>\n");
                struct held_ctx hc = {c, 0};
                if (store_import_each(c->store, c->scope->la, held_link, &hc, &e))
                        return -1;
                if (hc.n)
                        html_lit(h, "</ul>\n");
        }
        struct rules_ctx rc = {.c = c};
        if (store_web_rule_counts(c->store, c->scope->la, rule_row, &rc, &e))
                return -1;
        rules_table_close(&rc);
        if (rc.n == 0)
                html_lit(h, "<p class=\"govuk-body\">No stored return has findings.</p>\n");
        web_page_end(c);
        return 0;
}

/* ---------------------------------------------------------------- child-level lists */

struct list_ctx {
        struct web_ctx *c;
        int by_child; /* the child column is the page's subject: show the rule instead */
        struct buf children;
        long long n;
};

static int finding_html(void *vctx, const struct store_finding_row *f)
{
        struct list_ctx *lc = vctx;
        struct web_ctx *c = lc->c;
        struct html *h = &c->html;
        lc->n++;
        if (lc->n > 5000)
                return 1;
        char b[2][32];
        html_lit(h, "<tr class=\"govuk-table__row\">");
        if (lc->by_child) {
                snprintf(b[1], 32, "%s %d/%02d", return_words(f->kind), f->year - 1, f->year % 100);
                html_td(h, b[1], 0);
                html_td(h, f->rule, 0);
        } else {
                html_lit(h, "<td class=\"govuk-table__cell\">");
                if (f->child && *f->child) {
                        html_lit(h, "<a class=\"govuk-link\" href=\"");
                        html_lit(h, "/quality/children/");
                        html_url_param(h, f->child);
                        html_lit(h, "\">");
                        html_text(h, f->child);
                        html_lit(h, "</a>");
                }
                html_lit(h, "</td>");
        }
        html_td(h, f->table, 0);
        if (f->row)
                snprintf(b[0], 32, "%lld", (long long)f->row);
        else
                b[0][0] = '\0';
        html_td(h, b[0], 1);
        html_td(h, f->fields, 0);
        html_td(h, f->message, 0);
        html_lit(h, "</tr>\n");
        if (f->child && *f->child && lc->children.len < 60000 && (lc->n == 1 || !lc->by_child)) {
                if (lc->children.len)
                        buf_putc(&lc->children, ',');
                buf_puts(&lc->children, f->child);
        }
        return 0;
}

static void list_head(struct html *h, int by_child)
{
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        if (by_child) {
                html_th(h, "Return", 0);
                html_th(h, "Rule", 0);
        } else {
                html_th(h, "Child", 0);
        }
        html_th(h, "Table", 0);
        html_th(h, "Row", 1);
        html_th(h, "Fields", 0);
        html_th(h, "Message", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
}

int page_quality_findings(struct web_ctx *c)
{
        const char *kind = web_field(c, "return");
        const char *rule = web_field(c, "rule");
        const char *ytext = web_field(c, "year");
        if (strcmp(kind, "ssda903") != 0 && strcmp(kind, "cin") != 0) {
                web_error_page(c, 404, "Page not found", "There is no such return.");
                return 0;
        }
        int year = atoi(ytext);
        struct html *h = &c->html;
        struct err e = {0};
        web_page_begin(c, arena_printf(c->arena, "Rule %s", rule));
        html_lit(h, "<a href=\"/quality\" class=\"govuk-back-link\">Back to data quality</a>\n"
                    "<h1 class=\"govuk-heading-l\">");
        html_textf(h, "Rule %s: %s %d/%02d", rule, return_words(kind), year - 1, year % 100);
        html_lit(h, "</h1>\n<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Findings of rule ");
        html_text(h, rule);
        list_head(h, 0);
        struct list_ctx lc = {.c = c};
        buf_init(&lc.children);
        int rc = store_web_findings_each(c->store, c->scope->la, kind, year, rule, NULL,
                                         finding_html, &lc, &e);
        html_lit(h, "</tbody>\n</table>\n");
        if (lc.n == 0)
                html_lit(h, "<p class=\"govuk-body\">No findings.</p>\n");
        else if (lc.n > 5000)
                html_lit(h, "<p class=\"govuk-body\">Only the first 5,000 are shown; download "
                            "the workbook from the data quality page for all.</p>\n");
        html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"");
        html_url(h, arena_printf(c->arena, "/api/v1/findings.csv?return=%s&year=%d&rule=%s", kind,
                                 year, rule));
        html_lit(h, "\" download>Download these findings (CSV)</a></p>\n");
        web_page_end(c);
        c->audit_detail =
            arena_printf(c->arena, "findings of rule %s, %s %d: %lld", rule, kind, year, lc.n);
        c->audit_children = lc.children.len ? arena_strdup(c->arena, lc.children.data) : NULL;
        buf_release(&lc.children);
        return rc;
}

int page_quality_child(struct web_ctx *c)
{
        const char *child = web_field(c, "child");
        /* The path segment is still %-encoded: decode it as a query value would be. */
        struct http_params p = {0};
        struct err e = {0};
        const char *raw = arena_printf(c->arena, "x=%s", child);
        if (http_parse_urlencoded(c->arena, raw, strlen(raw), &p, &e) || p.n != 1) {
                web_error_page(c, 404, "Page not found", "There is no such child.");
                return 0;
        }
        child = p.v[0].value;
        struct html *h = &c->html;
        web_page_begin(c, "Findings about a child");
        html_lit(h, "<a href=\"/quality\" class=\"govuk-back-link\">Back to data quality</a>\n"
                    "<h1 class=\"govuk-heading-l\"><span class=\"govuk-caption-l\">Findings "
                    "about</span>Child ");
        html_text(h, child);
        html_lit(h, "</h1>\n<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Every finding about child ");
        html_text(h, child);
        list_head(h, 1);
        struct list_ctx lc = {.c = c, .by_child = 1};
        buf_init(&lc.children);
        int rc = store_web_findings_each(c->store, c->scope->la, NULL, 0, NULL, child, finding_html,
                                         &lc, &e);
        html_lit(h, "</tbody>\n</table>\n");
        if (lc.n == 0)
                html_lit(h, "<p class=\"govuk-body\">No findings about this child in your "
                            "authority's returns.</p>\n");
        web_page_end(c);
        c->audit_detail = arena_printf(c->arena, "findings about one child: %lld", lc.n);
        c->audit_children = lc.n ? arena_strdup(c->arena, child) : NULL;
        buf_release(&lc.children);
        return rc;
}

/* ---------------------------------------------------------------- the workbook */

struct xl_ctx {
        struct validate_run *r;
        struct finding *f;
        size_t n, cap;
        struct buf children;
};

static const char *keep(struct validate_run *r, const char *s)
{
        return s ? arena_strdup(&r->arena, s) : NULL;
}

static int xl_finding(void *vctx, const struct store_finding_row *f)
{
        struct xl_ctx *x = vctx;
        x->f = xgrow(x->f, &x->cap, x->n + 1, sizeof *x->f);
        x->f[x->n++] = (struct finding){
            .rule = keep(x->r, f->rule),
            .severity = strcmp(f->severity, "query") == 0 ? RULE_QUERY : RULE_ERROR,
            .table = keep(x->r, f->table),
            .row = (long)f->row,
            .child = keep(x->r, f->child),
            .fields = keep(x->r, f->fields),
            .message = keep(x->r, f->message),
            .file = keep(x->r, f->file),
        };
        if (f->severity && strcmp(f->severity, "query") == 0)
                x->r->res.nqueries++;
        else
                x->r->res.nerrors++;
        return 0;
}

int page_quality_xlsx(struct web_ctx *c)
{
        const char *kind = web_field(c, "return");
        int year = atoi(web_field(c, "year"));
        if (strcmp(kind, "ssda903") != 0 && strcmp(kind, "cin") != 0) {
                web_error_page(c, 404, "Page not found", "There is no such return.");
                return 0;
        }
        struct err e = {0};
        struct store_return_info info;
        enum store_return_kind k =
            strcmp(kind, "cin") == 0 ? STORE_RETURN_CIN : STORE_RETURN_SSDA903;
        int held = store_return_get(c->store, k, c->scope->la, year, &info, &e);
        if (held < 0)
                return -1;
        if (!held) {
                web_error_page(c, 404, "Page not found", "No return of that year is held.");
                return 0;
        }
        struct validate_run r;
        validate_run_init(&r);
        r.ret = k == STORE_RETURN_CIN ? RULES_CIN : RULES_903;
        r.collection_year = year;
        r.rules_year = info.rules_year;
        r.res.rules_year = info.rules_year;
        r.nchildren = (size_t)info.children;
        r.nrows = (size_t)info.rows;
        r.year_note =
            arena_printf(&r.arena, "collection year %d/%02d (as stored)", year - 1, year % 100);
        r.rules_note = arena_printf(&r.arena, "the %d rule set, findings as stored by import %lld",
                                    info.rules_year, (long long)info.import_id);
        r.la_note = arena_printf(&r.arena, "authority %s", c->scope->la);
        struct xl_ctx x = {.r = &r};
        int rc = store_web_findings_each(c->store, c->scope->la, kind, year, NULL, NULL, xl_finding,
                                         &x, &e);
        r.res.f = x.f;
        r.res.n = x.n;
        r.res.cap = x.cap;
        char path[] = "/tmp/improve-report-XXXXXX";
        int fd = rc ? -1 : mkstemp(path);
        if (rc == 0 && fd < 0)
                rc =
                    err_set(&e, EXIT_INTERNAL, "cannot make a temporary file: %s", strerror(errno));
        if (fd >= 0) {
                close(fd);
                rc = validate_write_xlsx(path, &r, &e);
                if (rc == 0) {
                        struct buf b;
                        buf_init(&b);
                        rc = buf_read_file(&b, path, &e);
                        if (rc == 0)
                                buf_append(&c->resp->body, b.data, b.len);
                        buf_release(&b);
                }
                unlink(path);
        }
        /* Every child in the workbook is in the audit record. */
        struct buf kids;
        buf_init(&kids);
        for (size_t i = 0; i < r.res.n && kids.len < 60000; i++)
                if (r.res.f[i].child && *r.res.f[i].child &&
                    (i == 0 || !r.res.f[i - 1].child ||
                     strcmp(r.res.f[i - 1].child, r.res.f[i].child) != 0)) {
                        if (kids.len)
                                buf_putc(&kids, ',');
                        buf_puts(&kids, r.res.f[i].child);
                }
        c->audit_detail =
            arena_printf(c->arena, "findings workbook %s %d: %zu findings", kind, year, r.res.n);
        c->audit_children = kids.len ? arena_strdup(c->arena, kids.data) : NULL;
        buf_release(&kids);
        validate_run_release(&r);
        if (rc)
                return -1;
        c->resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http_response_header(c->resp, "Content-Disposition",
                             arena_printf(c->arena,
                                          "attachment; filename=\"%s-%s-%d-findings.xlsx\"",
                                          c->scope->la, kind, year));
        return 0;
}
