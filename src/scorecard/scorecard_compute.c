/*
 * scorecard_compute.c — an authority's values computed from its stored
 * returns and written back to the store (scorecard.h).
 *
 * One authority is one job in three steps: read its returns and populations
 * from the store, compute every value with the measures engine, write them.
 * Only the middle step may run on another thread (the engine is pure over
 * one history, measure.h); the store is read and written by the thread that
 * owns it, so a recompute of every authority overlaps reading and writing
 * one authority with computing the next.
 *
 * Values are written in key order (period, period end, measure) after the
 * old ones of the same return kind and years are deleted, in one
 * transaction per authority: a reader sees the old values or the new ones.
 */
#include "scorecard/scorecard_int.h"

#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/cin.h"
#include "returns/ssda903.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double sc_now(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

const char *sc_source_name(enum measure_source src)
{
        return measure_source_name(src); /* "cin", "903", "published": the store's words */
}

/* ---------------------------------------------------------------- one job */

struct val {
        const struct measure_def *m;
        struct measure_window w;
        struct measure_value v;
        int prank, mrank; /* places of the period's name and the measure's id in text order */
};

struct sc_job {
        char la[4];
        unsigned kinds;
        int from_year;
        /* read */
        int *y903, *ycin;
        size_t n903, ncin;
        struct ssda903_load **l903;
        struct cin_load *lcin;
        struct measure_history h;
        long returns;
        /* snapshots made while reading rows, for the writer to store */
        struct store_return_snapshot *snaps;
        size_t nsnaps, cap_snaps;
        /* computed */
        struct measure_ctx ctx;
        int ctx_ready;
        struct val *vals;
        size_t nvals, cap;
        int rc;
        struct err e;
        double compute_s;
        int prank[MEASURE_ROLLING + 1]; /* by enum measure_period */
        int mrank_cur;                  /* the measure being computed */
};

void sc_job_free(struct sc_job *j)
{
        if (!j)
                return;
        if (j->ctx_ready)
                measure_ctx_release(&j->ctx);
        measure_history_release(&j->h);
        for (size_t i = 0; i < j->n903; i++)
                ssda903_free(j->l903 ? j->l903[i] : NULL);
        for (size_t i = 0; i < j->ncin && j->lcin; i++)
                cin_load_release(&j->lcin[i]);
        free(j->l903);
        free(j->lcin);
        free(j->y903);
        free(j->ycin);
        free(j->vals);
        for (size_t i = 0; i < j->nsnaps; i++)
                store_return_snapshot_release(&j->snaps[i]);
        free(j->snaps);
        free(j);
}

static void keep_snapshot(struct sc_job *j, struct store_return_snapshot *sn)
{
        if (!sn->data)
                return;
        j->snaps = xgrow(j->snaps, &j->cap_snaps, j->nsnaps + 1, sizeof *j->snaps);
        j->snaps[j->nsnaps++] = *sn;
}

