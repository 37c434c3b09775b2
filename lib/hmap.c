/*
 * hmap: open addressing with linear probing over a power-of-two slot
 * array at most half full; the slots hold dense indices, and the full
 * hash of each key is kept so that growing never rehashes a key and most
 * failed probes are settled without comparing bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xalloc.h"

/* The finaliser of MurmurHash3 (Appleby), a good 64-bit mixer. */
static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
hmap_hash(const void *s, size_t len)
{
	const unsigned char *p = s;
	uint64_t             h = 0x9e3779b97f4a7c15ULL ^ len, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ mix(w)) * 0x9e3779b97f4a7c15ULL;
		p += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ mix(w ^ len)) * 0x9e3779b97f4a7c15ULL;
	return mix(h);
}

void
hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

static void
rehash(struct hmap *m, size_t nslots)
{
	size_t i, j;

	free(m->slots);
	m->slots = xcalloc(nslots, sizeof(*m->slots));
	m->mask = nslots - 1;
	for (i = 0; i < m->n; i++) {
		j = m->hashes[i] & m->mask;
		while (m->slots[j] != 0)
			j = (j + 1) & m->mask;
		m->slots[j] = (uint32_t)(i + 1);
	}
}

static long
lookup(
    const struct hmap *m, const char *s, size_t len, uint64_t h, size_t *slot)
{
	size_t   j;
	uint32_t v;

	if (m->slots == NULL)
		return -1;
	for (j = h & m->mask; (v = m->slots[j]) != 0; j = (j + 1) & m->mask) {
		size_t i = v - 1;

		if (m->hashes[i] == h && m->klen[i] == len &&
		    memcmp(m->keys + m->koff[i], s, len) == 0)
			return (long)i;
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
	uint64_t h = hmap_hash(s, len);
	size_t   slot = 0, i;
	long     found;

	found = lookup(m, s, len, h, &slot);
	if (is_new != NULL)
		*is_new = found < 0;
	if (found >= 0)
		return (size_t)found;
	if (m->n >= UINT32_MAX - 1 || len > UINT32_MAX)
		xalloc_fail(SIZE_MAX);
	if (m->slots == NULL || 2 * (m->n + 1) > m->mask + 1) {
		rehash(m, m->slots == NULL ? 16 : 2 * (m->mask + 1));
		lookup(m, s, len, h, &slot);
	}
	i = m->n;
	if (i == m->cap) {
		size_t cap = m->cap;

		xgrow(&m->hashes, &cap, i + 1, sizeof(*m->hashes));
		cap = m->cap;
		xgrow(&m->koff, &cap, i + 1, sizeof(*m->koff));
		cap = m->cap;
		xgrow(&m->klen, &cap, i + 1, sizeof(*m->klen));
		m->cap = cap;
	}
	xgrow(&m->keys, &m->keys_cap, m->keys_len + len + 1, 1);
	memcpy(m->keys + m->keys_len, s, len);
	m->keys[m->keys_len + len] = '\0';
	m->hashes[i] = h;
	m->koff[i] = m->keys_len;
	m->klen[i] = (uint32_t)len;
	m->keys_len += len + 1;
	m->slots[slot] = (uint32_t)(i + 1);
	m->n++;
	return i;
}

const char *
hmap_key(const struct hmap *m, size_t i, size_t *len)
{
	if (len != NULL)
		*len = m->klen[i];
	return m->keys + m->koff[i];
}

void
hmap_release(struct hmap *m)
{
	free(m->slots);
	free(m->hashes);
	free(m->keys);
	free(m->koff);
	free(m->klen);
	hmap_init(m);
}
