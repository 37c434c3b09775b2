/*
 * u32map_test: the small uint32 -> count map, against a plain reference
 * array, through all three representations (inline, linear array, hash
 * table) and the growth across their thresholds, with memory from a pool
 * and from malloc.  At each size checked: the count, every key's count, a
 * few absent keys, u32map_entries() and u32map_next() each giving every key
 * exactly once with its count.  Also the extreme keys 0 and UINT32_MAX - 1,
 * repeated keys adding up, a delta of 0 inserting a key, keys whose hashes
 * crowd together, merging one map into another, and release.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "tap.h"
#include "u32map.h"

/*
 * The reference: keys and counts in insertion order, with a fixed
 * 65536-slot index (open addressing on another hash than u32map's) to find
 * them.
 */
#define REF_SLOTS 65536

struct ref {
	uint32_t *key;
	uint32_t *val;
	size_t    n;
	size_t    cap;
	int32_t  *slot; /* index + 1; 0: empty */
};

static size_t
ref_hash(uint32_t key)
{
	uint64_t z = key + UINT64_C(0x9E3779B97F4A7C15);

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return (size_t)(z ^ (z >> 31)) & (REF_SLOTS - 1);
}

/* The index of key in r, or -1. */
static long
ref_find(const struct ref *r, uint32_t key)
{
	size_t h;

	if (r->slot == NULL)
		return -1;
	for (h = ref_hash(key); r->slot[h] != 0; h = (h + 1) & (REF_SLOTS - 1))
		if (r->key[r->slot[h] - 1] == key)
			return r->slot[h] - 1;
	return -1;
}

static void
ref_add(struct ref *r, uint32_t key, uint32_t delta)
{
	long   i = ref_find(r, key);
	size_t h;

	if (i >= 0) {
		r->val[i] += delta;
		return;
	}
	if (r->slot == NULL && (r->slot = calloc(REF_SLOTS, 4)) == NULL)
		abort();
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->key = realloc(r->key, r->cap * sizeof(*r->key));
		r->val = realloc(r->val, r->cap * sizeof(*r->val));
		if (r->key == NULL || r->val == NULL)
			abort();
	}
	for (h = ref_hash(key); r->slot[h] != 0; h = (h + 1) & (REF_SLOTS - 1))
		;
	r->slot[h] = (int32_t)r->n + 1;
	r->key[r->n] = key;
	r->val[r->n++] = delta;
}

static void
ref_free(struct ref *r)
{
	free(r->key);
	free(r->val);
	free(r->slot);
	memset(r, 0, sizeof(*r));
}

/*
 * Compare m with r in every way the API offers; returns the number of
 * disagreements and shows the first.
 */
static int
differs(const struct u32map *m, const struct ref *r)
{
	uint32_t *keys, *vals, pos = 0, k, v, got;
	char     *seen;
	size_t    i, n = r->n;
	long      j;
	int       bad = 0;

#define BAD(...) \
	do { \
		if (bad++ == 0) \
			diag(__VA_ARGS__); \
	} while (0)

	if (u32map_count(m) != n)
		BAD("  count %u, want %zu", u32map_count(m), n);
	for (i = 0; i < n; i++)
		if ((got = u32map_get(m, r->key[i])) != r->val[i])
			BAD("  get(%u) = %u, want %u", r->key[i], got,
			    r->val[i]);
	/* Keys next to present ones, and far ones, that are absent. */
	for (i = 0; i < n; i++) {
		k = r->key[i] + 1;
		if (k != UINT32_MAX && ref_find(r, k) < 0 &&
		    (got = u32map_get(m, k)) != 0)
			BAD("  absent %u: get = %u", k, got);
	}
	if (ref_find(r, 0xABCDEF) < 0 && u32map_get(m, 0xABCDEF) != 0)
		BAD("  absent 0xABCDEF found");

	keys = calloc(n + 1, sizeof(*keys));
	vals = calloc(n + 1, sizeof(*vals));
	seen = calloc(n + 1, 1);
	if (keys == NULL || vals == NULL || seen == NULL)
		abort();
	u32map_entries(m, keys, vals);
	for (i = 0; i < n; i++) {
		j = ref_find(r, keys[i]);
		if (j < 0 || seen[j] || vals[i] != r->val[j])
			BAD("  entries: key %u count %u (seen before: %d)",
			    keys[i], vals[i], j >= 0 && seen[j]);
		else
			seen[j] = 1;
	}
	memset(seen, 0, n + 1);
	for (i = 0; u32map_next(m, &pos, &k, &v); i++) {
		j = ref_find(r, k);
		if (i >= n || j < 0 || seen[j] || v != r->val[j]) {
			BAD("  next: key %u count %u at step %zu", k, v, i);
			break;
		}
		seen[j] = 1;
	}
	if (i != n)
		BAD("  next gave %zu entries, want %zu", i, n);
	if (u32map_next(m, &pos, &k, &v))
		BAD("  next gives more after returning false");
	free(keys);
	free(vals);
	free(seen);
	return bad;
#undef BAD
}

