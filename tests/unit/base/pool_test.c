/*
 * pool_test: the allocator of many small arrays, through its contract.
 * Blocks of every size from 0 to past the largest pooled one, each filled
 * wholly with its own pattern and checked afterwards, so that blocks that
 * overlap (a size rounded down to a smaller class) show; alignment for the
 * 8-byte members (int64_t, double, pointers) of the arrays callers keep;
 * a freed block handed out again for the same size (the recycling pool.h
 * promises); pool_grow() keeping the contents
 * through small, pooled and malloc'd sizes; enough blocks to need many
 * chunks; and release.  Under the sanitizers, large blocks must be real
 * malloc blocks and nothing may leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "tap.h"

/* The byte at offset i of block number k. */
static unsigned char
pat(size_t k, size_t i)
{
	return (unsigned char)(k * 131 + i * 7 + (i >> 8));
}

static void
fill(unsigned char *b, size_t k, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = pat(k, i);
}

/* The offset of the first byte of block k that is not its pattern, or
 * size. */
static size_t
check(const unsigned char *b, size_t k, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != pat(k, i))
			break;
	return i;
}

/* Sizes around the edges a size-class scheme could get wrong. */
static const size_t sizes[] = { 0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63,
	64, 65, 100, 127, 128, 129, 200, 255, 256, 257, 300, 511, 512, 513,
	1000, 1023, 1024, 1025, 2048, 4095, 4096, 4097, 10000, 32767, 32768,
	32769, 65535, 65536, 65537, 100000, 1 << 20 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static void
test_sizes(void)
{
	struct pool    p = { 0 };
	unsigned char *b[3 * NSIZES];
	size_t         i, k, bad = 0, misaligned = 0;

	/* Three rounds of every size, interleaved. */
	for (k = 0; k < 3 * NSIZES; k++) {
		b[k] = pool_alloc(&p, sizes[k % NSIZES]);
		if (b[k] == NULL) {
			bad++;
			continue;
		}
		if ((uintptr_t)b[k] % 8 != 0)
			misaligned++;
		fill(b[k], k, sizes[k % NSIZES]);
	}
	for (k = 0; k < 3 * NSIZES; k++)
		if (b[k] != NULL &&
		    (i = check(b[k], k, sizes[k % NSIZES])) !=
		        sizes[k % NSIZES]) {
			if (bad++ == 0)
				diag("  block %zu of %zu bytes: byte %zu "
				     "overwritten",
				    k, sizes[k % NSIZES], i);
		}
	is_int(bad, 0,
	    "blocks of 0 to 1 MiB bytes, three of each, keep all their bytes");
	is_int(misaligned, 0, "every block is aligned to 8 bytes");
	for (k = 0; k < 3 * NSIZES; k++)
		pool_free(&p, b[k], sizes[k % NSIZES]);
	pool_release(&p);
	ok(p.nchunks == 0 && p.chunks == NULL && p.left == 0,
	    "release empties the pool");
}

static void
test_reuse(void)
{
	struct pool    p = { 0 };
	unsigned char *a, *b, *c;
	size_t         k, bad = 0;

	/* A fresh pool for each size: a is its only freed block. */
	for (k = 0; k < NSIZES; k++) {
		pool_release(&p);
		a = pool_alloc(&p, sizes[k]);
		b = pool_alloc(&p, sizes[k]);
		fill(a, 1, sizes[k]);
		fill(b, 2, sizes[k]);
		pool_free(&p, a, sizes[k]);
		c = pool_alloc(&p, sizes[k]);
		/* Large blocks come from malloc, which need not reuse. */
		if ((sizes[k] <= 65536 && c != a) ||
		    check(b, 2, sizes[k]) != sizes[k]) {
			if (bad++ == 0)
				diag("  size %zu: freed %p, got %p", sizes[k],
				    (void *)a, (void *)c);
		}
		pool_free(&p, c, sizes[k]);
		pool_free(&p, b, sizes[k]);
	}
	is_int(bad, 0,
	    "a freed block is handed out again for the same size, its "
	    "neighbour untouched");

	/* Freed blocks of one size are all reused before new memory. */
	{
		unsigned char *blk[100];
		size_t         reused = 0, j;

		for (k = 0; k < 100; k++)
			blk[k] = pool_alloc(&p, 40);
		for (k = 0; k < 100; k += 2)
			pool_free(&p, blk[k], 40);
		for (k = 0; k < 50; k++) {
			c = pool_alloc(&p, 40);
			for (j = 0; j < 100; j += 2)
				if (blk[j] == c) {
					blk[j] = NULL;
					reused++;
				}
		}
		is_int(reused, 50, "50 freed 40-byte blocks are all reused");
	}
	pool_free(&p, NULL, 16);
	pool_free(&p, NULL, 1 << 20);
	ok(1, "freeing NULL is ignored, small or large");
	pool_release(&p);
}

static void
test_grow(void)
{
	struct pool    p = { 0 };
	unsigned char *b = NULL, *other;
	size_t         size = 0, next, bad = 0;

	/* An array grown by half each time, as per-customer days are, from
	 * nothing to 3 MiB, with another block allocated between steps. */
	for (next = 1; next < (3u << 20); next += next / 2 + 1) {
		b = pool_grow(&p, b, size, next);
		if (check(b, 9, size) != size && bad++ == 0)
			diag("  grown from %zu to %zu: contents lost", size,
			    next);
		fill(b, 9, next);
		size = next;
		other = pool_alloc(&p, 24);
		fill(other, 3, 24);
	}
	is_int(bad, 0,
	    "pool_grow keeps the contents from 0 bytes to 3 MiB, through "
	    "the pooled and the malloc'd sizes");
	pool_free(&p, b, size);

	/* Growth by a single byte at a time across a few classes. */
	b = NULL;
	size = 0;
	for (next = 1; next <= 600; next++) {
		b = pool_grow(&p, b, size, next);
		if (check(b, 4, size) != size)
			bad++;
		fill(b, 4, next);
		size = next;
	}
	is_int(bad, 0, "and byte by byte from 1 to 600 bytes");
	pool_free(&p, b, size);
	pool_release(&p);
}

/* 300000 blocks of 16 to 256 bytes: 40 MB, several chunks. */
static void
test_many(void)
{
	struct pool     p = { 0 };
	unsigned char **b = calloc(300000, sizeof(*b));
	size_t          k, bad = 0;

	if (b == NULL)
		abort();
	for (k = 0; k < 300000; k++) {
		b[k] = pool_alloc(&p, 16 + k % 241);
		fill(b[k], k, 16 + k % 241);
	}
	for (k = 0; k < 300000; k++)
		if (check(b[k], k, 16 + k % 241) != 16 + k % 241)
			bad++;
	is_int(bad, 0, "300000 blocks (40 MB, %zu chunks) keep their bytes",
	    p.nchunks);
	/* Freed and allocated again: the pool grows no further. */
	k = p.nchunks;
	for (bad = 0; bad < 300000; bad++)
		pool_free(&p, b[bad], 16 + bad % 241);
	for (bad = 0; bad < 300000; bad++)
		b[bad] = pool_alloc(&p, 16 + bad % 241);
	is_int(p.nchunks, k, "reallocating all of them takes no new chunk");
	pool_release(&p);
	free(b);
}

int
main(void)
{
	struct pool p = { 0 };

	plan(3 + 3 + 2 + 2 + 1);
	test_sizes();
	test_reuse();
	test_grow();
	test_many();
	pool_release(&p);
	ok(p.nchunks == 0, "release of a zeroed pool");
	return done_testing();
}
