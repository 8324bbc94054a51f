/*
 * test_store_generation.c — the content generation behind the web's page
 * caches (store_web.h): bookkeeping writes (a session made, touched or ended,
 * a failed sign-in, an audit row alone) leave the stamp alone; every kind of
 * content write moves it, as seen from another connection on the same file
 * (another worker, or `improve import` in another process); a rolled-back
 * transaction does not; and a write that would change content without
 * moving it is refused rather than committed.
 *
 * Each bookkeeping write is also checked to have happened, so "the stamp did
 * not move" cannot pass because nothing was written.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "store/store_web.h"

#include <sqlite3.h>

#define SHA_ZERO "0000000000000000000000000000000000000000000000000000000000000000"

struct fixture {
        char *dir;
        char path[512];
        struct store *reader; /* the web worker whose stamp is watched */
        struct store *writer; /* another connection on the same file */
        struct store_user user;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/gen.db", f->dir);
        struct err e = {0};
        f->writer = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->writer);
        struct store_authority a = {.code = "901", .name = "Aldrwick"};
        assert_int_equal(store_authority_put(f->writer, &a, &e), 0);
        snprintf(f->user.email, sizeof f->user.email, "analyst@901.test");
        snprintf(f->user.la, sizeof f->user.la, "901");
        snprintf(f->user.role, sizeof f->user.role, "analyst");
        snprintf(f->user.pwhash, sizeof f->user.pwhash, "x");
        assert_int_equal(store_user_add(f->writer, &f->user, &f->user.id, &e), 0);
        f->reader = store_open(f->path, 0, &e);
        assert_non_null(f->reader);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->reader);
        store_close(f->writer);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

static int64_t stamp(struct store *s)
{
        struct err e = {0};
        struct store_stamp st;
        assert_int_equal(store_data_stamp(s, &st, &e), 0);
        assert_true(st.generation >= 0);
        return st.generation;
}

static void test_bookkeeping_keeps_stamp(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        int64_t before = stamp(f->reader);
        assert_int_equal(stamp(f->writer), before);

        /* A session made, touched (the web's "last seen" every 60 s), ended, pruned. */
        unsigned char key[STORE_SESSION_KEY];
        memset(key, 7, sizeof key);
        struct store_session sv = {.user_id = f->user.id, .created = 1000, .last_seen = 1000};
        snprintf(sv.csrf, sizeof sv.csrf, "token");
        assert_int_equal(store_session_put(f->writer, key, &sv, &e), 0);
        assert_int_equal(store_session_touch(f->writer, key, 1061, &e), 0);
        struct store_session got;
        assert_int_equal(store_session_get(f->reader, key, &got, &e), 1);
        assert_int_equal(got.last_seen, 1061);
        assert_int_equal(stamp(f->reader), before);

        /* Failed sign-ins recorded, counted, pruned and cleared. */
        assert_int_equal(store_login_failure_add(f->writer, "x@901.test", "10.0.0.1", 2000, &e), 0);
        assert_int_equal(store_login_failure_add(f->writer, "x@901.test", "10.0.0.1", 2001, &e), 0);
        int64_t by_email = 0, by_address = 0;
        assert_int_equal(store_login_failure_count(f->reader, "x@901.test", "10.0.0.1", 0,
                                                   &by_email, &by_address, &e),
                         0);
        assert_int_equal(by_email, 2);
        assert_int_equal(stamp(f->reader), before);
        assert_int_equal(store_login_failure_prune(f->writer, 2001, &e), 0);
        assert_int_equal(store_login_failure_clear(f->writer, "x@901.test", &e), 0);
        assert_int_equal(store_login_failure_count(f->reader, "x@901.test", "10.0.0.1", 0,
                                                   &by_email, &by_address, &e),
                         0);
        assert_int_equal(by_email, 0);

        /* A page view audited (the web does this outside a transaction), and a transaction
         * holding only bookkeeping (an audit row and a session touch). */
        int64_t audits0;
        assert_int_equal(store_audit_count(f->reader, &audits0, &e), 0);
        struct store_audit au = {
            .user = f->user.email, .action = "view-children", .la = "901", .children = "C1,C2"};
        assert_int_equal(store_audit_append(f->writer, &au, &e), 0);
        assert_int_equal(store_begin(f->writer, &e), 0);
        assert_int_equal(store_audit_append(f->writer, &au, &e), 0);
        assert_int_equal(store_session_touch(f->writer, key, 1200, &e), 0);
        assert_int_equal(store_commit(f->writer, &e), 0);
        int64_t audits1;
        assert_int_equal(store_audit_count(f->reader, &audits1, &e), 0);
        assert_int_equal(audits1, audits0 + 2);
        assert_int_equal(store_session_get(f->reader, key, &got, &e), 1);
        assert_int_equal(got.last_seen, 1200);

        assert_int_equal(store_session_delete(f->writer, key, &e), 0);
        assert_int_equal(store_session_prune(f->writer, 0, 0, &e), 0);
        assert_int_equal(store_session_get(f->reader, key, &got, &e), 0);
        assert_int_equal(stamp(f->reader), before);
        assert_int_equal(stamp(f->writer), before);
}

