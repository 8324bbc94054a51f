/* err.c — error values that carry a message (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
        if (e) {
                e->code = 0;
                e->msg[0] = '\0';
        }
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
        if (!e)
                return -1;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
        return -1;
}

int err_at(struct err *e, const char *file, long line, const char *fmt, ...)
{
        if (!e)
                return -1;
        int n;
        if (line > 0)
                n = snprintf(e->msg, sizeof e->msg, "%s:%ld: ", file, line);
        else
                n = snprintf(e->msg, sizeof e->msg, "%s: ", file);
        if (n < 0 || (size_t)n >= sizeof e->msg)
                n = (int)strlen(e->msg);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
        va_end(ap);
        e->code = EXIT_INPUT;
        return -1;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
        if (!e)
                return;
        char head[ERR_MSG_MAX];
        char old[ERR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(head, sizeof head, fmt, ap);
        va_end(ap);
        memcpy(old, e->msg, sizeof old);
        /* Assemble by hand: the parts may together exceed the buffer and are cut. */
        size_t n = strnlen(head, sizeof head - 1);
        memcpy(e->msg, head, n);
        if (n + 2 < sizeof e->msg) {
                memcpy(e->msg + n, ": ", 2);
                n += 2;
        }
        size_t rest = strnlen(old, sizeof old - 1);
        if (rest > sizeof e->msg - 1 - n)
                rest = sizeof e->msg - 1 - n;
        memcpy(e->msg + n, old, rest);
        e->msg[n + rest] = '\0';
}
