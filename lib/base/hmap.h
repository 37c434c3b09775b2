/*
 * hmap: a hash map from byte strings to dense indices 0, 1, 2, ... in
 * insertion order.  The map owns copies of its keys.  Callers keep their
 * per-key data in arrays indexed by the returned index, which keeps the
 * data compact and makes iteration order deterministic (insertion order),
 * never the order of the hash table.
 */
#ifndef CI_HMAP_H
#define CI_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap {
	uint64_t *slots; /* hash fragment << 32 | key offset + 1; 0: empty */
	char     *keys;  /* each key: length and index (uint32), bytes, NUL */
	size_t    keys_len;
	size_t    keys_cap;
	size_t   *koff; /* offset of each key's length in keys, by index */
	size_t    n;
	size_t    cap;  /* entries koff holds */
	size_t    mask; /* slots - 1; slots is a power of two */
};

/* The hash of a byte string (used by hmap; stable across runs). */
uint64_t hmap_hash(const void *s, size_t len);

/* An empty map.  A zeroed struct hmap is also an empty map. */
void hmap_init(struct hmap *m);

/*
 * The index of key (s, len), adding it when it is new; *is_new (may be
 * NULL) says which.  At most UINT32_MAX - 1 keys.
 */
size_t hmap_intern(struct hmap *m, const char *s, size_t len, bool *is_new);

/* hmap_intern() of a key whose hmap_hash() is h. */
size_t hmap_intern_hashed(
    struct hmap *m, const char *s, size_t len, uint64_t h, bool *is_new);

/*
 * Start loading the slot of a key whose hmap_hash() is h, for a lookup a
 * little later: the cache miss overlaps other work.
 */
static inline void
hmap_prefetch(const struct hmap *m, uint64_t h)
{
	if (m->slots != NULL)
		__builtin_prefetch(&m->slots[h & m->mask]);
}

/* The index of key (s, len), or -1 when it is not in the map. */
long hmap_find(const struct hmap *m, const char *s, size_t len);

/* Key number i (NUL-terminated; *len may be NULL).  Valid until the next
 * hmap_intern() or hmap_release(). */
const char *hmap_key(const struct hmap *m, size_t i, size_t *len);

static inline size_t
hmap_count(const struct hmap *m)
{
	return m->n;
}

/*
 * Empty m, keeping its memory for the keys to come: a map filled again
 * with about as many keys (the customers of one partition after another's)
 * neither grows nor rehashes.  Safe on a zeroed struct.
 */
void hmap_clear(struct hmap *m);

/* Free everything; m becomes an empty map.  Safe on a zeroed struct. */
void hmap_release(struct hmap *m);

#endif
