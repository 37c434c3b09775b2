/*
 * mlfit_test: the minimiser on objectives with known minima, with and
 * without a gradient; the numerical Hessian against the exact one; the
 * standard errors against a hand-inverted matrix and NaN when the Hessian
 * is not positive definite; failures of the objective; mlfit_fit() on a
 * Poisson rate, with and without derivatives and with a scaled penalty.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>

#include "mlfit.h"
#include "tap.h"

/* f = (t - mu)' A (t - mu) / 2 with A = [2 1 0; 1 2 0; 0 0 4]. */
static const double A[9] = { 2, 1, 0, 1, 2, 0, 0, 0, 4 };
static const double MU[3] = { 0.5, -1.25, 2 };

static int
quad(void *ctx, const double *t, double *f, double *g, struct ci_err *err)
{
	double d[3], s = 0;
	size_t i, j;

	(void)ctx, (void)err;
	for (i = 0; i < 3; i++)
		d[i] = t[i] - MU[i];
	for (i = 0; i < 3; i++) {
		double ad = 0;

		for (j = 0; j < 3; j++)
			ad += A[i * 3 + j] * d[j];
		s += d[i] * ad / 2;
		if (g != NULL)
			g[i] = ad;
	}
	*f = s;
	return 0;
}

/* quad() with its Hessian, A. */
static int
quad_hess(void *ctx, const double *t, double *f, double *g, double *h,
    struct ci_err *err)
{
	size_t i;

	for (i = 0; i < 9; i++)
		h[i] = A[i];
	return quad(ctx, t, f, g, err);
}

static int
rosenbrock(void *ctx, const double *t, double *f, double *g, struct ci_err *err)
{
	(void)ctx, (void)err;
	*f = pow(1 - t[0], 2) + 100 * pow(t[1] - t[0] * t[0], 2);
	if (g != NULL) {
		g[0] = -2 * (1 - t[0]) - 400 * t[0] * (t[1] - t[0] * t[0]);
		g[1] = 200 * (t[1] - t[0] * t[0]);
	}
	return 0;
}

/* Downhill towards +infinity, and failing past t = 3. */
static int
cliff(void *ctx, const double *t, double *f, double *g, struct ci_err *err)
{
	(void)ctx;
	if (t[0] > 3)
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0, "over the cliff");
	*f = -t[0];
	if (g != NULL)
		g[0] = -1;
	return 0;
}

/*
 * The Poisson log-likelihood of 100 customers with 300 events in all,
 * S ln lambda - n lambda (constants dropped): lambda = 3 with the standard
 * error sqrt(lambda / n).
 */
static int
poisson(void *ctx, const double *p, double *ll, double *g, double *h,
    struct ci_err *err)
{
	double *calls = ctx; /* evaluations with derivatives */

	(void)err;
	*ll = 300 * log(p[0]) - 100 * p[0];
	if (g != NULL)
		g[0] = 300 / p[0] - 100;
	if (h != NULL)
		h[0] = -300 / (p[0] * p[0]);
	if (g != NULL || h != NULL)
		(*calls)++;
	return 0;
}

/* mlfit_fit() on poisson(), with lambda scaled by 1/2. */
static void
test_fit(void)
{
	struct mlfit_model m = { .k = 1, .n = 100, .loglik = poisson };
	struct mlfit_opts  o = { 0.1, 0, 0 };
	struct mlfit_info  info;
	struct ci_err      e;
	double             p[1], calls = 0, ll;
	int                rc;

	m.scale[0] = 0.5, m.start[0] = 0, m.ctx = &calls, m.derivs = true;
	rc = mlfit_fit(&m, NULL, p, &info, &e);
	poisson(&calls, p, &ll, NULL, NULL, &e);
	ok(rc == 0 && info.converged && calls > 0 && fabs(p[0] - 3) < 1e-10 &&
	        fabs(info.se[0] - sqrt(0.03)) < 1e-10 && info.loglik == ll &&
	        info.n_customers == 100,
	    "mlfit_fit with derivatives: lambda %.12g, se %.12g", p[0],
	    info.se[0]);
	m.derivs = false, calls = 0;
	rc = mlfit_fit(&m, NULL, p, &info, &e);
	ok(rc == 0 && info.converged && calls == 0 && fabs(p[0] - 3) < 1e-6 &&
	        fabs(info.se[0] - sqrt(0.03)) < 1e-6,
	    "mlfit_fit without: lambda %.9g, se %.9g, never asks for them",
	    p[0], info.se[0]);
	/*
	 * -ll / n + c (lambda / 2)^2 is least where
	 * c lambda^2 / 2 + lambda - 3 = 0.
	 */
	m.derivs = true;
	rc = mlfit_fit(&m, &o, p, &info, &e);
	ok(rc == 0 && info.converged &&
	        fabs(p[0] - (sqrt(1 + 6 * o.penalizer) - 1) / o.penalizer) <
	            1e-10,
	    "the penalty is on the scaled parameter: lambda %.12g", p[0]);
}

