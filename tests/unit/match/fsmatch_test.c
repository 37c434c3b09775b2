/* tests/unit/match/fsmatch_test.c: EM recovers m and lambda. */
#include <math.h>
#include <stdlib.h>

#include "fsmatch.h"
#include "rng.h"
#include "tap.h"

/*
 * Pairs drawn from a known model: lambda 0.3, three fields of two levels
 * with m(exact) 0.9, 0.8, 0.95 and u(exact) 0.05, 0.1, 0.02.  EM with u
 * fixed at the truth must find lambda and m within 0.02.
 */
int
main(void)
{
	const double   m[3] = { 0.9, 0.8, 0.95 }, u[3] = { 0.05, 0.1, 0.02 };
	const size_t   nlev[3] = { 2, 2, 2 }, n = 20000;
	struct fsmatch fs;
	struct rng     rng;
	uint8_t       *lev = calloc(n * 3, 1);
	size_t         p, i;
	uint8_t        all[3] = { 0, 0, 0 }, none[3] = { 1, 1, 1 };

	plan(6);
	rng_init(&rng, 1);
	for (p = 0; p < n; p++) {
		int match = rng_uniform(&rng) < 0.3;

		for (i = 0; i < 3; i++)
			lev[p * 3 + i] =
			    rng_uniform(&rng) < (match ? m[i] : u[i]) ? 0 : 1;
	}
	fsmatch_init(&fs, 3, nlev);
	for (i = 0; i < 3; i++) {
		fs.u[i][0] = u[i];
		fs.u[i][1] = 1 - u[i];
	}
	is_int(fsmatch_em(&fs, lev, n, 500, 1e-9), 0, "EM runs");
	ok(fs.converged, "and converges");
	ok(fabs(fs.lambda - 0.3) < 0.02, "lambda near 0.3");
	ok(fabs(fs.m[0][0] - 0.9) < 0.02 && fabs(fs.m[1][0] - 0.8) < 0.02 &&
	        fabs(fs.m[2][0] - 0.95) < 0.02,
	    "m near the truth");
	ok(fsmatch_probability(fsmatch_weight(&fs, all, NULL)) > 0.99,
	    "all exact: a match");
	ok(fsmatch_probability(fsmatch_weight(&fs, none, NULL)) < 0.01,
	    "all different: not a match");
	free(lev);
	return done_testing();
}
