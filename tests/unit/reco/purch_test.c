/* tests/unit/reco/purch_test.c: refunds, baskets and views. */
#include <stdlib.h>
#include <string.h>

#include "purch.h"
#include "tap.h"

static void
add(struct purch *p, const char *c, const char *i, const char *o, int64_t ts,
    bool refund)
{
	purch_add(p, c, strlen(c), i, strlen(i), o, strlen(o), "", 0, ts,
	    (int32_t)(ts / 86400), refund);
}

int
main(void)
{
	struct purch      p = { 0 };
	struct purch_hist h;
	int32_t           until[2];
	size_t           *off, nb;
	uint32_t         *items;

	plan(18);
	add(&p, "b", "tea", "O1", 86400, false);
	add(&p, "b", "cup", "O1", 86400, false);
	add(&p, "b", "tea", "O2", 3 * 86400, false);
	add(&p, "b", "tea", "", 4 * 86400, true); /* cancels O2's tea */
	add(&p, "a", "tea", "", 86400, false);
	add(&p, "a", "tea", "", 86400 + 60, false);
	add(&p, "a", "cup", "", 2 * 86400, false);
	add(&p, "a", "jam", "", 2 * 86400, true); /* matches nothing */
	purch_finish(&p, true);
	is_int(p.n, 5, "five purchases left");
	is_int(p.cancelled, 1, "one cancelled");
	is_int(p.unmatched, 1, "one refund matched nothing");
	purch_view(&h, &p, NULL, NULL);
	is_int(h.ncust, 2, "two customers");
	ok(strcmp(hmap_key(&p.custs, 0, NULL), "a") == 0, "ids by name");
	is_int(h.baskets[0], 2, "a: two customer-days");
	is_int(h.baskets[1], 1, "b: one order left");
	is_int(h.off[1] - h.off[0], 2, "a: two items");
	is_int(h.ioff[3] - h.ioff[2], 2, "tea (after cup, jam): two customers");
	purch_hist_release(&h);
	until[0] = 2;
	until[1] = 2;
	purch_view(&h, &p, NULL, until);
	is_int(h.nlines, 4, "before day 2: four lines");
	purch_hist_release(&h);
	purch_baskets(&p, NULL, NULL, &off, &items, &nb);
	is_int(nb, 3, "three baskets");
	is_int(off[1] - off[0], 1, "a's first day: tea once");
	free(off);
	free(items);
	purch_release(&p);

	/* An order whose lines fall on two days is one basket, on its first
	 * day; lines without an order make a basket of each day. */
	memset(&p, 0, sizeof(p));
	add(&p, "c", "tea", "O9", 10 * 86400 - 60, false);
	add(&p, "c", "cup", "O9", 10 * 86400 + 60, false);
	add(&p, "c", "jam", "O8", 9 * 86400 + 43200, false);
	add(&p, "c", "jam", "", 11 * 86400, false);
	add(&p, "c", "tea", "", 11 * 86400 + 60, false);
	purch_finish(&p, true);
	purch_view(&h, &p, NULL, NULL);
	is_int(h.baskets[0], 3, "c: orders O9 and O8 and a customer-day");
	is_int(h.days[0], 2, "c: two days, O9 on its first");
	is_int(h.ent[2].baskets, 2, "tea: in O9 and the customer-day");
	is_int(h.ent[2].first, 9, "tea: first on day 9");
	purch_hist_release(&h);
	purch_baskets(&p, NULL, NULL, &off, &items, &nb);
	is_int(nb, 3, "three baskets");
	is_int(off[3] - off[2], 2, "the day without an order: jam, tea");
	free(off);
	free(items);
	purch_release(&p);
	return done_testing();
}
