/*
 * test_scorecard.c — measure values in the store (src/scorecard/,
 * store_sqlite_measures.c) and the returns read back from it
 * (store_sqlite_returns_read.c, src/returns/build.h).
 *
 *  - A CIN census rebuilt from its flat tables has the tree the XML had:
 *    children, parents and episodes, also for two <Child> blocks with the same
 *    LAchildID and a child with no ChildIdentifiers (cin_build, no store).
 *  - A generated authority's returns, imported with `improve import`, read
 *    back from the store cell for cell equal to the files read directly; and
 *    every measure computed from only the tables the scorecard reads back
 *    (SCORECARD_*_TABLES) equals the measure computed from whole returns.
 *  - Return snapshots give the same loads as the rows; a damaged one, one of
 *    another format or import, or one lacking a table asked for is not used.
 *  - Published figures for a real authority (Camden, 202) with no return:
 *    the DfE's value with note "published", and the benchmarks of
 *    measures.md §0.10 worked out by hand from the files (skipped without
 *    ../shared/data).
 *  - Published series found by a subset of their filters, and not when the
 *    subset is ambiguous.
 */
#include "test.h"

#include "cmd/cli.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "returns/build.h"
#include "returns/cin.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"
#include "scorecard/scorecard.h"
#include "store/store.h"
#include "synth/synth.h"

#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>

extern const struct command command_import;

/* Run `improve ARGS…` through the command table entry, as the demo does. */
static int improve(const char *db, char **argv)
{
        int argc = 0;
        while (argv[argc])
                argc++;
        cli.db = db;
        cli.verbosity = -1;
        fflush(stdout);
        int saved = dup(1), null = open("/dev/null", O_WRONLY);
        assert_true(saved >= 0 && null >= 0);
        dup2(null, 1);
        close(null);
        int rc = command_import.run(argc, argv);
        fflush(stdout);
        dup2(saved, 1);
        close(saved);
        return rc;
}

/* ---------------------------------------------------------------- CIN tree */

/* Every table, child, row link and cell of b equals a's. */
/*
 * b the same census as a.  With `slim`, b was read from a snapshot (format 5):
 * it has the text of only the cells store_cin_snapshot_keeps() names and none
 * of the others (its dates, parsed, are all there).
 */
static void assert_same_census_as(const struct cin_load *a, const struct cin_load *b, int slim)
{
        assert_int_equal(a->nchildren, b->nchildren);
        for (size_t c = 0; c < a->nchildren; c++) {
                if (a->children[c].LAchildID || b->children[c].LAchildID)
                        assert_string_equal(a->children[c].LAchildID, b->children[c].LAchildID);
                for (int t = 0; t < CIN_NTABLES; t++) {
                        assert_int_equal(a->children[c].n[t], b->children[c].n[t]);
                        if (a->children[c].n[t])
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
                        if (t != CIN_ChildCharacteristics && t != CIN_Disabilities &&
                            t != CIN_ChildIdentifiers && t != CIN_Header)
                                assert_int_equal(r->episode, s->episode);
                        for (size_t k = 0; k < cin_tables[t].ncols; k++) {
                                assert_int_equal(r->d[k], s->d[k]);
                                if (slim && !store_cin_snapshot_keeps(t, k))
                                        assert_null(s->v[k]);
                                else if (r->v[k] || s->v[k])
                                        assert_string_equal(r->v[k], s->v[k]);
                        }
                        if (x->under && cin_tables[t].parent != CIN_NTABLES) {
                                size_t f1, f2;
                                size_t n1 = cin_rows_under(a, (enum cin_table_id)t, r->parent, &f1);
                                size_t n2 = cin_rows_under(b, (enum cin_table_id)t, s->parent, &f2);
                                assert_int_equal(n1, n2);
                                assert_int_equal(f1, f2);
                        }
                }
        }
}

static void assert_same_census(const struct cin_load *a, const struct cin_load *b)
{
        assert_same_census_as(a, b, 0);
}

