/*
 * email: e-mail addresses brought to one form (NFKC, trimmed, lower case)
 * and checked against the practical subset of RFC 5321/5322 that email.h
 * describes.  The first problem found is named by a static phrase.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "email.h"
#include "textnorm.h"
#include "utf8.h"

#define LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63

/* The ideographic full stop, which IDNA reads as a label separator. */
#define IDEO_STOP 0x3002

/* The characters besides letters and digits that RFC 5322 atext allows. */
static const char atext_punct[] = "!#$%&'*+-/=?^_`{|}~";

static bool
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/*
 * Lower-case the text in b (valid UTF-8) in place, reading '。' as '.'.
 * Non-ASCII text may change its length, so it is rebuilt after the old
 * text and moved down.
 */
static void
lower(struct buf *b)
{
	size_t           n = b->len, i;
	bool             ascii = true;
	int32_t          c;
	uint8_t          u[4];
	utf8proc_ssize_t k;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)b->data[i];

		if (ch >= 0x80)
			ascii = false;
		else if (ch >= 'A' && ch <= 'Z')
			b->data[i] = (char)(ch - 'A' + 'a');
	}
	if (ascii)
		return;
	for (i = 0; i < n; i += (size_t)k) {
		k = utf8proc_iterate((const uint8_t *)b->data + i,
		    (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			return; /* textnorm_text() wrote valid UTF-8 */
		c = c == IDEO_STOP ? '.' : utf8proc_tolower(c);
		buf_add(b, u, (size_t)utf8proc_encode_char(c, u));
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/*
 * The length of the character at s (n bytes left, the first not ASCII)
 * when it is a letter, mark or digit of any script, which internationalised
 * addresses allow in both parts; 0 otherwise.
 */
static size_t
intl_char(const char *s, size_t n)
{
	int32_t          c;
	utf8proc_ssize_t k;

	k = utf8proc_iterate((const uint8_t *)s, (utf8proc_ssize_t)n, &c);
	if (k <= 0)
		return 0;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
		return (size_t)k;
	default:
		return 0;
	}
}

static int
check_local(const char *s, size_t n, const char **why)
{
	size_t i, k;

	if (n == 0)
		return *why = "empty local part", -1;
	if (n > LOCAL_MAX)
		return *why = "local part longer than 64 characters", -1;
	if (s[0] == '.')
		return *why = "local part starts with a dot", -1;
	if (s[n - 1] == '.')
		return *why = "local part ends with a dot", -1;
	for (i = 0; i < n; i += k) {
		unsigned char c = (unsigned char)s[i];

		k = 1;
		if (c == '.') {
			if (s[i - 1] == '.')
				return *why = "two dots in a row in local part",
				       -1;
		} else if (c >= 0x80) {
			if ((k = intl_char(s + i, n - i)) == 0)
				return *why = "bad character in local part", -1;
		} else if (!is_alnum(c) &&
		    (c == '\0' || strchr(atext_punct, c) == NULL)) {
			return *why = "bad character in local part", -1;
		}
	}
	return 0;
}

/*
 * Check one domain label of n bytes at s.  *digits is set when the label is
 * all ASCII digits, which the last label must not be.
 */
static int
check_label(const char *s, size_t n, bool *digits, const char **why)
{
	size_t i, chars = 0, k;

	*digits = true;
	if (n == 0)
		return *why = "empty label in domain", -1;
	if (s[0] == '-')
		return *why = "domain label starts with a hyphen", -1;
	if (s[n - 1] == '-')
		return *why = "domain label ends with a hyphen", -1;
	for (i = 0; i < n; i += (size_t)k, chars++) {
		unsigned char ch = (unsigned char)s[i];

		k = 1;
		if (ch >= '0' && ch <= '9')
			continue;
		*digits = false;
		if (ch == '-' || is_alnum(ch))
			continue;
		if (ch < 0x80 || (k = intl_char(s + i, n - i)) == 0)
			return *why = "bad character in domain", -1;
	}
	if (chars > LABEL_MAX)
		return *why = "domain label longer than 63 characters", -1;
	return 0;
}

static int
check_domain(const char *s, size_t n, const char **why)
{
	const char *end = s + n, *dot;
	bool        digits = false;

	if (n == 0)
		return *why = "empty domain", -1;
	if (s[0] == '[')
		return *why = "address literal not supported", -1;
	if (utf8_count(s, n) > DOMAIN_MAX)
		return *why = "domain longer than 253 characters", -1;
	if (memchr(s, '.', n) == NULL)
		return *why = "domain has no dot", -1;
	for (;;) {
		dot = memchr(s, '.', (size_t)(end - s));
		if (check_label(
		        s, (size_t)((dot ? dot : end) - s), &digits, why) < 0)
			return -1;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	if (digits)
		return *why = "top-level domain is all digits", -1;
	return 0;
}

int
email_normalize(const char *s, size_t len, struct buf *out, const char **why)
{
	const char *a, *at;
	size_t      n, nlocal;

	buf_reset(out);
	if (textnorm_text(s, len, out) < 0)
		return *why = "not UTF-8 text", -1;
	lower(out);
	a = buf_str(out);
	n = out->len;
	if (n == 0)
		return *why = "empty address", -1;
	if (a[0] == '"')
		return *why = "quoted local part not supported", -1;
	at = memchr(a, '@', n);
	if (at == NULL)
		return *why = "missing '@'", -1;
	nlocal = (size_t)(at - a);
	if (memchr(at + 1, '@', n - nlocal - 1) != NULL)
		return *why = "more than one '@'", -1;
	if (memchr(a, ' ', n) != NULL)
		return *why = "space in address", -1;
	if (check_local(a, nlocal, why) < 0 ||
	    check_domain(at + 1, n - nlocal - 1, why) < 0)
		return -1;
	return 0;
}
