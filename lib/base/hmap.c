/*
 * hmap: open addressing with linear probing over a power-of-two slot array
 * at most three quarters full.  A slot holds 32 bits of its key's hash and
 * where the key is stored; the stored key starts with its length and
 * index.  So a probe reads one slot and, only when the fragment matches,
 * the key record: two dependent cache misses per lookup in a large map
 * (which is why ci-features partitions its customers first).  The keys
 * live in one arena of at most 4 GiB.  Growing rehashes from the stored
 * keys.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "hmap.h"
#include "xalloc.h"

/* XXH3 of libxxhash: a few cycles for the short keys of customer ids and
 * product codes, and the same on every run and machine. */
uint64_t
hmap_hash(const void *s, size_t len)
{
	return XXH3_64bits(s, len);
}

void
hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

/* Bytes before a stored key's text: its length and its index. */
#define KEY_HEAD (2 * sizeof(uint32_t))

/* The slot content of the key stored at offset off, with hash h. */
static inline uint64_t
slot_value(uint64_t h, size_t off)
{
	return (h >> 32) << 32 | (uint64_t)(off + 1);
}

/* The stored key at offset off: its text, length and index. */
static inline const char *
key_record(const struct hmap *m, size_t off, uint32_t *len, uint32_t *idx)
{
	const char *k = m->keys + off;

	memcpy(len, k, sizeof(*len));
	memcpy(idx, k + sizeof(*len), sizeof(*idx));
	return k + KEY_HEAD;
}

static inline const char *
key_at(const struct hmap *m, size_t i, uint32_t *len)
{
	uint32_t idx;

	return key_record(m, m->koff[i], len, &idx);
}

static void
rehash(struct hmap *m, size_t nslots)
{
	size_t   i, j;
	uint32_t len;

	free(m->slots);
	m->slots = xcalloc(nslots, sizeof(*m->slots));
	m->mask = nslots - 1;
	for (i = 0; i < m->n; i++) {
		const char *k = key_at(m, i, &len);
		uint64_t    h = hmap_hash(k, len);

		for (j = h & m->mask; m->slots[j] != 0; j = (j + 1) & m->mask)
			;
		m->slots[j] = slot_value(h, m->koff[i]);
	}
}

/*
 * Whether the len bytes at a and b are the same, inline: most keys are
 * short, and two overlapping loads from each end cover 4 to 16 bytes
 * without a call to memcmp().
 */
static inline bool
same_bytes(const char *a, const char *b, size_t len)
{
	uint64_t x0, x1, y0, y1;
	uint32_t u0, u1, v0, v1;

	if (len > 16)
		return memcmp(a, b, len) == 0;
	if (len >= 8) {
		memcpy(&x0, a, 8);
		memcpy(&y0, b, 8);
		memcpy(&x1, a + len - 8, 8);
		memcpy(&y1, b + len - 8, 8);
		return ((x0 ^ y0) | (x1 ^ y1)) == 0;
	}
	if (len >= 4) {
		memcpy(&u0, a, 4);
		memcpy(&v0, b, 4);
		memcpy(&u1, a + len - 4, 4);
		memcpy(&v1, b + len - 4, 4);
		return ((u0 ^ v0) | (u1 ^ v1)) == 0;
	}
	for (; len > 0; len--)
		if (*a++ != *b++)
			return false;
	return true;
}

static long
lookup(
    const struct hmap *m, const char *s, size_t len, uint64_t h, size_t *slot)
{
	uint64_t frag = h >> 32 << 32, v;
	size_t   j;
	uint32_t klen, idx;

	if (m->slots == NULL)
		return -1;
	for (j = h & m->mask; (v = m->slots[j]) != 0; j = (j + 1) & m->mask) {
		if ((v & 0xffffffff00000000ULL) == frag) {
			const char *k = key_record(
			    m, (size_t)(v & 0xffffffff) - 1, &klen, &idx);

			if (klen == len && same_bytes(k, s, len))
				return (long)idx;
		}
	}
	*slot = j;
	return -1;
}

long
hmap_find(const struct hmap *m, const char *s, size_t len)
{
	size_t slot;

	return lookup(m, s, len, hmap_hash(s, len), &slot);
}

size_t
hmap_intern(struct hmap *m, const char *s, size_t len, bool *is_new)
{
	return hmap_intern_hashed(m, s, len, hmap_hash(s, len), is_new);
}

size_t
hmap_intern_hashed(
    struct hmap *m, const char *s, size_t len, uint64_t h, bool *is_new)
{
	size_t   slot = 0, i;
	long     found;
	uint32_t len32 = (uint32_t)len, idx32;

	found = lookup(m, s, len, h, &slot);
	if (is_new != NULL)
		*is_new = found < 0;
	if (found >= 0)
		return (size_t)found;
	if (m->n >= UINT32_MAX - 1 || len > UINT32_MAX ||
	    m->keys_len + KEY_HEAD + len + 1 >= UINT32_MAX)
		xalloc_fail(SIZE_MAX);
	if (m->slots == NULL || 4 * (m->n + 1) > 3 * (m->mask + 1)) {
		rehash(m, m->slots == NULL ? 16 : 2 * (m->mask + 1));
		lookup(m, s, len, h, &slot);
	}
	i = m->n;
	idx32 = (uint32_t)i;
	xgrow(&m->koff, &m->cap, i + 1, sizeof(*m->koff));
	xgrow(&m->keys, &m->keys_cap, m->keys_len + KEY_HEAD + len + 1, 1);
	m->koff[i] = m->keys_len;
	memcpy(m->keys + m->keys_len, &len32, sizeof(len32));
	memcpy(m->keys + m->keys_len + sizeof(len32), &idx32, sizeof(idx32));
	memcpy(m->keys + m->keys_len + KEY_HEAD, s, len);
	m->keys[m->keys_len + KEY_HEAD + len] = '\0';
	m->keys_len += KEY_HEAD + len + 1;
	m->slots[slot] = slot_value(h, m->koff[i]);
	m->n++;
	return i;
}

const char *
hmap_key(const struct hmap *m, size_t i, size_t *len)
{
	uint32_t    klen;
	const char *k = key_at(m, i, &klen);

	if (len != NULL)
		*len = klen;
	return k;
}

void
hmap_clear(struct hmap *m)
{
	if (m->slots != NULL)
		memset(m->slots, 0, (m->mask + 1) * sizeof(*m->slots));
	m->keys_len = 0;
	m->n = 0;
}

void
hmap_release(struct hmap *m)
{
	free(m->slots);
	free(m->keys);
	free(m->koff);
	hmap_init(m);
}
