/* tests/unit/reco/itemcf_test.c: similarities by hand. */
#include <math.h>
#include <string.h>

#include "itemcf.h"
#include "tap.h"

static void
add(struct purch *p, const char *c, const char *i)
{
	purch_add(p, c, strlen(c), i, strlen(i), "", 0, "", 0, 0, 0, false);
}

int
main(void)
{
	struct purch       p = { 0 };
	struct purch_hist  h;
	struct itemcf      m = { 0 };
	struct itemcf_opts o = { ITEMCF_COSINE, 5, 0, 0, 2 };

	plan(6);
	/* x: a b c; y: a b; z: a.  Items a 0, b 1, c 2. */
	add(&p, "x", "a");
	add(&p, "x", "b");
	add(&p, "x", "c");
	add(&p, "y", "a");
	add(&p, "y", "b");
	add(&p, "z", "a");
	purch_finish(&p, true);
	purch_view(&h, &p, NULL, NULL);
	itemcf_fit(&m, &h, &o);
	is_int(m.off[1] - m.off[0], 2, "a has two neighbours");
	is_int(m.nb[0], 1, "a's best is b");
	ok(fabs(m.sim[0] - 2 / sqrt(6)) < 1e-6, "cosine(a,b) = 2/sqrt(3*2)");
	itemcf_release(&m);
	o.sim = ITEMCF_JACCARD;
	itemcf_fit(&m, &h, &o);
	ok(fabs(m.sim[0] - 2.0 / 3) < 1e-6, "jaccard(a,b) = 2/3");
	itemcf_release(&m);
	o.sim = ITEMCF_LIFT;
	o.shrink = 1;
	itemcf_fit(&m, &h, &o);
	is_int(m.nb[m.off[2]], 1, "c's best by lift is b, the rarer");
	ok(fabs(m.sim[m.off[2]] - 1.0 * 3 / 2 * 0.5) < 1e-6,
	    "lift(c,b) = 1*3/(1*2), shrunk by 1/(1+1)");
	itemcf_release(&m);
	purch_hist_release(&h);
	purch_release(&p);
	return done_testing();
}
