/*
 * churncli: ci-churn's option table and the checks of its values.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "churncli.h"

enum {
	OPT_APPROX = CLI_OPT_TOOL,
	OPT_ASOF,
	OPT_AUDIT,
	OPT_BANDS,
	OPT_CALIBRATION,
	OPT_CATEGORICAL,
	OPT_CLASS_WEIGHT,
	OPT_ETA,
	OPT_EXCLUDE,
	OPT_FOLDS,
	OPT_FROM_P_ALIVE,
	OPT_ID,
	OPT_LABEL,
	OPT_MAX_DEPTH,
	OPT_MODEL,
	OPT_ONLY,
	OPT_PLAYBOOK,
	OPT_POSITIVE,
	OPT_THREADS,
	OPT_TREES,
	OPT_UNIT
};

#define T CHURNCLI_TRAIN
#define P CHURNCLI_PREDICT
#define EV CHURNCLI_EVAL

static const struct cli_mode_opt options[] = {
	{ { "approx-reasons", no_argument, NULL, OPT_APPROX }, P | EV },
	{ { "asof", required_argument, NULL, OPT_ASOF }, T | P | EV },
	{ { "audit", required_argument, NULL, OPT_AUDIT }, P },
	{ { "bands", required_argument, NULL, OPT_BANDS }, T | P },
	{ { "calibration", required_argument, NULL, OPT_CALIBRATION }, T },
	{ { "categorical", required_argument, NULL, OPT_CATEGORICAL }, T },
	{ { "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT }, T },
	{ { "eta", required_argument, NULL, OPT_ETA }, T },
	{ { "exclude", required_argument, NULL, OPT_EXCLUDE }, T },
	{ { "folds", required_argument, NULL, OPT_FOLDS }, T },
	{ { "from-p-alive", no_argument, NULL, OPT_FROM_P_ALIVE }, P },
	{ { "id", required_argument, NULL, OPT_ID }, T },
	{ { "label", required_argument, NULL, OPT_LABEL }, T | EV },
	{ { "max-depth", required_argument, NULL, OPT_MAX_DEPTH }, T },
	{ { "model", required_argument, NULL, OPT_MODEL }, T | P | EV },
	{ { "only", required_argument, NULL, OPT_ONLY }, T },
	{ { "playbook", required_argument, NULL, OPT_PLAYBOOK }, P },
	{ { "positive", required_argument, NULL, OPT_POSITIVE }, T | EV },
	{ { "threads", required_argument, NULL, OPT_THREADS }, T | P | EV },
	{ { "trees", required_argument, NULL, OPT_TREES }, T },
	{ { "unit", required_argument, NULL, OPT_UNIT }, T },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static const char *const weights[] = { "auto", "none", "balanced", NULL };

static void
parse_opt(
    struct churncli *o, const struct cli_prog *prog, int ch, const char *arg)
{
	switch (ch) {
	case OPT_ASOF:
		o->p.asof = arg;
		break;
	case OPT_AUDIT:
		o->p.audit = arg;
		break;
	case OPT_BANDS:
		if (churn_parse_cuts(arg, o->t.cuts) == -1)
			cli_usage_error(
			    "bad value '%s' for --bands: want three "
			    "increasing numbers in 0..100, as 25,50,75",
			    arg);
		o->has_bands = true;
		break;
	case OPT_CALIBRATION:
		if (calib_kind_parse(arg, &o->t.calibration) == -1)
			cli_usage_error(
			    "bad value '%s' for --calibration: want "
			    "'platt', 'isotonic' or 'none'",
			    arg);
		break;
	case OPT_CATEGORICAL:
		strv_add(&o->categorical, arg, true);
		break;
	case OPT_CLASS_WEIGHT:
		o->t.class_weight =
		    cli_word_arg("--class-weight", arg, weights);
		o->t.class_weight = o->t.class_weight == 0 ? -1
		    : o->t.class_weight == 1               ? 0
		                                           : 1;
		break;
	case OPT_ETA:
		o->t.gp.eta = cli_double_arg("--eta", arg, 1e-4, 1);
		break;
	case OPT_APPROX:
		o->p.approx = true;
		break;
	case OPT_EXCLUDE:
		strv_add(&o->exclude, arg, true);
		break;
	case OPT_FOLDS:
		o->t.folds = (int)cli_int_arg("--folds", arg, 2, 20);
		break;
	case OPT_FROM_P_ALIVE:
		o->p.p_alive = "p_alive";
		break;
	case OPT_ID:
		o->t.enc.id = arg;
		break;
	case OPT_LABEL:
		o->t.label = arg;
		break;
	case OPT_MAX_DEPTH:
		o->t.gp.max_depth = (int)cli_int_arg("--max-depth", arg, 1, 16);
		break;
	case OPT_MODEL:
		o->model = arg;
		break;
	case OPT_ONLY:
		strv_add(&o->only, arg, true);
		break;
	case OPT_PLAYBOOK:
		o->p.playbook = arg;
		break;
	case OPT_POSITIVE:
		o->t.positive = arg;
		break;
	case OPT_THREADS:
		o->t.gp.threads = (int)cli_int_arg("--threads", arg, 1, 256);
		break;
	case OPT_TREES:
		o->t.trees = (int)cli_int_arg("--trees", arg, 1, 100000);
		break;
	case OPT_UNIT:
		if (strchr(arg, '=') == NULL || *arg == '=')
			cli_usage_error(
			    "bad value '%s' for --unit: want COLUMN=UNIT", arg);
		strv_add(&o->units, arg, false);
		break;
	default:
		if (cli_common_opt(&o->common, prog, ch, arg) < 0)
			cli_usage_error(NULL);
	}
}

static const struct option common_opts[] = {
	CLI_COMMON_LONGOPTS,
	CLI_SEED_LONGOPT,
	CLI_DIGITS_LONGOPT,
	{ NULL, 0, NULL, 0 },
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

void
churncli_parse(
    struct churncli *o, const struct cli_prog *prog, int argc, char *argv[])
{
	static const struct cli_command commands[] = {
		{ "train", CHURNCLI_TRAIN },
		{ "predict", CHURNCLI_PREDICT },
		{ "eval", CHURNCLI_EVAL },
	};
	struct option longopts[NOPTIONS + NCOMMON];
	int           ch, idx;

	memset(o, 0, sizeof(*o));
	cli_common_init(&o->common);
	churn_train_opts_init(&o->t);
	cli_mode_longopts(longopts, options, NOPTIONS, common_opts);
	o->mode = (enum churncli_mode)cli_subcommand(&argc, &argv, commands,
	    sizeof(commands) / sizeof(commands[0]), &o->mode_name);
	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		if (o->mode == 0 && ch != 'h' && ch != CLI_OPT_VERSION)
			cli_usage_error("want a subcommand: train, predict or "
			                "eval");
		cli_mode_check(options, NOPTIONS, ch, o->mode, o->mode_name);
		parse_opt(o, prog, ch, optarg);
	}
	if (o->mode == 0)
		cli_usage_error("want a subcommand: train, predict or eval");
	cli_operands(&o->common, argc, argv);
	if (o->common.in.npaths > 1)
		cli_usage_error(
		    "one input at most, not %zu", o->common.in.npaths);
	if (o->mode == CHURNCLI_TRAIN && o->t.label == NULL)
		cli_usage_error("train needs --label");
	if (o->mode == CHURNCLI_TRAIN && o->model != NULL &&
	    churn_kind_parse(o->model, &o->t.kind) == -1)
		cli_usage_error("bad value '%s' for --model: want 'gbt', "
		                "'logistic', 'blend' or 'auto'",
		    o->model);
	if (o->mode != CHURNCLI_TRAIN &&
	    (o->model == NULL) == (o->p.p_alive == NULL))
		cli_usage_error("%s needs --model%s", o->mode_name,
		    o->mode == CHURNCLI_PREDICT ? " or --from-p-alive, not both"
		                                : "");
	if (o->has_bands && o->mode == CHURNCLI_PREDICT && o->p.p_alive == NULL)
		cli_usage_error(
		    "--bands with predict goes with --from-p-alive; "
		    "a model keeps its own");
	if (o->p.audit != NULL)
		cli_output(&o->common, "--audit", o->p.audit);
}

/* The audit's clock: SOURCE_DATE_EPOCH when set (reproducible runs). */
int64_t
churncli_now(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char       *end;
	long long   v;

	if (s != NULL && *s != '\0') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return v;
	}
	return (int64_t)time(NULL);
}

void
churncli_release(struct churncli *o)
{
	strv_free(&o->exclude);
	strv_free(&o->only);
	strv_free(&o->categorical);
	strv_free(&o->units);
	cli_common_release(&o->common);
}