/* Rebuild a census from its rows' cells alone. */
static void rebuild(const struct cin_load *a, struct cin_load *b)
{
        cin_load_init(b);
        for (int t = 0; t < CIN_NTABLES; t++)
                for (size_t i = 0; i < a->table[t].n; i++)
                        cin_build_row(b, (enum cin_table_id)t, a->table[t].rows[i].v,
                                      a->table[t].rows[i].row);
        cin_build_finish(b, a->la);
}

static const char tree_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message><Header><CollectionDetails>"
    "<Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>"
    "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>901</LEA></Source></Header>"
    "<Children>"
    /* K1: two episodes, assessments with factors, an S47, a plan with two reviews */
    "<Child><ChildIdentifiers><LAchildID>K1</LAchildID></ChildIdentifiers>"
    "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE"
    "</Disability></Disabilities></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate>"
    "<Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
    "<AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>"
    "<Assessments><AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>3C</AssessmentFactors>"
    "</FactorsIdentifiedAtAssessment></Assessments>"
    "<Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate></Section47>"
    "<ChildProtectionPlans><CPPstartDate>2024-06-01</CPPstartDate>"
    "<Reviews><CPPreviewDate>2024-08-01</CPPreviewDate>"
    "<CPPreviewDate>2024-11-01</CPPreviewDate></Reviews></ChildProtectionPlans>"
    "</CINdetails>"
    "<CINdetails><CINreferralDate>2025-01-05</CINreferralDate>"
    "<ChildProtectionPlans><CPPstartDate>2025-02-01</CPPstartDate>"
    "<Reviews><CPPreviewDate>2025-03-01</CPPreviewDate></Reviews></ChildProtectionPlans>"
    "</CINdetails></Child>"
    /* a child with no ChildIdentifiers */
    "<Child><CINdetails><CINreferralDate>2024-07-07</CINreferralDate>"
    "<CINPlanDates><CINPlanStartDate>2024-08-01</CINPlanStartDate></CINPlanDates>"
    "</CINdetails></Child>"
    /* K2 twice: two <Child> blocks with the same LAchildID */
    "<Child><ChildIdentifiers><LAchildID>K2</LAchildID></ChildIdentifiers>"
    "<CINdetails><CINreferralDate>2024-04-10</CINreferralDate></CINdetails>"
    "<CINdetails><CINreferralDate>2024-09-10</CINreferralDate>"
    "<Assessments><AssessmentActualStartDate>2024-09-11</AssessmentActualStartDate>"
    "</Assessments></CINdetails></Child>"
    "<Child><ChildIdentifiers><LAchildID>K2</LAchildID></ChildIdentifiers>"
    "<CINdetails><CINreferralDate>2024-12-10</CINreferralDate>"
    "<Assessments><AssessmentActualStartDate>2024-12-11</AssessmentActualStartDate>"
    "</Assessments></CINdetails></Child>"
    "<Child><ChildIdentifiers><LAchildID>K3</LAchildID></ChildIdentifiers>"
    "<CINdetails><CINreferralDate>bad-date</CINreferralDate></CINdetails></Child>"
    "</Children></Message>\n";

static void test_cin_tree_recovered(void **state)
{
        (void)state;
        struct cin_load a, b;
        struct err e = {0};
        cin_load_init(&a);
        assert_int_equal(cin_read_buffer(&a, tree_xml, sizeof tree_xml - 1, "tree.xml", "901", &e),
                         0);
        assert_int_equal(a.nchildren, 5);
        rebuild(&a, &b);
        assert_same_census(&a, &b);
        /* By hand: the child without identifiers is second, the two K2 are third and fourth. */
        assert_null(b.children[1].LAchildID);
        assert_string_equal(b.children[2].LAchildID, "K2");
        assert_string_equal(b.children[3].LAchildID, "K2");
        assert_int_equal(b.children[2].n[CIN_CINdetails], 2);
        assert_int_equal(b.children[3].n[CIN_CINdetails], 1);
        /* K1's last review (1 March 2025) sits under the plan of 1 February 2025, in the
         * episode referred on 5 January 2025. */
        assert_int_equal(b.table[CIN_Reviews].n, 3);
        const struct cin_row *rev = &b.table[CIN_Reviews].rows[2];
        char iso[11];
        date_format_iso(rev->d[CIN_REV_CPPreviewDate], iso);
        assert_string_equal(iso, "2025-03-01");
        assert_true(rev->parent < b.table[CIN_ChildProtectionPlans].n);
        date_format_iso(b.table[CIN_ChildProtectionPlans].rows[rev->parent].d[CIN_CPP_CPPstartDate],
                        iso);
        assert_string_equal(iso, "2025-02-01");
        assert_true(rev->episode < b.table[CIN_CINdetails].n);
        date_format_iso(b.table[CIN_CINdetails].rows[rev->episode].d[CIN_CD_CINreferralDate], iso);
        assert_string_equal(iso, "2025-01-05");
        /* K3's referral date is kept as written and is not a date. */
        assert_int_equal(b.table[CIN_CINdetails].n, 7); /* K1 2, no id 1, K2 2 and 1, K3 1 */
        assert_int_equal(b.table[CIN_CINdetails].rows[6].d[CIN_CD_CINreferralDate], DATE_BAD);
        cin_load_release(&a);
        cin_load_release(&b);
}

