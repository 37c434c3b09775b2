/*
 * ingest: canonical records from heterogeneous exports.
 *
 * Two passes over the inputs: the first reads only the headers, to bind
 * columns and to know every output column (canonical fields, then the
 * inputs' other columns in first-seen order) before the first row is
 * written; the second streams the rows.  Files are opened again for the
 * second pass, so any number of them can be read; stdin stays open.
 *
 * Per row, nothing is allocated: every value is built in a buffer that is
 * reused, and the closed vocabularies keep a one-entry cache per field,
 * since such columns repeat the same few words.
 */
#include <glob.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "amount.h"
#include "civil.h"
#include "email.h"
#include "idcard.h"
#include "ingest.h"
#include "mask.h"
#include "numfmt.h"
#include "parread.h"
#include "phone.h"
#include "progress.h"
#include "recin.h"
#include "recout.h"
#include "rejects.h"
#include "samefile.h"
#include "senti.h"
#include "swar.h"
#include "textnorm.h"
#include "timeparse.h"
#include "topics.h"
#include "xalloc.h"

/* What happens to an output column on its way out. */
enum privacy { PRIV_KEEP = 0, PRIV_MASK, PRIV_PSEUDO };

struct output {
	bool            used;
	struct recout  *w;
	char          **cols;
	size_t          ncols;
	size_t          capcols;
	int             canon[SCHEMA_MAX_FIELDS]; /* output column, or -1 */
	enum privacy   *priv;
	enum mask_kind *mk;
	bool           *dropped; /* of each name in cols (before dropping) */
	bool            plain;   /* no column masked, pseudonymised, dropped */
	int             scored;  /* output column of sentiment, or -1; topics
	                            follows it */
	unsigned char   kind[SCHEMA_MAX_FIELDS]; /* NDJSON kind of a field */
};

struct input {
	const char                 *path; /* NULL: stdin */
	const struct srcmap_source *src;  /* NULL in raw mode */
	char                       *source;
	struct recin               *r; /* kept open between passes (stdin) */
	int                         col[SCHEMA_MAX_FIELDS];
	int                        *outcol; /* by input column, or -1 */
	size_t                      ncols;
	int                        *from; /* by output column: input column */
	struct qsource             *qs;
	bool                        empty;
	struct ci_err               broken; /* why it cannot be read, if so */
	/* Fields with a value to work out on every row; the others have no
	 * column and nothing derives them, so they are always empty. */
	size_t   active[SCHEMA_MAX_FIELDS];
	size_t   nactive;
	uint64_t rows; /* rows that reached the fields */
};

/* Fields that feed others, by kind: -1 where the kind has none. */
struct links {
	int type;
	int amount;
	int currency;
	int birth_date;
	int gender;
};

/*
 * A small cache of a closed field's words and their results, two-way set
 * associative: such columns repeat a few words, and the cache saves folding
 * and hashing them on every row.
 */
#define VCACHE_SETS 16

struct vslot {
	bool        valid;
	struct buf  raw;
	struct buf  out;
	int         problem; /* -1 or an enum qproblem */
	const char *why;
};

struct vcache {
	struct vslot  slot[VCACHE_SETS][2];
	unsigned char recent[VCACHE_SETS]; /* the way used last */
};

struct ingest {
	const struct ingest_opts *o;
	struct rejects           *rj;
	struct ingest_stats      *st;
	struct input             *in;
	size_t                    nin;
	size_t                    capin;
	struct output             out[CI_KIND_COUNT];
	struct links              links[CI_KIND_COUNT];
	struct quality            q;
	/*
	 * Per row, the value of each field is a view: into the record, the
	 * source map, the vocabulary cache, or val[i] where it was built.
	 */
	const char   *vs[SCHEMA_MAX_FIELDS];
	size_t        vl[SCHEMA_MAX_FIELDS];
	struct buf    val[SCHEMA_MAX_FIELDS];
	int           problem[SCHEMA_MAX_FIELDS];
	bool          rounded[SCHEMA_MAX_FIELDS]; /* amounts past 4 decimals */
	const char   *why[SCHEMA_MAX_FIELDS];
	struct vcache cache[SCHEMA_MAX_FIELDS];
	struct idcard id;
	bool          id_ok;
	char          currency[4];
	struct buf    scratch;
	struct buf    nfkc;    /* a non-ASCII value in NFKC */
	struct buf    priv;    /* privacy output of one value */
	struct buf    reasons; /* NUL-separated */
	const char  **reason;
	size_t        capreason;
	/* Sentiment and topics of the text of events (lib/voc). */
	bool          scoring; /* some source is scored */
	struct senti  senti;
	struct topics topics;
	int           text; /* the event field text */
	uint32_t     *cps;  /* the text, folded */
	size_t        capcps;
	struct buf    score;
	struct buf    named;
};

/* The columns ci-ingest adds to the events of a scored source. */
static const char *const scored_cols[] = { "sentiment", "topics" };

/* ---------------------------------------------------------------- inputs */

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The source name of a file read by a source without a name: its base
 * name without extension. */
static char *
file_source(const char *path)
{
	const char *b = path != NULL ? base_name(path) : "stdin";
	const char *dot = strrchr(b, '.');

	return xmemdup(
	    b, dot != NULL && dot != b ? (size_t)(dot - b) : strlen(b));
}

static void
add_input(struct ingest *g, const char *path, const struct srcmap_source *src)
{
	struct input *in;
	size_t        i;

	for (i = 0; i < g->nin; i++)
		if (path != NULL && g->in[i].path != NULL &&
		    strcmp(g->in[i].path, path) == 0)
			return; /* matched by two patterns: read once */
	xgrow(&g->in, &g->capin, g->nin + 1, sizeof(*g->in));
	in = &g->in[g->nin++];
	memset(in, 0, sizeof(*in));
	in->path = path;
	in->src = src;
	if (src != NULL)
		in->source =
		    src->name != NULL ? xstrdup(src->name) : file_source(path);
}

