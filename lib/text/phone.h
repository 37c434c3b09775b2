/*
 * phone: telephone numbers to E.164 ("+8613800138000").
 *
 * The number is read with full-width digits, plus, parentheses, hyphen,
 * full stop and solidus as their ASCII forms, and with the usual
 * punctuation removed: blanks (also no-break and ideographic spaces), '-'
 * and the dashes U+2010..2015, '.', '/', '(', ')'.  A leading "+" or "00"
 * (or "(+86)", "+86-") starts an international number; otherwise the
 * number is national to the default region: its trunk prefix is dropped
 * and the region's calling code put in front.  The trunk prefix is 0 in
 * most countries, 1 in the North American plan and 8 in Russia and
 * Kazakhstan (each only before a full 10-digit number), 06 in Hungary, and
 * there is none in closed plans such as Italy (the 0 is kept), Spain,
 * Portugal, Denmark, Norway, Poland, Mexico, Singapore, Hong Kong and
 * Macao.  A trunk 0 written after the calling code ("+86 0755 ...",
 * "+44 (0)20 ...") is dropped too for the countries whose trunk prefix is
 * 0.  With default region China a mobile number, which has no trunk
 * prefix ("13800138000"), also reads with a bare "86" in front
 * ("8613800138000").
 *
 * Checks: the calling code must exist (assigned by the ITU and in use);
 * Chinese numbers must be a mobile (11 digits, 1[3-9]...) or a fixed line
 * (area code 10 or 2X and an 8-digit subscriber number, or a 3-digit area
 * code starting 3-9 and a 7 or 8-digit one, written nationally with a
 * leading 0: "010-12345678", "0755-1234567"); North American numbers must
 * be 10 digits with area code and exchange not starting with 0 or 1; the
 * numbers of some fifty other plans must have the lengths of their
 * subscribers' numbers (Hong Kong, Macao and Singapore 8 digits, Taiwan 8
 * or 9, Japan 9 or 10, ...); the rest 7 to 15 digits with the calling
 * code.  Every ISO 3166 region with telephone service is a default region.  Extensions
 * ("ext. 12", "extension 12", "x12", "#12", "转12", "分机12") are not kept;
 * letters anywhere else make the number invalid.
 */
#ifndef CI_PHONE_H
#define CI_PHONE_H

#include <stddef.h>

/* Room for an E.164 number with its NUL. */
#define PHONE_MAX 20

/*
 * The calling code of a region given as ISO 3166 alpha-2 ("CN" -> 86,
 * "us" -> 1), or 0 when the region is unknown to ci.
 */
int phone_region_code(const char *region);

/*
 * Normalise the len bytes at s with default calling code cc (from
 * phone_region_code(); 0 when there is no default region, in which case a
 * national number is an error).  Writes the E.164 form with its NUL to dst
 * (at least PHONE_MAX bytes) and returns 0, or returns -1 with dst empty
 * and *why set to a static phrase ("too few digits", "unknown country
 * code", "not a Chinese mobile or fixed-line number", ...).
 */
int
phone_normalize(const char *s, size_t len, int cc, char *dst, const char **why);

/*
 * Length in bytes of the calling-code part of an E.164 number e164 ("+86"
 * in "+8613800138000" is 3), so that masking can keep it; 0 when e164
 * does not start with '+' and a calling code.
 */
size_t phone_cc_len(const char *e164);

#endif
