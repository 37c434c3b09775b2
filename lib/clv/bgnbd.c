/*
 * bgnbd: the BG/NBD likelihood, its gradient, the fit and the predictions.
 * Source: Fader, Hardie & Lee (2005), "'Counting your customers' the easy
 * way", Marketing Science 24(2); the likelihood in the log-space form
 * A1..A4 of their note "Implementing the BG/NBD model for customer base
 * analysis in Excel" (2005, note 004), as lifetimes' BetaGeoFitter writes
 * it.  Tested against the paper's CDNOW estimates r = 0.2426,
 * alpha = 4.4136, a = 0.7929, b = 2.4259 and lifetimes' predictions for
 * them (tests/unit/clv/bgnbd_test.c).
 */
#include <math.h>
#include <stdlib.h>

#include "bgnbd.h"
#include "specfun.h"
#include "xalloc.h"

/* Terms that depend on x alone, per distinct x (see loglik()). */
enum { T_L1, T_L2, T_LB1, T_D1R, T_D2A, T_D2B, T_H1R, T_H2A, T_H2B, T_N };

static int
check_params(const struct bgnbd_params *p, struct ci_err *err)
{
	const double v[4] = { p->r, p->alpha, p->a, p->b };
	const char  *name[4] = { "r", "alpha", "a", "b" };
	size_t       i;

	for (i = 0; i < 4; i++)
		if (!(isfinite(v[i]) && v[i] > 0))
			return ci_err_set(err, CI_EXIT_MODEL, NULL, 0,
			    "bad BG/NBD parameter %s '%g': not a number > 0",
			    name[i], v[i]);
	return 0;
}

static int
check_customer(double x, double tx, double T, struct ci_err *err)
{
	if (!(isfinite(x) && x >= 0 && isfinite(T) && T >= 0 && isfinite(tx) &&
	        tx >= 0 && tx <= T))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad customer summary (x %g, t_x %g, T %g)", x, tx, T);
	return 0;
}

/* Doubles of workspace loglik() needs for d. */
static size_t
ws_size(const struct cbs *d)
{
	return d->nx * T_N + 2 * d->nT + 2 * d->ntx + 1;
}

/*
 * The x-only terms of loglik(), into t (T_N doubles), to the order of
 * derivatives asked (0: values, 1: digamma, 2: trigamma); base holds the
 * same functions of r, a + b and b.
 */
static int
x_terms(const struct bgnbd_params *p, double x, const double *base, double *t,
    int order, struct ci_err *err)
{
	double l1, l2, l3;
	size_t i;

	for (i = 0; i < T_N; i++)
		t[i] = 0;
	t[T_LB1] = log(p->b + (x > 1 ? x : 1) - 1);
	if (x == 0)
		return 0;
	if (specfun_lngamma(p->r + x, &l1, err) == -1 ||
	    specfun_lngamma(p->b + x, &l2, err) == -1 ||
	    specfun_lngamma(p->a + p->b + x, &l3, err) == -1)
		return -1;
	t[T_L1] = l1 - base[0];
	t[T_L2] = base[1] + l2 - base[2] - l3;
	if (order < 1)
		return 0;
	if (specfun_psi(p->r + x, &l1, err) == -1 ||
	    specfun_psi(p->b + x, &l2, err) == -1 ||
	    specfun_psi(p->a + p->b + x, &l3, err) == -1)
		return -1;
	t[T_D1R] = l1 - base[3];
	t[T_D2A] = base[4] - l3;
	t[T_D2B] = base[4] + l2 - base[5] - l3;
	if (order < 2)
		return 0;
	if (specfun_psi1(p->r + x, &l1, err) == -1 ||
	    specfun_psi1(p->b + x, &l2, err) == -1 ||
	    specfun_psi1(p->a + p->b + x, &l3, err) == -1)
		return -1;
	t[T_H1R] = l1 - base[6];
	t[T_H2A] = base[7] - l3;
	t[T_H2B] = base[7] + l2 - base[8] - l3;
	return 0;
}

/* base[0..8]: ln Gamma, psi and psi' of r, a + b and b, as asked. */
static int
base_terms(
    const struct bgnbd_params *p, int order, double *base, struct ci_err *err)
{
	const double v[3] = { p->r, p->a + p->b, p->b };
	size_t       i;

	for (i = 0; i < 3; i++)
		if (specfun_lngamma(v[i], &base[i], err) == -1 ||
		    (order >= 1 &&
		        specfun_psi(v[i], &base[3 + i], err) == -1) ||
		    (order >= 2 && specfun_psi1(v[i], &base[6 + i], err) == -1))
			return -1;
	return 0;
}

