/*
 * rdbuf_test: the line reader under the CSV and NDJSON readers.  Line ends
 * (LF, CRLF and lone CR, mixed in any way, a last line without one) and
 * the *term lengths; line numbers; the raw text of a
 * record since rdbuf_mark(), also across a refill of the buffer; byte
 * order marks (UTF-8 dropped, UTF-16LE and UTF-16BE converted); an explicit
 * GB18030 input whose multi-byte characters straddle the 256 KiB read, and
 * invalid or truncated bytes copied through; lines longer than a read; the
 * RDBUF_MAX_RECORD limit; rdbuf_peek(); opening files, stdin and streams;
 * unknown encodings and read errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "rdbuf.h"
#include "tap.h"

/*
 * rdbuf.c's read size: a converted input is read CHUNK bytes at a time
 * (the boundary the GB18030 tests straddle), and the first read of a
 * UTF-8 input fills a buffer of 2 * CHUNK bytes.
 */
#define CHUNK (256 * 1024)

/* A reader on len bytes in memory; close with mclose(). */
struct mem {
	FILE         *fp;
	struct rdbuf *r;
};

static struct rdbuf *
mopen(struct mem *m, const void *bytes, size_t len, const char *enc,
    struct ci_err *e)
{
	m->fp = fmemopen((void *)bytes, len, "rb");
	m->r = m->fp != NULL ? rdbuf_open_stream(m->fp, "mem", enc, e) : NULL;
	return m->r;
}

static void
mclose(struct mem *m)
{
	rdbuf_free(m->r);
	if (m->fp != NULL)
		fclose(m->fp);
	m->fp = NULL;
	m->r = NULL;
}

/* Append the len bytes at s with control bytes escaped. */
static void
escaped(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			buf_addstr(out, "\\r");
		else if (c == '\n')
			buf_addstr(out, "\\n");
		else if (c == '\t')
			buf_addstr(out, "\\t");
		else if (c < 0x20)
			buf_addf(out, "\\x%02x", c);
		else
			buf_addc(out, (char)c);
	}
}

/*
 * Append the line at s escaped, or for more than 64 bytes a summary:
 * "<N*c>" for N copies of c, else "<N:" the first and last 8 bytes ">".
 */
static void
show(struct buf *out, const char *s, size_t len)
{
	size_t i;

	if (len <= 64) {
		escaped(out, s, len);
		return;
	}
	for (i = 1; i < len && s[i] == s[0]; i++)
		;
	if (i == len) {
		buf_addf(out, "<%zu*%c>", len, s[0]);
		return;
	}
	buf_addf(out, "<%zu:", len);
	escaped(out, s, 8);
	buf_addstr(out, "...");
	escaped(out, s + len - 8, 8);
	buf_addc(out, '>');
}

/* The text dump() returns. */
static struct buf dumped;

/*
 * Read every line of r as "LINENO/TERM:TEXT|", then "END" (and a check
 * that the end stays the end) or "ERR:message".
 */
static const char *
dump(struct rdbuf *r)
{
	struct ci_err e = { 0 };
	const char   *s;
	size_t        len, term;
	int           rc;

	buf_reset(&dumped);
	if (r == NULL)
		return "NULL";
	while ((rc = rdbuf_line(r, &s, &len, &term, &e)) == 1) {
		buf_addf(&dumped, "%lu/%zu:", rdbuf_lineno(r), term);
		show(&dumped, s, len);
		buf_addc(&dumped, '|');
	}
	if (rc == 0)
		buf_addstr(&dumped,
		    rdbuf_line(r, &s, &len, &term, &e) == 0 ? "END"
		                                            : "END-NOT-STABLE");
	else
		buf_addf(&dumped, "ERR:%s", e.msg);
	return buf_str(&dumped);
}

/* dump() of the len bytes at bytes in encoding enc, read from memory. */
static const char *
lines(const char *bytes, size_t len, const char *enc)
{
	struct mem    m;
	struct ci_err e = { 0 };
	const char   *d;

	mopen(&m, bytes, len, enc, &e);
	d = dump(m.r);
	mclose(&m);
	return d;
}

