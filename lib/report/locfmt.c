/*
 * locfmt: grouping, fixed decimals, signs and short forms over numfmt.
 */
#include <math.h>
#include <string.h>

#include "locfmt.h"
#include "numfmt.h"

void
locfmt_init(struct locfmt *f, enum locfmt_lang lang, const char *currency)
{
	f->lang = lang;
	f->currency = currency != NULL ? currency
	    : lang == LOCFMT_ZH        ? "¥"
	                               : "";
}

static size_t
dash(char *dst)
{
	dst[0] = '-';
	dst[1] = '\0';
	return 1;
}

/*
 * Write |v| rounded to ndigits decimals, grouped and padded to exactly
 * ndigits decimals, after prefix, with a sign before it when v rounds to a
 * negative number (always when plus is set).
 */
static size_t
grouped(char *dst, double v, int ndigits, const char *prefix, int plus)
{
	char   digits[NUMFMT_MAX];
	size_t n, intlen, i, len = 0, plen = strlen(prefix);
	char  *dot;
	int    neg, frac;

	if (!isfinite(v))
		return dash(dst);
	if (ndigits < 0)
		ndigits = 0;
	if (ndigits > 6)
		ndigits = 6;
	n = numfmt_fixed(digits, v, ndigits);
	neg = digits[0] == '-';
	if (fabs(v) >= 1e18 || n == 0) /* beyond grouping: never a figure */
		return dash(dst);
	if (neg)
		memmove(digits, digits + 1, n--);
	if (neg)
		dst[len++] = '-';
	else if (plus && strcmp(digits, "0") != 0)
		dst[len++] = '+';
	memcpy(dst + len, prefix, plen);
	len += plen;
	dot = strchr(digits, '.');
	intlen = dot != NULL ? (size_t)(dot - digits) : n;
	for (i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			dst[len++] = ',';
		dst[len++] = digits[i];
	}
	if (ndigits > 0) {
		dst[len++] = '.';
		frac = 0;
		if (dot != NULL)
			for (i = intlen + 1; i < n; i++, frac++)
				dst[len++] = digits[i];
		for (; frac < ndigits; frac++)
			dst[len++] = '0';
	}
	dst[len] = '\0';
	return len;
}

size_t
locfmt_number(const struct locfmt *f, char *dst, double v, int ndigits)
{
	(void)f;
	return grouped(dst, v, ndigits, "", 0);
}

size_t
locfmt_money(const struct locfmt *f, char *dst, double v)
{
	return grouped(dst, v, 2, f->currency, 0);
}

size_t
locfmt_money0(const struct locfmt *f, char *dst, double v)
{
	return grouped(dst, v, 0, f->currency, 0);
}

/* A share as a percentage, signed when plus is set. */
static size_t
percent(char *dst, double v, int ndigits, int plus)
{
	size_t n;

	if (!isfinite(v))
		return dash(dst);
	n = grouped(dst, v * 100, ndigits, "", plus);
	dst[n++] = '%';
	dst[n] = '\0';
	return n;
}

size_t
locfmt_percent(const struct locfmt *f, char *dst, double v, int ndigits)
{
	(void)f;
	return percent(dst, v, ndigits, 0);
}

size_t
locfmt_signed(const struct locfmt *f, char *dst, double v, int ndigits)
{
	(void)f;
	return grouped(dst, v, ndigits, "", 1);
}

size_t
locfmt_signed_money(const struct locfmt *f, char *dst, double v)
{
	return grouped(dst, v, 2, f->currency, 1);
}

size_t
locfmt_signed_money0(const struct locfmt *f, char *dst, double v)
{
	return grouped(dst, v, 0, f->currency, 1);
}

size_t
locfmt_signed_percent(const struct locfmt *f, char *dst, double v, int ndigits)
{
	(void)f;
	return percent(dst, v, ndigits, 1);
}

size_t
locfmt_short(const struct locfmt *f, char *dst, double v)
{
	/* English steps by thousands, Chinese by 万 (1e4) and 亿 (1e8). */
	static const double      en_step[] = { 1e9, 1e6, 1e3 };
	static const char *const en_unit[] = { "G", "M", "k" };
	static const double      zh_step[] = { 1e8, 1e4 };
	static const char *const zh_unit[] = { "亿", "万" };
	const double      *step = f->lang == LOCFMT_ZH ? zh_step : en_step;
	const char *const *unit = f->lang == LOCFMT_ZH ? zh_unit : en_unit;
	size_t             nstep = f->lang == LOCFMT_ZH ? 2 : 3, i, n;
	double             a = fabs(v);

	if (!isfinite(v))
		return dash(dst);
	for (i = 0; i < nstep; i++)
		if (a >= step[i]) {
			double s = v / step[i];

			n = numfmt_fixed(dst, s, fabs(s) < 10 ? 1 : 0);
			strcpy(dst + n, unit[i]);
			return n + strlen(unit[i]);
		}
	return numfmt_fixed(dst, v,
	    a < 10 && a != floor(a) ? 2
	        : a < 100           ? 1
	                            : 0);
}