static int
resolve_inputs(struct ingest *g, glob_t *gl, struct ci_err *e)
{
	const struct ingest_opts   *o = g->o;
	const struct srcmap_source *only = NULL, *src;
	size_t                      i, j, k, first;

	if (o->raw) {
		for (i = 0; i < o->in.npaths; i++)
			add_input(g,
			    strcmp(o->in.paths[i], "-") == 0 ? NULL
			                                     : o->in.paths[i],
			    NULL);
		if (o->in.npaths == 0)
			add_input(g, NULL, NULL);
		return 0;
	}
	if (o->map->n == 1 && o->map->src[0].nglobs == 0)
		only = &o->map->src[0];
	if (o->force != NULL)
		only = o->force;
	for (i = 0; i < o->in.npaths; i++) {
		const char *p =
		    strcmp(o->in.paths[i], "-") == 0 ? NULL : o->in.paths[i];

		src = only;
		if (src == NULL && p != NULL)
			src = srcmap_match(o->map, p);
		if (src == NULL)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "no source in the map reads '%s'; add it to a "
			    "source's 'files' or name one with --source",
			    p != NULL ? p : "stdin");
		add_input(g, p, src);
	}
	if (o->in.npaths > 0)
		return 0;
	if (only != NULL && only->nglobs == 0) {
		add_input(g, NULL, only);
		return 0;
	}
	for (i = 0; i < o->map->n; i++) {
		src = &o->map->src[i];
		if (only != NULL && src != only)
			continue;
		for (j = 0; j < src->nglobs; j++) {
			first = gl->gl_pathc;
			if (glob(src->globs[j],
			        gl->gl_pathc > 0 ? GLOB_APPEND : 0, NULL,
			        gl) != 0 ||
			    gl->gl_pathc == first) {
				buf_addf(&g->st->notes,
				    "no files match '%s' (source '%s')\n",
				    src->globs[j], src->name);
				continue;
			}
			for (k = first; k < gl->gl_pathc; k++)
				add_input(g, gl->gl_pathv[k], src);
		}
	}
	if (g->nin == 0)
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "no input files: give them as operands, or as 'files' "
		    "patterns in the map");
	return 0;
}

static const struct recin_opts *
reading(const struct ingest *g, const struct input *in)
{
	return in->src != NULL ? &in->src->in : &g->o->in.opts;
}

static int
open_input(struct ingest *g, struct input *in, struct ci_err *e)
{
	struct recin_opts ro = *reading(g, in);

	if (in->r != NULL)
		return 0;
	/* A mapped field that is not text is judged as a bad value. */
	ro.keep_invalid = in->src != NULL;
	in->r = recin_open(in->path, &ro, e);
	return in->r != NULL ? 0 : -1;
}

/* Close a file between passes; stdin stays open. */
static void
park_input(struct input *in)
{
	if (in->path != NULL) {
		recin_free(in->r);
		in->r = NULL;
	}
}

/* --------------------------------------------------------------- outputs */

static int
find_name(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static size_t
add_col(struct output *out, const char *name)
{
	int i = find_name(out->cols, out->ncols, name);

	if (i >= 0)
		return (size_t)i;
	xgrow(&out->cols, &out->capcols, out->ncols + 1, sizeof(*out->cols));
	out->cols[out->ncols] = xstrdup(name);
	return out->ncols++;
}

static void
setup_canonical(const struct ingest *g, struct output *out, enum ci_kind k)
{
	const struct field_def *def;
	size_t                  n, i;

	def = schema_fields(k, &n);
	for (i = 0; i < n; i++)
		out->canon[i] = (int)add_col(out, def[i].name);
	out->scored = -1;
	if (g->scoring && k == CI_KIND_EVENT) {
		out->scored = (int)add_col(out, scored_cols[0]);
		add_col(out, scored_cols[1]);
	}
}

/* True when an input column of name must be renamed: a field's name, or
 * that of a column ci-ingest adds. */
static bool
taken_name(const struct ingest *g, enum ci_kind k, const char *name)
{
	return schema_field(k, name) >= 0 ||
	    (g->scoring && k == CI_KIND_EVENT &&
	        (strcmp(name, scored_cols[0]) == 0 ||
	            strcmp(name, scored_cols[1]) == 0));
}

/* Bind the header of input in: canonical fields, then its other columns. */
static int
bind_input(struct ingest *g, struct input *in, struct ci_err *e)
{
	const struct srcmap_source *s = in->src;
	const struct field_def     *def;
	const char *const          *cols = recin_cols(in->r);
	struct output              *out;
	size_t                      n, i, j;
	bool                       *bound;

	in->ncols = recin_ncols(in->r);
	in->empty = in->ncols == 0;
	in->outcol = xcalloc(in->ncols + 1, sizeof(*in->outcol));
	bound = xcalloc(in->ncols + 1, sizeof(*bound));
	out = &g->out[s != NULL ? s->kind : 0];
	out->used = true;
	if (s != NULL) {
		struct qsource *qs = quality_source(&g->q, in->source, s->kind);

		if (out->ncols == 0)
			setup_canonical(g, out, s->kind);
		def = schema_fields(s->kind, &n);
		for (i = 0; i < n; i++) {
			int c = -1;

			if (s->f[i].column != NULL) {
				c = recin_require(
				    in->r, s->f[i].column, NULL, e);
				if (c < 0 && !in->empty) {
					free(bound);
					return -1;
				}
			} else if (def[i].type != FT_SOURCE) {
				for (j = 0; j < in->ncols; j++)
					if (strcasecmp(cols[j], def[i].name) ==
					    0)
						break;
				c = j < in->ncols ? (int)j : -1;
			}
			if (c < 0 && s->f[i].required &&
			    def[i].type != FT_SOURCE && !in->empty) {
				struct buf b = { 0 };

				buf_addnames(&b, cols, in->ncols);
				ci_err_set(e, CI_EXIT_USAGE, recin_name(in->r),
				    0,
				    "no column for the required field '%s'; "
				    "map one with --col %s=COLUMN or in the "
				    "source map; columns are: %s",
				    def[i].name, def[i].name, buf_str(&b));
				buf_release(&b);
				free(bound);
				return -1;
			}
			in->col[i] = c;
			if (c >= 0)
				bound[c] = true;
			quality_file(
			    qs, recin_name(in->r), i, c >= 0 ? cols[c] : NULL);
		}
	}
	for (j = 0; j < in->ncols; j++) {
		struct buf b = { 0 };

		in->outcol[j] = -1;
		if (bound[j])
			continue;
		buf_addstr(&b, cols[j]);
		if (s != NULL && taken_name(g, s->kind, cols[j]))
			buf_addstr(&b, "_input");
		in->outcol[j] = (int)add_col(out, buf_str(&b));
		buf_release(&b);
	}
	free(bound);
	return 0;
}

/* The mask kind of a column name in raw mode, or of an extra column. */
static enum mask_kind
raw_mask_kind(const char *name)
{
	size_t                  n;
	const struct field_def *def = schema_fields(CI_KIND_CUSTOMER, &n);
	int                     f = schema_field(CI_KIND_CUSTOMER, name);

	return f >= 0 ? def[f].mask : MASK_GENERIC;
}

/* Mark every output column named in list (n names) with action a. */
/* The error for a column of opt that no output has. */
static int
no_column(
    const struct ingest *g, const char *name, const char *opt, struct ci_err *e)
{
	struct buf b = { 0 };
	size_t     k, j, c;

	for (k = 0; k < CI_KIND_COUNT; k++)
		for (c = 0; g->out[k].used && c < g->out[k].ncols; c++) {
			const char *col = g->out[k].cols[c];

			for (j = 0; j < k; j++)
				if (g->out[j].used &&
				    find_name(g->out[j].cols, g->out[j].ncols,
				        col) >= 0)
					break;
			if (j == k)
				buf_addf(
				    &b, "%s'%s'", b.len > 0 ? ", " : "", col);
		}
	ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
	    "no column '%s' for %s; columns are: %s", name, opt, buf_str(&b));
	buf_release(&b);
	return -1;
}

