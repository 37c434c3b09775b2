/*
 * strv_test: a list of owned strings, split at commas or not.
 */
#include "buf.h"
#include "strv.h"
#include "tap.h"

/* The list as "a|b|c" (n items). */
static const char *
joined(const struct strv *l)
{
	static struct buf b;
	size_t            i;

	buf_reset(&b);
	buf_addf(&b, "%zu:", l->n);
	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", l->v[i]);
	return buf_str(&b);
}

static void
test_list(void)
{
	struct strv l = { 0 };

	strv_add(&l, "a,b,c", true);
	is_str(joined(&l), "3:a|b|c", "split at commas");
	strv_add(&l, ",,d,,e,", true);
	is_str(joined(&l), "5:a|b|c|d|e", "empty items skipped, appended");
	strv_add(&l, "", true);
	strv_add(&l, ",", true);
	is_str(joined(&l), "5:a|b|c|d|e", "\"\" and \",\" add nothing");
	strv_add(&l, "x,y", false);
	strv_add(&l, " sp ace ", true);
	is_str(joined(&l), "7:a|b|c|d|e|x,y| sp ace ",
	    "unsplit: whole; blanks are kept");
	strv_free(&l);
	ok(l.n == 0 && l.v == NULL, "free empties the list");
	strv_free(&l);
	strv_add(&l, "张,三", true);
	is_str(joined(&l), "2:张|三", "UTF-8 items");
	strv_free(&l);
}

int
main(void)
{
	plan(6);
	test_list();
	return done_testing();
}
