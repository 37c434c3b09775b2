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

struct rdbuf {
	FILE         *fp;
	char         *name;
	char         *buf;
	size_t        cap;
	size_t        len;  /* bytes of buf holding data */
	size_t        pos;  /* next unread byte */
	size_t        mark; /* start of the current record */
	size_t        last; /* end of the last line, before its terminator */
	unsigned long lineno;
	bool          eof;
	bool          started; /* BOM and line-ending style settled */
	char          term;    /* '\n', or '\r' for CR-only files */
	iconv_t       cd;      /* (iconv_t)-1 when the input is UTF-8 */
	bool          own_fp;  /* close fp at the end */
	char         *raw;     /* unconverted input awaiting iconv */
	size_t        rawlen;
	size_t        rawcap;
};

struct rdbuf *
rdbuf_open_stream(
    FILE *fp, const char *name, const char *encoding, struct ci_err *e)
{
	struct rdbuf *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = xstrdup(name);
	r->cap = 2 * CHUNK;
	r->buf = xmalloc(r->cap);
	r->term = '\n';
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
static void
convert(struct rdbuf *r)
{
	char  *in = r->raw, *out;
	size_t inleft = r->rawlen, outleft;

	while (inleft > 0) {
		if (r->cap - r->len < 4 * inleft + 16) {
			xgrow(&r->buf, &r->cap, r->len + 4 * inleft + 16, 1);
		}
		out = r->buf + r->len;
		outleft = r->cap - r->len;
		if (iconv(r->cd, &in, &inleft, &out, &outleft) != (size_t)-1) {
			r->len = (size_t)(out - r->buf);
			continue;
		}
		r->len = (size_t)(out - r->buf);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !r->eof)
			break;
		r->buf[r->len++] = *in++; /* EILSEQ, or EINVAL at the end */
		inleft--;
	}
	memmove(r->raw, in, inleft);
	r->rawlen = inleft;
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
		keep = r->len - r->mark;
		memmove(r->buf, r->buf + r->mark, keep);
		r->pos -= r->mark;
		r->last -= r->mark;
		r->len = keep;
		r->mark = 0;
	}
	if (r->len > RDBUF_MAX_RECORD) {
		ci_err_set(e, CI_EXIT_DATA, r->name, r->lineno + 1,
		    "record longer than %lu MiB (unbalanced quote?)",
		    RDBUF_MAX_RECORD >> 20);
		return -1;
	}
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
 * Look at the start of the input once: drop a UTF-8 byte order mark, switch
 * to iconv for a UTF-16 one, and see whether lines end in a lone "\r".
 */
static int
start(struct rdbuf *r, struct ci_err *e)
{
	const unsigned char *u;
	size_t               i;

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
	for (i = r->pos; i < r->len; i++) {
		if (r->buf[i] == '\n')
			break;
		if (r->buf[i] == '\r') {
			if (i + 1 < r->len && r->buf[i + 1] != '\n')
				r->term = '\r';
			break;
		}
	}
	return 0;
}

int
rdbuf_peek(struct rdbuf *r, struct ci_err *e)
{
	size_t i = r->pos;

	if (!r->started && start(r, e) < 0)
		return -2;
	for (;;) {
		for (; i < r->len; i++) {
			unsigned char c = (unsigned char)r->buf[i];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return c;
		}
		if (r->eof)
			return -1;
		i -= r->mark; /* fill() slides the buffer by the mark */
		if (fill(r, e) < 0)
			return -2;
	}
}

void
rdbuf_mark(struct rdbuf *r)
{
	r->mark = r->pos;
	r->last = r->pos;
}

int
rdbuf_line(struct rdbuf *r, const char **line, size_t *len, size_t *term,
    struct ci_err *e)
{
	size_t scan;
	char  *nl;

	if (!r->started && start(r, e) < 0)
		return -1;
	scan = r->pos;
	for (;;) {
		size_t shift;

		nl = memchr(r->buf + scan, r->term, r->len - scan);
		if (nl != NULL || r->eof)
			break;
		scan = r->len;
		shift = r->mark; /* fill() slides the buffer by the mark */
		if (fill(r, e) < 0)
			return -1;
		scan -= shift;
	}
	if (nl == NULL && r->pos == r->len)
		return 0;
	*line = r->buf + r->pos;
	*term = nl != NULL;
	if (nl != NULL) {
		*len = (size_t)(nl - *line);
		r->pos = (size_t)(nl - r->buf) + 1;
	} else {
		*len = r->len - r->pos;
		r->pos = r->len;
	}
	if (r->term == '\n' && *len > 0 && (*line)[*len - 1] == '\r') {
		(*len)--;
		(*term)++;
	}
	r->last = (size_t)(*line - r->buf) + *len;
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
	free(r->buf);
	free(r->name);
	free(r);
}
