/*
 * cli: what every program shares on its command line: the common options
 * (record formats, rejects, --max-errors, --quiet, --help, --version), checked
 * option values, usage errors, and the one exit path.  Like diag and xalloc,
 * this module prints and exits on behalf of the program; the rest of lib/ does
 * neither.
 */
#ifndef CI_CLI_H
#define CI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maxerr.h"
#include "parread.h"
#include "strv.h"

/* A program's texts: usage is its SYNOPSIS ("usage: ci-x ...\n" lines,
 * equal to the man page's), options is one line per option. */
struct cli_prog {
	const char *usage;
	const char *options;
};

struct cli_common {
	struct parread_files in;         /* operands and reading options */
	struct strv          cols;       /* --col FIELD=COLUMN */
	struct buf           notes;      /* the readers' notes for stderr */
	enum rec_fmt         out_format; /* REC_FMT_AUTO: as the input */
	const char          *rejects;    /* --rejects path, or NULL */
	struct maxerr        max_errors; /* default 0: any bad row fails */
	uint64_t             seed;
	int                  digits; /* --digits: 0, all */
	bool                 quiet;
};

/* The lines of --help on the common options, for a program's options
 * text. */
#define CLI_COMMON_HELP \
	"common options:\n" \
	"  --format csv|ndjson     output format (default: the input's)\n" \
	"  --input-format csv|ndjson  do not detect the input format\n" \
	"  --delimiter C           ',' ';' '|' tab, or whitespace\n" \
	"  --no-header             the first CSV row is data\n" \
	"  --columns A,B,...       column names of the input\n" \
	"  --col FIELD=COLUMN      read FIELD from COLUMN\n" \
	"  --encoding NAME         input character set (GB18030, ...)\n" \
	"  --rejects FILE          keep bad rows in FILE (NDJSON)\n" \
	"  --max-errors N|P%       bad rows allowed before exit 1 (0)\n" \
	"  -q, --quiet             no summary or progress on stderr\n" \
	"  --help, --version\n"

/* Values of the common long options (tools number theirs from
 * CLI_OPT_TOOL). */
enum {
	CLI_OPT_COL = 0x100,
	CLI_OPT_COLUMNS,
	CLI_OPT_DELIMITER,
	CLI_OPT_DIGITS,
	CLI_OPT_ENCODING,
	CLI_OPT_FORMAT,
	CLI_OPT_INPUT_FORMAT,
	CLI_OPT_MAX_ERRORS,
	CLI_OPT_NO_HEADER,
	CLI_OPT_REJECTS,
	CLI_OPT_SEED,
	CLI_OPT_VERSION,
	CLI_OPT_TOOL = 0x200
};

/* The common options, for the end of a program's struct option table. */
/* clang-format off */
#define CLI_COMMON_LONGOPTS \
	{ "col",          required_argument, NULL, CLI_OPT_COL }, \
	{ "columns",      required_argument, NULL, CLI_OPT_COLUMNS }, \
	{ "delimiter",    required_argument, NULL, CLI_OPT_DELIMITER }, \
	{ "encoding",     required_argument, NULL, CLI_OPT_ENCODING }, \
	{ "format",       required_argument, NULL, CLI_OPT_FORMAT }, \
	{ "help",         no_argument,       NULL, 'h' }, \
	{ "input-format", required_argument, NULL, CLI_OPT_INPUT_FORMAT }, \
	{ "max-errors",   required_argument, NULL, CLI_OPT_MAX_ERRORS }, \
	{ "no-header",    no_argument,       NULL, CLI_OPT_NO_HEADER }, \
	{ "quiet",        no_argument,       NULL, 'q' }, \
	{ "rejects",      required_argument, NULL, CLI_OPT_REJECTS }, \
	{ "version",      no_argument,       NULL, CLI_OPT_VERSION }

/* --seed, for the programs that use randomness. */
#define CLI_SEED_LONGOPT \
	{ "seed",         required_argument, NULL, CLI_OPT_SEED }

/* --digits N, for the programs that compute numbers, and its help line. */
#define CLI_DIGITS_LONGOPT \
	{ "digits",       required_argument, NULL, CLI_OPT_DIGITS }
#define CLI_DIGITS_HELP \
	"  --digits N              significant digits of numbers (all)\n"
/* clang-format on */

