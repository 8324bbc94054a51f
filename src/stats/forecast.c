/*
 * forecast.c — the stock-and-flow Markov model of statistics.md §6 over plain
 * numbers: states and their labels, rates, daily probabilities, the mean and
 * covariance recursion with the analytic interval, and the monthly forecast
 * that ties estimation, scenario, projection and bootstrap together.
 *
 * The covariance step uses BLAS (dgemm through gsl_blas) on the in-care
 * block: "left care" is absorbing, so nothing flows out of it and the in-care
 * part of Σ never depends on it.  The update
 *
 *      Σ' = P'ΣP + Σ_s m_s (diag(P_s) − P_s'P_s) + diag(μ)
 *
 * is computed in the equal form Σ' = P'(Σ − diag(m))P + diag(m'), because
 * Σ_s m_s diag(P_s) = diag(mP), Σ_s m_s P_s'P_s = P' diag(m) P and
 * m' = mP + μ; that is two matrix products a day.
 */
#include "stats/forecast.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/forecast_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ states */

static void set_name(char *dst, const char *src)
{
        snprintf(dst, FORECAST_NAME_MAX, "%s", src);
}

void forecast_states_default(struct forecast_states *st)
{
        static const int lo[] = {0, 1, 5, 10, 16, FORECAST_LEAVING_AGE};
        memset(st, 0, sizeof *st);
        st->nbands = 5;
        memcpy(st->band_lo, lo, sizeof lo);
        st->ncats = 4;
        set_name(st->cat_name[0], "fostering");
        st->cat_codes[0] = "U1 U2 U3 U4 U5 U6";
        set_name(st->cat_name[1], "residential");
        st->cat_codes[1] = "K1 K2 R1";
        set_name(st->cat_name[2], "supported");
        st->cat_codes[2] = "H5 P2 K3";
        set_name(st->cat_name[3], "other");
        st->cat_codes[3] = NULL;
        for (size_t b = 0; b < st->nbands; b++)
                for (size_t c = 0; c < st->ncats; c++)
                        st->allowed[b][c] = 1;
        /* residential under 5; supported under 10 */
        st->allowed[0][1] = st->allowed[1][1] = 0;
        st->allowed[0][2] = st->allowed[1][2] = st->allowed[2][2] = 0;
}

static void band_name(char *out, int lo, int hi_excl)
{
        if (hi_excl - lo == 1)
                snprintf(out, FORECAST_NAME_MAX, "%d", lo);
        else
                snprintf(out, FORECAST_NAME_MAX, "%d-%d", lo, hi_excl - 1);
}

int forecast_states_finish(struct forecast_states *st, struct err *e)
{
        if (st->nbands < 1 || st->nbands > FORECAST_MAX_BANDS)
                return err_set(e, EXIT_USAGE, "forecast: between 1 and %d age bands are needed",
                               FORECAST_MAX_BANDS);
        if (st->ncats < 1 || st->ncats > FORECAST_MAX_CATS)
                return err_set(e, EXIT_USAGE,
                               "forecast: between 1 and %d placement categories are needed",
                               FORECAST_MAX_CATS);
        if (st->band_lo[0] != 0 || st->band_lo[st->nbands] != FORECAST_LEAVING_AGE)
                return err_set(e, EXIT_USAGE,
                               "forecast: age bands must run from 0 to %d without gaps",
                               FORECAST_LEAVING_AGE - 1);
        for (size_t b = 0; b < st->nbands; b++)
                if (st->band_lo[b + 1] <= st->band_lo[b])
                        return err_set(e, EXIT_USAGE,
                                       "forecast: age bands must be increasing and not empty");
        for (size_t c = 0; c < st->ncats; c++) {
                const char *nm = st->cat_name[c];
                if (!*nm || strpbrk(nm, ":, "))
                        return err_set(e, EXIT_USAGE,
                                       "forecast: category %zu needs a name without ':', ',' or "
                                       "spaces",
                                       c + 1);
                for (size_t d = 0; d < c; d++)
                        if (strcmp(nm, st->cat_name[d]) == 0)
                                return err_set(e, EXIT_USAGE,
                                               "forecast: category '%s' is named twice", nm);
        }
        size_t last = st->ncats - 1;
        size_t n = 0;
        for (size_t b = 0; b < st->nbands; b++) {
                band_name(st->band_name[b], st->band_lo[b], st->band_lo[b + 1]);
                if (!st->allowed[b][last])
                        return err_set(e, EXIT_USAGE,
                                       "forecast: '%s:%s' must stay allowed: disallowed "
                                       "combinations map to it",
                                       st->band_name[b], st->cat_name[last]);
                for (size_t c = 0; c < st->ncats; c++) {
                        if (!st->allowed[b][c]) {
                                st->index[b][c] = -1;
                                continue;
                        }
                        st->index[b][c] = (int)n;
                        st->band_of[n] = (int)b;
                        st->cat_of[n] = (int)c;
                        snprintf(st->label[n], FORECAST_LABEL_MAX, "%s:%s", st->band_name[b],
                                 st->cat_name[c]);
                        n++;
                }
        }
        st->band_of[n] = st->cat_of[n] = -1;
        snprintf(st->label[n], FORECAST_LABEL_MAX, "left");
        st->n = n + 1;
        st->nin = n;
        return 0;
}

