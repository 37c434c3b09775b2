/*
 * dedupe: identity resolution (see dedupe.h).
 *
 * Records are kept as read, each row's fields NUL-terminated one after the
 * other in an arena; each compared column also goes into an mfield, which
 * interns its normalised values.  A blocking rule makes one or more keys
 * per record (a key per word for name_part, the date with day and month
 * swapped too); records sharing a key are candidate pairs, gathered as
 * (a << 32 | b) with a < b, sorted and made unique per rule, then merged
 * across the rules with a bit for each rule that made the pair (its EM
 * session's pairs).  Every output is in input order or sorted with a
 * total order, never in hash order, so that a run is reproducible byte
 * for byte.
 *
 * Customer ids: "c" and the 16 hex digits of XXH3-64 of the cluster's
 * least member key (source, a unit separator, source_key, compared
 * bytewise), rehashed with seeds 1, 2, ... in the rare case the id is
 * taken.  With a prior crosswalk, each old id goes to the cluster that
 * holds most of its records (ties: the first cluster in input order); a
 * cluster given several keeps the oldest (the earliest created_at among
 * its records; ties: the most records here, then the smaller id) and
 * retires the others (merged); a cluster given none takes a new id
 * (split, when it holds records of an old id, else new).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "civil.h"
#include "dedupe.h"
#include "fsmatch.h"
#include "hmap.h"
#include "idcard.h"
#include "jsonw.h"
#include "matchcfg.h"
#include "mfield.h"
#include "model.h"
#include "numfmt.h"
#include "phone.h"
#include "recin.h"
#include "recout.h"
#include "rng.h"
#include "timeparse.h"
#include "ufind.h"
#include "xalloc.h"

#define TOOL "ci-dedupe"
#define MODEL_KIND "fellegi-sunter"
#define MODEL_VERSION 2

#define MAX_PARTS 8
#define MAX_KEYS 16
#define NO_VALUE UINT32_MAX

/* The fewest pairs of a rule that EM estimates m on. */
#define MIN_SESSION_PAIRS 50

/* The Bayes factor, in bits, below which two records may not be in one
 * cluster (1000 to 1 that they are two people). */
#define GUARD_BITS 10

/* The most pairs the guard compares for one link, so that a cluster of
 * thousands (an office phone) costs no more than that per link. */
#define GUARD_MAX_PAIRS 65536

/* The added columns, in output order. */
static const char *const added_name[] = { "customer_id", "cluster_size",
	"match_probability" };
#define NADDED 3

/* The rules used when none are configured, each when its columns exist. */
static const char *const default_rules[] = { "phone", "email", "id_number",
	"name + birth_date", "name_part + birth_date", "name + address" };

/* The canonical fields a golden record has when present. */
static const char *const golden_fields[] = { "name", "email", "phone",
	"id_number", "birth_date", "gender", "city", "address", "created_at" };

enum part_mod { PM_WHOLE, PM_WORDS, PM_YEAR };

struct rule {
	char    *text;
	size_t   nparts;
	int      field[MAX_PARTS]; /* mfield index, or -1: the raw column */
	int      col[MAX_PARTS];
	int      mod[MAX_PARTS];
	uint64_t made; /* candidate pairs it made */
};

struct change {
	const char *kind;
	char       *id, *prev;
};

struct dedupe {
	const struct dedupe_opts *o;
	struct matchcfg           cfg;
	bool                      from_model;
	struct fsmatch            fs;
	struct mfield_spec       *mspec; /* from the model */
	size_t                    nmspec;
	int                       phone_cc;

	/* Binding. */
	bool          bound, kinds_kept;
	char        **cols;
	size_t        ncols;
	int           c_source, c_key, c_created;
	struct mfield f[FSMATCH_MAX_FIELDS];
	int           fcol[FSMATCH_MAX_FIELDS];
	size_t        nf;
	int           f_id; /* the strong identifier's field, or -1 */
	struct rule  *rules;
	size_t        nrules;
	char        **out;
	size_t        nout;
	int           pos[NADDED];
	int          *outadd;
	int          *gcol; /* golden: input column, rule */
	int          *grule;
	size_t        ng;

	/* Records. */
	char              **blocks;
	size_t              nblocks, capblocks, left;
	char               *next;
	char              **off;
	unsigned char      *kind;
	unsigned long      *line;
	int64_t            *created;
	size_t              n, cap;
	struct hmap         keys; /* source US source_key: record index */
	struct model_digest dg;

	/* Pairs. */
	uint64_t *pair;
	uint32_t *rmask; /* per pair: the rules that made it, a bit each */
	size_t    npairs;
	uint8_t  *lev;
	double   *weight;
	uint64_t  nrandom;
	double    rho; /* expected matching pairs per record */
	double    tfmean[FSMATCH_MAX_FIELDS]; /* mfield_count_mean() */

	/* The EM sessions, and the rule of each. */
	struct fsmatch_fit *fit;
	size_t             *fit_rule;
	size_t              nfit;

	/* Clusters. */
	uint32_t      *cl;     /* per record */
	uint32_t      *memb;   /* records by cluster */
	size_t        *mstart; /* ncl + 1 */
	size_t         ncl;
	double        *best;
	char         **cid;
	uint64_t       refused, guarded;
	const char    *degenerate; /* why the fit is, or NULL */
	struct change *chg;
	size_t         nchg, capchg;
};

void
dedupe_opts_init(struct dedupe_opts *o, uint64_t seed)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 0.95;
	o->max_pairs = 20000000;
	o->random_pairs = 200000;
	o->seed = seed;
	o->region = "CN";
}

/* The record's field c, and its length. */
static const char *
field(const struct dedupe *d, size_t r, int c, size_t *len)
{
	const char *p = d->off[r];
	int         i;

	if (c < 0) {
		*len = 0;
		return "";
	}
	for (i = 0; i < c; i++)
		p += strlen(p) + 1;
	*len = strlen(p);
	return p;
}

/* Model: comparisons and parameters. */

static int
broken(const struct model *m, const char *what, struct ci_err *e)
{
	return ci_err_set(
	    e, CI_EXIT_MODEL, m->path, 0, "broken model: %s", what);
}

/* The n probabilities of member key of x into v; false unless each is in
 * (0, 1]. */
static bool
probabilities(const json_t *x, const char *key, double *v, size_t n)
{
	const json_t *a = json_object_get(x, key), *p;
	size_t        l;

	if (!json_is_array(a) || json_array_size(a) != n)
		return false;
	for (l = 0; l < n; l++) {
		p = json_array_get(a, l);
		if (!json_is_number(p) || !(json_number_value(p) > 0) ||
		    json_number_value(p) > 1)
			return false;
		v[l] = json_number_value(p);
	}
	return true;
}

static int
load_model(struct dedupe *d, const char *path, struct ci_err *e)
{
	struct model  m;
	const json_t *a, *x, *v;
	size_t        i, nlev[FSMATCH_MAX_FIELDS];
	int           k, rc = -1;

	if (model_load(&m, path, TOOL, MODEL_VERSION, e) < 0)
		return -1;
	if (m.format_version < MODEL_VERSION) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "model of format %d, from an older ci-dedupe whose "
		    "parameters mean something else: estimate it again "
		    "with --save-model",
		    m.format_version);
		goto out;
	}
	if ((a = model_get(&m, "comparisons", e)) == NULL)
		goto out;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > FSMATCH_MAX_FIELDS) {
		broken(&m, "\"comparisons\" is not a list of comparisons", e);
		goto out;
	}
	d->nmspec = json_array_size(a);
	d->mspec = xcalloc(d->nmspec, sizeof(*d->mspec));
	for (i = 0; i < d->nmspec; i++) {
		struct mfield_spec *s = &d->mspec[i];

		x = json_array_get(a, i);
		v = json_object_get(x, "column");
		if (!json_is_string(v)) {
			broken(&m, "a comparison has no \"column\"", e);
			goto out;
		}
		s->column = xstrdup(json_string_value(v));
		v = json_object_get(x, "kind");
		k = json_is_string(v) ? mfield_kind_parse(json_string_value(v))
		                      : -1;
		if (k < 0) {
			broken(&m, "a comparison has no known \"kind\"", e);
			goto out;
		}
		s->kind = (enum mfield_kind)k;
		v = json_object_get(x, "similarity");
		k = json_is_string(v)
		    ? mfield_method_parse(json_string_value(v))
		    : -1;
		if (k < 0) {
			broken(
			    &m, "a comparison has no known \"similarity\"", e);
			goto out;
		}
		s->method = (enum mfield_method)k;
		v = json_object_get(x, "close");
		s->close = json_is_number(v) ? json_number_value(v) : -1;
		s->swap = json_is_true(json_object_get(x, "swap_day_month"));
		s->tf = json_is_true(json_object_get(x, "term_frequency"));
		nlev[i] = mfield_levels(s->kind);
	}
	fsmatch_init(&d->fs, d->nmspec, nlev);
	for (i = 0; i < d->nmspec; i++) {
		x = json_array_get(a, i);
		if (d->mspec[i].close < 0 ||
		    !probabilities(x, "m", d->fs.m[i], nlev[i]) ||
		    !probabilities(x, "u", d->fs.u[i], nlev[i])) {
			broken(&m,
			    "a comparison lacks \"close\", or \"m\" and "
			    "\"u\" of one probability above 0 per level",
			    e);
			goto out;
		}
	}
	if (model_number(&m, "matches_per_record", &d->rho, e) < 0)
		goto out;
	if (!(d->rho > 0) || !isfinite(d->rho)) {
		model_broken(&m, "matches_per_record", "a number above 0", e);
		goto out;
	}
	rc = 0;
