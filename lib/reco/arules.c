/*
 * arules: FP-growth and the rules.  Items are ranked by support (most
 * frequent first, ties by id), every path of a tree runs from low rank to
 * high, and the nodes of one rank are chained from the header.  The
 * itemsets found are kept in a hash map from their sorted items to their
 * count, where the rules look up the support of their antecedents.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arules.h"
#include "hmap.h"
#include "xalloc.h"

#define NONE UINT32_MAX

struct fptree {
	size_t    n, cap, nrank;
	uint32_t *rank, *cnt, *parent, *child, *sibling, *link;
	uint32_t *head;   /* first node of each rank */
	uint32_t *hcount; /* count of each rank in the tree */
	uint32_t *root;   /* the root's child of each rank */
};

static void
tree_init(struct fptree *t, size_t nrank)
{
	memset(t, 0, sizeof(*t));
	t->nrank = nrank;
	t->head = xmalloc((nrank + 1) * sizeof(*t->head));
	t->root = xmalloc((nrank + 1) * sizeof(*t->root));
	t->hcount = xcalloc(nrank + 1, sizeof(*t->hcount));
	memset(t->head, 0xff, (nrank + 1) * sizeof(*t->head));
	memset(t->root, 0xff, (nrank + 1) * sizeof(*t->root));
}

static void
tree_release(struct fptree *t)
{
	free(t->rank);
	free(t->cnt);
	free(t->parent);
	free(t->child);
	free(t->sibling);
	free(t->link);
	free(t->head);
	free(t->hcount);
	free(t->root);
}

static uint32_t
new_node(struct fptree *t, uint32_t rank, uint32_t parent)
{
	if (t->n == t->cap) {
		size_t c = t->cap;

		xgrow(&t->rank, &c, t->n + 1, sizeof(*t->rank));
		t->rank = xreallocarray(t->rank, c, sizeof(*t->rank));
		t->cnt = xreallocarray(t->cnt, c, sizeof(*t->cnt));
		t->parent = xreallocarray(t->parent, c, sizeof(*t->parent));
		t->child = xreallocarray(t->child, c, sizeof(*t->child));
		t->sibling = xreallocarray(t->sibling, c, sizeof(*t->sibling));
		t->link = xreallocarray(t->link, c, sizeof(*t->link));
		t->cap = c;
	}
	t->rank[t->n] = rank;
	t->cnt[t->n] = 0;
	t->parent[t->n] = parent;
	t->child[t->n] = NONE;
	t->link[t->n] = t->head[rank];
	t->head[rank] = (uint32_t)t->n;
	if (parent == NONE) {
		t->sibling[t->n] = NONE;
		t->root[rank] = (uint32_t)t->n;
	} else {
		t->sibling[t->n] = t->child[parent];
		t->child[parent] = (uint32_t)t->n;
	}
	return (uint32_t)t->n++;
}

/* Insert the path of ranks r[0..n) (ascending) with count c. */
static void
insert(struct fptree *t, const uint32_t *r, size_t n, uint32_t c)
{
	uint32_t at = NONE, x;
	size_t   i;

	for (i = 0; i < n; i++) {
		if (at == NONE)
			x = t->root[r[i]];
		else
			for (x = t->child[at]; x != NONE && t->rank[x] != r[i];
			     x = t->sibling[x])
				;
		if (x == NONE)
			x = new_node(t, r[i], at);
		t->cnt[x] += c;
		t->hcount[r[i]] += c;
		at = x;
	}
}

struct miner {
	const struct arules_opts *o;
	uint32_t                  minc;
	const uint32_t           *item; /* item of each global rank */
	struct hmap               sets; /* sorted items -> index */
	uint32_t                 *count;
	size_t                    capcount, max;
	uint32_t                  suffix[64];
	int                       overflow;
	uint32_t                 *path;
};

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void
record(struct miner *m, size_t len, uint32_t count)
{
	uint32_t s[64] = { 0 };
	size_t   i, k;

