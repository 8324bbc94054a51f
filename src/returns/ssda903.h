/*
 * ssda903.h — the SSDA903 (children looked after) return held in memory.
 *
 * One generic table representation, driven by data: a table definition names
 * the DfE table, lists its canonical columns (the CSV header names) and says
 * which columns hold dates.  Every table — Header, Episodes, …, DoLo and the
 * previous-year `_last` copies — is a `struct ssda903_table` of rows, and a
 * row is two parallel arrays indexed by the column enums below:
 *
 *      r->v[EP_PLACE]   the cell as a NUL-terminated string, NULL when blank;
 *                       surrounding spaces trimmed; upper-cased except CHILD
 *                       (an identifier, kept as written)
 *      r->d[EP_DECOM]   for a date column, the parsed dd/mm/YYYY date:
 *                       DATE_NONE when blank, DATE_BAD when present but not a
 *                       real date; for other columns DATE_NONE
 *
 * so a rule is plain C over rows, e.g.
 *
 *      for (size_t i = 0; i < ep->n; i++) {
 *              const struct ssda903_row *r = &ep->rows[i];
 *              if (r->d[EP_DEC] != DATE_NONE && r->d[EP_DEC] < r->d[EP_DECOM]) ...
 *      }
 *
 * Derived columns follow a table's file columns: Header's UASC flag ("1" when
 * the child is in the UASC table, or from the XML's HEADER/UASC; else "0"), and
 * Episodes' PL_DISTANCE / PL_LA / PL_LOCATION (data-formats.md §1.5; filled
 * only when a postcode table is given, else NULL).
 *
 * Children: ssda903_finish() gives every distinct CHILD of every table (this
 * year's and last year's) a number 0..nchildren-1, in strcmp order of the id,
 * and builds one index per table, once, so that no rule sorts: the rows of
 * child k in table t are t->sorted[t->first[k] .. t->first[k+1]), ordered by
 * the table's sort columns (Episodes by DECOM then DEC; Reviews by REVIEW; …;
 * blank and bad dates last; ties in input order).  Use ssda903_child_rows()
 * (a table without rows has no index: first and sorted stay NULL).
 *
 * Ownership: everything in a load — rows, strings, indexes, notes — lives in
 * its arenas and dies with ssda903_free().  Pointers into a load stay valid
 * until then.  A load is not modified by rules, which may read it from several
 * threads at once.  Equal cells need not be one copy, nor distinct copies.
 *
 * Building a load:
 *      ld = ssda903_new();
 *      ssda903_add_path(ld, path, 0, e)     file or directory (CSV or XML)
 *      ssda903_add_path(ld, prev, 1, e)     previous year's tables (`_last`)
 *      ssda903_add_mem(ld, name, buf, n, 0, e)  the same from memory (tests, fuzzing)
 *      ssda903_finish(ld, &opts, e)          indexes, collection year, postcodes
 * or in one call ssda903_load_paths().  Malformed input (not readable as its
 * format) gives -1 and an EXIT_INPUT error "FILE:LINE: what, expected"; the
 * load must then be freed, not used.  Problems that do not stop reading (an
 * unexpected XML element) are kept as notes on the load.
 */
#ifndef IMPROVE_SSDA903_H
#define IMPROVE_SSDA903_H

#include "core/arena.h"
#include "core/date.h"

#include <stddef.h>
#include <stdint.h>

struct err;
struct refdata_postcodes;
struct s903_codes;

/* A date cell that is present but is not a real dd/mm/YYYY date. */
#define DATE_BAD (INT32_MIN + 1)

