/*
 * senti: the sentiment of a customer's text, from a lexicon of opinion
 * words and rules written for ci, in simplified and traditional Chinese
 * and in English.
 *
 * The lexicon (lib/voc/senti-lexicon.tsv, compiled in; --lexicon adds to
 * it) gives each opinion word or phrase a weight in [-5, 5]; a weight of
 * 0 marks a phrase that holds no opinion but must not be read as the
 * words inside it (好像 is not 好).  Built-in rule words negate the next
 * opinion (不, 没有, not, ...), scale it (很, 有点, very, a bit, ...), or
 * mark a contrast (但是, 不过, but, ...), after which the text weighs
 * more.  At each position the longest phrase of the lexicon and the rules
 * is taken, so Chinese needs no word segmenter.
 *
 * The score of a text is S / sqrt(S^2 + SENTI_ALPHA), in (-1, 1), where S
 * sums the opinions as the rules weigh them (senti.c states each rule);
 * a text with no opinion in it has no score.
 */
#ifndef CI_SENTI_H
#define CI_SENTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "ptrie.h"

/* The largest weight a lexicon entry may have, either way. */
#define SENTI_MAX_WEIGHT 5.0

/* The score at or below which a text counts as negative (ci-features). */
#define SENTI_NEGATIVE (-0.3)

enum senti_kind {
	SENTI_OPINION,  /* a weight, negated and scaled by the rules */
	SENTI_NEUTRAL,  /* a phrase of weight 0: no opinion */
	SENTI_NEGATION, /* flips the next opinion */
	SENTI_DEGREE,   /* scales the next opinion */
	SENTI_CONTRAST  /* what follows weighs more than what came before */
};

struct senti_entry {
	float         weight; /* opinion: the weight; degree: the factor */
	unsigned char kind;   /* enum senti_kind */
	bool          clause_start; /* a contrast only at a clause's start */
};

struct senti {
	struct ptrie_fold   fold;
	struct ptrie        trie; /* node value: index into entry */
	struct senti_entry *entry;
	size_t              n;
	size_t              cap;
};

/*
 * Load the built-in rules and lexicon into s.  Returns 0, or -1 with *e
 * filled when the built-in lexicon is broken (a fault of the build).
 * Release with senti_release().
 */
int senti_init(struct senti *s, struct ci_err *e);

/* Free all s holds.  Safe on a zeroed struct. */
void senti_release(struct senti *s);

/*
 * Add the entries of a lexicon in the len bytes at text, named name in
 * messages: a line per entry, the word or phrase, a tab and its weight
 * (a number in [-5, 5]).  An entry replaces the built-in one of the same
 * key form, rule words included.  Returns 0, or -1 with *e filled
 * (CI_EXIT_USAGE, at the line) for a line without a weight, a bad weight,
 * an empty word or one given twice.
 */
int senti_add(struct senti *s, const char *text, size_t len, const char *name,
    struct ci_err *e);

/* senti_add() of the file at path. */
int senti_load(struct senti *s, const char *path, struct ci_err *e);

/*
 * The score of the n folded code points at cp (ptrie_fold with s->fold):
 * true with *score in (-1, 1), or false when the text holds no opinion.
 */
bool
senti_score(const struct senti *s, const uint32_t *cp, size_t n, double *score);

#endif
