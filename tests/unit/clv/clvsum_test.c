/*
 * clvsum_test: customer lifetime value as lifetimes defines it.  The plans
 * are checked step by step; a linear expectation gives sums checked by
 * hand; the BG/NBD values were computed with mpmath at 50 digits from
 * eq. 10 summed month by month as lifetimes' _customer_lifetime_value()
 * does (4.345 weeks or 30 days a month, (1 + d)^i discounting), and, for a
 * horizon of 52 weeks, with the part month to week 52 discounted by
 * (1 + d)^(52 / 4.345).
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>

#include "bgnbd.h"
#include "clvsum.h"
#include "tap.h"

static int
rel_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fabs(want);
}

/* The discounted purchases of a BG/NBD customer over plan pl. */
static double
bg_clv(const struct bgnbd_params *p, const struct clvsum *pl, double x,
    double tx, double T)
{
	struct ci_err e;
	double        E[64], pa = 0;
	size_t        i;

	bgnbd_p_alive(p, x, tx, T, &pa, &e);
	bgnbd_expected_alive(p, x, T, pl->t, pl->n, E, &e);
	for (i = 0; i < pl->n; i++)
		E[i] *= pa;
	return clvsum_discounted(pl, E);
}

static void
test_plans(void)
{
	struct clvsum pl;
	struct ci_err e;
	double        E[16], want = 0;
	size_t        i, bad = 0;
	int           rc;

	rc = clvsum_init(&pl, 12 * 4.345, 7, 0.01, &e);
	for (i = 0; rc == 0 && i < pl.n; i++)
		if (!rel_near(pl.t[i], (double)(i + 1) * 4.345, 1e-15) ||
		    !rel_near(pl.disc[i], pow(1.01, -(double)(i + 1)), 1e-15))
			bad++;
	ok(rc == 0 && pl.n == 12 && bad == 0,
	    "12 months of weeks: 12 steps of 4.345 weeks, discounted by "
	    "1.01^-i");
	for (i = 0; i < pl.n; i++) {
		E[i] = 2 * pl.t[i];
		want += 2 * 4.345 * pl.disc[i];
	}
	ok(rel_near(clvsum_discounted(&pl, E), want, 1e-14),
	    "a linear expectation sums its monthly increments discounted");
	clvsum_release(&pl);
	rc = clvsum_init(&pl, 52, 7, 0.01, &e);
	ok(rc == 0 && pl.n == 12 && pl.t[10] == 11 * 4.345 && pl.t[11] == 52 &&
	        rel_near(pl.disc[11], pow(1.01, -52 / 4.345), 1e-15),
	    "52 weeks: 11 whole months and a part month to week 52");
	clvsum_release(&pl);
	rc = clvsum_init(&pl, 10, 1, 0.05, &e);
	ok(rc == 0 && pl.n == 1 && pl.t[0] == 10 &&
	        rel_near(pl.disc[0], pow(1.05, -1.0 / 3), 1e-15),
	    "10 days: one step, a third of a month");
	clvsum_release(&pl);
	rc = clvsum_init(&pl, 0, 7, 0.01, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE, "horizon 0 is refused: %s",
	    e.msg);
	rc = clvsum_init(&pl, 52, 7, -0.5, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE,
	    "a negative discount rate is refused: %s", e.msg);
	rc = clvsum_init(&pl, 52, 3, 0.01, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE, "a 3-day unit is refused: %s",
	    e.msg);
	rc = clvsum_init(&pl, 1e6, 1, 0.01, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE,
	    "a horizon over a century is refused: %s", e.msg);
	clvsum_release(&pl);
}

static void
test_bgnbd(void)
{
	struct bgnbd_params bw = { 0.6, 4.2, 0.9, 2.7 };
	struct bgnbd_params bd = { 0.6, 4.2 * 7, 0.9, 2.7 };
	struct clvsum       pl;
	struct ci_err       e;
	double              v;

	clvsum_init(&pl, 12 * 4.345, 7, 0.01, &e);
	v = bg_clv(&bw, &pl, 2, 12.5, 26);
	ok(rel_near(v, 1.3983016669507012, 1e-13),
	    "BG/NBD, weeks, 12 months at 1%%: mpmath's 1.3983016669507012 "
	    "(got %.17g)",
	    v);
	clvsum_release(&pl);
	clvsum_init(&pl, 52, 7, 0.01, &e);
	v = bg_clv(&bw, &pl, 2, 12.5, 26);
	ok(rel_near(v, 1.3957095440989485, 1e-13),
	    "BG/NBD, 52 weeks at 1%%: mpmath's 1.3957095440989485 (got %.17g)",
	    v);
	clvsum_release(&pl);
	clvsum_init(&pl, 180, 1, 0.05, &e);
	v = bg_clv(&bd, &pl, 2, 87.5, 182);
	ok(rel_near(v, 0.72412422151303484, 1e-13),
	    "BG/NBD, days, 6 months at 5%%: mpmath's 0.72412422151303484 "
	    "(got %.17g)",
	    v);
	clvsum_release(&pl);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(8 + 3);
	test_plans();
	test_bgnbd();
	return done_testing();
}
