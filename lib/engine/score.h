/*
 * score: what ci-score does with feature rows: read the CLV inputs x, t_x,
 * T and repeat_value of each row (rejecting rows where they are missing,
 * negative or inconsistent), fit a purchase-count model (BG/NBD,
 * Pareto/NBD or MBG/NBD) and optionally the Gamma-Gamma spend model, write
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
 * The model file (format_version 1) is the envelope of model.h with kind
 * "bgnbd", "pareto" or "mbgnbd" and the members
 *   options        {"unit": "week", "columns": {"x": ..., "t_x": ...,
 *                   "T": ..., "repeat_value": ...}, "penalizer": c,
 *                   "max_iter": n}
 *   parameters     {"r": .., "alpha": .., "a": .., "b": ..}  (s, beta
 *                   for Pareto/NBD)
 *   standard_errors  the same names
 *   fit            {"loglik", "iterations", "converged", "gradient",
 *                   "customers", "distinct"}
 *   spend          null, or {"kind": "gamma-gamma", "parameters":
 *                   {"p", "q", "gamma"}, "standard_errors", "fit",
 *                   "left_out"}
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

#define SCORE_FORMAT_VERSION 1

enum score_kind { SCORE_BGNBD = 0, SCORE_PARETO, SCORE_MBGNBD };

/* The input columns ci-score reads, in this order. */
enum score_col {
	SCORE_COL_ID = 0,
	SCORE_COL_X,
	SCORE_COL_TX,
	SCORE_COL_T,
	SCORE_COL_VALUE,
	SCORE_NCOLS
};

/* The output columns score_write() adds, in this order. */
#define SCORE_NADDED 5
extern const char *const score_added[SCORE_NADDED];

/* "customer_id", "x", "t_x", "T", "repeat_value": the names of the
 * columns, also the --col names. */
extern const char *const score_col_names[SCORE_NCOLS];

/* The column called s among score_col_names (an enum score_col); -1 if
 * none. */
int score_col_parse(const char *s);

/* The kind called s ("bgnbd", "pareto", "mbgnbd"); -1 if none. */
int score_kind_parse(const char *s, enum score_kind *k);

/* A fitted model and how it was fitted. */
struct score_model {
	enum score_kind   kind;
	int               unit_days;        /* 7 (weeks) or 1 (days) */
	char             *col[SCORE_NCOLS]; /* column names, owned */
	double            penalizer;
	size_t            max_iter; /* iterations allowed */
	double            par[4];   /* in the kind's order */
	struct mlfit_info info;
	bool              has_spend; /* Gamma-Gamma fitted */
	double            spend[3];  /* p, q, gamma */
	struct mlfit_info spend_info;
	size_t            spend_left_out; /* repeat buyers without value */
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

/* Free what m owns.  Safe on a zeroed or initialised model. */
void score_model_release(struct score_model *m);

/* The model's name for messages: "BG/NBD", "Pareto/NBD", "MBG/NBD". */
const char *score_kind_title(enum score_kind k);

/* The names of the kind's four parameters. */
const char *const *score_param_names(enum score_kind k);

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
};

/* What sd->row[] holds for a rejected record, and for a customer without
 * a purchase (x, t_x and T all empty: only service events), whose row is
 * written with empty predictions and takes no part in the fit. */
#define SCORE_REJECTED UINT32_MAX
#define SCORE_NO_PURCHASE (UINT32_MAX - 1)

/*
 * Read the rows of in into sd (zeroed by the caller) with the column names of
 * m: x, t_x and T are required (CI_EXIT_USAGE naming the missing one), and
 * repeat_value is read, and required, only when need_value.  A row whose values
 * are missing, negative or inconsistent (x not whole, t_x after T, t_x > 0 with
 * x = 0, a value that is not a number) goes to rj with its reason; the count of
 * rows read (good and bad) goes to *rows.  With want_spend, repeat buyers with
 * a repeat value > 0 are kept for the spend fit and those without are counted
 * in sd->spend_left_out.  With sd->holdout set, the customer_id column is
 * required too and each row's purchase days in the holdout go to sd->actual.
 * Returns 0, or -1 with *e (usage, or an input that cannot be read).
 */
int score_read(struct score_data *sd, struct recin *in,
    const struct score_model *m, bool need_value, bool want_spend,
    struct rejects *rj, uint64_t *rows, struct ci_err *e);

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

/* Append a one-line summary of m's fits to out (for stderr). */
void score_summary(const struct score_model *m, struct buf *out);

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
	double *score; /* value_score, 0-100 */
	size_t  n;
};

/*
 * Predict every row of sd with m over the horizon of plan (its last step
 * end): P(alive), the expected purchases, the expected value of a purchase
 * and the CLV (empty without a spend model), and value_score, the
 * percentile rank of the CLV among the rows that have one (ties share the
 * mean of their ranks; see ci-score(1)).  Returns 0, or -1 with *e.
 */
int score_predict(const struct score_model *m, const struct score_data *sd,
    const struct clvsum *plan, struct score_pred *pr, struct ci_err *e);

/* Free pr.  Safe on a zeroed struct. */
void score_pred_release(struct score_pred *pr);

/*
 * Read in again (the same rows score_read() read) and write each row that
 * was not rejected to a writer in format fmt (REC_FMT_AUTO: the input's)
 * on stdout: its fields, then the columns of score_added; an input column
 * of the same name as an added one is overwritten in place.  Returns 0,
 * or -1 with *e.
 */
int score_write(struct recin *in, const struct score_data *sd,
    const struct score_pred *pr, enum rec_fmt fmt, struct ci_err *e);

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
	const struct tz         *tz;      /* of days; NULL: UTC */
};

/* One run of ci-score: where the feature rows come from, how the
 * output is written, and what the run found. */
struct score_run {
	const char              *path;  /* the feature rows; NULL: stdin */
	const struct recin_opts *in;    /* how to read them */
	enum rec_fmt             fmt;   /* output; REC_FMT_AUTO: the input's */
	bool                     spend; /* fit the spend model too */
	double                   horizon;  /* in the unit; 0: a year */
	double                   discount; /* monthly discount rate */
	struct rejects          *rj;       /* where bad rows go */
	uint64_t                 rows;     /* rows read, bad ones too */
	struct buf               notes;    /* lines for stderr; release */
};

/*
 * Fit m (its kind and options set) to the rows of r->path and write the
 * model file to stdout, with a summary of the fit in r->notes.  Returns
 * 0, or -1 with *e.
 */
int score_run_fit(struct score_model *m, struct score_run *r, struct ci_err *e);

/*
 * Predict every row of r->path with m, fitted first when fit is set (to
 * the same rows, read twice: score_spool), and write the rows with the
 * columns of score_added to stdout.  Returns 0, or -1 with *e.
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
