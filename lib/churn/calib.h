/*
 * calib: turning a model's raw score (a margin, in log-odds) into an
 * honest probability, fitted on scores the model gave to rows it was not
 * trained on (held-out folds).
 *
 * Platt scaling fits p = 1 / (1 + exp(-(a m + b))) by maximum likelihood
 * with Platt's smoothed targets, by the Newton method with backtracking of
 * Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs for
 * support vector machines", Machine Learning 68(3), Algorithm 1.
 * Isotonic regression fits the best non-decreasing step function by the
 * pool-adjacent-violators algorithm (Ayer et al. 1955; Zadrozny & Elkan
 * 2002, "Transforming classifier scores into accurate multiclass
 * probability estimates", KDD), kept as breakpoints and interpolated
 * linearly between them, constant beyond the ends, as scikit-learn's
 * IsotonicRegression(out_of_bounds="clip") predicts.
 */
#ifndef CI_CALIB_H
#define CI_CALIB_H

#include <stddef.h>

enum calib_kind { CALIB_NONE = 0, CALIB_PLATT, CALIB_ISOTONIC };

struct calib {
	enum calib_kind kind;
	double          a, b; /* Platt */
	double         *x;    /* isotonic: breakpoints, increasing */
	double         *y;    /* isotonic: the probability at each */
	size_t          n;
};

/* "none", "platt" or "isotonic" to a kind; -1 if none of them. */
int calib_kind_parse(const char *s, enum calib_kind *k);

/* The name of kind k. */
const char *calib_kind_name(enum calib_kind k);

/*
 * Fit a calibration of kind k to the n margins m with labels y (0 or 1),
 * into *c (released first).  CALIB_NONE is the plain logistic function
 * (a = 1, b = 0).  Returns 0, or -1 when n is 0 or a class is absent.
 */
int calib_fit(struct calib *c, enum calib_kind k, const double *m,
    const float *y, size_t n);

/* The probability c gives margin m. */
double calib_apply(const struct calib *c, double m);

/*
 * Set *c to an isotonic calibration with the n breakpoints x (strictly
 * increasing) and values y (non-decreasing, in [0, 1]), copied.  Returns
 * 0, or -1 when they are not so.
 */
int
calib_set_isotonic(struct calib *c, const double *x, const double *y, size_t n);

/* Free what c holds; c becomes CALIB_NONE.  Safe on a zeroed struct. */
void calib_release(struct calib *c);

#endif
