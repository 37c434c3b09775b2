/*
 * matchcfg: the match configuration of ci-dedupe (--config match.yaml),
 * read through yamlcfg so that every error names its line:
 *
 *   compare:                   the fields compared (default: every
 *     - column: name           canonical field the input has)
 *       kind: name             name, string, exact, phone, email, date,
 *                              number (default: the column's usual kind)
 *       similarity: jaro_winkler   or levenshtein, damerau
 *       close: 0.9             similarity at least, edits, days or
 *                              difference at most
 *       swap_day_month: true   dates
 *       term_frequency: true   exact matches of common values count less
 *   blocking:                  rules joined by OR; a rule's parts by +
 *     - phone
 *     - name + birth_date
 *   golden:                    how the golden record picks each field
 *     address: most_recent     most_recent, most_frequent, first
 */
#ifndef CI_MATCHCFG_H
#define CI_MATCHCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "mfield.h"

/* The most comparisons (fsmatch's fields) and blocking rules (a bit each
 * in ci-dedupe's pairs). */
#define MATCHCFG_MAX_COMPARE 32
#define MATCHCFG_MAX_RULES 32

enum matchcfg_golden { GOLDEN_FREQUENT, GOLDEN_RECENT, GOLDEN_FIRST };

struct matchcfg {
	struct mfield_spec *cmp; /* columns owned */
	size_t              ncmp;
	char              **rules; /* blocking rules as written */
	size_t              nrules;
	char              **gcol; /* golden columns and their rules */
	int                *grule;
	size_t              ngolden;
	bool                has_cmp, has_rules;
};

/* Read the file at path into *c.  Returns 0, or -1 with *e (CI_EXIT_IO
 * for an unreadable file, CI_EXIT_USAGE with the line otherwise). */
int matchcfg_load(struct matchcfg *c, const char *path, struct ci_err *e);

/* matchcfg_load() of the len bytes of YAML at text, named name in
 * messages.  On failure *c holds what was read so far: release it. */
int matchcfg_load_string(struct matchcfg *c, const char *name, const char *text,
    size_t len, struct ci_err *e);

/* The rule of a golden word ("most_recent"), or -1. */
int         matchcfg_golden_parse(const char *s);
const char *matchcfg_golden_name(int rule);

/* Free c; safe on a zeroed struct. */
void matchcfg_release(struct matchcfg *c);

#endif
