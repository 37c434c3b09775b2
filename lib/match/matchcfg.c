/*
 * matchcfg: match.yaml to plain structs (see matchcfg.h).  The values are
 * checked here, their columns when the input is known (lib/engine/dedupe).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matchcfg.h"
#include "numfmt.h"
#include "xalloc.h"
#include "yamlcfg.h"

static const char *const golden_names[] = { "most_frequent", "most_recent",
	"first", NULL };

int
matchcfg_golden_parse(const char *s)
{
	int i;

	for (i = 0; golden_names[i] != NULL; i++)
		if (strcmp(s, golden_names[i]) == 0)
			return i;
	return -1;
}

const char *
matchcfg_golden_name(int rule)
{
	return golden_names[rule];
}

static int
get_bool(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    const char *what, bool *v, struct ci_err *e)
{
	const char *s = yamlcfg_scalar(d, n, what, e);

	if (s == NULL)
		return -1;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
		*v = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
		*v = false;
	else
		return yamlcfg_error(
		    d, n, e, "bad %s '%s': want true or false", what, s);
	return 0;
}

static int
load_cmp(struct matchcfg *c, const struct yamlcfg_doc *d,
    const struct yamlcfg_node *n, struct ci_err *e)
{
	static const char *const   known[] = { "column", "kind", "similarity",
		  "close", "swap_day_month", "term_frequency", NULL };
	struct mfield_spec        *sp = &c->cmp[c->ncmp];
	const struct yamlcfg_node *x;
	const char                *s;
	int                        k;
	double                     v;

	if (n->type != YAMLCFG_MAP)
		return yamlcfg_error(d, n, e,
		    "a comparison is a mapping with 'column' and 'kind'");
	if (yamlcfg_check_keys(d, n, "comparison", known, e) < 0)
		return -1;
	if ((x = yamlcfg_get(n, "column")) == NULL)
		return yamlcfg_error(d, n, e, "comparison without 'column'");
	if ((s = yamlcfg_scalar(d, x, "'column'", e)) == NULL)
		return -1;
	if (!mfield_default_spec(s, sp)) {
		memset(sp, 0, sizeof(*sp));
		sp->kind = MF_STRING;
		sp->method = MM_JARO_WINKLER;
		sp->close = 0.9;
	}
	sp->column = xstrdup(s);
	c->ncmp++;
	if ((x = yamlcfg_get(n, "kind")) != NULL) {
		if ((s = yamlcfg_scalar(d, x, "'kind'", e)) == NULL)
			return -1;
		if ((k = mfield_kind_parse(s)) < 0)
			return yamlcfg_error(d, x, e,
			    "bad kind '%s': want name, string, exact, "
			    "phone, email, date or number",
			    s);
		sp->kind = (enum mfield_kind)k;
		sp->close = k == MF_NAME || k == MF_STRING ? 0.9 : 0;
		sp->swap = k == MF_DATE;
	}
	if ((x = yamlcfg_get(n, "similarity")) != NULL) {
		if ((s = yamlcfg_scalar(d, x, "'similarity'", e)) == NULL)
			return -1;
		if ((k = mfield_method_parse(s)) < 0)
			return yamlcfg_error(d, x, e,
			    "bad similarity '%s': want jaro_winkler, "
			    "levenshtein or damerau",
			    s);
		if (sp->kind != MF_NAME && sp->kind != MF_STRING)
			return yamlcfg_error(
			    d, x, e, "'similarity' is for names and strings");
		sp->method = (enum mfield_method)k;
		sp->close = k == MM_JARO_WINKLER ? 0.9 : 1;
	}
	if ((x = yamlcfg_get(n, "close")) != NULL) {
		if ((s = yamlcfg_scalar(d, x, "'close'", e)) == NULL)
			return -1;
		if (!numfmt_parse(s, strlen(s), &v) || !isfinite(v) || v < 0 ||
		    ((sp->kind == MF_NAME || sp->kind == MF_STRING) &&
		        sp->method == MM_JARO_WINKLER && v > 1))
			return yamlcfg_error(d, x, e,
			    "bad 'close' value '%s': want %s", s,
			    sp->method == MM_JARO_WINKLER &&
			            (sp->kind == MF_NAME ||
			                sp->kind == MF_STRING)
			        ? "a similarity from 0 to 1"
			        : "a number not below 0");
		sp->close = v;
	}
	if ((x = yamlcfg_get(n, "swap_day_month")) != NULL &&
	    get_bool(d, x, "'swap_day_month'", &sp->swap, e) < 0)
		return -1;
	if ((x = yamlcfg_get(n, "term_frequency")) != NULL &&
	    get_bool(d, x, "'term_frequency'", &sp->tf, e) < 0)
		return -1;
	return 0;
}

static int
load_rule(struct matchcfg *c, const struct yamlcfg_doc *d,
    const struct yamlcfg_node *n, struct ci_err *e)
{
	const char *s = yamlcfg_scalar(d, n, "blocking rule", e), *p;
	bool        empty = true;

	if (s == NULL)
		return -1;
	for (p = s;; p++) {
		if (*p == '+' || *p == '\0') {
			if (empty)
				return yamlcfg_error(d, n, e,
				    "bad blocking rule '%s': want columns "
				    "joined by '+'",
				    s);
			empty = true;
			if (*p == '\0')
				break;
		} else if (*p != ' ') {
			empty = false;
		}
	}
	c->rules[c->nrules++] = xstrdup(s);
	return 0;
}

static int
load(struct matchcfg *c, struct yamlcfg_doc *d, struct ci_err *e)
{
	static const char *const   known[] = { "compare", "blocking", "golden",
		  NULL };
	const struct yamlcfg_node *r = d->root, *x;
	const char                *s;
	size_t                     i;
	int                        g;

	if (r == NULL || r->type != YAMLCFG_MAP)
		return ci_err_set(e, CI_EXIT_USAGE, d->path, r ? r->line : 1,
		    "a match configuration is a mapping with 'compare', "
		    "'blocking' or 'golden'");
	if (yamlcfg_check_keys(d, r, "the configuration", known, e) < 0)
		return -1;
	if ((x = yamlcfg_get(r, "compare")) != NULL) {
		if (x->type != YAMLCFG_SEQ || x->n == 0)
			return yamlcfg_error(
			    d, x, e, "'compare' is a list of comparisons");
		if (x->n > MATCHCFG_MAX_COMPARE)
			return yamlcfg_error(d, x, e,
			    "more than %d comparisons", MATCHCFG_MAX_COMPARE);
		c->has_cmp = true;
		c->cmp = xcalloc(x->n, sizeof(*c->cmp));
		for (i = 0; i < x->n; i++)
			if (load_cmp(c, d, x->items[i], e) < 0)
				return -1;
	}
	if ((x = yamlcfg_get(r, "blocking")) != NULL) {
		if (x->type != YAMLCFG_SEQ || x->n == 0)
			return yamlcfg_error(
			    d, x, e, "'blocking' is a list of rules");
		if (x->n > MATCHCFG_MAX_RULES)
			return yamlcfg_error(d, x, e,
			    "more than %d blocking rules", MATCHCFG_MAX_RULES);
		c->has_rules = true;
		c->rules = xcalloc(x->n, sizeof(*c->rules));
		for (i = 0; i < x->n; i++)
			if (load_rule(c, d, x->items[i], e) < 0)
				return -1;
	}
	if ((x = yamlcfg_get(r, "golden")) != NULL) {
		if (x->type != YAMLCFG_MAP)
			return yamlcfg_error(d, x, e,
			    "'golden' is a mapping of columns to "
			    "most_recent, most_frequent or first");
		c->gcol = xcalloc(x->n + 1, sizeof(*c->gcol));
		c->grule = xcalloc(x->n + 1, sizeof(*c->grule));
		for (i = 0; i < x->n; i++) {
			s = yamlcfg_scalar(d, x->items[i], "golden rule", e);
			if (s == NULL)
				return -1;
			if ((g = matchcfg_golden_parse(s)) < 0)
				return yamlcfg_error(d, x->items[i], e,
				    "bad golden rule '%s' for '%s': want "
				    "most_recent, most_frequent or first",
				    s, x->keys[i]);
			c->gcol[c->ngolden] = xstrdup(x->keys[i]);
			c->grule[c->ngolden++] = g;
		}
	}
	return 0;
}

/* load() of d, which it releases. */
static int
load_release(struct matchcfg *c, struct yamlcfg_doc *d, struct ci_err *e)
{
	int rc = load(c, d, e);

	yamlcfg_release(d);
	return rc;
}

int
matchcfg_load(struct matchcfg *c, const char *path, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };

	memset(c, 0, sizeof(*c));
	if (yamlcfg_load(&d, path, e) < 0)
		return -1;
	return load_release(c, &d, e);
}

int
matchcfg_load_string(struct matchcfg *c, const char *name, const char *text,
    size_t len, struct ci_err *e)
{
	struct yamlcfg_doc d = { 0 };

	memset(c, 0, sizeof(*c));
	if (yamlcfg_load_string(&d, name, text, len, e) < 0)
		return -1;
	return load_release(c, &d, e);
}

void
matchcfg_release(struct matchcfg *c)
{
	size_t i;

	for (i = 0; i < c->ncmp; i++)
		free(c->cmp[i].column);
	free(c->cmp);
	for (i = 0; i < c->nrules; i++)
		free(c->rules[i]);
	free(c->rules);
	for (i = 0; i < c->ngolden; i++)
		free(c->gcol[i]);
	free(c->gcol);
	free(c->grule);
	memset(c, 0, sizeof(*c));
}
