/*
 * mbgnbd: the MBG/NBD likelihood, its gradient, the fit and the
 * predictions.  Sources: Batislam, Denizel & Filiztekin (2007), IJRM
 * 24(3), and Wagner & Hoppe (2008), "Erratum on the MBG/NBD model", IJRM
 * 25(3), in the log-space form of lifetimes' ModifiedBetaGeoFitter.
 * Tested against lifetimes 0.11's CDNOW estimates r = 0.5248,
 * alpha = 6.1831, a = 0.8914, b = 1.6140 (tests/unit/clv/mbgnbd_test.c).
 */
#include <math.h>
#include <stdlib.h>

#include "mbgnbd.h"
#include "specfun.h"
#include "xalloc.h"

/* Terms that depend on x alone, per distinct x (see loglik()). */
enum { T_L1, T_L2, T_LBX, T_D1R, T_D2A, T_D2B, T_H1R, T_H2A, T_H2B, T_N };

static int
check_params(const struct mbgnbd_params *p, struct ci_err *err)
{
	const double v[4] = { p->r, p->alpha, p->a, p->b };
	const char  *name[4] = { "r", "alpha", "a", "b" };
	size_t       i;

	for (i = 0; i < 4; i++)
		if (!(isfinite(v[i]) && v[i] > 0))
			return ci_err_set(err, CI_EXIT_MODEL, NULL, 0,
			    "bad MBG/NBD parameter %s '%g': not a number > 0",
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
 * derivatives asked, as in bgnbd.c; base holds ln Gamma, psi and psi' of
 * r, a + b and b.
 */
static int
x_terms(const struct mbgnbd_params *p, double x, const double *base, double *t,
    int order, struct ci_err *err)
{
	double l1 = base[0], l2, l3;

	if (x > 0 && specfun_lngamma(p->r + x, &l1, err) == -1)
		return -1;
	if (specfun_lngamma(p->b + x + 1, &l2, err) == -1 ||
	    specfun_lngamma(p->a + p->b + x + 1, &l3, err) == -1)
		return -1;
	t[T_L1] = l1 - base[0];
	t[T_L2] = base[1] + l2 - base[2] - l3;
	t[T_LBX] = log(p->b + x);
	if (order < 1)
		return 0;
	l1 = base[3];
	if (x > 0 && specfun_psi(p->r + x, &l1, err) == -1)
		return -1;
	if (specfun_psi(p->b + x + 1, &l2, err) == -1 ||
	    specfun_psi(p->a + p->b + x + 1, &l3, err) == -1)
		return -1;
	t[T_D1R] = l1 - base[3];
	t[T_D2A] = base[4] - l3;
	t[T_D2B] = base[4] + l2 - base[5] - l3;
	if (order < 2)
		return 0;
	l1 = base[6];
	if (x > 0 && specfun_psi1(p->r + x, &l1, err) == -1)
		return -1;
	if (specfun_psi1(p->b + x + 1, &l2, err) == -1 ||
	    specfun_psi1(p->a + p->b + x + 1, &l3, err) == -1)
		return -1;
	t[T_H1R] = l1 - base[6];
	t[T_H2A] = base[7] - l3;
	t[T_H2B] = base[7] + l2 - base[8] - l3;
	return 0;
}

static int
base_terms(
    const struct mbgnbd_params *p, int order, double *base, struct ci_err *err)
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
 * The total log-likelihood, its gradient and Hessian in (r, alpha, a, b)
 * as far as asked, with ws of ws_size() doubles.  Per customer, the
 * likelihood of Batislam et al. (2007) as corrected by Wagner & Hoppe
 * (2008), in lifetimes' form:
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
static int
loglik(const struct mbgnbd_params *p, const struct cbs *d, double *ws,
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
		double        la3 = lT[d->Ti[i]], la4 = ltx[d->txi[i]];
		double        a4 = lna - t[T_LBX] + rx * (la3 - la4);
		double        e = exp(-fabs(a4));
		double        sg = a4 > 0 ? 1 / (1 + e) : e / (1 + e);
		double        i3, i4, ib, D[4], c;

		s += w *
		    (t[T_L1] + r * lnal + t[T_L2] - rx * la3 +
		        (a4 > 0 ? a4 : 0) + log(1 + e));
		if (order < 1)
			continue;
		i3 = iT[d->Ti[i]], i4 = itx[d->txi[i]], ib = 1 / (b + x);
		D[0] = la3 - la4, D[1] = rx * (i3 - i4), D[2] = 1 / a,
		D[3] = -ib;
		g[0] += w * (t[T_D1R] + lnal - la3 + sg * D[0]);
		g[1] += w * (r / al - rx * i3 + sg * D[1]);
		g[2] += w * (t[T_D2A] + sg * D[2]);
		g[3] += w * (t[T_D2B] + sg * D[3]);
		if (order < 2)
			continue;
		c = w * sg * (1 - sg);
		h[0] += w * t[T_H1R] + c * D[0] * D[0];
		h[1] += w * (-i3 + sg * (i3 - i4)) + c * D[0] * D[1];
		h[2] += c * D[0] * D[2];
		h[3] += c * D[0] * D[3];
		h[5] += w * rx * (i3 * i3 + sg * (i4 * i4 - i3 * i3)) +
		    c * D[1] * D[1];
		h[6] += c * D[1] * D[2];
		h[7] += c * D[1] * D[3];
		h[10] += w * (t[T_H2A] - sg / (a * a)) + c * D[2] * D[2];
		h[11] += w * t[T_H2A] + c * D[2] * D[3];
		h[15] += w * (t[T_H2B] + sg * ib * ib) + c * D[3] * D[3];
	}
	if (!isfinite(s))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the MBG/NBD likelihood is not finite");
	*ll = s;
	if (grad != NULL)
		for (j = 0; j < 4; j++)
			grad[j] = g[j];
	if (hess != NULL) {
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
mbgnbd_loglik(const struct mbgnbd_params *p, const struct cbs *d, double *ll,
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
	const struct fit_ctx      *c = arg;
	const struct mbgnbd_params p = { v[0], v[1], v[2], v[3] };

	if (check_params(&p, err) == -1)
		return -1;
	return loglik(&p, c->d, c->ws, ll, grad, hess, err);
}

int
mbgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct mbgnbd_params *p, struct mlfit_info *info, struct ci_err *err)
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
 * Appendix A, eq. 5 of Batislam et al.:
 * 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x)), that is
 * the logistic function of -A4.
 */
static double
p_alive(const struct mbgnbd_params *p, double x, double tx, double T)
{
	return specfun_expit(-(log(p->a / (p->b + x)) +
	    (p->r + x) * log((p->alpha + T) / (p->alpha + tx))));
}

int
mbgnbd_p_alive(const struct mbgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err)
{
	if (check_params(p, err) == -1 || check_customer(x, tx, T, err) == -1)
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
	double small[16] = { 0 }, *u;
	size_t i;
	int    rc;

	if (check_params(p, err) == -1 || check_customer(x, 0, T, err) == -1)
		return -1;
	u = n <= 16 ? small : xmalloc(n * sizeof(*u));
	for (i = 0; i < n; i++)
		u[i] = t[i] / (p->alpha + T);
	rc = specfun_beta_mixture(p->r + x, p->a, p->b + x + 1, u, n, out, err);
	if (u != small)
		free(u);
	return rc;
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
