/*
 * blend_test: popularity, candidates, scores and reasons, and the choice
 * of the weights, on a history small enough to work out by hand.
 *
 * Days since 1970 (each line a basket of its own customer-day):
 *
 *   a  tea 1, cup 1, tea 15, tea 29
 *   b  tea 2, jam 2
 *   c  jam 3, cup 3
 *   d  tea 4
 *
 * The products are numbered by name: cup 0, jam 1, tea 2.  a has three
 * baskets (days 1, 15, 29).  Shares of the four customers: tea 3/4, cup
 * 2/4, jam 2/4, so the popularity order is tea, cup, jam (cup before jam
 * by id).  The last day is 29; in the last day only a bought, tea.
 * Co-occurrences over customers: tea-cup 1 (a), tea-jam 1 (b), cup-jam 1
 * (c); tea has 3 customers, cup and jam 2, so cosine(tea, cup) =
 * cosine(tea, jam) = 1 / sqrt(6), cosine(cup, jam) = 1 / 2.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blend.h"
#include "itemcf.h"
#include "purch.h"
#include "tap.h"
#include "xalloc.h"

enum { CUP, JAM, TEA };

static void
add(struct purch *p, const char *c, const char *i, int day)
{
	purch_add(p, c, strlen(c), i, strlen(i), "", 0, "", 0,
	    (int64_t)day * 86400 + 3600, day, false);
}

static void
cust(const struct purch_hist *h, size_t c, struct blend_cust *bc)
{
	bc->ent = h->ent + h->off[c];
	bc->n = h->off[c + 1] - h->off[c];
	bc->baskets = h->baskets[c];
	bc->ref_day = h->ref_day;
	bc->seg = 0;
}

/*
 * A tuning set of n customers, each with two candidates: TEA, which the
 * customer bought (own 1) and goes on to buy, and CUP, more popular (0.9
 * against 0.1) and not bought.
 */
static void
tune_set(struct blend_tune_set *s, size_t n)
{
	size_t c;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->off = xcalloc(n + 1, sizeof(*s->off));
	s->toff = xcalloc(n + 1, sizeof(*s->toff));
	s->cand = xcalloc(2 * n, sizeof(*s->cand));
	s->truth = xcalloc(n, sizeof(*s->truth));
	s->comp = xcalloc(2 * n * BLEND_NTUNED, sizeof(*s->comp));
	for (c = 0; c < n; c++) {
		s->cand[2 * c] = TEA;
		s->comp[2 * c * BLEND_NTUNED + BLEND_OWN] = 1;
		s->comp[2 * c * BLEND_NTUNED + BLEND_POP] = 0.1f;
		s->cand[2 * c + 1] = CUP;
		s->comp[(2 * c + 1) * BLEND_NTUNED + BLEND_POP] = 0.9f;
		s->truth[c] = TEA;
		s->off[c + 1] = 2 * (c + 1);
		s->toff[c + 1] = c + 1;
	}
	s->ncand = 2 * n;
	s->ntruth = n;
}

