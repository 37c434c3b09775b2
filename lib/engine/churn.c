/*
 * churn: training (two passes over the input: typing, then encoding),
 * the cross-validation that picks the model, calibration, and the model
 * file.  Scoring and evaluation are in churnpred.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "binmetric.h"
#include "churn.h"
#include "hmap.h"
#include "jsonw.h"
#include "model.h"
#include "numfmt.h"
#include "parread.h"
#include "rng.h"
#include "score.h"
#include "xalloc.h"

const char *const churn_added[CHURN_NADDED] = { "churn_probability",
	"churn_risk", "risk_band", "reason_1", "reason_2", "reason_3" };

const char *const churn_band_names[4] = { "low", "medium", "high", "critical" };

static const char *const kind_names[4] = { "auto", "gbt", "logistic", "blend" };

int
churn_kind_parse(const char *s, enum churn_kind *k)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum churn_kind)i;
			return 0;
		}
	return -1;
}

int
churn_parse_cuts(const char *s, double cuts[3])
{
	const char *p = s;
	char       *end;
	int         i;

	for (i = 0; i < 3; i++) {
		cuts[i] = strtod(p, &end);
		if (end == p || !(cuts[i] > 0 && cuts[i] < 100) ||
		    (i > 0 && cuts[i] <= cuts[i - 1]))
			return -1;
		if (i < 2 && *end != ',')
			return -1;
		p = end + 1;
	}
	return *end == '\0' ? 0 : -1;
}

void
churn_train_opts_init(struct churn_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = CHURN_AUTO;
	o->folds = 5;
	o->class_weight = -1;
	o->calibration = CALIB_PLATT;
	o->cuts[0] = 25, o->cuts[1] = 50, o->cuts[2] = 75;
	o->C = 1;
	gbt_params_init(&o->gp);
}

void
churn_model_release(struct churn_model *m)
{
	colenc_release(&m->enc);
	free(m->label);
	free(m->positive);
	free(m->negative);
	free(m->id);
	gbt_release(&m->gbt);
	treeshap_release(&m->ts);
	logreg_release(&m->lr);
	calib_release(&m->cal);
	memset(m, 0, sizeof(*m));
}

/* Training */

/* The training rows, encoded. */
struct tdata {
	const struct churn_train_opts *o;
	struct colenc_stats            st;
	int                            label; /* input column */
	struct hmap                    lv;    /* label values seen */
	uint64_t                      *lcount;
	size_t                         lcap;
	bool                           lmany;
	/* second pass */
	const struct colenc *enc;
	const char          *pos, *neg;
	float               *X, *y;
	size_t               n, cap, d;
	int                 *dcols; /* the digested columns */
	size_t               ndcols;
	struct model_digest  digest;
};

static enum rec_status
stat_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct tdata *t = ctx;
	const char   *s;
	size_t        len, k;
	bool          is_new;

	(void)file, (void)e;
	colenc_stats_add(&t->st, rec);
	rec_field(rec, t->label, &s, &len);
	if (len == 0 || t->lmany)
		return REC_ROW;
	if (hmap_count(&t->lv) >= 16 && hmap_find(&t->lv, s, len) < 0) {
		t->lmany = true;
		return REC_ROW;
	}
	k = hmap_intern(&t->lv, s, len, &is_new);
	if (is_new) {
		xgrow(&t->lcount, &t->lcap, k + 1, sizeof(*t->lcount));
		t->lcount[k] = 0;
	}
	t->lcount[k]++;
	return REC_ROW;
}

static enum rec_status
enc_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct tdata *t = ctx;
	const char   *s;
	size_t        len;
	float         y;

	rec_field(rec, t->label, &s, &len);
	if (len == 0) {
		ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "no value in the label column '%s'", t->o->label);
		return REC_BAD;
	}
	y = strlen(t->pos) == len && memcmp(s, t->pos, len) == 0 ? 1 : 0;
	if (t->n == t->cap) {
		size_t cap = t->cap;

		xgrow(&t->y, &cap, t->n + 1, sizeof(*t->y));
		t->X = xreallocarray(t->X, cap, t->d * sizeof(*t->X));
		t->cap = cap;
	}
	if (colenc_row(t->enc, rec, &t->X[t->n * t->d], NULL, file, e) == -1)
		return REC_BAD;
	t->y[t->n++] = y;
	model_digest_rec(&t->digest, rec, t->dcols, t->ndcols);
	return REC_ROW;
}

