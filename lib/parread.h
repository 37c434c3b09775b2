/*
 * parread: the rows of one input, read by several threads at once when it
 * is a large regular file, with exactly the outcome of reading it in one
 * pass: the same rows taken, the same rows rejected with the same reasons
 * and line numbers, in the same order.
 *
 * The file is cut after a line end near each of even splits.  The calling
 * thread reads the first part into the program's context; each other part
 * is read by a thread of its own into a context forked for it, its rows
 * numbered from the part's first line (the join is told how many lines
 * come before).  A part's rows are joined only when the reading before it
 * stopped exactly at the part's start: a cut inside a quoted field holding
 * a line break is caught that way, and such a part is dropped and read
 * again by the calling thread.  A thread
 * stops at its part's first bad or refused row, and the calling thread
 * reads the rest of the part, so that every rejected row is handled there,
 * in input order, with its true line number.
 */
#ifndef CI_PARREAD_H
#define CI_PARREAD_H

#include <stdint.h>

#include "diag.h"

struct cli_reader;
struct progress;
struct recin;
struct rejects;

/* How an input is read: threads at most, parts at least min_part bytes. */
struct parread_opts {
	unsigned threads;
	uint64_t min_part;
};

/* The number of processors online, at least 1 and at most max. */
unsigned parread_cpus(unsigned max);

/*
 * Read the rows of r, just opened and bound by rd->open, into rd->ctx (in
 * parts at once when rd->fork is set and r is a large enough regular
 * file).  Each malformed row and each row rd->row refuses goes to rj with
 * its reason; *rows counts the rows read; p shows progress.  Returns 0, or
 * -1 with *e when the input cannot be read further.
 */
int parread_input(struct recin *r, const struct cli_reader *rd,
    const struct parread_opts *o, struct rejects *rj, struct progress *p,
    uint64_t *rows, struct ci_err *e);

#endif
