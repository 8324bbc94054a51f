/*
 * xalloc.h — allocation that cannot return NULL.
 *
 * Running out of memory is not something a command can recover from usefully,
 * so these print one line and exit with EXIT_INTERNAL.  This is the single
 * exception to "library code never exits", stated here so nobody is surprised.
 */
#ifndef IMPROVE_XALLOC_H
#define IMPROVE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* aligned_alloc(): `n` a multiple of `align`, a power of two; free() releases it. */
void *xaligned_alloc(size_t align, size_t n);
/* Grow an array so that it holds at least `need` elements of `size` bytes. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

#endif
