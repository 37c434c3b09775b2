/*
 * rec: the record every reader yields and every writer takes: fields
 * addressed by column index, each a byte string with a kind that says how
 * NDJSON writes it.
 */
#ifndef CI_REC_H
#define CI_REC_H

#include <stddef.h>

enum rec_fmt {
	REC_FMT_AUTO = 0, /* input: detect; output: as the input */
	REC_FMT_CSV,
	REC_FMT_NDJSON
};

/* How a field is written to NDJSON; CSV writes every kind as its text. */
enum rec_kind {
	REC_STR = 0, /* a string */
	REC_NULL,    /* no value: empty in CSV, null in NDJSON */
	REC_JSON,    /* JSON text written as is: a number, true, an array */
	REC_ABSENT,  /* an NDJSON key the object lacks: empty, or left out */
	REC_INVALID  /* not text (bad UTF-8, a NUL byte): emptied, null */
};

/* Whether a field of kind k holds no value (null, absent, not text). */
static inline int
rec_is_null(unsigned char k)
{
	return k == REC_NULL || k == REC_ABSENT || k == REC_INVALID;
}

/*
 * What every reader's read returns (csvio_read(), ndjson_read(),
 * recin_read()) and what a row callback of lib/parread answers: one
 * status for all of them.
 */
enum rec_status {
	REC_FAIL =
	    -2,       /* the input cannot be read further; the error says why */
	REC_BAD = -1, /* a bad row, skipped: reading may go on */
	REC_END = 0,  /* no more rows */
	REC_ROW = 1   /* a row */
};

struct rec {
	size_t               n;
	const char *const   *f;    /* NUL-terminated; borrowed */
	const size_t        *len;  /* byte length of each field */
	const unsigned char *kind; /* enum rec_kind of each field */
	unsigned long        line; /* first line of the record */
};

/* Narrow the field (*s, *len) to exclude leading and trailing blanks
 * (spaces and tabs). */
static inline void
rec_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/*
 * The field of column c of rec, blank-trimmed, into (*s, *len): empty when
 * c < 0 (a column the input does not have) or the value is null.
 */
static inline void
rec_field(const struct rec *rec, int c, const char **s, size_t *len)
{
	if (c < 0 || rec_is_null(rec->kind[c])) {
		*s = "";
		*len = 0;
		return;
	}
	*s = rec->f[c];
	*len = rec->len[c];
	rec_trim(s, len);
}

/* "csv" or "ndjson" (also "jsonl", "json") to a format; -1 if neither. */
int rec_fmt_parse(const char *s, enum rec_fmt *fmt);

#endif
