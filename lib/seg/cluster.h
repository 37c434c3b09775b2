/*
 * cluster: k-means clusters of customers on chosen numeric columns, as
 * ci-segment makes them: each value log-transformed (sign(x) log(1 + |x|),
 * so that money and counts, which are skewed, weigh by their order of
 * magnitude and negative values keep their sign) and standardised (minus
 * the mean, over the population standard deviation, as scikit-learn's
 * StandardScaler does), then clustered by kmeans.  The transform, the
 * scaling and the centroids make the model that labels new rows.
 *
 * Clusters are numbered from 1, the largest first (see kmeans.h).
 */
#ifndef CI_CLUSTER_H
#define CI_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct cluster_model {
	size_t  d, k;
	bool    log;       /* apply the signed log first */
	bool    scale;     /* standardise */
	double *mean, *sd; /* d each: the scaling (0 and 1 without scale) */
	double *centroids; /* k x d, in scaled units, row-major */
};

/* How to fit. */
struct cluster_opts {
	size_t   k; /* clusters; 0: choose from kmin..kmax */
	size_t   kmin, kmax;
	size_t   sample;   /* rows of the silhouette sample (k chosen) */
	unsigned restarts; /* k-means++ seedings per k */
	uint64_t seed;
	bool     log, scale;
};

/* What a fit found, for messages and the model file. */
struct cluster_info {
	double   inertia;
	unsigned iterations;
	double   sil[16]; /* silhouette of each k tried, from kmin */
	size_t   ntried;
};

/*
 * Above this many rows, the restarts (and the choice of k) run on a
 * sample of this many rows drawn by the seeded stream, and the best
 * clustering of the sample is then refined by Lloyd's iterations on all
 * the rows, as Bradley & Fayyad ("Refining initial points for k-means
 * clustering", ICML 1998) refine starting points found on subsamples.
 * Restarts then cost little however large the input.
 */
#define CLUSTER_FIT_SAMPLE 50000

/*
 * Fit *cm on the n complete rows of raw (n x d values, row-major, none
 * NaN): transform, scale, then kmeans_fit() with o->k clusters, or
 * kmeans_auto() over o->kmin..o->kmax with a silhouette sample of
 * o->sample rows, both with o->restarts k-means++ seedings from one
 * stream seeded with o->seed; over CLUSTER_FIT_SAMPLE rows, on a sample
 * and refined on all rows as said above.  Returns 0, or -1 with *e filled
 * as kmeans_fit() fills it (CI_EXIT_DATA for too few distinct rows).  *cm
 * is the caller's to release either way.
 */
int cluster_fit(struct cluster_model *cm, const double *raw, size_t n, size_t d,
    const struct cluster_opts *o, struct cluster_info *info, struct ci_err *e);

/*
 * The cluster (0 .. k-1) of one row of d raw values, transformed and
 * scaled as in the fit: the nearest centroid by kmeans_assign().  scratch
 * holds d doubles.
 */
size_t cluster_assign(
    const struct cluster_model *cm, const double *row, double *scratch);

/* Transform and scale one row of d raw values into z. */
void
cluster_scale(const struct cluster_model *cm, const double *row, double *z);

/* Free what cm holds and zero it.  Safe on a zeroed struct. */
void cluster_model_release(struct cluster_model *cm);

#endif
