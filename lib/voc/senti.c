/*
 * senti: the lexicon scorer.
 *
 * The rules, as they weigh an opinion word of weight w:
 *
 *   - Negation: an odd number of negation words before it in its clause,
 *     none more than SCOPE words or characters back, make it -0.9 w when w
 *     is positive (不好吃) and -0.6 w when negative (不差 is praise, but
 *     faint).  A negation before a degree word makes the degree a
 *     softener: 不太好 is -0.5 w, milder than 不好.
 *   - Degree: the factors of the degree words before it (很 1.3, 非常
 *     1.6, 有点 0.6, ...) multiply w, within the same scope.
 *   - Contrast: at a contrast word the score so far is halved and what
 *     follows weighs 1.5 times (送餐很快，但是菜是凉的 is negative).
 *   - Punctuation: a clause ending in exclamation marks weighs 1.1 times
 *     per mark, up to four; two or more question marks in a row (怎么回事？？)
 *     add -0.5, as an opinion.
 *
 * Clauses end at the marks of punctuation (。，！？；、~ and their ASCII
 * forms) and at line ends.  Rule words and weights were chosen for ci:
 * the words are common Chinese and English words of praise and complaint
 * about goods, delivery and service, and the weights were set by hand,
 * then a few adjusted against half of the online_shopping_10_cats
 * reviews (the half of even row hash; the other half is the held-out
 * figure of scripts/bench/sentiment).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "numfmt.h"
#include "senti.h"
#include "xalloc.h"

#include "senti-lexicon.h"

/* Words or characters back that a negation or degree word reaches. */
#define SCOPE 3

/* The squashing constant of the score. */
#define SENTI_ALPHA 4.0

#define NEG_POSITIVE 0.9
#define NEG_NEGATIVE 0.6
#define NEG_SOFTENED 0.5
#define CONTRAST_BEFORE 0.5
#define CONTRAST_AFTER 1.5
#define BANG_STEP 0.1
#define BANG_MAX 4
#define QUESTIONS (-0.5)

struct rule {
	const char     *word;
	enum senti_kind kind;
	float           factor;
	bool            clause_start;
};

