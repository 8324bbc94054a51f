/*
 * cin_build.c — a CIN census rebuilt from its flattened tables (build.h).
 *
 * Rows are appended table by table in their stored order; cin_build_finish()
 * then recovers what the XML tree said and a flat table does not: which
 * <Child> each row sat in, its parent row and its CIN episode.  Children are
 * kept as a linked list in document order while rows are matched to them,
 * because a child with no ChildIdentifiers row is only discovered part way.
 */
#include "returns/build.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct cin_row *build_row(struct cin_load *l, enum cin_table_id t, const char *const *cells,
                                 long row, bool copy)
{
        struct cin_table *tab = &l->table[t];
        if (tab->n == tab->cap) /* xgrow only when full: a census has millions of rows */
                tab->rows = xgrow(tab->rows, &tab->cap, tab->n + 1, sizeof *tab->rows);
        struct cin_row *r = &tab->rows[tab->n++];
        const struct cin_table_def *def = &cin_tables[t];
        size_t nc = def->ncols;
        /* The texts and the dates of a row in one block: pointers first, then dates. */
        const char **v = arena_alloc(&l->arena, nc * (sizeof *r->v + sizeof *r->d));
        date_t *dates = (date_t *)(v + nc);
        for (size_t c = 0; c < nc; c++) {
                dates[c] = DATE_NONE;
                if (!cells[c]) {
                        v[c] = NULL;
                        continue;
                }
                v[c] = copy ? arena_strdup(&l->arena, cells[c]) : cells[c];
                if (def->cols[c].type == CIN_DATE) {
                        date_t d;
                        size_t n = strlen(cells[c]);
                        dates[c] = date_parse_iso(cells[c], n, &d) == 0 ? d : DATE_BAD;
                }
        }
        r->v = v;
        r->d = dates;
        r->la = NULL;
        r->row = row;
        r->line = 0;
        r->child = CIN_NO_ROW;
        r->episode = CIN_NO_ROW;
        r->parent = CIN_NO_ROW;
        return r;
}

void cin_build_row(struct cin_load *l, enum cin_table_id t, const char *const *cells, long row)
{
        build_row(l, t, cells, row, true);
}

void cin_build_row_kept(struct cin_load *l, enum cin_table_id t, const char *const *cells, long row)
{
        build_row(l, t, cells, row, false);
}

void cin_build_reserve(struct cin_load *l, enum cin_table_id t, size_t n)
{
        struct cin_table *tab = &l->table[t];
        tab->rows = xgrow(tab->rows, &tab->cap, tab->n + n, sizeof *tab->rows);
}

size_t cin_date_cols(enum cin_table_id t)
{
        size_t n = 0;
        for (size_t c = 0; c < cin_tables[t].ncols; c++)
                n += cin_tables[t].cols[c].type == CIN_DATE;
        return n;
}

/* ---------------------------------------------------------------- children */

#define NONE SIZE_MAX

struct kids {
        const char **id; /* LAchildID each child was matched by (may be NULL) */
        size_t *next;    /* document order: a linked list from head */
        size_t n, cap, cap_next, head, tail;
};

static size_t kid_new(struct kids *k, const char *id, size_t after)
{
        k->id = xgrow(k->id, &k->cap, k->n + 1, sizeof *k->id);
        k->next = xgrow(k->next, &k->cap_next, k->n + 1, sizeof *k->next);
        size_t i = k->n++;
        k->id[i] = id;
        if (after == NONE) { /* before every other child */
                k->next[i] = k->head;
                k->head = i;
        } else {
                k->next[i] = k->next[after];
                k->next[after] = i;
        }
        if (k->next[i] == NONE)
                k->tail = i;
        return i;
}

static bool same_id(const char *a, const char *b)
{
        return a == b || (a && b && strcmp(a, b) == 0);
}

static long num(const char *s)
{
        if (!s)
                return -1;
        /* The reader writes ids as plain decimal text: read short ones here, as strtol would. */
        long v = 0;
        int k = 0;
        for (; k < 18 && s[k] >= '0' && s[k] <= '9'; k++)
                v = v * 10 + (s[k] - '0');
        if (k > 0 && s[k] == '\0')
                return v;
        return strtol(s, NULL, 10);
}

/* The column holding CINdetailsID in table t, or -1. */
static int cdid_col(enum cin_table_id t)
{
        for (size_t c = 0; c < cin_tables[t].ncols; c++)
                if (strcmp(cin_tables[t].cols[c].name, "CINdetailsID") == 0)
                        return (int)c;
        return -1;
}

