/*
 * sc_inner.c — the inner problem of statistics.md §4.2: weights on the simplex
 * for a fixed V, by accelerated projected gradient (FISTA) with the momentum
 * restart of §4.2, and the sort-based Euclidean projection onto the simplex.
 *
 * Two choices that differ from a literal reading of §4.2, both of which leave
 * the minimiser and the loss unchanged:
 *
 *  - The step is 1/Lc with Lc = 2·λmax(P·A'A·P), P = I - 11'/J, instead of
 *    2·λmax(A'A).  Every iterate lies on the plane Σw = 1, so only the
 *    curvature along that plane matters, and Lc is the exact Lipschitz
 *    constant of the gradient there.  For outcomes at a common level (rates,
 *    counts per 10,000) λmax(A'A) is the "all donors together" direction,
 *    which the simplex never moves along; it can be hundreds of times larger,
 *    and the step as many times too short.
 *
 *  - Besides the relative-decrease rule (1e-13 over 200 iterations), the loop
 *    stops when f falls below 1e-14 of the target's size (Σ b²: the fit is
 *    exact to about one part in 10⁷ of the target's level).  At an exact or
 *    nearly exact fit f falls towards zero slowly and its relative decrease
 *    never gets small, so the rule alone ran to the 20000-iteration cap,
 *    which in the outer search meant hundreds of evaluations at the cap.
 *
 *  - At each window check the face FISTA has found is solved exactly (see
 *    polish), which ends the slow tail when donors on it are nearly collinear.
 *    When that face is not the minimiser's (FISTA's iterate still spreads
 *    weight over many donors), the first window check runs Wolfe's
 *    minimum-norm-point algorithm, an exact active-set method, and keeps its
 *    answer when the minimum is above the exact-fit floor (see exact).  With
 *    a few predictor rows against many donors this turned inner fits that ran
 *    to the 20000-iteration cap into 200 iterations.
 */
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/sc_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SC_EXACT_FLOOR 1e-14

/*
 * Before sorting, coordinates that cannot be in the support are filtered out.
 * For any set S containing the support, θ >= θ_S = (Σ_S v - 1)/|S| (the
 * support's terms sum to 1 at θ and the others are <= 0), and θ >= max v - 1;
 * so "keep the v_j above the bound" leaves a smaller set that still contains
 * the support.  The sort-based rule on that set gives the same θ (θ solves
 * Σ max(v_j - θ, 0) = 1, to which the dropped coordinates add nothing).  When
 * a pass drops nothing, every remaining u_i exceeds θ_S, so the rule's ρ is
 * |S| and θ = θ_S without sorting at all; otherwise only the survivors of a
 * few passes are sorted.  Iterates are sparse or settled, so this is where
 * the projection's time went.
 */
void sc_simplex_project(const double *v, double *out, size_t n, double *work)
{
        if (n == 0)
                return;
        double sum = 0, vmax = v[0];
        for (size_t j = 0; j < n; j++) {
                sum += v[j];
                vmax = v[j] > vmax ? v[j] : vmax;
        }
        double lb = (sum - 1) / (double)n;
        if (vmax - 1 > lb)
                lb = vmax - 1;
        size_t m = 0;
        sum = 0;
        for (size_t j = 0; j < n; j++)
                if (v[j] > lb) {
                        work[m++] = v[j];
                        sum += v[j];
                }
        double theta = 0;
        int settled = 0;
        for (int pass = 0; pass < 4 && !settled; pass++) {
                double ts = (sum - 1) / (double)m;
                size_t m2 = 0;
                double sum2 = 0;
                for (size_t j = 0; j < m; j++)
                        if (work[j] > ts) {
                                sum2 += work[j];
                                work[m2++] = work[j];
                        }
                if (m2 == m) {
                        theta = ts;
                        settled = 1;
                }
                m = m2;
                sum = sum2;
        }
        if (!settled) {
                gsl_sort(work, 1, m); /* ascending: u_i of §4.2 is work[m - i] */
                double c = 0;
                for (size_t i = 1; i <= m; i++) {
                        double u = work[m - i];
                        c += u;
                        if (u * (double)i > c - 1)
                                theta = (c - 1) / (double)i;
                }
        }
        for (size_t j = 0; j < n; j++)
                out[j] = v[j] - theta > 0 ? v[j] - theta : 0;
}

