/*
 * numfmt: the one number formatter, for doubles (shortest round-trip
 * digits), integers and fixed decimals.
 *
 * numfmt_double() finds its digits, for v = f * 2^e with -120 <= e < 0
 * (non-integral magnitudes from about 3.4e-21 up to 2^52), with the
 * Schubfach method of Giulietti (2020): v and its rounding interval are
 * scaled by the power of ten that makes the interval between 1 and 10
 * wide, with exact 192-bit products, and the shortest decimal in it is
 * then one of four candidates.  The interval is closed when the
 * significand is even, because strtod rounds a halfway decimal to the even
 * significand.  Integral values below 2^53 are written as integers, which
 * are then their own shortest form.  Everything else (tiny, subnormal and
 * huge magnitudes) is rare in ci's data and goes through snprintf and
 * strtod.
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

/* 10^0 to 10^19, every power of ten below 2^64. */
static const uint64_t pow10_64[20] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
	10000000, 100000000, 1000000000, 10000000000ULL, 100000000000ULL,
	1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
	1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
	1000000000000000000ULL, 10000000000000000000ULL };

/* The smallest e for which the fast path's 128-bit quantities cannot
 * overflow: s = 2^(2 - e) must leave four bits for the product by ten. */
#define FAST_MIN_EXP (-120)

/*
 * A shortest digit string has at most 17 digits.  layout() copies 17
 * bytes from wherever they start, which shortest_fast() puts as far as
 * 16 bytes in; this leaves room for both.
 */
#define DIGITS_MAX 40

/*
 * The number of decimal digits of u: the bit length times log10(2) (1233 /
 * 4096, a shade over) is the number of digits of the next power of two
 * less one, or that of u itself; one comparison settles which.  u | 1
 * counts 0 as one digit and changes nothing else, powers of ten above 1
 * being even.
 */
static inline size_t
ndigits(uint64_t u)
{
	unsigned t = (unsigned)(64 - __builtin_clzll(u | 1)) * 1233 >> 12;

	return t + ((u | 1) >= pow10_64[t]);
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

/* 10^m for 0 <= m <= 38, exactly: 10^38 < 2^128. */
static inline unsigned __int128
pow10_wide(int m)
{
	return m <= 19 ? pow10_64[m]
	               : (unsigned __int128)pow10_64[m - 19] * pow10_64[19];
}

/*
 * (x * p) / 2^r rounded to odd: the quotient's integer part with its
 * lowest bit set when anything was cut off.  x * p < 2^192, 1 <= r < 128
 * and the quotient below 2^64.  Rounding to odd keeps, in the integer,
 * whether an even number (the candidates below are multiples of 4) lies
 * below, on or above the exact quotient.
 */
static uint64_t
mul_shift_odd(uint64_t x, unsigned __int128 p, unsigned r)
{
	unsigned __int128 lo = (unsigned __int128)x * (uint64_t)p;
	unsigned __int128 hi =
	    (unsigned __int128)x * (uint64_t)(p >> 64) + (lo >> 64);
	uint64_t w0 = (uint64_t)lo, q, cut;

	/* x * p is hi * 2^64 + w0. */
	if (r < 64) {
		q = (uint64_t)(hi << (64 - r)) | w0 >> r;
		cut = w0 << (64 - r);
	} else {
		q = (uint64_t)(hi >> (r - 64));
		cut = w0 | ((uint64_t)hi & (((uint64_t)1 << (r - 64)) - 1));
	}
	return q | (cut != 0);
}

/*
 * The shortest digits of c * 2^q (c a normal significand, FAST_MIN_EXP <=
 * q < 0, not an integer), by the method of Giulietti (2020), "The Schubfach
 * way to render doubles", with exact products in place of its 126-bit
 * approximations of powers of ten: here q needs only 10^1 to 10^37.
 *
 * With 10^m the least power of ten for which the rounding interval of v,
 * scaled by 10^m, is at least 1 wide (so less than 10), the interval holds
 * at most one multiple of 10, which is then the shortest, and else its
 * integers nearest v * 10^m, floor and floor + 1, are the candidates; of
 * two inside, the nearer wins, and on a tie the even one.  Everything is
 * counted in quarters, so the interval's ends (v plus or minus half a gap)
 * are integers too before scaling.  The interval is closed when c is even,
 * because strtod rounds a halfway decimal to the even significand; above
 * a power of two (c = 2^52) the gap below is half the gap above.
 *
 * Writes the digits to dig, ending 17 bytes in, and returns where they
 * start, with their number in *n; the value is 0.digits * 10^*k.
 */
static const char *
shortest_fast(uint64_t c, int q, char *dig, int *n, int *k)
{
	bool              pow2 = c == (uint64_t)1 << 52;
	uint64_t          cb = c << 2, cbl = cb - (pow2 ? 1 : 2), cbr = cb + 2;
	uint64_t          out = c & 1, vb, vbl, vbr, s, t, d, hi;
	unsigned          r = (unsigned)-q;
	unsigned __int128 p;
	int               z = 0, m;
	bool              lo_in, hi_in;

	/*
	 * The least m with 10^m (cbr - cbl) / 4 >= 2^r: 10^m >= 2^r, so m is
	 * r log10(2) rounded up, or above a power of two 3 * 10^m >= 4 * 2^r,
	 * r log10(2) + log10(4/3) rounded up.  With log10(2) as 78913 / 2^18
	 * and log10(4/3) as 32753 / 2^18 both are exact for 1 <= r <= 120,
	 * which was checked for each r with exact integers.
	 */
	m = (int)((r * 78913 + (pow2 ? 32753 : 0)) >> 18) + 1;
	p = pow10_wide(m);
	vb = mul_shift_odd(cb, p, r);
	vbl = mul_shift_odd(cbl, p, r);
	vbr = mul_shift_odd(cbr, p, r);
	s = vb >> 2;
	/* The multiples of 10 around v, d and d + 10; then s and s + 1. */
	d = s / 10 * 10;
	lo_in = vbl + out <= d << 2;
	hi_in = ((d + 10) << 2) + out <= vbr;
	if (lo_in != hi_in) {
		d = lo_in ? d : d + 10;
	} else {
		t = s + 1;
		lo_in = vbl + out <= s << 2;
		hi_in = (t << 2) + out <= vbr;
		if (lo_in != hi_in)
			d = lo_in ? s : t;
		else if (vb < (s + t) << 1 ||
		    (vb == (s + t) << 1 && (s & 1) == 0))
			d = s;
		else
			d = t;
	}
	/* d < 2^53 * 10 < 10^17, its trailing zeros dropped. */
	while (d % 10 == 0) {
		d /= 10;
		z++;
	}
	*n = (int)ndigits(d);
	*k = *n + z - m;
	hi = d / 100000000;
	dig[0] = (char)('0' + hi / 100000000);
	put8(dig + 1, (uint32_t)(hi % 100000000));
	put8(dig + 9, (uint32_t)(d % 100000000));
	return dig + 17 - *n;
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
	char        buf[DIGITS_MAX];
	const char *dig = buf;
	uint64_t    bits, frac, f;
	bool        neg;
	int         be, e, n, k;

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
		dig = shortest_fast(f, e, buf, &n, &k);
	else
		n = shortest_slow(fabs(v), frac == 0, buf, &k);
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
	x = (unsigned __int128)f * pow10_64[nd];
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
	ip = (uint64_t)(q / pow10_64[nd]);
	fp = (uint64_t)(q % pow10_64[nd]);
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
