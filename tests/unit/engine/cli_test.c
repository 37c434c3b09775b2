/*
 * cli_test: what every program shares on its command line: the values
 * cli_int_arg(), cli_double_arg(), cli_word_arg() and
 * cli_pair_arg() accept; the common options; and the paths that end the
 * program, each run in a forked child whose exit status, stdout and stderr
 * are checked: bad values (2, with the message and "Try 'PROG --help'."),
 * --help and --version (0, on stdout), and cli_finish() on an output that
 * cannot be written (3).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "tap.h"

static const struct cli_prog prog = { "usage: cli_test [-q] [file ...]\n",
	"\n  -q, --quiet    say less\n" };

static const char *progname;

/* The words of a made-up --unit. */
static const char *const words[] = { "day", "week", "month", NULL };

static void
test_values(void)
{
	char        name[8];
	const char *value;

	is_int(cli_int_arg("--n", "42", 1, 100), 42, "int 42");
	is_int(cli_int_arg("--n", "1", 1, 100), 1, "int: low end");
	is_int(cli_int_arg("--n", "100", 1, 100), 100, "int: high end");
	is_int(cli_int_arg("--n", "-7", -10, 0), -7, "int: negative");
	is_int(cli_int_arg("--n", "+8", 0, 10), 8, "int: plus sign");
	is_int(cli_int_arg("--n", "007", 0, 10), 7,
	    "int: leading zeros are decimal");
	is_int(cli_int_arg("--seed", "9223372036854775807", 0, LLONG_MAX),
	    LLONG_MAX, "int: LLONG_MAX");

	is_int(cli_word_arg("--unit", "day", words), 0, "word: the first");
	is_int(cli_word_arg("--unit", "month", words), 2, "word: the last");

	is_near(cli_double_arg("--x", "0.5", 0, 1), 0.5, 0, "double 0.5");
	is_near(cli_double_arg("--x", "0", 0, 1), 0, 0, "double: low end");
	is_near(cli_double_arg("--x", "1", 0, 1), 1, 0, "double: high end");
	is_near(cli_double_arg("--x", "2.5e-3", 0, 1), 0.0025, 0,
	    "double: exponent");
	is_near(cli_double_arg("--x", "-1.25", -2, 2), -1.25, 0,
	    "double: negative");

	cli_pair_arg("--col", "amount=total", name, sizeof(name), &value);
	ok(strcmp(name, "amount") == 0 && strcmp(value, "total") == 0,
	    "pair: name and value");
	cli_pair_arg("--col", "a=b=c", name, sizeof(name), &value);
	ok(strcmp(name, "a") == 0 && strcmp(value, "b=c") == 0,
	    "pair: split at the first '='");
	cli_pair_arg("--col", "seven77=", name, sizeof(name), &value);
	ok(strcmp(name, "seven77") == 0 && *value == '\0',
	    "pair: a name of size - 1 bytes, an empty value");
}

static void
test_common(void)
{
	struct cli_common c;
	char             *argv[] = { "prog", "-q", "a.csv", "-", NULL };

	cli_common_init(&c);
	ok(c.seed == CLI_DEFAULT_SEED && !c.quiet && c.rejects == NULL &&
	        c.out_format == REC_FMT_AUTO && c.in.opts.delim == 0 &&
	        c.max_errors.value == 0 && !c.max_errors.percent,
	    "defaults: seed %d, formats auto, any bad row fails",
	    CLI_DEFAULT_SEED);
	ok(cli_common_opt(&c, &prog, 'q', NULL) == 0 && c.quiet, "-q");
	ok(cli_common_opt(&c, &prog, CLI_OPT_DELIMITER, "tab") == 0 &&
	        c.in.opts.delim == '\t',
	    "--delimiter tab");
	ok(cli_common_opt(&c, &prog, CLI_OPT_FORMAT, "ndjson") == 0 &&
	        c.out_format == REC_FMT_NDJSON,
	    "--format ndjson");
	ok(cli_common_opt(&c, &prog, CLI_OPT_INPUT_FORMAT, "csv") == 0 &&
	        c.in.opts.format == REC_FMT_CSV,
	    "--input-format csv");
	ok(cli_common_opt(&c, &prog, CLI_OPT_MAX_ERRORS, "2.5%") == 0 &&
	        c.max_errors.percent && c.max_errors.value == 2.5,
	    "--max-errors 2.5%%");
	ok(cli_common_opt(&c, &prog, CLI_OPT_NO_HEADER, NULL) == 0 &&
	        c.in.opts.no_header,
	    "--no-header");
	ok(cli_common_opt(&c, &prog, CLI_OPT_COLUMNS, "a,b") == 0 &&
	        strcmp(c.in.opts.columns, "a,b") == 0,
	    "--columns");
	ok(cli_common_opt(&c, &prog, CLI_OPT_ENCODING, "GB18030") == 0 &&
	        strcmp(c.in.opts.encoding, "GB18030") == 0,
	    "--encoding");
	ok(cli_common_opt(&c, &prog, CLI_OPT_REJECTS, "r.ndjson") == 0 &&
	        strcmp(c.rejects, "r.ndjson") == 0,
	    "--rejects");
	ok(cli_common_opt(&c, &prog, CLI_OPT_SEED, "0") == 0 && c.seed == 0,
	    "--seed 0");
	ok(cli_common_opt(&c, &prog, 'x', NULL) == -1 &&
	        cli_common_opt(&c, &prog, CLI_OPT_TOOL, "v") == -1,
	    "other options are not common ones: -1");
	optind = 2;
	cli_operands(&c, 4, argv);
	ok(c.in.npaths == 2 && c.in.quiet &&
	        strcmp(c.in.paths[0], "a.csv") == 0 &&
	        strcmp(c.in.paths[1], "-") == 0,
	    "operands from optind");
	optind = 4;
	cli_operands(&c, 4, argv);
	ok(c.in.npaths == 0, "no operands");
}

