/*
 * score: reading the CLV inputs of feature rows, fitting, the model file,
 * the predictions and the second pass that writes them.  The models are
 * reached through a small table of wrappers, so that the rest does not
 * depend on which one is in use.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_errno.h>

#include "bgnbd.h"
#include "civil.h"
#include "gammagamma.h"
#include "hmap.h"
#include "jsonw.h"
#include "mbgnbd.h"
#include "numfmt.h"
#include "paretonbd.h"
#include "parread.h"
#include "recin.h"
#include "recout.h"
#include "score.h"
#include "specfun.h"
#include "timeparse.h"
#include "tz.h"
#include "xalloc.h"

const char *const score_added[SCORE_NADDED] = { "p_alive", "expected_purchases",
	"expected_value", "clv", "value_score" };

const char *const score_col_names[SCORE_NCOLS] = { "customer_id", "x", "t_x",
	"T", "repeat_value", "unit" };

static const char *const kind_names[3] = { "bgnbd", "pareto", "mbgnbd" };
static const char *const kind_titles[3] = { "BG/NBD", "Pareto/NBD", "MBG/NBD" };
static const char *const par_names[3][4] = { { "r", "alpha", "a", "b" },
	{ "r", "alpha", "s", "beta" }, { "r", "alpha", "a", "b" } };
static const char *const spend_names[3] = { "p", "q", "gamma" };

/* The models behind one interface; parameters as double[4]. */

static int
fit_bg(const struct cbs *d, const struct mlfit_opts *o, double *par,
    struct mlfit_info *info, struct ci_err *e)
{
	struct bgnbd_params p;

	if (bgnbd_fit(d, o, &p, info, e) == -1)
		return -1;
	par[0] = p.r, par[1] = p.alpha, par[2] = p.a, par[3] = p.b;
	return 0;
}

static int
fit_pn(const struct cbs *d, const struct mlfit_opts *o, double *par,
    struct mlfit_info *info, struct ci_err *e)
{
	struct paretonbd_params p;

	if (paretonbd_fit(d, o, &p, info, e) == -1)
		return -1;
	par[0] = p.r, par[1] = p.alpha, par[2] = p.s, par[3] = p.beta;
	return 0;
}

static int
fit_mb(const struct cbs *d, const struct mlfit_opts *o, double *par,
    struct mlfit_info *info, struct ci_err *e)
{
	struct mbgnbd_params p;

	if (mbgnbd_fit(d, o, &p, info, e) == -1)
		return -1;
	par[0] = p.r, par[1] = p.alpha, par[2] = p.a, par[3] = p.b;
	return 0;
}

static int
alive(enum score_kind k, const double *v, double x, double tx, double T,
    double *out, struct ci_err *e)
{
	struct bgnbd_params     b = { v[0], v[1], v[2], v[3] };
	struct paretonbd_params p = { v[0], v[1], v[2], v[3] };
	struct mbgnbd_params    m = { v[0], v[1], v[2], v[3] };

	if (k == SCORE_BGNBD)
		return bgnbd_p_alive(&b, x, tx, T, out, e);
	if (k == SCORE_PARETO)
		return paretonbd_p_alive(&p, x, tx, T, out, e);
	return mbgnbd_p_alive(&m, x, tx, T, out, e);
}

static int
expect(enum score_kind k, const double *v, double x, double T, const double *t,
    size_t n, double *out, struct ci_err *e)
{
	struct bgnbd_params     b = { v[0], v[1], v[2], v[3] };
	struct paretonbd_params p = { v[0], v[1], v[2], v[3] };
	struct mbgnbd_params    m = { v[0], v[1], v[2], v[3] };

	if (k == SCORE_BGNBD)
		return bgnbd_expected_alive(&b, x, T, t, n, out, e);
	if (k == SCORE_PARETO)
		return paretonbd_expected_alive(&p, x, T, t, n, out, e);
	return mbgnbd_expected_alive(&m, x, T, t, n, out, e);
}

int
score_p_alive(const struct score_model *m, double x, double tx, double T,
    double *out, struct ci_err *e)
{
	return alive(m->kind, m->par, x, tx, T, out, e);
}

int
score_expected_alive(const struct score_model *m, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *e)
{
	return expect(m->kind, m->par, x, T, t, n, out, e);
}

int
score_survival(const struct score_model *m, double x, double T, const double *t,
    size_t n, double *out, struct ci_err *e)
{
	const double           *v = m->par;
	struct bgnbd_params     b = { v[0], v[1], v[2], v[3] };
	struct paretonbd_params p = { v[0], v[1], v[2], v[3] };
	struct mbgnbd_params    mb = { v[0], v[1], v[2], v[3] };

	if (m->kind == SCORE_BGNBD)
		return bgnbd_survival(&b, x, T, t, n, out, e);
	if (m->kind == SCORE_PARETO)
		return paretonbd_survival(&p, x, T, t, n, out, e);
	return mbgnbd_survival(&mb, x, T, t, n, out, e);
}

int
score_kind_parse(const char *s, enum score_kind *k)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum score_kind)i;
			return 0;
		}
	return -1;
}

int
score_unit_parse(const char *s, size_t len)
{
	if (len == 3 && memcmp(s, "day", 3) == 0)
		return 1;
	if (len == 4 && memcmp(s, "week", 4) == 0)
		return 7;
	return 0;
}

int
score_col_parse(const char *s)
{
	int i;

	for (i = 0; i < SCORE_NCOLS; i++)
		if (strcmp(s, score_col_names[i]) == 0)
			return i;
	return -1;
}

const char *
score_kind_title(enum score_kind k)
{
	return kind_titles[k];
}

const char *const *
score_param_names(enum score_kind k)
{
	return par_names[k];
}

void
score_model_init(struct score_model *m)
{
	size_t i;

	/*
	 * GSL's default error handler aborts the process; every GSL call
	 * here checks its status instead.  The handler is the one piece of
	 * process state GSL has, and every program that scores begins here.
	 */
	gsl_set_error_handler_off();
	memset(m, 0, sizeof(*m));
	m->kind = SCORE_BGNBD;
	m->unit_days = 7;
	m->max_iter = 2000;
	for (i = 0; i < SCORE_NCOLS; i++)
		m->col[i] = xstrdup(score_col_names[i]);
}

void
score_model_set_col(struct score_model *m, enum score_col c, const char *name)
{
	free(m->col[c]);
	m->col[c] = xstrdup(name);
}

int
score_model_set_cols(
    struct score_model *m, char *const *cols, size_t n, struct ci_err *e)
{
	char   name[32];
	size_t i;
	int    c;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(cols[i], '=');
		size_t      len = eq != NULL ? (size_t)(eq - cols[i]) : 0;

		c = -1;
		if (len > 0 && len < sizeof(name) && eq[1] != '\0') {
			memcpy(name, cols[i], len);
			name[len] = '\0';
			c = score_col_parse(name);
		}
		if (c < 0)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for --col: want customer_id, x, "
			    "t_x, T, repeat_value or unit = a column",
			    cols[i]);
		score_model_set_col(m, (enum score_col)c, eq + 1);
	}
	return 0;
}

void
score_model_release(struct score_model *m)
{
	size_t i;

	for (i = 0; i < SCORE_NCOLS; i++) {
		free(m->col[i]);
		m->col[i] = NULL;
	}
	strv_free(&m->warnings);
	strv_free(&m->spend_warnings);
	free(m->ref);
	m->ref = NULL;
	m->nref = 0;
}

/* Reading */

/*
 * The number in field c of rec into *v; an empty field is NaN when
 * may_be_empty.  Returns 0, or -1 with *e naming the column.
 */
static int
number(const struct rec *rec, int c, const char *name, bool may_be_empty,
    const char *file, double *v, struct ci_err *e)
{
	const char *s;
	size_t      len;

	rec_field(rec, c, &s, &len);
	if (len == 0) {
		*v = NAN;
		if (may_be_empty)
			return 0;
		return ci_err_set(
		    e, CI_EXIT_DATA, file, rec->line, "missing %s", name);
	}
	if (numfmt_parse(s, len, v))
		return 0;
	return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
	    "bad %s '%.*s': not a number", name, (int)(len > 60 ? 60 : len), s);
}