/* Tables.  The `_last` tables are this year's table + SSDA903_NCURRENT. */
enum ssda903_table_id {
        SSDA903_HEADER,
        SSDA903_EPISODES,
        SSDA903_REVIEWS,
        SSDA903_UASC,
        SSDA903_OC2,
        SSDA903_OC3,
        SSDA903_AD1,
        SSDA903_PLACED_ADOPTION,
        SSDA903_PREV_PERM,
        SSDA903_MISSING,
        SSDA903_SW_EPISODES,
        SSDA903_DOLO,
        SSDA903_NCURRENT,
        SSDA903_HEADER_LAST = SSDA903_NCURRENT,
        SSDA903_EPISODES_LAST,
        SSDA903_REVIEWS_LAST,
        SSDA903_UASC_LAST,
        SSDA903_OC2_LAST,
        SSDA903_OC3_LAST,
        SSDA903_AD1_LAST,
        SSDA903_PLACED_ADOPTION_LAST,
        SSDA903_PREV_PERM_LAST,
        SSDA903_MISSING_LAST,
        SSDA903_SW_EPISODES_LAST,
        SSDA903_DOLO_LAST,
        SSDA903_NTABLES,
};
#define SSDA903_LAST(t) ((t) + SSDA903_NCURRENT)

/*
 * Column indices, named after the DfE columns with a table prefix.  Derived
 * columns come after the file columns; *_NFILE is the number of file columns
 * and *_NCOLS the number including derived ones.
 */
/* clang-format off */
enum { HD_CHILD, HD_SEX, HD_DOB, HD_ETHNIC, HD_UPN, HD_MOTHER, HD_MC_DOB, HD_NFILE,
       HD_UASC = HD_NFILE, HD_NCOLS };
enum { EP_CHILD, EP_DECOM, EP_RNE, EP_LS, EP_CIN, EP_PLACE, EP_PLACE_PROVIDER, EP_DEC, EP_REC,
       EP_REASON_PLACE_CHANGE, EP_HOME_POST, EP_PL_POST, EP_URN, EP_NFILE,
       EP_PL_DISTANCE = EP_NFILE, EP_PL_LA, EP_PL_LOCATION, EP_NCOLS };
enum { RV_CHILD, RV_DOB, RV_REVIEW, RV_REVIEW_CODE, RV_NFILE, RV_NCOLS = RV_NFILE };
enum { UA_CHILD, UA_SEX, UA_DOB, UA_DUC, UA_NFILE, UA_NCOLS = UA_NFILE };
enum { O2_CHILD, O2_DOB, O2_SDQ_SCORE, O2_SDQ_REASON, O2_CONVICTED, O2_HEALTH_CHECK,
       O2_IMMUNISATIONS, O2_TEETH_CHECK, O2_HEALTH_ASSESSMENT, O2_SUBSTANCE_MISUSE,
       O2_INTERVENTION_RECEIVED, O2_INTERVENTION_OFFERED, O2_NFILE, O2_NCOLS = O2_NFILE };
enum { O3_CHILD, O3_DOB, O3_IN_TOUCH, O3_ACTIV, O3_ACCOM, O3_NFILE, O3_NCOLS = O3_NFILE };
enum { AD_CHILD, AD_DOB, AD_DATE_INT, AD_DATE_MATCH, AD_FOSTER_CARE, AD_NB_ADOPTR, AD_SEX_ADOPTR,
       AD_LS_ADOPTR, AD_NFILE, AD_NCOLS = AD_NFILE };
enum { PA_CHILD, PA_DOB, PA_DATE_PLACED, PA_DATE_PLACED_CEASED, PA_REASON_PLACED_CEASED,
       PA_NFILE, PA_NCOLS = PA_NFILE };
/* DATE_PERM is text, not a date column: parts may be ZZ (ZZ/05/2019). */
enum { PP_CHILD, PP_DOB, PP_PREV_PERM, PP_LA_PERM, PP_DATE_PERM, PP_NFILE, PP_NCOLS = PP_NFILE };
enum { MI_CHILD, MI_DOB, MI_MISSING, MI_MIS_START, MI_MIS_END, MI_NFILE, MI_NCOLS = MI_NFILE };
enum { SW_CHILD, SW_DOB, SW_SW_ID, SW_SW_DECOM, SW_SW_DEC, SW_SW_REASON, SW_NFILE,
       SW_NCOLS = SW_NFILE };
