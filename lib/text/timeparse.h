/*
 * timeparse: timestamps and dates in the writings real exports use, parsed
 * to UTC seconds, and the calendar arithmetic the rest of ci uses.
 *
 * Accepted writings (leading and trailing blanks, spaces and tabs, ignored):
 *   2026-11-01                        ISO 8601 date (also 2026-1-1)
 *   2026-11-01T08:30[:05[.123]]       ISO 8601 date-time, 'T' or blanks
 *                                     between, ',' also before a fraction
 *   ... followed by Z, +08, +0800 or +08:00     an explicit zone (blanks
 *                                     may come before it; at most 18:00)
 *   2026/11/1 [8:30[:05]]             year first, slashes, 1 or 2 digits
 *   20261101 [083005], 20261101083005 compact date and date-time (also
 *                                     20261101T083005)
 *   11/1/2026 [8:30[:05] [AM|PM]]     US (Excel) order, month first
 *   01-11-2026, 1.11.2026 [8:30[:05] [AM|PM]]   day first
 *   2026年11月1日 [8:30[:05]]         Chinese date (also 8时30分[5秒])
 *   1793526000, 1793526000123         Unix epoch seconds (9 or 10 digits) or
 *                                     milliseconds (13 digits)
 * 'T' and 'Z' may be lower case.  An explicit zone may follow any time of
 * day, never a bare date.  The hour has one or two digits, minutes and
 * seconds two (one or two in the Chinese form).
 *
 * A date written D/M/Y or M/D/Y with slashes or dashes is ambiguous when
 * both parts are 12 or less.  With TP_ORDER_AUTO the order is taken from
 * the value when one part is over 12, and an ambiguous value is an error
 * (unless both parts are equal, as in 5/5/2026, which reads the same
 * either way); TP_ORDER_DMY and TP_ORDER_MDY fix the order (and make a
 * value that does not fit it an error).  Dotted dates are always day
 * first.  So the US and day-first examples above need the matching order.
 *
 * Values are checked: the year 1000 to 9999 (in written dates; an epoch
 * count is taken as it is), the month 1 to 12, the day within the month
 * (with Gregorian leap years), the hour 0 to 23, the minute 0 to 59 and
 * the second 0 to 60, where 60 (a leap second) is read as 59.  AM and PM,
 * in either case, are accepted only after the US and day-first forms and
 * want an hour from 1 to 12: 12 AM is 0h and 12 PM is 12h.  An 8-digit
 * number that is not a valid date is an error, never an epoch count.
 *
 * Fractions of seconds are dropped.  A writing without a zone is local time
 * in the zone given, read with tz_local_to_utc() (UTC when none); a bare
 * date is local midnight.  An explicit zone overrides the zone given, and
 * an epoch count is UTC by definition.
 */
#ifndef CI_TIMEPARSE_H
#define CI_TIMEPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tz.h"

enum tp_order { TP_ORDER_AUTO = 0, TP_ORDER_DMY, TP_ORDER_MDY };

struct tp_opts {
	enum tp_order    order;
	const struct tz *tz; /* zone of naive times; NULL: UTC */
};

struct tp_result {
	int64_t utc;       /* seconds since the epoch, UTC */
	bool    date_only; /* the writing had no time of day */
};

/*
 * Parse the len bytes at s; o may be NULL for TP_ORDER_AUTO in UTC.
 * Returns 0 with *out filled, or -1 with *why set to a static phrase
 * saying what is wrong: "empty date", "unrecognised date", "ambiguous day
 * and month", "year out of range", "month out of range", "day out of
 * range", "hour out of range", "minute out of range", "second out of
 * range", "unrecognised time", "no time after 'T'", "unrecognised zone
 * offset", "zone offset out of range", "unexpected characters after the
 * date", "unexpected characters after the time".  s need not be
 * NUL-terminated.  Nothing is allocated.
 */
int timeparse(const char *s, size_t len, const struct tp_opts *o,
    struct tp_result *out, const char **why);

/* The phrase of a D/M/Y or M/D/Y date that reads both ways. */
#define TP_WHY_AMBIGUOUS "ambiguous day and month"

/*
 * Parse a duration such as "90d", "12w", "36h", "45m", "30s" or a plain
 * number of days ("90") into seconds: digits and at most one unit letter,
 * lower case only (so that "M" cannot be taken for months), no sign and no
 * blanks.  Returns 0, or -1 with *why set to "empty duration", "not a
 * duration", "unknown duration unit" or "duration too large".
 */
int timeparse_duration(const char *s, int64_t *seconds, const char **why);

/*
 * Parse a point in time as every --asof reads it: a timestamp, or a date
 * meaning the end of that day (its last second) in tz (NULL: UTC).
 * Returns 0 with *utc set, or -1 with *why saying what is wrong
 * (timeparse()'s phrases).  s is NUL-terminated.
 */
int timeparse_asof(
    const char *s, const struct tz *tz, int64_t *utc, const char **why);

#endif
