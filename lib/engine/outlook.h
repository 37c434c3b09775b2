/*
 * outlook: the fitted purchase model over calendar periods.  A forecast
 * sums, per week or month after the end of the calibration, what each
 * customer of the feature rows is expected to buy in it given his history
 * (the conditional expectation of the BG/NBD, Pareto/NBD or MBG/NBD),
 * what that is worth (times his Gamma-Gamma expected value per purchase)
 * and how many of the customers are expected to be alive at its end.  A
 * tracking table (Fader, Hardie & Lee 2005, figure 3) sets the repeat
 * purchases the events show per period against the model's: over the
 * calibration the unconditional expectation of each customer from his
 * first purchase, over the holdout the conditional one, as in the
 * forecast.
 *
 * Days are whole days of the calendar the feature rows were made in,
 * counted from 1970-01-01.  The calibration ends with the day asof (the
 * day of ci-features' --asof), so that a customer with T in the rows made
 * his first purchase T (in days) before it, and a period of the days d0
 * to d1 is his model time (d0 - 1 - asof, d1 - asof] after the end of the
 * calibration.  Weeks are seven days from the first day of the outlook;
 * months are calendar months, the first and the last cut where the
 * outlook begins and ends.
 */
#ifndef CI_OUTLOOK_H
#define CI_OUTLOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "holdout.h"
#include "recin.h"
#include "score.h"

enum outlook_by { OUTLOOK_WEEK = 0, OUTLOOK_MONTH };

/* The period called s ("week", "month"); -1 if none. */
int outlook_by_parse(const char *s, enum outlook_by *by);

/* A period and what the model and the events say of it. */
struct outlook_period {
	int64_t d0, d1;      /* its first and last day */
	bool    calibration; /* before the end of the calibration */
	double  purchases;   /* the model's repeat purchases */
	double  revenue;     /* forecast: their worth (NaN: no spend model) */
	double  active;      /* forecast: customers alive at its end */
	double  actual;      /* tracking: repeat purchase days seen */
};

/* A forecast or a tracking table. */
struct outlook {
	struct outlook_period *p;
	size_t                 n, cap;
	int64_t                asof;      /* the last day of the calibration */
	bool                   tracking;  /* a tracking table */
	bool                   revenue;   /* forecast: with a spend model */
	size_t                 customers; /* the rows predicted */
};

/*
 * Append to o the periods by by that cover the days from to to (from <=
 * to), aligned on anchor for weeks (their first days are anchor + 7k) and
 * on the first of each month for months, the first and the last cut to
 * from and to.
 */
void outlook_periods(struct outlook *o, enum outlook_by by, int64_t anchor,
    int64_t from, int64_t to, bool calibration);

/*
 * The last day of n periods by by from the day start: the end of the
 * n-th week, or of the (n - 1)-th calendar month after start's.
 */
int64_t outlook_end(enum outlook_by by, int64_t start, size_t n);

/*
 * Fill the purchases, revenue and active of o's periods after o->asof
 * from the model m, the rows sd and their predictions pr (p_alive and
 * value of score_predict()).  Returns 0, or -1 with *e when the model
 * cannot be computed.
 */
int outlook_conditional(struct outlook *o, const struct score_model *m,
    const struct score_data *sd, const struct score_pred *pr, struct ci_err *e);

/*
 * Fill the purchases of o's periods up to o->asof with the unconditional
 * expectations of sd's customers, each from his first purchase day.
 * Returns 0, or -1 with *e.
 */
int outlook_unconditional(struct outlook *o, const struct score_model *m,
    const struct score_data *sd, struct ci_err *e);

/*
 * Fill the actual repeat purchase days of o's periods from the events of
 * h (holdout_keep_all(), read, and asked about each customer of the
 * rows).
 */
void outlook_actual(struct outlook *o, struct holdout *h);

/*
 * The first day of sd's customers' first purchases: o->asof minus the
 * largest T, in days.  o->asof + 1 when no row has a purchase.
 */
int64_t outlook_first_day(const struct outlook *o, const struct score_model *m,
    const struct score_data *sd);

/*
 * Write o as a table on stdout in format fmt (CSV unless NDJSON), the
 * expectations with four decimals as in ci-score check: a forecast as period,
 * start, end, days, expected_purchases, [expected_revenue,]
 * expected_active, cumulative_purchases[, cumulative_revenue]; a tracking
 * table as period, phase, start, end, days, actual, predicted,
 * cumulative_actual, cumulative_predicted.  Returns 0, or -1 with *e.
 */
int outlook_write(const struct outlook *o, enum rec_fmt fmt, struct ci_err *e);

/* Free what o holds.  Safe on a zeroed struct. */
void outlook_release(struct outlook *o);

/* The day of ho->asof (the end of the calibration) in ho's zone. */
int64_t outlook_asof_day(const struct score_holdout *ho);

/* The calendar of a forecast, as the command line gives it. */
struct outlook_opts {
	enum outlook_by by;
	size_t          periods; /* --horizon, >= 1 */
	int64_t         start;   /* --start; INT64_MIN: the day after asof */
	int64_t         asof;    /* --asof; INT64_MIN: from the rows */
};

/*
 * ci-score forecast: read the feature rows of r->path for the model m,
 * find the last day of the calibration (oo->asof, or first_order + T of
 * the rows), forecast oo->periods periods from oo->start and write the
 * table of outlook_write(), with a summary in r->notes.  A forecast of
 * no customer, or of no purchase at all, is an error (CI_EXIT_DATA)
 * unless r->allow_degenerate, when it is a warning.  Returns 0, or -1
 * with *e.
 */
int outlook_run_forecast(const struct score_model *m, struct score_run *r,
    const struct outlook_opts *oo, struct ci_err *e);

/*
 * ci-score check --by: read the events of ho (all of them) and the feature
 * rows of r->path, and write the tracking table of m over the calibration
 * (from the first customer's first purchase) and the holdout, by by.
 * Returns 0, or -1 with *e (CI_EXIT_DATA when the holdout has no order
 * after asof).
 */
int outlook_run_tracking(const struct score_model *m, struct score_run *r,
    const struct score_holdout *ho, enum outlook_by by, struct ci_err *e);

#endif
