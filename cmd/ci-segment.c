/*
 * ci-segment reads feature rows (ci-features output, with ci-score and
 * ci-churn columns when present) and writes them back with segment
 * columns added: RFM scores and named RFM segments, a value tier, a
 * lifecycle stage, a k-means cluster and, from a YAML file, rule
 * segments.  --save-model keeps what it fitted (cut points, thresholds,
 * centroids, scaling) and --model applies it unchanged to new rows.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "recin.h"
#include "rejects.h"
#include "segment.h"
#include "segrules.h"
#include "strv.h"

static const char usage_text[] =
    "usage: ci-segment [-q] [--segments list] [--recency column]\n"
    "                  [--frequency column] [--monetary column]\n"
    "                  [--tier-high n] [--tier-potential n]\n"
    "                  [--risk-score n] [--risk-alive p] [--overdue x]\n"
    "                  [--lost-after x] [--growth x] [--falling x]\n"
    "                  [--k n | auto] [--cluster-on list] [--restarts n]\n"
    "                  [--no-log] [--no-scale] [--anomaly]\n"
    "                  [--anomaly-on list] [--contamination p] [--seed n]\n"
    "                  [--digits n] [--profiles file] [--rules file]\n"
    "                  [--save-model file] [common options] [file ...]\n"
    "       ci-segment --model file [-q] [--profiles file]\n"
    "                  [--rules file] [--digits n] [common options]\n"
    "                  [file ...]\n";

static const char options_text[] =
    "\n"
    "  --segments LIST         kinds: rfm,tier,lifecycle,cluster (all),\n"
    "                          anomaly\n"
    "  --recency COL           R, fewer days is better (recency_days)\n"
    "  --frequency COL         F (purchase_days)\n"
    "  --monetary COL          M (monetary_total)\n"
    "  --tier-high N           value percentile of high-value (80)\n"
    "  --tier-potential N      value percentile of potential (40)\n"
    "  --risk-score N          churn_risk at risk (60)\n"
    "  --risk-alive P          p_alive below which at risk (0.5)\n"
    "  --overdue X             usual gaps since the last purchase that\n"
    "                          break the rhythm (2)\n"
    "  --lost-after X          usual gaps that make a customer lost (4)\n"
    "  --growth X              recent over earlier orders: growth (1.5)\n"
    "  --falling X             spend trend of a decline (0.5)\n"
    "  --k N|auto              clusters, or the best of 2..10 (4)\n"
    "  --cluster-on LIST       columns to cluster on (R, F and M)\n"
    "  --restarts N            k-means++ seedings (10)\n"
    "  --no-log, --no-scale    no log transform, no standardising\n"
    "  --anomaly               flag customers unlike the others\n"
    "  --anomaly-on LIST       the forest's columns (RFM, refunds, ...)\n"
    "  --contamination P       share of fitted rows flagged (0.01)\n"
    "  --seed N                seed of k-means++, the forest (20261101)\n"
    "  --profiles FILE         write each cluster's size and means\n"
    "  --rules FILE            rule segments from a YAML file\n"
    "  --save-model FILE       keep what was fitted\n" CLI_DIGITS_HELP
    "  --model FILE            apply a saved model\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-segment(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

/* Options from OPT_ANOMALY to OPT_TIER_POTENTIAL are taken from a model. */
enum {
	OPT_ANOMALY = CLI_OPT_TOOL,
	OPT_ANOMALY_ON,
	OPT_CLUSTER_ON,
	OPT_CONTAMINATION,
	OPT_FALLING,
	OPT_FREQUENCY,
	OPT_GROWTH,
	OPT_K,
	OPT_LOST_AFTER,
	OPT_MONETARY,
	OPT_NO_LOG,
	OPT_NO_SCALE,
	OPT_OVERDUE,
	OPT_RECENCY,
	OPT_RESTARTS,
	OPT_RISK_ALIVE,
	OPT_RISK_SCORE,
	OPT_SAVE_MODEL,
	OPT_SEGMENTS,
	OPT_TIER_HIGH,
	OPT_TIER_POTENTIAL,
	OPT_MODEL,
	OPT_PROFILES,
	OPT_RULES
};

