/*
 * reco: ci-recommend's reading, fitting, model file, recommending,
 * rules and evaluation.  The events are read into a purch (several
 * threads on a large file, each into a purch of its own, joined in input
 * order); every result after that is computed from views of its lines.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>

#include <jansson.h>

#include "civil.h"
#include "evtab.h"
#include "jsonw.h"
#include "model.h"
#include "numfmt.h"
#include "purch.h"
#include "rankmet.h"
#include "reco.h"
#include "recin.h"
#include "recout.h"
#include "rng.h"
#include "timeparse.h"
#include "xalloc.h"

const char *const reco_method_names[] = { "blend", "itemcf", "rules", "popular",
	"recent", "own", NULL };

/* The most frequent itemsets mining may hold before it gives up. */
#define MAX_ITEMSETS 20000000

void
reco_opts_init(struct reco_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = RECO_RECOMMEND;
	o->method = RECO_BLEND;
	o->cf.sim = ITEMCF_COSINE;
	o->cf.k = 50;
	o->cf.shrink = 10;
	o->cf.threads = parread_cpus(16);
	o->ar.min_support = 0.01;
	o->ar.min_confidence = 0.1;
	o->ar.max_len = 3;
	o->n = 10;
	o->recent_days = 30;
	o->tune_customers = 20000;
}

/* Reading: the columns, the zone, and what was left aside. */
struct reading {
	struct purch     p;
	const struct tz *tz;
	int              cust, ts, type, order, item, cat;
	uint64_t         other, noitem;
	enum rec_fmt     fmt; /* of the first input */
};

static int
read_open(void *ctx, struct recin *r, size_t i, struct ci_err *e)
{
	struct reading *g = ctx;

	if (i == 0)
		g->fmt = recin_format(r);
	if ((g->cust = recin_require(r, "customer_id", NULL, e)) < 0 &&
	    recin_ncols(r) > 0)
		return -1;
	if ((g->ts = recin_require(r, "ts", NULL, e)) < 0 && recin_ncols(r) > 0)
		return -1;
	if ((g->item = recin_require(r, "product_id", NULL, e)) < 0 &&
	    recin_ncols(r) > 0)
		return -1;
	g->type = recin_find(r, "type");
	g->order = recin_find(r, "order_id");
	g->cat = recin_find(r, "category");
	return 0;
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading  *g = ctx;
	struct tp_opts   tp = { TP_ORDER_AUTO, g->tz };
	struct tp_result t;
	const char      *id, *ts, *type, *item, *order, *cat, *why;
	size_t           idl, tsl, tyl, il, ol, cl;
	bool             refund;

	rec_field(rec, g->cust, &id, &idl);
	if (idl == 0) {
		ci_err_set(
		    e, CI_EXIT_DATA, file, rec->line, "missing customer_id");
		return REC_BAD;
	}
	rec_field(rec, g->ts, &ts, &tsl);
	if (timeparse(ts, tsl, &tp, &t, &why) < 0) {
		ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "bad ts '%.*s' in column 'ts': %s",
		    (int)(tsl > 64 ? 64 : tsl), ts, why);
		return REC_BAD;
	}
	rec_field(rec, g->type, &type, &tyl);
	refund = tyl == 6 && strncasecmp(type, "refund", 6) == 0;
	if (!refund && tyl > 0 &&
	    !(tyl == 5 && strncasecmp(type, "order", 5) == 0)) {
		g->other++;
		return REC_ROW;
	}
	rec_field(rec, g->item, &item, &il);
	rec_field(rec, g->order, &order, &ol);
	rec_field(rec, g->cat, &cat, &cl);
	if (il == 0 && !(refund && ol > 0)) {
		g->noitem++;
		return REC_ROW;
	}
	purch_add(&g->p, id, idl, item, il, order, ol, cat, cl, t.utc,
	    (int32_t)tz_day(g->tz, t.utc), refund);
	return REC_ROW;
}

static void *
read_fork(void *ctx)
{
	struct reading *g = ctx, *part = xcalloc(1, sizeof(*part));

	/* What open bound, and nothing of the rows, to which the calling
	 * thread may be adding as this runs. */
	part->tz = g->tz;
	part->cust = g->cust;
	part->ts = g->ts;
	part->type = g->type;
	part->order = g->order;
	part->item = g->item;
	part->cat = g->cat;
	part->fmt = g->fmt;
	return part;
}

static void
read_join(void *ctx, void *part, unsigned long lines)
{
	struct reading *g = ctx, *p = part;

	(void)lines;
	purch_join(&g->p, &p->p);
	g->other += p->other;
	g->noitem += p->noitem;
	free(p);
}

static void
read_drop(void *part)
{
	struct reading *p = part;

	purch_release(&p->p);
	free(p);
}

/* What one run holds. */
struct run {
	struct reco_opts *o;
	struct reading    g;
	struct purch     *p;
	struct purch_hist h;
	struct itemcf     cf;
	struct blend_pop  pop;
	struct arules     rules;
	bool              has_rules;
	double            w[BLEND_NCOMP];
	struct hmap       segs; /* segment names */
	uint32_t         *seg;  /* per customer: 1 + segment, 0 */
	uint8_t          *allowed;
	uint32_t         *want; /* --customers: 1 + id, 0 new */
	char            **want_name;
	uint32_t         *want_seg;
	size_t            nwant;
	double            tune_hit, tune_recall;
	size_t            tune_n;
	bool              tune_kept; /* the search's weights, not popularity */
	int32_t           ref_day;
	struct buf       *notes;
};

static int
read_events(struct run *r, const struct parread_files *in, struct rejects *rj,
    uint64_t *rows, struct ci_err *e)
{
	const struct parread_reader rd = { .open = read_open,
		.row = read_row,
		.ctx = &r->g,
		.fork = read_fork,
		.join = read_join,
		.drop = read_drop };

	r->g.tz = r->o->tz;
	r->g.cust = r->g.ts = r->g.item = r->g.type = r->g.order = r->g.cat =
	    -1;
	return parread_files(in, &rd, rj, rows, e);
}

/* Read a side file (--customers, --items) with column key required. */
static struct recin *
open_side(const char *path, const char *opt, const char *key, int *col,
    struct ci_err *e)
{
	struct recin_opts ro = { 0 };
	struct recin     *in = recin_open(path, &ro, e);
	char              why[64];

	if (in == NULL)
		return NULL;
	snprintf(why, sizeof(why), "for %s", opt);
	if ((*col = recin_require(in, key, why, e)) < 0) {
		if (recin_ncols(in) == 0)
			ci_err_set(e, CI_EXIT_USAGE, path, 0,
			    "empty file for %s", opt);
		recin_free(in);
		return NULL;
	}
	return in;
}

/* --customers: the customers to score, in the file's order, and their
 * segments. */
