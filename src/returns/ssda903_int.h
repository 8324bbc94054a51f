/*
 * ssda903_int.h — what the SSDA903 readers (CSV, XML) and the loader share;
 * not for use outside src/returns/.
 */
#ifndef IMPROVE_SSDA903_INT_H
#define IMPROVE_SSDA903_INT_H

#include "returns/ssda903.h"

#include <stddef.h>

struct err;

/* A cell as read: not NUL-terminated, not yet trimmed. */
struct s903_cell {
        const char *p;
        size_t n;
};

/* Largest input file a reader accepts (a national return is far smaller). */
#define S903_MAX_INPUT ((size_t)1 << 30)

/*
 * Claim table `t` (a current or `_last` id) for `file`: -1 + EXIT_INPUT error if
 * another file already supplied it.
 */
int s903_claim(struct ssda903_load *ld, int t, const char *file, long line, struct err *e);

/*
 * Append a row to table t from cells in canonical column order (file columns
 * only; missing cells may have p == NULL).  Trims, upper-cases codes, parses
 * dates; copies everything into the arena.
 */
struct ssda903_row *s903_add_row(struct ssda903_load *ld, int t, const struct s903_cell *cells,
                                 long row, long line);

/*
 * s903_add_row's work on a row slot the caller owns: the row's memory comes
 * from `arena`.  Threads may fill different rows of one table at once, each
 * with its own arena.  text_bytes: 8 + the sum of n + 1 over the cells with
 * p set, when the caller counted it as it made the cells, else 0.
 */
void s903_fill_row(struct arena *arena, struct s903_codes *codes,
                   const struct ssda903_tabledef *def, struct ssda903_row *r,
                   const struct s903_cell *cells, long row, long line, uint32_t index,
                   size_t text_bytes);

/*
 * The short codes a filling thread met last ("L1", "PR1"), so that rows share
 * one copy of each (in that thread's arena): the rules then read codes from a
 * few hot cache lines instead of every row's own text.  Direct-mapped by the
 * code's text; a collision just makes another copy.  One per thread filling
 * rows of a load; zeroed when made.
 */
enum { S903_CODES = 1024, S903_DATES = 4096 };
struct s903_codes {
        uint64_t key[S903_CODES]; /* the code's text, zero-padded; 0 = empty */
        const char *text[S903_CODES];
        /* Likewise dd/mm/YYYY dates: a return repeats a few thousand, each row kept the text
         * (and the day) of its own. */
        uint32_t date_key[S903_DATES]; /* the digits as 8 nibbles, + 1; 0 = empty */
        date_t date_day[S903_DATES];
        const char *date_text[S903_DATES];
};

/* Read one CSV table from a file (mapped), as ssda903_read_csv_mem. */
int s903_read_csv_file(struct ssda903_load *ld, const char *path, int previous, struct err *e);

/* Parse a dd/mm/YYYY date (day and month may have one digit).  DATE_BAD if not a date. */
date_t s903_parse_date(const char *s, size_t n);

#endif
