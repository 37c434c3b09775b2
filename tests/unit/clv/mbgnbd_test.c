/*
 * mbgnbd_test: the MBG/NBD likelihood, gradient, predictions and fit.  The
 * fixture's values were computed with mpmath at 50 digits from the product
 * form of the likelihood of Batislam, Denizel & Filiztekin (2007) and from
 * Wagner & Hoppe's (2008) conditional expectation with mpmath's 2F1; a
 * simulated data set checks the fit; the CDNOW sample, when present,
 * checks lifetimes 0.11's estimates.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cdnow.h"
#include "cbs.h"
#include "mbgnbd.h"
#include "tap.h"

#define CDNOW_TESTS 6

static int
rel_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fabs(want);
}

/* (x, t_x, T, customers), as in bgnbd_test.c and the mpmath script. */
static const double fixture[][4] = {
	{ 0, 0, 30, 3 },
	{ 1, 5, 30, 2 },
	{ 2, 12.5, 26, 1 },
	{ 5, 20, 28, 1 },
	{ 0, 0, 12, 2 },
	{ 3, 9, 9, 1 },
	{ 7, 33, 35, 1 },
	{ 1, 2, 15, 1 },
};

static void
load_fixture(struct cbs *d)
{
	struct cbs_acc a;
	struct ci_err  e;
	size_t         i;

	cbs_acc_init(&a);
	for (i = 0; i < sizeof(fixture) / sizeof(fixture[0]); i++)
		if (cbs_acc_add(&a, fixture[i][0], fixture[i][1], fixture[i][2],
		        (size_t)fixture[i][3], &e) == -1)
			printf("# %s\n", e.msg);
	cbs_acc_freeze(&a, d);
}

/*
 * Customers simulated from the model: as the BG/NBD's, with a dropout of
 * probability p at the first purchase as well.
 */
static void
simulate(
    const struct mbgnbd_params *p, size_t n, unsigned long seed, struct cbs *d)
{
	gsl_rng       *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct cbs_acc a;
	struct ci_err  e;
	size_t         i;

	gsl_rng_set(rng, seed);
	cbs_acc_init(&a);
	for (i = 0; i < n; i++) {
		double lam = gsl_ran_gamma(rng, p->r, 1 / p->alpha);
		double pd = gsl_ran_beta(rng, p->a, p->b);
		double T = 1 + (double)gsl_rng_uniform_int(rng, 52);
		double t = 0, x = 0, tx = 0;

		while (gsl_rng_uniform(rng) >= pd) {
			t += gsl_ran_exponential(rng, 1 / lam);
			if (t > T)
				break;
			x++;
			tx = fmin(ceil(t * 7) / 7, T);
		}
		if (cbs_acc_add(&a, x, tx, T, 1, &e) == -1)
			printf("# %s\n", e.msg);
	}
	cbs_acc_freeze(&a, d);
	gsl_rng_free(rng);
}

static void
test_fixture(void)
{
	/* mpmath: customers 1-4, P(alive) and the expectation for t = 10. */
	static const double want[4][2] = {
		{ 0.46016649889869402, 0.077321519649771933 },
		{ 0.33466912397994159, 0.14786345815274582 },
		{ 0.52811947089016551, 0.42178492791857894 },
		{ 0.633472597372501, 1.0086617027278945 },
	};
	struct mbgnbd_params p = { 0.6, 4.2, 0.9, 2.7 }, q;
	struct mbgnbd_params p1 = { 0.5, 2, 1 + 1e-10, 1.5 };
	struct cbs           d;
	struct ci_err        e;
	double               ll, g[4], lp, lm, v, bad = 0, hbad = 0;
	double               H[16], gp[4], gm[4];
	size_t               i, j;
	int                  rc;

	load_fixture(&d);
	rc = mbgnbd_loglik(&p, &d, &ll, g, H, &e);
	ok(rc == 0 && rel_near(ll, -69.338089100502869, 1e-12),
	    "log-likelihood of the fixture is mpmath's -69.338089100502869 "
	    "(got %.17g)",
	    ll);
	for (j = 0; j < 4; j++) {
		double *pj = j == 0 ? &q.r
		    : j == 1        ? &q.alpha
		    : j == 2        ? &q.a
		                    : &q.b;
		double  h;

		q = p;
		h = 1e-6 * *pj;
		*pj += h;
		mbgnbd_loglik(&q, &d, &lp, gp, NULL, &e);
		q = p;
		*pj -= h;
		mbgnbd_loglik(&q, &d, &lm, gm, NULL, &e);
		if (fabs((lp - lm) / (2 * h) - g[j]) > 1e-6 * (1 + fabs(g[j])))
			bad++;
		for (i = 0; i < 4; i++)
			if (fabs((gp[i] - gm[i]) / (2 * h) - H[i * 4 + j]) >
			    1e-5 * (1 + fabs(H[i * 4 + j])))
				hbad++;
	}
	ok(bad == 0, "the gradient matches central differences");
	ok(hbad == 0,
	    "the Hessian matches central differences of the "
	    "gradient");
	for (i = 0; i < 4; i++) {
		mbgnbd_p_alive(
		    &p, fixture[i][0], fixture[i][1], fixture[i][2], &v, &e);
		if (!rel_near(v, want[i][0], 1e-13))
			bad++;
		mbgnbd_expected(&p, 10, fixture[i][0], fixture[i][1],
		    fixture[i][2], &v, &e);
		if (!rel_near(v, want[i][1], 1e-12))
			bad++;
	}
	ok(bad == 0,
	    "P(alive) and the expectation match mpmath on four "
	    "customers");
	rc = mbgnbd_p_alive(&p, 0, 0, 17, &v, &e);
	ok(rc == 0 && v < 1, "P(alive) is below 1 with no repeat purchase");
	rc = mbgnbd_expected(&p1, 5, 2, 4, 10, &v, &e);
	ok(rc == 0 && rel_near(v, 0.35365935882067621, 1e-9),
	    "the expectation at a = 1 + 1e-10 is mpmath's 0.35365935882067621 "
	    "(got %.17g)",
	    v);
	p1.b = -1;
	rc = mbgnbd_expected(&p1, 5, 2, 4, 10, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL, "b < 0 is refused: %s", e.msg);
	cbs_release(&d);
}

