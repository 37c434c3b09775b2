/*
 * gbt: gradient-boosted trees for a binary outcome, through the XGBoost C
 * API (Chen & Guestrin 2016, "XGBoost: a scalable tree boosting system",
 * KDD): training with the "hist" tree method and the logistic objective,
 * cross-validation with early stopping, margins (log-odds), per-feature
 * contributions, and the booster as JSON text for the model file (read
 * back by treeshap, which scores rows without XGBoost).
 *
 * Missing values are NaN and go down each split's learned default
 * branch.  Contributions are XGBoost's pred_contribs: exact TreeSHAP
 * (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2) or the path attribution
 * of Saabas ("approx_contribs"), one value per feature and the bias last,
 * summing to the margin.  Results depend only on the data, the
 * parameters and the seed, not on the number of threads.
 */
#ifndef CI_GBT_H
#define CI_GBT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xgboost/c_api.h>

#include "buf.h"
#include "diag.h"

struct gbt_params {
	int      max_depth;        /* 4 */
	double   eta;              /* learning rate, 0.05 */
	double   min_child_weight; /* 1 */
	double   lambda;           /* L2 penalty on leaf weights, 1 */
	int      max_trees;        /* the most early stopping allows */
	int      patience;         /* rounds without improvement, 50 */
	int      threads;
	uint64_t seed;
};

/* The defaults above, 1000 trees at most, one thread. */
void gbt_params_init(struct gbt_params *p);

struct gbt {
	BoosterHandle h;
	size_t        nfeat;
	int           trees;
};

/*
 * Train on the n rows of X (n x d floats, row-major, NaN missing) with
 * labels y and weights w (NULL: all 1) for trees rounds, into *g.
 * Returns 0, or -1 with *e (CI_EXIT_IO) with XGBoost's message.
 */
int gbt_train(struct gbt *g, const float *X, const float *y, const float *w,
    size_t n, size_t d, const struct gbt_params *p, int trees,
    struct ci_err *e);

/*
 * Cross-validate on k folds (fold[i] in 0..k-1 for row i): one booster
 * per fold trained on the other folds, all a round at a time.  With
 * early, the rounds stop once the mean held-out log loss has not improved
 * for p->patience rounds (or at p->max_trees), and *trees is the best
 * round's count; without, p->max_trees rounds are trained.  oof[i] is
 * the margin row i gets from the booster that did not see it, at *trees
 * trees.  Returns 0 or -1 with *e.
 */
int gbt_cv(const float *X, const float *y, const float *w, size_t n, size_t d,
    const int *fold, int k, const struct gbt_params *p, bool early, double *oof,
    int *trees, struct ci_err *e);

/* The margins of the n rows of X (n x g->nfeat) into out.  0 or -1. */
int gbt_margin(const struct gbt *g, const float *X, size_t n, double *out,
    struct ci_err *e);

/*
 * The contributions of the n rows of X into out (n x (nfeat + 1), the
 * bias last), exact TreeSHAP or Saabas's.  Returns 0 or -1 with *e.
 */
int gbt_contribs(const struct gbt *g, const float *X, size_t n, bool exact,
    float *out, struct ci_err *e);

/* Append the booster as XGBoost's JSON text to out.  0 or -1 with *e. */
int gbt_save(const struct gbt *g, struct buf *out, struct ci_err *e);

/* Free the booster.  Safe on a zeroed struct. */
void gbt_release(struct gbt *g);

#endif
