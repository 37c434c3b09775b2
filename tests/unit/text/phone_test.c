/*
 * tests/unit/text/phone_test.c: phone numbers to E.164.  Every writing of one
 * Chinese mobile number, national numbers of several regions with and
 * without trunk prefixes, extensions, each refusal with its phrase, the
 * region table and the calling-code table through phone_cc_len().
 */
#include <string.h>

#include "tap.h"
#include "phone.h"

/* in, read with default calling code cc, must give want. */
static void
good(const char *in, int cc, const char *want)
{
	char        dst[PHONE_MAX];
	const char *why = NULL;

	if (phone_normalize(in, strlen(in), cc, dst, &why) != 0) {
		ok(0, "'%s' (default +%d) is %s", in, cc, want);
		diag("  refused: %s", why != NULL ? why : "(no reason)");
		return;
	}
	if (!ok(strcmp(dst, want) == 0, "'%s' (default +%d) is %s", in, cc,
	        want))
		diag("  got '%s'", dst);
}

/* in, read with default calling code cc, must be refused with want. */
static void
bad(const char *in, int cc, const char *want)
{
	char        dst[PHONE_MAX];
	const char *why = NULL;

	if (phone_normalize(in, strlen(in), cc, dst, &why) == 0) {
		ok(0, "'%s' (default +%d) is refused: %s", in, cc, want);
		diag("  accepted as '%s'", dst);
		return;
	}
	if (!ok(why != NULL && strcmp(why, want) == 0,
	        "'%s' (default +%d) is refused: %s", in, cc, want))
		diag("  refused: %s", why != NULL ? why : "(no reason)");
}

/* Every code in codes[] (n of them) has the calling-code length want. */
static void
cc_lens(const int *codes, size_t n, size_t want, const char *what)
{
	char   e164[PHONE_MAX];
	size_t i, bad_ones = 0;

	for (i = 0; i < n; i++) {
		snprintf(e164, sizeof(e164), "+%d1234567", codes[i]);
		if (phone_cc_len(e164) != want) {
			bad_ones++;
			diag("  phone_cc_len('%s') is %zu, want %zu", e164,
			    phone_cc_len(e164), want);
		}
	}
	ok(bad_ones == 0, "%s", what);
}

