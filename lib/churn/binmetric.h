/*
 * binmetric: how well scores separate a binary outcome: the area under
 * the ROC curve (the Mann-Whitney statistic, ties counted half), the
 * points of the ROC curve, the area under the precision-recall curve
 * (average precision), log loss, the Brier score, and the equal-count
 * bins of the lift and calibration tables.  Labels are 0 or 1 (as floats,
 * the way XGBoost takes them).
 *
 * The ROC AUC follows Hanley & McNeil (1982), "The meaning and use of the
 * area under a receiver operating characteristic (ROC) curve", Radiology
 * 143(1): the probability that a random positive scores above a random
 * negative, with ties counted one half, computed from mid-ranks.  Average
 * precision is the sum over distinct thresholds of (recall step) x
 * (precision), as scikit-learn's average_precision_score computes it.
 */
#ifndef CI_BINMETRIC_H
#define CI_BINMETRIC_H

#include <stddef.h>

/*
 * The indices 0..n-1 into idx, ordered by score s, highest first; equal
 * scores by index (a total order).
 */
void binmetric_order(const double *s, size_t n, size_t *idx);

/*
 * The ROC AUC of scores s for labels y (n of each); NaN when one class is
 * absent.  Any monotone transform of s gives the same value.
 */
double binmetric_roc_auc(const double *s, const float *y, size_t n);

/* The most points binmetric_roc_points() gives: the start and 100 more. */
#define BINMETRIC_ROC_MAX 101

/* A point of the ROC curve: flagging the rows of score >= threshold. */
struct binmetric_roc_point {
	double threshold;
	double fpr; /* false positive rate: negatives flagged / negatives */
	double tpr; /* true positive rate: positives flagged / positives */
};

/*
 * The empirical ROC curve of scores s for labels y (n of each), thinned
 * to at most BINMETRIC_ROC_MAX points, into out (that many elements).
 * The rows are walked in binmetric_order() in runs of equal scores (the
 * NaN scores, last, make one run), flagging a whole run at a time, so
 * tied rows are never split.  The points are:
 *   - the start (0, 0), whose threshold is the larger of 1 and the top
 *     score (no probability lies above it, and it flags no row);
 *   - the point after each run that brings the rows flagged to or past
 *     the next hundredth of n: after the first run that ends at or after
 *     ceil(k n / 100) rows, for k = 1 .. 100;
 *   - the end (1, 1), always the last, at the lowest score.
 * Each point after the start has as threshold the lowest score it flags
 * (NaN for the run of NaN scores), and it flags exactly the rows of score
 * >= threshold.  With n <= 100 every run gives a point, so nothing is
 * thinned and the trapezoid area under the points equals
 * binmetric_roc_auc(): a run of ties is one diagonal step, which counts
 * each of its positive-negative pairs one half, as the mid-ranks do.
 * Returns the number of points, or 0 when one class is absent.
 */
size_t binmetric_roc_points(
    const double *s, const float *y, size_t n, struct binmetric_roc_point *out);

/* Average precision of s for y; NaN when there is no positive. */
double binmetric_pr_auc(const double *s, const float *y, size_t n);

/*
 * The mean negative log-likelihood of probabilities p for y, each p
 * clipped to [1e-15, 1 - 1e-15]; NaN when n is 0.
 */
double binmetric_log_loss(const double *p, const float *y, size_t n);

/* The mean squared difference of p and y; NaN when n is 0. */
double binmetric_brier(const double *p, const float *y, size_t n);

/* One of the equal-count bins of binmetric_bins(). */
struct binmetric_bin {
	size_t n;         /* rows in the bin */
	size_t positives; /* of them, y = 1 */
	double mean_p;    /* mean probability */
	double min_p, max_p;
};

/*
 * Split the rows into nbins bins of (as nearly as possible) equal counts
 * by p, highest first: bin 0 holds the n / nbins rows of highest p (ties
 * by index, as binmetric_order()), and the sizes differ by one at most,
 * the larger bins first.  out has nbins elements.
 */
void binmetric_bins(const double *p, const float *y, size_t n, size_t nbins,
    struct binmetric_bin *out);

#endif
