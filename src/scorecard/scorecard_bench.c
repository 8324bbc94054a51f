/*
 * scorecard_bench.c — the benchmarks of every authority's annual values
 * (statistics.md §7, measures.md §0.10–§0.11), redone a whole year at a time.
 *
 * For one measure and year every authority in the store has at most one
 * value (its own computed one, else the published one).  From these:
 *  - quartile band and rank among all authorities with a value (R type 7,
 *    band and rank 1 the best given polarity; neutral measures count from the
 *    lowest), never for measures that must not be ranked;
 *  - the median of the 10 statistical neighbours, each neighbour's value
 *    being its published figure where one exists (a rate derived per
 *    neighbour, §0.10), else its computed value;
 *  - the region's and England's published figure, else (a synthetic region,
 *    a measure the DfE does not publish) the pooled figure of the
 *    authorities in the store, labelled "computed";
 *  - whether the value is better than the neighbours' median (neutral
 *    measures: above or below).
 * Where any published authority figure takes part, values are compared at
 * the precision the DfE publishes (§0.8), so that 67.4 is not ranked below a
 * published 67.
 */
#include "scorecard/scorecard_int.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "published/lookup.h"
#include "stats/benchmark.h"
#include "stats/sdc.h"
#include "store/store.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct auth {
        char code[4];
        char region[16];
        char nb[STORE_NEIGHBOURS][4];
};

struct auths {
        struct auth *a;
        size_t n, cap;
        json_t *index; /* code -> position */
};

static int add_auth(void *ctx, const struct store_authority *x)
{
        struct auths *l = ctx;
        l->a = xgrow(l->a, &l->cap, l->n + 1, sizeof *l->a);
        struct auth *a = &l->a[l->n];
        memset(a, 0, sizeof *a);
        snprintf(a->code, sizeof a->code, "%s", x->code);
        snprintf(a->region, sizeof a->region, "%s", x->region_code ? x->region_code : "");
        memcpy(a->nb, x->neighbours, sizeof a->nb);
        json_object_set_new(l->index, a->code, json_integer((json_int_t)l->n));
        l->n++;
        return 0;
}

/* One authority's annual value of one measure, as stored. */
struct cell {
        int has_value, computed, has_num, has_den;
        double value;
        int64_t num, den;
};

/* One authority's annual values of every year benchmarked, filled from one read. */
struct fill_ctx {
        struct cell *cells; /* [year k][authority][measure] */
        size_t la, nla, nm;
        const int *years; /* ascending */
        const int *want;  /* [k]: that year is benchmarked now */
        size_t ny;
        json_t *mindex; /* measure id -> catalogue position */
};

static int fill(void *vctx, const struct store_measure_value *v)
{
        struct fill_ctx *c = vctx;
        size_t lo = 0, hi = c->ny;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (c->years[mid] < v->year)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == c->ny || c->years[lo] != v->year || !c->want[lo])
                return 0; /* a year not benchmarked now */
        json_t *hit = json_object_get(c->mindex, v->measure);
        if (!hit)
                return 0; /* a measure no longer in the catalogue */
        struct cell *x = &c->cells[(lo * c->nla + c->la) * c->nm + (size_t)json_integer_value(hit)];
        x->has_value = v->has_value;
        x->value = v->value;
        x->computed = strcmp(v->source, "published") != 0;
        x->has_num = v->has_numerator;
        x->has_den = v->has_denominator;
        x->num = v->numerator;
        x->den = v->denominator;
        return 0;
}

static void note_add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(struct buf *b, const char *fmt, ...)
{
        if (b->len)
                buf_puts(b, "; ");
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(b, fmt, ap);
        va_end(ap);
}

