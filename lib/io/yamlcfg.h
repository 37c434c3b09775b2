/*
 * yamlcfg: YAML configuration files (source maps, match rules, segment
 * rules, playbooks) read through libyaml into a small tree whose nodes
 * remember their line, so that every configuration error can say
 * "FILE:LINE: what is wrong".  Anchors and aliases are resolved; a mapping
 * with a repeated key, a second document, an alias inside the value it
 * names, nesting beyond YAMLCFG_MAX_DEPTH and aliases expanding beyond
 * YAMLCFG_MAX_NODES values are errors.  Tags are ignored: every scalar is
 * text.
 */
#ifndef CI_YAMLCFG_H
#define CI_YAMLCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum yamlcfg_type { YAMLCFG_SCALAR, YAMLCFG_SEQ, YAMLCFG_MAP };

/*
 * Limits that keep a walk of the tree finite and shallow: the nesting of
 * a document, and the values a walk meets with aliases followed.  An alias
 * inside the value it names (a loop) is refused too.
 */
#define YAMLCFG_MAX_DEPTH 64
#define YAMLCFG_MAX_NODES 100000

struct yamlcfg_node {
	enum yamlcfg_type type;
	unsigned long     line;   /* 1-based line where the node starts */
	char             *scalar; /* YAMLCFG_SCALAR: its text */
	bool              plain;  /* scalar written without quotes */
	struct yamlcfg_node           *
            *items;  /* YAMLCFG_SEQ: elements; YAMLCFG_MAP: values */
	char         **keys;   /* YAMLCFG_MAP: keys, parallel to items */
	unsigned long *klines; /* YAMLCFG_MAP: line of each key */
	size_t         n;
	size_t         weight; /* nodes a walk meets, aliases followed */
	bool           open;   /* being built: an alias to it is a loop */
};

struct yamlcfg_doc {
	char                 *path;
	struct yamlcfg_node  *root; /* NULL for an empty document */
	struct yamlcfg_node **all;  /* every node, for release */
	size_t                nall;
	size_t                capall;
};

/*
 * Load the document of the YAML file at path.  Returns 0, or -1 with *e
 * filled: CI_EXIT_IO when the file cannot be read, CI_EXIT_USAGE with the
 * line for a syntax error, a repeated key, an unknown alias or one of the
 * errors above.
 */
int yamlcfg_load(struct yamlcfg_doc *d, const char *path, struct ci_err *e);

/* Load from the len bytes at text, named name in messages (for tests). */
int yamlcfg_load_string(struct yamlcfg_doc *d, const char *name,
    const char *text, size_t len, struct ci_err *e);

/* The value of key in map m, or NULL (also when m is not a map). */
const struct yamlcfg_node *
yamlcfg_get(const struct yamlcfg_node *m, const char *key);

/*
 * Fill *e (CI_EXIT_USAGE) with "PATH:LINE: MSG" for node n and return -1;
 * the usual way to report a bad value.
 */
int yamlcfg_error(const struct yamlcfg_doc *d, const struct yamlcfg_node *n,
    struct ci_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Check that every key of map m is one of the NULL-terminated list known;
 * fills *e naming the first unknown key, its line and the known keys.
 * what names the map in the message ("source 'crm'").
 */
int
yamlcfg_check_keys(const struct yamlcfg_doc *d, const struct yamlcfg_node *m,
    const char *what, const char *const *known, struct ci_err *e);

/*
 * The scalar text of n, or NULL with *e filled when n is not a scalar
 * (what names the value: "'kind'").
 */
const char *yamlcfg_scalar(const struct yamlcfg_doc *d,
    const struct yamlcfg_node *n, const char *what, struct ci_err *e);

/* Free the tree.  Safe on a zeroed struct. */
void yamlcfg_release(struct yamlcfg_doc *d);

#endif
