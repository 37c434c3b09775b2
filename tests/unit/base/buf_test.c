/*
 * buf_test: the growable byte string.  Appending bytes, characters,
 * strings, formatted text (output that fits the first vsnprintf and output
 * that needs the second, on both sides of the boundary), numbers through
 * numfmt, reset keeping the memory, release on a zeroed struct, the "" of
 * a never-used buffer, and the exit on a size that cannot be allocated.
 * Capacities are xgrow's business: only contents and lengths are checked.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "tap.h"

/* n bytes of a repeating pattern, NUL-terminated, in a static buffer. */
static const char *
pattern(size_t n)
{
	static char s[600];
	size_t      i;

	for (i = 0; i < n && i < sizeof(s) - 1; i++)
		s[i] = (char)('a' + i % 26);
	s[i] = '\0';
	return s;
}

static void
test_never_used(void)
{
	struct buf b = { 0 };

	is_str(buf_str(&b), "", "a never-used buf reads as \"\"");
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "and buf_str() allocated nothing");
	buf_release(&b);
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "release on a zeroed buf leaves it zeroed");
	buf_reset(&b);
	ok(b.data == NULL && b.len == 0, "reset on a zeroed buf is harmless");
	buf_add(&b, "", 0);
	ok(b.data != NULL && b.len == 0 && b.data[0] == '\0',
	    "adding 0 bytes allocates and terminates");
	buf_release(&b);
}

static void
test_add(void)
{
	struct buf b = { 0 };
	char      *before;
	size_t     cap;

	buf_add(&b, "ab\0cd", 5);
	is_int(b.len, 5, "buf_add counts an embedded NUL");
	ok(memcmp(b.data, "ab\0cd", 6) == 0, "bytes and the final NUL");
	buf_addc(&b, 'x');
	buf_addc(&b, '\0');
	buf_addc(&b, 'y');
	is_int(b.len, 8, "addc appends one byte each, NUL too");
	ok(memcmp(b.data, "ab\0cdx\0y", 9) == 0, "addc bytes and terminator");

	buf_reset(&b);
	buf_addstr(&b, "hello");
	buf_addstr(&b, ", ");
	buf_addstr(&b, "");
	buf_addstr(&b, "world");
	is_str(buf_str(&b), "hello, world", "addstr appends");
	is_int(b.len, 12, "addstr length");

	before = b.data;
	cap = b.cap;
	buf_reset(&b);
	ok(b.data == before && b.cap == cap,
	    "reset keeps the memory (same pointer, same capacity)");
	ok(b.len == 0 && b.data[0] == '\0', "reset empties the string");
	buf_addstr(&b, "z");
	ok(b.data == before, "a small add after reset reuses the memory");
	buf_release(&b);
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "release zeroes the struct");

	buf_addstr(&b, pattern(500));
	is_int(b.len, 500, "a 500-byte string grows in one call");
	is_str(b.data, pattern(500), "the 500 bytes are intact");
	buf_release(&b);
}

