/*
 * pool: an allocator for very many small arrays whose sizes the caller
 * knows (per-customer day records and item sets).  Blocks are carved from
 * large chunks in size classes and recycled through a free list per class;
 * there is no header per block, so a block costs its size rounded to its
 * class, and growing an array reuses the blocks others outgrew.  Nothing is
 * returned to the system before pool_release().
 */
#ifndef CI_POOL_H
#define CI_POOL_H

#include <stddef.h>

#define POOL_CLASSES 32

struct pool {
	char **chunks;
	size_t nchunks;
	size_t capchunks;
	char  *cur; /* free space left in the last chunk */
	size_t left;
	void  *free[POOL_CLASSES]; /* recycled blocks by class */
};

/*
 * A block of at least size bytes (any size; large ones come from malloc).
 * A zeroed struct pool is an empty pool.  The memory is not cleared.
 */
void *pool_alloc(struct pool *p, size_t size);

/* Give back a block that was allocated with this size.  NULL is ignored. */
void pool_free(struct pool *p, void *ptr, size_t size);

/*
 * Move a block of old bytes to a new block of size bytes (old <= size),
 * copying its contents, and free the old one.
 */
void *pool_grow(struct pool *p, void *ptr, size_t old, size_t size);

/* Free every chunk; p becomes an empty pool.  Safe on a zeroed pool. */
void pool_release(struct pool *p);

#endif
