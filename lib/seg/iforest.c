/*
 * iforest: see iforest.h.  A tree is grown depth first into an array in
 * preorder; the rows of a node are a range of an index array partitioned
 * in place, as quicksort partitions.
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "iforest.h"
#include "rng.h"
#include "xalloc.h"

/* The Euler-Mascheroni constant, for the harmonic numbers. */
#define EULER 0.5772156649015329

double
iforest_c(double m)
{
	if (m <= 1)
		return 0;
	if (m <= 2)
		return 1;
	return 2 * (log(m - 1) + EULER) - 2 * (m - 1) / m;
}

/* What growing one tree needs. */
struct grow {
	const double *x;
	size_t        d;
	size_t        maxdepth;
	struct rng   *r;
	size_t       *cols; /* d: the columns, drawn without replacement */
	struct iforest_node *node; /* the forest's nodes */
	size_t               n, cap;
};

static size_t
add_node(struct grow *g)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1024;
		g->node = xrealloc(g->node, g->cap * sizeof(*g->node));
	}
	return g->n++;
}

/* A uniform integer in [0, n), n >= 1. */
static size_t
draw(struct rng *r, size_t n)
{
	return (size_t)(rng_uniform(r) * (double)n);
}

/*
 * Grow the subtree of the m rows idx[0..m-1] at depth; root is the index of
 * its first node relative to the tree's first, base.
 */
static void
grow(struct grow *g, size_t *idx, size_t m, size_t depth, size_t base)
{
	size_t i, k, left, at = add_node(g), c = 0;
	double lo = 0, hi = 0, v, split;
	bool   found = false;

	if (depth < g->maxdepth && m > 1) {
		/* Columns in random order until one varies here. */
		for (i = 0; i < g->d; i++)
			g->cols[i] = i;
		for (k = g->d; k > 0 && !found; k--) {
			i = draw(g->r, k);
			c = g->cols[i];
			g->cols[i] = g->cols[k - 1];
			lo = hi = g->x[idx[0] * g->d + c];
			for (i = 1; i < m; i++) {
				v = g->x[idx[i] * g->d + c];
				lo = v < lo ? v : lo;
				hi = v > hi ? v : hi;
			}
			found = lo < hi;
		}
	}
	if (!found) {
		g->node[at] = (struct iforest_node){ -1, 0, (double)m };
		return;
	}
	split = lo + rng_uniform(g->r) * (hi - lo);
	if (!(split > lo))
		split = nextafter(lo, hi); /* both sides must hold a row */
	for (i = 0, left = 0; i < m; i++)
		if (g->x[idx[i] * g->d + c] < split) {
			size_t t = idx[i];

			idx[i] = idx[left];
			idx[left++] = t;
		}
	grow(g, idx, left, depth + 1, base);
	g->node[at] =
	    (struct iforest_node){ (int32_t)c, (uint32_t)(g->n - base), split };
	grow(g, idx + left, m - left, depth + 1, base);
}

void
iforest_fit(struct iforest *f, const float *const *col, const double *fill,
    size_t n, size_t d, size_t ntrees, size_t sample, uint64_t seed)
{
	struct rng  r;
	struct grow g = { 0 };
	size_t     *perm = xcalloc(n, sizeof(*perm)), *idx, t, i, j, k, tmp;
	double     *xs;

	memset(f, 0, sizeof(*f));
	f->d = d;
	f->ntrees = ntrees;
	f->sample = sample < n ? sample : n;
	f->cn = iforest_c((double)f->sample);
	f->start = xcalloc(ntrees + 1, sizeof(*f->start));
	rng_init(&r, seed);
	xs = xreallocarray(NULL, f->sample * d + 1, sizeof(*xs));
	g.x = xs;
	g.d = d;
	g.r = &r;
	g.cols = xcalloc(d, sizeof(*g.cols));
	g.maxdepth =
	    (size_t)ceil(log2((double)(f->sample > 1 ? f->sample : 2)));
	idx = xcalloc(f->sample, sizeof(*idx));
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (t = 0; t < ntrees; t++) {
		/* A partial Fisher-Yates shuffle draws the sample, whose
		 * rows are copied in the order drawn. */
		for (i = 0; i < f->sample; i++) {
			j = i + draw(&r, n - i);
			tmp = perm[i];
			perm[i] = perm[j];
			perm[j] = tmp;
			idx[i] = i;
			for (k = 0; k < d; k++) {
				double v = col[k][perm[i]];

				xs[i * d + k] =
				    isnan(v) && fill != NULL ? fill[k] : v;
			}
		}
		f->start[t] = g.n;
		grow(&g, idx, f->sample, 0, g.n);
	}
	f->start[ntrees] = g.n;
	f->node = g.node;
	free(g.cols);
	free(idx);
	free(perm);
	free(xs);
}

double
iforest_score(const struct iforest *f, const double *row)
{
	double sum = 0;
	size_t t, depth;

	for (t = 0; t < f->ntrees; t++) {
		const struct iforest_node *tree = f->node + f->start[t],
		                          *p = tree;

		for (depth = 0; p->col >= 0; depth++)
			p = row[p->col] < p->v ? p + 1 : tree + p->right;
		sum += (double)depth + iforest_c(p->v);
	}
	if (f->ntrees == 0 || f->cn <= 0)
		return 0.5;
	return exp2(-sum / (double)f->ntrees / f->cn);
}

