/*
 * topk: a binary min-heap (the worst kept pair at the root), so a pair
 * better than the root replaces it; sorting pops the worst to the end.
 */
#include <stdlib.h>
#include <string.h>

#include "topk.h"
#include "xalloc.h"

/* Whether (sa, ia) is worse than (sb, ib). */
static inline int
worse(double sa, uint32_t ia, double sb, uint32_t ib)
{
	return sa < sb || (sa == sb && ia > ib);
}

void
topk_init(struct topk *t, size_t k)
{
	t->k = k < 1 ? 1 : k;
	t->n = 0;
	t->score = xcalloc(t->k, sizeof(*t->score));
	t->id = xcalloc(t->k, sizeof(*t->id));
}

void
topk_reset(struct topk *t)
{
	t->n = 0;
}

static void
sift_down(struct topk *t, size_t i, size_t n)
{
	double   s = t->score[i];
	uint32_t id = t->id[i];
	size_t   c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n &&
		    worse(t->score[c + 1], t->id[c + 1], t->score[c], t->id[c]))
			c++;
		if (!worse(t->score[c], t->id[c], s, id))
			break;
		t->score[i] = t->score[c];
		t->id[i] = t->id[c];
		i = c;
	}
	t->score[i] = s;
	t->id[i] = id;
}

void
topk_push(struct topk *t, double score, uint32_t id)
{
	size_t i, p;

	if (t->n == t->k) {
		if (!worse(t->score[0], t->id[0], score, id))
			return;
		t->score[0] = score;
		t->id[0] = id;
		sift_down(t, 0, t->n);
		return;
	}
	i = t->n++;
	while (i > 0) {
		p = (i - 1) / 2;
		if (!worse(score, id, t->score[p], t->id[p]))
			break;
		t->score[i] = t->score[p];
		t->id[i] = t->id[p];
		i = p;
	}
	t->score[i] = score;
	t->id[i] = id;
}

size_t
topk_sorted(struct topk *t)
{
	size_t n = t->n, m;

	for (m = n; m > 1; m--) {
		double   s = t->score[0];
		uint32_t id = t->id[0];

		t->score[0] = t->score[m - 1];
		t->id[0] = t->id[m - 1];
		t->score[m - 1] = s;
		t->id[m - 1] = id;
		sift_down(t, 0, m - 1);
	}
	return n;
}

void
topk_release(struct topk *t)
{
	free(t->score);
	free(t->id);
	memset(t, 0, sizeof(*t));
}
