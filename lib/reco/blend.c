/*
 * blend: popularity tables, candidate gathering, the weighted sum and the
 * choice of its weights.  Scoring a customer touches only its candidates:
 * the scratch arrays are dense over the items and reset candidate by
 * candidate, so a customer costs its items' neighbours, not the catalogue.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blend.h"
#include "rankmet.h"
#include "topk.h"
#include "xalloc.h"

const char *const blend_comp_names[BLEND_NCOMP] = { "own", "cooccurrence",
	"popularity", "recent", "rules" };

void
blend_pop_alloc(struct blend_pop *p, size_t nitem, size_t nseg)
{
	memset(p, 0, sizeof(*p));
	p->nitem = nitem;
	p->nseg = nseg;
	p->overall = xcalloc(nitem + 1, sizeof(*p->overall));
	p->recent = xcalloc(nitem + 1, sizeof(*p->recent));
	p->seg = xcalloc(nseg * nitem + 1, sizeof(*p->seg));
	p->by_overall = xcalloc(nitem + 1, sizeof(*p->by_overall));
	p->by_recent = xcalloc(nitem + 1, sizeof(*p->by_recent));
	p->by_seg = xcalloc(nseg * nitem + 1, sizeof(*p->by_seg));
	p->cat_rank = xcalloc(nitem + 1, sizeof(*p->cat_rank));
}

static int
cmp_share(const void *pa, const void *pb, void *share)
{
	uint32_t      a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const double *s = share;

	if (s[a] != s[b])
		return s[a] > s[b] ? -1 : 1;
	return (a > b) - (a < b);
}

static void
order(uint32_t *by, const double *share, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		by[i] = (uint32_t)i;
	qsort_r(by, n, sizeof(*by), cmp_share, (void *)share);
}

void
blend_pop_order(struct blend_pop *p)
{
	size_t s;

	order(p->by_overall, p->overall, p->nitem);
	order(p->by_recent, p->recent, p->nitem);
	for (s = 0; s < p->nseg; s++)
		order(
		    p->by_seg + s * p->nitem, p->seg + s * p->nitem, p->nitem);
}

void
blend_pop_fit(struct blend_pop *p, const struct purch_hist *h, int recent_days,
    const uint32_t *seg, size_t nseg, const uint32_t *cat)
{
	int32_t start = h->ref_day - recent_days + 1;
	double *segn = xcalloc(nseg + 1, sizeof(*segn));
	size_t  c, x, i, nc = 0, *catn;

	blend_pop_alloc(p, h->nitem, nseg);
	p->recent_days = recent_days;
	p->customers = h->active;
	for (c = 0; c < h->ncust; c++) {
		if (h->off[c] == h->off[c + 1])
			continue;
		p->recent_customers += h->last[c] >= start;
		if (seg != NULL && seg[c] > 0)
			segn[seg[c] - 1]++;
		for (x = h->off[c]; x < h->off[c + 1]; x++) {
			i = h->ent[x].item;
			p->overall[i]++;
			p->recent[i] += h->ent[x].last >= start;
			if (seg != NULL && seg[c] > 0)
				p->seg[(seg[c] - 1) * h->nitem + i]++;
		}
	}
	for (i = 0; i < h->nitem; i++) {
		p->overall[i] /= p->customers > 0 ? (double)p->customers : 1;
		p->recent[i] /=
		    p->recent_customers > 0 ? (double)p->recent_customers : 1;
		for (c = 0; c < nseg; c++)
			p->seg[c * h->nitem + i] /= segn[c] > 0 ? segn[c] : 1;
		if (cat != NULL && cat[i] > nc)
			nc = cat[i];
	}
	blend_pop_order(p);
	catn = xcalloc(nc + 1, sizeof(*catn));
	for (x = 0; x < h->nitem; x++) {
		i = p->by_overall[x];
		if (cat != NULL && cat[i] > 0)
			p->cat_rank[i] = (uint32_t)++catn[cat[i]];
	}
	free(catn);
	free(segn);
}

void
blend_pop_release(struct blend_pop *p)
{
	free(p->overall);
	free(p->recent);
	free(p->seg);
	free(p->by_overall);
	free(p->by_recent);
	free(p->by_seg);
	free(p->cat_rank);
	memset(p, 0, sizeof(*p));
}

void
blend_ws_init(struct blend_ws *ws, size_t nitem)
{
	size_t i;

	memset(ws, 0, sizeof(*ws));
	ws->nitem = nitem;
	ws->comp = xcalloc(nitem * BLEND_NCOMP + 1, sizeof(*ws->comp));
	ws->best = xcalloc(nitem + 1, sizeof(*ws->best));
	ws->why = xcalloc(nitem + 1, sizeof(*ws->why));
	ws->ent = xcalloc(nitem + 1, sizeof(*ws->ent));
	ws->touched = xcalloc(nitem + 1, sizeof(*ws->touched));
	ws->mark = xcalloc(nitem + 1, sizeof(*ws->mark));
	ws->hitems = xcalloc(nitem + 1, sizeof(*ws->hitems));
	for (i = 0; i < nitem; i++)
		ws->ent[i] = -1;
}

void
blend_ws_release(struct blend_ws *ws)
{
	free(ws->comp);
	free(ws->best);
	free(ws->why);
	free(ws->ent);
	free(ws->touched);
	free(ws->mark);
	free(ws->hitems);
	memset(ws, 0, sizeof(*ws));
}

/* Make j a candidate, if it may be recommended; false if not. */
static inline __attribute__((always_inline)) bool
offer(const struct blend_model *m, struct blend_ws *ws, uint32_t j)
{
	if (j >= ws->nitem || (m->allowed != NULL && !m->allowed[j]) ||
	    (m->exclude_purchased && ws->ent[j] >= 0))
		return false;
	if (!ws->mark[j]) {
		ws->mark[j] = 1;
		ws->touched[ws->n++] = j;
	}
	return true;
}

