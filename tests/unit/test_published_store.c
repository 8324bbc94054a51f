/*
 * test_published_store.c — the "published statistics and populations"
 * section of the store (src/store/store_sqlite_published.c): bulk writes,
 * lookups by LA/indicator/year, listing all LAs, replacing a source,
 * symbols kept as symbols, duplicates refused, populations by year.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>

struct fixture {
        char *dir;
        char path[512];
        struct store *s;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/p.db", f->dir);
        struct err e = {0};
        f->s = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->s);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

static const char *const SRC = "c1_children_in_need_referrals_and_rereferrals";
static const char *const CAT = "category=Referrals and Re-referrals";

/* Put one value: a number, or a symbol when sym is not NULL. */
static void put(struct store_published_writer *w, const char *indicator, enum store_geo level,
                const char *area, int year, const char *text, const char *sym)
{
        struct store_published v = {
            .key = {SRC, indicator, CAT},
            .level = level,
            .area = area,
            .region_code = level == STORE_GEO_LA ? "E13000001" : NULL,
            .year = year,
            .time_period = year == 2025 ? "2025" : "2024",
            .period_end = year == 2025 ? "2025-03-31" : "2024-03-31",
            .text = text,
            .symbol = sym,
            .value = sym ? 0 : atof(text),
        };
        struct err e = {0};
        if (store_published_put(w, &v, &e))
                print_error("%s\n", e.msg);
        assert_int_equal(e.code, 0);
}

static void load(struct store *s)
{
        struct err e = {0};
        struct store_published_writer *w;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_published_writer_open(s, 0, &w, &e), 0);
        assert_int_equal(store_published_clear(w, SRC, &e), 0);
        put(w, "rereferral_percent", STORE_GEO_NATIONAL, "E92000001", 2025, "22.6", NULL);
        put(w, "rereferral_percent", STORE_GEO_REGIONAL, "E13000001", 2025, "19.1", NULL);
        put(w, "rereferral_percent", STORE_GEO_LA, "202", 2025, "18.3", NULL);
        put(w, "rereferral_percent", STORE_GEO_LA, "201", 2025, "c", "c");
        put(w, "rereferral_percent", STORE_GEO_LA, "203", 2025, "", "");
        put(w, "rereferral_percent", STORE_GEO_LA, "202", 2024, "20.1", NULL);
        put(w, "referral_count", STORE_GEO_LA, "202", 2025, "2086", NULL);
        store_published_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);
}

static void test_get_and_symbols(void **state)
{
        struct fixture *f = *state;
        load(f->s);
        struct err e = {0};
        struct store_published v;
        char pool[512];
        struct store_published_key k = {SRC, "rereferral_percent", CAT};
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "202", 2025, &v, pool, sizeof pool, &e), 1);
        assert_null(v.symbol);
        assert_true(v.value == 18.3);
        assert_string_equal(v.text, "18.3");
        assert_string_equal(v.period_end, "2025-03-31");
        assert_string_equal(v.region_code, "E13000001");
        assert_string_equal(v.key.filters, CAT);
        assert_null(v.joint);
        /* filters NULL: the only series of that indicator */
        k.filters = NULL;
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "202", 2024, &v, pool, sizeof pool, &e), 1);
        assert_true(v.value == 20.1);
        /* symbols come back as symbols, never numbers */
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "201", 2025, &v, pool, sizeof pool, &e), 1);
        assert_string_equal(v.symbol, "c");
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "203", 2025, &v, pool, sizeof pool, &e), 1);
        assert_string_equal(v.symbol, "");
        /* not there: another year, another level, another indicator, a too-small pool */
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "202", 2023, &v, pool, sizeof pool, &e), 0);
        assert_int_equal(store_published_get(f->s, &k, STORE_GEO_REGIONAL, "202", 2025, &v, pool,
                                             sizeof pool, &e),
                         0);
        struct store_published_key other = {SRC, "no_such_column", NULL};
        assert_int_equal(
            store_published_get(f->s, &other, STORE_GEO_LA, "202", 2025, &v, pool, sizeof pool, &e),
            0);
        assert_int_equal(store_published_get(f->s, &k, STORE_GEO_LA, "202", 2025, &v, pool, 8, &e),
                         -1);
        assert_int_equal(e.code, EXIT_INTERNAL);
}

struct listing {
        char text[512];
};

static int list_one(void *ctx, const struct store_published *v)
{
        struct listing *l = ctx;
        size_t n = strlen(l->text);
        snprintf(l->text + n, sizeof l->text - n, "%s=%s%s ", v->area, v->symbol ? "sym:" : "",
                 v->symbol ? v->symbol : v->text);
        return 0;
}

