/*
 * numfmt: the one number formatter, for doubles (shortest round-trip
 * digits), integers and fixed decimals.
 *
 * numfmt_double() finds its digits with the "free-format" algorithm of
 * Steele & White (1990), "How to print floating-point numbers accurately",
 * in the form given by Burger & Dybvig (1996), "Printing floating-point
 * numbers quickly and accurately", section 2: with v = r/s and the rounding
 * interval [v - m-/s, v + m+/s], digits are generated until a digit string
 * falls inside the interval, and the last digit is then rounded to the
 * nearest.  The interval is closed when the significand is even, because
 * strtod rounds a halfway decimal to the even significand.
 *
 * For v = f * 2^e with -120 <= e < 0 (non-integral magnitudes from about
 * 3.4e-21 up to 2^52) every quantity fits in 128 bits, and s is a power of
 * two, so each digit costs a multiplication by ten, a shift and a mask;
 * while the margins are small, eight digits are taken at once.  Integral
 * values below 2^53 are written as integers, which are then their own
 * shortest form.  Everything else (tiny, subnormal and huge magnitudes) is
 * rare in ci's data and goes through snprintf and strtod.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "xalloc.h"

/* The decimal digits of 0..99 in pairs, for writing integers two at once. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

static const uint32_t pow10_9[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
	10000000, 100000000, 1000000000 };

/* The smallest e for which the fast path's 128-bit quantities cannot
 * overflow: s = 2^(2 - e) must leave four bits for the product by ten. */
#define FAST_MIN_EXP (-120)

/* A shortest digit string has at most 17 digits; this leaves room to spare. */
#define DIGITS_MAX 32

/* The number of decimal digits of u. */
static inline size_t
ndigits(uint64_t u)
{
	size_t n = 1;

	for (; u >= 10000; u /= 10000)
		n += 4;
	return n + (u >= 10) + (u >= 100) + (u >= 1000);
}

/* Write u in decimal at dst (no NUL) and return the number of digits. */
static size_t
utoa(char *dst, uint64_t u)
{
	size_t n = ndigits(u);
	char  *p = dst + n;

	while (u >= 100) {
		const char *d = pairs + (u % 100) * 2;

		u /= 100;
		p -= 2;
		p[0] = d[0];
		p[1] = d[1];
	}
	if (u >= 10) {
		p[-2] = pairs[u * 2];
		p[-1] = pairs[u * 2 + 1];
	} else {
		p[-1] = (char)('0' + u);
	}
	return n;
}

/*
 * Write the value 0.D * 10^k, with D the n significant digits at dig, to
 * dst with its NUL.  The layout depends on the decimal exponent k - 1 alone,
 * which for a shortest round-trip string puts every v in [1e-6, 1e21) in
 * plain notation and every other v in exponent form.
 */
static size_t
layout(char *dst, bool neg, const char *dig, int n, int k)
{
	char *p = dst;
	int   x;

	/* In plain notation every copy below is of a fixed size, which
	 * compiles to a few moves: n <= 17, so k < n means k <= 16 and n - k
	 * <= 16 when k > 0; the copies stay inside dig's DIGITS_MAX and dst's
	 * NUMFMT_MAX bytes. */
	if (neg)
		*p++ = '-';
	if (k >= -5 && k <= 21) {
		if (k <= 0) {
			memcpy(p, "0.00000", 7);
			p += 2 - k;
			memcpy(p, dig, 17);
			p += n;
		} else if (k < n) {
			memcpy(p, dig, 16);
			p += k;
			*p++ = '.';
			memcpy(p, dig + k, 16);
			p += n - k;
		} else {
			memcpy(p, dig, 17);
			p += n;
			memcpy(p, "000000000000000000000", 21);
			p += k - n;
		}
	} else {
		*p++ = dig[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, dig + 1, (size_t)(n - 1));
			p += n - 1;
		}
		*p++ = 'e';
		x = k - 1;
		if (x < 0) {
			*p++ = '-';
			x = -x;
		} else {
			*p++ = '+';
		}
		/* At least two exponent digits, as C's %e writes them. */
		if (x < 10)
			*p++ = '0';
		p += utoa(p, (uint64_t)x);
	}
	*p = '\0';
	return (size_t)(p - dst);
}

