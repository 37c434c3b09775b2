/*
 * treeshap: XGBoost's trees read from its JSON model and evaluated here,
 * with exact TreeSHAP (Algorithm 2 of Lundberg, Erion & Lee 2018) run on
 * each row or tabled per block at loading, and Saabas's attribution.
 *
 * Algorithm 2 keeps the unique features of the path from the root, each
 * with the fraction of the training rows (by cover) that follow the path
 * at its splits (z, the "zero fraction"), whether the row does (o, the
 * "one fraction") and the weight w of the subsets of each size; EXTEND
 * adds a feature, UNWIND takes one out, and at a leaf each feature gets
 * the leaf value times (o - z) times the weights summed with it unwound.
 * A feature split on twice along a path is unwound and extended again
 * with the products of its fractions.  Sums here are in double; XGBoost's
 * are in float, which is where the two differ (by about 1e-7 of a value).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "treeshap.h"
#include "xalloc.h"

/* The deepest tree taken: a path holds at most this many features. */
#define MAXDEPTH 64

/* The deepest forest tabled: 2^10 - 1 comparisons a tree. */
#define MAXFAST 10

struct elem {
	int32_t d; /* feature, -1 for the root's */
	double  z, o, w;
};

/* Add a feature with fractions pz, po to the path m of l elements. */
static void
extend(struct elem *m, int l, double pz, double po, int32_t pi)
{
	int i;

	m[l].d = pi;
	m[l].z = pz;
	m[l].o = po;
	m[l].w = l == 0 ? 1 : 0;
	for (i = l - 1; i >= 0; i--) {
		m[i + 1].w += po * m[i].w * (i + 1) / (l + 1);
		m[i].w = pz * m[i].w * (l - i) / (l + 1);
	}
}

/* Take element i out of the path m whose last element is l. */
static void
unwind(struct elem *m, int l, int i)
{
	double n = m[l].w, o = m[i].o, z = m[i].z, t;
	int    j;

	for (j = l - 1; j >= 0; j--) {
		if (o != 0) {
			t = m[j].w;
			m[j].w = n * (l + 1) / ((j + 1) * o);
			n = t - m[j].w * z * (l - j) / (l + 1);
		} else
			m[j].w = m[j].w * (l + 1) / (z * (l - j));
	}
	for (j = i; j < l; j++) {
		m[j].d = m[j + 1].d;
		m[j].z = m[j + 1].z;
		m[j].o = m[j + 1].o;
	}
}

/* The total weight of the path m (last element l) with element i out. */
static double
unwound_sum(const struct elem *m, int l, int i)
{
	double o = m[i].o, z = m[i].z, next = m[l].w, total = 0, t;
	int    j;

	for (j = l - 1; j >= 0; j--) {
		if (o != 0) {
			t = next * (l + 1) / ((j + 1) * o);
			total += t;
			next = m[j].w - t * z * (l - j) / (l + 1);
		} else
			total += m[j].w * (l + 1) / (z * (l - j));
	}
	return total;
}

/*
 * One walk of Algorithm 2: the row goes to the child hot[node] says (1:
 * right); a node of feature -1 decides nothing and is passed through on
 * its left; when allow is not NULL, only the nodes it marks are entered.
 */
struct walk {
	const struct treeshap_tree *t;
	const uint8_t              *hot; /* per node; NULL: from x */
	const float                *x;
	const uint8_t              *allow; /* per node, or NULL */
	double                     *phi;
};

static int
goes_right(const struct treeshap_tree *t, int32_t node, const float *x)
{
	float v = x[t->feat[node]];

	if (isnan(v))
		return !t->dleft[node];
	return !(v < t->value[node]);
}

