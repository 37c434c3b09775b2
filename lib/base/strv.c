/*
 * strv: a growable list of owned strings.
 */
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "xalloc.h"

void
strv_add(struct strv *l, const char *s, bool split)
{
	const char *comma;

	while (split && (comma = strchr(s, ',')) != NULL) {
		if (comma > s) {
			xgrow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
			l->v[l->n++] = xmemdup(s, (size_t)(comma - s));
		}
		s = comma + 1;
	}
	if (*s != '\0') {
		xgrow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = xstrdup(s);
	}
}

void
strv_free(struct strv *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
