/*
 * tests/unit/text/amount_test.c: every example lib/text/amount.h lists, each
 * error and its message, rounding at the fifth decimal, the ends of int64, and
 * amount_format() with a round trip through amount_parse().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "amount.h"
#include "tap.h"

static void
parses(const char *s, bool dc, int64_t want, const char *cur)
{
	struct amount a = { -1, "?", false };
	const char   *why = "";
	int           rc = amount_parse(s, strlen(s), dc, &a, &why);

	if (!ok(rc == 0 && a.units == want && strcmp(a.currency, cur) == 0,
	        "'%s'%s is %lld units%s%s", s, dc ? " (decimal comma)" : "",
	        (long long)want, *cur ? " of " : "", cur))
		diag("  got %d (%s), %lld '%s'", rc, why, (long long)a.units,
		    a.currency);
}

static void
refuses(const char *s, bool dc, const char *msg)
{
	struct amount a = { 0, "", false };
	const char   *why = NULL;
	int           rc = amount_parse(s, strlen(s), dc, &a, &why);

	if (!ok(rc == -1 && why != NULL && strcmp(why, msg) == 0,
	        "'%s'%s is refused: %s", s, dc ? " (decimal comma)" : "", msg))
		diag("  got %d, '%s', %lld", rc, why ? why : "(null)",
		    (long long)a.units);
}

static void
test_examples(void)
{
	/* Plain and grouped by three. */
	parses("1234.5", false, 12345000, "");
	parses("-3", false, -30000, "");
	parses("+3", false, 30000, "");
	parses("1,234.50", false, 12345000, "");
	parses("1 234.50", false, 12345000, "");
	parses("1'234.50", false, 12345000, "");
	parses("1\xc2\xa0"
	       "234.50",
	    false, 12345000, "");
	parses("1\xe2\x80\xaf"
	       "234.50",
	    false, 12345000, "");
	parses("1,234,567.891", false, 12345678910, "");
	parses("  42  ", false, 420000, "");
	parses(".5", false, 5000, "");
	parses("5.", false, 50000, "");
	parses("0", false, 0, "");
	parses("-0.00", false, 0, "");
	/* Negative. */
	parses("(12.50)", false, -125000, "");
	parses("12.50-", false, -125000, "");
	parses("\xe2\x88\x92"
	       "12.50",
	    false, -125000, "");
	parses("-\xc2\xa5"
	       "12.50",
	    false, -125000, "CNY");
	parses("\xc2\xa5-12.50", false, -125000, "CNY");
	parses("(\xc2\xa5"
	       "12.50)",
	    false, -125000, "CNY");
	parses("(12.50) EUR", false, -125000, "EUR");
	parses("- 12.50", false, -125000, "");
	/* With a currency. */
	parses("\xc2\xa5"
	       "1,234.50",
	    false, 12345000, "CNY");
	parses("\xef\xbf\xa5"
	       "88",
	    false, 880000, "CNY");
	parses("RMB 1234.5", false, 12345000, "CNY");
	parses("CNY88", false, 880000, "CNY");
	parses("1234.5\xe5\x85\x83", false, 12345000, "CNY");
	parses("88 CNY", false, 880000, "CNY");
	parses("$1,234", false, 12340000, "USD");
	parses("US$5", false, 50000, "USD");
	parses("HK$5", false, 50000, "HKD");
	parses("NT$5", false, 50000, "TWD");
	parses("\xe2\x82\xac"
	       "5",
	    false, 50000, "EUR");
	parses("\xc2\xa3"
	       "5",
	    false, 50000, "GBP");
	parses("\xe2\x82\xa9"
	       "5",
	    false, 50000, "KRW");
	parses("JPY 5", false, 50000, "JPY");
	parses("5 EUR", false, 50000, "EUR");
	parses("5\xc2\xa0\xe2\x82\xac", false, 50000, "EUR");
	parses("\xc2\xa5"
	       "88\xe5\x85\x83",
	    false, 880000, "CNY");
	parses("USD 5 USD", false, 50000, "USD");
	/* Chinese myriad units. */
	parses("1.5\xe4\xb8\x87", false, 150000000, "");
	parses("2\xe4\xba\xbf", false, 2000000000000, "");
	parses("350\xe4\xb8\x87\xe5\x85\x83", false, 35000000000, "CNY");
	parses("1.23456789\xe4\xb8\x87", false, 123456789, "");
	parses("-0.000000001\xe4\xba\xbf", false, -1000, "");
	/* Comma as decimal mark. */
	parses("1.234,50", true, 12345000, "");
	parses("1 234,50", true, 12345000, "");
	parses("1234,5", true, 12345000, "");
	parses("1.234.567", true, 12345670000, "");
	parses(",5", true, 5000, "");
	parses("1.234,50 \xe2\x82\xac", true, 12345000, "EUR");
}

