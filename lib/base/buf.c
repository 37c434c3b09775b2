/*
 * buf: growable byte strings, always NUL-terminated.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "numfmt.h"
#include "xalloc.h"

void
buf_grow_slow(struct buf *b, size_t n)
{
	size_t need;

	if (n > SIZE_MAX - b->len - 1)
		need = SIZE_MAX; /* xgrow reports the failure */
	else
		need = b->len + n + 1;
	if (need > b->cap)
		xgrow(&b->data, &b->cap, need, 1);
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int     n;

	buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		/* glibc may have written part of the output over the NUL. */
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
buf_addnames(struct buf *b, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_addf(b, "%s'%s'", i > 0 ? ", " : "", v[i]);
}

void
buf_adddouble(struct buf *b, double v)
{
	buf_grow(b, NUMFMT_MAX);
	b->len += numfmt_double(b->data + b->len, v);
	b->data[b->len] = '\0';
}

void
buf_addint(struct buf *b, int64_t v)
{
	buf_grow(b, NUMFMT_MAX);
	b->len += numfmt_int(b->data + b->len, v);
	b->data[b->len] = '\0';
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
