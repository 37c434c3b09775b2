/*
 * clvmodel_test: the scaffolding the models share, on two small models.
 * A table-driven fake checks the parameter and customer checks, what the
 * log-likelihood wrapper copies and fills in (the lower triangle), the
 * workspace it gives, and its failures.  A Poisson model of the time
 * between purchases, whose estimate is known (the total time observed
 * over the total purchases), checks the fit: the time scale, the penalty
 * on it, the diagnostics, and the data it refuses.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cbs.h"
#include "clvmodel.h"
#include "tap.h"

struct two {
	double u, v;
};

/*
 * The fake: a fixed value, gradient and upper triangle; the value is NaN
 * when u is 7, and it fails when u is 5.  It fills every double of the
 * workspace its table asks for (ASan checks the size).
 */
static int
fake(const double *p, const void *dp, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	const struct cbs *d = dp;
	size_t            i, n = d->nx * 3 + (d->nT + d->ntx) * 2;

	if (p[0] == 5)
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0, "five");
	for (i = 0; i < n; i++)
		ws[i] = (double)i;
	*ll = p[0] == 7 ? NAN : 1;
	if (order >= 1)
		g[0] += 2, g[1] += 3;
	if (order >= 2)
		h[0] += 4, h[1] += 5, h[3] += 6;
	return 0;
}

static const struct clvmodel fake_model = {
	.title = "Fake",
	.k = 2,
	.par = {
		{ "u", offsetof(struct two, u), false },
		{ "v", offsetof(struct two, v), true },
	},
	.ws_x = 3,
	.ws_t = 2,
	.derivs = true,
	.loglik = fake,
};

/*
 * Purchases at the rate 1 / theta over the time observed, theta a time:
 * sum of w (-x ln theta - T / theta), with its derivatives in theta.
 */
static int
poisson(const double *p, const void *dp, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	const struct cbs *d = dp;
	double            th = p[0], s = 0;
	size_t            i;

	(void)ws, (void)err;
	for (i = 0; i < d->n; i++) {
		s += d->w[i] * (-d->x[i] * log(th) - d->T[i] / th);
		if (order >= 1)
			g[0] += d->w[i] * (-d->x[i] / th + d->T[i] / (th * th));
		if (order >= 2)
			h[0] += d->w[i] *
			    (d->x[i] / (th * th) -
			        2 * d->T[i] / (th * th * th));
	}
	*ll = s;
	return 0;
}

static const struct clvmodel poisson_model = {
	.title = "Poisson",
	.k = 1,
	.par = { { "theta", 0, true } },
	.derivs = true,
	.loglik = poisson,
};

/* (x, t_x, T, customers) */
static const double rows[][4] = {
	{ 0, 0, 30, 3 },
	{ 1, 5, 30, 2 },
	{ 2, 12.5, 26, 1 },
	{ 5, 20, 28, 1 },
	{ 0, 0, 12, 2 },
};

static void
load(struct cbs *d)
{
	struct cbs_acc a;
	struct ci_err  e;
	size_t         i;

	cbs_acc_init(&a);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cbs_acc_add(&a, rows[i][0], rows[i][1], rows[i][2],
		    (size_t)rows[i][3], &e);
	cbs_acc_freeze(&a, d);
}

static void
test_checks(void)
{
	struct two    p = { 1, 2 }, bad = { 1, -3 };
	struct ci_err e;
	int           rc;

	ok(clvmodel_check(&fake_model, &p, &e) == 0, "good parameters pass");
	rc = clvmodel_check(&fake_model, &bad, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL, "a bad parameter is refused");
	is_str(e.msg, "bad Fake parameter v '-3': not a number > 0",
	    "the message names the model, the parameter and its value");
	ok(clvmodel_check_customer(&fake_model, &p, 2.5, 1, 3, &e) == 0,
	    "a customer summary with a fractional x passes");
	rc = clvmodel_check_customer(&fake_model, &p, 1, 4, 3, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA &&
	        strcmp(e.msg, "bad customer summary (x 1, t_x 4, T 3)") == 0,
	    "t_x beyond T is refused: %s", e.msg);
	rc = clvmodel_check_customer(&fake_model, &bad, 1, 1, 3, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL,
	    "the parameters are checked before the summary");
}

static void
test_loglik(void)
{
	struct cbs    d;
	struct two    p = { 1, 2 };
	struct ci_err e;
	double        ll = 0, g[2] = { 0, 0 }, h[4] = { 0, 0, 0, 0 };
	int           rc;

	load(&d);
	rc = clvmodel_loglik(&fake_model, &p, &d, &ll, g, h, &e);
	ok(rc == 0 && ll == 1 && g[0] == 2 && g[1] == 3,
	    "the value and the gradient are the model's");
	ok(h[0] == 4 && h[1] == 5 && h[2] == 5 && h[3] == 6,
	    "the lower triangle of the Hessian is the upper one");
	g[0] = g[1] = -1;
	rc = clvmodel_loglik(&fake_model, &p, &d, &ll, g, NULL, &e);
	ok(rc == 0 && g[0] == 2 && g[1] == 3, "the gradient alone");
	p.u = 7;
	rc = clvmodel_loglik(&fake_model, &p, &d, &ll, NULL, NULL, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA &&
	        strcmp(e.msg, "the Fake likelihood is not finite") == 0,
	    "a likelihood that is not finite fails: %s", e.msg);
	p.u = 5;
	rc = clvmodel_loglik(&fake_model, &p, &d, &ll, NULL, NULL, &e);
	ok(rc == -1 && strcmp(e.msg, "five") == 0,
	    "the model's own failure comes through");
	p.u = 0;
	rc = clvmodel_loglik(&fake_model, &p, &d, &ll, NULL, NULL, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL, "bad parameters fail: %s",
	    e.msg);
	cbs_release(&d);
}

