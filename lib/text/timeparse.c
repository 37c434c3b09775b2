/*
 * timeparse: the date and time writings of lib/text/timeparse.h parsed to UTC
 * seconds by hand-written digit scanning (no sscanf, no strptime, no
 * allocation, no locale), and the proleptic Gregorian calendar arithmetic
 * the rest of ci uses.
 *
 * A writing is split into a date, an optional time of day and an optional
 * zone; each part is checked as it is read, so the first thing wrong is
 * the thing reported.
 */
#include <string.h>

#include "civil.h"
#include "timeparse.h"

#define DAY 86400

/* What the date part allows after it. */
enum {
	TAIL_T = 1,       /* 'T' between date and time (ISO 8601) */
	TAIL_AMPM = 2,    /* AM or PM after the time (year-last dates) */
	TAIL_CJK = 4,     /* 8时30分[5秒], and no blank needed before it */
	TAIL_COMPACT = 8, /* HHMMSS as six bare digits */
};

struct fields {
	int64_t y;
	int     mo, d, h, mi, sec;
	bool    has_time;
	bool    has_zone;
	int32_t zone; /* seconds east of UTC */
};

/* The UTF-8 encodings of the CJK date and time characters. */
#define CJK_YEAR "\xe5\xb9\xb4"   /* 年 */
#define CJK_MONTH "\xe6\x9c\x88"  /* 月 */
#define CJK_DAY "\xe6\x97\xa5"    /* 日 */
#define CJK_HOUR "\xe6\x97\xb6"   /* 时 */
#define CJK_MINUTE "\xe5\x88\x86" /* 分 */
#define CJK_SECOND "\xe7\xa7\x92" /* 秒 */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read up to max digits at *p (before e) into *v; return how many were
 * read and advance *p past them.
 */
static int
num(const char **p, const char *e, int max, int *v)
{
	const char *s = *p;
	int         n = 0, x = 0;

	while (n < max && s + n < e && is_digit(s[n])) {
		x = x * 10 + (s[n] - '0');
		n++;
	}
	*p = s + n;
	*v = x;
	return n;
}

/* Does the literal lit (of n bytes) start at p, before e? */
static bool
lit(const char *p, const char *e, const char *l, size_t n)
{
	return (size_t)(e - p) >= n && memcmp(p, l, n) == 0;
}