static int
mark_columns(struct ingest *g, const struct strv *fields, enum privacy a,
    bool drop, const char *opt, struct ci_err *e)
{
	char *const *list = fields->v;
	size_t       n = fields->n, i, k;

	for (i = 0; i < n; i++) {
		bool found = false;

		for (k = 0; k < CI_KIND_COUNT; k++) {
			struct output *out = &g->out[k];
			int c = find_name(out->cols, out->ncols, list[i]);

			if (!out->used || c < 0)
				continue;
			found = true;
			if (drop) {
				out->dropped[c] = true;
				continue;
			}
			if (out->priv[c] != PRIV_KEEP && out->priv[c] != a)
				return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
				    "column '%s' is both masked and "
				    "pseudonymized",
				    list[i]);
			out->priv[c] = a;
		}
		if (!found)
			return no_column(g, list[i], opt, e);
	}
	return 0;
}

/* For each output column of its kind, the input column that feeds it. */
static void
set_sources(struct ingest *g, struct input *in)
{
	struct output *out = &g->out[in->src != NULL ? in->src->kind : 0];
	size_t         j, c;

	in->from = xcalloc(out->ncols + 1, sizeof(*in->from));
	for (j = 0; j < out->ncols; j++)
		in->from[j] = -1;
	for (c = 0; c < in->ncols; c++)
		if (in->outcol[c] >= 0)
			in->from[in->outcol[c]] = (int)c;
}

/*
 * --keep: drop every column not named, once each name is found in an
 * output.  The columns kept stay in their order.
 */
static int
keep_columns(struct ingest *g, const struct strv *names, struct ci_err *e)
{
	size_t i, k;

	if (names->n == 0)
		return 0;
	for (i = 0; i < names->n; i++) {
		for (k = 0; k < CI_KIND_COUNT; k++)
			if (g->out[k].used &&
			    find_name(g->out[k].cols, g->out[k].ncols,
			        names->v[i]) >= 0)
				break;
		if (k == CI_KIND_COUNT)
			return no_column(g, names->v[i], "--keep", e);
	}
	for (k = 0; k < CI_KIND_COUNT; k++)
		for (i = 0; g->out[k].used && i < g->out[k].ncols; i++)
			if (find_name((char *const *)names->v, names->n,
			        g->out[k].cols[i]) < 0)
				g->out[k].dropped[i] = true;
	return 0;
}

