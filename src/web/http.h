/*
 * http.h — one HTTP request and its response, as the web application sees
 * them, independent of the server library.
 *
 * The server (http_server.c, on libmicrohttpd) fills a struct http_request
 * and sends whatever the application put in the struct http_response; tests
 * build requests by hand and call the application directly, so everything
 * above this header runs the same in-process as behind a socket.
 *
 * Memory: every string in a request (path, parameters, cookies, parts) lives
 * in the request's arena and dies with it.  The response body is a struct buf
 * the server frees after sending.
 *
 * The parsers here read input an attacker controls; they are fuzzed
 * (tests/fuzz/fuzz_http_form.c).  They never read past the length given and
 * refuse, rather than guess at, malformed input.
 */
#ifndef IMPROVE_WEB_HTTP_H
#define IMPROVE_WEB_HTTP_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;

/* One name=value pair (query string, form field, cookie).  Both are NUL-terminated. */
struct http_param {
        const char *name;
        const char *value;
        size_t value_len;
};

struct http_params {
        struct http_param *v;
        size_t n;
};

/* The first value of `name`, or NULL. */
const char *http_param_get(const struct http_params *p, const char *name);

/* Limits on what one request may carry. */
#define HTTP_MAX_PARAMS 256
#define HTTP_MAX_PARTS  32

/*
 * application/x-www-form-urlencoded (a form body or a query string): pairs
 * split on '&', '+' is a space, %XX decoded.  Refused (-1, EXIT_INPUT): a bad
 * %-escape, a decoded NUL, invalid UTF-8, more than HTTP_MAX_PARAMS pairs.
 * Empty pairs ("a=1&&b=2") are skipped; a pair without '=' has value "".
 */
int http_parse_urlencoded(struct arena *a, const char *s, size_t n, struct http_params *out,
                          struct err *e);

/*
 * A Cookie header ("a=1; b=2").  Lenient, because browsers send other sites'
 * and other applications' cookies too: malformed pairs are skipped, never an
 * error.  Values in double quotes lose the quotes.
 */
void http_parse_cookies(struct arena *a, const char *header, struct http_params *out);

/*
 * multipart/form-data (file uploads).  `content_type` is the whole header,
 * from which the boundary is taken.  Each part keeps its field name, its file
 * name if it has one (as sent: never used as a path), its content type and a
 * pointer into `body` (no copy).  Refused (-1, EXIT_INPUT): no boundary, a
 * part without a name, a missing closing boundary, more than HTTP_MAX_PARTS.
 */
struct http_part {
        const char *name;
        const char *filename; /* NULL for a plain field */
        const char *content_type;
        const char *data;
        size_t len;
};
struct http_parts {
        struct http_part *v;
        size_t n;
};
int http_parse_multipart(struct arena *a, const char *content_type, const char *body, size_t n,
                         struct http_parts *out, struct err *e);
/* The first part named `name`, or NULL. */
const struct http_part *http_part_get(const struct http_parts *p, const char *name);

struct http_request {
        struct arena *arena;
        const char *method; /* "GET", "HEAD", "POST" */
        const char *path;   /* without the query string, as sent (not %-decoded) */
        struct http_params query;
        struct http_params form; /* urlencoded POST body, parsed by the application */
        struct http_parts parts; /* multipart POST body, parsed by the application */
        struct http_params cookies;
        const char *content_type; /* NULL if none */
        const char *body;         /* POST body, NUL-terminated; NULL if none */
        size_t body_len;
        const char *remote_addr; /* the peer's address, "127.0.0.1" */
        int tls;                 /* the browser reached us over https (see --trust-proxy) */
};

struct http_header {
        const char *name, *value;
};

#define HTTP_MAX_HEADERS 24

struct http_response {
        int status;
        const char *content_type;
        struct buf body;
        /* A body that outlives the request (embedded assets): sent without copying. */
        const void *static_body;
        size_t static_len;
        int cacheable; /* long cache lifetime (versioned assets); otherwise no-store */
        struct http_header headers[HTTP_MAX_HEADERS];
        size_t nheaders;
};

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);
/* Add a header; name and value must outlive the response (use the request's arena). */
void http_response_header(struct http_response *r, const char *name, const char *value);
/* The value of a header already added, or NULL. */
const char *http_response_header_get(const struct http_response *r, const char *name);

/* Plain-text answers for errors outside the page layout (and for the API). */
void http_respond_text(struct http_response *r, int status, const char *text);
/* 303 See Other to a local path. */
void http_redirect(struct http_request *req, struct http_response *r, const char *path);

enum http_cookie_flags {
        HTTP_COOKIE_SESSION = 1, /* no Max-Age: dies with the browser */
        HTTP_COOKIE_DELETE = 2,  /* expire it now */
};
/*
 * Set a cookie: always HttpOnly, SameSite=Strict and Path=/, Secure when the
 * request came over TLS.  `max_age` in seconds unless HTTP_COOKIE_SESSION.
 */
void http_set_cookie(struct http_request *req, struct http_response *r, const char *name,
                     const char *value, long max_age, int flags);

/*
 * The headers every response carries: Content-Security-Policy (no inline
 * script, no framing), nosniff, Referrer-Policy, and Cache-Control (no-store
 * unless the response is a versioned asset); Strict-Transport-Security when
 * over TLS.  Called by the server just before sending.
 */
void http_security_headers(struct http_request *req, struct http_response *r);

const char *http_status_text(int status);

#endif
