/*
 * did.c — 2 × 2 difference in differences with a unit-clustered (CR1)
 * standard error (see did.h and statistics.md §5).
 *
 * The estimate comes from the four cell means, exactly as §5 writes it; the
 * regression (QR from GSL) is fitted only for its residuals and (X'X)⁻¹, which
 * the sandwich V = (X'X)⁻¹ (Σ_g X_g'e_g e_g'X_g) (X'X)⁻¹ · G/(G-1) · (N-1)/(N-k)
 * needs.  The interval uses t with G - 1 degrees of freedom, the usual choice
 * for clustered errors (§5 does not fix one).
 */
#include "stats/did.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K 4

void did_result_release(struct did_result *r)
{
        for (size_t i = 0; i < r->n_warnings; i++)
                free(r->warnings[i]);
        free(r->warnings);
        memset(r, 0, sizeof *r);
}

static void warn(struct did_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct did_result *r, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("(warning could not be formatted)");
        va_end(ap);
        r->warnings = xrealloc(r->warnings, (r->n_warnings + 1) * sizeof *r->warnings);
        r->warnings[r->n_warnings++] = s;
}

static int check(const struct did_obs *obs, size_t n, size_t n_units, struct did_result *r,
                 signed char *unit_treated, struct err *e)
{
        double sum[4] = {0};
        for (size_t i = 0; i < n; i++) {
                const struct did_obs *o = &obs[i];
                if (o->unit >= n_units)
                        return err_set(e, EXIT_INPUT, "row %zu names unit %zu of %zu", i + 1,
                                       o->unit, n_units);
                if (!isfinite(o->y))
                        return err_set(e, EXIT_INPUT, "row %zu: the value is not a number", i + 1);
                int tr = o->treated != 0;
                if (unit_treated[o->unit] >= 0 && unit_treated[o->unit] != tr)
                        return err_set(e, EXIT_INPUT,
                                       "unit %zu is marked treated on some rows and not on others",
                                       o->unit);
                unit_treated[o->unit] = (signed char)tr;
                size_t cell = (tr ? 0 : 2) + (o->post != 0);
                r->cell_n[cell]++;
                sum[cell] += o->y;
        }
        static const char *const names[] = {"treated before", "treated after", "controls before",
                                            "controls after"};
        for (int c = 0; c < 4; c++)
                if (r->cell_n[c] == 0)
                        return err_set(e, EXIT_INPUT,
                                       "difference in differences needs values in all four "
                                       "cells; there are none for the %s the change",
                                       names[c]);
        for (size_t u = 0; u < n_units; u++) {
                if (unit_treated[u] < 0)
                        continue;
                r->clusters++;
                r->treated_units += unit_treated[u] == 1;
        }
        if (r->clusters < 2)
                return err_set(e, EXIT_INPUT, "difference in differences needs at least two units");
        r->mean_pre_t = sum[0] / (double)r->cell_n[0];
        r->mean_post_t = sum[1] / (double)r->cell_n[1];
        r->mean_pre_c = sum[2] / (double)r->cell_n[2];
        r->mean_post_c = sum[3] / (double)r->cell_n[3];
        r->did = (r->mean_post_t - r->mean_pre_t) - (r->mean_post_c - r->mean_pre_c);
        r->n = n;
        return 0;
}

/* Fill X, QR-solve, and leave (X'X)⁻¹ in XtXi and the residuals in res. */
static void regress(const struct did_obs *obs, size_t n, gsl_matrix *X, gsl_vector *res,
                    gsl_matrix *XtXi, double *b)
{
        gsl_matrix *QR = gsl_matrix_alloc(n, K);
        gsl_vector *yv = gsl_vector_alloc(n);
        gsl_vector *tau = gsl_vector_alloc(K);
        gsl_vector *bv = gsl_vector_alloc(K);
        gsl_matrix *Rinv = gsl_matrix_calloc(K, K);
        for (size_t i = 0; i < n; i++) {
                double tr = obs[i].treated != 0, po = obs[i].post != 0;
                gsl_matrix_set(X, i, 0, 1.0);
                gsl_matrix_set(X, i, 1, tr);
                gsl_matrix_set(X, i, 2, po);
                gsl_matrix_set(X, i, 3, tr * po);
                gsl_vector_set(yv, i, obs[i].y);
        }
        gsl_matrix_memcpy(QR, X);
        gsl_linalg_QR_decomp(QR, tau);
        gsl_linalg_QR_lssolve(QR, tau, yv, bv, res);
        for (size_t i = 0; i < K; i++)
                for (size_t j = i; j < K; j++)
                        gsl_matrix_set(Rinv, i, j, gsl_matrix_get(QR, i, j));
        gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, Rinv);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, Rinv, Rinv, 0.0, XtXi);
        for (size_t j = 0; j < K; j++)
                b[j] = gsl_vector_get(bv, j);
        gsl_matrix_free(QR);
        gsl_vector_free(yv);
        gsl_vector_free(tau);
        gsl_vector_free(bv);
        gsl_matrix_free(Rinv);
}

