/*
 * page_admin_manage.c — what an administrator changes in the browser, always
 * in its own authority (scope->la), every change audited by its route:
 *
 *   POST /admin/users/new            add an account (password generated and
 *                                    shown once, as `improve user add` does)
 *   POST /admin/users/{user}/status  disable (ending its sessions) or enable
 *   GET  /admin/settings             the authority's name and ONS code
 *   POST /admin/settings
 *   GET  /admin/imports/{import}/delete   what deleting would remove: confirm
 *   POST /admin/imports/{import}/delete   delete the return stored by that
 *                                         import and recompute its measures
 *
 * A user or import of another authority is "not found", never "forbidden",
 * so ids of other authorities cannot be probed.
 */
#include "web/pages.h"
#include "core/arena.h"
#include "core/err.h"
#include "scorecard/scorecard.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void not_found(struct web_ctx *c, const char *what)
{
        web_error_page(c, 404, "Page not found", what);
}

/* ---------------------------------------------------------------- users */

int page_admin_user_new(struct web_ctx *c)
{
        struct err e = {0};
        const char *email_in = web_field(c, "email");
        const char *role_in = web_field(c, "role");
        enum web_role role;
        char email[STORE_EMAIL_MAX + 1];
        struct web_error errs[2];
        size_t n = 0;
        if (!email_in || auth_normalise_email(email_in, email, &e))
                errs[n++] = (struct web_error){"email", "Enter an email address in the correct "
                                                        "format, like name@example.org"};
        if (!role_in || web_role_parse(role_in, &role))
                errs[n++] = (struct web_error){"role", "Select a role"};
        struct store_user existing;
        if (n == 0) {
                int had = store_user_get_email(c->store, email, &existing, &e);
                if (had < 0)
                        return -1;
                if (had)
                        errs[n++] = (struct web_error){"email", "There is already an account "
                                                                "with this email address"};
        }
        if (n) {
                c->audit_detail = "user not added: the form had errors";
                return page_admin_users_with(c, errs, n, NULL, NULL);
        }
        char password[24];
        auth_generate_password(password);
        struct store_user u;
        memset(&u, 0, sizeof u);
        snprintf(u.email, sizeof u.email, "%s", email);
        snprintf(u.la, sizeof u.la, "%s", c->scope->la);
        snprintf(u.role, sizeof u.role, "%s", web_role_name(role));
        int rc = auth_hash_password(&c->app->auth, password, u.pwhash, &e);
        if (rc == 0)
                rc = store_user_add(c->store, &u, &u.id, &e);
        if (rc) {
                sodium_memzero(password, sizeof password);
                return -1;
        }
        c->audit_detail = arena_printf(c->arena, "added %s as %s", u.email, u.role);
        /* The password is shown once, on this page only, and then forgotten. */
        char *shown = arena_strdup(c->arena, password);
        sodium_memzero(password, sizeof password);
        rc = page_admin_users_with(c, NULL, 0, u.email, shown);
        sodium_memzero(shown, strlen(shown));
        return rc;
}

int page_admin_user_status(struct web_ctx *c)
{
        struct err e = {0};
        int64_t id = atoll(web_field(c, "user"));
        const char *action = web_field(c, "action");
        struct store_user u;
        int found = store_user_get_id(c->store, id, &u, &e);
        if (found < 0)
                return -1;
        if (!found || strcmp(u.la, c->scope->la) != 0) {
                not_found(c, "There is no such account in your authority.");
                return 0;
        }
        int disable = action && strcmp(action, "disable") == 0;
        if (!disable && !(action && strcmp(action, "enable") == 0)) {
                c->audit_detail = "not changed: no action given";
                http_redirect(c->req, c->resp, "/admin/users");
                return 0;
        }
        if (disable && u.id == c->scope->user_id) {
                struct web_error err = {NULL, "You cannot disable your own account"};
                c->audit_detail = "not changed: own account";
                return page_admin_users_with(c, &err, 1, NULL, NULL);
        }
        if (store_user_set_disabled(c->store, u.id, disable, &e) < 0 ||
            (disable && store_session_delete_user(c->store, u.id, &e) < 0)) {
                fprintf(stderr, "improve serve: %s\n", e.msg);
                return -1;
        }
        c->audit_detail =
            arena_printf(c->arena, "%s %s", disable ? "disabled" : "enabled", u.email);
        http_redirect(c->req, c->resp, "/admin/users");
        return 0;
}

/* ---------------------------------------------------------------- settings */

