/*
 * rankmet: the measures of a top-K list against the items a customer
 * went on to buy (the truth, a set), averaged over customers:
 *
 *   hit_rate   1 when the list holds a truth item
 *   recall     truth items in the list / truth items
 *   precision  truth items in the list / K
 *   ndcg       sum over hits at rank r of 1/log2(r + 1), over the same
 *              sum for min(K, |truth|) hits at the top (Jarvelin &
 *              Kekalainen, ACM TOIS 20(4), 2002)
 *   map        sum over hits at rank r of (hits up to r) / r, over
 *              min(K, |truth|)
 *
 * and catalogue coverage: the distinct items recommended to anyone over
 * the items of the catalogue.
 */
#ifndef CI_RANKMET_H
#define CI_RANKMET_H

#include <stddef.h>
#include <stdint.h>

struct rankmet {
	size_t   k, customers, nitem, covered;
	double   hit, recall, precision, ndcg, map;
	uint8_t *seen; /* per item: recommended */
};

/* Start measuring lists of length k over a catalogue of nitem items. */
void rankmet_init(struct rankmet *m, size_t k, size_t nitem);

/*
 * Add a customer's list list[0..n) (n <= k) and truth truth[0..nt),
 * ascending.
 */
void rankmet_add(struct rankmet *m, const uint32_t *list, size_t n,
    const uint32_t *truth, size_t nt);

/* The means (in hit ... map) and coverage. */
void rankmet_done(struct rankmet *m, double *coverage);

void rankmet_release(struct rankmet *m);

#endif
