/*
 * tier: percentile tables and the tier rules of tier.h.
 */
#include <math.h>
#include <string.h>

#include "quantile.h"
#include "tier.h"

static const char *const value_src[] = { "value_score", "clv",
	"frequency_monetary" };
static const char *const risk_src[] = { "churn_risk", "p_alive", "rhythm" };

void
tier_fit_percentiles(const double *v, size_t n, double *pcts)
{
	quantile_fit(v, n, TIER_PCTS + 1, pcts);
}

double
tier_percentile(const double *pcts, double v)
{
	int r = quantile_rank(pcts, TIER_PCTS, v);

	return r < 0 ? NAN : (double)r;
}

int
tier_at_risk(const struct tier_params *p, enum tier_risk_src src, double x)
{
	switch (src) {
	case TIER_RISK_CHURN:
		return isnan(x) ? -1 : x >= p->risk_score;
	case TIER_RISK_ALIVE:
		return isnan(x) ? -1 : x < p->risk_alive;
	case TIER_RISK_RHYTHM:
		return x >= p->overdue;
	}
	return -1;
}

int
tier_at_risk_bounded(
    const struct tier_params *p, enum tier_risk_src src, double x, double rho)
{
	if (rho >= p->lost_after)
		return 1;
	return tier_at_risk(p, src, x);
}

enum tier
tier_of(const struct tier_params *p, double value, int at_risk)
{
	if (isnan(value) || at_risk < 0)
		return TIER_NONE;
	if (value < p->potential)
		return TIER_GENERAL;
	if (at_risk)
		return TIER_CHURN_RISK;
	return value >= p->high ? TIER_HIGH_VALUE : TIER_POTENTIAL;
}

const char *
tier_name(enum tier t)
{
	static const char *const names[] = { "high-value", "potential",
		"general", "churn-risk" };

	return t >= TIER_HIGH_VALUE && t <= TIER_CHURN_RISK ? names[t] : NULL;
}

const char *
tier_value_src_name(enum tier_value_src s)
{
	return value_src[s];
}

const char *
tier_risk_src_name(enum tier_risk_src s)
{
	return risk_src[s];
}

int
tier_value_src_parse(const char *s, enum tier_value_src *out)
{
	size_t i;

	for (i = 0; i < sizeof(value_src) / sizeof(value_src[0]); i++)
		if (strcmp(s, value_src[i]) == 0) {
			*out = (enum tier_value_src)i;
			return 0;
		}
	return -1;
}

int
tier_risk_src_parse(const char *s, enum tier_risk_src *out)
{
	size_t i;

	for (i = 0; i < sizeof(risk_src) / sizeof(risk_src[0]); i++)
		if (strcmp(s, risk_src[i]) == 0) {
			*out = (enum tier_risk_src)i;
			return 0;
		}
	return -1;
}
