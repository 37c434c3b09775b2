/*
 * tests/unit/text/email_test.c: e-mail normalisation (trim, NFKC, lower case)
 * and each syntax error with the phrase that names it.
 */
#include <string.h>

#include "tap.h"
#include "buf.h"
#include "email.h"

/* in must normalise to want. */
static void
good(const char *in, const char *want, const char *name)
{
	struct buf  b = { 0 };
	const char *why = NULL;
	int         rc = email_normalize(in, strlen(in), &b, &why);

	if (rc != 0) {
		ok(0, "%s", name);
		diag("  refused: %s", why ? why : "(no reason)");
	} else {
		is_str(buf_str(&b), want, "%s", name);
	}
	buf_release(&b);
}

/* in must be refused with the phrase want. */
static void
bad(const char *in, const char *want, const char *name)
{
	struct buf  b = { 0 };
	const char *why = NULL;
	int         rc = email_normalize(in, strlen(in), &b, &why);

	if (rc != -1) {
		ok(0, "%s", name);
		diag("  accepted as '%s'", buf_str(&b));
	} else {
		is_str(why, want, "%s", name);
	}
	buf_release(&b);
}

/* n copies of c followed by the C string tail, in b. */
static const char *
rep(struct buf *b, char c, size_t n, const char *tail)
{
	buf_reset(b);
	while (n-- > 0)
		buf_addc(b, c);
	buf_addstr(b, tail);
	return buf_str(b);
}

int
main(void)
{
	struct buf  b = { 0 }, t = { 0 };
	const char *why = NULL;

	plan(42);
	good(" Zhang.Wei@QQ.com ", "zhang.wei@qq.com",
	    "trimmed and lower-cased");
	good(
	    "\uff5a\uff48\uff41\uff4e\uff47\uff20\uff45\uff58\uff41\uff4d\uff50"
	    "\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
	    "zhang@example.com", "full-width address folded to ASCII");
	good("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk",
	    "plus tag and four labels");
	good("user@\u4f8b\u5b50.\u4e2d\u56fd", "user@\u4f8b\u5b50.\u4e2d\u56fd",
	    "internationalised domain kept");
	good("User@B\u00dcCHER.de", "user@b\u00fccher.de",
	    "non-ASCII domain letter lower-cased");
	good("Jos\u00c9@Example.com", "jos\u00e9@example.com",
	    "a non-ASCII local part kept and lower-cased (SMTPUTF8)");
	good("\u5f20\u4e09@\u4f8b\u5b50.\u4e2d\u56fd",
	    "\u5f20\u4e09@\u4f8b\u5b50.\u4e2d\u56fd",
	    "a Chinese address kept whole");
	good("\u0130@example.com", "i@example.com",
	    "dotted capital I lower-cased by its simple mapping, as any "
	    "letter");
	good("zhang@qq\u3002com", "zhang@qq.com",
	    "ideographic full stop read as a dot");
	good("o'brien!#$%&*/=?^_`{|}~-@x-y.com",
	    "o'brien!#$%&*/=?^_`{|}~-@x-y.com",
	    "every atext character allowed");
	good("a@xn--fiqs8s.cn", "a@xn--fiqs8s.cn", "A-label domain allowed");
	good("1@123.com4", "1@123.com4", "digits in labels allowed");
	rep(&t, 'a', 64, "@x.com");
	good(buf_str(&t), buf_str(&t), "local part of 64 kept");
	buf_reset(&b);
	buf_addstr(&b, "x@");
	buf_addstr(&b, rep(&t, 'a', 63, "."));
	buf_addstr(&b, rep(&t, 'b', 63, "."));
	buf_addstr(&b, rep(&t, 'c', 63, "."));
	buf_addstr(&b, rep(&t, 'd', 61, ""));
	good(buf_str(&b), buf_str(&b), "domain of 253 characters kept");

	bad("", "empty address", "empty address refused");
	bad("zhang.wei.qq.com", "missing '@'", "missing '@'");
	bad("a@b@x.com", "more than one '@'", "two '@'");
	bad("@x.com", "empty local part", "empty local part");
	bad(rep(&t, 'a', 65, "@x.com"), "local part longer than 64 characters",
	    "local part of 65 refused");
	bad(".a@x.com", "local part starts with a dot", "leading dot");
	bad("a..b@x.com", "two dots in a row in local part", "double dot");
	bad("a.@x.com", "local part ends with a dot", "trailing dot");
	bad("a,b@x.com", "bad character in local part", "comma in local part");
	bad("\u2603@x.com", "bad character in local part",
	    "a symbol in the local part refused");
	bad("\"john doe\"@x.com", "quoted local part not supported",
	    "quoted local part");
	bad("john doe@x.com", "space in address", "space inside");
	bad("john@x .com", "space in address", "space in domain");
	bad("a@", "empty domain", "empty domain");
	bad("a@localhost", "domain has no dot", "domain without dot");
	bad("a@-a.com", "domain label starts with a hyphen", "leading hyphen");
	bad("a@a-.com", "domain label ends with a hyphen", "trailing hyphen");
	bad("a@x..com", "empty label in domain", "empty label");
	bad("a@.x.com", "empty label in domain", "domain starts with a dot");
	bad("a@x.com.", "empty label in domain", "domain ends with a dot");
	buf_reset(&b);
	buf_addstr(&b, "a@");
	buf_addstr(&b, rep(&t, 'l', 64, ".com"));
	bad(buf_str(&b), "domain label longer than 63 characters",
	    "label of 64 refused");
	buf_reset(&b);
	buf_addstr(&b, "a@");
	buf_addstr(&b, rep(&t, 'a', 63, "."));
	buf_addstr(&b, rep(&t, 'b', 63, "."));
	buf_addstr(&b, rep(&t, 'c', 63, "."));
	buf_addstr(&b, rep(&t, 'd', 62, ""));
	bad(buf_str(&b), "domain longer than 253 characters",
	    "domain of 254 refused");
	bad("a@1.2.3.4", "top-level domain is all digits", "numeric TLD");
	bad("a@[1.2.3.4]", "address literal not supported", "address literal");
	bad("a@x_y.com", "bad character in domain", "underscore in domain");
	bad("a@x\u2605.com", "bad character in domain", "symbol in domain");

	ok(email_normalize("a@\xff.com", 7, &b, &why) == -1 &&
	        strcmp(why, "not UTF-8 text") == 0,
	    "invalid UTF-8 refused");
	buf_reset(&b);
	buf_addstr(&b, "stale");
	ok(email_normalize("A@X.COM", 7, &b, &why) == 0 &&
	        strcmp(buf_str(&b), "a@x.com") == 0,
	    "out is reset first");
	buf_release(&b);
	buf_release(&t);
	return done_testing();
}