void sc_gram(const double *m, size_t nrows, size_t ncols, double *h)
{
        gsl_matrix_const_view M = gsl_matrix_const_view_array(m, nrows, ncols);
        gsl_matrix_view H = gsl_matrix_view_array(h, ncols, ncols);
        gsl_blas_dsyrk(CblasUpper, CblasTrans, 1.0, &M.matrix, 0.0, &H.matrix);
        for (size_t i = 0; i < ncols; i++)
                for (size_t j = 0; j < i; j++)
                        h[i * ncols + j] = h[j * ncols + i];
}

/*
 * Centring the rows of M across columns is M·P; the nonzero eigenvalues of
 * (MP)'(MP) and (MP)(MP)' agree, so the smaller one is decomposed.
 */
double sc_lipschitz(const double *m, size_t nrows, size_t ncols)
{
        double *c = xmalloc(nrows * ncols * sizeof *c);
        for (size_t r = 0; r < nrows; r++) {
                const double *row = m + r * ncols;
                double mean = 0;
                for (size_t j = 0; j < ncols; j++)
                        mean += row[j];
                mean /= (double)ncols;
                for (size_t j = 0; j < ncols; j++)
                        c[r * ncols + j] = row[j] - mean;
        }
        size_t n = nrows < ncols ? nrows : ncols;
        gsl_matrix *g = gsl_matrix_alloc(n, n);
        gsl_matrix_const_view C = gsl_matrix_const_view_array(c, nrows, ncols);
        gsl_blas_dsyrk(CblasLower, nrows < ncols ? CblasNoTrans : CblasTrans, 1.0, &C.matrix, 0.0,
                       g);
        gsl_vector *eval = gsl_vector_alloc(n);
        gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(n);
        /* GSL reports errors only for mismatched sizes, which cannot happen here; the error
         * handler is global, so it is not touched from placebo threads */
        int rc = gsl_eigen_symm(g, eval, ws);
        double lmax = 0;
        if (rc == GSL_SUCCESS) {
                for (size_t i = 0; i < n; i++)
                        if (gsl_vector_get(eval, i) > lmax)
                                lmax = gsl_vector_get(eval, i);
        } else {
                /* the trace bounds λmax of a PSD matrix */
                for (size_t i = 0; i < nrows * ncols; i++)
                        lmax += c[i] * c[i];
        }
        gsl_eigen_symm_free(ws);
        gsl_vector_free(eval);
        gsl_matrix_free(g);
        free(c);
        return 2 * lmax;
}

/* q = M x (rows) or H x (Gram); returns f(x) = ||M x||² = x'H x. */
static double apply(const struct sc_qp *q, const double *x, double *mx)
{
        double f;
        if (q->h) {
                /* H x over the columns with weight only; H is symmetric, so column j is row j */
                size_t n = q->ncols;
                memset(mx, 0, n * sizeof *mx);
                for (size_t j = 0; j < n; j++) {
                        if (x[j] == 0)
                                continue;
                        const double *hj = q->h + j * n;
                        double xj = x[j];
                        for (size_t i = 0; i < n; i++)
                                mx[i] += xj * hj[i];
                }
                f = 0;
                for (size_t j = 0; j < n; j++)
                        if (x[j] != 0)
                                f += x[j] * mx[j];
        } else {
                gsl_vector_const_view X = gsl_vector_const_view_array(x, q->ncols);
                gsl_matrix_const_view M = gsl_matrix_const_view_array(q->m, q->nrows, q->ncols);
                gsl_vector_view Y = gsl_vector_view_array(mx, q->nrows);
                gsl_blas_dgemv(CblasNoTrans, 1.0, &M.matrix, &X.vector, 0.0, &Y.vector);
                f = gsl_blas_dnrm2(&Y.vector);
                f *= f;
        }
        return f > 0 ? f : 0;
}