/* Read the returns of the kinds asked for (every year: look-back reads earlier ones). */
struct sc_job *sc_job_load(struct store *s, const char *la, unsigned kinds, int from_year,
                           struct err *e)
{
        struct sc_job *j = xcalloc(1, sizeof *j);
        snprintf(j->la, sizeof j->la, "%s", la);
        j->kinds = kinds;
        j->from_year = from_year;
        measure_history_init(&j->h, j->la);
        if ((kinds & SCORECARD_903) &&
            store_return_years(s, STORE_RETURN_SSDA903, la, &j->y903, &j->n903, e))
                goto fail;
        if ((kinds & SCORECARD_CIN) &&
            store_return_years(s, STORE_RETURN_CIN, la, &j->ycin, &j->ncin, e))
                goto fail;
        j->l903 = xcalloc(j->n903 ? j->n903 : 1, sizeof *j->l903);
        j->lcin = xcalloc(j->ncin ? j->ncin : 1, sizeof *j->lcin);
        for (size_t i = 0; i < j->ncin; i++)
                cin_load_init(&j->lcin[i]);
        for (size_t i = 0; i < j->n903; i++) {
                struct store_return_snapshot sn;
                if (store_return_read_903_snap(s, la, j->y903[i], SCORECARD_903_TABLES, &j->l903[i],
                                               &sn, e) < 0)
                        goto fail;
                keep_snapshot(j, &sn);
                if (j->l903[i]) {
                        measure_history_set_903(&j->h, j->y903[i], j->l903[i]);
                        j->returns++;
                }
        }
        for (size_t i = 0; i < j->ncin; i++) {
                struct store_return_snapshot sn;
                int got = store_return_read_cin_snap(s, la, j->ycin[i], SCORECARD_CIN_TABLES,
                                                     &j->lcin[i], &sn, e);
                if (got < 0)
                        goto fail;
                keep_snapshot(j, &sn);
                if (got) {
                        measure_history_set_cin(&j->h, j->ycin[i], &j->lcin[i]);
                        j->returns++;
                }
        }
        /* The population serving each year held (§0.7: never another year's). */
        for (size_t i = 0; i < j->h.n; i++) {
                int64_t pop;
                int got = store_population_get(s, la, j->h.years[i].year, &pop, e);
                if (got < 0)
                        goto fail;
                if (got)
                        measure_history_set_population(&j->h, j->h.years[i].year, pop);
        }
        return j;
fail:
        sc_job_free(j);
        return NULL;
}

const struct measure_history *sc_job_history(const struct sc_job *j)
{
        return &j->h;
}

static bool wanted(const struct sc_job *j, const struct measure_def *m)
{
        if (!m->compute)
                return false;
        if (m->source == MEASURE_SRC_903)
                return j->kinds & SCORECARD_903;
        if (m->source == MEASURE_SRC_CIN)
                return j->kinds & SCORECARD_CIN;
        return false;
}

static int add(struct sc_job *j, const struct measure_def *m, const struct measure_window *w)
{
        j->vals = xgrow(j->vals, &j->cap, j->nvals + 1, sizeof *j->vals);
        struct val *x = &j->vals[j->nvals];
        x->m = m;
        x->w = *w;
        x->prank = j->prank[w->period];
        x->mrank = j->mrank_cur;
        if (measure_compute(&j->ctx, m, w, &x->v, &j->e) < 0)
                return -1;
        j->nvals++;
        return 0;
}

/* The windows measure_compute_all() makes, for the years from j->from_year on. */
static int compute_measure(struct sc_job *j, const struct measure_def *m)
{
        const struct measure_history *h = &j->h;
        int span = m->span_months > 0 ? m->span_months : 12;
        for (size_t i = 0; i < h->n; i++) {
                int year = h->years[i].year;
                if (year < j->from_year || !measure_history_holds(h, m->source, year))
                        continue;
                struct measure_window w;
                if (m->periods & MEASURE_PERIOD_BIT(MEASURE_YEAR)) {
                        measure_window_year(&w, year, span);
                        if (add(j, m, &w))
                                return -1;
                }
                for (int k = 0; k < 12; k++) {
                        date_t first = date_add_months(date_year_start(year), k);
                        if (m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH)) {
                                measure_window_month(&w, first);
                                if (add(j, m, &w))
                                        return -1;
                        }
                        if (m->periods & MEASURE_PERIOD_BIT(MEASURE_ROLLING)) {
                                measure_window_rolling(&w, first, span);
                                if (measure_window_held(h, m->source, &w) && add(j, m, &w))
                                        return -1;
                        }
                }
        }
        return 0;
}

/*
 * Put the job's values in key order: period name, period end, measure id (the
 * ranks stand for the texts).  Two stable counting passes over an index, the
 * measure's place then (period, end) as one bucket, and one move of each
 * value: qsort moved the large values about for a tenth of a second over a
 * region's authorities.
 */
