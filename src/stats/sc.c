/*
 * sc.c — the synthetic control of statistics.md §4 from a panel: checking the
 * inputs, the donor pool, the outcome-only fit, the series and the statistics
 * of §4.4, and placebo in space on up to SC_MAX_THREADS threads.
 *
 * Placebos are independent problems and each one writes only its own slots of
 * the result, so the thread count cannot change any number.  Outcome-only
 * placebos share one step size: λmax along the simplex's plane for the pool
 * "all donors" bounds it for every pool that leaves one donor out (a unit
 * vector over the smaller pool, padded with a zero, is one over the larger),
 * so a single eigenvalue problem serves them all.
 */
#include "stats/sc.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/sc_int.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_options_init(struct sc_options *o)
{
        memset(o, 0, sizeof *o);
        o->placebos = 1;
        o->max_starts = SC_MAX_STARTS;
        o->nm_max_evals = 4000;
        o->nm_tol_loss = 1e-10;
        o->nm_stall = 1e-6;
        o->nm_tol_theta = 1e-6;
        o->inner_max_iter = 20000;
        o->inner_window = 200;
        o->inner_tol = 1e-13;
        o->poor_fit_share = SC_POOR_FIT;
        o->threads = SC_MAX_THREADS;
}

void sc_result_init(struct sc_result *r)
{
        memset(r, 0, sizeof *r);
}

void sc_result_release(struct sc_result *r)
{
        free(r->donor);
        free(r->weight);
        free(r->v);
        free(r->x_treated);
        free(r->x_synth);
        free(r->synthetic);
        free(r->gap);
        free(r->start_loss);
        free(r->placebo_gap);
        free(r->placebo_pre_rmspe);
        free(r->placebo_post_rmspe);
        free(r->placebo_ratio);
        free(r->placebo_loss);
        free(r->placebo_kept);
        sc_result_init(r);
}

static double yv(const struct sc_panel *p, size_t u, size_t t)
{
        return p->y[u * p->nperiods + t];
}

double sc_fit_loss(const struct sc_problem *pb, const double *w)
{
        double ss = 0;
        for (size_t r = 0; r < pb->nfit; r++) {
                size_t t = pb->fit[r];
                double g = yv(pb->p, pb->treated, t);
                for (size_t i = 0; i < pb->npool; i++)
                        g -= w[i] * yv(pb->p, pb->pool[i], t);
                ss += g * g;
        }
        return ss / (double)pb->nfit;
}

void sc_solve_outcome(const struct sc_problem *pb, struct sc_solution *s)
{
        size_t nr = pb->nfit, nc = pb->npool;
        double scale = 0;
        for (size_t r = 0; r < nr; r++)
                scale += yv(pb->p, pb->treated, pb->fit[r]) * yv(pb->p, pb->treated, pb->fit[r]);
        struct sc_qp q = {.nrows = nr, .ncols = nc, .scale = scale, .lc = pb->lc};
        double *m = NULL, *h = NULL;
        if (pb->gall && sc_use_gram(nr, nc) && pb->lc > 0) {
                /* H_ik = (a_i - b)'(a_k - b) from the shared Gram; its rows were centred
                 * first, which leaves every difference a_i - b as it was and keeps the
                 * entries at the size of the spread, not of the level, so subtracting
                 * them loses nothing that matters */
                const double *g = pb->gall;
                size_t n = pb->ng, t = pb->gtreated;
                h = xmalloc(nc * nc * sizeof *h);
                for (size_t i = 0; i < nc; i++) {
                        size_t a = pb->gpool[i];
                        for (size_t k = 0; k < nc; k++) {
                                size_t b = pb->gpool[k];
                                h[i * nc + k] =
                                    g[a * n + b] - g[a * n + t] - g[t * n + b] + g[t * n + t];
                        }
                }
                q.h = h;
        } else {
                m = xmalloc(nr * nc * sizeof *m);
                for (size_t r = 0; r < nr; r++) {
                        double b = yv(pb->p, pb->treated, pb->fit[r]);
                        for (size_t i = 0; i < nc; i++)
                                m[r * nc + i] = yv(pb->p, pb->pool[i], pb->fit[r]) - b;
                }
                q.m = m;
                if (!(q.lc > 0))
                        q.lc = sc_lipschitz(m, nr, nc);
                if (sc_use_gram(nr, nc)) {
                        h = xmalloc(nc * nc * sizeof *h);
                        sc_gram(m, nr, nc, h);
                        q.h = h;
                        q.m = NULL;
                }
        }
        for (size_t i = 0; i < nc; i++)
                s->w[i] = 1.0 / (double)nc;
        struct sc_weights_report rep;
        sc_qp_solve(&q, s->w, pb->o, &rep);
        s->loss = sc_fit_loss(pb, s->w);
        s->inner_loss = s->loss * (double)nr;
        s->iterations = rep.iterations;
        s->evaluations = 0;
        s->nstarts = 0;
        s->converged = rep.converged;
        free(h);
        free(m);
}

