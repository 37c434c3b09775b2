/*
 * svgchart: bar, stacked bar, column, line, heatmap and funnel charts as
 * SVG text.  Layout is in SVG units at a font size of 12; coordinates are
 * written with one decimal.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "markup.h"
#include "numfmt.h"
#include "svgchart.h"

#define FS 12.0 /* font size */
#define W ((double)SVGCHART_WIDTH)

/*
 * Okabe & Ito (2008), "Color Universal Design", ordered so that two or
 * three series differ in lightness as well as hue.
 */
static const char *const okabe_ito[] = { "#0072B2", "#E69F00", "#009E73",
	"#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000" };
#define NOKABE (sizeof(okabe_ito) / sizeof(okabe_ito[0]))

/* Line styles: dash pattern and marker, by series. */
static const char *const dashes[] = { "", "6 4", "2 3", "9 3 2 3" };

/* The ramp's ends: a light and a dark blue, of one hue. */
static const double ramp_lo[3] = { 0xde, 0xeb, 0xf7 };
static const double ramp_hi[3] = { 0x08, 0x30, 0x6b };

static void
ramp(double t, char *dst)
{
	int i, c[3];

	t = t < 0 ? 0 : t > 1 ? 1 : t;
	for (i = 0; i < 3; i++)
		c[i] = (int)lround(ramp_lo[i] + (ramp_hi[i] - ramp_lo[i]) * t);
	snprintf(dst, 8, "#%02x%02x%02x", (unsigned)c[0], (unsigned)c[1],
	    (unsigned)c[2]);
}

const char *
svgchart_color(size_t i, size_t n, bool ordered)
{
	/* Ramps of up to 8 steps, kept as strings for the caller. */
	static const char *const ramps[8][8] = {
		{ "#0072B2" },
		{ "#8fb8de", "#08306b" },
		{ "#b3d1ec", "#4f83b5", "#08306b" },
		{ "#c6dbef", "#6aa0cf", "#2a6aad", "#08306b" },
		{ "#d0e2f2", "#8ab7de", "#4f8fc8", "#2262a4", "#08306b" },
		{ "#d6e6f4", "#9dc3e4", "#66a0d2", "#3c80be", "#1b5a9c",
		    "#08306b" },
		{ "#dbe9f6", "#abcbe8", "#7cacd9", "#508dc8", "#2f6fb3",
		    "#195497", "#08306b" },
		{ "#deebf7", "#b4d1ec", "#8bb6de", "#629bcf", "#3f80bf",
		    "#2668ab", "#15508f", "#08306b" },
	};

	if (!ordered || n == 0)
		return okabe_ito[i % NOKABE];
	if (n > 8)
		n = 8;
	return ramps[n - 1][i < n ? i : n - 1];
}

double
svgchart_ticks(double lo, double hi, int max, double *first, double *last)
{
	static const double nice[] = { 1, 2, 5 };
	double              span, step, mag;
	int                 f;

	if (!(hi > lo))
		hi = lo + (lo != 0 ? fabs(lo) : 1);
	span = hi - lo;
	mag = pow(10, floor(log10(span / (max > 1 ? max - 1 : 1))));
	step = mag;
	for (;;) {
		for (f = 0; f < 3; f++) {
			step = nice[f] * mag;
			if (ceil(hi / step - 1e-9) - floor(lo / step + 1e-9) <
			    (double)max)
				goto done;
		}
		mag *= 10;
	}
done:
	*first = floor(lo / step + 1e-9) * step;
	*last = ceil(hi / step - 1e-9) * step;
	return step;
}

/*
 * The class of text drawn on a fill: dark ink on light colours, white on
 * dark ones (relative luminance, ITU-R BT.709 weights on sRGB).
 */
static const char *
ink(const char *hex)
{
	unsigned r = 0, g = 0, b = 0;

	if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
		return "in-d";
	return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? "in-d" : "in";
}

/* A coordinate with at most one decimal. */
static void
coord(struct buf *out, double v)
{
	char s[NUMFMT_MAX];

	numfmt_fixed(s, v, 1);
	buf_addstr(out, s);
}

static void
attr(struct buf *out, const char *name, double v)
{
	buf_addc(out, ' ');
	buf_addstr(out, name);
	buf_addstr(out, "=\"");
	coord(out, v);
	buf_addc(out, '"');
}

