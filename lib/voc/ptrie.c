/*
 * ptrie: the phrase trie and the key form of text.
 *
 * Edges below the root live in one open-addressing table keyed by the
 * parent and the code point, kept at most half full; the root's children
 * of the Basic Multilingual Plane are an array indexed by code point,
 * since every position of a text looks one up and most find none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hanzi.h"
#include "ptrie.h"
#include "textnorm.h"
#include "utf8.h"
#include "xalloc.h"

#define HAN_FIRST 0x3400
#define HAN_LAST 0x9FFF
#define BMP 0x10000

static size_t
slot_of(const struct ptrie *t, uint64_t key)
{
	uint64_t h = key * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 32) & t->mask;
}

static void
grow_edges(struct ptrie *t)
{
	struct ptrie_edge *old = t->edges;
	size_t             oldn = old != NULL ? t->mask + 1 : 0, i, j;
	size_t             n = oldn == 0 ? 256 : oldn * 2;

	t->edges = xcalloc(n, sizeof(*t->edges));
	t->mask = n - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i].key == 0)
			continue;
		for (j = slot_of(t, old[i].key); t->edges[j].key != 0;
		     j = (j + 1) & t->mask)
			;
		t->edges[j] = old[i];
	}
	free(old);
}

static uint32_t
new_node(struct ptrie *t)
{
	xgrow(
	    &t->value, &t->capnodes, (size_t)t->nnodes + 1, sizeof(*t->value));
	t->value[t->nnodes] = -1;
	return t->nnodes++;
}

void
ptrie_init(struct ptrie *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->root = xmalloc(BMP * sizeof(*t->root));
	for (i = 0; i < BMP; i++)
		t->root[i] = -1;
	new_node(t);
}

void
ptrie_release(struct ptrie *t)
{
	free(t->root);
	free(t->edges);
	free(t->value);
	memset(t, 0, sizeof(*t));
}

uint32_t
ptrie_insert(struct ptrie *t, const uint32_t *cp, size_t n)
{
	uint32_t node = 0, next;
	uint64_t key, h;
	size_t   i, j;

	for (i = 0; i < n; i++) {
		if ((next = ptrie_next(t, node, cp[i])) != 0) {
			node = next;
			continue;
		}
		next = new_node(t);
		if (node == 0 && cp[i] < BMP) {
			t->root[cp[i]] = (int32_t)next;
			t->first[cp[i] >> 6] |= UINT64_C(1) << (cp[i] & 63);
		} else {
			if (2 * (t->nedges + 1) > (t->edges ? t->mask + 1 : 0))
				grow_edges(t);
			key = ((uint64_t)node << 21 | cp[i]) + 1;
			h = key * UINT64_C(0x9E3779B97F4A7C15);
			t->edge_bits[h >> 54] |= UINT64_C(1) << (h >> 48 & 63);
			for (j = slot_of(t, key); t->edges[j].key != 0;
			     j = (j + 1) & t->mask)
				;
			t->edges[j].key = key;
			t->edges[j].child = next;
			t->nedges++;
		}
		node = next;
	}
	return node;
}

void
ptrie_fold_init(struct ptrie_fold *f)
{
	uint32_t c;

	f->han = xmalloc((HAN_LAST - HAN_FIRST + 1) * sizeof(*f->han));
	memset(f->trad, 0, sizeof(f->trad));
	for (c = HAN_FIRST; c <= HAN_LAST; c++) {
		f->han[c - HAN_FIRST] = hanzi_simplified(c);
		if (f->han[c - HAN_FIRST] != c)
			f->trad[(c - HAN_FIRST) >> 6] |= UINT64_C(1)
			    << ((c - HAN_FIRST) & 63);
	}
}

void
ptrie_fold_release(struct ptrie_fold *f)
{
	free(f->han);
	f->han = NULL;
}

/* Decode the code point at s[*i] of valid UTF-8, moving *i past it. */
static uint32_t
decode(const unsigned char *s, size_t *i)
{
	uint32_t c = s[*i];

	if (c < 0x80) {
		*i += 1;
		return c;
	}
	if (c < 0xE0) {
		c = (c & 0x1F) << 6 | (s[*i + 1] & 0x3F);
		*i += 2;
	} else if (c < 0xF0) {
		c = (c & 0x0F) << 12 | (s[*i + 1] & 0x3F) << 6 |
		    (s[*i + 2] & 0x3F);
		*i += 3;
	} else {
		c = (c & 0x07) << 18 | (s[*i + 1] & 0x3F) << 12 |
		    (s[*i + 2] & 0x3F) << 6 | (s[*i + 3] & 0x3F);
		*i += 4;
	}
	return c;
}