static void solve(const struct sc_problem *pb, struct sc_solution *s)
{
        if (pb->k > 0)
                sc_solve_predictors(pb, s);
        else
                sc_solve_outcome(pb, s);
}

/* The periods of the set-up (§4.1), derived once. */
struct periods {
        size_t *pre, npre;
        size_t *post, npost;
        size_t *fit, nfit;
};

/*
 * post/pre RMSPE.  RMSPEs within rounding of zero (1e-10 of the unit's level)
 * count as zero: a ratio of two rounding errors would rank at random.  An
 * exact pre fit followed by a real post gap is infinitely extreme; exact
 * both sides is no departure at all (ratio 0), so identical units tie.
 */
static double ratio_of(double post, double pre, double level)
{
        double noise = 1e-10 * level;
        if (pre <= noise)
                pre = 0;
        if (post <= noise)
                post = 0;
        if (pre > 0)
                return post / pre;
        return post > 0 ? INFINITY : 0;
}

/* Root mean square of unit u's outcome over the pre periods: its level. */
static double level_of(const struct sc_panel *p, const struct periods *pd, size_t u)
{
        double ss = 0;
        for (size_t i = 0; i < pd->npre; i++)
                ss += yv(p, u, pd->pre[i]) * yv(p, u, pd->pre[i]);
        return sqrt(ss / (double)pd->npre);
}

/* Gap of unit `u` against weights w over pool, and its RMSPEs. */
static void gaps(const struct sc_panel *p, const struct periods *pd, size_t u, const size_t *pool,
                 size_t npool, const double *w, double *synth, double *gap, double *pre_rmspe,
                 double *post_rmspe)
{
        for (size_t t = 0; t < p->nperiods; t++) {
                double sy = 0;
                for (size_t i = 0; i < npool; i++)
                        if (w[i] != 0)
                                sy += w[i] * yv(p, pool[i], t);
                if (synth)
                        synth[t] = sy;
                gap[t] = yv(p, u, t) - sy;
        }
        double a = 0, b = 0;
        for (size_t i = 0; i < pd->npre; i++)
                a += gap[pd->pre[i]] * gap[pd->pre[i]];
        for (size_t i = 0; i < pd->npost; i++)
                b += gap[pd->post[i]] * gap[pd->post[i]];
        *pre_rmspe = sqrt(a / (double)pd->npre);
        *post_rmspe = sqrt(b / (double)pd->npost);
}

static void solution_alloc(struct sc_solution *s, size_t npool, size_t k, size_t nstarts)
{
        memset(s, 0, sizeof *s);
        s->w = xcalloc(npool ? npool : 1, sizeof *s->w);
        s->v = xcalloc(k ? k : 1, sizeof *s->v);
        s->start_loss = xcalloc(nstarts ? nstarts : 1, sizeof *s->start_loss);
}

static void solution_free(struct sc_solution *s)
{
        free(s->w);
        free(s->v);
        free(s->start_loss);
}

/* ---------------------------------------------------------------- placebos */

struct placebo_job {
        const struct sc_panel *p;
        const struct sc_options *o;
        const struct periods *pd;
        const size_t *donor;
        size_t ndonors;
        const double *xs; /* predictors scaled over the donors, or NULL */
        size_t k;
        double lc;
        const double *gall; /* J × J centred Gram of the donors' fit rows, or NULL */
        size_t nstarts;
        size_t first, stride;
        struct sc_result *r;
};

