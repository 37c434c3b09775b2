/*
 * topk: the k best of a stream of (score, id) pairs, in a heap of k
 * slots: the better of two has the higher score, and of equal scores the
 * lower id, a total order, so the result never depends on the order the
 * pairs came in.
 */
#ifndef CI_TOPK_H
#define CI_TOPK_H

#include <stddef.h>
#include <stdint.h>

struct topk {
	size_t    k, n;
	double   *score;
	uint32_t *id;
};

/* An empty heap for the best k (k >= 1). */
void topk_init(struct topk *t, size_t k);

/* Forget the pairs pushed, keeping the memory. */
void topk_reset(struct topk *t);

/* Offer (score, id). */
void topk_push(struct topk *t, double score, uint32_t id);

/*
 * Sort the kept pairs best first in score[0..n) and id[0..n) and return
 * n.  The heap is spent: reset it before pushing again.
 */
size_t topk_sorted(struct topk *t);

/* Free t.  Safe on a zeroed struct. */
void topk_release(struct topk *t);

#endif
