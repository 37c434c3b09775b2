/*
 * kmeans: k-means++ seeding and Lloyd's iterations over a row-major matrix,
 * with restarts, the relocation of empty clusters, a canonical numbering of
 * the clusters, and the silhouette and choice of k built on them.
 *
 * Lloyd's assignment step is made fast in two ways that leave its result
 * as it is.  Hamerly's bounds ("Making k-means even faster", SIAM SDM
 * 2010) let most rows keep their cluster after computing one distance
 * instead of k, once the centroids move little; and the full search sums
 * the distances to a block of centroids column by column, which the
 * compiler turns into vector instructions.  One pass over the rows both
 * assigns them and sums them per cluster for the next update.
 *
 * Invariants: the labels kmeans_fit() returns come from a last full
 * search, whose squared distances are the very bits sqdist() gives and
 * whose ties are settled by better(), as kmeans_assign() settles them, so
 * a saved model labels its own rows as the fit did; and nothing depends
 * on anything but the data, the options and the rng stream.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kmeans.h"
#include "xalloc.h"

/*
 * search() and kmeans_assign() must compute the same bits, so no multiply
 * and add may be fused into one rounding: clang fuses within an expression
 * when the target has FMA unless told not to; gcc does not fuse in ISO C
 * mode (-std=c17), and warns about this pragma.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* Centroids per block of the full search; see search(). */
#define BLOCK 8

/*
 * A bounded pass keeps a row's cluster when its squared distance is below
 * this fraction of the squared bound, so that rounding in the bounds can
 * only send a row to the full search, never wrongly keep it.
 */
#define SAFE (1 - 1e-9)

/*
 * A run does not stop while a cluster is empty; this bounds the extra
 * iterations, which only data whose distances underflow could need.
 */
#define EXTRA_ITER 100

/* Per-run buffers, allocated once for all restarts. */
struct work {
	const double *x;
	size_t        n, d, k;
	double       *c;    /* k x d centroids of the current run */
	double       *prev; /* the centroids before the last update */
	double       *sum;  /* k x d sums of the rows of each cluster */
	size_t       *cnt;  /* rows of each cluster */
	size_t       *lab;  /* cluster of each row */
	double       *low;  /* per row: Hamerly's lower bound; see below */
	double       *ct;   /* c in blocks, column by column; see search() */
	double       *dk;   /* search() scratch: squared distances */
	double       *half; /* half the distance to the nearest centroid */
	double       *move; /* how far each centroid moved in an update */
};

static inline double
sqdist(const double *a, const double *b, size_t d)
{
	double s = 0, u;
	size_t j;

	for (j = 0; j < d; j++) {
		u = a[j] - b[j];
		s += u * u;
	}
	return s;
}

/* Whether centroid a comes before centroid b lexicographically. */
static int
lex_less(const double *a, const double *b, size_t d)
{
	size_t j;

	for (j = 0; j < d; j++)
		if (a[j] != b[j])
			return a[j] < b[j];
	return 0;
}

/*
 * Whether a centroid c at squared distance s beats the best so far, cbest
 * at squared distance best: nearer wins, then the lexicographically least
 * centroid, and of equal centroids the lower number (the best so far).
 * Ties thus do not depend on how the clusters are numbered, so numbering
 * them anew moves no row (see canonical()).
 */
static inline int
better(double s, double best, const double *c, const double *cbest, size_t d)
{
	return s < best || (s == best && lex_less(c, cbest, d));
}

/* The nearest of the k centroids c to row by better(); the reference. */
static size_t
nearest(const double *row, const double *c, size_t k, size_t d)
{
	double best = sqdist(row, c, d), s;
	size_t j, arg = 0;

	for (j = 1; j < k; j++) {
		s = sqdist(row, c + j * d, d);
		if (better(s, best, c + j * d, c + arg * d, d)) {
			best = s;
			arg = j;
		}
	}
	return arg;
}

size_t
kmeans_assign(const double *centroids, size_t k, size_t d, const double *row)
{
	return nearest(row, centroids, k, d);
}

/*
 * Lay the centroids out for search(): in blocks of BLOCK centroids, column
 * by column, so that w->ct[(b * d + j) * BLOCK + t] is column j of
 * centroid b * BLOCK + t; the lanes past k are 0 and never read back.
 */
