/*
 * ci-features reads canonical event records (CSV or NDJSON) and writes one
 * row of features per customer as of a point in time: recency, frequency
 * and money, the inputs of the lifetime-value models, behaviour in time
 * windows, service and engagement, and optionally a churn label.  With
 * --partial it writes mergeable per-customer state instead, and --merge
 * combines such states into the rows; --describe writes the columns' units
 * and definitions.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "cli.h"
#include "diag.h"
#include "feature.h"
#include "recin.h"
#include "recout.h"
#include "rejects.h"
#include "strv.h"
#include "timeparse.h"
#include "topics.h"
#include "tz.h"

static const char usage_text[] =
    "usage: ci-features [-q] [--asof time] [--unit day | week]\n"
    "                   [--windows list] [--label-window duration]\n"
    "                   [--channels list] [--tz zone] [--topics file]\n"
    "                   [--partial] [--digits n] [common options]\n"
    "                   [file ...]\n"
    "       ci-features --merge [-q] [--partial] [--format csv | ndjson]\n"
    "                   [--digits n] [file ...]\n"
    "       ci-features --describe [--unit day | week] [--windows list]\n"
    "                   [--channels list] [--label-window duration]\n"
    "                   [--format csv | ndjson]\n";

static const char options_text[] =
    "\n"
    "  --asof TIME             point in time (default: the latest event)\n"
    "  --unit day|week         time unit of x, t_x and T (week)\n"
    "  --windows LIST          window lengths in days (30,90,180,365)\n"
    "  --label-window DUR      add label_active: an order within DUR\n"
    "                          after asof (90d, 12w); needs --asof\n"
    "  --channels LIST         the channel share columns (default: seen)\n"
    "  --tz ZONE               zone of days and naive times (UTC)\n"
    "  --topics FILE           topic dictionary of ci-ingest --topics\n"
    "  --partial               write mergeable state, not rows\n"
    "  --merge                 combine partial states (the operands)\n"
    "  --describe              write name, unit and definition of each\n"
    "                          column the options give, as "
    "CSV\n" CLI_DIGITS_HELP "\n" CLI_COMMON_HELP "\n"
    "See ci-features(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum {
	OPT_ASOF = CLI_OPT_TOOL,
	OPT_CHANNELS,
	OPT_DESCRIBE,
	OPT_LABEL_WINDOW,
	OPT_MERGE,
	OPT_PARTIAL,
	OPT_TOPICS,
	OPT_TZ,
	OPT_UNIT,
	OPT_WINDOWS
};

static const struct option longopts[] = {
	{ "asof", required_argument, NULL, OPT_ASOF },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "describe", no_argument, NULL, OPT_DESCRIBE },
	{ "label-window", required_argument, NULL, OPT_LABEL_WINDOW },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "topics", required_argument, NULL, OPT_TOPICS },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "windows", required_argument, NULL, OPT_WINDOWS },
	CLI_DIGITS_LONGOPT,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct cli_common   common;
	struct feature_opts f;
	const char         *asof;
	const char         *tz;
	const char         *topics;
	struct strv         channels;
	bool                partial;
	bool                merge;
	bool                describe;
	bool                set; /* an option --merge takes from the state */
};

static void
parse_windows(struct opts *o, const char *arg)
{
	struct strv l = { 0 };
	size_t      i;

	strv_add(&l, arg, true);
	if (l.n == 0 || l.n > FEATURE_MAX_WINDOWS)
		cli_usage_error(
		    "bad value '%s' for --windows: want 1 to %d lengths in "
		    "days",
		    arg, FEATURE_MAX_WINDOWS);
	for (i = 0; i < l.n; i++) {
		o->f.windows[i] =
		    (uint32_t)cli_int_arg("--windows", l.v[i], 1, 36500);
		if (i > 0 && o->f.windows[i] <= o->f.windows[i - 1])
			cli_usage_error(
			    "bad value '%s' for --windows: lengths must "
			    "increase",
			    arg);
	}
	o->f.nwindows = l.n;
	strv_free(&l);
}

/* Add the channels of --channels arg; each may be named once. */
static void
parse_channels(struct opts *o, const char *arg)
{
	size_t i, j, from = o->channels.n;

	strv_add(&o->channels, arg, true);
	for (i = from; i < o->channels.n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(o->channels.v[i], o->channels.v[j]) == 0)
				cli_usage_error(
				    "bad value '%s' for --channels: "
				    "'%s' named twice",
				    arg, o->channels.v[i]);
}

static const char *const units[] = { "day", "week", NULL };

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	const char *why;
	int         ch, idx;

	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		o->set = o->set ||
		    (ch >= OPT_ASOF && ch <= OPT_WINDOWS && ch != OPT_MERGE &&
		        ch != OPT_PARTIAL && ch != OPT_DESCRIBE);
		switch (ch) {
		case OPT_ASOF:
			o->asof = optarg;
			break;
		case OPT_CHANNELS:
			parse_channels(o, optarg);
			break;
		case OPT_DESCRIBE:
			o->describe = true;
			break;
		case OPT_LABEL_WINDOW:
			if (timeparse_duration(
			        optarg, &o->f.label_window, &why) < 0 ||
			    o->f.label_window <= 0)
				cli_usage_error(
				    "bad value '%s' for --label-window: want "
				    "a duration such as 90d",
				    optarg);
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case OPT_PARTIAL:
			o->partial = true;
			break;
		case OPT_TOPICS:
			o->topics = optarg;
			break;
		case OPT_TZ:
			o->tz = optarg;
			break;
		case OPT_UNIT:
			o->f.unit_days =
			    cli_word_arg("--unit", optarg, units) == 0 ? 1 : 7;
			break;
		case OPT_WINDOWS:
			parse_windows(o, optarg);
			break;
		default:
			if (cli_common_opt(&o->common, &prog, ch, optarg) < 0)
				cli_usage_error(NULL);
		}
	}
	cli_operands(&o->common, argc, argv);
	if (o->describe && (o->merge || o->partial || o->common.in.npaths > 0))
		cli_usage_error("--describe reads no input: it takes no file, "
		                "--merge or --partial");
	if (o->merge && o->set)
		cli_usage_error(
		    "--merge takes the options from the partial states");
	if (!o->merge && !o->describe &&
	    (o->partial || o->f.label_window > 0) && o->asof == NULL)
		cli_usage_error("%s needs --asof",
		    o->partial ? "--partial" : "--label-window");
}