static bool
word_is(const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* The label's two values, the positive first; -1 with *e otherwise. */
static int
label_values(struct tdata *t, const char **pos, const char **neg,
    struct buf *notes, struct ci_err *e)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "churn",
		"churned", NULL };
	const char              *a, *b;
	size_t                   n = hmap_count(&t->lv), i;
	struct buf               v = { 0 };

	for (i = 0; i < n && i < 5; i++)
		buf_addf(
		    &v, "%s'%s'", i ? ", " : "", hmap_key(&t->lv, i, NULL));
	if (n == 0) {
		buf_release(&v);
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "the label column '%s' has no values: nothing to learn",
		    t->o->label);
	}
	if (n == 1 || n > 2 || t->lmany) {
		ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "the label column '%s' has %s%zu value%s (%s%s); want two",
		    t->o->label, t->lmany ? "over " : "", n, n == 1 ? "" : "s",
		    buf_str(&v), n > 5 ? ", ..." : "");
		if (n == 1)
			strncat(e->msg, ": nothing to learn",
			    sizeof(e->msg) - strlen(e->msg) - 1);
		buf_release(&v);
		return -1;
	}
	a = hmap_key(&t->lv, 0, NULL);
	b = hmap_key(&t->lv, 1, NULL);
	if (t->o->positive != NULL) {
		if (strcmp(t->o->positive, a) != 0 &&
		    strcmp(t->o->positive, b) != 0) {
			ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for --positive: the label column "
			    "'%s' has the values %s",
			    t->o->positive, t->o->label, buf_str(&v));
			buf_release(&v);
			return -1;
		}
		*pos = strcmp(t->o->positive, a) == 0 ? a : b;
	} else if (word_is(a, yes) != word_is(b, yes))
		*pos = word_is(a, yes) ? a : b;
	else {
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "which value of the label column '%s' is churn, %s? "
		    "say it with --positive",
		    t->o->label, buf_str(&v));
		buf_release(&v);
		return -1;
	}
	*neg = *pos == a ? b : a;
	buf_release(&v);
	(void)notes;
	return 0;
}

/* Stratified folds: each class shuffled, then dealt round the folds. */
static void
make_folds(const float *y, size_t n, int k, uint64_t seed, int *fold)
{
	struct rng r;
	size_t    *idx = xreallocarray(NULL, n ? n : 1, sizeof(*idx));
	size_t     c, i, m;

	rng_init(&r, seed);
	for (c = 0; c < 2; c++) {
		for (i = 0, m = 0; i < n; i++)
			if ((y[i] > 0.5) == (c == 1))
				idx[m++] = i;
		rng_shuffle(&r, idx, m);
		for (i = 0; i < m; i++)
			fold[idx[i]] = (int)(i % (size_t)k);
	}
	free(idx);
}

/* The ROC AUC of each fold's held-out margins, into auc[0..k-1]. */
static double
fold_aucs(const double *oof, const float *y, size_t n, const int *fold, int k,
    double *auc)
{
	double *s = xreallocarray(NULL, n ? n : 1, sizeof(*s));
	float  *t = xreallocarray(NULL, n ? n : 1, sizeof(*t));
	double  sum = 0;
	size_t  i, m;
	int     f;

	for (f = 0; f < k; f++) {
		for (i = 0, m = 0; i < n; i++)
			if (fold[i] == f)
				s[m] = oof[i], t[m++] = y[i];
		auc[f] = binmetric_roc_auc(s, t, m);
		sum += auc[f];
	}
	free(s);
	free(t);
	return sum / k;
}

/* What training found, for the model file. */
struct tresult {
	bool    cv;
	int     k;
	double *auc[4]; /* per kind: fold scores, or NULL */
	double  mean[4];
	int     cv_trees;
	double  pos_weight;
	double  train_auc, mean_p;
	size_t  positives;
};

