/*
 * sc_int.h — what sc.c, sc_inner.c and sc_outer.c share and nobody else needs.
 *
 * Every inner problem is written in the treated-centred form: with
 * M = A - b·1' (each donor column minus the target), ||A w - b||² = ||M w||²
 * whenever Σw = 1, which holds at every iterate (projections are on the
 * simplex and FISTA's extrapolation is an affine combination).  This removes
 * the cancellation of the expanded Gram form w'A'Aw - 2b'Aw + b'b, so the
 * 1e-13 relative stopping rule of §4.2 is not drowned in rounding.
 */
#ifndef IMPROVE_SC_INT_H
#define IMPROVE_SC_INT_H

#include "stats/sc.h"

#include <stddef.h>

/* min ||M w||² over the simplex, by rows (m) or by the Gram matrix H = M'M (h). */
struct sc_qp {
        size_t nrows;
        size_t ncols;
        const double *m; /* nrows × ncols row-major, or NULL when h is given */
        const double *h; /* ncols × ncols (both triangles), or NULL */
        double lc;       /* Lipschitz constant of the gradient on the simplex's plane */
        double scale;    /* size of the target (Σ b²) for the exact-fit floor */
};

/*
 * The Gram form's product H·x only touches the columns where x has weight
 * (J × nnz: the iterates are sparse soon after the start), against 2·rows×J
 * for the two dense products of the row form; building H costs rows×J² once.
 * So it pays with more rows than donors, or enough rows; a handful of
 * predictor rows against many donors stays in the row form.
 */
static inline int sc_use_gram(size_t nrows, size_t ncols)
{
        return ncols < 2 * nrows || nrows >= 16;
}

/*
 * 2·λmax of P·M'M·P with P = I - 11'/ncols, from M (nrows × ncols): the
 * curvature of ||M w||² along the plane Σw = 1 (see sc_inner.c).  Uses the
 * smaller of the two Gram matrices and GSL's symmetric eigensolver.
 */
double sc_lipschitz(const double *m, size_t nrows, size_t ncols);

/* Solve; w holds the start and receives the best iterate. */
void sc_qp_solve(const struct sc_qp *q, double *w, const struct sc_options *o,
                 struct sc_weights_report *rep);

/* H = M'M (ncols × ncols, both triangles) by BLAS. */
void sc_gram(const double *m, size_t nrows, size_t ncols, double *h);

/* One synthetic-control problem: a treated unit, its pool and the fit rows. */
struct sc_problem {
        const struct sc_panel *p;
        const struct sc_options *o;
        size_t treated;
        const size_t *pool;
        size_t npool;
        const size_t *fit; /* P_opt period indices */
        size_t nfit;
        /* Predictors: k × nunits values, each row divided by its SD (NULL: outcome-only). */
        const double *xs;
        size_t k;
        double lc; /* outcome-only: a valid Lipschitz constant, 0 = compute */
        /* Outcome-only placebos: the Gram matrix of the fit rows of every unit in gunits
         * (ng × ng), each row first centred across those units, and the position in gunits of
         * the treated unit and of each pool unit.  NULL: built per problem. */
        const double *gall;
        size_t ng;
        size_t gtreated;
        const size_t *gpool;
};

struct sc_solution {
        double *w;         /* npool */
        double *v;         /* k (predictors only) */
        double loss;       /* mean gap² over the fit rows */
        double inner_loss; /* f(w) */
        int iterations;
        int evaluations;
        int nstarts;
        double *start_loss; /* max_starts + random_starts */
        int converged;
};

/* Outcome-only (sc.c) and with predictors (sc_outer.c).  Never fail. */
void sc_solve_outcome(const struct sc_problem *pb, struct sc_solution *s);
void sc_solve_predictors(const struct sc_problem *pb, struct sc_solution *s);

/*
 * Predictor values (sc_outer.c): x (k × nunits) = the mean of each predictor's
 * series over its periods, missing values left out; NAN where none is present.
 */
void sc_predictor_values(const struct sc_panel *p, const struct sc_predictor *pr, size_t k,
                         double *x);

/* Divide each row of x (k × nunits) by its sample SD over `units` into xs (rows with no spread
 * are left as they are). */
void sc_predictor_scale(const double *x, size_t k, size_t nunits, const size_t *units,
                        size_t nunits_used, double *xs);

/* Mean gap² over the fit rows of the problem for weights w (exact, from the panel). */
double sc_fit_loss(const struct sc_problem *pb, const double *w);

#endif
