/*
 * csv.c — a fast RFC 4180 reader (see csv.h) and a small writer.
 *
 * Why it is fast: only five bytes matter to the grammar (`,` `"` LF CR and
 * NUL, the last only to reject it).  The input is cut into 64-byte blocks and
 * each block becomes a 64-bit mask with one bit per interesting byte, built
 * with SSE2 or AVX2 compares (or a table when neither exists).  A field is
 * then the gap between two set bits, found with a count-trailing-zeros, so
 * the common case — short unquoted fields — costs a few instructions per
 * field no matter how wide the block is.  Quoted fields take a slower path
 * through the same mask.  Fields point into the input; only quoted fields
 * with doubled quotes are copied (unescaped) into a scratch buffer.
 *
 * The record loop is written once (read_record) and inlined into one
 * function per scanner, so the block scan is inlined too; the AVX2 copy is
 * compiled with target("avx2") and chosen at run time.
 *
 * Line ends are LF, CRLF or a lone CR (old Mac exports); each counts as one
 * physical line, inside quotes too.
 */
#include "csv.h"
#include "err.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__) || (defined(__i386__) && defined(__SSE2__))
#define CSV_X86 1
#include <immintrin.h>
#endif

#define ALWAYS_INLINE inline __attribute__((always_inline))

enum scanner {
        SCAN_SCALAR,
        SCAN_SSE2,
        SCAN_AVX2,
};

static const char *const scanner_names[] = {"scalar", "sse2", "avx2"};

/* -1 until a test or benchmark picks one with csv_use_scanner(). */
static int forced_scanner = -1;

struct csv_reader {
        const char *data;
        size_t len;
        size_t pos;   /* next byte to read */
        long line;    /* physical line of data[pos] */
        size_t width; /* 0: any */
        char *name;

        /* The current 64-byte block (an offset into data) and its mask. */
        size_t blk;
        uint64_t bits;
        int scanner;

        struct csv_field *fields;
        size_t fields_cap;

        /* Unescaped quoted fields of the current record, and where each one goes. */
        char *scratch;
        size_t scratch_len, scratch_cap;
        struct fixup {
                size_t field, off;
        } * fixups;
        size_t nfixups, fixups_cap;

        int failed; /* a syntax error is final: later reads repeat it */
        struct err failure;

        void *map; /* mmap'd file, or NULL */
        size_t map_len;
        char *owned; /* file read into memory, or NULL */
};

/* ---------------------------------------------------------------- block scanners */

static const unsigned char special[256] = {
    ['\0'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};

static ALWAYS_INLINE uint64_t block_scalar(const char *p)
{
        uint64_t m = 0;
        for (int i = 0; i < 64; i++)
                m |= (uint64_t)special[(unsigned char)p[i]] << i;
        return m;
}

#ifdef CSV_X86
static ALWAYS_INLINE uint64_t mask16_sse2(const char *p)
{
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i a = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
        __m128i b = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
        __m128i c = _mm_cmpeq_epi8(v, _mm_setzero_si128());
        return (uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), c));
}

static ALWAYS_INLINE uint64_t block_sse2(const char *p)
{
        return mask16_sse2(p) | mask16_sse2(p + 16) << 16 | mask16_sse2(p + 32) << 32 |
               mask16_sse2(p + 48) << 48;
}

__attribute__((target("avx2"))) static inline uint64_t mask32_avx2(const char *p)
{
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i a = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(',')),
                                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')));
        __m256i b = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')),
                                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')));
        __m256i c = _mm256_cmpeq_epi8(v, _mm256_setzero_si256());
        return (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(a, b), c));
}

__attribute__((target("avx2"))) static inline uint64_t block_avx2(const char *p)
{
        return mask32_avx2(p) | mask32_avx2(p + 32) << 32;
}
#endif

static ALWAYS_INLINE uint64_t block_mask(int kind, const char *p)
{
#ifdef CSV_X86
        if (kind == SCAN_AVX2)
                return block_avx2(p);
        if (kind == SCAN_SSE2)
                return block_sse2(p);
#endif
        (void)kind;
        return block_scalar(p);
}

