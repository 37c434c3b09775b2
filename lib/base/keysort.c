/*
 * keysort: histograms of all eight key bytes in one pass, then a
 * scattering pass per byte that not all keys share, between a and a
 * scratch array of the same size; small arrays are sorted by insertion.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keysort.h"
#include "xalloc.h"

/* Below this many records insertion is as fast and needs no scratch. */
#define SMALL 256

static inline uint64_t
key_of(const char *rec)
{
	uint64_t k;

	memcpy(&k, rec, sizeof(k));
	return k;
}

/* Whether record x goes after record y. */
static inline int
after(const char *x, const char *y, int (*cmp)(const void *, const void *))
{
	uint64_t kx = key_of(x), ky = key_of(y);

	if (kx != ky)
		return kx > ky;
	return cmp != NULL && cmp(x, y) > 0;
}

/* Insertion sort of the n records at a, stable, for small arrays. */
static void
sort_small(
    char *a, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char   tmp[256];
	char  *t = size <= sizeof(tmp) ? tmp : xmalloc(size);
	size_t i, j;

	for (i = 1; i < n; i++) {
		if (!after(a + (i - 1) * size, a + i * size, cmp))
			continue;
		memcpy(t, a + i * size, size);
		for (j = i; j > 0 && after(a + (j - 1) * size, t, cmp); j--)
			;
		memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
		memcpy(a + j * size, t, size);
	}
	if (t != tmp)
		free(t);
}

/* Sort each run of equal keys of the n records at a by cmp. */
static void
sort_runs(
    char *a, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	size_t i = 0, j;

	while (i < n) {
		uint64_t k = key_of(a + i * size);

		for (j = i + 1; j < n && key_of(a + j * size) == k; j++)
			;
		if (j - i > 1)
			qsort(a + i * size, j - i, size, cmp);
		i = j;
	}
}

void
keysort(void *a, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	size_t   count[8][256] = { { 0 } };
	char    *from = a, *to, *scratch, *t;
	size_t   i, b, sum, c;
	uint64_t k;

	if (n < SMALL) {
		sort_small(a, n, size, cmp);
		return;
	}
	for (i = 0; i < n; i++) {
		k = key_of(from + i * size);
		for (b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	scratch = to = xmalloc_huge(n * size);
	for (b = 0; b < 8; b++) {
		k = key_of(from) >> (8 * b) & 0xff;
		if (count[b][k] == n)
			continue; /* every key has this byte */
		for (c = 0, sum = 0; c < 256; c++) {
			size_t m = count[b][c];

			count[b][c] = sum;
			sum += m;
		}
		for (i = 0; i < n; i++) {
			const char *r = from + i * size;

			c = key_of(r) >> (8 * b) & 0xff;
			memcpy(to + count[b][c]++ * size, r, size);
		}
		t = from;
		from = to;
		to = t;
	}
	if (from != a)
		memcpy(a, from, n * size);
	free(scratch);
	if (cmp != NULL)
		sort_runs(a, n, size, cmp);
}
