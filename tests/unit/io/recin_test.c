/*
 * recin_test: the record reader on the inputs real exports produce: quoting,
 * embedded newlines, CRLF, byte order marks, CR-only files, stray CRs,
 * blank-separated columns, NDJSON with nested values, and every bad row the
 * reader must report without losing its place.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "recin.h"
#include "tap.h"

static char tmpdir[] = "/tmp/recin_test.XXXXXX";

/* Write len bytes to a new file named name in tmpdir; return its path. */
static const char *
put(const char *name, const char *bytes, size_t len)
{
	static char path[4][256];
	static int  slot;
	char       *p = path[slot++ % 4];
	FILE       *fp;

	snprintf(p, 256, "%s/%s", tmpdir, name);
	fp = fopen(p, "wb");
	fwrite(bytes, 1, len, fp);
	fclose(fp);
	return p;
}

#define PUT(name, lit) put(name, lit, sizeof(lit) - 1)

/*
 * Read every record of path into out as "line:f1|f2|...\n", bad rows as
 * "line:! message\n"; returns the last recin_read() result.
 */
static int
dump(const char *path, const struct recin_opts *o, struct buf *out)
{
	struct ci_err e = { 0 };
	struct recin *r = recin_open(path, o, &e);
	struct rec    rec;
	size_t        i;
	int           rc;

	buf_reset(out);
	if (r == NULL) {
		buf_addf(out, "open: %s", e.msg);
		return -9;
	}
	buf_addf(out, "cols:");
	for (i = 0; i < recin_ncols(r); i++)
		buf_addf(out, "%s%s", i ? "|" : "", recin_cols(r)[i]);
	buf_addc(out, '\n');
	while ((rc = recin_read(r, &rec, &e)) != REC_END) {
		if (rc == REC_FAIL) {
			buf_addf(out, "fatal: %s\n", e.msg);
			break;
		}
		if (rc == REC_BAD) {
			buf_addf(out, "%lu:! %s\n", e.line, e.msg);
			continue;
		}
		buf_addf(out, "%lu:", rec.line);
		for (i = 0; i < rec.n; i++)
			buf_addf(out, "%s%s", i ? "|" : "", rec.f[i]);
		buf_addc(out, '\n');
	}
	buf_addf(out, "blank:%lu", recin_blank_lines(r));
	recin_free(r);
	return rc;
}