static void
transpose(struct work *w)
{
	size_t b, j, t, k = w->k, d = w->d;

	for (b = 0; b * BLOCK < k; b++)
		for (j = 0; j < d; j++)
			for (t = 0; t < BLOCK; t++)
				w->ct[(b * d + j) * BLOCK + t] =
				    b * BLOCK + t < k
				    ? w->c[(b * BLOCK + t) * d + j]
				    : 0;
}

static inline double
min2(double a, double b)
{
	return b < a ? b : a;
}

/*
 * The least of the kp squared distances dk, kp a multiple of BLOCK, by a
 * tree of minima: no branch, and a chain of three comparisons a block.
 */
static inline double
least(const double *dk, size_t kp)
{
	const double *q;
	double        m = HUGE_VAL;
	size_t        b;

	for (b = 0; b < kp; b += BLOCK) {
		q = dk + b;
		m = min2(m,
		    min2(min2(min2(q[0], q[1]), min2(q[2], q[3])),
		        min2(min2(q[4], q[5]), min2(q[6], q[7]))));
	}
	return m;
}

/*
 * The full search: the centroid nearest() would choose, its squared
 * distance in *d1 and the second least squared distance in *d2 (HUGE_VAL
 * when k is 1).  The distances to a block of BLOCK centroids are summed
 * column by column in BLOCK independent accumulators, written out one by
 * one because compilers keep them in vector registers only then; each
 * still adds the squared differences of columns 0, 1, ..., d - 1 in that
 * order, as sqdist() does, so every sum is the same bits.  The least is
 * then found by least(), without the branches of a running minimum, which
 * would depend on the data and be mispredicted about once a row; then its
 * number, the lowest that has it; then the second least, with the least
 * put out of the way.  Equal least distances, which are rare, are settled
 * afterwards as better() settles them.
 */
static inline size_t
search(const struct work *w, const double *row, double *d1, double *d2)
{
	const double *ct = w->ct;
	double       *dk = w->dk, best, second, xj;
	double        a0, a1, a2, a3, a4, a5, a6, a7;
	double        u0, u1, u2, u3, u4, u5, u6, u7;
	size_t        b, j, t, arg = 0, k = w->k, d = w->d;

	for (b = 0; b < k; b += BLOCK) {
		a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0;
		for (j = 0; j < d; j++, ct += BLOCK) {
			xj = row[j];
			u0 = xj - ct[0];
			u1 = xj - ct[1];
			u2 = xj - ct[2];
			u3 = xj - ct[3];
			u4 = xj - ct[4];
			u5 = xj - ct[5];
			u6 = xj - ct[6];
			u7 = xj - ct[7];
			a0 += u0 * u0;
			a1 += u1 * u1;
			a2 += u2 * u2;
			a3 += u3 * u3;
			a4 += u4 * u4;
			a5 += u5 * u5;
			a6 += u6 * u6;
			a7 += u7 * u7;
		}
		dk[b] = a0;
		dk[b + 1] = a1;
		dk[b + 2] = a2;
		dk[b + 3] = a3;
		dk[b + 4] = a4;
		dk[b + 5] = a5;
		dk[b + 6] = a6;
		dk[b + 7] = a7;
	}
	for (j = k; j % BLOCK != 0; j++)
		dk[j] = HUGE_VAL;
	best = least(dk, j);
	for (t = k; t-- > 0;)
		arg = dk[t] == best ? t : arg;
	dk[arg] = HUGE_VAL;
	second = least(dk, j);
	if (second == best)
		for (j = arg + 1; j < k; j++)
			if (dk[j] == best &&
			    lex_less(w->c + j * d, w->c + arg * d, d))
				arg = j;
	*d1 = best;
	*d2 = second;
	return arg;
}

/*
 * For a bounded pass: how far each centroid moved in the last update,
 * and half the distance from each centroid to its nearest other one.
 * Returns the largest move; *mx2 is the second largest and *imx the
 * centroid that moved most.
 */
static double
bounds(struct work *w, double *mx2, size_t *imx)
{
	size_t a, b, k = w->k, d = w->d;
	double mx = 0, s;

	*mx2 = 0;
	*imx = 0;
	for (a = 0; a < k; a++) {
		w->move[a] = sqrt(sqdist(w->c + a * d, w->prev + a * d, d));
		if (w->move[a] > mx) {
			*mx2 = mx;
			mx = w->move[a];
			*imx = a;
		} else if (w->move[a] > *mx2) {
			*mx2 = w->move[a];
		}
		w->half[a] = HUGE_VAL;
	}
	for (a = 0; a < k; a++)
		for (b = a + 1; b < k; b++) {
			s = 0.5 * sqrt(sqdist(w->c + a * d, w->c + b * d, d));
			if (s < w->half[a])
				w->half[a] = s;
			if (s < w->half[b])
				w->half[b] = s;
		}
	return mx;
}

