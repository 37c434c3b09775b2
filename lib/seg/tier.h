/*
 * tier: the four value tiers a customer team works with, from a value
 * percentile and a risk signal:
 *
 *   high-value   keep close      value >= high, not at risk
 *   potential    grow            value >= potential, not at risk
 *   churn-risk   win back        value >= potential, at risk
 *   general      standard care   value < potential, at risk or not
 *
 * The value is a percentile from 0 to 100: ci-score's value_score (the
 * percentile of clv) when present, else the percentile of clv, else the
 * mean of the percentiles of frequency and monetary value (fitted in
 * tier_fit_percentiles(), kept in a model).  The risk comes from
 * ci-churn's churn_risk when present, else from ci-score's p_alive, else
 * from the rhythm ratio of lifecycle.h; and a customer lifecycle.h calls
 * lost is at risk whichever the source (tier_at_risk_bounded()).
 */
#ifndef CI_TIER_H
#define CI_TIER_H

#include <stdbool.h>
#include <stddef.h>

/* Cut points of a percentile table: the 1st to the 99th percentiles. */
#define TIER_PCTS 99

enum tier {
	TIER_NONE = -1, /* not defined: value or risk missing */
	TIER_HIGH_VALUE,
	TIER_POTENTIAL,
	TIER_GENERAL,
	TIER_CHURN_RISK
};

/* Where the value percentile comes from. */
enum tier_value_src {
	TIER_VALUE_SCORE, /* the value_score column, as it is */
	TIER_VALUE_CLV,   /* the percentile of clv */
	TIER_VALUE_FM     /* the mean percentile of frequency and monetary */
};

/* Where the risk comes from. */
enum tier_risk_src {
	TIER_RISK_CHURN,  /* churn_risk >= risk_score */
	TIER_RISK_ALIVE,  /* p_alive < risk_alive */
	TIER_RISK_RHYTHM, /* rhythm ratio >= overdue */
};

struct tier_params {
	double high;       /* value percentile of high-value (80) */
	double potential;  /* value percentile of potential (40) */
	double risk_score; /* churn_risk at risk (60) */
	double risk_alive; /* p_alive below which at risk (0.5) */
	double overdue;    /* rhythm ratio at risk (2) */
	double lost_after; /* rhythm ratio of a lost customer (4) */
};

/*
 * Fill pcts[0..TIER_PCTS-1] with the percentiles of the n values v (NaN:
 * missing), as quantile_cuts() defines them with 100 parts.
 */
void tier_fit_percentiles(const double *v, size_t n, double *pcts);

/*
 * The percentile rank of v: how many of the TIER_PCTS percentiles are
 * below it, 0 to 99; NaN when v is NaN or the table is empty.
 */
double tier_percentile(const double *pcts, double v);

/*
 * Whether the risk signal x (churn_risk, p_alive or a rhythm ratio, as src
 * says) puts a customer at risk: 1 yes, 0 no, -1 when x is NaN.  A rhythm
 * ratio that is NaN (no gap to measure against) is not at risk.
 */
int tier_at_risk(const struct tier_params *p, enum tier_risk_src src, double x);

/*
 * Whether a customer is at risk for the tiers: as tier_at_risk() says of
 * the risk signal x, except that a customer whose rhythm ratio rho is at
 * least p->lost_after, whom lifecycle.h calls lost, is at risk whatever x
 * says (even when x is missing).  So no lost customer is high-value or
 * potential, however a model rates his chance of being alive (the BG/NBD
 * rates every one-time buyer alive).  rho NaN bounds nothing.
 */
int tier_at_risk_bounded(
    const struct tier_params *p, enum tier_risk_src src, double x, double rho);

/* The tier of a value percentile and an at-risk flag (-1: unknown). */
enum tier tier_of(const struct tier_params *p, double value, int at_risk);

/* "high-value", "potential", "general", "churn-risk"; NULL for none. */
const char *tier_name(enum tier t);

/* The names of the value and risk sources, as a model stores them. */
const char *tier_value_src_name(enum tier_value_src s);
const char *tier_risk_src_name(enum tier_risk_src s);

/* Parse those names; 0, or -1 for an unknown name. */
int tier_value_src_parse(const char *s, enum tier_value_src *out);
int tier_risk_src_parse(const char *s, enum tier_risk_src *out);

#endif
