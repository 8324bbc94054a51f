/*
 * test_validate_fast.c — the shortcuts that make validation fast give the
 * answers of the slow ways: the rule runner on many threads against one,
 * the detail formatter against vsnprintf, the loader's dates, upper-casing,
 * child numbering and PL_DISTANCE against their definitions.
 */
#include "test.h"

#include "core/date.h"
#include "core/err.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

#include <limits.h>
#include <math.h>

static const char *HEADER_COLS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
static const char *EPISODE_COLS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                  "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

/* A finished load of in-memory tables (name, text pairs; NULL-terminated). */
static struct ssda903_load *load(const char *const *files, const char *const *prev, int year,
                                 const struct refdata_postcodes *pc)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        for (size_t i = 0; files && files[i]; i += 2)
                assert_int_equal(
                    ssda903_add_mem(ld, files[i], files[i + 1], strlen(files[i + 1]), 0, &e), 0);
        for (size_t i = 0; prev && prev[i]; i += 2)
                assert_int_equal(
                    ssda903_add_mem(ld, prev[i], prev[i + 1], strlen(prev[i + 1]), 1, &e), 0);
        struct ssda903_options o = {.collection_year = year, .postcodes = pc};
        if (ssda903_finish(ld, &o, &e) != 0)
                print_error("finish: %s\n", e.msg);
        assert_int_equal(e.code, 0);
        return ld;
}

static char *cat(const char *a, const char *b)
{
        char *s = malloc(strlen(a) + strlen(b) + 1);
        assert_non_null(s);
        strcpy(s, a);
        strcat(s, b);
        return s;
}

/* ---------------------------------------------------------------- rules_vformat */

static int nbad;

static void same_as_printf(size_t cap, const char *fmt, ...)
{
        char a[256], b[256];
        memset(a, 'x', sizeof a);
        memset(b, 'x', sizeof b);
        va_list ap, ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        rules_vformat(a, cap, fmt, ap);
        vsnprintf(b, cap, fmt, ap2);
        va_end(ap2);
        va_end(ap);
        if (memcmp(a, b, sizeof a) != 0) {
                print_message("cap %zu, format \"%s\": got \"%s\", printf gives \"%s\"\n", cap, fmt,
                              a, b);
                nbad++;
        }
}

static void test_vformat_is_printf(void **state)
{
        (void)state;
        const char *strs[] = {"", "A", "placement U6", "'%d' not a format", NULL};
        const long nums[] = {0, 7, -1, 42, LONG_MIN, LONG_MAX, INT_MIN};
        nbad = 0;
        for (size_t cap = 1; cap < 48; cap += 3)
                for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
                        for (size_t j = 0; j < sizeof nums / sizeof *nums; j++) {
                                long v = nums[j];
                                same_as_printf(cap, "'%s' on %d rows", strs[i], (int)v);
                                same_as_printf(cap, "%ld|%lu|%zu|%u|%i|%li", v, (unsigned long)v,
                                               (size_t)v, (unsigned)v, (int)v, v);
                                same_as_printf(cap, "100%% %c%c", 'Q', 'z');
                                /* Formats it hands to printf: widths, precision, floats. */
                                same_as_printf(cap, "%5d|%-4s|%.1f", (int)v, "ab", 3.25);
                                same_as_printf(cap, "%.3s %zd", "abcdef", (ssize_t)v);
                        }
        assert_int_equal(nbad, 0);

        /* A worked example, and truncation to the buffer. */
        char buf[16];
        rules_format(buf, sizeof buf, "%s is on %u rows", "A1234", 3u);
        assert_string_equal(buf, "A1234 is on 3 r");
        rules_format(buf, sizeof buf, "%d", -12);
        assert_string_equal(buf, "-12");
}

/* ---------------------------------------------------------------- the runner on threads */

static void same_results(const struct rules_result *a, const struct rules_result *b)
{
        assert_int_equal(a->n, b->n);
        assert_int_equal(a->nerrors, b->nerrors);
        assert_int_equal(a->nqueries, b->nqueries);
        for (size_t i = 0; i < a->n; i++) {
                const struct finding *x = &a->f[i], *y = &b->f[i];
                assert_string_equal(x->rule, y->rule);
                assert_int_equal(x->severity, y->severity);
                assert_string_equal(x->table ? x->table : "-", y->table ? y->table : "-");
                assert_int_equal(x->row, y->row);
                assert_string_equal(x->child ? x->child : "-", y->child ? y->child : "-");
                assert_string_equal(x->fields, y->fields);
                assert_string_equal(x->message, y->message);
                assert_string_equal(x->file ? x->file : "-", y->file ? y->file : "-");
        }
        assert_int_equal(a->no, b->no);
        for (size_t i = 0; i < a->no; i++) {
                assert_string_equal(a->o[i].code, b->o[i].code);
                assert_int_equal(a->o[i].kind, b->o[i].kind);
                assert_int_equal(a->o[i].nfindings, b->o[i].nfindings);
                assert_string_equal(a->o[i].reason ? a->o[i].reason : "-",
                                    b->o[i].reason ? b->o[i].reason : "-");
        }
}