/* --asof: an instant, or a date meaning the end of that day in the zone. */
static int
set_asof(struct opts *o, struct ci_err *e)
{
	const char *why;

	if (o->asof == NULL)
		return 0;
	if (timeparse_asof(o->asof, o->f.tz, &o->f.asof, &why) < 0)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "bad value '%s' for --asof: %s", o->asof, why);
	o->f.has_asof = true;
	return 0;
}

/* Merge the partial states of the operands, or of stdin. */
static int
merge_states(struct opts *o, struct feature *f, struct ci_err *e)
{
	size_t i;

	if (o->common.in.npaths == 0)
		return feature_merge(f, NULL, e);
	for (i = 0; i < o->common.in.npaths; i++)
		if (feature_merge(f, o->common.in.paths[i], e) < 0)
			return -1;
	return 0;
}

/* The name, unit and definition of each column the options give. */
static int
describe(struct opts *o, struct feature *f, struct ci_err *e)
{
	static const char *const cols[] = { "name", "unit", "definition" };
	struct recout           *w;

	w = recout_open(NULL,
	    o->common.out_format ? o->common.out_format : REC_FMT_CSV, cols, 3,
	    e);
	if (w == NULL)
		return -1;
	if (feature_describe(f, w, e) < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

static int
write_output(
    struct opts *o, struct feature *f, enum rec_fmt fmt, struct ci_err *e)
{
	const char *const *cols;
	struct recout     *w;
	size_t             n;

	if (o->partial)
		return feature_write_partial(f, stdout, "stdout", e);
	n = feature_columns(f, &cols);
	w = recout_open(NULL, o->common.out_format ? o->common.out_format : fmt,
	    cols, n, e);
	if (w == NULL)
		return -1;
	if (feature_write(f, w, e) < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

int
main(int argc, char *argv[])
{
	struct opts       o = { .f = { .unit_days = 7,
		                    .windows = { 30, 90, 180, 365 },
		                    .nwindows = 4 } };
	struct feature   *f = NULL;
	struct rejects   *rj = NULL;
	struct tz        *zone = NULL;
	struct ptrie_fold fold = { 0 };
	struct topics     dict = { 0 };
	struct ci_err     e = { 0 };
	enum rec_fmt      fmt = REC_FMT_CSV;
	uint64_t          rows = 0;
	int64_t           asof;
	char              when[CIVIL_ISO_MAX];
	int               rc = CI_EXIT_OK;

	cli_common_init(&o.common);
	parse_args(&o, argc, argv);
	if (o.tz != NULL && (zone = tz_load(o.tz, &e)) == NULL) {
		rc = diag_report(&e);
		goto out;
	}
	o.f.tz = zone;
	o.f.channels = o.channels.n ? o.channels.v : NULL;
	o.f.nchannels = o.channels.n;
	o.f.from_partials = o.merge;
	o.f.digits = o.common.digits;
	if (!o.merge) {
		/* Only the names of the topics are of use here. */
		ptrie_fold_init(&fold);
		if (topics_load(&dict, &fold, o.topics, &e) < 0) {
			rc = diag_report(&e);
			goto out;
		}
		o.f.topics = dict.name;
		o.f.ntopics = dict.n;
	}
	if (set_asof(&o, &e) < 0 ||
	    (rj = rejects_open(o.common.rejects, stderr, &e)) == NULL) {
		rc = diag_report(&e);
		goto out;
	}
	f = feature_new(&o.f);
	if (o.describe) {
		if (describe(&o, f, &e) < 0)
			rc = diag_report(&e);
		goto out;
	}
	rc = o.merge ? merge_states(&o, f, &e)
	             : feature_read(f, &o.common.in, rj, &rows, &fmt, &e);
	cli_notes(&o.common);
	if (rc < 0 || write_output(&o, f, fmt, &e) < 0) {
		rc = diag_report(&e);
		goto out;
	}
	if (!o.common.quiet) {
		bool known = feature_asof(f, &asof);

		diag_warn(
		    "%llu events, %zu customers, %llu rejected; asof %s%s",
		    (unsigned long long)rows, feature_customers(f),
		    (unsigned long long)rejects_count(rj),
		    known ? (civil_format_iso(when, asof), when) : "(none)",
		    o.asof == NULL && !o.merge ? " (the latest event)" : "");
	}
	if (cli_too_many_errors(&o.common, rejects_count(rj), rows))
		rc = CI_EXIT_DATA;
out:
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	feature_free(f);
	topics_release(&dict);
	ptrie_fold_release(&fold);
	tz_free(zone);
	strv_free(&o.channels);
	cli_common_release(&o.common);
	return cli_finish(rc);
}
