/*
 * parread_test: reading a file in parts on several threads gives exactly
 * the outcome of one pass: the same rows taken, in the same order, with
 * the same line numbers; the same rows rejected, with the same reasons and
 * line numbers, in the same order; the same row count, result and error.
 * Every input is read once with one thread and then with 2 to 8 threads
 * and parts of a few bytes, so that the cuts fall everywhere: between
 * records, in blank lines, inside quoted fields that hold line breaks,
 * before bad and refused rows.  A seeded generator adds a few hundred
 * files mixing all of these.  Inputs that are not regular files (a pipe, a
 * FIFO) and converted inputs must be read in one pass.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "parread.h"
#include "rdbuf.h"
#include "recin.h"
#include "rejects.h"
#include "rng.h"
#include "tap.h"
#include "xalloc.h"

static char tmpdir[] = "/tmp/parread_test.XXXXXX";

/* What the reader did with the contexts: counted on the calling thread. */
struct stats {
	unsigned forks;
	unsigned joins;
	unsigned drops;
};

/*
 * A reading context: the rows taken, as "|f1|f2|...\n" each in text, with
 * the line of each and where its text ends.
 */
struct taken {
	struct buf     text;
	unsigned long *line;
	size_t        *end;
	size_t         n;
	size_t         cap;
	struct stats  *st;
};

static void
add_taken(struct taken *t, unsigned long line, size_t end)
{
	size_t cap = t->cap;

	xgrow(&t->line, &cap, t->n + 1, sizeof(*t->line));
	cap = t->cap;
	xgrow(&t->end, &cap, t->n + 1, sizeof(*t->end));
	t->cap = cap;
	t->line[t->n] = line;
	t->end[t->n++] = end;
}

static void
free_taken(struct taken *t)
{
	buf_release(&t->text);
	free(t->line);
	free(t->end);
}

/* Take a row, or refuse it (leaving t as it was) when a field is "BAD". */
static enum rec_status
take(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct taken *t = ctx;
	size_t        i;

	for (i = 0; i < rec->n; i++)
		if (rec->len[i] == 3 && memcmp(rec->f[i], "BAD", 3) == 0) {
			ci_err_set(e, CI_EXIT_DATA, file, rec->line,
			    "refused: field %zu is 'BAD'", i + 1);
			return REC_BAD;
		}
	for (i = 0; i < rec->n; i++) {
		buf_addc(&t->text, '|');
		buf_add(&t->text, rec->f[i], rec->len[i]);
	}
	buf_addc(&t->text, '\n');
	add_taken(t, rec->line, t->text.len);
	return REC_ROW;
}

static void *
fork_taken(void *ctx)
{
	struct taken *t = ctx, *part = xcalloc(1, sizeof(*part));

	part->st = t->st;
	t->st->forks++;
	return part;
}

/* Join the part's rows, renumbered after the lines before the part. */
static void
join_taken(void *ctx, void *part, unsigned long lines)
{
	struct taken *t = ctx, *p = part;
	size_t        k, base = t->text.len;

	t->st->joins++;
	buf_add(&t->text, buf_str(&p->text), p->text.len);
	for (k = 0; k < p->n; k++)
		add_taken(t, p->line[k] + lines, base + p->end[k]);
	free_taken(p);
	free(p);
}

static void
drop_taken(void *part)
{
	struct taken *p = part;

	p->st->drops++;
	free_taken(p);
	free(p);
}

/* Everything a reading gives. */
struct outcome {
	struct buf    rows;    /* taken, as take() writes them */
	struct buf    rejects; /* the rejects file */
	uint64_t      nrows;
	int           rc; /* of parread_input(); -9: recin_open() failed */
	struct ci_err err;
	struct stats  st;
};

static void
outcome_release(struct outcome *o)
{
	buf_release(&o->rows);
	buf_release(&o->rejects);
}

/* Write len bytes to a new file named name in tmpdir; return its path. */
static const char *
put(const char *name, const char *bytes, size_t len)
{
	static char path[256];
	FILE       *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path); /* not truncated: ext4 would flush it to disk */
	fp = fopen(path, "wb");
	if (fp == NULL || fwrite(bytes, 1, len, fp) != len || fclose(fp) != 0)
		abort();
	return path;
}

static void
slurp(const char *path, struct buf *out)
{
	char   chunk[4096];
	size_t n;
	FILE  *fp = fopen(path, "rb");

	buf_reset(out);
	if (fp == NULL)
		abort();
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	fclose(fp);
}

/*
 * Read path (or fp, named path, when not NULL) with opts ro on threads
 * threads with parts of min_part bytes at least, into *out.
 */
