/*
 * binmetric: ROC AUC from mid-ranks, the points of the ROC curve, average
 * precision, log loss, Brier score and equal-count bins.  Every sort has a
 * total order (the index breaks ties), so results do not depend on
 * qsort's whims.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "binmetric.h"
#include "xalloc.h"

struct keyed {
	double s;
	size_t i;
};

static int
cmp_desc(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;

	if (a->s != b->s)
		return a->s > b->s ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

void
binmetric_order(const double *s, size_t n, size_t *idx)
{
	struct keyed *k = xreallocarray(NULL, n ? n : 1, sizeof(*k));
	size_t        i;

	for (i = 0; i < n; i++) {
		k[i].s = isnan(s[i]) ? -INFINITY : s[i];
		k[i].i = i;
	}
	qsort(k, n, sizeof(*k), cmp_desc);
	for (i = 0; i < n; i++)
		idx[i] = k[i].i;
	free(k);
}

/* Hanley & McNeil (1982): U / (n+ n-), U from the ranks of positives. */
double
binmetric_roc_auc(const double *s, const float *y, size_t n)
{
	size_t *idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
	double  pos = 0, neg = 0, above = 0;
	size_t  i = 0, j;

	binmetric_order(s, n, idx);
	/* Walk from the top in runs of equal scores. */
	while (i < n) {
		double tp = 0, tn = 0;

		for (j = i; j < n && s[idx[j]] == s[idx[i]]; j++)
			if (y[idx[j]] > 0.5)
				tp++;
			else
				tn++;
		if (j == i) /* NaN scores: a run of one */
			j = i + 1, y[idx[i]] > 0.5 ? tp++ : tn++;
		/* Each negative here is below every positive seen so far,
		 * and ties with the positives of its own run. */
		above += tn * pos + 0.5 * tn * tp;
		pos += tp;
		neg += tn;
		i = j;
	}
	free(idx);
	if (pos == 0 || neg == 0)
		return NAN;
	return above / (pos * neg);
}

/* Scores of one run: equal, or both NaN (binmetric_order() puts NaN last). */
static bool
same_score(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

size_t
binmetric_roc_points(
    const double *s, const float *y, size_t n, struct binmetric_roc_point *out)
{
	size_t *idx;
	size_t  pos = 0, tp = 0, fp = 0, step = 1, k = 0, i, j;

	for (i = 0; i < n; i++)
		pos += y[i] > 0.5;
	if (pos == 0 || pos == n)
		return 0;
	idx = xreallocarray(NULL, n, sizeof(*idx));
	binmetric_order(s, n, idx);
	out[k].threshold = s[idx[0]] > 1 ? s[idx[0]] : 1;
	out[k].fpr = out[k].tpr = 0;
	k++;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && same_score(s[idx[j]], s[idx[i]]); j++)
			if (y[idx[j]] > 0.5)
				tp++;
			else
				fp++;
		/* Rows j of n have been flagged: a point once j reaches
		 * step hundredths of n (j >= ceil(step n / 100)), and the
		 * next step is the first hundredth beyond j.  step stays at
		 * 100 or below while j < n, so the end gives a point, and
		 * there are at most 100 points after the start. */
		if (j * 100 < step * n)
			continue;
		out[k].threshold = s[idx[j - 1]];
		out[k].fpr = (double)fp / (double)(n - pos);
		out[k].tpr = (double)tp / (double)pos;
		k++;
		step = j * 100 / n + 1;
	}
	free(idx);
	return k;
}

double
binmetric_pr_auc(const double *s, const float *y, size_t n)
{
	size_t *idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
	double  total = 0, tp = 0, seen = 0, ap = 0, last_recall = 0;
	size_t  i, j;

	for (i = 0; i < n; i++)
		total += y[i] > 0.5;
	if (total == 0) {
		free(idx);
		return NAN;
	}
	binmetric_order(s, n, idx);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && (j == i || s[idx[j]] == s[idx[i]]); j++) {
			tp += y[idx[j]] > 0.5;
			seen++;
		}
		ap += (tp / total - last_recall) * (tp / seen);
		last_recall = tp / total;
	}
	free(idx);
	return ap;
}

double
binmetric_log_loss(const double *p, const float *y, size_t n)
{
	double sum = 0;
	size_t i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++) {
		double q = fmin(fmax(p[i], 1e-15), 1 - 1e-15);

		sum -= y[i] > 0.5 ? log(q) : log1p(-q);
	}
	return sum / (double)n;
}

double
binmetric_brier(const double *p, const float *y, size_t n)
{
	double sum = 0;
	size_t i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++)
		sum += (p[i] - y[i]) * (p[i] - y[i]);
	return sum / (double)n;
}

void
binmetric_bins(const double *p, const float *y, size_t n, size_t nbins,
    struct binmetric_bin *out)
{
	size_t *idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
	size_t  b, k = 0, i;

	binmetric_order(p, n, idx);
	for (b = 0; b < nbins; b++) {
		size_t size = n / nbins + (b < n % nbins);
		double sum = 0;

		out[b].n = size;
		out[b].positives = 0;
		out[b].min_p = NAN;
		out[b].max_p = NAN;
		for (i = 0; i < size; i++, k++) {
			double v = p[idx[k]];

			sum += v;
			out[b].positives += y[idx[k]] > 0.5;
			if (i == 0)
				out[b].max_p = v;
			out[b].min_p = v;
		}
		out[b].mean_p = size ? sum / (double)size : NAN;
	}
	free(idx);
}
