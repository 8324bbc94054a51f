/* buf.c — a growable byte buffer (see buf.h). */
#include "buf.h"
#include "err.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void buf_init(struct buf *b)
{
        b->cap = 64;
        b->data = xmalloc(b->cap);
        b->data[0] = '\0';
        b->len = 0;
}

void buf_release(struct buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
        b->len = 0;
        b->data[0] = '\0';
}

void buf_reserve(struct buf *b, size_t extra)
{
        b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void buf_append(struct buf *b, const void *p, size_t n)
{
        buf_reserve(b, n);
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
        buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
        buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
        va_list ap2;
        va_copy(ap2, ap);
        int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
        va_end(ap2);
        if (n < 0)
                return;
        if ((size_t)n >= b->cap - b->len) {
                buf_reserve(b, (size_t)n);
                vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        }
        b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(b, fmt, ap);
        va_end(ap);
}

char *buf_detach(struct buf *b, size_t *len)
{
        char *p = b->data;
        if (len)
                *len = b->len;
        buf_init(b);
        return p;
}

int buf_read_file(struct buf *b, const char *path, struct err *e)
{
        FILE *f = fopen(path, "rb");
        if (!f)
                return err_at(e, path, 0, "cannot open: %s", strerror(errno));
        /* Straight into the buffer, sized once from the file's length when it has one: no
         * copy through a bounce buffer and no regrowing (a validated return's tables are read
         * this way, ~1 M instructions of copying on the fixtures). */
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
                buf_reserve(b, (size_t)st.st_size + 1);
        for (;;) {
                if (b->cap - b->len < 2)
                        buf_reserve(b, 65536);
                size_t room = b->cap - b->len - 1;
                size_t n = fread(b->data + b->len, 1, room, f);
                b->len += n;
                if (n < room) /* end of file or an error */
                        break;
        }
        b->data[b->len] = '\0';
        int bad = ferror(f);
        int saved = errno;
        fclose(f);
        if (bad)
                return err_at(e, path, 0, "cannot read: %s", strerror(saved));
        return 0;
}
