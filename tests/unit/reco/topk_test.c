/* tests/unit/reco/topk_test.c: the k best, ties by id. */
#include "tap.h"
#include "topk.h"

int
main(void)
{
	struct topk t;
	size_t      n;

	plan(7);
	topk_init(&t, 3);
	topk_push(&t, 1, 9);
	topk_push(&t, 5, 4);
	topk_push(&t, 2, 7);
	topk_push(&t, 5, 2);
	topk_push(&t, 0.5, 1);
	topk_push(&t, 2, 3);
	n = topk_sorted(&t);
	is_int(n, 3, "three kept");
	is_int(t.id[0], 2, "best: score 5, lower id");
	is_int(t.id[1], 4, "then score 5, id 4");
	is_int(t.id[2], 3, "then score 2, id 3 before id 7");
	topk_reset(&t);
	topk_push(&t, 1, 1);
	is_int(topk_sorted(&t), 1, "reset: one kept");
	is_int(t.id[0], 1, "the one pushed");
	ok(t.score[0] == 1, "its score");
	topk_release(&t);
	return done_testing();
}
