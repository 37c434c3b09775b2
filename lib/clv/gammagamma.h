/*
 * gammagamma: the Gamma-Gamma model of the value of a customer's
 * transactions (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value
 * curves for customer base analysis", Journal of Marketing Research 42(4),
 * 415-430; Fader & Hardie 2013, "The Gamma-Gamma model of monetary value",
 * note 025): each transaction's value is Gamma(p, nu) with nu ~
 * Gamma(q, gamma) across customers, so a customer's mean value m_x over x
 * transactions tells about his nu, the more so the larger x.
 *
 * The data are the (x, m) pairs of cbs.h (customers with x > 0).
 * Fitted to the CDNOW sample's 946 repeat buyers it gives the paper's
 * p = 6.2496, q = 3.7442, gamma = 15.4435 (tests/unit/clv/gammagamma_test.c).
 *
 * Return values and error codes as in bgnbd.h; GSL's error handler must be
 * off (see specfun.h).
 */
#ifndef CI_GAMMAGAMMA_H
#define CI_GAMMAGAMMA_H

#include "cbs.h"
#include "diag.h"
#include "mlfit.h"

/* gamma is lifetimes' v. */
struct gammagamma_params {
	double p, q, gamma;
};

/*
 * The total log-likelihood of d (note 025, eq. 1a) into *ll; unless grad
 * is NULL its gradient with respect to (p, q, gamma) into grad[0..2], and
 * unless hess is NULL its Hessian (row-major) into hess[0..8].
 */
int
gammagamma_loglik(const struct gammagamma_params *p, const struct cbs_spend *d,
    double *ll, double grad[3], double hess[9], struct ci_err *err);

/*
 * Fit by maximum likelihood: clvmodel_spend_fit() with the analytic
 * gradient and Hessian over the logs of p, q and gamma from 1.1 each.  As
 * in lifetimes' GammaGammaFitter, the penalty c (p^2 + q^2 + gamma^2) is
 * added to the negative mean log-likelihood (no time scale here).  o may
 * be NULL.  Standard errors in the order p, q, gamma.
 */
int gammagamma_fit(const struct cbs_spend *d, const struct mlfit_opts *o,
    struct gammagamma_params *p, struct mlfit_info *info, struct ci_err *err);

/*
 * The expected value of a transaction of a customer with x >= 0 repeat
 * transactions of mean value m >= 0 (note 025, eq. 5; the paper's
 * E(M | p, q, gamma, m_x, x)):
 * (gamma + m x) p / (p x + q - 1), a weighted mean of the population mean
 * gamma p / (q - 1) and m.  m is ignored when x = 0.  Fails when
 * p x + q <= 1, where that mean is infinite.
 */
int gammagamma_expected_value(const struct gammagamma_params *p, double x,
    double m, double *out, struct ci_err *err);

#endif
