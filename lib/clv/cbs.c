/*
 * cbs: collapsing customer summaries to distinct rows.  A row's key is
 * the exact bits of its values (with -0 read as +0), found through an
 * open-addressing table of row numbers, so the rows keep first-seen order
 * and the output does not depend on the hash table.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cbs.h"
#include "hmap.h"
#include "xalloc.h"

/* The bits of v, with -0 read as +0. */
static uint64_t
bits(double v)
{
	uint64_t u;

	v += 0.0; /* -0 + 0 is +0 */
	memcpy(&u, &v, sizeof(u));
	return u;
}

/* A hash of the k values v (splitmix64's finaliser over their bits). */
static uint64_t
hash_row(const double *v, size_t k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t   i;

	for (i = 0; i < k; i++) {
		h ^= bits(v[i]) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
		h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
		h ^= h >> 31;
	}
	return h;
}

/*
 * The row of the values v (k of them) in the table t, whose rows
 * 0..n-1 are the columns col[0..k-1]; or, when they are new, row n, which
 * the caller then fills (*is_new).  The table keeps row numbers + 1 in
 * open addressing, at most half full, so that a lookup compares the
 * values themselves and touches no other memory.
 */
static size_t
find_row(struct cbs_tab *t, double *const *col, size_t n, const double *v,
    size_t k, bool *is_new)
{
	size_t i, j, r;

	if (2 * (n + 1) > t->mask + 1) {
		size_t cap = t->mask ? 2 * (t->mask + 1) : 1024;

		free(t->slot);
		t->slot = xcalloc(cap, sizeof(*t->slot));
		t->mask = cap - 1;
		for (r = 0; r < n; r++) {
			double w[3];

			for (j = 0; j < k; j++)
				w[j] = col[j][r];
			for (i = hash_row(w, k) & t->mask; t->slot[i] != 0;
			     i = (i + 1) & t->mask)
				;
			t->slot[i] = (uint32_t)r + 1;
		}
	}
	for (i = hash_row(v, k) & t->mask; t->slot[i] != 0;
	     i = (i + 1) & t->mask) {
		r = t->slot[i] - 1;
		for (j = 0; j < k && bits(col[j][r]) == bits(v[j]); j++)
			;
		if (j == k) {
			*is_new = false;
			return r;
		}
	}
	t->slot[i] = (uint32_t)n + 1;
	*is_new = true;
	return n;
}

static void
tab_release(struct cbs_tab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->mask = 0;
}

static bool
is_count(double x)
{
	return isfinite(x) && x >= 0 && x == floor(x);
}

/* Compares the leading doubles of two records. */
static int
cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * Fill *nx, *xs and *xi with the distinct values of x[0..n-1] (ascending)
 * and the index of each x among them: the values are interned in a hash
 * map (linear in n), and only the distinct ones are sorted.
 */
static void
index_x(const double *x, size_t n, size_t *nx, double **xs, uint32_t **xi)
{
	struct hmap m = { 0 };
	struct rank {
		double   v;
		uint32_t first;
	} * r;
	uint32_t *to;
	size_t    i, k;

	*xi = xmalloc((n ? n : 1) * sizeof(**xi));
	for (i = 0; i < n; i++) {
		double z = x[i] + 0.0;

		(*xi)[i] = (uint32_t)hmap_intern(
		    &m, (const char *)&z, sizeof(z), NULL);
	}
	k = hmap_count(&m);
	r = xmalloc((k ? k : 1) * sizeof(*r));
	for (i = 0; i < k; i++) {
		memcpy(&r[i].v, hmap_key(&m, i, NULL), sizeof(double));
		r[i].first = (uint32_t)i;
	}
	qsort(r, k, sizeof(*r), cmp_double);
	to = xmalloc((k ? k : 1) * sizeof(*to));
	*xs = xmalloc((k ? k : 1) * sizeof(**xs));
	for (i = 0; i < k; i++) {
		to[r[i].first] = (uint32_t)i;
		(*xs)[i] = r[i].v;
	}
	for (i = 0; i < n; i++)
		(*xi)[i] = to[(*xi)[i]];
	*nx = k;
	free(r);
	free(to);
	hmap_release(&m);
}

void
cbs_acc_init(struct cbs_acc *a)
{
	memset(a, 0, sizeof(*a));
}

long
cbs_acc_add(struct cbs_acc *a, double x, double tx, double T, size_t count,
    struct ci_err *err)
{
	double v[3] = { x, tx, T };
	size_t i;
	bool   is_new;

