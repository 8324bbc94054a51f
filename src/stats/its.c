/*
 * its.c — segmented regression for interrupted time series (see its.h and
 * statistics.md §3).
 *
 * Least squares by Householder QR (GSL): X = QR gives b and the residuals, and
 * (X'X)⁻¹ = R⁻¹R⁻ᵀ without forming X'X, whose condition number is the square
 * of X's.  The Newey–West middle matrix is built from the scores u_t = e_t·x_t:
 * S = U'U + Σ_l w_l (U_l'U_{-l} + U_{-l}'U_l), where U_l drops the first l rows
 * and U_{-l} the last l, which is §3.2's double sum written as matrix products.
 */
#include "stats/its.h"
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

void its_options_init(struct its_options *o)
{
        memset(o, 0, sizeof *o);
        o->lag = -1;
        o->small_sample = 1;
        o->level = 0.95;
}

int its_default_lag(size_t n)
{
        return (int)floor(4.0 * pow((double)n / 100.0, 2.0 / 9.0));
}

void its_fit_release(struct its_fit *f)
{
        free(f->fitted);
        free(f->counterfactual);
        free(f->effect_t);
        free(f->effect_low_t);
        free(f->effect_high_t);
        for (size_t i = 0; i < f->n_warnings; i++)
                free(f->warnings[i]);
        free(f->warnings);
        memset(f, 0, sizeof *f);
}

static void warn(struct its_fit *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct its_fit *f, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("(warning could not be formatted)");
        va_end(ap);
        f->warnings = xrealloc(f->warnings, (f->n_warnings + 1) * sizeof *f->warnings);
        f->warnings[f->n_warnings++] = s;
}

/*
 * Row t (0-based) of the design matrix: 1, t, D, (t-(T0-1))·D, then sin/cos
 * pairs.  Time is the position (t+1) unless the caller gave each point's time,
 * so that a period left out (a transition) does not shift the ones after it.
 */
static void design_row(double *x, size_t t, size_t n_pre, const struct its_options *o)
{
        double tt = o->time ? o->time[t] : (double)(t + 1);
        double t0 = o->time ? o->time[n_pre] : (double)(n_pre + 1);
        int post = t >= n_pre;
        x[0] = 1.0;
        x[1] = tt;
        x[2] = post ? 1.0 : 0.0;
        x[3] = post ? tt - (t0 - 1.0) : 0.0;
        for (int k = 1; k <= o->harmonics; k++) {
                double a = 2.0 * M_PI * k * o->month[t] / 12.0;
                x[2 + 2 * k] = sin(a);
                x[3 + 2 * k] = cos(a);
        }
}

/* c'Vc for a k × k row-major V. */
static double quad(const double *c, const double *v, size_t k)
{
        double s = 0;
        for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++)
                        s += c[i] * v[i * k + j] * c[j];
        return s;
}

static int check_inputs(const double *y, size_t n, size_t n_pre, const struct its_options *o,
                        struct err *e)
{
        if (n_pre > n)
                return err_set(e, EXIT_INPUT, "the change comes after the end of the series");
        size_t n_post = n - n_pre;
        if (n_pre < ITS_MIN_SIDE || n_post < ITS_MIN_SIDE)
                return err_set(e, EXIT_INPUT,
                               "interrupted time series needs at least %d periods before and %d "
                               "after the change; there are %zu before and %zu after",
                               ITS_MIN_SIDE, ITS_MIN_SIDE, n_pre, n_post);
        for (size_t i = 0; i < n; i++)
                if (!isfinite(y[i]))
                        return err_set(e, EXIT_INPUT, "value %zu of the series is not a number",
                                       i + 1);
        if (o->harmonics < 0 || o->harmonics > ITS_MAX_HARMONICS)
                return err_set(e, EXIT_INPUT, "harmonics must be 0 to %d, not %d",
                               ITS_MAX_HARMONICS, o->harmonics);
        if (o->harmonics > 0) {
                if (!o->month)
                        return err_set(e, EXIT_INPUT,
                                       "seasonal harmonics need the calendar month of each point");
                for (size_t i = 0; i < n; i++)
                        if (o->month[i] < 1 || o->month[i] > 12)
                                return err_set(e, EXIT_INPUT,
                                               "month %d of point %zu is not 1 to 12", o->month[i],
                                               i + 1);
        }
        size_t k = 4 + 2 * (size_t)o->harmonics;
        if (n <= k)
                return err_set(e, EXIT_INPUT,
                               "%zu periods are too few for a model with %zu coefficients", n, k);
        if (o->time)
                for (size_t i = 0; i < n; i++)
                        if (!isfinite(o->time[i]) || (i > 0 && !(o->time[i] > o->time[i - 1])))
                                return err_set(e, EXIT_INPUT,
                                               "the times of the points must increase; point "
                                               "%zu does not",
                                               i + 1);
        if (o->lag >= 0 && (size_t)o->lag >= n)
                return err_set(e, EXIT_INPUT,
                               "the Newey-West lag (%d) must be less than the number of periods "
                               "(%zu)",
                               o->lag, n);
        if (!(o->level > 0 && o->level < 1))
                return err_set(e, EXIT_INPUT, "the confidence level must lie between 0 and 1");
        return 0;
}

