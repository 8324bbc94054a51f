/*
 * ees.h — reading the DfE's Explore Education Statistics (EES) CSV files.
 *
 * An EES file is one table in "tidy" layout: time columns (time_period,
 * time_identifier), geography columns (geographic_level, country/region/LA
 * codes and names), filter columns (text that says which breakdown a row is,
 * e.g. category, cla_group, breakdown) and value columns (numbers).  Column
 * order differs between files, so every column is found by its name.
 *
 * Which non-geographic columns are values and which are filters is decided
 * from the content (data-formats.md §4.3: "filters are the non-geographic
 * text columns; values are numeric columns"): a column is a value column
 * when every cell in it is a number, a YY:MM duration or one of the special
 * symbols; any other text makes it a filter.  So the reader reads the input
 * twice: once to classify the columns, once to hand back rows.
 *
 * A value is either a number or a symbol, never both: `c`, `z`, `k`, `x`,
 * `u`, `low`, `:` and the empty cell are kept as symbols (data-formats.md
 * §4.2, measures.md §0.9) and never turned into numbers.
 *
 * Malformed input (no header, a missing time_period/time_identifier/
 * geographic_level column, a ragged row, an unreadable year, a local
 * authority row without an LA number, a regional row without a region code)
 * is an EXIT_INPUT error "FILE:LINE: what was wrong, what was expected".
 *
 * Ownership: the reader copies nothing from a caller's buffer (it must
 * outlive the reader); a row's strings live until the next ees_read().
 */
#ifndef IMPROVE_EES_H
#define IMPROVE_EES_H

#include <stddef.h>

struct err;
struct buf;

enum ees_symbol {
        EES_NUMBER = 0, /* not a symbol: the cell is a number */
        EES_C,          /* suppressed for confidentiality */
        EES_Z,          /* not applicable */
        EES_K,          /* non-zero, rounds to 0 (older symbol) */
        EES_X,          /* not available */
        EES_U,          /* low reliability */
        EES_LOW,        /* non-zero, rounds to 0 (newer symbol) */
        EES_COLON,      /* not available (older symbol) */
        EES_BLANK,      /* empty cell */
};

struct ees_value {
        enum ees_symbol symbol;
        double number;    /* valid only when symbol == EES_NUMBER */
        int duration;     /* 1 when written YY:MM (years:months); number is then months */
        const char *text; /* the cell as written, trimmed, NUL-terminated */
};

/*
 * Classify one cell (surrounding spaces ignored): 0 with *out filled when it
 * is a number, a YY:MM duration or a symbol (symbols are matched ignoring
 * case); -1 when it is other text.  out->text is left NULL.
 */
int ees_parse_value(const char *s, size_t n, struct ees_value *out);
/* The canonical text of a symbol ("c", "low", ":", "" for blank); NULL for EES_NUMBER. */
const char *ees_symbol_text(enum ees_symbol s);

enum ees_level {
        EES_NATIONAL,
        EES_REGIONAL,
        EES_LA,
        EES_OTHER, /* another geographic level (ward, constituency, …): callers skip these */
};

/* What date a file's time_period describes (measures.md §0.7, §6; data-formats.md §4.1). */
enum ees_period_kind {
        EES_PERIOD_YEAR,      /* CIN/CLA/care leavers: year ending 31 March */
        EES_PERIOD_WORKFORCE, /* csww: snapshot at 30 September of the same year */
        EES_PERIOD_MID_YEAR,  /* ONS population: mid-year (30 June) estimate */
};

struct ees_row {
        long line; /* physical line the row starts on */
        enum ees_level level;
        /*
         * The year the figures sit beside: time_period for reporting and
         * calendar years (workforce and mid-year files keep their number, as
         * the DfE does), the ending year for academic and financial years
         * (202425 -> 2025).
         */
        int year;
        const char *time_period;     /* as published: "2025", "202425" */
        const char *time_identifier; /* as published: "Reporting year" */
        char period_end[11];         /* ISO date the figures describe: "2025-03-31" */
        const char *country_code;    /* "E92000001"; "" when absent */
        const char *region_code;     /* "" when absent */
        const char *region_name;
        const char *la_code;     /* old_la_code, "202"; a joint return "314 / 318"; "" above LA */
        const char *new_la_code; /* "E09000007"; "" when absent */
        const char *la_name;
        int joint; /* 1 when la_code names a joint return of several authorities */
        /* Canonical key of the filter columns (see ees_filter_key); "" when the file has none. */
        const char *filters;
        const struct ees_value *values; /* one per value column, in ees_value_name() order */
        size_t nvalues;
};

struct ees_file;

/* Read a whole file (any size the machine can hold).  NULL + EXIT_INPUT error when malformed. */
struct ees_file *ees_open_file(const char *path, struct err *e);
/* Read a caller's buffer, which must outlive the reader.  `name` is used in messages. */
struct ees_file *ees_open_mem(const char *data, size_t len, const char *name, struct err *e);
void ees_free(struct ees_file *f);

/* 1: a row was read; 0: end of input; -1: malformed input (error set; stop reading). */
int ees_read(struct ees_file *f, struct ees_row *row, struct err *e);

/*
 * The file's source name: the file name without directory, ".csv" and a
 * trailing "_YYYY_to_YYYY" year range, so that a later release of the same
 * table replaces the earlier one ("c1_children_in_need_referrals_and_rereferrals").
 */
const char *ees_source(const struct ees_file *f);
const char *ees_name(const struct ees_file *f);
enum ees_period_kind ees_period(const struct ees_file *f);
size_t ees_value_count(const struct ees_file *f);
const char *ees_value_name(const struct ees_file *f, size_t i);
size_t ees_filter_count(const struct ees_file *f);
const char *ees_filter_name(const struct ees_file *f, size_t i);
/* Bytes read so far and in all (for progress). */
size_t ees_offset(const struct ees_file *f);
size_t ees_size(const struct ees_file *f);

/*
 * The canonical key of a set of filters: "name=value" pairs sorted by name
 * and joined with "|"; a "|", "=" or "\" inside a name or value is written
 * with a backslash before it.  Order of the input pairs does not matter, so
 * the measure catalogue can name filters in any order.  Appends to `out`
 * (NUL-terminated).
 */
void ees_filter_key(const char *const *names, const char *const *values, size_t n, struct buf *out);

/*
 * Split an LA code into authority numbers: "202" gives one, a joint return
 * "314 / 318" gives two.  Returns how many were written (at most `max`), or
 * -1 when the text is not 3-digit codes separated by "/".
 */
int ees_la_codes(const char *text, char (*codes)[4], int max);

/* The source name for a path (as ees_source); writes at most n bytes including the NUL. */
void ees_source_of(const char *path, char *out, size_t n);

#endif
