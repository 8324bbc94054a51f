/*
 * cla_cohorts.c — cohorts and shares several SSDA903 measure files use
 * (see cla_util.h): ceased children by their reason, and the OC2 cohort of
 * children looked after 12 months or more (§4.4) with its data-quality
 * warnings and flag shares.
 */
#include "measures/cla_util.h"

#include <string.h>

/* ---------------------------------------------------------------- ceased children */

bool mcla_code_in(const char *v, const char *const *codes)
{
        if (!v)
                return false;
        /* Codes are a few characters: compared in place, not through strcmp (a call each). */
        for (size_t i = 0; codes[i]; i++) {
                const char *a = v, *b = codes[i];
                while (*a && *a == *b) {
                        a++;
                        b++;
                }
                if (*a == *b)
                        return true;
        }
        return false;
}

/*
 * The ceased children of one window (each on their last cessation in it)
 * counted by REC, made once per window for the measures that share them
 * (the SGO, CAO and adoption shares) instead of each walking the window's
 * cessations again.  A REC of up to 8 characters is compared as a packed
 * integer; a longer one (never a valid code) by its text.
 */
struct ceased_rec {
        uint64_t key;    /* the REC's bytes, packed, when `packed` */
        bool packed;     /* the REC has at most 8 characters */
        const char *rec; /* one of the REC texts counted here (NULL: no REC) */
        int64_t count;
};

struct ceased_by_rec {
        size_t n, cap;
        struct ceased_rec *v;
        int64_t total;
};

/* The bytes of a text of up to 8 characters, or false when it is longer. */
static bool pack_code(const char *v, uint64_t *key)
{
        uint64_t k = 0;
        int i = 0;
        for (; i < 8 && v[i]; i++)
                k |= (uint64_t)(unsigned char)v[i] << (8 * i);
        if (v[i])
                return false;
        *key = k;
        return true;
}

static void ceased_add(struct measure_ctx *ctx, struct ceased_by_rec *c, const char *rec)
{
        uint64_t key = 0;
        bool packed = rec && pack_code(rec, &key);
        for (size_t i = 0; i < c->n; i++) {
                struct ceased_rec *e = &c->v[i];
                bool same;
                if (!rec || !e->rec)
                        same = !rec && !e->rec;
                else if (packed || e->packed)
                        same = packed && e->packed && e->key == key;
                else
                        same = strcmp(e->rec, rec) == 0;
                if (same) {
                        e->count++;
                        return;
                }
        }
        if (c->n == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 16;
                struct ceased_rec *v = arena_alloc(&ctx->arena, cap * sizeof *v);
                if (c->n)
                        memcpy(v, c->v, c->n * sizeof *v);
                c->v = v;
                c->cap = cap;
        }
        c->v[c->n++] = (struct ceased_rec){key, packed, rec, 1};
}

static const char key_ceased;

static const struct ceased_by_rec *ceased_by_rec(struct measure_ctx *ctx,
                                                 const struct measure_window *w, void **slot)
{
        struct ceased_by_rec *c = *slot;
        if (c)
                return c;
        c = arena_zalloc(&ctx->arena, sizeof *c);
        struct mcla_iter it;
        mcla_iter_begin(&it, ctx, MCLA_CEASES, w, true, true);
        for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                ceased_add(ctx, c, e->ep->v[EP_REC]);
                c->total++;
        }
        *slot = c;
        return c;
}

int mcla_ceased_share(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out, const char *const *codes)
{
        int64_t num = 0, den = 0;
        void **slot = ctx->on_child ? NULL : mcla_slot(ctx, &key_ceased, w);
        if (slot) {
                const struct ceased_by_rec *c = ceased_by_rec(ctx, w, slot);
                den = c->total;
                for (size_t i = 0; i < c->n; i++)
                        if (mcla_code_in(c->v[i].rec, codes))
                                num += c->v[i].count;
        } else {
                struct mcla_iter it;
                mcla_iter_begin(&it, ctx, MCLA_CEASES, w, true, true);
                for (const struct mcla_event *e; (e = mcla_iter_next(&it));) {
                        bool hit = mcla_code_in(e->ep->v[EP_REC], codes);
                        den++;
                        num += hit;
                        measure_counted(ctx, mcla_child(it.y, e->k), hit);
                }
        }
        out->numerator = num;
        out->denominator = den;
        out->has_numerator = out->has_denominator = true;
        return 0;
}

/* ---------------------------------------------------------------- OC2 cohort */

bool mcla_flag_yes(const char *v)
{
        return v && strcmp(v, "1") == 0;
}

struct dqlist {
        const char **child, **text;
        size_t n, cap;
};

static void dq_push(struct measure_ctx *ctx, struct dqlist *l, const char *child, const char *text)
{
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 8;
                const char **c = arena_alloc(&ctx->arena, cap * sizeof *c);
                const char **t = arena_alloc(&ctx->arena, cap * sizeof *t);
                if (l->n) {
                        memcpy(c, l->child, l->n * sizeof *c);
                        memcpy(t, l->text, l->n * sizeof *t);
                }
                l->child = c;
                l->text = t;
                l->cap = cap;
        }
        l->child[l->n] = child;
        l->text[l->n] = text;
        l->n++;
}