static void
run_stream(const char *path, FILE *fp, const struct recin_opts *ro,
    unsigned threads, uint64_t min_part, struct outcome *out)
{
	const struct parread_opts   o = { threads, min_part };
	struct taken                t = { .st = &out->st };
	size_t                      k;
	const struct parread_reader rd = { .row = take,
		.ctx = &t,
		.fork = fork_taken,
		.join = join_taken,
		.drop = drop_taken };
	struct ci_err               e = { 0 };
	char                        rjpath[256];
	struct rejects             *rj;
	struct recin               *r;

	memset(out, 0, sizeof(*out));
	snprintf(rjpath, sizeof(rjpath), "%s/rejects", tmpdir);
	unlink(rjpath);
	if ((rj = rejects_open(rjpath, NULL, &e)) == NULL)
		abort();
	r = fp != NULL ? recin_open_stream(fp, path, ro, &out->err)
	               : recin_open(path, ro, &out->err);
	out->rc = r == NULL
	    ? -9
	    : parread_input(r, &rd, &o, rj, NULL, &out->nrows, &out->err);
	recin_free(r);
	if (rejects_close(rj, &e) != 0)
		abort();
	slurp(rjpath, &out->rejects);
	for (k = 0; k < t.n; k++) {
		size_t from = k > 0 ? t.end[k - 1] : 0;

		buf_addf(&out->rows, "%lu", t.line[k]);
		buf_add(&out->rows, t.text.data + from, t.end[k] - from);
	}
	free_taken(&t);
}

static void
run(const char *path, const struct recin_opts *ro, unsigned threads,
    uint64_t min_part, struct outcome *out)
{
	run_stream(path, NULL, ro, threads, min_part, out);
}

/* Say where the texts a and b first differ. */
static void
show_diff(const char *what, const struct buf *a, const struct buf *b)
{
	size_t i = 0, line = 1, start = 0, n;

	n = a->len < b->len ? a->len : b->len;
	for (; i < n && a->data[i] == b->data[i]; i++)
		if (a->data[i] == '\n')
			line++, start = i + 1;
	diag("  %s differ at line %zu:", what, line);
	diag("    one pass: %.*s", (int)strcspn(buf_str(a) + start, "\n"),
	    buf_str(a) + start);
	diag("    in parts: %.*s", (int)strcspn(buf_str(b) + start, "\n"),
	    buf_str(b) + start);
}

static bool
starts_with(const struct buf *b, const char *s)
{
	return strncmp(buf_str(b), s, strlen(s)) == 0;
}

static bool
ends_with(const struct buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len >= n && memcmp(b->data + b->len - n, s, n) == 0;
}

