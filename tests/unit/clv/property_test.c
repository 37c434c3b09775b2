/*
 * property_test: the BG/NBD, MBG/NBD and Pareto/NBD predictions and
 * likelihood over the whole parameter space the fit can reach (issue 12).
 * tests/unit/clv/reference.csv holds, for 54 parameter sets in which each
 * of the four parameters runs from 1e-3 to 1e8 (two ordinary sets with one
 * parameter at a time at 1e-3, 1, 1e3 and 1e8, the pairs that make the
 * limits, a and b or s and beta or r and alpha to infinity together, and
 * the 16 corners of 1e-3 and 1e8), and for six customer histories from
 * (0, 0, 0) to a very heavy buyer, P(alive), the purchases expected in 52
 * weeks and the log-likelihood, computed once in arbitrary precision by
 * scripts/clv-reference.py (mpmath's quadrature, nothing taken from
 * lib/clv); mpmath is not needed to run this test.  Each value here must be finite, within
 * [0, 1] for P(alive), >= 0 for the purchases, and equal to the reference
 * to 1e-6 relative (1e-6 absolute for a log-likelihood below 1 in size,
 * whose relative error means nothing near 0, and both below 1e-300 for a
 * probability or expectation that small; see err_of()).  Then the model's own
 * monotonicities over the same grid: more time ahead, more purchases; a
 * later last purchase, a likelier alive customer; a longer silence, a
 * less likely one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "bgnbd.h"
#include "cbs.h"
#include "mbgnbd.h"
#include "paretonbd.h"
#include "tap.h"

#define REFERENCE "tests/unit/clv/reference.csv"
#define TOL 1e-6

enum { BG, MBG, PN, NMODELS };

static const char *const model_names[NMODELS] = { "bgnbd", "mbgnbd", "pareto" };

/* One model's P(alive), expected purchases in t and log-likelihood. */
static int
compute(int model, const double p[4], double x, double tx, double T, double t,
    double out[3], struct ci_err *e)
{
	struct cbs_acc acc;
	struct cbs     d;
	int            rc = -1;

	cbs_acc_init(&acc);
	if (cbs_acc_add(&acc, x, tx, T, 1, e) < 0) {
		cbs_acc_release(&acc);
		return -1;
	}
	cbs_acc_freeze(&acc, &d);
	if (model == BG) {
		struct bgnbd_params q = { p[0], p[1], p[2], p[3] };

		rc = bgnbd_p_alive(&q, x, tx, T, &out[0], e) == 0 &&
		        bgnbd_expected(&q, t, x, tx, T, &out[1], e) == 0 &&
		        bgnbd_loglik(&q, &d, &out[2], NULL, NULL, e) == 0
		    ? 0
		    : -1;
	} else if (model == MBG) {
		struct mbgnbd_params q = { p[0], p[1], p[2], p[3] };

		rc = mbgnbd_p_alive(&q, x, tx, T, &out[0], e) == 0 &&
		        mbgnbd_expected(&q, t, x, tx, T, &out[1], e) == 0 &&
		        mbgnbd_loglik(&q, &d, &out[2], NULL, NULL, e) == 0
		    ? 0
		    : -1;
	} else {
		struct paretonbd_params q = { p[0], p[1], p[2], p[3] };

		rc = paretonbd_p_alive(&q, x, tx, T, &out[0], e) == 0 &&
		        paretonbd_expected(&q, t, x, tx, T, &out[1], e) == 0 &&
		        paretonbd_loglik(&q, &d, &out[2], e) == 0
		    ? 0
		    : -1;
	}
	cbs_release(&d);
	return rc;
}

/*
 * The error of got against want, relative (absolute for a small loglik).
 * A probability or expectation below 1e-300 is computed as a product
 * that reaches the subnormal doubles, which hold fewer bits: there both
 * must be below 1e-300, and the error counts 0.
 */
static double
err_of(int q, double got, double want)
{
	double scale = fabs(want);

	if (q < 2 && scale < 1e-300)
		return fabs(got) < 1e-300 ? 0 : INFINITY;
	if (q == 2 && scale < 1)
		scale = 1;
	if (scale == 0)
		return got == 0 ? 0 : INFINITY;
	return fabs(got - want) / scale;
}

struct tally {
	size_t rows, failed[NMODELS], bad_range[NMODELS], worst_row[NMODELS][3];
	double max_err[NMODELS][3];
	char   worst[NMODELS][3][160];
};

static void
check_row(struct tally *ty, int model, const double p[4], double x, double tx,
    double T, double t, const double ref[3], const char *line)
{
	static const char *const what[3] = { "p_alive", "expected", "loglik" };
	struct ci_err            e = { 0 };
	double                   got[3];
	int                      q;

	if (compute(model, p, x, tx, T, t, got, &e) == -1) {
		if (ty->failed[model]++ < 5)
			diag("%s: %s", line, e.msg);
		return;
	}
	if (!(got[0] >= 0 && got[0] <= 1) || !(got[1] >= 0) ||
	    !isfinite(got[1]) || !isfinite(got[2])) {
		if (ty->bad_range[model]++ < 5)
			diag("%s: out of range: %.17g %.17g %.17g", line,
			    got[0], got[1], got[2]);
	}
	for (q = 0; q < 3; q++) {
		double err = err_of(q, got[q], ref[q]);

		if (err <= ty->max_err[model][q])
			continue;
		ty->max_err[model][q] = isnan(err) ? INFINITY : err;
		snprintf(ty->worst[model][q], sizeof(ty->worst[model][q]),
		    "%s: %s %.17g, reference %.17g", line, what[q], got[q],
		    ref[q]);
	}
}

