/*
 * segrules: the rules file read through yamlcfg, each rule's conditions
 * a cond tree.
 */
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "segrules.h"
#include "xalloc.h"
#include "yamlcfg.h"

static int
parse_rule(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct segrule *r, struct ci_err *e)
{
	static const char *const   known[] = { "name", "when", "description",
		  NULL };
	const struct yamlcfg_node *name, *when;
	const char                *s;

	r->line = n->line;
	if (n->type != YAMLCFG_MAP)
		return yamlcfg_error(
		    d, n, e, "a rule must be a mapping with 'name' and 'when'");
	if (yamlcfg_check_keys(d, n, "a rule", known, e) < 0)
		return -1;
	if ((name = yamlcfg_get(n, "name")) == NULL)
		return yamlcfg_error(d, n, e, "the rule has no 'name'");
	if ((s = yamlcfg_scalar(d, name, "'name'", e)) == NULL)
		return -1;
	if (*s == '\0')
		return yamlcfg_error(d, name, e, "the rule's 'name' is empty");
	r->name = xstrdup(s);
	if ((when = yamlcfg_get(n, "when")) == NULL)
		return 0;
	return cond_parse(d, when, r->name, NULL, &r->when, e);
}

static int
parse_doc(struct segrules *rs, const struct yamlcfg_doc *d, struct ci_err *e)
{
	static const char *const   known[] = { "column", "default", "rules",
		  NULL };
	const struct yamlcfg_node *root = d->root, *n;
	const char                *s;
	size_t                     i;

	if (root == NULL)
		return ci_err_set(
		    e, CI_EXIT_USAGE, d->path, 1, "no rules in the file");
	if (root->type != YAMLCFG_MAP)
		return yamlcfg_error(d, root, e,
		    "the file must be a mapping with 'rules' (and 'column', "
		    "'default')");
	if (yamlcfg_check_keys(d, root, "the rules file", known, e) < 0)
		return -1;
	if ((n = yamlcfg_get(root, "column")) != NULL) {
		if ((s = yamlcfg_scalar(d, n, "'column'", e)) == NULL)
			return -1;
		if (*s == '\0')
			return yamlcfg_error(d, n, e, "'column' is empty");
		if (strcmp(s, "customer_id") == 0)
			return yamlcfg_error(d, n, e,
			    "'column' must not be customer_id, the key of "
			    "every row");
		free(rs->column);
		rs->column = xstrdup(s);
	}
	if ((n = yamlcfg_get(root, "default")) != NULL) {
		if ((s = yamlcfg_scalar(d, n, "'default'", e)) == NULL)
			return -1;
		free(rs->deflt);
		rs->deflt = xstrdup(s);
	}
	n = yamlcfg_get(root, "rules");
	if (n == NULL)
		return yamlcfg_error(d, root, e, "the file has no 'rules'");
	if (n->type != YAMLCFG_SEQ || n->n == 0)
		return yamlcfg_error(
		    d, n, e, "'rules' must be a list of one rule or more");
	rs->rules = xcalloc(n->n, sizeof(*rs->rules));
	rs->n = n->n;
	for (i = 0; i < n->n; i++)
		if (parse_rule(d, n->items[i], &rs->rules[i], e) < 0)
			return -1;
	return 0;
}

static int
load(struct segrules *rs, struct yamlcfg_doc *d, int rc, struct ci_err *e)
{
	if (rc == 0) {
		rs->path = xstrdup(d->path);
		rc = parse_doc(rs, d, e);
	}
	yamlcfg_release(d);
	return rc;
}

static void
init(struct segrules *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->column = xstrdup("segment");
	rs->deflt = xstrdup("");
}

int
segrules_load(struct segrules *rs, const char *path, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };

	init(rs);
	return load(rs, &d, yamlcfg_load(&d, path, e), e);
}

int
segrules_load_string(struct segrules *rs, const char *name, const char *text,
    size_t len, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };

	init(rs);
	return load(rs, &d, yamlcfg_load_string(&d, name, text, len, e), e);
}

int
segrules_bind(struct segrules *rs, const char *const *cols, size_t ncols,
    struct ci_err *e)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i].when != NULL &&
		    cond_bind(rs->rules[i].when, rs->path, rs->rules[i].name,
		        cols, ncols, e) < 0)
			return -1;
	return 0;
}

const char *
segrules_eval(const struct segrules *rs, const char *const *f)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i].when == NULL ||
		    cond_holds(rs->rules[i].when, f, NULL, 0))
			return rs->rules[i].name;
	return rs->deflt;
}

void
segrules_release(struct segrules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		cond_free(rs->rules[i].when);
		free(rs->rules[i].name);
	}
	free(rs->rules);
	free(rs->path);
	free(rs->column);
	free(rs->deflt);
	memset(rs, 0, sizeof(*rs));
}
