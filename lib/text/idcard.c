/*
 * idcard: PRC resident identity card numbers (GB 11643-1999): format,
 * province, birth date and the ISO 7064 MOD 11-2 check character, with
 * first-generation 15-digit numbers converted to 18.  Dates are counted in
 * days since 1970-01-01 with a civil-calendar helper of its own, so the
 * module depends on nothing but the C library.
 */
#include <stdbool.h>
#include <string.h>

#include "civil.h"
#include "idcard.h"

/*
 * ISO 7064 MOD 11-2 as GB 11643-1999 applies it: digit i (from the left,
 * 0-based) is weighted 2^(17 - i) mod 11, and the check character is the
 * one that brings the weighted sum to 1 mod 11, indexed here by the sum of
 * the first 17 mod 11.
 */
static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
	4, 2 };

/* The check character for each weighted sum mod 11. */
static const char check_chars[] = "10X98765432";

/* The province codes in use: the first two digits of every number. */
static bool
province_ok(int p)
{
	switch (p / 10) {
	case 1:
		return p >= 11 && p <= 15;
	case 2:
		return p >= 21 && p <= 23;
	case 3:
		return p >= 31 && p <= 37;
	case 4:
		return p >= 41 && p <= 46;
	case 5:
		return p >= 50 && p <= 54;
	case 6:
		return p >= 61 && p <= 65;
	case 7:
		return p == 71;
	case 8:
		return p >= 81 && p <= 83;
	default:
		return false;
	}
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of the n digits at s. */
static int
number(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

char
idcard_check_char(const char *digits17)
{
	int i, sum = 0;

	for (i = 0; i < 17; i++) {
		if (!is_digit(digits17[i]))
			return '\0';
		sum += (digits17[i] - '0') * weights[i];
	}
	return check_chars[sum % 11];
}

enum idcard_status
idcard_check(const char *s, size_t len, int64_t today_days, struct idcard *out)
{
	char    num[IDCARD_MAX];
	size_t  i;
	int     y, m, d;
	int64_t day;

	while (len > 0 && is_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;

	if (len == 18) {
		for (i = 0; i < 17; i++)
			if (!is_digit(s[i]))
				return IDCARD_BAD_FORMAT;
		if (!is_digit(s[17]) && s[17] != 'X' && s[17] != 'x')
			return IDCARD_BAD_FORMAT;
		memcpy(num, s, 18);
		if (num[17] == 'x')
			num[17] = 'X';
	} else if (len == 15) {
		/* First generation: YYMMDD for 19YY, and no check. */
		for (i = 0; i < 15; i++)
			if (!is_digit(s[i]))
				return IDCARD_BAD_FORMAT;
		memcpy(num, s, 6);
		memcpy(num + 6, "19", 2);
		memcpy(num + 8, s + 6, 9);
		num[17] = idcard_check_char(num);
	} else {
		return IDCARD_BAD_FORMAT;
	}
	num[18] = '\0';

	if (!province_ok(number(num, 2)))
		return IDCARD_BAD_REGION;

	y = number(num + 6, 4);
	m = number(num + 10, 2);
	d = number(num + 12, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > (int)civil_days_in_month(y, (unsigned)m))
		return IDCARD_BAD_BIRTH;
	day = civil_to_days(y, (unsigned)m, (unsigned)d);
	if (day > today_days)
		return IDCARD_BAD_BIRTH;

	if (num[17] != idcard_check_char(num))
		return IDCARD_BAD_CHECK;

	if (out != NULL) {
		memcpy(out->number, num, sizeof(num));
		out->birth_day = day;
		out->gender = (num[16] - '0') % 2 == 1 ? 'M' : 'F';
	}
	return IDCARD_OK;
}

const char *
idcard_strerror(enum idcard_status st)
{
	switch (st) {
	case IDCARD_OK:
		return "valid";
	case IDCARD_BAD_FORMAT:
		return "wrong length or characters";
	case IDCARD_BAD_REGION:
		return "unknown province code";
	case IDCARD_BAD_BIRTH:
		return "impossible or implausible birth date";
	case IDCARD_BAD_CHECK:
		return "invalid check character";
	}
	return "unknown identity card status";
}
