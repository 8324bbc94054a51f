/*
 * html.c — the escaping HTML writer (see html.h).
 *
 * One escaping loop serves text, attributes and URLs; they differ only in
 * which bytes they replace.  The loop decodes UTF-8 as it goes, so invalid
 * input is repaired in the same pass instead of a separate validation.
 */
#include "web/html.h"
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void html_init(struct html *h, struct buf *out)
{
        h->out = out;
}

void html_lit_(struct html *h, const char *literal, size_t len)
{
        buf_append(h->out, literal, len); /* the length is the literal's, known when compiled */
}

size_t html_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
        unsigned char c = s[0];
        if (c < 0x80) {
                *cp = c;
                return 1;
        }
        size_t need;
        uint32_t v;
        unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                v = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                v = c & 0x0F;
                if (c == 0xE0)
                        lo = 0xA0; /* overlong */
                if (c == 0xED)
                        hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                v = c & 0x07;
                if (c == 0xF0)
                        lo = 0x90; /* overlong */
                if (c == 0xF4)
                        hi = 0x8F; /* above U+10FFFF */
        } else {
                *cp = 0xFFFD;
                return 1;
        }
        size_t i = 1;
        for (; i <= need; i++) {
                if (i >= n) {
                        *cp = 0xFFFD;
                        return i;
                }
                unsigned char b = s[i];
                if (b < lo || b > hi) {
                        *cp = 0xFFFD;
                        return i;
                }
                lo = 0x80;
                hi = 0xBF;
                v = (v << 6) | (b & 0x3F);
        }
        *cp = v;
        return i;
}

int html_utf8_valid(const char *s, size_t n)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;
        while (i < n) {
                uint32_t cp;
                size_t k = html_utf8_next(p + i, n - i, &cp);
                if (cp == 0 || (cp == 0xFFFD &&
                                !(k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)))
                        return 0;
                i += k;
        }
        return 1;
}

enum esc_mode {
        ESC_TEXT,
        ESC_ATTR,
        ESC_URL,
};

static void put_replacement(struct buf *b)
{
        buf_append(b, "\xEF\xBF\xBD", 3);
}

/* C0 controls other than tab, LF and CR, DEL and the C1 controls are not allowed in HTML text. */
static int is_bad_control(uint32_t cp)
{
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

/*
 * The bytes that end a run of plain ASCII: controls, DEL and non-ASCII (decoded
 * and checked one character at a time), the five HTML specials, and in URLs
 * also space and backquote.
 */
#define SPECIAL_COMMON                                                                             \
        [0 ... 0x1F] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,                  \
               [0x7F ... 0xFF] = 1
static const unsigned char special_text[256] = {SPECIAL_COMMON};
static const unsigned char special_url[256] = {SPECIAL_COMMON, [' '] = 1, ['`'] = 1};

static void escape(struct buf *b, const char *s, size_t n, enum esc_mode mode)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;
        buf_reserve(b, n);
        const unsigned char *special = mode == ESC_URL ? special_url : special_text;
        while (i < n) {
                size_t run = i;
                /* Copy plain ASCII in runs: most text needs no escaping. */
                while (run + 4 <= n && !(special[p[run]] | special[p[run + 1]] |
                                         special[p[run + 2]] | special[p[run + 3]]))
                        run += 4;
                while (run < n && !special[p[run]])
                        run++;
                if (run > i) {
                        buf_append(b, p + i, run - i);
                        i = run;
                        continue;
                }
                uint32_t cp;
                size_t k = html_utf8_next(p + i, n - i, &cp);
                if (mode == ESC_URL && cp != '&' && (cp < 0x80 || cp == 0xFFFD)) {
                        if (cp == 0xFFFD && !(k == 3 && p[i] == 0xEF))
                                buf_puts(b, "%EF%BF%BD");
                        else if (is_bad_control(cp) || cp == '\t' || cp == '\n' || cp == '\r')
                                ; /* URL parsers strip these anyway; leave them out */
                        else
                                for (size_t j = 0; j < k; j++)
                                        buf_printf(b, "%%%02X", p[i + j]);
                        i += k;
                        continue;
                }
                if (mode == ESC_URL && cp >= 0x80) {
                        for (size_t j = 0; j < k; j++)
                                buf_printf(b, "%%%02X", p[i + j]);
                        i += k;
                        continue;
                }
                switch (cp) {
                case '&':
                        buf_puts(b, "&amp;");
                        break;
                case '<':
                        buf_puts(b, "&lt;");
                        break;
                case '>':
                        buf_puts(b, "&gt;");
                        break;
                case '"':
                        buf_puts(b, "&quot;");
                        break;
                case '\'':
                        buf_puts(b, "&#39;");
                        break;
                case '\n':
                        if (mode == ESC_ATTR)
                                buf_puts(b, "&#10;");
                        else
                                buf_putc(b, '\n');
                        break;
                case '\r':
                        if (mode == ESC_ATTR)
                                buf_puts(b, "&#13;");
                        else
                                buf_putc(b, '\r');
                        break;
                case '\t':
                        if (mode == ESC_ATTR)
                                buf_puts(b, "&#9;");
                        else
                                buf_putc(b, '\t');
                        break;
                default:
                        if (cp == 0xFFFD || is_bad_control(cp))
                                put_replacement(b);
                        else
                                buf_append(b, p + i, k);
                }
                i += k;
        }
}

