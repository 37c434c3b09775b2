/*
 * tests/unit/text/textnorm_test.c: NFKC clean-up of text, names and
 * vocabulary words, and their refusal of ill-formed UTF-8.
 */
#include <stdbool.h>
#include <string.h>

#include "tap.h"
#include "buf.h"
#include "textnorm.h"
#include "utf8.h"

typedef int normfn(const char *, size_t, struct buf *);

/* Normalise the C string in with fn and compare with want. */
static void
check(normfn *fn, const char *in, const char *want, const char *name)
{
	struct buf b = { 0 };
	int        rc = fn(in, strlen(in), &b);

	if (rc != 0) {
		ok(0, "%s", name);
		diag("  returned %d for valid text", rc);
	} else {
		is_str(buf_str(&b), want, "%s", name);
	}
	buf_release(&b);
}

/* fn must refuse the len bytes at in and leave the buffer as it was. */
static void
check_bad(normfn *fn, const char *in, size_t len, const char *name)
{
	struct buf b = { 0 };
	int        rc;

	buf_addstr(&b, "kept");
	rc = fn(in, len, &b);
	ok(rc == -1 && b.len == 4 && strcmp(buf_str(&b), "kept") == 0, "%s",
	    name);
	buf_release(&b);
}

static void
test_text(void)
{
	struct buf b = { 0 }, in = { 0 };
	size_t     i;

	check(textnorm_text, "John Smith", "John Smith", "clean ASCII kept");
	check(textnorm_text, "", "", "empty text stays empty");
	check(textnorm_text, " \t \r\n ", "", "white space only becomes empty");
	check(textnorm_text, "John  \t Smith", "John Smith",
	    "white-space run collapsed");
	check(textnorm_text, "  hello world \n", "hello world",
	    "surrounding white space removed");
	check(textnorm_text, "a\001b\177c\037", "abc",
	    "ASCII control characters removed");
	check(textnorm_text, "a \x01 b", "a b",
	    "control character between spaces leaves one space");
	check(textnorm_text,
	    "\uff3a\uff48\uff41\uff4e\uff47\u3000\uff37\uff45\uff49",
	    "Zhang Wei", "full-width letters and ideographic space");
	check(textnorm_text, "\u2460", "1", "circled digit one is 1 (NFKC)");
	check(textnorm_text, "e\u0301t\u00e9", "\u00e9t\u00e9",
	    "combining accent composed");
	check(textnorm_text, "a\u200bb", "ab", "zero-width space removed");
	check(textnorm_text, "\ufeffabc", "abc", "byte-order mark removed");
	check(textnorm_text, "\u5f20\x01\u4f1f", "\u5f20\u4f1f",
	    "control character removed from CJK text");
	check(textnorm_text, "a\302\205b\u2028c\u2029d", "a b c d",
	    "NEL, line and paragraph separators are white space");
	check(textnorm_text, "a\u00a0b\u1680c\u2003d", "a b c d",
	    "no-break, ogham and em spaces are white space");
	check(textnorm_text, "\u3000\u5f20 \u4f1f\u3000", "\u5f20 \u4f1f",
	    "text keeps a space between CJK characters");
	check(textnorm_text, "\u00c9cole", "\u00c9cole", "case is kept");

	ok(textnorm_text("a\0b", 3, &b) == 0 && b.len == 2 &&
	        memcmp(b.data, "ab", 2) == 0,
	    "NUL byte removed");
	buf_reset(&b);
	buf_addstr(&b, "x|");
	ok(textnorm_text(" y ", 3, &b) == 0 && strcmp(buf_str(&b), "x|y") == 0,
	    "ASCII result appended to what out holds");
	buf_reset(&b);
	buf_addstr(&b, "x|");
	ok(textnorm_text(" \u00e9 ", strlen(" \u00e9 "), &b) == 0 &&
	        strcmp(buf_str(&b), "x|\u00e9") == 0,
	    "Unicode result appended to what out holds");

	/* More code points than the stack buffer holds. */
	buf_reset(&b);
	for (i = 0; i < 300; i++)
		buf_addstr(&in, i % 2 ? "\uff41" : "e\u0301");
	ok(textnorm_text(in.data, in.len, &b) == 0 && b.len == 150 * 2 + 150 &&
	        memcmp(b.data, "\u00e9a\u00e9", 4) == 0 &&
	        utf8_count(b.data, b.len) == 300,
	    "450 code points normalised on the heap");
	buf_release(&in);
	buf_release(&b);
}