static int
cv_logistic(struct logreg *lr, const struct tdata *t, const int *fold, int k,
    double C, double pw, double *oof, struct ci_err *e)
{
	size_t *rows = xreallocarray(NULL, t->n, sizeof(*rows));
	size_t  i, m;
	int     f;

	for (f = 0; f < k; f++) {
		for (i = 0, m = 0; i < t->n; i++)
			if (fold[i] != f)
				rows[m++] = i;
		if (logreg_fit(lr, t->X, t->y, rows, m, C, pw, e) == -1) {
			free(rows);
			return -1;
		}
		for (i = 0; i < t->n; i++)
			if (fold[i] == f)
				oof[i] = logreg_margin(lr, &t->X[i * t->d]);
	}
	free(rows);
	return 0;
}

/*
 * Cross-validate, choose, fit on every row and calibrate: m->kind, gbt or
 * lr and cal are set.
 */
static int
fit(struct churn_model *m, const struct churn_train_opts *o, struct tdata *t,
    struct tresult *res, struct buf *notes, struct ci_err *e)
{
	size_t          n = t->n, i, neg;
	int            *fold = xreallocarray(NULL, n, sizeof(*fold));
	double         *oof[4] = { NULL, NULL, NULL, NULL }, *mg;
	float          *w = NULL;
	bool           *numeric = xcalloc(t->d, sizeof(*numeric));
	bool            want_cv;
	int             k = o->folds, trees = o->trees, rc = -1;
	enum churn_kind c;