/* grad = ∇f at z from mz = M z (or H z). */
static void gradient(const struct sc_qp *q, const double *mz, double *grad)
{
        if (q->h) {
                for (size_t j = 0; j < q->ncols; j++)
                        grad[j] = 2 * mz[j];
                return;
        }
        gsl_matrix_const_view M = gsl_matrix_const_view_array(q->m, q->nrows, q->ncols);
        gsl_vector_const_view Z = gsl_vector_const_view_array(mz, q->nrows);
        gsl_vector_view G = gsl_vector_view_array(grad, q->ncols);
        gsl_blas_dgemv(CblasTrans, 2.0, &M.matrix, &Z.vector, 0.0, &G.vector);
}

/*
 * Finish on the face.  FISTA finds the support of the minimiser long before
 * it settles the weights on it; where the donors on the support are nearly
 * collinear that tail is slow (units outside the donors' predictor range ran
 * to the 20000-iteration cap).  So at each window check, with support S,
 * solve the problem restricted to S exactly: minimise u'H_S u subject to
 * Σu = 1, which gives u = H_S⁻¹1 / 1'H_S⁻¹1 (LU from GSL).  Accept u only
 * if it is strictly inside the face (u > 0), satisfies the KKT conditions of
 * the whole problem (no donor off S has a smaller gradient than those on S),
 * and is no worse than the best iterate: then it is a minimiser of f over
 * the simplex and iterating further could not lower f.  A singular H_S (an
 * exact fit, collinear donors: minimisers not unique) is left to FISTA.
 */
#define SC_POLISH_MAX 64

static int polish(const struct sc_qp *q, double *best, double *fbest, double *mu, double *grad)
{
        size_t n = q->ncols, ns = 0;
        size_t idx[SC_POLISH_MAX];
        for (size_t j = 0; j < n; j++)
                ns += best[j] > 0;
        size_t cap = q->nrows < SC_POLISH_MAX ? q->nrows : SC_POLISH_MAX;
        if (ns > cap) {
                /* the tail still carries small weights the minimiser will not have: try the
                 * largest ones (H_S has rank <= rows, so no more than that many) */
                ns = cap;
                gsl_sort_largest_index(idx, ns, best, 1, n);
        } else {
                ns = 0;
                for (size_t j = 0; j < n; j++)
                        if (best[j] > 0)
                                idx[ns++] = j;
        }
        if (ns < 2)
                return 0;
        gsl_matrix *h = gsl_matrix_alloc(ns, ns);
        for (size_t a = 0; a < ns; a++) {
                for (size_t b = a; b < ns; b++) {
                        double v = 0;
                        if (q->h) {
                                v = q->h[idx[a] * n + idx[b]];
                        } else {
                                for (size_t r = 0; r < q->nrows; r++)
                                        v += q->m[r * n + idx[a]] * q->m[r * n + idx[b]];
                        }
                        gsl_matrix_set(h, a, b, v);
                        gsl_matrix_set(h, b, a, v);
                }
        }
        gsl_permutation *perm = gsl_permutation_alloc(ns);
        gsl_vector *one = gsl_vector_alloc(ns), *z = gsl_vector_alloc(ns);
        gsl_vector_set_all(one, 1);
        int sign, ok = 0;
        gsl_linalg_LU_decomp(h, perm, &sign);
        double dmax = 0, dmin = INFINITY;
        for (size_t a = 0; a < ns; a++) {
                double d = fabs(gsl_matrix_get(h, a, a));
                dmax = d > dmax ? d : dmax;
                dmin = d < dmin ? d : dmin;
        }
        /* a pivot this small means H_S is singular to working precision (and LU_solve
         * would call GSL's error handler, which is global and aborts by default) */
        if (dmin > 1e-12 * dmax && gsl_linalg_LU_solve(h, perm, one, z) == GSL_SUCCESS) {
                double sum = 0;
                for (size_t a = 0; a < ns; a++)
                        sum += gsl_vector_get(z, a);
                ok = sum > 0;
                for (size_t a = 0; a < ns && ok; a++)
                        ok = gsl_vector_get(z, a) / sum > 0;
                if (ok) {
                        double *u = grad; /* grad doubles as the candidate until the check */
                        memset(u, 0, n * sizeof *u);
                        for (size_t a = 0; a < ns; a++)
                                u[idx[a]] = gsl_vector_get(z, a) / sum;
                        double fu = apply(q, u, mu);
                        double *cand = xmalloc(n * sizeof *cand);
                        memcpy(cand, u, n * sizeof *cand);
                        gradient(q, mu, grad);
                        double lam = INFINITY, gmax = 0;
                        for (size_t a = 0; a < ns; a++)
                                lam = fmin(lam, grad[idx[a]]);
                        for (size_t j = 0; j < n; j++)
                                gmax = fmax(gmax, fabs(grad[j]));
                        double tol = 1e-9 * (gmax > 0 ? gmax : 1);
                        for (size_t j = 0; j < n && ok; j++)
                                ok = cand[j] > 0 || grad[j] >= lam - tol;
                        ok = ok && fu <= *fbest;
                        if (ok) {
                                memcpy(best, cand, n * sizeof *best);
                                *fbest = fu;
                        }
                        free(cand);
                }
        }
        gsl_vector_free(z);
        gsl_vector_free(one);
        gsl_permutation_free(perm);
        gsl_matrix_free(h);
        return ok;
}

