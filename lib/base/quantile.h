/*
 * quantile: cut points that split a column's values into equal parts by
 * rank, and the rank of a value among them.  RFM scores (quintiles) and
 * the percentile ranks of value tiers are both built on these, so that a
 * saved model, which keeps only the cut points, scores new data exactly as
 * the fit scored its own.
 *
 * Definition: with y[0] <= ... <= y[m-1] the m values that are present
 * (NaN means missing and is left out), the cut point j of p parts, for j =
 * 1 .. p - 1, is y[ceil(j * m / p) - 1], the value at the j/p rank (the
 * lower empirical quantile, Hyndman & Fan's definition 1).  The rank of a
 * value v is the number of cut points strictly below v; a value equal to
 * a cut point therefore always falls in the part below it, so equal
 * values always share a part however many of them there are.
 */
#ifndef CI_QUANTILE_H
#define CI_QUANTILE_H

#include <stddef.h>

/*
 * Copy the values of v[0..n-1] that are not NaN into a new array, sorted
 * in increasing order, and set *m to their number.  The caller frees the
 * result (NULL when *m is 0).
 */
double *quantile_sorted(const double *v, size_t n, size_t *m);

/*
 * Fill cuts[0..parts-2] with the cut points of parts parts (parts >= 2) of
 * the m sorted values y, as defined above.  With m == 0 every cut point is
 * NaN.
 */
void quantile_cuts(const double *y, size_t m, size_t parts, double *cuts);

/*
 * Fill cuts[0..parts-2] with the cut points of parts parts (parts >= 2) of
 * the values of v[0..n-1] that are not NaN: quantile_sorted() then
 * quantile_cuts().
 */
void quantile_fit(const double *v, size_t n, size_t parts, double *cuts);

/*
 * The number of the ncuts increasing cut points that are strictly below
 * v, from 0 to ncuts; -1 when v is NaN or a cut point is NaN.
 */
int quantile_rank(const double *cuts, size_t ncuts, double v);

/*
 * The lower median of the m sorted values y, y[(m - 1) / 2]; NaN when m
 * is 0.
 */
double quantile_median(const double *y, size_t m);

#endif
