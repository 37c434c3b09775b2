/*
 * gbt: the XGBoost C API behind a small interface.  Every call's status
 * is checked and XGBoost's last error becomes the message; XGBoost's own
 * logging is turned off, so that nothing but ci's messages reach stderr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gbt.h"
#include "xalloc.h"

void
gbt_params_init(struct gbt_params *p)
{
	p->max_depth = 4;
	p->eta = 0.05;
	p->min_child_weight = 1;
	p->lambda = 1;
	p->max_trees = 1000;
	p->patience = 50;
	p->threads = 1;
	p->seed = 0;
}

/*
 * XGBoost's last error, without its time stamp and source location
 * ("[16:59:17] ./src/common/json.cc:188: ") and the stack trace after the
 * first line, which differ from run to run.
 */
static int
fail(struct ci_err *e, int code, const char *what)
{
	const char *m = XGBGetLastError(), *p;
	size_t      len;

	if (m[0] == '[' && (p = strstr(m, ": ")) != NULL &&
	    (size_t)(p - m) < strcspn(m, "\n"))
		m = p + 2;
	len = strcspn(m, "\n");
	return ci_err_set(e, code, NULL, 0, "XGBoost: %s: %.*s", what,
	    (int)(len > 300 ? 300 : len), m);
}

static void
quiet(void)
{
	/* XGBoost's one piece of process state: its log level. */
	XGBSetGlobalConfig("{\"verbosity\":0}");
}

static int
matrix(const float *X, const float *y, const float *w, size_t n, size_t d,
    DMatrixHandle *dm, struct ci_err *e)
{
	if (XGDMatrixCreateFromMat(X, (bst_ulong)n, (bst_ulong)d, NAN, dm) != 0)
		return fail(e, CI_EXIT_IO, "matrix");
	if ((y != NULL &&
	        XGDMatrixSetFloatInfo(*dm, "label", y, (bst_ulong)n) != 0) ||
	    (w != NULL &&
	        XGDMatrixSetFloatInfo(*dm, "weight", w, (bst_ulong)n) != 0)) {
		XGDMatrixFree(*dm);
		return fail(e, CI_EXIT_IO, "labels");
	}
	return 0;
}

static int
set_params(BoosterHandle h, const struct gbt_params *p, struct ci_err *e)
{
	char v[6][32];

	snprintf(v[0], sizeof(v[0]), "%d", p->max_depth);
	snprintf(v[1], sizeof(v[1]), "%.17g", p->eta);
	snprintf(v[2], sizeof(v[2]), "%.17g", p->min_child_weight);
	snprintf(v[3], sizeof(v[3]), "%.17g", p->lambda);
	snprintf(v[4], sizeof(v[4]), "%d", p->threads);
	snprintf(v[5], sizeof(v[5]), "%llu",
	    (unsigned long long)(p->seed & 0x7fffffff));
	if (XGBoosterSetParam(h, "objective", "binary:logistic") != 0 ||
	    XGBoosterSetParam(h, "eval_metric", "logloss") != 0 ||
	    XGBoosterSetParam(h, "tree_method", "hist") != 0 ||
	    XGBoosterSetParam(h, "base_score", "0.5") != 0 ||
	    XGBoosterSetParam(h, "max_depth", v[0]) != 0 ||
	    XGBoosterSetParam(h, "eta", v[1]) != 0 ||
	    XGBoosterSetParam(h, "min_child_weight", v[2]) != 0 ||
	    XGBoosterSetParam(h, "lambda", v[3]) != 0 ||
	    XGBoosterSetParam(h, "nthread", v[4]) != 0 ||
	    XGBoosterSetParam(h, "seed", v[5]) != 0)
		return fail(e, CI_EXIT_IO, "parameters");
	return 0;
}

static int
booster(DMatrixHandle *cache, bst_ulong ncache, const struct gbt_params *p,
    BoosterHandle *h, struct ci_err *e)
{
	if (XGBoosterCreate(cache, ncache, h) != 0)
		return fail(e, CI_EXIT_IO, "booster");
	if (set_params(*h, p, e) == -1) {
		XGBoosterFree(*h);
		*h = NULL;
		return -1;
	}
	return 0;
}

int
gbt_train(struct gbt *g, const float *X, const float *y, const float *w,
    size_t n, size_t d, const struct gbt_params *p, int trees, struct ci_err *e)
{
	DMatrixHandle dm;
	int           i, rc = 0;

	quiet();
	memset(g, 0, sizeof(*g));
	if (matrix(X, y, w, n, d, &dm, e) == -1)
		return -1;
	if (booster(&dm, 1, p, &g->h, e) == -1) {
		XGDMatrixFree(dm);
		return -1;
	}
	for (i = 0; i < trees && rc == 0; i++)
		if (XGBoosterUpdateOneIter(g->h, i, dm) != 0)
			rc = fail(e, CI_EXIT_IO, "training");
	XGDMatrixFree(dm);
	g->nfeat = d;
	g->trees = trees;
	if (rc == -1)
		gbt_release(g);
	return rc;
}

/* The held-out log loss after the round just trained. */
static int
held_out_loss(
    BoosterHandle h, int it, DMatrixHandle dv, double *loss, struct ci_err *e)
{
	const char *names[1] = { "valid" }, *out, *colon;

	if (XGBoosterEvalOneIter(h, it, &dv, names, 1, &out) != 0)
		return fail(e, CI_EXIT_IO, "evaluation");
	if ((colon = strrchr(out, ':')) == NULL)
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "XGBoost: unexpected evaluation '%s'", out);
	*loss = strtod(colon + 1, NULL);
	return 0;
}

