/*
 * paretonbd: the Pareto/NBD likelihood, the fit and the predictions.
 * Sources: Schmittlein, Morrison & Colombo (1987), Management Science
 * 33(1); Fader & Hardie (2005), "A note on deriving the Pareto/NBD model
 * and related expressions" (note 009), whose equation numbers are cited
 * below, in the form lifetimes' ParetoNBDFitter evaluates them.  Tested
 * against lifetimes 0.11's CDNOW estimates r = 0.5533, alpha = 10.5775,
 * s = 0.6062, beta = 11.6690 (tests/unit/clv/paretonbd_test.c).
 */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "clvmodel.h"
#include "paretonbd.h"
#include "specfun.h"

#define QAG_LIMIT 200

/*
 * The integrand of span_integral() after the change of variable
 * tau = t_x + (m + t_x) (e^u - 1), m the smaller of alpha and beta,
 * relative to its value at t_x.
 */
struct span {
	double ka, kb; /* r + x, s + 1 */
	double ea, eb; /* alpha + t_x, beta + t_x */
	double em;     /* m + t_x */
};

static double
span_f(double u, void *arg)
{
	const struct span *sp = arg;
	double             d = sp->em * expm1(u);

	return exp(
	    -sp->ka * log1p(d / sp->ea) - sp->kb * log1p(d / sp->eb) + u);
}

/*
 * ln of s times the integral over (t_x, T] of
 * (alpha + tau)^-(r+x) (beta + tau)^-(s+1), which is what the note's
 * s / (r + s + x) A0 (eqs. 19-20) sums up: the likelihood of a customer
 * who died at tau after his last purchase.  Used where the 2F1 argument
 * (M - m) / (M + t_x) is beyond SPECFUN_ZMAX, when one of alpha and beta
 * is tiny next to the other (and t_x small), and for short spans T - t_x.
 * The integrand then falls steeply over a span of the smaller one near
 * t_x; in the variable u = ln((m + tau) / (m + t_x)) it is smooth, and
 * GSL's adaptive Gauss-Kronrod takes it to about 1e-12.
 */
static int
span_integral(const struct paretonbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	struct span  sp = { p->r + x, p->s + 1, p->alpha + tx, p->beta + tx,
		 fmin(p->alpha, p->beta) + tx };
	gsl_function f = { span_f, &sp };
	gsl_integration_workspace *ws =
	    gsl_integration_workspace_alloc(QAG_LIMIT);
	double val = 0, abserr = 0;
	int    st = GSL_FAILURE;

	if (ws != NULL)
		st = gsl_integration_qag(&f, 0, log1p((T - tx) / sp.em), 0,
		    1e-12, QAG_LIMIT, GSL_INTEG_GAUSS21, ws, &val, &abserr);
	gsl_integration_workspace_free(ws);
	if ((st != GSL_SUCCESS && !(abserr <= 1e-9 * val)) || !(val > 0))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "quadrature of the Pareto/NBD likelihood did not converge "
		    "(x %g, t_x %g, T %g)",
		    x, tx, T);
	*out = log(p->s) + log(val) + log(sp.em) - sp.ka * log(sp.ea) -
	    sp.kb * log(sp.eb);
	return 0;
}

/*
 * ln[(M + t)^-a 2F1(a, k; a + 1; z)], z = (M - m) / (M + t): with Euler's
 * transformation 2F1(a, k; a + 1; z) = (1 - z)^(1 - k) 2F1(1, a + 1 - k;
 * a + 1; z) and 1 - z = (m + t) / (M + t) it is
 *
 *   (k - 1 - a) ln(M + t) + (1 - k) ln(m + t) + ln 2F1(1, a + 1 - k; a + 1; z),
 *
 * whose 2F1 is a series of positive terms below 1 / (1 - z): however
 * large r + x is, nothing overflows, where the untransformed series grows
 * like (1 - z)^-(r + x) (lifetimes' hyp2f1() overflows there).  Returns
 * -1 (without an error) when z is beyond the series.
 */
static int
log_a0_term(double a, double k, double m, double M, double t, double *out)
{
	double z = (M - m) / (M + t), g = 1;

	if (z > SPECFUN_ZMAX ||
	    specfun_hyp2f1_1(a + 1 - k, a + 1, z, &g, NULL) == -1)
		return -1;
	*out = (k - 1 - a) * log(M + t) + (1 - k) * log(m + t) + log(g);
	return 0;
}

/*
 * ln of the likelihood's second term, s / (r + s + x) A0 (note 009,
 * eqs. 18-20), -inf when t_x = T.  With m and M the smaller and the
 * larger of alpha and beta, a = r + s + x, and k = r + x when
 * alpha < beta, else s + 1,
 *
 *   A0 = 2F1(a, k; a + 1; (M - m) / (M + t_x)) / (M + t_x)^a
 *      - 2F1(a, k; a + 1; (M - m) / (M + T)) / (M + T)^a,
 *
 * the difference taken in log space (the first term is the larger).
 * The rounding error of each term is a few ulps of |u1|, so the
 * difference is good to about 1e-13 when u1 - u2 > 1e-3 (1 + |u1|);
 * where T - t_x is shorter, or a 2F1 argument is beyond the series, the
 * integral the difference stands for is computed instead.
 */
