/*
 * custagg: the customer aggregates of the report.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "custagg.h"
#include "mask.h"
#include "xalloc.h"

/* The vocabularies, in the order their tools document them. */
static const char *const rfm_names[] = { "champions", "loyal",
	"potential-loyalist", "new", "promising", "need-attention",
	"about-to-sleep", "at-risk", "cannot-lose-them", "hibernating", "lost",
	NULL };
static const char *const tier_names[] = { "high-value", "potential", "general",
	"churn-risk", NULL };
static const char *const life_names[] = { "acquisition", "growth", "maturity",
	"decline", "lost", NULL };
static const char *const band_names[] = { "low", "medium", "high", "critical",
	NULL };
static const char *const no_names[] = { NULL };
static const char *const *const vocab[CUSTAGG_NKINDS] = { rfm_names, tier_names,
	life_names, band_names, no_names };

void
custagg_init(struct custagg *a, double active_days, enum custagg_risk risk)
{
	memset(a, 0, sizeof(*a));
	a->active_days = active_days;
	a->risk = risk;
}

static bool
eq(const struct custagg_str *s, const char *w)
{
	return s->len == strlen(w) && memcmp(s->s, w, s->len) == 0;
}

static struct custagg_group *
group(struct custagg_groups *g, const struct custagg_str *s)
{
	bool   is_new;
	size_t i = hmap_intern(&g->map, s->s, s->len, &is_new);

	if (is_new) {
		xgrow(&g->g, &g->cap, g->n + 1, sizeof(*g->g));
		memset(&g->g[i], 0, sizeof(g->g[i]));
		g->n++;
	}
	return &g->g[i];
}

static char *
keep(struct custagg *a, const struct custagg_str *s)
{
	char *p = pool_alloc(&a->pool, s->len + 1);

	if (s->len > 0)
		memcpy(p, s->s, s->len);
	p[s->len] = '\0';
	return p;
}

static char *
keep_masked(struct custagg *a, enum mask_kind k, const struct custagg_str *s)
{
	struct buf b = { 0 };
	char      *p;

	if (s->s == NULL)
		return NULL;
	mask_value(k, s->s, s->len, &b);
	p = keep(a, &(struct custagg_str){ buf_str(&b), b.len });
	buf_release(&b);
	return p;
}

static bool
at_risk(const struct custagg *a, const struct custagg_row *r)
{
	/* A customer gone for longer than the active window is lost. */
	if (isfinite(r->recency) && r->recency > a->active_days)
		return false;
	switch (a->risk) {
	case CUSTAGG_RISK_BAND:
		return eq(&r->seg[CUSTAGG_BAND], "high") ||
		    eq(&r->seg[CUSTAGG_BAND], "critical");
	case CUSTAGG_RISK_SCORE:
		return r->churn_risk >= 50;
	case CUSTAGG_RISK_TIER:
		return eq(&r->seg[CUSTAGG_TIER], "churn-risk");
	default:
		return false;
	}
}

static void
push(double **v, size_t *n, size_t *cap, double x)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = x;
}

void
custagg_add(struct custagg *a, const struct custagg_row *r)
{
	double rev = isfinite(r->revenue) ? r->revenue : 0;
	bool   risk = at_risk(a, r);
	size_t k;

	a->customers++;
	a->revenue += rev;
	if (isfinite(r->recency)) {
		a->active_known++;
		a->active += r->recency <= a->active_days;
	}
	if (isfinite(r->clv)) {
		a->clv_sum += r->clv;
		a->clv_n++;
		push(&a->clv, &a->nclv, &a->capclv, r->clv);
	}
	for (k = 0; k < CUSTAGG_NKINDS; k++) {
		struct custagg_group *g;

		if (r->seg[k].s == NULL) /* the input has no such column */
			continue;
		g = group(&a->groups[k], &r->seg[k]);
		g->customers++;
		g->revenue += rev;
		if (isfinite(r->clv)) {
			g->clv_sum += r->clv;
			g->clv_n++;
		}
	}
	if (r->r_score >= 1 && r->r_score <= CUSTAGG_SCORES &&
	    r->f_score >= 1 && r->f_score <= CUSTAGG_SCORES) {
		a->grid[r->r_score - 1][r->f_score - 1]++;
		a->rmax = r->r_score > a->rmax ? r->r_score : a->rmax;
		a->fmax = r->f_score > a->fmax ? r->f_score : a->fmax;
	}
	if (isfinite(r->churn_risk)) {
		int b = (int)floor(r->churn_risk / 10);

		b = b < 0                    ? 0
		    : b >= CUSTAGG_RISK_BINS ? CUSTAGG_RISK_BINS - 1
		                             : b;
		a->risk_bins[b]++;
		a->risk_n++;
	}
	if (isfinite(r->sentiment))
		push(&a->sent, &a->nsent, &a->capsent, r->sentiment);
	if (isfinite(r->negative) && r->negative > 0) {
		a->negative_customers++;
		a->negative_at_risk += risk;
	}
	if (risk) {
		struct custagg_top *t;

		a->at_risk++;
		a->at_risk_revenue += rev;
		a->at_risk_clv += isfinite(r->clv) ? r->clv : 0;
		xgrow(&a->top, &a->captop, a->ntop + 1, sizeof(*a->top));
		t = &a->top[a->ntop++];
		memset(t, 0, sizeof(*t));
		t->id = keep(a, &r->id);
		t->name = keep_masked(a, MASK_NAME, &r->name);
		t->phone = keep_masked(a, MASK_PHONE, &r->phone);
		t->tier = r->seg[CUSTAGG_TIER].s != NULL
		    ? keep(a, &r->seg[CUSTAGG_TIER])
		    : NULL;
		t->band = r->seg[CUSTAGG_BAND].s != NULL
		    ? keep(a, &r->seg[CUSTAGG_BAND])
		    : NULL;
		for (k = 0; k < 3; k++)
			t->reason[k] = r->reason[k].s != NULL
			    ? keep(a, &r->reason[k])
			    : NULL;
		t->action = r->action.s != NULL ? keep(a, &r->action) : NULL;
		t->clv = r->clv;
		t->revenue = rev;
		t->churn_risk = r->churn_risk;
	}
}

