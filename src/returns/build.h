/*
 * build.h — rebuilding a return in memory from rows kept elsewhere (the
 * store), so that code written for a freshly read return (the measures
 * engine) runs unchanged over what was imported earlier.
 *
 * The readers build loads from files; these functions build the same loads
 * from table rows given one at a time, as text cells in the reader's column
 * order (ssda903.h, cin.h):
 *
 *  - SSDA903: dates as dd/mm/YYYY (any text that is not a date is kept and
 *    becomes DATE_BAD, as when read); derived columns (Header UASC, Episodes
 *    PL_DISTANCE / PL_LA / PL_LOCATION) are taken as given, since the
 *    reference data that made them is not at hand again.
 *  - CIN census: dates as YYYY-MM-DD; the reader's numbered ids
 *    (CINdetailsID, AssessmentID, CPPID) as decimal text.  The census's tree
 *    (which <Child> a row sat in, which CINdetails, Assessment or plan is its
 *    parent) is not kept by a flat table, so cin_build_finish() recovers it
 *    from the rows' order within their tables and their ids: a child's rows
 *    are consecutive in every table and share its LAchildID, and each nested
 *    row names its parent by CINdetailsID (and AssessmentID or CPPID).  Two
 *    <Child> blocks with the same LAchildID are told apart only where a
 *    table's CINdetailsID starts again; a child with no ChildIdentifiers row
 *    is placed where its rows first appear.
 *
 * Ownership as for loads read from files: everything lives in the load.
 */
#ifndef IMPROVE_RETURNS_BUILD_H
#define IMPROVE_RETURNS_BUILD_H

#include "returns/cin.h"
#include "returns/ssda903.h"

#include <stddef.h>

struct err;

/*
 * Say that this year's table t (< SSDA903_NCURRENT) was supplied, by `file`
 * (a name for messages), even if no row follows.  -1 + error if it already was.
 */
int ssda903_build_table(struct ssda903_load *ld, int t, const char *file, struct err *e);
/* Append a row to this year's table t: cells[def->ncols], NULL for blank; `row` its position. */
void ssda903_build_row(struct ssda903_load *ld, int t, const char *const *cells, long row);
/*
 * Index the load as ssda903_finish() does, for collection year `year`.  A
 * Header UASC flag given with the row is kept (otherwise derived from the
 * UASC table, as for CSV); `postcodes_applied` says whether the derived
 * distance columns were filled when the return was first read.
 */
int ssda903_build_finish(struct ssda903_load *ld, int year, int postcodes_applied, struct err *e);
/*
 * A row as ssda903_build_row() made it, given back (as a store snapshot
 * keeps it): cells[def->ncols] the row's texts as built (kept, not copied:
 * they must live as long as the load, in its arena) and `dates` its date
 * columns as parsed (ssda903_date_cols(t) int32 values in column order,
 * unaligned).  The row is the one ssda903_build_row() gave, made without
 * trimming, upper-casing or parsing again.
 */
size_t ssda903_date_cols(int t);
/* What the rows of one table given back need, worked out once for the table. */
struct ssda903_build_rows {
        int t, ncols, ndates;
        unsigned char date_col[SSDA903_MAXCOLS]; /* the date columns, in order */
        /* private: the texts and dates of the rows reserved, one block each for the table */
        const char **v;
        date_t *d;
        size_t room;
};
/*
 * Room for n more rows in table t (< SSDA903_NCURRENT), so that appending
 * them never regrows; br is for the rows of t given back next.
 */
void ssda903_build_reserve(struct ssda903_load *ld, int t, size_t n, struct ssda903_build_rows *br);
void ssda903_build_row_parsed(struct ssda903_load *ld, struct ssda903_build_rows *br,
                              const char *const *cells, const unsigned char *dates, long row);

/* Append a row to table t of an initialised census: cells[ncols], NULL for blank. */
void cin_build_row(struct cin_load *l, enum cin_table_id t, const char *const *cells, long row);
/* The same, keeping the cells themselves: they must live as long as the load (in its arena). */
void cin_build_row_kept(struct cin_load *l, enum cin_table_id t, const char *const *cells,
                        long row);
/* Recover children, parents and episodes (see above) and set the authority of every row. */
void cin_build_finish(struct cin_load *l, const char *la);

/*
 * A census whose links are already known (a copy of one cin_build_finish()
 * made, as a store snapshot keeps it), laid out in one pass.
 * cin_build_link_begin() makes its `nchildren` children and sets its
 * authority; then table by table, in table order, cin_build_link_table()
 * (-1 when a table comes out of order) and each of its rows with
 * cin_build_row_linked(): cells kept (the texts of the columns `cols` that
 * cin_build_link_table() was given, in that order; every other column is
 * blank), its date columns as parsed (`dates`:
 * cin_date_cols(t) int32 values in column order, unaligned, DATE_NONE for
 * blank and DATE_BAD for a text that is no date), its child (index among
 * `nchildren`, CIN_NO_ROW for Header) and parent row (CIN_NO_ROW for none);
 * -1 when a link is out of range.  cin_build_link_end() then completes the
 * children, episodes and row counts exactly as cin_build_finish() makes
 * them.  After a -1 the load is to be released.
 */
size_t cin_date_cols(enum cin_table_id t);
/* Room for n more rows in table t, so that appending them never regrows the table. */
void cin_build_reserve(struct cin_load *l, enum cin_table_id t, size_t n);
void cin_build_link_begin(struct cin_load *l, size_t nchildren, const char *la);
/* What a linked row of one table needs, worked out once for the table's rows. */
#define CIN_LINK_MAXCOLS 32
struct cin_link_table {
        enum cin_table_id t;
        size_t ncols;
        size_t np; /* rows of the parent table (0 for none) */
        int ndates;
        unsigned char date_col[CIN_LINK_MAXCOLS]; /* the date columns, in order */
        int ngiven;
        unsigned char given[CIN_LINK_MAXCOLS]; /* the columns whose texts rows give */
        /* private: the texts and dates of the n rows announced, one block each for the table */
        const char **v;
        date_t *d;
        size_t room;
};
/*
 * Table t's n rows come next (room is made for them), giving the texts of
 * columns cols[ncols] (increasing); lt is for their rows.
 */
int cin_build_link_table(struct cin_load *l, enum cin_table_id t, size_t n, const int *cols,
                         int ncols, struct cin_link_table *lt);
int cin_build_row_linked(struct cin_load *l, struct cin_link_table *lt, const char *const *cells,
                         const unsigned char *dates, long row, size_t child, size_t parent);
void cin_build_link_end(struct cin_load *l);

#endif
