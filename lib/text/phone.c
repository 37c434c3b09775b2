/*
 * phone: telephone numbers to E.164.  The number is read in one pass into
 * its digits (full-width forms folded, punctuation and blanks dropped, an
 * extension cut off), then split into calling code and national number and
 * checked.  The tables are the assigned calling codes of ITU-T E.164 and,
 * for the regions ci knows, the calling code and trunk prefix.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"

/*
 * The country calling codes assigned in the ITU-T "List of ITU-T
 * Recommendation E.164 assigned country codes" (Operational Bulletin
 * annex), sorted.  Spare codes are left out, and so are those with no
 * numbers behind them: 379 (reserved for the Vatican, which uses +39), 388
 * (the withdrawn European numbering space), 991 (trials) and 997 (reserved
 * for Kazakhstan in 2021, never brought into use: it keeps +7).  The codes
 * of global services (800, 808, 870, 878, 881-883, 888, 979) are in, since
 * numbers under them are real.  The list equals the calling codes of
 * libphonenumber's metadata.  E.164 keeps the codes prefix-free, so a
 * number has at most one of them as a prefix.
 */
static const unsigned short calling_codes[] = { 1, 7, 20, 27, 30, 31, 32, 33,
	34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
	57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94,
	95, 98, 211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227,
	228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241,
	242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
	256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290,
	291, 297, 298, 299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359,
	370, 371, 372, 373, 374, 375, 376, 377, 378, 380, 381, 382, 383, 385,
	386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507,
	508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672,
	673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687,
	688, 689, 690, 691, 692, 800, 808, 850, 852, 853, 855, 856, 870, 878,
	880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966, 967,
	968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995,
	996, 998 };

/* Regions by ISO 3166-1 alpha-2 code, sorted by it. */
struct region {
	char           iso[3];
	unsigned short cc;
};

