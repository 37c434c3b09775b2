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
#include <stdbool.h>
#include <stddef.h>

#include "clvmodel.h"
#include "paretonbd.h"
#include "specfun.h"

/*
 * The largest 2F1 argument of the plain difference of the two terms of
 * A0, as this file took it before the stable forms below.
 */
#define PLAIN_ZMAX 0.995

/* Whether the plain forms of the likelihood would cancel (see base()). */
static bool
is_big(const struct paretonbd_params *p)
{
	return p->r >= SPECFUN_BIG || p->s >= SPECFUN_BIG;
}

/*
 * ln[alpha^r beta^s (alpha + t)^-(r+x) (beta + t)^-s]: with big r or s
 * (the rates or the lifetimes all alike) as -r ln(1 + t / alpha) -
 * s ln(1 + t / beta) - x ln(alpha + t), whose terms do not cancel.
 */
static double
base(const struct paretonbd_params *p, double x, double t)
{
	return -p->r * log1p(t / p->alpha) - p->s * log1p(t / p->beta) -
	    x * log(p->alpha + t);
}

/* The integrand of A0 in v = ln((m + tau) / (m + t_x)), over its value
 * at t_x (see span()). */
struct span {
	double A, B;   /* r + x, s + 1 */
	double ta, tb; /* (m + t_x) / (alpha + t_x), (m + t_x) / (beta + t_x) */
};

static void
span_phi(void *ctx, double v, double *f, double *d1)
{
	const struct span *sp = ctx;
	double             em = expm1(v), e = em + 1;
	double             qa = sp->ta * em, qb = sp->tb * em;

	*f = v - sp->A * log1p(qa) - sp->B * log1p(qb);
	*d1 = 1 - sp->A * sp->ta * e / (1 + qa) - sp->B * sp->tb * e / (1 + qb);
}

/*
 * ln of s times the integral over (t_x, T] of (alpha + tau)^-(r+x)
 * (beta + tau)^-(s+1), which is what the note's s / (r + s + x) A0
 * (eqs. 19-20) sums up: the likelihood of a customer who died at tau after
 * his last purchase; with big r or s times alpha^r beta^s as well.  In
 * v = ln((m + tau) / (m + t_x)), m the smaller of alpha and beta, the
 * integrand is (m + t_x) (alpha + t_x)^-(r+x) (beta + t_x)^-(s+1) times
 * e^phi(v), phi(v) = v - (r + x) ln(1 + ta (e^v - 1)) - (s + 1) ln(1 +
 * tb (e^v - 1)), which is concave (one of ta and tb is 1, the other at
 * most 1), so specfun_log_concave() takes it whatever the parameters:
 * used where the series of A0 would be long (one of alpha and beta tiny
 * next to the other, and t_x small).
 */