	neg = n - res->positives;
	if (res->positives == 0 || neg == 0)
		goto fail_class;
	res->pos_weight = 1;
	if (o->class_weight == 1 ||
	    (o->class_weight == -1 && (double)res->positives < 0.2 * (double)n))
		res->pos_weight = (double)neg / (double)res->positives;
	if (res->pos_weight != 1) {
		w = xreallocarray(NULL, n, sizeof(*w));
		for (i = 0; i < n; i++)
			w[i] = t->y[i] > 0.5 ? (float)res->pos_weight : 1;
		buf_addf(notes, "class weights: a churner counts %.3g times\n",
		    res->pos_weight);
	}
	for (i = 0; i < m->enc.n; i++) {
		const struct colenc_col *col = &m->enc.col[i];

		if (col->type == COLENC_NUMERIC || col->type == COLENC_DATE)
			numeric[col->first] = true;
	}
	if (o->kind != CHURN_GBT)
		logreg_prepare(&m->lr, t->X, n, t->d, numeric);
	want_cv = o->kind == CHURN_AUTO ||
	    (o->kind == CHURN_GBT && trees == 0) ||
	    o->calibration != CALIB_NONE;
	if (want_cv) {
		size_t small = res->positives < neg ? res->positives : neg;

		if ((size_t)k > small)
			k = (int)small;
		if (k < 2) {
			ci_err_set(e, CI_EXIT_DATA, NULL, 0,
			    "%zu churner%s and %zu other%s: too few for "
			    "cross-validation; --model gbt --trees N "
			    "--calibration none trains without it",
			    res->positives, res->positives == 1 ? "" : "s", neg,
			    neg == 1 ? "" : "s");
			goto out;
		}
		res->cv = true;
		res->k = k;
		make_folds(t->y, n, k, o->gp.seed, fold);
		for (c = CHURN_GBT; c <= CHURN_LOGISTIC; c++) {
			if (o->kind != CHURN_AUTO && o->kind != CHURN_BLEND &&
			    o->kind != c)
				continue;
			oof[c] = xreallocarray(NULL, n, sizeof(double));
			res->auc[c] = xcalloc((size_t)k, sizeof(double));
			if (c == CHURN_GBT) {
				struct gbt_params gp = o->gp;

				if (trees > 0)
					gp.max_trees = trees;
				if (gbt_cv(t->X, t->y, w, n, t->d, fold, k, &gp,
				        trees == 0, oof[c], &res->cv_trees,
				        e) == -1)
					goto out;
			} else if (cv_logistic(&m->lr, t, fold, k, o->C,
			               res->pos_weight, oof[c], e) == -1)
				goto out;
			res->mean[c] =
			    fold_aucs(oof[c], t->y, n, fold, k, res->auc[c]);
		}
		if (oof[CHURN_GBT] != NULL && oof[CHURN_LOGISTIC] != NULL) {
			c = CHURN_BLEND;
			oof[c] = xreallocarray(NULL, n, sizeof(double));
			res->auc[c] = xcalloc((size_t)k, sizeof(double));
			for (i = 0; i < n; i++)
				oof[c][i] = (oof[CHURN_GBT][i] +
				                oof[CHURN_LOGISTIC][i]) /
				    2;
			res->mean[c] =
			    fold_aucs(oof[c], t->y, n, fold, k, res->auc[c]);
		}
		buf_addf(notes, "cross-validation, %d folds, ROC AUC:", k);
		if (res->auc[CHURN_GBT] != NULL)
			buf_addf(notes, " gbt %.4f (%d trees)",
			    res->mean[CHURN_GBT], res->cv_trees);
		if (res->auc[CHURN_LOGISTIC] != NULL)
			buf_addf(notes, "%s logistic %.4f",
			    res->auc[CHURN_GBT] ? "," : "",
			    res->mean[CHURN_LOGISTIC]);
		if (res->auc[CHURN_BLEND] != NULL)
			buf_addf(notes, ", blend %.4f", res->mean[CHURN_BLEND]);
		buf_addc(notes, '\n');
	}
	/* The best mean fold score; a tie goes to the simpler model. */
	m->kind = o->kind;
	if (o->kind == CHURN_AUTO) {
		m->kind = CHURN_LOGISTIC;
		if (res->mean[CHURN_GBT] > res->mean[m->kind])
			m->kind = CHURN_GBT;
		if (res->mean[CHURN_BLEND] > res->mean[m->kind])
			m->kind = CHURN_BLEND;
	}
	if (o->kind == CHURN_AUTO)
		buf_addf(notes, "model: %s, the better in cross-validation\n",
		    kind_names[m->kind]);
	mg = xcalloc(n, sizeof(*mg));
	if (m->kind != CHURN_LOGISTIC) {
		if (trees == 0)
			trees = res->cv_trees;
		if (gbt_train(&m->gbt, t->X, t->y, w, n, t->d, &o->gp, trees,
		        e) == -1 ||
		    gbt_margin(&m->gbt, t->X, n, mg, e) == -1) {
			free(mg);
			goto out;
		}
		res->cv_trees = trees;
	}
	if (m->kind != CHURN_GBT) {
		if (logreg_fit(&m->lr, t->X, t->y, NULL, n, o->C,
		        res->pos_weight, e) == -1) {
			free(mg);
			goto out;
		}
		for (i = 0; i < n; i++) {
			double v = logreg_margin(&m->lr, &t->X[i * t->d]);

			mg[i] = m->kind == CHURN_BLEND ? (mg[i] + v) / 2 : v;
		}
	}
	if (res->cv && o->calibration != CALIB_NONE) {
		calib_fit(&m->cal, o->calibration, oof[m->kind], t->y, n);
		buf_addf(notes, "calibration: %s, on the held-out folds\n",
		    calib_kind_name(o->calibration));
	}
	res->train_auc = binmetric_roc_auc(mg, t->y, n);
	res->mean_p = 0;
	{
		double lo = INFINITY, hi = -INFINITY;

		for (i = 0; i < n; i++) {
			double p = calib_apply(&m->cal, mg[i]);

			res->mean_p += p / (double)n;
			lo = fmin(lo, p);
			hi = fmax(hi, p);
		}
		if (!(res->train_auc > 0.5 + 1e-9) || lo == hi) {
			ci_err_set(e, CI_EXIT_DATA, NULL, 0,
			    "degenerate model: %s on its own training rows "
			    "(ROC AUC %.3f); the features carry no signal "
			    "about '%s'",
			    lo == hi ? "every prediction is the same"
			             : "it does not separate the classes",
			    isnan(res->train_auc) ? 0.5 : res->train_auc,
			    o->label);
			free(mg);
			goto out;
		}
	}
	free(mg);
	rc = 0;
	goto out;
fail_class:
	ci_err_set(e, CI_EXIT_DATA, NULL, 0,
	    "after the rejected rows, one class of '%s' is left", o->label);
out:
	for (i = 0; i < 4; i++)
		free(oof[i]);
	free(fold);
	free(w);
	free(numeric);
	return rc;
}

