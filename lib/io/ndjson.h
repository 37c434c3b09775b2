/*
 * ndjson: records from newline-delimited JSON (one object per line), read
 * from an rdbuf and parsed by jansson.  Only recin uses this module.
 *
 * The columns are fixed by the caller: every key of the input, found by a
 * first reading (ndjson_keys()), or the user's --columns.  A value becomes
 * a field as follows: a string is its text; null is an empty field
 * of kind REC_NULL, a key the object lacks one of kind REC_ABSENT; a
 * number, true, false, an array or an object is its JSON text (numbers
 * written by numfmt), of kind REC_JSON, so nested values are kept.
 */
#ifndef CI_NDJSON_H
#define CI_NDJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "rdbuf.h"
#include "strv.h"
#include "rec.h"

struct ndjson;

/*
 * A reader from in of the columns cols[0..ncols-1] (copied): every key of
 * the input as ndjson_keys() finds them, or the user's --columns.
 */
struct ndjson *
ndjson_new(struct rdbuf *in, const char *const *cols, size_t ncols);

/*
 * Read the next object.  Returns REC_ROW, REC_END at end, REC_FAIL with *e
 * filled on a read error (stop), or REC_BAD with *e filled (CI_EXIT_DATA,
 * with file and line) for a line that is not a JSON object or has a key
 * that is not a column (a bad row: the caller may go on).  Blank lines are
 * skipped and counted.  Fields are borrowed until the next ndjson_read().
 */
enum rec_status ndjson_read(struct ndjson *r, struct ci_err *e);

/*
 * Read the whole of in for the keys of its objects, in the order they first
 * appear, appended to keys; *lines tells whether any line is not blank.
 * Lines that are not objects are passed over (the reading that follows
 * reports them), and so is what follows a record too long to hold.
 * Returns 0, or -1 with *e: CI_EXIT_IO on a read error, CI_EXIT_DATA when
 * the input is a JSON array rather than NDJSON.
 */
int
ndjson_keys(struct rdbuf *in, struct strv *keys, bool *lines, struct ci_err *e);

/* The columns. */
size_t             ndjson_ncols(const struct ndjson *r);
const char *const *ndjson_cols(const struct ndjson *r);

const char *const   *ndjson_fields(const struct ndjson *r);
const size_t        *ndjson_lens(const struct ndjson *r);
const unsigned char *ndjson_kinds(const struct ndjson *r);
unsigned long        ndjson_line(const struct ndjson *r);
unsigned long        ndjson_blank_lines(const struct ndjson *r);

/* Free r (not its rdbuf).  Safe on NULL. */
void ndjson_free(struct ndjson *r);

#endif
