/*
 * page_admin.c — the administrator's pages: the users of the authority
 * (GET /admin/users, with the forms to add, disable and enable accounts
 * handled in page_admin_manage.c) and its audit log (GET /admin/audit).
 *
 * Both read only the administrator's own authority (scope->la): on a
 * regional install an administrator never sees another authority's users or
 * audit records.  Failed sign-ins with an unknown e-mail belong to no
 * authority, so they are in the log but on no authority's page.
 */
#include "web/pages.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#include <stdlib.h>

static int user_row(void *vctx, const struct store_user *u)
{
        struct web_ctx *c = vctx;
        struct html *h = &c->html;
        html_lit(h, "<tr class=\"govuk-table__row\">");
        html_td(h, u->email, 0);
        html_td(h, u->role, 0);
        html_lit(h, "<td class=\"govuk-table__cell\">");
        if (u->disabled)
                html_lit(h, "<strong class=\"govuk-tag govuk-tag--grey\">Disabled</strong>");
        else
                html_lit(h, "<strong class=\"govuk-tag govuk-tag--green\">Active</strong>");
        html_lit(h, "</td>");
        html_td(h, u->created_at, 0);
        html_lit(h, "<td class=\"govuk-table__cell\">");
        if (u->id != c->scope->user_id) {
                html_lit(h, "<form method=\"post\" action=\"");
                html_url(h, arena_printf(c->arena, "/admin/users/%lld/status", (long long)u->id));
                html_lit(h, "\" novalidate>\n");
                web_csrf_field(c);
                html_lit(h, "<input type=\"hidden\" name=\"action\" value=\"");
                html_attr(h, u->disabled ? "enable" : "disable");
                html_lit(h, "\">\n<button type=\"submit\" class=\"govuk-button "
                            "govuk-button--secondary govuk-!-margin-bottom-0\" "
                            "data-module=\"govuk-button\">");
                html_text(h, u->disabled ? "Enable" : "Disable");
                html_lit(h, "<span class=\"govuk-visually-hidden\"> ");
                html_text(h, u->email);
                html_lit(h, "</span></button>\n</form>");
        }
        html_lit(h, "</td>");
        html_lit(h, "</tr>\n");
        return 0;
}

static void role_options(struct html *h)
{
        html_lit(h, "<div class=\"govuk-form-group\">\n<label class=\"govuk-label\" for=\"role\">"
                    "Role</label>\n<select class=\"govuk-select\" id=\"role\" name=\"role\">\n");
        for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                html_lit(h, "<option value=\"");
                html_attr(h, web_role_name((enum web_role)r));
                html_lit(h, "\">");
                html_text(h, web_role_name((enum web_role)r));
                html_lit(h, ": ");
                html_text(h, web_role_description((enum web_role)r));
                html_lit(h, "</option>\n");
        }
        html_lit(h, "</select>\n</div>\n");
}

int page_admin_users_with(struct web_ctx *c, const struct web_error *errs, size_t n,
                          const char *new_email, const char *new_password)
{
        struct html *h = &c->html;
        web_page_begin(c, n ? "Error: Users" : "Users");
        web_error_summary(c, errs, n);
        if (new_email && new_password) {
                html_lit(h, "<div class=\"govuk-panel govuk-panel--confirmation\">\n"
                            "<h1 class=\"govuk-panel__title\">Account added</h1>\n"
                            "<div class=\"govuk-panel__body\">");
                html_text(h, new_email);
                html_lit(h, "<br>password <strong>");
                html_text(h, new_password);
                html_lit(h, "</strong></div>\n</div>\n<p class=\"govuk-body\">The password is "
                            "shown this once. Pass it on by a safe channel; the user can ask "
                            "for a reset later.</p>\n<h2 class=\"govuk-heading-l\">Users</h2>\n");
        } else {
                html_lit(h, "<h1 class=\"govuk-heading-l\">Users</h1>\n");
        }
        html_lit(h, "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--m\">Accounts of authority ");
        html_text(h, c->scope->la);
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        html_th(h, "Email address", 0);
        html_th(h, "Role", 0);
        html_th(h, "Status", 0);
        html_th(h, "Created (UTC)", 0);
        html_th(h, "Change", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        struct err e = {0};
        if (store_user_each(c->store, c->scope->la, user_row, c, &e))
                return -1;
        html_lit(h, "</tbody>\n</table>\n"
                    "<h2 class=\"govuk-heading-m\">Add an account</h2>\n"
                    "<form method=\"post\" action=\"/admin/users/new\" novalidate>\n");
        web_csrf_field(c);
        html_lit(h, "<div class=\"govuk-form-group\">\n<label class=\"govuk-label\" "
                    "for=\"email\">Email address</label>\n<input class=\"govuk-input "
                    "govuk-!-width-two-thirds\" id=\"email\" name=\"email\" type=\"email\" "
                    "spellcheck=\"false\" autocomplete=\"off\">\n</div>\n");
        role_options(h);
        html_lit(h, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
                    "Add the account</button>\n</form>\n"
                    "<p class=\"govuk-body\">Accounts can also be managed with "
                    "<code>improve user</code> on the server.</p>\n");
        web_page_end(c);
        return 0;
}

int page_admin_users(struct web_ctx *c)
{
        return page_admin_users_with(c, NULL, 0, NULL, NULL);
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
        html_td(h, r->at, 0);
        html_td(h, r->user, 0);
        html_td(h, r->action, 0);
        html_td(h, r->detail, 0);
        html_td(h, r->children, 0);
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
        html_th(h, "When (UTC)", 0);
        html_th(h, "Who", 0);
        html_th(h, "What", 0);
        html_th(h, "Detail", 0);
        html_th(h, "Children", 0);
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
