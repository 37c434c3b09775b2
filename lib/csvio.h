/*
 * csvio: CSV records (RFC 4180, parsed by libcsv) and blank-separated
 * records (fixed-column exports) read from an rdbuf, and the CSV field
 * writer.  Only recio uses this module; tools go through recio.
 */
#ifndef CI_CSVIO_H
#define CI_CSVIO_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "rdbuf.h"

/* Delimiter value for "runs of blanks" (spaces and tabs). */
#define CSVIO_BLANKS (-1)

struct csvrd;

/*
 * A reader of records from in, fields separated by delim (a byte, or
 * CSVIO_BLANKS).  In CSVIO_BLANKS mode there is no quoting and leading and
 * trailing blanks are ignored.  Values are not trimmed otherwise.
 *
 * A record ends at a line end outside quotes: "\n", "\r\n" or a lone "\r",
 * in any mix (RFC 4180 as libcsv reads it).  So a stray "\r" in a file of
 * "\n" lines ends its record, and the rest of the line is the next record
 * (most often both are ragged, and rejected); it counts in line numbers as
 * rdbuf says.  Line ends inside quotes are kept as they are.
 */
struct csvrd *csvrd_new(struct rdbuf *in, int delim);

/*
 * Read the next record into the reader's field arrays.  Returns 1 for a
 * record, 0 at end of input, -1 with *e filled on a read error or an
 * over-long record (the input cannot be read further), and -3 for a record
 * that ended inside a quoted field at end of input (reported as a bad row
 * by the caller, which may go on: the next call returns 0).  Blank lines
 * are skipped and counted.  The fields are borrowed: valid until the next
 * csvrd_read().  Each field is NUL-terminated.
 */
int csvrd_read(struct csvrd *r, struct ci_err *e);

size_t             csvrd_nfields(const struct csvrd *r);
const char *const *csvrd_fields(const struct csvrd *r);
const size_t      *csvrd_lens(const struct csvrd *r);
/* First line of the last record read. */
unsigned long csvrd_line(const struct csvrd *r);
/* Blank lines skipped so far. */
unsigned long csvrd_blank_lines(const struct csvrd *r);

/*
 * Whether lines without quotes are split without libcsv (the default);
 * turned off only by the tests that compare the two paths.
 */
void csvrd_set_fast(struct csvrd *r, bool fast);

/* Free r (not its rdbuf).  Safe on NULL. */
void csvrd_free(struct csvrd *r);

/*
 * Append the len bytes at s to out as one CSV field, after a ',' when sep
 * is set, quoted (with inner quotes doubled) when it holds the delimiter
 * ',', a quote, "\r" or "\n".
 */
void csv_put_field(struct buf *out, bool sep, const char *s, size_t len);

#endif
