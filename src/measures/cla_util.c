/*
 * cla_util.c — child numbers across returns, snapshots, flows, walks back
 * and window caches shared by the SSDA903 measures (see cla_util.h for why
 * they are cached the way they are; the cohorts are in cla_cohorts.c).
 */
#include "measures/cla_util.h"

#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Window slots per year: the year, 12 months, 12 rolling (12 months), 3 years, 12 rolling (36). */
#define SLOTS 38

struct yearx {
        struct mcla_year pub;
        bool held;
        uint16_t *masks; /* [nchildren]: months looked after, or NULL until built */
        struct mcla_event *ev[MCLA_NFLOWS];
        size_t nev[MCLA_NFLOWS];
        bool built[MCLA_NFLOWS];
        date_t month_end[12]; /* April … March */
        struct mcla_snap *snap[12];
        bool snaps_built;
        struct mcla_walk *walk; /* [Episodes rows], filled child by child */
        uint8_t *walked;        /* [nchildren] */
};

struct state {
        size_t ngid;
        size_t ny;
        struct yearx *y; /* aligned with ctx->h->years */
        struct mcla_marks marks[MCLA_MARK_SETS];
        struct measure_eps eps; /* scratch for walks */
};

static const char state_key;

static void state_release(void *p)
{
        struct state *st = p;
        measure_eps_release(&st->eps);
}

static struct state *state_of(struct measure_ctx *ctx)
{
        struct state *st = measure_cache_get(ctx, &state_key);
        if (st)
                return st;
        const struct measure_history *h = ctx->h;
        st = arena_zalloc(&ctx->arena, sizeof *st);
        st->ny = h->n;
        st->y = arena_zalloc(&ctx->arena, (h->n ? h->n : 1) * sizeof *st->y);
        measure_eps_init(&st->eps);

        /*
         * Every CHILD id of every return, once, in strcmp order.  Each
         * return's children are already in strcmp order, each id once
         * (ssda903_child_find searches them so): merge the returns one by
         * one, where sorting every id cost as much as several measures.
         */
        size_t total = 0;
        for (size_t i = 0; i < h->n; i++)
                if (h->years[i].s903)
                        total += h->years[i].s903->nchildren;
        const char **ids = xmalloc((total ? total : 1) * sizeof *ids);
        const char **merged = xmalloc((total ? total : 1) * sizeof *merged);
        size_t u = 0;
        for (size_t i = 0; i < h->n; i++) {
                const struct ssda903_load *ld = h->years[i].s903;
                if (!ld)
                        continue;
                size_t a = 0, b = 0, m = 0;
                while (a < u && b < ld->nchildren) {
                        int c = strcmp(ids[a], ld->children[b].id);
                        if (c <= 0)
                                merged[m++] = ids[a++];
                        else
                                merged[m++] = ld->children[b++].id;
                        if (c == 0)
                                b++;
                }
                while (a < u)
                        merged[m++] = ids[a++];
                while (b < ld->nchildren)
                        merged[m++] = ld->children[b++].id;
                const char **swap = ids;
                ids = merged;
                merged = swap;
                u = m;
        }
        free(merged);
        st->ngid = u;

