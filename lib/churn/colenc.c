/*
 * colenc: typing the columns of a table and encoding its rows as
 * features.  Typing looks at statistics gathered in one pass; encoding a
 * row allocates nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "colenc.h"
#include "numfmt.h"
#include "timeparse.h"
#include "xalloc.h"

static const char *const type_names[] = { "numeric", "date", "categorical",
	"dropped" };

const char *
colenc_type_name(enum colenc_type t)
{
	return type_names[t];
}

int
colenc_parse_date(const char *s, size_t len, int64_t *day, const char **why)
{
	struct tp_result r;
	size_t           i;

	/* Year first with a dash: an ISO date, never an epoch count. */
	for (i = 0; i < 4; i++)
		if (i >= len || s[i] < '0' || s[i] > '9') {
			*why = "not an ISO 8601 date";
			return -1;
		}
	if (len < 5 || s[4] != '-') {
		*why = "not an ISO 8601 date";
		return -1;
	}
	if (timeparse(s, len, NULL, &r, why) == -1)
		return -1;
	*day = civil_day(r.utc);
	return 0;
}

void
colenc_stats_init(struct colenc_stats *st, const char *const *names, size_t n)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->names = xcalloc(n ? n : 1, sizeof(*st->names));
	st->s = xcalloc(n ? n : 1, sizeof(*st->s));
	for (i = 0; i < n; i++) {
		st->names[i] = xstrdup(names[i]);
		st->s[i].min = INFINITY;
		st->s[i].max = -INFINITY;
		st->s[i].dmin = INT64_MAX;
		st->s[i].dmax = INT64_MIN;
	}
}

void
colenc_stats_add(struct colenc_stats *st, const struct rec *rec)
{
	size_t i;

	st->rows++;
	for (i = 0; i < st->n && i < rec->n; i++) {
		struct colenc_stat *c = &st->s[i];
		const char         *s, *why;
		size_t              len, k;
		double              v;
		int64_t             d;
		bool                is_new;

		rec_field(rec, (int)i, &s, &len);
		if (len == 0)
			continue;
		c->nonempty++;
		if (numfmt_parse(s, len, &v) && isfinite(v)) {
			c->numbers++;
			c->min = fmin(c->min, v);
			c->max = fmax(c->max, v);
		} else if (colenc_parse_date(s, len, &d, &why) == 0) {
			c->dates++;
			c->dmin = d < c->dmin ? d : c->dmin;
			c->dmax = d > c->dmax ? d : c->dmax;
		}
		if (c->many)
			continue;
		if (hmap_count(&c->levels) >= COLENC_MAX_DISTINCT &&
		    hmap_find(&c->levels, s, len) < 0) {
			c->many = true;
			continue;
		}
		k = hmap_intern(&c->levels, s, len, &is_new);
		if (is_new) {
			xgrow(&c->count, &c->cap, k + 1, sizeof(*c->count));
			c->count[k] = 0;
		}
		c->count[k]++;
	}
}

void
colenc_stats_release(struct colenc_stats *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->names[i]);
		hmap_release(&st->s[i].levels);
		free(st->s[i].count);
	}
	free(st->names);
	free(st->s);
	memset(st, 0, sizeof(*st));
}

static bool
listed(const struct strv *l, const char *name)
{
	size_t i;

	for (i = 0; l != NULL && i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

/* Each name of l must be a column of st. */
static int
check_names(const struct strv *l, const char *opt,
    const struct colenc_stats *st, struct ci_err *e)
{
	size_t i, j;

	for (i = 0; l != NULL && i < l->n; i++) {
		char        name[256];
		const char *eq = strchr(l->v[i], '=');
		size_t      len = eq ? (size_t)(eq - l->v[i]) : strlen(l->v[i]);

		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, l->v[i], len);
		name[len] = '\0';
		for (j = 0; j < st->n; j++)
			if (strcmp(st->names[j], name) == 0)
				break;
		if (j == st->n)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for %s: no column '%s' in the "
			    "input",
			    l->v[i], opt, name);
	}
	return 0;
}

struct lev {
	const char *s;
	uint64_t    n;
};

static int
cmp_lev(const void *pa, const void *pb)
{
	const struct lev *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->s, b->s);
}

