/*
 * doc: the report as a document, written as HTML and Markdown at once.
 * The caller says what comes (a section, a paragraph of text and figures,
 * headline cards, a table, a chart) and doc writes both forms, so that the
 * two always show the same figures in the same order.
 *
 * The HTML is one self-contained page: inline CSS and inline SVG, no
 * script, no link to anything outside; it reads on a phone (one column,
 * wide tables scroll within themselves) and prints in grey.  Every figure
 * carries, in its data-f attribute, the JSON pointer (RFC 6901) of its
 * value in summary.json, so that a test can check each figure shown
 * against the summary.  Every text from the data is escaped (markup.h).
 *
 * Text arguments are UTF-8 and are escaped here; svg arguments are markup
 * made by svgchart and are copied as they are.
 */
#ifndef CI_DOC_H
#define CI_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct doc {
	struct buf html;
	struct buf md;
	size_t     ncol;      /* columns of the open table, 0: none */
	size_t     col;       /* cells written in its current row */
	char       align[16]; /* 'l' or 'r' per column */
	bool       in_para;
	bool       in_section;
	bool       in_grid;
	bool       in_figure; /* a chart's figure is open */
	bool       in_data;   /* its data table is open */
};

/*
 * Begin the document: lang is the HTML language tag ("en", "zh-Hans"),
 * title the page's title and first heading, subtitle the line below it.
 */
void doc_init(
    struct doc *d, const char *lang, const char *title, const char *subtitle);

/* Begin a section (closing the one before) with an anchor id. */
void doc_section(struct doc *d, const char *id, const char *title);

/* A heading within a section. */
void doc_subhead(struct doc *d, const char *title);

/* Text in the current paragraph, beginning one when none is open. */
void doc_text(struct doc *d, const char *s);

/* A figure in the current paragraph: its text and summary pointer. */
void doc_fig(struct doc *d, const char *ptr, const char *text);

/* End the current paragraph (nothing when none is open). */
void doc_para_end(struct doc *d);

/* A note in small print: a paragraph of its own. */
void doc_note(struct doc *d, const char *s);

/* Headline cards: begin, one per figure, end. */
void doc_cards_begin(struct doc *d);

/*
 * A card: label, the figure (text, pointer) and optionally its change
 * (text and pointer; NULL for none) with its direction: 1 up, -1 down, 0
 * none, and whether the change is good news (for the colour; the arrow
 * and the sign say it without colour).
 */
void
doc_card(struct doc *d, const char *label, const char *text, const char *ptr,
    const char *change, const char *change_ptr, int dir, bool good);

void doc_cards_end(struct doc *d);

/*
 * Begin a table of ncol columns (at most 15) with their headings, align
 * giving 'l' or 'r' per column, and a caption (NULL for none).
 */
void doc_table_begin(struct doc *d, const char *caption, size_t ncol,
    const char *const *heads, const char *align);

/* Cells, left to right; a row ends after its last column. */
void doc_th(struct doc *d, const char *label); /* a row's heading */
void doc_td(struct doc *d, const char *text);  /* text from the data */
void doc_tf(struct doc *d, const char *ptr, const char *text); /* figure */
/* A traffic light: status "green", "yellow" or "red", and its word. */
void doc_tl(struct doc *d, const char *status, const char *word);

void doc_table_end(struct doc *d);

/* Charts side by side where the page is wide: begin, charts, end. */
void doc_grid_begin(struct doc *d);
void doc_grid_end(struct doc *d);

/*
 * A chart: its SVG and caption, in a figure that whatever comes next
 * closes.  The Markdown says only the caption: its figures come in the
 * table that may follow the chart (doc_data_begin()), inside its figure.
 */
void doc_chart(struct doc *d, const char *svg, const char *caption);

/*
 * The figures of the chart before, as a table folded under it in the HTML
 * (a details element, open by a click, no script) and shown in the
 * Markdown: begin, one doc table, end.
 */
void doc_data_begin(struct doc *d, const char *summary);
void doc_data_end(struct doc *d);

/* End the document with a footer line; the texts are complete. */
void doc_finish(struct doc *d, const char *footer);

/* Free both texts.  Safe on a zeroed struct. */
void doc_release(struct doc *d);

#endif