static const struct region regions[] = { { "AD", 376 }, { "AE", 971 },
	{ "AF", 93 }, { "AG", 1 }, { "AI", 1 }, { "AL", 355 }, { "AM", 374 },
	{ "AO", 244 }, { "AQ", 672 }, { "AR", 54 }, { "AS", 1 }, { "AT", 43 },
	{ "AU", 61 }, { "AW", 297 }, { "AX", 358 }, { "AZ", 994 },
	{ "BA", 387 }, { "BB", 1 }, { "BD", 880 }, { "BE", 32 }, { "BF", 226 },
	{ "BG", 359 }, { "BH", 973 }, { "BI", 257 }, { "BJ", 229 },
	{ "BL", 590 }, { "BM", 1 }, { "BN", 673 }, { "BO", 591 }, { "BQ", 599 },
	{ "BR", 55 }, { "BS", 1 }, { "BT", 975 }, { "BW", 267 }, { "BY", 375 },
	{ "BZ", 501 }, { "CA", 1 }, { "CC", 61 }, { "CD", 243 }, { "CF", 236 },
	{ "CG", 242 }, { "CH", 41 }, { "CI", 225 }, { "CK", 682 }, { "CL", 56 },
	{ "CM", 237 }, { "CN", 86 }, { "CO", 57 }, { "CR", 506 }, { "CU", 53 },
	{ "CV", 238 }, { "CW", 599 }, { "CX", 61 }, { "CY", 357 },
	{ "CZ", 420 }, { "DE", 49 }, { "DJ", 253 }, { "DK", 45 }, { "DM", 1 },
	{ "DO", 1 }, { "DZ", 213 }, { "EC", 593 }, { "EE", 372 }, { "EG", 20 },
	{ "EH", 212 }, { "ER", 291 }, { "ES", 34 }, { "ET", 251 },
	{ "FI", 358 }, { "FJ", 679 }, { "FK", 500 }, { "FM", 691 },
	{ "FO", 298 }, { "FR", 33 }, { "GA", 241 }, { "GB", 44 }, { "GD", 1 },
	{ "GE", 995 }, { "GF", 594 }, { "GG", 44 }, { "GH", 233 },
	{ "GI", 350 }, { "GL", 299 }, { "GM", 220 }, { "GN", 224 },
	{ "GP", 590 }, { "GQ", 240 }, { "GR", 30 }, { "GS", 500 },
	{ "GT", 502 }, { "GU", 1 }, { "GW", 245 }, { "GY", 592 }, { "HK", 852 },
	{ "HN", 504 }, { "HR", 385 }, { "HT", 509 }, { "HU", 36 }, { "ID", 62 },
	{ "IE", 353 }, { "IL", 972 }, { "IM", 44 }, { "IN", 91 }, { "IO", 246 },
	{ "IQ", 964 }, { "IR", 98 }, { "IS", 354 }, { "IT", 39 }, { "JE", 44 },
	{ "JM", 1 }, { "JO", 962 }, { "JP", 81 }, { "KE", 254 }, { "KG", 996 },
	{ "KH", 855 }, { "KI", 686 }, { "KM", 269 }, { "KN", 1 }, { "KP", 850 },
	{ "KR", 82 }, { "KW", 965 }, { "KY", 1 }, { "KZ", 7 }, { "LA", 856 },
	{ "LB", 961 }, { "LC", 1 }, { "LI", 423 }, { "LK", 94 }, { "LR", 231 },
	{ "LS", 266 }, { "LT", 370 }, { "LU", 352 }, { "LV", 371 },
	{ "LY", 218 }, { "MA", 212 }, { "MC", 377 }, { "MD", 373 },
	{ "ME", 382 }, { "MF", 590 }, { "MG", 261 }, { "MH", 692 },
	{ "MK", 389 }, { "ML", 223 }, { "MM", 95 }, { "MN", 976 },
	{ "MO", 853 }, { "MP", 1 }, { "MQ", 596 }, { "MR", 222 }, { "MS", 1 },
	{ "MT", 356 }, { "MU", 230 }, { "MV", 960 }, { "MW", 265 },
	{ "MX", 52 }, { "MY", 60 }, { "MZ", 258 }, { "NA", 264 }, { "NC", 687 },
	{ "NE", 227 }, { "NF", 672 }, { "NG", 234 }, { "NI", 505 },
	{ "NL", 31 }, { "NO", 47 }, { "NP", 977 }, { "NR", 674 }, { "NU", 683 },
	{ "NZ", 64 }, { "OM", 968 }, { "PA", 507 }, { "PE", 51 }, { "PF", 689 },
	{ "PG", 675 }, { "PH", 63 }, { "PK", 92 }, { "PL", 48 }, { "PM", 508 },
	{ "PN", 64 }, { "PR", 1 }, { "PS", 970 }, { "PT", 351 }, { "PW", 680 },
	{ "PY", 595 }, { "QA", 974 }, { "RE", 262 }, { "RO", 40 },
	{ "RS", 381 }, { "RU", 7 }, { "RW", 250 }, { "SA", 966 }, { "SB", 677 },
	{ "SC", 248 }, { "SD", 249 }, { "SE", 46 }, { "SG", 65 }, { "SH", 290 },
	{ "SI", 386 }, { "SJ", 47 }, { "SK", 421 }, { "SL", 232 },
	{ "SM", 378 }, { "SN", 221 }, { "SO", 252 }, { "SR", 597 },
	{ "SS", 211 }, { "ST", 239 }, { "SV", 503 }, { "SX", 1 }, { "SY", 963 },
	{ "SZ", 268 }, { "TC", 1 }, { "TD", 235 }, { "TG", 228 }, { "TH", 66 },
	{ "TJ", 992 }, { "TK", 690 }, { "TL", 670 }, { "TM", 993 },
	{ "TN", 216 }, { "TO", 676 }, { "TR", 90 }, { "TT", 1 }, { "TV", 688 },
	{ "TW", 886 }, { "TZ", 255 }, { "UA", 380 }, { "UG", 256 }, { "US", 1 },
	{ "UY", 598 }, { "UZ", 998 }, { "VA", 39 }, { "VC", 1 }, { "VE", 58 },
	{ "VG", 1 }, { "VI", 1 }, { "VN", 84 }, { "VU", 678 }, { "WF", 681 },
	{ "WS", 685 }, { "YE", 967 }, { "YT", 262 }, { "ZA", 27 },
	{ "ZM", 260 }, { "ZW", 263 } };

/*
 * How national numbers are written, by calling code, sorted by it: the
 * trunk prefix dialled before a national number ("" for closed numbering
 * plans), and the shortest and longest national significant number of
 * the subscriber, fixed-line and mobile numbers of the plan (as ITU-T's
 * national numbering plans and libphonenumber's metadata give them; service
 * and short numbers are not customers' numbers).  The trunk prefix is only
 * taken off a number of exactly that length plus the prefix when the
 * length is fixed, because Russian numbers may start with 8 themselves
 * (+7 800 ...).  A calling code missing here is taken to use the common
 * trunk prefix 0, and its numbers 7 to 15 digits long with the code.
 */
struct plan {
	unsigned short cc;
	char           trunk[3];
	unsigned char  nsn_min, nsn_max; /* 0: not known */
};