/* The levels of a categorical column: the frequent ones, most first. */
static void
set_levels(struct colenc_col *c, const struct colenc_stat *s, uint64_t rows)
{
	size_t      n = hmap_count(&s->levels), i;
	struct lev *l = xreallocarray(NULL, n ? n : 1, sizeof(*l));
	uint64_t    min = (uint64_t)ceil(0.005 * (double)rows);

	if (min < COLENC_RARE_MIN)
		min = COLENC_RARE_MIN;
	for (i = 0; i < n; i++) {
		l[i].s = hmap_key(&s->levels, i, NULL);
		l[i].n = s->count[i];
	}
	qsort(l, n, sizeof(*l), cmp_lev);
	c->levels = xcalloc(n ? n : 1, sizeof(*c->levels));
	for (i = 0; i < n; i++) {
		if (c->npooled == 0 && (l[i].n >= min || i == 0) &&
		    i < COLENC_MAX_LEVELS)
			c->nlevels++;
		else
			c->npooled++;
		c->levels[i] = xstrdup(l[i].s);
		hmap_intern(&c->lmap, l[i].s, strlen(l[i].s), NULL);
	}
	c->other = c->npooled > 0;
	free(l);
}

static void
drop(struct colenc_col *c, const char *why)
{
	c->type = COLENC_DROPPED;
	c->why = xstrdup(why);
}

/* Type column i of st into c. */
static void
type_column(struct colenc_col *c, const struct colenc_stats *st, size_t i,
    const struct colenc_opts *o)
{
	const struct colenc_stat *s = &st->s[i];
	const char               *id = o->id != NULL ? o->id : "customer_id";
	double                    ne = (double)s->nonempty;
	size_t                    distinct = hmap_count(&s->levels);

	if (o->label != NULL && strcmp(c->name, o->label) == 0)
		drop(c, "the label");
	else if (strcmp(c->name, id) == 0)
		drop(c, "the id");
	else if (o->only != NULL && o->only->n > 0 && !listed(o->only, c->name))
		drop(c, "not in --only");
	else if (listed(o->exclude, c->name))
		drop(c, "--exclude");
	else if (s->nonempty == 0)
		drop(c, "empty");
	else if (listed(o->categorical, c->name)) {
		c->type = COLENC_CATEGORICAL;
		set_levels(c, s, st->rows);
	} else if ((double)s->numbers >= COLENC_TYPED_SHARE * ne) {
		c->type = COLENC_NUMERIC;
		if (s->min == s->max)
			drop(c, "constant");
	} else if ((double)s->dates >= COLENC_TYPED_SHARE * ne) {
		c->type = COLENC_DATE;
		if (s->dmin == s->dmax)
			drop(c, "constant");
	} else if (s->many)
		drop(c, "id-like: over 1000 distinct values");
	else if (distinct == s->nonempty && s->nonempty >= 10)
		drop(c, "id-like: a distinct value in every row");
	else if (distinct == 1)
		drop(c, "constant");
	else {
		c->type = COLENC_CATEGORICAL;
		set_levels(c, s, st->rows);
	}
}

static void
add_feat(struct colenc *ce, size_t *cap, const char *name, const char *level)
{
	struct buf b = { 0 };

	buf_addstr(&b, name);
	if (level != NULL) {
		buf_addc(&b, '=');
		buf_addstr(&b, level);
	}
	xgrow(&ce->feat, cap, ce->nfeat + 1, sizeof(*ce->feat));
	ce->feat[ce->nfeat++] = b.data;
}

/* Number the features of the columns, in column order. */
static void
layout(struct colenc *ce)
{
	size_t i, j, cap = 0;

	for (i = 0; i < ce->n; i++) {
		struct colenc_col *c = &ce->col[i];

		c->first = ce->nfeat;
		c->in = -1;
		if (c->type == COLENC_NUMERIC || c->type == COLENC_DATE)
			add_feat(ce, &cap, c->name, NULL);
		else if (c->type == COLENC_CATEGORICAL) {
			for (j = 0; j < c->nlevels; j++)
				add_feat(ce, &cap, c->name, c->levels[j]);
			if (c->other)
				add_feat(ce, &cap, c->name, "(other)");
		}
		c->nfeat = ce->nfeat - c->first;
	}
}

/* One line of notes: the columns of type t, with what they need said. */
static void
note_type(const struct colenc *ce, enum colenc_type t, struct buf *notes)
{
	const char *head[] = { "numeric", "dates", "categorical", "left out" };
	size_t      i, k = 0;

	for (i = 0; i < ce->n; i++) {
		const struct colenc_col *c = &ce->col[i];

		if (c->type != t)
			continue;
		if (k++ == 0) {
			buf_addstr(notes, head[t]);
			if (t == COLENC_DATE) {
				char d[CIVIL_ISO_MAX];

				civil_format_date(d, ce->ref);
				buf_addf(notes, ", as days before %s", d);
			}
			buf_addstr(notes, ": ");
		} else
			buf_addstr(notes, ", ");
		buf_addstr(notes, c->name);
		if (t == COLENC_CATEGORICAL)
			buf_addf(notes, " (%zu level%s%s)", c->nlevels,
			    c->nlevels == 1 ? "" : "s",
			    c->other ? " + other" : "");
		else if (t == COLENC_DROPPED)
			buf_addf(notes, " (%s)", c->why);
	}
	if (k > 0)
		buf_addc(notes, '\n');
}

