/*
 * strsim: string similarity over Unicode code points, so that a CJK name
 * of two characters is two characters long, not six bytes: Jaro-Winkler,
 * Levenshtein and Damerau-Levenshtein (optimal string alignment: adjacent
 * transpositions, each substring edited once).  The strings are arrays of
 * code points; strsim_decode() makes them from UTF-8.
 */
#ifndef CI_STRSIM_H
#define CI_STRSIM_H

#include <stddef.h>
#include <stdint.h>

/* The longest string compared; longer ones are cut to this many code
 * points (addresses, not essays). */
#define STRSIM_MAX 128

/*
 * Decode the len bytes of valid UTF-8 at s into at most STRSIM_MAX code
 * points at cp; returns their number.
 */
size_t strsim_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Jaro-Winkler similarity in [0, 1] of a (na code points) and b (nb), with
 * the usual prefix scale 0.1 over at most 4 common leading characters
 * (Winkler 1990).  Two empty strings are 1.
 */
double
strsim_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Levenshtein distance: insertions, deletions, substitutions. */
size_t
strsim_levenshtein(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Damerau-Levenshtein distance (optimal string alignment). */
size_t
strsim_damerau(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

#endif