static const struct plan plans[] = { { 1, "1", 10, 10 }, { 7, "8", 10, 10 },
	{ 20, "0", 8, 10 }, { 27, "0", 9, 9 }, { 30, "", 10, 10 },
	{ 31, "0", 9, 9 }, { 32, "0", 8, 9 }, { 33, "0", 9, 9 },
	{ 34, "", 9, 9 }, { 36, "06", 8, 9 }, { 39, "", 6, 11 },
	{ 40, "0", 9, 9 }, { 41, "0", 9, 9 }, { 43, "0", 4, 13 },
	{ 44, "0", 7, 10 }, { 45, "", 8, 8 }, { 46, "0", 7, 13 },
	{ 47, "", 8, 8 }, { 48, "", 9, 9 }, { 49, "0", 5, 13 },
	{ 52, "", 10, 10 }, { 54, "0", 10, 11 }, { 55, "0", 10, 11 },
	{ 60, "0", 8, 10 }, { 61, "0", 9, 9 }, { 62, "0", 7, 12 },
	{ 63, "0", 8, 10 }, { 64, "0", 8, 10 }, { 65, "", 8, 8 },
	{ 66, "0", 8, 9 }, { 81, "0", 9, 10 }, { 82, "0", 8, 10 },
	{ 84, "0", 9, 10 }, { 86, "0", 10, 11 }, { 90, "0", 10, 10 },
	{ 91, "0", 10, 10 }, { 92, "0", 9, 10 }, { 234, "0", 7, 10 },
	{ 263, "0", 5, 10 }, { 351, "", 9, 9 }, { 352, "", 4, 11 },
	{ 353, "0", 7, 9 }, { 358, "0", 5, 12 }, { 380, "0", 9, 9 },
	{ 420, "", 9, 9 }, { 852, "", 8, 8 }, { 853, "", 8, 8 },
	{ 855, "0", 8, 9 }, { 880, "0", 8, 10 }, { 886, "0", 8, 9 },
	{ 966, "0", 8, 9 }, { 971, "0", 8, 9 }, { 972, "0", 8, 9 } };

static const struct plan default_plan = { 0, "0", 0, 0 };

/* More digits than this cannot make an E.164 number with any prefix. */
#define DIGITS_MAX 24

enum tok {
	TOK_DIGIT, /* a digit, ASCII or full-width */
	TOK_PLUS,  /* '+' or U+FF0B */
	TOK_SEP,   /* a blank or punctuation, dropped */
	TOK_EXT,   /* an extension marker: the rest is not kept */
	TOK_LETTER,
	TOK_OTHER
};

static int
cmp_code(const void *a, const void *b)
{
	return (int)*(const unsigned short *)a -
	    (int)*(const unsigned short *)b;
}

static bool
assigned(int code)
{
	unsigned short c = (unsigned short)code;

	return code > 0 && code < 1000 &&
	    bsearch(&c, calling_codes,
	        sizeof(calling_codes) / sizeof(calling_codes[0]),
	        sizeof(calling_codes[0]), cmp_code) != NULL;
}

/*
 * The length (1 to 3) of the calling code at the start of the n digits at
 * d, with its value in *code, or 0 when none is assigned.
 */
static size_t
split_code(const char *d, size_t n, int *code)
{
	size_t l;
	int    c = 0;

	if (n == 0 || d[0] == '0')
		return 0;
	for (l = 1; l <= 3 && l <= n; l++) {
		c = c * 10 + (d[l - 1] - '0');
		if (assigned(c)) {
			*code = c;
			return l;
		}
	}
	return 0;
}

