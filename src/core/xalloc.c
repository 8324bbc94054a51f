/* xalloc.c — allocation that cannot return NULL (see xalloc.h for why it exits). */
#include "xalloc.h"
#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t n)
{
        fprintf(stderr, "improve: out of memory (asked for %zu bytes)\n", n);
        exit(EXIT_INTERNAL);
}

void *xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                out_of_memory(n);
        return p;
}

void *xcalloc(size_t count, size_t size)
{
        void *p = calloc(count ? count : 1, size ? size : 1);
        if (!p)
                out_of_memory(count * size);
        return p;
}

void *xrealloc(void *p, size_t n)
{
        void *q = realloc(p, n ? n : 1);
        if (!q)
                out_of_memory(n);
        return q;
}

char *xstrdup(const char *s)
{
        return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
        char *p = xmalloc(n + 1);
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

void *xaligned_alloc(size_t align, size_t n)
{
        void *p = aligned_alloc(align, n);
        if (!p)
                out_of_memory(n);
        return p;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
        if (need <= *cap)
                return p;
        size_t c = *cap ? *cap : 8;
        while (c < need) {
                if (c > SIZE_MAX / 2)
                        out_of_memory(SIZE_MAX);
                c *= 2;
        }
        if (size && c > SIZE_MAX / size)
                out_of_memory(SIZE_MAX);
        p = xrealloc(p, c * size);
        *cap = c;
        return p;
}
