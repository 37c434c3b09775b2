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
#include "xalloc.h"

const char *const score_added[SCORE_NADDED] = { "p_alive", "expected_purchases",
	"expected_value", "clv", "value_score" };

const char *const score_col_names[SCORE_NCOLS] = { "customer_id", "x", "t_x",
	"T", "repeat_value" };

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

void
score_model_release(struct score_model *m)
{
	size_t i;

	for (i = 0; i < SCORE_NCOLS; i++) {
		free(m->col[i]);
		m->col[i] = NULL;
	}
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
	bool                      need_value;
	bool                      want_spend;
};

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
	    check_row(m, x, tx, T, file, rec->line, e) < 0 ||
	    (t = cbs_acc_add(&sd->acc, x, tx, T, 1, e)) < 0)
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
	struct reading g = { sd, m, { 0 }, need_value, want_spend };
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

int
score_fit(struct score_model *m, const struct score_data *sd, bool spend,
    struct ci_err *e)
{
	static int (*const fit[3])(const struct cbs *,
	    const struct mlfit_opts *, double *, struct mlfit_info *,
	    struct ci_err *) = { fit_bg, fit_pn, fit_mb };
	struct mlfit_opts        o = { m->penalizer, m->max_iter, 0 };
	struct gammagamma_params g;

	if (sd->d.n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no customers to fit the model to");
	if (fit[m->kind](&sd->d, &o, m->par, &m->info, e) == -1)
		return -1;
	m->has_spend = false;
	if (!spend)
		return 0;
	if (sd->s.n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no customers with repeat purchases and a positive '%s' "
		    "to fit the spend model to",
		    m->col[SCORE_COL_VALUE]);
	if (gammagamma_fit(&sd->s, &o, &g, &m->spend_info, e) == -1)
		return -1;
	m->has_spend = true;
	m->spend[0] = g.p, m->spend[1] = g.q, m->spend[2] = g.gamma;
	m->spend_left_out = sd->spend_left_out;
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
write_fit(struct jsonw *w, const struct mlfit_info *info)
{
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
	jsonw_key(&w, "penalizer");
	jsonw_double(&w, m->penalizer);
	jsonw_key(&w, "max_iter");
	jsonw_int(&w, (int64_t)m->max_iter);
	jsonw_obj_end(&w);
	write_named(&w, "parameters", par_names[m->kind], m->par, 4);
	write_named(&w, "standard_errors", par_names[m->kind], m->info.se, 4);
	write_fit(&w, &m->info);
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
		write_fit(&w, &m->spend_info);
		jsonw_key(&w, "left_out");
		jsonw_int(&w, (int64_t)m->spend_left_out);
		jsonw_obj_end(&w);
	}
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
	if (score_kind_parse(mf.kind, &m->kind) == -1) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: unknown kind '%s'", mf.kind);
		goto out;
	}
	if ((s = model_string(&mf, "options.unit", e)) == NULL)
		goto out;
	if (strcmp(s, "day") != 0 && strcmp(s, "week") != 0) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: unknown unit '%s'", s);
		goto out;
	}
	m->unit_days = strcmp(s, "day") == 0 ? 1 : 7;
	for (i = 0; i < SCORE_NCOLS; i++) {
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
	    load_params(&mf, "spend.parameters", spend_names, m->spend, 3, e) ==
	        -1)
		goto out;
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

/* Sort helper: indices by clv, then by index (a total order). */
struct rank {
	double v;
	size_t i;
};

