/*
 * recio: the one record reader and writer.  CSV (RFC 4180, via libcsv),
 * blank-separated columns, or NDJSON (via jansson), detected from the first
 * bytes; streamed one record at a time; every error carries the file name
 * and line number.
 *
 * The reader guarantees that every field it yields is valid UTF-8 without
 * NUL bytes and that every record has exactly one field per column; a row
 * that breaks these rules is reported as a bad row (with its raw text) and
 * reading goes on.  Extra fields at the end of a CSV row are accepted when
 * they are all empty (spreadsheets write trailing commas).
 */
#ifndef CI_RECIO_H
#define CI_RECIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

#include "diag.h"
#include "rec.h"

/* Delimiter value meaning "runs of blanks" (fixed-column exports). */
#define REC_DELIM_BLANKS (-1)

struct recin_opts {
	enum rec_fmt format;    /* REC_FMT_AUTO: detect from the first byte */
	int          delim;     /* ',' when 0; a byte or REC_DELIM_BLANKS */
	bool         no_header; /* CSV: the first row is data */
	const char  *columns;   /* comma-separated column names, or NULL */
	const char  *encoding;  /* iconv name of the input's charset, or NULL */
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

/* The index of the column called name, or -1. */
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
 * Read the next record into *rec.  Returns 1 for a record, 0 at end of
 * input, -1 with *e filled (CI_EXIT_DATA, file and line) for a bad row,
 * after which the reader is positioned at the next row so the caller may
 * reject it and go on, and -2 with *e filled when the input cannot be read
 * further (I/O error, record over 64 MiB).  *rec is borrowed: valid until
 * the next recin_read() or recin_free() on r.
 */
int recin_read(struct recin *r, struct rec *rec, struct ci_err *e);

/*
 * The raw text of the last record read or rejected, without its final line
 * terminator.  Valid as *rec is.
 */
const char *recin_raw(const struct recin *r, size_t *len);

/* Blank lines skipped so far. */
unsigned long recin_blank_lines(const struct recin *r);

/* Close the input (unless stdin) and free r.  Safe on NULL. */
void recin_free(struct recin *r);

/*
 * Parse a --delimiter value: a single byte (",", ";", "|"), "tab" or "\t",
 * "space", or "whitespace" / "blanks" for runs of blanks.  Returns 0 with
 * *delim set, or -1.
 */
int recio_parse_delim(const char *s, int *delim);

/* "csv" or "ndjson" (also "jsonl", "json") to a format; -1 if neither. */
int recio_parse_format(const char *s, enum rec_fmt *fmt);

struct recout;

/*
 * A writer of records with the given columns (copied) to path ("-" or
 * NULL: stdout) in format fmt (CSV or NDJSON).  The CSV header is written
 * at once, so an empty result still has its header.  Returns NULL with *e
 * filled (CI_EXIT_IO) when path cannot be created.
 */
struct recout *recout_open(const char *path, enum rec_fmt fmt,
    const char *const *cols, size_t ncols, struct ci_err *e);

/*
 * A writer into memory, with no header: the rows written are kept in its
 * buffer (recout_mem()) to be copied elsewhere with recout_rawv().
 */
struct recout *
recout_open_mem(enum rec_fmt fmt, const char *const *cols, size_t ncols);

/* The bytes a memory writer holds; valid until it changes. */
const char *recout_mem(const struct recout *w, size_t *len);

/* Forget the bytes a memory writer holds, keeping its memory. */
void recout_mem_clear(struct recout *w);

/* The format w writes. */
enum rec_fmt recout_format(const struct recout *w);

/*
 * Append n rows already formatted for w (each its bytes and newline, as a
 * memory writer of the same format and columns made them), written
 * straight from where they are (writev) when w writes to a file: no copy
 * for a large output.  Returns 0 or -1 with *e, as recout_end().
 */
int recout_rawv(
    struct recout *w, const struct iovec *rows, int n, struct ci_err *e);

/* Append the next field of the current row. */
void
recout_field(struct recout *w, const char *s, size_t len, enum rec_kind kind);
void recout_str(struct recout *w, const char *s, size_t len);
void recout_null(struct recout *w);
/* A number (NaN and infinities: null/empty), via numfmt. */
void recout_double(struct recout *w, double v);
void recout_int(struct recout *w, int64_t v);
/* A number already formatted (len <= NUMFMT_MAX bytes, a JSON number). */
void recout_number(struct recout *w, const char *s, size_t len);
/* Copy every field of rec (CSV kinds as strings). */
void recout_rec(struct recout *w, const struct rec *rec);

/*
 * End the current row; fields not given are written empty.  Returns 0, or
 * -1 with *e filled (CI_EXIT_IO) when the output failed.
 */
int recout_end(struct recout *w, struct ci_err *e);

/* Rows written so far. */
uint64_t recout_rows(const struct recout *w);

/*
 * Flush, close the file (stdout is only flushed: cli_finish() closes it) and
 * free w.  Returns 0 or -1 with *e filled.  Safe on NULL.
 */
int recout_close(struct recout *w, struct ci_err *e);

#endif
