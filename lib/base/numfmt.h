/*
 * numfmt: the one number formatter.  Every number ci writes, in CSV, NDJSON
 * and model JSON alike, goes through here, so output is the same on every
 * machine and in every locale.
 *
 * Doubles are written as the shortest decimal string that reads back (with
 * strtod) as exactly the same double; among shortest strings the one
 * nearest the value is chosen, and of two equally near the one with the
 * even last digit, as printf rounds ("1000000000000000.2" for the double
 * 1e15 + 0.25).  Plain notation ("0.001", "1234.5", "-7") is used for
 * magnitudes in [1e-6, 1e21); outside it the exponent form "1.5e-07",
 * "2e+21" (C's %g style).  Integral values in plain notation have no
 * decimal point.
 */
#ifndef CI_NUMFMT_H
#define CI_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Room for any number numfmt writes, with its terminating NUL.  The
 * functions may write anywhere in the NUMFMT_MAX bytes at dst, past the
 * NUL too (fixed-size copies are faster than exact ones).
 */
#define NUMFMT_MAX 40

/*
 * Write v to dst (at least NUMFMT_MAX bytes) with its NUL and return its
 * length.  NaN and infinities are written as "" (length 0): in ci's
 * outputs an undefined number is an empty field.  Negative zero is "0".
 */
size_t numfmt_double(char *dst, double v);

/* Write v in decimal to dst (at least NUMFMT_MAX bytes); return its length. */
size_t numfmt_int(char *dst, int64_t v);

/*
 * v rounded to digits significant digits (1 to 17), then written as
 * numfmt_double() writes that: "0.3" for 0.30000000000000004 at 4
 * digits, "1235000" for 1234567.  digits 0 is numfmt_double() itself.
 */
size_t numfmt_double_digits(char *dst, double v, int digits);

/*
 * Write v rounded to ndigits decimals (0..9), half away from zero, then
 * with trailing fractional zeros removed ("2.50" -> "2.5", "3.00" -> "3"),
 * to dst (at least NUMFMT_MAX bytes); return its length.  The exact binary
 * value is rounded, so 2.675 (2.67499999999999982...) gives "2.67" and
 * only a true tie such as 0.125 goes away from zero ("0.13").  ndigits
 * outside 0..9 counts as the nearer end.  A result of zero is "0", never
 * "-0".  Magnitudes of 2^53 and more, all whole numbers, are written as
 * numfmt_double() writes them ("1e+22").  For display columns; NaN and
 * infinities give "".
 */
size_t numfmt_fixed(char *dst, double v, int ndigits);

/*
 * Read the len bytes at s (not necessarily NUL-terminated) as a decimal
 * number: an optional sign, digits with an optional point, an optional
 * exponent, all of the bytes and nothing else (no blanks, hexadecimal,
 * infinity or NaN).  Returns true with *v set to the nearest double; false
 * when s is not such a number or its magnitude overflows.
 */
bool numfmt_parse(const char *s, size_t len, double *v);

#endif
