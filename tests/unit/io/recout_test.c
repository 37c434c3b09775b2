/*
 * recout_test: the record writer: CSV quoting, NDJSON escapes, numbers
 * written shortest round-trip, missing fields, rows appended by writev and
 * writers into memory.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "recout.h"
#include "tap.h"

static char tmpdir[] = "/tmp/recout_test.XXXXXX";

static void
test_writer(void)
{
	const char    *cols[] = { "id", "name \"q\"", "amount", "extra" };
	struct ci_err  e = { 0 };
	struct recout *w;
	char           path[256], got[512];
	size_t         n;
	FILE          *fp;
	int            i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/out%d", tmpdir, i);
		w = recout_open(
		    path, i == 0 ? REC_FMT_CSV : REC_FMT_NDJSON, cols, 4, &e);
		recout_str(w, "1", 1);
		recout_str(w, "a,b \"c\"\nd", 9);
		recout_double(w, 1234.5);
		recout_null(w);
		recout_end(w, &e);
		recout_str(w, "2", 1);
		recout_str(w, "张\t", 4);
		recout_double(w, 0.1 + 0.2);
		recout_end(w, &e);
		ok(recout_rows(w) == 2 && recout_close(w, &e) == 0,
		    "writer %d closes cleanly", i);
		fp = fopen(path, "rb");
		n = fread(got, 1, sizeof(got) - 1, fp);
		got[n] = '\0';
		fclose(fp);
		if (i == 0)
			is_str(got,
			    "id,\"name \"\"q\"\"\",amount,extra\n"
			    "1,\"a,b \"\"c\"\"\nd\",1234.5,\n"
			    "2,张\t,0.30000000000000004,\n",
			    "CSV: quoting, numbers shortest round-trip, "
			    "missing "
			    "fields empty");
		else
			is_str(got,
			    "{\"id\":\"1\",\"name \\\"q\\\"\":\"a,b "
			    "\\\"c\\\"\\nd\","
			    "\"amount\":1234.5,\"extra\":null}\n"
			    "{\"id\":\"2\",\"name \\\"q\\\"\":\"张\\t\","
			    "\"amount\":0.30000000000000004,\"extra\":null}\n",
			    "NDJSON: escapes, numbers bare, missing fields "
			    "null");
	}
}

/*
 * Rows written with recout_rawv() come out between those written before
 * and after, in order, more of them than one writev() takes; a number
 * that is not finite is an empty field or null.
 */
static void
test_rawv(void)
{
	const char    *cols[] = { "k", "v" };
	struct ci_err  e = { 0 };
	struct recout *w;
	struct iovec   rows[3000];
	char           text[3000][16], path[256];
	struct buf     want = { 0 }, got = { 0 };
	size_t         i, n;
	FILE          *fp;
	char           chunk[4096];

	snprintf(path, sizeof(path), "%s/rawv", tmpdir);
	w = recout_open(path, REC_FMT_CSV, cols, 2, &e);
	buf_addstr(&want, "k,v\nfirst,\n");
	recout_str(w, "first", 5);
	recout_double(w, NAN);
	recout_end(w, &e);
	for (i = 0; i < 3000; i++) {
		n = (size_t)snprintf(
		    text[i], sizeof(text[i]), "r%zu,%zu\n", i, i * i % 997);
		rows[i].iov_base = text[i];
		rows[i].iov_len = n;
		buf_add(&want, text[i], n);
	}
	ok(recout_rawv(w, rows, 3000, &e) == 0, "3000 rows by writev");
	recout_str(w, "last", 4);
	recout_int(w, -7);
	recout_end(w, &e);
	buf_addstr(&want, "last,-7\n");
	ok(recout_rows(w) == 3002 && recout_close(w, &e) == 0,
	    "3002 rows counted, closed cleanly");
	fp = fopen(path, "rb");
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&got, chunk, n);
	fclose(fp);
	ok(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
	    "the file holds every row in order");
	buf_release(&want);
	buf_release(&got);

	w = recout_open_mem(REC_FMT_NDJSON, cols, 2);
	recout_str(w, "x", 1);
	recout_double(w, INFINITY);
	recout_end(w, &e);
	rows[0].iov_base = "{\"k\":\"y\",\"v\":1}\n";
	rows[0].iov_len = strlen(rows[0].iov_base);
	recout_rawv(w, rows, 1, &e);
	recout_str(w, "z", 1);
	recout_number(w, "-12.50", 6);
	recout_end(w, &e);
	is_str(recout_mem(w, &n),
	    "{\"k\":\"x\",\"v\":null}\n{\"k\":\"y\",\"v\":1}\n"
	    "{\"k\":\"z\",\"v\":-12.50}\n",
	    "a memory writer appends the rows; infinity is null; a "
	    "formatted number is bare");
	recout_close(w, NULL);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	plan(8);
	test_writer();
	test_rawv();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
