/*
 * segment: the engine of ci-segment.  It holds every feature row of the
 * input (the fields of all rows in one arena, and the numeric columns it
 * uses as arrays of doubles), fits the parameters of the segment kinds
 * asked for (RFM cut points, value percentiles, the typical purchase gap,
 * the scaling and centroids of the clusters) or takes them from a saved
 * model, labels every row, and writes the rows with the segment columns
 * added, in the order ci-segment(1) lists them:
 *
 *   r_score, f_score, m_score, rfm_score, rfm_segment   (rfm.h)
 *   value_tier                                          (tier.h)
 *   lifecycle                                           (lifecycle.h)
 *   cluster                                             (cluster.h)
 *   segment, or the rules' own column                   (segrules.h)
 *
 * A column of the input with one of these names is replaced in place;
 * every other input column is written as it was read.
 *
 * Life of a run: segment_new(), then segment_bind() on the first input
 * (which checks the columns), segment_add() for every row,
 * segment_fit() (which does nothing with a model), segment_label(), and
 * then any of segment_save_model(), segment_write_profiles() and
 * segment_write().
 */
#ifndef CI_SEGMENT_H
#define CI_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cluster.h"
#include "diag.h"
#include "lifecycle.h"
#include "parread.h"
#include "recin.h"
#include "segrules.h"
#include "strv.h"
#include "tier.h"

/* The segment kinds, as bits of segment_opts.kinds. */
enum {
	SEG_RFM = 1 << 0,
	SEG_TIER = 1 << 1,
	SEG_LIFECYCLE = 1 << 2,
	SEG_CLUSTER = 1 << 3,
	SEG_ALL = (1 << 4) - 1
};

/* What to fit.  The strings are borrowed for the life of the segment. */
struct segment_opts {
	unsigned                kinds;
	const char             *recency; /* column names of R, F and M */
	const char             *frequency;
	const char             *monetary;
	struct tier_params      tier;
	struct lifecycle_params life;
	struct cluster_opts     cluster;
	struct strv             cluster_on; /* columns; none: R, F and M */
};

/* The defaults of ci-segment(1). */
void segment_opts_init(struct segment_opts *o, uint64_t seed);

/*
 * Parse a list of kinds ("rfm,tier", "all") into *kinds; 0, or -1 naming
 * nothing (the caller reports the value).
 */
int segment_kinds_parse(const char *s, unsigned *kinds);

struct segment;

/* A new engine that will fit with the options o (copied). */
struct segment *segment_new(const struct segment_opts *o);

/*
 * A new engine that applies the model at path.  Returns NULL with *e
 * (CI_EXIT_MODEL) when the file is missing, broken, another tool's, or
 * holds values that are not as ci-segment writes them.
 */
struct segment *segment_new_model(const char *path, struct ci_err *e);

/*
 * Bind the columns of the input r (the first one read): find the columns
 * the kinds need and, when fitting, choose where tiers take value and
 * risk from.  rules (may be NULL) is bound to the output columns.
 * Returns 0, or -1 with *e (CI_EXIT_USAGE) naming a missing column.  An
 * input without columns (empty) binds nothing and is not an error.
 */
int segment_bind(struct segment *s, const struct recin *r,
    struct segrules *rules, struct ci_err *e);

/*
 * Check that a further input r has the columns of the first; -1 with *e
 * (CI_EXIT_USAGE) when not.
 */
int segment_check_columns(
    const struct segment *s, const struct recin *r, struct ci_err *e);

/*
 * Keep the row rec, read from file.  Returns 0, or -1 with *e
 * (CI_EXIT_DATA, file and line) when a column the kinds use holds
 * something that is not a number; the row is then not kept.
 */
int segment_add(struct segment *s, const struct rec *rec, const char *file,
    struct ci_err *e);

/*
 * Read the files of in into s: the first input with columns is bound
 * (segment_bind(), with rules when not NULL) and sets *fmt to its format;
 * every later one must have its columns (segment_check_columns()).  Each
 * bad row goes to rj with its reason; *rows counts the rows read.
 * Returns 0, or -1 with *e.
 */
int segment_read(struct segment *s, const struct parread_files *in,
    struct segrules *rules, struct rejects *rj, uint64_t *rows,
    enum rec_fmt *fmt, struct ci_err *e);

/*
 * Fit the parameters on the rows kept (nothing to do with a model).
 * Returns 0, or -1 with *e: CI_EXIT_DATA when the clusters cannot be
 * fitted (fewer distinct rows than clusters).
 */
int segment_fit(struct segment *s, struct ci_err *e);

/* Label every row with its scores, segment, tier, stage and cluster. */
void segment_label(struct segment *s);

/*
 * Write the model to path.  Returns 0, or -1 with *e: CI_EXIT_IO, or
 * CI_EXIT_DATA when there were no rows to fit on.
 */
int segment_save_model(struct segment *s, const char *path, struct ci_err *e);

/*
 * Write the cluster profiles (CSV: cluster, size, share and the mean of
 * each clustering column, in its own units) to path, numbers with digits
 * significant digits (0: all, see recout_set_digits()).  Returns 0, or -1
 * with *e (CI_EXIT_IO).
 */
int segment_write_profiles(
    const struct segment *s, const char *path, int digits, struct ci_err *e);

/*
 * Write every row with the segment columns to stdout in format fmt,
 * numbers as for segment_write_profiles().  Returns 0, or -1 with *e
 * (CI_EXIT_IO).
 */
int segment_write(
    const struct segment *s, enum rec_fmt fmt, int digits, struct ci_err *e);

/* Counts for the summary on standard error. */
struct segment_stats {
	size_t      rows;
	size_t      no_rfm, no_tier, no_stage, no_cluster;
	const char *value_from, *risk_from; /* tiers' sources, or NULL */
	size_t      k;                      /* clusters, 0 without */
	const struct cluster_info *cinfo;   /* the fit's, NULL with a model */
	size_t                     kmin;    /* first k tried by --k auto */
};

void segment_stats(const struct segment *s, struct segment_stats *st);

/*
 * Append the summary of a run for stderr to out, a line each: rows and
 * rejects, what the tiers came from, the clusters, the rows left without
 * a segment.
 */
void
segment_summary(const struct segment *s, uint64_t rejected, struct buf *out);

/*
 * The kinds computed, the names of R, F and M and the clustering columns,
 * for messages; valid until segment_free().
 */
unsigned           segment_kinds(const struct segment *s);
const char        *segment_column(const struct segment *s, int which);
const char *const *segment_cluster_columns(const struct segment *s, size_t *n);

/* Free everything.  Safe on NULL. */
void segment_free(struct segment *s);

#endif
