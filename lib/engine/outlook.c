/*
 * outlook: forecasts and tracking tables over calendar periods.  The model
 * is evaluated once per distinct (x, T) of the rows, at every period
 * boundary at once, and the rows only add their weights to their pair.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "clvsum.h"
#include "numfmt.h"
#include "outlook.h"
#include "recout.h"
#include "tz.h"
#include "xalloc.h"

int
outlook_by_parse(const char *s, enum outlook_by *by)
{
	if (strcmp(s, "week") == 0)
		*by = OUTLOOK_WEEK;
	else if (strcmp(s, "month") == 0)
		*by = OUTLOOK_MONTH;
	else
		return -1;
	return 0;
}

/* The first day of the month after the one of day d. */
static int64_t
next_month(int64_t d)
{
	int64_t  y;
	unsigned m, dd;

	civil_from_days(d, &y, &m, &dd);
	return m == 12 ? civil_to_days(y + 1, 1, 1)
	               : civil_to_days(y, m + 1, 1);
}

/* The first day after the period of by that holds day d. */
static int64_t
period_after(enum outlook_by by, int64_t anchor, int64_t d)
{
	int64_t k;

	if (by == OUTLOOK_MONTH)
		return next_month(d);
	k = d - anchor;
	k = k >= 0 ? k / 7 : -((-k + 6) / 7);
	return anchor + 7 * (k + 1);
}

void
outlook_periods(struct outlook *o, enum outlook_by by, int64_t anchor,
    int64_t from, int64_t to, bool calibration)
{
	int64_t d = from;

	while (d <= to) {
		int64_t                next = period_after(by, anchor, d);
		struct outlook_period *p;

		xgrow(&o->p, &o->cap, o->n + 1, sizeof(*o->p));
		p = &o->p[o->n++];
		memset(p, 0, sizeof(*p));
		p->d0 = d;
		p->d1 = next - 1 < to ? next - 1 : to;
		p->calibration = calibration;
		p->revenue = NAN;
		p->active = NAN;
		d = next;
	}
}

int64_t
outlook_end(enum outlook_by by, int64_t start, size_t n)
{
	int64_t d = start;
	size_t  i;

	if (by == OUTLOOK_WEEK)
		return start + 7 * (int64_t)n - 1;
	for (i = 0; i < n; i++)
		d = next_month(d);
	return d - 1;
}

/* The customers of one distinct (x, T) and their weights. */
struct pair {
	double   x, T;
	double   alive; /* the sum of their P(alive) */
	double   worth; /* the sum of P(alive) times the value per purchase */
	double   count; /* their number */
	uint32_t triple;
};

static int
cmp_pair(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return (a->T > b->T) - (a->T < b->T);
}

/*
 * The pairs of sd's rows, merged and in order, with the weights of the
 * rows that are not rejected (pr NULL: counts only).  Returns their
 * number; *out is to be freed.
 */
static size_t
pairs_of(
    const struct score_data *sd, const struct score_pred *pr, struct pair **out)
{
	struct pair *p = xreallocarray(NULL, sd->d.n + 1, sizeof(*p));
	uint32_t    *at = xreallocarray(NULL, sd->d.n + 1, sizeof(*at));
	size_t       i, n = 0;

	for (i = 0; i < sd->d.n; i++)
		p[i] = (struct pair){ sd->d.x[i], sd->d.T[i], 0, 0, 0,
			(uint32_t)i };
	qsort(p, sd->d.n, sizeof(*p), cmp_pair);
	for (i = 0; i < sd->d.n; i++) {
		if (n == 0 || cmp_pair(&p[n - 1], &p[i]) != 0)
			p[n++] = p[i];
		at[p[i].triple] = (uint32_t)(n - 1);
	}
	for (i = 0; i < sd->nrows; i++) {
		uint32_t     t = sd->row[i];
		struct pair *q;

		if (t == SCORE_REJECTED || t == SCORE_NO_PURCHASE)
			continue;
		q = &p[at[t]];
		q->count++;
		if (pr == NULL)
			continue;
		q->alive += pr->p_alive[i];
		if (isfinite(pr->value[i]))
			q->worth += pr->p_alive[i] * pr->value[i];
	}
	free(at);
	*out = p;
	return n;
}

/* Days in the model's unit. */
static double
in_unit(const struct score_model *m, int64_t days)
{
	return (double)days / m->unit_days;
}

