/*
 * web.h — the web application: roles, the request context handlers see, the
 * one route table and the dispatcher that enforces it.
 *
 * A request goes: server (http_server.c) → web_handle() → route match →
 * session → role check against the route's declared roles → CSRF check on
 * every POST → declarative validation of the route's fields → handler →
 * audit event of the route.  Handlers never check roles themselves; they get
 * the user's scope (authority and role) and must pass the authority to every
 * query, so that nobody sees another authority's rows.
 *
 * To add a page: write src/web/page_<name>.c with its handler (declared in
 * web/pages.h) and add one row to the table in routes.c.  The role matrix
 * test (tests/unit/test_routes.c) walks the table, so a new route is tested
 * for every role and authority once its expected roles are written there.
 */
#ifndef IMPROVE_WEB_H
#define IMPROVE_WEB_H

#include "web/auth.h"
#include "web/html.h"
#include "web/http.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct err;

/* The roles of security.md, "People and roles". */
enum web_role {
        WEB_ROLE_ADMIN,
        WEB_ROLE_LEADER,
        WEB_ROLE_ANALYST,
        WEB_ROLE_PRACTITIONER,
        WEB_ROLE_MEMBER,
        WEB_ROLE_PEER,
        WEB_ROLE_INSPECTOR,
        WEB_ROLE_COUNT
};

#define WEB_ROLE(r) (1u << (r))
/* Route access: a set of roles, or WEB_PUBLIC for pages anyone may open (sign-in, assets). */
#define WEB_PUBLIC   (1u << 30)
#define WEB_ANY_ROLE ((1u << WEB_ROLE_COUNT) - 1)
#define WEB_STAFF                                                                                  \
        (WEB_ROLE(WEB_ROLE_ADMIN) | WEB_ROLE(WEB_ROLE_LEADER) | WEB_ROLE(WEB_ROLE_ANALYST))
#define WEB_ADMIN WEB_ROLE(WEB_ROLE_ADMIN)

const char *web_role_name(enum web_role r); /* "admin" */
/* 0 and *out set, or -1 if `name` is not a role. */
int web_role_parse(const char *name, enum web_role *out);
/* What the role sees and may change, in a sentence (security.md). */
const char *web_role_description(enum web_role r);
/* 1 for roles that see only suppressed aggregates (member, peer, inspector; statistics.md §8). */
int web_role_suppressed(enum web_role r);

/* Who is asking, as every query must be limited: the handler's authority scope. */
struct web_scope {
        int64_t user_id;
        const char *email;
        const char *la; /* 3-digit code: the only authority whose rows may be read */
        enum web_role role;
        int suppress; /* apply statistical disclosure control to what is shown */
};

/* Settings of a running application (one per server; tests make their own). */
struct web_app {
        int trust_proxy; /* honour X-Forwarded-Proto and X-Forwarded-For */
        struct auth_config auth;
        int64_t (*now)(void); /* the clock (seconds); NULL: time(NULL) */
};
void web_app_init(struct web_app *app);

/* Where a declared field comes from. */
enum web_field_source {
        WEB_FROM_PATH,  /* a {name} segment of the pattern */
        WEB_FROM_QUERY, /* the query string */
        WEB_FROM_FORM,  /* a urlencoded POST body */
};

enum web_field_kind {
        WEB_FIELD_TEXT,  /* any valid UTF-8 up to max_len bytes */
        WEB_FIELD_INT,   /* digits only, at most 18 */
        WEB_FIELD_TOKEN, /* letters, digits, - _ . only (ids, file names of assets) */
};

/*
 * One parameter a route accepts.  The dispatcher checks it before the
 * handler runs: a field that is too long or of the wrong kind, or a required
 * one that is missing, ends the request (404 for path fields, 400 otherwise),
 * so handlers can trust what they read.  Lists end with a {0} entry.
 */
struct web_field {
        const char *name;
        enum web_field_source from;
        enum web_field_kind kind;
        size_t max_len;
        int required;
};

struct web_route;

/* One request as a handler sees it.  Everything here lives until the response is sent. */
struct web_ctx {
        struct web_app *app;
        struct store *store; /* this worker thread's connection */
        struct http_request *req;
        struct http_response *resp;
        struct arena *arena; /* the request's arena */
        const struct web_route *route;
        struct http_params path;       /* {name} values of the pattern */
        const struct web_scope *scope; /* NULL when nobody is signed in (public routes) */
        struct auth_session *session;  /* NULL when nobody is signed in */
        int64_t now;
        struct html html; /* writes to resp->body */
        /* Set by handlers for the route's audit event: what was seen, which children. */
        const char *audit_detail;
        const char *audit_children;
        /* The CSRF token forms on this page carry (see web_csrf_token). */
        const char *csrf;
};