/* The rank of a group's name: its place in the vocabulary, then others. */
static size_t
rank_of(const char *const *v, const char *name)
{
	size_t i;

	if (*name == '\0')
		return (size_t)-1;
	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], name) == 0)
			return i;
	return i;
}

/* Whole numbers (cluster ids) compare by value, other names bytewise. */
static int
cmp_names(const char *a, const char *b)
{
	char  *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a != '\0' && *b != '\0' && *ea == '\0' && *eb == '\0' && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

static int
cmp_group(const void *p, const void *q)
{
	const struct custagg_group *a = p, *b = q;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return cmp_names(a->name, b->name);
}

static int
cmp_top(const void *p, const void *q)
{
	const struct custagg_top *a = p, *b = q;
	double                    va = isfinite(a->clv) ? a->clv : a->revenue,
	       vb = isfinite(b->clv) ? b->clv : b->revenue;

	if (va != vb)
		return va > vb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int
cmp_double(const void *p, const void *q)
{
	double a = *(const double *)p, b = *(const double *)q;

	return a < b ? -1 : a > b;
}

void
custagg_finish(struct custagg *a)
{
	size_t k, i;

	for (k = 0; k < CUSTAGG_NKINDS; k++) {
		struct custagg_groups *g = &a->groups[k];

		for (i = 0; i < g->n; i++) {
			g->g[i].name = hmap_key(&g->map, i, NULL);
			g->g[i].rank = rank_of(vocab[k], g->g[i].name);
		}
		if (g->n > 1)
			qsort(g->g, g->n, sizeof(*g->g), cmp_group);
	}
	if (a->ntop > 1)
		qsort(a->top, a->ntop, sizeof(*a->top), cmp_top);
	if (a->nclv > 1)
		qsort(a->clv, a->nclv, sizeof(*a->clv), cmp_double);
	if (a->nsent > 1)
		qsort(a->sent, a->nsent, sizeof(*a->sent), cmp_double);
}

void
custagg_clv_bins(const struct custagg *a, size_t max, double *edges,
    size_t *counts, size_t *n)
{
	static const double nice[] = { 1, 2, 5 };
	double              top, step, mag;
	size_t              i, j, f;

	*n = 0;
	if (a->nclv == 0 || max < 2)
		return;
	/* The bins cover up to the 99th percentile; the last is open. */
	top = a->clv[(size_t)floor(0.99 * (double)(a->nclv - 1))];
	if (!(top > 0))
		top = a->clv[a->nclv - 1] > 0 ? a->clv[a->nclv - 1] : 1;
	mag = pow(10, floor(log10(top / (double)(max - 1))));
	for (step = mag;; mag *= 10)
		for (f = 0; f < 3; f++)
			if (ceil(top / (step = nice[f] * mag)) <=
			    (double)(max - 1))
				goto found;
found:
	*n = (size_t)ceil(top / step) + 1;
	for (i = 0; i < *n; i++) {
		edges[i] = (double)i * step;
		counts[i] = 0;
	}
	edges[*n] = INFINITY;
	for (j = 0; j < a->nclv; j++) {
		double v = a->clv[j];

		i = v <= 0 ? 0 : (size_t)floor(v / step);
		counts[i < *n ? i : *n - 1]++;
	}
}

void
custagg_release(struct custagg *a)
{
	size_t k;

	for (k = 0; k < CUSTAGG_NKINDS; k++) {
		hmap_release(&a->groups[k].map);
		free(a->groups[k].g);
	}
	free(a->clv);
	free(a->sent);
	free(a->top);
	pool_release(&a->pool);
	memset(a, 0, sizeof(*a));
}
