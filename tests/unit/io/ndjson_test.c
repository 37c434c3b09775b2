/*
 * ndjson_test: the NDJSON reader under recio, on its own.  The kind and
 * text of every JSON value (strings with escapes, null and missing keys,
 * numbers through numfmt, booleans, nested arrays and objects kept as
 * compact JSON text), columns from the first good object or fixed by the
 * caller, bad lines reported with their line numbers while reading goes
 * on, blank lines and a byte order mark, CRLF, and a read error.  The
 * exact jansson messages are recio_test's; here the numbers, kinds and
 * bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "buf.h"
#include "ndjson.h"
#include "rdbuf.h"
#include "rec.h"
#include "tap.h"

static const char *const kind_name[] = { "s", "null", "json", "absent" };

/*
 * Read every line of the len bytes at text (columns fixed to cols when not
 * NULL) into a transcript: "cols:a|b" once there are columns, then per
 * read "LINE:KIND=TEXT|..." for a record, "LINE:! CODE FILE:LINE MSG" for a
 * bad line ("bad JSON" without jansson's details), and "end BLANK" with
 * the blank lines counted, or "stop MSG".
 */
static const char *
transcript(const char *text, size_t len, const char *const *cols, size_t ncols,
    struct buf *out)
{
	struct ci_err   e = { 0 };
	FILE           *fp = fmemopen((void *)text, len, "rb");
	struct rdbuf   *in = rdbuf_open_stream(fp, "t.ndjson", NULL, &e);
	struct strv     keys = { 0 };
	struct ndjson  *r;
	size_t          i, k;
	enum rec_status rc;
	bool            lines;
	int             shown = 0;

	buf_reset(out);
	if (cols == NULL) {
		/* The columns are every key, as recin finds them. */
		if (ndjson_keys(in, &keys, &lines, &e) < 0 ||
		    rdbuf_rewind(in, &e) < 0) {
			buf_addf(out, "keys: %s", e.msg);
			strv_free(&keys);
			rdbuf_free(in);
			fclose(fp);
			return buf_str(out);
		}
		cols = (const char *const *)keys.v;
		ncols = keys.n;
	}
	r = ndjson_new(in, cols, ncols);
	for (;;) {
		rc = ndjson_read(r, &e);
		if (!shown && ndjson_ncols(r) > 0) {
			buf_addstr(out, "cols:");
			for (i = 0; i < ndjson_ncols(r); i++)
				buf_addf(out, "%s%s", i ? "|" : "",
				    ndjson_cols(r)[i]);
			buf_addc(out, '\n');
			shown = 1;
		}
		if (rc == REC_END)
			break;
		if (rc == REC_FAIL) {
			buf_addf(out, "stop %s\n", e.msg);
			break;
		}
		if (rc == REC_BAD) {
			/* jansson's own words are recin_test's business. */
			if (strncmp(e.msg, "bad JSON at column ", 19) == 0)
				e.msg[8] = '\0';
			buf_addf(out, "%lu:! %d %s:%lu %s\n", ndjson_line(r),
			    e.code, e.file, e.line, e.msg);
			continue;
		}
		buf_addf(out, "%lu:", ndjson_line(r));
		for (i = 0; i < ndjson_ncols(r); i++) {
			const char *f = ndjson_fields(r)[i];

			buf_addf(out, "%s%s=", i ? "|" : "",
			    kind_name[ndjson_kinds(r)[i]]);
			for (k = 0; k < ndjson_lens(r)[i]; k++)
				if (f[k] == '\n')
					buf_addstr(out, "\\n");
				else
					buf_addc(out, f[k]);
			if (f[ndjson_lens(r)[i]] != '\0')
				buf_addstr(out, "(not terminated)");
		}
		buf_addc(out, '\n');
	}
	if (rc == 0)
		buf_addf(out, "end %lu", ndjson_blank_lines(r));
	ndjson_free(r);
	strv_free(&keys);
	rdbuf_free(in);
	fclose(fp);
	return buf_str(out);
}

#define T(lit, b) transcript(lit, sizeof(lit) - 1, NULL, 0, b)

