/*
 * doc: the HTML page and its Markdown twin, written side by side.
 */
#include <string.h>

#include "doc.h"
#include "markup.h"

/*
 * The page's style: one column on a phone, cards and charts in a grid
 * where there is room, tables that scroll within themselves, and print
 * rules that keep a chart or a card on one page.  Changes are told by an
 * arrow and a sign, traffic lights by a shape and a word: colour is never
 * the only sign.
 */
static const char css[] =
    ":root{--ink:#1b1b1b;--mut:#595959;--line:#d6d6d6;--card:#f3f5f8;"
    "--blue:#0072B2}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.45 "
    "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\","
    "\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\","
    "sans-serif}\n"
    "header,main,footer{max-width:1040px;margin:0 auto;padding:0 14px}\n"
    "header{padding-top:16px;padding-bottom:8px;"
    "border-bottom:3px solid var(--blue)}\n"
    "h1{font-size:1.45rem;margin:0}\n"
    ".sub{color:var(--mut);margin:2px 0 0}\n"
    "h2{font-size:1.2rem;margin:26px 0 8px;padding-bottom:3px;"
    "border-bottom:1px solid var(--line)}\n"
    "h3{font-size:1rem;margin:16px 0 6px}\n"
    "p{margin:6px 0}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(min(100%,150px),1fr));gap:10px;margin:12px 0}\n"
    ".card{background:var(--card);border-radius:8px;padding:9px 12px;"
    "break-inside:avoid}\n"
    ".card .l{font-size:.8rem;color:var(--mut)}\n"
    ".card .v{font-size:1.3rem;font-weight:700;white-space:nowrap;"
    "overflow-wrap:anywhere}\n"
    ".card .c{font-size:.8rem;color:var(--mut)}\n"
    ".card .good{color:#006d4f}.card .bad{color:#b34700}\n"
    ".up::before{content:\"\\25B2 \"}.down::before{content:\"\\25BC \"}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(min(100%,440px),1fr));gap:6px 22px}\n"
    "figure{margin:10px 0;break-inside:avoid;min-width:0;"
    "max-width:620px}\n"
    "figcaption{font-size:.85rem;color:var(--mut);margin-top:2px}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "svg text{font-size:12px;fill:#222}\n"
    "svg text.ax,svg text.at,svg text.lg,svg text.vl{font-size:11px}\n"
    "svg text.ax,svg text.at{fill:#555}svg text.at{font-style:italic}\n"
    "svg text.vs{font-size:9px}svg text.in{fill:#fff}"
    "svg text.in-d{fill:#111}\n"
    "svg line.gl{stroke:#e4e4e4}svg line.ax{stroke:#777}\n"
    "svg line.mk{stroke:#666;stroke-dasharray:4 3}\n"
    ".tw{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;font-size:.85rem;width:100%;"
    "margin:6px 0}\n"
    "caption{text-align:left;font-size:.85rem;color:var(--mut);"
    "padding:2px 0}\n"
    "th,td{padding:4px 6px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}\n"
    "thead th{color:var(--mut);font-weight:600;"
    "border-bottom:2px solid var(--line)}\n"
    "tbody th{font-weight:500}\n"
    ".r{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "details{margin:2px 0 10px}"
    "summary{cursor:pointer;color:var(--blue);font-size:.85rem}\n"
    ".tl{white-space:nowrap}.tl-green{color:#006d4f}"
    ".tl-yellow{color:#8a6100}.tl-red{color:#b3261e;font-weight:600}\n"
    ".note{font-size:.8rem;color:var(--mut)}\n"
    "footer{font-size:.8rem;color:var(--mut);padding:20px 14px 30px}\n"
    "@media print{body{font-size:10.5pt}header{border-color:#000}"
    ".grid{display:block}section{break-before:auto}"
    "h2{break-after:avoid}table,figure,.card{break-inside:avoid}}\n";

static const char *const tl_shape[] = { "green", "\u25CF", "yellow", "\u25B2",
	"red", "\u2716" };

/* Close the figure of the last chart, unless its data table is open. */
static void
close_figure(struct doc *d)
{
	if (d->in_figure && !d->in_data)
		buf_addstr(&d->html, "</figure>\n");
	if (!d->in_data)
		d->in_figure = false;
}

void
doc_init(
    struct doc *d, const char *lang, const char *title, const char *subtitle)
{
	memset(d, 0, sizeof(*d));
	buf_addstr(&d->html, "<!DOCTYPE html>\n<html lang=\"");
	markup_html_str(&d->html, lang);
	buf_addstr(&d->html,
	    "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	markup_html_str(&d->html, title);
	buf_addstr(&d->html, "</title>\n<style>\n");
	buf_addstr(&d->html, css);
	buf_addstr(&d->html, "</style>\n</head>\n<body>\n<header>\n<h1>");
	markup_html_str(&d->html, title);
	buf_addstr(&d->html, "</h1>\n<p class=\"sub\">");
	markup_html_str(&d->html, subtitle);
	buf_addstr(&d->html, "</p>\n</header>\n<main>\n");
	buf_addstr(&d->md, "# ");
	markup_md_str(&d->md, title);
	buf_addstr(&d->md, "\n\n");
	markup_md_str(&d->md, subtitle);
	buf_addstr(&d->md, "\n");
}

static void
close_section(struct doc *d)
{
	doc_para_end(d);
	close_figure(d);
	if (d->in_section)
		buf_addstr(&d->html, "</section>\n");
	d->in_section = false;
}

void
doc_section(struct doc *d, const char *id, const char *title)
{
	close_section(d);
	buf_addstr(&d->html, "<section id=\"");
	markup_html_str(&d->html, id);
	buf_addstr(&d->html, "\">\n<h2>");
	markup_html_str(&d->html, title);
	buf_addstr(&d->html, "</h2>\n");
	buf_addstr(&d->md, "\n## ");
	markup_md_str(&d->md, title);
	buf_addstr(&d->md, "\n");
	d->in_section = true;
}

void
doc_subhead(struct doc *d, const char *title)
{
	doc_para_end(d);
	close_figure(d);
	buf_addstr(&d->html, "<h3>");
	markup_html_str(&d->html, title);
	buf_addstr(&d->html, "</h3>\n");
	buf_addstr(&d->md, "\n### ");
	markup_md_str(&d->md, title);
	buf_addstr(&d->md, "\n");
}

static void
para(struct doc *d)
{
	if (d->in_para)
		return;
	close_figure(d);
	buf_addstr(&d->html, "<p>");
	buf_addstr(&d->md, "\n");
	d->in_para = true;
}

void
doc_text(struct doc *d, const char *s)
{
	para(d);
	markup_html_str(&d->html, s);
	markup_md_str(&d->md, s);
}

void
doc_fig(struct doc *d, const char *ptr, const char *text)
{
	para(d);
	buf_addstr(&d->html, "<b data-f=\"");
	markup_html_str(&d->html, ptr);
	buf_addstr(&d->html, "\">");
	markup_html_str(&d->html, text);
	buf_addstr(&d->html, "</b>");
	buf_addstr(&d->md, "**");
	markup_md_str(&d->md, text);
	buf_addstr(&d->md, "**");
}

void
doc_para_end(struct doc *d)
{
	if (!d->in_para)
		return;
	buf_addstr(&d->html, "</p>\n");
	buf_addstr(&d->md, "\n");
	d->in_para = false;
}

void
doc_note(struct doc *d, const char *s)
{
	doc_para_end(d);
	close_figure(d);
	buf_addstr(&d->html, "<p class=\"note\">");
	markup_html_str(&d->html, s);
	buf_addstr(&d->html, "</p>\n");
	buf_addstr(&d->md, "\n*");
	markup_md_str(&d->md, s);
	buf_addstr(&d->md, "*\n");
}

void
doc_cards_begin(struct doc *d)
{
	doc_para_end(d);
	close_figure(d);
	buf_addstr(&d->html, "<div class=\"cards\">\n");
	buf_addstr(&d->md, "\n");
}

void
doc_card(struct doc *d, const char *label, const char *text, const char *ptr,
    const char *change, const char *change_ptr, int dir, bool good)
{
	buf_addstr(&d->html, "<div class=\"card\"><div class=\"l\">");
	markup_html_str(&d->html, label);
	buf_addstr(&d->html, "</div><div class=\"v\" data-f=\"");
	markup_html_str(&d->html, ptr);
	buf_addstr(&d->html, "\">");
	markup_html_str(&d->html, text);
	buf_addstr(&d->html, "</div>");
	buf_addstr(&d->md, "- ");
	markup_md_str(&d->md, label);
	buf_addstr(&d->md, ": **");
	markup_md_str(&d->md, text);
	buf_addstr(&d->md, "**");
	if (change != NULL) {
		buf_addstr(&d->html, "<div class=\"c\"><span class=\"");
		buf_addstr(&d->html, dir > 0 ? "up " : dir < 0 ? "down " : "");
		buf_addstr(&d->html, dir == 0 ? "" : good ? "good" : "bad");
		buf_addstr(&d->html, "\" data-f=\"");
		markup_html_str(&d->html, change_ptr);
		buf_addstr(&d->html, "\">");
		markup_html_str(&d->html, change);
		buf_addstr(&d->html, "</span></div>");
		buf_addstr(&d->md, " (");
		buf_addstr(&d->md,
		    dir > 0       ? "\u25B2 "
		        : dir < 0 ? "\u25BC "
		                  : "");
		markup_md_str(&d->md, change);
		buf_addstr(&d->md, ")");
	}
	buf_addstr(&d->html, "</div>\n");
	buf_addstr(&d->md, "\n");
}

void
doc_cards_end(struct doc *d)
{
	buf_addstr(&d->html, "</div>\n");
}

void
doc_table_begin(struct doc *d, const char *caption, size_t ncol,
    const char *const *heads, const char *align)
{
	size_t i;

	doc_para_end(d);
	close_figure(d);
	if (ncol >= sizeof(d->align))
		ncol = sizeof(d->align) - 1;
	d->ncol = ncol;
	d->col = 0;
	for (i = 0; i < ncol; i++)
		d->align[i] = align[i] == 'r' ? 'r' : 'l';
	buf_addstr(&d->html, "<div class=\"tw\"><table>");
	if (caption != NULL) {
		buf_addstr(&d->html, "<caption>");
		markup_html_str(&d->html, caption);
		buf_addstr(&d->html, "</caption>");
		buf_addstr(&d->md, "\n");
		markup_md_str(&d->md, caption);
		buf_addstr(&d->md, ":\n");
	}
	buf_addstr(&d->html, "\n<thead><tr>");
	buf_addstr(&d->md, "\n|");
	for (i = 0; i < ncol; i++) {
		buf_addstr(
		    &d->html, d->align[i] == 'r' ? "<th class=\"r\">" : "<th>");
		markup_html_str(&d->html, heads[i]);
		buf_addstr(&d->html, "</th>");
		buf_addc(&d->md, ' ');
		markup_md_str(&d->md, heads[i]);
		buf_addstr(&d->md, " |");
	}
	buf_addstr(&d->html, "</tr></thead>\n<tbody>\n");
	buf_addstr(&d->md, "\n|");
	for (i = 0; i < ncol; i++)
		buf_addstr(&d->md, d->align[i] == 'r' ? " ---: |" : " --- |");
	buf_addstr(&d->md, "\n");
}

/* Open a cell of tag (th or td), with the row's start before the first. */
static void
cell_begin(struct doc *d, const char *tag, const char *ptr)
{
	if (d->col == 0) {
		buf_addstr(&d->html, "<tr>");
		buf_addc(&d->md, '|');
	}
	buf_addc(&d->html, '<');
	buf_addstr(&d->html, tag);
	if (strcmp(tag, "th") == 0)
		buf_addstr(&d->html, " scope=\"row\"");
	if (d->align[d->col] == 'r')
		buf_addstr(&d->html, " class=\"r\"");
	if (ptr != NULL) {
		buf_addstr(&d->html, " data-f=\"");
		markup_html_str(&d->html, ptr);
		buf_addc(&d->html, '"');
	}
	buf_addc(&d->html, '>');
	buf_addc(&d->md, ' ');
}

static void
cell_end(struct doc *d, const char *tag)
{
	buf_addstr(&d->html, "</");
	buf_addstr(&d->html, tag);
	buf_addc(&d->html, '>');
	buf_addstr(&d->md, " |");
	if (++d->col == d->ncol) {
		buf_addstr(&d->html, "</tr>\n");
		buf_addc(&d->md, '\n');
		d->col = 0;
	}
}

void
doc_th(struct doc *d, const char *label)
{
	cell_begin(d, "th", NULL);
	markup_html_str(&d->html, label);
	markup_md_str(&d->md, label);
	cell_end(d, "th");
}

void
doc_td(struct doc *d, const char *text)
{
	cell_begin(d, "td", NULL);
	markup_html_str(&d->html, text);
	markup_md_str(&d->md, text);
	cell_end(d, "td");
}

void
doc_tf(struct doc *d, const char *ptr, const char *text)
{
	cell_begin(d, "td", ptr);
	markup_html_str(&d->html, text);
	markup_md_str(&d->md, text);
	cell_end(d, "td");
}

void
doc_tl(struct doc *d, const char *status, const char *word)
{
	const char *shape = "\u25CB";
	size_t      i;

	for (i = 0; i < sizeof(tl_shape) / sizeof(tl_shape[0]); i += 2)
		if (strcmp(status, tl_shape[i]) == 0)
			shape = tl_shape[i + 1];
	cell_begin(d, "td", NULL);
	buf_addstr(&d->html, "<span class=\"tl tl-");
	markup_html_str(&d->html, status);
	buf_addstr(&d->html, "\">");
	buf_addstr(&d->html, shape);
	buf_addc(&d->html, ' ');
	markup_html_str(&d->html, word);
	buf_addstr(&d->html, "</span>");
	buf_addstr(&d->md, shape);
	buf_addc(&d->md, ' ');
	markup_md_str(&d->md, word);
	cell_end(d, "td");
}

void
doc_table_end(struct doc *d)
{
	while (d->col != 0) /* complete a short last row */
		doc_td(d, "");
	buf_addstr(&d->html, "</tbody></table></div>\n");
	d->ncol = 0;
}

void
doc_grid_begin(struct doc *d)
{
	doc_para_end(d);
	close_figure(d);
	buf_addstr(&d->html, "<div class=\"grid\">\n");
	d->in_grid = true;
}

void
doc_grid_end(struct doc *d)
{
	close_figure(d);
	if (d->in_grid)
		buf_addstr(&d->html, "</div>\n");
	d->in_grid = false;
}

void
doc_chart(struct doc *d, const char *svg, const char *caption)
{
	doc_para_end(d);
	close_figure(d);
	buf_addstr(&d->html, "<figure>");
	buf_addstr(&d->html, svg);
	buf_addstr(&d->html, "<figcaption>");
	markup_html_str(&d->html, caption);
	buf_addstr(&d->html, "</figcaption>");
	d->in_figure = true;
	buf_addstr(&d->md, "\n");
	markup_md_str(&d->md, caption);
	buf_addstr(&d->md, "\n");
}

void
doc_data_begin(struct doc *d, const char *summary)
{
	buf_addstr(&d->html, "<details><summary>");
	markup_html_str(&d->html, summary);
	buf_addstr(&d->html, "</summary>");
	d->in_data = d->in_figure;
}

void
doc_data_end(struct doc *d)
{
	buf_addstr(&d->html, "</details>\n");
	d->in_data = false;
	close_figure(d);
}

void
doc_finish(struct doc *d, const char *footer)
{
	close_section(d);
	buf_addstr(&d->html, "</main>\n<footer>");
	markup_html_str(&d->html, footer);
	buf_addstr(&d->html, "</footer>\n</body>\n</html>\n");
	buf_addstr(&d->md, "\n---\n\n");
	markup_md_str(&d->md, footer);
	buf_addstr(&d->md, "\n");
}

void
doc_release(struct doc *d)
{
	buf_release(&d->html);
	buf_release(&d->md);
}
