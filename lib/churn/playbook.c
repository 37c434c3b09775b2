/*
 * playbook: YAML rules (read through yamlcfg) turned into condition
 * trees, bound to column numbers, and evaluated row by row.  A mapping of
 * conditions is an "all" node with a child per entry.  Values are parsed
 * once, at load time, keeping their text and, for numbers, the number.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "numfmt.h"
#include "playbook.h"
#include "xalloc.h"
#include "yamlcfg.h"

enum pbop {
	PB_ALL,
	PB_ANY,
	PB_NOT,
	PB_EMPTY,
	PB_NOTEMPTY,
	PB_EQ,
	PB_NE,
	PB_LT,
	PB_LE,
	PB_GT,
	PB_GE,
	PB_RANGE,
	PB_IN,
	PB_REASON
};

struct pbval {
	char  *text;
	double num;
	bool   isnum;
};

struct pbcond {
	enum pbop      op;
	char          *colname;
	unsigned long  line;
	size_t         col;
	struct pbval  *v;
	size_t         nv;
	struct pbcond *kids;
	size_t         nkids;
};

static const struct {
	const char *op;
	enum pbop   code;
} ops[] = {
	{ ">=", PB_GE },
	{ "<=", PB_LE },
	{ "!=", PB_NE },
	{ "=", PB_EQ },
	{ "<", PB_LT },
	{ ">", PB_GT },
};

static void
set_val(struct pbval *v, const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	v->text = xmemdup(s, len);
	v->isnum = numfmt_parse(v->text, len, &v->num);
}

static int parse_map(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct pbcond *c, int depth, struct ci_err *e);

/* A test on column name from the value node n. */
static int
parse_test(const struct yamlcfg_doc *d, const char *name,
    const struct yamlcfg_node *n, struct pbcond *c, struct ci_err *e)
{
	const char *s, *dots;
	size_t      i, len;

	c->colname = xstrdup(name);
	c->line = n->line;
	if (n->type == YAMLCFG_SEQ) {
		c->op = strcmp(name, "reason") == 0 ? PB_REASON : PB_IN;
		c->v = xcalloc(n->n ? n->n : 1, sizeof(*c->v));
		for (i = 0; i < n->n; i++) {
			if (n->items[i]->type != YAMLCFG_SCALAR)
				return yamlcfg_error(d, n->items[i], e,
				    "a list of values for '%s' holds "
				    "something else",
				    name);
			set_val(&c->v[c->nv++], n->items[i]->scalar,
			    strlen(n->items[i]->scalar));
		}
		return 0;
	}
	if (n->type != YAMLCFG_SCALAR)
		return yamlcfg_error(d, n, e,
		    "the condition on '%s' is a mapping; want a value, a "
		    "test or a list",
		    name);
	s = n->scalar;
	len = strlen(s);
	c->v = xcalloc(2, sizeof(*c->v));
	if (strcmp(name, "reason") == 0) {
		c->op = PB_REASON;
		set_val(&c->v[c->nv++], s, len);
		return 0;
	}
	if (n->plain && strcmp(s, "empty") == 0) {
		c->op = PB_EMPTY;
		return 0;
	}
	if (n->plain && strcmp(s, "not empty") == 0) {
		c->op = PB_NOTEMPTY;
		return 0;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t ol = strlen(ops[i].op);

		if (strncmp(s, ops[i].op, ol) != 0)
			continue;
		c->op = ops[i].code;
		set_val(&c->v[c->nv++], s + ol, len - ol);
		if (c->op >= PB_LT && c->op <= PB_GE && !c->v[0].isnum)
			return yamlcfg_error(d, n, e,
			    "'%s' compares '%s' with a word, not a number", s,
			    name);
		return 0;
	}
	if ((dots = strstr(s, "..")) != NULL) {
		set_val(&c->v[0], s, (size_t)(dots - s));
		set_val(&c->v[1], dots + 2, len - (size_t)(dots - s) - 2);
		c->nv = 2;
		if (c->v[0].isnum && c->v[1].isnum) {
			c->op = PB_RANGE;
			return 0;
		}
		free(c->v[0].text);
		free(c->v[1].text);
		c->nv = 0;
	}
	c->op = PB_EQ;
	set_val(&c->v[c->nv++], s, len);
	return 0;
}

/* A list of condition maps under "all" or "any". */
static int
parse_list(const struct yamlcfg_doc *d, const char *key,
    const struct yamlcfg_node *n, struct pbcond *c, int depth, struct ci_err *e)
{
	size_t i;

	c->op = strcmp(key, "all") == 0 ? PB_ALL : PB_ANY;
	c->line = n->line;
	if (n->type != YAMLCFG_SEQ)
		return yamlcfg_error(
		    d, n, e, "'%s' wants a list of conditions", key);
	c->kids = xcalloc(n->n ? n->n : 1, sizeof(*c->kids));
	for (i = 0; i < n->n; i++) {
		c->nkids++;
		if (parse_map(d, n->items[i], &c->kids[i], depth + 1, e) < 0)
			return -1;
	}
	return 0;
}

