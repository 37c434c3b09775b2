/*
 * clvsum: the steps and discount factors of lifetimes' monthly sum.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clvsum.h"
#include "xalloc.h"

/* lifetimes' months in each time unit: {"D": 30, "W": 4.345}. */
static int
month_length(int unit_days, double *f, struct ci_err *err)
{
	if (unit_days == 1)
		*f = 30;
	else if (unit_days == 7)
		*f = 4.345;
	else
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "bad time unit of %d days: must be 1 (days) or 7 (weeks)",
		    unit_days);
	return 0;
}

int
clvsum_init(struct clvsum *pl, double horizon, int unit_days,
    double discount_rate, struct ci_err *err)
{
	double f = 0, months, whole;
	size_t i, n;

	memset(pl, 0, sizeof(*pl));
	if (month_length(unit_days, &f, err) == -1)
		return -1;
	if (!(isfinite(horizon) && horizon > 0))
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "bad horizon '%g': not a number > 0", horizon);
	if (!(isfinite(discount_rate) && discount_rate >= 0))
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "bad discount rate '%g': not a number >= 0", discount_rate);
	months = horizon / f;
	if (months > CLVSUM_MAX_MONTHS)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "bad horizon '%g': more than %d months", horizon,
		    CLVSUM_MAX_MONTHS);
	/* A horizon within rounding of whole months is whole months. */
	whole = floor(months + 1e-9);
	n = (size_t)whole + (months - whole > 1e-9);
	if (n == 0)
		n = 1;
	pl->n = n;
	pl->horizon = horizon;
	pl->rate = discount_rate;
	pl->t = xmalloc(n * sizeof(*pl->t));
	pl->disc = xmalloc(n * sizeof(*pl->disc));
	for (i = 0; i + 1 < n; i++) {
		pl->t[i] = (double)(i + 1) * f;
		pl->disc[i] = pow(1 + discount_rate, -(double)(i + 1));
	}
	pl->t[n - 1] = horizon;
	pl->disc[n - 1] = pow(1 + discount_rate,
	    -(months - whole > 1e-9 || whole == 0 ? months : whole));
	return 0;
}

void
clvsum_release(struct clvsum *pl)
{
	free(pl->t);
	free(pl->disc);
	memset(pl, 0, sizeof(*pl));
}

double
clvsum_discounted(const struct clvsum *pl, const double *E)
{
	double prev = 0, sum = 0;
	size_t i;

	for (i = 0; i < pl->n; i++) {
		sum += (E[i] - prev) * pl->disc[i];
		prev = E[i];
	}
	return sum;
}