/* Pooled figure of the authorities whose region is `region` (NULL: all) with a computed value. */
static double pooled(const struct auths *A, const struct cell *cells, size_t nm, size_t i,
                     const struct measure_def *m, const char *region, size_t *used)
{
        size_t n = 0;
        double *num = xmalloc((A->n ? A->n : 1) * sizeof *num);
        double *den = xmalloc((A->n ? A->n : 1) * sizeof *den);
        for (size_t a = 0; a < A->n; a++) {
                if (region && strcmp(A->a[a].region, region) != 0)
                        continue;
                const struct cell *c = &cells[a * nm + i];
                if (!c->computed || !c->has_num)
                        continue;
                num[n] = (double)c->num;
                den[n] = m->unit == MEASURE_COUNT ? 1.0 : c->has_den ? (double)c->den : NAN;
                n++;
        }
        double v;
        if (m->unit == MEASURE_COUNT) { /* a count pools to the sum */
                v = 0;
                for (size_t k = 0; k < n; k++)
                        v += num[k];
                *used = n;
                if (!n)
                        v = NAN;
        } else {
                v = bench_pooled(num, den, n, measure_scale(m), used);
        }
        free(num);
        free(den);
        return v;
}

struct year_ctx {
        struct store *s;
        const struct sc_published *pub;
        const struct auths *A;
        json_t *mindex;
        size_t nm;
        struct store_bench_writer *w;
        struct scorecard_stats *st;
};

/*
 * The value compared: at published precision when published authority
 * figures take part; else to six decimal places, as exported, so that 5/6
 * and 10/12 (83.33333333333334 and 83.33333333333333 in binary) tie.
 */
static double cmpv(double x, int at_dp, int dp)
{
        if (isnan(x))
                return x;
        return sdc_round_half_up(x, at_dp ? dp : 6);
}

static int bench_measure(struct year_ctx *y, int year, size_t i, const struct cell *cells,
                         struct err *e)
{
        const struct measure_def *m = measure_at(i);
        const struct scorecard_pub *pub = sc_published_of(y->pub, i);
        const struct auths *A = y->A;
        size_t nm = y->nm;
        int at_dp = scorecard_pub_any_la(pub, year);
        int dp = m->bench.dp;
        bool is_population = m->outcome == MEASURE_CONTEXT && m->unit == MEASURE_COUNT;
        double *shown = xmalloc((A->n ? A->n : 1) * sizeof *shown);
        double *rankv = xmalloc((A->n ? A->n : 1) * sizeof *rankv);
        size_t with_value = 0;
        for (size_t a = 0; a < A->n; a++) {
                const struct cell *c = &cells[a * nm + i];
                shown[a] = c->has_value ? c->value : NAN;
                rankv[a] = cmpv(shown[a], at_dp, dp);
                with_value += c->has_value != 0;
        }
        bool rank = !(m->flags & MEASURE_NEVER_RANK);
        struct bench_quartiles q;
        bench_quartiles(rankv, A->n, &q);