static int
log_second(const struct paretonbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	double rsx = p->r + p->s + x, m, M, k, u1, u2;

	if (tx >= T) {
		*out = -INFINITY;
		return 0;
	}
	if (p->alpha < p->beta)
		m = p->alpha, M = p->beta, k = p->r + x;
	else
		m = p->beta, M = p->alpha, k = p->s + 1;
	if (log_a0_term(rsx, k, m, M, tx, &u1) == 0 &&
	    log_a0_term(rsx, k, m, M, T, &u2) == 0 &&
	    u1 - u2 > 1e-3 * (1 + fabs(u1))) {
		*out = log(p->s / rsx) + u1 + log(-expm1(u2 - u1));
		return 0;
	}
	return span_integral(p, x, tx, T, out, err);
}

/* ln of the first term, (alpha + T)^-(r+x) (beta + T)^-s (eq. 18). */
static double
log_first(const struct paretonbd_params *p, double x, double T)
{
	return -(p->r + x) * log(p->alpha + T) - p->s * log(p->beta + T);
}

/*
 * The total log-likelihood of the struct cbs dp at v = (r, alpha, s,
 * beta) (eq. 18), as clvmodel_loglik_fn states for order 0: per customer
 *
 *   ln L = ln Gamma(r + x) - ln Gamma(r) + r ln alpha + s ln beta
 *          + ln[(alpha + T)^-(r+x) (beta + T)^-s + s / (r + s + x) A0],
 *
 * with ws holding ln Gamma(r + x) - ln Gamma(r) per distinct x.
 */
static int
loglik(const double *v, const void *dp, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	const struct paretonbd_params p = { v[0], v[1], v[2], v[3] };
	const struct cbs             *d = dp;
	double                        lgr, lg, lb = 0, s = 0,
	                c = p.r * log(p.alpha) + p.s * log(p.beta);
	size_t i, j;

	(void)order, (void)g, (void)h;
	if (specfun_lngamma(p.r, &lgr, err) == -1)
		return -1;
	for (j = 0; j < d->nx; j++) {
		ws[j] = 0;
		if (d->xs[j] > 0) {
			if (specfun_lngamma(p.r + d->xs[j], &lg, err) == -1)
				return -1;
			ws[j] = lg - lgr;
		}
	}
	for (i = 0; i < d->n; i++) {
		if (log_second(&p, d->x[i], d->tx[i], d->T[i], &lb, err) == -1)
			return -1;
		s += d->w[i] *
		    (ws[d->xi[i]] + c +
		        specfun_logaddexp(log_first(&p, d->x[i], d->T[i]), lb));
	}
	*ll = s;
	return 0;
}

/*
 * The Pareto/NBD for clvmodel: alpha and beta are times, and the
 * likelihood's 2F1 terms have no convenient derivatives in the
 * parameters.
 */
static const struct clvmodel model = {
	.title = "Pareto/NBD",
	.k = 4,
	.par = {
		{ "r", offsetof(struct paretonbd_params, r), false },
		{ "alpha", offsetof(struct paretonbd_params, alpha), true },
		{ "s", offsetof(struct paretonbd_params, s), false },
		{ "beta", offsetof(struct paretonbd_params, beta), true },
	},
	.ws_x = 1,
	.ws_t = 0,
	.derivs = false,
	.loglik = loglik,
};

int
paretonbd_loglik(const struct paretonbd_params *p, const struct cbs *d,
    double *ll, struct ci_err *err)
{
	return clvmodel_loglik(&model, p, d, ll, NULL, NULL, err);
}

int
paretonbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct paretonbd_params *p, struct mlfit_info *info, struct ci_err *err)
{
	return clvmodel_fit(&model, d, o, p, info, err);
}

/*
 * P(alive) (eqs. 36-37): the share of the likelihood's first term,
 * 1 / (1 + s / (r + s + x) A0 (alpha + T)^(r+x) (beta + T)^s).
 */
static int
p_alive(const struct paretonbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	double lb = 0;

	if (log_second(p, x, tx, T, &lb, err) == -1)
		return -1;
	*out = specfun_expit(log_first(p, x, T) - lb);
	return 0;
}

int
paretonbd_p_alive(const struct paretonbd_params *p, double x, double tx,
    double T, double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, tx, T, err) == -1)
		return -1;
	return p_alive(p, x, tx, T, out, err);
}

/*
 * Eq. 41 over P(alive): (r + x) (beta + T) / ((alpha + T) (s - 1))
 * [1 - ((beta + T) / (beta + T + t))^(s - 1)], where the bracket over
 * s - 1 is -expm1((s - 1) l) / (s - 1) with l = ln((beta + T) /
 * (beta + T + t)), so that s near 1 loses nothing, and -l at s = 1.
 */
int
paretonbd_expected_alive(const struct paretonbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	size_t i;

	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		double l, g;

		if (!(isfinite(t[i]) && t[i] >= 0))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "bad period %g for the expected purchases", t[i]);
		l = -log1p(t[i] / (p->beta + T));
		g = p->s == 1 ? -l : -expm1((p->s - 1) * l) / (p->s - 1);
		out[i] = (p->r + x) * (p->beta + T) / (p->alpha + T) * g;
	}
	return 0;
}

int
paretonbd_expected(const struct paretonbd_params *p, double t, double x,
    double tx, double T, double *out, struct ci_err *err)
{
	double pa = 0, e = 0;

	if (paretonbd_p_alive(p, x, tx, T, &pa, err) == -1 ||
	    paretonbd_expected_alive(p, x, T, &t, 1, &e, err) == -1)
		return -1;
	*out = pa * e;
	return 0;
}
