/*
 * specfun_test: the checked special functions.  The 2F1 and beta-mixture
 * values were computed with mpmath at 30 to 60 digits: 2F1(1, b; c; z) by
 * mpmath.hyp2f1, the mixture from its 2F1 form c / (a - 1) [1 - (1 + u)^
 * -(a - 1) 2F1(c - k, a - 1; c; u / (1 + u))], at a = 1 +- 1e-30 for
 * a = 1.  They cover the series, c <= 0, a = 1, large shapes, and periods
 * beyond the series where the quadrature is used.  The helpers built on
 * them are checked against the functions they call.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>

#include "specfun.h"
#include "tap.h"

static int
rel_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fabs(want);
}

/* k, a, bb, u, mixture by mpmath. */
static const double mix[][5] = {
	{ 0.6, 0.8, 2.7, 0.3, 0.17103083405582655766 },
	{ 0.6, 0.8, 2.7, 5.0, 1.8486808626164154657 },
	{ 0.6, 0.8, 2.7, 150.0, 10.993552136817966904 },
	{ 0.6, 0.8, 2.7, 1e4, 40.622051141178734092 },
	{ 0.6, 0.8, 2.7, 1e7, 198.74969634417434356 },
	{ 0.05, 0.02, 0.3, 0.3, 0.014871910358319606786 },
	{ 0.6, 0.02, 1e4, 150.0, 89.978678929452100674 },
	{ 3.2, 0.8, 1.0, 1e-8, 3.1999999701333339107e-8 },
	{ 3.2, 2.5, 0.3, 1e7, 1.1999999999955712976 },
	{ 50.5, 0.02, 1e4, 0.3, 15.149766058196782878 },
	{ 1000.3, 0.8, 120.0, 150.0, 1897.3426553048280174 },
	{ 1000.3, 40.0, 2.7, 5.0, 1.0692307692307692353 },
	{ 0.6, 1, 2.7, 5.0, 1.7016568919970808234 },
	{ 3.2, 1, 0.3, 150.0, 2.8529600117735747121 },
	{ 50.5, 1, 2.7, 1e4, 33.279120832286854045 },
	{ 0.6, 1, 0.3, 1e7, 5.4239518676091888433 },
};

/*
 * k, a, bb, u, and the survival E[(1 + p u)^-k] over p ~ Beta(a, bb), as
 * mpmath.hyp2f1(k, a, a + bb, -u) at 40 digits; the last row is a CDNOW
 * customer's year (x = 2, T = 38 weeks) under the paper's BG/NBD.
 */
static const double surv[][5] = {
	{ 0.6, 0.8, 2.7, 0.3, 0.96235432282259794715 },
	{ 0.6, 0.8, 2.7, 5.0, 0.69409391165427001963 },
	{ 0.6, 0.8, 2.7, 150.0, 0.2042688376039929148 },
	{ 0.05, 0.02, 0.3, 0.3, 0.99915969520271848821 },
	{ 3.2, 2.5, 0.3, 1e4, 3.0222083154177270078e-11 },
	{ 50.5, 0.02, 1e4, 0.3, 0.99996972390772119686 },
	{ 1000.3, 40.0, 2.7, 5.0, 7.2695096381666055724e-98 },
	{ 2.2426, 0.7929, 4.4259, 1.226021842050663, 0.72814160326111829342 },
};

static void
test_survival(void)
{
	struct ci_err e;
	size_t        i, n = sizeof(surv) / sizeof(surv[0]), bad = 0;
	double        t[3] = { 0, 1, 2 }, v[3] = { 0 };

	for (i = 0; i < n; i++) {
		const double *c = surv[i];
		double        u = c[3], got = -1;

		if (specfun_beta_survival_at(
		        c[0], c[1], c[2], 1, &u, 1, &got, &e) == -1 ||
		    !(fabs(got - c[4]) <= 1e-13)) {
			diag("k %g a %g bb %g u %g: %.17g, want %.17g", c[0],
			    c[1], c[2], c[3], got, c[4]);
			bad++;
		}
	}
	ok(bad == 0, "survival against mpmath to 1e-13 (%zu points)", n);
	ok(specfun_beta_survival_at(0.6, 0.8, 2.7, 4, t, 3, v, &e) == 0 &&
	        v[0] == 1 && v[1] < 1 && v[2] < v[1],
	    "survival is 1 at t = 0 and falls with t");
	ok(specfun_beta_survival_at(
	       0.6, 0.8, 2.7, 1 / 0.3, &t[1], 1, &v[0], &e) == 0 &&
	        fabs(v[0] - surv[0][4]) <= 1e-13,
	    "the period is taken in units of the scale");
}

static void
test_basic(void)
{
	struct ci_err e;
	double        v = 0;
	int           rc;

	rc = specfun_lngamma(5, &v, &e);
	ok(rc == 0 && rel_near(v, log(24), 1e-15), "ln Gamma(5) = ln 24");
	rc = specfun_lngamma(0, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "ln Gamma(0) is refused: %s",
	    e.msg);
	rc = specfun_lngamma(-2.5, &v, &e);
	ok(rc == -1, "ln Gamma(-2.5) is refused");
	rc = specfun_psi(1, &v, &e);
	ok(rc == 0 && rel_near(v, -0.57721566490153286, 1e-15),
	    "psi(1) is minus Euler's constant");
	ok(specfun_logaddexp(-INFINITY, -INFINITY) == -INFINITY &&
	        rel_near(specfun_logaddexp(1000, 1000), 1000 + log(2), 1e-15) &&
	        specfun_logaddexp(-INFINITY, 3) == 3,
	    "logaddexp at the extremes");
	ok(specfun_expit(-1000) == 0 && specfun_expit(1000) == 1 &&
	        specfun_expit(0) == 0.5 &&
	        rel_near(specfun_expit(-40), exp(-40), 1e-15),
	    "expit at the extremes");
}

