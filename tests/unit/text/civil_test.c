/*
 * civil_test: the proleptic Gregorian calendar of lib/text/civil.h: month
 * lengths and leap years, day counts at known dates and against glibc's
 * gmtime_r over 12000 years, the floor of civil_day() before the epoch,
 * and the ISO 8601 writing of dates and instants, signed years and the
 * int64 extremes included.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "tap.h"

/* 2026-11-01T08:30:05Z. */
#define NOV1_083005 1793521805LL

/* splitmix64: a fixed-seed generator so that every run sees the same. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
test_calendar(void)
{
	uint64_t s = 12345;
	long     bad = 0;
	int64_t  bad_d = 0;

	ok(civil_days_in_month(2000, 2) == 29 &&
	        civil_days_in_month(1900, 2) == 28 &&
	        civil_days_in_month(2024, 2) == 29 &&
	        civil_days_in_month(2026, 2) == 28 &&
	        civil_days_in_month(2026, 4) == 30 &&
	        civil_days_in_month(2026, 12) == 31 &&
	        civil_days_in_month(2026, 13) == 0 &&
	        civil_days_in_month(2026, 0) == 0,
	    "civil_days_in_month knows leap years and refuses month 0 and 13");
	ok(civil_to_days(1970, 1, 1) == 0 &&
	        civil_to_days(1969, 12, 31) == -1 &&
	        civil_to_days(2026, 11, 1) == 20758 &&
	        civil_to_days(1900, 3, 1) == -25508 &&
	        civil_to_days(0, 3, 1) == -719468 &&
	        civil_to_days(0, 1, 1) == -719528,
	    "civil_to_days at known dates");
	is_int(civil_day(-1), -1, "civil_day floors a second before the epoch");
	is_int(civil_day(-86400), -1, "civil_day of a whole negative day");
	is_int(civil_day(86399), 0, "civil_day of the epoch's last second");

	/* glibc's gmtime_r as the oracle, 5000 BC to AD 7000. */
	for (int i = 0; i < 200000; i++) {
		int64_t   d = (int64_t)(rnd(&s) % 4400000) - 2550000;
		int64_t   y;
		unsigned  m, dd;
		time_t    t = (time_t)(d * 86400);
		struct tm tm;

		civil_from_days(d, &y, &m, &dd);
		gmtime_r(&t, &tm);
		if ((y != tm.tm_year + 1900LL || m != (unsigned)tm.tm_mon + 1 ||
		        dd != (unsigned)tm.tm_mday ||
		        civil_to_days(y, m, dd) != d) &&
		    bad++ == 0)
			bad_d = d;
	}
	if (!ok(bad == 0,
	        "civil_from_days equals gmtime_r and "
	        "civil_to_days inverts it at 200000 days"))
		diag("  %ld differ, first day %lld", bad, (long long)bad_d);

	{
		int64_t  y;
		unsigned m, d;
		bool     good = true;

		for (int64_t day = -800000; day < 0; day += 997) {
			civil_from_days(day, &y, &m, &d);
			good &= civil_to_days(y, m, d) == day;
		}
		ok(good, "negative epoch days round trip");
	}
}

static void
test_format_date(void)
{
	char   buf[CIVIL_ISO_MAX];
	size_t n;

	n = civil_format_date(buf, 20758);
	ok(n == 10 && strcmp(buf, "2026-11-01") == 0,
	    "civil_format_date writes 2026-11-01");
	civil_format_date(buf, -1);
	is_str(buf, "1969-12-31", "day -1 is 1969-12-31");
	civil_format_date(buf, -719468);
	is_str(buf, "0000-03-01", "day -719468 is 0000-03-01");
	civil_format_date(buf, -719469);
	is_str(buf, "0000-02-29", "year 0 is a leap year");
	is_int(
	    civil_format_date(buf, -719529), 11, "a negative year is longer");
	is_str(buf, "-0001-12-31", "day -719529 is -0001-12-31");
	civil_format_date(buf, 2932897);
	is_str(buf, "+10000-01-01", "year 10000 takes a sign");
	n = civil_format_date(buf, INT64_MIN);
	ok(n < CIVIL_ISO_MAX && n == strlen(buf), "day INT64_MIN fits: %s",
	    buf);
	n = civil_format_date(buf, INT64_MAX);
	ok(n < CIVIL_ISO_MAX && n == strlen(buf), "day INT64_MAX fits: %s",
	    buf);
}

static void
test_format_iso(void)
{
	char   buf[CIVIL_ISO_MAX];
	size_t n;

	n = civil_format_iso(buf, NOV1_083005);
	ok(n == 20 && strcmp(buf, "2026-11-01T08:30:05Z") == 0,
	    "civil_format_iso writes 2026-11-01T08:30:05Z");
	civil_format_iso(buf, -1);
	is_str(buf, "1969-12-31T23:59:59Z", "a second before the epoch");
	civil_format_iso(buf, 0);
	is_str(buf, "1970-01-01T00:00:00Z", "the epoch");
	civil_format_iso(buf, -30610224000LL);
	is_str(buf, "1000-01-01T00:00:00Z", "the first written year");
	civil_format_iso(buf, 253402300800LL);
	is_str(buf, "+10000-01-01T00:00:00Z", "past 9999");
	n = civil_format_iso(buf, INT64_MIN);
	ok(n < CIVIL_ISO_MAX && n == strlen(buf) && buf[0] == '-',
	    "INT64_MIN fits: %s", buf);
	n = civil_format_iso(buf, INT64_MAX);
	ok(n < CIVIL_ISO_MAX && n == strlen(buf) && buf[0] == '+',
	    "INT64_MAX fits: %s", buf);
}

static void
test_writable(void)
{
	int64_t last = civil_to_days(10000, 1, 1) * 86400 - 1;
	int64_t first = civil_to_days(0, 1, 1) * 86400;
	char    buf[CIVIL_ISO_MAX];

	ok(civil_writable(last) && !civil_writable(last + 1),
	    "writable up to 9999-12-31T23:59:59Z, not a second after");
	civil_format_iso(buf, last + 1);
	is_str(buf, "+10000-01-01T00:00:00Z",
	    "(which would be written with a sign and five digits)");
	ok(civil_writable(first) && !civil_writable(first - 1),
	    "from 0000-01-01T00:00:00Z, not a second before");
}

int
main(void)
{
	plan(26);
	test_writable();
	test_calendar();
	test_format_date();
	test_format_iso();
	return done_testing();
}
