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

uint64_t
quality_errors(const struct qsource *s, size_t i)
{
	uint64_t n = 0;
	int      p;

	for (p = 0; p < QP_COUNT; p++)
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
		for (j = 0; j < SCHEMA_MAX_FIELDS; j++)
			free(q->s[i].column[j]);
		free(q->s[i].source);
	}
	free(q->s);
	memset(q, 0, sizeof(*q));
}
