/*
 * pname: names to their key and roman forms (see pname.h), through
 * textnorm (NFKC, spaces between ideographs removed), utf8proc (case
 * folding, accents stripped) and hanzi (simplified forms, pinyin).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "hanzi.h"
#include "pname.h"
#include "textnorm.h"

/* The most words a name is cut to for reordering. */
#define MAX_WORDS 16

static void
add_cp(struct buf *b, uint32_t c)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, u);

	buf_add(b, u, (size_t)n);
}

static bool
is_word_char(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);

	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
	    (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* Append ideograph c in pinyin, or as itself when it has no reading. */
static void
add_pinyin(struct buf *b, uint32_t c)
{
	const char *py = hanzi_pinyin(c);

	if (py != NULL)
		buf_addstr(b, py);
	else
		add_cp(b, c);
}

int
pname_forms(const char *s, size_t len, struct buf *key, struct buf *roman)
{
	struct buf        t = { 0 };
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t  n, i, k;
	utf8proc_int32_t  c;
	uint32_t          cps[256];
	size_t            ncp = 0, j, nhan = 0, nother = 0;
	bool              in_word = false;
	int               rc = -1;

	buf_reset(key);
	buf_reset(roman);
	if (textnorm_name(s, len, &t) < 0)
		goto out;
	n = utf8proc_map((const utf8proc_uint8_t *)buf_str(&t),
	    (utf8proc_ssize_t)t.len, &f,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
	        UTF8PROC_STRIPMARK);
	if (n < 0)
		goto out;
	for (i = 0; i < n && ncp < sizeof(cps) / sizeof(cps[0]); i += k) {
		k = utf8proc_iterate(f + i, n - i, &c);
		if (k <= 0)
			break;
		cps[ncp] = hanzi_simplified((uint32_t)c);
		if (hanzi_is_han(cps[ncp]))
			nhan++;
		else if (is_word_char(cps[ncp]))
			nother++;
		ncp++;
	}
	/* The key: words separated by one space, none beside ideographs. */
	for (j = 0; j < ncp; j++) {
		if (is_word_char(cps[j])) {
			if (!in_word && key->len > 0 && !hanzi_is_han(cps[j]) &&
			    !hanzi_is_han(cps[j - 1]))
				buf_addc(key, ' ');
			add_cp(key, cps[j]);
			in_word = true;
		} else {
			in_word = false;
		}
	}
	/* The roman. */
	if (nhan > 0 && nother == 0) {
		for (j = 0; j < ncp; j++) {
			if (!hanzi_is_han(cps[j]))
				continue;
			if (roman->len > 0 &&
			    roman->data[roman->len - 1] != ' ' &&
			    strchr(roman->data, ' ') == NULL)
				buf_addc(roman, ' ');
			add_pinyin(roman, cps[j]);
		}
	} else {
		in_word = false;
		for (j = 0; j < ncp; j++) {
			if (!is_word_char(cps[j])) {
				in_word = false;
				continue;
			}
			if (!in_word && roman->len > 0)
				buf_addc(roman, ' ');
			if (hanzi_is_han(cps[j]))
				add_pinyin(roman, cps[j]);
			else
				add_cp(roman, cps[j]);
			in_word = true;
		}
	}
	rc = 0;
out:
	if (rc < 0) {
		buf_reset(key);
		buf_reset(roman);
	}
	free(f);
	buf_release(&t);
	return rc;
}

struct word {
	const char *s;
	size_t      len;
};

static int
word_cmp(const void *pa, const void *pb)
{
	const struct word *a = pa, *b = pb;
	size_t             n = a->len < b->len ? a->len : b->len;
	int                c = memcmp(a->s, b->s, n);

	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

static size_t
split(const char *s, size_t len, struct word *w)
{
	size_t i = 0, n = 0, start;

	while (i < len && n < MAX_WORDS) {
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i > start) {
			w[n].s = s + start;
			w[n].len = i - start;
			n++;
		}
	}
	return n;
}

void
pname_join(const char *roman, size_t len, int how, char sep, struct buf *out)
{
	struct word w[MAX_WORDS];
	size_t      n = split(roman, len, w), i, k;

	if (how == 2)
		qsort(w, n, sizeof(w[0]), word_cmp);
	for (i = 0; i < n; i++) {
		k = how == 1 ? n - 1 - i : i;
		if (i > 0 && sep != 0)
			buf_addc(out, sep);
		buf_add(out, w[k].s, w[k].len);
	}
	if (out->data == NULL)
		buf_add(out, "", 0);
}

size_t
pname_words(const char *roman, size_t len)
{
	struct word w[MAX_WORDS];

	return split(roman, len, w);
}
