/*
 * forecast_int.h — what the forecast files share and nobody else needs.
 */
#ifndef IMPROVE_FORECAST_INT_H
#define IMPROVE_FORECAST_INT_H

#include "stats/forecast.h"

#include <gsl/gsl_rng.h>

/*
 * The chain of §6.3 from counts: rates by occurrence/exposure scaled by the
 * scenario, ageing added, then P; mu = entries/days × scenario.entrants.
 * rate and P are ns × ns, mu ns.  Returns the number of in-care states with
 * no exposure.
 */
size_t forecast_chain(const struct forecast_states *st, const double *exposure, const double *N,
                      const double *entries, double days, const struct forecast_scenario *sc,
                      double *rate, double *P, double *mu);

/*
 * Sparse moves of each in-care state, prepared once per P for the simulation:
 * the probability of leaving the state and the targets with their
 * probabilities (left care included; gsl_ran_multinomial normalises them).
 */
struct forecast_moves {
        size_t ns;
        double *pmove;     /* [ns] */
        size_t *k;         /* [ns] targets */
        unsigned char *to; /* [ns*ns] */
        double *p;         /* [ns*ns] */
};
void forecast_moves_init(struct forecast_moves *mv, size_t ns, const double *P);
void forecast_moves_release(struct forecast_moves *mv);

/*
 * One simulated path from m0 (whole children) recording the in-care counts
 * and the total at each requested day into out[k*(nin+1) + s].
 */
void forecast_simulate_path(const struct forecast_moves *mv, const double *mu, const double *m0,
                            const int *days, size_t ndays, gsl_rng *rng, double *out);

/*
 * Parameter bootstrap (§6.4 b): each replicate resamples the children of est
 * with replacement, re-estimates the chain and simulates one path from
 * `stock`.  out as for forecast_simulate.
 */
void forecast_simulate_parameters(const struct forecast_states *st,
                                  const struct forecast_estimate *est,
                                  const struct forecast_scenario *sc, const double *stock,
                                  const int *days, size_t ndays, size_t replicates,
                                  unsigned long seed, double *out);

#endif
