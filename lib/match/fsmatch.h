/*
 * fsmatch: the Fellegi-Sunter model of record linkage.  A pair of records
 * is compared field by field into a vector of levels; under the model,
 * matches and non-matches give each field's level independently with
 * probabilities m (matches) and u (non-matches), and a pair is a match
 * with prior probability lambda.  A pair's match weight is
 *
 *   w = log2(lambda / (1 - lambda)) + sum over fields of log2(m / u)
 *
 * (a missing level adds nothing) and its match probability
 * 2^w / (1 + 2^w).  u is first estimated from random pairs, nearly all
 * non-matches (urandom); then m, u and lambda by expectation-maximisation
 * over the candidate pairs, starting from those u: the non-matches among
 * candidates share a blocking key, so they agree more often than random
 * pairs do, and a u held at the random pairs' values would make every
 * candidate look like a match.  lambda is the share of matches among the
 * candidate pairs.
 */
#ifndef CI_FSMATCH_H
#define CI_FSMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mfield.h"

/* The most fields compared. */
#define FSMATCH_MAX_FIELDS 32

/* The bounds of every probability, away from 0 and 1. */
#define FSMATCH_PMIN 1e-9

struct fsmatch {
	size_t nfields;
	size_t nlev[FSMATCH_MAX_FIELDS];
	double m[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double u[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double urandom[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double lambda;
	/* The fit: EM iterations, whether they converged. */
	int  iterations;
	bool converged;
};

/* Set up fs for n fields of nlev[i] levels, m at its starting values. */
void fsmatch_init(struct fsmatch *fs, size_t n, const size_t *nlev);

/*
 * urandom, and u's starting values, from the levels of npairs random
 * pairs (lev: npairs rows of nfields bytes; MFIELD_MISSING skipped), each
 * count plus one half (Jeffreys) so that no u is 0.
 */
void fsmatch_u(struct fsmatch *fs, const uint8_t *lev, size_t npairs);

/*
 * m, u and lambda by EM over the candidate pairs' levels, for at most
 * maxit iterations or until no parameter moves more than tol.  Returns 0,
 * or -1 when there are no pairs.
 */
int fsmatch_em(struct fsmatch *fs, const uint8_t *lev, size_t npairs, int maxit,
    double tol);

/*
 * The match weight of a pair with levels lev; tf[i], when positive, is
 * the term frequency of the value field i agrees on exactly: u of the
 * exact level is scaled by tf[i] / urandom[i][0], how much more common
 * that value is than the average one.
 */
double
fsmatch_weight(const struct fsmatch *fs, const uint8_t *lev, const double *tf);

/* The match probability of weight w. */
double fsmatch_probability(double w);

#endif
