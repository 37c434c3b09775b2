/*
 * ci-score fits the customer-lifetime-value models (BG/NBD, Pareto/NBD or
 * MBG/NBD, or the best of them, and the Gamma-Gamma spend model) to feature
 * rows with x, t_x, T and repeat_value, as ci-features writes them, and
 * adds to each row its P(alive), expected purchases, expected value per
 * purchase, CLV and value score.  "fit" writes the model file, "predict"
 * applies one, "check" compares the predictions with what a holdout
 * period saw, and "forecast" sums them per week or month to come.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "cli.h"
#include "diag.h"
#include "outlook.h"
#include "score.h"
#include "timeparse.h"
#include "tz.h"

static const char usage_text[] =
    "usage: ci-score [-q] [--model bgnbd | pareto | mbgnbd | auto]\n"
    "                [--spend gamma-gamma | none] [--unit day | week]\n"
    "                [--penalizer c] [--max-iter n] [--col name=column]\n"
    "                [--horizon n] [--discount-rate r] [--allow-degenerate]\n"
    "                [--digits n] [common options] [file]\n"
    "       ci-score fit [-q] [--model bgnbd | pareto | mbgnbd | auto]\n"
    "                [--spend gamma-gamma | none] [--unit day | week]\n"
    "                [--penalizer c] [--max-iter n] [--col name=column]\n"
    "                [--horizon n] [--discount-rate r] [--allow-degenerate]\n"
    "                [common options] [file]\n"
    "       ci-score predict [-q] [--model file] [--unit day | week]\n"
    "                [--horizon n] [--discount-rate r] [--allow-degenerate]\n"
    "                [--digits n] [--col name=column] [common options]\n"
    "                [file]\n"
    "       ci-score check [-q] --model file --holdout file --asof time\n"
    "                [--by week | month] [--unit day | week] [--horizon n]\n"
    "                [--tz zone] [--col name=column] [common options]\n"
    "                [file]\n"
    "       ci-score forecast [-q] --model file [--horizon n]\n"
    "                [--by week | month] [--start date] [--asof time]\n"
    "                [--tz zone] [--unit day | week] [--allow-degenerate]\n"
    "                [--col name=column] [common options] [file]\n";

static const char options_text[] =
    "\n"
    "  --model KIND|FILE       bgnbd (default), pareto, mbgnbd, or auto for\n"
    "                          the likeliest; the model file to predict\n"
    "                          or check with\n"
    "  --spend gamma-gamma|none  fit the spend model too (gamma-gamma)\n"
    "  --unit day|week         time unit of t_x and T (week, or the\n"
    "                          'unit' column; predict: converted)\n"
    "  --penalizer C           L2 penalty on the parameters (0)\n"
    "  --max-iter N            iterations of the fit (2000)\n"
    "  --horizon N             prediction period, in the unit (a year);\n"
    "                          forecast: periods (13)\n"
    "  --discount-rate R       monthly discount rate of the CLV (0.01)\n"
    "  --allow-degenerate      write predictions all zero or all "
    "alike\n" CLI_DIGITS_HELP
    "  --holdout FILE          check: events after the calibration\n"
    "  --asof TIME             check, forecast: the end of the calibration\n"
    "                          (forecast: first_order + T of the rows)\n"
    "  --by week|month         check: the tracking table by period;\n"
    "                          forecast: its periods (week)\n"
    "  --start DATE            forecast: its first day (after --asof)\n"
    "  --tz ZONE               check, forecast: zone of days and naive\n"
    "                          times (UTC)\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-score(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

/* The subcommands, as bits: each option names those it belongs to. */
enum mode {
	M_BOTH = 1,
	M_FIT = 2,
	M_PREDICT = 4,
	M_CHECK = 8,
	M_FORECAST = 16
};

static const struct cli_command commands[] = {
	{ "fit", M_FIT },
	{ "predict", M_PREDICT },
	{ "check", M_CHECK },
	{ "forecast", M_FORECAST },
};

enum {
	OPT_ALLOW = CLI_OPT_TOOL,
	OPT_ASOF,
	OPT_BY,
	OPT_DISCOUNT,
	OPT_HOLDOUT,
	OPT_HORIZON,
	OPT_MAX_ITER,
	OPT_MODEL,
	OPT_PENALIZER,
	OPT_SPEND,
	OPT_START,
	OPT_TZ,
	OPT_UNIT
};

