/*
 * pool: size classes of 16-byte steps up to 256 bytes, then powers of two
 * up to 64 KiB (classes 16..31 hold 512 B .. 64 KiB in steps of
 * doubling); larger blocks are plain malloc.  Chunks are 4 MiB from
 * xmalloc_huge(): huge pages, which matter when millions of customers'
 * arrays are reached at random, mapped in one call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "xalloc.h"

#define CHUNK (4u << 20)
#define SMALL 256 /* 16-byte classes 0..15 up to here */
#define LARGE 65536

/* The class of a block of size bytes, and the class's block size. */
static unsigned
class_of(size_t size, size_t *csize)
{
	unsigned c;
	size_t   s;

	if (size <= SMALL) {
		c = size == 0 ? 0 : (unsigned)((size - 1) / 16);
		*csize = (size_t)(c + 1) * 16;
		return c;
	}
	for (c = 16, s = 512; s < size; c++, s *= 2)
		;
	*csize = s;
	return c;
}

void *
pool_alloc(struct pool *p, size_t size)
{
	size_t   csize;
	unsigned c;
	void    *b;

	if (size > LARGE)
		return xmalloc(size);
	c = class_of(size, &csize);
	if ((b = p->free[c]) != NULL) {
		memcpy(&p->free[c], b, sizeof(void *));
		return b;
	}
	if (p->left < csize) {
		char *chunk = xmalloc_huge(CHUNK);

		xgrow(&p->chunks, &p->capchunks, p->nchunks + 1,
		    sizeof(*p->chunks));
		p->chunks[p->nchunks++] = chunk;
		p->cur = chunk;
		p->left = CHUNK;
	}
	b = p->cur;
	p->cur += csize;
	p->left -= csize;
	return b;
}

void
pool_free(struct pool *p, void *ptr, size_t size)
{
	size_t   csize;
	unsigned c;

	if (ptr == NULL)
		return;
	if (size > LARGE) {
		free(ptr);
		return;
	}
	c = class_of(size, &csize);
	memcpy(ptr, &p->free[c], sizeof(void *));
	p->free[c] = ptr;
}

void *
pool_grow(struct pool *p, void *ptr, size_t old, size_t size)
{
	size_t cold, cnew;

	if (ptr != NULL && old <= LARGE && size <= LARGE &&
	    class_of(old, &cold) == class_of(size, &cnew))
		return ptr; /* the block already has room */
	if (ptr != NULL && old > LARGE)
		return xrealloc(ptr, size);
	{
		void *b = pool_alloc(p, size);

		if (ptr != NULL)
			memcpy(b, ptr, old);
		pool_free(p, ptr, old);
		return b;
	}
}

void
pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->nchunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	memset(p, 0, sizeof(*p));
}