static void
test_values(void)
{
	struct buf b = { 0 };

	is_str(T("{\"s\":\"x\",\"e\":\"\",\"n\":null,\"t\":true,\"f\":false}\n"
	         "{\"f\":true,\"s\":\"y\"}\n",
	           &b),
	    "cols:s|e|n|t|f\n"
	    "1:s=x|s=|null=|json=true|json=false\n"
	    "2:s=y|absent=|absent=|absent=|json=true\n"
	    "end 0",
	    "kinds: string, empty string, null, booleans; keys in any order, "
	    "missing ones null");
	is_str(T("{\"a\":2.50,\"b\":-0,\"c\":1e2,\"d\":12345678901234,"
	         "\"e\":0.1,\"f\":-1.5e-7,\"g\":1E+21}\n",
	           &b),
	    "cols:a|b|c|d|e|f|g\n"
	    "1:json=2.5|json=0|json=100|json=12345678901234|json=0.1|"
	    "json=-1.5e-07|json=1e+21\n"
	    "end 0",
	    "numbers written by numfmt: shortest form, no '-0', exponents "
	    "past 1e21");
	is_str(T("{\"l\":[1, \"two\" , [null,{}], {\"k\" : [true]}],"
	         "\"o\":{\"q\":\"say \\\"hi\\\"\\n\",\"z\":{\"y\":[]}},"
	         "\"x\":[]}\n",
	           &b),
	    "cols:l|o|x\n"
	    "1:json=[1,\"two\",[null,{}],{\"k\":[true]}]|"
	    "json={\"q\":\"say \\\"hi\\\"\\n\",\"z\":{\"y\":[]}}|json=[]\n"
	    "end 0",
	    "nested values kept as compact JSON text, escapes kept escaped");
	is_str(T("{\"a\":\"line\\nbreak\",\"b\":\"\\u00e9\\u5f20\","
	         "\"c\":\"\\ud83d\\ude00\",\"d\":\"tab\\tq\\\"\\\\\"}\n",
	           &b),
	    "cols:a|b|c|d\n"
	    "1:s=line\\nbreak|s=é张|s=😀|s=tab\tq\"\\\n"
	    "end 0",
	    "string escapes decoded to UTF-8 text");
	buf_release(&b);
}

static void
test_lengths(void)
{
	static const char in[] = "{\"a\":\"x\\ny\",\"b\":[1,2],\"c\":\"\"}\n";
	static const char *const cols[] = { "a", "b", "c" };
	struct ci_err            e = { 0 };
	FILE          *fp = fmemopen((void *)in, sizeof(in) - 1, "rb");
	struct rdbuf  *rb = rdbuf_open_stream(fp, "t", NULL, &e);
	struct ndjson *r = ndjson_new(rb, cols, 3);

	ok(ndjson_ncols(r) == 3, "the columns given, before the first read");
	ok(ndjson_read(r, &e) == REC_ROW && ndjson_lens(r)[0] == 3 &&
	        memcmp(ndjson_fields(r)[0], "x\ny", 4) == 0 &&
	        ndjson_lens(r)[1] == 5 && ndjson_lens(r)[2] == 0 &&
	        ndjson_kinds(r)[2] == REC_STR,
	    "lengths: an escaped newline is one byte, an empty string 0");
	ok(ndjson_read(r, &e) == REC_END && ndjson_read(r, &e) == REC_END,
	    "the end stays the end");
	ndjson_free(r);
	ndjson_free(NULL);
	rdbuf_free(rb);
	fclose(fp);
}

