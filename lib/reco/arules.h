/*
 * arules: association rules from baskets.  Frequent itemsets are mined by
 * FP-growth (Han, Pei & Yin, "Mining frequent patterns without candidate
 * generation", SIGMOD 2000): one FP-tree of the baskets' frequent items,
 * then a conditional tree for each suffix, to max_len items.  Each
 * frequent itemset X of two or more items gives the rules X - {c} -> c,
 * one for each of its items c, with (Agrawal, Imielinski & Swami 1993;
 * Brin, Motwani, Ullman & Tsur 1997 for conviction), N the baskets:
 *
 *   support     n(X) / N
 *   confidence  n(X) / n(A)                 A = X - {c}
 *   lift        confidence / (n(c) / N)
 *   conviction  (1 - n(c) / N) / (1 - confidence)   (infinite at 1)
 *
 * kept when support >= min_support and confidence >= min_confidence.
 */
#ifndef CI_ARULES_H
#define CI_ARULES_H

#include <stddef.h>
#include <stdint.h>

struct arules_opts {
	double   min_support;    /* share of the baskets, in (0, 1] */
	double   min_confidence; /* in [0, 1] */
	unsigned max_len;        /* items in an itemset, >= 2 */
};

struct arules_rule {
	size_t   ante; /* the antecedent: items[ante..ante + len) */
	uint32_t len;
	uint32_t cons;  /* the consequent */
	uint32_t count; /* baskets holding the antecedent and consequent */
	uint32_t ante_count;
	uint32_t cons_count;
	double   support, confidence, lift, conviction;
};

/*
 * The rules, sorted by their antecedent's items then consequent (so the
 * rules of an antecedent whose first item is i are a run), each
 * antecedent ascending.
 */
struct arules {
	size_t              n, nbaskets, nitemsets;
	struct arules_rule *r;
	uint32_t           *items;
	size_t             *first; /* rules r[first[i]..first[i+1]) have ante
	                              beginning with item i */
	size_t              nitem;
};

/*
 * Mine the rules of the nb baskets items[off[b]..off[b+1]) (distinct item
 * ids below nitem, ascending) into a (zeroed).  Returns 0, or -1 when
 * more than max_itemsets itemsets are frequent (lower the support or the
 * length).
 */
int arules_mine(struct arules *a, const size_t *off, const uint32_t *items,
    size_t nb, size_t nitem, const struct arules_opts *o, size_t max_itemsets);

/*
 * The best confidence of a rule whose antecedent the sorted items h[0..nh)
 * hold, for every consequent not in h: calls fn(ctx, cons, confidence,
 * rule) for each matching rule.
 */
void arules_match(const struct arules *a, const uint32_t *h, size_t nh,
    void (*fn)(void *ctx, const struct arules_rule *r), void *ctx);

/* Free a.  Safe on a zeroed struct. */
void arules_release(struct arules *a);

#endif
