/*
 * forecast_estimate.c — from SSDA903 episodes to the counts of the forecast
 * (statistics.md §6.2): exposure by state, transitions between states,
 * entrants, and the stock on a day.
 *
 * Each child's episodes become "pieces": spans [DECOM, DEC) in one placement
 * category, each ending in a move to the next piece (the next episode starts
 * on the DEC), in leaving care (no episode starts that day), in a censored end
 * (the record stops but the child did not necessarily leave) or open.  Short
 * breaks (LS V3/V4) are dropped first, as for every 903 measure
 * (measures.md §0.3).  Where episodes overlap, which is a data error, the
 * later DECOM wins (§0.1) and the earlier one is cut at it.
 *
 * Counting follows the day conventions stated in forecast.h.  Counts are kept
 * per child ("contributions") as well as summed, so that the parameter
 * bootstrap can resample children without reading the episodes again.  Age
 * bands are walked by birthday, not day by day: a piece is split at the
 * birthdays that start a band, so the cost is per piece, not per day.
 */
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/ssda903.h"
#include "stats/forecast.h"

#include <stdlib.h>
#include <string.h>

#define FAR_FUTURE INT32_MAX

/* ------------------------------------------------------------- the episodes */

void forecast_episodes_init(struct forecast_episodes *eps)
{
        memset(eps, 0, sizeof *eps);
        eps->data_start = eps->data_end = DATE_NONE;
}

void forecast_episodes_release(struct forecast_episodes *eps)
{
        if (eps->row_id)
                for (size_t i = 0; i < eps->n; i++)
                        free(eps->row_id[i]);
        for (size_t i = 0; i < eps->nchildren; i++)
                free(eps->child_id[i]);
        free(eps->row_id);
        free(eps->child_id);
        free(eps->ep);
        memset(eps, 0, sizeof *eps);
}

static int usable(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}

void forecast_episodes_add(struct forecast_episodes *eps, int year, const char *child, date_t dob,
                           date_t decom, date_t dec, const char *place, const char *ls)
{
        if (!child || !*child || !usable(decom) || dec == DATE_BAD ||
            (dec != DATE_NONE && dec <= decom)) {
                eps->dropped++;
                return;
        }
        size_t cap = eps->cap;
        eps->ep = xgrow(eps->ep, &eps->cap, eps->n + 1, sizeof *eps->ep);
        eps->row_id = xgrow(eps->row_id, &cap, eps->n + 1, sizeof *eps->row_id);
        struct forecast_episode *p = &eps->ep[eps->n];
        memset(p, 0, sizeof *p);
        p->child = (uint32_t)eps->n;
        p->year = year;
        p->dob = usable(dob) ? dob : DATE_NONE;
        p->decom = decom;
        p->dec = dec;
        if (place)
                snprintf(p->place, sizeof p->place, "%s", place);
        p->short_break = ls && (strcmp(ls, "V3") == 0 || strcmp(ls, "V4") == 0);
        eps->row_id[eps->n] = xstrdup(child);
        eps->n++;
        if (eps->data_start == DATE_NONE || date_year_start(year) < eps->data_start)
                eps->data_start = date_year_start(year);
        if (eps->data_end == DATE_NONE || date_year_end(year) > eps->data_end)
                eps->data_end = date_year_end(year);
}

/* Sort key: child id, DECOM, then the later return (and the later row) first. */
static int cmp_rows(const void *a, const void *b, void *ctx)
{
        const struct forecast_episodes *eps = ctx;
        size_t i = *(const size_t *)a, j = *(const size_t *)b;
        int c = strcmp(eps->row_id[i], eps->row_id[j]);
        if (c)
                return c;
        const struct forecast_episode *x = &eps->ep[i], *y = &eps->ep[j];
        if (x->decom != y->decom)
                return x->decom < y->decom ? -1 : 1;
        if (x->year != y->year)
                return x->year > y->year ? -1 : 1;
        return i > j ? -1 : (i < j);
}

