/*
 * report: ci-report's reading and writing.  The customers are read once,
 * row by row, into the aggregates of custagg; the other inputs are small
 * tables read whole.  The sections (repsect.c) then write the document and
 * the summary together, and the three files are written at the end, each
 * completely or not at all (a temporary file renamed into place).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "civil.h"
#include "custagg.h"
#include "hmap.h"
#include "i18n.h"
#include "jsonw.h"
#include "model.h"
#include "numfmt.h"
#include "parread.h"
#include "recin.h"
#include "rejects.h"
#include "repsect.h"
#include "report.h"
#include "timeparse.h"
#include "xalloc.h"

/* The columns read from the customers, by enum rep_col. */
static const char *const col_name[RC_N] = { "customer_id", NULL, "clv",
	"recency_days", "churn_risk", "sentiment_mean_90d",
	"negative_texts_90d", "r_score", "f_score", "rfm_segment", "value_tier",
	"lifecycle", "risk_band", "cluster", "reason_1", "reason_2", "reason_3",
	"action", "name", "phone", "email", "first_order", "last_order", "T",
	"unit" };

void
report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->outdir = ".";
	o->top = 20;
	o->active_days = 365;
}

/* What the read loop of the customers keeps. */
struct reader {
	struct rep         *r;
	struct model_digest digest;
	int64_t             asof_day; /* from first_order + T, or -1 */
	int64_t             last_day; /* newest last_order, or -1 */
};

static int
read_open(void *ctx, struct recin *in, size_t i, struct ci_err *e)
{
	struct reader *g = ctx;
	struct rep    *r = g->r;
	size_t         k;

	if (i > 0)
		return ci_err_set(
		    e, CI_EXIT_USAGE, NULL, 0, "one --customers file only");
	if (recin_ncols(in) == 0)
		return ci_err_set(e, CI_EXIT_DATA, recin_name(in), 0,
		    "no customers: the input is empty");
	for (k = 0; k < RC_N; k++)
		r->col[k] =
		    col_name[k] != NULL ? recin_find(in, col_name[k]) : -1;
	if ((r->col[RC_ID] = recin_require(in, "customer_id", NULL, e)) < 0)
		return -1;
	if (r->o->revenue != NULL) {
		r->revenue_col = r->o->revenue;
		r->col[RC_REVENUE] =
		    recin_require(in, r->o->revenue, "for --revenue", e);
		if (r->col[RC_REVENUE] < 0)
			return -1;
	} else if ((r->col[RC_REVENUE] = recin_find(in, "spend_365d")) >= 0) {
		r->revenue_col = "spend_365d";
	} else if ((r->col[RC_REVENUE] = recin_find(in, "monetary_total")) >=
	    0) {
		r->revenue_col = "monetary_total";
	}
	return 0;
}

/* The number of column k of rec (NaN when empty or absent); -1: bad. */
static int
num(const struct rep *r, const struct rec *rec, enum rep_col k, double *v,
    const char *file, struct ci_err *e)
{
	const char *s;
	size_t      len;

	rec_field(rec, r->col[k], &s, &len);
	*v = NAN;
	if (len == 0 || numfmt_parse(s, len, v))
		return 0;
	return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
	    "bad number '%.*s' in column '%s'", (int)(len < 40 ? len : 40), s,
	    k == RC_REVENUE ? r->revenue_col : col_name[k]);
}

static struct custagg_str
str(const struct rec *rec, int c)
{
	struct custagg_str s = { NULL, 0 };

	if (c >= 0)
		rec_field(rec, c, &s.s, &s.len);
	return s;
}

