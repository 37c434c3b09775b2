/*
 * topics: the topic dictionary and its matcher.  A word names one topic
 * or, given under several, each of them: its node's mask has their bits.
 */
#include <stdlib.h>
#include <string.h>

#include "topics.h"
#include "xalloc.h"

#include "topics-dict.h"

/* True for a name ci-features can make a column of. */
static bool
good_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 40)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The index of topic (s, len), added when new; -1 when full. */
static int
topic_index(struct topics *t, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strlen(t->name[i]) == len &&
		    memcmp(t->name[i], s, len) == 0)
			return (int)i;
	if (t->n == TOPICS_MAX)
		return -1;
	t->name[t->n] = xmemdup(s, len);
	return (int)t->n++;
}

int
topics_parse(struct topics *t, const struct ptrie_fold *f, const char *text,
    size_t len, const char *name, struct ci_err *e)
{
	struct ptrie_tsv r;
	uint32_t        *cp = NULL, node;
	size_t           cap = 0, n;
	int              k, rc = 0;

	memset(t, 0, sizeof(*t));
	ptrie_init(&t->trie);
	ptrie_tsv_init(&r, text, len);
	while (rc == 0 && ptrie_tsv_next(&r)) {
		if ((rc = ptrie_tsv_pair(
		         &r, name, "a topic, a tab and a word", e)) < 0)
			break;
		if (!good_name(r.f[0], r.len[0])) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "bad topic name '%.*s': want 1 to 40 lower-case "
			    "letters, digits or '_'",
			    (int)r.len[0], r.f[0]);
			break;
		}
		if ((k = topic_index(t, r.f[0], r.len[0])) < 0) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "more than %d topics", TOPICS_MAX);
			break;
		}
		if (ptrie_phrase(f, r.f[1], r.len[1], &cp, &cap, &n) < 0 ||
		    n == 0) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "empty word for topic '%s'", t->name[k]);
			break;
		}
		node = ptrie_insert(&t->trie, cp, n);
		if (t->trie.value[node] < 0) {
			xgrow(&t->mask, &t->capmask, t->nmask + 1,
			    sizeof(*t->mask));
			t->mask[t->nmask] = 0;
			t->trie.value[node] = (int32_t)t->nmask++;
		}
		t->mask[t->trie.value[node]] |= UINT64_C(1) << k;
	}
	if (rc == 0 && t->n == 0)
		rc = ci_err_set(e, CI_EXIT_USAGE, name, 0, "no topics in it");
	free(cp);
	return rc;
}

int
topics_load(struct topics *t, const struct ptrie_fold *f, const char *path,
    struct ci_err *e)
{
	struct buf b = { 0 };
	int        rc;

	if (path == NULL)
		return topics_parse(t, f, topics_dict_tsv,
		    sizeof(topics_dict_tsv) - 1, "built-in topics", e);
	memset(t, 0, sizeof(*t));
	rc = ptrie_read_file(path, &b, e);
	if (rc == 0)
		rc = topics_parse(
		    t, f, b.data != NULL ? b.data : "", b.len, path, e);
	buf_release(&b);
	return rc;
}

void
topics_release(struct topics *t)
{
	size_t i;

	ptrie_release(&t->trie);
	free(t->mask);
	for (i = 0; i < t->n; i++)
		free(t->name[i]);
	memset(t, 0, sizeof(*t));
}

uint64_t
topics_match(const struct topics *t, const uint32_t *cp, size_t n)
{
	uint64_t m = 0;
	uint32_t node;
	size_t   i, j;
	int32_t  v;

	for (i = 0; i < n; i++) {
		if (!ptrie_begins(&t->trie, cp[i]) || !ptrie_word_start(cp, i))
			continue;
		node = 0;
		for (j = i; j < n; j++) {
			if ((node = ptrie_next(&t->trie, node, cp[j])) == 0)
				break;
			v = t->trie.value[node];
			if (v >= 0 && ptrie_word_end(cp, n, j))
				m |= t->mask[v];
		}
	}
	return m;
}

void
topics_write(const struct topics *t, uint64_t mask, struct buf *out)
{
	size_t i;
	bool   first = true;

	for (i = 0; i < t->n; i++) {
		if (!(mask >> i & 1))
			continue;
		if (!first)
			buf_addc(out, '|');
		buf_addstr(out, t->name[i]);
		first = false;
	}
}
