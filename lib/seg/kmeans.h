/*
 * kmeans: k-means clustering of customers for segmentation, the nearest
 * centroid of a new row under a saved model, the mean silhouette of a
 * clustering, and the choice of k by that silhouette.
 *
 * The data are a row-major matrix of n rows and d columns of doubles, row i
 * at x + i * d, already scaled by the caller: distances are Euclidean in
 * the units given.  Every result is deterministic for a given seed: the
 * only randomness is k-means++ seeding through the caller's struct rng,
 * ties between equally near centroids are broken by the centroids
 * themselves, and the clusters are numbered in a canonical order, so the
 * same partition always comes out numbered the same way.
 *
 * References: Lloyd, "Least squares quantization in PCM", IEEE Trans.
 * Inf. Theory 28(2), 1982; Arthur & Vassilvitskii, "k-means++: the
 * advantages of careful seeding", SODA 2007; Hamerly, "Making k-means even
 * faster", SIAM SDM 2010; Rousseeuw, "Silhouettes: a graphical aid to the
 * interpretation and validation of cluster analysis", J. Comput. Appl.
 * Math. 20, 1987.
 */
#ifndef CI_KMEANS_H
#define CI_KMEANS_H

#include <stddef.h>

#include "diag.h"
#include "rng.h"

struct kmeans_opts {
	size_t        k;        /* clusters, at least 1 */
	unsigned      restarts; /* k-means++ seedings tried, at least 1 */
	unsigned      max_iter; /* Lloyd iterations per restart; may be 0 */
	double        tol;      /* stop at a relative decrease <= tol, >= 0 */
	const double *init;     /* NULL, or k x d starting centroids */
};

/*
 * A clustering, owned by the struct: kmeans_result_release() frees it.
 * Clusters are numbered by decreasing size, equal sizes by the
 * lexicographic order of their centroids.  Every row is assigned to its
 * nearest centroid as kmeans_assign() chooses it, so that assign[i] ==
 * kmeans_assign(centroids, k, d, x + i * d) for every row.
 */
struct kmeans_result {
	size_t   n, d, k;
	double  *centroids;  /* k x d, row-major; see kmeans_fit() */
	size_t  *sizes;      /* rows in each cluster */
	size_t  *assign;     /* the cluster of each of the n rows */
	double   inertia;    /* sum of squared distances to own centroid */
	unsigned iterations; /* Lloyd iterations of the run kept */
};

/*
 * Cluster the n x d matrix x into o->k clusters.  Each of o->restarts runs
 * seeds k centroids by k-means++ (Arthur & Vassilvitskii 2007), drawing
 * from rng, then alternates Lloyd's two steps: move each centroid to the
 * mean of its rows, then assign each row to its nearest centroid.  A run
 * stops when no row changes cluster, when the inertia J falls by at most
 * o->tol * J in an iteration, or after o->max_iter iterations (0: the rows
 * are only assigned to the seeds).  A cluster left empty by an assignment
 * is given the row farthest from its own centroid among clusters of two
 * rows or more (the lowest row number on ties), and a run does not stop
 * with an empty cluster, so no cluster ends empty (short of data whose
 * distances underflow).  The run of least inertia is kept, the earliest on
 * ties.  Hamerly's bounds (2010) spare most distance computations once
 * the centroids settle; they do not change the result.
 *
 * The centroids returned are those the last assignment used: the seeds
 * when o->max_iter is 0, and the mean of each cluster when the run
 * converged (no row changed); after a stop by o->tol or o->max_iter they
 * are the means of the clusters before the last assignment.  inertia and
 * every label are exact for the centroids returned.
 *
 * With o->init set, the one run starts from those k x d centroids (copied,
 * not kept) instead of seeding; o->restarts is then ignored and rng is not
 * used (it may be NULL).
 *
 * Returns 0 with *res filled; res must not hold a result (a zeroed or
 * released struct).  Returns -1 with *err set and *res zeroed: code
 * CI_EXIT_DATA when there are no rows, a value is not finite ("row R
 * column C", counting from 1), a starting centroid is not finite, or there
 * are fewer distinct rows than clusters ("fewer distinct rows (2) than
 * clusters (3)"); CI_EXIT_USAGE when d, o->k or o->restarts is 0 or o->tol
 * is negative or NaN.  Values must be small enough that squared distances
 * do not overflow, which scaled data always are.  Time is at most
 * O(restarts * iterations * n * k * d); memory, besides *res, n doubles.
 */
int kmeans_fit(const double *x, size_t n, size_t d, const struct kmeans_opts *o,
    struct rng *rng, struct kmeans_result *res, struct ci_err *err);

/* Free what *res holds and zero it.  Safe on a zeroed struct or NULL. */
void kmeans_result_release(struct kmeans_result *res);

/*
 * The number of the centroid nearest to row (d values) among the k x d
 * row-major centroids: how a saved model labels new rows, exactly as
 * kmeans_fit() labelled its own.  Of equally near centroids the
 * lexicographically least wins, and of identical ones the lowest number,
 * so the answer does not depend on how the clusters are numbered.  k must
 * be at least 1.
 */
size_t
kmeans_assign(const double *centroids, size_t k, size_t d, const double *row);

/*
 * The mean silhouette coefficient (Rousseeuw 1987) of the clustering
 * assign (a cluster below k for every row of x) over the m rows whose
 * numbers are in sample, or over rows 0..m-1 when sample is NULL.  It is
 * exact over those rows and uses only them: for each, a is the mean
 * Euclidean distance to the other rows of its own cluster, b the least
 * mean distance to the rows of another cluster, and s = (b - a) / max(a,
 * b); s is 0 for a row alone in its cluster within the sample (as
 * Rousseeuw sets it), and when no other cluster is in the sample.  Returns
 * the mean of s, in [-1, 1], or 0 when m is 0.  Time O(m^2 d), memory m k
 * doubles; a sample of a few thousand rows is the intended use.
 */
double kmeans_silhouette(const double *x, size_t d, const size_t *assign,
    size_t k, const size_t *sample, size_t m);

/*
 * Choose k: fit o with each k from kmin to kmax in turn (o->k and o->init
 * are ignored; one rng stream serves them all, in that order) and keep the
 * clustering of highest mean silhouette over the m sample rows (as
 * kmeans_silhouette() computes it; the numbers in sample are below n),
 * the smallest k on ties.  When sil is not NULL, sil[k - kmin] receives
 * the silhouette of each k, for reporting.
 *
 * Returns 0 with *res filled as kmeans_fit() fills it; res->k is the k
 * chosen.  Returns -1 with *err set and *res zeroed: as kmeans_fit(), and
 * with code CI_EXIT_USAGE when kmin < 2, kmax < kmin or m < 2.  Fewer
 * distinct rows than kmax is an error before any fitting.
 */
int kmeans_auto(const double *x, size_t n, size_t d, size_t kmin, size_t kmax,
    const struct kmeans_opts *o, const size_t *sample, size_t m,
    struct rng *rng, struct kmeans_result *res, double *sil,
    struct ci_err *err);

#endif
