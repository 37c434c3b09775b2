/*
 * progress: the clock is looked at only every 65,536 rows, so that the
 * count costs nothing per row.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_init(struct progress *p, bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->on = !quiet && isatty(STDERR_FILENO);
	p->next = 1 << 16;
	if (p->on)
		p->start = p->shown = now();
}

void
progress_show(struct progress *p, uint64_t rows)
{
	double t = now();

	p->next = rows + (1 << 16);
	if (t - p->shown < 1.0)
		return;
	p->shown = t;
	p->drawn = true;
	fprintf(stderr, "\r%s: %llu rows, %.0f rows/s ", diag_progname(),
	    (unsigned long long)rows, (double)rows / (t - p->start));
}

void
progress_done(struct progress *p)
{
	if (p->drawn)
		fprintf(stderr, "\r\033[K");
	p->drawn = false;
}
