/*
 * cond: condition trees from YAML.  A mapping is an "all" node with one
 * child per entry; the combinators and the tests on columns are its
 * children.  Values are parsed once, at load time: each keeps its text
 * and, when it is a number, the number.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cond.h"
#include "numfmt.h"
#include "xalloc.h"

enum cop {
	OP_ALL,
	OP_ANY,
	OP_NOT,
	OP_EMPTY,
	OP_NOTEMPTY,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_RANGE,
	OP_IN,
	OP_TAG
};

struct condval {
	char  *text;
	double num;
	bool   isnum;
};

struct cond {
	enum cop        op;
	char           *colname; /* tests on a column */
	unsigned long   line;
	size_t          col;
	struct condval *v; /* EQ, NE, order tests: 1; RANGE: 2; IN, TAG: nv */
	size_t          nv;
	struct cond    *kids; /* ALL, ANY: nkids; NOT: 1 */
	size_t          nkids;
};

/* What the parsing needs besides the node. */
struct parse {
	const struct yamlcfg_doc *d;
	const char               *tag_key; /* NULL: none */
};

static void
set_val(struct condval *v, const char *s, size_t len)
{
	v->text = xmemdup(s, len);
	v->isnum = numfmt_parse(v->text, len, &v->num);
}

/* Trim blanks at both ends of [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static const struct {
	const char *op;
	enum cop    code;
} ops[] = {
	{ ">=", OP_GE },
	{ "<=", OP_LE },
	{ "!=", OP_NE },
	{ "==", OP_EQ },
	{ ">", OP_GT },
	{ "<", OP_LT },
	{ "=", OP_EQ },
};

/* Whether s names a number no rule can test: nan, inf or infinity. */
static bool
nonfinite(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return strcasecmp(s, "nan") == 0 || strcasecmp(s, "inf") == 0 ||
	    strcasecmp(s, "infinity") == 0;
}

/* A scalar condition on a column: see cond.h. */
static int
parse_scalar(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct cond *c, struct ci_err *e)
{
	const char *s = n->scalar, *dots;
	size_t      len = strlen(s), i, k;
	double      lo, hi;

	trim(&s, &len);
	if (len == 0 || (len == 5 && memcmp(s, "empty", 5) == 0)) {
		c->op = OP_EMPTY;
		return 0;
	}
	if (len == 9 && memcmp(s, "not empty", 9) == 0) {
		c->op = OP_NOTEMPTY;
		return 0;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		k = strlen(ops[i].op);
		if (len < k || memcmp(s, ops[i].op, k) != 0)
			continue;
		c->op = ops[i].code;
		s += k;
		len -= k;
		trim(&s, &len);
		if (len == 0)
			return yamlcfg_error(d, n, e,
			    "a value must follow '%s' in the condition on "
			    "'%s'",
			    ops[i].op, c->colname);
		c->v = xcalloc(1, sizeof(*c->v));
		c->nv = 1;
		set_val(c->v, s, len);
		if (c->op != OP_EQ && c->op != OP_NE && !c->v->isnum)
			return yamlcfg_error(d, n, e,
			    "'%s' compares with a number, not '%s', in the "
			    "condition on '%s'",
			    ops[i].op, c->v->text, c->colname);
		return 0;
	}
	c->v = xcalloc(2, sizeof(*c->v));
	dots = memmem(s, len, "..", 2);
	if (dots != NULL) {
		const char *lo_s = s, *hi_s = dots + 2;
		size_t      lo_len = (size_t)(dots - s),
		       hi_len = len - (size_t)(dots - s) - 2;

		trim(&lo_s, &lo_len);
		trim(&hi_s, &hi_len);
		set_val(&c->v[0], lo_s, lo_len);
		set_val(&c->v[1], hi_s, hi_len);
		if (c->v[0].isnum || c->v[1].isnum || nonfinite(c->v[0].text) ||
		    nonfinite(c->v[1].text)) {
			c->nv = 2; /* released with the condition */
			if (!c->v[0].isnum || !c->v[1].isnum)
				return yamlcfg_error(d, n, e,
				    "the range '%s' of the condition on '%s' "
				    "needs a finite number at each end (for "
				    "one end, use '>=' or '<=')",
				    n->scalar, c->colname);
			c->op = OP_RANGE;
			c->nv = 2;
			lo = c->v[0].num;
			hi = c->v[1].num;
			if (lo > hi)
				return yamlcfg_error(d, n, e,
				    "the range '%s' of the condition on '%s' "
				    "is empty",
				    n->scalar, c->colname);
			return 0;
		}
		free(c->v[0].text);
		free(c->v[1].text);
		memset(c->v, 0, 2 * sizeof(*c->v));
	}
	c->op = OP_EQ;
	c->nv = 1;
	set_val(c->v, s, len);
	return 0;
}