	for (i = 0; i < len; i++)
		s[i] = m->item[m->suffix[i]];
	qsort(s, len, sizeof(*s), cmp_u32);
	k = hmap_intern(&m->sets, (const char *)s, len * sizeof(*s), NULL);
	if (k >= m->capcount)
		xgrow(&m->count, &m->capcount, k + 1, sizeof(*m->count));
	m->count[k] = count;
	if (hmap_count(&m->sets) > m->max)
		m->overflow = 1;
}

/* Mine tree t, whose itemsets end with the len items of m->suffix. */
static void
mine(struct miner *m, struct fptree *t, size_t len)
{
	size_t r;

	for (r = t->nrank; r-- > 0 && !m->overflow;) {
		struct fptree c;
		uint32_t      x, y, *cnt;
		size_t        n, i;

		if (t->hcount[r] < m->minc)
			continue;
		m->suffix[len] = (uint32_t)r;
		record(m, len + 1, t->hcount[r]);
		if (len + 1 >= m->o->max_len || r == 0)
			continue;
		/* The conditional counts of the ranks below r. */
		cnt = xcalloc(r, sizeof(*cnt));
		for (x = t->head[r]; x != NONE; x = t->link[x])
			for (y = t->parent[x]; y != NONE; y = t->parent[y])
				cnt[t->rank[y]] += t->cnt[x];
		tree_init(&c, r);
		for (x = t->head[r]; x != NONE; x = t->link[x]) {
			n = 0;
			for (y = t->parent[x]; y != NONE; y = t->parent[y])
				if (cnt[t->rank[y]] >= m->minc)
					m->path[n++] = t->rank[y];
			for (i = 0; i < n / 2; i++) {
				uint32_t s = m->path[i];

				m->path[i] = m->path[n - 1 - i];
				m->path[n - 1 - i] = s;
			}
			if (n > 0)
				insert(&c, m->path, n, t->cnt[x]);
		}
		free(cnt);
		if (c.n > 0)
			mine(m, &c, len + 1);
		tree_release(&c);
	}
}

struct rankitem {
	uint32_t item, count;
};

static int
cmp_rank(const void *pa, const void *pb)
{
	const struct rankitem *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->item > b->item) - (a->item < b->item);
}

static int
cmp_rule(const void *pa, const void *pb, void *items)
{
	const struct arules_rule *a = pa, *b = pb;
	const uint32_t           *it = items;
	uint32_t                  i;

	for (i = 0; i < a->len && i < b->len; i++)
		if (it[a->ante + i] != it[b->ante + i])
			return it[a->ante + i] < it[b->ante + i] ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (a->cons > b->cons) - (a->cons < b->cons);
}

static void
make_rules(struct arules *a, struct miner *m, const uint32_t *icount)
{
	size_t   k, len, i, j, capr = 0, capi = 0, ni = 0;
	uint32_t ante[64], s[64];
	double   nb = (double)a->nbaskets;

	for (k = 0; k < hmap_count(&m->sets); k++) {
		/* A copy: the map's key bytes need not be aligned. */
		const char *key = hmap_key(&m->sets, k, &len);

		memcpy(s, key, len);
		len /= sizeof(*s);
		for (i = 0; len >= 2 && i < len; i++) {
			struct arules_rule r = { 0 };
			long               ak;

			for (j = 0; j < len; j++)
				if (j != i)
					ante[j - (j > i)] = s[j];
			ak = hmap_find(&m->sets, (const char *)ante,
			    (len - 1) * sizeof(*ante));
			if (ak < 0)
				continue;
			r.count = m->count[k];
			r.ante_count = m->count[ak];
			r.cons = s[i];
			r.cons_count = icount[s[i]];
			r.len = (uint32_t)(len - 1);
			r.support = r.count / nb;
			r.confidence = (double)r.count / r.ante_count;
			if (r.confidence < m->o->min_confidence)
				continue;
			/* Products of counts, so equal ratios are equal. */
			r.lift = (double)r.count * nb /
			    ((double)r.ante_count * r.cons_count);
			r.conviction = r.count == r.ante_count
			    ? INFINITY
			    : (nb - r.cons_count) * r.ante_count /
			        (nb * (double)(r.ante_count - r.count));
			xgrow(&a->items, &capi, ni + len, sizeof(*a->items));
			memcpy(a->items + ni, ante, (len - 1) * sizeof(*ante));
			r.ante = ni;
			ni += len - 1;
			xgrow(&a->r, &capr, a->n + 1, sizeof(*a->r));
			a->r[a->n++] = r;
		}
	}
	if (a->n > 0)
		qsort_r(a->r, a->n, sizeof(*a->r), cmp_rule, a->items);
	a->first = xcalloc(a->nitem + 2, sizeof(*a->first));
	for (k = 0; k < a->n; k++)
		a->first[a->items[a->r[k].ante] + 1] = k + 1;
	for (k = 1; k <= a->nitem; k++)
		if (a->first[k] < a->first[k - 1])
			a->first[k] = a->first[k - 1];
}

