/*
 * util.c — the common rules of measures.md §0 (see util.h): intervals, short
 * breaks, the merged episode history and walking back over it, ages, UASC,
 * working days and the population rule of rates.
 */
#include "measures/util.h"

#include "core/err.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- intervals */

/* ---------------------------------------------------------------- codes */

static bool code2(const char *s, char a, char lo, char hi)
{
        return s && s[0] == a && s[1] >= lo && s[1] <= hi && s[2] == '\0';
}

bool measure_ls_short_break(const char *ls)
{
        return code2(ls, 'V', '3', '4');
}

bool measure_place_temporary(const char *place)
{
        return code2(place, 'T', '0', '4');
}

bool measure_rne_new_placement(const char *rne)
{
        return rne && rne[1] == '\0' && (rne[0] == 'S' || rne[0] == 'P' || rne[0] == 'B');
}

static bool rne_same_carer(const char *rne)
{
        return rne && rne[1] == '\0' && (rne[0] == 'L' || rne[0] == 'T' || rne[0] == 'U');
}

/* ---------------------------------------------------------------- episodes */

bool measure_ep_open_on(const struct ssda903_row *ep, date_t d)
{
        return measure_open_on(ep->d[EP_DECOM], ep->d[EP_DEC], d);
}

bool measure_ep_overlaps(const struct ssda903_row *ep, date_t ws, date_t we)
{
        return measure_overlaps(ep->d[EP_DECOM], ep->d[EP_DEC], ws, we);
}

bool measure_ep_short_break(const struct ssda903_row *ep)
{
        return measure_ls_short_break(ep->v[EP_LS]);
}

bool measure_ep_contiguous(const struct ssda903_row *prev, const struct ssda903_row *cur)
{
        const char *rec = prev->v[EP_REC];
        return rec && strcmp(rec, "X1") == 0 && measure_date_known(prev->d[EP_DEC]) &&
               prev->d[EP_DEC] == cur->d[EP_DECOM];
}

void measure_eps_init(struct measure_eps *e)
{
        memset(e, 0, sizeof *e);
}

void measure_eps_release(struct measure_eps *e)
{
        free(e->ep);
        free(e->year);
        memset(e, 0, sizeof *e);
}

static void eps_push(struct measure_eps *e, const struct ssda903_row *r, int year)
{
        if (e->n == e->cap) {
                size_t cap = e->cap;
                e->ep = xgrow(e->ep, &cap, e->n + 1, sizeof *e->ep);
                size_t cap2 = e->cap;
                e->year = xgrow(e->year, &cap2, e->n + 1, sizeof *e->year);
                e->cap = cap < cap2 ? cap : cap2;
        }
        e->ep[e->n] = r;
        e->year[e->n] = year;
        e->n++;
}

size_t measure_903_episodes(const struct measure_history *h, int year, const char *child,
                            struct measure_eps *out)
{
        out->n = 0;
        out->first_current = 0;
        const struct ssda903_load *ld = measure_history_903(h, year);
        if (!ld || !child)
                return 0;
        long k = ssda903_child_find(ld, child);
        if (k < 0)
                return 0;
        size_t ncur;
        struct ssda903_row *const *cur =
            ssda903_child_rows(&ld->t[SSDA903_EPISODES], (uint32_t)k, &ncur);
        if (ncur == 0)
                return 0;
        date_t earliest = cur[0]->d[EP_DECOM]; /* DECOM order: the first is the earliest */

        /* Earlier returns, newest first, so that the later return wins on a CHILD+DECOM. */
        if (measure_date_known(earliest)) {
                for (size_t i = h->n; i-- > 0;) {
                        const struct measure_year *y = &h->years[i];
                        if (y->year >= year || !y->s903)
                                continue;
                        long k2 = ssda903_child_find(y->s903, child);
                        if (k2 < 0)
                                continue;
                        size_t n2;
                        struct ssda903_row *const *old =
                            ssda903_child_rows(&y->s903->t[SSDA903_EPISODES], (uint32_t)k2, &n2);
                        size_t taken = out->n;
                        for (size_t j = 0; j < n2; j++) {
                                date_t dc = old[j]->d[EP_DECOM];
                                if (!measure_date_known(dc) || dc >= earliest)
                                        continue;
                                bool dup = false;
                                for (size_t t = 0; t < taken; t++)
                                        if (out->ep[t]->d[EP_DECOM] == dc)
                                                dup = true;
                                if (!dup)
                                        eps_push(out, old[j], y->year);
                        }
                }
                /* Insertion sort by DECOM (then DEC): a child has few earlier episodes. */
                for (size_t i = 1; i < out->n; i++) {
                        const struct ssda903_row *r = out->ep[i];
                        int yr = out->year[i];
                        size_t j = i;
                        while (j > 0 && (out->ep[j - 1]->d[EP_DECOM] > r->d[EP_DECOM] ||
                                         (out->ep[j - 1]->d[EP_DECOM] == r->d[EP_DECOM] &&
                                          out->ep[j - 1]->d[EP_DEC] > r->d[EP_DEC]))) {
                                out->ep[j] = out->ep[j - 1];
                                out->year[j] = out->year[j - 1];
                                j--;
                        }
                        out->ep[j] = r;
                        out->year[j] = yr;
                }
        }
        out->first_current = out->n;
        for (size_t i = 0; i < ncur; i++)
                eps_push(out, cur[i], year);
        return out->n;
}

size_t measure_poc_start(const struct measure_eps *e, size_t i)
{
        while (i > 0 && measure_ep_contiguous(e->ep[i - 1], e->ep[i]))
                i--;
        return i;
}

size_t measure_placement_start(const struct measure_eps *e, size_t i)
{
        while (i > 0 && rne_same_carer(e->ep[i]->v[EP_RNE]) &&
               measure_ep_contiguous(e->ep[i - 1], e->ep[i]))
                i--;
        return i;
}

