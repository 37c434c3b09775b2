/*
 * ci-recommend reads canonical events and says what to offer each
 * customer next, and why: item-item collaborative filtering, association
 * rules, popularity and the customer's own repeat purchases, blended with
 * weights chosen on a time-based holdout ("ci-recommend"); mines the
 * association rules ("ci-recommend rules"); measures every method on a
 * holdout ("ci-recommend eval").  The work is in lib/engine/reco.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "reco.h"
#include "rejects.h"
#include "tz.h"

static const char usage_text[] =
    "usage: ci-recommend [-q] [-n n] [--method name] [--similarity name]\n"
    "                    [--neighbours n] [--shrink n] [--half-life days]\n"
    "                    [--recent days] [--weights list]\n"
    "                    [--exclude-purchased] [--customers file]\n"
    "                    [--items file] [--min-support s]\n"
    "                    [--min-confidence c] [--max-len n]\n"
    "                    [--save-model file | --model file]\n"
    "                    [--tz zone] [--threads n] [--seed n] [--digits n]\n"
    "                    [common options] [file ...]\n"
    "       ci-recommend rules [-q] [--min-support s] [--min-confidence c]\n"
    "                    [--max-len n] [--tz zone] [--digits n]\n"
    "                    [common options] [file ...]\n"
    "       ci-recommend eval [-q] [-n k] [--holdout days] [--method name]\n"
    "                    [--similarity name] [--neighbours n] [--shrink n]\n"
    "                    [--half-life days] [--recent days] [--weights list]\n"
    "                    [--exclude-purchased] [--customers file]\n"
    "                    [--items file] [--min-support s]\n"
    "                    [--min-confidence c] [--max-len n] [--tz zone]\n"
    "                    [--threads n] [--seed n] [--digits n]\n"
    "                    [common options] [file ...]\n";

static const char options_text[] =
    "\n"
    "  -n N                    recommendations per customer; eval: K (10)\n"
    "  --method NAME           blend (default), itemcf, rules, popular,\n"
    "                          recent or own\n"
    "  --similarity NAME       cosine (default), jaccard or lift\n"
    "  --neighbours N          neighbours kept per item (50)\n"
    "  --shrink N              shrinkage of rare co-occurrences (10)\n"
    "  --half-life DAYS        decay of old purchases (none)\n"
    "  --recent DAYS           window of recent popularity (30)\n"
    "  --weights A,B,C,D       own, cooccurrence, popularity, recent:\n"
    "                          fixed blend weights, not chosen on a holdout\n"
    "  --exclude-purchased     never recommend what the customer bought\n"
    "  --customers FILE        score these customers (and their segment)\n"
    "  --items FILE            recommend only these products\n"
    "  --save-model FILE       keep what was fitted\n"
    "  --model FILE            recommend with a saved model, no fitting\n"
    "  --min-support S         rules: share of baskets (0.01)\n"
    "  --min-confidence C      rules: confidence (0.1)\n"
    "  --max-len N             rules: items in an itemset (3)\n"
    "  --holdout DAYS          eval: hold out the last days, not each\n"
    "                          customer's last purchase day\n"
    "  --tz ZONE               zone of days and naive times (UTC)\n"
    "  --threads N             threads of the neighbour fit and the scoring\n"
    "  --seed N                customers sampled for the weights "
    "(20261101)\n" CLI_DIGITS_HELP "\n" CLI_COMMON_HELP "\n"
    "See ci-recommend(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum {
	OPT_CUSTOMERS = CLI_OPT_TOOL,
	OPT_EXCLUDE,
	OPT_HALF_LIFE,
	OPT_HOLDOUT,
	OPT_ITEMS,
	OPT_MAX_LEN,
	OPT_METHOD,
	OPT_MIN_CONF,
	OPT_MIN_SUPPORT,
	OPT_MODEL,
	OPT_NEIGHBOURS,
	OPT_RECENT,
	OPT_SAVE_MODEL,
	OPT_SHRINK,
	OPT_SIMILARITY,
	OPT_THREADS,
	OPT_TZ,
	OPT_WEIGHTS
};

#define R RECO_RECOMMEND
#define U RECO_RULES
#define E RECO_EVAL

static const struct cli_mode_opt options[] = {
	{ { "customers", required_argument, NULL, OPT_CUSTOMERS }, R | E },
	{ { "exclude-purchased", no_argument, NULL, OPT_EXCLUDE }, R | E },
	{ { "half-life", required_argument, NULL, OPT_HALF_LIFE }, R | E },
	{ { "holdout", required_argument, NULL, OPT_HOLDOUT }, E },
	{ { "items", required_argument, NULL, OPT_ITEMS }, R | E },
	{ { "max-len", required_argument, NULL, OPT_MAX_LEN }, R | U | E },
	{ { "method", required_argument, NULL, OPT_METHOD }, R | E },
	{ { "min-confidence", required_argument, NULL, OPT_MIN_CONF },
	    R | U | E },
	{ { "min-support", required_argument, NULL, OPT_MIN_SUPPORT },
	    R | U | E },
	{ { "model", required_argument, NULL, OPT_MODEL }, R },
	{ { "neighbours", required_argument, NULL, OPT_NEIGHBOURS }, R | E },
	{ { "recent", required_argument, NULL, OPT_RECENT }, R | E },
	{ { "save-model", required_argument, NULL, OPT_SAVE_MODEL }, R },
	{ { "shrink", required_argument, NULL, OPT_SHRINK }, R | E },
	{ { "similarity", required_argument, NULL, OPT_SIMILARITY }, R | E },
	{ { "threads", required_argument, NULL, OPT_THREADS }, R | E },
	{ { "tz", required_argument, NULL, OPT_TZ }, R | U | E },
	{ { "weights", required_argument, NULL, OPT_WEIGHTS }, R | E },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static const struct option common_opts[] = {
	CLI_COMMON_LONGOPTS,
	CLI_SEED_LONGOPT,
	CLI_DIGITS_LONGOPT,
	{ NULL, 0, NULL, 0 },
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

struct opts {
	struct cli_common common;
	struct reco_opts  r;
	const char       *tz, *mode_name;
	bool              fitting; /* an option that fits was given */
};

