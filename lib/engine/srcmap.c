/*
 * srcmap: source definitions from YAML or the command line.
 *
 * Every source starts from the schema of its kind and the defaults; the
 * built-in vocabularies are loaded into each closed field's word map first,
 * so that a source's own "values" (and --value) override them word by word.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "phone.h"
#include "recin.h"
#include "srcmap.h"
#include "textnorm.h"
#include "xalloc.h"
#include "yamlcfg.h"

/* A zone by name, loaded once per map. */
static const struct tz *
zone(struct srcmap *m, const char *name, struct ci_err *e)
{
	struct tz *z;
	size_t     i;

	for (i = 0; i < m->nzones; i++)
		if (strcmp(tz_name(m->zones[i]), name) == 0)
			return m->zones[i];
	if ((z = tz_load(name, e)) == NULL)
		return NULL;
	xgrow(&m->zones, &m->capzones, m->nzones + 1, sizeof(*m->zones));
	m->zones[m->nzones++] = z;
	return z;
}

static int
parse_order(const char *s, enum tp_order *o)
{
	if (strcmp(s, "dmy") == 0)
		*o = TP_ORDER_DMY;
	else if (strcmp(s, "mdy") == 0)
		*o = TP_ORDER_MDY;
	else if (strcmp(s, "auto") == 0)
		*o = TP_ORDER_AUTO;
	else
		return -1;
	return 0;
}

static int
parse_bool(const char *s, bool *b)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
		*b = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
		*b = false;
	else
		return -1;
	return 0;
}

/* Map word (folded) to value in field f, replacing an earlier mapping. */
static void
add_word(
    struct srcmap_field *f, const char *word, size_t len, const char *value)
{
	bool   is_new;
	size_t i = hmap_intern(&f->from, word, len, &is_new);

	if (is_new) {
		xgrow(&f->to, &f->tocap, i + 1, sizeof(*f->to));
	} else {
		free(f->to[i]);
	}
	f->to[i] = xstrdup(value);
}

static void
add_folded(struct srcmap_field *f, const char *word, const char *value)
{
	struct buf b = { 0 };

	if (textnorm_fold(word, strlen(word), &b) == 0)
		add_word(f, buf_str(&b), b.len, value);
	buf_release(&b);
}

/* Check a value given for a closed field; returns a phrase or NULL. */
static const char *
bad_value(enum field_type t, const char *value)
{
	if (t == FT_GENDER && strcmp(value, "male") != 0 &&
	    strcmp(value, "female") != 0 && strcmp(value, "other") != 0 &&
	    value[0] != '\0')
		return "a gender must map to 'male', 'female', 'other' or ''";
	return NULL;
}

static struct srcmap_source *
new_source(struct srcmap *m, enum ci_kind k, const char *name,
    const struct srcmap_defaults *d, struct ci_err *e)
{
	struct srcmap_source   *s;
	const struct field_def *def;
	const struct tz        *z = NULL;
	const char             *region = d->region != NULL ? d->region : "CN";
	int                     cc = phone_region_code(region);
	size_t                  i;

	if (cc == 0) {
		ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "unknown region '%s' (want an ISO 3166 code such as CN)",
		    region);
		return NULL;
	}
	if (d->tz != NULL && (z = zone(m, d->tz, e)) == NULL)
		return NULL;
	xgrow(&m->src, &m->cap, m->n + 1, sizeof(*m->src));
	s = &m->src[m->n++];
	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->name = name != NULL ? xstrdup(name) : NULL;
	def = schema_fields(k, &s->nf);
	for (i = 0; i < s->nf; i++) {
		const struct vocab_entry *v = schema_vocab(def[i].type);

		s->f[i].order = d->order;
		s->f[i].tz = z;
		s->f[i].cc = cc;
		s->f[i].decimal_comma = d->decimal_comma;
		s->f[i].required = def[i].required;
		for (; v != NULL && v->from != NULL; v++)
			add_word(&s->f[i], v->from, strlen(v->from), v->to);
	}
	return s;
}

static int
field_index(const struct srcmap_source *s, const char *name, struct ci_err *e,
    const char *file, unsigned long line)
{
	struct buf              b = { 0 };
	size_t                  n, i;
	const struct field_def *def = schema_fields(s->kind, &n);
	int                     f = schema_field(s->kind, name);

	if (f >= 0)
		return f;
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s'%s'", b.len > 0 ? ", " : "", def[i].name);
	ci_err_set(e, CI_EXIT_USAGE, file, line,
	    "no field '%s' in %s records; fields are: %s", name,
	    schema_kind_name(s->kind), buf_str(&b));
	buf_release(&b);
	return -1;
}

