/*
 * logreg: L2-regularised logistic regression through liblinear (Fan et
 * al. 2008, "LIBLINEAR: a library for large linear classification", JMLR
 * 9; the trust-region Newton method of Lin, Weng & Keerthi 2008), on
 * features made comparable first: a missing value takes the feature's
 * median (imputation), then every feature is centred on its mean, and
 * numeric ones are divided by their standard deviation (one-hot features
 * keep their 0/1 scale, as is usual).  The fill values, centres and
 * scales are part of the model.
 *
 * The loss is C times the sum of the (class-weighted) log losses plus
 * half the squared norm of the weights, scikit-learn's
 * LogisticRegression(C) objective; the intercept is a feature of constant
 * 1, penalised as liblinear does.  A feature's contribution to a margin
 * is its weight times its centred, scaled value: exact Shapley values for
 * a linear model with independent features, summing with the intercept
 * (the bias) to the margin.
 */
#ifndef CI_LOGREG_H
#define CI_LOGREG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct logreg {
	size_t  d;
	double *w;      /* per feature, on the centred, scaled value */
	double  b;      /* intercept */
	double *fill;   /* per feature: the value of a missing one */
	double *center; /* per feature */
	double *scale;  /* per feature */
};

/*
 * Set d, fill, center and scale of *m from the n rows of X (n x d, NaN
 * missing); numeric[j] says whether feature j is scaled.  The weights are
 * zero until logreg_fit().
 */
void logreg_prepare(
    struct logreg *m, const float *X, size_t n, size_t d, const bool *numeric);

/*
 * Fit the weights of *m (prepared) on the rows rows[0..nrows-1] of X
 * (all n when rows is NULL) with labels y (0 or 1), the positives
 * weighted pos_weight times, and penalty C.  Returns 0, or -1 with *e
 * (CI_EXIT_DATA) when a class is absent or liblinear refuses.
 */
int
logreg_fit(struct logreg *m, const float *X, const float *y, const size_t *rows,
    size_t nrows, double C, double pos_weight, struct ci_err *e);

/* The margin (log-odds) of the row x (d features). */
double logreg_margin(const struct logreg *m, const float *x);

/* The contribution of each feature of x to its margin, into c[0..d-1]. */
void logreg_contribs(const struct logreg *m, const float *x, double *c);

/* Free m.  Safe on a zeroed struct. */
void logreg_release(struct logreg *m);

#endif
