/*
 * recin: format detection, header handling and the checks every row passes
 * (field count, UTF-8, NUL bytes, a header repeated mid-file) over csvio
 * and ndjson.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "csvio.h"
#include "ndjson.h"
#include "rdbuf.h"
#include "recin.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

struct recin {
	struct rdbuf  *in;
	struct csvio  *csv;
	struct ndjson *nd;
	enum rec_fmt   fmt;
	int            delim; /* CSV */
	char         **cols;
	size_t         ncols;
	char         **header; /* the header row as written, or NULL */
	size_t        *hlen;
	unsigned char *kinds;    /* all REC_STR, for CSV */
	bool           pending;  /* the first CSV row is data, held */
	bool           numbered; /* names are positions, set by 1st row */
	bool           empty;
	struct strv    alias;        /* --col FIELD=COLUMN */
	char           note[128];    /* what was guessed, for stderr, or "" */
	bool           keep_invalid; /* see recin_opts */
	const char   **fix_f;        /* a record with fields made REC_INVALID */
	size_t        *fix_len;
	unsigned char *fix_kind;
	unsigned long  invalid; /* fields made REC_INVALID so far */
};

const char *
recin_name(const struct recin *r)
{
	return rdbuf_name(r->in);
}

enum rec_fmt
recin_format(const struct recin *r)
{
	return r->fmt;
}

size_t
recin_ncols(const struct recin *r)
{
	return r->ncols;
}

const char *const *
recin_cols(const struct recin *r)
{
	return (const char *const *)r->cols;
}

/* The column --col names for field name, or NULL. */
static const char *
alias_of(const struct recin *r, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < r->alias.n; i++)
		if (strncmp(r->alias.v[i], name, n) == 0 &&
		    r->alias.v[i][n] == '=')
			return r->alias.v[i] + n + 1;
	return NULL;
}

int
recin_find(const struct recin *r, const char *name)
{
	const char *col = alias_of(r, name);
	size_t      i;

	if (col != NULL)
		name = col;
	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
recin_require(
    const struct recin *r, const char *name, const char *why, struct ci_err *e)
{
	struct buf b = { 0 };
	size_t     i;
	int        c = recin_find(r, name);

	if (c >= 0 || r->empty)
		return c;
	if (alias_of(r, name) != NULL)
		buf_addf(&b, "missing column '%s' (--col %s=%s)",
		    alias_of(r, name), name, alias_of(r, name));
	else
		buf_addf(&b, "missing column '%s'", name);
	if (why != NULL)
		buf_addf(&b, " %s", why);
	buf_addstr(&b, "; columns are:");
	for (i = 0; i < r->ncols; i++)
		buf_addf(&b, "%s '%s'", i > 0 ? "," : "", r->cols[i]);
	ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0, "%s", buf_str(&b));
	buf_release(&b);
	return -1;
}

/* Room for a record of n fields with some made REC_INVALID. */
static void
alloc_fix(struct recin *r, size_t n)
{
	r->fix_f = xcalloc(n + 1, sizeof(*r->fix_f));
	r->fix_len = xcalloc(n + 1, sizeof(*r->fix_len));
	r->fix_kind = xcalloc(n + 1, 1);
}

/*
 * Set the column names from names (n of them; lens NULL: NUL-terminated;
 * names NULL: all empty): trimmed, positions for empty names, "_2", "_3"
 * suffixes for repeats.
 */
static void
set_names(
    struct recin *r, const char *const *names, const size_t *lens, size_t n)
{
	struct buf b = { 0 };
	size_t     i, j;

	r->ncols = n;
	r->cols = xcalloc(n + 1, sizeof(*r->cols));
	r->kinds = xcalloc(n + 1, 1);
	alloc_fix(r, n);
	for (i = 0; i < n; i++) {
		const char *s = names != NULL ? names[i] : "";
		size_t      len = lens != NULL ? lens[i] : strlen(s);
		unsigned    k;

		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		buf_reset(&b);
		if (len == 0)
			buf_addf(&b, "%zu", i + 1);
		else
			buf_add(&b, s, len);
		for (k = 2;; k++) {
			for (j = 0; j < i; j++)
				if (strcmp(r->cols[j], buf_str(&b)) == 0)
					break;
			if (j == i)
				break;
			buf_reset(&b);
			buf_add(&b, s, len);
			buf_addf(&b, "_%u", k);
		}
		r->cols[i] = xstrdup(buf_str(&b));
	}
	buf_release(&b);
}

