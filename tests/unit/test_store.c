/* test_store.c — the store interface on SQLite: create, migrate, refuse, backup, audit. */
#include "test.h"

#include "core/err.h"
#include "store/store.h"

#include <sqlite3.h>

static char *path_in(const char *dir, const char *name)
{
        static char buf[4][512];
        static int k;
        k = (k + 1) % 4;
        snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
        return buf[k];
}

static void exec_raw(const char *path, const char *sql, int want_ok)
{
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (want_ok)
                assert_int_equal(rc, SQLITE_OK);
        else
                assert_int_not_equal(rc, SQLITE_OK);
        sqlite3_close(db);
}

static long long query_raw(const char *path, const char *sql)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
}

static void test_create_and_reopen(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        const char *db = path_in(dir, "a.db");
        struct err e = {0};
        /* Without STORE_CREATE a missing file is an input error that names the fix. */
        assert_null(store_open(db, 0, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "improve init"));

        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_int_equal(store_migrations_applied(s), store_schema_latest());
        assert_string_equal(store_backend(s), "sqlite");
        store_close(s);

        s = store_open(db, 0, &e);
        assert_non_null(s);
        assert_int_equal(store_migrations_applied(s), 0);
        store_close(s);

        /* WAL mode, migrations recorded, tables STRICT. */
        assert_int_equal(query_raw(db, "SELECT count(*) FROM schema_migrations"),
                         store_schema_latest());
        assert_int_equal(query_raw(db, "SELECT count(*) FROM pragma_journal_mode WHERE "
                                       "journal_mode = 'wal'"),
                         1);
        assert_int_equal(query_raw(db, "SELECT count(*) FROM pragma_table_list WHERE name = "
                                       "'authorities' AND strict = 1"),
                         1);
        /* STRICT really rejects a wrong type. */
        exec_raw(
            db, "INSERT INTO imports (kind, user, started_at, year) VALUES ('x','u','t','abc')", 0);
        test_rmdir(dir);
}

static void test_refuse_newer_and_foreign(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        const char *db = path_in(dir, "b.db");
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        store_close(s);
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 5);
        exec_raw(db, sql, 1);
        assert_null(store_open(db, 0, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "newer version of improve"));
        /* The refused file is untouched. */
        assert_int_equal(query_raw(db, "PRAGMA user_version"), store_schema_latest() + 5);

        /* Somebody else's SQLite database is refused, not migrated. */
        const char *other = path_in(dir, "other.db");
        exec_raw(other, "CREATE TABLE t (x)", 1);
        assert_null(store_open(other, STORE_CREATE, &e));
        assert_non_null(strstr(e.msg, "not an improve database"));
        assert_int_equal(query_raw(other, "SELECT count(*) FROM sqlite_schema"), 1);

        /* A file that is not SQLite at all. */
        const char *junk = path_in(dir, "junk.db");
        FILE *f = fopen(junk, "w");
        assert_non_null(f);
        fputs("this is not a database, just some text that is long enough to matter\n", f);
        fclose(f);
        assert_null(store_open(junk, 0, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "not an improve database"));
        test_rmdir(dir);
}

static int count_cb(void *ctx, const struct store_authority *a)
{
        int *n = ctx;
        (*n)++;
        if (strcmp(a->code, "202") == 0) {
                assert_string_equal(a->name, "Camden");
                assert_string_equal(a->neighbours[0], "206");
                assert_string_equal(a->neighbours[1], "");
        }
        return 0;
}

static void test_authorities(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        struct err e = {0};
        struct store *s = store_open(path_in(dir, "c.db"), STORE_CREATE, &e);
        assert_non_null(s);
        struct store_authority a = {.code = "202",
                                    .ecode = "E09000007",
                                    .name = "Camden",
                                    .region_code = "E13000001",
                                    .region_name = "Inner London"};
        static const char *const sn[STORE_NEIGHBOURS] = {"206", "207", "208", "209", "210",
                                                         "211", "212", "213", "214", "215"};
        for (int i = 0; i < STORE_NEIGHBOURS; i++)
                memcpy(a.neighbours[i], sn[i], 4);
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_authority_put(s, &a, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);

        struct store_authority got;
        char pool[512];
        assert_int_equal(store_authority_get(s, "202", &got, pool, sizeof pool, &e), 1);
        assert_string_equal(got.ecode, "E09000007");
        assert_string_equal(got.region_name, "Inner London");
        assert_string_equal(got.neighbours[9], "215");
        assert_int_equal(store_authority_get(s, "999", &got, pool, sizeof pool, &e), 0);

        /* Replacing keeps one row and replaces the neighbours. */
        for (int i = 1; i < STORE_NEIGHBOURS; i++)
                a.neighbours[i][0] = '\0';
        assert_int_equal(store_authority_put(s, &a, &e), 0);
        int n = 0;
        assert_int_equal(store_authority_each(s, count_cb, &n, &e), 0);
        assert_int_equal(n, 1);

        /* A bad code is refused by the schema. */
        struct store_authority bad = {.code = "20X", .ecode = "", .name = "x"};
        assert_int_equal(store_authority_put(s, &bad, &e), -1);
        assert_int_equal(e.code, EXIT_INTERNAL);

        /* A rolled-back transaction leaves nothing behind. */
        struct store_authority b = {.code = "203", .ecode = "E09000008", .name = "Croydon"};
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_authority_put(s, &b, &e), 0);
        store_rollback(s);
        assert_int_equal(store_authority_get(s, "203", &got, pool, sizeof pool, &e), 0);
        store_close(s);
        test_rmdir(dir);
}