/* A date field as days since the epoch, or INT64_MIN. */
static int64_t
day_of(const struct rec *rec, int c)
{
	struct tp_result t;
	const char      *s, *why;
	size_t           len;

	rec_field(rec, c, &s, &len);
	if (len == 0 || timeparse(s, len, NULL, &t, &why) < 0)
		return INT64_MIN;
	return civil_day(t.utc);
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reader     *g = ctx;
	struct rep        *r = g->r;
	struct custagg_row row;
	double             rs = NAN, fs = NAN;
	int                k;

	memset(&row, 0, sizeof(row));
	row.id = str(rec, r->col[RC_ID]);
	if (row.id.len == 0) {
		ci_err_set(
		    e, CI_EXIT_DATA, file, rec->line, "empty customer_id");
		return REC_BAD;
	}
	if (num(r, rec, RC_REVENUE, &row.revenue, file, e) < 0 ||
	    num(r, rec, RC_CLV, &row.clv, file, e) < 0 ||
	    num(r, rec, RC_RECENCY, &row.recency, file, e) < 0 ||
	    num(r, rec, RC_CHURN_RISK, &row.churn_risk, file, e) < 0 ||
	    num(r, rec, RC_SENTIMENT, &row.sentiment, file, e) < 0 ||
	    num(r, rec, RC_NEGATIVE, &row.negative, file, e) < 0 ||
	    num(r, rec, RC_R_SCORE, &rs, file, e) < 0 ||
	    num(r, rec, RC_F_SCORE, &fs, file, e) < 0)
		return REC_BAD;
	row.r_score = rs >= 1 && rs <= CUSTAGG_SCORES ? (int)rs : 0;
	row.f_score = fs >= 1 && fs <= CUSTAGG_SCORES ? (int)fs : 0;
	for (k = 0; k < CUSTAGG_NKINDS; k++)
		row.seg[k] = str(rec, r->col[RC_RFM + k]);
	for (k = 0; k < 3; k++)
		row.reason[k] = str(rec, r->col[RC_REASON1 + k]);
	row.action = str(rec, r->col[RC_ACTION]);
	row.name = str(rec, r->col[RC_NAME]);
	row.phone = str(rec, r->col[RC_PHONE]);
	row.email = str(rec, r->col[RC_EMAIL]);
	custagg_add(&r->agg, &row);
	model_digest_add(&g->digest, rec->f, rec->len, rec->n);
	if (g->asof_day < 0 && r->col[RC_FIRST_ORDER] >= 0 &&
	    r->col[RC_T] >= 0) {
		int64_t            first = day_of(rec, r->col[RC_FIRST_ORDER]);
		double             t;
		struct custagg_str u = str(rec, r->col[RC_UNIT]);

		if (first != INT64_MIN && num(r, rec, RC_T, &t, file, e) == 0 &&
		    isfinite(t))
			g->asof_day = first +
			    llround(t *
			        (u.len == 3 && memcmp(u.s, "day", 3) == 0 ? 1
			                                                  : 7));
	}
	if (r->col[RC_LAST_ORDER] >= 0) {
		int64_t d = day_of(rec, r->col[RC_LAST_ORDER]);

		if (d != INT64_MIN && d > g->last_day)
			g->last_day = d;
	}
	return REC_ROW;
}

/* How the customers tell who is at risk: the first column there is. */
static enum custagg_risk
risk_rule(const struct rep *r)
{
	return r->col[RC_BAND] >= 0      ? CUSTAGG_RISK_BAND
	    : r->col[RC_CHURN_RISK] >= 0 ? CUSTAGG_RISK_SCORE
	    : r->col[RC_TIER] >= 0       ? CUSTAGG_RISK_TIER
	                                 : CUSTAGG_RISK_NONE;
}

/*
 * custagg decides at-risk customers as rows come, so its rule must be
 * known before the first row: read_open() runs before any row, and sets
 * it from the columns.
 */
static int
read_open_rule(void *ctx, struct recin *in, size_t i, struct ci_err *e)
{
	struct reader *g = ctx;

	if (read_open(ctx, in, i, e) < 0)
		return -1;
	g->r->agg.risk = risk_rule(g->r);
	return 0;
}

