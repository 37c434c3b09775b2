/*
 * diag_test: error records and the one message format.  ci_err_set() with
 * and without a location, truncation of long names and messages, a NULL
 * record; diag_report()'s exact stderr text ("PROG: FILE:LINE: MSG", the
 * "Try 'PROG --help'." line for usage errors) and its return codes;
 * diag_warn().  stderr is redirected to a temporary file around each call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "tap.h"

static char errpath[] = "/tmp/diag_test.XXXXXX";
static int  errfd = -1;

/* Everything written to stderr since the last call, via errfd. */
static const char *
captured(void)
{
	static char got[2048];
	ssize_t     n;

	fflush(stderr);
	n = pread(errfd, got, sizeof(got) - 1, 0);
	got[n > 0 ? n : 0] = '\0';
	if (ftruncate(errfd, 0) != 0 || lseek(errfd, 0, SEEK_SET) != 0)
		diag("cannot rewind %s", errpath);
	return got;
}

/* Run diag_report(e) with stderr going to errfd; return its result. */
static int
report(const struct ci_err *e)
{
	int saved, rc;

	fflush(stderr);
	saved = dup(2);
	dup2(errfd, 2);
	rc = diag_report(e);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return rc;
}

static int
setv(struct ci_err *e, const char *fmt, ...)
{
	va_list ap;
	int     rc;

	va_start(ap, fmt);
	rc = ci_err_setv(e, CI_EXIT_MODEL, "m.json", 3, fmt, ap);
	va_end(ap);
	return rc;
}

static void
test_set(void)
{
	struct ci_err e;
	char          longname[400], want[400];

	memset(&e, 'x', sizeof(e));
	is_int(ci_err_set(&e, CI_EXIT_DATA, "orders.csv", 17,
	           "bad amount '%s' in column '%s'", "12,3.4", "amount"),
	    -1, "ci_err_set returns -1");
	ok(e.code == CI_EXIT_DATA && strcmp(e.file, "orders.csv") == 0 &&
	        e.line == 17,
	    "code, file and line stored");
	is_str(e.msg, "bad amount '12,3.4' in column 'amount'",
	    "message formatted");

	memset(&e, 'x', sizeof(e));
	ci_err_set(&e, CI_EXIT_USAGE, NULL, 0, "bad value '%d'", -3);
	ok(e.code == CI_EXIT_USAGE && e.file[0] == '\0' && e.line == 0,
	    "NULL file gives \"\", line 0");
	is_str(e.msg, "bad value '-3'", "message without a location");

	is_int(ci_err_set(NULL, CI_EXIT_IO, "f", 1, "x %s", "y"), -1,
	    "a NULL record is tolerated and still returns -1");
	is_int(setv(NULL, "z"), -1, "ci_err_setv with a NULL record too");

	is_int(setv(&e, "%s-%d", "v", 4), -1, "ci_err_setv returns -1");
	ok(e.code == CI_EXIT_MODEL && strcmp(e.file, "m.json") == 0 &&
	        e.line == 3 && strcmp(e.msg, "v-4") == 0,
	    "ci_err_setv fills every part");

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ci_err_set(&e, CI_EXIT_IO, longname, 1, "%s", longname);
	memcpy(want, longname, 255);
	want[255] = '\0';
	is_str(e.file, want, "a long file name is cut to 255 bytes");
	ok(strlen(e.msg) == 399, "a 399-byte message fits");
	ci_err_set(
	    &e, CI_EXIT_IO, NULL, 0, "%s%s%s", longname, longname, longname);
	ok(strlen(e.msg) == 767 && e.msg[0] == 'n',
	    "a 1197-byte message is cut to 767 bytes");
}

static void
test_report(const char *prog)
{
	struct ci_err e = { 0 };
	char          want[512];

	ci_err_set(&e, CI_EXIT_DATA, "orders.csv", 17, "bad amount '%s'", "x");
	is_int(report(&e), CI_EXIT_DATA, "data error: returns 1");
	snprintf(
	    want, sizeof(want), "%s: orders.csv:17: bad amount 'x'\n", prog);
	is_str(captured(), want, "PROG: FILE:LINE: MSG");

	ci_err_set(&e, CI_EXIT_IO, "in.csv", 0, "cannot open: %s",
	    "No such file or directory");
	is_int(report(&e), CI_EXIT_IO, "I/O error: returns 3");
	snprintf(want, sizeof(want),
	    "%s: in.csv: cannot open: No such file or directory\n", prog);
	is_str(captured(), want, "PROG: FILE: MSG when there is no line");

	ci_err_set(&e, CI_EXIT_MODEL, NULL, 9, "model from another tool");
	is_int(report(&e), CI_EXIT_MODEL, "model error: returns 4");
	snprintf(want, sizeof(want), "%s: model from another tool\n", prog);
	is_str(captured(), want, "PROG: MSG, a line without a file left out");

	ci_err_set(&e, CI_EXIT_USAGE, NULL, 0, "bad value '0' for --bins");
	is_int(report(&e), CI_EXIT_USAGE, "usage error: returns 2");
	snprintf(want, sizeof(want),
	    "%s: bad value '0' for --bins\nTry '%s --help'.\n", prog, prog);
	is_str(captured(), want, "usage errors add the Try line");

	ci_err_set(&e, CI_EXIT_USAGE, "map.yaml", 4, "unknown key 'x'");
	is_int(report(&e), CI_EXIT_USAGE, "located usage error: returns 2");
	snprintf(want, sizeof(want),
	    "%s: map.yaml:4: unknown key 'x'\nTry '%s --help'.\n", prog, prog);
	is_str(captured(), want, "with its location and the Try line");

	ci_err_set(&e, CI_EXIT_OK, NULL, 0, "something failed");
	is_int(report(&e), CI_EXIT_IO, "code 0 is reported as an I/O error");
	snprintf(want, sizeof(want), "%s: something failed\n", prog);
	is_str(captured(), want, "and printed without a Try line");
}

static void
test_warn(const char *prog)
{
	char want[256];
	int  saved;

	fflush(stderr);
	saved = dup(2);
	dup2(errfd, 2);
	diag_warn("%lu rows rejected; see '%s'", 3UL, "r.ndjson");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	snprintf(
	    want, sizeof(want), "%s: 3 rows rejected; see 'r.ndjson'\n", prog);
	is_str(captured(), want, "diag_warn: PROG: MSG");
}

int
main(int argc, char *argv[])
{
	const char *base = strrchr(argv[0], '/');

	(void)argc;
	base = base != NULL ? base + 1 : argv[0];
	if ((errfd = mkstemp(errpath)) < 0)
		return 1;
	plan(26);
	is_str(diag_progname(), base, "the program name is argv[0]'s base");
	test_set();
	test_report(base);
	test_warn(base);
	close(errfd);
	remove(errpath);
	return done_testing();
}
