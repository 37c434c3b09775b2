/*
 * feature: per-customer features at a point in time, from canonical
 * event records (ci-features(1) documents every column).
 *
 * Each customer's state is exact: integer money (amount units), counts,
 * one record per distinct day with events (its order lines, events and
 * spend) and per day with service events (refunds, tickets, complaints,
 * ratings), its orders (by order id, day, channel and category) and the
 * set of its products.  Every windowed feature is derived from these when
 * the rows are written, so the point in time may be settled after reading
 * (the latest event, by default), and states merge exactly: splitting the
 * input in any way, keeping partial states (feature_write_partial) and
 * merging them (feature_merge) gives the same rows, byte for byte, as one
 * run.  No sum wraps: the rows sum money in 128 bits.
 *
 * Memory grows with the customers and with their distinct active days,
 * orders and items, never with the number of event rows: events are encoded and kept
 * in partitions (lib/spill, a temporary file beyond a fixed budget) until
 * the rows are written, one partition's customers at a time.
 */
#ifndef CI_FEATURE_H
#define CI_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "parread.h"
#include "rec.h"
#include "recin.h"
#include "recout.h"
#include "tz.h"

#define FEATURE_MAX_WINDOWS 8

struct feature_opts {
	bool             has_asof;  /* else: the latest event read */
	int64_t          asof;      /* UTC seconds: later events are ignored */
	const struct tz *tz;        /* zone of days and naive times; NULL UTC */
	int              unit_days; /* 7 (weeks) or 1 (days) for x, t_x, T */
	uint32_t         windows[FEATURE_MAX_WINDOWS]; /* days, ascending */
	size_t           nwindows;
	int64_t          label_window; /* seconds; 0: no label_active */
	char *const     *channels;     /* fixed channel columns, or NULL */
	size_t           nchannels;
	char *const     *topics;  /* the topic dictionary's names, in order */
	size_t           ntopics; /* at most TOPICS_MAX */
	bool             from_partials; /* take all the above from the first
	                                   partial state merged */
	int              digits; /* significant digits of the rows' numbers
	                            (recout_set_digits()); 0: all */
};

/* The input columns features reads (indices, -1 when absent). */
struct feature_cols {
	int customer_id;
	int ts;
	int type;
	int order_id;
	int amount;
	int product_id;
	int category;
	int channel;
	int rating;
	int sentiment;
	int topics;
};

struct feature;

/* A new, empty accumulator; o is copied (its strings must outlive it). */
struct feature *feature_new(const struct feature_opts *o);

/*
 * Find the columns of r: customer_id and ts are required (CI_EXIT_USAGE
 * naming them otherwise), the others optional.
 */
int
feature_bind(const struct recin *r, struct feature_cols *c, struct ci_err *e);

/*
 * Add one event row.  Returns 0, or -1 with *e filled (CI_EXIT_DATA, with
 * file and line) for a row to reject: no customer_id, an unparseable ts,
 * amount or rating, a sentiment that is not a number from -1 to 1, a
 * topic not in the options' topics, or a refund of
 * -922337203685477.5808, whose absolute value does not fit.
 */
int feature_add(struct feature *f, const struct feature_cols *c,
    const struct rec *rec, const char *file, struct ci_err *e);

/*
 * Read the event files of in into f (lib/parread: a large file in parts,
 * on several threads), each bad row going to rj with its reason; *rows
 * counts the rows read and *fmt is set to the first input's format.
 * Returns 0, or -1 with *e when an input cannot be read or lacks a
 * required column.
 */
int feature_read(struct feature *f, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, enum rec_fmt *fmt, struct ci_err *e);

/*
 * A new accumulator with f's options (sharing its zone and channel list),
 * into which another thread may add events while f is in use elsewhere.
 */
struct feature *feature_fork(const struct feature *f);

/*
 * Take the events added to part, a fork that has joined none itself, into
 * f, and free part.
 */
void feature_join(struct feature *f, struct feature *part);

/* The point in time in effect: the given asof, else the latest event
 * added or merged; false when there is none. */
bool feature_asof(const struct feature *f, int64_t *asof);

/*
 * Merge the partial states in the file at path (NDJSON as written by
 * feature_write_partial).  The options must match those of the partial
 * (asof, unit, windows, label window, zone, channels, topics), or are
 * taken from it
 * when f was made with from_partials and this is the first merged:
 * CI_EXIT_USAGE when they differ; a state of another format version is
 * CI_EXIT_MODEL; a malformed line (options that f could not have been made
 * with included) is CI_EXIT_DATA with its line.
 */
int feature_merge(struct feature *f, const char *path, struct ci_err *e);

/*
 * The output columns, valid until feature_free(): customer_id and the
 * features, for the rows feature_write() writes.
 */
size_t feature_columns(struct feature *f, const char *const **cols);

/*
 * Describe the output columns to w, opened with the three columns name,
 * unit and definition: a row for each column feature_columns() gives, in
 * its order, from the one table of them, the definition followed by when
 * the column is empty.  Without fixed channels, one row share_<channel>
 * stands for the channels the data will show.  Call it on an accumulator
 * that has read nothing, instead of feature_write().  Returns 0 or -1 (*e
 * filled).
 */
int feature_describe(struct feature *f, struct recout *w, struct ci_err *e);

/*
 * Write one row per customer, sorted by customer_id (bytewise), to w, opened
 * with feature_columns().  This or feature_write_partial() is called once,
 * after every event and state is in.  Customers without an event at or before
 * the point in time are left out, and so, when a label window is set, are those
 * without an order then.  Returns 0 or -1 (*e filled).
 */
int feature_write(struct feature *f, struct recout *w, struct ci_err *e);

/*
 * Write the partial state as NDJSON to fp (a header line with the options,
 * then a line per customer, sorted).  Needs a fixed asof.
 */
int feature_write_partial(
    struct feature *f, FILE *fp, const char *name, struct ci_err *e);

/* Customers with a state, once feature_write() or feature_write_partial()
 * has run; 0 before. */
size_t feature_customers(const struct feature *f);

/* Free f.  Safe on NULL. */
void feature_free(struct feature *f);

#endif
