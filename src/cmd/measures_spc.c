/*
 * measures_spc.c — SPC icons for the rows `improve measures` prints.
 *
 * For each authority among the rows, its monthly series are read in one pass
 * (spc_series.c) with its targets, and each row gets the icons of the chart
 * of its measure's series up to the row's period end: an annual row shows
 * where the monthly chart stood at 31 March, a monthly row where it stood in
 * that month.  Charts are cached per series and end month, so rows that end
 * on the same month (a year and its rolling value) share one chart.
 */
#include "cmd/measures_spc.h"

#include "cmd/cli.h"
#include "cmd/measures_output.h"
#include "cmd/spc_series.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct targets {
        char (*measure)[64];
        double *value;
        size_t n;
};

static int add_target(void *ctx, const struct store_target *t)
{
        struct targets *ts = ctx;
        if (strlen(t->measure) >= sizeof ts->measure[0])
                return 0;
        ts->measure = xrealloc(ts->measure, (ts->n + 1) * sizeof *ts->measure);
        ts->value = xrealloc(ts->value, (ts->n + 1) * sizeof *ts->value);
        strcpy(ts->measure[ts->n], t->measure);
        ts->value[ts->n++] = t->value;
        return 0;
}

static const double *target_of(const struct targets *ts, const char *measure)
{
        for (size_t i = 0; i < ts->n; i++)
                if (strcmp(ts->measure[i], measure) == 0)
                        return &ts->value[i];
        return NULL;
}

/* Months of the series ending on or before `end` (ISO dates compare as strings). */
static size_t months_to(const struct spc_series *sr, const char *end)
{
        size_t lo = 0, hi = sr->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(sr->periods[mid], end) <= 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* One chart per series and end month, computed when first asked for. */
struct icons {
        unsigned char *done; /* [n + 1] by number of months */
        enum spc_variation *variation;
        enum spc_assurance *assurance;
};

static int by_la(const void *a, const void *b, void *ctx)
{
        const struct measures_row *rows = ctx;
        size_t i = *(const size_t *)a, j = *(const size_t *)b;
        int c = strcmp(rows[i].la, rows[j].la);
        return c ? c : (i > j) - (i < j);
}

/* The rows idx[0..n) all belong to authority la. */
static int fill_la(struct store *s, const char *la, struct measures_row *rows, const size_t *idx,
                   size_t n, struct err *e)
{
        struct spc_series_set set;
        if (spc_series_read(s, la, NULL, &set, e))
                return -1;
        struct targets ts = {0};
        if (store_target_each(s, la, add_target, &ts, e)) {
                spc_series_set_release(&set);
                return -1;
        }
        struct icons *ic = xcalloc(set.n + 1, sizeof *ic);
        for (size_t k = 0; k < n; k++) {
                struct measures_row *r = &rows[idx[k]];
                r->variation = r->assurance = NULL;
                if (r->c_value)
                        continue;
                size_t si = 0;
                while (si < set.n && set.v[si].m != r->m)
                        si++;
                if (si == set.n)
                        continue;
                const struct spc_series *sr = &set.v[si];
                size_t upto = months_to(sr, r->period_end);
                if (upto == 0)
                        continue;
                struct icons *c = &ic[si];
                if (!c->done) {
                        c->done = xcalloc(sr->n + 1, 1);
                        c->variation = xcalloc(sr->n + 1, sizeof *c->variation);
                        c->assurance = xcalloc(sr->n + 1, sizeof *c->assurance);
                }
                if (!c->done[upto]) {
                        const double *t = target_of(&ts, sr->m->id);
                        spc_series_icons(sr->y, upto, spc_series_direction(sr->m), t != NULL,
                                         t ? *t : 0, &c->variation[upto], &c->assurance[upto]);
                        c->done[upto] = 1;
                }
                r->variation = spc_series_variation_name(c->variation[upto]);
                r->assurance = spc_series_assurance_name(c->assurance[upto]);
        }
        for (size_t i = 0; i < set.n; i++) {
                free(ic[i].done);
                free(ic[i].variation);
                free(ic[i].assurance);
        }
        free(ic);
        free(ts.measure);
        free(ts.value);
        spc_series_set_release(&set);
        return 0;
}

int measures_spc_apply(struct store *s, struct measures_row *rows, size_t n, struct err *e)
{
        if (n == 0)
                return 0;
        size_t *idx = xmalloc(n * sizeof *idx);
        for (size_t i = 0; i < n; i++)
                idx[i] = i;
        qsort_r(idx, n, sizeof *idx, by_la, rows);
        int rc = 0;
        for (size_t a = 0; a < n && rc == 0;) {
                size_t b = a + 1;
                while (b < n && strcmp(rows[idx[b]].la, rows[idx[a]].la) == 0)
                        b++;
                rc = fill_la(s, rows[idx[a]].la, rows, idx + a, b - a, e);
                a = b;
        }
        free(idx);
        return rc;
}

void measures_spc_apply_db(struct measures_row *rows, size_t n)
{
        for (size_t i = 0; i < n; i++)
                rows[i].variation = rows[i].assurance = NULL;
        if (n == 0)
                return;
        struct err e = {0};
        struct store *s = store_open(cli.db, STORE_READONLY, &e);
        if (!s || measures_spc_apply(s, rows, n, &e) != 0) {
                cli_warn("variation and assurance left empty: %s", e.msg);
                for (size_t i = 0; i < n; i++)
                        rows[i].variation = rows[i].assurance = NULL;
        }
        store_close(s);
}
