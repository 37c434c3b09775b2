/*
 * quality: counters and the JSON report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "quality.h"
#include "xalloc.h"

static const char *const problem_names[QP_COUNT] = {
	[QP_MISSING_REQUIRED] = "missing_required",
	[QP_UNPARSEABLE] = "unparseable",
	[QP_OUT_OF_RANGE] = "out_of_range",
	[QP_BAD_EMAIL] = "bad_email",
	[QP_BAD_PHONE] = "bad_phone",
	[QP_BAD_ID_FORMAT] = "bad_id_format",
	[QP_BAD_ID_REGION] = "bad_id_region",
	[QP_BAD_ID_BIRTH] = "implausible_birth_date",
	[QP_BAD_ID_CHECK] = "invalid_check_character",
	[QP_UNKNOWN_VALUE] = "unknown_value",
	[QP_ROUNDED] = "rounded",
};

static const char *const light_names[] = { "green", "yellow", "red" };

const char *
quality_problem_name(enum qproblem p)
{
	return problem_names[p];
}

struct qsource *
quality_source(struct quality *q, const char *name, enum ci_kind k)
{
	struct qsource *s;
	size_t          i;

	for (i = 0; i < q->n; i++)
		if (q->s[i].kind == k && strcmp(q->s[i].source, name) == 0)
			return &q->s[i];
	xgrow(&q->s, &q->cap, q->n + 1, sizeof(*q->s));
	s = &q->s[q->n++];
	memset(s, 0, sizeof(*s));
	s->source = xstrdup(name);
	s->kind = k;
	return s;
}

void
quality_file(struct qsource *s, const char *file, size_t i, const char *column)
{
	size_t j;

	for (j = 0; j < s->nfiles; j++)
		if (strcmp(s->files[j], file) == 0)
			break;
	if (j == s->nfiles) {
		xgrow(
		    &s->files, &s->capfiles, s->nfiles + 1, sizeof(*s->files));
		s->files[s->nfiles++] = xstrdup(file);
	}
	if (column != NULL && s->column[i] == NULL)
		s->column[i] = xstrdup(column);
}

int
quality_notes_open(struct quality *q, const char *path, struct ci_err *e)
{
	if ((q->notes = fopen(path, "w")) == NULL)
		return ci_err_set(e, CI_EXIT_IO, path, 0, "cannot create: %s",
		    strerror(errno));
	q->notes_path = xstrdup(path);
	return 0;
}

void
quality_value(struct quality *q, struct qsource *s, size_t i, enum qproblem p,
    const char *file, unsigned long line, const char *value, size_t len,
    const char *why, const char *action)
{
	struct qfield          *f = &s->f[i];
	const struct field_def *def;
	struct buf              b = { 0 };
	struct jsonw            w;
	size_t                  n, k, seen = 0;

	for (k = 0; k < f->nex; k++)
		seen += f->ex[k].problem == p;
	if (seen < QUALITY_EXAMPLES) {
		xgrow(&f->ex, &f->capex, f->nex + 1, sizeof(*f->ex));
		f->ex[f->nex].problem = p;
		f->ex[f->nex].file = xstrdup(file);
		f->ex[f->nex].line = line;
		f->ex[f->nex].value =
		    value != NULL ? xmemdup(value, len) : NULL;
		f->ex[f->nex].why = xstrdup(why);
		f->nex++;
	}
	if (action == NULL || q->notes == NULL || q->notes_err != 0)
		return;
	def = schema_fields(s->kind, &n);
	jsonw_init(&w, &b, 0);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "file");
	jsonw_str(&w, file);
	jsonw_key(&w, "line");
	jsonw_int(&w, (int64_t)line);
	jsonw_key(&w, "field");
	jsonw_str(&w, def[i].name);
	jsonw_key(&w, "column");
	jsonw_str(&w, s->column[i] != NULL ? s->column[i] : "");
	jsonw_key(&w, "value");
	if (value != NULL)
		jsonw_strn(&w, value, len);
	else
		jsonw_null(&w);
	jsonw_key(&w, "problem");
	jsonw_str(&w, problem_names[p]);
	jsonw_key(&w, "reason");
	jsonw_str(&w, why);
	jsonw_key(&w, "action");
	jsonw_str(&w, action);
	jsonw_obj_end(&w);
	buf_addc(&b, '\n');
	if (fwrite(b.data, 1, b.len, q->notes) != b.len)
		q->notes_err = errno != 0 ? errno : EIO;
	buf_release(&b);
}

int
quality_notes_close(struct quality *q, struct ci_err *e)
{
	int rc = 0;

	if (q->notes == NULL)
		return 0;
	if (fclose(q->notes) != 0 && q->notes_err == 0)
		q->notes_err = errno;
	q->notes = NULL;
	if (q->notes_err != 0)
		rc = ci_err_set(e, CI_EXIT_IO, q->notes_path, 0,
		    "write error: %s", strerror(q->notes_err));
	return rc;
}

uint64_t
quality_errors(const struct qsource *s, size_t i)
{
	uint64_t n = 0;
	int      p;

	for (p = 0; p < QP_COUNT; p++)
		if (p != QP_ROUNDED)
			n += s->f[i].problems[p];
	return n;
}

enum qlight
quality_light(uint64_t errors, uint64_t rows)
{
	if (rows == 0 || 100 * errors < rows)
		return QL_GREEN;
	if (100 * errors < 5 * rows)
		return QL_YELLOW;
	return QL_RED;
}

static enum qlight
source_light(const struct qsource *s)
{
	enum qlight l = quality_light(s->rejected, s->rows), fl;
	size_t      n, i;

	schema_fields(s->kind, &n);
	for (i = 0; i < n; i++) {
		fl = quality_light(quality_errors(s, i), s->rows);
		if (fl > l)
			l = fl;
	}
	return l;
}

enum qlight
quality_overall(const struct quality *q)
{
	enum qlight l = QL_GREEN, sl;
	size_t      i;

	for (i = 0; i < q->n; i++)
		if ((sl = source_light(&q->s[i])) > l)
			l = sl;
	return l;
}

static double
rate(uint64_t n, uint64_t rows)
{
	return rows > 0 ? (double)n / (double)rows : 0.0;
}

/* The examples of a field, by problem in the order they came. */
static void
write_examples(struct jsonw *w, const struct qfield *f)
{
	size_t k;

	jsonw_key(w, "examples");
	jsonw_arr_begin(w);
	for (k = 0; k < f->nex; k++) {
		jsonw_obj_begin(w);
		jsonw_key(w, "problem");
		jsonw_str(w, problem_names[f->ex[k].problem]);
		jsonw_key(w, "file");
		jsonw_str(w, f->ex[k].file);
		jsonw_key(w, "line");
		jsonw_int(w, (int64_t)f->ex[k].line);
		jsonw_key(w, "value");
		if (f->ex[k].value != NULL)
			jsonw_str(w, f->ex[k].value);
		else
			jsonw_null(w);
		jsonw_key(w, "reason");
		jsonw_str(w, f->ex[k].why);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void
write_source(struct jsonw *w, const struct qsource *s)
{
	const struct field_def *def;
	size_t                  n, i;
	int                     p;

	def = schema_fields(s->kind, &n);
	jsonw_obj_begin(w);
	jsonw_key(w, "source");
	jsonw_str(w, s->source);
	jsonw_key(w, "kind");
	jsonw_str(w, schema_kind_name(s->kind));
	jsonw_key(w, "files");
	jsonw_arr_begin(w);
	for (i = 0; i < s->nfiles; i++)
		jsonw_str(w, s->files[i]);
	jsonw_arr_end(w);
	jsonw_key(w, "rows");
	jsonw_int(w, (int64_t)s->rows);
	jsonw_key(w, "rejected");
	jsonw_int(w, (int64_t)s->rejected);
	jsonw_key(w, "reject_rate");
	jsonw_double(w, rate(s->rejected, s->rows));
	jsonw_key(w, "blank_lines");
	jsonw_int(w, (int64_t)s->blank_lines);
	jsonw_key(w, "status");
	jsonw_str(w, light_names[source_light(s)]);
	jsonw_key(w, "fields");
	jsonw_obj_begin(w);
	for (i = 0; i < n; i++) {
		uint64_t errs = quality_errors(s, i);

		if (def[i].type == FT_SOURCE)
			continue;
		jsonw_key(w, def[i].name);
		jsonw_obj_begin(w);
		jsonw_key(w, "column");
		if (s->column[i] != NULL)
			jsonw_str(w, s->column[i]);
		else
			jsonw_null(w);
		jsonw_key(w, "filled");
		jsonw_int(w, (int64_t)s->f[i].filled);
		jsonw_key(w, "missing");
		jsonw_int(w, (int64_t)s->f[i].missing);
		jsonw_key(w, "errors");
		jsonw_int(w, (int64_t)errs);
		jsonw_key(w, "fill_rate");
		jsonw_double(w, rate(s->f[i].filled, s->rows));
		jsonw_key(w, "error_rate");
		jsonw_double(w, rate(errs, s->rows));
		jsonw_key(w, "status");
		jsonw_str(w, light_names[quality_light(errs, s->rows)]);
		jsonw_key(w, "problems");
		jsonw_obj_begin(w);
		for (p = 0; p < QP_COUNT; p++) {
			if (s->f[i].problems[p] == 0)
				continue;
			jsonw_key(w, problem_names[p]);
			jsonw_int(w, (int64_t)s->f[i].problems[p]);
		}
		jsonw_obj_end(w);
		if (s->f[i].nex > 0)
			write_examples(w, &s->f[i]);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

int
quality_write(const struct quality *q, const char *path, struct ci_err *e)
{
	struct buf   b = { 0 };
	struct jsonw w;
	uint64_t     rows = 0, rejected = 0;
	FILE        *fp;
	size_t       i;
	int          rc = 0;

	for (i = 0; i < q->n; i++) {
		rows += q->s[i].rows;
		rejected += q->s[i].rejected;
	}
	jsonw_init(&w, &b, 2);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "tool");
	jsonw_str(&w, "ci-ingest");
	jsonw_key(&w, "version");
	jsonw_str(&w, CI_VERSION);
	jsonw_key(&w, "thresholds");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "green_below");
	jsonw_double(&w, 0.01);
	jsonw_key(&w, "yellow_below");
	jsonw_double(&w, 0.05);
	jsonw_obj_end(&w);
	jsonw_key(&w, "rows");
	jsonw_int(&w, (int64_t)rows);
	jsonw_key(&w, "rejected");
	jsonw_int(&w, (int64_t)rejected);
	jsonw_key(&w, "status");
	jsonw_str(&w, light_names[quality_overall(q)]);
	jsonw_key(&w, "sources");
	jsonw_arr_begin(&w);
	for (i = 0; i < q->n; i++)
		write_source(&w, &q->s[i]);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	buf_addc(&b, '\n');
	if ((fp = fopen(path, "w")) == NULL) {
		rc = ci_err_set(e, CI_EXIT_IO, path, 0, "cannot create: %s",
		    strerror(errno));
	} else {
		if (fwrite(b.data, 1, b.len, fp) != b.len)
			rc = ci_err_set(e, CI_EXIT_IO, path, 0,
			    "write error: %s", strerror(errno));
		if (fclose(fp) != 0 && rc == 0)
			rc = ci_err_set(e, CI_EXIT_IO, path, 0,
			    "write error: %s", strerror(errno));
	}
	buf_release(&b);
	return rc;
}

void
quality_release(struct quality *q)
{
	size_t i, j;

	for (i = 0; i < q->n; i++) {
		for (j = 0; j < q->s[i].nfiles; j++)
			free(q->s[i].files[j]);
		free(q->s[i].files);
		for (j = 0; j < SCHEMA_MAX_FIELDS; j++) {
			struct qfield *f = &q->s[i].f[j];
			size_t         k;

			free(q->s[i].column[j]);
			for (k = 0; k < f->nex; k++) {
				free(f->ex[k].file);
				free(f->ex[k].value);
				free(f->ex[k].why);
			}
			free(f->ex);
		}
		free(q->s[i].source);
	}
	free(q->s);
	if (q->notes != NULL)
		fclose(q->notes);
	free(q->notes_path);
	memset(q, 0, sizeof(*q));
}
