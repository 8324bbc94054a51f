/*
 * routes.c — the one route table of the web application, and the dispatcher
 * that enforces it for every request (see web.h for the order of checks).
 *
 * Each row says who may open the page (WEB_PUBLIC or a set of roles from
 * security.md), what is written to the audit log when it succeeds, and which
 * parameters it accepts.  Nothing reaches a handler without passing the row:
 * a role outside the set gets 403, nobody signed in gets the sign-in page, a
 * POST without the right CSRF token gets 403, a malformed field 400/404.
 */
#include "web/web.h"
#include "web/pages.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Form bodies are small; uploads (issue 7, later) declare their own, larger limit. */
#define FORM_MAX (16 * 1024)

static const struct web_field login_form_fields[] = {
    {"next", WEB_FROM_QUERY, WEB_FIELD_TEXT, 512, 0},
    {0},
};
static const struct web_field login_fields[] = {
    {"email", WEB_FROM_FORM, WEB_FIELD_TEXT, 320, 0},
    {"password", WEB_FROM_FORM, WEB_FIELD_TEXT, 1024, 0},
    {"next", WEB_FROM_FORM, WEB_FIELD_TEXT, 512, 0},
    {0},
};
static const struct web_field asset_fields[] = {
    {"name", WEB_FROM_PATH, WEB_FIELD_TOKEN, 64, 1},
    {"v", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 64, 0},
    {0},
};
static const struct web_field audit_fields[] = {
    {"page", WEB_FROM_QUERY, WEB_FIELD_INT, 6, 0},
    {0},
};

static const struct web_field measure_fields[] = {
    {"measure", WEB_FROM_PATH, WEB_FIELD_TOKEN, 64, 1},
    {"period", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 8, 0},
    {0},
};
static const struct web_field measure_children_fields[] = {
    {"measure", WEB_FROM_PATH, WEB_FIELD_TOKEN, 64, 1},
    {"year", WEB_FROM_QUERY, WEB_FIELD_INT, 4, 0},
    {0},
};
static const struct web_field api_measures_fields[] = {
    {"measure", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 64, 0},
    {"period", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 8, 0},
    {"year", WEB_FROM_QUERY, WEB_FIELD_INT, 4, 0},
    {0},
};
static const struct web_field api_spc_fields[] = {
    {"measure", WEB_FROM_PATH, WEB_FIELD_TOKEN, 64, 1},
    {"format", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 8, 0},
    {0},
};
static const struct web_field api_findings_fields[] = {
    {"return", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 8, 0},
    {"year", WEB_FROM_QUERY, WEB_FIELD_INT, 4, 0},
    {"rule", WEB_FROM_QUERY, WEB_FIELD_TOKEN, 32, 0},
    {"child", WEB_FROM_QUERY, WEB_FIELD_TEXT, 64, 0},
    {0},
};

static const struct web_field quality_findings_fields[] = {
    {"return", WEB_FROM_PATH, WEB_FIELD_TOKEN, 8, 1},
    {"year", WEB_FROM_PATH, WEB_FIELD_INT, 4, 1},
    {"rule", WEB_FROM_PATH, WEB_FIELD_TOKEN, 32, 1},
    {0},
};
static const struct web_field quality_child_fields[] = {
    {"child", WEB_FROM_PATH, WEB_FIELD_TEXT, 128, 1},
    {0},
};
static const struct web_field quality_xlsx_fields[] = {
    {"return", WEB_FROM_PATH, WEB_FIELD_TOKEN, 8, 1},
    {"year", WEB_FROM_PATH, WEB_FIELD_INT, 4, 1},
    {0},
};

static const struct web_field import_confirm_fields[] = {
    {"upload", WEB_FROM_FORM, WEB_FIELD_TOKEN, 64, 0},
    {0},
};
/* The largest upload: a national SSDA903 load with last year's tables fits well within it. */
#define UPLOAD_MAX (512u * 1024 * 1024)
/* Who may import (security.md: admin and analyst change imports). */
#define WEB_IMPORTERS (WEB_ADMIN | WEB_ROLE(WEB_ROLE_ANALYST))

