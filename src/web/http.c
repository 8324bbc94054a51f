/*
 * http.c — request parsing (query strings, form bodies, cookies, multipart)
 * and response helpers (headers, cookies, security headers); see http.h.
 *
 * Parsed strings are copied into the request's arena and NUL-terminated, so a
 * handler never sees a pointer into the raw body except for multipart file
 * contents, which may be large and are binary.
 */
#include "web/http.h"
#include "web/html.h"
#include "core/arena.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *http_param_get(const struct http_params *p, const char *name)
{
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->v[i].name, name) == 0)
                        return p->v[i].value;
        return NULL;
}

static int hexval(unsigned char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Decode one urlencoded component into the arena; -1 on a bad escape, NUL or bad UTF-8. */
static int decode(struct arena *a, const char *s, size_t n, char **out, size_t *len)
{
        char *d = arena_alloc(a, n + 1);
        size_t j = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '+') {
                        d[j++] = ' ';
                } else if (c == '%') {
                        if (i + 2 >= n)
                                return -1;
                        int hi = hexval((unsigned char)s[i + 1]),
                            lo = hexval((unsigned char)s[i + 2]);
                        if (hi < 0 || lo < 0)
                                return -1;
                        d[j++] = (char)(hi * 16 + lo);
                        i += 2;
                } else {
                        d[j++] = (char)c;
                }
        }
        d[j] = '\0';
        if (!html_utf8_valid(d, j))
                return -1;
        *out = d;
        *len = j;
        return 0;
}

int http_parse_urlencoded(struct arena *a, const char *s, size_t n, struct http_params *out,
                          struct err *e)
{
        out->v = NULL;
        out->n = 0;
        if (!s || n == 0)
                return 0;
        size_t pairs = 1;
        for (size_t i = 0; i < n; i++)
                pairs += s[i] == '&';
        if (pairs > HTTP_MAX_PARAMS)
                return err_set(e, EXIT_INPUT, "too many parameters (more than %d)",
                               HTTP_MAX_PARAMS);
        out->v = arena_alloc(a, pairs * sizeof *out->v);
        size_t i = 0;
        while (i < n) {
                size_t end = i;
                while (end < n && s[end] != '&')
                        end++;
                if (end > i) {
                        size_t eq = i;
                        while (eq < end && s[eq] != '=')
                                eq++;
                        char *name, *value;
                        size_t nlen, vlen;
                        if (decode(a, s + i, eq - i, &name, &nlen))
                                return err_set(e, EXIT_INPUT, "malformed parameter name");
                        if (eq < end) {
                                if (decode(a, s + eq + 1, end - eq - 1, &value, &vlen))
                                        return err_set(e, EXIT_INPUT,
                                                       "malformed value of parameter '%.40s'",
                                                       name);
                        } else {
                                value = arena_strdup(a, "");
                                vlen = 0;
                        }
                        if (nlen > 0)
                                out->v[out->n++] = (struct http_param){
                                    .name = name, .value = value, .value_len = vlen};
                }
                i = end + 1;
        }
        return 0;
}

static int is_space(char c)
{
        return c == ' ' || c == '\t';
}

void http_parse_cookies(struct arena *a, const char *header, struct http_params *out)
{
        out->v = NULL;
        out->n = 0;
        if (!header)
                return;
        size_t cap = 1;
        for (const char *p = header; *p; p++)
                cap += *p == ';';
        if (cap > HTTP_MAX_PARAMS)
                cap = HTTP_MAX_PARAMS;
        out->v = arena_alloc(a, cap * sizeof *out->v);
        const char *p = header;
        while (*p && out->n < cap) {
                const char *end = strchr(p, ';');
                if (!end)
                        end = p + strlen(p);
                const char *ns = p;
                while (ns < end && is_space(*ns))
                        ns++;
                const char *eq = ns;
                while (eq < end && *eq != '=')
                        eq++;
                const char *ne = eq;
                while (ne > ns && is_space(ne[-1]))
                        ne--;
                if (eq < end && ne > ns) {
                        const char *vs = eq + 1, *ve = end;
                        while (vs < ve && is_space(*vs))
                                vs++;
                        while (ve > vs && is_space(ve[-1]))
                                ve--;
                        if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
                                vs++;
                                ve--;
                        }
                        out->v[out->n++] = (struct http_param){
                            .name = arena_strndup(a, ns, (size_t)(ne - ns)),
                            .value = arena_strndup(a, vs, (size_t)(ve - vs)),
                            .value_len = (size_t)(ve - vs),
                        };
                }
                p = *end ? end + 1 : end;
        }
}