/*
 * The assignment step of Lloyd (1982), fused with the sums the next
 * update needs: label every row with its nearest centroid, count into
 * *changed the rows whose label changed, and return the inertia, always
 * from exact distances.
 *
 * A full pass (exact set) searches every row and sets w->low[i] to the
 * distance to its second nearest centroid.  A bounded pass uses Hamerly's
 * lower bound: when the centroids move, the distance from row i to any
 * centroid but its own falls by at most the largest move among those
 * centroids, so w->low[i] minus that move still bounds them all from
 * below.  Row i keeps its cluster a, without a search, when its distance
 * to a is below that bound or below half the distance from a to the
 * nearest other centroid (then, by the triangle inequality, every other
 * centroid is farther); either way a is nearer than all others, so the
 * label is the one the search would give.
 */
static double
assign_pass(struct work *w, int exact, size_t *changed)
{
	const double *row = w->x;
	double        inertia = 0, da, d2, z, mx = 0, mx2 = 0, *s;
	size_t        i, j, a, b, imx = 0, ch = 0, d = w->d;

	transpose(w);
	if (!exact)
		mx = bounds(w, &mx2, &imx);
	memset(w->sum, 0, w->k * d * sizeof(*w->sum));
	memset(w->cnt, 0, w->k * sizeof(*w->cnt));
	for (i = 0; i < w->n; i++, row += d) {
		a = w->lab[i];
		da = HUGE_VAL;
		z = 0;
		if (!exact) {
			w->low[i] -= a == imx ? mx2 : mx;
			da = sqdist(row, w->c + a * d, d);
			z = w->low[i] > w->half[a] ? w->low[i] : w->half[a];
		}
		if (exact || !(da < z * z * SAFE)) {
			b = search(w, row, &da, &d2);
			w->low[i] = sqrt(d2);
			ch += b != a;
			w->lab[i] = a = b;
		}
		w->cnt[a]++;
		s = w->sum + a * d;
		for (j = 0; j < d; j++)
			s[j] += row[j];
		inertia += da;
	}
	*changed = ch;
	return inertia;
}

static void
set_mean(struct work *w, size_t a)
{
	size_t j;

	for (j = 0; j < w->d; j++)
		w->c[a * w->d + j] = w->sum[a * w->d + j] / (double)w->cnt[a];
}

/*
 * Give the empty cluster e the row farthest from its own centroid among
 * clusters of at least two rows (the lowest row number on ties), and
 * re-centre the cluster it leaves.  The moved row's squared distance
 * falls from the largest to 0 and the cluster it leaves, re-centred, has
 * less inertia than before, so the inertia still does not increase.  While
 * fewer than k clusters have rows and there are at least k distinct rows,
 * some cluster holds two distinct rows, one of them off its mean, so a
 * row at positive distance exists; otherwise (only through underflow) the
 * cluster keeps its old centroid.  The moved row's lower bound is reset,
 * as it was kept for another cluster.
 */
static void
relocate(struct work *w, size_t e)
{
	const double *row;
	double        far = 0, s;
	size_t        i, a, pick = w->n, j;

	for (i = 0, row = w->x; i < w->n; i++, row += w->d) {
		a = w->lab[i];
		if (w->cnt[a] < 2)
			continue;
		s = sqdist(row, w->c + a * w->d, w->d);
		if (s > far) {
			far = s;
			pick = i;
		}
	}
	if (pick == w->n)
		return;
	row = w->x + pick * w->d;
	a = w->lab[pick];
	for (j = 0; j < w->d; j++) {
		w->sum[a * w->d + j] -= row[j];
		w->sum[e * w->d + j] = row[j];
	}
	w->cnt[a]--;
	w->cnt[e] = 1;
	w->lab[pick] = e;
	w->low[pick] = 0;
	set_mean(w, a);
	memcpy(w->c + e * w->d, row, w->d * sizeof(*row));
}

/* The update step: each centroid to the mean of its rows. */
static void
update(struct work *w)
{
	size_t a;

	memcpy(w->prev, w->c, w->k * w->d * sizeof(*w->c));
	for (a = 0; a < w->k; a++)
		if (w->cnt[a] > 0)
			set_mean(w, a);
	for (a = 0; a < w->k; a++)
		if (w->cnt[a] == 0)
			relocate(w, a);
}