static int
read_customers(struct run *r, struct ci_err *e)
{
	struct recin   *in;
	struct rec      rec;
	int             col, scol;
	size_t          cap = 0, capn = 0, caps = 0;
	enum rec_status st;
	struct hmap     seen = { 0 };

	if ((in = open_side(r->o->customers, "--customers", "customer_id", &col,
	         e)) == NULL)
		return -1;
	scol = recin_find(in, "segment");
	while ((st = recin_read(in, &rec, e)) == REC_ROW) {
		const char *s, *g;
		size_t      len, glen;
		bool        is_new;
		long        k;

		rec_field(&rec, col, &s, &len);
		if (len == 0) {
			ci_err_set(e, CI_EXIT_DATA, r->o->customers, rec.line,
			    "missing customer_id");
			recin_free(in);
			hmap_release(&seen);
			return -1;
		}
		hmap_intern(&seen, s, len, &is_new);
		if (!is_new)
			continue;
		rec_field(&rec, scol, &g, &glen);
		xgrow(&r->want, &cap, r->nwant + 1, sizeof(*r->want));
		xgrow(
		    &r->want_name, &capn, r->nwant + 1, sizeof(*r->want_name));
		xgrow(&r->want_seg, &caps, r->nwant + 1, sizeof(*r->want_seg));
		k = hmap_find(&r->p->custs, s, len);
		r->want[r->nwant] = k < 0 ? 0 : (uint32_t)k + 1;
		r->want_name[r->nwant] = xmemdup(s, len);
		r->want_seg[r->nwant] = glen > 0
		    ? 1 + (uint32_t)hmap_intern(&r->segs, g, glen, NULL)
		    : 0;
		r->nwant++;
	}
	recin_free(in);
	hmap_release(&seen);
	if (st != REC_END)
		return -1;
	return 0;
}

/* Segments of the customers of the history, from --customers. */
static void
customer_segments(struct run *r)
{
	size_t i;

	r->seg = xcalloc(purch_ncust(r->p) + 1, sizeof(*r->seg));
	for (i = 0; i < r->nwant; i++)
		if (r->want[i] > 0)
			r->seg[r->want[i] - 1] = r->want_seg[i];
}

/* --items: the assortment that may be recommended. */
static int
read_items(struct run *r, struct ci_err *e)
{
	struct recin   *in;
	struct rec      rec;
	int             col;
	enum rec_status st;
	size_t          n = 0;

	if ((in = open_side(r->o->items, "--items", "product_id", &col, e)) ==
	    NULL)
		return -1;
	r->allowed = xcalloc(purch_nitem(r->p) + 1, 1);
	while ((st = recin_read(in, &rec, e)) == REC_ROW) {
		const char *s;
		size_t      len;
		long        k;

		rec_field(&rec, col, &s, &len);
		if ((k = hmap_find(&r->p->items, s, len)) >= 0) {
			n += !r->allowed[k];
			r->allowed[k] = 1;
		}
	}
	recin_free(in);
	if (st != REC_END)
		return -1;
	if (n == 0)
		return ci_err_set(e, CI_EXIT_DATA, r->o->items, 0,
		    "no product of the history is in --items");
	buf_addf(r->notes, "%zu of %zu products may be recommended (--items)\n",
	    n, purch_nitem(r->p));
	return 0;
}

static void
fixed_weights(enum reco_method m, double w[BLEND_NCOMP])
{
	memset(w, 0, BLEND_NCOMP * sizeof(*w));
	switch (m) {
	case RECO_ITEMCF:
		w[BLEND_CO] = 1;
		break;
	case RECO_RULESM:
		w[BLEND_RULES] = 1;
		break;
	case RECO_POPULAR:
		w[BLEND_POP] = 1;
		break;
	case RECO_RECENT:
		w[BLEND_RECENT] = 1;
		break;
	case RECO_OWN:
		w[BLEND_OWN] = 1;
		break;
	default:
		w[BLEND_POP] = 1;
	}
}

/* The cut of each customer's history: its last day, or the last days. */
static int32_t *
cutoff(const struct purch_hist *h, int holdout_days)
{
	int32_t *cut = xcalloc(h->ncust + 1, sizeof(*cut));
	size_t   c;

	for (c = 0; c < h->ncust; c++)
		cut[c] = holdout_days > 0 ? h->ref_day - holdout_days + 1
		                          : h->last[c];
	return cut;
}

/* The distinct items of customer c in view t, ascending. */
static const uint32_t *
truth_items(const struct purch_hist *t, size_t c, uint32_t *buf, size_t *n)
{
	size_t x;

	*n = 0;
	for (x = t->off[c]; x < t->off[c + 1]; x++)
		buf[(*n)++] = t->ent[x].item;
	return buf;
}

static void
make_cust(
    const struct purch_hist *h, size_t c, uint32_t seg, struct blend_cust *bc)
{
	bc->ent = h->ent + h->off[c];
	bc->n = h->off[c + 1] - h->off[c];
	bc->baskets = h->baskets[c];
	bc->ref_day = h->ref_day;
	bc->seg = seg;
}

/* The association rules of the baskets of p before until (NULL: all). */
static int
mine_rules(
    struct run *r, const int32_t *until, struct arules *rules, struct ci_err *e)
{
	size_t   *off, nb;
	uint32_t *items;
	int       rc;

	purch_baskets(r->p, NULL, until, &off, &items, &nb);
	rc = arules_mine(
	    rules, off, items, nb, purch_nitem(r->p), &r->o->ar, MAX_ITEMSETS);
	free(off);
	free(items);
	if (rc < 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "more than %d frequent itemsets: raise --min-support or "
		    "lower --max-len",
		    MAX_ITEMSETS);
	return 0;
}

/*
 * Fit what the method needs on view h of p: neighbours, popularity,
 * rules (from the baskets before until).
 */
static int
fit_parts(struct run *r, const struct purch_hist *h, const int32_t *until,
    struct itemcf *cf, struct blend_pop *pop, struct arules *rules,
    bool *has_rules, bool all, struct ci_err *e)
{
	enum reco_method m = r->o->method;

	blend_pop_fit(pop, h, r->o->recent_days, r->seg, hmap_count(&r->segs),
	    r->p->item_cat);
	if (all || m == RECO_BLEND || m == RECO_ITEMCF)
		itemcf_fit(cf, h, &r->o->cf);
	if (all || m == RECO_RULESM) {
		if (mine_rules(r, until, rules, e) < 0)
			return -1;
		*has_rules = true;
	}
	return 0;
}

/*
 * Search the weights of the blend of cf and pop (fitted on tr) on the
 * customers pick[0..npick), whose purchases in te are the truth.
 */