static int
open_outputs(struct ingest *g, enum rec_fmt fmt, struct ci_err *e)
{
	const struct ingest_opts *o = g->o;
	size_t                    k, i, n, used = 0, nkept;
	const char              **kept;

	for (k = 0; k < CI_KIND_COUNT; k++) {
		struct output *out = &g->out[k];

		if (!o->raw && o->out[k] != NULL && !out->used) {
			out->used = true; /* an empty file with its header */
			setup_canonical(g, out, (enum ci_kind)k);
		}
		if (!out->used)
			continue;
		used++;
		out->priv = xcalloc(out->ncols + 1, sizeof(*out->priv));
		out->mk = xcalloc(out->ncols + 1, sizeof(*out->mk));
		out->dropped = xcalloc(out->ncols + 1, sizeof(*out->dropped));
		for (i = 0; i < out->ncols; i++) {
			int f = o->raw
			    ? -1
			    : schema_field((enum ci_kind)k, out->cols[i]);

			out->mk[i] = f >= 0
			    ? schema_fields((enum ci_kind)k, &n)[f].mask
			    : raw_mask_kind(out->cols[i]);
		}
	}
	if (!o->raw && used > 1 &&
	    (o->out[CI_KIND_CUSTOMER] == NULL || o->out[CI_KIND_EVENT] == NULL))
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "the inputs hold both customers and events: name the "
		    "outputs with --customers FILE and --events FILE");
	for (i = 0; i < g->nin; i++)
		set_sources(g, &g->in[i]);
	if (mark_columns(g, &o->mask, PRIV_MASK, false, "--mask", e) < 0 ||
	    mark_columns(g, &o->pseudonymize, PRIV_PSEUDO, false,
	        "--pseudonymize", e) < 0 ||
	    mark_columns(g, &o->drop, PRIV_KEEP, true, "--drop", e) < 0 ||
	    keep_columns(g, &o->keep, e) < 0)
		return -1;
	for (k = 0; k < CI_KIND_COUNT; k++) {
		struct output          *out = &g->out[k];
		const struct field_def *def =
		    schema_fields((enum ci_kind)k, &n);

		if (!out->used)
			continue;
		out->plain = true;
		for (i = 0; i < out->ncols; i++)
			if (out->priv[i] != PRIV_KEEP || out->dropped[i])
				out->plain = false;
		for (i = 0; i < n && !o->raw; i++)
			out->kind[i] =
			    def[i].type == FT_AMOUNT || def[i].type == FT_NUMBER
			    ? REC_JSON
			    : REC_STR;
		kept = xcalloc(out->ncols + 1, sizeof(*kept));
		for (i = nkept = 0; i < out->ncols; i++)
			if (!out->dropped[i])
				kept[nkept++] = out->cols[i];
		out->w =
		    recout_open(o->raw ? NULL : o->out[k], fmt, kept, nkept, e);
		free(kept);
		if (out->w == NULL)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ one value */

static int
idcard_problem(enum idcard_status st)
{
	switch (st) {
	case IDCARD_BAD_REGION:
		return QP_BAD_ID_REGION;
	case IDCARD_BAD_BIRTH:
		return QP_BAD_ID_BIRTH;
	case IDCARD_BAD_CHECK:
		return QP_BAD_ID_CHECK;
	default:
		return QP_BAD_ID_FORMAT;
	}
}

/* Types whose values are parsed rather than kept as text. */
static bool
parsed_type(enum field_type t)
{
	return t == FT_PHONE || t == FT_IDNUM || t == FT_DATE || t == FT_TIME ||
	    t == FT_AMOUNT || t == FT_NUMBER;
}

static bool
ascii(const char *s, size_t len)
{
	size_t   i = 0;
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & SWAR_HIGH)
			return false;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* An ambiguous date's reason names the options that settle it. */
static void
date_hint(const char **why)
{
	if (strcmp(*why, TP_WHY_AMBIGUOUS) == 0)
		*why = TP_WHY_AMBIGUOUS " (set --date-order dmy or mdy, or "
		                        "date_order in the source map)";
}

/*
 * True when a timestamp that timeparse() accepted is already written as
 * civil_format_iso() would write it, so that it can be used as it is:
 * exports written by machines mostly are.  A leap second (":60") is not.
 */
static bool
canonical_time(const char *s, size_t len)
{
	return len == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
	    s[13] == ':' && s[16] == ':' && s[19] == 'Z' && s[17] != '6';
}

/*
 * True when an amount that amount_parse() accepted is already written as
 * amount_format() would write it: an optional '-', digits without a
 * leading zero (or a lone 0), a point, and two to four decimals of which
 * the third and fourth are not a trailing zero.
 */
static bool
canonical_amount(const char *s, size_t len)
{
	size_t i = s[0] == '-', start = i, point;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start || i == len || s[i] != '.' ||
	    (s[start] == '0' && i - start > 1))
		return false;
	point = i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i != len || len - point - 1 < 2 || len - point - 1 > 4)
		return false;
	if (start == 1 && strspn(s + 1, "0.") == len - 1)
		return false; /* "-0.00" is written "0.00" */
	return len - point - 1 == 2 || s[len - 1] != '0';
}

/* A closed field's word that the word map does not know, into v. */
static int
vocab_value(enum field_type t, const char *s, size_t len, struct buf *v,
    const char **why)
{
	size_t i;

	if (textnorm_fold(s, len, v) < 0)
		return *why = "not text", QP_UNKNOWN_VALUE;
	if (t == FT_CURRENCY) {
		for (i = 0; i < v->len; i++)
			if (v->data[i] < 'a' || v->data[i] > 'z')
				break;
		if (v->len != 3 || i < 3)
			return *why = "not an ISO 4217 currency code",
			       QP_UNKNOWN_VALUE;
		for (i = 0; i < 3; i++)
			v->data[i] = (char)(v->data[i] - 'a' + 'A');
		return -1;
	}
	if (!schema_vocab_open(t))
		return *why = "not a known value", QP_UNKNOWN_VALUE;
	return -1;
}

static void
set_view(struct ingest *g, size_t i, const char *s, size_t len)
{
	g->vs[i] = s;
	g->vl[i] = len;
}

/* The value of field i is what was built in val[i]. */
static void
set_built(struct ingest *g, size_t i)
{
	set_view(g, i, buf_str(&g->val[i]), g->val[i].len);
}

/*
 * Work out the value (s, len) of field i of input in.  Returns -1 when the
 * value is usable or missing (its view set, empty when missing), or the
 * problem that made it unusable, with g->why[i] set.
 */
static int
norm_value(struct ingest *g, const struct input *in, size_t i,
    const struct field_def *def, const char *s, size_t len)
{
	const struct srcmap_field *f = &in->src->f[i];
	struct buf                *v = &g->val[i];
	const char                *mapped, **why = &g->why[i];
	char                       tmp[64];
	bool                       stable = true; /* s outlives the row */
	struct tp_opts             tp;
	struct tp_result           t;
	struct amount              a;
	enum idcard_status         st;
	double                     x;

	buf_reset(v);
	rec_trim(&s, &len);
	if (len == 0)
		return -1;
	mapped = srcmap_field_value(f, s, len, &g->scratch);
	if (mapped != NULL) {
		s = mapped;
		len = strlen(mapped);
		if (def->closed || len == 0)
			return set_view(g, i, s, len), -1;
	}
	if (parsed_type(def->type) && !ascii(s, len)) {
		/* Full-width digits and signs ("１２０．００") read as ASCII. */
		buf_reset(&g->nfkc);
		if (textnorm_text(s, len, &g->nfkc) < 0)
			return *why = "not text", QP_UNPARSEABLE;
		s = buf_str(&g->nfkc);
		len = g->nfkc.len;
		stable = false;
	}
	tp.order = f->order;
	tp.tz = f->tz;
	switch (def->type) {
	case FT_SOURCE: /* from a column; else set by field_value() */
	case FT_KEY:
	case FT_TEXT:
	case FT_NAME:
		if (textnorm_is_clean(s, len))
			return set_view(g, i, s, len), -1;
		if ((def->type == FT_NAME ? textnorm_name(s, len, v)
		                          : textnorm_text(s, len, v)) < 0)
			return *why = "not text", QP_UNPARSEABLE;
		break;
	case FT_EMAIL:
		if (email_normalize(s, len, v, why) < 0)
			return QP_BAD_EMAIL;
		break;
	case FT_PHONE:
		if (phone_normalize(s, len, f->cc, tmp, why) < 0)
			return QP_BAD_PHONE;
		buf_addstr(v, tmp);
		break;
	case FT_IDNUM:
		st = idcard_check(s, len, g->o->today, &g->id);
		if (st != IDCARD_OK)
			return *why = idcard_strerror(st), idcard_problem(st);
		g->id_ok = true;
		buf_addstr(v, g->id.number);
		break;
	case FT_DATE:
		tp.tz = NULL; /* a calendar date has no zone */
		if (timeparse(s, len, &tp, &t, why) < 0)
			return date_hint(why), QP_UNPARSEABLE;
		if (civil_day(t.utc) > g->o->today ||
		    t.utc < civil_to_days(1900, 1, 1) * 86400)
			return *why = "not a plausible birth date",
			       QP_OUT_OF_RANGE;
		buf_add(v, tmp, civil_format_date(tmp, civil_day(t.utc)));
		break;
	case FT_TIME:
		if (timeparse(s, len, &tp, &t, why) < 0)
			return date_hint(why), QP_UNPARSEABLE;
		if (!civil_writable(t.utc))
			return *why = "after 9999-12-31T23:59:59Z in UTC",
			       QP_OUT_OF_RANGE;
		if (stable && canonical_time(s, len))
			return set_view(g, i, s, len), -1;
		buf_add(v, tmp, civil_format_iso(tmp, t.utc));
		break;
	case FT_AMOUNT:
		if (amount_parse(s, len, f->decimal_comma, &a, why) < 0)
			return QP_UNPARSEABLE;
		memcpy(g->currency, a.currency, sizeof(g->currency));
		g->rounded[i] = a.rounded;
		if (stable && !f->decimal_comma && canonical_amount(s, len))
			return set_view(g, i, s, len), -1;
		buf_add(v, tmp, amount_format(tmp, a.units));
		break;
	case FT_NUMBER:
		if (!numfmt_parse(s, len, &x))
			return *why = "not a number", QP_UNPARSEABLE;
		buf_adddouble(v, x);
		break;
	case FT_GENDER:
	case FT_TYPE:
	case FT_CHANNEL:
	case FT_CURRENCY: {
		int p = vocab_value(def->type, s, len, v, why);

		if (p >= 0)
			return p;
		break;
	}
	}
	set_built(g, i);
	return -1;
}

