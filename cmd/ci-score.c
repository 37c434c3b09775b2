/*
 * ci-score fits the customer-lifetime-value models (BG/NBD, Pareto/NBD or
 * MBG/NBD, and the Gamma-Gamma spend model) to feature rows with x, t_x, T
 * and repeat_value, as ci-features writes them, and adds to each row its
 * P(alive), expected purchases, expected value per purchase, CLV and
 * value score.  "fit" writes the model file, "predict" applies one, and
 * "check" compares the predictions with what a holdout period saw.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "diag.h"
#include "score.h"
#include "timeparse.h"
#include "tz.h"

static const char usage_text[] =
    "usage: ci-score [-q] [--model bgnbd | pareto | mbgnbd]\n"
    "                [--spend gamma-gamma | none] [--unit day | week]\n"
    "                [--penalizer c] [--max-iter n] [--col name=column]\n"
    "                [--horizon n] [--discount-rate r] [common options]\n"
    "                [file]\n"
    "       ci-score fit [-q] [--model bgnbd | pareto | mbgnbd]\n"
    "                [--spend gamma-gamma | none] [--unit day | week]\n"
    "                [--penalizer c] [--max-iter n] [--col name=column]\n"
    "                [common options] [file]\n"
    "       ci-score predict [-q] [--model file] [--horizon n]\n"
    "                [--discount-rate r] [--col name=column]\n"
    "                [common options] [file]\n"
    "       ci-score check [-q] --model file --holdout file --asof time\n"
    "                [--horizon n] [--tz zone] [--col name=column]\n"
    "                [common options] [file]\n";

static const char options_text[] =
    "\n"
    "  --model KIND|FILE       bgnbd (default), pareto or mbgnbd to fit;\n"
    "                          the model file to predict or check with\n"
    "  --spend gamma-gamma|none  fit the spend model too (fit: none;\n"
    "                          fitting and predicting: gamma-gamma)\n"
    "  --unit day|week         time unit of t_x and T (week)\n"
    "  --penalizer C           L2 penalty on the parameters (0)\n"
    "  --max-iter N            iterations of the fit (2000)\n"
    "  --col NAME=COLUMN       read NAME (customer_id, x, t_x, T,\n"
    "                          repeat_value) from COLUMN\n"
    "  --horizon N             prediction period, in the unit (a year)\n"
    "  --discount-rate R       monthly discount rate of the CLV (0.01)\n"
    "  --holdout FILE          check: events after the calibration\n"
    "  --asof TIME             check: the end of the calibration\n"
    "  --tz ZONE               check: zone of days and naive times (UTC)\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-score(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum mode { M_BOTH = 1, M_FIT = 2, M_PREDICT = 4, M_CHECK = 8 };

enum {
	OPT_ASOF = CLI_OPT_TOOL,
	OPT_COL,
	OPT_DISCOUNT,
	OPT_HOLDOUT,
	OPT_HORIZON,
	OPT_MAX_ITER,
	OPT_MODEL,
	OPT_PENALIZER,
	OPT_SPEND,
	OPT_TZ,
	OPT_UNIT
};

static const struct option longopts[] = {
	{ "asof", required_argument, NULL, OPT_ASOF },
	{ "col", required_argument, NULL, OPT_COL },
	{ "discount-rate", required_argument, NULL, OPT_DISCOUNT },
	{ "holdout", required_argument, NULL, OPT_HOLDOUT },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ "max-iter", required_argument, NULL, OPT_MAX_ITER },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "penalizer", required_argument, NULL, OPT_PENALIZER },
	{ "spend", required_argument, NULL, OPT_SPEND },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "unit", required_argument, NULL, OPT_UNIT },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/* The modes each of the options above, in order, belongs to. */
static const int allowed[] = { M_CHECK, M_BOTH | M_FIT | M_PREDICT | M_CHECK,
	M_BOTH | M_PREDICT, M_CHECK, M_BOTH | M_PREDICT | M_CHECK,
	M_BOTH | M_FIT, M_BOTH | M_FIT | M_PREDICT | M_CHECK, M_BOTH | M_FIT,
	M_BOTH | M_FIT, M_CHECK, M_BOTH | M_FIT };

static const char *const mode_names[] = { "", "fit", "predict", "check" };

struct opts {
	struct cli_common  common;
	struct score_model m;
	enum mode          mode;
	const char        *model; /* --model: a kind or a file */
	const char        *cols[SCORE_NCOLS];
	int                spend; /* -1: the mode's default */
	double             horizon, discount;
	const char        *holdout, *asof, *tz;
};