/* Split a comma-separated list of names into the columns. */
static void
set_names_list(struct recin *r, const char *list)
{
	const char **names = NULL;
	size_t      *lens = NULL, n = 0, cap = 0, capl = 0;
	const char  *p = list, *comma;

	for (;;) {
		comma = strchr(p, ',');
		xgrow(&names, &cap, n + 1, sizeof(*names));
		xgrow(&lens, &capl, n + 1, sizeof(*lens));
		names[n] = p;
		lens[n] = comma != NULL ? (size_t)(comma - p) : strlen(p);
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	set_names(r, names, lens, n);
	free(names);
	free(lens);
}

/* True when the len bytes at s are ASCII without NUL (8 at a time). */
static bool
plain_ascii(const char *s, size_t len)
{
	const uint64_t high = UINT64_C(0x8080808080808080);
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t       w;
	size_t         i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		/* A byte over 0x7F, or a zero byte (Mycroft's test). */
		if ((w & high) != 0 || ((w - ones) & ~w & high) != 0)
			return false;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] - 1u >= 0x7Fu)
			return false;
	return true;
}

/*
 * Check that every field is UTF-8 without NUL; fill *e otherwise.  A record
 * whose raw text is plain ASCII passes at once; only other records are
 * looked at field by field, to name the column.
 */
/*
 * Make the field i of rec an empty one of kind REC_INVALID, in a copy of
 * the record's arrays that r keeps (the reader's own stay as they are).
 */
static void
invalidate(struct recin *r, struct rec *rec, size_t i)
{
	if (rec->f != (const char *const *)r->fix_f) {
		memcpy(r->fix_f, rec->f, rec->n * sizeof(*r->fix_f));
		memcpy(r->fix_len, rec->len, rec->n * sizeof(*r->fix_len));
		memcpy(r->fix_kind, rec->kind, rec->n);
		rec->f = (const char *const *)r->fix_f;
		rec->len = r->fix_len;
		rec->kind = r->fix_kind;
	}
	r->fix_f[i] = "";
	r->fix_len[i] = 0;
	r->fix_kind[i] = REC_INVALID;
	r->invalid++;
}

static int
check_text(struct recin *r, struct rec *rec, struct ci_err *e)
{
	size_t      i, n, bad, rawlen;
	const char *raw = rdbuf_raw(r->in, &rawlen);

	if (plain_ascii(raw, rawlen))
		return 0;
	for (i = 0, n = rec->n; i < n; i++) {
		const char *f = rec->f[i];

		if (memchr(f, '\0', rec->len[i]) != NULL) {
			if (r->keep_invalid) {
				invalidate(r, rec, i);
				continue;
			}
			return ci_err_set(e, CI_EXIT_DATA, recin_name(r),
			    rec->line, "NUL byte in column '%s'", r->cols[i]);
		}
		if (!utf8_valid(f, rec->len[i], &bad)) {
			if (r->keep_invalid) {
				invalidate(r, rec, i);
				continue;
			}
			return ci_err_set(e, CI_EXIT_DATA, recin_name(r),
			    rec->line,
			    "invalid UTF-8 in column '%s' (byte %zu); is the "
			    "input in another encoding? see --encoding",
			    r->cols[i], bad + 1);
		}
	}
	return 0;
}