int forecast_states_set_bands(struct forecast_states *st, const char *spec, struct err *e)
{
        int lo[FORECAST_MAX_BANDS + 1];
        size_t nb = 0;
        int expect = 0;
        const char *p = spec;
        while (*p) {
                char *end;
                long a = strtol(p, &end, 10), b;
                if (end == p)
                        goto bad;
                if (*end == '-') {
                        const char *q = end + 1;
                        b = strtol(q, &end, 10);
                        if (end == q)
                                goto bad;
                } else {
                        b = a;
                }
                if (a != expect || b < a || nb == FORECAST_MAX_BANDS)
                        goto bad;
                lo[nb++] = (int)a;
                expect = (int)b + 1;
                if (*end == ',' && end[1])
                        end++;
                else if (*end)
                        goto bad;
                p = end;
        }
        if (nb == 0 || expect != FORECAST_LEAVING_AGE)
                goto bad;
        lo[nb] = FORECAST_LEAVING_AGE;
        st->nbands = nb;
        memcpy(st->band_lo, lo, (nb + 1) * sizeof lo[0]);
        for (size_t b = 0; b < nb; b++)
                for (size_t c = 0; c < st->ncats; c++)
                        st->allowed[b][c] = 1;
        return 0;
bad:
        return err_set(e, EXIT_USAGE,
                       "forecast: bad age bands '%s': expected contiguous bands from 0 to 17 "
                       "such as 0,1-4,5-9,10-15,16-17 (at most %d)",
                       spec, FORECAST_MAX_BANDS);
}

int forecast_states_set_allowed(struct forecast_states *st, const char *spec, int allowed,
                                struct err *e)
{
        char names[FORECAST_MAX_BANDS][FORECAST_NAME_MAX];
        for (size_t b = 0; b < st->nbands; b++)
                band_name(names[b], st->band_lo[b], st->band_lo[b + 1]);
        const char *p = spec;
        while (*p) {
                size_t len = strcspn(p, ",");
                const char *colon = memchr(p, ':', len);
                int found = 0;
                if (colon) {
                        size_t bl = (size_t)(colon - p), cl = len - bl - 1;
                        for (size_t b = 0; b < st->nbands && !found; b++) {
                                if (strlen(names[b]) != bl || memcmp(names[b], p, bl) != 0)
                                        continue;
                                for (size_t c = 0; c < st->ncats; c++)
                                        if (strlen(st->cat_name[c]) == cl &&
                                            memcmp(st->cat_name[c], colon + 1, cl) == 0) {
                                                st->allowed[b][c] = (unsigned char)(allowed != 0);
                                                found = 1;
                                                break;
                                        }
                        }
                }
                if (!found)
                        return err_set(e, EXIT_USAGE,
                                       "forecast: unknown state '%.*s': expected "
                                       "<band>:<category> such as 1-4:residential",
                                       (int)len, p);
                p += len;
                if (*p == ',')
                        p++;
        }
        return 0;
}