#define LINES(lit, enc) lines(lit, sizeof(lit) - 1, enc)

static void
test_line_ends(void)
{
	is_str(LINES("a\nbb\n\nccc\n", NULL), "1/1:a|2/1:bb|3/1:|4/1:ccc|END",
	    "LF lines, an empty one, term 1");
	is_str(LINES("a\r\nbb\r\n\r\nc", NULL), "1/2:a|2/2:bb|3/2:|4/0:c|END",
	    "CRLF lines: term 2; last line without terminator: term 0");
	is_str(LINES("a\rbb\r\rc\r", NULL), "1/1:a|2/1:bb|3/1:|4/1:c|END",
	    "CR-only file split at CR, term 1");
	is_str(LINES("a\rb\nc\r", NULL), "1/1:a|2/1:b|3/1:c|END",
	    "a first line ending in CR: an LF later ends a line too");
	is_str(LINES("a\nb\rc\n", NULL), "1/1:a|2/1:b|3/1:c|END",
	    "a first line ending in LF: a lone CR later ends a line too");
	is_str(LINES("a\r\nb\rc\r\n", NULL), "1/2:a|2/1:b|3/2:c|END",
	    "a first line ending in CRLF: a lone CR later ends a line too");
	is_str(LINES("a\r\r\nb\r\r\n", NULL), "1/1:a|2/2:|3/1:b|4/2:|END",
	    "CR CR LF: a line ended by CR, then an empty one by CRLF");
	is_str(LINES("\n\r\r\n\r", NULL), "1/1:|2/1:|3/2:|4/1:|END",
	    "empty lines with every line end");
	is_str(LINES("x\ny", NULL), "1/1:x|2/0:y|END",
	    "last line without terminator");
	is_str(LINES("abc\r", NULL), "1/1:abc|END",
	    "a single line ended by CR at the end of input");
	is_str(LINES("\n", NULL), "1/1:|END", "one empty line");
	is_str(LINES("", NULL), "END", "empty input: no lines");
	is_str(LINES("a\0b\n", NULL), "1/1:a\\x00b|END", "a NUL is data");
}

static void
test_raw(void)
{
	static const char in[] = "h\r\nr1a\r\nr1b\r\n\r\nnext\n";
	struct mem        m;
	struct ci_err     e = { 0 };
	const char       *s, *raw;
	size_t            len, term, rawlen;
	struct rdbuf     *r = mopen(&m, in, sizeof(in) - 1, NULL, &e);

	is_int(rdbuf_lineno(r), 0, "line number 0 before the first line");
	rdbuf_line(r, &s, &len, &term, &e);
	rdbuf_mark(r);
	raw = rdbuf_raw(r, &rawlen);
	is_int(rawlen, 0, "raw text right after a mark is empty");
	rdbuf_line(r, &s, &len, &term, &e);
	rdbuf_line(r, &s, &len, &term, &e);
	raw = rdbuf_raw(r, &rawlen);
	ok(rawlen == 8 && memcmp(raw, "r1a\r\nr1b", 8) == 0,
	    "raw text of two lines: inner CRLF kept, final one not");
	is_int(rdbuf_lineno(r), 3, "line number 3");
	rdbuf_mark(r);
	rdbuf_line(r, &s, &len, &term, &e);
	raw = rdbuf_raw(r, &rawlen);
	ok(rawlen == 0 && len == 0 && term == 2, "an empty line: raw empty");
	rdbuf_line(r, &s, &len, &term, &e);
	raw = rdbuf_raw(r, &rawlen);
	ok(rawlen == 6 && memcmp(raw, "\r\nnext", 6) == 0,
	    "raw text from an empty line to the next");
	is_int(rdbuf_lineno(r), 5, "line number 5");
	mclose(&m);

	r = mopen(&m, "\xEF\xBB\xBFid\nx\n", 8, NULL, &e);
	rdbuf_mark(r);
	rdbuf_line(r, &s, &len, &term, &e);
	raw = rdbuf_raw(r, &rawlen);
	ok(rawlen == 2 && memcmp(raw, "id", 2) == 0 && len == 2 &&
	        memcmp(s, "id", 2) == 0,
	    "raw text of the first line leaves out the byte order mark");
	mclose(&m);
}