static void
parse_weights(struct opts *o, const char *arg)
{
	char  *end;
	size_t i;

	for (i = 0; i < BLEND_NTUNED; i++) {
		o->r.weights[i] = strtod(arg, &end);
		if (end == arg || !(o->r.weights[i] >= 0) ||
		    o->r.weights[i] > 1e6 ||
		    (*end != (i + 1 < BLEND_NTUNED ? ',' : '\0')))
			cli_usage_error("bad value for --weights: want four "
			                "numbers of 0 or more, as 0,1,1,0");
		arg = end + 1;
	}
	if (o->r.weights[0] + o->r.weights[1] + o->r.weights[2] +
	        o->r.weights[3] <=
	    0)
		cli_usage_error("bad value for --weights: all four are 0");
	o->r.has_weights = true;
}

static void
parse_opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'n':
		o->r.n = (size_t)cli_int_arg("-n", arg, 1, 1000);
		break;
	case OPT_CUSTOMERS:
		o->r.customers = arg;
		break;
	case OPT_EXCLUDE:
		o->r.exclude_purchased = true;
		break;
	case OPT_HALF_LIFE:
		o->r.cf.half_life = cli_double_arg("--half-life", arg, 1, 1e5);
		break;
	case OPT_HOLDOUT:
		o->r.holdout_days = (int)cli_int_arg("--holdout", arg, 1, 3650);
		break;
	case OPT_ITEMS:
		o->r.items = arg;
		break;
	case OPT_MAX_LEN:
		o->r.ar.max_len =
		    (unsigned)cli_int_arg("--max-len", arg, 2, 10);
		break;
	case OPT_METHOD:
		o->r.method = (enum reco_method)cli_word_arg(
		    "--method", arg, reco_method_names);
		break;
	case OPT_MIN_CONF:
		o->r.ar.min_confidence =
		    cli_double_arg("--min-confidence", arg, 0, 1);
		break;
	case OPT_MIN_SUPPORT:
		o->r.ar.min_support =
		    cli_double_arg("--min-support", arg, 1e-7, 1);
		break;
	case OPT_MODEL:
		o->r.model = arg;
		break;
	case OPT_NEIGHBOURS:
		o->r.cf.k =
		    (unsigned)cli_int_arg("--neighbours", arg, 1, 10000);
		break;
	case OPT_RECENT:
		o->r.recent_days = (int)cli_int_arg("--recent", arg, 1, 3650);
		break;
	case OPT_SAVE_MODEL:
		o->r.save_model = arg;
		break;
	case OPT_SHRINK:
		o->r.cf.shrink = cli_double_arg("--shrink", arg, 0, 1e6);
		break;
	case OPT_SIMILARITY:
		o->r.cf.sim = (enum itemcf_sim)cli_word_arg(
		    "--similarity", arg, itemcf_sim_names);
		break;
	case OPT_THREADS:
		o->r.cf.threads =
		    (unsigned)cli_int_arg("--threads", arg, 1, 16);
		break;
	case OPT_TZ:
		o->tz = arg;
		break;
	case OPT_WEIGHTS:
		parse_weights(o, arg);
		break;
	default:
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
			cli_usage_error(NULL);
	}
}

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	static const struct cli_command commands[] = { { "rules", RECO_RULES },
		{ "eval", RECO_EVAL } };
	struct option                   longopts[NOPTIONS + NCOMMON];
	int                             ch, idx;

	cli_mode_longopts(longopts, options, NOPTIONS, common_opts);
	o->mode_name = "ci-recommend";
	o->r.mode = (enum reco_mode)cli_subcommand(&argc, &argv, commands,
	    sizeof(commands) / sizeof(commands[0]), &o->mode_name);
	if (o->r.mode == 0)
		o->r.mode = RECO_RECOMMEND;
	while ((ch = cli_getopt(argc, argv, "hn:q", longopts, &idx)) != -1) {
		cli_mode_check(options, NOPTIONS, ch, o->r.mode, o->mode_name);
		if (ch == 'n' && o->r.mode == RECO_RULES)
			cli_usage_error("-n is not an option of rules");
		if (ch != OPT_MODEL && ch != OPT_CUSTOMERS && ch != OPT_ITEMS &&
		    ch != OPT_EXCLUDE && ch != OPT_TZ && ch != 'n' &&
		    ch >= CLI_OPT_TOOL)
			o->fitting = true;
		parse_opt(o, ch, optarg);
	}
	cli_operands(&o->common, argc, argv);
	cli_output(&o->common, "--save-model", o->r.save_model);
	if (o->r.model != NULL && o->fitting)
		cli_usage_error(
		    "--model uses what the model holds: it takes no "
		    "option of fitting");
	if (o->r.has_weights && o->r.method != RECO_BLEND)
		cli_usage_error("--weights goes with --method blend");
	o->r.seed = o->common.seed;
	o->r.digits = o->common.digits;
	o->r.fmt = o->common.out_format;
}

int
main(int argc, char *argv[])
{
	struct opts     o;
	struct rejects *rj = NULL;
	struct buf      notes = { 0 };
	struct ci_err   e = { 0 };
	struct tz      *zone = NULL;
	uint64_t        rows = 0;
	int             rc = CI_EXIT_OK, got = -1;

	memset(&o, 0, sizeof(o));
	cli_common_init(&o.common);
	reco_opts_init(&o.r);
	parse_args(&o, argc, argv);
	if (o.tz != NULL && (zone = tz_load(o.tz, &e)) == NULL) {
		rc = diag_report(&e);
		goto out;
	}
	o.r.tz = zone;
	if ((rj = rejects_open(o.common.rejects, stderr, &e)) != NULL)
		got = reco_run(&o.r, &o.common.in, rj, &rows, &notes, &e);
	cli_notes(&o.common);
	if (!o.common.quiet || got == 1)
		diag_lines(buf_str(&notes));
	if (got == -1)
		rc = diag_report(&e);
	else if (got == 1 ||
	    cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
	if (rj != NULL && rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
out:
	tz_free(zone);
	buf_release(&notes);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
