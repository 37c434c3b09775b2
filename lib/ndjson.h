/*
 * ndjson: records from newline-delimited JSON (one object per line), read
 * from an rdbuf and parsed by jansson.  Only recio uses this module.
 *
 * The columns are the keys of the first object, in order, unless the caller
 * fixes them beforehand.  A value becomes a field as follows: a string is
 * its text; null (or a missing key) is an empty field of kind REC_NULL; a
 * number, true, false, an array or an object is its JSON text (numbers
 * written by numfmt), of kind REC_JSON, so nested values are kept.
 */
#ifndef CI_NDJSON_H
#define CI_NDJSON_H

#include <stddef.h>

#include "diag.h"
#include "rdbuf.h"

struct ndjrd;

/*
 * A reader from in.  cols/ncols fix the columns (copied) or are NULL/0 to
 * take them from the first object.
 */
struct ndjrd *
ndjrd_new(struct rdbuf *in, const char *const *cols, size_t ncols);

/*
 * Read the next object.  Returns 1 for a record, 0 at end, -1 with *e
 * filled on a read error (stop), -3 with *e filled (CI_EXIT_DATA, with file
 * and line) for a line that is not a JSON object or has a key that is not a
 * column (a bad row: the caller may go on).  Blank lines are skipped and
 * counted.  Fields are borrowed until the next ndjrd_read().
 */
int ndjrd_read(struct ndjrd *r, struct ci_err *e);

/* The columns (set after the first successful read when not fixed). */
size_t             ndjrd_ncols(const struct ndjrd *r);
const char *const *ndjrd_cols(const struct ndjrd *r);

const char *const   *ndjrd_fields(const struct ndjrd *r);
const size_t        *ndjrd_lens(const struct ndjrd *r);
const unsigned char *ndjrd_kinds(const struct ndjrd *r);
unsigned long        ndjrd_line(const struct ndjrd *r);
unsigned long        ndjrd_blank_lines(const struct ndjrd *r);

/* Free r (not its rdbuf).  Safe on NULL. */
void ndjrd_free(struct ndjrd *r);

#endif
