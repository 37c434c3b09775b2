/*
 * playbook: the playbook read through yamlcfg, each rule's conditions a
 * cond tree whose tag key is "reason".
 */
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "playbook.h"
#include "xalloc.h"
#include "yamlcfg.h"

static int
load(struct playbook *pb, struct yamlcfg_doc *d, struct ci_err *e)
{
	static const char *const top[] = { "column", "default", "rules", NULL };
	static const char *const rule[] = { "action", "when", NULL };
	const struct yamlcfg_node *r = d->root, *rules, *v;
	size_t                     i;

	pb->path = xstrdup(d->path);
	if (r == NULL || r->type != YAMLCFG_MAP)
		return ci_err_set(e, CI_EXIT_USAGE, d->path, r ? r->line : 1,
		    "a playbook is a mapping with 'rules'");
	if (yamlcfg_check_keys(d, r, "the playbook", top, e) < 0)
		return -1;
	pb->column = xstrdup("action");
	pb->deflt = xstrdup("");
	if ((v = yamlcfg_get(r, "column")) != NULL) {
		const char *s = yamlcfg_scalar(d, v, "'column'", e);

		if (s == NULL)
			return -1;
		free(pb->column);
		pb->column = xstrdup(s);
	}
	if ((v = yamlcfg_get(r, "default")) != NULL) {
		const char *s = yamlcfg_scalar(d, v, "'default'", e);

		if (s == NULL)
			return -1;
		free(pb->deflt);
		pb->deflt = xstrdup(s);
	}
	if ((rules = yamlcfg_get(r, "rules")) == NULL)
		return yamlcfg_error(d, r, e, "the playbook has no 'rules'");
	if (rules->type != YAMLCFG_SEQ)
		return yamlcfg_error(d, rules, e, "'rules' wants a list");
	pb->rules = xcalloc(rules->n ? rules->n : 1, sizeof(*pb->rules));
	for (i = 0; i < rules->n; i++) {
		const struct yamlcfg_node *n = rules->items[i], *a, *w;
		struct playbook_rule      *ru = &pb->rules[i];

		pb->n++;
		ru->line = n->line;
		if (n->type != YAMLCFG_MAP)
			return yamlcfg_error(d, n, e,
			    "a rule is a mapping with 'action' and 'when'");
		if (yamlcfg_check_keys(d, n, "a rule", rule, e) < 0)
			return -1;
		if ((a = yamlcfg_get(n, "action")) == NULL)
			return yamlcfg_error(d, n, e, "a rule has no 'action'");
		if (yamlcfg_scalar(d, a, "'action'", e) == NULL)
			return -1;
		ru->action = xstrdup(a->scalar);
		if ((w = yamlcfg_get(n, "when")) == NULL)
			continue;
		if (cond_parse(d, w, ru->action, "reason", &ru->when, e) < 0)
			return -1;
	}
	return 0;
}

int
playbook_load(struct playbook *pb, const char *path, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };
	int                rc = -1;

	if (yamlcfg_load(&d, path, e) == 0)
		rc = load(pb, &d, e);
	yamlcfg_release(&d);
	return rc;
}

int
playbook_load_string(struct playbook *pb, const char *name, const char *text,
    size_t len, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };
	int                rc = -1;

	if (yamlcfg_load_string(&d, name, text, len, e) == 0)
		rc = load(pb, &d, e);
	yamlcfg_release(&d);
	return rc;
}

int
playbook_bind(struct playbook *pb, const char *const *cols, size_t ncols,
    struct ci_err *e)
{
	size_t i;

	for (i = 0; i < pb->n; i++)
		if (pb->rules[i].when != NULL &&
		    cond_bind(pb->rules[i].when, pb->path, pb->rules[i].action,
		        cols, ncols, e) < 0)
			return -1;
	return 0;
}

const char *
playbook_eval(const struct playbook *pb, const char *const *f,
    const char *const *reason, size_t nreason)
{
	size_t i;

	for (i = 0; i < pb->n; i++)
		if (pb->rules[i].when == NULL ||
		    cond_holds(pb->rules[i].when, f, reason, nreason))
			return pb->rules[i].action;
	return pb->deflt;
}

void
playbook_release(struct playbook *pb)
{
	size_t i;

	for (i = 0; i < pb->n; i++) {
		free(pb->rules[i].action);
		cond_free(pb->rules[i].when);
	}
	free(pb->rules);
	free(pb->path);
	free(pb->column);
	free(pb->deflt);
	memset(pb, 0, sizeof(*pb));
}
