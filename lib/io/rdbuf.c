/*
 * rdbuf: buffered line input with raw-record retention.
 *
 * The buffer holds the bytes from the current mark to the end of what has
 * been read (converted to UTF-8 when an encoding is set); refilling slides
 * the marked record to the front, so a record's raw text is always one
 * contiguous run of the buffer and no copy is made in the common case.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdbuf.h"
#include "xalloc.h"

#define CHUNK (256 * 1024)
#define PEEK_MAX (64 * 1024) /* the most rdbuf_peek_text() looks at */

struct rdbuf {
	FILE         *fp;
	char         *name;
	char         *buf;
	uint64_t      base; /* input offset of buf[0] */
	size_t        cap;
	size_t        len;  /* bytes of buf holding data */
	size_t        pos;  /* next unread byte */
	size_t        mark; /* start of the current record */
	size_t        last; /* end of the last line, before its terminator */
	size_t        cr;   /* the next "\r", or len: see find_end() */
	unsigned long lineno;
	bool          eof;
	bool          started; /* byte order mark looked for */
	iconv_t       cd;      /* (iconv_t)-1 when the input is UTF-8 */
	bool          own_fp;  /* close fp at the end */
	bool          spooled; /* fp is a temporary copy of the input */
	int64_t       origin;  /* offset of the input's start in fp, or -1 */
	char         *raw;     /* unconverted input awaiting iconv */
	size_t        rawlen;
	size_t        rawcap;
	/*
	 * Converted input keeps its bytes as read, for rejected rows: org
	 * holds the input bytes of buf[0..len), and al the offsets in both
	 * where lines start, so that a record's bytes can be found.  Only
	 * for encodings where a line end is the byte "\n" (not UTF-16).
	 */
	bool   keep_org;
	char  *org;
	size_t olen;
	size_t ocap;
	struct align {
		size_t conv; /* offset in buf */
		size_t org;  /* offset in org */
	} * al;
	size_t nal;
	size_t capal;
};

/* Whether cd writes a line end as the one byte "\n" it reads. */
static bool
ascii_lines(iconv_t cd)
{
	char   in[1] = { '\n' }, out[8], *ip = in, *op = out;
	size_t il = 1, ol = sizeof(out);
	bool   yes;

	yes = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0 &&
	    op - out == 1 && out[0] == '\n';
	iconv(cd, NULL, NULL, NULL, NULL);
	return yes;
}

struct rdbuf *
rdbuf_open_stream(
    FILE *fp, const char *name, const char *encoding, struct ci_err *e)
{
	struct rdbuf *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = xstrdup(name);
	r->origin = (int64_t)ftello(fp);
	r->cap = 2 * CHUNK;
	r->buf = xmalloc(r->cap);
	r->cd = (iconv_t)-1;
	if (encoding != NULL) {
		r->cd = iconv_open("UTF-8", encoding);
		if (r->cd == (iconv_t)-1) {
			ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "unknown encoding '%s'", encoding);
			rdbuf_free(r);
			return NULL;
		}
		r->rawcap = CHUNK;
		r->raw = xmalloc(r->rawcap);
		r->keep_org = ascii_lines(r->cd);
	}
	return r;
}