        for (size_t i = 0; i < h->n; i++) {
                struct yearx *yx = &st->y[i];
                const struct ssda903_load *ld = h->years[i].s903;
                yx->pub.year = h->years[i].year;
                yx->pub.ys = date_year_start(yx->pub.year);
                yx->pub.ye = date_year_end(yx->pub.year);
                for (int m = 0; m < 12; m++)
                        yx->month_end[m] = date_month_end(date_add_months(yx->pub.ys, m));
                if (!ld)
                        continue;
                yx->held = true;
                yx->pub.ld = ld;
                uint32_t *gid = arena_alloc(&ctx->arena, (ld->nchildren + 1) * sizeof *gid);
                uint32_t *k_of = arena_alloc(&ctx->arena, (u ? u : 1) * sizeof *k_of);
                for (size_t g = 0; g < u; g++)
                        k_of[g] = MCLA_NONE;
                /* Both lists are in strcmp order: one merge walk. */
                size_t g = 0;
                for (size_t k = 0; k < ld->nchildren; k++) {
                        while (g < u && strcmp(ids[g], ld->children[k].id) < 0)
                                g++;
                        gid[k] = (uint32_t)g;
                        k_of[g] = (uint32_t)k;
                }
                yx->pub.gid = gid;
                yx->pub.k_of = k_of;
                yx->pub.ngid = (uint32_t)u;
        }
        free(ids);
        const struct mcla_year *older = NULL;
        for (size_t i = 0; i < h->n; i++) {
                struct yearx *yx = &st->y[i];
                if (!yx->held)
                        continue;
                yx->pub.older = older;
                yx->pub.prev = older && older->year == yx->pub.year - 1 ? older : NULL;
                older = &yx->pub;
        }
        for (int s = 0; s < MCLA_MARK_SETS; s++) {
                st->marks[s].v = arena_zalloc(&ctx->arena, (u ? u : 1) * sizeof *st->marks[s].v);
                st->marks[s].ngid = (uint32_t)u;
        }
        measure_cache_put(ctx, &state_key, st, state_release);
        return st;
}

static struct yearx *yearx_of(struct measure_ctx *ctx, int year)
{
        struct state *st = state_of(ctx);
        const struct measure_year *my = measure_history_year(ctx->h, year);
        if (!my)
                return NULL;
        struct yearx *yx = &st->y[my - ctx->h->years];
        return yx->held ? yx : NULL;
}

const struct mcla_year *mcla_year(struct measure_ctx *ctx, int year)
{
        struct yearx *yx = yearx_of(ctx, year);
        return yx ? &yx->pub : NULL;
}

const struct ssda903_row *mcla_row(const struct mcla_year *y, int t, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *rows = ssda903_child_rows(&y->ld->t[t], k, &n);
        return n ? rows[0] : NULL;
}

bool mcla_portion(const struct measure_window *w, int year, date_t *a, date_t *b)
{
        date_t ys = date_year_start(year), ye = date_year_end(year);
        *a = w->start > ys ? w->start : ys;
        *b = w->end < ye ? w->end : ye;
        return *a <= *b;
}

/* ---------------------------------------------------------------- marks */

struct mcla_marks *mcla_marks_begin(struct measure_ctx *ctx, int set)
{
        struct mcla_marks *m = &state_of(ctx)->marks[set];
        if (++m->gen == 0) { /* wrapped: clear once every 4 billion windows */
                memset(m->v, 0, m->ngid * sizeof *m->v);
                m->gen = 1;
        }
        return m;
}

/* ---------------------------------------------------------------- snapshots */

static struct mcla_snap *snap_build(struct measure_ctx *ctx, const struct yearx *yx, date_t at)
{
        const struct ssda903_load *ld = yx->pub.ld;
        const struct ssda903_table *ep = &ld->t[SSDA903_EPISODES];
        struct mcla_cla *v = arena_alloc(&ctx->arena, (ld->nchildren + 1) * sizeof *v);
        size_t n = 0, ndq = 0, dqcap = 0;
        uint32_t *dq = NULL;
        for (uint32_t k = 0; k < ld->nchildren; k++) {
                size_t nr;
                struct ssda903_row *const *rows = ssda903_child_rows(ep, k, &nr);
                const struct ssda903_row *best = NULL;
                int open = 0;
                /* Rows are in DECOM order: the last open one has the latest DECOM. */
                for (size_t i = 0; i < nr; i++)
                        if (measure_ep_open_on(rows[i], at)) {
                                open++;
                                best = rows[i];
                        }
                if (open > 1) {
                        dq = xgrow(dq, &dqcap, ndq + 1, sizeof *dq);
                        dq[ndq++] = k;
                }
                if (best && !measure_ep_short_break(best)) {
                        struct mcla_cla *c = &v[n++];
                        memset(c, 0, sizeof *c);
                        c->k = k;
                        c->ep = best;
                        const char *pl = best->v[EP_PLACE], *ls = best->v[EP_LS];
                        if (pl && strlen(pl) < sizeof c->place)
                                strcpy(c->place, pl);
                        if (ls && strlen(ls) < sizeof c->ls)
                                strcpy(c->ls, ls);
                }
        }
        struct mcla_snap *s = arena_zalloc(&ctx->arena, sizeof *s);
        s->y = &yx->pub;
        s->at = at;
        s->n = n;
        s->v = v;
        s->ndq = ndq;
        if (ndq) {
                uint32_t *kept = arena_alloc(&ctx->arena, ndq * sizeof *kept);
                memcpy(kept, dq, ndq * sizeof *kept);
                s->dq = kept;
        }
        free(dq);
        return s;
}