	if (!is_count(x))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad frequency '%g': not a whole number >= 0", x);
	if (!(isfinite(T) && T >= 0))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad age '%g': not a number >= 0", T);
	if (!(isfinite(tx) && tx >= 0 && tx <= T))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad recency '%g': not between 0 and the age %g", tx, T);
	if (x == 0 && tx != 0)
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad recency '%g': must be 0 when the frequency is 0", tx);
	if (count == 0)
		return ci_err_set(
		    err, CI_EXIT_DATA, NULL, 0, "bad customer count 0");
	{
		double *const col[3] = { a->d.x, a->d.tx, a->d.T };

		i = find_row(&a->tab, col, a->d.n, v, 3, &is_new);
	}
	if (is_new) {
		size_t old = a->cap;

		xgrow(&a->d.x, &a->cap, i + 1, sizeof(double));
		if (a->cap != old) {
			a->d.tx =
			    xreallocarray(a->d.tx, a->cap, sizeof(double));
			a->d.T = xreallocarray(a->d.T, a->cap, sizeof(double));
			a->d.w = xreallocarray(a->d.w, a->cap, sizeof(double));
		}
		a->d.x[i] = x + 0.0;
		a->d.tx[i] = tx + 0.0;
		a->d.T[i] = T;
		a->d.w[i] = 0;
		a->d.n = i + 1;
		if (T > a->d.max_T)
			a->d.max_T = T;
	}
	a->d.w[i] += (double)count;
	a->d.total += (double)count;
	return (long)i;
}

void
cbs_acc_freeze(struct cbs_acc *a, struct cbs *out)
{
	*out = a->d;
	index_x(out->x, out->n, &out->nx, &out->xs, &out->xi);
	index_x(out->T, out->n, &out->nT, &out->Ts, &out->Ti);
	index_x(out->tx, out->n, &out->ntx, &out->txs, &out->txi);
	memset(&a->d, 0, sizeof(a->d));
	a->cap = 0;
	tab_release(&a->tab);
}

void
cbs_acc_release(struct cbs_acc *a)
{
	cbs_release(&a->d);
	tab_release(&a->tab);
	a->cap = 0;
}

void
cbs_release(struct cbs *d)
{
	free(d->x);
	free(d->tx);
	free(d->T);
	free(d->w);
	free(d->xs);
	free(d->xi);
	free(d->Ts);
	free(d->Ti);
	free(d->txs);
	free(d->txi);
	memset(d, 0, sizeof(*d));
}

void
cbs_spend_acc_init(struct cbs_spend_acc *a)
{
	memset(a, 0, sizeof(*a));
}

int
cbs_spend_acc_add(struct cbs_spend_acc *a, double x, double m, size_t count,
    struct ci_err *err)
{
	double v[2] = { x, m };
	size_t i;
	bool   is_new;

	if (!is_count(x))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad frequency '%g': not a whole number >= 0", x);
	if (x == 0)
		return 0;
	if (!(isfinite(m) && m > 0))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad monetary value '%g': not a number > 0", m);
	if (count == 0)
		return ci_err_set(
		    err, CI_EXIT_DATA, NULL, 0, "bad customer count 0");
	{
		double *const col[2] = { a->d.x, a->d.m };

		i = find_row(&a->tab, col, a->d.n, v, 2, &is_new);
	}
	if (is_new) {
		size_t old = a->cap;

		xgrow(&a->d.x, &a->cap, i + 1, sizeof(double));
		if (a->cap != old) {
			a->d.m = xreallocarray(a->d.m, a->cap, sizeof(double));
			a->d.w = xreallocarray(a->d.w, a->cap, sizeof(double));
		}
		a->d.x[i] = x + 0.0;
		a->d.m[i] = m;
		a->d.w[i] = 0;
		a->d.n = i + 1;
	}
	a->d.w[i] += (double)count;
	a->d.total += (double)count;
	return 0;
}

void
cbs_spend_acc_freeze(struct cbs_spend_acc *a, struct cbs_spend *out)
{
	size_t i;

	*out = a->d;
	index_x(out->x, out->n, &out->nx, &out->xs, &out->xi);
	out->lm = xmalloc((out->n ? out->n : 1) * sizeof(*out->lm));
	for (i = 0; i < out->n; i++)
		out->lm[i] = log(out->m[i]);
	memset(&a->d, 0, sizeof(a->d));
	a->cap = 0;
	tab_release(&a->tab);
}

void
cbs_spend_acc_release(struct cbs_spend_acc *a)
{
	cbs_spend_release(&a->d);
	tab_release(&a->tab);
	a->cap = 0;
}

void
cbs_spend_release(struct cbs_spend *d)
{
	free(d->x);
	free(d->m);
	free(d->lm);
	free(d->w);
	free(d->xs);
	free(d->xi);
	memset(d, 0, sizeof(*d));
}