int
main(void)
{
	static const char *const mobiles[] = { "13800138000", "138-0013-8000",
		"138 0013 8000", "+86 138 0013 8000", "(+86)13800138000",
		"+86-138-0013-8000", "0086-13800138000", "008613800138000",
		"8613800138000",
		/* Full-width plus and digits, ideographic space. */
		"\xEF\xBC\x8B\xEF\xBC\x98\xEF\xBC\x96\xE3\x80\x80"
		"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90"
		"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90"
		"\xEF\xBC\x90",
		/* （＋８６）１３８－００１３－８０００ */
		"\xEF\xBC\x88\xEF\xBC\x8B\xEF\xBC\x98\xEF\xBC\x96\xEF\xBC\x89"
		"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x8D\xEF\xBC\x90"
		"\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x8D\xEF\xBC\x98"
		"\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90",
		"138\xE2\x80\x94"
		"0013\xE2\x80\x94"
		"8000", /* em dashes */
		"138\xC2\xA0"
		"0013\xC2\xA0"
		"8000",                          /* no-break spaces */
		"138.0013.8000", "013800138000", /* a trunk 0 before a mobile */
		" 13800138000 " };
	static const int known3[] = { 852, 853, 855, 856, 880, 886, 960, 961,
		962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975,
		976, 977, 992, 993, 994, 995, 996, 998, 211, 290, 299, 350, 359,
		370, 383, 389, 420, 423, 500, 509, 590, 599, 670, 672, 692, 800,
		850, 870, 881, 888 };
	static const int known2[] = { 20, 27, 30, 31, 32, 33, 34, 36, 39, 40,
		41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
		60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94,
		95, 98 };
	static const int known1[] = { 1, 7 };
	/* Spare or unused: none of these is a calling code. */
	static const int spare[] = { 210, 214, 259, 280, 289, 292, 379, 384,
		388, 422, 424, 671, 684, 693, 801, 851, 854, 857, 871, 884, 887,
		889, 969, 978, 990, 991, 997, 999 };
	size_t           i;

	plan(114);

	for (i = 0; i < sizeof(mobiles) / sizeof(mobiles[0]); i++)
		good(mobiles[i], 86, "+8613800138000");
	good("+86 138 0013 8000", 1, "+8613800138000");
	good("0086 13800138000", 44, "+8613800138000");

	/* Chinese fixed lines: area code 10, 2X or 3 digits from 3 to 9. */
	good("010-12345678", 86, "+861012345678");
	good("021 1234 5678", 86, "+862112345678");
	good("0755-12345678", 86, "+8675512345678");
	good("(0755) 1234567", 86, "+867551234567");
	good("+86 10 1234 5678", 1, "+861012345678");
	good("+86 (0)755 1234 5678", 1, "+8675512345678");

	/* Extensions are dropped. */
	good("010-12345678 ext. 123", 86, "+861012345678");
	good("010-12345678x12", 86, "+861012345678");
	good("010-12345678 EXT 9", 86, "+861012345678");
	good("010-12345678\xE8\xBD\xAC"
	     "8001",
	    86, "+861012345678"); /* 转 */
	good("010-12345678 \xE5\x88\x86\xE6\x9C\xBA 8001", 86,
	    "+861012345678"); /* 分机 */
	good("010-12345678#12", 86, "+861012345678");
	good("+1 415 555 2671 ext: 7", 86, "+14155552671");

	/* North America: trunk prefix 1, 10 digits. */
	good("(415) 555-2671", 1, "+14155552671");
	good("1-415-555-2671", 1, "+14155552671");
	good("415.555.2671", phone_region_code("CA"), "+14155552671");
	good("+1 415 555 2671", 86, "+14155552671");

	/* Trunk prefix 0, kept 0, none, 8 and 06. */
	good("020 7946 0018", 44, "+442079460018");
	good("+44 (0)20 7946 0018", 86, "+442079460018");
	good("030 123456", 49, "+4930123456");
	good("01 23 45 67 89", 33, "+33123456789");
	good("03-1234-5678", 81, "+81312345678");
	good("02 2345 6789", 886, "+886223456789");
	good("06 1234 5678", 39, "+390612345678");
	good("+39 06 1234 5678", 86, "+390612345678");
	good("9123 4567", 852, "+85291234567");
	good("+852 9123 4567", 86, "+85291234567");
	good("2888 1234", 853, "+85328881234");
	good("8 (495) 123-45-67", 7, "+74951234567");
	good("8 800 555 35 35", 7, "+78005553535");
	good("800 555 35 35", 7, "+78005553535"); /* its own 8 is kept */
	good("+7 800 555 35 35", 86, "+78005553535");
	good("06 1 234 5678", 36, "+3612345678");

	bad("", 86, "no digits");
	bad(" - ", 86, "no digits");
	bad("12345", 86, "too few digits");
	bad("123", 1, "too few digits");
	bad("12 34", 44, "too few digits for the country");
	bad("12345", 852, "too few digits for the country");
	bad("9123 45678", 852, "too many digits for the country");
	good("9123 4567", 852, "+85291234567");
	bad("+65 123 4567", 86, "too few digits for the country");
	good("077 123 4567", phone_region_code("ZW"), "+263771234567");
	bad("+1 264 123 456", 86, "too few digits");
	bad("+680 123", 86, "too few digits");
	good("+680 123 4567", 86, "+6801234567");
	bad("+86 138 0013 80000", 86, "too many digits");
	bad("+44 20 7946 0018 0000 0000", 86,
	    "too many digits for the country");
	bad("1234567890123456789012345", 86, "too many digits");
	bad("+999 123 4567", 86, "unknown country code");
	bad("+969 1234567", 86, "unknown country code");
	bad("+0 123 4567", 86, "unknown country code");
	bad("123456789", 999, "unknown country code");
	bad("12345678901", 86, "not a Chinese mobile or fixed-line number");
	bad("+86 12012345678", 86, "not a Chinese mobile or fixed-line number");
	bad("+86 11012345678", 86, "not a Chinese mobile or fixed-line number");
	bad("+1 (055) 555-2671", 86,
	    "not a North American number (area code or exchange starts "
	    "with 0 or 1)");
	bad("(415) 155-2671", 1,
	    "not a North American number (area code or exchange starts "
	    "with 0 or 1)");
	bad("1380013800a", 86, "letters in number");
	bad("tel 13800138000", 86, "letters in number");
	bad("x123", 86, "letters in number");
	bad("13800138000 ext abc", 86, "letters in number");
	bad("13800138000 x 1 x 2", 86, "letters in number");
	bad("138+0013", 86, "misplaced '+'");
	bad("++86 13800138000", 86, "misplaced '+'");
	bad("13800138000;", 86, "unexpected character in number");
	bad("138\xEF\xBC", 86, "unexpected character in number");
	bad("13800138000", 0, "national number without a default region");
	bad("020 7946 0018", 0, "national number without a default region");
	good("+86 138 0013 8000", 0, "+8613800138000");

	is_int(phone_region_code("CN"), 86, "region CN");
	is_int(phone_region_code("cn"), 86, "region cn (lower case)");
	is_int(phone_region_code("Hk"), 852, "region Hk (mixed case)");
	is_int(phone_region_code("MO"), 853, "region MO");
	is_int(phone_region_code("TW"), 886, "region TW");
	is_int(phone_region_code("US"), 1, "region US");
	is_int(phone_region_code("CA"), 1, "region CA");
	is_int(phone_region_code("GB"), 44, "region GB");
	is_int(phone_region_code("RU"), 7, "region RU");
	is_int(phone_region_code("NG"), 234, "region NG");
	is_int(phone_region_code("ZW"), 263, "region ZW");
	is_int(phone_region_code("VA"), 39, "region VA (the Vatican uses +39)");
	is_int(phone_region_code("GG"), 44, "region GG");
	is_int(phone_region_code("XX"), 0, "unknown region XX");
	is_int(phone_region_code("CHN"), 0, "alpha-3 CHN is not a region");
	is_int(phone_region_code(""), 0, "empty region");
	is_int(phone_region_code(NULL), 0, "no region");

	is_int(phone_cc_len("+8613800138000"), 3, "'+86' is 3 bytes");
	is_int(phone_cc_len("+14155552671"), 2, "'+1' is 2 bytes");
	is_int(phone_cc_len("+85291234567"), 4, "'+852' is 4 bytes");
	is_int(phone_cc_len("8613800138000"), 0, "no '+', no calling code");
	is_int(phone_cc_len(""), 0, "empty string");
	cc_lens(known1, sizeof(known1) / sizeof(known1[0]), 2,
	    "1-digit calling codes are known");
	cc_lens(known2, sizeof(known2) / sizeof(known2[0]), 3,
	    "2-digit calling codes are known");
	cc_lens(known3, sizeof(known3) / sizeof(known3[0]), 4,
	    "3-digit calling codes are known");
	cc_lens(spare, sizeof(spare) / sizeof(spare[0]), 0,
	    "spare and unused codes are not calling codes");
	return done_testing();
}
