/*
 * evtab: the CSV rows are written as they come; the JSON is built in a
 * buffer and written at the close, so that a failed evaluation writes no
 * half object.
 */
#include <stdio.h>
#include <string.h>

#include "evtab.h"

int
evtab_open(struct evtab *t, enum rec_fmt fmt, enum evtab_rows rows, int digits,
    struct ci_err *e)
{
	static const char *const cols[] = { "table", "row", "column", "value" };

	memset(t, 0, sizeof(*t));
	t->rows = rows;
	t->json = fmt == REC_FMT_NDJSON;
	if (t->json) {
		jsonw_init(&t->j, &t->out, 2);
		jsonw_obj_begin(&t->j);
		return 0;
	}
	if ((t->w = recout_open(NULL, REC_FMT_CSV, cols, 4, e)) == NULL)
		return -1;
	recout_set_digits(t->w, digits);
	return 0;
}

static void
end_row(struct evtab *t)
{
	if (t->json && t->in_row)
		jsonw_obj_end(&t->j);
	t->in_row = false;
}

static void
end_table(struct evtab *t)
{
	end_row(t);
	if (t->json && t->in_table) {
		if (t->rows == EVTAB_KEYED)
			jsonw_obj_end(&t->j);
		else
			jsonw_arr_end(&t->j);
	}
	t->in_table = false;
}

void
evtab_table(struct evtab *t, const char *name)
{
	end_table(t);
	snprintf(t->table, sizeof(t->table), "%s", name);
	t->in_table = true;
	if (!t->json)
		return;
	jsonw_key(&t->j, name);
	if (t->rows == EVTAB_KEYED)
		jsonw_obj_begin(&t->j);
	else
		jsonw_arr_begin(&t->j);
}

void
evtab_row(struct evtab *t, const char *name)
{
	end_row(t);
	snprintf(t->row, sizeof(t->row), "%s", name);
	t->in_row = true;
	if (!t->json)
		return;
	if (t->rows == EVTAB_KEYED)
		jsonw_key(&t->j, name);
	jsonw_obj_begin(&t->j);
}

/* The CSV row of a value: its table, row and column, then the value. */
static void
csv_head(struct evtab *t, const char *col)
{
	recout_str(t->w, t->table, strlen(t->table));
	recout_str(t->w, t->row, strlen(t->row));
	recout_str(t->w, col, strlen(col));
}

void
evtab_num(struct evtab *t, const char *col, double v, struct ci_err *e)
{
	if (t->json) {
		jsonw_key(&t->j, col);
		jsonw_double(&t->j, v);
		return;
	}
	csv_head(t, col);
	recout_double(t->w, v);
	if (recout_end(t->w, t->rc == 0 ? e : NULL) < 0)
		t->rc = -1;
}

void
evtab_str(struct evtab *t, const char *col, const char *s, struct ci_err *e)
{
	if (t->json) {
		jsonw_key(&t->j, col);
		jsonw_str(&t->j, s);
		return;
	}
	csv_head(t, col);
	recout_str(t->w, s, strlen(s));
	if (recout_end(t->w, t->rc == 0 ? e : NULL) < 0)
		t->rc = -1;
}

int
evtab_close(struct evtab *t, struct ci_err *e)
{
	int rc = t->rc;

	if (t->json && e != NULL && rc == 0) {
		end_table(t);
		jsonw_obj_end(&t->j);
		buf_addc(&t->out, '\n');
		if (fwrite(t->out.data, 1, t->out.len, stdout) != t->out.len)
			rc = ci_err_set(e, CI_EXIT_IO, NULL, 0, "write error");
	}
	if (recout_close(t->w, rc == 0 ? e : NULL) < 0)
		rc = -1;
	buf_release(&t->out);
	t->w = NULL;
	return rc;
}