/* The month (April 0 … March 11) whose end is d, or -1. */
static int month_slot(const struct yearx *yx, date_t d)
{
        for (int i = 0; i < 12; i++)
                if (yx->month_end[i] == d)
                        return i;
        return -1;
}

/*
 * All twelve month-end snapshots of a return in one pass: each episode is
 * open on the month ends from the first on or after its DECOM to the last
 * before its DEC (§0.1), and a child's open episode on a month end is the
 * one with the latest DECOM (rows are in DECOM order).
 */
static void snaps_build(struct measure_ctx *ctx, struct yearx *yx)
{
        const struct ssda903_load *ld = yx->pub.ld;
        const struct ssda903_table *ep = &ld->t[SSDA903_EPISODES];
        const date_t *me = yx->month_end;
        struct mcla_cla *v[12];
        uint32_t *dq[12];
        size_t n[12] = {0}, ndq[12] = {0}, dqcap[12] = {0};
        for (int i = 0; i < 12; i++) {
                v[i] = arena_alloc(&ctx->arena, (ld->nchildren + 1) * sizeof *v[i]);
                dq[i] = NULL;
        }
        for (uint32_t k = 0; k < ld->nchildren; k++) {
                size_t nr;
                struct ssda903_row *const *rows = ssda903_child_rows(ep, k, &nr);
                if (nr == 0)
                        continue;
                const struct ssda903_row *best[12] = {0};
                int open[12] = {0};
                for (size_t r = 0; r < nr; r++) {
                        date_t a = rows[r]->d[EP_DECOM], b = rows[r]->d[EP_DEC];
                        if (!measure_date_known(a) || a > me[11])
                                continue;
                        int from = a <= me[0] ? 0 : mcla_month_of(a);
                        int to = 11; /* a blank or bad DEC is open (measure_open_on) */
                        if (measure_date_known(b))
                                to = b > me[11] ? 11 : b <= me[0] ? -1 : mcla_month_of(b) - 1;
                        for (int i = from; i <= to; i++) {
                                open[i]++;
                                best[i] = rows[r];
                        }
                }
                bool brk = false; /* measure_ep_short_break(best[i]), asked once per episode */
                for (int i = 0; i < 12; i++) {
                        if (open[i] > 1) {
                                dq[i] = xgrow(dq[i], &dqcap[i], ndq[i] + 1, sizeof *dq[i]);
                                dq[i][ndq[i]++] = k;
                        }
                        if (!best[i])
                                continue;
                        if (i == 0 || best[i] != best[i - 1])
                                brk = measure_ep_short_break(best[i]);
                        if (brk)
                                continue;
                        struct mcla_cla *c = &v[i][n[i]++];
                        if (i > 0 && best[i] == best[i - 1]) {
                                /* the same episode as last month: this child's entry there */
                                memcpy(c, &v[i - 1][n[i - 1] - 1], sizeof *c);
                                continue;
                        }
                        memset(c, 0, sizeof *c);
                        c->k = k;
                        c->ep = best[i];
                        const char *pl = best[i]->v[EP_PLACE], *ls = best[i]->v[EP_LS];
                        if (pl && strlen(pl) < sizeof c->place)
                                strcpy(c->place, pl);
                        if (ls && strlen(ls) < sizeof c->ls)
                                strcpy(c->ls, ls);
                }
        }
        for (int i = 0; i < 12; i++) {
                struct mcla_snap *s = arena_zalloc(&ctx->arena, sizeof *s);
                s->y = &yx->pub;
                s->at = me[i];
                s->n = n[i];
                s->v = v[i];
                s->ndq = ndq[i];
                if (ndq[i]) {
                        uint32_t *kept = arena_alloc(&ctx->arena, ndq[i] * sizeof *kept);
                        memcpy(kept, dq[i], ndq[i] * sizeof *kept);
                        s->dq = kept;
                }
                free(dq[i]);
                yx->snap[i] = s;
        }
        yx->snaps_built = true;
}