static void
test_fit(void)
{
	struct cbs        d, zero;
	struct cbs_acc    a;
	struct mlfit_opts o = { 0.5, 0, 0 }, neg = { -1, 0, 0 };
	struct mlfit_info info;
	struct ci_err     e;
	double            th = 0, ll, X = 0, S = 0, M = 30, f;
	size_t            i;
	int               rc;

	load(&d);
	for (i = 0; i < d.n; i++)
		X += d.w[i] * d.x[i], S += d.w[i] * d.T[i];
	rc = clvmodel_fit(&poisson_model, &d, NULL, &th, &info, &e);
	poisson(&th, &d, NULL, 0, &ll, NULL, NULL, &e);
	ok(rc == 0 && info.converged && fabs(th - S / X) < 1e-9 * (S / X) &&
	        info.loglik == ll && info.n_customers == 9 &&
	        info.n_distinct == 5,
	    "the estimate is the time observed over the purchases: %.12g", th);
	ok(fabs(info.se[0] - th / sqrt(X)) < 1e-6 * th,
	    "its standard error is theta / sqrt(purchases): %.12g", info.se[0]);
	/* -ll / n + c (theta / max T)^2 is least where its derivative is 0. */
	rc = clvmodel_fit(&poisson_model, &d, &o, &th, &info, &e);
	f = (X / th - S / (th * th)) / 9 + 2 * o.penalizer * th / (M * M);
	ok(rc == 0 && info.converged && fabs(f) < 1e-9,
	    "the penalty is on theta in units of the largest T: %.12g", th);
	th = 42;
	rc = clvmodel_fit(&poisson_model, &d, &neg, &th, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE && th == 42,
	    "a bad penalizer is refused, the parameters left alone: %s", e.msg);
	cbs_acc_init(&a);
	cbs_acc_add(&a, 0, 0, 0, 4, &e);
	cbs_acc_freeze(&a, &zero);
	rc = clvmodel_fit(&poisson_model, &zero, NULL, &th, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA && th == 42,
	    "customers observed for no time are refused: %s", e.msg);
	cbs_release(&zero);
	cbs_release(&d);
}

/*
 * A spend model: each customer's mean value m exponential with mean mu,
 * sum of w (-ln mu - m / mu), without derivatives; mu is the mean m.
 */
static int
expo(const double *p, const void *dp, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	const struct cbs_spend *d = dp;
	double                  s = 0;
	size_t                  i;

	(void)ws, (void)order, (void)g, (void)h, (void)err;
	for (i = 0; i < d->n; i++)
		s += d->w[i] * (-log(p[0]) - d->m[i] / p[0]);
	*ll = s;
	return 0;
}

static const struct clvmodel expo_model = {
	.title = "Expo",
	.k = 1,
	.par = { { "mu", 0, false } },
	.ws_x = 1,
	.loglik = expo,
};

static void
test_spend(void)
{
	struct cbs_spend     d = { 0 };
	struct cbs_spend_acc a;
	struct mlfit_info    info;
	struct ci_err        e;
	double               mu = 42, ll;
	int                  rc;

	rc = clvmodel_spend_fit(&expo_model, &d, NULL, &mu, &info, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA && mu == 42 &&
	        strcmp(e.msg, "no customer with a repeat purchase to fit to") ==
	            0,
	    "spend data without customers are refused: %s", e.msg);
	cbs_spend_acc_init(&a);
	cbs_spend_acc_add(&a, 2, 10, 3, &e);
	cbs_spend_acc_add(&a, 1, 30, 1, &e);
	cbs_spend_acc_freeze(&a, &d);
	rc = clvmodel_spend_fit(&expo_model, &d, NULL, &mu, &info, &e);
	ok(rc == 0 && info.converged && fabs(mu - 15) < 1e-5 &&
	        info.n_customers == 4 && info.n_distinct == 2,
	    "a spend model is fitted by differences: mu %.9g", mu);
	mu = 0;
	rc = clvmodel_spend_loglik(&expo_model, &mu, &d, &ll, NULL, NULL, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL,
	    "the spend log-likelihood checks the parameters: %s", e.msg);
	cbs_spend_release(&d);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(6 + 6 + 5 + 3);
	test_checks();
	test_loglik();
	test_fit();
	test_spend();
	return done_testing();
}