static void
tune_weights(struct run *r, const struct purch_hist *tr,
    const struct purch_hist *te, const struct itemcf *cf,
    const struct blend_pop *pop, const size_t *pick, size_t npick,
    double w[BLEND_NCOMP])
{
	struct blend_model    bm = { 0 };
	struct blend_ws       ws;
	struct blend_tune_set set = { 0 };
	uint32_t             *tbuf = xcalloc(tr->nitem + 1, sizeof(*tbuf));
	double                t[BLEND_NTUNED] = { 0, 0, 1, 0 };
	size_t                i, nt;

	bm.cf = cf;
	bm.pop = pop;
	bm.w[BLEND_OWN] = bm.w[BLEND_CO] = bm.w[BLEND_POP] =
	    bm.w[BLEND_RECENT] = 1;
	bm.half_life = r->o->cf.half_life;
	bm.exclude_purchased = r->o->exclude_purchased;
	bm.allowed = r->allowed;
	bm.nitem = tr->nitem;
	blend_ws_init(&ws, tr->nitem);
	for (i = 0; i < npick; i++) {
		struct blend_cust bc;
		size_t            c = pick[i];

		make_cust(tr, c, r->seg != NULL ? r->seg[c] : 0, &bc);
		blend_candidates(&bm, &ws, &bc, r->o->n);
		truth_items(te, c, tbuf, &nt);
		blend_tune_add(&set, &ws, tbuf, nt);
	}
	blend_ws_release(&ws);
	r->tune_kept =
	    blend_tune(&set, r->o->n, t, &r->tune_hit, &r->tune_recall);
	r->tune_n = npick;
	memset(w, 0, BLEND_NCOMP * sizeof(*w));
	memcpy(w, t, sizeof(t));
	blend_tune_release(&set);
	free(tbuf);
}

/*
 * Choose the blend weights on the history h (of p, cut at until, NULL:
 * all): its customers' last day held out (or the last days), the rest
 * fitted, the weights searched on at most tune_customers of the customers
 * with both.
 */
static int
tune(struct run *r, const struct purch_hist *h, const int32_t *until,
    double w[BLEND_NCOMP], struct ci_err *e)
{
	int32_t          *cut = cutoff(h, r->o->holdout_days);
	int32_t          *lim = xcalloc(h->ncust + 1, sizeof(*lim));
	struct purch_hist tr, te;
	struct itemcf     cf = { 0 };
	struct blend_pop  pop = { 0 };
	struct arules     ar = { 0 };
	struct rng        g;
	size_t           *pick, npick = 0, c, i;
	bool              dummy = false;
	int               rc = -1;

	for (c = 0; c < h->ncust; c++)
		lim[c] = until != NULL && until[c] < cut[c] ? until[c] : cut[c];
	purch_view(&tr, r->p, NULL, lim);
	purch_view(&te, r->p, lim, until);
	pick = xcalloc(h->ncust + 1, sizeof(*pick));
	for (c = 0; c < h->ncust; c++)
		if (tr.off[c] < tr.off[c + 1] && te.off[c] < te.off[c + 1])
			pick[npick++] = c;
	if (npick > r->o->tune_customers) {
		size_t *s = xcalloc(r->o->tune_customers + 1, sizeof(*s));

		rng_init(&g, r->o->seed);
		rng_sample(&g, npick, r->o->tune_customers, s);
		for (i = 0; i < r->o->tune_customers; i++)
			s[i] = pick[s[i]];
		free(pick);
		pick = s;
		npick = r->o->tune_customers;
	}
	if (npick == 0) {
		buf_addf(r->notes,
		    "no customer bought on two days or more: the blend "
		    "weighs popularity alone\n");
		fixed_weights(RECO_POPULAR, w);
		rc = 0;
	} else if (fit_parts(r, &tr, lim, &cf, &pop, &ar, &dummy, false, e) ==
	    0) {
		tune_weights(r, &tr, &te, &cf, &pop, pick, npick, w);
		rc = 0;
	}
	arules_release(&ar);
	itemcf_release(&cf);
	blend_pop_release(&pop);
	purch_hist_release(&tr);
	purch_hist_release(&te);
	free(pick);
	free(cut);
	free(lim);
	return rc;
}

/*
 * Write a mean gap of days as "you buy it every ...": day, N days (2 to
 * 12, 7 being a week), N weeks (2 to 5), month, N months.
 */
static void
every(struct buf *b, double days)
{
	long n = lround(days);

	if (days < 1.5)
		buf_addstr(b, "you buy it every day");
	else if (n == 7)
		buf_addstr(b, "you buy it every week");
	else if (days < 12.5)
		buf_addf(b, "you buy it every %ld days", n);
	else if (days < 38.5)
		buf_addf(b, "you buy it every %ld weeks", lround(days / 7));
	else if ((n = lround(days / 30.44)) == 1)
		buf_addstr(b, "you buy it every month");
	else
		buf_addf(b, "you buy it every %ld months", n);
}

static void
reason(struct run *r, const struct blend_rec *x, uint32_t seg, struct buf *b)
{
	const char *cat = purch_category(r->p, x->item), *name;
	size_t      i;

	buf_reset(b);
	switch (x->reason) {
	case BLEND_OWN:
		if (x->days >= 3)
			every(b, (double)(x->last - x->first) / (x->days - 1));
		else if (x->baskets >= 2)
			buf_addf(b, "you bought it %u times", x->baskets);
		else
			buf_addstr(b, "you bought it before");
		break;
	case BLEND_CO:
		buf_addf(
		    b, "bought with %s", hmap_key(&r->p->items, x->why, NULL));
		break;
	case BLEND_RULES:
		buf_addstr(b, "bought with ");
		for (i = 0; i < r->rules.r[x->why].len; i++) {
			name = hmap_key(&r->p->items,
			    r->rules.items[r->rules.r[x->why].ante + i], NULL);
			buf_addf(b, "%s%s", i > 0 ? " and " : "", name);
		}
		break;
	case BLEND_RECENT:
		if (cat != NULL)
			buf_addf(b, "popular in %s", cat);
		else
			buf_addstr(b, "popular");
		if (r->o->recent_days == 30)
			buf_addstr(b, " this month");
		else
			buf_addf(b, " in the last %d days", r->o->recent_days);
		break;
	default:
		if (seg > 0 && seg <= r->pop.nseg)
			buf_addf(b, "popular in segment %s",
			    hmap_key(&r->segs, seg - 1, NULL));
		else if (cat != NULL && r->pop.cat_rank[x->item] > 0 &&
		    r->pop.cat_rank[x->item] <= 3)
			buf_addf(b, "popular in %s", cat);
		else
			buf_addstr(b, "popular");
	}
}

static const char *const out_cols[] = { "customer_id", "rank", "product_id",
	"score", "reason" };

