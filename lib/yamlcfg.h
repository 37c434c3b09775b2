/*
 * yamlcfg: YAML configuration files (source maps, match rules, segment
 * rules, playbooks) read through libyaml into a small tree whose nodes
 * remember their line, so that every configuration error can say
 * "FILE:LINE: what is wrong".  Anchors and aliases are resolved; a mapping
 * with a repeated key is an error.  Tags are ignored: every scalar is text.
 */
#ifndef CI_YAMLCFG_H
#define CI_YAMLCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type type;
	unsigned long   line;   /* 1-based line where the node starts */
	char           *scalar; /* YNODE_SCALAR: its text */
	bool            plain;  /* scalar written without quotes */
	struct ynode  **items;  /* YNODE_SEQ: elements; YNODE_MAP: values */
	char          **keys;   /* YNODE_MAP: keys, parallel to items */
	unsigned long  *klines; /* YNODE_MAP: line of each key */
	size_t          n;
};

struct ydoc {
	char          *path;
	struct ynode  *root; /* NULL for an empty document */
	struct ynode **all;  /* every node, for release */
	size_t         nall;
	size_t         capall;
};

/*
 * Load the first document of the YAML file at path.  Returns 0, or -1 with
 * *e filled: CI_EXIT_IO when the file cannot be read, CI_EXIT_USAGE with
 * the line for a syntax error, a repeated key or an unknown alias.
 */
int yamlcfg_load(struct ydoc *d, const char *path, struct ci_err *e);

/* Load from the len bytes at text, named name in messages (for tests). */
int yamlcfg_load_string(struct ydoc *d, const char *name, const char *text,
    size_t len, struct ci_err *e);

/* The value of key in map m, or NULL (also when m is not a map). */
const struct ynode *ynode_get(const struct ynode *m, const char *key);

/*
 * Fill *e (CI_EXIT_USAGE) with "PATH:LINE: MSG" for node n and return -1;
 * the usual way to report a bad value.
 */
int ynode_error(const struct ydoc *d, const struct ynode *n, struct ci_err *e,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Check that every key of map m is one of the NULL-terminated list known;
 * fills *e naming the first unknown key, its line and the known keys.
 * what names the map in the message ("source 'crm'").
 */
int ynode_check_keys(const struct ydoc *d, const struct ynode *m,
    const char *what, const char *const *known, struct ci_err *e);

/*
 * The scalar text of n, or NULL with *e filled when n is not a scalar
 * (what names the value: "'kind'").
 */
const char *ynode_scalar(const struct ydoc *d, const struct ynode *n,
    const char *what, struct ci_err *e);

/* Free the tree.  Safe on a zeroed struct. */
void yamlcfg_release(struct ydoc *d);

#endif
