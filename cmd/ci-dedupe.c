/*
 * ci-dedupe reads customer records from several systems (ci-ingest output)
 * and gives each person one customer_id: candidate pairs by blocking
 * rules, Fellegi-Sunter match probabilities with m and u estimated from
 * the data (or a saved model), clusters above a threshold, ids kept from
 * a prior crosswalk.  "ci-dedupe apply" rekeys an event stream by a
 * crosswalk.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dedupe.h"
#include "diag.h"
#include "phone.h"
#include "rejects.h"

static const char usage_text[] =
    "usage: ci-dedupe [-q] [--config file] [--threshold p]\n"
    "                 [--max-pairs n] [--random-pairs n] [--region cc]\n"
    "                 [--seed n] [--digits n] [--crosswalk file]\n"
    "                 [--pairs file] [--golden file] [--prior file]\n"
    "                 [--changes file] [--save-model file | --model file]\n"
    "                 [common options] [file ...]\n"
    "       ci-dedupe apply --crosswalk file [-q] [common options]\n"
    "                 [file ...]\n";

static const char options_text[] =
    "\n"
    "  --config FILE           comparisons, blocking rules, golden rules\n"
    "  --threshold P           match probability that links (0.95)\n"
    "  --max-pairs N           candidate pairs a rule may make (20000000)\n"
    "  --random-pairs N        random pairs that estimate u (200000)\n"
    "  --region CC             region of national phone numbers (CN)\n"
    "  --seed N                seed of the random pairs "
    "(20261101)\n" CLI_DIGITS_HELP
    "  --crosswalk FILE        write source, source_key, customer_id;\n"
    "                          with apply: read it\n"
    "  --pairs FILE            write the scored candidate pairs\n"
    "  --golden FILE           write one best record per customer\n"
    "  --prior FILE            last run's crosswalk: keep its ids\n"
    "  --changes FILE          write new, merged, split and retired ids\n"
    "  --save-model FILE       keep the estimated parameters\n"
    "  --model FILE            use saved parameters\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-dedupe(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum {
	OPT_CHANGES = CLI_OPT_TOOL,
	OPT_CONFIG,
	OPT_CROSSWALK,
	OPT_GOLDEN,
	OPT_MAX_PAIRS,
	OPT_MODEL,
	OPT_PAIRS,
	OPT_PRIOR,
	OPT_RANDOM_PAIRS,
	OPT_REGION,
	OPT_SAVE_MODEL,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	{ "changes", required_argument, NULL, OPT_CHANGES },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "crosswalk", required_argument, NULL, OPT_CROSSWALK },
	{ "golden", required_argument, NULL, OPT_GOLDEN },
	{ "max-pairs", required_argument, NULL, OPT_MAX_PAIRS },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "prior", required_argument, NULL, OPT_PRIOR },
	{ "random-pairs", required_argument, NULL, OPT_RANDOM_PAIRS },
	{ "region", required_argument, NULL, OPT_REGION },
	{ "save-model", required_argument, NULL, OPT_SAVE_MODEL },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	CLI_DIGITS_LONGOPT,
	CLI_SEED_LONGOPT,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct cli_common  common;
	struct dedupe_opts d;
	bool               apply;
	const char        *resolve_opt; /* an option apply does not take */
};

