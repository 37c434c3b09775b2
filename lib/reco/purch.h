/*
 * purch: a purchase history for recommending: the order lines of every
 * customer (customers, products, orders and categories interned to dense
 * ids), refunds taken off the purchases they refund, and views of the
 * lines in a window of days per customer as a sparse customer x item
 * incidence, by customer and by item (compressed sparse rows).
 *
 * A basket is an order (its order id), whatever the days its lines fall
 * on: every line of an order counts on the order's first day.  Lines
 * without an order id make a basket of each customer-day.  Order ids are
 * told apart by a 64-bit hash (XXH3) of their bytes, within a customer:
 * two orders of a customer with n orders share a hash with probability
 * about n^2 / 2^65, and no table of every order id is built.  A refund of
 * a product cancels one line of that product
 * bought by the same customer at or before the refund: in the refund's
 * order when it names one, else the latest; a refund that names an order
 * and no product cancels every line of that order.  A refund that matches
 * nothing is counted (purch.unmatched) and otherwise ignored.
 */
#ifndef CI_PURCH_H
#define CI_PURCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

/* No day: before every day (a window's open start). */
#define PURCH_NO_DAY INT32_MIN

struct purch_line {
	int64_t  ts;    /* UTC seconds */
	uint64_t order; /* hash of the order id (never 0), 0: none */
	uint32_t cust;  /* customer id */
	uint32_t item;  /* product id; UINT32_MAX: none (a refund's) */
	int32_t  day;   /* local days since 1970-01-01 */
	uint8_t  refund;
};

struct purch {
	struct hmap         custs, items, cats;
	uint32_t           *item_cat; /* 1 + category id of each item, 0 none */
	size_t              capcat;
	struct purch_line  *lines; /* once finished */
	size_t              n;
	struct purch_line **blk; /* before: blocks of lines, blkn[b] each */
	size_t             *blkn, nblk, capblk;
	char               *lastc; /* the last line's customer id, and its id */
	size_t              lastlen, lastcap;
	uint32_t            lastid;
	uint64_t            refunds;   /* refund lines read */
	uint64_t            unmatched; /* of them, matching no purchase */
	uint64_t            cancelled; /* purchase lines they cancelled */
};

/* A zeroed struct purch is empty. */

/* Free p; it becomes empty.  Safe on a zeroed struct. */
void purch_release(struct purch *p);

/* The id of item (s, len), interned if new. */
uint32_t purch_item(struct purch *p, const char *s, size_t len);

/*
 * Add a line: a purchase, or a refund (refund set; item may be empty when
 * order is not).  Empty order and category strings mean none.  The
 * category of an item is the first one given for it.
 */
void purch_add(struct purch *p, const char *cust, size_t clen, const char *item,
    size_t ilen, const char *order, size_t olen, const char *cat, size_t catlen,
    int64_t ts, int32_t day, bool refund);

/* Append the lines of part after those of p, mapping its ids to p's, and
 * empty part. */
void purch_join(struct purch *p, struct purch *part);

/*
 * Once every line is in: number the customers (and, when sort_items is
 * set, the items) in bytewise order of their ids, apply the refunds, keep
 * only the purchases left, move the lines of each order to its first day,
 * and sort them by customer, day, order, item and time.
 */
void purch_finish(struct purch *p, bool sort_items);

/* The number of customers and items. */
static inline size_t
purch_ncust(const struct purch *p)
{
	return hmap_count(&p->custs);
}

static inline size_t
purch_nitem(const struct purch *p)
{
	return hmap_count(&p->items);
}

/* The category name of item i, or NULL. */
const char *purch_category(const struct purch *p, uint32_t i);

/* One customer's purchases of one item in a view. */
struct purch_ent {
	uint32_t item;
	uint32_t baskets; /* baskets holding it */
	uint32_t days;    /* distinct days it was bought */
	int32_t  first;   /* first and last day it was bought */
	int32_t  last;
};

/*
 * A view: the lines of customer c on the days from from[c] (inclusive)
 * until until[c] (exclusive), as rows by customer (ent[off[c]..off[c+1]),
 * sorted by item) and by item (the customers icust[ioff[i]..ioff[i+1]),
 * ascending, with the index of their entry in ient).
 */
struct purch_hist {
	size_t            ncust, nitem, nent, nlines;
	size_t           *off;
	struct purch_ent *ent;
	uint32_t         *baskets; /* per customer */
	uint32_t         *days;    /* per customer: distinct days */
	int32_t          *last;    /* per customer: last day, PURCH_NO_DAY */
	size_t           *ioff;
	uint32_t         *icust;
	uint32_t         *ient;
	size_t            active;  /* customers with a line */
	int32_t           ref_day; /* the last day of the view */
};

/*
 * Build the view of p (finished) holding each customer c's lines from
 * from[c] until until[c]; a NULL bound is open.
 */
void purch_view(struct purch_hist *h, const struct purch *p,
    const int32_t *from, const int32_t *until);

/* Free h.  Safe on a zeroed struct. */
void purch_hist_release(struct purch_hist *h);

/*
 * The baskets of a view's window as lists of distinct items:
 * items[off[b]..off[b+1]) ascending, for b < *nbaskets.  The caller frees
 * *off and *items.
 */
void purch_baskets(const struct purch *p, const int32_t *from,
    const int32_t *until, size_t **off, uint32_t **items, size_t *nbaskets);

#endif
