/*
 * custagg: what the report says about the customers, gathered one row at
 * a time: the headline counts and sums, the customers and revenue of each
 * segment (RFM segment, value tier, lifecycle stage, cluster, risk band),
 * the RFM recency x frequency grid, the distributions of CLV, churn risk
 * and sentiment, and the at-risk customers of most value, their personal
 * data masked.
 *
 * A customer is at risk when still active (bought within the active
 * window, when the row tells its recency: one gone for longer is lost, not
 * at risk) and, by the first of these its row can tell, its risk_band is
 * high or critical (ci-churn), its churn_risk is 50 or more, or its
 * value_tier is churn-risk (ci-segment).  Memory: a few numbers per
 * customer for the distributions, and the strings of the at-risk rows.
 */
#ifndef CI_CUSTAGG_H
#define CI_CUSTAGG_H

#include <stdbool.h>
#include <stddef.h>

#include "hmap.h"
#include "pool.h"

/* Grid of RFM scores 1..CUSTAGG_SCORES. */
#define CUSTAGG_SCORES 9
/* Bins of the churn risk histogram, 10 points wide. */
#define CUSTAGG_RISK_BINS 10

enum custagg_kind {
	CUSTAGG_RFM = 0,
	CUSTAGG_TIER,
	CUSTAGG_LIFE,
	CUSTAGG_BAND,
	CUSTAGG_CLUSTER,
	CUSTAGG_NKINDS
};

/* How the at-risk customers are told, from the columns there are. */
enum custagg_risk {
	CUSTAGG_RISK_NONE = 0,
	CUSTAGG_RISK_BAND,  /* risk_band high or critical */
	CUSTAGG_RISK_SCORE, /* churn_risk >= 50 */
	CUSTAGG_RISK_TIER   /* value_tier churn-risk */
};

/* A string field of a row: bytes and length (len 0: empty). */
struct custagg_str {
	const char *s;
	size_t      len;
};

/* One customer's values; NaN for a number the row lacks. */
struct custagg_row {
	struct custagg_str id;
	double             revenue;
	double             clv;
	double             recency; /* days since the last purchase */
	double             churn_risk;
	double             sentiment; /* mean sentiment, -1..1 */
	double             negative;  /* negative texts */
	int                r_score;   /* 1..9, 0: none */
	int                f_score;
	struct custagg_str seg[CUSTAGG_NKINDS];
	struct custagg_str reason[3];
	struct custagg_str action;
	struct custagg_str name, phone, email; /* masked when kept */
};

/* The customers and sums of one segment. */
struct custagg_group {
	const char *name; /* "" for rows without one; set by finish */
	size_t      rank; /* place in the vocabulary, for the order */
	size_t      customers;
	double      revenue;
	double      clv_sum;
	size_t      clv_n;
};

struct custagg_groups {
	struct hmap           map;
	struct custagg_group *g;
	size_t                n;
	size_t                cap;
};

/* An at-risk customer, with the strings kept (masked). */
struct custagg_top {
	char  *id;
	char  *name; /* masked, NULL when the input has none */
	char  *phone;
	char  *tier;
	char  *band;
	char  *reason[3];
	char  *action;
	double clv;
	double revenue;
	double churn_risk;
};

struct custagg {
	double                active_days; /* recency at most this: active */
	enum custagg_risk     risk;
	size_t                customers;
	size_t                active;
	size_t                active_known; /* rows with a recency */
	double                revenue;
	double                clv_sum;
	size_t                clv_n;
	size_t                at_risk;
	double                at_risk_revenue;
	double                at_risk_clv;
	struct custagg_groups groups[CUSTAGG_NKINDS];
	size_t  grid[CUSTAGG_SCORES][CUSTAGG_SCORES]; /* [r-1][f-1] */
	int     rmax, fmax;                           /* highest scores seen */
	double *clv; /* every clv, for its distribution */
	size_t  nclv, capclv;
	size_t  risk_bins[CUSTAGG_RISK_BINS];
	size_t  risk_n;
	double *sent; /* every sentiment */
	size_t  nsent, capsent;
	size_t  negative_customers; /* with a negative text */
	size_t  negative_at_risk;
	struct custagg_top *top; /* the at-risk customers */
	size_t              ntop, captop;
	struct pool         pool;
};

/* Start gathering: active within active_days, at risk by risk. */
void
custagg_init(struct custagg *a, double active_days, enum custagg_risk risk);

/* Add one customer. */
void custagg_add(struct custagg *a, const struct custagg_row *row);

/*
 * Finish: each kind's groups in the order of its vocabulary (the names of
 * ci-segment and ci-churn, in their documented order), other names after
 * them in byte order and rows without one last; the at-risk customers by
 * clv (revenue without a clv), highest first, ties by id; the clv values
 * sorted.
 */
void custagg_finish(struct custagg *a);

/*
 * The bins of the clv distribution: up to max bins of a round width from
 * 0, the last one open above (it takes the top 1% or more); edges[0..*n]
 * are the bins' lower edges and counts[0..*n-1] their customers (edges has
 * max + 1 room).  Call after custagg_finish().
 */
void custagg_clv_bins(const struct custagg *a, size_t max, double *edges,
    size_t *counts, size_t *n);

/* Free what a holds.  Safe on a zeroed struct. */
void custagg_release(struct custagg *a);

#endif
