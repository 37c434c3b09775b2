/*
 * intab: small tables read whole, and their JSON forms.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "intab.h"
#include "numfmt.h"
#include "xalloc.h"

static char *
keep(struct intab *t, const char *s, size_t len)
{
	char *p = pool_alloc(&t->pool, len + 1);

	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
intab_read(struct intab *t, const char *path, const struct recin_opts *o,
    struct ci_err *e)
{
	struct recin      *r;
	struct rec         rec;
	const char *const *cols;
	enum rec_status    st;
	size_t             i;

	memset(t, 0, sizeof(*t));
	t->name = xstrdup(path);
	if ((r = recin_open(path, o, e)) == NULL)
		return -1;
	t->ncols = recin_ncols(r);
	cols = recin_cols(r);
	t->cols = xcalloc(t->ncols ? t->ncols : 1, sizeof(*t->cols));
	for (i = 0; i < t->ncols; i++)
		t->cols[i] = keep(t, cols[i], strlen(cols[i]));
	while ((st = recin_read(r, &rec, e)) == REC_ROW) {
		if (t->nrows == t->cap) {
			size_t cap = t->cap;

			xgrow(&t->line, &cap, t->nrows + 1, sizeof(*t->line));
			t->cell = xreallocarray(t->cell,
			    cap * (t->ncols ? t->ncols : 1), sizeof(*t->cell));
			t->cap = cap;
		}
		for (i = 0; i < t->ncols; i++) {
			const char *s;
			size_t      len;

			rec_field(&rec, (int)i, &s, &len);
			t->cell[t->nrows * t->ncols + i] = keep(t, s, len);
		}
		t->line[t->nrows++] = rec.line;
	}
	recin_free(r);
	return st == REC_END ? 0 : -1;
}

/* The index of s among v[0..*n-1], added at the end when absent. */
static size_t
index_of(char **v, size_t *n, char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	v[*n] = s;
	return (*n)++;
}

void
intab_widen(struct intab *t, const char *table, const char *key)
{
	int    ct = intab_col(t, "table"), cr = intab_col(t, "row");
	int    cc = intab_col(t, "column"), cv = intab_col(t, "value");
	char **rows, **cols, **cell;
	size_t i, nr = 0, nc = 1, r, c;

	if (ct < 0 || cr < 0 || cc < 0 || cv < 0)
		return;
	rows = xcalloc(t->nrows + 1, sizeof(*rows));
	cols = xcalloc(t->nrows + 2, sizeof(*cols));
	cols[0] = keep(t, key, strlen(key));
	for (i = 0; i < t->nrows; i++)
		if (strcmp(intab_str(t, i, ct), table) == 0) {
			index_of(rows, &nr, t->cell[i * t->ncols + (size_t)cr]);
			index_of(cols, &nc, t->cell[i * t->ncols + (size_t)cc]);
		}
	cell = xcalloc(nr * nc + 1, sizeof(*cell));
	for (r = 0; r < nr; r++) {
		cell[r * nc] = rows[r];
		for (c = 1; c < nc; c++)
			cell[r * nc + c] = keep(t, "", 0);
	}
	for (i = 0; i < t->nrows; i++)
		if (strcmp(intab_str(t, i, ct), table) == 0) {
			r = index_of(
			    rows, &nr, t->cell[i * t->ncols + (size_t)cr]);
			c = index_of(
			    cols, &nc, t->cell[i * t->ncols + (size_t)cc]);
			cell[r * nc + c] = t->cell[i * t->ncols + (size_t)cv];
		}
	for (r = 0; r < nr; r++)
		t->line[r] = 0;
	free(t->cols);
	free(t->cell);
	free(rows);
	t->cols = cols;
	t->cell = cell;
	t->ncols = nc;
	t->nrows = nr;
}

