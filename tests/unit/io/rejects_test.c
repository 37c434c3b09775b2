/*
 * rejects_test: the rejects file format, base64 for rows that are not
 * UTF-8, the bounded report on a stream, and --max-errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maxerr.h"
#include "rejects.h"
#include "tap.h"

int
main(void)
{
	struct rejects *rj;
	struct ci_err   e = { 0 };
	struct maxerr   m;
	const char     *two[] = { "bad amount 'x'", "missing ts" };
	char            path[] = "/tmp/rejects_test.XXXXXX", got[1024];
	FILE           *fp, *rep;
	size_t          n;
	int             fd, i;

	plan(12);
	fd = mkstemp(path);
	rj = rejects_open(path, NULL, &e);
	rejects_add(rj, "o.csv", 17, two, 2, "a,\"b\"", 5);
	rejects_add(rj, "o.csv", 18, two, 1, "\xff\xfe", 2);
	is_int(rejects_count(rj), 2, "two rejected");
	ok(rejects_close(rj, &e) == 0, "closed");
	fp = fopen(path, "r");
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	is_str(got,
	    "{\"file\":\"o.csv\",\"line\":17,\"reasons\":[\"bad amount 'x'\","
	    "\"missing ts\"],\"raw\":\"a,\\\"b\\\"\"}\n"
	    "{\"file\":\"o.csv\",\"line\":18,\"reasons\":[\"bad amount 'x'\"],"
	    "\"raw_base64\":\"//4=\"}\n",
	    "NDJSON lines; raw bytes that are not UTF-8 in base64");
	remove(path);
	(void)fd;

	rep = tmpfile();
	rj = rejects_open(NULL, rep, &e);
	for (i = 0; i < 12; i++)
		rejects_add(rj, "f", (unsigned long)i + 2, two + 1, 1, "", 0);
	ok(rejects_close(rj, &e) == 0, "report closed");
	rewind(rep);
	n = fread(got, 1, sizeof(got) - 1, rep);
	got[n] = '\0';
	fclose(rep);
	ok(strstr(got, "f:11: missing ts\n") != NULL &&
	        strstr(got, "f:12:") == NULL,
	    "the first 10 are reported");
	ok(strstr(got,
	       "2 more rejected rows not shown; keep them all with "
	       "--rejects FILE\n") != NULL,
	    "the rest are counted");

	ok(rejects_open("/nonexistent/dir/r.ndjson", NULL, &e) == NULL &&
	        e.code == CI_EXIT_IO,
	    "an unwritable rejects file is an I/O error");

	ok(maxerr_parse("3", &m) == 0 && !maxerr_exceeded(&m, 3, 10) &&
	        maxerr_exceeded(&m, 4, 10),
	    "a count: 3 allowed, 4 not");
	ok(maxerr_parse("2.5%", &m) == 0 && !maxerr_exceeded(&m, 25, 1000) &&
	        maxerr_exceeded(&m, 26, 1000),
	    "a percentage of rows read");
	ok(maxerr_parse("0", &m) == 0 && maxerr_exceeded(&m, 1, 1) &&
	        !maxerr_exceeded(&m, 0, 5),
	    "zero allows none");
	ok(maxerr_parse("1.5", &m) < 0 && maxerr_parse("101%", &m) < 0 &&
	        maxerr_parse("-1", &m) < 0 && maxerr_parse("x", &m) < 0,
	    "bad limits refused");
	ok(maxerr_parse("0%", &m) == 0 && !maxerr_exceeded(&m, 0, 0),
	    "no rows, no errors: within any limit");
	return done_testing();
}
