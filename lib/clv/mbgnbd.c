/*
 * mbgnbd: the MBG/NBD likelihood, its gradient, the fit and the
 * predictions.  Sources: Batislam, Denizel & Filiztekin (2007), IJRM
 * 24(3), and Wagner & Hoppe (2008), "Erratum on the MBG/NBD model", IJRM
 * 25(3), in the log-space form of lifetimes' ModifiedBetaGeoFitter.
 * Tested against lifetimes 0.11's CDNOW estimates r = 0.5248,
 * alpha = 6.1831, a = 0.8914, b = 1.6140 (tests/unit/clv/mbgnbd_test.c).
 */
#include <math.h>
#include <stddef.h>

#include "betageo.h"
#include "clvmodel.h"
#include "mbgnbd.h"
#include "specfun.h"

/*
 * The log-likelihood of the customers of the row c, as betageo_row_fn
 * states, with x' = x + 1.  Per customer, the likelihood of Batislam et
 * al. (2007) as corrected by Wagner & Hoppe (2008), in lifetimes' form:
 *
 *   ln L = A1 + A2 + A3 + ln(1 + e^A4),
 *   A1 = ln Gamma(r + x) - ln Gamma(r) + r ln alpha,
 *   A2 = ln Gamma(a + b) + ln Gamma(b + x + 1) - ln Gamma(b)
 *        - ln Gamma(a + b + x + 1),
 *   A3 = -(r + x) ln(alpha + T),
 *   A4 = ln a - ln(b + x) + (r + x) (ln(alpha + T) - ln(alpha + t_x)),
 *
 * whose last term has, with s = 1 / (1 + e^-A4), the gradient s dA4 and
 * the Hessian s d2A4 + s (1 - s) dA4 dA4'.  The logarithms of alpha + T
 * and alpha + t_x are taken once per distinct value, as in bgnbd.c.
 */
static void
row(const struct betageo_row *c, int order, double *s, double *g, double *h)
{
	const double *t = c->t;
	double        la3 = c->lT, la4 = c->ltx, i3 = c->iT, i4 = c->itx;
	double        r = c->r, al = c->alpha, a = c->a, b = c->b;
	double        x = c->x, w = c->w, rx = r + x, lnal = c->ln_alpha;
	double        a4, e, sg, lin, ib, D[4], cc;

	if (c->stable) {
		/*
		 * Where the plain forms cancel (betageo.h): the odds from
		 * ln((alpha + T) / (alpha + t_x)) as one logarithm, and with
		 * c->big r ln alpha - (r + x) ln(alpha + T) as -r ln(1 + T /
		 * alpha) - x ln(alpha + T), with its derivatives.
		 */
		a4 = c->ln_a - t[BETAGEO_LB] + rx * c->ldiff;
		lin = c->big ? -r * c->lT1 - x * la3 : r * lnal - rx * la3;
	} else {
		a4 = c->ln_a - t[BETAGEO_LB] + rx * (la3 - la4);
		lin = 0;
	}
	e = exp(-fabs(a4));
	sg = a4 > 0 ? 1 / (1 + e) : e / (1 + e);
	if (c->stable)
		*s += w *
		    (t[BETAGEO_L1] + t[BETAGEO_L2] + lin + (a4 > 0 ? a4 : 0) +
		        log1p(e));
	else
		*s += w *
		    (t[BETAGEO_L1] + r * lnal + t[BETAGEO_L2] - rx * la3 +
		        (a4 > 0 ? a4 : 0) + log(1 + e));
	if (order < 1)
		return;
	ib = 1 / (b + x);
	if (c->stable) {
		D[0] = c->ldiff;
		D[1] = -rx * (c->T - c->tx) * i3 * i4;
	} else {
		D[0] = la3 - la4, D[1] = rx * (i3 - i4);
	}
	D[2] = 1 / a, D[3] = -ib;
	if (c->big) {
		g[0] += w * (t[BETAGEO_D1R] - c->lT1 + sg * D[0]);
		g[1] += w * (r * c->T * i3 / al - x * i3 + sg * D[1]);
	} else {
		g[0] += w * (t[BETAGEO_D1R] + lnal - la3 + sg * D[0]);
		g[1] += w * (r / al - rx * i3 + sg * D[1]);
	}
	g[2] += w * (t[BETAGEO_D2A] + sg * D[2]);
	g[3] += w * (t[BETAGEO_D2B] + sg * D[3]);
	if (order < 2)
		return;
	cc = w * sg * (1 - sg);
	h[0] += w * t[BETAGEO_H1R] + cc * D[0] * D[0];
	h[1] += w * (-i3 + sg * (i3 - i4)) + cc * D[0] * D[1];
	h[2] += cc * D[0] * D[2];
	h[3] += cc * D[0] * D[3];
	h[5] +=
	    w * rx * (i3 * i3 + sg * (i4 * i4 - i3 * i3)) + cc * D[1] * D[1];
	h[6] += cc * D[1] * D[2];
	h[7] += cc * D[1] * D[3];
	h[10] += w * (t[BETAGEO_H2A] - sg / (a * a)) + cc * D[2] * D[2];
	h[11] += w * t[BETAGEO_H2A] + cc * D[2] * D[3];
	h[15] += w * (t[BETAGEO_H2B] + sg * ib * ib) + cc * D[3] * D[3];
}

