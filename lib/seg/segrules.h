/*
 * segrules: rule segments from a YAML file: an ordered list of named rules
 * whose conditions test any column of a row; the first rule that holds
 * names the row's segment, and a default names the rest.
 *
 *   column: segment              the output column (default "segment")
 *   default: other               the segment when no rule holds ("")
 *   rules:
 *     - name: vip                the segment this rule gives
 *       when:                    every entry must hold (and)
 *         clv: ">= 1000"
 *         rfm_segment: [champions, loyal]
 *     - name: win-back
 *       when:
 *         any:                   one of the entries must hold (or)
 *           - value_tier: churn-risk
 *           - churn_risk: 70..100
 *     - name: no-email
 *       when: { email: empty }
 *
 * The conditions are those of cond.h.  ci-segment(1) documents the
 * syntax for users.
 *
 * Every error in the file names its line; errors are CI_EXIT_USAGE.
 */
#ifndef CI_SEGRULES_H
#define CI_SEGRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct cond;

struct segrule {
	char         *name;
	unsigned long line;
	struct cond  *when; /* NULL: always holds */
};

struct segrules {
	char           *path;
	char           *column; /* the output column's name */
	char           *deflt;  /* "" when none */
	struct segrule *rules;
	size_t          n;
};

/*
 * Load and check the rules in the YAML file at path into *rs (which the
 * caller releases with segrules_release() either way).  Returns 0, or -1
 * with *e filled: CI_EXIT_IO when the file cannot be read, CI_EXIT_USAGE
 * naming the file and line of a YAML error, an unknown key, a missing
 * name, a condition of the wrong shape or an order test on a word.
 */
int segrules_load(struct segrules *rs, const char *path, struct ci_err *e);

/* As segrules_load(), from the len bytes at text, named name. */
int segrules_load_string(struct segrules *rs, const char *name,
    const char *text, size_t len, struct ci_err *e);

/*
 * Bind the column names of the conditions to the ncols columns cols (the
 * row's input and added columns).  Returns 0, or -1 with *e
 * (CI_EXIT_USAGE) naming the first unknown column, its line and the
 * columns there are.
 */
int segrules_bind(struct segrules *rs, const char *const *cols, size_t ncols,
    struct ci_err *e);

/*
 * The segment of a row whose fields are f[0..ncols-1] (NUL-terminated, as
 * bound): the name of the first rule that holds, or the default.  The
 * result is owned by rs.
 */
const char *segrules_eval(const struct segrules *rs, const char *const *f);

/* Free everything rs holds.  Safe on a zeroed struct. */
void segrules_release(struct segrules *rs);

#endif