static void
write_doubles(struct jsonw *w, const char *key, const double *v, size_t n)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++)
		jsonw_double(w, v[i]);
	jsonw_arr_end(w);
}

static void
write_strs(struct jsonw *w, const char *key, const struct strv *l)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; l != NULL && i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_end(w);
}

static void
write_options(struct jsonw *w, const struct churn_train_opts *o)
{
	static const char *const cw[] = { "auto", "none", "balanced" };

	jsonw_key(w, "options");
	jsonw_obj_begin(w);
	jsonw_key(w, "label");
	jsonw_str(w, o->label);
	jsonw_key(w, "id");
	jsonw_str(w, o->enc.id != NULL ? o->enc.id : "customer_id");
	jsonw_key(w, "model");
	jsonw_str(w, kind_names[o->kind]);
	jsonw_key(w, "seed");
	jsonw_int(w, (int64_t)o->gp.seed);
	jsonw_key(w, "folds");
	jsonw_int(w, o->folds);
	jsonw_key(w, "class_weight");
	jsonw_str(w, cw[o->class_weight + 1]);
	jsonw_key(w, "calibration");
	jsonw_str(w, calib_kind_name(o->calibration));
	jsonw_key(w, "max_depth");
	jsonw_int(w, o->gp.max_depth);
	jsonw_key(w, "eta");
	jsonw_double(w, o->gp.eta);
	jsonw_key(w, "trees");
	jsonw_int(w, o->trees);
	jsonw_key(w, "C");
	jsonw_double(w, o->C);
	write_strs(w, "exclude", o->enc.exclude);
	write_strs(w, "only", o->enc.only);
	write_strs(w, "categorical", o->enc.categorical);
	jsonw_obj_end(w);
}

static int
write_model(const struct churn_model *m, const struct churn_train_opts *o,
    struct tdata *t, const struct tresult *res, struct buf *out,
    struct ci_err *e)
{
	struct jsonw w;
	size_t       i;
	int          c;