/* The mask of the block at `blk`; a short last block is copied out and its padding masked off. */
static ALWAYS_INLINE uint64_t load_block(int kind, const char *data, size_t len, size_t blk)
{
        size_t n = len - blk;
        if (__builtin_expect(n >= 64, 1))
                return block_mask(kind, data + blk);
        char pad[64];
        memset(pad, 'x', sizeof pad);
        memcpy(pad, data + blk, n);
        return block_mask(kind, pad) & ((UINT64_C(1) << n) - 1);
}

/*
 * `bits` holds the interesting bytes of the block at `blk` that are not yet
 * consumed.  sync_bits() drops those before p (after blank lines, or a CR's LF);
 * take_bit() consumes the next one and returns its offset, or len at the end.
 */
static ALWAYS_INLINE void sync_bits(int kind, const char *data, size_t len, size_t p, size_t *blk,
                                    uint64_t *bits)
{
        size_t off = p - *blk;
        if (off >= 64) {
                *blk = p & ~(size_t)63;
                *bits = *blk < len ? load_block(kind, data, len, *blk) : 0;
                off = p - *blk;
        }
        *bits &= ~UINT64_C(0) << off;
}

static ALWAYS_INLINE size_t take_bit(int kind, const char *data, size_t len, size_t *blk,
                                     uint64_t *bits)
{
        while (__builtin_expect(*bits == 0, 0)) {
                if (*blk + 64 >= len)
                        return len;
                *blk += 64;
                *bits = load_block(kind, data, len, *blk);
        }
        size_t s = *blk + (size_t)(unsigned)__builtin_ctzll(*bits);
        *bits &= *bits - 1;
        return s;
}

/* ---------------------------------------------------------------- reading */