void
iforest_save(const struct iforest *f, struct jsonw *w)
{
	size_t t, i;

	jsonw_obj_begin(w);
	jsonw_key(w, "trees");
	jsonw_int(w, (int64_t)f->ntrees);
	jsonw_key(w, "sample");
	jsonw_int(w, (int64_t)f->sample);
	jsonw_key(w, "nodes");
	jsonw_arr_begin(w);
	for (t = 0; t < f->ntrees; t++) {
		int indent = w->indent;

		/* A tree on one line: a forest has tens of thousands of
		 * nodes. */
		jsonw_arr_begin(w);
		w->indent = 0;
		for (i = f->start[t]; i < f->start[t + 1]; i++) {
			const struct iforest_node *p = &f->node[i];

			jsonw_arr_begin(w);
			jsonw_int(w, p->col);
			jsonw_int(w, p->right);
			jsonw_double(w, p->v);
			jsonw_arr_end(w);
		}
		jsonw_arr_end(w);
		w->indent = indent;
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

/*
 * Check that the nodes [at, end) of a tree of nn nodes make the subtree
 * whose root is at: each split's right child follows its left subtree.
 * Returns the index after the subtree, or 0 when it is malformed.
 */
static size_t
check_tree(const struct iforest_node *tree, size_t at, size_t nn, size_t d,
    size_t depth)
{
	size_t after;

	if (at >= nn || depth > 64)
		return 0;
	if (tree[at].col < 0)
		return tree[at].col == -1 && tree[at].v >= 1 ? at + 1 : 0;
	if ((size_t)tree[at].col >= d || !isfinite(tree[at].v))
		return 0;
	after = check_tree(tree, at + 1, nn, d, depth + 1);
	if (after == 0 || tree[at].right != after)
		return 0;
	return check_tree(tree, after, nn, d, depth + 1);
}

int
iforest_load(struct iforest *f, const struct model *m, const char *path,
    size_t d, struct ci_err *e)
{
	char          key[128];
	const json_t *a, *tree, *nd;
	double        trees, sample;
	size_t        t, i, nn, total = 0;

	memset(f, 0, sizeof(*f));
	f->d = d;
	snprintf(key, sizeof(key), "%s.trees", path);
	if (model_number(m, key, &trees, e) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s.sample", path);
	if (model_number(m, key, &sample, e) < 0)
		return -1;
	if (!(sample >= 1 && sample <= 1e9) || sample != floor(sample))
		return model_broken(m, key, "a number of rows", e);
	snprintf(key, sizeof(key), "%s.nodes", path);
	if ((a = model_get(m, key, e)) == NULL)
		return -1;
	if (!(trees >= 1 && trees <= 1e5) || trees != floor(trees) ||
	    !json_is_array(a) || json_array_size(a) != (size_t)trees)
		return model_broken(m, key, "one list of nodes per tree", e);
	f->ntrees = (size_t)trees;
	f->sample = (size_t)sample;
	f->cn = iforest_c(sample);
	f->start = xcalloc(f->ntrees + 1, sizeof(*f->start));
	for (t = 0; t < f->ntrees; t++) {
		tree = json_array_get(a, t);
		if (!json_is_array(tree) || json_array_size(tree) == 0)
			return model_broken(
			    m, key, "one list of nodes per tree", e);
		total += json_array_size(tree);
	}
	f->node = xcalloc(total, sizeof(*f->node));
	for (t = 0, total = 0; t < f->ntrees; t++) {
		tree = json_array_get(a, t);
		nn = json_array_size(tree);
		f->start[t] = total;
		for (i = 0; i < nn; i++) {
			struct iforest_node *p = &f->node[total + i];
			json_int_t           c, r;

			nd = json_array_get(tree, i);
			if (!json_is_array(nd) || json_array_size(nd) != 3 ||
			    !json_is_integer(json_array_get(nd, 0)) ||
			    !json_is_integer(json_array_get(nd, 1)) ||
			    !json_is_number(json_array_get(nd, 2)))
				return model_broken(m, key,
				    "lists of [column, right, value]", e);
			c = json_integer_value(json_array_get(nd, 0));
			r = json_integer_value(json_array_get(nd, 1));
			if (c < -1 || c >= (json_int_t)d || r < 0 ||
			    r >= (json_int_t)nn)
				return model_broken(
				    m, key, "a well-formed tree", e);
			p->col = (int32_t)c;
			p->right = (uint32_t)r;
			p->v = json_number_value(json_array_get(nd, 2));
		}
		if (check_tree(f->node + total, 0, nn, d, 0) != nn)
			return model_broken(m, key, "a well-formed tree", e);
		total += nn;
	}
	f->start[f->ntrees] = total;
	return 0;
}

void
iforest_release(struct iforest *f)
{
	free(f->start);
	free(f->node);
	memset(f, 0, sizeof(*f));
}
