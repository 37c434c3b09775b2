/*
 * cli: common options, checked values, usage errors, progress and exit.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "maxerr.h"
#include "recin.h"
#include "samefile.h"

void
cli_common_init(struct cli_common *c)
{
	memset(c, 0, sizeof(*c));
	c->seed = CLI_DEFAULT_SEED;
}

void
cli_notes(struct cli_common *c)
{
	if (!c->quiet)
		diag_lines(buf_str(&c->notes));
	buf_reset(&c->notes);
}

void
cli_common_release(struct cli_common *c)
{
	strv_free(&c->cols);
	buf_release(&c->notes);
}

int
cli_getopt(int argc, char *argv[], const char *shortopts,
    const struct option *longopts, int *idx)
{
	const char *tok, *name;
	size_t      n;
	int         ch;

	*idx = -1;
	ch = getopt_long(argc, argv, shortopts, longopts, idx);
	if (ch == -1 || *idx < 0)
		return ch;
	/* The option's own word: before its value when that came apart. */
	tok = argv[optind - 1];
	if (longopts[*idx].has_arg != no_argument && optarg == tok &&
	    optind >= 2)
		tok = argv[optind - 2];
	name = longopts[*idx].name;
	n = strcspn(tok + 2, "=");
	if (strncmp(tok, "--", 2) != 0 || n != strlen(name) ||
	    strncmp(tok + 2, name, n) != 0)
		cli_usage_error("unknown option '%.*s'; did you mean '--%s'?",
		    (int)(strcspn(tok, "=")), tok, name);
	return ch;
}

unsigned
cli_subcommand(int *argc, char ***argv, const struct cli_command *cmds,
    size_t n, const char **name)
{
	size_t i;

	for (i = 0; *argc > 1 && i < n; i++)
		if (strcmp((*argv)[1], cmds[i].name) == 0) {
			*name = cmds[i].name;
			(*argv)[1] = (*argv)[0];
			(*argv)++, (*argc)--;
			return cmds[i].mode;
		}
	return 0;
}

void
cli_mode_longopts(struct option *longopts, const struct cli_mode_opt *opts,
    size_t n, const struct option *common)
{
	size_t i;

	for (i = 0; i < n; i++)
		longopts[i] = opts[i].opt;
	for (;; common++) {
		longopts[n++] = *common;
		if (common->name == NULL)
			break;
	}
}

void
cli_mode_check(const struct cli_mode_opt *opts, size_t n, int ch, unsigned mode,
    const char *mode_name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (opts[i].opt.flag == NULL && opts[i].opt.val == ch &&
		    !(opts[i].modes & mode))
			cli_usage_error("--%s is not an option of %s",
			    opts[i].opt.name, mode_name);
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		fprintf(stderr, "%s: ", diag_progname());
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Try '%s --help'.\n", diag_progname());
	exit(CI_EXIT_USAGE);
}

long long
cli_int_arg(const char *opt, const char *arg, long long lo, long long hi)
{
	char     *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < lo || v > hi)
		cli_usage_error(
		    "bad value '%s' for %s: want a whole number from %lld "
		    "to %lld",
		    arg, opt, lo, hi);
	return v;
}

double
cli_double_arg(const char *opt, const char *arg, double lo, double hi)
{
	char  *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < lo || v > hi)
		cli_usage_error(
		    "bad value '%s' for %s: want a number from %g to %g", arg,
		    opt, lo, hi);
	return v;
}

int
cli_word_arg(const char *opt, const char *arg, const char *const *words)
{
	char   want[256];
	size_t i, used = 0;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0)
			return (int)i;
	for (i = 0; words[i] != NULL && used < sizeof(want); i++)
		used +=
		    (size_t)snprintf(want + used, sizeof(want) - used, "%s'%s'",
		        i == 0             ? ""
		            : words[i + 1] ? ", "
		                           : " or ",
		        words[i]);
	cli_usage_error("bad value '%s' for %s: want %s", arg, opt, want);
}

void
cli_pair_arg(const char *opt, const char *arg, char *name, size_t size,
    const char **value)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= size)
		cli_usage_error(
		    "bad value '%s' for %s: want NAME=VALUE", arg, opt);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	*value = eq + 1;
}

