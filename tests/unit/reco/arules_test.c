/* tests/unit/reco/arules_test.c: FP-growth rules against a hand count. */
#include <math.h>

#include "arules.h"
#include "tap.h"

/*
 * Ten baskets of milk 0, bread 1, butter 2, beer 3, chips 4, jam 5.
 * Counted by hand: milk 7, bread 6, butter 4, beer 3, chips 3, jam 2;
 * bread+butter 3, beer+chips 2, bread+butter+milk 2.
 */
static const uint32_t items[] = { 0, 1, 2, 0, 1, 0, 3, 1, 2, 0, 1, 2, 5, 3, 4,
	0, 1, 4, 1, 5, 0, 2, 0, 3, 4 };
static const size_t   off[] = { 0, 3, 5, 7, 9, 13, 15, 18, 20, 22, 25 };

static const struct arules_rule *
find(const struct arules *a, uint32_t x, uint32_t y, uint32_t cons)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct arules_rule *r = &a->r[i];

		if (r->cons == cons && a->items[r->ante] == x &&
		    (y == UINT32_MAX
		            ? r->len == 1
		            : r->len == 2 && a->items[r->ante + 1] == y))
			return r;
	}
	return NULL;
}

int
main(void)
{
	struct arules_opts        o = { 0.2, 0.5, 3 };
	struct arules             a;
	const struct arules_rule *r;

	plan(16);
	is_int(arules_mine(&a, off, items, 10, 6, &o, 1000), 0, "mined");
	ok((r = find(&a, 1, UINT32_MAX, 2)) != NULL, "bread -> butter");
	ok(r != NULL && r->support == 0.3, "support 3/10");
	ok(r != NULL && r->confidence == 0.5, "confidence 3/6");
	ok(r != NULL && fabs(r->lift - 1.25) < 1e-12, "lift 0.5 / 0.4");
	ok(r != NULL && fabs(r->conviction - 1.2) < 1e-12,
	    "conviction 0.6 / 0.5");
	ok((r = find(&a, 3, UINT32_MAX, 4)) != NULL, "beer -> chips");
	ok(r != NULL && r->support == 0.2, "support 2/10");
	ok(r != NULL && fabs(r->confidence - 2.0 / 3) < 1e-12,
	    "confidence 2/3");
	ok(r != NULL && fabs(r->lift - 20.0 / 9) < 1e-12, "lift (2/3) / 0.3");
	ok(r != NULL && fabs(r->conviction - 2.1) < 1e-12,
	    "conviction 0.7 / (1/3)");
	ok((r = find(&a, 1, 2, 0)) != NULL, "bread + butter -> milk");
	ok(r != NULL && r->count == 2 && r->ante_count == 3,
	    "2 of the 3 baskets with bread and butter");
	ok(r != NULL && fabs(r->lift - (2.0 / 3) / 0.7) < 1e-12,
	    "lift (2/3) / 0.7");
	ok(find(&a, 5, UINT32_MAX, 0) == NULL, "jam -> milk: support 1/10");
	arules_release(&a);
	is_int(arules_mine(&a, off, items, 10, 6, &o, 3), -1,
	    "too many itemsets is refused");
	arules_release(&a);
	return done_testing();
}
