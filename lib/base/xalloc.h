/*
 * xalloc: allocation that cannot fail.  On exhaustion the program ends with
 * "PROG: out of memory (tried to allocate N bytes)" and exit code 3, the
 * one place where lib/ exits: there is nothing a caller could do instead.
 * Size arithmetic is checked for overflow before any allocation.
 */
#ifndef CI_XALLOC_H
#define CI_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xrealloc(p, nmemb * size) with the product checked for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* A NUL-terminated copy of the len bytes at s. */
char *xmemdup(const void *s, size_t len);

/*
 * xmalloc(n), backed by huge pages where n is large (from 2 MiB, aligned to
 * one) and mapped at once (one call instead of a page fault for each
 * page): for big buffers that will be filled, on machines where every
 * page fault is dear.  Freed with free().
 */
void *xmalloc_huge(size_t n);

/* End the program as on exhaustion after failing to allocate n bytes. */
void xalloc_fail(size_t n) __attribute__((noreturn));

/*
 * Grow the array *p of *cap elements of size bytes so that it holds at least
 * need elements, doubling as it goes.  Elements beyond the old *cap are
 * uninitialised.  Arrays of several MiB are asked to be backed by huge pages,
 * which saves page faults and TLB misses on large state reached at random.
 */
void xgrow(void *p, size_t *cap, size_t need, size_t size);

#endif
