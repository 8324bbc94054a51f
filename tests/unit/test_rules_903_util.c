/*
 * test_rules_903_util.c — the code comparisons the rules share: util.h's
 * r9_streq, r9_is, r9_eq, r9_same, r9_in (space-separated list) and
 * r9_in_list (NULL-terminated list), and the CIN rules' cin_in.  They compare
 * bytes inline instead of calling strcmp/strlen/memcmp (issue 4), so each is
 * checked here against a plain reference built on the C library over every
 * pair of a set of awkward cells: blank, prefixes and extensions of codes,
 * lower case, inner and edge spaces, long values and high bytes.
 */
#include "test.h"

#include "rules/903/util.h"
#include "rules/cin/cin_rules.h"

#include <string.h>

static const char *const CELLS[] = {"",
                                    "A",
                                    "A3",
                                    "A33",
                                    "a3",
                                    "A3 ",
                                    " A3",
                                    "A3 A4",
                                    "A4",
                                    "A5",
                                    "Z1",
                                    "Z11",
                                    "Z12",
                                    "Z13",
                                    "Z1 ",
                                    "V3",
                                    "V4",
                                    "XXXXXXX",
                                    "XXXXXX",
                                    "XXXXXXXX",
                                    "XXXXXXXXY",
                                    "PN1",
                                    "PN10",
                                    "\xff",
                                    "A\xff",
                                    "N8",
                                    "U6",
                                    "S",
                                    "SS",
                                    "X1",
                                    "0123456789ABCDEF"};
#define NCELLS (sizeof CELLS / sizeof *CELLS)

/* Reference: is `s` one of the space-separated words of `list`; blank never. */
static int ref_in(const char *s, const char *list)
{
        if (!s || !*s)
                return 0;
        char buf[128];
        assert_true(strlen(list) < sizeof buf);
        strcpy(buf, list);
        char *save = NULL;
        for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
                if (strcmp(w, s) == 0)
                        return 1;
        return 0;
}

static int ref_in_list(const char *v, const char *const *list)
{
        if (!v)
                return 0;
        for (; *list; list++)
                if (strcmp(v, *list) == 0)
                        return 1;
        return 0;
}

static void test_pairs_agree_with_strcmp(void **state)
{
        (void)state;
        for (size_t i = 0; i < NCELLS; i++) {
                for (size_t j = 0; j < NCELLS; j++) {
                        int want = strcmp(CELLS[i], CELLS[j]) == 0;
                        assert_int_equal(!!r9_streq(CELLS[i], CELLS[j]), want);
                        assert_int_equal(!!r9_is(CELLS[i], CELLS[j]), want);
                        assert_int_equal(!!r9_eq(CELLS[i], CELLS[j]), want);
                        assert_int_equal(!!r9_same(CELLS[i], CELLS[j]), want);
                }
                assert_false(r9_is(NULL, CELLS[i]));
                assert_false(r9_eq(NULL, CELLS[i]));
                assert_false(r9_eq(CELLS[i], NULL));
                assert_false(r9_same(NULL, CELLS[i]));
                assert_false(r9_same(CELLS[i], NULL));
        }
        assert_true(r9_same(NULL, NULL));
        assert_false(r9_eq(NULL, NULL));
        /* case is compared as stored: the loader upper-cases codes, the helpers do not */
        assert_false(r9_is("a3", "A3"));
}

static void test_in_space_separated(void **state)
{
        (void)state;
        static const char *const LISTS[] = {"A3 A4 A5 A6", "  A3  A4 ", "Z1 Z11 Z12", "",
                                            "V3 V4",       "XXXXXXX",   "S",          "A3"};
        for (size_t l = 0; l < sizeof LISTS / sizeof *LISTS; l++) {
                for (size_t i = 0; i < NCELLS; i++)
                        assert_int_equal(!!r9_in(CELLS[i], LISTS[l]), ref_in(CELLS[i], LISTS[l]));
                assert_false(r9_in(NULL, LISTS[l]));
        }
        /* worked out by hand */
        assert_true(r9_in("A4", "A3 A4 A5 A6"));
        assert_true(r9_in("A6", "A3 A4 A5 A6"));
        assert_false(r9_in("A", "A3 A4 A5 A6"));
        assert_false(r9_in("A33", "A3 A4 A5 A6"));
        assert_false(r9_in("A3 A4", "A3 A4 A5 A6")); /* a cell with a space is no code */
        assert_false(r9_in("", "A3 A4"));
        assert_false(r9_in("", "  "));
        assert_true(r9_in("Z11", "Z1 Z11 Z12"));
        assert_false(r9_in("Z1 ", "Z1 Z11 Z12"));
}

static void test_in_list(void **state)
{
        (void)state;
        static const char *const PLACE[] = {"A3",  "A4",  "A5",  "A6",  "K1",
                                            "Z11", "Z12", "Z13", "Z14", NULL};
        static const char *const ONE[] = {"XXXXXXX", NULL};
        static const char *const EMPTY[] = {NULL};
        const char *const *lists[] = {PLACE, ONE, EMPTY};
        for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
                for (size_t i = 0; i < NCELLS; i++) {
                        int want = ref_in_list(CELLS[i], lists[l]);
                        assert_int_equal(!!r9_in_list(CELLS[i], lists[l]), want);
                        assert_int_equal(!!cin_in(CELLS[i], lists[l]), want);
                }
                assert_false(r9_in_list(NULL, lists[l]));
                assert_false(cin_in(NULL, lists[l]));
        }
        assert_true(r9_in_list("Z13", PLACE));
        assert_false(r9_in_list("Z1", PLACE));
        assert_false(r9_in_list("", PLACE)); /* blank is never a code */
        assert_false(cin_in("", PLACE));
        assert_false(r9_in_list("a3", PLACE));
        assert_true(cin_in("XXXXXXX", ONE));
        assert_false(cin_in("XXXXXXXX", ONE));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pairs_agree_with_strcmp),
            cmocka_unit_test(test_in_space_separated),
            cmocka_unit_test(test_in_list),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