static void
test_hyp2f1(void)
{
	/* b, c, z, 2F1(1, b; c; z) by mpmath. */
	static const double h[4][4] = {
		{ 1.6, 3.6, 0.05, 1.0228711582970895331 },
		{ 0.8, 1000.6, 0.5, 1.0004001198558490395 },
		{ 0.2, 2.2, 0.99, 1.1895086335957570803 },
		{ 500.4, 501.4, 0.9, 9.8266113345631161043 },
	};
	struct ci_err e;
	double        v = 0;
	size_t        i, bad = 0;
	int           rc;

	/* The documented error bound, 4e-16 / (1 - z). */
	for (i = 0; i < 4; i++)
		if (specfun_hyp2f1_1(h[i][0], h[i][1], h[i][2], &v, &e) != 0 ||
		    !rel_near(v, h[i][3], 4e-16 / (1 - h[i][2]))) {
			bad++;
			diag("got %.17g, want %.17g", v, h[i][3]);
		}
	ok(bad == 0,
	    "2F1(1, b; c; z) matches mpmath at four points, to z = "
	    "0.99 and b = 500");
	rc = specfun_hyp2f1_1(1, 2, 0, &v, &e);
	ok(rc == 0 && v == 1, "2F1(1, b; c; 0) = 1");
	rc = specfun_hyp2f1_1(3, 2, 0.3, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "b > c is refused: %s", e.msg);
	rc = specfun_hyp2f1_1(0.2, 2.2, 0.995, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "a series longer than SPECFUN_TERMS is refused: %s", e.msg);
}

static void
test_mixture(void)
{
	struct ci_err e;
	const double  us[4] = { 0.3, 5, 150, 1e4 };
	double        v = 0, many[4] = { 0, 0, 0, 0 };
	size_t        i, bad = 0;
	int           rc;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		rc = specfun_beta_mixture(
		    mix[i][0], mix[i][1], mix[i][2], &mix[i][3], 1, &v, &e);
		if (rc != 0 || !rel_near(v, mix[i][4], 1e-10)) {
			bad++;
			diag("k %g a %g bb %g u %g: got %.17g, want %.17g",
			    mix[i][0], mix[i][1], mix[i][2], mix[i][3], v,
			    mix[i][4]);
		}
	}
	ok(bad == 0, "the beta mixture matches mpmath to 1e-10 at %zu points",
	    sizeof(mix) / sizeof(mix[0]));
	rc = specfun_beta_mixture(0.6, 0.8, 2.7, us, 4, many, &e);
	for (i = 0; i < 4; i++)
		if (!rel_near(many[i], mix[i][4], 1e-10))
			bad++;
	ok(rc == 0 && bad == 0,
	    "four periods at once give the values of one at a time");
	rc = specfun_beta_mixture(0.6, 0.8, 2.7, &us[0], 1, &v, &e);
	ok(rc == 0 && v == many[0],
	    "the series does not depend on the other "
	    "periods summed with it");
	v = 0;
	rc = specfun_beta_mixture(2.5, 0.4, 3.5, &v, 1, &v, &e);
	ok(rc == 0 && v == 0, "nothing is bought in an empty period");
	rc = specfun_beta_mixture(2.5, 0, 3.5, us, 1, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "a = 0 is refused: %s", e.msg);
	v = -1;
	rc = specfun_beta_mixture(2.5, 0.4, 3.5, &v, 1, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "a negative period is refused: %s", e.msg);
}

/* The helpers built on the functions above. */
static void
test_helpers(void)
{
	const double  v[3] = { 0.7, 3.5, 12.25 }, t[3] = { 1.5, 30, 0 };
	struct ci_err e;
	double        out[9], u[3], want[3], got[3];
	size_t        i, bad = 0;
	int           rc;

	rc = specfun_gamma_terms(v, 3, 2, out, &e);
	for (i = 0; i < 3; i++) {
		double l, p, p1;

		specfun_lngamma(v[i], &l, &e);
		specfun_psi(v[i], &p, &e);
		specfun_psi1(v[i], &p1, &e);
		if (out[i] != l || out[3 + i] != p || out[6 + i] != p1)
			bad++;
	}
	ok(rc == 0 && bad == 0,
	    "gamma terms: ln Gamma, psi and psi' of each value, in blocks");
	out[3] = 42;
	rc = specfun_gamma_terms(v, 3, 0, out, &e);
	ok(rc == 0 && out[3] == 42, "gamma terms of order 0 are the values");
	rc = specfun_gamma_terms(t + 2, 1, 0, out, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "gamma terms of 0 are refused: %s", e.msg);
	for (i = 0; i < 3; i++)
		u[i] = t[i] / 4.5;
	rc = specfun_beta_mixture(0.6, 0.8, 2.7, u, 3, want, &e);
	rc |= specfun_beta_mixture_at(0.6, 0.8, 2.7, 4.5, t, 3, got, &e);
	ok(rc == 0 && got[0] == want[0] && got[1] == want[1] &&
	        got[2] == want[2],
	    "the beta mixture at periods over a scale");
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(6 + 4 + 6 + 4 + 3);
	test_basic();
	test_hyp2f1();
	test_mixture();
	test_helpers();
	test_survival();
	return done_testing();
}