static const struct web_field user_new_fields[] = {
    {"email", WEB_FROM_FORM, WEB_FIELD_TEXT, 320, 0},
    {"role", WEB_FROM_FORM, WEB_FIELD_TOKEN, 16, 0},
    {0},
};
static const struct web_field user_status_fields[] = {
    {"user", WEB_FROM_PATH, WEB_FIELD_INT, 18, 1},
    {"action", WEB_FROM_FORM, WEB_FIELD_TOKEN, 8, 0},
    {0},
};
static const struct web_field settings_fields[] = {
    {"name", WEB_FROM_FORM, WEB_FIELD_TEXT, 200, 0},
    {"ecode", WEB_FROM_FORM, WEB_FIELD_TEXT, 9, 0},
    {0},
};
static const struct web_field import_fields[] = {
    {"import", WEB_FROM_PATH, WEB_FIELD_INT, 18, 1},
    {0},
};

/* Data quality: counts for the authority's own staff and practitioners, never outward roles. */
#define WEB_QUALITY (WEB_STAFF | WEB_ROLE(WEB_ROLE_PRACTITIONER))

/* clang-format off */
const struct web_route web_routes[] = {
    /* method  pattern          roles         audit     handler            max body   fields */
    {"GET",  "/healthz",        WEB_PUBLIC,   NULL,     page_healthz,      0,         NULL},
    {"GET",  "/assets/{name}",  WEB_PUBLIC,   NULL,     page_asset,        0,         asset_fields},
    {"GET",  "/login",          WEB_PUBLIC,   NULL,     page_login_form,   0,         login_form_fields},
    /* Sign-in audits "login" or "login-failed" itself: which one depends on the outcome. */
    {"POST", "/login",          WEB_PUBLIC,   NULL,     page_login_submit, FORM_MAX,  login_fields},
    {"POST", "/logout",         WEB_ANY_ROLE, "logout", page_logout,       FORM_MAX,  NULL},
    {"GET",  "/",               WEB_ANY_ROLE, NULL,     page_home,         0,         NULL},
    {"GET",  "/measures/{measure}", WEB_ANY_ROLE, NULL, page_measure,      0,         measure_fields},
    {"GET",  "/measures/{measure}/spc.svg", WEB_ANY_ROLE, NULL, page_measure_svg, 0,  measure_fields},
    {"GET",  "/measures/{measure}/data.csv", WEB_ANY_ROLE, NULL, page_measure_csv, 0, measure_fields},
    /* The children a value counted: child-level, staff only, every view audited. */
    {"GET",  "/measures/{measure}/children", WEB_STAFF, "view-children", page_measure_children, 0, measure_children_fields},
    {"GET",  "/api/v1/measures", WEB_ANY_ROLE, NULL,    page_api_measures, 0,         api_measures_fields},
    {"GET",  "/api/v1/measures.csv", WEB_ANY_ROLE, NULL, page_api_measures_csv, 0,    api_measures_fields},
    {"GET",  "/api/v1/spc/{measure}", WEB_ANY_ROLE, NULL,     page_api_spc,      0,         api_spc_fields},
    /* Findings name children: the roles that may see child-level data, every read audited. */
    {"GET",  "/api/v1/findings", WEB_STAFF,   "view-children", page_api_findings, 0,  api_findings_fields},
    {"GET",  "/api/v1/findings.csv", WEB_STAFF, "view-children", page_api_findings_csv, 0, api_findings_fields},
    {"GET",  "/quality",        WEB_QUALITY,  NULL,     page_quality,      0,         NULL},
    {"GET",  "/quality/{return}/{year}/rules/{rule}", WEB_STAFF,  "view-children", page_quality_findings, 0, quality_findings_fields},
    {"GET",  "/quality/children/{child}", WEB_STAFF, "view-children", page_quality_child, 0, quality_child_fields},
    {"GET",  "/quality/{return}/{year}/report.xlsx", WEB_STAFF, "view-children", page_quality_xlsx, 0, quality_xlsx_fields},
    {"GET",  "/imports/new",    WEB_IMPORTERS, NULL,    page_import_form,  0,         NULL},
    {"POST", "/imports/new",    WEB_IMPORTERS, "upload-checked", page_import_upload, UPLOAD_MAX, NULL},
    {"POST", "/imports/confirm", WEB_IMPORTERS, "import", page_import_confirm, FORM_MAX, import_confirm_fields},
    {"GET",  "/admin/users",    WEB_ADMIN,    NULL,     page_admin_users,  0,         NULL},
    {"POST", "/admin/users/new", WEB_ADMIN,   "user-add", page_admin_user_new, FORM_MAX, user_new_fields},
    {"POST", "/admin/users/{user}/status", WEB_ADMIN, "user-status", page_admin_user_status, FORM_MAX, user_status_fields},
    {"GET",  "/admin/settings", WEB_ADMIN,    NULL,     page_admin_settings, 0,       NULL},
    {"POST", "/admin/settings", WEB_ADMIN,    "settings", page_admin_settings_save, FORM_MAX, settings_fields},
    {"GET",  "/admin/imports/{import}/delete", WEB_ADMIN, NULL, page_admin_import_delete_form, 0, import_fields},
    {"POST", "/admin/imports/{import}/delete", WEB_ADMIN, "delete-import", page_admin_import_delete, FORM_MAX, import_fields},
    {"GET",  "/admin/audit",    WEB_ADMIN,    NULL,     page_admin_audit,  0,         audit_fields},
};
/* clang-format on */
const size_t web_route_count = sizeof web_routes / sizeof web_routes[0];

