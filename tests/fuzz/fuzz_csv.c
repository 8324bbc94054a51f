/*
 * fuzz_csv.c — libFuzzer harness for the CSV reader (src/core/csv.c).
 *
 * Each input is read to the end with every scanner this CPU has, without and
 * with csv_set_width(), and checked three ways:
 *  - invariants, asserted while reading: fields lie inside the input or (only
 *    quoted fields with doubled quotes) outside it in the reader's scratch;
 *    line numbers and offsets never go backwards; errors are EXIT_INPUT with a
 *    "NAME:LINE: " prefix and are final;
 *  - the result equals that of the byte-by-byte reference in csv_ref.h;
 *  - what was read, written back with csv_write_field(), reads back the same.
 */
#include "core/csv.h"
#include "core/err.h"
#include "csv_ref.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scanners[] = {"scalar", "sse2", "avx2"};

struct rows {
        char *text; /* the records written back as CSV */
        size_t len;
        FILE *out;
};

/* Read everything, asserting invariants; return the rendering (see csv_ref.h). */
static char *read_checked(const char *d, size_t n, size_t width, size_t *first_width,
                          struct rows *rows, int *syntax_error)
{
        struct ref_out o = {0};
        ref_puts(&o, "");
        struct csv_reader *r = csv_open_mem(d, n, "in");
        assert(csv_size(r) == n);
        csv_set_width(r, width);
        struct csv_record rec;
        struct err e = {0};
        long last_line = 0;
        size_t last_off = 0;
        int rc;
        while ((rc = csv_read(r, &rec, &e)) != 0) {
                assert(csv_offset(r) >= last_off && csv_offset(r) <= n);
                last_off = csv_offset(r);
                int ragged = 0;
                if (rc < 0) {
                        assert(e.code == EXIT_INPUT);
                        assert(strncmp(e.msg, "in:", 3) == 0);
                        long line = ref_msg_line(e.msg);
                        assert(line >= 1 && line >= last_line);
                        const char *kind = ref_kind(e.msg);
                        assert(strcmp(kind, "?") != 0);
                        if (strcmp(kind, "WIDTH") != 0) {
                                char tmp[64];
                                snprintf(tmp, sizeof tmp, "E%ld:%s\n", line, kind);
                                ref_puts(&o, tmp);
                                struct err again = {0};
                                assert(csv_read(r, &rec, &again) == -1);
                                assert(strcmp(again.msg, e.msg) == 0);
                                *syntax_error = 1;
                                break;
                        }
                        assert(width && rec.count != width && line == rec.line);
                        ragged = 1;
                }
                assert(rec.count >= 1);
                assert(rec.line >= 1 && rec.line > last_line);
                last_line = rec.line;
                if (first_width && !*first_width)
                        *first_width = rec.count;
                for (size_t k = 0; k < rec.count; k++) {
                        const struct csv_field *f = &rec.fields[k];
                        assert(f->ptr != NULL);
                        assert(f->quoted == 0 || f->quoted == 1);
                        if (f->ptr >= d && f->ptr <= d + n) {
                                assert(f->len <= (size_t)(d + n - f->ptr));
                                /* zero copy: an unquoted field is the input's bytes verbatim */
                                if (!f->quoted)
                                        assert(f->ptr == d || strchr(",\n\r", f->ptr[-1]) ||
                                               (f->ptr == d + 3 && n >= 3 &&
                                                memcmp(d, "\xEF\xBB\xBF", 3) == 0));
                                else
                                        assert(f->ptr > d && f->ptr[-1] == '"');
                        } else {
                                /* only unescaped quoted fields live in scratch */
                                assert(f->quoted);
                                assert(memchr(f->ptr, '"', f->len) != NULL);
                        }
                }
                ref_render_record(&o, &rec);
                if (ragged)
                        ref_putf(&o, "W%ld\n", rec.line);
                if (rows && !ragged) {
                        for (size_t k = 0; k < rec.count; k++) {
                                if (k)
                                        fputc(',', rows->out);
                                const struct csv_field *f = &rec.fields[k];
                                /* a lone empty field must be quoted or it becomes a blank line */
                                if (rec.count == 1 && f->len == 0)
                                        fputs("\"\"", rows->out);
                                else
                                        csv_write_field(rows->out, f->ptr, f->len);
                        }
                        fputs("\r\n", rows->out);
                }
        }
        csv_free(r);
        return o.text;
}

/* Field values only (no lines, no quoting), for the round trip. */
static char *values(const char *d, size_t n)
{
        struct ref_out o = {0};
        ref_puts(&o, "");
        struct csv_reader *r = csv_open_mem(d, n, "in");
        struct csv_record rec;
        struct err e = {0};
        int rc;
        while ((rc = csv_read(r, &rec, &e)) == 1) {
                for (size_t k = 0; k < rec.count; k++) {
                        char len[32];
                        snprintf(len, sizeof len, "%zu:", rec.fields[k].len);
                        ref_puts(&o, len);
                        ref_put(&o, rec.fields[k].ptr, rec.fields[k].len);
                }
                ref_puts(&o, "\n");
        }
        assert(rc == 0);
        csv_free(r);
        return o.text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *d = (const char *)data;
        char *want = ref_parse(d, size, 0);
        size_t first = 0;
        for (size_t k = 0; k < sizeof scanners / sizeof *scanners; k++) {
                if (csv_use_scanner(scanners[k]) < 0)
                        continue;
                struct rows rows = {0};
                rows.out = open_memstream(&rows.text, &rows.len);
                /* The reader drops one BOM; a first value may itself start with one. */
                fputs("\xEF\xBB\xBF", rows.out);
                size_t w = 0;
                int bad = 0;
                char *got = read_checked(d, size, 0, &w, &rows, &bad);
                fclose(rows.out);
                if (strcmp(got, want) != 0) {
                        fprintf(stderr, "scanner %s\nwant:\n%s\ngot:\n%s\n", scanners[k], want,
                                got);
                        abort();
                }
                first = w;

                /* Round trip: when the whole input was valid, writing it back loses nothing. */
                if (!bad) {
                        char *a = values(d, size);
                        char *b = values(rows.text, rows.len);
                        assert(strcmp(a, b) == 0);
                        free(a);
                        free(b);
                }
                free(rows.text);
                free(got);

                if (first) {
                        char *want_w = ref_parse(d, size, first);
                        char *got_w = read_checked(d, size, first, NULL, NULL, &bad);
                        if (strcmp(got_w, want_w) != 0) {
                                fprintf(stderr, "scanner %s width %zu\nwant:\n%s\ngot:\n%s\n",
                                        scanners[k], first, want_w, got_w);
                                abort();
                        }
                        free(want_w);
                        free(got_w);
                }
        }
        csv_use_scanner(NULL);
        free(want);
        return 0;
}