/* Run the rule set on `threads` threads. */
static void run(const struct ssda903_load *ld, int year, int threads,
                const struct refdata_providers *pv, struct rules_result *res)
{
        struct err e;
        err_clear(&e);
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, ld, year);
        ctx.threads = threads;
        ctx.providers = pv;
        rules_result_init(res);
        assert_int_equal(rules_run(&ctx, res, &e), 0);
}

static const char *PROVIDERS = "URN,Registration Date,Deregistration Date,Placement Code,"
                               "Placement Provider Code,Setting Address Postcode\n"
                               "SC000001,01/01/2010,,K2,PR4,AB1 1AA\n"
                               "SC000002,01/01/2010,01/06/2025,U1/U2,PR1/PR2,AB2 2AA\n";

/* A small return with mistakes that many rules see, in an order that rules must sort. */
static struct ssda903_load *messy_return(void)
{
        char *hd = cat(HEADER_COLS, "C3,M,01/02/2010,WBRI,UN1,,\n"
                                    "C1,F,31/02/2012,XXXX,UN2,,\n"
                                    "C2,U,05/05/2008,WBRI,A123,1,01/01/2026\n"
                                    "C1,F,01/01/2012,WBRI,UN2,,\n");
        char *ep = cat(EPISODE_COLS,
                       "C2,01/05/2025,S,C2,N1,U1,PR1,,,,AB1 1AA,AB2 2AA,SC000002\n"
                       "C1,01/04/2025,S,C2,N1,K2,PR4,01/03/2025,E11,,AB1 1AA,AB1 1AA,SC000001\n"
                       "C3,10/10/2025,P,ZZ,N9,Q9,PR0,,,,,,SC999999\n"
                       "C1,01/03/2025,T,C2,N1,U1,PR1,,,,AB1 1AA,AB2 2AA,XXXXXXX\n"
                       "C4,01/01/2026,S,V3,N1,U1,PR1,15/01/2026,X1,,,,\n");
        const char *files[] = {"header.csv", hd, "episodes.csv", ep, NULL};
        struct ssda903_load *ld = load(files, NULL, 2026, NULL);
        free(hd);
        free(ep);
        return ld;
}

static void test_threads_same_findings(void **state)
{
        (void)state;
        struct err e;
        err_clear(&e);
        struct refdata_providers *pv =
            refdata_providers_mem("pv.csv", PROVIDERS, strlen(PROVIDERS), &e);
        assert_non_null(pv);
        struct ssda903_load *ld = messy_return();
        struct rules_result one, many, four;
        run(ld, 2026, 1, pv, &one);
        run(ld, 2026, 2, pv, &many);
        run(ld, 2026, 4, pv, &four);
        assert_true(one.n > 10); /* the return is meant to break rules */
        assert_true(one.nran > 100);
        same_results(&one, &many);
        same_results(&one, &four);
        /* Findings are by rule, then table and row: within a rule, rows never go back. */
        for (size_t i = 1; i < one.n; i++)
                if (strcmp(one.f[i].rule, one.f[i - 1].rule) == 0 &&
                    strcmp(one.f[i].table, one.f[i - 1].table) == 0)
                        assert_true(one.f[i].row >= one.f[i - 1].row);
        rules_result_release(&one);
        rules_result_release(&many);
        rules_result_release(&four);
        ssda903_free(ld);
        refdata_providers_free(pv);
}

/* The shared provider look-up answers as refdata_provider_find does. */
static void test_ep_provider(void **state)
{
        (void)state;
        struct err e;
        err_clear(&e);
        struct refdata_providers *pv =
            refdata_providers_mem("pv.csv", PROVIDERS, strlen(PROVIDERS), &e);
        assert_non_null(pv);
        struct ssda903_load *ld = messy_return();
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, ld, 2026);
        ctx.providers = pv;
        const struct ssda903_table *ep = &ld->t[SSDA903_EPISODES];
        assert_int_equal(ep->n, 5);
        assert_string_equal(rule_ep_provider(&ctx, &ep->rows[0])->urn, "SC000002");
        assert_string_equal(rule_ep_provider(&ctx, &ep->rows[1])->urn, "SC000001");
        assert_null(rule_ep_provider(&ctx, &ep->rows[2])); /* not in the list */
        assert_null(rule_ep_provider(&ctx, &ep->rows[3])); /* XXXXXXX */
        assert_null(rule_ep_provider(&ctx, &ep->rows[4])); /* blank */
        ssda903_free(ld);
        refdata_providers_free(pv);
}

