/*
 * run.c — synth_run(): build the region, then simulate and write each
 * authority, on two threads that take authorities in turn.
 *
 * Each authority's random stream is seeded from (seed, authority index) and
 * each writes only its own directory; the region-level truth files are
 * assembled afterwards in authority order.  Output therefore does not depend
 * on the number of threads or on which thread ran what.
 */
#include "synth/internal.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SYNTH_THREADS 2

void synth_options_default(struct synth_options *o)
{
        memset(o, 0, sizeof *o);
        o->las = 12;
        o->years = 4;
        o->last_year = 2026;
        o->seed = 1;
        o->error_rate = 0;
}

int synth_check_options(const struct synth_options *o, struct err *e)
{
        if (!o->out_dir || !*o->out_dir)
                return err_set(e, EXIT_USAGE, "--out: an output directory is required");
        if (o->las < 1 || o->las > SYNTH_MAX_LAS)
                return err_set(e, EXIT_USAGE, "--las: expected 1 to %d authorities", SYNTH_MAX_LAS);
        if (o->last_year < SYNTH_FIRST_YEAR_MIN || o->last_year > SYNTH_LAST_YEAR_MAX)
                return err_set(e, EXIT_USAGE, "--last-year: expected %d to %d",
                               SYNTH_FIRST_YEAR_MIN, SYNTH_LAST_YEAR_MAX);
        if (o->years < 1 || o->last_year - o->years + 1 < SYNTH_FIRST_YEAR_MIN)
                return err_set(e, EXIT_USAGE,
                               "--years: expected 1 to %d years ending with %d (the first year "
                               "cannot be before %d)",
                               o->last_year - SYNTH_FIRST_YEAR_MIN + 1, o->last_year,
                               SYNTH_FIRST_YEAR_MIN);
        if (!(o->error_rate >= 0 && o->error_rate <= 0.5))
                return err_set(e, EXIT_USAGE, "--errors: expected a rate from 0 to 0.5");
        return 0;
}

static void free_state(struct sy_la *la)
{
        VEC_FREE(la->kids);
        VEC_FREE(la->cins);
        VEC_FREE(la->eps);
        VEC_FREE(la->miss);
        VEC_FREE(la->sws);
        VEC_FREE(la->adopts);
        VEC_FREE(la->dolos);
        int32_t **arrs[] = {&la->ep_first,   &la->ep_n,   &la->cin_first, &la->cin_n,
                            &la->miss_first, &la->miss_n, &la->sw_first,  &la->sw_n,
                            &la->dolo_first, &la->dolo_n};
        for (size_t i = 0; i < sizeof arrs / sizeof *arrs; i++) {
                free(*arrs[i]);
                *arrs[i] = NULL;
        }
}

static void run_one(const struct sy_region *rg, struct sy_la *la)
{
        sim_run_la(rg, la);
        for (int y = rg->first_year; y <= rg->last_year && !la->failed; y++) {
                struct sy_errs er;
                errs_init(&er, rg, la, y);
                if (write903_year(rg, la, y, &er) < 0)
                        break;
                errs_init(&er, rg, la, y);
                rng_seed(&er.rng, rg->o->seed ^ 0xc1c1ULL, (uint64_t)la->idx * 10000 + (uint64_t)y);
                if (cinxml_year(rg, la, y, &er) < 0)
                        break;
        }
        truth_la(rg, la);
        free_state(la);
}

struct pool {
        const struct sy_region *rg;
        pthread_mutex_t mu;
        int next, done;
        synth_progress_fn fn;
        void *ctx;
};

static void *worker(void *arg)
{
        struct pool *p = arg;
        for (;;) {
                pthread_mutex_lock(&p->mu);
                int i = p->next < p->rg->nlas ? p->next++ : -1;
                pthread_mutex_unlock(&p->mu);
                if (i < 0)
                        return NULL;
                run_one(p->rg, &p->rg->las[i]);
                pthread_mutex_lock(&p->mu);
                p->done++;
                if (p->fn)
                        p->fn(p->ctx, p->done, p->rg->nlas);
                pthread_mutex_unlock(&p->mu);
        }
}

int synth_run_progress(const struct synth_options *o, synth_progress_fn fn, void *ctx,
                       struct err *e)
{
        if (synth_check_options(o, e) < 0)
                return -1;
        if (sy_mkdirs(o->out_dir, e) < 0)
                return -1;
        sy_dates_init();
        struct sy_region rg = {0};
        rg.o = o;
        if (region_build(&rg, e) < 0 || region_write(&rg, e) < 0) {
                region_release(&rg);
                return -1;
        }
        struct pool p = {.rg = &rg, .fn = fn, .ctx = ctx};
        pthread_mutex_init(&p.mu, NULL);
        pthread_t th[SYNTH_THREADS];
        int nth = rg.nlas < SYNTH_THREADS ? rg.nlas : SYNTH_THREADS, started = 0;
        for (int i = 0; i < nth; i++)
                if (pthread_create(&th[i], NULL, worker, &p) == 0)
                        started++;
        if (started == 0)
                worker(&p);
        for (int i = 0; i < started; i++)
                pthread_join(th[i], NULL);
        pthread_mutex_destroy(&p.mu);
        int rc = 0;
        for (int i = 0; i < rg.nlas; i++)
                if (rg.las[i].failed) {
                        rc = err_set(e, EXIT_INPUT, "%s", rg.las[i].errmsg);
                        break;
                }
        if (rc == 0)
                rc = truth_write(&rg, e);
        region_release(&rg);
        return rc;
}

int synth_run(const struct synth_options *o, struct err *e)
{
        return synth_run_progress(o, NULL, NULL, e);
}