out:
	model_free(&m);
	return rc;
}

struct dedupe *
dedupe_new(const struct dedupe_opts *o, struct ci_err *e)
{
	struct dedupe *d = xcalloc(1, sizeof(*d));

	d->o = o;
	d->f_id = -1;
	d->phone_cc = phone_region_code(o->region);
	hmap_init(&d->keys);
	model_digest_init(&d->dg);
	if (o->config != NULL && matchcfg_load(&d->cfg, o->config, e) < 0)
		goto fail;
	if (o->model != NULL) {
		if (d->cfg.has_cmp) {
			ci_err_set(e, CI_EXIT_USAGE, o->config, 0,
			    "'compare' is taken from --model: remove it or "
			    "the model");
			goto fail;
		}
		if (load_model(d, o->model, e) < 0)
			goto fail;
		d->from_model = true;
	}
	return d;
fail:
	dedupe_free(d);
	return NULL;
}

/* Binding: comparisons, rules, output columns. */

static int
add_field(struct dedupe *d, const struct recin *r, const struct mfield_spec *s,
    bool required, struct ci_err *e)
{
	int c = required ? recin_require(r, s->column, "to compare", e)
	                 : recin_find(r, s->column);

	if (c < 0)
		return required ? -1 : 0;
	mfield_init(&d->f[d->nf], s, d->phone_cc);
	d->fcol[d->nf] = c;
	if (strcmp(s->column, "id_number") == 0 && s->kind == MF_EXACT)
		d->f_id = (int)d->nf;
	d->nf++;
	return 0;
}

static int
field_of(const struct dedupe *d, const char *column)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (strcmp(d->f[i].spec.column, column) == 0)
			return (int)i;
	return -1;
}

/* Bind rule text; with optional, a rule whose columns are missing is
 * skipped (returns 0 without adding it). */
static int
add_rule(struct dedupe *d, const struct recin *r, const char *text,
    bool optional, struct ci_err *e)
{
	struct rule rl = { 0 };
	const char *p = text, *q;
	char        part[128], why[192];
	size_t      len;
	int         c;

	for (;;) {
		while (*p == ' ')
			p++;
		q = strchr(p, '+');
		len = q != NULL ? (size_t)(q - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (rl.nparts == MAX_PARTS || len >= sizeof(part))
			return ci_err_set(e, CI_EXIT_USAGE, d->o->config, 0,
			    "blocking rule '%s' is too long", text);
		memcpy(part, p, len);
		part[len] = '\0';
		rl.mod[rl.nparts] = PM_WHOLE;
		if (strcmp(part, "name_part") == 0) {
			rl.mod[rl.nparts] = PM_WORDS;
			strcpy(part, "name");
		} else if (strcmp(part, "birth_year") == 0) {
			rl.mod[rl.nparts] = PM_YEAR;
			strcpy(part, "birth_date");
		}
		snprintf(why, sizeof(why), "for blocking rule '%s'", text);
		c = optional ? recin_find(r, part)
		             : recin_require(r, part, why, e);
		if (c < 0) {
			if (optional)
				return 0;
			return -1;
		}
		rl.col[rl.nparts] = c;
		rl.field[rl.nparts] = field_of(d, part);
		if (rl.mod[rl.nparts] != PM_WHOLE &&
		    (rl.field[rl.nparts] < 0 ||
		        d->f[rl.field[rl.nparts]].spec.kind !=
		            (rl.mod[rl.nparts] == PM_WORDS ? MF_NAME
		                                           : MF_DATE)))
			return ci_err_set(e, CI_EXIT_USAGE, d->o->config, 0,
			    "blocking rule '%s': '%s' needs '%s' compared as "
			    "a %s",
			    text,
			    rl.mod[rl.nparts] == PM_WORDS ? "name_part"
			                                  : "birth_year",
			    part,
			    rl.mod[rl.nparts] == PM_WORDS ? "name" : "date");
		rl.nparts++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	rl.text = xstrdup(text);
	d->rules = xreallocarray(d->rules, d->nrules + 1, sizeof(*d->rules));
	d->rules[d->nrules++] = rl;
	return 0;
}

static void
layout(struct dedupe *d)
{
	size_t i, a;

	d->out = xcalloc(d->ncols + NADDED, sizeof(*d->out));
	d->outadd = xcalloc(d->ncols + NADDED, sizeof(*d->outadd));
	for (i = 0; i < d->ncols; i++) {
		d->out[i] = d->cols[i];
		d->outadd[i] = -1;
	}
	d->nout = d->ncols;
	for (a = 0; a < NADDED; a++) {
		for (i = 0; i < d->ncols; i++)
			if (strcmp(d->cols[i], added_name[a]) == 0)
				break;
		if (i == d->ncols) {
			d->out[d->nout] = (char *)added_name[a];
			i = d->nout++;
		}
		d->pos[a] = (int)i;
		d->outadd[i] = (int)a;
	}
}

static int
bind_golden(struct dedupe *d, const struct recin *r, struct ci_err *e)
{
	size_t i, j, ncfg = d->cfg.ngolden;
	int    c;

	d->gcol = xcalloc(NADDED + 9 + ncfg, sizeof(*d->gcol));
	d->grule = xcalloc(NADDED + 9 + ncfg, sizeof(*d->grule));
	for (i = 0; i < sizeof(golden_fields) / sizeof(golden_fields[0]); i++) {
		if ((c = recin_find(r, golden_fields[i])) < 0)
			continue;
		d->gcol[d->ng] = c;
		d->grule[d->ng++] = i == 6 || i == 7 ? GOLDEN_RECENT
		    : i == 8                         ? GOLDEN_FIRST
		                                     : GOLDEN_FREQUENT;
	}
	for (i = 0; i < ncfg; i++) {
		c = recin_require(r, d->cfg.gcol[i], "for 'golden'", e);
		if (c < 0)
			return -1;
		for (j = 0; j < d->ng; j++)
			if (d->gcol[j] == c)
				break;
		if (j == d->ng)
			d->gcol[d->ng++] = c;
		d->grule[j] = d->cfg.grule[i];
	}
	return 0;
}

static int
bind(struct dedupe *d, const struct recin *r, struct ci_err *e)
{
	const char *const *cols = recin_cols(r);
	struct mfield_spec s;
	size_t             i;

	d->ncols = recin_ncols(r);
	d->bound = true;
	d->kinds_kept = recin_format(r) == REC_FMT_NDJSON;
	d->cols = xcalloc(d->ncols, sizeof(*d->cols));
	for (i = 0; i < d->ncols; i++)
		d->cols[i] = xstrdup(cols[i]);
	if ((d->c_source = recin_require(r, "source", NULL, e)) < 0 ||
	    (d->c_key = recin_require(r, "source_key", NULL, e)) < 0)
		return -1;
	d->c_created = recin_find(r, "created_at");
	if (d->from_model) {
		for (i = 0; i < d->nmspec; i++)
			if (add_field(d, r, &d->mspec[i], true, e) < 0)
				return -1;
	} else if (d->cfg.has_cmp) {
		for (i = 0; i < d->cfg.ncmp; i++)
			if (add_field(d, r, &d->cfg.cmp[i], true, e) < 0)
				return -1;
	} else {
		for (i = 0; i < 8; i++) {
			mfield_default_spec(golden_fields[i], &s);
			if (add_field(d, r, &s, false, e) < 0)
				return -1;
		}
	}
	if (d->nf == 0)
		return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
		    "nothing to compare: no column of name, email, phone, "
		    "id_number, birth_date, gender, city or address");
	if (d->cfg.has_rules) {
		for (i = 0; i < d->cfg.nrules; i++)
			if (add_rule(d, r, d->cfg.rules[i], false, e) < 0)
				return -1;
	} else {
		for (i = 0; i < sizeof(default_rules) / sizeof(*default_rules);
		     i++)
			if (add_rule(d, r, default_rules[i], true, e) < 0)
				return -1;
	}
	if (d->nrules == 0)
		return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
		    "no blocking rule applies: the input has none of "
		    "phone, email, id_number, or name with birth_date or "
		    "address");
	layout(d);
	return bind_golden(d, r, e);
}

/* Records. */

#define BLOCK_SIZE ((size_t)16 << 20)

