/*
 * paretonbd: the Pareto/NBD model of repeat purchasing (Schmittlein,
 * Morrison & Colombo 1987, "Counting your customers: who are they and what
 * will they do next?", Management Science 33(1), 1-24): while alive a
 * customer buys at a Poisson rate lambda ~ Gamma(r, alpha) and stays alive
 * for an exponential lifetime of rate mu ~ Gamma(s, beta).  The
 * expressions are those of Fader & Hardie (2005), "A note on deriving the
 * Pareto/NBD model and related expressions" (note 009), in the form
 * lifetimes' ParetoNBDFitter uses.
 *
 * A customer is (x, t_x, T) as in cbs.h; alpha and beta are in the
 * same time unit.  Fitted to the CDNOW sample it gives lifetimes 0.11's
 * r = 0.5533, alpha = 10.5775, s = 0.6062, beta = 11.6690
 * (tests/unit/clv/paretonbd_test.c).
 *
 * Return values and error codes as in bgnbd.h; GSL's error handler must be
 * off (see specfun.h).
 */
#ifndef CI_PARETONBD_H
#define CI_PARETONBD_H

#include <stddef.h>

#include "cbs.h"
#include "diag.h"
#include "mlfit.h"

struct paretonbd_params {
	double r, alpha, s, beta;
};

/* The total log-likelihood of d (note 009, eq. 18) into *ll. */
int paretonbd_loglik(const struct paretonbd_params *p, const struct cbs *d,
    double *ll, struct ci_err *err);

/*
 * Fit by maximum likelihood: clvmodel_fit() over the logs of r,
 * alpha / max T, s and beta / max T from 1.1 each, with a central-
 * difference gradient (the likelihood's 2F1 terms have no convenient
 * derivatives in the parameters).  With o->penalizer = c the objective is
 * -ll / n + c (r^2 + (alpha / max T)^2 + s^2 + (beta / max T)^2), as in
 * the other models; lifetimes' ParetoNBDFitter adds its penalty to the
 * total -ll instead (with one row per customer), so its penalizer_coef is
 * this c times n.  o may be NULL.  Standard errors in the order r, alpha,
 * s, beta.
 */
int paretonbd_fit(const struct cbs *d, const struct mlfit_opts *o,
    struct paretonbd_params *p, struct mlfit_info *info, struct ci_err *err);

/*
 * The probability that a customer with summary (x, t_x, T) is alive at T
 * (note 009, eqs. 36-37).
 */
int paretonbd_p_alive(const struct paretonbd_params *p, double x, double tx,
    double T, double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t[i]] of a customer with x
 * repeat purchases in (0, T] who is alive at T, for each t[i] >= 0
 * (i < n), into out[i]: note 009, eq. 41, divided by P(alive).
 */
int paretonbd_expected_alive(const struct paretonbd_params *p, double x,
    double T, const double *t, size_t n, double *out, struct ci_err *err);

/*
 * The probability that a customer alive at T is still alive at T + t[i],
 * for each t[i] >= 0 (i < n), into out[i]: his dropout rate's posterior
 * is Gamma(s, beta + T), so it is ((beta + T) / (beta + T + t[i]))^s.
 * x is checked only.
 */
int paretonbd_survival(const struct paretonbd_params *p, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * The expected number of purchases in (T, T + t] of a customer with
 * summary (x, t_x, T) (note 009, eq. 41), t >= 0.
 */
int paretonbd_expected(const struct paretonbd_params *p, double t, double x,
    double tx, double T, double *out, struct ci_err *err);

#endif