static int
margins(BoosterHandle h, DMatrixHandle dm, int mask, int trees,
    const float **out, bst_ulong *len, struct ci_err *e)
{
	if (XGBoosterPredict(h, dm, mask, (unsigned)trees, 0, len, out) != 0)
		return fail(e, CI_EXIT_IO, "prediction");
	return 0;
}

int
gbt_cv(const float *X, const float *y, const float *w, size_t n, size_t d,
    const int *fold, int k, const struct gbt_params *p, bool early, double *oof,
    int *trees, struct ci_err *e)
{
	DMatrixHandle  all, *dt = xcalloc((size_t)k, sizeof(*dt));
	DMatrixHandle *dv = xcalloc((size_t)k, sizeof(*dv));
	BoosterHandle *b = xcalloc((size_t)k, sizeof(*b));
	int           *idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
	double         best = INFINITY;
	int            f, it, best_it = 0, rc = -1;

	quiet();
	if (matrix(X, y, w, n, d, &all, e) == -1)
		goto out_free;
	for (f = 0; f < k; f++) {
		size_t i, nt = 0, nv = 0;

		for (i = 0; i < n; i++)
			if (fold[i] != f)
				idx[nt++] = (int)i;
		if (XGDMatrixSliceDMatrix(all, idx, nt, &dt[f]) != 0) {
			fail(e, CI_EXIT_IO, "folds");
			goto out;
		}
		for (i = 0; i < n; i++)
			if (fold[i] == f)
				idx[nv++] = (int)i;
		if (XGDMatrixSliceDMatrix(all, idx, nv, &dv[f]) != 0) {
			fail(e, CI_EXIT_IO, "folds");
			goto out;
		}
		{
			DMatrixHandle cache[2] = { dt[f], dv[f] };

			if (booster(cache, 2, p, &b[f], e) == -1)
				goto out;
		}
	}
	for (it = 0; it < p->max_trees; it++) {
		double sum = 0, loss = 0;

		for (f = 0; f < k; f++) {
			if (XGBoosterUpdateOneIter(b[f], it, dt[f]) != 0) {
				fail(e, CI_EXIT_IO, "training");
				goto out;
			}
			if (early &&
			    held_out_loss(b[f], it, dv[f], &loss, e) == -1)
				goto out;
			sum += early ? loss : 0;
		}
		if (!early)
			continue;
		if (sum / k < best - 1e-12) {
			best = sum / k;
			best_it = it;
		} else if (it - best_it >= p->patience)
			break;
	}
	*trees = early ? best_it + 1 : p->max_trees;
	for (f = 0; f < k; f++) {
		const float *m;
		bst_ulong    len;
		size_t       i, j = 0;

		if (margins(b[f], dv[f], 1, *trees, &m, &len, e) == -1)
			goto out;
		for (i = 0; i < n; i++)
			if (fold[i] == f)
				oof[i] = m[j++];
	}
	rc = 0;
out:
	for (f = 0; f < k; f++) {
		if (b[f] != NULL)
			XGBoosterFree(b[f]);
		if (dt[f] != NULL)
			XGDMatrixFree(dt[f]);
		if (dv[f] != NULL)
			XGDMatrixFree(dv[f]);
	}
	XGDMatrixFree(all);
out_free:
	free(dt);
	free(dv);
	free(b);
	free(idx);
	return rc;
}

int
gbt_margin(const struct gbt *g, const float *X, size_t n, double *out,
    struct ci_err *e)
{
	DMatrixHandle dm;
	const float  *m;
	bst_ulong     len;
	size_t        i;
	int           rc;

	if (matrix(X, NULL, NULL, n, g->nfeat, &dm, e) == -1)
		return -1;
	if ((rc = margins(g->h, dm, 1, g->trees, &m, &len, e)) == 0)
		for (i = 0; i < n; i++)
			out[i] = m[i];
	XGDMatrixFree(dm);
	return rc;
}

int
gbt_contribs(const struct gbt *g, const float *X, size_t n, bool exact,
    float *out, struct ci_err *e)
{
	DMatrixHandle dm;
	const float  *c;
	bst_ulong     len;
	int           rc;

	if (matrix(X, NULL, NULL, n, g->nfeat, &dm, e) == -1)
		return -1;
	rc = margins(g->h, dm, exact ? 4 : 4 | 8, g->trees, &c, &len, e);
	if (rc == 0 && len != n * (g->nfeat + 1))
		rc = ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "XGBoost: %llu contributions for %zu rows",
		    (unsigned long long)len, n);
	if (rc == 0)
		memcpy(out, c, len * sizeof(*out));
	XGDMatrixFree(dm);
	return rc;
}

int
gbt_save(const struct gbt *g, struct buf *out, struct ci_err *e)
{
	const char *s;
	bst_ulong   len;

	if (XGBoosterSaveModelToBuffer(
	        g->h, "{\"format\":\"json\"}", &len, &s) != 0)
		return fail(e, CI_EXIT_IO, "saving the model");
	buf_add(out, s, len);
	return 0;
}

void
gbt_release(struct gbt *g)
{
	if (g->h != NULL)
		XGBoosterFree(g->h);
	memset(g, 0, sizeof(*g));
}