static void
test_name(void)
{
	check(textnorm_name, "\u5f20 \u4f1f", "\u5f20\u4f1f",
	    "space between Han characters removed");
	check(textnorm_name, "  \u5f20\u3000\u4f1f  ", "\u5f20\u4f1f",
	    "ideographic space between Han characters removed");
	check(textnorm_name,
	    "\uff3a\uff48\uff41\uff4e\uff47\u3000\uff37\uff45\uff49",
	    "Zhang Wei", "full-width Latin name keeps its space");
	check(textnorm_name, "John  \t Smith", "John Smith",
	    "Western name white space collapsed");
	check(textnorm_name, "\u738b \u5c0f\u660e Li", "\u738b\u5c0f\u660e Li",
	    "space before a Latin word kept");
	check(textnorm_name, "\uff76\uff80\uff76\uff85",
	    "\u30ab\u30bf\u30ab\u30ca", "half-width katakana made full-width");
	check(textnorm_name, "\u3084\u307e\u3060 \u30bf\u30ed\u30a6",
	    "\u3084\u307e\u3060\u30bf\u30ed\u30a6",
	    "space between kana removed");
	check(textnorm_name, "\uae40 \ubbfc\uc218", "\uae40\ubbfc\uc218",
	    "space between Hangul syllables removed");
	check(textnorm_name, "\U00020000 \u4e00", "\U00020000\u4e00",
	    "space after an extension-B ideograph removed");
	check(textnorm_name, "\u674e\u200b \u56db", "\u674e\u56db",
	    "zero-width space does not shield a space");
	check(textnorm_name, "McDonald", "McDonald", "name case kept");
}

static void
test_fold(void)
{
	check(textnorm_fold, "\uff33\uff21\uff2c\uff25", "sale",
	    "full-width upper case folded");
	check(textnorm_fold, " Sale ", "sale", "ASCII folded and trimmed");
	check(textnorm_fold, "sale", "sale", "folded word kept");
	check(textnorm_fold, "Stra\u00dfe", "strasse", "sharp s folds to ss");
	check(textnorm_fold, "\u00c9COLE  Normale", "\u00e9cole normale",
	    "accented capital folded, spaces collapsed");
}

static void
test_invalid_text(void)
{
	check_bad(textnorm_text, "\xff", 1, "text: byte 0xFF refused");
	check_bad(textnorm_text, "abc \xc3", 5,
	    "text: truncated sequence after ASCII refused");
	check_bad(textnorm_name, "\xed\xa0\x80", 3, "name: surrogate refused");
	check_bad(textnorm_fold, "\xc0\xaf", 2, "fold: overlong refused");
	check_bad(textnorm_fold, "\xf4\x90\x80\x80", 4,
	    "fold: beyond U+10FFFF refused");
}

int
main(void)
{
	plan(46);
	/* Chinese text takes a path of its own, which must agree with NFKC. */
	check(textnorm_text, "质量不错，价格实惠！！", "质量不错,价格实惠!!",
	    "full-width punctuation among ideographs");
	check(textnorm_text, "\xE3\x80\x80服务　很好\xE3\x80\x80", "服务 很好",
	    "ideographic spaces among ideographs");
	check(textnorm_text, "《书》“好”。", "《书》“好”。",
	    "CJK brackets and curly quotes are kept");
	check(textnorm_text, "好e\xCC\x81", "好\xC3\xA9",
	    "a combining mark after ideographs still composes");
	test_text();
	test_name();
	test_fold();
	test_invalid_text();
	return done_testing();
}
