/*
 * recout: the one record writer: CSV (RFC 4180) or NDJSON, one row at a
 * time into a buffer written in large blocks, to a file, stdout or memory.
 */
#ifndef CI_RECOUT_H
#define CI_RECOUT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

#include "diag.h"
#include "rec.h"

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

/*
 * Write the numbers of recout_double() with at most digits significant
 * digits (for people), rather than the shortest form that reads back to
 * the same double (0, the default, for programs).
 */
void recout_set_digits(struct recout *w, int digits);
void recout_int(struct recout *w, int64_t v);
/* v rounded to ndigits decimals as numfmt_fixed() writes it (NaN and
 * infinities: null/empty). */
void recout_fixed(struct recout *w, double v, int ndigits);
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
