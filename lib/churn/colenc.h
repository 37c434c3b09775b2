/*
 * colenc: how the columns of a customer table become model features.
 * Each column is typed from what it holds (colenc_stats over the training
 * rows, then colenc_decide()):
 *
 *   numeric      every value (at least COLENC_TYPED_SHARE of them; the
 *                rest are bad rows) a number: one feature, as it is
 *   date         ISO 8601 dates or timestamps: one feature, the days
 *                before the reference date (--asof, or the newest date
 *                in the data), never the text
 *   categorical  text with few distinct values, or a column named with
 *                --categorical: one-hot, one feature per level kept; the
 *                levels seen fewer than COLENC_RARE_MIN times (or 0.5% of
 *                the rows) pooled into one "(other)" feature
 *   dropped      the label, the id (--id, customer_id), a column not in
 *                --only or in --exclude, an empty or constant column, or
 *                an id-like one (text distinct in every row, or with more
 *                than COLENC_MAX_DISTINCT distinct values)
 *
 * A missing value (an empty field) is NaN in every feature of its
 * column; so is a level not seen in training, which the caller counts.
 * The typing, the levels and the reference date are saved in the model
 * and read back (colenc_write(), colenc_load()), so that predicting
 * encodes a row exactly as training did.
 */
#ifndef CI_COLENC_H
#define CI_COLENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "jsonw.h"
#include "rec.h"
#include "strv.h"

#define COLENC_MAX_DISTINCT 1000
#define COLENC_MAX_LEVELS 50
#define COLENC_RARE_MIN 5
#define COLENC_TYPED_SHARE 0.95

enum colenc_type {
	COLENC_NUMERIC = 0,
	COLENC_DATE,
	COLENC_CATEGORICAL,
	COLENC_DROPPED
};

/* What one column of the training rows holds. */
struct colenc_stat {
	uint64_t    nonempty, numbers, dates;
	double      min, max;   /* of the numbers */
	int64_t     dmin, dmax; /* of the dates, in days since the epoch */
	struct hmap levels;     /* distinct texts, up to COLENC_MAX_DISTINCT */
	uint64_t   *count;      /* per level */
	size_t      cap;
	bool        many; /* more distinct texts than the map holds */
};

struct colenc_stats {
	char              **names;
	struct colenc_stat *s;
	size_t              n;
	uint64_t            rows;
};

/* Statistics of columns named names[0..n-1] (copied), no rows yet. */
void
colenc_stats_init(struct colenc_stats *st, const char *const *names, size_t n);

/* Add one row (its n fields in the order of the names). */
void colenc_stats_add(struct colenc_stats *st, const struct rec *rec);

/* Free st.  Safe on a zeroed struct. */
void colenc_stats_release(struct colenc_stats *st);

/* One column of the table and how it is encoded. */
struct colenc_col {
	char            *name;
	enum colenc_type type;
	char            *why;     /* dropped: why (for people) */
	char            *unit;    /* written after values in reasons, or NULL */
	char           **levels;  /* the kept levels, then the pooled ones */
	size_t           nlevels; /* kept: a feature each */
	size_t           npooled; /* pooled into the "(other)" feature */
	bool             other;   /* npooled > 0 */
	struct hmap      lmap;    /* level -> its index */
	size_t           first;   /* its first feature */
	size_t           nfeat;   /* 0 for dropped */
	int              in;      /* input column, once bound */
};

struct colenc {
	struct colenc_col *col;
	size_t             n;
	char             **feat; /* feature names, nfeat of them */
	size_t             nfeat;
	bool               has_ref;
	int64_t            ref; /* reference day of the dates */
};

/* How to type the columns. */
struct colenc_opts {
	const char        *label;       /* left out */
	const char        *id;          /* left out; NULL: customer_id */
	const struct strv *exclude;     /* left out */
	const struct strv *only;        /* when not empty: only these */
	const struct strv *categorical; /* categorical whatever they hold */
	const struct strv *units;       /* COL=UNIT items */
	bool               has_asof;
	int64_t            asof_day; /* reference day when has_asof */
};

/*
 * Type the columns of st as described above, into *ce (zeroed by the
 * caller), appending one line per kind of column to notes.  Returns the
 * number of features, or -1 with *e (CI_EXIT_USAGE) when an option names
 * a column the table lacks.
 */
long colenc_decide(struct colenc *ce, const struct colenc_stats *st,
    const struct colenc_opts *o, struct buf *notes, struct ci_err *e);

/*
 * Bind the columns the features come from to the input whose nin columns
 * are names: each must be there (a feature missing from the input is
 * CI_EXIT_USAGE, naming it and the columns there are).  Returns 0 or -1.
 */
int colenc_bind(
    struct colenc *ce, const char *const *names, size_t nin, struct ci_err *e);

/*
 * Encode the bound row rec into x[0..nfeat-1].  A level unseen in
 * training counts one in unseen[column] (when unseen is not NULL).
 * Returns 0, or -1 with *e (CI_EXIT_DATA, file and the row's line) for a
 * field that is not a number or date as its column's type wants.
 */
int colenc_row(const struct colenc *ce, const struct rec *rec, float *x,
    uint64_t *unseen, const char *file, struct ci_err *e);

/*
 * Parse the len bytes at s as an ISO 8601 date or timestamp (year first,
 * with dashes); returns 0 with *day set (days since the epoch, UTC), or
 * -1 with *why.
 */
int
colenc_parse_date(const char *s, size_t len, int64_t *day, const char **why);

/* The name of type t: "numeric", "date", "categorical" or "dropped". */
const char *colenc_type_name(enum colenc_type t);

/*
 * Write the encoding as the members "columns" and "date_reference" of the
 * object open in w.
 */
void colenc_write(const struct colenc *ce, struct jsonw *w);

/*
 * Read the encoding back from the model document root.  Returns 0, or -1
 * with *e (CI_EXIT_MODEL, file path) naming what is missing or wrong.
 */
int colenc_load(
    struct colenc *ce, const json_t *root, const char *path, struct ci_err *e);

/* Free ce.  Safe on a zeroed struct. */
void colenc_release(struct colenc *ce);

#endif
