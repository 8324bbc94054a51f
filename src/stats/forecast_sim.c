/*
 * forecast_sim.c — the bootstrap options of statistics.md §6.4: children
 * simulated one day at a time with GSL's generators (process noise), and
 * children resampled from the reference window before each simulated path
 * (parameter noise).  Percentiles are R type 7, which is what
 * gsl_stats_quantile_from_sorted_data computes.
 *
 * A day's moves out of a state are one multinomial draw over the row of P.
 * Rows are sparse and nearly all of their mass stays put (P_ss ≈ 0.997), so
 * the draw is made in two equal-in-law stages: the number who move,
 * Binomial(n, 1 − P_ss), then their destinations, Multinomial over the other
 * entries of the row.  Most days nobody moves and the second stage is skipped,
 * which keeps 2000 replicates of three years to about a second.  Arrivals
 * likewise: independent Poisson(μ_s) counts are one Poisson(Σμ) total split
 * by a multinomial in proportion to μ, one draw a day instead of one a state.
 */
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/forecast.h"
#include "stats/forecast_int.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void forecast_moves_init(struct forecast_moves *mv, size_t ns, const double *P)
{
        mv->ns = ns;
        mv->pmove = xcalloc(ns, sizeof(double));
        mv->k = xcalloc(ns, sizeof(size_t));
        mv->to = xcalloc(ns * ns, 1);
        mv->p = xcalloc(ns * ns, sizeof(double));
        for (size_t s = 0; s + 1 < ns; s++) {
                double out = 0;
                for (size_t r = 0; r < ns; r++) {
                        if (r == s || !(P[s * ns + r] > 0))
                                continue;
                        mv->to[s * ns + mv->k[s]] = (unsigned char)r;
                        mv->p[s * ns + mv->k[s]] = P[s * ns + r];
                        mv->k[s]++;
                        out += P[s * ns + r];
                }
                /* The off-diagonal sum, not 1 − P_ss: no cancellation for tiny rates. */
                mv->pmove[s] = out > 1 ? 1 : out;
        }
}

void forecast_moves_release(struct forecast_moves *mv)
{
        free(mv->pmove);
        free(mv->k);
        free(mv->to);
        free(mv->p);
        memset(mv, 0, sizeof *mv);
}

void forecast_simulate_path(const struct forecast_moves *mv, const double *mu, const double *m0,
                            const int *days, size_t ndays, gsl_rng *rng, double *out)
{
        size_t ns = mv->ns, nin = ns - 1;
        unsigned int x[FORECAST_MAX_STATES], nx[FORECAST_MAX_STATES], cnt[FORECAST_MAX_STATES];
        for (size_t s = 0; s < nin; s++)
                x[s] = m0[s] > 0 ? (unsigned int)lround(m0[s]) : 0;
        double mutotal = 0;
        for (size_t s = 0; s < nin; s++)
                mutotal += mu[s];
        size_t k = 0;
        for (int t = 0; k < ndays; t++) {
                if (t == days[k]) {
                        double total = 0;
                        for (size_t s = 0; s < nin; s++) {
                                out[k * (nin + 1) + s] = x[s];
                                total += x[s];
                        }
                        out[k * (nin + 1) + nin] = total;
                        if (++k == ndays)
                                break;
                }
                memset(nx, 0, nin * sizeof nx[0]);
                for (size_t s = 0; s < nin; s++) {
                        if (!x[s])
                                continue;
                        unsigned int movers =
                            mv->k[s] ? gsl_ran_binomial(rng, mv->pmove[s], x[s]) : 0;
                        nx[s] += x[s] - movers;
                        if (!movers)
                                continue;
                        const unsigned char *to = mv->to + s * ns;
                        if (mv->k[s] == 1) {
                                cnt[0] = movers;
                        } else {
                                gsl_ran_multinomial(rng, mv->k[s], movers, mv->p + s * ns, cnt);
                        }
                        for (size_t j = 0; j < mv->k[s]; j++)
                                if (to[j] < nin)
                                        nx[to[j]] += cnt[j];
                }
                if (mutotal > 0) {
                        unsigned int arrivals = gsl_ran_poisson(rng, mutotal);
                        if (arrivals) {
                                gsl_ran_multinomial(rng, nin, arrivals, mu, cnt);
                                for (size_t s = 0; s < nin; s++)
                                        nx[s] += cnt[s];
                        }
                }
                memcpy(x, nx, nin * sizeof x[0]);
        }
}

static gsl_rng *new_rng(unsigned long seed)
{
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (rng)
                gsl_rng_set(rng, seed);
        return rng;
}

