/*
 * textnorm: NFKC clean-up of free text, names and vocabulary words.
 *
 * It runs per field on millions of rows, so it has a fast path: pure
 * ASCII text is handled here byte by byte (NFKC and case folding leave
 * ASCII as it is, apart from upper-case letters under folding) and only
 * text with other characters goes through utf8proc.  Short texts are
 * normalised in a buffer on the stack, so the common case allocates
 * nothing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "swar.h"
#include "textnorm.h"
#include "utf8.h"
#include "xalloc.h"

/* Code points normalised without a heap allocation. */
#define STACK_CPS 256

enum mode { MODE_TEXT, MODE_NAME, MODE_FOLD };

/* A code point the cleaned text separates words with. */
static bool
is_space(int32_t c)
{
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return true;
	if (c < 0x80)
		return false;
	return c == 0x85 || c == 0x2028 || c == 0x2029 ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/*
 * A code point the cleaned text drops: control characters and the two
 * invisible characters that copy-and-paste leaves in names and keys.
 */
static bool
is_dropped(int32_t c)
{
	if (c < 0x80)
		return c < 0x20 || c == 0x7F;
	return c == 0xFEFF || c == 0x200B ||
	    utf8proc_category(c) == UTF8PROC_CATEGORY_CC;
}

/*
 * A code point of the scripts whose names are written without spaces: Han
 * ideographs, kana and Hangul syllables.
 */
static bool
is_cjk(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || /* CJK Unified Ideographs */
	    (c >= 0x3400 && c <= 0x4DBF) ||    /* extension A */
	    (c >= 0x3040 && c <= 0x30FF) ||    /* Hiragana, Katakana */
	    (c >= 0x31F0 && c <= 0x31FF) ||    /* Katakana extensions */
	    (c >= 0xAC00 && c <= 0xD7AF) ||    /* Hangul syllables */
	    (c >= 0xF900 && c <= 0xFAFF) ||    /* compatibility ideographs */
	    (c >= 0x20000 && c <= 0x2A6DF) ||  /* extension B */
	    (c >= 0x2A700 && c <= 0x2EE5F) ||  /* extensions C to F and I */
	    (c >= 0x30000 && c <= 0x323AF);    /* extensions G and H */
}

/* True when some byte of w is an ASCII capital (all bytes below 0x80). */
static bool
has_upper(uint64_t w)
{
	/* Bytes >= 'A' and < 'Z' + 1: (w + (0x80 - 'A')) and its complement
	 * test, per Hacker's Delight 6-1, applied bytewise. */
	uint64_t ge_a = (w + SWAR_ONES * (0x80 - 'A')) & SWAR_HIGH;
	uint64_t gt_z = (w + SWAR_ONES * (0x80 - 'Z' - 1)) & SWAR_HIGH;

	return (ge_a & ~gt_z) != 0;
}

/*
 * The length of the prefix of the ASCII text at s that normalisation keeps
 * as it is: printable characters and single spaces between them (and, for
 * folding, no upper-case letter).  It stops at the first byte that is not
 * ASCII, too.
 */
static size_t
clean_prefix(const unsigned char *s, size_t len, bool fold)
{
	size_t   i = 0;
	uint64_t w;

	if (len > 0 && s[0] == ' ')
		return 0;
	/*
	 * Words of eight printable characters without spaces (identifiers,
	 * codes) pass eight at a time: no byte below '!', none with the high
	 * bit, no DEL and, when folding, no upper-case letter.
	 */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((swar_lt(w, '!') | (w & SWAR_HIGH) | swar_eq(w, 0x7F)) !=
		        0 ||
		    (fold && has_upper(w)))
			break;
	}
	for (; i < len; i++) {
		unsigned char c = s[i];

		if (c == ' ') {
			if (i + 1 == len || s[i + 1] <= ' ' || s[i + 1] >= 0x7F)
				return i;
		} else if (c < 0x21 || c >= 0x7F ||
		    (fold && (unsigned)(c - 'A') < 26)) {
			return i;
		}
	}
	return len;
}

/*
 * Normalise ASCII text into out.  Returns false, with out as it was, when
 * the text turns out to hold a byte beyond ASCII.
 */
static bool
norm_ascii(const char *s, size_t len, struct buf *out, enum mode m)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               start = out->len, i;
	bool                 fold = m == MODE_FOLD, space = false;
	char                *d;

	i = clean_prefix(p, len, fold);
	buf_add(out, s, i);
	if (i == len)
		return true;
	buf_grow(out, len - i);
	d = out->data + out->len;
	for (; i < len; i++) {
		unsigned char c = p[i];

		if (c >= 0x80) {
			out->len = start;
			out->data[start] = '\0';
			return false;
		}
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			space = true;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			continue;
		if (space && d != out->data + start)
			*d++ = ' ';
		space = false;
		if (fold && (unsigned)(c - 'A') < 26)
			c = (unsigned char)(c - 'A' + 'a');
		*d++ = (char)c;
	}
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
	return true;
}

