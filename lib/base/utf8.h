/*
 * utf8: the UTF-8 validator the record reader runs on every field, and a
 * count of code points.  Byte-level, below every text module, so that
 * record I/O does not depend on text normalisation.
 */
#ifndef CI_UTF8_H
#define CI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when the len bytes at s are valid UTF-8 (no overlongs, surrogates
 * or code points beyond U+10FFFF).  *bad gets the offset of the first bad
 * byte when it is not NULL and the text is invalid: the first byte of the
 * first ill-formed sequence, so a truncated or broken multi-byte sequence
 * is reported at its lead byte.  *bad is untouched when the text is valid. */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/* The number of code points in valid UTF-8 text. */
size_t utf8_count(const char *s, size_t len);

#endif
