/*
 * score: what ci-score does with feature rows: read the CLV inputs x, t_x,
 * T and repeat_value of each row (rejecting rows where they are missing,
 * negative or inconsistent, and refusing rows in another time unit), fit a
 * purchase-count model (BG/NBD, Pareto/NBD or MBG/NBD, or the best of the
 * three) and optionally the Gamma-Gamma spend model, judge the fit, write
 * and read the model file, predict per customer, write the rows again with
 * the predictions added, and compare predictions with a holdout period.
 *
 * Rows are summarised as they are read: each row keeps the index of its
 * distinct (x, t_x, T) triple and its repeat value (12 bytes), and every
 * model quantity is computed once per distinct triple, or per distinct
 * (x, T) pair for the expectations, which do not depend on t_x.  Writing
 * the predictions reads the input a second time (score_spool gives an
 * input that can be read twice).
 *
 * value_score is a customer's percentile among the customers the model
 * was fitted to, by the clv each had at the fit's horizon and discount
 * rate: the model keeps that reference distribution, so that a
 * customer's score depends on his row and the model alone, never on the
 * other rows of a run.
 *
 * The model file (format_version 2) is the envelope of model.h with kind
 * "bgnbd", "pareto" or "mbgnbd" and the members
 *   options        {"unit": "week", "columns": {"customer_id": ..., "x":
 *                   ..., "t_x": ..., "T": ..., "repeat_value": ...,
 *                   "unit": ...}, "model": "bgnbd" or "auto",
 *                   "penalizer": c, "max_iter": n}
 *   parameters     {"r": .., "alpha": .., "a": .., "b": ..}  (s, beta
 *                   for Pareto/NBD)
 *   standard_errors  the same names
 *   fit            {"loglik", "iterations", "converged", "gradient",
 *                   "customers", "distinct", "warnings": [...]}, with
 *                   "candidates": {"bgnbd": loglik, ...} for "auto"
 *   spend          null, or {"kind": "gamma-gamma", "parameters":
 *                   {"p", "q", "gamma"}, "standard_errors", "fit",
 *                   "left_out"}
 *   value_score    null (no spend model), or {"horizon": h,
 *                   "discount_rate": r, "customers": n, "reference":
 *                   [the sorted clv, or SCORE_REF_MAX of its quantiles]}
 * Format 1 (no "unit" column name, no warnings, no value_score) is read as
 * well; its predictions have no value_score.
 */
#ifndef CI_SCORE_H
#define CI_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cbs.h"
#include "clvsum.h"
#include "diag.h"
#include "holdout.h"
#include "mlfit.h"
#include "model.h"
#include "recin.h"
#include "rejects.h"
#include "strv.h"

#define SCORE_FORMAT_VERSION 2

/* The most values value_score's reference keeps (0.1 percentile apart). */
#define SCORE_REF_MAX 1001

enum score_kind { SCORE_BGNBD = 0, SCORE_PARETO, SCORE_MBGNBD };

/* The input columns ci-score reads, in this order. */
enum score_col {
	SCORE_COL_ID = 0,
	SCORE_COL_X,
	SCORE_COL_TX,
	SCORE_COL_T,
	SCORE_COL_VALUE,
	SCORE_COL_UNIT,
	SCORE_NCOLS
};

/* The output columns score_write() adds, in this order. */
#define SCORE_NADDED 5
extern const char *const score_added[SCORE_NADDED];

/* "customer_id", "x", "t_x", "T", "repeat_value", "unit": the names of
 * the columns, also the --col names. */
extern const char *const score_col_names[SCORE_NCOLS];

/* The column called s among score_col_names (an enum score_col); -1 if
 * none. */
int score_col_parse(const char *s);

/* The kind called s ("bgnbd", "pareto", "mbgnbd"); -1 if none. */
int score_kind_parse(const char *s, enum score_kind *k);

/* The unit called s ("day", "week") as days: 1 or 7; 0 if none. */
int score_unit_parse(const char *s, size_t len);

