/*
 * betageo: what the BG/NBD and the MBG/NBD share.  In both, a customer
 * buys at a Poisson rate lambda ~ Gamma(r, alpha) while alive and drops
 * out with a probability p ~ Beta(a, b) after each repeat purchase; in the
 * MBG/NBD also at the first purchase.  With x' = x + shift the chances to
 * drop out that a customer with x repeat purchases has survived (shift 0
 * in the BG/NBD, 1 in the MBG/NBD), their log-likelihoods share the terms
 *
 *   A1 = ln Gamma(r + x) - ln Gamma(r) + r ln alpha,
 *   A2 = ln Gamma(a + b) + ln Gamma(b + x') - ln Gamma(b)
 *        - ln Gamma(a + b + x'),
 *   ln a - ln(b + x' - 1), ln(alpha + T) and ln(alpha + t_x)
 *
 * (Fader, Hardie & Lee 2005, eq. 6; Batislam, Denizel & Filiztekin 2007
 * with Wagner & Hoppe's 2008 erratum), which are computed here once per
 * distinct x, T and t_x of the data, and the sum over the customers.  The
 * models state the rest of a customer's log-likelihood.  Parameters are
 * p[0..3] = (r, alpha, a, b), checked by the caller.
 *
 * Where the parameters run off to a limit the plain forms cancel: from
 * r = SPECFUN_BIG on (the purchase rates all alike), r ln alpha -
 * (r + x) ln(alpha + T) is taken as -r ln(1 + T / alpha) - x ln(alpha + T),
 * and (r + x) ln((alpha + T) / (alpha + t_x)) as (r + x) ln(1 + (T - t_x) /
 * (alpha + t_x)); from b or a + b = SPECFUN_BIG on (the dropout
 * probabilities all alike, or none), the differences of ln Gamma and psi
 * in A2 by specfun_lnpoch() and specfun_psidiff().  Below, the terms keep
 * the bits of the plain forms.
 */
#ifndef CI_BETAGEO_H
#define CI_BETAGEO_H

#include <stdbool.h>
#include <stddef.h>

#include "cbs.h"
#include "diag.h"

/*
 * The terms that depend on x alone, BETAGEO_NX per distinct x in this
 * order: the values, then their derivatives in the parameters.
 */
enum {
	BETAGEO_L1,  /* ln Gamma(r + x) - ln Gamma(r) */
	BETAGEO_L2,  /* A2 */
	BETAGEO_LB,  /* ln(b + x' - 1) */
	BETAGEO_D1R, /* d L1 / d r */
	BETAGEO_D2A, /* d A2 / d a */
	BETAGEO_D2B, /* d A2 / d b */
	BETAGEO_H1R, /* d2 L1 / d r2 */
	BETAGEO_H2A, /* d2 A2 / d a2, which is also d2 A2 / d a d b */
	BETAGEO_H2B, /* d2 A2 / d b2 */
	BETAGEO_NX
};

/*
 * One row of the data, with the parameters and the terms of the row, as
 * betageo_loglik() hands it to a model.
 */
struct betageo_row {
	double        r, alpha, a, b; /* the parameters */
	double        ln_alpha, ln_a; /* ln alpha and ln a */
	double        x, w;           /* x, and the customers with the row */
	double        T, tx;          /* T and t_x */
	const double *t;              /* the BETAGEO_NX terms of x */
	double        lT, iT;         /* ln(alpha + T) and 1 / (alpha + T) */
	double        ltx, itx; /* ln(alpha + t_x) and 1 / (alpha + t_x) */
	/*
	 * With big: ln(1 + T / alpha), ln(1 + t_x / alpha), and
	 * ln((alpha + T) / (alpha + t_x)) taken as ln(1 + (T - t_x) /
	 * (alpha + t_x)); with stable (big, or r + x >= SPECFUN_BIG) also
	 * the last.  Otherwise lT1 and ltx1 are 0 and ldiff is lT - ltx.
	 */
	bool   big, stable;
	double lT1, ltx1, ldiff;
};

/*
 * A model's log-likelihood of the customers of the row c, added into *s;
 * with order >= 1 its gradient in (r, alpha, a, b) added into g[0..3],
 * and with order 2 the upper triangle of its Hessian into h (4 * 4,
 * row-major).
 */
typedef void betageo_row_fn(
    const struct betageo_row *c, int order, double *s, double *g, double *h);

/*
 * The log-likelihood of d at p, its gradient and its Hessian, as
 * clvmodel_loglik_fn states: fn summed over the rows of d, with x' =
 * x + shift, plus the Hessian terms of A1 that are the same for every
 * customer (1 / alpha in r and alpha, -r / alpha^2 in alpha) times the
 * number of customers.  The terms of each distinct x, T and t_x are taken
 * once, into ws: BETAGEO_NX doubles per distinct x and 3 per distinct T
 * and per distinct t_x (ws_x and ws_t of struct clvmodel), with the
 * derivatives to the order asked.  The terms of an x with x' = 0 are 0:
 * such a customer's likelihood has none of them.  Returns 0, or -1 with
 * *err (CI_EXIT_DATA) when a gamma function cannot be computed.
 */
int betageo_loglik(const double *p, const struct cbs *d, double shift,
    betageo_row_fn *fn, double *ws, int order, double *ll, double *g, double *h,
    struct ci_err *err);

#endif
