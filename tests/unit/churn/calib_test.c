/*
 * calib_test: Platt scaling recovers a known logistic link, isotonic
 * regression pools violators into a non-decreasing step function and
 * interpolates between breakpoints; both keep the order of margins.
 */
#include <math.h>
#include <stdlib.h>

#include "calib.h"
#include "rng.h"
#include "tap.h"

int
main(void)
{
	struct calib c = { 0 };
	struct rng   r;
	double      *m = malloc(20000 * sizeof(*m));
	float       *y = malloc(20000 * sizeof(*y));
	/* PAV by hand: 0 1 0 | 1 1 -> blocks {0}, {1, 0} = 0.5, {1, 1}. */
	const double    im[5] = { 1, 2, 3, 4, 5 };
	const float     iy[5] = { 0, 1, 0, 1, 1 };
	const double    bx[2] = { 1, 2 }, by[2] = { 0.5, 0.2 };
	enum calib_kind k;
	size_t          i;

	plan(12);
	rng_init(&r, 1);
	/* Labels drawn with P(y) = 1 / (1 + exp(-(2 m - 1))). */
	for (i = 0; i < 20000; i++) {
		m[i] = 4 * rng_uniform(&r) - 2;
		y[i] = rng_uniform(&r) < 1 / (1 + exp(-(2 * m[i] - 1)));
	}
	ok(calib_fit(&c, CALIB_PLATT, m, y, 20000) == 0, "Platt fits");
	is_near(c.a, 2, 0.1, "Platt slope near 2 (%g)", c.a);
	is_near(c.b, -1, 0.07, "Platt intercept near -1 (%g)", c.b);
	ok(calib_apply(&c, 1) > calib_apply(&c, 0), "Platt keeps the order");
	ok(calib_fit(&c, CALIB_ISOTONIC, im, iy, 5) == 0, "isotonic fits");
	is_near(calib_apply(&c, 1), 0, 1e-12, "first block 0");
	is_near(calib_apply(&c, 2.5), 0.5, 1e-12, "pooled block 0.5");
	is_near(calib_apply(&c, 9), 1, 1e-12, "clipped at the top");
	is_near(
	    calib_apply(&c, 1.5), 0.25, 1e-12, "interpolated between blocks");
	ok(calib_fit(
	       &c, CALIB_PLATT, im, (const float[]){ 1, 1, 1, 1, 1 }, 5) == -1,
	    "one class cannot be calibrated");
	ok(calib_set_isotonic(&c, bx, by, 2) == -1,
	    "decreasing isotonic points are refused");
	ok(calib_kind_parse("isotonic", &k) == 0 && k == CALIB_ISOTONIC &&
	        calib_kind_parse("beta", &k) == -1,
	    "kind names");
	calib_release(&c);
	free(m);
	free(y);
	return done_testing();
}
