/*
 * specfun: GSL's gamma functions with their status checked, differences of
 * them by Stirling's series, the positive series of 2F1(1, b; c; z), the
 * beta mixture by its series over purchase opportunities or by the
 * trapezoidal rule in the log-odds, and the integral of a log-concave
 * function by Gauss-Legendre after a substitution.  Each series is summed
 * until a bound on the rest of it, not merely the last term, is below the
 * tolerance; each quadrature has a fixed layout or one bounded in advance,
 * so that nothing here iterates without end or gives up.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "specfun.h"
#include "xalloc.h"

/* The relative size of the rest of a series at which it stops. */
#define SERIES_EPS 1e-17
/* The same for the beta mixture, whose terms are rounded more. */
#define MIX_EPS 5e-17
/* The largest trapezoid step in the log-odds, and the step per sd. */
#define MIX_HMAX 0.25
#define MIX_HDIV 1.6
/*
 * Where the integrand of the beta mixture counts as geometric: its first
 * correction at most this much of it, so that the second is below 1e-18.
 */
#define MIX_ASYM 1e-9

int
specfun_lngamma(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_lngamma_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute ln Gamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_psi(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_psi_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute digamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_psi1(double x, double *out, struct ci_err *err)
{
	gsl_sf_result r;

	if (!(isfinite(x) && x > 0) || gsl_sf_psi_1_e(x, &r) != GSL_SUCCESS ||
	    !isfinite(r.val))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "cannot compute trigamma(%g)", x);
	*out = r.val;
	return 0;
}

int
specfun_gamma_terms(
    const double *v, size_t n, int order, double *out, struct ci_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (specfun_lngamma(v[i], &out[i], err) == -1 ||
		    (order >= 1 && specfun_psi(v[i], &out[n + i], err) == -1) ||
		    (order >= 2 &&
		        specfun_psi1(v[i], &out[2 * n + i], err) == -1))
			return -1;
	return 0;
}

/*
 * The remainder of Stirling's series, ln Gamma(z) - (z - 1/2) ln z + z -
 * ln(2 pi) / 2, for z >= 10: the terms B_2n / (2n (2n - 1) z^(2n - 1))
 * to n = 7, whose next is below 1e-17 there.
 */
static double
stirling_rem(double z)
{
	double w = 1 / (z * z);

	return (1.0 / 12 +
	           w *
	               (-1.0 / 360 +
	                   w *
	                       (1.0 / 1260 +
	                           w *
	                               (-1.0 / 1680 +
	                                   w *
	                                       (1.0 / 1188 +
	                                           w *
	                                               (-691.0 / 360360 +
	                                                   w / 156)))))) /
	    z;
}

double
specfun_lnpoch(double a, double x)
{
	gsl_sf_result l1, l2;

	if (!(a > 0 && x >= 0 && isfinite(a) && isfinite(x)))
		return NAN;
	if (x == 0)
		return 0;
	if (a >= SPECFUN_BIG)
		return (a - 0.5) * log1p(x / a) + x * (log(a + x) - 1) +
		    (stirling_rem(a + x) - stirling_rem(a));
	if (gsl_sf_lngamma_e(a + x, &l1) != GSL_SUCCESS ||
	    gsl_sf_lngamma_e(a, &l2) != GSL_SUCCESS)
		return NAN;
	return l1.val - l2.val;
}

/*
 * psi(z) - ln z + 1 / (2 z), for z >= 1e4: -1 / (12 z^2) + 1 / (120 z^4)
 * - 1 / (252 z^6), the next term below 1e-34.
 */
static double
psi_rem(double z)
{
	double w = 1 / (z * z);

	return w * (-1.0 / 12 + w * (1.0 / 120 - w / 252));
}

double
specfun_psidiff(double a, double x)
{
	gsl_sf_result p1, p2;

	if (!(a > 0 && x >= 0 && isfinite(a) && isfinite(x)))
		return NAN;
	if (x == 0)
		return 0;
	if (a >= SPECFUN_BIG)
		return log1p(x / a) + x / (2 * a * (a + x)) +
		    (psi_rem(a + x) - psi_rem(a));
	if (gsl_sf_psi_e(a + x, &p1) != GSL_SUCCESS ||
	    gsl_sf_psi_e(a, &p2) != GSL_SUCCESS)
		return NAN;
	return p1.val - p2.val;
}

double
specfun_logaddexp(double u, double v)
{
	double hi = u > v ? u : v, lo = u > v ? v : u;

	if (hi == -INFINITY)
		return -INFINITY;
	return hi + log1p(exp(lo - hi));
}

double
specfun_expit(double u)
{
	if (u >= 0)
		return 1 / (1 + exp(-u));
	return exp(u) / (1 + exp(u));
}

/*
 * The terms (b)_n / (c)_n z^n are positive, and with b <= c each is at
 * most z times the one before, so the rest after a term t is below
 * t z / (1 - z).
 */
int
specfun_hyp2f1_1(double b, double c, double z, double *out, struct ci_err *err)
{
	double t = 1, s = 1;
	long   n;

	if (!(b > 0 && c >= b && isfinite(c) && z >= 0 && z < 1))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "2F1(1, %g; %g; %g) is outside its positive series", b, c,
		    z);
	for (n = 0; t * z > SERIES_EPS * s * (1 - z); n++) {
		if (n == SPECFUN_TERMS)
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "2F1(1, %g; %g; %g) needs more than %d terms", b, c,
			    z, SPECFUN_TERMS);
		t *= (b + (double)n) / (c + (double)n) * z;
		s += t;
	}
	*out = s;
	return 0;
}

