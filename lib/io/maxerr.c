/*
 * maxerr: parsing and applying the --max-errors limit.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "maxerr.h"

int
maxerr_parse(const char *s, struct maxerr *m)
{
	char  *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v) || v < 0)
		return -1;
	m->percent = *end == '%';
	if (m->percent)
		end++;
	if (*end != '\0' || (m->percent && v > 100) ||
	    (!m->percent && v != floor(v)))
		return -1;
	m->value = v;
	return 0;
}

bool
maxerr_exceeded(const struct maxerr *m, uint64_t bad, uint64_t total)
{
	if (m->percent)
		return total > 0 &&
		    100.0 * (double)bad > m->value * (double)total;
	return (double)bad > m->value;
}