/* The sizes at which the growth tests look: around each threshold. */
static int
checked_size(size_t n)
{
	static const size_t at[] = { 1, 2, 3, 4, 8, 15, 16, 17, 18, 31, 32, 33,
		63, 64, 65, 100, 127, 128, 129, 1000, 4096, 4097, 20000 };
	size_t              i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (at[i] == n)
			return 1;
	return 0;
}

/*
 * Insert the keys key(0), key(1), ... one by one up to 20000, each with
 * delta 1 and then again with delta i (so every key is seen twice),
 * checking at the sizes around the thresholds.  Returns the
 * disagreements.
 */
static int
grow(struct pool *pool, uint32_t (*key)(uint32_t))
{
	struct u32map m = { 0 };
	struct ref    r = { 0 };
	uint32_t      i;
	int           bad = 0;

	for (i = 0; i < 20000; i++) {
		u32map_add(&m, pool, key(i), 1);
		ref_add(&r, key(i), 1);
		u32map_add(&m, pool, key(i), i);
		ref_add(&r, key(i), i);
		if (checked_size(i + 1) && differs(&m, &r) != 0) {
			diag("  at %u keys", i + 1);
			bad++;
		}
	}
	u32map_release(&m, pool);
	if (u32map_count(&m) != 0 || u32map_get(&m, key(0)) != 0)
		bad++;
	ref_free(&r);
	return bad;
}

static uint32_t
sequential(uint32_t i)
{
	return i;
}

/* Multiples of 2^16: all share their low 16 bits. */
static uint32_t
strided(uint32_t i)
{
	return i * 65536u;
}

/* Descending from the largest allowed key. */
static uint32_t
from_top(uint32_t i)
{
	return UINT32_MAX - 1 - i;
}

static uint32_t
scattered(uint32_t i)
{
	uint32_t x = i * 2654435761u;

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x == UINT32_MAX ? 7 : x;
}

static void
test_empty(void)
{
	struct u32map m = { 0 };
	uint32_t      pos = 0, k = 1, v = 1, keys[1] = { 42 };

	ok(u32map_count(&m) == 0 && u32map_get(&m, 0) == 0 &&
	        u32map_get(&m, 5) == 0,
	    "a zeroed map is empty");
	ok(!u32map_next(&m, &pos, &k, &v) && k == 1 && v == 1,
	    "next on an empty map gives nothing");
	u32map_entries(&m, keys, NULL);
	ok(keys[0] == 42, "entries of an empty map writes nothing");
	u32map_release(&m, NULL);
	ok(u32map_count(&m) == 0, "release of a zeroed map");
}

static void
test_small(struct pool *pool, const char *how)
{
	struct u32map m = { 0 };
	struct ref    r = { 0 };

	u32map_add(&m, pool, 0, 3);
	ref_add(&r, 0, 3);
	u32map_add(&m, pool, UINT32_MAX - 1, 5);
	ref_add(&r, UINT32_MAX - 1, 5);
	u32map_add(&m, pool, 0, 4);
	ref_add(&r, 0, 4);
	ok(u32map_count(&m) == 2 && u32map_get(&m, 0) == 7 &&
	        u32map_get(&m, UINT32_MAX - 1) == 5 && u32map_get(&m, 1) == 0,
	    "%s: keys 0 and UINT32_MAX - 1, 0 added twice (3 + 4)", how);
	u32map_add(&m, pool, 9, 0);
	ref_add(&r, 9, 0);
	ok(u32map_count(&m) == 3 && u32map_get(&m, 9) == 0,
	    "%s: a delta of 0 inserts the key with count 0", how);
	is_int(
	    differs(&m, &r), 0, "%s: three keys agree with the reference", how);
	u32map_release(&m, pool);
	ok(u32map_count(&m) == 0 && u32map_get(&m, 0) == 0,
	    "%s: released map is empty", how);
	u32map_add(&m, pool, 11, 2);
	ok(u32map_count(&m) == 1 && u32map_get(&m, 11) == 2,
	    "%s: and usable again", how);
	u32map_release(&m, pool);
	ref_free(&r);
}

