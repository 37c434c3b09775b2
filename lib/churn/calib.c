/*
 * calib: Platt scaling and isotonic regression of margins.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
#include "xalloc.h"

static const char *const kind_names[] = { "none", "platt", "isotonic" };

int
calib_kind_parse(const char *s, enum calib_kind *k)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum calib_kind)i;
			return 0;
		}
	return -1;
}

const char *
calib_kind_name(enum calib_kind k)
{
	return kind_names[k];
}

void
calib_release(struct calib *c)
{
	free(c->x);
	free(c->y);
	memset(c, 0, sizeof(*c));
}

/*
 * Lin, Lin & Weng (2007), Algorithm 1, written for p = 1 / (1 + exp(A f +
 * B)); the result is stored as a = -A, b = -B.  Targets are Platt's:
 * (N+ + 1) / (N+ + 2) for positives and 1 / (N- + 2) for negatives.
 */
static void
platt(struct calib *c, const double *f, const float *y, size_t n)
{
	double  prior1 = 0, prior0, hi, lo, A, B, fval = 0;
	double *t = xreallocarray(NULL, n, sizeof(*t));
	size_t  i;
	int     it;

	for (i = 0; i < n; i++)
		prior1 += y[i] > 0.5;
	prior0 = (double)n - prior1;
	hi = (prior1 + 1) / (prior1 + 2);
	lo = 1 / (prior0 + 2);
	A = 0;
	B = log((prior0 + 1) / (prior1 + 1));
	for (i = 0; i < n; i++) {
		double fApB = f[i] * A + B;

		t[i] = y[i] > 0.5 ? hi : lo;
		fval += fApB >= 0 ? t[i] * fApB + log1p(exp(-fApB))
		                  : (t[i] - 1) * fApB + log1p(exp(fApB));
	}
	for (it = 0; it < 100; it++) {
		double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
		double det, dA, dB, gd, step = 1;

		for (i = 0; i < n; i++) {
			double fApB = f[i] * A + B, p, q, d1, d2;

			if (fApB >= 0) {
				p = exp(-fApB) / (1 + exp(-fApB));
				q = 1 / (1 + exp(-fApB));
			} else {
				p = 1 / (1 + exp(fApB));
				q = exp(fApB) / (1 + exp(fApB));
			}
			d2 = p * q;
			h11 += f[i] * f[i] * d2;
			h22 += d2;
			h21 += f[i] * d2;
			d1 = t[i] - p;
			g1 += f[i] * d1;
			g2 += d1;
		}
		if (fabs(g1) < 1e-5 && fabs(g2) < 1e-5)
			break;
		det = h11 * h22 - h21 * h21;
		dA = -(h22 * g1 - h21 * g2) / det;
		dB = -(-h21 * g1 + h11 * g2) / det;
		gd = g1 * dA + g2 * dB;
		while (step >= 1e-10) {
			double nA = A + step * dA, nB = B + step * dB, nf = 0;

			for (i = 0; i < n; i++) {
				double fApB = f[i] * nA + nB;

				nf += fApB >= 0
				    ? t[i] * fApB + log1p(exp(-fApB))
				    : (t[i] - 1) * fApB + log1p(exp(fApB));
			}
			if (nf < fval + 1e-4 * step * gd) {
				A = nA, B = nB, fval = nf;
				break;
			}
			step /= 2;
		}
		if (step < 1e-10)
			break;
	}
	free(t);
	c->kind = CALIB_PLATT;
	c->a = -A;
	c->b = -B;
}

struct pt {
	double m;
	double y;
	size_t i;
};