int
srcmap_add_cli(struct srcmap *m, enum ci_kind k, const char *name,
    const struct recin_opts *in, const char *const *cols, size_t ncols,
    const struct srcmap_defaults *d, struct ci_err *e)
{
	struct srcmap_source *s = new_source(m, k, name, d, e);
	size_t                i;

	if (s == NULL)
		return -1;
	s->in = *in;
	for (i = 0; i < ncols; i++) {
		const char *eq = strchr(cols[i], '=');
		char        field[64];
		int         f;

		if (eq == NULL || eq == cols[i] || eq[1] == '\0' ||
		    (size_t)(eq - cols[i]) >= sizeof(field))
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for --col: want FIELD=COLUMN",
			    cols[i]);
		memcpy(field, cols[i], (size_t)(eq - cols[i]));
		field[eq - cols[i]] = '\0';
		if ((f = field_index(s, field, e, NULL, 0)) < 0)
			return -1;
		free(s->f[f].column);
		s->f[f].column = xstrdup(eq + 1);
	}
	return 0;
}

int
srcmap_add_value(struct srcmap *m, const char *spec, struct ci_err *e)
{
	const char *colon = strchr(spec, ':'), *eq, *why;
	char        field[64];
	size_t      i, used = 0;

	eq = colon != NULL ? strchr(colon, '=') : NULL;
	if (colon == NULL || eq == NULL || colon == spec ||
	    (size_t)(colon - spec) >= sizeof(field) || eq == colon + 1)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "bad value '%s' for --value: want FIELD:FROM=TO", spec);
	memcpy(field, spec, (size_t)(colon - spec));
	field[colon - spec] = '\0';
	for (i = 0; i < m->n; i++) {
		struct srcmap_source *s = &m->src[i];
		int                   f = schema_field(s->kind, field);
		char                 *from;
		size_t                n;

		if (f < 0)
			continue;
		why = bad_value(schema_fields(s->kind, &n)[f].type, eq + 1);
		if (why != NULL)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for --value: %s", spec, why);
		from = xmemdup(colon + 1, (size_t)(eq - colon - 1));
		add_folded(&s->f[f], from, eq + 1);
		free(from);
		used++;
	}
	if (used == 0 && m->n > 0)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "bad value '%s' for --value: no source has a field '%s'",
		    spec, field);
	return 0;
}

/* Point the error already in *e at node n of the YAML file. */
static int
at_node(const struct yamlcfg_doc *doc, const struct yamlcfg_node *n,
    struct ci_err *e)
{
	e->code = CI_EXIT_USAGE;
	e->line = n->line;
	snprintf(e->file, sizeof(e->file), "%s", doc->path);
	return -1;
}

