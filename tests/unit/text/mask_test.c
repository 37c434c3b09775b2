/*
 * tests/unit/text/mask_test.c: masking of phones, e-mail addresses, names,
 * identity card numbers and other values: every example of mask.h, the
 * fall-back to the generic rule and the short and multi-byte edge cases.
 */
#include <string.h>

#include "tap.h"
#include "buf.h"
#include "mask.h"

static void
check(enum mask_kind kind, const char *in, const char *want, const char *name)
{
	struct buf b = { 0 };

	mask_value(kind, in, strlen(in), &b);
	is_str(buf_str(&b), want, "%s", name);
	buf_release(&b);
}

int
main(void)
{
	struct buf b = { 0 };

	plan(42);
	/* The examples of mask.h. */
	check(MASK_PHONE, "+8613800138000", "+86138****8000", "Chinese mobile");
	check(MASK_EMAIL, "zhang.wei@qq.com", "z***@qq.com", "e-mail address");
	check(
	    MASK_NAME, "\u5f20\u4f1f", "\u5f20*", "two-character Chinese name");
	check(MASK_NAME, "\u6b27\u9633\u5a1c\u5a1c", "\u6b27***",
	    "four-character Chinese name");
	check(MASK_NAME, "John Smith", "J*** S****", "Western name");
	check(MASK_IDCARD, "11010519491231002X", "110105********002X",
	    "18-character identity card number");
	check(MASK_GENERIC, "abcdefgh", "ab****gh", "generic: quarters kept");

	/* Generic values. */
	check(MASK_GENERIC, "", "", "generic: empty stays empty");
	check(MASK_GENERIC, "a", "*", "generic: 1 character hidden");
	check(MASK_GENERIC, "ab", "**", "generic: 2 characters hidden");
	check(
	    MASK_GENERIC, "abc", "a*c", "generic: 3 characters keep one each");
	check(MASK_GENERIC, "abcdefg", "a*****g",
	    "generic: 7 characters keep one each");
	check(MASK_GENERIC, "\u5317\u4eac", "**",
	    "generic: one star per hidden CJK character");
	check(MASK_GENERIC, "\u5317\u4eac\u5e02\u671d\u9633\u533a",
	    "\u5317****\u533a", "generic: CJK address");
	check(MASK_GENERIC,
	    "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"
	    "\U0001F600\U0001F601",
	    "\U0001F600\U0001F600****\U0001F600\U0001F601",
	    "generic: 4-byte characters");

	/* Phones. */
	check(MASK_PHONE, "+14155550100", "+1415***0100",
	    "North American number, 1-digit calling code");
	check(MASK_PHONE, "+3531234567", "+353*****67",
	    "short national number keeps the last 2 digits");
	check(MASK_PHONE, "+8675512345678", "+86755****5678",
	    "Chinese fixed line");
	check(MASK_PHONE, "138 0013 8000", "138*******000",
	    "not E.164: masked as generic");
	check(MASK_PHONE, "13800138000", "13*******00",
	    "no '+': masked as generic");
	check(MASK_PHONE, "+861234", "+*****4",
	    "too few digits: masked as generic");
	check(MASK_PHONE, "+86138001380001234", "+861**********1234",
	    "too many digits: masked as generic");
	check(MASK_PHONE, "", "", "phone: empty stays empty");

	/* E-mail addresses. */
	check(MASK_EMAIL, "a@x.com", "a***@x.com", "1-character local part");
	check(MASK_EMAIL, "\u5f20\u4f1f@\u4f8b\u5b50.\u4e2d\u56fd",
	    "\u5f20***@\u4f8b\u5b50.\u4e2d\u56fd",
	    "multi-byte first character and domain kept");
	check(MASK_EMAIL, "zhangwei", "zh****ei",
	    "without '@': masked as generic");
	check(MASK_EMAIL, "@x.com", "@****m",
	    "empty local part: masked as generic");
	check(MASK_EMAIL, "", "", "e-mail: empty stays empty");

	/* Names. */
	check(MASK_NAME, "John Ronald Tolkien", "J*** R***** T******",
	    "three-word Western name");
	check(MASK_NAME, "Mary-Jane Watson", "M******** W*****",
	    "hyphenated word is one word");
	check(MASK_NAME, "\u674e", "\u674e",
	    "one-character name keeps its character");
	check(MASK_NAME, "\u738b\u5c0f\u660e Li", "\u738b** L*",
	    "mixed-script name");
	check(MASK_NAME, "\u00c9mile Zola", "\u00c9**** Z***",
	    "accented first letter kept whole");
	check(MASK_NAME, "", "", "name: empty stays empty");

	/* Identity card numbers. */
	check(MASK_IDCARD, "110105491231002", "110105*****1002",
	    "15-digit identity card number");
	check(MASK_IDCARD, "11010519491231002x", "110105********002x",
	    "lower-case check character");
	check(MASK_IDCARD, "E12345678", "E1*****78",
	    "passport number: masked as generic");
	check(MASK_IDCARD, "1101051949123100X2", "1101**********00X2",
	    "X not last: masked as generic");
	check(MASK_IDCARD, "", "", "identity card: empty stays empty");

	buf_addstr(&b, "x|");
	mask_value(MASK_EMAIL, "a@x.com", 7, &b);
	is_str(buf_str(&b), "x|a***@x.com", "result appended to out");
	buf_reset(&b);
	mask_value(MASK_GENERIC, "abcdef", 3, &b);
	is_str(buf_str(&b), "a*c", "only len bytes read");
	buf_reset(&b);
	mask_value(MASK_GENERIC, "\xe5\x8c\x97\xe4", 4, &b);
	is_str(buf_str(&b), "**", "truncated character counted as one");
	buf_release(&b);
	return done_testing();
}
