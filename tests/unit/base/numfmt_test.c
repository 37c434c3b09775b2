/*
 * tests/unit/base/numfmt_test.c: the number formatter.  Fixed cases pin the
 * notation (plain or exponent form, "-0", NaN), the shortest digits of
 * well-known doubles and the rounding of numfmt_fixed(); a randomised run
 * over more than two million doubles checks the round-trip, shortest and
 * nearest properties against snprintf and strtod.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "numfmt.h"

/* xorshift64* (Vigna 2016) with a fixed seed, so every run is the same. */
struct xs {
	uint64_t s;
};

static uint64_t
xs_next(struct xs *x)
{
	x->s ^= x->s >> 12;
	x->s ^= x->s << 25;
	x->s ^= x->s >> 27;
	return x->s * 0x2545F4914F6CDD1DULL;
}

static double
from_bits(uint64_t b)
{
	double v;

	memcpy(&v, &b, sizeof(v));
	return v;
}

static void
dbl(double v, const char *want)
{
	char   got[NUMFMT_MAX];
	size_t n = numfmt_double(got, v);

	if (!ok(strcmp(got, want) == 0 && n == strlen(want),
	        "numfmt_double(%.17g) is '%s'", v, want))
		diag("  got '%s' (length %zu)", got, n);
}

static void
fixed(double v, int nd, const char *want)
{
	char   got[NUMFMT_MAX];
	size_t n = numfmt_fixed(got, v, nd);

	if (!ok(strcmp(got, want) == 0 && n == strlen(want),
	        "numfmt_fixed(%.17g, %d) is '%s'", v, nd, want))
		diag("  got '%s' (length %zu)", got, n);
}

static void
integer(int64_t v, const char *want)
{
	char   got[NUMFMT_MAX];
	size_t n = numfmt_int(got, v);

	if (!ok(strcmp(got, want) == 0 && n == strlen(want),
	        "numfmt_int(%lld) is '%s'", (long long)v, want))
		diag("  got '%s' (length %zu)", got, n);
}

/*
 * The significant digits of a decimal string s (sign, point, exponent and
 * leading and trailing zeros dropped) into d; returns their number.
 */
