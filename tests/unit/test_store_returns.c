/*
 * test_store_returns.c — storing returns: an SSDA903 load and a CIN census go
 * in table by table with their findings; importing the same authority and
 * year again replaces them; a failure or a crash before commit leaves the old
 * return whole; the imports list says which import each return comes from.
 *
 * Expected day numbers were worked out with Python's datetime
 * ((date(y, m, d) - date(1970, 1, 1)).days), not with core/date.c.
 */
#include "test.h"

#include "core/err.h"
#include "returns/cin.h"
#include "returns/ssda903.h"
#include "rules/rules.h"
#include "store/store.h"

#include <sqlite3.h>

static const char header_a[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                               "C1,1,02/01/2010,WBRI,UN1,,\n"
                               "C2,2,31/02/2012,WBRI,UN2,,\n"
                               "C3,1,,WBRI,UN3,,\n";
static const char episodes_a[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "C1,01/04/2025,S,C2,N1,U1,PR1,30/06/2025,E11,,AB1 2CD,AB3 4EF,SC123456\n"
    "C2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n";
/* Version B: one child fewer, one episode more, and a different date. */
static const char header_b[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                               "C1,1,02/01/2010,WBRI,UN1,,\n"
                               "C2,2,28/02/2012,WBRI,UN2,,\n";
static const char episodes_b[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "C1,01/04/2025,S,C2,N1,U1,PR1,30/06/2025,E11,,,,\n"
    "C1,30/06/2025,P,C2,N1,U1,PR1,,,,,,\n"
    "C2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n";

static const char census[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>"
    "<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Source>"
    "<SourceLevel>L</SourceLevel><LEA>201</LEA><SoftwareCode>T</SoftwareCode><Release>1</Release>"
    "<SerialNo>1</SerialNo><DateTime>2026-04-01T00:00:00</DateTime></Source></Header>\n"
    "<Children><Child><ChildIdentifiers><LAchildID>K1</LAchildID>"
    "<PersonBirthDate>2015-02-30</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>\n"
    "<CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>"
    "<CINdetails><CINreferralDate>2025-06-30</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<PrimaryNeedCode>N2</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails>"
    "</Child></Children></Message>\n";

struct fixture {
        char *dir;
        char path[512];
        struct store *s;
};

static struct ssda903_load *load_903(const char *header, const char *episodes)
{
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "header.csv", header, strlen(header), 0, &e), 0);
        assert_int_equal(ssda903_add_mem(ld, "episodes.csv", episodes, strlen(episodes), 0, &e), 0);
        struct ssda903_options opt = {.collection_year = 2026};
        assert_int_equal(ssda903_finish(ld, &opt, &e), 0);
        return ld;
}

static long long q(struct fixture *f, const char *sql)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
}

static void q_text(struct fixture *f, const char *sql, char *out, size_t n)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "(null)");
        sqlite3_finalize(st);
        sqlite3_close(db);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
        struct err e = {0};
        f->s = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->s);
        struct store_authority a = {.code = "201", .ecode = "E09000001", .name = "City"};
        assert_int_equal(store_authority_put(f->s, &a, &e), 0);
        struct store_authority b = {.code = "202", .name = "Other"};
        assert_int_equal(store_authority_put(f->s, &b, &e), 0);
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

/* Two findings: an error on a row and a query about the return as a whole. */
static const struct finding findings_a[] = {
    {"103", RULE_ERROR, "Header", 2, "C2", "DOB", "Date of birth is not a real date.",
     "header.csv"},
    {"2887Q", RULE_QUERY, NULL, 0, NULL, "", "Whole-return query.", NULL},
};