/* memcmp() == 0 without a call, for the short words of closed fields. */
static inline bool
same(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The cache set of a word: FNV-1a over its bytes. */
static unsigned
vset(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t   i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (h ^ (h >> 16)) % VCACHE_SETS;
}

/* norm_value() through the cache of closed fields. */
static int
closed_value(struct ingest *g, const struct input *in, size_t i,
    const struct field_def *def, const char *s, size_t len)
{
	struct vcache *vc = &g->cache[i];
	unsigned       set = vset(s, len), way;
	struct vslot  *c;

	for (way = 0; way < 2; way++) {
		c = &vc->slot[set][way];
		if (c->valid && c->raw.len == len &&
		    same(c->raw.data, s, len)) {
			vc->recent[set] = (unsigned char)way;
			set_view(g, i, buf_str(&c->out), c->out.len);
			g->why[i] = c->why;
			return c->problem;
		}
	}
	way = !vc->recent[set];
	vc->recent[set] = (unsigned char)way;
	c = &vc->slot[set][way];
	c->problem = norm_value(g, in, i, def, s, len);
	c->why = g->why[i];
	c->valid = true;
	buf_reset(&c->raw);
	buf_add(&c->raw, s, len);
	buf_reset(&c->out);
	if (c->problem < 0)
		buf_add(&c->out, g->vs[i], g->vl[i]);
	set_view(g, i, buf_str(&c->out), c->out.len);
	return c->problem;
}

/* The value of field i: usable, missing (empty) or a problem (empty). */
static int
field_value(struct ingest *g, const struct input *in, size_t i,
    const struct field_def *def, const char *s, size_t len)
{
	int p;

	set_view(g, i, "", 0);
	g->rounded[i] = false;
	if (def->type == FT_SOURCE && in->col[i] < 0) {
		set_view(g, i, in->source, strlen(in->source));
		return -1;
	}
	p = def->closed ? closed_value(g, in, i, def, s, len)
	                : norm_value(g, in, i, def, s, len);
	if (p >= 0)
		set_view(g, i, "", 0); /* an unusable value is empty */
	return p;
}

/* A value for a message: at most 60 bytes, cut at a character boundary. */
static void
quote_value(struct buf *b, const char *s, size_t len)
{
	size_t n = len;

	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	buf_addc(b, '\'');
	buf_add(b, s, n);
	buf_addstr(b, n < len ? "...'" : "'");
}

/* --------------------------------------------------------------- one row */

static void
write_value(struct ingest *g, struct output *out, size_t c, const char *s,
    size_t len, enum rec_kind kind)
{
	char tok[PSEUDO_TOKEN_MAX];

	if (out->dropped[c])
		return;
	if (len == 0 || out->priv[c] == PRIV_KEEP) {
		recout_field(out->w, s, len,
		    len == 0 && kind != REC_ABSENT ? REC_NULL : kind);
	} else if (out->priv[c] == PRIV_PSEUDO) {
		pseudo_token(g->o->key, s, len, tok);
		recout_str(out->w, tok, strlen(tok));
	} else {
		buf_reset(&g->priv);
		mask_value(out->mk[c], s, len, &g->priv);
		recout_str(out->w, buf_str(&g->priv), g->priv.len);
	}
}

/* The columns of rec that no canonical field reads, from output column
 * first on. */
static void
write_passthrough(struct ingest *g, struct output *out, const struct input *in,
    const struct rec *rec, size_t first)
{
	size_t j;
	int    c;

	for (j = first; j < out->ncols; j++) {
		c = in->from[j];
		if (c >= 0)
			write_value(g, out, j, rec->f[c], rec->len[c],
			    (enum rec_kind)rec->kind[c]);
		else /* a column of another input */
			write_value(g, out, j, "", 0,
			    g->o->raw ? REC_ABSENT : REC_NULL);
	}
}

/* Give field f the value s when it has none and no problem. */
static void
fill_in(struct ingest *g, int f, const char *s, size_t len)
{
	if (f >= 0 && g->vl[f] == 0 && g->problem[f] < 0) {
		buf_reset(&g->val[f]);
		buf_add(&g->val[f], s, len);
		set_built(g, (size_t)f);
	}
}

/*
 * Values one field gives another: birth date and gender from a valid ID
 * number, the currency written with the amount, and "order" for an event
 * without a type.
 */
static void
derive(struct ingest *g, const struct links *l)
{
	char tmp[CIVIL_ISO_MAX];

	if (g->id_ok) {
		fill_in(g, l->birth_date, tmp,
		    civil_format_date(tmp, g->id.birth_day));
		fill_in(g, l->gender, g->id.gender == 'M' ? "male" : "female",
		    g->id.gender == 'M' ? 4 : 6);
	}
	if (l->amount >= 0 && g->problem[l->amount] < 0)
		fill_in(g, l->currency, g->currency, strlen(g->currency));
	fill_in(g, l->type, "order", 5);
}

/* True when a field without a column may get a value from derive(). */
static bool
derived(const struct links *l, int i)
{
	return i == l->type || i == l->currency || i == l->birth_date ||
	    i == l->gender;
}

/* Settle which fields of input in need work on every row. */
static void
set_active(struct ingest *g, struct input *in)
{
	const struct links     *l = &g->links[in->src->kind];
	const struct field_def *def;
	size_t                  n, i;

	def = schema_fields(in->src->kind, &n);
	in->nactive = 0;
	for (i = 0; i < n; i++) {
		/* Inactive fields keep these for every row of the input. */
		set_view(g, i, "", 0);
		g->problem[i] = -1;
		if (in->col[i] >= 0 || def[i].type == FT_SOURCE ||
		    derived(l, (int)i))
			in->active[in->nactive++] = i;
	}
}

/*
 * Count the outcome of every active field and collect the reasons that
 * make the row unusable (a required field without a usable value) into
 * g->reasons.  Returns the number of reasons.
 */
/*
 * The input value of field i as the quality report and the notes may show
 * it: NULL when the field is masked, pseudonymized or dropped, since they
 * must not leak what the output hides.
 */
static const char *
shown_value(const struct ingest *g, const struct input *in, size_t i,
    const struct rec *rec)
{
	const struct output *out = &g->out[in->src->kind];
	int                  c = in->col[i];

	if (c < 0)
		return "";
	if (out->priv[i] != PRIV_KEEP || out->dropped[i])
		return NULL;
	return rec->f[c];
}

static size_t
judge(struct ingest *g, const struct input *in, const struct rec *rec)
{
	const struct srcmap_source *s = in->src;
	const char *const          *cols = recin_cols(in->r);
	const struct field_def     *def;
	struct qsource             *qs = in->qs;
	size_t                      n, k, nreason = 0;

	def = schema_fields(s->kind, &n);
	buf_reset(&g->reasons);
	for (k = 0; k < in->nactive; k++) {
		size_t i = in->active[k];
		int    c = in->col[i];

		if (g->vl[i] > 0) {
			qs->f[i].filled++;
			if (g->rounded[i]) {
				qs->f[i].problems[QP_ROUNDED]++;
				quality_value(&g->q, qs, i, QP_ROUNDED,
				    recin_name(in->r), rec->line,
				    shown_value(g, in, i, rec),
				    c >= 0 ? rec->len[c] : 0,
				    "more than four decimals", "rounded");
			}
			continue;
		}
		if (g->problem[i] < 0) {
			qs->f[i].missing++;
		} else {
			qs->f[i].problems[g->problem[i]]++;
			quality_value(&g->q, qs, i,
			    (enum qproblem)g->problem[i], recin_name(in->r),
			    rec->line, shown_value(g, in, i, rec),
			    c >= 0 ? rec->len[c] : 0, g->why[i],
			    s->f[i].required ? NULL : "emptied");
		}
		if (!s->f[i].required) {
			if (g->problem[i] >= 0)
				g->st->emptied++;
			continue;
		}
		if (g->problem[i] >= 0) {
			buf_addf(&g->reasons, "bad %s ", def[i].name);
			quote_value(&g->reasons, rec->f[c], rec->len[c]);
			buf_addf(&g->reasons, " in column '%s': %s", cols[c],
			    g->why[i]);
		} else {
			qs->f[i].problems[QP_MISSING_REQUIRED]++;
			buf_addf(&g->reasons, "missing %s", def[i].name);
			if (c >= 0)
				buf_addf(
				    &g->reasons, " in column '%s'", cols[c]);
		}
		buf_addc(&g->reasons, '\0');
		nreason++;
	}
	return nreason;
}

/* The fields no row of input in ever fills are missing in all its rows. */
static void
count_inactive(const struct input *in)
{
	size_t n, i, k;

	schema_fields(in->src->kind, &n);
	for (i = 0, k = 0; i < n; i++) {
		if (k < in->nactive && in->active[k] == i)
			k++;
		else
			in->qs->f[i].missing += in->rows;
	}
}

static void
reject(struct ingest *g, const struct input *in, const struct rec *rec,
    size_t nreason)
{
	const char *p = buf_str(&g->reasons), *raw;
	size_t      i, len;

	xgrow(&g->reason, &g->capreason, nreason, sizeof(*g->reason));
	for (i = 0; i < nreason; i++) {
		g->reason[i] = p;
		p += strlen(p) + 1;
	}
	raw = recin_raw(in->r, &len);
	rejects_add(
	    g->rj, recin_name(in->r), rec->line, g->reason, nreason, raw, len);
	in->qs->rejected++;
	g->st->rejected++;
}

/* The sentiment and topics of the row's text, when its source is scored. */
static void
write_scored(struct ingest *g, struct output *out, const struct input *in)
{
	size_t n;
	double v;

	buf_reset(&g->score);
	buf_reset(&g->named);
	if ((g->o->sentiment || in->src->sentiment) && g->vl[g->text] > 0) {
		n = ptrie_fold(&g->senti.fold, g->vs[g->text], g->vl[g->text],
		    &g->cps, &g->capcps);
		if (senti_score(&g->senti, g->cps, n, &v)) {
			v = round(v * 1000) / 1000;
			buf_adddouble(&g->score, v == 0 ? 0 : v);
		}
		topics_write(
		    &g->topics, topics_match(&g->topics, g->cps, n), &g->named);
	}
	write_value(g, out, (size_t)out->scored, buf_str(&g->score),
	    g->score.len, REC_JSON);
	write_value(g, out, (size_t)out->scored + 1, buf_str(&g->named),
	    g->named.len, REC_STR);
}

static int
canonical_row(
    struct ingest *g, struct input *in, const struct rec *rec, struct ci_err *e)
{
	const struct srcmap_source *s = in->src;
	struct output              *out = &g->out[s->kind];
	const struct field_def     *def;
	size_t                      n, i, k, nreason;

	def = schema_fields(s->kind, &n);
	g->id_ok = false;
	g->currency[0] = '\0';
	in->qs->rows++;
	in->rows++;
	for (k = 0; k < in->nactive; k++) {
		int c;

		i = in->active[k];
		c = in->col[i];
		if (c >= 0 && rec->kind[c] == REC_INVALID) {
			set_view(g, i, "", 0);
			g->rounded[i] = false;
			g->why[i] =
			    "not text (invalid UTF-8 or a NUL byte): is "
			    "the input in another encoding? see "
			    "--encoding";
			g->problem[i] = QP_UNPARSEABLE;
			continue;
		}
		g->problem[i] = field_value(g, in, i, &def[i],
		    c >= 0 ? rec->f[c] : "", c >= 0 ? rec->len[c] : 0);
	}
	derive(g, &g->links[s->kind]);
	if ((nreason = judge(g, in, rec)) > 0) {
		reject(g, in, rec, nreason);
		return 0;
	}
	if (out->plain) {
		for (i = 0; i < n; i++)
			recout_field(out->w, g->vs[i], g->vl[i],
			    g->vl[i] > 0 ? out->kind[i] : REC_NULL);
	} else {
		for (i = 0; i < n; i++)
			write_value(g, out, (size_t)out->canon[i], g->vs[i],
			    g->vl[i], out->kind[i]);
	}
	if (out->scored >= 0) {
		write_scored(g, out, in);
		n += 2;
	}
	write_passthrough(g, out, in, rec, n);
	g->st->written[s->kind]++;
	return recout_end(out->w, e);
}

static int
raw_row(
    struct ingest *g, struct input *in, const struct rec *rec, struct ci_err *e)
{
	write_passthrough(g, &g->out[0], in, rec, 0);
	g->st->written[0]++;
	return recout_end(g->out[0].w, e);
}

/* ------------------------------------------------------------- the run */

/* What the read loop hands an input's rows to. */
struct reading {
	struct ingest *g;
	struct input  *in;
};

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading *rd = ctx;
	int             rc;

	(void)file; /* the reasons name recin_name(), the same */
	rc = rd->in->src != NULL ? canonical_row(rd->g, rd->in, rec, e)
	                         : raw_row(rd->g, rd->in, rec, e);
	return rc < 0 ? REC_FAIL : REC_ROW;
}