static void
parse_col(struct opts *o, const char *arg)
{
	char        name[32];
	const char *col;
	int         c;

	cli_pair_arg(&prog, "--col", arg, name, sizeof(name), &col);
	if ((c = score_col_parse(name)) < 0 || *col == '\0')
		cli_usage_error(&prog,
		    "bad value '%s' for --col: want customer_id, x, t_x, T or "
		    "repeat_value = a column",
		    arg);
	o->cols[c] = col;
}

static void
parse_opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_ASOF:
		o->asof = arg;
		break;
	case OPT_COL:
		parse_col(o, arg);
		break;
	case OPT_DISCOUNT:
		o->discount =
		    cli_double_arg(&prog, "--discount-rate", arg, 0, 10);
		break;
	case OPT_HOLDOUT:
		o->holdout = arg;
		break;
	case OPT_HORIZON:
		o->horizon =
		    cli_double_arg(&prog, "--horizon", arg, 1e-6, 36500);
		break;
	case OPT_MAX_ITER:
		o->m.max_iter =
		    (size_t)cli_int_arg(&prog, "--max-iter", arg, 1, 1000000);
		break;
	case OPT_MODEL:
		o->model = arg;
		break;
	case OPT_PENALIZER:
		o->m.penalizer =
		    cli_double_arg(&prog, "--penalizer", arg, 0, 1e6);
		break;
	case OPT_SPEND:
		if (strcmp(arg, "gamma-gamma") != 0 && strcmp(arg, "none") != 0)
			cli_usage_error(&prog,
			    "bad value '%s' for --spend: want 'gamma-gamma' or "
			    "'none'",
			    arg);
		o->spend = strcmp(arg, "none") != 0;
		break;
	case OPT_TZ:
		o->tz = arg;
		break;
	case OPT_UNIT:
		if (strcmp(arg, "day") != 0 && strcmp(arg, "week") != 0)
			cli_usage_error(&prog,
			    "bad value '%s' for --unit: want 'day' or 'week'",
			    arg);
		o->m.unit_days = strcmp(arg, "day") == 0 ? 1 : 7;
		break;
	default:
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
			cli_usage_error(&prog, NULL);
	}
}

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	int ch, i, mi = 0;

	/* The subcommand goes; argv[0] stays for getopt's messages. */
	for (i = 1; argc > 1 && i < 4 && mi == 0; i++)
		if (strcmp(argv[1], mode_names[i]) == 0) {
			mi = i;
			argv[1] = argv[0];
			argv++, argc--;
		}
	o->mode = (enum mode)(1 << mi);
	while ((ch = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		if (ch >= OPT_ASOF && ch <= OPT_UNIT &&
		    !(allowed[ch - OPT_ASOF] & (int)o->mode))
			cli_usage_error(&prog, "--%s is not an option of %s",
			    longopts[ch - OPT_ASOF].name,
			    mi == 0 ? "fitting and predicting"
			            : mode_names[mi]);
		parse_opt(o, ch, optarg);
	}
	cli_operands(&o->common, argc, argv);
	if (o->common.npaths > 1)
		cli_usage_error(
		    &prog, "one input at most, not %zu", o->common.npaths);
	if (o->mode & (M_BOTH | M_FIT) && o->model != NULL &&
	    score_kind_parse(o->model, &o->m.kind) < 0)
		cli_usage_error(&prog,
		    "bad value '%s' for --model: want 'bgnbd', 'pareto' or "
		    "'mbgnbd'",
		    o->model);
	if (o->mode == M_CHECK &&
	    (o->model == NULL || o->holdout == NULL || o->asof == NULL))
		cli_usage_error(
		    &prog, "check needs --model, --holdout and --asof");
	if (o->spend < 0)
		o->spend = o->mode == M_FIT ? 0 : 1;
}

/* Fit what in holds, with the summary on stderr. */
static int
fit(struct opts *o, struct recin *in, struct score_data *sd, struct rejects *rj,
    uint64_t *rows, struct ci_err *e)
{
	struct buf b = { 0 };

	if (score_read(sd, in, &o->m, o->spend, o->spend, rj, rows, e) == -1 ||
	    score_fit_checked(&o->m, sd, o->spend, e) == -1)
		return -1;
	score_summary(&o->m, &b);
	if (!o->common.quiet)
		diag_warn("%s", buf_str(&b));
	buf_release(&b);
	return 0;
}