static void
begin(struct buf *out, const struct svgchart *c, double h)
{
	buf_addstr(out, "<svg class=\"chart\" viewBox=\"0 0 ");
	coord(out, W);
	buf_addc(out, ' ');
	coord(out, ceil(h));
	buf_addstr(out, "\" role=\"img\" aria-label=\"");
	markup_html_str(out, c->title != NULL ? c->title : "");
	buf_addstr(out, "\">");
}

static void
end(struct buf *out)
{
	buf_addstr(out, "</svg>");
}

/* Text at (x, y); anchor "start", "middle" or "end"; cls may be NULL. */
static void
text(struct buf *out, double x, double y, const char *anchor, const char *cls,
    const char *s, double max)
{
	buf_addstr(out, "<text");
	attr(out, "x", x);
	attr(out, "y", y);
	if (strcmp(anchor, "start") != 0) {
		buf_addstr(out, " text-anchor=\"");
		buf_addstr(out, anchor);
		buf_addc(out, '"');
	}
	if (cls != NULL) {
		buf_addstr(out, " class=\"");
		buf_addstr(out, cls);
		buf_addc(out, '"');
	}
	buf_addc(out, '>');
	if (max > 0)
		markup_html_fit(out, s, FS, max);
	else
		markup_html_str(out, s);
	buf_addstr(out, "</text>");
}

static void
line(struct buf *out, double x1, double y1, double x2, double y2,
    const char *cls)
{
	buf_addstr(out, "<line");
	attr(out, "x1", x1);
	attr(out, "y1", y1);
	attr(out, "x2", x2);
	attr(out, "y2", y2);
	buf_addf(out, " class=\"%s\"/>", cls);
}

static void
rect(struct buf *out, double x, double y, double w, double h, const char *fill)
{
	buf_addstr(out, "<rect");
	attr(out, "x", x);
	attr(out, "y", y);
	attr(out, "width", w > 0 ? w : 0);
	attr(out, "height", h > 0 ? h : 0);
	buf_addf(out, " fill=\"%s\"/>", fill);
}

/* A value as the chart writes it at a bar. */
static void
value_text(const struct svgchart *c, double v, char *dst)
{
	switch (c->kind) {
	case SVGCHART_MONEY:
		locfmt_money0(c->fmt, dst, v);
		break;
	case SVGCHART_PERCENT:
		locfmt_percent(c->fmt, dst, v, 1);
		break;
	case SVGCHART_DECIMAL:
		locfmt_number(c->fmt, dst, v, 2);
		break;
	default:
		locfmt_number(c->fmt, dst, v, 0);
	}
}

/* A tick of an axis of values of kind k, step apart. */
static void
tick_text(const struct locfmt *f, enum svgchart_value k, double v, double step,
    char *dst)
{
	size_t n;

	if (fabs(v) < step * 1e-9)
		v = 0;
	switch (k) {
	case SVGCHART_PERCENT:
		locfmt_percent(f, dst, v, step >= 0.01 ? 0 : 1);
		break;
	case SVGCHART_DECIMAL:
		locfmt_number(f, dst, v, step >= 1 ? 0 : step >= 0.1 ? 1 : 2);
		break;
	case SVGCHART_MONEY:
		n = strlen(f->currency);
		memcpy(dst, f->currency, n);
		locfmt_short(f, dst + n, v);
		break;
	default:
		locfmt_short(f, dst, v);
	}
}

/*
 * The largest value of the series (0 when none is positive), or with
 * sign -1 the smallest (0 when none is negative).
 */
static double
extreme(const struct svgchart *c, double sign)
{
	double m = 0;
	size_t s, i;

	for (s = 0; s < c->nser; s++)
		for (i = 0; i < c->ncat; i++)
			if (isfinite(c->ser[s].v[i]) &&
			    sign * c->ser[s].v[i] > sign * m)
				m = c->ser[s].v[i];
	return m;
}

static double
max_value(const struct svgchart *c)
{
	return extreme(c, 1);
}

static double
min_value(const struct svgchart *c)
{
	return extreme(c, -1);
}

/* The widest category label, in units, capped at cap. */
static double
label_width(const struct svgchart *c, double cap)
{
	double w = 0, x;
	size_t i;

	for (i = 0; i < c->ncat; i++)
		if ((x = markup_width(c->cats[i]) * FS) > w)
			w = x;
	return w < cap ? w : cap;
}

/*
 * The legend of the series (or, with cats, of the categories), wrapped
 * over the width from y; drawn when out is not NULL.  Returns its height.
 * Swatches are squares, or short lines in the series' dash with lines.
 */
