/*
 * ci-ingest reads exports from one or more source systems (CSV or NDJSON)
 * and writes clean canonical customer and event records: columns mapped to
 * canonical fields, values normalised, personal data masked or
 * pseudonymised on request, bad rows kept in the rejects and every problem
 * counted in the quality report.  With --raw it only converts CSV to
 * NDJSON or back.
 */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "civil.h"
#include "cli.h"
#include "diag.h"
#include "ingest.h"
#include "pseudo.h"
#include "rejects.h"
#include "srcmap.h"
#include "strv.h"
#include "timeparse.h"

static const char usage_text[] =
    "usage: ci-ingest [-q] [--kind customer | event] [--source name]\n"
    "                 [--col field=column ...] [--map file]\n"
    "                 [--value field:from=to ...] [--date-order dmy | mdy]\n"
    "                 [--tz zone] [--region cc] [--decimal-comma]\n"
    "                 [--asof date] [--mask field ...]\n"
    "                 [--pseudonymize field ...] [--key-file file]\n"
    "                 [--drop field ...] [--keep field ...]\n"
    "                 [--sentiment] [--lexicon file] [--topics file]\n"
    "                 [--customers file] [--events file] [--quality file]\n"
    "                 [--notes file] [common options] [file ...]\n"
    "       ci-ingest --raw [-q] [--drop field ...] [--keep field ...]\n"
    "                 [--mask field ...] [common options] [file ...]\n";

static const char options_text[] =
    "\n"
    "  --kind customer|event   what the input holds (without --map)\n"
    "  --source NAME           source system name (default: file name;\n"
    "                          each row's with --col source=COLUMN)\n"
    "  --map FILE              YAML source map: files, kinds, columns\n"
    "  --value FIELD:FROM=TO   map a source's word to a canonical value\n"
    "  --date-order dmy|mdy    order of ambiguous D/M/Y dates\n"
    "  --tz ZONE               zone of times written without one (UTC)\n"
    "  --region CC             default phone region (CN)\n"
    "  --decimal-comma         amounts are written 1.234,50\n"
    "  --asof DATE             latest plausible birth date (today)\n"
    "  --mask FIELD[,...]      keep a prefix and suffix, hide the rest\n"
    "  --pseudonymize F[,...]  replace by keyed HMAC-SHA-256 (--key-file)\n"
    "  --key-file FILE         secret key for --pseudonymize\n"
    "  --drop FIELD[,...]      leave the column out\n"
    "  --keep FIELD[,...]      keep only the columns named\n"
    "  --sentiment             score the text of events: sentiment, topics\n"
    "  --lexicon FILE          opinion words to add (TSV: word, weight)\n"
    "  --topics FILE           topic dictionary to use (TSV: topic, word)\n"
    "  --customers FILE        write customer records to FILE\n"
    "  --events FILE           write event records to FILE\n"
    "  --quality FILE          write the data-quality report (JSON)\n"
    "  --notes FILE            list every value emptied or rounded\n"
    "  --raw                   convert only: CSV to NDJSON or back\n"
    "\n" CLI_COMMON_HELP "\n"
    "See ci-ingest(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

enum {
	OPT_ASOF = CLI_OPT_TOOL,
	OPT_CUSTOMERS,
	OPT_DATE_ORDER,
	OPT_DECIMAL_COMMA,
	OPT_DROP,
	OPT_EVENTS,
	OPT_KEEP,
	OPT_KEY_FILE,
	OPT_KIND,
	OPT_LEXICON,
	OPT_MAP,
	OPT_MASK,
	OPT_NOTES,
	OPT_PSEUDONYMIZE,
	OPT_QUALITY,
	OPT_RAW,
	OPT_REGION,
	OPT_SENTIMENT,
	OPT_SOURCE,
	OPT_TOPICS,
	OPT_TZ,
	OPT_VALUE
};

