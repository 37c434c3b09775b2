/*
 * mask: partial masking of personal data for display, keeping a
 * recognisable prefix and suffix and replacing the rest by '*', one per
 * hidden character (code point), except in e-mail local parts where the
 * hidden part is always "***" so that its length is not shown.
 *
 *   MASK_PHONE    "+8613800138000"     -> "+86138****8000"
 *                 calling code, first 3 and last 4 digits of the national
 *                 number kept; with fewer than 8 national digits only the
 *                 last 2 are kept
 *   MASK_EMAIL    "zhang.wei@qq.com"   -> "z***@qq.com"
 *   MASK_NAME     "张伟" -> "张*", "欧阳娜娜" -> "欧***",
 *                 "John Smith" -> "J*** S****": the first character of
 *                 each blank-separated word kept
 *   MASK_IDCARD   "11010519491231002X" -> "110105********002X"
 *                 first 6 and last 4 kept
 *   MASK_GENERIC  the first and last quarter of the characters kept
 *                 (at least one each when there are 3 or more), the rest
 *                 hidden; 1 or 2 characters are hidden entirely
 *
 * Input is valid UTF-8 (normalised values); an input that does not have
 * the expected shape (an e-mail without '@', a phone without '+') is
 * masked as MASK_GENERIC.  The empty string stays empty.
 *
 * The shapes: MASK_PHONE wants E.164, '+' and 7 to 15 ASCII digits, whose
 * calling code (1 to 3 digits) phone_cc_len() finds; MASK_EMAIL wants
 * something before its last '@' (the domain is kept whole); MASK_IDCARD
 * wants 15 digits, or 17 digits and a digit or 'X' (either case).
 * MASK_NAME takes any text: blanks are spaces and tabs, and a one-character
 * word is kept whole.
 */
#ifndef CI_MASK_H
#define CI_MASK_H

#include <stddef.h>

#include "buf.h"

enum mask_kind {
	MASK_GENERIC = 0,
	MASK_PHONE,
	MASK_EMAIL,
	MASK_NAME,
	MASK_IDCARD
};

/* Append the masked form of the len bytes at s to out. */
void
mask_value(enum mask_kind kind, const char *s, size_t len, struct buf *out);

#endif
