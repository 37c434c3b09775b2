/*
 * iforest_test: c(m) against its closed form, planted outliers scoring
 * above every ordinary row, scores in (0, 1), the same forest for a seed,
 * constant columns, a tiny input, and the forest read back from a model
 * file scoring the same, with broken forests refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iforest.h"
#include "model.h"
#include "rng.h"
#include "tap.h"
#include "xalloc.h"

#define N 2000
#define D 3

/* Write text to path. */
static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* Save f in a ci-segment model at path. */
static void
save(const struct iforest *f, const char *path)
{
	struct buf          b = { 0 };
	struct jsonw        w;
	struct model_digest d;
	struct ci_err       e;

	model_digest_init(&d);
	jsonw_init(&w, &b, 2);
	model_begin(&w, "ci-segment", "segment", 1, &d);
	jsonw_key(&w, "forest");
	iforest_save(f, &w);
	jsonw_obj_end(&w);
	model_save(path, &b, &e);
	buf_release(&b);
}

/* Load the forest of the model at path; 0 or -1. */
static int
load(struct iforest *f, const char *path, struct ci_err *e)
{
	struct model m;
	int          rc;

	if (model_load(&m, path, "ci-segment", 1, e) < 0)
		return -1;
	rc = iforest_load(f, &m, "forest", D, e);
	model_free(&m);
	return rc;
}

/* iforest_fit() on n rows of D values, row-major as the tests write them
 * (in single precision: main() rounds them, so that rows score as fitted). */
static void
fit_rows(struct iforest *f, const double *x, size_t n, size_t ntrees,
    size_t sample, uint64_t seed)
{
	float       *c = xreallocarray(NULL, n * D, sizeof(*c));
	const float *col[D];
	size_t       i, j;

	for (j = 0; j < D; j++) {
		col[j] = c + j * n;
		for (i = 0; i < n; i++)
			c[j * n + i] = (float)x[i * D + j];
	}
	iforest_fit(f, col, NULL, n, D, ntrees, sample, seed);
	free(c);
}

