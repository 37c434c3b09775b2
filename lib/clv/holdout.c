/*
 * holdout: the orders after a point in time, kept as (customer, day,
 * time) triples until the end of the period is known, then sorted and
 * counted as distinct days per customer.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hmap.h"
#include "holdout.h"
#include "parread.h"
#include "recin.h"
#include "timeparse.h"
#include "xalloc.h"

struct order {
	int64_t  ts;
	int64_t  day;
	uint32_t cust;
};

struct holdout {
	int64_t          from, to;
	bool             to_latest;
	bool             keep_all; /* the orders at or before from too */
	const struct tz *tz;
	int64_t          latest; /* the latest order after from */
	struct hmap      ids;
	struct order    *o;
	size_t           n, cap;
	uint64_t        *days;   /* per customer, once counted */
	bool            *member; /* per customer: asked about */
};

struct holdout *
holdout_new(int64_t from, int64_t to, bool to_latest, const struct tz *tz)
{
	struct holdout *h = xcalloc(1, sizeof(*h));

	h->from = from;
	h->to = to;
	h->to_latest = to_latest;
	h->tz = tz;
	h->latest = from;
	return h;
}

/* Add one event row; -1 with *e for a row to reject. */
static int
add(struct holdout *h, const int *c, const struct rec *rec, const char *file,
    struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, h->tz };
	struct tp_result t;
	const char      *id, *s, *why;
	size_t           idlen, len;

	rec_field(rec, c[0], &id, &idlen);
	if (idlen == 0)
		return ci_err_set(
		    e, CI_EXIT_DATA, file, rec->line, "missing customer_id");
	rec_field(rec, c[1], &s, &len);
	if (timeparse(s, len, &tp, &t, &why) < 0)
		return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "bad ts '%.*s': %s", (int)(len > 60 ? 60 : len), s, why);
	rec_field(rec, c[2], &s, &len);
	if (len != 0 && !(len == 5 && strncasecmp(s, "order", 5) == 0))
		return 0;
	if ((t.utc <= h->from && !h->keep_all) ||
	    (!h->to_latest && t.utc > h->to))
		return 0;
	if (t.utc > h->latest)
		h->latest = t.utc;
	xgrow(&h->o, &h->cap, h->n + 1, sizeof(*h->o));
	h->o[h->n].ts = t.utc;
	h->o[h->n].day = tz_day(h->tz, t.utc);
	h->o[h->n].cust = (uint32_t)hmap_intern(&h->ids, id, idlen, NULL);
	h->n++;
	return 0;
}

/* What the read loop hands the rows to. */
struct reading {
	struct holdout *h;
	int             c[3]; /* customer_id, ts, type */
};

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading *g = ctx;

	return add(g->h, g->c, rec, file, e) < 0 ? REC_BAD : REC_ROW;
}

int
holdout_read(struct holdout *h, const char *path, const struct recin_opts *o,
    struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	struct reading              g = { h, { -1, -1, -1 } };
	const struct parread_reader rd = { .row = read_row, .ctx = &g };
	struct recin               *r = recin_open(path, o, e);
	int                         rc = -1;

	if (r == NULL)
		return -1;
	g.c[0] = recin_require(r, "customer_id", "in the holdout", e);
	g.c[1] = g.c[0] >= 0 ? recin_require(r, "ts", "in the holdout", e) : -1;
	g.c[2] = recin_find(r, "type");
	if (g.c[1] >= 0 || recin_ncols(r) == 0)
		rc = parread_input(r, &rd, NULL, rj, NULL, rows, e);
	recin_free(r);
	return rc;
}

int64_t
holdout_end(const struct holdout *h)
{
	if (!h->to_latest)
		return h->to;
	if (h->latest == h->from)
		return h->from;
	return tz_day_end(h->tz, tz_day(h->tz, h->latest));
}

static int
cmp_order(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;

	if (a->cust != b->cust)
		return a->cust < b->cust ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

/* Count the distinct days per customer, once. */
static void
count(struct holdout *h)
{
	int64_t  end = holdout_end(h), day = 0;
	uint32_t cust = 0;
	bool     any = false;
	size_t   i;

	h->days = xcalloc(hmap_count(&h->ids) + 1, sizeof(*h->days));
	h->member = xcalloc(hmap_count(&h->ids) + 1, sizeof(*h->member));
	qsort(h->o, h->n, sizeof(*h->o), cmp_order);
	for (i = 0; i < h->n; i++) {
		if (h->o[i].ts > end || h->o[i].ts <= h->from ||
		    (any && h->o[i].cust == cust && h->o[i].day == day))
			continue;
		any = true;
		cust = h->o[i].cust;
		day = h->o[i].day;
		h->days[cust]++;
	}
}

uint64_t
holdout_days(struct holdout *h, const char *s, size_t len)
{
	long i;

	if (h->days == NULL)
		count(h);
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	i = hmap_find(&h->ids, s, len);
	if (i < 0)
		return 0;
	h->member[i] = true;
	return h->days[i];
}

size_t
holdout_customers(struct holdout *h)
{
	size_t i, n = 0;

	if (h->days == NULL)
		count(h);
	for (i = 0; i < hmap_count(&h->ids); i++)
		n += h->days[i] > 0;
	return n;
}

void
holdout_keep_all(struct holdout *h)
{
	h->keep_all = true;
}

void
holdout_each_day(struct holdout *h,
    void (*fn)(void *ctx, int64_t day, bool repeat), void *ctx)
{
	int64_t end, day = 0;
	size_t  i;

	if (h->days == NULL)
		count(h);
	end = holdout_end(h);
	for (i = 0; i < h->n; i++) {
		const struct order *o = &h->o[i];
		bool first = i == 0 || o->cust != h->o[i - 1].cust;

		if (!h->member[o->cust] || o->ts > end ||
		    (!first && o->day == day))
			continue;
		fn(ctx, o->day, !first);
		day = o->day;
	}
}

void
holdout_free(struct holdout *h)
{
	if (h == NULL)
		return;
	hmap_release(&h->ids);
	free(h->o);
	free(h->days);
	free(h->member);
	free(h);
}