/* A fitted model and how it was fitted. */
struct score_model {
	enum score_kind   kind;
	bool              auto_kind;  /* --model auto: the best of the three */
	double            cand_ll[3]; /* with auto: each kind's loglik (NaN) */
	int               unit_days;  /* 7 (weeks) or 1 (days) */
	char             *col[SCORE_NCOLS]; /* column names, owned */
	double            penalizer;
	size_t            max_iter; /* iterations allowed */
	double            par[4];   /* in the kind's order */
	struct mlfit_info info;
	struct strv       warnings;  /* what the fit's diagnostics found */
	bool              has_spend; /* Gamma-Gamma fitted */
	double            spend[3];  /* p, q, gamma */
	struct mlfit_info spend_info;
	struct strv       spend_warnings;
	size_t            spend_left_out; /* repeat buyers without value */
	/* value_score's reference distribution (has_ref); see above. */
	bool    has_ref;
	double  ref_horizon, ref_discount; /* in the unit; per month */
	size_t  ref_customers;             /* the clv it summarises */
	double *ref;                       /* increasing; owned */
	size_t  nref;
	int     format_version; /* of a model read back; 0 when fitted */
};

/*
 * A model with the defaults: BG/NBD, weeks, the canonical column names,
 * no penalty, 2000 iterations.  Also turns GSL's aborting error handler
 * off, for the whole process: GSL's status codes are checked instead.
 */
void score_model_init(struct score_model *m);

/* Set column c's name to a copy of name. */
void
score_model_set_col(struct score_model *m, enum score_col c, const char *name);

/*
 * Set the column names of the --col values cols[0..n-1], each
 * "NAME=COLUMN" with NAME one of score_col_names.  Returns 0, or -1 with
 * *e (CI_EXIT_USAGE) naming the first bad value.
 */
int score_model_set_cols(
    struct score_model *m, char *const *cols, size_t n, struct ci_err *e);

/* Free what m owns.  Safe on a zeroed or initialised model. */
void score_model_release(struct score_model *m);

/* The model's name for messages: "BG/NBD", "Pareto/NBD", "MBG/NBD". */
const char *score_kind_title(enum score_kind k);

/* The names of the kind's four parameters. */
const char *const *score_param_names(enum score_kind k);

/*
 * What m predicts of one customer, in its time unit: his P(alive) at T
 * given (x, t_x, T); and for each t[i] >= 0 (i < n), if he is alive at T,
 * his expected purchases in (T, T + t[i]] and the probability that he is
 * still alive at T + t[i].  Each returns 0, or -1 with *e as the model's
 * functions (bgnbd.h, paretonbd.h, mbgnbd.h).
 */
int score_p_alive(const struct score_model *m, double x, double tx, double T,
    double *out, struct ci_err *e);
int score_expected_alive(const struct score_model *m, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *e);
int score_survival(const struct score_model *m, double x, double T,
    const double *t, size_t n, double *out, struct ci_err *e);

/* The rows read: their distinct triples and each row's place among them. */
struct score_data {
	struct cbs           d;     /* the distinct (x, t_x, T) */
	struct cbs_spend     s;     /* (x, repeat value) of repeat buyers */
	uint32_t            *row;   /* per record read: its triple, or
	                                SCORE_REJECTED */
	double              *value; /* per record: repeat value, or NaN */
	size_t               nrows; /* records read, rejected ones too */
	size_t               cap;
	size_t               spend_left_out;
	struct model_digest  digest; /* of the x, t_x, T (, value) fields */
	struct cbs_acc       acc;
	struct cbs_spend_acc sacc;
	struct holdout      *holdout; /* set by the caller for the check */
	double              *actual;  /* per record: holdout purchase days */
	/*
	 * Set by the caller: the days in the rows' time unit (1 or 7), or 0
	 * for the first 'unit' field to say (the default week without one);
	 * what set it, for messages, with its verb ("--unit says", "the
	 * model 'm.json' is in"); and the days in the model's unit, to which
	 * t_x and T are converted (0: the rows' unit).
	 */
	int           unit;
	const char   *unit_of;
	int           to_unit;
	unsigned long unit_line; /* the first row that said its unit */
	/*
	 * Set by the caller: find the last day of the calibration from the
	 * rows, each row's first_order plus its T in days.  asof_day is that
	 * day (days since 1970-01-01), INT64_MIN while no row has said it,
	 * and asof_line the first row that did.
	 */
	bool          want_asof;
	int64_t       asof_day;
	unsigned long asof_line;
};

