/*
 * timeparse_test: every writing lib/text/timeparse.h lists, the date-order
 * rules, each error and its message, naive times in real zones, leap days
 * and the first and last years read, a round trip over three centuries of
 * what civil.h writes, and durations.  Expected instants were computed
 * independently (Python's calendar.timegm) and written in.  The calendar
 * itself is tested in civil_test.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "civil.h"
#include "timeparse.h"

/* 2026-11-01T00:00:00Z and 2026-11-01T08:30:05Z. */
#define NOV1 1793491200LL
#define NOV1_083005 1793521805LL
#define HOUR 3600

/* splitmix64: a fixed-seed generator so that every run sees the same. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const struct tp_opts auto_utc = { TP_ORDER_AUTO, NULL };
static const struct tp_opts dmy = { TP_ORDER_DMY, NULL };
static const struct tp_opts mdy = { TP_ORDER_MDY, NULL };

static void
parses(const char *s, const struct tp_opts *o, int64_t want, bool date_only)
{
	struct tp_result r = { -1, !date_only };
	const char      *why = "";
	int              rc = timeparse(s, strlen(s), o, &r, &why);

	if (!ok(rc == 0 && r.utc == want && r.date_only == date_only,
	        "'%s' is %lld%s", s, (long long)want,
	        date_only ? ", a date" : ""))
		diag("  got %d (%s), %lld, date_only %d", rc, why,
		    (long long)r.utc, r.date_only);
}

static void
refuses(const char *s, const struct tp_opts *o, const char *msg)
{
	struct tp_result r = { 0, false };
	const char      *why = NULL;
	int              rc = timeparse(s, strlen(s), o, &r, &why);

	if (!ok(rc == -1 && why != NULL && strcmp(why, msg) == 0,
	        "'%s' is refused: %s", s, msg))
		diag("  got %d, '%s', utc %lld", rc, why ? why : "(null)",
		    (long long)r.utc);
}

static void
test_writings(void)
{
	parses("2026-11-01", &auto_utc, NOV1, true);
	parses("2026-11-01T08:30:05Z", &auto_utc, NOV1_083005, false);
	parses("2026-11-01 08:30:05", &auto_utc, NOV1_083005, false);
	parses("2026-11-01T08:30", &auto_utc, NOV1_083005 - 5, false);
	parses("2026-11-01T08:30:05.123", &auto_utc, NOV1_083005, false);
	parses("2026-11-01T08:30:05,5Z", &auto_utc, NOV1_083005, false);
	parses("2026-11-01t08:30:05z", &auto_utc, NOV1_083005, false);
	parses(
	    "2026-11-01T08:30:05+08", &auto_utc, NOV1_083005 - 8 * HOUR, false);
	parses("2026-11-01T08:30:05+0800", &auto_utc, NOV1_083005 - 8 * HOUR,
	    false);
	parses("2026-11-01T08:30:05.9+08:00", &auto_utc, NOV1_083005 - 8 * HOUR,
	    false);
	parses("2026-11-01T08:30:05-05:30", &auto_utc,
	    NOV1_083005 + 5 * HOUR + 1800, false);
	parses("2026-11-01 08:30:05 +08:00", &auto_utc, NOV1_083005 - 8 * HOUR,
	    false);
	parses(" \t2026-11-01 08:30:05  ", &auto_utc, NOV1_083005, false);
	parses("2026-11-01T08:30:60Z", &auto_utc, NOV1_083005 + 54, false);
	parses("2026-1-1", &auto_utc, 1767225600, true);
	parses("2026/11/1", &auto_utc, NOV1, true);
	parses("2026/11/1 8:30", &auto_utc, NOV1_083005 - 5, false);
	parses("2026/11/01 08:30:05", &auto_utc, NOV1_083005, false);
	parses("20261101", &auto_utc, NOV1, true);
	parses("20261101 083005", &auto_utc, NOV1_083005, false);
	parses("20261101083005", &auto_utc, NOV1_083005, false);
	parses("20261101T083005Z", &auto_utc, NOV1_083005, false);
	parses("11/1/2026", &mdy, NOV1, true);
	parses("11/1/2026 8:30", &mdy, NOV1_083005 - 5, false);
	parses("11/1/2026 8:30:05 AM", &mdy, NOV1_083005, false);
	parses("11/1/2026 8:30:05am", &mdy, NOV1_083005, false);
	parses("11/1/2026 8:30 PM", &mdy, NOV1 + 20 * HOUR + 1800, false);
	parses("11/1/2026 12:00 AM", &mdy, NOV1, false);
	parses("11/1/2026 12:30 pm", &mdy, NOV1 + 12 * HOUR + 1800, false);
	parses("11/1/2026 11:59:59 Pm", &mdy, NOV1 + 24 * HOUR - 1, false);
	parses("01-11-2026", &dmy, NOV1, true);
	parses("01-11-2026 08:30:05", &dmy, NOV1_083005, false);
	parses("1-11-2026 8:30:05 am", &dmy, NOV1_083005, false);
	parses("1.11.2026", &auto_utc, NOV1, true);
	parses("1.11.2026", &mdy, NOV1, true);
	parses("01.11.2026 8:30", &dmy, NOV1_083005 - 5, false);
	parses("2026年11月1日", &auto_utc, NOV1, true);
	parses("2026年11月01日 8:30", &auto_utc, NOV1_083005 - 5, false);
	parses("2026年11月1日8:30:05", &auto_utc, NOV1_083005, false);
	parses("2026年11月1日 8时30分", &auto_utc, NOV1_083005 - 5, false);
	parses("2026年11月1日8时30分5秒", &auto_utc, NOV1_083005, false);
	parses("1793526000", &auto_utc, 1793526000, false);
	parses("1793526000123", &auto_utc, 1793526000, false);
	parses("999999999", &auto_utc, 999999999, false);
}

static void
test_order(void)
{
	/* Under TP_ORDER_AUTO a part over 12 settles the order. */
	parses("13/11/2026", &auto_utc, NOV1 + 12 * 86400, true);
	parses("11/13/2026", &auto_utc, NOV1 + 12 * 86400, true);
	parses("13-11-2026", &auto_utc, NOV1 + 12 * 86400, true);
	parses("5/5/2026", &auto_utc, 1777939200, true);
	refuses("11/1/2026", &auto_utc, "ambiguous day and month");
	refuses("01-11-2026", &auto_utc, "ambiguous day and month");
	refuses("12/11/2026 8:30 PM", &auto_utc, "ambiguous day and month");
	/* A fixed order makes a value that does not fit it an error. */
	parses("13/11/2026", &dmy, NOV1 + 12 * 86400, true);
	refuses("11/13/2026", &dmy, "month out of range");
	parses("11/13/2026", &mdy, NOV1 + 12 * 86400, true);
	refuses("13/11/2026", &mdy, "month out of range");
	parses("1/11/2026", &dmy, NOV1, true);
	parses("1/11/2026", &mdy, 1767225600 + 10 * 86400, true);
	/* Dotted dates are day first whatever the order. */
	parses("13.11.2026", &mdy, NOV1 + 12 * 86400, true);
	refuses("11.13.2026", &auto_utc, "month out of range");
}