static int fail(struct csv_reader *r, struct err *e, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record a syntax error; it is final, so later reads return it again. */
static int fail(struct csv_reader *r, struct err *e, long line, const char *fmt, ...)
{
        char what[ERR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        err_at(&r->failure, r->name, line, "%s", what);
        r->failed = 1;
        r->pos = r->len;
        if (e)
                *e = r->failure;
        return -1;
}

/* Make room for at least 65 more fields after *fp (the array may move). */
static void reserve(struct csv_reader *r, struct csv_field **f, struct csv_field **fp,
                    struct csv_field **fend)
{
        size_t n = (size_t)(*fp - *f);
        r->fields = xgrow(r->fields, &r->fields_cap, n + 65, sizeof *r->fields);
        *f = r->fields;
        *fp = *f + n;
        *fend = *f + r->fields_cap;
}

/* Copy the quoted field body data[from, to) into scratch with "" made ", for field n. */
static void unescape(struct csv_reader *r, size_t n, size_t from, size_t to)
{
        r->scratch = xgrow(r->scratch, &r->scratch_cap, r->scratch_len + (to - from), 1);
        r->fixups = xgrow(r->fixups, &r->fixups_cap, r->nfixups + 1, sizeof *r->fixups);
        char *out = r->scratch + r->scratch_len;
        const char *in = r->data + from, *end = r->data + to;
        while (in < end) {
                const char *q = memchr(in, '"', (size_t)(end - in));
                size_t k = q ? (size_t)(q - in) + 1 : (size_t)(end - in);
                memcpy(out, in, k);
                out += k;
                in += k + (q != NULL); /* skip the second quote of the pair */
        }
        r->fixups[r->nfixups++] = (struct fixup){n, r->scratch_len};
        r->fields[n].len = (size_t)(out - (r->scratch + r->scratch_len));
        r->scratch_len += r->fields[n].len;
}

/*
 * Read one record.  Written once and inlined per scanner with `kind` constant,
 * so the block scan inlines too.  The loop walks the set bits of the block
 * masks: each one ends a field (or opens or closes a quote), and moving to the
 * next is a clear-lowest-bit, so consecutive fields hardly wait on each other.
 */
static ALWAYS_INLINE int read_record(struct csv_reader *r, struct csv_record *rec, struct err *e,
                                     const int kind)
{
        const char *d = r->data;
        const size_t len = r->len;
        size_t p = r->pos;
        long line = r->line;

        if (r->failed) {
                if (e)
                        *e = r->failure;
                return -1;
        }
        /* Blank lines carry no record. */
        while (p < len && (d[p] == '\n' || d[p] == '\r')) {
                p += (d[p] == '\r' && p + 1 < len && d[p + 1] == '\n') ? 2 : 1;
                line++;
        }
        if (p >= len) {
                r->pos = len;
                r->line = line;
                return 0;
        }

        const long start_line = line;
        size_t blk = r->blk;
        uint64_t bits = r->bits;
        /* Fields are written through a pointer: an index kept GCC spilling it to the stack. */
        struct csv_field *f = r->fields, *fp = f, *fend = f + r->fields_cap;
        r->scratch_len = 0;
        r->nfixups = 0;
        sync_bits(kind, d, len, p, &blk, &bits);
        /*
         * Room for at least 65 more fields is made whenever a block is loaded
         * (and after a quoted field): a block's bits end at most 64 fields,
         * plus one at the end of the input, so storing a field needs no check.
         */
        if (fend - fp <= 64)
                reserve(r, &f, &fp, &fend);

        for (;;) {
                /*
                 * The common case, short unquoted fields ending in commas, stays
                 * in this inner loop.  A set bit is always inside the input, so
                 * d[s] needs no bounds check either.
                 */
                size_t s;
                int c;
                for (;;) {
                        if (__builtin_expect(bits == 0, 0)) {
                                if (blk + 64 >= len) {
                                        s = len;
                                        c = -1;
                                        break;
                                }
                                blk += 64;
                                bits = load_block(kind, d, len, blk);
                                if (__builtin_expect(fend - fp <= 64, 0))
                                        reserve(r, &f, &fp, &fend);
                                continue;
                        }
                        s = blk + (size_t)(unsigned)__builtin_ctzll(bits);
                        bits &= bits - 1;
                        c = (unsigned char)d[s];
                        if (c != ',')
                                break;
                        *fp++ = (struct csv_field){d + p, s - p, 0};
                        p = s + 1;
                }
                if (c == '\n' || c == '\r' || c == -1) {
                        *fp++ = (struct csv_field){d + p, s - p, 0};
                        if (c == -1) {
                                p = len;
                                break;
                        }
                        /* A CRLF's LF stays in the mask; the next sync_bits() drops it. */
                        p = s + 1 + (c == '\r' && s + 1 < len && d[s + 1] == '\n');
                        line++;
                        break;
                }
                if (c == '\0')
                        return fail(r, e, line,
                                    "NUL byte in field %zu, expected text (a UTF-16 file? save it "
                                    "as UTF-8)",
                                    (size_t)(fp - f) + 1);
                if (s != p)
                        return fail(r, e, line,
                                    "quote inside unquoted field %zu, expected the whole field in "
                                    "quotes with \"\" for each quote",
                                    (size_t)(fp - f) + 1);

                /* A quoted field: find the closing quote, counting lines inside. */
                const long open_line = line;
                int doubled = 0;
                for (;;) {
                        s = take_bit(kind, d, len, &blk, &bits);
                        if (s >= len)
                                return fail(r, e, open_line,
                                            "quoted field %zu is never closed, expected a closing "
                                            "quote before the end of the file",
                                            (size_t)(fp - f) + 1);
                        c = (unsigned char)d[s];
                        if (c == '"') {
                                if (s + 1 < len && d[s + 1] == '"') {
                                        doubled = 1;
                                        take_bit(kind, d, len, &blk, &bits);
                                        continue;
                                }
                                break;
                        }
                        if (c == '\n')
                                line++;
                        else if (c == '\r' && !(s + 1 < len && d[s + 1] == '\n'))
                                line++;
                        else if (c == '\0')
                                return fail(r, e, line,
                                            "NUL byte in field %zu, expected text (a UTF-16 file? "
                                            "save it as UTF-8)",
                                            (size_t)(fp - f) + 1);
                }
                *fp = (struct csv_field){d + p + 1, s - p - 1, 1};
                if (doubled)
                        unescape(r, (size_t)(fp - f), p + 1, s);
                fp++;
                if (fend - fp <= 64)
                        reserve(r, &f, &fp, &fend);
                /* After the closing quote: a separator, a line end or the end of the input. */
                size_t q = s + 1;
                c = q < len ? (unsigned char)d[q] : -1;
                if (c == -1) {
                        p = len;
                        break;
                }
                if (c == ',' || c == '\n' || c == '\r') {
                        take_bit(kind, d, len, &blk, &bits);
                        if (c == ',') {
                                p = q + 1;
                                continue;
                        }
                        p = q + 1 + (c == '\r' && q + 1 < len && d[q + 1] == '\n');
                        line++;
                        break;
                }
                if (c == '\0')
                        return fail(r, e, line,
                                    "NUL byte after field %zu, expected text (a UTF-16 file? save "
                                    "it as UTF-8)",
                                    (size_t)(fp - f));
                return fail(r, e, line,
                            "text after the closing quote of field %zu, expected a comma or the "
                            "end of the line",
                            (size_t)(fp - f));
        }

        for (size_t i = 0; i < r->nfixups; i++)
                f[r->fixups[i].field].ptr = r->scratch + r->fixups[i].off;
        r->pos = p;
        r->line = line;
        r->blk = blk;
        r->bits = bits;
        rec->fields = f;
        size_t n = (size_t)(fp - f);
        rec->count = n;
        rec->line = start_line;
        if (r->width && n != r->width)
                return err_at(e, r->name, start_line, "record has %zu fields, expected %zu", n,
                              r->width);
        return 1;
}

static int read_scalar(struct csv_reader *r, struct csv_record *rec, struct err *e)
{
        return read_record(r, rec, e, SCAN_SCALAR);
}

#ifdef CSV_X86
static int read_sse2(struct csv_reader *r, struct csv_record *rec, struct err *e)
{
        return read_record(r, rec, e, SCAN_SSE2);
}

__attribute__((target("avx2"))) static int read_avx2(struct csv_reader *r, struct csv_record *rec,
                                                     struct err *e)
{
        return read_record(r, rec, e, SCAN_AVX2);
}
#endif

int csv_read(struct csv_reader *r, struct csv_record *rec, struct err *e)
{
#ifdef CSV_X86
        if (r->scanner == SCAN_AVX2)
                return read_avx2(r, rec, e);
        if (r->scanner == SCAN_SSE2)
                return read_sse2(r, rec, e);
#endif
        return read_scalar(r, rec, e);
}

/* ---------------------------------------------------------------- scanner choice */

static int scanner_available(int kind)
{
#ifdef CSV_X86
        if (kind == SCAN_AVX2) {
                __builtin_cpu_init();
                return __builtin_cpu_supports("avx2");
        }
        return 1;
#else
        return kind == SCAN_SCALAR;
#endif
}

static int best_scanner(void)
{
        if (forced_scanner >= 0)
                return forced_scanner;
        if (scanner_available(SCAN_AVX2))
                return SCAN_AVX2;
        if (scanner_available(SCAN_SSE2))
                return SCAN_SSE2;
        return SCAN_SCALAR;
}

const char *csv_scanner(void)
{
        return scanner_names[best_scanner()];
}

int csv_use_scanner(const char *name)
{
        if (!name) {
                forced_scanner = -1;
                return 0;
        }
        for (int k = 0; k < (int)(sizeof scanner_names / sizeof *scanner_names); k++) {
                if (strcmp(name, scanner_names[k]) == 0) {
                        if (!scanner_available(k))
                                return -1;
                        forced_scanner = k;
                        return 0;
                }
        }
        return -1;
}

/* ---------------------------------------------------------------- opening */

static struct csv_reader *reader_new(const char *data, size_t len, const char *name)
{
        struct csv_reader *r = xcalloc(1, sizeof *r);
        r->data = data ? data : "";
        r->len = data ? len : 0;
        r->name = xstrdup(name ? name : "<memory>");
        r->line = 1;
        r->scanner = best_scanner();
        /* Never NULL, so the record loop's pointer arithmetic on it is always defined. */
        r->fields = xgrow(NULL, &r->fields_cap, 65, sizeof *r->fields);
        if (r->len >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0)
                r->pos = 3;
        r->blk = 0;
        r->bits = r->len ? load_block(SCAN_SCALAR, r->data, r->len, 0) : 0;
        return r;
}

struct csv_reader *csv_open_mem(const char *data, size_t len, const char *name)
{
        return reader_new(data, len, name);
}

/* Pipes and other files without a size: read them whole. */
static char *read_all(int fd, size_t *len_out)
{
        size_t cap = 1 << 16, len = 0;
        char *buf = xmalloc(cap);
        for (;;) {
                if (len == cap)
                        buf = xgrow(buf, &cap, cap + 1, 1);
                ssize_t k = read(fd, buf + len, cap - len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        int saved = errno;
                        free(buf);
                        errno = saved;
                        return NULL;
                }
                if (k == 0)
                        break;
                len += (size_t)k;
        }
        *len_out = len;
        return buf;
}

struct csv_reader *csv_open_file(const char *path, struct err *e)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                err_at(e, path, 0, "cannot open: %s", strerror(errno));
                return NULL;
        }
        struct stat st;
        if (fstat(fd, &st) < 0) {
                err_at(e, path, 0, "cannot open: %s", strerror(errno));
                close(fd);
                return NULL;
        }
        struct csv_reader *r;
        if (S_ISREG(st.st_mode) && st.st_size > 0) {
                size_t n = (size_t)st.st_size;
                void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
                if (m == MAP_FAILED) {
                        err_at(e, path, 0, "cannot open: %s", strerror(errno));
                        close(fd);
                        return NULL;
                }
                madvise(m, n, MADV_SEQUENTIAL);
                r = reader_new(m, n, path);
                r->map = m;
                r->map_len = n;
        } else if (S_ISREG(st.st_mode)) {
                r = reader_new("", 0, path);
        } else {
                size_t n = 0;
                char *buf = read_all(fd, &n);
                if (!buf) {
                        err_at(e, path, 0, "cannot read: %s", strerror(errno));
                        close(fd);
                        return NULL;
                }
                r = reader_new(buf, n, path);
                r->owned = buf;
        }
        close(fd);
        return r;
}

