/*
 * quantile_test: cut points by rank on hand-checked columns, ties at the
 * borders, missing values, and ranks among cut points.
 */
#include <math.h>
#include <stdlib.h>

#include "quantile.h"
#include "tap.h"

int
main(void)
{
	/* Ten distinct values: the quintile cuts are y[1], y[3], y[5], y[7]. */
	static const double ten[10] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 10 };
	/* Seven values with a run of 3s across two borders, and NaNs. */
	double       ties[9] = { 3, 1, NAN, 3, 5, 3, 2, NAN, 3 };
	double       cuts[4], *y;
	size_t       m;
	const double c5[4] = { 2, 4, 6, 8 };

	plan(16);
	y = quantile_sorted(ten, 10, &m);
	quantile_cuts(y, m, 5, cuts);
	ok(m == 10 && cuts[0] == 2 && cuts[1] == 4 && cuts[2] == 6 &&
	        cuts[3] == 8,
	    "ten values: cuts 2, 4, 6, 8 (the 20%% ranks)");
	is_near(quantile_median(y, m), 5, 0, "lower median of 1..10 is 5");
	free(y);

	/*
	 * Sorted: 1 2 3 3 3 3 5 (m = 7).  Cut j is y[ceil(7j/5) - 1]:
	 * y[1] = 2, y[2] = 3, y[4] = 3, y[5] = 3.
	 */
	y = quantile_sorted(ties, 9, &m);
	quantile_cuts(y, m, 5, cuts);
	ok(m == 7 && cuts[0] == 2 && cuts[1] == 3 && cuts[2] == 3 &&
	        cuts[3] == 3,
	    "NaNs are left out; cuts 2, 3, 3, 3");
	is_int(quantile_rank(cuts, 4, 3), 1,
	    "a value equal to a cut point ranks below it");
	is_int(quantile_rank(cuts, 4, 2), 0, "the least cut point: rank 0");
	is_int(quantile_rank(cuts, 4, 5), 4, "above all: rank 4");
	is_int(quantile_rank(cuts, 4, 2.5), 1, "between 2 and 3: rank 1");
	is_int(quantile_rank(cuts, 4, NAN), -1, "NaN has no rank");
	free(y);

	is_int(quantile_rank(c5, 4, 1), 0, "below every cut");
	is_int(quantile_rank(c5, 4, 8), 3, "on the last cut");
	is_int(quantile_rank(c5, 4, 8.5), 4, "above the last cut");

	y = quantile_sorted(ties, 0, &m);
	ok(y == NULL && m == 0, "no values: no array");
	quantile_cuts(y, m, 5, cuts);
	ok(isnan(cuts[0]) && isnan(cuts[3]), "no values: NaN cut points");
	is_int(quantile_rank(cuts, 4, 1), -1, "NaN cut points rank nothing");
	ok(isnan(quantile_median(y, 0)), "no values: no median");

	{
		double one = 7, c[4];

		quantile_cuts(&one, 1, 5, c);
		ok(c[0] == 7 && c[3] == 7, "one value is every cut point");
	}
	return done_testing();
}