/* Write the eight digits of d < 10^8, leading zeros included, at dst. */
static void
put8(char *dst, uint32_t d)
{
	uint32_t hi = d / 10000, lo = d % 10000;

	/* Two independent halves, so the divisions overlap. */
	memcpy(dst, pairs + (hi / 100) * 2, 2);
	memcpy(dst + 2, pairs + (hi % 100) * 2, 2);
	memcpy(dst + 4, pairs + (lo / 100) * 2, 2);
	memcpy(dst + 6, pairs + (lo % 100) * 2, 2);
}

/*
 * The digit loop of shortest_fast() in the unsigned type T: one digit a
 * step until the digit string falls inside the interval, then the last
 * digit rounded to the nearer end (or to even on a tie).  mm <= r < s
 * before each product by ten, so r + mp < 21 s, which bounds the width T
 * needs.  mp is always mm << asym.  (In this range an interval end is a
 * decimal of 18 or more digits, so whether the ends count, "+ even", never
 * changes the result here; it is kept so that the loop is the textbook
 * one.)
 */
#define DIGIT_LOOP(T) \
	do { \
		T    r_ = (T)r, s_ = (T)s, mask_ = s_ - 1, mm_ = (T)mm, mp_; \
		bool low, high; \
		int  d; \
\
		for (;;) { \
			r_ *= 10; \
			mm_ *= 10; \
			mp_ = mm_ << asym; \
			d = (int)(r_ >> sh); \
			r_ &= mask_; \
			low = r_ < mm_ + even; \
			high = r_ + mp_ + even > s_; \
			if (!low && !high) { \
				if (n == 0 && d == 0) \
					(*k)--; /* a leading zero */ \
				else \
					dig[n++] = (char)('0' + d); \
				continue; \
			} \
			if (high && \
			    (!low || 2 * r_ > s_ || \
			        (2 * r_ == s_ && (d & 1)))) \
				d++; \
			dig[n++] = (char)('0' + d); \
			break; \
		} \
	} while (0)

/*
 * The shortest digits of f * 2^e (f a normal significand, FAST_MIN_EXP <= e
 * < 0, not an integer) into dig; the value is 0.dig * 10^*k.  asym is 1
 * when f is a power of two, whose lower neighbour is half as far away as
 * its upper one.  Returns the number of digits.
 */
static int
shortest_fast(uint64_t f, int e, unsigned asym, char *dig, int *k)
{
	const uint64_t    e8 = 100000000;
	unsigned __int128 r, s, mask, mm, r8, mm8;
	unsigned          sh = 1 + asym - (unsigned)e;
	unsigned          even = (f & 1) == 0;
	uint64_t          ip, d8;
	int               n = 0;

	/*
	 * v = r / s with s = 2^sh.  The gap to each neighbour is 2^e, so in
	 * units of 1/s half of it is 1, except that above a power of two the
	 * upper half gap is 2 while the lower one is 1.
	 */
	r = (unsigned __int128)f << (1 + asym);
	s = (unsigned __int128)1 << sh;
	mask = s - 1;
	mm = 1;

	/*
	 * The integer part is the first "digit".  v is not an integer and
	 * lies on a grid of step 2^e, so no integer is within half a step of
	 * it: the digit string is never complete before the point.  For the
	 * same reason r + mp < s from here on, so a digit rounded up at the
	 * end is at most 9.
	 */
	ip = (uint64_t)(r >> sh);
	r &= mask;
	*k = 0;
	if (ip != 0)
		n = *k = (int)utoa(dig, ip);

	/*
	 * Eight digits a step while the margins times 10^8 stay below s.
	 * Then if the string were complete after j < 8 of them, with r_j <=
	 * mm_j (or s - r_j <= mp_j), the next 8 - j digits would all be 0
	 * (or 9) and the same test would hold after the eighth; so one test
	 * there says whether all eight can be taken.  r * 10^8 fits in 128
	 * bits while sh <= 100.
	 */
	while (sh <= 100 && (mm << asym) * e8 < s) {
		r8 = r * e8;
		mm8 = mm * e8;
		if ((r8 & mask) < mm8 + even ||
		    (r8 & mask) + (mm8 << asym) + even > s)
			break;
		d8 = (uint64_t)(r8 >> sh);
		if (n > 0) {
			put8(dig + n, (uint32_t)d8);
			n += 8;
		} else if (d8 == 0) {
			*k -= 8;
		} else {
			n = (int)utoa(dig, d8);
			*k -= 8 - n;
		}
		r = r8 & mask;
		mm = mm8;
	}

	if (sh <= 59) /* 21 s < 2^64, and 64-bit steps are faster */
		DIGIT_LOOP(uint64_t);
	else
		DIGIT_LOOP(unsigned __int128);
	return n;
}

