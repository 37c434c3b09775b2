/*
 * repsect: the report's sections.  Each one builds its part of the
 * summary (a JSON object) and of the document from the same numbers, via
 * rep_fig(), so that every figure shown is the summary's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "custagg.h"
#include "doc.h"
#include "i18n.h"
#include "intab.h"
#include "locfmt.h"
#include "repsect.h"
#include "svgchart.h"
#include "xalloc.h"

const char *
rep_t(const struct rep *r, const char *key)
{
	return i18n(r->o->lang, key);
}

void
rep_fig(struct rep *r, json_t *obj, const char *base, const char *key, double v,
    enum rep_fk k, struct rep_fig *f)
{
	const struct locfmt *fmt = &r->fmt;

	/* cppcheck-suppress ctuuninitvar ; f is written, not read */
	snprintf(f->ptr, sizeof(f->ptr), "%s/%s", base, key);
	if (!isfinite(v))
		json_object_set_new(obj, key, json_null());
	else if ((k == FK_COUNT || k == FK_SCOUNT) && fabs(v) < 9e15 &&
	    v == floor(v))
		json_object_set_new(obj, key, json_integer((json_int_t)v));
	else
		json_object_set_new(obj, key, json_real(v));
	switch (k) {
	case FK_COUNT:
		locfmt_number(fmt, f->text, v, 0);
		break;
	case FK_MONEY:
		locfmt_money(fmt, f->text, v);
		break;
	case FK_MONEY0:
		locfmt_money0(fmt, f->text, v);
		break;
	case FK_PCT:
		locfmt_percent(fmt, f->text, v, 1);
		break;
	case FK_NUM1:
		locfmt_number(fmt, f->text, v, 1);
		break;
	case FK_NUM2:
		locfmt_number(fmt, f->text, v, 2);
		break;
	case FK_SCOUNT:
		locfmt_signed(fmt, f->text, v, 0);
		break;
	case FK_SMONEY:
		locfmt_signed_money(fmt, f->text, v);
		break;
	case FK_SMONEY0:
		locfmt_signed_money0(fmt, f->text, v);
		break;
	case FK_SPCT:
		locfmt_signed_percent(fmt, f->text, v, 1);
		break;
	case FK_SNUM2:
		locfmt_signed(fmt, f->text, v, 2);
		break;
	}
}

/* A figure in a table cell. */
static void
cell(struct rep *r, json_t *obj, const char *base, const char *key, double v,
    enum rep_fk k)
{
	struct rep_fig f;

	rep_fig(r, obj, base, key, v, k, &f);
	doc_tf(&r->doc, f.ptr, f.text);
}

/* A figure in running text. */
static void
inline_fig(struct rep *r, json_t *obj, const char *base, const char *key,
    double v, enum rep_fk k)
{
	struct rep_fig f;

	rep_fig(r, obj, base, key, v, k, &f);
	doc_fig(&r->doc, f.ptr, f.text);
}

/* A new object set at parent[key]; returns it (borrowed). */
static json_t *
obj_at(json_t *parent, const char *key)
{
	json_t *o = json_object();

	json_object_set_new(parent, key, o);
	return o;
}

static json_t *
arr_at(json_t *parent, const char *key)
{
	json_t *a = json_array();

	json_object_set_new(parent, key, a);
	return a;
}

/* A new object appended to a; *base becomes "prefix/i". */
static json_t *
row_of(json_t *a, const char *prefix, char *base, size_t size)
{
	json_t *o = json_object();

	snprintf(base, size, "%s/%zu", prefix, json_array_size(a));
	json_array_append_new(a, o);
	return o;
}

static double
ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

/* The label of a group: the vocabulary's word, or "(none)". */
static const char *
group_label(const struct rep *r, const char *name)
{
	return *name == '\0' ? rep_t(r, "(none)") : rep_t(r, name);
}

/* The SVG of a chart, written into a buf the caller releases. */
typedef void chart_fn(struct buf *, const struct svgchart *);

static void
chart(struct rep *r, chart_fn *fn, struct svgchart *c, const char *caption)
{
	struct buf svg = { 0 };

	c->fmt = &r->fmt;
	if (c->title == NULL)
		c->title = caption;
	fn(&svg, c);
	doc_chart(&r->doc, buf_str(&svg), caption);
	buf_release(&svg);
}

/*
 * The headline: customers, active customers, revenue, mean CLV, customers
 * at risk and their revenue, each with its change since the previous
 * summary when one is given.
 */
struct headline_item {
	const char *key;
	const char *label;
	enum rep_fk kind;
	enum rep_fk change_kind;
	bool        up_is_good;
};

int
rep_headline(struct rep *r, struct ci_err *e)
{
	const struct custagg *a = &r->agg;
	json_t    *h = obj_at(r->sum, "headline"), *ch = NULL, *ph = NULL;
	const bool has_risk = a->risk != CUSTAGG_RISK_NONE;
	struct headline_item items[] = {
		{ "customers", "customers", FK_COUNT, FK_SCOUNT, true },
		{ "active_customers", "active customers", FK_COUNT, FK_SCOUNT,
		    true },
		{ "revenue",
		    r->revenue_col != NULL &&
		            strcmp(r->revenue_col, "spend_365d") == 0
		        ? "revenue, last 12 months"
		        : "revenue",
		    FK_MONEY0, FK_SMONEY0, true },
		{ "mean_clv", "mean CLV", FK_MONEY, FK_SMONEY, true },
		{ "at_risk_customers", "customers at risk", FK_COUNT, FK_SCOUNT,
		    false },
		{ "at_risk_revenue", "revenue at risk", FK_MONEY0, FK_SMONEY0,
		    false },
	};
	double v[6];
	bool   have[6];
	size_t i;

	(void)e;
	v[0] = (double)a->customers;
	have[0] = true;
	v[1] = (double)a->active;
	have[1] = r->col[RC_RECENCY] >= 0;
	v[2] = a->revenue;
	have[2] = r->col[RC_REVENUE] >= 0;
	v[3] = a->clv_n > 0 ? a->clv_sum / (double)a->clv_n : NAN;
	have[3] = r->col[RC_CLV] >= 0;
	v[4] = (double)a->at_risk;
	have[4] = has_risk;
	v[5] = a->at_risk_revenue;
	have[5] = has_risk && r->col[RC_REVENUE] >= 0;
	if (r->prev != NULL) {
		json_t *pa = json_object_get(r->prev, "asof");

		ph = json_object_get(r->prev, "headline");
		ch = obj_at(r->sum, "changes");
		json_object_set_new(ch, "previous_asof",
		    json_string(
		        json_is_string(pa) ? json_string_value(pa) : ""));
	}
	doc_section(&r->doc, "headline", rep_t(r, "Headline"));
	doc_cards_begin(&r->doc);
	for (i = 0; i < 6; i++) {
		struct rep_fig f, c;
		json_t        *p;
		const char    *change = NULL, *cptr = NULL;
		int            dir = 0;

		if (!have[i])
			continue;
		rep_fig(
		    r, h, "/headline", items[i].key, v[i], items[i].kind, &f);
		p = ph != NULL ? json_object_get(ph, items[i].key) : NULL;
		if (json_is_number(p) && isfinite(v[i])) {
			double         d = v[i] - json_number_value(p);
			json_t        *o = obj_at(ch, items[i].key);
			char           base[64];
			struct rep_fig rel;

			snprintf(
			    base, sizeof(base), "/changes/%s", items[i].key);
			json_object_set_new(
			    o, "previous", json_real(json_number_value(p)));
			rep_fig(
			    r, o, base, "change", d, items[i].change_kind, &c);
			rep_fig(r, o, base, "relative",
			    ratio(d, json_number_value(p)), FK_SPCT, &rel);
			change = c.text;
			cptr = c.ptr;
			dir = d > 0 ? 1 : d < 0 ? -1 : 0;
		}
		doc_card(&r->doc, rep_t(r, items[i].label), f.text, f.ptr,
		    change, cptr, dir, (dir > 0) == items[i].up_is_good);
	}
	doc_cards_end(&r->doc);
	if (r->col[RC_RECENCY] >= 0) {
		struct rep_fig f;

		rep_fig(r, h, "/headline", "active_days", r->o->active_days,
		    FK_COUNT, &f);
		doc_text(&r->doc, rep_t(r, "Active: bought in the last "));
		doc_fig(&r->doc, f.ptr, f.text);
		doc_text(&r->doc, rep_t(r, " days."));
	}
	if (has_risk) {
		doc_text(&r->doc, " ");
		doc_text(&r->doc,
		    rep_t(r,
		        a->risk == CUSTAGG_RISK_BAND
		            ? "At risk: churn risk band high or critical."
		            : a->risk == CUSTAGG_RISK_SCORE
		            ? "At risk: churn risk of 50 or more."
		            : "At risk: value tier churn-risk."));
	}
	if (ch != NULL) {
		doc_text(&r->doc, " ");
		doc_text(&r->doc, rep_t(r, "Changes since the report of "));
		doc_text(&r->doc,
		    json_string_value(json_object_get(ch, "previous_asof")));
		doc_text(&r->doc, ".");
	}
	doc_para_end(&r->doc);
	return 0;
}

/* A number member of a JSON object, NaN when absent. */
static double
jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The problems of all fields of all sources, by kind, in first-seen order. */
struct problem {
	const char   *kind;
	double        count;
	struct buf    sources;
	const json_t *last; /* the source last added to sources */
};

