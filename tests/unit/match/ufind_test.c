/* tests/unit/match/ufind_test.c: disjoint sets. */
#include "tap.h"
#include "ufind.h"

int
main(void)
{
	struct ufind u;

	plan(4);
	ufind_init(&u, 5);
	ufind_union(&u, 0, 1);
	ufind_union(&u, 3, 4);
	ok(ufind_find(&u, 0) == ufind_find(&u, 1), "0 and 1 joined");
	ok(ufind_find(&u, 1) != ufind_find(&u, 3), "1 and 3 apart");
	ufind_union(&u, 1, 4);
	ok(ufind_find(&u, 0) == ufind_find(&u, 3), "joined through 1-4");
	is_int((int)u.size[ufind_find(&u, 0)], 4, "a set of four");
	ufind_release(&u);
	return done_testing();
}
