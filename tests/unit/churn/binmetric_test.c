/*
 * binmetric_test: ROC AUC, the points of the ROC curve, average precision,
 * log loss, Brier score and equal-count bins on small cases worked by hand
 * (and checked against scikit-learn's roc_auc_score and
 * average_precision_score).
 */
#include <math.h>

#include "binmetric.h"
#include "tap.h"

/* The trapezoid area under the points of a ROC curve. */
static double
trapezoid(const struct binmetric_roc_point *pt, size_t k)
{
	double a = 0;
	size_t i;

	for (i = 1; i < k; i++)
		a += (pt[i].fpr - pt[i - 1].fpr) * (pt[i].tpr + pt[i - 1].tpr) /
		    2;
	return a;
}

/* Whether the k points pt are exactly the points w. */
static int
same_points(const struct binmetric_roc_point *pt, size_t k,
    const struct binmetric_roc_point *w, size_t nw)
{
	size_t i;

	if (k != nw)
		return 0;
	for (i = 0; i < k; i++)
		if (fabs(pt[i].threshold - w[i].threshold) > 1e-15 ||
		    fabs(pt[i].fpr - w[i].fpr) > 1e-15 ||
		    fabs(pt[i].tpr - w[i].tpr) > 1e-15)
			return 0;
	return 1;
}

/*
 * The ROC points: a case of 6 rows worked by hand, ties, thinning, and the
 * area under the points against binmetric_roc_auc().
 */
static void
roc_points(void)
{
	/* In score order 0.9+ 0.8- 0.7+ 0.6+ 0.55- 0.2-, given shuffled:
	 * 3 positives, 3 negatives, and 7 of the 9 pairs ranked right.  The
	 * points, (threshold, fpr, tpr), step up for a positive and right
	 * for a negative, by 1/3. */
	const double six[6] = { 0.55, 0.9, 0.2, 0.7, 0.8, 0.6 };
	const float  sixy[6] = { 0, 1, 0, 1, 0, 1 };
	const struct binmetric_roc_point want6[7] = { { 1, 0, 0 },
		{ 0.9, 0, 1. / 3 }, { 0.8, 1. / 3, 1. / 3 },
		{ 0.7, 1. / 3, 2. / 3 }, { 0.6, 1. / 3, 1 },
		{ 0.55, 2. / 3, 1 }, { 0.2, 1, 1 } };
	/* A positive and a negative tied on 0.5: one diagonal step. */
	const double                     t[4] = { 0.5, 0.5, 0.9, 0.1 };
	const float                      ty[4] = { 1, 0, 1, 0 };
	const struct binmetric_roc_point wantt[4] = { { 1, 0, 0 },
		{ 0.9, 0, 0.5 }, { 0.5, 0.5, 1 }, { 0.1, 1, 1 } };
	struct binmetric_roc_point       pt[BINMETRIC_ROC_MAX];
	static double                    s[1000];
	static float                     y[1000];
	size_t                           k, i, j, pos, split = 0, bad = 0;

	k = binmetric_roc_points(six, sixy, 6, pt);
	ok(same_points(pt, k, want6, 7),
	    "ROC points of 6 rows: the start, each row, the end");
	is_near(trapezoid(pt, k), 7. / 9, 1e-15, "their area is 7/9");
	is_near(trapezoid(pt, k), binmetric_roc_auc(six, sixy, 6), 1e-15,
	    "their area is the ROC AUC");
	k = binmetric_roc_points(t, ty, 4, pt);
	ok(same_points(pt, k, wantt, 4), "tied rows make one point");
	is_near(trapezoid(pt, k), binmetric_roc_auc(t, ty, 4), 1e-15,
	    "the diagonal of a tie counts one half, as in the AUC");
	is_int(
	    (long)binmetric_roc_points(t, (const float[]){ 1, 1, 1, 1 }, 4, pt),
	    0, "one class: no points");

	/* 100 rows on 13 scores, ties everywhere: nothing is thinned. */
	for (i = 0; i < 100; i++) {
		s[i] = (double)((i * 37) % 13) / 13;
		y[i] = (i * 7) % 10 < 3 + 5 * (s[i] > 0.5);
	}
	k = binmetric_roc_points(s, y, 100, pt);
	is_int((long)k, 14, "100 rows on 13 scores: the start and 13 points");
	is_near(trapezoid(pt, k), binmetric_roc_auc(s, y, 100), 1e-12,
	    "100 rows with ties: the area is the ROC AUC");

	/* 1000 distinct scores: thinned to the start and every 10 rows. */
	for (i = 0, pos = 0; i < 1000; i++) {
		s[i] = (double)((i * 7919) % 1000) / 1000;
		y[i] = (i * 13) % 10 < 2 + 6 * (s[i] > 0.6);
		pos += y[i] > 0.5;
	}
	k = binmetric_roc_points(s, y, 1000, pt);
	for (i = 1; i < k; i++) {
		double f =
		    pt[i].fpr * (double)(1000 - pos) + pt[i].tpr * (double)pos;

		bad += fabs(f - (double)(10 * i)) > 1e-9;
	}
	ok(k == BINMETRIC_ROC_MAX && bad == 0,
	    "1000 distinct rows: 101 points, 10 more rows each");
	/* A chord over 10 rows misses at most half of a step of the curve,
	 * and the steps' widths add up to 1: at most 10 / pos / 2 in all. */
	is_near(trapezoid(pt, k), binmetric_roc_auc(s, y, 1000),
	    5 / (double)pos, "thinned, the area is near the ROC AUC");

	/* 1000 rows in runs of 13 ties: a point never splits a run, so it
	 * flags exactly the rows of score >= its threshold. */
	bad = 0;
	for (i = 0; i < 1000; i++)
		s[i] = (double)(((i * 7919) % 1000) / 13) / 100;
	k = binmetric_roc_points(s, y, 1000, pt);
	for (i = 1; i < k; i++) {
		double fp = 0, tp = 0;

		for (j = 0; j < 1000; j++)
			if (s[j] >= pt[i].threshold)
				y[j] > 0.5 ? tp++ : fp++;
		bad += fabs(fp / (double)(1000 - pos) - pt[i].fpr) > 1e-12 ||
		    fabs(tp / (double)pos - pt[i].tpr) > 1e-12;
		split += pt[i].threshold >= pt[i - 1].threshold;
	}
	ok(bad == 0 && split == 0 && k <= BINMETRIC_ROC_MAX,
	    "ties are never split: each point flags the rows >= its threshold");
	ok(pt[0].fpr == 0 && pt[0].tpr == 0 && pt[0].threshold == 1 &&
	        pt[k - 1].fpr == 1 && pt[k - 1].tpr == 1 &&
	        pt[k - 1].threshold == 0,
	    "from (0, 0) at threshold 1 to (1, 1) at the lowest score");
}

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

	plan(26);
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
	roc_points();
	return done_testing();
}