/*
 * A record of ten 1000-byte lines (520 to 529) across the end of the first
 * 512 KiB read: the refill slides it to the front of the buffer.
 */
static void
test_raw_refill(void)
{
	struct buf    in = { 0 };
	struct mem    m;
	struct ci_err e = { 0 };
	const char   *s, *raw;
	size_t        len, term, rawlen, i;
	struct rdbuf *r;
	int           bad = 0;

	for (i = 1; i <= 600; i++) {
		buf_addf(&in, "L%04zu", i);
		while (in.len % 1000 != 999)
			buf_addc(&in, (char)('a' + (in.len % 26)));
		buf_addc(&in, '\n');
	}
	r = mopen(&m, in.data, in.len, NULL, &e);
	for (i = 1; i <= 519; i++)
		if (rdbuf_line(r, &s, &len, &term, &e) != 1 || len != 999)
			bad++;
	rdbuf_mark(r);
	for (i = 520; i <= 529; i++)
		if (rdbuf_line(r, &s, &len, &term, &e) != 1 || len != 999 ||
		    memcmp(s, in.data + (i - 1) * 1000, 999) != 0)
			bad++;
	raw = rdbuf_raw(r, &rawlen);
	is_int(bad, 0, "lines 1 to 529 read whole across the refill");
	ok(rawlen == 9999 && memcmp(raw, in.data + 519000, 9999) == 0,
	    "raw text of lines 520-529 (across 512 KiB) is contiguous and "
	    "exact");
	for (i = 530; rdbuf_line(r, &s, &len, &term, &e) == 1; i++)
		if (len != 999 || rdbuf_lineno(r) != i ||
		    memcmp(s, in.data + (i - 1) * 1000, 999) != 0)
			bad++;
	ok(bad == 0 && i == 601, "and the 71 lines after them");
	mclose(&m);
	buf_release(&in);
}

static void
test_bom(void)
{
	is_str(LINES("\xEF\xBB\xBF"
	             "a\nb",
	           NULL),
	    "1/1:a|2/0:b|END", "a UTF-8 byte order mark is dropped");
	is_str(LINES("\xEF\xBB\xBF", NULL), "END",
	    "a byte order mark alone: no lines");
	is_str(LINES("a\n\xEF\xBB\xBF"
	             "b\n",
	           NULL),
	    "1/1:a|2/1:\xEF\xBB\xBF"
	    "b|END",
	    "one after the start is data");
	is_str(LINES("\xEF\xBB\xBF"
	             "a\rb\r",
	           NULL),
	    "1/1:a|2/1:b|END", "CR line ends after the mark");
	is_str(LINES("\xFF\xFE"
	             "a\0\n\0\x20\x5F\r\0\n\0",
	           NULL),
	    "1/1:a|2/2:张|END", "a UTF-16LE byte order mark is converted");
	is_str(LINES("\xFE\xFF\0a\0\n\x5F\x20\0\r\0\n", NULL),
	    "1/1:a|2/2:张|END", "a UTF-16BE byte order mark is converted");
	is_str(LINES("\xFF\xFE"
	             "a\0\r\0b\0\r\0",
	           NULL),
	    "1/1:a|2/1:b|END", "UTF-16 with CR-only line ends");
	is_str(LINES("\xFF\xFE"
	             "a\0b",
	           NULL),
	    "1/0:ab|END", "UTF-16: an odd byte at the end is copied through");
	is_str(LINES("\xFF\xFE"
	             "a\0\n\0",
	           "UTF-16LE"),
	    "1/1:a|END",
	    "explicit UTF-16LE: its byte order mark, converted, is dropped");
	is_str(LINES("\xFF\xFE", NULL), "END",
	    "a UTF-16 byte order mark alone: no lines");
}

