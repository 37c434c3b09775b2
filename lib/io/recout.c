/*
 * recout: the record writer.  It builds rows in one buffer and writes it in
 * blocks of about 256 KiB, so there is no stdio call per field or per row.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "csvio.h"
#include "jsonw.h"
#include "numfmt.h"
#include "recout.h"
#include "xalloc.h"

#define OUT_BLOCK (256 * 1024)

struct recout {
	FILE        *fp;
	char        *name;
	enum rec_fmt fmt;
	size_t       ncols;
	char       **keys; /* NDJSON: "\"name\":" for each column */
	size_t      *keylen;
	struct buf   out;
	size_t       col;    /* fields given in the current row */
	size_t       nout;   /* NDJSON: keys written in the current row */
	int          digits; /* of recout_double(); 0: all */
	uint64_t     rows;
	bool         failed;
};

static int
write_out(struct recout *w, struct ci_err *e)
{
	if (w->out.len > 0 &&
	    fwrite(w->out.data, 1, w->out.len, w->fp) != w->out.len) {
		w->failed = true;
		return ci_err_set(e, CI_EXIT_IO, w->name, 0, "write error: %s",
		    strerror(errno));
	}
	buf_reset(&w->out);
	return 0;
}

/* A writer to fp (NULL: to memory), with the header in its buffer. */
static struct recout *
writer(FILE *fp, const char *name, enum rec_fmt fmt, const char *const *cols,
    size_t ncols)
{
	struct recout *w;
	size_t         i;

	w = xcalloc(1, sizeof(*w));
	w->fp = fp;
	w->name = xstrdup(name);
	w->fmt = fmt == REC_FMT_NDJSON ? REC_FMT_NDJSON : REC_FMT_CSV;
	w->ncols = ncols;
	w->keys = xcalloc(ncols + 1, sizeof(*w->keys));
	w->keylen = xcalloc(ncols + 1, sizeof(*w->keylen));
	for (i = 0; i < ncols; i++) {
		struct buf k = { 0 };

		if (w->fmt == REC_FMT_NDJSON) {
			buf_addc(&k, ',');
			jsonw_put_string(&k, cols[i], strlen(cols[i]));
			buf_addc(&k, ':');
		} else {
			csvio_put_field(
			    &w->out, i > 0, cols[i], strlen(cols[i]));
		}
		w->keylen[i] = k.len;
		w->keys[i] = k.data != NULL ? k.data : xstrdup("");
	}
	if (w->fmt == REC_FMT_CSV)
		buf_addc(&w->out, '\n');
	return w;
}

struct recout *
recout_open(const char *path, enum rec_fmt fmt, const char *const *cols,
    size_t ncols, struct ci_err *e)
{
	FILE *fp = stdout;

	if (path != NULL && strcmp(path, "-") != 0 &&
	    (fp = fopen(path, "w")) == NULL) {
		ci_err_set(e, CI_EXIT_IO, path, 0, "cannot create: %s",
		    strerror(errno));
		return NULL;
	}
	return writer(fp, fp == stdout ? "stdout" : path, fmt, cols, ncols);
}

struct recout *
recout_open_mem(enum rec_fmt fmt, const char *const *cols, size_t ncols)
{
	struct recout *w = writer(NULL, "memory", fmt, cols, ncols);

	buf_reset(&w->out); /* rows only */
	return w;
}

const char *
recout_mem(const struct recout *w, size_t *len)
{
	*len = w->out.len;
	return buf_str(&w->out);
}

void
recout_mem_clear(struct recout *w)
{
	buf_reset(&w->out);
}

enum rec_fmt
recout_format(const struct recout *w)
{
	return w->fmt;
}

int
recout_rawv(struct recout *w, const struct iovec *rows, int n, struct ci_err *e)
{
	struct iovec v[IOV_MAX];
	ssize_t      got;
	int          i, k, m;

	if (w->fp == NULL) {
		for (i = 0; i < n; i++)
			buf_add(&w->out, rows[i].iov_base, rows[i].iov_len);
		w->rows += (uint64_t)n;
		return 0;
	}
	if (write_out(w, e) < 0)
		return -1;
	if (fflush(w->fp) != 0)
		goto fail;
	for (i = 0; i < n; i += m) {
		m = n - i < IOV_MAX ? n - i : IOV_MAX;
		memcpy(v, rows + i, (size_t)m * sizeof(*v));
		for (k = 0; k < m;) {
			got = writev(fileno(w->fp), v + k, m - k);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				goto fail;
			/* Skip what was written, maybe part of a row. */
			for (; k < m && (size_t)got >= v[k].iov_len; k++)
				got -= (ssize_t)v[k].iov_len;
			if (k < m) {
				v[k].iov_base = (char *)v[k].iov_base + got;
				v[k].iov_len -= (size_t)got;
			}
		}
	}
	w->rows += (uint64_t)n;
	return 0;
fail:
	w->failed = true;
	return ci_err_set(
	    e, CI_EXIT_IO, w->name, 0, "write error: %s", strerror(errno));
}

