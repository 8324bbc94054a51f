/*
 * scorecard_import.c — keeping stored values in step with what is imported
 * (scorecard.h says what each kind of import changes).  The import commands
 * call scorecard_after_import() once their own transaction has committed and
 * print the line it writes, so the user sees what was recomputed.
 */
#include "scorecard/scorecard_int.h"

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#include <string.h>

int scorecard_after_import(struct store *s, const char *kind, const char *la, int year,
                           struct buf *msg, struct err *e)
{
        struct scorecard_stats st = {0};
        unsigned k = 0;
        if (strcmp(kind, "ssda903") == 0)
                k = SCORECARD_903;
        else if (strcmp(kind, "cin") == 0)
                k = SCORECARD_CIN;
        if (k) {
                if (scorecard_recompute(s, la, k, year, &st, e))
                        return -1;
                buf_printf(msg, "measures: %ld %s values of %s recomputed for %d onwards",
                           st.values, k == SCORECARD_903 ? "SSDA903" : "CIN", la, year);
                return 0;
        }
        if (strcmp(kind, "published") == 0 || strcmp(kind, "authorities") == 0) {
                /* Regional and England figures move every year's benchmarks, not only the
                 * years with authority rows. */
                if (scorecard_published(s, NULL, &st, e) || store_measure_year_mark(s, 0, e))
                        return -1;
                buf_printf(msg, "measures: %ld published values of authorities in the store",
                           st.published);
                return 0;
        }
        if (strcmp(kind, "populations") == 0) {
                /* Every rate's denominator may have changed. */
                if (scorecard_recompute_all(s, 2, &st, e))
                        return -1;
                buf_printf(msg,
                           "measures: recomputed for %ld authorit%s with returns (%ld values) and "
                           "%ld published values",
                           st.authorities, st.authorities == 1 ? "y" : "ies", st.values,
                           st.published);
                return 0;
        }
        return 0;
}