static int
run_fit(struct opts *o, struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	struct score_data sd = { 0 };
	struct recin     *in;
	struct buf        out = { 0 };
	int               r = -1;

	in = recin_open(
	    o->common.npaths ? o->common.paths[0] : NULL, &o->common.in, e);
	if (in != NULL && fit(o, in, &sd, rj, rows, e) == 0) {
		score_model_write(&o->m, &sd, &out);
		r = model_save(NULL, &out, e);
	}
	buf_release(&out);
	recin_free(in);
	score_data_release(&sd);
	return r;
}

/* Predict, fitting first when there is no model file. */
static int
run_predict(
    struct opts *o, struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	struct score_spool sp = { 0 };
	struct score_data  sd = { 0 };
	struct score_pred  pr = { 0 };
	struct clv_plan    plan = { 0 };
	struct recin      *in = NULL;
	double h = o->horizon > 0 ? o->horizon : o->m.unit_days == 1 ? 365 : 52;
	int    r = -1;

	if (score_spool_open(
	        &sp, o->common.npaths ? o->common.paths[0] : NULL, e) == -1 ||
	    (in = score_spool_read(&sp, &o->common.in, e)) == NULL)
		goto out;
	if (o->model == NULL || o->mode == M_BOTH) {
		if (fit(o, in, &sd, rj, rows, e) == -1)
			goto out;
	} else if (score_read(&sd, in, &o->m, o->m.has_spend, false, rj, rows,
	               e) == -1) {
		goto out;
	} else {
		score_data_freeze(&sd);
	}
	recin_free(in);
	if ((in = NULL,
	        clv_plan_init(&plan, h, o->m.unit_days, o->discount, e)) == 0 &&
	    score_predict(&o->m, &sd, &plan, &pr, e) == 0 &&
	    (in = score_spool_read(&sp, &o->common.in, e)) != NULL)
		r = score_write(in, &sd, &pr, o->common.out_format, e);
	if (r == 0 && !o->m.has_spend && !o->common.quiet)
		diag_warn("the model has no spend model: expected_value, clv "
		          "and value_score are empty");
out:
	recin_free(in);
	score_spool_close(&sp);
	score_data_release(&sd);
	score_pred_release(&pr);
	clv_plan_release(&plan);
	return r;
}

static int
run_check(struct opts *o, struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	struct score_holdout ho = { o->holdout, &o->common.in, 0, o->horizon,
		NULL };
	struct tz           *zone = NULL;
	struct recin        *in = NULL;
	const char          *why;
	double               h;
	int                  r = -1;

	if (o->tz != NULL && (zone = tz_load(o->tz, e)) == NULL)
		return -1;
	ho.tz = zone;
	if (timeparse_asof(o->asof, zone, &ho.asof, &why) == -1)
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "bad value '%s' for --asof: %s", o->asof, why);
	else if ((in = recin_open(o->common.npaths ? o->common.paths[0] : NULL,
	              &o->common.in, e)) != NULL)
		r = score_run_check(
		    &o->m, in, &ho, rj, rows, o->common.out_format, &h, e);
	if (r == 0 && !o->common.quiet)
		diag_warn("the holdout: %.6g %ss after --asof", h,
		    o->m.unit_days == 1 ? "day" : "week");
	recin_free(in);
	tz_free(zone);
	return r;
}

int
main(int argc, char *argv[])
{
	struct opts     o = { .spend = -1, .discount = 0.01 };
	struct rejects *rj = NULL;
	struct ci_err   e = { 0 };
	uint64_t        rows = 0;
	int             rc = CI_EXIT_OK, r = 0;
	size_t          i;

	gsl_set_error_handler_off();
	cli_common_init(&o.common);
	score_model_init(&o.m);
	parse_args(&o, argc, argv);
	if ((o.mode & (M_PREDICT | M_CHECK)) && o.model != NULL)
		r = score_model_load(&o.m, o.model, &e);
	for (i = 0; i < SCORE_NCOLS; i++)
		if (o.cols[i] != NULL)
			score_model_set_col(&o.m, (enum score_col)i, o.cols[i]);
	if (r == 0 && (rj = rejects_open(o.common.rejects, stderr, &e)) != NULL)
		r = o.mode == M_FIT     ? run_fit(&o, rj, &rows, &e)
		    : o.mode == M_CHECK ? run_check(&o, rj, &rows, &e)
		                        : run_predict(&o, rj, &rows, &e);
	if (r == -1 || rj == NULL)
		rc = diag_report(&e);
	else if (cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	score_model_release(&o.m);
	return cli_finish(rc);
}