#define ALL (M_BOTH | M_FIT | M_PREDICT | M_CHECK | M_FORECAST)
#define FITS (M_BOTH | M_FIT)

/* ci-score's own options, sorted, with the subcommands that take each. */
static const struct cli_mode_opt options[] = {
	{ { "allow-degenerate", no_argument, NULL, OPT_ALLOW },
	    FITS | M_PREDICT | M_FORECAST },
	{ { "asof", required_argument, NULL, OPT_ASOF }, M_CHECK | M_FORECAST },
	{ { "by", required_argument, NULL, OPT_BY }, M_CHECK | M_FORECAST },
	{ { "discount-rate", required_argument, NULL, OPT_DISCOUNT },
	    FITS | M_PREDICT },
	{ CLI_DIGITS_LONGOPT, M_BOTH | M_PREDICT },
	{ { "holdout", required_argument, NULL, OPT_HOLDOUT }, M_CHECK },
	{ { "horizon", required_argument, NULL, OPT_HORIZON }, ALL },
	{ { "max-iter", required_argument, NULL, OPT_MAX_ITER }, FITS },
	{ { "model", required_argument, NULL, OPT_MODEL }, ALL },
	{ { "penalizer", required_argument, NULL, OPT_PENALIZER }, FITS },
	{ { "spend", required_argument, NULL, OPT_SPEND }, FITS },
	{ { "start", required_argument, NULL, OPT_START }, M_FORECAST },
	{ { "tz", required_argument, NULL, OPT_TZ }, M_CHECK | M_FORECAST },
	{ { "unit", required_argument, NULL, OPT_UNIT }, ALL },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

struct opts {
	struct cli_common   common;
	struct score_model  m;
	struct score_run    r;
	enum mode           mode;
	const char         *mode_name;
	const char         *model; /* --model: a kind or a file */
	const char         *holdout, *asof, *tz, *start;
	bool                by_given; /* --by */
	struct outlook_opts oo;
};

static const char *const spends[] = { "gamma-gamma", "none", NULL };
static const char *const units[] = { "day", "week", NULL };
static const char *const bys[] = { "week", "month", NULL };

static void
parse_opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_ALLOW:
		o->r.allow_degenerate = true;
		break;
	case OPT_ASOF:
		o->asof = arg;
		break;
	case OPT_BY:
		o->oo.by = cli_word_arg("--by", arg, bys) == 0 ? OUTLOOK_WEEK
		                                               : OUTLOOK_MONTH;
		o->by_given = true;
		break;
	case OPT_DISCOUNT:
		o->r.discount = cli_double_arg("--discount-rate", arg, 0, 10);
		break;
	case OPT_HOLDOUT:
		o->holdout = arg;
		break;
	case OPT_HORIZON:
		o->r.horizon = cli_double_arg("--horizon", arg, 1e-6, 36500);
		break;
	case OPT_MAX_ITER:
		o->m.max_iter =
		    (size_t)cli_int_arg("--max-iter", arg, 1, 1000000);
		break;
	case OPT_MODEL:
		o->model = arg;
		break;
	case OPT_PENALIZER:
		o->m.penalizer = cli_double_arg("--penalizer", arg, 0, 1e6);
		break;
	case OPT_SPEND:
		o->r.spend = cli_word_arg("--spend", arg, spends) == 0;
		break;
	case OPT_START:
		o->start = arg;
		break;
	case OPT_TZ:
		o->tz = arg;
		break;
	case OPT_UNIT:
		o->r.unit = cli_word_arg("--unit", arg, units) == 0 ? 1 : 7;
		break;
	default:
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
			cli_usage_error(NULL);
	}
}