static const struct option longopts[] = {
	{ "asof", required_argument, NULL, OPT_ASOF },
	{ "customers", required_argument, NULL, OPT_CUSTOMERS },
	{ "date-order", required_argument, NULL, OPT_DATE_ORDER },
	{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "mask", required_argument, NULL, OPT_MASK },
	{ "notes", required_argument, NULL, OPT_NOTES },
	{ "pseudonymize", required_argument, NULL, OPT_PSEUDONYMIZE },
	{ "quality", required_argument, NULL, OPT_QUALITY },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "region", required_argument, NULL, OPT_REGION },
	{ "sentiment", no_argument, NULL, OPT_SENTIMENT },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "topics", required_argument, NULL, OPT_TOPICS },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "value", required_argument, NULL, OPT_VALUE },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct cli_common      common;
	struct ingest_opts     io;
	struct srcmap_defaults defaults;
	int                    kind; /* enum ci_kind, or -1 */
	const char            *source;
	const char            *map;
	const char            *key_file;
	const char            *asof;
	struct strv            values;
	const char            *not_raw; /* the first option --raw refuses */
};

static const char *const date_orders[] = { "dmy", "mdy", NULL };

static void
parse_args(struct opts *o, int argc, char *argv[])
{
	/* The options that only keep their value. */
	const char **keep[] = {
		[OPT_ASOF - CLI_OPT_TOOL] = &o->asof,
		[OPT_CUSTOMERS - CLI_OPT_TOOL] = &o->io.out[CI_KIND_CUSTOMER],
		[OPT_EVENTS - CLI_OPT_TOOL] = &o->io.out[CI_KIND_EVENT],
		[OPT_KEY_FILE - CLI_OPT_TOOL] = &o->key_file,
		[OPT_LEXICON - CLI_OPT_TOOL] = &o->io.lexicon,
		[OPT_MAP - CLI_OPT_TOOL] = &o->map,
		[OPT_NOTES - CLI_OPT_TOOL] = &o->io.notes,
		[OPT_QUALITY - CLI_OPT_TOOL] = &o->io.quality,
		[OPT_REGION - CLI_OPT_TOOL] = &o->defaults.region,
		[OPT_SOURCE - CLI_OPT_TOOL] = &o->source,
		[OPT_TOPICS - CLI_OPT_TOOL] = &o->io.topics,
		[OPT_TZ - CLI_OPT_TOOL] = &o->defaults.tz,
	};
	int          ch, k, idx;
	enum ci_kind kind;

	while ((ch = cli_getopt(argc, argv, "hq", longopts, &idx)) != -1) {
		if (o->not_raw == NULL && ch >= CLI_OPT_TOOL && ch != OPT_RAW &&
		    ch != OPT_DROP && ch != OPT_KEEP && ch != OPT_MASK)
			o->not_raw = longopts[idx].name;
		k = ch - CLI_OPT_TOOL;
		if (k >= 0 && k < (int)(sizeof(keep) / sizeof(keep[0])) &&
		    keep[k] != NULL) {
			*keep[k] = optarg;
			continue;
		}
		switch (ch) {
		case OPT_DATE_ORDER:
			o->defaults.order = cli_word_arg("--date-order", optarg,
			                        date_orders) == 0
			    ? TP_ORDER_DMY
			    : TP_ORDER_MDY;
			break;
		case OPT_DECIMAL_COMMA:
			o->defaults.decimal_comma = true;
			break;
		case OPT_DROP:
			strv_add(&o->io.drop, optarg, true);
			break;
		case OPT_KEEP:
			strv_add(&o->io.keep, optarg, true);
			break;
		case OPT_KIND:
			if (schema_kind_parse(optarg, &kind) < 0)
				cli_usage_error(
				    "bad value '%s' for --kind: want "
				    "'customer' or 'event'",
				    optarg);
			o->kind = (int)kind;
			break;
		case OPT_MASK:
			strv_add(&o->io.mask, optarg, true);
			break;
		case OPT_PSEUDONYMIZE:
			strv_add(&o->io.pseudonymize, optarg, true);
			break;
		case OPT_RAW:
			o->io.raw = true;
			break;
		case OPT_SENTIMENT:
			o->io.sentiment = true;
			break;
		case OPT_VALUE:
			strv_add(&o->values, optarg, false);
			break;
		default:
			if (cli_common_opt(&o->common, &prog, ch, optarg) < 0)
				cli_usage_error(NULL);
		}
	}
	cli_operands(&o->common, argc, argv);
	cli_output(&o->common, "--customers", o->io.out[CI_KIND_CUSTOMER]);
	cli_output(&o->common, "--events", o->io.out[CI_KIND_EVENT]);
	cli_output(&o->common, "--quality", o->io.quality);
	cli_output(&o->common, "--notes", o->io.notes);
	if (o->io.raw && (o->not_raw != NULL || o->common.cols.n > 0))
		cli_usage_error("--raw converts only: it takes --drop, --keep, "
		                "--mask and the common options, not --%s",
		    o->not_raw != NULL ? o->not_raw : "col");
	if (o->map != NULL && (o->kind >= 0 || o->common.cols.n > 0))
		cli_usage_error(
		    "--kind and --col describe a source without a map; put "
		    "them in the map file instead");
	if (!o->io.raw && o->map == NULL && o->kind < 0)
		cli_usage_error(
		    "say what the input holds with --kind customer|event, "
		    "or describe the sources with --map FILE");
	if (o->io.pseudonymize.n > 0 && o->key_file == NULL)
		cli_usage_error("--pseudonymize needs --key-file");
	o->io.in = o->common.in;
	o->io.format = o->common.out_format;
	o->io.rejects = o->common.rejects;
}