int
outlook_conditional(struct outlook *o, const struct score_model *m,
    const struct score_data *sd, const struct score_pred *pr, struct ci_err *e)
{
	struct pair *p = NULL;
	double      *t, *ev, *sv;
	size_t       i, k, np, first = o->n, nb;
	int          rc = -1;

	for (k = 0; k < o->n && first == o->n; k++)
		if (o->p[k].d0 > o->asof)
			first = k;
	if (first == o->n)
		return 0;
	nb = o->n - first + 1;
	t = xreallocarray(NULL, 3 * nb, sizeof(*t));
	ev = t + nb;
	sv = ev + nb;
	t[0] = in_unit(m, o->p[first].d0 - 1 - o->asof);
	for (k = first; k < o->n; k++) {
		struct outlook_period *q = &o->p[k];

		t[k - first + 1] = in_unit(m, q->d1 - o->asof);
		q->purchases = q->active = 0;
		q->revenue = o->revenue ? 0 : NAN;
	}
	np = pairs_of(sd, pr, &p);
	o->customers = 0;
	for (i = 0; i < np; i++) {
		const struct pair *c = &p[i];

		o->customers += (size_t)c->count;
		if (c->count == 0)
			continue;
		if (score_expected_alive(m, c->x, c->T, t, nb, ev, e) == -1 ||
		    score_survival(m, c->x, c->T, t, nb, sv, e) == -1)
			goto out;
		for (k = first; k < o->n; k++) {
			struct outlook_period *q = &o->p[k];
			double d = ev[k - first + 1] - ev[k - first];

			q->purchases += c->alive * d;
			if (o->revenue)
				q->revenue += c->worth * d;
			q->active += c->alive * sv[k - first + 1];
		}
	}
	rc = 0;
out:
	free(t);
	free(p);
	return rc;
}

int64_t
outlook_first_day(const struct outlook *o, const struct score_model *m,
    const struct score_data *sd)
{
	double Tmax = -1;
	size_t i;

	for (i = 0; i < sd->nrows; i++) {
		uint32_t t = sd->row[i];

		if (t != SCORE_REJECTED && t != SCORE_NO_PURCHASE)
			Tmax = fmax(Tmax, sd->d.T[t]);
	}
	if (Tmax < 0)
		return o->asof + 1;
	return o->asof - (int64_t)llround(Tmax * m->unit_days);
}

int
outlook_unconditional(struct outlook *o, const struct score_model *m,
    const struct score_data *sd, struct ci_err *e)
{
	struct pair *p = NULL;
	double      *t, *ev, pa0 = 0;
	size_t       i, k, np, nb = 0, last = 0;
	int          rc = -1;

	for (k = 0; k < o->n; k++)
		if (o->p[k].d1 <= o->asof)
			nb = k + 2, last = k + 1;
	if (nb == 0)
		return 0;
	if (score_p_alive(m, 0, 0, 0, &pa0, e) == -1)
		return -1;
	t = xreallocarray(NULL, 2 * nb, sizeof(*t));
	ev = t + nb;
	np = pairs_of(sd, NULL, &p);
	for (k = 0; k < last; k++)
		o->p[k].purchases = 0;
	for (i = 0; i < np; i++) {
		/* Days from his first purchase to the boundaries. */
		double T = p[i].T, n = p[i].count;

		if (n == 0)
			continue;
		t[0] = fmax(0, in_unit(m, o->p[0].d0 - 1 - o->asof) + T);
		for (k = 0; k < last; k++)
			t[k + 1] =
			    fmax(0, in_unit(m, o->p[k].d1 - o->asof) + T);
		if (score_expected_alive(m, 0, 0, t, nb, ev, e) == -1)
			goto out;
		for (k = 0; k < last; k++)
			o->p[k].purchases += n * pa0 * (ev[k + 1] - ev[k]);
	}
	rc = 0;
out:
	free(t);
	free(p);
	return rc;
}

/* The period of day d, by bisection over o's ordered periods; -1 if none. */
static long
period_of(const struct outlook *o, int64_t d)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->p[mid].d1 < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->n && o->p[lo].d0 <= d ? (long)lo : -1;
}

static void
add_day(void *ctx, int64_t day, bool repeat)
{
	struct outlook *o = ctx;
	long            k;

	if (repeat && (k = period_of(o, day)) >= 0)
		o->p[k].actual++;
}

void
outlook_actual(struct outlook *o, struct holdout *h)
{
	size_t k;

	for (k = 0; k < o->n; k++)
		o->p[k].actual = 0;
	holdout_each_day(h, add_day, o);
}

/* A number with four decimals, as ci-score check writes its tables. */
static void
put(struct recout *w, double v)
{
	recout_fixed(w, v, 4);
}

static void
put_day(struct recout *w, int64_t d)
{
	char s[CIVIL_ISO_MAX];

	recout_str(w, s, civil_format_date(s, d));
}

static const char *const forecast_cols[] = { "period", "start", "end", "days",
	"expected_purchases", "expected_revenue", "expected_active",
	"cumulative_purchases", "cumulative_revenue" };