/* Settings that a defaults block, a source or a field may carry. */
static int
read_settings(struct srcmap *m, const struct yamlcfg_doc *doc,
    const struct yamlcfg_node *n, struct srcmap_defaults *d, struct ci_err *e)
{
	const struct yamlcfg_node *v;
	const char                *s;

	if ((v = yamlcfg_get(n, "date_order")) != NULL) {
		if ((s = yamlcfg_scalar(doc, v, "'date_order'", e)) == NULL)
			return -1;
		if (parse_order(s, &d->order) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad date_order '%s': want dmy, mdy or auto", s);
	}
	if ((v = yamlcfg_get(n, "tz")) != NULL) {
		if ((s = yamlcfg_scalar(doc, v, "'tz'", e)) == NULL)
			return -1;
		if (zone(m, s, e) == NULL)
			return at_node(doc, v, e);
		d->tz = s;
	}
	if ((v = yamlcfg_get(n, "region")) != NULL) {
		if ((s = yamlcfg_scalar(doc, v, "'region'", e)) == NULL)
			return -1;
		if (phone_region_code(s) == 0)
			return yamlcfg_error(doc, v, e,
			    "unknown region '%s' (want an ISO 3166 code such "
			    "as CN)",
			    s);
		d->region = s;
	}
	if ((v = yamlcfg_get(n, "decimal_comma")) != NULL) {
		if ((s = yamlcfg_scalar(doc, v, "'decimal_comma'", e)) == NULL)
			return -1;
		if (parse_bool(s, &d->decimal_comma) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad decimal_comma '%s': want true or false", s);
	}
	return 0;
}

static int
read_field(struct srcmap *m, const struct yamlcfg_doc *doc,
    struct srcmap_source *s, int f, const struct yamlcfg_node *v,
    const struct srcmap_defaults *d, struct ci_err *e)
{
	static const char *const   known[] = { "column", "date_order", "tz",
		  "region", "decimal_comma", "required", NULL };
	struct srcmap_defaults     fd = *d;
	const struct yamlcfg_node *c;
	const char                *str;
	bool                       req;

	if (v->type == YAMLCFG_SCALAR) {
		s->f[f].column = xstrdup(v->scalar);
		return 0;
	}
	if (v->type != YAMLCFG_MAP)
		return yamlcfg_error(doc, v, e,
		    "a field must name a column or be a mapping with "
		    "'column'");
	if (yamlcfg_check_keys(doc, v, "a field", known, e) < 0 ||
	    read_settings(m, doc, v, &fd, e) < 0)
		return -1;
	if ((c = yamlcfg_get(v, "column")) != NULL) {
		if ((str = yamlcfg_scalar(doc, c, "'column'", e)) == NULL)
			return -1;
		s->f[f].column = xstrdup(str);
	}
	if ((c = yamlcfg_get(v, "required")) != NULL) {
		if ((str = yamlcfg_scalar(doc, c, "'required'", e)) == NULL)
			return -1;
		if (parse_bool(str, &req) < 0)
			return yamlcfg_error(doc, c, e,
			    "bad required '%s': want true or false", str);
		s->f[f].required = s->f[f].required || req;
	}
	s->f[f].order = fd.order;
	s->f[f].tz = fd.tz != NULL ? zone(m, fd.tz, e) : NULL;
	s->f[f].cc = phone_region_code(fd.region != NULL ? fd.region : "CN");
	s->f[f].decimal_comma = fd.decimal_comma;
	return 0;
}

static int
read_values(const struct yamlcfg_doc *doc, struct srcmap_source *s,
    const struct yamlcfg_node *v, struct ci_err *e)
{
	size_t      i, j, n;
	const char *why;

	if (v->type != YAMLCFG_MAP)
		return yamlcfg_error(
		    doc, v, e, "'values' must map fields to word lists");
	for (i = 0; i < v->n; i++) {
		const struct yamlcfg_node *words = v->items[i];
		int f = field_index(s, v->keys[i], e, doc->path, v->klines[i]);

		if (f < 0)
			return -1;
		if (words->type != YAMLCFG_MAP)
			return yamlcfg_error(doc, words, e,
			    "values of '%s' must map words to values",
			    v->keys[i]);
		for (j = 0; j < words->n; j++) {
			const char *to =
			    yamlcfg_scalar(doc, words->items[j], "a value", e);

			if (to == NULL)
				return -1;
			why = bad_value(schema_fields(s->kind, &n)[f].type, to);
			if (why != NULL)
				return yamlcfg_error(
				    doc, words->items[j], e, "%s", why);
			add_folded(&s->f[f], words->keys[j], to);
		}
	}
	return 0;
}

static int
read_strings(const struct yamlcfg_doc *doc, const struct yamlcfg_node *v,
    const char *what, char ***out, size_t *n, struct ci_err *e)
{
	size_t i;

	if (v->type == YAMLCFG_SCALAR) {
		*out = xcalloc(2, sizeof(**out));
		(*out)[0] = xstrdup(v->scalar);
		*n = 1;
		return 0;
	}
	if (v->type != YAMLCFG_SEQ)
		return yamlcfg_error(
		    doc, v, e, "%s must be a value or a list", what);
	*out = xcalloc(v->n + 1, sizeof(**out));
	for (i = 0; i < v->n; i++) {
		const char *s = yamlcfg_scalar(doc, v->items[i], what, e);

		if (s == NULL)
			return -1;
		(*out)[(*n)++] = xstrdup(s);
	}
	return 0;
}

static int
read_reading(const struct yamlcfg_doc *doc, struct srcmap_source *s,
    const struct yamlcfg_node *src, struct ci_err *e)
{
	const struct yamlcfg_node *v;
	const char                *str;
	char                     **names = NULL;
	size_t                     n = 0, i;
	bool                       b;

	if ((v = yamlcfg_get(src, "format")) != NULL) {
		if ((str = yamlcfg_scalar(doc, v, "'format'", e)) == NULL)
			return -1;
		if (rec_fmt_parse(str, &s->in.format) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad format '%s': want csv or ndjson", str);
	}
	if ((v = yamlcfg_get(src, "delimiter")) != NULL) {
		if ((str = yamlcfg_scalar(doc, v, "'delimiter'", e)) == NULL)
			return -1;
		if (recin_parse_delim(str, &s->in.delim) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad delimiter '%s': want one character, tab, "
			    "space or whitespace",
			    str);
	}
	if ((v = yamlcfg_get(src, "encoding")) != NULL) {
		if ((str = yamlcfg_scalar(doc, v, "'encoding'", e)) == NULL)
			return -1;
		s->encoding = xstrdup(str);
		s->in.encoding = s->encoding;
	}
	if ((v = yamlcfg_get(src, "no_header")) != NULL) {
		if ((str = yamlcfg_scalar(doc, v, "'no_header'", e)) == NULL)
			return -1;
		if (parse_bool(str, &b) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad no_header '%s': want true or false", str);
		s->in.no_header = b;
	}
	if ((v = yamlcfg_get(src, "column_names")) != NULL) {
		struct buf list = { 0 };
		int rc = read_strings(doc, v, "'column_names'", &names, &n, e);

		for (i = 0; i < n; i++) {
			buf_addf(&list, "%s%s", i > 0 ? "," : "", names[i]);
			free(names[i]);
		}
		free(names);
		if (rc < 0) {
			buf_release(&list);
			return -1;
		}
		s->columns = list.data;
		s->in.columns = s->columns;
	}
	return 0;
}

static int
read_source(struct srcmap *m, const struct yamlcfg_doc *doc,
    const struct yamlcfg_node *src, const struct srcmap_defaults *d,
    struct ci_err *e)
{
	static const char *const known[] = { "name", "kind", "files", "format",
		"delimiter", "encoding", "no_header", "column_names", "fields",
		"values", "required", "date_order", "tz", "region",
		"decimal_comma", "sentiment", NULL };
	struct srcmap_defaults   sd = *d;
	struct srcmap_source    *s;
	const struct yamlcfg_node *v;
	const char                *name, *kind;
	char                     **req = NULL;
	size_t                     i, nreq = 0;
	enum ci_kind               k;
	int                        rc = 0, f;

	if (src->type != YAMLCFG_MAP)
		return yamlcfg_error(doc, src, e, "a source must be a mapping");
	if ((v = yamlcfg_get(src, "name")) == NULL)
		return yamlcfg_error(doc, src, e, "source has no 'name'");
	if ((name = yamlcfg_scalar(doc, v, "'name'", e)) == NULL)
		return -1;
	if (srcmap_find(m, name) != NULL)
		return yamlcfg_error(
		    doc, v, e, "source '%s' defined twice", name);
	if ((v = yamlcfg_get(src, "kind")) == NULL)
		return yamlcfg_error(doc, src, e,
		    "source '%s' has no 'kind' (customer or event)", name);
	if ((kind = yamlcfg_scalar(doc, v, "'kind'", e)) == NULL)
		return -1;
	if (schema_kind_parse(kind, &k) < 0)
		return yamlcfg_error(
		    doc, v, e, "bad kind '%s': want customer or event", kind);
	{
		struct buf what = { 0 };

		buf_addf(&what, "source '%s'", name);
		rc = yamlcfg_check_keys(doc, src, buf_str(&what), known, e);
		buf_release(&what);
		if (rc < 0)
			return -1;
	}
	if (read_settings(m, doc, src, &sd, e) < 0)
		return -1;
	if ((s = new_source(m, k, name, &sd, e)) == NULL)
		return at_node(doc, src, e);
	s->line = src->line;
	if ((v = yamlcfg_get(src, "files")) != NULL &&
	    read_strings(doc, v, "'files'", &s->globs, &s->nglobs, e) < 0)
		return -1;
	if (read_reading(doc, s, src, e) < 0)
		return -1;
	if ((v = yamlcfg_get(src, "fields")) != NULL) {
		if (v->type != YAMLCFG_MAP)
			return yamlcfg_error(doc, v, e,
			    "'fields' must map canonical fields to columns");
		for (i = 0; i < v->n; i++) {
			f = field_index(
			    s, v->keys[i], e, doc->path, v->klines[i]);
			if (f < 0 ||
			    read_field(m, doc, s, f, v->items[i], &sd, e) < 0)
				return -1;
		}
	}
	if ((v = yamlcfg_get(src, "values")) != NULL &&
	    read_values(doc, s, v, e) < 0)
		return -1;
	if ((v = yamlcfg_get(src, "sentiment")) != NULL) {
		const char *b = yamlcfg_scalar(doc, v, "'sentiment'", e);

		if (b == NULL)
			return -1;
		if (parse_bool(b, &s->sentiment) < 0)
			return yamlcfg_error(doc, v, e,
			    "bad sentiment '%s': want true or false", b);
		if (s->sentiment && k != CI_KIND_EVENT)
			return yamlcfg_error(doc, v, e,
			    "sentiment scores the text of events: source "
			    "'%s' holds customers",
			    name);
	}
	if ((v = yamlcfg_get(src, "required")) != NULL) {
		rc = read_strings(doc, v, "'required'", &req, &nreq, e);
		for (i = 0; i < nreq && rc == 0; i++) {
			f = field_index(s, req[i], e, doc->path,
			    v->type == YAMLCFG_SEQ ? v->items[i]->line
			                           : v->line);
			if (f < 0)
				rc = -1;
			else
				s->f[f].required = true;
		}
		for (i = 0; i < nreq; i++)
			free(req[i]);
		free(req);
	}
	return rc;
}

int
srcmap_load(struct srcmap *m, const char *path, const struct srcmap_defaults *d,
    struct ci_err *e)
{
	static const char *const   known[] = { "defaults", "sources", NULL };
	static const char *const   known_defaults[] = { "date_order", "tz",
		  "region", "decimal_comma", NULL };
	struct srcmap_defaults     dd = *d;
	struct yamlcfg_doc         doc;
	const struct yamlcfg_node *v;
	size_t                     i;
	int                        rc = -1;

	if (yamlcfg_load(&doc, path, e) < 0)
		return -1;
	if (doc.root == NULL || doc.root->type != YAMLCFG_MAP) {
		yamlcfg_error(&doc, doc.root, e,
		    "a source map is a mapping with 'sources'");
		goto out;
	}
	if (yamlcfg_check_keys(&doc, doc.root, "the source map", known, e) < 0)
		goto out;
	if ((v = yamlcfg_get(doc.root, "defaults")) != NULL &&
	    (yamlcfg_check_keys(&doc, v, "'defaults'", known_defaults, e) < 0 ||
	        read_settings(m, &doc, v, &dd, e) < 0))
		goto out;
	v = yamlcfg_get(doc.root, "sources");
	if (v == NULL || v->type != YAMLCFG_SEQ || v->n == 0) {
		yamlcfg_error(&doc, v != NULL ? v : doc.root, e,
		    "'sources' must be a list of sources");
		goto out;
	}
	for (i = 0; i < v->n; i++)
		if (read_source(m, &doc, v->items[i], &dd, e) < 0)
			goto out;
	rc = 0;
out:
	yamlcfg_release(&doc);
	return rc;
}

const struct srcmap_source *
srcmap_match(const struct srcmap *m, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t      i, j;

	base = base != NULL ? base + 1 : path;
	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->src[i].nglobs; j++)
			if (fnmatch(m->src[i].globs[j], path, 0) == 0 ||
			    fnmatch(m->src[i].globs[j], base, 0) == 0)
				return &m->src[i];
	return NULL;
}

const struct srcmap_source *
srcmap_find(const struct srcmap *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->src[i].name != NULL && strcmp(m->src[i].name, name) == 0)
			return &m->src[i];
	return NULL;
}

const char *
srcmap_field_value(const struct srcmap_field *f, const char *s, size_t len,
    struct buf *scratch)
{
	long i;

	if (hmap_count(&f->from) == 0)
		return NULL;
	buf_reset(scratch);
	if (textnorm_fold(s, len, scratch) < 0)
		return NULL;
	i = hmap_find(
	    &f->from, scratch->data != NULL ? scratch->data : "", scratch->len);
	return i >= 0 ? f->to[i] : NULL;
}

void
srcmap_release(struct srcmap *m)
{
	size_t i, j, k;

	for (i = 0; i < m->n; i++) {
		struct srcmap_source *s = &m->src[i];

		for (j = 0; j < s->nf; j++) {
			for (k = 0; k < hmap_count(&s->f[j].from); k++)
				free(s->f[j].to[k]);
			free(s->f[j].to);
			free(s->f[j].column);
			hmap_release(&s->f[j].from);
		}
		for (j = 0; j < s->nglobs; j++)
			free(s->globs[j]);
		free(s->globs);
		free(s->name);
		free(s->columns);
		free(s->encoding);
	}
	free(m->src);
	for (i = 0; i < m->nzones; i++)
		tz_free(m->zones[i]);
	free(m->zones);
	memset(m, 0, sizeof(*m));
}
