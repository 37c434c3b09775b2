/*
 * recin: the one record reader.  CSV (RFC 4180, via libcsv),
 * blank-separated columns, or NDJSON (via jansson), detected from the first
 * bytes; streamed one record at a time; every error carries the file name
 * and line number.  Its writing twin is recout.
 *
 * The reader guarantees that every field it yields is valid UTF-8 without
 * NUL bytes and that every record has exactly one field per column; a row
 * that breaks these rules is reported as a bad row (with its raw text) and
 * reading goes on, unless keep_invalid says to empty the bad fields.  Extra fields at the end of a CSV row are accepted when
 * they are all empty (spreadsheets write trailing commas).
 */
#ifndef CI_RECIN_H
#define CI_RECIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "rec.h"
#include "strv.h"

/* Delimiter value meaning "runs of blanks" (fixed-column exports). */
#define REC_DELIM_BLANKS (-1)

struct recin_opts {
	enum rec_fmt format;    /* REC_FMT_AUTO: detect from the first byte */
	int          delim;     /* a byte or REC_DELIM_BLANKS; 0: told from
	                           the header (',' ';' tab '|'), else ',' */
	bool         no_header; /* CSV: the first row is data */
	const char  *columns;   /* comma-separated column names, or NULL */
	const char  *encoding;  /* iconv name of the input's charset, or NULL */
	/* "FIELD=COLUMN" items (--col): a lookup of FIELD reads COLUMN */
	const struct strv *cols;
	/*
	 * A CSV field that is not UTF-8 text (or holds a NUL byte) is an
	 * empty field of kind REC_INVALID, for the caller to judge, instead
	 * of making its row bad.
	 */
	bool keep_invalid;
};

struct recin;

/*
 * Open path ("-" or NULL: stdin) and read its header: the first CSV row,
 * o->columns, or the keys of the first NDJSON object.  Column names are
 * trimmed of blanks; an empty name becomes its 1-based position ("3") and a
 * repeated one gets "_2", "_3", ...; with no_header and no columns the
 * names are the positions.  An empty input opens as an input with no
 * columns and no records.  Returns NULL with *e filled on failure.
 */
struct recin *
recin_open(const char *path, const struct recin_opts *o, struct ci_err *e);

/*
 * As recin_open(), on a stream the caller opened and closes after
 * recin_free(), called name in messages.
 */
struct recin *recin_open_stream(
    FILE *fp, const char *name, const struct recin_opts *o, struct ci_err *e);

/*
 * Another reader of like's file (a path, not stdin), at byte offset off
 * where a record starts, as though lineno lines came before it: the same
 * format, columns and header row, nothing read yet.  For reading parts of
 * a large file at once (lib/parread).  NULL with *e filled on failure.
 */
struct recin *recin_open_at(const struct recin *like, uint64_t off,
    unsigned long lineno, struct ci_err *e);

/*
 * The byte offsets of the start of the last record read (or rejected) and
 * of the next unread byte; false when they are unknown (stdin, converted
 * input).
 */
bool recin_offsets(const struct recin *r, uint64_t *rec, uint64_t *next);

/* The name used in messages: the path, or "stdin". */
const char  *recin_name(const struct recin *r);
enum rec_fmt recin_format(const struct recin *r);
size_t       recin_ncols(const struct recin *r);
/* Column names; valid until recin_free(). */
const char *const *recin_cols(const struct recin *r);

/*
 * The index of the column called name, or -1; with a --col name=COLUMN,
 * that of COLUMN.
 */
int recin_find(const struct recin *r, const char *name);

/*
 * The index of the column called name, which the caller needs: when it is
 * missing, fills *e (CI_EXIT_USAGE) with "missing column 'NAME'; columns
 * are: 'a', 'b'" and returns -1.  An input with no columns at all (empty)
 * is not an error: the result is -1 and no record will come.  The message
 * names what the column is for when why is not NULL ("for --cluster-on").
 */
int recin_require(
    const struct recin *r, const char *name, const char *why, struct ci_err *e);

/*
 * Read the next record into *rec.  Returns REC_ROW for a record, REC_END
 * at end of input, REC_BAD with *e filled (CI_EXIT_DATA, file and line)
 * for a bad row, after which the reader is positioned at the next row so
 * the caller may reject it and go on, and REC_FAIL with *e filled when the
 * input cannot be read further (I/O error, record over 64 MiB).  *rec is
 * borrowed: valid until the next recin_read() or recin_free() on r.
 */
enum rec_status recin_read(struct recin *r, struct rec *rec, struct ci_err *e);

/*
 * The raw text of the last record read or rejected, without its final line
 * terminator.  Valid as *rec is.
 */
const char *recin_raw(const struct recin *r, size_t *len);

/*
 * What the reader guessed that the user should hear of ("FILE: columns
 * separated by ';' ..."), or NULL.  Valid until recin_free().
 */
const char *recin_note(const struct recin *r);

/* Blank lines skipped so far. */
unsigned long recin_blank_lines(const struct recin *r);

/* Close the input (unless stdin) and free r.  Safe on NULL. */
void recin_free(struct recin *r);

/*
 * Parse a --delimiter value: a single byte (",", ";", "|"), "tab" or "\t",
 * "space", or "whitespace" / "blanks" for runs of blanks.  Returns 0 with
 * *delim set, or -1.
 */
int recin_parse_delim(const char *s, int *delim);

#endif