static int
read_header(struct recin *r, const struct recin_opts *o, struct ci_err *e)
{
	enum rec_status    rc = csvio_read(r->csv, e);
	const char *const *f = csvio_fields(r->csv);
	const size_t      *len = csvio_lens(r->csv);
	size_t             i, n = csvio_nfields(r->csv), bad;

	if (rc == REC_FAIL)
		return -1;
	if (rc == REC_END) {
		r->empty = true;
		return 0;
	}
	if (o->no_header || o->columns != NULL) {
		/* The first row is data: hand it out as the first record. */
		if (o->columns == NULL) {
			set_names(r, NULL, NULL, n);
			r->numbered = true;
		}
		r->pending = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!utf8_valid(f[i], len[i], &bad) ||
		    memchr(f[i], '\0', len[i]) != NULL)
			return ci_err_set(e, CI_EXIT_DATA, recin_name(r),
			    csvio_line(r->csv),
			    "header row is not UTF-8 text; is the input in "
			    "another encoding? see --encoding");
	set_names(r, f, len, n);
	r->header = xcalloc(n + 1, sizeof(*r->header));
	r->hlen = xcalloc(n + 1, sizeof(*r->hlen));
	for (i = 0; i < n; i++) {
		r->header[i] = xmemdup(f[i], len[i]);
		r->hlen[i] = len[i];
	}
	return 0;
}

/* Read the header of the input r->in holds. */
static struct recin *
start(struct recin *r, const struct recin_opts *o, struct ci_err *e);

struct recin *
recin_open(const char *path, const struct recin_opts *o, struct ci_err *e)
{
	struct recin *r = xcalloc(1, sizeof(*r));

	r->in = rdbuf_open(path, o->encoding, e);
	return start(r, o, e);
}

struct recin *
recin_open_stream(
    FILE *fp, const char *name, const struct recin_opts *o, struct ci_err *e)
{
	struct recin *r = xcalloc(1, sizeof(*r));

	r->in = rdbuf_open_stream(fp, name, o->encoding, e);
	return start(r, o, e);
}

/* The delimiters told apart without --delimiter, the first preferred. */
static const char sniffed[] = ",;\t|";

/*
 * Count each of sniffed outside quotes in the logical line that starts at
 * *p (before end), into n; move *p past it.
 */
static void
count_delims(const char **p, const char *end, size_t *n)
{
	const char *q = *p, *d;
	bool        quoted = false;

	for (; q < end && (quoted || *q != '\n'); q++)
		if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q != '\0' &&
		    (d = strchr(sniffed, *q)) != NULL)
			n[d - sniffed]++;
	*p = q < end ? q + 1 : q;
}

/* A delimiter's name in messages. */
static const char *
delim_name(char c)
{
	return c == '\t' ? "tab" : c == ',' ? "','" : c == ';' ? "';'" : "'|'";
}

/*
 * Without --delimiter, tell it from the header and the line after it, as
 * xsv and pandas sniff: a delimiter is a candidate when the header has it
 * and the next line (if any) has it as often.  The comma wins when it is
 * one; else the candidate that splits the header most, said in a note;
 * a tie is an error that names --delimiter; no candidate leaves the comma
 * (a file of one column).
 */
static int
sniff_delim(struct recin *r, struct ci_err *e)
{
	size_t      h[4] = { 0 }, d[4] = { 0 }, i, k = 0;
	const char *text, *p, *end;
	size_t      len;
	int         found[4];

	r->delim = ',';
	if (rdbuf_peek_text(r->in, 2, &text, &len, e) < 0)
		return -1;
	p = text;
	end = text + len;
	count_delims(&p, end, h);
	if (p < end)
		count_delims(&p, end, d);
	for (i = 0; i < 4; i++)
		if (h[i] > 0 && (p == end || d[i] == h[i]))
			found[k++] = (int)i;
	if (k == 0 || found[0] == 0)
		return 0;
	/* The one that splits the header most, when one does. */
	for (i = 1; i < k; i++)
		if (h[found[i]] > h[found[0]]) {
			int t = found[0];

			found[0] = found[i];
			found[i] = t;
		}
	for (i = 1; i < k && h[found[i]] < h[found[0]]; i++)
		;
	if (i < k)
		return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 1,
		    "cannot tell the delimiter: %s and %s both split the "
		    "header; say which with --delimiter",
		    delim_name(sniffed[found[0]]),
		    delim_name(sniffed[found[i]]));
	r->delim = sniffed[found[0]];
	snprintf(r->note, sizeof(r->note),
	    "%s: columns separated by %s (--delimiter says otherwise)",
	    recin_name(r), delim_name((char)r->delim));
	return 0;
}