long
colenc_decide(struct colenc *ce, const struct colenc_stats *st,
    const struct colenc_opts *o, struct buf *notes, struct ci_err *e)
{
	size_t i, j;

	if (check_names(o->exclude, "--exclude", st, e) == -1 ||
	    check_names(o->only, "--only", st, e) == -1 ||
	    check_names(o->categorical, "--categorical", st, e) == -1 ||
	    check_names(o->units, "--unit", st, e) == -1)
		return -1;
	ce->n = st->n;
	ce->col = xcalloc(st->n ? st->n : 1, sizeof(*ce->col));
	ce->ref = INT64_MIN;
	for (i = 0; i < st->n; i++) {
		struct colenc_col *c = &ce->col[i];

		c->name = xstrdup(st->names[i]);
		type_column(c, st, i, o);
		if (c->type == COLENC_DATE && st->s[i].dmax > ce->ref)
			ce->ref = st->s[i].dmax;
		for (j = 0; o->units != NULL && j < o->units->n; j++) {
			const char *u = o->units->v[j];
			size_t      len = strlen(c->name);

			if (strncmp(u, c->name, len) == 0 && u[len] == '=') {
				free(c->unit);
				c->unit = xstrdup(u + len + 1);
			}
		}
	}
	ce->has_ref = ce->ref != INT64_MIN;
	if (ce->has_ref && o->has_asof)
		ce->ref = o->asof_day;
	if (!ce->has_ref)
		ce->ref = 0;
	layout(ce);
	for (i = 0; i < 4; i++)
		note_type(ce, (enum colenc_type)i, notes);
	return (long)ce->nfeat;
}

int
colenc_bind(
    struct colenc *ce, const char *const *names, size_t nin, struct ci_err *e)
{
	size_t i, j;

	for (i = 0; i < ce->n; i++) {
		struct colenc_col *c = &ce->col[i];

		c->in = -1;
		if (c->type == COLENC_DROPPED)
			continue;
		for (j = 0; j < nin; j++)
			if (strcmp(names[j], c->name) == 0) {
				c->in = (int)j;
				break;
			}
		if (c->in < 0) {
			struct buf b = { 0 };

			for (j = 0; j < nin; j++)
				buf_addf(&b, "%s'%s'", j ? ", " : "", names[j]);
			ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "missing column '%s', a feature of the model; "
			    "columns are: %s",
			    c->name, nin ? buf_str(&b) : "none");
			buf_release(&b);
			return -1;
		}
	}
	return 0;
}

int
colenc_row(const struct colenc *ce, const struct rec *rec, float *x,
    uint64_t *unseen, const char *file, struct ci_err *e)
{
	size_t i, j;

	for (i = 0; i < ce->n; i++) {
		const struct colenc_col *c = &ce->col[i];
		const char              *s, *why;
		size_t                   len;
		double                   v;
		int64_t                  d;
		long                     k;

		if (c->type == COLENC_DROPPED)
			continue;
		rec_field(rec, c->in, &s, &len);
		for (j = 0; j < c->nfeat; j++)
			x[c->first + j] = NAN;
		if (len == 0)
			continue;
		switch (c->type) {
		case COLENC_NUMERIC:
			if (!numfmt_parse(s, len, &v) || !isfinite(v))
				return ci_err_set(e, CI_EXIT_DATA, file,
				    rec->line,
				    "bad number '%.*s' in column '%s'",
				    (int)(len > 40 ? 40 : len), s, c->name);
			x[c->first] = (float)v;
			break;
		case COLENC_DATE:
			if (colenc_parse_date(s, len, &d, &why) == -1)
				return ci_err_set(e, CI_EXIT_DATA, file,
				    rec->line,
				    "bad date '%.*s' in column '%s': %s",
				    (int)(len > 40 ? 40 : len), s, c->name,
				    why);
			x[c->first] = (float)(ce->ref - d);
			break;
		case COLENC_CATEGORICAL:
			if ((k = hmap_find(&c->lmap, s, len)) < 0) {
				if (unseen != NULL)
					unseen[i]++;
				break;
			}
			for (j = 0; j < c->nfeat; j++)
				x[c->first + j] = 0;
			/* The pooled levels come after the kept ones. */
			if ((size_t)k >= c->nlevels)
				k = (long)c->nlevels;
			x[c->first + (size_t)k] = 1;
			break;
		case COLENC_DROPPED:
			break;
		}
	}
	return 0;
}