/* One import of a 903 load in its own transaction, as `improve import` does it. */
static int put_903(struct fixture *f, const char *la, const struct ssda903_load *ld,
                   const struct finding *fs, size_t nf, int commit, int64_t *id, struct err *e)
{
        struct store_import imp = {.kind = "ssda903", .la = la, .year = 2026, .user = "test"};
        assert_int_equal(store_begin(f->s, e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, id, e), 0);
        struct store_return r = {STORE_RETURN_SSDA903, la, 2026, 2026, *id, 3};
        if (store_return_put_903(f->s, &r, ld, fs, nf, e)) {
                store_rollback(f->s);
                return -1;
        }
        assert_int_equal(store_import_finish(f->s, *id, "ok", "{}", e), 0);
        if (commit)
                assert_int_equal(store_commit(f->s, e), 0);
        return 0;
}

static void test_import(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct ssda903_load *a = load_903(header_a, episodes_a);
        int64_t id;
        assert_int_equal(put_903(f, "201", a, findings_a, 2, 1, &id, &e), 0);
        ssda903_free(a);

        assert_int_equal(q(f, "SELECT count(*) FROM s903_header WHERE la = '201' AND year = 2026"),
                         3);
        assert_int_equal(q(f, "SELECT count(*) FROM s903_episodes"), 2);
        /* Tables the load did not have hold nothing. */
        assert_int_equal(q(f, "SELECT count(*) FROM s903_reviews"), 0);
        /* 02/01/2010 is day 14611; 31/02/2012 is no date: NULL with the text kept; a blank is
         * NULL with no text. */
        assert_int_equal(q(f, "SELECT DOB FROM s903_header WHERE row = 1"), 14611);
        assert_int_equal(q(f, "SELECT DOB FROM s903_header WHERE row = 2"), -1);
        char text[128];
        q_text(f, "SELECT DOB_raw FROM s903_header WHERE row = 2", text, sizeof text);
        assert_string_equal(text, "31/02/2012");
        q_text(f, "SELECT DOB_raw FROM s903_header WHERE row = 1", text, sizeof text);
        assert_string_equal(text, "(null)");
        q_text(f, "SELECT DOB_raw FROM s903_header WHERE row = 3", text, sizeof text);
        assert_string_equal(text, "(null)");
        /* 01/04/2025 = 20179, 30/06/2025 = 20269; codes as read; the child is the key. */
        assert_int_equal(q(f, "SELECT DECOM FROM s903_episodes WHERE CHILD = 'C1'"), 20179);
        assert_int_equal(q(f, "SELECT DEC FROM s903_episodes WHERE CHILD = 'C1'"), 20269);
        assert_int_equal(q(f, "SELECT DEC FROM s903_episodes WHERE CHILD = 'C2'"), -1);
        q_text(f, "SELECT PL_POST || '|' || URN FROM s903_episodes WHERE row = 1", text,
               sizeof text);
        assert_string_equal(text, "AB3 4EF|SC123456");
        /* Findings, in order, with severity words and NULLs where there is no row or child. */
        assert_int_equal(q(f, "SELECT count(*) FROM return_findings"), 2);
        q_text(f,
               "SELECT rule || ',' || severity || ',' || table_name || ',' || row || ',' || child "
               "FROM return_findings WHERE seq = 1",
               text, sizeof text);
        assert_string_equal(text, "103,error,Header,2,C2");
        assert_int_equal(q(f, "SELECT row FROM return_findings WHERE seq = 2"), -1);
        q_text(f, "SELECT severity FROM return_findings WHERE seq = 2", text, sizeof text);
        assert_string_equal(text, "query");

        struct store_return_info info;
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "201", 2026, &info, &e), 1);
        assert_int_equal(info.import_id, id);
        assert_int_equal(info.rows, 5);
        assert_int_equal(info.children, 3);
        assert_int_equal(info.errors, 1);
        assert_int_equal(info.queries, 1);
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "201", 2025, &info, &e), 0);
        assert_int_equal(store_return_get(f->s, STORE_RETURN_CIN, "201", 2026, &info, &e), 0);
        int64_t n;
        assert_int_equal(store_return_count(f->s, "s903_header", "201", 2026, &n, &e), 0);
        assert_int_equal(n, 3);
        /* Only our own tables may be named: the name becomes SQL text. */
        assert_int_equal(store_return_count(f->s, "authorities; --", "201", 2026, &n, &e), -1);
}