static void test_imports_and_audit(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        const char *db = path_in(dir, "d.db");
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        struct store_import imp = {.kind = "ssda903", .la = "202", .year = 2026, .user = "ana"};
        int64_t id = 0;
        assert_int_equal(store_import_begin(s, &imp, &id, &e), 0);
        assert_true(id > 0);
        assert_int_equal(store_import_file(s, id, "episodes.csv",
                                           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
                                           "95991b7852b855",
                                           0, &e),
                         0);
        assert_int_equal(store_import_file(s, id, "bad.csv", "abc", 0, &e), -1);
        assert_int_equal(store_import_finish(s, id, "ok", "{\"episodes\":0}", &e), 0);
        assert_int_equal(store_import_finish(s, id + 100, "ok", "{}", &e), -1);
        assert_int_equal(store_import_finish(s, id, "weird", "{}", &e), -1);

        struct store_audit a = {.user = "ana",
                                .action = "view-children",
                                .la = "202",
                                .detail = "measure cla_rate_per_10k",
                                .children = "C1,C2"};
        assert_int_equal(store_audit_append(s, &a, &e), 0);
        assert_int_equal(store_audit_append(s, &a, &e), 0);
        int64_t n;
        assert_int_equal(store_audit_count(s, &n, &e), 0);
        assert_int_equal(n, 2);
        store_close(s);
        /* Append-only: UPDATE and DELETE are refused by the schema itself. */
        exec_raw(db, "UPDATE audit_log SET user = 'mallory'", 0);
        exec_raw(db, "DELETE FROM audit_log", 0);
        assert_int_equal(query_raw(db, "SELECT count(*) FROM audit_log WHERE user = 'ana'"), 2);
        assert_int_equal(query_raw(db, "SELECT count(*) FROM imports WHERE status = 'ok'"), 1);
        test_rmdir(dir);
}

static void test_backup(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        const char *db = path_in(dir, "e.db");
        const char *copy = path_in(dir, "copy.db");
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        assert_non_null(s);
        assert_int_equal(store_begin(s, &e), 0);
        for (int i = 0; i < 500; i++) {
                struct store_audit a = {.user = "u", .action = "test", .detail = "row"};
                assert_int_equal(store_audit_append(s, &a, &e), 0);
        }
        assert_int_equal(store_commit(s, &e), 0);
        /* A second connection holds an open write transaction while we back up. */
        struct store *writer = store_open(db, 0, &e);
        assert_non_null(writer);
        assert_int_equal(store_begin(writer, &e), 0);
        struct store_audit extra = {.user = "u", .action = "uncommitted"};
        assert_int_equal(store_audit_append(writer, &extra, &e), 0);

        assert_int_equal(store_backup(s, copy, NULL, NULL, &e), 0);
        store_rollback(writer);
        store_close(writer);
        store_close(s);
        /* The copy is a complete improve database without the uncommitted row. */
        assert_int_equal(query_raw(copy, "SELECT count(*) FROM audit_log"), 500);
        assert_int_equal(query_raw(copy, "PRAGMA user_version"), store_schema_latest());
        assert_int_equal(query_raw(copy, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                         "integrity_check = 'ok'"),
                         1);
        assert_int_equal(query_raw(copy, "SELECT count(*) FROM pragma_journal_mode WHERE "
                                         "journal_mode = 'delete'"),
                         1);
        s = store_open(copy, 0, &e);
        assert_non_null(s);
        store_close(s);
        /* Backing up into a directory that does not exist fails cleanly. */
        s = store_open(db, 0, &e);
        assert_int_equal(store_backup(s, path_in(dir, "no/such/dir/x.db"), NULL, NULL, &e), -1);
        assert_int_not_equal(e.code, 0);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_create_and_reopen),
            cmocka_unit_test(test_refuse_newer_and_foreign),
            cmocka_unit_test(test_authorities),
            cmocka_unit_test(test_imports_and_audit),
            cmocka_unit_test(test_backup),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