static int
cmp_rank(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/*
 * value_score: with n rows ranked by clv, a row with L rows below it and
 * E rows equal to it (itself included) scores 100 (L + (E - 1) / 2) /
 * (n - 1): the lowest 0, the highest 100, ties the mean of their places,
 * and a single row 50.
 */
static void
rank_scores(const double *clv, double *score, size_t n)
{
	struct rank *r = xmalloc((n ? n : 1) * sizeof(*r));
	size_t       i, j, k, m = 0;

	for (i = 0; i < n; i++) {
		score[i] = NAN;
		if (isfinite(clv[i])) {
			r[m].v = clv[i];
			r[m].i = i;
			m++;
		}
	}
	qsort(r, m, sizeof(*r), cmp_rank);
	for (i = 0; i < m; i = j) {
		double s;

		for (j = i; j < m && r[j].v == r[i].v; j++)
			;
		s = m > 1 ? 100 * ((double)i + (double)(j - i - 1) / 2) /
		        (double)(m - 1)
		          : 50;
		for (k = i; k < j; k++)
			score[r[k].i] = s;
	}
	free(r);
}

int
score_predict(const struct score_model *m, const struct score_data *sd,
    const struct clvsum *plan, struct score_pred *pr, struct ci_err *e)
{
	const struct cbs        *d = &sd->d;
	struct gammagamma_params g = { m->spend[0], m->spend[1], m->spend[2] };
	struct hmap              pairs = { 0 };
	double                  *pa = xmalloc((d->n ? d->n : 1) * sizeof(*pa));
	double                  *eh = NULL, *disc = NULL, *E;
	size_t                  *pi = xmalloc((d->n ? d->n : 1) * sizeof(*pi));
	size_t                   i, np, n = sd->nrows;
	int                      rc = -1;

	E = xmalloc(plan->n * sizeof(*E));
	pr->n = n;
	pr->p_alive = xmalloc((n ? n : 1) * sizeof(double));
	pr->expected = xmalloc((n ? n : 1) * sizeof(double));
	pr->value = xmalloc((n ? n : 1) * sizeof(double));
	pr->clv = xmalloc((n ? n : 1) * sizeof(double));
	pr->score = xmalloc((n ? n : 1) * sizeof(double));
	for (i = 0; i < d->n; i++) {
		if (alive(m->kind, m->par, d->x[i], d->tx[i], d->T[i], &pa[i],
		        e) == -1)
			goto out;
		pi[i] = pair_of(&pairs, d, i);
	}
	np = hmap_count(&pairs);
	eh = xmalloc((np ? np : 1) * sizeof(*eh));
	disc = xmalloc((np ? np : 1) * sizeof(*disc));
	for (i = 0; i < np; i++)
		eh[i] = -1; /* not computed yet */
	for (i = 0; i < d->n; i++) {
		size_t p = pi[i];

		if (eh[p] >= 0)
			continue;
		if (expect(m->kind, m->par, d->x[i], d->T[i], plan->t, plan->n,
		        E, e) == -1)
			goto out;
		eh[p] = E[plan->n - 1];
		disc[p] = clvsum_discounted(plan, E);
	}
	for (i = 0; i < n; i++) {
		uint32_t t = sd->row[i];
		double   x, v = NAN, mv = sd->value[i];

		if (t == SCORE_REJECTED || t == SCORE_NO_PURCHASE) {
			pr->p_alive[i] = pr->expected[i] = pr->value[i] =
			    pr->clv[i] = NAN;
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
	}
	rank_scores(pr->clv, pr->score, n);
	rc = 0;
out:
	hmap_release(&pairs);
	free(pa);
	free(pi);
	free(eh);
	free(disc);
	free(E);
	return rc;
}

void
score_pred_release(struct score_pred *pr)
{
	free(pr->p_alive);
	free(pr->expected);
	free(pr->value);
	free(pr->clv);
	free(pr->score);
	memset(pr, 0, sizeof(*pr));
}

/* Writing */

static void
put_number(struct recout *w, double v, int digits)
{
	char   tmp[NUMFMT_MAX];
	size_t n;

	if (digits < 0) {
		recout_double(w, v);
		return;
	}
	n = numfmt_fixed(tmp, v, digits);
	recout_field(w, tmp, n, n > 0 ? REC_JSON : REC_NULL);
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
    const struct score_pred *pr, enum rec_fmt fmt, struct ci_err *e)
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
	if (g.w != NULL)
		rc = parread_input(in, &rd, NULL, NULL, NULL, &rows, e);
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

/* Read and fit what in holds, with the summary in r->notes. */
static int
fit_input(struct score_model *m, struct recin *in, struct score_data *sd,
    struct score_run *r, struct ci_err *e)
{
	if (score_read(sd, in, m, r->spend, r->spend, r->rj, &r->rows, e) ==
	        -1 ||
	    score_fit_checked(m, sd, r->spend, e) == -1)
		return -1;
	score_summary(m, &r->notes);
	buf_addc(&r->notes, '\n');
	return 0;
}

int
score_run_fit(struct score_model *m, struct score_run *r, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct recin     *in;
	struct buf        out = { 0 };
	int               rc = -1;

	if ((in = recin_open(r->path, r->in, e)) != NULL && note(r, in) &&
	    fit_input(m, in, &sd, r, e) == 0) {
		score_model_write(m, &sd, &out);
		rc = model_save(NULL, &out, e);
	}
	buf_release(&out);
	recin_free(in);
	score_data_release(&sd);
	return rc;
}

int
score_run_predict(
    struct score_model *m, bool fit, struct score_run *r, struct ci_err *e)
{
	struct score_spool sp = { 0 };
	struct score_data  sd = { 0 };
	struct score_pred  pr = { 0 };
	struct clvsum      plan = { 0 };
	struct recin      *in = NULL;
	double h = r->horizon > 0 ? r->horizon : m->unit_days == 1 ? 365 : 52;
	int    rc = -1;

	if (score_spool_open(&sp, r->path, e) == -1 ||
	    (in = score_spool_read(&sp, r->in, e)) == NULL || !note(r, in))
		goto out;
	if (fit) {
		if (fit_input(m, in, &sd, r, e) == -1)
			goto out;
	} else if (score_read(&sd, in, m, m->has_spend, false, r->rj, &r->rows,
	               e) == -1) {
		goto out;
	} else {
		score_data_freeze(&sd);
	}
	recin_free(in);
	in = NULL;
	if (clvsum_init(&plan, h, m->unit_days, r->discount, e) == 0 &&
	    score_predict(m, &sd, &plan, &pr, e) == 0 &&
	    (in = score_spool_read(&sp, r->in, e)) != NULL)
		rc = score_write(in, &sd, &pr, r->fmt, e);
	if (rc == 0 && !m->has_spend)
		buf_addstr(&r->notes,
		    "the model has no spend model: expected_value, clv and "
		    "value_score are empty\n");
out:
	recin_free(in);
	score_spool_close(&sp);
	score_data_release(&sd);
	score_pred_release(&pr);
	clvsum_release(&plan);
	return rc;
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
	    score_read(&sd, in, m, false, false, r->rj, &r->rows, e) == -1)
		goto out;
	score_data_freeze(&sd);
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
