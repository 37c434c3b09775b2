/*
 * paretonbd_test: the Pareto/NBD likelihood, predictions and fit.  The
 * fixture's values were computed with mpmath at 50 digits from Fader &
 * Hardie's note 009 (eqs. 18-20 with mpmath's 2F1, checked there against
 * the likelihood's integral form), including parameters where the 2F1
 * argument is beyond the series and customers with up to 2,000 purchases,
 * whose untransformed 2F1 overflows; a simulated data set checks the fit;
 * the CDNOW sample, when present, checks lifetimes 0.11's estimates and
 * CLVTools' log-likelihood and standard errors.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cdnow.h"
#include "cbs.h"
#include "paretonbd.h"
#include "tap.h"

#define CDNOW_TESTS 10

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
load_rows(const double (*rows)[4], size_t n, struct cbs *d)
{
	struct cbs_acc a;
	struct ci_err  e;
	size_t         i;

	cbs_acc_init(&a);
	for (i = 0; i < n; i++)
		if (cbs_acc_add(&a, rows[i][0], rows[i][1], rows[i][2],
		        (size_t)rows[i][3], &e) == -1)
			printf("# %s\n", e.msg);
	cbs_acc_freeze(&a, d);
}

/*
 * Customers simulated from the model: lambda ~ Gamma(r, alpha), mu ~
 * Gamma(s, beta), an exponential lifetime of rate mu, T a whole number of
 * weeks from 1 to 52, t_x rounded up to a day.
 */
static void
simulate(const struct paretonbd_params *p, size_t n, unsigned long seed,
    struct cbs *d)
{
	gsl_rng       *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct cbs_acc a;
	struct ci_err  e;
	size_t         i;