int forecast_band_of_age(const struct forecast_states *st, int age)
{
        if (age < 0 || age >= st->band_lo[st->nbands])
                return -1;
        size_t b = 0;
        while (age >= st->band_lo[b + 1])
                b++;
        return (int)b;
}

/* 1 if `code` is one of the space-separated words of `list`. */
static int in_list(const char *list, const char *code)
{
        size_t n = strlen(code);
        for (const char *p = list; *p;) {
                p += strspn(p, " ");
                size_t len = strcspn(p, " ");
                if (len == n && len && memcmp(p, code, n) == 0)
                        return 1;
                p += len;
        }
        return 0;
}

int forecast_category_of_place(const struct forecast_states *st, const char *place)
{
        if (place && *place)
                for (size_t c = 0; c + 1 < st->ncats; c++)
                        if (st->cat_codes[c] && in_list(st->cat_codes[c], place))
                                return (int)c;
        return (int)st->ncats - 1;
}

int forecast_state(const struct forecast_states *st, int band, int cat)
{
        int s = st->index[band][cat];
        return s >= 0 ? s : st->index[band][st->ncats - 1];
}

int forecast_state_by_label(const struct forecast_states *st, const char *label)
{
        for (size_t s = 0; s < st->n; s++)
                if (strcmp(st->label[s], label) == 0)
                        return (int)s;
        return -1;
}

/* ------------------------------------------------------ the chain over numbers */

int forecast_rates(size_t ns, const double *exposure, const double *N, double *rate,
                   size_t *inconsistent, struct err *e)
{
        size_t bad = 0;
        for (size_t s = 0; s < ns; s++) {
                if (!isfinite(exposure[s]) || exposure[s] < 0)
                        return err_set(e, EXIT_USAGE,
                                       "forecast: exposure of state %zu is not a non-negative "
                                       "number",
                                       s + 1);
                for (size_t r = 0; r < ns; r++)
                        if (!isfinite(N[s * ns + r]) || N[s * ns + r] < 0)
                                return err_set(e, EXIT_USAGE,
                                               "forecast: transition count %zu->%zu is not a "
                                               "non-negative number",
                                               s + 1, r + 1);
        }
        for (size_t s = 0; s < ns; s++) {
                int out = 0;
                for (size_t r = 0; r < ns; r++) {
                        double v = 0;
                        if (r != s && s + 1 < ns && exposure[s] > 0)
                                v = N[s * ns + r] / exposure[s];
                        if (r != s && N[s * ns + r] > 0)
                                out = 1;
                        rate[s * ns + r] = v;
                }
                if (out && !(exposure[s] > 0))
                        bad++;
        }
        if (inconsistent)
                *inconsistent = bad;
        return 0;
}

void forecast_probabilities(size_t ns, const double *rate, double *P)
{
        for (size_t s = 0; s < ns; s++) {
                double total = 0;
                for (size_t r = 0; r < ns; r++)
                        if (r != s)
                                total += rate[s * ns + r];
                if (s + 1 == ns || !(total > 0)) {
                        for (size_t r = 0; r < ns; r++)
                                P[s * ns + r] = r == s;
                        continue;
                }
                double leave = -expm1(-total);
                for (size_t r = 0; r < ns; r++)
                        P[s * ns + r] = r == s ? 1 - leave : leave * rate[s * ns + r] / total;
        }
}

void forecast_add_ageing(const struct forecast_states *st, double *rate)
{
        size_t ns = st->n;
        for (size_t s = 0; s < st->nin; s++) {
                int b = st->band_of[s], c = st->cat_of[s];
                double years = st->band_lo[b + 1] - st->band_lo[b];
                size_t to =
                    (size_t)b + 1 < st->nbands ? (size_t)forecast_state(st, b + 1, c) : ns - 1;
                rate[s * ns + to] += 1 / (years * FORECAST_DAYS_PER_YEAR);
        }
}

