/*
 * dedupe: the engine of ci-dedupe: customer records from several systems
 * in, one customer_id per person out.  Records are read whole (the
 * clusters need them all), compared in candidate pairs chosen by blocking
 * rules, scored by a Fellegi-Sunter model (lib/match/fsmatch) whose m and
 * u are estimated from the data or read from a model file, and joined
 * into clusters above a threshold; each cluster gets an id that a prior
 * crosswalk keeps from one run to the next.  apply rekeys events by a
 * crosswalk, streaming.
 */
#ifndef CI_DEDUPE_H
#define CI_DEDUPE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "parread.h"
#include "rejects.h"

struct dedupe_opts {
	const char *config;       /* --config match.yaml, or NULL */
	const char *model;        /* --model: parameters and comparisons */
	const char *save_model;   /* --save-model */
	const char *crosswalk;    /* --crosswalk output */
	const char *pairs;        /* --pairs output */
	const char *golden;       /* --golden output */
	const char *prior;        /* --prior: last run's crosswalk */
	const char *changes;      /* --changes output */
	const char *region;       /* --region of national phone numbers */
	double      threshold;    /* match probability of a link (0.95) */
	uint64_t    max_pairs;    /* candidate pairs one rule may make */
	uint64_t    random_pairs; /* pairs sampled for u */
	uint64_t    seed;
	int         digits;
};

struct dedupe;

/* The defaults of the options. */
void dedupe_opts_init(struct dedupe_opts *o, uint64_t seed);

/*
 * A resolver with options o (borrowed until dedupe_free()): reads the
 * configuration and the model when given.  NULL with *e on failure
 * (CI_EXIT_USAGE for the configuration, CI_EXIT_MODEL for the model).
 */
struct dedupe *dedupe_new(const struct dedupe_opts *o, struct ci_err *e);

/*
 * Read the customer records of in; bad rows (an empty or repeated
 * source_key) go to rj.  *fmt gets the first input's format.  Returns 0
 * or -1 with *e.
 */
int dedupe_read(struct dedupe *d, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, enum rec_fmt *fmt, struct ci_err *e);

/*
 * Resolve: block, fit (unless from a model), score, cluster, give ids
 * (keeping those of --prior).  What happened, for stderr, is appended to
 * notes.  Returns 0, 1 when the fit is degenerate (a warning in notes;
 * the outputs are still written), or -1 with *e.
 */
int dedupe_run(struct dedupe *d, struct buf *notes, struct ci_err *e);

/* Write the records (to stdout, in fmt) and every requested file. */
int dedupe_write(struct dedupe *d, enum rec_fmt fmt, struct ci_err *e);

/* Free d; safe on NULL. */
void dedupe_free(struct dedupe *d);

/*
 * ci-dedupe apply: rewrite the customer_id of each event of in (keyed by
 * source and customer_id, the source's own key) to the person's id from
 * the crosswalk file.  Events of unknown customers go to rj.  Output in
 * fmt (REC_FMT_AUTO: the input's).  Returns 0 or -1 with *e.
 */
int dedupe_apply(const char *crosswalk, const struct parread_files *in,
    struct rejects *rj, enum rec_fmt fmt, uint64_t *rows, struct ci_err *e);

#endif