static void
test_csv(void)
{
	struct recin_opts o = { 0 };
	struct buf        b = { 0 };

	dump(PUT("q.csv",
	         "a,b,c\n1,\"x,y\",\"say \"\"hi\"\"\"\n"
	         "2,\"two\nlines\",z\n3, sp ,\n"),
	    &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b|c\n2:1|x,y|say \"hi\"\n3:2|two\nlines|z\n5:3| sp |\n"
	    "blank:0",
	    "quotes, embedded newline (next record on line 5), blanks kept");

	dump(PUT("crlf.csv", "\xEF\xBB\xBFid,name\r\n1,\"A\r\nB\"\r\n\r\n2,C"),
	    &o, &b);
	is_str(buf_str(&b), "cols:id|name\n2:1|A\r\nB\n5:2|C\nblank:1",
	    "BOM dropped, CRLF ends, CRLF inside quotes, no final newline");

	dump(PUT("cr.csv", "id,name\r1,Ann\r2,Bob\r"), &o, &b);
	is_str(buf_str(&b), "cols:id|name\n2:1|Ann\n3:2|Bob\nblank:0",
	    "CR-only line ends (old Mac exports)");

	dump(PUT("qcr.csv", "id,\"no\rte\"\r\n1,x\r\n2,y\r\n"), &o, &b);
	is_str(buf_str(&b), "cols:id|no\rte\n3:1|x\n4:2|y\nblank:0",
	    "a CR quoted on the first line of a CRLF file: CRLF ends");

	dump(PUT("stray.csv", "a,b\n1,x\ry\n2,\"q\"\rz\n3,w\n"), &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:1|x\n3:! expected 2 fields, found 1\n4:2|q\n"
	    "5:! expected 2 fields, found 1\n6:3|w\nblank:0",
	    "a stray CR in an LF file ends a record (and a line), quoted "
	    "field or not");

	dump(PUT("ragged.csv", "a,b\n1,2\n3\n4,5,6\n7,8,,\n\n  \n9,10\n"), &o,
	    &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:1|2\n3:! expected 2 fields, found 1\n"
	    "4:! expected 2 fields, found 3\n5:7|8\n8:9|10\nblank:2",
	    "ragged rows reported, empty trailing fields accepted, blank "
	    "lines counted");

	dump(PUT("hdr.csv", "a,b\n1,2\na,b\n3,4\n"), &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:1|2\n3:! header row repeated\n4:3|4\n"
	    "blank:0",
	    "a header repeated mid-file is a bad row");

	dump(PUT("open.csv", "a,b\n1,2\n3,\"never\nclosed\n"), &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:1|2\n3:! file ends inside a quoted field\nblank:0",
	    "a file ending inside quotes rejects its last record");

	dump(PUT("utf8.csv", "a,b\n1,ok\n2,B\xE9\n3,\xE5\xBC\xA0\n"), &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:1|ok\n3:! invalid UTF-8 in column 'b' (byte 2); "
	    "is the input in another encoding? see --encoding\n4:3|张\n"
	    "blank:0",
	    "invalid UTF-8 names column and byte");

	dump(PUT("nul.csv", "a,b\n1,x\0y\n2,z\n"), &o, &b);
	is_str(buf_str(&b),
	    "cols:a|b\n2:! NUL byte in column 'b'\n3:2|z\nblank:0",
	    "a NUL byte is a bad row");

	dump(PUT("names.csv", " id ,,id,name\n1,2,3,4\n"), &o, &b);
	is_str(buf_str(&b), "cols:id|2|id_2|name\n2:1|2|3|4\nblank:0",
	    "header names trimmed, empty named by position, repeats numbered");

	dump(PUT("empty.csv", ""), &o, &b);
	is_str(buf_str(&b), "cols:\nblank:0", "an empty file has no columns");
	buf_release(&b);
}

static void
test_options(void)
{
	struct recin_opts o = { 0 };
	struct buf        b = { 0 };
	const char       *ws = PUT("ws.txt",
	          " 00004 0001 19970101  2   29.33\r\n"
	                "00021\t0002 19970101 3 63.34\r\n\r\n");

	o.delim = REC_DELIM_BLANKS;
	o.no_header = true;
	dump(ws, &o, &b);
	is_str(buf_str(&b),
	    "cols:1|2|3|4|5\n1:00004|0001|19970101|2|29.33\n"
	    "2:00021|0002|19970101|3|63.34\nblank:1",
	    "runs of blanks, no header: columns numbered");

	o.columns = "cust,cohort,date,n,value";
	dump(ws, &o, &b);
	is_str(buf_str(&b),
	    "cols:cust|cohort|date|n|value\n1:00004|0001|19970101|2|29.33\n"
	    "2:00021|0002|19970101|3|63.34\nblank:1",
	    "--columns names a headerless input");

	memset(&o, 0, sizeof(o));
	o.delim = ';';
	dump(PUT("semi.csv", "a;b\n\"1;2\";3\n"), &o, &b);
	is_str(buf_str(&b), "cols:a|b\n2:1;2|3\nblank:0", "--delimiter ';'");

	memset(&o, 0, sizeof(o));
	o.encoding = "GB18030";
	dump(PUT("gb.csv", "name\n\xD5\xC5\xC8\xFD\n"), &o, &b);
	is_str(buf_str(&b), "cols:name\n2:张三\nblank:0",
	    "--encoding GB18030 converts to UTF-8");

	memset(&o, 0, sizeof(o));
	dump(put("u16.txt",
	         "\xFF\xFE"
	         "a\0,\0b\0\n\0"
	         "1\0,\0\x20\x5F\n\0",
	         18),
	    &o, &b);
	is_str(buf_str(&b), "cols:a|b\n2:1|张\nblank:0",
	    "a UTF-16LE byte order mark is followed without being asked");

	memset(&o, 0, sizeof(o));
	o.encoding = "NO-SUCH-CHARSET";
	dump(ws, &o, &b);
	is_str(buf_str(&b), "open: unknown encoding 'NO-SUCH-CHARSET'",
	    "an unknown encoding is refused at open");
	buf_release(&b);
}