const struct mcla_snap *mcla_snapshot(struct measure_ctx *ctx, const struct measure_window *w)
{
        struct yearx *yx = yearx_of(ctx, w->year);
        if (!yx)
                return NULL;
        int i = month_slot(yx, w->end);
        if (i < 0)
                return snap_build(ctx, yx, w->end);
        if (!yx->snaps_built)
                snaps_build(ctx, yx);
        return yx->snap[i];
}

void mcla_snap_dq(struct measure_ctx *ctx, const struct mcla_snap *s, struct measure_value *out)
{
        char d[11];
        date_format_iso(s->at, d);
        for (size_t i = 0; i < s->ndq; i++)
                measure_dq(ctx, out, mcla_child(s->y, s->dq[i]),
                           "more than one episode open on %s: the latest DECOM used", d);
}

/* One measure's values at month ends: [history year][April 0 .. March 11]. */
struct month_values {
        struct measure_value *v;
        uint8_t *done;
};

int mcla_at_month_end(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out, mcla_fn fn)
{
        const struct measure_year *my = measure_history_year(ctx->h, w->year);
        struct yearx *yx = my ? yearx_of(ctx, w->year) : NULL;
        int slot = yx ? month_slot(yx, w->end) : -1;
        if (ctx->on_child || ctx->on_dq || slot < 0)
                return fn(ctx, w, out);
        struct month_values *mv = measure_cache_get(ctx, ctx->def);
        if (!mv) {
                size_t n = (ctx->h->n ? ctx->h->n : 1) * 12;
                mv = arena_zalloc(&ctx->arena, sizeof *mv);
                mv->v = arena_zalloc(&ctx->arena, n * sizeof *mv->v);
                mv->done = arena_zalloc(&ctx->arena, n);
                measure_cache_put(ctx, ctx->def, mv, NULL);
        }
        size_t i = (size_t)(my - ctx->h->years) * 12 + (size_t)slot;
        if (!mv->done[i]) {
                struct measure_value v;
                memset(&v, 0, sizeof v);
                if (fn(ctx, w, &v) < 0)
                        return -1;
                mv->v[i] = v; /* the note lives in ctx->arena too */
                mv->done[i] = 1;
        }
        *out = mv->v[i];
        return 0;
}

int mcla_month_of(date_t d)
{
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        return (m + 8) % 12;
}

const uint16_t *mcla_month_masks(struct measure_ctx *ctx, const struct mcla_year *y)
{
        struct yearx *yx = (struct yearx *)y;
        if (yx->masks)
                return yx->masks;
        const struct ssda903_load *ld = y->ld;
        const struct ssda903_table *ep = &ld->t[SSDA903_EPISODES];
        uint16_t *mask = arena_zalloc(&ctx->arena, (ld->nchildren + 1) * sizeof *mask);
        for (size_t i = 0; i < ep->n; i++) {
                const struct ssda903_row *r = &ep->rows[i];
                date_t a = r->d[EP_DECOM], b = r->d[EP_DEC];
                if (!measure_ep_overlaps(r, y->ys, y->ye) || measure_ep_short_break(r))
                        continue;
                int from = a < y->ys ? 0 : mcla_month_of(a);
                /* a blank or bad end is still open (measure_overlaps) */
                int to = !measure_date_known(b) || b > y->ye ? 11 : mcla_month_of(b);
                mask[r->child] |= mcla_months(from, to);
        }
        yx->masks = mask;
        return mask;
}

/* ---------------------------------------------------------------- flows */

static bool is_x1(const char *rec)
{
        return rec && strcmp(rec, "X1") == 0;
}