/* A row the reader found bad: counted for the totals and its source. */
static void
read_rejected(void *ctx)
{
	struct reading *rd = ctx;

	rd->g->st->rejected++;
	if (rd->in->qs != NULL) {
		rd->in->qs->rows++;
		rd->in->qs->rejected++;
	}
}

static int
stream_input(
    struct ingest *g, struct input *in, struct progress *p, struct ci_err *e)
{
	struct reading              rd = { g, in };
	const struct parread_reader reader = {
		.row = read_row, .rejected = read_rejected, .ctx = &rd
	};
	size_t i, j;

	if (open_input(g, in, e) < 0)
		return -1;
	if (in->src != NULL) {
		in->qs = quality_source(&g->q, in->source, in->src->kind);
		set_active(g, in);
	}
	for (i = 0; i < SCHEMA_MAX_FIELDS; i++)
		for (j = 0; j < VCACHE_SETS; j++)
			g->cache[i].slot[j][0].valid =
			    g->cache[i].slot[j][1].valid = false;
	if (parread_input(in->r, &reader, NULL, g->rj, p, &g->st->rows, e) < 0)
		return -1;
	g->st->blank_lines += recin_blank_lines(in->r);
	if (in->qs != NULL) {
		in->qs->blank_lines += recin_blank_lines(in->r);
		count_inactive(in);
	}
	return 0;
}

