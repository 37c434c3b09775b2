/*
 * tests/unit/match/fsmatch_test.c: an EM session recovers m and the share
 * of matches, leaves out the fields it is told to and counts their
 * non-matches; pooling, the term-frequency scaling of u, and the prior
 * as a fixed point of the expected matches.
 */
#include <math.h>
#include <stdlib.h>

#include "fsmatch.h"
#include "rng.h"
#include "tap.h"

#define N 20000

/*
 * Pairs drawn from a known model: a share 0.3 of matches, three fields of
 * two levels with m(exact) 0.9, 0.8, 0.95 and u(exact) 0.05, 0.1, 0.02;
 * the third field missing in one pair out of ten.
 */
static void
draw(uint8_t *lev, int *match)
{
	const double m[3] = { 0.9, 0.8, 0.95 }, u[3] = { 0.05, 0.1, 0.02 };
	struct rng   rng;
	size_t       p, i;

	rng_init(&rng, 1);
	for (p = 0; p < N; p++) {
		match[p] = rng_uniform(&rng) < 0.3;
		for (i = 0; i < 3; i++)
			lev[p * 3 + i] =
			    rng_uniform(&rng) < (match[p] ? m[i] : u[i]) ? 0
			                                                 : 1;
		if (rng_uniform(&rng) < 0.1)
			lev[p * 3 + 2] = MFIELD_MISSING;
	}
}

static void
test_em(const uint8_t *lev, const int *match)
{
	const size_t        nlev[3] = { 2, 2, 2 };
	const double        u[3] = { 0.05, 0.1, 0.02 };
	const bool          all[3] = { true, true, true };
	const bool          two[3] = { false, true, true };
	struct fsmatch      fs;
	struct fsmatch_pats pats;
	struct fsmatch_fit  fit, none;
	double              agree0 = 0;
	size_t              p, i;

	fsmatch_init(&fs, 3, nlev);
	is_near(fs.m[0][0], 0.9, 1e-12, "m starts at 0.9 for exact");
	for (i = 0; i < 3; i++) {
		fs.u[i][0] = u[i];
		fs.u[i][1] = 1 - u[i];
	}
	fsmatch_pats_init(&pats, 3);
	is_int(fsmatch_em(&fs, &pats, all, 100, 1e-9, &none), -1,
	    "EM over no pairs fails");
	for (p = 0; p < N; p++)
		fsmatch_pats_add(&pats, lev + p * 3);
	is_int((int)pats.npairs, N, "every pair counted");
	ok(hmap_count(&pats.pat) <= 12, "as a few distinct vectors");
	is_int(fsmatch_em(&fs, &pats, all, 500, 1e-9, &fit), 0, "EM runs");
	ok(fit.converged, "and converges");
	is_near(fit.lambda, 0.3, 0.02, "share of matches near 0.3");
	is_near(fit.nm[0][0] / (fit.nm[0][0] + fit.nm[0][1]), 0.9, 0.02,
	    "m of the first field near 0.9");
	is_near(fit.nm[2][0] / (fit.nm[2][0] + fit.nm[2][1]), 0.95, 0.02,
	    "m of the third, with missing levels, near 0.95");

	/* The pairs a rule blocking on the first field makes, those that
	 * agree on it: EM without it counts its non-matches. */
	fsmatch_pats_release(&pats);
	fsmatch_pats_init(&pats, 3);
	for (p = 0; p < N; p++)
		if (lev[p * 3] == 0) {
			fsmatch_pats_add(&pats, lev + p * 3);
			agree0 += !match[p];
		}
	is_int(fsmatch_em(&fs, &pats, two, 500, 1e-9, &fit), 0,
	    "EM without the first field");
	is_near(fit.lambda, 0.27 / (0.27 + 0.7 * 0.05), 0.03,
	    "finds the share of matches among the pairs agreeing on it");
	ok(fit.nm[0][0] == 0 && fit.nm[0][1] == 0,
	    "no m counts for the field left out");
	is_near(fit.nu[0][0], agree0, 0.15 * agree0,
	    "its expected non-matches: %.0f, %.0f truly", fit.nu[0][0], agree0);

	/* Pooling two sessions: counts add, plus one pseudo match. */
	fsmatch_pool(
	    &fs, (struct fsmatch_fit[]){ fit, fit }, 2, (double[3]){ 0 });
	is_near(fs.m[1][0],
	    (2 * fit.nm[1][0] + 0.9) / (2 * (fit.nm[1][0] + fit.nm[1][1]) + 1),
	    1e-12, "pooled m: counts of both sessions and one pseudo match");
	is_near(fs.m[0][0], 0.9, 1e-12, "a field no session estimated keeps m");
	fsmatch_pats_release(&pats);
}

static void
test_weights(void)
{
	const size_t   nlev[2] = { 2, 3 };
	struct fsmatch fs;
	uint8_t        lev[2] = { 0, 2 }, miss[2] = { MFIELD_MISSING, 1 };
	double         tf[2] = { 4, 0 };

	fsmatch_init(&fs, 2, nlev);
	fs.u[0][0] = 0.01;
	fs.u[0][1] = 0.99;
	fs.u[1][0] = 0.1;
	fs.u[1][1] = 0.1;
	fs.u[1][2] = 0.8;
	is_near(fsmatch_bf(&fs, lev, NULL), log2(0.9 / 0.01) + log2(0.05 / 0.8),
	    1e-12, "Bayes factor: the sum of log2 m/u");
	is_near(fsmatch_bf(&fs, lev, tf), log2(0.9 / 0.04) + log2(0.05 / 0.8),
	    1e-12, "a value four times as common: u of exact times 4");
	is_near(fsmatch_bf(&fs, miss, NULL), log2(0.05 / 0.1), 1e-12,
	    "a missing level adds nothing");
	fs.lambda = 0.2;
	is_near(fsmatch_weight(&fs, 2), 0, 1e-12, "weight: prior odds 1/4");
	is_near(fsmatch_probability(0), 0.5, 1e-12, "weight 0: one half");
	is_near(fsmatch_probability(-100), exp2(-100), 1e-40, "far below: 2^w");
	is_near(fsmatch_probability(100), 1, 0, "far above: 1");
}

/*
 * 100 pairs that are plainly matches and 1000 that are plainly not, among
 * all the pairs of 1415 records (about 10^6): 100 matches expected,
 * whatever the start.
 */
static void
test_prior(void)
{
	double bf[1100], matches, lambda, all = 1415.0 * 1414 / 2;
	size_t i;

	for (i = 0; i < 1100; i++)
		bf[i] = i < 100 ? 60 : -40;
	lambda = fsmatch_prior(bf, 1100, all, &matches);
	is_near(matches, 100, 0.01, "prior: 100 matches expected");
	is_near(lambda, 100 / all, 1e-9, "prior: 100 over all the pairs");
	lambda = fsmatch_prior(bf, 0, all, &matches);
	ok(lambda > 0 && lambda < 1e-100 && matches == 0,
	    "no pairs: a vanishing prior");
}

int
main(void)
{
	uint8_t *lev = calloc(N * 3, 1);
	int     *match = calloc(N, sizeof(*match));

	plan(25);
	draw(lev, match);
	test_em(lev, match);
	test_weights();
	test_prior();
	free(lev);
	free(match);
	return done_testing();
}
