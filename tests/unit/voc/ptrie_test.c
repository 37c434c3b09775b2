/* tests/unit/voc/ptrie_test.c: the phrase trie, folding, dictionary
 * lines. */
#include <stdlib.h>
#include <string.h>

#include "ptrie.h"
#include "tap.h"

int
main(void)
{
	struct ptrie      t;
	struct ptrie_fold f;
	struct ptrie_tsv  r;
	uint32_t         *cp = NULL, a, b;
	size_t            cap = 0, n;
	const char       *text = "\xEF\xBB\xBF# c\n\nx\t1\r\ny\nz\t1\t2\n";
	const uint32_t    k1[] = { 0x597D, 0x5403 }, k2[] = { 0x597D },
	               k3[] = { 0x1F600, 'a' };

	plan(17);
	ptrie_init(&t);
	a = ptrie_insert(&t, k1, 2);
	b = ptrie_insert(&t, k2, 1);
	is_int(ptrie_insert(&t, k1, 2), a, "a phrase has one node");
	is_int(ptrie_next(&t, 0, 0x597D), b, "the root's child");
	is_int(ptrie_next(&t, b, 0x5403), a, "a child below the root");
	is_int(ptrie_next(&t, b, 0x559D), 0, "no such child");
	a = ptrie_insert(&t, k3, 2);
	is_int(ptrie_next(&t, ptrie_next(&t, 0, 0x1F600), 'a'), a,
	    "beyond the BMP");
	ptrie_release(&t);

	ptrie_fold_init(&f);
	n = ptrie_fold(&f, "AbC", 3, &cp, &cap);
	ok(n == 3 && cp[0] == 'a' && cp[2] == 'c', "ASCII is lower-cased");
	n = ptrie_fold(&f, "服務", strlen("服務"), &cp, &cap);
	ok(n == 2 && cp[0] == 0x670D && cp[1] == 0x52A1,
	    "traditional becomes simplified");
	n = ptrie_fold(&f, "\xE2\x9D\xA4\xEF\xB8\x8F", 6, &cp, &cap);
	ok(n == 1 && cp[0] == 0x2764, "a variation selector is left out");
	n = ptrie_fold(&f, "don\xE2\x80\x99t", 7, &cp, &cap);
	ok(n == 5 && cp[3] == '\'', "a right quotation mark is an apostrophe");
	ok(ptrie_phrase(&f, "\xFF", 1, &cp, &cap, &n) < 0,
	    "a phrase must be UTF-8");
	ok(ptrie_word_start(cp, 0), "a word starts at the start");
	ptrie_fold_release(&f);
	free(cp);

	ptrie_tsv_init(&r, text, strlen(text));
	ok(ptrie_tsv_next(&r) == 1 && r.line == 3 && r.nf == 2 &&
	        r.len[0] == 1 && r.len[1] == 1 && r.f[1][0] == '1',
	    "comments, blank lines and the BOM are skipped");
	ok(ptrie_tsv_next(&r) == 1 && r.nf == 1 && r.len[0] == 1, "one field");
	ok(ptrie_tsv_next(&r) == 1 && r.nf == 3, "three fields");
	is_int(ptrie_tsv_next(&r), 0, "the end");
	{
		struct buf    bb = { 0 };
		struct ci_err e = { 0 };

		is_int(ptrie_read_file("/nonexistent/lexicon.tsv", &bb, &e), -1,
		    "a missing file");
		is_int(e.code, CI_EXIT_USAGE, "is a usage error");
		buf_release(&bb);
	}
	return done_testing();
}