static int
load_table(struct intab *t, const char *path, struct ci_err *e)
{
	struct recin_opts o = { 0 };

	return path == NULL ? 0 : intab_read(t, path, &o, e);
}

/* The rank of a traffic light, to keep the worst. */
static int
light_rank(const char *s)
{
	return strcmp(s, "red") == 0 ? 2 : strcmp(s, "yellow") == 0 ? 1 : 0;
}

/*
 * The quality reports of ci-ingest, checked for their shape and merged
 * into one: every source, the rows and rejects added up, the worst light.
 */
static int
load_quality(struct rep *r, struct ci_err *e)
{
	static const char *const light[] = { "green", "yellow", "red" };
	json_t                  *all, *srcs;
	double                   rows = 0, rejected = 0;
	int                      worst = 0;
	size_t                   i, k;

	if (r->o->nquality == 0)
		return 0;
	all = json_object();
	srcs = json_array();
	json_object_set_new(all, "sources", srcs);
	r->quality = all;
	for (i = 0; i < r->o->nquality; i++) {
		const char *path = r->o->quality[i];
		json_t     *q, *t, *s, *v;

		if ((q = intab_json(path, e)) == NULL)
			return -1;
		t = json_object_get(q, "tool");
		s = json_object_get(q, "sources");
		if (!json_is_object(q) || !json_is_string(t) ||
		    strcmp(json_string_value(t), "ci-ingest") != 0 ||
		    !json_is_array(s)) {
			json_decref(q);
			return ci_err_set(e, CI_EXIT_USAGE, path, 0,
			    "not a quality report of ci-ingest (--quality)");
		}
		for (k = 0; k < json_array_size(s); k++)
			json_array_append(srcs, json_array_get(s, k));
		v = json_object_get(q, "rows");
		rows += json_is_number(v) ? json_number_value(v) : 0;
		v = json_object_get(q, "rejected");
		rejected += json_is_number(v) ? json_number_value(v) : 0;
		v = json_object_get(q, "status");
		if (json_is_string(v) &&
		    light_rank(json_string_value(v)) > worst)
			worst = light_rank(json_string_value(v));
		json_decref(q);
	}
	json_object_set_new(all, "tool", json_string("ci-ingest"));
	json_object_set_new(all, "rows", json_real(rows));
	json_object_set_new(all, "rejected", json_real(rejected));
	json_object_set_new(all, "status", json_string(light[worst]));
	return 0;
}

static int
load_churn_eval(struct rep *r, struct ci_err *e)
{
	static const char not_eval[] =
	    "not an evaluation of ci-churn eval (--churn-eval): want its "
	    "tables 'metrics' and 'lift'";
	const char  *path = r->o->churn_eval;
	struct intab t = { 0 };
	int          js;

	if (path == NULL)
		return 0;
	if ((js = intab_is_json(path, e)) < 0)
		return -1;
	if (js)
		r->churn_eval = intab_json(path, e);
	else if (load_table(&t, path, e) == 0 && intab_col(&t, "table") < 0)
		ci_err_set(e, CI_EXIT_USAGE, path, 0, "%s", not_eval);
	else if (t.name != NULL && intab_col(&t, "table") >= 0)
		r->churn_eval = intab_tables(&t, e);
	intab_release(&t);
	if (r->churn_eval == NULL)
		return -1;
	if (!json_is_array(json_object_get(r->churn_eval, "metrics")) ||
	    !json_is_array(json_object_get(r->churn_eval, "lift")))
		return ci_err_set(e, CI_EXIT_USAGE, path, 0, "%s", not_eval);
	return 0;
}

static int
load_previous(struct rep *r, struct model *m, struct ci_err *e)
{
	if (r->o->previous == NULL)
		return 0;
	if (model_load(m, r->o->previous, "ci-report", 1, e) < 0)
		return -1;
	if (!json_is_object(json_object_get(m->root, "headline")))
		return model_broken(m, "headline", "an object", e);
	r->prev = m->root;
	return 0;
}

