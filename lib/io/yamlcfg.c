/*
 * yamlcfg: a libyaml event parser building ynode trees.
 *
 * Nodes are owned by the document's flat list (d->all), so an alias, which
 * makes a node appear twice in the tree, needs no reference counting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "xalloc.h"
#include "yamlcfg.h"

struct anchor {
	char                *name;
	struct yamlcfg_node *node;
};

struct builder {
	struct yamlcfg_doc *d;
	yaml_parser_t       p;
	struct anchor      *anchors;
	size_t              nanchors;
	size_t              capanchors;
	unsigned            depth; /* of the node being built */
};

static struct yamlcfg_node *
new_node(struct yamlcfg_doc *d, enum yamlcfg_type t, unsigned long line)
{
	struct yamlcfg_node *n = xcalloc(1, sizeof(*n));

	n->type = t;
	n->line = line;
	n->weight = 1;
	xgrow(&d->all, &d->capall, d->nall + 1, sizeof(*d->all));
	d->all[d->nall++] = n;
	return n;
}

static void
remember(struct builder *b, const yaml_char_t *anchor, struct yamlcfg_node *n)
{
	if (anchor == NULL)
		return;
	xgrow(
	    &b->anchors, &b->capanchors, b->nanchors + 1, sizeof(*b->anchors));
	b->anchors[b->nanchors].name = xstrdup((const char *)anchor);
	b->anchors[b->nanchors].node = n;
	b->nanchors++;
}

static int
parse_error(struct builder *b, struct ci_err *e)
{
	return ci_err_set(e, CI_EXIT_USAGE, b->d->path,
	    (unsigned long)b->p.problem_mark.line + 1, "bad YAML: %s",
	    b->p.problem != NULL ? b->p.problem : "syntax error");
}

/* Parse the node that starts with event ev into *out. */
static int build(struct builder *b, yaml_event_t *ev, struct yamlcfg_node **out,
    struct ci_err *e);

static int
next_event(struct builder *b, yaml_event_t *ev, struct ci_err *e)
{
	if (!yaml_parser_parse(&b->p, ev))
		return parse_error(b, e);
	return 0;
}

/*
 * Count child into the weight of n: the nodes a walk of n meets, aliases
 * followed.  A document whose walk would meet more than YAMLCFG_MAX_NODES
 * (aliases of aliases, "a billion laughs") is refused.
 */
static int
add_weight(struct builder *b, struct yamlcfg_node *n,
    const struct yamlcfg_node *child, struct ci_err *e)
{
	n->weight += child->weight;
	if (n->weight > YAMLCFG_MAX_NODES)
		return ci_err_set(e, CI_EXIT_USAGE, b->d->path, n->line,
		    "the aliases here expand to more than %d values",
		    YAMLCFG_MAX_NODES);
	return 0;
}

static int
build_seq(struct builder *b, struct yamlcfg_node *n, struct ci_err *e)
{
	yaml_event_t         ev;
	size_t               cap = 0;
	struct yamlcfg_node *item;

	for (;;) {
		if (next_event(b, &ev, e) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (build(b, &ev, &item, e) < 0 ||
		    add_weight(b, n, item, e) < 0)
			return -1;
		xgrow(&n->items, &cap, n->n + 1, sizeof(*n->items));
		n->items[n->n++] = item;
	}
}

static int
build_map(struct builder *b, struct yamlcfg_node *n, struct ci_err *e)
{
	yaml_event_t         ev;
	size_t               cap = 0, capk = 0, capl = 0, i;
	struct yamlcfg_node *key, *val;

	for (;;) {
		if (next_event(b, &ev, e) < 0)
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (build(b, &ev, &key, e) < 0)
			return -1;
		if (key->type != YAMLCFG_SCALAR)
			return ci_err_set(e, CI_EXIT_USAGE, b->d->path,
			    key->line, "mapping keys must be plain text");
		for (i = 0; i < n->n; i++)
			if (strcmp(n->keys[i], key->scalar) == 0)
				return ci_err_set(e, CI_EXIT_USAGE, b->d->path,
				    key->line,
				    "key '%s' repeated (first on line %lu)",
				    key->scalar, n->klines[i]);
		if (next_event(b, &ev, e) < 0)
			return -1;
		if (build(b, &ev, &val, e) < 0 || add_weight(b, n, val, e) < 0)
			return -1;
		xgrow(&n->items, &cap, n->n + 1, sizeof(*n->items));
		xgrow(&n->keys, &capk, n->n + 1, sizeof(*n->keys));
		xgrow(&n->klines, &capl, n->n + 1, sizeof(*n->klines));
		n->keys[n->n] = key->scalar;
		n->klines[n->n] = key->line;
		n->items[n->n++] = val;
	}
}

static int
build(struct builder *b, yaml_event_t *ev, struct yamlcfg_node **out,
    struct ci_err *e)
{
	unsigned long        line = (unsigned long)ev->start_mark.line + 1;
	struct yamlcfg_node *n;
	size_t               i;
	int                  rc = 0;

	if (b->depth >= YAMLCFG_MAX_DEPTH) {
		yaml_event_delete(ev);
		*out = NULL;
		return ci_err_set(e, CI_EXIT_USAGE, b->d->path, line,
		    "nested more than %d levels deep", YAMLCFG_MAX_DEPTH);
	}
	b->depth++;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = new_node(b->d, YAMLCFG_SCALAR, line);
		n->scalar =
		    xmemdup(ev->data.scalar.value, ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		remember(b, ev->data.scalar.anchor, n);
		break;
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(b->d, YAMLCFG_SEQ, line);
		remember(b, ev->data.sequence_start.anchor, n);
		n->open = true;
		rc = build_seq(b, n, e);
		n->open = false;
		break;
	case YAML_MAPPING_START_EVENT:
		n = new_node(b->d, YAMLCFG_MAP, line);
		remember(b, ev->data.mapping_start.anchor, n);
		n->open = true;
		rc = build_map(b, n, e);
		n->open = false;
		break;
	case YAML_ALIAS_EVENT:
		/* The latest anchor of the name is the one in effect. */
		n = NULL;
		for (i = b->nanchors; i > 0 && n == NULL; i--)
			if (strcmp(b->anchors[i - 1].name,
			        (const char *)ev->data.alias.anchor) == 0)
				n = b->anchors[i - 1].node;
		if (n == NULL)
			rc = ci_err_set(e, CI_EXIT_USAGE, b->d->path, line,
			    "unknown alias '*%s'", ev->data.alias.anchor);
		else if (n->open)
			rc = ci_err_set(e, CI_EXIT_USAGE, b->d->path, line,
			    "alias '*%s' is inside the value it names (a "
			    "loop)",
			    ev->data.alias.anchor);
		break;
	default:
		n = NULL;
		rc = ci_err_set(e, CI_EXIT_USAGE, b->d->path, line,
		    "unexpected YAML event");
		break;
	}
	b->depth--;
	yaml_event_delete(ev);
	*out = n;
	return rc;
}

/* The one document of the stream; a second one is an error. */
static int
load(struct yamlcfg_doc *d, struct builder *b, struct ci_err *e)
{
	yaml_event_t ev;
	unsigned     docs = 0;

	for (;;) {
		if (next_event(b, &ev, e) < 0)
			return -1;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			continue;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				unsigned long line =
				    (unsigned long)ev.start_mark.line + 1;

				yaml_event_delete(&ev);
				return ci_err_set(e, CI_EXIT_USAGE, d->path,
				    line,
				    "a second YAML document: put everything "
				    "in one");
			}
			yaml_event_delete(&ev);
			continue;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		default:
			if (d->root != NULL) {
				yaml_event_delete(&ev);
				return ci_err_set(e, CI_EXIT_USAGE, d->path, 0,
				    "unexpected YAML event");
			}
			if (build(b, &ev, &d->root, e) < 0)
				return -1;
		}
	}
}