/* Whether the input, whose first non-blank byte is '[', is JSON. */
static bool
json_array_start(struct rdbuf *in, struct ci_err *e)
{
	int c = rdbuf_peek(in, 1, e);

	return c == '{' || c == ']' || c == -1;
}

/*
 * The columns of NDJSON input: every key of every object, in the order
 * they first appear, so that a sparse input (keys that only some objects
 * have) loses nothing and rejects nothing.  The input is read twice (a
 * pipe is first copied to a temporary file).
 */
static int
ndjson_columns(struct recin *r, struct ci_err *e)
{
	struct strv keys = { 0 };
	bool        lines;
	int         rc = -1;

	if (rdbuf_rewind(r->in, e) == 0 &&
	    ndjson_keys(r->in, &keys, &lines, e) == 0 &&
	    rdbuf_rewind(r->in, e) == 0) {
		set_names(r, (const char *const *)keys.v, NULL, keys.n);
		r->empty = !lines;
		rc = 0;
	}
	strv_free(&keys);
	return rc;
}

static struct recin *
start(struct recin *r, const struct recin_opts *o, struct ci_err *e)
{
	size_t i;
	int    c;

	if (r->in == NULL)
		goto fail;
	for (i = 0; o->cols != NULL && i < o->cols->n; i++)
		strv_add(&r->alias, o->cols->v[i], false);
	r->keep_invalid = o->keep_invalid;
	c = rdbuf_peek(r->in, 0, e);
	if (c == -2)
		goto fail;
	r->fmt = o->format;
	if (r->fmt == REC_FMT_AUTO)
		r->fmt = c == '{' || (c == '[' && json_array_start(r->in, e))
		    ? REC_FMT_NDJSON
		    : REC_FMT_CSV;
	if (o->columns != NULL)
		set_names_list(r, o->columns);
	if (r->fmt == REC_FMT_NDJSON) {
		if (o->columns == NULL && ndjson_columns(r, e) < 0)
			goto fail;
		r->nd =
		    ndjson_new(r->in, (const char *const *)r->cols, r->ncols);
		return r;
	}
	r->delim = o->delim;
	if (r->delim == 0 && sniff_delim(r, e) < 0)
		goto fail;
	r->csv = csvio_new(r->in, r->delim);
	if (read_header(r, o, e) < 0)
		goto fail;
	return r;
fail:
	recin_free(r);
	return NULL;
}

static char **
copy_strings(char *const *v, const size_t *lens, size_t n)
{
	char **to = xcalloc(n + 1, sizeof(*to));
	size_t i;

	for (i = 0; i < n; i++)
		to[i] = lens != NULL ? xmemdup(v[i], lens[i]) : xstrdup(v[i]);
	return to;
}

struct recin *
recin_open_at(const struct recin *like, uint64_t off, unsigned long lineno,
    struct ci_err *e)
{
	struct recin *r;
	size_t        i;
	struct rdbuf *in = rdbuf_open_at(recin_name(like), off, lineno, e);

