/*
 * ci-churn trains a churn model on labelled customer rows ("train"),
 * scores rows with it ("predict": probability, 0-100 risk, band, the three
 * reasons that raise the risk most, a playbook action, a decision log) and
 * measures it on labelled rows ("eval").  The work is in lib/engine/churn.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "churn.h"
#include "cli.h"
#include "diag.h"

static const char usage_text[] =
    "usage: ci-churn train [-q] --label column [--positive value]\n"
    "                [--id column] [--model gbt | logistic | blend | auto]\n"
    "                [--seed n] [--folds n] [--trees n] [--max-depth n]\n"
    "                [--eta r] [--class-weight auto | balanced | none]\n"
    "                [--calibration platt | isotonic | none] [--bands list]\n"
    "                [--exclude list] [--only list] [--categorical list]\n"
    "                [--unit column=unit] [--asof date] [--threads n]\n"
    "                [common options] [file]\n"
    "       ci-churn predict [-q] --model file | --from-p-alive\n"
    "                [--playbook file] [--audit file] [--asof date]\n"
    "                [--bands list] [--exact-reasons] [--threads n]\n"
    "                [--digits n] [common options] [file]\n"
    "       ci-churn eval [-q] --model file [--label column]\n"
    "                [--positive value] [--asof date] [--exact-reasons]\n"
    "                [--threads n] [--digits n] [common options] [file]\n";

static const char options_text[] =
    "\n"
    "  --label COLUMN          train, eval: the outcome column\n"
    "  --positive VALUE        its value that means churn (Yes, 1, true)\n"
    "  --id COLUMN             the customer id, left out (customer_id)\n"
    "  --model KIND|FILE       train: gbt, logistic, blend or auto (auto);\n"
    "                          predict, eval: the model file\n"
    "  --seed N                folds and trees (20261101)\n"
    "  --folds N               cross-validation folds (5)\n"
    "  --trees N               trees, no early stopping (0: stop early)\n"
    "  --max-depth N           depth of a tree (4)\n"
    "  --eta R                 learning rate of the trees (0.05)\n"
    "  --class-weight W        auto (balanced under 20% churners),\n"
    "                          balanced or none\n"
    "  --calibration C         platt (default), isotonic or none\n"
    "  --bands A,B,C           risk_band cut points on churn_risk (25,50,75)\n"
    "  --exclude, --only, --categorical LIST  columns, comma-separated\n"
    "  --unit COLUMN=UNIT      written after the value in reasons\n"
    "  --asof DATE             the day dates are counted back from\n"
    "  --threads N             XGBoost threads (1)\n"
    "  --playbook FILE         predict: YAML rules giving an action\n"
    "  --audit FILE            predict: append a decision log (NDJSON)\n"
    "  --from-p-alive          predict: churn_probability = 1 - p_alive\n"
    "  --exact-reasons         TreeSHAP reasons (slow), not Saabas's\n"
    "\n" CLI_COMMON_HELP CLI_DIGITS_HELP "\n"
    "See ci-churn(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum mode { M_TRAIN = 1, M_PREDICT = 2, M_EVAL = 4 };

enum {
	OPT_ASOF = CLI_OPT_TOOL,
	OPT_AUDIT,
	OPT_BANDS,
	OPT_CALIBRATION,
	OPT_CATEGORICAL,
	OPT_CLASS_WEIGHT,
	OPT_ETA,
	OPT_EXACT,
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

#define T M_TRAIN
#define P M_PREDICT
#define EV M_EVAL

static const struct {
	struct option opt;
	unsigned      modes;
} options[] = {
	{ { "asof", required_argument, NULL, OPT_ASOF }, T | P | EV },
	{ { "audit", required_argument, NULL, OPT_AUDIT }, P },
	{ { "bands", required_argument, NULL, OPT_BANDS }, T | P },
	{ { "calibration", required_argument, NULL, OPT_CALIBRATION }, T },
	{ { "categorical", required_argument, NULL, OPT_CATEGORICAL }, T },
	{ { "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT }, T },
	{ { "eta", required_argument, NULL, OPT_ETA }, T },
	{ { "exact-reasons", no_argument, NULL, OPT_EXACT }, P | EV },
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

struct opts {
	struct cli_common         common;
	struct churn_train_opts   t;
	struct churn_predict_opts p;
	struct strv               exclude, only, categorical, units;
	enum mode                 mode;
	const char               *mode_name, *model;
	bool                      has_bands;
};

static const char *const weights[] = { "auto", "none", "balanced", NULL };

static void
parse_opt(struct opts *o, int ch, const char *arg)
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
	case OPT_EXACT:
		o->p.exact = true;
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
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
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

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	static const char *const names[] = { "train", "predict", "eval" };
	struct option            longopts[NOPTIONS + NCOMMON];
	size_t                   i;
	int                      ch, idx;

	for (i = 0; i < NOPTIONS; i++)
		longopts[i] = options[i].opt;
	for (i = 0; i < NCOMMON; i++)
		longopts[NOPTIONS + i] = common_opts[i];
	for (i = 0; argc > 1 && i < 3; i++)
		if (strcmp(argv[1], names[i]) == 0) {
			o->mode = 1u << i;
			o->mode_name = names[i];
			argv[1] = argv[0];
			argv++, argc--;
			break;
		}
	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		if (o->mode == 0 && ch != 'h' && ch != CLI_OPT_VERSION)
			cli_usage_error("want a subcommand: train, predict or "
			                "eval");
		if (ch >= OPT_ASOF && ch <= OPT_UNIT &&
		    !(options[idx].modes & o->mode))
			cli_usage_error("--%s is not an option of %s",
			    longopts[idx].name, o->mode_name);
		parse_opt(o, ch, optarg);
	}
	if (o->mode == 0)
		cli_usage_error("want a subcommand: train, predict or eval");
	cli_operands(&o->common, argc, argv);
	if (o->common.in.npaths > 1)
		cli_usage_error(
		    "one input at most, not %zu", o->common.in.npaths);
	if (o->mode == M_TRAIN && o->t.label == NULL)
		cli_usage_error("train needs --label");
	if (o->mode == M_TRAIN && o->model != NULL &&
	    churn_kind_parse(o->model, &o->t.kind) == -1)
		cli_usage_error("bad value '%s' for --model: want 'gbt', "
		                "'logistic', 'blend' or 'auto'",
		    o->model);
	if (o->mode != M_TRAIN && (o->model == NULL) == (o->p.p_alive == NULL))
		cli_usage_error("%s needs --model%s", o->mode_name,
		    o->mode == M_PREDICT ? " or --from-p-alive, not both" : "");
	if (o->has_bands && o->mode == M_PREDICT && o->p.p_alive == NULL)
		cli_usage_error(
		    "--bands with predict goes with --from-p-alive; "
		    "a model keeps its own");
	if (o->p.audit != NULL)
		cli_output(&o->common, "--audit", o->p.audit);
}

/* The audit's clock: SOURCE_DATE_EPOCH when set (reproducible runs). */
static int64_t
now(void)
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

