/*
 * fuzz_cin_xml.c — libFuzzer harness for the CIN census XML reader
 * (src/returns/cin_xml.c).
 *
 * Each input is read from memory, and the result checked, never just run:
 *  - a refused input gives EXIT_INPUT, a message starting "in:" and an empty
 *    load (nothing of a malformed document is handed back);
 *  - an accepted one has consistent tables: row numbers 1..n, rows inside
 *    their child and under an existing parent row, the parent offsets of
 *    cin_rows_under() covering every row once, cells trimmed and non-empty,
 *    date columns parsed consistently with their text, LAchildID copied from
 *    the child, and issues within the limit;
 *  - for ASCII-compatible input, line numbers lie within the input and never
 *    go backwards within a table (the lexical line tracking stays in step).
 */
#include "core/err.h"
#include "returns/cin.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long count_lines(const char *d, size_t n)
{
        long lines = 1;
        for (size_t i = 0; i < n; i++)
                if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= n || d[i + 1] != '\n')))
                        lines++;
        return lines;
}

/* Input whose bytes the line tracking reads directly: no NULs, no declared encoding, no BOM
 * other than UTF-8's. */
static int ascii_compatible(const char *d, size_t n)
{
        if (n >= 2 && ((unsigned char)d[0] >= 0xFE || d[0] == 0))
                return 0;
        if (memchr(d, 0, n))
                return 0;
        return memmem(d, n, "encoding", 8) == NULL;
}

static int is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check_load(const struct cin_load *l, const char *d, size_t n)
{
        long maxline = count_lines(d, n);
        int lines_exact = ascii_compatible(d, n);
        assert(l->nissues <= CIN_MAX_ISSUES);
        assert(l->issues_dropped == 0 || l->nissues == CIN_MAX_ISSUES);
        for (size_t i = 0; i < l->nissues; i++) {
                assert(l->issues[i].text && l->issues[i].element && l->issues[i].table);
                if (lines_exact)
                        assert(l->issues[i].line >= 1 && l->issues[i].line <= maxline);
        }
        for (int t = 0; t < CIN_NTABLES; t++) {
                const struct cin_table *tab = &l->table[t];
                const struct cin_table_def *def = &cin_tables[t];
                enum cin_table_id pt = def->parent;
                long last_line = 0;
                size_t covered = 0;
                if (pt != CIN_NTABLES) {
                        for (size_t p = 0; p < l->table[pt].n; p++) {
                                size_t first,
                                    k = cin_rows_under(l, (enum cin_table_id)t, p, &first);
                                assert(k == 0 || first + k <= tab->n);
                                for (size_t j = first; j < first + k; j++)
                                        assert(tab->rows[j].parent == p);
                                covered += k;
                        }
                        assert(covered == tab->n);
                }
                for (size_t i = 0; i < tab->n; i++) {
                        const struct cin_row *r = &tab->rows[i];
                        assert(r->row == (long)i + 1);
                        assert(r->la == l->la);
                        if (lines_exact) {
                                assert(r->line >= 1 && r->line <= maxline);
                                assert(r->line >= last_line);
                        }
                        last_line = r->line;
                        if (t == CIN_Header) {
                                assert(r->child == CIN_NO_ROW);
                        } else {
                                assert(r->child < l->nchildren);
                                const struct cin_child *c = &l->children[r->child];
                                assert(i >= c->first[t] && i < c->first[t] + c->n[t]);
                                assert(r->v[0] == c->LAchildID);
                        }
                        if (pt != CIN_NTABLES)
                                assert(r->parent < l->table[pt].n);
                        if (t == CIN_CINdetails)
                                assert(r->episode == i);
                        if (t >= CIN_Assessments) {
                                assert(r->episode < l->table[CIN_CINdetails].n);
                                assert(l->table[CIN_CINdetails].rows[r->episode].child == r->child);
                        }
                        for (size_t c = 0; c < def->ncols; c++) {
                                const char *v = r->v[c];
                                if (v) {
                                        size_t len = strlen(v);
                                        assert(len > 0);
                                        if (def->cols[c].type != CIN_ID && c != 0 &&
                                            !(t == CIN_Assessments &&
                                              c == CIN_AS_AssessmentFactors))
                                                assert(!is_space(v[0]) && !is_space(v[len - 1]));
                                }
                                if (def->cols[c].type == CIN_DATE) {
                                        date_t x;
                                        if (!v)
                                                assert(r->d[c] == DATE_NONE);
                                        else if (date_parse_iso(v, strlen(v), &x) == 0)
                                                assert(r->d[c] == x);
                                        else
                                                assert(r->d[c] == DATE_BAD);
                                } else {
                                        assert(r->d[c] == DATE_NONE);
                                }
                        }
                }
        }
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_child *c = &l->children[k];
                for (int t = 0; t < CIN_NTABLES; t++)
                        assert(c->first[t] + c->n[t] <= l->table[t].n);
                if (lines_exact)
                        assert(c->line >= 1 && c->line <= maxline);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *d = (const char *)data;
        struct cin_load l;
        struct err e;
        cin_load_init(&l);
        err_clear(&e);
        if (cin_read_buffer(&l, d, size, "in", size % 2 ? "938" : NULL, &e) < 0) {
                assert(e.code == EXIT_INPUT || e.code == EXIT_INTERNAL);
                assert(strncmp(e.msg, "in:", 3) == 0);
                for (int t = 0; t < CIN_NTABLES; t++)
                        assert(l.table[t].n == 0);
                assert(l.nchildren == 0 && l.nissues == 0);
        } else {
                assert(e.code == 0);
                check_load(&l, d, size);
        }
        cin_load_release(&l);
        return 0;
}