static void
model_of(struct run *r, struct blend_model *bm)
{
	memset(bm, 0, sizeof(*bm));
	bm->cf = r->cf.off != NULL ? &r->cf : NULL;
	bm->pop = &r->pop;
	bm->rules = r->has_rules ? &r->rules : NULL;
	memcpy(bm->w, r->w, sizeof(bm->w));
	bm->half_life = r->o->cf.half_life;
	bm->exclude_purchased = r->o->exclude_purchased;
	bm->allowed = r->allowed;
	bm->nitem = purch_nitem(r->p);
}

static int
write_recs(struct run *r, struct recout *w, const char *name, size_t nlen,
    const struct blend_rec *recs, size_t n, uint32_t seg, struct buf *b,
    struct ci_err *e)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		const char *item = hmap_key(&r->p->items, recs[i].item, &len);

		recout_str(w, name, nlen);
		recout_int(w, (int64_t)i + 1);
		recout_str(w, item, len);
		recout_double(w, recs[i].score);
		reason(r, &recs[i], seg, b);
		recout_str(w, b->data, b->len);
		if (recout_end(w, e) < 0)
			return -1;
	}
	return 0;
}

/* Customers a thread scores at a time. */
#define CHUNK 4096

/* One thread's share of the recommending: customers from..to of a round. */
struct rjob {
	struct run               *r;
	const struct blend_model *bm;
	struct blend_ws           ws;
	struct blend_rec         *recs;
	struct buf                b;
	struct recout            *mem; /* the rows, formatted */
	size_t                    from, to, count, empty;
	struct ci_err             err;
	int                       rc;
};

/* The recommendations of customer c (an index of --customers when given,
 * else of the history) into j's rows. */
static int
recommend_one(struct rjob *j, size_t c)
{
	struct run       *r = j->r;
	struct purch_ent  none = { 0 };
	struct blend_cust bc = { &none, 0, 0, r->h.ref_day, 0 };
	const char       *name;
	uint32_t          seg = 0;
	size_t            n, len;

	if (r->want != NULL) {
		name = r->want_name[c];
		len = strlen(name);
		seg = r->want_seg[c];
		if (r->want[c] > 0)
			make_cust(&r->h, r->want[c] - 1, 0, &bc);
	} else {
		if (r->h.off[c] == r->h.off[c + 1])
			return 0;
		name = hmap_key(&r->p->custs, c, &len);
		make_cust(&r->h, c, 0, &bc);
		seg = r->seg != NULL ? r->seg[c] : 0;
	}
	bc.seg = seg > 0 && seg <= r->pop.nseg ? seg : 0;
	n = blend_recommend(j->bm, &j->ws, &bc, r->o->n, j->recs);
	j->count++;
	j->empty += n == 0;
	return write_recs(
	    r, j->mem, name, len, j->recs, n, bc.seg, &j->b, &j->err);
}

static void *
recommend_part(void *arg)
{
	struct rjob *j = arg;
	size_t       c;

	for (c = j->from; j->rc == 0 && c < j->to; c++)
		j->rc = recommend_one(j, c);
	return NULL;
}

/*
 * Recommend for every customer (or those of --customers) to stdout: the
 * threads score a chunk of customers each, into memory, and their rows
 * are written in customer order, a round of chunks at a time.
 */
static int
recommend(struct run *r, enum rec_fmt fmt, struct ci_err *e)
{
	struct blend_model bm;
	struct rjob        job[16];
	pthread_t          tid[16];
	bool               started[16];
	struct recout     *w;
	unsigned           nt = r->o->cf.threads, t;
	size_t total = r->want != NULL ? r->nwant : r->h.ncust, at, len;
	size_t count = 0, empty = 0;
	int    rc = 0;

	nt = nt < 1 ? 1 : nt > 16 ? 16 : nt;
	if ((w = recout_open(NULL, fmt, out_cols, 5, e)) == NULL)
		return -1;
	recout_set_digits(w, r->o->digits);
	model_of(r, &bm);
	for (t = 0; t < nt; t++) {
		memset(&job[t], 0, sizeof(job[t]));
		job[t].r = r;
		job[t].bm = &bm;
		blend_ws_init(&job[t].ws, purch_nitem(r->p));
		job[t].recs = xcalloc(r->o->n + 1, sizeof(*job[t].recs));
		job[t].mem = recout_open_mem(fmt, out_cols, 5);
		recout_set_digits(job[t].mem, r->o->digits);
	}
	for (at = 0; rc == 0 && at < total; at += (size_t)nt * CHUNK) {
		for (t = 0; t < nt; t++) {
			job[t].from =
			    at + t * CHUNK < total ? at + t * CHUNK : total;
			job[t].to = job[t].from + CHUNK < total
			    ? job[t].from + CHUNK
			    : total;
			started[t] = t > 0 && job[t].from < job[t].to &&
			    pthread_create(
			        &tid[t], NULL, recommend_part, &job[t]) == 0;
		}
		for (t = 0; t < nt; t++)
			if (!started[t])
				recommend_part(&job[t]);
		for (t = 0; t < nt; t++)
			if (started[t])
				pthread_join(tid[t], NULL);
		for (t = 0; rc == 0 && t < nt; t++) {
			struct iovec v;

			if (job[t].rc < 0) {
				*e = job[t].err;
				rc = -1;
				break;
			}
			v.iov_base = (void *)recout_mem(job[t].mem, &len);
			v.iov_len = len;
			if (len > 0)
				rc = recout_rawv(w, &v, 1, e);
			recout_mem_clear(job[t].mem);
		}
	}
	for (t = 0; t < nt; t++) {
		count += job[t].count;
		empty += job[t].empty;
		blend_ws_release(&job[t].ws);
		free(job[t].recs);
		buf_release(&job[t].b);
		recout_close(job[t].mem, NULL);
	}
	if (recout_close(w, rc == 0 ? e : NULL) < 0)
		rc = -1;
	if (rc == 0 && empty > 0)
		buf_addf(r->notes,
		    "%zu of %zu customers got no recommendation\n", empty,
		    count);
	if (rc == 0 && count > 0 && empty == count) {
		buf_addf(r->notes,
		    "no customer got a recommendation: a degenerate "
		    "result\n");
		return 1;
	}
	return rc;
}

static void
put_shares(struct jsonw *j, const double *v, size_t n)
{
	size_t i;

	jsonw_arr_begin(j);
	for (i = 0; i < n; i++)
		jsonw_double(j, v[i]);
	jsonw_arr_end(j);
}

/* The digest of the history: its lines, sorted, by name. */
static void
digest(const struct purch *p, struct model_digest *d)
{
	size_t i, len[3];
	char   day[16];

	model_digest_init(d);
	for (i = 0; i < p->n; i++) {
		const struct purch_line *l = &p->lines[i];
		const char              *s[3];

		s[0] = hmap_key(&p->custs, l->cust, &len[0]);
		s[1] = hmap_key(&p->items, l->item, &len[1]);
		len[2] = (size_t)snprintf(day, sizeof(day), "%d", (int)l->day);
		s[2] = day;
		model_digest_add(d, s, len, 3);
	}
}