/* (p_a · p_b) for donor columns a, b of the problem (an entry of H = M'M). */
static double gram_at(const struct sc_qp *q, size_t a, size_t b)
{
        if (q->h)
                return q->h[a * q->ncols + b];
        double v = 0;
        for (size_t r = 0; r < q->nrows; r++)
                v += q->m[r * q->ncols + a] * q->m[r * q->ncols + b];
        return v;
}

/*
 * The point of least norm in the affine hull of the columns idx[0..ns-1]:
 * μ with Σμ = 1 minimising ||Σ μ_a p_a||², from the bordered system
 * [H_S 1; 1' 0][μ; ν] = [0; 1] (LU from GSL).  Returns 0, or -1 when the
 * system is singular to working precision (the columns are affinely dependent).
 */
static int affine_min_rows(const struct sc_qp *q, const size_t *idx, size_t ns, double *mu);

static int affine_min(const struct sc_qp *q, const size_t *idx, size_t ns, double *mu)
{
        if (q->m && ns >= 2 && ns - 1 <= q->nrows)
                return affine_min_rows(q, idx, ns, mu);
        size_t n = ns + 1;
        /* the Gram block divided by its largest diagonal entry: μ is unchanged, and every
         * entry is then of the border's size, so one pivot threshold fits all problems */
        double amax = 0;
        for (size_t i = 0; i < ns; i++)
                amax = fmax(amax, gram_at(q, idx[i], idx[i]));
        if (!(amax > 0))
                return -1;
        gsl_matrix *a = gsl_matrix_alloc(n, n);
        for (size_t i = 0; i < ns; i++) {
                for (size_t j = i; j < ns; j++) {
                        double v = gram_at(q, idx[i], idx[j]) / amax;
                        gsl_matrix_set(a, i, j, v);
                        gsl_matrix_set(a, j, i, v);
                }
                gsl_matrix_set(a, i, ns, 1);
                gsl_matrix_set(a, ns, i, 1);
        }
        gsl_matrix_set(a, ns, ns, 0);
        gsl_permutation *perm = gsl_permutation_alloc(n);
        gsl_vector *rhs = gsl_vector_calloc(n), *x = gsl_vector_alloc(n);
        gsl_vector_set(rhs, ns, 1);
        int sign, rc = -1;
        gsl_linalg_LU_decomp(a, perm, &sign);
        double dmin = INFINITY;
        for (size_t i = 0; i < n; i++)
                dmin = fmin(dmin, fabs(gsl_matrix_get(a, i, i)));
        /* a tiny pivot: affinely dependent columns (and LU_solve would call GSL's global
         * error handler, which aborts by default) */
        if (dmin > 1e-12 && gsl_linalg_LU_solve(a, perm, rhs, x) == GSL_SUCCESS) {
                rc = 0;
                for (size_t i = 0; i < ns; i++) {
                        mu[i] = gsl_vector_get(x, i);
                        if (!isfinite(mu[i]))
                                rc = -1;
                }
        }
        gsl_vector_free(x);
        gsl_vector_free(rhs);
        gsl_permutation_free(perm);
        gsl_matrix_free(a);
        return rc;
}