        /* The pooled figures of every region in the store and of England, once. */
        json_t *regions = json_object();
        size_t eng_used = 0;
        double eng_pooled = pooled(A, cells, nm, i, m, NULL, &eng_used);
        struct buf note;
        buf_init(&note);
        int rc = 0;
        for (size_t a = 0; a < A->n && rc == 0; a++) {
                const struct auth *au = &A->a[a];
                struct store_measure_bench b = {.la = au->code, .year = year, .measure = m->id};
                buf_reset(&note);

                /* Statistical neighbours: published figure, else the computed value. */
                double nbv[STORE_NEIGHBOURS];
                size_t nn = 0;
                for (int k = 0; k < STORE_NEIGHBOURS; k++) {
                        if (!au->nb[k][0])
                                continue;
                        struct scorecard_pub_value pv;
                        scorecard_pub_get(pub, year, STORE_GEO_LA, au->nb[k], &pv);
                        double v = NAN;
                        if (pv.has_value) {
                                v = pv.value;
                        } else {
                                json_t *hit = json_object_get(A->index, au->nb[k]);
                                if (hit) {
                                        const struct cell *c =
                                            &cells[(size_t)json_integer_value(hit) * nm + i];
                                        if (c->has_value)
                                                v = c->value;
                                }
                        }
                        nbv[nn++] = cmpv(v, at_dp, dp);
                }
                struct bench_neighbours sn;
                bench_neighbours(nbv, nn, &sn);
                if (sn.used) {
                        b.has_sn_median = 1;
                        b.sn_median = sn.median;
                        b.sn_used = (int)sn.used;
                        if (sn.few)
                                note_add(&note, "SN median of %zu/10 neighbours (fewer than %d)",
                                         sn.used, BENCH_NEIGHBOURS_WARN);
                }

                /* Region: the code on the authority's published row, else the store's. */
                struct scorecard_pub_value own;
                scorecard_pub_get(pub, year, STORE_GEO_LA, au->code, &own);
                const char *region = own.region ? own.region : au->region;
                b.region_code = region;
                struct scorecard_pub_value rv;
                scorecard_pub_get(pub, year, STORE_GEO_REGIONAL, region, &rv);
                int64_t pop;
                if (is_population &&
                    scorecard_pops_get(sc_published_pops(y->pub), region, year, &pop)) {
                        b.has_region = 1;
                        b.region = (double)pop;
                        b.region_source = "published";
                } else if (rv.found) {
                        b.region_source = "published";
                        b.has_region = rv.has_value;
                        b.region = rv.value;
                        if (!rv.has_value && rv.symbol)
                                note_add(&note, "region published as %s", rv.symbol);
                        else if (!rv.has_value)
                                note_add(&note, "region published, but %s", rv.why);
                } else if (*region) {
                        json_t *hit = json_object_get(regions, region);
                        size_t used = 0;
                        double v;
                        if (hit) {
                                v = json_real_value(json_array_get(hit, 0));
                                used = (size_t)json_integer_value(json_array_get(hit, 1));
                        } else {
                                v = pooled(A, cells, nm, i, m, region, &used);
                                json_object_set_new(
                                    regions, region,
                                    json_pack("[f, I]", isnan(v) ? 0.0 : v, (json_int_t)used));
                                if (isnan(v))
                                        used = 0;
                        }
                        if (used && !isnan(v)) {
                                b.has_region = 1;
                                b.region = v;
                                b.region_source = "computed";
                                note_add(&note, "region computed from %zu authorit%s in the store",
                                         used, used == 1 ? "y" : "ies");
                        }
                }

                /* England. */
                struct scorecard_pub_value ev;
                scorecard_pub_get(pub, year, STORE_GEO_NATIONAL, LOOKUP_ENGLAND, &ev);
                if (is_population &&
                    scorecard_pops_get(sc_published_pops(y->pub), LOOKUP_ENGLAND, year, &pop)) {
                        b.has_england = 1;
                        b.england = (double)pop;
                        b.england_source = "published";
                } else if (ev.found) {
                        b.england_source = "published";
                        b.has_england = ev.has_value;
                        b.england = ev.value;
                        if (ev.converted)
                                note_add(&note, "England published in months, shown in days "
                                                "(30.4375 a month)");
                        if (!ev.has_value && ev.symbol)
                                note_add(&note, "England published as %s", ev.symbol);
                        else if (!ev.has_value)
                                note_add(&note, "England published, but %s", ev.why);
                } else if (eng_used && !isnan(eng_pooled)) {
                        b.has_england = 1;
                        b.england = eng_pooled;
                        b.england_source = "computed";
                        note_add(&note, "England computed from %zu authorit%s in the store",
                                 eng_used, eng_used == 1 ? "y" : "ies");
                }

                /* Quartile, rank, and the comparison with the neighbours. */
                if (!isnan(shown[a])) {
                        if (rank) {
                                size_t ranked = 0;
                                b.quartile = bench_band(rankv[a], &q, m->polarity);
                                b.rank = bench_rank(rankv[a], rankv, A->n, m->polarity, &ranked);
                                b.ranked = (int)ranked;
                        }
                        if (b.has_sn_median)
                                b.versus =
                                    m->polarity == BENCH_NEUTRAL
                                        ? bench_direction(rankv[a], b.sn_median)
                                        : bench_favourable(rankv[a], b.sn_median, m->polarity);
                }
                if (isnan(shown[a]) && !b.has_sn_median && !b.has_region && !b.has_england)
                        continue;
                b.note = note.data ? note.data : "";
                rc = store_bench_put(y->w, &b, e);
                y->st->benchmarks += rc == 0;
        }
        (void)with_value;
        buf_release(&note);
        json_decref(regions);
        free(shown);
        free(rankv);
        return rc;
}