/*
 * The total log-likelihood, its gradient and its Hessian in (r, alpha, a,
 * b) (as far as grad and hess are not NULL), with ws of ws_size()
 * doubles.  Per customer, paper eq. 6 in the form of note 004:
 *
 *   ln L = A1 + A2 + ln(e^A3 + [x > 0] e^A4),
 *   A1 = ln Gamma(r + x) - ln Gamma(r) + r ln alpha,
 *   A2 = ln Gamma(a + b) + ln Gamma(b + x) - ln Gamma(b) - ln Gamma(a+b+x),
 *   A3 = -(r + x) ln(alpha + T),
 *   A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x),
 *
 * summed in log space so that nothing overflows.  With w the share
 * e^A4 / (e^A3 + e^A4), the last term's gradient is (1 - w) dA3 + w dA4
 * and its Hessian (1 - w) d2A3 + w d2A4 + w (1 - w) D D', D = dA4 - dA3;
 * the gamma functions' derivatives are digamma and trigamma, per distinct
 * x.  The logarithms of alpha + T and alpha + t_x are taken once per
 * distinct T and t_x, so a customer costs one exp and one log.
 */
static int
loglik(const struct bgnbd_params *p, const struct cbs *d, double *ws,
    double *ll, double *grad, double *hess, struct ci_err *err)
{
	const double r = p->r, al = p->alpha, a = p->a, b = p->b;
	const int    order = hess != NULL ? 2 : grad != NULL ? 1 : 0;
	double       base[9];
	double      *lT = ws + d->nx * T_N, *iT = lT + d->nT;
	double      *ltx = iT + d->nT, *itx = ltx + d->ntx;
	double       lnal = log(al), lna = log(a), s = 0;
	double       g[4] = { 0, 0, 0, 0 }, h[16] = { 0 };
	size_t       i, j;

	if (base_terms(p, order, base, err) == -1)
		return -1;
	for (j = 0; j < d->nx; j++)
		if (x_terms(p, d->xs[j], base, ws + j * T_N, order, err) == -1)
			return -1;
	for (j = 0; j < d->nT; j++) {
		lT[j] = log(al + d->Ts[j]);
		iT[j] = 1 / (al + d->Ts[j]);
	}
	for (j = 0; j < d->ntx; j++) {
		ltx[j] = log(al + d->txs[j]);
		itx[j] = 1 / (al + d->txs[j]);
	}
	for (i = 0; i < d->n; i++) {
		const double *t = ws + d->xi[i] * T_N;
		double        x = d->x[i], w = d->w[i], rx = r + x;
		double        la3 = lT[d->Ti[i]], a3 = -rx * la3;
		double        la4 = 0, w4 = 0, li = a3, i3, i4 = 0, ib = 0;
		double        D[4], c;

		if (x > 0) {
			double a4, dd, e;

			la4 = ltx[d->txi[i]];
			a4 = lna - t[T_LB1] - rx * la4;
			dd = a4 - a3;
			e = exp(-fabs(dd));
			li = (dd > 0 ? a4 : a3) + log(1 + e);
			w4 = dd > 0 ? 1 / (1 + e) : e / (1 + e);
			i4 = itx[d->txi[i]];
			ib = 1 / (b + x - 1);
		}
		s += w * (t[T_L1] + r * lnal + t[T_L2] + li);
		if (order < 1)
			continue;
		i3 = iT[d->Ti[i]];
		g[0] += w * (t[T_D1R] + lnal - (1 - w4) * la3 - w4 * la4);
		g[1] += w * (r / al - rx * ((1 - w4) * i3 + w4 * i4));
		g[2] += w * (t[T_D2A] + w4 / a);
		g[3] += w * (t[T_D2B] - w4 * ib);
		if (order < 2)
			continue;
		D[0] = la3 - la4, D[1] = rx * (i3 - i4), D[2] = 1 / a,
		D[3] = -ib;
		c = x > 0 ? w * w4 * (1 - w4) : 0;
		h[0] += w * t[T_H1R] + c * D[0] * D[0];
		h[1] += -w * ((1 - w4) * i3 + w4 * i4) + c * D[0] * D[1];
		h[2] += c * D[0] * D[2];
		h[3] += c * D[0] * D[3];
		h[5] += w * rx * ((1 - w4) * i3 * i3 + w4 * i4 * i4) +
		    c * D[1] * D[1];
		h[6] += c * D[1] * D[2];
		h[7] += c * D[1] * D[3];
		h[10] += w * (t[T_H2A] - w4 / (a * a)) + c * D[2] * D[2];
		h[11] += w * t[T_H2A] + c * D[2] * D[3];
		h[15] += w * (t[T_H2B] + w4 * ib * ib) + c * D[3] * D[3];
	}
	if (!isfinite(s))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the BG/NBD likelihood is not finite");
	*ll = s;
	if (grad != NULL)
		for (j = 0; j < 4; j++)
			grad[j] = g[j];
	if (hess != NULL) {
		/* A1's r-alpha terms are the same for every customer. */
		h[1] += d->total / al;
		h[5] -= d->total * r / (al * al);
		for (i = 0; i < 4; i++)
			for (j = 0; j < i; j++)
				h[i * 4 + j] = h[j * 4 + i];
		for (i = 0; i < 16; i++)
			hess[i] = h[i];
	}
	return 0;
}