/* The imports store_import_each lists, in its order. */
struct seen {
        int64_t id[8];
        int current[8];
        int n;
};

static int collect(void *ctx, const struct store_import_row *r)
{
        struct seen *s = ctx;
        if (s->n < 8) {
                s->id[s->n] = r->id;
                s->current[s->n] = r->current;
        }
        s->n++;
        return 0;
}

static void test_reimport_replaces(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct ssda903_load *a = load_903(header_a, episodes_a);
        struct ssda903_load *b = load_903(header_b, episodes_b);
        int64_t id_a, id_other, id_b;
        assert_int_equal(put_903(f, "201", a, findings_a, 2, 1, &id_a, &e), 0);
        /* Another authority's return of the same year must not be touched. */
        assert_int_equal(put_903(f, "202", a, findings_a, 1, 1, &id_other, &e), 0);
        assert_int_equal(put_903(f, "201", b, NULL, 0, 1, &id_b, &e), 0);

        assert_int_equal(q(f, "SELECT count(*) FROM s903_header WHERE la = '201'"), 2);
        assert_int_equal(q(f, "SELECT count(*) FROM s903_episodes WHERE la = '201'"), 3);
        assert_int_equal(q(f, "SELECT DOB FROM s903_header WHERE la = '201' AND CHILD = 'C2'"),
                         15398); /* 28/02/2012 */
        assert_int_equal(q(f, "SELECT count(*) FROM return_findings WHERE la = '201'"), 0);
        assert_int_equal(q(f, "SELECT count(*) FROM s903_header WHERE la = '202'"), 3);
        assert_int_equal(q(f, "SELECT count(*) FROM return_findings WHERE la = '202'"), 1);
        assert_int_equal(q(f, "SELECT count(*) FROM returns"), 2);

        /* The imports list: newest first; the replaced import stays, no longer current. */
        struct seen seen = {0};
        assert_int_equal(store_import_each(f->s, "201", collect, &seen, &e), 0);
        assert_int_equal(seen.n, 2);
        assert_int_equal(seen.id[0], id_b);
        assert_int_equal(seen.current[0], 1);
        assert_int_equal(seen.id[1], id_a);
        assert_int_equal(seen.current[1], 0);
        memset(&seen, 0, sizeof seen);
        assert_int_equal(store_import_each(f->s, NULL, collect, &seen, &e), 0);
        assert_int_equal(seen.n, 3);

        /* Deleting says whether there was a return. */
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_return_delete(f->s, STORE_RETURN_SSDA903, "202", 2026, &e), 1);
        assert_int_equal(store_return_delete(f->s, STORE_RETURN_SSDA903, "202", 2026, &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        assert_int_equal(q(f, "SELECT count(*) FROM s903_header WHERE la = '202'"), 0);
        ssda903_free(a);
        ssda903_free(b);
}

static void assert_old_return(struct fixture *f, int64_t id_a)
{
        assert_int_equal(q(f, "SELECT count(*) FROM s903_header WHERE la = '201'"), 3);
        assert_int_equal(q(f, "SELECT count(*) FROM s903_episodes WHERE la = '201'"), 2);
        assert_int_equal(q(f, "SELECT count(*) FROM return_findings WHERE la = '201'"), 2);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM returns WHERE import_id = %lld",
                 (long long)id_a);
        assert_int_equal(q(f, sql), 1);
        assert_int_equal(q(f, "SELECT count(*) FROM imports"), 1);
}

