/*
 * cbs_test: collapsing customer summaries to distinct weighted rows in
 * first-seen order, the distinct-x index, and the rows refused.
 */
#include <math.h>
#include <stdio.h>

#include "cbs.h"
#include "tap.h"

int
main(void)
{
	struct cbs_acc       a;
	struct cbs_spend_acc sa;
	struct cbs           d, z = { 0 };
	struct cbs_spend     sd, sz = { 0 };
	struct ci_err        e;
	size_t               i, bad = 0;
	int                  rc;

	plan(20);
	cbs_acc_init(&a);
	cbs_acc_add(&a, 1, 2.5, 10, 1, &e);
	cbs_acc_add(&a, 0, 0, 10, 1, &e);
	cbs_acc_add(&a, 1, 2.5, 10, 2, &e);
	cbs_acc_add(&a, 1, 2.5, 10.000000001, 1, &e);
	cbs_acc_add(&a, 0, -0.0, 5, 1, &e);
	cbs_acc_add(&a, 0, 0.0, 5, 4, &e);
	cbs_acc_add(&a, 4, 5, 12, 1, &e);
	cbs_acc_add(&a, 1, 2.5, 10, 1, &e);
	cbs_acc_freeze(&a, &d);
	is_int(d.n, 5, "8 adds of 5 distinct triples make 5 rows");
	ok(d.total == 12 && d.w[0] == 4 && d.w[1] == 1 && d.w[2] == 1 &&
	        d.w[3] == 5 && d.w[4] == 1,
	    "weights count customers, rows in first-seen order");
	ok(d.x[3] == 0 && d.tx[3] == 0 && !signbit(d.tx[3]) && d.T[3] == 5,
	    "-0 and +0 make one row, stored as +0");
	ok(d.max_T == 12, "max T is 12");
	ok(d.nx == 3 && d.xs[0] == 0 && d.xs[1] == 1 && d.xs[2] == 4 &&
	        d.xi[0] == 1 && d.xi[1] == 0 && d.xi[4] == 2,
	    "distinct x values 0, 1, 4 and each row's index among them");
	ok(a.d.n == 0 && a.tab.slot == NULL,
	    "freezing leaves the accumulator empty");
	ok(d.nT == 4 && d.Ts[0] == 5 && d.Ts[3] == 12 && d.Ti[0] == 1 &&
	        d.Ti[2] == 2 && d.Ti[3] == 0 && d.ntx == 3 && d.txs[0] == 0 &&
	        d.txs[2] == 5 && d.txi[4] == 2 && d.txi[3] == 0,
	    "distinct T and t_x values, ascending, and each row's index");
	cbs_release(&d);

	rc = (int)cbs_acc_add(&a, 1.5, 1, 2, 1, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "x = 1.5 is refused: %s", e.msg);
	rc = (int)cbs_acc_add(&a, 2, 3, 2, 1, &e);
	ok(rc == -1 && strstr(e.msg, "recency") != NULL,
	    "t_x > T is refused: %s", e.msg);
	rc = (int)cbs_acc_add(&a, 0, 1, 2, 1, &e);
	ok(rc == -1, "t_x > 0 with x = 0 is refused: %s", e.msg);
	if (cbs_acc_add(&a, -1, 0, 2, 1, &e) != -1 ||
	    cbs_acc_add(&a, 1, 0, NAN, 1, &e) != -1 ||
	    cbs_acc_add(&a, 1, 0, -2, 1, &e) != -1 ||
	    cbs_acc_add(&a, 1, INFINITY, INFINITY, 1, &e) != -1 ||
	    cbs_acc_add(&a, 1, 1, 2, 0, &e) != -1)
		bad++;
	ok(bad == 0 && a.d.n == 0,
	    "x < 0, NaN, T < 0, infinity and a count of 0 are refused, and "
	    "nothing is added");
	rc = (int)cbs_acc_add(&a, 0, 0, 0, 1, &e);
	ok(rc == 0, "T = 0 (bought on the last day) is accepted as row 0");
	rc = (int)cbs_acc_add(&a, 1, 0, 0, 1, &e);
	ok(rc == 1, "a new triple is row 1");
	rc = (int)cbs_acc_add(&a, 0, 0, 0, 3, &e);
	ok(rc == 0, "a known triple is its row");
	cbs_acc_release(&a);

	for (i = 0; i < 100000; i++)
		cbs_acc_add(&a, (double)(i % 10), (double)(i % 10),
		    10 + (double)(i % 1000) / 100, 1, &e);
	cbs_acc_freeze(&a, &d);
	for (i = 0; i < d.n; i++)
		if (d.w[i] != 100)
			bad++;
	ok(d.n == 1000 && d.total == 100000 && bad == 0 && d.nx == 10,
	    "100000 customers in 1000 triples of 100 each");
	cbs_release(&d);

	cbs_spend_acc_init(&sa);
	rc = cbs_spend_acc_add(&sa, 0, 5, 1, &e);
	ok(rc == 0 && sa.d.n == 0, "spend: a customer with x = 0 is skipped");
	rc = cbs_spend_acc_add(&sa, 2, 0, 1, &e);
	ok(rc == -1 && e.code == CI_EXIT_DATA, "spend: m = 0 is refused: %s",
	    e.msg);
	cbs_spend_acc_add(&sa, 2, 10.5, 1, &e);
	cbs_spend_acc_add(&sa, 3, 10.5, 1, &e);
	cbs_spend_acc_add(&sa, 2, 10.5, 3, &e);
	cbs_spend_acc_freeze(&sa, &sd);
	ok(sd.n == 2 && sd.total == 5 && sd.w[0] == 4 && sd.x[1] == 3 &&
	        sd.nx == 2 && sd.xi[1] == 1 && sd.lm[1] == log(10.5),
	    "spend: pairs collapse with their weights");
	cbs_spend_release(&sd);
	cbs_spend_acc_release(&sa);

	cbs_release(&z);
	cbs_spend_release(&sz);
	cbs_acc_init(&a);
	cbs_acc_release(&a);
	cbs_acc_freeze(&a, &d);
	ok(d.n == 0 && d.total == 0, "an empty accumulator freezes to no rows");
	cbs_release(&d);
	ok(1, "releasing zeroed structs is safe");
	return done_testing();
}