/* What sd->row[] holds for a rejected record, and for a customer without
 * a purchase (x, t_x and T all empty: only service events), whose row is
 * written with empty predictions and takes no part in the fit. */
#define SCORE_REJECTED UINT32_MAX
#define SCORE_NO_PURCHASE (UINT32_MAX - 1)

/*
 * Read the rows of in into sd (zeroed by the caller, but for the unit
 * members) with the column names of m: x, t_x and T are required
 * (CI_EXIT_USAGE naming the missing one), and repeat_value is read, and
 * required, only when need_value.  A row whose values are missing,
 * negative or inconsistent (x not whole, t_x after T, t_x > 0 with x = 0,
 * a value that is not a number, a unit other than day or week) goes to rj
 * with its reason; the count of rows read (good and bad) goes to *rows.
 * With sd->want_asof, the day first_order + T must be the same in every
 * row that has a first_order (CI_EXIT_DATA naming both rows otherwise).
 * When the input has m's unit column, a row in another unit than sd->unit
 * stops the reading (CI_EXIT_USAGE, naming both); with sd->unit 0 the
 * first row's sets it.  t_x and T are converted to sd->to_unit.  With
 * want_spend, repeat buyers with a repeat value > 0 are kept for the spend
 * fit and those without are counted in sd->spend_left_out.  With
 * sd->holdout set, the customer_id column is required too and each row's
 * purchase days in the holdout go to sd->actual.  Returns 0, or -1 with
 * *e (usage, or an input that cannot be read).
 */
int score_read(struct score_data *sd, struct recin *in,
    const struct score_model *m, bool need_value, bool want_spend,
    struct rejects *rj, uint64_t *rows, struct ci_err *e);

/*
 * Read the rows of in for the model m (read from r->model) as score_read()
 * does, in r->unit when given (converted to the model's), else in the
 * model's, the value only when value; then freeze them.  Returns 0, or -1
 * with *e.
 */
struct score_run;
int score_read_for(const struct score_model *m, struct recin *in,
    struct score_data *sd, struct score_run *r, bool value, struct ci_err *e);

/* Freeze what score_read() collected; call once, before fitting or
 * predicting. */
void score_data_freeze(struct score_data *sd);

/* Free sd.  Safe on a zeroed struct. */
void score_data_release(struct score_data *sd);

/*
 * Fit m->kind (and Gamma-Gamma when spend) to sd with m's penalizer and
 * max_iter, filling m.  A fit that does not converge returns 0 with
 * m->info.converged (or m->spend_info.converged) false.  Returns -1 with
 * *e (CI_EXIT_DATA) when there is nothing to fit to or the likelihood
 * cannot be computed.
 */
int score_fit(struct score_model *m, const struct score_data *sd, bool spend,
    struct ci_err *e);

/*
 * Freeze sd and score_fit(), then check that the fits converged: a fit
 * that did not is an error (CI_EXIT_DATA) giving its iterations, largest
 * gradient and last parameters, and what to try.  Returns 0 or -1 with *e.
 */
int score_fit_checked(
    struct score_model *m, struct score_data *sd, bool spend, struct ci_err *e);

/*
 * Append a summary of m's fits to out (for stderr): with --model auto a
 * line with each model's log-likelihood, then one for the fit.
 */
void score_summary(const struct score_model *m, struct buf *out);

/*
 * Append m's fit warnings to out, a line "warning: ..." each: parameters
 * that ran to a boundary, read as what that limit means and what to do,
 * or a likelihood flat at the estimate (see ci-score(1)).
 */
