/*
 * treeshap_test: a depth-2 tree whose SHAP values are worked out by hand
 * from the definition, and a forest trained by XGBoost on generated rows
 * with missing values and repeated splits: the margins equal XGBoost's
 * to the bit, the exact contributions (tabled and by Algorithm 2) equal
 * XGBoost's pred_contribs within 1e-5 and Saabas's its approx_contribs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gbt.h"
#include "rng.h"
#include "tap.h"
#include "treeshap.h"

/*
 * Root: f0 < 0.5 (cover 10, missing right) to node 1, else leaf 3 (cover
 * 4); node 1: f1 < 0.5 (cover 6, missing left) to leaf 1 (cover 2), else
 * leaf 2 (cover 4).  With v(S) the mean leaf when the features of S are
 * known and the others follow the covers, v() = 0.6 (1/3 + 4/3) + 1.2 =
 * 2.2.  Row (0, 0) reaches leaf 1: v(f0) = 5/3, v(f1) = 0.6 + 1.2 = 1.8,
 * v(f0, f1) = 1, so phi0 = ((5/3 - 2.2) + (1 - 1.8)) / 2 = -2/3 and phi1 =
 * ((1.8 - 2.2) + (1 - 5/3)) / 2 = -8/15.  Row (missing, 0) reaches leaf
 * 3: v(f0) = v(f0, f1) = 3, so phi0 = (0.8 + 1.2) / 2 = 1 and phi1 =
 * (-0.4 + 0) / 2 = -0.2.
 */
static const char hand_tree[] =
    "{\"learner\":{\"gradient_booster\":{\"name\":\"gbtree\",\"model\":"
    "{\"trees\":[{\"left_children\":[1,3,-1,-1,-1],"
    "\"right_children\":[2,4,-1,-1,-1],"
    "\"split_indices\":[0,1,0,0,0],"
    "\"split_conditions\":[0.5,0.5,3,1,2],"
    "\"sum_hessian\":[10,6,4,2,4],"
    "\"default_left\":[0,1,0,0,0],\"split_type\":[0,0,0,0,0]}]}},"
    "\"objective\":{\"name\":\"binary:logistic\"},"
    "\"learner_model_param\":{\"base_score\":\"5E-1\"}}}";

static int
load_text(
    struct treeshap *f, const char *s, size_t len, size_t nfeat, size_t trees)
{
	json_error_t  je;
	json_t       *j = json_loadb(s, len, 0, &je);
	struct ci_err e = { 0 };
	int           rc;

	if (j == NULL)
		return -1;
	rc = treeshap_load(f, j, nfeat, trees, &e);
	if (rc == -1)
		diag("%s", e.msg);
	json_decref(j);
	return rc;
}

static void
hand(void)
{
	struct treeshap f;
	float           x[2][2] = { { 0, 0 }, { NAN, 0 } };
	double          phi[3], slow[3], sa[3], m;

	ok(load_text(&f, hand_tree, strlen(hand_tree), 2, 1) == 0 && f.fast,
	    "the hand tree loads, tabled");
	treeshap_exact(&f, x[0], 1, phi, &m);
	treeshap_exact_slow(&f, x[0], slow);
	ok(fabs(phi[0] + 2.0 / 3) < 1e-7 && fabs(phi[1] + 8.0 / 15) < 1e-7 &&
	        fabs(phi[2] - 2.2) < 1e-7 && m == 1,
	    "row (0, 0): -2/3, -8/15, bias 2.2, margin 1: %g %g %g %g", phi[0],
	    phi[1], phi[2], m);
	ok(fabs(slow[0] - phi[0]) < 1e-7 && fabs(slow[1] - phi[1]) < 1e-7,
	    "Algorithm 2 agrees with the table");
	treeshap_saabas(&f, x[0], sa, &m);
	ok(fabs(sa[0] - (5.0 / 3 - 2.2)) < 1e-7 &&
	        fabs(sa[1] - (1 - 5.0 / 3)) < 1e-7 && m == 1,
	    "Saabas: the mean's changes along the path");
	treeshap_exact(&f, x[1], 1, phi, &m);
	treeshap_exact_slow(&f, x[1], slow);
	ok(fabs(phi[0] - 1) < 1e-7 && fabs(phi[1] + 0.2) < 1e-7 && m == 3 &&
	        fabs(slow[0] - 1) < 1e-7 && fabs(slow[1] + 0.2) < 1e-7,
	    "row (missing, 0): 1, -0.2, margin 3: %g %g %g", phi[0], phi[1], m);
	treeshap_release(&f);
}

#define N 3000
#define D 8