static void
test_errors(void)
{
	refuses("", false, "empty amount");
	refuses(" \t\xc2\xa0", false, "empty amount");
	refuses("abc", false, "no digits");
	refuses("\xc2\xa5", false, "no digits");
	refuses("-", false, "no digits");
	refuses(".", false, "no digits");
	refuses("USD", false, "no digits");
	refuses("x5", false, "junk before the amount");
	refuses("usd 5", false, "junk before the amount");
	refuses("EURO 5", false, "junk before the amount");
	refuses("12abc", false, "junk after the amount");
	refuses("5+", false, "junk after the amount");
	refuses("5-6", false, "junk after the amount");
	refuses("5\xe5\x85\x83\xe4\xb8\x87", false, "junk after the amount");
	refuses("--5", false, "more than one sign");
	refuses("-5-", false, "more than one sign");
	refuses("+-5", false, "more than one sign");
	refuses("(-5)", false, "more than one sign");
	refuses("-\xc2\xa5-5", false, "more than one sign");
	refuses("(5", false, "unmatched parenthesis");
	refuses("5)", false, "unmatched parenthesis");
	refuses("$5 EUR", false, "conflicting currencies");
	refuses("\xc2\xa5"
	        "5 USD",
	    false, "conflicting currencies");
	refuses("12,3.4", false, "misplaced thousands separator");
	refuses("1,23", false, "misplaced thousands separator");
	refuses("1,2345", false, "misplaced thousands separator");
	refuses("1234,567", false, "misplaced thousands separator");
	refuses("1,234,56", false, "misplaced thousands separator");
	/* Without decimal_comma a comma is never a decimal mark. */
	refuses("1234,5", false, "misplaced thousands separator");
	refuses("1,5", false, "misplaced thousands separator");
	refuses("1.234.567", false, "misplaced thousands separator");
	refuses("1.5,3", false, "misplaced thousands separator");
	refuses("1.23", true, "misplaced thousands separator");
	refuses("5 5", false, "misplaced thousands separator");
	refuses("1,234 567", false, "mixed thousands separators");
	refuses("1.234'567,5", true, "mixed thousands separators");
	refuses("99999999999999999999999", false, "amount too large");
	refuses("1000000000000000", false, "amount too large");
	refuses("100000000000\xe4\xba\xbf", false, "amount too large");
}

/* Whether s parses with its decimals rounded. */
static bool
rounded(const char *s)
{
	struct amount a = { 0, "", false };
	const char   *why;

	return amount_parse(s, strlen(s), false, &a, &why) == 0 && a.rounded;
}

static void
test_rounding(void)
{
	parses("0.00005", false, 1, "");
	parses("-0.00005", false, -1, "");
	parses("0.000049999", false, 0, "");
	parses("-0.000049999", false, 0, "");
	parses("1.23455", false, 12346, "");
	parses("-1.23455", false, -12346, "");
	parses("1.234549", false, 12345, "");
	parses("-1.234549", false, -12345, "");
	parses("0.99995", false, 10000, "");
	parses("-9.99995", false, -100000, "");
	parses("2.50005", false, 25001, "");
	parses("2,50005", true, 25001, "");
	ok(rounded("1.23456") && rounded("0.00001") &&
	        rounded("1.2345000000000001") && rounded("1.23456789012345万"),
	    "a decimal past the fourth, however far, is a rounding");
	ok(!rounded("1.2345") && !rounded("1.23450000") && !rounded("3") &&
	        !rounded("1.23456789万"),
	    "none when the cut decimals are zeros, or 万 keeps them all");
}

static void
test_limits(void)
{
	char buf[AMOUNT_MAX];

	parses("922337203685477.5807", false, INT64_MAX, "");
	parses("922,337,203,685,477.5807", false, INT64_MAX, "");
	parses("922337203685477.58074", false, INT64_MAX, "");
	parses("-922337203685477.5808", false, INT64_MIN, "");
	parses("(922337203685477.5808)", false, INT64_MIN, "");
	parses("-922337203685477.58084999", false, INT64_MIN, "");
	parses("92233720368.54775807\xe4\xb8\x87", false, INT64_MAX, "");
	parses("000000000000000000000001.5", false, 15000, "");
	refuses("922337203685477.5808", false, "amount too large");
	refuses("922337203685477.58075", false, "amount too large");
	refuses("-922337203685477.5809", false, "amount too large");
	refuses("-922337203685477.58085", false, "amount too large");
	refuses("92233720368.54775808\xe4\xb8\x87", false, "amount too large");
	amount_format(buf, INT64_MAX);
	is_str(buf, "922337203685477.5807", "INT64_MAX formats");
	amount_format(buf, INT64_MIN);
	is_str(buf, "-922337203685477.5808", "INT64_MIN formats");
}

