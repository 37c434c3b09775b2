/*
 * progress: the row count and rate of a long run on stderr, redrawn at most
 * about once a second, and only when stderr is a terminal and the run is
 * not --quiet.  Like diag, it writes to stderr on the program's behalf.
 */
#ifndef CI_PROGRESS_H
#define CI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Progress on stderr for long runs: shown only when stderr is a terminal
 * and not --quiet, at most about once a second.
 */
struct progress {
	bool     on;
	uint64_t next;  /* row count at which to look at the clock again */
	double   start; /* seconds */
	double   shown;
	bool     drawn;
};

void progress_init(struct progress *p, bool quiet);
void progress_show(struct progress *p, uint64_t rows);
/* Clear the progress line, if one was drawn. */
void progress_done(struct progress *p);

static inline void
progress_tick(struct progress *p, uint64_t rows)
{
	if (p->on && rows >= p->next)
		progress_show(p, rows);
}

#endif