/* Compare with XGBoost on a forest of depth depth. */
static void
forest(int depth, int trees)
{
	float            *X = malloc(sizeof(float) * N * D), y[N];
	float            *c = malloc(sizeof(float) * N * (D + 1));
	float            *ca = malloc(sizeof(float) * N * (D + 1));
	double           *phi = malloc(sizeof(double) * N * (D + 1)), ms[N];
	double            mg[N], slow[D + 1], sa[D + 1], m;
	struct gbt_params p;
	struct gbt        g;
	struct treeshap   f;
	struct ci_err     e = { 0 };
	struct buf        b = { 0 };
	struct rng        r;
	double            dex = 0, dslow = 0, dsa = 0, dsum = 0;
	size_t            i, j, same = 0;

	memset(&f, 0, sizeof(f));
	rng_init(&r, 7);
	for (i = 0; i < N; i++) {
		double z;

		for (j = 0; j < D; j++)
			X[i * D + j] = rng_uniform(&r) < 0.05
			    ? NAN
			    : (float)(rng_uniform(&r) * 4 - 2);
		/* Interactions, so that trees split a feature twice. */
		z = X[i * D] * X[i * D + 1] + sin(3 * X[i * D + 2]) +
		    (isnan(X[i * D + 3]) ? 1 : X[i * D + 3]);
		y[i] = rng_uniform(&r) < 1 / (1 + exp(-(isnan(z) ? 0 : z)));
	}
	gbt_params_init(&p);
	p.max_depth = depth;
	p.eta = 0.3;
	ok(gbt_train(&g, X, y, NULL, N, D, &p, trees, &e) == 0 &&
	        gbt_save(&g, &b, &e) == 0 &&
	        gbt_margin(&g, X, N, mg, &e) == 0 &&
	        gbt_contribs(&g, X, N, true, c, &e) == 0 &&
	        gbt_contribs(&g, X, N, false, ca, &e) == 0,
	    "depth %d: XGBoost trains and predicts: %s", depth, e.msg);
	ok(load_text(&f, b.data, b.len, D, (size_t)trees) == 0,
	    "depth %d: the booster loads", depth);
	ok(f.fast == (f.depth <= 10) && f.depth <= depth && f.depth > depth - 2,
	    "depth %d: tabled up to depth 10: deepest %d, tabled %d", depth,
	    f.depth, f.fast);
	/* All the rows at once, through the trees a block of rows at a
	 * time. */
	treeshap_exact(&f, X, N, phi, ms);
	for (i = 0; i < N; i++) {
		const double *ph = &phi[i * (D + 1)];
		double        sum = 0;

		same += ms[i] == (double)(float)mg[i] &&
		    ms[i] == treeshap_margin(&f, &X[i * D]);
		treeshap_exact_slow(&f, &X[i * D], slow);
		for (j = 0; j <= D; j++) {
			dex = fmax(dex, fabs(ph[j] - c[i * (D + 1) + j]));
			dslow = fmax(dslow, fabs(slow[j] - ph[j]));
			sum += ph[j];
		}
		dsum = fmax(dsum, fabs(sum - ms[i]));
		treeshap_saabas(&f, &X[i * D], sa, &m);
		for (j = 0; j <= D; j++)
			dsa = fmax(dsa, fabs(sa[j] - ca[i * (D + 1) + j]));
	}
	is_int(same, N, "depth %d: margins equal XGBoost's to the bit", depth);
	ok(dex < 1e-5, "depth %d: exact within 1e-5 of XGBoost's: %.3g", depth,
	    dex);
	ok(dslow < 1e-6, "depth %d: table and Algorithm 2 agree: %.3g", depth,
	    dslow);
	ok(dsum < 1e-5, "depth %d: contributions sum to the margin: %.3g",
	    depth, dsum);
	ok(dsa < 1e-5, "depth %d: Saabas within 1e-5 of XGBoost's: %.3g", depth,
	    dsa);
	treeshap_release(&f);
	gbt_release(&g);
	buf_release(&b);
	free(X);
	free(c);
	free(ca);
	free(phi);
}

int
main(void)
{
	struct treeshap f;

	plan(5 + 3 * 8 + 2);
	hand();
	forest(4, 40);
	forest(6, 20);
	forest(11, 5);
	memset(&f, 0, sizeof(f));
	ok(load_text(&f, "{\"learner\":{}}", 14, 2, 1) == -1,
	    "a booster of no trees is refused");
	treeshap_release(&f);
	ok(load_text(&f, hand_tree, strlen(hand_tree), 1, 1) == -1,
	    "a split past the features is refused");
	return done_testing();
}
