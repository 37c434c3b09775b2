/*
 * csvio: CSV records (RFC 4180, parsed by libcsv) and blank-separated
 * records (fixed-column exports) read from an rdbuf, and the CSV field
 * writer.  Only recin and recout use this module; tools go through them.
 */
#ifndef CI_CSVIO_H
#define CI_CSVIO_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "rdbuf.h"
#include "rec.h"

/* Delimiter value for "runs of blanks" (spaces and tabs). */
#define CSVIO_BLANKS (-1)

struct csvio;

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
struct csvio *csvio_new(struct rdbuf *in, int delim);

/*
 * Read the next record into the reader's field arrays.  Returns REC_ROW,
 * REC_END at end of input, REC_FAIL with *e filled on a read error or an
 * over-long record (the input cannot be read further), or REC_BAD with *e
 * filled (CI_EXIT_DATA, file and line) for a record that ended inside a
 * quoted field at end of input: its fields are those read, and the next
 * call returns REC_END.  Blank lines are skipped and counted.  The fields
 * are borrowed: valid until the next csvio_read().  Each field is
 * NUL-terminated.
 */
enum rec_status csvio_read(struct csvio *r, struct ci_err *e);

size_t             csvio_nfields(const struct csvio *r);
const char *const *csvio_fields(const struct csvio *r);
const size_t      *csvio_lens(const struct csvio *r);
/* First line of the last record read. */
unsigned long csvio_line(const struct csvio *r);
/* Blank lines skipped so far. */
unsigned long csvio_blank_lines(const struct csvio *r);

/*
 * Whether lines without quotes are split without libcsv (the default);
 * turned off only by the tests that compare the two paths.
 */
void csvio_set_fast(struct csvio *r, bool fast);

/* Free r (not its rdbuf).  Safe on NULL. */
void csvio_free(struct csvio *r);

/*
 * Append the len bytes at s to out as one CSV field, after a ',' when sep
 * is set, quoted (with inner quotes doubled) when it holds the delimiter
 * ',', a quote, "\r" or "\n".
 */
void csvio_put_field(struct buf *out, bool sep, const char *s, size_t len);

#endif