/* The outcome of running a function in a child. */
struct outcome {
	int  status;
	char out[1024];
	char err[1024];
};

static void
slurp(const char *path, char *dst, size_t size)
{
	FILE  *fp = fopen(path, "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(dst, 1, size - 1, fp);
		fclose(fp);
	}
	dst[n] = '\0';
	remove(path);
}

/* Run f(arg) in a child with stdout and stderr going to files. */
static void
run(void (*f)(const char *), const char *arg, struct outcome *o)
{
	char  po[] = "/tmp/cli_test.out.XXXXXX", pe[] = "/tmp/cli_test.XXXXXX";
	int   fo = mkstemp(po), fe = mkstemp(pe);
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		f(arg);
		fflush(NULL);
		_exit(99); /* f should not return */
	}
	o->status = -1;
	waitpid(pid, &o->status, 0);
	o->status = WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1;
	close(fo);
	close(fe);
	slurp(po, o->out, sizeof(o->out));
	slurp(pe, o->err, sizeof(o->err));
}

static void
int_arg(const char *arg)
{
	cli_int_arg("--bins", arg, 2, 10);
}

static void
double_arg(const char *arg)
{
	cli_double_arg("--alpha", arg, 0, 1);
}

static void
pair_arg(const char *arg)
{
	char        name[8];
	const char *value;

	cli_pair_arg("--col", arg, name, sizeof(name), &value);
}

static void
common(const char *arg)
{
	struct cli_common c;
	int               ch = arg[0] == 'h' ? 'h'
	                  : arg[0] == 'v'    ? CLI_OPT_VERSION
	                  : arg[0] == 'c'    ? CLI_OPT_COLUMNS
	                  : arg[0] == 'd'    ? CLI_OPT_DELIMITER
	                  : arg[0] == 'f'    ? CLI_OPT_FORMAT
	                  : arg[0] == 'm'    ? CLI_OPT_MAX_ERRORS
	                                     : CLI_OPT_SEED;

	cli_common_init(&c);
	cli_common_opt(&c, &prog, ch, arg + 1);
}

static void
word_arg(const char *arg)
{
	cli_word_arg("--unit", arg, words);
}

static void
usage_error(const char *arg)
{
	cli_usage_error(arg == NULL ? NULL : "bad thing '%s'", arg);
}

static void
finish_full(const char *arg)
{
	if (freopen("/dev/full", "w", stdout) == NULL)
		_exit(98);
	fputs(arg, stdout);
	_exit(cli_finish(0));
}

static void
finish_ok(const char *arg)
{
	fputs(arg, stdout);
	_exit(cli_finish(4));
}

/* Expect exit 2 with "PROG: MSG\nTry 'PROG --help'.\n" and no stdout. */
static void
usage(
    void (*f)(const char *), const char *arg, const char *msg, const char *what)
{
	struct outcome o;
	char           want[1024];

	run(f, arg, &o);
	snprintf(want, sizeof(want), "%s: %s\nTry '%s --help'.\n", progname,
	    msg, progname);
	ok(o.status == 2 && strcmp(o.err, want) == 0 && o.out[0] == '\0',
	    "%s '%s': exit 2 and the message", what, arg);
	if (o.status != 2 || strcmp(o.err, want) != 0)
		diag("  status %d, stderr '%s'", o.status, o.err);
}