/*
 * Both series and their difference: with d_n = z1^n - z2^n, d_(n+1) =
 * z1 d_n + z2^n (z1 - z2), every term of the difference is positive, and
 * its rest is bounded as the rest of the series at z1 is.
 */
int
specfun_hyp2f1_1_pair(
    double b, double c, double z1, double z2, double out[3], struct ci_err *err)
{
	double t = 1, s1 = 1, s2 = 1, sd = 0, z1n = 1, z2n = 1, dn = 0;
	double dz = z1 - z2;
	long   n;

	if (!(b > 0 && c >= b && isfinite(c) && z2 >= 0 && z1 >= z2 && z1 < 1))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "2F1(1, %g; %g; %g, %g) is outside its positive series", b,
		    c, z1, z2);
	for (n = 0; t * z1n * z1 > SERIES_EPS * s1 * (1 - z1); n++) {
		if (n == SPECFUN_TERMS)
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "2F1(1, %g; %g; %g) needs more than %d terms", b, c,
			    z1, SPECFUN_TERMS);
		t *= (b + (double)n) / (c + (double)n);
		dn = z1 * dn + z2n * dz;
		z1n *= z1;
		z2n *= z2;
		s1 += t * z1n;
		s2 += t * z2n;
		sd += t * dn;
	}
	out[0] = s1;
	out[1] = s2;
	out[2] = sd;
	return 0;
}

/*
 * The beta mixture's series over purchase opportunities, at one period u
 * > 0 (see specfun.h): P_n = P(N = n) by P_n = P_(n-1) (k + n - 1) z / n
 * from P_0 = (1 + u)^-k, q_n = E[(1 - p)^(n - 1)] by q_(n+1) = q_n
 * (bb + n - 1) / (a + bb + n - 1), Q_n = Q_(n-1) + q_n.  Past the mode of
 * N, the ratio P_(m+1) / P_m is at most rho (its value now when it falls,
 * else its limit z), and since q falls, Q_m <= Q_n + (m - n) q_(n+1), so
 * the rest is below P_(n+1) (Q_n / (1 - rho) + q_(n+1) / (1 - rho)^2); with
 * a > 1 also below P_(n+1) / (1 - rho) times the limit (a + bb - 1) /
 * (a - 1) of Q.  With a > 1, once Q_n is that close to its limit
 * (Q_inf - Q_n = q_(n+1) (a + bb + n - 1) / (a - 1)) while the rest of N's
 * mass S = 1 - sum P is not small, the rest is S times a Q between Q_n
 * and Q_inf.  Returns 0, or -1 when P_0 underflows or the series would
 * take more than SPECFUN_TERMS terms.
 */
static int
mix_series(double k, double a, double bb, double u, double *out)
{
	double z = u / (1 + u), l0 = -k * log1p(u), c = a + bb - 1;
	double P, F, q = 1, Q = 0, A = 0;
	long   n;

	if (u * fmax(k, 1) < 1e-200) {
		*out = k * u;
		return 0;
	}
	if (l0 < -700)
		return -1;
	P = exp(l0);
	F = P;
	for (n = 1; n <= SPECFUN_TERMS; n++) {
		double nn = (double)n, r, rho, P1, tail;

		P *= (k + nn - 1) / nn * z;
		Q += q;
		A += P * Q;
		F += P;
		q *= (bb + nn - 1) / (c + nn);
		r = (k + nn) / (nn + 1) * z;
		if (r >= 1)
			continue;
		rho = k >= 1 ? r : z;
		P1 = P * r;
		tail = P1 / (1 - rho) * (Q + q / (1 - rho));
		if (a > 1)
			tail = fmin(tail, P1 / (1 - rho) * (c / (a - 1)));
		if (tail <= MIX_EPS * A) {
			*out = A;
			return 0;
		}
		if (a > 1 && 1 - F >= 1e-3) {
			double S = 1 - F, gap = q * (c + nn) / (a - 1);

			if (gap * S <= MIX_EPS * (A + Q * S)) {
				*out = A + (Q + gap / 2) * S;
				return 0;
			}
		}
	}
	return -1;
}

