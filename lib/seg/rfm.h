/*
 * rfm: recency, frequency and monetary scores of 1 to 5 by quintiles, and
 * the named RFM segments.
 *
 * Each score comes from the four quintile cut points of its column (see
 * quantile.h: the values at the 20, 40, 60 and 80% ranks; a value equal
 * to a cut point falls in the quintile below it).  Frequency and monetary
 * value score 1 plus the number of cut points below the value, so more is
 * better; recency, in days since the last purchase, scores 5 minus that
 * number, so less is better.  When more than a fifth of the customers
 * share a value, some scores are not used: with 60% one-time buyers every
 * one of them scores F = 1, and F = 2 and 3 stay empty.
 *
 * The named segments follow the R x FM grid of Putler's RFM analysis,
 * widely used by shop platforms: FM is the mean of F and M, rounded up,
 * and each segment is a rectangle of R and FM scores.  The rectangles of
 * rfm_segments() partition the 5 x 5 grid, so every (R, F, M) of the 125
 * has exactly one segment; ci-segment(1) prints the table.
 */
#ifndef CI_RFM_H
#define CI_RFM_H

#include <stddef.h>

/* Quintile cut points per column. */
#define RFM_CUTS 4

/* The cut points of a column, fitted or read back from a model. */
struct rfm_cuts {
	double r[RFM_CUTS]; /* recency: fewer days is better */
	double f[RFM_CUTS];
	double m[RFM_CUTS];
};

/*
 * Fit the cut points of one column from its n values (NaN: missing) into
 * cuts[0..RFM_CUTS-1]; NaN cut points when no value is present.
 */
void rfm_fit_column(const double *v, size_t n, double *cuts);

/* The score 1..5 of v where more is better; 0 when v or a cut is NaN. */
int rfm_score_up(const double *cuts, double v);

/* The score 1..5 of v where less is better (recency); 0 as above. */
int rfm_score_down(const double *cuts, double v);

/* FM, the mean of f and m rounded up: (f + m + 1) / 2. */
int rfm_fm(int f, int m);

/* A named segment: the rectangle of R and FM scores it covers. */
struct rfm_segment {
	const char *name;  /* the value written, "cannot-lose-them" */
	const char *label; /* the usual English name, "Cannot lose them" */
	int         rlo, rhi;
	int         fmlo, fmhi;
};

/* The segments, in the order of the man page; *n gets their number. */
const struct rfm_segment *rfm_segments(size_t *n);

/*
 * The segment of the scores r, f, m (each 1..5), as an index into
 * rfm_segments(); -1 when a score is out of range (0: no score).
 */
int rfm_segment_of(int r, int f, int m);

#endif