static void
recurse(const struct walk *k, int32_t node, struct elem *parent, int l,
    double pz, double po, int32_t pi)
{
	const struct treeshap_tree *t = k->t;
	struct elem                *m = parent + l + 1;
	int32_t                     hot, cold, f;
	double                      iz = 1, io = 1;
	int                         i, nl = l + 1;

	while (t->feat[node] < 0 && t->left[node] >= 0)
		node = t->left[node];
	if (k->allow != NULL && !k->allow[node])
		return;
	memcpy(m, parent, (size_t)l * sizeof(*m));
	extend(m, l, pz, po, pi);
	if (t->left[node] < 0) {
		for (i = 1; i <= l; i++)
			k->phi[m[i].d] += unwound_sum(m, l, i) *
			    (m[i].o - m[i].z) * t->value[node];
		return;
	}
	f = t->feat[node];
	if (k->hot != NULL ? k->hot[node] : goes_right(t, node, k->x)) {
		hot = t->right[node];
		cold = t->left[node];
	} else {
		hot = t->left[node];
		cold = t->right[node];
	}
	for (i = 1; i <= l; i++)
		if (m[i].d == f)
			break;
	if (i <= l) {
		iz = m[i].z;
		io = m[i].o;
		unwind(m, l, i);
		nl = l;
	}
	recurse(k, hot, m, nl, iz * t->cover[hot] / t->cover[node], io, f);
	recurse(k, cold, m, nl, iz * t->cover[cold] / t->cover[node], 0, f);
}

/* Room for the paths of a walk down depth levels. */
#define PATHROOM(depth) (((depth) + 3) * ((depth) + 4) / 2)

static void
walk(const struct walk *k, int depth)
{
	struct elem  local[PATHROOM(16)];
	struct elem *m = local;

	if (depth > 16)
		m = xreallocarray(NULL, PATHROOM(depth), sizeof(*m));
	recurse(k, 0, m, 0, 1, 1, -1);
	if (m != local)
		free(m);
}

/* The mean leaf value under each node, weighted by cover (XGBoost's
 * FillNodeMeanValues), children before parents. */
static double
fill_mean(struct treeshap_tree *t, int32_t node)
{
	double v;

	if (t->left[node] < 0)
		v = t->value[node];
	else
		v = (fill_mean(t, t->left[node]) * t->cover[t->left[node]] +
		        fill_mean(t, t->right[node]) *
		            t->cover[t->right[node]]) /
		    t->cover[node];
	t->mean[node] = v;
	return v;
}

static int
broken(struct ci_err *e, size_t tree, const char *what)
{
	return ci_err_set(e, CI_EXIT_MODEL, NULL, 0,
	    "broken model: tree %zu of the booster: %s", tree, what);
}

/* The n numbers of the array member key of o into a (or ia). */
static int
numbers(const json_t *o, const char *key, size_t n, float *a, int32_t *ia,
    uint8_t *ba)
{
	const json_t *v = json_object_get(o, key), *x;
	size_t        i;

	if (!json_is_array(v) || json_array_size(v) != n)
		return -1;
	json_array_foreach(v, i, x)
	{
		double d;

		if (json_is_boolean(x))
			d = json_is_true(x);
		else if (json_is_number(x))
			d = json_number_value(x);
		else
			return -1;
		if (a != NULL)
			a[i] = (float)d;
		else if (!(d >= -1 && d <= INT32_MAX && d == floor(d)))
			return -1;
		else if (ia != NULL)
			ia[i] = (int32_t)d;
		else
			ba[i] = d != 0;
	}
	return 0;
}

/* Check the shape of tree t (i): children in range, every node reached
 * once from the root, splits on known features, covers positive. */
