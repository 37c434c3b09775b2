/*
 * strsim: Jaro-Winkler and the edit distances over code points.
 *
 * Jaro (1989): matches are equal characters at most max(na, nb) / 2 - 1
 * apart; with m matches and t half the number of matched characters out
 * of order, jaro = (m / na + m / nb + (m - t) / m) / 3.  Winkler (1990)
 * adds l * 0.1 * (1 - jaro) for a common prefix of l <= 4 characters.
 * The distances are the two-row dynamic programme (Wagner and Fischer
 * 1974), with the transposition case of optimal string alignment kept in
 * a third row.
 */
#include <stdbool.h>
#include <string.h>

#include "strsim.h"

size_t
strsim_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t               n = 0;
	uint32_t             c;

	while (p < end && n < STRSIM_MAX) {
		if (*p < 0x80) {
			c = *p++;
		} else if (*p < 0xe0 && p + 1 < end) {
			c = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if (*p < 0xf0 && p + 2 < end) {
			c = (uint32_t)(p[0] & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else if (p + 3 < end) {
			c = (uint32_t)(p[0] & 0x07) << 18 |
			    (uint32_t)(p[1] & 0x3f) << 12 |
			    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
			p += 4;
		} else {
			break; /* a truncated sequence: not valid UTF-8 */
		}
		cp[n++] = c;
	}
	return n;
}

double
strsim_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	bool   ma[STRSIM_MAX] = { false }, mb[STRSIM_MAX] = { false };
	size_t i, j, k, lo, hi, win, m = 0, t = 0, l = 0;
	double jaro;

	if (na > STRSIM_MAX)
		na = STRSIM_MAX;
	if (nb > STRSIM_MAX)
		nb = STRSIM_MAX;
	if (na == 0 && nb == 0)
		return 1;
	if (na == 0 || nb == 0)
		return 0;
	win = (na > nb ? na : nb) / 2;
	win = win > 0 ? win - 1 : 0;
	for (i = 0; i < na; i++) {
		lo = i > win ? i - win : 0;
		hi = i + win + 1 < nb ? i + win + 1 : nb;
		for (j = lo; j < hi; j++)
			if (!mb[j] && a[i] == b[j]) {
				ma[i] = mb[j] = true;
				m++;
				break;
			}
	}
	if (m == 0)
		return 0;
	for (i = 0, k = 0; i < na; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / (double)na + (double)m / (double)nb +
	           ((double)m - (double)t / 2) / (double)m) /
	    3;
	while (l < 4 && l < na && l < nb && a[l] == b[l])
		l++;
	return jaro + (double)l * 0.1 * (1 - jaro);
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* The edit distance, with transpositions when osa. */
static size_t
edit(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, bool osa)
{
	size_t  r0[STRSIM_MAX + 1], r1[STRSIM_MAX + 1], r2[STRSIM_MAX + 1];
	size_t *pp = r0, *prev = r1, *cur = r2, *tmp, i, j, cost;

	if (na > STRSIM_MAX)
		na = STRSIM_MAX;
	if (nb > STRSIM_MAX)
		nb = STRSIM_MAX;
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		cur[0] = i;
		for (j = 1; j <= nb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			cur[j] = min3(
			    prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (osa && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < cur[j])
				cur[j] = pp[j - 2] + 1;
		}
		tmp = pp;
		pp = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[nb];
}

size_t
strsim_levenshtein(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return edit(a, na, b, nb, false);
}

size_t
strsim_damerau(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return edit(a, na, b, nb, true);
}
