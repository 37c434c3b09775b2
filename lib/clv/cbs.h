/*
 * cbs: the input of the customer-lifetime-value models, with customers
 * collapsed to their distinct summaries so that the cost of a fit depends
 * on the number of distinct summaries, not on the number of customers.
 *
 * For the purchase-count models (BG/NBD, Pareto/NBD, MBG/NBD) a customer
 * is the triple (x, t_x, T): x repeat purchases, the last at time t_x,
 * observed for a time T since the first purchase, all in one time unit
 * (days or weeks).  For the Gamma-Gamma spend model a customer is the pair
 * (x, m): x > 0 repeat purchases of mean value m.
 *
 * An accumulator collects rows, merging those whose values have the same
 * bits, then freezes into plain arrays with a weight (the number of
 * customers) per distinct row, in first-seen order.  The frozen data also
 * lists the distinct values of x, T and t_x, because model terms that
 * depend on one of them alone are computed once per distinct value: with
 * times in whole days there are few distinct T and t_x even where there
 * are many distinct triples.
 */
#ifndef CI_CBS_H
#define CI_CBS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Distinct (x, t_x, T) triples with their weights; owned arrays. */
struct cbs {
	size_t    n;     /* distinct triples */
	double   *x;     /* repeat purchases, a whole number >= 0 */
	double   *tx;    /* time of the last purchase, 0 <= t_x <= T */
	double   *T;     /* time observed, T >= 0 */
	double   *w;     /* customers with this triple, a whole number >= 1 */
	double    total; /* sum of w: the number of customers */
	double    max_T; /* the largest T (0 when n is 0) */
	size_t    nx;    /* distinct values of x */
	double   *xs;    /* those values, ascending */
	uint32_t *xi;    /* for each triple, the index of its x in xs */
	size_t    nT;    /* distinct values of T, ascending in Ts */
	double   *Ts;
	uint32_t *Ti;  /* for each triple, the index of its T in Ts */
	size_t    ntx; /* distinct values of t_x, ascending in txs */
	double   *txs;
	uint32_t *txi; /* for each triple, the index of its t_x in txs */
};

/* Distinct (x, m) pairs with their weights; owned arrays. */
struct cbs_spend {
	size_t    n;     /* distinct pairs */
	double   *x;     /* repeat purchases, a whole number >= 1 */
	double   *m;     /* mean value of those purchases, > 0 */
	double   *lm;    /* ln m, filled when frozen */
	double   *w;     /* customers with this pair */
	double    total; /* sum of w */
	size_t    nx;    /* distinct values of x */
	double   *xs;    /* those values, ascending */
	uint32_t *xi;    /* for each pair, the index of its x in xs */
};

/* The accumulators' table of row numbers (see cbs.c). */
struct cbs_tab {
	uint32_t *slot;
	size_t    mask;
};

/* An accumulator of triples.  A zeroed struct is an empty accumulator. */
struct cbs_acc {
	struct cbs_tab tab;
	struct cbs     d;
	size_t         cap;
};

/* An accumulator of (x, m) pairs.  A zeroed struct is empty. */
struct cbs_spend_acc {
	struct cbs_tab   tab;
	struct cbs_spend d;
	size_t           cap;
};

/* An empty accumulator. */
void cbs_acc_init(struct cbs_acc *a);

/*
 * Add count customers (count >= 1) with the summary (x, tx, T).  x must
 * be a whole number >= 0, 0 <= tx <= T, tx = 0 when x = 0, and all
 * finite.  (A customer first seen at the end of the period, T = 0, is
 * accepted; the likelihood learns nothing from him.)  Returns the index of
 * the triple (its row once frozen), or -1 with *err (code CI_EXIT_DATA)
 * naming what is wrong, in which case nothing is added.
 */
long cbs_acc_add(struct cbs_acc *a, double x, double tx, double T, size_t count,
    struct ci_err *err);

/*
 * Move what a holds into *out and leave a empty; out then owns its arrays
 * (release them with cbs_release()).
 */
void cbs_acc_freeze(struct cbs_acc *a, struct cbs *out);

/* Free what a holds; a becomes empty.  Safe on a zeroed struct. */
void cbs_acc_release(struct cbs_acc *a);

/* Free the arrays of d and zero it.  Safe on a zeroed struct. */
void cbs_release(struct cbs *d);

/* An empty accumulator of pairs. */
void cbs_spend_acc_init(struct cbs_spend_acc *a);

/*
 * Add count customers (count >= 1) with x repeat purchases of mean value
 * m.  A customer with x = 0 has no repeat purchase to learn a value from:
 * nothing is added and 0 is returned.  Otherwise x must be a whole number
 * and m > 0, both finite.  Returns 0, or -1 with *err (CI_EXIT_DATA) and
 * nothing added.
 */
int cbs_spend_acc_add(struct cbs_spend_acc *a, double x, double m, size_t count,
    struct ci_err *err);

/* As cbs_acc_freeze(), for pairs. */
void cbs_spend_acc_freeze(struct cbs_spend_acc *a, struct cbs_spend *out);

/* Free what a holds; a becomes empty.  Safe on a zeroed struct. */
void cbs_spend_acc_release(struct cbs_spend_acc *a);

/* Free the arrays of d and zero it.  Safe on a zeroed struct. */
void cbs_spend_release(struct cbs_spend *d);

#endif
