/*
 * keysort_test: records sorted by their leading key and, within a run of
 * equal keys, by the comparison, checked against qsort() on the same
 * records; small arrays, keys that share bytes, and no comparison.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keysort.h"
#include "rng.h"
#include "tap.h"

struct item {
	uint64_t key;
	uint32_t tie;
	uint32_t seq; /* input position: stability without a comparison */
};

static int
by_tie(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return (x->tie > y->tie) - (x->tie < y->tie);
}

static int
by_all(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return by_tie(a, b);
}

static int
by_key_seq(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* n items whose keys vary in the bits of mask only. */
static struct item *
make(struct rng *r, size_t n, uint64_t mask)
{
	struct item *v = malloc(n * sizeof(*v));
	size_t       i;

	for (i = 0; i < n; i++) {
		v[i].key =
		    (0x4330303030303030ull & ~mask) | (rng_next(r) & mask);
		v[i].tie = (uint32_t)(rng_next(r) % 1000);
		v[i].seq = (uint32_t)i;
	}
	return v;
}

/* Sort a copy both ways; 1 when they agree. */
static int
agrees(const struct item *v, size_t n, int with_cmp)
{
	struct item *a = malloc(n * sizeof(*a) + 1);
	struct item *b = malloc(n * sizeof(*b) + 1);
	int          same;

	memcpy(a, v, n * sizeof(*a));
	memcpy(b, v, n * sizeof(*b));
	keysort(a, n, sizeof(*a), with_cmp ? by_tie : NULL);
	qsort(b, n, sizeof(*b), with_cmp ? by_all : by_key_seq);
	if (with_cmp) {
		size_t i;

		/* Equal (key, tie) pairs may come in either order. */
		for (i = 0; i < n; i++)
			a[i].seq = b[i].seq = 0;
	}
	same = memcmp(a, b, n * sizeof(*a)) == 0;
	free(a);
	free(b);
	return same;
}

int
main(void)
{
	struct rng   r;
	struct item *v;

	plan(7);
	rng_init(&r, 19);
	v = make(&r, 100, ~0ull);
	ok(agrees(v, 100, 1),
	    "100 records (by insertion) in key, then tie order");
	free(v);
	v = make(&r, 200, 0x0300000000000003ull);
	ok(agrees(v, 200, 0), "200 records of few keys keep their input order");
	free(v);
	v = make(&r, 200000, 0x000000ffffffffffull);
	ok(agrees(v, 200000, 1),
	    "200,000 records whose keys share their first three bytes");
	free(v);
	v = make(&r, 50000, 0x0f0f000000000f0full);
	ok(agrees(v, 50000, 1), "50,000 records, many equal keys, ties sorted");
	ok(agrees(v, 50000, 0),
	    "without a comparison equal keys keep their input order");
	free(v);
	v = make(&r, 1000, 0);
	ok(agrees(v, 1000, 1), "1,000 records of one key: sorted by the tie");
	free(v);
	keysort(NULL, 0, sizeof(struct item), by_tie);
	ok(1, "no records");
	return done_testing();
}
