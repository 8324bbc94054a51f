/*
 * test_ssda903_tables_at_once.c — ssda903_add_csv_tables() reads several CSV
 * tables on two threads and must give exactly what ssda903_add_mem() on each
 * file in turn gives: the same rows and cells, and on bad input the same
 * first error (in input order, whichever thread met it first).
 */
#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "returns/ssda903.h"

#include <stdio.h>

struct mem_file {
        const char *name;
        const char *text;
        int previous;
};

static int read_mem(void *ctx, struct buf *b, struct err *e)
{
        (void)e;
        const struct mem_file *f = ctx;
        buf_append(b, f->text, strlen(f->text));
        return 0;
}

/* A table of n data rows for `cols` (a header line); row i's cells come from fmt_row. */
static char *make_table(const char *cols, size_t n, void (*fmt_row)(struct buf *b, size_t i))
{
        struct buf b;
        buf_init(&b);
        buf_append(&b, cols, strlen(cols));
        for (size_t i = 0; i < n; i++)
                fmt_row(&b, i);
        char *s = strdup(b.data);
        buf_release(&b);
        return s;
}

static void header_row(struct buf *b, size_t i)
{
        buf_printf(b, "C%05zu,%c,%02zu/0%zu/20%02zu,WBRI,A%012zu,%s,\n", i, i % 3 ? 'M' : 'f',
                   i % 28 + 1, i % 9 + 1, i % 18, i, i % 2 ? "0" : "");
}

static void episode_row(struct buf *b, size_t i)
{
        /* Two episodes a child; every 7th has a quoted placement, every 11th is blank. */
        if (i % 11 == 10) {
                buf_printf(b, ",,,,,,,,,,,,\n");
                return;
        }
        buf_printf(b, "C%05zu,01/%02zu/2024,%s,C2,N1,%s,PR1,,,,AB1 2CD,\" ef3 4gh \",SC%06zu\n",
                   i / 2, i % 12 + 1, i % 2 ? "P" : "s", i % 7 ? "U1" : "\"u4\"", i);
}

static void review_row(struct buf *b, size_t i)
{
        buf_printf(b, "C%05zu,01/01/2010,%zu/%zu/2024,pn%zu\n", i / 3, i % 27 + 1, i % 12 + 1,
                   i % 8);
}

static void expect_same_tables(const struct ssda903_load *a, const struct ssda903_load *b)
{
        for (int t = 0; t < SSDA903_NTABLES; t++) {
                const struct ssda903_table *x = &a->t[t], *y = &b->t[t];
                assert_int_equal(x->n, y->n);
                assert_true((x->file == NULL) == (y->file == NULL));
                if (x->file)
                        assert_string_equal(x->file, y->file);
                for (size_t i = 0; i < x->n; i++) {
                        const struct ssda903_row *p = &x->rows[i], *q = &y->rows[i];
                        assert_int_equal(p->row, q->row);
                        assert_int_equal(p->line, q->line);
                        assert_int_equal(p->index, q->index);
                        assert_int_equal(p->index, i);
                        for (int c = 0; c < x->def->ncols; c++) {
                                assert_true((p->v[c] == NULL) == (q->v[c] == NULL));
                                if (p->v[c])
                                        assert_string_equal(p->v[c], q->v[c]);
                                assert_int_equal(p->d[c], q->d[c]);
                        }
                }
        }
}