/* ---------------------------------------------------------------- roles */

static const char *const role_names[WEB_ROLE_COUNT] = {
    "admin", "leader", "analyst", "practitioner", "member", "peer", "inspector",
};

static const char *const role_descriptions[WEB_ROLE_COUNT] = {
    "sees everything in its authority and the audit log; manages users, settings and imports",
    "sees everything in its authority; changes plans, actions, events and board packs",
    "sees everything in its authority; changes imports, measures and exports",
    "sees its own team's aggregates (authority-wide until teams exist) and its own audits and "
    "actions; no lists of children",
    "sees aggregates only, with small numbers suppressed; changes nothing",
    "sees aggregates only, with small numbers suppressed, and evidence packs shared with it; "
    "asks challenge questions",
    "read-only: aggregates (small numbers suppressed), self-evaluation and evidence",
};

const char *web_role_name(enum web_role r)
{
        return (unsigned)r < WEB_ROLE_COUNT ? role_names[r] : "?";
}

const char *web_role_description(enum web_role r)
{
        return (unsigned)r < WEB_ROLE_COUNT ? role_descriptions[r] : "";
}

int web_role_parse(const char *name, enum web_role *out)
{
        for (int i = 0; i < WEB_ROLE_COUNT; i++)
                if (name && strcmp(name, role_names[i]) == 0) {
                        *out = (enum web_role)i;
                        return 0;
                }
        return -1;
}

int web_role_suppressed(enum web_role r)
{
        return r == WEB_ROLE_MEMBER || r == WEB_ROLE_PEER || r == WEB_ROLE_INSPECTOR;
}

static int64_t clock_now(void)
{
        return (int64_t)time(NULL);
}

void web_app_init(struct web_app *app)
{
        memset(app, 0, sizeof *app);
        auth_config_default(&app->auth);
        app->now = clock_now;
}

/* ---------------------------------------------------------------- matching */

static size_t segment_len(const char *s)
{
        size_t n = 0;
        while (s[n] && s[n] != '/')
                n++;
        return n;
}

/* Match `path` against `pattern`; with `out`, collect the {name} values into the arena. */
static int match(const char *pattern, const char *path, struct arena *a, struct http_params *out)
{
        const char *p = pattern, *q = path;
        size_t n = 0;
        while (*p && *q) {
                if (*p != '/' || *q != '/')
                        return 0;
                p++;
                q++;
                size_t pl = segment_len(p), ql = segment_len(q);
                if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
                        if (ql == 0)
                                return 0;
                        if (out) {
                                out->v[n].name = arena_strndup(a, p + 1, pl - 2);
                                out->v[n].value = arena_strndup(a, q, ql);
                                out->v[n].value_len = ql;
                                out->n = ++n;
                        }
                } else if (pl != ql || strncmp(p, q, pl) != 0) {
                        return 0;
                }
                p += pl;
                q += ql;
        }
        return *p == '\0' && *q == '\0';
}

const struct web_route *web_route_find(const char *method, const char *path, int *path_known)
{
        if (path_known)
                *path_known = 0;
        const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
        for (size_t i = 0; i < web_route_count; i++) {
                if (!match(web_routes[i].pattern, path, NULL, NULL))
                        continue;
                if (strcmp(web_routes[i].method, m) == 0)
                        return &web_routes[i];
                if (path_known)
                        *path_known = 1;
        }
        return NULL;
}

/* ---------------------------------------------------------------- fields */