int
bgnbd_loglik(const struct bgnbd_params *p, const struct cbs *d, double *ll,
    double grad[4], double hess[16], struct ci_err *err)
{
	double *ws;
	int     rc;

	if (check_params(p, err) == -1)
		return -1;
	ws = xmalloc(ws_size(d) * sizeof(*ws));
	rc = loglik(p, d, ws, ll, grad, hess, err);
	free(ws);
	return rc;
}

/* The data and workspace of a fit, for fit_loglik(). */
struct fit_ctx {
	const struct cbs *d;
	double           *ws;
};

/* loglik() at v = (r, alpha, a, b), as mlfit_fit() calls it. */
static int
fit_loglik(void *arg, const double *v, double *ll, double *grad, double *hess,
    struct ci_err *err)
{
	const struct fit_ctx     *c = arg;
	const struct bgnbd_params p = { v[0], v[1], v[2], v[3] };

	if (check_params(&p, err) == -1)
		return -1;
	return loglik(&p, c->d, c->ws, ll, grad, hess, err);
}

int
bgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct bgnbd_params *p, struct mlfit_info *info, struct ci_err *err)
{
	struct fit_ctx     c;
	struct mlfit_model m = { .k = 4, .n = d->total, .derivs = true };
	double             v[4] = { 0 };
	size_t             i;
	int                rc;

	if (d->n == 0 || !(d->max_T > 0)) {
		ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "no customer observed for a positive time to fit to");
		return -1; /* not ci_err_set()'s: gcc -flto would warn on *p */
	}
	/* lifetimes' time scale: alpha in units of max T. */
	for (i = 0; i < 4; i++)
		m.scale[i] = i == 1 ? 1 / d->max_T : 1, m.start[i] = 0.1;
	c.d = d;
	c.ws = xmalloc(ws_size(d) * sizeof(*c.ws));
	m.loglik = fit_loglik;
	m.ctx = &c;
	info->n_distinct = d->n;
	rc = mlfit_fit(&m, o, v, info, err);
	/* The estimate, or meaningless when rc is -1. */
	p->r = v[0], p->alpha = v[1], p->a = v[2], p->b = v[3];
	free(c.ws);
	return rc;
}

/*
 * ln of the odds of being dead, for x > 0 (note 021):
 * ln(a / (b + x - 1)) + (r + x) ln((alpha + T) / (alpha + t_x)).
 */
static double
log_odds_dead(const struct bgnbd_params *p, double x, double tx, double T)
{
	return log(p->a / (p->b + x - 1)) +
	    (p->r + x) * log((p->alpha + T) / (p->alpha + tx));
}

int
bgnbd_p_alive(const struct bgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	if (check_params(p, err) == -1 || check_customer(x, tx, T, err) == -1)
		return -1;
	*out = x > 0 ? specfun_expit(-log_odds_dead(p, x, tx, T)) : 1;
	return 0;
}

/*
 * Paper eq. 10 over P(alive): an alive customer's rate and dropout
 * probability have the posteriors Gamma(r + x, alpha + T) and
 * Beta(a, b + x), so he is expected to buy the beta mixture of
 * specfun.h with k = r + x, bb = b + x, in the period u = t / (alpha + T).
 */
int
bgnbd_expected_alive(const struct bgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	double small[16] = { 0 }, *u;
	size_t i;
	int    rc;

	if (check_params(p, err) == -1 || check_customer(x, 0, T, err) == -1)
		return -1;
	u = n <= 16 ? small : xmalloc(n * sizeof(*u));
	for (i = 0; i < n; i++)
		u[i] = t[i] / (p->alpha + T);
	rc = specfun_beta_mixture(p->r + x, p->a, p->b + x, u, n, out, err);
	if (u != small)
		free(u);
	return rc;
}

int
bgnbd_expected(const struct bgnbd_params *p, double t, double x, double tx,
    double T, double *out, struct ci_err *err)
{
	double pa = 0, e = 0;

	if (bgnbd_p_alive(p, x, tx, T, &pa, err) == -1 ||
	    bgnbd_expected_alive(p, x, T, &t, 1, &e, err) == -1)
		return -1;
	*out = pa * e;
	return 0;
}

/*
 * Paper eq. 9, E[X(t)] = (a + b - 1) / (a - 1)
 * [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t))]:
 * eq. 10 for a customer with x = 0 seen for T = 0, who is surely alive.
 */
int
bgnbd_expected_new(
    const struct bgnbd_params *p, double t, double *out, struct ci_err *err)
{
	return bgnbd_expected(p, t, 0, 0, 0, out, err);
}