/*
 * The actual weeks before the outlook, from the events: for each of the
 * REP_WEEKS weeks before the outlook's first day (the day after the
 * report's date without one), the repeat purchases (days with an order
 * after the customer's first order day, as ci-score counts them) and
 * their revenue.
 */
struct wkorder {
	size_t  cust;
	int64_t day;
	double  amount;
};

static int
cmp_wkorder(const void *p, const void *q)
{
	const struct wkorder *a = p, *b = q;

	if (a->cust != b->cust)
		return a->cust < b->cust ? -1 : 1;
	return a->day < b->day ? -1 : a->day > b->day;
}

static int
read_events(struct rep *r, int64_t start, struct ci_err *e)
{
	struct recin_opts o = { 0 };
	struct recin     *in;
	struct rec        rec;
	struct hmap       ids = { 0 };
	int64_t          *first = NULL, from = start - 7 * REP_WEEKS;
	struct wkorder   *w = NULL;
	size_t            nw = 0, capw = 0, capf = 0, i, j;
	enum rec_status   st;
	int               cid, cts, ctype, camt, rc = -1;

	if ((in = recin_open(r->o->events, &o, e)) == NULL)
		return -1;
	if ((cid = recin_require(in, "customer_id", "for --events", e)) < 0 ||
	    (cts = recin_require(in, "ts", "for --events", e)) < 0)
		goto out;
	ctype = recin_find(in, "type");
	camt = recin_find(in, "amount");
	while ((st = recin_read(in, &rec, e)) == REC_ROW) {
		const char      *s, *why;
		size_t           len, c;
		struct tp_result t;
		double           amt = 0;
		int64_t          day;
		bool             is_new;

		rec_field(&rec, ctype, &s, &len);
		if (len > 0 && !(len == 5 && memcmp(s, "order", 5) == 0))
			continue;
		rec_field(&rec, cts, &s, &len);
		if (timeparse(s, len, NULL, &t, &why) < 0) {
			ci_err_set(e, CI_EXIT_DATA, recin_name(in), rec.line,
			    "bad time '%.*s' in column 'ts': %s",
			    (int)(len < 40 ? len : 40), s, why);
			goto out;
		}
		day = civil_day(t.utc);
		rec_field(&rec, camt, &s, &len);
		if (len > 0 && !numfmt_parse(s, len, &amt)) {
			ci_err_set(e, CI_EXIT_DATA, recin_name(in), rec.line,
			    "bad number '%.*s' in column 'amount'",
			    (int)(len < 40 ? len : 40), s);
			goto out;
		}
		rec_field(&rec, cid, &s, &len);
		c = hmap_intern(&ids, s, len, &is_new);
		if (is_new) {
			xgrow(&first, &capf, c + 1, sizeof(*first));
			first[c] = day;
		} else if (day < first[c]) {
			first[c] = day;
		}
		if (day >= from && day < start) {
			xgrow(&w, &capw, nw + 1, sizeof(*w));
			w[nw++] = (struct wkorder){ c, day, amt };
		}
	}
	if (st != REC_END)
		goto out;
	if (nw > 1)
		qsort(w, nw, sizeof(*w), cmp_wkorder);
	for (i = 0; i < nw; i = j) {
		double amt = 0;
		size_t wk = (size_t)((w[i].day - from) / 7);

		for (j = i;
		     j < nw && w[j].cust == w[i].cust && w[j].day == w[i].day;
		     j++)
			amt += w[j].amount;
		if (w[i].day > first[w[i].cust]) {
			r->actual.purchases[wk] += 1;
			r->actual.revenue[wk] += amt;
		}
	}
	for (i = 0; i < REP_WEEKS; i++)
		civil_format_date(r->actual.start[i], from + 7 * (int64_t)i);
	r->actual.have = true;
	rc = 0;
out:
	recin_free(in);
	hmap_release(&ids);
	free(first);
	free(w);
	return rc;
}