typedef int (*web_handler)(struct web_ctx *c);

struct web_route {
        const char *method;  /* "GET" (also answers HEAD) or "POST" */
        const char *pattern; /* "/admin/users", "/measures/{id}" */
        unsigned roles;      /* WEB_PUBLIC, or the roles allowed */
        const char *audit;   /* audit action written when the handler succeeds, or NULL */
        web_handler handler;
        size_t max_body; /* largest body accepted (0 for GET) */
        const struct web_field *fields;
};

extern const struct web_route web_routes[];
extern const size_t web_route_count;

/*
 * The route for a method and raw path; NULL if none.  *path_known is set to
 * 1 when some route has that path under another method (405 rather than
 * 404).  The server calls it before reading a body, to apply max_body.
 */
const struct web_route *web_route_find(const char *method, const char *path, int *path_known);

/* Handle one request completely: the response is ready to send when this returns. */
void web_handle(struct web_app *app, struct store *s, struct http_request *req,
                struct http_response *resp);

/* The value of a declared field (path, query or form), or NULL. */
const char *web_field(const struct web_ctx *c, const char *name);

/* The CSRF token for forms on this page (the session's, or a pre-sign-in one set as a cookie). */
const char *web_csrf_token(struct web_ctx *c);

/* Cookie names. */
#define WEB_SESSION_COOKIE    "improve_session"
#define WEB_PRESESSION_COOKIE "improve_csrf"

/* ---------------------------------------------------------------- layout (layout.c) */

/* An error for the GOV.UK error summary: the message, and the id of the field it is about. */
struct web_error {
        const char *field_id; /* NULL when not about one field */
        const char *message;
};

/* Start a page: doctype, head, skip link, header, phase banner, opening of <main>. */
void web_page_begin(struct web_ctx *c, const char *title);
/* Close <main>, the footer, the script; ends the page. */
void web_page_end(struct web_ctx *c);
/* A GOV.UK error summary listing `errors` (nothing if n is 0). */
void web_error_summary(struct web_ctx *c, const struct web_error *errors, size_t n);
/* A whole page saying what went wrong, with status `status`. */
void web_error_page(struct web_ctx *c, int status, const char *title, const char *message);
/* A hidden input carrying the CSRF token (inside a form). */
void web_csrf_field(struct web_ctx *c);

/* ---------------------------------------------------------------- assets (assets.c) */

struct web_asset {
        const char *name;         /* "improve.css" (served as /assets/improve.css) */
        const char *content_type; /* "text/css; charset=utf-8" */
        const unsigned char *data;
        size_t len;
        const char *version; /* short content hash, for ?v= in URLs */
};
/* The embedded asset called `name`, or NULL. */
const struct web_asset *web_asset_find(const char *name);
/* "/assets/NAME?v=HASH" for links in pages (arena string), or NULL if there is no such asset. */
const char *web_asset_url(struct web_ctx *c, const char *name);
/* 1 if the GOV.UK Frontend build is embedded, 0 if the fallback stylesheet is served. */
int web_assets_govuk(void);

/* Remove the uploads still waiting to be confirmed (page_import.c; the server calls it when
 * it stops). */
void web_uploads_cleanup(void);

/* ---------------------------------------------------------------- server (http_server.c) */

struct web_server_options {
        const char *db;     /* database path */
        const char *listen; /* "127.0.0.1:8080", "[::1]:8080", "localhost:0" (any free port) */
        unsigned threads;   /* worker threads, 2 to 4 (0: one per core within that range) */
        struct web_app app;
};
struct web_server;
/*
 * Open the database (migrating it), bind and start serving on libmicrohttpd's
 * thread pool; each worker thread opens its own store connection.  Returns
 * NULL with an error when the address is bad or in use, or the database
 * cannot be opened.
 */
struct web_server *web_server_start(const struct web_server_options *o, struct err *e);
/* The port actually bound (useful with port 0). */
int web_server_port(const struct web_server *s);
/* Stop accepting, let requests in flight finish (a few seconds at most), close everything. */
void web_server_stop(struct web_server *s);
/* Parse "HOST:PORT" as accepted by --listen; 0 or -1 with an EXIT_USAGE error. */
int web_parse_listen(const char *text, char *host, size_t host_len, int *port, struct err *e);

#endif
