/*
 * audit: the decision log, an append-only NDJSON file.  Each run appends
 * whole lines, under an exclusive lock (flock) so that two runs never
 * interleave.  A file whose last line has no line end (a run that died
 * while writing) is refused, naming that line, and nothing is appended:
 * a torn line is never silently merged with the next run's first one.
 */
#ifndef CI_AUDIT_H
#define CI_AUDIT_H

#include <stddef.h>

#include "diag.h"

struct audit {
	int   fd;
	char *path;
};

/*
 * Open (or create) the log at path for appending and lock it.  Returns 0,
 * or -1 with *e: CI_EXIT_IO when it cannot be opened, read or locked, or
 * when its last line is incomplete (the message gives its line number).
 */
int audit_open(struct audit *a, const char *path, struct ci_err *e);

/*
 * Append the len bytes at s (whole lines) to the log.  Returns 0, or -1
 * with *e (CI_EXIT_IO).
 */
int audit_append(struct audit *a, const char *s, size_t len, struct ci_err *e);

/* Flush to disk, unlock and close.  Returns 0 or -1 with *e; safe on a
 * zeroed struct (fd 0 is never a log: stdin). */
int audit_close(struct audit *a, struct ci_err *e);

#endif
