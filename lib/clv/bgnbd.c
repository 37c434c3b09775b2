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
#include <stddef.h>

#include "betageo.h"
#include "bgnbd.h"
#include "clvmodel.h"
#include "specfun.h"

/*
 * The log-likelihood of the customers of the row c, as betageo_row_fn
 * states.  Per customer, paper eq. 6 in the form of note 004:
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
 * distinct T and t_x (betageo_loglik()), so a customer costs one exp and
 * one log.
 */
/*
 * The Hessian of a row's last term and of the terms of x, as row() and
 * stable_row() share it: (1 - w4) d2A3 + w4 d2A4 + cc D D', D = dA4 - dA3.
 */
static void
hess(const struct betageo_row *c, double w4, double cc, const double *D,
    double *h)
{
	const double *t = c->t;
	double        a = c->a, w = c->w, rx = c->r + c->x;
	double        i3 = c->iT, i4 = c->x > 0 ? c->itx : 0;
	double        ib = c->x > 0 ? 1 / (c->b + c->x - 1) : 0;

	h[0] += w * t[BETAGEO_H1R] + cc * D[0] * D[0];
	h[1] += -w * ((1 - w4) * i3 + w4 * i4) + cc * D[0] * D[1];
	h[2] += cc * D[0] * D[2];
	h[3] += cc * D[0] * D[3];
	h[5] += w * rx * ((1 - w4) * i3 * i3 + w4 * i4 * i4) + cc * D[1] * D[1];
	h[6] += cc * D[1] * D[2];
	h[7] += cc * D[1] * D[3];
	h[10] += w * (t[BETAGEO_H2A] - w4 / (a * a)) + cc * D[2] * D[2];
	h[11] += w * t[BETAGEO_H2A] + cc * D[2] * D[3];
	h[15] += w * (t[BETAGEO_H2B] + w4 * ib * ib) + cc * D[3] * D[3];
}

/*
 * row() where the plain forms cancel (betageo.h): the odds of A4 over A3
 * from ln((alpha + T) / (alpha + t_x)) as one logarithm, and with c->big
 * r ln alpha - (r + x) ln(alpha + T) as -r ln(1 + T / alpha) - x ln(alpha
 * + T), its derivative in r as -ln(1 + T / alpha) and in alpha as
 * r T / (alpha (alpha + T)) - x / (alpha + T) (each with t_x for T in the
 * A4 term, weighted as the likelihood weighs them).
 */
static void
stable_row(
    const struct betageo_row *c, int order, double *s, double *g, double *h)
{
	const double *t = c->t;
	double        r = c->r, al = c->alpha, a = c->a, b = c->b;
	double        x = c->x, w = c->w, rx = r + x;
	double        la3 = c->lT, i3 = c->iT, w4 = 0, i4 = 0, ib = 0, e = 0;
	double        lin, dd = 0, D[4];

	lin = c->big ? -r * c->lT1 - x * la3 : r * c->ln_alpha - rx * la3;
	if (x > 0) {
		dd = c->ln_a - t[BETAGEO_LB] + rx * c->ldiff;
		e = exp(-fabs(dd));
		w4 = dd > 0 ? 1 / (1 + e) : e / (1 + e);
		i4 = c->itx;
		ib = 1 / (b + x - 1);
		lin += (dd > 0 ? dd : 0) + log1p(e);
	}
	*s += w * (t[BETAGEO_L1] + t[BETAGEO_L2] + lin);
	if (order < 1)
		return;
	if (c->big) {
		g[0] += w * (t[BETAGEO_D1R] - (1 - w4) * c->lT1 - w4 * c->ltx1);
		g[1] += w *
		    (r * ((1 - w4) * c->T * i3 + w4 * c->tx * i4) / al -
		        x * ((1 - w4) * i3 + w4 * i4));
	} else {
		g[0] += w *
		    (t[BETAGEO_D1R] + c->ln_alpha - (1 - w4) * la3 -
		        w4 * c->ltx);
		g[1] += w * (r / al - rx * ((1 - w4) * i3 + w4 * i4));
	}
	g[2] += w * (t[BETAGEO_D2A] + w4 / a);
	g[3] += w * (t[BETAGEO_D2B] - w4 * ib);
	if (order < 2)
		return;
	D[0] = x > 0 ? c->ldiff : 0;
	D[1] = x > 0 ? -rx * (c->T - c->tx) * i3 * i4 : rx * i3;
	D[2] = 1 / a, D[3] = -ib;
	hess(c, w4, x > 0 ? w * w4 * (1 - w4) : 0, D, h);
}

