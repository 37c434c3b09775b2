/*
 * gammagamma_test: the Gamma-Gamma likelihood, gradient, expected value
 * and fit.  The fixture's log-likelihood was computed with mpmath at 50
 * digits from note 025's density (eq. 1a) written with gamma functions; a
 * simulated data set checks the fit; the CDNOW sample, when present,
 * checks the estimates of Fader, Hardie & Lee (2005).
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cdnow.h"
#include "cbs.h"
#include "gammagamma.h"
#include "tap.h"

#define CDNOW_TESTS 6

static int
rel_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fabs(want);
}

/* (x, m, customers), as in the mpmath script. */
static const double fixture[][3] = {
	{ 1, 20, 2 },
	{ 2, 35.5, 1 },
	{ 5, 12.25, 1 },
	{ 3, 60, 1 },
	{ 7, 18, 1 },
};

static void
load_fixture(struct cbs_spend *d)
{
	struct cbs_spend_acc a;
	struct ci_err        e;
	size_t               i;

	cbs_spend_acc_init(&a);
	for (i = 0; i < sizeof(fixture) / sizeof(fixture[0]); i++)
		if (cbs_spend_acc_add(&a, fixture[i][0], fixture[i][1],
		        (size_t)fixture[i][2], &e) == -1)
			printf("# %s\n", e.msg);
	cbs_spend_acc_freeze(&a, d);
}

/*
 * Customers simulated from the model: nu ~ Gamma(q, gamma), x from 1 to
 * 10 transactions each worth Gamma(p, nu), m their mean.
 */
static void
simulate(const struct gammagamma_params *p, size_t n, unsigned long seed,
    struct cbs_spend *d)
{
	gsl_rng             *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct cbs_spend_acc a;
	struct ci_err        e;
	size_t               i, j;

	gsl_rng_set(rng, seed);
	cbs_spend_acc_init(&a);
	for (i = 0; i < n; i++) {
		double nu = gsl_ran_gamma(rng, p->q, 1 / p->gamma);
		double x = 1 + (double)gsl_rng_uniform_int(rng, 10), sum = 0;

		for (j = 0; j < x; j++)
			sum += gsl_ran_gamma(rng, p->p, 1 / nu);
		if (cbs_spend_acc_add(&a, x, sum / x, 1, &e) == -1)
			printf("# %s\n", e.msg);
	}
	cbs_spend_acc_freeze(&a, d);
	gsl_rng_free(rng);
}

static void
test_fixture(void)
{
	struct gammagamma_params p = { 5.5, 3.2, 14.0 }, q;
	struct cbs_spend         d;
	struct ci_err            e;
	double                   ll, g[3], lp, lm, v, bad = 0, hbad = 0;
	double                   H[9], gp[3], gm[3];
	size_t                   i, j;
	int                      rc;

	load_fixture(&d);
	rc = gammagamma_loglik(&p, &d, &ll, g, H, &e);
	ok(rc == 0 && rel_near(ll, -24.081893799313137, 1e-12),
	    "log-likelihood of the fixture is mpmath's -24.081893799313137 "
	    "(got %.17g)",
	    ll);
	for (j = 0; j < 3; j++) {
		double *pj = j == 0 ? &q.p : j == 1 ? &q.q : &q.gamma;
		double  h;

		q = p;
		h = 1e-6 * *pj;
		*pj += h;
		gammagamma_loglik(&q, &d, &lp, gp, NULL, &e);
		q = p;
		*pj -= h;
		gammagamma_loglik(&q, &d, &lm, gm, NULL, &e);
		if (fabs((lp - lm) / (2 * h) - g[j]) > 1e-6 * (1 + fabs(g[j])))
			bad++;
		for (i = 0; i < 3; i++)
			if (fabs((gp[i] - gm[i]) / (2 * h) - H[i * 3 + j]) >
			    1e-5 * (1 + fabs(H[i * 3 + j])))
				hbad++;
	}
	ok(bad == 0, "the gradient matches central differences");
	ok(hbad == 0,
	    "the Hessian matches central differences of the "
	    "gradient");
	/* (gamma + m x) p / (p x + q - 1) = (14 + 3 * 35.5) * 5.5 / 18.7. */
	rc = gammagamma_expected_value(&p, 3, 35.5, &v, &e);
	ok(rc == 0 && rel_near(v, (14 + 106.5) * 5.5 / 18.7, 1e-15),
	    "expected value for x = 3, m = 35.5 is 35.441176... (got %.17g)",
	    v);
	rc = gammagamma_expected_value(&p, 0, 99, &v, &e);
	ok(rc == 0 && rel_near(v, 14 * 5.5 / 2.2, 1e-15),
	    "with x = 0 it is the population mean gamma p / (q - 1) = 35");
	q = p;
	q.q = 0.5;
	rc = gammagamma_expected_value(&q, 0, 10, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "an infinite mean is refused: %s", e.msg);
	rc = gammagamma_expected_value(&p, -1, 10, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "x < 0 is refused: %s", e.msg);
	cbs_spend_release(&d);
}

