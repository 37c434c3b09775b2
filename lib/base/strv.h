/*
 * strv: a growable list of owned strings, such as the values of a
 * repeatable option ("--mask phone --mask email,name").
 */
#ifndef CI_STRV_H
#define CI_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct strv {
	char **v;
	size_t n;
	size_t cap;
};

/*
 * Add a copy of s to l: whole, or split at commas when split is set
 * (empty items are skipped).
 */
void strv_add(struct strv *l, const char *s, bool split);

/* Free the strings and the list, and zero it.  Safe on a zeroed list. */
void strv_free(struct strv *l);

#endif