struct rulectx {
	const struct blend_model *m;
	struct blend_ws          *ws;
};

static void
rule_hit(void *ctx, const struct arules_rule *r)
{
	struct rulectx *x = ctx;
	double         *v;

	if (!offer(x->m, x->ws, r->cons))
		return;
	v = &x->ws->comp[(size_t)r->cons * BLEND_NCOMP + BLEND_RULES];
	if (r->confidence > *v) {
		*v = r->confidence;
		x->ws->why[r->cons] = (uint32_t)(r - x->m->rules->r);
	}
}

/* Offer the best k items of by (a popularity order) that may be
 * recommended. */
static void
offer_top(const struct blend_model *m, struct blend_ws *ws, const uint32_t *by,
    size_t k)
{
	size_t i, got = 0;

	for (i = 0; i < m->nitem && got < k; i++)
		got += offer(m, ws, by[i]);
}

void
blend_candidates(const struct blend_model *m, struct blend_ws *ws,
    const struct blend_cust *c, size_t k)
{
	const struct blend_pop *p = m->pop;
	size_t                  t, x, y;
	double                  wsum = 0;

	for (t = 0; t < ws->n; t++) {
		uint32_t j = ws->touched[t];

		ws->mark[j] = 0;
		ws->best[j] = 0;
		memset(&ws->comp[(size_t)j * BLEND_NCOMP], 0,
		    BLEND_NCOMP * sizeof(*ws->comp));
	}
	ws->n = 0;
	for (x = 0; x < c->n; x++)
		if (c->ent[x].item < ws->nitem)
			ws->ent[c->ent[x].item] = (int32_t)x;
	for (x = 0; x < c->n; x++) {
		const struct purch_ent *e = &c->ent[x];
		double d = itemcf_weight(e, c->ref_day, m->half_life);

		wsum += d;
		if (m->w[BLEND_OWN] > 0 && offer(m, ws, e->item))
			ws->comp[(size_t)e->item * BLEND_NCOMP + BLEND_OWN] =
			    (double)e->baskets /
			    (c->baskets > 0 ? c->baskets : 1) * d;
	}
	if (m->w[BLEND_CO] > 0 && m->cf != NULL && wsum > 0)
		for (x = 0; x < c->n; x++) {
			const struct purch_ent *e = &c->ent[x];
			double d = itemcf_weight(e, c->ref_day, m->half_life);

			if (e->item >= m->cf->nitem)
				continue;
			/* The next product's neighbours, a cache miss ahead. */
			if (x + 1 < c->n && c->ent[x + 1].item < m->cf->nitem) {
				y = m->cf->off[c->ent[x + 1].item];
				__builtin_prefetch(&m->cf->nb[y]);
				__builtin_prefetch(&m->cf->sim[y]);
			}
			for (y = m->cf->off[e->item];
			     y < m->cf->off[e->item + 1]; y++) {
				uint32_t j = m->cf->nb[y];
				double   v = d * m->cf->sim[y];

				if (!offer(m, ws, j))
					continue;
				ws->comp[(size_t)j * BLEND_NCOMP + BLEND_CO] +=
				    v / wsum;
				if (v > ws->best[j]) {
					ws->best[j] = v;
					ws->why[j] = e->item;
				}
			}
		}
	if (m->w[BLEND_RULES] > 0 && m->rules != NULL) {
		struct rulectx rc = { m, ws };

		for (x = 0; x < c->n; x++)
			ws->hitems[x] = c->ent[x].item;
		arules_match(m->rules, ws->hitems, c->n, rule_hit, &rc);
	}
	if (p != NULL && m->w[BLEND_POP] > 0)
		offer_top(m, ws,
		    c->seg > 0 && c->seg <= p->nseg
		        ? p->by_seg + (c->seg - 1) * p->nitem
		        : p->by_overall,
		    k);
	if (p != NULL && m->w[BLEND_RECENT] > 0)
		offer_top(m, ws, p->by_recent, k);
	for (t = 0; p != NULL && t < ws->n; t++) {
		uint32_t j = ws->touched[t];
		double  *v = &ws->comp[(size_t)j * BLEND_NCOMP];

		if (j >= p->nitem)
			continue;
		v[BLEND_POP] = c->seg > 0 && c->seg <= p->nseg
		    ? p->seg[(c->seg - 1) * p->nitem + j]
		    : p->overall[j];
		v[BLEND_RECENT] = p->recent[j];
	}
	for (x = 0; x < c->n; x++)
		if (c->ent[x].item < ws->nitem)
			ws->ent[c->ent[x].item] = -1;
}