int did_estimate(const struct did_obs *obs, size_t n, size_t n_units, double level,
                 struct did_result *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        out->level = level;
        if (!(level > 0 && level < 1))
                return err_set(e, EXIT_INPUT, "the confidence level must lie between 0 and 1");
        signed char *unit_treated = xmalloc(n_units ? n_units : 1);
        memset(unit_treated, -1, n_units ? n_units : 1);
        if (check(obs, n, n_units, out, unit_treated, e)) {
                free(unit_treated);
                did_result_release(out);
                return -1;
        }
        free(unit_treated);

        /* All four cells are non-empty, so the saturated design has full rank. */
        gsl_matrix *X = gsl_matrix_alloc(n, K);
        gsl_vector *res = gsl_vector_alloc(n);
        gsl_matrix *XtXi = gsl_matrix_alloc(K, K);
        regress(obs, n, X, res, XtXi, out->b);

        /* Score sums per cluster: s_g = X_g'e_g. */
        double *score = xcalloc(n_units * K, sizeof *score);
        for (size_t i = 0; i < n; i++) {
                double ei = gsl_vector_get(res, i);
                for (size_t j = 0; j < K; j++)
                        score[obs[i].unit * K + j] += gsl_matrix_get(X, i, j) * ei;
        }
        gsl_matrix *M = gsl_matrix_calloc(K, K);
        for (size_t g = 0; g < n_units; g++)
                for (size_t i = 0; i < K; i++)
                        for (size_t j = 0; j < K; j++)
                                *gsl_matrix_ptr(M, i, j) += score[g * K + i] * score[g * K + j];
        free(score);
        gsl_matrix *T = gsl_matrix_alloc(K, K);
        gsl_matrix *V = gsl_matrix_alloc(K, K);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, XtXi, M, 0.0, T);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, T, XtXi, 0.0, V);
        double G = (double)out->clusters, N = (double)n;
        double factor = G / (G - 1.0) * (N - 1.0) / (N - K);
        /* N - K can be 0 only with one row per cell, where no SE exists anyway. */
        double var = n > K ? factor * gsl_matrix_get(V, 3, 3) : NAN;
        out->se = var >= 0 ? sqrt(var) : NAN;
        /* Scores that cancel exactly leave rounding noise, not a standard error. */
        double scale = fabs(out->mean_pre_t) + fabs(out->mean_post_t) + fabs(out->mean_pre_c) +
                       fabs(out->mean_post_c);
        if (out->se <= 1e-10 * scale)
                out->se = 0;
        out->df = (int)out->clusters - 1;
        if (isfinite(out->se) && out->se > 0) {
                double tc = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, out->df);
                out->ci_low = out->did - tc * out->se;
                out->ci_high = out->did + tc * out->se;
                out->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(out->did) / out->se, out->df);
        } else {
                out->ci_low = out->ci_high = out->p_value = NAN;
                warn(out, "the clustered standard error is zero (every unit's residuals cancel "
                          "within its cells, as they do with one unit per group), so no "
                          "interval is given");
        }
        gsl_matrix_free(X);
        gsl_vector_free(res);
        gsl_matrix_free(XtXi);
        gsl_matrix_free(M);
        gsl_matrix_free(T);
        gsl_matrix_free(V);

        if (out->treated_units == 1)
                warn(out, "with one treated unit the clustered standard error is unreliable "
                          "(the treatment contrast rests on a single cluster); prefer the "
                          "placebo p-value of synthetic control");
        else if (out->clusters < 30)
                warn(out,
                     "only %zu units: clustered standard errors need many clusters, so read "
                     "the interval with caution",
                     out->clusters);
        return 0;
}

void did_counterfactual(const struct did_result *r, const double *control_mean, size_t n_periods,
                        double *cf)
{
        for (size_t t = 0; t < n_periods; t++)
                cf[t] = r->mean_pre_t + (control_mean[t] - r->mean_pre_c);
}