int forecast_episodes_finish(struct forecast_episodes *eps, struct err *e)
{
        if (eps->finished)
                return err_set(e, EXIT_INTERNAL, "forecast: episodes finished twice");
        size_t n = eps->n;
        size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
        int maxyear = 0;
        for (size_t i = 0; i < n; i++) {
                idx[i] = i;
                if (eps->ep[i].year > maxyear)
                        maxyear = eps->ep[i].year;
        }
        qsort_r(idx, n, sizeof *idx, cmp_rows, eps);

        struct forecast_episode *out = xmalloc((n ? n : 1) * sizeof *out);
        char **ids = xmalloc((n ? n : 1) * sizeof *ids);
        size_t m = 0, nc = 0;
        for (size_t k = 0; k < n; k++) {
                size_t i = idx[k];
                const char *id = eps->row_id[i];
                int new_child = nc == 0 || strcmp(ids[nc - 1], id) != 0;
                if (!new_child && out[m - 1].decom == eps->ep[i].decom)
                        continue; /* an earlier return's copy of the same episode */
                if (new_child)
                        ids[nc++] = xstrdup(id);
                out[m] = eps->ep[i];
                out[m].child = (uint32_t)(nc - 1);
                if (out[m].dec == DATE_NONE && out[m].year < maxyear) {
                        /* Left open in a return, not re-sent by the later one: never
                         * carried forward (measures.md §0.4); we only know the child was
                         * in care to the end of that year. */
                        out[m].dec = date_year_end(out[m].year) + 1;
                        out[m].censored = 1;
                        eps->censored++;
                }
                m++;
        }
        /* One date of birth per child: the latest return's, else any. */
        for (size_t a = 0; a < m;) {
                size_t b = a;
                date_t dob = DATE_NONE;
                int year = 0;
                while (b < m && out[b].child == out[a].child) {
                        if (out[b].dob != DATE_NONE && out[b].year >= year) {
                                dob = out[b].dob;
                                year = out[b].year;
                        }
                        b++;
                }
                for (size_t c = a; c < b; c++)
                        out[c].dob = dob;
                a = b;
        }
        for (size_t i = 0; i < n; i++)
                free(eps->row_id[i]);
        free(eps->row_id);
        eps->row_id = NULL;
        free(eps->ep);
        free(idx);
        eps->ep = out;
        eps->n = eps->cap = m;
        eps->child_id = ids;
        eps->nchildren = nc;
        eps->finished = 1;
        return 0;
}

int forecast_episodes_add_903(struct forecast_episodes *eps, const struct ssda903_load *ld,
                              struct err *e)
{
        if (!ld->finished)
                return err_set(e, EXIT_INTERNAL, "forecast: the SSDA903 load is not finished");
        if (eps->finished)
                return err_set(e, EXIT_INTERNAL, "forecast: episodes already finished");
        const struct ssda903_table *t = &ld->t[SSDA903_EPISODES];
        for (size_t i = 0; i < t->n; i++) {
                const struct ssda903_row *r = &t->rows[i];
                const struct ssda903_child *c = &ld->children[r->child];
                date_t dob = c->header ? c->header->d[HD_DOB] : DATE_NONE;
                forecast_episodes_add(eps, ld->collection_year, c->id, dob, r->d[EP_DECOM],
                                      r->d[EP_DEC], r->v[EP_PLACE], r->v[EP_LS]);
        }
        return 0;
}

/* ------------------------------------------------------------------ pieces */

enum piece_end { END_NEXT, END_LEAVE, END_CENSOR, END_OPEN };

struct piece {
        date_t a, b; /* [a, b); b = FAR_FUTURE when open */
        int cat;
        enum piece_end end;
        int entry; /* the child came into care on a */
};

struct pieces {
        struct piece *p;
        size_t n, cap;
        size_t overlapping;
};

static int is_temporary(const char *place)
{
        return place[0] == 'T' && place[1] >= '0' && place[1] <= '4' && !place[2];
}

/* The pieces of the child whose episodes are ep[0..n) (sorted by DECOM). */
static void child_pieces(const struct forecast_states *st, const struct forecast_episode *ep,
                         size_t n, struct pieces *out)
{
        out->n = 0;
        for (size_t i = 0; i < n; i++) {
                const struct forecast_episode *x = &ep[i];
                if (x->short_break)
                        continue;
                struct piece *last = out->n ? &out->p[out->n - 1] : NULL;
                if (last && last->b > x->decom) {
                        /* overlapping episodes: the later DECOM wins */
                        out->overlapping++;
                        last->b = x->decom;
                        last->end = END_NEXT;
                } else if (last && last->b == x->decom) {
                        last->end = END_NEXT;
                }
                out->p = xgrow(out->p, &out->cap, out->n + 1, sizeof *out->p);
                last = out->n ? &out->p[out->n - 1] : NULL;
                struct piece *pc = &out->p[out->n++];
                pc->a = x->decom;
                pc->b = x->dec == DATE_NONE ? FAR_FUTURE : x->dec;
                pc->end = x->dec == DATE_NONE ? END_OPEN : x->censored ? END_CENSOR : END_LEAVE;
                pc->cat = forecast_category_of_place(st, x->place);
                if (st->temporary_keeps_category && is_temporary(x->place) && last &&
                    last->end == END_NEXT)
                        pc->cat = last->cat;
                /* After a censored record we cannot tell whether the child left. */
                pc->entry = !last || last->end == END_LEAVE;
        }
}

