/*
 * kmeans_test: k-means on synthetic Gaussian clusters drawn with a fixed
 * seed (exact recovery, determinism, canonical numbering, inertia never
 * rising, scikit-learn's inertia as a reference), the relocation of an
 * empty cluster and the errors, the silhouette on hand-computed examples,
 * and the choice of k.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kmeans.h"
#include "rng.h"
#include "tap.h"

#define NBLOB 900
#define NRING 1000

/* A standard normal deviate by the Box-Muller transform. */
static double
gauss(struct rng *r)
{
	double u = 1.0 - rng_uniform(r), v = rng_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/*
 * Three well-separated clusters in 3 dimensions: unit normal noise around
 * (0, 0, 0), (10, 0, 0) and (0, 10, 0), with 400, 300 and 200 rows
 * interleaved, so that the canonical numbering (by decreasing size) gives
 * each cluster its generating number.  Seed 20240601.
 */
static void
blobs(double *x, size_t *truth)
{
	static const double centre[3][3] = { { 0, 0, 0 }, { 10, 0, 0 },
		{ 0, 10, 0 } };
	struct rng          r;
	size_t              i, j, g;

	rng_init(&r, 20240601);
	for (i = 0; i < NBLOB; i++) {
		g = i % 9 < 4 ? 0 : i % 9 < 7 ? 1 : 2;
		truth[i] = g;
		for (j = 0; j < 3; j++)
			x[i * 3 + j] = centre[g][j] + gauss(&r);
	}
}

/*
 * Five overlapping clusters in 2 dimensions: normal noise of standard
 * deviation 1.5 around five points on a circle of radius 3, 200 rows each.
 * Lloyd takes many iterations here and restarts find different optima.
 * Seed 7.
 */
static void
ring(double *x)
{
	struct rng r;
	size_t     i, g;

	rng_init(&r, 7);
	for (i = 0; i < NRING; i++) {
		g = i % 5;
		x[i * 2] =
		    3 * cos(1.2566370614359172 * (double)g) + 1.5 * gauss(&r);
		x[i * 2 + 1] =
		    3 * sin(1.2566370614359172 * (double)g) + 1.5 * gauss(&r);
	}
}

/*
 * References computed once on the rows above, written out with %.17g, by
 * scikit-learn 1.2.1 under /usr/bin/python3 (Debian 12):
 * KMeans(n_clusters=k, n_init=10, random_state=0, tol=1e-10,
 * max_iter=1000).fit(X).inertia_ and sklearn.metrics.silhouette_score(X,
 * labels).  For the blobs and k = 3, its labels are the generating ones
 * and its inertia the within-cluster sum of squares of the generating
 * partition.  For the ring, seeds 0 to 9 of random_state gave 2975.0016
 * nine times and 2974.9327 once.
 */
#define SK_BLOBS_INERTIA 2613.982166175595
#define SK_BLOBS_SILHOUETTE 0.7766564759
#define SK_RING_INERTIA 2975.0015957323831

static struct kmeans_opts
opts(size_t k, unsigned restarts)
{
	struct kmeans_opts o = {
		.k = k, .restarts = restarts, .max_iter = 300, .tol = 1e-6
	};

	return o;
}

static int
same_result(const struct kmeans_result *a, const struct kmeans_result *b)
{
	return a->k == b->k && a->n == b->n && a->d == b->d &&
	    a->inertia == b->inertia && a->iterations == b->iterations &&
	    memcmp(a->centroids, b->centroids, a->k * a->d * sizeof(double)) ==
	    0 &&
	    memcmp(a->sizes, b->sizes, a->k * sizeof(size_t)) == 0 &&
	    memcmp(a->assign, b->assign, a->n * sizeof(size_t)) == 0;
}

/* The inertia recomputed from the result, and whether kmeans_assign()
 * labels every row as the result does. */
static double
check_result(const double *x, const struct kmeans_result *res, int *agree)
{
	double s = 0, u;
	size_t i, j, a;

	*agree = 1;
	for (i = 0; i < res->n; i++) {
		a = res->assign[i];
		if (kmeans_assign(
		        res->centroids, res->k, res->d, x + i * res->d) != a)
			*agree = 0;
		for (j = 0; j < res->d; j++) {
			u = x[i * res->d + j] - res->centroids[a * res->d + j];
			s += u * u;
		}
	}
	return s;
}

static void
test_blobs(const double *x, const size_t *truth)
{
	static const double  centre[3][3] = { { 0, 0, 0 }, { 10, 0, 0 },
		 { 0, 10, 0 } };
	struct kmeans_opts   o = opts(3, 4);
	struct kmeans_result res, again;
	struct ci_err        e = { 0 };
	struct rng           r;
	size_t               i, j, wrong = 0, other = 0;
	double               far = 0, s;
	int                  agree;
	unsigned             seed;

	rng_init(&r, 1);
	is_int(kmeans_fit(x, NBLOB, 3, &o, &r, &res, &e), 0,
	    "three blobs are clustered");
	ok(res.k == 3 && res.sizes[0] == 400 && res.sizes[1] == 300 &&
	        res.sizes[2] == 200,
	    "clusters are numbered by size: 400, 300, 200 rows");
	for (i = 0; i < NBLOB; i++)
		wrong += res.assign[i] != truth[i];
	is_int(wrong, 0, "every row is in its generating cluster");
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			if (fabs(res.centroids[i * 3 + j] - centre[i][j]) > far)
				far = fabs(
				    res.centroids[i * 3 + j] - centre[i][j]);
	ok(far < 0.2, "centroids are near the generating centres (%.3f)", far);
	s = check_result(x, &res, &agree);
	ok(agree, "kmeans_assign() labels every row as the fit did");
	is_near(res.inertia, s, 1e-9 * s, "inertia is the sum of squares");
	is_near(res.inertia, SK_BLOBS_INERTIA, 1e-3 * SK_BLOBS_INERTIA,
	    "inertia is within 0.1%% of scikit-learn's");
	diag("inertia %.17g, scikit-learn %.17g, %u iterations", res.inertia,
	    SK_BLOBS_INERTIA, res.iterations);

	rng_init(&r, 1);
	kmeans_fit(x, NBLOB, 3, &o, &r, &again, &e);
	ok(same_result(&res, &again), "the same seed gives the same result");
	kmeans_result_release(&again);
	for (seed = 2; seed <= 11; seed++) {
		rng_init(&r, seed);
		kmeans_fit(x, NBLOB, 3, &o, &r, &again, &e);
		other += memcmp(again.assign, res.assign,
		             NBLOB * sizeof(size_t)) != 0;
		kmeans_result_release(&again);
	}
	is_int(other, 0, "ten other seeds give the same numbered clusters");

	{
		static const double row[3] = { 9.5, 0.3, -0.2 };
		static const double row2[3] = { 0.4, 8.0, 1.0 };

		ok(kmeans_assign(res.centroids, 3, 3, row) == 1 &&
		        kmeans_assign(res.centroids, 3, 3, row2) == 2,
		    "kmeans_assign() labels new rows");
	}
	s = kmeans_silhouette(x, 3, res.assign, 3, NULL, NBLOB);
	is_near(s, SK_BLOBS_SILHOUETTE, 1e-9,
	    "silhouette over all rows equals scikit-learn's");
	kmeans_result_release(&res);
}

/*
 * Lloyd's inertia never rises: with one restart the run of max_iter = t
 * is the first t iterations of the longest run, so the inertias of
 * max_iter = 0, 1, 2, ... are the trace of one run.  A relative rise up to
 * 1e-12 would be rounding; none is allowed beyond it.
 */
static void
test_monotone(const double *x)
{
	struct kmeans_opts   o = opts(5, 1);
	struct kmeans_result res;
	struct ci_err        e;
	struct rng           r;
	double               prev = HUGE_VAL, first = 0;
	unsigned             t, rises = 0, used = 0;

	o.tol = 0;
	for (t = 0; t <= 60; t++) {
		o.max_iter = t;
		rng_init(&r, 3);
		kmeans_fit(x, NRING, 2, &o, &r, &res, &e);
		if (t == 0)
			first = res.inertia;
		if (res.inertia > prev * (1 + 1e-12))
			rises++;
		prev = res.inertia;
		used = res.iterations;
		kmeans_result_release(&res);
	}
	is_int(rises, 0, "inertia never rises over Lloyd iterations");
	ok(used < 60 && prev < first,
	    "the run converges (%u iterations, inertia %.6g to %.6g)", used,
	    first, prev);
}

static void
test_ring(const double *x)
{
	struct kmeans_opts   o = opts(5, 10);
	struct kmeans_result res;
	struct ci_err        e;
	struct rng           r;

	rng_init(&r, 1);
	is_int(kmeans_fit(x, NRING, 2, &o, &r, &res, &e), 0,
	    "overlapping clusters are clustered");
	is_near(res.inertia, SK_RING_INERTIA, 1e-3 * SK_RING_INERTIA,
	    "their inertia is within 0.1%% of scikit-learn's");
	diag("inertia %.17g, scikit-learn %.17g", res.inertia, SK_RING_INERTIA);
	kmeans_result_release(&res);
}

/*
 * Starting from the centroids 5, 100 and 200, all six rows go to the
 * first cluster and the other two are empty.  The update moves it to 6;
 * the row farthest from it is 0 (distance 6, as is 12: the lower row
 * wins), which seeds the second cluster, and re-centres the first on 1, 2,
 * 10, 11, 12 at 7.2; then row 1 (distance 6.2) seeds the third, leaving
 * the first at 8.75.  Lloyd then converges to {10, 11, 12}, {1, 2}, {0}:
 * inertia 2 + 0.5 + 0 = 2.5, numbered by size.
 */
static void
test_empty(void)
{
	static const double  x[6] = { 0, 1, 2, 10, 11, 12 };
	static const double  init[3] = { 5, 100, 200 };
	struct kmeans_opts   o = opts(3, 1);
	struct kmeans_result res;
	struct ci_err        e;

	o.init = init;
	is_int(kmeans_fit(x, 6, 1, &o, NULL, &res, &e), 0,
	    "empty clusters from the start are relocated");
	ok(res.centroids[0] == 11 && res.centroids[1] == 1.5 &&
	        res.centroids[2] == 0,
	    "to the hand-computed centroids 11, 1.5, 0");
	ok(res.assign[0] == 2 && res.assign[1] == 1 && res.assign[2] == 1 &&
	        res.assign[3] == 0 && res.assign[4] == 0 && res.assign[5] == 0,
	    "with the hand-computed assignment");
	ok(res.sizes[0] == 3 && res.sizes[1] == 2 && res.sizes[2] == 1,
	    "and no cluster empty");
	is_near(res.inertia, 2.5, 1e-12, "inertia 2.5");
	kmeans_result_release(&res);

	/*
	 * With max_iter = 0 the run still goes on while a cluster is empty:
	 * after the one update above, 2 goes to the third cluster (at 1) and
	 * the run stops with the centroids 8.75, 0 and 1, not yet the means
	 * of {10, 11, 12}, {0} and {1, 2}.  Inertia 1.25^2 + 2.25^2 + 3.25^2
	 * + 0 + 0 + 1 = 18.1875.
	 */
	o.max_iter = 0;
	kmeans_fit(x, 6, 1, &o, NULL, &res, &e);
	ok(res.iterations == 1 && res.centroids[0] == 8.75 &&
	        res.centroids[1] == 1 && res.centroids[2] == 0 &&
	        res.sizes[2] == 1,
	    "max_iter 0 goes on for one iteration while a cluster is empty");
	is_near(res.inertia, 18.1875, 1e-12, "inertia 18.1875");
	kmeans_result_release(&res);
}

/*
 * Rows on a small integer grid are full of exact ties between centroids;
 * the labels of the fit must still be those of kmeans_assign(), and the
 * sizes in decreasing order, for every seed.
 */
static void
test_grid(void)
{
	struct kmeans_opts   o = opts(5, 2);
	struct kmeans_result res;
	struct ci_err        e;
	struct rng           r;
	double               x[400];
	size_t               i, bad = 0, order = 0;
	unsigned             seed;

	rng_init(&r, 8);
	for (i = 0; i < 400; i++)
		x[i] = (double)rng_below(&r, 4);
	for (seed = 1; seed <= 20; seed++) {
		rng_init(&r, seed);
		kmeans_fit(x, 200, 2, &o, &r, &res, &e);
		for (i = 0; i < 200; i++)
			bad += kmeans_assign(res.centroids, 5, 2, x + 2 * i) !=
			    res.assign[i];
		for (i = 1; i < 5; i++)
			order += res.sizes[i] > res.sizes[i - 1];
		kmeans_result_release(&res);
	}
	is_int(bad, 0, "on tied grid data every label is kmeans_assign()'s");
	is_int(order, 0, "and the sizes decrease");
}

static void
test_errors(void)
{
	static const double  two[8] = { 1, 1, 2, 2, 1, 1, 2, 2 };
	double               bad[4] = { 1, 2, 3, 4 };
	struct kmeans_opts   o = opts(3, 2);
	struct kmeans_result res;
	struct ci_err        e = { 0 };
	struct rng           r;

	rng_init(&r, 1);
	is_int(kmeans_fit(two, 4, 2, &o, &r, &res, &e), -1,
	    "3 clusters of 4 rows with 2 distinct values fail");
	is_int(e.code, CI_EXIT_DATA, "as a data error");
	is_str(e.msg, "fewer distinct rows (2) than clusters (3)",
	    "with a message saying so");
	ok(res.centroids == NULL && res.assign == NULL && res.sizes == NULL,
	    "and an empty result");
	kmeans_result_release(&res);
	o.k = 2;
	is_int(kmeans_fit(two, 4, 2, &o, &r, &res, &e), 0,
	    "2 clusters of the same rows succeed");
	ok(res.sizes[0] == 2 && res.sizes[1] == 2 && res.inertia == 0 &&
	        res.centroids[0] == 1 && res.centroids[2] == 2,
	    "with the two values as centroids");
	kmeans_result_release(&res);
	bad[2] = NAN;
	is_int(kmeans_fit(bad, 2, 2, &o, &r, &res, &e), -1, "a NaN fails");
	is_str(e.msg, "row 2 column 1 is not a finite number",
	    "naming row and column");
	is_int(kmeans_fit(bad, 0, 2, &o, &r, &res, &e), -1, "no rows fail");
	ok(e.code == CI_EXIT_DATA && strcmp(e.msg, "no rows to cluster") == 0,
	    "as a data error: '%s'", e.msg);
	o.k = 0;
	kmeans_fit(two, 4, 2, &o, &r, &res, &e);
	is_int(e.code, CI_EXIT_USAGE, "k = 0 is a usage error");
	o.k = 2;
	o.tol = -1;
	kmeans_fit(two, 4, 2, &o, &r, &res, &e);
	is_int(e.code, CI_EXIT_USAGE, "a negative tolerance is a usage error");
	kmeans_result_release(NULL);
	kmeans_result_release(&res);
	ok(1, "releasing NULL and a zeroed result is harmless");
}

/*
 * Equal distances go to the lexicographically least centroid.  In the fit,
 * the row (0, 0) lies halfway between the starting centroids (-1, 0) and
 * (1, 0), numbered 0 and 1; it goes to (-1, 0), with (-2, 0), and the
 * larger cluster of (1, 0) is then numbered first.  Had ties gone to the
 * lower number, (0, 0) would be labelled 1 by the fit but 0 by
 * kmeans_assign() under the new numbers.
 */
static void
test_ties(void)
{
	static const double  c[6] = { 1, 0, -1, 0, -1, 0 };
	static const double  row[2] = { 0, 0 };
	static const double  x[10] = { 0, 0, 2, 0, 3, 0, 4, 0, -2, 0 };
	static const double  init[4] = { -1, 0, 1, 0 };
	struct kmeans_opts   o = opts(2, 1);
	struct kmeans_result res;
	struct ci_err        e;

	is_int(kmeans_assign(c, 2, 2, row), 1,
	    "a tie goes to the least centroid, (-1, 0) before (1, 0)");
	is_int(kmeans_assign(c, 3, 2, row), 1,
	    "and between equal centroids to the lower number");
	o.init = init;
	o.max_iter = 0;
	kmeans_fit(x, 5, 2, &o, NULL, &res, &e);
	ok(res.centroids[0] == 1 && res.assign[0] == 1 &&
	        kmeans_assign(res.centroids, 2, 2, x) == 1,
	    "a tie in the fit goes the same way after renumbering");
	kmeans_result_release(&res);
}

/*
 * Two hand-computed silhouettes.  First, the corners of a 3 x 4 rectangle
 * in two clusters {(0,0), (3,0)} and {(0,4), (3,4)}, plus (0,40) alone:
 * for each corner a = 3, b = (4 + 5) / 2 = 4.5 (the far point is nearer
 * than 4.5 to none), s = 1.5 / 4.5 = 1/3; the lone point has s = 0; the
 * mean is (4/3) / 5 = 4/15.  Second, on the line, the sample rows 0, 2, 3
 * and 5 only, valued 0 and 1 in one cluster and 4 and 6 in the other:
 * s(0) = (5 - 1) / 5, s(1) = (4 - 1) / 4, s(4) = (3.5 - 2) / 3.5 and
 * s(6) = (5.5 - 2) / 5.5, whose mean is (4/5 + 3/4 + 3/7 + 7/11) / 4 =
 * 4027/6160.
 */
static void
test_silhouette(void)
{
	static const double x2[10] = { 0, 0, 3, 0, 0, 4, 3, 4, 0, 40 };
	static const size_t a2[5] = { 0, 0, 1, 1, 2 };
	static const double x1[6] = { 0, 100, 1, 4, -50, 6 };
	static const size_t a1[6] = { 0, 1, 0, 1, 0, 1 };
	static const size_t sample[4] = { 0, 2, 3, 5 };

	is_near(kmeans_silhouette(x2, 2, a2, 3, NULL, 5), 4.0 / 15, 1e-15,
	    "silhouette of the rectangle is 4/15");
	is_near(kmeans_silhouette(x1, 1, a1, 2, sample, 4), 4027.0 / 6160,
	    1e-15, "silhouette of a sample is 4027/6160");
	is_near(kmeans_silhouette(x1, 1, a1, 2, sample, 1), 0, 0,
	    "one row has silhouette 0");
}

static void
test_auto(const double *x)
{
	struct kmeans_opts   o = opts(0, 4);
	struct kmeans_result res;
	struct ci_err        e;
	struct rng           r;
	double               sil[5];
	size_t               sample[300], k;
	int                  best = 1;

	rng_init(&r, 11);
	rng_sample(&r, NBLOB, 300, sample);
	is_int(
	    kmeans_auto(x, NBLOB, 3, 2, 6, &o, sample, 300, &r, &res, sil, &e),
	    0, "k from 2 to 6 is tried");
	is_int(res.k, 3, "k = 3 is chosen on the three blobs");
	for (k = 0; k < 5; k++) {
		diag("k = %zu: silhouette %.6f", k + 2, sil[k]);
		best &= k == 1 || sil[k] < sil[1];
	}
	ok(best && res.sizes[0] == 400,
	    "its silhouette is the highest, its result the k = 3 fit");
	kmeans_result_release(&res);
	is_int(
	    kmeans_auto(x, NBLOB, 3, 1, 6, &o, sample, 300, &r, &res, sil, &e),
	    -1, "k from 1 fails");
	is_int(e.code, CI_EXIT_USAGE, "as a usage error");
}

int
main(void)
{
	double *xb = malloc(NBLOB * 3 * sizeof(double));
	double *xr = malloc(NRING * 2 * sizeof(double));
	size_t *truth = malloc(NBLOB * sizeof(size_t));

	if (xb == NULL || xr == NULL || truth == NULL)
		abort();
	blobs(xb, truth);
	ring(xr);
	plan(48);
	test_blobs(xb, truth);
	test_monotone(xr);
	test_ring(xr);
	test_empty();
	test_grid();
	test_errors();
	test_ties();
	test_silhouette();
	test_auto(xb);
	free(xb);
	free(xr);
	free(truth);
	return done_testing();
}