/* The rule words.  A degree word's factor scales the next opinion. */
static const struct rule rules[] = {
	{ "不", SENTI_NEGATION, 0, false },
	{ "没", SENTI_NEGATION, 0, false },
	{ "没有", SENTI_NEGATION, 0, false },
	{ "别", SENTI_NEGATION, 0, false },
	{ "无", SENTI_NEGATION, 0, false },
	{ "未", SENTI_NEGATION, 0, false },
	{ "非", SENTI_NEGATION, 0, false },
	{ "并不", SENTI_NEGATION, 0, false },
	{ "并非", SENTI_NEGATION, 0, false },
	{ "从不", SENTI_NEGATION, 0, false },
	{ "从来不", SENTI_NEGATION, 0, false },
	{ "从没", SENTI_NEGATION, 0, false },
	{ "毫不", SENTI_NEGATION, 0, false },
	{ "绝不", SENTI_NEGATION, 0, false },
	{ "不是", SENTI_NEGATION, 0, false },
	{ "不会", SENTI_NEGATION, 0, false },
	{ "不能", SENTI_NEGATION, 0, false },
	{ "不够", SENTI_NEGATION, 0, false },
	{ "无法", SENTI_NEGATION, 0, false },
	{ "谈不上", SENTI_NEGATION, 0, false },
	{ "算不上", SENTI_NEGATION, 0, false },
	{ "not", SENTI_NEGATION, 0, false },
	{ "never", SENTI_NEGATION, 0, false },
	{ "no", SENTI_NEGATION, 0, false },
	{ "nor", SENTI_NEGATION, 0, false },
	{ "neither", SENTI_NEGATION, 0, false },
	{ "without", SENTI_NEGATION, 0, false },
	{ "hardly", SENTI_NEGATION, 0, false },
	{ "cannot", SENTI_NEGATION, 0, false },
	{ "don't", SENTI_NEGATION, 0, false },
	{ "doesn't", SENTI_NEGATION, 0, false },
	{ "didn't", SENTI_NEGATION, 0, false },
	{ "isn't", SENTI_NEGATION, 0, false },
	{ "aren't", SENTI_NEGATION, 0, false },
	{ "wasn't", SENTI_NEGATION, 0, false },
	{ "weren't", SENTI_NEGATION, 0, false },
	{ "won't", SENTI_NEGATION, 0, false },
	{ "wouldn't", SENTI_NEGATION, 0, false },
	{ "can't", SENTI_NEGATION, 0, false },
	{ "couldn't", SENTI_NEGATION, 0, false },
	{ "shouldn't", SENTI_NEGATION, 0, false },
	{ "haven't", SENTI_NEGATION, 0, false },
	{ "hasn't", SENTI_NEGATION, 0, false },
	{ "很", SENTI_DEGREE, 1.3f, false },
	{ "非常", SENTI_DEGREE, 1.6f, false },
	{ "太", SENTI_DEGREE, 1.5f, false },
	{ "特别", SENTI_DEGREE, 1.5f, false },
	{ "十分", SENTI_DEGREE, 1.5f, false },
	{ "相当", SENTI_DEGREE, 1.4f, false },
	{ "极", SENTI_DEGREE, 1.7f, false },
	{ "极其", SENTI_DEGREE, 1.7f, false },
	{ "极为", SENTI_DEGREE, 1.7f, false },
	{ "超", SENTI_DEGREE, 1.5f, false },
	{ "超级", SENTI_DEGREE, 1.6f, false },
	{ "最", SENTI_DEGREE, 1.6f, false },
	{ "真", SENTI_DEGREE, 1.3f, false },
	{ "真是", SENTI_DEGREE, 1.3f, false },
	{ "真的", SENTI_DEGREE, 1.3f, false },
	{ "实在", SENTI_DEGREE, 1.4f, false },
	{ "确实", SENTI_DEGREE, 1.2f, false },
	{ "挺", SENTI_DEGREE, 1.2f, false },
	{ "蛮", SENTI_DEGREE, 1.2f, false },
	{ "更", SENTI_DEGREE, 1.3f, false },
	{ "更加", SENTI_DEGREE, 1.3f, false },
	{ "越来越", SENTI_DEGREE, 1.3f, false },
	{ "巨", SENTI_DEGREE, 1.6f, false },
	{ "贼", SENTI_DEGREE, 1.5f, false },
	{ "比较", SENTI_DEGREE, 1.1f, false },
	{ "还算", SENTI_DEGREE, 0.8f, false },
	{ "有点", SENTI_DEGREE, 0.6f, false },
	{ "有点儿", SENTI_DEGREE, 0.6f, false },
	{ "有些", SENTI_DEGREE, 0.6f, false },
	{ "稍微", SENTI_DEGREE, 0.6f, false },
	{ "稍", SENTI_DEGREE, 0.7f, false },
	{ "略", SENTI_DEGREE, 0.7f, false },
	{ "略微", SENTI_DEGREE, 0.6f, false },
	{ "一点", SENTI_DEGREE, 0.7f, false },
	{ "very", SENTI_DEGREE, 1.4f, false },
	{ "really", SENTI_DEGREE, 1.3f, false },
	{ "so", SENTI_DEGREE, 1.3f, false },
	{ "too", SENTI_DEGREE, 1.4f, false },
	{ "extremely", SENTI_DEGREE, 1.7f, false },
	{ "super", SENTI_DEGREE, 1.5f, false },
	{ "totally", SENTI_DEGREE, 1.4f, false },
	{ "absolutely", SENTI_DEGREE, 1.5f, false },
	{ "quite", SENTI_DEGREE, 1.2f, false },
	{ "pretty", SENTI_DEGREE, 1.2f, false },
	{ "most", SENTI_DEGREE, 1.5f, false },
	{ "more", SENTI_DEGREE, 1.2f, false },
	{ "a bit", SENTI_DEGREE, 0.6f, false },
	{ "a little", SENTI_DEGREE, 0.6f, false },
	{ "slightly", SENTI_DEGREE, 0.6f, false },
	{ "somewhat", SENTI_DEGREE, 0.7f, false },
	{ "kind of", SENTI_DEGREE, 0.7f, false },
	{ "但是", SENTI_CONTRAST, 0, false },
	{ "但", SENTI_CONTRAST, 0, false },
	{ "不过", SENTI_CONTRAST, 0, false },
	{ "可是", SENTI_CONTRAST, 0, false },
	{ "然而", SENTI_CONTRAST, 0, false },
	{ "就是", SENTI_CONTRAST, 0, true },
	{ "只是", SENTI_CONTRAST, 0, true },
	{ "只不过", SENTI_CONTRAST, 0, true },
	{ "but", SENTI_CONTRAST, 0, false },
	{ "however", SENTI_CONTRAST, 0, false },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* Set the entry of the phrase at cp (n code points); true if it is new. */
static bool
set_entry(
    struct senti *s, const uint32_t *cp, size_t n, const struct senti_entry *en)
{
	uint32_t node = ptrie_insert(&s->trie, cp, n);

	if (s->trie.value[node] >= 0) {
		s->entry[s->trie.value[node]] = *en;
		return false;
	}
	xgrow(&s->entry, &s->cap, s->n + 1, sizeof(*s->entry));
	s->entry[s->n] = *en;
	s->trie.value[node] = (int32_t)s->n++;
	return true;
}

int
senti_init(struct senti *s, struct ci_err *e)
{
	struct senti_entry en = { 0, 0, false };
	uint32_t          *cp = NULL;
	size_t             cap = 0, n, i;

	memset(s, 0, sizeof(*s));
	ptrie_fold_init(&s->fold);
	ptrie_init(&s->trie);
	for (i = 0; i < NRULES; i++) {
		if (ptrie_phrase(&s->fold, rules[i].word, strlen(rules[i].word),
		        &cp, &cap, &n) < 0 ||
		    n == 0) {
			free(cp);
			return ci_err_set(e, CI_EXIT_IO, NULL, 0,
			    "built-in rule word %zu is empty: a fault of the "
			    "build",
			    i);
		}
		en.kind = (unsigned char)rules[i].kind;
		en.weight = rules[i].factor;
		en.clause_start = rules[i].clause_start;
		set_entry(s, cp, n, &en);
	}
	free(cp);
	return senti_add(s, senti_lexicon_tsv, sizeof(senti_lexicon_tsv) - 1,
	    "built-in lexicon", e);
}

void
senti_release(struct senti *s)
{
	ptrie_fold_release(&s->fold);
	ptrie_release(&s->trie);
	free(s->entry);
	memset(s, 0, sizeof(*s));
}

int
senti_add(struct senti *s, const char *text, size_t len, const char *name,
    struct ci_err *e)
{
	struct ptrie_tsv   r;
	struct senti_entry en = { 0, 0, false };
	struct ptrie       seen; /* the words of this lexicon */
	uint32_t          *cp = NULL, node;
	size_t             cap = 0, n;
	double             w;
	int                rc = 0;

	ptrie_init(&seen);
	ptrie_tsv_init(&r, text, len);
	while (rc == 0 && ptrie_tsv_next(&r)) {
		if ((rc = ptrie_tsv_pair(
		         &r, name, "a word, a tab and a weight", e)) < 0)
			break;
		if (!numfmt_parse(r.f[1], r.len[1], &w) || !isfinite(w) ||
		    fabs(w) > SENTI_MAX_WEIGHT) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "bad weight '%.*s' for '%.*s': want a number "
			    "from -5 to 5",
			    (int)r.len[1], r.f[1], (int)r.len[0], r.f[0]);
			break;
		}
		if (ptrie_phrase(&s->fold, r.f[0], r.len[0], &cp, &cap, &n) <
		        0 ||
		    n == 0) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "empty word before the weight");
			break;
		}
		node = ptrie_insert(&seen, cp, n);
		if (seen.value[node] >= 0) {
			rc = ci_err_set(e, CI_EXIT_USAGE, name, r.line,
			    "'%.*s' is given twice (first on line %d)",
			    (int)r.len[0], r.f[0], seen.value[node]);
			break;
		}
		seen.value[node] = (int32_t)r.line;
		en.weight = (float)w;
		en.kind = w == 0 ? SENTI_NEUTRAL : SENTI_OPINION;
		set_entry(s, cp, n, &en);
	}
	ptrie_release(&seen);
	free(cp);
	return rc;
}