static void text_input(struct web_ctx *c, const char *id, const char *label, const char *hint,
                       const char *value, const char *error, const char *width)
{
        struct html *h = &c->html;
        html_lit(h, "<div class=\"govuk-form-group");
        if (error)
                html_lit(h, " govuk-form-group--error");
        html_lit(h, "\">\n<label class=\"govuk-label\" for=\"");
        html_attr(h, id);
        html_lit(h, "\">");
        html_text(h, label);
        html_lit(h, "</label>\n<div class=\"govuk-hint\" id=\"");
        html_attr(h, id);
        html_lit(h, "-hint\">");
        html_text(h, hint);
        html_lit(h, "</div>\n");
        if (error) {
                html_lit(h, "<p id=\"");
                html_attr(h, id);
                html_lit(h, "-error\" class=\"govuk-error-message\"><span "
                            "class=\"govuk-visually-hidden\">Error:</span> ");
                html_text(h, error);
                html_lit(h, "</p>\n");
        }
        html_lit(h, "<input class=\"govuk-input ");
        html_attr(h, width);
        if (error)
                html_lit(h, " govuk-input--error");
        html_lit(h, "\" id=\"");
        html_attr(h, id);
        html_lit(h, "\" name=\"");
        html_attr(h, id);
        html_lit(h, "\" type=\"text\" spellcheck=\"false\" value=\"");
        html_attr(h, value ? value : "");
        html_lit(h, "\" aria-describedby=\"");
        html_attr(h, id);
        html_lit(h, "-hint");
        if (error) {
                html_lit(h, " ");
                html_attr(h, id);
                html_lit(h, "-error");
        }
        html_lit(h, "\">\n</div>\n");
}

static void settings_form(struct web_ctx *c, const char *name, const char *ecode,
                          const struct web_error *errs, size_t n, int saved)
{
        struct html *h = &c->html;
        web_page_begin(c, n ? "Error: Authority settings" : "Authority settings");
        html_lit(h,
                 "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n");
        web_error_summary(c, errs, n);
        if (saved)
                html_lit(h, "<div class=\"govuk-notification-banner govuk-notification-banner--"
                            "success\" role=\"alert\" aria-labelledby=\"saved-title\" "
                            "data-module=\"govuk-notification-banner\">\n<div "
                            "class=\"govuk-notification-banner__header\"><h2 "
                            "class=\"govuk-notification-banner__title\" id=\"saved-title\">"
                            "Success</h2></div>\n<div class=\"govuk-notification-banner__content\">"
                            "<p class=\"govuk-notification-banner__heading\">The settings are "
                            "saved</p></div>\n</div>\n");
        html_lit(h, "<h1 class=\"govuk-heading-l\"><span class=\"govuk-caption-l\">Authority ");
        html_text(h, c->scope->la);
        html_lit(h, "</span>Authority settings</h1>\n<form method=\"post\" "
                    "action=\"/admin/settings\" novalidate>\n");
        web_csrf_field(c);
        const char *name_err = NULL, *ecode_err = NULL;
        for (size_t i = 0; i < n; i++) {
                if (strcmp(errs[i].field_id, "name") == 0)
                        name_err = errs[i].message;
                else
                        ecode_err = errs[i].message;
        }
        text_input(c, "name", "Name", "As it appears on pages and reports.", name, name_err,
                   "govuk-!-width-two-thirds");
        text_input(c, "ecode", "ONS code", "9 characters, for example E09000007.", ecode, ecode_err,
                   "govuk-input--width-10");
        html_lit(h, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
                    "Save</button>\n</form>\n</div>\n</div>\n");
        web_page_end(c);
}

int page_admin_settings(struct web_ctx *c)
{
        struct err e = {0};
        struct store_authority a;
        char pool[1024];
        int known = store_authority_get(c->store, c->scope->la, &a, pool, sizeof pool, &e);
        if (known < 0)
                return -1;
        settings_form(c, known ? a.name : "", known ? a.ecode : "", NULL, 0, 0);
        return 0;
}

static int ecode_ok(const char *s)
{
        if (strlen(s) != 9 || s[0] != 'E')
                return 0;
        for (int i = 1; i < 9; i++)
                if (s[i] < '0' || s[i] > '9')
                        return 0;
        return 1;
}

int page_admin_settings_save(struct web_ctx *c)
{
        struct err e = {0};
        const char *name = web_field(c, "name");
        const char *ecode = web_field(c, "ecode");
        struct web_error errs[2];
        size_t n = 0;
        if (!name || !*name)
                errs[n++] = (struct web_error){"name", "Enter the authority's name"};
        if (ecode && *ecode && !ecode_ok(ecode))
                errs[n++] = (struct web_error){"ecode", "Enter the ONS code as E followed by 8 "
                                                        "digits, like E09000007"};
        if (n) {
                c->audit_detail = "not saved: the form had errors";
                settings_form(c, name, ecode, errs, n, 0);
                return 0;
        }
        struct store_authority a;
        char pool[1024];
        int known = store_authority_get(c->store, c->scope->la, &a, pool, sizeof pool, &e);
        if (known < 0)
                return -1;
        if (!known) {
                memset(&a, 0, sizeof a);
                snprintf(a.code, sizeof a.code, "%s", c->scope->la);
                a.region_code = a.region_name = "";
        }
        char *old = arena_printf(c->arena, "%s (%s)", known ? a.name : "", a.ecode);
        a.name = name;
        snprintf(a.ecode, sizeof a.ecode, "%s", ecode ? ecode : "");
        /* Neighbours and region stay as they are: the whole row is written back. */
        if (store_authority_put(c->store, &a, &e))
                return -1;
        c->audit_detail =
            arena_printf(c->arena, "settings: was %s, now %s (%s)", old, a.name, a.ecode);
        settings_form(c, a.name, a.ecode, NULL, 0, 1);
        return 0;
}

