/*
 * email: e-mail addresses trimmed, lower-cased and checked for syntax.
 *
 * The check is the practical subset of RFC 5321/5322 that real mail systems
 * accept, with the internationalised addresses of RFC 6531 (SMTPUTF8) and
 * IDNA: one '@'; a local part of 1 to 64 bytes from the RFC's atext set,
 * dots and letters, marks and digits of any script, neither starting nor
 * ending with a dot nor holding two in a row; a domain of at most 253
 * characters with at least two labels, each label 1 to 63 letters, marks,
 * digits (of any script) or hyphens, not starting or ending with a hyphen,
 * and a last label that is not all digits.  So 'josé@example.com' and
 * '张三@例子.中国' are addresses, and both parts are lower-cased alike.  Quoted local parts and
 * address literals are refused.  Full-width forms (＠, full-width letters)
 * are folded to ASCII first, and the whole address is lower-cased.
 *
 * In detail: the address first goes through textnorm_text() (NFKC, control
 * characters removed, surrounding white space trimmed), so white space
 * left inside it is an error; the ideographic full stop '。' is read as
 * '.', as IDNA does; non-ASCII letters are lower-cased with their simple
 * Unicode mapping.  Domain lengths count characters of the Unicode form,
 * not of the punycode form that DNS limits.
 */
#ifndef CI_EMAIL_H
#define CI_EMAIL_H

#include <stddef.h>

#include "buf.h"

/*
 * Normalise the len bytes at s (valid UTF-8) into out (reset first).
 * Returns 0, or -1 with *why set to a static phrase naming the first
 * problem found ("missing '@'", "bad character in local part",
 * "domain has no dot", ...); out is unspecified on failure.
 */
int
email_normalize(const char *s, size_t len, struct buf *out, const char **why);

#endif
