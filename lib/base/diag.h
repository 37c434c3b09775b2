/*
 * diag: the error record every lib function fills, the exit codes of the
 * whole toolchain, and the one place where a message reaches stderr.
 *
 * A lib function that fails returns -1 and fills a struct ci_err; the
 * program (cmd/) decides what to do with it, usually diag_report().
 */
#ifndef CI_DIAG_H
#define CI_DIAG_H

#include <stdarg.h>

/* Exit codes shared by every tool; see ci(7). */
enum ci_exit {
	CI_EXIT_OK = 0,    /* success, bad rows within --max-errors */
	CI_EXIT_DATA = 1,  /* data errors beyond --max-errors */
	CI_EXIT_USAGE = 2, /* bad option, missing column, bad config */
	CI_EXIT_IO = 3,    /* open, read or write failed; out of memory */
	CI_EXIT_MODEL = 4  /* model file missing, broken or foreign */
};

struct ci_err {
	int           code;      /* an enum ci_exit value */
	char          file[256]; /* "" when the error has no file */
	unsigned long line;      /* 0 when it has no line */
	char          msg[768];  /* "what is wrong", no program name */
};

/*
 * Fill *e with code, location and a printf-style message.  file may be
 * NULL and line 0 when there is no location.  e may be NULL, in which case
 * nothing happens.  Always returns -1 so that callers can write
 * "return ci_err_set(...);".
 */
int ci_err_set(struct ci_err *e, int code, const char *file, unsigned long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* As ci_err_set(), with a va_list. */
int ci_err_setv(struct ci_err *e, int code, const char *file,
    unsigned long line, const char *fmt, va_list ap);

/*
 * Print e on stderr as "PROG: FILE:LINE: MSG" (the location parts only when
 * set), followed by "Try 'PROG --help'." for usage errors.  PROG is the
 * program's short name.  Returns e->code, or CI_EXIT_IO when e->code is 0.
 */
int diag_report(const struct ci_err *e);

/* Print a warning or note "PROG: MSG" on stderr, printf-style. */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print each line of text (lines end with "\n"; a last one without) as
 * "PROG: LINE" on stderr: the notes a lib function gathered for a summary.
 */
void diag_lines(const char *text);

/*
 * The name used at the start of every message: the program's short name
 * (set by the C library from argv[0]).
 */
const char *diag_progname(void);

#endif