/* The day on which someone born on dob reaches `age` (29 February: 1 March). */
static date_t birthday(date_t dob, int age)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        y += age;
        if (m == 2 && d == 29 && !date_ymd_valid(y, 2, 29)) {
                m = 3;
                d = 1;
        }
        return date_from_ymd(y, m, d);
}

/* State of a child in category cat on day d, or -1 outside the bands. */
static int state_on(const struct forecast_states *st, date_t dob, int cat, date_t d)
{
        int band = forecast_band_of_age(st, date_age(dob, d));
        return band < 0 ? -1 : forecast_state(st, band, cat);
}

/* ------------------------------------------------------------------ estimation */

void forecast_estimate_release(struct forecast_estimate *est)
{
        free(est->exposure);
        free(est->trans);
        free(est->entries);
        free(est->contrib);
        memset(est, 0, sizeof *est);
}

static void contrib(struct forecast_estimate *est, uint32_t child, int kind, int s, int r,
                    double amount)
{
        est->contrib =
            xgrow(est->contrib, &est->contrib_cap, est->ncontrib + 1, sizeof *est->contrib);
        est->contrib[est->ncontrib++] = (struct forecast_contrib){
            .child = child,
            .kind = (unsigned char)kind,
            .s = (unsigned char)s,
            .r = (unsigned char)r,
            .amount = amount,
        };
}

/* Count one child's pieces over [w0, w1]. */
static void count_child(const struct forecast_states *st, const struct pieces *pc, date_t dob,
                        uint32_t child, date_t w0, date_t w1, struct forecast_estimate *est)
{
        size_t left = st->n - 1;
        for (size_t i = 0; i < pc->n; i++) {
                const struct piece *p = &pc->p[i];
                /* exposure, band by band */
                date_t a = p->a > w0 ? p->a : w0;
                date_t b = p->b < w1 + 1 ? p->b : w1 + 1;
                for (size_t band = 0; band < st->nbands && a < b; band++) {
                        date_t lo = birthday(dob, st->band_lo[band]);
                        date_t hi = birthday(dob, st->band_lo[band + 1]);
                        date_t x = a > lo ? a : lo, y = b < hi ? b : hi;
                        if (x < y)
                                contrib(est, child, FORECAST_EXPOSURE,
                                        forecast_state(st, (int)band, p->cat), 0, y - x);
                }
                if (p->entry && p->a >= w0 && p->a <= w1) {
                        int s = state_on(st, dob, p->cat, p->a);
                        if (s >= 0)
                                contrib(est, child, FORECAST_ENTRY, s, 0, 1);
                }
                if (p->b < w0 || p->b > w1)
                        continue;
                int s = state_on(st, dob, p->cat, p->b - 1);
                if (s < 0)
                        continue;
                if (p->end == END_NEXT) {
                        /* A placement change is counted within the band of the day before;
                         * a birthday on the same day is ageing, which is not estimated. */
                        int r = forecast_state(st, st->band_of[s], pc->p[i + 1].cat);
                        if (r != s)
                                contrib(est, child, FORECAST_TRANSITION, s, r, 1);
                } else if (p->end == END_LEAVE) {
                        if (date_age(dob, p->b) >= FORECAST_LEAVING_AGE)
                                est->aged_out++;
                        else
                                contrib(est, child, FORECAST_TRANSITION, s, (int)left, 1);
                }
        }
}

/* Calls fn for each child with its pieces. */
typedef void (*child_fn)(const struct forecast_states *st, const struct pieces *pc,
                         const struct forecast_episode *first, void *ctx);

static size_t each_child(const struct forecast_states *st, const struct forecast_episodes *eps,
                         child_fn fn, void *ctx)
{
        struct pieces pc = {0};
        for (size_t a = 0; a < eps->n;) {
                size_t b = a;
                while (b < eps->n && eps->ep[b].child == eps->ep[a].child)
                        b++;
                child_pieces(st, eps->ep + a, b - a, &pc);
                fn(st, &pc, &eps->ep[a], ctx);
                a = b;
        }
        free(pc.p);
        return pc.overlapping;
}