/* Scores U (n × k, row t = e_t x_t) → Newey–West S with Bartlett weights up to lag L. */
static void newey_west_meat(const gsl_matrix *U, int lag, gsl_matrix *S)
{
        size_t n = U->size1, k = U->size2;
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, U, U, 0.0, S);
        gsl_matrix *C = gsl_matrix_alloc(k, k);
        for (int l = 1; l <= lag; l++) {
                double w = 1.0 - (double)l / (double)(lag + 1);
                gsl_matrix_const_view late =
                    gsl_matrix_const_submatrix(U, (size_t)l, 0, n - (size_t)l, k);
                gsl_matrix_const_view early = gsl_matrix_const_submatrix(U, 0, 0, n - (size_t)l, k);
                /* C = Σ_t u_t u_{t-l}'; S += w (C + C'). */
                gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &late.matrix, &early.matrix, 0.0, C);
                for (size_t i = 0; i < k; i++)
                        for (size_t j = 0; j < k; j++)
                                *gsl_matrix_ptr(S, i, j) +=
                                    w * (gsl_matrix_get(C, i, j) + gsl_matrix_get(C, j, i));
        }
        gsl_matrix_free(C);
}

int its_fit(const double *y, size_t n, size_t n_pre, const struct its_options *o,
            struct its_fit *out, struct err *e)
{
        memset(out, 0, sizeof *out);
        if (check_inputs(y, n, n_pre, o, e))
                return -1;
        size_t k = 4 + 2 * (size_t)o->harmonics;
        out->n = n;
        out->n_pre = n_pre;
        out->n_post = n - n_pre;
        out->k = k;
        out->lag = o->lag >= 0 ? o->lag : its_default_lag(n);
        out->df = (int)(n - k);
        out->level = o->level;
        out->tcrit = gsl_cdf_tdist_Pinv(1.0 - (1.0 - o->level) / 2.0, (double)out->df);

        gsl_matrix *X = gsl_matrix_alloc(n, k);
        gsl_matrix *QR = gsl_matrix_alloc(n, k);
        gsl_vector *yv = gsl_vector_alloc(n);
        gsl_vector *tau = gsl_vector_alloc(k);
        gsl_vector *bv = gsl_vector_alloc(k);
        gsl_vector *res = gsl_vector_alloc(n);
        gsl_matrix *Rinv = gsl_matrix_calloc(k, k);
        gsl_matrix *XtXi = gsl_matrix_alloc(k, k);
        gsl_matrix *U = gsl_matrix_alloc(n, k);
        gsl_matrix *S = gsl_matrix_alloc(k, k);
        gsl_matrix *T = gsl_matrix_alloc(k, k);
        gsl_matrix *V = gsl_matrix_alloc(k, k);
        int ret = -1;

