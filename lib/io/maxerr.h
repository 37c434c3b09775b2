/*
 * maxerr: the --max-errors limit: how many bad rows, as a count or as a
 * share of the rows read, a run may reject and still succeed.
 */
#ifndef CI_MAXERR_H
#define CI_MAXERR_H

#include <stdbool.h>
#include <stdint.h>

struct maxerr {
	bool   percent; /* value is a percentage of rows read */
	double value;
};

/*
 * Parse "N" (a count) or "P%" (a percentage, 0 to 100, decimals allowed).
 * Returns 0 or -1.
 */
int maxerr_parse(const char *s, struct maxerr *m);

/* True when bad rows out of total rows read go beyond the limit. */
bool maxerr_exceeded(const struct maxerr *m, uint64_t bad, uint64_t total);

#endif
