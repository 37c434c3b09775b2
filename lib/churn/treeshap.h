/*
 * treeshap: a forest of XGBoost regression trees read from its JSON model,
 * evaluated here: the margin (log-odds) of a row, and each feature's
 * contribution to it.
 *
 * The margin is XGBoost's own: the base margin, then each tree's leaf
 * added in tree order in single precision, as its CPU predictor does, so
 * that it is the same number to the bit.  Missing values are NaN and go
 * down each split's default branch; a value goes left when it is less
 * than the split condition.
 *
 * Contributions are SHAP values as XGBoost's pred_contribs gives them:
 * exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized
 * feature attribution for tree ensembles", arXiv:1802.03888, Algorithm
 * 2), the expectations taken over the training rows that reached each
 * node (the node's cover, XGBoost's sum_hessian), or the path
 * attribution of Saabas (XGBoost's approx_contribs).  One value per
 * feature and the bias last: the base margin plus each tree's mean leaf
 * value under the covers.  They sum to the margin up to rounding.
 *
 * Exact TreeSHAP costs O(L D^2) a tree for L leaves and depth D when run
 * as Algorithm 2 on each row.  Here, when the tables fit in
 * TREESHAP_TABLE_MAX bytes, the work is moved to loading, after the
 * precomputation of Yang (2021), "Fast TreeSHAP: accelerating SHAP value
 * computation for trees", arXiv:2109.09847, "v2": a tree is made complete
 * to its depth D (a shallow leaf repeated below itself under splits that
 * decide nothing), and cut into blocks, the subtrees of height H hanging
 * at depth D - H.  What the leaves of a block give each feature depends
 * only on which way the row goes at the block's D - H ancestors and
 * 2^H - 1 inner nodes, so it is tabled for every one of those 2^S ways
 * (S = D - H + 2^H - 1 bits) at loading, by Algorithm 2, a column for
 * each distinct feature of those nodes and one for the leaf the row
 * reaches when its path goes through the block; a row then costs the
 * tree's 2^D - 1 comparisons and, per block, one table row added to its
 * features and to the margin.
 */
#ifndef CI_TREESHAP_H
#define CI_TREESHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "diag.h"

/* The most bytes the tables of exact TreeSHAP may take (256 MiB). */
#define TREESHAP_TABLE_MAX ((size_t)256 << 20)

/* The rows treeshap_exact() takes through each tree at a time. */
#define TREESHAP_ROWS 32

/* One tree as XGBoost has it: node 0 is the root. */
struct treeshap_tree {
	size_t   n;    /* nodes */
	int32_t *left; /* child, or -1 at a leaf */
	int32_t *right;
	int32_t *feat;  /* split feature */
	float   *value; /* split condition, or the leaf's value */
	float   *cover; /* sum of hessians of the training rows */
	uint8_t *dleft; /* missing goes left */
	double  *mean;  /* mean leaf value under the covers */
	int      depth; /* of the deepest leaf; the root's depth is 0 */
};

struct treeshap {
	size_t                nfeat;
	size_t                ntrees;
	struct treeshap_tree *tree;
	float                 base; /* base margin */
	double                bias; /* base + each tree's root mean */
	/* The tables (fast is false when they would not fit). */
	bool      fast;
	int       depth;   /* D: of the deepest tree */
	int       height;  /* H */
	size_t    ninner;  /* 2^D - 1 inner nodes a tree, heap order */
	size_t    nblock;  /* 2^(D - H) blocks a tree */
	size_t    nslot;   /* S */
	int32_t  *hfeat;   /* ntrees x ninner: split feature, 0 if none */
	float    *hcond;   /* ntrees x ninner: split condition */
	uint8_t  *hdleft;  /* ntrees x ninner */
	int32_t  *sfeat;   /* ntrees x nblock x nslot: the columns' features */
	size_t   *boff;    /* ntrees x nblock: where a block's table starts */
	uint8_t  *bcols;   /* ntrees x nblock: its columns */
	float    *tab;     /* per block, 2^S rows of its columns */
	size_t    tabsize; /* numbers in tab */
	uint32_t *bnode;   /* nblock x nslot: a block's ancestors, its nodes */
};

/*
 * Read the first trees trees of XGBoost's JSON model booster (as
 * XGBoosterSaveModelToBuffer writes it: a binary:logistic gbtree with
 * numeric splits) over nfeat features into *f (zeroed first), and build
 * the tables when they fit.  Returns 0, or -1 with *e (CI_EXIT_MODEL) for
 * a member missing or not what XGBoost writes, a split on a feature past
 * nfeat, a cycle or a node out of range.
 */
int treeshap_load(struct treeshap *f, const json_t *booster, size_t nfeat,
    size_t trees, struct ci_err *e);

/* The margin of the row x (nfeat floats, NaN missing). */
double treeshap_margin(const struct treeshap *f, const float *x);

/*
 * The exact TreeSHAP contributions of the n rows of X (n x nfeat) into
 * phi (n x (nfeat + 1), the bias last in each row) and their margins
 * into margin (as treeshap_margin()): from the tables when f->fast, else
 * by Algorithm 2.
 */
void treeshap_exact(const struct treeshap *f, const float *X, size_t n,
    double *phi, double *margin);

/* The same by Algorithm 2 alone, tree by tree: the reference. */
void treeshap_exact_slow(const struct treeshap *f, const float *x, double *phi);

/*
 * Saabas's contributions of row x into phi (nfeat + 1): along the row's
 * path, each split's feature gets the change of the mean leaf value from
 * the node to the child taken.  And its margin into *margin.
 */
void treeshap_saabas(
    const struct treeshap *f, const float *x, double *phi, double *margin);

/* Free f.  Safe on a zeroed struct. */
void treeshap_release(struct treeshap *f);

#endif