static void estimate_child(const struct forecast_states *st, const struct pieces *pc,
                           const struct forecast_episode *first, void *vctx)
{
        struct forecast_estimate *est = vctx;
        date_t w0 = est->w0, w1 = est->w1;
        int touches = 0;
        for (size_t i = 0; i < pc->n && !touches; i++)
                touches = pc->p[i].a <= w1 && pc->p[i].b >= w0;
        if (!touches)
                return;
        if (first->dob == DATE_NONE) {
                est->no_dob++;
                return;
        }
        size_t before = est->ncontrib;
        count_child(st, pc, first->dob, first->child, w0, w1, est);
        if (est->ncontrib > before)
                est->children++;
}

int forecast_estimate(const struct forecast_states *st, const struct forecast_episodes *eps,
                      date_t w0, date_t w1, struct forecast_estimate *est, struct err *e)
{
        memset(est, 0, sizeof *est);
        if (st->n < 2)
                return err_set(e, EXIT_USAGE, "forecast: states are not finished");
        if (!eps->finished)
                return err_set(e, EXIT_INTERNAL, "forecast: episodes are not finished");
        if (w0 == DATE_NONE || w1 == DATE_NONE || w1 < w0)
                return err_set(e, EXIT_USAGE,
                               "forecast: the reference window is empty (it must end on or "
                               "after its first day)");
        if (eps->data_start != DATE_NONE) {
                if (w0 < eps->data_start)
                        w0 = eps->data_start;
                if (w1 > eps->data_end)
                        w1 = eps->data_end;
                if (w1 < w0)
                        return err_set(e, EXIT_USAGE,
                                       "forecast: the reference window is empty: it does not "
                                       "overlap the returns loaded");
        }
        size_t ns = st->n;
        est->ns = ns;
        est->w0 = w0;
        est->w1 = w1;
        est->days = (double)(w1 - w0) + 1;
        est->exposure = xcalloc(ns, sizeof(double));
        est->trans = xcalloc(ns * ns, sizeof(double));
        est->entries = xcalloc(ns, sizeof(double));
        est->overlapping = each_child(st, eps, estimate_child, est);
        for (size_t i = 0; i < est->ncontrib; i++) {
                const struct forecast_contrib *c = &est->contrib[i];
                if (c->kind == FORECAST_EXPOSURE)
                        est->exposure[c->s] += c->amount;
                else if (c->kind == FORECAST_TRANSITION)
                        est->trans[c->s * ns + c->r] += c->amount;
                else
                        est->entries[c->s] += c->amount;
        }
        return 0;
}

int forecast_default_window(const struct forecast_episodes *eps, int months, date_t *w0, date_t *w1,
                            struct err *e)
{
        if (eps->data_end == DATE_NONE)
                return err_set(e, EXIT_USAGE, "forecast: no episodes, so no reference window");
        if (months < 1 || months > 600)
                return err_set(e, EXIT_USAGE,
                               "forecast: the reference window must be 1 to 600 months, not %d",
                               months);
        *w1 = eps->data_end;
        *w0 = date_add_months(*w1, -months) + 1;
        if (*w0 < eps->data_start)
                *w0 = eps->data_start;
        return 0;
}

/* ------------------------------------------------------------------ stock */

struct stock_ctx {
        date_t d;
        double *stock;
        size_t total, unplaced;
};

static void stock_child(const struct forecast_states *st, const struct pieces *pc,
                        const struct forecast_episode *first, void *vctx)
{
        struct stock_ctx *ctx = vctx;
        for (size_t i = 0; i < pc->n; i++) {
                const struct piece *p = &pc->p[i];
                if (p->a > ctx->d || p->b <= ctx->d)
                        continue;
                ctx->total++;
                int s = first->dob == DATE_NONE ? -1 : state_on(st, first->dob, p->cat, ctx->d);
                if (s < 0)
                        ctx->unplaced++;
                else
                        ctx->stock[s]++;
                return;
        }
}

size_t forecast_stock_on(const struct forecast_states *st, const struct forecast_episodes *eps,
                         date_t d, double *stock, size_t *unplaced)
{
        memset(stock, 0, st->n * sizeof *stock);
        struct stock_ctx ctx = {.d = d, .stock = stock};
        each_child(st, eps, stock_child, &ctx);
        if (unplaced)
                *unplaced = ctx.unplaced;
        return ctx.total;
}
