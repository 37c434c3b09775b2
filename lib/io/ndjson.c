/*
 * ndjson: one jansson parse per line; each value is copied into the
 * reader's arena (jansson's tree is freed at once), so memory stays that of
 * one record.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "hmap.h"
#include "jsonw.h"
#include "ndjson.h"
#include "rec.h"
#include "strv.h"
#include "xalloc.h"

/* The kind of a column no key has filled yet. */
#define UNSET 0xFF

struct ndjson {
	struct rdbuf  *in;
	struct hmap    colmap;
	const char   **cols;
	size_t         ncols;
	struct buf     arena;
	struct buf     tmp;
	size_t        *off;
	size_t        *len;
	const char   **ptr;
	unsigned char *kind;
	size_t         cap;
	unsigned long  line;
	unsigned long  blank;
	bool           big; /* the line had integers past 64 bits */
};

static void
set_columns(struct ndjson *r, const char *const *cols, size_t n)
{
	size_t i;

	r->ncols = n;
	r->cap = n;
	r->cols = xcalloc(n + 1, sizeof(*r->cols));
	r->off = xcalloc(n + 1, sizeof(*r->off));
	r->len = xcalloc(n + 1, sizeof(*r->len));
	r->ptr = xcalloc(n + 1, sizeof(*r->ptr));
	r->kind = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++)
		hmap_intern(&r->colmap, cols[i], strlen(cols[i]), NULL);
	for (i = 0; i < n; i++)
		r->cols[i] = hmap_key(&r->colmap, i, NULL);
}

struct ndjson *
ndjson_new(struct rdbuf *in, const char *const *cols, size_t ncols)
{
	struct ndjson *r = xcalloc(1, sizeof(*r));

	r->in = in;
	set_columns(r, cols, ncols);
	return r;
}

static bool
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Copy the value v of column i into the arena. */
/* The mark of an integer too big for jansson, kept as a string. */
#define BIG "\x01"

/*
 * Copy the len bytes of JSON at s to out with every integer of more than
 * 18 digits written as the string BIG "digits", which jansson reads
 * (jansson refuses integers beyond 64 bits).  Strings are copied as they
 * are.  Returns whether any integer was so written.
 */
static bool
quote_big(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, j, digits;
	bool   any = false;

	buf_reset(out);
	while (i < len) {
		if (s[i] == '"') {
			for (j = i + 1; j < len && s[j] != '"'; j++)
				j += s[j] == '\\';
			j = j < len ? j + 1 : len;
			buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if (s[i] != '-' && !(s[i] >= '0' && s[i] <= '9')) {
			buf_addc(out, s[i++]);
			continue;
		}
		for (j = i + (s[i] == '-'), digits = 0;
		     j < len && s[j] >= '0' && s[j] <= '9'; j++)
			digits++;
		if (digits > 18 &&
		    (j == len || strchr(".eE", s[j]) == NULL || s[j] == '\0')) {
			buf_addstr(out, "\"\\u0001");
			buf_add(out, s + i, j - i);
			buf_addc(out, '"');
			any = true;
		} else {
			buf_add(out, s + i, j - i);
		}
		i = j;
	}
	return any;
}

/* Write the marked strings of quote_big() in t back as bare integers. */
static void
unquote_big(struct buf *t)
{
	static const char mark[] = "\"\\u0001";
	char             *p = t->data, *q, *end = t->data + t->len;
	size_t            n = sizeof(mark) - 1;

	for (q = p; p + n <= end;) {
		if (memcmp(p, mark, n) != 0) {
			*q++ = *p++;
			continue;
		}
		for (p += n; p < end && *p != '"'; p++)
			*q++ = *p;
		p++;
	}
	while (p < end)
		*q++ = *p++;
	t->len = (size_t)(q - t->data);
	t->data[t->len] = '\0';
}

static void
store(struct ndjson *r, size_t i, json_t *v)
{
	struct jsonw w;

	r->off[i] = r->arena.len;
	if (r->big && json_is_string(v) &&
	    strncmp(json_string_value(v), BIG, 1) == 0) {
		r->kind[i] = REC_JSON;
		buf_add(&r->arena, json_string_value(v) + 1,
		    json_string_length(v) - 1);
	} else if (json_is_string(v)) {
		r->kind[i] = REC_STR;
		buf_add(&r->arena, json_string_value(v), json_string_length(v));
	} else if (json_is_null(v)) {
		r->kind[i] = REC_NULL;
	} else {
		r->kind[i] = REC_JSON;
		buf_reset(&r->tmp);
		jsonw_init(&w, &r->tmp, 0);
		jsonw_value(&w, v);
		if (r->big)
			unquote_big(&r->tmp);
		buf_add(&r->arena, r->tmp.data, r->tmp.len);
	}
	r->len[i] = r->arena.len - r->off[i];
	buf_addc(&r->arena, '\0');
}

static int
convert(struct ndjson *r, json_t *obj, struct ci_err *e)
{
	const char *key;
	void       *it;
	size_t      i;

	buf_reset(&r->arena);
	for (i = 0; i < r->ncols; i++)
		r->kind[i] = UNSET;
	for (it = json_object_iter(obj); it != NULL;
	     it = json_object_iter_next(obj, it)) {
		long c;

		key = json_object_iter_key(it);
		c = hmap_find(&r->colmap, key, strlen(key));

		if (c < 0)
			return ci_err_set(e, CI_EXIT_DATA, rdbuf_name(r->in),
			    r->line, "key '%s' is not one of the --columns",
			    key);
		store(r, (size_t)c, json_object_iter_value(it));
	}
	for (i = 0; i < r->ncols; i++) {
		if (r->kind[i] == UNSET) {
			r->kind[i] = REC_ABSENT;
			r->off[i] = r->arena.len;
			r->len[i] = 0;
			buf_addc(&r->arena, '\0');
		}
	}
	for (i = 0; i < r->ncols; i++)
		r->ptr[i] = r->arena.data + r->off[i];
	return 0;
}

enum rec_status
ndjson_read(struct ndjson *r, struct ci_err *e)
{
	json_error_t jerr;
	const char  *s;
	size_t       len, term;
	json_t      *obj;
	int          rc;

	for (;;) {
		rdbuf_mark(r->in);
		rc = rdbuf_line(r->in, &s, &len, &term, e);
		if (rc < 0)
			return REC_FAIL;
		if (rc == 0)
			return REC_END;
		r->line = rdbuf_lineno(r->in);
		if (!blank(s, len))
			break;
		r->blank++;
	}
	r->big = false;
	obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL && strstr(jerr.text, "too big") != NULL &&
	    quote_big(s, len, &r->tmp)) {
		/* Integers past 64 bits are kept as the digits written. */
		r->big = true;
		obj = json_loadb(
		    r->tmp.data, r->tmp.len, JSON_REJECT_DUPLICATES, &jerr);
	}
	if (obj == NULL) {
		ci_err_set(e, CI_EXIT_DATA, rdbuf_name(r->in), r->line,
		    "bad JSON at column %d: %s", jerr.column, jerr.text);
		return REC_BAD;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		ci_err_set(e, CI_EXIT_DATA, rdbuf_name(r->in), r->line,
		    "not a JSON object");
		return REC_BAD;
	}
	rc = convert(r, obj, e);
	json_decref(obj);
	return rc < 0 ? REC_BAD : REC_ROW;
}