static void
test_errors(void)
{
	refuses("", &auto_utc, "empty date");
	refuses(" \t ", &auto_utc, "empty date");
	refuses("abc", &auto_utc, "unrecognised date");
	refuses("2026-02-29", &auto_utc, "day out of range");
	refuses("2024-02-30", &auto_utc, "day out of range");
	refuses("2026-04-31", &auto_utc, "day out of range");
	refuses("2026-11-00", &auto_utc, "day out of range");
	refuses("2026-13-01", &auto_utc, "month out of range");
	refuses("2026-00-01", &auto_utc, "month out of range");
	refuses("2026-11-01 25:00", &auto_utc, "hour out of range");
	refuses("2026-11-01 24:00", &auto_utc, "hour out of range");
	refuses("2026-11-01 23:60", &auto_utc, "minute out of range");
	refuses("2026-11-01 23:59:61", &auto_utc, "second out of range");
	refuses("13/13/2026", &auto_utc, "month out of range");
	refuses("0/5/2026", &auto_utc, "month out of range");
	refuses("2026-1-1T", &auto_utc, "no time after 'T'");
	refuses(
	    "2026-11-01x", &auto_utc, "unexpected characters after the date");
	refuses(
	    "2026-11-01Z", &auto_utc, "unexpected characters after the date");
	refuses("2026-11-01 08:30:05 junk", &auto_utc,
	    "unexpected characters after the time");
	refuses("2026-11-01 08:30 PM", &auto_utc,
	    "unexpected characters after the time");
	refuses("2026年11月1日 8:30 PM", &auto_utc,
	    "unexpected characters after the time");
	refuses("2026-11-01 8", &auto_utc, "unrecognised time");
	refuses("2026-11-01 08:3", &auto_utc, "unrecognised time");
	refuses("2026-11-01 08:30:05.", &auto_utc, "unrecognised time");
	refuses("2026-11-01 083005", &auto_utc, "unrecognised time");
	refuses("2026年11月1日 8时", &auto_utc, "unrecognised time");
	refuses("2026-11-011", &auto_utc, "unrecognised date");
	refuses("2026/11-01", &auto_utc, "unrecognised date");
	refuses("2026-11", &auto_utc, "unrecognised date");
	refuses("2026年11月", &auto_utc, "unrecognised date");
	refuses("0999-01-01", &auto_utc, "year out of range");
	refuses("1/1/26", &mdy, "year out of range");
	refuses("1/1/20261", &mdy, "year out of range");
	refuses("11/1/2026 13:00 PM", &mdy, "hour out of range");
	refuses("11/1/2026 0:30 AM", &mdy, "hour out of range");
	refuses(
	    "2026-11-01T08:30:05+19", &auto_utc, "zone offset out of range");
	refuses(
	    "2026-11-01T08:30:05+08:60", &auto_utc, "zone offset out of range");
	refuses(
	    "2026-11-01T08:30:05+08:", &auto_utc, "unrecognised zone offset");
	refuses("2026-11-01T08:30:05+8", &auto_utc, "unrecognised zone offset");
	/* An eight-digit number that is not a date is not an epoch either. */
	refuses("12345678", &auto_utc, "month out of range");
	refuses("20260230", &auto_utc, "day out of range");
	refuses("20261101 250000", &auto_utc, "hour out of range");
	refuses("12345", &auto_utc, "unrecognised date");
	refuses("12345678901", &auto_utc, "unrecognised date");
	refuses("-86400", &auto_utc, "unrecognised date");
}

