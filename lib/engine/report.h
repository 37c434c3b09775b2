/*
 * report: what ci-report does.  It reads the customers (feature rows with
 * whichever ci-score, ci-segment and ci-churn columns are present) and the
 * optional outputs of the other tools, and writes report.html (one
 * self-contained page), report.md and summary.json (every figure shown)
 * into a directory.  A section whose input is absent is left out.
 */
#ifndef CI_REPORT_H
#define CI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "parread.h"
#include "repsect.h"

struct rejects;

/* Set the defaults of o. */
void report_opts_init(struct report_opts *o);

/*
 * Write the report.  in says how to read the customers (its paths are
 * replaced by o->customers); their bad rows go to rj and *rows counts
 * them all.  A one-line summary of what was written goes to notes.
 * Returns 0, or -1 with *e: a missing column or a bad option value (2), a
 * bad row in another input (1), a file that cannot be read or written
 * (3), a previous summary that is not one (4).
 */
int report_run(const struct report_opts *o, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, struct buf *notes, struct ci_err *e);

#endif