static int
check_tree(struct treeshap_tree *t, size_t i, size_t nfeat, struct ci_err *e)
{
	int32_t *stack = xreallocarray(NULL, t->n + 1, sizeof(*stack));
	int32_t *depth = xcalloc(t->n + 1, sizeof(*depth));
	uint8_t *seen = xcalloc(t->n + 1, 1);
	size_t   sp = 0, reached = 0;
	int      rc = 0;

	stack[sp++] = 0;
	while (sp > 0 && rc == 0) {
		int32_t n = stack[--sp];

		if (seen[n])
			rc = broken(e, i, "a node reached twice");
		else if (!(t->cover[n] > 0) || !isfinite(t->cover[n]) ||
		    !isfinite(t->value[n]))
			rc = broken(e, i, "a cover or value out of range");
		else if (depth[n] >= MAXDEPTH)
			rc = broken(e, i, "deeper than 64");
		if (rc == -1)
			break;
		seen[n] = 1;
		reached++;
		if (depth[n] > t->depth)
			t->depth = depth[n];
		if ((t->left[n] < 0) != (t->right[n] < 0))
			rc = broken(e, i, "a node with one child");
		else if (t->left[n] < 0)
			continue;
		else if ((size_t)t->left[n] >= t->n ||
		    (size_t)t->right[n] >= t->n)
			rc = broken(e, i, "a child out of range");
		else if (t->feat[n] < 0 || (size_t)t->feat[n] >= nfeat)
			rc = broken(e, i, "a split on an unknown feature");
		else {
			depth[t->left[n]] = depth[t->right[n]] = depth[n] + 1;
			stack[sp++] = t->left[n];
			stack[sp++] = t->right[n];
		}
	}
	(void)reached;
	free(stack);
	free(depth);
	free(seen);
	return rc;
}

/* Room for the n nodes of t. */
static void
tree_alloc(struct treeshap_tree *t, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->n = n;
	t->left = xreallocarray(NULL, n, sizeof(*t->left));
	t->right = xreallocarray(NULL, n, sizeof(*t->right));
	t->feat = xreallocarray(NULL, n, sizeof(*t->feat));
	t->value = xreallocarray(NULL, n, sizeof(*t->value));
	t->cover = xreallocarray(NULL, n, sizeof(*t->cover));
	t->dleft = xcalloc(n, 1);
	t->mean = xcalloc(n, sizeof(*t->mean));
}

static int
load_tree(struct treeshap_tree *t, const json_t *o, size_t i, size_t nfeat,
    struct ci_err *e)
{
	const json_t *l = json_object_get(o, "left_children"), *st;
	size_t        n, j;

	if (!json_is_array(l) || (n = json_array_size(l)) == 0 ||
	    n > INT32_MAX / 2)
		return broken(e, i, "no 'left_children'");
	tree_alloc(t, n);
	if (numbers(o, "left_children", n, NULL, t->left, NULL) == -1 ||
	    numbers(o, "right_children", n, NULL, t->right, NULL) == -1 ||
	    numbers(o, "split_indices", n, NULL, t->feat, NULL) == -1 ||
	    numbers(o, "split_conditions", n, t->value, NULL, NULL) == -1 ||
	    numbers(o, "sum_hessian", n, t->cover, NULL, NULL) == -1 ||
	    numbers(o, "default_left", n, NULL, NULL, t->dleft) == -1)
		return broken(e, i, "node arrays missing or of another length");
	st = json_object_get(o, "split_type");
	json_array_foreach(st, j, l) if (json_integer_value(l) !=
	    0) return broken(e, i, "a categorical split");
	if (check_tree(t, i, nfeat, e) == -1)
		return -1;
	fill_mean(t, 0);
	return 0;
}

/* XGBoost's string parameters ("5E-1") as numbers. */
static int
param(const json_t *o, const char *key, double *v)
{
	const char *s = json_string_value(json_object_get(o, key));
	char       *end;

	if (s == NULL)
		return -1;
	*v = strtod(s, &end);
	return *end == '\0' && end != s ? 0 : -1;
}

/* The index of inner node j of the subtree at heap node p, heap order. */
static size_t
sub_node(size_t p, size_t j)
{
	size_t lev = 0;

	while (j + 1 >= ((size_t)2 << lev))
		lev++;
	return ((p + 1) << lev) - 1 + (j + 1 - ((size_t)1 << lev));
}

/*
 * Tree t made complete to depth D in heap order (node n's children are
 * 2n + 1 and 2n + 2): a leaf above depth D becomes nodes of feature -1
 * down to copies of it at depth D, each with the leaf's cover.
 */