static int
save_model(struct run *r, struct ci_err *e)
{
	const struct reco_opts *o = r->o;
	struct buf              out = { 0 };
	struct jsonw            j;
	struct model_digest     d;
	char                    day[16];
	size_t                  i, x, s, n = purch_nitem(r->p);
	int                     rc;

	digest(r->p, &d);
	jsonw_init(&j, &out, 1);
	model_begin(&j, "ci-recommend", reco_method_names[o->method],
	    RECO_FORMAT_VERSION, &d);
	jsonw_key(&j, "options");
	jsonw_obj_begin(&j);
	jsonw_key(&j, "method");
	jsonw_str(&j, reco_method_names[o->method]);
	jsonw_key(&j, "similarity");
	jsonw_str(&j, itemcf_sim_names[o->cf.sim]);
	jsonw_key(&j, "neighbours");
	jsonw_int(&j, o->cf.k);
	jsonw_key(&j, "shrink");
	jsonw_double(&j, o->cf.shrink);
	jsonw_key(&j, "half_life");
	jsonw_double(&j, o->cf.half_life);
	jsonw_key(&j, "recent_days");
	jsonw_int(&j, o->recent_days);
	jsonw_key(&j, "min_support");
	jsonw_double(&j, o->ar.min_support);
	jsonw_key(&j, "min_confidence");
	jsonw_double(&j, o->ar.min_confidence);
	jsonw_key(&j, "max_len");
	jsonw_int(&j, o->ar.max_len);
	jsonw_obj_end(&j);
	jsonw_key(&j, "reference_day");
	civil_format_date(day, r->h.ref_day);
	jsonw_str(&j, day);
	jsonw_key(&j, "items");
	jsonw_arr_begin(&j);
	for (i = 0; i < n; i++)
		jsonw_str(&j, hmap_key(&r->p->items, i, NULL));
	jsonw_arr_end(&j);
	jsonw_key(&j, "categories");
	jsonw_arr_begin(&j);
	for (i = 0; i < n; i++)
		if (purch_category(r->p, (uint32_t)i) != NULL)
			jsonw_str(&j, purch_category(r->p, (uint32_t)i));
		else
			jsonw_null(&j);
	jsonw_arr_end(&j);
	jsonw_key(&j, "popularity");
	jsonw_obj_begin(&j);
	jsonw_key(&j, "customers");
	jsonw_int(&j, (int64_t)r->pop.customers);
	jsonw_key(&j, "recent_customers");
	jsonw_int(&j, (int64_t)r->pop.recent_customers);
	jsonw_key(&j, "overall");
	put_shares(&j, r->pop.overall, n);
	jsonw_key(&j, "recent");
	put_shares(&j, r->pop.recent, n);
	jsonw_key(&j, "segments");
	jsonw_arr_begin(&j);
	for (s = 0; s < r->pop.nseg; s++)
		jsonw_str(&j, hmap_key(&r->segs, s, NULL));
	jsonw_arr_end(&j);
	jsonw_key(&j, "segment_shares");
	jsonw_arr_begin(&j);
	for (s = 0; s < r->pop.nseg; s++)
		put_shares(&j, r->pop.seg + s * n, n);
	jsonw_arr_end(&j);
	jsonw_obj_end(&j);
	jsonw_key(&j, "neighbours");
	jsonw_arr_begin(&j);
	for (i = 0; r->cf.off != NULL && i < n; i++) {
		jsonw_arr_begin(&j);
		for (x = r->cf.off[i]; x < r->cf.off[i + 1]; x++) {
			jsonw_int(&j, r->cf.nb[x]);
			jsonw_double(&j, r->cf.sim[x]);
		}
		jsonw_arr_end(&j);
	}
	jsonw_arr_end(&j);
	jsonw_key(&j, "rules");
	jsonw_arr_begin(&j);
	for (i = 0; r->has_rules && i < r->rules.n; i++) {
		const struct arules_rule *q = &r->rules.r[i];

		jsonw_arr_begin(&j);
		jsonw_int(&j, q->cons);
		jsonw_double(&j, q->confidence);
		for (x = 0; x < q->len; x++)
			jsonw_int(&j, r->rules.items[q->ante + x]);
		jsonw_arr_end(&j);
	}
	jsonw_arr_end(&j);
	jsonw_key(&j, "weights");
	jsonw_obj_begin(&j);
	for (i = 0; i < BLEND_NCOMP; i++) {
		jsonw_key(&j, blend_comp_names[i]);
		jsonw_double(&j, r->w[i]);
	}
	jsonw_obj_end(&j);
	jsonw_key(&j, "tuning");
	if (r->tune_n > 0) {
		jsonw_obj_begin(&j);
		jsonw_key(&j, "customers");
		jsonw_int(&j, (int64_t)r->tune_n);
		jsonw_key(&j, "k");
		jsonw_int(&j, (int64_t)o->n);
		jsonw_key(&j, "hit_rate");
		jsonw_double(&j, r->tune_hit);
		jsonw_key(&j, "recall");
		jsonw_double(&j, r->tune_recall);
		jsonw_key(&j, "kept");
		jsonw_bool(&j, r->tune_kept);
		jsonw_obj_end(&j);
	} else
		jsonw_null(&j);
	jsonw_obj_end(&j);
	rc = model_save(o->save_model, &out, e);
	buf_release(&out);
	return rc;
}

/* The model's item index of v, or -1 with *e. */
static long
item_index(const struct model *m, const char *path, json_t *v, size_t n,
    struct ci_err *e)
{
	json_int_t k;

	if (!json_is_integer(v) || (k = json_integer_value(v)) < 0 ||
	    (size_t)k >= n)
		return model_broken(m, path, "an item index", e);
	return (long)k;
}

static int
shares(const struct model *m, const char *path, json_t *a, double *v, size_t n,
    struct ci_err *e)
{
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != n)
		return model_broken(m, path, "an array of a share per item", e);
	for (i = 0; i < n; i++) {
		json_t *x = json_array_get(a, i);

		if (!json_is_number(x) || json_number_value(x) < 0 ||
		    json_number_value(x) > 1)
			return model_broken(m, path, "an array of shares", e);
		v[i] = json_number_value(x);
	}
	return 0;
}

/*
 * Read the model file: the items go into r->p first (so the history's ids
 * of the model's items are the model's), then its tables.
 */
