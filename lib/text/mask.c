/*
 * mask: partial masking of personal data for display, by kind of value
 * (see mask.h for the rules and examples).
 *
 * Characters are counted as code points.  The input is meant to be valid
 * UTF-8; should it not be, a byte that does not start a well-formed
 * character counts as one character, so that masking never reads beyond
 * the value and never splits what it keeps.
 */
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "mask.h"
#include "phone.h"

/* Shortest and longest E.164 numbers ('+' and 7 to 15 digits), in bytes. */
#define E164_MIN 8
#define E164_MAX 16

/* A national number shorter than this keeps only its last 2 digits. */
#define PHONE_LONG 8

/* The length of the character starting at s, with n > 0 bytes left. */
static size_t
char_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t        k, i;

	if (c < 0xC2 || c > 0xF4)
		return 1;
	k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (k > n)
		return 1;
	for (i = 1; i < k; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return k;
}

/* The number of characters in the len bytes at s. */
static size_t
count_chars(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		i += char_len(s + i, len - i);
		n++;
	}
	return n;
}

/* The byte offset of character m (counted from 0) of s, or len. */
static size_t
char_offset(const char *s, size_t len, size_t m)
{
	size_t i = 0;

	while (i < len && m-- > 0)
		i += char_len(s + i, len - i);
	return i;
}

static void
add_stars(struct buf *out, size_t n)
{
	buf_grow(out, n);
	memset(out->data + out->len, '*', n);
	out->len += n;
	out->data[out->len] = '\0';
}

static void
mask_generic(const char *s, size_t len, struct buf *out)
{
	size_t n = count_chars(s, len), keep, head, tail;

	if (n <= 2) {
		add_stars(out, n);
		return;
	}
	keep = n / 4 > 0 ? n / 4 : 1;
	head = char_offset(s, len, keep);
	tail = char_offset(s, len, n - keep);
	buf_add(out, s, head);
	add_stars(out, n - 2 * keep);
	buf_add(out, s + tail, len - tail);
}

/* Mask an E.164 number; false when s is not one. */
static bool
mask_phone(const char *s, size_t len, struct buf *out)
{
	char   e164[PHONE_MAX];
	size_t i, cc, nat, head, tail;

	if (len < E164_MIN || len > E164_MAX || len >= sizeof(e164) ||
	    s[0] != '+')
		return false;
	for (i = 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(e164, s, len);
	e164[len] = '\0';
	cc = phone_cc_len(e164);
	if (cc < 2 || cc > 4 || cc >= len)
		return false;
	nat = len - cc;
	head = nat >= PHONE_LONG ? 3 : 0;
	tail = nat >= PHONE_LONG ? 4 : 2;
	buf_add(out, s, cc + head);
	add_stars(out, nat - head - tail);
	buf_add(out, s + len - tail, tail);
	return true;
}

/*
 * Mask an e-mail address: the first character of the local part, "***"
 * and the domain as it is.  False when there is no local part.
 */
static bool
mask_email(const char *s, size_t len, struct buf *out)
{
	const char *at = memrchr(s, '@', len);

	if (at == NULL || at == s)
		return false;
	buf_add(out, s, char_len(s, len));
	buf_addstr(out, "***");
	buf_add(out, at, len - (size_t)(at - s));
	return true;
}

/* Keep the first character of each blank-separated word. */
static void
mask_name(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, k;
	bool   word = false;

	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t') {
			buf_addc(out, s[i++]);
			word = false;
			continue;
		}
		k = char_len(s + i, len - i);
		if (word)
			buf_addc(out, '*');
		else
			buf_add(out, s + i, k);
		word = true;
		i += k;
	}
}

/*
 * Mask a resident identity card number: 18 characters (17 digits and a
 * digit or 'X') or 15 digits.  False for anything else.
 */
static bool
mask_idcard(const char *s, size_t len, struct buf *out)
{
	size_t i;

	if (len != 18 && len != 15)
		return false;
	for (i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') &&
		    !(i == 17 && (s[i] == 'X' || s[i] == 'x')))
			return false;
	buf_add(out, s, 6);
	add_stars(out, len - 10);
	buf_add(out, s + len - 4, 4);
	return true;
}

void
mask_value(enum mask_kind kind, const char *s, size_t len, struct buf *out)
{
	bool done = false;

	if (len == 0)
		return;
	switch (kind) {
	case MASK_PHONE:
		done = mask_phone(s, len, out);
		break;
	case MASK_EMAIL:
		done = mask_email(s, len, out);
		break;
	case MASK_NAME:
		mask_name(s, len, out);
		done = true;
		break;
	case MASK_IDCARD:
		done = mask_idcard(s, len, out);
		break;
	case MASK_GENERIC:
		break;
	}
	if (!done)
		mask_generic(s, len, out);
}
