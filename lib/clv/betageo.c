/*
 * betageo: the sum over customers that the BG/NBD and MBG/NBD likelihoods
 * share, with the terms that depend on x, T or t_x alone computed once
 * per distinct value.  Each term is evaluated in the form both models
 * wrote it in before they shared it, so that their results keep every
 * bit, and their customers' terms are added in the order of the rows.
 */
#include <math.h>
#include <stdbool.h>

#include "betageo.h"
#include "specfun.h"

/*
 * The terms of x into t (BETAGEO_NX doubles), to the order asked; base
 * holds ln Gamma, psi and psi' of r, a + b and b (specfun_gamma_terms()).
 * ln(b + x' - 1) is taken as ln(b + x + (shift - 1)), which rounds as
 * ln(b + x - 1) does in the BG/NBD and as ln(b + x) in the MBG/NBD.
 */
static int
x_terms(const double *p, double shift, double x, const double *base, double *t,
    int order, struct ci_err *err)
{
	const double r = p[0], a = p[2], b = p[3], xs = x + shift;
	const double v[3] = { r + x, b + x + shift, a + b + x + shift };
	const bool   rbig = r >= SPECFUN_BIG;
	const bool   bbig = b >= SPECFUN_BIG || a + b >= SPECFUN_BIG;
	double       l[9];
	size_t       i;

	for (i = 0; i < BETAGEO_NX; i++)
		t[i] = 0;
	if (x + shift == 0)
		return 0;
	if (specfun_gamma_terms(v, 3, order, l, err) == -1)
		return -1;
	t[BETAGEO_L1] = rbig ? specfun_lnpoch(r, x) : l[0] - base[0];
	t[BETAGEO_L2] = bbig ? specfun_lnpoch(b, xs) - specfun_lnpoch(a + b, xs)
	                     : base[1] + l[1] - base[2] - l[2];
	t[BETAGEO_LB] = log(b + x + (shift - 1));
	if (order < 1)
		return 0;
	t[BETAGEO_D1R] = rbig ? specfun_psidiff(r, x) : l[3] - base[3];
	t[BETAGEO_D2A] = bbig ? -specfun_psidiff(a + b, xs) : base[4] - l[5];
	t[BETAGEO_D2B] = bbig
	    ? specfun_psidiff(b, xs) - specfun_psidiff(a + b, xs)
	    : base[4] + l[4] - base[5] - l[5];
	if (order < 2)
		return 0;
	t[BETAGEO_H1R] = l[6] - base[6];
	t[BETAGEO_H2A] = base[7] - l[8];
	t[BETAGEO_H2B] = base[7] + l[7] - base[8] - l[8];
	return 0;
}

/*
 * ln(alpha + v[j]) into lv[j] and 1 / (alpha + v[j]) into iv[j], j < n,
 * and with big ln(1 + v[j] / alpha) into l1[j] (0 otherwise).
 */
static void
time_terms(double alpha, const double *v, size_t n, bool big, double *lv,
    double *iv, double *l1)
{
	size_t j;

	for (j = 0; j < n; j++) {
		lv[j] = log(alpha + v[j]);
		iv[j] = 1 / (alpha + v[j]);
		l1[j] = big ? log1p(v[j] / alpha) : 0;
	}
}

int
betageo_loglik(const double *p, const struct cbs *d, double shift,
    betageo_row_fn *fn, double *ws, int order, double *ll, double *g, double *h,
    struct ci_err *err)
{
	const double       bv[3] = { p[0], p[2] + p[3], p[3] };
	struct betageo_row c;
	double             base[9], s = 0;
	double            *lT = ws + d->nx * BETAGEO_NX, *iT = lT + d->nT;
	double            *l1T = iT + d->nT, *ltx = l1T + d->nT;
	double            *itx = ltx + d->ntx, *l1tx = itx + d->ntx;
	size_t             i;

	c.r = p[0], c.alpha = p[1], c.a = p[2], c.b = p[3];
	c.ln_alpha = log(c.alpha), c.ln_a = log(c.a);
	if (specfun_gamma_terms(bv, 3, order, base, err) == -1)
		return -1;
	for (i = 0; i < d->nx; i++)
		if (x_terms(p, shift, d->xs[i], base, ws + i * BETAGEO_NX,
		        order, err) == -1)
			return -1;
	c.big = c.r >= SPECFUN_BIG;
	time_terms(p[1], d->Ts, d->nT, c.big, lT, iT, l1T);
	time_terms(p[1], d->txs, d->ntx, c.big, ltx, itx, l1tx);
	for (i = 0; i < d->n; i++) {
		c.x = d->x[i], c.w = d->w[i], c.T = d->T[i], c.tx = d->tx[i];
		c.t = ws + d->xi[i] * BETAGEO_NX;
		c.lT = lT[d->Ti[i]], c.iT = iT[d->Ti[i]];
		c.ltx = ltx[d->txi[i]], c.itx = itx[d->txi[i]];
		c.lT1 = l1T[d->Ti[i]], c.ltx1 = l1tx[d->txi[i]];
		c.stable = c.big || c.r + c.x >= SPECFUN_BIG;
		c.ldiff = c.stable
		    ? log1p((d->T[i] - d->tx[i]) / (c.alpha + d->tx[i]))
		    : c.lT - c.ltx;
		fn(&c, order, &s, g, h);
	}
	*ll = s;
	if (order >= 2) {
		h[1] += d->total / c.alpha;
		h[5] -= d->total * c.r / (c.alpha * c.alpha);
	}
	return 0;
}