	if (in == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->in = in;
	r->fmt = like->fmt;
	r->delim = like->delim;
	for (i = 0; i < like->alias.n; i++)
		strv_add(&r->alias, like->alias.v[i], false);
	r->ncols = like->ncols;
	r->cols = copy_strings(like->cols, NULL, like->ncols);
	r->kinds = xcalloc(like->ncols + 1, 1);
	r->keep_invalid = like->keep_invalid;
	alloc_fix(r, like->ncols);
	if (like->header != NULL) {
		r->header = copy_strings(like->header, like->hlen, like->ncols);
		r->hlen = xcalloc(like->ncols + 1, sizeof(*r->hlen));
		memcpy(r->hlen, like->hlen, like->ncols * sizeof(*r->hlen));
	}
	r->numbered = like->numbered;
	r->empty = like->empty;
	if (like->nd != NULL)
		r->nd = ndjson_new(
		    r->in, ndjson_cols(like->nd), ndjson_ncols(like->nd));
	else
		r->csv = csvio_new(r->in, r->delim);
	return r;
}

bool
recin_offsets(const struct recin *r, uint64_t *rec, uint64_t *next)
{
	return rdbuf_offsets(r->in, rec, next);
}

/* Fill *rec from the CSV reader and check its shape. */
static int
csv_record(struct recin *r, struct rec *rec, struct ci_err *e)
{
	size_t        n = csvio_nfields(r->csv), i;
	const size_t *len = csvio_lens(r->csv);

	rec->f = csvio_fields(r->csv);
	rec->len = len;
	rec->kind = r->kinds;
	rec->line = csvio_line(r->csv);
	if (r->numbered && r->ncols == 0)
		set_names(r, NULL, NULL, n);
	while (n > r->ncols && len[n - 1] == 0)
		n--;
	rec->n = n;
	if (n != r->ncols)
		return ci_err_set(e, CI_EXIT_DATA, recin_name(r), rec->line,
		    "expected %zu fields, found %zu", r->ncols,
		    csvio_nfields(r->csv));
	if (r->header != NULL) {
		for (i = 0; i < n; i++)
			if (rec->len[i] != r->hlen[i] ||
			    memcmp(rec->f[i], r->header[i], rec->len[i]) != 0)
				break;
		if (i == n)
			return ci_err_set(e, CI_EXIT_DATA, recin_name(r),
			    rec->line, "header row repeated");
	}
	return check_text(r, rec, e);
}

enum rec_status
recin_read(struct recin *r, struct rec *rec, struct ci_err *e)
{
	enum rec_status rc;

	if (r->empty)
		return REC_END;
	if (r->nd != NULL) {
		if ((rc = ndjson_read(r->nd, e)) != REC_ROW)
			return rc;
		rec->n = r->ncols;
		rec->f = ndjson_fields(r->nd);
		rec->len = ndjson_lens(r->nd);
		rec->kind = ndjson_kinds(r->nd);
		rec->line = ndjson_line(r->nd);
		return REC_ROW;
	}
	if (!r->pending) {
		rc = csvio_read(r->csv, e);
		if (rc != REC_ROW)
			return rc;
	}
	r->pending = false;
	return csv_record(r, rec, e) < 0 ? REC_BAD : REC_ROW;
}

const char *
recin_raw(const struct recin *r, size_t *len)
{
	return rdbuf_raw_read(r->in, len);
}

const char *
recin_note(const struct recin *r)
{
	return r->note[0] != '\0' ? r->note : NULL;
}

unsigned long
recin_blank_lines(const struct recin *r)
{
	if (r->csv != NULL)
		return csvio_blank_lines(r->csv);
	if (r->nd != NULL)
		return ndjson_blank_lines(r->nd);
	return 0;
}

void
recin_free(struct recin *r)
{
	size_t i;

	if (r == NULL)
		return;
	csvio_free(r->csv);
	ndjson_free(r->nd);
	rdbuf_free(r->in);
	for (i = 0; i < r->ncols; i++) {
		free(r->cols[i]);
		if (r->header != NULL)
			free(r->header[i]);
	}
	free(r->cols);
	free(r->header);
	free(r->hlen);
	free(r->kinds);
	free(r->fix_f);
	free(r->fix_len);
	free(r->fix_kind);
	strv_free(&r->alias);
	free(r);
}

int
recin_parse_delim(const char *s, int *delim)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		*delim = '\t';
	else if (strcmp(s, "space") == 0)
		*delim = ' ';
	else if (strcmp(s, "whitespace") == 0 || strcmp(s, "blanks") == 0)
		*delim = REC_DELIM_BLANKS;
	else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r')
		*delim = (unsigned char)s[0];
	else
		return -1;
	return 0;
}
