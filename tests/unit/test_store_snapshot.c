/*
 * test_store_snapshot.c — return snapshots (store_sqlite_returns_read.c) on
 * returns large enough that a blob is read in several pieces: a census and
 * an SSDA903 load read back through a stored snapshot equal the ones read
 * from the rows (the census in the cells a snapshot keeps), and a blob
 * damaged anywhere (its header, a later piece, its last body byte, its
 * checksum), cut short, or of another format is never trusted: the read
 * falls back to the rows, gives the same load and offers a fresh snapshot.
 */
#include "test.h"

#include "core/err.h"
#include "returns/cin.h"
#include "returns/ssda903.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>

/* The tables the scorecard reads (scorecard.h), so that a snapshot is made and used. */
#define CIN_TABLES                                                                                 \
        ((1u << CIN_Header) | (1u << CIN_ChildIdentifiers) | (1u << CIN_CINdetails) |              \
         (1u << CIN_Assessments) | (1u << CIN_Section47) | (1u << CIN_ChildProtectionPlans))
#define T903_TABLES ((1u << SSDA903_HEADER) | (1u << SSDA903_EPISODES))

#define NCHILDREN 1500

struct fixture {
        char *dir;
        char path[512];
        struct store *s;
};

struct text {
        char *p;
        size_t n, cap;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
        va_list ap;
        for (;;) {
                va_start(ap, fmt);
                int k = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
                va_end(ap);
                assert_true(k >= 0);
                if ((size_t)k < t->cap - t->n) {
                        t->n += (size_t)k;
                        return;
                }
                t->cap = t->cap * 2 + (size_t)k + 1;
                t->p = realloc(t->p, t->cap);
                assert_non_null(t->p);
        }
}

/*
 * A census of NCHILDREN children: each has one or two referrals, some with an
 * assessment, a section 47 enquiry and a plan, so that a child's LAchildID
 * comes again in several tables.
 */
static char *census_xml(void)
{
        struct text t = {0};
        add(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message><Header><CollectionDetails>"
                "<Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31"
                "</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"
                "<LEA>201</LEA><SoftwareCode>T</SoftwareCode><Release>1</Release><SerialNo>1"
                "</SerialNo><DateTime>2026-04-01T00:00:00</DateTime></Source></Header>"
                "<Children>\n");
        for (int c = 0; c < NCHILDREN; c++) {
                add(&t,
                    "<Child><ChildIdentifiers><LAchildID>CHILD%05d</LAchildID>"
                    "<PersonBirthDate>2015-%02d-%02d</PersonBirthDate><Sex>%s</Sex>"
                    "</ChildIdentifiers>\n",
                    c, 1 + c % 12, 1 + c % 28, c % 2 ? "M" : "F");
                for (int r = 0; r < 1 + c % 2; r++) {
                        add(&t,
                            "<CINdetails><CINreferralDate>2025-%02d-%02d</CINreferralDate>"
                            "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N%d"
                            "</PrimaryNeedCode>",
                            4 + r * 5, 1 + c % 27, 1 + c % 9);
                        if (c % 3 == 0)
                                add(&t,
                                    "<Assessments><AssessmentActualStartDate>2025-%02d-15"
                                    "</AssessmentActualStartDate><FactorsIdentifiedAtAssessment/>"
                                    "</Assessments>",
                                    5 + r * 5);
                        if (c % 5 == 0)
                                add(&t,
                                    "<Section47><S47ActualStartDate>2025-%02d-20"
                                    "</S47ActualStartDate><ICPCnotRequired>%s</ICPCnotRequired>"
                                    "</Section47>",
                                    5 + r * 5, c % 2 ? "true" : "false");
                        if (c % 7 == 0)
                                add(&t,
                                    "<ChildProtectionPlans><CPPstartDate>2025-%02d-25"
                                    "</CPPstartDate><NumberOfPreviousCPP>%d</NumberOfPreviousCPP>"
                                    "</ChildProtectionPlans>",
                                    6 + r * 5, c % 3);
                        add(&t, "<ReferralNFA>false</ReferralNFA></CINdetails>\n");
                }
                add(&t, "</Child>\n");
        }
        add(&t, "</Children></Message>\n");
        return t.p;
}

/* Header and Episodes of NCHILDREN children, one to three episodes each. */
static struct ssda903_load *load_903(void)
{
        struct text h = {0}, ep = {0};
        add(&h, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
        add(&ep, "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
                 "HOME_POST,PL_POST,URN\n");
        for (int c = 0; c < NCHILDREN; c++) {
                add(&h, "C%05d,%d,%02d/%02d/2012,WBRI,UN%05d,,\n", c, 1 + c % 2, 1 + c % 28,
                    1 + c % 12, c);
                for (int k = 0; k < 1 + c % 3; k++)
                        add(&ep, "C%05d,%02d/%02d/2025,%s,C2,N1,U1,PR1,%s,%s,,,,SC%06d\n", c,
                            1 + c % 28, 4 + k * 3, k ? "P" : "S", k < c % 3 ? "30/12/2025" : "",
                            k < c % 3 ? "E11" : "", c);
        }
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "header.csv", h.p, h.n, 0, &e), 0);
        assert_int_equal(ssda903_add_mem(ld, "episodes.csv", ep.p, ep.n, 0, &e), 0);
        struct ssda903_options opt = {.collection_year = 2026};
        assert_int_equal(ssda903_finish(ld, &opt, &e), 0);
        free(h.p);
        free(ep.p);
        return ld;
}