static const struct option longopts[] = {
	{ "anomaly", no_argument, NULL, OPT_ANOMALY },
	{ "anomaly-on", required_argument, NULL, OPT_ANOMALY_ON },
	{ "cluster-on", required_argument, NULL, OPT_CLUSTER_ON },
	{ "contamination", required_argument, NULL, OPT_CONTAMINATION },
	{ "falling", required_argument, NULL, OPT_FALLING },
	{ "frequency", required_argument, NULL, OPT_FREQUENCY },
	{ "growth", required_argument, NULL, OPT_GROWTH },
	{ "k", required_argument, NULL, OPT_K },
	{ "lost-after", required_argument, NULL, OPT_LOST_AFTER },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "monetary", required_argument, NULL, OPT_MONETARY },
	{ "no-log", no_argument, NULL, OPT_NO_LOG },
	{ "no-scale", no_argument, NULL, OPT_NO_SCALE },
	{ "overdue", required_argument, NULL, OPT_OVERDUE },
	{ "profiles", required_argument, NULL, OPT_PROFILES },
	{ "recency", required_argument, NULL, OPT_RECENCY },
	{ "restarts", required_argument, NULL, OPT_RESTARTS },
	{ "risk-alive", required_argument, NULL, OPT_RISK_ALIVE },
	{ "risk-score", required_argument, NULL, OPT_RISK_SCORE },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "save-model", required_argument, NULL, OPT_SAVE_MODEL },
	{ "segments", required_argument, NULL, OPT_SEGMENTS },
	{ "tier-high", required_argument, NULL, OPT_TIER_HIGH },
	{ "tier-potential", required_argument, NULL, OPT_TIER_POTENTIAL },
	CLI_DIGITS_LONGOPT,
	CLI_SEED_LONGOPT,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct cli_common   common;
	struct segment_opts s;
	const char         *model;
	const char         *save_model;
	const char         *profiles;
	const char         *rules;
	const char         *fit_opt; /* the first option a model replaces */
};

static void
parse_one(struct opts *o, int ch, const char *arg)
{
	struct tier_params      *tier = &o->s.tier;
	struct lifecycle_params *life = &o->s.life;
	/* The options that only keep their value. */
	const char **keep[] = {
		[OPT_FREQUENCY - CLI_OPT_TOOL] = &o->s.frequency,
		[OPT_MODEL - CLI_OPT_TOOL] = &o->model,
		[OPT_MONETARY - CLI_OPT_TOOL] = &o->s.monetary,
		[OPT_PROFILES - CLI_OPT_TOOL] = &o->profiles,
		[OPT_RECENCY - CLI_OPT_TOOL] = &o->s.recency,
		[OPT_RULES - CLI_OPT_TOOL] = &o->rules,
		[OPT_SAVE_MODEL - CLI_OPT_TOOL] = &o->save_model,
	};
	int k = ch - CLI_OPT_TOOL;

	if (k >= 0 && k < (int)(sizeof(keep) / sizeof(keep[0])) &&
	    keep[k] != NULL) {
		*keep[k] = arg;
		return;
	}
	switch (ch) {
	case OPT_ANOMALY:
		o->s.kinds |= SEG_ANOMALY;
		break;
	case OPT_ANOMALY_ON:
		o->s.kinds |= SEG_ANOMALY;
		strv_add(&o->s.anomaly_on, arg, true);
		break;
	case OPT_CONTAMINATION:
		o->s.anomaly.contamination =
		    cli_double_arg("--contamination", arg, 1e-6, 0.5);
		break;
	case OPT_CLUSTER_ON:
		strv_add(&o->s.cluster_on, arg, true);
		break;
	case OPT_FALLING:
		life->falling = cli_double_arg("--falling", arg, 0, 1e6);
		break;
	case OPT_GROWTH:
		life->growth = cli_double_arg("--growth", arg, 0, 1e6);
		break;
	case OPT_K:
		o->s.cluster.k = strcmp(arg, "auto") == 0 /* the best k */
		    ? 0
		    : (size_t)cli_int_arg("--k", arg, 1, 100);
		break;
	case OPT_LOST_AFTER:
		life->lost_after =
		    cli_double_arg("--lost-after", arg, 0.001, 1e6);
		break;
	case OPT_NO_LOG:
		o->s.cluster.log = false;
		break;
	case OPT_NO_SCALE:
		o->s.cluster.scale = false;
		break;
	case OPT_OVERDUE:
		tier->overdue = life->overdue =
		    cli_double_arg("--overdue", arg, 0.001, 1e6);
		break;
	case OPT_RESTARTS:
		o->s.cluster.restarts =
		    (unsigned)cli_int_arg("--restarts", arg, 1, 1000);
		break;
	case OPT_RISK_ALIVE:
		tier->risk_alive = cli_double_arg("--risk-alive", arg, 0, 1);
		break;
	case OPT_RISK_SCORE:
		tier->risk_score = cli_double_arg("--risk-score", arg, 0, 100);
		break;
	case OPT_SEGMENTS: /* --anomaly adds to what this says */
		k = (int)(o->s.kinds & SEG_ANOMALY);
		if (segment_kinds_parse(arg, &o->s.kinds) < 0)
			cli_usage_error(
			    "bad value '%s' for --segments: want a list of "
			    "rfm, tier, lifecycle, cluster, anomaly or all",
			    arg);
		o->s.kinds |= (unsigned)k;
		break;
	case OPT_TIER_HIGH:
		o->s.tier.high = cli_double_arg("--tier-high", arg, 0, 100);
		break;
	case OPT_TIER_POTENTIAL:
		tier->potential =
		    cli_double_arg("--tier-potential", arg, 0, 100);
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

	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		if (o->fit_opt == NULL &&
		    ((ch >= OPT_ANOMALY && ch <= OPT_TIER_POTENTIAL) ||
		        ch == CLI_OPT_SEED))
			o->fit_opt = longopts[idx].name;
		parse_one(o, ch, optarg);
	}
	cli_operands(&o->common, argc, argv);
	cli_output(&o->common, "--save-model", o->save_model);
	cli_output(&o->common, "--profiles", o->profiles);
	o->s.cluster.seed = o->s.anomaly.seed = o->common.seed;
	if (o->model != NULL && o->fit_opt != NULL)
		cli_usage_error(
		    "--model takes the options from the model, not --%s",
		    o->fit_opt);
	if (o->s.tier.potential > o->s.tier.high)
		cli_usage_error(
		    "--tier-potential must not be above --tier-high");
	if (o->s.life.lost_after < o->s.life.overdue)
		cli_usage_error("--lost-after must not be below --overdue");
	if (o->model == NULL && o->profiles != NULL &&
	    !(o->s.kinds & SEG_CLUSTER))
		cli_usage_error("--profiles needs the cluster segments");
}