/* The day the outlook starts: its first row's start, or after asof. */
static int
outlook_start(struct rep *r, int64_t *day, struct ci_err *e)
{
	struct tp_result t;
	const char      *s = "", *why;
	int              c;

	if (r->o->outlook != NULL) {
		if ((c = intab_require(&r->outlook, "start", "--outlook", e)) <
		    0)
			return -1;
		if (r->outlook.nrows > 0)
			s = intab_str(&r->outlook, 0, c);
	} else {
		s = r->asof;
	}
	if (*s == '\0' || timeparse(s, strlen(s), NULL, &t, &why) < 0)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "--events needs the report's date: give --asof or "
		    "--outlook");
	*day = civil_day(t.utc) + (r->o->outlook != NULL ? 0 : 1);
	return 0;
}

/* Write the len bytes at s to dir/name, through a temporary file. */
static int
write_file(const char *dir, const char *name, const char *s, size_t len,
    struct ci_err *e)
{
	struct buf path = { 0 }, tmp = { 0 };
	FILE      *fp;
	int        rc = 0;

	buf_addf(&path, "%s/%s", dir, name);
	buf_addf(&tmp, "%s/.%s.tmp", dir, name);
	if ((fp = fopen(buf_str(&tmp), "w")) == NULL ||
	    fwrite(s, 1, len, fp) != len || fflush(fp) != 0 || ferror(fp)) {
		rc = ci_err_set(e, CI_EXIT_IO, buf_str(&path), 0,
		    "cannot write: %s", strerror(errno));
		if (fp != NULL)
			fclose(fp);
		unlink(buf_str(&tmp));
	} else if (fclose(fp) != 0 || rename(buf_str(&tmp), buf_str(&path))) {
		rc = ci_err_set(e, CI_EXIT_IO, buf_str(&path), 0,
		    "cannot write: %s", strerror(errno));
		unlink(buf_str(&tmp));
	}
	buf_release(&path);
	buf_release(&tmp);
	return rc;
}

/* The summary: the model envelope, then the members the sections set. */
static void
summary_text(struct rep *r, struct model_digest *d, struct buf *out)
{
	struct jsonw w;
	const char  *key;
	json_t      *v;

	jsonw_init(&w, out, 2);
	model_begin(&w, "ci-report", "summary", 1, d);
	json_object_foreach(r->sum, key, v)
	{
		jsonw_key(&w, key);
		jsonw_value(&w, v);
	}
	jsonw_obj_end(&w);
	buf_addc(out, '\n');
}