/*
 * No output may be one of the inputs, those a source map's patterns found
 * included: writing it would destroy what is to be read.
 */
static int
guard_outputs(struct ingest *g, struct ci_err *e)
{
	const char *const outs[] = { g->o->out[CI_KIND_CUSTOMER],
		g->o->out[CI_KIND_EVENT], g->o->quality, g->o->rejects,
		g->o->notes };
	const char *const opts[] = { "--customers", "--events", "--quality",
		"--rejects", "--notes" };
	char            **ins = xcalloc(g->nin + 1, sizeof(*ins));
	size_t            i;
	int               rc = 0;

	for (i = 0; i < g->nin; i++)
		ins[i] = (char *)(g->in[i].path != NULL ? g->in[i].path : "-");
	for (i = 0; i < 5 && rc == 0; i++)
		if (outs[i] != NULL)
			rc = samefile_check(outs[i], opts[i], ins, g->nin, e);
	free(ins);
	return rc;
}

/*
 * An input that cannot be read as its format says (a header that is not
 * text, a JSON array): one rejected row for all of it, and the run goes
 * on with the others.
 */
static void
reject_input(struct ingest *g, struct input *in)
{
	const struct ci_err *why = &in->broken;

	rejects_add_rest(g->rj, why->file, why->line, why->msg);
	g->st->rows++;
	g->st->rejected++;
	if (in->src != NULL) {
		in->qs = quality_source(&g->q, in->source, in->src->kind);
		in->qs->rows++;
		in->qs->rejected++;
	}
}

static enum rec_fmt
output_format(const struct ingest *g)
{
	enum rec_fmt f = g->o->format;
	size_t       i;

	if (f != REC_FMT_AUTO)
		return f;
	f = REC_FMT_CSV;
	for (i = 0; i < g->nin; i++)
		if (g->in[i].r != NULL) {
			f = recin_format(g->in[i].r);
			break;
		}
	if (g->o->raw)
		f = f == REC_FMT_CSV ? REC_FMT_NDJSON : REC_FMT_CSV;
	return f;
}

