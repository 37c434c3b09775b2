/*
 * topics: what a customer's text is about, from a dictionary of topics
 * and the words that name them (delivery: 快递, 物流, shipping, ...).
 *
 * The dictionary is a tab-separated file, a line per word: the topic's
 * name (lower-case ASCII letters, digits and '_', since ci-features makes
 * column names of it), a tab and the word or phrase.  Topics keep the
 * order of their first line.  The built-in one is
 * lib/voc/topics.tsv, compiled in.  Words are matched as the sentiment
 * lexicon's are (ptrie), every occurrence at every position.
 */
#ifndef CI_TOPICS_H
#define CI_TOPICS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "ptrie.h"

/* The most topics a dictionary may have. */
#define TOPICS_MAX 64

struct topics {
	struct ptrie trie; /* node value: index into mask */
	uint64_t    *mask; /* the topics of each word, a bit each */
	size_t       nmask;
	size_t       capmask;
	char        *name[TOPICS_MAX];
	size_t       n;
};

/*
 * Load a dictionary into t (which it initialises): the built-in one when
 * path is NULL, else the file at path.  Words are folded with f.  Returns
 * 0, or -1 with *e filled (CI_EXIT_USAGE at the line: a line without two
 * fields, a bad topic name, an empty word, more than TOPICS_MAX topics; or
 * a file that cannot be read).  Release t with topics_release() either
 * way.
 */
int topics_load(struct topics *t, const struct ptrie_fold *f, const char *path,
    struct ci_err *e);

/* As topics_load(), of the len bytes at text named name in messages. */
int topics_parse(struct topics *t, const struct ptrie_fold *f, const char *text,
    size_t len, const char *name, struct ci_err *e);

/* Free all t holds.  Safe on a zeroed struct. */
void topics_release(struct topics *t);

/* The topics named in the n folded code points at cp, a bit each. */
uint64_t topics_match(const struct topics *t, const uint32_t *cp, size_t n);

/* Append the names of the topics of mask to out, in the dictionary's
 * order, separated by '|'. */
void topics_write(const struct topics *t, uint64_t mask, struct buf *out);

#endif