static void
test_fit(void)
{
	const struct mbgnbd_params truth = { 0.5, 5, 0.8, 2.5 };
	struct mbgnbd_params       p;
	struct mlfit_info          info;
	struct cbs                 d;
	struct ci_err              e;
	double                     z[4], ll, lt;
	int                        rc;

	simulate(&truth, 20000, 11, &d);
	rc = mbgnbd_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged,
	    "fit to 20000 simulated customers (%zu distinct) converges in "
	    "%zu iterations",
	    d.n, info.iterations);
	z[0] = (p.r - truth.r) / info.se[0];
	z[1] = (p.alpha - truth.alpha) / info.se[1];
	z[2] = (p.a - truth.a) / info.se[2];
	z[3] = (p.b - truth.b) / info.se[3];
	ok(fabs(z[0]) < 3 && fabs(z[1]) < 3 && fabs(z[2]) < 3 && fabs(z[3]) < 3,
	    "estimates within 3 standard errors of the truth: r %.4f alpha "
	    "%.4f a %.4f b %.4f (z %.2f %.2f %.2f %.2f)",
	    p.r, p.alpha, p.a, p.b, z[0], z[1], z[2], z[3]);
	mbgnbd_loglik(&p, &d, &ll, NULL, NULL, &e);
	mbgnbd_loglik(&truth, &d, &lt, NULL, NULL, &e);
	ok(ll == info.loglik && ll >= lt,
	    "the estimate's log-likelihood %.6f is reported and beats the "
	    "truth's %.6f",
	    ll, lt);
	cbs_release(&d);
}

static void
test_cdnow(void)
{
	struct cdnow         cd;
	struct cbs_acc       a;
	struct cbs           d;
	struct mbgnbd_params p;
	struct mlfit_info    info;
	struct ci_err        e;
	size_t               i;
	int                  st = cdnow_load(&cd), rc;

	if (st != 1) {
		if (st == -1)
			ok(0, "the CDNOW sample reads as expected");
		cdnow_skip(CDNOW_TESTS - (st == -1));
		return;
	}
	cbs_acc_init(&a);
	for (i = 0; i < cd.n; i++)
		cbs_acc_add(&a, cd.c[i].x, cd.c[i].tx, cd.c[i].T, 1, &e);
	cbs_acc_freeze(&a, &d);
	rc = mbgnbd_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged, "CDNOW fit converges (%zu iterations)",
	    info.iterations);
	is_near(p.r, 0.5248, 1e-4, "r is lifetimes' 0.5248");
	is_near(p.alpha, 6.1831, 1e-4, "alpha is lifetimes' 6.1831");
	is_near(p.a, 0.8914, 1e-4, "a is lifetimes' 0.8914");
	is_near(p.b, 1.6140, 1e-4, "b is lifetimes' 1.6140");
	ok(info.loglik > -9582.2 && info.loglik < -9582.0,
	    "log-likelihood %.3f, a little above the BG/NBD's -9582.429",
	    info.loglik);
	cbs_release(&d);
	cdnow_release(&cd);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(7 + 3 + CDNOW_TESTS);
	test_fixture();
	test_fit();
	test_cdnow();
	return done_testing();
}
