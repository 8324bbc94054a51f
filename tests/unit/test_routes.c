/*
 * test_routes.c — the route table enforced: every route × every role ×
 * every authority (and nobody signed in), driven from web_routes[] itself so
 * that a new route is covered as soon as it is added; CSRF on every POST;
 * sign-in and sign-out through the pages; escaping of stored values; SQL
 * metacharacters in parameters; and the real server on an ephemeral port.
 *
 * The expected roles below are written from security.md, independently of
 * routes.c: a route whose declared roles differ, or that has no entry here,
 * fails the test.
 */
#include "test.h"

#include "core/arena.h"
#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"
#include "store/store.h"
#include "web/web.h"

#include <arpa/inet.h>
#include <strings.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ALL_ROLES "admin leader analyst practitioner member peer inspector"

/* What security.md says each page is for. */
static const struct {
        const char *method, *pattern, *allowed; /* "public" or role names */
} policy[] = {
    {"GET", "/healthz", "public"},
    {"GET", "/assets/{name}", "public"},
    {"GET", "/login", "public"},
    {"POST", "/login", "public"},
    {"POST", "/logout", ALL_ROLES},
    {"GET", "/", ALL_ROLES},
    {"GET", "/admin/users", "admin"}, /* admin: users */
    {"GET", "/admin/audit", "admin"}, /* admin: the audit log */
    /* Aggregates: every role (outward roles suppressed in the query, not refused). */
    {"GET", "/measures/{measure}", ALL_ROLES},
    {"GET", "/measures/{measure}/spc.svg", ALL_ROLES},
    {"GET", "/measures/{measure}/data.csv", ALL_ROLES},
    {"GET", "/measures/{measure}/children", "admin leader analyst"},
    {"GET", "/api/v1/measures", ALL_ROLES},
    {"GET", "/api/v1/measures.csv", ALL_ROLES},
    {"GET", "/api/v1/spc/{measure}", ALL_ROLES},
    /* Findings name children: the authority's staff who may see child-level data. */
    {"GET", "/api/v1/findings", "admin leader analyst"},
    {"GET", "/api/v1/findings.csv", "admin leader analyst"},
    /* Data quality counts: the authority's own staff and practitioners, not outward roles. */
    {"GET", "/quality", "admin leader analyst practitioner"},
    {"GET", "/quality/{return}/{year}/rules/{rule}", "admin leader analyst"},
    {"GET", "/quality/children/{child}", "admin leader analyst"},
    {"GET", "/quality/{return}/{year}/report.xlsx", "admin leader analyst"},
    /* Uploading and importing a return: the roles that change imports. */
    {"GET", "/imports/new", "admin analyst"},
    {"POST", "/imports/new", "admin analyst"},
    {"POST", "/imports/confirm", "admin analyst"},
    /* Admin: users, authority settings, deleting an import (security.md: admin changes
     * users, settings, imports). */
    {"POST", "/admin/users/new", "admin"},
    {"POST", "/admin/users/{user}/status", "admin"},
    {"GET", "/admin/settings", "admin"},
    {"POST", "/admin/settings", "admin"},
    {"GET", "/admin/imports/{import}/delete", "admin"},
    {"POST", "/admin/imports/{import}/delete", "admin"},
};

/* A value for each {name} used in patterns, so every route can be requested. */
static const struct {
        const char *name, *value;
} samples[] = {
    {"name", "improve.css"},
    {"id", "1"},
    {"measure", "rereferrals_12m_pct"},
    {"return", "ssda903"},
    {"year", "2026"},
    {"rule", "103"},
    {"child", "C1"},
    /* Per requester: its own account, its own authority's import (see concrete_path). */
    {"user", "@user"},
    {"import", "@import"},
};

static const char *const las[] = {"901", "902"};
static const char *const la_names[] = {"Aldrwick", "Bremmere"};

static int64_t now_value = 1800000000;
static int64_t fixed_now(void)
{
        return now_value;
}

struct fixture {
        char *dir;
        struct store *s;
        struct web_app app;
        struct store_user users[2][WEB_ROLE_COUNT];
        int64_t imports[2]; /* the import that stored each authority's return */
};

struct result {
        int status;
        char body[65536];
        char location[512];
        char cookies[2048]; /* every Set-Cookie, joined by " | " */
};

static void add_user(struct fixture *f, int a, int r)
{
        struct store_user *u = &f->users[a][r];
        struct err e = {0};
        memset(u, 0, sizeof *u);
        snprintf(u->email, sizeof u->email, "%s@%s.test", web_role_name((enum web_role)r), las[a]);
        snprintf(u->la, sizeof u->la, "%s", las[a]);
        snprintf(u->role, sizeof u->role, "%s", web_role_name((enum web_role)r));
        assert_int_equal(auth_hash_password(&f->app.auth, "correct horse battery", u->pwhash, &e),
                         0);
        assert_int_equal(store_user_add(f->s, u, &u->id, &e), 0);
        /* Something of this user's in its authority's audit log. */
        struct store_audit au = {
            .user = u->email, .action = "login", .la = u->la, .detail = "seed"};
        assert_int_equal(store_audit_append(f->s, &au, &e), 0);
}