static double
legend(
    struct buf *out, const struct svgchart *c, double y, bool cats, bool lines)
{
	size_t n = cats ? c->ncat : c->nser, i;
	double x = 8, h = 18;

	if (n < 2 && !cats)
		return 0;
	for (i = 0; i < n; i++) {
		const char *name = cats ? c->cats[i] : c->ser[i].name;
		const char *col = svgchart_color(i, n, c->ordered);
		double      w = 18 + markup_width(name) * FS + 14;

		if (x > 8 && x + w > W - 4) {
			x = 8;
			y += 18;
			h += 18;
		}
		if (out != NULL) {
			if (lines) {
				buf_addf(out, "<path d=\"M");
				coord(out, x);
				buf_addc(out, ' ');
				coord(out, y + 9);
				buf_addstr(out, "h14\" stroke=\"");
				buf_addf(out, "%s\" stroke-width=\"2.5\"", col);
				if (*dashes[i % 4] != '\0')
					buf_addf(out,
					    " stroke-dasharray=\"%s\"",
					    dashes[i % 4]);
				buf_addstr(out, " fill=\"none\"/>");
			} else {
				rect(out, x + 2, y + 3, 11, 11, col);
			}
			text(out, x + 18, y + 13, "start", "lg", name,
			    W - x - 22);
		}
		x += w;
	}
	return h;
}

void
svgchart_hbar(struct buf *out, const struct svgchart *c)
{
	double lw = label_width(c, 150) + 8, vw = 0, top = 6, bh, gh, x0, x1,
	       first, last, step, t, y, h, leg;
	char   s[LOCFMT_MAX];
	size_t i, k;

	for (k = 0; k < c->nser; k++)
		for (i = 0; i < c->ncat; i++) {
			value_text(c, c->ser[k].v[i], s);
			if (markup_width(s) * FS > vw)
				vw = markup_width(s) * FS;
		}
	bh = c->nser > 1 ? 12 : 16;
	gh = (double)c->nser * bh + 8;
	leg = legend(NULL, c, 0, false, false);
	x0 = lw;
	x1 = W - vw - 10;
	step = svgchart_ticks(0, max_value(c), 5, &first, &last);
	h = top + leg + (double)c->ncat * gh + 22 + (c->xlabel ? 16 : 0);
	begin(out, c, h);
	legend(out, c, top, false, false);
	top += leg;
	for (t = first; t <= last + step * 1e-9; t += step) {
		double x = x0 + (x1 - x0) * t / last;

		line(out, x, top, x, top + (double)c->ncat * gh, "gl");
		tick_text(c->fmt, c->kind, t, step, s);
		text(out, x, top + (double)c->ncat * gh + 14, "middle", "ax", s,
		    0);
	}
	for (i = 0; i < c->ncat; i++) {
		y = top + (double)i * gh + 4;
		text(out, lw - 6, y + gh / 2 - 4 + 4, "end", NULL, c->cats[i],
		    lw - 8);
		for (k = 0; k < c->nser; k++) {
			double v = c->ser[k].v[i],
			       w = isfinite(v) && last > 0
			    ? (x1 - x0) * (v > 0 ? v : 0) / last
			    : 0;

			rect(out, x0, y + (double)k * bh, w, bh - 2,
			    svgchart_color(k, c->nser, c->ordered));
			value_text(c, v, s);
			text(out, x0 + w + 4, y + (double)k * bh + bh - 5,
			    "start", "vl", s, 0);
		}
	}
	line(out, x0, top, x0, top + (double)c->ncat * gh, "ax");
	if (c->xlabel != NULL)
		text(out, (x0 + x1) / 2, h - 4, "middle", "at", c->xlabel, 0);
	end(out);
}