/* A census whose rows were stored in a different <Child> split is not silently merged. */
static void test_cin_tree_differs_when_ids_differ(void **state)
{
        (void)state;
        struct cin_load a, b;
        struct err e = {0};
        cin_load_init(&a);
        assert_int_equal(cin_read_buffer(&a, tree_xml, sizeof tree_xml - 1, "tree.xml", "901", &e),
                         0);
        rebuild(&a, &b);
        /* The rebuilt links really are computed: corrupting an id moves the row's parent. */
        cin_load_release(&b);
        cin_load_init(&b);
        for (int t = 0; t < CIN_NTABLES; t++)
                for (size_t i = 0; i < a.table[t].n; i++) {
                        const char *cells[16];
                        memcpy(cells, a.table[t].rows[i].v, cin_tables[t].ncols * sizeof *cells);
                        if (t == CIN_Reviews && i == 2)
                                cells[CIN_REV_CPPID] = "7"; /* no such plan */
                        cin_build_row(&b, (enum cin_table_id)t, cells, a.table[t].rows[i].row);
                }
        cin_build_finish(&b, "901");
        assert_int_equal(b.table[CIN_Reviews].rows[2].parent, CIN_NO_ROW);
        assert_int_not_equal(a.table[CIN_Reviews].rows[2].parent, CIN_NO_ROW);
        cin_load_release(&a);
        cin_load_release(&b);
}

/* ---------------------------------------------------------------- round trip via the store */

static void assert_tables_enough(const char *db);

static void assert_same_903(const struct ssda903_load *a, const struct ssda903_load *b)
{
        assert_int_equal(a->nchildren, b->nchildren);
        assert_int_equal(a->collection_year, b->collection_year);
        assert_int_equal(a->postcodes_applied, b->postcodes_applied);
        for (size_t c = 0; c < a->nchildren; c++)
                assert_string_equal(a->children[c].id, b->children[c].id);
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const struct ssda903_table *x = &a->t[t], *y = &b->t[t];
                assert_int_equal(ssda903_has(a, t), ssda903_has(b, t));
                assert_int_equal(x->n, y->n);
                for (size_t i = 0; i < x->n; i++) {
                        const struct ssda903_row *r = &x->rows[i], *s = &y->rows[i];
                        assert_int_equal(r->row, s->row);
                        assert_int_equal(r->child, s->child);
                        for (int k = 0; k < x->def->ncols; k++) {
                                assert_int_equal(r->d[k], s->d[k]);
                                if (x->def->kind[k] == SSDA903_COL_DATE)
                                        continue; /* the text may be written differently */
                                if (r->v[k] || s->v[k])
                                        assert_string_equal(r->v[k], s->v[k]);
                        }
                }
        }
}

/* Run one SQL statement on the database directly, behind the store's back. */
static void raw_sql(const char *db, const char *sql)
{
        sqlite3 *h;
        assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
        char *msg = NULL;
        if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
                fail_msg("%s: %s", sql, msg ? msg : "?");
        sqlite3_close(h);
}

