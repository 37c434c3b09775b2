/*
 * model: the versioned JSON documents that fitting commands write (ci-score
 * fit, ci-segment --save-model, ...) and applying commands read back.  Every
 * model starts with the same envelope:
 *
 *   {
 *     "tool": "ci-score",          the program that wrote it
 *     "kind": "bgnbd",             what it models, the tool's own word
 *     "format_version": 1,         the layout of the rest, per tool
 *     "ci_version": "0.1.0",       the release that wrote it
 *     "input": {"rows": 2357, "sha256": "..."},
 *     ... the tool's members: options, parameters, diagnostics ...
 *   }
 *
 * The digest covers the field values the fit read, in order, so that two
 * models can be told to come from the same data.  Models are written with
 * jsonw (two-space indent, numbers that read back to the same doubles) and
 * read with jansson; model_load() refuses a file of another tool or of a
 * newer format with exit code CI_EXIT_MODEL, as ci(7) promises.
 */
#ifndef CI_MODEL_H
#define CI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sodium.h>

#include "diag.h"
#include "jsonw.h"
#include "rec.h"

/* The running digest of the rows a model is fitted on. */
struct model_digest {
	crypto_hash_sha256_state st;
	uint64_t                 rows;
};

void model_digest_init(struct model_digest *d);

/*
 * Add one row: the n values s[i] of len[i] bytes (NULL for no value), each
 * framed by its length so that ("ab", "c") and ("a", "bc") differ.
 */
void model_digest_add(
    struct model_digest *d, const char *const *s, const size_t *len, size_t n);

/* Add the fields cols[0..n-1] of rec (a column index < 0: no value). */
void model_digest_rec(
    struct model_digest *d, const struct rec *rec, const int *cols, size_t n);

/* The hex digest, 64 characters and a NUL, into hex; d is spent. */
void model_digest_hex(struct model_digest *d, char hex[65]);

/*
 * Begin a model in w (an object left open): the envelope above with the
 * digest d (which is spent).  The caller adds its members with jsonw and
 * closes the object with jsonw_obj_end().
 */
void model_begin(struct jsonw *w, const char *tool, const char *kind,
    int format_version, struct model_digest *d);

/*
 * Write the model text in out (a complete JSON document, newline added)
 * to path, or stdout for NULL or "-".  Returns 0, or -1 with *e
 * (CI_EXIT_IO).
 */
int model_save(const char *path, const struct buf *out, struct ci_err *e);

/* A model read back: the document and where it came from. */
struct model {
	json_t     *root;
	const char *path; /* as given, for messages */
	const char *kind; /* the envelope's kind, inside root */
	int         format_version;
};

/*
 * Read the model at path, check that tool wrote it with a format version
 * from 1 to max_version, and fill *m.  Returns 0, or -1 with *e
 * (CI_EXIT_MODEL) saying which: missing or unreadable, not JSON (with the
 * line), not a ci model, written by another tool, or too new.
 */
int model_load(struct model *m, const char *path, const char *tool,
    int max_version, struct ci_err *e);

/* Release what m holds; m may be zeroed. */
void model_free(struct model *m);

/*
 * The member at a dotted path ("parameters.r") of m's document, or NULL
 * with *e (CI_EXIT_MODEL) naming the path when it is missing.
 */
json_t *model_get(const struct model *m, const char *path, struct ci_err *e);

/*
 * The number at a dotted path, into *v; -1 with *e (CI_EXIT_MODEL) when
 * it is missing or not a number.
 */
int model_number(
    const struct model *m, const char *path, double *v, struct ci_err *e);

/*
 * The array of n numbers at a dotted path, into v[0..n-1]; -1 with *e when
 * it is missing, of another length, or holds something else.
 */
int model_numbers(const struct model *m, const char *path, double *v, size_t n,
    struct ci_err *e);

/*
 * -1 with *e (CI_EXIT_MODEL): 'broken model: "PATH" is not WHAT', for a
 * member that is there but not what the tool writes.
 */
int model_broken(const struct model *m, const char *path, const char *what,
    struct ci_err *e);

/* The string at a dotted path, or NULL with *e. */
const char *
model_string(const struct model *m, const char *path, struct ci_err *e);

#endif
