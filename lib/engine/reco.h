/*
 * reco: what ci-recommend does: read canonical events into a purchase
 * history (lib/reco/purch), then recommend (fitting the neighbours,
 * popularity, rules and blend weights, or reading them from a model
 * file), mine association rules, or evaluate every method on a time-based
 * holdout.
 *
 * The model file (format_version 1) is the envelope of model.h with kind
 * the method, and the members
 *   options     method, similarity, neighbours, shrink, half_life,
 *               recent_days, min_support, min_confidence, max_len
 *   reference_day  the last day of the history fitted
 *   items       the product ids, ascending; categories: each one's or null
 *   popularity  {"customers", "recent_customers", "overall": [...],
 *               "recent": [...], "segments": [...], "segment_shares":
 *               [[...], ...]}, shares per item
 *   neighbours  per item, [j, sim, j, sim, ...] by item index
 *   rules       [[consequent, confidence, antecedent...], ...]
 *   weights     {"own", "cooccurrence", "popularity", "recent", "rules"}
 *   tuning      null, or {"customers", "hit_rate", "recall", "k"}: the
 *               inner holdout the weights were chosen on
 */
#ifndef CI_RECO_H
#define CI_RECO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arules.h"
#include "blend.h"
#include "buf.h"
#include "diag.h"
#include "itemcf.h"
#include "parread.h"
#include "rec.h"
#include "rejects.h"
#include "tz.h"

#define RECO_FORMAT_VERSION 1

enum reco_mode { RECO_RECOMMEND = 1, RECO_RULES = 2, RECO_EVAL = 4 };

enum reco_method {
	RECO_BLEND = 0,
	RECO_ITEMCF,
	RECO_RULESM,
	RECO_POPULAR,
	RECO_RECENT,
	RECO_OWN,
	RECO_NMETHOD
};

/* "blend", "itemcf", "rules", "popular", "recent", "own"; NULL-ended. */
extern const char *const reco_method_names[];

struct reco_opts {
	enum reco_mode     mode;
	enum reco_method   method;
	struct itemcf_opts cf;
	struct arules_opts ar;
	size_t             n;            /* recommendations per customer */
	int                recent_days;  /* of "recent" popularity */
	int                holdout_days; /* eval: 0 the last day */
	double             weights[BLEND_NTUNED];
	bool               has_weights;
	bool               exclude_purchased;
	const char        *customers, *items, *save_model, *model;
	const struct tz   *tz;
	int                digits;
	enum rec_fmt       fmt;
	uint64_t           seed;
	size_t             tune_customers; /* at most, for the weights */
};

/* The defaults: blend, cosine, 50 neighbours, shrink 10, n 10, ... */
void reco_opts_init(struct reco_opts *o);

/*
 * Run o on the events of in, rejecting bad rows to rj; *rows counts the
 * rows read, notes gets the summary for stderr.  Returns 0, 1 when the
 * result is degenerate (notes say why; the output is written), or -1 with
 * *e: CI_EXIT_USAGE for a missing column, CI_EXIT_DATA for no purchase to
 * work with, CI_EXIT_MODEL for a bad model file, CI_EXIT_IO.
 */
int reco_run(const struct reco_opts *o, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, struct buf *notes, struct ci_err *e);

#endif
