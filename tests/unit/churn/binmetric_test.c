/*
 * binmetric_test: ROC AUC, average precision, log loss, Brier score and
 * equal-count bins on small cases worked by hand (and checked against
 * scikit-learn's roc_auc_score and average_precision_score).
 */
#include <math.h>

#include "binmetric.h"
#include "tap.h"

int
main(void)
{
	/* sklearn: roc_auc_score([0,0,1,1],[.1,.4,.35,.8]) = 0.75,
	 * average_precision_score(...) = 0.8333. */
	const double s[4] = { 0.1, 0.4, 0.35, 0.8 };
	const float  y[4] = { 0, 0, 1, 1 };
	/* Ties: a positive and a negative on 0.5 count one half. */
	const double         t[4] = { 0.5, 0.5, 0.9, 0.1 };
	const float          ty[4] = { 1, 0, 1, 0 };
	const float          one[3] = { 1, 1, 1 };
	const double         p[3] = { 0.9, 0.5, 0.2 };
	const float          py[3] = { 1, 0, 0 };
	double               big[10];
	float                by[10];
	struct binmetric_bin b[3];
	size_t               idx[4], i;

	plan(14);
	is_near(binmetric_roc_auc(s, y, 4), 0.75, 1e-12, "ROC AUC 0.75");
	is_near(binmetric_pr_auc(s, y, 4), 0.8333333333333333, 1e-12,
	    "average precision 5/6");
	is_near(binmetric_roc_auc(t, ty, 4), 0.875, 1e-12,
	    "a tie counts one half: (3 + 0.5) / 4");
	ok(isnan(binmetric_roc_auc(s, one, 3)), "one class: NaN");
	is_near(binmetric_roc_auc(s, y, 4),
	    binmetric_roc_auc((const double[]){ -2.3, 0.4, -0.6, 1.3 }, y, 4),
	    1e-12, "any monotone transform gives the same AUC");
	is_near(binmetric_log_loss(p, py, 3),
	    -(log(0.9) + log(0.5) + log(0.8)) / 3, 1e-12, "log loss");
	is_near(binmetric_brier(p, py, 3), (0.01 + 0.25 + 0.04) / 3, 1e-12,
	    "Brier score");
	binmetric_order(t, 4, idx);
	ok(idx[0] == 2 && idx[1] == 0 && idx[2] == 1 && idx[3] == 3,
	    "order: highest first, ties by index");
	for (i = 0; i < 10; i++) {
		big[i] = (double)i / 10;
		by[i] = i >= 7;
	}
	binmetric_bins(big, by, 10, 3, b);
	ok(b[0].n == 4 && b[1].n == 3 && b[2].n == 3,
	    "10 rows in 3 bins: 4, 3, 3");
	is_int((long)b[0].positives, 3, "the top bin holds the 3 positives");
	is_near(b[0].mean_p, (0.9 + 0.8 + 0.7 + 0.6) / 4, 1e-12,
	    "mean probability of the top bin");
	is_near(b[2].max_p, 0.2, 1e-12, "the last bin's highest");
	is_near(b[2].min_p, 0, 1e-12, "the last bin's lowest");
	is_near(binmetric_roc_auc(big, by, 10), 1, 0, "perfect ranking: 1");
	return done_testing();
}