static int
run(struct opts *o, struct churn_model *m, struct churn_run *r,
    struct ci_err *e)
{
	if (o->mode == M_TRAIN) {
		o->t.enc.exclude = &o->exclude;
		o->t.enc.only = &o->only;
		o->t.enc.categorical = &o->categorical;
		o->t.enc.units = &o->units;
		o->t.gp.seed = o->common.seed;
		return churn_run_train(&o->t, r, e);
	}
	o->p.now = now();
	if (o->p.p_alive != NULL) {
		m->from_p_alive = true;
		memcpy(m->cuts, o->t.cuts, sizeof(m->cuts));
	} else if (churn_model_load(m, o->model, o->t.gp.threads, e) == -1)
		return -1;
	if (o->mode == M_PREDICT)
		return churn_run_predict(m, &o->p, r, e);
	return churn_run_eval(m, o->t.label, o->t.positive, &o->p, r, e);
}

int
main(int argc, char *argv[])
{
	struct opts        o;
	struct churn_model m;
	struct churn_run   r;
	struct ci_err      e = { 0 };
	int                rc = CI_EXIT_OK, got = -1;

	memset(&o, 0, sizeof(o));
	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	cli_common_init(&o.common);
	churn_train_opts_init(&o.t);
	parse_args(&o, argc, argv);
	r.path = o.common.in.npaths ? o.common.in.paths[0] : NULL;
	r.in = &o.common.in.opts;
	r.fmt = o.common.out_format;
	r.digits = o.common.digits;
	if ((r.rj = rejects_open(o.common.rejects, stderr, &e)) != NULL)
		got = run(&o, &m, &r, &e);
	if (!o.common.quiet)
		diag_lines(buf_str(&r.notes));
	if (got == -1)
		rc = diag_report(&e);
	else if (cli_too_many_errors(&o.common, rejects_count(r.rj), r.rows))
		rc = CI_EXIT_DATA;
	else if (r.degenerate) {
		diag_warn("every prediction is the same: a degenerate model "
		          "or input");
		rc = CI_EXIT_DATA;
	}
	if (rejects_close(r.rj, &e) < 0)
		rc = diag_report(&e);
	buf_release(&r.notes);
	churn_model_release(&m);
	strv_free(&o.exclude);
	strv_free(&o.only);
	strv_free(&o.categorical);
	strv_free(&o.units);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
