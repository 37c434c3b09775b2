/*
 * purch: the purchase lines, their refunds and their views.  The lines are
 * kept in one array; finishing numbers the ids in name order, so that
 * every later tie broken by id is broken by name, and sorts the lines by
 * customer and day, so that a customer's window of days is one run of the
 * array.
 */
#include <stdlib.h>
#include <string.h>

#include "purch.h"
#include "xalloc.h"

#define NO_ITEM UINT32_MAX

/* Lines in a block (2 MiB), while they are read. */
#define BLK ((size_t)1 << 16)

/* Free the blocks of p. */
static void
free_blocks(struct purch *p)
{
	size_t b;

	for (b = 0; b < p->nblk; b++)
		free(p->blk[b]);
	free(p->blk);
	free(p->blkn);
	p->blk = NULL;
	p->blkn = NULL;
	p->nblk = p->capblk = 0;
}

/* Append block x of n lines to p's. */
static void
add_block(struct purch *p, struct purch_line *x, size_t n)
{
	size_t c = p->capblk;

	xgrow(&p->blk, &c, p->nblk + 1, sizeof(*p->blk));
	xgrow(&p->blkn, &p->capblk, p->nblk + 1, sizeof(*p->blkn));
	p->blk[p->nblk] = x;
	p->blkn[p->nblk++] = n;
}

void
purch_release(struct purch *p)
{
	hmap_release(&p->custs);
	hmap_release(&p->items);
	hmap_release(&p->cats);
	free(p->item_cat);
	free(p->lines);
	free_blocks(p);
	free(p->lastc);
	memset(p, 0, sizeof(*p));
}

/* purch_item() of an item whose hmap_hash() is h. */
static uint32_t
item_hashed(struct purch *p, const char *s, size_t len, uint64_t h)
{
	size_t i = hmap_intern_hashed(&p->items, s, len, h, NULL);

	if (i >= p->capcat) {
		size_t old = p->capcat;

		xgrow(&p->item_cat, &p->capcat, i + 1, sizeof(*p->item_cat));
		memset(p->item_cat + old, 0,
		    (p->capcat - old) * sizeof(*p->item_cat));
	}
	return (uint32_t)i;
}

uint32_t
purch_item(struct purch *p, const char *s, size_t len)
{
	return item_hashed(p, s, len, hmap_hash(s, len));
}

/* The id of customer (s, len): the last line's when it is the same, as it
 * is on most lines of a file grouped by customer or by order. */
static uint32_t
customer(struct purch *p, const char *s, size_t len)
{
	if (p->lastc != NULL && len == p->lastlen &&
	    memcmp(s, p->lastc, len) == 0)
		return p->lastid;
	p->lastid = (uint32_t)hmap_intern(&p->custs, s, len, NULL);
	xgrow(&p->lastc, &p->lastcap, len + 1, 1);
	memcpy(p->lastc, s, len);
	p->lastlen = len;
	return p->lastid;
}

void
purch_add(struct purch *p, const char *cust, size_t clen, const char *item,
    size_t ilen, const char *order, size_t olen, const char *cat, size_t catlen,
    int64_t ts, int32_t day, bool refund)
{
	struct purch_line *l;
	uint64_t           h = ilen > 0 ? hmap_hash(item, ilen) : 0;

	if (ilen > 0)
		hmap_prefetch(&p->items, h);
	if (p->nblk == 0 || p->blkn[p->nblk - 1] == BLK)
		add_block(p, xmalloc_huge(BLK * sizeof(*l)), 0);
	l = &p->blk[p->nblk - 1][p->blkn[p->nblk - 1]++];
	p->n++;
	l->ts = ts;
	l->day = day;
	l->refund = refund;
	l->cust = customer(p, cust, clen);
	l->item = ilen > 0 ? item_hashed(p, item, ilen, h) : NO_ITEM;
	l->order = 0;
	if (olen > 0 && (l->order = hmap_hash(order, olen)) == 0)
		l->order = 1;
	if (ilen > 0 && catlen > 0 && p->item_cat[l->item] == 0)
		p->item_cat[l->item] =
		    1 + (uint32_t)hmap_intern(&p->cats, cat, catlen, NULL);
	p->refunds += refund;
}

