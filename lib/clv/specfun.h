/*
 * specfun: the special functions the customer-lifetime-value models share,
 * each on a path that stays accurate over the whole parameter space a fit
 * can reach, including its limits (a shape or a scale running to 0 or to
 * infinity), and none of which can fail to converge: log-gamma, digamma and
 * trigamma (GSL), alone or together for a likelihood and its derivatives;
 * differences of log-gamma and digamma that do not cancel at large
 * arguments; log-sum-exp and the logistic function without overflow; the
 * Gauss hypergeometric function 2F1(1, b; c; z) as a series of positive
 * terms; the beta mixture that the BG/NBD and MBG/NBD expectations are made
 * of, by a series of positive terms or, where that would be long, by the
 * trapezoidal rule in the log-odds of the dropout probability; and the
 * integral of a log-concave function, which is what the Pareto/NBD
 * likelihood holds.
 *
 * GSL reports a domain error through its error handler as well as through
 * the status these functions check; a caller must turn that handler off
 * (gsl_set_error_handler_off()), since GSL's default handler aborts the
 * program.
 */
#ifndef CI_SPECFUN_H
#define CI_SPECFUN_H

#include <stddef.h>

#include "diag.h"

/*
 * The terms the positive series below may sum before they give way (the
 * hypergeometric series) or the caller is better served by another method
 * (the beta mixture).
 */
#define SPECFUN_TERMS 4000

/*
 * The argument from which specfun_lnpoch() and specfun_psidiff() use
 * Stirling's series for the difference instead of subtracting the
 * functions themselves: below it the subtraction loses at most about
 * 1e-11 in absolute terms, and its bits are those of GSL's functions.
 */
#define SPECFUN_BIG 1e4

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

/*
 * ln Gamma(a + x) - ln Gamma(a), the log of the Pochhammer symbol (a)_x,
 * for a > 0 and x >= 0 (NaN otherwise).  From a = SPECFUN_BIG on it is
 * (a - 1/2) ln(1 + x / a) + x ln(a + x) - x plus the difference of the
 * remainders of Stirling's series, which keeps its relative accuracy
 * however large a is (the subtraction would lose ln Gamma(a) ulps, 2e-7
 * at a = 1e8); below, the subtraction of GSL's ln Gamma.
 */
double specfun_lnpoch(double a, double x);

/*
 * psi(a + x) - psi(a) for a > 0 and x >= 0, by Stirling's series from
 * a = SPECFUN_BIG on (ln(1 + x / a) and the difference of the remainders),
 * by GSL's digamma below.  NaN for arguments out of range.
 */
double specfun_psidiff(double a, double x);

/* ln(e^u + e^v) without overflow; -inf when both are -inf. */
double specfun_logaddexp(double u, double v);

/* The logistic function 1 / (1 + e^-u), without overflow. */
double specfun_expit(double u);

/*
 * 2F1(1, b; c; z) = sum over n >= 0 of (b)_n / (c)_n z^n, for 0 < b <= c
 * and 0 <= z < 1, into *out.  The terms are positive and fall at least
 * by the factor z, so the sum stops when the rest is below 1e-17 of it;
 * the rounding of the terms' ratios accumulates along them, to a relative
 * error of about 4e-16 / (1 - z).  The value is at most 1 / (1 - z), so
 * nothing overflows, whatever the size of b and c.  Returns 0, or -1 with
 * *err (CI_EXIT_DATA) for arguments out of range or a sum that would take
 * more than SPECFUN_TERMS terms (z too near 1 for b near c); err may be
 * NULL.
 */
int
specfun_hyp2f1_1(double b, double c, double z, double *out, struct ci_err *err);

/*
 * The same series at two arguments 0 <= z2 <= z1 < 1 at once:
 * out[0] = 2F1(1, b; c; z1), out[1] = 2F1(1, b; c; z2) and out[2] their
 * difference, summed as the positive series of (b)_n / (c)_n
 * (z1^n - z2^n), so that it keeps its relative accuracy when z1 and z2
 * are close.  Returns as specfun_hyp2f1_1() (err may be NULL).
 */
int specfun_hyp2f1_1_pair(double b, double c, double z1, double z2,
    double out[3], struct ci_err *err);

