/* tests/unit/report/markup_test.c: escaping and text widths. */
#include <string.h>

#include "tap.h"
#include "buf.h"
#include "markup.h"

int
main(void)
{
	struct buf b = { 0 };

	plan(9);
	markup_html_str(&b, "<b>Bob</b> & \"Co\" 'x'");
	is_str(buf_str(&b),
	    "&lt;b&gt;Bob&lt;/b&gt; &amp; &quot;Co&quot; &#39;x&#39;",
	    "HTML's special characters become references");
	buf_reset(&b);
	markup_html_str(&b,
	    "a\tb\nc\x01"
	    "d");
	is_str(buf_str(&b), "a b cd", "blanks become spaces, controls go");
	buf_reset(&b);
	markup_md_str(&b, "a|b *c* _d_ [e](f) <g> #h");
	is_str(buf_str(&b), "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\#h",
	    "Markdown's marks are escaped");
	buf_reset(&b);
	markup_md_str(&b, "张伟 1.5");
	is_str(buf_str(&b), "张伟 1.5", "other text is left as it is");
	ok(markup_width("张伟") == 2.0, "a CJK character is one em");
	ok(markup_width("ab") > 1.0 && markup_width("ab") < 1.3,
	    "Latin letters are about 0.58 em");
	ok(markup_width("il") < markup_width("mw"), "narrow and wide letters");
	buf_reset(&b);
	markup_html_fit(&b, "Potential loyalist", 12, 60);
	ok(strlen(buf_str(&b)) < strlen("Potential loyalist") &&
	        strstr(buf_str(&b), "…") != NULL,
	    "a label too long is cut with an ellipsis: %s", buf_str(&b));
	buf_reset(&b);
	markup_html_fit(&b, "a<b", 12, 600);
	is_str(buf_str(&b), "a&lt;b", "a label that fits is escaped whole");
	buf_release(&b);
	return done_testing();
}