static void *placebo_worker(void *arg)
{
        const struct placebo_job *job = arg;
        size_t J = job->ndonors;
        size_t *pool = xmalloc((J - 1) * sizeof *pool);
        size_t *gpool = xmalloc((J - 1) * sizeof *gpool);
        struct sc_solution s;
        solution_alloc(&s, J - 1, job->k, job->nstarts);
        for (size_t d = job->first; d < J; d += job->stride) {
                size_t n = 0;
                for (size_t i = 0; i < J; i++)
                        if (i != d) {
                                gpool[n] = i;
                                pool[n++] = job->donor[i];
                        }
                struct sc_problem pb = {
                    .p = job->p,
                    .o = job->o,
                    .treated = job->donor[d],
                    .pool = pool,
                    .npool = n,
                    .fit = job->pd->fit,
                    .nfit = job->pd->nfit,
                    .xs = job->xs,
                    .k = job->k,
                    .lc = job->lc,
                    .gall = job->gall,
                    .ng = J,
                    .gtreated = d,
                    .gpool = gpool,
                };
                solve(&pb, &s);
                struct sc_result *r = job->r;
                gaps(job->p, job->pd, job->donor[d], pool, n, s.w, NULL,
                     r->placebo_gap + d * job->p->nperiods, &r->placebo_pre_rmspe[d],
                     &r->placebo_post_rmspe[d]);
                r->placebo_ratio[d] = ratio_of(r->placebo_post_rmspe[d], r->placebo_pre_rmspe[d],
                                               level_of(job->p, job->pd, job->donor[d]));
                r->placebo_loss[d] = s.loss;
                r->placebo_kept[d] = s.converged ? 1 : 2; /* 2: counted below, then set to 1 */
        }
        solution_free(&s);
        free(gpool);
        free(pool);
        return NULL;
}

static void run_placebos(const struct sc_panel *p, const struct sc_options *o,
                         const struct periods *pd, const double *xs_donors, size_t k,
                         size_t nstarts, struct sc_result *r)
{
        size_t J = r->ndonors;
        r->placebo_gap = xcalloc(J * p->nperiods, sizeof *r->placebo_gap);
        r->placebo_pre_rmspe = xcalloc(J, sizeof(double));
        r->placebo_post_rmspe = xcalloc(J, sizeof(double));
        r->placebo_ratio = xcalloc(J, sizeof(double));
        r->placebo_loss = xcalloc(J, sizeof(double));
        r->placebo_kept = xcalloc(J, 1);

        double lc = 0, *gall = NULL;
        if (k == 0) {
                double *a = xmalloc(pd->nfit * J * sizeof *a);
                for (size_t f = 0; f < pd->nfit; f++) {
                        double mean = 0;
                        for (size_t i = 0; i < J; i++)
                                mean += a[f * J + i] = yv(p, r->donor[i], pd->fit[f]);
                        mean /= (double)J;
                        for (size_t i = 0; i < J; i++)
                                a[f * J + i] -= mean;
                }
                lc = sc_lipschitz(a, pd->nfit, J);
                if (!(lc > 0))
                        lc = 0; /* no spread at all: let each problem find its own */
                if (lc > 0 && sc_use_gram(pd->nfit, J - 1)) {
                        gall = xmalloc(J * J * sizeof *gall);
                        sc_gram(a, pd->nfit, J, gall);
                }
                free(a);
        }

        size_t nt = o->threads < 1 ? 1 : (size_t)o->threads;
        if (nt > SC_MAX_THREADS)
                nt = SC_MAX_THREADS;
        if (nt > J)
                nt = J; /* J >= 2 here, so nt >= 1 */
        struct placebo_job job[SC_MAX_THREADS] = {0};
        pthread_t tid[SC_MAX_THREADS];
        int started[SC_MAX_THREADS] = {0};
        for (size_t t = 0; t < nt; t++) {
                job[t] = (struct placebo_job){
                    .p = p,
                    .o = o,
                    .pd = pd,
                    .donor = r->donor,
                    .ndonors = J,
                    .xs = xs_donors,
                    .k = k,
                    .lc = lc,
                    .gall = gall,
                    .nstarts = nstarts,
                    .first = t,
                    .stride = nt,
                    .r = r,
                };
                if (t > 0)
                        started[t] = pthread_create(&tid[t], NULL, placebo_worker, &job[t]) == 0;
        }
        placebo_worker(&job[0]);
        for (size_t t = 1; t < nt; t++) {
                if (started[t]) {
                        pthread_join(tid[t], NULL);
                } else {
                        /* no thread to be had: do its share here, same numbers */
                        placebo_worker(&job[t]);
                }
        }

        free(gall);
        r->placebos_run = 1;
        r->placebo_unconverged = 0;
        for (size_t d = 0; d < J; d++) {
                if (r->placebo_kept[d] == 2)
                        r->placebo_unconverged++;
                r->placebo_kept[d] = 1;
        }
        r->placebo_dropped = 0;
        if (o->placebo_filter > 0)
                for (size_t d = 0; d < J; d++)
                        if (r->placebo_pre_rmspe[d] > o->placebo_filter * r->pre_rmspe) {
                                r->placebo_kept[d] = 0;
                                r->placebo_dropped++;
                        }
        r->p_rank = 1;
        r->p_units = 1;
        for (size_t d = 0; d < J; d++) {
                if (!r->placebo_kept[d])
                        continue;
                r->p_units++;
                if (r->placebo_ratio[d] >= r->ratio)
                        r->p_rank++;
        }
        r->p_value = (double)r->p_rank / (double)r->p_units;
}

