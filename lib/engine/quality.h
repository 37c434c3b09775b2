/*
 * quality: data-quality counts per source, kind and field, and the
 * quality report (quality.json) with fill rates, error rates and a traffic
 * light per field, per source and overall.
 *
 * A field's errors are the values that could not be used: unparseable or
 * invalid values (emptied, or the row rejected when the field is required)
 * and missing values of required fields.  Its light is green when errors
 * are below 1% of the rows read, yellow below 5%, red otherwise; a
 * source's light is the worst of its fields' and of its rejected-row rate;
 * the overall light is the worst of the sources'.
 */
#ifndef CI_QUALITY_H
#define CI_QUALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "schema.h"

enum qproblem {
	QP_MISSING_REQUIRED = 0,
	QP_UNPARSEABLE,  /* dates, times, amounts, numbers */
	QP_OUT_OF_RANGE, /* a birth date in the future, ... */
	QP_BAD_EMAIL,
	QP_BAD_PHONE,
	QP_BAD_ID_FORMAT,
	QP_BAD_ID_REGION,
	QP_BAD_ID_BIRTH,
	QP_BAD_ID_CHECK,
	QP_UNKNOWN_VALUE, /* a word outside a closed vocabulary */
	QP_ROUNDED,       /* an amount past four decimals: kept, rounded */
	QP_COUNT
};

/* Example values kept per field and problem. */
#define QUALITY_EXAMPLES 3

/* A value that had a problem, where it was, and why. */
struct qexample {
	enum qproblem problem;
	char         *file;
	unsigned long line;
	char         *value;
	char         *why;
};

enum qlight { QL_GREEN = 0, QL_YELLOW, QL_RED };

struct qfield {
	uint64_t         filled;  /* rows with a usable value */
	uint64_t         missing; /* rows with no value */
	uint64_t         problems[QP_COUNT];
	struct qexample *ex; /* the first few of each problem */
	size_t           nex;
	size_t           capex;
};

struct qsource {
	char         *source;
	enum ci_kind  kind;
	char        **files;
	size_t        nfiles;
	size_t        capfiles;
	uint64_t      rows; /* rows read, rejected ones included */
	uint64_t      rejected;
	uint64_t      blank_lines;
	char         *column[SCHEMA_MAX_FIELDS]; /* input column, or NULL */
	struct qfield f[SCHEMA_MAX_FIELDS];
};

struct quality {
	struct qsource *s;
	size_t          n;
	size_t          cap;
	FILE           *notes; /* --notes, or NULL */
	char           *notes_path;
	int             notes_err; /* errno of a failed write, or 0 */
};

/* The JSON name of a problem ("bad_phone"). */
const char *quality_problem_name(enum qproblem p);

/* The counts of source name and kind k, added when new. */
struct qsource *
quality_source(struct quality *q, const char *name, enum ci_kind k);

/* Note that file was read for s, with column feeding field i (NULL: none). */
void
quality_file(struct qsource *s, const char *file, size_t i, const char *column);

/*
 * Open the notes file at path: one NDJSON line for every value that was
 * emptied or rounded (quality_value()).  Returns 0, or -1 with *e
 * (CI_EXIT_IO).
 */
int quality_notes_open(struct quality *q, const char *path, struct ci_err *e);

/* Close the notes file, if open.  Returns 0, or -1 with *e (CI_EXIT_IO)
 * when it could not all be written. */
int quality_notes_close(struct quality *q, struct ci_err *e);

/*
 * Note a value of field i of s that had problem p, at file:line, with the
 * reason why (value NULL: hidden, a field the output masks; null in
 * JSON): kept as an example (the first QUALITY_EXAMPLES of each
 * problem of each field) and, when action is not NULL ("emptied",
 * "rounded"), written to the notes file.  The counts are the caller's.
 */
void quality_value(struct quality *q, struct qsource *s, size_t i,
    enum qproblem p, const char *file, unsigned long line, const char *value,
    size_t len, const char *why, const char *action);

/* Errors of field i of s (see above; a rounded value is no error), and
 * their light. */
uint64_t    quality_errors(const struct qsource *s, size_t i);
enum qlight quality_light(uint64_t errors, uint64_t rows);

/* The overall light. */
enum qlight quality_overall(const struct quality *q);

/*
 * Write the report to path as JSON.  Returns 0 or -1 with *e filled
 * (CI_EXIT_IO).
 */
int quality_write(const struct quality *q, const char *path, struct ci_err *e);

/* Free everything.  Safe on a zeroed struct. */
void quality_release(struct quality *q);

#endif
