/*
 * intab: a small table read whole (the outputs of ci-score check and
 * forecast, ci-churn eval, ci-segment --profiles, ci-recommend, a
 * crosswalk), CSV or NDJSON as recin reads them, with its columns looked
 * up by name and its numbers checked: every error names the file, the line
 * and the column.
 *
 * Also the JSON documents some tools write instead of NDJSON (ci-churn
 * eval --format ndjson): intab_json() reads one whole, and intab_tables()
 * reads the long CSV form table,row,column,value into the same shape, an
 * object of arrays of row objects.
 */
#ifndef CI_INTAB_H
#define CI_INTAB_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "pool.h"
#include "recin.h"

struct intab {
	char          *name; /* the path, for messages */
	size_t         nrows;
	size_t         ncols;
	char         **cols; /* column names */
	char         **cell; /* nrows x ncols, NUL-terminated, "" if null */
	unsigned long *line; /* line of each row */
	size_t         cap;
	struct pool    pool;
};

/*
 * Read the table at path with the reading options o (the --col items of
 * o apply).  Returns 0, or -1 with *e: the file cannot be read (exit 3),
 * a row is malformed (exit 1, with its line).
 */
int intab_read(struct intab *t, const char *path, const struct recin_opts *o,
    struct ci_err *e);

/* The index of column name, or -1. */
/*
 * When t is in the long form of the eval modes (the columns table, row,
 * column and value, as ci-recommend eval and ci-churn eval write CSV),
 * make it the wide table of its rows whose table is table: a column key
 * holding each distinct row, then one column per distinct column, in the
 * order they first come.  A table in another form is left as it is.
 */
void intab_widen(struct intab *t, const char *table, const char *key);

int intab_col(const struct intab *t, const char *name);

/*
 * The index of column name, which the caller needs: -1 with *e (exit 2)
 * "FILE: missing column 'NAME' (WHY); columns are: ..." when it is not
 * there.
 */
int intab_require(
    const struct intab *t, const char *name, const char *why, struct ci_err *e);

/* The cell of row i in column c, "" when c < 0. */
const char *intab_str(const struct intab *t, size_t i, int c);

/*
 * The number in row i, column c, into *v: NaN when the cell is empty or c
 * < 0.  Returns 0, or -1 with *e (exit 1) "FILE:LINE: bad number 'X' in
 * column 'C'".
 */
int
intab_num(const struct intab *t, size_t i, int c, double *v, struct ci_err *e);

/* Free what t holds.  Safe on a zeroed struct. */
void intab_release(struct intab *t);

/*
 * Whether the file at path holds one JSON document (its first byte that is
 * not blank is '{' and its first line does not end the object): 1 yes, 0
 * no, -1 with *e when it cannot be read.
 */
int intab_is_json(const char *path, struct ci_err *e);

/*
 * Read the JSON document at path.  Returns it (the caller decrefs), or
 * NULL with *e (exit 1 with the line of a syntax error, 3 when it cannot
 * be read).
 */
json_t *intab_json(const char *path, struct ci_err *e);

/*
 * The long form table,row,column,value of t as an object of arrays: one
 * member per table, in order of appearance, each an array of one object
 * per row (consecutive lines of the same table and row), whose members
 * are the columns, numbers as JSON numbers and other values as strings.
 * Returns it (the caller decrefs), or NULL with *e (exit 2) when t lacks
 * one of the four columns.
 */
json_t *intab_tables(const struct intab *t, struct ci_err *e);

#endif