/*
 * Append the code points cp[0..n-1] (already NFKC) to out, dropping control
 * characters and collapsing white space as the mode asks.
 */
static void
put_cps(const int32_t *cp, size_t n, struct buf *out, enum mode m)
{
	size_t   start = out->len, i;
	int32_t  prev = 0;
	bool     space = false;
	uint8_t *d;

	/*
	 * A code point takes at most 4 bytes, and a space stands for at least
	 * one white-space code point, so 4 bytes per code point are enough;
	 * cp is an array of n int32_t, so the product cannot overflow.
	 */
	buf_grow(out, n * 4);
	d = (uint8_t *)out->data + out->len;
	for (i = 0; i < n; i++) {
		int32_t c = cp[i];

		if (is_space(c)) {
			space = true;
			continue;
		}
		if (is_dropped(c))
			continue;
		if (space && (uint8_t *)out->data + start != d &&
		    !(m == MODE_NAME && is_cjk(prev) && is_cjk(c)))
			*d++ = ' ';
		space = false;
		d += utf8proc_encode_char(c, d);
		prev = c;
	}
	out->len = (size_t)(d - (uint8_t *)out->data);
	out->data[out->len] = '\0';
}

/*
 * True for a code point that NFKC leaves as it is, whatever surrounds it,
 * when all around it are such too: ASCII, the CJK ideographs of the
 * unified block and extension A, the ideographic comma and full stop, the
 * CJK brackets and the curly quotation marks.  None has a decomposition
 * or composes with another of them; a text of nothing else (most Chinese
 * text) needs no trip through utf8proc.  The full-width forms of ASCII
 * (U+FF01..U+FF5E) and the ideographic space are as good: NFKC makes
 * them the ASCII character, whatever surrounds them (inert_cps() does).
 */
static bool
nfkc_inert(int32_t c)
{
	return c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF) ||
	    (c >= 0x3400 && c <= 0x4DBF) || c == 0x3001 || c == 0x3002 ||
	    (c >= 0x3008 && c <= 0x3011) || (c >= 0x2018 && c <= 0x201F);
}

/*
 * The code points of the valid UTF-8 text at s into cp (room for max),
 * when all are NFKC-inert and fit; else -1.
 */
static utf8proc_ssize_t
inert_cps(const char *s, size_t len, int32_t *cp, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t               i = 0, n = 0;
	int32_t              c;

	if (len > max || !utf8_valid(s, len, NULL))
		return -1;
	while (i < len) {
		c = u[i];
		if (c < 0x80) {
			i++;
		} else if (c < 0xE0) {
			c = (c & 0x1F) << 6 | (u[i + 1] & 0x3F);
			i += 2;
		} else if (c < 0xF0) {
			c = (c & 0x0F) << 12 | (u[i + 1] & 0x3F) << 6 |
			    (u[i + 2] & 0x3F);
			i += 3;
		} else {
			return -1;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		else if (c == 0x3000)
			c = ' ';
		else if (!nfkc_inert(c))
			return -1;
		cp[n++] = c;
	}
	return (utf8proc_ssize_t)n;
}

static int
norm(const char *s, size_t len, struct buf *out, enum mode m)
{
	int32_t           stack[STACK_CPS], *cp = stack;
	utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | (m == MODE_FOLD ? UTF8PROC_CASEFOLD : 0);
	utf8proc_ssize_t n;

	if (norm_ascii(s, len, out, m))
		return 0;
	if (len > (size_t)PTRDIFF_MAX)
		return -1;
	if (m != MODE_FOLD && (n = inert_cps(s, len, cp, STACK_CPS)) >= 0) {
		put_cps(cp, (size_t)n, out, m);
		return 0;
	}
	/*
	 * This is what utf8proc_map() does, less its allocation when the
	 * text fits in the stack buffer: decompose (utf8proc also checks the
	 * UTF-8 here), then compose in place.
	 */
	n = utf8proc_decompose(
	    (const uint8_t *)s, (utf8proc_ssize_t)len, cp, STACK_CPS, opt);
	if (n > STACK_CPS) {
		cp = xreallocarray(NULL, (size_t)n, sizeof(*cp));
		n = utf8proc_decompose(
		    (const uint8_t *)s, (utf8proc_ssize_t)len, cp, n, opt);
	}
	if (n >= 0)
		n = utf8proc_normalize_utf32(cp, n, opt);
	if (n >= 0)
		put_cps(cp, (size_t)n, out, m);
	if (cp != stack)
		free(cp);
	return n >= 0 ? 0 : -1;
}

bool
textnorm_is_clean(const char *s, size_t len)
{
	return clean_prefix((const unsigned char *)s, len, false) == len;
}

int
textnorm_text(const char *s, size_t len, struct buf *out)
{
	return norm(s, len, out, MODE_TEXT);
}

int
textnorm_name(const char *s, size_t len, struct buf *out)
{
	return norm(s, len, out, MODE_NAME);
}

int
textnorm_fold(const char *s, size_t len, struct buf *out)
{
	return norm(s, len, out, MODE_FOLD);
}