	jsonw_init(&w, out, 2);
	model_begin(&w, "ci-churn", kind_names[m->kind], CHURN_FORMAT_VERSION,
	    &t->digest);
	write_options(&w, o);
	jsonw_key(&w, "label");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "column");
	jsonw_str(&w, m->label);
	jsonw_key(&w, "positive");
	jsonw_str(&w, m->positive);
	jsonw_key(&w, "negative");
	jsonw_str(&w, m->negative);
	jsonw_key(&w, "rows");
	jsonw_int(&w, (int64_t)t->n);
	jsonw_key(&w, "positives");
	jsonw_int(&w, (int64_t)res->positives);
	jsonw_obj_end(&w);
	colenc_write(&m->enc, &w);
	jsonw_key(&w, "features");
	jsonw_arr_begin(&w);
	for (i = 0; i < m->enc.nfeat; i++)
		jsonw_str(&w, m->enc.feat[i]);
	jsonw_arr_end(&w);
	jsonw_key(&w, "weights");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "positive");
	jsonw_double(&w, res->pos_weight);
	jsonw_obj_end(&w);
	jsonw_key(&w, "cv");
	if (!res->cv)
		jsonw_null(&w);
	else {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "folds");
		jsonw_int(&w, res->k);
		jsonw_key(&w, "metric");
		jsonw_str(&w, "roc_auc");
		for (c = CHURN_GBT; c <= CHURN_BLEND; c++) {
			char key[32];

			if (res->auc[c] == NULL)
				continue;
			write_doubles(
			    &w, kind_names[c], res->auc[c], (size_t)res->k);
			snprintf(key, sizeof(key), "%s_mean", kind_names[c]);
			jsonw_key(&w, key);
			jsonw_double(&w, res->mean[c]);
			if (c == CHURN_GBT) {
				jsonw_key(&w, "gbt_trees");
				jsonw_int(&w, res->cv_trees);
			}
		}
		jsonw_key(&w, "chosen");
		jsonw_str(&w, kind_names[m->kind]);
		jsonw_obj_end(&w);
	}
	jsonw_key(&w, "calibration");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "method");
	jsonw_str(&w, calib_kind_name(m->cal.kind));
	if (m->cal.kind == CALIB_PLATT) {
		jsonw_key(&w, "a");
		jsonw_double(&w, m->cal.a);
		jsonw_key(&w, "b");
		jsonw_double(&w, m->cal.b);
	} else if (m->cal.kind == CALIB_ISOTONIC) {
		write_doubles(&w, "x", m->cal.x, m->cal.n);
		write_doubles(&w, "y", m->cal.y, m->cal.n);
	}
	jsonw_obj_end(&w);
	jsonw_key(&w, "bands");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "names");
	jsonw_arr_begin(&w);
	for (i = 0; i < 4; i++)
		jsonw_str(&w, churn_band_names[i]);
	jsonw_arr_end(&w);
	write_doubles(&w, "cuts", m->cuts, 3);
	jsonw_obj_end(&w);
	jsonw_key(&w, "fit");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "train_roc_auc");
	jsonw_double(&w, res->train_auc);
	jsonw_key(&w, "mean_probability");
	jsonw_double(&w, res->mean_p);
	jsonw_key(&w, "positive_rate");
	jsonw_double(&w, (double)res->positives / (double)t->n);
	jsonw_obj_end(&w);
	if (m->kind != CHURN_LOGISTIC) {
		struct buf b = { 0 };

		if (gbt_save(&m->gbt, &b, e) == -1) {
			buf_release(&b);
			return -1;
		}
		jsonw_key(&w, "gbt");
		jsonw_obj_begin(&w);
		jsonw_key(&w, "trees");
		jsonw_int(&w, m->gbt.trees);
		jsonw_key(&w, "booster");
		jsonw_raw(&w, b.data, b.len);
		jsonw_obj_end(&w);
		buf_release(&b);
	}
	if (m->kind != CHURN_GBT) {
		jsonw_key(&w, "logistic");
		jsonw_obj_begin(&w);
		jsonw_key(&w, "intercept");
		jsonw_double(&w, m->lr.b);
		write_doubles(&w, "weights", m->lr.w, m->lr.d);
		write_doubles(&w, "fill", m->lr.fill, m->lr.d);
		write_doubles(&w, "center", m->lr.center, m->lr.d);
		write_doubles(&w, "scale", m->lr.scale, m->lr.d);
		jsonw_obj_end(&w);
	}
	jsonw_obj_end(&w);
	return 0;
}

static void
note_input(struct churn_run *r, const struct recin *in)
{
	if (recin_note(in) != NULL)
		buf_addf(&r->notes, "%s\n", recin_note(in));
}

