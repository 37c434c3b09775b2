/*
 * logreg: imputation, standardisation and liblinear's L2R_LR solver.
 * liblinear's struct model and the ci model envelope share a name, so this
 * file is the only one that includes <linear.h>.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <linear.h>

#include "logreg.h"
#include "quantile.h"
#include "xalloc.h"

static void
silent(const char *s)
{
	(void)s;
}

void
logreg_prepare(
    struct logreg *m, const float *X, size_t n, size_t d, const bool *numeric)
{
	double *col = xreallocarray(NULL, n ? n : 1, sizeof(*col));
	size_t  i, j;

	logreg_release(m);
	m->d = d;
	m->w = xcalloc(d ? d : 1, sizeof(*m->w));
	m->fill = xcalloc(d ? d : 1, sizeof(*m->fill));
	m->center = xcalloc(d ? d : 1, sizeof(*m->center));
	m->scale = xcalloc(d ? d : 1, sizeof(*m->scale));
	for (j = 0; j < d; j++) {
		double *sorted, sum = 0, ss = 0;
		size_t  k;

		for (i = 0; i < n; i++)
			col[i] = X[i * d + j];
		sorted = quantile_sorted(col, n, &k);
		m->fill[j] = k > 0 ? quantile_median(sorted, k) : 0;
		free(sorted);
		for (i = 0; i < n; i++) {
			double v = isnan(col[i]) ? m->fill[j] : col[i];

			sum += v;
		}
		m->center[j] = n ? sum / (double)n : 0;
		for (i = 0; i < n; i++) {
			double v = isnan(col[i]) ? m->fill[j] : col[i];

			ss += (v - m->center[j]) * (v - m->center[j]);
		}
		m->scale[j] = 1;
		if (numeric[j] && n > 1 && ss > 0)
			m->scale[j] = sqrt(ss / (double)n);
	}
	free(col);
}

static double
z(const struct logreg *m, const float *x, size_t j)
{
	double v = isnan(x[j]) ? m->fill[j] : x[j];

	return (v - m->center[j]) / m->scale[j];
}

int
logreg_fit(struct logreg *m, const float *X, const float *y, const size_t *rows,
    size_t nrows, double C, double pos_weight, struct ci_err *e)
{
	struct problem       prob;
	struct parameter     par;
	struct model        *lm;
	struct feature_node *nodes, **xs;
	double              *ly;
	size_t               i, j, k = 0, d = m->d, pos = 0;
	int                  wl = 1;
	const char          *why;

	for (i = 0; i < nrows; i++)
		pos += y[rows ? rows[i] : i] > 0.5;
	if (pos == 0 || pos == nrows)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "logistic regression: one class only");
	nodes = xreallocarray(NULL, nrows * (d + 2), sizeof(*nodes));
	xs = xreallocarray(NULL, nrows, sizeof(*xs));
	ly = xreallocarray(NULL, nrows, sizeof(*ly));
	for (i = 0; i < nrows; i++) {
		size_t r = rows ? rows[i] : i;

		xs[i] = &nodes[k];
		for (j = 0; j < d; j++) {
			double v = z(m, &X[r * d], j);

			if (v != 0) {
				nodes[k].index = (int)j + 1;
				nodes[k++].value = v;
			}
		}
		nodes[k].index = (int)d + 1; /* the intercept */
		nodes[k++].value = 1;
		nodes[k++].index = -1;
		ly[i] = y[r] > 0.5 ? 1 : 0;
	}
	memset(&prob, 0, sizeof(prob));
	prob.l = (int)nrows;
	prob.n = (int)d + 1;
	prob.y = ly;
	prob.x = xs;
	prob.bias = 1;
	memset(&par, 0, sizeof(par));
	par.solver_type = L2R_LR;
	par.eps = 1e-4;
	par.C = C;
	par.nr_weight = 1;
	par.weight_label = &wl;
	par.weight = &pos_weight;
	set_print_string_function(silent);
	if ((why = check_parameter(&prob, &par)) != NULL) {
		free(nodes), free(xs), free(ly);
		return ci_err_set(
		    e, CI_EXIT_DATA, NULL, 0, "liblinear: %s", why);
	}
	lm = train(&prob, &par);
	/* w[j] favours label[0]: turn it to favour the positives. */
	for (j = 0; j < d; j++)
		m->w[j] = lm->label[0] == 1 ? lm->w[j] : -lm->w[j];
	m->b = lm->label[0] == 1 ? lm->w[d] : -lm->w[d];
	free_and_destroy_model(&lm);
	free(nodes);
	free(xs);
	free(ly);
	return 0;
}

double
logreg_margin(const struct logreg *m, const float *x)
{
	double s = m->b;
	size_t j;

	for (j = 0; j < m->d; j++)
		s += m->w[j] * z(m, x, j);
	return s;
}

void
logreg_contribs(const struct logreg *m, const float *x, double *c)
{
	size_t j;

	for (j = 0; j < m->d; j++)
		c[j] = m->w[j] * z(m, x, j);
}

void
logreg_release(struct logreg *m)
{
	free(m->w);
	free(m->fill);
	free(m->center);
	free(m->scale);
	memset(m, 0, sizeof(*m));
}
