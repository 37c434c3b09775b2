/*
 * ci-report writes the morning report: report.html (one self-contained
 * page of figures, tables and charts, for a phone or paper), report.md
 * (the same for e-mail and chat) and summary.json (every figure shown),
 * from the scored customers and whichever outputs of the other tools are
 * given: data quality, identity resolution, the lifetime-value model's
 * check and outlook, segments, churn and cross-sell.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "cli.h"
#include "diag.h"
#include "i18n.h"
#include "rejects.h"
#include "report.h"
#include "timeparse.h"

static const char usage_text[] =
    "usage: ci-report --customers file [-q] [-o dir] [--lang en | zh]\n"
    "                 [--title text] [--asof date] [--currency sign]\n"
    "                 [--revenue column] [--active-days n] [--top n]\n"
    "                 [--quality file] [--dedupe-stats file]\n"
    "                 [--clv-check file] [--tracking file]\n"
    "                 [--outlook file] [--events file]\n"
    "                 [--churn-eval file] [--profiles file]\n"
    "                 [--recommendations file] [--rules file]\n"
    "                 [--rec-eval file] [--previous file]\n"
    "                 [common options]\n";

static const char options_text[] =
    "\n"
    "  --customers FILE        scored customers: features with the columns\n"
    "                          of ci-score, ci-segment, ci-churn\n"
    "  -o, --output-dir DIR    write report.html, report.md, summary.json\n"
    "                          there (.)\n"
    "  --lang en|zh            the report's language (en)\n"
    "  --title TEXT            its title\n"
    "  --asof DATE             its date (from the rows)\n"
    "  --currency SIGN         before money (zh: ¥, en: none)\n"
    "  --revenue COLUMN        revenue (spend_365d, else monetary_total)\n"
    "  --active-days N         active: bought in the last N days (365)\n"
    "  --top N                 at-risk customers listed (20)\n"
    "  --quality FILE          ci-ingest --quality (repeatable)\n"
    "  --dedupe-stats FILE     ci-dedupe output or crosswalk\n"
    "  --clv-check FILE        ci-score check\n"
    "  --tracking FILE         ci-score check --by week\n"
    "  --outlook FILE          ci-score forecast\n"
    "  --events FILE           events: the actual weeks before the outlook\n"
    "  --churn-eval FILE       ci-churn eval (CSV or JSON)\n"
    "  --profiles FILE         ci-segment --profiles\n"
    "  --recommendations FILE  ci-recommend\n"
    "  --rules FILE            ci-recommend rules\n"
    "  --rec-eval FILE         ci-recommend eval\n"
    "  --previous FILE         last run's summary.json, for the changes\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-report(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum {
	OPT_ACTIVE_DAYS = CLI_OPT_TOOL,
	OPT_ASOF,
	OPT_CHURN_EVAL,
	OPT_CLV_CHECK,
	OPT_CURRENCY,
	OPT_CUSTOMERS,
	OPT_DEDUPE,
	OPT_EVENTS,
	OPT_LANG,
	OPT_OUTLOOK,
	OPT_PREVIOUS,
	OPT_PROFILES,
	OPT_QUALITY,
	OPT_REC_EVAL,
	OPT_RECS,
	OPT_REVENUE,
	OPT_RULES,
	OPT_TITLE,
	OPT_TOP,
	OPT_TRACKING
};

static const struct option longopts[] = {
	{ "active-days", required_argument, NULL, OPT_ACTIVE_DAYS },
	{ "asof", required_argument, NULL, OPT_ASOF },
	{ "churn-eval", required_argument, NULL, OPT_CHURN_EVAL },
	{ "clv-check", required_argument, NULL, OPT_CLV_CHECK },
	{ "currency", required_argument, NULL, OPT_CURRENCY },
	{ "customers", required_argument, NULL, OPT_CUSTOMERS },
	{ "dedupe-stats", required_argument, NULL, OPT_DEDUPE },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "outlook", required_argument, NULL, OPT_OUTLOOK },
	{ "output-dir", required_argument, NULL, 'o' },
	{ "previous", required_argument, NULL, OPT_PREVIOUS },
	{ "profiles", required_argument, NULL, OPT_PROFILES },
	{ "quality", required_argument, NULL, OPT_QUALITY },
	{ "rec-eval", required_argument, NULL, OPT_REC_EVAL },
	{ "recommendations", required_argument, NULL, OPT_RECS },
	{ "revenue", required_argument, NULL, OPT_REVENUE },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "tracking", required_argument, NULL, OPT_TRACKING },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct cli_common  common;
	struct report_opts r;
	char               asof[16];
};

static void
parse_one(struct opts *o, int ch, const char *arg)
{
	static const char *const langs[] = { "en", "zh", NULL };
	/* The options that only keep their value. */
	const char **keep[] = {
		[OPT_CHURN_EVAL - CLI_OPT_TOOL] = &o->r.churn_eval,
		[OPT_CLV_CHECK - CLI_OPT_TOOL] = &o->r.clv_check,
		[OPT_CURRENCY - CLI_OPT_TOOL] = &o->r.currency,
		[OPT_CUSTOMERS - CLI_OPT_TOOL] = &o->r.customers,
		[OPT_DEDUPE - CLI_OPT_TOOL] = &o->r.dedupe,
		[OPT_EVENTS - CLI_OPT_TOOL] = &o->r.events,
		[OPT_OUTLOOK - CLI_OPT_TOOL] = &o->r.outlook,
		[OPT_PREVIOUS - CLI_OPT_TOOL] = &o->r.previous,
		[OPT_PROFILES - CLI_OPT_TOOL] = &o->r.profiles,
		[OPT_REC_EVAL - CLI_OPT_TOOL] = &o->r.rec_eval,
		[OPT_RECS - CLI_OPT_TOOL] = &o->r.recs,
		[OPT_REVENUE - CLI_OPT_TOOL] = &o->r.revenue,
		[OPT_RULES - CLI_OPT_TOOL] = &o->r.rules,
		[OPT_TITLE - CLI_OPT_TOOL] = &o->r.title,
		[OPT_TRACKING - CLI_OPT_TOOL] = &o->r.tracking,
	};
	int              k = ch - CLI_OPT_TOOL;
	struct tp_result t;
	const char      *why;

	if (k >= 0 && k < (int)(sizeof(keep) / sizeof(keep[0])) &&
	    keep[k] != NULL) {
		*keep[k] = arg;
		return;
	}
	switch (ch) {
	case 'o':
		o->r.outdir = arg;
		break;
	case OPT_ACTIVE_DAYS:
		o->r.active_days =
		    (double)cli_int_arg("--active-days", arg, 1, 100000);
		break;
	case OPT_ASOF:
		if (timeparse(arg, strlen(arg), NULL, &t, &why) < 0 ||
		    !t.date_only)
			cli_usage_error("bad value '%s' for --asof: want a "
			                "date such as 2026-10-31",
			    arg);
		civil_format_date(o->asof, civil_day(t.utc));
		o->r.asof = o->asof;
		break;
	case OPT_QUALITY:
		if (o->r.nquality == REPORT_MAX_QUALITY)
			cli_usage_error("--quality: at most %d reports",
			    REPORT_MAX_QUALITY);
		o->r.quality[o->r.nquality++] = arg;
		break;
	case OPT_LANG:
		o->r.lang =
		    (enum locfmt_lang)cli_word_arg("--lang", arg, langs);
		break;
	case OPT_TOP:
		o->r.top = (size_t)cli_int_arg("--top", arg, 0, 1000);
		break;
	default:
		if (cli_common_opt(&o->common, &prog, ch, arg) < 0)
			cli_usage_error(NULL);
	}
}

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	const char *const *in[] = { &o->r.customers, &o->r.dedupe,
		&o->r.clv_check, &o->r.tracking, &o->r.outlook, &o->r.events,
		&o->r.churn_eval, &o->r.profiles, &o->r.recs, &o->r.rules,
		&o->r.rec_eval, &o->r.previous };
	int                ch, idx = 0;
	size_t             i;

	while ((ch = cli_getopt(argc, argv, "ho:q", longopts, &idx)) != -1)
		parse_one(o, ch, optarg);
	if (optind < argc)
		cli_usage_error("ci-report takes its inputs by name: "
		                "--customers %s, not an operand",
		    argv[optind]);
	if (o->r.customers == NULL)
		cli_usage_error("--customers is required");
	if (o->r.events != NULL && o->r.outlook == NULL)
		cli_usage_error("--events needs --outlook: it gives the weeks "
		                "before the outlook");
	o->common.in.paths = (char *const *)in[0];
	o->common.in.npaths = 1;
	o->common.in.quiet = o->common.quiet;
	o->common.in.opts.cols = &o->common.cols;
	o->common.in.notes = &o->common.notes;
	if (o->common.rejects != NULL) {
		for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
			if (*in[i] != NULL &&
			    strcmp(*in[i], o->common.rejects) == 0)
				cli_usage_error(
				    "--rejects must not be an input ('%s')",
				    o->common.rejects);
		for (i = 0; i < o->r.nquality; i++)
			if (strcmp(o->r.quality[i], o->common.rejects) == 0)
				cli_usage_error(
				    "--rejects must not be an input ('%s')",
				    o->common.rejects);
	}
}

int
main(int argc, char *argv[])
{
	struct opts     o;
	struct rejects *rj = NULL;
	struct buf      notes = { 0 };
	struct ci_err   e = { 0 };
	uint64_t        rows = 0;
	int             rc = CI_EXIT_OK;

	memset(&o, 0, sizeof(o));
	cli_common_init(&o.common);
	report_opts_init(&o.r);
	parse_args(&o, argc, argv);
	if ((rj = rejects_open(o.common.rejects, stderr, &e)) == NULL)
		goto fail;
	if (report_run(&o.r, &o.common.in, rj, &rows, &notes, &e) < 0)
		goto fail;
	cli_notes(&o.common);
	if (!o.common.quiet)
		diag_lines(buf_str(&notes));
	if (cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
	goto out;
fail:
	cli_notes(&o.common);
	rc = diag_report(&e);
out:
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	buf_release(&notes);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