	gsl_rng_set(rng, seed);
	cbs_acc_init(&a);
	for (i = 0; i < n; i++) {
		double lam = gsl_ran_gamma(rng, p->r, 1 / p->alpha);
		double mu = gsl_ran_gamma(rng, p->s, 1 / p->beta);
		double T = 1 + (double)gsl_rng_uniform_int(rng, 52);
		double end = gsl_ran_exponential(rng, 1 / mu), t = 0, x = 0,
		       tx = 0;

		if (end > T)
			end = T;
		for (;;) {
			t += gsl_ran_exponential(rng, 1 / lam);
			if (t > end)
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
	/* mpmath: customers 1-4, P(alive) (eqs. 36-37) and eq. 41, t = 10. */
	static const double want[4][2] = {
		{ 0.15004710812810405, 0.023895580087444167 },
		{ 0.15811910112338751, 0.067149536193620676 },
		{ 0.44125032266884242, 0.34126285776738575 },
		{ 0.63604014414556029, 0.99915773212146668 },
	};
	static const double     one[1][4] = { { 0, 0, 20, 1 } };
	struct paretonbd_params p = { 0.6, 4.2, 0.8, 7.5 };
	struct paretonbd_params ta = { 0.6, 1e-5, 0.8, 10 },
	                        tb = { 0.6, 10, 0.8, 1e-5 };
	struct paretonbd_params s1 = { 0.6, 4.2, 1.0, 7.5 };
	struct cbs              d, d1;
	struct ci_err           e;
	double                  ll, v, bad = 0;
	size_t                  i;
	int                     rc;

	load_rows(fixture, sizeof(fixture) / sizeof(fixture[0]), &d);
	rc = paretonbd_loglik(&p, &d, &ll, &e);
	ok(rc == 0 && rel_near(ll, -69.640932145482429, 1e-12),
	    "log-likelihood of the fixture is mpmath's -69.640932145482429 "
	    "(got %.17g)",
	    ll);
	for (i = 0; i < 4; i++) {
		paretonbd_p_alive(
		    &p, fixture[i][0], fixture[i][1], fixture[i][2], &v, &e);
		if (!rel_near(v, want[i][0], 1e-12))
			bad++;
		paretonbd_expected(&p, 10, fixture[i][0], fixture[i][1],
		    fixture[i][2], &v, &e);
		if (!rel_near(v, want[i][1], 1e-12))
			bad++;
	}
	ok(bad == 0, "P(alive) and eq. 41 match mpmath on four customers");

	/*
	 * alpha / beta = 1e-6 puts the 2F1 argument at 1 - 1e-6, beyond the
	 * series: the quadrature takes over.
	 */
	load_rows(one, 1, &d1);
	rc = paretonbd_loglik(&ta, &d1, &ll, &e);
	ok(rc == 0 && rel_near(ll, -7.692720546783034, 1e-10),
	    "alpha << beta: log-likelihood is mpmath's -7.692720546783034 "
	    "(got %.17g)",
	    ll);
	rc = paretonbd_p_alive(&ta, 0, 0, 20, &v, &e);
	ok(rc == 0 && rel_near(v, 0.15086585307282231, 1e-10),
	    "alpha << beta: P(alive) is mpmath's 0.15086585307282231 (got "
	    "%.17g)",
	    v);
	rc = paretonbd_loglik(&tb, &d1, &ll, &e);
	ok(rc == 0 && rel_near(ll, -3.8601677855885529e-5, 1e-8),
	    "beta << alpha: log-likelihood is mpmath's -3.8601677855885529e-5 "
	    "(got %.17g)",
	    ll);
	rc = paretonbd_p_alive(&tb, 0, 0, 20, &v, &e);
	ok(rc == 0 && rel_near(v, 4.7089040520914301e-6, 1e-8),
	    "beta << alpha: P(alive) is mpmath's 4.7089040520914301e-6 (got "
	    "%.17g)",
	    v);
	rc = paretonbd_expected(&s1, 10, 2, 12.5, 26, &v, &e);
	ok(rc == 0 && rel_near(v, 0.27965773336862378, 1e-12),
	    "eq. 41 at s = 1 (its limit) is mpmath's 0.27965773336862378 (got "
	    "%.17g)",
	    v);
	rc = paretonbd_p_alive(&p, 3, 9, 9, &v, &e);
	ok(rc == 0 && v == 1, "a customer who bought at T is alive");
	s1.s = 0;
	rc = paretonbd_expected(&s1, 10, 2, 12.5, 26, &v, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL, "s = 0 is refused: %s", e.msg);
	cbs_release(&d);
	cbs_release(&d1);
}

/*
 * Customers with many purchases: lifetimes' hyp2f1(r + s + x, r + x; ...)
 * overflows for them, the transformed series here does not.  mpmath at 40
 * digits, from the integral of eqs. 18-20 and, as a check, from their
 * 2F1 form.
 */
static void
test_large_x(void)
{
	static const double c[5][9] = {
		/* r, alpha, s, beta, x, t_x, T, ln L, P(alive) */
		{ 0.5533, 10.5775, 0.6062, 11.669, 500, 38, 39,
		    658.06900017135099515, 0.030118866585599676634 },
		{ 0.5533, 11.669, 0.6062, 10.5775, 2000, 30, 39,
		    5733.5449624405721943, 3.5392142847804445346e-167 },
		{ 0.5, 0.5, 0.8, 50, 300, 2, 40, 1126.797361231790699, 0 },
		{ 0.5533, 10.5775, 0.6062, 11.669, 150, 38.86 - 1.0 / 7, 38.86,
		    15.460838667067254887, 0.99785171510115478153 },
		{ 0.5533, 10.5775, 0.6062, 11.669, 40, 20, 38.86,
		    -34.059511431106183062, 1.8276118010923329162e-7 },
	};
	struct paretonbd_params p;
	struct cbs              d;
	struct ci_err           e;
	double                  ll, pa, row[1][4];
	size_t                  i, bad = 0;

	for (i = 0; i < 5; i++) {
		p.r = c[i][0], p.alpha = c[i][1], p.s = c[i][2],
		p.beta = c[i][3];
		row[0][0] = c[i][4], row[0][1] = c[i][5], row[0][2] = c[i][6];
		row[0][3] = 1;
		load_rows(row, 1, &d);
		if (paretonbd_loglik(&p, &d, &ll, &e) != 0 ||
		    paretonbd_p_alive(&p, c[i][4], c[i][5], c[i][6], &pa, &e) !=
		        0 ||
		    !rel_near(ll, c[i][7], 1e-12) ||
		    !(c[i][8] == 0 ? pa < 1e-300
		                   : rel_near(pa, c[i][8], 1e-10))) {
			bad++;
			diag("x %g: ln L %.17g, P(alive) %.17g", c[i][4], ll,
			    pa);
		}
		cbs_release(&d);
	}
	ok(bad == 0,
	    "x up to 2000: ln L and P(alive) match mpmath (to 1e-12, 1e-10)");
}

static void
test_fit(void)
{
	const struct paretonbd_params truth = { 0.6, 5, 0.8, 12 };
	struct paretonbd_params       p, pp;
	struct mlfit_opts             o = { 0 };
	struct mlfit_info             info, pinfo;
	struct cbs                    d;
	struct ci_err                 e;
	double                        z[4], ll, lt, f0, f, bad = 0;
	size_t                        i;
	int                           sgn, rc;

	simulate(&truth, 2000, 7, &d);
	rc = paretonbd_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged,
	    "fit to 2000 simulated customers (%zu distinct) converges in %zu "
	    "iterations",
	    d.n, info.iterations);
	z[0] = (p.r - truth.r) / info.se[0];
	z[1] = (p.alpha - truth.alpha) / info.se[1];
	z[2] = (p.s - truth.s) / info.se[2];
	z[3] = (p.beta - truth.beta) / info.se[3];
	ok(fabs(z[0]) < 3 && fabs(z[1]) < 3 && fabs(z[2]) < 3 && fabs(z[3]) < 3,
	    "estimates within 3 standard errors of the truth: r %.4f alpha "
	    "%.4f s %.4f beta %.4f (z %.2f %.2f %.2f %.2f)",
	    p.r, p.alpha, p.s, p.beta, z[0], z[1], z[2], z[3]);
	paretonbd_loglik(&p, &d, &ll, &e);
	paretonbd_loglik(&truth, &d, &lt, &e);
	ok(ll == info.loglik && ll >= lt,
	    "the estimate's log-likelihood %.6f is reported and beats the "
	    "truth's %.6f",
	    ll, lt);

	/*
	 * As in the other models the penalty is added to the mean: the fit
	 * minimises -ll / n + c (r^2 + (alpha / max T)^2 + s^2 +
	 * (beta / max T)^2).
	 */
	o.penalizer = 0.01;
	rc = paretonbd_fit(&d, &o, &pp, &pinfo, &e);
	ok(rc == 0 && pinfo.converged, "penalised fit converges");
#define OBJ(q, out) \
	do { \
		double l_; \
		paretonbd_loglik(&(q), &d, &l_, &e); \
		(out) = -l_ / d.total + \
		    o.penalizer * \
		        ((q).r * (q).r + pow((q).alpha / d.max_T, 2) + \
		            (q).s * (q).s + pow((q).beta / d.max_T, 2)); \
	} while (0)
	OBJ(pp, f0);
	for (i = 0; i < 4; i++)
		for (sgn = -1; sgn <= 1; sgn += 2) {
			struct paretonbd_params q = pp;
			double                 *qi = i == 0 ? &q.r
			                    : i == 1        ? &q.alpha
			                    : i == 2        ? &q.s
			                                    : &q.beta;

			*qi *= exp(sgn * 1e-2);
			OBJ(q, f);
			if (f < f0)
				bad++;
		}
#undef OBJ
	ok(bad == 0 && pp.s < p.s && pp.beta < p.beta,
	    "it minimises lifetimes' penalised objective (s %.4f -> %.4f, "
	    "beta %.4f -> %.4f)",
	    p.s, pp.s, p.beta, pp.beta);
	cbs_release(&d);
}

static void
test_cdnow(void)
{
	struct cdnow            cd;
	struct cbs_acc          a;
	struct cbs              d;
	struct paretonbd_params p;
	struct mlfit_info       info;
	struct ci_err           e;
	size_t                  i;
	int                     st = cdnow_load(&cd), rc;

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
	rc = paretonbd_fit(&d, NULL, &p, &info, &e);
	ok(rc == 0 && info.converged, "CDNOW fit converges (%zu iterations)",
	    info.iterations);
	/*
	 * The likelihood is nearly flat along a ridge in (s, beta) (the
	 * standard error of beta is 6.2), so beta is only stable to about
	 * 4 digits between optimisers: lifetimes' 11.6690, CLVTools'
	 * 11.6715.
	 */
	is_near(p.r, 0.5533, 1e-4, "r is lifetimes' 0.5533");
	is_near(
	    p.alpha, 10.5775, 10.5775 * 5e-4, "alpha is lifetimes' 10.5775");
	is_near(p.s, 0.6062, 2e-4, "s is lifetimes' 0.6062");
	is_near(p.beta, 11.6690, 11.6690 * 5e-4, "beta is lifetimes' 11.6690");
	is_near(info.loglik, -9594.976, 1e-3,
	    "log-likelihood is CLVTools' -9594.976");
	ok(rel_near(info.se[0], 0.0476264, 2e-3),
	    "se(r) is CLVTools' 0.0476264 (got %.7f)", info.se[0]);
	ok(rel_near(info.se[1], 0.8427222, 2e-3),
	    "se(alpha) is CLVTools' 0.8427222 (got %.7f)", info.se[1]);
	ok(rel_near(info.se[2], 0.1872594, 2e-3),
	    "se(s) is CLVTools' 0.1872594 (got %.7f)", info.se[2]);
	ok(rel_near(info.se[3], 6.2105448, 2e-3),
	    "se(beta) is CLVTools' 6.2105448 (got %.7f)", info.se[3]);
	cbs_release(&d);
	cdnow_release(&cd);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(9 + 1 + 5 + CDNOW_TESTS);
	test_fixture();
	test_large_x();
	test_fit();
	test_cdnow();
	return done_testing();
}
