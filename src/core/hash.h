/*
 * hash.h — FNV-1a, the string hash the in-memory tables share (child numbers,
 * reference-data lookups, benchmark rows written by difference).  Not for
 * anything an adversary chooses: the tables it keys hold our own data.
 */
#ifndef IMPROVE_CORE_HASH_H
#define IMPROVE_CORE_HASH_H

#include <stdint.h>

#define FNV1A_INIT 1469598103934665603u

/* h with one more byte. */
static inline uint64_t fnv1a_byte(uint64_t h, unsigned char c)
{
        return (h ^ c) * 1099511628211u;
}

/* h with every byte of the NUL-terminated s. */
static inline uint64_t fnv1a_str(uint64_t h, const char *s)
{
        for (; *s; s++)
                h = fnv1a_byte(h, (unsigned char)*s);
        return h;
}

#endif