/* Whether rows a and b are equal in every column (so -0 equals 0). */
static int
same_row(const double *a, const double *b, size_t d)
{
	size_t j;

	for (j = 0; j < d; j++)
		if (a[j] != b[j])
			return 0;
	return 1;
}

/*
 * k-means++ (Arthur & Vassilvitskii 2007, section 2.2): the first seed is
 * a row drawn uniformly, each next one a row drawn with probability
 * proportional to its squared distance D(x)^2 to the nearest seed so far
 * (kept in w->low).  A row equal to a seed has D(x)^2 = 0 and is never
 * drawn, so the seeds are distinct rows.  Should every D(x)^2 underflow to
 * 0 although a row differs from all seeds, the first such row is taken.
 */
static void
seed(struct work *w, struct rng *r)
{
	const double *row;
	double        total = 0, u, cum, s, *dx = w->low;
	size_t        i, j, pick, t;

	pick = (size_t)rng_below(r, w->n);
	memcpy(w->c, w->x + pick * w->d, w->d * sizeof(*w->c));
	for (i = 0, row = w->x; i < w->n; i++, row += w->d) {
		dx[i] = sqdist(row, w->c, w->d);
		total += dx[i];
	}
	for (j = 1; j < w->k; j++) {
		pick = w->n;
		if (total > 0) {
			u = rng_uniform(r) * total;
			cum = 0;
			for (i = 0; i < w->n; i++) {
				if (dx[i] > 0)
					pick = i;
				cum += dx[i];
				if (cum > u)
					break;
			}
		}
		for (i = 0; pick == w->n && i < w->n; i++) {
			row = w->x + i * w->d;
			for (t = 0; t < j; t++)
				if (same_row(row, w->c + t * w->d, w->d))
					break;
			if (t == j)
				pick = i;
		}
		memcpy(
		    w->c + j * w->d, w->x + pick * w->d, w->d * sizeof(*w->c));
		total = 0;
		for (i = 0, row = w->x; i < w->n; i++, row += w->d) {
			s = sqdist(row, w->c + j * w->d, w->d);
			if (s < dx[i])
				dx[i] = s;
			total += dx[i];
		}
	}
}

/* Whether some cluster has no row after an assignment pass. */
static int
any_empty(const struct work *w)
{
	size_t a;

	for (a = 0; a < w->k; a++)
		if (w->cnt[a] == 0)
			return 1;
	return 0;
}

/*
 * One run from the centroids in w->c: a full pass, then update and a
 * bounded pass until no row changes cluster, the inertia falls by at most
 * o->tol of itself, or o->max_iter iterations are done.  A run does not
 * stop with an empty cluster: the next update relocates it, which always
 * succeeds while there are k distinct rows, so this takes an iteration
 * or two more at most in practice.  Returns the inertia of the final
 * centroids and labels.
 */
static double
run(struct work *w, const struct kmeans_opts *o, unsigned *iterations)
{
	double   j0, j1;
	size_t   changed;
	unsigned it = 0;
	int      stop = 0;

	memset(w->lab, 0, w->n * sizeof(*w->lab));
	j0 = assign_pass(w, 1, &changed);
	while (it < o->max_iter || it - o->max_iter < EXTRA_ITER) {
		if ((stop || it >= o->max_iter) && !any_empty(w))
			break;
		update(w);
		it++;
		j1 = assign_pass(w, 0, &changed);
		stop = changed == 0 || j0 - j1 <= o->tol * j0;
		j0 = j1;
	}
	*iterations = it;
	return j0;
}

/*
 * How many distinct rows x has, counting no further than limit: each row
 * is compared with the distinct rows found so far (their numbers kept in
 * rep), so this costs O(n limit d) at worst and usually stops within the
 * first rows.
 */
static size_t
distinct_rows(const double *x, size_t n, size_t d, size_t limit, size_t *rep)
{
	size_t i, t, m = 0;

	for (i = 0; i < n && m < limit; i++) {
		for (t = 0; t < m; t++)
			if (same_row(x + i * d, x + rep[t] * d, d))
				break;
		if (t == m)
			rep[m++] = i;
	}
	return m;
}