static void test_each_and_count(void **state)
{
        struct fixture *f = *state;
        load(f->s);
        struct err e = {0};
        struct listing l = {""};
        struct store_published_key k = {SRC, "rereferral_percent", CAT};
        assert_int_equal(store_published_each(f->s, &k, STORE_GEO_LA, 2025, list_one, &l, &e), 0);
        assert_string_equal(l.text, "201=sym:c 202=18.3 203=sym: ");
        l.text[0] = '\0';
        assert_int_equal(store_published_each(f->s, &k, STORE_GEO_NATIONAL, 2025, list_one, &l, &e),
                         0);
        assert_string_equal(l.text, "E92000001=22.6 ");
        int64_t n;
        assert_int_equal(store_published_count(f->s, SRC, &n, &e), 0);
        assert_int_equal(n, 7);
        assert_int_equal(store_published_count(f->s, NULL, &n, &e), 0);
        assert_int_equal(n, 7);
        assert_int_equal(store_published_count(f->s, "other", &n, &e), 0);
        assert_int_equal(n, 0);
}

static void test_replace_ambiguous_duplicate(void **state)
{
        struct fixture *f = *state;
        load(f->s);
        load(f->s); /* importing the source again replaces it: still 7 values */
        struct err e = {0};
        int64_t n;
        assert_int_equal(store_published_count(f->s, SRC, &n, &e), 0);
        assert_int_equal(n, 7);

        /* a second series of the same column under other filters: NULL filters is ambiguous */
        struct store_published_writer *w;
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_published_writer_open(f->s, 0, &w, &e), 0);
        struct store_published v = {.key = {SRC, "rereferral_percent", "category=Other"},
                                    .level = STORE_GEO_LA,
                                    .area = "202",
                                    .year = 2025,
                                    .time_period = "2025",
                                    .period_end = "2025-03-31",
                                    .text = "1",
                                    .value = 1};
        assert_int_equal(store_published_put(w, &v, &e), 0);
        /* the same place, year and filters twice is an input error */
        assert_int_equal(store_published_put(w, &v, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "a second local authority row for 202 in 2025"));
        store_published_writer_close(w);
        store_rollback(f->s);

        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_published_writer_open(f->s, 0, &w, &e), 0);
        assert_int_equal(store_published_put(w, &v, &e), 0);
        store_published_writer_close(w);
        assert_int_equal(store_commit(f->s, &e), 0);
        struct store_published out;
        char pool[512];
        struct store_published_key k = {SRC, "rereferral_percent", NULL};
        err_clear(&e);
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "202", 2025, &out, pool, sizeof pool, &e),
            -1);
        assert_non_null(strstr(e.msg, "several series match"));
        k.filters = "category=Other";
        assert_int_equal(
            store_published_get(f->s, &k, STORE_GEO_LA, "202", 2025, &out, pool, sizeof pool, &e),
            1);
        assert_true(out.value == 1);
}

static void test_schema_refuses_number_and_symbol(void **state)
{
        struct fixture *f = *state;
        load(f->s);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        /* a value that is both a number and a symbol, or neither, or an unknown symbol */
        const char *bad[] = {
            "INSERT INTO published_values (series, year, level, area, time_period, period_end, "
            "value_text, value, symbol) VALUES (1, 2030, 'la', '202', '2030', '2030-03-31', "
            "'5', 5, 'c')",
            "INSERT INTO published_values (series, year, level, area, time_period, period_end, "
            "value_text, value, symbol) VALUES (1, 2031, 'la', '202', '2031', '2031-03-31', "
            "'5', NULL, NULL)",
            "INSERT INTO published_values (series, year, level, area, time_period, period_end, "
            "value_text, value, symbol) VALUES (1, 2032, 'la', '202', '2032', '2032-03-31', "
            "'q', NULL, 'q')",
            "INSERT INTO published_values (series, year, level, area, time_period, period_end, "
            "value_text, value, symbol) VALUES (1, 2033, 'ward', '202', '2033', '2033-03-31', "
            "'5', 5, NULL)",
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
                assert_int_not_equal(sqlite3_exec(db, bad[i], NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
}

static void test_populations(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        int64_t p = 0;
        assert_int_equal(store_population_put(f->s, "E92000001", 2025, 12183016, "ons", 0, &e), 0);
        assert_int_equal(store_population_put(f->s, "202", 2025, 35276, "ons", 0, &e), 0);
        assert_int_equal(store_population_get(f->s, "E92000001", 2025, &p, &e), 1);
        assert_int_equal(p, 12183016);
        assert_int_equal(store_population_get(f->s, "202", 2025, &p, &e), 1);
        assert_int_equal(p, 35276);
        /* no estimate for that year: not available, never another year's */
        assert_int_equal(store_population_get(f->s, "202", 2024, &p, &e), 0);
        /* a later import replaces the figure */
        assert_int_equal(store_population_put(f->s, "202", 2025, 35300, "synthetic", 0, &e), 0);
        assert_int_equal(store_population_get(f->s, "202", 2025, &p, &e), 1);
        assert_int_equal(p, 35300);
        /* negative populations are refused by the schema */
        assert_int_equal(store_population_put(f->s, "203", 2025, -1, "x", 0, &e), -1);
        assert_int_equal(e.code, EXIT_INTERNAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_get_and_symbols, setup, teardown),
            cmocka_unit_test_setup_teardown(test_each_and_count, setup, teardown),
            cmocka_unit_test_setup_teardown(test_replace_ambiguous_duplicate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_schema_refuses_number_and_symbol, setup, teardown),
            cmocka_unit_test_setup_teardown(test_populations, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