void csv_free(struct csv_reader *r)
{
        if (!r)
                return;
        if (r->map)
                munmap(r->map, r->map_len);
        free(r->owned);
        free(r->name);
        free(r->fields);
        free(r->scratch);
        free(r->fixups);
        free(r);
}

void csv_set_width(struct csv_reader *r, size_t width)
{
        r->width = width;
}

const char *csv_name(const struct csv_reader *r)
{
        return r->name;
}

size_t csv_offset(const struct csv_reader *r)
{
        return r->pos;
}

size_t csv_size(const struct csv_reader *r)
{
        return r->len;
}

/* ---------------------------------------------------------------- fields */

int csv_field_eq(const struct csv_field *f, const char *s)
{
        size_t n = strlen(s);
        return f->len == n && memcmp(f->ptr, s, n) == 0;
}

static int ascii_lower(int c)
{
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int csv_field_eq_nocase(const struct csv_field *f, const char *s)
{
        size_t n = strlen(s);
        if (f->len != n)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (ascii_lower((unsigned char)f->ptr[i]) != ascii_lower((unsigned char)s[i]))
                        return 0;
        return 1;
}

/* ---------------------------------------------------------------- writing */

void csv_write_field(FILE *out, const char *s, size_t n)
{
        int needs = 0;
        for (size_t i = 0; i < n && !needs; i++)
                needs = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
        if (!needs) {
                fwrite(s, 1, n, out);
                return;
        }
        fputc('"', out);
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '"')
                        fputc('"', out);
                fputc(s[i], out);
        }
        fputc('"', out);
}

void csv_write_str(FILE *out, const char *s)
{
        if (s)
                csv_write_field(out, s, strlen(s));
}