/* (1 - (1 + p u)^-k) / p, and its limit k u at p u = 0. */
static double
mix_g(double k, double p, double u)
{
	double pu = p * u;

	if (!(pu >= 1e-300))
		return k * u;
	return -expm1(-k * log1p(pu)) / p;
}

/* The state of the trapezoidal rule of the beta mixture. */
struct mixq {
	double        k, a, bb;
	const double *u;
	size_t        n;
	double       *sF; /* per period: the sum of g f at the nodes */
	double        sf; /* the sum of f at the nodes */
};

/*
 * The closed-form rest, beyond a node where the integrand is C e^(c eta)
 * (1 - c1 w) to first order in w (w = e^(eta) on the left, c = a; w =
 * e^(-eta) on the right, c = -bb), of the trapezoidal sum at step h, over
 * the value v at that node.
 */
static double
geometric_rest(double c, double c1, double w, double h)
{
	return (1 / expm1(c * h) - c1 * w / expm1((c + 1) * h)) / (1 - c1 * w);
}

/*
 * Add the nodes on one side of the mode (dir 1: right, -1: left) to the
 * sums of *m.  A node at eta = eta0 + d has p = e^eta / (1 + e^eta) and a
 * density e^(a d - (a + bb) ln(1 + p0 (e^d - 1))) relative to the mode
 * (p0 = a / (a + bb)), which is exact there however large a and bb are.
 * It stops when the log-concavity of the density bounds the rest of both
 * sums below MIX_EPS of them (g is at most k u on the left, and falls to
 * the right), or when the integrand is geometric to MIX_ASYM and the rest
 * is added in closed form.  The step count is bounded: the geometric
 * regime begins within ln(K) + 21 of the mode, K the first-correction
 * coefficient.
 */
static void
mix_side(struct mixq *m, int dir, double h, double kl, double kr)
{
	const double k = m->k, a = m->a, bb = m->bb, p0 = a / (a + bb);
	const double ab = a / bb;
	long         j;
	size_t       i;

	for (j = dir == 1 ? 0 : -1;; j += dir) {
		double d = (double)j * h, f, ee, p, s, w, bound;
		int    more = 0;

		f = exp(a * d - (a + bb) * log1p(p0 * expm1(d)));
		ee = ab * exp(d);
		p = isfinite(ee) ? ee / (1 + ee) : 1;
		s = a - (a + bb) * p;
		m->sf += f;
		for (i = 0; i < m->n; i++)
			m->sF[i] += mix_g(k, p, m->u[i]) * f;
		w = dir < 0 ? ee : 1 / ee;
		if ((dir < 0 ? kl : kr) * w <= MIX_ASYM) {
			double c = dir < 0 ? a : bb;

			m->sf += f * geometric_rest(c, a + bb, w, h);
			for (i = 0; i < m->n; i++) {
				double u = m->u[i], c1, g1;

				if (dir < 0) {
					c1 = a + bb + (k + 1) * u / 2;
				} else {
					g1 = -expm1(-k * log1p(u));
					c1 = a + bb - 1 +
					    (g1 > 0 ? k * u *
					                exp(-(k + 1) *
					                    log1p(u)) /
					                g1
					            : 1);
				}
				m->sF[i] += mix_g(k, p, u) * f *
				    geometric_rest(c, c1, w, h);
			}
			return;
		}
		if (dir * s >= 0)
			continue; /* not past the mode yet */
		bound = f / expm1(fabs(s) * h);
		more = bound > MIX_EPS * m->sf;
		for (i = 0; i < m->n && !more; i++) {
			double g = dir < 0 ? k * m->u[i] : mix_g(k, p, m->u[i]);

			more = g * bound > MIX_EPS * m->sF[i];
		}
		if (!more)
			return;
	}
}

/*
 * The beta mixture at the periods u[0..n-1] by the trapezoidal rule in
 * the log-odds of p, centred on the mode of the density, ln(a / bb).
 */