static void
row(const struct betageo_row *c, int order, double *s, double *g, double *h)
{
	const double *t = c->t;
	double        r = c->r, al = c->alpha, a = c->a, b = c->b;
	double        x = c->x, w = c->w, rx = r + x, lnal = c->ln_alpha;
	double        la3 = c->lT, a3 = -rx * la3, i3 = c->iT;
	double        la4 = 0, w4 = 0, li = a3, i4 = 0, ib = 0;
	double        D[4], cc;

	if (c->stable) {
		stable_row(c, order, s, g, h);
		return;
	}
	if (x > 0) {
		double a4, dd, e;

		la4 = c->ltx;
		a4 = c->ln_a - t[BETAGEO_LB] - rx * la4;
		dd = a4 - a3;
		e = exp(-fabs(dd));
		li = (dd > 0 ? a4 : a3) + log(1 + e);
		w4 = dd > 0 ? 1 / (1 + e) : e / (1 + e);
		i4 = c->itx;
		ib = 1 / (b + x - 1);
	}
	*s += w * (t[BETAGEO_L1] + r * lnal + t[BETAGEO_L2] + li);
	if (order < 1)
		return;
	g[0] += w * (t[BETAGEO_D1R] + lnal - (1 - w4) * la3 - w4 * la4);
	g[1] += w * (r / al - rx * ((1 - w4) * i3 + w4 * i4));
	g[2] += w * (t[BETAGEO_D2A] + w4 / a);
	g[3] += w * (t[BETAGEO_D2B] - w4 * ib);
	if (order < 2)
		return;
	D[0] = la3 - la4, D[1] = rx * (i3 - i4), D[2] = 1 / a, D[3] = -ib;
	cc = x > 0 ? w * w4 * (1 - w4) : 0;
	hess(c, w4, cc, D, h);
}

/* The total log-likelihood (paper eq. 6), as clvmodel_loglik_fn states. */
static int
loglik(const double *v, const void *d, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	return betageo_loglik(v, d, 0, row, ws, order, ll, g, h, err);
}

/* The BG/NBD for clvmodel: alpha is a time. */
static const struct clvmodel model = {
	.title = "BG/NBD",
	.k = 4,
	.par = {
		{ "r", offsetof(struct bgnbd_params, r), false },
		{ "alpha", offsetof(struct bgnbd_params, alpha), true },
		{ "a", offsetof(struct bgnbd_params, a), false },
		{ "b", offsetof(struct bgnbd_params, b), false },
	},
	.ws_x = BETAGEO_NX,
	.ws_t = 3,
	.derivs = true,
	.loglik = loglik,
};

int
bgnbd_loglik(const struct bgnbd_params *p, const struct cbs *d, double *ll,
    double grad[4], double hess[16], struct ci_err *err)
{
	return clvmodel_loglik(&model, p, d, ll, grad, hess, err);
}

int
bgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct bgnbd_params *p, struct mlfit_info *info, struct ci_err *err)
{
	return clvmodel_fit(&model, d, o, p, info, err);
}

/*
 * ln of the odds of being dead, for x > 0 (note 021):
 * ln(a / (b + x - 1)) + (r + x) ln((alpha + T) / (alpha + t_x)).
 */
static double
log_odds_dead(const struct bgnbd_params *p, double x, double tx, double T)
{
	/* From r + x = SPECFUN_BIG on, the ratio's rounding would show. */
	if (p->r + x >= SPECFUN_BIG)
		return log(p->a / (p->b + x - 1)) +
		    (p->r + x) * log1p((T - tx) / (p->alpha + tx));
	return log(p->a / (p->b + x - 1)) +
	    (p->r + x) * log((p->alpha + T) / (p->alpha + tx));
}

int
bgnbd_p_alive(const struct bgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, tx, T, err) == -1)
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
	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	return specfun_beta_mixture_at(
	    p->r + x, p->a, p->b + x, p->alpha + T, t, n, out, err);
}

int
bgnbd_survival(const struct bgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	return specfun_beta_survival_at(
	    p->r + x, p->a, p->b + x, p->alpha + T, t, n, out, err);
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