static int
cmp_pt(const void *pa, const void *pb)
{
	const struct pt *a = pa, *b = pb;

	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/*
 * Pool adjacent violators over the points sorted by margin, equal margins
 * pooled first (they must get one value).  Each block keeps its weight,
 * mean and the margins of its ends; the breakpoints are the ends of the
 * blocks, so that the fitted steps are interpolated within a gap only.
 */
static void
isotonic(struct calib *c, const double *m, const float *y, size_t n)
{
	struct pt *p = xreallocarray(NULL, n, sizeof(*p));
	double    *w = xreallocarray(NULL, n, sizeof(*w));
	double    *v = xreallocarray(NULL, n, sizeof(*v));
	double    *lo = xreallocarray(NULL, n, sizeof(*lo));
	double    *hi = xreallocarray(NULL, n, sizeof(*hi));
	size_t     i, k = 0, nb;

	for (i = 0; i < n; i++) {
		p[i].m = m[i];
		p[i].y = y[i] > 0.5;
		p[i].i = i;
	}
	qsort(p, n, sizeof(*p), cmp_pt);
	for (i = 0; i < n; i++) {
		if (k > 0 && p[i].m == hi[k - 1]) {
			v[k - 1] =
			    (v[k - 1] * w[k - 1] + p[i].y) / (w[k - 1] + 1);
			w[k - 1] += 1;
		} else {
			w[k] = 1, v[k] = p[i].y, lo[k] = hi[k] = p[i].m;
			k++;
		}
		while (k > 1 && v[k - 2] >= v[k - 1]) {
			v[k - 2] = (v[k - 2] * w[k - 2] + v[k - 1] * w[k - 1]) /
			    (w[k - 2] + w[k - 1]);
			w[k - 2] += w[k - 1];
			hi[k - 2] = hi[k - 1];
			k--;
		}
	}
	c->kind = CALIB_ISOTONIC;
	c->x = xreallocarray(NULL, 2 * k, sizeof(*c->x));
	c->y = xreallocarray(NULL, 2 * k, sizeof(*c->y));
	for (i = 0, nb = 0; i < k; i++) {
		c->x[nb] = lo[i], c->y[nb++] = v[i];
		if (hi[i] > lo[i])
			c->x[nb] = hi[i], c->y[nb++] = v[i];
	}
	c->n = nb;
	free(p);
	free(w);
	free(v);
	free(lo);
	free(hi);
}

int
calib_fit(struct calib *c, enum calib_kind k, const double *m, const float *y,
    size_t n)
{
	size_t i, pos = 0;

	calib_release(c);
	for (i = 0; i < n; i++)
		pos += y[i] > 0.5;
	if (n == 0 || pos == 0 || pos == n)
		return -1;
	if (k == CALIB_PLATT)
		platt(c, m, y, n);
	else if (k == CALIB_ISOTONIC)
		isotonic(c, m, y, n);
	else
		c->a = 1, c->b = 0;
	return 0;
}

int
calib_set_isotonic(struct calib *c, const double *x, const double *y, size_t n)
{
	size_t i;

	calib_release(c);
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!(y[i] >= 0 && y[i] <= 1) || !isfinite(x[i]) ||
		    (i > 0 && (x[i] <= x[i - 1] || y[i] < y[i - 1])))
			return -1;
	c->kind = CALIB_ISOTONIC;
	c->x = xreallocarray(NULL, n, sizeof(*c->x));
	c->y = xreallocarray(NULL, n, sizeof(*c->y));
	memcpy(c->x, x, n * sizeof(*x));
	memcpy(c->y, y, n * sizeof(*y));
	c->n = n;
	return 0;
}

double
calib_apply(const struct calib *c, double m)
{
	size_t lo, hi;

	if (isnan(m))
		return NAN;
	if (c->kind != CALIB_ISOTONIC) {
		double z = c->kind == CALIB_PLATT ? c->a * m + c->b : m;

		return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
	}
	if (m <= c->x[0])
		return c->y[0];
	if (m >= c->x[c->n - 1])
		return c->y[c->n - 1];
	lo = 0, hi = c->n - 1; /* x[lo] < m < x[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->x[mid] <= m)
			lo = mid;
		else
			hi = mid;
	}
	return c->y[lo] +
	    (c->y[hi] - c->y[lo]) * (m - c->x[lo]) / (c->x[hi] - c->x[lo]);
}
