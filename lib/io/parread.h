/*
 * parread: the read loop every program shares: inputs opened one after
 * the other, each row handed to the program's callback, bad and refused
 * rows kept in the rejects, progress on a terminal.  A large regular file
 * is read by several threads at once, with exactly the outcome of reading
 * it in one pass: the same rows taken, the same rows rejected with the
 * same reasons and line numbers, in the same order.
 *
 * The file is cut after a line end near each of even splits, into chunks
 * (a few dozen for each thread), and each thread, the calling one
 * included, is given an even share of them, in a row.  A thread reads its
 * share from the front as one part; one that runs out takes the back half
 * of the share another has not started, as a part of its own, so that a
 * thread on a slower processor holds the others up for a chunk at most.
 * The calling thread reads the first part into the program's context;
 * every other part is read into a context forked for it, its rows
 * numbered from the part's first line (the join is told how many lines
 * come before).  Parts are joined in file order, and a part's rows only
 * when the reading before it stopped exactly at the part's start: a cut
 * inside a quoted field holding a line break is caught that way, and such
 * a part is dropped and read again by the calling thread.  A part read on
 * another thread stops at its first bad or refused row, and the calling
 * thread reads the rest of the part, so that every rejected row is handled
 * there, in input order, with its true line number.
 */
#ifndef CI_PARREAD_H
#define CI_PARREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "rec.h"
#include "recin.h"

struct progress;
struct rejects;

/*
 * What the read loop does with each input and each row: the one contract
 * every program reads records through.
 */
struct parread_reader {
	/*
	 * Optional: each input, once open (i counts from 0): bind or check
	 * its columns.  Returns 0, or -1 with *e to stop.
	 */
	int (*open)(void *ctx, struct recin *r, size_t i, struct ci_err *e);
	/*
	 * Each well-formed row.  REC_ROW: taken (or rejected by the callback
	 * itself, with several reasons); REC_BAD with *e: refused, and the
	 * loop rejects it with *e's message; REC_FAIL with *e: stop reading.
	 */
	enum rec_status (*row)(void *ctx, const struct rec *rec,
	    const char *file, struct ci_err *e);
	/* Optional: told of each row the loop rejected, bad or refused. */
	void (*rejected)(void *ctx);
	void *ctx;
	/*
	 * Optional, to read a large file in parts at once, for a row
	 * callback that changes nothing when it refuses a row.  fork makes
	 * a context for another thread, sharing what open bound (it may run
	 * on any thread, one call at a time, while rows are added to ctx,
	 * so it reads nothing the rows change); the rows
	 * added to it are numbered from the part's first line (1).  join
	 * takes the rows added to part into ctx, as though they came after
	 * those already there, lines being the number of lines before the
	 * part, and frees part; drop frees part and its rows.
	 */
	void *(*fork)(void *ctx);
	void (*join)(void *ctx, void *part, unsigned long lines);
	void (*drop)(void *part);
};

/* The inputs of a run: the operands (none: stdin) and how to read them. */
struct parread_files {
	char *const      *paths;
	size_t            npaths;
	struct recin_opts opts;
	bool              quiet; /* no progress on a terminal */
	struct buf       *notes; /* lines for stderr (recin_note()), or NULL */
};

/* How an input is read: threads at most, chunks of min_part bytes at
 * least. */
struct parread_opts {
	unsigned threads;
	uint64_t min_part;
};

/* The number of processors online, at least 1 and at most max. */
unsigned parread_cpus(unsigned max);

/*
 * Read the files one after the other, showing progress on a terminal
 * unless quiet; a large file is read in parts on as many threads as there
 * are processors when rd can fork.  Each bad row and each row rd->row
 * refuses goes to rj with its reason; so does, as one row, an input that
 * cannot be read as its format says (a header that is not text, a JSON
 * array), or the rest of one from a record too long to hold, and the
 * reading goes on with the next.  *rows counts every row read.  Returns 0,
 * or -1 with *e when an input cannot be opened or read, or rd->open
 * refuses it.
 */
int
parread_files(const struct parread_files *f, const struct parread_reader *rd,
    struct rejects *rj, uint64_t *rows, struct ci_err *e);

/*
 * Read the rows of r, just opened and bound, into rd->ctx, in parts at once
 * when o is not NULL, rd can fork and r is a large enough regular file.  Each
 * bad row and each row rd->row refuses goes to rj (when not NULL) with its
 * reason; *rows counts the rows read; p (when not NULL) shows progress.
 * Returns 0, or -1 with *e when the input cannot be read further or rd->row
 * failed.
 */
int parread_input(struct recin *r, const struct parread_reader *rd,
    const struct parread_opts *o, struct rejects *rj, struct progress *p,
    uint64_t *rows, struct ci_err *e);

#endif