static const char header_csv[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                                 "C1,1,02/01/2010,WBRI,UN1,,\n";
static const char episodes_csv[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "C1,01/04/2025,S,C2,N1,U1,PR1,30/06/2025,E11,,,,\n";

/*
 * Figures of authority a, so that every page has something to show: annual and 14 monthly
 * values of one measure, and a stored return whose finding names child C1 and, in its
 * message, the authority's name (so that a leak of it shows up in no_other_authority).
 */
static void add_figures(struct fixture *f, int a)
{
        struct err e = {0};
        struct store_measure_writer *w;
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_measure_writer_open(f->s, &w, &e), 0);
        for (int k = 0; k <= 14; k++) {
                int y = 2025 + (k + 1) / 12, m = (k + 1) % 12 + 1;
                char end[32];
                static const int days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, days[m]);
                struct store_measure_value v = {
                    .la = las[a],
                    .measure = "rereferrals_12m_pct",
                    .period = k == 14 ? "year" : "month",
                    .period_end = k == 14 ? "2026-03-31" : end,
                    .year = 2026,
                    .source = "cin",
                    .has_numerator = 1,
                    .has_denominator = 1,
                    .has_value = 1,
                    .numerator = 20 + k,
                    .denominator = 100,
                    .value = 20 + k,
                    .note = "",
                };
                assert_int_equal(store_measure_put(w, &v, &e), 0);
        }
        store_measure_writer_close(w);
        assert_int_equal(store_commit(f->s, &e), 0);

        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "header.csv", header_csv, strlen(header_csv), 0, &e),
                         0);
        assert_int_equal(
            ssda903_add_mem(ld, "episodes.csv", episodes_csv, strlen(episodes_csv), 0, &e), 0);
        struct ssda903_options opt = {.collection_year = 2026};
        assert_int_equal(ssda903_finish(ld, &opt, &e), 0);
        struct finding fd = {"103", RULE_ERROR, "Header",    1,
                             "C1",  "ETHNIC",   la_names[a], "header.csv"};
        int64_t id;
        struct store_import imp = {.kind = "ssda903", .la = las[a], .year = 2026, .user = "t"};
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        f->imports[a] = id;
        struct store_return r = {STORE_RETURN_SSDA903, las[a], 2026, 2026, id, 1};
        assert_int_equal(store_return_put_903(f->s, &r, ld, &fd, 1, &e), 0);
        assert_int_equal(store_import_finish(f->s, id, "ok", "{}", &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        ssda903_free(ld);
}

/*
 * The test's store goes in memory-backed /dev/shm when there is one: the
 * store syncs every transaction to disk (synchronous = FULL), and these tests
 * make hundreds of sessions; nothing here is about durability.
 */
static char *fast_tmpdir(void)
{
        char tmpl[] = "/dev/shm/improve-test-XXXXXX";
        char *d = access("/dev/shm", W_OK) == 0 ? mkdtemp(tmpl) : NULL;
        if (!d)
                return test_tmpdir();
        char *copy = malloc(strlen(d) + 1);
        assert_non_null(copy);
        strcpy(copy, d);
        return copy;
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = fast_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/web.db", f->dir);
        struct err e = {0};
        assert_int_equal(auth_init(&e), 0);
        f->s = store_open(path, STORE_CREATE, &e);
        assert_non_null(f->s);
        web_app_init(&f->app);
        auth_config_for_tests(&f->app.auth);
        f->app.now = fixed_now;
        for (int a = 0; a < 2; a++) {
                struct store_authority au = {.name = la_names[a]};
                snprintf(au.code, sizeof au.code, "%s", las[a]);
                assert_int_equal(store_authority_put(f->s, &au, &e), 0);
        }
        for (int a = 0; a < 2; a++)
                for (int r = 0; r < WEB_ROLE_COUNT; r++)
                        add_user(f, a, r);
        for (int a = 0; a < 2; a++)
                add_figures(f, a);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

static void join_cookies(struct result *out, const struct http_response *r)
{
        out->cookies[0] = '\0';
        for (size_t i = 0; i < r->nheaders; i++)
                if (strcasecmp(r->headers[i].name, "Set-Cookie") == 0) {
                        size_t n = strlen(out->cookies);
                        snprintf(out->cookies + n, sizeof out->cookies - n, "%s%s", n ? " | " : "",
                                 r->headers[i].value);
                }
}

/* One request through the whole application, in-process. */
static void request(struct fixture *f, const char *method, const char *target, const char *cookie,
                    const char *form, int tls, struct result *out)
{
        struct arena a;
        arena_init(&a, 0);
        struct http_request req = {.arena = &a, .method = method, .tls = tls};
        const char *q = strchr(target, '?');
        req.path = q ? arena_strndup(&a, target, (size_t)(q - target)) : target;
        struct err e = {0};
        if (q)
                assert_int_equal(http_parse_urlencoded(&a, q + 1, strlen(q + 1), &req.query, &e),
                                 0);
        http_parse_cookies(&a, cookie, &req.cookies);
        if (form) {
                req.body = arena_strdup(&a, form);
                req.body_len = strlen(form);
                req.content_type = "application/x-www-form-urlencoded";
        }
        req.remote_addr = "127.0.0.1";
        struct http_response resp;
        http_response_init(&resp);
        web_handle(&f->app, f->s, &req, &resp);
        out->status = resp.status;
        if (resp.static_body)
                snprintf(out->body, sizeof out->body, "%.*s", (int)resp.static_len,
                         (const char *)resp.static_body);
        else
                snprintf(out->body, sizeof out->body, "%s", resp.body.data);
        const char *loc = http_response_header_get(&resp, "Location");
        snprintf(out->location, sizeof out->location, "%s", loc ? loc : "");
        join_cookies(out, &resp);
        http_response_release(&resp);
        arena_release(&a);
}

/* The value of cookie `name` set in a result ("" if none). */
static void cookie_value(const struct result *r, const char *name, char *out, size_t n)
{
        out[0] = '\0';
        char key[64];
        snprintf(key, sizeof key, "%s=", name);
        const char *p = strstr(r->cookies, key);
        if (!p)
                return;
        p += strlen(key);
        size_t len = strcspn(p, ";");
        snprintf(out, n, "%.*s", (int)len, p);
}

/* Turn a pattern into a path with sample values, as user (a, r) would ask for it. */
static void concrete_path(const struct fixture *f, int a, int r, const char *pattern, char *out,
                          size_t n)
{
        size_t k = 0;
        for (const char *p = pattern; *p && k + 1 < n;) {
                if (*p == '{') {
                        const char *end = strchr(p, '}');
                        assert_non_null(end);
                        const char *value = NULL;
                        for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
                                if (strlen(samples[i].name) == (size_t)(end - p - 1) &&
                                    strncmp(samples[i].name, p + 1, (size_t)(end - p - 1)) == 0)
                                        value = samples[i].value;
                        if (!value)
                                fail_msg("pattern %s: no sample value for {%.*s} in "
                                         "test_routes.c",
                                         pattern, (int)(end - p - 1), p + 1);
                        char own[32];
                        if (strcmp(value, "@user") == 0) {
                                snprintf(own, sizeof own, "%lld", (long long)f->users[a][r].id);
                                value = own;
                        } else if (strcmp(value, "@import") == 0) {
                                snprintf(own, sizeof own, "%lld", (long long)f->imports[a]);
                                value = own;
                        }
                        k += (size_t)snprintf(out + k, n - k, "%s", value);
                        p = end + 1;
                } else {
                        out[k++] = *p++;
                }
        }
        out[k] = '\0';
}

static unsigned expected_roles(const struct web_route *rt)
{
        for (size_t i = 0; i < sizeof policy / sizeof policy[0]; i++) {
                if (strcmp(policy[i].method, rt->method) != 0 ||
                    strcmp(policy[i].pattern, rt->pattern) != 0)
                        continue;
                if (strcmp(policy[i].allowed, "public") == 0)
                        return WEB_PUBLIC;
                unsigned m = 0;
                char copy[128];
                snprintf(copy, sizeof copy, "%s", policy[i].allowed);
                for (char *save, *t = strtok_r(copy, " ", &save); t;
                     t = strtok_r(NULL, " ", &save)) {
                        enum web_role r;
                        assert_int_equal(web_role_parse(t, &r), 0);
                        m |= WEB_ROLE(r);
                }
                return m;
        }
        fail_msg("route %s %s has no expected roles in test_routes.c: write them from "
                 "security.md",
                 rt->method, rt->pattern);
        return 0;
}

static void test_table_matches_policy(void **state)
{
        (void)state;
        assert_true(web_route_count >= sizeof policy / sizeof policy[0]);
        for (size_t i = 0; i < web_route_count; i++) {
                const struct web_route *rt = &web_routes[i];
                assert_non_null(rt->handler);
                /* No route is open by accident: roles are never left empty. */
                assert_int_not_equal(rt->roles, 0);
                if (rt->roles != expected_roles(rt))
                        fail_msg("route %s %s: declared roles 0x%x, security.md says 0x%x",
                                 rt->method, rt->pattern, rt->roles, expected_roles(rt));
                /* Every POST accepts a body (it must carry the CSRF token); no GET does. */
                if (strcmp(rt->method, "POST") == 0)
                        assert_true(rt->max_body > 0);
                else
                        assert_int_equal(rt->max_body, 0);
        }
        /* And every policy row names a real route. */
        for (size_t i = 0; i < sizeof policy / sizeof policy[0]; i++) {
                int found = 0;
                for (size_t j = 0; j < web_route_count; j++)
                        found |= strcmp(policy[i].method, web_routes[j].method) == 0 &&
                                 strcmp(policy[i].pattern, web_routes[j].pattern) == 0;
                if (!found)
                        fail_msg("policy row %s %s has no route", policy[i].method,
                                 policy[i].pattern);
        }
}

/* Check one response for another authority's users or name. */
static void no_other_authority(const struct result *res, int a, const char *what)
{
        int other = 1 - a;
        char marker[16];
        snprintf(marker, sizeof marker, "@%s.test", las[other]);
        if (strstr(res->body, marker) || strstr(res->body, la_names[other]))
                fail_msg("%s: the page shows authority %s's data to a user of %s", what, las[other],
                         las[a]);
}

static void test_role_matrix(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        size_t checked = 0;
        for (size_t i = 0; i < web_route_count; i++) {
                const struct web_route *rt = &web_routes[i];
                unsigned expect = expected_roles(rt);
                char path[256];
                concrete_path(f, 0, 0, rt->pattern, path, sizeof path);
                int post = strcmp(rt->method, "POST") == 0;
                char what[512];

                /* Nobody signed in (with a valid pre-sign-in CSRF pair for POSTs). */
                struct result *res = malloc(sizeof *res);
                char tok[AUTH_TOKEN_LEN + 1], cookie[256], form[256];
                auth_random_token(tok);
                snprintf(cookie, sizeof cookie, WEB_PRESESSION_COOKIE "=%s", tok);
                snprintf(form, sizeof form, "csrf=%s", tok);
                request(f, rt->method, path, cookie, post ? form : NULL, 0, res);
                snprintf(what, sizeof what, "%s %s, nobody signed in", rt->method, path);
                if (expect & WEB_PUBLIC) {
                        if (res->status == 401 || res->status == 403 ||
                            strncmp(res->location, "/login", 6) == 0)
                                fail_msg("%s: public page refused (%d)", what, res->status);
                } else if (post) {
                        if (res->status != 401)
                                fail_msg("%s: got %d, want 401", what, res->status);
                } else if (res->status != 303 || strncmp(res->location, "/login", 6) != 0) {
                        fail_msg("%s: got %d to '%s', want 303 to /login", what, res->status,
                                 res->location);
                }
                checked++;

                for (int a = 0; a < 2; a++)
                        for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                                struct auth_session s;
                                assert_int_equal(
                                    auth_session_create(f->s, &f->users[a][r], now_value, &s, &e),
                                    0);
                                snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
                                snprintf(form, sizeof form, "csrf=%s", s.csrf);
                                concrete_path(f, a, r, rt->pattern, path, sizeof path);
                                request(f, rt->method, path, cookie, post ? form : NULL, 0, res);
                                snprintf(what, sizeof what, "%s %s as %s of %s", rt->method, path,
                                         web_role_name((enum web_role)r), las[a]);
                                int allowed = (expect & WEB_PUBLIC) || (expect & WEB_ROLE(r));
                                if (allowed && (res->status >= 400 ||
                                                strncmp(res->location, "/login?", 7) == 0))
                                        fail_msg("%s: allowed by security.md, got %d", what,
                                                 res->status);
                                if (!allowed && res->status != 403)
                                        fail_msg("%s: not allowed by security.md, got %d", what,
                                                 res->status);
                                if (allowed && !strstr(path, "/assets/"))
                                        no_other_authority(res, a, what);
                                assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
                                checked++;
                        }
                free(res);
        }
        print_message("checked %zu route x role x authority combinations\n", checked);
        assert_int_equal(checked, web_route_count * (1 + 2 * WEB_ROLE_COUNT));
}

static void test_admin_pages_scoped(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        char cookie[128];
        for (int a = 0; a < 2; a++) {
                struct auth_session s;
                assert_int_equal(
                    auth_session_create(f->s, &f->users[a][WEB_ROLE_ADMIN], now_value, &s, &e), 0);
                snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
                request(f, "GET", "/admin/users", cookie, NULL, 0, res);
                assert_int_equal(res->status, 200);
                /* All seven accounts of its own authority, none of the other's. */
                for (int r = 0; r < WEB_ROLE_COUNT; r++)
                        assert_non_null(strstr(res->body, f->users[a][r].email));
                no_other_authority(res, a, "users page");
                request(f, "GET", "/admin/audit", cookie, NULL, 0, res);
                assert_int_equal(res->status, 200);
                char seen[64];
                snprintf(seen, sizeof seen, "leader@%s.test", las[a]);
                assert_non_null(strstr(res->body, seen));
                no_other_authority(res, a, "audit page");
        }
        free(res);
}

static void test_csrf(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        struct auth_session s, other, got;
        const struct store_user *u = &f->users[0][WEB_ROLE_ANALYST];
        assert_int_equal(auth_session_create(f->s, u, now_value, &s, &e), 0);
        assert_int_equal(auth_session_create(f->s, u, now_value, &other, &e), 0);
        char cookie[128], form[128];
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);

        /* No token, an empty one, a wrong one, another session's: refused, session kept. */
        const char *bad[4] = {"x=1", "csrf=", "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              NULL};
        snprintf(form, sizeof form, "csrf=%s", other.csrf);
        bad[3] = form;
        for (int i = 0; i < 4; i++) {
                request(f, "POST", "/logout", cookie, bad[i], 0, res);
                assert_int_equal(res->status, 403);
                assert_non_null(strstr(res->body, "This form has expired"));
                assert_int_equal(
                    auth_session_lookup(f->s, &f->app.auth, s.token, now_value, &got, &e), 1);
        }
        /* A body that is not urlencoded is refused too. */
        request(f, "POST", "/logout", cookie, "csrf=%zz", 0, res);
        assert_int_equal(res->status, 400);

        int64_t before;
        assert_int_equal(store_audit_count(f->s, &before, &e), 0);
        snprintf(form, sizeof form, "csrf=%s", s.csrf);
        request(f, "POST", "/logout", cookie, form, 0, res);
        assert_int_equal(res->status, 303);
        assert_string_equal(res->location, "/login");
        assert_non_null(strstr(res->cookies, WEB_SESSION_COOKIE "=; "));
        assert_non_null(strstr(res->cookies, "Max-Age=0"));
        assert_int_equal(auth_session_lookup(f->s, &f->app.auth, s.token, now_value, &got, &e), 0);
        int64_t after;
        assert_int_equal(store_audit_count(f->s, &after, &e), 0);
        assert_int_equal(after, before + 1); /* the route's "logout" event */

        /* The sign-in form: its token must match the pre-sign-in cookie. */
        request(f, "POST", "/login", NULL, "csrf=abc&email=a%40b.c&password=x", 0, res);
        assert_int_equal(res->status, 403);
        free(res);
}

static void test_login_flow(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        char tok[128], cookie[256], form[512], session[128];

        request(f, "GET", "/login?next=%2Fadmin%2Fusers", NULL, NULL, 0, res);
        assert_int_equal(res->status, 200);
        cookie_value(res, WEB_PRESESSION_COOKIE, tok, sizeof tok);
        assert_int_equal(strlen(tok), AUTH_TOKEN_LEN);
        assert_non_null(strstr(res->cookies, "HttpOnly; SameSite=Strict"));
        assert_null(strstr(res->cookies, "Secure"));
        char hidden[256];
        snprintf(hidden, sizeof hidden, "name=\"csrf\" value=\"%s\"", tok);
        assert_non_null(strstr(res->body, hidden));
        assert_non_null(strstr(res->body, "name=\"next\" value=\"/admin/users\""));
        assert_null(strstr(res->body, "<script>")); /* no inline script, ever */

        /* Wrong password: the same answer as an unknown account, with an error summary. */
        snprintf(cookie, sizeof cookie, WEB_PRESESSION_COOKIE "=%s", tok);
        snprintf(form, sizeof form,
                 "csrf=%s&email=admin%%40901.test&password=wrong&next=%%2Fadmin%%2Fusers", tok);
        request(f, "POST", "/login", cookie, form, 0, res);
        assert_int_equal(res->status, 200);
        assert_non_null(strstr(res->body, "govuk-error-summary"));
        assert_non_null(strstr(res->body, "Enter a correct email address and password"));
        assert_non_null(strstr(res->body, "<title>Error: Sign in"));
        assert_null(strstr(res->cookies, WEB_SESSION_COOKIE));

        /* Empty fields: one error each, linked to the field. */
        snprintf(form, sizeof form, "csrf=%s&email=&password=", tok);
        request(f, "POST", "/login", cookie, form, 0, res);
        assert_non_null(strstr(res->body, "href=\"#email\">Enter your email address"));
        assert_non_null(strstr(res->body, "href=\"#password\">Enter your password"));

        /* Script in the e-mail comes back escaped in the value attribute. */
        snprintf(form, sizeof form,
                 "csrf=%s&email=%%22%%3E%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&password=x", tok);
        request(f, "POST", "/login", cookie, form, 0, res);
        assert_null(strstr(res->body, "<script>alert(1)"));
        assert_non_null(strstr(res->body, "value=\"&quot;&gt;&lt;script&gt;alert(1)"));

        /* The right password: a new session, cookie flags, back to the page asked for. */
        snprintf(form, sizeof form,
                 "csrf=%s&email=admin%%40901.test&password=correct+horse+battery&next=%%2Fadmin%%"
                 "2Fusers",
                 tok);
        request(f, "POST", "/login", cookie, form, 1, res);
        assert_int_equal(res->status, 303);
        assert_string_equal(res->location, "/admin/users");
        cookie_value(res, WEB_SESSION_COOKIE, session, sizeof session);
        assert_int_equal(strlen(session), AUTH_TOKEN_LEN);
        assert_non_null(strstr(res->cookies, "HttpOnly; SameSite=Strict; Secure"));
        /* The pre-sign-in token is dropped. */
        assert_non_null(strstr(res->cookies, WEB_PRESESSION_COOKIE "=; "));

        /* Signing in again while holding that session rotates it. */
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", session);
        struct auth_session s;
        assert_int_equal(auth_session_lookup(f->s, &f->app.auth, session, now_value, &s, &e), 1);
        snprintf(form, sizeof form,
                 "csrf=%s&email=admin%%40901.test&password=correct+horse+battery", s.csrf);
        request(f, "POST", "/login", cookie, form, 0, res);
        assert_int_equal(res->status, 303);
        char rotated[128];
        cookie_value(res, WEB_SESSION_COOKIE, rotated, sizeof rotated);
        assert_int_equal(strlen(rotated), AUTH_TOKEN_LEN);
        assert_string_not_equal(rotated, session);
        assert_int_equal(auth_session_lookup(f->s, &f->app.auth, session, now_value, &s, &e), 0);
        assert_int_equal(auth_session_lookup(f->s, &f->app.auth, rotated, now_value, &s, &e), 1);

        /* A signed-in user opening /login goes home; an ended session's cookie is dropped. */
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", rotated);
        request(f, "GET", "/login", cookie, NULL, 0, res);
        assert_int_equal(res->status, 303);
        assert_string_equal(res->location, "/");
        now_value += 3 * 3600;
        request(f, "GET", "/", cookie, NULL, 0, res);
        assert_int_equal(res->status, 303);
        assert_string_equal(res->location, "/login");
        assert_non_null(strstr(res->cookies, WEB_SESSION_COOKIE "=; "));

        /* Too many failures: 429 and no session even with the right password. */
        for (int i = 0; i < 5; i++) {
                snprintf(cookie, sizeof cookie, WEB_PRESESSION_COOKIE "=%s", tok);
                snprintf(form, sizeof form, "csrf=%s&email=leader%%40902.test&password=no", tok);
                request(f, "POST", "/login", cookie, form, 0, res);
                assert_int_equal(res->status, 200);
        }
        snprintf(form, sizeof form,
                 "csrf=%s&email=leader%%40902.test&password=correct+horse+battery", tok);
        request(f, "POST", "/login", cookie, form, 0, res);
        assert_int_equal(res->status, 429);
        assert_non_null(strstr(res->body, "too many failed attempts"));
        assert_null(strstr(res->cookies, WEB_SESSION_COOKIE "="));
        free(res);
}

static void test_escaping_and_sql_metacharacters(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        struct store_audit au = {.user = "<img src=x onerror=alert(1)>",
                                 .action = "view-children",
                                 .la = "901",
                                 .detail = "\"><script>alert(2)</script>",
                                 .children = "'; DROP TABLE users; --"};
        assert_int_equal(store_audit_append(f->s, &au, &e), 0);
        struct auth_session s;
        assert_int_equal(auth_session_create(f->s, &f->users[0][WEB_ROLE_ADMIN], now_value, &s, &e),
                         0);
        char cookie[128];
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
        request(f, "GET", "/admin/audit", cookie, NULL, 0, res);
        assert_int_equal(res->status, 200);
        assert_null(strstr(res->body, "<img"));
        assert_null(strstr(res->body, "<script>"));
        assert_non_null(strstr(res->body, "&lt;img src=x onerror=alert(1)&gt;"));
        assert_non_null(strstr(res->body, "&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert_non_null(strstr(res->body, "&#39;; DROP TABLE users; --"));

        /* SQL metacharacters in parameters: refused by the field's kind, or harmless. */
        request(f, "GET", "/admin/audit?page=1%27%20OR%201%3D1--", cookie, NULL, 0, res);
        assert_int_equal(res->status, 400);
        request(f, "GET", "/admin/audit?page=2", cookie, NULL, 0, res);
        assert_int_equal(res->status, 200);
        request(f, "GET", "/assets/improve.css%27--", NULL, NULL, 0, res);
        assert_int_equal(res->status, 404);
        char tok[AUTH_TOKEN_LEN + 1], pre[128], form[512];
        auth_random_token(tok);
        snprintf(pre, sizeof pre, WEB_PRESESSION_COOKIE "=%s", tok);
        snprintf(form, sizeof form,
                 "csrf=%s&email=%%27+OR+1%%3D1+--%%40x&password=%%27+OR+%%271%%27%%3D%%271", tok);
        request(f, "POST", "/login", pre, form, 0, res);
        assert_int_equal(res->status, 200);
        assert_non_null(strstr(res->body, "Enter a correct email address and password"));
        int64_t n;
        assert_int_equal(store_audit_count(f->s, &n, &e), 0);
        assert_true(n > 0); /* the tables are all still there */
        struct store_user u;
        assert_int_equal(store_user_get_email(f->s, "admin@901.test", &u, &e), 1);
        free(res);
}

/* A role the route allows (admin where it can), or -1 for a public route. */
static int allowed_role(const struct web_route *rt)
{
        if (rt->roles & WEB_PUBLIC)
                return -1;
        if (rt->roles & WEB_ROLE(WEB_ROLE_ADMIN))
                return WEB_ROLE_ADMIN;
        for (int r = 0; r < WEB_ROLE_COUNT; r++)
                if (rt->roles & WEB_ROLE(r))
                        return r;
        return -1;
}

/* Every POST route refuses a missing, wrong or other session's CSRF token, and changes nothing. */
static void test_csrf_every_post(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        size_t checked = 0;
        for (size_t i = 0; i < web_route_count; i++) {
                const struct web_route *rt = &web_routes[i];
                if (strcmp(rt->method, "POST") != 0)
                        continue;
                int r = allowed_role(rt);
                char path[256], cookie[256], form[256];
                concrete_path(f, 0, r < 0 ? 0 : r, rt->pattern, path, sizeof path);
                struct auth_session s, other;
                char tok[AUTH_TOKEN_LEN + 1], tok2[AUTH_TOKEN_LEN + 1];
                if (r >= 0) {
                        assert_int_equal(
                            auth_session_create(f->s, &f->users[0][r], now_value, &s, &e), 0);
                        assert_int_equal(
                            auth_session_create(f->s, &f->users[0][r], now_value, &other, &e), 0);
                        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
                        snprintf(tok2, sizeof tok2, "%s", other.csrf);
                } else {
                        auth_random_token(tok);
                        auth_random_token(tok2);
                        snprintf(cookie, sizeof cookie, WEB_PRESESSION_COOKIE "=%s", tok);
                }
                int64_t audit_before, audit_after;
                assert_int_equal(store_audit_count(f->s, &audit_before, &e), 0);
                const char *bodies[3] = {"name=x&email=a%40901.test&role=admin&action=disable",
                                         "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&name=x",
                                         NULL};
                snprintf(form, sizeof form, "csrf=%s&name=x&action=disable", tok2);
                bodies[2] = form;
                for (int k = 0; k < 3; k++) {
                        request(f, "POST", path, cookie, bodies[k], 0, res);
                        if (res->status != 403)
                                fail_msg("POST %s with %s CSRF token: got %d, want 403", path,
                                         k == 0   ? "no"
                                         : k == 1 ? "a wrong"
                                                  : "another session's",
                                         res->status);
                        checked++;
                }
                assert_int_equal(store_audit_count(f->s, &audit_after, &e), 0);
                assert_int_equal(audit_after, audit_before); /* nothing happened to audit */
                if (r >= 0) {
                        struct auth_session got;
                        /* The session survives a refused form (it was not a sign-out). */
                        assert_int_equal(
                            auth_session_lookup(f->s, &f->app.auth, s.token, now_value, &got, &e),
                            1);
                        assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
                        assert_int_equal(auth_session_destroy(f->s, other.token, &e), 0);
                }
        }
        /* Nothing was changed: every account is still there and enabled. */
        for (int a = 0; a < 2; a++)
                for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                        struct store_user u;
                        assert_int_equal(store_user_get_id(f->s, f->users[a][r].id, &u, &e), 1);
                        assert_int_equal(u.disabled, 0);
                }
        size_t posts = 0;
        for (size_t i = 0; i < web_route_count; i++)
                posts += strcmp(web_routes[i].method, "POST") == 0;
        print_message("checked %zu refused POSTs\n", checked);
        assert_int_equal(checked, 3 * posts);
        free(res);
}

/*
 * SQL metacharacters in every declared parameter of every route: each answer is a page or a
 * refusal (never a 500), and afterwards the tables and their rows are all there.
 */
static void test_sql_metacharacters_everywhere(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result *res = malloc(sizeof *res);
        static const char *const evil[] = {
            "1%27%20OR%20%271%27%3D%271",          /* 1' OR '1'='1 */
            "x%27%3B%20DROP%20TABLE%20users%3B--", /* x'; DROP TABLE users;-- */
            "%22%20UNION%20SELECT%20pwhash%20FROM%20users--",
        };
        size_t checked = 0;
        int64_t users_before = 0;
        for (size_t i = 0; i < web_route_count; i++) {
                const struct web_route *rt = &web_routes[i];
                /* Deleting a return or disabling accounts would change the fixture itself. */
                if (strstr(rt->pattern, "/delete") || strstr(rt->pattern, "/status") ||
                    strcmp(rt->pattern, "/logout") == 0)
                        continue;
                int r = allowed_role(rt);
                for (const struct web_field *fd = rt->fields; fd && fd->name; fd++)
                        for (size_t k = 0; k < sizeof evil / sizeof evil[0]; k++) {
                                char path[512], target[1024], cookie[256], form[1024];
                                struct auth_session s;
                                memset(&s, 0, sizeof s);
                                char tok[AUTH_TOKEN_LEN + 1];
                                if (r >= 0) {
                                        assert_int_equal(auth_session_create(f->s, &f->users[0][r],
                                                                             now_value, &s, &e),
                                                         0);
                                        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s",
                                                 s.token);
                                } else {
                                        auth_random_token(tok);
                                        snprintf(s.csrf, sizeof s.csrf, "%s", tok);
                                        snprintf(cookie, sizeof cookie, WEB_PRESESSION_COOKIE "=%s",
                                                 tok);
                                }
                                concrete_path(f, 0, r < 0 ? 0 : r, rt->pattern, path, sizeof path);
                                if (fd->from == WEB_FROM_PATH) {
                                        /* Put the value in place of the field's sample segment. */
                                        char pattern[256];
                                        snprintf(pattern, sizeof pattern, "%s", rt->pattern);
                                        char key[64];
                                        snprintf(key, sizeof key, "{%s}", fd->name);
                                        char *at = strstr(pattern, key);
                                        assert_non_null(at);
                                        *at = '\0';
                                        char head[256];
                                        concrete_path(f, 0, r < 0 ? 0 : r, pattern, head,
                                                      sizeof head);
                                        char tail[256];
                                        concrete_path(f, 0, r < 0 ? 0 : r, at + strlen(key), tail,
                                                      sizeof tail);
                                        snprintf(target, sizeof target, "%s%s%s", head, evil[k],
                                                 tail);
                                } else if (fd->from == WEB_FROM_QUERY) {
                                        snprintf(target, sizeof target, "%s?%s=%s", path, fd->name,
                                                 evil[k]);
                                } else {
                                        snprintf(target, sizeof target, "%s", path);
                                }
                                int post = strcmp(rt->method, "POST") == 0;
                                if (fd->from == WEB_FROM_FORM)
                                        snprintf(form, sizeof form, "csrf=%s&%s=%s", s.csrf,
                                                 fd->name, evil[k]);
                                else
                                        snprintf(form, sizeof form, "csrf=%s", s.csrf);
                                request(f, rt->method, target, cookie, post ? form : NULL, 0, res);
                                if (res->status >= 500)
                                        fail_msg("%s %s with %s=%s: got %d", rt->method, target,
                                                 fd->name, evil[k], res->status);
                                if (strstr(res->body, "$argon2"))
                                        fail_msg("%s %s: a password hash in the answer", rt->method,
                                                 target);
                                if (r >= 0)
                                        assert_int_equal(auth_session_destroy(f->s, s.token, &e),
                                                         0);
                                checked++;
                        }
        }
        /* Every account is still there. */
        for (int a = 0; a < 2; a++)
                for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                        struct store_user u;
                        assert_int_equal(store_user_get_id(f->s, f->users[a][r].id, &u, &e), 1);
                        users_before++;
                }
        assert_int_equal(users_before, 2 * WEB_ROLE_COUNT);
        int64_t audit;
        assert_int_equal(store_audit_count(f->s, &audit, &e), 0);
        assert_true(audit > 0);
        print_message("checked %zu parameters with SQL metacharacters\n", checked);
        assert_true(checked > 60);
        free(res);
}