/* The test on column name whose condition is the node n. */
static int
parse_test(const struct parse *p, const char *name,
    const struct yamlcfg_node *n, struct cond *c, struct ci_err *e)
{
	const struct yamlcfg_doc *d = p->d;
	bool   tag = p->tag_key != NULL && strcmp(name, p->tag_key) == 0;
	size_t i;

	c->colname = xstrdup(name);
	c->line = n->line;
	switch (n->type) {
	case YAMLCFG_SCALAR:
		if (!tag)
			return parse_scalar(d, n, c, e);
		c->op = OP_TAG;
		c->v = xcalloc(1, sizeof(*c->v));
		c->nv = 1;
		set_val(c->v, n->scalar, strlen(n->scalar));
		return 0;
	case YAMLCFG_SEQ:
		if (n->n == 0)
			return yamlcfg_error(d, n, e,
			    "the list of values for '%s' is empty", name);
		c->op = tag ? OP_TAG : OP_IN;
		c->v = xcalloc(n->n, sizeof(*c->v));
		c->nv = n->n;
		for (i = 0; i < n->n; i++) {
			if (n->items[i]->type != YAMLCFG_SCALAR)
				return yamlcfg_error(d, n->items[i], e,
				    "the list of values for '%s' must hold "
				    "single values",
				    name);
			set_val(&c->v[i], n->items[i]->scalar,
			    strlen(n->items[i]->scalar));
		}
		return 0;
	case YAMLCFG_MAP:
		break;
	}
	return yamlcfg_error(d, n, e,
	    "the condition on '%s' must be a value, a list, a range, "
	    "'empty' or 'not empty'",
	    name);
}

static int parse_map(const struct parse *p, const struct yamlcfg_node *n,
    const char *what, struct cond *c, struct ci_err *e);

/* "all" or "any": a list of condition maps (or one map). */
static int
parse_list(const struct parse *p, const char *key, const struct yamlcfg_node *n,
    struct cond *c, struct ci_err *e)
{
	const struct yamlcfg_doc *d = p->d;
	size_t                    i;

	c->op = strcmp(key, "all") == 0 ? OP_ALL : OP_ANY;
	c->line = n->line;
	if (n->type == YAMLCFG_MAP && c->op == OP_ALL) {
		c->kids = xcalloc(1, sizeof(*c->kids));
		c->nkids = 1;
		return parse_map(p, n, key, c->kids, e);
	}
	if (n->type == YAMLCFG_MAP)
		return yamlcfg_error(d, n, e,
		    "'any' must be a list, one entry per alternative "
		    "(- %s: ...); a mapping's entries must all hold",
		    n->n > 0 ? n->keys[0] : "column");
	if (n->type != YAMLCFG_SEQ || n->n == 0)
		return yamlcfg_error(
		    d, n, e, "'%s' must be a list of conditions", key);
	c->kids = xcalloc(n->n, sizeof(*c->kids));
	c->nkids = n->n;
	for (i = 0; i < n->n; i++)
		if (parse_map(p, n->items[i], key, &c->kids[i], e) < 0)
			return -1;
	return 0;
}

/* A condition map: each entry must hold. */
static int
parse_map(const struct parse *p, const struct yamlcfg_node *n, const char *what,
    struct cond *c, struct ci_err *e)
{
	const struct yamlcfg_doc *d = p->d;
	size_t                    i;