/* ---------------------------------------------------------------- multipart/form-data */

/* memmem for a needle at the start of a line: "\r\n--boundary". */
static const char *find(const char *h, size_t hn, const char *needle, size_t nn)
{
        if (nn == 0 || hn < nn)
                return NULL;
        return memmem(h, hn, needle, nn);
}

/*
 * The value of parameter `key` in a header value such as
 * `form-data; name="file"; filename="a.csv"` or `multipart/form-data; boundary=xyz`.
 */
static char *header_param(struct arena *a, const char *v, size_t n, const char *key)
{
        size_t klen = strlen(key);
        size_t i = 0;
        while (i < n) {
                while (i < n && v[i] != ';')
                        i++;
                if (i >= n)
                        break;
                i++;
                while (i < n && is_space(v[i]))
                        i++;
                if (i + klen < n && strncasecmp(v + i, key, klen) == 0 && v[i + klen] == '=') {
                        i += klen + 1;
                        if (i < n && v[i] == '"') {
                                i++;
                                struct buf b;
                                buf_init(&b);
                                while (i < n && v[i] != '"') {
                                        if (v[i] == '\\' && i + 1 < n)
                                                i++;
                                        buf_putc(&b, v[i++]);
                                }
                                if (i >= n) {
                                        buf_release(&b);
                                        return NULL; /* unterminated quote */
                                }
                                char *r = arena_strndup(a, b.data, b.len);
                                buf_release(&b);
                                return r;
                        }
                        size_t s = i;
                        while (i < n && v[i] != ';' && !is_space(v[i]))
                                i++;
                        return arena_strndup(a, v + s, i - s);
                }
        }
        return NULL;
}

const struct http_part *http_part_get(const struct http_parts *p, const char *name)
{
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->v[i].name, name) == 0)
                        return &p->v[i];
        return NULL;
}

/* Parse a part's headers (up to the blank line); fills name, filename, content type. */
static int part_headers(struct arena *a, const char *h, size_t n, struct http_part *part)
{
        size_t i = 0;
        while (i < n) {
                const char *eol = find(h + i, n - i, "\r\n", 2);
                size_t len = eol ? (size_t)(eol - (h + i)) : n - i;
                const char *line = h + i;
                const char *colon = memchr(line, ':', len);
                if (colon) {
                        size_t nlen = (size_t)(colon - line);
                        const char *v = colon + 1;
                        size_t vlen = len - nlen - 1;
                        while (vlen && is_space(*v)) {
                                v++;
                                vlen--;
                        }
                        if (nlen == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
                                if (vlen < 9 || strncasecmp(v, "form-data", 9) != 0)
                                        return -1;
                                part->name = header_param(a, v, vlen, "name");
                                part->filename = header_param(a, v, vlen, "filename");
                        } else if (nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
                                part->content_type = arena_strndup(a, v, vlen);
                        }
                }
                i += len + 2;
        }
        return part->name ? 0 : -1;
}

