/*
 * swar_test: the word-at-a-time byte searches against a plain loop.  Every
 * start offset 0..40 (so every alignment of the 8-byte loads), every
 * length 0..40 (so the word loop, the byte tail and both together), the
 * sought byte at each position once and nowhere, over backgrounds of the
 * bytes that trip the zero-byte test's false alarms (the needle with one
 * bit flipped, 0x01, 0x7F, 0x80, 0xFF, ...); and swar_eq_all(), which
 * must mark every equal byte and no other, word by word.  Each buffer is a heap block
 * of exactly offset + length bytes, so that a load past the end is caught
 * under AddressSanitizer.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swar.h"
#include "tap.h"

#define MAXOFF 40
#define MAXLEN 40

static const unsigned char needles[] = { 0x00, 0x80, 0xFF, '"', ',' };

/* A heap block of exactly n bytes (one when n is 0). */
static unsigned char *
block(size_t n)
{
	unsigned char *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

static size_t
naive_find2(
    const unsigned char *s, size_t len, unsigned char a, unsigned char b)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == a || s[i] == b)
			break;
	return i;
}

static size_t
naive_find_lt(const unsigned char *s, size_t len, unsigned char n)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < n)
			break;
	return i;
}

/* Fill s[0..len) with bytes from cand, varied by seed. */
static void
background(unsigned char *s, size_t len, const unsigned char *cand,
    size_t ncand, size_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		s[i] = cand[(i * 5 + seed) % ncand];
}

/* A search to check: swar_find2(a, b) when lt is 0, else swar_find_lt(lt). */
struct search {
	unsigned char a, b, lt;
	bool          is_lt;
};

/*
 * Run the search on s[0..len), where the plain loop must find want (the
 * planted byte, or len); count a disagreement in *bad and show the first.
 */
static void
check(const struct search *q, const unsigned char *s, size_t len, size_t want,
    size_t off, long *bad)
{
	size_t plain, got;

	if (q->is_lt) {
		plain = naive_find_lt(s, len, q->lt);
		got = swar_find_lt((const char *)s, len, q->lt);
	} else {
		plain = naive_find2(s, len, q->a, q->b);
		got = swar_find2((const char *)s, len, q->a, q->b);
	}
	if (plain == want && got == want)
		return;
	if ((*bad)++ == 0)
		diag("  offset %zu, length %zu: want %zu, plain loop %zu, "
		     "swar %zu",
		    off, len, want, plain, got);
}

/*
 * Every offset, length and position for search q: the planted bytes in
 * turn at each position over a background of cand, and nowhere.  Returns
 * the number of disagreements.
 */
static long
sweep(const struct search *q, const unsigned char *cand, size_t ncand,
    const unsigned char *plant, size_t nplant)
{
	size_t off, len, pos, k;
	long   bad = 0;

	for (off = 0; off <= MAXOFF; off++)
		for (len = 0; len <= MAXLEN; len++) {
			unsigned char *blk = block(off + len);
			unsigned char *s = blk + off;

			background(s, len, cand, ncand, off);
			check(q, s, len, len, off, &bad);
			for (pos = 0; pos < len; pos++)
				for (k = 0; k < nplant; k++) {
					background(
					    s, len, cand, ncand, off + pos);
					s[pos] = plant[k];
					/* A later second hit must not win. */
					if (pos + 3 < len)
						s[pos + 3] = plant[0];
					check(q, s, len, pos, off, &bad);
				}
			free(blk);
		}
	return bad;
}

/* swar_find2(a, b): backgrounds near a and b but never equal to them. */
static long
check_find2(unsigned char a, unsigned char b)
{
	const unsigned char near[] = { (unsigned char)(a ^ 0x01),
		(unsigned char)(a ^ 0x80), (unsigned char)(a + 1),
		(unsigned char)(a - 1), (unsigned char)(b ^ 0x01),
		(unsigned char)(b + 1), (unsigned char)(b - 1), 0x00, 0x01,
		0x7F, 0x80, 0x81, 0xFE, 0xFF, '"', ',', 'a' };
	const unsigned char plant[] = { a, b };
	struct search       q = { a, b, 0, false };
	unsigned char       cand[sizeof(near)];
	size_t              i, ncand = 0;

	for (i = 0; i < sizeof(near); i++)
		if (near[i] != a && near[i] != b)
			cand[ncand++] = near[i];
	return sweep(&q, cand, ncand, plant, 2);
}