/* Give each row of child-level table t a child, walking the list forward only. */
static void match_rows(struct cin_load *l, enum cin_table_id t, struct kids *k)
{
        struct cin_table *tab = &l->table[t];
        int cc = cdid_col(t);
        size_t cur = NONE;
        long prev = -1;
        for (size_t i = 0; i < tab->n; i++) {
                struct cin_row *r = &tab->rows[i];
                const char *id = r->v[0];
                long cd = cc >= 0 ? num(r->v[cc]) : -1;
                /* CINdetailsID counts 1, 2, … within a child: going back means a new <Child>. */
                bool again = cd >= 0 && prev >= 0 && (t == CIN_CINdetails ? cd <= prev : cd < prev);
                if (cur == NONE || !same_id(k->id[cur], id) || again) {
                        size_t j = cur == NONE ? k->head : k->next[cur];
                        while (j != NONE && !same_id(k->id[j], id))
                                j = k->next[j];
                        cur = j != NONE ? j : kid_new(k, id, cur);
                }
                r->child = cur;
                prev = cd;
        }
}

/* ---------------------------------------------------------------- parents */

/* The reader writes ids as plain decimal text, so equal numbers are equal texts. */
static bool same_num(const char *a, const char *b)
{
        return a == b || (a && b && strcmp(a, b) == 0);
}

/* Row of table t of child c whose columns a (and b, if >= 0) equal the row's; else NONE. */
static size_t find_in_child(const struct cin_load *l, size_t c, enum cin_table_id t, int ca,
                            const char *va, int cb, const char *vb)
{
        const struct cin_child *ch = &l->children[c];
        const struct cin_table *tab = &l->table[t];
        for (size_t i = ch->first[t]; i < ch->first[t] + ch->n[t]; i++) {
                const struct cin_row *p = &tab->rows[i];
                if (same_num(p->v[ca], va) && (cb < 0 || same_num(p->v[cb], vb)))
                        return i;
        }
        return NONE;
}

/* Each row's parent row (parent tables come before their children); CIN_NO_ROW for none. */
static void find_parents(struct cin_load *l)
{
        for (int ti = 0; ti < CIN_NTABLES; ti++) {
                enum cin_table_id t = (enum cin_table_id)ti;
                struct cin_table *tab = &l->table[t];
                enum cin_table_id pt = cin_tables[t].parent;
                if (pt == CIN_NTABLES)
                        continue;
                size_t np = l->table[pt].n;
                for (size_t i = 0; i < tab->n; i++) {
                        struct cin_row *r = &tab->rows[i];
                        if (r->child == CIN_NO_ROW)
                                continue;
                        size_t c = r->child;
                        switch (t) {
                        case CIN_Disabilities: {
                                const struct cin_child *ch = &l->children[c];
                                r->parent = ch->n[pt] ? ch->first[pt] : NONE;
                                break;
                        }
                        case CIN_AssessmentFactorsList:
                                r->parent = find_in_child(
                                    l, c, pt, CIN_AS_CINdetailsID, r->v[CIN_AF_CINdetailsID],
                                    CIN_AS_AssessmentID, r->v[CIN_AF_AssessmentID]);
                                break;
                        case CIN_Reviews:
                                r->parent = find_in_child(l, c, pt, CIN_CPP_CINdetailsID,
                                                          r->v[CIN_REV_CINdetailsID], CIN_CPP_CPPID,
                                                          r->v[CIN_REV_CPPID]);
                                break;
                        default: /* directly under CINdetails */
                                r->parent = find_in_child(l, c, pt, CIN_CD_CINdetailsID,
                                                          r->v[cdid_col(t)], -1, NULL);
                                break;
                        }
                        if (r->parent >= np)
                                r->parent = CIN_NO_ROW;
                }
        }
}

/*
 * One pass over every row, once its child and parent are known: its
 * authority and CIN episode, and the count of rows under each parent row as
 * the reader's finish() makes it (cin_rows_under).
 */
static void index_rows(struct cin_load *l)
{
        for (int ti = 0; ti < CIN_NTABLES; ti++) {
                enum cin_table_id t = (enum cin_table_id)ti;
                struct cin_table *tab = &l->table[t];
                enum cin_table_id pt = cin_tables[t].parent;
                size_t np = 0, *under = NULL;
                if (pt != CIN_NTABLES) {
                        np = l->table[pt].n;
                        free(tab->under);
                        under = tab->under = xcalloc(np + 2, sizeof *tab->under);
                }
                for (size_t i = 0; i < tab->n; i++) {
                        struct cin_row *r = &tab->rows[i];
                        r->la = l->la;
                        if (t == CIN_CINdetails)
                                r->episode = i;
                        if (pt == CIN_NTABLES || r->parent >= np)
                                continue;
                        under[r->parent + 1]++;
                        if (pt == CIN_CINdetails)
                                r->episode = r->parent;
                        else if (t != CIN_Disabilities)
                                r->episode = l->table[pt].rows[r->parent].episode;
                }
                for (size_t p = 0; p < np; p++)
                        under[p + 1] += under[p];
        }
}