size_t
ptrie_fold(const struct ptrie_fold *f, const char *s, size_t len, uint32_t **cp,
    size_t *cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t               i = 0, n = 0;
	uint32_t             c, *out;

	/* A code point takes one byte at least. */
	xgrow(cp, cap, len + 1, sizeof(**cp));
	out = *cp;
	while (i < len) {
		c = decode(u, &i);
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (c >= HAN_FIRST && c <= HAN_LAST &&
		    (f->trad[(c - HAN_FIRST) >> 6] >> ((c - HAN_FIRST) & 63) &
		        1))
			c = f->han[c - HAN_FIRST];
		else if (c == 0x2019)
			c = '\'';
		else if ((c >= 0xFE00 && c <= 0xFE0F) ||
		    (c >= 0xE0100 && c <= 0xE01EF))
			continue;
		else if (c >= BMP)
			c = hanzi_simplified(c);
		out[n++] = c;
	}
	return n;
}

int
ptrie_phrase(const struct ptrie_fold *f, const char *s, size_t len,
    uint32_t **cp, size_t *cap, size_t *n)
{
	struct buf b = { 0 };

	if (textnorm_text(s, len, &b) < 0) {
		buf_release(&b);
		return -1;
	}
	*n = ptrie_fold(f, buf_str(&b), b.len, cp, cap);
	buf_release(&b);
	return 0;
}

void
ptrie_tsv_init(struct ptrie_tsv *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = text;
	r->end = text + len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

int
ptrie_tsv_next(struct ptrie_tsv *r)
{
	const char *eol, *q, *tab;
	size_t      n;

	while (r->p < r->end) {
		eol = memchr(r->p, '\n', (size_t)(r->end - r->p));
		if (eol == NULL)
			eol = r->end;
		q = r->p;
		n = (size_t)(eol - q);
		r->p = eol < r->end ? eol + 1 : eol;
		r->line++;
		if (n > 0 && q[n - 1] == '\r')
			n--;
		if (n == 0 || q[0] == '#')
			continue;
		for (r->nf = 0; r->nf < 3; r->nf++) {
			tab = r->nf < 2 ? memchr(q, '\t', n) : NULL;
			r->f[r->nf] = q;
			r->len[r->nf] = tab != NULL ? (size_t)(tab - q) : n;
			if (tab == NULL) {
				r->nf++;
				break;
			}
			n -= (size_t)(tab - q) + 1;
			q = tab + 1;
		}
		return 1;
	}
	return 0;
}

int
ptrie_tsv_pair(const struct ptrie_tsv *r, const char *name, const char *want,
    struct ci_err *e)
{
	if (r->nf == 2)
		return 0;
	return ci_err_set(e, CI_EXIT_USAGE, name, r->line,
	    "want %s, found %zu field%s", want, r->nf,
	    r->nf == 1 ? "" : "s or more");
}

int
ptrie_read_file(const char *path, struct buf *out, struct ci_err *e)
{
	FILE  *fp = fopen(path, "rb");
	char   chunk[65536];
	size_t n, bad;

	if (fp == NULL)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot read '%s': %s", path, strerror(errno));
	}
	fclose(fp);
	if (!utf8_valid(out->data != NULL ? out->data : "", out->len, &bad))
		return ci_err_set(e, CI_EXIT_USAGE, path, 0,
		    "not UTF-8 text (at byte %zu)", bad);
	return 0;
}