/* ---------------------------------------------------------------- checks */

static int check_args(const struct sc_panel *p, size_t treated, size_t first_post,
                      const struct sc_options *o, struct err *e)
{
        if (!p || !p->y || p->nunits == 0 || p->nperiods == 0)
                return err_set(e, EXIT_USAGE, "synthetic control: empty panel");
        if (treated >= p->nunits)
                return err_set(e, EXIT_USAGE,
                               "synthetic control: treated unit %zu out of range 0-%zu", treated,
                               p->nunits - 1);
        if (first_post == 0 || first_post >= p->nperiods)
                return err_set(e, EXIT_USAGE,
                               "synthetic control: the first post period (%zu) must leave at least "
                               "one period before it and one from it on (periods 0-%zu)",
                               first_post, p->nperiods - 1);
        if (o->fit_from >= first_post)
                return err_set(
                    e, EXIT_USAGE,
                    "synthetic control: the fit must start (period %zu) before the first "
                    "post period (%zu)",
                    o->fit_from, first_post);
        for (size_t i = 0; i < o->npredictors; i++) {
                const struct sc_predictor *pr = &o->predictors[i];
                if (pr->series != SC_OUTCOME &&
                    (pr->series < 0 || (size_t)pr->series >= p->nseries || !p->series ||
                     !p->series[pr->series]))
                        return err_set(
                            e, EXIT_USAGE,
                            "synthetic control: predictor %zu names series %d, which the "
                            "panel does not have",
                            i + 1, pr->series);
                if (pr->from > pr->to || pr->to >= p->nperiods)
                        return err_set(e, EXIT_USAGE,
                                       "synthetic control: predictor %zu covers periods %zu-%zu, "
                                       "expected a range within 0-%zu",
                                       i + 1, pr->from, pr->to, p->nperiods - 1);
        }
        if (o->max_starts < 1 || o->max_starts > SC_MAX_STARTS || o->random_starts < 0 ||
            o->inner_max_iter < 1 || o->nm_max_evals < 1)
                return err_set(e, EXIT_USAGE,
                               "synthetic control: starts must be 1-%d and iteration caps positive",
                               SC_MAX_STARTS);
        return 0;
}

static void periods_make(const struct sc_panel *p, size_t first_post, const struct sc_options *o,
                         struct periods *pd)
{
        pd->pre = xmalloc(p->nperiods * sizeof *pd->pre);
        pd->post = xmalloc(p->nperiods * sizeof *pd->post);
        pd->fit = xmalloc(p->nperiods * sizeof *pd->fit);
        pd->npre = pd->npost = pd->nfit = 0;
        for (size_t t = 0; t < p->nperiods; t++) {
                if (o->skip && o->skip[t])
                        continue;
                if (t >= first_post) {
                        pd->post[pd->npost++] = t;
                        continue;
                }
                pd->pre[pd->npre++] = t;
                if (t >= o->fit_from)
                        pd->fit[pd->nfit++] = t;
        }
}

/* First period of P ∪ Q where unit u has no outcome, or SIZE_MAX. */
static size_t missing_period(const struct sc_panel *p, const struct periods *pd, size_t u)
{
        for (size_t i = 0; i < pd->npre; i++)
                if (!isfinite(yv(p, u, pd->pre[i])))
                        return pd->pre[i];
        for (size_t i = 0; i < pd->npost; i++)
                if (!isfinite(yv(p, u, pd->post[i])))
                        return pd->post[i];
        return SIZE_MAX;
}

static size_t missing_predictor(const double *x, size_t k, size_t nunits, size_t u)
{
        for (size_t i = 0; i < k; i++)
                if (!isfinite(x[i * nunits + u]))
                        return i;
        return SIZE_MAX;
}

