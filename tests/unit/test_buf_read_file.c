/* test_buf_read_file.c — buf_read_file() reads a file's exact bytes into a buffer, after what it
 * holds already, whether or not the file's size is known beforehand. */
#include "test.h"

#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n bytes of a fixed pattern that includes NUL and high bytes. */
static unsigned char *pattern(size_t n)
{
        unsigned char *p = malloc(n ? n : 1);
        assert_non_null(p);
        for (size_t i = 0; i < n; i++)
                p[i] = (unsigned char)((i * 7919u) >> 3);
        return p;
}

static void check_size(size_t n)
{
        char *dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/data.bin", dir);
        unsigned char *want = pattern(n);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(want, 1, n, f), n);
        assert_int_equal(fclose(f), 0);

        struct buf b;
        buf_init(&b);
        buf_puts(&b, "head:");
        struct err e = {0};
        assert_int_equal(buf_read_file(&b, path, &e), 0);
        assert_int_equal(b.len, n + 5);
        assert_memory_equal(b.data, "head:", 5);
        if (n)
                assert_memory_equal(b.data + 5, want, n);
        assert_int_equal(b.data[b.len], '\0');
        /* Read again after a reset: the same bytes, nothing left over. */
        buf_reset(&b);
        assert_int_equal(buf_read_file(&b, path, &e), 0);
        assert_int_equal(b.len, n);
        if (n)
                assert_memory_equal(b.data, want, n);
        buf_release(&b);
        free(want);
        remove(path);
        test_rmdir(dir);
}

static void test_sizes(void **state)
{
        (void)state;
        /* Empty, small, exactly the first capacities, and over several 64 KiB reads. */
        size_t sizes[] = {0, 1, 63, 64, 65, 4096, 65535, 65536, 65537, 300001};
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
                check_size(sizes[i]);
}

static void test_unknown_size(void **state)
{
        (void)state;
        /* /dev/zero has no size: reading is bounded here by a pipe instead. */
        char *dir = test_tmpdir();
        char cmd[1200], path[512];
        snprintf(path, sizeof path, "%s/fifo", dir);
        snprintf(cmd, sizeof cmd, "mkfifo '%s' && (head -c 200000 /dev/zero | tr '\\0' x > '%s' &)",
                 path, path);
        assert_int_equal(system(cmd), 0);
        struct buf b;
        buf_init(&b);
        struct err e = {0};
        assert_int_equal(buf_read_file(&b, path, &e), 0);
        assert_int_equal(b.len, 200000);
        assert_int_equal(strspn(b.data, "x"), 200000);
        buf_release(&b);
        remove(path);
        test_rmdir(dir);
}

static void test_missing(void **state)
{
        (void)state;
        struct buf b;
        buf_init(&b);
        struct err e = {0};
        assert_int_equal(buf_read_file(&b, "/nonexistent/improve-test/none.csv", &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "none.csv: cannot open"));
        assert_int_equal(b.len, 0);
        buf_release(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sizes),
            cmocka_unit_test(test_unknown_size),
            cmocka_unit_test(test_missing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