/* Whether x, t_x and T of rec are all empty: a customer who has not
 * bought yet. */
static bool
no_purchase(const struct rec *rec, const int *c)
{
	const char *s;
	size_t      len, i, n = 0;

	for (i = SCORE_COL_X; i <= SCORE_COL_T; i++) {
		rec_field(rec, c[i], &s, &len);
		n += len;
	}
	return n == 0;
}

/* Check one row's summary; the reasons name the columns as the user does. */
static int
check_row(const struct score_model *m, double x, double tx, double T,
    const char *file, unsigned long line, struct ci_err *e)
{
	const char *cx = m->col[SCORE_COL_X], *ctx = m->col[SCORE_COL_TX];
	const char *cT = m->col[SCORE_COL_T];

	if (!(x >= 0 && x == floor(x)))
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "bad %s '%g': not a whole number >= 0", cx, x);
	if (x > 1e9)
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "bad %s '%g': more than 1e9 purchases", cx, x);
	if (!(T >= 0))
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "bad %s '%g': negative", cT, T);
	if (!(tx >= 0))
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "bad %s '%g': negative", ctx, tx);
	if (tx > T)
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "%s '%g' is after %s '%g'", ctx, tx, cT, T);
	if (x == 0 && tx != 0)
		return ci_err_set(e, CI_EXIT_DATA, file, line,
		    "%s '%g' is not 0 though %s is 0", ctx, tx, cx);
	return 0;
}

static const char *
unit_word(int days)
{
	return days == 1 ? "day" : "week";
}

/*
 * Check the unit field (column c) of rec against sd->unit, which the
 * first row sets when it is 0.  An empty field says nothing.  Returns 0,
 * or -1 with *e: CI_EXIT_DATA for a word that is no unit (the row is
 * rejected), CI_EXIT_USAGE for a row in another unit (the reading stops).
 */
static int
check_unit(struct score_data *sd, const struct rec *rec, int c,
    const struct score_model *m, const char *file, struct ci_err *e)
{
	const char *s;
	size_t      len;
	int         u;

	rec_field(rec, c, &s, &len);
	if (len == 0)
		return 0;
	if ((u = score_unit_parse(s, len)) == 0)
		return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "bad %s '%.*s': want 'day' or 'week'",
		    m->col[SCORE_COL_UNIT], (int)(len > 60 ? 60 : len), s);
	if (sd->unit == 0) {
		sd->unit = u;
		sd->unit_line = rec->line;
		return 0;
	}
	if (u == sd->unit)
		return 0;
	if (sd->unit_of == NULL)
		return ci_err_set(e, CI_EXIT_USAGE, file, rec->line,
		    "the row is in %ss ('%s' is '%s') but the rows before it "
		    "(from line %lu) are in %ss: one time unit per input",
		    unit_word(u), m->col[SCORE_COL_UNIT], unit_word(u),
		    sd->unit_line, unit_word(sd->unit));
	return ci_err_set(e, CI_EXIT_USAGE, file, rec->line,
	    "the row is in %ss ('%s' is '%s') but %s %ss%s", unit_word(u),
	    m->col[SCORE_COL_UNIT], unit_word(u), sd->unit_of,
	    unit_word(sd->unit),
	    strncmp(sd->unit_of, "the model", 9) == 0
	        ? (u == 1 ? ": give --unit day to convert them"
	                  : ": give --unit week to convert them")
	        : "");
}

/* Remember record number sd->nrows: its triple (or rejected) and value. */
static void
keep_row(struct score_data *sd, uint32_t triple, double value)
{
	size_t old = sd->cap;

	xgrow(&sd->row, &sd->cap, sd->nrows + 1, sizeof(*sd->row));
	if (sd->cap != old) {
		sd->value = xreallocarray(sd->value, sd->cap, sizeof(double));
		if (sd->holdout != NULL)
			sd->actual =
			    xreallocarray(sd->actual, sd->cap, sizeof(double));
	}
	if (sd->holdout != NULL)
		sd->actual[sd->nrows] = NAN;
	sd->row[sd->nrows] = triple;
	sd->value[sd->nrows] = value;
	sd->nrows++;
}

/* Reading rows into a score_data: the columns bound, and what to keep. */
struct reading {
	struct score_data        *sd;
	const struct score_model *m;
	int                       c[SCORE_NCOLS];
	int                       first; /* first_order, with want_asof */
	bool                      need_value;
	bool                      want_spend;
};

/*
 * With want_asof: the last day of the calibration that the row's
 * first_order and T (in days) make, the same as the rows' before.
 * Returns 0, -1 with *e for a row to reject, or -2 with *e when the rows
 * disagree.
 */
static int
check_asof(struct score_data *sd, const struct rec *rec, int c, double T,
    const char *file, struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, NULL };
	struct tp_result t;
	const char      *s, *why;
	size_t           len;
	int64_t          day;
	char             a[CIVIL_ISO_MAX], b[CIVIL_ISO_MAX];

	rec_field(rec, c, &s, &len);
	if (len == 0)
		return 0;
	if (timeparse(s, len, &tp, &t, &why) < 0)
		return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "bad first_order '%.*s': %s", (int)(len > 60 ? 60 : len), s,
		    why);
	day = civil_day(t.utc) + llround(T * (sd->unit ? sd->unit : 7));
	if (sd->asof_day == INT64_MIN) {
		sd->asof_day = day;
		sd->asof_line = rec->line;
	} else if (day != sd->asof_day) {
		civil_format_date(a, day);
		civil_format_date(b, sd->asof_day);
		ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "first_order + T is %s here but %s on line %lu: the rows "
		    "are not of one point in time (give --asof)",
		    a, b, sd->asof_line);
		return -2;
	}
	return 0;
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading           *g = ctx;
	struct score_data        *sd = g->sd;
	const struct score_model *m = g->m;
	const int                *c = g->c;
	const int dc[4] = { c[SCORE_COL_X], c[SCORE_COL_TX], c[SCORE_COL_T],
		c[SCORE_COL_VALUE] };
	double    x, tx, T, v = NAN;
	long      t;

	if (c[SCORE_COL_UNIT] >= 0 &&
	    check_unit(sd, rec, c[SCORE_COL_UNIT], m, file, e) == -1)
		return e->code == CI_EXIT_USAGE ? REC_FAIL : REC_BAD;
	if (no_purchase(rec, c)) {
		keep_row(sd, SCORE_NO_PURCHASE, NAN);
		return REC_ROW;
	}
	if (number(rec, c[SCORE_COL_X], m->col[SCORE_COL_X], false, file, &x,
	        e) < 0 ||
	    number(rec, c[SCORE_COL_TX], m->col[SCORE_COL_TX], false, file, &tx,
	        e) < 0 ||
	    number(rec, c[SCORE_COL_T], m->col[SCORE_COL_T], false, file, &T,
	        e) < 0 ||
	    (c[SCORE_COL_VALUE] >= 0 &&
	        number(rec, c[SCORE_COL_VALUE], m->col[SCORE_COL_VALUE], true,
	            file, &v, e) < 0) ||
	    check_row(m, x, tx, T, file, rec->line, e) < 0)
		return REC_BAD;
	if (g->first >= 0 &&
	    (t = check_asof(sd, rec, g->first, T, file, e)) < 0)
		return t == -1 ? REC_BAD : REC_FAIL;
	if (sd->to_unit != 0 && sd->to_unit != sd->unit) {
		tx = tx * sd->unit / sd->to_unit;
		T = T * sd->unit / sd->to_unit;
	}
	if ((t = cbs_acc_add(&sd->acc, x, tx, T, 1, e)) < 0)
		return REC_BAD;
	model_digest_rec(&sd->digest, rec, dc, g->need_value ? 4 : 3);
	keep_row(sd, (uint32_t)t, v);
	if (sd->holdout != NULL) {
		const char *id;
		size_t      idlen;

		rec_field(rec, c[SCORE_COL_ID], &id, &idlen);
		sd->actual[sd->nrows - 1] =
		    (double)holdout_days(sd->holdout, id, idlen);
	}
	if (g->want_spend && x > 0) {
		if (v > 0)
			cbs_spend_acc_add(&sd->sacc, x, v, 1, NULL);
		else
			sd->spend_left_out++;
	}
	return REC_ROW;
}

