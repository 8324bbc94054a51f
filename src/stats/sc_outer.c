/*
 * sc_outer.c — synthetic control with predictors (statistics.md §4.1, §4.3):
 * predictor values and their scaling, and the outer problem, V chosen by
 * multi-start Nelder–Mead (GSL's nmsimplex2) to minimise the mean squared
 * outcome gap over the fit periods.
 *
 * V is parametrised as v = |θ|/Σ|θ|.  The starts are deterministic: (a) equal
 * v, (b) v ∝ 1/variance of each scaled predictor row across the donors, (c)
 * 0.5 on one predictor and the rest shared equally, in predictor order, up to
 * max_starts in all; a start identical to an earlier one is not run again.
 * Optional extra starts are drawn from the seeded generator.  The initial
 * simplex is θ0 plus 0.05·e_i (0.00025 where θ0_i = 0), as §4.3 writes it.
 *
 * Stopping.  A start stops when the simplex size (GSL's mean vertex distance
 * from the centre) falls below the θ tolerance; or when its best L has
 * improved by no more than nm_tol_loss + nm_stall·L over the last 100·k
 * evaluations; or at the evaluation cap.  GSL does not expose the vertices'
 * values, so §4.3's tolerance on L cannot be applied to their spread.  The
 * stall rule is ours: v is unchanged along rays of θ, and where the
 * predictors are matched exactly L is flat or a narrow valley, so the simplex
 * can crawl without shrinking; on the bench's panel one start spent 3700
 * evaluations gaining 1.4 parts in a million.  nm_stall = 0 turns it off.
 *
 * Each inner fit starts from w = 1/J (§4.2), so L is a function of v alone
 * and not of the path Nelder–Mead took; with fewer predictors than donors the
 * minimiser w is often not unique, and a warm start would make L depend on
 * history.
 */
#include "core/xalloc.h"
#include "stats/sc_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sc_predictor_values(const struct sc_panel *p, const struct sc_predictor *pr, size_t k,
                         double *x)
{
        for (size_t i = 0; i < k; i++) {
                const double *s = pr[i].series == SC_OUTCOME ? p->y : p->series[pr[i].series];
                for (size_t u = 0; u < p->nunits; u++) {
                        double sum = 0;
                        size_t n = 0;
                        for (size_t t = pr[i].from; t <= pr[i].to; t++) {
                                double v = s[u * p->nperiods + t];
                                if (isfinite(v)) {
                                        sum += v;
                                        n++;
                                }
                        }
                        x[i * p->nunits + u] = n ? sum / (double)n : NAN;
                }
        }
}

void sc_predictor_scale(const double *x, size_t k, size_t nunits, const size_t *units, size_t nused,
                        double *xs)
{
        for (size_t i = 0; i < k; i++) {
                const double *row = x + i * nunits;
                double mean = 0, ss = 0;
                for (size_t j = 0; j < nused; j++)
                        mean += row[units[j]];
                mean /= (double)(nused ? nused : 1);
                for (size_t j = 0; j < nused; j++)
                        ss += (row[units[j]] - mean) * (row[units[j]] - mean);
                double sd = nused > 1 ? sqrt(ss / (double)(nused - 1)) : 0;
                if (!(sd > 0) || !isfinite(sd))
                        sd = 1;
                for (size_t u = 0; u < nunits; u++)
                        xs[i * nunits + u] = row[u] / sd;
        }
}

struct outer {
        const struct sc_problem *pb;
        size_t k, J, nfit;
        const double *dx; /* k × J: scaled donor predictor minus the treated one */
        const double *zc; /* nfit × J: donor outcome minus the treated one, fit rows */
        double *m;        /* k × J work: sqrt(v)·dx */
        double *w;        /* J work */
        double *v;        /* k work */
        int evals;
        /* best over every evaluation so far */
        double best_loss;
        double best_inner;
        int best_iterations;
        int best_inner_converged;
        double *best_w;
        double *best_v;
        double start_best; /* best within the current start */
};

static void theta_to_v(const gsl_vector *theta, size_t k, double *v)
{
        double s = 0;
        for (size_t i = 0; i < k; i++)
                s += fabs(gsl_vector_get(theta, i));
        for (size_t i = 0; i < k; i++)
                v[i] = s > 0 ? fabs(gsl_vector_get(theta, i)) / s : 1.0 / (double)k;
}