/* Run one content write through f->writer and require the reader's stamp to move. */
#define MOVES(what, call)                                                                          \
        do {                                                                                       \
                int64_t was_ = stamp(f->reader);                                                   \
                assert_true((call) >= 0);                                                          \
                int64_t now_ = stamp(f->reader);                                                   \
                if (now_ <= was_)                                                                  \
                        fail_msg("%s did not move the stamp (%lld -> %lld)", what,                 \
                                 (long long)was_, (long long)now_);                                \
        } while (0)

static void test_content_moves_stamp(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct store *w = f->writer;

        /* Admin changes: authority settings, users (added, disabled, password reset). */
        struct store_authority a = {
            .code = "901", .ecode = "E06000901", .name = "Aldrwick Council"};
        MOVES("authority put", store_authority_put(w, &a, &e));
        struct store_user u = {0};
        snprintf(u.email, sizeof u.email, "leader@901.test");
        snprintf(u.la, sizeof u.la, "901");
        snprintf(u.role, sizeof u.role, "leader");
        snprintf(u.pwhash, sizeof u.pwhash, "x");
        MOVES("user add", store_user_add(w, &u, &u.id, &e));
        MOVES("user disable", store_user_set_disabled(w, u.id, 1, &e));
        MOVES("user reset", store_user_set_pwhash(w, u.id, "y", &e));

        /* An import: its record, values and benchmarks, as `improve import` writes them. */
        int64_t before = stamp(f->reader);
        assert_int_equal(store_begin(w, &e), 0);
        int64_t id;
        struct store_import imp = {.kind = "cin", .la = "901", .year = 2026, .user = "cli"};
        assert_int_equal(store_import_begin(w, &imp, &id, &e), 0);
        struct store_measure_writer *mw;
        assert_int_equal(store_measure_writer_open(w, &mw, &e), 0);
        struct store_measure_value v = {
            .la = "901",
            .measure = "rereferrals_12m_pct",
            .period = "year",
            .period_end = "2026-03-31",
            .year = 2026,
            .source = "cin",
            .has_numerator = 1,
            .has_denominator = 1,
            .has_value = 1,
            .numerator = 45,
            .denominator = 180,
            .value = 25.0,
            .note = "",
        };
        assert_int_equal(store_measure_put(mw, &v, &e), 0);
        store_measure_writer_close(mw);
        assert_int_equal(store_import_finish(w, id, "ok", "{}", &e), 0);
        /* Not yet committed: the reader sees neither the values nor a new stamp. */
        assert_int_equal(stamp(f->reader), before);
        assert_int_equal(store_commit(w, &e), 0);
        assert_true(stamp(f->reader) > before);

        /* Import records written one by one outside a transaction (each opens its own). */
        MOVES("import begin", store_import_begin(w, &imp, &id, &e));
        MOVES("import file", store_import_file(w, id, "cin.xml", SHA_ZERO, 10, &e));
        MOVES("import finish", store_import_finish(w, id, "failed", "{}", &e));

        /* Recompute's pieces, benchmarks, years, populations. */
        MOVES("year mark", store_measure_year_mark(w, 2026, &e));
        MOVES("year fresh", store_measure_year_fresh(w, 2026, &e));
        MOVES("population", store_population_put(w, "E06000001", 2026, 1000, "ons", 0, &e));
        before = stamp(f->reader);
        assert_int_equal(store_begin(w, &e), 0);
        struct store_bench_writer *bw;
        assert_int_equal(store_bench_writer_open(w, &bw, &e), 0);
        struct store_measure_bench b = {.la = "901",
                                        .year = 2026,
                                        .measure = "rereferrals_12m_pct",
                                        .has_england = 1,
                                        .england = 21.0,
                                        .region_source = "computed",
                                        .england_source = "published",
                                        .note = ""};
        assert_int_equal(store_bench_put(bw, &b, &e), 0);
        store_bench_writer_close(bw);
        assert_int_equal(store_commit(w, &e), 0);
        assert_true(stamp(f->reader) > before);
        MOVES("benchmarks clear", store_bench_clear(w, 2026, &e));
        /* Clearing again deletes nothing: nothing a page shows changed, and the stamp stays. */
        before = stamp(f->reader);
        assert_int_equal(store_bench_clear(w, 2026, &e), 0);
        assert_int_equal(stamp(f->reader), before);
        MOVES("measure delete", store_measure_delete(w, "901", "cin", 0, &e));

        /* Targets set, changed and deleted; events added. */
        struct store_target t = {
            .la = "901", .measure = "rereferrals_12m_pct", .value = 20, .user = "cli"};
        MOVES("target set", store_target_put(w, &t, NULL, &e));
        t.value = 18;
        MOVES("target change", store_target_put(w, &t, NULL, &e));
        int64_t deleted = 0;
        MOVES("target delete", store_target_delete(w, "901", "rereferrals_12m_pct", &deleted, &e));
        assert_int_equal(deleted, 1);
        struct store_event ev = {.la = "901",
                                 .date = "2026-01-05",
                                 .kind = "practice-model",
                                 .title = "New front door",
                                 .note = "",
                                 .measures = {"rereferrals_12m_pct"},
                                 .n_measures = 1,
                                 .user = "cli"};
        if (!store_event_kind_valid(ev.kind))
                fail_msg("no valid event kind for the test");
        MOVES("event add", store_event_put(w, &ev, NULL, NULL, &e));

        /* A content write together with bookkeeping in one transaction still moves it. */
        struct store_audit au = {.user = "cli", .action = "target-set", .la = "901"};
        before = stamp(f->reader);
        assert_int_equal(store_begin(w, &e), 0);
        assert_int_equal(store_target_put(w, &t, NULL, &e), 0);
        assert_int_equal(store_audit_append(w, &au, &e), 0);
        assert_int_equal(store_commit(w, &e), 0);
        assert_true(stamp(f->reader) > before);

        /* The writer's own stamp follows its own writes too. */
        int64_t mine = stamp(w);
        assert_int_equal(store_authority_put(w, &a, &e), 0);
        assert_true(stamp(w) > mine);
}

