/*
 * itemcf: item-item collaborative filtering on the customer x item
 * incidence of a purchase view (Sarwar, Karypis, Konstan & Riedl,
 * "Item-based collaborative filtering recommendation algorithms", WWW
 * 2001; Deshpande & Karypis, "Item-based top-N recommendation
 * algorithms", ACM TOIS 22(1), 2004): for each item, its k most similar
 * items.
 *
 * The incidence of customer u and item i is w(u,i) = 1, or with a half
 * life h (days) 2^(-(R - last(u,i)) / h), R being the view's last day, so
 * that old purchases count less.  With co(i,j) = sum over u of
 * w(u,i) w(u,j), s1(i) = sum w(u,i), s2(i) = sum w(u,i)^2 and N the
 * customers with a purchase:
 *
 *   cosine   co / sqrt(s2(i) s2(j))
 *   jaccard  co / (s2(i) + s2(j) - co)     (Tanimoto; Jaccard when 0/1)
 *   lift     co N / (s1(i) s1(j))
 *
 * each multiplied by the shrinkage co / (co + lambda), which pulls the
 * similarity of items seen together by few customers towards 0 (Koren,
 * "Factorization meets the neighborhood", KDD 2008, eq. 1 uses the same
 * form).  Neighbours are kept by similarity, ties by item id.
 */
#ifndef CI_ITEMCF_H
#define CI_ITEMCF_H

#include <stddef.h>
#include <stdint.h>

#include "purch.h"

enum itemcf_sim { ITEMCF_COSINE = 0, ITEMCF_JACCARD, ITEMCF_LIFT };

/* "cosine", "jaccard" or "lift"; NULL-terminated. */
extern const char *const itemcf_sim_names[];

struct itemcf_opts {
	enum itemcf_sim sim;
	unsigned        k;         /* neighbours kept per item, >= 1 */
	double          shrink;    /* lambda; 0: none */
	double          half_life; /* days; 0: no decay */
	unsigned        threads;
};

/* The neighbours of item i: nb[off[i]..off[i+1]) with similarity sim[]. */
struct itemcf {
	size_t    nitem;
	size_t   *off;
	uint32_t *nb;
	float    *sim;
};

/* The weight w(u,i) of entry e of a view with last day ref. */
double itemcf_weight(const struct purch_ent *e, int32_t ref, double half_life);

/* Fit m (zeroed) on h.  Threads share the items. */
void itemcf_fit(
    struct itemcf *m, const struct purch_hist *h, const struct itemcf_opts *o);

/*
 * An empty table for nitem items, with room for nent neighbours in all:
 * for filling (off[i + 1] set after item i's) when read back.
 */
void itemcf_alloc(struct itemcf *m, size_t nitem, size_t nent);

/* Free m.  Safe on a zeroed struct. */
void itemcf_release(struct itemcf *m);

#endif
