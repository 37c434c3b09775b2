/*
 * rfm: quintile scores and the R x FM segment table.
 *
 * The segment table is Putler's ("RFM analysis for successful customer
 * segmentation", putler.com), which states each segment as ranges of R and
 * of FM that overlap at their edges; here the ranges are narrowed until
 * they tile the grid, keeping the layout of the R x F map that tutorials
 * and shop platforms commonly draw from it, with its low-low corner split
 * into "hibernating" (R = 2) and "lost" (R = 1).
 */
#include <math.h>

#include "quantile.h"
#include "rfm.h"

static const struct rfm_segment segments[] = {
	{ "champions", "Champions", 5, 5, 4, 5 },
	{ "loyal", "Loyal", 3, 4, 4, 5 },
	{ "potential-loyalist", "Potential loyalist", 4, 5, 2, 3 },
	{ "new", "New", 5, 5, 1, 1 },
	{ "promising", "Promising", 4, 4, 1, 1 },
	{ "need-attention", "Need attention", 3, 3, 3, 3 },
	{ "about-to-sleep", "About to sleep", 3, 3, 1, 2 },
	{ "at-risk", "At risk", 1, 2, 3, 4 },
	{ "cannot-lose-them", "Cannot lose them", 1, 2, 5, 5 },
	{ "hibernating", "Hibernating", 2, 2, 1, 2 },
	{ "lost", "Lost", 1, 1, 1, 2 },
};

void
rfm_fit_column(const double *v, size_t n, double *cuts)
{
	quantile_fit(v, n, RFM_CUTS + 1, cuts);
}

int
rfm_score_up(const double *cuts, double v)
{
	int r = quantile_rank(cuts, RFM_CUTS, v);

	return r < 0 ? 0 : 1 + r;
}

int
rfm_score_down(const double *cuts, double v)
{
	int r = quantile_rank(cuts, RFM_CUTS, v);

	return r < 0 ? 0 : RFM_CUTS + 1 - r;
}

int
rfm_fm(int f, int m)
{
	return (f + m + 1) / 2;
}

const struct rfm_segment *
rfm_segments(size_t *n)
{
	*n = sizeof(segments) / sizeof(segments[0]);
	return segments;
}

int
rfm_segment_of(int r, int f, int m)
{
	size_t i;
	int    fm;

	if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
		return -1;
	fm = rfm_fm(f, m);
	for (i = 0; i < sizeof(segments) / sizeof(segments[0]); i++)
		if (r >= segments[i].rlo && r <= segments[i].rhi &&
		    fm >= segments[i].fmlo && fm <= segments[i].fmhi)
			return (int)i;
	return -1;
}