/* Flip one byte in the middle of every snapshot blob. */
static void damage_snapshots(const char *db)
{
        sqlite3 *h;
        assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
        sqlite3_stmt *get, *put;
        assert_int_equal(
            sqlite3_prepare_v2(h, "SELECT rowid, data FROM return_snapshots", -1, &get, NULL),
            SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(h,
                                            "UPDATE return_snapshots SET data = ? WHERE rowid = ?",
                                            -1, &put, NULL),
                         SQLITE_OK);
        int n = 0;
        while (sqlite3_step(get) == SQLITE_ROW) {
                size_t len = (size_t)sqlite3_column_bytes(get, 1);
                unsigned char *b = xmalloc(len);
                memcpy(b, sqlite3_column_blob(get, 1), len);
                b[len / 2] ^= 0x5a;
                sqlite3_bind_blob(put, 1, b, (int)len, SQLITE_TRANSIENT);
                sqlite3_bind_int64(put, 2, sqlite3_column_int64(get, 0));
                assert_int_equal(sqlite3_step(put), SQLITE_DONE);
                sqlite3_reset(put);
                free(b);
                n++;
        }
        assert_true(n >= 2);
        sqlite3_finalize(get);
        sqlite3_finalize(put);
        sqlite3_close(h);
}

/* Read (la 001, year) with the scorecard's tables; *made says whether rows were read. */
static void read_snap(const char *db, int year, struct ssda903_load **ld, struct cin_load *cl,
                      int *made903, int *madecin)
{
        struct err e = {0};
        struct store *s = store_open(db, 0, &e);
        assert_non_null(s);
        struct store_return_snapshot a, b;
        assert_int_equal(
            store_return_read_903_snap(s, "001", year, SCORECARD_903_TABLES, ld, &a, &e), 1);
        cin_load_init(cl);
        assert_int_equal(
            store_return_read_cin_snap(s, "001", year, SCORECARD_CIN_TABLES, cl, &b, &e), 1);
        *made903 = a.data != NULL;
        *madecin = b.data != NULL;
        /* A snapshot made from rows is stored, as the scorecard's writer does. */
        assert_int_equal(store_return_snapshot_put(s, &a, &e), 0);
        assert_int_equal(store_return_snapshot_put(s, &b, &e), 0);
        store_return_snapshot_release(&a);
        store_return_snapshot_release(&b);
        store_close(s);
}

/*
 * Snapshots give the load the rows give; one that is damaged, of another
 * format or of another import is not used (the rows are read and a new one
 * made), and a read that wants a table the snapshot lacks reads the rows.
 */
static void check_snapshots(const char *db, int year)
{
        struct ssda903_load *rows903, *snap903;
        struct cin_load rowscin, snapcin;
        int m903, mcin;
        /* The import's recompute stored snapshots: used. */
        read_snap(db, year, &snap903, &snapcin, &m903, &mcin);
        assert_int_equal(m903, 0);
        assert_int_equal(mcin, 0);
        /* Damage both (one byte in the middle of the blob): the rows are read instead. */
        damage_snapshots(db);
        read_snap(db, year, &rows903, &rowscin, &m903, &mcin);
        assert_int_equal(m903, 1);
        assert_int_equal(mcin, 1);
        assert_same_903(rows903, snap903);
        assert_same_census_as(&rowscin, &snapcin, 1);
        ssda903_free(rows903);
        cin_load_release(&rowscin);
        /* The snapshots made from those rows were stored: used again. */
        read_snap(db, year, &rows903, &rowscin, &m903, &mcin);
        assert_int_equal(m903 + mcin, 0);
        assert_same_903(rows903, snap903);
        assert_same_census_as(&rowscin, &snapcin, 1);
        ssda903_free(rows903);
        cin_load_release(&rowscin);
        /* Another format, or another import than the return's: not used. */
        raw_sql(db, "UPDATE return_snapshots SET format = format + 100 WHERE kind = 'ssda903'");
        raw_sql(db, "UPDATE return_snapshots SET import_id = import_id + 1000 WHERE kind = 'cin'");
        read_snap(db, year, &rows903, &rowscin, &m903, &mcin);
        assert_int_equal(m903, 1);
        assert_int_equal(mcin, 1);
        assert_same_903(rows903, snap903);
        assert_same_census_as(&rowscin, &snapcin, 1);
        ssda903_free(rows903);
        cin_load_release(&rowscin);
        /* A read of every table is not served by a snapshot of some. */
        struct err e = {0};
        struct store *s = store_open(db, 0, &e);
        assert_non_null(s);
        struct store_return_snapshot sn;
        struct ssda903_load *all = NULL;
        assert_int_equal(
            store_return_read_903_snap(s, "001", year, STORE_ALL_TABLES, &all, &sn, &e), 1);
        assert_non_null(sn.data);
        assert_true(all->t[SSDA903_REVIEWS].n > 0); /* a table the scorecard does not read */
        store_return_snapshot_release(&sn);
        ssda903_free(all);
        store_close(s);
        ssda903_free(snap903);
        cin_load_release(&snapcin);
}