/* ---------------------------------------------------------------- deleting an import */

struct find_import {
        int64_t id;
        int found;
        char kind[16];
        int year;
        int current;
        char started[32], user[128];
};

static int match_import(void *vctx, const struct store_import_row *r)
{
        struct find_import *f = vctx;
        if (r->id != f->id)
                return 0;
        f->found = 1;
        snprintf(f->kind, sizeof f->kind, "%s", r->kind);
        f->year = r->year;
        f->current = r->current;
        snprintf(f->started, sizeof f->started, "%s", r->started_at ? r->started_at : "");
        snprintf(f->user, sizeof f->user, "%s", r->user ? r->user : "");
        return 1;
}

/* The import of this authority named in the path; 1 found, 0 not (answered), -1 error. */
static int path_import(struct web_ctx *c, struct find_import *f)
{
        struct err e = {0};
        memset(f, 0, sizeof *f);
        f->id = atoll(web_field(c, "import"));
        if (store_import_each(c->store, c->scope->la, match_import, f, &e))
                return -1;
        if (!f->found) {
                not_found(c, "There is no such import in your authority.");
                return 0;
        }
        return 1;
}

static int deletable(const struct find_import *f)
{
        return f->current && (strcmp(f->kind, "ssda903") == 0 || strcmp(f->kind, "cin") == 0);
}

int page_admin_import_delete_form(struct web_ctx *c)
{
        struct find_import f;
        int rc = path_import(c, &f);
        if (rc <= 0)
                return rc;
        struct html *h = &c->html;
        web_page_begin(c, "Delete an import");
        html_lit(h, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                    "<a href=\"/quality\" class=\"govuk-back-link\">Back to data quality</a>\n"
                    "<h1 class=\"govuk-heading-l\">");
        html_textf(h, "Delete import %lld?", (long long)f.id);
        html_lit(h, "</h1>\n<p class=\"govuk-body\">");
        html_textf(h, "Import %lld: %s, collection year %d, started %s by %s.", (long long)f.id,
                   f.kind, f.year, f.started, f.user);
        html_lit(h, "</p>\n");
        if (!deletable(&f)) {
                html_lit(h, "<p class=\"govuk-body\">Nothing stored comes from this import any "
                            "more (it was refused, replaced by a later one, or is not a "
                            "return), so there is nothing to delete.</p>\n</div>\n</div>\n");
                web_page_end(c);
                return 0;
        }
        html_lit(h, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" "
                    "aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\">"
                    "<span class=\"govuk-visually-hidden\">Warning</span> This removes the "
                    "stored return of that year, with its findings, and recomputes the "
                    "measures without it. The record of the import and the audit log stay."
                    "</strong></div>\n<form method=\"post\" action=\"");
        html_url(h, arena_printf(c->arena, "/admin/imports/%lld/delete", (long long)f.id));
        html_lit(h, "\" novalidate>\n");
        web_csrf_field(c);
        html_lit(h, "<div class=\"govuk-button-group\">\n<button type=\"submit\" "
                    "class=\"govuk-button govuk-button--warning\" data-module=\"govuk-button\">"
                    "Delete the stored return</button>\n<a class=\"govuk-link\" "
                    "href=\"/quality\">Cancel</a>\n</div>\n</form>\n</div>\n</div>\n");
        web_page_end(c);
        return 0;
}

int page_admin_import_delete(struct web_ctx *c)
{
        struct find_import f;
        int rc = path_import(c, &f);
        if (rc <= 0) {
                c->audit_detail = "not deleted: no such import";
                return rc;
        }
        if (!deletable(&f)) {
                c->audit_detail =
                    arena_printf(c->arena, "import %lld: nothing to delete", (long long)f.id);
                http_redirect(c->req, c->resp, "/quality");
                return 0;
        }
        struct err e = {0};
        enum store_return_kind kind =
            strcmp(f.kind, "cin") == 0 ? STORE_RETURN_CIN : STORE_RETURN_SSDA903;
        if (store_begin(c->store, &e))
                return -1;
        if (store_return_delete(c->store, kind, c->scope->la, f.year, &e) < 0 ||
            store_commit(c->store, &e)) {
                store_rollback(c->store);
                return -1;
        }
        /* The authority's values from that kind of return, from that year on, without it. */
        struct scorecard_stats st = {0};
        if (scorecard_recompute(c->store, c->scope->la,
                                kind == STORE_RETURN_CIN ? SCORECARD_CIN : SCORECARD_903, f.year,
                                &st, &e))
                return -1;
        c->audit_detail =
            arena_printf(c->arena, "deleted the %s return of %d stored by import %lld", f.kind,
                         f.year, (long long)f.id);
        http_redirect(c->req, c->resp, "/quality");
        return 0;
}