/*
 * Write the NDJSON key of the current column at d, after the '{' that
 * opens the row or the ',' between fields; return the end.  d has room for
 * the key (keys are kept with a ',' before them).
 */
static char *
put_key(struct recout *w, char *d)
{
	size_t n = w->keylen[w->col];

	*d++ = w->nout++ == 0 ? '{' : ',';
	memcpy(d, w->keys[w->col] + 1, n - 1);
	return d + n - 1;
}

void
recout_field(struct recout *w, const char *s, size_t len, enum rec_kind kind)
{
	/* More fields than columns is a bug of the caller, not of input. */
	assert(w->col < w->ncols);
	if (w->fmt == REC_FMT_CSV) {
		csvio_put_field(&w->out, w->col > 0, s, len);
	} else {
		if (kind == REC_ABSENT) {
			w->col++;
			return;
		}
		buf_grow(&w->out, w->keylen[w->col]);
		w->out.len = (size_t)(put_key(w, w->out.data + w->out.len) -
		    w->out.data);
		if (kind == REC_NULL || kind == REC_INVALID)
			buf_add(&w->out, "null", 4);
		else if (kind == REC_JSON && len > 0)
			buf_add(&w->out, s, len);
		else
			jsonw_put_string(&w->out, s, len);
	}
	w->col++;
}

void
recout_str(struct recout *w, const char *s, size_t len)
{
	recout_field(w, s, len, REC_STR);
}

void
recout_null(struct recout *w)
{
	recout_field(w, "", 0, REC_NULL);
}

/*
 * Numbers are formatted straight into the buffer, since they never need
 * quotes: the separator or key, then room for NUMFMT_MAX bytes.
 */
static char *
number_begin(struct recout *w)
{
	char *d;

	assert(w->col < w->ncols);
	buf_grow(&w->out, w->keylen[w->col] + NUMFMT_MAX + 5);
	d = w->out.data + w->out.len;
	if (w->fmt == REC_FMT_CSV) {
		if (w->col > 0)
			*d++ = ',';
	} else {
		d = put_key(w, d);
	}
	return d;
}

/* End the number field of n bytes at d (none: null). */
static void
number_end(struct recout *w, char *d, size_t n)
{
	if (n == 0 && w->fmt != REC_FMT_CSV) {
		memcpy(d, "null", 4);
		n = 4;
	}
	d[n] = '\0';
	w->out.len = (size_t)(d + n - w->out.data);
	w->col++;
}

void
recout_double(struct recout *w, double v)
{
	char *d = number_begin(w);

	number_end(w, d, numfmt_double_digits(d, v, w->digits));
}

void
recout_fixed(struct recout *w, double v, int ndigits)
{
	char *d = number_begin(w);

	number_end(w, d, numfmt_fixed(d, v, ndigits));
}

void
recout_int(struct recout *w, int64_t v)
{
	char *d = number_begin(w);

	number_end(w, d, numfmt_int(d, v));
}

void
recout_number(struct recout *w, const char *s, size_t len)
{
	char *d = number_begin(w);

	assert(len <= NUMFMT_MAX);
	memcpy(d, s, len);
	number_end(w, d, len);
}

void
recout_rec(struct recout *w, const struct rec *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		recout_field(w, rec->f[i], rec->len[i], rec->kind[i]);
}

int
recout_end(struct recout *w, struct ci_err *e)
{
	while (w->col < w->ncols)
		recout_null(w);
	if (w->fmt == REC_FMT_NDJSON)
		buf_addstr(&w->out, w->nout > 0 ? "}" : "{}");
	buf_addc(&w->out, '\n');
	w->col = 0;
	w->nout = 0;
	w->rows++;
	if (w->fp != NULL && w->out.len >= OUT_BLOCK)
		return write_out(w, e);
	return 0;
}

void
recout_set_digits(struct recout *w, int digits)
{
	w->digits = digits;
}

uint64_t
recout_rows(const struct recout *w)
{
	return w->rows;
}

int
recout_close(struct recout *w, struct ci_err *e)
{
	int    rc = 0;
	size_t i;

	if (w == NULL)
		return 0;
	if (w->fp != NULL && !w->failed && write_out(w, e) < 0)
		rc = -1;
	if (w->fp == NULL) {
		/* in memory: nothing to write */
	} else if (w->fp == stdout) {
		if (rc == 0 && fflush(stdout) != 0)
			rc = ci_err_set(e, CI_EXIT_IO, w->name, 0,
			    "write error: %s", strerror(errno));
	} else if (fclose(w->fp) != 0 && rc == 0) {
		rc = ci_err_set(e, CI_EXIT_IO, w->name, 0, "write error: %s",
		    strerror(errno));
	}
	for (i = 0; i < w->ncols; i++)
		free(w->keys[i]);
	free(w->keys);
	free(w->keylen);
	buf_release(&w->out);
	free(w->name);
	free(w);
	return rc;
}