static void
test_zones(void)
{
	struct ci_err  e = { 0 };
	struct tz     *sh = tz_load("Asia/Shanghai", &e);
	struct tz     *ny = tz_load("America/New_York", &e);
	struct tp_opts o = { TP_ORDER_AUTO, sh };

	if (!ok(sh != NULL && ny != NULL, "the zones load"))
		diag("  %s", e.msg);
	if (sh == NULL || ny == NULL)
		return;
	parses("2026-11-01 08:30:05", &o, NOV1_083005 - 8 * HOUR, false);
	parses("2026-11-01", &o, NOV1 - 8 * HOUR, true);
	parses("2026年11月1日 8时30分5秒", &o, NOV1_083005 - 8 * HOUR, false);
	parses("2026-11-01T08:30:05Z", &o, NOV1_083005, false);
	parses("2026-11-01T08:30:05-05:00", &o, NOV1_083005 + 5 * HOUR, false);
	parses("1793526000", &o, 1793526000, false);
	o.tz = ny;
	parses("2026-07-01 12:00", &o, 1782907200 + 4 * HOUR, false);
	parses("2026-01-01", &o, 1767225600 + 5 * HOUR, true);
	/* 01:30 happens twice on 1 November 2026: the earlier, in EDT. */
	parses("2026-11-01 01:30", &o, NOV1 + 5400 + 4 * HOUR, false);
	/* 02:30 never happens on 8 March 2026: read as 03:30 EDT. */
	parses("2026-03-08 02:30", &o, 1772937000 + 5 * HOUR, false);
	parses("11/1/2026 1:30 AM", &(struct tp_opts){ TP_ORDER_MDY, ny },
	    NOV1 + 5400 + 4 * HOUR, false);
	tz_free(sh);
	tz_free(ny);
}