void
svgchart_stacked(struct buf *out, const struct svgchart *c)
{
	double      lw = 0, top = 6, bh = 26, x0, x1, y, leg, h;
	const char *col;
	char        s[LOCFMT_MAX];
	size_t      i, k;

	for (k = 0; k < c->nser; k++)
		if (markup_width(c->ser[k].name) * FS > lw)
			lw = markup_width(c->ser[k].name) * FS;
	lw = (lw < 120 ? lw : 120) + 10;
	x0 = lw;
	x1 = W - 8;
	leg = legend(NULL, c, 0, true, false);
	h = top + (double)c->nser * (bh + 8) + 4 + leg;
	begin(out, c, h);
	for (k = 0; k < c->nser; k++) {
		double total = 0, x = x0;

		y = top + (double)k * (bh + 8);
		text(out, lw - 6, y + bh / 2 + 4, "end", NULL, c->ser[k].name,
		    lw - 8);
		for (i = 0; i < c->ncat; i++)
			if (isfinite(c->ser[k].v[i]) && c->ser[k].v[i] > 0)
				total += c->ser[k].v[i];
		for (i = 0; total > 0 && i < c->ncat; i++) {
			double v = c->ser[k].v[i], w;

			if (!isfinite(v) || v <= 0)
				continue;
			w = (x1 - x0) * v / total;
			col = svgchart_color(i, c->ncat, c->ordered);
			rect(out, x, y, w, bh, col);
			locfmt_percent(c->fmt, s, v / total, 0);
			if (markup_width(s) * FS + 4 < w)
				text(out, x + w / 2, y + bh / 2 + 4, "middle",
				    ink(col), s, 0);
			x += w;
		}
	}
	legend(out, c, top + (double)c->nser * (bh + 8) + 2, true, false);
	end(out);
}

/*
 * The frame of columns and lines: the y axis from 0 (or the lowest value)
 * to the highest, with gridlines, and the category labels along x.
 */
struct frame {
	double x0, x1, y0, y1; /* plot area; y0 is the top */
	double lo, hi;         /* values at y1 and y0 */
	double xlo, xhi;       /* numeric x range */
	double slot;           /* width of a category */
};

static double
frame_y(const struct frame *f, double v)
{
	return f->y1 - (f->y1 - f->y0) * (v - f->lo) / (f->hi - f->lo);
}

/* The x of a value on a numeric x axis. */
static double
frame_xv(const struct frame *f, double v)
{
	return f->x0 + (f->x1 - f->x0) * (v - f->xlo) / (f->xhi - f->xlo);
}

static double
frame_x(const struct frame *f, const struct svgchart *c, size_t i)
{
	if (c->x != NULL)
		return frame_xv(f, c->x[i]);
	return f->x0 + f->slot * ((double)i + 0.5);
}

static double
draw_frame(
    struct buf *out, const struct svgchart *c, struct frame *f, bool lines)
{
	double first, last, step, t, yw = 0, leg, top = 6, h, every;
	char   s[LOCFMT_MAX];
	size_t i;

	leg = legend(NULL, c, 0, false, lines);
	step = svgchart_ticks(min_value(c), max_value(c), 6, &first, &last);
	for (t = first; t <= last + step * 1e-9; t += step) {
		tick_text(c->fmt, c->kind, t, step, s);
		if (markup_width(s) * FS > yw)
			yw = markup_width(s) * FS;
	}
	f->x0 = yw + 10;
	f->x1 = W - 10;
	f->y0 = top + leg + (c->ylabel ? 18 : 6);
	f->y1 = f->y0 + 170;
	f->lo = first;
	f->hi = last > first ? last : first + 1;
	f->slot = c->ncat > 0 ? (f->x1 - f->x0) / (double)c->ncat : 1;
	h = f->y1 + 22 + (c->xlabel ? 16 : 0);
	begin(out, c, h);
	legend(out, c, top, false, lines);
	if (c->ylabel != NULL)
		text(out, 2, f->y0 - 8, "start", "at", c->ylabel, 0);
	for (t = first; t <= last + step * 1e-9; t += step) {
		double y = frame_y(f, t);

		line(out, f->x0, y, f->x1, y,
		    fabs(t) < step * 1e-9 ? "ax" : "gl");
		tick_text(c->fmt, c->kind, t, step, s);
		text(out, f->x0 - 4, y + 4, "end", "ax", s, 0);
	}
	if (c->x != NULL) { /* numeric x: its own round ticks */
		double xs = svgchart_ticks(
		    c->x[0], c->x[c->ncat - 1], 6, &first, &last);

		f->xlo = first;
		f->xhi = last > first ? last : first + 1;
		for (t = first; t <= last + xs * 1e-9; t += xs) {
			double x = frame_xv(f, t), half;

			line(out, x, f->y0, x, f->y1, "gl");
			tick_text(c->fmt, c->xkind, t, xs, s);
			/* Kept within the chart at both ends, as below. */
			half = markup_width(s) * 11 / 2;
			x = x + half > W - 2 ? W - 2 - half : x;
			text(out, x, f->y1 + 14, "middle", "ax", s, 0);
		}
	} else {
		double lw = label_width(c, 1e9) + 6;

		every = ceil(lw / f->slot);
		for (i = 0; i < c->ncat; i += (size_t)every) {
			/* Kept within the chart at both ends. */
			double x = frame_x(f, c, i),
			       half = markup_width(c->cats[i]) * 11 / 2;

			x = x - half < 2 ? 2 + half : x;
			x = x + half > W - 2 ? W - 2 - half : x;
			text(out, x, f->y1 + 14, "middle", "ax", c->cats[i], 0);
		}
	}
	if (c->mark > 0 && (size_t)c->mark < c->ncat) {
		double x = c->x != NULL ? (frame_x(f, c, (size_t)c->mark - 1) +
		                              frame_x(f, c, (size_t)c->mark)) /
		        2
		                        : f->x0 + f->slot * c->mark;

		line(out, x, f->y0 - 4, x, f->y1, "mk");
		if (c->mark_label != NULL)
			text(out, x + 3, f->y0 + 6, "start", "ax",
			    c->mark_label, 0);
	}
	if (c->xlabel != NULL)
		text(out, (f->x0 + f->x1) / 2, h - 4, "middle", "at", c->xlabel,
		    0);
	return h;
}

