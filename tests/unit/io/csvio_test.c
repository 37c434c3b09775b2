/*
 * csvio_test: the CSV reader and writer.  Most of it is a differential
 * test of the reader's two paths: lines that start a record and hold no
 * quote are split in csvio itself unless csvio_set_fast(r, false) sends
 * every line through libcsv, and the two must give the same records.
 * Thousands of CSV files from a fixed-seed generator (delimiters, blanks,
 * tabs, ';', multi-byte UTF-8, quoted fields with doubled quotes and
 * embedded line ends, quotes in odd places, empty fields, trailing
 * delimiters, blank lines, LF, CRLF and CR-only files, a missing final
 * line end, a file ending inside quotes) are read through both paths from
 * fmemopen buffers, and every return code, line number, field count and
 * field byte must agree.  A second run mixes LF, CRLF and lone CR line
 * ends anywhere: inside quotes, at record ends, and stray in unquoted
 * fields, where they end the record.  Then direct tests: line ends,
 * blank-separated records, the bad row of a file ending inside quotes, and
 * csvio_put_field()'s quoting.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvio.h"
#include "rdbuf.h"
#include "tap.h"

/*
 * Files per differential run.  Under AddressSanitizer every reader's
 * 512 KiB buffer is a fresh mapping, so the sanitizer build reads fewer.
 */
#if defined(__SANITIZE_ADDRESS__)
#define NFILES 1500
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NFILES 1500
#endif
#endif
#ifndef NFILES
#define NFILES 10000
#endif

/* splitmix64: a fixed sequence, the same on every run and machine. */
static uint64_t seed = 20240601;

static uint32_t
pick(uint32_t n)
{
	uint64_t z = (seed += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	return (uint32_t)(z % n);
}

/* Append the len bytes at s to out, control bytes and '\\' as \\xHH. */
static void
escaped(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '\\')
			buf_addf(out, "\\x%02x", c);
		else
			buf_addc(out, (char)c);
	}
}

/* The reader's status as the transcripts write it. */
static const char *
status_name(enum rec_status rc)
{
	return rc == REC_ROW ? "row"
	    : rc == REC_END  ? "end"
	    : rc == REC_BAD  ? "bad"
	                     : "fail";
}

/*
 * Read all of the len bytes at text with delimiter delim, fast path on or
 * off, into a transcript: one line per csvio_read() call with its result,
 * the record's first line, and each field as [length:bytes] (for a bad row the
 * line only); then the blank lines counted.  Returns the last result.
 */
static int
transcript(const char *text, size_t len, int delim, bool fast, struct buf *out)
{
	struct ci_err   e = { 0 };
	FILE           *fp = fmemopen((void *)text, len, "rb");
	struct rdbuf   *in = rdbuf_open_stream(fp, "gen.csv", NULL, &e);
	struct csvio   *r = csvio_new(in, delim);
	size_t          i, calls = 0;
	enum rec_status rc;

	buf_reset(out);
	csvio_set_fast(r, fast);
	do {
		rc = csvio_read(r, &e);
		buf_addf(out, "rc=%s", status_name(rc));
		if (rc == REC_BAD) {
			/* The fields of a broken record are unspecified. */
			buf_addf(out, " line=%lu", csvio_line(r));
		} else if (rc == REC_ROW) {
			buf_addf(out, " line=%lu n=%zu", csvio_line(r),
			    csvio_nfields(r));
			for (i = 0; i < csvio_nfields(r); i++) {
				buf_addf(out, " [%zu:", csvio_lens(r)[i]);
				escaped(
				    out, csvio_fields(r)[i], csvio_lens(r)[i]);
				buf_addc(out, ']');
				if (csvio_fields(r)[i][csvio_lens(r)[i]] !=
				    '\0')
					buf_addstr(out, "(not terminated)");
			}
		} else if (rc == REC_FAIL) {
			buf_addf(out, " %s", e.msg);
		}
		buf_addc(out, '\n');
	} while ((rc == REC_ROW || rc == REC_BAD) && ++calls < 10000);
	buf_addf(out, "blank=%lu\n", csvio_blank_lines(r));
	csvio_free(r);
	rdbuf_free(in);
	fclose(fp);
	return rc;
}