int
main(int argc, char *argv[])
{
	struct opts     o = { 0 };
	struct segment *s = NULL;
	struct segrules rules = { 0 };
	struct buf      notes = { 0 };
	struct rejects *rj = NULL;
	struct ci_err   e = { 0 };
	enum rec_fmt    fmt = REC_FMT_CSV;
	uint64_t        rows = 0;
	int             rc = CI_EXIT_OK;

	cli_common_init(&o.common);
	segment_opts_init(&o.s, o.common.seed);
	parse_args(&o, argc, argv);
	if (o.rules != NULL && segrules_load(&rules, o.rules, &e) < 0)
		goto fail;
	s = o.model != NULL ? segment_new_model(o.model, &e)
	                    : segment_new(&o.s);
	if (s == NULL)
		goto fail;
	if (o.profiles != NULL && !(segment_kinds(s) & SEG_CLUSTER)) {
		ci_err_set(&e, CI_EXIT_USAGE, NULL, 0,
		    "--profiles needs a model with clusters");
		goto fail;
	}
	if ((rj = rejects_open(o.common.rejects, stderr, &e)) == NULL)
		goto fail;
	rc = segment_read(
	    s, &o.common.in, o.rules ? &rules : NULL, rj, &rows, &fmt, &e);
	cli_notes(&o.common);
	if (rc < 0 || segment_fit(s, &e) < 0)
		goto fail;
	segment_label(s);
	if ((o.save_model != NULL &&
	        segment_save_model(s, o.save_model, &e) < 0) ||
	    (o.profiles != NULL &&
	        segment_write_profiles(s, o.profiles, o.common.digits, &e) <
	            0) ||
	    segment_write(s, o.common.out_format ? o.common.out_format : fmt,
	        o.common.digits, &e) < 0)
		goto fail;
	if (!o.common.quiet) {
		segment_summary(s, rejects_count(rj), &notes);
		diag_lines(buf_str(&notes));
	}
	if (cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
	goto out;
fail:
	rc = diag_report(&e);
out:
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	segment_free(s);
	segrules_release(&rules);
	buf_release(&notes);
	strv_free(&o.s.cluster_on);
	strv_free(&o.s.anomaly_on);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