static int
load_model(struct run *r, struct model *m, struct ci_err *e)
{
	json_t     *items, *cats, *pop, *nb, *rules, *segs, *segsh, *a;
	const char *method;
	size_t      n, i, x, tot = 0, nseg;
	double      w;
	int         k;

	if (model_load(m, r->o->model, "ci-recommend", RECO_FORMAT_VERSION, e) <
	    0)
		return -1;
	if ((method = model_string(m, "options.method", e)) == NULL)
		return -1;
	for (k = 0; reco_method_names[k] != NULL; k++)
		if (strcmp(method, reco_method_names[k]) == 0)
			break;
	if (reco_method_names[k] == NULL)
		return model_broken(m, "options.method", "a method", e);
	if (model_number(m, "options.half_life", &w, e) < 0)
		return -1;
	r->o->cf.half_life = w;
	if (model_number(m, "options.recent_days", &w, e) < 0)
		return -1;
	r->o->recent_days = (int)w;
	if ((items = model_get(m, "items", e)) == NULL ||
	    (cats = model_get(m, "categories", e)) == NULL ||
	    (pop = model_get(m, "popularity", e)) == NULL ||
	    (nb = model_get(m, "neighbours", e)) == NULL ||
	    (rules = model_get(m, "rules", e)) == NULL ||
	    (segs = model_get(m, "popularity.segments", e)) == NULL ||
	    (segsh = model_get(m, "popularity.segment_shares", e)) == NULL)
		return -1;
	if (!json_is_array(items))
		return model_broken(m, "items", "an array of product ids", e);
	n = json_array_size(items);
	if (!json_is_array(cats) || json_array_size(cats) != n)
		return model_broken(
		    m, "categories", "an array of a category per item", e);
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(items, i),
		       *c = json_array_get(cats, i);
		uint32_t id;

		if (!json_is_string(s) || json_string_length(s) == 0)
			return model_broken(
			    m, "items", "an array of product ids", e);
		id = purch_item(
		    r->p, json_string_value(s), json_string_length(s));
		if (id != i)
			return model_broken(
			    m, "items", "an array of distinct product ids", e);
		if (json_is_string(c))
			r->p->item_cat[i] = 1 +
			    (uint32_t)hmap_intern(&r->p->cats,
			        json_string_value(c), json_string_length(c),
			        NULL);
	}
	if (!json_is_array(segs) || !json_is_array(segsh) ||
	    json_array_size(segs) != json_array_size(segsh))
		return model_broken(
		    m, "popularity.segments", "an array of names", e);
	nseg = json_array_size(segs);
	for (i = 0; i < nseg; i++) {
		json_t *s = json_array_get(segs, i);

		if (!json_is_string(s) ||
		    hmap_intern(&r->segs, json_string_value(s),
		        json_string_length(s), NULL) != i)
			return model_broken(m, "popularity.segments",
			    "an array of distinct names", e);
	}
	blend_pop_alloc(&r->pop, n, nseg);
	r->pop.recent_days = r->o->recent_days;
	if (shares(m, "popularity.overall", json_object_get(pop, "overall"),
	        r->pop.overall, n, e) < 0 ||
	    shares(m, "popularity.recent", json_object_get(pop, "recent"),
	        r->pop.recent, n, e) < 0)
		return -1;
	for (i = 0; i < nseg; i++)
		if (shares(m, "popularity.segment_shares",
		        json_array_get(segsh, i), r->pop.seg + i * n, n, e) < 0)
			return -1;
	blend_pop_order(&r->pop);
	{
		size_t *catn =
		    xcalloc(hmap_count(&r->p->cats) + 2, sizeof(*catn));

		for (x = 0; x < n; x++) {
			i = r->pop.by_overall[x];
			if (r->p->item_cat[i] > 0)
				r->pop.cat_rank[i] =
				    (uint32_t)++catn[r->p->item_cat[i]];
		}
		free(catn);
	}
	if (!json_is_array(nb) ||
	    (json_array_size(nb) != n && json_array_size(nb) != 0))
		return model_broken(
		    m, "neighbours", "an array of a list per item", e);
	for (i = 0; i < json_array_size(nb); i++) {
		a = json_array_get(nb, i);
		if (!json_is_array(a) || json_array_size(a) % 2 != 0)
			return model_broken(m, "neighbours",
			    "an array of [item, similarity, ...] lists", e);
		tot += json_array_size(a) / 2;
	}
	if (json_array_size(nb) == n && n > 0) {
		itemcf_alloc(&r->cf, n, tot);
		for (i = 0, tot = 0; i < n; i++) {
			a = json_array_get(nb, i);
			for (x = 0; x < json_array_size(a); x += 2) {
				long    j = item_index(m, "neighbours",
				       json_array_get(a, x), n, e);
				json_t *s = json_array_get(a, x + 1);

				if (j < 0)
					return -1;
				if (!json_is_number(s))
					return model_broken(m, "neighbours",
					    "an array of [item, similarity, "
					    "...] lists",
					    e);
				r->cf.nb[tot] = (uint32_t)j;
				r->cf.sim[tot++] = (float)json_number_value(s);
			}
			r->cf.off[i + 1] = tot;
		}
	}
	if (!json_is_array(rules))
		return model_broken(m, "rules", "an array of rules", e);
	if (json_array_size(rules) > 0) {
		size_t nr = json_array_size(rules), ni = 0;

		r->rules.nitem = n;
		r->rules.n = nr;
		r->rules.r = xcalloc(nr + 1, sizeof(*r->rules.r));
		for (i = 0; i < nr; i++)
			ni += json_array_size(json_array_get(rules, i));
		r->rules.items = xcalloc(ni + 1, sizeof(*r->rules.items));
		r->rules.first = xcalloc(n + 2, sizeof(*r->rules.first));
		for (i = 0, ni = 0; i < nr; i++) {
			struct arules_rule *q = &r->rules.r[i];
			long                j;

			a = json_array_get(rules, i);
			if (!json_is_array(a) || json_array_size(a) < 3 ||
			    !json_is_number(json_array_get(a, 1)))
				return model_broken(m, "rules",
				    "an array of [consequent, confidence, "
				    "antecedent...] rules",
				    e);
			if ((j = item_index(
			         m, "rules", json_array_get(a, 0), n, e)) < 0)
				return -1;
			q->cons = (uint32_t)j;
			q->confidence = json_number_value(json_array_get(a, 1));
			q->ante = ni;
			q->len = (uint32_t)(json_array_size(a) - 2);
			for (x = 2; x < json_array_size(a); x++) {
				if ((j = item_index(m, "rules",
				         json_array_get(a, x), n, e)) < 0)
					return -1;
				if (x > 2 &&
				    (uint32_t)j <= r->rules.items[ni - 1])
					return model_broken(m, "rules",
					    "rules with ascending antecedents",
					    e);
				r->rules.items[ni++] = (uint32_t)j;
			}
			if (i > 0 &&
			    r->rules.items[q->ante] <
			        r->rules.items[r->rules.r[i - 1].ante])
				return model_broken(m, "rules",
				    "rules sorted by antecedent", e);
			r->rules.first[r->rules.items[q->ante] + 1] = i + 1;
		}
		for (i = 1; i <= n; i++)
			if (r->rules.first[i] < r->rules.first[i - 1])
				r->rules.first[i] = r->rules.first[i - 1];
		r->has_rules = true;
	}
	for (i = 0; i < BLEND_NCOMP; i++) {
		char path[64];

		snprintf(path, sizeof(path), "weights.%s", blend_comp_names[i]);
		if (model_number(m, path, &r->w[i], e) < 0)
			return -1;
		if (!(r->w[i] >= 0))
			return model_broken(
			    m, path, "a weight of 0 or more", e);
	}
	r->o->method = (enum reco_method)k;
	return 0;
}