/*
 * swar_find_lt(n): backgrounds of bytes n and above (n itself, the high
 * bytes), n - 1 and 0 planted.
 */
static long
check_find_lt(unsigned char n)
{
	const unsigned char above[] = { n, (unsigned char)(n + 1), 0x7F, 0x80,
		0x81, 0xFE, 0xFF, '-', 'z', ',', '"', 0x01, 0x00 };
	const unsigned char plant[] = { (unsigned char)(n - 1), 0 };
	struct search       q = { 0, 0, n, true };
	unsigned char       cand[sizeof(above)];
	size_t              i, ncand = 0;

	for (i = 0; i < sizeof(above); i++)
		if (above[i] >= n)
			cand[ncand++] = above[i];
	/* Nothing is below 0: only the searches that find nothing. */
	return sweep(&q, cand, ncand, plant, n > 0 ? 2 : 0);
}

/*
 * swar_eq_all() marks exactly the bytes equal to c: every byte value at
 * every position of a word, over backgrounds of c's near misses, against
 * the plain comparison.  Returns the number of wrong words.
 */
static int
check_eq_all(unsigned char c)
{
	const unsigned char bg[] = { 0x00, 0x01, 0x7F, 0x80, 0xFF,
		(unsigned char)(c ^ 1), (unsigned char)(c ^ 0x80), c };
	unsigned char       b[8];
	uint64_t            w, want, got;
	size_t              k, pos, v;
	int                 bad = 0;

	for (k = 0; k < sizeof(bg); k++)
		for (pos = 0; pos < 8; pos++)
			for (v = 0; v < 256; v++) {
				memset(b, bg[k], 8);
				b[pos] = (unsigned char)v;
				memcpy(&w, b, 8);
				got = swar_eq_all(w, c);
				want = 0;
				for (size_t j = 0; j < 8; j++)
					if (b[j] == c)
						want |= (uint64_t)0x80
						    << (8 * j);
				bad += got != want;
			}
	return bad;
}

int
main(void)
{
	/* find_lt needs n <= 128: 0xFF is no threshold. */
	const unsigned char lt[] = { 0x00, 0x01, '"', ',', '-', 0x7F, 0x80 };
	size_t              i, j;

	plan(25 + 7 + 5 + 4);
	for (i = 0; i < sizeof(needles); i++)
		for (j = 0; j < sizeof(needles); j++)
			is_int(check_find2(needles[i], needles[j]), 0,
			    "swar_find2(%#x, %#x) agrees with the plain loop",
			    needles[i], needles[j]);
	for (i = 0; i < sizeof(lt); i++)
		is_int(check_find_lt(lt[i]), 0,
		    "swar_find_lt(%#x) agrees with the plain loop", lt[i]);

	for (i = 0; i < sizeof(needles); i++)
		is_int(check_eq_all(needles[i]), 0,
		    "swar_eq_all(%#x) marks exactly the bytes equal to it",
		    needles[i]);

	/* Hand-checked cases around the word boundary. */
	is_int(swar_find2("abcdefgh,", 9, ',', '"'), 8,
	    "find2: a hit just past the first word");
	is_int(swar_find2("\x01\x01\x01\x01\x01\x01\x01\x01", 8, 0, 0x80), 8,
	    "find2: 0x01 bytes are not zero bytes");
	is_int(swar_find_lt("--------,", 9, '-'), 8,
	    "find_lt: '-' itself is not below '-'");
	is_int(swar_find_lt("\x80\xff\x7f\x2d\x2c", 5, '-'), 4,
	    "find_lt: bytes with the high bit are not below '-'");
	return done_testing();
}