/* L(v) of §4.3 for v = |θ|/Σ|θ|. */
static double outer_loss(const gsl_vector *theta, void *arg)
{
        struct outer *ot = arg;
        size_t k = ot->k, J = ot->J;
        theta_to_v(theta, k, ot->v);
        double scale = 0;
        for (size_t r = 0; r < k; r++) {
                double sv = sqrt(ot->v[r]);
                for (size_t j = 0; j < J; j++)
                        ot->m[r * J + j] = sv * ot->dx[r * J + j];
                double b = ot->pb->xs[r * ot->pb->p->nunits + ot->pb->treated];
                scale += ot->v[r] * b * b;
        }
        struct sc_qp q = {.nrows = k, .ncols = J, .m = ot->m, .scale = scale};
        q.lc = sc_lipschitz(ot->m, k, J);
        for (size_t j = 0; j < J; j++)
                ot->w[j] = 1.0 / (double)J;
        struct sc_weights_report rep;
        sc_qp_solve(&q, ot->w, ot->pb->o, &rep);

        gsl_matrix_const_view Z = gsl_matrix_const_view_array(ot->zc, ot->nfit, J);
        gsl_vector_const_view W = gsl_vector_const_view_array(ot->w, J);
        double ss = 0;
        for (size_t f = 0; f < ot->nfit; f++) {
                gsl_vector_const_view row = gsl_matrix_const_row(&Z.matrix, f);
                double d;
                gsl_blas_ddot(&row.vector, &W.vector, &d);
                ss += d * d;
        }
        double loss = ss / (double)ot->nfit;
        ot->evals++;
        if (loss < ot->start_best)
                ot->start_best = loss;
        if (loss < ot->best_loss) {
                ot->best_loss = loss;
                ot->best_inner = rep.loss;
                ot->best_iterations = rep.iterations;
                ot->best_inner_converged = rep.converged;
                memcpy(ot->best_w, ot->w, J * sizeof *ot->w);
                memcpy(ot->best_v, ot->v, k * sizeof *ot->v);
        }
        return loss;
}

/* One Nelder–Mead run from v0; returns 1 when it met the θ tolerance. */
static int nm_run(struct outer *ot, const double *v0)
{
        size_t k = ot->k;
        const struct sc_options *o = ot->pb->o;
        gsl_vector *theta = gsl_vector_alloc(k);
        gsl_vector *step = gsl_vector_alloc(k);
        for (size_t i = 0; i < k; i++) {
                gsl_vector_set(theta, i, v0[i]);
                gsl_vector_set(step, i, v0[i] != 0 ? 0.05 : 0.00025);
        }
        gsl_multimin_function fn = {.f = outer_loss, .n = k, .params = ot};
        gsl_multimin_fminimizer *s =
            gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, k);
        ot->start_best = INFINITY;
        int start_evals = ot->evals;
        int converged = 0;
        if (gsl_multimin_fminimizer_set(s, &fn, theta, step) == GSL_SUCCESS) {
                double mark = INFINITY;
                int mark_evals = ot->evals;
                int window = 100 * (int)k;
                while (ot->evals - start_evals < o->nm_max_evals) {
                        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
                                break;
                        double size = gsl_multimin_fminimizer_size(s);
                        if (gsl_multimin_test_size(size, o->nm_tol_theta) == GSL_SUCCESS) {
                                converged = 1;
                                break;
                        }
                        if (ot->evals - mark_evals >= window) {
                                if (mark - ot->start_best <=
                                    o->nm_tol_loss + o->nm_stall * fabs(ot->start_best)) {
                                        converged = 1;
                                        break;
                                }
                                mark = ot->start_best;
                                mark_evals = ot->evals;
                        }
                }
        }
        gsl_multimin_fminimizer_free(s);
        gsl_vector_free(step);
        gsl_vector_free(theta);
        return converged;
}

static int same(const double *a, const double *b, size_t k)
{
        return memcmp(a, b, k * sizeof *a) == 0;
}

