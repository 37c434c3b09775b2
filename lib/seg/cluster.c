/*
 * cluster: the signed-log transform, standardisation and k-means fit of
 * cluster.h.  Rows are scaled by cluster_scale() both when fitting and
 * when labelling, so a model read back (with the same doubles) labels the
 * rows it was fitted on exactly as the fit did.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "kmeans.h"
#include "rng.h"
#include "xalloc.h"

/* Lloyd's iterations: at most this many, or until the inertia falls by
 * at most this fraction of itself in one. */
#define KMEANS_MAX_ITER 300
#define KMEANS_TOL 1e-4

static double
slog(double x)
{
	return x < 0 ? -log1p(-x) : log1p(x);
}

void
cluster_scale(const struct cluster_model *cm, const double *row, double *z)
{
	size_t j;

	for (j = 0; j < cm->d; j++)
		z[j] = ((cm->log ? slog(row[j]) : row[j]) - cm->mean[j]) /
		    cm->sd[j];
}

size_t
cluster_assign(
    const struct cluster_model *cm, const double *row, double *scratch)
{
	cluster_scale(cm, row, scratch);
	return kmeans_assign(cm->centroids, cm->k, cm->d, scratch);
}

/*
 * The mean and population standard deviation of each column of the
 * transformed rows; a column with no spread gets 1, as scikit-learn's
 * StandardScaler gives it, so that it scales to 0.
 */
static void
fit_scaling(struct cluster_model *cm, const double *raw, size_t n)
{
	size_t i, j, d = cm->d;
	double t, s;

	for (j = 0; j < d; j++) {
		cm->mean[j] = 0;
		cm->sd[j] = 1;
	}
	if (!cm->scale || n == 0)
		return;
	for (j = 0; j < d; j++) {
		s = 0;
		for (i = 0; i < n; i++)
			s += cm->log ? slog(raw[i * d + j]) : raw[i * d + j];
		cm->mean[j] = s / (double)n;
		s = 0;
		for (i = 0; i < n; i++) {
			t = (cm->log ? slog(raw[i * d + j]) : raw[i * d + j]) -
			    cm->mean[j];
			s += t * t;
		}
		s = sqrt(s / (double)n);
		cm->sd[j] = s > 0 ? s : 1;
	}
}

/*
 * Fit on the m rows of z whose numbers are in idx (all n rows when idx is
 * NULL): kmeans_fit() with o->k, or kmeans_auto() with a silhouette
 * sample drawn from them.
 */
static int
fit_rows(const double *z, size_t n, size_t d, const size_t *idx, size_t m,
    const struct cluster_opts *o, struct rng *r, struct kmeans_result *res,
    struct cluster_info *info, struct ci_err *e)
{
	struct kmeans_opts ko = { .k = o->k,
		.restarts = o->restarts,
		.max_iter = KMEANS_MAX_ITER,
		.tol = KMEANS_TOL };
	double            *zs = NULL;
	const double      *x = z;
	size_t            *sample, ms, i;
	int                rc;

	if (idx != NULL) {
		zs = xreallocarray(NULL, m * d, sizeof(*zs));
		for (i = 0; i < m; i++)
			memcpy(zs + i * d, z + idx[i] * d, d * sizeof(*zs));
		x = zs;
		n = m;
	}
	if (o->k > 0) {
		rc = kmeans_fit(x, n, d, &ko, r, res, e);
	} else {
		ms = o->sample < n ? o->sample : n;
		sample = xcalloc(ms + 1, sizeof(*sample));
		ms = rng_sample(r, n, ms, sample);
		rc = kmeans_auto(x, n, d, o->kmin, o->kmax, &ko, sample, ms, r,
		    res, info->sil, e);
		info->ntried = o->kmax - o->kmin + 1;
		free(sample);
	}
	free(zs);
	return rc;
}

int
cluster_fit(struct cluster_model *cm, const double *raw, size_t n, size_t d,
    const struct cluster_opts *o, struct cluster_info *info, struct ci_err *e)
{
	struct kmeans_opts refine = {
		.restarts = 1, .max_iter = KMEANS_MAX_ITER, .tol = KMEANS_TOL
	};
	struct kmeans_result res = { 0 }, pre = { 0 };
	struct rng           r;
	double              *z;
	size_t              *idx, m, i;
	int                  rc;

	memset(cm, 0, sizeof(*cm));
	memset(info, 0, sizeof(*info));
	cm->d = d;
	cm->log = o->log;
	cm->scale = o->scale;
	cm->mean = xcalloc(d, sizeof(*cm->mean));
	cm->sd = xcalloc(d, sizeof(*cm->sd));
	fit_scaling(cm, raw, n);
	z = xreallocarray(NULL, n * d + 1, sizeof(*z));
	for (i = 0; i < n; i++)
		cluster_scale(cm, raw + i * d, z + i * d);
	rng_init(&r, o->seed);
	if (n > CLUSTER_FIT_SAMPLE) {
		idx = xcalloc(CLUSTER_FIT_SAMPLE, sizeof(*idx));
		m = rng_sample(&r, n, CLUSTER_FIT_SAMPLE, idx);
		rc = fit_rows(z, n, d, idx, m, o, &r, &pre, info, e);
		free(idx);
		if (rc == 0) {
			refine.k = pre.k;
			refine.init = pre.centroids;
			rc = kmeans_fit(z, n, d, &refine, NULL, &res, e);
		}
		kmeans_result_release(&pre);
	} else {
		rc = fit_rows(z, n, d, NULL, n, o, &r, &res, info, e);
	}
	free(z);
	if (rc < 0)
		return -1;
	cm->k = res.k;
	cm->centroids = res.centroids;
	res.centroids = NULL;
	info->inertia = res.inertia;
	info->iterations = res.iterations;
	kmeans_result_release(&res);
	return 0;
}

void
cluster_model_release(struct cluster_model *cm)
{
	if (cm == NULL)
		return;
	free(cm->mean);
	free(cm->sd);
	free(cm->centroids);
	memset(cm, 0, sizeof(*cm));
}
