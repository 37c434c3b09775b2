/*
 * audit_test: lines appended to a new and an existing log, and a log with
 * an incomplete last line refused with its line number, untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "tap.h"

static long
size_of(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long  n;

	if (fp == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fclose(fp);
	return n;
}

int
main(void)
{
	char          path[] = "/tmp/ci-audit-XXXXXX";
	int           fd = mkstemp(path);
	struct audit  a = { 0 };
	struct ci_err e = { 0 };
	FILE         *fp;

	plan(6);
	close(fd);
	ok(audit_open(&a, path, &e) == 0 &&
	        audit_append(&a, "{}\n", 3, &e) == 0 &&
	        audit_close(&a, &e) == 0,
	    "an empty log takes a line");
	ok(audit_open(&a, path, &e) == 0 &&
	        audit_append(&a, "{\"a\":1}\n", 8, &e) == 0 &&
	        audit_close(&a, &e) == 0,
	    "a whole log takes another");
	is_int(size_of(path), 11, "both lines are there");
	fp = fopen(path, "ab");
	fputs("{\"torn", fp);
	fclose(fp);
	ok(audit_open(&a, path, &e) == -1 && e.code == CI_EXIT_IO &&
	        e.line == 3 && strstr(e.msg, "incomplete") != NULL,
	    "a torn last line is refused at line 3: %s", e.msg);
	audit_close(&a, NULL);
	is_int(size_of(path), 17, "and nothing is appended");
	ok(audit_close(&(struct audit){ 0 }, &e) == 0, "closing a zeroed log");
	unlink(path);
	return done_testing();
}