static int
cmp_lift(const void *pa, const void *pb, void *ctx)
{
	const struct arules      *a = ctx;
	const struct arules_rule *x = &a->r[*(const size_t *)pa];
	const struct arules_rule *y = &a->r[*(const size_t *)pb];

	if (x->lift != y->lift)
		return x->lift > y->lift ? -1 : 1;
	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (*(const size_t *)pa > *(const size_t *)pb) -
	    (*(const size_t *)pa < *(const size_t *)pb);
}

static const char *const rule_cols[] = { "antecedent", "consequent", "support",
	"confidence", "lift", "conviction", "baskets", "antecedent_baskets",
	"consequent_baskets" };

/* The antecedent: names joined by " + " in CSV, a JSON array in NDJSON. */
static void
put_antecedent(
    struct run *r, struct recout *w, const struct arules_rule *q, struct buf *b)
{
	bool   json = recout_format(w) == REC_FMT_NDJSON;
	size_t i, len;

	buf_reset(b);
	if (json)
		buf_addc(b, '[');
	for (i = 0; i < q->len; i++) {
		const char *s =
		    hmap_key(&r->p->items, r->rules.items[q->ante + i], &len);

		if (i > 0)
			buf_addstr(b, json ? "," : " + ");
		if (json)
			jsonw_put_string(b, s, len);
		else
			buf_add(b, s, len);
	}
	if (json) {
		buf_addc(b, ']');
		recout_field(w, b->data, b->len, REC_JSON);
	} else
		recout_str(w, b->data, b->len);
}

static int
write_rules(struct run *r, enum rec_fmt fmt, struct ci_err *e)
{
	struct recout *w = recout_open(NULL, fmt, rule_cols, 9, e);
	size_t        *ord, i, len;
	struct buf     b = { 0 };
	int            rc = 0;

	if (w == NULL)
		return -1;
	recout_set_digits(w, r->o->digits);
	ord = xcalloc(r->rules.n + 1, sizeof(*ord));
	for (i = 0; i < r->rules.n; i++)
		ord[i] = i;
	qsort_r(ord, r->rules.n, sizeof(*ord), cmp_lift, &r->rules);
	for (i = 0; rc == 0 && i < r->rules.n; i++) {
		const struct arules_rule *q = &r->rules.r[ord[i]];
		const char *c = hmap_key(&r->p->items, q->cons, &len);

		put_antecedent(r, w, q, &b);
		recout_str(w, c, len);
		recout_double(w, q->support);
		recout_double(w, q->confidence);
		recout_double(w, q->lift);
		recout_double(w, q->conviction);
		recout_int(w, q->count);
		recout_int(w, q->ante_count);
		recout_int(w, q->cons_count);
		rc = recout_end(w, e);
	}
	free(ord);
	buf_release(&b);
	if (recout_close(w, rc == 0 ? e : NULL) < 0)
		rc = -1;
	buf_addf(r->notes,
	    "%zu baskets, %zu frequent itemsets, %zu rules (support >= %g, "
	    "confidence >= %g, at most %u items)\n",
	    r->rules.nbaskets, r->rules.nitemsets, r->rules.n,
	    r->o->ar.min_support, r->o->ar.min_confidence, r->o->ar.max_len);
	return rc;
}

/* Measure method k of the fitted parts on the evaluated customers. */
static void
measure(struct run *r, enum reco_method k, const struct purch_hist *tr,
    const struct purch_hist *te, const size_t *pick, size_t npick,
    const double *tuned, struct rankmet *rm)
{
	struct blend_model bm;
	struct blend_ws    ws;
	struct blend_rec  *recs = xcalloc(r->o->n + 1, sizeof(*recs));
	uint32_t          *list = xcalloc(r->o->n + 1, sizeof(*list));
	uint32_t          *tb = xcalloc(tr->nitem + 1, sizeof(*tb));
	size_t             i, n, t, nt;

	model_of(r, &bm);
	if (k == RECO_BLEND) {
		memset(bm.w, 0, sizeof(bm.w));
		memcpy(bm.w, tuned, BLEND_NTUNED * sizeof(*tuned));
	} else
		fixed_weights(k, bm.w);
	blend_ws_init(&ws, tr->nitem);
	rankmet_init(rm, r->o->n, tr->nitem);
	for (i = 0; i < npick; i++) {
		struct blend_cust bc;
		size_t            c = pick[i];

		make_cust(tr, c, r->seg != NULL ? r->seg[c] : 0, &bc);
		n = blend_recommend(&bm, &ws, &bc, r->o->n, recs);
		for (t = 0; t < n; t++)
			list[t] = recs[t].item;
		truth_items(te, c, tb, &nt);
		rankmet_add(rm, list, n, tb, nt);
	}
	blend_ws_release(&ws);
	free(recs);
	free(list);
	free(tb);
}

