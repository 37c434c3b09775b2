/*
 * rejects: where bad rows go.
 *
 * With a path, every rejected row is written to it as one NDJSON object:
 *   {"file":"orders.csv","line":17,"reasons":["bad amount '12,3.4' in
 *    column 'total'"],"raw":"..."}
 * where "raw" is the row's text exactly as read (or "raw_base64" with its bytes
 * in base64 when they are not valid UTF-8); or, for the part of a file that
 * could not be read, "rest_of_file": true in place of the text.  Without a
 * path, the first REJECTS_SHOWN rows are reported on the given stream as
 * "PROG: FILE:LINE: REASON" and the rest counted, so nothing disappears
 * without a trace either way.
 */
#ifndef CI_REJECTS_H
#define CI_REJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

#define REJECTS_SHOWN 10

struct rejects;

/*
 * Rejects going to the file at path (created or truncated), or reported on
 * report when path is NULL.  Returns NULL with *e filled (CI_EXIT_IO) when
 * the file cannot be created.
 */
struct rejects *rejects_open(const char *path, FILE *report, struct ci_err *e);

/*
 * Reject the row at file:line with n reasons and its raw text (rawlen
 * bytes).  Write errors are remembered and reported by rejects_close().
 */
void rejects_add(struct rejects *rj, const char *file, unsigned long line,
    const char *const *reasons, size_t n, const char *raw, size_t rawlen);

/*
 * Reject what is left of file from line on, which cannot be read (a record
 * too long to hold, an input that is not what its format says): one
 * rejected row whose object says "rest_of_file": true instead of holding
 * raw text; the text is still in the file, from that line on.
 */
void rejects_add_rest(
    struct rejects *rj, const char *file, unsigned long line, const char *why);

/* As rejects_add() with the one reason held by e (its msg). */
void rejects_add_err(
    struct rejects *rj, const struct ci_err *e, const char *raw, size_t rawlen);

uint64_t rejects_count(const struct rejects *rj);

/*
 * Finish: close the file, or report how many rows were not shown.  Returns
 * 0, or -1 with *e filled when writing failed.  Safe on NULL.
 */
int rejects_close(struct rejects *rj, struct ci_err *e);

#endif
