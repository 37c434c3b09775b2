/*
 * blend: a customer's recommendations as a weighted sum of components,
 * each a number in [0, 1] for a candidate item j:
 *
 *   own         the share of the customer's baskets that held j (times
 *               the decay of its last purchase, with a half life)
 *   cooccurrence  sum over the customer's items i of w(u,i) sim(i,j),
 *               over the sum of w(u,i) (itemcf)
 *   popularity  the share of customers who bought j: of the customer's
 *               segment when it has one, else of all
 *   recent      the share of the customers active in the last days of the
 *               history who bought j then
 *   rules       the best confidence of an association rule whose
 *               antecedent the customer bought and whose consequent is j
 *
 * with the reason of the component that adds the most.  The weights are
 * chosen on a holdout by blend_tune(): coordinate ascent over a grid, the
 * objective being the hit rate at K, then recall, from popularity alone,
 * to which they stay unless the blend found is clearly better.
 */
#ifndef CI_BLEND_H
#define CI_BLEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arules.h"
#include "itemcf.h"
#include "purch.h"

enum blend_comp {
	BLEND_OWN = 0,
	BLEND_CO,
	BLEND_POP,
	BLEND_RECENT,
	BLEND_RULES,
	BLEND_NCOMP
};

/* "own", "cooccurrence", "popularity", "recent", "rules". */
extern const char *const blend_comp_names[BLEND_NCOMP];

/* The components blend_tune() weighs (rules are not among them). */
#define BLEND_NTUNED 4

/* Popularity: shares of customers, per item, and items by share. */
struct blend_pop {
	size_t    nitem, nseg;
	double   *overall;                         /* nitem */
	double   *recent;                          /* nitem */
	double   *seg;                             /* nseg x nitem */
	uint32_t *by_overall, *by_recent, *by_seg; /* items, best first */
	uint32_t *cat_rank; /* rank of each item in its category, from 1 */
	size_t    customers, recent_customers;
	int       recent_days;
};

/*
 * Popularity in h: overall, in the recent_days days up to h's last day,
 * and per segment (seg[c]: 1 + segment of customer c, 0 none; NULL: no
 * segments, nseg 0).  cat[i] is 1 + the category of item i, 0 none (for
 * the rank in the category; NULL: none).
 */
void blend_pop_fit(struct blend_pop *p, const struct purch_hist *h,
    int recent_days, const uint32_t *seg, size_t nseg, const uint32_t *cat);

/* Allocate p for reading back (arrays zeroed). */
void blend_pop_alloc(struct blend_pop *p, size_t nitem, size_t nseg);

/* Sort the by_* lists of p from its shares. */
void blend_pop_order(struct blend_pop *p);

void blend_pop_release(struct blend_pop *p);

/* What a recommendation is made of. */
struct blend_model {
	const struct itemcf    *cf;    /* or NULL */
	const struct blend_pop *pop;   /* or NULL */
	const struct arules    *rules; /* or NULL */
	double                  w[BLEND_NCOMP];
	double                  half_life; /* of own and cooccurrence */
	bool                    exclude_purchased;
	const uint8_t          *allowed; /* per item, NULL: all */
	size_t                  nitem;
};

/* A customer: its entries in a view (sorted by item) and baskets. */
struct blend_cust {
	const struct purch_ent *ent;
	size_t                  n;
	uint32_t                baskets;
	int32_t                 ref_day; /* the day the decay counts to */
	uint32_t                seg;     /* 1 + segment, 0 none */
};

/* One recommendation. */
struct blend_rec {
	uint32_t        item;
	double          score;
	enum blend_comp reason;
	uint32_t        why;  /* BLEND_CO: the item bought with; BLEND_RULES:
	                         the rule's index */
	uint32_t        days; /* BLEND_OWN: the entry's days, baskets */
	uint32_t        baskets;
	int32_t         first, last;
};

/* Scratch space for scoring, one per thread. */
struct blend_ws {
	size_t    nitem, n;
	double   *comp;    /* BLEND_NCOMP per item */
	double   *best;    /* the best contribution to cooccurrence, rules */
	uint32_t *why;     /* its item or rule */
	int32_t  *ent;     /* entry of the customer's own item, -1 none */
	uint32_t *touched; /* candidates */
	uint8_t  *mark;
	uint32_t *hitems; /* the customer's items, for the rules */
};

void blend_ws_init(struct blend_ws *ws, size_t nitem);
void blend_ws_release(struct blend_ws *ws);

/*
 * Gather the candidates of customer c under m in ws (ws->touched[0..n),
 * ws->comp), those of every component with a weight above 0; popularity
 * and recent offer their best k items that may be recommended.
 */
void blend_candidates(const struct blend_model *m, struct blend_ws *ws,
    const struct blend_cust *c, size_t k);

/*
 * The best k (at most) recommendations for c into out, best first:
 * candidates with a score above 0, ties by item id.  Returns their number.
 */
size_t blend_recommend(const struct blend_model *m, struct blend_ws *ws,
    const struct blend_cust *c, size_t k, struct blend_rec *out);

/*
 * A tuning set: for each customer its candidates' components (cand[i] of
 * comp[i * BLEND_NTUNED ...]) in off[c]..off[c+1], and its held-out items
 * truth[toff[c]..toff[c+1]) ascending.
 */
struct blend_tune_set {
	size_t    n, ncand, ntruth, capcand, captruth;
	size_t   *off, *toff;
	uint32_t *cand, *truth;
	float    *comp;
};

/* Add customer c's candidates in ws and its truth items to s. */
void blend_tune_add(struct blend_tune_set *s, const struct blend_ws *ws,
    const uint32_t *truth, size_t ntruth);

void blend_tune_release(struct blend_tune_set *s);

/*
 * Choose the weights w[0..BLEND_NTUNED) of s at K = k, starting from w,
 * by coordinate ascent over a grid, the objective being the hit rate,
 * then the recall.  The weights found are kept only when they are
 * clearly better than those at the start (blend_better()): otherwise w
 * is left as it was, and false returned.  *hit and *recall get the
 * measures of the weights returned.
 */
bool blend_tune(const struct blend_tune_set *s, size_t k,
    double w[BLEND_NTUNED], double *hit, double *recall);

/*
 * Whether the lists whose hits are hits[0..n) are clearly better than
 * those whose hits are base[0..n) on the same customers: of the customers
 * whose hit changes, those gaining one outnumber those losing one by at
 * least twice the square root of their sum (McNemar's test, one-sided, at
 * about the 2.5% level), so that a gain within the noise of the tuning
 * customers does not count.
 */
bool blend_better(const uint8_t *base, const uint8_t *hits, size_t n);

#endif
