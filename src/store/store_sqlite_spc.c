/*
 * store_sqlite_spc.c — the read SPC makes of the measure values on SQLite
 * (store_measure_month_each in the "measure targets" section of store.h).
 *
 * `improve measures --la all` charts every monthly series of every
 * authority, so this read is on its hot path: it asks for the three columns
 * a chart needs over one index range of measure_values (la, 'month', …)
 * rather than every column store_measure_each hands out.
 */
#include "core/err.h"
#include "store/store.h"
#include "store/store_sqlite.h"

#include <sqlite3.h>

int store_measure_month_each(struct store *s, const char *la, const char *measure,
                             int (*fn)(void *ctx, const char *period_end, const char *measure,
                                       int has_value, double value, int lookback_incomplete),
                             void *ctx, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT period_end, measure, value, lookback_incomplete FROM measure_values "
                       "WHERE la = ?1 AND "
                       "period = 'month' AND (?2 IS NULL OR measure = ?2) ORDER BY la, period, "
                       "period_end, measure",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        sq_bind_text(st, 2, measure);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const char *end = (const char *)sqlite3_column_text(st, 0);
                const char *m = (const char *)sqlite3_column_text(st, 1);
                int has = sqlite3_column_type(st, 2) != SQLITE_NULL;
                if (fn(ctx, end ? end : "", m ? m : "", has, sqlite3_column_double(st, 2),
                       sqlite3_column_int(st, 3))) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "reading monthly values");
        return 0;
}