/* The children's first rows, from their row counts and rows in child order. */
static void first_rows(struct cin_load *l)
{
        /*
         * Rows were matched forward only, so each table is already in child
         * order: a child's first rows follow the earlier children's.  One walk
         * over the children for every table at once (a child is a large record).
         */
        size_t at[CIN_NTABLES] = {0};
        /* A table with no rows leaves every child's first row 0, as the children were made. */
        int with[CIN_NTABLES] = {0}, nwith = 0;
        for (int t = CIN_ChildIdentifiers; t < CIN_NTABLES; t++)
                if (l->table[t].n)
                        with[nwith++] = t;
        for (size_t c = 0; c < l->nchildren; c++) {
                struct cin_child *ch = &l->children[c];
                for (int k = 0; k < nwith; k++) {
                        int t = with[k];
                        ch->first[t] = at[t];
                        at[t] += ch->n[t];
                }
        }
}

/* The children's row counts and first rows, from rows in child order. */
static void count_children(struct cin_load *l)
{
        for (int t = CIN_ChildIdentifiers; t < CIN_NTABLES; t++) {
                struct cin_table *tab = &l->table[t];
                for (size_t i = 0; i < tab->n; i++)
                        if (tab->rows[i].child < l->nchildren)
                                l->children[tab->rows[i].child].n[t]++;
        }
        first_rows(l);
}

void cin_build_finish(struct cin_load *l, const char *la)
{
        struct kids k = {.head = NONE, .tail = NONE};
        /* Each ChildIdentifiers row is one <Child>, in document order. */
        struct cin_table *ci = &l->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++)
                ci->rows[i].child = kid_new(&k, ci->rows[i].v[CIN_CI_LAchildID], k.tail);
        for (int t = CIN_ChildCharacteristics; t < CIN_NTABLES; t++)
                match_rows(l, (enum cin_table_id)t, &k);

        /* Number the children in list order and count their rows table by table. */
        size_t *final = xmalloc((k.n ? k.n : 1) * sizeof *final);
        l->children = xcalloc(k.n ? k.n : 1, sizeof *l->children);
        l->nchildren = l->cap_children = k.n;
        size_t pos = 0;
        for (size_t j = k.head; j != NONE; j = k.next[j]) {
                final[j] = pos;
                l->children[pos].LAchildID = k.id[j];
                pos++;
        }
        for (int t = CIN_ChildIdentifiers; t < CIN_NTABLES; t++) {
                struct cin_table *tab = &l->table[t];
                for (size_t i = 0; i < tab->n; i++)
                        tab->rows[i].child = final[tab->rows[i].child];
        }
        free(final);
        free(k.id);
        free(k.next);
        count_children(l);

        l->la = la ? arena_strdup(&l->arena, la) : NULL;
        find_parents(l);
        index_rows(l);
}

/*
 * A linked census is laid out in one pass: each row, as it is appended from
 * the given cells and dates, is checked, counted for its child, names its
 * child and is given its authority, episode and place among its parent's
 * rows, where a range check, count_children() and index_rows() made three
 * more walks over every row.  That needs each parent table complete before
 * its children's rows come: tables are given in order.
 */

void cin_build_link_begin(struct cin_load *l, size_t nchildren, const char *la)
{
        l->children = xcalloc(nchildren ? nchildren : 1, sizeof *l->children);
        l->nchildren = l->cap_children = nchildren;
        l->la = la ? arena_strdup(&l->arena, la) : NULL;
}

