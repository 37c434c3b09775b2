/*
 * swar: byte searches eight bytes at a time in a 64-bit word ("SIMD within
 * a register"), for the scans every row goes through: splitting a line at
 * its delimiters and checking a field for bytes that need CSV quotes.
 *
 * The zero-byte test is the classic one (Mycroft; Hacker's Delight 6-1):
 * (x - 0x01..01) & ~x & 0x80..80 is non-zero exactly when some byte of x
 * is zero, and its lowest set bit marks the first such byte (bits above it
 * may be false alarms, which the callers never use).
 */
#ifndef CI_SWAR_H
#define CI_SWAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGH UINT64_C(0x8080808080808080)

/* Marks the bytes of w equal to c (lowest mark exact). */
static inline uint64_t
swar_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (SWAR_ONES * c);

	return (x - SWAR_ONES) & ~x & SWAR_HIGH;
}

/*
 * Marks exactly the bytes of w equal to c, every mark true: a byte's low
 * seven bits plus 0x7f carry into its high bit unless they are all zero,
 * and no carry crosses into the next byte.  A few more steps than
 * swar_eq(), for a caller that walks every mark.
 */
static inline uint64_t
swar_eq_all(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (SWAR_ONES * c);
	uint64_t t = (x & ~SWAR_HIGH) + ~SWAR_HIGH;

	return ~(t | x | ~SWAR_HIGH);
}

/* Marks the bytes of w below n, for n <= 128 (lowest mark exact). */
static inline uint64_t
swar_lt(uint64_t w, unsigned char n)
{
	return (w - SWAR_ONES * n) & ~w & SWAR_HIGH;
}

/* The offset of the first byte of s[0..len) equal to a or b, or len. */
static inline size_t
swar_find2(const char *s, size_t len, unsigned char a, unsigned char b)
{
	size_t   i = 0;
	uint64_t w, m;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		m = swar_eq(w, a) | swar_eq(w, b);
		if (m != 0)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] == a || (unsigned char)s[i] == b)
			return i;
	return len;
}

/* The offset of the first byte of s[0..len) below n (n <= 128), or len. */
static inline size_t
swar_find_lt(const char *s, size_t len, unsigned char n)
{
	size_t   i = 0;
	uint64_t w, m;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		m = swar_lt(w, n);
		if (m != 0)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] < n)
			return i;
	return len;
}

#endif
