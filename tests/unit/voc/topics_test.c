/* tests/unit/voc/topics_test.c: the topic dictionary and its matcher. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "topics.h"

static const char *
named(const struct topics *t, const struct ptrie_fold *f, const char *s,
    struct buf *out)
{
	uint32_t *cp = NULL;
	size_t    cap = 0, n = ptrie_fold(f, s, strlen(s), &cp, &cap);

	buf_reset(out);
	topics_write(t, topics_match(t, cp, n), out);
	free(cp);
	return buf_str(out);
}

int
main(void)
{
	struct ptrie_fold f;
	struct topics     t;
	struct ci_err     e = { 0 };
	struct buf        b = { 0 }, big = { 0 };
	const char       *d = "b\tshop\na\tship\nb\tshipping\n";
	int               i;

	plan(14);
	ptrie_fold_init(&f);
	is_int(topics_load(&t, &f, NULL, &e), 0, "the built-in topics load");
	is_str(named(&t, &f, "快遞太慢，客服也不理人", &b), "delivery|service",
	    "topics in the dictionary's order");
	is_str(named(&t, &f, "happy", &b), "", "'app' is not in 'happy'");
	is_str(named(&t, &f, "The APP crashed", &b), "app", "a whole word");
	is_str(named(&t, &f, "", &b), "", "no text, no topic");
	topics_release(&t);
	is_int(topics_parse(&t, &f, d, strlen(d), "d.tsv", &e), 0, "a file");
	is_str(named(&t, &f, "shipping shop", &b), "b",
	    "a word of its own topic, not of a shorter one");
	is_str(named(&t, &f, "ship", &b), "a", "first-line order");
	topics_release(&t);
	d = "Bad-Name\tx\n";
	is_int(topics_parse(&t, &f, d, strlen(d), "d.tsv", &e), -1,
	    "a bad topic name");
	is_str(e.msg,
	    "bad topic name 'Bad-Name': want 1 to 40 lower-case letters, "
	    "digits or '_'",
	    "says why");
	topics_release(&t);
	d = "x\n";
	is_int(
	    topics_parse(&t, &f, d, strlen(d), "d.tsv", &e), -1, "one field");
	is_int((int)e.line, 1, "at its line");
	topics_release(&t);
	for (i = 0; i <= TOPICS_MAX; i++)
		buf_addf(&big, "t%d\tw%d\n", i, i);
	is_int(topics_parse(&t, &f, big.data, big.len, "d.tsv", &e), -1,
	    "too many topics");
	is_int((int)e.line, TOPICS_MAX + 1, "at the first too many");
	topics_release(&t);
	buf_release(&b);
	buf_release(&big);
	ptrie_fold_release(&f);
	return done_testing();
}
