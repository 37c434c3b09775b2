/*
 * jsonw: the one JSON writer, used for NDJSON rows, model files, quality
 * reports and rejects.  It appends to a buf; numbers go through numfmt, so
 * a model written here reads back to the same doubles.  Reading JSON is
 * jansson's job; jsonw_value() writes a jansson value back out the same
 * way.
 */
#ifndef CI_JSONW_H
#define CI_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf *out;
	int         indent; /* spaces per level; 0: compact, one line */
	int         depth;
	bool        first[JSONW_MAX_DEPTH]; /* nothing written yet at depth */
	bool        after_key;
};

/* Start writing into out (appending), with indent spaces per level. */
void jsonw_init(struct jsonw *w, struct buf *out, int indent);

void jsonw_obj_begin(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
/* The key of the next member of the enclosing object. */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t len);
/* A number; NaN and infinities are written as null. */
void jsonw_double(struct jsonw *w, double v);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* The len bytes at s, which must be valid JSON text, as a value. */
void jsonw_raw(struct jsonw *w, const char *s, size_t len);
/* A jansson value, any type; object members in their stored order. */
void jsonw_value(struct jsonw *w, const json_t *v);

/*
 * Append the len bytes at s (valid UTF-8) to out as a JSON string literal
 * with its quotes.
 */
void jsonw_put_string(struct buf *out, const char *s, size_t len);

#endif
