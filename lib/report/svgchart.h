/*
 * svgchart: the report's charts, drawn as inline SVG text: horizontal bars
 * (grouped), 100% stacked bars, columns (histograms, deciles, weeks), lines,
 * a heatmap and a funnel.  Each has axes with round ticks, labels and the
 * unit in the axis title; the value of each bar is written at its end.
 *
 * The palette reads for colour-blind people and prints in grey: the
 * series colours are Okabe & Ito's (2008), ordered so that neighbours
 * differ in lightness (blue, orange, green, ...); ordered categories and
 * the heatmap use ramps of one hue whose lightness changes monotonically;
 * lines differ by dash pattern and marker too, never by colour alone.
 *
 * Charts are 480 units wide (viewBox), scaled by the page to its width;
 * the height follows from the content.  Text from the data is escaped
 * (markup.h) and cut with "…" where it would not fit.  Output is
 * deterministic: numbers are written with at most two decimals.
 */
#ifndef CI_SVGCHART_H
#define CI_SVGCHART_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "locfmt.h"

/* The width of every chart, in SVG units. */
#define SVGCHART_WIDTH 480

/* How the values of a chart are written at its bars and on its axis. */
enum svgchart_value {
	SVGCHART_COUNT = 0, /* whole numbers: "1,234" */
	SVGCHART_MONEY,     /* whole money: "¥1,234" */
	SVGCHART_PERCENT,   /* shares 0..1 as "39.4%" */
	SVGCHART_DECIMAL    /* two decimals: "1.25" */
};

struct svgchart_series {
	const char   *name; /* legend text */
	const double *v;    /* one value per category (NaN: none) */
};

/*
 * What every chart takes.  cats are the categories (bars, columns, rows of
 * the heatmap, stages of the funnel, points of a line), series the values.
 */
struct svgchart {
	const struct locfmt *fmt;
	const char          *title;  /* the SVG's accessible name */
	const char          *xlabel; /* axis title with unit, or NULL */
	const char          *ylabel;
	size_t               ncat;
	const char *const   *cats;
	size_t               nser;
	const struct svgchart_series *ser;
	enum svgchart_value           kind; /* of the values */
	/* Lines: the x of each point; NULL: the categories, evenly spaced. */
	const double       *x;
	enum svgchart_value xkind;    /* of x, when given */
	bool                diagonal; /* lines: the line y = x (a ROC) */
	int                 mark;     /* lines, columns: a dashed rule before
	                                 category mark (> 0), e.g. "today" */
	const char         *mark_label;
	bool                ordered; /* colours from a ramp, in order */
};

/* Horizontal bars, one group per category, one bar per series. */
void svgchart_hbar(struct buf *out, const struct svgchart *c);

/*
 * 100% stacked horizontal bars: one bar per series, cut into the
 * categories' shares of the series' total, with a legend of the
 * categories.
 */
void svgchart_stacked(struct buf *out, const struct svgchart *c);

/*
 * Vertical columns, one group per category (a histogram's bins, deciles,
 * weeks); a series' NaN values draw nothing.
 */
void svgchart_columns(struct buf *out, const struct svgchart *c);

/* Lines, one per series, with markers at the points (NaN: a gap). */
void svgchart_line(struct buf *out, const struct svgchart *c);

/*
 * A heatmap of nrow x ncol cells, v[r * ncol + c], rows labelled by
 * c->cats (top to bottom) and columns by cols (left to right); c->ylabel
 * titles the rows, c->xlabel the columns.  Each cell shows its value.
 */
void svgchart_heatmap(struct buf *out, const struct svgchart *c,
    const char *const *cols, size_t ncol, const double *v);

/*
 * A funnel: one centred bar per category (first series), in order, each
 * with its value and its share of their total.
 */
void svgchart_funnel(struct buf *out, const struct svgchart *c);

/*
 * The colour of series i (of n) as "#rrggbb": Okabe-Ito, or with ordered
 * a ramp from light to dark.
 */
const char *svgchart_color(size_t i, size_t n, bool ordered);

/*
 * Round ticks for the range [lo, hi]: step 1, 2 or 5 times a power of ten
 * giving at most max ticks; *first and *last are the outermost ticks,
 * covering the range.  Returns the step.
 */
double
svgchart_ticks(double lo, double hi, int max, double *first, double *last);

#endif
