/*
 * ssda903_build.c — an SSDA903 load rebuilt from stored rows (build.h).
 *
 * Rows go through the same s903_add_row() the CSV and XML readers use, so a
 * rebuilt load trims, upper-cases and parses exactly as a freshly read one;
 * only the derived columns, which the readers never see, are copied as given.
 */
#include "returns/build.h"
#include "returns/ssda903_int.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <stdint.h>
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

size_t ssda903_date_cols(int t)
{
        const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
        size_t n = 0;
        for (int c = 0; c < def->ncols; c++)
                n += def->kind[c] == SSDA903_COL_DATE;
        return n;
}

void ssda903_build_reserve(struct ssda903_load *ld, int t, size_t n, struct ssda903_build_rows *br)
{
        struct ssda903_table *tab = &ld->t[t];
        const struct ssda903_tabledef *def = tab->def;
        tab->rows = xgrow(tab->rows, &tab->cap, tab->n + n, sizeof *tab->rows);
        *br = (struct ssda903_build_rows){.t = t, .ncols = def->ncols};
        for (int c = 0; c < def->ncols; c++)
                if (def->kind[c] == SSDA903_COL_DATE)
                        br->date_col[br->ndates++] = (unsigned char)c;
        /*
         * The rows' texts and dates, a block each for the table rather than
         * one a row; the dates made blank at once (a row sets its date columns).
         */
        size_t cells = n * (size_t)def->ncols;
        if (cells) {
                br->v = arena_alloc(&ld->arena, cells * sizeof *br->v);
                date_t *d = arena_alloc(&ld->arena, cells * sizeof *d);
                for (int c = 0; c < def->ncols; c++)
                        d[c] = DATE_NONE;
                for (size_t done = (size_t)def->ncols; done < cells;) { /* copied, doubling */
                        size_t k = done < cells - done ? done : cells - done;
                        memcpy(d + done, d, k * sizeof *d);
                        done += k;
                }
                br->d = d;
                br->room = n;
        }
}

void ssda903_build_row_parsed(struct ssda903_load *ld, struct ssda903_build_rows *br,
                              const char *const *cells, const unsigned char *dates, long row)
{
        struct ssda903_table *tab = &ld->t[br->t];
        size_t nc = (size_t)br->ncols;
        const char **v;
        date_t *d;
        if (br->room) { /* reserved with its table's rows */
                v = br->v;
                d = br->d;
                br->v += nc;
                br->d += nc;
                br->room--;
        } else { /* more rows than reserved: pointers then dates in one block a row */
                if (tab->n == tab->cap)
                        tab->rows = xgrow(tab->rows, &tab->cap, tab->n + 1, sizeof *tab->rows);
                char *block = arena_alloc(&ld->arena, nc * (sizeof(char *) + sizeof(date_t)));
                v = (const char **)block;
                d = (date_t *)(block + nc * sizeof(char *));
                for (size_t c = 0; c < nc; c++)
                        d[c] = DATE_NONE;
        }
        memcpy(v, cells, nc * sizeof *v);
        for (int k = 0; k < br->ndates; k++)
                memcpy(&d[br->date_col[k]], dates + k * sizeof *d, sizeof *d);
        struct ssda903_row *r = &tab->rows[tab->n];
        r->v = v;
        r->d = d;
        r->row = row;
        r->line = 0;
        r->child = 0;
        r->index = (uint32_t)tab->n;
        tab->n++;
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