static void
complete(const struct treeshap_tree *t, int D, struct treeshap_tree *h)
{
	size_t   ni = ((size_t)1 << D) - 1, nn = 2 * ni + 1, n;
	int32_t *from = xreallocarray(NULL, nn, sizeof(*from));

	tree_alloc(h, nn);
	h->depth = D;
	from[0] = 0;
	for (n = 0; n < nn; n++) {
		int32_t o = from[n];
		bool    leaf = t->left[o] < 0;

		h->left[n] = n < ni ? (int32_t)(2 * n + 1) : -1;
		h->right[n] = n < ni ? (int32_t)(2 * n + 2) : -1;
		h->feat[n] = leaf ? -1 : t->feat[o];
		h->value[n] = t->value[o];
		h->cover[n] = t->cover[o];
		h->dleft[n] = t->dleft[o];
		if (n < ni) {
			from[2 * n + 1] = leaf ? o : t->left[o];
			from[2 * n + 2] = leaf ? o : t->right[o];
		}
	}
	free(from);
}

static void
tree_release(struct treeshap_tree *t)
{
	free(t->left);
	free(t->right);
	free(t->feat);
	free(t->value);
	free(t->cover);
	free(t->dleft);
	free(t->mean);
}

/* Whether heap node a is node b or above it. */
static bool
above(size_t a, size_t b)
{
	while (b > a)
		b = (b - 1) / 2;
	return a == b;
}

/*
 * The table of block b of the complete tree h at tab: a row for each of
 * the 2^S ways, a column for each distinct feature of the block's slots,
 * whose indices go to sf.  Returns the number of columns.  phi is
 * scratch of nfeat zeros, left zeroed.
 */
static size_t
block_table(const struct treeshap *f, const struct treeshap_tree *h, size_t b,
    float *tab, int32_t *sf, double *phi)
{
	size_t      D = (size_t)f->depth, H = (size_t)f->height;
	size_t      na = D - H, sub = f->nslot - na, ns = f->nslot;
	size_t      p = ((size_t)1 << na) - 1 + b, s, idx, n, k = 0, j;
	size_t     *node = xcalloc(ns, sizeof(*node));
	uint8_t    *allow = xcalloc(h->n, 1), *hot = xcalloc(h->n, 1);
	struct walk w = { h, hot, NULL, allow, phi };

	for (s = 0; s < na; s++)
		node[s] = ((p + 1) >> (na - s)) - 1;
	for (s = 0; s < sub; s++)
		node[na + s] = sub_node(p, s);
	for (n = 0; n < h->n; n++)
		allow[n] = above(n, p) || above(p, n);
	for (s = 0; s < ns; s++) {
		for (j = 0; j < k; j++)
			if (sf[j] == h->feat[node[s]])
				break;
		if (j == k && h->feat[node[s]] >= 0)
			sf[k++] = h->feat[node[s]];
	}
	for (idx = 0; idx < ((size_t)1 << ns); idx++) {
		for (s = 0; s < ns; s++)
			hot[node[s]] = (uint8_t)((idx >> (ns - 1 - s)) & 1);
		walk(&w, f->depth);
		/* Column 0: the leaf the row reaches when its path goes
		 * through the block, else -0, which adds nothing to any
		 * number, not even to the sign of a zero. */
		tab[idx * (k + 1)] = -0.0f;
		if ((idx >> sub) == b) {
			for (n = p, s = 0; s < H; s++)
				n = 2 * n + 1 + hot[n];
			tab[idx * (k + 1)] = h->value[n];
		}
		for (j = 0; j < k; j++) {
			tab[idx * (k + 1) + 1 + j] = (float)phi[sf[j]];
			phi[sf[j]] = 0;
		}
	}
	free(node);
	free(allow);
	free(hot);
	return k;
}

