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
        int growing;       /* chunks after the first are ARENA_HUGE in all */
};

/*
 * A chunk of ARENA_HUGE bytes or more is aligned to ARENA_HUGE and offered to
 * the kernel as a transparent huge page (madvise; where it has none, ordinary
 * pages): filling it costs one page fault and one clear per 2 MiB, not 512.
 */
#define ARENA_HUGE ((size_t)2 << 20)

void arena_init(struct arena *a, size_t chunk_size); /* 0 picks a default */
/*
 * For an arena that may grow large (a return's rows): the first chunk has
 * `first` bytes, the others are ARENA_HUGE in all, so a small load stays small
 * and a large one lives in huge pages.
 */
void arena_init_growing(struct arena *a, size_t first);
void arena_release(struct arena *a); /* free everything */
/* Free everything but keep the first chunk for reuse. */
void arena_reset(struct arena *a);

void *arena_alloc(struct arena *a, size_t n);  /* uninitialised */
void *arena_zalloc(struct arena *a, size_t n); /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