/* The D2I fixtures under every rule set: one thread and two agree. */
static void test_threads_fixtures(void **state)
{
        (void)state;
        const char *dir = SHARED_DATA "/external/validator-fixtures/903";
        SKIP_WITHOUT_SHARED(dir);
        struct err e;
        err_clear(&e);
        /* The CSV tables only: the directory also holds fake_903.xml. */
        static const char *names[] = {"DoLo.csv",
                                      "ad1.csv",
                                      "episodes.csv",
                                      "header.csv",
                                      "missing.csv",
                                      "oc2.csv",
                                      "oc3.csv",
                                      "placed_for_adoption.csv",
                                      "previous_permanence.csv",
                                      "reviews.csv",
                                      "sw_episodes.csv",
                                      "uasc.csv"};
        struct ssda903_load *ld = ssda903_new();
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
                char p[512];
                snprintf(p, sizeof p, "%s/%s", dir, names[i]);
                assert_int_equal(ssda903_add_path(ld, p, 0, &e), 0);
        }
        assert_int_equal(ssda903_finish(ld, NULL, &e), 0);
        for (int year = RULES_903_FIRST; year <= RULES_903_LAST; year++) {
                struct rules_result one, two;
                run(ld, year, 1, NULL, &one);
                run(ld, year, 2, NULL, &two);
                assert_true(one.n > 1000);
                same_results(&one, &two);
                rules_result_release(&one);
                rules_result_release(&two);
        }
        ssda903_free(ld);
}

/* ---------------------------------------------------------------- the loader */

static void test_dates(void **state)
{
        (void)state;
        char *rv = cat("CHILD,DOB,REVIEW,REVIEW_CODE\n", "A,01/02/2020,29/02/2020,PN1\n"
                                                         "A,1/2/2020,29/02/2021,PN1\n"
                                                         "A,31/04/2020,31/12/2020,PN1\n"
                                                         "A,ab/cd/efgh,01-02-2020,PN1\n"
                                                         "A,01/02/20,001/02/2020,PN1\n"
                                                         "A, 01/02/2020 ,,PN1\n"
                                                         "A,01/13/2020,00/01/2020,PN1\n"
                                                         "A,01/02/2020,29/02/2020,PN1\n");
        const char *files[] = {"reviews.csv", rv, NULL};
        struct ssda903_load *ld = load(files, NULL, 2021, NULL);
        const struct ssda903_table *t = &ld->t[SSDA903_REVIEWS];
        assert_int_equal(t->n, 8);
        const date_t want[8][2] = {
            {date_from_ymd(2020, 2, 1), date_from_ymd(2020, 2, 29)},
            {date_from_ymd(2020, 2, 1), DATE_BAD},
            {DATE_BAD, date_from_ymd(2020, 12, 31)},
            {DATE_BAD, DATE_BAD},
            {DATE_BAD, DATE_BAD},
            {date_from_ymd(2020, 2, 1), DATE_NONE},
            {DATE_BAD, DATE_BAD},
            {date_from_ymd(2020, 2, 1), date_from_ymd(2020, 2, 29)}, /* from the cache */
        };
        for (size_t i = 0; i < t->n; i++) {
                assert_int_equal(t->rows[i].d[RV_DOB], want[i][0]);
                assert_int_equal(t->rows[i].d[RV_REVIEW], want[i][1]);
        }
        assert_string_equal(t->rows[5].v[RV_DOB], "01/02/2020"); /* trimmed */
        assert_null(t->rows[5].v[RV_REVIEW]);
        ssda903_free(ld);
        free(rv);
}