int
cli_common_opt(
    struct cli_common *c, const struct cli_prog *p, int ch, const char *arg)
{
	switch (ch) {
	case 'h':
		fputs(p->usage, stdout);
		fputs(p->options, stdout);
		exit(cli_finish(CI_EXIT_OK));
	case 'q':
		c->quiet = true;
		break;
	case CLI_OPT_COL:
		if (strchr(arg, '=') == NULL || *arg == '=' ||
		    arg[strlen(arg) - 1] == '=')
			cli_usage_error(
			    "bad value '%s' for --col: want FIELD=COLUMN", arg);
		strv_add(&c->cols, arg, false);
		break;
	case CLI_OPT_COLUMNS:
		if (*arg == '\0')
			cli_usage_error("bad value '' for --columns");
		c->in.opts.columns = arg;
		break;
	case CLI_OPT_DELIMITER:
		if (recin_parse_delim(arg, &c->in.opts.delim) < 0)
			cli_usage_error(
			    "bad value '%s' for --delimiter: want one "
			    "character, 'tab', 'space' or 'whitespace'",
			    arg);
		break;
	case CLI_OPT_ENCODING:
		c->in.opts.encoding = arg;
		break;
	case CLI_OPT_FORMAT:
		if (rec_fmt_parse(arg, &c->out_format) < 0)
			cli_usage_error(
			    "bad value '%s' for --format: want 'csv' or "
			    "'ndjson'",
			    arg);
		break;
	case CLI_OPT_INPUT_FORMAT:
		if (rec_fmt_parse(arg, &c->in.opts.format) < 0)
			cli_usage_error(
			    "bad value '%s' for --input-format: want 'csv' "
			    "or 'ndjson'",
			    arg);
		break;
	case CLI_OPT_MAX_ERRORS:
		if (maxerr_parse(arg, &c->max_errors) < 0)
			cli_usage_error(
			    "bad value '%s' for --max-errors: want a count "
			    "or a percentage such as 1%%",
			    arg);
		break;
	case CLI_OPT_NO_HEADER:
		c->in.opts.no_header = true;
		break;
	case CLI_OPT_REJECTS:
		c->rejects = arg;
		break;
	case CLI_OPT_DIGITS:
		c->digits = (int)cli_int_arg("--digits", arg, 1, 17);
		break;
	case CLI_OPT_SEED:
		c->seed = (uint64_t)cli_int_arg("--seed", arg, 0, LLONG_MAX);
		break;
	case CLI_OPT_VERSION:
		printf("%s %s\n", diag_progname(), CI_VERSION);
		exit(cli_finish(CI_EXIT_OK));
	default:
		return -1;
	}
	return 0;
}

void
cli_operands(struct cli_common *c, int argc, char *argv[])
{
	c->in.paths = argv + optind;
	c->in.npaths = optind < argc ? (size_t)(argc - optind) : 0;
	c->in.quiet = c->quiet;
	c->in.opts.cols = &c->cols;
	c->in.notes = &c->notes;
	cli_output(c, "standard output", "-");
	if (c->rejects != NULL)
		cli_output(c, "--rejects", c->rejects);
}

void
cli_output(const struct cli_common *c, const char *opt, const char *path)
{
	struct ci_err e = { 0 };

	if (path != NULL &&
	    samefile_check(path, opt, c->in.paths, c->in.npaths, &e) < 0)
		cli_usage_error("%s", e.msg);
}

bool
cli_too_many_errors(
    const struct cli_common *c, uint64_t rejected, uint64_t rows)
{
	if (!maxerr_exceeded(&c->max_errors, rejected, rows))
		return false;
	diag_warn("%llu of %llu rows rejected: more than --max-errors allows",
	    (unsigned long long)rejected, (unsigned long long)rows);
	return true;
}

int
cli_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		/* An I/O status means the error was reported when it came. */
		if (errno != EPIPE && rc != CI_EXIT_IO)
			fprintf(stderr, "%s: write error: %s\n",
			    diag_progname(), strerror(errno));
		return CI_EXIT_IO;
	}
	return rc;
}