static void sort_vals(struct sc_job *j)
{
        size_t n = j->nvals;
        if (n < 2)
                return;
        int mmax = 0, pmax = 0;
        date_t lo = j->vals[0].w.end, hi = lo;
        for (size_t i = 0; i < n; i++) {
                const struct val *x = &j->vals[i];
                if (x->mrank > mmax)
                        mmax = x->mrank;
                if (x->prank > pmax)
                        pmax = x->prank;
                if (x->w.end < lo)
                        lo = x->w.end;
                if (x->w.end > hi)
                        hi = x->w.end;
        }
        size_t span = (size_t)(hi - lo) + 1, nb = ((size_t)pmax + 1) * span;
        if ((size_t)mmax + 1 > nb)
                nb = (size_t)mmax + 1;
        size_t *count = xmalloc((nb + 1) * sizeof *count);
        size_t *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
        /* by measure */
        memset(count, 0, ((size_t)mmax + 2) * sizeof *count);
        for (size_t i = 0; i < n; i++)
                count[(size_t)j->vals[i].mrank + 1]++;
        for (int m = 0; m <= mmax; m++)
                count[m + 1] += count[m];
        for (size_t i = 0; i < n; i++)
                a[count[j->vals[i].mrank]++] = i;
        /* then by (period, end), keeping the measure order within each */
        memset(count, 0, (nb + 1) * sizeof *count);
#define BUCKET(x) ((size_t)(x)->prank * span + (size_t)((x)->w.end - lo))
        for (size_t i = 0; i < n; i++)
                count[BUCKET(&j->vals[i]) + 1]++;
        for (size_t k = 0; k < nb; k++)
                count[k + 1] += count[k];
        for (size_t i = 0; i < n; i++)
                b[count[BUCKET(&j->vals[a[i]])]++] = a[i];
#undef BUCKET
        struct val *sorted = xmalloc(n * sizeof *sorted);
        for (size_t i = 0; i < n; i++)
                sorted[i] = j->vals[b[i]];
        free(j->vals);
        j->vals = sorted;
        j->cap = n;
        free(count);
        free(a);
        free(b);
}

/* The place of `name` among `n` names in text order (equal names share a place). */
static int text_rank(const char *name, const char *(*name_at)(size_t i), size_t n)
{
        int r = 0;
        for (size_t i = 0; i < n; i++)
                r += strcmp(name_at(i), name) < 0;
        return r;
}

static const char *period_name_at(size_t i)
{
        return measure_period_name((enum measure_period)i);
}

static const char *measure_id_at(size_t i)
{
        return measure_at(i)->id;
}

static void job_compute(struct sc_job *j)
{
        double t0 = sc_now();
        measure_ctx_init(&j->ctx, &j->h);
        j->ctx_ready = 1;
        j->rc = 0;
        for (size_t p = 0; p <= MEASURE_ROLLING; p++)
                j->prank[p] = text_rank(period_name_at(p), period_name_at, MEASURE_ROLLING + 1);
        for (size_t i = 0, n = measure_count(); i < n && j->rc == 0; i++) {
                const struct measure_def *m = measure_at(i);
                if (!wanted(j, m))
                        continue;
                j->mrank_cur = text_rank(m->id, measure_id_at, n);
                j->rc = compute_measure(j, m);
        }
        if (j->rc == 0)
                sort_vals(j);
        j->compute_s = sc_now() - t0;
}

