/*
 * tmpfd_test: temporary files in memory and in $TMPDIR: what is written
 * at an offset reads back, a read past the end is an error, and a $TMPDIR
 * that cannot be written names the path.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpfd.h"
#include "tap.h"

static void
round_trip(bool in_memory)
{
	struct ci_err e = { 0 };
	char          got[16] = { 0 };
	int           fd = tmpfd_open(in_memory, &e);

	ok(fd >= 0, "%s: opened", in_memory ? "memory" : "disk");
	ok(tmpfd_write(fd, 0, "hello, ", 7, &e) == 0 &&
	        tmpfd_write(fd, 7, "world", 5, &e) == 0 &&
	        tmpfd_write(fd, 0, "J", 1, &e) == 0,
	    "%s: writes at offsets", in_memory ? "memory" : "disk");
	ok(tmpfd_read(fd, 0, got, 12, &e) == 0 &&
	        memcmp(got, "Jello, world", 12) == 0,
	    "%s: reads back", in_memory ? "memory" : "disk");
	ok(tmpfd_read(fd, 8, got, 8, &e) < 0 && e.code == CI_EXIT_IO &&
	        strstr(e.msg, "file shrank") != NULL,
	    "%s: a read past the end fails", in_memory ? "memory" : "disk");
	close(fd);
}

int
main(void)
{
	struct ci_err e = { 0 };

	plan(10);
	round_trip(true);
	round_trip(false);
	setenv("TMPDIR", "/nonexistent/dir", 1);
	ok(tmpfd_open(false, &e) < 0 && e.code == CI_EXIT_IO &&
	        strncmp(e.file, "/nonexistent/dir/ci-tmp.", 24) == 0 &&
	        strstr(e.msg, "cannot create a temporary file") != NULL,
	    "an unwritable $TMPDIR is named: %s: %s", e.file, e.msg);
	ok(tmpfd_open(true, &e) >= 0, "a memory file needs no $TMPDIR");
	return done_testing();
}