static const char *const tracking_cols[] = { "period", "phase", "start", "end",
	"days", "actual", "predicted", "cumulative_actual",
	"cumulative_predicted" };

int
outlook_write(const struct outlook *o, enum rec_fmt fmt, struct ci_err *e)
{
	const char    *cols[9];
	size_t         k, nc = 0;
	struct recout *w;
	double         cp = 0, cr = 0, ca = 0;
	int            rc = 0;

	for (k = 0; k < 9; k++) {
		const char *c =
		    o->tracking ? tracking_cols[k] : forecast_cols[k];

		if (o->tracking || o->revenue || strstr(c, "revenue") == NULL)
			cols[nc++] = c;
	}
	if ((w = recout_open(NULL, fmt == REC_FMT_NDJSON ? fmt : REC_FMT_CSV,
	         cols, nc, e)) == NULL)
		return -1;
	for (k = 0; k < o->n && rc == 0; k++) {
		const struct outlook_period *q = &o->p[k];

		recout_int(w, (int64_t)k + 1);
		if (o->tracking) {
			const char *ph =
			    q->calibration ? "calibration" : "holdout";

			recout_str(w, ph, strlen(ph));
		}
		put_day(w, q->d0);
		put_day(w, q->d1);
		recout_int(w, q->d1 - q->d0 + 1);
		cp += q->purchases;
		if (o->tracking) {
			ca += q->actual;
			recout_int(w, (int64_t)q->actual);
			put(w, q->purchases);
			recout_int(w, (int64_t)ca);
			put(w, cp);
		} else {
			put(w, q->purchases);
			if (o->revenue) {
				cr += q->revenue;
				put(w, q->revenue);
			}
			put(w, q->active);
			put(w, cp);
			if (o->revenue)
				put(w, cr);
		}
		rc = recout_end(w, e);
	}
	if (recout_close(w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

void
outlook_release(struct outlook *o)
{
	free(o->p);
	memset(o, 0, sizeof(*o));
}

/* The runs */

/* P(alive) and value per purchase of sd's rows into pr. */
static int
predict(const struct score_model *m, const struct score_data *sd,
    struct score_pred *pr, struct ci_err *e)
{
	struct clvsum plan = { 0 };
	int           rc;

	rc = clvsum_init(&plan, 1, m->unit_days, 0, e);
	if (rc == 0)
		rc = score_predict(m, sd, &plan, pr, e);
	clvsum_release(&plan);
	return rc;
}

static const char *
by_word(enum outlook_by by)
{
	return by == OUTLOOK_MONTH ? "month" : "week";
}

/* Whether o's forecast is degenerate, with why in *why. */
static bool
degenerate(const struct outlook *o, double total, const char **why)
{
	if (o->customers == 0)
		*why = "no customer with a purchase to forecast";
	else if (!(total > 0))
		*why = "every customer's expected purchases are 0";
	else
		return false;
	return true;
}

/*
 * The last day of the calibration: given (INT64_MIN: none) or what the
 * rows of sd say, which must agree when both are known.  Returns it, or
 * INT64_MIN with *e.
 */
static int64_t
calibration_end(int64_t given, const struct score_data *sd, struct ci_err *e)
{
	char a[CIVIL_ISO_MAX], b[CIVIL_ISO_MAX];

	if (given != INT64_MIN && sd->asof_day != INT64_MIN &&
	    given != sd->asof_day) {
		civil_format_date(a, given);
		civil_format_date(b, sd->asof_day);
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "--asof is %s but the rows were made at %s (first_order + "
		    "T on line %lu)",
		    a, b, sd->asof_line);
		return INT64_MIN;
	}
	if (given == INT64_MIN && sd->asof_day == INT64_MIN)
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "the forecast needs the last day of the calibration: give "
		    "--asof, or rows with a first_order column as ci-features "
		    "writes them");
	return given != INT64_MIN ? given : sd->asof_day;
}

int
outlook_run_forecast(const struct score_model *m, struct score_run *r,
    const struct outlook_opts *oo, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct score_pred pr = { 0 };
	struct outlook    o = { 0 };
	struct recin     *in = NULL;
	const char       *why;
	char              d0[CIVIL_ISO_MAX], d1[CIVIL_ISO_MAX];
	double            total = 0, worth = 0;
	int64_t           start;
	size_t            k;
	int               rc = -1;

	sd.want_asof = true;
	if ((in = recin_open(r->path, r->in, e)) == NULL ||
	    score_read_for(m, in, &sd, r, m->has_spend, e) == -1)
		goto out;
	if (recin_note(in) != NULL)
		buf_addf(&r->notes, "%s\n", recin_note(in));
	if ((o.asof = calibration_end(oo->asof, &sd, e)) == INT64_MIN)
		goto out;
	start = oo->start == INT64_MIN ? o.asof + 1 : oo->start;
	if (start <= o.asof) {
		civil_format_date(d0, start);
		civil_format_date(d1, o.asof);
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "--start %s is not after the calibration, which ends on %s",
		    d0, d1);
		goto out;
	}
	o.revenue = m->has_spend;
	outlook_periods(&o, oo->by, start, start,
	    outlook_end(oo->by, start, oo->periods), false);
	if (predict(m, &sd, &pr, e) == -1 ||
	    outlook_conditional(&o, m, &sd, &pr, e) == -1)
		goto out;
	for (k = 0; k < o.n; k++) {
		total += o.p[k].purchases;
		worth += o.revenue ? o.p[k].revenue : 0;
	}
	if (degenerate(&o, total, &why)) {
		if (!r->allow_degenerate) {
			ci_err_set(e, CI_EXIT_DATA, NULL, 0,
			    "the forecast is degenerate: %s; see the options "
			    "of ci-score(1)",
			    why);
			goto out;
		}
		buf_addf(&r->warnings,
		    "warning: the forecast is degenerate: %s\n", why);
	}
	if (outlook_write(&o, r->fmt, e) == -1)
		goto out;
	civil_format_date(d0, o.p[0].d0);
	civil_format_date(d1, o.p[o.n - 1].d1);
	buf_addf(&r->notes,
	    "forecast: %zu customers, %zu %s%s from %s to %s: %.1f repeat "
	    "purchases",
	    o.customers, o.n, by_word(oo->by), o.n == 1 ? "" : "s", d0, d1,
	    total);
	if (o.revenue)
		buf_addf(&r->notes, ", revenue %.2f", worth);
	else
		buf_addstr(&r->notes, " (no spend model: no revenue)");
	buf_addf(&r->notes, ", %.1f customers alive at the end\n",
	    o.p[o.n - 1].active);
	rc = 0;
out:
	recin_free(in);
	score_data_release(&sd);
	score_pred_release(&pr);
	outlook_release(&o);
	return rc;
}