static void
build_tables(struct treeshap *f)
{
	size_t  D = (size_t)f->depth, ni = f->ninner;
	size_t  nb = f->nblock, ns = f->nslot, ne = (size_t)1 << ns, t, b, n;
	size_t  off = 0;
	double *phi = xcalloc(f->nfeat + 1, sizeof(*phi));

	f->hfeat = xreallocarray(NULL, f->ntrees * ni + 1, sizeof(*f->hfeat));
	f->hcond = xreallocarray(NULL, f->ntrees * ni + 1, sizeof(*f->hcond));
	f->hdleft = xcalloc(f->ntrees * ni + 1, 1);
	f->sfeat = xcalloc(f->ntrees * nb * ns, sizeof(*f->sfeat));
	f->boff = xcalloc(f->ntrees * nb, sizeof(*f->boff));
	f->bcols = xcalloc(f->ntrees * nb, sizeof(*f->bcols));
	f->tab = xreallocarray(
	    NULL, f->ntrees * nb * ne, (ns + 1) * sizeof(*f->tab));
	for (t = 0; t < f->ntrees; t++) {
		struct treeshap_tree h;

		complete(&f->tree[t], (int)D, &h);
		for (n = 0; n < ni; n++) {
			/* A node of no feature sends every row left. */
			bool none = h.feat[n] < 0;

			f->hfeat[t * ni + n] = none ? 0 : h.feat[n];
			f->hcond[t * ni + n] = none ? INFINITY : h.value[n];
			f->hdleft[t * ni + n] = none ? 1 : h.dleft[n];
		}
		for (b = 0; b < nb; b++) {
			size_t   bi = t * nb + b, k;
			int32_t *sf = &f->sfeat[bi * ns];

			k = block_table(f, &h, b, &f->tab[off], sf, phi);
			f->boff[bi] = off;
			f->bcols[bi] = (uint8_t)k;
			off += ne * (k + 1);
		}
		tree_release(&h);
	}
	f->tab = xreallocarray(f->tab, off + 1, sizeof(*f->tab));
	f->tabsize = off;
	free(phi);
}

/* Choose the block height and whether the tables fit. */
static void
plan_tables(struct treeshap *f)
{
	int    D = 0, H;
	size_t t, ns, bytes, sub, b, j;

	for (t = 0; t < f->ntrees; t++)
		if (f->tree[t].depth > D)
			D = f->tree[t].depth;
	f->depth = D;
	if (D == 0 || D > MAXFAST)
		return;
	/* Height 2 halves the additions of height 1 for little more
	 * table; 1 is all a depth of 1 allows. */
	H = D >= 2 ? 2 : 1;
	ns = (size_t)(D - H) + ((size_t)1 << H) - 1;
	bytes = (((size_t)1 << ns) * (ns + 1) * sizeof(float) + ns * 8 + 9) *
	    ((size_t)1 << (D - H));
	if (bytes != 0 && f->ntrees > TREESHAP_TABLE_MAX / bytes)
		return;
	f->height = H;
	f->nslot = ns;
	f->ninner = ((size_t)1 << D) - 1;
	f->nblock = (size_t)1 << (D - H);
	f->fast = true;
	sub = ((size_t)1 << H) - 1;
	f->bnode = xreallocarray(NULL, f->nblock * ns, sizeof(*f->bnode));
	for (b = 0; b < f->nblock; b++) {
		size_t p = f->nblock - 1 + b, na = (size_t)(D - H);

		for (j = 0; j < na; j++)
			f->bnode[b * ns + j] =
			    (uint32_t)(((p + 1) >> (na - j)) - 1);
		for (j = 0; j < sub; j++)
			f->bnode[b * ns + na + j] = (uint32_t)sub_node(p, j);
	}
	build_tables(f);
}

