/*
 * bgnbd: the BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005,
 * "'Counting your customers' the easy way: an alternative to the
 * Pareto/NBD model", Marketing Science 24(2), 275-284): while alive a
 * customer buys at a Poisson rate lambda ~ Gamma(r, alpha) and after each
 * purchase drops out with probability p ~ Beta(a, b).
 *
 * A customer is (x, t_x, T) as in cbs.h; alpha is in the same time
 * unit.  Fitted to the CDNOW sample (2,357 customers, weeks) it gives the
 * paper's r = 0.2426, alpha = 4.4136, a = 0.7929, b = 2.4259, which
 * tests/unit/clv/bgnbd_test.c checks along with lifetimes' predictions.
 *
 * Every function returns 0, or -1 with *err filled: CI_EXIT_MODEL for
 * parameters that are not finite and > 0, CI_EXIT_DATA for a bad customer
 * summary or a failed computation.  GSL's error handler must be off (see
 * specfun.h).
 */
#ifndef CI_BGNBD_H
#define CI_BGNBD_H

#include <stddef.h>

#include "cbs.h"
#include "diag.h"
#include "mlfit.h"

struct bgnbd_params {
	double r, alpha, a, b;
};

/*
 * The total log-likelihood of d, sum over customers of ln L (paper eq. 6),
 * into *ll; unless grad is NULL its gradient with respect to
 * (r, alpha, a, b) into grad[0..3], and unless hess is NULL its Hessian
 * (row-major) into hess[0..15].
 */
int bgnbd_loglik(const struct bgnbd_params *p, const struct cbs *d, double *ll,
    double grad[4], double hess[16], struct ci_err *err);

/*
 * Fit by maximum likelihood: clvmodel_fit() with the analytic gradient
 * and Hessian, over the logs of r, alpha / max T, a and b from 1.1 each.
 * With o->penalizer = c the objective is lifetimes' BetaGeoFitter one:
 * -ll / n + c (r^2 + (alpha / max T)^2 + a^2 + b^2), n the number of
 * customers and max T the largest T, because lifetimes 0.11 rescales time
 * so that max T is 1 before it fits.  o may be NULL.  Fills *p and *info
 * (standard errors in the order r, alpha, a, b); a fit that does not
 * converge still returns 0, with info->converged false.  On -1 *p is
 * left alone.
 */
int bgnbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct bgnbd_params *p, struct mlfit_info *info, struct ci_err *err);

/*
 * The probability that a customer with summary (x, t_x, T) is still alive
 * at T (Fader, Hardie & Lee 2008, "Computing P(alive) using the BG/NBD
 * model", note 021): 1 when x = 0, as in the model nobody drops out before
 * a repeat purchase.
 */
int bgnbd_p_alive(const struct bgnbd_params *p, double x, double tx, double T,
    double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t[i]] of a customer with x
 * repeat purchases in (0, T] who is alive at T, for each t[i] >= 0
 * (i < n), into out[i]: paper eq. 10 divided by P(alive), which depends
 * on x and T but not t_x (specfun_beta_mixture()).
 */
int bgnbd_expected_alive(const struct bgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * The probability that a customer with x repeat purchases in (0, T] who
 * is alive at T is still alive at T + t[i], for each t[i] >= 0 (i < n),
 * into out[i]: specfun_beta_survival_at() with the posteriors
 * Gamma(r + x, alpha + T) of his rate and Beta(a, b + x) of his dropout
 * probability.  P(alive) times it is his P(alive) at T + t[i].
 */
int bgnbd_survival(const struct bgnbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t] of a customer with
 * summary (x, t_x, T) (paper eq. 10), t >= 0: P(alive) times
 * bgnbd_expected_alive().
 */
int bgnbd_expected(const struct bgnbd_params *p, double t, double x, double tx,
    double T, double *out, struct ci_err *err);

/*
 * The expected number of repeat purchases in (0, t] of a customer picked
 * at random when he makes his first purchase: E[X(t)] (paper eq. 9).
 */
int bgnbd_expected_new(
    const struct bgnbd_params *p, double t, double *out, struct ci_err *err);

#endif