static void
test_bad_lines(void)
{
	struct buf  b = { 0 };
	const char *got;

	got = T("not json\n"
	        "[1,2]\n"
	        "{\"id\":\"1\",\"v\":2}\n"
	        "\n"
	        "   \t\n"
	        "{\"id\":\"2\",\"w\":3}\n"
	        "\"str\"\n"
	        "{\"id\":\"3\"} trailing\n"
	        "{\"id\":\"4\",\"id\":\"5\"}\n"
	        "{\"v\":null,\"id\":\"6\"}\n",
	    &b);
	is_str(got,
	    "cols:id|v|w\n"
	    "1:! 1 t.ndjson:1 bad JSON\n"
	    "2:! 1 t.ndjson:2 not a JSON object\n"
	    "3:s=1|json=2|absent=\n"
	    "6:s=2|absent=|json=3\n"
	    "7:! 1 t.ndjson:7 bad JSON\n"
	    "8:! 1 t.ndjson:8 bad JSON\n"
	    "9:! 1 t.ndjson:9 bad JSON\n"
	    "10:s=6|null=|absent=\n"
	    "end 2",
	    "bad lines (not JSON, an array, a bare string, trailing text, a "
	    "repeated key) are data errors at their line, reading goes on; "
	    "the columns are every key of the good objects, a bad first "
	    "line or a sparse key rejects nothing");

	is_str(T("{}\n{\"a\":1}\n{}\n", &b),
	    "cols:a\n"
	    "1:absent=\n"
	    "2:json=1\n"
	    "3:absent=\n"
	    "end 0",
	    "an empty first object: its record is all absent");
	is_str(T("[\n{\"a\":1},\n{\"a\":2}\n]\n", &b),
	    "keys: a JSON array, not NDJSON (one object a line): jq -c "
	    "'.[]' converts it",
	    "a JSON array is refused with the way to convert it");
	buf_release(&b);
}

static void
test_fixed(void)
{
	static const char *const cols[] = { "id", "amount", "extra" };
	static const char        in[] = "{\"amount\":5,\"id\":\"a\"}\n"
	                                "{\"extra\":[1],\"id\":\"b\",\"other\":1}\n"
	                                "{}\n";
	struct buf               b = { 0 };

	is_str(transcript(in, sizeof(in) - 1, cols, 3, &b),
	    "cols:id|amount|extra\n"
	    "1:s=a|json=5|absent=\n"
	    "2:! 1 t.ndjson:2 key 'other' is not one of the --columns\n"
	    "3:absent=|absent=|absent=\n"
	    "end 0",
	    "fixed columns: keys placed by name, others refused, {} all "
	    "absent");
	buf_release(&b);
}

static void
test_framing(void)
{
	struct buf b = { 0 };

	is_str(T("\xEF\xBB\xBF{\"a\":\"1\"}\r\n\r\n{\"a\":\"2\"}\r\n"
	         "{\"a\":\"3\"}",
	           &b),
	    "cols:a\n1:s=1\n3:s=2\n4:s=3\nend 1",
	    "a byte order mark, CRLF, a blank CRLF line, no final newline");
	is_str(T("", &b), "end 0", "empty input: no columns, no records");
	is_str(T("\n \n\t\n", &b), "end 3", "only blank lines");
	is_str(T("  {\"a\":1}  \n", &b), "cols:a\n1:json=1\nend 0",
	    "blanks around an object");
	buf_release(&b);
}

/* A stream that fails after its first line. */
struct failing {
	int calls;
};

static ssize_t
fail_read(void *cookie, char *b, size_t size)
{
	struct failing *f = cookie;

	if (f->calls++ == 0 && size >= 8) {
		memcpy(b, "{\"a\":1}\n", 8);
		return 8;
	}
	errno = EIO;
	return -1;
}

static void
test_read_error(void)
{
	struct failing        f = { 0 };
	cookie_io_functions_t io = { fail_read, NULL, NULL, NULL };
	FILE                 *fp = fopencookie(&f, "r", io);
	struct ci_err         e = { 0 };
	struct rdbuf *rb = rdbuf_open_stream(fp, "bad.ndjson", NULL, &e);
	static const char *const cols[] = { "a" };
	struct ndjson           *r = ndjson_new(rb, cols, 1);
	int                      rc1, rc2;

	rc1 = ndjson_read(r, &e);
	rc2 = ndjson_read(r, &e);
	ok(rc1 == REC_ROW && rc2 == REC_FAIL, "a read error stops the reader");
	ok(e.code == CI_EXIT_IO && strcmp(e.file, "bad.ndjson") == 0 &&
	        strcmp(e.msg, "read error: Input/output error") == 0,
	    "as an I/O error naming the input");
	ndjson_free(r);
	rdbuf_free(rb);
	fclose(fp);
}

int
main(void)
{
	plan(4 + 3 + 2 + 1 + 5 + 2);
	test_values();
	test_lengths();
	test_bad_lines();
	test_fixed();
	test_framing();
	test_read_error();
	return done_testing();
}
