/*
 * clvsum: customer lifetime value as lifetimes 0.11 defines it
 * (GammaGammaFitter.customer_lifetime_value, utils._customer_lifetime_value):
 * the discounted sum, month by month, of the purchases a purchase-count
 * model (BG/NBD, Pareto/NBD, MBG/NBD) expects in each month, times the
 * value a spend model (Gamma-Gamma) expects of each purchase:
 *
 *   CLV = value * sum over months i of
 *         (E(t_i) - E(t_(i-1))) / (1 + discount_rate)^(t_i / f),
 *
 * where E(t) is the model's expected number of purchases in (T, T + t],
 * t_0 = 0, t_i = i f, f is one month in the model's time unit and
 * discount_rate is the monthly rate (lifetimes' default 0.01).  lifetimes'
 * month is 30 days when the unit is the day but 4.345 weeks (30.4 days)
 * when it is the week; both are kept, so that the values are lifetimes'.
 * lifetimes counts whole months; here the horizon is any length, and when
 * it is not a whole number of months its last step is the part month up to
 * the horizon, discounted at its end, so that whole months give
 * lifetimes' sum exactly.
 */
#ifndef CI_CLVSUM_H
#define CI_CLVSUM_H

#include <stddef.h>

#include "diag.h"

/* The longest horizon, in months (a century). */
#define CLVSUM_MAX_MONTHS 1200

/* The steps of the sum above for one horizon; owned arrays. */
struct clvsum {
	size_t  n;    /* steps, >= 1 */
	double *t;    /* their ends t_1 .. t_n = horizon, in the time unit */
	double *disc; /* 1 / (1 + discount_rate)^(t_i / f) */
	double  horizon, rate; /* as given to clvsum_init() */
};

/*
 * Plan the sum for a horizon > 0 in the model's time unit (unit_days 1:
 * days, 7: weeks) and a monthly discount rate >= 0.  Returns 0, or -1 with
 * *err (CI_EXIT_USAGE) for a bad unit, horizon or rate, or a horizon over
 * CLVSUM_MAX_MONTHS months.
 */
int clvsum_init(struct clvsum *pl, double horizon, int unit_days,
    double discount_rate, struct ci_err *err);

/* Free the arrays of pl.  Safe on a zeroed struct. */
void clvsum_release(struct clvsum *pl);

/*
 * The discounted purchases sum over i of (E[i] - E[i-1]) disc[i], E[-1]
 * being 0, for the expectations E[0..n-1] at the step ends pl->t: the
 * CLV of a customer whose purchases are each worth 1.
 */
double clvsum_discounted(const struct clvsum *pl, const double *E);

#endif
