/*
 * ptrie: a trie of phrases over code points, for the lexicons of the
 * sentiment scorer and the topic dictionary, and the key form of text
 * both look phrases up in.
 *
 * A phrase is a run of folded code points (ptrie_fold): NFKC text with
 * ASCII letters in lower case, traditional ideographs in their simplified
 * form (Unihan kSimplifiedVariant, through hanzi) and the right single
 * quotation mark read as an apostrophe.  Matching walks the trie from a
 * position one code point at a time, so the longest phrase at each
 * position is found without a word segmenter and at the cost of the
 * phrases that do begin there.
 *
 * Phrases that begin or end with an ASCII letter or digit match whole
 * words only: at a position that does not follow a letter, and up to one
 * that no letter follows (ptrie_word_start, ptrie_word_end).
 */
#ifndef CI_PTRIE_H
#define CI_PTRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

struct ptrie_edge {
	uint64_t key; /* parent << 21 | code point, plus one; 0: empty */
	uint32_t child;
};

struct ptrie {
	uint64_t           first[1024];     /* a bit per BMP code point that
	                                   begins a phrase: a check in L1 */
	uint64_t           edge_bits[1024]; /* a bit per 16-bit hash of the
	                                       edges: most lookups stop here */
	int32_t           *root;  /* the root's child by BMP code point */
	struct ptrie_edge *edges; /* open addressing, a power of two */
	size_t             mask;
	size_t             nedges;
	int32_t           *value; /* by node: the caller's value, or -1 */
	uint32_t           nnodes;
	size_t             capnodes;
};

/* The key form of text: folding tables, made once and only read. */
struct ptrie_fold {
	uint32_t *han;       /* simplified form of U+3400..U+9FFF */
	uint64_t  trad[432]; /* a bit for each of them that has one */
};

/* An empty trie: its root only.  Release with ptrie_release(). */
void ptrie_init(struct ptrie *t);

/* Free all t holds.  Safe on a zeroed struct. */
void ptrie_release(struct ptrie *t);

/*
 * The node of the phrase of n (> 0) code points at cp, added with the
 * nodes on its way when new (their value -1).  Nodes are numbered from 1;
 * the root is 0.
 */
uint32_t ptrie_insert(struct ptrie *t, const uint32_t *cp, size_t n);

/* False when no phrase begins with code point c: the common case, which
 * costs a bit test. */
static inline bool
ptrie_begins(const struct ptrie *t, uint32_t c)
{
	return c >= 0x10000 || (t->first[c >> 6] >> (c & 63) & 1);
}

/* The child of node under code point c, or 0 when there is none. */
static inline uint32_t
ptrie_next(const struct ptrie *t, uint32_t node, uint32_t c)
{
	uint64_t key, h;
	size_t   i;

	if (node == 0 && c < 0x10000)
		return !(t->first[c >> 6] >> (c & 63) & 1)
		    ? 0
		    : (uint32_t)t->root[c];
	if (t->nedges == 0)
		return 0;
	key = ((uint64_t)node << 21 | c) + 1;
	h = key * UINT64_C(0x9E3779B97F4A7C15);
	if (!(t->edge_bits[h >> 54] >> (h >> 48 & 63) & 1))
		return 0;
	for (i = (size_t)(h >> 32) & t->mask; t->edges[i].key != 0;
	     i = (i + 1) & t->mask)
		if (t->edges[i].key == key)
			return t->edges[i].child;
	return 0;
}

/* True for an ASCII letter or digit, which phrases join into words. */
static inline bool
ptrie_is_word(uint32_t c)
{
	/* '0'-'9' in the first word, 'A'-'Z' and 'a'-'z' in the second. */
	static const uint64_t bits[2] = { UINT64_C(0x03FF000000000000),
		UINT64_C(0x07FFFFFE07FFFFFE) };

	return c < 128 && (bits[c >> 6] >> (c & 63) & 1);
}

/* True when a phrase may begin at position i of the n code points cp. */
static inline bool
ptrie_word_start(const uint32_t *cp, size_t i)
{
	return !ptrie_is_word(cp[i]) || i == 0 || !ptrie_is_word(cp[i - 1]);
}

/* True when a phrase whose last code point is at j may end there. */
static inline bool
ptrie_word_end(const uint32_t *cp, size_t n, size_t j)
{
	return !ptrie_is_word(cp[j]) || j + 1 == n || !ptrie_is_word(cp[j + 1]);
}

/* Make the folding tables.  Release with ptrie_fold_release(). */
void ptrie_fold_init(struct ptrie_fold *f);

/* Free the tables.  Safe on a zeroed struct. */
void ptrie_fold_release(struct ptrie_fold *f);

/*
 * The key form of the len bytes of valid UTF-8 text at s, as code points
 * into *cp (of capacity *cap, grown as needed; the caller frees it).
 * Variation selectors are left out.  Returns the number of code points.
 * The text is taken as it is: NFKC is the caller's (the record's text
 * field is normalised when ci-ingest reads it).
 */
size_t ptrie_fold(const struct ptrie_fold *f, const char *s, size_t len,
    uint32_t **cp, size_t *cap);

/*
 * The key form of a phrase written in a dictionary: the len bytes at s,
 * NFKC-normalised and folded as text is, into *cp (capacity *cap) with
 * *n code points.  Returns 0, or -1 when s is not valid UTF-8.
 */
int ptrie_phrase(const struct ptrie_fold *f, const char *s, size_t len,
    uint32_t **cp, size_t *cap, size_t *n);

/*
 * A tab-separated dictionary being read line by line: lines that are
 * empty or begin with '#' are skipped, a CR before the newline and a
 * UTF-8 byte-order mark at the start are dropped.
 */
struct ptrie_tsv {
	const char   *p, *end;
	unsigned long line;   /* of the line read last, from 1 */
	const char   *f[3];   /* its first fields (not NUL-terminated) */
	size_t        len[3]; /* their lengths */
	size_t        nf;     /* fields on the line: 3 means 3 or more */
};

/* Start reading the len bytes at text. */
void ptrie_tsv_init(struct ptrie_tsv *r, const char *text, size_t len);

/* Read the next line that holds something; returns 1, or 0 at the end. */
int ptrie_tsv_next(struct ptrie_tsv *r);

/*
 * Check that the line read last has two fields: 0, or -1 with *e filled
 * (CI_EXIT_USAGE, at the line of the dictionary named name) saying what
 * a line should hold ("want ", then want).
 */
int ptrie_tsv_pair(const struct ptrie_tsv *r, const char *name,
    const char *want, struct ci_err *e);

/*
 * Read the whole file at path into out, which must be valid UTF-8.
 * Returns 0, or -1 with *e filled (CI_EXIT_USAGE for a file that cannot
 * be opened or is not UTF-8, CI_EXIT_IO for a read error).
 */
int ptrie_read_file(const char *path, struct buf *out, struct ci_err *e);

#endif