/*
 * Read the %e output p ("d.ddde+XX") into dig and *k as for layout(),
 * keeping trailing zeros.
 */
static void
read_e(const char *p, char *dig, int *k)
{
	int n = 0;

	for (; *p != 'e'; p++)
		if (*p != '.')
			dig[n++] = *p;
	*k = atoi(p + 1) + 1;
}

/*
 * Whether some decimal of p significant digits reads back as v > 0: if so,
 * write its digits to dig and *k as for layout() and return p, else return
 * 0.  snprintf gives the p-digit decimal nearest to v.  When that does not
 * read back and v's significand is a power of two (pow2), the p-digit
 * neighbour on the other side of v still may, because the interval is
 * wider above v than below; no other p-digit decimal can, being farther
 * than one of these two.
 */
static int
try_digits(double v, int p, bool pow2, char *dig, int *k)
{
	char   buf[48];
	double w;
	int    i;

	snprintf(buf, sizeof(buf), "%.*e", p - 1, v);
	read_e(buf, dig, k);
	w = strtod(buf, NULL);
	if (w == v)
		return p;
	if (!pow2)
		return 0;
	if (w < v) {
		for (i = p - 1; i >= 0 && dig[i] == '9'; i--)
			dig[i] = '0';
		if (i >= 0) {
			dig[i]++;
		} else {
			dig[0] = '1';
			(*k)++;
		}
	} else {
		for (i = p - 1; i >= 0 && dig[i] == '0'; i--)
			dig[i] = '9';
		dig[i]--; /* dig[0] is not '0', so i >= 0 */
		if (dig[0] == '0') {
			/* Below 10^(k-1) the grid is ten times finer: 1000
			 * steps down to 9999 one exponent lower. */
			memmove(dig, dig + 1, (size_t)(p - 1));
			dig[p - 1] = '9';
			(*k)--;
		}
	}
	snprintf(buf, sizeof(buf), "0.%.*se%d", p, dig, *k);
	return strtod(buf, NULL) == v ? p : 0;
}

/*
 * The shortest digits of v > 0 with snprintf and strtod.  If p digits can
 * read back then so can p + 1 (append a zero), and 17 always can, so a
 * binary search over p needs four or five tries.  Returns the number of
 * digits.
 */
static int
shortest_slow(double v, bool pow2, char *dig, int *k)
{
	char tmp[DIGITS_MAX];
	int  lo = 1, hi = 17, mid, tk, n = 0;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (try_digits(v, mid, pow2, tmp, &tk) > 0) {
			hi = mid;
			n = mid;
			memcpy(dig, tmp, (size_t)n);
			*k = tk;
		} else {
			lo = mid + 1;
		}
	}
	if (n == 0)
		n = try_digits(v, 17, pow2, dig, k);
	while (n > 1 && dig[n - 1] == '0')
		n--;
	return n;
}

size_t
numfmt_double(char *dst, double v)
{
	char     dig[DIGITS_MAX];
	uint64_t bits, frac, f;
	bool     neg;
	int      be, e, n, k;

	memcpy(&bits, &v, sizeof(bits));
	neg = (bits >> 63) != 0;
	be = (int)((bits >> 52) & 0x7ff);
	frac = bits & (((uint64_t)1 << 52) - 1);
	if (be == 0x7ff) {
		dst[0] = '\0';
		return 0;
	}
	if (be == 0 && frac == 0) {
		memcpy(dst, "0", 2);
		return 1;
	}
	if (be == 0) {
		f = frac;
		e = -1074;
	} else {
		f = frac | (uint64_t)1 << 52;
		e = be - 1075;
	}
	if (e <= 0 && e >= -52 && (f & (((uint64_t)1 << -e) - 1)) == 0) {
		char *p = dst;

		if (neg)
			*p++ = '-';
		p += utoa(p, f >> -e);
		*p = '\0';
		return (size_t)(p - dst);
	}
	if (e < 0 && e >= FAST_MIN_EXP)
		n = shortest_fast(f, e, frac == 0, dig, &k);
	else
		n = shortest_slow(fabs(v), frac == 0, dig, &k);
	return layout(dst, neg, dig, n, k);
}