/* The checks kmeans_fit() and kmeans_auto() share; k is the largest k. */
static int
check_input(const double *x, size_t n, size_t d, size_t k,
    const struct kmeans_opts *o, struct ci_err *err)
{
	size_t i, m, *rep;

	if (d == 0)
		return ci_err_set(
		    err, CI_EXIT_USAGE, NULL, 0, "no columns to cluster");
	if (k == 0)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the number of clusters must be at least 1");
	if (o->restarts == 0)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the number of restarts must be at least 1");
	if (!(o->tol >= 0))
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the tolerance must be a number >= 0");
	if (n == 0)
		return ci_err_set(
		    err, CI_EXIT_DATA, NULL, 0, "no rows to cluster");
	for (i = 0; i < n * d; i++)
		if (!isfinite(x[i]))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "row %zu column %zu is not a finite number",
			    i / d + 1, i % d + 1);
	rep = xcalloc(k, sizeof(*rep));
	m = distinct_rows(x, n, d, k, rep);
	free(rep);
	if (m < k)
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "fewer distinct rows (%zu) than clusters (%zu)", m, k);
	return 0;
}

/*
 * Number the clusters canonically: larger first, equal sizes by the
 * lexicographic order of their centroids, identical centroids by their
 * old numbers.  better() breaks ties by centroid, not by number, so the
 * renumbering moves no row; between identical centroids, which go to the
 * lower number, the one holding the rows keeps coming first.
 */
static int
before(const struct kmeans_result *res, size_t a, size_t b)
{
	const double *ca = res->centroids + a * res->d;
	const double *cb = res->centroids + b * res->d;

	if (res->sizes[a] != res->sizes[b])
		return res->sizes[a] > res->sizes[b];
	if (lex_less(ca, cb, res->d))
		return 1;
	if (lex_less(cb, ca, res->d))
		return 0;
	return a < b;
}

static void
canonical(struct kmeans_result *res)
{
	size_t  k = res->k, d = res->d, i, t;
	size_t *order = xcalloc(k, sizeof(*order));
	size_t *rank = xcalloc(k, sizeof(*rank));
	size_t *sizes = xcalloc(k, sizeof(*sizes));
	double *c = xcalloc(k * d, sizeof(*c));

	for (i = 0; i < k; i++) {
		for (t = i; t > 0 && before(res, i, order[t - 1]); t--)
			order[t] = order[t - 1];
		order[t] = i;
	}
	for (i = 0; i < k; i++) {
		rank[order[i]] = i;
		sizes[i] = res->sizes[order[i]];
		memcpy(
		    c + i * d, res->centroids + order[i] * d, d * sizeof(*c));
	}
	for (i = 0; i < res->n; i++)
		res->assign[i] = rank[res->assign[i]];
	free(res->centroids);
	free(res->sizes);
	res->centroids = c;
	res->sizes = sizes;
	free(order);
	free(rank);
}

int
kmeans_fit(const double *x, size_t n, size_t d, const struct kmeans_opts *o,
    struct rng *rng, struct kmeans_result *res, struct ci_err *err)
{
	struct work w;
	double      j, best = 0, *best_c;
	size_t      i, k = o->k, kp = (k + BLOCK - 1) / BLOCK * BLOCK, changed;
	unsigned    r, runs, it;

	memset(res, 0, sizeof(*res));
	if (check_input(x, n, d, k, o, err) == -1)
		return -1;
	for (i = 0; o->init != NULL && i < k * d; i++)
		if (!isfinite(o->init[i]))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "starting centroid %zu column %zu is not a finite "
			    "number",
			    i / d + 1, i % d + 1);
	w.x = x;
	w.n = n;
	w.d = d;
	w.k = k;
	w.c = xcalloc(k * d, sizeof(*w.c));
	w.prev = xcalloc(k * d, sizeof(*w.prev));
	w.sum = xcalloc(k * d, sizeof(*w.sum));
	w.cnt = xcalloc(k, sizeof(*w.cnt));
	w.lab = xcalloc(n, sizeof(*w.lab));
	w.low = xcalloc(n, sizeof(*w.low));
	w.ct = xcalloc(kp * d, sizeof(*w.ct));
	w.dk = xcalloc(kp, sizeof(*w.dk));
	w.half = xcalloc(k, sizeof(*w.half));
	w.move = xcalloc(k, sizeof(*w.move));
	best_c = xcalloc(k * d, sizeof(*best_c));
	runs = o->init != NULL ? 1 : o->restarts;
	for (r = 0; r < runs; r++) {
		if (o->init != NULL)
			memcpy(w.c, o->init, k * d * sizeof(*w.c));
		else
			seed(&w, rng);
		j = run(&w, o, &it);
		if (r == 0 || j < best) {
			best = j;
			res->iterations = it;
			memcpy(best_c, w.c, k * d * sizeof(*w.c));
		}
	}
	/*
	 * The labels of the run kept, found again by a full pass: bounded
	 * passes agree with it but for rounding in the bounds, and this
	 * way every label is exactly what kmeans_assign() gives.
	 */
	memcpy(w.c, best_c, k * d * sizeof(*w.c));
	res->inertia = assign_pass(&w, 1, &changed);
	res->n = n;
	res->d = d;
	res->k = k;
	res->centroids = best_c;
	res->assign = w.lab;
	res->sizes = w.cnt;
	canonical(res);
	free(w.c);
	free(w.prev);
	free(w.sum);
	free(w.low);
	free(w.ct);
	free(w.dk);
	free(w.half);
	free(w.move);
	return 0;
}