static void
finish_builder(struct builder *b)
{
	size_t i;

	yaml_parser_delete(&b->p);
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
}

int
yamlcfg_load_string(struct yamlcfg_doc *d, const char *name, const char *text,
    size_t len, struct ci_err *e)
{
	struct builder b = { 0 };
	int            rc;

	memset(d, 0, sizeof(*d));
	d->path = xstrdup(name);
	b.d = d;
	if (!yaml_parser_initialize(&b.p))
		xalloc_fail(sizeof(b.p));
	yaml_parser_set_input_string(&b.p, (const unsigned char *)text, len);
	rc = load(d, &b, e);
	finish_builder(&b);
	if (rc < 0)
		yamlcfg_release(d);
	return rc;
}

int
yamlcfg_load(struct yamlcfg_doc *d, const char *path, struct ci_err *e)
{
	struct buf text = { 0 };
	char       chunk[8192];
	size_t     n;
	FILE      *fp;
	int        rc;

	memset(d, 0, sizeof(*d));
	if ((fp = fopen(path, "rb")) == NULL)
		return ci_err_set(
		    e, CI_EXIT_IO, path, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&text, chunk, n);
	if (ferror(fp)) {
		rc = ci_err_set(
		    e, CI_EXIT_IO, path, 0, "read error: %s", strerror(errno));
		fclose(fp);
		buf_release(&text);
		return rc;
	}
	fclose(fp);
	rc = yamlcfg_load_string(d, path, buf_str(&text), text.len, e);
	buf_release(&text);
	return rc;
}

const struct yamlcfg_node *
yamlcfg_get(const struct yamlcfg_node *m, const char *key)
{
	size_t i;

	if (m == NULL || m->type != YAMLCFG_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->items[i];
	return NULL;
}

int
yamlcfg_error(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct ci_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ci_err_setv(
	    e, CI_EXIT_USAGE, d->path, n != NULL ? n->line : 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
yamlcfg_check_keys(const struct yamlcfg_doc *d, const struct yamlcfg_node *m,
    const char *what, const char *const *known, struct ci_err *e)
{
	struct buf b = { 0 };
	size_t     i, k;

	for (i = 0; i < m->n; i++) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(m->keys[i], known[k]) == 0)
				break;
		if (known[k] != NULL)
			continue;
		for (k = 0; known[k] != NULL; k++)
			buf_addf(&b, "%s'%s'", k > 0 ? ", " : "", known[k]);
		ci_err_set(e, CI_EXIT_USAGE, d->path, m->klines[i],
		    "unknown key '%s' in %s; known keys are: %s", m->keys[i],
		    what, buf_str(&b));
		buf_release(&b);
		return -1;
	}
	return 0;
}

const char *
yamlcfg_scalar(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    const char *what, struct ci_err *e)
{
	if (n != NULL && n->type == YAMLCFG_SCALAR)
		return n->scalar;
	yamlcfg_error(d, n, e, "%s must be a single value", what);
	return NULL;
}

void
yamlcfg_release(struct yamlcfg_doc *d)
{
	size_t i;

	for (i = 0; i < d->nall; i++) {
		free(d->all[i]->scalar);
		free(d->all[i]->items);
		free(d->all[i]->keys);
		free(d->all[i]->klines);
		free(d->all[i]);
	}
	free(d->all);
	free(d->path);
	memset(d, 0, sizeof(*d));
}
