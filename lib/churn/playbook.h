/*
 * playbook: the retention playbook, a YAML file of ordered rules that
 * give each scored customer an action; the first rule that holds wins.
 *
 *   column: action                  the output column (default "action")
 *   default: no action              the action when no rule holds ("")
 *   rules:
 *     - action: VIP call within 24h
 *       when:                       every entry must hold (and)
 *         risk_band: [high, critical]
 *         value_tier: top
 *     - action: satisfaction follow-up
 *       when:
 *         reason: [complaints_90d, rating_mean_90d]
 *     - action: 15% coupon
 *       when:
 *         any:                      one of the entries must hold (or)
 *           - churn_risk: ">= 60"
 *           - risk_band: critical
 *
 * The conditions are those of cond.h, ci-segment's rules' too, with the
 * tag key "reason": "reason: COL" (or a list) holds when one of the row's
 * reasons is about column COL.
 *
 * Every error names the file and the line of the YAML (CI_EXIT_USAGE).
 */
#ifndef CI_PLAYBOOK_H
#define CI_PLAYBOOK_H

#include <stddef.h>

#include "diag.h"

struct cond;

struct playbook_rule {
	char         *action;
	unsigned long line;
	struct cond  *when; /* NULL: always holds */
};

struct playbook {
	char                 *path;
	char                 *column;
	char                 *deflt;
	struct playbook_rule *rules;
	size_t                n;
};

/*
 * Load the playbook at path into *pb (released by the caller either way).
 * Returns 0, or -1 with *e: CI_EXIT_IO when it cannot be read,
 * CI_EXIT_USAGE with the file and line of a YAML error, an unknown key, a
 * rule without an action, a condition of the wrong shape or an order test
 * on a word.
 */
int playbook_load(struct playbook *pb, const char *path, struct ci_err *e);

/* As playbook_load(), from the len bytes at text, named name. */
int playbook_load_string(struct playbook *pb, const char *name,
    const char *text, size_t len, struct ci_err *e);

/*
 * Bind the conditions' columns to the ncols columns cols of the rows to
 * come.  Returns 0, or -1 with *e (CI_EXIT_USAGE) naming the line of the
 * first unknown column and the columns there are.
 */
int playbook_bind(struct playbook *pb, const char *const *cols, size_t ncols,
    struct ci_err *e);

/*
 * The action for the row f[0..ncols-1] (as bound) whose reasons are about
 * the columns reason[0..nreason-1]: the first rule's that holds, or the
 * default.  Owned by pb.
 */
const char *playbook_eval(const struct playbook *pb, const char *const *f,
    const char *const *reason, size_t nreason);

/* Free pb.  Safe on a zeroed struct. */
void playbook_release(struct playbook *pb);

#endif
