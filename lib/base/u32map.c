/*
 * u32map: three representations by size.  While cap is U32MAP_INLINE the
 * entries are in the struct; up to U32MAP_LINEAR they are an array (keys
 * then values in one allocation) searched linearly; beyond, the same
 * allocation is a hash table with linear probing, at most half full, whose
 * slots hold key + 1 so that 0 marks an empty slot.
 */
#include <stdlib.h>
#include <string.h>

#include "u32map.h"
#include "xalloc.h"

/* In hash mode keys are stored plus one, so that 0 marks an empty slot. */
#define HASHED(m) ((m)->cap > U32MAP_LINEAR)

static inline uint32_t *
keys(struct u32map *m)
{
	return m->cap == U32MAP_INLINE ? m->u.in.key : m->u.heap;
}

static inline uint32_t *
vals(struct u32map *m)
{
	return m->cap == U32MAP_INLINE ? m->u.in.val : m->u.heap + m->cap;
}

static inline uint32_t
slot_of(uint32_t key, uint32_t cap)
{
	/* Fibonacci hashing: the top bits of a multiplicative hash. */
	return (uint32_t)(((uint64_t)(key * 2654435769u) * cap) >> 32);
}

static void
hash_insert(uint32_t *k, uint32_t *v, uint32_t cap, uint32_t key, uint32_t val)
{
	uint32_t i = slot_of(key, cap);

	while (k[i] != 0)
		i = (i + 1) & (cap - 1);
	k[i] = key + 1;
	v[i] = val;
}

/* Move to a new capacity, changing representation as needed. */
static void *
map_alloc(struct pool *pool, size_t n)
{
	void *p = pool != NULL ? pool_alloc(pool, n) : xmalloc(n);

	memset(p, 0, n);
	return p;
}

static void
map_free(struct pool *pool, void *p, size_t n)
{
	if (pool != NULL)
		pool_free(pool, p, n);
	else
		free(p);
}

static void
resize(struct u32map *m, struct pool *pool, uint32_t cap)
{
	uint32_t  n = m->n, i, *ok = keys(m), *ov = vals(m);
	uint32_t  tk[U32MAP_LINEAR], tv[U32MAP_LINEAR], *heap;
	int       was_hashed = HASHED(m);
	uint32_t *old = m->cap == U32MAP_INLINE ? NULL : m->u.heap;
	uint32_t  ocap = m->cap;

	heap = map_alloc(pool, (size_t)cap * 2 * sizeof(*heap));
	if (cap > U32MAP_LINEAR) {
		for (i = 0; i < ocap; i++) {
			if (was_hashed && ok[i] == 0)
				continue;
			if (!was_hashed && i >= n)
				break;
			hash_insert(heap, heap + cap, cap,
			    was_hashed ? ok[i] - 1 : ok[i], ov[i]);
		}
	} else {
		memcpy(tk, ok, n * sizeof(*tk));
		memcpy(tv, ov, n * sizeof(*tv));
		memcpy(heap, tk, n * sizeof(*tk));
		memcpy(heap + cap, tv, n * sizeof(*tv));
	}
	if (old != NULL)
		map_free(pool, old, (size_t)ocap * 2 * sizeof(*old));
	m->u.heap = heap;
	m->cap = cap;
}

void
u32map_add(struct u32map *m, struct pool *pool, uint32_t key, uint32_t delta)
{
	uint32_t *k, *v, i;

	if (m->cap == 0)
		m->cap = U32MAP_INLINE;
	if (!HASHED(m)) {
		k = keys(m);
		for (i = 0; i < m->n; i++) {
			if (k[i] == key) {
				vals(m)[i] += delta;
				return;
			}
		}
		if (m->n == m->cap)
			resize(m, pool,
			    m->cap < U32MAP_LINEAR ? m->cap * 2
			                           : 4 * U32MAP_LINEAR);
		if (!HASHED(m)) {
			keys(m)[m->n] = key;
			vals(m)[m->n] = delta;
			m->n++;
			return;
		}
	}
	k = keys(m);
	v = vals(m);
	for (i = slot_of(key, m->cap); k[i] != 0; i = (i + 1) & (m->cap - 1)) {
		if (k[i] == key + 1) {
			v[i] += delta;
			return;
		}
	}
	if (2 * (m->n + 1) > m->cap) {
		resize(m, pool, m->cap * 2);
		hash_insert(keys(m), vals(m), m->cap, key, delta);
	} else {
		k[i] = key + 1;
		v[i] = delta;
	}
	m->n++;
}

uint32_t
u32map_get(const struct u32map *m, uint32_t key)
{
	struct u32map *mm = (struct u32map *)m; /* keys() does not write */
	uint32_t      *k, i;

	if (m->cap == 0)
		return 0;
	k = keys(mm);
	if (!HASHED(m)) {
		for (i = 0; i < m->n; i++)
			if (k[i] == key)
				return vals(mm)[i];
		return 0;
	}
	for (i = slot_of(key, m->cap); k[i] != 0; i = (i + 1) & (m->cap - 1))
		if (k[i] == key + 1)
			return vals(mm)[i];
	return 0;
}

void
u32map_entries(const struct u32map *m, uint32_t *ok, uint32_t *ov)
{
	struct u32map *mm = (struct u32map *)m;
	uint32_t      *k, *v, i, j = 0;

	if (m->cap == 0)
		return;
	k = keys(mm);
	v = vals(mm);
	for (i = 0; i < (HASHED(m) ? m->cap : m->n); i++) {
		if (HASHED(m) && k[i] == 0)
			continue;
		if (ok != NULL)
			ok[j] = HASHED(m) ? k[i] - 1 : k[i];
		if (ov != NULL)
			ov[j] = v[i];
		j++;
	}
}

bool
u32map_next(const struct u32map *m, uint32_t *pos, uint32_t *key, uint32_t *val)
{
	struct u32map *mm = (struct u32map *)m;
	uint32_t      *k, *v;

	if (m->cap == 0)
		return false;
	k = keys(mm);
	v = vals(mm);
	if (!HASHED(m)) {
		if (*pos >= m->n)
			return false;
		*key = k[*pos];
		*val = v[*pos];
		(*pos)++;
		return true;
	}
	for (; *pos < m->cap; (*pos)++) {
		if (k[*pos] != 0) {
			*key = k[*pos] - 1;
			*val = v[*pos];
			(*pos)++;
			return true;
		}
	}
	return false;
}

void
u32map_release(struct u32map *m, struct pool *pool)
{
	if (m->cap != 0 && m->cap != U32MAP_INLINE)
		map_free(
		    pool, m->u.heap, (size_t)m->cap * 2 * sizeof(uint32_t));
	memset(m, 0, sizeof(*m));
}
