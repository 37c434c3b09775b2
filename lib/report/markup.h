/*
 * markup: text from the data made safe to show.  Every name, label and
 * reason the report takes from its inputs goes through here before it
 * reaches the HTML, the SVG or the Markdown, so that a customer called
 * "<script>" or a segment named "a|b" is shown as written and changes
 * nothing around it.  Also the estimate of how wide a text is drawn,
 * which the charts lay their labels out by.
 *
 * Input is UTF-8 (the readers guarantee it); control characters other than
 * tab are dropped, and tabs and line breaks become spaces.
 */
#ifndef CI_MARKUP_H
#define CI_MARKUP_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the len bytes at s to out, escaped for HTML and SVG text and
 * attribute values alike: & < > " ' as character references.
 */
void markup_html(struct buf *out, const char *s, size_t len);

/* markup_html() of a NUL-terminated string. */
void markup_html_str(struct buf *out, const char *s);

/*
 * Append s to out for Markdown text and table cells: the characters
 * Markdown gives a meaning inside a line (\ ` * _ [ ] < > # | ~) behind a
 * backslash, so that the text reads as written.  Callers never start a
 * line with data text, so a leading "-" or "1." cannot make a list.
 */
void markup_md(struct buf *out, const char *s, size_t len);

/* markup_md() of a NUL-terminated string. */
void markup_md_str(struct buf *out, const char *s);

/*
 * The width of s drawn at font size 1, estimated: East Asian wide
 * characters 1, digits and most Latin letters about 0.58, narrow ones
 * (i l . , space) 0.3.  Multiply by the font size for pixels.
 */
double markup_width(const char *s);

/*
 * Append to out the longest prefix of s whose markup_width() times size
 * is at most max, with "…" in place of what is cut, escaped as
 * markup_html() does.
 */
void markup_html_fit(struct buf *out, const char *s, double size, double max);

#endif