static void flow_build(struct measure_ctx *ctx, struct yearx *yx, enum mcla_flow f)
{
        const struct ssda903_table *t = &yx->pub.ld->t[SSDA903_EPISODES];
        struct mcla_event *ev = xmalloc((t->n + 1) * sizeof *ev);
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
                const struct ssda903_row *r = &t->rows[i];
                if (measure_ep_short_break(r))
                        continue;
                date_t d = DATE_NONE;
                const char *rne = r->v[EP_RNE];
                switch (f) {
                case MCLA_STARTS:
                        if (rne && strcmp(rne, "S") == 0)
                                d = r->d[EP_DECOM];
                        break;
                case MCLA_CEASES:
                        if (!is_x1(r->v[EP_REC]))
                                d = r->d[EP_DEC];
                        break;
                case MCLA_PLACEMENTS:
                        if (measure_rne_new_placement(rne) &&
                            !measure_place_temporary(r->v[EP_PLACE]))
                                d = r->d[EP_DECOM];
                        break;
                case MCLA_NFLOWS:
                        break;
                }
                if (d < yx->pub.ys || d > yx->pub.ye)
                        continue; /* blank and bad dates are below any start */
                ev[n++] = (struct mcla_event){d, r->child, yx->pub.gid[r->child], r};
        }
        /*
         * In date order, then table order (rows were read in table order): a
         * counting sort by day, stable, in one pass over the year's days.
         */
        uint32_t at[368] = {0}; /* a year has at most 366 days */
        for (size_t i = 0; i < n; i++)
                at[ev[i].d - yx->pub.ys + 1]++;
        for (date_t d = 0; d <= yx->pub.ye - yx->pub.ys; d++)
                at[d + 1] += at[d];
        struct mcla_event *sorted = arena_alloc(&ctx->arena, (n + 1) * sizeof *sorted);
        for (size_t i = 0; i < n; i++)
                sorted[at[ev[i].d - yx->pub.ys]++] = ev[i];
        free(ev);
        yx->ev[f] = sorted;
        yx->nev[f] = n;
        yx->built[f] = true;
}