/* Map every key of from into to: the ids to take, from's order. */
static uint32_t *
remap(struct hmap *to, const struct hmap *from)
{
	size_t    n = hmap_count(from), i, len;
	uint32_t *m = xcalloc(n + 1, sizeof(*m));

	for (i = 0; i < n; i++) {
		const char *k = hmap_key(from, i, &len);

		m[i] = (uint32_t)hmap_intern(to, k, len, NULL);
	}
	return m;
}

void
purch_join(struct purch *p, struct purch *part)
{
	uint32_t *mc = remap(&p->custs, &part->custs);
	uint32_t *mk = remap(&p->cats, &part->cats);
	uint32_t *mi = xcalloc(purch_nitem(part) + 1, sizeof(*mi));
	size_t    i, b, len;

	for (i = 0; i < purch_nitem(part); i++) {
		const char *k = hmap_key(&part->items, i, &len);

		mi[i] = purch_item(p, k, len);
		if (p->item_cat[mi[i]] == 0 && part->item_cat[i] != 0)
			p->item_cat[mi[i]] = 1 + mk[part->item_cat[i] - 1];
	}
	for (b = 0; b < part->nblk; b++) {
		struct purch_line *l = part->blk[b];

		for (i = 0; i < part->blkn[b]; i++) {
			l[i].cust = mc[l[i].cust];
			if (l[i].item != NO_ITEM)
				l[i].item = mi[l[i].item];
		}
		add_block(p, l, part->blkn[b]);
		part->blk[b] = NULL;
	}
	p->n += part->n;
	p->refunds += part->refunds;
	p->lastlen = 0;
	free(p->lastc);
	p->lastc = NULL;
	p->lastcap = 0;
	free(mc);
	free(mk);
	free(mi);
	purch_release(part);
}

