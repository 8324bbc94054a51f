/*
 * html.h — the one HTML writer of the web application.
 *
 * Every byte of a page goes through these functions.  Text from anywhere
 * (the database, the request, an error message) is escaped by default:
 * html_text() for element content, html_attr() for a double-quoted attribute
 * value, html_url() for an href/src attribute.  Markup itself is written with
 * html_lit(), which only accepts a string literal (the macro pastes "" on
 * both sides, so passing a variable does not compile): there is no function
 * that writes a runtime string unescaped.
 *
 * Escaping also repairs the text: invalid UTF-8 and control characters
 * (other than tab, line feed and carriage return) become U+FFFD, so the page
 * is always valid UTF-8 and never carries a NUL.
 *
 * The writer appends to a caller-owned struct buf (the response body).
 */
#ifndef IMPROVE_WEB_HTML_H
#define IMPROVE_WEB_HTML_H

#include <stddef.h>
#include <stdint.h>

struct buf;

struct html {
        struct buf *out;
};

void html_init(struct html *h, struct buf *out);

/* Constant markup.  `s` must be a string literal; see above. */
#define html_lit(h, s) html_lit_((h), "" s "", sizeof("" s "") - 1)
void html_lit_(struct html *h, const char *literal, size_t len);

/* Element content: & < > " ' escaped, text repaired. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
void html_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_int(struct html *h, long long v);

/* A GOV.UK table's column header cell and data cell (text escaped; NULL text is empty);
 * `numeric` right-aligns the column. */
void html_th(struct html *h, const char *label, int numeric);
void html_td(struct html *h, const char *text, int numeric);

/*
 * A number with `decimals` digits after the point (0..9): exactly the bytes
 * snprintf's "%.Nf" writes in the default rounding mode (the exact binary
 * value rounded to nearest, ties to even; "-0.0" for negative values that
 * round to zero; "nan", "inf"), without going through printf for finite
 * values below 2^63.  html_fmt_fixed writes at most HTML_FIXED_MAX bytes and
 * a NUL to out and returns the length; html_fixed appends the digits (which
 * never need escaping) to the page.
 */
#define HTML_FIXED_MAX 340
size_t html_fmt_fixed(char *out, double v, int decimals);
void html_fixed(struct html *h, double v, int decimals);

/*
 * A double-quoted attribute value (the caller writes the quotes with
 * html_lit): as html_text, and line feed, carriage return and tab become
 * character references so the value survives exactly.
 */
void html_attr(struct html *h, const char *s);
void html_attrf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A URL in an href or src attribute.  Only relative URLs ("/x", "x", "#x",
 * "?x") and the schemes http, https and mailto pass; anything else
 * ("javascript:", "data:", "//host") is replaced by "#".  Spaces, quotes,
 * angle brackets, control and non-ASCII bytes are percent-encoded, & becomes
 * &amp;.
 */
void html_url(struct html *h, const char *url);
/* Percent-encode a value for one query-string component (everything but A-Z a-z 0-9 -._~). */
void html_url_param(struct html *h, const char *value);

/*
 * The next character of UTF-8 text: returns the bytes consumed (at least 1
 * when n > 0) and sets *cp to the code point, or to U+FFFD for a maximal
 * invalid subsequence (overlong forms, surrogates, values above U+10FFFF and
 * truncated sequences are invalid), as the WHATWG decoder does.
 */
size_t html_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* 1 if the n bytes are valid UTF-8 without NUL, else 0. */
int html_utf8_valid(const char *s, size_t n);

#endif
