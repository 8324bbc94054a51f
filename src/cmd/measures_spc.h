/*
 * measures_spc.h — the variation and assurance columns of `improve measures`
 * (measures_spc.c), called from measures_spc_fill().
 */
#ifndef IMPROVE_CMD_MEASURES_SPC_H
#define IMPROVE_CMD_MEASURES_SPC_H

#include <stddef.h>

struct err;
struct store;
struct measures_row;

/*
 * Fill rows[i].variation and .assurance from each row's authority and
 * measure: the XmR chart (default options, statistics.md §1) of the
 * measure's discrete monthly series up to and including the row's period end,
 * with the direction from the measure's polarity; assurance only where a
 * target is set (improve target set) and the direction is not neutral.  Rows
 * of measures without a monthly series, rows whose value is suppressed, and
 * charts with too few values for limits stay NULL.  The strings are static.
 */
int measures_spc_apply(struct store *s, struct measures_row *rows, size_t n, struct err *e);

/* The same on the database the command was given (cli.db); on failure, a warning and
 * empty columns rather than a failed command. */
void measures_spc_apply_db(struct measures_row *rows, size_t n);

#endif