long measure_eps_open_on(const struct measure_eps *e, size_t lo, size_t hi, date_t d, bool *several)
{
        long best = -1;
        int open = 0;
        if (hi > e->n)
                hi = e->n;
        for (size_t i = lo; i < hi; i++) {
                if (!measure_ep_open_on(e->ep[i], d))
                        continue;
                open++;
                if (best < 0 || e->ep[i]->d[EP_DECOM] >= e->ep[best]->d[EP_DECOM])
                        best = (long)i;
        }
        if (several)
                *several = open > 1;
        return best;
}

/* ---------------------------------------------------------------- ages and UASC */

date_t measure_903_dob(const struct ssda903_load *ld, uint32_t k, const struct ssda903_row *row,
                       int dob_col)
{
        if (k < ld->nchildren) {
                const struct ssda903_row *hd = ld->children[k].header;
                if (hd && measure_date_known(hd->d[HD_DOB]))
                        return hd->d[HD_DOB];
        }
        if (row && dob_col >= 0 && measure_date_known(row->d[dob_col]))
                return row->d[dob_col];
        return DATE_NONE;
}

int measure_age_on(date_t dob, date_t d)
{
        if (!measure_date_known(dob) || !measure_date_known(d))
                return -1;
        return date_age(dob, d);
}

int measure_age_oc3(date_t dob, int year)
{
        if (!measure_date_known(dob))
                return -1;
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        return m <= 3 ? year - y : year - 1 - y;
}

bool measure_903_uasc_on(const struct ssda903_load *ld, uint32_t k, date_t d)
{
        if (k >= ld->nchildren)
                return false;
        size_t n;
        struct ssda903_row *const *rows = ssda903_child_rows(&ld->t[SSDA903_UASC], k, &n);
        if (n > 0) {
                for (size_t i = 0; i < n; i++) {
                        date_t duc = rows[i]->d[UA_DUC];
                        if (duc == DATE_NONE || duc == DATE_BAD || duc > d)
                                return true;
                }
                return false;
        }
        const struct ssda903_row *hd = ld->children[k].header;
        return hd && hd->v[HD_UASC] && strcmp(hd->v[HD_UASC], "1") == 0;
}

/* ---------------------------------------------------------------- working days */

/*
 * Working days by table look-up: wd_cumulative[i] counts the working days
 * of the bank-holiday table's range up to and including day wd_first + i,
 * so the days d with s < d <= e number cum[e] − cum[s].  Built once, from
 * date.h's own calendar (date_is_bank_holiday), so the two never disagree;
 * date_working_days walked the days and the year's holidays on every call,
 * which dominated the assessment measures.
 */
static int32_t *wd_cumulative;
static date_t wd_first, wd_last;
static pthread_once_t wd_once = PTHREAD_ONCE_INIT;

static void wd_build(void)
{
        date_t first = date_from_ymd(DATE_BH_FIRST_YEAR, 1, 1);
        date_t last = date_from_ymd(DATE_BH_LAST_YEAR, 12, 31);
        int32_t *cum = xmalloc((size_t)(last - first + 1) * sizeof *cum);
        int32_t n = 0;
        for (date_t d = first; d <= last; d++) {
                bool hol = false;
                struct err err = {0};
                if (date_is_bank_holiday(d, &hol, &err) < 0)
                        hol = false; /* inside the table's range: cannot happen */
                if (date_weekday(d) < 5 && !hol)
                        n++;
                cum[d - first] = n;
        }
        wd_cumulative = cum;
        wd_first = first;
        wd_last = last;
}

static bool wd_table_covers(date_t d)
{
        return d >= wd_first && d <= wd_last;
}

enum measure_wd_result measure_working_days(struct measure_ctx *ctx, struct measure_value *v,
                                            const char *child, date_t s, date_t e, int *days)
{
        *days = 0;
        pthread_once(&wd_once, wd_build);
        if (!measure_date_known(s) || !measure_date_known(e))
                return MEASURE_WD_UNKNOWN;
        char a[11], b[11];
        if (e < s) {
                if (v) {
                        date_format_iso(s, a);
                        date_format_iso(e, b);
                        measure_dq(ctx, v, child, "ends (%s) before it starts (%s): left out", b,
                                   a);
                }
                return MEASURE_WD_NEGATIVE;
        }
        /* The days looked at are s+1 … e; a same-day activity still needs its day in range. */
        if (!wd_table_covers(e) || !wd_table_covers(e > s ? s + 1 : s)) {
                if (v) {
                        date_format_iso(s, a);
                        date_format_iso(e, b);
                        measure_dq(ctx, v, child,
                                   "bank-holiday table out of range (%d-%d) for %s to %s: left out",
                                   DATE_BH_FIRST_YEAR, DATE_BH_LAST_YEAR, a, b);
                }
                return MEASURE_WD_OUT_OF_TABLE;
        }
        int32_t before = s < wd_first ? 0 : wd_cumulative[s - wd_first];
        *days = wd_cumulative[e - wd_first] - before;
        return MEASURE_WD_OK;
}

/* ---------------------------------------------------------------- rates */

int measure_rate_denominator(struct measure_ctx *ctx, const struct measure_window *w,
                             struct measure_value *v)
{
        int64_t pop;
        if (!measure_history_population(ctx->h, w->year, &pop) || pop <= 0) {
                v->has_denominator = false;
                v->has_value = false;
                measure_note(ctx, v, "no population for mid-%d", w->year - 1);
                return 0;
        }
        v->denominator = pop;
        v->has_denominator = true;
        return 1;
}

date_t measure_months_before(date_t d, int months)
{
        return date_add_months(d, -months);
}