static void
test_addf(void)
{
	struct buf b = { 0 };
	char       want[600];

	buf_addf(&b, "%d-%s-%c", 42, "x", 'y');
	is_str(buf_str(&b), "42-x-y", "addf formats");
	is_int(b.len, 6, "addf length");

	/*
	 * addf reserves 64 bytes before its first vsnprintf; from a fresh
	 * buffer, xgrow's doubling from 8 makes that 128 bytes.  The sizes
	 * below fall on either side of it, so that both the first attempt and
	 * the retry after growing are taken (which one is not observable;
	 * the result must be the same).
	 */
	buf_release(&b);
	buf_addf(&b, "%s", pattern(127));
	is_str(buf_str(&b), pattern(127), "127 bytes");
	is_int(b.len, 127, "len 127");
	buf_release(&b);
	buf_addf(&b, "%s", pattern(128));
	is_str(buf_str(&b), pattern(128), "128 bytes");
	is_int(b.len, 128, "len 128");

	/* After existing content: "abc" and 124 or 125 bytes. */
	buf_release(&b);
	buf_addstr(&b, "abc");
	buf_addf(&b, "%s", pattern(124));
	snprintf(want, sizeof(want), "abc%s", pattern(124));
	is_str(buf_str(&b), want, "abc + 124 bytes");
	is_int(b.len, 127, "len 127");
	buf_release(&b);
	buf_addstr(&b, "abc");
	buf_addf(&b, "%s|%d", pattern(122), 42);
	snprintf(want, sizeof(want), "abc%s|42", pattern(122));
	is_str(buf_str(&b), want, "abc + 125 bytes, two conversions");
	is_int(b.len, 128, "len 128");

	/* Well past 64 bytes, with several arguments, appended twice. */
	buf_reset(&b);
	buf_addf(&b, "[%s][%05d][%.3f]", pattern(300), -42, 2.5);
	buf_addf(&b, "%s", "tail");
	snprintf(want, sizeof(want), "[%s][-0042][2.500]tail", pattern(300));
	is_str(buf_str(&b), want, "a 318-byte result and an append after it");
	is_int(b.len, strlen(want), "its length");

	/*
	 * A conversion that fails (a wide character the C locale cannot
	 * convert) appends nothing, though vsnprintf has written the part
	 * before it ("xy") over the NUL.
	 */
	buf_reset(&b);
	buf_addstr(&b, "abc");
	buf_addf(&b, "%s%ls", "xy", L"\u00e9");
	is_int(b.len, 3, "a failed conversion appends nothing");
	is_str(buf_str(&b), "abc", "and leaves the NUL at the length");
	buf_release(&b);
}

static void
test_numbers(void)
{
	struct buf b = { 0 };

	buf_adddouble(&b, 0.1 + 0.2);
	buf_addc(&b, ' ');
	buf_adddouble(&b, 1234.5);
	buf_addc(&b, ' ');
	buf_adddouble(&b, -0.0);
	buf_addc(&b, ' ');
	buf_adddouble(&b, 1e21);
	buf_addc(&b, ' ');
	buf_adddouble(&b, 1.5e-7);
	is_str(buf_str(&b), "0.30000000000000004 1234.5 0 1e+21 1.5e-07",
	    "adddouble writes the shortest round-trip form");
	buf_reset(&b);
	buf_addstr(&b, "x");
	buf_adddouble(&b, NAN);
	buf_adddouble(&b, INFINITY);
	buf_adddouble(&b, -INFINITY);
	ok(b.len == 1 && strcmp(b.data, "x") == 0,
	    "adddouble appends nothing for NaN and infinities");
	buf_reset(&b);
	buf_addint(&b, INT64_MIN);
	buf_addc(&b, ' ');
	buf_addint(&b, INT64_MAX);
	buf_addc(&b, ' ');
	buf_addint(&b, 0);
	buf_addc(&b, ' ');
	buf_addint(&b, -7);
	is_str(buf_str(&b), "-9223372036854775808 9223372036854775807 0 -7",
	    "addint writes any int64");
	is_int(b.len, 45, "addint lengths");
	buf_release(&b);
}

/* A size that cannot be reserved ends the program with code 3. */
static void
test_overflow(void)
{
	char   path[] = "/tmp/buf_test.XXXXXX", got[256], want[256];
	int    fd = mkstemp(path), status = 0;
	pid_t  pid;
	FILE  *fp;
	size_t n = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct buf b = { 0 };

		dup2(fd, 2);
		buf_addstr(&b, "abc");
		buf_grow(&b, SIZE_MAX - 1);
		_exit(99); /* not reached */
	}
	waitpid(pid, &status, 0);
	close(fd);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == CI_EXIT_IO,
	    "growing by SIZE_MAX - 1 exits with code 3");
	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(got, 1, sizeof(got) - 1, fp);
		fclose(fp);
	}
	got[n] = '\0';
	snprintf(want, sizeof(want),
	    "%s: out of memory (tried to allocate %zu bytes)\n",
	    diag_progname(), SIZE_MAX);
	is_str(got, want, "with the out-of-memory message");
	remove(path);
}

int
main(void)
{
	plan(37);
	test_never_used();
	test_add();
	test_addf();
	test_numbers();
	test_overflow();
	return done_testing();
}
