/*
 * holdout: what customers bought in a period after the calibration, from
 * canonical events (ci-ingest's output): per customer, the number of
 * distinct days with an order in (from, to], which is what the CLV models'
 * expected purchases count (several orders on one day are one purchase).
 * As in ci-features, an event without a type, or of type "order", is an
 * order; other events are skipped.  Days are calendar days in a zone.
 */
#ifndef CI_HOLDOUT_H
#define CI_HOLDOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "recin.h"
#include "rejects.h"
#include "tz.h"

struct holdout;

/*
 * A counter of the orders after from (UTC seconds), up to to, or, when
 * to_latest, up to the end of the day of the latest order read.  tz (NULL:
 * UTC) is borrowed until holdout_free().
 */
struct holdout *
holdout_new(int64_t from, int64_t to, bool to_latest, const struct tz *tz);

/*
 * Read the events of path (NULL or "-": stdin) with o: customer_id and ts
 * are required (CI_EXIT_USAGE naming them), type is optional.  A row with
 * no customer_id or a ts that cannot be read goes to rj; rows read are
 * added to *rows.  Returns 0, or -1 with *e.
 */
int
holdout_read(struct holdout *h, const char *path, const struct recin_opts *o,
    struct rejects *rj, uint64_t *rows, struct ci_err *e);

/*
 * The end of the period: to, or with to_latest the end of the day of the
 * latest order after from (from itself when there is none).  Call after
 * the reading.
 */
int64_t holdout_end(const struct holdout *h);

/*
 * The distinct order days in (from, end] of the customer with the id
 * (s, len): 0 for a customer without any.  The first call sorts what was
 * read.
 */
uint64_t holdout_days(struct holdout *h, const char *s, size_t len);

/* Customers with an order day in the period. */
size_t holdout_customers(struct holdout *h);

/*
 * Keep the orders at or before from too, for holdout_each_day(); call
 * before the reading.  The counts of holdout_days() stay those of the
 * period.
 */
void holdout_keep_all(struct holdout *h);

/*
 * Each distinct order day up to the end of the period of each customer
 * that holdout_days() was asked about (the customers of the feature rows),
 * as fn(ctx, day, repeat): day in the zone's calendar, days since
 * 1970-01-01, and repeat false for the customer's first order day.  The
 * days at or before from are there only with holdout_keep_all(), and
 * without it the first day is the first of the period.
 */
void holdout_each_day(struct holdout *h,
    void (*fn)(void *ctx, int64_t day, bool repeat), void *ctx);

/* Free h.  Safe on NULL. */
void holdout_free(struct holdout *h);

#endif
