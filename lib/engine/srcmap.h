/*
 * srcmap: what ci-ingest knows about each source system: the kind of
 * records its files hold, which of its columns feed which canonical field,
 * how to read dates, zones, phone numbers and amounts, and how its words map
 * to canonical values.  Built from a YAML source map (srcmap_load) or from
 * command-line options (srcmap_add_cli); both end in the same structs.
 *
 * The YAML form (see ci-ingest(1)):
 *
 *   defaults: { tz: Asia/Shanghai, date_order: dmy, region: CN }
 *   sources:
 *     - name: crm
 *       kind: customer
 *       files: [crm_*.csv]
 *       delimiter: ";"
 *       encoding: GB18030
 *       fields:
 *         source_key: 客户编号
 *         phone: { column: 手机, region: CN }
 *       values:
 *         gender: { 男: male, 女: female }
 *       required: [phone]
 */
#ifndef CI_SRCMAP_H
#define CI_SRCMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "hmap.h"
#include "recin.h"
#include "schema.h"
#include "timeparse.h"
#include "tz.h"

/* How one canonical field of a source is read. */
struct srcmap_field {
	char            *column; /* input column; NULL: the field's own name */
	enum tp_order    order;
	const struct tz *tz; /* zone of naive times (owned by the map) */
	int              cc; /* default phone calling code; 0: none */
	bool             decimal_comma;
	bool             required;
	struct hmap      from; /* folded words with a canonical value */
	char           **to;   /* the value of each word, by index */
	size_t           tocap;
};

struct srcmap_source {
	char               *name; /* NULL: each file's base name */
	enum ci_kind        kind;
	char              **globs;
	size_t              nglobs;
	struct recin_opts   in;
	char               *columns; /* owned copy behind in.columns */
	char               *encoding;
	struct srcmap_field f[SCHEMA_MAX_FIELDS];
	size_t              nf;
	bool                sentiment; /* score the text of its events */
	unsigned long       line; /* in the YAML file; 0 for the command line */
};

/* Settings that apply to every source unless it says otherwise. */
struct srcmap_defaults {
	enum tp_order order;
	const char   *tz;     /* zone name; NULL: UTC */
	const char   *region; /* ISO 3166 code; NULL: CN */
	bool          decimal_comma;
};

struct srcmap {
	struct srcmap_source *src;
	size_t                n;
	size_t                cap;
	struct tz           **zones; /* every zone loaded, owned */
	size_t                nzones;
	size_t                capzones;
};

/*
 * Load the sources of the YAML file at path into m (which starts empty or
 * zeroed), over the defaults d (the file's own "defaults" override them).
 * Returns 0 or -1 with *e filled (CI_EXIT_USAGE naming the line).
 */
int srcmap_load(struct srcmap *m, const char *path,
    const struct srcmap_defaults *d, struct ci_err *e);

/*
 * Add a source from the command line: kind k, name (NULL: each file's base
 * name), reading options in, and "FIELD=COLUMN" pairs cols.  Returns 0 or -1
 * with *e filled (CI_EXIT_USAGE).
 */
int srcmap_add_cli(struct srcmap *m, enum ci_kind k, const char *name,
    const struct recin_opts *in, const char *const *cols, size_t ncols,
    const struct srcmap_defaults *d, struct ci_err *e);

/*
 * Add the value mapping "FIELD:FROM=TO" (as --value gives it) to every
 * source that has FIELD.  Returns 0 or -1 with *e filled.
 */
int srcmap_add_value(struct srcmap *m, const char *spec, struct ci_err *e);

/*
 * The source that reads the file at path: the first whose file patterns
 * match the path or its base name, or NULL.
 */
const struct srcmap_source *
srcmap_match(const struct srcmap *m, const char *path);

/* The source called name, or NULL. */
const struct srcmap_source *
srcmap_find(const struct srcmap *m, const char *name);

/*
 * The canonical value of the word (s, len) for field f: NULL when the word
 * has no mapping.  s is compared after textnorm_fold(); scratch is used for
 * that.
 */
const char *srcmap_field_value(const struct srcmap_field *f, const char *s,
    size_t len, struct buf *scratch);

/* Free everything in m.  Safe on a zeroed struct. */
void srcmap_release(struct srcmap *m);

#endif