static void
release(struct ingest *g)
{
	size_t i, k;

	for (i = 0; i < g->nin; i++) {
		recin_free(g->in[i].r);
		free(g->in[i].outcol);
		free(g->in[i].from);
		free(g->in[i].source);
	}
	free(g->in);
	for (k = 0; k < CI_KIND_COUNT; k++) {
		struct output *out = &g->out[k];

		for (i = 0; i < out->ncols; i++)
			free(out->cols[i]);
		free(out->cols);
		free(out->priv);
		free(out->mk);
		free(out->dropped);
	}
	for (i = 0; i < SCHEMA_MAX_FIELDS; i++) {
		buf_release(&g->val[i]);
		for (k = 0; k < 2 * VCACHE_SETS; k++) {
			buf_release(&g->cache[i].slot[k / 2][k % 2].raw);
			buf_release(&g->cache[i].slot[k / 2][k % 2].out);
		}
	}
	buf_release(&g->scratch);
	buf_release(&g->nfkc);
	buf_release(&g->priv);
	buf_release(&g->reasons);
	free(g->reason);
	quality_release(&g->q);
	senti_release(&g->senti);
	topics_release(&g->topics);
	free(g->cps);
	buf_release(&g->score);
	buf_release(&g->named);
}

/*
 * Settle whether any source is scored and load the lexicon and topics
 * then; --lexicon and --topics without a source to score are refused.
 */
static int
load_scoring(struct ingest *g, struct ci_err *e)
{
	const struct ingest_opts *o = g->o;
	size_t                    i;

	g->scoring = o->sentiment;
	for (i = 0; !o->raw && i < o->map->n; i++)
		if (o->map->src[i].sentiment)
			g->scoring = true;
	if (!g->scoring) {
		if (o->lexicon != NULL || o->topics != NULL)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "%s: no source is scored; add --sentiment, or "
			    "'sentiment: true' to a source of the map",
			    o->lexicon != NULL ? "--lexicon" : "--topics");
		return 0;
	}
	g->text = schema_field(CI_KIND_EVENT, "text");
	if (senti_init(&g->senti, e) < 0 ||
	    (o->lexicon != NULL && senti_load(&g->senti, o->lexicon, e) < 0))
		return -1;
	return topics_load(&g->topics, &g->senti.fold, o->topics, e);
}

int
ingest_guard(const struct ingest_opts *o, struct buf *notes, struct ci_err *e)
{
	struct ingest       g = { 0 };
	struct ingest_stats st = { 0 };
	glob_t              gl = { 0 };
	int                 rc = 0;

	g.o = o;
	g.st = &st;
	if (resolve_inputs(&g, &gl, e) < 0 || guard_outputs(&g, e) < 0) {
		buf_addstr(notes, buf_str(&st.notes));
		rc = -1;
	}
	release(&g);
	globfree(&gl);
	buf_release(&st.notes);
	return rc;
}

int
ingest_run(const struct ingest_opts *o, struct rejects *rj,
    struct ingest_stats *st, struct ci_err *e)
{
	struct ingest   g = { 0 };
	struct progress p;
	enum rec_fmt    fmt = REC_FMT_CSV;
	glob_t          gl = { 0 };
	size_t          i, k;
	int             rc = -1;
	bool            have_fmt = false;

	memset(st, 0, sizeof(*st));
	progress_init(&p, o->in.quiet);
	for (k = 0; k < CI_KIND_COUNT; k++) {
		g.links[k].type = schema_field((enum ci_kind)k, "type");
		g.links[k].amount = schema_field((enum ci_kind)k, "amount");
		g.links[k].currency = schema_field((enum ci_kind)k, "currency");
		g.links[k].birth_date =
		    schema_field((enum ci_kind)k, "birth_date");
		g.links[k].gender = schema_field((enum ci_kind)k, "gender");
	}
	g.o = o;
	g.rj = rj;
	g.st = st;
	if (load_scoring(&g, e) < 0 || resolve_inputs(&g, &gl, e) < 0 ||
	    guard_outputs(&g, e) < 0 ||
	    (o->notes != NULL && quality_notes_open(&g.q, o->notes, e) < 0))
		goto out;
	for (i = 0; i < g.nin; i++) {
		struct input *in = &g.in[i];

		if (open_input(&g, in, e) < 0) {
			if (e->code != CI_EXIT_DATA)
				goto out;
			in->broken = *e; /* rejected when its turn comes */
			continue;
		}
		if (recin_note(in->r) != NULL)
			buf_addf(&st->notes, "%s\n", recin_note(in->r));
		if (bind_input(&g, in, e) < 0)
			goto out;
		if (in->empty)
			buf_addf(
			    &st->notes, "%s: empty input\n", recin_name(in->r));
		if (!have_fmt) {
			fmt = output_format(&g);
			have_fmt = true;
		}
		park_input(in);
	}
	if (open_outputs(&g, fmt, e) < 0)
		goto out;
	for (i = 0; i < g.nin; i++) {
		if (g.in[i].broken.code != 0) {
			reject_input(&g, &g.in[i]);
			continue;
		}
		if (stream_input(&g, &g.in[i], &p, e) < 0)
			goto out;
		park_input(&g.in[i]);
	}
	st->files = g.nin;
	rc = 0;
out:
	for (k = 0; k < CI_KIND_COUNT; k++)
		if (recout_close(g.out[k].w, rc == 0 ? e : NULL) < 0)
			rc = -1;
	if (quality_notes_close(&g.q, rc == 0 ? e : NULL) < 0)
		rc = -1;
	if (rc == 0 && o->quality != NULL &&
	    quality_write(&g.q, o->quality, e) < 0)
		rc = -1;
	st->light = quality_overall(&g.q);
	release(&g);
	globfree(&gl);
	progress_done(&p);
	return rc;
}

void
ingest_summary(const struct ingest_opts *o, const struct ingest_stats *st,
    uint64_t rejected, struct buf *out)
{
	static const char *const light[] = { "green", "yellow", "red" };

	buf_addf(out,
	    "%llu row%s from %zu file%s: ", (unsigned long long)st->rows,
	    st->rows == 1 ? "" : "s", st->files, st->files == 1 ? "" : "s");
	if (o->raw)
		buf_addf(
		    out, "%llu written", (unsigned long long)st->written[0]);
	else
		buf_addf(out, "%llu customers, %llu events",
		    (unsigned long long)st->written[CI_KIND_CUSTOMER],
		    (unsigned long long)st->written[CI_KIND_EVENT]);
	buf_addf(out, ", %llu rejected", (unsigned long long)rejected);
	if (st->emptied > 0)
		buf_addf(out, ", %llu values emptied",
		    (unsigned long long)st->emptied);
	if (!o->raw)
		buf_addf(out, "; quality %s", light[st->light]);
	buf_addc(out, '\n');
}
