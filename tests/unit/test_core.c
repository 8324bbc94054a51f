/* test_core.c — arena, buffer and error values. */
#include "test.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <stdalign.h>

static void test_arena_alignment_and_contents(void **state)
{
        (void)state;
        struct arena a;
        arena_init(&a, 256);
        char *ptrs[1000];
        for (int i = 0; i < 1000; i++) {
                size_t n = (size_t)(i % 37) + 1;
                ptrs[i] = arena_alloc(&a, n);
                assert_int_equal((uintptr_t)ptrs[i] % alignof(max_align_t), 0);
                memset(ptrs[i], i & 0xff, n);
        }
        /* Nothing overlapped: every block still holds its own byte. */
        for (int i = 0; i < 1000; i++) {
                size_t n = (size_t)(i % 37) + 1;
                for (size_t j = 0; j < n; j++)
                        assert_int_equal((unsigned char)ptrs[i][j], i & 0xff);
        }
        /* A block larger than a chunk still works. */
        char *big = arena_zalloc(&a, 10000);
        for (int i = 0; i < 10000; i++)
                assert_int_equal(big[i], 0);
        char *s = arena_printf(&a, "%s-%d", "LA", 202);
        assert_string_equal(s, "LA-202");
        assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
        arena_reset(&a);
        assert_int_equal(a.used, 0);
        assert_string_equal(arena_strdup(&a, "after reset"), "after reset");
        arena_release(&a);
        assert_null(a.head);
}

/* A growing arena: a small first chunk, then ARENA_HUGE-aligned chunks of ARENA_HUGE. */
static void test_arena_growing(void **state)
{
        (void)state;
        struct arena a;
        arena_init_growing(&a, 1024);
        /* Sixteen 64-byte blocks fill the first chunk exactly; the next opens a huge chunk and
         * starts just after its header, at the start of a 2 MiB-aligned region. */
        char *first[16];
        for (int i = 0; i < 16; i++) {
                first[i] = arena_alloc(&a, 64);
                memset(first[i], 0x11, 64);
        }
        char *second = arena_alloc(&a, 64);
        assert_true((uintptr_t)second % ARENA_HUGE < 256);
        /* 5 MiB in 1000-byte blocks spans three huge chunks; every block keeps its bytes. */
        enum { N = 5 * 1024 + 100, LEN = 1000 };
        static char *blocks[N];
        for (int i = 0; i < N; i++) {
                blocks[i] = arena_alloc(&a, LEN);
                assert_int_equal((uintptr_t)blocks[i] % alignof(max_align_t), 0);
                memset(blocks[i], i & 0xff, LEN);
        }
        for (int i = 0; i < N; i++)
                for (int j = 0; j < LEN; j += 97)
                        assert_int_equal((unsigned char)blocks[i][j], i & 0xff);
        for (int i = 0; i < 16; i++)
                for (int j = 0; j < 64; j++)
                        assert_int_equal((unsigned char)first[i][j], 0x11);
        /* A block larger than a huge chunk gets one of its own. */
        char *big = arena_zalloc(&a, 3 * ARENA_HUGE);
        assert_int_equal(big[3 * ARENA_HUGE - 1], 0);
        arena_reset(&a);
        assert_string_equal(arena_strdup(&a, "after reset"), "after reset");
        arena_release(&a);
        assert_null(a.head);
}

static void test_buf(void **state)
{
        (void)state;
        struct buf b;
        buf_init(&b);
        assert_string_equal(b.data, "");
        for (int i = 0; i < 1000; i++)
                buf_printf(&b, "%d,", i);
        assert_int_equal(b.len, strlen(b.data));
        assert_memory_equal(b.data, "0,1,2,", 6);
        assert_memory_equal(b.data + b.len - 4, "999,", 4);
        buf_reset(&b);
        buf_puts(&b, "x");
        buf_putc(&b, 'y');
        buf_append(&b, "z\0w", 3);
        assert_int_equal(b.len, 5);
        size_t len;
        char *p = buf_detach(&b, &len);
        assert_int_equal(len, 5);
        assert_memory_equal(p, "xyz\0w", 5);
        free(p);
        assert_int_equal(b.len, 0);
        buf_release(&b);
}

static void test_buf_read_file(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/f.txt", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("hello\nworld\n", f);
        fclose(f);
        struct buf b;
        buf_init(&b);
        struct err e = {0};
        assert_int_equal(buf_read_file(&b, path, &e), 0);
        assert_string_equal(b.data, "hello\nworld\n");
        snprintf(path, sizeof path, "%s/missing.txt", dir);
        assert_int_equal(buf_read_file(&b, path, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "missing.txt: cannot open"));
        buf_release(&b);
        test_rmdir(dir);
}

static void test_err(void **state)
{
        (void)state;
        struct err e = {0};
        assert_int_equal(err_set(&e, EXIT_INTERNAL, "boom %d", 7), -1);
        assert_int_equal(e.code, EXIT_INTERNAL);
        assert_string_equal(e.msg, "boom 7");
        err_prefix(&e, "while %s", "importing");
        assert_string_equal(e.msg, "while importing: boom 7");
        assert_int_equal(err_at(&e, "episodes.csv", 12, "bad date '%s'", "31/02/2025"), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_string_equal(e.msg, "episodes.csv:12: bad date '31/02/2025'");
        err_at(&e, "x.xml", 0, "cannot open");
        assert_string_equal(e.msg, "x.xml: cannot open");
        err_clear(&e);
        assert_int_equal(e.code, 0);
        assert_string_equal(e.msg, "");
        assert_int_equal(err_set(NULL, EXIT_INPUT, "ignored"), -1);
        /* Over-long messages are cut, never overflow. */
        char longtext[3000];
        memset(longtext, 'a', sizeof longtext - 1);
        longtext[sizeof longtext - 1] = '\0';
        err_set(&e, EXIT_INPUT, "%s", longtext);
        assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
        err_prefix(&e, "%s", longtext);
        assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
}

static void test_xgrow(void **state)
{
        (void)state;
        int *v = NULL;
        size_t cap = 0;
        for (int i = 0; i < 10000; i++) {
                v = xgrow(v, &cap, (size_t)i + 1, sizeof *v);
                v[i] = i;
        }
        assert_true(cap >= 10000);
        for (int i = 0; i < 10000; i++)
                assert_int_equal(v[i], i);
        free(v);
        char *s = xstrndup("abcdef", 4);
        assert_string_equal(s, "abcd");
        free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_arena_alignment_and_contents),
            cmocka_unit_test(test_arena_growing),
            cmocka_unit_test(test_buf),
            cmocka_unit_test(test_buf_read_file),
            cmocka_unit_test(test_err),
            cmocka_unit_test(test_xgrow),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
