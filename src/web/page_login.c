/*
 * page_login.c — signing in and out: GET /login shows the form, POST /login
 * checks it (auth_login: rate limits, Argon2id, session rotation, audit),
 * POST /logout ends the session.
 *
 * A failed sign-in always gets the same message whatever the reason (unknown
 * e-mail, wrong password, disabled account), so the form does not tell
 * anyone which accounts exist.
 */
#include "web/pages.h"
#include "core/arena.h"
#include "core/err.h"

#include <sodium.h>
#include <string.h>

/* A local path to go back to after signing in; anything else goes home. */
static const char *safe_next(const char *next)
{
        if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
            strncmp(next, "/login", 6) == 0 || strncmp(next, "/logout", 7) == 0)
                return "/";
        return next;
}

static const char *error_for(const struct web_error *errors, size_t n, const char *id)
{
        for (size_t i = 0; i < n; i++)
                if (errors[i].field_id && strcmp(errors[i].field_id, id) == 0)
                        return errors[i].message;
        return NULL;
}

/* A GOV.UK text input with its label and, when there is one, its error message. */
static void input(struct web_ctx *c, const char *id, const char *label, const char *type,
                  const char *autocomplete, const char *value, const char *error)
{
        struct html *h = &c->html;
        html_lit(h, "<div class=\"govuk-form-group");
        if (error)
                html_lit(h, " govuk-form-group--error");
        html_lit(h, "\">\n<label class=\"govuk-label\" for=\"");
        html_attr(h, id);
        html_lit(h, "\">");
        html_text(h, label);
        html_lit(h, "</label>\n");
        if (error) {
                html_lit(h, "<p id=\"");
                html_attrf(h, "%s-error", id);
                html_lit(h, "\" class=\"govuk-error-message\">"
                            "<span class=\"govuk-visually-hidden\">Error:</span> ");
                html_text(h, error);
                html_lit(h, "</p>\n");
        }
        html_lit(h, "<input class=\"govuk-input");
        if (error)
                html_lit(h, " govuk-input--error");
        html_lit(h, "\" id=\"");
        html_attr(h, id);
        html_lit(h, "\" name=\"");
        html_attr(h, id);
        html_lit(h, "\" type=\"");
        html_attr(h, type);
        html_lit(h, "\" spellcheck=\"false\" autocomplete=\"");
        html_attr(h, autocomplete);
        html_lit(h, "\"");
        if (error) {
                html_lit(h, " aria-describedby=\"");
                html_attrf(h, "%s-error", id);
                html_lit(h, "\"");
        }
        if (value) {
                html_lit(h, " value=\"");
                html_attr(h, value);
                html_lit(h, "\"");
        }
        html_lit(h, ">\n</div>\n");
}

static void form(struct web_ctx *c, const char *email, const struct web_error *errors, size_t n)
{
        struct html *h = &c->html;
        const char *next = web_field(c, "next");
        web_page_begin(c, n ? "Error: Sign in" : "Sign in");
        html_lit(h,
                 "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n");
        web_error_summary(c, errors, n);
        html_lit(h, "<h1 class=\"govuk-heading-l\">Sign in</h1>\n"
                    "<form method=\"post\" action=\"/login\" novalidate>\n");
        web_csrf_field(c);
        if (next && strcmp(safe_next(next), "/") != 0) {
                html_lit(h, "<input type=\"hidden\" name=\"next\" value=\"");
                html_attr(h, safe_next(next));
                html_lit(h, "\">\n");
        }
        input(c, "email", "Email address", "email", "username", email,
              error_for(errors, n, "email"));
        input(c, "password", "Password", "password", "current-password", NULL,
              error_for(errors, n, "password"));
        html_lit(h, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
                    "Sign in</button>\n</form>\n"
                    "<p class=\"govuk-body\">If you do not have an account or have forgotten "
                    "your password, ask your authority's improve administrator.</p>\n"
                    "</div>\n</div>\n");
        web_page_end(c);
}

int page_login_form(struct web_ctx *c)
{
        if (c->scope) {
                http_redirect(c->req, c->resp, safe_next(web_field(c, "next")));
                return 0;
        }
        form(c, NULL, NULL, 0);
        return 0;
}

int page_login_submit(struct web_ctx *c)
{
        const char *email = web_field(c, "email");
        char *password = (char *)web_field(c, "password");
        struct web_error errors[2];
        size_t n = 0;
        if (!email || !*email)
                errors[n++] = (struct web_error){"email", "Enter your email address"};
        if (!password || !*password)
                errors[n++] = (struct web_error){"password", "Enter your password"};
        if (n) {
                if (password)
                        sodium_memzero(password, strlen(password));
                form(c, email, errors, n);
                return 0;
        }

        struct err e = {0};
        struct auth_session *s = arena_zalloc(c->arena, sizeof *s);
        enum auth_login_result result;
        const char *old = http_param_get(&c->req->cookies, WEB_SESSION_COOKIE);
        int rc = auth_login(c->store, &c->app->auth, email, password, c->req->remote_addr, old,
                            c->now, s, &result, &e);
        sodium_memzero(password, strlen(password));
        if (rc) {
                err_prefix(&e, "signing in");
                return -1;
        }
        if (result == AUTH_LOGIN_LOCKED) {
                c->resp->status = 429;
                http_response_header(
                    c->resp, "Retry-After",
                    arena_printf(c->arena, "%lld", (long long)c->app->auth.failure_window));
                struct web_error lock = {
                    "email", "There have been too many failed attempts to sign in. Wait 15 "
                             "minutes and try again, or ask your administrator."};
                form(c, email, &lock, 1);
                return 0;
        }
        if (result != AUTH_LOGIN_OK) {
                struct web_error bad = {"email", "Enter a correct email address and password"};
                form(c, email, &bad, 1);
                return 0;
        }
        http_set_cookie(c->req, c->resp, WEB_SESSION_COOKIE, s->token, 0, HTTP_COOKIE_SESSION);
        http_set_cookie(c->req, c->resp, WEB_PRESESSION_COOKIE, "", 0, HTTP_COOKIE_DELETE);
        sodium_memzero(s->token, sizeof s->token);
        http_redirect(c->req, c->resp, safe_next(web_field(c, "next")));
        return 0;
}

int page_logout(struct web_ctx *c)
{
        struct err e = {0};
        const char *token = http_param_get(&c->req->cookies, WEB_SESSION_COOKIE);
        if (auth_session_destroy(c->store, token, &e))
                return -1;
        http_set_cookie(c->req, c->resp, WEB_SESSION_COOKIE, "", 0, HTTP_COOKIE_DELETE);
        c->audit_detail = "signed out";
        http_redirect(c->req, c->resp, "/login");
        return 0;
}
