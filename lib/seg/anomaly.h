/*
 * anomaly: customers unlike the others, as ci-segment --anomaly flags
 * them.  An isolation forest (iforest.h) is grown on chosen numeric
 * columns, a missing value taken as the column's median; each customer
 * gets a score from 0 to 100 (100 times the forest's score), and the share
 * `contamination` of the fitted rows with the highest scores is flagged
 * (the cut point is kept, so that new rows are flagged against the rows
 * the model was fitted on, whatever the batch).  A flagged customer's
 * reason is the column farthest from the median of the customer's segment,
 * in units of the column's median absolute deviation, said in words:
 * "refunds=14, 30x the segment median" (or all customers' median, when
 * the customer does not stand out in a segment of one or of its likes).
 */
#ifndef CI_ANOMALY_H
#define CI_ANOMALY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "iforest.h"
#include "jsonw.h"
#include "model.h"

/*
 * A column's value as the forest reads it: rounded to single precision
 * (the finite range clamped), so that the columns of a large input take
 * half the memory and the trees split the values scikit-learn's would;
 * NaN stays NaN.
 */
float anomaly_value(double v);

/* How to fit. */
struct anomaly_opts {
	size_t   trees;         /* IFOREST_TREES */
	size_t   sample;        /* IFOREST_SAMPLE */
	double   contamination; /* share flagged, in (0, 0.5] */
	uint64_t seed;
};

struct anomaly_model {
	size_t  d;
	double  contamination;
	double  cut;    /* score (0-100) from which a row is flagged */
	double *impute; /* d: the median of each column */
	double *mad;    /* d: its median absolute deviation */
	size_t  nseg;   /* segments with medians, the last "all" */
	double *segmed; /* nseg x d: each segment's medians (NaN: none) */
	struct iforest forest;
};

/*
 * Fit *am on n rows given as d columns of n values (NaN: missing; single
 * precision, see anomaly_value()), and write each row's score (0-100) to
 * score.  Returns 0, or -1 with *e
 * (CI_EXIT_DATA) when there is no row or every column is constant.
 */
int anomaly_fit(struct anomaly_model *am, const float *const *col, size_t n,
    size_t d, const struct anomaly_opts *o, double *score, struct ci_err *e);

/*
 * The medians of each of nseg segments (seg[i] the segment of row i, or
 * nseg or more for none), kept in the model for the reasons; the medians
 * over all rows are kept after them.
 */
void anomaly_fit_medians(struct anomaly_model *am, const float *const *col,
    size_t n, const uint8_t *seg, size_t nseg);

/* The score (0-100) of one row of d values (NaN: missing); scratch: d. */
double anomaly_score(
    const struct anomaly_model *am, const double *row, double *scratch);

/*
 * Append to out the reason of a flagged row in segment seg (nseg or more:
 * none): "NAME=VALUE, Nx the segment median" or "NAME=VALUE, the segment
 * median M", for the column farthest from its median; nothing when no
 * column is.
 */
void anomaly_reason(const struct anomaly_model *am, const double *row,
    size_t seg, const char *const *names, struct buf *out);

/* Write the model as the value of the current key of w (no names). */
void anomaly_save(const struct anomaly_model *am, struct jsonw *w);

/* Read the model at path of m for d columns; 0, or -1 with *e. */
int anomaly_load(struct anomaly_model *am, const struct model *m,
    const char *path, size_t d, struct ci_err *e);

void anomaly_release(struct anomaly_model *am);

#endif