/* The extreme keys survive every change of representation. */
static void
test_extremes(struct pool *pool, const char *how)
{
	struct u32map m = { 0 };
	struct ref    r = { 0 };
	uint32_t      i;
	int           bad = 0;

	u32map_add(&m, pool, 0, 1);
	ref_add(&r, 0, 1);
	u32map_add(&m, pool, UINT32_MAX - 1, 2);
	ref_add(&r, UINT32_MAX - 1, 2);
	for (i = 1; i <= 300; i++) {
		u32map_add(&m, pool, i * 7919u, i);
		ref_add(&r, i * 7919u, i);
		u32map_add(&m, pool, 0, 1);
		ref_add(&r, 0, 1);
		u32map_add(&m, pool, UINT32_MAX - 1, 1);
		ref_add(&r, UINT32_MAX - 1, 1);
		if (checked_size(i + 2))
			bad += differs(&m, &r);
	}
	is_int(bad, 0, "%s: keys 0 and UINT32_MAX - 1 counted through 302 keys",
	    how);
	is_int(u32map_get(&m, 0), 301, "%s: key 0 counted 301 times", how);
	u32map_release(&m, pool);
	ref_free(&r);
}

/* Merge b into a by iterating b, as callers combine partial states. */
static void
test_merge(struct pool *pool, const char *how)
{
	struct u32map a = { 0 }, b = { 0 };
	struct ref    r = { 0 };
	uint32_t      i, pos = 0, k, v;
	int           bad = 0;

	/* a: 0..9 (linear), b: 5..104 (hashed); merged: 0..104. */
	for (i = 0; i < 10; i++) {
		u32map_add(&a, pool, i, i + 1);
		ref_add(&r, i, i + 1);
	}
	for (i = 5; i < 105; i++)
		u32map_add(&b, pool, i, 1000);
	while (u32map_next(&b, &pos, &k, &v)) {
		u32map_add(&a, pool, k, v);
		ref_add(&r, k, v);
	}
	bad = differs(&a, &r);
	is_int(bad, 0, "%s: a linear map merged with a hashed one", how);
	ok(u32map_count(&a) == 105 && u32map_get(&a, 7) == 1008 &&
	        u32map_get(&a, 4) == 5 && u32map_get(&a, 104) == 1000,
	    "%s: shared keys summed (7: 8 + 1000), others kept", how);
	is_int(
	    u32map_count(&b), 100, "%s: the merged-in map is unchanged", how);
	u32map_release(&a, pool);
	u32map_release(&b, pool);
	ref_free(&r);
}

/* Random adds over a small and a large key range, against the reference. */
static void
test_random(struct pool *pool, const char *how)
{
	uint64_t      s = 20261101;
	struct u32map m[50];
	struct ref    r[50];
	int           i, step, bad = 0;

	memset(m, 0, sizeof(m));
	memset(r, 0, sizeof(r));
	for (step = 0; step < 20000; step++) {
		uint32_t key, delta;

		s = s * 6364136223846793005u + 1442695040888963407u;
		i = (int)((s >> 33) % 50);
		/* Map i draws from 2 + 4 * i distinct keys. */
		key = (uint32_t)((s >> 20) % (uint64_t)(2 + 4 * i)) *
		    (i % 2 ? 1u : 100003u);
		delta = (uint32_t)(s >> 60);
		u32map_add(&m[i], pool, key, delta);
		ref_add(&r[i], key, delta);
	}
	for (i = 0; i < 50; i++) {
		bad += differs(&m[i], &r[i]);
		u32map_release(&m[i], pool);
		ref_free(&r[i]);
	}
	is_int(bad, 0, "%s: 50 maps of 2 to 198 keys after 20000 random adds",
	    how);
}

int
main(void)
{
	struct pool pool = { 0 };

	plan(4 + 2 * (5 + 2 + 3 + 1) + 8);
	test_empty();
	test_small(NULL, "malloc");
	test_small(&pool, "pool");
	test_extremes(NULL, "malloc");
	test_extremes(&pool, "pool");
	test_merge(NULL, "malloc");
	test_merge(&pool, "pool");
	test_random(NULL, "malloc");
	test_random(&pool, "pool");
	is_int(grow(NULL, sequential), 0,
	    "malloc: sequential keys, 1 to 20000, checked at each threshold");
	is_int(grow(&pool, sequential), 0, "pool: sequential keys");
	is_int(grow(NULL, strided), 0,
	    "malloc: keys in steps of 2^16 (crowded hashes)");
	is_int(grow(&pool, strided), 0, "pool: keys in steps of 2^16");
	is_int(
	    grow(NULL, from_top), 0, "malloc: keys down from UINT32_MAX - 1");
	is_int(grow(&pool, from_top), 0, "pool: keys down from the top");
	is_int(grow(NULL, scattered), 0, "malloc: scattered keys");
	is_int(grow(&pool, scattered), 0, "pool: scattered keys");
	pool_release(&pool);
	return done_testing();
}