/* Replace the job's values in the store, then the authority's published fall-backs. */
static int job_write(struct store *s, struct sc_job *j, struct sc_published *pub,
                     struct scorecard_stats *st, struct err *e)
{
        double t0 = sc_now();
        if (store_begin(s, e))
                return -1;
        for (size_t i = 0; i < j->nsnaps; i++)
                if (store_return_snapshot_put(s, &j->snaps[i], e))
                        goto fail;
        static const struct {
                unsigned kind;
                const char *source;
        } kinds[] = {{SCORECARD_903, "903"}, {SCORECARD_CIN, "cin"}};
        /* Only the rows that changed are written (store_measure_replace). */
        struct store_measure_value *out = xcalloc(j->nvals ? j->nvals : 1, sizeof *out);
        char(*ends)[11] = xcalloc(j->nvals ? j->nvals : 1, sizeof *ends);
        int marked = 0;
        for (size_t i = 0; i < j->nvals; i++) {
                const struct val *x = &j->vals[i];
                date_format_iso(x->w.end, ends[i]);
                out[i] = (struct store_measure_value){
                    .la = j->la,
                    .measure = x->m->id,
                    .period = measure_period_name(x->w.period),
                    .period_end = ends[i],
                    .year = x->w.year,
                    .source = sc_source_name(x->m->source),
                    .has_numerator = x->v.has_numerator,
                    .has_denominator = x->v.has_denominator,
                    .has_value = x->v.has_value,
                    .numerator = x->v.numerator,
                    .denominator = x->v.denominator,
                    .value = x->v.value,
                    .note = x->v.note ? x->v.note : "",
                    .small_base = x->v.small_base,
                    .lookback_incomplete = x->v.lookback_incomplete,
                    .dq_warnings = x->v.dq_warnings,
                };
                if (x->w.period == MEASURE_YEAR && x->w.year != marked &&
                    store_measure_year_mark(s, x->w.year, e))
                        goto fail_out;
                if (x->w.period == MEASURE_YEAR)
                        marked = x->w.year;
        }
        const char *sources[3];
        size_t ns = 0;
        for (size_t k = 0; k < 2; k++)
                if (j->kinds & kinds[k].kind)
                        sources[ns++] = kinds[k].source;
        sources[ns] = NULL;
        long written = 0;
        if (store_measure_replace(s, j->la, sources, j->from_year, out, j->nvals, &written, e))
                goto fail_out;
        free(out);
        free(ends);
        st->written += written;
        st->values += (long)j->nvals;
        st->write_s += sc_now() - t0;
        if (pub && sc_published_la(s, pub, j->la, st, e))
                goto fail;
        if (store_commit(s, e))
                goto fail;
        return 0;
fail_out:
        free(out);
        free(ends);
fail:
        store_rollback(s);
        return -1;
}

int scorecard_recompute(struct store *s, const char *la, unsigned kinds, int from_year,
                        struct scorecard_stats *st, struct err *e)
{
        struct scorecard_stats local = {0};
        if (!st)
                st = &local;
        double t0 = sc_now();
        struct sc_job *j = sc_job_load(s, la, kinds, from_year, e);
        if (!j)
                return -1;
        st->read_s += sc_now() - t0;
        st->returns += j->returns;
        job_compute(j);
        st->compute_s += j->compute_s;
        if (j->rc) {
                err_set(e, j->e.code ? j->e.code : EXIT_INTERNAL, "%s: %s", la,
                        j->e.msg[0] ? j->e.msg : "computing measures failed");
                sc_job_free(j);
                return -1;
        }
        struct sc_published *pub = sc_published_open(s, e);
        int rc = pub ? job_write(s, j, pub, st, e) : -1;
        sc_published_close(pub);
        if (rc == 0)
                st->authorities++;
        sc_job_free(j);
        return rc;
}

/* ---------------------------------------------------------------- every authority */

/*
 * Workers read and compute; the thread that owns the store writes.  Reading
 * returns back costs as much as computing, so each worker reads through a
 * connection of its own (WAL: readers never wait for the writer).  At most
 * `threads` finished jobs wait to be written, which bounds memory.
 */
struct pool {
        pthread_mutex_t mu;
        pthread_cond_t cv;
        const struct sc_codes *las;
        size_t next; /* next authority to take */
        struct sc_job **done;
        size_t ndone, cap_done, limit;
        int failed;   /* a worker could not read: stop taking authorities */
        struct err e; /* the first worker error */
        const char *path;
        double read_s;
        long returns;
};