int
churn_run_train(
    const struct churn_train_opts *o, struct churn_run *r, struct ci_err *e)
{
	struct score_spool    sp = { 0 };
	struct recin         *in = NULL;
	struct tdata          t;
	struct churn_model    m;
	struct tresult        res;
	struct colenc_opts    eo = o->enc;
	struct buf            out = { 0 };
	struct parread_reader rd = { .row = stat_row, .ctx = &t };
	uint64_t              rows = 0;
	long                  nf;
	size_t                i;
	int                   rc = -1;

	memset(&t, 0, sizeof(t));
	memset(&m, 0, sizeof(m));
	memset(&res, 0, sizeof(res));
	t.o = o;
	if (score_spool_open(&sp, r->path, e) == -1 ||
	    (in = score_spool_read(&sp, r->in, e)) == NULL)
		goto out;
	note_input(r, in);
	if (recin_ncols(in) == 0) {
		ci_err_set(
		    e, CI_EXIT_DATA, recin_name(in), 0, "no rows to train on");
		goto out;
	}
	if ((t.label = recin_require(in, o->label, "for --label", e)) < 0 ||
	    (o->enc.id != NULL &&
	        recin_require(in, o->enc.id, "for --id", e) < 0))
		goto out;
	colenc_stats_init(&t.st, recin_cols(in), recin_ncols(in));
	if (parread_input(in, &rd, NULL, NULL, NULL, &rows, e) == -1)
		goto out;
	if (t.st.rows == 0) {
		ci_err_set(
		    e, CI_EXIT_DATA, recin_name(in), 0, "no rows to train on");
		goto out;
	}
	if (label_values(&t, &t.pos, &t.neg, &r->notes, e) == -1)
		goto out;
	eo.label = o->label;
	if ((nf = colenc_decide(&m.enc, &t.st, &eo, &r->notes, e)) < 0)
		goto out;
	if (nf == 0) {
		ci_err_set(e, CI_EXIT_DATA, recin_name(in), 0,
		    "no usable feature column: every column is left out");
		goto out;
	}
	m.label = xstrdup(o->label);
	m.positive = xstrdup(t.pos);
	m.negative = xstrdup(t.neg);
	memcpy(m.cuts, o->cuts, sizeof(m.cuts));
	recin_free(in);
	if ((in = score_spool_read(&sp, r->in, e)) == NULL ||
	    colenc_bind(&m.enc, recin_cols(in), recin_ncols(in), e) == -1)
		goto out;
	t.enc = &m.enc;
	t.d = m.enc.nfeat;
	t.dcols = xcalloc(m.enc.n + 1, sizeof(*t.dcols));
	t.dcols[t.ndcols++] = t.label;
	for (i = 0; i < m.enc.n; i++)
		if (m.enc.col[i].in >= 0)
			t.dcols[t.ndcols++] = m.enc.col[i].in;
	model_digest_init(&t.digest);
	rd.row = enc_row;
	if (parread_input(in, &rd, NULL, r->rj, NULL, &r->rows, e) == -1)
		goto out;
	if (t.n == 0) {
		ci_err_set(e, CI_EXIT_DATA, recin_name(in), 0,
		    "every row was rejected: no rows to train on");
		goto out;
	}
	for (i = 0; i < t.n; i++)
		res.positives += t.y[i] > 0.5;
	buf_addf(&r->notes,
	    "label '%s': churn is '%s', %zu of %zu rows (%.1f%%)\n", o->label,
	    t.pos, res.positives, t.n,
	    100.0 * (double)res.positives / (double)t.n);
	if (fit(&m, o, &t, &res, &r->notes, e) == -1)
		goto out;
	if (write_model(&m, o, &t, &res, &out, e) == -1)
		goto out;
	rc = model_save(NULL, &out, e);
out:
	recin_free(in);
	score_spool_close(&sp);
	colenc_stats_release(&t.st);
	hmap_release(&t.lv);
	free(t.lcount);
	free(t.X);
	free(t.y);
	free(t.dcols);
	for (i = 0; i < 4; i++)
		free(res.auc[i]);
	buf_release(&out);
	churn_model_release(&m);
	return rc;
}

/* Reading the model back */

static int
broken(const char *path, struct ci_err *e, const char *what)
{
	return ci_err_set(e, CI_EXIT_MODEL, path, 0, "broken model: %s", what);
}

static int
load_doubles(const struct model *mf, const char *key, double *v, size_t n,
    struct ci_err *e)
{
	return model_numbers(mf, key, v, n, e);
}

static int
load_calib(struct churn_model *m, const struct model *mf, struct ci_err *e)
{
	const char     *s = model_string(mf, "calibration.method", e);
	enum calib_kind k;

	if (s == NULL)
		return -1;
	if (calib_kind_parse(s, &k) == -1)
		return broken(mf->path, e, "unknown calibration method");
	if (k == CALIB_PLATT) {
		m->cal.kind = k;
		return model_number(mf, "calibration.a", &m->cal.a, e) == -1 ||
		        model_number(mf, "calibration.b", &m->cal.b, e) == -1
		    ? -1
		    : 0;
	}
	if (k == CALIB_ISOTONIC) {
		json_t *x = model_get(mf, "calibration.x", e);
		size_t  n = json_array_size(x);
		double *vx, *vy;
		int     rc = -1;

		if (x == NULL || n == 0)
			return broken(
			    mf->path, e, "calibration without points");
		vx = xreallocarray(NULL, n, sizeof(*vx));
		vy = xreallocarray(NULL, n, sizeof(*vy));
		if (load_doubles(mf, "calibration.x", vx, n, e) == 0 &&
		    load_doubles(mf, "calibration.y", vy, n, e) == 0) {
			rc = calib_set_isotonic(&m->cal, vx, vy, n);
			if (rc == -1)
				broken(mf->path, e,
				    "calibration points out of order");
		}
		free(vx);
		free(vy);
		return rc;
	}
	return 0;
}