static bool any_short_break(const struct mcla_year *y, uint32_t k)
{
        size_t n;
        struct ssda903_row *const *rows = ssda903_child_rows(&y->ld->t[SSDA903_EPISODES], k, &n);
        for (size_t i = 0; i < n; i++)
                if (measure_ep_short_break(rows[i]) && measure_ep_overlaps(rows[i], y->ys, y->ye))
                        return true;
        return false;
}

static const char key_oc2;

const struct mcla_oc2 *mcla_oc2_cohort(struct measure_ctx *ctx, const struct measure_window *w)
{
        const struct mcla_year *y = mcla_year(ctx, w->year);
        if (!y)
                return NULL;
        struct mcla_oc2 **per = measure_cache_get(ctx, &key_oc2);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * sizeof *per);
                measure_cache_put(ctx, &key_oc2, per, NULL);
        }
        size_t yi = (size_t)(measure_history_year(ctx->h, w->year) - ctx->h->years);
        if (per[yi])
                return per[yi];
        struct measure_window at31;
        measure_window_year(&at31, w->year, 12);
        const struct mcla_snap *s = mcla_snapshot(ctx, &at31);
        struct mcla_oc2 *c = arena_zalloc(&ctx->arena, sizeof *c);
        struct mcla_oc2_child *v = arena_alloc(&ctx->arena, (s->n + 1) * sizeof *v);
        uint8_t *in = arena_zalloc(&ctx->arena, y->ld->nchildren + 1);
        struct dqlist dq = {0};
        char d31[11];
        date_format_iso(at31.end, d31);
        for (size_t i = 0; i < s->ndq; i++)
                dq_push(ctx, &dq, mcla_child(y, s->dq[i]),
                        arena_printf(&ctx->arena,
                                     "more than one episode open on %s: the latest DECOM used",
                                     d31));
        size_t n = 0;
        for (size_t i = 0; i < s->n; i++) {
                uint32_t k = s->v[i].k;
                const struct mcla_walk *wk = mcla_walk(ctx, y, s->v[i].ep);
                if (wk->poc_start > at31.start) {
                        c->unsure |= wk->poc_unsure;
                        continue;
                }
                if (any_short_break(y, k))
                        continue;
                const struct ssda903_row *row = mcla_row(y, SSDA903_OC2, k);
                date_t dob = measure_903_dob(y->ld, k, row, O2_DOB);
                v[n++] = (struct mcla_oc2_child){k, row, measure_age_on(dob, at31.end)};
                in[k] = 1;
                if (!row)
                        dq_push(ctx, &dq, mcla_child(y, k),
                                "in the OC2 cohort with no OC2 row: counted in the denominator "
                                "only");
        }
        const struct ssda903_table *o2 = &y->ld->t[SSDA903_OC2];
        for (size_t i = 0; i < o2->n; i++)
                if (!in[o2->rows[i].child])
                        dq_push(ctx, &dq, mcla_child(y, o2->rows[i].child),
                                "OC2 row for a child outside the OC2 cohort: ignored");
        c->n = n;
        c->v = v;
        c->ndq = dq.n;
        c->dq_child = dq.child;
        c->dq_text = dq.text;
        per[yi] = c;
        return c;
}

void mcla_oc2_dq(struct measure_ctx *ctx, const struct mcla_oc2 *c, struct measure_value *out)
{
        for (size_t i = 0; i < c->ndq; i++)
                measure_dq(ctx, out, c->dq_child[i], "%s", c->dq_text[i]);
        if (c->unsure) {
                out->lookback_incomplete = true;
                measure_note(ctx, out,
                             "incomplete look-back: a period of care may have started in a "
                             "return not held");
        }
}

int mcla_oc2_share(struct measure_ctx *ctx, const struct measure_window *w,
                   struct measure_value *out, int num_col, int age_lo, int age_hi, int den_col)
{
        const struct mcla_oc2 *c = mcla_oc2_cohort(ctx, w);
        if (!c)
                return 0;
        int64_t num = 0, den = 0;
        for (size_t i = 0; i < c->n; i++) {
                const struct mcla_oc2_child *ch = &c->v[i];
                if (age_lo >= 0 && (ch->age < age_lo || ch->age > age_hi))
                        continue;
                if (den_col >= 0 && !(ch->oc2 && mcla_flag_yes(ch->oc2->v[den_col])))
                        continue;
                bool yes = ch->oc2 && mcla_flag_yes(ch->oc2->v[num_col]);
                den++;
                num += yes;
                if (ctx->on_child)
                        measure_counted(ctx, mcla_child(mcla_year(ctx, w->year), ch->k), yes);
        }
        out->numerator = num;
        out->denominator = den;
        out->has_numerator = out->has_denominator = true;
        mcla_oc2_dq(ctx, c, out);
        return 0;
}
