/*
 * civil: the proleptic Gregorian calendar: days since 1970-01-01 from a
 * date and back, the length of a month, the day of a UTC instant, and the
 * ISO 8601 writing of dates and instants.  Every date ci reads or writes
 * goes through here, so that one algorithm counts the days.
 */
#include <stdbool.h>
#include <stdint.h>

#include "civil.h"

#define DAY 86400

unsigned
civil_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31 };
	bool                       leap;

	if (m < 1 || m > 12)
		return 0;
	leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return mdays[m - 1] + (m == 2 && leap);
}

/*
 * civil_to_days() and civil_from_days() are H. Hinnant's era-based
 * algorithms ("chrono-Compatible Low-Level Date Algorithms"): the
 * calendar is cut into 400-year eras of 146097 days, each starting on
 * 1 March so that the leap day falls at the end of its year.
 */
int64_t
civil_to_days(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe, mm = m, dd = d;

	y -= mm <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400; /* [0, 399] */
	doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	/*
	 * The shift to 0000-03-01 is applied after the division into eras,
	 * so that no int64 days can overflow.
	 */
	era = days / 146097;
	doe = days % 146097;
	if (doe < 0) {
		doe += 146097;
		era--;
	}
	doe += 719468;
	era += doe / 146097;
	doe %= 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t
civil_day(int64_t utc)
{
	int64_t q = utc / DAY;

	return utc % DAY < 0 ? q - 1 : q;
}

/* "00" to "99", so that two digits are written with one lookup. */
static const char digit_pairs[] = "00010203040506070809"
                                  "10111213141516171819"
                                  "20212223242526272829"
                                  "30313233343536373839"
                                  "40414243444546474849"
                                  "50515253545556575859"
                                  "60616263646566676869"
                                  "70717273747576777879"
                                  "80818283848586878889"
                                  "90919293949596979899";

static char *
two(char *p, unsigned v)
{
	p[0] = digit_pairs[2 * v];
	p[1] = digit_pairs[2 * v + 1];
	return p + 2;
}

/*
 * Write the year as ISO 8601 does: four digits for 0000 to 9999, else a
 * sign and at least four digits.
 */
static char *
year(char *p, int64_t y)
{
	char     tmp[24];
	int      n = 0;
	uint64_t u;

	if (y >= 0 && y <= 9999) {
		p = two(p, (unsigned)(y / 100));
		return two(p, (unsigned)(y % 100));
	}
	*p++ = y < 0 ? '-' : '+';
	u = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 || n < 4);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static char *
date(char *p, int64_t days)
{
	int64_t  y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	p = year(p, y);
	*p++ = '-';
	p = two(p, m);
	*p++ = '-';
	return two(p, d);
}

size_t
civil_format_iso(char *dst, int64_t utc)
{
	int64_t  days = civil_day(utc);
	int64_t  rem = utc % DAY;
	unsigned secs = (unsigned)(rem < 0 ? rem + DAY : rem);
	char    *p = date(dst, days);

	*p++ = 'T';
	p = two(p, secs / 3600);
	*p++ = ':';
	p = two(p, secs / 60 % 60);
	*p++ = ':';
	p = two(p, secs % 60);
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - dst);
}

size_t
civil_format_date(char *dst, int64_t days)
{
	char *p = date(dst, days);

	*p = '\0';
	return (size_t)(p - dst);
}

bool
civil_writable(int64_t utc)
{
	return utc >= civil_to_days(0, 1, 1) * DAY &&
	    utc < civil_to_days(10000, 1, 1) * DAY;
}
