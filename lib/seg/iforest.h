/*
 * iforest: the isolation forest of Liu, Ting & Zhou ("Isolation forest",
 * ICDM 2008; "Isolation-based anomaly detection", ACM TKDD 6(1), 2012), by
 * which ci-segment flags customers unlike the others.
 *
 * Each tree is grown on a sample of `sample` rows drawn without
 * replacement: a node splits on a column drawn at random among those not
 * constant in it, at a value drawn uniformly between the column's least
 * and greatest value there, until a node holds one row, or all its rows
 * are equal, or the depth reaches ceil(log2(sample)).  The path length of
 * a row in a tree is the depth of the leaf it reaches plus c(m), the mean
 * path length of an unsuccessful search in a binary search tree of the m
 * rows the leaf held; its score is 2^(-E[h] / c(sample)), in (0, 1): near
 * 1 for rows isolated in few splits, below 0.5 for ordinary ones.  These
 * are the choices of scikit-learn's IsolationForest (bootstrap off,
 * max_features 1), so that the two agree on the same data.
 *
 * Every draw comes from one stream seeded by the caller, in tree order, so
 * a seed gives the same forest on any machine.  Values must be finite.
 */
#ifndef CI_IFOREST_H
#define CI_IFOREST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "jsonw.h"
#include "model.h"

/* A node in preorder: the left child follows it, the right is at right. */
struct iforest_node {
	int32_t  col;   /* the split column, or -1 for a leaf */
	uint32_t right; /* index of the right child in the tree */
	double   v;     /* split value (left: x < v), or the rows of a leaf */
};

struct iforest {
	size_t               d;      /* columns */
	size_t               ntrees; /* trees */
	size_t               sample; /* rows per tree */
	double               cn;     /* c(sample), the normaliser */
	size_t              *start; /* ntrees + 1: tree t is node[start[t]..] */
	struct iforest_node *node;
};

/* Trees and rows per tree unless told otherwise, as in the paper. */
#define IFOREST_TREES 100
#define IFOREST_SAMPLE 256

/*
 * c(m): the mean path length of an unsuccessful search among m rows,
 * 2 H(m - 1) - 2 (m - 1) / m with H the harmonic number (0 for m <= 1, 1
 * for m = 2).
 */
double iforest_c(double m);

/*
 * Grow ntrees trees on the n rows of the d columns col[0..d-1] (single
 * precision, as scikit-learn's IsolationForest reads its data), each on
 * min(sample, n) rows, drawing from a stream seeded with seed; a NaN in
 * column j is read as fill[j] (fill NULL: the columns are finite).  n must
 * be at least 1.  Only the rows drawn are copied, a tree at a time, so the
 * columns are the only copy of the data.  Release with iforest_release().
 */
void iforest_fit(struct iforest *f, const float *const *col, const double *fill,
    size_t n, size_t d, size_t ntrees, size_t sample, uint64_t seed);

/* The score of one row of d values, in (0, 1). */
double iforest_score(const struct iforest *f, const double *row);

/*
 * Write the forest as the value of the current key of w: {"trees", "sample",
 * "columns", "nodes": one [col, right, v] list per tree}.
 */
void iforest_save(const struct iforest *f, struct jsonw *w);

/*
 * Read the forest saved at path of m (for d columns) into *f, checking
 * every node; 0, or -1 with *e (CI_EXIT_MODEL naming the path).  *f is the
 * caller's to release either way.
 */
int iforest_load(struct iforest *f, const struct model *m, const char *path,
    size_t d, struct ci_err *e);

void iforest_release(struct iforest *f);

#endif
