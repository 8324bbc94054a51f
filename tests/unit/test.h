/*
 * test.h — what every cmocka test file includes: cmocka's required headers in
 * the right order, and small helpers shared by the tests.
 */
#ifndef IMPROVE_TEST_H
#define IMPROVE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Directory of the shared reference data, relative to the repository root. */
#define SHARED_DATA "../shared/data"

/* Skip the current test, saying why, when the shared data is absent. */
#define SKIP_WITHOUT_SHARED(path)                                                                  \
        do {                                                                                       \
                if (access((path), R_OK) != 0) {                                                   \
                        print_message("skipped: %s is absent (needs ../shared/data)\n", (path));   \
                        skip();                                                                    \
                }                                                                                  \
        } while (0)

/* A fresh temporary directory under /tmp; the caller removes it with test_rmdir. */
static inline char *test_tmpdir(void)
{
        char tmpl[] = "/tmp/improve-test-XXXXXX";
        char *d = mkdtemp(tmpl);
        assert_non_null(d);
        char *copy = malloc(strlen(d) + 1);
        assert_non_null(copy);
        strcpy(copy, d);
        return copy;
}

static inline void test_rmdir(char *dir)
{
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
        free(dir);
}

#endif
