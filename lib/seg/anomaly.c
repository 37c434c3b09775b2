/*
 * anomaly: see anomaly.h.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "numfmt.h"
#include "quantile.h"
#include "xalloc.h"

float
anomaly_value(double v)
{
	if (v > FLT_MAX)
		return FLT_MAX;
	if (v < -FLT_MAX)
		return -FLT_MAX;
	return (float)v;
}

/* The median of the values of v[0..n-1] that are not NaN (NaN: none). */
static double
median_of(const double *v, size_t n)
{
	size_t  m;
	double *y = quantile_sorted(v, n, &m), r = quantile_median(y, m);

	free(y);
	return r;
}

/* Round a forest score to a 0-100 score of one decimal. */
static double
to_100(double s)
{
	return round(s * 1000) / 10;
}

/* Value i of column j, a missing one imputed. */
static double
filled(
    const struct anomaly_model *am, const float *const *col, size_t i, size_t j)
{
	return isnan(col[j][i]) ? am->impute[j] : col[j][i];
}

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

int
anomaly_fit(struct anomaly_model *am, const float *const *col, size_t n,
    size_t d, const struct anomaly_opts *o, double *score, struct ci_err *e)
{
	double *row, *dev, *sorted;
	size_t  i, j, k, varies = 0;

	memset(am, 0, sizeof(*am));
	am->d = d;
	am->contamination = o->contamination;
	if (n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no rows to fit the anomaly forest on");
	am->impute = xcalloc(d, sizeof(double));
	am->mad = xcalloc(d, sizeof(double));
	dev = xcalloc(n, sizeof(double));
	for (j = 0; j < d; j++) {
		for (i = 0; i < n; i++)
			dev[i] = col[j][i];
		am->impute[j] = median_of(dev, n);
		if (isnan(am->impute[j]))
			am->impute[j] = 0;
		for (i = 0; i < n; i++)
			dev[i] = fabs(col[j][i] - am->impute[j]);
		am->mad[j] = median_of(dev, n);
		if (isnan(am->mad[j]))
			am->mad[j] = 0;
	}
	free(dev);
	for (j = 0; j < d && varies == 0; j++)
		for (i = 1; i < n && varies == 0; i++)
			varies = filled(am, col, i, j) != filled(am, col, 0, j);
	if (varies == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "every anomaly column is constant: no customer stands out");
	iforest_fit(
	    &am->forest, col, am->impute, n, d, o->trees, o->sample, o->seed);
	row = xcalloc(2 * d, sizeof(double));
	for (i = 0; i < n; i++) {
		for (j = 0; j < d; j++)
			row[j] = col[j][i];
		score[i] = anomaly_score(am, row, row + d);
	}
	free(row);
	sorted = xreallocarray(NULL, n, sizeof(double));
	memcpy(sorted, score, n * sizeof(double));
	qsort(sorted, n, sizeof(double), cmp_desc);
	k = (size_t)ceil(o->contamination * (double)n);
	am->cut = sorted[(k > 0 ? k : 1) - 1];
	free(sorted);
	return 0;
}

void
anomaly_fit_medians(struct anomaly_model *am, const float *const *col, size_t n,
    const uint8_t *seg, size_t nseg)
{
	double *v = xreallocarray(NULL, n + 1, sizeof(double));
	size_t  g, i, j, m;

	free(am->segmed);
	am->nseg = nseg + 1;
	am->segmed = xcalloc(am->nseg * am->d, sizeof(double));
	for (g = 0; g <= nseg; g++)
		for (j = 0; j < am->d; j++) {
			for (i = 0, m = 0; i < n; i++)
				if (g == nseg || (seg != NULL && seg[i] == g))
					v[m++] = col[j][i];
			am->segmed[g * am->d + j] = median_of(v, m);
		}
	free(v);
}

double
anomaly_score(
    const struct anomaly_model *am, const double *row, double *scratch)
{
	size_t j;

	for (j = 0; j < am->d; j++)
		scratch[j] = isnan(row[j]) ? am->impute[j] : row[j];
	return to_100(iforest_score(&am->forest, scratch));
}

/*
 * The column of row farthest from the medians med (NaN there: those of
 * all), in median absolute deviations; d when none is away from them.
 */
static size_t
farthest(const struct anomaly_model *am, const double *row, const double *med)
{
	const double *all = am->segmed + (am->nseg - 1) * am->d;
	double        best = 0, dev, scale, m;
	size_t        j, at = am->d;

	for (j = 0; j < am->d; j++) {
		m = isnan(med[j]) ? all[j] : med[j];
		if (isnan(row[j]) || isnan(m))
			continue;
		/* Without spread, a deviation counts against the median. */
		scale = am->mad[j] > 0 ? am->mad[j] : fabs(m) > 0 ? fabs(m) : 1;
		dev = fabs(row[j] - m) / scale;
		if (dev > best) {
			best = dev;
			at = j;
		}
	}
	return at;
}

void
anomaly_reason(const struct anomaly_model *am, const double *row, size_t seg,
    const char *const *names, struct buf *out)
{
	const double *med;
	const char   *whose = "the segment";
	double        x, m;
	size_t        at;
	char          a[NUMFMT_MAX], b[NUMFMT_MAX];

	if (am->nseg == 0)
		return;
	if (seg >= am->nseg - 1)
		seg = am->nseg - 1;
	med = am->segmed + seg * am->d;
	/* A segment of one, or of rows alike: against all rows. */
	if ((at = farthest(am, row, med)) == am->d) {
		med = am->segmed + (am->nseg - 1) * am->d;
		at = farthest(am, row, med);
	}
	if (at == am->d)
		return;
	if (med == am->segmed + (am->nseg - 1) * am->d)
		whose = "all customers'";
	x = row[at];
	m = isnan(med[at]) ? am->segmed[(am->nseg - 1) * am->d + at] : med[at];
	numfmt_double_digits(a, x, 3);
	if (m > 0 && x >= 2 * m) {
		numfmt_double_digits(b, x / m, 2);
		buf_addf(out, "%s=%s, %sx %s median", names[at], a, b, whose);
	} else {
		numfmt_double_digits(b, m, 3);
		buf_addf(out, "%s=%s, %s median %s", names[at], a, whose, b);
	}
}

static void
put_numbers(struct jsonw *w, const char *key, const double *v, size_t n)
{
	size_t i;

	if (key != NULL)
		jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++)
		if (isnan(v[i]))
			jsonw_null(w);
		else
			jsonw_double(w, v[i]);
	jsonw_arr_end(w);
}