static void test_upper_case(void **state)
{
        (void)state;
        /* Letters just outside a-z (` and {), digits and UTF-8 bytes stay as they are. */
        char *hd = cat(HEADER_COLS, "mixedCase1,m,01/01/2010,wbri `{az}~,"
                                    "abcdefghijklmnopqrstuvwxyz0123456789,\xc3\xa9t\xc3\xa9,\n");
        const char *files[] = {"header.csv", hd, NULL};
        struct ssda903_load *ld = load(files, NULL, 2021, NULL);
        const struct ssda903_row *r = &ld->t[SSDA903_HEADER].rows[0];
        assert_string_equal(r->v[HD_CHILD], "mixedCase1"); /* an id keeps its case */
        assert_string_equal(r->v[HD_SEX], "M");
        assert_string_equal(r->v[HD_ETHNIC], "WBRI `{AZ}~");
        assert_string_equal(r->v[HD_UPN], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        assert_string_equal(r->v[HD_MOTHER], "\xc3\xa9T\xc3\xa9");
        assert_null(r->v[HD_MC_DOB]);
        ssda903_free(ld);
        free(hd);
}

/* Children are numbered in strcmp order of the id, whatever the order of the rows. */
static void test_children(void **state)
{
        (void)state;
        char *hd = cat(HEADER_COLS, "ABCDEFGHIJKLMNOPQ2,M,01/01/2010,WBRI,UN1,,\n"
                                    "ABCDEFGHIJKLMNOPQ1,M,01/01/2010,WBRI,UN1,,\n"
                                    "ABCDEFGHIJKLMNOP,M,01/01/2010,WBRI,UN1,,\n"
                                    "\xc3\xa9,M,01/01/2010,WBRI,UN1,,\n"
                                    "b,M,01/01/2010,WBRI,UN1,,\n"
                                    ",M,01/01/2010,WBRI,UN1,,\n"
                                    "B,M,01/01/2010,WBRI,UN1,,\n"
                                    "ABCDEFGH,M,01/01/2010,WBRI,UN1,,\n");
        char *ep = cat(EPISODE_COLS, "b,01/04/2020,S,C2,N1,U1,PR1,,,,,,\n"
                                     "ABCDEFGHIJKLMNOPQ1,01/04/2020,S,C2,N1,U1,PR1,,,,,,\n"
                                     "b,01/05/2020,S,C2,N1,U1,PR1,,,,,,\n"
                                     "Z,01/04/2020,S,C2,N1,U1,PR1,,,,,,\n");
        const char *files[] = {"header.csv", hd, "episodes.csv", ep, NULL};
        struct ssda903_load *ld = load(files, NULL, 2021, NULL);
        const char *want[] = {
            "",  "ABCDEFGH", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ1", "ABCDEFGHIJKLMNOPQ2", "B",
            "Z", "b",        "\xc3\xa9"};
        assert_int_equal(ld->nchildren, sizeof want / sizeof *want);
        for (size_t k = 0; k < ld->nchildren; k++)
                assert_string_equal(ld->children[k].id, want[k]);
        for (int t = 0; t < SSDA903_NTABLES; t++)
                for (size_t i = 0; i < ld->t[t].n; i++) {
                        const struct ssda903_row *r = &ld->t[t].rows[i];
                        const char *id = r->v[SSDA903_COL_CHILD] ? r->v[SSDA903_COL_CHILD] : "";
                        assert_string_equal(ld->children[r->child].id, id);
                }
        /* Child "b" has two episodes, in DECOM order; Z has no Header row. */
        size_t n;
        struct ssda903_row *const *rows = ssda903_child_rows(&ld->t[SSDA903_EPISODES], 7, &n);
        assert_int_equal(n, 2);
        assert_int_equal(rows[0]->row, 1);
        assert_int_equal(rows[1]->row, 3);
        assert_null(ld->children[6].header);
        /* A table without rows has no index, and gives no rows. */
        assert_null(ld->t[SSDA903_REVIEWS].first);
        assert_null(ssda903_child_rows(&ld->t[SSDA903_REVIEWS], 0, &n));
        assert_int_equal(n, 0);
        ssda903_free(ld);
        free(hd);
        free(ep);
}

/* PL_DISTANCE is printf's "%.1f" of the distance in miles, whatever the coordinates. */
static void test_distance_is_printf(void **state)
{
        (void)state;
        enum { N = 400 };
        size_t cap = 64 + N * 48;
        char *pc = malloc(cap), *ep = malloc(64 + N * 96);
        assert_non_null(pc);
        assert_non_null(ep);
        size_t k = (size_t)snprintf(pc, cap, "pcd,oslaua,oseast1m,osnrth1m\nAA1 1AA,E1,0,0\n");
        size_t j = (size_t)snprintf(ep, 64 + N * 96, "%s", EPISODE_COLS);
        long east[N], north[N];
        for (int i = 0; i < N; i++) {
                /* Spread over short and long distances, with exact kilometres among them. */
                east[i] = (i * 7919L) % 700000 + (i % 3 == 0 ? 0 : i % 7);
                north[i] = i % 5 == 0 ? 0 : (i * 104729L) % 1200000;
                k += (size_t)snprintf(pc + k, cap - k, "ZZ%d 9ZZ,E2,%ld,%ld\n", i, east[i],
                                      north[i]);
                j += (size_t)snprintf(ep + j, 64 + N * 96 - j,
                                      "C%d,01/04/2020,S,C2,N1,U1,PR1,,,,AA1 1AA,ZZ%d 9ZZ,\n", i, i);
        }
        struct err e;
        err_clear(&e);
        struct refdata_postcodes *p = refdata_postcodes_mem("pc.csv", pc, k, NULL, NULL, 0, &e);
        assert_non_null(p);
        const char *files[] = {"episodes.csv", ep, NULL};
        struct ssda903_load *ld = load(files, NULL, 2021, p);
        const struct ssda903_table *t = &ld->t[SSDA903_EPISODES];
        assert_int_equal(t->n, N);
        for (int i = 0; i < N; i++) {
                double de = (double)east[i], dn = (double)north[i];
                double miles = sqrt(de * de + dn * dn) / 1000.0 / 1.6093;
                char want[64];
                snprintf(want, sizeof want, "%.1f", miles);
                assert_string_equal(t->rows[i].v[EP_PL_DISTANCE], want);
                assert_string_equal(t->rows[i].v[EP_PL_LA], "E2");
        }
        ssda903_free(ld);
        refdata_postcodes_free(p);
        free(pc);
        free(ep);
}

/*
 * A table of several batches goes through the reader's two threads: every row
 * keeps its place, numbers and text, quoted fields (which the CSV reader may
 * rewrite in a scratch area) included, and blank records are skipped but
 * counted.
 */
static void test_big_table(void **state)
{
        (void)state;
        enum { N = 10000 };
        size_t cap = 128 + (size_t)N * 64;
        char *csv = malloc(cap);
        assert_non_null(csv);
        size_t k = (size_t)snprintf(csv, cap, "CHILD,DOB,REVIEW,REVIEW_CODE\n");
        for (int i = 1; i <= N; i++) {
                if (i % 13 == 0)
                        k += (size_t)snprintf(csv + k, cap - k, ",,,\n");
                else if (i % 7 == 0)
                        k += (size_t)snprintf(csv + k, cap - k,
                                              "\"Q\"\"%d\",%02d/01/2010,\"%02d/03/2024\",pn%d\n", i,
                                              i % 28 + 1, i % 28 + 1, i % 7);
                else
                        k += (size_t)snprintf(csv + k, cap - k, "C%d,%02d/01/2010,,PN%d\n", i,
                                              i % 28 + 1, i % 7);
        }
        const char *files[] = {"reviews.csv", csv, NULL};
        struct ssda903_load *ld = load(files, NULL, 2024, NULL);
        const struct ssda903_table *t = &ld->t[SSDA903_REVIEWS];
        assert_int_equal(t->n, N - N / 13);
        size_t j = 0;
        for (int i = 1; i <= N; i++) {
                if (i % 13 == 0)
                        continue;
                const struct ssda903_row *r = &t->rows[j];
                char id[32], code[8];
                snprintf(id, sizeof id, i % 7 == 0 ? "Q\"%d" : "C%d", i);
                snprintf(code, sizeof code, "PN%d", i % 7);
                assert_int_equal(r->index, j);
                assert_int_equal(r->row, i);
                assert_int_equal(r->line, i + 1);
                assert_string_equal(r->v[RV_CHILD], id);
                assert_string_equal(r->v[RV_REVIEW_CODE], code);
                assert_int_equal(r->d[RV_DOB], date_from_ymd(2010, 1, i % 28 + 1));
                if (i % 7 == 0)
                        assert_int_equal(r->d[RV_REVIEW], date_from_ymd(2024, 3, i % 28 + 1));
                else
                        assert_null(r->v[RV_REVIEW]);
                j++;
        }
        ssda903_free(ld);
        free(csv);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_vformat_is_printf),
            cmocka_unit_test(test_threads_same_findings),
            cmocka_unit_test(test_ep_provider),
            cmocka_unit_test(test_threads_fixtures),
            cmocka_unit_test(test_dates),
            cmocka_unit_test(test_upper_case),
            cmocka_unit_test(test_children),
            cmocka_unit_test(test_distance_is_printf),
            cmocka_unit_test(test_big_table),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