/* Print text as diagnostics, one "#" line per line. */
static void
diag_block(const char *title, const char *text)
{
	const char *nl;

	diag("  %s:", title);
	while (*text != '\0') {
		if ((nl = strchr(text, '\n')) == NULL)
			nl = text + strlen(text);
		diag("    %.*s", (int)(nl - text), text);
		text = *nl != '\0' ? nl + 1 : nl;
	}
}

/* What the generated files held, so that the test can show it tried. */
struct coverage {
	unsigned long quoted_eol;  /* line ends inside quotes */
	unsigned long stray_eol;   /* line ends inside unquoted fields */
	unsigned long doubled;     /* "" inside quotes */
	unsigned long open_at_end; /* files ending inside quotes */
	unsigned long bad_rows;    /* files read with a bad row */
	unsigned long cr_files;    /* CR-only line ends */
	unsigned long crlf_files;
	unsigned long no_final_eol;
	unsigned long blank_lines;
	unsigned long records;
	unsigned long fast_lines; /* records with no quote at all */
};

static const char *const atoms[] = { "a", "b", "Z", "q", " ", "  ", "\t", ";",
	",", "|", "张", "é", "😀", "x y", "0", "-1.5", "a b", "ü" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

/* Append up to max atoms. */
static void
add_atoms(struct buf *b, unsigned max)
{
	unsigned n = pick(max + 1);

	while (n-- > 0)
		buf_addstr(b, atoms[pick(NATOMS)]);
}

static const char *const eols[] = { "\n", "\r\n", "\r" };

/*
 * One field.  With mixed set, line ends inside quotes are any of eols
 * whatever the file's own, and some unquoted fields hold one too;
 * otherwise every line end in the file is eol.
 */
static void
gen_field(struct buf *b, char delim, const char *eol, bool mixed,
    struct coverage *cov)
{
	unsigned k = pick(12), n;

	switch (k) {
	case 0:
		break; /* empty */
	case 1:
	case 2:
	case 3:
	case 4:
		add_atoms(b, 5);
		break;
	case 5:
	case 6:
	case 7:
		buf_addc(b, '"');
		for (n = pick(6); n > 0; n--) {
			switch (pick(6)) {
			case 0:
				buf_addstr(b, "\"\"");
				cov->doubled++;
				break;
			case 1:
				buf_addstr(b, mixed ? eols[pick(3)] : eol);
				cov->quoted_eol++;
				break;
			case 2:
				buf_addc(b, delim);
				break;
			default:
				add_atoms(b, 3);
			}
		}
		buf_addc(b, '"');
		break;
	case 8: /* quotes where RFC 4180 does not put them */
		switch (pick(6)) {
		case 0:
			buf_addstr(b, "ab\"c");
			break;
		case 1:
			buf_addstr(b, "\"ab\"c");
			break;
		case 2:
			buf_addstr(b, " \"a\"");
			break;
		case 3:
			buf_addstr(b, "\"a\"\"\"");
			break;
		case 4:
			buf_addstr(b, "\"\"");
			break;
		default:
			buf_addstr(b, "\"\"\"\"");
		}
		break;
	case 9: /* long, sometimes quoted */
		n = pick(2);
		if (n)
			buf_addc(b, '"');
		for (k = 40 + pick(60); k > 0; k--)
			buf_addstr(b, atoms[pick(NATOMS)]);
		if (n)
			buf_addc(b, '"');
		break;
	default:
		buf_addstr(b, atoms[pick(NATOMS)]);
		if (mixed && pick(4) == 0) {
			buf_addstr(b, eols[pick(3)]);
			buf_addstr(b, atoms[pick(NATOMS)]);
			cov->stray_eol++;
		}
	}
}

/* A whole file: records, blank lines, and the chosen line ends. */
static int
gen_file(struct buf *b, bool mixed, struct coverage *cov)
{
	static const int delims[] = { ',', ',', ',', ';', '\t', '|' };
	int              delim = delims[pick(6)];
	unsigned         style = pick(6), nrec = 1 + pick(8), i, j, nf;
	const char      *eol = style == 0 ? "\r" : style <= 2 ? "\r\n" : "\n";
	size_t           start;

	cov->cr_files += style == 0;
	cov->crlf_files += style == 1 || style == 2;
	buf_reset(b);
	for (i = 0; i < nrec; i++) {
		if (pick(6) == 0) {
			static const char *const blanks[] = { "", " ", "\t",
				"  \t " };

			buf_addstr(b, blanks[pick(4)]);
			buf_addstr(b, eol);
			cov->blank_lines++;
		}
		start = b->len;
		nf = 1 + pick(6);
		for (j = 0; j < nf; j++) {
			if (j > 0)
				buf_addc(b, (char)delim);
			gen_field(b, (char)delim, eol, mixed, cov);
		}
		if (pick(8) == 0)
			buf_addc(b, (char)delim);
		if (i + 1 == nrec && pick(20) == 0) {
			buf_addc(b, (char)delim);
			buf_addstr(b, "\"never closed");
			if (pick(2))
				buf_addstr(b, eol);
			cov->open_at_end++;
		} else if (i + 1 < nrec || pick(3) != 0) {
			/* Mixed CRLF and LF in an LF file now and then. */
			if (mixed)
				buf_addstr(b, eols[pick(3)]);
			else if (style == 3 && pick(4) == 0)
				buf_addstr(b, "\r\n");
			else
				buf_addstr(b, eol);
		} else {
			cov->no_final_eol++;
		}
		cov->records++;
		if (memchr(b->data + start, '"', b->len - start) == NULL)
			cov->fast_lines++;
	}
	return delim;
}

/*
 * Generate n files and read each through both paths; returns the number
 * whose transcripts differ (the first one is shown).
 */
static long
differential(unsigned n, bool mixed, struct coverage *cov)
{
	struct buf file = { 0 }, fast = { 0 }, slow = { 0 }, show = { 0 };
	long       bad = 0;
	unsigned   i;
	int        delim, rf, rs;

	for (i = 0; i < n; i++) {
		delim = gen_file(&file, mixed, cov);
		rf = transcript(file.data, file.len, delim, true, &fast);
		rs = transcript(file.data, file.len, delim, false, &slow);
		cov->bad_rows += strstr(buf_str(&slow), "rc=bad") != NULL;
		if (rf == rs && fast.len == slow.len &&
		    memcmp(fast.data, slow.data, fast.len) == 0)
			continue;
		if (bad++ == 0) {
			buf_reset(&show);
			escaped(&show, file.data, file.len);
			diag("  file %u (delimiter %#x): %s", i, delim,
			    buf_str(&show));
			diag_block("fast path", buf_str(&fast));
			diag_block("libcsv", buf_str(&slow));
		}
	}
	buf_release(&file);
	buf_release(&fast);
	buf_release(&slow);
	buf_release(&show);
	return bad;
}

static void
test_differential(void)
{
	struct coverage cov = { 0 };

	is_int(differential(NFILES, false, &cov), 0,
	    "%d generated files, one line end throughout: both paths give "
	    "the same records",
	    NFILES);
	ok(cov.quoted_eol > NFILES && cov.doubled > NFILES / 2 &&
	        cov.bad_rows > NFILES / 40 && cov.cr_files > NFILES / 10 &&
	        cov.crlf_files > NFILES / 4 && cov.no_final_eol > NFILES / 4 &&
	        cov.blank_lines > NFILES / 2 && cov.fast_lines > NFILES / 2,
	    "the files covered every feature (%lu records, %lu quote-free, "
	    "%lu line ends in quotes, %lu files ending inside quotes)",
	    cov.records, cov.fast_lines, cov.quoted_eol, cov.bad_rows);

	memset(&cov, 0, sizeof(cov));
	is_int(differential(NFILES, true, &cov), 0,
	    "%d files with LF, CRLF and lone CR mixed, in quotes and out: "
	    "the same records",
	    NFILES);
	ok(cov.quoted_eol > NFILES && cov.stray_eol > NFILES / 2 &&
	        cov.fast_lines > NFILES / 2,
	    "the mixed files held line ends in quotes (%lu) and stray ones "
	    "(%lu)",
	    cov.quoted_eol, cov.stray_eol);
}

/*
 * The transcript of the len bytes at text, the same on both paths; when
 * they differ, the fast path's, "DIFFERS FROM LIBCSV:" and libcsv's.
 * both(NULL, ...) frees the text.
 */
static const char *
both(const char *text, size_t len, int delim)
{
	static struct buf fast, slow;

	if (text == NULL) {
		buf_release(&fast);
		buf_release(&slow);
		return NULL;
	}
	transcript(text, len, delim, true, &fast);
	transcript(text, len, delim, false, &slow);
	if (strcmp(buf_str(&fast), buf_str(&slow)) != 0) {
		buf_addstr(&fast, "DIFFERS FROM LIBCSV:\n");
		buf_addstr(&fast, buf_str(&slow));
	}
	return buf_str(&fast);
}

#define BOTH(lit, d) both(lit, sizeof(lit) - 1, d)

static void
test_cases(void)
{
	is_str(BOTH("a,b\n1,\"two\nlines\",3\n\n4,,\n", ','),
	    "rc=row line=1 n=2 [1:a] [1:b]\n"
	    "rc=row line=2 n=3 [1:1] [9:two\\x0alines] [1:3]\n"
	    "rc=row line=5 n=3 [1:4] [0:] [0:]\n"
	    "rc=end\nblank=1\n",
	    "records, an embedded LF, a blank line, trailing empty fields");
	is_str(BOTH("a,\"b\"\"c\",\"\"\r\n\"\"\"\"\r\n", ','),
	    "rc=row line=1 n=3 [1:a] [3:b\"c] [0:]\n"
	    "rc=row line=2 n=1 [1:\"]\n"
	    "rc=end\nblank=0\n",
	    "doubled quotes, an empty quoted field, CRLF");
	is_str(BOTH("x,\"y\r\nz\"\r\n", ','),
	    "rc=row line=1 n=2 [1:x] [4:y\\x0d\\x0az]\n"
	    "rc=end\nblank=0\n",
	    "a CRLF inside quotes is kept");
	is_str(BOTH("a;b\r1;2\r\r3;\"4\r5\"\r", ';'),
	    "rc=row line=1 n=2 [1:a] [1:b]\n"
	    "rc=row line=2 n=2 [1:1] [1:2]\n"
	    "rc=row line=4 n=2 [1:3] [3:4\\x0d5]\n"
	    "rc=end\nblank=1\n",
	    "a CR-only file with ';'");
	is_str(BOTH("h\na\rb,c\n", ','),
	    "rc=row line=1 n=1 [1:h]\n"
	    "rc=row line=2 n=1 [1:a]\n"
	    "rc=row line=3 n=2 [1:b] [1:c]\n"
	    "rc=end\nblank=0\n",
	    "a stray CR in an LF file ends the record, and the line");
	is_str(BOTH("1,x\ry\n2,\"q\"\rz\n", ','),
	    "rc=row line=1 n=2 [1:1] [1:x]\n"
	    "rc=row line=2 n=1 [1:y]\n"
	    "rc=row line=3 n=2 [1:2] [1:q]\n"
	    "rc=row line=4 n=1 [1:z]\n"
	    "rc=end\nblank=0\n",
	    "with a quote on the line or not");
	is_str(BOTH("a,b\r\r\n1,2\r\r\n", ','),
	    "rc=row line=1 n=2 [1:a] [1:b]\n"
	    "rc=row line=3 n=2 [1:1] [1:2]\n"
	    "rc=end\nblank=2\n",
	    "CR CR LF line ends: a record, then a blank line");
	is_str(BOTH("id,\"no\rte\"\r\n1,x\r\n2,y\r\n", ','),
	    "rc=row line=1 n=2 [2:id] [5:no\\x0dte]\n"
	    "rc=row line=3 n=2 [1:1] [1:x]\n"
	    "rc=row line=4 n=2 [1:2] [1:y]\n"
	    "rc=end\nblank=0\n",
	    "a CR quoted on the first line of a CRLF file is kept");
	is_str(BOTH("a\rb\nc\r", ','),
	    "rc=row line=1 n=1 [1:a]\n"
	    "rc=row line=2 n=1 [1:b]\n"
	    "rc=row line=3 n=1 [1:c]\n"
	    "rc=end\nblank=0\n",
	    "an LF in a file of CR line ends ends a record too");
	is_str(BOTH("a,b\n1,\"open\nmore", ','),
	    "rc=row line=1 n=2 [1:a] [1:b]\n"
	    "rc=bad line=2\n"
	    "rc=end\nblank=0\n",
	    "a file ending inside quotes: a bad row at its first line, then "
	    "the end");
	is_str(BOTH("\"", ','), "rc=bad line=1\nrc=end\nblank=0\n",
	    "a lone quote: a bad row");
	is_str(BOTH("\"ab\"\"", ','), "rc=bad line=1\nrc=end\nblank=0\n",
	    "a doubled quote at the end is still inside quotes: a bad row");
	is_str(BOTH("\"ab\"", ','),
	    "rc=row line=1 n=1 [2:ab]\nrc=end\nblank=0\n",
	    "a quote closed at the end without a line end: a record");
	is_str(BOTH("  \n\t\n", ','), "rc=end\nblank=2\n",
	    "lines of blanks are blank lines");
	is_str(BOTH("", ','), "rc=end\nblank=0\n", "empty input");
}

static void
test_blanks(void)
{
	static const char in[] = " 00004 0001\t19970101  2   29.33\r\n"
	                         "\t\n"
	                         "00021\t0002 \"x y\"\n"
	                         "   \n"
	                         "\r\n"
	                         "last";
	struct buf        t = { 0 };

	transcript(in, sizeof(in) - 1, CSVIO_BLANKS, true, &t);
	is_str(buf_str(&t),
	    "rc=row line=1 n=5 [5:00004] [4:0001] [8:19970101] [1:2] "
	    "[5:29.33]\n"
	    "rc=row line=3 n=4 [5:00021] [4:0002] [2:\"x] [2:y\"]\n"
	    "rc=row line=6 n=1 [4:last]\n"
	    "rc=end\nblank=3\n",
	    "blank-separated: runs of spaces and tabs, no quoting, leading "
	    "and trailing blanks ignored, blank lines counted");
	transcript("", 0, CSVIO_BLANKS, true, &t);
	is_str(
	    buf_str(&t), "rc=end\nblank=0\n", "blank-separated: empty input");
	buf_release(&t);
	csvio_free(NULL);
}

/*
 * csvio_put_field() of the len bytes at s, with or without sep, between
 * '<' and '>'; put(NULL, ...) frees the text.
 */
static const char *
put(const char *s, size_t len, bool sep)
{
	static struct buf b;

	if (s == NULL) {
		buf_release(&b);
		return NULL;
	}
	buf_reset(&b);
	buf_addstr(&b, "<");
	csvio_put_field(&b, sep, s, len);
	buf_addstr(&b, ">");
	return buf_str(&b);
}

#define PUT(lit, sep) put(lit, sizeof(lit) - 1, sep)

static void
test_put(void)
{
	static const char specials[] = { ',', '"', '\r', '\n' };
	static char       quotes[3000];
	struct buf        b = { 0 }, want = { 0 };
	char              field[16];
	size_t            i, at;
	int               bad = 0;

	is_str(PUT("abc", false), "<abc>", "a plain field as it is");
	is_str(PUT("abc", true), "<,abc>", "after a ','");
	is_str(PUT("", false), "<>", "an empty field is nothing");
	is_str(PUT("", true), "<,>", "an empty field after a ','");
	is_str(PUT("a,b", false), "<\"a,b\">", "a comma is quoted");
	is_str(PUT("say \"hi\"", true), "<,\"say \"\"hi\"\"\">",
	    "a quote is quoted and doubled");
	is_str(PUT("a\rb", false), "<\"a\rb\">", "a CR is quoted");
	is_str(PUT("a\nb", false), "<\"a\nb\">", "an LF is quoted");
	is_str(PUT("\"\"\"", false), "<\"\"\"\"\"\"\"\">",
	    "a field of three quotes: eight quotes");
	is_str(PUT("\"", true), "<,\"\"\"\">", "a field of one quote");
	is_str(PUT("a b\t!#$%&'()*+;张-", false), "<a b\t!#$%&'()*+;张->",
	    "bytes below '-' that need no quotes, tabs, UTF-8: unquoted");
	is_str(PUT("abcdefghijklmnop,", false), "<\"abcdefghijklmnop,\">",
	    "a comma after the first 16 bytes");
	is_str(PUT("a;b", false), "<a;b>", "';' is not the delimiter");

	/* Each special byte at offsets 0 to 15 of a 16-byte field. */
	for (i = 0; i < sizeof(specials); i++)
		for (at = 0; at < 16; at++) {
			memcpy(field, "ABCDEFGHIJKLMNOP", 16);
			field[at] = specials[i];
			buf_reset(&want);
			buf_addstr(&want, "<\"");
			buf_add(&want, field, at);
			if (specials[i] == '"')
				buf_addc(&want, '"');
			buf_addc(&want, specials[i]);
			buf_add(&want, field + at + 1, 15 - at);
			buf_addstr(&want, "\">");
			if (strcmp(put(field, 16, false), buf_str(&want)) !=
			        0 &&
			    bad++ == 0)
				diag("  byte %#x at %zu: got '%s'", specials[i],
				    at, put(field, 16, false));
		}
	is_int(bad, 0,
	    "',', '\"', CR and LF at each of bytes 0-15 (7, 8 and "
	    "9 among them) are quoted");
	is_str(PUT("ABCDEFG,", false), "<\"ABCDEFG,\">",
	    "a comma at byte 7, the end of the first word");
	is_str(PUT("ABCDEFGH\"", false), "<\"ABCDEFGH\"\"\">",
	    "a quote at byte 8, the start of the second word");
	is_str(
	    PUT("ABCDEFGHI\n", false), "<\"ABCDEFGHI\n\">", "an LF at byte 9");

	/* A NUL below '-' needs no quotes and is kept. */
	buf_reset(&b);
	csvio_put_field(&b, false, "a\0b", 3);
	ok(b.len == 3 && memcmp(b.data, "a\0b", 4) == 0,
	    "a NUL byte is written as it is");

	/* Fields appended one after another into one buffer. */
	buf_reset(&b);
	csvio_put_field(&b, false, "id", 2);
	csvio_put_field(&b, true, "x,y", 3);
	csvio_put_field(&b, true, "", 0);
	csvio_put_field(&b, true, "\"", 1);
	csvio_put_field(&b, true, "z", 1);
	is_str(buf_str(&b), "id,\"x,y\",,\"\"\"\",z", "a row of five fields");
	is_int(b.len, 16, "its length");

	/* A long field of quotes needs twice its length plus three. */
	buf_reset(&b);
	buf_reset(&want);
	buf_addstr(&want, ",\"");
	for (i = 0; i < 3000; i++)
		buf_addstr(&want, "\"\"");
	buf_addc(&want, '"');
	memset(quotes, '"', sizeof(quotes));
	csvio_put_field(&b, true, quotes, sizeof(quotes));
	ok(b.len == 6003 && strcmp(buf_str(&b), buf_str(&want)) == 0,
	    "3000 quotes: 6003 bytes, the most a field can grow");
	buf_release(&b);
	buf_release(&want);
	put(NULL, 0, false);
}

int
main(void)
{
	plan(4 + 15 + 2 + 21);
	test_differential();
	test_cases();
	test_blanks();
	test_put();
	both(NULL, 0, 0);
	return done_testing();
}