/* cells: the year's [authority][measure] values (fill). */
static int bench_year(struct year_ctx *y, int year, const struct cell *cells, struct err *e)
{
        /* By difference: a recompute that changes no benchmark writes none. */
        int rc = store_bench_writer_year(y->w, year, e);
        for (size_t i = 0; i < y->nm && rc == 0; i++)
                rc = bench_measure(y, year, i, cells, e);
        if (rc == 0)
                rc = store_bench_writer_year_end(y->w, e);
        if (rc == 0)
                rc = store_measure_year_fresh(y->s, year, e);
        return rc;
}

int scorecard_benchmarks(struct store *s, int all, struct scorecard_stats *st, struct err *e)
{
        struct scorecard_stats local = {0};
        if (!st)
                st = &local;
        double t0 = sc_now();
        int *years = NULL, *stale = NULL;
        size_t ny = 0, todo = 0;
        if (store_measure_years(s, &years, &stale, &ny, e))
                return -1;
        for (size_t k = 0; k < ny; k++)
                todo += all || stale[k];
        if (!todo) {
                free(years);
                free(stale);
                return 0;
        }
        struct auths A = {.index = json_object()};
        struct year_ctx y = {.s = s, .A = &A, .nm = measure_count(), .st = st};
        y.mindex = json_object();
        for (size_t i = 0; i < y.nm; i++)
                json_object_set_new(y.mindex, measure_at(i)->id, json_integer((json_int_t)i));
        int rc = store_authority_each(s, add_auth, &A, e);
        struct sc_published *pub = rc == 0 ? sc_published_open(s, e) : NULL;
        y.pub = pub;
        if (!pub)
                rc = -1;
        if (rc == 0)
                rc = store_begin(s, e);
        if (rc == 0)
                rc = store_bench_writer_open(s, &y.w, e);
        /*
         * Every authority's annual values of the years benchmarked, in one read of each
         * authority's annual rows (a read per year went over all its years' rows each time).
         */
        int *want = xcalloc(ny, sizeof *want);
        for (size_t k = 0; k < ny; k++)
                want[k] = all || stale[k];
        size_t per_year = (A.n ? A.n : 1) * y.nm;
        struct cell *cells = rc == 0 ? xcalloc(ny * per_year, sizeof *cells) : NULL;
        for (size_t a = 0; a < A.n && rc == 0; a++) {
                struct fill_ctx c = {cells, a, A.n, y.nm, years, want, ny, y.mindex};
                rc = store_measure_each(s, A.a[a].code, "year", 0, NULL, fill, &c, e);
        }
        for (size_t k = 0; k < ny && rc == 0; k++)
                if (want[k])
                        rc = bench_year(&y, years[k], &cells[k * per_year], e);
        free(cells);
        free(want);
        store_bench_writer_close(y.w);
        if (rc == 0)
                rc = store_commit(s, e);
        else if (pub)
                store_rollback(s);
        sc_published_close(pub);
        json_decref(y.mindex);
        json_decref(A.index);
        free(A.a);
        free(years);
        free(stale);
        st->bench_s += sc_now() - t0;
        return rc;
}