static void
mix_quad(double k, double a, double bb, const double *u, size_t n, double *out)
{
	double sd = sqrt(1 / a + 1 / bb), h = fmin(MIX_HMAX, sd / MIX_HDIV);
	double umax = 0, small[16], *sF;
	struct mixq m;
	size_t      i;

	sF = n <= 16 ? small : xreallocarray(NULL, n, sizeof(*sF));
	for (i = 0; i < n; i++) {
		sF[i] = 0;
		umax = fmax(umax, u[i]);
	}
	m = (struct mixq){ k, a, bb, u, n, sF, 0 };
	mix_side(&m, 1, h, 0, a + bb + k + 2);
	mix_side(&m, -1, h, a + bb + (k + 1) * (umax + 1) + 2, 0);
	for (i = 0; i < n; i++)
		out[i] = u[i] > 0 ? sF[i] / m.sf : 0;
	if (sF != small)
		free(sF);
}

int
specfun_beta_mixture(double k, double a, double bb, const double *u, size_t n,
    double *out, struct ci_err *err)
{
	double small[32], *v, *q;
	size_t i, nq = 0, *at, smallat[16];

	if (!(k > 0 && a > 0 && bb > 0 && isfinite(k) && isfinite(a) &&
	        isfinite(bb)))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad beta mixture (shape %g, beta %g, %g)", k, a, bb);
	for (i = 0; i < n; i++)
		if (!(u[i] >= 0 && isfinite(u[i])))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "bad period %g for the expected purchases", u[i]);
	v = n <= 16 ? small : xreallocarray(NULL, 2 * n, sizeof(*v));
	q = v + n;
	at = n <= 16 ? smallat : xreallocarray(NULL, n, sizeof(*at));
	/* The periods the series cannot take go to the quadrature at once. */
	for (i = 0; i < n; i++) {
		if (u[i] == 0)
			out[i] = 0;
		else if (mix_series(k, a, bb, u[i], &out[i]) == -1) {
			v[nq] = u[i];
			at[nq++] = i;
		}
	}
	if (nq > 0) {
		mix_quad(k, a, bb, v, nq, q);
		for (i = 0; i < nq; i++)
			out[at[i]] = q[i];
	}
	if (v != small)
		free(v);
	if (at != smallat)
		free(at);
	return 0;
}

int
specfun_beta_mixture_at(double k, double a, double bb, double scale,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	double small[16] = { 0 }, *u;
	size_t i;
	int    rc;

	u = n <= 16 ? small : xreallocarray(NULL, n, sizeof(*u));
	for (i = 0; i < n; i++)
		u[i] = t[i] / scale;
	rc = specfun_beta_mixture(k, a, bb, u, n, out, err);
	if (u != small)
		free(u);
	return rc;
}