static void
parse_one(struct opts *o, int ch, const char *arg)
{
	const char **keep[] = {
		[OPT_CHANGES - CLI_OPT_TOOL] = &o->d.changes,
		[OPT_CONFIG - CLI_OPT_TOOL] = &o->d.config,
		[OPT_CROSSWALK - CLI_OPT_TOOL] = &o->d.crosswalk,
		[OPT_GOLDEN - CLI_OPT_TOOL] = &o->d.golden,
		[OPT_MODEL - CLI_OPT_TOOL] = &o->d.model,
		[OPT_PAIRS - CLI_OPT_TOOL] = &o->d.pairs,
		[OPT_PRIOR - CLI_OPT_TOOL] = &o->d.prior,
		[OPT_SAVE_MODEL - CLI_OPT_TOOL] = &o->d.save_model,
	};
	int k = ch - CLI_OPT_TOOL;

	if (k >= 0 && k < (int)(sizeof(keep) / sizeof(keep[0])) &&
	    keep[k] != NULL) {
		*keep[k] = arg;
		return;
	}
	switch (ch) {
	case OPT_MAX_PAIRS:
		o->d.max_pairs =
		    (uint64_t)cli_int_arg("--max-pairs", arg, 1, 1LL << 40);
		break;
	case OPT_RANDOM_PAIRS:
		o->d.random_pairs = (uint64_t)cli_int_arg(
		    "--random-pairs", arg, 1000, 100000000);
		break;
	case OPT_REGION:
		if (phone_region_code(arg) == 0)
			cli_usage_error("bad value '%s' for --region: want a "
			                "region code such as CN or US",
			    arg);
		o->d.region = arg;
		break;
	case OPT_THRESHOLD:
		o->d.threshold = cli_double_arg("--threshold", arg, 0.5, 1);
		break;
	default:
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
			cli_usage_error(NULL);
	}
}

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	int ch, idx = 0;

	if (argc > 1 && strcmp(argv[1], "apply") == 0) {
		o->apply = true;
		argv++;
		argc--;
	}
	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		if (o->resolve_opt == NULL && ch >= CLI_OPT_TOOL &&
		    ch != OPT_CROSSWALK)
			o->resolve_opt = longopts[idx].name;
		if (o->resolve_opt == NULL &&
		    (ch == CLI_OPT_SEED || ch == CLI_OPT_DIGITS))
			o->resolve_opt = longopts[idx].name;
		parse_one(o, ch, optarg);
	}
	cli_operands(&o->common, argc, argv);
	o->d.seed = o->common.seed;
	o->d.digits = o->common.digits;
	if (o->apply) {
		if (o->d.crosswalk == NULL)
			cli_usage_error("apply needs --crosswalk");
		if (o->resolve_opt != NULL)
			cli_usage_error(
			    "apply does not take --%s", o->resolve_opt);
		return;
	}
	cli_output(&o->common, "--crosswalk", o->d.crosswalk);
	cli_output(&o->common, "--pairs", o->d.pairs);
	cli_output(&o->common, "--golden", o->d.golden);
	cli_output(&o->common, "--changes", o->d.changes);
	cli_output(&o->common, "--save-model", o->d.save_model);
	if (o->d.model != NULL && o->d.save_model != NULL)
		cli_usage_error("--model and --save-model exclude each other");
	if (o->d.changes != NULL && o->d.prior == NULL)
		cli_usage_error("--changes needs --prior");
}

static int
run_apply(struct opts *o, struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	return dedupe_apply(
	    o->d.crosswalk, &o->common.in, rj, o->common.out_format, rows, e);
}

int
main(int argc, char *argv[])
{
	struct opts     o = { 0 };
	struct dedupe  *d = NULL;
	struct buf      notes = { 0 };
	struct rejects *rj = NULL;
	struct ci_err   e = { 0 };
	enum rec_fmt    fmt = REC_FMT_CSV;
	uint64_t        rows = 0;
	int             rc = CI_EXIT_OK, run;

	cli_common_init(&o.common);
	dedupe_opts_init(&o.d, o.common.seed);
	parse_args(&o, argc, argv);
	if (!o.apply && (d = dedupe_new(&o.d, &e)) == NULL)
		goto fail;
	if ((rj = rejects_open(o.common.rejects, stderr, &e)) == NULL)
		goto fail;
	if (o.apply) {
		run = run_apply(&o, rj, &rows, &e);
		cli_notes(&o.common);
		if (run < 0)
			goto fail;
		if (!o.common.quiet)
			diag_warn("%llu events rekeyed, %llu rejected",
			    (unsigned long long)(rows - rejects_count(rj)),
			    (unsigned long long)rejects_count(rj));
	} else {
		run = dedupe_read(d, &o.common.in, rj, &rows, &fmt, &e);
		cli_notes(&o.common);
		if (run < 0 || (run = dedupe_run(d, &notes, &e)) < 0)
			goto fail;
		if (run > 0)
			rc = CI_EXIT_DATA;
		if (dedupe_write(d,
		        o.common.out_format ? o.common.out_format : fmt,
		        &e) < 0)
			goto fail;
		if (!o.common.quiet || run > 0)
			diag_lines(buf_str(&notes));
	}
	if (cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
	goto out;
fail:
	if (!o.common.quiet)
		diag_lines(buf_str(&notes));
	rc = diag_report(&e);
out:
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	dedupe_free(d);
	buf_release(&notes);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