static int
sigdigits(const char *s, char *d)
{
	int n = 0;

	for (; *s != '\0' && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0'))
			d[n++] = *s;
	while (n > 0 && d[n - 1] == '0')
		n--;
	d[n] = '\0';
	return n;
}

/* Whether "%.{p}g" of v, written to out, reads back as v. */
static bool
g_reads_back(double v, int p, char *out, size_t size)
{
	snprintf(out, size, "%.*g", p < 17 ? p : 17, v);
	return strtod(out, NULL) == v;
}

/* The smallest p from 1 to 17 for which "%.{p}g" reads back as v. */
static int
printf_shortest(double v, char *out, size_t size)
{
	int p;

	for (p = 1; p < 17; p++)
		if (g_reads_back(v, p, out, size))
			return p;
	snprintf(out, size, "%.17g", v);
	return 17;
}

/* The usual cheaper loop: "%.15g", then "%.16g", then "%.17g". */
static int
printf_15_17(double v, char *out, size_t size)
{
	int p;

	for (p = 15; p < 17; p++)
		if (g_reads_back(v, p, out, size))
			return p;
	snprintf(out, size, "%.17g", v);
	return 17;
}

struct tally {
	long n;         /* finite numbers checked */
	long nonfinite; /* NaN or infinity, which must give "" */
	long badfinite; /* a non-finite value that did not give "" */
	long roundtrip; /* output did not read back as v */
	long longer;    /* more digits than the shortest %g */
	long shorter;   /* fewer digits than the shortest %g */
	long farther;   /* as short as %g but other digits */
	long notation;  /* plain or exponent form on the wrong side */
};

/*
 * Check numfmt_double(v) against snprintf, which writes the decimal of p
 * digits nearest to v.  When v's significand is not a power of two its
 * rounding interval is symmetric, so if the nearest p-digit decimal reads
 * back then so does the nearest (p+1)-digit one, which is no farther: the
 * output of n digits is then the shortest exactly when "%.{n-1}g" does not
 * read back, and it is the nearest when it equals "%.{n}g".  Only above a
 * power of two, where the interval is wider on top, can a decimal read
 * back when the nearest of its length does not; there every p below n is
 * tried and a result shorter than any %g is counted, not failed.
 */
static void
check_one(struct tally *t, double v)
{
	char     out[NUMFMT_MAX + 8], ref[48], d1[32], d2[32];
	size_t   n = numfmt_double(out, v);
	uint64_t bits;
	bool     pow2, expo, want_expo;
	int      n1, p;

	if (!isfinite(v)) {
		t->nonfinite++;
		if (n != 0 || out[0] != '\0')
			t->badfinite++;
		return;
	}
	t->n++;
	if (n != strlen(out) || n >= NUMFMT_MAX || strtod(out, NULL) != v) {
		if (++t->roundtrip <= 5)
			diag("  %a: '%s' does not read back", v, out);
		return;
	}
	if (v == 0)
		return;
	memcpy(&bits, &v, sizeof(bits));
	pow2 = (bits & 0xfffffffffffffULL) == 0;
	n1 = sigdigits(out, d1);
	for (p = pow2 ? 1 : n1 - 1; p >= 1 && p < n1; p++)
		if (g_reads_back(v, p, ref, sizeof(ref)))
			break;
	if (p >= 1 && p < n1) {
		if (++t->longer <= 5)
			diag("  %a: '%s' is longer than '%s'", v, out, ref);
	} else if (!g_reads_back(v, n1, ref, sizeof(ref)) && pow2) {
		t->shorter++;
	} else if (sigdigits(ref, d2) != n1 || strcmp(d1, d2) != 0) {
		if (++t->farther <= 5)
			diag("  %a: '%s' is not the nearest, '%s' is", v, out,
			    ref);
	}
	expo = strchr(out, 'e') != NULL;
	want_expo = fabs(v) < 1e-6 || fabs(v) >= 1e21;
	if (expo != want_expo && ++t->notation <= 5)
		diag("  %a: '%s' is in the wrong notation", v, out);
}

/* Four assertions on one tally: each can fail on its own. */
static void
report(const struct tally *t, const char *what)
{
	diag("%s: %ld finite, %ld non-finite, %ld shorter than %%g", what, t->n,
	    t->nonfinite, t->shorter);
	ok(t->roundtrip == 0 && t->badfinite == 0,
	    "%s: every output reads back exactly (%ld bad)", what,
	    t->roundtrip + t->badfinite);
	ok(t->longer == 0, "%s: never longer than the shortest %%g (%ld)", what,
	    t->longer);
	ok(t->farther == 0, "%s: the nearest of the shortest (%ld not)", what,
	    t->farther);
	ok(t->notation == 0,
	    "%s: exponent form exactly outside [1e-6, 1e21) "
	    "(%ld not)",
	    what, t->notation);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * Time numfmt_double against the snprintf-and-strtod loops it replaces, on
 * typical values: the exact one (1 to 17 digits) and the usual cheaper one
 * (15, 16, 17 digits, not always the shortest).  Only reported: timing is
 * no pass or fail criterion.
 */
static void
bench(struct xs *x)
{
	enum { N = 100000 };
	static double v[N];
	char          out[48];
	size_t        i, sum = 0;
	double        t0, t1, t2, t3, ours;

	for (i = 0; i < N; i++) {
		uint64_t r = xs_next(x);

		if (i % 3 == 0)
			v[i] = (double)(r % 10000000) / 7;
		else if (i % 3 == 1)
			v[i] = (double)(r % 1000000000) / 100;
		else
			v[i] = (double)(r >> 11) * 0x1p-53 * 1e6;
	}
	t0 = now_ns();
	for (i = 0; i < N; i++)
		sum += numfmt_double(out, v[i]);
	t1 = now_ns();
	for (i = 0; i < N; i++)
		sum += (size_t)printf_shortest(v[i], out, sizeof(out));
	t2 = now_ns();
	for (i = 0; i < N; i++)
		sum += (size_t)printf_15_17(v[i], out, sizeof(out));
	t3 = now_ns();
	ours = (t1 - t0) / N;
	diag("speed: numfmt_double %.1f ns/number; snprintf loop 1..17 %.1f "
	     "ns (x%.1f), 15..17 %.1f ns (x%.1f) (checksum %zu)",
	    ours, (t2 - t1) / N, (t2 - t1) / N / ours, (t3 - t2) / N,
	    (t3 - t2) / N / ours, sum);
}

int
main(void)
{
	struct xs    x = { 0x9E3779B97F4A7C15ULL };
	struct tally t;
	long         i;
	int          b;

	plan(116);

	/* Plain notation, and the shortest digits of familiar doubles. */
	dbl(0.1, "0.1");
	dbl(0.3, "0.3");
	dbl(0.1 + 0.2, "0.30000000000000004");
	dbl(1.0 / 3, "0.3333333333333333");
	dbl(2.0 / 3, "0.6666666666666666");
	dbl(100.0 / 3, "33.333333333333336");
	dbl(30.428571428571427, "30.428571428571427");
	dbl(1234.5, "1234.5");
	dbl(-1234.5, "-1234.5");
	dbl(0.001, "0.001");
	dbl(0.5, "0.5");
	dbl(0.0009765625, "0.0009765625");             /* 2^-10, exact */
	dbl(4503599627370495.5, "4503599627370495.5"); /* 2^52 - 1/2 */
	/* 1e15 + 0.3 is 1e15 + 1/4: ".2" and ".3" both read back and are
	 * equally near, and the even digit wins as in printf. */
	dbl(1e15 + 0.3, "1000000000000000.2");
	dbl(5e-5, "0.00005");

	/* Integers, including the edges of exact integers in a double. */
	dbl(0.0, "0");
	dbl(-0.0, "0");
	dbl(100, "100");
	dbl(-7, "-7");
	dbl(9007199254740991.0, "9007199254740991");       /* 2^53 - 1 */
	dbl(9007199254740992.0, "9007199254740992");       /* 2^53 */
	dbl(9007199254740994.0, "9007199254740994");       /* 2^53 + 2 */
	dbl(1152921504606846976.0, "1152921504606847000"); /* 2^60 */
	dbl(123456789012345680000.0, "123456789012345680000");
	dbl(1e20, "100000000000000000000");
	dbl(9.999999999999999e20, "999999999999999900000");

	/* The edges of plain notation, and the exponent form. */
	dbl(1e21, "1e+21");
	dbl(2e21, "2e+21");
	dbl(1e23, "1e+23");
	dbl(1e-6, "0.000001");
	dbl(1.234e-6, "0.000001234");
	dbl(9.999999999999997e-07, "9.999999999999997e-07"); /* below 1e-6 */
	dbl(1e-7, "1e-07");
	dbl(1.5e-7, "1.5e-07");
	dbl(-1.5e-7, "-1.5e-07");
	dbl(1e-300, "1e-300");
	dbl(5e-324, "5e-324");
	dbl(1.5e-323, "1.5e-323");
	dbl(DBL_MIN, "2.2250738585072014e-308");
	dbl(DBL_MAX, "1.7976931348623157e+308");
	dbl(-DBL_MAX, "-1.7976931348623157e+308");
	/*
	 * Powers of two whose shortest form lies in the wider upper half of
	 * their interval, where "%.16g" is nearer but does not read back: in
	 * the fast range (2^-44, 2^-24) and beyond it (2^89, 2^-1017).  2^-70
	 * is just past the fast range.
	 */
	dbl(0x1p-44, "5.684341886080802e-14");
	dbl(0x1p-24, "5.960464477539063e-08");
	dbl(0x1p89, "6.189700196426902e+26");
	dbl(0x1p-1017, "7.120236347223045e-307");
	dbl(0x1p-70, "8.470329472543003e-22");

	/* Undefined numbers are empty fields. */
	dbl(NAN, "");
	dbl(INFINITY, "");
	dbl(-INFINITY, "");

	integer(0, "0");
	integer(7, "7");
	integer(-10, "-10");
	integer(1234567890123LL, "1234567890123");
	integer(INT64_MAX, "9223372036854775807");
	integer(INT64_MIN, "-9223372036854775808");

	/* numfmt_fixed rounds the exact binary value, half away from zero. */
	fixed(2.675, 2, "2.67"); /* 2.67499999999999982236431605997495... */
	fixed(1.005, 2, "1");    /* 1.00499999999999989341858963598497... */
	fixed(99.995, 2, "100"); /* 99.99500000000000454747350886464... */
	fixed(1.45, 1, "1.4");   /* 1.44999999999999995559107901499373... */
	fixed(0.125, 2, "0.13"); /* an exact tie */
	fixed(-0.125, 2, "-0.13");
	fixed(2.5, 0, "3");
	fixed(-2.5, 0, "-3");
	fixed(0.5, 0, "1");
	fixed(2.5, 2, "2.5");
	fixed(3.0, 2, "3");
	fixed(0.999, 2, "1");
	fixed(1234.5678, 2, "1234.57");
	fixed(-0.001, 2, "0");
	fixed(-0.0, 3, "0");
	fixed(0.1, 9, "0.1");
	fixed(1.0 / 3, 9, "0.333333333");
	fixed(1.0 / 3, 12, "0.333333333"); /* ndigits is capped at 9 */
	fixed(2.0 / 3, -1, "1");           /* and at least 0 */
	fixed(1e-10, 9, "0");
	fixed(5e-324, 9, "0");
	fixed(0.000000005, 8, "0.00000001"); /* 5.00000000000000010e-9 */
	fixed(9007199254740991.0, 2, "9007199254740991");
	fixed(1e22, 2, "1e+22");
	fixed(NAN, 2, "");
	fixed(-INFINITY, 2, "");

	/* Random bit patterns: every exponent, subnormals, NaN, infinity. */
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 500000; i++)
		check_one(&t, from_bits(xs_next(&x)));
	report(&t, "random bits");

	/* Around the fast path's range and the 2^53 and 1e21 edges. */
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 400000; i++) {
		uint64_t r = xs_next(&x);
		uint64_t be = 1023 - 130 + (r >> 52) % 206;

		check_one(
		    &t, from_bits((r & 0x800fffffffffffffULL) | be << 52));
	}
	report(&t, "near the fast range");

	/*
	 * Every normal power of two and its neighbours.  Above a power of two
	 * the rounding interval is twice as wide as below, and for 46 of them
	 * a 16-digit decimal reads back where the nearest 16-digit one does
	 * not, so the shortest is shorter than any %g: Python's repr (David
	 * Gay's dtoa) finds the same 46, 2^-44 and 2^-24 among them.
	 */
	memset(&t, 0, sizeof(t));
	for (b = 1; b < 2047; b++) {
		check_one(&t, from_bits((uint64_t)b << 52));
		check_one(&t, from_bits(((uint64_t)b << 52) + 1));
		check_one(&t, from_bits(((uint64_t)b << 52) - 1));
	}
	report(&t, "powers of two");
	is_int(t.shorter, 46, "powers of two: 46 shorter than any %%g");

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 400000; i++) {
		uint64_t r = xs_next(&x);

		check_one(&t, (double)(int64_t)(r % 20000000 - 10000000) / 7);
	}
	report(&t, "k/7");

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 400000; i++) {
		uint64_t r = xs_next(&x);

		check_one(
		    &t, (double)(int64_t)(r % 2000000000 - 1000000000) / 100);
	}
	report(&t, "k/100");

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 400000; i++)
		check_one(&t, (double)(xs_next(&x) >> 11) * 0x1p-53 * 1e6);
	report(&t, "uniform [0,1e6)");

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 100000; i++)
		check_one(
		    &t, ldexp((double)(int64_t)xs_next(&x), -(int)(i % 40)));
	report(&t, "int64 / 2^k");

	{
		double v;
		char   longnum[80];

		ok(numfmt_parse("-1.5e3", 6, &v) && v == -1500,
		    "numbers parse");
		ok(numfmt_parse("+.25x", 4, &v) && v == 0.25,
		    "only the len bytes are read");
		ok(!numfmt_parse("0x10", 4, &v) &&
		        !numfmt_parse("inf", 3, &v) &&
		        !numfmt_parse("nan", 3, &v) &&
		        !numfmt_parse(" 1", 2, &v) &&
		        !numfmt_parse("1a", 2, &v) &&
		        !numfmt_parse("1\0", 2, &v) &&
		        !numfmt_parse("", 0, &v) &&
		        !numfmt_parse("1e999", 5, &v),
		    "hexadecimal, infinity, NaN, blanks, trailing text, NUL, "
		    "nothing and overflow do not");
		memset(longnum, '0', sizeof(longnum));
		longnum[1] = '.';
		longnum[79] = '5';
		ok(numfmt_parse(longnum, 80, &v) && v == 5e-78,
		    "a long writing parses");
	}
	{
		/* Short plain decimals take a path of their own: the same
		 * doubles as strtod, signs and zeros included. */
		char   s[32];
		double v, w;
		int    bad = 0, j;

		for (i = 0; i < 200000; i++) {
			uint64_t r = xs_next(&x);
			int nd = 1 + (int)(r % 15), dot = (int)(r >> 8) % 17;
			int n = 0;

			if (r >> 63)
				s[n++] = '-';
			for (j = 0; j < nd; j++) {
				if (j == dot)
					s[n++] = '.';
				s[n++] = (char)('0' + (xs_next(&x) >> 7) % 10);
			}
			s[n] = '\0';
			w = strtod(s, NULL);
			if (!numfmt_parse(s, (size_t)n, &v) || v != w ||
			    signbit(v) != signbit(w))
				bad++;
		}
		is_int(
		    bad, 0, "200000 short decimals read as strtod reads them");
		ok(!numfmt_parse("-", 1, &v) && !numfmt_parse(".", 1, &v) &&
		        !numfmt_parse("1.2.3", 5, &v) &&
		        numfmt_parse("-0", 2, &v) && v == 0 && signbit(v) &&
		        numfmt_parse("7.", 2, &v) && v == 7,
		    "a sign or a point alone, two points, -0 and 7.");
	}
	bench(&x);
	return done_testing();
}