static int
evaluate(struct run *r, enum rec_fmt fmt, struct ci_err *e)
{
	int32_t          *cut = cutoff(&r->h, r->o->holdout_days);
	struct purch_hist tr, te;
	struct evtab      m;
	size_t           *pick = xcalloc(r->h.ncust + 1, sizeof(*pick));
	size_t            npick = 0, c, testlines = 0;
	double            tuned[BLEND_NCOMP] = { 0 }, cov;
	int               k, rc = -1;
	char              day[16];

	purch_view(&tr, r->p, NULL, cut);
	purch_view(&te, r->p, cut, NULL);
	for (c = 0; c < r->h.ncust; c++)
		if (tr.off[c] < tr.off[c + 1] && te.off[c] < te.off[c + 1]) {
			pick[npick++] = c;
			testlines += te.off[c + 1] - te.off[c];
		}
	if (npick == 0) {
		ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no customer has purchases both before and in the holdout: "
		    "cannot evaluate");
		goto out;
	}
	if (fit_parts(r, &tr, cut, &r->cf, &r->pop, &r->rules, &r->has_rules,
	        true, e) < 0)
		goto out;
	if (r->o->has_weights)
		memcpy(tuned, r->o->weights, BLEND_NTUNED * sizeof(double));
	else if (tune(r, &tr, cut, tuned, e) < 0)
		goto out;
	if (evtab_open(&m, fmt, EVTAB_KEYED, r->o->digits, e) < 0)
		goto out;
	evtab_table(&m, "holdout");
	evtab_row(&m, "all");
	evtab_num(&m, "customers", (double)npick, e);
	evtab_num(&m, "train_lines", (double)tr.nlines, e);
	evtab_num(&m, "test_items", (double)testlines, e);
	evtab_num(&m, "items", (double)tr.nitem, e);
	evtab_num(&m, "holdout_days", r->o->holdout_days, e);
	evtab_num(&m, "k", (double)r->o->n, e);
	evtab_table(&m, "metrics");
	for (k = 0; k < RECO_NMETHOD; k++) {
		struct rankmet rm;

		measure(
		    r, (enum reco_method)k, &tr, &te, pick, npick, tuned, &rm);
		rankmet_done(&rm, &cov);
		evtab_row(&m, reco_method_names[k]);
		evtab_num(&m, "hit_rate", rm.hit, e);
		evtab_num(&m, "recall", rm.recall, e);
		evtab_num(&m, "precision", rm.precision, e);
		evtab_num(&m, "ndcg", rm.ndcg, e);
		evtab_num(&m, "map", rm.map, e);
		evtab_num(&m, "coverage", cov, e);
		rankmet_release(&rm);
	}
	evtab_table(&m, "weights");
	evtab_row(&m, "blend");
	for (k = 0; k < BLEND_NTUNED; k++)
		evtab_num(&m, blend_comp_names[k], tuned[k], e);
	if (r->tune_n > 0) {
		evtab_num(&m, "tuning_customers", (double)r->tune_n, e);
		evtab_num(&m, "tuning_hit_rate", r->tune_hit, e);
		evtab_num(&m, "tuning_recall", r->tune_recall, e);
		evtab_num(&m, "tuning_kept", r->tune_kept, e);
	}
	rc = evtab_close(&m, e);
	civil_format_date(day, tr.ref_day);
	buf_addf(r->notes,
	    "%zu customers evaluated on %s; trained on %zu lines up to "
	    "%s\n",
	    npick,
	    r->o->holdout_days > 0 ? "the last days held out"
	                           : "their last purchase day",
	    tr.nlines, day);
out:
	purch_hist_release(&tr);
	purch_hist_release(&te);
	free(pick);
	free(cut);
	return rc;
}

static void
run_release(struct run *r)
{
	size_t i;

	purch_release(&r->g.p);
	purch_hist_release(&r->h);
	itemcf_release(&r->cf);
	blend_pop_release(&r->pop);
	arules_release(&r->rules);
	hmap_release(&r->segs);
	free(r->seg);
	free(r->allowed);
	for (i = 0; i < r->nwant; i++)
		free(r->want_name[i]);
	free(r->want_name);
	free(r->want);
	free(r->want_seg);
}

static void
note_weights(struct run *r)
{
	size_t i;

	buf_addstr(r->notes, "blend weights:");
	for (i = 0; i < BLEND_NTUNED; i++) {
		buf_addf(r->notes, " %s ", blend_comp_names[i]);
		buf_adddouble(r->notes, r->w[i]);
	}
	if (r->tune_n > 0) {
		buf_addf(r->notes,
		    " (chosen on a holdout of %zu customers: hit "
		    "rate@%zu ",
		    r->tune_n, r->o->n);
		buf_adddouble(r->notes, round(r->tune_hit * 1000) / 1000);
		buf_addstr(r->notes,
		    r->tune_kept ? ")"
		                 : "; no blend found was clearly better than "
		                   "popularity alone)");
	}
	buf_addc(r->notes, '\n');
}

int
reco_run(const struct reco_opts *opts, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, struct buf *notes, struct ci_err *e)
{
	struct reco_opts o = *opts;
	struct run       r;
	struct model     m = { 0 };
	enum rec_fmt     fmt;
	int              rc = -1;

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.p = &r.g.p;
	r.notes = notes;
	if (o.model != NULL && load_model(&r, &m, e) < 0)
		goto out;
	if (read_events(&r, in, rj, rows, e) < 0)
		goto out;
	purch_finish(r.p, o.model == NULL);
	buf_addf(notes, "%zu purchase lines of %zu customers and %zu products",
	    r.p->n, purch_ncust(r.p), purch_nitem(r.p));
	if (r.p->refunds > 0)
		buf_addf(notes,
		    "; %llu refunds cancelled %llu lines (%llu "
		    "matched no purchase)",
		    (unsigned long long)r.p->refunds,
		    (unsigned long long)r.p->cancelled,
		    (unsigned long long)r.p->unmatched);
	if (r.g.other > 0)
		buf_addf(notes, "; %llu events of other types left aside",
		    (unsigned long long)r.g.other);
	if (r.g.noitem > 0)
		buf_addf(notes, "; %llu orders without product_id left aside",
		    (unsigned long long)r.g.noitem);
	buf_addc(notes, '\n');
	if (r.p->n == 0 && o.model == NULL) {
		ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no purchase with a product_id to learn from");
		goto out;
	}
	fmt = o.fmt;
	if (fmt == REC_FMT_AUTO)
		fmt = r.g.fmt != REC_FMT_AUTO ? r.g.fmt : REC_FMT_CSV;
	if (o.customers != NULL && read_customers(&r, e) < 0)
		goto out;
	if (o.items != NULL && read_items(&r, e) < 0)
		goto out;
	if (o.customers != NULL && o.model == NULL)
		customer_segments(&r);
	if (o.mode == RECO_RULES) {
		if (mine_rules(&r, NULL, &r.rules, e) < 0)
			goto out;
		r.has_rules = true;
		rc = write_rules(&r, fmt, e);
		if (rc == 0 && r.rules.n == 0) {
			buf_addstr(notes,
			    "no rule reaches --min-support and "
			    "--min-confidence\n");
			rc = 1;
		}
		goto out;
	}
	purch_view(&r.h, r.p, NULL, NULL);
	if (o.mode == RECO_EVAL) {
		rc = evaluate(&r, fmt, e);
		goto out;
	}
	if (o.model == NULL) {
		if (fit_parts(&r, &r.h, NULL, &r.cf, &r.pop, &r.rules,
		        &r.has_rules, false, e) < 0)
			goto out;
		fixed_weights(o.method, r.w);
		if (o.method == RECO_BLEND && o.has_weights)
			memcpy(r.w, o.weights, sizeof(o.weights));
		else if (o.method == RECO_BLEND &&
		    tune(&r, &r.h, NULL, r.w, e) < 0)
			goto out;
		if (o.method == RECO_BLEND)
			note_weights(&r);
		if (o.save_model != NULL && save_model(&r, e) < 0)
			goto out;
	}
	rc = recommend(&r, fmt, e);
out:
	model_free(&m);
	run_release(&r);
	return rc;
}
