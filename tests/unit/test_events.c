/*
 * test_events.c — the change register: store functions (src/store/
 * store_sqlite_events.c), field checks and the events.csv reader
 * (src/cmd/event_import.c).
 */
#include "test.h"

#include "cmd/event.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#include <jansson.h>

struct fixture {
        char *dir;
        struct store *s;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/e.db", f->dir);
        struct err e = {0};
        f->s = store_open(path, STORE_CREATE, &e);
        if (!f->s) {
                test_rmdir(f->dir);
                free(f);
                return -1;
        }
        const char *codes[] = {"901", "902"};
        for (int i = 0; i < 2; i++) {
                struct store_authority a = {0};
                snprintf(a.code, sizeof a.code, "%s", codes[i]);
                a.name = i ? "Bremmere" : "Aldrwick";
                a.region_code = "";
                a.region_name = "";
                if (store_authority_put(f->s, &a, &e)) {
                        store_close(f->s);
                        test_rmdir(f->dir);
                        free(f);
                        return -1;
                }
        }
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

struct seen {
        int n;
        char text[8][256];
};

static int collect(void *ctx, const struct store_event *ev)
{
        struct seen *s = ctx;
        if (s->n >= 8)
                return 1;
        int k = snprintf(s->text[s->n], sizeof s->text[0], "%lld|%s|%s|%s|%s|%s|",
                         (long long)ev->id, ev->la, ev->date, ev->kind, ev->title, ev->note);
        for (size_t i = 0; i < ev->n_measures; i++)
                k += snprintf(s->text[s->n] + k, sizeof s->text[0] - (size_t)k, "%s%s",
                              i ? ";" : "", ev->measures[i]);
        s->n++;
        return 0;
}

static void kinds_and_checks(void **state)
{
        (void)state;
        const char *good[] = {"restructure",   "practice-model", "trust",     "outsourcing",
                              "joint-service", "leadership",     "inspection"};
        for (size_t i = 0; i < 7; i++)
                assert_true(store_event_kind_valid(good[i]));
        assert_false(store_event_kind_valid("Restructure"));
        assert_false(store_event_kind_valid("merger"));
        assert_false(store_event_kind_valid(""));
        assert_false(store_event_kind_valid(NULL));
        char why[512];
        assert_int_equal(event_check_kind("merger", why, sizeof why), -1);
        assert_non_null(strstr(why, "restructure, practice-model"));
        assert_int_equal(event_check_date("2021-04-01", why, sizeof why), 0);
        assert_int_equal(event_check_date("2021-02-30", why, sizeof why), -1);
        assert_non_null(strstr(why, "YYYY-MM-DD"));
        assert_int_equal(event_check_date("01/04/2021", why, sizeof why), -1);
        assert_int_equal(event_check_la("90", why, sizeof why), -1);
        assert_int_equal(event_check_la("901", why, sizeof why), 0);
        assert_int_equal(event_check_title("  ", why, sizeof why), -1);
        assert_int_equal(event_check_title("x", why, sizeof why), 0);
        assert_int_equal(event_check_measure("rereferrals_12m_pct", why, sizeof why), 0);
        assert_int_equal(event_check_measure("no_such_measure", why, sizeof why), -1);
        assert_non_null(strstr(why, "catalogue"));
}

static void put_find_each(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct store_event ev = {0};
        ev.la = "902";
        ev.date = "2022-01-01";
        ev.kind = "trust";
        ev.title = "Children's services trust formed";
        ev.note = "";
        ev.measures[0] = "s47_rate_per_10k";
        ev.n_measures = 1;
        ev.user = "tester";
        int64_t id1 = 0, id2 = 0, id3 = 0;
        int created = -1;
        assert_int_equal(store_event_put(f->s, &ev, &id1, &created, &e), 0);
        assert_int_equal(created, 1);
        struct store_event ev2 = ev;
        ev2.la = "901";
        ev2.date = "2021-04-01";
        ev2.kind = "restructure";
        ev2.title = "Front door restructure";
        ev2.measures[1] = "referrals_rate_per_10k";
        ev2.n_measures = 2;
        assert_int_equal(store_event_put(f->s, &ev2, &id2, &created, &e), 0);
        assert_int_equal(created, 1);
        assert_true(id2 != id1);

        /* The same event again updates note and measures; the id stays. */
        ev.note = "second thoughts";
        ev.measures[0] = "referrals_rate_per_10k";
        assert_int_equal(store_event_put(f->s, &ev, &id3, &created, &e), 0);
        assert_int_equal(created, 0);
        assert_int_equal(id3, id1);
        int64_t found = 0;
        assert_int_equal(store_event_find(f->s, "902", "2022-01-01", "trust",
                                          "Children's services trust formed", &found, &e),
                         1);
        assert_int_equal(found, id1);
        assert_int_equal(store_event_find(f->s, "902", "2022-01-02", "trust",
                                          "Children's services trust formed", &found, &e),
                         0);

        struct seen s = {0};
        assert_int_equal(store_event_each(f->s, NULL, collect, &s, &e), 0);
        assert_int_equal(s.n, 2);
        /* Authority order first: 901 before 902. */
        char want[256];
        snprintf(want, sizeof want,
                 "%lld|901|2021-04-01|restructure|Front door restructure||s47_rate_per_10k;"
                 "referrals_rate_per_10k",
                 (long long)id2);
        assert_string_equal(s.text[0], want);
        snprintf(want, sizeof want,
                 "%lld|902|2022-01-01|trust|Children's services trust formed|second "
                 "thoughts|referrals_rate_per_10k",
                 (long long)id1);
        assert_string_equal(s.text[1], want);

        memset(&s, 0, sizeof s);
        assert_int_equal(store_event_each(f->s, "901", collect, &s, &e), 0);
        assert_int_equal(s.n, 1);
        memset(&s, 0, sizeof s);
        assert_int_equal(store_event_get(f->s, id1, collect, &s, &e), 1);
        assert_int_equal(s.n, 1);
        assert_int_equal(store_event_get(f->s, id1 + id2 + 100, collect, &s, &e), 0);
        int64_t n = -1;
        assert_int_equal(store_event_count(f->s, NULL, &n, &e), 0);
        assert_int_equal(n, 2);
        assert_int_equal(store_event_count(f->s, "903", &n, &e), 0);
        assert_int_equal(n, 0);
}

static void refusals(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct store_event ev = {0};
        ev.la = "999";
        ev.date = "2022-01-01";
        ev.kind = "trust";
        ev.title = "Unknown authority";
        ev.user = "tester";
        assert_int_equal(store_event_put(f->s, &ev, NULL, NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "authority 999 is not in the database"));
        /* The schema refuses what the commands would: a kind outside the list, a bad date. */
        ev.la = "901";
        ev.kind = "merger";
        assert_int_equal(store_event_put(f->s, &ev, NULL, NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        ev.kind = "trust";
        ev.date = "2022-1-1";
        assert_int_equal(store_event_put(f->s, &ev, NULL, NULL, &e), -1);
        /* The same measure twice in one event. */
        ev.date = "2022-01-01";
        ev.measures[0] = ev.measures[1] = "s47_rate_per_10k";
        ev.n_measures = 2;
        assert_int_equal(store_event_put(f->s, &ev, NULL, NULL, &e), -1);
        /* Nothing of the failed puts is left behind. */
        int64_t n = -1;
        assert_int_equal(store_event_count(f->s, NULL, &n, &e), 0);
        assert_int_equal(n, 0);
}

static const char good_file[] =
    "la,date,kind,title,measures,note\n"
    "901,2021-04-01,restructure,Front door restructure,referrals_rate_per_10k,planted: step\n"
    "902,2022-01-01,trust,Children's services trust formed,s47_rate_per_10k;"
    "rereferrals_12m_pct,\n"
    "901,2023-06-01,inspection,Ofsted inspection,,\"note, with a comma\"\n";

static int import_text(struct store *s, const char *text, json_t *counts, struct buf *summary,
                       struct err *e)
{
        if (store_begin(s, e))
                return -1;
        int rc =
            event_import_csv(s, 0, "tester", "events.csv", text, strlen(text), counts, summary, e);
        if (rc)
                store_rollback(s);
        else if (store_commit(s, e))
                return -1;
        return rc;
}

static void import_good(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        json_t *counts = json_object();
        struct buf sum;
        buf_init(&sum);
        assert_int_equal(import_text(f->s, good_file, counts, &sum, &e), 0);
        assert_int_equal(json_integer_value(json_object_get(counts, "rows")), 3);
        assert_int_equal(json_integer_value(json_object_get(counts, "added")), 3);
        assert_int_equal(json_integer_value(json_object_get(counts, "updated")), 0);
        assert_non_null(strstr(sum.data, "3 rows read; 3 added"));
        struct seen s = {0};
        assert_int_equal(store_event_each(f->s, NULL, collect, &s, &e), 0);
        assert_int_equal(s.n, 3);
        assert_non_null(strstr(s.text[0], "|901|2021-04-01|restructure|Front door restructure|"
                                          "planted: step|referrals_rate_per_10k"));
        assert_non_null(strstr(s.text[1], "|901|2023-06-01|inspection|Ofsted inspection|note, "
                                          "with a comma|"));
        assert_non_null(strstr(s.text[2], "|s47_rate_per_10k;rereferrals_12m_pct"));

        /* Again: every event is already there and is updated, none added. */
        json_decref(counts);
        counts = json_object();
        assert_int_equal(import_text(f->s, good_file, counts, NULL, &e), 0);
        assert_int_equal(json_integer_value(json_object_get(counts, "added")), 0);
        assert_int_equal(json_integer_value(json_object_get(counts, "updated")), 3);
        int64_t n = 0;
        assert_int_equal(store_event_count(f->s, NULL, &n, &e), 0);
        assert_int_equal(n, 3);
        json_decref(counts);
        buf_release(&sum);
}

/* Each bad file fails with FILE:LINE and the given words, and stores nothing. */
static void expect_bad(struct fixture *f, const char *text, const char *where, const char *words)
{
        struct err e = {0};
        assert_int_equal(import_text(f->s, text, NULL, NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        if (!strstr(e.msg, where) || !strstr(e.msg, words))
                fail_msg("message '%s' lacks '%s' or '%s'", e.msg, where, words);
        int64_t n = -1;
        assert_int_equal(store_event_count(f->s, NULL, &n, &e), 0);
        assert_int_equal(n, 0);
}

static void import_bad(void **state)
{
        struct fixture *f = *state;
        const char *h = "la,date,kind,title,measures,note\n";
        const char *ok = "901,2021-04-01,restructure,Front door,,\n";
        char text[1024];
#define BAD(row, where, words)                                                                     \
        do {                                                                                       \
                snprintf(text, sizeof text, "%s%s%s", h, ok, row);                                 \
                expect_bad(f, text, where, words);                                                 \
        } while (0)
        BAD("901,2021-04-01,merger,X,,\n", "events.csv:3:", "kind 'merger' is not known");
        BAD("901,2021-13-01,trust,X,,\n", "events.csv:3:", "is not a real date");
        BAD("901,01/04/2021,trust,X,,\n", "events.csv:3:", "YYYY-MM-DD");
        BAD("9011,2021-04-01,trust,X,,\n", "events.csv:3:", "expected 3 digits");
        BAD("901,2021-04-01,trust, ,,\n", "events.csv:3:", "title is blank");
        BAD("901,2021-04-01,trust,X,bogus_measure,\n", "events.csv:3:", "not in the catalogue");
        BAD("901,2021-04-01,trust,X,s47_rate_per_10k;s47_rate_per_10k,\n",
            "events.csv:3:", "listed twice");
        BAD("999,2021-04-01,trust,X,,\n", "events.csv:3:", "authority 999 is not in the database");
        BAD("901,2021-04-01,restructure,Front door,,again\n",
            "events.csv:3:", "the same event as line 2");
        BAD("901,2021-04-01,trust,X\n", "events.csv:3:", "");
#undef BAD
        expect_bad(f, "la,date,kind,measures\n901,2021-04-01,trust,\n",
                   "events.csv:1:", "no 'title' column");
        expect_bad(f, "", "events.csv", "empty");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(kinds_and_checks),
            cmocka_unit_test_setup_teardown(put_find_each, setup, teardown),
            cmocka_unit_test_setup_teardown(refusals, setup, teardown),
            cmocka_unit_test_setup_teardown(import_good, setup, teardown),
            cmocka_unit_test_setup_teardown(import_bad, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