static void test_not_found_and_methods(void **state)
{
        struct fixture *f = *state;
        struct result *res = malloc(sizeof *res);
        request(f, "GET", "/no/such/page", NULL, NULL, 0, res);
        assert_int_equal(res->status, 404);
        assert_non_null(strstr(res->body, "Page not found"));
        request(f, "GET", "/logout", NULL, NULL, 0, res);
        assert_int_equal(res->status, 405);
        request(f, "DELETE", "/", NULL, NULL, 0, res);
        assert_int_equal(res->status, 405);
        request(f, "GET", "/admin/users/", NULL, NULL, 0, res);
        assert_int_equal(res->status, 404);
        request(f, "HEAD", "/healthz", NULL, NULL, 0, res);
        assert_int_equal(res->status, 200);
        request(f, "GET", "/healthz", NULL, NULL, 0, res);
        assert_int_equal(res->status, 200);
        char want[64];
        snprintf(want, sizeof want, "{\"status\":\"ok\",\"schema\":%d,", store_schema_latest());
        assert_int_equal(strncmp(res->body, want, strlen(want)), 0);
        request(f, "GET", "/assets/improve.css?v=anything", NULL, NULL, 0, res);
        assert_int_equal(res->status, 200);
        assert_non_null(strstr(res->body, "govuk"));
        request(f, "GET", "/assets/.hidden", NULL, NULL, 0, res);
        assert_int_equal(res->status, 404);
        request(f, "GET", "/assets/nothing.css", NULL, NULL, 0, res);
        assert_int_equal(res->status, 404);
        free(res);
}