/* 50000 UTF-16LE lines (700 KB): the converted reader refills. */
static void
test_utf16_big(void)
{
	struct buf    in = { 0 }, want = { 0 };
	struct mem    m;
	struct ci_err e = { 0 };
	const char   *s;
	size_t        len, term, i, n = 0;
	struct rdbuf *r;
	int           bad = 0;

	buf_add(&in, "\xFF\xFE", 2);
	for (i = 0; i < 50000; i++) {
		char digits[8];
		int  k;

		snprintf(digits, sizeof(digits), "%05zu", i);
		buf_add(&in, "\x4C\x88", 2); /* U+884C 行 */
		for (k = 0; k < 5; k++) {
			buf_addc(&in, digits[k]);
			buf_addc(&in, '\0');
		}
		buf_add(&in, "\n\0", 2);
	}
	r = mopen(&m, in.data, in.len, NULL, &e);
	while (rdbuf_line(r, &s, &len, &term, &e) == 1) {
		buf_reset(&want);
		buf_addf(&want, "行%05zu", n);
		if (len != want.len || memcmp(s, want.data, len) != 0 ||
		    term != 1)
			bad++;
		n++;
	}
	ok(bad == 0 && n == 50000,
	    "700 KB of UTF-16LE: 50000 lines converted across refills");
	mclose(&m);
	buf_release(&in);
	buf_release(&want);
}

/*
 * Read GB18030 text of more than 300 KiB in which the character gb
 * (gblen bytes; utf8 in UTF-8) starts k bytes before the end of the first
 * 256 KiB read, and is repeated after it.  Returns whether the lines,
 * joined with "\n", are the UTF-8 text exactly.
 */
static int
gb_straddle(const char *gb, size_t gblen, const char *utf8, size_t k)
{
	struct buf    in = { 0 }, want = { 0 }, got = { 0 };
	struct mem    m;
	struct ci_err e = { 0 };
	const char   *s;
	size_t        len, term, i;
	struct rdbuf *r;
	int           same;

	/* Lines of 40 characters mixing 1-, 2- and 4-byte ones. */
	while (in.len + 400 < CHUNK - k) {
		for (i = 0; i < 40; i++) {
			static const char *const gbc[] = { "a", "\xD5\xC5",
				"\xA8\xA6", "\x94\x39\xFC\x36" };
			static const char *const u8c[] = { "a", "张", "é",
				"😀" };

			buf_addstr(&in, gbc[i % 4]);
			buf_addstr(&want, u8c[i % 4]);
		}
		buf_addc(&in, '\n');
		buf_addc(&want, '\n');
	}
	while (in.len < CHUNK - k) {
		buf_addc(&in, 'b');
		buf_addc(&want, 'b');
	}
	while (in.len < 300 * 1024 + 7) {
		buf_add(&in, gb, gblen);
		buf_addstr(&want, utf8);
		if (in.len % 97 < gblen) {
			buf_addc(&in, '\n');
			buf_addc(&want, '\n');
		}
	}
	buf_addc(&in, '\n');
	buf_addc(&want, '\n');

	r = mopen(&m, in.data, in.len, "GB18030", &e);
	while (r != NULL && rdbuf_line(r, &s, &len, &term, &e) == 1) {
		buf_add(&got, s, len);
		buf_addc(&got, '\n');
	}
	same = got.len == want.len && memcmp(got.data, want.data, got.len) == 0;
	if (!same)
		diag("  %zu bytes, want %zu", got.len, want.len);
	mclose(&m);
	buf_release(&in);
	buf_release(&want);
	buf_release(&got);
	return same;
}