static int check_days(const int *days, size_t ndays, struct err *e)
{
        for (size_t k = 0; k < ndays; k++)
                if (days[k] < 0 || (k > 0 && days[k] <= days[k - 1]))
                        return err_set(e, EXIT_USAGE,
                                       "forecast: days to report must be increasing from 0");
        return 0;
}

int forecast_project(size_t ns, const double *P, const double *mu, const double *m0,
                     const double *cov0, const int *days, size_t ndays, double *mean, double *cov,
                     struct err *e)
{
        if (ns < 2)
                return err_set(e, EXIT_USAGE, "forecast: at least one in-care state is needed");
        if (check_days(days, ndays, e) != 0)
                return -1;
        size_t n = ns - 1;
        gsl_matrix_const_view Q = gsl_matrix_const_view_array_with_tda(P, n, n, ns);
        gsl_vector *m = gsl_vector_alloc(n), *mn = gsl_vector_alloc(n);
        gsl_matrix *S = gsl_matrix_calloc(n, n), *A = gsl_matrix_alloc(n, n),
                   *T = gsl_matrix_alloc(n, n);
        if (!m || !mn || !S || !A || !T) {
                gsl_vector_free(m);
                gsl_vector_free(mn);
                gsl_matrix_free(S);
                gsl_matrix_free(A);
                gsl_matrix_free(T);
                return err_set(e, EXIT_INTERNAL, "forecast: out of memory");
        }
        for (size_t i = 0; i < n; i++)
                gsl_vector_set(m, i, m0[i]);
        if (cov0)
                for (size_t i = 0; i < n; i++)
                        for (size_t j = 0; j < n; j++)
                                gsl_matrix_set(S, i, j, cov0[i * n + j]);
        size_t k = 0;
        for (int t = 0; k < ndays; t++) {
                if (t == days[k]) {
                        for (size_t i = 0; i < n; i++)
                                mean[k * n + i] = gsl_vector_get(m, i);
                        if (cov)
                                for (size_t i = 0; i < n; i++)
                                        for (size_t j = 0; j < n; j++)
                                                cov[(k * n + i) * n + j] = gsl_matrix_get(S, i, j);
                        if (++k == ndays)
                                break;
                }
                /* A = Σ − diag(m); Σ' = Q'(A Q) + diag(m') with m' = Q'm + μ */
                gsl_matrix_memcpy(A, S);
                for (size_t i = 0; i < n; i++)
                        *gsl_matrix_ptr(A, i, i) -= gsl_vector_get(m, i);
                gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, &Q.matrix, 0.0, T);
                gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &Q.matrix, T, 0.0, S);
                gsl_blas_dgemv(CblasTrans, 1.0, &Q.matrix, m, 0.0, mn);
                for (size_t i = 0; i < n; i++) {
                        double v = gsl_vector_get(mn, i) + mu[i];
                        gsl_vector_set(mn, i, v);
                        *gsl_matrix_ptr(S, i, i) += v;
                }
                gsl_vector_swap(m, mn);
        }
        gsl_vector_free(m);
        gsl_vector_free(mn);
        gsl_matrix_free(S);
        gsl_matrix_free(A);
        gsl_matrix_free(T);
        return 0;
}

void forecast_interval(double mean, double sd, double *lower, double *upper)
{
        *lower = mean - FORECAST_Z95 * sd;
        if (*lower < 0)
                *lower = 0;
        *upper = mean + FORECAST_Z95 * sd;
}

/* ------------------------------------------------------------ the monthly forecast */

void forecast_options_default(struct forecast_options *o)
{
        memset(o, 0, sizeof *o);
        o->horizon_months = 36;
        o->scenario.entrants = o->scenario.leaving = o->scenario.moves = 1;
        o->bootstrap = FORECAST_BOOT_NONE;
        o->replicates = FORECAST_MIN_REPLICATES;
        o->seed = 1;
}