static void test_returns_read_back(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        struct synth_options o;
        synth_options_default(&o);
        char region[1024], db[2048], path[2048], prev[2048], pc[2048], pr[2048], au[2048];
        snprintf(region, sizeof region, "%s/r", dir);
        snprintf(db, sizeof db, "%s/x.db", dir);
        o.out_dir = region;
        o.las = 1;
        o.years = 2;
        o.last_year = 2026;
        struct err e = {0};
        if (synth_run(&o, &e))
                fail_msg("synth_run: %s", e.msg);
        snprintf(pc, sizeof pc, "%s/postcodes.csv", region);
        snprintf(pr, sizeof pr, "%s/providers.csv", region);
        snprintf(au, sizeof au, "%s/authorities.csv", region);
        char *a1[] = {"import", "authorities", au, NULL};
        assert_int_equal(improve(db, a1), 0);
        struct refdata_postcodes *postcodes = refdata_postcodes_load(pc, NULL, &e);
        assert_non_null(postcodes);
        for (int year = 2025; year <= 2026; year++) {
                snprintf(path, sizeof path, "%s/001/%d/903", region, year);
                snprintf(prev, sizeof prev, "%s/001/%d/903", region, year - 1);
                char *av[] = {"import", "--la",          "001", "--postcodes", pc,   "--providers",
                              pr,       "--authorities", au,    path,          NULL, NULL,
                              NULL};
                if (year == 2026) { /* with last year's tables, as a real import has them */
                        av[9] = "--previous";
                        av[10] = prev;
                        av[11] = path;
                }
                assert_int_equal(improve(db, av), 0);
                char cin[2048];
                snprintf(cin, sizeof cin, "%s/001/%d/cin.xml", region, year);
                char *ac[] = {"import", "--la", "001", cin, NULL};
                assert_int_equal(improve(db, ac), 0);

                /* The files read directly, with what the import derived. */
                const char *paths[] = {path};
                struct ssda903_options opt = {
                    .collection_year = year, .postcodes = postcodes, .la_code = "E99000001"};
                struct ssda903_load *direct = ssda903_load_paths(paths, 1, NULL, 0, &opt, &e);
                assert_non_null(direct);
                struct cin_load cdirect;
                cin_load_init(&cdirect);
                assert_int_equal(cin_read_file(&cdirect, cin, "001", &e), 0);

                struct store *s = store_open(db, 0, &e);
                assert_non_null(s);
                struct ssda903_load *back = NULL;
                assert_int_equal(store_return_read_903(s, "001", year, STORE_ALL_TABLES, &back, &e),
                                 1);
                struct cin_load cback;
                cin_load_init(&cback);
                assert_int_equal(
                    store_return_read_cin(s, "001", year, STORE_ALL_TABLES, &cback, &e), 1);
                assert_same_903(direct, back);
                assert_same_census(&cdirect, &cback);
                /* A year not imported is not there. */
                struct ssda903_load *none = NULL;
                assert_int_equal(store_return_read_903(s, "001", 2019, STORE_ALL_TABLES, &none, &e),
                                 0);
                assert_null(none);
                int *years = NULL;
                size_t ny = 0;
                assert_int_equal(store_return_years(s, STORE_RETURN_CIN, "001", &years, &ny, &e),
                                 0);
                assert_int_equal(ny, (size_t)(year - 2024));
                assert_int_equal(years[ny - 1], year);
                free(years);
                store_close(s);
                ssda903_free(direct);
                ssda903_free(back);
                cin_load_release(&cdirect);
                cin_load_release(&cback);
                check_snapshots(db, year);
        }
        refdata_postcodes_free(postcodes);
        assert_tables_enough(db);
        test_rmdir(dir);
}