static double
span(const struct paretonbd_params *p, double x, double tx, double T, bool big)
{
	double      m = fmin(p->alpha, p->beta), mt = m + tx;
	struct span sp = { p->r + x, p->s + 1, mt / (p->alpha + tx),
		mt / (p->beta + tx) };
	double lk = specfun_log_concave(span_phi, &sp, 0, log1p((T - tx) / mt));

	if (big)
		return log(p->s) + log(mt) - log(p->beta + tx) +
		    base(p, x, tx) + lk;
	return log(p->s) + log(mt) - sp.A * log(p->alpha + tx) -
	    sp.B * log(p->beta + tx) + lk;
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
 * -1 (without an error) when z is beyond the plain form's range.
 */
static int
log_a0_term(double a, double k, double m, double M, double t, double *out)
{
	double z = (M - m) / (M + t), g = 1;

	if (z > PLAIN_ZMAX ||
	    specfun_hyp2f1_1(a + 1 - k, a + 1, z, &g, NULL) == -1)
		return -1;
	*out = (k - 1 - a) * log(M + t) + (1 - k) * log(m + t) + log(g);
	return 0;
}

/*
 * ln of the likelihood's second term, s / (r + s + x) A0 (note 009,
 * eqs. 18-20), -inf when t_x = T; with big r or s times alpha^r beta^s
 * (see base()).  With m and M the smaller and the larger of alpha and
 * beta, a = r + s + x, and k = r + x when alpha < beta, else s + 1,
 *
 *   A0 = 2F1(a, k; a + 1; (M - m) / (M + t_x)) / (M + t_x)^a
 *      - 2F1(a, k; a + 1; (M - m) / (M + T)) / (M + T)^a.
 *
 * Where the two terms differ by more than 1e-3 of the first's logarithm
 * the difference is taken in log space as it stands.  Otherwise the log
 * of their ratio, d, is summed from parts that do not cancel: (a + 1 - k)
 * ln(1 + (T - t_x) / (M + t_x)) + (k - 1) ln(1 + (T - t_x) / (m + t_x))
 * plus ln(1 + (G1 - G2) / G2), G1 - G2 the positive series of the
 * difference (specfun_hyp2f1_1_pair()), and A0 is the first term times
 * 1 - e^-d.  Where the series would be long, span().
 */
static double
log_second(const struct paretonbd_params *p, double x, double tx, double T)
{
	double rsx = p->r + p->s + x, m, M, k, u1, u2, g[3] = { 1, 1, 0 }, d;
	double dt = T - tx;
	bool   big = is_big(p);

	if (tx >= T)
		return -INFINITY;
	if (p->alpha < p->beta)
		m = p->alpha, M = p->beta, k = p->r + x;
	else
		m = p->beta, M = p->alpha, k = p->s + 1;
	if (!big && log_a0_term(rsx, k, m, M, tx, &u1) == 0 &&
	    log_a0_term(rsx, k, m, M, T, &u2) == 0 &&
	    u1 - u2 > 1e-3 * (1 + fabs(u1)))
		return log(p->s / rsx) + u1 + log(-expm1(u2 - u1));
	if (specfun_hyp2f1_1_pair(rsx + 1 - k, rsx + 1, (M - m) / (M + tx),
	        (M - m) / (M + T), g, NULL) == -1)
		return span(p, x, tx, T, big);
	d = (rsx + 1 - k) * log1p(dt / (M + tx)) +
	    (k - 1) * log1p(dt / (m + tx)) + log1p(g[2] / g[1]);
	if (big)
		return log(p->s / rsx) + base(p, x, tx) +
		    (p->alpha < p->beta ? log((p->alpha + tx) / (p->beta + tx))
		                        : 0) +
		    log(g[0]) + log(-expm1(-d));
	return log(p->s / rsx) + (k - 1 - rsx) * log(M + tx) +
	    (1 - k) * log(m + tx) + log(g[0]) + log(-expm1(-d));
}

/*
 * ln of the first term, (alpha + T)^-(r+x) (beta + T)^-s (eq. 18); with
 * big r or s times alpha^r beta^s (base()).
 */
static double
log_first(const struct paretonbd_params *p, double x, double T)
{
	if (is_big(p))
		return base(p, x, T);
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
	double                        lgr, lg, lb, s = 0, c = 0;
	size_t                        i, j;

	(void)order, (void)g, (void)h;
	if (!is_big(&p))
		c = p.r * log(p.alpha) + p.s * log(p.beta);
	if (specfun_lngamma(p.r, &lgr, err) == -1)
		return -1;
	for (j = 0; j < d->nx; j++) {
		ws[j] = 0;
		if (d->xs[j] > 0 && p.r >= SPECFUN_BIG) {
			ws[j] = specfun_lnpoch(p.r, d->xs[j]);
		} else if (d->xs[j] > 0) {
			if (specfun_lngamma(p.r + d->xs[j], &lg, err) == -1)
				return -1;
			ws[j] = lg - lgr;
		}
	}
	for (i = 0; i < d->n; i++) {
		lb = log_second(&p, d->x[i], d->tx[i], d->T[i]);
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
	(void)err;
	*out = specfun_expit(log_first(p, x, T) - log_second(p, x, tx, T));
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
paretonbd_survival(const struct paretonbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	size_t i;

	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (!(isfinite(t[i]) && t[i] >= 0))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "bad period %g for the survival", t[i]);
		out[i] = exp(-p->s * log1p(t[i] / (p->beta + T)));
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
