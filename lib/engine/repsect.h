/*
 * repsect: the sections of ci-report's report, each written into the
 * document (HTML and Markdown) and the summary at once from what report.c
 * read.  Every figure goes through rep_fig(), which puts its value in the
 * summary and gives the text and summary pointer the document shows, so
 * the three outputs cannot disagree.
 */
#ifndef CI_REPSECT_H
#define CI_REPSECT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "custagg.h"
#include "diag.h"
#include "doc.h"
#include "intab.h"
#include "locfmt.h"

/* Quality reports (--quality) one report merges. */
#define REPORT_MAX_QUALITY 8

struct report_opts {
	const char      *customers; /* the one input required */
	const char      *quality[REPORT_MAX_QUALITY]; /* ci-ingest
	                                                 --quality */
	size_t           nquality;
	const char      *dedupe;    /* ci-dedupe output or crosswalk */
	const char      *clv_check; /* ci-score check */
	const char      *tracking;  /* ci-score check --by */
	const char      *outlook;   /* ci-score forecast */
	const char      *events;    /* canonical events: the actual weeks */
	const char      *churn_eval;
	const char      *profiles; /* ci-segment --profiles */
	const char      *recs;     /* ci-recommend */
	const char      *rules;    /* ci-recommend rules */
	const char      *rec_eval; /* ci-recommend eval */
	const char      *previous; /* last run's summary.json */
	const char      *outdir;
	const char      *title;
	const char      *asof;     /* YYYY-MM-DD, or NULL: from the rows */
	const char      *currency; /* NULL: the language's */
	const char      *revenue;  /* column, or NULL: spend_365d or
	                              monetary_total */
	enum locfmt_lang lang;
	size_t           top;         /* at-risk customers listed */
	double           active_days; /* recency of an active customer */
};

/* Weeks of actual purchases before the outlook (from the events). */
#define REP_WEEKS 13

/* Columns of the customers the report reads, by what they are. */
enum rep_col {
	RC_ID = 0,
	RC_REVENUE,
	RC_CLV,
	RC_RECENCY,
	RC_CHURN_RISK,
	RC_SENTIMENT,
	RC_NEGATIVE,
	RC_R_SCORE,
	RC_F_SCORE,
	RC_RFM,
	RC_TIER,
	RC_LIFE,
	RC_BAND,
	RC_CLUSTER,
	RC_REASON1,
	RC_REASON2,
	RC_REASON3,
	RC_ACTION,
	RC_NAME,
	RC_PHONE,
	RC_EMAIL,
	RC_FIRST_ORDER,
	RC_LAST_ORDER,
	RC_T,
	RC_UNIT,
	RC_N
};

/* The actual repeat purchases and revenue of the weeks before the outlook. */
struct rep_actual {
	bool   have;
	char   start[REP_WEEKS][11]; /* first day of each week */
	double purchases[REP_WEEKS];
	double revenue[REP_WEEKS];
};

struct rep {
	const struct report_opts *o;
	struct locfmt             fmt;
	struct doc                doc;
	json_t                   *sum; /* the summary's root */
	struct custagg            agg;
	int                       col[RC_N]; /* column index, or -1 */
	const char               *revenue_col;
	char                      asof[11]; /* "" when unknown */
	json_t                   *quality;
	struct intab dedupe, check, tracking, outlook, profiles, recs, rules,
	    rec_eval;
	json_t           *churn_eval; /* object of tables */
	json_t           *prev;       /* the previous summary, or NULL */
	struct rep_actual actual;
};

/* A figure: its summary pointer and its text. */
struct rep_fig {
	char ptr[160];
	char text[LOCFMT_MAX];
};

/* How a figure is written. */
enum rep_fk {
	FK_COUNT = 0, /* 1,234 */
	FK_MONEY,     /* ¥1,234.50 */
	FK_MONEY0,    /* ¥1,235 */
	FK_PCT,       /* a share: 39.4% */
	FK_NUM1,      /* 12.3 */
	FK_NUM2,      /* 0.83 */
	FK_SCOUNT,    /* +12 */
	FK_SMONEY,    /* +¥1,200.00 */
	FK_SMONEY0,   /* +¥1,200 */
	FK_SPCT,      /* +3.5% */
	FK_SNUM2      /* +0.05 */
};

/*
 * Set obj[key] to v (an integer for counts, null when v is NaN) and fill
 * *f with its pointer (base "/" key) and text.
 */
void rep_fig(struct rep *r, json_t *obj, const char *base, const char *key,
    double v, enum rep_fk k, struct rep_fig *f);

/* A word of the report's language (i18n()). */
const char *rep_t(const struct rep *r, const char *key);

/* The sections, in the report's order; each writes nothing without its
 * inputs.  They return 0, or -1 with *e for an input that is not what it
 * should be. */
int rep_headline(struct rep *r, struct ci_err *e);
int rep_segments(struct rep *r, struct ci_err *e);
int rep_value(struct rep *r, struct ci_err *e);
int rep_churn(struct rep *r, struct ci_err *e);
int rep_crosssell(struct rep *r, struct ci_err *e);
int rep_quality(struct rep *r, struct ci_err *e);

#endif