int forecast_simulate(size_t ns, const double *P, const double *mu, const double *m0,
                      const int *days, size_t ndays, size_t replicates, unsigned long seed,
                      double *out, struct err *e)
{
        if (ns < 2 || ns > FORECAST_MAX_STATES)
                return err_set(e, EXIT_USAGE, "forecast: 2 to %d states are needed",
                               FORECAST_MAX_STATES);
        for (size_t k = 0; k < ndays; k++)
                if (days[k] < 0 || (k > 0 && days[k] <= days[k - 1]))
                        return err_set(e, EXIT_USAGE,
                                       "forecast: days to report must be increasing from 0");
        for (size_t s = 0; s + 1 < ns; s++)
                if (!isfinite(mu[s]) || mu[s] < 0 || !isfinite(m0[s]) || m0[s] < 0 || m0[s] > 1e9)
                        return err_set(e, EXIT_USAGE,
                                       "forecast: entrants and starting stock must be numbers "
                                       ">= 0");
        gsl_rng *rng = new_rng(seed);
        if (!rng)
                return err_set(e, EXIT_INTERNAL, "forecast: out of memory");
        struct forecast_moves mv;
        forecast_moves_init(&mv, ns, P);
        size_t w = ns;
        for (size_t i = 0; i < replicates; i++)
                forecast_simulate_path(&mv, mu, m0, days, ndays, rng, out + i * ndays * w);
        forecast_moves_release(&mv);
        gsl_rng_free(rng);
        return 0;
}

void forecast_simulate_parameters(const struct forecast_states *st,
                                  const struct forecast_estimate *est,
                                  const struct forecast_scenario *sc, const double *stock,
                                  const int *days, size_t ndays, size_t replicates,
                                  unsigned long seed, double *out)
{
        size_t ns = st->n;
        /* The children of the window: runs of contributions with the same child. */
        size_t nchild = 0;
        size_t *group = xmalloc((est->ncontrib + 1) * sizeof *group);
        for (size_t i = 0; i < est->ncontrib; i++)
                if (i == 0 || est->contrib[i].child != est->contrib[i - 1].child)
                        group[nchild++] = i;
        group[nchild] = est->ncontrib;

        gsl_rng *rng = new_rng(seed);
        if (!rng) {
                free(group);
                return;
        }
        unsigned int *weight = xcalloc(nchild ? nchild : 1, sizeof *weight);
        double *E = xmalloc(ns * sizeof *E), *N = xmalloc(ns * ns * sizeof *N);
        double *in = xmalloc(ns * sizeof *in), *rate = xmalloc(ns * ns * sizeof *rate);
        double *P = xmalloc(ns * ns * sizeof *P), *mu = xmalloc(ns * sizeof *mu);
        for (size_t i = 0; i < replicates; i++) {
                memset(weight, 0, (nchild ? nchild : 1) * sizeof *weight);
                for (size_t j = 0; j < nchild; j++)
                        weight[gsl_rng_uniform_int(rng, nchild)]++;
                memset(E, 0, ns * sizeof *E);
                memset(N, 0, ns * ns * sizeof *N);
                memset(in, 0, ns * sizeof *in);
                for (size_t g = 0; g < nchild; g++) {
                        if (!weight[g])
                                continue;
                        for (size_t c = group[g]; c < group[g + 1]; c++) {
                                const struct forecast_contrib *ct = &est->contrib[c];
                                double v = weight[g] * ct->amount;
                                if (ct->kind == FORECAST_EXPOSURE)
                                        E[ct->s] += v;
                                else if (ct->kind == FORECAST_TRANSITION)
                                        N[ct->s * ns + ct->r] += v;
                                else
                                        in[ct->s] += v;
                        }
                }
                forecast_chain(st, E, N, in, est->days, sc, rate, P, mu);
                struct forecast_moves mv;
                forecast_moves_init(&mv, ns, P);
                forecast_simulate_path(&mv, mu, stock, days, ndays, rng, out + i * ndays * ns);
                forecast_moves_release(&mv);
        }
        free(weight);
        free(E);
        free(N);
        free(in);
        free(rate);
        free(P);
        free(mu);
        free(group);
        gsl_rng_free(rng);
}

void forecast_summary(double *v, size_t n, double *mean, double *sd, double *p025, double *p975)
{
        if (n == 0) {
                *mean = *sd = *p025 = *p975 = NAN;
                return;
        }
        *mean = gsl_stats_mean(v, 1, n);
        *sd = n > 1 ? gsl_stats_sd_m(v, 1, n, *mean) : 0;
        gsl_sort(v, 1, n);
        *p025 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.025);
        *p975 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.975);
}