static void
test_encoding(void)
{
	ok(gb_straddle("\xD5\xC5", 2, "张", 1),
	    "GB18030: a 2-byte character split 1|1 by the 256 KiB read");
	ok(gb_straddle("\x94\x39\xFC\x36", 4, "😀", 1),
	    "GB18030: a 4-byte character split 1|3");
	ok(gb_straddle("\x94\x39\xFC\x36", 4, "😀", 2),
	    "GB18030: a 4-byte character split 2|2");
	ok(gb_straddle("\x94\x39\xFC\x36", 4, "😀", 3),
	    "GB18030: a 4-byte character split 3|1");
	is_str(LINES("\xD5\xC5\xFF\xD5\xC5\n\xD5", "GB18030"),
	    "1/1:张\xFF张|2/0:\xD5|END",
	    "GB18030: an invalid byte and a truncated character at the end "
	    "are copied through");
	is_str(LINES("name\n\xD5\xC5\xC8\xFD\r\n", "GB18030"),
	    "1/1:name|2/2:张三|END", "GB18030 with CRLF");
}

/* A line of n copies of c as the summary show() gives. */
static const char *
run(size_t n, char c)
{
	static char s[64];

	snprintf(s, sizeof(s), "<%zu*%c>", n, c);
	return s;
}

static void
test_long_lines(void)
{
	struct buf in = { 0 };
	char       want[256];

	buf_addstr(&in, "s\n");
	while (in.len < 2 + 700 * 1024)
		buf_addc(&in, 'x');
	buf_addstr(&in, "\nt\n");
	snprintf(
	    want, sizeof(want), "1/1:s|2/1:%s|3/1:t|END", run(700 * 1024, 'x'));
	is_str(lines(in.data, in.len, NULL), want,
	    "a 700 KiB line between short ones");

	/* The CR of a CRLF is the last byte of the first 512 KiB read. */
	buf_reset(&in);
	buf_addstr(&in, "h\r\n");
	while (in.len < 2 * CHUNK - 1)
		buf_addc(&in, 'y');
	buf_addstr(&in, "\r\nz\r\n");
	snprintf(want, sizeof(want), "1/2:h|2/2:%s|3/2:z|END",
	    run(2 * CHUNK - 4, 'y'));
	is_str(lines(in.data, in.len, NULL), want,
	    "a CRLF split between two reads is one terminator");

	buf_reset(&in);
	buf_addstr(&in, "h\r");
	while (in.len < 2 + 600 * 1024)
		buf_addc(&in, 'y');
	buf_addstr(&in, "\rz\r");
	snprintf(
	    want, sizeof(want), "1/1:h|2/1:%s|3/1:z|END", run(600 * 1024, 'y'));
	is_str(lines(in.data, in.len, NULL), want,
	    "a 600 KiB line in a CR-only file");

	buf_reset(&in);
	while (in.len < 600 * 1024)
		buf_addc(&in, 'y');
	buf_addstr(&in, "\rz\r");
	snprintf(want, sizeof(want), "1/1:%s|2/1:z|END", run(600 * 1024, 'y'));
	is_str(lines(in.data, in.len, NULL), want,
	    "a CR-only file whose first line is longer than the first read");

	/* A lone CR is the last byte of the first 512 KiB read. */
	buf_reset(&in);
	buf_addstr(&in, "h\n");
	while (in.len < 2 * CHUNK - 1)
		buf_addc(&in, 'y');
	buf_addstr(&in, "\rz\n");
	snprintf(want, sizeof(want), "1/1:h|2/1:%s|3/1:z|END",
	    run(2 * CHUNK - 3, 'y'));
	is_str(lines(in.data, in.len, NULL), want,
	    "a lone CR at the end of a read is one terminator");
	buf_release(&in);
}

/* A stream of "a\n", n bytes of 'x' and "\n", made as it is read. */
struct gen {
	size_t pos, n;
	int    fail; /* return a read error instead */
};

static ssize_t
gen_read(void *cookie, char *b, size_t size)
{
	struct gen *g = cookie;
	size_t      i, total = g->n + 3;

	if (g->fail) {
		errno = EIO;
		return -1;
	}
	for (i = 0; i < size && g->pos < total; i++, g->pos++)
		b[i] = g->pos == 0                         ? 'a'
		    : (g->pos == 1 || g->pos == total - 1) ? '\n'
		                                           : 'x';
	return (ssize_t)i;
}