/* A rejected row keeps its place, so that the second reading agrees. */
static void
read_rejected(void *ctx)
{
	struct reading *g = ctx;

	keep_row(g->sd, SCORE_REJECTED, NAN);
}

int
score_read(struct score_data *sd, struct recin *in, const struct score_model *m,
    bool need_value, bool want_spend, struct rejects *rj, uint64_t *rows,
    struct ci_err *e)
{
	struct reading g = { sd, m, { 0 }, -1, need_value, want_spend };
	const struct parread_reader rd = {
		.row = read_row, .rejected = read_rejected, .ctx = &g
	};
	int   *c = g.c;
	size_t i;
	bool   empty = recin_ncols(in) == 0;

	model_digest_init(&sd->digest);
	cbs_acc_init(&sd->acc);
	cbs_spend_acc_init(&sd->sacc);
	for (i = SCORE_COL_X; i <= SCORE_COL_T; i++)
		if ((c[i] = recin_require(in, m->col[i], NULL, e)) < 0 &&
		    !empty)
			return -1;
	c[SCORE_COL_ID] = recin_find(in, m->col[SCORE_COL_ID]);
	c[SCORE_COL_UNIT] = recin_find(in, m->col[SCORE_COL_UNIT]);
	sd->asof_day = INT64_MIN;
	if (sd->want_asof)
		g.first = recin_find(in, "first_order");
	/* The value is read only when a spend model needs it. */
	c[SCORE_COL_VALUE] =
	    need_value ? recin_find(in, m->col[SCORE_COL_VALUE]) : -1;
	if (need_value && c[SCORE_COL_VALUE] < 0 && !empty) {
		recin_require(
		    in, m->col[SCORE_COL_VALUE], "for the spend model", e);
		return -1;
	}
	if (sd->holdout != NULL && c[SCORE_COL_ID] < 0 && !empty) {
		recin_require(in, m->col[SCORE_COL_ID], "for the check", e);
		return -1;
	}
	return parread_input(in, &rd, NULL, rj, NULL, rows, e);
}

void
score_data_freeze(struct score_data *sd)
{
	cbs_acc_freeze(&sd->acc, &sd->d);
	cbs_spend_acc_freeze(&sd->sacc, &sd->s);
}

void
score_data_release(struct score_data *sd)
{
	cbs_release(&sd->d);
	cbs_spend_release(&sd->s);
	cbs_acc_release(&sd->acc);
	cbs_spend_acc_release(&sd->sacc);
	free(sd->row);
	free(sd->value);
	free(sd->actual);
	memset(sd, 0, sizeof(*sd));
}

/* Fitting */

static int (*const fit_fn[3])(const struct cbs *, const struct mlfit_opts *,
    double *, struct mlfit_info *,
    struct ci_err *) = { fit_bg, fit_pn, fit_mb };

/*
 * --model auto: each model in turn, the converged fit of the highest
 * log-likelihood kept (the first of equals); the three have four
 * parameters each, so the likelihood alone compares them.  When none
 * converges, the BG/NBD's fit stands, for score_fit_checked() to report.
 */
static int
fit_best(struct score_model *m, const struct cbs *d, const struct mlfit_opts *o,
    struct ci_err *e)
{
	struct mlfit_info info;
	double            par[4];
	int               k, best = -1;

	for (k = 0; k < 3; k++) {
		m->cand_ll[k] = NAN;
		if (fit_fn[k](d, o, par, &info, e) == -1 || !info.converged)
			continue;
		m->cand_ll[k] = info.loglik;
		if (best >= 0 && !(info.loglik > m->cand_ll[best]))
			continue;
		best = k;
		m->kind = (enum score_kind)k;
		memcpy(m->par, par, sizeof(par));
		m->info = info;
	}
	if (best >= 0)
		return 0;
	m->kind = SCORE_BGNBD;
	return fit_bg(d, o, m->par, &m->info, e);
}

/* Whether a parameter, in the scale the fit searched it in, is at a
 * boundary: above 1e4 or below 1e-4 (ordinary fits stay within 1e-2 and
 * 1e2). */
#define BOUND_HI 1e4
#define BOUND_LO 1e-4

/*
 * The fit's diagnostics into out, as sentences: parameters that ran to a
 * boundary, read as what the limit means for the customers, and a flat
 * likelihood (no standard errors).  v are the parameters of the model
 * called title, names their names, scale the factor to the search's scale
 * (1 / max T for a time), and pair the kind of the two last parameters:
 * 'b' beta dropout (BG/NBD, MBG/NBD), 'p' Pareto lifetime, 's' spend.
 */
static void
diagnose(const char *title, const char *const *names, const double *v,
    const double *scale, size_t k, const struct mlfit_info *info, int pair,
    const char *unit, struct strv *out)
{
	const char *remedy = pair == 's'
	    ? "; the predictions are those of that limit (--penalizer 0.001 "
	      "keeps the parameters finite)"
	    : "; the predictions are those of that limit (--penalizer 0.001 "
	      "keeps the parameters finite; --model auto compares the models)";
	struct buf  b = { 0 };
	bool        hi[4] = { false }, lo[4] = { false }, said[4] = { false };
	bool        flat = false;
	size_t      i, n0 = out->n;

	for (i = 0; i < k; i++) {
		hi[i] = v[i] * scale[i] >= BOUND_HI;
		lo[i] = v[i] * scale[i] <= BOUND_LO;
	}
	if (pair != 's' && hi[0] && hi[1]) {
		buf_addf(&b,
		    "%s: r and alpha run to infinity (r %.3g, alpha %.3g): "
		    "every customer buys at the same rate, r / alpha = %.4g "
		    "a %s%s",
		    title, v[0], v[1], v[0] / v[1], unit, remedy);
		strv_add(out, buf_str(&b), false);
		said[0] = said[1] = true;
	}
	buf_reset(&b);
	if (pair == 'b' && hi[2] && hi[3])
		buf_addf(&b,
		    "%s: a and b run to infinity (a %.3g, b %.3g): every "
		    "customer drops out with the same probability after each "
		    "purchase, a / (a + b) = %.4g%s",
		    title, v[2], v[3], v[2] / (v[2] + v[3]), remedy);
	else if (pair == 'p' && hi[2] && hi[3])
		buf_addf(&b,
		    "%s: s and beta run to infinity (s %.3g, beta %.3g): "
		    "every customer's lifetime ends at the same rate, s / beta "
		    "= %.4g a %s%s",
		    title, v[2], v[3], v[2] / v[3], unit, remedy);
	else if (pair != 's' && (lo[2] || hi[3]))
		buf_addf(&b,
		    "%s: %s runs to %s (%s %.3g): there is no sign of "
		    "dropping out in these data%s",
		    title, lo[2] ? names[2] : names[3],
		    lo[2] ? "0" : "infinity", lo[2] ? names[2] : names[3],
		    lo[2] ? v[2] : v[3], remedy);
	else if (pair == 's' && hi[1] && hi[2])
		buf_addf(&b,
		    "%s: q and gamma run to infinity (q %.3g, gamma %.3g): "
		    "every customer spends the same on average, gamma p / "
		    "(q - 1) = %.4g%s",
		    title, v[1], v[2], v[2] * v[0] / (v[1] - 1), remedy);
	if (b.len > 0) {
		strv_add(out, buf_str(&b), false);
		said[pair == 's' ? 1 : 2] = said[pair == 's' ? 2 : 3] = true;
	}
	if (pair == 's' && hi[0]) {
		buf_reset(&b);
		buf_addf(&b,
		    "%s: p runs to infinity (p %.3g): each customer's "
		    "purchases are all worth the same%s",
		    title, v[0], remedy);
		strv_add(out, buf_str(&b), false);
		said[0] = true;
	}
	/* gamma is money, whose scale no boundary fits. */
	if (pair == 's')
		said[2] = true;
	for (i = 0; i < k; i++) {
		if (said[i] || !(hi[i] || lo[i]))
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s: %s runs to %s (%s %.3g)%s", title, names[i],
		    hi[i] ? "infinity" : "0", names[i], v[i], remedy);
		strv_add(out, buf_str(&b), false);
		said[i] = true;
	}
	for (i = 0; i < k; i++)
		flat = flat || isnan(info->se[i]);
	if (flat && out->n == n0) {
		buf_reset(&b);
		buf_addf(&b,
		    "%s: the likelihood is flat at the estimate (no standard "
		    "errors): these data do not pin the parameters down "
		    "(--penalizer 0.001, or another --model)",
		    title);
		strv_add(out, buf_str(&b), false);
	}
	buf_release(&b);
}