void
svgchart_columns(struct buf *out, const struct svgchart *c)
{
	struct frame f;
	double       bw, base;
	char         s[LOCFMT_MAX];
	size_t       i, k;
	bool         labels;

	draw_frame(out, c, &f, false);
	bw = f.slot * 0.8 / (double)(c->nser ? c->nser : 1);
	base = frame_y(&f, 0 > f.lo ? 0 : f.lo);
	labels = c->ncat * c->nser <= 14;
	for (i = 0; i < c->ncat; i++)
		for (k = 0; k < c->nser; k++) {
			double v = c->ser[k].v[i], x, y;

			if (!isfinite(v))
				continue;
			x = f.x0 + f.slot * ((double)i + 0.1) + bw * (double)k;
			y = frame_y(&f, v);
			rect(out, x, v >= 0 ? y : base, bw - 1, fabs(base - y),
			    svgchart_color(k, c->nser, c->ordered));
			value_text(c, v, s);
			if (labels && markup_width(s) * 10 < f.slot * 1.1)
				text(out, x + bw / 2, y - 3, "middle", "vs", s,
				    0);
		}
	end(out);
}

/* A marker of series k at (x, y). */
static void
marker(struct buf *out, size_t k, double x, double y, const char *col)
{
	switch (k % 4) {
	case 0:
		buf_addstr(out, "<circle");
		attr(out, "cx", x);
		attr(out, "cy", y);
		buf_addf(out, " r=\"3\" fill=\"%s\"/>", col);
		break;
	case 1:
		rect(out, x - 3, y - 3, 6, 6, col);
		break;
	case 2:
		buf_addstr(out, "<path d=\"M");
		coord(out, x);
		buf_addc(out, ' ');
		coord(out, y - 4);
		buf_addf(out, "l4 7h-8z\" fill=\"%s\"/>", col);
		break;
	default:
		buf_addstr(out, "<path d=\"M");
		coord(out, x);
		buf_addc(out, ' ');
		coord(out, y - 4);
		buf_addf(out, "l4 4l-4 4l-4 -4z\" fill=\"%s\"/>", col);
	}
}

void
svgchart_line(struct buf *out, const struct svgchart *c)
{
	struct frame f;
	size_t       i, k;

	draw_frame(out, c, &f, true);
	if (c->diagonal && c->x != NULL) {
		double a = f.xlo > f.lo ? f.xlo : f.lo,
		       b = f.xhi < f.hi ? f.xhi : f.hi;

		line(out, frame_xv(&f, a), frame_y(&f, a), frame_xv(&f, b),
		    frame_y(&f, b), "mk");
	}
	for (k = 0; k < c->nser; k++) {
		const char *col = svgchart_color(k, c->nser, c->ordered);
		bool        pen = false;

		buf_addstr(out, "<path d=\"");
		for (i = 0; i < c->ncat; i++) {
			double v = c->ser[k].v[i];

			if (!isfinite(v)) {
				pen = false;
				continue;
			}
			buf_addc(out, pen ? 'L' : 'M');
			coord(out, frame_x(&f, c, i));
			buf_addc(out, ' ');
			coord(out, frame_y(&f, v));
			pen = true;
		}
		buf_addf(out,
		    "\" fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\"",
		    col);
		if (*dashes[k % 4] != '\0')
			buf_addf(
			    out, " stroke-dasharray=\"%s\"", dashes[k % 4]);
		buf_addstr(out, "/>");
		if (c->ncat <= 40)
			for (i = 0; i < c->ncat; i++)
				if (isfinite(c->ser[k].v[i]))
					marker(out, k, frame_x(&f, c, i),
					    frame_y(&f, c->ser[k].v[i]), col);
	}
	end(out);
}