/* ---------------------------------------------------------------- the tables measures read */

struct collected {
        char (*key)[96];
        struct measure_value *v;
        char (*note)[256];
        size_t n, cap, cap2, cap3;
};

static int collect(void *arg, const struct measure_def *m, const struct measure_window *w,
                   const struct measure_value *v)
{
        struct collected *c = arg;
        c->key = xgrow(c->key, &c->cap, c->n + 1, sizeof *c->key);
        c->v = xgrow(c->v, &c->cap2, c->n + 1, sizeof *c->v);
        c->note = xgrow(c->note, &c->cap3, c->n + 1, sizeof *c->note);
        char end[11];
        date_format_iso(w->end, end);
        snprintf(c->key[c->n], sizeof c->key[c->n], "%s %s %s", m->id,
                 measure_period_name(w->period), end);
        c->v[c->n] = *v;
        snprintf(c->note[c->n], sizeof c->note[c->n], "%s", v->note ? v->note : "");
        c->n++;
        return 0;
}

/*
 * Every value of both kinds of return for la, from loads read with these
 * tables: from the rows, or (`snap`) from the stored snapshots, which must be
 * there and used (none made), so that a CIN text a snapshot leaves out and a
 * measure reads shows as a different value.
 */
static void compute_from(struct store *s, const char *la, unsigned t903, unsigned tcin, int snap,
                         struct collected *out)
{
        struct err e = {0};
        struct measure_history h;
        measure_history_init(&h, la);
        struct ssda903_load *ld[2] = {0};
        struct cin_load cl[2];
        for (int i = 0; i < 2; i++) {
                int year = 2025 + i;
                cin_load_init(&cl[i]);
                if (snap) {
                        /* Made from the rows and stored where none is current, then read. */
                        for (int pass = 0; pass < 2; pass++) {
                                struct store_return_snapshot m903, mcin;
                                assert_int_equal(store_return_read_903_snap(s, la, year, t903,
                                                                            &ld[i], &m903, &e),
                                                 1);
                                assert_int_equal(store_return_read_cin_snap(s, la, year, tcin,
                                                                            &cl[i], &mcin, &e),
                                                 1);
                                if (pass == 1) {
                                        assert_null(m903.data);
                                        assert_null(mcin.data);
                                        break;
                                }
                                assert_int_equal(store_return_snapshot_put(s, &m903, &e), 0);
                                assert_int_equal(store_return_snapshot_put(s, &mcin, &e), 0);
                                store_return_snapshot_release(&m903);
                                store_return_snapshot_release(&mcin);
                                ssda903_free(ld[i]);
                                cin_load_release(&cl[i]);
                                cin_load_init(&cl[i]);
                        }
                } else {
                        assert_int_equal(store_return_read_903(s, la, year, t903, &ld[i], &e), 1);
                        assert_int_equal(store_return_read_cin(s, la, year, tcin, &cl[i], &e), 1);
                }
                measure_history_set_903(&h, year, ld[i]);
                measure_history_set_cin(&h, year, &cl[i]);
                measure_history_set_population(&h, year, 50000);
        }
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        memset(out, 0, sizeof *out);
        assert_int_equal(measure_compute_all(&ctx, NULL, MEASURE_PERIODS_ALL, collect, out, &e), 0);
        measure_ctx_release(&ctx);
        measure_history_release(&h);
        for (int i = 0; i < 2; i++) {
                ssda903_free(ld[i]);
                cin_load_release(&cl[i]);
        }
}

static void collected_free(struct collected *c)
{
        free(c->key);
        free(c->v);
        free(c->note);
}