size_t forecast_chain(const struct forecast_states *st, const double *exposure, const double *N,
                      const double *entries, double days, const struct forecast_scenario *sc,
                      double *rate, double *P, double *mu)
{
        size_t ns = st->n, zero = 0;
        /* Counts from forecast_estimate() are valid, so this cannot fail. */
        forecast_rates(ns, exposure, N, rate, NULL, NULL);
        for (size_t s = 0; s + 1 < ns; s++) {
                if (!(exposure[s] > 0))
                        zero++;
                for (size_t r = 0; r < ns; r++)
                        rate[s * ns + r] *= r + 1 == ns ? sc->leaving : sc->moves;
                mu[s] = days > 0 ? entries[s] / days * sc->entrants : 0;
        }
        mu[ns - 1] = 0;
        forecast_add_ageing(st, rate);
        forecast_probabilities(ns, rate, P);
        return zero;
}

void forecast_result_release(struct forecast_result *r)
{
        free(r->month_end);
        free(r->day);
        free(r->start_stock);
        free(r->rate);
        free(r->P);
        free(r->mu);
        free(r->mean);
        free(r->sd);
        free(r->lower);
        free(r->upper);
        free(r->boot_mean);
        free(r->boot_sd);
        free(r->boot_lower);
        free(r->boot_upper);
        memset(r, 0, sizeof *r);
}

static int check_factor(double v, const char *what, struct err *e)
{
        if (!isfinite(v) || v < 0)
                return err_set(e, EXIT_USAGE,
                               "forecast: scenario factor for %s must be a number >= 0", what);
        return 0;
}

/* Summaries of simulated paths sim[(i*months + k)*(nin+1) + c] into r->boot_*. */
static void summarise_boot(struct forecast_result *r, const double *sim, size_t reps)
{
        size_t w = r->nin + 1, cells = r->months * w;
        r->replicates = reps;
        r->boot_mean = xcalloc(cells, sizeof(double));
        r->boot_sd = xcalloc(cells, sizeof(double));
        r->boot_lower = xcalloc(cells, sizeof(double));
        r->boot_upper = xcalloc(cells, sizeof(double));
        double *v = xmalloc(reps * sizeof *v);
        for (size_t cell = 0; cell < cells; cell++) {
                for (size_t i = 0; i < reps; i++)
                        v[i] = sim[i * cells + cell];
                forecast_summary(v, reps, &r->boot_mean[cell], &r->boot_sd[cell],
                                 &r->boot_lower[cell], &r->boot_upper[cell]);
        }
        free(v);
}

int forecast_run(const struct forecast_states *st, const struct forecast_estimate *est,
                 const double *stock, date_t start, const struct forecast_options *o,
                 struct forecast_result *res, struct err *e)
{
        memset(res, 0, sizeof *res);
        if (st->n < 2 || est->ns != st->n)
                return err_set(e, EXIT_USAGE,
                               "forecast: the estimate does not match the states (finish them "
                               "before estimating)");
        if (o->horizon_months < 1 || o->horizon_months > 600)
                return err_set(e, EXIT_USAGE, "forecast: horizon must be 1 to 600 months, not %d",
                               o->horizon_months);
        if (check_factor(o->scenario.entrants, "entrants", e) ||
            check_factor(o->scenario.leaving, "leaving", e) ||
            check_factor(o->scenario.moves, "placement moves", e))
                return -1;
        if (o->bootstrap != FORECAST_BOOT_NONE && o->replicates < FORECAST_MIN_REPLICATES)
                return err_set(e, EXIT_USAGE,
                               "forecast: the bootstrap needs at least %d replicates",
                               FORECAST_MIN_REPLICATES);
        for (size_t s = 0; s < st->n; s++)
                if (!isfinite(stock[s]) || stock[s] < 0)
                        return err_set(e, EXIT_USAGE,
                                       "forecast: the starting stock must be numbers >= 0");

