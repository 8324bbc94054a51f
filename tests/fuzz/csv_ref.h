/*
 * csv_ref.h — a deliberately simple CSV reader, byte by byte, to check the
 * fast one against (tests/fuzz/fuzz_csv.c and tests/unit/test_csv.c).
 *
 * It implements the grammar stated in src/core/csv.h independently of
 * src/core/csv.c, and both readers' results are rendered to the same text:
 *   one line per record   "LINE:" then each field as [text] or, quoted, {text}
 *   a ragged record        "W<line>" after the record's own line
 *   a syntax error         "E<line>:<KIND>" and nothing after it
 * KIND is NUL, BARE (quote in unquoted field), OPEN (quote never closed) or
 * AFTER (text after a closing quote).  Header-only so both harnesses share it.
 */
#ifndef IMPROVE_TESTS_CSV_REF_H
#define IMPROVE_TESTS_CSV_REF_H

#include "core/csv.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ref_out {
        char *text;
        size_t len, cap;
};

static inline void ref_put(struct ref_out *o, const void *p, size_t n)
{
        if (o->len + n + 1 > o->cap) {
                size_t c = o->cap ? o->cap : 256;
                while (c < o->len + n + 1)
                        c *= 2;
                o->text = realloc(o->text, c);
                if (!o->text)
                        abort();
                o->cap = c;
        }
        memcpy(o->text + o->len, p, n);
        o->len += n;
        o->text[o->len] = '\0';
}

static inline void ref_puts(struct ref_out *o, const char *s)
{
        ref_put(o, s, strlen(s));
}

static inline void ref_putf(struct ref_out *o, const char *kind, long line)
{
        char tmp[64];
        snprintf(tmp, sizeof tmp, kind, line);
        ref_puts(o, tmp);
}

/* Consume one line end at d[*i] (LF, CRLF or lone CR). */
static inline void ref_eol(const unsigned char *d, size_t n, size_t *i)
{
        if (d[*i] == '\r' && *i + 1 < n && d[*i + 1] == '\n')
                *i += 2;
        else
                *i += 1;
}

/* Parse d[0,n) with the reference rules; `width` 0 means any.  Returns the rendering. */
static inline char *ref_parse(const char *data, size_t n, size_t width)
{
        const unsigned char *d = (const unsigned char *)data;
        struct ref_out o = {0};
        ref_puts(&o, "");
        size_t i = 0;
        long line = 1;
        if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
                i = 3;
        for (;;) {
                while (i < n && (d[i] == '\n' || d[i] == '\r')) {
                        ref_eol(d, n, &i);
                        line++;
                }
                if (i >= n)
                        return o.text;
                long rec_line = line;
                size_t count = 0;
                struct ref_out rec = {0};
                ref_putf(&rec, "%ld:", rec_line);
                int end = 0;
                while (!end) {
                        count++;
                        if (i < n && d[i] == '"') {
                                long open_line = line;
                                ref_puts(&rec, "{");
                                i++;
                                for (;;) {
                                        if (i >= n) {
                                                ref_putf(&o, "E%ld:OPEN\n", open_line);
                                                free(rec.text);
                                                return o.text;
                                        }
                                        unsigned char c = d[i];
                                        if (c == '"') {
                                                if (i + 1 < n && d[i + 1] == '"') {
                                                        ref_put(&rec, "\"", 1);
                                                        i += 2;
                                                        continue;
                                                }
                                                i++;
                                                break;
                                        }
                                        if (c == '\0') {
                                                ref_putf(&o, "E%ld:NUL\n", line);
                                                free(rec.text);
                                                return o.text;
                                        }
                                        if (c == '\n' ||
                                            (c == '\r' && !(i + 1 < n && d[i + 1] == '\n')))
                                                line++;
                                        ref_put(&rec, &d[i], 1);
                                        i++;
                                }
                                ref_puts(&rec, "}");
                                if (i >= n) {
                                        end = 1;
                                } else if (d[i] == ',') {
                                        i++;
                                        if (i >= n) { /* trailing comma at the very end */
                                                ref_puts(&rec, "[]");
                                                count++;
                                                end = 1;
                                        }
                                } else if (d[i] == '\n' || d[i] == '\r') {
                                        ref_eol(d, n, &i);
                                        line++;
                                        end = 1;
                                } else {
                                        ref_putf(&o, d[i] == '\0' ? "E%ld:NUL\n" : "E%ld:AFTER\n",
                                                 line);
                                        free(rec.text);
                                        return o.text;
                                }
                                continue;
                        }
                        ref_puts(&rec, "[");
                        for (;;) {
                                if (i >= n) {
                                        end = 1;
                                        break;
                                }
                                unsigned char c = d[i];
                                if (c == ',') {
                                        i++;
                                        if (i >= n) {
                                                ref_puts(&rec, "][");
                                                count++;
                                                end = 1;
                                        }
                                        break;
                                }
                                if (c == '\n' || c == '\r') {
                                        ref_eol(d, n, &i);
                                        line++;
                                        end = 1;
                                        break;
                                }
                                if (c == '"' || c == '\0') {
                                        ref_putf(&o, c == '"' ? "E%ld:BARE\n" : "E%ld:NUL\n", line);
                                        free(rec.text);
                                        return o.text;
                                }
                                ref_put(&rec, &c, 1);
                                i++;
                        }
                        ref_puts(&rec, "]");
                }
                ref_puts(&rec, "\n");
                ref_puts(&o, rec.text);
                free(rec.text);
                if (width && count != width)
                        ref_putf(&o, "W%ld\n", rec_line);
        }
}