int
specfun_beta_survival_at(double k, double a, double bb, double scale,
    const double *t, size_t n, double *out, struct ci_err *err)
{
	double share = a / (a + bb);
	size_t i;

	if (specfun_beta_mixture_at(k, a + 1, bb, scale, t, n, out, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = fmax(0, 1 - share * out[i]);
	return 0;
}

/* The 16-point Gauss-Legendre rule on [-1, 1]: the positive nodes. */
static const double gl_x[8] = { 0.09501250983763744, 0.28160355077925891,
	0.45801677765722739, 0.61787624440264375, 0.75540440835500303,
	0.86563120238783174, 0.94457502307323258, 0.98940093499164993 };
static const double gl_w[8] = { 0.18945061045506850, 0.18260341504492359,
	0.16915651939500254, 0.14959598881657673, 0.12462897125553387,
	0.09515851168249278, 0.06225352393864789, 0.02715245941175409 };

/* Node i (0..15) of the 16-point rule on [lo, hi], and its weight. */
static double
gl_node(int i, double lo, double hi, double *w)
{
	double mid = (lo + hi) / 2, half = (hi - lo) / 2;
	int    j = i < 8 ? 7 - i : i - 8;

	*w = gl_w[j] * half;
	return mid + (i < 8 ? -gl_x[j] : gl_x[j]) * half;
}

/*
 * The y between near and far where phi(y) = target, phi falling from near
 * (where it is above target) to far (where it is not above it): Newton's
 * method from start, kept within the bracket by bisection.
 */
static double
lc_invert(specfun_concave_fn *fn, void *ctx, double target, double near,
    double far, double start)
{
	double y = start, f, d;
	int    i;

	for (i = 0; i < 100; i++) {
		double g, yn;

		fn(ctx, y, &f, &d);
		g = f - target;
		if (g > 0)
			near = y;
		else
			far = y;
		if (fabs(g) <= 4e-16 * (1 + fabs(target)))
			break;
		yn = y - g / d;
		if (!((yn - near) * (yn - far) < 0))
			yn = near + (far - near) / 2;
		if (yn == y || near == far)
			break;
		y = yn;
	}
	return y;
}

/*
 * The falls of phi below its maximum at which lc_side() cuts the
 * integral: each piece spans a fall of at most 6, and beyond the last,
 * e^-46 < 1e-20 of the maximum, the integrand is left out.
 */
static const double lc_drops[] = { 0.125, 0.25, 0.5, 1, 2, 3, 4.5, 6, 8, 10,
	12.5, 15, 18, 21, 24.5, 28, 32, 36, 40.5, 46 };

#define LC_NDROPS (sizeof(lc_drops) / sizeof(lc_drops[0]))

/*
 * The integral of e^(phi - pm) from the maximum ym (phi(ym) = pm) to yend,
 * phi falling all the way (yend may lie on either side of ym): in y, cut
 * where phi has fallen by each of lc_drops, with the 16-point rule on
 * each piece.  On each piece e^phi changes by a factor of at most e^6 and
 * is analytic, so the rule is exact to rounding however long the piece
 * is and however flat phi is at the maximum (a change of variable to
 * phi itself would divide by phi', which is small there).
 */
static double
lc_side(specfun_concave_fn *fn, void *ctx, double ym, double pm, double yend)
{
	double fe, de, a = ym, sum = 0;
	size_t k;
	int    i;

	fn(ctx, yend, &fe, &de);
	if (!(pm - fe > 0))
		fe = pm;
	for (k = 0; k < LC_NDROPS && a != yend; k++) {
		double b = pm - fe <= lc_drops[k]
		    ? yend
		    : lc_invert(fn, ctx, pm - lc_drops[k], a, yend,
		          a + (yend - a) / 2);

		for (i = 0; i < 16; i++) {
			double w, y = gl_node(i, a, b, &w), f, d;

			fn(ctx, y, &f, &d);
			sum += w * exp(f - pm);
		}
		a = b;
	}
	return fabs(sum);
}

/* The root of the falling phi' in (lo, hi), where it changes sign. */
static double
lc_mode(specfun_concave_fn *fn, void *ctx, double lo, double hi)
{
	double y = lo + (hi - lo) / 2, f, d, fp, dp, step;
	int    i;

	for (i = 0; i < 200 && lo < hi; i++) {
		double yn;

		fn(ctx, y, &f, &d);
		if (d > 0)
			lo = y;
		else if (d < 0)
			hi = y;
		else
			break;
		/* A secant on phi' from a nearby point: phi'' is not needed. */
		step = 1e-7 * (1 + fabs(y));
		fn(ctx, y + step, &fp, &dp);
		yn = dp != d ? y - d * step / (dp - d) : lo + (hi - lo) / 2;
		if (!(yn > lo && yn < hi))
			yn = lo + (hi - lo) / 2;
		if (fabs(yn - y) <= 1e-15 * (1 + fabs(y)))
			return yn;
		y = yn;
	}
	return y;
}

double
specfun_log_concave(specfun_concave_fn *fn, void *ctx, double y0, double y1)
{
	double f0, d0, f1, d1, ym, pm, dm, sum = 0;

	if (!(y1 > y0))
		return -INFINITY;
	fn(ctx, y0, &f0, &d0);
	fn(ctx, y1, &f1, &d1);
	if (d0 <= 0)
		ym = y0;
	else if (d1 >= 0)
		ym = y1;
	else
		ym = lc_mode(fn, ctx, y0, y1);
	fn(ctx, ym, &pm, &dm);
	pm = fmax(pm, fmax(f0, f1));
	if (pm - f0 <= 4 && pm - f1 <= 4) {
		int p, i;

		for (p = 0; p < 4; p++) {
			double lo = y0 + (y1 - y0) * p / 4;
			double hi = p == 3 ? y1 : y0 + (y1 - y0) * (p + 1) / 4;

			for (i = 0; i < 16; i++) {
				double w, y = gl_node(i, lo, hi, &w), f, d;

				fn(ctx, y, &f, &d);
				sum += w * exp(f - pm);
			}
		}
		return pm + log(sum);
	}
	if (ym > y0)
		sum += lc_side(fn, ctx, ym, pm, y0);
	if (ym < y1)
		sum += lc_side(fn, ctx, ym, pm, y1);
	return pm + log(sum);
}
