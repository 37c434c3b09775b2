/*
 * churn: what ci-churn does: train a churn model on labelled customer
 * rows (column typing, cross-validation that picks the model and sets the
 * tree count, calibration on held-out folds), write and read the model
 * file, score rows (probability, risk, band, reasons, playbook action,
 * decision log) and evaluate a model on labelled rows.
 *
 * The model file (format_version 1) is the envelope of model.h with kind
 * "gbt", "logistic" or "blend" (the mean of both margins) and the members
 *   options      the training options: label, positive, id, model, seed,
 *                folds, class_weight, calibration, max_depth, eta, trees, C
 *   label        {"column", "positive", "negative", "rows", "positives"}
 *   columns      every input column: name, type (numeric, date,
 *                categorical, dropped), why dropped, unit, levels, pooled
 *   date_reference  the day dates were counted back from, or null
 *   features     the encoded features' names
 *   weights      {"positive": w}: the weight of a positive row
 *   cv           null, or {"folds", "metric": "roc_auc", "gbt": [fold
 *                scores], "gbt_mean", "gbt_trees", "logistic": [...],
 *                "logistic_mean", "blend": [...], "blend_mean", "chosen"}
 *   calibration  {"method": "platt", "a", "b"}, {"method": "isotonic",
 *                "x": [...], "y": [...]} or {"method": "none"}
 *   bands        {"names": ["low", "medium", "high", "critical"],
 *                "cuts": [c1, c2, c3]} on churn_risk
 *   fit          {"train_roc_auc", "mean_probability", "positive_rate"}
 *   gbt          {"trees": n, "booster": XGBoost's JSON model} (gbt and
 *                blend)
 *   logistic     {"intercept", "weights", "fill", "center", "scale"}
 *                (logistic and blend)
 *
 * Training holds the encoded rows in memory (4 bytes per feature per
 * row); scoring streams, a batch of CHURN_BATCH rows at a time.
 */
#ifndef CI_CHURN_H
#define CI_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "calib.h"
#include "colenc.h"
#include "diag.h"
#include "gbt.h"
#include "logreg.h"
#include "recin.h"
#include "rejects.h"
#include "strv.h"
#include "treeshap.h"

#define CHURN_FORMAT_VERSION 1
#define CHURN_BATCH 4096
#define CHURN_NREASONS 3

enum churn_kind { CHURN_AUTO = 0, CHURN_GBT, CHURN_LOGISTIC, CHURN_BLEND };

/* "auto", "gbt", "logistic" or "blend" to a kind; -1 if none. */
int churn_kind_parse(const char *s, enum churn_kind *k);

/* The columns predict adds, in this order (then the playbook's). */
#define CHURN_NADDED 6
extern const char *const churn_added[CHURN_NADDED];

/* The band names, lowest first. */
extern const char *const churn_band_names[4];

struct churn_train_opts {
	const char        *label;
	const char        *positive; /* NULL: told from the values */
	enum churn_kind    kind;
	int                folds;        /* of the cross-validation, 5 */
	int                trees;        /* 0: early stopping */
	int                class_weight; /* -1 auto, 0 none, 1 balanced */
	enum calib_kind    calibration;
	double             cuts[3]; /* band cut points on churn_risk */
	struct gbt_params  gp;
	double             C;
	struct colenc_opts enc;
};

/* The defaults: auto, 5 folds, early stopping, Platt, bands 25/50/75. */
void churn_train_opts_init(struct churn_train_opts *o);

/* A trained model, or one read back. */
struct churn_model {
	enum churn_kind kind; /* CHURN_GBT, CHURN_LOGISTIC or CHURN_BLEND */
	struct colenc   enc;
	char           *label, *positive, *negative;
	char           *id;  /* the id column, for the audit */
	struct gbt      gbt; /* train */
	struct treeshap ts;  /* predict and eval */
	struct logreg   lr;
	struct calib    cal;
	double          cuts[3];
	char            digest[65];   /* of the model file: the audit's */
	bool            from_p_alive; /* no model: 1 - p_alive */
};

/* Free m.  Safe on a zeroed struct. */
void churn_model_release(struct churn_model *m);

/*
 * Read the model file at path into m (zeroed), the trees into m->ts.
 * Returns 0, or -1 with *e (CI_EXIT_MODEL) when it is missing, not JSON,
 * not a ci-churn model, of a newer format, or lacks or has bad members.
 */
int churn_model_load(struct churn_model *m, const char *path, struct ci_err *e);

/* One run of ci-churn: input, output, and what the run found. */
struct churn_run {
	const char              *path;   /* the rows; NULL: stdin */
	const struct recin_opts *in;     /* how to read them */
	enum rec_fmt             fmt;    /* output; REC_FMT_AUTO: the input's */
	int                      digits; /* significant digits; 0: all */
	struct rejects          *rj;     /* where bad rows go */
	uint64_t                 rows;   /* rows read, bad ones too */
	struct buf               notes;  /* lines for stderr; release */
	bool                     degenerate; /* all predictions equal */
};

/*
 * Train a model with o on the rows of r->path and write the model file to
 * stdout, with what training found in r->notes.  Returns 0, or -1 with *e:
 * CI_EXIT_USAGE for a missing label column or a bad option value,
 * CI_EXIT_DATA for a label of one or more than two values, no usable
 * feature column, too few rows of a class, or a model that does not
 * separate the classes on its own training rows.
 */
int churn_run_train(
    const struct churn_train_opts *o, struct churn_run *r, struct ci_err *e);

/* What predict does besides scoring. */
struct churn_predict_opts {
	const char *playbook; /* YAML file, or NULL */
	const char *audit;    /* decision log, or NULL */
	const char *asof;     /* reference day of dates, or NULL */
	const char *p_alive;  /* --from-p-alive: the column */
	bool        approx;   /* Saabas's reasons, not exact TreeSHAP */
	int         threads;  /* scoring the rows */
	int64_t     now;      /* the audit's time, UTC seconds */
};

/*
 * Score every row of r->path with m and write it with the columns of
 * churn_added (and the playbook's) to stdout; append to the audit log.
 * r->degenerate tells when every prediction was the same.  Returns 0, or
 * -1 with *e.
 */
int churn_run_predict(struct churn_model *m, const struct churn_predict_opts *o,
    struct churn_run *r, struct ci_err *e);

/*
 * Evaluate m on the labelled rows of r->path (label column label, NULL:
 * the model's; positive value positive, NULL: the model's) and write the
 * tables to stdout: CSV (table,row,column,value) or, with r->fmt
 * REC_FMT_NDJSON, one JSON document.  Returns 0, or -1 with *e.
 */
int
churn_run_eval(struct churn_model *m, const char *label, const char *positive,
    const struct churn_predict_opts *o, struct churn_run *r, struct ci_err *e);

/* Parse "25,50,75" (three increasing numbers in 0..100) into cuts; 0/-1. */
int churn_parse_cuts(const char *s, double cuts[3]);

#endif