/* Read files one after another and at once; both succeed or both fail with one message. */
static void compare(const struct mem_file *files, size_t n, int want_rc)
{
        struct err e1, e2;
        err_clear(&e1);
        err_clear(&e2);
        struct ssda903_load *one = ssda903_new(), *both = ssda903_new();
        int rc1 = 0;
        for (size_t i = 0; i < n && rc1 == 0; i++)
                rc1 = ssda903_add_mem(one, files[i].name, files[i].text, strlen(files[i].text),
                                      files[i].previous, &e1);
        struct ssda903_csv_input *in = calloc(n, sizeof *in);
        for (size_t i = 0; i < n; i++)
                in[i] =
                    (struct ssda903_csv_input){files[i].name, files[i].previous,
                                               strlen(files[i].text), read_mem, (void *)&files[i]};
        int rc2 = ssda903_add_csv_tables(both, in, n, &e2);
        free(in);
        assert_int_equal(rc1, want_rc);
        assert_int_equal(rc2, want_rc);
        if (want_rc == 0) {
                expect_same_tables(one, both);
                struct ssda903_options o = {.collection_year = 2025};
                assert_int_equal(ssda903_finish(one, &o, &e1), 0);
                assert_int_equal(ssda903_finish(both, &o, &e2), 0);
                assert_int_equal(one->nchildren, both->nchildren);
        } else {
                assert_int_equal(e1.code, e2.code);
                assert_string_equal(e1.msg, e2.msg);
        }
        ssda903_free(one);
        ssda903_free(both);
}

static char *hd, *ep, *rv;

static int setup(void **state)
{
        (void)state;
        hd = make_table("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n", 3000, header_row);
        /* Columns in another order than the canonical one. */
        ep = make_table("DECOM,CHILD,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
                        "HOME_POST,PL_POST,URN\n",
                        5000, episode_row);
        rv = make_table("CHILD,DOB,REVIEW,REVIEW_CODE\n", 9000, review_row);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        free(hd);
        free(ep);
        free(rv);
        return 0;
}

static void test_same_rows(void **state)
{
        (void)state;
        const struct mem_file files[] = {{"rv.csv", rv, 0},
                                         {"hd.csv", hd, 0},
                                         {"ep.csv", ep, 0},
                                         {"ep_last.csv", ep, 1},
                                         {"hd_last.csv", hd, 1}};
        compare(files, 5, 0);
        compare(files, 2, 0);
        compare(files, 1, 0);
}

static void test_first_error_in_input_order(void **state)
{
        (void)state;
        static const char ragged[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,M,01/01/2010\n";
        static const char nomatch[] = "A,B,C\n1,2,3\n";
        static const char utf16[] = "\xff\xfe"
                                    "C\0";
        /* The second Header comes after the ragged Episodes-sized file: the ragged row first. */
        const struct mem_file a[] = {
            {"rv.csv", rv, 0}, {"bad.csv", ragged, 0}, {"hd.csv", hd, 0}, {"hd2.csv", hd, 0}};
        compare(a, 4, -1);
        /* A second table for Header, before a later malformed file. */
        const struct mem_file b[] = {
            {"hd.csv", hd, 0}, {"ep.csv", ep, 0}, {"hd2.csv", hd, 0}, {"bad.csv", ragged, 0}};
        compare(b, 4, -1);
        /* Columns matching no table, and a UTF-16 file, among large tables. */
        const struct mem_file c[] = {{"ep.csv", ep, 0}, {"x.csv", nomatch, 0}, {"rv.csv", rv, 0}};
        compare(c, 3, -1);
        const struct mem_file d[] = {{"ep.csv", ep, 0}, {"rv.csv", rv, 0}, {"u.csv", utf16, 0}};
        compare(d, 3, -1);
}

static void test_messages(void **state)
{
        (void)state;
        /* The error is the first file's own, worded as reading it alone would. */
        const struct mem_file a[] = {{"ep.csv", ep, 0}, {"hd.csv", hd, 0}, {"hd2.csv", hd, 0}};
        struct ssda903_csv_input in[3];
        for (int i = 0; i < 3; i++)
                in[i] = (struct ssda903_csv_input){a[i].name, 0, strlen(a[i].text), read_mem,
                                                   (void *)&a[i]};
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_csv_tables(ld, in, 3, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "hd2.csv:1: a second Header table; hd.csv already"));
        ssda903_free(ld);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_same_rows),
            cmocka_unit_test(test_first_error_in_input_order),
            cmocka_unit_test(test_messages),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
