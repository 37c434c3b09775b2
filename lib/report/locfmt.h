/*
 * locfmt: numbers as the report shows them to a person, in the report's
 * language: digits grouped by thousands, a fixed number of decimals, money
 * with its currency sign, shares as percentages and changes with their
 * sign.  English and simplified Chinese group alike ("1,234.50"); Chinese
 * money carries "¥" by default ("¥1,234.50"), English none unless one is
 * given.  Rounding is numfmt_fixed()'s: the exact binary value, half away
 * from zero, so the same double always shows the same digits.
 *
 * Every function writes a NUL-terminated string of at most LOCFMT_MAX
 * bytes to dst and returns its length; NaN and infinities are written as
 * the dash "-" (a figure that cannot be computed).
 */
#ifndef CI_LOCFMT_H
#define CI_LOCFMT_H

#include <stddef.h>

/* Room for any string locfmt writes, with its NUL. */
#define LOCFMT_MAX 64

enum locfmt_lang { LOCFMT_EN = 0, LOCFMT_ZH };

struct locfmt {
	enum locfmt_lang lang;
	const char      *currency; /* written before money; "" for none */
};

/*
 * The formatter of lang, with the currency sign currency, or the
 * language's own ("" in English, "¥" in Chinese) when it is NULL.
 */
void locfmt_init(struct locfmt *f, enum locfmt_lang lang, const char *currency);

/* v rounded to ndigits decimals (0 to 6), grouped: "12,345.6". */
size_t locfmt_number(const struct locfmt *f, char *dst, double v, int ndigits);

/* Money with two decimals and the currency sign: "¥1,234.50", "-¥3.00". */
size_t locfmt_money(const struct locfmt *f, char *dst, double v);

/* Money rounded to whole units: "¥1,235". */
size_t locfmt_money0(const struct locfmt *f, char *dst, double v);

/* A share (0.394) as a percentage with ndigits decimals: "39.4%". */
size_t locfmt_percent(const struct locfmt *f, char *dst, double v, int ndigits);

/*
 * A change: locfmt_number() with its sign always written, "+12" or "-3.5"
 * ("0" without one).
 */
size_t locfmt_signed(const struct locfmt *f, char *dst, double v, int ndigits);

/* A change of money, signed: "+¥1,200.00", "-¥30.50". */
size_t locfmt_signed_money(const struct locfmt *f, char *dst, double v);

/* A change of money in whole units, signed: "+¥1,200". */
size_t locfmt_signed_money0(const struct locfmt *f, char *dst, double v);

/* A relative change (0.035) as a signed percentage: "+3.5%". */
size_t
locfmt_signed_percent(const struct locfmt *f, char *dst, double v, int ndigits);

/*
 * A short form for the ticks of a chart's axis, at most about 6
 * characters: "950", "1.2k", "3M" in English, "950", "1.2万", "3亿" in
 * Chinese; two significant digits at most beyond the unit.
 */
size_t locfmt_short(const struct locfmt *f, char *dst, double v);

#endif