void
svgchart_heatmap(struct buf *out, const struct svgchart *c,
    const char *const *cols, size_t ncol, const double *v)
{
	double lw = label_width(c, 120) + 10, top = 6, cw, ch, max = 0, h, x0;
	char   s[LOCFMT_MAX], col[8];
	size_t r, k;

	for (r = 0; r < c->ncat * ncol; r++)
		if (isfinite(v[r]) && v[r] > max)
			max = v[r];
	cw = (W - lw - 8) / (double)(ncol ? ncol : 1);
	cw = cw < 72 ? cw : 72;
	ch = cw * 0.6 < 36 ? cw * 0.6 : 36;
	ch = ch > 24 ? ch : 24;
	x0 = lw;
	top += c->ylabel != NULL ? 16 : 0;
	h = top + (double)c->ncat * ch + 22 + (c->xlabel ? 16 : 0);
	begin(out, c, h);
	if (c->ylabel != NULL)
		text(out, 2, top - 6, "start", "at", c->ylabel, 0);
	for (r = 0; r < c->ncat; r++) {
		double y = top + (double)r * ch;

		text(out, lw - 6, y + ch / 2 + 4, "end", NULL, c->cats[r],
		    lw - 8);
		for (k = 0; k < ncol; k++) {
			double x = x0 + (double)k * cw, val = v[r * ncol + k],
			       t = max > 0 && isfinite(val) ? val / max : 0;

			ramp(t, col);
			rect(out, x + 1, y + 1, cw - 2, ch - 2, col);
			value_text(c, val, s);
			text(out, x + cw / 2, y + ch / 2 + 4, "middle",
			    ink(col), s, cw - 4);
		}
	}
	for (k = 0; k < ncol; k++)
		text(out, x0 + cw * ((double)k + 0.5),
		    top + (double)c->ncat * ch + 14, "middle", "ax", cols[k],
		    0);
	if (c->xlabel != NULL)
		text(out, x0 + cw * (double)ncol / 2, h - 4, "middle", "at",
		    c->xlabel, 0);
	end(out);
}

void
svgchart_funnel(struct buf *out, const struct svgchart *c)
{
	double lw = label_width(c, 130) + 10, top = 6, rh = 30, x0, x1, max,
	       first, h;
	const char *col;
	char        s[LOCFMT_MAX * 2];
	size_t      i, n;

	if (c->nser == 0)
		return;
	max = max_value(c);
	first = 0; /* the total, of which each stage's share is written */
	for (i = 0; i < c->ncat; i++)
		first += isfinite(c->ser[0].v[i]) ? c->ser[0].v[i] : 0;
	x0 = lw;
	x1 = W - 8;
	h = top + (double)c->ncat * rh + 4;
	begin(out, c, h);
	for (i = 0; i < c->ncat; i++) {
		double v = c->ser[0].v[i], y = top + (double)i * rh,
		       w = max > 0 && isfinite(v) ? (x1 - x0) * v / max : 0,
		       mid = (x0 + x1) / 2;
		bool inside;

		text(out, lw - 6, y + rh / 2 + 2, "end", NULL, c->cats[i],
		    lw - 8);
		col = svgchart_color(i, c->ncat, true);
		rect(out, mid - w / 2, y + 2, w, rh - 6, col);
		value_text(c, v, s);
		n = strlen(s);
		if (first > 0 && isfinite(v)) {
			strcpy(s + n, " (");
			n += 2;
			n += locfmt_percent(c->fmt, s + n, v / first, 0);
			strcpy(s + n, ")");
		}
		inside = markup_width(s) * FS + 8 < w;
		text(out, inside ? mid : mid + w / 2 + 4, y + rh / 2 + 2,
		    inside ? "middle" : "start", inside ? ink(col) : "vl", s,
		    0);
	}
	end(out);
}