int
score_fit(struct score_model *m, const struct score_data *sd, bool spend,
    struct ci_err *e)
{
	struct mlfit_opts        o = { m->penalizer, m->max_iter, 0 };
	struct gammagamma_params g;
	const double             one[4] = { 1, 1, 1, 1 };
	double                   sc[4];

	if (sd->d.n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no customers to fit the model to");
	if (m->auto_kind
	        ? fit_best(m, &sd->d, &o, e) == -1
	        : fit_fn[m->kind](&sd->d, &o, m->par, &m->info, e) == -1)
		return -1;
	/* The scales of the search: alpha and beta in units of max T. */
	sc[0] = sc[2] = 1;
	sc[1] = 1 / sd->d.max_T;
	sc[3] = m->kind == SCORE_PARETO ? 1 / sd->d.max_T : 1;
	strv_free(&m->warnings);
	strv_free(&m->spend_warnings);
	diagnose(kind_titles[m->kind], par_names[m->kind], m->par, sc, 4,
	    &m->info, m->kind == SCORE_PARETO ? 'p' : 'b',
	    m->unit_days == 1 ? "day" : "week", &m->warnings);
	m->has_spend = false;
	if (!spend)
		return 0;
	if (sd->s.n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no customers with repeat purchases and a positive '%s' "
		    "to fit the spend model to (--spend none goes without)",
		    m->col[SCORE_COL_VALUE]);
	if (gammagamma_fit(&sd->s, &o, &g, &m->spend_info, e) == -1)
		return -1;
	m->has_spend = true;
	m->spend[0] = g.p, m->spend[1] = g.q, m->spend[2] = g.gamma;
	m->spend_left_out = sd->spend_left_out;
	diagnose("Gamma-Gamma", spend_names, m->spend, one, 3, &m->spend_info,
	    's', "", &m->spend_warnings);
	/* Note 025, eq. 5: the mean spend of a customer without repeat
	 * purchases, gamma p / (q - 1), is infinite for q <= 1. */
	if (!(g.q > 1)) {
		struct buf b = { 0 };

		buf_addf(&b,
		    "Gamma-Gamma: q is at most 1 (q %.3g): the mean spend of a "
		    "customer without repeat purchases is infinite, so his "
		    "expected_value, clv and value_score are empty (a smaller "
		    "--penalizer, or none, keeps q above 1)",
		    g.q);
		strv_add(&m->spend_warnings, buf_str(&b), false);
		buf_release(&b);
	}
	return 0;
}

/* The last state of a fit that did not converge, and what to try. */
static int
not_converged(const struct score_model *m, bool spend, struct ci_err *e)
{
	const struct mlfit_info *in = spend ? &m->spend_info : &m->info;
	const char *const       *pn = spend ? spend_names : par_names[m->kind];
	const double            *v = spend ? m->spend : m->par;
	struct buf               b = { 0 };
	size_t                   i;

	for (i = 0; i < (spend ? 3u : 4u); i++)
		buf_addf(&b, "%s%s %.6g", i ? ", " : "", pn[i], v[i]);
	ci_err_set(e, CI_EXIT_DATA, NULL, 0,
	    "the %s fit did not converge in %zu iterations (largest "
	    "gradient %.3g; last state %s); try a larger --max-iter, or "
	    "--penalizer 0.001 if parameters run off to extremes",
	    spend ? "Gamma-Gamma" : kind_titles[m->kind], in->iterations,
	    in->grad_max, buf_str(&b));
	buf_release(&b);
	return -1;
}

int
score_fit_checked(
    struct score_model *m, struct score_data *sd, bool spend, struct ci_err *e)
{
	score_data_freeze(sd);
	if (score_fit(m, sd, spend, e) == -1)
		return -1;
	if (!m->info.converged)
		return not_converged(m, false, e);
	if (m->has_spend && !m->spend_info.converged)
		return not_converged(m, true, e);
	return 0;
}

void
score_summary(const struct score_model *m, struct buf *out)
{
	size_t k;

	if (m->auto_kind) {
		buf_addstr(out, "--model auto by log-likelihood:");
		for (k = 0; k < 3; k++) {
			buf_addf(out, "%s %s ", k ? "," : "", kind_titles[k]);
			if (isnan(m->cand_ll[k]))
				buf_addstr(out, "no fit");
			else
				buf_addf(out, "%.6g", m->cand_ll[k]);
		}
		buf_addc(out, '\n');
	}
	buf_addf(out,
	    "%s: %zu customers (%zu distinct), log-likelihood %.6g, %zu "
	    "iterations",
	    kind_titles[m->kind], m->info.n_customers, m->info.n_distinct,
	    m->info.loglik, m->info.iterations);
	if (m->has_spend)
		buf_addf(out,
		    "; Gamma-Gamma: %zu customers, %zu left out without a "
		    "positive '%s'",
		    m->spend_info.n_customers, m->spend_left_out,
		    m->col[SCORE_COL_VALUE]);
}

void
score_warnings(const struct score_model *m, struct buf *out)
{
	size_t i;

	for (i = 0; i < m->warnings.n; i++)
		buf_addf(out, "warning: %s\n", m->warnings.v[i]);
	for (i = 0; i < m->spend_warnings.n; i++)
		buf_addf(out, "warning: %s\n", m->spend_warnings.v[i]);
}

/* The model file */

static void
write_named(struct jsonw *w, const char *key, const char *const *names,
    const double *v, size_t n)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_obj_begin(w);
	for (i = 0; i < n; i++) {
		jsonw_key(w, names[i]);
		jsonw_double(w, v[i]);
	}
	jsonw_obj_end(w);
}