/* First event dated on or after d. */
static size_t lower(const struct mcla_event *ev, size_t n, date_t d)
{
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (ev[mid].d < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* Point the iterator at the events of it->year; false when that year has none in the window. */
static bool iter_year(struct mcla_iter *it)
{
        struct yearx *yx = yearx_of(it->ctx, it->year);
        date_t a, b;
        if (!yx || !mcla_portion_of(it->w, &yx->pub, &a, &b))
                return false;
        if (!yx->built[it->f])
                flow_build(it->ctx, yx, it->f);
        it->y = &yx->pub;
        it->lo = lower(yx->ev[it->f], yx->nev[it->f], a);
        it->hi = lower(yx->ev[it->f], yx->nev[it->f], b + 1);
        it->i = it->backward ? it->hi : it->lo;
        return it->lo < it->hi;
}

void mcla_iter_begin(struct mcla_iter *it, struct measure_ctx *ctx, enum mcla_flow f,
                     const struct measure_window *w, bool backward, bool once_per_child)
{
        memset(it, 0, sizeof *it);
        it->ctx = ctx;
        it->f = f;
        it->w = w;
        it->backward = backward;
        it->once = once_per_child;
        int first = date_collection_year(w->start);
        it->year = backward ? w->year : first;
        it->last_year = backward ? first : w->year;
        if (once_per_child)
                it->marks = mcla_marks_begin(ctx, 3);
}

const struct mcla_event *mcla_iter_next(struct mcla_iter *it)
{
        for (;;) {
                if (!it->started) {
                        it->started = true;
                        if (!iter_year(it))
                                it->lo = it->hi = it->i = 0;
                }
                const struct yearx *yx = (const struct yearx *)it->y;
                if (it->backward ? it->i > it->lo : it->i < it->hi) {
                        const struct mcla_event *e =
                            it->backward ? &yx->ev[it->f][--it->i] : &yx->ev[it->f][it->i++];
                        if (it->once && !mcla_mark(it->marks, e->gid))
                                continue;
                        return e;
                }
                if (it->year == it->last_year)
                        return NULL;
                it->year += it->backward ? -1 : 1;
                it->started = false;
        }
}

/* ---------------------------------------------------------------- walks */

static bool rne_is(const char *rne, const char *set)
{
        return rne && rne[0] && rne[1] == '\0' && strchr(set, rne[0]);
}

/* The earliest known episode could have a predecessor in a return the history lacks. */
static bool lacks_before(struct measure_ctx *ctx, const struct ssda903_row *first)
{
        date_t d = first->d[EP_DECOM];
        return measure_date_known(d) &&
               !measure_history_holds(ctx->h, MEASURE_SRC_903, date_collection_year(d));
}

static void eps_add(struct measure_eps *e, const struct ssda903_row *r, int year);

/* Insertion sort of e->ep[lo..hi) by DECOM, then DEC: a child has few episodes. */
static void sort_eps(struct measure_eps *e, size_t lo, size_t hi)
{
        for (size_t i = lo + 1; i < hi; i++) {
                const struct ssda903_row *r = e->ep[i];
                int yr = e->year[i];
                size_t j = i;
                while (j > lo && (e->ep[j - 1]->d[EP_DECOM] > r->d[EP_DECOM] ||
                                  (e->ep[j - 1]->d[EP_DECOM] == r->d[EP_DECOM] &&
                                   e->ep[j - 1]->d[EP_DEC] > r->d[EP_DEC]))) {
                        e->ep[j] = e->ep[j - 1];
                        e->year[j] = e->year[j - 1];
                        j--;
                }
                e->ep[j] = r;
                e->year[j] = yr;
        }
}

size_t mcla_history(const struct mcla_year *y, uint32_t k, struct measure_eps *out)
{
        out->n = 0;
        out->first_current = 0;
        size_t ncur;
        struct ssda903_row *const *cur = ssda903_child_rows(&y->ld->t[SSDA903_EPISODES], k, &ncur);
        if (ncur == 0)
                return 0;
        date_t earliest = cur[0]->d[EP_DECOM];
        uint32_t gid = y->gid[k];
        if (measure_date_known(earliest)) {
                /* Earlier returns, newest first, so that the later return wins on CHILD+DECOM. */
                for (const struct mcla_year *old = y->older; old; old = old->older) {
                        uint32_t k2 = mcla_k_of(old, gid);
                        if (k2 == MCLA_NONE)
                                continue;
                        size_t n2;
                        struct ssda903_row *const *rows =
                            ssda903_child_rows(&old->ld->t[SSDA903_EPISODES], k2, &n2);
                        size_t taken = out->n;
                        for (size_t j = 0; j < n2; j++) {
                                date_t dc = rows[j]->d[EP_DECOM];
                                if (!measure_date_known(dc) || dc >= earliest)
                                        continue;
                                bool dup = false;
                                for (size_t t = 0; t < taken && !dup; t++)
                                        dup = out->ep[t]->d[EP_DECOM] == dc;
                                if (!dup)
                                        eps_add(out, rows[j], old->year);
                        }
                }
                sort_eps(out, 0, out->n);
        }
        out->first_current = out->n;
        for (size_t i = 0; i < ncur; i++)
                eps_add(out, cur[i], y->year);
        return out->n;
}

static void walk_child(struct measure_ctx *ctx, struct yearx *yx, uint32_t k)
{
        struct state *st = state_of(ctx);
        struct measure_eps *e = &st->eps;
        if (!yx->walk) {
                size_t n = yx->pub.ld->t[SSDA903_EPISODES].n;
                yx->walk = arena_zalloc(&ctx->arena, (n + 1) * sizeof *yx->walk);
                yx->walked = arena_zalloc(&ctx->arena, yx->pub.ld->nchildren + 1);
        }
        yx->walked[k] = 1;
        mcla_history(&yx->pub, k, e);
        for (size_t i = e->first_current; i < e->n; i++) {
                size_t p = measure_poc_start(e, i), q = measure_placement_start(e, i);
                struct mcla_walk *wk = &yx->walk[e->ep[i]->index];
                wk->poc_start = e->ep[p]->d[EP_DECOM];
                wk->pl_start = e->ep[q]->d[EP_DECOM];
                wk->poc_unsure =
                    p == 0 && !rne_is(e->ep[0]->v[EP_RNE], "S") && lacks_before(ctx, e->ep[0]);
                wk->pl_unsure =
                    q == 0 && rne_is(e->ep[0]->v[EP_RNE], "LTU") && lacks_before(ctx, e->ep[0]);
        }
}

const struct mcla_walk *mcla_walk(struct measure_ctx *ctx, const struct mcla_year *y,
                                  const struct ssda903_row *ep)
{
        struct yearx *yx = (struct yearx *)y;
        if (!yx->walked || !yx->walked[ep->child])
                walk_child(ctx, yx, ep->child);
        return &yx->walk[ep->index];
}

static void eps_add(struct measure_eps *e, const struct ssda903_row *r, int year)
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

size_t mcla_window_episodes(const struct mcla_year *top, const struct measure_window *w,
                            uint32_t gid, struct measure_eps *out)
{
        out->n = 0;
        out->first_current = 0;
        uint32_t kt = mcla_k_of(top, gid);
        if (kt == MCLA_NONE)
                return 0;
        size_t nt;
        struct ssda903_row *const *cur = ssda903_child_rows(&top->ld->t[SSDA903_EPISODES], kt, &nt);
        if (nt == 0)
                return 0;
        date_t a, b, earliest = cur[0]->d[EP_DECOM];
        /* Earlier returns of the window, newest first: a later return wins on CHILD+DECOM. */
        for (const struct mcla_year *y = top->prev; y && y->ye >= w->start; y = y->prev) {
                uint32_t k = mcla_k_of(y, gid);
                if (k == MCLA_NONE || !measure_date_known(earliest))
                        continue;
                bool in_window = mcla_portion_of(w, y, &a, &b);
                size_t n;
                struct ssda903_row *const *rows =
                    ssda903_child_rows(&y->ld->t[SSDA903_EPISODES], k, &n);
                size_t before = out->n;
                for (size_t j = 0; j < n; j++) {
                        date_t dc = rows[j]->d[EP_DECOM];
                        if (!measure_date_known(dc) || dc >= earliest)
                                continue;
                        bool dup = false;
                        for (size_t t = 0; t < before && !dup; t++)
                                dup = out->ep[t]->d[EP_DECOM] == dc;
                        if (dup)
                                continue;
                        /* Kept (against later duplicates), marked -1 when outside the window. */
                        eps_add(out, rows[j],
                                in_window && measure_ep_overlaps(rows[j], a, b) ? y->year : -1);
                }
        }
        size_t m = 0;
        for (size_t i = 0; i < out->n; i++)
                if (out->year[i] >= 0) {
                        out->ep[m] = out->ep[i];
                        out->year[m] = out->year[i];
                        m++;
                }
        out->n = m;
        sort_eps(out, 0, out->n);
        out->first_current = out->n;
        if (mcla_portion_of(w, top, &a, &b))
                for (size_t i = 0; i < nt; i++)
                        if (measure_ep_overlaps(cur[i], a, b))
                                eps_add(out, cur[i], w->year);
        return out->n;
}

/* ---------------------------------------------------------------- window caches */

void **mcla_slot(struct measure_ctx *ctx, const void *key, const struct measure_window *w)
{
        const struct measure_year *my = measure_history_year(ctx->h, w->year);
        if (!my || w->end != date_month_end(w->end))
                return NULL;
        int s;
        if (w->period == MEASURE_YEAR && w->months == 12)
                s = 0;
        else if (w->period == MEASURE_MONTH)
                s = 1 + mcla_month_of(w->end);
        else if (w->period == MEASURE_ROLLING && w->months == 12)
                s = 13 + mcla_month_of(w->end);
        else if (w->period == MEASURE_YEAR && w->months == 36)
                s = 25;
        else if (w->period == MEASURE_ROLLING && w->months == 36)
                s = 26 + mcla_month_of(w->end);
        else
                return NULL;
        void **slots = measure_cache_get(ctx, key);
        if (!slots) {
                slots =
                    arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * SLOTS * sizeof *slots);
                measure_cache_put(ctx, key, slots, NULL);
        }
        return &slots[(size_t)(my - ctx->h->years) * SLOTS + (size_t)s];
}