/* ---------------------------------------------------------------- the fit */

static void warn(struct sc_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct sc_result *r, const char *fmt, ...)
{
        size_t n = strlen(r->warning);
        if (n + 2 >= sizeof r->warning)
                return;
        if (n > 0)
                r->warning[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->warning + n, sizeof r->warning - n, fmt, ap);
        va_end(ap);
}

static int pick_donors(const struct sc_panel *p, size_t treated, const struct sc_options *o,
                       const struct periods *pd, const double *x, struct sc_result *r,
                       struct err *e)
{
        size_t k = o->npredictors;
        size_t t = missing_period(p, pd, treated);
        if (t != SIZE_MAX)
                return err_set(e, EXIT_INPUT,
                               "synthetic control: the treated unit (%zu) has no outcome in "
                               "period %zu; every period it is fitted or judged on needs one",
                               treated, t);
        size_t ip = missing_predictor(x, k, p->nunits, treated);
        if (ip != SIZE_MAX)
                return err_set(e, EXIT_INPUT,
                               "synthetic control: the treated unit (%zu) has no value for "
                               "predictor %zu in its periods",
                               treated, ip + 1);
        r->donor = xmalloc(p->nunits * sizeof *r->donor);
        for (size_t u = 0; u < p->nunits; u++) {
                if (u == treated || (o->exclude && o->exclude[u]))
                        continue;
                t = missing_period(p, pd, u);
                ip = missing_predictor(x, k, p->nunits, u);
                if (t != SIZE_MAX || ip != SIZE_MAX) {
                        if (o->drop_incomplete) {
                                r->ndropped++;
                                continue;
                        }
                        if (t != SIZE_MAX)
                                return err_set(e, EXIT_INPUT,
                                               "synthetic control: donor unit %zu has no outcome "
                                               "in period %zu (leave it out, or drop incomplete "
                                               "donors)",
                                               u, t);
                        return err_set(e, EXIT_INPUT,
                                       "synthetic control: donor unit %zu has no value for "
                                       "predictor %zu (leave it out, or drop incomplete donors)",
                                       u, ip + 1);
                }
                r->donor[r->ndonors++] = u;
        }
        if (r->ndonors == 0)
                return err_set(e, EXIT_USAGE,
                               "synthetic control: no donors left (%zu dropped for missing values)",
                               r->ndropped);
        return 0;
}

static void describe(struct sc_result *r, const struct sc_options *o)
{
        double share = o->poor_fit_share > 0 ? o->poor_fit_share : SC_POOR_FIT;
        if (r->pre_rmspe > share * fabs(r->pre_mean)) {
                r->poor_fit = 1;
                warn(r,
                     "Poor pre-period fit: the pre-period RMSPE (%.4g) is more than %.0f%% of the "
                     "treated unit's pre-period mean (%.4g), so the treated unit lies outside what "
                     "the donors can reproduce and the synthetic control is not a credible "
                     "counterfactual.",
                     r->pre_rmspe, 100 * share, r->pre_mean);
        }
        if (!r->converged)
                warn(r,
                     "The weight search stopped at its iteration limit; the loss it reached is "
                     "%.6g.",
                     r->loss);
        if (r->placebos_run && r->placebo_unconverged > 0)
                warn(r, "%zu of %zu placebo fits stopped at their iteration limit.",
                     r->placebo_unconverged, r->ndonors);
        if (o->placebos && !r->placebos_run)
                warn(r, "No placebo test: a placebo needs at least two donors.");
}