static int
load_logistic(struct churn_model *m, const struct model *mf, struct ci_err *e)
{
	size_t d = m->enc.nfeat;

	m->lr.d = d;
	m->lr.w = xcalloc(d + 1, sizeof(double));
	m->lr.fill = xcalloc(d + 1, sizeof(double));
	m->lr.center = xcalloc(d + 1, sizeof(double));
	m->lr.scale = xcalloc(d + 1, sizeof(double));
	if (model_number(mf, "logistic.intercept", &m->lr.b, e) == -1 ||
	    load_doubles(mf, "logistic.weights", m->lr.w, d, e) == -1 ||
	    load_doubles(mf, "logistic.fill", m->lr.fill, d, e) == -1 ||
	    load_doubles(mf, "logistic.center", m->lr.center, d, e) == -1 ||
	    load_doubles(mf, "logistic.scale", m->lr.scale, d, e) == -1)
		return -1;
	return 0;
}

static int
load_gbt(struct churn_model *m, const struct model *mf, struct ci_err *e)
{
	json_t *b = model_get(mf, "gbt.booster", e);
	double  trees;

	if (b == NULL || model_number(mf, "gbt.trees", &trees, e) == -1)
		return -1;
	if (!json_is_object(b) || !(trees >= 1 && trees <= 1e6))
		return broken(mf->path, e, "bad 'gbt' member");
	if (treeshap_load(&m->ts, b, m->enc.nfeat, (size_t)trees, e) == -1) {
		snprintf(e->file, sizeof(e->file), "%s", mf->path);
		return -1;
	}
	return 0;
}

/* The SHA-256 of the file at path, in hex, for the audit log. */
static void
file_digest(const char *path, char hex[65])
{
	crypto_hash_sha256_state st;
	unsigned char            h[crypto_hash_sha256_BYTES], b[65536];
	FILE                    *fp = fopen(path, "rb");
	size_t                   n, i;

	crypto_hash_sha256_init(&st);
	while (fp != NULL && (n = fread(b, 1, sizeof(b), fp)) > 0)
		crypto_hash_sha256_update(&st, b, n);
	if (fp != NULL)
		fclose(fp);
	crypto_hash_sha256_final(&st, h);
	for (i = 0; i < sizeof(h); i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

int
churn_model_load(struct churn_model *m, const char *path, struct ci_err *e)
{
	struct model mf;
	const char  *s;
	int          rc = -1;

	memset(m, 0, sizeof(*m));
	if (model_load(&mf, path, "ci-churn", CHURN_FORMAT_VERSION, e) == -1)
		return -1;
	if (churn_kind_parse(mf.kind, &m->kind) == -1 ||
	    m->kind == CHURN_AUTO) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "broken model: unknown kind '%s'", mf.kind);
		goto out;
	}
	if (colenc_load(&m->enc, mf.root, path, e) == -1)
		goto out;
	if (m->enc.nfeat == 0) {
		broken(path, e, "no features");
		goto out;
	}
	if ((s = model_string(&mf, "label.column", e)) == NULL)
		goto out;
	m->label = xstrdup(s);
	if ((s = model_string(&mf, "label.positive", e)) == NULL)
		goto out;
	m->positive = xstrdup(s);
	if ((s = model_string(&mf, "label.negative", e)) == NULL)
		goto out;
	m->negative = xstrdup(s);
	if ((s = model_string(&mf, "options.id", e)) == NULL)
		goto out;
	m->id = xstrdup(s);
	if (model_numbers(&mf, "bands.cuts", m->cuts, 3, e) == -1 ||
	    load_calib(m, &mf, e) == -1)
		goto out;
	if ((m->kind != CHURN_LOGISTIC && load_gbt(m, &mf, e) == -1) ||
	    (m->kind != CHURN_GBT && load_logistic(m, &mf, e) == -1))
		goto out;
	file_digest(path, m->digest);
	rc = 0;
out:
	if (rc == -1 && e->file[0] == '\0')
		snprintf(e->file, sizeof(e->file), "%s", path);
	model_free(&mf);
	return rc;
}