/* The kind of a csv.c error message, in the rendering's words. */
static inline const char *ref_kind(const char *msg)
{
        if (strstr(msg, "NUL byte"))
                return "NUL";
        if (strstr(msg, "quote inside unquoted"))
                return "BARE";
        if (strstr(msg, "never closed"))
                return "OPEN";
        if (strstr(msg, "text after the closing quote"))
                return "AFTER";
        if (strstr(msg, "record has"))
                return "WIDTH";
        return "?";
}

/* The line number in "NAME:LINE: ..." (NAME must not contain ':'). */
static inline long ref_msg_line(const char *msg)
{
        const char *c = strchr(msg, ':');
        return c ? strtol(c + 1, NULL, 10) : -1;
}

/* Render one record of the real reader the way ref_parse() does. */
static inline void ref_render_record(struct ref_out *o, const struct csv_record *rec)
{
        ref_putf(o, "%ld:", rec->line);
        for (size_t k = 0; k < rec->count; k++) {
                const struct csv_field *f = &rec->fields[k];
                ref_puts(o, f->quoted ? "{" : "[");
                ref_put(o, f->ptr, f->len);
                ref_puts(o, f->quoted ? "}" : "]");
        }
        ref_puts(o, "\n");
}

/* Run the real reader over d[0,n) and render its results (no invariant checks). */
static inline char *ref_render_real(const char *d, size_t n, size_t width)
{
        struct ref_out o = {0};
        ref_puts(&o, "");
        struct csv_reader *r = csv_open_mem(d, n, "t");
        csv_set_width(r, width);
        struct csv_record rec;
        struct err e = {0};
        int rc;
        while ((rc = csv_read(r, &rec, &e)) != 0) {
                if (rc < 0 && strcmp(ref_kind(e.msg), "WIDTH") == 0) {
                        ref_render_record(&o, &rec);
                        ref_putf(&o, "W%ld\n", ref_msg_line(e.msg));
                        continue;
                }
                if (rc < 0) {
                        char tmp[64];
                        snprintf(tmp, sizeof tmp, "E%ld:%s\n", ref_msg_line(e.msg),
                                 ref_kind(e.msg));
                        ref_puts(&o, tmp);
                        break;
                }
                ref_render_record(&o, &rec);
        }
        csv_free(r);
        return o.text;
}

#endif