int
main(void)
{
	static double  x[(N + 3) * D];
	struct iforest f, g;
	struct rng     r;
	struct ci_err  e;
	double         s, maxnormal = 0, minout = 1, lo = 1, hi = 0;
	char           dir[] = "/tmp/iforest_testXXXXXX", path[64], bad[64];
	size_t         i, j, same = 0;
	int            rc;

	plan(17);
	is_near(iforest_c(1), 0, 0, "c(1) = 0");
	is_near(iforest_c(2), 1, 0, "c(2) = 1");
	is_near(iforest_c(256),
	    2 * (log(255) + 0.5772156649015329) - 2.0 * 255 / 256, 1e-12,
	    "c(256) = 2 H(255) - 2 (255 / 256)");

	/* N standard normal rows (Box-Muller), three far from them. */
	rng_init(&r, 7);
	for (i = 0; i < N * D; i++)
		x[i] = (float)(sqrt(-2 * log(1 - rng_uniform(&r))) *
		    cos(2 * M_PI * rng_uniform(&r)));
	for (j = 0; j < D; j++) {
		x[N * D + j] = 6;                     /* far in every column */
		x[(N + 1) * D + j] = j == 0 ? 12 : 0; /* far in one */
		x[(N + 2) * D + j] = -6;
	}
	fit_rows(&f, x, N + 3, IFOREST_TREES, IFOREST_SAMPLE, 42);
	is_int((long long)f.sample, 256, "a sample of 256 rows per tree");
	for (i = 0; i < N + 3; i++) {
		s = iforest_score(&f, x + i * D);
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
		if (i < N)
			maxnormal = s > maxnormal ? s : maxnormal;
		else if (i != N + 1)
			minout = s < minout ? s : minout;
	}
	ok(lo > 0 && hi < 1, "scores in (0, 1): %.4f .. %.4f", lo, hi);
	ok(minout > maxnormal,
	    "the rows far in every column above every normal row (%.4f > "
	    "%.4f)",
	    minout, maxnormal);
	/* Far in one column of three: splits on the others do not isolate
	 * it, so it ranks high but not first (scikit-learn ranks it 39th to
	 * 77th on these rows, by seed). */
	s = iforest_score(&f, x + (N + 1) * D);
	for (i = 0, same = 0; i < N; i++)
		same += iforest_score(&f, x + i * D) >= s;
	ok(same < N / 100,
	    "the row far in one column above 99%% of normal rows (%zu above)",
	    same);
	same = 0;

	fit_rows(&g, x, N + 3, IFOREST_TREES, IFOREST_SAMPLE, 42);
	for (i = 0; i < N + 3; i++)
		same += iforest_score(&f, x + i * D) ==
		    iforest_score(&g, x + i * D);
	is_int((long long)same, N + 3, "the same seed, the same scores");
	iforest_release(&g);
	fit_rows(&g, x, N + 3, IFOREST_TREES, IFOREST_SAMPLE, 43);
	ok(iforest_score(&g, x) != iforest_score(&f, x),
	    "another seed, another forest");
	iforest_release(&g);

	/* Constant columns: no split is possible, every row is average. */
	{
		double c[10 * D];

		for (i = 0; i < 10 * D; i++)
			c[i] = 3;
		fit_rows(&g, c, 10, 10, 256, 1);
		is_int((long long)(g.start[1] - g.start[0]), 1,
		    "constant rows: a tree of one leaf");
		is_near(iforest_score(&g, c), 0.5, 1e-12,
		    "constant rows score 0.5");
		iforest_release(&g);
		fit_rows(&g, c, 1, 5, 256, 1);
		is_near(iforest_score(&g, c), 0.5, 1e-12, "one row scores 0.5");
		iforest_release(&g);
	}

	/* Through a model file. */
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/m.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	save(&f, path);
	rc = load(&g, path, &e);
	ok(rc == 0, "the forest reads back");
	same = 0;
	for (i = 0; rc == 0 && i < N + 3; i++)
		same += iforest_score(&f, x + i * D) ==
		    iforest_score(&g, x + i * D);
	is_int((long long)same, N + 3, "and scores every row the same");
	iforest_release(&g);

	put(bad,
	    "{\"tool\":\"ci-segment\",\"kind\":\"segment\","
	    "\"format_version\":1,\"forest\":{\"trees\":1,\"sample\":4,"
	    "\"nodes\":[[[0,5,0.5],[-1,0,2],[-1,0,2]]]}}\n");
	rc = load(&g, bad, &e);
	ok(rc < 0 && e.code == CI_EXIT_MODEL && strstr(e.msg, "well-formed"),
	    "a right child out of the tree is refused: %s", e.msg);
	iforest_release(&g);
	put(bad,
	    "{\"tool\":\"ci-segment\",\"kind\":\"segment\","
	    "\"format_version\":1,\"forest\":{\"trees\":1,\"sample\":4,"
	    "\"nodes\":[[[0,2,0.5],[0,2,0.5],[-1,0,2]]]}}\n");
	rc = load(&g, bad, &e);
	ok(rc < 0 && strstr(e.msg, "well-formed"),
	    "a split whose right child is not after its left subtree: %s",
	    e.msg);
	iforest_release(&g);
	put(bad,
	    "{\"tool\":\"ci-segment\",\"kind\":\"segment\","
	    "\"format_version\":1,\"forest\":{\"trees\":2,\"sample\":4,"
	    "\"nodes\":[[[-1,0,2]]]}}\n");
	rc = load(&g, bad, &e);
	ok(rc < 0 && strstr(e.msg, "one list of nodes per tree"),
	    "fewer trees than said: %s", e.msg);
	iforest_release(&g);

	iforest_release(&f);
	unlink(path);
	unlink(bad);
	rmdir(dir);
	return done_testing();
}
