/*
 * tests/unit/report/svgchart_test.c: round ticks, the palette, and charts
 * that are well-formed SVG with escaped labels and their values.
 */
#include <math.h>
#include <string.h>

#include "tap.h"
#include "buf.h"
#include "svgchart.h"

/* The count of s in t. */
static int
count(const char *t, const char *s)
{
	int n = 0;

	while ((t = strstr(t, s)) != NULL) {
		n++;
		t += strlen(s);
	}
	return n;
}

int
main(void)
{
	struct locfmt f;
	struct buf    b = { 0 };
	double first, last, step, v[3] = { 10, 250, NAN }, w[3] = { 5, 0, 7 },
	                          x[3] = { 0, 0.5, 1 };
	const char            *cats[3] = { "a<b", "beta", "gamma" };
	struct svgchart_series ser[2] = { { "one", v }, { "two", w } };
	struct svgchart        c = { 0 };

	plan(16);
	locfmt_init(&f, LOCFMT_EN, NULL);
	step = svgchart_ticks(0, 2484, 6, &first, &last);
	ok(step == 500 && first == 0 && last == 2500,
	    "ticks of 0..2484: every 500 to 2,500 (%g %g %g)", step, first,
	    last);
	step = svgchart_ticks(0, 1, 6, &first, &last);
	ok(step == 0.2 && last == 1, "ticks of 0..1: every 0.2 (%g)", step);
	step = svgchart_ticks(0, 0, 6, &first, &last);
	ok(step > 0 && last > first, "an empty range still has ticks");
	is_str(svgchart_color(0, 2, false), "#0072B2", "Okabe-Ito blue first");
	is_str(svgchart_color(1, 2, false), "#E69F00", "then orange");
	ok(strcmp(svgchart_color(0, 4, true), svgchart_color(3, 4, true)) != 0,
	    "a ramp's ends differ");
	c.fmt = &f;
	c.title = "t&t";
	c.ncat = 3;
	c.cats = cats;
	c.nser = 2;
	c.ser = ser;
	svgchart_hbar(&b, &c);
	ok(strncmp(b.data, "<svg", 4) == 0 && strstr(b.data, "</svg>") != NULL,
	    "bars: one svg element");
	ok(strstr(b.data, "a&lt;b") != NULL && strstr(b.data, "a<b") == NULL,
	    "labels are escaped");
	ok(strstr(b.data, "aria-label=\"t&amp;t\"") != NULL,
	    "the title names the chart");
	ok(strstr(b.data, ">250<") != NULL, "each bar has its value");
	is_int(count(b.data, "<text"), count(b.data, "</text>"),
	    "text elements are closed");
	buf_reset(&b);
	c.x = x;
	c.xkind = SVGCHART_PERCENT;
	c.diagonal = true;
	svgchart_line(&b, &c);
	ok(count(b.data, "<path d=\"M") >= 2, "lines: one path per series");
	ok(strstr(b.data, "stroke-dasharray") != NULL,
	    "the second series is dashed, not told by colour alone");
	buf_reset(&b);
	c.x = NULL;
	svgchart_columns(&b, &c);
	ok(count(b.data, "<rect") == 2 + 5,
	    "columns: two swatches, and a NaN draws no column");
	buf_reset(&b);
	svgchart_heatmap(&b, &c, cats, 1, v);
	ok(count(b.data, "<rect") == 3, "heatmap: one cell per value");
	buf_reset(&b);
	c.nser = 1;
	svgchart_funnel(&b, &c);
	ok(strstr(b.data, "(96%)") != NULL,
	    "funnel: each stage's share of the total");
	buf_release(&b);
	return done_testing();
}
