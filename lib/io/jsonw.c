/*
 * jsonw: JSON text with optional indentation.  Commas and indentation are
 * decided per depth from the first[] flags, so callers write values in
 * order and never think about separators.
 */
#include <string.h>

#include "jsonw.h"
#include "numfmt.h"

void
jsonw_init(struct jsonw *w, struct buf *out, int indent)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->indent = indent;
	w->first[0] = true;
}

static void
newline(struct jsonw *w)
{
	int i;

	if (w->indent == 0)
		return;
	buf_addc(w->out, '\n');
	for (i = 0; i < w->depth * w->indent; i++)
		buf_addc(w->out, ' ');
}

/* Separator and indentation before a value (or a key). */
static void
before(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		buf_addc(w->out, ',');
	w->first[w->depth] = false;
	newline(w);
}

static void
open_level(struct jsonw *w, char c)
{
	before(w);
	buf_addc(w->out, c);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void
close_level(struct jsonw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		newline(w);
	buf_addc(w->out, c);
}

void
jsonw_obj_begin(struct jsonw *w)
{
	open_level(w, '{');
}

void
jsonw_obj_end(struct jsonw *w)
{
	close_level(w, '}');
}

void
jsonw_arr_begin(struct jsonw *w)
{
	open_level(w, '[');
}

void
jsonw_arr_end(struct jsonw *w)
{
	close_level(w, ']');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	before(w);
	jsonw_put_string(w->out, key, strlen(key));
	buf_addc(w->out, ':');
	if (w->indent > 0)
		buf_addc(w->out, ' ');
	w->after_key = true;
}

void
jsonw_strn(struct jsonw *w, const char *s, size_t len)
{
	before(w);
	jsonw_put_string(w->out, s, len);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	jsonw_strn(w, s, strlen(s));
}

void
jsonw_double(struct jsonw *w, double v)
{
	char   tmp[NUMFMT_MAX];
	size_t n = numfmt_double(tmp, v);

	before(w);
	if (n == 0)
		buf_addstr(w->out, "null");
	else
		buf_add(w->out, tmp, n);
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	before(w);
	buf_addint(w->out, v);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	before(w);
	buf_addstr(w->out, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *w)
{
	before(w);
	buf_addstr(w->out, "null");
}

void
jsonw_raw(struct jsonw *w, const char *s, size_t len)
{
	before(w);
	buf_add(w->out, s, len);
}

void
jsonw_value(struct jsonw *w, const json_t *v)
{
	json_t *o = (json_t *)v; /* jansson's iterators take no const */
	void   *it;
	size_t  i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jsonw_obj_begin(w);
		for (it = json_object_iter(o); it != NULL;
		     it = json_object_iter_next(o, it)) {
			jsonw_key(w, json_object_iter_key(it));
			jsonw_value(w, json_object_iter_value(it));
		}
		jsonw_obj_end(w);
		break;
	case JSON_ARRAY:
		jsonw_arr_begin(w);
		for (i = 0; i < json_array_size(v); i++)
			jsonw_value(w, json_array_get(v, i));
		jsonw_arr_end(w);
		break;
	case JSON_STRING:
		jsonw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jsonw_int(w, json_integer_value(v));
		break;
	case JSON_REAL:
		jsonw_double(w, json_real_value(v));
		break;
	case JSON_TRUE:
		jsonw_bool(w, true);
		break;
	case JSON_FALSE:
		jsonw_bool(w, false);
		break;
	case JSON_NULL:
		jsonw_null(w);
		break;
	}
}

/* Bytes that cannot appear raw in a JSON string. */
static const unsigned char escape[256] = {
	[0x00] = 1,
	[0x01] = 1,
	[0x02] = 1,
	[0x03] = 1,
	[0x04] = 1,
	[0x05] = 1,
	[0x06] = 1,
	[0x07] = 1,
	[0x08] = 1,
	[0x09] = 1,
	[0x0a] = 1,
	[0x0b] = 1,
	[0x0c] = 1,
	[0x0d] = 1,
	[0x0e] = 1,
	[0x0f] = 1,
	[0x10] = 1,
	[0x11] = 1,
	[0x12] = 1,
	[0x13] = 1,
	[0x14] = 1,
	[0x15] = 1,
	[0x16] = 1,
	[0x17] = 1,
	[0x18] = 1,
	[0x19] = 1,
	[0x1a] = 1,
	[0x1b] = 1,
	[0x1c] = 1,
	[0x1d] = 1,
	[0x1e] = 1,
	[0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
};

void
jsonw_put_string(struct buf *out, const char *s, size_t len)
{
	static const char    hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t               i, run = 0;

	buf_grow(out, len + 2);
	out->data[out->len++] = '"';
	for (i = 0; i < len; i++) {
		if (!escape[u[i]])
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		switch (u[i]) {
		case '"':
			buf_add(out, "\\\"", 2);
			break;
		case '\\':
			buf_add(out, "\\\\", 2);
			break;
		case '\n':
			buf_add(out, "\\n", 2);
			break;
		case '\r':
			buf_add(out, "\\r", 2);
			break;
		case '\t':
			buf_add(out, "\\t", 2);
			break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[u[i] >> 4],
				hex[u[i] & 15] };

			buf_add(out, esc, 6);
		}
		}
	}
	buf_add(out, s + run, len - run);
	buf_addc(out, '"');
}