int cin_build_link_table(struct cin_load *l, enum cin_table_id t, size_t n, const int *cols,
                         int ncols, struct cin_link_table *lt)
{
        /* A table after t already begun could hold rows under t's, counted too early. */
        for (int u = t; u < CIN_NTABLES; u++)
                if (l->table[u].n || (u > (int)t && l->table[u].under))
                        return -1;
        const struct cin_table_def *def = &cin_tables[t];
        if (def->ncols > CIN_LINK_MAXCOLS)
                return -1;
        struct cin_table *tab = &l->table[t];
        enum cin_table_id pt = def->parent;
        *lt = (struct cin_link_table){.t = t, .ncols = def->ncols};
        if (pt != CIN_NTABLES) {
                if (pt >= t)
                        return -1;
                lt->np = l->table[pt].n;
                free(tab->under);
                tab->under = xcalloc(lt->np + 2, sizeof *tab->under);
        }
        for (size_t c = 0; c < def->ncols; c++)
                if (def->cols[c].type == CIN_DATE)
                        lt->date_col[lt->ndates++] = (unsigned char)c;
        if (ncols < 0 || (size_t)ncols > def->ncols)
                return -1;
        for (int k = 0; k < ncols; k++) {
                if (cols[k] < 0 || (size_t)cols[k] >= def->ncols || (k && cols[k] <= cols[k - 1]))
                        return -1;
                lt->given[lt->ngiven++] = (unsigned char)cols[k];
        }
        cin_build_reserve(l, t, n);
        /*
         * The rows' texts and dates, a block each for the table rather than
         * one a row, made blank at once: a row then sets only the texts it
         * gives and its dates.
         */
        if (n && def->ncols) {
                size_t cells = n * def->ncols;
                const char **v = arena_alloc(&l->arena, cells * sizeof *v);
                date_t *d = arena_alloc(&l->arena, cells * sizeof *d);
                memset(v, 0, cells * sizeof *v); /* NULL, as in every xcalloc'd array of pointers */
                /* DATE_NONE in one row, then copied over the rest, doubling. */
                for (size_t c = 0; c < def->ncols; c++)
                        d[c] = DATE_NONE;
                for (size_t done = def->ncols; done < cells;) {
                        size_t k = done < cells - done ? done : cells - done;
                        memcpy(d + done, d, k * sizeof *d);
                        done += k;
                }
                lt->v = v;
                lt->d = d;
                lt->room = n;
        }
        return 0;
}

int cin_build_row_linked(struct cin_load *l, struct cin_link_table *lt, const char *const *cells,
                         const unsigned char *packed, long row, size_t child, size_t parent)
{
        /* Links out of range would index past the children or a parent table: refuse them. */
        enum cin_table_id t = lt->t;
        bool child_ok = t == CIN_Header ? child == CIN_NO_ROW : child < l->nchildren;
        if (!child_ok || (parent != CIN_NO_ROW && parent >= lt->np))
                return -1;
        struct cin_table *tab = &l->table[t];
        size_t nc = lt->ncols;
        const char **v;
        date_t *dates;
        if (lt->room) { /* from the table's blocks; its rows were reserved with them */
                v = lt->v;
                dates = lt->d;
                lt->v += nc;
                lt->d += nc;
                lt->room--;
        } else { /* more rows than announced: one block a row, as build_row() lays them out */
                if (tab->n == tab->cap)
                        tab->rows = xgrow(tab->rows, &tab->cap, tab->n + 1, sizeof *tab->rows);
                v = arena_alloc(&l->arena, nc * (sizeof(const char *) + sizeof(date_t)));
                dates = (date_t *)(v + nc);
                for (size_t c = 0; c < nc; c++) {
                        v[c] = NULL;
                        dates[c] = DATE_NONE;
                }
        }
        size_t i = tab->n++;
        struct cin_row *r = &tab->rows[i];
        for (int k = 0; k < lt->ngiven; k++)
                v[lt->given[k]] = cells[k];
        for (int k = 0; k < lt->ndates; k++)
                memcpy(&dates[lt->date_col[k]], packed + k * sizeof *dates, sizeof *dates);
        r->v = v;
        r->d = dates;
        r->la = l->la;
        r->row = row;
        r->line = 0;
        r->child = child;
        r->episode = t == CIN_CINdetails ? i : CIN_NO_ROW;
        r->parent = parent;
        if (t != CIN_Header) {
                /*
                 * A child's LAchildID is the one its rows were matched by.  Every
                 * row of a child has it (match_rows keeps a child's rows to one
                 * id, NULL only with NULL), so the first row met with one gives it
                 * as cin_build_finish() does.
                 */
                struct cin_child *ch = &l->children[child];
                if (!ch->LAchildID)
                        ch->LAchildID = v[t == CIN_ChildIdentifiers ? CIN_CI_LAchildID : 0];
                ch->n[t]++;
        }
        if (parent == CIN_NO_ROW) /* a table with no parent has no other */
                return 0;
        tab->under[parent + 1]++;
        enum cin_table_id pt = cin_tables[t].parent;
        if (pt == CIN_CINdetails)
                r->episode = parent;
        else if (t != CIN_Disabilities)
                r->episode = l->table[pt].rows[parent].episode;
        return 0;
}

void cin_build_link_end(struct cin_load *l)
{
        for (int t = 0; t < CIN_NTABLES; t++) {
                struct cin_table *tab = &l->table[t];
                enum cin_table_id pt = cin_tables[t].parent;
                /*
                 * A table not given keeps no offsets: cin_rows_under() answers
                 * no rows under any parent, as a zeroed array would.
                 */
                if (pt == CIN_NTABLES || !tab->under)
                        continue;
                size_t np = l->table[pt].n;
                for (size_t p = 0; p < np; p++)
                        tab->under[p + 1] += tab->under[p];
        }
        first_rows(l);
}
