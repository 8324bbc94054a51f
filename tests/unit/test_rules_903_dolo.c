/*
 * test_rules_903_dolo.c — the SSDA903 deprivation of liberty order rules
 * (dolo.c, 2026/27 set only): dates (700–704, 708), overlaps (705), last
 * year's open orders (706), orders left open after care (707) and
 * placements during an order (709, 710).
 *
 * Worked out by hand for the 2026/27 set (2027: 01/04/2026 to 31/03/2027).
 */
#include "rules903_test.h"

#define T(...)    ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) (const long[]){__VA_ARGS__}, sizeof((const long[]){__VA_ARGS__}) / sizeof(long)
#define NONE      NULL, NULL, 0

/* DoLo row: child, then DOLO_START, DOLO_END. */
#define DL(id, items) id ",01/01/2012," items "\n"

static void check(int year, const char *code, const char *const *now, const char *const *last,
                  const char *table, const long *rows, size_t n)
{
        struct r903 t;
        r903_begin(&t, year);
        for (; now && *now; now++)
                r903_table(&t, *now);
        for (; last && *last; last++)
                r903_last(&t, *last);
        r903_check(&t, code);
        if (n == 0)
                r903_expect_none(&t);
        else
                r903_expect_rows(&t, table, rows, n);
        r903_end(&t);
}

static void test_sets(void **state)
{
        (void)state;
        static const char *const codes[] = {"700", "701", "702", "703", "704", "705",
                                            "706", "707", "708", "709", "710"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                for (int y = 2023; y <= 2026; y++)
                        assert_null(rules_find(RULES_903, y, codes[i]));
                assert_non_null(rules_find(RULES_903, 2027, codes[i]));
        }
        assert_true(rules_find(RULES_903, 2027, "706")->needs & RULE_NEEDS_LAST_YEAR);
}

/* ---------------------------------------------------------------- dates */

static void test_700_701(void **state)
{
        (void)state;
        const char *dl = R903_DOLO DL("A", ",") DL("B", "31/02/2027,")
            DL("C", "01/05/2026,2026/12/10") DL("D", "01/05/2026,01/06/2026");
        check(2027, "700", T(dl), NULL, "DoLo", ROWS(1, 2));
        check(2027, "701", T(dl), NULL, "DoLo", ROWS(3));
}

static void test_702(void **state)
{
        (void)state;
        check(2027, "702",
              T(R903_DOLO DL("A", "01/06/2026,01/05/2026") DL("B", "01/06/2026,01/06/2026")
                    DL("C", "01/06/2026,02/06/2026") DL("D", "01/06/2026,")),
              NULL, "DoLo", ROWS(1));
}

static void test_703_704(void **state)
{
        (void)state;
        check(2027, "703", T(R903_DOLO DL("A", "01/04/2027,") DL("B", "31/03/2027,")), NULL, "DoLo",
              ROWS(1));
        check(2027, "704",
              T(R903_DOLO DL("A", "01/01/2026,31/03/2026") DL("B", "01/01/2026,01/04/2027")
                    DL("C", "01/01/2026,01/04/2026") DL("D", "01/01/2026,")),
              NULL, "DoLo", ROWS(1, 2));
}

static void test_708(void **state)
{
        (void)state;
        check(2027, "708",
              T(R903_DOLO DL("A", "01/01/2012,") DL("B", "31/12/2011,") DL("C", "02/01/2012,")),
              NULL, "DoLo", ROWS(1, 2));
        /* DoLo's DOB blank: Header's is used. */
        check(2027, "708",
              T(R903_HEADER "A,F,01/06/2026,WBRI,UN1,,\n", R903_DOLO "A,,01/05/2026,\n"), NULL,
              "DoLo", ROWS(1));
}

/* ---------------------------------------------------------------- overlaps and last year */

static void test_705(void **state)
{
        (void)state;
        check(2027, "705",
              T(R903_DOLO DL("A", "01/08/2026,") DL("A", "01/05/2026,")
                    DL("B", "01/05/2026,01/07/2026") DL("B", "15/06/2026,") DL("C", "01/07/2026,")
                        DL("C", "01/05/2026,01/07/2026") DL("D", "01/05/2026,")),
              NULL, "DoLo", ROWS(1, 4));
}

static void test_706(void **state)
{
        (void)state;
        check(2027, "706",
              T(R903_DOLO DL("A", "01/02/2026,") DL("B", "05/03/2026,"),
                R903_EPISODES "E,01/01/2026,S,C2,N1,K2,PR4,,,,,,\n"),
              T(R903_DOLO DL("A", "01/02/2026,") DL("B", "01/03/2026,")
                    DL("C", "01/01/2026,01/03/2026") DL("D", "01/02/2026,") DL("E", "01/01/2026,")),
              "DoLo_last", ROWS(2, 5));
        check(2027, "706", T(R903_DOLO DL("A", "01/02/2026,01/06/2026")),
              T(R903_DOLO DL("A", "01/02/2026,")), NONE);
}