/*
 * The same from the rows, better conditioned: with D = [p_1 - p_0, ...,
 * p_{s-1} - p_0] (nrows × (ns-1)), minimise ||p_0 + D t|| by QR least squares
 * (GSL) and set μ = (1 - Σt, t).  The Gram matrix squares D's condition
 * number, so donors that are nearly collinear on the face (the case FISTA
 * is slow on) made the bordered system singular to working precision while
 * D is still of full rank.  Returns -1 when D is rank-deficient.
 */
static int affine_min_rows(const struct sc_qp *q, const size_t *idx, size_t ns, double *mu)
{
        size_t r = q->nrows, c = ns - 1, n = q->ncols;
        gsl_matrix *d = gsl_matrix_alloc(r, c);
        gsl_vector *rhs = gsl_vector_alloc(r), *tau = gsl_vector_alloc(c);
        gsl_vector *t = gsl_vector_alloc(c), *res = gsl_vector_alloc(r);
        double dmax = 0;
        for (size_t i = 0; i < r; i++) {
                double p0 = q->m[i * n + idx[0]];
                gsl_vector_set(rhs, i, -p0);
                for (size_t a = 0; a < c; a++) {
                        double v = q->m[i * n + idx[a + 1]] - p0;
                        gsl_matrix_set(d, i, a, v);
                        dmax = fmax(dmax, fabs(v));
                }
        }
        int rc = -1;
        if (dmax > 0 && gsl_linalg_QR_decomp(d, tau) == GSL_SUCCESS) {
                double rmin = INFINITY, rmax = 0;
                for (size_t a = 0; a < c; a++) {
                        double v = fabs(gsl_matrix_get(d, a, a));
                        rmin = fmin(rmin, v);
                        rmax = fmax(rmax, v);
                }
                /* R's diagonal: a tiny entry is a column in the span of the others (and
                 * QR_lssolve would call GSL's global error handler on an exact zero) */
                if (rmin > 1e-13 * rmax &&
                    gsl_linalg_QR_lssolve(d, tau, rhs, t, res) == GSL_SUCCESS) {
                        double sum = 0;
                        rc = 0;
                        for (size_t a = 0; a < c; a++) {
                                mu[a + 1] = gsl_vector_get(t, a);
                                sum += mu[a + 1];
                                if (!isfinite(mu[a + 1]))
                                        rc = -1;
                        }
                        mu[0] = 1 - sum;
                }
        }
        gsl_vector_free(res);
        gsl_vector_free(t);
        gsl_vector_free(tau);
        gsl_vector_free(rhs);
        gsl_matrix_free(d);
        return rc;
}

/*
 * Wolfe's minimum-norm-point algorithm (1976) for min ||M w||² over the
 * simplex, i.e. the point of least norm in the convex hull of M's columns.
 * It keeps a "corral" S of affinely independent columns with positive
 * weights; each major step adds the column most opposed to the current
 * point, and minor steps move towards the affine minimiser on S, dropping
 * columns whose weight reaches zero.  It is finite and exact up to rounding,
 * where FISTA crawls when the target sits just outside the donors' hull
 * (predictor problems with a few rows: 20000 iterations for a loss of
 * 1e-7).  Returns 1 with w (n values) set, or 0 when it could not finish.
 */
#define SC_MNP_MAX 64