/* ---------------------------------------------------------------- the real server */

static int http_get(int port, const char *raw, char *out, size_t n)
{
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fd >= 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        size_t len = strlen(raw);
        assert_int_equal(write(fd, raw, len), (ssize_t)len);
        size_t got = 0;
        ssize_t k;
        while (got + 1 < n && (k = read(fd, out + got, n - 1 - got)) > 0)
                got += (size_t)k;
        out[got] = '\0';
        close(fd);
        int status = 0;
        sscanf(out, "HTTP/1.%*d %d", &status);
        return status;
}

static void test_real_server(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        char path[512];
        snprintf(path, sizeof path, "%s/web.db", f->dir);
        struct web_server_options o = {.db = path, .listen = "127.0.0.1:0", .threads = 2};
        web_app_init(&o.app);
        o.app.trust_proxy = 1;
        struct web_server *srv = web_server_start(&o, &e);
        assert_non_null(srv);
        int port = web_server_port(srv);
        assert_true(port > 0);
        char *buf = malloc(65536);
        assert_int_equal(http_get(port,
                                  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                  buf, 65536),
                         200);
        assert_non_null(strstr(buf, "\"status\":\"ok\""));
        assert_non_null(
            strstr(buf, "Content-Security-Policy: default-src 'none'; script-src 'self'"));
        assert_non_null(strstr(buf, "X-Content-Type-Options: nosniff"));
        assert_non_null(strstr(buf, "Cache-Control: no-store"));
        /* Behind a proxy that says https: Secure cookies and HSTS. */
        assert_int_equal(http_get(port,
                                  "GET /login?x=%41 HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: "
                                  "https\r\nConnection: close\r\n\r\n",
                                  buf, 65536),
                         200);
        assert_non_null(strstr(buf, "SameSite=Strict; Secure"));
        assert_non_null(strstr(buf, "Strict-Transport-Security"));
        /* A malformed query string, an oversized body, an unknown page. */
        assert_int_equal(http_get(port,
                                  "GET /login?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: "
                                  "close\r\n\r\n",
                                  buf, 65536),
                         400);
        assert_int_equal(http_get(port,
                                  "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                  "application/x-www-form-urlencoded\r\nContent-Length: "
                                  "10000000\r\nConnection: close\r\n\r\nabc",
                                  buf, 65536),
                         413);
        assert_int_equal(http_get(port,
                                  "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", buf,
                                  65536),
                         404);
        /* A POST without a CSRF token, through the real body path. */
        assert_int_equal(http_get(port,
                                  "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                  "application/x-www-form-urlencoded\r\nContent-Length: "
                                  "10\r\nConnection: close\r\n\r\nemail=a%40",
                                  buf, 65536),
                         403);
        web_server_stop(srv);
        free(buf);
        /* The address must be free again, and a bad one is refused. */
        o.listen = "127.0.0.1:99999";
        assert_null(web_server_start(&o, &e));
        assert_int_equal(e.code, EXIT_USAGE);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_table_matches_policy),
            T(test_role_matrix),
            T(test_admin_pages_scoped),
            T(test_csrf),
            T(test_login_flow),
            T(test_escaping_and_sql_metacharacters),
            T(test_csrf_every_post),
            T(test_sql_metacharacters_everywhere),
            T(test_not_found_and_methods),
            T(test_real_server),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
