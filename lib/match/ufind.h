/*
 * ufind: union-find (disjoint sets) over the numbers 0..n-1, with union by
 * size and path halving (Tarjan 1975): near-constant time per operation.
 */
#ifndef CI_UFIND_H
#define CI_UFIND_H

#include <stddef.h>
#include <stdint.h>

struct ufind {
	uint32_t *parent;
	uint32_t *size;
	size_t    n;
};

/* n singletons. */
void ufind_init(struct ufind *u, size_t n);

/* The representative of x's set. */
uint32_t ufind_find(struct ufind *u, uint32_t x);

/* Join the sets of a and b; returns the new representative. */
uint32_t ufind_union(struct ufind *u, uint32_t a, uint32_t b);

/* Release; safe on a zeroed struct. */
void ufind_release(struct ufind *u);

#endif