void html_textn(struct html *h, const char *s, size_t n)
{
        if (s)
                escape(h->out, s, n, ESC_TEXT);
}

void html_text(struct html *h, const char *s)
{
        if (s)
                escape(h->out, s, strlen(s), ESC_TEXT);
}

void html_attr(struct html *h, const char *s)
{
        if (s)
                escape(h->out, s, strlen(s), ESC_ATTR);
}

static void vescape(struct html *h, enum esc_mode mode, const char *fmt, va_list ap)
{
        char small[256];
        va_list ap2;
        va_copy(ap2, ap);
        int n = vsnprintf(small, sizeof small, fmt, ap);
        if (n < 0) {
                va_end(ap2);
                return;
        }
        if ((size_t)n < sizeof small) {
                escape(h->out, small, (size_t)n, mode);
        } else {
                char *big = malloc((size_t)n + 1);
                if (big) {
                        vsnprintf(big, (size_t)n + 1, fmt, ap2);
                        escape(h->out, big, (size_t)n, mode);
                        free(big);
                }
        }
        va_end(ap2);
}

void html_textf(struct html *h, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vescape(h, ESC_TEXT, fmt, ap);
        va_end(ap);
}

void html_attrf(struct html *h, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vescape(h, ESC_ATTR, fmt, ap);
        va_end(ap);
}

void html_int(struct html *h, long long v)
{
        char tmp[24];
        char *e = tmp + sizeof tmp, *p = e;
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        do {
                *--p = (char)('0' + u % 10);
                u /= 10;
        } while (u);
        if (v < 0)
                *--p = '-';
        buf_append(h->out, p, (size_t)(e - p));
}

__extension__ typedef unsigned __int128 u128;

/*
 * v = m * 2^x exactly (m below 2^53).  For x >= 0 and v below 2^63 the value
 * is an integer; otherwise v * 10^d = m * 10^d / 2^-x, and the quotient and
 * remainder of that division in 128-bit integers give the rounding exactly
 * (m * 10^9 < 2^83).
 */
