/*
 * gammagamma: the Gamma-Gamma likelihood, its gradient, the fit and the
 * conditional expected transaction value.  Sources: Fader, Hardie & Lee
 * (2005), JMR 42(4); Fader & Hardie (2013), note 025, whose equation
 * numbers are cited.  Tested against the paper's CDNOW estimates
 * p = 6.2496, q = 3.7442, gamma = 15.4435 (tests/unit/clv/gammagamma_test.c).
 */
#include <math.h>
#include <stddef.h>

#include "clvmodel.h"
#include "gammagamma.h"
#include "specfun.h"

/* Terms that depend on x alone, per distinct x (see loglik()). */
enum { T_LG, T_XLX, T_PS1, T_PS2, T_TR1, T_TR2, T_N };

/*
 * The total log-likelihood of the struct cbs_spend dp at par = (p, q,
 * gamma), its gradient and its Hessian, as clvmodel_loglik_fn states,
 * with ws holding T_N doubles per distinct x.  Per customer (note 025,
 * eq. 1a), the density of his mean value m given x:
 *
 *   ln f = ln Gamma(p x + q) - ln Gamma(p x) - ln Gamma(q) + q ln gamma
 *          + (p x - 1) ln m + p x ln x - (p x + q) ln(gamma + m x).
 */
static int
loglik(const double *par, const void *dp, double *ws, int order, double *ll,
    double *g, double *h, struct ci_err *err)
{
	const struct cbs_spend *d = dp;
	const double            pp = par[0], q = par[1], v = par[2];
	double                  lgq, psq = 0, trq = 0, lnv = log(v), s = 0;
	size_t                  i, j;

	if (specfun_lngamma(q, &lgq, err) == -1 ||
	    (order >= 1 && specfun_psi(q, &psq, err) == -1) ||
	    (order >= 2 && specfun_psi1(q, &trq, err) == -1))
		return -1;
	for (j = 0; j < d->nx; j++) {
		double x = d->xs[j], px = pp * x, l1, l2, *t = ws + j * T_N;

		if (specfun_lngamma(px + q, &l1, err) == -1 ||
		    specfun_lngamma(px, &l2, err) == -1)
			return -1;
		t[T_LG] = l1 - l2;
		t[T_XLX] = x * log(x);
		if ((order >= 1 &&
		        (specfun_psi(px + q, &t[T_PS1], err) == -1 ||
		            specfun_psi(px, &t[T_PS2], err) == -1)) ||
		    (order >= 2 &&
		        (specfun_psi1(px + q, &t[T_TR1], err) == -1 ||
		            specfun_psi1(px, &t[T_TR2], err) == -1)))
			return -1;
	}
	for (i = 0; i < d->n; i++) {
		const double *t = ws + d->xi[i] * T_N;
		double x = d->x[i], m = d->m[i], w = d->w[i], px = pp * x;
		double lm = d->lm[i], vm = v + m * x, lxm = log(vm);

		s += w *
		    (t[T_LG] - lgq + q * lnv + (px - 1) * lm + pp * t[T_XLX] -
		        (px + q) * lxm);
		if (order < 1)
			continue;
		g[0] += w * (x * (t[T_PS1] - t[T_PS2] + lm - lxm) + t[T_XLX]);
		g[1] += w * (t[T_PS1] - psq + lnv - lxm);
		g[2] += w * (q / v - (px + q) / vm);
		if (order < 2)
			continue;
		h[0] += w * x * x * (t[T_TR1] - t[T_TR2]);
		h[1] += w * x * t[T_TR1];
		h[2] -= w * x / vm;
		h[4] += w * (t[T_TR1] - trq);
		h[5] += w * (1 / v - 1 / vm);
		h[8] += w * (-q / (v * v) + (px + q) / (vm * vm));
	}
	*ll = s;
	return 0;
}

/* The Gamma-Gamma for clvmodel: no parameter is a time. */
static const struct clvmodel model = {
	.title = "Gamma-Gamma",
	.k = 3,
	.par = {
		{ "p", offsetof(struct gammagamma_params, p), false },
		{ "q", offsetof(struct gammagamma_params, q), false },
		{ "gamma", offsetof(struct gammagamma_params, gamma), false },
	},
	.ws_x = T_N,
	.ws_t = 0,
	.derivs = true,
	.loglik = loglik,
};

int
gammagamma_loglik(const struct gammagamma_params *p, const struct cbs_spend *d,
    double *ll, double grad[3], double hess[9], struct ci_err *err)
{
	return clvmodel_spend_loglik(&model, p, d, ll, grad, hess, err);
}

int
gammagamma_fit(const struct cbs_spend *d, const struct mlfit_opts *o,
    struct gammagamma_params *p, struct mlfit_info *info, struct ci_err *err)
{
	return clvmodel_spend_fit(&model, d, o, p, info, err);
}

/* Note 025, eq. 5: (gamma + m x) p / (p x + q - 1). */
int
gammagamma_expected_value(const struct gammagamma_params *p, double x, double m,
    double *out, struct ci_err *err)
{
	if (clvmodel_check(&model, p, err) == -1)
		return -1;
	if (!(isfinite(x) && x >= 0 && isfinite(m) && m >= 0))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad spend summary (x %g, m %g)", x, m);
	if (x == 0)
		m = 0;
	if (!(p->p * x + p->q > 1))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the expected value is infinite for x %g (p x + q <= 1)",
		    x);
	*out = (p->gamma + m * x) * p->p / (p->p * x + p->q - 1);
	return 0;
}
