/*
 * diag: error records and the message format "PROG: FILE:LINE: MSG".
 * This module and cli are the only ones in lib/ that write to stderr, and
 * they do so on behalf of the program.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

const char *
diag_progname(void)
{
	return program_invocation_short_name;
}

int
ci_err_setv(struct ci_err *e, int code, const char *file, unsigned long line,
    const char *fmt, va_list ap)
{
	if (e == NULL)
		return -1;
	e->code = code;
	e->line = line;
	snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file : "");
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int
ci_err_set(struct ci_err *e, int code, const char *file, unsigned long line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ci_err_setv(e, code, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_report(const struct ci_err *e)
{
	const char *prog = diag_progname();

	if (e->file[0] != '\0' && e->line > 0)
		fprintf(
		    stderr, "%s: %s:%lu: %s\n", prog, e->file, e->line, e->msg);
	else if (e->file[0] != '\0')
		fprintf(stderr, "%s: %s: %s\n", prog, e->file, e->msg);
	else
		fprintf(stderr, "%s: %s\n", prog, e->msg);
	if (e->code == CI_EXIT_USAGE)
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return e->code != CI_EXIT_OK ? e->code : CI_EXIT_IO;
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", diag_progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
diag_lines(const char *text)
{
	const char *nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		fprintf(stderr, "%s: %.*s\n", diag_progname(), (int)(nl - text),
		    text);
		text = *nl == '\n' ? nl + 1 : nl;
	}
}
