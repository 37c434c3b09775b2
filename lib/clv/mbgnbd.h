/*
 * mbgnbd: the MBG/NBD model of repeat purchasing (Batislam, Denizel &
 * Filiztekin 2007, "Empirical validation and comparison of models for
 * customer base analysis", International Journal of Research in Marketing
 * 24(3), 201-209, with Wagner & Hoppe's 2008 erratum, IJRM 25(3)): the
 * BG/NBD with a chance p ~ Beta(a, b) of dropping out at the first
 * purchase as well as after each repeat purchase, as lifetimes'
 * ModifiedBetaGeoFitter implements it.
 *
 * A customer is (x, t_x, T) as in cbs.h.  Fitted to the CDNOW sample
 * it gives lifetimes 0.11's r = 0.5248, alpha = 6.1831, a = 0.8914,
 * b = 1.6140 (tests/unit/clv/mbgnbd_test.c).
 *
 * Return values and error codes as in bgnbd.h; GSL's error handler must be
 * off (see specfun.h).
 */
#ifndef CI_MBGNBD_H
#define CI_MBGNBD_H

#include <stddef.h>

#include "cbs.h"
#include "diag.h"
#include "mlfit.h"

struct mbgnbd_params {
	double r, alpha, a, b;
};

/*
 * The total log-likelihood of d into *ll; unless grad is NULL its gradient
 * with respect to (r, alpha, a, b) into grad[0..3], and unless hess is
 * NULL its Hessian (row-major) into hess[0..15].
 */
int mbgnbd_loglik(const struct mbgnbd_params *p, const struct cbs *d,
    double *ll, double grad[4], double hess[16], struct ci_err *err);

/*
 * Fit as bgnbd_fit() does, with the same penalty (lifetimes'
 * ModifiedBetaGeoFitter is a BetaGeoFitter with another likelihood).
 */
int mbgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct mbgnbd_params *p, struct mlfit_info *info, struct ci_err *err);

/*
 * The probability that a customer with summary (x, t_x, T) is alive at T
 * (Batislam et al. 2007, appendix A, eq. 5); below 1 even for x = 0, since
 * here a customer may drop out at his first purchase.
 */
int mbgnbd_p_alive(const struct mbgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t[i]] of a customer with x
 * repeat purchases in (0, T] who is alive at T, for each t[i] >= 0
 * (i < n), into out[i]: Wagner & Hoppe's (2008) expectation divided by
 * P(alive), which depends on x and T but not t_x.
 */
int mbgnbd_expected_alive(const struct mbgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * As bgnbd_survival(): the dropout probability's posterior of a customer
 * alive at T is Beta(a, b + x + 1), since he survived his first purchase
 * too.
 */
int mbgnbd_survival(const struct mbgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t] of a customer with
 * summary (x, t_x, T) (Wagner & Hoppe 2008), t >= 0.
 */
int mbgnbd_expected(const struct mbgnbd_params *p, double t, double x,
    double tx, double T, double *out, struct ci_err *err);

#endif