static void
test_fit(void)
{
	const struct gammagamma_params truth = { 6, 4, 15 };
	struct gammagamma_params       p;
	struct mlfit_info              info;
	struct cbs_spend               d, empty = { 0 };
	struct ci_err                  e;
	double                         z[3], ll, lt;
	int                            rc;

	simulate(&truth, 5000, 3, &d);
	rc = gammagamma_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged,
	    "fit to 5000 simulated customers converges in %zu iterations",
	    info.iterations);
	z[0] = (p.p - truth.p) / info.se[0];
	z[1] = (p.q - truth.q) / info.se[1];
	z[2] = (p.gamma - truth.gamma) / info.se[2];
	ok(fabs(z[0]) < 3 && fabs(z[1]) < 3 && fabs(z[2]) < 3,
	    "estimates within 3 standard errors of the truth: p %.4f q %.4f "
	    "gamma %.4f (z %.2f %.2f %.2f)",
	    p.p, p.q, p.gamma, z[0], z[1], z[2]);
	gammagamma_loglik(&p, &d, &ll, NULL, NULL, &e);
	gammagamma_loglik(&truth, &d, &lt, NULL, NULL, &e);
	ok(ll == info.loglik && ll >= lt,
	    "the estimate's log-likelihood %.6f is reported and beats the "
	    "truth's %.6f",
	    ll, lt);
	rc = gammagamma_fit(&empty, NULL, &p, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "no repeat buyers to fit to is refused: %s", e.msg);
	cbs_spend_release(&d);
}

static void
test_cdnow(void)
{
	struct cdnow             cd;
	struct cbs_spend_acc     a;
	struct cbs_spend         d;
	struct gammagamma_params p;
	struct mlfit_info        info;
	struct ci_err            e;
	size_t                   i;
	int                      st = cdnow_load(&cd), rc;

	if (st != 1) {
		if (st == -1)
			ok(0, "the CDNOW sample reads as expected");
		cdnow_skip(CDNOW_TESTS - (st == -1));
		return;
	}
	cbs_spend_acc_init(&a);
	for (i = 0; i < cd.n; i++)
		cbs_spend_acc_add(&a, cd.c[i].x, cd.c[i].m, 1, &e);
	cbs_spend_acc_freeze(&a, &d);
	is_int(d.total, 946, "CDNOW: 946 repeat buyers");
	rc = gammagamma_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged, "CDNOW fit converges (%zu iterations)",
	    info.iterations);
	/*
	 * The likelihood is flat along a ridge in (p, gamma) (standard
	 * errors 1.2 and 4.2), so the last published digit is checked to
	 * 1e-4 of the value.
	 */
	is_near(p.p, 6.2496, 6.2496e-4, "p is the paper's 6.2496");
	is_near(p.q, 3.7442, 3.7442e-4, "q is the paper's 3.7442");
	is_near(p.gamma, 15.4435, 15.4435e-4, "gamma is the paper's 15.4435");
	ok(info.se[0] > 0 && info.se[1] > 0 && info.se[2] > 0,
	    "standard errors %.4f %.4f %.4f", info.se[0], info.se[1],
	    info.se[2]);
	cbs_spend_release(&d);
	cdnow_release(&cd);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(7 + 4 + CDNOW_TESTS);
	test_fixture();
	test_fit();
	test_cdnow();
	return done_testing();
}