static char *
arena_alloc(struct dedupe *d, size_t n)
{
	char *p;

	if (d->nblocks == 0 || n > d->left) {
		xgrow(&d->blocks, &d->capblocks, d->nblocks + 1,
		    sizeof(*d->blocks));
		d->left = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		d->next = d->blocks[d->nblocks++] = xmalloc(d->left);
	}
	p = d->next;
	d->next += n;
	d->left -= n;
	return p;
}

static enum rec_status
add_record(
    struct dedupe *d, const struct rec *rec, const char *file, struct ci_err *e)
{
	const char      *src, *key, *why;
	size_t           ls, lk, total = 0, i, n = d->n, id;
	struct buf       k = { 0 };
	bool             is_new;
	char            *p;
	struct tp_result tr;

	rec_field(rec, d->c_source, &src, &ls);
	rec_field(rec, d->c_key, &key, &lk);
	if (lk == 0)
		return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		           "empty 'source_key'"),
		       REC_BAD;
	buf_add(&k, src, ls);
	buf_addc(&k, '\x1f');
	buf_add(&k, key, lk);
	id = hmap_intern(&d->keys, k.data, k.len, &is_new);
	buf_release(&k);
	if (!is_new)
		return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		           "repeated key '%.*s' of source '%.*s' (first on "
		           "line %lu)",
		           (int)lk, key, (int)ls, src, d->line[id]),
		       REC_BAD;
	if (n == d->cap) {
		size_t cap = d->cap;

		xgrow(&d->off, &d->cap, n + 1, sizeof(*d->off));
		xgrow(&d->line, &cap, d->cap, sizeof(*d->line));
		cap = n;
		xgrow(&d->created, &cap, d->cap, sizeof(*d->created));
		if (d->kinds_kept) {
			cap = n * d->ncols;
			xgrow(&d->kind, &cap, d->cap * d->ncols, 1);
		}
	}
	for (i = 0; i < d->ncols; i++)
		total += rec->len[i] + 1;
	p = d->off[n] = arena_alloc(d, total);
	for (i = 0; i < d->ncols; i++) {
		memcpy(p, rec->f[i], rec->len[i]);
		p[rec->len[i]] = '\0';
		p += rec->len[i] + 1;
		if (d->kinds_kept)
			d->kind[n * d->ncols + i] = rec->kind[i];
	}
	d->line[n] = rec->line;
	d->created[n] = INT64_MIN;
	rec_field(rec, d->c_created, &src, &ls);
	if (ls > 0 && timeparse(src, ls, NULL, &tr, &why) == 0)
		d->created[n] = tr.utc;
	for (i = 0; i < d->nf; i++) {
		rec_field(rec, d->fcol[i], &src, &ls);
		mfield_add(&d->f[i], src, ls);
	}
	model_digest_rec(&d->dg, rec, d->fcol, d->nf);
	d->n++;
	return REC_ROW;
}

struct reading {
	struct dedupe *d;
	enum rec_fmt  *fmt;
};

static int
read_open(void *ctx, struct recin *r, size_t i, struct ci_err *e)
{
	struct reading    *g = ctx;
	struct dedupe     *d = g->d;
	const char *const *cols = recin_cols(r);
	size_t             j;

	(void)i;
	if (recin_ncols(r) == 0)
		return 0;
	if (!d->bound) {
		*g->fmt = recin_format(r);
		return bind(d, r, e);
	}
	if (recin_ncols(r) != d->ncols)
		goto differ;
	for (j = 0; j < d->ncols; j++)
		if (strcmp(cols[j], d->cols[j]) != 0)
			goto differ;
	return 0;
differ:
	return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
	    "the columns differ from those of the first input");
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading *g = ctx;

	return add_record(g->d, rec, file, e);
}

int
dedupe_read(struct dedupe *d, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, enum rec_fmt *fmt, struct ci_err *e)
{
	struct reading              g = { d, fmt };
	const struct parread_reader rd = {
		.open = read_open, .row = read_row, .ctx = &g
	};

	return parread_files(in, &rd, rj, rows, e);
}

/* Blocking. */

struct bkey {
	uint64_t h;
	uint32_t r;
};

static int
bkey_cmp(const void *pa, const void *pb)
{
	const struct bkey *a = pa, *b = pb;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->r > b->r) - (a->r < b->r);
}

static int
u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* The alternatives of part k of rule rl for record r into alt[] (at most
 * MAX_KEYS), each as (pointer, length); a date compared with day and
 * month swapped has the swapped date too, written in sw. */
static size_t
part_values(const struct dedupe *d, const struct rule *rl, size_t k, size_t r,
    const char **alt, size_t *alen, char sw[11])
{
	const struct mfield *f = rl->field[k] >= 0 ? &d->f[rl->field[k]] : NULL;
	const char          *s;
	size_t               len, n = 0, i, st;

	if (rl->field[k] >= 0)
		s = mfield_value(&d->f[rl->field[k]], r, &len);
	else
		s = field(d, r, rl->col[k], &len);
	if (s == NULL || len == 0)
		return 0;
	if (rl->mod[k] == PM_YEAR) {
		alt[0] = s;
		alen[0] = len < 4 ? len : 4;
		return 1;
	}
	if (rl->mod[k] == PM_WHOLE) {
		alt[0] = s;
		alen[0] = len;
		if (f == NULL || f->spec.kind != MF_DATE || !f->spec.swap ||
		    len != 10 || s[4] != '-' || s[7] != '-' ||
		    memcmp(s + 5, s + 8, 2) == 0 || memcmp(s + 8, "12", 2) > 0)
			return 1;
		memcpy(sw, s, 5);
		memcpy(sw + 5, s + 8, 2);
		sw[7] = '-';
		memcpy(sw + 8, s + 5, 2);
		sw[10] = '\0';
		alt[1] = sw;
		alen[1] = 10;
		return 2;
	}
	for (i = 0; i < len && n < MAX_KEYS;) {
		while (i < len && s[i] == ' ')
			i++;
		st = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i > st) {
			alt[n] = s + st;
			alen[n++] = i - st;
		}
	}
	return n;
}

/* The keys of record r under rule rl, hashed, appended to *keys. */
static void
rule_keys(const struct dedupe *d, const struct rule *rl, size_t r,
    struct bkey **keys, size_t *nkeys, size_t *cap, struct buf *b)
{
	const char *alt[MAX_PARTS][MAX_KEYS];
	size_t      alen[MAX_PARTS][MAX_KEYS], nalt[MAX_PARTS];
	size_t      idx[MAX_PARTS] = { 0 }, k, made = 0;
	char        sw[MAX_PARTS][11];

	for (k = 0; k < rl->nparts; k++)
		if ((nalt[k] = part_values(
		         d, rl, k, r, alt[k], alen[k], sw[k])) == 0)
			return;
	for (;;) {
		buf_reset(b);
		for (k = 0; k < rl->nparts; k++) {
			buf_add(b, alt[k][idx[k]], alen[k][idx[k]]);
			buf_addc(b, '\x1f');
		}
		xgrow(keys, cap, *nkeys + 1, sizeof(**keys));
		(*keys)[*nkeys].h = hmap_hash(b->data, b->len);
		(*keys)[(*nkeys)++].r = (uint32_t)r;
		if (++made == MAX_KEYS)
			return;
		for (k = 0; k < rl->nparts; k++) {
			if (++idx[k] < nalt[k])
				break;
			idx[k] = 0;
		}
		if (k == rl->nparts)
			return;
	}
}

/* Sort and make unique n pairs; returns how many are left. */
static size_t
sort_unique(uint64_t *p, size_t n)
{
	size_t i, g;

	qsort(p, n, sizeof(*p), u64_cmp);
	for (i = g = 0; i < n; i++)
		if (g == 0 || p[i] != p[g - 1])
			p[g++] = p[i];
	return g;
}

/* Merge the n sorted pairs of rule r into the candidates. */
static void
merge_pairs(struct dedupe *d, const uint64_t *p, size_t n, size_t r)
{
	size_t    total = d->npairs + n, i = 0, j = 0, k = 0;
	uint64_t *pair = xcalloc(total ? total : 1, sizeof(*pair));
	uint32_t *mask = xcalloc(total ? total : 1, sizeof(*mask));

	while (i < d->npairs || j < n) {
		if (j == n || (i < d->npairs && d->pair[i] < p[j])) {
			pair[k] = d->pair[i];
			mask[k++] = d->rmask[i++];
		} else if (i == d->npairs || p[j] < d->pair[i]) {
			pair[k] = p[j++];
			mask[k++] = (uint32_t)1 << r;
		} else {
			pair[k] = d->pair[i];
			mask[k++] = d->rmask[i++] | (uint32_t)1 << r;
			j++;
		}
	}
	free(d->pair);
	free(d->rmask);
	d->pair = pair;
	d->rmask = mask;
	d->npairs = k;
}

