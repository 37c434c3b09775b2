/*
 * specfun: GSL's gamma functions with their status checked, the positive
 * series of 2F1(1, b; c; z), and the beta mixture by its series or by
 * quadrature.  Each series is summed until a bound on the rest of it, not
 * merely the last term, is below the tolerance.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "specfun.h"
#include "xalloc.h"

/* The relative size of the rest of a series at which it stops. */
#define SERIES_EPS 1e-17
/* Terms after which a series is given up; SPECFUN_ZMAX needs ~8,000. */
#define SERIES_MAX 100000
/* Subintervals the quadrature may use, and its relative tolerance. */
#define QUAD_LIMIT 500
#define QUAD_EPS 1e-11

int
specfun_lngamma(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_lngamma_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute ln Gamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_psi(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_psi_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute digamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_psi1(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_psi_1_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute trigamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_gamma_terms(
    const double *v, size_t n, int order, double *out, struct ci_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (specfun_lngamma(v[i], &out[i], err) == -1 ||
		    (order >= 1 && specfun_psi(v[i], &out[n + i], err) == -1) ||
		    (order >= 2 &&
		        specfun_psi1(v[i], &out[2 * n + i], err) == -1))
			return -1;
	return 0;
}

double
specfun_logaddexp(double u, double v)
{
	double hi = u > v ? u : v, lo = u > v ? v : u;

	if (hi == -INFINITY)
		return -INFINITY;
	return hi + log1p(exp(lo - hi));
}

double
specfun_expit(double u)
{
	if (u >= 0)
		return 1 / (1 + exp(-u));
	return exp(u) / (1 + exp(u));
}

/*
 * The terms (b)_n / (c)_n z^n are positive, and with b <= c each is at
 * most z times the one before, so the rest after a term t is below
 * t z / (1 - z).
 */
int
specfun_hyp2f1_1(double b, double c, double z, double *out, struct ci_err *err)
{
	double t = 1, s = 1;
	long   n;

	if (!(b > 0 && c >= b && isfinite(c) && z >= 0 && z <= SPECFUN_ZMAX))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "2F1(1, %g; %g; %g) is outside its positive series", b, c,
		    z);
	for (n = 0; n < SERIES_MAX; n++) {
		if (t * z <= SERIES_EPS * s * (1 - z))
			break;
		t *= (b + (double)n) / (c + (double)n) * z;
		s += t;
	}
	*out = s;
	return 0;
}

/* The integrand of the beta mixture over w = ln(1/p). */
struct mixq {
	double lnk, a, bb, lnu, lnb;
};

static double
mixq_f(double w, void *arg)
{
	const struct mixq *m = arg;
	double             v = m->lnu - w, l1, ly, lg, l;

	/*
	 * ln(1 - (1 + u e^-w)^-k) in steps that neither underflow nor lose
	 * digits where u e^-w is tiny: ln y with y = k ln(1 + u e^-w), then
	 * ln(1 - e^-y).
	 */
	l1 = v < -40 ? v : log(log1p(exp(v)));
	ly = m->lnk + l1;
	lg = ly < -40 ? ly : log(-expm1(-exp(ly)));
	l = lg - (m->a - 1) * w - m->lnb;
	if (m->bb != 1)
		l += (m->bb - 1) * log(-expm1(-w));
	return exp(l);
}

/*
 * M(u) as the integral over w = ln(1/p) in (0, inf) of
 * (1 - (1 + u e^-w)^-k) e^(-(a - 1) w) (1 - e^-w)^(bb - 1) / B(a, bb):
 * in w the Beta density is smooth and unimodal however concentrated it
 * is in p, and the step of the purchases term, at p near 1 / (k u), is a
 * smooth shoulder.
 */
static int
mix_quad(
    double k, double a, double bb, double u, double *out, struct ci_err *err)
{
	struct mixq                m = { log(k), a, bb, log(u), 0 };
	gsl_function               f = { mixq_f, &m };
	gsl_integration_workspace *ws;
	gsl_sf_result              lnb;
	double                     val = NAN, abserr = 0;
	int                        st = GSL_FAILURE;

	if (gsl_sf_lnbeta_e(a, bb, &lnb) != GSL_SUCCESS)
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute ln B(%g, %g)", a, bb);
	m.lnb = lnb.val;
	ws = gsl_integration_workspace_alloc(QUAD_LIMIT);
	if (ws == NULL)
		xalloc_fail(QUAD_LIMIT * 4 * sizeof(double));
	st = gsl_integration_qagiu(
	    &f, 0, 0, QUAD_EPS, QUAD_LIMIT, ws, &val, &abserr);
	gsl_integration_workspace_free(ws);
	if ((st != GSL_SUCCESS && !(abserr <= 1e-9 * fabs(val))) ||
	    !isfinite(val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the expected purchases (shape %g, period %g, beta %g, "
		    "%g) cannot be integrated",
		    k, u, a, bb);
	*out = val;
	return 0;
}

/* The state of the series of one period. */
struct mixs {
	double z, zn; /* z and z^n */
	double sum;   /* S so far */
	double abs;   /* the sum of the terms' magnitudes */
	double w, cw; /* (1 + u)^-(a - 1) and c (1 - w) / (a - 1) */
	int    done;
};

/*
 * The series S for the periods in st[0..n-1] at once.  The n-th term's
 * coefficient is shared; its ratio to the one before is
 * g = (A + n)(a + n - 1) / ((c + n)(n + 1)), times z.  Past n = -A and
 * n = 1 - a the terms keep one sign, and g moves monotonically towards 1,
 * so the ratios to come are below rho = z max(1, g) and the rest after a
 * term t is below |t| rho / (1 - rho).
 */
static void
mix_series(double A, double a, double c, struct mixs *st, size_t n)
{
	double kappa = A, g, nn;
	size_t i, left = 0;
	long   j;

	for (i = 0; i < n; i++) {
		st[i].zn = st[i].z;
		st[i].sum = kappa * st[i].zn;
		st[i].abs = fabs(st[i].sum);
		left += st[i].done == 0;
	}
	for (j = 1; j < SERIES_MAX && left > 0; j++) {
		nn = (double)j;
		g = (A + nn) * (a + nn - 1) / ((c + nn) * (nn + 1));
		kappa *= g;
		for (i = 0; i < n; i++) {
			double t, rho, scale;

			if (st[i].done)
				continue;
			st[i].zn *= st[i].z;
			t = kappa * st[i].zn;
			st[i].sum += t;
			st[i].abs += fabs(t);
			if (nn + A <= 1 || nn + a <= 2)
				continue;
			rho = st[i].z * (fabs(g) > 1 ? fabs(g) : 1);
			scale = fabs(st[i].cw) + st[i].w * fabs(st[i].sum);
			if (rho < 1 &&
			    st[i].w * fabs(t) * rho <=
			        SERIES_EPS * scale * (1 - rho)) {
				st[i].done = 1;
				left--;
			}
		}
	}
}

int
specfun_beta_mixture(double k, double a, double bb, const double *u, size_t n,
    double *out, struct ci_err *err)
{
	double      c = a + bb - 1, A = c - k;
	struct mixs small[16], *st;
	size_t      i;
	int         rc = 0;

	if (!(k > 0 && a > 0 && bb > 0 && isfinite(k) && isfinite(a) &&
	        isfinite(bb)))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad beta mixture (shape %g, beta %g, %g)", k, a, bb);
	for (i = 0; i < n; i++)
		if (!(u[i] >= 0 && isfinite(u[i])))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "bad period %g for the expected purchases", u[i]);
	st = n <= 16 ? small : xmalloc(n * sizeof(*st));
	for (i = 0; i < n; i++) {
		double l = -log1p(u[i]), e = (a - 1) * l;

		st[i].z = u[i] / (1 + u[i]);
		st[i].w = exp(e);
		st[i].cw = c * (a == 1 ? -l : -expm1(e) / (a - 1));
		/* 0: to sum; 1: summed; 2: zero or beyond the series. */
		st[i].done = u[i] == 0 || st[i].z > SPECFUN_ZMAX ? 2 : 0;
	}
	mix_series(A, a, c, st, n);
	for (i = 0; i < n && rc == 0; i++) {
		double m = st[i].cw - st[i].w * st[i].sum;

		/*
		 * The rounding error of the result is a few ulps of the
		 * magnitudes summed, |cw| + w sum |term|: where cancellation
		 * makes that over 1e4 times the result (from c - k far below
		 * 0, or c far above k), the quadrature is more accurate.
		 */
		if (u[i] == 0)
			out[i] = 0;
		else if (st[i].done == 1 &&
		    fabs(st[i].cw) + st[i].w * st[i].abs <= 1e4 * fabs(m))
			out[i] = m;
		else
			rc = mix_quad(k, a, bb, u[i], &out[i], err);
	}
	if (st != small)
		free(st);
	return rc;
}

int
specfun_beta_mixture_at(double k, double a, double bb, double scale,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	double small[16] = { 0 }, *u;
	size_t i;
	int    rc;

	u = n <= 16 ? small : xreallocarray(NULL, n, sizeof(*u));
	for (i = 0; i < n; i++)
		u[i] = t[i] / scale;
	rc = specfun_beta_mixture(k, a, bb, u, n, out, err);
	if (u != small)
		free(u);
	return rc;
}
