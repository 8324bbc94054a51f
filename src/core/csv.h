/*
 * csv.h — a fast RFC 4180 CSV reader, and a small writer.
 *
 * Reading: the whole input is in memory (a mapped file or a caller's buffer).
 * csv_read() hands back one record at a time as an array of fields that point
 * into the input (or, for quoted fields with doubled quotes, into a scratch
 * area of the reader).  Fields stay valid until the next csv_read() call.
 *
 * Accepted: quoted fields with embedded commas, quotes ("") and newlines;
 * LF and CRLF line ends, mixed, and a lone CR (old Mac exports) as a line end;
 * a UTF-8 byte order mark at the start (dropped);
 * a missing final newline.  Blank lines are skipped (they carry no record).
 *
 * Malformed input gives -1 and an EXIT_INPUT error "FILE:LINE: what, expected":
 * a quote that is never closed, text after a closing quote, a bare quote inside
 * an unquoted field, a NUL byte, and — when csv_set_width() was called — a
 * record whose field count differs from the expected width ("ragged row").
 * Line numbers are 1-based physical lines, counting embedded newlines.
 */
#ifndef IMPROVE_CSV_H
#define IMPROVE_CSV_H

#include <stdio.h>
#include <stddef.h>

struct err;

struct csv_field {
        const char *ptr; /* not NUL-terminated */
        size_t len;
        int quoted; /* 1 if the field was written in quotes */
};

struct csv_record {
        struct csv_field *fields; /* owned by the reader */
        size_t count;
        long line; /* physical line on which the record starts */
};

struct csv_reader;

/* Open a file (memory-mapped when possible).  NULL + EXIT_INPUT error if unreadable. */
struct csv_reader *csv_open_file(const char *path, struct err *e);
/* Read from a caller's buffer, which must outlive the reader.  `name` is used in messages. */
struct csv_reader *csv_open_mem(const char *data, size_t len, const char *name);
void csv_free(struct csv_reader *r);

/* Require every following record to have exactly `width` fields (0 turns the check off). */
void csv_set_width(struct csv_reader *r, size_t width);

/*
 * 1: a record was read; 0: end of input; -1: malformed input (error set).
 * A ragged row still fills `rec` and reading may go on past it; any other
 * error is final (later calls return it again).
 */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct err *e);

const char *csv_name(const struct csv_reader *r);
/* Bytes of input consumed so far, and the total (for progress). */
size_t csv_offset(const struct csv_reader *r);
size_t csv_size(const struct csv_reader *r);

/* True if the field equals the NUL-terminated string `s` (exactly, or ignoring ASCII case). */
int csv_field_eq(const struct csv_field *f, const char *s);
int csv_field_eq_nocase(const struct csv_field *f, const char *s);

/*
 * The byte scanner that readers opened from now on use: "avx2", "sse2" or
 * "scalar".  The fastest one this CPU has is the default; csv_use_scanner()
 * picks another (NULL restores the default), for tests and benchmarks.  It
 * returns -1 for a name this CPU or build lacks.  Not thread-safe.
 */
const char *csv_scanner(void);
int csv_use_scanner(const char *name);

/* Writing: quote a field only when it needs it (comma, quote, CR or LF). */
void csv_write_field(FILE *out, const char *s, size_t n);
void csv_write_str(FILE *out, const char *s); /* NULL writes an empty field */

#endif
