/*
 * quantile: sorted copies, cut points by rank and ranks among cut points.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quantile.h"
#include "xalloc.h"

/*
 * Doubles sort as unsigned integers once the sign bit of the positive ones
 * is set and every bit of the negative ones is flipped (Herf, "Radix
 * tricks", 2001); -0 then sorts just before 0, which compares equal to it.
 */
static inline uint64_t
to_key(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

static inline double
from_key(uint64_t u)
{
	double v;

	u = u >> 63 ? u & ~((uint64_t)1 << 63) : ~u;
	memcpy(&v, &u, sizeof(v));
	return v;
}

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)
#define PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)

/*
 * Sort the n keys a by least-significant-digit radix sort, 11 bits a pass (2048
 * counters stay in the first-level cache), skipping the passes whose digit all
 * keys share; tmp holds n keys.  Linear time, which matters for half a million
 * values a column.
 */
static void
radix_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
	size_t   *cnt = xcalloc((size_t)PASSES * RADIX, sizeof(*cnt));
	size_t    i, p, sum, c, *h;
	uint64_t *src = a, *dst = tmp, *t;

	for (i = 0; i < n; i++)
		for (p = 0; p < PASSES; p++)
			cnt[p * RADIX +
			    (a[i] >> (p * RADIX_BITS) & (RADIX - 1))]++;
	for (p = 0; p < PASSES; p++) {
		h = cnt + p * RADIX;
		if (h[src[0] >> (p * RADIX_BITS) & (RADIX - 1)] == n)
			continue;
		for (i = 0, sum = 0; i < RADIX; i++) {
			c = h[i];
			h[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[h[src[i] >> (p * RADIX_BITS) & (RADIX - 1)]++] =
			    src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(cnt);
}

double *
quantile_sorted(const double *v, size_t n, size_t *m)
{
	uint64_t *key, *tmp;
	double   *y;
	size_t    i, k = 0;

	for (i = 0; i < n; i++)
		k += !isnan(v[i]);
	*m = k;
	if (k == 0)
		return NULL;
	key = xreallocarray(NULL, k, sizeof(*key));
	tmp = xreallocarray(NULL, k, sizeof(*tmp));
	for (i = 0, k = 0; i < n; i++)
		if (!isnan(v[i]))
			key[k++] = to_key(v[i]);
	radix_sort(key, tmp, k);
	free(tmp);
	/* The keys become the doubles in place: both are 8 bytes. */
	for (i = 0; i < k; i++) {
		double d = from_key(key[i]);

		memcpy(&key[i], &d, sizeof(d));
	}
	y = (double *)(void *)key;
	return y;
}

void
quantile_cuts(const double *y, size_t m, size_t parts, double *cuts)
{
	size_t j;

	/* ceil(j m / p) - 1, in integers: (j m + p - 1) / p - 1. */
	for (j = 1; j < parts; j++)
		cuts[j - 1] = m > 0 ? y[(j * m + parts - 1) / parts - 1] : NAN;
}

int
quantile_rank(const double *cuts, size_t ncuts, double v)
{
	size_t lo = 0, hi = ncuts, mid;

	if (isnan(v) || (ncuts > 0 && isnan(cuts[0])))
		return -1;
	/* The first cut point that is not below v. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cuts[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo;
}

double
quantile_median(const double *y, size_t m)
{
	return m > 0 ? y[(m - 1) / 2] : NAN;
}

void
quantile_fit(const double *v, size_t n, size_t parts, double *cuts)
{
	size_t  m;
	double *y = quantile_sorted(v, n, &m);

	quantile_cuts(y, m, parts, cuts);
	free(y);
}