static void *worker(void *arg)
{
        struct pool *p = arg;
        struct err e = {0};
        struct store *s = store_open(p->path, STORE_READONLY, &e);
        if (s && store_read_mapped(s, &e)) {
                store_close(s);
                s = NULL;
        }
        pthread_mutex_lock(&p->mu);
        if (!s) {
                if (!p->failed)
                        p->e = e;
                p->failed = 1;
        }
        while (s && !p->failed && p->next < p->las->n) {
                while (p->ndone >= p->limit && !p->failed)
                        pthread_cond_wait(&p->cv, &p->mu);
                if (p->failed || p->next >= p->las->n)
                        break; /* another worker took the last one while this one waited */
                const char *la = p->las->code[p->next++];
                pthread_mutex_unlock(&p->mu);
                double t0 = sc_now();
                struct sc_job *j = sc_job_load(s, la, SCORECARD_ALL, 0, &e);
                double t1 = sc_now();
                if (j)
                        job_compute(j);
                pthread_mutex_lock(&p->mu);
                p->read_s += t1 - t0;
                if (!j) {
                        if (!p->failed)
                                p->e = e;
                        p->failed = 1;
                        break;
                }
                p->returns += j->returns;
                p->done = xgrow(p->done, &p->cap_done, p->ndone + 1, sizeof *p->done);
                p->done[p->ndone++] = j;
                pthread_cond_broadcast(&p->cv);
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        store_close(s);
        return NULL;
}

int scorecard_recompute_all(struct store *s, int threads, struct scorecard_stats *st, struct err *e)
{
        struct scorecard_stats local = {0};
        if (!st)
                st = &local;
        if (threads < 1)
                threads = 1;
        struct sc_codes las;
        if (sc_codes_load(s, &las, e))
                return -1;
        struct sc_published *pub = sc_published_open(s, e);
        if (!pub) {
                free(las.code);
                return -1;
        }
        struct pool p = {.las = &las, .limit = (size_t)threads, .path = store_location(s)};
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.cv, NULL);
        pthread_t *tid = xcalloc((size_t)threads, sizeof *tid);
        for (int i = 0; i < threads; i++)
                pthread_create(&tid[i], NULL, worker, &p);
        int rc = 0;
        size_t written = 0;
        pthread_mutex_lock(&p.mu);
        while (rc == 0 && written < las.n) {
                while (!p.ndone && !p.failed)
                        pthread_cond_wait(&p.cv, &p.mu);
                if (!p.ndone && p.failed)
                        break;
                struct sc_job *j = p.done[--p.ndone];
                pthread_cond_broadcast(&p.cv); /* room for another */
                pthread_mutex_unlock(&p.mu);
                st->compute_s += j->compute_s;
                if (j->rc) {
                        err_set(e, j->e.code ? j->e.code : EXIT_INTERNAL, "%s: %s", j->la,
                                j->e.msg[0] ? j->e.msg : "computing measures failed");
                        rc = -1;
                } else if ((rc = job_write(s, j, pub, st, e)) == 0) {
                        st->authorities += j->h.n > 0;
                }
                sc_job_free(j);
                written++;
                pthread_mutex_lock(&p.mu);
        }
        if (rc == 0 && p.failed) {
                *e = p.e;
                rc = -1;
        }
        p.failed = 1; /* stop the workers if we stopped early */
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        for (int i = 0; i < threads; i++)
                pthread_join(tid[i], NULL);
        for (size_t i = 0; i < p.ndone; i++)
                sc_job_free(p.done[i]);
        st->read_s += p.read_s;
        st->returns += p.returns;
        free(tid);
        free(p.done);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
        sc_published_close(pub);
        free(las.code);
        if (rc == 0)
                rc = scorecard_benchmarks(s, 1, st, e);
        return rc;
}