static void raw_sql(struct fixture *f, const char *sql)
{
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
}

/* The stored snapshot blob of `kind` (malloc'd) and its length. */
static unsigned char *blob_get(struct fixture *f, const char *kind, int *n)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT data FROM return_snapshots WHERE kind = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        *n = sqlite3_column_bytes(st, 0);
        unsigned char *b = malloc((size_t)*n);
        assert_non_null(b);
        memcpy(b, sqlite3_column_blob(st, 0), (size_t)*n);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return b;
}

static void blob_set(struct fixture *f, const char *kind, const unsigned char *b, int n)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "UPDATE return_snapshots SET data = ? WHERE kind = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, b, n, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(db);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
        struct err e = {0};
        f->s = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->s);
        struct store_authority a = {.code = "201", .ecode = "E09000001", .name = "City"};
        assert_int_equal(store_authority_put(f->s, &a, &e), 0);
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

static void same_text(const char *a, const char *b)
{
        if (!a || !b)
                assert_ptr_equal(a, b);
        else
                assert_string_equal(a, b);
}

/*
 * b is the census a, read from the rows; with `slim` b came from a snapshot
 * and has the texts it keeps only (store_cin_snapshot_keeps).
 */
static void same_census(const struct cin_load *a, const struct cin_load *b, int slim)
{
        assert_int_equal(a->nchildren, b->nchildren);
        same_text(a->la, b->la);
        for (size_t c = 0; c < a->nchildren; c++) {
                same_text(a->children[c].LAchildID, b->children[c].LAchildID);
                for (int t = 0; t < CIN_NTABLES; t++) {
                        assert_int_equal(a->children[c].n[t], b->children[c].n[t]);
                        assert_int_equal(a->children[c].first[t], b->children[c].first[t]);
                }
        }
        for (int t = 0; t < CIN_NTABLES; t++) {
                const struct cin_table *x = &a->table[t], *y = &b->table[t];
                assert_int_equal(x->n, y->n);
                for (size_t i = 0; i < x->n; i++) {
                        const struct cin_row *r = &x->rows[i], *s = &y->rows[i];
                        assert_int_equal(r->row, s->row);
                        assert_int_equal(r->child, s->child);
                        assert_int_equal(r->parent, s->parent);
                        assert_int_equal(r->episode, s->episode);
                        same_text(r->la, s->la);
                        for (size_t k = 0; k < cin_tables[t].ncols; k++) {
                                assert_int_equal(r->d[k], s->d[k]);
                                if (!slim || store_cin_snapshot_keeps(t, k))
                                        same_text(r->v[k], s->v[k]);
                                else
                                        assert_null(s->v[k]);
                        }
                }
                enum cin_table_id pt = cin_tables[t].parent;
                for (size_t p = 0; pt != CIN_NTABLES && p < a->table[pt].n; p++) {
                        size_t f1, f2;
                        assert_int_equal(cin_rows_under(a, (enum cin_table_id)t, p, &f1),
                                         cin_rows_under(b, (enum cin_table_id)t, p, &f2));
                        assert_int_equal(f1, f2);
                }
        }
}

/* Read the census; *made says whether a fresh snapshot was offered (the rows were read). */
static void read_census(struct fixture *f, struct cin_load *l, int *made)
{
        struct err e = {0};
        struct store_return_snapshot sn;
        cin_load_init(l);
        assert_int_equal(store_return_read_cin_snap(f->s, "201", 2026, CIN_TABLES, l, &sn, &e), 1);
        *made = sn.data != NULL;
        if (sn.data)
                assert_int_equal(store_return_snapshot_put(f->s, &sn, &e), 0);
        store_return_snapshot_release(&sn);
}

