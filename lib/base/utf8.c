/*
 * utf8: validation by the rules of RFC 3629 (no overlong forms, no
 * surrogates, nothing beyond U+10FFFF), with runs of ASCII skipped eight
 * bytes at a time.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* The mask of the high bits of eight bytes. */
#define HIGH_BITS UINT64_C(0x8080808080808080)

/*
 * The length of the well-formed sequence (Unicode table 3-7) that starts at
 * p[0] with n bytes available, or 0 when there is none.
 */
static size_t
seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t        k, i;

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0; /* continuation, overlong lead or beyond U+10FFFF */
	if (c < 0xE0) {
		k = 2;
	} else if (c < 0xF0) {
		k = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else {
		k = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF */
	}
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return k;
}

bool
utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               i = 0, k;
	uint64_t             w;

	while (i < len) {
		if (p[i] < 0x80) {
			while (len - i >= 8) {
				memcpy(&w, p + i, 8);
				if (w & HIGH_BITS)
					break;
				i += 8;
			}
			while (i < len && p[i] < 0x80)
				i++;
			continue;
		}
		k = seq_len(p + i, len - i);
		if (k == 0) {
			if (bad != NULL)
				*bad = i;
			return false;
		}
		i += k;
	}
	return true;
}

size_t
utf8_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               i, n = 0;

	for (i = 0; i < len; i++)
		n += (p[i] & 0xC0) != 0x80;
	return n;
}