/* Read the line of n bytes after the first: "len=N" or the error. */
static const char *
big_line(size_t n, int fail, struct ci_err *e)
{
	static char           res[128];
	struct gen            g = { 0, n, fail };
	cookie_io_functions_t io = { gen_read, NULL, NULL, NULL };
	FILE                 *fp = fopencookie(&g, "r", io);
	struct rdbuf         *r = rdbuf_open_stream(fp, "big.csv", NULL, e);
	const char           *s;
	size_t                len, term;
	int                   rc;

	if (!fail)
		rdbuf_line(r, &s, &len, &term, e);
	rdbuf_mark(r);
	rc = rdbuf_line(r, &s, &len, &term, e);
	if (rc == 1)
		snprintf(res, sizeof(res), "len=%zu", len);
	else
		snprintf(res, sizeof(res), "rc=%d", rc);
	rdbuf_free(r);
	fclose(fp);
	return res;
}

static void
test_max_record(void)
{
	struct ci_err e = { 0 };
	char          want[64];

	snprintf(want, sizeof(want), "len=%lu", RDBUF_MAX_RECORD);
	is_str(big_line(RDBUF_MAX_RECORD, 0, &e), want,
	    "a line of RDBUF_MAX_RECORD bytes is read");
	memset(&e, 0, sizeof(e));
	is_str(big_line(RDBUF_MAX_RECORD + 1, 0, &e), "rc=-1",
	    "a line of RDBUF_MAX_RECORD + 1 bytes fails");
	ok(e.code == CI_EXIT_DATA && strcmp(e.file, "big.csv") == 0 &&
	        e.line == 2,
	    "as a data error at the line being read");
	is_str(e.msg, "record longer than 64 MiB (unbalanced quote?)",
	    "with the documented message");
	/* Lines read whole in one go, and one that fills the memory bound. */
	is_str(big_line(RDBUF_MAX_RECORD + RDBUF_MAX_RECORD / 2, 0, &e),
	    "rc=-1", "a line of 1.5 * RDBUF_MAX_RECORD bytes fails");
	memset(&e, 0, sizeof(e));
	is_str(big_line(2 * RDBUF_MAX_RECORD + 1, 0, &e), "rc=-1",
	    "a line of 2 * RDBUF_MAX_RECORD + 1 bytes fails");
	ok(e.code == CI_EXIT_DATA && e.line == 2, "at the line being read");

	memset(&e, 0, sizeof(e));
	is_str(big_line(10, 1, &e), "rc=-1", "a read error fails");
	ok(e.code == CI_EXIT_IO && strcmp(e.file, "big.csv") == 0 &&
	        e.line == 0,
	    "as an I/O error naming the input");
	is_str(e.msg, "read error: Input/output error",
	    "with the system's reason");
}

static void
test_peek(void)
{
	struct mem    m;
	struct ci_err e = { 0 };
	struct rdbuf *r;
	struct buf    in = { 0 };
	const char   *s;
	size_t        len, term, n;

	r = mopen(&m, "", 0, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), -1, "peek on empty input: -1");
	is_str(dump(r), "END", "and no lines");
	mclose(&m);

	r = mopen(&m, "  \t\r\n \n", 7, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), -1, "peek on blanks only: -1");
	is_str(dump(r), "1/2:  \\t|2/1: |END", "and nothing was consumed");
	mclose(&m);

	r = mopen(&m, "\n\n  x,y\n", 8, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), 'x', "peek skips blank lines and blanks");
	is_int(rdbuf_peek(r, 0, &e), 'x', "a second peek gives the same");
	is_str(dump(r), "1/1:|2/1:|3/1:  x,y|END", "nothing was consumed");
	mclose(&m);

	r = mopen(&m, "\xEF\xBB\xBF{\"a\":1}\n", 11, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), '{', "peek skips a UTF-8 byte order mark");
	is_str(dump(r), "1/1:{\"a\":1}|END", "which is not read either");
	mclose(&m);

	r = mopen(&m, "a\n  b\n", 6, NULL, &e);
	rdbuf_line(r, &s, &len, &term, &e);
	is_int(rdbuf_peek(r, 0, &e), 'b', "peek after a line looks past it");
	mclose(&m);

	r = mopen(&m, "\xFF\xFE \0[\0\n\0", 8, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), '[', "peek sees converted UTF-16");
	mclose(&m);

	while (in.len < 600 * 1024)
		buf_addc(&in, '\n');
	buf_addstr(&in, "q\n");
	r = mopen(&m, in.data, in.len, NULL, &e);
	is_int(rdbuf_peek(r, 0, &e), 'q', "peek past the first read");
	for (n = 0; rdbuf_line(r, &s, &len, &term, &e) == 1; n++)
		;
	ok(n == 600 * 1024 + 1 && len == 1 && s[0] == 'q',
	    "and every line is still read after it");
	mclose(&m);
	buf_release(&in);
}

