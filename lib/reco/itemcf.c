/*
 * itemcf: the neighbour table.  For each item i the co-occurrences with
 * every other item are summed in a dense array over the customers who
 * bought i (each customer's items, once per customer), the touched items
 * are scored and the best k kept in a heap.  The work is sum over
 * customers of (items bought)^2; threads take blocks of items in turn,
 * each with its own dense array, and write each item's neighbours to its
 * own slots, so the table does not depend on the number of threads.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "itemcf.h"
#include "topk.h"
#include "xalloc.h"

const char *const itemcf_sim_names[] = { "cosine", "jaccard", "lift", NULL };

#define BLOCK 64

double
itemcf_weight(const struct purch_ent *e, int32_t ref, double half_life)
{
	if (half_life <= 0)
		return 1;
	return exp2(-(double)(ref - e->last) / half_life);
}

struct job {
	const struct purch_hist  *h;
	const struct itemcf_opts *o;
	const double             *w;       /* weight of each entry */
	const double             *s1, *s2; /* per item */
	size_t                    k;       /* slots per item */
	uint32_t                 *nb;
	float                    *sim;
	uint32_t                 *count;
	atomic_size_t             next;
};

static double
similarity(const struct job *j, double co, uint32_t a, uint32_t b)
{
	double s;

	switch (j->o->sim) {
	case ITEMCF_JACCARD:
		s = co / (j->s2[a] + j->s2[b] - co);
		break;
	case ITEMCF_LIFT:
		s = co * (double)j->h->active / (j->s1[a] * j->s1[b]);
		break;
	default:
		s = co / sqrt(j->s2[a] * j->s2[b]);
	}
	if (j->o->shrink > 0)
		s *= co / (co + j->o->shrink);
	return s;
}

static void *
work(void *arg)
{
	struct job              *j = arg;
	const struct purch_hist *h = j->h;
	double                  *acc = xcalloc(h->nitem + 1, sizeof(*acc));
	uint32_t   *touched = xcalloc(h->nitem + 1, sizeof(*touched));
	uint32_t   *mark = xcalloc(h->nitem + 1, sizeof(*mark));
	struct topk heap;
	size_t      b, i, x, y, n, t;

	topk_init(&heap, j->k);
	while ((b = atomic_fetch_add(&j->next, BLOCK)) < h->nitem) {
		for (i = b; i < b + BLOCK && i < h->nitem; i++) {
			n = 0;
			for (x = h->ioff[i]; x < h->ioff[i + 1]; x++) {
				uint32_t u = h->icust[x];
				double   wi = j->w[h->ient[x]];

				for (y = h->off[u]; y < h->off[u + 1]; y++) {
					uint32_t it = h->ent[y].item;

					if (it == i)
						continue;
					if (mark[it] != i + 1) {
						mark[it] = (uint32_t)i + 1;
						touched[n++] = it;
					}
					acc[it] += wi * j->w[y];
				}
			}
			topk_reset(&heap);
			for (t = 0; t < n; t++) {
				uint32_t it = touched[t];
				double   s =
				    similarity(j, acc[it], (uint32_t)i, it);

				acc[it] = 0;
				if (s > 0 && isfinite(s))
					topk_push(&heap, s, it);
			}
			j->count[i] = (uint32_t)topk_sorted(&heap);
			for (t = 0; t < j->count[i]; t++) {
				j->nb[i * j->k + t] = heap.id[t];
				j->sim[i * j->k + t] = (float)heap.score[t];
			}
		}
	}
	topk_release(&heap);
	free(acc);
	free(touched);
	free(mark);
	return NULL;
}

void
itemcf_fit(
    struct itemcf *m, const struct purch_hist *h, const struct itemcf_opts *o)
{
	struct job j = { 0 };
	pthread_t  tid[16];
	unsigned   nt = o->threads < 1 ? 1 : o->threads > 16 ? 16 : o->threads;
	double    *w = xcalloc(h->nent + 1, sizeof(*w));
	double    *s1 = xcalloc(h->nitem + 1, sizeof(*s1));
	double    *s2 = xcalloc(h->nitem + 1, sizeof(*s2));
	size_t     i, t, n;

	for (i = 0; i < h->nent; i++) {
		w[i] = itemcf_weight(&h->ent[i], h->ref_day, o->half_life);
		s1[h->ent[i].item] += w[i];
		s2[h->ent[i].item] += w[i] * w[i];
	}
	j.h = h;
	j.o = o;
	j.w = w;
	j.s1 = s1;
	j.s2 = s2;
	j.k = o->k > h->nitem ? h->nitem : o->k;
	if (j.k == 0)
		j.k = 1;
	j.nb = xcalloc(h->nitem * j.k + 1, sizeof(*j.nb));
	j.sim = xcalloc(h->nitem * j.k + 1, sizeof(*j.sim));
	j.count = xcalloc(h->nitem + 1, sizeof(*j.count));
	atomic_init(&j.next, 0);
	for (t = 1; t < nt; t++)
		if (pthread_create(&tid[t], NULL, work, &j) != 0)
			break;
	n = t;
	work(&j);
	for (t = 1; t < n; t++)
		pthread_join(tid[t], NULL);
	for (i = n = 0; i < h->nitem; i++)
		n += j.count[i];
	itemcf_alloc(m, h->nitem, n);
	for (i = n = 0; i < h->nitem; i++) {
		memcpy(m->nb + n, j.nb + i * j.k, j.count[i] * sizeof(*m->nb));
		memcpy(
		    m->sim + n, j.sim + i * j.k, j.count[i] * sizeof(*m->sim));
		n += j.count[i];
		m->off[i + 1] = n;
	}
	free(j.nb);
	free(j.sim);
	free(j.count);
	free(w);
	free(s1);
	free(s2);
}

void
itemcf_alloc(struct itemcf *m, size_t nitem, size_t nent)
{
	m->nitem = nitem;
	m->off = xcalloc(nitem + 1, sizeof(*m->off));
	m->nb = xcalloc(nent + 1, sizeof(*m->nb));
	m->sim = xcalloc(nent + 1, sizeof(*m->sim));
}

void
itemcf_release(struct itemcf *m)
{
	free(m->off);
	free(m->nb);
	free(m->sim);
	memset(m, 0, sizeof(*m));
}