/* Values from the tables the scorecard reads equal values from whole returns. */
static void assert_tables_enough(const char *db)
{
        struct err e = {0};
        struct store *s = store_open(db, 0, &e);
        assert_non_null(s);
        struct collected all, part;
        compute_from(s, "001", STORE_ALL_TABLES, STORE_ALL_TABLES, 0, &all);
        assert_true(all.n > 1000);
        size_t with_value = 0;
        for (int snap = 0; snap < 2; snap++) {
                compute_from(s, "001", SCORECARD_903_TABLES, SCORECARD_CIN_TABLES, snap, &part);
                assert_int_equal(all.n, part.n);
                for (size_t i = 0; i < all.n; i++) {
                        assert_string_equal(all.key[i], part.key[i]);
                        assert_int_equal(all.v[i].has_numerator, part.v[i].has_numerator);
                        assert_int_equal(all.v[i].has_denominator, part.v[i].has_denominator);
                        assert_int_equal(all.v[i].has_value, part.v[i].has_value);
                        assert_int_equal(all.v[i].numerator, part.v[i].numerator);
                        assert_int_equal(all.v[i].denominator, part.v[i].denominator);
                        assert_int_equal(all.v[i].dq_warnings, part.v[i].dq_warnings);
                        assert_string_equal(all.note[i], part.note[i]);
                        with_value += all.v[i].has_value;
                }
                collected_free(&part);
        }
        assert_true(with_value > all.n); /* counted twice */
        collected_free(&all);
        store_close(s);
}

/* ---------------------------------------------------------------- published, Camden */

struct found {
        struct store_measure_value v;
        char note[256], source[16];
        int n;
        struct store_measure_bench b;
        char region_code[16], region_source[16], england_source[16];
        int nb;
};

static int keep_value(void *ctx, const struct store_measure_value *v)
{
        struct found *f = ctx;
        f->v = *v;
        snprintf(f->note, sizeof f->note, "%s", v->note);
        snprintf(f->source, sizeof f->source, "%s", v->source);
        f->n++;
        return 0;
}

static int keep_bench(void *ctx, const struct store_measure_bench *b)
{
        struct found *f = ctx;
        f->b = *b;
        snprintf(f->region_code, sizeof f->region_code, "%s", b->region_code);
        snprintf(f->region_source, sizeof f->region_source, "%s", b->region_source);
        snprintf(f->england_source, sizeof f->england_source, "%s", b->england_source);
        f->nb++;
        return 0;
}

static void lookup(struct store *s, const char *la, const char *measure, struct found *f)
{
        struct err e = {0};
        memset(f, 0, sizeof *f);
        assert_int_equal(store_measure_each(s, la, "year", 2025, measure, keep_value, f, &e), 0);
        assert_int_equal(store_bench_each(s, la, 2025, measure, keep_bench, f, &e), 0);
}

