/*
 * report: what ci-report does.  It reads the customers (feature rows with
 * whichever ci-score, ci-segment and ci-churn columns are present) and the
 * optional outputs of the other tools, and writes report.html (one
 * self-contained page), report.md and summary.json (every figure shown)
 * into a directory.  A section whose input is absent is left out.
 */
#ifndef CI_REPORT_H
#define CI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "locfmt.h"
#include "parread.h"

struct rejects;

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

/* Set the defaults of o. */
void report_opts_init(struct report_opts *o);

/*
 * Write the report.  in says how to read the customers (its paths are
 * replaced by o->customers); their bad rows go to rj and *rows counts
 * them all.  A one-line summary of what was written goes to notes.
 * Returns 0, or -1 with *e: a missing column or a bad option value (2), a
 * bad row in another input (1), a file that cannot be read or written
 * (3), a previous summary that is not one (4).
 */
int report_run(const struct report_opts *o, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, struct buf *notes, struct ci_err *e);

#endif