static void test_cin_snapshot(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        char *xml = census_xml();
        struct cin_load l;
        cin_load_init(&l);
        assert_int_equal(cin_read_buffer(&l, xml, strlen(xml), "cin.xml", "201", &e), 0);
        free(xml);
        int64_t id;
        struct store_import imp = {.kind = "cin", .la = "201", .year = 2026, .user = "test"};
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        struct store_return r = {STORE_RETURN_CIN, "201", 2026, 2026, id, 1};
        assert_int_equal(store_return_put_cin(f->s, &r, &l, NULL, 0, &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        cin_load_release(&l);

        struct cin_load rows, snap;
        cin_load_init(&rows);
        assert_int_equal(store_return_read_cin(f->s, "201", 2026, CIN_TABLES, &rows, &e), 1);
        int made;
        read_census(f, &snap, &made); /* none stored yet: from the rows, one made */
        assert_true(made);
        cin_load_release(&snap);
        read_census(f, &snap, &made); /* now from the snapshot */
        assert_false(made);
        same_census(&rows, &snap, !made);
        cin_load_release(&snap);

        int n;
        unsigned char *good = blob_get(f, "cin", &n);
        assert_true(n > 65536 + 100); /* read in more than one piece */
        /* Header, a later piece, the last byte of the body, the checksum. */
        const int at[] = {5, 65536 + 17, n - 9, n - 1};
        for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
                unsigned char *bad = malloc((size_t)n);
                memcpy(bad, good, (size_t)n);
                bad[at[k]] ^= 0x10;
                blob_set(f, "cin", bad, n);
                free(bad);
                read_census(f, &snap, &made);
                assert_true(made); /* not trusted: read from the rows, made again */
                same_census(&rows, &snap, !made);
                cin_load_release(&snap);
                blob_set(f, "cin", good, n);
        }
        blob_set(f, "cin", good, n - 1); /* cut short */
        read_census(f, &snap, &made);
        assert_true(made);
        same_census(&rows, &snap, !made);
        cin_load_release(&snap);
        /* Of another format (as an older build wrote it): remade, then used. */
        raw_sql(f, "UPDATE return_snapshots SET format = format - 1");
        read_census(f, &snap, &made);
        assert_true(made);
        cin_load_release(&snap);
        read_census(f, &snap, &made);
        assert_false(made);
        same_census(&rows, &snap, !made);
        cin_load_release(&snap);
        free(good);
        cin_load_release(&rows);
}

static void same_903(const struct ssda903_load *a, const struct ssda903_load *b)
{
        assert_int_equal(a->nchildren, b->nchildren);
        assert_int_equal(a->collection_year, b->collection_year);
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const struct ssda903_table *x = &a->t[t], *y = &b->t[t];
                assert_int_equal(x->n, y->n);
                assert_int_equal(x->file != NULL, y->file != NULL);
                for (size_t i = 0; i < x->n; i++) {
                        const struct ssda903_row *r = &x->rows[i], *s = &y->rows[i];
                        assert_int_equal(r->row, s->row);
                        assert_int_equal(r->child, s->child);
                        for (int c = 0; c < x->def->ncols; c++) {
                                same_text(r->v[c], s->v[c]);
                                assert_int_equal(r->d[c], s->d[c]);
                        }
                        assert_int_equal(x->sorted[i] - x->rows, y->sorted[i] - y->rows);
                }
        }
}

static void read_903(struct fixture *f, struct ssda903_load **l, int *made)
{
        struct err e = {0};
        struct store_return_snapshot sn;
        assert_int_equal(store_return_read_903_snap(f->s, "201", 2026, T903_TABLES, l, &sn, &e), 1);
        *made = sn.data != NULL;
        if (sn.data)
                assert_int_equal(store_return_snapshot_put(f->s, &sn, &e), 0);
        store_return_snapshot_release(&sn);
}

static void test_903_snapshot(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct ssda903_load *ld = load_903();
        int64_t id;
        struct store_import imp = {.kind = "ssda903", .la = "201", .year = 2026, .user = "test"};
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        struct store_return r = {STORE_RETURN_SSDA903, "201", 2026, 2026, id, 3};
        assert_int_equal(store_return_put_903(f->s, &r, ld, NULL, 0, &e), 0);
        assert_int_equal(store_import_finish(f->s, id, "ok", "{}", &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        ssda903_free(ld);

        struct ssda903_load *rows, *snap;
        assert_int_equal(store_return_read_903(f->s, "201", 2026, T903_TABLES, &rows, &e), 1);
        int made;
        read_903(f, &snap, &made);
        assert_true(made);
        ssda903_free(snap);
        read_903(f, &snap, &made);
        assert_false(made);
        same_903(rows, snap);
        ssda903_free(snap);

        int n;
        unsigned char *good = blob_get(f, "ssda903", &n);
        assert_true(n > 65536 + 100);
        const int at[] = {9, 65536 + 3, n - 9, n - 4};
        for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
                unsigned char *bad = malloc((size_t)n);
                memcpy(bad, good, (size_t)n);
                bad[at[k]] ^= 0x01;
                blob_set(f, "ssda903", bad, n);
                free(bad);
                read_903(f, &snap, &made);
                assert_true(made);
                same_903(rows, snap);
                ssda903_free(snap);
                blob_set(f, "ssda903", good, n);
        }
        read_903(f, &snap, &made);
        assert_false(made);
        same_903(rows, snap);
        ssda903_free(snap);
        free(good);
        ssda903_free(rows);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_cin_snapshot, setup, teardown),
            cmocka_unit_test_setup_teardown(test_903_snapshot, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
