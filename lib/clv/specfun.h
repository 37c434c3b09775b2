/*
 * specfun: the special functions the customer-lifetime-value models share,
 * each failing through its return value: log-gamma, digamma and trigamma
 * (GSL), alone or together for a likelihood and its derivatives,
 * log-sum-exp and the logistic function without overflow, the Gauss
 * hypergeometric function 2F1(1, b; c; z) as a series of positive terms,
 * and the beta mixture that the BG/NBD and MBG/NBD expectations are made
 * of, by a series with a proven truncation bound or, near its singular
 * point, by quadrature.
 *
 * GSL reports a domain error or a failed quadrature through its error
 * handler as well as through the status these functions check; a caller
 * must turn that handler off (gsl_set_error_handler_off()), since GSL's
 * default handler aborts the program.
 */
#ifndef CI_SPECFUN_H
#define CI_SPECFUN_H

#include <stddef.h>

#include "diag.h"

/*
 * The largest argument z for which the series below are summed; beyond
 * it they would need more than about 7,000 terms, and the beta mixture is
 * integrated instead.
 */
#define SPECFUN_ZMAX 0.995

/*
 * ln Gamma(x) for x > 0 into *out.  Returns 0, or -1 with *err
 * (CI_EXIT_DATA) when x is not finite and > 0 or GSL fails.
 */
int specfun_lngamma(double x, double *out, struct ci_err *err);

/* The digamma function psi(x) for x > 0, as specfun_lngamma(). */
int specfun_psi(double x, double *out, struct ci_err *err);

/* The trigamma function psi'(x) for x > 0, as specfun_lngamma(). */
int specfun_psi1(double x, double *out, struct ci_err *err);

/*
 * The gamma terms of a likelihood and of its derivatives: for each v[i]
 * (i < n), ln Gamma(v[i]) into out[i], with order >= 1 also psi(v[i])
 * into out[n + i], and with order 2 also psi'(v[i]) into out[2 n + i].
 * The functions are taken value by value, in that order.  Returns 0, or
 * -1 with *err as the first of specfun_lngamma(), specfun_psi() and
 * specfun_psi1() to fail.
 */
int specfun_gamma_terms(
    const double *v, size_t n, int order, double *out, struct ci_err *err);

/* ln(e^u + e^v) without overflow; -inf when both are -inf. */
double specfun_logaddexp(double u, double v);

/* The logistic function 1 / (1 + e^-u), without overflow. */
double specfun_expit(double u);

/*
 * 2F1(1, b; c; z) = sum over n >= 0 of (b)_n / (c)_n z^n, for 0 < b <= c
 * and 0 <= z <= SPECFUN_ZMAX, into *out.  The terms are positive and fall
 * at least by the factor z, so the sum stops when the rest is below
 * 1e-17 of it; the rounding of the terms' ratios accumulates along them,
 * to a relative error of about 4e-16 / (1 - z).  The value is at most
 * 1 / (1 - z), so nothing overflows, whatever the size of b and c.
 * Returns 0, or -1 with *err (CI_EXIT_DATA) for arguments out of range.
 */
int
specfun_hyp2f1_1(double b, double c, double z, double *out, struct ci_err *err);

/*
 * The beta mixture M(u) = E[(1 - (1 + p u)^-k) / p] over p ~ Beta(a, bb),
 * for k > 0, a > 0, bb > 0 and each u[i] >= 0 (i < n), into out[i].  This
 * is what a customer still alive buys in a period u (in units of the
 * scale of his gamma rate posterior, shape k) when after each purchase he
 * drops out with a probability whose posterior is Beta(a, bb): the BG/NBD
 * (Fader, Hardie & Lee 2005, eq. 10) and MBG/NBD expectations divided by
 * P(alive).  With c = a + bb - 1 it equals
 *
 *   c / (a - 1) [1 - (1 + u)^-k 2F1(k, bb; c; z)],  z = u / (1 + u),
 *
 * evaluated here after Euler's transformation 2F1(k, bb; c; z) =
 * (1 - z)^(c - k - bb) 2F1(c - k, a - 1; c; z) and the removal of the
 * common factor a - 1, as
 *
 *   M = c (1 - w) / (a - 1) - w S,   w = (1 + u)^-(a - 1),
 *   S = sum over n >= 1 of (c - k)_n (a)_(n-1) / ((c + 1)_(n-1) n!) z^n,
 *
 * where (1 - w) / (a - 1) is taken with expm1, so a = 1 is no special
 * case, c may be 0 or negative (x = 0 and a + bb <= 1), and large k and
 * bb cannot overflow.  The terms of S share their coefficients across the
 * u[i], so n periods cost little more than the longest.  Where z is
 * beyond SPECFUN_ZMAX, M is integrated over ln(1/p) by GSL's QAGIU.
 * Returns 0, or -1 with *err (CI_EXIT_DATA) for arguments out of range
 * or a quadrature that does not converge.
 */
int specfun_beta_mixture(double k, double a, double bb, const double *u,
    size_t n, double *out, struct ci_err *err);

/*
 * specfun_beta_mixture() at the periods u[i] = t[i] / scale (i < n) for
 * periods t[i] in the time unit of the gamma posterior's scale > 0: what
 * a BG/NBD or MBG/NBD customer who is alive at T buys in (T, T + t[i]],
 * with scale = alpha + T.  Returns as specfun_beta_mixture().
 */
int specfun_beta_mixture_at(double k, double a, double bb, double scale,
    const double *t, size_t n, double *out, struct ci_err *err);

#endif