int
main(void)
{
	struct mlfit_problem pb = { 3, quad, NULL, true, NULL };
	struct mlfit_info    info;
	struct ci_err        e;
	const double         t0[3] = { 0, 0, 0 }, r0[2] = { -1.2, 1 };
	double               t[3], H[9], se[3], bad = 0;
	size_t               i;
	int                  rc;

	gsl_set_error_handler_off();
	plan(17);

	rc = mlfit_minimize(&pb, NULL, t0, t, &info, &e);
	ok(rc == 0 && info.converged && fabs(t[0] - MU[0]) < 1e-8 &&
	        fabs(t[1] - MU[1]) < 1e-8 && fabs(t[2] - MU[2]) < 1e-8,
	    "quadratic with a gradient: minimum found in %zu iterations",
	    info.iterations);
	mlfit_hessian(&pb, t, H, &e);
	for (i = 0; i < 9; i++)
		if (fabs(H[i] - A[i]) > 1e-7)
			bad++;
	ok(bad == 0, "Hessian from the gradient is A");
	pb.has_grad = false;
	rc = mlfit_minimize(&pb, NULL, t0, t, &info, &e);
	ok(rc == 0 && info.converged && fabs(t[0] - MU[0]) < 1e-6 &&
	        fabs(t[1] - MU[1]) < 1e-6 && fabs(t[2] - MU[2]) < 1e-6,
	    "quadratic without a gradient: minimum found in %zu iterations",
	    info.iterations);
	mlfit_hessian(&pb, t, H, &e);
	for (i = 0; i < 9; i++)
		if (fabs(H[i] - A[i]) > 1e-5)
			bad++;
	ok(bad == 0, "Hessian from function values is A");

	/* inv(A) = [2 -1 0; -1 2 0; 0 0 0.75] / 3; n = 100. */
	mlfit_log_se(A, 3, 100, se);
	ok(fabs(se[0] - sqrt(2.0 / 300)) < 1e-15 &&
	        fabs(se[1] - sqrt(2.0 / 300)) < 1e-15 &&
	        fabs(se[2] - sqrt(0.25 / 100)) < 1e-15,
	    "standard errors are sqrt(diag((n A)^-1))");
	{
		const double indef[4] = { 1, 0, 0, -1 },
		             sing[4] = { 1, 1, 1, 1 };
		const double nan[4] = { 1, 0, 0, NAN };
		double       s2[2];

		mlfit_log_se(indef, 2, 10, s2);
		bad = !isnan(s2[0]) || !isnan(s2[1]);
		mlfit_log_se(sing, 2, 10, s2);
		bad += !isnan(s2[0]) || !isnan(s2[1]);
		mlfit_log_se(nan, 2, 10, s2);
		bad += !isnan(s2[0]) || !isnan(s2[1]);
		ok(bad == 0, "indefinite, singular or NaN Hessian: NaN errors");
	}

	pb.k = 2, pb.fn = rosenbrock, pb.has_grad = true;
	rc = mlfit_minimize(&pb, NULL, r0, t, &info, &e);
	ok(rc == 0 && info.converged && fabs(t[0] - 1) < 1e-6 &&
	        fabs(t[1] - 1) < 1e-6,
	    "Rosenbrock from (-1.2, 1): (1, 1) in %zu iterations",
	    info.iterations);
	{
		struct mlfit_opts o = { 0, 3, 0 };

		rc = mlfit_minimize(&pb, &o, r0, t, &info, &e);
		ok(rc == 0 && !info.converged && info.iterations <= 3,
		    "3 iterations are not enough: not converged");
	}

	pb.k = 1, pb.fn = cliff;
	rc = mlfit_minimize(&pb, NULL, t0, t, &info, &e);
	ok(rc == 0 && !info.converged && t[0] <= 3,
	    "an objective failing mid-way ends the search at the last good "
	    "point (%g)",
	    t[0]);
	{
		const double t4[1] = { 4 };

		rc = mlfit_minimize(&pb, NULL, t4, t, &info, &e);
		ok(rc == -1 && strcmp(e.msg, "over the cliff") == 0,
		    "an objective failing at the start fails the fit: %s",
		    e.msg);
	}
	{
		struct mlfit_opts    o = { -1, 0, 0 };
		struct mlfit_problem q = { 3, quad, NULL, true, quad_hess };

		rc = mlfit_run(&q, &o, t0, t, 100, &info, &e);
		ok(rc == -1 && e.code == CI_EXIT_USAGE,
		    "a negative penalizer is refused: %s", e.msg);
		rc = mlfit_run(&q, NULL, t0, t, 100, &info, &e);
		ok(rc == 0 && info.converged && info.n_customers == 100 &&
		        fabs(t[1] - MU[1]) < 1e-12 &&
		        fabs(info.se[0] - sqrt(2.0 / 300)) < 1e-14 &&
		        fabs(info.se[2] - sqrt(0.25 / 100)) < 1e-14,
		    "mlfit_run with the analytic Hessian: the minimum in %zu "
		    "iterations and exact standard errors",
		    info.iterations);
	}
	pb.k = 0;
	rc = mlfit_minimize(&pb, NULL, t0, t, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE, "0 parameters are refused");
	pb.k = MLFIT_MAXP + 1;
	rc = mlfit_minimize(&pb, NULL, t0, t, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE, "%d parameters are refused",
	    MLFIT_MAXP + 1);
	test_fit();
	return done_testing();
}