static void
test_exits(void)
{
	static const char *const ints[] = { "1", "11", "", "5x", "5.0", "0x5",
		"99999999999999999999" };
	static const char *const doubles[] = { "1.5", "-0.1", "nan", "1e999",
		"0.5 " };
	struct outcome           o;
	char                     want[256], msg[256];
	size_t                   i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		snprintf(msg, sizeof(msg),
		    "bad value '%s' for --bins: want a whole number from 2 to "
		    "10",
		    ints[i]);
		usage(int_arg, ints[i], msg, "int");
	}
	for (i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
		snprintf(msg, sizeof(msg),
		    "bad value '%s' for --alpha: want a number from 0 to 1",
		    doubles[i]);
		usage(double_arg, doubles[i], msg, "double");
	}
	usage(pair_arg, "novalue",
	    "bad value 'novalue' for --col: want NAME=VALUE",
	    "pair without '='");
	usage(pair_arg, "=x", "bad value '=x' for --col: want NAME=VALUE",
	    "pair without a name");
	usage(pair_arg, "eightchr=x",
	    "bad value 'eightchr=x' for --col: want NAME=VALUE",
	    "pair whose name does not fit");
	usage(common, "c", "bad value '' for --columns", "--columns");
	usage(common, "d;;",
	    "bad value ';;' for --delimiter: want one character, 'tab', "
	    "'space' or 'whitespace'",
	    "--delimiter");
	usage(common, "fxml",
	    "bad value 'xml' for --format: want 'csv' or 'ndjson'", "--format");
	usage(common, "m-1",
	    "bad value '-1' for --max-errors: want a count or a percentage "
	    "such as 1%",
	    "--max-errors");
	usage(common, "s-1",
	    "bad value '-1' for --seed: want a whole number from 0 to "
	    "9223372036854775807",
	    "--seed");
	usage(word_arg, "Day",
	    "bad value 'Day' for --unit: want 'day', 'week' or 'month'",
	    "word");
	usage(word_arg, "",
	    "bad value '' for --unit: want 'day', 'week' or "
	    "'month'",
	    "empty word");
	usage(usage_error, "x", "bad thing 'x'", "cli_usage_error");

	run(usage_error, NULL, &o);
	snprintf(want, sizeof(want), "Try '%s --help'.\n", progname);
	ok(o.status == 2 && strcmp(o.err, want) == 0,
	    "cli_usage_error without a message: only the Try line");

	run(common, "h", &o);
	ok(o.status == 0 && o.err[0] == '\0' &&
	        strcmp(o.out,
	            "usage: cli_test [-q] [file ...]\n"
	            "\n  -q, --quiet    say less\n") == 0,
	    "--help: usage and options on stdout, exit 0");
	run(common, "v", &o);
	snprintf(want, sizeof(want), "%s %s\n", progname, CI_VERSION);
	ok(o.status == 0 && strcmp(o.out, want) == 0 && o.err[0] == '\0',
	    "--version: 'PROG VERSION' on stdout, exit 0");

	run(finish_ok, "row\n", &o);
	ok(o.status == 4 && strcmp(o.out, "row\n") == 0 && o.err[0] == '\0',
	    "cli_finish flushes stdout and returns the code given");
	run(finish_full, "row\n", &o);
	snprintf(want, sizeof(want),
	    "%s: write error: No space left on device\n", progname);
	ok(o.status == 3 && strcmp(o.err, want) == 0,
	    "cli_finish on a full device: 3 and a write error");
	if (o.status != 3)
		diag("  status %d, stderr '%s'", o.status, o.err);
}

/* A program with subcommands "fit" (1) and "check" (2). */
static const struct cli_command  commands[] = { { "fit", 1 }, { "check", 2 } };
static const struct cli_mode_opt modal[] = {
	{ { "holdout", required_argument, NULL, 0x200 }, 2 },
	{ { "penalizer", required_argument, NULL, 0x201 }, 1 | 2 },
};

static void
mode_check(const char *arg)
{
	cli_mode_check(modal, 2, arg[0] == 'h' ? 0x200 : 0x201, 1, "fit");
}

static void
test_modes(void)
{
	char       *argv[] = { "prog", "check", "--holdout", "x", NULL };
	char      **av = argv;
	int         ac = 4;
	const char *name = "default";
	const struct option common[] = { { "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 } };
	struct option       lo[2 + 2];
	struct outcome      o;
	char                want[128];

	ok(cli_subcommand(&ac, &av, commands, 2, &name) == 2 && ac == 3 &&
	        strcmp(name, "check") == 0 && strcmp(av[0], "prog") == 0 &&
	        strcmp(av[1], "--holdout") == 0,
	    "cli_subcommand takes 'check' out of argv, argv[0] kept");
	ok(cli_subcommand(&ac, &av, commands, 2, &name) == 0 && ac == 3 &&
	        strcmp(name, "check") == 0,
	    "without a subcommand: 0, argv and the name unchanged");
	cli_mode_longopts(lo, modal, 2, common);
	ok(strcmp(lo[0].name, "holdout") == 0 &&
	        strcmp(lo[1].name, "penalizer") == 0 &&
	        strcmp(lo[2].name, "quiet") == 0 && lo[3].name == NULL,
	    "cli_mode_longopts: the own options, the common ones, the end");
	run(mode_check, "p", &o);
	ok(o.status == 99, "an option of the subcommand passes");
	run(mode_check, "h", &o);
	snprintf(want, sizeof(want), "%s: --holdout is not an option of fit\n",
	    progname);
	ok(o.status == 2 && strncmp(o.err, want, strlen(want)) == 0,
	    "an option of another subcommand: exit 2, named");
}

int
main(void)
{
	progname = diag_progname();
	plan(17 + 14 + 28 + 5);
	test_values();
	test_common();
	test_exits();
	test_modes();
	return done_testing();
}