size_t
blend_recommend(const struct blend_model *m, struct blend_ws *ws,
    const struct blend_cust *c, size_t k, struct blend_rec *out)
{
	struct topk heap;
	size_t      t, n, i, x;

	blend_candidates(m, ws, c, k);
	topk_init(&heap, k);
	for (t = 0; t < ws->n; t++) {
		uint32_t      j = ws->touched[t];
		const double *v = &ws->comp[(size_t)j * BLEND_NCOMP];
		double        s = 0;

		for (i = 0; i < BLEND_NCOMP; i++)
			s += m->w[i] * v[i];
		if (s > 0)
			topk_push(&heap, s, j);
	}
	n = topk_sorted(&heap);
	for (t = 0; t < n; t++) {
		uint32_t          j = heap.id[t];
		const double     *v = &ws->comp[(size_t)j * BLEND_NCOMP];
		struct blend_rec *r = &out[t];
		double            best = -1;

		memset(r, 0, sizeof(*r));
		r->item = j;
		r->score = heap.score[t];
		for (i = 0; i < BLEND_NCOMP; i++)
			if (m->w[i] * v[i] > best) {
				best = m->w[i] * v[i];
				r->reason = (enum blend_comp)i;
			}
		if (r->reason == BLEND_CO || r->reason == BLEND_RULES)
			r->why = ws->why[j];
		for (x = 0; x < c->n; x++)
			if (c->ent[x].item == j) {
				r->days = c->ent[x].days;
				r->baskets = c->ent[x].baskets;
				r->first = c->ent[x].first;
				r->last = c->ent[x].last;
			}
	}
	topk_release(&heap);
	return n;
}

void
blend_tune_add(struct blend_tune_set *s, const struct blend_ws *ws,
    const uint32_t *truth, size_t ntruth)
{
	size_t t, i;

	if (s->n == 0) {
		s->off = xcalloc(1, sizeof(*s->off));
		s->toff = xcalloc(1, sizeof(*s->toff));
	}
	s->off = xreallocarray(s->off, s->n + 2, sizeof(*s->off));
	s->toff = xreallocarray(s->toff, s->n + 2, sizeof(*s->toff));
	if (s->ncand + ws->n > s->capcand) {
		size_t c = s->capcand;

		xgrow(&s->cand, &c, s->ncand + ws->n, sizeof(*s->cand));
		s->comp =
		    xreallocarray(s->comp, c * BLEND_NTUNED, sizeof(*s->comp));
		s->capcand = c;
	}
	for (t = 0; t < ws->n; t++) {
		uint32_t j = ws->touched[t];

		s->cand[s->ncand] = j;
		for (i = 0; i < BLEND_NTUNED; i++)
			s->comp[s->ncand * BLEND_NTUNED + i] =
			    (float)ws->comp[(size_t)j * BLEND_NCOMP + i];
		s->ncand++;
	}
	xgrow(
	    &s->truth, &s->captruth, s->ntruth + ntruth + 1, sizeof(*s->truth));
	memcpy(s->truth + s->ntruth, truth, ntruth * sizeof(*truth));
	s->ntruth += ntruth;
	s->n++;
	s->off[s->n] = s->ncand;
	s->toff[s->n] = s->ntruth;
}

