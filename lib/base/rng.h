/*
 * rng: the one source of randomness in ci, a seeded pseudo-random generator
 * whose whole state is a struct the caller holds, so that every run with
 * the same --seed gives the same bytes and two streams never interfere.
 *
 * The generator is xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021), its state filled
 * from a 64-bit seed by splitmix64 (Steele, Lea & Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), as its authors recommend.
 * The stream for a seed is part of ci's output contract: changing any
 * function here changes every seeded result, and the unit test pins it.
 */
#ifndef CI_RNG_H
#define CI_RNG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The generator state.  Any value but all zeros is a valid state;
 * rng_init() never makes all zeros.  Copying the struct forks the stream.
 */
struct rng {
	uint64_t s[4];
};

/* Seed r from seed: s[0..3] are the first four outputs of splitmix64. */
void rng_init(struct rng *r, uint64_t seed);

/* The next 64 uniformly distributed bits. */
uint64_t rng_next(struct rng *r);

/*
 * A uniform double in [0, 1): the top 53 bits of rng_next() times 2^-53,
 * so every multiple of 2^-53 in the interval is equally likely.
 */
double rng_uniform(struct rng *r);

/*
 * A uniform integer in [0, n), without bias for any n, by Lemire's nearly
 * divisionless method ("Fast random integer generation in an interval",
 * ACM TOMS 29(1), 2019): usually one rng_next(), more only on rejection.
 * Returns 0 when n is 0 or 1, drawing nothing.
 */
uint64_t rng_below(struct rng *r, uint64_t n);

/*
 * Put idx[0..n-1] in a uniformly random order (Fisher-Yates, Knuth's
 * Algorithm P, TAOCP vol. 2, 3.4.2): n - 1 calls of rng_below().
 */
void rng_shuffle(struct rng *r, size_t *idx, size_t n);

/*
 * Choose min(k, n) distinct indices of 0..n-1, every subset of that size
 * equally likely, and write them to out in increasing order; returns how
 * many were written.  Knuth's selection sampling (Algorithm S, TAOCP
 * vol. 2, 3.4.2): one pass over 0..n-1, which ends as soon as the subset is
 * complete, with at most one rng_below() per index visited.  out must hold
 * min(k, n) elements.
 */
size_t rng_sample(struct rng *r, size_t n, size_t k, size_t *out);

#endif