static void test_rollback_and_open_transaction(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        int64_t before = stamp(f->reader);
        struct store_target t = {
            .la = "901", .measure = "rereferrals_12m_pct", .value = 20, .user = "cli"};
        assert_int_equal(store_begin(f->writer, &e), 0);
        assert_int_equal(store_target_put(f->writer, &t, NULL, &e), 0);
        /* Inside its transaction the writer's stamp matches nothing: what it reads may be rolled
         * back, so nothing it caches meanwhile can be hit later. */
        struct store_stamp in_tx;
        assert_int_equal(store_data_stamp(f->writer, &in_tx, &e), 0);
        assert_false(store_stamp_equal(&in_tx, &in_tx));
        store_rollback(f->writer);
        double value;
        assert_int_equal(store_target_get(f->reader, "901", "rereferrals_12m_pct", &value, &e), 0);
        assert_int_equal(stamp(f->reader), before);
        assert_int_equal(stamp(f->writer), before);
        /* A failed own-transaction write (a duplicate user) leaves it too. */
        struct store_user dup = f->user;
        assert_int_equal(store_user_add(f->writer, &dup, NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_int_equal(stamp(f->reader), before);
}

static void test_unaccounted_write_refused(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        int64_t before = stamp(f->reader);
        /* A statement on the store's connection outside store_begin/store_commit that changes
         * content: the commit hook turns its commit into a rollback. */
        int rc = sqlite3_exec(f->writer->db, "UPDATE authorities SET name = 'Changed'", NULL, NULL,
                              NULL);
        assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
        assert_int_equal(rc, SQLITE_CONSTRAINT_COMMITHOOK);
        f->writer->vetoed = 0;
        char pool[256];
        struct store_authority a;
        assert_int_equal(store_authority_get(f->reader, "901", &a, pool, sizeof pool, &e), 1);
        assert_string_equal(a.name, "Aldrwick");
        assert_int_equal(stamp(f->reader), before);
        /* The same statement inside a store transaction commits and moves the stamp. */
        assert_int_equal(store_begin(f->writer, &e), 0);
        assert_int_equal(sqlite3_exec(f->writer->db, "UPDATE authorities SET name = 'Changed'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        assert_int_equal(store_commit(f->writer, &e), 0);
        assert_int_equal(store_authority_get(f->reader, "901", &a, pool, sizeof pool, &e), 1);
        assert_string_equal(a.name, "Changed");
        assert_true(stamp(f->reader) > before);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_bookkeeping_keeps_stamp, setup, teardown),
            cmocka_unit_test_setup_teardown(test_content_moves_stamp, setup, teardown),
            cmocka_unit_test_setup_teardown(test_rollback_and_open_transaction, setup, teardown),
            cmocka_unit_test_setup_teardown(test_unaccounted_write_refused, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