static int
fail(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

/* Check the fields' ranges, in the order a reader looks at them. */
static int
check(const struct fields *f, const char **why)
{
	if (f->y < 1000 || f->y > 9999)
		return fail(why, "year out of range");
	if (f->mo < 1 || f->mo > 12)
		return fail(why, "month out of range");
	if (f->d < 1 ||
	    (unsigned)f->d > civil_days_in_month(f->y, (unsigned)f->mo))
		return fail(why, "day out of range");
	if (f->h > 23)
		return fail(why, "hour out of range");
	if (f->mi > 59)
		return fail(why, "minute out of range");
	if (f->sec > 60)
		return fail(why, "second out of range");
	return 0;
}

/* A zone designator: Z, +08, +0800 or +08:00 (and the same with '-'). */
static int
zone(const char **pp, const char *e, struct fields *f, const char **why)
{
	const char *p = *pp;
	int         sign, h, m = 0;

	if (*p == 'Z' || *p == 'z') {
		*pp = p + 1;
		f->has_zone = true;
		f->zone = 0;
		return 0;
	}
	sign = *p++ == '-' ? -1 : 1;
	if (num(&p, e, 2, &h) != 2)
		return fail(why, "unrecognised zone offset");
	if (p < e && *p == ':') {
		p++;
		if (num(&p, e, 2, &m) != 2)
			return fail(why, "unrecognised zone offset");
	} else if (p < e && is_digit(*p) && num(&p, e, 2, &m) != 2) {
		return fail(why, "unrecognised zone offset");
	}
	if (p < e && is_digit(*p))
		return fail(why, "unrecognised zone offset");
	if (m > 59 || h * 60 + m > 18 * 60)
		return fail(why, "zone offset out of range");
	f->has_zone = true;
	f->zone = sign * (h * 3600 + m * 60);
	*pp = p;
	return 0;
}

/*
 * Everything after the date: an optional time of day, AM or PM, and a
 * zone, as the flags allow.  p is where the date ended, e the end of the
 * trimmed writing.
 */
static int
tail(
    const char *p, const char *e, int flags, struct fields *f, const char **why)
{
	const char *q;
	bool        sep_t = false;
	int         n;

	if (p == e)
		return 0;
	if ((*p == 'T' || *p == 't') && (flags & TAIL_T)) {
		p++;
		sep_t = true;
	} else if (is_blank(*p)) {
		while (p < e && is_blank(*p))
			p++;
	} else if (!(flags & TAIL_CJK) || !is_digit(*p)) {
		return fail(why, "unexpected characters after the date");
	}
	if (p == e || !is_digit(*p))
		return fail(why,
		    sep_t ? "no time after 'T'"
		          : "unexpected characters after the date");
	f->has_time = true;
	q = p;
	if ((flags & TAIL_COMPACT) && num(&q, e, 6, &n) == 6 &&
	    (q == e || !is_digit(*q))) {
		f->h = n / 10000;
		f->mi = n / 100 % 100;
		f->sec = n % 100;
		p = q;
	} else {
		num(&p, e, 2, &f->h);
		if (p < e && *p == ':') {
			p++;
			if (num(&p, e, 2, &f->mi) != 2)
				return fail(why, "unrecognised time");
			if (p < e && *p == ':') {
				p++;
				if (num(&p, e, 2, &f->sec) != 2)
					return fail(why, "unrecognised time");
				if (p < e && (*p == '.' || *p == ',')) {
					/* Fractions of seconds are dropped. */
					p++;
					if (p == e || !is_digit(*p))
						return fail(
						    why, "unrecognised time");
					while (p < e && is_digit(*p))
						p++;
				}
			}
		} else if ((flags & TAIL_CJK) && lit(p, e, CJK_HOUR, 3)) {
			p += 3;
			if (num(&p, e, 2, &f->mi) == 0 ||
			    !lit(p, e, CJK_MINUTE, 3))
				return fail(why, "unrecognised time");
			p += 3;
			if (p < e && is_digit(*p)) {
				if (num(&p, e, 2, &f->sec) == 0 ||
				    !lit(p, e, CJK_SECOND, 3))
					return fail(why, "unrecognised time");
				p += 3;
			}
		} else {
			return fail(why, "unrecognised time");
		}
	}
	if (p < e && is_digit(*p))
		return fail(why, "unrecognised time");
	while (p < e && is_blank(*p))
		p++;
	if ((flags & TAIL_AMPM) && e - p >= 2 &&
	    (p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p') &&
	    (p[1] == 'M' || p[1] == 'm')) {
		/* 12 AM is midnight and 12 PM noon. */
		if (f->h < 1 || f->h > 12)
			return fail(why, "hour out of range");
		f->h = f->h % 12 + (p[0] == 'P' || p[0] == 'p' ? 12 : 0);
		p += 2;
		while (p < e && is_blank(*p))
			p++;
	}
	if (p < e && (*p == 'Z' || *p == 'z' || *p == '+' || *p == '-')) {
		if (zone(&p, e, f, why) < 0)
			return -1;
	}
	if (p != e)
		return fail(why, "unexpected characters after the time");
	return 0;
}

/* 2026-11-01, 2026/11/1 and 2026年11月1日, with what follows. */
static int
year_first(const char *p, const char *e, struct fields *f, const char **why)
{
	int  y, flags;
	char sep;

	num(&p, e, 4, &y);
	f->y = y;
	if (*p == '-' || *p == '/') {
		sep = *p++;
		if (num(&p, e, 2, &f->mo) == 0 || p == e || *p != sep)
			return fail(why, "unrecognised date");
		p++;
		if (num(&p, e, 2, &f->d) == 0)
			return fail(why, "unrecognised date");
		flags = sep == '-' ? TAIL_T : 0;
	} else {
		p += 3; /* 年, which the caller has seen */
		if (num(&p, e, 2, &f->mo) == 0 || !lit(p, e, CJK_MONTH, 3))
			return fail(why, "unrecognised date");
		p += 3;
		if (num(&p, e, 2, &f->d) == 0 || !lit(p, e, CJK_DAY, 3))
			return fail(why, "unrecognised date");
		p += 3;
		flags = TAIL_CJK;
	}
	if (p < e && is_digit(*p) && !(flags & TAIL_CJK))
		return fail(why, "unrecognised date");
	return tail(p, e, flags, f, why);
}

/*
 * 11/1/2026, 01-11-2026 and 1.11.2026: day and month first in one order
 * or the other, then a year of four digits.
 */
static int
year_last(const char *p, const char *e, enum tp_order order, struct fields *f,
    const char **why)
{
	int  a, b, y, n;
	char sep;

	num(&p, e, 2, &a);
	sep = *p++;
	if (num(&p, e, 2, &b) == 0 || p == e || *p != sep)
		return fail(why, "unrecognised date");
	p++;
	n = num(&p, e, 5, &y);
	if (n == 0)
		return fail(why, "unrecognised date");
	if (n != 4 || y < 1000)
		return fail(why, "year out of range");
	f->y = y;
	if (sep == '.' || order == TP_ORDER_DMY) {
		f->d = a;
		f->mo = b;
	} else if (order == TP_ORDER_MDY) {
		f->mo = a;
		f->d = b;
	} else if (a > 12 && b <= 12) {
		f->d = a;
		f->mo = b;
	} else if (a <= 12 && b > 12) {
		f->mo = a;
		f->d = b;
	} else if (a >= 1 && b >= 1 && a <= 12 && b <= 12 && a != b) {
		/* Both readings are dates; only equal parts agree. */
		return fail(why, TP_WHY_AMBIGUOUS);
	} else {
		/* Equal parts, or parts that no reading makes a date. */
		f->mo = a;
		f->d = b;
	}
	return tail(p, e, TAIL_AMPM, f, why);
}

/* A writing of digits only: a compact date or an epoch count. */
static int
all_digits(const char *p, size_t n, struct tp_result *out, struct fields *f,
    const char **why)
{
	int64_t v = 0;

	if (n == 8 || n == 14) {
		int ymd = 0, hms = 0;

		num(&p, p + 8, 8, &ymd);
		if (n == 14)
			num(&p, p + 6, 6, &hms);
		f->y = ymd / 10000;
		f->mo = ymd / 100 % 100;
		f->d = ymd % 100;
		f->h = hms / 10000;
		f->mi = hms / 100 % 100;
		f->sec = hms % 100;
		f->has_time = n == 14;
		return 1;
	}
	if (n != 9 && n != 10 && n != 13)
		return fail(why, "unrecognised date");
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	out->utc = n == 13 ? v / 1000 : v;
	out->date_only = false;
	return 0;
}

/* Two decimal digits at s, or a value below 0 if not. */
static inline int
digits2(const char *s)
{
	unsigned a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';

	return a < 10 && b < 10 ? (int)(a * 10 + b) : -1000;
}

/*
 * The writing machines use most, "2026-11-01T08:30:05Z", read without the
 * general parser.  Returns 0 with *out filled, or -1 when s is not exactly
 * such a valid timestamp (the general parser then decides).
 */
static int
iso_utc(const char *s, size_t len, struct tp_result *out)
{
	int y, mo, d, h, mi, sec;

	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	y = digits2(s) * 100 + digits2(s + 2);
	mo = digits2(s + 5);
	d = digits2(s + 8);
	h = digits2(s + 11);
	mi = digits2(s + 14);
	sec = digits2(s + 17);
	if (y < 1000 || mo < 1 || mo > 12 || d < 1 ||
	    d > (int)civil_days_in_month(y, (unsigned)mo) || h > 23 ||
	    mi > 59 ||
	    sec > 59) /* a non-digit made one of them negative or huge */
		return -1;
	out->utc = civil_to_days(y, (unsigned)mo, (unsigned)d) * DAY +
	    h * 3600 + mi * 60 + sec;
	out->date_only = false;
	return 0;
}

int
timeparse(const char *s, size_t len, const struct tp_opts *o,
    struct tp_result *out, const char **why)
{
	const char   *p = s, *e = s + len, *q;
	struct fields f = { 0 };
	int64_t       local;
	size_t        n;
	int           r;

	if (iso_utc(s, len, out) == 0)
		return 0;

	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	if (p == e)
		return fail(why, "empty date");
	for (q = p; q < e && is_digit(*q); q++)
		;
	n = (size_t)(q - p);
	if (q == e) {
		if ((r = all_digits(p, n, out, &f, why)) <= 0)
			return r;
	} else if (n == 4 &&
	    (*q == '-' || *q == '/' || lit(q, e, CJK_YEAR, 3))) {
		if (year_first(p, e, &f, why) < 0)
			return -1;
	} else if (n == 8 && (*q == 'T' || *q == 't' || is_blank(*q))) {
		int ymd;

		num(&p, q, 8, &ymd);
		f.y = ymd / 10000;
		f.mo = ymd / 100 % 100;
		f.d = ymd % 100;
		if (tail(q, e, TAIL_T | TAIL_COMPACT, &f, why) < 0)
			return -1;
	} else if ((n == 1 || n == 2) &&
	    (*q == '/' || *q == '-' || *q == '.')) {
		if (year_last(p, e, o != NULL ? o->order : TP_ORDER_AUTO, &f,
		        why) < 0)
			return -1;
	} else {
		return fail(why, "unrecognised date");
	}
	if (check(&f, why) < 0)
		return -1;
	/* A leap second is read as the second before it. */
	if (f.sec == 60)
		f.sec = 59;
	local = civil_to_days(f.y, (unsigned)f.mo, (unsigned)f.d) * DAY +
	    f.h * 3600 + f.mi * 60 + f.sec;
	if (f.has_zone)
		out->utc = local - f.zone;
	else if (o != NULL && o->tz != NULL)
		out->utc = tz_local_to_utc(o->tz, local);
	else
		out->utc = local;
	out->date_only = !f.has_time;
	return 0;
}

int
timeparse_duration(const char *s, int64_t *seconds, const char **why)
{
	int64_t v = 0, unit = DAY;
	size_t  i = 0;

	if (s[0] == '\0')
		return fail(why, "empty duration");
	for (; is_digit(s[i]); i++) {
		if (v > (INT64_MAX - 9) / 10)
			return fail(why, "duration too large");
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return fail(why, "not a duration");
	/* Units are lower case only, so that 'm' cannot pass for months. */
	switch (s[i]) {
	case '\0':
		break;
	case 'w':
		unit = 7 * DAY;
		break;
	case 'd':
		unit = DAY;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'm':
		unit = 60;
		break;
	case 's':
		unit = 1;
		break;
	default:
		return fail(why, "unknown duration unit");
	}
	if (s[i] != '\0' && s[i + 1] != '\0')
		return fail(why, "unknown duration unit");
	if (v > INT64_MAX / unit)
		return fail(why, "duration too large");
	*seconds = v * unit;
	return 0;
}

int
timeparse_asof(
    const char *s, const struct tz *tz, int64_t *utc, const char **why)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, tz };
	struct tp_result t;

	if (timeparse(s, strlen(s), &tp, &t, why) < 0)
		return -1;
	*utc = t.utc;
	if (t.date_only)
		*utc = tz_day_end(tz, tz_day(tz, t.utc));
	return 0;
}
