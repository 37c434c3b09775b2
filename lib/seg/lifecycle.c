/*
 * lifecycle: the rhythm ratio and the stage rules of lifecycle.h.
 */
#include <math.h>

#include "lifecycle.h"

double
lifecycle_rhythm(double recency, double gap, double typical_gap)
{
	double g = isnan(gap) ? typical_gap : gap;

	if (isnan(recency) || !(g > 0))
		return NAN;
	return recency / g;
}

enum lifecycle_stage
lifecycle_stage(const struct lifecycle_params *p, const struct lifecycle_in *in)
{
	double rho;

	if (isnan(in->recency) || !(in->purchases >= 1))
		return LIFECYCLE_NONE;
	rho = lifecycle_rhythm(in->recency, in->gap, in->typical_gap);
	if (rho >= p->lost_after)
		return LIFECYCLE_LOST;
	if (rho >= p->overdue ||
	    (in->purchases >= 2 && in->spend_trend <= p->falling))
		return LIFECYCLE_DECLINE;
	if (in->purchases < 2)
		return LIFECYCLE_ACQUISITION;
	if (in->orders_recent >= 2 &&
	    in->orders_recent >= p->growth * in->orders_before)
		return LIFECYCLE_GROWTH;
	return LIFECYCLE_MATURITY;
}

const char *
lifecycle_name(enum lifecycle_stage s)
{
	static const char *const names[] = { "acquisition", "growth",
		"maturity", "decline", "lost" };

	return s >= LIFECYCLE_ACQUISITION && s <= LIFECYCLE_LOST ? names[s]
	                                                         : NULL;
}