void
anomaly_save(const struct anomaly_model *am, struct jsonw *w)
{
	size_t g;

	jsonw_obj_begin(w);
	jsonw_key(w, "contamination");
	jsonw_double(w, am->contamination);
	jsonw_key(w, "cut");
	jsonw_double(w, am->cut);
	put_numbers(w, "impute", am->impute, am->d);
	put_numbers(w, "mad", am->mad, am->d);
	jsonw_key(w, "segment_medians");
	jsonw_arr_begin(w);
	for (g = 0; g < am->nseg; g++)
		put_numbers(w, NULL, am->segmed + g * am->d, am->d);
	jsonw_arr_end(w);
	jsonw_key(w, "forest");
	iforest_save(&am->forest, w);
	jsonw_obj_end(w);
}

/* n numbers (null: NaN) of the array a, named path for messages. */
static int
get_numbers(const struct model *m, const json_t *a, const char *path, double *v,
    size_t n, struct ci_err *e)
{
	const json_t *x;
	size_t        i;

	if (!json_is_array(a) || json_array_size(a) != n)
		return model_broken(
		    m, path, "a list of one number per column", e);
	for (i = 0; i < n; i++) {
		x = json_array_get(a, i);
		if (json_is_null(x))
			v[i] = NAN;
		else if (json_is_number(x) && isfinite(json_number_value(x)))
			v[i] = json_number_value(x);
		else
			return model_broken(
			    m, path, "a list of one number per column", e);
	}
	return 0;
}

int
anomaly_load(struct anomaly_model *am, const struct model *m, const char *path,
    size_t d, struct ci_err *e)
{
	char          key[128];
	const json_t *a;
	size_t        g, j;

	memset(am, 0, sizeof(*am));
	am->d = d;
	am->impute = xcalloc(d, sizeof(double));
	am->mad = xcalloc(d, sizeof(double));
	snprintf(key, sizeof(key), "%s.contamination", path);
	if (model_number(m, key, &am->contamination, e) < 0)
		return -1;
	if (!(am->contamination > 0 && am->contamination <= 0.5))
		return model_broken(m, key, "a share in (0, 0.5]", e);
	snprintf(key, sizeof(key), "%s.cut", path);
	if (model_number(m, key, &am->cut, e) < 0)
		return -1;
	if (!(am->cut >= 0 && am->cut <= 100))
		return model_broken(m, key, "a score from 0 to 100", e);
	snprintf(key, sizeof(key), "%s.impute", path);
	if (model_numbers(m, key, am->impute, d, e) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s.mad", path);
	if (model_numbers(m, key, am->mad, d, e) < 0)
		return -1;
	for (j = 0; j < d; j++)
		if (!isfinite(am->impute[j]) || !(am->mad[j] >= 0) ||
		    !isfinite(am->mad[j]))
			return model_broken(m, key, "finite numbers", e);
	snprintf(key, sizeof(key), "%s.segment_medians", path);
	if ((a = model_get(m, key, e)) == NULL)
		return -1;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > 256)
		return model_broken(m, key, "a list of medians per segment", e);
	am->nseg = json_array_size(a);
	am->segmed = xcalloc(am->nseg * d, sizeof(double));
	for (g = 0; g < am->nseg; g++)
		if (get_numbers(m, json_array_get(a, g), key,
		        am->segmed + g * d, d, e) < 0)
			return -1;
	snprintf(key, sizeof(key), "%s.forest", path);
	return iforest_load(&am->forest, m, key, d, e);
}

void
anomaly_release(struct anomaly_model *am)
{
	free(am->impute);
	free(am->mad);
	free(am->segmed);
	iforest_release(&am->forest);
	memset(am, 0, sizeof(*am));
}
