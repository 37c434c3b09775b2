/*
 * betageo_test: the terms the BG/NBD and MBG/NBD share, against the
 * special functions taken one by one: a row function that records what
 * it is handed checks the terms of each x (with x' = x and x' = x + 1),
 * of T and of t_x, the sum over the rows, and the Hessian terms of A1
 * added at the end.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>

#include "betageo.h"
#include "cbs.h"
#include "specfun.h"
#include "tap.h"

/* (x, t_x, T, customers) */
static const double rows[][4] = {
	{ 0, 0, 30, 3 },
	{ 1, 5, 30, 2 },
	{ 2, 12.5, 26, 1 },
	{ 5, 20, 28, 1 },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const double P[4] = { 0.25, 4.5, 0.8, 2.4 };

/* What the row function was handed, by row. */
static struct betageo_row seen[NROWS];
static size_t             nseen;

static void
record(const struct betageo_row *c, int order, double *s, double *g, double *h)
{
	(void)order, (void)g, (void)h;
	if (nseen < NROWS)
		seen[nseen] = *c;
	nseen++;
	*s += c->w;
}

static int
rel_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fabs(want);
}

/* The terms of x with x' = x + shift, one special function at a time. */
static int
terms_ok(const double *t, double x, double shift)
{
	const double  r = P[0], a = P[2], b = P[3], xs = x + shift;
	double        lr, lrx, lab, lb, lbx, labx, d1, d2, d3, d4, h1, h2;
	struct ci_err e;

	if (xs == 0)
		return t[BETAGEO_L1] == 0 && t[BETAGEO_L2] == 0 &&
		    t[BETAGEO_LB] == 0 && t[BETAGEO_D1R] == 0 &&
		    t[BETAGEO_H2B] == 0;
	specfun_lngamma(r, &lr, &e), specfun_lngamma(r + x, &lrx, &e);
	specfun_lngamma(a + b, &lab, &e), specfun_lngamma(b, &lb, &e);
	specfun_lngamma(b + xs, &lbx, &e),
	    specfun_lngamma(a + b + xs, &labx, &e);
	specfun_psi(r + x, &d1, &e), specfun_psi(r, &d2, &e);
	specfun_psi(a + b, &d3, &e), specfun_psi(a + b + xs, &d4, &e);
	specfun_psi1(b + xs, &h1, &e), specfun_psi1(b, &h2, &e);
	return rel_near(t[BETAGEO_L1], lrx - lr, 1e-13) &&
	    rel_near(t[BETAGEO_L2], lab + lbx - lb - labx, 1e-12) &&
	    rel_near(t[BETAGEO_LB], log(b + xs - 1), 1e-15) &&
	    rel_near(t[BETAGEO_D1R], d1 - d2, 1e-13) &&
	    rel_near(t[BETAGEO_D2A], d3 - d4, 1e-13) &&
	    rel_near(t[BETAGEO_H2B] - t[BETAGEO_H2A], h1 - h2, 1e-12);
}

static void
run(double shift, const char *name)
{
	struct cbs     d;
	struct cbs_acc a;
	struct ci_err  e;
	double         ws[64], ll = 0, g[4] = { 0 }, h[16] = { 0 };
	size_t         i, bad = 0;
	int            rc;

	cbs_acc_init(&a);
	for (i = 0; i < NROWS; i++)
		cbs_acc_add(&a, rows[i][0], rows[i][1], rows[i][2],
		    (size_t)rows[i][3], &e);
	cbs_acc_freeze(&a, &d);
	nseen = 0;
	rc = betageo_loglik(P, &d, shift, record, ws, 2, &ll, g, h, &e);
	ok(rc == 0 && nseen == NROWS && ll == 7,
	    "%s: the row function sees every row once", name);
	for (i = 0; i < NROWS; i++)
		if (seen[i].x != rows[i][0] || seen[i].w != rows[i][3] ||
		    seen[i].r != P[0] || seen[i].b != P[3] ||
		    seen[i].ln_alpha != log(P[1]) ||
		    seen[i].ln_a != log(P[2]) ||
		    seen[i].lT != log(P[1] + rows[i][2]) ||
		    seen[i].iT != 1 / (P[1] + rows[i][2]) ||
		    seen[i].ltx != log(P[1] + rows[i][1]) ||
		    seen[i].itx != 1 / (P[1] + rows[i][1]) ||
		    !terms_ok(seen[i].t, rows[i][0], shift))
			bad++;
	ok(bad == 0, "%s: each row's terms are those of its x, T and t_x",
	    name);
	ok(h[1] == 7 / P[1] && h[5] == -7 * P[0] / (P[1] * P[1]) && h[0] == 0 &&
	        h[4] == 0,
	    "%s: A1's Hessian terms are added once for all customers", name);
	cbs_release(&d);
}

static void
test_errors(void)
{
	struct cbs     d;
	struct cbs_acc a;
	struct ci_err  e;
	const double   bad[4] = { 0.25, 4.5, 0.8, 1e306 };
	double         ws[16], ll;
	int            rc;

	cbs_acc_init(&a);
	cbs_acc_add(&a, 1, 1, 2, 1, &e);
	cbs_acc_freeze(&a, &d);
	rc = betageo_loglik(bad, &d, 0, record, ws, 0, &ll, NULL, NULL, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA,
	    "a gamma function out of range fails: %s", e.msg);
	cbs_release(&d);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(3 + 3 + 1);
	run(0, "x' = x (BG/NBD)");
	run(1, "x' = x + 1 (MBG/NBD)");
	test_errors();
	return done_testing();
}