static void
quality_sources(struct rep *r, json_t *out)
{
	static const char *const heads[] = { "source", "kind", "rows",
		"rejected", "reject rate", "status" };
	const char              *h[6];
	json_t *srcs = json_object_get(r->quality, "sources"), *s,
	       *a = arr_at(out, "sources");
	char   base[64];
	size_t i;

	for (i = 0; i < 6; i++)
		h[i] = rep_t(r, heads[i]);
	doc_table_begin(&r->doc, rep_t(r, "Sources"), 6, h, "llrrrl");
	json_array_foreach(srcs, i, s)
	{
		json_t *o = row_of(a, "/quality/sources", base, sizeof(base));

		json_object_set_new(
		    o, "source", json_string(jstr(s, "source")));
		json_object_set_new(
		    o, "status", json_string(jstr(s, "status")));
		doc_th(&r->doc, jstr(s, "source"));
		doc_td(&r->doc,
		    rep_t(r,
		        strcmp(jstr(s, "kind"), "customer") == 0
		            ? "customer records"
		            : strcmp(jstr(s, "kind"), "event") == 0
		            ? "event records"
		            : jstr(s, "kind")));
		cell(r, o, base, "rows", jnum(s, "rows"), FK_COUNT);
		cell(r, o, base, "rejected", jnum(s, "rejected"), FK_COUNT);
		cell(r, o, base, "reject_rate",
		    ratio(jnum(s, "rejected"), jnum(s, "rows")), FK_PCT);
		doc_tl(&r->doc, jstr(s, "status"), rep_t(r, jstr(s, "status")));
	}
	doc_th(&r->doc, rep_t(r, "all sources"));
	doc_td(&r->doc, "");
	cell(r, out, "/quality", "rows", jnum(r->quality, "rows"), FK_COUNT);
	cell(r, out, "/quality", "rejected", jnum(r->quality, "rejected"),
	    FK_COUNT);
	cell(r, out, "/quality", "reject_rate",
	    ratio(jnum(r->quality, "rejected"), jnum(r->quality, "rows")),
	    FK_PCT);
	json_object_set_new(
	    out, "status", json_string(jstr(r->quality, "status")));
	doc_tl(&r->doc, jstr(r->quality, "status"),
	    rep_t(r, jstr(r->quality, "status")));
	doc_table_end(&r->doc);
}

/* The fields with a problem or a light that is not green. */
static void
quality_fields(struct rep *r, json_t *out, struct problem **pp, size_t *np)
{
	static const char *const heads[] = { "source", "field", "filled",
		"errors", "status" };
	const char              *h[5];
	json_t *srcs = json_object_get(r->quality, "sources"), *s,
	       *a = arr_at(out, "fields");
	struct problem *p = NULL;
	size_t          n = 0, cap = 0, i, clean = 0;
	char            base[64];
	struct rep_fig  f;

	for (i = 0; i < 5; i++)
		h[i] = rep_t(r, heads[i]);
	doc_table_begin(
	    &r->doc, rep_t(r, "Fields with problems"), 5, h, "llrrl");
	json_array_foreach(srcs, i, s)
	{
		json_t *fields = json_object_get(s, "fields"), *fl, *pr, *cnt;
		const char *name, *kind;

		json_object_foreach(fields, name, fl)
		{
			json_t *o;
			size_t  k;

			pr = json_object_get(fl, "problems");
			if (strcmp(jstr(fl, "status"), "green") == 0 &&
			    json_object_size(pr) == 0) {
				clean++;
				continue;
			}
			o = row_of(a, "/quality/fields", base, sizeof(base));
			json_object_set_new(
			    o, "source", json_string(jstr(s, "source")));
			json_object_set_new(o, "field", json_string(name));
			json_object_set_new(
			    o, "status", json_string(jstr(fl, "status")));
			doc_th(&r->doc, jstr(s, "source"));
			doc_td(&r->doc, name);
			cell(r, o, base, "fill_rate", jnum(fl, "fill_rate"),
			    FK_PCT);
			cell(r, o, base, "error_rate", jnum(fl, "error_rate"),
			    FK_PCT);
			doc_tl(&r->doc, jstr(fl, "status"),
			    rep_t(r, jstr(fl, "status")));
			json_object_foreach(pr, kind, cnt)
			{
				for (k = 0; p != NULL && k < n; k++)
					if (strcmp(p[k].kind, kind) == 0)
						break;
				if (k == n) {
					xgrow(&p, &cap, n + 1, sizeof(*p));
					memset(&p[n], 0, sizeof(p[n]));
					p[n++].kind = kind;
				}
				p[k].count += json_is_number(cnt)
				    ? json_number_value(cnt)
				    : 0;
				if (p[k].last != s) { /* sources come in turn */
					if (p[k].sources.len > 0)
						buf_addstr(&p[k].sources, ", ");
					buf_addstr(
					    &p[k].sources, jstr(s, "source"));
					p[k].last = s;
				}
			}
		}
	}
	doc_table_end(&r->doc);
	rep_fig(
	    r, out, "/quality", "fields_clean", (double)clean, FK_COUNT, &f);
	doc_fig(&r->doc, f.ptr, f.text);
	doc_text(&r->doc,
	    rep_t(r,
	        " other fields are green and have no "
	        "problem."));
	doc_para_end(&r->doc);
	*pp = p;
	*np = n;
}

static void
quality_problems(struct rep *r, json_t *out, struct problem *p, size_t n)
{
	static const char *const heads[] = { "problem", "values", "sources" };
	const char              *h[3];
	json_t                  *a = arr_at(out, "problems");
	char                     base[64];
	size_t                   i;

	if (n == 0)
		return;
	for (i = 0; i < 3; i++)
		h[i] = rep_t(r, heads[i]);
	doc_table_begin(
	    &r->doc, rep_t(r, "Rejects and problems by reason"), 3, h, "lrl");
	for (i = 0; i < n; i++) {
		json_t *o = row_of(a, "/quality/problems", base, sizeof(base));

		json_object_set_new(o, "problem", json_string(p[i].kind));
		json_object_set_new(
		    o, "sources", json_string(buf_str(&p[i].sources)));
		doc_th(&r->doc, rep_t(r, p[i].kind));
		cell(r, o, base, "count", p[i].count, FK_COUNT);
		doc_td(&r->doc, buf_str(&p[i].sources));
	}
	doc_table_end(&r->doc);
	doc_note(&r->doc,
	    rep_t(r,
	        "A value with a problem is emptied; a row "
	        "missing a required field is rejected."));
}

/* Records, customers and duplicates merged, from ci-dedupe's output. */
static int
quality_dedupe(struct rep *r, struct ci_err *e)
{
	static const char *const heads[] = { "source", "records" };
	const struct intab      *t = &r->dedupe;
	struct hmap              ids = { 0 }, srcs = { 0 };
	json_t                  *o = obj_at(r->sum, "dedupe"), *a;
	size_t *nsrc = NULL, cap = 0, i, multi = 0, *first = NULL, capf = 0;
	unsigned char *many = NULL;
	const char    *h[2];
	char           base[64];
	int            cs, cid;

	if ((cs = intab_require(t, "source", "--dedupe-stats", e)) < 0 ||
	    (cid = intab_require(t, "customer_id", "--dedupe-stats", e)) < 0)
		return -1;
	for (i = 0; i < t->nrows; i++) {
		const char *id = intab_str(t, i, cid),
		           *src = intab_str(t, i, cs);
		bool   nid, ns;
		size_t k = hmap_intern(&ids, id, strlen(id), &nid),
		       s = hmap_intern(&srcs, src, strlen(src), &ns);

		if (ns) {
			xgrow(&nsrc, &cap, s + 1, sizeof(*nsrc));
			nsrc[s] = 0;
		}
		nsrc[s]++;
		if (nid) {
			size_t c2 = capf;

			xgrow(&first, &capf, k + 1, sizeof(*first));
			if (capf != c2)
				many = xreallocarray(many, capf, 1);
			first[k] = s;
			many[k] = 0;
		} else if (first[k] != s && !many[k]) {
			many[k] = 1;
			multi++;
		}
	}
	doc_subhead(&r->doc, rep_t(r, "Identity resolution"));
	inline_fig(r, o, "/dedupe", "records", (double)t->nrows, FK_COUNT);
	doc_text(&r->doc, rep_t(r, " records are "));
	inline_fig(
	    r, o, "/dedupe", "customers", (double)hmap_count(&ids), FK_COUNT);
	doc_text(&r->doc, rep_t(r, " customers: "));
	inline_fig(r, o, "/dedupe", "duplicates_merged",
	    (double)(t->nrows - hmap_count(&ids)), FK_COUNT);
	doc_text(&r->doc, rep_t(r, " duplicates merged; "));
	inline_fig(
	    r, o, "/dedupe", "in_several_sources", (double)multi, FK_COUNT);
	doc_text(&r->doc,
	    rep_t(r,
	        " customers are known to more than one "
	        "system."));
	doc_para_end(&r->doc);
	h[0] = rep_t(r, heads[0]);
	h[1] = rep_t(r, heads[1]);
	a = arr_at(o, "sources");
	doc_table_begin(&r->doc, NULL, 2, h, "lr");
	for (i = 0; i < hmap_count(&srcs); i++) {
		json_t *so = row_of(a, "/dedupe/sources", base, sizeof(base));

		json_object_set_new(
		    so, "source", json_string(hmap_key(&srcs, i, NULL)));
		doc_th(&r->doc, hmap_key(&srcs, i, NULL));
		cell(r, so, base, "records", (double)nsrc[i], FK_COUNT);
	}
	doc_table_end(&r->doc);
	hmap_release(&ids);
	hmap_release(&srcs);
	free(nsrc);
	free(first);
	free(many);
	return 0;
}

int
rep_quality(struct rep *r, struct ci_err *e)
{
	struct problem *p = NULL;
	size_t          n = 0, i;
	json_t         *q;

	if (r->quality == NULL && r->o->dedupe == NULL)
		return 0;
	doc_section(&r->doc, "quality", rep_t(r, "Data quality"));
	if (r->quality != NULL) {
		q = obj_at(r->sum, "quality");
		quality_sources(r, q);
		quality_fields(r, q, &p, &n);
		quality_problems(r, q, p, n);
		for (i = 0; i < n; i++)
			buf_release(&p[i].sources);
		free(p);
	}
	if (r->o->dedupe != NULL && quality_dedupe(r, e) < 0)
		return -1;
	return 0;
}

/* A kind of segments as a chart draws it: labels, counts and shares. */
struct gview {
	size_t       n;
	const char **labels;
	double      *customers;
	double      *cust_share;
	double      *rev_share;
};