static void
test_reference(void)
{
	struct tally ty;
	char         line[512];
	FILE        *fp = fopen(REFERENCE, "r");
	int          m, q;

	memset(&ty, 0, sizeof(ty));
	ok(fp != NULL, "the reference %s can be read", REFERENCE);
	if (fp == NULL) {
		for (m = 0; m < 1 + NMODELS * 5; m++)
			ok(0, "no reference to compare with");
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char   name[16];
		double p[4], x, tx, T, t, ref[3];

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line,
		        "%15[a-z],%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf",
		        name, &p[0], &p[1], &p[2], &p[3], &x, &tx, &T, &t,
		        &ref[0], &ref[1], &ref[2]) != 12)
			continue; /* the header */
		for (m = 0; m < NMODELS; m++)
			if (strcmp(name, model_names[m]) == 0)
				break;
		if (m == NMODELS)
			continue;
		ty.rows++;
		check_row(&ty, m, p, x, tx, T, t, ref, line);
	}
	fclose(fp);
	diag("%zu reference rows", ty.rows);
	ok(ty.rows == 3 * 54 * 6,
	    "the reference covers the grid: %zu rows, want %d", ty.rows,
	    3 * 54 * 6);
	for (m = 0; m < NMODELS; m++) {
		ok(ty.failed[m] == 0, "%s: every value computed (%zu failed)",
		    model_names[m], ty.failed[m]);
		ok(ty.bad_range[m] == 0,
		    "%s: finite, P(alive) in [0, 1], purchases >= 0 (%zu "
		    "not)",
		    model_names[m], ty.bad_range[m]);
		for (q = 0; q < 3; q++)
			if (!ok(ty.max_err[m][q] <= TOL,
			        "%s: %s within %g of the reference (max %.3g)",
			        model_names[m],
			        q == 0       ? "P(alive)"
			            : q == 1 ? "expected purchases"
			                     : "log-likelihood",
			        TOL, ty.max_err[m][q]) ||
			    ty.max_err[m][q] > 0)
				diag("  worst: %s", ty.worst[m][q]);
	}
}

/*
 * Whether v is below prev by more than rounding (1e-12 relative), which
 * is a reversal, shown for the first few.
 */
static int
below(int m, const double p[4], const char *what, double v, double prev)
{
	static int shown;

	if (!(v < prev - 1e-12 * fabs(prev)))
		return 0;
	if (shown++ < 8)
		diag("%s (%g, %g, %g, %g): %s %.17g after %.17g",
		    model_names[m], p[0], p[1], p[2], p[3], what, v, prev);
	return 1;
}

/*
 * The monotonicities, over the grid of the reference and a few histories:
 * expected purchases nondecreasing in the time ahead; P(alive)
 * nondecreasing in t_x (x > 0) and nonincreasing in T.
 */
static void
test_monotone(void)
{
	static const double grid[4] = { 1e-3, 1, 1e3, 1e8 };
	static const double ahead[5] = { 0, 1, 10, 52, 520 };
	static const double hist[3][2] = { { 1, 10 }, { 4, 30 }, { 20, 45 } };
	size_t              bad[NMODELS] = { 0 }, nan[NMODELS] = { 0 };
	int                 m, i, j, k;

	for (m = 0; m < NMODELS; m++)
		for (i = 0; i < 256; i++) {
			double        p[4] = { grid[i & 3], grid[(i >> 2) & 3],
				       grid[(i >> 4) & 3], grid[(i >> 6) & 3] };
			struct ci_err e = { 0 };

			for (k = 0; k < 3; k++) {
				double x = hist[k][0], tx = hist[k][1], v[3],
				       prev = -1, pa_tx = -1, pa_T = 2;

				for (j = 0; j < 5; j++) {
					if (compute(m, p, x, tx, 52, ahead[j],
					        v, &e) == -1 ||
					    isnan(v[1])) {
						nan[m]++;
						continue;
					}
					bad[m] +=
					    below(m, p, "expected", v[1], prev);
					prev = v[1];
				}
				for (j = 0; j <= 4; j++) {
					double t2 = tx + (52 - tx) * j / 4;

					if (compute(m, p, x, t2, 52, 1, v,
					        &e) == -1) {
						nan[m]++;
						continue;
					}
					bad[m] += below(m, p, "P(alive) in t_x",
					    v[0], pa_tx);
					pa_tx = v[0];
				}
				for (j = 0; j <= 4; j++) {
					double T = 52 + 100.0 * j;

					if (compute(m, p, x, tx, T, 1, v, &e) ==
					    -1) {
						nan[m]++;
						continue;
					}
					bad[m] += below(
					    m, p, "P(alive) in T", pa_T, v[0]);
					pa_T = v[0];
				}
			}
		}
	for (m = 0; m < NMODELS; m++)
		ok(bad[m] == 0 && nan[m] == 0,
		    "%s: monotone in the time ahead, t_x and T over the grid "
		    "(%zu reversals, %zu failures)",
		    model_names[m], bad[m], nan[m]);
}

int
main(void)
{
	gsl_set_error_handler_off();
	plan(2 + NMODELS * 5 + NMODELS);
	test_reference();
	test_monotone();
	return 0;
}
