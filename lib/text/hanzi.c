/*
 * hanzi: binary search in the Unihan tables of build/gen/unihan-tab.h,
 * which scripts/gen-unihan writes sorted by code point (the order of the
 * Unihan files).  kMandarin lists the most usual reading first; only that
 * one is kept, so a character read two ways (单: dan, shan) gets the
 * first.
 */
#include <stddef.h>

#include "hanzi.h"

struct unihan_reading {
	uint32_t cp;
	uint16_t syllable;
};

struct unihan_variant {
	uint32_t traditional;
	uint32_t simplified;
};

#include "unihan-tab.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

bool
hanzi_is_han(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2a6df) ||
	    (c >= 0x2a700 && c <= 0x2ee5f) || (c >= 0x30000 && c <= 0x323af);
}

uint32_t
hanzi_simplified(uint32_t cp)
{
	size_t lo = 0, hi = NELEM(unihan_simplified), mid;

	if (!hanzi_is_han(cp))
		return cp;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (unihan_simplified[mid].traditional < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < NELEM(unihan_simplified) &&
	    unihan_simplified[lo].traditional == cp)
		return unihan_simplified[lo].simplified;
	return cp;
}

const char *
hanzi_pinyin(uint32_t cp)
{
	size_t lo = 0, hi = NELEM(unihan_reading), mid;

	if (!hanzi_is_han(cp))
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (unihan_reading[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < NELEM(unihan_reading) && unihan_reading[lo].cp == cp)
		return unihan_syllable[unihan_reading[lo].syllable];
	return NULL;
}
