/*
 * yamlcfg_test: the tree, line numbers, anchors and aliases, and the
 * errors a user's configuration can produce, the hostile ones included:
 * alias loops, deep nesting, alias bombs and a second document.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "yamlcfg.h"

static int
load(struct yamlcfg_doc *d, const char *text, struct ci_err *e)
{
	return yamlcfg_load_string(d, "t.yaml", text, strlen(text), e);
}

/* A document of levels nested flow sequences: [[[...]]]. */
static int
deep(struct yamlcfg_doc *d, size_t levels, struct ci_err *e)
{
	char  *text = malloc(2 * levels + 2);
	size_t i;
	int    rc;

	for (i = 0; i < levels; i++) {
		text[i] = '[';
		text[levels + i] = ']';
	}
	text[2 * levels] = '\n';
	text[2 * levels + 1] = '\0';
	rc = yamlcfg_load_string(d, "t.yaml", text, 2 * levels + 1, e);
	free(text);
	return rc;
}

int
main(void)
{
	static const char *const   known[] = { "a", "b", NULL };
	struct yamlcfg_doc         d;
	struct ci_err              e = { 0 };
	const struct yamlcfg_node *n;

	plan(22);
	ok(load(&d, "# c\na: 1\nb:\n  - x\n  - 'y z'\nc: {k: v}\n", &e) == 0,
	    "a small document loads");
	n = yamlcfg_get(d.root, "b");
	ok(n != NULL && n->type == YAMLCFG_SEQ && n->n == 2 &&
	        strcmp(n->items[1]->scalar, "y z") == 0 && !n->items[1]->plain,
	    "sequence of scalars, quoting remembered");
	is_int(n->items[0]->line, 4, "line numbers are 1-based");
	n = yamlcfg_get(yamlcfg_get(d.root, "c"), "k");
	is_str(n != NULL ? n->scalar : NULL, "v", "flow mapping");
	ok(yamlcfg_check_keys(&d, d.root, "the test", known, &e) == -1 &&
	        e.line == 6 && e.code == CI_EXIT_USAGE,
	    "unknown key found on its line");
	is_str(e.msg, "unknown key 'c' in the test; known keys are: 'a', 'b'",
	    "and named with the known ones");
	yamlcfg_release(&d);

	ok(load(&d, "base: &b {x: 1}\nuse: *b\n", &e) == 0 &&
	        yamlcfg_get(yamlcfg_get(d.root, "use"), "x") != NULL,
	    "aliases resolve to their anchor");
	yamlcfg_release(&d);

	ok(load(&d, "a: 1\nb: 2\na: 3\n", &e) == -1 && e.line == 3,
	    "repeated key is an error on its line");
	is_str(e.msg, "key 'a' repeated (first on line 1)", "message");
	ok(load(&d, "a: [1, 2\nb: 3\n", &e) == -1 &&
	        strncmp(e.msg, "bad YAML: ", 10) == 0,
	    "syntax error");
	ok(load(&d, "a: *nope\n", &e) == -1, "unknown alias");
	ok(load(&d, "", &e) == 0 && d.root == NULL, "empty document");
	yamlcfg_release(&d);

	ok(load(&d, "r:\n  w: &w\n    not: *w\n", &e) == -1 && e.line == 3,
	    "an alias inside its own anchor's value is refused on its line");
	is_str(e.msg, "alias '*w' is inside the value it names (a loop)",
	    "and called a loop");
	ok(load(&d, "a: &l [1, {b: *l}]\n", &e) == -1,
	    "so is one inside a flow sequence");
	ok(load(&d, "a: &x 1\nb: &x [2]\nc: *x\n", &e) == 0 &&
	        yamlcfg_get(d.root, "c")->type == YAMLCFG_SEQ,
	    "a redefined anchor: the latest is in effect");
	yamlcfg_release(&d);
	deep(&d, YAMLCFG_MAX_DEPTH, &e);
	ok(d.root != NULL, "nesting of %d levels loads", YAMLCFG_MAX_DEPTH);
	yamlcfg_release(&d);
	ok(deep(&d, YAMLCFG_MAX_DEPTH + 1, &e) == -1 && e.line == 1 &&
	        strstr(e.msg, "nested more than") != NULL,
	    "one more level is refused");
	ok(deep(&d, 100000, &e) == -1, "100,000 levels refused, no crash");
	ok(load(&d,
	       "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
	       &e) == -1 &&
	        e.line == 5 && strstr(e.msg, "expand to more than") != NULL,
	    "aliases expanding to 111,111 values are refused");
	ok(load(&d, "a: 1\n---\nb: 2\n", &e) == -1 && e.line == 2,
	    "a second document is an error on its line");
	ok(load(&d, "---\na: 1\n...\n", &e) == 0 && d.root != NULL,
	    "one document with its markers loads");
	yamlcfg_release(&d);
	return done_testing();
}