int
treeshap_load(struct treeshap *f, const json_t *booster, size_t nfeat,
    size_t trees, struct ci_err *e)
{
	const json_t *l = json_object_get(booster, "learner"), *gb, *ts;
	const json_t *mp = json_object_get(l, "learner_model_param");
	const char   *obj, *name;
	double        base;
	size_t        i;

	memset(f, 0, sizeof(*f));
	f->nfeat = nfeat;
	gb = json_object_get(l, "gradient_booster");
	name = json_string_value(json_object_get(gb, "name"));
	obj = json_string_value(
	    json_object_get(json_object_get(l, "objective"), "name"));
	ts = json_object_get(json_object_get(gb, "model"), "trees");
	if (name == NULL || strcmp(name, "gbtree") != 0 || obj == NULL ||
	    strcmp(obj, "binary:logistic") != 0 || !json_is_array(ts) ||
	    param(mp, "base_score", &base) == -1 || !(base > 0 && base < 1))
		return ci_err_set(e, CI_EXIT_MODEL, NULL, 0,
		    "broken model: the booster is not a binary:logistic "
		    "gbtree");
	if (json_array_size(ts) < trees || trees == 0)
		return ci_err_set(e, CI_EXIT_MODEL, NULL, 0,
		    "broken model: %zu trees in the booster, %zu expected",
		    json_array_size(ts), trees);
	/* XGBoost's ProbToMargin of the logistic objective, in float. */
	f->base = -logf(1.0f / (float)base - 1.0f);
	f->tree = xcalloc(trees, sizeof(*f->tree));
	f->ntrees = trees;
	f->bias = f->base;
	for (i = 0; i < trees; i++) {
		if (load_tree(&f->tree[i], json_array_get(ts, i), i, nfeat,
		        e) == -1) {
			treeshap_release(f);
			return -1;
		}
		f->bias += f->tree[i].mean[0];
	}
	plan_tables(f);
	return 0;
}

static int32_t
leaf_of(const struct treeshap_tree *t, const float *x)
{
	int32_t n = 0;

	while (t->left[n] >= 0)
		n = goes_right(t, n, x) ? t->right[n] : t->left[n];
	return n;
}

double
treeshap_margin(const struct treeshap *f, const float *x)
{
	float  m = f->base;
	size_t t;

	for (t = 0; t < f->ntrees; t++)
		m += f->tree[t].value[leaf_of(&f->tree[t], x)];
	return m;
}

void
treeshap_exact_slow(const struct treeshap *f, const float *x, double *phi)
{
	size_t t;

	memset(phi, 0, (f->nfeat + 1) * sizeof(*phi));
	for (t = 0; t < f->ntrees; t++) {
		struct walk k = { &f->tree[t], NULL, x, NULL, phi };

		walk(&k, f->tree[t].depth);
	}
	phi[f->nfeat] = f->bias;
}

typedef float   v4sf __attribute__((vector_size(16)));
typedef int32_t v4si __attribute__((vector_size(16)));

/*
 * The way TREESHAP_ROWS values v go at a split on c (missing: left when
 * dleft) into out: -1 right, 0 left, four at a time (GCC's and Clang's
 * vector extensions: SSE2 on x86-64).  Right unless less.
 */
static void
decide(const float *v, float c, uint8_t dleft, int32_t *out)
{
	v4si   dl = { 0, 0, 0, 0 };
	size_t r;

	if (dleft)
		dl = ~dl;
	for (r = 0; r < TREESHAP_ROWS; r += 4) {
		v4sf x;
		v4si d;

		memcpy(&x, &v[r], sizeof(x));
		d = ~(x < c) ^ ((x != x) & dl);
		memcpy(&out[r], &d, sizeof(d));
	}
}

/*
 * The table rows of a block for TREESHAP_ROWS rows into idx: the ways
 * (dec, -1 right, 0 left, R a node) they go at the block's ns nodes
 * node[], as bits, the first node's highest; four rows at a time.
 */
static void
table_rows(
    const int32_t *dec, size_t R, const uint32_t *node, size_t ns, int32_t *idx)
{
	v4si   one = { 1, 1, 1, 1 };
	size_t r, j;

	for (r = 0; r < TREESHAP_ROWS; r += 4) {
		v4si v = { 0, 0, 0, 0 }, d;

		for (j = 0; j < ns; j++) {
			memcpy(&d, &dec[node[j] * R + r], sizeof(d));
			v = (v << 1) | (d & one);
		}
		memcpy(&idx[r], &v, sizeof(v));
	}
}

