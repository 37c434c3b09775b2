/*
 * ufind: union by size, path halving.  Ties join the larger number under
 * the smaller, so the result does not depend on argument order.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ufind.h"
#include "xalloc.h"

void
ufind_init(struct ufind *u, size_t n)
{
	size_t i;

	u->n = n;
	u->parent = xcalloc(n ? n : 1, sizeof(*u->parent));
	u->size = xcalloc(n ? n : 1, sizeof(*u->size));
	for (i = 0; i < n; i++) {
		u->parent[i] = (uint32_t)i;
		u->size[i] = 1;
	}
}

uint32_t
ufind_find(struct ufind *u, uint32_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

uint32_t
ufind_union(struct ufind *u, uint32_t a, uint32_t b)
{
	uint32_t t;
	bool     swap;

	a = ufind_find(u, a);
	b = ufind_find(u, b);
	if (a == b)
		return a;
	swap = u->size[a] < u->size[b];
	if (!swap && u->size[a] == u->size[b])
		swap = b < a; /* ties: the smaller number is the root */
	if (swap) {
		t = a;
		a = b;
		b = t;
	}
	u->parent[b] = a;
	u->size[a] += u->size[b];
	return a;
}

void
ufind_release(struct ufind *u)
{
	free(u->parent);
	free(u->size);
	memset(u, 0, sizeof(*u));
}