static void test_camden_published(void **state)
{
        (void)state;
#define PUB SHARED_DATA "/dfe-published/"
        SKIP_WITHOUT_SHARED(PUB "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv");
        char *dir = test_tmpdir();
        char db[4096];
        snprintf(db, sizeof db, "%s/c.db", dir);
        char *p[] = {"import", "published",
                     PUB "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
                     PUB "b1_children_in_need_2013_to_2025.csv", NULL};
        char *a[] = {"import", "authorities", PUB "la_lookup_with_codes_regions_sn2025.csv", NULL};
        char *n[] = {"import", "populations",
                     PUB "ons_mid-year_population_estimates_2012_to_2024.csv", NULL};
        assert_int_equal(improve(db, p), 0);
        assert_int_equal(improve(db, a), 0);
        assert_int_equal(improve(db, n), 0);
        struct err e = {0};
        struct store *s = store_open(db, 0, &e);
        assert_non_null(s);
        assert_int_equal(scorecard_benchmarks(s, 0, NULL, &e), 0);

        /* Re-referrals 2025, Camden: 18.3 as published, nothing counted. */
        struct found f;
        lookup(s, "202", "rereferrals_12m_pct", &f);
        assert_int_equal(f.n, 1);
        assert_true(f.v.has_value);
        assert_true(fabs(f.v.value - 18.3) < 1e-9);
        assert_false(f.v.has_numerator);
        assert_false(f.v.has_denominator);
        assert_string_equal(f.source, "published");
        assert_string_equal(f.note, "published");
        /*
         * Neighbours 206 213 205 210 208 207 209 309 204 302 published 16.8 18.6 15.3 17
         * 21.3 21 20.9 18.7 19.9 14.8: sorted, the middle two are 18.6 and 18.7 -> 18.65;
         * 18.3 is below it, and lower is better.  Inner London (E13000001) 19.1; England 22.6.
         */
        assert_int_equal(f.nb, 1);
        assert_true(f.b.has_sn_median);
        assert_true(fabs(f.b.sn_median - 18.65) < 1e-9);
        assert_int_equal(f.b.sn_used, 10);
        assert_int_equal(f.b.versus, 1);
        assert_string_equal(f.region_code, "E13000001");
        assert_string_equal(f.region_source, "published");
        assert_true(fabs(f.b.region - 19.1) < 1e-9);
        assert_string_equal(f.england_source, "published");
        assert_true(fabs(f.b.england - 22.6) < 1e-9);
        assert_true(f.b.rank >= 1 && f.b.rank <= f.b.ranked && f.b.ranked > 140);

        /* Children in need: a count, made a rate with mid-2024 populations (§0.7). */
        lookup(s, "202", "cin_rate_per_10k", &f);
        assert_int_equal(f.n, 1);
        assert_true(fabs(f.v.value - 10000.0 * 1808 / 35276) < 1e-9);        /* 512.53 */
        assert_true(fabs(f.b.england - 10000.0 * 402400 / 12183016) < 1e-9); /* 330.3 */
        assert_true(strstr(f.note, "derived") != NULL);

        /* A measure nothing was imported for has no row. */
        lookup(s, "202", "cla_rate_per_10k", &f);
        assert_int_equal(f.n, 0);
        store_close(s);
        test_rmdir(dir);
}

/* ---------------------------------------------------------------- published series */

static void test_series_found_by_filters(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char db[4096], csv[4096];
        snprintf(db, sizeof db, "%s/p.db", dir);
        snprintf(csv, sizeof csv, "%s/la_things_2024_to_2025.csv", dir);
        FILE *fp = fopen(csv, "w");
        assert_non_null(fp);
        fputs("time_period,time_identifier,geographic_level,country_code,old_la_code,"
              "new_la_code,region_code,cla_group,breakdown,children_percent\n"
              "2025,Reporting year,Local authority,E92000001,901,E99000901,E99100001,"
              "CLA on 31 March,Three,12\n"
              "2025,Reporting year,Local authority,E92000001,901,E99000901,E99100001,"
              "CLA on 31 March,Total,100\n"
              "2025,Reporting year,Local authority,E92000001,901,E99000901,E99100001,"
              "Other group,Three,7\n",
              fp);
        fclose(fp);
        char *p[] = {"import", "published", csv, NULL};
        assert_int_equal(improve(db, p), 0);
        struct err e = {0};
        struct store *s = store_open(db, 0, &e);
        assert_non_null(s);
        int64_t id = 0, id2 = 0;
        /* Both filters: one series. */
        assert_int_equal(store_published_series_find(s, "la_things", "children_percent",
                                                     "breakdown=Three|cla_group=CLA on 31 March",
                                                     &id, &e),
                         1);
        /* A subset naming one series. */
        assert_int_equal(store_published_series_find(s, "la_things", "children_percent",
                                                     "breakdown=Total", &id2, &e),
                         1);
        assert_true(id != id2);
        /* A subset two series share is ambiguous; a value nobody has finds nothing. */
        assert_int_equal(store_published_series_find(s, "la_things", "children_percent",
                                                     "breakdown=Three", &id, &e),
                         0);
        assert_int_equal(store_published_series_find(s, "la_things", "children_percent",
                                                     "breakdown=Four", &id, &e),
                         0);
        assert_int_equal(store_published_series_find(s, "la_things", "no_such_column", "", &id, &e),
                         0);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cin_tree_recovered),
            cmocka_unit_test(test_cin_tree_differs_when_ids_differ),
            cmocka_unit_test(test_returns_read_back),
            cmocka_unit_test(test_camden_published),
            cmocka_unit_test(test_series_found_by_filters),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
