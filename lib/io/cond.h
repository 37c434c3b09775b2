/*
 * cond: the conditions of the YAML rule files (ci-segment's --rules,
 * ci-churn's --playbook), read from yamlcfg nodes into trees, bound to
 * column numbers, and evaluated row by row.
 *
 * A condition is a mapping whose entries must all hold.  An entry on a
 * column is a value (equal to it: as numbers when both are numbers, else
 * as text), "OP VALUE" with OP one of = == != < <= > >= (the order tests
 * compare numbers), "LOW..HIGH" (a number in that range, ends included,
 * each a finite number), a list of values (equal to one of them), "empty"
 * or "not empty".  "all" (a list of entries that must all hold, or one
 * mapping), "any" (a list of which one must hold) and "not" (a mapping
 * that must not hold) combine them, to any depth.  A number test on a
 * field that is empty or not a number fails.
 *
 * A caller may name a tag key (the playbook's "reason"): an entry on it is
 * a value or a list, and holds when one of the row's tags, given at
 * evaluation, equals one of them.
 *
 * Errors name the file and the line (CI_EXIT_USAGE).
 */
#ifndef CI_COND_H
#define CI_COND_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "yamlcfg.h"

struct cond;

/*
 * Read the condition mapping n of d, the conditions of what (the rule's
 * name, for messages), with tag_key (NULL: none) naming the tags, into
 * *out, to be freed with cond_free() either way.  Returns 0, or -1 with
 * *e naming the line of the first error.
 */
int cond_parse(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    const char *what, const char *tag_key, struct cond **out, struct ci_err *e);

/*
 * Bind the columns of c, a condition of the rule called rule in the file
 * path, to the ncols columns cols of the rows to come.  Returns 0, or -1
 * with *e naming the line of the first unknown column and the columns
 * there are.
 */
int cond_bind(struct cond *c, const char *path, const char *rule,
    const char *const *cols, size_t ncols, struct ci_err *e);

/*
 * Whether c holds for the row whose fields are f[0..ncols-1]
 * (NUL-terminated, as bound) and whose tags are tag[0..ntags-1] (NULL
 * entries skipped).
 */
bool cond_holds(const struct cond *c, const char *const *f,
    const char *const *tag, size_t ntags);

/* Free c.  Safe on NULL. */
void cond_free(struct cond *c);

#endif