static const struct plan *
plan_of(int code)
{
	size_t lo = 0, hi = sizeof(plans) / sizeof(plans[0]), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (plans[mid].cc == code)
			return &plans[mid];
		if (plans[mid].cc < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &default_plan;
}

static bool
prefix(const unsigned char *s, size_t len, size_t i, const char *p)
{
	size_t n = strlen(p);

	return len - i >= n && memcmp(s + i, p, n) == 0;
}

static bool
ascii_prefix_ci(const unsigned char *s, size_t len, size_t i, const char *p)
{
	size_t n = strlen(p), j;

	if (len - i < n)
		return false;
	for (j = 0; j < n; j++)
		if ((s[i + j] | 0x20) != p[j])
			return false;
	return true;
}

/*
 * Read one token of s at *i and move *i past it; a digit's value goes to
 * *digit.  The UTF-8 forms recognised are the full-width digits, plus,
 * parentheses, hyphen, full stop, solidus and number sign (U+FF10..FF19,
 * FF0B, FF08, FF09, FF0D, FF0E, FF0F, FF03), the no-break, thin, narrow
 * no-break and ideographic spaces (U+00A0, 2009, 202F, 3000), the dashes
 * U+2010..2015 and the minus sign U+2212, and the extension words "转" and
 * "分机".
 */
static enum tok
next_tok(const unsigned char *s, size_t len, size_t *i, char *digit)
{
	unsigned char c = s[*i];

	if (c >= '0' && c <= '9') {
		*digit = (char)c;
		(*i)++;
		return TOK_DIGIT;
	}
	if (c < 0x80) {
		switch (c) {
		case '+':
			(*i)++;
			return TOK_PLUS;
		case ' ':
		case '\t':
		case '-':
		case '.':
		case '/':
		case '(':
		case ')':
			(*i)++;
			return TOK_SEP;
		case '#':
			(*i)++;
			return TOK_EXT;
		default:
			break;
		}
		if (ascii_prefix_ci(s, len, *i, "extension")) {
			*i += 9;
			return TOK_EXT;
		}
		if (ascii_prefix_ci(s, len, *i, "ext")) {
			*i += 3;
			return TOK_EXT;
		}
		if ((c | 0x20) == 'x') {
			(*i)++;
			return TOK_EXT;
		}
		(*i)++;
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? TOK_LETTER
		                                                : TOK_OTHER;
	}
	if (len - *i >= 3 && c == 0xEF && s[*i + 1] == 0xBC) {
		unsigned char c2 = s[*i + 2];

		*i += 3;
		if (c2 >= 0x90 && c2 <= 0x99) {
			*digit = (char)('0' + (c2 - 0x90));
			return TOK_DIGIT;
		}
		if (c2 == 0x8B)
			return TOK_PLUS;
		if (c2 == 0x88 || c2 == 0x89 || c2 == 0x8D || c2 == 0x8E ||
		    c2 == 0x8F)
			return TOK_SEP;
		if (c2 == 0x83)
			return TOK_EXT;
		*i -= 3;
	}
	if (prefix(s, len, *i, "\xC2\xA0")) {
		*i += 2;
		return TOK_SEP;
	}
	if (prefix(s, len, *i, "\xE3\x80\x80") ||
	    prefix(s, len, *i, "\xE2\x80\x89") ||
	    prefix(s, len, *i, "\xE2\x80\xAF") ||
	    prefix(s, len, *i, "\xE2\x88\x92") ||
	    (len - *i >= 3 && prefix(s, len, *i, "\xE2\x80") &&
	        s[*i + 2] >= 0x90 && s[*i + 2] <= 0x95)) {
		*i += 3;
		return TOK_SEP;
	}
	if (prefix(s, len, *i, "转")) {
		*i += strlen("转");
		return TOK_EXT;
	}
	if (prefix(s, len, *i, "分机")) {
		*i += strlen("分机");
		return TOK_EXT;
	}
	/* Any other character, and the rest of its UTF-8 sequence. */
	do
		(*i)++;
	while (*i < len && (s[*i] & 0xC0) == 0x80);
	return TOK_OTHER;
}

/* A Chinese mobile number: 11 digits, 1[3-9]. */
static bool
cn_mobile(const char *d, size_t n)
{
	return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/*
 * A Chinese national significant number: a mobile, or a fixed line with
 * area code 10 or 2X and an 8-digit subscriber number, or a 3-digit area
 * code starting 3-9 and a 7 or 8-digit one.
 */
static bool
cn_valid(const char *d, size_t n)
{
	if (d[0] == '1')
		return cn_mobile(d, n) || (n == 10 && d[1] == '0');
	if (d[0] == '2')
		return n == 10;
	return d[0] >= '3' && d[0] <= '9' && (n == 10 || n == 11);
}

/* Write "+", code and the n digits at nsn to dst with its NUL. */
static void
put_e164(char *dst, int code, const char *nsn, size_t n)
{
	char   tmp[4];
	size_t l = 0;

	*dst++ = '+';
	do
		tmp[l++] = (char)('0' + code % 10);
	while ((code /= 10) > 0);
	while (l > 0)
		*dst++ = tmp[--l];
	memcpy(dst, nsn, n);
	dst[n] = '\0';
}

/* Check the national significant number nsn (n digits) under code. */
static int
finish(int code, const char *nsn, size_t n, char *dst, const char **why)
{
	const struct plan *pl = plan_of(code);
	size_t             cl = code < 10 ? 1 : code < 100 ? 2 : 3;

	if (code == 86) {
		if (n < 10)
			return *why = "too few digits", -1;
		if (n > 11)
			return *why = "too many digits", -1;
		if (!cn_valid(nsn, n))
			return *why = "not a Chinese mobile or fixed-line "
			              "number",
			       -1;
	} else if (code == 1) {
		if (n < 10)
			return *why = "too few digits", -1;
		if (n > 10)
			return *why = "too many digits", -1;
		if (nsn[0] < '2' || nsn[3] < '2')
			return *why = "not a North American number (area "
			              "code or exchange starts with 0 or 1)",
			       -1;
	} else if (pl->nsn_min > 0) {
		if (n < pl->nsn_min)
			return *why = "too few digits for the country", -1;
		if (n > pl->nsn_max)
			return *why = "too many digits for the country", -1;
	} else {
		if (cl + n < 7)
			return *why = "too few digits", -1;
		if (cl + n > 15)
			return *why = "too many digits", -1;
	}
	put_e164(dst, code, nsn, n);
	return 0;
}

int
phone_region_code(const char *region)
{
	size_t lo = 0, hi = sizeof(regions) / sizeof(regions[0]), mid, i;
	char   up[3];
	int    c;

	if (region == NULL || strlen(region) != 2)
		return 0;
	for (i = 0; i < 2; i++) {
		up[i] = region[i];
		if (up[i] >= 'a' && up[i] <= 'z')
			up[i] = (char)(up[i] - 'a' + 'A');
	}
	up[2] = '\0';
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(regions[mid].iso, up);
		if (c == 0)
			return regions[mid].cc;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
phone_normalize(const char *s, size_t len, int cc, char *dst, const char **why)
{
	const unsigned char *u = (const unsigned char *)s;
	const struct plan   *pl;
	char                 d[DIGITS_MAX], c = 0;
	const char          *p;
	size_t               i = 0, n = 0, m, tl;
	bool                 plus = false, ext = false;
	int                  code;

	dst[0] = '\0';
	while (i < len) {
		switch (next_tok(u, len, &i, &c)) {
		case TOK_DIGIT:
			if (ext)
				break;
			if (n == DIGITS_MAX)
				return *why = "too many digits", -1;
			d[n++] = c;
			break;
		case TOK_PLUS:
			if (plus || n > 0 || ext)
				return *why = "misplaced '+'", -1;
			plus = true;
			break;
		case TOK_SEP:
			break;
		case TOK_EXT:
			if (n == 0 || ext)
				return *why = "letters in number", -1;
			ext = true;
			break;
		case TOK_LETTER:
			return *why = "letters in number", -1;
		default:
			/* An extension may be written "ext: 12". */
			if (ext && u[i - 1] == ':')
				break;
			return *why = "unexpected character in number", -1;
		}
	}
	if (n == 0)
		return *why = "no digits", -1;

	/*
	 * International: after "+" or "00", or a Chinese mobile with a bare
	 * "86" in front when the default region is China (no Chinese
	 * national number is 13 digits long).
	 */
	p = NULL;
	if (plus)
		p = d;
	else if (n >= 2 && d[0] == '0' && d[1] == '0')
		p = d + 2;
	else if (cc == 86 && n == 13 && d[0] == '8' && d[1] == '6' &&
	    cn_mobile(d + 2, 11))
		p = d;
	if (p != NULL) {
		m = n - (size_t)(p - d);
		if (m == 0)
			return *why = "too few digits", -1;
		if ((i = split_code(p, m, &code)) == 0)
			return *why = "unknown country code", -1;
		p += i;
		m -= i;
		/* A trunk 0 written after the code: "+86 0755 ...". */
		pl = plan_of(code);
		if (m > 0 && p[0] == '0' && strcmp(pl->trunk, "0") == 0) {
			p++;
			m--;
		}
		return finish(code, p, m, dst, why);
	}

	if (cc == 0)
		return *why = "national number without a default region", -1;
	if (!assigned(cc))
		return *why = "unknown country code", -1;
	pl = plan_of(cc);
	tl = strlen(pl->trunk);
	p = d;
	m = n;
	if (tl > 0 && m > tl && memcmp(p, pl->trunk, tl) == 0 &&
	    (pl->nsn_min != pl->nsn_max || m == pl->nsn_max + tl)) {
		p += tl;
		m -= tl;
	}
	return finish(cc, p, m, dst, why);
}

size_t
phone_cc_len(const char *e164)
{
	size_t n;
	int    code;

	if (e164 == NULL || e164[0] != '+')
		return 0;
	n = strspn(e164 + 1, "0123456789");
	n = split_code(e164 + 1, n < 3 ? n : 3, &code);
	return n > 0 ? n + 1 : 0;
}