static void
gview_fill(const struct rep *r, enum custagg_kind k, struct gview *gv)
{
	const struct custagg_groups *g = &r->agg.groups[k];
	size_t                       i;

	gv->n = g->n;
	gv->labels = xcalloc(g->n + 1, sizeof(*gv->labels));
	gv->customers = xcalloc(g->n + 1, sizeof(double));
	gv->cust_share = xcalloc(g->n + 1, sizeof(double));
	gv->rev_share = xcalloc(g->n + 1, sizeof(double));
	for (i = 0; i < g->n; i++) {
		gv->labels[i] = group_label(r, g->g[i].name);
		gv->customers[i] = (double)g->g[i].customers;
		gv->cust_share[i] =
		    ratio((double)g->g[i].customers, (double)r->agg.customers);
		gv->rev_share[i] = ratio(g->g[i].revenue, r->agg.revenue);
	}
}

static void
gview_release(struct gview *g)
{
	free(g->labels);
	free(g->customers);
	free(g->cust_share);
	free(g->rev_share);
	memset(g, 0, sizeof(*g));
}

/*
 * The table of the groups of kind k under parent[key]: name, customers,
 * share, revenue, revenue share and mean CLV, as far as the rows have them.
 */
static void
group_table(struct rep *r, enum custagg_kind k, json_t *parent, const char *key,
    const char *prefix, const char *caption, const char *first_head)
{
	const struct custagg_groups *g = &r->agg.groups[k];
	const bool  rev = r->col[RC_REVENUE] >= 0, clv = r->col[RC_CLV] >= 0;
	const char *h[6];
	char        align[7] = "lrr", base[96];
	json_t     *a = arr_at(parent, key);
	size_t      nh = 3, i;

	h[0] = first_head;
	h[1] = rep_t(r, "customers");
	h[2] = rep_t(r, "share");
	if (rev) {
		h[nh] = rep_t(r, "revenue");
		align[nh++] = 'r';
		h[nh] = rep_t(r, "revenue share");
		align[nh++] = 'r';
	}
	if (clv) {
		h[nh] = rep_t(r, "mean CLV");
		align[nh++] = 'r';
	}
	align[nh] = '\0';
	doc_table_begin(&r->doc, caption, nh, h, align);
	for (i = 0; i < g->n; i++) {
		const struct custagg_group *x = &g->g[i];
		json_t *o = row_of(a, prefix, base, sizeof(base));

		json_object_set_new(o, "segment", json_string(x->name));
		doc_th(&r->doc, group_label(r, x->name));
		cell(r, o, base, "customers", (double)x->customers, FK_COUNT);
		cell(r, o, base, "share",
		    ratio((double)x->customers, (double)r->agg.customers),
		    FK_PCT);
		if (rev) {
			cell(r, o, base, "revenue", x->revenue, FK_MONEY0);
			cell(r, o, base, "revenue_share",
			    ratio(x->revenue, r->agg.revenue), FK_PCT);
		}
		if (clv)
			cell(r, o, base, "mean_clv",
			    x->clv_n ? x->clv_sum / (double)x->clv_n : NAN,
			    FK_MONEY);
	}
	doc_table_end(&r->doc);
}

static void
chart_rfm(struct rep *r)
{
	struct gview           gv = { 0 };
	struct svgchart        c = { 0 };
	struct svgchart_series ser[2];

	gview_fill(r, CUSTAGG_RFM, &gv);
	ser[0] =
	    (struct svgchart_series){ rep_t(r, "customers"), gv.cust_share };
	ser[1] = (struct svgchart_series){ rep_t(r, "revenue"), gv.rev_share };
	c.ncat = gv.n;
	c.cats = gv.labels;
	c.nser = r->col[RC_REVENUE] >= 0 ? 2 : 1;
	c.ser = ser;
	c.kind = SVGCHART_PERCENT;
	c.xlabel = rep_t(r, "share of customers and of revenue (%)");
	chart(r, svgchart_hbar, &c,
	    rep_t(r, "Share of customers and of revenue by RFM segment"));
	gview_release(&gv);
}

static void
chart_tiers(struct rep *r)
{
	struct gview           gv = { 0 };
	struct svgchart        c = { 0 };
	struct svgchart_series ser[2];

	gview_fill(r, CUSTAGG_TIER, &gv);
	ser[0] =
	    (struct svgchart_series){ rep_t(r, "customers"), gv.customers };
	ser[1] = (struct svgchart_series){ rep_t(r, "revenue"), gv.rev_share };
	c.ncat = gv.n;
	c.cats = gv.labels;
	c.nser = r->col[RC_REVENUE] >= 0 ? 2 : 1;
	c.ser = ser;
	chart(r, svgchart_stacked, &c,
	    rep_t(r, "Customers and revenue by value tier"));
	gview_release(&gv);
}

