/*
 * evtab: the evaluation tables of ci-churn eval and ci-recommend eval, on
 * stdout.  In CSV every value is a row table,row,column,value; in JSON
 * (NDJSON asked for) the whole is one object with a member per table,
 * whose rows are either a list of objects (EVTAB_LIST: the row names are
 * only in the CSV) or an object of objects keyed by row name
 * (EVTAB_KEYED).  Tables and rows are written in the order given; a new
 * table or row closes the one before.
 */
#ifndef CI_EVTAB_H
#define CI_EVTAB_H

#include <stdbool.h>

#include "buf.h"
#include "diag.h"
#include "jsonw.h"
#include "rec.h"
#include "recout.h"

enum evtab_rows { EVTAB_LIST, EVTAB_KEYED };

struct evtab {
	struct recout  *w; /* CSV */
	struct jsonw    j; /* JSON, into out */
	struct buf      out;
	bool            json, in_table, in_row;
	enum evtab_rows rows;
	char            table[64], row[256];
	int             rc; /* -1 once a write failed */
};

/*
 * Begin writing to stdout in fmt (REC_FMT_NDJSON: JSON, else CSV), numbers
 * with digits significant digits (recout_set_digits()).  Returns 0, or -1
 * with *e; t is then closed.
 */
int evtab_open(struct evtab *t, enum rec_fmt fmt, enum evtab_rows rows,
    int digits, struct ci_err *e);

/* Begin table name. */
void evtab_table(struct evtab *t, const char *name);

/* Begin row name of the table. */
void evtab_row(struct evtab *t, const char *name);

/* A value of the row: a number (NaN: empty in CSV, null in JSON), or a
 * string. */
void evtab_num(struct evtab *t, const char *col, double v, struct ci_err *e);
void
evtab_str(struct evtab *t, const char *col, const char *s, struct ci_err *e);

/*
 * End the tables, write the JSON out, and free t.  Returns 0, or -1 with
 * *e (when e is not NULL: a caller that failed already passes NULL) when a
 * write failed.
 */
int evtab_close(struct evtab *t, struct ci_err *e);

#endif