	c->op = OP_ALL;
	c->line = n->line;
	if (n->type != YAMLCFG_MAP || n->n == 0)
		return yamlcfg_error(d, n, e,
		    "the conditions of '%s' must be a mapping of columns to "
		    "tests",
		    what);
	c->kids = xcalloc(n->n, sizeof(*c->kids));
	c->nkids = n->n;
	for (i = 0; i < n->n; i++) {
		const char  *key = n->keys[i];
		struct cond *k = &c->kids[i];
		int          rc;

		if (strcmp(key, "all") == 0 || strcmp(key, "any") == 0) {
			rc = parse_list(p, key, n->items[i], k, e);
		} else if (strcmp(key, "not") == 0) {
			k->op = OP_NOT;
			k->line = n->klines[i];
			k->kids = xcalloc(1, sizeof(*k->kids));
			k->nkids = 1;
			rc = parse_map(p, n->items[i], "not", k->kids, e);
		} else {
			rc = parse_test(p, key, n->items[i], k, e);
			k->line = n->klines[i];
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
cond_parse(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    const char *what, const char *tag_key, struct cond **out, struct ci_err *e)
{
	const struct parse p = { d, tag_key };

	*out = xcalloc(1, sizeof(**out));
	return parse_map(&p, n, what, *out, e);
}

int
cond_bind(struct cond *c, const char *path, const char *rule,
    const char *const *cols, size_t ncols, struct ci_err *e)
{
	struct buf b = { 0 };
	size_t     i;

	for (i = 0; i < c->nkids; i++)
		if (cond_bind(&c->kids[i], path, rule, cols, ncols, e) < 0)
			return -1;
	if (c->colname == NULL || c->op == OP_TAG)
		return 0;
	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i], c->colname) == 0) {
			c->col = i;
			return 0;
		}
	buf_addnames(&b, cols, ncols);
	ci_err_set(e, CI_EXIT_USAGE, path, c->line,
	    "unknown column '%s' in rule '%s'; columns are: %s", c->colname,
	    rule, buf_str(&b));
	buf_release(&b);
	return -1;
}

/* Whether the field s equals the value v: as numbers if both are. */
static bool
equal(const struct condval *v, const char *s, bool isnum, double x)
{
	if (v->isnum && isnum)
		return v->num == x;
	return strcmp(v->text, s) == 0;
}

bool
cond_holds(const struct cond *c, const char *const *f, const char *const *tag,
    size_t ntags)
{
	const char *s;
	double      x = 0;
	bool        isnum = false;
	size_t      i, j;

	switch (c->op) {
	case OP_ALL:
		for (i = 0; i < c->nkids; i++)
			if (!cond_holds(&c->kids[i], f, tag, ntags))
				return false;
		return true;
	case OP_ANY:
		for (i = 0; i < c->nkids; i++)
			if (cond_holds(&c->kids[i], f, tag, ntags))
				return true;
		return false;
	case OP_NOT:
		return !cond_holds(c->kids, f, tag, ntags);
	case OP_TAG:
		for (i = 0; i < c->nv; i++)
			for (j = 0; j < ntags; j++)
				if (tag[j] != NULL &&
				    strcmp(tag[j], c->v[i].text) == 0)
					return true;
		return false;
	default:
		break;
	}
	s = f[c->col];
	if (c->op == OP_EMPTY || c->op == OP_NOTEMPTY)
		return (*s == '\0') == (c->op == OP_EMPTY);
	isnum = numfmt_parse(s, strlen(s), &x);
	switch (c->op) {
	case OP_EQ:
		return equal(c->v, s, isnum, x);
	case OP_NE:
		return !equal(c->v, s, isnum, x);
	case OP_IN:
		for (i = 0; i < c->nv; i++)
			if (equal(&c->v[i], s, isnum, x))
				return true;
		return false;
	case OP_LT:
		return isnum && x < c->v->num;
	case OP_LE:
		return isnum && x <= c->v->num;
	case OP_GT:
		return isnum && x > c->v->num;
	case OP_GE:
		return isnum && x >= c->v->num;
	case OP_RANGE:
		return isnum && x >= c->v[0].num && x <= c->v[1].num;
	default:
		return false;
	}
}

static void
release(struct cond *c)
{
	size_t i;

	for (i = 0; i < c->nkids; i++)
		release(&c->kids[i]);
	free(c->kids);
	for (i = 0; i < c->nv; i++)
		free(c->v[i].text);
	free(c->v);
	free(c->colname);
}

void
cond_free(struct cond *c)
{
	if (c == NULL)
		return;
	release(c);
	free(c);
}