void
colenc_write(const struct colenc *ce, struct jsonw *w)
{
	size_t i, j;

	jsonw_key(w, "columns");
	jsonw_arr_begin(w);
	for (i = 0; i < ce->n; i++) {
		const struct colenc_col *c = &ce->col[i];

		jsonw_obj_begin(w);
		jsonw_key(w, "name");
		jsonw_str(w, c->name);
		jsonw_key(w, "type");
		jsonw_str(w, type_names[c->type]);
		if (c->type == COLENC_DROPPED) {
			jsonw_key(w, "why");
			jsonw_str(w, c->why);
		}
		if (c->unit != NULL) {
			jsonw_key(w, "unit");
			jsonw_str(w, c->unit);
		}
		if (c->type == COLENC_CATEGORICAL) {
			jsonw_key(w, "levels");
			jsonw_arr_begin(w);
			for (j = 0; j < c->nlevels; j++)
				jsonw_str(w, c->levels[j]);
			jsonw_arr_end(w);
			jsonw_key(w, "pooled");
			jsonw_arr_begin(w);
			for (j = 0; j < c->npooled; j++)
				jsonw_str(w, c->levels[c->nlevels + j]);
			jsonw_arr_end(w);
		}
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "date_reference");
	if (ce->has_ref) {
		char d[CIVIL_ISO_MAX];

		civil_format_date(d, ce->ref);
		jsonw_str(w, d);
	} else
		jsonw_null(w);
}

static int
bad(const char *path, struct ci_err *e, const char *what, size_t i)
{
	return ci_err_set(e, CI_EXIT_MODEL, path, 0,
	    "bad model: %s of column %zu", what, i + 1);
}

int
colenc_load(
    struct colenc *ce, const json_t *root, const char *path, struct ci_err *e)
{
	const json_t *cols = json_object_get(root, "columns");
	const json_t *ref = json_object_get(root, "date_reference");
	size_t        i, j;

	if (!json_is_array(cols))
		return ci_err_set(
		    e, CI_EXIT_MODEL, path, 0, "bad model: no 'columns'");
	ce->n = json_array_size(cols);
	ce->col = xcalloc(ce->n ? ce->n : 1, sizeof(*ce->col));
	for (i = 0; i < ce->n; i++) {
		struct colenc_col *c = &ce->col[i];
		const json_t      *o = json_array_get(cols, i);
		const char        *name =
		    json_string_value(json_object_get(o, "name"));
		const char *type =
		    json_string_value(json_object_get(o, "type"));
		const char *unit =
		    json_string_value(json_object_get(o, "unit"));
		const json_t *lv = json_object_get(o, "levels");
		const json_t *pl = json_object_get(o, "pooled");
		size_t        nl, np;
		int           t;

		if (name == NULL || type == NULL)
			return bad(path, e, "no name or type", i);
		c->name = xstrdup(name);
		for (t = 0; t < 4 && strcmp(type, type_names[t]) != 0; t++)
			;
		if (t == 4)
			return bad(path, e, "unknown type", i);
		c->type = (enum colenc_type)t;
		if (unit != NULL)
			c->unit = xstrdup(unit);
		if (c->type == COLENC_DROPPED) {
			const char *why =
			    json_string_value(json_object_get(o, "why"));

			c->why = xstrdup(why != NULL ? why : "");
		}
		if (c->type != COLENC_CATEGORICAL)
			continue;
		if (!json_is_array(lv) || !json_is_array(pl))
			return bad(path, e, "no levels", i);
		nl = json_array_size(lv);
		np = json_array_size(pl);
		c->levels = xcalloc(nl + np + 1, sizeof(char *));
		for (j = 0; j < nl + np; j++) {
			const char *s = json_string_value(j < nl
			        ? json_array_get(lv, j)
			        : json_array_get(pl, j - nl));

			if (s == NULL)
				return bad(
				    path, e, "a level that is not text", i);
			c->levels[j] = xstrdup(s);
			if (j < nl)
				c->nlevels++;
			else
				c->npooled++;
			hmap_intern(&c->lmap, s, strlen(s), NULL);
		}
		c->other = c->npooled > 0;
	}
	ce->has_ref = json_is_string(ref);
	ce->ref = 0;
	if (ce->has_ref) {
		const char *s = json_string_value(ref);
		const char *why;

		if (colenc_parse_date(s, strlen(s), &ce->ref, &why) == -1)
			return ci_err_set(e, CI_EXIT_MODEL, path, 0,
			    "bad model: date_reference '%s'", s);
	}
	layout(ce);
	return 0;
}

void
colenc_release(struct colenc *ce)
{
	size_t i, j;

	for (i = 0; i < ce->n; i++) {
		struct colenc_col *c = &ce->col[i];

		free(c->name);
		free(c->why);
		free(c->unit);
		for (j = 0; j < c->nlevels + c->npooled; j++)
			free(c->levels[j]);
		free(c->levels);
		hmap_release(&c->lmap);
	}
	for (i = 0; i < ce->nfeat; i++)
		free(ce->feat[i]);
	free(ce->feat);
	free(ce->col);
	memset(ce, 0, sizeof(*ce));
}