void
blend_tune_release(struct blend_tune_set *s)
{
	free(s->off);
	free(s->toff);
	free(s->cand);
	free(s->truth);
	free(s->comp);
	memset(s, 0, sizeof(*s));
}

/*
 * The hit rate and recall at K of the weights w on s (the measures of
 * rankmet, as ci-recommend eval reports them); hits[c] (when not NULL)
 * says whether customer c's list holds a truth item.
 */
static void
score_set(const struct blend_tune_set *s, const double *w, struct topk *heap,
    size_t nitem, double *hit, double *recall, uint8_t *hits)
{
	struct rankmet m;
	size_t         c, x, i, n;
	double         cov, before;

	rankmet_init(&m, heap->k, nitem);
	for (c = 0; c < s->n; c++) {
		topk_reset(heap);
		for (x = s->off[c]; x < s->off[c + 1]; x++) {
			double v = 0;

			for (i = 0; i < BLEND_NTUNED; i++)
				v += w[i] * s->comp[x * BLEND_NTUNED + i];
			if (v > 0)
				topk_push(heap, v, s->cand[x]);
		}
		n = topk_sorted(heap);
		before = m.hit;
		rankmet_add(&m, heap->id, n, s->truth + s->toff[c],
		    s->toff[c + 1] - s->toff[c]);
		if (hits != NULL)
			hits[c] = m.hit > before;
	}
	rankmet_done(&m, &cov);
	*hit = m.hit;
	*recall = m.recall;
	rankmet_release(&m);
}

bool
blend_better(const uint8_t *base, const uint8_t *hits, size_t n)
{
	size_t c, gained = 0, lost = 0;

	for (c = 0; c < n; c++) {
		gained += hits[c] && !base[c];
		lost += base[c] && !hits[c];
	}
	return gained > lost &&
	    (double)(gained - lost) >= 2 * sqrt((double)(gained + lost));
}

bool
blend_tune(const struct blend_tune_set *s, size_t k, double w[BLEND_NTUNED],
    double *hit, double *recall)
{
	static const double grid[] = { 0, 0.05, 0.1, 0.2, 0.5, 1, 2, 5 };
	struct topk         heap;
	double              bh, br, h, r, t[BLEND_NTUNED], w0[BLEND_NTUNED];
	double              h0, r0;
	size_t              round, i, g, nitem = 0, x;
	bool                moved = true, kept;
	uint8_t            *base = xcalloc(s->n + 1, 1);
	uint8_t            *hits = xcalloc(s->n + 1, 1);

	for (x = 0; x < s->ncand; x++)
		if (s->cand[x] >= nitem)
			nitem = s->cand[x] + 1;
	topk_init(&heap, k);
	memcpy(w0, w, sizeof(w0));
	score_set(s, w, &heap, nitem, &bh, &br, base);
	h0 = bh;
	r0 = br;
	for (round = 0; round < 4 && moved; round++) {
		moved = false;
		for (i = 0; i < BLEND_NTUNED; i++)
			for (g = 0; g < sizeof(grid) / sizeof(grid[0]); g++) {
				memcpy(t, w, sizeof(t));
				if (t[i] == grid[g])
					continue;
				t[i] = grid[g];
				if (t[0] + t[1] + t[2] + t[3] <= 0)
					continue;
				score_set(s, t, &heap, nitem, &h, &r, NULL);
				if (h > bh || (h == bh && r > br)) {
					memcpy(w, t, sizeof(t));
					bh = h;
					br = r;
					moved = true;
				}
			}
	}
	score_set(s, w, &heap, nitem, &bh, &br, hits);
	kept = blend_better(base, hits, s->n);
	if (!kept) {
		memcpy(w, w0, sizeof(w0));
		bh = h0;
		br = r0;
	}
	topk_release(&heap);
	free(base);
	free(hits);
	*hit = bh;
	*recall = br;
	return kept;
}
