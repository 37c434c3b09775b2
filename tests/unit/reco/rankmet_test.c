/* tests/unit/reco/rankmet_test.c: ranking measures by hand. */
#include <math.h>

#include "rankmet.h"
#include "tap.h"

int
main(void)
{
	struct rankmet m;
	const uint32_t l1[] = { 5, 1, 7 }, t1[] = { 1, 2 };
	const uint32_t l2[] = { 3, 4, 6 }, t2[] = { 9 };
	double         cov;

	plan(6);
	rankmet_init(&m, 3, 10);
	rankmet_add(&m, l1, 3, t1, 2);
	rankmet_add(&m, l2, 3, t2, 1);
	rankmet_done(&m, &cov);
	ok(m.hit == 0.5, "one customer of two hit");
	ok(fabs(m.recall - 0.25) < 1e-12, "recall (1/2 + 0) / 2");
	ok(fabs(m.precision - 1.0 / 6) < 1e-12, "precision (1/3 + 0) / 2");
	ok(fabs(m.ndcg - (1 / log2(3)) / (1 + 1 / log2(3)) / 2) < 1e-12,
	    "ndcg: hit at rank 2 of an ideal 2");
	ok(fabs(m.map - 0.125) < 1e-12, "map: (1/2) / 2 hits, over 2");
	ok(cov == 0.6, "six of ten items recommended");
	rankmet_release(&m);
	return done_testing();
}
