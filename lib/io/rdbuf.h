/*
 * rdbuf: buffered input split into physical lines, the layer under the CSV
 * and NDJSON readers.  It opens a file or stdin, strips a UTF-8 byte order
 * mark, converts from another encoding to UTF-8 through iconv when asked
 * (and by itself for input that starts with a UTF-16 byte order mark),
 * counts lines, and keeps the raw bytes of the record being read so that a
 * rejected row can be written out exactly as it was.
 *
 * Lines end at "\n", at "\r\n" (one terminator) and at a lone "\r" (old
 * Mac exports), wherever each appears, as with Python's universal newlines:
 * a stray "\r" in a file of "\n" lines ends a line and counts in the line
 * numbers.  The lines know nothing of CSV quotes; a quoted line end ends a
 * line here, and the CSV reader joins the lines of its record.  An NDJSON
 * object is split only by a "\r" used as white space between its tokens
 * (a JSON string cannot hold one raw), and is then a bad row.
 */
#ifndef CI_RDBUF_H
#define CI_RDBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

/*
 * Longest record the reader holds, in bytes: its raw text (all its lines,
 * the terminators between them, not the last one).
 */
#define RDBUF_MAX_RECORD (64UL * 1024 * 1024)

struct rdbuf;

/*
 * Open path ("-" or NULL: stdin) for reading.  encoding names the input's
 * character set for iconv ("GB18030", "UTF-16LE", ...) or is NULL for
 * UTF-8.  Returns a reader the caller frees with rdbuf_free(), or NULL with
 * *e filled (CI_EXIT_IO: cannot open; CI_EXIT_USAGE: unknown encoding).
 */
struct rdbuf *
rdbuf_open(const char *path, const char *encoding, struct ci_err *e);

/*
 * As rdbuf_open(), on a stream the caller opened (and closes after
 * rdbuf_free()), called name in messages.
 */
struct rdbuf *rdbuf_open_stream(
    FILE *fp, const char *name, const char *encoding, struct ci_err *e);

/*
 * Open path, a regular file, at byte offset off, as though lineno lines
 * came before it: for reading a part of a large file (lib/parread).  No
 * byte order mark is looked for and no encoding is converted.  Returns NULL
 * with *e filled (CI_EXIT_IO) when path cannot be opened or sought.
 */
struct rdbuf *rdbuf_open_at(
    const char *path, uint64_t off, unsigned long lineno, struct ci_err *e);

/*
 * Where the reader stands in the input: *mark gets the byte offset of the
 * current record's start, *next that of the next unread byte.  False when
 * offsets are unknown: stdin or a caller's stream, or converted input.
 */
bool rdbuf_offsets(const struct rdbuf *r, uint64_t *mark, uint64_t *next);

/*
 * Go back to the start of the input, to read it again.  Called before any
 * line is read, on an input that cannot seek (stdin from a pipe), it first
 * copies what is left of it, converted to UTF-8, to a temporary file, from
 * which it is read from then on (and which rdbuf_offsets() does not
 * offer).  Returns 0, or -1 with *e filled (CI_EXIT_IO).
 */
int rdbuf_rewind(struct rdbuf *r, struct ci_err *e);

/* The name used in messages: the path, or "stdin".  Valid until free. */
const char *rdbuf_name(const struct rdbuf *r);

/*
 * Peek at the non-blank bytes of the input without consuming them: returns
 * the first (nth 0), the second (nth 1), ..., or -1 when the input holds
 * fewer.  Fails (-2, *e filled) on a read error.
 */
int rdbuf_peek(struct rdbuf *r, int nth, struct ci_err *e);

/*
 * Look at the next lines of the input without consuming them: *text and
 * *len get the unread bytes up to the end of the lines-th line ("\n"), or
 * fewer at the end of input or past 64 KiB.  Borrowed until the next call
 * on r.  Returns 0, or -1 with *e on a read error.
 */
int rdbuf_peek_text(struct rdbuf *r, size_t lines, const char **text,
    size_t *len, struct ci_err *e);

/*
 * Start a record at the next unread line: the raw text of the record runs
 * from here to the end of the last line read.
 */
void rdbuf_mark(struct rdbuf *r);

/*
 * Read the next line.  Returns 1 with *line and *len set to the line
 * without its terminator (borrowed: valid until the next rdbuf_line() or
 * rdbuf_mark()) and *term to the length of the terminator that follows it
 * in memory (0 for a last line without one, 1, or 2 for "\r\n"); 0 at end
 * of input; -1 with *e filled on a read error (CI_EXIT_IO) or when the
 * record since the mark, as rdbuf_raw() gives it, would be longer than
 * RDBUF_MAX_RECORD bytes (CI_EXIT_DATA, at the line being read; the input
 * cannot be read further).
 */
int rdbuf_line(struct rdbuf *r, const char **line, size_t *len, size_t *term,
    struct ci_err *e);

/* The number of the line last returned by rdbuf_line() (1-based). */
unsigned long rdbuf_lineno(const struct rdbuf *r);

/*
 * The raw bytes of the current record, from the mark to the end of the last
 * line read, without the final line terminator.  Valid as for lines.
 */
const char *rdbuf_raw(const struct rdbuf *r, size_t *len);

/*
 * The bytes of the current record as they were read, before conversion
 * from the input's encoding (for encodings whose line end is the byte
 * "\n"; for others, and unconverted input, as rdbuf_raw()).  Valid as for
 * rdbuf_raw().
 */
const char *rdbuf_raw_read(const struct rdbuf *r, size_t *len);

/* Close the input (unless it is stdin or the caller's stream) and free r.
 * Safe on NULL. */
void rdbuf_free(struct rdbuf *r);

#endif