/*
 * The beta mixture M(u) = E[(1 - (1 + p u)^-k) / p] over p ~ Beta(a, bb),
 * for k > 0, a > 0, bb > 0 and each u[i] >= 0 (i < n), into out[i].  This
 * is what a customer still alive buys in a period u (in units of the
 * scale of his gamma rate posterior, shape k) when after each purchase he
 * drops out with a probability whose posterior is Beta(a, bb): the BG/NBD
 * (Fader, Hardie & Lee 2005, eq. 10) and MBG/NBD expectations divided by
 * P(alive).  In closed form it is
 *
 *   (a + bb - 1) / (a - 1) [1 - (1 + u)^-k 2F1(k, bb; a + bb - 1; z)],
 *   z = u / (1 + u),
 *
 * whose series summed as they stand cancel (a near 1, u small) or
 * overflow (large a and bb, large k).  Here M is evaluated two ways, both
 * sums of positive terms with a bound on what is left out:
 *
 * - the series over the purchase opportunities: with N the purchases a
 *   customer who never dropped out would make in the period (negative
 *   binomial, P(N = n) = (k)_n / n! (1 - z)^k z^n) and Q_n = sum over
 *   j = 1 .. n of E[(1 - p)^(j - 1)] what he makes of n opportunities,
 *   M = sum over n of P(N = n) Q_n, summed until a bound on the rest
 *   (from the ratio of the negative binomial terms, and from the limit
 *   (a + bb - 1) / (a - 1) of Q_n when a > 1) is below 5e-17 of the sum;
 *   used when that takes at most SPECFUN_TERMS terms;
 *
 * - otherwise (long periods, large k), the trapezoidal rule in
 *   eta = ln(p / (1 - p)), where the Beta density is log-concave and,
 *   with the integrand, analytic in a strip |Im eta| < pi / 2: with a
 *   step of min(1/4, sd / 1.6), sd = sqrt(1/a + 1/bb), the error is below
 *   e^(-39) of the integral.  The nodes go out from the mode of the
 *   density until a bound on the rest from its log-concavity is
 *   negligible, or until the integrand is a geometric sequence to within
 *   1e-9 of its first correction (the exact tails of e^(a eta) and
 *   e^(-bb eta), with their first corrections), whose rest is summed in
 *   closed form; M is then the ratio of the sums for the integrand and
 *   for the density alone, so that no beta function is needed.
 *
 * Both reach every limit: a and bb to infinity with a / (a + bb) fixed
 * (a point-mass dropout), a to 0 or bb to infinity (no dropout, where M
 * tends to k u), k and the scale to infinity together.  The cost does not
 * depend on the parameters beyond a few hundred nodes.  Returns 0, or -1
 * with *err (CI_EXIT_DATA) for arguments out of range.
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

/*
 * The survival that goes with the beta mixture: S(u) = E[(1 + p u)^-k]
 * over p ~ Beta(a, bb), at u[i] = t[i] / scale (i < n), into out[i]: the
 * probability that a BG/NBD or MBG/NBD customer who is alive at T is still
 * alive at T + t[i].  While alive he buys at a rate lambda and drops out
 * after a purchase with probability p, so that his dropouts come at the
 * rate lambda p and he survives a period t with probability
 * e^(-lambda p t); averaged over lambda's gamma posterior (shape k, scale
 * the rate's) and p's beta posterior, that is S.  Since p Beta(a, bb) is
 * a / (a + bb) times Beta(a + 1, bb), S(u) = 1 - a / (a + bb) M(u) with
 * M the beta mixture of specfun_beta_mixture() at (k, a + 1, bb), which
 * keeps its accuracy in absolute terms.  Returns as
 * specfun_beta_mixture().
 */
int specfun_beta_survival_at(double k, double a, double bb, double scale,
    const double *t, size_t n, double *out, struct ci_err *err);

/*
 * A concave function on an interval, for specfun_log_concave(): phi(y)
 * into *f and phi'(y) into *d1.
 */
typedef void specfun_concave_fn(void *ctx, double y, double *f, double *d1);

/*
 * ln of the integral of e^phi(y) over [y0, y1], y0 <= y1 finite, for a
 * concave phi: -inf for an empty interval.  The maximum of phi is found
 * (an end, or the root of phi' by Newton's method within a bracket); where
 * phi falls by at most 4 over the interval, 64-point Gauss-Legendre on
 * it; otherwise, on each side of the maximum, 16-point Gauss-Legendre on
 * each piece between the points where phi has fallen by 1/8, 1/4, ...,
 * 46 (found by Newton's method within a bracket), so that e^phi changes
 * by at most e^6 on a piece whatever its length: exact to rounding even
 * where phi is flat at its maximum and then falls steeply (a Pareto/NBD
 * customer with alpha much below beta, whom the substitution
 * phi = max - s^2 used before got wrong by 2e-4).  What lies beyond a fall
 * of 46 is below e^(-40) of the integral.  The cost is at most some 700
 * evaluations of phi whatever it is.
 */
double
specfun_log_concave(specfun_concave_fn *fn, void *ctx, double y0, double y1);

#endif
