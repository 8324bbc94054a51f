/*
 * fuzz_http_form.c — libFuzzer harness for the web request parsers
 * (src/web/http.c) and the escaping writer (src/web/html.c).
 *
 * The same bytes are read as a urlencoded form or query string, as a Cookie
 * header, and as a multipart body (its first line is the boundary), then
 * written through html_text and html_attr.  Beyond "no crash, no leak, no
 * sanitizer report", the harness checks what the rest of the program relies
 * on: parsed values are valid UTF-8 without NUL and as long as they say;
 * multipart parts point inside the body; escaped output is valid UTF-8 and
 * holds no character that could open markup or close an attribute.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/html.h"
#include "web/http.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_params(const struct http_params *p, int strict)
{
        for (size_t i = 0; i < p->n; i++) {
                const struct http_param *q = &p->v[i];
                if (!q->name || !q->value || strlen(q->value) != q->value_len)
                        abort();
                if (strict && (!html_utf8_valid(q->name, strlen(q->name)) ||
                               !html_utf8_valid(q->value, q->value_len) || !q->name[0]))
                        abort();
        }
}

static void check_escaped(const struct buf *b, int attr)
{
        if (!html_utf8_valid(b->data, b->len) || memchr(b->data, '<', b->len) ||
            memchr(b->data, '>', b->len) || memchr(b->data, '"', b->len) ||
            memchr(b->data, '\'', b->len))
                abort();
        if (attr && (memchr(b->data, '\n', b->len) || memchr(b->data, '\r', b->len)))
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *text = (const char *)data;
        struct arena a;
        arena_init(&a, 4096);
        struct err e;
        err_clear(&e);

        struct http_params p;
        if (http_parse_urlencoded(&a, text, size, &p, &e) == 0)
                check_params(&p, 1);

        char *z = arena_strndup(&a, text, size); /* a header is a C string */
        http_parse_cookies(&a, z, &p);
        check_params(&p, 0);

        const char *nl = memchr(text, '\n', size);
        if (nl) {
                char *ct =
                    arena_printf(&a, "multipart/form-data; boundary=%.*s", (int)(nl - text), text);
                const char *body = nl + 1;
                size_t n = size - (size_t)(nl + 1 - text);
                struct http_parts parts;
                if (http_parse_multipart(&a, ct, body, n, &parts, &e) == 0) {
                        for (size_t i = 0; i < parts.n; i++) {
                                const struct http_part *q = &parts.v[i];
                                if (!q->name || q->data < body || q->data + q->len > body + n)
                                        abort();
                        }
                }
        }

        struct buf b;
        buf_init(&b);
        struct html h;
        html_init(&h, &b);
        html_textn(&h, text, size);
        check_escaped(&b, 0);
        buf_reset(&b);
        html_attr(&h, z);
        check_escaped(&b, 1);
        buf_reset(&b);
        html_url(&h, z);
        if (!html_utf8_valid(b.data, b.len) || memchr(b.data, '"', b.len) ||
            memchr(b.data, '<', b.len) || strncasecmp(b.data, "javascript:", 11) == 0)
                abort();
        buf_release(&b);
        arena_release(&a);
        return 0;
}