size_t
numfmt_int(char *dst, int64_t v)
{
	uint64_t u = (uint64_t)v;
	size_t   n = 0;

	if (v < 0) {
		dst[n++] = '-';
		u = 0 - u; /* INT64_MIN's magnitude too */
	}
	n += utoa(dst + n, u);
	dst[n] = '\0';
	return n;
}

size_t
numfmt_fixed(char *dst, double v, int ndigits)
{
	unsigned __int128 x, q;
	uint64_t          bits, frac, f, ip, fp;
	bool              neg;
	int               be, e, nd = ndigits;
	char             *p = dst;

	if (!isfinite(v)) {
		dst[0] = '\0';
		return 0;
	}
	if (nd < 0)
		nd = 0;
	if (nd > 9)
		nd = 9;
	memcpy(&bits, &v, sizeof(bits));
	neg = (bits >> 63) != 0;
	be = (int)((bits >> 52) & 0x7ff);
	frac = bits & (((uint64_t)1 << 52) - 1);
	f = be == 0 ? frac : frac | (uint64_t)1 << 52;
	e = be == 0 ? -1074 : be - 1075;
	if (e > 0) /* |v| >= 2^53 is a whole number: nothing to round */
		return numfmt_double(dst, v);

	/*
	 * |v| * 10^nd = f * 10^nd / 2^-e exactly, with f * 10^nd < 2^83.
	 * Rounding that quotient half up rounds the magnitude of the exact
	 * binary value half away from zero.  From 2^-100 on the quotient is
	 * below 2^-17 and rounds to 0.
	 */
	x = (unsigned __int128)f * pow10_9[nd];
	if (e == 0) {
		q = x;
	} else if (-e < 100) {
		q = x >> -e;
		if (((x >> (-e - 1)) & 1) != 0)
			q++;
	} else {
		q = 0;
	}
	if (q == 0) {
		memcpy(dst, "0", 2);
		return 1;
	}
	ip = (uint64_t)(q / pow10_9[nd]);
	fp = (uint64_t)(q % pow10_9[nd]);
	while (nd > 0 && fp % 10 == 0) {
		fp /= 10;
		nd--;
	}
	if (neg)
		*p++ = '-';
	p += utoa(p, ip);
	if (nd > 0) {
		char   tmp[20];
		size_t n = utoa(tmp, fp);

		*p++ = '.';
		memset(p, '0', (size_t)nd - n);
		p += (size_t)nd - n;
		memcpy(p, tmp, n);
		p += n;
	}
	*p = '\0';
	return (size_t)(p - dst);
}

/*
 * A plain decimal of at most 15 digits ("-0.0696", "12", "3.5"), which
 * most numbers in a table are, as a double at once: the digits make an
 * integer below 2^53 and 10^k is exact up to 10^22, so their quotient,
 * rounded once by the division, is the double nearest to the decimal,
 * which is what strtod gives (Clinger 1990, "How to read floating point
 * numbers accurately", the fast path).  Returns false for anything else.
 */
static bool
parse_short(const char *s, size_t len, double *v)
{
	static const double pow10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
		1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const char         *p = s, *end = s + len;
	uint64_t            m = 0;
	int                 digits = 0, frac = -1;
	bool                neg = false;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			digits++;
			frac += frac >= 0;
		} else if (*p == '.' && frac < 0)
			frac = 0;
		else
			return false;
	}
	if (digits == 0 || digits > 15)
		return false;
	*v = (double)m / pow10[frac < 0 ? 0 : frac];
	if (neg)
		*v = -*v;
	return true;
}

bool
numfmt_parse(const char *s, size_t len, double *v)
{
	char   tmp[64], *buf = tmp, *end;
	size_t i;
	bool   ok;

	if (len > 0 && len <= 17 && parse_short(s, len, v))
		return true;
	if (len == 0 ||
	    !(isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+' ||
	        s[0] == '.'))
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr("+-.eE", s[i]) == NULL))
			return false;
	if (len >= sizeof(tmp))
		buf = xmalloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	ok = end == buf + len && isfinite(*v);
	if (buf != tmp)
		free(buf);
	return ok;
}

size_t
numfmt_double_digits(char *dst, double v, int digits)
{
	char tmp[NUMFMT_MAX];

	if (digits <= 0 || digits >= 17 || !isfinite(v))
		return numfmt_double(dst, v);
	snprintf(tmp, sizeof(tmp), "%.*e", digits - 1, v);
	return numfmt_double(dst, strtod(tmp, NULL));
}
