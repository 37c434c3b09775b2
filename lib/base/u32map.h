/*
 * u32map: a small map from uint32 keys to uint32 counts, sized for the
 * many tiny per-customer sets of ci-features (distinct purchase days,
 * products, categories, channels): two entries live inside the struct, up
 * to U32MAP_LINEAR in a plain array searched linearly, and beyond that an
 * open-addressing hash table.  Most customers have a few entries and never
 * allocate.  Iteration order is unspecified: callers sort what they print.
 */
#ifndef CI_U32MAP_H
#define CI_U32MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pool.h"

#define U32MAP_INLINE 2
#define U32MAP_LINEAR 16

struct u32map {
	uint32_t n;   /* entries */
	uint32_t cap; /* slots; U32MAP_INLINE while inline */
	union {
		struct {
			uint32_t key[U32MAP_INLINE];
			uint32_t val[U32MAP_INLINE];
		} in;
		uint32_t *heap; /* cap keys, then cap values */
	} u;
};

/* A zeroed struct u32map is an empty map. */

/*
 * Add delta to the count of key (any value but UINT32_MAX), inserting it
 * with count delta if new.  Memory comes from pool (NULL: malloc); every
 * call on one map must name the same pool.
 */
void
u32map_add(struct u32map *m, struct pool *pool, uint32_t key, uint32_t delta);

/* The count of key, or 0 when absent. */
uint32_t u32map_get(const struct u32map *m, uint32_t key);

static inline uint32_t
u32map_count(const struct u32map *m)
{
	return m->n;
}

/*
 * Copy the entries into keys[] and vals[] (either may be NULL), each of
 * u32map_count() elements, in unspecified order.
 */
void u32map_entries(const struct u32map *m, uint32_t *keys, uint32_t *vals);

/*
 * Iterate: start with *pos = 0; each call gives the next entry and returns
 * true, or returns false when all were given.  The map must not change
 * meanwhile.
 */
bool u32map_next(
    const struct u32map *m, uint32_t *pos, uint32_t *key, uint32_t *val);

/* Free the memory; m becomes empty.  Safe on a zeroed map. */
void u32map_release(struct u32map *m, struct pool *pool);

#endif