        size_t ns = st->n, nin = st->nin, H = (size_t)o->horizon_months, w = nin + 1;
        res->ns = ns;
        res->nin = nin;
        res->months = H;
        res->start = start;
        res->start_stock = xmalloc(ns * sizeof(double));
        memcpy(res->start_stock, stock, ns * sizeof(double));
        res->start_stock[ns - 1] = 0;
        res->rate = xcalloc(ns * ns, sizeof(double));
        res->P = xcalloc(ns * ns, sizeof(double));
        res->mu = xcalloc(ns, sizeof(double));
        res->zero_exposure = forecast_chain(st, est->exposure, est->trans, est->entries, est->days,
                                            &o->scenario, res->rate, res->P, res->mu);

        res->month_end = xmalloc(H * sizeof(date_t));
        res->day = xmalloc(H * sizeof(int));
        date_t d = start;
        for (size_t k = 0; k < H; k++) {
                d = date_month_end(d + 1);
                res->month_end[k] = d;
                res->day[k] = d - start;
        }

        double *mean = xmalloc(H * nin * sizeof(double));
        double *cov = xmalloc(H * nin * nin * sizeof(double));
        if (forecast_project(ns, res->P, res->mu, res->start_stock, NULL, res->day, H, mean, cov,
                             e) != 0) {
                free(mean);
                free(cov);
                forecast_result_release(res);
                return -1;
        }
        res->mean = xcalloc(H * w, sizeof(double));
        res->sd = xcalloc(H * w, sizeof(double));
        res->lower = xcalloc(H * w, sizeof(double));
        res->upper = xcalloc(H * w, sizeof(double));
        for (size_t k = 0; k < H; k++) {
                const double *m = mean + k * nin, *S = cov + k * nin * nin;
                double tm = 0, tv = 0;
                for (size_t i = 0; i < nin; i++) {
                        tm += m[i];
                        for (size_t j = 0; j < nin; j++)
                                tv += S[i * nin + j];
                        res->mean[k * w + i] = m[i];
                        res->sd[k * w + i] = sqrt(fmax(S[i * nin + i], 0));
                }
                res->mean[k * w + nin] = tm;
                res->sd[k * w + nin] = sqrt(fmax(tv, 0));
                for (size_t i = 0; i < w; i++)
                        forecast_interval(res->mean[k * w + i], res->sd[k * w + i],
                                          &res->lower[k * w + i], &res->upper[k * w + i]);
        }
        free(mean);
        free(cov);

        if (o->bootstrap != FORECAST_BOOT_NONE) {
                size_t reps = o->replicates;
                double *sim = xmalloc(reps * H * w * sizeof(double));
                if (o->bootstrap == FORECAST_BOOT_PROCESS) {
                        if (forecast_simulate(ns, res->P, res->mu, res->start_stock, res->day, H,
                                              reps, o->seed, sim, e) != 0) {
                                free(sim);
                                forecast_result_release(res);
                                return -1;
                        }
                } else {
                        forecast_simulate_parameters(st, est, &o->scenario, res->start_stock,
                                                     res->day, H, reps, o->seed, sim);
                }
                summarise_boot(res, sim, reps);
                free(sim);
        }
        return 0;
}

int forecast_write_csv(FILE *f, const struct forecast_states *st, const struct forecast_result *r,
                       int boot)
{
        const double *mean = boot ? r->boot_mean : r->mean;
        const double *lo = boot ? r->boot_lower : r->lower;
        const double *hi = boot ? r->boot_upper : r->upper;
        if (!mean)
                return -1;
        size_t w = r->nin + 1;
        fputs("month,state,projected,lower,upper\n", f);
        for (size_t k = 0; k < r->months; k++) {
                char iso[11];
                date_format_iso(r->month_end[k], iso);
                for (size_t i = 0; i < w; i++) {
                        size_t c = k * w + i;
                        fprintf(f, "%s,%s,%.1f,%.0f,%.0f\n", iso,
                                i < r->nin ? st->label[i] : "total", mean[c], round(lo[c]),
                                round(hi[c]));
                }
        }
        return ferror(f) ? -1 : 0;
}
