/*
 * samefile: an output must not be one of the inputs.  Opening it for
 * writing would empty the input before it is read (or, appended to, make
 * a reading that never ends), so the run is refused before anything is
 * opened for writing.  Files are compared by device and inode, so another
 * name for the same file (a link, "./x.csv") is caught too.
 */
#ifndef CI_SAMEFILE_H
#define CI_SAMEFILE_H

#include <stddef.h>

#include "diag.h"

/*
 * Whether the file at out (NULL or "-": standard output) is one of the
 * nins files ins (NULL or "-" there: standard input; none at all: standard
 * input).  Returns 0 when it is not (or out does not exist yet), and -1
 * with *e (CI_EXIT_USAGE) naming opt ("--events", or "standard output")
 * and the input when it is.
 */
int samefile_check(const char *out, const char *opt, char *const *ins,
    size_t nins, struct ci_err *e);

#endif