static int min_norm_point(const struct sc_qp *q, double *w, double *mx, double *grad)
{
        size_t n = q->ncols;
        size_t cap = q->nrows + 1;
        cap = cap < n ? cap : n;
        cap = cap < SC_MNP_MAX ? cap : SC_MNP_MAX;
        size_t idx[SC_MNP_MAX];
        double lam[SC_MNP_MAX], mu[SC_MNP_MAX];
        size_t j0 = 0;
        double pmax = 0;
        for (size_t j = 0; j < n; j++) {
                double d = gram_at(q, j, j);
                pmax = fmax(pmax, d);
                if (d < gram_at(q, j0, j0))
                        j0 = j;
        }
        if (!(pmax > 0))
                return 0;
        size_t ns = 1;
        idx[0] = j0;
        lam[0] = 1;
        int done = 0;
        for (int major = 0; major < 50 * (int)cap + 100 && !done; major++) {
                memset(w, 0, n * sizeof *w);
                for (size_t a = 0; a < ns; a++)
                        w[idx[a]] = lam[a];
                double fx = apply(q, w, mx);
                gradient(q, mx, grad); /* grad_j = 2 p_j·x */
                size_t j = 0;
                for (size_t c = 1; c < n; c++)
                        if (grad[c] < grad[j])
                                j = c;
                /*
                 * Optimal when no column is further along -x than x itself.  The gap
                 * x·x - x·p_j bounds f - f* by twice itself (convexity), so it is held to
                 * 1e-11 of f.  When the best column is already in the corral the gap is
                 * rounding (x = M·w carries about 1e-16 of the columns' size): the point
                 * is optimal to working precision if that gap is of rounding's size.
                 */
                double gap = fx - grad[j] / 2;
                if (gap <= 1e-11 * fx + 1e-14 * sqrt(fx * pmax)) {
                        done = 1;
                        break;
                }
                int in = 0;
                for (size_t a = 0; a < ns; a++)
                        in |= idx[a] == j;
                if (in) {
                        if (gap > 1e-12 * pmax)
                                return 0;
                        done = 1;
                        break;
                }
                if (ns == cap)
                        return 0;
                idx[ns] = j;
                lam[ns++] = 0;
                for (int minor = 0;; minor++) {
                        if (minor > (int)cap + 1 || affine_min(q, idx, ns, mu) < 0)
                                return 0;
                        double mmin = mu[0];
                        for (size_t a = 1; a < ns; a++)
                                mmin = fmin(mmin, mu[a]);
                        if (mmin > 1e-12) {
                                memcpy(lam, mu, ns * sizeof *lam);
                                break;
                        }
                        /* the furthest step from λ towards μ that keeps every weight >= 0 */
                        double theta = 1;
                        size_t drop = 0;
                        for (size_t a = 0; a < ns; a++)
                                if (mu[a] <= 1e-12 && lam[a] - mu[a] > 0) {
                                        double th = lam[a] / (lam[a] - mu[a]);
                                        if (th < theta) {
                                                theta = th;
                                                drop = a;
                                        }
                                }
                        size_t m2 = 0;
                        for (size_t a = 0; a < ns; a++) {
                                double l = lam[a] + theta * (mu[a] - lam[a]);
                                if (a != drop && l > 1e-15) {
                                        lam[m2] = l;
                                        idx[m2++] = idx[a];
                                }
                        }
                        ns = m2;
                        if (ns == 0)
                                return 0;
                        double sum = 0;
                        for (size_t a = 0; a < ns; a++)
                                sum += lam[a];
                        for (size_t a = 0; a < ns; a++)
                                lam[a] /= sum;
                }
        }
        if (!done)
                return 0;
        memset(w, 0, n * sizeof *w);
        for (size_t a = 0; a < ns; a++)
                w[idx[a]] = lam[a];
        return 1;
}

/*
 * The minimum-norm point as a finish, once per solve, when the face of the
 * best iterate did not give the minimiser.  Accepted only when its loss is
 * above the exact-fit floor (then the minimising point M·w is unique and so,
 * on a face of affinely independent donors, are the weights) and no worse
 * than FISTA's.  At an exact fit the minimisers form a set and FISTA's path
 * from w = 1/J picks one, as §4.2 does; that choice is left alone.
 */
static int exact(const struct sc_qp *q, double *best, double *fbest, double floor, double *cand,
                 double *mx, double *grad)
{
        if (!min_norm_point(q, cand, mx, grad))
                return 0;
        double f = apply(q, cand, mx);
        if (!(f > floor) || f > *fbest)
                return 0;
        memcpy(best, cand, q->ncols * sizeof *best);
        *fbest = f;
        return 1;
}

void sc_qp_solve(const struct sc_qp *q, double *w, const struct sc_options *o,
                 struct sc_weights_report *rep)
{
        size_t n = q->ncols;
        size_t nm = q->h ? n : q->nrows;
        double *buf = xmalloc((6 * n + 3 * nm) * sizeof *buf);
        double *x = buf, *xn = x + n, *z = xn + n, *grad = z + n, *work = grad + n;
        double *best = work + n;
        double *mx = best + n, *mxn = mx + nm, *mz = mxn + nm;

