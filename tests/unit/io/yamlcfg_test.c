/*
 * yamlcfg_test: the tree, line numbers, anchors and aliases, and the
 * errors a user's configuration can produce.
 */
#include <string.h>

#include "tap.h"
#include "yamlcfg.h"

static int
load(struct yamlcfg_doc *d, const char *text, struct ci_err *e)
{
	return yamlcfg_load_string(d, "t.yaml", text, strlen(text), e);
}

int
main(void)
{
	static const char *const   known[] = { "a", "b", NULL };
	struct yamlcfg_doc         d;
	struct ci_err              e = { 0 };
	const struct yamlcfg_node *n;

	plan(12);
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
	return done_testing();
}