/* The default --seed. */
#define CLI_DEFAULT_SEED 20261101

/* Set the defaults of c. */
void cli_common_init(struct cli_common *c);

/*
 * Print what the readers noted (a guessed delimiter, ...) on stderr, unless
 * --quiet, and forget it.
 */
void cli_notes(struct cli_common *c);

/* Free what the common options hold.  Safe on a zeroed struct. */
void cli_common_release(struct cli_common *c);

/*
 * getopt_long(3), but a long option must be written in full: "--col" is
 * not "--columns" (getopt_long would take any unambiguous prefix).  An
 * abbreviation is a usage error naming the option meant.  *idx is the
 * long option's index in longopts, or -1 for a short one.
 */
int cli_getopt(int argc, char *argv[], const char *shortopts,
    const struct option *longopts, int *idx);

/* A subcommand of a program that has them, and its bit. */
struct cli_command {
	const char *name;
	unsigned    mode;
};

/* One of a program's own options, and the subcommands (bits) taking it. */
struct cli_mode_opt {
	struct option opt;
	unsigned      modes;
};

/*
 * The subcommand that argv[1] names among the n of cmds: its bit, its name
 * in *name, and argv[1] taken out (argv[0] stays for getopt's messages).
 * Without one: 0, and *name as it was.
 */
unsigned cli_subcommand(int *argc, char ***argv, const struct cli_command *cmds,
    size_t n, const char **name);

/*
 * Fill longopts (n more than common's) with the option of each of the n
 * of opts, then those of common up to and with its terminator.
 */
void cli_mode_longopts(struct option *longopts, const struct cli_mode_opt *opts,
    size_t n, const struct option *common);

/*
 * Exit 2 ("--NAME is not an option of MODE_NAME") when ch, from
 * cli_getopt(), is the option of one of the n of opts that no subcommand
 * of mode takes.
 */
void cli_mode_check(const struct cli_mode_opt *opts, size_t n, int ch,
    unsigned mode, const char *mode_name);

/*
 * Handle option ch (from getopt_long) if it is a common one: returns 0 when
 * handled (exiting for --help, --version and bad values), -1 when ch is not
 * a common option.
 */
int cli_common_opt(
    struct cli_common *c, const struct cli_prog *p, int ch, const char *arg);

/*
 * Take the operands argv[optind..argc-1] as the input paths, once the
 * options are parsed, and refuse (exit 2) a standard output or --rejects
 * that is one of them.
 */
void cli_operands(struct cli_common *c, int argc, char *argv[]);

/*
 * Refuse (exit 2) the output path of option opt ("--events") when it is
 * one of the inputs.  Called after cli_operands().
 */
void cli_output(const struct cli_common *c, const char *opt, const char *path);

/*
 * Report a usage error: "PROG: MSG" (when fmt is not NULL) and "Try 'PROG
 * --help'." on stderr, then exit 2.
 */
void cli_usage_error(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* An integer option value in [lo, hi], or a usage error naming opt. */
long long
cli_int_arg(const char *opt, const char *arg, long long lo, long long hi);

/* A number option value in [lo, hi], or a usage error naming opt. */
double cli_double_arg(const char *opt, const char *arg, double lo, double hi);

/*
 * The index of arg among words (a NULL-terminated list), or a usage error
 * "bad value 'ARG' for OPT: want 'a', 'b' or 'c'".
 */
int cli_word_arg(const char *opt, const char *arg, const char *const *words);

/*
 * Parse "NAME=VALUE" (as in --col amount=total): returns 0 with the name
 * copied to name (size bytes) and *value pointing into arg, or a usage
 * error naming opt.
 */
void cli_pair_arg(const char *opt, const char *arg, char *name, size_t size,
    const char **value);

/*
 * Whether rejected of the rows read pass --max-errors; if so, say so on
 * stderr ("N of M rows rejected: more than --max-errors allows"), and the
 * program exits 1 after writing all its outputs.
 */
bool cli_too_many_errors(
    const struct cli_common *c, uint64_t rejected, uint64_t rows);

/*
 * The one exit path: flush and close stdout and return rc, or 3 when
 * stdout could not be written ("PROG: write error: ..." on stderr, unless
 * rc is already 3: the error that made it so was reported).
 */
int cli_finish(int rc);

#endif