static void test_707(void **state)
{
        (void)state;
        check(2027, "707",
              T(R903_EPISODES "A,01/01/2026,S,C2,N1,K2,PR4,01/06/2026,X1,,,,\n"
                              "A,01/06/2026,P,C2,N1,K2,PR4,01/02/2027,E13,,,,\n"
                              "B,01/01/2026,S,C2,N1,K2,PR4,,,,,,\n"
                              "C,01/01/2026,S,C2,N1,K2,PR4,01/02/2027,E13,,,,\n",
                R903_DOLO DL("A", "01/05/2026,") DL("B", "01/05/2026,")
                    DL("C", "01/05/2026,01/06/2026") DL("D", "01/05/2026,")),
              NULL, "DoLo", ROWS(1));
}

/* ---------------------------------------------------------------- placements */

/* A: from U6 to K2 the day the order starts.  B: R1.  C: the order ends the day P1 starts.
 * D: Z12.  E: P1.  F: K3 ends before the order starts. */
#define PLACEMENTS                                                                                 \
        R903_EPISODES "A,01/01/2026,S,C2,N1,U6,PR1,01/06/2026,X1,,,,\n"                            \
                      "A,01/06/2026,P,C2,N1,K2,PR4,,,,,,\n"                                        \
                      "B,01/01/2026,S,C2,N1,R1,PR3,,,,,,\n"                                        \
                      "C,01/01/2026,S,C2,N1,K2,PR4,01/05/2026,X1,,,,\n"                            \
                      "C,01/05/2026,P,C2,N1,P1,PR0,,,,,,\n"                                        \
                      "D,01/01/2026,S,C2,N1,Z12,PR4,,,,,,\n"                                       \
                      "E,01/01/2026,S,C2,N1,P1,PR0,,,,,,\n"                                        \
                      "F,01/01/2026,S,C2,N1,K3,PR4,01/03/2026,X1,,,,\n"                            \
                      "F,01/03/2026,P,C2,N1,K2,PR4,,,,,,\n"
#define ORDERS                                                                                     \
        R903_DOLO DL("A", "01/06/2026,") DL("B", "01/05/2026,01/07/2026")                          \
            DL("C", "01/02/2026,01/05/2026") DL("D", "01/05/2026,") DL("E", "01/05/2026,")         \
                DL("F", "01/04/2026,")

static void test_709(void **state)
{
        (void)state;
        check(2027, "709", T(PLACEMENTS, ORDERS), NULL, "DoLo", ROWS(2, 5));
}

static void test_710(void **state)
{
        (void)state;
        struct r903 t;
        r903_begin(&t, 2027);
        r903_table(&t, PLACEMENTS);
        r903_table(&t, ORDERS);
        assert_int_equal(r903_check(&t, "710"), 2);
        int dolo = 0, ep = 0;
        for (size_t i = 0; i < t.res.n; i++) {
                if (strcmp(t.res.f[i].table, "DoLo") == 0 && t.res.f[i].row == 5)
                        dolo++;
                if (strcmp(t.res.f[i].table, "Episodes") == 0 && t.res.f[i].row == 7)
                        ep++;
        }
        assert_int_equal(dolo, 1);
        assert_int_equal(ep, 1);
        r903_end(&t);
        check(2027, "710",
              T(R903_EPISODES "D,01/01/2026,S,C2,N1,Z12,PR4,,,,,,\n",
                R903_DOLO DL("D", "01/05/2026,")),
              NULL, NONE);
}

/* Odd data: blank CHILD, invalid dates, empty tables, no Header: nothing crashes. */
static void test_odd_data(void **state)
{
        (void)state;
        static const char *const codes[] = {"701", "702", "703", "704", "705",
                                            "706", "707", "708", "709", "710"};
        for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
                struct r903 t;
                r903_begin(&t, 2027);
                r903_table(&t, R903_EPISODES
                           ",99/99/2026,S,,,,,,,,,,\nA,01/01/2026,S,,,,,31/02/2027,,,,,\n");
                r903_table(&t, R903_DOLO ",,,\nA,,99/99/2026,\n");
                r903_last(&t, R903_DOLO "A,,32/01/2026,\n");
                assert_int_equal(r903_check(&t, codes[i]), 0);
                r903_end(&t);
        }
        check(2027, "705", T(R903_DOLO), NULL, NONE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sets),     cmocka_unit_test(test_700_701),
            cmocka_unit_test(test_702),      cmocka_unit_test(test_703_704),
            cmocka_unit_test(test_708),      cmocka_unit_test(test_705),
            cmocka_unit_test(test_706),      cmocka_unit_test(test_707),
            cmocka_unit_test(test_709),      cmocka_unit_test(test_710),
            cmocka_unit_test(test_odd_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
