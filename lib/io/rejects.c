/*
 * rejects: NDJSON rejects file or a bounded report on stderr, and the
 * --max-errors rule.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "jsonw.h"
#include "rejects.h"
#include "utf8.h"
#include "xalloc.h"

struct rejects {
	FILE      *fp;
	char      *path;
	FILE      *report;
	uint64_t   count;
	bool       failed;
	int        err;
	struct buf line;
};

struct rejects *
rejects_open(const char *path, FILE *report, struct ci_err *e)
{
	struct rejects *rj;
	FILE           *fp = NULL;

	if (path != NULL && (fp = fopen(path, "w")) == NULL) {
		ci_err_set(e, CI_EXIT_IO, path, 0, "cannot create: %s",
		    strerror(errno));
		return NULL;
	}
	rj = xcalloc(1, sizeof(*rj));
	rj->fp = fp;
	rj->path = path != NULL ? xstrdup(path) : NULL;
	rj->report = report;
	return rj;
}

static void
put_raw(struct jsonw *w, const char *raw, size_t rawlen)
{
	char  *b64;
	size_t n;

	if (utf8_valid(raw, rawlen, NULL)) {
		jsonw_key(w, "raw");
		jsonw_strn(w, raw, rawlen);
		return;
	}
	n = sodium_base64_ENCODED_LEN(rawlen, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(n);
	sodium_bin2base64(b64, n, (const unsigned char *)raw, rawlen,
	    sodium_base64_VARIANT_ORIGINAL);
	jsonw_key(w, "raw_base64");
	jsonw_str(w, b64);
	free(b64);
}

/* Write the line built in rj->line; a failure is reported at the close. */
static void
put_line(struct rejects *rj)
{
	if (!rj->failed &&
	    fwrite(rj->line.data, 1, rj->line.len, rj->fp) != rj->line.len) {
		rj->failed = true;
		rj->err = errno;
	}
}

void
rejects_add(struct rejects *rj, const char *file, unsigned long line,
    const char *const *reasons, size_t n, const char *raw, size_t rawlen)
{
	struct jsonw w;
	size_t       i;

	rj->count++;
	if (rj->fp == NULL) {
		if (rj->count <= REJECTS_SHOWN && rj->report != NULL)
			for (i = 0; i < n; i++)
				fprintf(rj->report, "%s: %s:%lu: %s\n",
				    diag_progname(), file, line, reasons[i]);
		return;
	}
	buf_reset(&rj->line);
	jsonw_init(&w, &rj->line, 0);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "file");
	jsonw_str(&w, file);
	jsonw_key(&w, "line");
	jsonw_int(&w, (int64_t)line);
	jsonw_key(&w, "reasons");
	jsonw_arr_begin(&w);
	for (i = 0; i < n; i++)
		jsonw_str(&w, reasons[i]);
	jsonw_arr_end(&w);
	put_raw(&w, raw, rawlen);
	jsonw_obj_end(&w);
	buf_addc(&rj->line, '\n');
	put_line(rj);
}

void
rejects_add_rest(
    struct rejects *rj, const char *file, unsigned long line, const char *why)
{
	struct jsonw w;

	rj->count++;
	if (rj->fp == NULL) {
		if (rj->count <= REJECTS_SHOWN && rj->report != NULL)
			fprintf(rj->report,
			    "%s: %s:%lu: %s; the rest of the file is not "
			    "read\n",
			    diag_progname(), file, line, why);
		return;
	}
	buf_reset(&rj->line);
	jsonw_init(&w, &rj->line, 0);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "file");
	jsonw_str(&w, file);
	jsonw_key(&w, "line");
	jsonw_int(&w, (int64_t)line);
	jsonw_key(&w, "reasons");
	jsonw_arr_begin(&w);
	jsonw_str(&w, why);
	jsonw_arr_end(&w);
	jsonw_key(&w, "rest_of_file");
	jsonw_bool(&w, true);
	jsonw_obj_end(&w);
	buf_addc(&rj->line, '\n');
	put_line(rj);
}

void
rejects_add_err(
    struct rejects *rj, const struct ci_err *e, const char *raw, size_t rawlen)
{
	const char *reason = e->msg;

	rejects_add(rj, e->file, e->line, &reason, 1, raw, rawlen);
}

uint64_t
rejects_count(const struct rejects *rj)
{
	return rj != NULL ? rj->count : 0;
}

int
rejects_close(struct rejects *rj, struct ci_err *e)
{
	int rc = 0;

	if (rj == NULL)
		return 0;
	if (rj->fp != NULL) {
		if (fclose(rj->fp) != 0 && !rj->failed) {
			rj->failed = true;
			rj->err = errno;
		}
		if (rj->failed)
			rc = ci_err_set(e, CI_EXIT_IO, rj->path, 0,
			    "write error: %s", strerror(rj->err));
	} else if (rj->count > REJECTS_SHOWN && rj->report != NULL) {
		fprintf(rj->report,
		    "%s: %llu more rejected rows not shown; keep them all "
		    "with --rejects FILE\n",
		    diag_progname(),
		    (unsigned long long)(rj->count - REJECTS_SHOWN));
	}
	buf_release(&rj->line);
	free(rj->path);
	free(rj);
	return rc;
}