static void
test_open(const char *dir)
{
	struct ci_err e = { 0 };
	struct rdbuf *r;
	char          path[300];
	FILE         *fp;

	r = rdbuf_open(NULL, NULL, &e);
	ok(r != NULL && strcmp(rdbuf_name(r), "stdin") == 0,
	    "NULL opens stdin, called 'stdin'");
	rdbuf_free(r);
	r = rdbuf_open("-", NULL, &e);
	ok(r != NULL && strcmp(rdbuf_name(r), "stdin") == 0, "'-' opens stdin");
	rdbuf_free(r);
	rdbuf_free(NULL);

	snprintf(path, sizeof(path), "%s/in.txt", dir);
	fp = fopen(path, "wb");
	fputs("k\r\nv", fp);
	fclose(fp);
	r = rdbuf_open(path, NULL, &e);
	ok(r != NULL && strcmp(rdbuf_name(r), path) == 0,
	    "a file is called by its path");
	is_str(dump(r), "1/2:k|2/0:v|END", "and read");
	rdbuf_free(r);

	r = rdbuf_open(path, "NO-SUCH-CHARSET", &e);
	ok(r == NULL && e.code == CI_EXIT_USAGE && e.file[0] == '\0' &&
	        e.line == 0,
	    "an unknown encoding is a usage error");
	is_str(e.msg, "unknown encoding 'NO-SUCH-CHARSET'", "naming it");
	remove(path);

	memset(&e, 0, sizeof(e));
	fp = fmemopen((void *)"x", 1, "rb");
	r = rdbuf_open_stream(fp, "s", "NOPE", &e);
	ok(r == NULL && e.code == CI_EXIT_USAGE &&
	        strcmp(e.msg, "unknown encoding 'NOPE'") == 0,
	    "rdbuf_open_stream refuses it too");
	fclose(fp);

	memset(&e, 0, sizeof(e));
	r = rdbuf_open("/nonexistent/x.csv", NULL, &e);
	ok(r == NULL && e.code == CI_EXIT_IO &&
	        strcmp(e.file, "/nonexistent/x.csv") == 0 && e.line == 0,
	    "a missing file is an I/O error naming it");
	is_str(e.msg, "cannot open: No such file or directory",
	    "with the system's reason");

	fp = fmemopen((void *)"a\nb", 3, "rb");
	r = rdbuf_open_stream(fp, "stream name", NULL, &e);
	ok(strcmp(rdbuf_name(r), "stream name") == 0,
	    "a stream is called by the name given");
	is_str(dump(r), "1/1:a|2/0:b|END", "and read from fmemopen");
	rdbuf_free(r);
	ok(fgetc(fp) == EOF && fclose(fp) == 0,
	    "the caller's stream is left open for the caller");
}

int
main(void)
{
	char dir[] = "/tmp/rdbuf_test.XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	plan(81);
	test_line_ends();
	test_raw();
	test_raw_refill();
	test_bom();
	test_utf16_big();
	test_encoding();
	test_long_lines();
	test_max_record();
	test_peek();
	test_open(dir);
	rmdir(dir);
	buf_release(&dumped);
	return done_testing();
}