static void test_rollback_keeps_old(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct ssda903_load *a = load_903(header_a, episodes_a);
        struct ssda903_load *b = load_903(header_b, episodes_b);
        int64_t id_a, id_b;
        assert_int_equal(put_903(f, "201", a, findings_a, 2, 1, &id_a, &e), 0);

        /* A failure half-way (the rows are in, a finding breaks a constraint): rolled back. */
        const struct finding bad[] = {
            {"101", RULE_ERROR, "Header", 1, "C1", "SEX", "ok", "h.csv"},
            {NULL, RULE_ERROR, "Header", 2, "C2", "SEX", "no rule code", "h.csv"},
        };
        err_clear(&e);
        assert_int_equal(put_903(f, "201", b, bad, 2, 0, &id_b, &e), -1);
        assert_int_not_equal(e.code, 0);
        assert_old_return(f, id_a);

        /* Storing outside a transaction is refused, and stores nothing. */
        struct store_return r = {STORE_RETURN_SSDA903, "201", 2026, 2026, id_a, 2};
        err_clear(&e);
        assert_int_equal(store_return_put_903(f->s, &r, b, NULL, 0, &e), -1);
        assert_non_null(strstr(e.msg, "transaction"));
        assert_old_return(f, id_a);

        /* An unknown authority is refused by the schema (the import adds it first). */
        err_clear(&e);
        assert_int_equal(put_903(f, "999", b, NULL, 0, 0, &id_b, &e), -1);
        assert_old_return(f, id_a);

        /* A crash after the new rows are written but before commit: the old return is there. */
        assert_int_equal(put_903(f, "201", b, NULL, 0, 0, &id_b, &e), 0);
        store_close(f->s); /* closing with the transaction open rolls it back, as a crash does */
        f->s = store_open(f->path, 0, &e);
        assert_non_null(f->s);
        assert_old_return(f, id_a);
        ssda903_free(a);
        ssda903_free(b);
}

static void test_cin(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct cin_load l;
        cin_load_init(&l);
        assert_int_equal(cin_read_buffer(&l, census, strlen(census), "cin.xml", "201", &e), 0);
        int64_t id;
        struct store_import imp = {.kind = "cin", .la = "201", .year = 2026, .user = "test"};
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        struct store_return r = {STORE_RETURN_CIN, "201", 2026, 2026, id, 1};
        assert_int_equal(store_return_put_cin(f->s, &r, &l, NULL, 0, &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        cin_load_release(&l);

        assert_int_equal(q(f, "SELECT count(*) FROM cin_header"), 1);
        char text[128];
        q_text(f, "SELECT CollectionYear || ',' || LEA FROM cin_header", text, sizeof text);
        assert_string_equal(text, "2026,201");
        assert_int_equal(q(f, "SELECT ReferenceDate FROM cin_header"), 20543);
        assert_int_equal(q(f, "SELECT count(*) FROM cin_child_identifiers WHERE LAchildID = 'K1'"),
                         1);
        /* 2015-02-30 is not a date: NULL, text kept. */
        assert_int_equal(q(f, "SELECT PersonBirthDate FROM cin_child_identifiers"), -1);
        q_text(f, "SELECT PersonBirthDate_raw FROM cin_child_identifiers", text, sizeof text);
        assert_string_equal(text, "2015-02-30");
        /* Two referrals, numbered 1 and 2 for the child, dates as day numbers. */
        assert_int_equal(q(f, "SELECT count(*) FROM cin_details"), 2);
        assert_int_equal(q(f, "SELECT CINreferralDate FROM cin_details WHERE CINdetailsID = 1"),
                         20209);
        assert_int_equal(q(f, "SELECT CINreferralDate FROM cin_details WHERE CINdetailsID = 2"),
                         20269);
        struct store_return_info info;
        assert_int_equal(store_return_get(f->s, STORE_RETURN_CIN, "201", 2026, &info, &e), 1);
        assert_int_equal(info.rows, 4); /* header, identifiers, two referrals */
        /* A CIN census and an SSDA903 return of the same authority and year live side by side. */
        struct ssda903_load *a = load_903(header_a, episodes_a);
        int64_t id_a;
        assert_int_equal(put_903(f, "201", a, NULL, 0, 1, &id_a, &e), 0);
        ssda903_free(a);
        assert_int_equal(q(f, "SELECT count(*) FROM cin_details"), 2);
        assert_int_equal(q(f, "SELECT count(*) FROM returns"), 2);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_import, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reimport_replaces, setup, teardown),
            cmocka_unit_test_setup_teardown(test_rollback_keeps_old, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cin, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