void
treeshap_exact(const struct treeshap *f, const float *X, size_t n, double *phi,
    double *margin)
{
	size_t   ni = f->ninner, nf = f->nfeat, R;
	size_t   nb = f->nblock, ns = f->nslot;
	size_t   t, i, b, s, r, r0;
	float    m[TREESHAP_ROWS], leaf[TREESHAP_ROWS], *xt;
	int32_t *dec, *idx;

	if (!f->fast) {
		for (r = 0; r < n; r++) {
			treeshap_exact_slow(f, &X[r * nf], &phi[r * (nf + 1)]);
			margin[r] = treeshap_margin(f, &X[r * nf]);
		}
		return;
	}
	R = TREESHAP_ROWS;
	xt = xcalloc(nf * R + 1, sizeof(*xt));
	dec = xcalloc(ni * R + 1, sizeof(*dec));
	idx = xcalloc(nb * R + 1, sizeof(*idx));
	memset(phi, 0, n * (nf + 1) * sizeof(*phi));
	/*
	 * Tree by tree over R rows at a time: a tree and its tables stay
	 * in the cache while they serve the rows, and each split is
	 * decided for the R rows at once, the rows' values of a feature
	 * being side by side (xt, feature by row).
	 */
	for (r0 = 0; r0 < n; r0 += R) {
		size_t rn = n - r0 < R ? n - r0 : R;

		for (r = 0; r < rn; r++) {
			m[r] = f->base;
			for (i = 0; i < nf; i++)
				xt[i * R + r] = X[(r0 + r) * nf + i];
		}
		for (t = 0; t < f->ntrees; t++) {
			const int32_t *hf = &f->hfeat[t * ni];
			const float   *hc = &f->hcond[t * ni];
			const uint8_t *hd = &f->hdleft[t * ni];

			for (i = 0; i < ni; i++)
				decide(&xt[(size_t)hf[i] * R], hc[i], hd[i],
				    &dec[i * R]);
			for (b = 0; b < nb; b++)
				table_rows(&dec[0], R, &f->bnode[b * ns], ns,
				    &idx[b * R]);
			for (r = 0; r < rn; r++)
				leaf[r] = -0.0f;
			/* Block by block, row by row: the additions to one
			 * row's features, its root's above all, do not
			 * follow one another. */
			for (b = 0; b < nb; b++) {
				size_t bi = t * nb + b, k = f->bcols[bi];
				const int32_t *sf = &f->sfeat[bi * ns];
				const float   *tab = &f->tab[f->boff[bi]];

				for (r = 0; r < rn; r++) {
					double *p = &phi[(r0 + r) * (nf + 1)];
					const float *row =
					    &tab[(size_t)idx[b * R + r] *
					        (k + 1)];

					leaf[r] += row[0];
					for (s = 0; s < k; s++)
						p[sf[s]] += row[s + 1];
				}
			}
			/* The leaf of the one block on the row's path,
			 * added as XGBoost adds it, without walking down to
			 * it. */
			for (r = 0; r < rn; r++)
				m[r] += leaf[r];
		}
		for (r = 0; r < rn; r++) {
			phi[(r0 + r) * (nf + 1) + nf] = f->bias;
			margin[r0 + r] = m[r];
		}
	}
	free(xt);
	free(dec);
	free(idx);
}

void
treeshap_saabas(
    const struct treeshap *f, const float *x, double *phi, double *margin)
{
	float  m = f->base;
	size_t t;

	memset(phi, 0, (f->nfeat + 1) * sizeof(*phi));
	for (t = 0; t < f->ntrees; t++) {
		const struct treeshap_tree *tr = &f->tree[t];
		int32_t                     n = 0, c;

		while (tr->left[n] >= 0) {
			c = goes_right(tr, n, x) ? tr->right[n] : tr->left[n];
			phi[tr->feat[n]] += tr->mean[c] - tr->mean[n];
			n = c;
		}
		m += tr->value[n];
	}
	phi[f->nfeat] = f->bias;
	*margin = m;
}

void
treeshap_release(struct treeshap *f)
{
	size_t t;

	for (t = 0; t < f->ntrees && f->tree != NULL; t++)
		tree_release(&f->tree[t]);
	free(f->tree);
	free(f->hfeat);
	free(f->hcond);
	free(f->hdleft);
	free(f->sfeat);
	free(f->tab);
	free(f->bnode);
	free(f->boff);
	free(f->bcols);
	memset(f, 0, sizeof(*f));
}