static void
write_fit(struct jsonw *w, const struct mlfit_info *info,
    const struct strv *warnings, const double *cand)
{
	size_t i;

	jsonw_key(w, "fit");
	jsonw_obj_begin(w);
	jsonw_key(w, "loglik");
	jsonw_double(w, info->loglik);
	jsonw_key(w, "iterations");
	jsonw_int(w, (int64_t)info->iterations);
	jsonw_key(w, "converged");
	jsonw_bool(w, info->converged);
	jsonw_key(w, "gradient");
	jsonw_double(w, info->grad_max);
	jsonw_key(w, "customers");
	jsonw_int(w, (int64_t)info->n_customers);
	jsonw_key(w, "distinct");
	jsonw_int(w, (int64_t)info->n_distinct);
	if (cand != NULL)
		write_named(w, "candidates", kind_names, cand, 3);
	jsonw_key(w, "warnings");
	jsonw_arr_begin(w);
	for (i = 0; i < warnings->n; i++)
		jsonw_str(w, warnings->v[i]);
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

static void
write_ref(struct jsonw *w, const struct score_model *m)
{
	size_t i;

	jsonw_key(w, "value_score");
	if (!m->has_ref) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_begin(w);
	jsonw_key(w, "horizon");
	jsonw_double(w, m->ref_horizon);
	jsonw_key(w, "discount_rate");
	jsonw_double(w, m->ref_discount);
	jsonw_key(w, "customers");
	jsonw_int(w, (int64_t)m->ref_customers);
	jsonw_key(w, "reference");
	jsonw_arr_begin(w);
	for (i = 0; i < m->nref; i++)
		jsonw_double(w, m->ref[i]);
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

void
score_model_write(
    const struct score_model *m, struct score_data *sd, struct buf *out)
{
	struct jsonw w;
	size_t       i;

	jsonw_init(&w, out, 2);
	model_begin(&w, "ci-score", kind_names[m->kind], SCORE_FORMAT_VERSION,
	    &sd->digest);
	jsonw_key(&w, "options");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "unit");
	jsonw_str(&w, m->unit_days == 1 ? "day" : "week");
	jsonw_key(&w, "columns");
	jsonw_obj_begin(&w);
	for (i = 0; i < SCORE_NCOLS; i++) {
		jsonw_key(&w, score_col_names[i]);
		jsonw_str(&w, m->col[i]);
	}
	jsonw_obj_end(&w);
	jsonw_key(&w, "model");
	jsonw_str(&w, m->auto_kind ? "auto" : kind_names[m->kind]);
	jsonw_key(&w, "penalizer");
	jsonw_double(&w, m->penalizer);
	jsonw_key(&w, "max_iter");
	jsonw_int(&w, (int64_t)m->max_iter);
	jsonw_obj_end(&w);
	write_named(&w, "parameters", par_names[m->kind], m->par, 4);
	write_named(&w, "standard_errors", par_names[m->kind], m->info.se, 4);
	write_fit(&w, &m->info, &m->warnings, m->auto_kind ? m->cand_ll : NULL);
	jsonw_key(&w, "spend");
	if (!m->has_spend) {
		jsonw_null(&w);
	} else {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "kind");
		jsonw_str(&w, "gamma-gamma");
		write_named(&w, "parameters", spend_names, m->spend, 3);
		write_named(
		    &w, "standard_errors", spend_names, m->spend_info.se, 3);
		write_fit(&w, &m->spend_info, &m->spend_warnings, NULL);
		jsonw_key(&w, "left_out");
		jsonw_int(&w, (int64_t)m->spend_left_out);
		jsonw_obj_end(&w);
	}
	write_ref(&w, m);
	jsonw_obj_end(&w);
}

/* Parameters at "key.name" for each name, each a number > 0. */
static int
load_params(const struct model *mf, const char *key, const char *const *names,
    double *v, size_t n, struct ci_err *e)
{
	char   path[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s.%s", key, names[i]);
		if (model_number(mf, path, &v[i], e) == -1)
			return -1;
		if (!(v[i] > 0 && isfinite(v[i])))
			return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
			    "broken model: \"%s\" is not a number > 0", path);
	}
	return 0;
}

/* The warnings at "key" (format 2), each a string. */
static int
load_warnings(
    const struct model *mf, const char *key, struct strv *out, struct ci_err *e)
{
	json_t *a = model_get(mf, key, e), *x;
	size_t  i;

	if (a == NULL)
		return -1;
	if (!json_is_array(a))
		return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
		    "broken model: \"%s\" is not a list of strings", key);
	json_array_foreach(a, i, x)
	{
		if (!json_is_string(x))
			return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
			    "broken model: \"%s\" is not a list of strings",
			    key);
		strv_add(out, json_string_value(x), false);
	}
	return 0;
}

/*
 * value_score's reference (format 2): null without a spend model, else a
 * horizon > 0, a discount rate >= 0 and an increasing list of numbers.
 */
static int
load_ref(struct score_model *m, const struct model *mf, struct ci_err *e)
{
	json_t *r = model_get(mf, "value_score", e), *a;
	double  v;
	size_t  i;

	if (r == NULL)
		return -1;
	if (json_is_null(r))
		return 0;
	if (model_number(mf, "value_score.horizon", &m->ref_horizon, e) == -1 ||
	    model_number(
	        mf, "value_score.discount_rate", &m->ref_discount, e) == -1 ||
	    model_number(mf, "value_score.customers", &v, e) == -1 ||
	    (a = model_get(mf, "value_score.reference", e)) == NULL)
		return -1;
	if (!(m->ref_horizon > 0 && isfinite(m->ref_horizon) &&
	        m->ref_discount >= 0 && isfinite(m->ref_discount) && v >= 1))
		return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
		    "broken model: \"value_score\" has a bad horizon, "
		    "discount rate or count");
	m->ref_customers = (size_t)v;
	m->nref = json_is_array(a) ? json_array_size(a) : 0;
	if (m->nref == 0 || m->nref > SCORE_REF_MAX)
		return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
		    "broken model: \"value_score.reference\" is not a list "
		    "of 1 to %d numbers",
		    SCORE_REF_MAX);
	m->ref = xreallocarray(NULL, m->nref, sizeof(*m->ref));
	for (i = 0; i < m->nref; i++) {
		json_t *x = json_array_get(a, i);

		m->ref[i] = json_is_number(x) ? json_number_value(x) : NAN;
		if (!isfinite(m->ref[i]) ||
		    (i > 0 && m->ref[i] < m->ref[i - 1]))
			return ci_err_set(e, CI_EXIT_MODEL, mf->path, 0,
			    "broken model: \"value_score.reference\" is not "
			    "an increasing list of numbers");
	}
	m->has_ref = true;
	return 0;
}

int
score_model_load(struct score_model *m, const char *path, struct ci_err *e)
{
	struct model mf;
	const char  *s;
	char         key[64];
	json_t      *sp;
	double       v;
	size_t       i;
	int          rc = -1;

	if (model_load(&mf, path, "ci-score", SCORE_FORMAT_VERSION, e) == -1)
		return -1;
	m->format_version = mf.format_version;
	if (score_kind_parse(mf.kind, &m->kind) == -1) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: unknown kind '%s'", mf.kind);
		goto out;
	}
	if ((s = model_string(&mf, "options.unit", e)) == NULL)
		goto out;
	if (score_unit_parse(s, strlen(s)) == 0) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: unknown unit '%s'", s);
		goto out;
	}
	m->unit_days = score_unit_parse(s, strlen(s));
	/* Format 1 had no unit column: its default name stays. */
	for (i = 0; i < (mf.format_version >= 2 ? SCORE_NCOLS : SCORE_COL_UNIT);
	     i++) {
		snprintf(
		    key, sizeof(key), "options.columns.%s", score_col_names[i]);
		if ((s = model_string(&mf, key, e)) == NULL)
			goto out;
		score_model_set_col(m, (enum score_col)i, s);
	}
	if (model_number(&mf, "options.penalizer", &m->penalizer, e) == -1 ||
	    model_number(&mf, "options.max_iter", &v, e) == -1 ||
	    load_params(&mf, "parameters", par_names[m->kind], m->par, 4, e) ==
	        -1)
		goto out;
	m->max_iter = v >= 0 ? (size_t)v : 0;
	if ((sp = model_get(&mf, "spend", e)) == NULL)
		goto out;
	m->has_spend = !json_is_null(sp);
	if (m->has_spend &&
	    ((s = model_string(&mf, "spend.kind", e)) == NULL ||
	        strcmp(s, "gamma-gamma") != 0)) {
		if (s != NULL)
			ci_err_set(e, CI_EXIT_MODEL, path, 0,
			    "broken model: unknown spend kind '%s', not "
			    "'gamma-gamma'",
			    s);
		goto out;
	}
	if (m->has_spend &&
	    load_params(&mf, "spend.parameters", spend_names, m->spend, 3, e) ==
	        -1)
		goto out;
	if (mf.format_version >= 2 &&
	    (load_warnings(&mf, "fit.warnings", &m->warnings, e) == -1 ||
	        (m->has_spend &&
	            load_warnings(&mf, "spend.fit.warnings", &m->spend_warnings,
	                e) == -1) ||
	        load_ref(m, &mf, e) == -1))
		goto out;
	if (m->has_spend && mf.format_version >= 2 && !m->has_ref) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: a spend model without \"value_score\"");
		goto out;
	}
	rc = 0;