int64_t
outlook_asof_day(const struct score_holdout *ho)
{
	return tz_day(ho->tz, ho->asof);
}

int
outlook_run_tracking(const struct score_model *m, struct score_run *r,
    const struct score_holdout *ho, enum outlook_by by, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct score_pred pr = { 0 };
	struct outlook    o = { 0 };
	struct recin     *in = NULL;
	double            unit = 86400.0 * m->unit_days;
	int64_t           end, first;
	int               rc = -1;

	sd.holdout = holdout_new(ho->asof,
	    ho->asof + (int64_t)(ho->horizon * unit), ho->horizon == 0, ho->tz);
	holdout_keep_all(sd.holdout);
	if (holdout_read(sd.holdout, ho->path, ho->in, r->rj, &r->rows, e) ==
	    -1)
		goto out;
	end = holdout_end(sd.holdout);
	if (end <= ho->asof) {
		ci_err_set(e, CI_EXIT_DATA, ho->path, 0,
		    "no order after the calibration to check against");
		goto out;
	}
	sd.want_asof = true;
	if ((in = recin_open(r->path, r->in, e)) == NULL ||
	    score_read_for(m, in, &sd, r, false, e) == -1)
		goto out;
	if (recin_note(in) != NULL)
		buf_addf(&r->notes, "%s\n", recin_note(in));
	o.tracking = true;
	if ((o.asof = calibration_end(tz_day(ho->tz, ho->asof), &sd, e)) ==
	    INT64_MIN)
		goto out;
	first = outlook_first_day(&o, m, &sd);
	if (first <= o.asof)
		outlook_periods(&o, by, o.asof + 1, first, o.asof, true);
	outlook_periods(
	    &o, by, o.asof + 1, o.asof + 1, tz_day(ho->tz, end), false);
	if (predict(m, &sd, &pr, e) == -1 ||
	    outlook_conditional(&o, m, &sd, &pr, e) == -1 ||
	    outlook_unconditional(&o, m, &sd, e) == -1)
		goto out;
	outlook_actual(&o, sd.holdout);
	rc = outlook_write(&o, r->fmt, e);
	if (rc == 0)
		buf_addf(&r->notes, "the holdout: %.6g %ss after --asof\n",
		    (double)(end - ho->asof) / unit,
		    m->unit_days == 1 ? "day" : "week");
out:
	recin_free(in);
	holdout_free(sd.holdout);
	score_data_release(&sd);
	score_pred_release(&pr);
	outlook_release(&o);
	return rc;
}