int
intab_col(const struct intab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
intab_require(
    const struct intab *t, const char *name, const char *why, struct ci_err *e)
{
	struct buf b = { 0 };
	int        c = intab_col(t, name);

	if (c >= 0)
		return c;
	buf_addnames(&b, (const char *const *)t->cols, t->ncols);
	ci_err_set(e, CI_EXIT_USAGE, t->name, 0,
	    "missing column '%s' (%s); columns are: %s", name, why,
	    t->ncols ? buf_str(&b) : "none");
	buf_release(&b);
	return -1;
}

const char *
intab_str(const struct intab *t, size_t i, int c)
{
	return c < 0 ? "" : t->cell[i * t->ncols + (size_t)c];
}

int
intab_num(const struct intab *t, size_t i, int c, double *v, struct ci_err *e)
{
	const char *s = intab_str(t, i, c);

	*v = NAN;
	if (*s == '\0')
		return 0;
	if (numfmt_parse(s, strlen(s), v))
		return 0;
	return ci_err_set(e, CI_EXIT_DATA, t->name, t->line[i],
	    "bad number '%.40s' in column '%s'", s, t->cols[c]);
}

void
intab_release(struct intab *t)
{
	free(t->name);
	free(t->cols);
	free(t->cell);
	free(t->line);
	pool_release(&t->pool);
	memset(t, 0, sizeof(*t));
}

int
intab_is_json(const char *path, struct ci_err *e)
{
	FILE   *fp = fopen(path, "r");
	char    line[4096];
	size_t  n;
	json_t *j;

	if (fp == NULL)
		return ci_err_set(
		    e, CI_EXIT_IO, path, 0, "cannot open: %s", strerror(errno));
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return 0;
	}
	fclose(fp);
	n = strspn(line, " \t\r\n");
	/* NDJSON: the first line holds a whole object.  A document: not. */
	if (line[n] != '{')
		return 0;
	j = json_loads(line, JSON_DISABLE_EOF_CHECK, NULL);
	json_decref(j);
	return j == NULL ? 1 : 0;
}

json_t *
intab_json(const char *path, struct ci_err *e)
{
	json_error_t je;
	json_t      *j = json_load_file(path, 0, &je);

	if (j != NULL)
		return j;
	if (je.line <= 0 && errno != 0) {
		ci_err_set(e, CI_EXIT_IO, path, 0, "cannot read: %s", je.text);
		return NULL;
	}
	ci_err_set(e, CI_EXIT_DATA, path,
	    (unsigned long)(je.line > 0 ? je.line : 0), "not JSON: %s",
	    je.text);
	return NULL;
}

json_t *
intab_tables(const struct intab *t, struct ci_err *e)
{
	int         ct, cr, cc, cv;
	json_t     *root, *row = NULL;
	const char *last_table = NULL, *last_row = NULL;
	size_t      i;

	if ((ct = intab_require(t, "table", "the long form", e)) < 0 ||
	    (cr = intab_require(t, "row", "the long form", e)) < 0 ||
	    (cc = intab_require(t, "column", "the long form", e)) < 0 ||
	    (cv = intab_require(t, "value", "the long form", e)) < 0)
		return NULL;
	root = json_object();
	for (i = 0; i < t->nrows; i++) {
		const char *tab = intab_str(t, i, ct),
		           *rw = intab_str(t, i, cr),
		           *val = intab_str(t, i, cv);
		double  v;
		json_t *arr;

		if (row == NULL || strcmp(tab, last_table) != 0 ||
		    strcmp(rw, last_row) != 0) {
			if ((arr = json_object_get(root, tab)) == NULL) {
				arr = json_array();
				json_object_set_new(root, tab, arr);
			}
			row = json_object();
			json_array_append_new(arr, row);
			last_table = tab;
			last_row = rw;
		}
		json_object_set_new(row, intab_str(t, i, cc),
		    *val != '\0' && numfmt_parse(val, strlen(val), &v)
		        ? json_real(v)
		        : json_string(val));
	}
	return root;
}