/* The day --asof names, or today by the clock. */
static int64_t
asof_day(const char *asof)
{
	const char *why;
	int64_t     t = (int64_t)time(NULL);

	if (asof != NULL && timeparse_asof(asof, NULL, &t, &why) < 0)
		cli_usage_error("bad value '%s' for --asof: %s", asof, why);
	return civil_day(t);
}

/* Build the sources: from the map, or one from the command line. */
static int
load_sources(const struct opts *o, struct srcmap *m, struct ci_err *e)
{
	size_t i;
	int    rc = o->map != NULL
	       ? srcmap_load(m, o->map, &o->defaults, e)
	       : srcmap_add_cli(m, (enum ci_kind)o->kind, o->source,
	             &o->common.in.opts, (const char *const *)o->common.cols.v,
	             o->common.cols.n, &o->defaults, e);

	for (i = 0; rc == 0 && i < o->values.n; i++)
		rc = srcmap_add_value(m, o->values.v[i], e);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts         o = { .kind = -1 };
	struct ingest_stats st = { 0 };
	struct srcmap       map = { 0 };
	struct pseudo_key   key = { 0 };
	struct rejects     *rj = NULL;
	struct ci_err       e = { 0 };
	int                 rc = CI_EXIT_OK;

	cli_common_init(&o.common);
	parse_args(&o, argc, argv);
	o.io.today = asof_day(o.asof);
	o.io.map = &map;
	o.io.key = &key;
	if ((!o.io.raw && load_sources(&o, &map, &e) < 0) ||
	    (o.key_file != NULL && pseudo_key_load(&key, o.key_file, &e) < 0) ||
	    (o.source != NULL && o.map != NULL &&
	        (o.io.force = srcmap_find(&map, o.source)) == NULL &&
	        ci_err_set(&e, CI_EXIT_USAGE, o.map, 0,
	            "no source '%s' in the map", o.source) < 0) ||
	    ingest_guard(&o.io, &st.notes, &e) < 0 ||
	    (rj = rejects_open(o.common.rejects, stderr, &e)) == NULL) {
		diag_lines(buf_str(&st.notes));
		rc = diag_report(&e);
		goto out;
	}
	if (ingest_run(&o.io, rj, &st, &e) < 0) {
		diag_lines(buf_str(&st.notes));
		rc = diag_report(&e);
		goto out;
	}
	diag_lines(buf_str(&st.notes));
	if (!o.common.quiet) {
		buf_reset(&st.notes);
		ingest_summary(&o.io, &st, rejects_count(rj), &st.notes);
		diag_lines(buf_str(&st.notes));
	}
	if (cli_too_many_errors(&o.common, rejects_count(rj), st.rows))
		rc = CI_EXIT_DATA;
out:
	if (rejects_close(rj, &e) < 0)
		rc = diag_report(&e);
	buf_release(&st.notes);
	srcmap_release(&map);
	pseudo_key_release(&key);
	cli_common_release(&o.common);
	strv_free(&o.values);
	strv_free(&o.io.mask);
	strv_free(&o.io.pseudonymize);
	strv_free(&o.io.drop);
	strv_free(&o.io.keep);
	return cli_finish(rc);
}
