/*
 * lifecycle: where a customer stands in the life of a relationship, read
 * from features (ci-features(1)): acquisition, growth, maturity, decline
 * or lost, and the purchase rhythm the stages and value tiers share.
 *
 * The rhythm ratio is recency over the customer's own mean gap between
 * purchase days: 1 means the next purchase is about due, 2 that two usual
 * gaps have passed without one.  A customer with one purchase day has no
 * gap of its own and is measured against the typical gap, the median of
 * the others' (fitted, and kept in a model).
 *
 * The stages, tried in this order (p is a lifecycle_params):
 *   lost         rhythm ratio >= p->lost_after
 *   decline      rhythm ratio >= p->overdue (the rhythm is broken), or
 *                a repeat customer whose spend trend is <= p->falling
 *   acquisition  one purchase, recent (neither of the above)
 *   growth       the rhythm accelerates: at least 2 orders in the recent
 *                window and at least p->growth times the orders of the
 *                window before it
 *   maturity     a steady repeat customer: everyone else
 */
#ifndef CI_LIFECYCLE_H
#define CI_LIFECYCLE_H

#include <stddef.h>

enum lifecycle_stage {
	LIFECYCLE_NONE = -1, /* not defined: no purchase or no recency */
	LIFECYCLE_ACQUISITION,
	LIFECYCLE_GROWTH,
	LIFECYCLE_MATURITY,
	LIFECYCLE_DECLINE,
	LIFECYCLE_LOST
};

struct lifecycle_params {
	double overdue;    /* rhythm ratio of a broken rhythm (2) */
	double lost_after; /* rhythm ratio of a lost customer (4) */
	double growth;     /* recent over earlier orders, accelerating (1.5) */
	double falling;    /* spend trend of a decline (0.5) */
};

/* One customer's inputs; NaN marks a missing value. */
struct lifecycle_in {
	double recency;       /* days since the last purchase */
	double purchases;     /* purchase days (or orders) */
	double gap;           /* mean days between purchase days */
	double typical_gap;   /* the median gap of all customers */
	double orders_recent; /* orders in the last 90 days */
	double orders_before; /* orders in the 90 days before */
	double spend_trend;   /* spend of the last 90 days over the 90 before */
};

/*
 * The rhythm ratio: recency / gap, or recency / typical_gap when gap is
 * NaN; NaN when recency is NaN or neither gap is a positive number.
 */
double lifecycle_rhythm(double recency, double gap, double typical_gap);

/*
 * The stage of a customer as defined above.  LIFECYCLE_NONE when recency
 * or purchases is missing or purchases is below 1.  A rhythm ratio that
 * cannot be computed (no gap at all) counts as not overdue; a missing
 * spend trend or order count makes its test fail.
 */
enum lifecycle_stage lifecycle_stage(
    const struct lifecycle_params *p, const struct lifecycle_in *in);

/* "acquisition", "growth", ...; NULL for LIFECYCLE_NONE. */
const char *lifecycle_name(enum lifecycle_stage s);

#endif
