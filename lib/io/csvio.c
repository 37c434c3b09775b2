/*
 * csvio: CSV records through libcsv, and blank-separated records.
 *
 * libcsv pushes fields and rows through callbacks; to turn that into a
 * record at a time, the reader feeds it one physical line at a time, with
 * its terminator (a last line without one gets a "\n").  A line completes a
 * record unless it ends inside a quoted field, in which case the next line
 * is fed too.  This gives every record its first line number and, through
 * rdbuf's mark, its exact raw text.  rdbuf ends lines at every "\n",
 * "\r\n" and lone "\r", which are just where libcsv ends a row outside
 * quotes, so a line never holds a line end; with CSV_REPALL_NL, the "\n" of
 * a "\r\n" ends an empty row after the real one, which is ignored.
 *
 * A line that starts a record and holds no quote character cannot use any
 * rule of RFC 4180 but the splitting at delimiters (no spaces are trimmed,
 * and it holds no line end), so such lines are split here and never reach
 * libcsv; the result is the same, and reading takes half the time.  Lines
 * with a quote, and every line of a record that started with one, go
 * through libcsv.  tests/unit/io/csvio_test.c holds the two paths to the same
 * output.
 */
#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "swar.h"
#include "xalloc.h"

/*
 * libcsv's parser state while inside a field (csv.c's FIELD_BEGUN); with
 * the quoted flag set it means the input ended inside a quoted field.  The
 * numbering has been stable since libcsv 3.0 and the struct is public.
 */
#define LIBCSV_FIELD_BEGUN 2

struct csvio {
	struct rdbuf     *in;
	int               delim;
	struct csv_parser p;
	struct buf        arena; /* fields of the record, NUL-separated */
	size_t           *off;
	size_t           *len;
	const char      **ptr;
	size_t            nf;
	size_t            cap;
	bool              row_done;
	bool              fast; /* split quote-free lines here */
	unsigned long     line;
	unsigned long     blank;
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Room for the field arrays to hold n fields. */
static void
reserve_fields(struct csvio *r, size_t n)
{
	size_t cap;

	if (n <= r->cap)
		return;
	cap = r->cap;
	xgrow(&r->off, &cap, n, sizeof(*r->off));
	cap = r->cap;
	xgrow(&r->len, &cap, n, sizeof(*r->len));
	cap = r->cap;
	xgrow(&r->ptr, &cap, n, sizeof(*r->ptr));
	r->cap = cap;
}

static void
add_field(struct csvio *r, const char *s, size_t len)
{
	char *d;

	reserve_fields(r, r->nf + 1);
	buf_grow(&r->arena, len + 1);
	r->off[r->nf] = r->arena.len;
	r->len[r->nf] = len;
	d = r->arena.data + r->arena.len;
	memcpy(d, s, len);
	d[len] = '\0';
	r->arena.len += len + 1;
	r->nf++;
}

/* Count the len bytes at offset off of the arena, NUL-ended, a field. */
static inline void
note_field(struct csvio *r, size_t off, size_t len)
{
	reserve_fields(r, r->nf + 1);
	r->off[r->nf] = off;
	r->len[r->nf] = len;
	r->nf++;
}

static void
on_field(void *s, size_t len, void *data)
{
	add_field(data, s, len);
}

static void
on_row(int c, void *data)
{
	struct csvio *r = data;

	(void)c;
	r->row_done = true;
}

struct csvio *
csvio_new(struct rdbuf *in, int delim)
{
	struct csvio *r = xcalloc(1, sizeof(*r));

	r->in = in;
	r->delim = delim;
	r->fast = true;
	if (delim != CSVIO_BLANKS) {
		if (csv_init(&r->p, CSV_REPALL_NL) != 0)
			xalloc_fail(sizeof(r->p));
		csv_set_delim(&r->p, (unsigned char)delim);
		csv_set_space_func(&r->p, no_space);
	}
	return r;
}

static void
finish(struct csvio *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		r->ptr[i] = r->arena.data + r->off[i];
}

/*
 * Split a line at the delimiter, as libcsv would, if it holds no quote;
 * returns false, having added nothing, when it does.  One pass: the quote
 * test and the splitting share the search.
 */
static bool
split_plain(struct csvio *r, const char *s, size_t len)
{
	const unsigned char delim = (unsigned char)r->delim;
	size_t              i, at, start = 0;
	uint64_t            w, m;
	char               *d;

	/* The line is copied whole, eight bytes a step, its delimiters then
	 * becoming NULs (the record's first line: the arena is empty); each
	 * word's delimiters and quotes are marked as it is copied. */
	buf_grow(&r->arena, len + 8);
	d = r->arena.data;
	for (i = 0; i < len; i += 8) {
		if (len - i >= 8) {
			memcpy(&w, s + i, 8);
		} else {
			w = 0;
			memcpy(&w, s + i, len - i);
		}
		memcpy(d + i, &w, 8);
		m = swar_eq_all(w, delim) | swar_eq_all(w, '"');
		if (len - i < 8) /* the bytes past the line are not its own */
			m &= ((uint64_t)1 << (8 * (len - i))) - 1;
		for (; m != 0; m &= m - 1) {
			at = i + ((size_t)__builtin_ctzll(m) >> 3);
			if (d[at] == '"') {
				r->nf = 0;
				return false;
			}
			d[at] = '\0';
			note_field(r, start, at - start);
			start = at + 1;
		}
	}
	d[len] = '\0';
	note_field(r, start, len - start);
	r->arena.len = len + 1;
	return true;
}

static void
split_blanks(struct csvio *r, const char *s, size_t len)
{
	size_t i = 0, start;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		add_field(r, s + start, i - start);
	}
}