void
kmeans_result_release(struct kmeans_result *res)
{
	if (res == NULL)
		return;
	free(res->centroids);
	free(res->sizes);
	free(res->assign);
	memset(res, 0, sizeof(*res));
}

/*
 * Rousseeuw (1987), section 2: a(i) is the mean dissimilarity of i to the
 * other members of its cluster A, d(i, C) the mean to the members of C,
 * b(i) = min over C != A of d(i, C), s(i) = (b(i) - a(i)) / max(a(i),
 * b(i)), and s(i) = 0 when A = {i}.  Each distance is computed once and
 * added to both rows' per-cluster sums.
 */
double
kmeans_silhouette(const double *x, size_t d, const size_t *assign, size_t k,
    const size_t *sample, size_t m)
{
	double *sum, dd, a, b, mean, total = 0;
	size_t *cnt, i, t, c, ri, rt, li, lt;

	if (m == 0)
		return 0;
	sum = xcalloc(m * k, sizeof(*sum));
	cnt = xcalloc(k, sizeof(*cnt));
	for (i = 0; i < m; i++) {
		ri = sample != NULL ? sample[i] : i;
		li = assign[ri];
		cnt[li]++;
		for (t = 0; t < i; t++) {
			rt = sample != NULL ? sample[t] : t;
			lt = assign[rt];
			dd = sqrt(sqdist(x + ri * d, x + rt * d, d));
			sum[i * k + lt] += dd;
			sum[t * k + li] += dd;
		}
	}
	for (i = 0; i < m; i++) {
		li = assign[sample != NULL ? sample[i] : i];
		if (cnt[li] < 2)
			continue;
		a = sum[i * k + li] / (double)(cnt[li] - 1);
		b = HUGE_VAL;
		for (c = 0; c < k; c++) {
			if (c == li || cnt[c] == 0)
				continue;
			mean = sum[i * k + c] / (double)cnt[c];
			if (mean < b)
				b = mean;
		}
		if (b == HUGE_VAL || (a == 0 && b == 0))
			continue;
		total += (b - a) / (a > b ? a : b);
	}
	free(sum);
	free(cnt);
	return total / (double)m;
}

int
kmeans_auto(const double *x, size_t n, size_t d, size_t kmin, size_t kmax,
    const struct kmeans_opts *o, const size_t *sample, size_t m,
    struct rng *rng, struct kmeans_result *res, double *sil, struct ci_err *err)
{
	struct kmeans_opts   fo = *o;
	struct kmeans_result cur;
	double               s, best = 0;
	size_t               k;

	memset(res, 0, sizeof(*res));
	if (kmin < 2)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the least number of clusters to try must be at least 2");
	if (kmax < kmin)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the range of clusters to try (%zu to %zu) is empty", kmin,
		    kmax);
	if (m < 2)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "the silhouette sample needs at least 2 rows");
	if (check_input(x, n, d, kmax, o, err) == -1)
		return -1;
	fo.init = NULL;
	for (k = kmin; k <= kmax; k++) {
		fo.k = k;
		if (kmeans_fit(x, n, d, &fo, rng, &cur, err) == -1) {
			kmeans_result_release(res);
			return -1;
		}
		s = kmeans_silhouette(x, d, cur.assign, k, sample, m);
		if (sil != NULL)
			sil[k - kmin] = s;
		if (k == kmin || s > best) {
			best = s;
			kmeans_result_release(res);
			*res = cur;
		} else {
			kmeans_result_release(&cur);
		}
	}
	return 0;
}
