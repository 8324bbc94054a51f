/*
 * page_admin.c — the administrator's pages: the users of the authority
 * (GET /admin/users) and its audit log (GET /admin/audit).
 *
 * Both read only the administrator's own authority (scope->la): on a
 * regional install an administrator never sees another authority's users or
 * audit records.  Failed sign-ins with an unknown e-mail belong to no
 * authority, so they are in the log but on no authority's page.
 */
#include "web/pages.h"
#include "core/err.h"
#include "store/store.h"

#include <stdlib.h>

static void th(struct html *h, const char *label)
{
        html_lit(h, "<th scope=\"col\" class=\"govuk-table__header\">");
        html_text(h, label);
        html_lit(h, "</th>");
}

static void td(struct html *h, const char *text)
{
        html_lit(h, "<td class=\"govuk-table__cell\">");
        html_text(h, text ? text : "");
        html_lit(h, "</td>");
}

static int user_row(void *vctx, const struct store_user *u)
{
        struct web_ctx *c = vctx;
        struct html *h = &c->html;
        html_lit(h, "<tr class=\"govuk-table__row\">");
        td(h, u->email);
        td(h, u->role);
        html_lit(h, "<td class=\"govuk-table__cell\">");
        if (u->disabled)
                html_lit(h, "<strong class=\"govuk-tag govuk-tag--grey\">Disabled</strong>");
        else
                html_lit(h, "<strong class=\"govuk-tag govuk-tag--green\">Active</strong>");
        html_lit(h, "</td>");
        td(h, u->created_at);
        html_lit(h, "</tr>\n");
        return 0;
}

int page_admin_users(struct web_ctx *c)
{
        struct html *h = &c->html;
        web_page_begin(c, "Users");
        html_lit(h, "<h1 class=\"govuk-heading-l\">Users</h1>\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--m\">Accounts of authority ");
        html_text(h, c->scope->la);
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        th(h, "Email address");
        th(h, "Role");
        th(h, "Status");
        th(h, "Created (UTC)");
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        struct err e = {0};
        if (store_user_each(c->store, c->scope->la, user_row, c, &e))
                return -1;
        html_lit(h, "</tbody>\n</table>\n"
                    "<p class=\"govuk-body\">Accounts are added, disabled and reset with "
                    "<code>improve user</code> on the server; see <code>improve user --help</code>."
                    "</p>\n");
        web_page_end(c);
        return 0;
}

#define AUDIT_PAGE 100

struct audit_ctx {
        struct web_ctx *c;
        int rows;
};

static int audit_row(void *vctx, const struct store_audit_row *r)
{
        struct audit_ctx *a = vctx;
        struct html *h = &a->c->html;
        a->rows++;
        if (a->rows > AUDIT_PAGE)
                return 1; /* one more than a page was asked for: there is a next page */
        html_lit(h, "<tr class=\"govuk-table__row\">");
        td(h, r->at);
        td(h, r->user);
        td(h, r->action);
        td(h, r->detail);
        td(h, r->children);
        html_lit(h, "</tr>\n");
        return 0;
}

int page_admin_audit(struct web_ctx *c)
{
        struct html *h = &c->html;
        const char *p = web_field(c, "page");
        long long page = p ? atoll(p) : 1;
        if (page < 1)
                page = 1;
        web_page_begin(c, "Audit log");
        html_lit(h, "<h1 class=\"govuk-heading-l\">Audit log</h1>\n"
                    "<p class=\"govuk-body\">Sign-ins, sign-outs, failed sign-ins, imports and "
                    "every view of child-level data, newest first. The log cannot be changed "
                    "or deleted.</p>\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--m\">Authority ");
        html_text(h, c->scope->la);
        html_textf(h, ", page %lld", page);
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        th(h, "When (UTC)");
        th(h, "Who");
        th(h, "What");
        th(h, "Detail");
        th(h, "Children");
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        struct audit_ctx a = {.c = c};
        struct err e = {0};
        if (store_audit_each(c->store, c->scope->la, AUDIT_PAGE + 1, (page - 1) * AUDIT_PAGE,
                             audit_row, &a, &e))
                return -1;
        html_lit(h, "</tbody>\n</table>\n");
        if (a.rows == 0)
                html_lit(h, "<p class=\"govuk-body\">No records on this page.</p>\n");
        if (page > 1 || a.rows > AUDIT_PAGE) {
                html_lit(h, "<nav class=\"govuk-pagination\" aria-label=\"Pages of the audit "
                            "log\">\n");
                if (page > 1) {
                        html_lit(h, "<div class=\"govuk-pagination__prev\"><a "
                                    "class=\"govuk-link govuk-pagination__link\" href=\"");
                        html_url(h, "/admin/audit?page=");
                        html_int(h, page - 1);
                        html_lit(h, "\" rel=\"prev\">Newer</a></div>\n");
                }
                if (a.rows > AUDIT_PAGE) {
                        html_lit(h, "<div class=\"govuk-pagination__next\"><a "
                                    "class=\"govuk-link govuk-pagination__link\" href=\"");
                        html_url(h, "/admin/audit?page=");
                        html_int(h, page + 1);
                        html_lit(h, "\" rel=\"next\">Older</a></div>\n");
                }
                html_lit(h, "</nav>\n");
        }
        web_page_end(c);
        return 0;
}