/* The total log-likelihood, as clvmodel_loglik_fn states. */
static int
loglik(const double *v, const void *d, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	return betageo_loglik(v, d, 1, row, ws, order, ll, g, h, err);
}

/* The MBG/NBD for clvmodel: alpha is a time. */
static const struct clvmodel model = {
	.title = "MBG/NBD",
	.k = 4,
	.par = {
		{ "r", offsetof(struct mbgnbd_params, r), false },
		{ "alpha", offsetof(struct mbgnbd_params, alpha), true },
		{ "a", offsetof(struct mbgnbd_params, a), false },
		{ "b", offsetof(struct mbgnbd_params, b), false },
	},
	.ws_x = BETAGEO_NX,
	.ws_t = 3,
	.derivs = true,
	.loglik = loglik,
};

int
mbgnbd_loglik(const struct mbgnbd_params *p, const struct cbs *d, double *ll,
    double grad[4], double hess[16], struct ci_err *err)
{
	return clvmodel_loglik(&model, p, d, ll, grad, hess, err);
}

int
mbgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct mbgnbd_params *p, struct mlfit_info *info, struct ci_err *err)
{
	return clvmodel_fit(&model, d, o, p, info, err);
}

/*
 * Appendix A, eq. 5 of Batislam et al.:
 * 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x)), that is
 * the logistic function of -A4.
 */
static double
p_alive(const struct mbgnbd_params *p, double x, double tx, double T)
{
	/* From r + x = SPECFUN_BIG on, the ratio's rounding would show. */
	if (p->r + x >= SPECFUN_BIG)
		return specfun_expit(-(log(p->a / (p->b + x)) +
		    (p->r + x) * log1p((T - tx) / (p->alpha + tx))));
	return specfun_expit(-(log(p->a / (p->b + x)) +
	    (p->r + x) * log((p->alpha + T) / (p->alpha + tx))));
}

int
mbgnbd_p_alive(const struct mbgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, tx, T, err) == -1)
		return -1;
	*out = p_alive(p, x, tx, T);
	return 0;
}

/*
 * Wagner & Hoppe (2008): the expected purchases in (T, T + t] are
 *
 *   (a + b + x) / (a - 1)
 *     * [1 - ((alpha + T) / (alpha + T + t))^(r + x)
 *            2F1(r + x, b + x + 1; a + b + x; t / (alpha + T + t))]
 *     * P(alive),
 *
 * which over P(alive) is the beta mixture of specfun.h with k = r + x and
 * bb = b + x + 1: an alive customer's dropout probability has the
 * posterior Beta(a, b + x + 1), one more survival than in the BG/NBD.
 */
int
mbgnbd_expected_alive(const struct mbgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	return specfun_beta_mixture_at(
	    p->r + x, p->a, p->b + x + 1, p->alpha + T, t, n, out, err);
}

int
mbgnbd_survival(const struct mbgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	if (clvmodel_check_customer(&model, p, x, 0, T, err) == -1)
		return -1;
	return specfun_beta_survival_at(
	    p->r + x, p->a, p->b + x + 1, p->alpha + T, t, n, out, err);
}

int
mbgnbd_expected(const struct mbgnbd_params *p, double t, double x, double tx,
    double T, double *out, struct ci_err *err)
{
	double pa = 0, e = 0;

	if (mbgnbd_p_alive(p, x, tx, T, &pa, err) == -1 ||
	    mbgnbd_expected_alive(p, x, T, &t, 1, &e, err) == -1)
		return -1;
	*out = pa * e;
	return 0;
}