static const struct option common_opts[] = {
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	struct option longopts[NOPTIONS + NCOMMON];
	int           ch, idx;

	cli_mode_longopts(longopts, options, NOPTIONS, common_opts);
	o->mode_name = "fitting and predicting";
	o->mode = (enum mode)cli_subcommand(&argc, &argv, commands,
	    sizeof(commands) / sizeof(commands[0]), &o->mode_name);
	if (o->mode == 0)
		o->mode = M_BOTH;
	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		cli_mode_check(options, NOPTIONS, ch, o->mode, o->mode_name);
		parse_opt(o, ch, optarg);
	}
	cli_operands(&o->common, argc, argv);
	if (o->common.in.npaths > 1)
		cli_usage_error(
		    "one input at most, not %zu", o->common.in.npaths);
	if (o->mode & FITS && o->model != NULL) {
		o->m.auto_kind = strcmp(o->model, "auto") == 0;
		if (!o->m.auto_kind &&
		    score_kind_parse(o->model, &o->m.kind) < 0)
			cli_usage_error("bad value '%s' for --model: want "
			                "'bgnbd', 'pareto', 'mbgnbd' or 'auto'",
			    o->model);
	}
	if (o->mode == M_CHECK &&
	    (o->model == NULL || o->holdout == NULL || o->asof == NULL))
		cli_usage_error("check needs --model, --holdout and --asof");
	if (o->mode == M_FORECAST && o->model == NULL)
		cli_usage_error("forecast needs --model");
	if (o->mode == M_FORECAST) {
		double h = o->r.horizon > 0 ? o->r.horizon : 13;

		if (h != floor(h) || h > 1000)
			cli_usage_error("bad value '%g' for --horizon: want a "
			                "whole number of periods, 1 to 1000",
			    h);
		o->oo.periods = (size_t)h;
	}
}

/* The day of the --start date. */
static int64_t
start_day(const char *s)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, NULL };
	struct tp_result t;
	const char      *why;

	if (timeparse(s, strlen(s), &tp, &t, &why) < 0)
		cli_usage_error("bad value '%s' for --start: %s", s, why);
	return civil_day(t.utc);
}

int
main(int argc, char *argv[])
{
	struct opts          o = { .r = { .spend = true, .discount = 0.01 } };
	struct score_holdout ho = { 0 };
	struct ci_err        e = { 0 };
	int                  rc = CI_EXIT_OK, got = 0;

	cli_common_init(&o.common);
	score_model_init(&o.m);
	parse_args(&o, argc, argv);
	if ((o.mode & (M_PREDICT | M_CHECK | M_FORECAST)) && o.model != NULL) {
		got = score_model_load(&o.m, o.model, &e);
		o.r.model = o.model;
	}
	if (score_model_set_cols(&o.m, o.common.cols.v, o.common.cols.n, &e) ==
	    -1)
		cli_usage_error("%s", e.msg);
	o.r.path = o.common.in.npaths ? o.common.in.paths[0] : NULL;
	o.r.in = &o.common.in.opts;
	o.r.fmt = o.common.out_format;
	o.r.digits = o.common.digits;
	ho = (struct score_holdout){ o.holdout, &o.common.in.opts, 0,
		o.r.horizon, NULL };
	o.oo.start = o.start != NULL ? start_day(o.start) : INT64_MIN;
	o.oo.asof = INT64_MIN;
	if (got == 0 && (o.mode == M_CHECK || o.asof != NULL))
		got = score_holdout_init(&ho, o.asof, o.tz, &e);
	if (got == 0 && o.asof != NULL)
		o.oo.asof = outlook_asof_day(&ho);
	if (got == 0 &&
	    (o.r.rj = rejects_open(o.common.rejects, stderr, &e)) != NULL)
		got = o.mode == M_FIT ? score_run_fit(&o.m, &o.r, &e)
		    : o.mode == M_FORECAST
		    ? outlook_run_forecast(&o.m, &o.r, &o.oo, &e)
		    : o.mode == M_CHECK && o.by_given
		    ? outlook_run_tracking(&o.m, &o.r, &ho, o.oo.by, &e)
		    : o.mode == M_CHECK
		    ? score_run_check(&o.m, &o.r, &ho, &e)
		    : score_run_predict(
		          &o.m, o.model == NULL || o.mode == M_BOTH, &o.r, &e);
	if (!o.common.quiet)
		diag_lines(buf_str(&o.r.notes));
	diag_lines(buf_str(&o.r.warnings));
	if (got == -1 || o.r.rj == NULL)
		rc = diag_report(&e);
	else if (cli_too_many_errors(
	             &o.common, rejects_count(o.r.rj), o.r.rows))
		rc = CI_EXIT_DATA;
	if (rejects_close(o.r.rj, &e) < 0)
		rc = diag_report(&e);
	tz_free(ho.tz);
	buf_release(&o.r.notes);
	buf_release(&o.r.warnings);
	score_model_release(&o.m);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
