/*
 * buf: a growable byte string.  data is always NUL-terminated (when data
 * is not NULL), so a buf can be handed to functions that want a C string.
 * A zeroed struct buf is an empty buffer ready for use.
 */
#ifndef CI_BUF_H
#define CI_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char  *data;
	size_t len;
	size_t cap;
};

/* The slow path of buf_grow(): reallocate. */
void buf_grow_slow(struct buf *b, size_t n);

/* Make room for n more bytes (plus the terminating NUL). */
static inline void
buf_grow(struct buf *b, size_t n)
{
	if (n >= b->cap - b->len) /* cap >= len always; no overflow */
		buf_grow_slow(b, n);
}

static inline void
buf_add(struct buf *b, const void *s, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_addstr(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append the n names as a list for messages: 'a', 'b', 'c'. */
void buf_addnames(struct buf *b, const char *const *v, size_t n);
/* Append a double via numfmt (shortest round-trip; nothing if not finite). */
void buf_adddouble(struct buf *b, double v);
void buf_addint(struct buf *b, int64_t v);
/* Empty the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Free the memory; b becomes a zeroed buffer.  Safe on a zeroed buf. */
void buf_release(struct buf *b);
/* The contents, "" for a never-used buffer.  Valid until b changes. */
static inline const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

static inline void
buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

#endif