static int
block(struct dedupe *d, struct ci_err *e)
{
	struct bkey *keys = NULL;
	uint64_t    *rp;
	size_t       nkeys, cap = 0, capp, nrp, i, j, a, b, r;
	struct buf   t = { 0 };
	uint64_t     total;

	for (r = 0; r < d->nrules; r++) {
		struct rule *rl = &d->rules[r];

		nkeys = 0;
		for (i = 0; i < d->n; i++)
			rule_keys(d, rl, i, &keys, &nkeys, &cap, &t);
		qsort(keys, nkeys, sizeof(*keys), bkey_cmp);
		total = 0;
		for (i = 0; i < nkeys; i = j) {
			for (j = i + 1; j < nkeys && keys[j].h == keys[i].h;
			     j++)
				;
			total += (uint64_t)(j - i) * (j - i - 1) / 2;
		}
		if (total > d->o->max_pairs) {
			buf_release(&t);
			free(keys);
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "blocking rule '%s' makes %llu candidate pairs, "
			    "more than --max-pairs %llu: add a part to it "
			    "(+ birth_date, + city) or raise --max-pairs",
			    rl->text, (unsigned long long)total,
			    (unsigned long long)d->o->max_pairs);
		}
		capp = (size_t)total;
		rp = xcalloc(capp ? capp : 1, sizeof(*rp));
		nrp = 0;
		for (i = 0; i < nkeys; i = j) {
			for (j = i + 1; j < nkeys && keys[j].h == keys[i].h;
			     j++)
				;
			for (a = i; a < j; a++)
				for (b = a + 1; b < j; b++)
					if (keys[a].r != keys[b].r)
						rp[nrp++] = (uint64_t)keys[a].r
						        << 32 |
						    keys[b].r;
		}
		nrp = sort_unique(rp, nrp);
		rl->made = nrp;
		merge_pairs(d, rp, nrp, r);
		free(rp);
	}
	buf_release(&t);
	free(keys);
	return 0;
}

/* Comparing and scoring. */

static void
levels(const struct dedupe *d, size_t a, size_t b, uint8_t *lev)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		lev[i] = (uint8_t)mfield_compare(&d->f[i], a, b);
}

static void
estimate_u(struct dedupe *d)
{
	struct rng rng;
	uint8_t   *lev;
	uint64_t   n = d->n, all = n * (n - 1) / 2, k = 0, i, a, b;

	if (n < 2)
		return;
	d->nrandom = all < d->o->random_pairs ? all : d->o->random_pairs;
	lev = xcalloc(d->nrandom, d->nf);
	rng_init(&rng, d->o->seed);
	if (d->nrandom == all) {
		for (a = 0; a < n; a++)
			for (b = a + 1; b < n; b++)
				levels(d, a, b, lev + k++ * d->nf);
	} else {
		for (i = 0; i < d->nrandom; i++) {
			a = rng_below(&rng, n);
			do
				b = rng_below(&rng, n);
			while (b == a);
			levels(d, a, b, lev + i * d->nf);
		}
	}
	fsmatch_u(&d->fs, lev, d->nrandom);
	free(lev);
}

/* The Bayes factor of a pair whose levels are lev; a is one of its
 * records, whose value counts the term frequencies take. */
static double
pair_bf(const struct dedupe *d, size_t a, const uint8_t *lev)
{
	double tfr[FSMATCH_MAX_FIELDS];
	size_t i;

	for (i = 0; i < d->nf; i++)
		tfr[i] = d->f[i].spec.tf && lev[i] == 0 && d->tfmean[i] > 0
		    ? mfield_count(&d->f[i], a) / d->tfmean[i]
		    : 0;
	return fsmatch_bf(&d->fs, lev, tfr);
}

/* The Bayes factor of each candidate pair, into d->weight. */
static void
bayes_factors(struct dedupe *d)
{
	size_t p, i;

	for (i = 0; i < d->nf; i++)
		d->tfmean[i] = mfield_count_mean(&d->f[i]);
	free(d->weight);
	d->weight = xcalloc(d->npairs ? d->npairs : 1, sizeof(*d->weight));
	for (p = 0; p < d->npairs; p++)
		d->weight[p] =
		    pair_bf(d, (size_t)(d->pair[p] >> 32), d->lev + p * d->nf);
}

/* Whether rule rl blocks on field i's column. */
static bool
rule_uses(const struct dedupe *d, const struct rule *rl, size_t i)
{
	size_t k;

	for (k = 0; k < rl->nparts; k++)
		if (rl->col[k] == d->fcol[i])
			return true;
	return false;
}

/* One EM session over the pairs of rule r (fsmatch.h); fills *fit. */
static void
session(struct dedupe *d, size_t r, struct fsmatch_fit *fit)
{
	struct fsmatch_pats pats;
	bool                est[FSMATCH_MAX_FIELDS];
	size_t              i, p;

	for (i = 0; i < d->nf; i++)
		est[i] = !rule_uses(d, &d->rules[r], i);
	fsmatch_pats_init(&pats, d->nf);
	for (p = 0; p < d->npairs; p++)
		if (d->rmask[p] >> r & 1)
			fsmatch_pats_add(&pats, d->lev + p * d->nf);
	(void)fsmatch_em(&d->fs, &pats, est, 500, 1e-7, fit);
	fsmatch_pats_release(&pats);
}

/*
 * u of the exact level of each field that a rule blocks on alone: every
 * pair of records that agree on it exactly is one of that rule's, so
 * the session's expected non-matches at that level, over all the pairs
 * of records that both have the field, is that u; far below what random
 * pairs can resolve (one in a few hundred thousand) for a phone or an
 * ID number, which two people seldom share.
 */
static void
exact_u(struct dedupe *d, struct buf *notes)
{
	double n = (double)d->n, both, u, old;
	size_t k, i, l, r;

	for (k = 0; k < d->nfit; k++) {
		const struct rule *rl = &d->rules[d->fit_rule[k]];

		if (rl->nparts != 1 || rl->mod[0] != PM_WHOLE ||
		    rl->field[0] < 0)
			continue;
		i = (size_t)rl->field[0];
		for (r = 0; r < k; r++)
			if (d->rules[d->fit_rule[r]].nparts == 1 &&
			    d->rules[d->fit_rule[r]].field[0] == rl->field[0])
				break;
		if (r < k)
			continue;
		both =
		    (double)d->f[i].nonnull * ((double)d->f[i].nonnull - 1) / 2;
		if (!(both > 0) || n < 2)
			continue;
		u = fmin(
		    fmax(d->fit[k].nu[i][0], 0.5) / both, 1 - FSMATCH_PMIN);
		old = d->fs.u[i][0];
		d->fs.u[i][0] = u;
		for (l = 1; l < d->fs.nlev[i]; l++)
			d->fs.u[i][l] *= (1 - u) / (1 - old);
		buf_addf(notes,
		    "u of exact '%s' from the non-matches of rule '%s': %.3g "
		    "(random pairs: %.3g)\n",
		    d->f[i].spec.column, rl->text, u, old);
	}
}

/*
 * m by EM, one session per blocking rule over the pairs it made, without
 * the fields it blocks on (fsmatch.h); a rule of fewer than
 * MIN_SESSION_PAIRS pairs is passed over.  Returns 1 when the fit is
 * degenerate (the warning in notes), else 0.
 */
static int
estimate_m(struct dedupe *d, struct buf *notes)
{
	double   evidence[FSMATCH_MAX_FIELDS], matches = 0;
	size_t   r, i;
	uint64_t most = 0;
	int      rc = 0;

	d->fit = xcalloc(d->nrules + 1, sizeof(*d->fit));
	d->fit_rule = xcalloc(d->nrules + 1, sizeof(*d->fit_rule));
	buf_addstr(notes, "m by EM per blocking rule:");
	for (r = 0; r < d->nrules; r++) {
		struct fsmatch_fit *f = &d->fit[d->nfit];

		if (d->rules[r].made > most)
			most = d->rules[r].made;
		buf_addf(notes, "%s '%s'", r > 0 ? "," : "", d->rules[r].text);
		if (d->rules[r].made < MIN_SESSION_PAIRS) {
			buf_addstr(notes, " too few pairs");
			continue;
		}
		session(d, r, f);
		buf_addf(notes, " %d iterations, share of matches %.3g",
		    f->iterations, f->lambda);
		if (!f->converged) {
			buf_addstr(notes, " (not converged)");
			rc = 1;
		}
		matches += f->lambda * (double)f->npairs;
		d->fit_rule[d->nfit++] = r;
	}
	buf_addc(notes, '\n');
	fsmatch_pool(&d->fs, d->fit, d->nfit, evidence);
	exact_u(d, notes);
	if (d->nfit == 0) {
		d->degenerate = "too few candidate pairs to estimate m on";
		buf_addf(notes,
		    "warning: too few candidate pairs to estimate m on (%llu "
		    "in the largest rule, %d wanted): m is its default; "
		    "estimate on more records with --save-model and resolve "
		    "with --model\n",
		    (unsigned long long)most, MIN_SESSION_PAIRS);
		return 1;
	}
	if (matches < 1) {
		d->degenerate = "no matches among the candidate pairs";
		buf_addstr(notes,
		    "warning: the EM fit is degenerate: no matches among the "
		    "candidate pairs to estimate m on\n");
		return 1;
	}
	if (rc != 0) {
		d->degenerate = "EM did not converge";
		buf_addstr(notes,
		    "warning: the EM fit is degenerate: not converged\n");
	}
	for (i = 0; i < d->nf; i++)
		if (!(evidence[i] > 0) && d->f[i].nonnull > 0)
			buf_addf(notes,
			    "warning: m of '%s' is its default: every rule "
			    "that was estimated on blocks on it\n",
			    d->f[i].spec.column);
	return rc;
}