static int
cmp_key(const void *a, const void *b, void *m)
{
	size_t      la, lb;
	const char *ka = hmap_key(m, *(const uint32_t *)a, &la);
	const char *kb = hmap_key(m, *(const uint32_t *)b, &lb);
	int         c = memcmp(ka, kb, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

/*
 * Renumber the keys of m in bytewise order; returns the new id of each old
 * one (the caller frees it).
 */
static uint32_t *
sort_keys(struct hmap *m)
{
	size_t      n = hmap_count(m), i, len;
	uint32_t   *ord = xcalloc(n + 1, sizeof(*ord));
	uint32_t   *rank = xcalloc(n + 1, sizeof(*rank));
	struct hmap s = { 0 };

	for (i = 0; i < n; i++)
		ord[i] = (uint32_t)i;
	qsort_r(ord, n, sizeof(*ord), cmp_key, m);
	for (i = 0; i < n; i++) {
		const char *k = hmap_key(m, ord[i], &len);

		rank[ord[i]] = (uint32_t)hmap_intern(&s, k, len, NULL);
	}
	hmap_release(m);
	*m = s;
	free(ord);
	return rank;
}

/*
 * The comparisons below sort the lines of one customer, so none looks at
 * the customer.
 */

/* Item, time, purchases before refunds, order (a total order of the
 * lines that differ, so that the refunds do not depend on the sort). */
static int
cmp_refund(const void *pa, const void *pb)
{
	const struct purch_line *a = pa, *b = pb;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->refund != b->refund)
		return a->refund < b->refund ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* Order, purchases before refunds, day, item, time. */
static int
cmp_order(const void *pa, const void *pb)
{
	const struct purch_line *a = pa, *b = pb;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->refund != b->refund)
		return a->refund < b->refund ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	return (a->ts > b->ts) - (a->ts < b->ts);
}

/* Day, order, item, time: the order of the views. */
static int
cmp_line(const void *pa, const void *pb)
{
	const struct purch_line *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	return (a->ts > b->ts) - (a->ts < b->ts);
}

/* Sort the n lines at l by cmp: by insertion when they are few, as most
 * customers' lines are. */
static void
sort_lines(
    struct purch_line *l, size_t n, int (*cmp)(const void *, const void *))
{
	size_t            i, j;
	struct purch_line x;

	if (n > 24) {
		qsort(l, n, sizeof(*l), cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		x = l[i];
		for (j = i; j > 0 && cmp(&l[j - 1], &x) > 0; j--)
			l[j] = l[j - 1];
		l[j] = x;
	}
}

#define CANCELLED 2

/* Cancel, for the refund at r, a purchase of the run [a, r) of its
 * customer and item. */
static bool
cancel_item(struct purch_line *a, struct purch_line *r)
{
	struct purch_line *l, *latest = NULL;

	for (l = r; l-- > a;) {
		if (l->refund != 0 || l->ts > r->ts)
			continue;
		if (r->order == 0 || l->order == r->order)
			return l->refund = CANCELLED, true;
		if (latest == NULL)
			latest = l;
	}
	if (latest != NULL)
		latest->refund = CANCELLED;
	return latest != NULL;
}

/* Apply the refunds among the lines [l, end) of one customer. */
static void
apply_refunds(struct purch *p, struct purch_line *l, struct purch_line *end)
{
	struct purch_line *a, *r, *q;
	bool               whole = false;

	sort_lines(l, (size_t)(end - l), cmp_refund);
	for (a = l; a < end; a = r)
		for (r = a; r < end && r->item == a->item; r++) {
			if (r->refund != 1)
				continue;
			if (r->item == NO_ITEM)
				whole = true;
			else if (!cancel_item(a, r))
				p->unmatched++;
		}
	if (!whole)
		return;
	sort_lines(l, (size_t)(end - l), cmp_order);
	for (a = l; a < end; a = r)
		for (r = a; r < end && r->order == a->order; r++) {
			bool hit = false;

			if (r->refund != 1 || r->item != NO_ITEM)
				continue;
			for (q = a; r->order != 0 && q < r; q++)
				if (q->refund == 0 && q->ts <= r->ts) {
					q->refund = CANCELLED;
					hit = true;
				}
			if (!hit)
				p->unmatched++;
		}
}

/*
 * Finish the lines [l, end) of one customer: refunds applied, the
 * purchases left moved to out (at or before l), each order on its first
 * day, sorted.  Returns the end of the lines written.
 */
static struct purch_line *
finish_customer(struct purch *p, struct purch_line *l, struct purch_line *end,
    struct purch_line *out)
{
	struct purch_line *r, *w = out, *a;
	bool               refunds = false, orders = false;
	size_t             n;

	for (r = l; r < end; r++) {
		refunds |= r->refund != 0;
		orders |= r->order != 0;
	}
	if (refunds)
		apply_refunds(p, l, end);
	for (r = l; r < end; r++)
		if (r->refund == 0)
			*w++ = *r;
		else if (r->refund == CANCELLED)
			p->cancelled++;
	n = (size_t)(w - out);
	if (orders && n > 1) {
		sort_lines(out, n, cmp_order);
		for (a = out; a < w; a = r)
			for (r = a; r < w && r->order == a->order; r++)
				if (a->order != 0)
					r->day = a->day;
	}
	if (n > 1)
		sort_lines(out, n, cmp_line);
	return w;
}

void
purch_finish(struct purch *p, bool sort_items)
{
	uint32_t          *rc = sort_keys(&p->custs), *ri = NULL;
	size_t             i, b, nc = purch_ncust(p), *at;
	struct purch_line *s, *w, *l;

	if (sort_items) {
		uint32_t *cat = xcalloc(p->capcat + 1, sizeof(*cat));

		ri = sort_keys(&p->items);
		for (i = 0; i < purch_nitem(p); i++)
			cat[ri[i]] = p->item_cat[i];
		free(p->item_cat);
		p->item_cat = cat;
	}
	/* A counting sort by customer, then each customer's lines alone. */
	at = xcalloc(nc + 1, sizeof(*at));
	for (b = 0; b < p->nblk; b++)
		for (l = p->blk[b], i = 0; i < p->blkn[b]; i++) {
			l[i].cust = rc[l[i].cust];
			if (ri != NULL && l[i].item != NO_ITEM)
				l[i].item = ri[l[i].item];
			at[l[i].cust + 1]++;
		}
	free(rc);
	free(ri);
	for (i = 1; i < nc; i++)
		at[i + 1] += at[i];
	s = xmalloc_huge((p->n + 1) * sizeof(*s));
	for (b = 0; b < p->nblk; b++) {
		for (l = p->blk[b], i = 0; i < p->blkn[b]; i++)
			s[at[l[i].cust]++] = l[i];
		free(p->blk[b]);
		p->blk[b] = NULL;
	}
	free_blocks(p);
	free(p->lines);
	p->lines = s;
	w = s;
	for (i = 0; i < nc; i++) {
		size_t a = i == 0 ? 0 : at[i - 1];

		w = finish_customer(p, s + a, s + at[i], w);
	}
	p->n = (size_t)(w - s);
	free(at);
}

const char *
purch_category(const struct purch *p, uint32_t i)
{
	if (i >= purch_nitem(p) || p->item_cat[i] == 0)
		return NULL;
	return hmap_key(&p->cats, p->item_cat[i] - 1, NULL);
}

/* The run of customer c's lines from day lo until day hi in [*a, end). */
static void
window(const struct purch_line *l, size_t n, size_t *at, uint32_t c, int32_t lo,
    int32_t hi, size_t *a, size_t *b)
{
	size_t i = *at;

	while (i < n && l[i].cust == c && l[i].day < lo)
		i++;
	*a = i;
	while (i < n && l[i].cust == c && l[i].day < hi)
		i++;
	*b = i;
	while (i < n && l[i].cust == c)
		i++;
	*at = i;
}

/* An item's line in a customer's window, for counting. */
struct tline {
	uint64_t order;
	uint32_t item;
	int32_t  day;
};

static int
cmp_tline(const void *pa, const void *pb)
{
	const struct tline *a = pa, *b = pb;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

void
purch_view(struct purch_hist *h, const struct purch *p, const int32_t *from,
    const int32_t *until)
{
	const struct purch_line *l = p->lines;
	struct tline            *t = NULL;
	size_t                   capt = 0, cape = 0, at = 0, c, a, b, i, k;

	memset(h, 0, sizeof(*h));
	h->ncust = purch_ncust(p);
	h->nitem = purch_nitem(p);
	h->off = xcalloc(h->ncust + 1, sizeof(*h->off));
	h->baskets = xcalloc(h->ncust + 1, sizeof(*h->baskets));
	h->days = xcalloc(h->ncust + 1, sizeof(*h->days));
	h->last = xcalloc(h->ncust + 1, sizeof(*h->last));
	h->ref_day = PURCH_NO_DAY;
	for (c = 0; c < h->ncust; c++) {
		h->off[c] = h->nent;
		h->last[c] = PURCH_NO_DAY;
		while (at < p->n && l[at].cust < c)
			at++;
		window(l, p->n, &at, (uint32_t)c,
		    from != NULL ? from[c] : PURCH_NO_DAY,
		    until != NULL ? until[c] : INT32_MAX, &a, &b);
		if (a == b)
			continue;
		h->active++;
		h->nlines += b - a;
		h->last[c] = l[b - 1].day;
		if (l[b - 1].day > h->ref_day)
			h->ref_day = l[b - 1].day;
		if (b - a > capt)
			xgrow(&t, &capt, b - a, sizeof(*t));
		for (i = a; i < b; i++) {
			h->days[c] += i == a || l[i].day != l[i - 1].day;
			h->baskets[c] += i == a || l[i].day != l[i - 1].day ||
			    l[i].order != l[i - 1].order;
			t[i - a] =
			    (struct tline){ l[i].order, l[i].item, l[i].day };
		}
		qsort(t, b - a, sizeof(*t), cmp_tline);
		for (i = 0; i < b - a; i = k) {
			struct purch_ent *e;

			if (h->nent == cape)
				xgrow(&h->ent, &cape, h->nent + 1,
				    sizeof(*h->ent));
			e = &h->ent[h->nent++];
			*e = (struct purch_ent){ t[i].item, 0, 0, t[i].day,
				t[i].day };
			for (k = i; k < b - a && t[k].item == t[i].item; k++) {
				e->days += k == i || t[k].day != t[k - 1].day;
				e->baskets += k == i ||
				    t[k].day != t[k - 1].day ||
				    t[k].order != t[k - 1].order;
				e->last = t[k].day;
			}
		}
	}
	h->off[h->ncust] = h->nent;
	free(t);
	h->ioff = xcalloc(h->nitem + 2, sizeof(*h->ioff));
	h->icust = xcalloc(h->nent + 1, sizeof(*h->icust));
	h->ient = xcalloc(h->nent + 1, sizeof(*h->ient));
	for (i = 0; i < h->nent; i++)
		h->ioff[h->ent[i].item + 2]++;
	for (i = 2; i < h->nitem + 2; i++)
		h->ioff[i] += h->ioff[i - 1];
	for (c = 0; c < h->ncust; c++)
		for (i = h->off[c]; i < h->off[c + 1]; i++) {
			size_t j = h->ioff[h->ent[i].item + 1]++;

			h->icust[j] = (uint32_t)c;
			h->ient[j] = (uint32_t)i;
		}
}

void
purch_hist_release(struct purch_hist *h)
{
	free(h->off);
	free(h->ent);
	free(h->baskets);
	free(h->days);
	free(h->last);
	free(h->ioff);
	free(h->icust);
	free(h->ient);
	memset(h, 0, sizeof(*h));
}

void
purch_baskets(const struct purch *p, const int32_t *from, const int32_t *until,
    size_t **off, uint32_t **items, size_t *nbaskets)
{
	const struct purch_line *l = p->lines;
	size_t                   capo = 0, capi = 0, ni = 0, nb = 0, at = 0;
	size_t                   c, a, b, i;

	*off = NULL;
	*items = NULL;
	xgrow(off, &capo, 1, sizeof(**off));
	(*off)[0] = 0;
	for (c = 0; c < purch_ncust(p); c++) {
		while (at < p->n && l[at].cust < c)
			at++;
		window(l, p->n, &at, (uint32_t)c,
		    from != NULL ? from[c] : PURCH_NO_DAY,
		    until != NULL ? until[c] : INT32_MAX, &a, &b);
		for (i = a; i < b; i++) {
			bool new_basket = i == a || l[i].day != l[i - 1].day ||
			    l[i].order != l[i - 1].order;

			if (new_basket && i > a) {
				nb++;
				xgrow(off, &capo, nb + 1, sizeof(**off));
				(*off)[nb] = ni;
			}
			if (!new_basket && l[i].item == l[i - 1].item)
				continue;
			xgrow(items, &capi, ni + 1, sizeof(**items));
			(*items)[ni++] = l[i].item;
		}
		if (b > a) {
			nb++;
			xgrow(off, &capo, nb + 1, sizeof(**off));
			(*off)[nb] = ni;
		}
	}
	*nbaskets = nb;
}