/* True when the record read so far is one line of nothing but blanks. */
static bool
blank_record(const struct csvio *r)
{
	const char *raw;
	size_t      len, i;

	if (r->nf == 0)
		return true;
	if (r->nf > 1)
		return false;
	raw = rdbuf_raw(r->in, &len);
	for (i = 0; i < len; i++)
		if (raw[i] != ' ' && raw[i] != '\t')
			return false;
	return true;
}

static void
restart(struct csvio *r)
{
	r->nf = 0;
	buf_reset(&r->arena);
	r->row_done = false;
	r->line = 0;
	rdbuf_mark(r->in);
}

enum rec_status
csvio_read(struct csvio *r, struct ci_err *e)
{
	const char *s;
	size_t      len, term;
	int         rc;

	restart(r);
	for (;;) {
		rc = rdbuf_line(r->in, &s, &len, &term, e);
		if (rc < 0)
			return REC_FAIL;
		if (rc == 0)
			break;
		if (r->line == 0)
			r->line = rdbuf_lineno(r->in);
		if (r->delim == CSVIO_BLANKS) {
			split_blanks(r, s, len);
			r->row_done = true;
		} else if (r->fast && r->nf == 0 && r->p.pstate == 0 &&
		    (len == 0 || split_plain(r, s, len))) {
			r->row_done = true;
		} else if (term > 0) {
			/* The line with its own terminator: one call. */
			if (csv_parse(&r->p, s, len + term, on_field, on_row,
			        r) != len + term)
				xalloc_fail(len); /* only for want of memory */
		} else if (csv_parse(&r->p, s, len, on_field, on_row, r) !=
		        len ||
		    csv_parse(&r->p, "\n", 1, on_field, on_row, r) != 1) {
			xalloc_fail(len);
		}
		if (!r->row_done)
			continue; /* inside a quoted field */
		if (blank_record(r)) {
			r->blank++;
			restart(r);
			continue;
		}
		finish(r);
		return REC_ROW;
	}
	if (r->delim == CSVIO_BLANKS)
		return REC_END;
	if (r->p.quoted && r->p.pstate == LIBCSV_FIELD_BEGUN) {
		csv_fini(&r->p, on_field, on_row, r);
		finish(r);
		ci_err_set(e, CI_EXIT_DATA, rdbuf_name(r->in), r->line,
		    "file ends inside a quoted field");
		return REC_BAD;
	}
	csv_fini(&r->p, on_field, on_row, r);
	if (r->nf > 0) {
		finish(r);
		return REC_ROW;
	}
	return 0;
}

size_t
csvio_nfields(const struct csvio *r)
{
	return r->nf;
}

const char *const *
csvio_fields(const struct csvio *r)
{
	return r->ptr;
}

const size_t *
csvio_lens(const struct csvio *r)
{
	return r->len;
}

unsigned long
csvio_line(const struct csvio *r)
{
	return r->line;
}

unsigned long
csvio_blank_lines(const struct csvio *r)
{
	return r->blank;
}

void
csvio_set_fast(struct csvio *r, bool fast)
{
	r->fast = fast;
}

void
csvio_free(struct csvio *r)
{
	if (r == NULL)
		return;
	if (r->delim != CSVIO_BLANKS)
		csv_free(&r->p);
	buf_release(&r->arena);
	free(r->off);
	free(r->len);
	free(r->ptr);
	free(r);
}

/* Bytes that make a CSV field need quotes. */
static const unsigned char needs_quote[256] = {
	['"'] = 1,
	[','] = 1,
	['\r'] = 1,
	['\n'] = 1,
};

void
csvio_put_field(struct buf *out, bool sep, const char *s, size_t len)
{
	size_t i;
	char  *d;

	buf_grow(out, 2 * len + 3);
	d = out->data + out->len;
	if (sep)
		*d++ = ',';
	/*
	 * The bytes that need quotes (',', '"', CR, LF) are all below '-', so
	 * only a field with such a byte is looked at closely: identifiers,
	 * dates and amounts never are.
	 */
	for (i = swar_find_lt(s, len, '-'); i < len; i++)
		if (needs_quote[(unsigned char)s[i]])
			break;
	if (i == len) {
		memcpy(d, s, len);
		d += len;
	} else {
		*d++ = '"';
		for (i = 0; i < len; i++) {
			if (s[i] == '"')
				*d++ = '"';
			*d++ = s[i];
		}
		*d++ = '"';
	}
	*d = '\0';
	out->len = (size_t)(d - out->data);
}