struct rdbuf *
rdbuf_open(const char *path, const char *encoding, struct ci_err *e)
{
	struct rdbuf *r;
	FILE         *fp;

	if (path == NULL || strcmp(path, "-") == 0)
		return rdbuf_open_stream(stdin, "stdin", encoding, e);
	if ((fp = fopen(path, "rb")) == NULL) {
		ci_err_set(
		    e, CI_EXIT_IO, path, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if ((r = rdbuf_open_stream(fp, path, encoding, e)) == NULL) {
		fclose(fp);
		return NULL;
	}
	r->own_fp = true;
	return r;
}

struct rdbuf *
rdbuf_open_at(
    const char *path, uint64_t off, unsigned long lineno, struct ci_err *e)
{
	struct rdbuf *r = rdbuf_open(path, NULL, e);

	if (r == NULL)
		return NULL;
	if (off > INT64_MAX || fseeko(r->fp, (off_t)off, SEEK_SET) != 0) {
		ci_err_set(
		    e, CI_EXIT_IO, path, 0, "cannot seek: %s", strerror(errno));
		rdbuf_free(r);
		return NULL;
	}
	r->base = off;
	r->lineno = lineno;
	r->started = true;
	return r;
}

bool
rdbuf_offsets(const struct rdbuf *r, uint64_t *mark, uint64_t *next)
{
	*mark = r->base + r->mark;
	*next = r->base + r->pos;
	return r->own_fp && !r->spooled && r->cd == (iconv_t)-1;
}

static int  start(struct rdbuf *r, struct ci_err *e);
static long fill(struct rdbuf *r, struct ci_err *e);

/* Back to the state of a reader just opened at fp's current offset. */
static void
reset(struct rdbuf *r)
{
	r->base = r->origin >= 0 ? (uint64_t)r->origin : 0;
	r->len = r->pos = r->mark = r->last = r->cr = 0;
	r->lineno = 0;
	r->eof = false;
	r->started = false;
	r->rawlen = 0;
	r->olen = r->nal = 0;
	if (r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
}

/*
 * Copy what is left of the input, converted, to a temporary file and read
 * that from its start instead: the input becomes one that can be read
 * again.  Called before any line is read.
 */
static int
spool(struct rdbuf *r, struct ci_err *e)
{
	FILE  *tmp = tmpfile();
	size_t n;

	if (tmp == NULL)
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot create a temporary file: %s", strerror(errno));
	if (!r->started && start(r, e) < 0)
		goto fail;
	for (;;) {
		n = r->len - r->mark;
		if (n > 0 && fwrite(r->buf + r->mark, 1, n, tmp) != n) {
			ci_err_set(e, CI_EXIT_IO, NULL, 0,
			    "cannot write a temporary file: %s",
			    strerror(errno));
			goto fail;
		}
		r->mark = r->pos = r->last = r->len;
		if (r->eof)
			break;
		if (fill(r, e) < 0)
			goto fail;
	}
	if (fflush(tmp) != 0 || fseeko(tmp, 0, SEEK_SET) != 0) {
		ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot write a temporary file: %s", strerror(errno));
		goto fail;
	}
	if (r->own_fp)
		fclose(r->fp);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	r->cd = (iconv_t)-1;
	r->keep_org = false; /* the copy is converted */
	r->fp = tmp;
	r->own_fp = r->spooled = true;
	r->origin = 0;
	reset(r);
	r->started = true; /* a byte order mark went with the first read */
	return 0;
fail:
	fclose(tmp);
	return -1;
}

int
rdbuf_rewind(struct rdbuf *r, struct ci_err *e)
{
	bool was_started = r->started;

	if (r->origin < 0)
		return spool(r, e);
	if (fseeko(r->fp, (off_t)r->origin, SEEK_SET) != 0)
		return ci_err_set(e, CI_EXIT_IO, r->name, 0, "cannot seek: %s",
		    strerror(errno));
	reset(r);
	r->started = r->spooled && was_started;
	return 0;
}

const char *
rdbuf_name(const struct rdbuf *r)
{
	return r->name;
}

/*
 * Convert the pending raw bytes into the buffer.  An invalid byte is copied
 * through unchanged, so that the UTF-8 check of the reader above names the
 * row instead of the conversion failing for the whole file; an incomplete
 * sequence at the end of the raw bytes waits for the next read, unless the
 * input has ended.
 */
/* Convert the inleft bytes at *in into the buffer, as convert() says. */
static void
convert_run(struct rdbuf *r, char **in, size_t *inleft)
{
	char  *out;
	size_t outleft;

	while (*inleft > 0) {
		if (r->cap - r->len < 4 * *inleft + 16)
			xgrow(&r->buf, &r->cap, r->len + 4 * *inleft + 16, 1);
		out = r->buf + r->len;
		outleft = r->cap - r->len;
		if (iconv(r->cd, in, inleft, &out, &outleft) != (size_t)-1) {
			r->len = (size_t)(out - r->buf);
			continue;
		}
		r->len = (size_t)(out - r->buf);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !r->eof)
			break;
		r->buf[r->len++] = *(*in)++; /* EILSEQ, or EINVAL at the end */
		(*inleft)--;
	}
}

/*
 * Convert the pending raw bytes into the buffer.  An invalid byte is copied
 * through unchanged, so that the UTF-8 check of the reader above names the
 * row instead of the conversion failing for the whole file; an incomplete
 * sequence at the end of the raw bytes waits for the next read, unless the
 * input has ended.  When the bytes as read are kept, whole lines are
 * converted one at a time, each start noted in both buffers.
 */
static void
convert(struct rdbuf *r)
{
	char  *in = r->raw, *end, *nl;
	size_t inleft = r->rawlen, n;

	if (!r->keep_org) {
		convert_run(r, &in, &inleft);
	} else {
		nl = memrchr(r->raw, '\n', r->rawlen);
		end = r->eof     ? r->raw + r->rawlen
		    : nl != NULL ? nl + 1
		                 : r->raw;
		while (in < end) {
			nl = memchr(in, '\n', (size_t)(end - in));
			n = nl != NULL ? (size_t)(nl + 1 - in)
			               : (size_t)(end - in);
			xgrow(&r->org, &r->ocap, r->olen + n, 1);
			memcpy(r->org + r->olen, in, n);
			r->olen += n;
			inleft = n;
			convert_run(r, &in, &inleft);
			xgrow(&r->al, &r->capal, r->nal + 1, sizeof(*r->al));
			r->al[r->nal].conv = r->len;
			r->al[r->nal].org = r->olen;
			r->nal++;
		}
		inleft = r->rawlen - (size_t)(in - r->raw);
	}
	memmove(r->raw, in, inleft);
	r->rawlen = inleft;
}

/* The offset in org of the line start at buf offset conv; -1 if none. */
static long
org_at(const struct rdbuf *r, size_t conv)
{
	size_t lo = 0, hi = r->nal;

	if (conv == 0)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->al[mid].conv < conv)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nal && r->al[lo].conv == conv ? (long)r->al[lo].org : -1;
}

/* Drop the first off bytes of buf from org and the line starts. */
static void
slide_org(struct rdbuf *r, size_t off)
{
	long   o = org_at(r, off);
	size_t i, k;

	if (o < 0) { /* not at a line start: the bytes as read are lost */
		r->keep_org = false;
		return;
	}
	memmove(r->org, r->org + o, r->olen - (size_t)o);
	r->olen -= (size_t)o;
	for (i = k = 0; i < r->nal; i++)
		if (r->al[i].conv > off) {
			r->al[k].conv = r->al[i].conv - off;
			r->al[k].org = r->al[i].org - (size_t)o;
			k++;
		}
	r->nal = k;
}

/* Fail for a record longer than RDBUF_MAX_RECORD, at the line being read. */
static int
too_long(const struct rdbuf *r, struct ci_err *e)
{
	return ci_err_set(e, CI_EXIT_DATA, r->name, r->lineno + 1,
	    "record longer than %lu MiB (unbalanced quote?)",
	    RDBUF_MAX_RECORD >> 20);
}

/*
 * Read more input, keeping the bytes from the mark on.  Returns the number
 * of new bytes (0 at end of input) or -1 with *e filled.
 */
static long
fill(struct rdbuf *r, struct ci_err *e)
{
	size_t keep, before, n;

	if (r->mark > 0) {
		if (r->keep_org)
			slide_org(r, r->mark);
		keep = r->len - r->mark;
		memmove(r->buf, r->buf + r->mark, keep);
		r->base += r->mark;
		r->pos -= r->mark;
		r->last -= r->mark;
		r->cr = r->cr > r->mark ? r->cr - r->mark : 0;
		r->len = keep;
		r->mark = 0;
	}
	/*
	 * A bound on memory: the record is at least this long, less a last
	 * "\r" that may start a "\r\n".  rdbuf_line() checks the exact length.
	 */
	if (r->len > RDBUF_MAX_RECORD + 1)
		return too_long(r, e);
	if (r->eof)
		return 0;
	before = r->len;
	if (r->cd == (iconv_t)-1) {
		if (r->cap - r->len < CHUNK)
			xgrow(&r->buf, &r->cap, r->len + CHUNK, 1);
		n = fread(r->buf + r->len, 1, r->cap - r->len, r->fp);
		r->len += n;
	} else {
		n = fread(r->raw + r->rawlen, 1, r->rawcap - r->rawlen, r->fp);
		r->rawlen += n;
	}
	if (n == 0 || feof(r->fp)) {
		if (ferror(r->fp)) {
			ci_err_set(e, CI_EXIT_IO, r->name, 0, "read error: %s",
			    strerror(errno));
			return -1;
		}
		r->eof = true;
	}
	if (r->cd != (iconv_t)-1)
		convert(r);
	return (long)(r->len - before);
}

/*
 * Look at the start of the input once: drop a UTF-8 byte order mark, and
 * switch to iconv for a UTF-16 one.
 */
static int
start(struct rdbuf *r, struct ci_err *e)
{
	const unsigned char *u;

	r->started = true;
	while (r->len < 4 && !r->eof)
		if (fill(r, e) < 0)
			return -1;
	u = (const unsigned char *)r->buf;
	if (r->cd == (iconv_t)-1 && r->len >= 2 &&
	    ((u[0] == 0xFF && u[1] == 0xFE) ||
	        (u[0] == 0xFE && u[1] == 0xFF))) {
		r->cd =
		    iconv_open("UTF-8", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
		if (r->cd == (iconv_t)-1)
			return ci_err_set(e, CI_EXIT_IO, r->name, 0,
			    "cannot convert UTF-16 input");
		r->rawcap = r->len > CHUNK ? r->len : CHUNK;
		r->raw = xmalloc(r->rawcap);
		memcpy(r->raw, r->buf + 2, r->len - 2);
		r->rawlen = r->len - 2;
		r->len = 0;
		convert(r);
	}
	if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = r->mark = r->last = 3;
	return 0;
}

int
rdbuf_peek(struct rdbuf *r, int nth, struct ci_err *e)
{
	size_t i;

	if (!r->started && start(r, e) < 0)
		return -2;
	i = r->pos; /* past the byte order mark */
	for (;;) {
		for (; i < r->len; i++) {
			unsigned char c = (unsigned char)r->buf[i];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
			    nth-- == 0)
				return c;
		}
		if (r->eof)
			return -1;
		i -= r->mark; /* fill() slides the buffer by the mark */
		if (fill(r, e) < 0)
			return -2;
	}
}

int
rdbuf_peek_text(struct rdbuf *r, size_t lines, const char **text, size_t *len,
    struct ci_err *e)
{
	size_t i, seen = 0;

	if (!r->started && start(r, e) < 0)
		return -1;
	for (i = r->pos;;) {
		for (; i < r->len && seen < lines; i++)
			seen += r->buf[i] == '\n';
		if (seen >= lines || r->eof || r->len - r->pos >= PEEK_MAX)
			break;
		i -= r->mark; /* fill() slides the buffer by the mark */
		if (fill(r, e) < 0)
			return -1;
	}
	*text = r->buf + r->pos;
	*len = i - r->pos;
	return 0;
}

void
rdbuf_mark(struct rdbuf *r)
{
	r->mark = r->pos;
	r->last = r->pos;
}

/*
 * The first "\n" or "\r" of buf[from..len), or NULL.  Files with no "\r"
 * are the common case, so the next "\r" is searched for once and kept in
 * r->cr (len when there is none) and "\n" is then searched for only up to
 * it.  Nothing between from and r->cr is a "\r": the lines are read in
 * order, and r->cr is searched for again once passed, or when it was len
 * and the buffer has grown since.
 */
static char *
find_end(struct rdbuf *r, size_t from)
{
	char *p;

	if (r->cr < from)
		r->cr = from;
	if (r->cr < r->len && r->buf[r->cr] != '\r') {
		p = memchr(r->buf + r->cr, '\r', r->len - r->cr);
		r->cr = p != NULL ? (size_t)(p - r->buf) : r->len;
	}
	p = memchr(r->buf + from, '\n', r->cr - from);
	if (p == NULL && r->cr < r->len)
		p = r->buf + r->cr;
	return p;
}

int
rdbuf_line(struct rdbuf *r, const char **line, size_t *len, size_t *term,
    struct ci_err *e)
{
	size_t scan, shift;
	char  *end;

	if (!r->started && start(r, e) < 0)
		return -1;
	scan = r->pos;
	for (;;) {
		end = find_end(r, scan);
		/* A "\r" that ends the buffer may be the start of a "\r\n". */
		if (end != NULL && (*end == '\n' || end + 1 < r->buf + r->len))
			break;
		if (r->eof)
			break;
		scan = end != NULL ? (size_t)(end - r->buf) : r->len;
		shift = r->mark; /* fill() slides the buffer by the mark */
		if (fill(r, e) < 0)
			return -1;
		scan -= shift;
	}
	if (end == NULL && r->pos == r->len)
		return 0;
	*line = r->buf + r->pos;
	if (end != NULL) {
		*len = (size_t)(end - *line);
		*term = 1;
		if (*end == '\r' && end + 1 < r->buf + r->len && end[1] == '\n')
			(*term)++;
	} else {
		*len = r->len - r->pos;
		*term = 0;
	}
	r->pos += *len + *term;
	r->last = (size_t)(*line - r->buf) + *len;
	if (r->last - r->mark > RDBUF_MAX_RECORD)
		return too_long(r, e);
	r->lineno++;
	return 1;
}

unsigned long
rdbuf_lineno(const struct rdbuf *r)
{
	return r->lineno;
}

const char *
rdbuf_raw(const struct rdbuf *r, size_t *len)
{
	*len = r->last - r->mark;
	return r->buf + r->mark;
}

const char *
rdbuf_raw_read(const struct rdbuf *r, size_t *len)
{
	long   from, to;
	size_t i;

	if (!r->keep_org || (from = org_at(r, r->mark)) < 0)
		return rdbuf_raw(r, len);
	/* The record ends before the terminator of its last line, whose
	 * bytes are the same as read and converted. */
	for (i = 0; i < r->nal && r->al[i].conv <= r->last; i++)
		;
	to = i < r->nal ? (long)(r->al[i].org - (r->al[i].conv - r->last))
	                : (long)(r->olen - (r->len - r->last));
	if (to < from)
		return rdbuf_raw(r, len);
	*len = (size_t)(to - from);
	return r->org + from;
}

void
rdbuf_free(struct rdbuf *r)
{
	if (r == NULL)
		return;
	if (r->own_fp)
		fclose(r->fp);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->raw);
	free(r->org);
	free(r->al);
	free(r->buf);
	free(r->name);
	free(r);
}
