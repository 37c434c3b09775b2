/*
 * amount: money amounts parsed exactly into units of 1/10000 and written
 * back as plain decimals.
 *
 * A writing is read as prefix tokens (signs, an opening parenthesis,
 * currency signs and codes), one number, and suffix tokens (a myriad
 * multiplier, 元, currency codes, a trailing minus, the closing
 * parenthesis).  The number's digits are accumulated as integers, never
 * through a double, so every amount within int64 units is exact; the
 * digits past the last kept decimal only decide the rounding.
 */
#include <string.h>

#include "amount.h"

/* Fraction digits that can matter: four, eight more for 亿, one to round. */
#define FRAC_KEEP 13

/* Integer parts past this are too large whatever follows. */
#define INT_CAP 100000000000000000ULL

struct parse {
	bool     neg;
	int      signs;      /* signs seen, a parenthesis counting as one */
	bool     paren_open; /* '(' seen */
	bool     paren_shut; /* ')' seen */
	char     cur[4];
	int      mult; /* power of ten from 万 or 亿 */
	uint64_t ip;   /* integer part, valid unless ip_big */
	bool     ip_big;
	int      nf; /* fraction digits read, counted up to FRAC_KEEP + 1 */
	char     fd[FRAC_KEEP];
	bool     tail; /* a non-zero decimal past the FRAC_KEEP kept */
	bool     any_digit;
};

static const uint64_t pow10[] = { 1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL,
	100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
	10000000000ULL, 100000000000ULL, 1000000000000ULL };

/* A currency token: its bytes and the ISO 4217 code it stands for. */
struct cur_tok {
	const char *s;
	size_t      n;
	const char *code;
};

/* Longest first where one token begins another ("US$" before "$"). */
static const struct cur_tok cur_toks[] = {
	{ "US$", 3, "USD" }, { "HK$", 3, "HKD" }, { "NT$", 3, "TWD" },
	{ "$", 1, "USD" },
	{ "\xc2\xa5", 2, "CNY" },     /* ¥ U+00A5, read as the yuan */
	{ "\xef\xbf\xa5", 3, "CNY" }, /* ￥ U+FFE5 */
	{ "\xe2\x82\xac", 3, "EUR" }, /* € */
	{ "\xc2\xa3", 2, "GBP" },     /* £ */
	{ "\xe2\x82\xa9", 3, "KRW" }, /* ₩ */
};

#define YUAN "\xe5\x85\x83"       /* 元 */
#define WAN "\xe4\xb8\x87"        /* 万, 10^4 */
#define YI "\xe4\xba\xbf"         /* 亿, 10^8 */
#define MINUS_SIGN "\xe2\x88\x92" /* − U+2212 */

