/*
 * tests/unit/base/utf8_test.c: the UTF-8 validator, including every class
 * of ill-formed sequence and a bad byte at each position of the 8-byte
 * ASCII path, and the count of code points.
 */
#include <stdbool.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* utf8_valid() must refuse in and point at byte want. */
static void
check_invalid(const char *in, size_t len, size_t want, const char *name)
{
	size_t bad = (size_t)-1;
	bool   v = utf8_valid(in, len, &bad);

	if (!ok(!v && bad == want, "%s", name))
		diag("  valid %d, bad %zu, want invalid at %zu", v, bad, want);
}

static void
test_valid(void)
{
	const char *s = "h\u00e9llo \u5f20\u4f1f \U0001F600 end of line";
	char        ascii[48], mixed[50];
	size_t      bad = 99, i, pos, nfail;

	ok(utf8_valid(s, strlen(s), &bad) && bad == 99,
	    "multi-byte text valid, *bad untouched");
	ok(utf8_valid("", 0, NULL), "empty text valid");
	ok(utf8_valid("\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf",
	       14, NULL),
	    "U+D7FF, U+E000, U+FFFF and U+10FFFF valid");
	ok(utf8_valid("\xc2\x80\xe0\xa0\x80\xf0\x90\x80\x80", 9, NULL),
	    "smallest 2-, 3- and 4-byte sequences valid");
	ok(!utf8_valid("ab\x80", 3, NULL), "NULL bad pointer accepted");

	check_invalid("ab\200c", 4, 2, "stray continuation byte");
	check_invalid("a\xc0\x80", 3, 1, "overlong 2-byte NUL");
	check_invalid("\xc1\xbf", 2, 0, "overlong 2-byte lead C1");
	check_invalid("xx\xe0\x80\xaf", 5, 2, "overlong 3-byte sequence");
	check_invalid("\xf0\x8f\xbf\xbf", 4, 0, "overlong 4-byte sequence");
	check_invalid("abc\xed\xa0\x80", 6, 3, "high surrogate D800");
	check_invalid("\xed\xbf\xbf", 3, 0, "low surrogate DFFF");
	check_invalid("\xf4\x90\x80\x80", 4, 0, "U+110000");
	check_invalid("\xf5\x80\x80\x80", 4, 0, "lead byte F5");
	check_invalid("\xff", 1, 0, "byte FF");
	check_invalid("ab\xe4\xb8", 4, 2, "sequence truncated at the end");
	check_invalid("\344\270a", 3, 0, "sequence cut short by ASCII");
	check_invalid(
	    "\xe4\xb8\xad\xf0\x9f\x98", 6, 3, "4-byte sequence truncated");
	check_invalid("\xe4\xb8\xe4\xb8\xad", 5, 0,
	    "lead byte where a continuation belongs");
	check_invalid("abcdefghijklmnop\xe4\xb8\xad\xc3", 20, 19,
	    "truncated sequence after the 8-byte path");

	nfail = 0;
	for (pos = 0; pos <= 40; pos++) {
		memset(ascii, 'a', sizeof(ascii));
		ascii[pos] = (char)0x80;
		bad = 0;
		if (utf8_valid(ascii, sizeof(ascii), &bad) || bad != pos) {
			diag("  bad byte at %zu: reported %zu", pos, bad);
			nfail++;
		}
	}
	ok(nfail == 0, "bad byte found at each position 0..40 of ASCII");
	nfail = 0;
	for (pos = 0; pos <= 40; pos++) {
		memset(mixed, 'a', sizeof(mixed));
		memcpy(mixed + pos, "\xf0\x9f\x98\x80", 4);
		if (!utf8_valid(mixed, sizeof(mixed), NULL))
			nfail++;
		mixed[sizeof(mixed) - 1] = (char)0xe4;
		bad = 0;
		if (utf8_valid(mixed, sizeof(mixed), &bad) ||
		    bad != sizeof(mixed) - 1)
			nfail++;
	}
	ok(nfail == 0,
	    "4-byte character at each position 0..40 valid, "
	    "then a truncated end found");
	for (i = 0; i < sizeof(ascii); i++)
		ascii[i] = (char)('a' + i % 26);
	ok(utf8_valid(ascii, sizeof(ascii), NULL), "48 ASCII bytes valid");
}

static void
test_count(void)
{
	const char *s = "\u5f20\u4f1f\U0001F600";

	is_int(utf8_count("h\u00e9llo", strlen("h\u00e9llo")), 5,
	    "count: 2-byte character");
	is_int(utf8_count(s, strlen(s)), 3, "count: 3- and 4-byte characters");
	is_int(utf8_count("", 0), 0, "count: empty text");
	is_int(utf8_count("abcdefghij", 10), 10, "count: ASCII");
}

int
main(void)
{
	plan(27);
	test_valid();
	test_count();
	return done_testing();
}
