/* arena.c — a region allocator (see arena.h). */
#include "arena.h"
#include "xalloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct arena_chunk {
        struct arena_chunk *next;
        size_t size; /* usable bytes in data[] */
        size_t used;
        alignas(max_align_t) unsigned char data[];
};

#define ARENA_DEFAULT_CHUNK (64 * 1024)
#define ARENA_ALIGN         (alignof(max_align_t))

void arena_init(struct arena *a, size_t chunk_size)
{
        a->head = NULL;
        a->chunk_size = chunk_size ? chunk_size : ARENA_DEFAULT_CHUNK;
        a->used = 0;
        a->growing = 0;
}

void arena_init_growing(struct arena *a, size_t first)
{
        arena_init(a, first);
        a->growing = 1;
}

/* A chunk with at least `size` usable bytes (see ARENA_HUGE in arena.h). */
static struct arena_chunk *chunk_new(size_t size)
{
        struct arena_chunk *c;
        if (size > SIZE_MAX - 2 * ARENA_HUGE)
                return xmalloc(SIZE_MAX); /* cannot be had: out of memory */
        size_t total = sizeof *c + size;
        if (total >= ARENA_HUGE) {
                total = (total + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
                c = xaligned_alloc(ARENA_HUGE, total);
#ifdef MADV_HUGEPAGE
                madvise(c, total, MADV_HUGEPAGE); /* a hint: refused, ordinary pages serve */
#endif
                size = total - sizeof *c;
        } else {
                c = xmalloc(total);
        }
        c->size = size;
        c->used = 0;
        return c;
}

void arena_release(struct arena *a)
{
        struct arena_chunk *c = a->head;
        while (c) {
                struct arena_chunk *next = c->next;
                free(c);
                c = next;
        }
        a->head = NULL;
        a->used = 0;
}

void arena_reset(struct arena *a)
{
        struct arena_chunk *c = a->head;
        if (!c)
                return;
        /* Keep the last chunk in the list: it is the oldest, and of default size. */
        struct arena_chunk *keep = c;
        while (keep->next)
                keep = keep->next;
        while (c != keep) {
                struct arena_chunk *next = c->next;
                free(c);
                c = next;
        }
        keep->used = 0;
        a->head = keep;
        a->used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
        if (n == 0)
                n = 1;
        size_t rounded = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
        if (rounded < n) /* overflow */
                rounded = SIZE_MAX;
        struct arena_chunk *c = a->head;
        if (!c || c->size - c->used < rounded) {
                size_t size = a->chunk_size;
                if (rounded > size / 4) {
                        /* Large block: a chunk of its own, placed after the head so the head keeps
                         * filling. */
                        struct arena_chunk *big = chunk_new(rounded);
                        big->used = big->size;
                        if (c) {
                                big->next = c->next;
                                c->next = big;
                        } else {
                                big->next = NULL;
                                a->head = big;
                        }
                        a->used += rounded;
                        return big->data;
                }
                c = chunk_new(size);
                if (a->growing) /* the first chunk was small; the rest are huge pages */
                        a->chunk_size = ARENA_HUGE - sizeof *c;
                c->next = a->head;
                a->head = c;
        }
        void *p = c->data + c->used;
        c->used += rounded;
        a->used += rounded;
        return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
        void *p = arena_alloc(a, n);
        memset(p, 0, n);
        return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
        char *p = arena_alloc(a, n + 1);
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
        return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
        va_list ap2;
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap2);
        va_end(ap2);
        if (n < 0)
                n = 0;
        char *p = arena_alloc(a, (size_t)n + 1);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *p = arena_vprintf(a, fmt, ap);
        va_end(ap);
        return p;
}