static int
fail(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

static bool
starts(const char *p, const char *e, const char *lit, size_t n)
{
	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/*
 * The length of the blank at p: space, tab, no-break space U+00A0, narrow
 * no-break space U+202F or ideographic space U+3000; 0 for none.
 */
static size_t
blank(const char *p, const char *e)
{
	if (p >= e)
		return 0;
	if (*p == ' ' || *p == '\t')
		return 1;
	if (starts(p, e, "\xc2\xa0", 2))
		return 2;
	if (starts(p, e, "\xe2\x80\xaf", 3) || starts(p, e, "\xe3\x80\x80", 3))
		return 3;
	return 0;
}

static const char *
skip_blanks(const char *p, const char *e)
{
	size_t n;

	while ((n = blank(p, e)) > 0)
		p += n;
	return p;
}

static int
set_currency(struct parse *a, const char *code, const char **why)
{
	if (a->cur[0] != '\0' && memcmp(a->cur, code, 3) != 0)
		return fail(why, "conflicting currencies");
	memcpy(a->cur, code, 3);
	a->cur[3] = '\0';
	return 0;
}

/*
 * A currency sign or code at p: returns its length with *code set, or 0.
 * Three upper-case letters are a code only when no fourth letter follows.
 */
static size_t
currency(const char *p, const char *e, const char **code)
{
	for (size_t i = 0; i < sizeof(cur_toks) / sizeof(cur_toks[0]); i++)
		if (starts(p, e, cur_toks[i].s, cur_toks[i].n)) {
			*code = cur_toks[i].code;
			return cur_toks[i].n;
		}
	if (e - p >= 3 && is_upper(p[0]) && is_upper(p[1]) && is_upper(p[2]) &&
	    (e - p == 3 ||
	        !((p[3] >= 'A' && p[3] <= 'Z') ||
	            (p[3] >= 'a' && p[3] <= 'z')))) {
		/* RMB is the common name of the yuan, not an ISO code. */
		*code = memcmp(p, "RMB", 3) == 0 ? "CNY" : p;
		return 3;
	}
	return 0;
}

/* A sign at p: returns its length with *neg set, or 0. */
static size_t
sign(const char *p, const char *e, bool *neg)
{
	if (*p == '+' || *p == '-') {
		*neg = *p == '-';
		return 1;
	}
	if (starts(p, e, MINUS_SIGN, 3)) {
		*neg = true;
		return 3;
	}
	return 0;
}

static int
add_sign(struct parse *a, bool neg, const char **why)
{
	if (++a->signs > 1)
		return fail(why, "more than one sign");
	a->neg = neg;
	return 0;
}

/* The length of the group separator at p, if it is one here; else 0. */
static size_t
group_sep(const char *p, const char *e, bool decimal_comma)
{
	if (p >= e)
		return 0;
	if (*p == (decimal_comma ? '.' : ',') || *p == '\'' || *p == ' ')
		return 1;
	if (starts(p, e, "\xc2\xa0", 2))
		return 2;
	if (starts(p, e, "\xe2\x80\xaf", 3))
		return 3;
	return 0;
}

static void
int_digit(struct parse *a, char c)
{
	a->any_digit = true;
	if (a->ip_big)
		return;
	a->ip = a->ip * 10 + (uint64_t)(c - '0');
	if (a->ip >= INT_CAP)
		a->ip_big = true;
}

/*
 * The number at *pp: digits grouped by three after a first group of one
 * to three, with one separator throughout, then the decimal mark and the
 * fraction.
 */
static int
number(struct parse *a, const char **pp, const char *e, bool decimal_comma,
    const char **why)
{
	const char *p = *pp, *sep = NULL;
	char        dec = decimal_comma ? ',' : '.';
	size_t      sep_len = 0, g;
	int         first = 0;

	while (p < e && is_digit(*p)) {
		int_digit(a, *p++);
		if (first < 4)
			first++;
	}
	while ((g = group_sep(p, e, decimal_comma)) > 0) {
		int k = 0;

		while (p + g + k < e && is_digit(p[g + k]))
			k++;
		if (k == 0)
			break; /* a blank or mark before what follows */
		if (first == 0 || first > 3 || k != 3)
			return fail(why, "misplaced thousands separator");
		if (sep != NULL && (g != sep_len || memcmp(p, sep, g) != 0))
			return fail(why, "mixed thousands separators");
		sep = p;
		sep_len = g;
		p += g;
		for (int i = 0; i < 3; i++)
			int_digit(a, *p++);
	}
	if (p < e && *p == dec) {
		p++;
		while (p < e && is_digit(*p)) {
			if (a->nf < FRAC_KEEP)
				a->fd[a->nf] = (char)(*p - '0');
			else
				a->tail = a->tail || *p != '0';
			if (a->nf <= FRAC_KEEP)
				a->nf++;
			a->any_digit = true;
			p++;
		}
		/* A second mark, or a separator inside the decimals. */
		if (p < e &&
		    (*p == dec ||
		        (group_sep(p, e, decimal_comma) == 1 && *p != ' ' &&
		            p + 1 < e && is_digit(p[1]))))
			return fail(why, "misplaced thousands separator");
	}
	if (!a->any_digit)
		return fail(why, "no digits");
	*pp = p;
	return 0;
}

/* Does s (of e - s bytes) hold an ASCII digit anywhere? */
static bool
any_digit(const char *s, const char *e)
{
	for (; s < e; s++)
		if (is_digit(*s))
			return true;
	return false;
}

/* The prefix tokens before the number. */
static int
prefix(struct parse *a, const char **pp, const char *e, const char **why)
{
	const char *p = *pp, *code;
	size_t      n;
	bool        neg;

	for (;;) {
		p = skip_blanks(p, e);
		if (p == e || is_digit(*p))
			break;
		if ((n = sign(p, e, &neg)) > 0) {
			if (add_sign(a, neg, why) < 0)
				return -1;
		} else if (*p == '(' && !a->paren_open) {
			if (add_sign(a, true, why) < 0)
				return -1;
			a->paren_open = true;
			n = 1;
		} else if ((n = currency(p, e, &code)) > 0) {
			if (set_currency(a, code, why) < 0)
				return -1;
		} else {
			break;
		}
		p += n;
	}
	*pp = p;
	return 0;
}

/* The suffix tokens after the number. */
static int
suffix(struct parse *a, const char *p, const char *e, const char **why)
{
	const char *code;
	size_t      n;
	bool        first = true;

	for (;; first = false) {
		p = skip_blanks(p, e);
		if (p == e)
			break;
		if (first && (starts(p, e, WAN, 3) || starts(p, e, YI, 3))) {
			/* A multiplier must follow the number directly. */
			a->mult = starts(p, e, WAN, 3) ? 4 : 8;
			n = 3;
		} else if (starts(p, e, YUAN, 3)) {
			if (set_currency(a, "CNY", why) < 0)
				return -1;
			n = 3;
		} else if (*p == '-' || starts(p, e, MINUS_SIGN, 3)) {
			if (add_sign(a, true, why) < 0)
				return -1;
			n = *p == '-' ? 1 : 3;
		} else if (*p == ')') {
			if (!a->paren_open || a->paren_shut)
				return fail(why, "unmatched parenthesis");
			a->paren_shut = true;
			n = 1;
		} else if ((n = currency(p, e, &code)) > 0) {
			if (set_currency(a, code, why) < 0)
				return -1;
		} else {
			return fail(why, "junk after the amount");
		}
		p += n;
	}
	if (a->paren_open && !a->paren_shut)
		return fail(why, "unmatched parenthesis");
	return 0;
}

/*
 * The magnitude in units: the integer part and the first 4 + mult
 * decimals, rounded half away from zero on the next decimal, checked
 * against lim at each step.
 */
static int
units(const struct parse *a, uint64_t lim, uint64_t *out, const char **why)
{
	int      sc = 4 + a->mult;
	uint64_t v, frac = 0;

	if (a->ip_big || a->ip > lim / pow10[sc])
		return fail(why, "amount too large");
	v = a->ip * pow10[sc];
	for (int i = 0; i < sc; i++)
		frac = frac * 10 + (uint64_t)(i < a->nf ? a->fd[i] : 0);
	if (v > lim - frac)
		return fail(why, "amount too large");
	v += frac;
	if (a->nf > sc && a->fd[sc] >= 5) {
		if (v == lim)
			return fail(why, "amount too large");
		v++;
	}
	*out = v;
	return 0;
}

static int parse_general(const char *s, size_t len, bool decimal_comma,
    struct amount *out, const char **why);

/*
 * The writing machines use most, "-1234.5" (no sign, signs, grouping or
 * currency; at most 14 integer digits and 4 decimals, so that no value
 * can overflow), read without the
 * general parser.  Returns 0 with *out filled, or -1 when s has any other
 * form (the general parser then decides).
 */
static int
plain(const char *s, size_t len, struct amount *out)
{
	const char *p = s, *e = s + len, *q;
	int64_t     v = 0;
	int         k;

	if (p < e && *p == '-')
		p++;
	for (q = p; q < e && is_digit(*q) && q - p < 14; q++)
		v = v * 10 + (*q - '0');
	if (q == p || (q < e && *q != '.'))
		return -1;
	if (q < e) {
		q++;
		for (k = 0; k < 4 && q < e && is_digit(*q); k++, q++)
			v = v * 10 + (*q - '0');
		if (q != e || k == 0)
			return -1;
		for (; k < 4; k++)
			v *= 10;
	} else {
		v *= AMOUNT_SCALE;
	}
	out->units = *s == '-' ? -v : v;
	out->currency[0] = '\0';
	out->rounded = false;
	return 0;
}

int
amount_parse(const char *s, size_t len, bool decimal_comma, struct amount *out,
    const char **why)
{
	if (!decimal_comma && plain(s, len, out) == 0)
		return 0;
	return parse_general(s, len, decimal_comma, out, why);
}

/* Everything amount.h accepts. */
static int
parse_general(const char *s, size_t len, bool decimal_comma, struct amount *out,
    const char **why)
{
	struct parse a = { 0 };
	const char  *p = s, *e = s + len;
	uint64_t     mag, lim;

	p = skip_blanks(p, e);
	while (e > p) {
		/* Trailing blanks, found by their last byte. */
		if (e[-1] == ' ' || e[-1] == '\t')
			e--;
		else if (e - p >= 2 && blank(e - 2, e) == 2)
			e -= 2;
		else if (e - p >= 3 && blank(e - 3, e) == 3)
			e -= 3;
		else
			break;
	}
	if (p == e)
		return fail(why, "empty amount");
	if (prefix(&a, &p, e, why) < 0)
		return -1;
	if (p == e ||
	    !(is_digit(*p) ||
	        (*p == (decimal_comma ? ',' : '.') && p + 1 < e &&
	            is_digit(p[1]))))
		return fail(why,
		    any_digit(p, e) ? "junk before the amount" : "no digits");
	if (number(&a, &p, e, decimal_comma, why) < 0 ||
	    suffix(&a, p, e, why) < 0)
		return -1;
	lim = a.neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (units(&a, lim, &mag, why) < 0)
		return -1;
	if (!a.neg)
		out->units = (int64_t)mag;
	else if (mag > (uint64_t)INT64_MAX)
		out->units = INT64_MIN;
	else
		out->units = -(int64_t)mag;
	memcpy(out->currency, a.cur, sizeof(out->currency));
	out->rounded = a.tail;
	for (int i = 4 + a.mult; i < a.nf && i < FRAC_KEEP; i++)
		out->rounded = out->rounded || a.fd[i] != 0;
	return 0;
}

size_t
amount_format(char *dst, int64_t units)
{
	char     tmp[24], *p = dst;
	uint64_t mag =
	    units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
	uint64_t ip = mag / AMOUNT_SCALE;
	unsigned fp = (unsigned)(mag % AMOUNT_SCALE);
	int      n = 0, nd = 4;

	if (units < 0)
		*p++ = '-';
	do {
		tmp[n++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	while (n > 0)
		*p++ = tmp[--n];
	/* Two decimals always; the third and fourth only when not zero. */
	while (nd > 2 && fp % 10 == 0) {
		fp /= 10;
		nd--;
	}
	*p++ = '.';
	for (int i = nd - 1; i >= 0; i--) {
		p[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	p += nd;
	*p = '\0';
	return (size_t)(p - dst);
}

size_t
amount_format_wide(char *dst, __int128 units)
{
	char              tmp[48], *p = dst;
	unsigned __int128 mag, ip;
	unsigned          fp;
	int               n = 0, nd = 4;

	if (units >= INT64_MIN && units <= INT64_MAX)
		return amount_format(dst, (int64_t)units);
	mag = units < 0 ? (unsigned __int128)0 - (unsigned __int128)units
	                : (unsigned __int128)units;
	ip = mag / AMOUNT_SCALE;
	fp = (unsigned)(mag % AMOUNT_SCALE);
	if (units < 0)
		*p++ = '-';
	do {
		tmp[n++] = (char)('0' + (unsigned)(ip % 10));
		ip /= 10;
	} while (ip != 0);
	while (n > 0)
		*p++ = tmp[--n];
	while (nd > 2 && fp % 10 == 0) {
		fp /= 10;
		nd--;
	}
	*p++ = '.';
	for (int i = nd - 1; i >= 0; i--) {
		p[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	p += nd;
	*p = '\0';
	return (size_t)(p - dst);
}