static size_t
count_lines(const struct buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

static bool
same_buf(const struct buf *a, const struct buf *b)
{
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Whether got is want, saying how it is not (quietly when quiet). */
static bool
same(const struct outcome *want, const struct outcome *got, bool quiet)
{
	bool ok = true;

	if (!same_buf(&want->rows, &got->rows)) {
		if (!quiet)
			show_diff("rows taken", &want->rows, &got->rows);
		ok = false;
	}
	if (!same_buf(&want->rejects, &got->rejects)) {
		if (!quiet)
			show_diff("rejects", &want->rejects, &got->rejects);
		ok = false;
	}
	if (want->nrows != got->nrows || want->rc != got->rc) {
		if (!quiet)
			diag("  rows %llu rc %d, in parts rows %llu rc %d",
			    (unsigned long long)want->nrows, want->rc,
			    (unsigned long long)got->nrows, got->rc);
		ok = false;
	}
	if (want->rc != 0 &&
	    (want->err.code != got->err.code ||
	        want->err.line != got->err.line ||
	        strcmp(want->err.file, got->err.file) != 0 ||
	        strcmp(want->err.msg, got->err.msg) != 0)) {
		if (!quiet)
			diag("  error '%s:%lu: %s', in parts '%s:%lu: %s'",
			    want->err.file, want->err.line, want->err.msg,
			    got->err.file, got->err.line, got->err.msg);
		ok = false;
	}
	return ok;
}

static const unsigned threads_tried[] = { 2, 3, 4, 8 };
static const uint64_t min_parts_tried[] = { 1, 7, 64 };

#define NTHREADS (sizeof(threads_tried) / sizeof(threads_tried[0]))
#define NMIN (sizeof(min_parts_tried) / sizeof(min_parts_tried[0]))

/*
 * Read the len bytes at text, written to a file, in one pass and then in
 * parts with each count of threads and each part size: one test each.
 * Returns the sums of what the readings in parts did; *want gets the
 * outcome of one pass (released by the caller when want is not NULL).
 */
static struct stats
check(const char *name, const char *text, size_t len,
    const struct recin_opts *ro, struct outcome *want)
{
	struct outcome one, got;
	struct stats   sum = { 0, 0, 0 };
	const char    *path = put(name, text, len);
	size_t         i, j;

	run(path, ro, 1, 1, &one);
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < NMIN; j++) {
			run(path, ro, threads_tried[i], min_parts_tried[j],
			    &got);
			/* Every context forked is joined or dropped, once. */
			if (!ok(same(&one, &got, false) && one.st.forks == 0 &&
			            got.st.forks == got.st.joins + got.st.drops,
			        "%s: %u threads, parts of %llu bytes: as one "
			        "pass",
			        name, threads_tried[i],
			        (unsigned long long)min_parts_tried[j]))
				diag("  %u forks, %u joins, %u drops",
				    got.st.forks, got.st.joins, got.st.drops);
			sum.forks += got.st.forks;
			sum.joins += got.st.joins;
			sum.drops += got.st.drops;
			outcome_release(&got);
		}
	diag("%s: %u parts read on threads, %u joined, %u dropped", name,
	    sum.forks, sum.joins, sum.drops);
	if (want != NULL)
		*want = one;
	else
		outcome_release(&one);
	return sum;
}

#define CHECK(name, lit, ro, want) check(name, lit, sizeof(lit) - 1, ro, want)

static const struct recin_opts csv_opts = { 0 };

/* A header and n plain rows, lines ended by eol. */
static void
plain_rows(struct buf *b, int n, const char *eol)
{
	int i;

	buf_addf(b, "id,name,amount%s", eol);
	for (i = 1; i <= n; i++)
		buf_addf(
		    b, "%d,name %d,%d.%02d%s", i, i % 17, i * 3, i % 100, eol);
}

static void
test_line_ends(void)
{
	struct buf     b = { 0 };
	struct outcome one;
	struct stats   s;

	plain_rows(&b, 300, "\n");
	s = check("plain", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0 && s.drops == 0, "plain: %u parts, all joined", s.forks);
	is_int(one.nrows, 300, "plain: 300 rows");
	ok(starts_with(&one.rows, "2|1|name 1|3.01\n") &&
	        ends_with(&one.rows, "\n301|300|name 11|900.00\n"),
	    "plain: rows with their line numbers");
	outcome_release(&one);

	buf_reset(&b);
	plain_rows(&b, 300, "\r\n");
	s = check("crlf", b.data, b.len, &csv_opts, NULL);
	ok(s.joins > 0 && s.drops == 0, "crlf: %u parts, all joined", s.forks);

	/* Cuts come after a "\n": a file of "\r" lines is read in one pass. */
	buf_reset(&b);
	plain_rows(&b, 300, "\r");
	s = check("lone cr", b.data, b.len, &csv_opts, NULL);
	is_int(s.forks, 0, "lone cr: never cut");

	/* Stray CRs in a file of "\n" lines end lines too. */
	buf_reset(&b);
	plain_rows(&b, 100, "\n");
	buf_addstr(&b, "7,a\rb,1\n8,x,2\r\n9,y,3\n\r\n10,z,4\n");
	plain_rows(&b, 100, "\n");
	check("stray cr", b.data, b.len, &csv_opts, NULL);

	/* No line end after the last row. */
	buf_reset(&b);
	plain_rows(&b, 200, "\n");
	buf_addstr(&b, "999,last,1");
	s = check("no final newline", b.data, b.len, &csv_opts, &one);
	ok(ends_with(&one.rows, "\n202|999|last|1\n"),
	    "no final newline: the last row is taken");
	outcome_release(&one);
	buf_release(&b);
}

/*
 * "\r\n" and lone "\r" line ends, one of them across offset 65536: these
 * files have no blank lines and no quotes, so every part must be joined,
 * and its rows renumbered by the lines before it, as in one pass.
 */
static void
test_chunk_ends(void)
{
	static const char *const names[] = { "crlf across chunks",
		"cr across chunks" };
	static const char *const eols[] = { "\r\n", "\r\n", "\r", "\n" };
	struct buf               b = { 0 };
	struct outcome           one;
	struct stats             s;
	size_t                   k, pad;
	int                      i;

	for (k = 0; k < 2; k++) {
		/* CRLF; or lone CRs, with a "\n" every other line to cut at. */
		const char *const *eol = eols + 2 * k;

		buf_reset(&b);
		buf_addf(&b, "id,name%s", eol[0]);
		for (i = 1; b.len < 65000; i++)
			buf_addf(&b, "%d,row %d%s", i, i, eol[i % 2]);
		/* A row whose line end starts at offset 65535. */
		buf_addf(&b, "%d,", i);
		for (pad = 65535 - b.len; pad > 0; pad--)
			buf_addc(&b, 'y');
		buf_addstr(&b, eol[0]);
		if (b.len != 65535 + strlen(eol[0]))
			abort();
		for (i++; b.len < 200000; i++)
			buf_addf(&b, "%d,row %d%s", i, i, eol[i % 2]);
		s = check(names[k], b.data, b.len, &csv_opts, &one);
		is_int(one.nrows, i - 1, "%s: %d rows", names[k], i - 1);
		ok(s.joins > 0 && s.drops == 0, "%s: %u parts, all joined",
		    names[k], s.forks);
		outcome_release(&one);
	}
	buf_release(&b);
}

/*
 * Rows whose quoted field holds line breaks, some lines of which look
 * like rows of their own, so that a part starting inside one reads rows
 * that do not exist.
 */
static void
test_quoted_newlines(void)
{
	struct buf     b = { 0 };
	struct outcome one;
	struct stats   s;
	int            i, k;

	buf_addstr(&b, "id,note,amount\n");
	for (i = 1; i <= 400; i++) {
		buf_addf(&b, "%d,\"note %d", i, i);
		for (k = 0; k < i % 5; k++)
			buf_addf(&b, "\n%d,fake \"\"%d\"\",%d", 1000 + i, k, k);
		if (i % 7 == 0)
			buf_addstr(&b, "\n\n");
		if (i % 11 == 0)
			buf_addstr(&b, "\r\nBAD,x,y\r\n");
		buf_addf(&b, "\",%d\n", i);
	}
	s = check("quoted newlines", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0 && s.drops > 0,
	    "quoted newlines: parts both joined (%u) and dropped (%u)", s.joins,
	    s.drops);
	is_int(one.nrows, 400, "quoted newlines: 400 rows");
	is_int(one.rejects.len, 0,
	    "quoted newlines: no row made of the lines of a field");
	outcome_release(&one);

	/* One field holding thousands of lines spans many parts. */
	buf_reset(&b);
	plain_rows(&b, 50, "\n");
	buf_addstr(&b, "51,\"");
	for (i = 0; i < 3000; i++)
		buf_addf(&b, "%d,x,%d\n", i, i);
	buf_addstr(&b, "\",1\n");
	for (i = 52; i < 3000; i++)
		buf_addf(&b, "%d,after,%d\n", i, i);
	s = check("long quoted field", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0 && s.drops > 0,
	    "long quoted field: parts joined (%u) and dropped (%u)", s.joins,
	    s.drops);
	is_int(one.nrows, 2999, "long quoted field: 2999 rows");
	outcome_release(&one);
	buf_release(&b);
}

/* Runs of blank lines everywhere, so that cuts fall in them. */
static void
test_blank_lines(void)
{
	static const char *const blanks[] = { "\n", "\n\n\n", "  \t\n", "\r\n",
		"\r", "\n \n\n" };
	struct buf               b = { 0 };
	struct outcome           one;
	int                      i;

	buf_addstr(&b, "\n\nid,name,amount\n\n");
	for (i = 1; i <= 300; i++) {
		buf_addf(&b, "%d,n%d,%d\n", i, i, i);
		buf_addstr(&b, blanks[i % 6]);
		if (i % 40 == 0)
			for (int k = 0; k < 50; k++)
				buf_addc(&b, '\n');
	}
	buf_addstr(&b, "\n\n\n");
	check("blank lines", b.data, b.len, &csv_opts, &one);
	is_int(one.nrows, 300, "blank lines: 300 rows");
	ok(starts_with(&one.rows, "5|1|n1|1\n"),
	    "blank lines: counted in line numbers");
	outcome_release(&one);

	/* A file of blank lines but for its header and a row. */
	buf_reset(&b);
	buf_addstr(&b, "a,b\n");
	for (i = 0; i < 500; i++)
		buf_addstr(&b, i % 3 ? "\n" : " \r\n");
	buf_addstr(&b, "1,2\n");
	for (i = 0; i < 500; i++)
		buf_addc(&b, '\n');
	check("mostly blank", b.data, b.len, &csv_opts, NULL);
	buf_release(&b);
}

/* Bad rows and refused rows, in the first part and in later ones. */
static void
test_bad_rows(void)
{
	struct buf     b = { 0 };
	struct outcome one;
	struct stats   s;
	int            i;

	buf_addstr(&b, "id,name,amount\n");
	for (i = 1; i <= 400; i++) {
		switch (i % 23) {
		case 3:
			buf_addf(&b, "%d,too,many,fields\n", i);
			break;
		case 5:
			buf_addf(&b, "%d,few\n", i);
			break;
		case 8:
			buf_addf(&b, "%d,caf\xe9,1\n", i); /* Latin-1 */
			break;
		case 11:
			buf_addf(&b, "%d,BAD,2\n", i);
			break;
		case 13:
			buf_addf(&b, "%d,\"BAD\",\"multi\nline\"\n", i);
			break;
		case 17:
			buf_addstr(&b, "id,name,amount\n");
			break;
		case 19:
			buf_addf(&b, "%d,nul\\0,1\n", i);
			b.data[b.len - 5] = '\0';
			break;
		case 20:
			buf_addf(&b, "%d,trailing,1,,\n", i);
			break;
		default:
			buf_addf(&b, "%d,ok %d,%d\n", i, i, i);
		}
	}
	/* The last row runs to the end inside a quoted field. */
	buf_addstr(&b, "401,\"open,1\n402,x,2\n");
	s = check("bad rows", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0, "bad rows: parts joined (%u of %u)", s.joins, s.forks);
	ok(strstr(one.rejects.data,
	       "\"line\":316,\"reasons\":[\"expected 3 fields, found 4\"],"
	       "\"raw\":\"302,too,many,fields\"}\n") != NULL &&
	        strstr(one.rejects.data,
	            "\"line\":396,\"reasons\":[\"refused: field 2 is "
	            "'BAD'\"],\"raw\":\"379,BAD,2\"}\n") != NULL &&
	        ends_with(&one.rejects,
	            "\"line\":419,\"reasons\":[\"file ends inside a quoted "
	            "field\"],\"raw\":\"401,\\\"open,1\\n402,x,2\"}\n"),
	    "bad rows: rejected with their line numbers");
	is_int(count_lines(&one.rejects), 123, "bad rows: 123 rejected");
	is_int(one.nrows, 401, "bad rows: 401 rows");
	is_int(one.rc, 0, "bad rows: read to the end");
	outcome_release(&one);

	/* A part whose first row is bad, and one made only of bad rows. */
	buf_reset(&b);
	plain_rows(&b, 100, "\n");
	for (i = 0; i < 300; i++)
		buf_addstr(&b, i % 2 ? "x,BAD,1\n" : "bad\n");
	plain_rows(&b, 100, "\n");
	check("runs of bad rows", b.data, b.len, &csv_opts, NULL);
	buf_release(&b);
}

/*
 * A record over RDBUF_MAX_RECORD stops the reading, in parts as in one.
 * Its quoted field is a hole in a sparse file (NUL bytes), which costs no
 * writing.
 */
static void
test_too_long(void)
{
	struct buf     b = { 0 };
	struct outcome one;
	struct outcome got;
	const char    *path = put("too long", "", 0);
	FILE          *fp = fopen(path, "wb");
	int            i;

	plain_rows(&b, 2000, "\n");
	buf_addstr(&b, "1,\"");
	if (fp == NULL || fwrite(b.data, 1, b.len, fp) != b.len ||
	    fseeko(fp, RDBUF_MAX_RECORD + 8, SEEK_CUR) != 0)
		abort();
	buf_reset(&b);
	buf_addstr(&b, "\",1\n");
	for (i = 0; i < 100; i++)
		buf_addstr(&b, "2,after,1\n");
	if (fwrite(b.data, 1, b.len, fp) != b.len || fclose(fp) != 0)
		abort();
	run(path, &csv_opts, 1, 1, &one);
	ok(one.rc == 0 &&
	        strstr(buf_str(&one.rejects),
	            "{\"file\":\"/tmp/parread_test.") != NULL &&
	        ends_with(&one.rejects,
	            "\"line\":2002,\"reasons\":[\"record longer than 64 MiB "
	            "(unbalanced quote?)\"],\"rest_of_file\":true}\n"),
	    "too long: the rest of the file is rejected at the long record, "
	    "and reading goes on");
	is_int(one.nrows, 2001,
	    "too long: the rows before it are read, the rest counts as one");
	run(path, &csv_opts, 8, 1 << 10, &got);
	ok(same(&one, &got, false) && got.st.forks > 0,
	    "too long: 8 threads, parts of 1 KiB: as one pass");
	outcome_release(&one);
	outcome_release(&got);
	buf_release(&b);
	unlink(path);
}

static void
test_headers(void)
{
	const struct recin_opts nohdr = { .no_header = true };
	const struct recin_opts named = { .no_header = true,
		.columns = "x,y,z" };
	const struct recin_opts semi = { .delim = ';' };
	const struct recin_opts blanks = { .delim = REC_DELIM_BLANKS };
	struct buf              b = { 0 };
	struct outcome          one;
	struct stats            s;
	int                     i;

	buf_addstr(&b, "\xEF\xBB\xBF");
	plain_rows(&b, 200, "\r\n");
	s = check("bom", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0, "bom: parts joined (%u of %u)", s.joins, s.forks);
	ok(starts_with(&one.rows, "2|1|name 1|3.01\n"),
	    "bom: not part of the first column");
	outcome_release(&one);

	buf_reset(&b);
	for (i = 1; i <= 200; i++)
		buf_addf(&b, "%d,\"v\n%d\",%s\n", i, i, i % 9 ? "1" : "BAD");
	s = check("no header, columns", b.data, b.len, &named, &one);
	ok(s.joins > 0, "no header, columns: parts joined (%u of %u)", s.joins,
	    s.forks);
	ok(starts_with(&one.rows, "1|1|v\n1|1\n"),
	    "no header, columns: the first row is data");
	outcome_release(&one);
	check("no header", b.data, b.len, &nohdr, NULL);

	buf_reset(&b);
	for (i = 1; i <= 200; i++)
		buf_addf(&b, "%d;\"a;%d\";%d\n", i, i, i);
	check("semicolons", b.data, b.len, &semi, NULL);

	buf_reset(&b);
	buf_addstr(&b, "id   name  amount\n");
	for (i = 1; i <= 200; i++)
		buf_addf(&b, "%s%d \t n%d   %d\n%s", i % 3 ? "" : "  ", i, i, i,
		    i % 10 ? "" : "\n \n");
	check("blank-separated", b.data, b.len, &blanks, NULL);
	buf_release(&b);
}

static void
test_ndjson(void)
{
	struct buf     b = { 0 };
	struct outcome one;
	struct stats   s;
	int            i;

	for (i = 1; i <= 300; i++) {
		switch (i % 13) {
		case 2:
			buf_addstr(&b, "{\"id\": 1, \"name\": \"x\"\n");
			break;
		case 4:
			buf_addstr(&b, "[1, 2]\n");
			break;
		case 6:
			buf_addstr(&b, "{\"id\": 1, \"other\": 2}\n");
			break;
		case 8:
			buf_addstr(&b, "\n  \n");
			break;
		case 9:
			buf_addf(&b, "{\"id\": %d, \"name\": \"BAD\"}\n", i);
			break;
		case 10:
			buf_addf(&b, "{\"id\": %d,\r \"name\": null}\r\n", i);
			break;
		default:
			buf_addf(&b,
			    "{\"id\": %d, \"name\": \"n\\n%d\", \"tags\": "
			    "[%d, {\"a\": true}]}\n",
			    i, i, i);
		}
	}
	s = check("ndjson", b.data, b.len, &csv_opts, &one);
	ok(s.joins > 0, "ndjson: parts joined (%u of %u)", s.joins, s.forks);
	if (!ok(starts_with(&one.rows, "1|1|n\n1|[1,{\"a\":true}]|\n"),
	        "ndjson: nested values kept, a key only some objects have "
	        "is a column"))
		diag("  rows begin '%.60s'", buf_str(&one.rows));
	outcome_release(&one);
	buf_release(&b);
}

static void
test_small(void)
{
	struct stats s;

	s = CHECK("empty", "", &csv_opts, NULL);
	is_int(s.forks, 0, "empty: one pass");
	s = CHECK("blank", "\n\n  \n", &csv_opts, NULL);
	is_int(s.forks, 0, "blank: one pass");
	s = CHECK("header only", "id,name,amount\n", &csv_opts, NULL);
	is_int(s.forks, 0, "header only: one pass");
	CHECK("header only, no newline", "id,name", &csv_opts, NULL);
	CHECK("one row", "id,name\n1,2\n", &csv_opts, NULL);
	CHECK("two rows", "id,name\n1,2\n3,4", &csv_opts, NULL);
	CHECK("two rows, bad", "id,name\n1,2\n3,BAD\n", &csv_opts, NULL);
	/* Under 64 bytes after the header: one pass at that part size. */
	s = CHECK("under min_part", "id,name,amount\n1,a,2\n2,b,3\n3,c,4\n",
	    &csv_opts, NULL);
	ok(s.forks > 0, "under min_part: cut with parts of 1 or 7 bytes");
	{
		struct outcome got;
		const char    *path =
		    put("under", "id,n\n1,a\n2,b\n3,c\n4,d\n5,e\n", 25);

		run(path, &csv_opts, 8, 64, &got);
		ok(got.st.forks == 0 && got.nrows == 5,
		    "under min_part: 25 bytes, parts of 64: one pass");
		outcome_release(&got);
		run(path, &csv_opts, 8, 10, &got);
		is_int(got.st.forks, 1,
		    "20 bytes after the header, parts of 10: two parts");
		outcome_release(&got);
		run(path, &csv_opts, 8, 11, &got);
		is_int(got.st.forks, 0,
		    "20 bytes after the header, parts of 11: one pass");
		outcome_release(&got);
	}
}

/* Converted input has no offsets: it is read in one pass. */
static void
test_converted(void)
{
	const struct recin_opts latin1 = { .encoding = "ISO-8859-1" };
	struct buf              b = { 0 };
	struct stats            s;
	int                     i;

	buf_addstr(&b, "id,name\n");
	for (i = 0; i < 200; i++)
		buf_addf(&b, "%d,caf\xe9 %d\n", i, i);
	s = check("latin-1", b.data, b.len, &latin1, NULL);
	is_int(s.forks, 0, "latin-1: one pass");

	buf_reset(&b);
	buf_add(&b,
	    "\xFF\xFE"
	    "a\0,\0b\0\n\0",
	    10);
	for (i = 0; i < 200; i++) {
		char line[32];
		int  n = snprintf(line, sizeof(line), "%d,x\n", i);

		for (int k = 0; k < n; k++) {
			buf_addc(&b, line[k]);
			buf_addc(&b, '\0');
		}
	}
	s = check("utf-16", b.data, b.len, &csv_opts, NULL);
	is_int(s.forks, 0, "utf-16: one pass");
	buf_release(&b);
}

/* Bytes for a writer thread to put into a pipe. */
struct feed {
	int         fd;
	const char *data;
	size_t      len;
	const char *path; /* a FIFO to open, or NULL to use fd */
};

static void *
feed(void *arg)
{
	struct feed *f = arg;
	size_t       off = 0;
	ssize_t      n;
	int          fd = f->path != NULL ? open(f->path, O_WRONLY) : f->fd;

	while (fd >= 0 && off < f->len &&
	    (n = write(fd, f->data + off, f->len - off)) > 0)
		off += (size_t)n;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* A pipe, as stdin, and a FIFO named on the command line: one pass. */
static void
test_pipes(void)
{
	struct buf     b = { 0 };
	struct outcome one, got;
	struct feed    f;
	pthread_t      tid;
	char           data[256];
	const char    *path;
	FILE          *fp;
	int            fds[2];

	plain_rows(&b, 500, "\n");
	buf_addstr(&b, "1,\"q\nq\",1\nBAD,x,1\n2,x\n");
	plain_rows(&b, 500, "\r\n");
	path = put("piped", b.data, b.len);
	run(path, &csv_opts, 1, 1, &one);

	if (pipe(fds) != 0 || (fp = fdopen(fds[0], "rb")) == NULL)
		abort();
	f = (struct feed){ fds[1], b.data, b.len, NULL };
	pthread_create(&tid, NULL, feed, &f);
	run_stream(path, fp, &csv_opts, 8, 1, &got);
	pthread_join(tid, NULL);
	fclose(fp);
	ok(same(&one, &got, false) && got.st.forks == 0,
	    "pipe: read in one pass, as the file");
	outcome_release(&got);

	/* The same name, now a FIFO: a path, but not a regular file. */
	snprintf(data, sizeof(data), "%s/piped.data", tmpdir);
	if (rename(path, data) != 0 || mkfifo(path, 0600) != 0)
		abort();
	f = (struct feed){ -1, b.data, b.len, path };
	pthread_create(&tid, NULL, feed, &f);
	run(path, &csv_opts, 8, 1, &got);
	pthread_join(tid, NULL);
	ok(same(&one, &got, false) && got.st.forks == 0,
	    "fifo: read in one pass, as the file");
	outcome_release(&got);
	unlink(path);
	unlink(data);
	outcome_release(&one);
	buf_release(&b);
}

/* A field for a random row: plain, quoted, with line breaks, or "BAD". */
static void
random_field(struct rng *g, struct buf *b, const char *eol)
{
	uint64_t k = rng_below(g, 20), i, n;

	if (k < 10) {
		buf_addf(b, "v%llu", (unsigned long long)rng_below(g, 1000));
	} else if (k < 12) {
		/* empty */
	} else if (k < 15) {
		buf_addstr(b, "\"a, \"\"b\"\"\"");
	} else if (k < 19) {
		buf_addc(b, '"');
		n = 1 + rng_below(g, 4);
		for (i = 0; i < n; i++) {
			buf_addf(b, "%llu,x,y",
			    (unsigned long long)rng_below(g, 100));
			buf_addstr(b, rng_below(g, 3) ? eol : "\n\n");
		}
		buf_addc(b, '"');
	} else {
		buf_addstr(b, "BAD");
	}
}

/* A random CSV file mixing everything parread must get right. */
static void
random_csv(struct rng *g, struct buf *b)
{
	static const char *const eols[] = { "\n", "\r\n", "\r" };
	const char              *eol = eols[rng_below(g, 3)];
	uint64_t                 rows = 5 + rng_below(g, 200), i, j, k;

	buf_reset(b);
	if (rng_below(g, 8) == 0)
		buf_addstr(b, "\xEF\xBB\xBF");
	buf_addf(b, "a,b,c%s", eol);
	for (i = 0; i < rows; i++) {
		k = rng_below(g, 40);
		if (k < 4) {
			for (j = rng_below(g, 4); j < 4; j++)
				buf_addstr(b, rng_below(g, 4) ? eol : " \n");
			continue;
		}
		if (k == 4)
			buf_addf(b, "%llu,two%s", (unsigned long long)i, eol);
		else if (k == 5)
			buf_addf(
			    b, "%llu,caf\xe9,1%s", (unsigned long long)i, eol);
		else if (k == 6)
			buf_addf(b, "a,b,c%s", eol);
		else if (k == 7)
			buf_addf(b, "%llu,x,y,z%s", (unsigned long long)i, eol);
		else if (k == 8)
			buf_addf(b, "%llu,x,y\r%s", (unsigned long long)i, eol);
		else {
			buf_addf(b, "%llu,", (unsigned long long)i);
			random_field(g, b, eol);
			buf_addc(b, ',');
			random_field(g, b, eol);
			buf_addstr(b, eol);
		}
	}
	k = rng_below(g, 6);
	if (k == 0)
		buf_addstr(b, "9,\"open, to the end\nx,y,z");
	else if (k == 1 && b->len > 0)
		b->data[--b->len] = '\0'; /* no final line end */
}

static void
test_random(void)
{
	struct rng     g;
	struct buf     b = { 0 };
	struct outcome one, got;
	struct stats   sum = { 0, 0, 0 };
	const char    *path;
	unsigned       file, c, threads, bad = 0;
	uint64_t       min_part;
	bool           same_all;

	rng_init(&g, 20261101);
	for (file = 0; file < 250; file++) {
		random_csv(&g, &b);
		path = put("random", b.data, b.len);
		run(path, &csv_opts, 1, 1, &one);
		same_all = true;
		for (c = 0; c < 3; c++) {
			threads = 2 + (unsigned)rng_below(&g, 7);
			min_part =
			    c == 0 ? 1 : 1 + rng_below(&g, b.len / 4 + 1);
			run(path, &csv_opts, threads, min_part, &got);
			sum.forks += got.st.forks;
			sum.joins += got.st.joins;
			sum.drops += got.st.drops;
			if (!same(&one, &got, bad > 0)) {
				if (bad++ == 0)
					diag("  random file %u (%zu bytes), %u "
					     "threads, parts of %llu bytes",
					    file, b.len, threads,
					    (unsigned long long)min_part);
				same_all = false;
			}
			outcome_release(&got);
		}
		if (!same_all)
			put("random-failed", b.data, b.len);
		outcome_release(&one);
	}
	is_int(
	    bad, 0, "random: 250 files, 3 readings in parts each, as one pass");
	ok(sum.joins > 500 && sum.drops > 100 &&
	        sum.forks == sum.joins + sum.drops,
	    "random: %u parts joined and %u dropped", sum.joins, sum.drops);
	buf_release(&b);
}

/* Remove the inputs, or keep them to look at when a test failed. */
static void
clean_up(void)
{
	char           path[512];
	DIR           *d;
	struct dirent *de;

	if (tap_st.failed > 0) {
		diag("inputs kept in %s", tmpdir);
		return;
	}
	if ((d = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

int
main(void)
{
	plan(392);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_line_ends();
	test_chunk_ends();
	test_quoted_newlines();
	test_blank_lines();
	test_bad_rows();
	test_too_long();
	test_headers();
	test_ndjson();
	test_small();
	test_converted();
	test_pipes();
	test_random();
	clean_up();
	return done_testing();
}