int
senti_load(struct senti *s, const char *path, struct ci_err *e)
{
	struct buf b = { 0 };
	int        rc;

	rc = ptrie_read_file(path, &b, e);
	if (rc == 0)
		rc = senti_add(s, b.data != NULL ? b.data : "", b.len, path, e);
	buf_release(&b);
	return rc;
}

/* The longest entry at position i, or NULL; *end gets the position after
 * it. */
static const struct senti_entry *
longest(
    const struct senti *s, const uint32_t *cp, size_t n, size_t i, size_t *end)
{
	const struct senti_entry *best = NULL;
	uint32_t                  node = 0;
	size_t                    j;
	int32_t                   v;

	if (!ptrie_word_start(cp, i))
		return NULL;
	for (j = i; j < n; j++) {
		if ((node = ptrie_next(&s->trie, node, cp[j])) == 0)
			break;
		v = s->trie.value[node];
		if (v >= 0 && ptrie_word_end(cp, n, j)) {
			best = &s->entry[v];
			*end = j + 1;
		}
	}
	return best;
}

/* Marks that end a clause: ASCII ones by a bit each. */
static const uint64_t ascii_ends = UINT64_C(1) << '.' | UINT64_C(1) << ',' |
    UINT64_C(1) << '!' | UINT64_C(1) << '?' | UINT64_C(1) << ';' |
    UINT64_C(1) << '\n' | UINT64_C(1) << '\r';