        sc_simplex_project(w, x, n, work);
        double fx = apply(q, x, mx);
        double fbest = fx, fref = fx;
        double floor = SC_EXACT_FLOOR * (q->scale > 0 ? q->scale : 0);
        memcpy(best, x, n * sizeof *best);
        memcpy(z, x, n * sizeof *z);
        memcpy(mz, mx, nm * sizeof *mz);
        double t = 1;
        double lc = q->lc > 0 ? q->lc : 1;
        int it = 0, converged = fbest <= floor, mnp_tried = 0;
        int window = o->inner_window > 0 ? o->inner_window : 200;

        while (!converged && it < o->inner_max_iter) {
                it++;
                gradient(q, mz, grad);
                for (size_t j = 0; j < n; j++)
                        xn[j] = z[j] - grad[j] / lc;
                sc_simplex_project(xn, xn, n, work);
                double fn = apply(q, xn, mxn);
                if (fn > fx) {
                        t = 1;
                        memcpy(z, xn, n * sizeof *z);
                        memcpy(mz, mxn, nm * sizeof *mz);
                } else {
                        double tn = (1 + sqrt(1 + 4 * t * t)) / 2;
                        double beta = (t - 1) / tn;
                        for (size_t j = 0; j < n; j++)
                                z[j] = xn[j] + beta * (xn[j] - x[j]);
                        for (size_t j = 0; j < nm; j++)
                                mz[j] = mxn[j] + beta * (mxn[j] - mx[j]);
                        t = tn;
                }
                double *tmp = x;
                x = xn;
                xn = tmp;
                tmp = mx;
                mx = mxn;
                mxn = tmp;
                fx = fn;
                if (fn < fbest) {
                        fbest = fn;
                        memcpy(best, x, n * sizeof *best);
                }
                if (fbest <= floor) {
                        converged = 1;
                } else if (it % window == 0) {
                        if (polish(q, best, &fbest, mxn, grad) ||
                            (!mnp_tried && exact(q, best, &fbest, floor, xn, mxn, grad)) ||
                            fref - fbest <= o->inner_tol * fref)
                                converged = 1;
                        mnp_tried = 1;
                        fref = fbest;
                }
        }
        if (!converged && (polish(q, best, &fbest, mxn, grad) ||
                           (!mnp_tried && exact(q, best, &fbest, floor, xn, mxn, grad))))
                converged = 1;
        memcpy(w, best, n * sizeof *w);
        rep->loss = fbest;
        rep->iterations = it;
        rep->converged = converged;
        free(buf);
}

int sc_weights(const double *a, const double *b, size_t nrows, size_t ncols, double *w,
               const struct sc_options *opt, struct sc_weights_report *rep, struct err *e)
{
        if (ncols == 0 || nrows == 0) {
                rep->loss = NAN;
                rep->iterations = 0;
                rep->converged = 0;
                return err_set(e, EXIT_USAGE, "synthetic control: %s",
                               ncols ? "no rows" : "no donors");
        }
        double *m = xmalloc(nrows * ncols * sizeof *m);
        double scale = 0;
        for (size_t r = 0; r < nrows; r++) {
                scale += b[r] * b[r];
                for (size_t j = 0; j < ncols; j++)
                        m[r * ncols + j] = a[r * ncols + j] - b[r];
        }
        struct sc_qp q = {.nrows = nrows, .ncols = ncols, .m = m, .scale = scale};
        q.lc = sc_lipschitz(m, nrows, ncols);
        double *h = NULL;
        if (sc_use_gram(nrows, ncols)) {
                h = xmalloc(ncols * ncols * sizeof *h);
                sc_gram(m, nrows, ncols, h);
                q.h = h;
                q.m = NULL;
        }
        sc_qp_solve(&q, w, opt, rep);
        /* the reported loss from the rows, whichever form iterated */
        double f = 0;
        for (size_t r = 0; r < nrows; r++) {
                double g = 0;
                for (size_t j = 0; j < ncols; j++)
                        g += m[r * ncols + j] * w[j];
                f += g * g;
        }
        rep->loss = f;
        free(h);
        free(m);
        return 0;
}