/* Sums past int64: amount_format_wide(). */
static void
test_format_wide(void)
{
	char     buf[AMOUNT_WIDE_MAX], narrow[AMOUNT_MAX];
	__int128 big = (__int128)INT64_MAX * 2;
	__int128 most = (__int128)(((unsigned __int128)1 << 127) - 1);

	amount_format_wide(buf, big);
	is_str(buf, "1844674407370955.1614", "twice INT64_MAX units");
	amount_format_wide(buf, -big - 10000);
	is_str(buf, "-1844674407370956.1614", "a negative sum past int64");
	amount_format_wide(buf, (__int128)INT64_MAX + 1);
	is_str(
	    buf, "922337203685477.5808", "one past INT64_MAX, decimals kept");
	amount_format_wide(buf, most);
	is_str(buf, "17014118346046923173168730371588410.5727",
	    "the largest int128 fits AMOUNT_WIDE_MAX");
	amount_format_wide(buf, -most - 1);
	is_str(buf, "-17014118346046923173168730371588410.5728",
	    "and the smallest");
	amount_format_wide(buf, (__int128)10000 * 1000000000000000000LL * 10);
	is_str(buf, "10000000000000000000.00", "two decimals always");
	amount_format(narrow, -12345670);
	amount_format_wide(buf, -12345670);
	is_str(buf, narrow, "in the int64 range, amount_format()'s text");
}

static void
test_format(void)
{
	static const struct {
		int64_t     units;
		const char *s;
	} cases[] = {
		{ 12345000, "1234.50" },
		{ -30000, "-3.00" },
		{ 1250, "0.125" },
		{ 0, "0.00" },
		{ 1, "0.0001" },
		{ -1, "-0.0001" },
		{ 10, "0.001" },
		{ 100, "0.01" },
		{ 1000, "0.10" },
		{ 12345678, "1234.5678" },
		{ -12345670, "-1234.567" },
	};
	uint64_t s = 99;
	long     bad = 0;
	char     buf[AMOUNT_MAX], first[AMOUNT_MAX] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = amount_format(buf, cases[i].units);

		if (!ok(n == strlen(cases[i].s) && strcmp(buf, cases[i].s) == 0,
		        "%lld units format as %s", (long long)cases[i].units,
		        cases[i].s))
			diag("  got '%s' (%zu)", buf, n);
	}
	for (int i = 0; i < 200000; i++) {
		/* splitmix64, fixed seed; magnitudes of every size. */
		uint64_t      z = (s += 0x9e3779b97f4a7c15ULL);
		int64_t       u;
		struct amount a;
		const char   *why;
		size_t        n;

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		u = (int64_t)(z >> (z % 64));
		if (z & 1)
			u = -u;
		n = amount_format(buf, u);
		if ((amount_parse(buf, n, false, &a, &why) != 0 ||
		        a.units != u || n >= AMOUNT_MAX) &&
		    bad++ == 0)
			memcpy(first, buf, sizeof(buf));
	}
	if (!ok(bad == 0,
	        "200000 random amounts round trip through "
	        "amount_format and amount_parse"))
		diag("  %ld failed, first '%s'", bad, first);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
bench(const char *s)
{
	struct amount a;
	const char   *why;
	size_t        len = strlen(s);
	int64_t       sink = 0;
	long          n = 5000000;
	double        t = now_ns();

	for (long i = 0; i < n; i++) {
		amount_parse(s, len, false, &a, &why);
		sink += a.units;
	}
	diag("amount_parse '%s': %.1f ns per parse [%lld]", s,
	    (now_ns() - t) / (double)n, (long long)(sink & 1));
}

int
main(void)
{
	char   buf[AMOUNT_MAX];
	double t;
	long   n = 5000000;
	size_t sink = 0;

	plan(138);
	test_examples();
	test_errors();
	test_rounding();
	test_limits();
	test_format();
	test_format_wide();
	bench("1234.50");
	bench("\xc2\xa5"
	      "1,234.50");
	t = now_ns();
	for (long i = 0; i < n; i++)
		sink += amount_format(buf, 12345000 + i);
	diag("amount_format: %.1f ns per call [%zu]",
	    (now_ns() - t) / (double)n, sink & 1);
	return done_testing();
}
