/*
 * amount: money amounts as exports write them, parsed exactly into integer
 * units of 1/10000 of the currency's major unit (so four decimals are kept
 * and sums are exact), with the currency when the writing names one.
 *
 * Accepted (blanks around any part are ignored):
 *   1234.5  -3  +3  1,234.50  1 234.50  1'234.50     plain, grouped by 3
 *   (12.50)  12.50-  −12.50  -¥12.50  ¥-12.50        negative
 *   ¥1,234.50  ￥88  RMB 1234.5  CNY88  1234.5元  88 CNY    with currency
 *   $1,234  US$5  HK$5  NT$5  €5  £5  ₩5  JPY 5  5 EUR   with currency
 *   1.5万  2亿  350万元                          Chinese myriad units
 *   1.234,50  1 234,50  (decimal_comma set)     comma as decimal mark
 * Currency signs: ¥ and ￥ and 元 and RMB are CNY (the yen sign is read as
 * the yuan, as in the market ci grew from), $ alone is USD, € EUR, £ GBP,
 * ₩ KRW; three-letter upper-case ISO 4217 codes are taken as written.
 * More than four decimals are rounded half away from zero.
 *
 * The details, as the parser settles them:
 * - Blanks are spaces, tabs, U+00A0, U+202F and U+3000.
 * - Grouping: a first group of one to three digits, then groups of exactly
 *   three, all with the same separator: ',' (or '.' with decimal_comma),
 *   a space, U+00A0, U+202F or '\''.  Anything else ("12,3.4", "1,23",
 *   "1,2345", "1234,567") is a "misplaced thousands separator", and two
 *   kinds in one number are "mixed thousands separators".  Without
 *   decimal_comma a comma is never a decimal mark, so "1234,5" and "1,5"
 *   are errors; with it "1,234" is 1.234 and "1.234" is 1234.
 * - ".5" and "5." are read as 0.5 and 5.
 * - Signs: '+', '-' and U+2212 before the number or after a currency sign
 *   before it; '-' or U+2212 after it; or parentheses around it (and any
 *   currency).  One sign at most.
 * - Currency signs and codes may stand before or after the number, 元
 *   after it only; writing the same currency twice ("¥88元") is allowed.
 *   A code is three upper-case letters not followed by a fourth letter.
 * - 万 (10^4) and 亿 (10^8) must follow the number directly (blanks
 *   allowed); 元 or a code may come after them.  They scale the written
 *   decimals exactly, so "1.23456789万" is 12345.6789.
 * - The result must fit int64 units, from -922337203685477.5808 to
 *   922337203685477.5807.
 */
#ifndef CI_AMOUNT_H
#define CI_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Units per major currency unit. */
#define AMOUNT_SCALE 10000
/* Room for any amount amount_format() writes, with its NUL. */
#define AMOUNT_MAX 32

struct amount {
	int64_t units;       /* value * AMOUNT_SCALE */
	char    currency[4]; /* ISO 4217 code, or "" when not written */
	bool    rounded;     /* decimals past the fourth were not all 0 */
};

/*
 * Parse the len bytes at s (need not be NUL-terminated).  Returns 0 with
 * *out filled, or -1 with *why set to a static phrase: "empty amount",
 * "no digits", "junk before the amount", "junk after the amount", "more
 * than one sign", "unmatched parenthesis", "conflicting currencies",
 * "misplaced thousands separator", "mixed thousands separators" or
 * "amount too large".  Nothing is allocated.
 */
int amount_parse(const char *s, size_t len, bool decimal_comma,
    struct amount *out, const char **why);

/*
 * Write units as a plain decimal with at least two decimals and at most
 * four, no grouping and no currency ("1234.50", "-3.00", "0.125").
 * dst has at least AMOUNT_MAX bytes; returns the length.
 */
size_t amount_format(char *dst, int64_t units);

/* Room for any amount amount_format_wide() writes, with its NUL. */
#define AMOUNT_WIDE_MAX 48

/*
 * amount_format() of a wider number of units, such as a sum of many
 * amounts, which need not fit int64: the same text for any value that
 * does.  dst has at least AMOUNT_WIDE_MAX bytes; returns the length.
 */
size_t amount_format_wide(char *dst, __int128 units);

/* The double value of units, in major units. */
static inline double
amount_to_double(int64_t units)
{
	return (double)units / AMOUNT_SCALE;
}

#endif