const char *web_field(const struct web_ctx *c, const char *name)
{
        const struct web_field *f = c->route ? c->route->fields : NULL;
        for (; f && f->name; f++) {
                if (strcmp(f->name, name) != 0)
                        continue;
                switch (f->from) {
                case WEB_FROM_PATH:
                        return http_param_get(&c->path, name);
                case WEB_FROM_QUERY:
                        return http_param_get(&c->req->query, name);
                case WEB_FROM_FORM:
                        return http_param_get(&c->req->form, name);
                }
        }
        return NULL; /* undeclared fields are not readable: declare them in the route */
}

static int field_ok(const struct web_field *f, const char *v)
{
        size_t n = strlen(v);
        if (n > f->max_len)
                return 0;
        switch (f->kind) {
        case WEB_FIELD_TEXT:
                return html_utf8_valid(v, n);
        case WEB_FIELD_INT:
                if (n == 0 || n > 18)
                        return 0;
                for (size_t i = 0; i < n; i++)
                        if (v[i] < '0' || v[i] > '9')
                                return 0;
                return 1;
        case WEB_FIELD_TOKEN:
                if (n == 0)
                        return 0;
                for (size_t i = 0; i < n; i++) {
                        char ch = v[i];
                        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                              (ch == '.' && i > 0)))
                                return 0;
                }
                return 1;
        }
        return 0;
}

/* 0 if every declared field is acceptable; else the status to answer with. */
static int validate(struct web_ctx *c)
{
        for (const struct web_field *f = c->route->fields; f && f->name; f++) {
                const char *v = web_field(c, f->name);
                int bad = v ? !field_ok(f, v) : f->required;
                if (bad)
                        return f->from == WEB_FROM_PATH ? 404 : 400;
        }
        return 0;
}

/* ---------------------------------------------------------------- CSRF */

const char *web_csrf_token(struct web_ctx *c)
{
        if (c->csrf)
                return c->csrf;
        if (c->session) {
                c->csrf = c->session->csrf;
                return c->csrf;
        }
        /* Before sign-in: a random token in a cookie, echoed by the form (double submit). */
        const char *have = http_param_get(&c->req->cookies, WEB_PRESESSION_COOKIE);
        if (have && strlen(have) == AUTH_TOKEN_LEN) {
                c->csrf = have;
                return c->csrf;
        }
        char *t = arena_alloc(c->arena, AUTH_TOKEN_LEN + 1);
        auth_random_token(t);
        http_set_cookie(c->req, c->resp, WEB_PRESESSION_COOKIE, t, 0, HTTP_COOKIE_SESSION);
        c->csrf = t;
        return t;
}

static int csrf_ok(struct web_ctx *c)
{
        const char *given = http_param_get(&c->req->form, "csrf");
        if (!given) {
                const struct http_part *p = http_part_get(&c->req->parts, "csrf");
                given = p ? arena_strndup(c->arena, p->data, p->len) : NULL;
        }
        const char *expected =
            c->session ? c->session->csrf : http_param_get(&c->req->cookies, WEB_PRESESSION_COOKIE);
        return auth_token_equal(expected, given);
}

/* ---------------------------------------------------------------- dispatch */

static void internal_error(struct web_ctx *c, const struct err *e)
{
        /* The detail goes to the server's log, not to the browser. */
        fprintf(stderr, "improve serve: %s %s: %s\n", c->req->method, c->req->path,
                e && e->code ? e->msg : "internal error");
        buf_reset(&c->resp->body);
        c->resp->nheaders = 0;
        c->resp->static_body = NULL;
        c->resp->cacheable = 0;
        web_error_page(c, 500, "Sorry, there is a problem with the service",
                       "Something went wrong on our side. Try again later; if it keeps "
                       "happening, tell your administrator the time it happened.");
}

static int parse_body(struct web_ctx *c)
{
        struct http_request *req = c->req;
        if (!req->body)
                return 0;
        struct err e = {0};
        const char *ct = req->content_type ? req->content_type : "";
        if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
                return http_parse_urlencoded(c->arena, req->body, req->body_len, &req->form, &e);
        if (strncasecmp(ct, "multipart/form-data", 19) == 0)
                return http_parse_multipart(c->arena, ct, req->body, req->body_len, &req->parts,
                                            &e);
        return req->body_len ? -1 : 0;
}