int sc_fit(const struct sc_panel *p, size_t treated, size_t first_post,
           const struct sc_options *opt, struct sc_result *r, struct err *e)
{
        struct sc_options dflt;
        if (!opt) {
                sc_options_init(&dflt);
                opt = &dflt;
        }
        sc_result_release(r);
        if (check_args(p, treated, first_post, opt, e) < 0)
                return -1;
        struct periods pd;
        periods_make(p, first_post, opt, &pd);
        size_t k = opt->npredictors;
        size_t N = p->nunits;
        double *x = xcalloc(k * N + 1, sizeof *x);
        double *xs = xcalloc(k * N + 1, sizeof *xs);
        size_t *units = xmalloc((N + 1) * sizeof *units);
        size_t nstarts = (size_t)opt->max_starts + (size_t)opt->random_starts;
        struct sc_solution s = {0};
        int rc = -1;

        r->treated = treated;
        r->first_post = first_post;
        r->nperiods = p->nperiods;
        if (pd.nfit == 0 || pd.npost == 0) {
                err_set(e, EXIT_USAGE,
                        "synthetic control: no %s periods left after skipping the transition",
                        pd.nfit == 0 ? "fit" : "post");
                goto out;
        }
        if (k > 0)
                sc_predictor_values(p, opt->predictors, k, x);
        if (pick_donors(p, treated, opt, &pd, x, r, e) < 0)
                goto out;
        size_t J = r->ndonors;

        if (k > 0) {
                units[0] = treated;
                memcpy(units + 1, r->donor, J * sizeof *units);
                sc_predictor_scale(x, k, N, units, J + 1, xs);
        }
        struct sc_problem pb = {
            .p = p,
            .o = opt,
            .treated = treated,
            .pool = r->donor,
            .npool = J,
            .fit = pd.fit,
            .nfit = pd.nfit,
            .xs = k ? xs : NULL,
            .k = k,
        };
        solution_alloc(&s, J, k, nstarts);
        solve(&pb, &s);

        r->weight = xmalloc(J * sizeof *r->weight);
        memcpy(r->weight, s.w, J * sizeof *r->weight);
        r->npredictors = k;
        if (k > 0) {
                r->v = xmalloc(k * sizeof *r->v);
                memcpy(r->v, s.v, k * sizeof *r->v);
                r->x_treated = xmalloc(k * sizeof *r->x_treated);
                r->x_synth = xcalloc(k, sizeof *r->x_synth);
                for (size_t i = 0; i < k; i++) {
                        r->x_treated[i] = x[i * N + treated];
                        for (size_t j = 0; j < J; j++)
                                r->x_synth[i] += s.w[j] * x[i * N + r->donor[j]];
                }
                r->nstarts = s.nstarts;
                r->start_loss = xmalloc((size_t)(s.nstarts ? s.nstarts : 1) * sizeof(double));
                memcpy(r->start_loss, s.start_loss, (size_t)s.nstarts * sizeof(double));
        }
        r->loss = s.loss;
        r->inner_loss = s.inner_loss;
        r->iterations = s.iterations;
        r->evaluations = s.evaluations;
        r->converged = s.converged;

        r->synthetic = xmalloc(p->nperiods * sizeof *r->synthetic);
        r->gap = xmalloc(p->nperiods * sizeof *r->gap);
        gaps(p, &pd, treated, r->donor, J, s.w, r->synthetic, r->gap, &r->pre_rmspe,
             &r->post_rmspe);
        r->effect = r->gap + first_post;
        r->npost = p->nperiods - first_post;
        r->ratio = ratio_of(r->post_rmspe, r->pre_rmspe, level_of(p, &pd, treated));
        r->pre_mean = r->pre_ssr = r->att = 0;
        for (size_t i = 0; i < pd.npre; i++) {
                r->pre_mean += yv(p, treated, pd.pre[i]);
                r->pre_ssr += r->gap[pd.pre[i]] * r->gap[pd.pre[i]];
        }
        r->pre_mean /= (double)pd.npre;
        for (size_t i = 0; i < pd.npost; i++)
                r->att += r->gap[pd.post[i]];
        r->att /= (double)pd.npost;

        /* with one donor there is no placebo pool; the rank p-value is then 1/1 */
        r->p_rank = r->p_units = 1;
        r->p_value = 1;
        if (opt->placebos && J >= 2) {
                if (k > 0)
                        sc_predictor_scale(x, k, N, r->donor, J, xs);
                run_placebos(p, opt, &pd, k ? xs : NULL, k, nstarts, r);
        }
        describe(r, opt);
        rc = 0;
out:
        solution_free(&s);
        free(units);
        free(xs);
        free(x);
        free(pd.pre);
        free(pd.post);
        free(pd.fit);
        if (rc < 0)
                sc_result_release(r);
        return rc;
}

double sc_mean_gap(const struct sc_result *r, const struct sc_options *opt, size_t from, size_t to)
{
        double sum = 0;
        size_t n = 0;
        for (size_t t = from; t <= to && t < r->nperiods && r->gap; t++) {
                if (opt && opt->skip && opt->skip[t])
                        continue;
                sum += r->gap[t];
                n++;
        }
        return n ? sum / (double)n : NAN;
}