static int
parse_map(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct pbcond *c, int depth, struct ci_err *e)
{
	size_t i;

	c->op = PB_ALL;
	c->line = n->line;
	if (depth > YAMLCFG_MAX_DEPTH)
		return yamlcfg_error(d, n, e, "conditions nested too deep");
	if (n->type != YAMLCFG_MAP)
		return yamlcfg_error(
		    d, n, e, "a condition is a mapping of column: test");
	c->kids = xcalloc(n->n ? n->n : 1, sizeof(*c->kids));
	for (i = 0; i < n->n; i++) {
		const char                *k = n->keys[i];
		struct pbcond             *kid = &c->kids[i];
		const struct yamlcfg_node *v = n->items[i];
		int                        rc;

		c->nkids++;
		if (strcmp(k, "all") == 0 || strcmp(k, "any") == 0)
			rc = parse_list(d, k, v, kid, depth, e);
		else if (strcmp(k, "not") == 0) {
			kid->op = PB_NOT;
			kid->line = v->line;
			kid->kids = xcalloc(1, sizeof(*kid->kids));
			kid->nkids = 1;
			rc = parse_map(d, v, kid->kids, depth + 1, e);
		} else
			rc = parse_test(d, k, v, kid, e);
		if (rc < 0)
			return -1;
	}
	return 0;
}

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
		ru->when = xcalloc(1, sizeof(*ru->when));
		if (parse_map(d, w, ru->when, 0, e) < 0)
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

static int
bind(const struct playbook *pb, struct pbcond *c, const char *const *cols,
    size_t ncols, struct ci_err *e)
{
	size_t i;

	for (i = 0; i < c->nkids; i++)
		if (bind(pb, &c->kids[i], cols, ncols, e) < 0)
			return -1;
	if (c->colname == NULL || c->op == PB_REASON)
		return 0;
	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i], c->colname) == 0) {
			c->col = i;
			return 0;
		}
	{
		struct buf b = { 0 };

		for (i = 0; i < ncols; i++)
			buf_addf(&b, "%s'%s'", i ? ", " : "", cols[i]);
		ci_err_set(e, CI_EXIT_USAGE, pb->path, c->line,
		    "no column '%s' for this condition; columns are: %s",
		    c->colname, buf_str(&b));
		buf_release(&b);
	}
	return -1;
}

int
playbook_bind(struct playbook *pb, const char *const *cols, size_t ncols,
    struct ci_err *e)
{
	size_t i;

	for (i = 0; i < pb->n; i++)
		if (pb->rules[i].when != NULL &&
		    bind(pb, pb->rules[i].when, cols, ncols, e) < 0)
			return -1;
	return 0;
}

static bool
equal(const struct pbval *v, const char *f, bool fnum, double x)
{
	if (v->isnum && fnum)
		return v->num == x;
	return strcmp(v->text, f) == 0;
}

static bool
holds(const struct pbcond *c, const char *const *f, const char *const *reason,
    size_t nreason)
{
	const char *s = c->colname && c->op != PB_REASON ? f[c->col] : NULL;
	double      x = 0;
	bool        num = s != NULL && numfmt_parse(s, strlen(s), &x);
	size_t      i, j;

	switch (c->op) {
	case PB_ALL:
		for (i = 0; i < c->nkids; i++)
			if (!holds(&c->kids[i], f, reason, nreason))
				return false;
		return true;
	case PB_ANY:
		for (i = 0; i < c->nkids; i++)
			if (holds(&c->kids[i], f, reason, nreason))
				return true;
		return false;
	case PB_NOT:
		return !holds(&c->kids[0], f, reason, nreason);
	case PB_EMPTY:
		return s[0] == '\0';
	case PB_NOTEMPTY:
		return s[0] != '\0';
	case PB_EQ:
		return equal(&c->v[0], s, num, x);
	case PB_NE:
		return !equal(&c->v[0], s, num, x);
	case PB_LT:
		return num && x < c->v[0].num;
	case PB_LE:
		return num && x <= c->v[0].num;
	case PB_GT:
		return num && x > c->v[0].num;
	case PB_GE:
		return num && x >= c->v[0].num;
	case PB_RANGE:
		return num && x >= c->v[0].num && x <= c->v[1].num;
	case PB_IN:
		for (i = 0; i < c->nv; i++)
			if (equal(&c->v[i], s, num, x))
				return true;
		return false;
	case PB_REASON:
		for (i = 0; i < c->nv; i++)
			for (j = 0; j < nreason; j++)
				if (reason[j] != NULL &&
				    strcmp(reason[j], c->v[i].text) == 0)
					return true;
		return false;
	}
	return false;
}

const char *
playbook_eval(const struct playbook *pb, const char *const *f,
    const char *const *reason, size_t nreason)
{
	size_t i;

	for (i = 0; i < pb->n; i++)
		if (pb->rules[i].when == NULL ||
		    holds(pb->rules[i].when, f, reason, nreason))
			return pb->rules[i].action;
	return pb->deflt;
}

static void
free_cond(struct pbcond *c)
{
	size_t i;

	for (i = 0; i < c->nkids; i++)
		free_cond(&c->kids[i]);
	free(c->kids);
	for (i = 0; i < c->nv; i++)
		free(c->v[i].text);
	free(c->v);
	free(c->colname);
}

void
playbook_release(struct playbook *pb)
{
	size_t i;

	for (i = 0; i < pb->n; i++) {
		free(pb->rules[i].action);
		if (pb->rules[i].when != NULL)
			free_cond(pb->rules[i].when);
		free(pb->rules[i].when);
	}
	free(pb->rules);
	free(pb->path);
	free(pb->column);
	free(pb->deflt);
	memset(pb, 0, sizeof(*pb));
}