int
main(void)
{
	struct purch          p = { 0 };
	struct purch_hist     h;
	struct blend_pop      pop;
	struct blend_model    m;
	struct blend_ws       ws;
	struct blend_cust     bc;
	struct blend_rec      out[4];
	struct itemcf         cf = { 0 };
	struct itemcf_opts    co = { ITEMCF_COSINE, 2, 0, 0, 1 };
	struct blend_tune_set s;
	uint8_t               allowed[3] = { 0, 1, 0 };
	uint8_t               base[20] = { 0 }, hits[20] = { 0 };
	double                w[BLEND_NTUNED], hit, recall;
	size_t                n;

	plan(40);
	add(&p, "a", "tea", 1);
	add(&p, "a", "cup", 1);
	add(&p, "a", "tea", 15);
	add(&p, "a", "tea", 29);
	add(&p, "b", "tea", 2);
	add(&p, "b", "jam", 2);
	add(&p, "c", "jam", 3);
	add(&p, "c", "cup", 3);
	add(&p, "d", "tea", 4);
	purch_finish(&p, true);
	purch_view(&h, &p, NULL, NULL);
	is_int(h.baskets[0], 3, "a: three baskets");

	blend_pop_fit(&pop, &h, 1, NULL, 0, NULL);
	ok(pop.overall[TEA] == 0.75 && pop.overall[CUP] == 0.5 &&
	        pop.overall[JAM] == 0.5,
	    "shares of the customers: tea 3/4, cup and jam 2/4");
	ok(pop.by_overall[0] == TEA && pop.by_overall[1] == CUP &&
	        pop.by_overall[2] == JAM,
	    "popularity order: tea, cup, jam (ties by id)");
	is_int(pop.recent_customers, 1, "one customer in the last day");
	ok(pop.recent[TEA] == 1 && pop.recent[CUP] == 0,
	    "recent: tea 1, cup 0 (a bought cup on day 1)");
	is_int(pop.by_recent[0], TEA, "recent order: tea first");

	/* Own alone: a's shares of its baskets, tea 3/3, cup 1/3. */
	memset(&m, 0, sizeof(m));
	m.pop = &pop;
	m.w[BLEND_OWN] = 1;
	m.nitem = 3;
	blend_ws_init(&ws, 3);
	cust(&h, 0, &bc);
	n = blend_recommend(&m, &ws, &bc, 4, out);
	is_int(n, 2, "own: a's two products");
	ok(out[0].item == TEA && out[0].score == 1, "own: tea first, 3/3");
	ok(out[1].item == CUP && fabs(out[1].score - 1.0 / 3) < 1e-15,
	    "own: cup second, 1/3");
	is_int(out[0].reason, BLEND_OWN, "own: the reason");
	ok(out[0].days == 3 && out[0].baskets == 3 && out[0].first == 1 &&
	        out[0].last == 29,
	    "own: tea's days, baskets, first and last day for the reason");

	/* Popularity alone, the customer's products excluded: jam only. */
	m.w[BLEND_OWN] = 0;
	m.w[BLEND_POP] = 1;
	m.exclude_purchased = true;
	n = blend_recommend(&m, &ws, &bc, 4, out);
	is_int(n, 1, "popularity without a's products: one");
	ok(out[0].item == JAM && out[0].score == 0.5, "popularity: jam, 1/2");
	is_int(out[0].reason, BLEND_POP, "popularity: the reason");
	m.exclude_purchased = false;
	n = blend_recommend(&m, &ws, &bc, 2, out);
	ok(n == 2 && out[0].item == TEA && out[1].item == CUP,
	    "popularity, top 2 with a's products: tea, cup");

	/* Only jam may be recommended: own has nothing to offer a. */
	m.w[BLEND_POP] = 0;
	m.w[BLEND_OWN] = 1;
	m.allowed = allowed;
	n = blend_recommend(&m, &ws, &bc, 4, out);
	is_int(n, 0, "own with only jam allowed: nothing for a");
	m.allowed = NULL;

	/* Recent alone. */
	m.w[BLEND_OWN] = 0;
	m.w[BLEND_RECENT] = 1;
	cust(&h, 3, &bc);
	n = blend_recommend(&m, &ws, &bc, 4, out);
	ok(n == 1 && out[0].item == TEA && out[0].reason == BLEND_RECENT,
	    "recent: tea, the one product of the last day with a share");

	/* Co-occurrence: d bought tea, whose neighbours are cup and jam. */
	itemcf_fit(&cf, &h, &co);
	is_int(cf.off[TEA + 1] - cf.off[TEA], 2, "tea: two neighbours");
	ok(cf.nb[cf.off[TEA]] == CUP && cf.nb[cf.off[TEA] + 1] == JAM,
	    "tea's neighbours: cup, jam (equal similarity, by id)");
	ok(fabs(cf.sim[cf.off[TEA]] - 1 / sqrt(6)) < 1e-7,
	    "cosine(tea, cup) = 1 / sqrt(6)");
	m.cf = &cf;
	m.w[BLEND_RECENT] = 0;
	m.w[BLEND_CO] = 1;
	n = blend_recommend(&m, &ws, &bc, 4, out);
	is_int(n, 2, "co-occurrence for d: two");
	ok(out[0].item == CUP && out[1].item == JAM,
	    "co-occurrence: cup, then jam (a tie, by id)");
	ok(fabs(out[0].score - 1 / sqrt(6)) < 1e-7,
	    "co-occurrence: the similarity over d's one product");
	ok(out[0].reason == BLEND_CO && out[0].why == TEA,
	    "co-occurrence: the reason names tea");

	/* Blend: own and co-occurrence for a.  tea: own 1; cup: own 1/3 +
	 * cooccurrence (sim(tea, cup) + 0 for cup itself) / 2 products; jam:
	 * (sim(tea, jam) + sim(cup, jam)) / 2. */
	m.w[BLEND_OWN] = 1;
	cust(&h, 0, &bc);
	n = blend_recommend(&m, &ws, &bc, 4, out);
	is_int(n, 3, "blend for a: three");
	ok(out[0].item == TEA && out[0].reason == BLEND_OWN,
	    "blend: tea first, for its own share");
	ok(fabs(out[1].score - (1.0 / 3 + 1 / sqrt(6) / 2)) < 1e-7 &&
	        out[1].item == CUP && out[1].reason == BLEND_OWN,
	    "blend: cup, own 1/3 + cooccurrence 1/sqrt(6)/2, reason own");
	ok(out[2].item == JAM &&
	        fabs(out[2].score - (1 / sqrt(6) + 0.5) / 2) < 1e-7 &&
	        out[2].reason == BLEND_CO && out[2].why == CUP,
	    "blend: jam, bought with cup (its largest similarity)");

	/* blend_candidates leaves the components of every candidate. */
	blend_candidates(&m, &ws, &bc, 4);
	is_int(ws.n, 3, "candidates of a: three");
	ok(ws.comp[(size_t)TEA * BLEND_NCOMP + BLEND_OWN] == 1 &&
	        ws.comp[(size_t)TEA * BLEND_NCOMP + BLEND_POP] == 0.75,
	    "tea's components: own 1, popularity 3/4");

	/* McNemar: 10 gained, 2 lost: 8 >= 2 sqrt(12) = 6.9; 6 and 2: 4 <
	 * 2 sqrt(8) = 5.7; nothing changes: not better. */
	memset(hits, 1, 10);
	memset(base + 10, 1, 2);
	ok(blend_better(base, hits, 20), "10 gained, 2 lost: better");
	memset(hits + 6, 0, 4);
	ok(!blend_better(base, hits, 20), "6 gained, 2 lost: not clearly");
	ok(!blend_better(hits, hits, 20), "the same hits: not better");

	/* Twenty customers who buy again what they bought: own wins. */
	tune_set(&s, 20);
	w[BLEND_OWN] = w[BLEND_CO] = w[BLEND_RECENT] = 0;
	w[BLEND_POP] = 1;
	ok(blend_tune(&s, 1, w, &hit, &recall), "20 customers: kept");
	ok(w[BLEND_OWN] > 0 &&
	        w[BLEND_OWN] * 1 + w[BLEND_POP] * 0.1 > w[BLEND_POP] * 0.9,
	    "own weighs enough to put tea first");
	ok(hit == 1 && recall == 1, "every customer's tea at the top");
	blend_tune_release(&s);

	/* Three such customers are within the noise: popularity stays. */
	tune_set(&s, 3);
	w[BLEND_OWN] = w[BLEND_CO] = w[BLEND_RECENT] = 0;
	w[BLEND_POP] = 1;
	ok(!blend_tune(&s, 1, w, &hit, &recall), "3 customers: not kept");
	ok(w[BLEND_POP] == 1 && w[BLEND_OWN] == 0 && w[BLEND_CO] == 0 &&
	        w[BLEND_RECENT] == 0,
	    "the weights are popularity alone again");
	ok(hit == 0 && recall == 0, "and their measures are popularity's");
	blend_tune_release(&s);

	/* A tuning set built from a workspace. */
	memset(&s, 0, sizeof(s));
	blend_tune_add(&s, &ws, (const uint32_t[]){ JAM }, 1);
	ok(s.n == 1 && s.ncand == 3 && s.ntruth == 1 && s.truth[0] == JAM,
	    "blend_tune_add: a's three candidates and its truth");
	blend_tune_release(&s);

	blend_ws_release(&ws);
	itemcf_release(&cf);
	blend_pop_release(&pop);
	purch_hist_release(&h);
	purch_release(&p);
	return done_testing();
}
