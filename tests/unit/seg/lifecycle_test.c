/*
 * lifecycle_test: the rhythm ratio and each stage at its thresholds.
 */
#include <math.h>

#include "lifecycle.h"
#include "tap.h"

static enum lifecycle_stage
stage(
    double rec, double purch, double gap, double o90, double o180, double trend)
{
	static const struct lifecycle_params p = { 2, 4, 1.5, 0.5 };
	struct lifecycle_in in = { rec, purch, gap, 30, o90, o180 - o90,
		trend };

	return lifecycle_stage(&p, &in);
}

int
main(void)
{
	plan(16);
	is_near(
	    lifecycle_rhythm(20, 10, 30), 2, 0, "20 days over a 10-day gap");
	is_near(lifecycle_rhythm(15, NAN, 30), 0.5, 0,
	    "no own gap: the typical one");
	ok(isnan(lifecycle_rhythm(15, NAN, NAN)), "no gap at all: undefined");
	ok(isnan(lifecycle_rhythm(NAN, 10, 30)), "no recency: undefined");

	is_int(stage(10, 1, NAN, 1, 1, NAN), LIFECYCLE_ACQUISITION,
	    "one purchase 10 days ago (typical gap 30): acquisition");
	is_int(stage(60, 1, NAN, 1, 1, NAN), LIFECYCLE_DECLINE,
	    "one purchase 2 typical gaps ago: decline");
	is_int(stage(120, 1, NAN, 0, 0, NAN), LIFECYCLE_LOST,
	    "one purchase 4 typical gaps ago: lost");
	is_int(stage(119, 1, NAN, 0, 0, NAN), LIFECYCLE_DECLINE,
	    "just under 4 gaps: decline");
	is_int(stage(5, 6, 10, 2, 4, 1.2), LIFECYCLE_MATURITY,
	    "2 recent orders against 2 before (below 1.5 x 2): maturity");
	is_int(stage(5, 6, 10, 3, 5, 1.2), LIFECYCLE_GROWTH,
	    "3 recent orders against 2 before: growth");
	is_int(stage(5, 6, 10, 2, 2, NAN), LIFECYCLE_GROWTH,
	    "2 recent orders, none before: growth");
	is_int(stage(5, 6, 10, 1, 1, NAN), LIFECYCLE_MATURITY,
	    "1 recent order, none before: maturity");
	is_int(stage(5, 6, 10, 3, 5, 0.5), LIFECYCLE_DECLINE,
	    "spend trend 0.5: decline");
	is_int(stage(19, 6, 10, 0, 2, 1), LIFECYCLE_MATURITY,
	    "1.9 gaps since the last purchase: still maturity");
	is_int(
	    stage(NAN, 6, 10, 0, 2, 1), LIFECYCLE_NONE, "no recency: no stage");
	is_int(stage(10, 0, NAN, 0, 0, NAN), LIFECYCLE_NONE,
	    "no purchase: no stage");
	return done_testing();
}
