/*
 * arena.h — a region allocator.
 *
 * Used per import and per web request: many small allocations that all die
 * together.  Memory comes from chunks; arena_release() frees every chunk at
 * once.  Allocation never fails (see xalloc.h).  Alignment is that of
 * max_align_t.
 */
#ifndef IMPROVE_ARENA_H
#define IMPROVE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
        struct arena_chunk *head;
        size_t chunk_size; /* default size of a new chunk */
        size_t used;       /* bytes handed out, for statistics */
};

void arena_init(struct arena *a, size_t chunk_size); /* 0 picks a default */
void arena_release(struct arena *a);                 /* free everything */
/* Free everything but keep the first chunk for reuse. */
void arena_reset(struct arena *a);

void *arena_alloc(struct arena *a, size_t n);  /* uninitialised */
void *arena_zalloc(struct arena *a, size_t n); /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