/*
 * The prior: from the candidates' Bayes factors (fsmatch_prior), or,
 * with a model, from its matching pairs per record: n records hold about
 * rho n matching pairs among their n (n - 1) / 2.
 */
static void
prior(struct dedupe *d, struct buf *notes)
{
	double n = (double)d->n, matches;

	if (d->from_model) {
		d->fs.lambda = n < 2 ? 0.5 : fmin(2 * d->rho / (n - 1), 0.5);
		return;
	}
	d->fs.lambda =
	    fsmatch_prior(d->weight, d->npairs, n * (n - 1) / 2, &matches);
	d->rho = n > 0 ? matches / n : 0;
	buf_addf(notes,
	    "%.0f matching pairs expected, %.3g per record: two records "
	    "match with prior probability %.3g\n",
	    matches, d->rho, d->fs.lambda);
}

/* Clusters. */

/* A record's valid identity card number (its value id), or NO_VALUE. */
static uint32_t
strong_id(const struct dedupe *d, size_t r)
{
	const struct mfield *f;
	struct idcard        card;
	const char          *s;
	size_t               len;

	if (d->f_id < 0)
		return NO_VALUE;
	f = &d->f[d->f_id];
	if ((s = mfield_value(f, r, &len)) == NULL ||
	    idcard_check(s, len, civil_to_days(9999, 12, 31), &card) !=
	        IDCARD_OK)
		return NO_VALUE;
	return mfield_vid(f, r);
}

/*
 * Whether joining the clusters of ra and rb (members in the cycles of
 * next) would put together two records that, compared on their own, are
 * different people by a Bayes factor below 2^-GUARD_BITS: the guard
 * against chaining, where a link made by one shared value (an e-mail
 * address, a common name and birth date) would merge two people.  At most
 * GUARD_MAX_PAIRS pairs are compared.
 */
static bool
conflict(const struct dedupe *d, const uint32_t *next, uint32_t ra, uint32_t rb)
{
	uint8_t  lev[FSMATCH_MAX_FIELDS];
	uint32_t x = ra, y;
	size_t   n = 0;

	if (next[ra] == ra && next[rb] == rb)
		return false;
	do {
		y = rb;
		do {
			levels(d, x, y, lev);
			if (pair_bf(d, x, lev) < -GUARD_BITS)
				return true;
			y = next[y];
		} while (y != rb && ++n < GUARD_MAX_PAIRS);
		x = next[x];
	} while (x != ra && n < GUARD_MAX_PAIRS);
	return false;
}

struct edge {
	double   w;
	uint64_t pair;
};

static int
edge_cmp(const void *pa, const void *pb)
{
	const struct edge *a = pa, *b = pb;

	if (a->w != b->w)
		return a->w > b->w ? -1 : 1;
	return (a->pair > b->pair) - (a->pair < b->pair);
}

static void
cluster(struct dedupe *d)
{
	struct ufind uf;
	struct edge *ed = xcalloc(d->npairs ? d->npairs : 1, sizeof(*ed));
	uint32_t    *sid = xcalloc(d->n ? d->n : 1, sizeof(*sid)), ra, rb, root;
	uint32_t    *next;
	size_t       ne = 0, p, i, *fill;
	double       pr;

	d->best = xcalloc(d->n ? d->n : 1, sizeof(*d->best));
	for (i = 0; i < d->n; i++) {
		d->best[i] = NAN;
		sid[i] = strong_id(d, i);
	}
	for (p = 0; p < d->npairs; p++) {
		uint32_t a = (uint32_t)(d->pair[p] >> 32);
		uint32_t b = (uint32_t)d->pair[p];

		pr = fsmatch_probability(d->weight[p]);
		if (isnan(d->best[a]) || pr > d->best[a])
			d->best[a] = pr;
		if (isnan(d->best[b]) || pr > d->best[b])
			d->best[b] = pr;
		if (pr >= d->o->threshold) {
			ed[ne].w = d->weight[p];
			ed[ne++].pair = d->pair[p];
		}
	}
	qsort(ed, ne, sizeof(*ed), edge_cmp);
	ufind_init(&uf, d->n);
	next = xcalloc(d->n ? d->n : 1, sizeof(*next));
	for (i = 0; i < d->n; i++)
		next[i] = (uint32_t)i;
	for (p = 0; p < ne; p++) {
		ra = ufind_find(&uf, (uint32_t)(ed[p].pair >> 32));
		rb = ufind_find(&uf, (uint32_t)ed[p].pair);
		if (ra == rb)
			continue;
		if (sid[ra] != NO_VALUE && sid[rb] != NO_VALUE &&
		    sid[ra] != sid[rb]) {
			d->refused++;
			continue;
		}
		if (conflict(d, next, ra, rb)) {
			d->guarded++;
			continue;
		}
		root = ufind_union(&uf, ra, rb);
		sid[root] = sid[ra] != NO_VALUE ? sid[ra] : sid[rb];
		i = next[ra];
		next[ra] = next[rb];
		next[rb] = (uint32_t)i;
	}
	free(next);
	/* Clusters numbered in the order of their first record. */
	d->cl = xcalloc(d->n ? d->n : 1, sizeof(*d->cl));
	for (i = 0; i < d->n; i++)
		sid[i] = NO_VALUE;
	for (i = 0; i < d->n; i++) {
		root = ufind_find(&uf, (uint32_t)i);
		if (sid[root] == NO_VALUE)
			sid[root] = (uint32_t)d->ncl++;
		d->cl[i] = sid[root];
	}
	d->mstart = xcalloc(d->ncl + 2, sizeof(*d->mstart));
	for (i = 0; i < d->n; i++)
		d->mstart[d->cl[i] + 1]++;
	for (i = 0; i < d->ncl; i++)
		d->mstart[i + 1] += d->mstart[i];
	fill = xcalloc(d->ncl + 1, sizeof(*fill));
	d->memb = xcalloc(d->n ? d->n : 1, sizeof(*d->memb));
	for (i = 0; i < d->n; i++)
		d->memb[d->mstart[d->cl[i]] + fill[d->cl[i]]++] = (uint32_t)i;
	free(fill);
	free(sid);
	free(ed);
	ufind_release(&uf);
}

/* Ids. */

/* The key of record r, "source US source_key". */
static const char *
rec_key(const struct dedupe *d, size_t r, size_t *len)
{
	return hmap_key(&d->keys, r, len);
}