/* The deterministic starts of §4.3 (then the random ones); returns how many, into v0. */
static size_t starts(const struct outer *ot, double *v0, size_t cap)
{
        size_t k = ot->k, J = ot->J, n = 0;
        const struct sc_options *o = ot->pb->o;
        size_t ndet = (size_t)o->max_starts;
        double *cand = xmalloc(k * sizeof *cand);
        for (size_t c = 0; c < 2 + k && n < ndet; c++) {
                if (c == 0) {
                        for (size_t i = 0; i < k; i++)
                                cand[i] = 1.0 / (double)k;
                } else if (c == 1) {
                        double s = 0;
                        for (size_t i = 0; i < k; i++) {
                                const double *row = ot->dx + i * J; /* shift leaves variance */
                                double mean = 0, ss = 0;
                                for (size_t j = 0; j < J; j++)
                                        mean += row[j];
                                mean /= (double)J;
                                for (size_t j = 0; j < J; j++)
                                        ss += (row[j] - mean) * (row[j] - mean);
                                double var = J > 1 ? ss / (double)(J - 1) : 0;
                                cand[i] = var > 0 ? 1 / var : 0;
                                s += cand[i];
                        }
                        for (size_t i = 0; i < k; i++)
                                cand[i] = s > 0 ? cand[i] / s : 1.0 / (double)k;
                } else {
                        size_t at = c - 2;
                        for (size_t i = 0; i < k; i++)
                                cand[i] = k > 1 ? 0.5 / (double)(k - 1) : 1;
                        cand[at] = k > 1 ? 0.5 : 1;
                }
                int dup = 0;
                for (size_t s = 0; s < n && !dup; s++)
                        dup = same(v0 + s * k, cand, k);
                if (!dup)
                        memcpy(v0 + k * n++, cand, k * sizeof *cand);
        }
        if (o->random_starts > 0) {
                gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
                gsl_rng_set(rng, o->seed);
                for (int r = 0; r < o->random_starts && n < cap; r++) {
                        double s = 0;
                        for (size_t i = 0; i < k; i++)
                                s += cand[i] = gsl_rng_uniform_pos(rng);
                        for (size_t i = 0; i < k; i++)
                                v0[k * n + i] = cand[i] / s;
                        n++;
                }
                gsl_rng_free(rng);
        }
        free(cand);
        return n;
}

void sc_solve_predictors(const struct sc_problem *pb, struct sc_solution *s)
{
        size_t k = pb->k, J = pb->npool, N = pb->p->nunits;
        struct outer ot = {.pb = pb, .k = k, .J = J, .nfit = pb->nfit};
        double *dx = xmalloc(k * J * sizeof *dx);
        double *zc = xmalloc(pb->nfit * J * sizeof *zc);
        for (size_t r = 0; r < k; r++)
                for (size_t j = 0; j < J; j++)
                        dx[r * J + j] = pb->xs[r * N + pb->pool[j]] - pb->xs[r * N + pb->treated];
        for (size_t f = 0; f < pb->nfit; f++) {
                size_t t = pb->fit[f];
                double b = pb->p->y[pb->treated * pb->p->nperiods + t];
                for (size_t j = 0; j < J; j++)
                        zc[f * J + j] = pb->p->y[pb->pool[j] * pb->p->nperiods + t] - b;
        }
        ot.dx = dx;
        ot.zc = zc;
        ot.m = xmalloc(k * J * sizeof *ot.m);
        ot.w = xmalloc(J * sizeof *ot.w);
        ot.v = xmalloc(k * sizeof *ot.v);
        ot.best_w = xmalloc(J * sizeof *ot.best_w);
        ot.best_v = xmalloc(k * sizeof *ot.best_v);
        ot.best_loss = INFINITY;

        size_t cap = (size_t)pb->o->max_starts + (size_t)pb->o->random_starts;
        double *v0 = xmalloc(cap * k * sizeof *v0);
        size_t n = starts(&ot, v0, cap);
        int best_converged = 0;
        for (size_t i = 0; i < n; i++) {
                double before = ot.best_loss;
                int conv;
                if (k == 1) {
                        /* v = 1 is the only point: nothing for Nelder–Mead to move */
                        gsl_vector_view th = gsl_vector_view_array(v0 + i * k, k);
                        ot.start_best = INFINITY;
                        outer_loss(&th.vector, &ot);
                        conv = 1;
                } else {
                        conv = nm_run(&ot, v0 + i * k);
                }
                s->start_loss[i] = ot.start_best;
                if (ot.best_loss < before)
                        best_converged = conv;
        }
        memcpy(s->w, ot.best_w, J * sizeof *s->w);
        memcpy(s->v, ot.best_v, k * sizeof *s->v);
        s->loss = sc_fit_loss(pb, s->w); /* from the panel, not the centred rows */
        s->inner_loss = ot.best_inner;
        s->iterations = ot.best_iterations;
        s->evaluations = ot.evals;
        s->nstarts = (int)n;
        s->converged = best_converged && ot.best_inner_converged;
        free(v0);
        free(ot.best_v);
        free(ot.best_w);
        free(ot.v);
        free(ot.w);
        free(ot.m);
        free(zc);
        free(dx);
}