void score_warnings(const struct score_model *m, struct buf *out);

/*
 * Append the model file of m, fitted to the rows digested in sd, to out:
 * a JSON document with two-space indentation (no final newline).
 */
void score_model_write(
    const struct score_model *m, struct score_data *sd, struct buf *out);

/*
 * Read the model file at path into m (initialised by the caller).
 * Returns 0, or -1 with *e (CI_EXIT_MODEL) when it is missing, not JSON,
 * not a ci-score model, of a newer format, or lacks or has bad members.
 */
int score_model_load(struct score_model *m, const char *path, struct ci_err *e);

/* The per-row predictions, filled by score_predict(). */
struct score_pred {
	double *p_alive;  /* per record; NaN for rejected ones */
	double *expected; /* purchases over the horizon */
	double *value;    /* expected spend per purchase (NaN: no spend) */
	double *clv;
	double *score;   /* value_score, 0-100 (NaN: no reference) */
	double *ref_clv; /* the clv at the reference's horizon and rate */
	size_t  n;
};

/*
 * Predict every row of sd with m over the horizon of plan (its last step
 * end): P(alive), the expected purchases, the expected value of a purchase
 * and the CLV (empty without a spend model), and with a reference
 * value_score, the percentile of the row's clv at the reference's horizon
 * and discount rate among the reference's (see ci-score(1)).  Returns 0,
 * or -1 with *e.
 */
int score_predict(const struct score_model *m, const struct score_data *sd,
    const struct clvsum *plan, struct score_pred *pr, struct ci_err *e);

/*
 * Make m's value_score reference from the clv of pr (the rows m was
 * fitted to, predicted over horizon with the monthly discount rate):
 * every finite clv, sorted, or SCORE_REF_MAX of its quantiles (the
 * values at ranks i (n - 1) / (SCORE_REF_MAX - 1), i = 0, 1, ...).
 * Without a finite clv m has no reference.
 */
void score_reference(struct score_model *m, const struct score_pred *pr,
    double horizon, double discount);

/* Score every row of pr again against m's reference (after
 * score_reference() on the same pr, whose clv is the reference's). */
void score_rescore(const struct score_model *m, struct score_pred *pr);

/*
 * Whether the predictions of sd's rows are degenerate: every
 * expected_purchases or every clv zero, or, among two distinct customer
 * summaries or more, every expected_purchases or clv the same number, or
 * (with fitted, when the rows are the reference's) every value_score.
 * Returns 1 with what in why, or 0.
 */
int score_degenerate(const struct score_data *sd, const struct score_pred *pr,
    bool fitted, struct buf *why);

/* Free pr.  Safe on a zeroed struct. */
void score_pred_release(struct score_pred *pr);

/*
 * Read in again (the same rows score_read() read) and write each row that
 * was not rejected to a writer in format fmt (REC_FMT_AUTO: the input's)
 * on stdout: its fields, then the columns of score_added; an input column
 * of the same name as an added one is overwritten in place.  The numbers
 * computed have digits significant digits (recout_set_digits(); 0: all).
 * Returns 0, or -1 with *e.
 */
int score_write(struct recin *in, const struct score_data *sd,
    const struct score_pred *pr, enum rec_fmt fmt, int digits,
    struct ci_err *e);

/*
 * The calibration check: the rows of sd that were not rejected, bucketed
 * by x (0, 1, ..., 6, then "7+"), with their number, the sums of their
 * predicted purchases over the holdout (pr->expected) and of their actual
 * ones (sd->actual), the means of both per customer and the mean absolute
 * error per customer, then a "total" row: a table with the columns x,
 * customers, predicted, actual, predicted_mean, actual_mean and mae, on
 * stdout in format fmt.  Returns 0, or -1 with *e (CI_EXIT_IO).
 */
int score_check(const struct score_data *sd, const struct score_pred *pr,
    enum rec_fmt fmt, struct ci_err *e);