static void
test_leap_and_range(void)
{
	parses("2000-02-29", &auto_utc, 951782400, true);
	refuses("1900-02-29", &auto_utc, "day out of range");
	refuses("2100-02-29", &auto_utc, "day out of range");
	parses("2024-02-29 23:59:59", &auto_utc, 1709251199, false);
	parses("1000-01-01", &auto_utc, -30610224000LL, true);
	parses("9999-12-31 23:59:59", &auto_utc, 253402300799LL, false);
}

static void
test_round_trip(void)
{
	uint64_t         s = 42;
	int64_t          lo = -2208988800LL, hi = 7289654400LL; /* 1900, 2201 */
	long             bad = 0, n = 200000;
	char             buf[CIVIL_ISO_MAX], first[CIVIL_ISO_MAX] = "";
	struct tp_result r;
	const char      *why;

	for (long i = 0; i < n; i++) {
		int64_t t = lo + (int64_t)(rnd(&s) % (uint64_t)(hi - lo));
		size_t  len;

		len = civil_format_iso(buf, t);
		if ((timeparse(buf, len, &auto_utc, &r, &why) != 0 ||
		        r.utc != t || r.date_only) &&
		    bad++ == 0)
			memcpy(first, buf, sizeof(buf));
		len = civil_format_date(buf, civil_day(t));
		if ((timeparse(buf, len, &auto_utc, &r, &why) != 0 ||
		        r.utc != civil_day(t) * 86400 || !r.date_only) &&
		    bad++ == 0)
			memcpy(first, buf, sizeof(buf));
	}
	if (!ok(bad == 0,
	        "civil_format_iso and civil_format_date round trip "
	        "through timeparse at %ld instants, 1900 to 2200",
	        n))
		diag("  %ld failed, first '%s'", bad, first);
}

static void
test_duration(void)
{
	static const struct {
		const char *s;
		int64_t     secs;
	} good[] = {
		{ "90d", 90 * 86400 },
		{ "12w", 12 * 7 * 86400 },
		{ "36h", 36 * 3600 },
		{ "45m", 45 * 60 },
		{ "30s", 30 },
		{ "90", 90 * 86400 },
		{ "0", 0 },
		{ "106751991167300d", 106751991167300LL * 86400 },
	};
	static const struct {
		const char *s, *why;
	} bad[] = {
		{ "", "empty duration" },
		{ "d", "not a duration" },
		{ "-5d", "not a duration" },
		{ " 5d", "not a duration" },
		{ "5x", "unknown duration unit" },
		{ "5M", "unknown duration unit" },
		{ "5dd", "unknown duration unit" },
		{ "5d ", "unknown duration unit" },
		{ "106751991167301d", "duration too large" },
		{ "99999999999999999999", "duration too large" },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t     v = -1;
		const char *why = "";
		int         rc = timeparse_duration(good[i].s, &v, &why);

		if (!ok(rc == 0 && v == good[i].secs, "duration '%s' is %lld s",
		        good[i].s, (long long)good[i].secs))
			diag("  got %d (%s), %lld", rc, why, (long long)v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t     v = -1;
		const char *why = "";
		int         rc = timeparse_duration(bad[i].s, &v, &why);

		if (!ok(rc == -1 && strcmp(why, bad[i].why) == 0 && v == -1,
		        "duration '%s' is refused: %s", bad[i].s, bad[i].why))
			diag("  got %d, '%s'", rc, why);
	}
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
	struct tp_result r;
	const char      *why;
	size_t           len = strlen(s);
	int64_t          sink = 0;
	long             n = 5000000;
	double           t = now_ns();

	for (long i = 0; i < n; i++) {
		timeparse(s, len, &auto_utc, &r, &why);
		sink += r.utc;
	}
	diag("timeparse '%s': %.1f ns per parse [%lld]", s,
	    (now_ns() - t) / (double)n, (long long)(sink & 1));
}

int
main(void)
{
	plan(141);
	test_writings();
	test_order();
	test_errors();
	test_zones();
	test_leap_and_range();
	test_round_trip();
	test_duration();
	bench("2026-11-01T08:30:05Z");
	bench("2026-11-01 08:30:05");
	bench("13/11/2026 8:30 PM");
	return done_testing();
}