enum { DL_CHILD, DL_DOB, DL_DOLO_START, DL_DOLO_END, DL_NFILE, DL_NCOLS = DL_NFILE };
/* clang-format on */

/* Every table's CHILD is column 0, so generic code can use this. */
#define SSDA903_COL_CHILD 0
#define SSDA903_MAXCOLS   16

/* How a column is read. */
enum ssda903_col_kind {
        SSDA903_COL_ID,      /* identifier: trimmed, case kept (CHILD) */
        SSDA903_COL_CODE,    /* code or text: trimmed, upper-cased */
        SSDA903_COL_DATE,    /* dd/mm/YYYY: string kept, and parsed into d[] */
        SSDA903_COL_DERIVED, /* not in the file; filled by the loader */
};

/* A table definition: data, not code.  ssda903_tabledefs[] has one per current table. */
struct ssda903_tabledef {
        const char *name;          /* DfE table name: "Episodes" */
        int nfile;                 /* columns in the file (the recognition set) */
        int ncols;                 /* plus derived columns */
        const char *const *cols;   /* canonical names, ncols entries */
        const unsigned char *kind; /* enum ssda903_col_kind per column */
        const char *const *xml;    /* XML element name per column (NULL: not in XML) */
        int sort[2];               /* per-child order: date columns, -1 for none */
};
extern const struct ssda903_tabledef ssda903_tabledefs[SSDA903_NCURRENT];

struct ssda903_row {
        const char **v; /* [def->ncols] cell strings, NULL = blank */
        date_t *d;      /* [def->ncols] parsed dates (DATE_NONE for non-date columns) */
        long row;       /* 1-based data row in its file (XML: position within its table) */
        long line;      /* physical line in the file where the row starts */
        uint32_t child; /* child number (index into ld->children) */
        uint32_t index; /* position of this row in its table's rows[] */
};

struct ssda903_table {
        const struct ssda903_tabledef *def;
        int id;                   /* enum ssda903_table_id */
        const char *name;         /* "Episodes" or "Episodes_last" */
        const char *file;         /* input file; NULL when the table was not supplied */
        size_t n;                 /* rows */
        struct ssda903_row *rows; /* in input order */
        /* built by ssda903_finish(): rows grouped by child, sorted within a child */
        struct ssda903_row **sorted; /* [n] */
        uint32_t *first;             /* [nchildren + 1] */
        size_t cap;                  /* private: allocated rows */
};

struct ssda903_child {
        const char *id;
        /* The child's first Header row (this year), or NULL. */
        const struct ssda903_row *header;
};

/* A problem that did not stop reading (unexpected XML element, ignored text). */
struct ssda903_note {
        const char *file;
        long line;
        const char *table; /* DfE table name the note belongs to, or "XML" */
        long row;          /* row within the table, 0 if none */
        const char *child; /* CHILD id, or NULL */
        const char *text;  /* what was wrong, what was done */
};

struct ssda903_load {
        struct arena arena;
        struct arena side; /* private: rows the CSV reader's helper thread filled */
        struct ssda903_table t[SSDA903_NTABLES];

        /* Collection year of the data (2026 = 1 Apr 2025 – 31 Mar 2026), given or inferred. */
        int collection_year;
        int year_inferred;     /* 1 when inferred from the data */
        const char *year_note; /* how it was decided, for the report */
        date_t start, end;     /* 1 April collection_year-1, 31 March collection_year */

        int has_last; /* any previous-year table was loaded */
        int from_xml; /* this year's tables came from an EXPSSDA903 file */
        const char *xml_file;
        int postcodes_applied; /* PL_DISTANCE/PL_LA/PL_LOCATION were derived */