/* Where and when the holdout period is. */
struct score_holdout {
	const char              *path;    /* canonical events */
	const struct recin_opts *in;      /* how to read them */
	int64_t                  asof;    /* the end of the calibration, UTC */
	double                   horizon; /* in m's unit; 0: to the day of
	                                     the latest order */
	struct tz               *tz;      /* of days; NULL: UTC; owned */
};

/*
 * Set ho's asof from the --asof value asof and its zone from the --tz
 * name zone (NULL: UTC).  Returns 0, or -1 with *e (CI_EXIT_USAGE for a
 * bad time or zone).  Free the zone with tz_free(ho->tz).
 */
int score_holdout_init(struct score_holdout *ho, const char *asof,
    const char *zone, struct ci_err *e);

/* One run of ci-score: where the feature rows come from, how the
 * output is written, and what the run found. */
struct score_run {
	const char              *path;  /* the feature rows; NULL: stdin */
	const struct recin_opts *in;    /* how to read them */
	enum rec_fmt             fmt;   /* output; REC_FMT_AUTO: the input's */
	bool                     spend; /* fit the spend model too */
	double                   horizon;  /* in the unit; 0: a year */
	double                   discount; /* monthly discount rate */
	int                      unit;     /* --unit in days; 0: not given */
	const char              *model;    /* the model file read, if any */
	int  digits;              /* --digits of the numbers written; 0: all */
	bool allow_degenerate;    /* write degenerate predictions anyway */
	struct rejects *rj;       /* where bad rows go */
	uint64_t        rows;     /* rows read, bad ones too */
	struct buf      notes;    /* summary lines for stderr; release */
	struct buf      warnings; /* warning lines for stderr; release */
};

/*
 * Fit m (its kind and options set) to the rows of r->path, make the value
 * score's reference at r's horizon and discount rate, and write the model
 * file to stdout, with a summary of the fit in r->notes and its warnings
 * in r->warnings.  The rows are in r->unit, or in the unit their 'unit'
 * column says, or in weeks.  Degenerate predictions are an error
 * (CI_EXIT_DATA) unless r->allow_degenerate.  Returns 0, or -1 with *e.
 */
int score_run_fit(struct score_model *m, struct score_run *r, struct ci_err *e);

/*
 * Predict every row of r->path with m, fitted first as score_run_fit()
 * fits when fit is set (to the same rows, read twice: score_spool), and
 * write the rows with the columns of score_added to stdout.  A model read
 * from r->model takes rows in its unit, or in r->unit converted to it.
 * Returns 0, or -1 with *e.
 */
int score_run_predict(
    struct score_model *m, bool fit, struct score_run *r, struct ci_err *e);

/*
 * The whole check of m: read the holdout's events (holdout.h), then the
 * feature rows of r->path, predict over the holdout and write the table
 * of score_check(), with the holdout's length in r->notes.  Returns 0, or
 * -1 with *e (CI_EXIT_DATA when the holdout has no order after asof).
 */
int score_run_check(const struct score_model *m, struct score_run *r,
    const struct score_holdout *ho, struct ci_err *e);

/*
 * An input that can be read twice: a regular file is reopened, anything
 * else (stdin, a pipe) is copied to an unnamed temporary file first.
 */
struct score_spool {
	FILE       *fp;
	const char *name; /* for messages: the path, or "stdin" */
	const char *path; /* NULL: the temporary copy */
};

/* Open path (NULL or "-": stdin).  Returns 0 or -1 with *e (CI_EXIT_IO). */
int
score_spool_open(struct score_spool *sp, const char *path, struct ci_err *e);

/*
 * A reader of the spooled input from its start, as recin_open() with o.
 * Returns NULL with *e filled.
 */
struct recin *score_spool_read(
    struct score_spool *sp, const struct recin_opts *o, struct ci_err *e);

/* Close the spooled input.  Safe on a zeroed struct. */
void score_spool_close(struct score_spool *sp);

#endif