int http_parse_multipart(struct arena *a, const char *content_type, const char *body, size_t n,
                         struct http_parts *out, struct err *e)
{
        out->v = NULL;
        out->n = 0;
        if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0)
                return err_set(e, EXIT_INPUT, "not a multipart/form-data body");
        char *boundary = header_param(a, content_type, strlen(content_type), "boundary");
        size_t blen = boundary ? strlen(boundary) : 0;
        if (blen == 0 || blen > 70)
                return err_set(e, EXIT_INPUT, "multipart body without a valid boundary");
        /* Delimiters are "--boundary" at the very start or "\r\n--boundary" later. */
        char *delim = arena_printf(a, "\r\n--%s", boundary);
        size_t dlen = blen + 4;
        out->v = arena_alloc(a, HTTP_MAX_PARTS * sizeof *out->v);
        size_t pos;
        if (n >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
                pos = dlen - 2;
        } else {
                const char *first = find(body, n, delim, dlen);
                if (!first)
                        return err_set(e, EXIT_INPUT, "multipart body without its boundary");
                pos = (size_t)(first - body) + dlen;
        }
        for (;;) {
                /* After a delimiter: "--" ends the body, else CRLF then a part. */
                if (n - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
                        return 0;
                while (pos < n && is_space(body[pos]))
                        pos++; /* transport padding */
                if (n - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
                        return err_set(e, EXIT_INPUT, "malformed multipart delimiter");
                pos += 2;
                const char *hend = find(body + pos, n - pos, "\r\n\r\n", 4);
                size_t hlen;
                size_t data;
                if (n - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
                        hlen = 0; /* no headers at all */
                        data = pos + 2;
                } else if (hend) {
                        hlen = (size_t)(hend - (body + pos));
                        data = pos + hlen + 4;
                } else {
                        return err_set(e, EXIT_INPUT, "multipart part without a header end");
                }
                if (out->n >= HTTP_MAX_PARTS)
                        return err_set(e, EXIT_INPUT, "too many parts (more than %d)",
                                       HTTP_MAX_PARTS);
                struct http_part *part = &out->v[out->n];
                memset(part, 0, sizeof *part);
                if (part_headers(a, body + pos, hlen, part))
                        return err_set(e, EXIT_INPUT, "multipart part without a form-data name");
                const char *next = find(body + data, n - data, delim, dlen);
                if (!next)
                        return err_set(e, EXIT_INPUT,
                                       "multipart body without its closing "
                                       "boundary");
                part->data = body + data;
                part->len = (size_t)(next - (body + data));
                out->n++;
                pos = (size_t)(next - body) + dlen;
        }
}

/* ---------------------------------------------------------------- responses */

void http_response_init(struct http_response *r)
{
        memset(r, 0, sizeof *r);
        r->status = 200;
        r->content_type = "text/html; charset=utf-8";
        buf_init(&r->body);
}

void http_response_release(struct http_response *r)
{
        buf_release(&r->body);
}

void http_response_header(struct http_response *r, const char *name, const char *value)
{
        if (r->nheaders < HTTP_MAX_HEADERS)
                r->headers[r->nheaders++] = (struct http_header){name, value};
}

const char *http_response_header_get(const struct http_response *r, const char *name)
{
        for (size_t i = 0; i < r->nheaders; i++)
                if (strcasecmp(r->headers[i].name, name) == 0)
                        return r->headers[i].value;
        return NULL;
}

void http_respond_text(struct http_response *r, int status, const char *text)
{
        r->status = status;
        r->content_type = "text/plain; charset=utf-8";
        buf_reset(&r->body);
        buf_puts(&r->body, text);
        buf_putc(&r->body, '\n');
}

void http_redirect(struct http_request *req, struct http_response *r, const char *path)
{
        r->status = 303;
        /* Only local paths: a redirect never sends the browser to another host. */
        if (!path || path[0] != '/' || path[1] == '/' || path[1] == '\\' || strpbrk(path, "\r\n"))
                path = "/";
        http_response_header(r, "Location", arena_strdup(req->arena, path));
        r->content_type = "text/plain; charset=utf-8";
        buf_reset(&r->body);
}

void http_set_cookie(struct http_request *req, struct http_response *r, const char *name,
                     const char *value, long max_age, int flags)
{
        char age[48] = "";
        if (flags & HTTP_COOKIE_DELETE)
                snprintf(age, sizeof age, "; Max-Age=0");
        else if (!(flags & HTTP_COOKIE_SESSION))
                snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
        http_response_header(r, "Set-Cookie",
                             arena_printf(req->arena,
                                          "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
                                          (flags & HTTP_COOKIE_DELETE) ? "" : value, age,
                                          req->tls ? "; Secure" : ""));
}

/* No inline script or style; nothing from other origins; no framing; forms post only to us. */
#define CSP                                                                                        \
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "        \
        "base-uri 'none'"

void http_security_headers(struct http_request *req, struct http_response *r)
{
        http_response_header(r, "Content-Security-Policy", CSP);
        http_response_header(r, "X-Content-Type-Options", "nosniff");
        http_response_header(r, "X-Frame-Options", "DENY");
        http_response_header(r, "Referrer-Policy", "same-origin");
        http_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
        http_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
        if (r->cacheable)
                http_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
        else
                http_response_header(r, "Cache-Control", "no-store");
        if (req && req->tls)
                http_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

const char *http_status_text(int status)
{
        switch (status) {
        case 200:
                return "OK";
        case 303:
                return "See Other";
        case 304:
                return "Not Modified";
        case 400:
                return "Bad Request";
        case 401:
                return "Unauthorized";
        case 403:
                return "Forbidden";
        case 404:
                return "Not Found";
        case 405:
                return "Method Not Allowed";
        case 413:
                return "Content Too Large";
        case 429:
                return "Too Many Requests";
        case 500:
                return "Internal Server Error";
        case 503:
                return "Service Unavailable";
        default:
                return "";
        }
}
