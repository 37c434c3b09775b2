/*
 * tests/unit/report/doc_test.c: the HTML and Markdown written side by
 * side: figures carry their pointer, data text is escaped in both.
 */
#include <string.h>

#include "tap.h"
#include "doc.h"

int
main(void)
{
	struct doc        d;
	const char *const heads[] = { "name", "n" };

	plan(10);
	doc_init(&d, "en", "T<1>", "sub");
	doc_section(&d, "s", "Section");
	doc_text(&d, "a & b ");
	doc_fig(&d, "/x/y", "1,234");
	doc_cards_begin(&d);
	doc_card(&d, "customers", "80", "/h/c", "+2", "/c/c", 1, true);
	doc_cards_end(&d);
	doc_table_begin(&d, NULL, 2, heads, "lr");
	doc_th(&d, "x|y");
	doc_tf(&d, "/t/0/n", "5");
	doc_th(&d, "last");
	doc_table_end(&d);
	doc_chart(&d, "<svg></svg>", "cap");
	doc_finish(&d, "foot");
	ok(strstr(d.html.data, "<title>T&lt;1&gt;</title>") != NULL,
	    "the title is escaped");
	ok(strstr(d.html.data, "a &amp; b <b data-f=\"/x/y\">1,234</b>") !=
	        NULL,
	    "a figure in text carries its pointer");
	ok(strstr(d.md.data, "a & b **1,234**") != NULL,
	    "and is bold in Markdown");
	ok(strstr(d.html.data, "data-f=\"/c/c\">+2<") != NULL &&
	        strstr(d.html.data, "class=\"up good\"") != NULL,
	    "a change has its arrow and its pointer");
	ok(strstr(d.md.data, "- customers: **80** (\u25B2 +2)") != NULL,
	    "cards are a list in Markdown");
	ok(strstr(d.html.data, "<td class=\"r\" data-f=\"/t/0/n\">5</td>") !=
	        NULL,
	    "a figure cell");
	ok(strstr(d.md.data, "| x\\|y | 5 |") != NULL,
	    "a pipe in a cell is escaped in Markdown");
	ok(strstr(d.md.data, "| last |  |") != NULL,
	    "a short last row is completed");
	ok(strstr(d.html.data,
	       "<figure><svg></svg><figcaption>cap"
	       "</figcaption></figure>") != NULL,
	    "a chart is a figure with its caption");
	ok(strstr(d.html.data, "</section>\n</main>") != NULL &&
	        strstr(d.html.data, "</html>\n") != NULL,
	    "the page is closed");
	doc_release(&d);
	return done_testing();
}