/* Whether the line is the start of a JSON array of objects: "[", "[{". */
static bool
array_line(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len || s[i++] != '[')
		return false;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == len || s[i] == '{' || s[i] == ']';
}

int
ndjson_keys(struct rdbuf *in, struct strv *keys, bool *lines, struct ci_err *e)
{
	struct hmap  seen = { 0 };
	struct buf   tmp = { 0 };
	json_error_t jerr;
	const char  *s, *key;
	size_t       len, term;
	json_t      *obj;
	void        *it;
	bool         isnew;
	int          rc;

	*lines = false;
	hmap_init(&seen);
	for (;;) {
		rdbuf_mark(in);
		if ((rc = rdbuf_line(in, &s, &len, &term, e)) <= 0)
			break;
		if (blank(s, len))
			continue;
		if (!*lines && array_line(s, len)) {
			hmap_release(&seen);
			buf_release(&tmp);
			return ci_err_set(e, CI_EXIT_DATA, rdbuf_name(in),
			    rdbuf_lineno(in),
			    "a JSON array, not NDJSON (one object a line): "
			    "jq -c '.[]' converts it");
		}
		*lines = true;
		obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
		if (obj == NULL && strstr(jerr.text, "too big") != NULL &&
		    quote_big(s, len, &tmp))
			obj = json_loadb(
			    tmp.data, tmp.len, JSON_REJECT_DUPLICATES, &jerr);
		for (it = json_object_iter(obj); it != NULL;
		     it = json_object_iter_next(obj, it)) {
			key = json_object_iter_key(it);
			hmap_intern(&seen, key, strlen(key), &isnew);
			if (isnew)
				strv_add(keys, key, false);
		}
		json_decref(obj);
	}
	hmap_release(&seen);
	buf_release(&tmp);
	/*
	 * A record too long to hold ends the search for keys where it ends
	 * the reading that follows; only a failure to read is an error.
	 */
	return rc < 0 && e->code != CI_EXIT_DATA ? -1 : 0;
}

size_t
ndjson_ncols(const struct ndjson *r)
{
	return r->ncols;
}

const char *const *
ndjson_cols(const struct ndjson *r)
{
	return r->cols;
}

const char *const *
ndjson_fields(const struct ndjson *r)
{
	return r->ptr;
}

const size_t *
ndjson_lens(const struct ndjson *r)
{
	return r->len;
}

const unsigned char *
ndjson_kinds(const struct ndjson *r)
{
	return r->kind;
}

unsigned long
ndjson_line(const struct ndjson *r)
{
	return r->line;
}

unsigned long
ndjson_blank_lines(const struct ndjson *r)
{
	return r->blank;
}

void
ndjson_free(struct ndjson *r)
{
	if (r == NULL)
		return;
	hmap_release(&r->colmap);
	buf_release(&r->arena);
	buf_release(&r->tmp);
	free(r->cols);
	free(r->off);
	free(r->len);
	free(r->ptr);
	free(r->kind);
	free(r);
}