        size_t nchildren;
        struct ssda903_child *children; /* sorted by id (strcmp) */

        size_t nnotes;
        struct ssda903_note *notes;
        size_t notes_cap;
        int finished;
        struct s903_codes *codes; /* private: codes met by this thread's rows (ssda903_int.h) */
};

struct ssda903_options {
        int collection_year; /* 0: infer from the data */
        /* Postcode directory (refdata.h), or NULL: derived columns stay blank. */
        const struct refdata_postcodes *postcodes;
        /* Submitting authority's upper-tier code (e.g. "E06000001") for PL_LOCATION, or NULL. */
        const char *la_code;
};

struct ssda903_load *ssda903_new(void);
void ssda903_free(struct ssda903_load *ld);

/*
 * Add a file or a directory (every regular file in it, in name order; files
 * whose name starts with '.' are ignored).  A file is XML if its first
 * non-space byte (after any BOM) is '<', else CSV.  `previous` = 1 loads into
 * the `_last` tables.  -1 + EXIT_INPUT error on malformed input, on a second
 * file for the same table, on a CSV whose columns match no table, or on a
 * second XML file / XML mixed with CSV tables it also carries.
 */
int ssda903_add_path(struct ssda903_load *ld, const char *path, int previous, struct err *e);
/* The same from a buffer; `name` appears in messages and findings. */
int ssda903_add_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                    int previous, struct err *e);
/*
 * Several files at once, as ssda903_add_mem() on each in turn would read them
 * (the same tables, rows, claims and first error), but two at a time: each
 * CSV table is read whole by one of two threads, largest first, and the
 * tables are then taken in input order.  For loads of several tables of
 * similar size (a return's twelve), where splitting one table between two
 * threads left one of them mostly idle.  `read` fills b with an input's
 * bytes, for different inputs on two threads at once.
 */
struct buf;
struct ssda903_csv_input {
        const char *name;
        int previous;
        size_t size; /* expected bytes: larger inputs are started first */
        int (*read)(void *ctx, struct buf *b, struct err *e);
        void *ctx;
};
int ssda903_add_csv_tables(struct ssda903_load *ld, const struct ssda903_csv_input *in, size_t n,
                           struct err *e);
/* Readers behind ssda903_add_*; exposed for tests and fuzzing. */
int ssda903_read_csv_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                         int previous, struct err *e);
int ssda903_read_xml_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                         int previous, struct err *e);

/* Index children, derive fields, settle the collection year.  Call once, after all adds. */
int ssda903_finish(struct ssda903_load *ld, const struct ssda903_options *opt, struct err *e);

/* All of the above: paths and prev (either may be empty), then finish.  NULL + error on failure. */
struct ssda903_load *ssda903_load_paths(const char *const *paths, size_t npaths,
                                        const char *const *prev, size_t nprev,
                                        const struct ssda903_options *opt, struct err *e);

/* Table by DfE name ("Episodes", "Episodes_last"); -1 if unknown. */
int ssda903_table_by_name(const char *name);

/* Child number of an id, or -1. */
long ssda903_child_find(const struct ssda903_load *ld, const char *id);

/* Rows of child k in table t, in the table's per-child order; *n set to their count. */
static inline struct ssda903_row *const *ssda903_child_rows(const struct ssda903_table *t,
                                                            uint32_t k, size_t *n)
{
        if (!t->first) {
                *n = 0;
                return NULL;
        }
        *n = t->first[k + 1] - t->first[k];
        return t->sorted + t->first[k];
}

/* 1 if a table was supplied (a file or the XML), even with no rows. */
static inline int ssda903_has(const struct ssda903_load *ld, int t)
{
        return ld->t[t].file != NULL;
}

/* Record a note (the loader uses it; exposed for the XML reader and tests). */
void ssda903_note(struct ssda903_load *ld, const char *file, long line, const char *table, long row,
                  const char *child, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
