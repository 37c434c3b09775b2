/*
 * rng: xoshiro256** seeded by splitmix64, and the uniform integers,
 * shuffles and samples ci draws from it.  The two generators are
 * transcriptions of the authors' public-domain reference code
 * (prng.di.unimi.it: xoshiro256starstar.c and splitmix64.c).
 */
#include "rng.h"

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* One step of splitmix64 on the counter *x (Steele, Lea & Flood 2014). */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Four consecutive outputs of splitmix64 come from four distinct counter
 * values through a bijection, so they are distinct and never all zero.
 */
void
rng_init(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t  result = rotl(s[1] * 5, 7) * 9;
	uint64_t  t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/*
 * The 128-bit product a * b: the high half returned, the low in *lo.
 * Written with 32-bit halves so that it needs no compiler extension.
 */
static inline uint64_t
mul128(uint64_t a, uint64_t b, uint64_t *lo)
{
	uint64_t al = a & 0xffffffffU, ah = a >> 32;
	uint64_t bl = b & 0xffffffffU, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffU) + (hl & 0xffffffffU);

	*lo = (mid << 32) | (ll & 0xffffffffU);
	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/*
 * Lemire (2019), Algorithm 5: the high half of x * n is uniform on [0, n)
 * once the products whose low half falls below 2^64 mod n are rejected;
 * the costly modulo is needed only when the low half is below n.
 */
uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t hi, lo, t;

	if (n <= 1)
		return 0;
	hi = mul128(rng_next(r), n, &lo);
	if (lo < n) {
		t = (0 - n) % n; /* 2^64 mod n */
		while (lo < t)
			hi = mul128(rng_next(r), n, &lo);
	}
	return hi;
}

void
rng_shuffle(struct rng *r, size_t *idx, size_t n)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, i);
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/*
 * Knuth's Algorithm S: index t (of n) is taken with probability
 * (still needed) / (still unseen).  When every unseen index is needed the
 * rest are taken without drawing, and the pass stops once none is needed.
 */
size_t
rng_sample(struct rng *r, size_t n, size_t k, size_t *out)
{
	size_t t, m = 0;

	if (k > n)
		k = n;
	for (t = 0; m < k; t++)
		if (n - t == k - m || rng_below(r, n - t) < k - m)
			out[m++] = t;
	return m;
}
