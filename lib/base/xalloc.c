/*
 * xalloc: malloc and friends that end the program with exit code 3 when
 * memory runs out, as git's wrapper.c does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "diag.h"
#include "xalloc.h"

void
xalloc_fail(size_t n)
{
	fprintf(stderr, "%s: out of memory (tried to allocate %zu bytes)\n",
	    diag_progname(), n);
	exit(CI_EXIT_IO);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		xalloc_fail(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = calloc(nmemb, size);
	if (p == NULL)
		xalloc_fail(nmemb > SIZE_MAX / size ? SIZE_MAX : nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);

	if (q == NULL)
		xalloc_fail(n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xalloc_fail(SIZE_MAX);
	return xrealloc(p, nmemb * size);
}

char *
xmemdup(const void *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		xalloc_fail(SIZE_MAX);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

/* Below this, huge pages are not worth asking for. */
#define HUGE_MIN (4u << 20)
#define HUGE_PAGE (2u << 20)

/* Ask for huge pages over the whole 2 MiB pages inside [p, p + n). */
static void
advise_huge(void *p, size_t n)
{
	uintptr_t a =
	    ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);

	if (end > a)
		madvise((void *)a, end - a, MADV_HUGEPAGE);
}

/*
 * Map the whole pages inside [p, p + n) now, in one call, where a page
 * fault for each would cost several times more (in a virtual machine
 * above all).  Only a hint: older kernels refuse it.
 */
static void
populate(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)4095;

	if (end > a)
		madvise((void *)a, end - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

void *
xmalloc_huge(size_t n)
{
	void *p = NULL;

	/* Aligned to a huge page, so that every whole huge page of it can
	 * be one: a 2 MiB block from malloc() straddles two and gets none. */
	if (n >= HUGE_PAGE) {
		if (posix_memalign(&p, HUGE_PAGE, n) != 0)
			xalloc_fail(n);
	} else {
		p = xmalloc(n);
	}
	advise_huge(p, n);
	populate(p, n);
	return p;
}

void
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	void **pp = p;
	size_t n = *cap;

	if (need <= n)
		return;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			xalloc_fail(SIZE_MAX);
		n *= 2;
	}
	*pp = xreallocarray(*pp, n, size);
	*cap = n;
	if (n * size >= HUGE_MIN)
		advise_huge(*pp, n * size);
}
