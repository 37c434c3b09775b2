/*
 * ingest: the engine of ci-ingest.  It reads exports from several source
 * systems, binds their columns to the canonical fields of customer and
 * event records by name, normalises every value (names, e-mail, phones,
 * ID numbers, dates, timestamps, amounts, vocabularies), applies the
 * privacy options, and writes one stream per kind, with bad rows kept in
 * the rejects and every problem counted for the quality report.
 *
 * In raw mode it only converts: every column of every input is kept and
 * values are untouched but for the reader's checks (UTF-8, field count).
 */
#ifndef CI_INGEST_H
#define CI_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "parread.h"
#include "pseudo.h"
#include "quality.h"
#include "recin.h"
#include "rejects.h"
#include "schema.h"
#include "srcmap.h"
#include "strv.h"

struct ingest_opts {
	const struct srcmap        *map;   /* NULL in raw mode */
	const struct srcmap_source *force; /* read every input as this */
	struct parread_files        in;    /* operands (none: see below); the
	                                   reading options in raw mode */
	bool                        raw;
	const char                 *out[CI_KIND_COUNT]; /* NULL: stdout */
	enum rec_fmt                format;  /* REC_FMT_AUTO: see below */
	const char                 *quality; /* report path, or NULL */
	const char                 *notes;   /* every value emptied, or NULL */
	struct strv                 mask;    /* field names, for each option */
	struct strv                 pseudonymize;
	struct strv                 drop;
	struct strv                 keep;    /* none: every column */
	const struct pseudo_key    *key;     /* for pseudonymize */
	const char                 *rejects; /* its path, kept off the inputs */
	int64_t                     today;   /* days: latest plausible birth */
	bool                        sentiment; /* score every event source */
	const char                 *lexicon;   /* added to the built-in one */
	const char                 *topics;    /* replaces the built-in one */
};

struct ingest_stats {
	uint64_t    rows; /* rows read, rejected ones included */
	uint64_t    written[CI_KIND_COUNT];
	uint64_t    rejected;
	uint64_t    emptied; /* optional values dropped as unusable */
	uint64_t    blank_lines;
	size_t      files;
	enum qlight light;
	struct buf  notes; /* lines for stderr ("'x.csv' is empty") */
};

/*
 * Run.  Inputs are the operands, each read as the source o->force, or the
 * first source whose file patterns match it, or the map's only source when
 * it has no patterns; with no operands, the files matching the sources'
 * patterns, or stdin.  Output goes to o->out[kind] for each kind read
 * (stdout when only one kind is read and no path is given), in o->format,
 * else in the first input's format (raw mode: CSV becomes NDJSON and
 * NDJSON CSV).  Bad rows go to rj.
 *
 * Events of a source scored for sentiment (o->sentiment, or the source's
 * own setting) gain the columns sentiment and topics after the canonical
 * fields (lib/voc): the score of the text, rounded to 3 decimals, and the
 * topics it names; both empty without text, the score also when the
 * text holds no opinion.
 *
 * Returns 0 with *st filled (release st->notes), or -1 with *e filled:
 * CI_EXIT_USAGE for a missing column, an impossible request or a bad
 * lexicon or topic file, CI_EXIT_IO for a file that cannot be read or
 * written.
 */
int ingest_run(const struct ingest_opts *o, struct rejects *rj,
    struct ingest_stats *st, struct ci_err *e);

/*
 * Before anything is opened for writing: find the inputs as ingest_run()
 * will, and refuse an output (customers, events, quality, rejects) that is
 * one of them.  Returns 0, or -1 with *e (CI_EXIT_USAGE) and what the
 * search for inputs found to say in notes ("no files match ...").
 */
int
ingest_guard(const struct ingest_opts *o, struct buf *notes, struct ci_err *e);

/*
 * Append the one-line summary of a run to out: rows and files read, what
 * was written, rejected and emptied, and the quality light.
 */
void ingest_summary(const struct ingest_opts *o, const struct ingest_stats *st,
    uint64_t rejected, struct buf *out);

#endif