int
arules_mine(struct arules *a, const size_t *off, const uint32_t *items,
    size_t nb, size_t nitem, const struct arules_opts *o, size_t max_itemsets)
{
	struct miner     m = { 0 };
	struct fptree    t;
	struct rankitem *ri = xcalloc(nitem + 1, sizeof(*ri));
	uint32_t        *icount = xcalloc(nitem + 1, sizeof(*icount));
	uint32_t        *rank = xcalloc(nitem + 1, sizeof(*rank));
	uint32_t        *byrank = xcalloc(nitem + 1, sizeof(*byrank));
	size_t           b, i, n, nrank = 0, maxb = 1;
	double           minc;

	memset(a, 0, sizeof(*a));
	a->nbaskets = nb;
	a->nitem = nitem;
	minc = o->min_support * (double)nb;
	m.minc =
	    minc < 1 ? 1 : (uint32_t)minc + ((double)(uint32_t)minc < minc);
	m.o = o;
	m.max = max_itemsets;
	for (b = 0; b < nb; b++) {
		for (i = off[b]; i < off[b + 1]; i++)
			icount[items[i]]++;
		if (off[b + 1] - off[b] > maxb)
			maxb = off[b + 1] - off[b];
	}
	for (i = 0; i < nitem; i++)
		ri[i] = (struct rankitem){ (uint32_t)i, icount[i] };
	qsort(ri, nitem, sizeof(*ri), cmp_rank);
	for (i = 0; i < nitem; i++)
		rank[i] = NONE;
	for (i = 0; i < nitem && ri[i].count >= m.minc; i++) {
		rank[ri[i].item] = (uint32_t)i;
		byrank[i] = ri[i].item;
		nrank++;
	}
	m.item = byrank;
	m.path = xcalloc(maxb + 1, sizeof(*m.path));
	tree_init(&t, nrank);
	for (b = 0; b < nb; b++) {
		for (i = off[b], n = 0; i < off[b + 1]; i++)
			if (rank[items[i]] != NONE)
				m.path[n++] = rank[items[i]];
		qsort(m.path, n, sizeof(*m.path), cmp_u32);
		if (n > 0)
			insert(&t, m.path, n, 1);
	}
	mine(&m, &t, 0);
	tree_release(&t);
	a->nitemsets = hmap_count(&m.sets);
	if (!m.overflow)
		make_rules(a, &m, icount);
	hmap_release(&m.sets);
	free(m.count);
	free(m.path);
	free(ri);
	free(icount);
	free(rank);
	free(byrank);
	return m.overflow ? -1 : 0;
}

void
arules_match(const struct arules *a, const uint32_t *h, size_t nh,
    void (*fn)(void *ctx, const struct arules_rule *r), void *ctx)
{
	size_t i, k, j, at;

	for (i = 0; i < nh; i++) {
		if (h[i] >= a->nitem)
			continue;
		for (k = a->first[h[i]]; k < a->first[h[i] + 1]; k++) {
			const struct arules_rule *r = &a->r[k];

			for (j = 1, at = i + 1; j < r->len; j++) {
				while (at < nh && h[at] < a->items[r->ante + j])
					at++;
				if (at == nh || h[at] != a->items[r->ante + j])
					break;
			}
			if (j == r->len)
				fn(ctx, r);
		}
	}
}

void
arules_release(struct arules *a)
{
	free(a->r);
	free(a->items);
	free(a->first);
	memset(a, 0, sizeof(*a));
}
