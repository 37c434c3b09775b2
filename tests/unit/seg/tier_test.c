/*
 * tier_test: the four tiers at and around their thresholds, each risk
 * source, the lost bound, and percentile tables.
 */
#include <math.h>

#include "tier.h"
#include "tap.h"

int
main(void)
{
	struct tier_params  p = { 80, 40, 60, 0.5, 2, 4 };
	double              v[200], pc[TIER_PCTS];
	size_t              i;
	enum tier_value_src vs;
	enum tier_risk_src  rs;

	plan(22);
	is_int(tier_of(&p, 80, 0), TIER_HIGH_VALUE, "80, not at risk: high");
	is_int(tier_of(&p, 79.5, 0), TIER_POTENTIAL,
	    "79.5, not at risk: potential");
	is_int(tier_of(&p, 40, 0), TIER_POTENTIAL, "40: potential");
	is_int(tier_of(&p, 39, 0), TIER_GENERAL, "39: general");
	is_int(tier_of(&p, 95, 1), TIER_CHURN_RISK, "95, at risk: churn-risk");
	is_int(tier_of(&p, 40, 1), TIER_CHURN_RISK, "40, at risk: churn-risk");
	is_int(tier_of(&p, 39, 1), TIER_GENERAL,
	    "39, at risk: general (not worth a win-back)");
	is_int(tier_of(&p, NAN, 0), TIER_NONE, "no value: no tier");
	is_int(tier_of(&p, 90, -1), TIER_NONE, "unknown risk: no tier");

	ok(tier_at_risk(&p, TIER_RISK_CHURN, 60) == 1 &&
	        tier_at_risk(&p, TIER_RISK_CHURN, 59.9) == 0,
	    "churn_risk 60 is at risk, 59.9 is not");
	ok(tier_at_risk(&p, TIER_RISK_ALIVE, 0.49) == 1 &&
	        tier_at_risk(&p, TIER_RISK_ALIVE, 0.5) == 0,
	    "p_alive 0.49 is at risk, 0.5 is not");
	ok(tier_at_risk(&p, TIER_RISK_RHYTHM, 2) == 1 &&
	        tier_at_risk(&p, TIER_RISK_RHYTHM, 1.9) == 0 &&
	        tier_at_risk(&p, TIER_RISK_RHYTHM, NAN) == 0,
	    "rhythm 2 is at risk, 1.9 and none are not");
	is_int(tier_at_risk(&p, TIER_RISK_CHURN, NAN), -1,
	    "missing churn_risk: unknown");
	ok(tier_at_risk_bounded(&p, TIER_RISK_ALIVE, 1, 4) == 1 &&
	        tier_at_risk_bounded(&p, TIER_RISK_CHURN, 5, 7.5) == 1,
	    "a lost customer (rhythm 4 or more) is at risk whatever the "
	    "model says");
	ok(tier_at_risk_bounded(&p, TIER_RISK_ALIVE, 1, 3.9) == 0 &&
	        tier_at_risk_bounded(&p, TIER_RISK_ALIVE, 0.2, 1) == 1 &&
	        tier_at_risk_bounded(&p, TIER_RISK_ALIVE, 1, NAN) == 0,
	    "below the bound, or without a rhythm, the model decides");
	ok(tier_at_risk_bounded(&p, TIER_RISK_CHURN, NAN, 5) == 1 &&
	        tier_at_risk_bounded(&p, TIER_RISK_CHURN, NAN, 1) == -1,
	    "a lost customer is at risk even without a churn_risk");

	/* 1..200: percentile p is 2p, so rank(v) = ceil(v / 2) - 1. */
	for (i = 0; i < 200; i++)
		v[i] = (double)i + 1;
	tier_fit_percentiles(v, 200, pc);
	ok(pc[0] == 2 && pc[49] == 100 && pc[98] == 198,
	    "percentiles of 1..200");
	ok(tier_percentile(pc, 1) == 0 && tier_percentile(pc, 100) == 49 &&
	        tier_percentile(pc, 101) == 50 &&
	        tier_percentile(pc, 200) == 99,
	    "ranks 0, 49, 50, 99");
	ok(isnan(tier_percentile(pc, NAN)), "NaN has no percentile");
	is_str(tier_name(TIER_CHURN_RISK), "churn-risk", "names");
	ok(tier_value_src_parse("frequency_monetary", &vs) == 0 &&
	        vs == TIER_VALUE_FM && tier_value_src_parse("x", &vs) == -1,
	    "value sources parse");
	ok(tier_risk_src_parse(tier_risk_src_name(TIER_RISK_ALIVE), &rs) == 0 &&
	        rs == TIER_RISK_ALIVE,
	    "risk source names round-trip");
	return done_testing();
}
