/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Caller-owned struct: buf_init()/buf_release().  `data` is never NULL after
 * buf_init, so it can be printed straight away.  Growth never fails.
 */
#ifndef IMPROVE_BUF_H
#define IMPROVE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
        char *data;
        size_t len;
        size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* length 0, memory kept */
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hand the memory to the caller (who frees it) and leave `b` empty. */
char *buf_detach(struct buf *b, size_t *len);

/*
 * Read a whole file.  Returns 0, or -1 with an EXIT_INPUT error naming the
 * file when it cannot be opened or read.
 */
struct err;
int buf_read_file(struct buf *b, const char *path, struct err *e);

#endif
