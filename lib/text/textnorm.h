/*
 * textnorm: Unicode text clean-up through utf8proc.  All functions take
 * valid UTF-8 (the record reader guarantees it), refuse anything else and
 * append to a buf.
 *
 * White space is U+0009..U+000D, U+0085, U+2028, U+2029 and the Zs
 * category (U+0020, U+00A0, U+3000, ...).  Control characters are the Cc
 * category less white space, plus U+200B ZERO WIDTH SPACE and U+FEFF
 * ZERO WIDTH NO-BREAK SPACE (the byte-order mark).
 */
#ifndef CI_TEXTNORM_H
#define CI_TEXTNORM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Append to out the value at s normalised for free text: NFKC (so full-width
 * letters, digits and the ideographic space become their ordinary forms),
 * control characters removed, runs of white space collapsed to one space,
 * and leading and trailing space removed.  Returns 0, or -1 with out
 * unchanged if s is not valid UTF-8.
 */
int textnorm_text(const char *s, size_t len, struct buf *out);

/*
 * As textnorm_text(), for a person's name: in addition, a space between two
 * CJK characters is removed ("张 伟" -> "张伟"), while spaces between words
 * of other scripts are kept.  Letter case is not changed.  CJK characters
 * are the Han ideographs (U+3400..U+4DBF, U+4E00..U+9FFF, U+F900..U+FAFF,
 * U+20000..U+2A6DF, U+2A700..U+2EE5F, U+30000..U+323AF), Hiragana and
 * Katakana (U+3040..U+30FF, U+31F0..U+31FF) and Hangul syllables
 * (U+AC00..U+D7AF).
 */
int textnorm_name(const char *s, size_t len, struct buf *out);

/*
 * Append the case-folded NFKC form of s, cleaned as by textnorm_text():
 * the key under which vocabulary words are compared ("Sale", "ＳＡＬＥ"
 * and " sale " are all "sale").  Folding is Unicode full case folding, so
 * "ß" becomes "ss".
 */
int textnorm_fold(const char *s, size_t len, struct buf *out);

/*
 * True when textnorm_text() and textnorm_name() would give the len bytes at
 * s back unchanged because they are printable ASCII with single spaces
 * between words: the common case, which callers can then use as it is.
 */
bool textnorm_is_clean(const char *s, size_t len);

#endif