        double row[ITS_MAX_K];
        for (size_t t = 0; t < n; t++) {
                design_row(row, t, n_pre, o);
                for (size_t j = 0; j < k; j++)
                        gsl_matrix_set(X, t, j, row[j]);
                gsl_vector_set(yv, t, y[t]);
        }
        gsl_matrix_memcpy(QR, X);
        gsl_linalg_QR_decomp(QR, tau);
        /* A tiny diagonal of R means a column is (nearly) a combination of the others. */
        double rmax = 0;
        for (size_t j = 0; j < k; j++)
                rmax = fmax(rmax, fabs(gsl_matrix_get(QR, j, j)));
        for (size_t j = 0; j < k; j++) {
                if (!(fabs(gsl_matrix_get(QR, j, j)) > 1e-10 * rmax)) {
                        err_set(e, EXIT_INPUT,
                                "the model cannot be fitted: its terms are not independent "
                                "(too few distinct periods or months for the seasonal terms)");
                        goto done;
                }
        }
        gsl_linalg_QR_lssolve(QR, tau, yv, bv, res);
        for (size_t i = 0; i < k; i++)
                for (size_t j = i; j < k; j++)
                        gsl_matrix_set(Rinv, i, j, gsl_matrix_get(QR, i, j));
        gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, Rinv);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, Rinv, Rinv, 0.0, XtXi);

        double ssr = 0, dwnum = 0;
        for (size_t t = 0; t < n; t++) {
                double et = gsl_vector_get(res, t);
                ssr += et * et;
                if (t > 0) {
                        double d = et - gsl_vector_get(res, t - 1);
                        dwnum += d * d;
                }
                for (size_t j = 0; j < k; j++)
                        gsl_matrix_set(U, t, j, et * gsl_matrix_get(X, t, j));
        }
        out->ssr = ssr;
        out->sigma2 = ssr / (double)(n - k);
        out->dw = ssr > 0 ? dwnum / ssr : NAN;

        newey_west_meat(U, out->lag, S);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, XtXi, S, 0.0, T);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, T, XtXi, 0.0, V);
        double factor = o->small_sample ? (double)n / (double)(n - k) : 1.0;
        for (size_t i = 0; i < k; i++) {
                out->b[i] = gsl_vector_get(bv, i);
                for (size_t j = 0; j < k; j++) {
                        out->cov_ols[i * k + j] = out->sigma2 * gsl_matrix_get(XtXi, i, j);
                        out->cov_nw[i * k + j] = factor * gsl_matrix_get(V, i, j);
                }
        }
        for (size_t i = 0; i < k; i++) {
                out->se_ols[i] = sqrt(out->cov_ols[i * k + i]);
                out->se_nw[i] = sqrt(out->cov_nw[i * k + i]);
                out->ci_low[i] = out->b[i] - out->tcrit * out->se_nw[i];
                out->ci_high[i] = out->b[i] + out->tcrit * out->se_nw[i];
        }

        double c[ITS_MAX_K] = {0};
        c[2] = 1.0;
        /* The mean of the slope term over the post-period: (n_post + 1)/2 for consecutive
         * periods. */
        for (size_t t = n_pre; t < n; t++) {
                design_row(row, t, n_pre, o);
                c[3] += row[3] / (double)out->n_post;
        }
        out->effect = out->b[2] + out->b[3] * c[3];
        out->effect_se = sqrt(quad(c, out->cov_nw, k));
        out->effect_se_ols = sqrt(quad(c, out->cov_ols, k));
        out->effect_low = out->effect - out->tcrit * out->effect_se;
        out->effect_high = out->effect + out->tcrit * out->effect_se;
        out->effect_p = out->effect_se > 0
                            ? 2.0 * gsl_cdf_tdist_Q(fabs(out->effect) / out->effect_se, out->df)
                            : (out->effect == 0 ? 1.0 : 0.0);

        out->fitted = xmalloc(n * sizeof *out->fitted);
        out->counterfactual = xmalloc(n * sizeof *out->counterfactual);
        out->effect_t = xmalloc(n * sizeof *out->effect_t);
        out->effect_low_t = xmalloc(n * sizeof *out->effect_low_t);
        out->effect_high_t = xmalloc(n * sizeof *out->effect_high_t);
        double pre_sum = 0, pre_sq = 0, post_sq = 0;
        for (size_t t = 0; t < n; t++) {
                design_row(row, t, n_pre, o);
                double fit = 0, cf = 0;
                for (size_t j = 0; j < k; j++) {
                        fit += out->b[j] * row[j];
                        if (j != 2 && j != 3)
                                cf += out->b[j] * row[j];
                }
                out->fitted[t] = fit;
                out->counterfactual[t] = cf;
                if (t < n_pre) {
                        out->effect_t[t] = out->effect_low_t[t] = out->effect_high_t[t] = NAN;
                        pre_sum += y[t];
                        pre_sq += (y[t] - fit) * (y[t] - fit);
                        continue;
                }
                double ct[ITS_MAX_K] = {0};
                ct[2] = 1.0;
                ct[3] = row[3];
                double eff = out->b[2] + out->b[3] * row[3];
                double se = sqrt(quad(ct, out->cov_nw, k));
                out->effect_t[t] = eff;
                out->effect_low_t[t] = eff - out->tcrit * se;
                out->effect_high_t[t] = eff + out->tcrit * se;
                post_sq += (y[t] - cf) * (y[t] - cf);
        }
        out->pre_mean = pre_sum / (double)n_pre;
        out->pre_rmspe = sqrt(pre_sq / (double)n_pre);
        out->post_rmspe = sqrt(post_sq / (double)out->n_post);
        out->poor_fit = out->pre_rmspe > ITS_POOR_FIT_SHARE * fabs(out->pre_mean);
        if (out->poor_fit)
                warn(out,
                     "the trend line fits the periods before the change poorly (pre-period "
                     "RMSPE %.3g is more than %.0f%% of the pre-period mean %.3g)",
                     out->pre_rmspe, 100 * ITS_POOR_FIT_SHARE, out->pre_mean);
        if (isfinite(out->dw) && (out->dw < 1.0 || out->dw > 3.0))
                warn(out,
                     "the residuals are strongly autocorrelated (Durbin-Watson %.2f, far from "
                     "2); the Newey-West intervals allow for some of this, but read them with "
                     "caution",
                     out->dw);
        ret = 0;
done:
        gsl_matrix_free(X);
        gsl_matrix_free(QR);
        gsl_vector_free(yv);
        gsl_vector_free(tau);
        gsl_vector_free(bv);
        gsl_vector_free(res);
        gsl_matrix_free(Rinv);
        gsl_matrix_free(XtXi);
        gsl_matrix_free(U);
        gsl_matrix_free(S);
        gsl_matrix_free(T);
        gsl_matrix_free(V);
        if (ret)
                its_fit_release(out);
        return ret;
}
