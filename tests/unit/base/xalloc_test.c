/*
 * xalloc_test: allocation that cannot fail.  Zero sizes, zeroed memory,
 * copies, contents kept through xrealloc and xgrow; xgrow's doubling from
 * the old capacity, its no-op when there is room, element sizes, and an
 * array of several MiB; and, in forked children, the exit with code 3 and
 * "PROG: out of memory (tried to allocate N bytes)" when a size overflows
 * (no allocation is attempted, so the sanitizers do not step in first).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "tap.h"
#include "xalloc.h"

struct rec24 {
	uint64_t a, b, c;
};

static void
test_basic(void)
{
	char          *p, *q;
	unsigned char *z;
	size_t         i, nz = 0;

	p = xmalloc(0);
	ok(p != NULL, "xmalloc(0) gives a block");
	free(p);
	z = xcalloc(1000, 3);
	for (i = 0; i < 3000; i++)
		nz += z[i] != 0;
	is_int(nz, 0, "xcalloc: 3000 zero bytes");
	free(z);
	z = xcalloc(0, 8);
	ok(z != NULL, "xcalloc with no elements gives a block");
	free(z);

	p = xmalloc(5);
	memcpy(p, "abcde", 5);
	p = xrealloc(p, 100000);
	ok(memcmp(p, "abcde", 5) == 0, "xrealloc keeps the contents");
	p = xreallocarray(p, 3, 2);
	ok(memcmp(p, "abcde", 5) == 0, "xreallocarray shrinks to 6 bytes");
	free(p);

	p = xstrdup("héllo");
	is_str(p, "héllo", "xstrdup copies");
	free(p);
	q = xmemdup("a\0b", 3);
	ok(memcmp(q, "a\0b", 4) == 0, "xmemdup keeps a NUL and adds one");
	free(q);
	q = xmemdup("", 0);
	ok(q[0] == '\0', "xmemdup of nothing is \"\"");
	free(q);
}

static void
test_grow(void)
{
	struct rec24 *r = NULL;
	uint32_t     *u;
	char         *big = NULL, *before;
	size_t        cap = 0, i, bad = 0;

	xgrow(&r, &cap, 1, sizeof(*r));
	ok(r != NULL && cap >= 1, "from nothing: room for the element asked");
	cap = 10;
	r = xreallocarray(r, 10, sizeof(*r));
	for (i = 0; i < 10; i++)
		r[i].a = r[i].b = r[i].c = i;
	before = (char *)r;
	xgrow(&r, &cap, 10, sizeof(*r));
	ok((char *)r == before && cap == 10,
	    "need within the capacity: nothing changes");
	xgrow(&r, &cap, 11, sizeof(*r));
	is_int(cap, 20, "one more than 10 doubles the capacity to 20");
	xgrow(&r, &cap, 50, sizeof(*r));
	is_int(cap, 80, "50 doubles it twice more, to 80");
	for (i = 0; i < 10; i++)
		if (r[i].a != i || r[i].b != i || r[i].c != i)
			bad++;
	is_int(bad, 0, "the first 10 elements are kept");
	for (i = 0; i < cap; i++)
		r[i].c = i; /* the sanitizer checks the whole is writable */
	free(r);

	/* An array of uint32 grown one element at a time to 100000. */
	u = NULL;
	cap = 0;
	for (i = 0; i < 100000; i++) {
		xgrow(&u, &cap, i + 1, sizeof(*u));
		u[i] = (uint32_t)(i * 2654435761u);
	}
	for (i = 0; i < 100000; i++)
		if (u[i] != (uint32_t)(i * 2654435761u))
			bad++;
	ok(bad == 0 && cap >= 100000 && cap < 200000,
	    "100000 elements added one by one, capacity under twice that "
	    "(%zu)",
	    cap);
	free(u);

	/* Several MiB: the huge-page advice must leave the memory usable. */
	cap = 0;
	xgrow(&big, &cap, 9u << 20, 1);
	memset(big, 'x', cap);
	big[cap - 1] = 'y';
	xgrow(&big, &cap, cap + 1, 1);
	ok(big[0] == 'x' && big[(9u << 20) - 2] == 'x' &&
	        big[cap / 2 - 1] == 'y',
	    "9 MiB grown to %zu MiB keeps its bytes", cap >> 20);
	free(big);
}

/* Run f in a child with stderr captured; its exit status and stderr. */
static int
child(void (*f)(void), char *err, size_t size)
{
	char   path[] = "/tmp/xalloc_test.XXXXXX";
	int    fd = mkstemp(path), status = -1;
	pid_t  pid;
	FILE  *fp;
	size_t n = 0;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		dup2(fd, 2);
		f();
		_exit(99);
	}
	waitpid(pid, &status, 0);
	close(fd);
	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(err, 1, size - 1, fp);
		fclose(fp);
	}
	err[n] = '\0';
	remove(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
grow_too_far(void)
{
	char  *p = NULL;
	size_t cap = 0;

	xgrow(&p, &cap, SIZE_MAX / 2 + 2, 1);
}

static void
grow_product_overflows(void)
{
	struct rec24 *p = NULL;
	size_t        cap = 0;

	/* The count doubles to 2^61 fine; times 24 bytes it overflows. */
	xgrow(&p, &cap, ((size_t)1 << 60) + 1, sizeof(*p));
}

static void
array_overflows(void)
{
	(void)xreallocarray(NULL, SIZE_MAX / 4 + 1, 4);
}

static void
memdup_overflows(void)
{
	(void)xmemdup("x", SIZE_MAX);
}

static void
fail_directly(void)
{
	xalloc_fail(12345);
}

static void
test_exhaustion(void)
{
	static const struct {
		void (*f)(void);
		size_t      n;
		const char *what;
	} cases[] = {
		{ grow_too_far, SIZE_MAX, "xgrow past SIZE_MAX / 2 elements" },
		{ grow_product_overflows, SIZE_MAX,
		    "xgrow whose byte size overflows" },
		{ array_overflows, SIZE_MAX, "xreallocarray overflowing" },
		{ memdup_overflows, SIZE_MAX, "xmemdup of SIZE_MAX bytes" },
		{ fail_directly, 12345, "xalloc_fail(12345)" },
	};
	char   err[512], want[512];
	size_t i;
	int    st;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = child(cases[i].f, err, sizeof(err));
		snprintf(want, sizeof(want),
		    "%s: out of memory (tried to allocate %zu bytes)\n",
		    diag_progname(), cases[i].n);
		ok(st == CI_EXIT_IO && strcmp(err, want) == 0,
		    "%s: exit 3 and the message", cases[i].what);
		if (st != CI_EXIT_IO || strcmp(err, want) != 0)
			diag("  status %d, stderr '%s'", st, err);
	}
}

int
main(void)
{
	plan(8 + 7 + 5);
	test_basic();
	test_grow();
	test_exhaustion();
	return done_testing();
}