int
report_run(const struct report_opts *o, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, struct buf *notes, struct ci_err *e)
{
	struct rep          r;
	struct model        prev = { 0 };
	struct model_digest d;
	struct buf          sum = { 0 }, sub = { 0 };
	struct stat         st;
	int64_t             start = 0;
	int                 rc = -1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	locfmt_init(&r.fmt, o->lang, o->currency);
	r.sum = json_object();
	if (o->asof != NULL)
		snprintf(r.asof, sizeof(r.asof), "%s", o->asof);
	if (stat(o->outdir, &st) < 0 && mkdir(o->outdir, 0777) < 0) {
		ci_err_set(e, CI_EXIT_IO, o->outdir, 0,
		    "cannot make the directory: %s", strerror(errno));
		goto out;
	}
	{
		/* Replace the reader's open with the one that sets the rule. */
		struct parread_files f = *in;
		char                *paths[1] = { (char *)o->customers };
		struct reader g = { .r = &r, .asof_day = -1, .last_day = -1 };
		struct parread_reader rd = {
			.open = read_open_rule, .row = read_row, .ctx = &g
		};
		int k;

		f.paths = paths;
		f.npaths = 1;
		model_digest_init(&g.digest);
		custagg_init(&r.agg, o->active_days, CUSTAGG_RISK_NONE);
		for (k = 0; k < RC_N; k++)
			r.col[k] = -1;
		k = parread_files(&f, &rd, rj, rows, e);
		d = g.digest;
		if (k < 0)
			goto out;
		if (r.agg.customers == 0) {
			ci_err_set(e, CI_EXIT_DATA, o->customers, 0,
			    "no customers to report on");
			goto out;
		}
		if (o->asof == NULL) {
			int64_t day = g.asof_day >= 0 ? g.asof_day : g.last_day;

			if (day >= 0)
				civil_format_date(r.asof, day);
		}
	}
	custagg_finish(&r.agg);
	if (load_quality(&r, e) < 0 || load_table(&r.dedupe, o->dedupe, e) ||
	    load_table(&r.check, o->clv_check, e) ||
	    load_table(&r.tracking, o->tracking, e) ||
	    load_table(&r.outlook, o->outlook, e) ||
	    load_table(&r.profiles, o->profiles, e) ||
	    load_table(&r.recs, o->recs, e) ||
	    load_table(&r.rules, o->rules, e) ||
	    load_table(&r.rec_eval, o->rec_eval, e) ||
	    load_churn_eval(&r, e) < 0 || load_previous(&r, &prev, e) < 0)
		goto out;
	/* ci-recommend eval writes CSV in the long form of the eval modes. */
	intab_widen(&r.rec_eval, "metrics", "method");
	if (o->events != NULL &&
	    (outlook_start(&r, &start, e) < 0 || read_events(&r, start, e) < 0))
		goto out;
	json_object_set_new(r.sum, "asof", json_string(r.asof));
	json_object_set_new(
	    r.sum, "lang", json_string(o->lang == LOCFMT_ZH ? "zh" : "en"));
	json_object_set_new(r.sum, "currency", json_string(r.fmt.currency));
	buf_addstr(&sub, rep_t(&r, "customer report"));
	if (*r.asof != '\0') {
		buf_addstr(&sub, rep_t(&r, ", as of "));
		buf_addstr(&sub, r.asof);
	}
	doc_init(&r.doc, o->lang == LOCFMT_ZH ? "zh-Hans" : "en",
	    o->title != NULL ? o->title : rep_t(&r, "The morning report"),
	    buf_str(&sub));
	/* What the sales team acts on first; the data team's part last. */
	if (rep_headline(&r, e) < 0 || rep_segments(&r, e) < 0 ||
	    rep_value(&r, e) < 0 || rep_churn(&r, e) < 0 ||
	    rep_crosssell(&r, e) < 0 || rep_quality(&r, e) < 0)
		goto out;
	buf_reset(&sub);
	buf_addf(&sub, "ci-report %s · ", CI_VERSION);
	buf_addstr(&sub, rep_t(&r, "every figure is in summary.json"));
	doc_finish(&r.doc, buf_str(&sub));
	summary_text(&r, &d, &sum);
	if (write_file(o->outdir, "report.html", r.doc.html.data,
	        r.doc.html.len, e) < 0 ||
	    write_file(o->outdir, "report.md", r.doc.md.data, r.doc.md.len, e) <
	        0 ||
	    write_file(o->outdir, "summary.json", sum.data, sum.len, e) < 0)
		goto out;
	buf_addf(notes,
	    "%zu customers; report.html, report.md and "
	    "summary.json written in %s\n",
	    r.agg.customers, o->outdir);
	rc = 0;
out:
	doc_release(&r.doc);
	json_decref(r.sum);
	json_decref(r.quality);
	json_decref(r.churn_eval);
	model_free(&prev);
	custagg_release(&r.agg);
	intab_release(&r.dedupe);
	intab_release(&r.check);
	intab_release(&r.tracking);
	intab_release(&r.outlook);
	intab_release(&r.profiles);
	intab_release(&r.recs);
	intab_release(&r.rules);
	intab_release(&r.rec_eval);
	buf_release(&sum);
	buf_release(&sub);
	return rc;
}