static void
seg_grid(struct rep *r, json_t *out)
{
	const struct custagg *a = &r->agg;
	char rl[CUSTAGG_SCORES][8], fl[CUSTAGG_SCORES][8], key[8], base[64];
	const char *rows[CUSTAGG_SCORES], *cols[CUSTAGG_SCORES],
	    *h[CUSTAGG_SCORES + 1];
	char            align[CUSTAGG_SCORES + 2];
	double          v[CUSTAGG_SCORES * CUSTAGG_SCORES];
	struct svgchart c = { 0 };
	json_t         *arr = arr_at(out, "rfm_grid");
	int             i, j, nr = a->rmax, nf = a->fmax;
	struct buf      svg = { 0 };

	for (i = 0; i < nr; i++) { /* best recency (highest R) on top */
		snprintf(rl[i], sizeof(rl[i]), "R%d", nr - i);
		rows[i] = rl[i];
		for (j = 0; j < nf; j++)
			v[i * nf + j] = (double)a->grid[nr - 1 - i][j];
	}
	for (j = 0; j < nf; j++) {
		snprintf(fl[j], sizeof(fl[j]), "F%d", j + 1);
		cols[j] = fl[j];
	}
	c.ncat = (size_t)nr;
	c.cats = rows;
	c.ylabel = rep_t(r, "recency score (5: bought most recently)");
	c.xlabel = rep_t(r, "frequency score (5: bought most often)");
	c.kind = SVGCHART_COUNT;
	c.title = rep_t(r, "Customers by RFM recency and frequency score");
	c.fmt = &r->fmt;
	svgchart_heatmap(&svg, &c, cols, (size_t)nf, v);
	doc_chart(&r->doc, buf_str(&svg), c.title);
	buf_release(&svg);
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	h[0] = "";
	align[0] = 'l';
	for (j = 0; j < nf; j++) {
		h[j + 1] = cols[j];
		align[j + 1] = 'r';
	}
	align[nf + 1] = '\0';
	doc_table_begin(&r->doc, NULL, (size_t)nf + 1, h, align);
	for (i = 0; i < nr; i++) {
		json_t *o =
		    row_of(arr, "/segments/rfm_grid", base, sizeof(base));

		json_object_set_new(o, "r_score", json_integer(nr - i));
		doc_th(&r->doc, rows[i]);
		for (j = 0; j < nf; j++) {
			snprintf(key, sizeof(key), "f%d", j + 1);
			cell(r, o, base, key, v[i * nf + j], FK_COUNT);
		}
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
}

static void
chart_life(struct rep *r)
{
	struct gview           gv = { 0 };
	struct svgchart        c = { 0 };
	struct svgchart_series ser;
	size_t                 n;

	gview_fill(r, CUSTAGG_LIFE, &gv);
	/* The funnel draws the stages; rows without one are left out. */
	n = gv.n;
	if (n > 0 && r->agg.groups[CUSTAGG_LIFE].g[n - 1].name[0] == '\0')
		n--;
	ser = (struct svgchart_series){ rep_t(r, "customers"), gv.customers };
	c.ncat = n;
	c.cats = gv.labels;
	c.nser = 1;
	c.ser = &ser;
	chart(r, svgchart_funnel, &c,
	    rep_t(r, "Customers by lifecycle stage, from acquisition to lost"));
	gview_release(&gv);
}

/*
 * The name of a cluster from its means: the one of the highest spend is
 * the core; the others are recent (bought within 180 days on average) or
 * not, and regular (bought on 3 days or more) or not.
 */
static const char *
cluster_name(double recency, double days, bool core)
{
	if (core)
		return "the core";
	if (recency <= 180)
		return days >= 3 ? "active regulars" : "new and occasional";
	return days >= 3 ? "lapsing regulars" : "lapsed one-off buyers";
}

static int
seg_clusters(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab *t = &r->profiles;
	int                 cc, cs, csh, crec, cdays, cmon;
	size_t              i, k, best = 0;
	double              bestm = -INFINITY;
	json_t             *a = arr_at(out, "clusters");
	char                base[64];

	if ((cc = intab_require(t, "cluster", "--profiles", e)) < 0 ||
	    (cs = intab_require(t, "size", "--profiles", e)) < 0)
		return -1;
	csh = intab_col(t, "share");
	crec = intab_col(t, "recency_days");
	cdays = intab_col(t, "purchase_days");
	cmon = intab_col(t, "monetary_total");
	for (i = 0; i < t->nrows; i++) {
		double m;

		if (intab_num(t, i, cmon, &m, e) < 0)
			return -1;
		if (m > bestm) {
			bestm = m;
			best = i;
		}
	}
	doc_subhead(&r->doc, rep_t(r, "Clusters"));
	for (i = 0; i < t->nrows; i++) {
		double  size, share, rec, days, mon;
		json_t *o = row_of(a, "/segments/clusters", base, sizeof(base));
		const char *name;

		if (intab_num(t, i, cs, &size, e) < 0 ||
		    intab_num(t, i, csh, &share, e) < 0 ||
		    intab_num(t, i, crec, &rec, e) < 0 ||
		    intab_num(t, i, cdays, &days, e) < 0 ||
		    intab_num(t, i, cmon, &mon, e) < 0)
			return -1;
		json_object_set_new(
		    o, "cluster", json_string(intab_str(t, i, cc)));
		doc_text(&r->doc, rep_t(r, "Cluster "));
		doc_text(&r->doc, intab_str(t, i, cc));
		doc_text(&r->doc, ": ");
		inline_fig(r, o, base, "customers", size, FK_COUNT);
		doc_text(&r->doc, rep_t(r, " customers"));
		if (isfinite(share)) {
			doc_text(&r->doc, " (");
			inline_fig(r, o, base, "share", share, FK_PCT);
			doc_text(&r->doc, ")");
		}
		if (isfinite(rec)) {
			doc_text(&r->doc, rep_t(r, ", last bought "));
			inline_fig(r, o, base, "recency_days", rec, FK_COUNT);
			doc_text(&r->doc, rep_t(r, " days ago"));
		}
		if (isfinite(days)) {
			doc_text(&r->doc, rep_t(r, ", bought on "));
			inline_fig(r, o, base, "purchase_days", days, FK_NUM1);
			doc_text(&r->doc, rep_t(r, " days"));
		}
		if (isfinite(mon)) {
			doc_text(&r->doc, rep_t(r, ", spent "));
			inline_fig(
			    r, o, base, "monetary_total", mon, FK_MONEY0);
		}
		doc_text(&r->doc, rep_t(r, " on average"));
		if (isfinite(rec) && isfinite(days) && isfinite(mon)) {
			name = cluster_name(rec, days, i == best);
			json_object_set_new(o, "name", json_string(name));
			doc_text(&r->doc, rep_t(r, ": "));
			doc_text(&r->doc, rep_t(r, name));
		}
		doc_text(&r->doc, rep_t(r, "."));
		doc_para_end(&r->doc);
		(void)k;
	}
	return 0;
}

int
rep_segments(struct rep *r, struct ci_err *e)
{
	const bool rfm = r->col[RC_RFM] >= 0, tier = r->col[RC_TIER] >= 0,
	           life = r->col[RC_LIFE] >= 0,
	           grid = r->agg.rmax > 0 && r->agg.fmax > 0;
	json_t *out;

	if (!rfm && !tier && !life && !grid && r->o->profiles == NULL)
		return 0;
	out = obj_at(r->sum, "segments");
	doc_section(&r->doc, "segments", rep_t(r, "Segments"));
	if (rfm || grid) {
		doc_subhead(&r->doc, rep_t(r, "RFM segments"));
		doc_grid_begin(&r->doc);
		if (rfm)
			chart_rfm(r);
		if (grid)
			seg_grid(r, out);
		doc_grid_end(&r->doc);
		if (rfm)
			group_table(r, CUSTAGG_RFM, out, "rfm", "/segments/rfm",
			    NULL, rep_t(r, "segment"));
	}
	if (tier || life) {
		doc_subhead(&r->doc, rep_t(r, "Value tiers and lifecycle"));
		doc_grid_begin(&r->doc);
		if (tier)
			chart_tiers(r);
		if (life)
			chart_life(r);
		doc_grid_end(&r->doc);
		if (tier)
			group_table(r, CUSTAGG_TIER, out, "tiers",
			    "/segments/tiers", NULL, rep_t(r, "tier"));
		if (life)
			group_table(r, CUSTAGG_LIFE, out, "lifecycle",
			    "/segments/lifecycle", NULL, rep_t(r, "stage"));
	}
	if (r->o->profiles != NULL && seg_clusters(r, out, e) < 0)
		return -1;
	return 0;
}

/* A range label "a–b" or "≥ a" in the short form of the axis. */
static void
range_label(const struct rep *r, double lo, double hi, bool money, char *dst,
    size_t size)
{
	char        a[LOCFMT_MAX], b[LOCFMT_MAX];
	const char *cur = money ? r->fmt.currency : "";

	locfmt_short(&r->fmt, a, lo);
	if (isinf(hi)) {
		snprintf(dst, size, "≥ %s%s", cur, a);
		return;
	}
	locfmt_short(&r->fmt, b, hi);
	snprintf(dst, size, "%s%s–%s", cur, a, b);
}

#define CLV_BINS 12

static void
value_clv(struct rep *r, json_t *out)
{
	const struct custagg *a = &r->agg;
	double          edges[CLV_BINS + 1], v[CLV_BINS], top = 0, total = 0;
	size_t          counts[CLV_BINS], n, i, ntop;
	char            lab[CLV_BINS][48], base[64];
	const char     *cats[CLV_BINS], *h[3];
	struct svgchart c = { 0 };
	struct svgchart_series ser;
	json_t                *arr, *o = obj_at(out, "clv");

	custagg_clv_bins(a, CLV_BINS, edges, counts, &n);
	if (n == 0)
		return;
	for (i = 0; i < a->nclv; i++)
		total += a->clv[i];
	ntop = (a->nclv + 9) / 10;
	for (i = a->nclv - ntop; i < a->nclv; i++)
		top += a->clv[i];
	doc_subhead(&r->doc, rep_t(r, "Customer lifetime value"));
	doc_text(&r->doc, rep_t(r, "Expected value of the customers: "));
	inline_fig(r, o, "/value/clv", "total", total, FK_MONEY0);
	doc_text(&r->doc, rep_t(r, "; median CLV "));
	inline_fig(r, o, "/value/clv", "median",
	    a->nclv % 2 ? a->clv[a->nclv / 2]
	                : (a->clv[a->nclv / 2 - 1] + a->clv[a->nclv / 2]) / 2,
	    FK_MONEY);
	doc_text(&r->doc, rep_t(r, "; the top 10% of customers hold "));
	inline_fig(
	    r, o, "/value/clv", "top_decile_share", ratio(top, total), FK_PCT);
	doc_text(&r->doc, rep_t(r, " of it."));
	doc_para_end(&r->doc);
	for (i = 0; i < n; i++) {
		range_label(
		    r, edges[i], edges[i + 1], true, lab[i], sizeof(lab[i]));
		cats[i] = lab[i];
		v[i] = (double)counts[i];
	}
	ser = (struct svgchart_series){ rep_t(r, "customers"), v };
	c.ncat = n;
	c.cats = cats;
	c.nser = 1;
	c.ser = &ser;
	c.ylabel = rep_t(r, "customers");
	c.xlabel = rep_t(r, "CLV, next 12 months");
	chart(r, svgchart_columns, &c, rep_t(r, "Distribution of CLV"));
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	h[0] = rep_t(r, "CLV");
	h[1] = rep_t(r, "customers");
	h[2] = rep_t(r, "share");
	arr = arr_at(o, "histogram");
	doc_table_begin(&r->doc, NULL, 3, h, "lrr");
	for (i = 0; i < n; i++) {
		json_t *b =
		    row_of(arr, "/value/clv/histogram", base, sizeof(base));

		json_object_set_new(b, "from", json_real(edges[i]));
		json_object_set_new(b, "to",
		    isinf(edges[i + 1]) ? json_null()
		                        : json_real(edges[i + 1]));
		doc_th(&r->doc, lab[i]);
		cell(r, b, base, "customers", v[i], FK_COUNT);
		cell(r, b, base, "share", ratio(v[i], (double)a->nclv), FK_PCT);
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
}

/* The calibration table of ci-score check: x, customers, means. */
static int
value_check(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab    *t = &r->check;
	int                    cx, cn, cpm, cam, cp, ca;
	size_t                 i, n = 0;
	double                *pm, *am, tp = NAN, ta = NAN;
	const char           **cats, *h[4];
	struct svgchart        c = { 0 };
	struct svgchart_series ser[2];
	json_t                *o = obj_at(out, "check"), *arr;
	char                   base[64];
	int                    rc = -1;

	if ((cx = intab_require(t, "x", "--clv-check", e)) < 0 ||
	    (cn = intab_require(t, "customers", "--clv-check", e)) < 0 ||
	    (cpm = intab_require(t, "predicted_mean", "--clv-check", e)) < 0 ||
	    (cam = intab_require(t, "actual_mean", "--clv-check", e)) < 0 ||
	    (cp = intab_require(t, "predicted", "--clv-check", e)) < 0 ||
	    (ca = intab_require(t, "actual", "--clv-check", e)) < 0)
		return -1;
	pm = xcalloc(t->nrows + 1, sizeof(*pm));
	am = xcalloc(t->nrows + 1, sizeof(*am));
	cats = xcalloc(t->nrows + 1, sizeof(*cats));
	arr = arr_at(o, "by_x");
	h[0] = rep_t(r, "purchases before (x)");
	h[1] = rep_t(r, "customers");
	h[2] = rep_t(r, "actual per customer");
	h[3] = rep_t(r, "predicted per customer");
	for (i = 0; i < t->nrows; i++) {
		if (strcmp(intab_str(t, i, cx), "total") == 0) {
			if (intab_num(t, i, cp, &tp, e) < 0 ||
			    intab_num(t, i, ca, &ta, e) < 0)
				goto out;
			continue;
		}
		if (intab_num(t, i, cpm, &pm[n], e) < 0 ||
		    intab_num(t, i, cam, &am[n], e) < 0)
			goto out;
		cats[n++] = intab_str(t, i, cx);
	}
	doc_subhead(&r->doc, rep_t(r, "Model check"));
	if (isfinite(tp) && isfinite(ta)) {
		doc_text(&r->doc,
		    rep_t(r,
		        "Over the holdout the model "
		        "predicted "));
		inline_fig(r, o, "/value/check", "predicted", tp, FK_NUM1);
		doc_text(&r->doc, rep_t(r, " repeat purchases; "));
		inline_fig(r, o, "/value/check", "actual", ta, FK_COUNT);
		doc_text(&r->doc, rep_t(r, " happened ("));
		inline_fig(
		    r, o, "/value/check", "error", ratio(tp - ta, ta), FK_SPCT);
		doc_text(&r->doc, rep_t(r, ")."));
		doc_para_end(&r->doc);
	}
	ser[0] = (struct svgchart_series){ rep_t(r, "actual"), am };
	ser[1] = (struct svgchart_series){ rep_t(r, "predicted"), pm };
	c.ncat = n;
	c.cats = cats;
	c.nser = 2;
	c.ser = ser;
	c.kind = SVGCHART_DECIMAL;
	c.xlabel = rep_t(r, "repeat purchases in the calibration period (x)");
	c.ylabel = rep_t(r, "purchases per customer in the holdout");
	chart(r, svgchart_line, &c,
	    rep_t(r,
	        "Holdout purchases per customer by calibration "
	        "purchases: actual against predicted"));
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	doc_table_begin(&r->doc, NULL, 4, h, "lrrr");
	for (i = 0, n = 0; i < t->nrows; i++) {
		json_t *b;
		double  cust;

		if (strcmp(intab_str(t, i, cx), "total") == 0)
			continue;
		if (intab_num(t, i, cn, &cust, e) < 0)
			goto out;
		b = row_of(arr, "/value/check/by_x", base, sizeof(base));
		json_object_set_new(b, "x", json_string(intab_str(t, i, cx)));
		doc_th(&r->doc, intab_str(t, i, cx));
		cell(r, b, base, "customers", cust, FK_COUNT);
		cell(r, b, base, "actual_mean", am[n], FK_NUM2);
		cell(r, b, base, "predicted_mean", pm[n], FK_NUM2);
		n++;
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
	rc = 0;
out:
	free(pm);
	free(am);
	free(cats);
	return rc;
}

/*
 * The rows [*from, *to) of the tracking table t to draw: a first or last
 * period shorter than a whole one (7 days for weeks, 28 for months, by
 * its days column) would look like a fall in purchases, so it is left
 * out of the chart (not out of the tables).
 */
static int
whole_periods(const struct intab *t, size_t *from, size_t *to, struct ci_err *e)
{
	int    cd = intab_col(t, "days");
	double d, first, last, whole = 0;
	size_t i;

	*from = 0;
	*to = t->nrows;
	if (cd < 0 || t->nrows < 3)
		return 0;
	for (i = 0; i < t->nrows; i++) {
		if (intab_num(t, i, cd, &d, e) < 0)
			return -1;
		whole = d > whole ? d : whole;
	}
	whole = whole >= 28 ? 28 : whole;
	if (intab_num(t, 0, cd, &first, e) < 0 ||
	    intab_num(t, t->nrows - 1, cd, &last, e) < 0)
		return -1;
	*from = first < whole;
	*to -= last < whole;
	return 0;
}

/* The tracking table of ci-score check --by: actual and predicted. */
static int
value_tracking(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab    *t = &r->tracking;
	int                    cs, cph, ca, cp;
	size_t                 i, n = t->nrows, first_hold = 0, from, to;
	double                *av, *pv, ha = 0, hp = 0;
	const char           **cats, *h[3];
	struct svgchart        c = { 0 };
	struct svgchart_series ser[2];
	json_t                *o = obj_at(out, "tracking"), *arr;
	char                   base[64];
	int                    rc = -1;

	if ((cs = intab_require(t, "start", "--tracking", e)) < 0 ||
	    (cph = intab_require(t, "phase", "--tracking", e)) < 0 ||
	    (ca = intab_require(t, "actual", "--tracking", e)) < 0 ||
	    (cp = intab_require(t, "predicted", "--tracking", e)) < 0)
		return -1;
	av = xcalloc(n + 1, sizeof(*av));
	pv = xcalloc(n + 1, sizeof(*pv));
	cats = xcalloc(n + 1, sizeof(*cats));
	for (i = 0; i < n; i++) {
		if (intab_num(t, i, ca, &av[i], e) < 0 ||
		    intab_num(t, i, cp, &pv[i], e) < 0)
			goto out;
		cats[i] = intab_str(t, i, cs);
		if (strcmp(intab_str(t, i, cph), "holdout") == 0) {
			if (first_hold == 0)
				first_hold = i;
			ha += av[i];
			hp += pv[i];
		}
	}
	if (whole_periods(t, &from, &to, e) < 0)
		goto out;
	doc_subhead(&r->doc, rep_t(r, "Tracking"));
	ser[0] = (struct svgchart_series){ rep_t(r, "actual"), av + from };
	ser[1] = (struct svgchart_series){ rep_t(r, "predicted"), pv + from };
	c.ncat = to - from;
	c.cats = cats + from;
	c.nser = 2;
	c.ser = ser;
	c.kind = SVGCHART_COUNT;
	c.mark = first_hold > from ? (int)(first_hold - from) : 0;
	c.mark_label = rep_t(r, "holdout");
	c.ylabel = rep_t(r, "repeat purchases per period");
	chart(r, svgchart_line, &c,
	    rep_t(r,
	        "Repeat purchases per period: actual against the model, "
	        "calibration then holdout"));
	if (from > 0 || to < n)
		doc_note(&r->doc,
		    rep_t(r,
		        "A first or last period shorter than a whole one is "
		        "left out of the chart."));
	doc_data_begin(&r->doc, rep_t(r, "the holdout periods"));
	h[0] = rep_t(r, "period from");
	h[1] = rep_t(r, "actual");
	h[2] = rep_t(r, "predicted");
	arr = arr_at(o, "holdout");
	doc_table_begin(&r->doc, NULL, 3, h, "lrr");
	for (i = first_hold; first_hold > 0 && i < n; i++) {
		json_t *b =
		    row_of(arr, "/value/tracking/holdout", base, sizeof(base));

		json_object_set_new(b, "start", json_string(cats[i]));
		doc_th(&r->doc, cats[i]);
		cell(r, b, base, "actual", av[i], FK_COUNT);
		cell(r, b, base, "predicted", pv[i], FK_NUM1);
	}
	doc_th(&r->doc, rep_t(r, "total"));
	cell(r, o, "/value/tracking", "holdout_actual", ha, FK_COUNT);
	cell(r, o, "/value/tracking", "holdout_predicted", hp, FK_NUM1);
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
	rc = 0;
out:
	free(av);
	free(pv);
	free(cats);
	return rc;
}

/*
 * The sales outlook of ci-score forecast, after the actual weeks of the
 * events when given: expected repeat purchases, revenue and customers
 * still alive per period.
 */
static int
value_outlook(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab      *t = &r->outlook;
	const struct rep_actual *act = &r->actual;
	int                      cs, cp, crev, calive;
	size_t i, n = t->nrows, na = act->have ? REP_WEEKS : 0, m = n + na,
	          nh = 3;
	double *past, *fut, sp = 0, srev = 0, alive = NAN, ap = 0, arev = 0;
	const char           **cats, *h[4];
	char                   base[64], align[5] = "lrrr";
	struct svgchart        c = { 0 };
	struct svgchart_series ser[2];
	json_t                *o = obj_at(out, "outlook"), *arr;
	bool                   rev;
	int                    rc = -1;

	if ((cs = intab_require(t, "start", "--outlook", e)) < 0 ||
	    (cp = intab_require(t, "expected_purchases", "--outlook", e)) < 0)
		return -1;
	crev = intab_col(t, "expected_revenue");
	calive = intab_col(t, "expected_active");
	rev = crev >= 0;
	past = xcalloc(m + 1, sizeof(*past));
	fut = xcalloc(m + 1, sizeof(*fut));
	cats = xcalloc(m + 1, sizeof(*cats));
	for (i = 0; i < na; i++) {
		cats[i] = act->start[i];
		past[i] = rev ? act->revenue[i] : act->purchases[i];
		fut[i] = NAN;
		ap += act->purchases[i];
		arev += act->revenue[i];
	}
	for (i = 0; i < n; i++) {
		double p, v;

		if (intab_num(t, i, cp, &p, e) < 0 ||
		    intab_num(t, i, crev, &v, e) < 0 ||
		    (i + 1 == n && intab_num(t, i, calive, &alive, e) < 0))
			goto out;
		cats[na + i] = intab_str(t, i, cs);
		past[na + i] = NAN;
		fut[na + i] = rev ? v : p;
		sp += p;
		srev += rev ? v : 0;
	}
	doc_subhead(&r->doc, rep_t(r, "Sales outlook"));
	doc_text(&r->doc, rep_t(r, "Next "));
	inline_fig(r, o, "/value/outlook", "periods", (double)n, FK_COUNT);
	doc_text(&r->doc, rep_t(r, " weeks: "));
	inline_fig(r, o, "/value/outlook", "expected_purchases", sp, FK_NUM1);
	doc_text(&r->doc,
	    rep_t(r,
	        " repeat purchases expected from today's "
	        "customers"));
	if (rev) {
		doc_text(&r->doc, rep_t(r, ", worth "));
		inline_fig(r, o, "/value/outlook", "expected_revenue", srev,
		    FK_MONEY0);
	}
	if (isfinite(alive)) {
		doc_text(&r->doc, rep_t(r, "; "));
		inline_fig(r, o, "/value/outlook", "expected_active_at_end",
		    alive, FK_COUNT);
		doc_text(&r->doc,
		    rep_t(r,
		        " of them expected still active at "
		        "the end"));
	}
	doc_text(&r->doc, rep_t(r, "."));
	if (na > 0) {
		doc_text(&r->doc, " ");
		doc_text(&r->doc, rep_t(r, "Last "));
		inline_fig(r, o, "/value/outlook", "actual_periods", (double)na,
		    FK_COUNT);
		doc_text(&r->doc, rep_t(r, " weeks: "));
		inline_fig(
		    r, o, "/value/outlook", "actual_purchases", ap, FK_COUNT);
		doc_text(&r->doc, rep_t(r, " repeat purchases"));
		doc_text(&r->doc, rep_t(r, ", worth "));
		inline_fig(
		    r, o, "/value/outlook", "actual_revenue", arev, FK_MONEY0);
		doc_text(&r->doc, rep_t(r, "."));
	}
	doc_para_end(&r->doc);
	doc_note(&r->doc,
	    rep_t(r,
	        "The outlook counts the repeat purchases of "
	        "the customers known today; new customers "
	        "come on top."));
	ser[0] = (struct svgchart_series){ rep_t(r, "actual"), past };
	ser[1] = (struct svgchart_series){ rep_t(r, "expected"), fut };
	c.ncat = m;
	c.cats = cats;
	c.nser = 2;
	c.ser = ser;
	c.kind = rev ? SVGCHART_MONEY : SVGCHART_COUNT;
	c.mark = na > 0 ? (int)na : 0;
	c.mark_label = rep_t(r, "today");
	c.ylabel = rev ? rep_t(r, "revenue of repeat purchases per week")
	               : rep_t(r, "repeat purchases per week");
	c.xlabel = rep_t(r, "week starting");
	chart(r, svgchart_columns, &c,
	    na > 0 ? rep_t(r,
	                 "The last weeks' actual repeat purchases and "
	                 "the weeks ahead expected by the model")
	           : rep_t(r, "The weeks ahead expected by the model"));
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	h[0] = rep_t(r, "week starting");
	h[1] = rep_t(r, "repeat purchases");
	if (rev)
		h[2] = rep_t(r, "revenue");
	else
		nh = 2;
	align[nh] = '\0';
	doc_table_begin(&r->doc, NULL, nh, h, align);
	arr = arr_at(o, "actual");
	for (i = 0; i < na; i++) {
		json_t *b =
		    row_of(arr, "/value/outlook/actual", base, sizeof(base));

		json_object_set_new(b, "start", json_string(act->start[i]));
		doc_th(&r->doc, act->start[i]);
		cell(r, b, base, "purchases", act->purchases[i], FK_COUNT);
		if (rev)
			cell(r, b, base, "revenue", act->revenue[i], FK_MONEY0);
	}
	arr = arr_at(o, "expected");
	for (i = 0; i < n; i++) {
		json_t *b =
		    row_of(arr, "/value/outlook/expected", base, sizeof(base));
		double p, v;

		intab_num(t, i, cp, &p, e);
		intab_num(t, i, crev, &v, e);
		json_object_set_new(b, "start", json_string(cats[na + i]));
		doc_th(&r->doc, cats[na + i]);
		cell(r, b, base, "purchases", p, FK_NUM1);
		if (rev)
			cell(r, b, base, "revenue", v, FK_MONEY0);
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
	rc = 0;
out:
	free(past);
	free(fut);
	free(cats);
	return rc;
}

int
rep_value(struct rep *r, struct ci_err *e)
{
	json_t *out;

	if (r->col[RC_CLV] < 0 && r->o->clv_check == NULL &&
	    r->o->tracking == NULL && r->o->outlook == NULL)
		return 0;
	out = obj_at(r->sum, "value");
	doc_section(&r->doc, "value", rep_t(r, "Value"));
	if (r->col[RC_CLV] >= 0)
		value_clv(r, out);
	if (r->o->outlook != NULL && value_outlook(r, out, e) < 0)
		return -1;
	if (r->o->clv_check != NULL && value_check(r, out, e) < 0)
		return -1;
	if (r->o->tracking != NULL && value_tracking(r, out, e) < 0)
		return -1;
	return 0;
}

static void
churn_risk_dist(struct rep *r, json_t *out)
{
	const struct custagg  *a = &r->agg;
	double                 v[CUSTAGG_RISK_BINS];
	char                   lab[CUSTAGG_RISK_BINS][16], base[64];
	const char            *cats[CUSTAGG_RISK_BINS], *h[3];
	struct svgchart        c = { 0 };
	struct svgchart_series ser;
	json_t                *arr = arr_at(out, "risk_histogram");
	size_t                 i;

	for (i = 0; i < CUSTAGG_RISK_BINS; i++) {
		snprintf(lab[i], sizeof(lab[i]), "%zu–%zu", i * 10,
		    i + 1 == CUSTAGG_RISK_BINS ? 100 : i * 10 + 9);
		cats[i] = lab[i];
		v[i] = (double)a->risk_bins[i];
	}
	ser = (struct svgchart_series){ rep_t(r, "customers"), v };
	c.ncat = CUSTAGG_RISK_BINS;
	c.cats = cats;
	c.nser = 1;
	c.ser = &ser;
	c.ylabel = rep_t(r, "customers");
	c.xlabel = rep_t(r, "churn risk (0-100)");
	chart(r, svgchart_columns, &c, rep_t(r, "Distribution of churn risk"));
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	h[0] = rep_t(r, "churn risk");
	h[1] = rep_t(r, "customers");
	h[2] = rep_t(r, "share");
	doc_table_begin(&r->doc, NULL, 3, h, "lrr");
	for (i = 0; i < CUSTAGG_RISK_BINS; i++) {
		json_t *b =
		    row_of(arr, "/churn/risk_histogram", base, sizeof(base));

		json_object_set_new(
		    b, "from", json_integer((json_int_t)i * 10));
		doc_th(&r->doc, lab[i]);
		cell(r, b, base, "customers", v[i], FK_COUNT);
		cell(r, b, base, "share", ratio(v[i], (double)a->risk_n),
		    FK_PCT);
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
}

/* A number of the summary that the page draws but does not write. */
static void
set_num(json_t *obj, const char *key, double v)
{
	json_object_set_new(obj, key, isfinite(v) ? json_real(v) : json_null());
}

/*
 * The points of the ROC curve of ci-churn eval: every point of its 'roc'
 * table when it has one (*exact is then true), else the cuts of the
 * deciles of its 'lift' table, from (0, 0).  *fpr and *tpr are the caller's
 * to free; the points also go to the summary, as out["roc"].  Returns the
 * number of points, or 0 with *e when the 'roc' table is not a curve.
 */
static size_t
roc_points(struct rep *r, json_t *out, double **fpr, double **tpr, bool *exact,
    struct ci_err *e)
{
	const json_t *roc = json_object_get(r->churn_eval, "roc"),
	             *lift = json_object_get(r->churn_eval, "lift"), *row;
	json_t *arr, *b;
	double  tot_pos = 0, tot_neg = 0, tp = 0, fp = 0;
	size_t  n, i;

	*exact = roc != NULL;
	if (*exact) {
		n = json_array_size(roc);
		if (n < 2) {
			ci_err_set(e, CI_EXIT_USAGE, r->o->churn_eval, 0,
			    "the 'roc' table has %zu row%s: want 2 or more", n,
			    n == 1 ? "" : "s");
			return 0;
		}
		json_array_foreach(roc, i, row)
		{
			double x = jnum(row, "false_positive_rate"),
			       y = jnum(row, "true_positive_rate");

			if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
				ci_err_set(e, CI_EXIT_USAGE, r->o->churn_eval,
				    0,
				    "row %zu of the 'roc' table: want "
				    "false_positive_rate and "
				    "true_positive_rate from 0 to 1",
				    i);
				return 0;
			}
		}
	} else {
		n = json_array_size(lift) + 1;
		json_array_foreach(lift, i, row)
		{
			tot_pos += jnum(row, "churners");
			tot_neg +=
			    jnum(row, "customers") - jnum(row, "churners");
		}
	}
	*fpr = xcalloc(n, sizeof(**fpr));
	*tpr = xcalloc(n, sizeof(**tpr));
	arr = arr_at(out, "roc");
	for (i = 0; i < n; i++) {
		b = json_object();
		json_array_append_new(arr, b);
		if (*exact) {
			row = json_array_get(roc, i);
			(*fpr)[i] = jnum(row, "false_positive_rate");
			(*tpr)[i] = jnum(row, "true_positive_rate");
			set_num(b, "threshold", jnum(row, "threshold"));
		} else {
			if (i > 0) { /* the first point is (0, 0) */
				row = json_array_get(lift, i - 1);
				tp += jnum(row, "churners");
				fp += jnum(row, "customers") -
				    jnum(row, "churners");
				(*fpr)[i] = ratio(fp, tot_neg);
				(*tpr)[i] = ratio(tp, tot_pos);
			}
			json_object_set_new(
			    b, "decile", json_integer((json_int_t)i));
		}
		set_num(b, "false_positive_rate", (*fpr)[i]);
		set_num(b, "true_positive_rate", (*tpr)[i]);
	}
	return n;
}

/*
 * The metrics, ROC curve and lift of ci-churn eval.  The ROC curve goes
 * through the points of the evaluation's 'roc' table; an evaluation
 * without one (of an older ci-churn) has it drawn at the decile cuts.
 */
static int
churn_eval(struct rep *r, json_t *out, struct ci_err *e)
{
	static const char *const metric_keys[] = { "roc_auc", "pr_auc",
		"churn_rate", "brier", "log_loss" };
	json_t                  *ev = r->churn_eval,
	       *m = json_array_get(json_object_get(ev, "metrics"), 0),
	       *lift = json_object_get(ev, "lift"), *row,
	       *o = obj_at(out, "eval"), *arr;
	size_t                 n = json_array_size(lift), i, np;
	double                *fpr = NULL, *tpr = NULL, *lv;
	char                   lab[10][8], base[64];
	const char            *cats[11], *h[6], *mk[5];
	bool                   exact;
	struct svgchart        c = { 0 };
	struct svgchart_series ser;

	if (n == 0 || n > 10)
		return ci_err_set(e, CI_EXIT_USAGE, r->o->churn_eval, 0,
		    "the 'lift' table has %zu rows: want 1 to 10 deciles", n);
	doc_subhead(&r->doc, rep_t(r, "How well the churn model ranks"));
	for (i = 0; i < 5; i++)
		mk[i] = rep_t(r, metric_keys[i]);
	doc_table_begin(&r->doc, NULL, 5, mk, "rrrrr");
	cell(r, o, "/churn/eval", "roc_auc", jnum(m, "roc_auc"), FK_NUM2);
	cell(r, o, "/churn/eval", "pr_auc", jnum(m, "pr_auc"), FK_NUM2);
	cell(r, o, "/churn/eval", "churn_rate", jnum(m, "churn_rate"), FK_PCT);
	cell(r, o, "/churn/eval", "brier", jnum(m, "brier"), FK_NUM2);
	cell(r, o, "/churn/eval", "log_loss", jnum(m, "log_loss"), FK_NUM2);
	doc_table_end(&r->doc);
	if ((np = roc_points(r, o, &fpr, &tpr, &exact, e)) == 0)
		return -1;
	lv = xcalloc(n, sizeof(*lv));
	cats[0] = "0";
	json_array_foreach(lift, i, row)
	{
		lv[i] = jnum(row, "lift");
		snprintf(lab[i], sizeof(lab[i]), "%zu", i + 1);
		cats[i + 1] = lab[i];
	}
	doc_grid_begin(&r->doc);
	ser = (struct svgchart_series){ rep_t(r, "model"), tpr };
	/* With x given, the categories only count the points. */
	c.ncat = np;
	c.cats = exact ? NULL : cats;
	c.nser = 1;
	c.ser = &ser;
	c.x = fpr;
	c.kind = c.xkind = SVGCHART_PERCENT;
	c.diagonal = true;
	c.xlabel = rep_t(r, "non-churners flagged (false positive rate)");
	c.ylabel = rep_t(r, "churners caught (true positive rate)");
	chart(r, svgchart_line, &c,
	    rep_t(r,
	        exact ? "ROC curve"
	              : "ROC curve at the deciles of predicted risk"));
	memset(&c, 0, sizeof(c));
	ser = (struct svgchart_series){ rep_t(r, "lift"), lv };
	c.ncat = n;
	c.cats = cats + 1;
	c.nser = 1;
	c.ser = &ser;
	c.kind = SVGCHART_DECIMAL;
	c.xlabel = rep_t(r, "decile of predicted risk (1: highest)");
	c.ylabel = rep_t(r, "lift: churn rate over the average");
	chart(r, svgchart_columns, &c, rep_t(r, "Lift by decile"));
	doc_grid_end(&r->doc);
	doc_data_begin(&r->doc, rep_t(r, "the figures"));
	h[0] = rep_t(r, "decile");
	h[1] = rep_t(r, "customers");
	h[2] = rep_t(r, "churners");
	h[3] = rep_t(r, "churn rate");
	h[4] = rep_t(r, "lift");
	h[5] = rep_t(r, "churners caught so far");
	arr = arr_at(o, "lift");
	doc_table_begin(&r->doc, NULL, 6, h, "lrrrrr");
	json_array_foreach(lift, i, row)
	{
		json_t *b = row_of(arr, "/churn/eval/lift", base, sizeof(base));

		json_object_set_new(
		    b, "decile", json_integer((json_int_t)i + 1));
		doc_th(&r->doc, lab[i]);
		cell(r, b, base, "customers", jnum(row, "customers"), FK_COUNT);
		cell(r, b, base, "churners", jnum(row, "churners"), FK_COUNT);
		cell(r, b, base, "churn_rate", jnum(row, "churn_rate"), FK_PCT);
		cell(r, b, base, "lift", jnum(row, "lift"), FK_NUM2);
		cell(r, b, base, "cumulative_capture",
		    jnum(row, "cumulative_capture"), FK_PCT);
	}
	doc_table_end(&r->doc);
	doc_data_end(&r->doc);
	free(fpr);
	free(tpr);
	free(lv);
	return 0;
}

/* The at-risk customers of most value, with reasons and action. */
static void
churn_top(struct rep *r, json_t *out)
{
	const struct custagg *a = &r->agg;
	const bool  name = r->col[RC_NAME] >= 0, clv = r->col[RC_CLV] >= 0;
	const char *h[8];
	char        align[9], base[64], rank[16];
	size_t      nh = 0, i, n = a->ntop < r->o->top ? a->ntop : r->o->top;
	json_t     *arr = arr_at(out, "top");
	struct buf  why = { 0 };

	if (n == 0)
		return;
	h[nh] = "#";
	align[nh++] = 'r';
	h[nh] = rep_t(r, "customer");
	align[nh++] = 'l';
	if (name) {
		h[nh] = rep_t(r, "name");
		align[nh++] = 'l';
	}
	if (r->col[RC_TIER] >= 0) {
		h[nh] = rep_t(r, "tier");
		align[nh++] = 'l';
	}
	if (clv || r->col[RC_REVENUE] >= 0) {
		h[nh] = clv ? rep_t(r, "CLV") : rep_t(r, "revenue");
		align[nh++] = 'r';
	}
	if (r->col[RC_CHURN_RISK] >= 0) {
		h[nh] = rep_t(r, "risk");
		align[nh++] = 'r';
	}
	h[nh] = rep_t(r, "why");
	align[nh++] = 'l';
	if (r->col[RC_ACTION] >= 0) {
		h[nh] = rep_t(r, "action");
		align[nh++] = 'l';
	}
	align[nh] = '\0';
	doc_subhead(&r->doc,
	    rep_t(r,
	        "Whom to call: the at-risk customers of "
	        "most value"));
	doc_table_begin(&r->doc, NULL, nh, h, align);
	for (i = 0; i < n; i++) {
		const struct custagg_top *t = &a->top[i];
		json_t *o = row_of(arr, "/churn/top", base, sizeof(base));
		size_t  k;

		snprintf(rank, sizeof(rank), "%zu", i + 1);
		json_object_set_new(o, "customer_id", json_string(t->id));
		doc_th(&r->doc, rank);
		doc_td(&r->doc, t->id);
		if (name) {
			json_object_set_new(
			    o, "name", json_string(t->name ? t->name : ""));
			doc_td(&r->doc, t->name ? t->name : "");
		}
		if (r->col[RC_TIER] >= 0) {
			json_object_set_new(
			    o, "tier", json_string(t->tier ? t->tier : ""));
			doc_td(&r->doc, t->tier ? group_label(r, t->tier) : "");
		}
		if (clv)
			cell(r, o, base, "clv", t->clv, FK_MONEY0);
		else if (r->col[RC_REVENUE] >= 0)
			cell(r, o, base, "revenue", t->revenue, FK_MONEY0);
		if (r->col[RC_CHURN_RISK] >= 0)
			cell(r, o, base, "churn_risk", t->churn_risk, FK_COUNT);
		buf_reset(&why);
		for (k = 0; k < 3; k++)
			if (t->reason[k] != NULL && *t->reason[k] != '\0') {
				if (why.len > 0)
					buf_addstr(&why, "; ");
				buf_addstr(&why, t->reason[k]);
			}
		json_object_set_new(o, "reasons", json_string(buf_str(&why)));
		doc_td(&r->doc, buf_str(&why));
		if (r->col[RC_ACTION] >= 0) {
			json_object_set_new(o, "action",
			    json_string(t->action ? t->action : ""));
			doc_td(&r->doc, t->action ? t->action : "");
		}
	}
	doc_table_end(&r->doc);
	buf_release(&why);
	if (name)
		doc_note(&r->doc,
		    rep_t(r,
		        "Names are masked; look the customer "
		        "up by id."));
}

static void
churn_bands(struct rep *r, json_t *out)
{
	group_table(r, CUSTAGG_BAND, out, "bands", "/churn/bands",
	    rep_t(r, "Customers by risk band"), rep_t(r, "risk band"));
}

static void
churn_sentiment(struct rep *r, json_t *out)
{
	const struct custagg *a = &r->agg;
	json_t               *o = obj_at(out, "sentiment");

	doc_subhead(&r->doc, rep_t(r, "What customers say"));
	if (r->col[RC_NEGATIVE] >= 0) {
		inline_fig(r, o, "/churn/sentiment", "negative_customers",
		    (double)a->negative_customers, FK_COUNT);
		doc_text(&r->doc,
		    rep_t(r,
		        " customers wrote something "
		        "negative in the last 90 days"));
		if (a->risk != CUSTAGG_RISK_NONE) {
			doc_text(&r->doc, rep_t(r, "; "));
			inline_fig(r, o, "/churn/sentiment", "negative_at_risk",
			    (double)a->negative_at_risk, FK_COUNT);
			doc_text(&r->doc, rep_t(r, " of them are at risk"));
		}
		doc_text(&r->doc, rep_t(r, "."));
	}
	if (a->nsent > 0) {
		double s = 0;
		size_t i;

		for (i = 0; i < a->nsent; i++)
			s += a->sent[i];
		doc_text(&r->doc, " ");
		doc_text(&r->doc,
		    rep_t(r,
		        "Mean sentiment of the last 90 days "
		        "(-1 to 1): "));
		inline_fig(r, o, "/churn/sentiment", "mean",
		    s / (double)a->nsent, FK_NUM2);
		doc_text(&r->doc, rep_t(r, ", over "));
		inline_fig(r, o, "/churn/sentiment", "customers",
		    (double)a->nsent, FK_COUNT);
		doc_text(&r->doc, rep_t(r, " customers who wrote."));
	}
	doc_para_end(&r->doc);
}

int
rep_churn(struct rep *r, struct ci_err *e)
{
	json_t *out;

	if (r->col[RC_CHURN_RISK] < 0 && r->col[RC_BAND] < 0 &&
	    r->churn_eval == NULL && r->col[RC_SENTIMENT] < 0 &&
	    r->col[RC_NEGATIVE] < 0)
		return 0;
	out = obj_at(r->sum, "churn");
	doc_section(&r->doc, "churn", rep_t(r, "Churn"));
	if (r->col[RC_CHURN_RISK] >= 0)
		churn_risk_dist(r, out);
	if (r->col[RC_BAND] >= 0)
		churn_bands(r, out);
	if (r->agg.risk != CUSTAGG_RISK_NONE)
		churn_top(r, out);
	if (r->churn_eval != NULL && churn_eval(r, out, e) < 0)
		return -1;
	if (r->col[RC_SENTIMENT] >= 0 || r->col[RC_NEGATIVE] >= 0)
		churn_sentiment(r, out);
	return 0;
}

/* A rule of ci-recommend rules, for sorting. */
struct rule {
	size_t row;
	double support, confidence, lift;
};

static int
cmp_rule(const void *p, const void *q)
{
	const struct rule *a = p, *b = q;

	if (a->lift != b->lift)
		return a->lift > b->lift ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence > b->confidence ? -1 : 1;
	if (a->support != b->support)
		return a->support > b->support ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

#define TOP_RULES 10

static int
cross_rules(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab *t = &r->rules;
	int                 ca, cc, cs, cf, cl;
	struct rule        *v;
	size_t              i, n;
	const char         *h[4];
	char                base[64];
	json_t             *arr = arr_at(out, "rules");
	struct buf          b = { 0 };

	if ((ca = intab_require(t, "antecedent", "--rules", e)) < 0 ||
	    (cc = intab_require(t, "consequent", "--rules", e)) < 0 ||
	    (cs = intab_require(t, "support", "--rules", e)) < 0 ||
	    (cf = intab_require(t, "confidence", "--rules", e)) < 0 ||
	    (cl = intab_require(t, "lift", "--rules", e)) < 0)
		return -1;
	v = xcalloc(t->nrows + 1, sizeof(*v));
	for (i = 0; i < t->nrows; i++) {
		v[i].row = i;
		if (intab_num(t, i, cs, &v[i].support, e) < 0 ||
		    intab_num(t, i, cf, &v[i].confidence, e) < 0 ||
		    intab_num(t, i, cl, &v[i].lift, e) < 0) {
			free(v);
			return -1;
		}
	}
	if (t->nrows > 1)
		qsort(v, t->nrows, sizeof(*v), cmp_rule);
	n = t->nrows < TOP_RULES ? t->nrows : TOP_RULES;
	h[0] = rep_t(r, "who bought");
	h[1] = rep_t(r, "support");
	h[2] = rep_t(r, "confidence");
	h[3] = rep_t(r, "lift");
	doc_subhead(&r->doc, rep_t(r, "Products bought together"));
	doc_table_begin(&r->doc, NULL, 4, h, "lrrr");
	for (i = 0; i < n; i++) {
		json_t *o =
		    row_of(arr, "/cross_sell/rules", base, sizeof(base));

		json_object_set_new(
		    o, "antecedent", json_string(intab_str(t, v[i].row, ca)));
		json_object_set_new(
		    o, "consequent", json_string(intab_str(t, v[i].row, cc)));
		buf_reset(&b);
		buf_addstr(&b, intab_str(t, v[i].row, ca));
		buf_addstr(&b, " → ");
		buf_addstr(&b, intab_str(t, v[i].row, cc));
		doc_th(&r->doc, buf_str(&b));
		cell(r, o, base, "support", v[i].support, FK_PCT);
		cell(r, o, base, "confidence", v[i].confidence, FK_PCT);
		cell(r, o, base, "lift", v[i].lift, FK_NUM2);
	}
	doc_table_end(&r->doc);
	doc_note(&r->doc,
	    rep_t(r,
	        "The rules of highest lift: customers who "
	        "bought the first also bought the second "
	        "that many times more often than others."));
	buf_release(&b);
	free(v);
	return 0;
}

/* The metrics of ci-recommend eval, by their column names' stems. */
static const char *const rec_metric[] = { "hit_rate", "precision", "recall",
	"ndcg", "map", "coverage" };
#define NREC_METRIC (sizeof(rec_metric) / sizeof(rec_metric[0]))

/* The column whose name is stem, or starts with stem and '@' or '_at_'. */
static int
metric_col(const struct intab *t, const char *stem)
{
	size_t i, n = strlen(stem);

	for (i = 0; i < t->ncols; i++)
		if (strncmp(t->cols[i], stem, n) == 0 &&
		    (t->cols[i][n] == '\0' || t->cols[i][n] == '@' ||
		        strncmp(t->cols[i] + n, "_at_", 4) == 0))
			return (int)i;
	return -1;
}

#define MAX_METHODS 4

static int
cross_eval(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab    *t = &r->rec_eval;
	int                    cm, ck, mc[NREC_METRIC];
	size_t                 i, k, nm = 0, nrow = t->nrows;
	const char            *cats[NREC_METRIC], *h[NREC_METRIC + 2];
	char                   align[NREC_METRIC + 3], base[64];
	double                 val[MAX_METHODS][NREC_METRIC];
	struct svgchart_series ser[MAX_METHODS];
	struct svgchart        c = { 0 };
	json_t                *arr = arr_at(out, "evaluation");

	if ((cm = intab_require(t, "method", "--rec-eval", e)) < 0)
		return -1;
	ck = intab_col(t, "k");
	for (k = 0; k < NREC_METRIC; k++)
		if ((mc[nm] = metric_col(t, rec_metric[k])) >= 0)
			cats[nm++] = rec_metric[k];
	if (nm == 0)
		return ci_err_set(e, CI_EXIT_USAGE, t->name, 0,
		    "no metric column (hit_rate, precision, recall, ndcg, map "
		    "or coverage) for --rec-eval");
	if (nrow > MAX_METHODS)
		nrow = MAX_METHODS;
	h[0] = rep_t(r, "method");
	align[0] = 'l';
	for (k = 0; k < nm; k++) {
		h[k + 1] = rep_t(r, cats[k]);
		align[k + 1] = 'r';
	}
	align[nm + 1] = '\0';
	doc_subhead(&r->doc, rep_t(r, "Recommendation quality"));
	if (ck >= 0 && t->nrows > 0) {
		double kk;

		if (intab_num(t, 0, ck, &kk, e) < 0)
			return -1;
		doc_text(&r->doc, rep_t(r, "Measured on the top "));
		inline_fig(r, out, "/cross_sell", "k", kk, FK_COUNT);
		doc_text(&r->doc,
		    rep_t(r,
		        " recommendations of each customer, "
		        "against what the customer bought "
		        "next."));
		doc_para_end(&r->doc);
	}
	doc_table_begin(&r->doc, NULL, nm + 1, h, align);
	for (i = 0; i < nrow; i++) {
		json_t *o =
		    row_of(arr, "/cross_sell/evaluation", base, sizeof(base));

		json_object_set_new(
		    o, "method", json_string(intab_str(t, i, cm)));
		doc_th(&r->doc, rep_t(r, intab_str(t, i, cm)));
		for (k = 0; k < nm; k++) {
			if (intab_num(t, i, mc[k], &val[i][k], e) < 0)
				return -1;
			cell(r, o, base, cats[k], val[i][k], FK_PCT);
		}
		ser[i] =
		    (struct svgchart_series){ rep_t(r, intab_str(t, i, cm)),
			    val[i] };
	}
	doc_table_end(&r->doc);
	for (k = 0; k < nm; k++)
		cats[k] = rep_t(r, cats[k]);
	c.ncat = nm;
	c.cats = cats;
	c.nser = nrow;
	c.ser = ser;
	c.kind = SVGCHART_PERCENT;
	chart(
	    r, svgchart_hbar, &c, rep_t(r, "Recommendation quality by method"));
	return 0;
}

/* The products recommended first most often. */
static int
cross_recs(struct rep *r, json_t *out, struct ci_err *e)
{
	const struct intab *t = &r->recs;
	int                 cid, crank, cprod;
	struct hmap         cust = { 0 }, prod = { 0 };
	size_t     *first = NULL, *any = NULL, cap = 0, capa = 0, i, n, *ord;
	const char *h[3];
	char        base[64];
	json_t     *arr;

	if ((cid = intab_require(t, "customer_id", "--recommendations", e)) <
	        0 ||
	    (crank = intab_require(t, "rank", "--recommendations", e)) < 0 ||
	    (cprod = intab_require(t, "product_id", "--recommendations", e)) <
	        0)
		return -1;
	for (i = 0; i < t->nrows; i++) {
		const char *p = intab_str(t, i, cprod),
		           *c = intab_str(t, i, cid);
		bool   is_new;
		double rank;
		size_t k;

		if (intab_num(t, i, crank, &rank, e) < 0) {
			free(first);
			free(any);
			hmap_release(&cust);
			hmap_release(&prod);
			return -1;
		}
		hmap_intern(&cust, c, strlen(c), NULL);
		k = hmap_intern(&prod, p, strlen(p), &is_new);
		if (is_new) {
			xgrow(&first, &cap, k + 1, sizeof(*first));
			xgrow(&any, &capa, k + 1, sizeof(*any));
			first[k] = any[k] = 0;
		}
		first[k] += rank == 1;
		any[k]++;
	}
	n = hmap_count(&prod);
	ord = xcalloc(n + 1, sizeof(*ord));
	for (i = 0; i < n; i++)
		ord[i] = i;
	/* The products by first places, then by places, then by name. */
	for (i = 1; i < n; i++) {
		size_t j = i, x = ord[i];

		while (j > 0 &&
		    (first[ord[j - 1]] < first[x] ||
		        (first[ord[j - 1]] == first[x] &&
		            (any[ord[j - 1]] < any[x] ||
		                (any[ord[j - 1]] == any[x] &&
		                    strcmp(hmap_key(&prod, ord[j - 1], NULL),
		                        hmap_key(&prod, x, NULL)) > 0))))) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = x;
	}
	doc_subhead(&r->doc, rep_t(r, "What to offer"));
	inline_fig(r, out, "/cross_sell", "customers_with_recommendations",
	    (double)hmap_count(&cust), FK_COUNT);
	doc_text(&r->doc, rep_t(r, " customers have recommendations, of "));
	inline_fig(
	    r, out, "/cross_sell", "products_recommended", (double)n, FK_COUNT);
	doc_text(&r->doc, rep_t(r, " products."));
	doc_para_end(&r->doc);
	h[0] = rep_t(r, "product");
	h[1] = rep_t(r, "recommended first");
	h[2] = rep_t(r, "recommended");
	arr = arr_at(out, "top_products");
	doc_table_begin(&r->doc, NULL, 3, h, "lrr");
	for (i = 0; i < n && i < 10; i++) {
		json_t *o =
		    row_of(arr, "/cross_sell/top_products", base, sizeof(base));

		json_object_set_new(o, "product_id",
		    json_string(hmap_key(&prod, ord[i], NULL)));
		doc_th(&r->doc, hmap_key(&prod, ord[i], NULL));
		cell(r, o, base, "first", (double)first[ord[i]], FK_COUNT);
		cell(r, o, base, "customers", (double)any[ord[i]], FK_COUNT);
	}
	doc_table_end(&r->doc);
	free(ord);
	free(first);
	free(any);
	hmap_release(&cust);
	hmap_release(&prod);
	return 0;
}

int
rep_crosssell(struct rep *r, struct ci_err *e)
{
	json_t *out;

	if (r->o->recs == NULL && r->o->rules == NULL && r->o->rec_eval == NULL)
		return 0;
	out = obj_at(r->sum, "cross_sell");
	doc_section(&r->doc, "cross-sell", rep_t(r, "Cross-sell"));
	if (r->o->recs != NULL && cross_recs(r, out, e) < 0)
		return -1;
	if (r->o->rules != NULL && cross_rules(r, out, e) < 0)
		return -1;
	if (r->o->rec_eval != NULL && cross_eval(r, out, e) < 0)
		return -1;
	return 0;
}