static inline bool
clause_end(uint32_t c)
{
	if (c < 64)
		return ascii_ends >> c & 1;
	if (c < 0x2026 || c > 0xFF5E || (c >= 0x3400 && c < 0xFF01))
		return c == '~';
	return c == 0x2026 || c == 0x3001 || c == 0x3002 || c == 0xFF01 ||
	    c == 0xFF0C || c == 0xFF1B || c == 0xFF1F || c == 0xFF5E;
}

/* The state of a text being scored. */
struct scan {
	double sum;    /* the clauses closed, weighed */
	double clause; /* the open clause */
	double weight; /* of what comes: 1, or CONTRAST_AFTER */
	double degree; /* the product of the pending degree words */
	int    neg;    /* pending negations */
	bool   soft;   /* a negation came before the degree */
	size_t since;  /* words or characters since the last rule word */
	size_t opinions;
	bool   start; /* at the start of a clause */
};

static void
clear_pending(struct scan *sc)
{
	sc->degree = 1;
	sc->neg = 0;
	sc->soft = false;
}

static void
opinion(struct scan *sc, double w)
{
	double v = w * sc->degree;

	if (sc->neg % 2 == 1)
		v = sc->soft ? -NEG_SOFTENED * w
		             : -(w > 0 ? NEG_POSITIVE : NEG_NEGATIVE) * v;
	sc->clause += v * sc->weight;
	sc->opinions++;
	clear_pending(sc);
}

/* Close the clause at the run of punctuation at cp[i]; returns the
 * position after the run. */
static size_t
close_clause(struct scan *sc, const uint32_t *cp, size_t n, size_t i)
{
	size_t bangs = 0, questions = 0;

	for (; i < n && (clause_end(cp[i]) || cp[i] == ' '); i++) {
		if (cp[i] == '!' || cp[i] == 0xFF01)
			bangs++;
		else if (cp[i] == '?' || cp[i] == 0xFF1F)
			questions++;
	}
	if (bangs > 0)
		sc->clause *= 1 +
		    BANG_STEP * (double)(bangs < BANG_MAX ? bangs : BANG_MAX);
	if (questions >= 2) {
		sc->clause += QUESTIONS * sc->weight;
		sc->opinions++;
	}
	sc->sum += sc->clause;
	sc->clause = 0;
	sc->start = true;
	clear_pending(sc);
	return i;
}

bool
senti_score(const struct senti *s, const uint32_t *cp, size_t n, double *score)
{
	struct scan               sc = { 0, 0, 1, 1, 0, false, 0, 0, true };
	const struct senti_entry *en;
	size_t                    i = 0, end = 0;

	while (i < n) {
		if (clause_end(cp[i])) {
			i = close_clause(&sc, cp, n, i);
			continue;
		}
		en = ptrie_begins(&s->trie, cp[i]) ? longest(s, cp, n, i, &end)
		                                   : NULL;
		if (en == NULL ||
		    (en->kind == SENTI_CONTRAST && en->clause_start &&
		        !sc.start)) {
			/* A word or a character of no entry. */
			if (ptrie_is_word(cp[i]))
				while (i < n && ptrie_is_word(cp[i]))
					i++;
			else
				i++;
			if (cp[i - 1] != ' ' && ++sc.since > SCOPE)
				clear_pending(&sc);
			sc.start = sc.start && cp[i - 1] == ' ';
			continue;
		}
		i = end;
		sc.start = false;
		switch ((enum senti_kind)en->kind) {
		case SENTI_OPINION:
			opinion(&sc, en->weight);
			break;
		case SENTI_NEUTRAL:
			if (++sc.since > SCOPE)
				clear_pending(&sc);
			continue;
		case SENTI_NEGATION:
			sc.neg++;
			break;
		case SENTI_DEGREE:
			sc.degree *= en->weight;
			sc.soft = sc.soft || sc.neg % 2 == 1;
			break;
		case SENTI_CONTRAST:
			sc.sum = (sc.sum + sc.clause) * CONTRAST_BEFORE;
			sc.clause = 0;
			sc.weight = CONTRAST_AFTER;
			clear_pending(&sc);
			break;
		}
		sc.since = 0;
	}
	close_clause(&sc, cp, n, n);
	if (sc.opinions == 0)
		return false;
	*score = sc.sum / sqrt(sc.sum * sc.sum + SENTI_ALPHA);
	return true;
}