size_t html_fmt_fixed(char *out, double v, int decimals)
{
        if (decimals < 0 || decimals > 9)
                decimals = decimals < 0 ? 0 : 9;
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        int neg = (int)(bits >> 63);
        int bexp = (int)((bits >> 52) & 0x7FF);
        uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
        int x;
        if (bexp == 0) {
                x = -1074;
        } else {
                m |= UINT64_C(1) << 52;
                x = bexp - 1075;
        }
        if (bexp == 0x7FF || x > 10) {
                int n = snprintf(out, HTML_FIXED_MAX + 1, "%.*f", decimals, v);
                return n < 0 ? 0 : (size_t)n;
        }
        static const uint32_t pow10[10] = {1,      10,      100,      1000,      10000,
                                           100000, 1000000, 10000000, 100000000, 1000000000};
        u128 q;
        if (x >= 0) {
                q = (u128)(m << x) * pow10[decimals];
        } else {
                u128 p = (u128)m * pow10[decimals];
                int sh = -x;
                if (sh >= 128) {
                        q = 0; /* p < 2^83: far below one half */
                } else {
                        q = p >> sh;
                        u128 r = p - (q << sh);
                        u128 half = (u128)1 << (sh - 1);
                        if (r > half || (r == half && (q & 1)))
                                q++;
                }
        }
        char tmp[48];
        char *e = tmp + sizeof tmp, *d = e;
        int k = 0;
        while (q > (u128)UINT64_MAX) {
                *--d = (char)('0' + (unsigned)(q % 10));
                q /= 10;
                k++;
        }
        uint64_t q64 = (uint64_t)q;
        do {
                *--d = (char)('0' + q64 % 10);
                q64 /= 10;
                k++;
        } while (q64);
        while (k < decimals + 1) {
                *--d = '0';
                k++;
        }
        char *o = out;
        if (neg)
                *o++ = '-';
        size_t ndig = (size_t)(e - d);
        size_t ip = ndig - (size_t)decimals;
        memcpy(o, d, ip);
        o += ip;
        if (decimals) {
                *o++ = '.';
                memcpy(o, d + ip, (size_t)decimals);
                o += decimals;
        }
        *o = 0;
        return (size_t)(o - out);
}

void html_fixed(struct html *h, double v, int decimals)
{
        char tmp[HTML_FIXED_MAX + 1];
        size_t n = html_fmt_fixed(tmp, v, decimals);
        buf_append(h->out, tmp, n);
}

/* Scheme of an absolute URL ("javascript" in "javascript:x"), or 0 if the URL is relative. */
static int url_allowed(const char *u)
{
        /* Browsers ignore leading spaces/controls and tabs or newlines inside a scheme. */
        const unsigned char *p = (const unsigned char *)u;
        if (*p <= 0x20)
                return 0;
        if (p[0] == '/' && (p[1] == '/' || p[1] == '\\'))
                return 0; /* scheme-relative: another host */
        if (p[0] == '\\')
                return 0;
        size_t i = 0;
        while (p[i] && p[i] != ':' && p[i] != '/' && p[i] != '?' && p[i] != '#')
                i++;
        if (p[i] != ':')
                return 1; /* relative: no scheme before the first / ? or # */
        if ((i == 4 && strncasecmp(u, "http", 4) == 0) ||
            (i == 5 && strncasecmp(u, "https", 5) == 0) ||
            (i == 6 && strncasecmp(u, "mailto", 6) == 0))
                return 1;
        return 0;
}

void html_url(struct html *h, const char *url)
{
        if (!url || !url_allowed(url)) {
                buf_putc(h->out, '#');
                return;
        }
        escape(h->out, url, strlen(url), ESC_URL);
}

void html_url_param(struct html *h, const char *value)
{
        if (!value)
                return;
        for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
                if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
                        buf_putc(h->out, (char)*p);
                else
                        buf_printf(h->out, "%%%02X", *p);
        }
}

void html_th(struct html *h, const char *label, int numeric)
{
        html_lit(h, "<th scope=\"col\" class=\"govuk-table__header");
        if (numeric)
                html_lit(h, " govuk-table__header--numeric");
        html_lit(h, "\">");
        html_text(h, label);
        html_lit(h, "</th>");
}

void html_td(struct html *h, const char *text, int numeric)
{
        html_lit(h, "<td class=\"govuk-table__cell");
        if (numeric)
                html_lit(h, " govuk-table__cell--numeric");
        html_lit(h, "\">");
        html_text(h, text ? text : "");
        html_lit(h, "</td>");
}
