/*
 * markup: escaping for HTML, SVG and Markdown, and text widths.
 */
#include <string.h>

#include "markup.h"

/* The length of the UTF-8 sequence starting with byte c (1 for others). */
static size_t
seqlen(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* The code point of the sequence at s of n bytes. */
static unsigned long
codepoint(const unsigned char *s, size_t n)
{
	unsigned long cp = n == 1 ? s[0] : s[0] & (0x7f >> n);
	size_t        i;

	for (i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

void
markup_html(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			buf_addstr(out, "&amp;");
			break;
		case '<':
			buf_addstr(out, "&lt;");
			break;
		case '>':
			buf_addstr(out, "&gt;");
			break;
		case '"':
			buf_addstr(out, "&quot;");
			break;
		case '\'':
			buf_addstr(out, "&#39;");
			break;
		case '\t':
		case '\n':
		case '\r':
			buf_addc(out, ' ');
			break;
		default:
			if (c >= 0x20 && c != 0x7f)
				buf_addc(out, (char)c);
		}
	}
}

void
markup_html_str(struct buf *out, const char *s)
{
	markup_html(out, s, strlen(s));
}

void
markup_md(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\n' || c == '\r') {
			buf_addc(out, ' ');
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (strchr("\\`*_[]<>#|~", c) != NULL)
			buf_addc(out, '\\');
		buf_addc(out, (char)c);
	}
}

void
markup_md_str(struct buf *out, const char *s)
{
	markup_md(out, s, strlen(s));
}

/* The drawn width of code point cp at font size 1. */
static double
cpwidth(unsigned long cp)
{
	if (cp >= 0x1100 &&
	    (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	        (cp >= 0xac00 && cp <= 0xd7a3) ||
	        (cp >= 0xf900 && cp <= 0xfaff) ||
	        (cp >= 0xfe30 && cp <= 0xfe4f) ||
	        (cp >= 0xff00 && cp <= 0xff60) ||
	        (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000))
		return 1.0;
	if (cp < 0x80 && strchr("il.,:;'|!() ", (int)cp) != NULL)
		return 0.3;
	if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W')
		return 0.85;
	return 0.58;
}

double
markup_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	double               w = 0;

	while (*p != '\0') {
		size_t n = seqlen(*p), k;

		for (k = 1; k < n; k++)
			if (p[k] == '\0')
				return w;
		w += cpwidth(codepoint(p, n));
		p += n;
	}
	return w;
}

void
markup_html_fit(struct buf *out, const char *s, double size, double max)
{
	const unsigned char *p = (const unsigned char *)s;
	double               w = 0, ell = cpwidth(0x2026) * size;
	size_t               keep = 0;

	if (markup_width(s) * size <= max) {
		markup_html_str(out, s);
		return;
	}
	while (p[keep] != '\0') {
		size_t n = seqlen(p[keep]), k;
		double cw;

		for (k = 1; k < n; k++)
			if (p[keep + k] == '\0')
				break;
		if (k < n)
			break;
		cw = cpwidth(codepoint(p + keep, n)) * size;
		if (w + cw + ell > max)
			break;
		w += cw;
		keep += n;
	}
	markup_html(out, s, keep);
	buf_addstr(out, "…");
}