static int
key_cmp(const struct dedupe *d, size_t a, size_t b)
{
	size_t      la, lb;
	const char *sa = rec_key(d, a, &la), *sb = rec_key(d, b, &lb);
	int         c = memcmp(sa, sb, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

/* A new id for cluster c, not in taken (which gets it). */
static char *
new_id(const struct dedupe *d, size_t c, struct hmap *taken)
{
	size_t      i, least = d->memb[d->mstart[c]], len;
	const char *k;
	char        id[24];
	uint64_t    seed = 0;
	bool        is_new;

	for (i = d->mstart[c] + 1; i < d->mstart[c + 1]; i++)
		if (key_cmp(d, d->memb[i], least) < 0)
			least = d->memb[i];
	k = rec_key(d, least, &len);
	do {
		snprintf(id, sizeof(id), "c%016llx",
		    (unsigned long long)XXH3_64bits_withSeed(k, len, seed++));
		(void)hmap_intern(taken, id, strlen(id), &is_new);
	} while (!is_new);
	return xstrdup(id);
}

static void
add_change(struct dedupe *d, const char *kind, const char *id, const char *prev)
{
	xgrow(&d->chg, &d->capchg, d->nchg + 1, sizeof(*d->chg));
	d->chg[d->nchg].kind = kind;
	d->chg[d->nchg].id = xstrdup(id != NULL ? id : "");
	d->chg[d->nchg++].prev = xstrdup(prev != NULL ? prev : "");
}

/* Read the prior crosswalk: each record's old id (an index of old), or
 * -1. */
static int
read_prior(struct dedupe *d, struct hmap *old, long *rold, struct ci_err *e)
{
	struct recin_opts ro = { 0 };
	struct recin     *r = recin_open(d->o->prior, &ro, e);
	struct rec        rec;
	struct buf        k = { 0 };
	const char       *s, *key, *id;
	size_t            ls, lk, li;
	int               cs, ck, ci, rc = -1;
	enum rec_status   st;
	long              x;
	bool              is_new;

	if (r == NULL)
		return -1;
	if (recin_ncols(r) == 0) {
		rc = 0;
		goto out;
	}
	if ((cs = recin_require(r, "source", "in --prior", e)) < 0 ||
	    (ck = recin_require(r, "source_key", "in --prior", e)) < 0 ||
	    (ci = recin_require(r, "customer_id", "in --prior", e)) < 0)
		goto out;
	while ((st = recin_read(r, &rec, e)) == REC_ROW) {
		rec_field(&rec, cs, &s, &ls);
		rec_field(&rec, ck, &key, &lk);
		rec_field(&rec, ci, &id, &li);
		if (li == 0) {
			ci_err_set(e, CI_EXIT_USAGE, recin_name(r), rec.line,
			    "empty 'customer_id' in --prior");
			goto out;
		}
		buf_reset(&k);
		buf_add(&k, s, ls);
		buf_addc(&k, '\x1f');
		buf_add(&k, key, lk);
		x = hmap_find(&d->keys, k.data, k.len);
		if (x >= 0)
			rold[x] = (long)hmap_intern(old, id, li, &is_new);
		else
			(void)hmap_intern(old, id, li, &is_new);
	}
	if (st == REC_END)
		rc = 0;
	else
		e->code = CI_EXIT_USAGE;
out:
	buf_release(&k);
	recin_free(r);
	return rc;
}

static int
change_cmp(const void *pa, const void *pb)
{
	const struct change *a = pa, *b = pb;
	int                  c = strcmp(a->kind, b->kind);

	if (c == 0)
		c = strcmp(a->id, b->id);
	return c != 0 ? c : strcmp(a->prev, b->prev);
}

static int
assign_ids(struct dedupe *d, struct ci_err *e)
{
	struct hmap old, taken;
	long       *rold = xcalloc(d->n + 1, sizeof(*rold));
	size_t      nold, i, c, j, *heir = NULL, *hcnt = NULL, *cnt = NULL;
	int64_t    *since = NULL;
	long        keep;
	int         rc = -1;

	hmap_init(&old);
	hmap_init(&taken);
	for (i = 0; i < d->n; i++)
		rold[i] = -1;
	if (d->o->prior != NULL && read_prior(d, &old, rold, e) < 0)
		goto out;
	nold = hmap_count(&old);
	for (i = 0; i < nold; i++) {
		bool is_new;

		(void)hmap_intern(&taken, hmap_key(&old, i, NULL),
		    strlen(hmap_key(&old, i, NULL)), &is_new);
	}
	heir = xcalloc(nold + 1, sizeof(*heir));
	hcnt = xcalloc(nold + 1, sizeof(*hcnt));
	cnt = xcalloc(nold + 1, sizeof(*cnt));
	since = xcalloc(nold + 1, sizeof(*since));
	for (i = 0; i < nold; i++) {
		heir[i] = SIZE_MAX;
		since[i] = INT64_MAX;
	}
	for (i = 0; i < d->n; i++)
		if (rold[i] >= 0 && d->created[i] != INT64_MIN &&
		    d->created[i] < since[rold[i]])
			since[rold[i]] = d->created[i];
	/* Each old id to the cluster with most of its records. */
	for (c = 0; c < d->ncl; c++) {
		for (j = d->mstart[c]; j < d->mstart[c + 1]; j++)
			if (rold[d->memb[j]] >= 0)
				cnt[rold[d->memb[j]]]++;
		for (j = d->mstart[c]; j < d->mstart[c + 1]; j++) {
			long x = rold[d->memb[j]];

			if (x < 0 || cnt[x] == 0)
				continue;
			if (heir[x] == SIZE_MAX || cnt[x] > hcnt[x]) {
				heir[x] = c;
				hcnt[x] = cnt[x];
			}
			cnt[x] = 0;
		}
	}
	d->cid = xcalloc(d->ncl + 1, sizeof(*d->cid));
	for (c = 0; c < d->ncl; c++) {
		keep = -1;
		for (j = d->mstart[c]; j < d->mstart[c + 1]; j++) {
			long x = rold[d->memb[j]];

			if (x < 0 || heir[x] != c || x == keep)
				continue;
			if (keep < 0 || since[x] < since[keep] ||
			    (since[x] == since[keep] &&
			        (hcnt[x] > hcnt[keep] ||
			            (hcnt[x] == hcnt[keep] &&
			                strcmp(hmap_key(&old, (size_t)x, NULL),
			                    hmap_key(&old, (size_t)keep,
			                        NULL)) < 0))))
				keep = x;
		}
		if (keep >= 0)
			d->cid[c] = xstrdup(hmap_key(&old, (size_t)keep, NULL));
	}
	for (c = 0; c < d->ncl; c++) {
		bool from_old = false;

		if (d->cid[c] == NULL)
			d->cid[c] = new_id(d, c, &taken);
		for (j = d->mstart[c]; j < d->mstart[c + 1]; j++) {
			long        x = rold[d->memb[j]];
			const char *xs;

			if (x < 0 || cnt[x] == c + 1)
				continue;
			cnt[x] = c + 1; /* once per cluster */
			from_old = true;
			xs = hmap_key(&old, (size_t)x, NULL);
			if (strcmp(xs, d->cid[c]) == 0)
				continue;
			if (heir[x] == c)
				add_change(d, "merged", d->cid[c], xs);
			else
				add_change(d, "split", d->cid[c], xs);
		}
		if (!from_old)
			add_change(d, "new", d->cid[c], NULL);
	}
	for (i = 0; i < nold; i++)
		if (heir[i] == SIZE_MAX)
			add_change(d, "retired", NULL, hmap_key(&old, i, NULL));
	qsort(d->chg, d->nchg, sizeof(*d->chg), change_cmp);
	rc = 0;
out:
	free(rold);
	free(heir);
	free(hcnt);
	free(cnt);
	free(since);
	hmap_release(&old);
	hmap_release(&taken);
	return rc;
}

int
dedupe_run(struct dedupe *d, struct buf *notes, struct ci_err *e)
{
	size_t nlev[FSMATCH_MAX_FIELDS], i, p, merged;
	int    rc = 0;

	if (d->n == 0 && !d->from_model)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no records to resolve (a saved --model applies to any "
		    "number of records)");
	if (block(d, e) < 0)
		return -1;
	buf_addf(notes, "%zu records; candidate pairs by rule:", d->n);
	for (i = 0; i < d->nrules; i++)
		buf_addf(notes, "%s '%s' %llu", i > 0 ? "," : "",
		    d->rules[i].text, (unsigned long long)d->rules[i].made);
	buf_addf(notes, "; %zu distinct\n", d->npairs);
	d->lev = xcalloc(d->npairs ? d->npairs : 1, d->nf);
	for (p = 0; p < d->npairs; p++)
		levels(d, (size_t)(d->pair[p] >> 32),
		    (size_t)(uint32_t)d->pair[p], d->lev + p * d->nf);
	if (!d->from_model) {
		for (i = 0; i < d->nf; i++)
			nlev[i] = mfield_levels(d->f[i].spec.kind);
		fsmatch_init(&d->fs, d->nf, nlev);
		estimate_u(d);
		buf_addf(notes, "u from %llu random pairs; ",
		    (unsigned long long)d->nrandom);
		rc = estimate_m(d, notes);
		if (rc != 0 && d->o->save_model != NULL)
			return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
			    "the fit is degenerate (%s): no model saved",
			    d->degenerate);
	}
	bayes_factors(d);
	prior(d, notes);
	for (p = 0; p < d->npairs; p++)
		d->weight[p] = fsmatch_weight(&d->fs, d->weight[p]);
	cluster(d);
	if (assign_ids(d, e) < 0)
		return -1;
	merged = d->n - d->ncl;
	buf_addf(notes,
	    "%zu customers, %zu records joined to another above "
	    "match probability ",
	    d->ncl, merged);
	{
		char num[NUMFMT_MAX];

		numfmt_double(num, d->o->threshold);
		buf_addf(notes, "%s\n", num);
	}
	if (d->guarded > 0)
		buf_addf(notes,
		    "%llu links refused: they would join records that, "
		    "compared on their own, are two people\n",
		    (unsigned long long)d->guarded);
	if (d->refused > 0)
		buf_addf(notes,
		    "%llu links refused: they would join records with two "
		    "valid, different ID numbers (clusters split)\n",
		    (unsigned long long)d->refused);
	return rc;
}

/* Writing. */

static int
write_records(struct dedupe *d, enum rec_fmt fmt, struct ci_err *e)
{
	struct recout *w;
	size_t         i, j, len;
	const char    *p;
	char           num[NUMFMT_MAX];
	int            a, rc = 0;

	w = recout_open(NULL, fmt, (const char *const *)d->out, d->nout, e);
	if (w == NULL)
		return -1;
	recout_set_digits(w, d->o->digits);
	for (i = 0; i < d->n && rc == 0; i++) {
		p = d->off[i];
		for (j = 0; j < d->nout; j++) {
			a = d->outadd[j];
			if (j < d->ncols) {
				len = strlen(p);
				if (a < 0)
					recout_field(w, p, len,
					    d->kinds_kept
					        ? (enum rec_kind)
					              d->kind[i * d->ncols + j]
					        : REC_STR);
				p += len + 1;
			}
			if (a == 0)
				recout_str(w, d->cid[d->cl[i]],
				    strlen(d->cid[d->cl[i]]));
			else if (a == 1)
				recout_number(w, num,
				    numfmt_int(num,
				        (int64_t)(d->mstart[d->cl[i] + 1] -
				            d->mstart[d->cl[i]])));
			else if (a == 2)
				recout_double(w, d->best[i]);
		}
		rc = recout_end(w, e);
	}
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

static int
write_crosswalk(const struct dedupe *d, struct ci_err *e)
{
	static const char *const cols[] = { "source", "source_key",
		"customer_id" };
	struct recout           *w =
	    recout_open(d->o->crosswalk, REC_FMT_CSV, cols, 3, e);
	const char *s;
	size_t      i, len;
	int         rc = 0;

	if (w == NULL)
		return -1;
	for (i = 0; i < d->n && rc == 0; i++) {
		s = field(d, i, d->c_source, &len);
		recout_str(w, s, len);
		s = field(d, i, d->c_key, &len);
		recout_str(w, s, len);
		recout_str(w, d->cid[d->cl[i]], strlen(d->cid[d->cl[i]]));
		rc = recout_end(w, e);
	}
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

static int
write_pairs(const struct dedupe *d, struct ci_err *e)
{
	const char   **cols = xcalloc(6 + d->nf, sizeof(*cols));
	char         **lc = xcalloc(d->nf + 1, sizeof(*lc));
	struct recout *w;
	size_t         i, p, len, a, b, k;
	const char    *s;
	int            rc = 0;

	cols[0] = "source_1";
	cols[1] = "source_key_1";
	cols[2] = "source_2";
	cols[3] = "source_key_2";
	cols[4] = "match_weight";
	cols[5] = "match_probability";
	for (i = 0; i < d->nf; i++) {
		len = strlen(d->f[i].spec.column) + 7;
		lc[i] = xmalloc(len);
		snprintf(lc[i], len, "%s_level", d->f[i].spec.column);
		cols[6 + i] = lc[i];
	}
	w = recout_open(d->o->pairs, REC_FMT_CSV, cols, 6 + d->nf, e);
	if (w != NULL)
		recout_set_digits(w, d->o->digits);
	for (p = 0; w != NULL && p < d->npairs && rc == 0; p++) {
		a = (size_t)(d->pair[p] >> 32);
		b = (size_t)(uint32_t)d->pair[p];
		for (k = 0; k < 2; k++) {
			size_t r = k == 0 ? a : b;

			s = field(d, r, d->c_source, &len);
			recout_str(w, s, len);
			s = field(d, r, d->c_key, &len);
			recout_str(w, s, len);
		}
		recout_double(w, d->weight[p]);
		recout_double(w, fsmatch_probability(d->weight[p]));
		for (i = 0; i < d->nf; i++) {
			s = mfield_level_name(
			    d->f[i].spec.kind, d->lev[p * d->nf + i]);
			recout_str(w, s, strlen(s));
		}
		rc = recout_end(w, e);
	}
	for (i = 0; i < d->nf; i++)
		free(lc[i]);
	free(lc);
	free(cols);
	if (w == NULL)
		return -1;
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

/* Whether record a is more recent than b (later created_at, then later in
 * the input). */
static bool
more_recent(const struct dedupe *d, size_t a, size_t b)
{
	if (d->created[a] != d->created[b])
		return d->created[a] > d->created[b];
	return a > b;
}

/* The member of cluster c whose column col is the golden value. */
static long
golden_pick(const struct dedupe *d, size_t c, int col, int rule)
{
	size_t      i, j, la, lb, n, bestn = 0;
	const char *sa, *sb;
	long        best = -1;

	for (i = d->mstart[c]; i < d->mstart[c + 1]; i++) {
		size_t r = d->memb[i];

		sa = field(d, r, col, &la);
		if (la == 0)
			continue;
		if (rule == GOLDEN_FIRST) {
			if (best < 0)
				best = (long)r;
			continue;
		}
		n = 1;
		if (rule == GOLDEN_FREQUENT)
			for (j = d->mstart[c]; j < d->mstart[c + 1]; j++) {
				if (j == i)
					continue;
				sb = field(d, d->memb[j], col, &lb);
				n += la == lb && memcmp(sa, sb, la) == 0;
			}
		if (best < 0 || n > bestn ||
		    (n == bestn && more_recent(d, r, (size_t)best))) {
			best = (long)r;
			bestn = n;
		}
	}
	return best;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
write_golden(const struct dedupe *d, struct ci_err *e)
{
	const char   **cols = xcalloc(d->ng + 3, sizeof(*cols));
	const char   **src = xcalloc(d->n + 1, sizeof(*src));
	struct recout *w;
	struct buf     b = { 0 };
	size_t         c, g, i, ns, len;
	const char    *s;
	long           r;
	int            rc = 0;

	cols[0] = "customer_id";
	for (g = 0; g < d->ng; g++)
		cols[1 + g] = d->cols[d->gcol[g]];
	cols[1 + d->ng] = "sources";
	cols[2 + d->ng] = "records";
	w = recout_open(d->o->golden, REC_FMT_CSV, cols, d->ng + 3, e);
	for (c = 0; w != NULL && c < d->ncl && rc == 0; c++) {
		recout_str(w, d->cid[c], strlen(d->cid[c]));
		for (g = 0; g < d->ng; g++) {
			r = golden_pick(d, c, d->gcol[g], d->grule[g]);
			if (r < 0) {
				recout_null(w);
				continue;
			}
			s = field(d, (size_t)r, d->gcol[g], &len);
			recout_str(w, s, len);
		}
		ns = 0;
		for (i = d->mstart[c]; i < d->mstart[c + 1]; i++)
			src[ns++] = field(d, d->memb[i], d->c_source, &len);
		qsort(src, ns, sizeof(*src), str_cmp);
		buf_reset(&b);
		for (i = 0; i < ns; i++)
			if (i == 0 || strcmp(src[i], src[i - 1]) != 0) {
				if (b.len > 0)
					buf_addc(&b, ';');
				buf_addstr(&b, src[i]);
			}
		recout_str(w, buf_str(&b), b.len);
		recout_int(w, (int64_t)(d->mstart[c + 1] - d->mstart[c]));
		rc = recout_end(w, e);
	}
	buf_release(&b);
	free(cols);
	free(src);
	if (w == NULL)
		return -1;
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

static int
write_changes(const struct dedupe *d, struct ci_err *e)
{
	static const char *const cols[] = { "change", "customer_id",
		"previous_id" };
	struct recout *w = recout_open(d->o->changes, REC_FMT_CSV, cols, 3, e);
	size_t         i;
	int            rc = 0;

	if (w == NULL)
		return -1;
	for (i = 0; i < d->nchg && rc == 0; i++) {
		recout_str(w, d->chg[i].kind, strlen(d->chg[i].kind));
		recout_str(w, d->chg[i].id, strlen(d->chg[i].id));
		recout_str(w, d->chg[i].prev, strlen(d->chg[i].prev));
		rc = recout_end(w, e);
	}
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

static int
save_model(struct dedupe *d, struct ci_err *e)
{
	struct buf   b = { 0 };
	struct jsonw w;
	size_t       i, l;
	int          rc;

	jsonw_init(&w, &b, 2);
	model_begin(&w, TOOL, MODEL_KIND, MODEL_VERSION, &d->dg);
	jsonw_key(&w, "matches_per_record");
	jsonw_double(&w, d->rho);
	jsonw_key(&w, "comparisons");
	jsonw_arr_begin(&w);
	for (i = 0; i < d->nf; i++) {
		const struct mfield_spec *s = &d->f[i].spec;

		jsonw_obj_begin(&w);
		jsonw_key(&w, "column");
		jsonw_str(&w, s->column);
		jsonw_key(&w, "kind");
		jsonw_str(&w, mfield_kind_name(s->kind));
		jsonw_key(&w, "similarity");
		jsonw_str(&w, mfield_method_name(s->method));
		jsonw_key(&w, "close");
		jsonw_double(&w, s->close);
		jsonw_key(&w, "swap_day_month");
		jsonw_bool(&w, s->swap);
		jsonw_key(&w, "term_frequency");
		jsonw_bool(&w, s->tf);
		jsonw_key(&w, "levels");
		jsonw_arr_begin(&w);
		for (l = 0; l < d->fs.nlev[i]; l++)
			jsonw_str(&w, mfield_level_name(s->kind, (unsigned)l));
		jsonw_arr_end(&w);
		jsonw_key(&w, "m");
		jsonw_arr_begin(&w);
		for (l = 0; l < d->fs.nlev[i]; l++)
			jsonw_double(&w, d->fs.m[i][l]);
		jsonw_arr_end(&w);
		jsonw_key(&w, "u");
		jsonw_arr_begin(&w);
		for (l = 0; l < d->fs.nlev[i]; l++)
			jsonw_double(&w, d->fs.u[i][l]);
		jsonw_arr_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_key(&w, "fit");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "candidate_pairs");
	jsonw_int(&w, (int64_t)d->npairs);
	jsonw_key(&w, "random_pairs");
	jsonw_int(&w, (int64_t)d->nrandom);
	jsonw_key(&w, "records");
	jsonw_int(&w, (int64_t)d->n);
	jsonw_key(&w, "prior");
	jsonw_double(&w, d->fs.lambda);
	jsonw_key(&w, "em");
	jsonw_arr_begin(&w);
	for (i = 0; i < d->nfit; i++) {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "rule");
		jsonw_str(&w, d->rules[d->fit_rule[i]].text);
		jsonw_key(&w, "pairs");
		jsonw_int(&w, (int64_t)d->fit[i].npairs);
		jsonw_key(&w, "iterations");
		jsonw_int(&w, d->fit[i].iterations);
		jsonw_key(&w, "converged");
		jsonw_bool(&w, d->fit[i].converged);
		jsonw_key(&w, "share_of_matches");
		jsonw_double(&w, d->fit[i].lambda);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	jsonw_obj_end(&w);
	rc = model_save(d->o->save_model, &b, e);
	buf_release(&b);
	return rc;
}

int
dedupe_write(struct dedupe *d, enum rec_fmt fmt, struct ci_err *e)
{
	if (!d->bound)
		return 0;
	if (d->o->save_model != NULL && !d->from_model && save_model(d, e) < 0)
		return -1;
	if (d->o->crosswalk != NULL && write_crosswalk(d, e) < 0)
		return -1;
	if (d->o->pairs != NULL && write_pairs(d, e) < 0)
		return -1;
	if (d->o->golden != NULL && write_golden(d, e) < 0)
		return -1;
	if (d->o->changes != NULL && write_changes(d, e) < 0)
		return -1;
	return write_records(d, fmt, e);
}

void
dedupe_free(struct dedupe *d)
{
	size_t i;

	if (d == NULL)
		return;
	matchcfg_release(&d->cfg);
	for (i = 0; i < d->nmspec; i++)
		free(d->mspec[i].column);
	free(d->mspec);
	for (i = 0; i < d->nf; i++)
		mfield_release(&d->f[i]);
	for (i = 0; i < d->ncols; i++)
		free(d->cols[i]);
	free(d->cols);
	for (i = 0; i < d->nrules; i++)
		free(d->rules[i].text);
	free(d->rules);
	free(d->out);
	free(d->outadd);
	free(d->gcol);
	free(d->grule);
	for (i = 0; i < d->nblocks; i++)
		free(d->blocks[i]);
	free(d->blocks);
	free(d->off);
	free(d->kind);
	free(d->line);
	free(d->created);
	hmap_release(&d->keys);
	free(d->pair);
	free(d->rmask);
	free(d->fit);
	free(d->fit_rule);
	free(d->lev);
	free(d->weight);
	free(d->cl);
	free(d->memb);
	free(d->mstart);
	free(d->best);
	if (d->cid != NULL)
		for (i = 0; i < d->ncl; i++)
			free(d->cid[i]);
	free(d->cid);
	for (i = 0; i < d->nchg; i++) {
		free(d->chg[i].id);
		free(d->chg[i].prev);
	}
	free(d->chg);
	free(d);
}

/* apply: events rekeyed by a crosswalk. */

struct applying {
	struct hmap    map; /* source US source_key: index of ids */
	struct buf     ids; /* the ids, NUL-terminated, one after another */
	size_t        *idoff;
	size_t         nids, capids;
	struct recout *w;
	enum rec_fmt   fmt;
	char         **cols;
	size_t         ncols;
	int            c_source, c_id;
	struct buf     k;
};

static int
read_crosswalk(struct applying *g, const char *path, struct ci_err *e)
{
	struct recin_opts ro = { 0 };
	struct recin     *r = recin_open(path, &ro, e);
	struct rec        rec;
	const char       *s, *key, *id;
	size_t            ls, lk, li, x;
	int               cs, ck, ci, rc = -1;
	enum rec_status   st;
	bool              is_new;

	if (r == NULL)
		return -1;
	if ((cs = recin_require(r, "source", "in --crosswalk", e)) < 0 ||
	    (ck = recin_require(r, "source_key", "in --crosswalk", e)) < 0 ||
	    (ci = recin_require(r, "customer_id", "in --crosswalk", e)) < 0) {
		if (recin_ncols(r) == 0)
			ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
			    "empty crosswalk");
		goto out;
	}
	while ((st = recin_read(r, &rec, e)) == REC_ROW) {
		rec_field(&rec, cs, &s, &ls);
		rec_field(&rec, ck, &key, &lk);
		rec_field(&rec, ci, &id, &li);
		if (lk == 0 || li == 0) {
			ci_err_set(e, CI_EXIT_USAGE, recin_name(r), rec.line,
			    "empty '%s' in the crosswalk",
			    lk == 0 ? "source_key" : "customer_id");
			goto out;
		}
		buf_reset(&g->k);
		buf_add(&g->k, s, ls);
		buf_addc(&g->k, '\x1f');
		buf_add(&g->k, key, lk);
		x = hmap_intern(&g->map, g->k.data, g->k.len, &is_new);
		if (!is_new) {
			ci_err_set(e, CI_EXIT_USAGE, recin_name(r), rec.line,
			    "repeated key '%.*s' of source '%.*s' in the "
			    "crosswalk",
			    (int)lk, key, (int)ls, s);
			goto out;
		}
		xgrow(&g->idoff, &g->capids, x + 1, sizeof(*g->idoff));
		g->idoff[x] = g->ids.len;
		buf_add(&g->ids, id, li);
		buf_addc(&g->ids, '\0');
		g->nids++;
	}
	if (st == REC_END)
		rc = 0;
	else
		e->code = CI_EXIT_USAGE;
out:
	recin_free(r);
	return rc;
}

static int
apply_open(void *ctx, struct recin *r, size_t i, struct ci_err *e)
{
	struct applying   *g = ctx;
	const char *const *cols = recin_cols(r);
	size_t             j;

	(void)i;
	if (recin_ncols(r) == 0)
		return 0;
	if (g->w != NULL) {
		if (recin_ncols(r) != g->ncols)
			goto differ;
		for (j = 0; j < g->ncols; j++)
			if (strcmp(cols[j], g->cols[j]) != 0)
				goto differ;
		return 0;
	}
	if ((g->c_source = recin_require(r, "source", NULL, e)) < 0 ||
	    (g->c_id = recin_require(r, "customer_id", NULL, e)) < 0)
		return -1;
	g->ncols = recin_ncols(r);
	g->cols = xcalloc(g->ncols, sizeof(*g->cols));
	for (j = 0; j < g->ncols; j++)
		g->cols[j] = xstrdup(cols[j]);
	if (g->fmt == REC_FMT_AUTO)
		g->fmt = recin_format(r);
	g->w = recout_open(
	    NULL, g->fmt, (const char *const *)g->cols, g->ncols, e);
	return g->w == NULL ? -1 : 0;
differ:
	return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
	    "the columns differ from those of the first input");
}

static enum rec_status
apply_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct applying *g = ctx;
	const char      *s, *key, *id;
	size_t           ls, lk, j;
	long             x;

	rec_field(rec, g->c_source, &s, &ls);
	rec_field(rec, g->c_id, &key, &lk);
	buf_reset(&g->k);
	buf_add(&g->k, s, ls);
	buf_addc(&g->k, '\x1f');
	buf_add(&g->k, key, lk);
	if ((x = hmap_find(&g->map, g->k.data, g->k.len)) < 0) {
		ci_err_set(e, CI_EXIT_DATA, file, rec->line,
		    "unknown customer '%.*s' of source '%.*s': not in the "
		    "crosswalk",
		    (int)lk, key, (int)ls, s);
		return REC_BAD;
	}
	id = g->ids.data + g->idoff[x];
	for (j = 0; j < rec->n; j++)
		if ((int)j == g->c_id)
			recout_str(g->w, id, strlen(id));
		else
			recout_field(g->w, rec->f[j], rec->len[j],
			    (enum rec_kind)rec->kind[j]);
	return recout_end(g->w, e) < 0 ? REC_FAIL : REC_ROW;
}

int
dedupe_apply(const char *crosswalk, const struct parread_files *in,
    struct rejects *rj, enum rec_fmt fmt, uint64_t *rows, struct ci_err *e)
{
	struct applying             g = { 0 };
	const struct parread_reader rd = {
		.open = apply_open, .row = apply_row, .ctx = &g
	};
	size_t i;
	int    rc;

	g.fmt = fmt;
	hmap_init(&g.map);
	rc = read_crosswalk(&g, crosswalk, e);
	if (rc == 0)
		rc = parread_files(in, &rd, rj, rows, e);
	if (g.w != NULL) {
		if (rc < 0)
			recout_close(g.w, NULL);
		else
			rc = recout_close(g.w, e);
	}
	for (i = 0; i < g.ncols; i++)
		free(g.cols[i]);
	free(g.cols);
	free(g.idoff);
	buf_release(&g.ids);
	buf_release(&g.k);
	hmap_release(&g.map);
	return rc;
}