void web_handle(struct web_app *app, struct store *s, struct http_request *req,
                struct http_response *resp)
{
        struct web_ctx c = {
            .app = app,
            .store = s,
            .req = req,
            .resp = resp,
            .arena = req->arena,
            .now = app->now ? app->now() : (int64_t)time(NULL),
        };
        html_init(&c.html, &resp->body);
        struct err e = {0};

        int path_known = 0;
        c.route = web_route_find(req->method, req->path, &path_known);
        if (!c.route) {
                if (path_known) {
                        http_response_header(resp, "Allow", "GET, HEAD, POST");
                        web_error_page(&c, 405, "Method not allowed",
                                       "This address does not accept that kind of request.");
                } else {
                        web_error_page(&c, 404, "Page not found",
                                       "If you typed the web address, check it is correct.");
                }
                return;
        }
        c.path.v = arena_alloc(c.arena, 8 * sizeof *c.path.v);
        match(c.route->pattern, req->path, c.arena, &c.path);

        /* Who is asking. */
        struct auth_session *session = arena_zalloc(c.arena, sizeof *session);
        const char *token = http_param_get(&req->cookies, WEB_SESSION_COOKIE);
        int signed_in = token ? auth_session_lookup(s, &app->auth, token, c.now, session, &e) : 0;
        if (signed_in < 0) {
                internal_error(&c, &e);
                return;
        }
        if (signed_in) {
                enum web_role role;
                if (web_role_parse(session->user.role, &role)) {
                        internal_error(&c, &(struct err){EXIT_INTERNAL, "user has unknown role"});
                        return;
                }
                struct web_scope *scope = arena_zalloc(c.arena, sizeof *scope);
                scope->user_id = session->user.id;
                scope->email = session->user.email;
                scope->la = session->user.la;
                scope->role = role;
                scope->suppress = web_role_suppressed(role);
                c.scope = scope;
                c.session = session;
        } else if (token) {
                /* A cookie for a session that has ended: tell the browser to drop it. */
                http_set_cookie(req, resp, WEB_SESSION_COOKIE, "", 0, HTTP_COOKIE_DELETE);
        }

        /* The route's declared roles. */
        if (!(c.route->roles & WEB_PUBLIC)) {
                if (!c.scope) {
                        if (strcmp(c.route->method, "GET") == 0 && strcmp(req->path, "/") == 0) {
                                http_redirect(req, resp, "/login");
                        } else if (strcmp(c.route->method, "GET") == 0) {
                                /* Back to this page after signing in. */
                                struct buf b;
                                buf_init(&b);
                                struct html h;
                                html_init(&h, &b);
                                html_lit(&h, "/login?next=");
                                html_url_param(&h, req->path);
                                http_redirect(req, resp, b.data);
                                buf_release(&b);
                        } else {
                                web_error_page(&c, 401, "Sign in to continue",
                                               "Your session has ended. Sign in again and "
                                               "repeat what you were doing.");
                        }
                        return;
                }
                if (!(c.route->roles & WEB_ROLE(c.scope->role))) {
                        web_error_page(&c, 403, "You do not have access to this page",
                                       "Your role does not include this page. Ask your "
                                       "administrator if you need it.");
                        return;
                }
        }

        /* Every state-changing request carries the CSRF token. */
        if (strcmp(c.route->method, "POST") == 0) {
                if (parse_body(&c)) {
                        web_error_page(&c, 400, "The form could not be read",
                                       "Go back, check what you entered and try again.");
                        return;
                }
                if (!csrf_ok(&c)) {
                        web_error_page(&c, 403, "This form has expired",
                                       "Go back, reload the page and try again.");
                        return;
                }
        }

        int bad = validate(&c);
        if (bad) {
                if (bad == 404)
                        web_error_page(&c, 404, "Page not found",
                                       "If you typed the web address, check it is correct.");
                else
                        web_error_page(&c, 400, "The request could not be read",
                                       "Part of the address or form is not in the form "
                                       "expected. Go back and try again.");
                return;
        }

        if (c.route->handler(&c)) {
                internal_error(&c, NULL);
                return;
        }

        /* The audit record is written before the page is sent: no audit, no page. */
        if (c.route->audit && c.scope && resp->status < 400) {
                struct store_audit a = {
                    .user = c.scope->email,
                    .action = c.route->audit,
                    .la = c.scope->la,
                    .detail = c.audit_detail ? c.audit_detail : req->path,
                    .children = c.audit_children,
                };
                if (store_audit_append(s, &a, &e)) {
                        internal_error(&c, &e);
                        return;
                }
        }
}
