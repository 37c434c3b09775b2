/*
 * rankmet: sums of the per-customer measures, divided at the end.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rankmet.h"
#include "xalloc.h"

void
rankmet_init(struct rankmet *m, size_t k, size_t nitem)
{
	memset(m, 0, sizeof(*m));
	m->k = k;
	m->nitem = nitem;
	m->seen = xcalloc(nitem + 1, 1);
}

static bool
in(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

void
rankmet_add(struct rankmet *m, const uint32_t *list, size_t n,
    const uint32_t *truth, size_t nt)
{
	size_t r, hits = 0, ideal = nt < m->k ? nt : m->k;
	double dcg = 0, idcg = 0, ap = 0;

	for (r = 0; r < n; r++) {
		if (list[r] < m->nitem && !m->seen[list[r]]) {
			m->seen[list[r]] = 1;
			m->covered++;
		}
		if (!in(truth, nt, list[r]))
			continue;
		hits++;
		dcg += 1 / log2((double)r + 2);
		ap += (double)hits / (double)(r + 1);
	}
	for (r = 0; r < ideal; r++)
		idcg += 1 / log2((double)r + 2);
	m->customers++;
	m->hit += hits > 0;
	m->recall += nt > 0 ? (double)hits / (double)nt : 0;
	m->precision += (double)hits / (double)m->k;
	m->ndcg += idcg > 0 ? dcg / idcg : 0;
	m->map += ideal > 0 ? ap / (double)ideal : 0;
}

void
rankmet_done(struct rankmet *m, double *coverage)
{
	double n = m->customers > 0 ? (double)m->customers : 1;

	m->hit /= n;
	m->recall /= n;
	m->precision /= n;
	m->ndcg /= n;
	m->map /= n;
	*coverage = m->nitem > 0 ? (double)m->covered / (double)m->nitem : 0;
}

void
rankmet_release(struct rankmet *m)
{
	free(m->seen);
	memset(m, 0, sizeof(*m));
}