static void
test_ndjson(void)
{
	struct recin_opts o = { 0 };
	struct buf        b = { 0 };
	struct ci_err     e = { 0 };
	struct recin     *r;
	struct rec        rec;

	dump(PUT("a.ndjson",
	         "{\"id\":\"1\",\"n\":2.5,\"tags\":[1,\"x\"],\"v\":null}\n"
	         "\n"
	         "{\"n\":3,\"id\":\"2\",\"tags\":{\"k\":true}}\n"
	         "{\"id\":\"3\",\"zz\":1}\n"
	         "[1,2]\n"
	         "{\"id\": \n"
	         "{\"id\":\"4\",\"id\":\"5\"}\n"
	         "{\"id\":\"\\u00e9\"}\n"),
	    &o, &b);
	is_str(buf_str(&b),
	    "cols:id|n|tags|v|zz\n1:1|2.5|[1,\"x\"]||\n3:2|3|{\"k\":true}||\n"
	    "4:3||||1\n"
	    "5:! not a JSON object\n"
	    "6:! bad JSON at column 7: unexpected token near end of file\n"
	    "7:! bad JSON at column 14: duplicate object key near '\"id\"'\n"
	    "8:\xC3\xA9||||\n"
	    "blank:1",
	    "NDJSON: the columns are every key, nested values as JSON, bad "
	    "lines reported");

	dump(PUT("bom.ndjson", "\xEF\xBB\xBF{\"a\":\"1\"}\r\n{\"a\":\"2\"}\n"),
	    &o, &b);
	is_str(buf_str(&b), "cols:a\n1:1\n2:2\nblank:0",
	    "NDJSON after a UTF-8 byte order mark is read as NDJSON");

	r = recin_open(
	    put("k.ndjson", "{\"a\":1,\"b\":\"x\",\"c\":null}\n", 26), &o, &e);
	ok(r != NULL && recin_read(r, &rec, &e) == REC_ROW &&
	        rec.kind[0] == REC_JSON && rec.kind[1] == REC_STR &&
	        rec.kind[2] == REC_NULL,
	    "field kinds: number JSON, string STR, null NULL");
	recin_free(r);
	buf_release(&b);
}

static void
test_big_field(void)
{
	struct recin_opts o = { 0 };
	struct ci_err     e = { 0 };
	struct buf        in = { 0 };
	struct recin     *r;
	struct rec        rec;
	size_t            i;

	buf_addstr(&in, "a,b\n1,\"");
	for (i = 0; i < 1024 * 1024; i++)
		buf_addc(&in, (char)('a' + i % 26));
	buf_addstr(&in, "\"\n2,x\n");
	r = recin_open(put("big.csv", in.data, in.len), &o, &e);
	ok(r != NULL && recin_read(r, &rec, &e) == REC_ROW &&
	        rec.len[1] == 1024 * 1024 && rec.f[1][1024 * 1024] == '\0',
	    "a 1 MiB field is read whole");
	ok(r != NULL && recin_read(r, &rec, &e) == REC_ROW && rec.line == 3 &&
	        strcmp(rec.f[1], "x") == 0,
	    "and the row after it");
	recin_free(r);
	buf_release(&in);
}

static void
test_parse_helpers(void)
{
	enum rec_fmt f;
	int          d;

	ok(recin_parse_delim("tab", &d) == 0 && d == '\t', "delim tab");
	ok(recin_parse_delim("whitespace", &d) == 0 && d == REC_DELIM_BLANKS,
	    "delim whitespace");
	ok(recin_parse_delim("|", &d) == 0 && d == '|', "delim |");
	ok(recin_parse_delim("\"", &d) < 0 && recin_parse_delim(";;", &d) < 0,
	    "delim: a quote or two characters refused");
	ok(rec_fmt_parse("jsonl", &f) == 0 && f == REC_FMT_NDJSON &&
	        rec_fmt_parse("xml", &f) < 0,
	    "formats");
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	plan(28);
	test_csv();
	test_options();
	test_ndjson();
	test_big_field();
	test_parse_helpers();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
	return done_testing();
}