out:
	model_free(&mf);
	return rc;
}

/* Predicting */

/* The (x, T) pair of triple i as a key. */
static size_t
pair_of(struct hmap *h, const struct cbs *d, size_t i)
{
	uint64_t key[2] = { d->xi[i], d->Ti[i] };

	return hmap_intern(h, (const char *)key, sizeof(key), NULL);
}

/*
 * value_score against the reference y[0..n-1] (increasing): with L values
 * below v and E equal to it, 100 (L + (E - 1) / 2) / (n - 1), within 0 and
 * 100.  On the reference's own values, when it holds every customer's
 * clv, this is the percentile rank among them: the lowest 0, the highest
 * 100, ties the mean of their places; a value between two neighbours
 * scores half way between their scores.  A lone reference value scores
 * 50, values below and above it 0 and 100.
 */
static double
ref_score(const double *y, size_t n, double v)
{
	size_t lo = 0, hi = n, L, E;
	double s;

	if (!isfinite(v) || n == 0)
		return NAN;
	while (lo < hi) { /* the first value >= v */
		size_t mid = lo + (hi - lo) / 2;

		if (y[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	L = lo;
	for (hi = L; hi < n && y[hi] == v; hi++)
		;
	E = hi - L;
	if (n == 1)
		return E ? 50 : L ? 100 : 0;
	s = 100 * ((double)L + ((double)E - 1) / 2) / (double)(n - 1);
	return s < 0 ? 0 : s > 100 ? 100 : s;
}

/*
 * Discounted purchases per distinct (x, T) pair for the plan pl, into
 * disc[pair], and the purchases at its end into eh[pair] when eh is not
 * NULL; pi maps each triple to its pair.
 */
static int
pair_sums(const struct score_model *m, const struct cbs *d, const size_t *pi,
    size_t np, const struct clvsum *pl, double *eh, double *disc,
    struct ci_err *e)
{
	double *E = xmalloc(pl->n * sizeof(*E));
	bool   *done = xcalloc(np ? np : 1, sizeof(*done));
	size_t  i;
	int     rc = 0;

	for (i = 0; i < d->n && rc == 0; i++) {
		size_t p = pi[i];

		if (done[p])
			continue;
		done[p] = true;
		rc = expect(
		    m->kind, m->par, d->x[i], d->T[i], pl->t, pl->n, E, e);
		if (eh != NULL)
			eh[p] = E[pl->n - 1];
		disc[p] = clvsum_discounted(pl, E);
	}
	free(E);
	free(done);
	return rc;
}

int
score_predict(const struct score_model *m, const struct score_data *sd,
    const struct clvsum *plan, struct score_pred *pr, struct ci_err *e)
{
	const struct cbs        *d = &sd->d;
	struct gammagamma_params g = { m->spend[0], m->spend[1], m->spend[2] };
	struct hmap              pairs = { 0 };
	struct clvsum            rp = { 0 };
	double                  *pa = xmalloc((d->n ? d->n : 1) * sizeof(*pa));
	double                  *eh = NULL, *disc = NULL, *rdisc = NULL;
	size_t                  *pi = xmalloc((d->n ? d->n : 1) * sizeof(*pi));
	size_t                   i, np, n = sd->nrows;
	bool                     own_ref = false;
	int                      rc = -1;

	pr->n = n;
	pr->p_alive = xmalloc((n ? n : 1) * sizeof(double));
	pr->expected = xmalloc((n ? n : 1) * sizeof(double));
	pr->value = xmalloc((n ? n : 1) * sizeof(double));
	pr->clv = xmalloc((n ? n : 1) * sizeof(double));
	pr->score = xmalloc((n ? n : 1) * sizeof(double));
	pr->ref_clv = xmalloc((n ? n : 1) * sizeof(double));
	for (i = 0; i < d->n; i++) {
		if (alive(m->kind, m->par, d->x[i], d->tx[i], d->T[i], &pa[i],
		        e) == -1)
			goto out;
		pi[i] = pair_of(&pairs, d, i);
	}
	np = hmap_count(&pairs);
	eh = xmalloc((np ? np : 1) * sizeof(*eh));
	disc = xmalloc((np ? np : 1) * sizeof(*disc));
	if (pair_sums(m, d, pi, np, plan, eh, disc, e) == -1)
		goto out;
	/*
	 * value_score compares the clv at the reference's horizon and rate,
	 * which are the plan's unless predict was given others.
	 */
	rdisc = disc;
	if (m->has_ref &&
	    (plan->horizon != m->ref_horizon ||
	        plan->rate != m->ref_discount)) {
		rdisc = xmalloc((np ? np : 1) * sizeof(*rdisc));
		own_ref = true;
		if (clvsum_init(&rp, m->ref_horizon, m->unit_days,
		        m->ref_discount, e) == -1 ||
		    pair_sums(m, d, pi, np, &rp, NULL, rdisc, e) == -1)
			goto out;
	}
	for (i = 0; i < n; i++) {
		uint32_t t = sd->row[i];
		double   x, v = NAN, mv = sd->value[i];

		pr->score[i] = NAN;
		if (t == SCORE_REJECTED || t == SCORE_NO_PURCHASE) {
			pr->p_alive[i] = pr->expected[i] = pr->value[i] =
			    pr->clv[i] = pr->ref_clv[i] = NAN;
			continue;
		}
		x = d->x[t];
		pr->p_alive[i] = pa[t];
		pr->expected[i] = pa[t] * eh[pi[t]];
		if (m->has_spend &&
		    gammagamma_expected_value(
		        &g, mv > 0 ? x : 0, mv > 0 ? mv : 0, &v, NULL) == -1)
			v = NAN;
		pr->value[i] = v;
		pr->clv[i] = v * pa[t] * disc[pi[t]];
		pr->ref_clv[i] = v * pa[t] * rdisc[pi[t]];
		if (m->has_ref)
			pr->score[i] =
			    ref_score(m->ref, m->nref, pr->ref_clv[i]);
	}
	rc = 0;
out:
	hmap_release(&pairs);
	clvsum_release(&rp);
	free(pa);
	free(pi);
	free(eh);
	free(disc);
	if (own_ref)
		free(rdisc);
	return rc;
}

static int
cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

void
score_reference(struct score_model *m, const struct score_pred *pr,
    double horizon, double discount)
{
	double *v = xmalloc((pr->n ? pr->n : 1) * sizeof(*v));
	size_t  i, n = 0;

	free(m->ref);
	m->ref = NULL;
	m->nref = 0;
	m->has_ref = false;
	for (i = 0; i < pr->n; i++)
		if (isfinite(pr->clv[i]))
			v[n++] = pr->clv[i];
	if (n > 0) {
		qsort(v, n, sizeof(*v), cmp_double);
		m->nref = n < SCORE_REF_MAX ? n : SCORE_REF_MAX;
		m->ref = xmalloc(m->nref * sizeof(*m->ref));
		for (i = 0; i < m->nref; i++)
			m->ref[i] = n <= SCORE_REF_MAX
			    ? v[i]
			    : v[(size_t)floor((double)i * (double)(n - 1) /
			              (double)(SCORE_REF_MAX - 1) +
			          0.5)];
		m->has_ref = true;
		m->ref_customers = n;
		m->ref_horizon = horizon;
		m->ref_discount = discount;
	}
	free(v);
}

void
score_rescore(const struct score_model *m, struct score_pred *pr)
{
	size_t i;

	for (i = 0; i < pr->n; i++) {
		pr->ref_clv[i] = pr->clv[i];
		pr->score[i] =
		    m->has_ref ? ref_score(m->ref, m->nref, pr->clv[i]) : NAN;
	}
}

/* Whether every finite v[i] (i < n, at least one) is the same; *first
 * gets it. */
static bool
all_same(const double *v, size_t n, double *first)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (k++ == 0)
			*first = v[i];
		else if (v[i] != *first)
			return false;
	}
	return k > 0;
}

int
score_degenerate(const struct score_data *sd, const struct score_pred *pr,
    bool fitted, struct buf *why)
{
	static const char *const what[3] = { "expected_purchases", "clv",
		"value_score" };
	const double            *col[3] = { pr->expected, pr->clv, pr->score };
	bool                     many = sd->d.n >= 2;
	double                   v = 0;
	size_t                   k;

	for (k = 0; k < 3; k++) {
		/*
		 * A value_score that is the same for a few new rows may be
		 * right (all beyond the reference's top); only the
		 * reference's own rows tell.
		 */
		if (!all_same(col[k], pr->n, &v) ||
		    (!many && v != 0 && k < 2) ||
		    (k == 2 && (!many || !fitted)))
			continue;
		buf_addf(why, "every customer's %s is %s%.6g", what[k],
		    v == 0 ? "" : "the same, ", v);
		return 1;
	}
	return 0;
}

void
score_pred_release(struct score_pred *pr)
{
	free(pr->p_alive);
	free(pr->expected);
	free(pr->value);
	free(pr->clv);
	free(pr->score);
	free(pr->ref_clv);
	memset(pr, 0, sizeof(*pr));
}

/* Writing */

static void
put_number(struct recout *w, double v, int digits)
{
	if (digits < 0)
		recout_double(w, v);
	else
		recout_fixed(w, v, digits);
}

/* Writing the rows again with their predictions. */
struct writing {
	const struct score_data *sd;
	const struct score_pred *pr;
	struct recout           *w;
	const int               *src; /* per output column: added, or -1 */
	size_t                   nout;
	size_t                   k; /* the rows read so far */
};

static enum rec_status
write_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct writing          *g = ctx;
	const struct score_pred *pr = g->pr;
	size_t                   i, k = g->k++;
	double                   v[SCORE_NADDED];

	(void)file; /* the rows were checked in the first reading */
	if (k >= g->sd->nrows || g->sd->row[k] == SCORE_REJECTED)
		return REC_ROW;
	v[0] = pr->p_alive[k];
	v[1] = pr->expected[k];
	v[2] = pr->value[k];
	v[3] = pr->clv[k];
	v[4] = pr->score[k];
	for (i = 0; i < g->nout; i++) {
		if (g->src[i] < 0)
			recout_field(
			    g->w, rec->f[i], rec->len[i], rec->kind[i]);
		else
			put_number(g->w, v[g->src[i]],
			    g->src[i] == SCORE_NADDED - 1 ? 1 : -1);
	}
	return recout_end(g->w, e) < 0 ? REC_FAIL : REC_ROW;
}

