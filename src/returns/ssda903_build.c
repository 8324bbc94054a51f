/*
 * ssda903_build.c — an SSDA903 load rebuilt from stored rows (build.h).
 *
 * Rows go through the same s903_add_row() the CSV and XML readers use, so a
 * rebuilt load trims, upper-cases and parses exactly as a freshly read one;
 * only the derived columns, which the readers never see, are copied as given.
 */
#include "returns/build.h"
#include "returns/ssda903_int.h"

#include "core/err.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

int ssda903_build_table(struct ssda903_load *ld, int t, const char *file, struct err *e)
{
        if (t < 0 || t >= SSDA903_NCURRENT)
                return err_set(e, EXIT_INTERNAL, "ssda903_build_table: no table %d", t);
        return s903_claim(ld, t, file, 0, e);
}

void ssda903_build_row(struct ssda903_load *ld, int t, const char *const *cells, long row)
{
        const struct ssda903_tabledef *def = ld->t[t].def;
        struct s903_cell in[SSDA903_MAXCOLS];
        for (int c = 0; c < def->nfile; c++) {
                in[c].p = cells[c];
                in[c].n = cells[c] ? strlen(cells[c]) : 0;
        }
        struct ssda903_row *r = s903_add_row(ld, t, in, row, 0);
        for (int c = def->nfile; c < def->ncols; c++)
                r->v[c] = cells[c] ? arena_strdup(&ld->arena, cells[c]) : NULL;
}

int ssda903_build_finish(struct ssda903_load *ld, int year, int postcodes_applied, struct err *e)
{
        /* ssda903_finish() derives Header UASC from the UASC table; a flag given wins. */
        struct ssda903_table *hd = &ld->t[SSDA903_HEADER];
        const char **given = xmalloc((hd->n ? hd->n : 1) * sizeof *given);
        for (size_t i = 0; i < hd->n; i++)
                given[i] = hd->rows[i].v[HD_UASC];
        struct ssda903_options opt = {.collection_year = year};
        int rc = ssda903_finish(ld, &opt, e);
        if (rc == 0) {
                for (size_t i = 0; i < hd->n; i++)
                        if (given[i])
                                hd->rows[i].v[HD_UASC] = given[i];
                ld->postcodes_applied = postcodes_applied != 0;
        }
        free(given);
        return rc;
}
