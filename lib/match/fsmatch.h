/*
 * fsmatch: the Fellegi-Sunter model of record linkage.  A pair of records
 * is compared field by field into a vector of levels; under the model,
 * matches and non-matches give each field's level independently with
 * probabilities m (matches) and u (non-matches), and two records drawn at
 * random are a match with prior probability lambda.  A pair's match
 * weight is
 *
 *   w = log2(lambda / (1 - lambda)) + sum over fields of log2(m / u)
 *
 * (a missing level adds nothing; the sum is the pair's Bayes factor) and
 * its match probability 2^w / (1 + 2^w).
 *
 * The parameters are estimated without labels, as Splink does (Linacre
 * et al. 2022):
 *
 *   u       from random pairs, nearly all non-matches (fsmatch_u); the
 *           caller may set u of a level from a session's expected
 *           non-matches (fsmatch_fit.nu) where random pairs are too few
 *   m       by expectation-maximisation over the candidate pairs of each
 *           blocking rule in turn, the fields the rule blocks on left out:
 *           those agree in every pair the rule makes, matches or not, so
 *           they say nothing there; the session's own u is estimated too,
 *           anchored to the random pairs' (fsmatch_em); the sessions'
 *           expected counts of matches are then pooled (fsmatch_pool)
 *   lambda  the expected number of matching pairs among the candidates
 *           (the sum of their match probabilities, which depend on
 *           lambda: a fixed point) over the number of all pairs
 *           (fsmatch_prior); it falls as 1/n when each record has a
 *           duplicate or so, so one common name and birth date weigh less
 *           among a million records than among a thousand
 */
#ifndef CI_FSMATCH_H
#define CI_FSMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "mfield.h"

/* The most fields compared. */
#define FSMATCH_MAX_FIELDS 32

/* The bounds of every probability, away from 0 and 1. */
#define FSMATCH_PMIN 1e-12

/* The weight, in pairs, of the random pairs' u in an EM session's. */
#define FSMATCH_U_WEIGHT 100

struct fsmatch {
	size_t nfields;
	size_t nlev[FSMATCH_MAX_FIELDS];
	double m[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double u[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double lambda; /* prior probability that two records match */
};

/* The levels of many pairs as their distinct vectors, with counts: EM
 * costs the distinct vectors (a few hundred), not the pairs. */
struct fsmatch_pats {
	size_t      nfields;
	struct hmap pat;
	double     *cnt;
	size_t      cap;
	uint64_t    npairs;
};

/* One EM session: what it estimated. */
struct fsmatch_fit {
	/* Expected matches at each level of each field it estimated (0 for
	 * the others). */
	double nm[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	/* Expected non-matches at each level of every field. */
	double   nu[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double   lambda; /* the share of matches among its pairs */
	uint64_t npairs;
	int      iterations;
	bool     converged;
};

/*
 * Set up fs for n fields of nlev[i] levels: m at its defaults (0.9 at
 * exact, then halving level by level, the last level taking the rest:
 * 0.9, 0.05, 0.05 for three levels; 0.9, 0.05, 0.025, 0.025 for four),
 * u uniform, lambda 0.5.
 */
void fsmatch_init(struct fsmatch *fs, size_t n, const size_t *nlev);

/*
 * u from the levels of npairs random pairs (lev: npairs rows of nfields
 * bytes; MFIELD_MISSING skipped), each count plus one half (Jeffreys) so
 * that no u is 0.
 */
void fsmatch_u(struct fsmatch *fs, const uint8_t *lev, size_t npairs);

/* An empty set of vectors of n fields.  fsmatch_pats_release() frees it. */
void fsmatch_pats_init(struct fsmatch_pats *p, size_t n);

/* Count one pair's levels (nfields bytes). */
void fsmatch_pats_add(struct fsmatch_pats *p, const uint8_t *lev);

void fsmatch_pats_release(struct fsmatch_pats *p);

/*
 * One EM session over the vectors of p: the share of matches, and m and u
 * of the fields i with est[i], from fs->m and fs->u, u anchored to fs->u
 * with the weight of FSMATCH_U_WEIGHT pairs (the non-matches a blocking
 * rule gathers agree more often than random pairs do).  The other fields
 * are left out of the likelihood; their expected non-matches are still
 * counted by level.  At most maxit iterations, or until no parameter
 * moves more than tol.  Fills *fit; returns 0, or -1 when p has no pairs.
 */
int fsmatch_em(const struct fsmatch *fs, const struct fsmatch_pats *p,
    const bool *est, int maxit, double tol, struct fsmatch_fit *fit);

/*
 * m from the expected counts of nfit sessions, pooled, plus one pseudo
 * match spread as the current m (so that a level no match showed keeps a
 * small probability).  evidence[i] gets the expected matches that field
 * i's m rests on (0: still its current value).
 */
void fsmatch_pool(struct fsmatch *fs, const struct fsmatch_fit *fit,
    size_t nfit, double *evidence);

/*
 * The Bayes factor of a pair with levels lev, in bits (the weight
 * without the prior); tf[i], when positive, scales u of the exact level
 * of field i: how much more common the value the pair agrees on is than
 * the value two records that agree share on average (Winkler 1989).
 */
double
fsmatch_bf(const struct fsmatch *fs, const uint8_t *lev, const double *tf);

/*
 * The prior lambda that makes the expected number of matches among all
 * allpairs pairs equal the sum of the match probabilities of the npairs
 * candidates, whose Bayes factors are bf (the pairs not compared are
 * taken for non-matches).  *matches gets that number.
 */
double fsmatch_prior(
    const double *bf, size_t npairs, double allpairs, double *matches);

/* The match weight of Bayes factor bf (bits) under fs->lambda. */
double fsmatch_weight(const struct fsmatch *fs, double bf);

/* The match probability of weight w. */
double fsmatch_probability(double w);

#endif