static void
write_skip(void *ctx)
{
	struct writing *g = ctx;

	g->k++;
}

int
score_write(struct recin *in, const struct score_data *sd,
    const struct score_pred *pr, enum rec_fmt fmt, int digits, struct ci_err *e)
{
	const char *const *icols = recin_cols(in);
	size_t             nin = recin_ncols(in), nout = nin, i, j;
	const char       **cols = xmalloc((nin + SCORE_NADDED) * sizeof(*cols));
	int               *src = xmalloc((nin + SCORE_NADDED) * sizeof(*src));
	struct writing     g = { sd, pr, NULL, src, 0, 0 };
	const struct parread_reader rd = {
		.row = write_row, .rejected = write_skip, .ctx = &g
	};
	uint64_t rows = 0;
	int      rc = -1;

	for (i = 0; i < nin; i++) {
		cols[i] = icols[i];
		src[i] = -1;
	}
	for (j = 0; j < SCORE_NADDED; j++) {
		int c = recin_find(in, score_added[j]);

		size_t at = c >= 0 ? (size_t)c : nout++;

		cols[at] = score_added[j];
		src[at] = (int)j;
	}
	g.nout = nout;
	g.w = recout_open(
	    NULL, fmt != REC_FMT_AUTO ? fmt : recin_format(in), cols, nout, e);
	if (g.w != NULL) {
		recout_set_digits(g.w, digits);
		rc = parread_input(in, &rd, NULL, NULL, NULL, &rows, e);
	}
	if (rc == 0 && g.k != sd->nrows)
		rc = ci_err_set(e, CI_EXIT_IO, recin_name(in), 0,
		    "the input changed between its two readings");
	if (recout_close(g.w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	free(cols);
	free(src);
	return rc;
}

/* The check */

#define CHECK_BUCKETS 8 /* x = 0 .. 6, and 7 or more */

int
score_check(const struct score_data *sd, const struct score_pred *pr,
    enum rec_fmt fmt, struct ci_err *e)
{
	static const char *const cols[7] = { "x", "customers", "predicted",
		"actual", "predicted_mean", "actual_mean", "mae" };
	double n[CHECK_BUCKETS + 1] = { 0 }, p[CHECK_BUCKETS + 1] = { 0 };
	double a[CHECK_BUCKETS + 1] = { 0 }, d[CHECK_BUCKETS + 1] = { 0 };
	struct recout *w;
	char           name[8];
	size_t         i, b;
	int            rc = 0;

	for (i = 0; i < sd->nrows; i++) {
		double x;

		if (sd->row[i] == SCORE_REJECTED ||
		    sd->row[i] == SCORE_NO_PURCHASE)
			continue;
		x = sd->d.x[sd->row[i]];
		b = x < CHECK_BUCKETS - 1 ? (size_t)x : CHECK_BUCKETS - 1;
		n[b]++;
		p[b] += pr->expected[i];
		a[b] += sd->actual[i];
		d[b] += fabs(pr->expected[i] - sd->actual[i]);
	}
	for (b = 0; b < CHECK_BUCKETS; b++) {
		n[CHECK_BUCKETS] += n[b];
		p[CHECK_BUCKETS] += p[b];
		a[CHECK_BUCKETS] += a[b];
		d[CHECK_BUCKETS] += d[b];
	}
	if ((w = recout_open(NULL, fmt == REC_FMT_NDJSON ? fmt : REC_FMT_CSV,
	         cols, 7, e)) == NULL)
		return -1;
	for (b = 0; b <= CHECK_BUCKETS && rc == 0; b++) {
		if (b < CHECK_BUCKETS - 1)
			snprintf(name, sizeof(name), "%zu", b);
		else
			snprintf(name, sizeof(name), "%s",
			    b == CHECK_BUCKETS ? "total" : "7+");
		recout_str(w, name, strlen(name));
		recout_int(w, (int64_t)n[b]);
		put_number(w, p[b], 4);
		put_number(w, a[b], 4);
		put_number(w, n[b] > 0 ? p[b] / n[b] : NAN, 4);
		put_number(w, n[b] > 0 ? a[b] / n[b] : NAN, 4);
		put_number(w, n[b] > 0 ? d[b] / n[b] : NAN, 4);
		rc = recout_end(w, e);
	}
	if (recout_close(w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

/* The runs */

/* Keep what the reader of in has to say in r->notes; always true. */
static bool
note(struct score_run *r, const struct recin *in)
{
	if (recin_note(in) != NULL)
		buf_addf(&r->notes, "%s\n", recin_note(in));
	return true;
}

/*
 * Read and fit what in holds, with the summary in r->notes and the fit's
 * warnings in r->warnings.  The rows are in r->unit, or in the unit their
 * 'unit' column says, or in weeks; the model is in the same.
 */
static int
fit_input(struct score_model *m, struct recin *in, struct score_data *sd,
    struct score_run *r, struct ci_err *e)
{
	sd->unit = r->unit;
	sd->unit_of = r->unit ? "--unit says" : NULL;
	if (score_read(sd, in, m, r->spend, r->spend, r->rj, &r->rows, e) == -1)
		return -1;
	m->unit_days = sd->unit ? sd->unit : 7;
	if (score_fit_checked(m, sd, r->spend, e) == -1)
		return -1;
	score_summary(m, &r->notes);
	buf_addc(&r->notes, '\n');
	score_warnings(m, &r->warnings);
	return 0;
}

int
score_read_for(const struct score_model *m, struct recin *in,
    struct score_data *sd, struct score_run *r, bool value, struct ci_err *e)
{
	char of[300];

	snprintf(of, sizeof(of), "the model '%s' is in", r->model);
	sd->unit = r->unit ? r->unit : m->unit_days;
	sd->unit_of = r->unit ? "--unit says" : of;
	sd->to_unit = m->unit_days;
	if (score_read(sd, in, m, value, false, r->rj, &r->rows, e) == -1)
		return -1;
	score_data_freeze(sd);
	return 0;
}

/*
 * Predict the rows of sd over r's horizon; after a fit, make the value
 * score's reference of them first.  Predictions that are all zero or all
 * the same are an error (CI_EXIT_DATA) unless r->allow_degenerate, when
 * they are a warning.
 */
static int
predict_rows(struct score_model *m, const struct score_data *sd,
    struct score_run *r, bool fitted, struct score_pred *pr, struct ci_err *e)
{
	struct clvsum plan = { 0 };
	struct buf    why = { 0 };
	double h = r->horizon > 0 ? r->horizon : m->unit_days == 1 ? 365 : 52;
	int    rc = -1;

	if (clvsum_init(&plan, h, m->unit_days, r->discount, e) == -1 ||
	    score_predict(m, sd, &plan, pr, e) == -1)
		goto out;
	if (fitted && m->has_spend) {
		score_reference(m, pr, h, r->discount);
		score_rescore(m, pr);
	}
	rc = 0;
	if (score_degenerate(sd, pr, fitted, &why)) {
		if (r->allow_degenerate) {
			buf_addf(&r->warnings,
			    "warning: the predictions are degenerate: %s\n",
			    buf_str(&why));
		} else {
			rc = ci_err_set(e, CI_EXIT_DATA, NULL, 0,
			    "the predictions are degenerate: %s; see the "
			    "fit's warnings, or give --allow-degenerate to "
			    "write them anyway",
			    buf_str(&why));
		}
	}
out:
	clvsum_release(&plan);
	buf_release(&why);
	return rc;
}

int
score_run_fit(struct score_model *m, struct score_run *r, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct score_pred pr = { 0 };
	struct recin     *in;
	struct buf        out = { 0 };
	int               rc = -1;

	if ((in = recin_open(r->path, r->in, e)) != NULL && note(r, in) &&
	    fit_input(m, in, &sd, r, e) == 0 &&
	    predict_rows(m, &sd, r, true, &pr, e) == 0) {
		score_model_write(m, &sd, &out);
		rc = model_save(NULL, &out, e);
	}
	buf_release(&out);
	recin_free(in);
	score_data_release(&sd);
	score_pred_release(&pr);
	return rc;
}

int
score_run_predict(
    struct score_model *m, bool fit, struct score_run *r, struct ci_err *e)
{
	struct score_spool sp = { 0 };
	struct score_data  sd = { 0 };
	struct score_pred  pr = { 0 };
	struct recin      *in = NULL;
	int                rc = -1;

	if (score_spool_open(&sp, r->path, e) == -1 ||
	    (in = score_spool_read(&sp, r->in, e)) == NULL || !note(r, in))
		goto out;
	if (fit ? fit_input(m, in, &sd, r, e) == -1
	        : score_read_for(m, in, &sd, r, m->has_spend, e) == -1)
		goto out;
	recin_free(in);
	in = NULL;
	if (predict_rows(m, &sd, r, fit, &pr, e) == 0 &&
	    (in = score_spool_read(&sp, r->in, e)) != NULL)
		rc = score_write(in, &sd, &pr, r->fmt, r->digits, e);
	if (rc == 0 && !m->has_spend)
		buf_addstr(&r->notes,
		    "the model has no spend model: expected_value, clv and "
		    "value_score are empty\n");
	else if (rc == 0 && !m->has_ref)
		buf_addf(&r->warnings,
		    "warning: the model '%s' (format %d) has no reference "
		    "distribution of value_score, which is empty: fit the "
		    "model again to have one\n",
		    r->model, m->format_version);
out:
	recin_free(in);
	score_spool_close(&sp);
	score_data_release(&sd);
	score_pred_release(&pr);
	return rc;
}

int
score_holdout_init(struct score_holdout *ho, const char *asof, const char *zone,
    struct ci_err *e)
{
	const char *why;

	ho->tz = NULL;
	if (zone != NULL && (ho->tz = tz_load(zone, e)) == NULL)
		return -1;
	if (timeparse_asof(asof, ho->tz, &ho->asof, &why) == -1) {
		tz_free(ho->tz);
		ho->tz = NULL;
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "bad value '%s' for --asof: %s", asof, why);
	}
	return 0;
}

int
score_run_check(const struct score_model *m, struct score_run *r,
    const struct score_holdout *ho, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct score_pred pr = { 0 };
	struct clvsum     plan = { 0 };
	struct recin     *in = NULL;
	double            unit = 86400.0 * m->unit_days, horizon;
	int               rc = -1;

	sd.holdout = holdout_new(ho->asof,
	    ho->asof + (int64_t)(ho->horizon * unit), ho->horizon == 0, ho->tz);
	if (holdout_read(sd.holdout, ho->path, ho->in, r->rj, &r->rows, e) ==
	    -1)
		goto out;
	horizon = (double)(holdout_end(sd.holdout) - ho->asof) / unit;
	if (horizon <= 0) {
		ci_err_set(e, CI_EXIT_DATA, ho->path, 0,
		    "no order after the calibration to check against");
		goto out;
	}
	if ((in = recin_open(r->path, r->in, e)) == NULL || !note(r, in) ||
	    score_read_for(m, in, &sd, r, false, e) == -1)
		goto out;
	if (clvsum_init(&plan, horizon, m->unit_days, 0, e) == 0 &&
	    score_predict(m, &sd, &plan, &pr, e) == 0)
		rc = score_check(&sd, &pr, r->fmt, e);
	if (rc == 0)
		buf_addf(&r->notes, "the holdout: %.6g %ss after --asof\n",
		    horizon, m->unit_days == 1 ? "day" : "week");
out:
	recin_free(in);
	holdout_free(sd.holdout);
	score_data_release(&sd);
	score_pred_release(&pr);
	clvsum_release(&plan);
	return rc;
}

/* Reading twice */

int
score_spool_open(struct score_spool *sp, const char *path, struct ci_err *e)
{
	struct stat st;
	FILE       *in = stdin;
	char        buf[1 << 16];
	size_t      n;

	memset(sp, 0, sizeof(*sp));
	if (path != NULL && strcmp(path, "-") != 0) {
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			sp->path = path;
			sp->name = path;
			return 0;
		}
		if ((in = fopen(path, "rb")) == NULL)
			return ci_err_set(e, CI_EXIT_IO, path, 0,
			    "cannot open: %s", strerror(errno));
	}
	sp->name = in == stdin ? "stdin" : path;
	if ((sp->fp = tmpfile()) == NULL) {
		if (in != stdin)
			fclose(in);
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot create a temporary file: %s", strerror(errno));
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, sp->fp) != n)
			break;
	if (ferror(in) || ferror(sp->fp) || fflush(sp->fp) != 0) {
		ci_err_set(e, CI_EXIT_IO, ferror(in) ? sp->name : NULL, 0,
		    ferror(in) ? "read error: %s"
		               : "cannot write a temporary file: %s",
		    strerror(errno));
		if (in != stdin)
			fclose(in);
		score_spool_close(sp);
		return -1;
	}
	if (in != stdin)
		fclose(in);
	return 0;
}

struct recin *
score_spool_read(
    struct score_spool *sp, const struct recin_opts *o, struct ci_err *e)
{
	if (sp->fp == NULL)
		return recin_open(sp->path, o, e);
	rewind(sp->fp);
	return recin_open_stream(sp->fp, sp->name, o, e);
}

void
score_spool_close(struct score_spool *sp)
{
	if (sp->fp != NULL)
		fclose(sp->fp);
	memset(sp, 0, sizeof(*sp));
}
