/*
 * rfm_test: scores on a hand-checked column, in both directions and at
 * the borders, and the segment table: each of the 125 (R, F, M) scores in
 * exactly one segment's rectangle, equal to rfm_segment_of(), and a few
 * cells of the grid checked by hand against the man page.
 */
#include <math.h>
#include <string.h>

#include "rfm.h"
#include "tap.h"

static int
segment(int r, int f, int m, const char *want)
{
	size_t                    n;
	const struct rfm_segment *s = rfm_segments(&n);
	int                       i = rfm_segment_of(r, f, m);

	if (i < 0 || strcmp(s[i].name, want) != 0) {
		diag("  %d%d%d: got '%s', want '%s'", r, f, m,
		    i < 0 ? "(none)" : s[i].name, want);
		return 0;
	}
	return 1;
}

int
main(void)
{
	/* 1..10: cuts 2, 4, 6, 8. */
	static const double       v[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	size_t                    n, i, bad = 0, seen[16] = { 0 };
	const struct rfm_segment *s = rfm_segments(&n);
	double                    c[RFM_CUTS];
	int                       r, f, m, hits, k;

	plan(20);
	rfm_fit_column(v, 10, c);
	ok(c[0] == 2 && c[1] == 4 && c[2] == 6 && c[3] == 8, "cuts of 1..10");
	ok(rfm_score_up(c, 1) == 1 && rfm_score_up(c, 2) == 1 &&
	        rfm_score_up(c, 3) == 2 && rfm_score_up(c, 8) == 4 &&
	        rfm_score_up(c, 9) == 5 && rfm_score_up(c, 10) == 5,
	    "more is better: 1 2 -> 1, 3 -> 2, 8 -> 4, 9 10 -> 5");
	ok(rfm_score_down(c, 1) == 5 && rfm_score_down(c, 2) == 5 &&
	        rfm_score_down(c, 3) == 4 && rfm_score_down(c, 10) == 1,
	    "less is better (recency): 1 2 -> 5, 3 -> 4, 10 -> 1");
	is_int(rfm_score_up(c, NAN), 0, "a missing value scores 0");
	is_int(rfm_fm(5, 4), 5, "FM of 5 and 4 rounds up to 5");
	is_int(rfm_fm(1, 2), 2, "FM of 1 and 2 rounds up to 2");
	is_int(rfm_fm(3, 3), 3, "FM of 3 and 3 is 3");
	is_int(n, 11, "eleven named segments");

	for (r = 1; r <= 5; r++)
		for (f = 1; f <= 5; f++)
			for (m = 1; m <= 5; m++) {
				hits = 0;
				k = -1;
				for (i = 0; i < n; i++)
					if (r >= s[i].rlo && r <= s[i].rhi &&
					    rfm_fm(f, m) >= s[i].fmlo &&
					    rfm_fm(f, m) <= s[i].fmhi) {
						hits++;
						k = (int)i;
					}
				if (hits != 1 || k != rfm_segment_of(r, f, m))
					bad++;
				else
					seen[k]++;
			}
	is_int(bad, 0, "each of the 125 scores is in exactly one segment");
	for (i = 0, k = 1; i < n; i++)
		k &= seen[i] > 0;
	ok(k, "every segment has some scores");
	ok(segment(5, 5, 5, "champions") && segment(5, 4, 3, "champions"),
	    "555 and 543 (FM 4) are champions");
	ok(segment(4, 5, 5, "loyal") && segment(3, 4, 4, "loyal"),
	    "455 and 344 are loyal");
	ok(segment(5, 1, 1, "new") && segment(4, 1, 1, "promising"),
	    "511 is new, 411 promising");
	ok(segment(5, 2, 3, "potential-loyalist") &&
	        segment(4, 3, 3, "potential-loyalist"),
	    "523 and 433 are potential loyalists");
	ok(segment(3, 3, 3, "need-attention") &&
	        segment(3, 1, 2, "about-to-sleep"),
	    "333 needs attention, 312 is about to sleep");
	ok(segment(2, 3, 4, "at-risk") && segment(1, 4, 4, "at-risk"),
	    "234 and 144 are at risk");
	ok(segment(1, 5, 5, "cannot-lose-them") &&
	        segment(2, 5, 4, "cannot-lose-them"),
	    "155 and 254 cannot be lost");
	ok(segment(2, 1, 1, "hibernating") && segment(2, 2, 2, "hibernating"),
	    "211 and 222 hibernate");
	ok(segment(1, 1, 1, "lost") && segment(1, 2, 2, "lost"),
	    "111 and 122 are lost");
	ok(rfm_segment_of(0, 3, 3) == -1 && rfm_segment_of(3, 6, 3) == -1,
	    "no segment without a score");
	return done_testing();
}
