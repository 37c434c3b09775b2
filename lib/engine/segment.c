/*
 * segment: rows in, segment columns out, through the modules of each kind (rfm,
 * tier, lifecycle, cluster, segrules) and a model file.
 *
 * Rows are kept as they were read, to be written again with their labels:
 * each row's fields, NUL-terminated (recin guarantees fields hold no NUL),
 * after the NDJSON kind of each, as a record of a spill (lib/spill), which
 * keeps a few MiB in memory and the rest in a temporary file.  The columns
 * the kinds compute with are parsed once, into one array of doubles per
 * column (NaN when empty); a column only the anomaly forest reads is kept
 * in single precision alone, as the forest reads it (anomaly_value()).  A
 * fit and a model both end in the same parameters, and rows are labelled
 * from the parameters alone, so a model applied to the rows it was fitted
 * on labels them as the fit did.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "model.h"
#include "numfmt.h"
#include "parread.h"
#include "quantile.h"
#include "recin.h"
#include "recout.h"
#include "rfm.h"
#include "segment.h"
#include "spill.h"
#include "xalloc.h"

#define TOOL "ci-segment"
#define MODEL_KIND "segment"
#define MODEL_VERSION 1

/* The bytes of rows kept in memory; the rest go to a temporary file. */
#define ROWS_IN_MEMORY ((size_t)4 << 20)

/* Bounds of --k auto and its silhouette sample. */
#define AUTO_KMIN 2
#define AUTO_KMAX 10
#define AUTO_SAMPLE 2000

/* The numeric columns a kind may use, by role. */
enum role {
	RO_REC,
	RO_FREQ,
	RO_MON,
	RO_VSCORE,
	RO_CLV,
	RO_CHURN,
	RO_ALIVE,
	RO_GAP,
	RO_O90,
	RO_O180,
	RO_TREND,
	RO_N
};

/* The column names of the roles after R, F and M. */
static const char *const role_name[RO_N] = { NULL, NULL, NULL, "value_score",
	"clv", "churn_risk", "p_alive", "gap_days_mean", "orders_90d",
	"orders_180d", "spend_trend" };

/* The added columns, in output order. */
enum added {
	AD_R,
	AD_F,
	AD_M,
	AD_RFM,
	AD_SEG,
	AD_TIER,
	AD_STAGE,
	AD_CLUSTER,
	AD_ASCORE,
	AD_AFLAG,
	AD_AREASON,
	AD_RULES,
	AD_N
};

static const char *const added_name[AD_N] = { "r_score", "f_score", "m_score",
	"rfm_score", "rfm_segment", "value_tier", "lifecycle", "cluster",
	"anomaly_score", "anomaly", "anomaly_reason", NULL };

static const char *const kind_names[] = { "rfm", "tier", "lifecycle", "cluster",
	"anomaly" };

/* The columns --anomaly uses by default, those present: R, F and M, then
 * these. */
static const char *const anomaly_default[] = { "monetary_avg", "orders_30d",
	"spend_trend", "refunds", "refund_amount", "refund_rate", "tickets",
	"complaints" };

#define NONE 255

/* One row's labels; NONE where undefined. */
struct label {
	uint8_t r, f, m, seg, tier, stage, cluster;
};

struct segment {
	bool                from_model;
	struct segment_opts o;
	unsigned            kinds;
	char               *rfm_col[3]; /* names of R, F and M */
	char              **ccols;      /* clustering columns */
	size_t              nccols;
	enum tier_value_src vsrc;
	enum tier_risk_src  rsrc;
	uint64_t            model_rows;

	/* Binding. */
	bool     bound;
	bool     kinds_kept; /* NDJSON input: the kind of each field kept */
	char   **cols;       /* input columns */
	size_t   ncols;
	unsigned need;       /* bit (1 << role) for each role used */
	int      slot[RO_N]; /* number column of each role, or -1 */
	int     *cslot;      /* number column of each clustering column */
	int     *scol;       /* input column of each number column */
	double **sv;         /* the values of each number column */
	size_t   nslots;
	size_t   nstored; /* number columns [0, nstored) have sv */
	double  *parsed;  /* nslots: the values of the row being added */
	char   **out;     /* output columns */
	size_t   nout;
	int      pos[AD_N]; /* output column of each added column, or -1 */
	int     *repl;      /* per input column: the added one, or -1 */
	int     *outadd;    /* per output column: the added one, or -1 */
	struct segrules *rules;

	/* Rows. */
	struct spill       *rows; /* each row's kinds (NDJSON) and fields */
	size_t              n, cap;
	struct model_digest dg;

	/* Parameters. */
	struct rfm_cuts      cuts;
	double               pct_a[TIER_PCTS], pct_b[TIER_PCTS];
	double               typical_gap;
	struct cluster_model cm;
	struct cluster_info  cinfo;
	bool                 cfitted;

	/* Labels. */
	struct label *lab;
	size_t        no_rfm, no_tier, no_stage, no_cluster;

	/* Anomalies. */
	char               **acols; /* the forest's columns */
	size_t               nacols;
	int                 *aslot; /* number column of each */
	float              **af;    /* the values of each, anomaly_value() */
	struct anomaly_model am;
	double              *ascore; /* each row's score, 0-100 */
	size_t               flagged;
};

void
segment_opts_init(struct segment_opts *o, uint64_t seed)
{
	memset(o, 0, sizeof(*o));
	o->kinds = SEG_ALL;
	o->recency = "recency_days";
	o->frequency = "purchase_days";
	o->monetary = "monetary_total";
	o->tier.high = 80;
	o->tier.potential = 40;
	o->tier.risk_score = 60;
	o->tier.risk_alive = 0.5;
	o->tier.overdue = 2;
	o->tier.lost_after = 4;
	o->life.overdue = 2;
	o->life.lost_after = 4;
	o->life.growth = 1.5;
	o->life.falling = 0.5;
	o->cluster.k = 4;
	o->cluster.kmin = AUTO_KMIN;
	o->cluster.kmax = AUTO_KMAX;
	o->cluster.sample = AUTO_SAMPLE;
	o->cluster.restarts = 10;
	o->cluster.seed = seed;
	o->cluster.log = true;
	o->cluster.scale = true;
	o->anomaly.trees = IFOREST_TREES;
	o->anomaly.sample = IFOREST_SAMPLE;
	o->anomaly.contamination = 0.01;
	o->anomaly.seed = seed;
}

static int
kind_bit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strlen(kind_names[i]) == len &&
		    memcmp(kind_names[i], s, len) == 0)
			return 1 << i;
	if (len == 3 && memcmp(s, "all", 3) == 0)
		return SEG_ALL;
	return -1;
}

int
segment_kinds_parse(const char *s, unsigned *kinds)
{
	const char *comma;
	size_t      len;
	int         b;

	*kinds = 0;
	for (;;) {
		comma = strchr(s, ',');
		len = comma != NULL ? (size_t)(comma - s) : strlen(s);
		if ((b = kind_bit(s, len)) < 0)
			return -1;
		*kinds |= (unsigned)b;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	return 0;
}

static struct segment *
alloc_segment(void)
{
	struct segment *s = xcalloc(1, sizeof(*s));
	size_t          i;

	for (i = 0; i < RO_N; i++)
		s->slot[i] = -1;
	for (i = 0; i < AD_N; i++)
		s->pos[i] = -1;
	s->typical_gap = NAN;
	model_digest_init(&s->dg);
	return s;
}

struct segment *
segment_new(const struct segment_opts *o)
{
	struct segment *s = alloc_segment();
	size_t          i;

	s->o = *o;
	s->o.tier.lost_after = o->life.lost_after;
	s->kinds = o->kinds;
	s->rfm_col[0] = xstrdup(o->recency);
	s->rfm_col[1] = xstrdup(o->frequency);
	s->rfm_col[2] = xstrdup(o->monetary);
	if (o->cluster_on.n > 0) {
		s->nccols = o->cluster_on.n;
		s->ccols = xcalloc(s->nccols, sizeof(*s->ccols));
		for (i = 0; i < s->nccols; i++)
			s->ccols[i] = xstrdup(o->cluster_on.v[i]);
	} else {
		s->nccols = 3;
		s->ccols = xcalloc(3, sizeof(*s->ccols));
		for (i = 0; i < 3; i++)
			s->ccols[i] = xstrdup(s->rfm_col[i]);
	}
	s->nacols = o->anomaly_on.n;
	s->acols = xcalloc(s->nacols + 1, sizeof(*s->acols));
	for (i = 0; i < s->nacols; i++)
		s->acols[i] = xstrdup(o->anomaly_on.v[i]);
	return s;
}

/* --anomaly without columns: R, F, M and anomaly_default[], those there. */
static void
default_anomaly_columns(struct segment *s, const struct recin *r)
{
	size_t i, n = sizeof(anomaly_default) / sizeof(anomaly_default[0]);

	s->acols = xreallocarray(s->acols, 3 + n, sizeof(*s->acols));
	for (i = 0; i < 3 + n; i++) {
		const char *c = i < 3 ? s->rfm_col[i] : anomaly_default[i - 3];

		if (recin_find(r, c) >= 0)
			s->acols[s->nacols++] = xstrdup(c);
	}
}

/* The column name of role r. */
static const char *
role_col(const struct segment *s, int r)
{
	if (r <= RO_MON)
		return s->rfm_col[r];
	return role_name[r]; // cppcheck-suppress arrayIndexOutOfBoundsCond
}

/* Which roles the kinds need, as bits. */
static unsigned
needed_roles(const struct segment *s)
{
	unsigned need = 0;

	if (s->kinds & SEG_RFM)
		need |= 1u << RO_REC | 1u << RO_FREQ | 1u << RO_MON;
	if (s->kinds & SEG_TIER) {
		/*
		 * Percentiles are fitted on the rows with R, F and M whatever
		 * else is asked for; the rhythm (R and the gap) bounds every
		 * tier.
		 */
		need |= 1u << RO_REC | 1u << RO_GAP;
		if (s->vsrc == TIER_VALUE_SCORE)
			need |= 1u << RO_VSCORE;
		else if (s->vsrc == TIER_VALUE_CLV)
			need |= 1u << RO_CLV | 1u << RO_FREQ | 1u << RO_MON;
		else
			need |= 1u << RO_FREQ | 1u << RO_MON;
		if (s->rsrc == TIER_RISK_CHURN)
			need |= 1u << RO_CHURN;
		else if (s->rsrc == TIER_RISK_ALIVE)
			need |= 1u << RO_ALIVE;
	}
	if (s->kinds & SEG_LIFECYCLE)
		need |= 1u << RO_REC | 1u << RO_FREQ | 1u << RO_GAP |
		    1u << RO_O90 | 1u << RO_O180 | 1u << RO_TREND;
	return need;
}

/* The number column of input column c, added when new. */
static int
slot_of(struct segment *s, int c)
{
	size_t i;

	for (i = 0; i < s->nslots; i++)
		if (s->scol[i] == c)
			return (int)i;
	s->scol = xreallocarray(s->scol, s->nslots + 1, sizeof(*s->scol));
	s->sv = xreallocarray(s->sv, s->nslots + 1, sizeof(*s->sv));
	s->scol[s->nslots] = c;
	s->sv[s->nslots] = NULL;
	return (int)s->nslots++;
}

/* Why role r is needed, for a missing-column message. */
static const char *
role_why(const struct segment *s, int r)
{
	if ((s->kinds & SEG_RFM) && r <= RO_MON)
		return "for RFM scores";
	if ((s->kinds & SEG_TIER) &&
	    (r == RO_VSCORE || r == RO_CLV || r == RO_CHURN || r == RO_ALIVE ||
	        r == RO_FREQ || r == RO_MON || r == RO_REC || r == RO_GAP))
		return "for value tiers";
	return "for lifecycle stages";
}

/* The kind that adds column a (an AD_ value before AD_RULES), as an index
 * of kind_names[]: its bit in segment_opts.kinds is 1 << that. */
static int
added_kind(int a)
{
	return a <= AD_SEG    ? 0
	    : a == AD_TIER    ? 1
	    : a == AD_STAGE   ? 2
	    : a == AD_CLUSTER ? 3
	                      : 4;
}

/* Whether this run adds column a (an AD_ value). */
static bool
added_on(const struct segment *s, int a)
{
	return a == AD_RULES ? s->rules != NULL
	                     : (s->kinds & 1u << added_kind(a)) != 0;
}

/* Lay out the output columns: the input's, then the added ones. */
static void
layout(struct segment *s)
{
	size_t i, a;
	int    on[AD_N] = { 0 };

	for (a = 0; a < AD_N; a++)
		on[a] = added_on(s, (int)a);
	s->repl = xcalloc(s->ncols + 1, sizeof(*s->repl));
	s->out = xcalloc(s->ncols + AD_N, sizeof(*s->out));
	for (i = 0; i < s->ncols; i++) {
		s->repl[i] = -1;
		s->out[i] = s->cols[i];
	}
	s->nout = s->ncols;
	for (a = 0; a < AD_N; a++) {
		const char *name = a == AD_RULES && s->rules ? s->rules->column
		                                             : added_name[a];

		if (!on[a])
			continue;
		for (i = 0; i < s->ncols; i++)
			if (strcmp(s->cols[i], name) == 0)
				break;
		if (i < s->ncols) {
			s->repl[i] = (int)a;
			s->pos[a] = (int)i;
		} else {
			s->pos[a] = (int)s->nout;
			s->out[s->nout++] = (char *)name;
		}
	}
	s->outadd = xcalloc(s->nout, sizeof(*s->outadd));
	for (i = 0; i < s->nout; i++)
		s->outadd[i] = i < s->ncols ? s->repl[i] : -1;
	for (a = 0; a < AD_N; a++)
		if (s->pos[a] >= (int)s->ncols)
			s->outadd[s->pos[a]] = (int)a;
}

int
segment_bind(struct segment *s, const struct recin *r, struct segrules *rules,
    struct ci_err *e)
{
	const char *const *cols = recin_cols(r);
	size_t             i;
	int                c, ro;

	s->ncols = recin_ncols(r);
	if (s->ncols == 0)
		return 0;
	s->bound = true;
	s->kinds_kept = recin_format(r) == REC_FMT_NDJSON;
	s->cols = xcalloc(s->ncols, sizeof(*s->cols));
	for (i = 0; i < s->ncols; i++)
		s->cols[i] = xstrdup(cols[i]);
	if (!s->from_model) {
		s->vsrc = recin_find(r, "value_score") >= 0 ? TIER_VALUE_SCORE
		    : recin_find(r, "clv") >= 0             ? TIER_VALUE_CLV
		                                            : TIER_VALUE_FM;
		s->rsrc = recin_find(r, "churn_risk") >= 0 ? TIER_RISK_CHURN
		    : recin_find(r, "p_alive") >= 0        ? TIER_RISK_ALIVE
		                                           : TIER_RISK_RHYTHM;
	}
	s->need = needed_roles(s);
	for (ro = 0; ro < RO_N; ro++) {
		if (!(s->need & 1u << ro))
			continue;
		c = recin_require(r, role_col(s, ro), role_why(s, ro), e);
		if (c < 0)
			return -1;
		s->slot[ro] = slot_of(s, c);
	}
	if (s->kinds & SEG_CLUSTER) {
		s->cslot = xcalloc(s->nccols, sizeof(*s->cslot));
		for (i = 0; i < s->nccols; i++) {
			c = recin_require(
			    r, s->ccols[i], "for --cluster-on", e);
			if (c < 0)
				return -1;
			s->cslot[i] = slot_of(s, c);
		}
	}
	for (i = 0; rules != NULL && i < AD_RULES; i++)
		if (added_on(s, (int)i) &&
		    strcmp(rules->column, added_name[i]) == 0)
			return ci_err_set(e, CI_EXIT_USAGE, rules->path, 0,
			    "the rules' column '%s' is also written by "
			    "--segments %s; name another in 'column:'",
			    rules->column, kind_names[added_kind((int)i)]);
	if ((s->kinds & SEG_ANOMALY) && s->nacols == 0 && !s->from_model)
		default_anomaly_columns(s, r);
	if ((s->kinds & SEG_ANOMALY) && s->nacols == 0)
		return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
		    "no column for --anomaly: name some with --anomaly-on");
	s->nstored = s->nslots;
	s->aslot = xcalloc(s->nacols + 1, sizeof(*s->aslot));
	s->af = xcalloc(s->nacols + 1, sizeof(*s->af));
	for (i = 0; (s->kinds & SEG_ANOMALY) && i < s->nacols; i++) {
		c = recin_require(r, s->acols[i], "for --anomaly", e);
		if (c < 0)
			return -1;
		s->aslot[i] = slot_of(s, c);
	}
	s->parsed = xcalloc(s->nslots + 1, sizeof(*s->parsed));
	s->rows = spill_new(1, ROWS_IN_MEMORY);
	s->rules = rules;
	layout(s);
	if (rules != NULL &&
	    segrules_bind(rules, (const char *const *)s->out, s->nout, e) < 0)
		return -1;
	return 0;
}

int
segment_check_columns(
    const struct segment *s, const struct recin *r, struct ci_err *e)
{
	const char *const *cols = recin_cols(r);
	size_t             i;

	if (recin_ncols(r) == 0)
		return 0;
	if (recin_ncols(r) != s->ncols)
		goto differ;
	for (i = 0; i < s->ncols; i++)
		if (strcmp(cols[i], s->cols[i]) != 0)
			goto differ;
	return 0;
differ:
	return ci_err_set(e, CI_EXIT_USAGE, recin_name(r), 0,
	    "the columns differ from those of the first input");
}

int
segment_add(struct segment *s, const struct rec *rec, const char *file,
    struct ci_err *e)
{
	size_t i, cap, total = 0, n = s->n, nk = s->kinds_kept ? s->ncols : 0;
	double v;
	char  *p;

	if (!s->bound)
		return 0;
	if (n == s->cap) { /* every column array grows alike */
		cap = s->cap;
		for (i = 0; i < s->nstored; i++) {
			cap = s->cap;
			xgrow(&s->sv[i], &cap, n + 1, sizeof(*s->sv[i]));
		}
		for (i = 0; i < s->nacols; i++) {
			cap = s->cap;
			xgrow(&s->af[i], &cap, n + 1, sizeof(*s->af[i]));
		}
		s->cap = cap;
	}
	for (i = 0; i < s->nslots; i++) {
		int c = s->scol[i];

		if (rec->len[c] == 0 || rec_is_null(rec->kind[c])) {
			v = NAN;
		} else if (!numfmt_parse(rec->f[c], rec->len[c], &v)) {
			return ci_err_set(e, CI_EXIT_DATA, file, rec->line,
			    "bad number '%s' in column '%s'", rec->f[c],
			    s->cols[c]);
		}
		s->parsed[i] = v;
		if (i < s->nstored)
			s->sv[i][n] = v;
	}
	for (i = 0; i < s->nacols; i++)
		s->af[i][n] = anomaly_value(s->parsed[s->aslot[i]]);
	for (i = 0; i < s->ncols; i++)
		total += rec->len[i] + 1;
	if ((p = spill_reserve(s->rows, 0, nk + total, e)) == NULL)
		return -1;
	for (i = 0; i < nk; i++)
		*p++ = (char)rec->kind[i];
	for (i = 0; i < s->ncols; i++) {
		memcpy(p, rec->f[i], rec->len[i]);
		p[rec->len[i]] = '\0';
		p += rec->len[i] + 1;
	}
	spill_commit(s->rows, 0, nk + total);
	model_digest_rec(&s->dg, rec, s->scol, s->nslots);
	s->n++;
	return 0;
}

/* The value of role r in row i; NaN when the role is not read. */
static inline double
val(const struct segment *s, int r, size_t i)
{
	return s->slot[r] >= 0 ? s->sv[s->slot[r]][i] : NAN;
}

static int
fit_clusters(struct segment *s, struct ci_err *e)
{
	size_t     d = s->nccols, i, j, m = 0;
	double    *raw = xreallocarray(NULL, s->n * d + 1, sizeof(*raw)), x;
	struct buf b = { 0 };
	int        rc;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < d; j++) {
			x = s->sv[s->cslot[j]][i];
			if (isnan(x))
				break;
			raw[m * d + j] = x;
		}
		m += j == d;
	}
	rc = cluster_fit(&s->cm, raw, m, d, &s->o.cluster, &s->cinfo, e);
	free(raw);
	if (rc < 0) {
		for (j = 0; j < d; j++)
			buf_addf(&b, "%s'%s'", j > 0 ? ", " : "", s->ccols[j]);
		buf_addf(&b, ": %s", e->msg);
		ci_err_set(
		    e, e->code, NULL, 0, "cannot cluster on %s", buf_str(&b));
		buf_release(&b);
		return -1;
	}
	s->cfitted = true;
	return 0;
}

static int
fit_anomalies(struct segment *s, struct ci_err *e)
{
	s->ascore = xreallocarray(s->ascore, s->n + 1, sizeof(*s->ascore));
	return anomaly_fit(&s->am, (const float *const *)s->af, s->n, s->nacols,
	    &s->o.anomaly, s->ascore, e);
}

/*
 * Score the rows against a saved forest, or (fitting) keep the medians of
 * each RFM segment for the reasons, then count the rows flagged.
 */
static void
label_anomalies(struct segment *s)
{
	const float *const *col = (const float *const *)s->af;
	uint8_t            *seg = xcalloc(s->n + 1, 1);
	double             *row = xcalloc(2 * s->nacols + 1, sizeof(*row));
	size_t              i, j, nseg = 0;

	if (s->kinds & SEG_RFM)
		rfm_segments(&nseg);
	for (i = 0; i < s->n; i++)
		seg[i] = s->lab[i].seg;
	if (s->from_model) {
		s->ascore =
		    xreallocarray(s->ascore, s->n + 1, sizeof(*s->ascore));
		for (i = 0; i < s->n; i++) {
			for (j = 0; j < s->nacols; j++)
				row[j] = col[j][i];
			s->ascore[i] =
			    anomaly_score(&s->am, row, row + s->nacols);
		}
	} else {
		anomaly_fit_medians(&s->am, col, s->n, seg, nseg);
	}
	for (i = 0, s->flagged = 0; i < s->n; i++)
		s->flagged += s->ascore[i] >= s->am.cut;
	free(row);
	free(seg);
}

/*
 * A copy of role r's values keeping only the rows that have R, F and M:
 * the rows RFM scores and value percentiles are fitted on, so that
 * customers without a purchase (no recency) do not move the cut points of
 * those with one.  Whenever something is fitted here, all three are read
 * (needed_roles()), so the rows are the same whatever kinds are asked
 * for.
 */
static double *
scored_values(const struct segment *s, int r)
{
	double *v = xreallocarray(NULL, s->n + 1, sizeof(*v));
	size_t  i;
	int     q;

	for (i = 0; i < s->n; i++) {
		v[i] = val(s, r, i);
		for (q = RO_REC; q <= RO_MON; q++)
			if (s->slot[q] >= 0 && isnan(val(s, q, i)))
				v[i] = NAN;
	}
	return v;
}

/*
 * The RFM cut points (rfm, may be NULL) and value percentiles (pct, may
 * be NULL) of role r, from one sorted copy of its scored values.
 */
static void
fit_column(const struct segment *s, int r, double *rfm, double *pct)
{
	double *v = scored_values(s, r), *y;
	size_t  m;

	y = quantile_sorted(v, s->n, &m);
	if (rfm != NULL)
		quantile_cuts(y, m, RFM_CUTS + 1, rfm);
	if (pct != NULL)
		quantile_cuts(y, m, TIER_PCTS + 1, pct);
	free(y);
	free(v);
}

int
segment_fit(struct segment *s, struct ci_err *e)
{
	double *y;
	size_t  m;
	bool    rfm, fm;

	if (s->from_model)
		return 0;
	if (s->n == 0)
		return ci_err_set(e, CI_EXIT_DATA, NULL, 0,
		    "no rows to fit cut points and thresholds on (a saved "
		    "--model applies to any number of rows)");
	rfm = (s->kinds & SEG_RFM) != 0;
	fm = (s->kinds & SEG_TIER) && s->vsrc == TIER_VALUE_FM;
	if (rfm)
		fit_column(s, RO_REC, s->cuts.r, NULL);
	if (rfm || fm) {
		fit_column(
		    s, RO_FREQ, rfm ? s->cuts.f : NULL, fm ? s->pct_a : NULL);
		fit_column(
		    s, RO_MON, rfm ? s->cuts.m : NULL, fm ? s->pct_b : NULL);
	}
	if ((s->kinds & SEG_TIER) && s->vsrc == TIER_VALUE_CLV)
		fit_column(s, RO_CLV, NULL, s->pct_a);
	if (s->slot[RO_GAP] >= 0) {
		y = quantile_sorted(s->sv[s->slot[RO_GAP]], s->n, &m);
		s->typical_gap = quantile_median(y, m);
		free(y);
	}
	if ((s->kinds & SEG_CLUSTER) && fit_clusters(s, e) < 0)
		return -1;
	if ((s->kinds & SEG_ANOMALY) && fit_anomalies(s, e) < 0)
		return -1;
	return 0;
}

/* The value percentile of row i, as tier.h defines it. */
static double
value_of(const struct segment *s, size_t i)
{
	switch (s->vsrc) {
	case TIER_VALUE_SCORE:
		return val(s, RO_VSCORE, i);
	case TIER_VALUE_CLV:
		return tier_percentile(s->pct_a, val(s, RO_CLV, i));
	case TIER_VALUE_FM:
		break;
	}
	return (tier_percentile(s->pct_a, val(s, RO_FREQ, i)) +
	           tier_percentile(s->pct_b, val(s, RO_MON, i))) /
	    2;
}

static double
risk_of(const struct segment *s, size_t i)
{
	switch (s->rsrc) {
	case TIER_RISK_CHURN:
		return val(s, RO_CHURN, i);
	case TIER_RISK_ALIVE:
		return val(s, RO_ALIVE, i);
	case TIER_RISK_RHYTHM:
		break;
	}
	if (isnan(val(s, RO_REC, i)))
		return NAN;
	return lifecycle_rhythm(
	    val(s, RO_REC, i), val(s, RO_GAP, i), s->typical_gap);
}

static void
label_row(const struct segment *s, size_t i, struct label *l, double *scratch)
{
	struct lifecycle_in in;
	size_t              j;
	int                 r, f, m, seg, at;
	double              risk;

	memset(l, NONE, sizeof(*l));
	if (s->kinds & SEG_RFM) {
		r = rfm_score_down(s->cuts.r, val(s, RO_REC, i));
		f = rfm_score_up(s->cuts.f, val(s, RO_FREQ, i));
		m = rfm_score_up(s->cuts.m, val(s, RO_MON, i));
		seg = rfm_segment_of(r, f, m);
		if (seg >= 0) {
			l->r = (uint8_t)r;
			l->f = (uint8_t)f;
			l->m = (uint8_t)m;
			l->seg = (uint8_t)seg;
		}
	}
	if (s->kinds & SEG_TIER) {
		risk = risk_of(s, i);
		at = s->rsrc == TIER_RISK_RHYTHM && isnan(val(s, RO_REC, i))
		    ? -1
		    : tier_at_risk_bounded(&s->o.tier, s->rsrc, risk,
		          lifecycle_rhythm(val(s, RO_REC, i), val(s, RO_GAP, i),
		              s->typical_gap));
		r = tier_of(&s->o.tier, value_of(s, i), at);
		if (r != TIER_NONE)
			l->tier = (uint8_t)r;
	}
	if (s->kinds & SEG_LIFECYCLE) {
		in.recency = val(s, RO_REC, i);
		in.purchases = val(s, RO_FREQ, i);
		in.gap = val(s, RO_GAP, i);
		in.typical_gap = s->typical_gap;
		in.orders_recent = val(s, RO_O90, i);
		in.orders_before = val(s, RO_O180, i) - in.orders_recent;
		in.spend_trend = val(s, RO_TREND, i);
		r = lifecycle_stage(&s->o.life, &in);
		if (r != LIFECYCLE_NONE)
			l->stage = (uint8_t)r;
	}
	if ((s->kinds & SEG_CLUSTER) && s->cm.k > 0) {
		double *row = scratch + s->nccols;

		for (j = 0; j < s->nccols; j++)
			if (isnan(row[j] = s->sv[s->cslot[j]][i]))
				return;
		l->cluster = (uint8_t)cluster_assign(&s->cm, row, scratch);
	}
}

void
segment_label(struct segment *s)
{
	double *scratch = xcalloc(2 * s->nccols + 1, sizeof(*scratch));
	size_t  i;

	free(s->lab);
	s->lab = xreallocarray(NULL, s->n + 1, sizeof(*s->lab));
	s->no_rfm = s->no_tier = s->no_stage = s->no_cluster = 0;
	for (i = 0; i < s->n; i++) {
		label_row(s, i, &s->lab[i], scratch);
		s->no_rfm += (s->kinds & SEG_RFM) && s->lab[i].seg == NONE;
		s->no_tier += (s->kinds & SEG_TIER) && s->lab[i].tier == NONE;
		s->no_stage +=
		    (s->kinds & SEG_LIFECYCLE) && s->lab[i].stage == NONE;
		s->no_cluster +=
		    (s->kinds & SEG_CLUSTER) && s->lab[i].cluster == NONE;
	}
	free(scratch);
	if (s->kinds & SEG_ANOMALY)
		label_anomalies(s);
}

/* Write an array of n numbers (NaN: null). */
static void
put_numbers(struct jsonw *w, const char *key, const double *v, size_t n)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++)
		jsonw_double(w, v[i]);
	jsonw_arr_end(w);
}

static void
put_number(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_double(w, v);
}

static void
put_string(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	jsonw_str(w, v);
}

static void
save_cluster(const struct segment *s, struct jsonw *w)
{
	size_t i, j, d = s->nccols;

	jsonw_key(w, "cluster");
	jsonw_obj_begin(w);
	jsonw_key(w, "columns");
	jsonw_arr_begin(w);
	for (i = 0; i < d; i++)
		jsonw_str(w, s->ccols[i]);
	jsonw_arr_end(w);
	jsonw_key(w, "log");
	jsonw_bool(w, s->cm.log);
	jsonw_key(w, "standardize");
	jsonw_bool(w, s->cm.scale);
	put_numbers(w, "mean", s->cm.mean, d);
	put_numbers(w, "sd", s->cm.sd, d);
	jsonw_key(w, "k");
	jsonw_int(w, (int64_t)s->cm.k);
	jsonw_key(w, "centroids");
	jsonw_arr_begin(w);
	for (i = 0; i < s->cm.k; i++) {
		jsonw_arr_begin(w);
		for (j = 0; j < d; j++)
			jsonw_double(w, s->cm.centroids[i * d + j]);
		jsonw_arr_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "diagnostics");
	jsonw_obj_begin(w);
	put_number(w, "inertia", s->cinfo.inertia);
	jsonw_key(w, "iterations");
	jsonw_int(w, s->cinfo.iterations);
	if (s->cinfo.ntried > 0) {
		jsonw_key(w, "silhouette");
		jsonw_obj_begin(w);
		for (i = 0; i < s->cinfo.ntried; i++) {
			char k[24];

			snprintf(k, sizeof(k), "%zu", s->o.cluster.kmin + i);
			put_number(w, k, s->cinfo.sil[i]);
		}
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

int
segment_save_model(struct segment *s, const char *path, struct ci_err *e)
{
	struct buf   b = { 0 };
	struct jsonw w;
	size_t       i;
	int          rc;

	if (s->n == 0)
		return ci_err_set(
		    e, CI_EXIT_DATA, NULL, 0, "no rows to fit a model on");
	jsonw_init(&w, &b, 2);
	model_begin(&w, TOOL, MODEL_KIND, MODEL_VERSION, &s->dg);
	jsonw_key(&w, "options");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "segments");
	jsonw_arr_begin(&w);
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (s->kinds & 1u << i)
			jsonw_str(&w, kind_names[i]);
	jsonw_arr_end(&w);
	if (s->kinds & SEG_CLUSTER) {
		jsonw_key(&w, "k");
		if (s->o.cluster.k > 0)
			jsonw_int(&w, (int64_t)s->o.cluster.k);
		else
			jsonw_str(&w, "auto");
		jsonw_key(&w, "restarts");
		jsonw_int(&w, s->o.cluster.restarts);
		jsonw_key(&w, "seed");
		jsonw_int(&w, (int64_t)s->o.cluster.seed);
	}
	jsonw_obj_end(&w);
	jsonw_key(&w, "columns");
	jsonw_obj_begin(&w);
	put_string(&w, "recency", s->rfm_col[0]);
	put_string(&w, "frequency", s->rfm_col[1]);
	put_string(&w, "monetary", s->rfm_col[2]);
	jsonw_obj_end(&w);
	if (s->kinds & SEG_RFM) {
		jsonw_key(&w, "rfm");
		jsonw_obj_begin(&w);
		put_numbers(&w, "recency_cuts", s->cuts.r, RFM_CUTS);
		put_numbers(&w, "frequency_cuts", s->cuts.f, RFM_CUTS);
		put_numbers(&w, "monetary_cuts", s->cuts.m, RFM_CUTS);
		jsonw_obj_end(&w);
	}
	if (s->kinds & SEG_TIER) {
		jsonw_key(&w, "tier");
		jsonw_obj_begin(&w);
		put_string(&w, "value_from", tier_value_src_name(s->vsrc));
		put_string(&w, "risk_from", tier_risk_src_name(s->rsrc));
		put_number(&w, "high", s->o.tier.high);
		put_number(&w, "potential", s->o.tier.potential);
		put_number(&w, "risk_score", s->o.tier.risk_score);
		put_number(&w, "risk_alive", s->o.tier.risk_alive);
		put_number(&w, "overdue", s->o.tier.overdue);
		put_number(&w, "lost_after", s->o.tier.lost_after);
		if (s->vsrc == TIER_VALUE_CLV)
			put_numbers(&w, "clv_percentiles", s->pct_a, TIER_PCTS);
		if (s->vsrc == TIER_VALUE_FM) {
			put_numbers(
			    &w, "frequency_percentiles", s->pct_a, TIER_PCTS);
			put_numbers(
			    &w, "monetary_percentiles", s->pct_b, TIER_PCTS);
		}
		jsonw_obj_end(&w);
	}
	if (s->kinds & SEG_LIFECYCLE) {
		jsonw_key(&w, "lifecycle");
		jsonw_obj_begin(&w);
		put_number(&w, "overdue", s->o.life.overdue);
		put_number(&w, "lost_after", s->o.life.lost_after);
		put_number(&w, "growth", s->o.life.growth);
		put_number(&w, "falling", s->o.life.falling);
		jsonw_obj_end(&w);
	}
	if (s->slot[RO_GAP] >= 0)
		put_number(&w, "typical_gap_days", s->typical_gap);
	if (s->kinds & SEG_CLUSTER)
		save_cluster(s, &w);
	if (s->kinds & SEG_ANOMALY) {
		jsonw_key(&w, "anomaly_columns");
		jsonw_arr_begin(&w);
		for (i = 0; i < s->nacols; i++)
			jsonw_str(&w, s->acols[i]);
		jsonw_arr_end(&w);
		jsonw_key(&w, "anomaly");
		anomaly_save(&s->am, &w);
	}
	jsonw_obj_end(&w);
	rc = model_save(path, &b, e);
	buf_release(&b);
	return rc;
}

/* An array of n numbers at path, null meaning NaN. */
static int
get_numbers(const struct model *m, const json_t *a, const char *path, double *v,
    size_t n, struct ci_err *e)
{
	const json_t *x;
	size_t        i;

	if (a == NULL && (a = model_get(m, path, e)) == NULL)
		return -1;
	if (!json_is_array(a) || json_array_size(a) != n)
		return model_broken(m, path, "an array of the right length", e);
	for (i = 0; i < n; i++) {
		x = json_array_get(a, i);
		if (json_is_number(x))
			v[i] = json_number_value(x);
		else if (json_is_null(x))
			v[i] = NAN;
		else
			return model_broken(m, path, "an array of numbers", e);
	}
	return 0;
}

/*
 * Cut points at path: n numbers, none below the one before it, or all
 * null (a column without values).  Reversed cut points would put every
 * customer between them in no part, or in two: refused.
 */
static int
get_cuts(const struct model *m, const char *path, double *v, size_t n,
    struct ci_err *e)
{
	size_t i, nan = 0;

	if (get_numbers(m, NULL, path, v, n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		nan += isnan(v[i]);
		if (i > 0 && v[i] < v[i - 1])
			return model_broken(
			    m, path, "increasing cut points", e);
	}
	if (nan != 0 && nan != n)
		return model_broken(m, path, "increasing cut points", e);
	return 0;
}

static int
get_number(const struct model *m, const char *path, double *v, bool null_ok,
    struct ci_err *e)
{
	const json_t *x = model_get(m, path, e);

	if (x == NULL)
		return -1;
	if (json_is_number(x))
		*v = json_number_value(x);
	else if (null_ok && json_is_null(x))
		*v = NAN;
	else
		return model_broken(m, path, "a number", e);
	return 0;
}

static int
get_string(const struct model *m, const char *path, char **v, struct ci_err *e)
{
	const char *s = model_string(m, path, e);

	if (s == NULL)
		return -1;
	*v = xstrdup(s);
	return 0;
}

static int
load_kinds(struct segment *s, const struct model *m, struct ci_err *e)
{
	const json_t *a = model_get(m, "options.segments", e), *x;
	size_t        i;
	int           b;

	if (a == NULL)
		return -1;
	if (!json_is_array(a))
		return model_broken(
		    m, "options.segments", "a list of kinds", e);
	for (i = 0; i < json_array_size(a); i++) {
		x = json_array_get(a, i);
		if (!json_is_string(x) ||
		    (b = kind_bit(json_string_value(x),
		         strlen(json_string_value(x)))) < 0)
			return model_broken(
			    m, "options.segments", "a list of kinds", e);
		s->kinds |= (unsigned)b;
	}
	return 0;
}

static int
load_tier(struct segment *s, const struct model *m, struct ci_err *e)
{
	const char *v;

	if ((v = model_string(m, "tier.value_from", e)) == NULL)
		return -1;
	if (tier_value_src_parse(v, &s->vsrc) < 0)
		return model_broken(m, "tier.value_from", "a known source", e);
	if ((v = model_string(m, "tier.risk_from", e)) == NULL)
		return -1;
	if (tier_risk_src_parse(v, &s->rsrc) < 0)
		return model_broken(m, "tier.risk_from", "a known source", e);
	if (get_number(m, "tier.high", &s->o.tier.high, false, e) < 0 ||
	    get_number(m, "tier.potential", &s->o.tier.potential, false, e) <
	        0 ||
	    get_number(m, "tier.risk_score", &s->o.tier.risk_score, false, e) <
	        0 ||
	    get_number(m, "tier.risk_alive", &s->o.tier.risk_alive, false, e) <
	        0 ||
	    get_number(m, "tier.overdue", &s->o.tier.overdue, false, e) < 0)
		return -1;
	/* Models from before the lost bound had none: the default. */
	s->o.tier.lost_after = 4;
	if (json_is_number(model_get(m, "tier.lost_after", NULL)) &&
	    get_number(m, "tier.lost_after", &s->o.tier.lost_after, false, e) <
	        0)
		return -1;
	if (s->vsrc == TIER_VALUE_CLV)
		return get_cuts(
		    m, "tier.clv_percentiles", s->pct_a, TIER_PCTS, e);
	if (s->vsrc == TIER_VALUE_FM)
		return get_cuts(m, "tier.frequency_percentiles", s->pct_a,
		           TIER_PCTS, e) < 0 ||
		        get_cuts(m, "tier.monetary_percentiles", s->pct_b,
		            TIER_PCTS, e) < 0
		    ? -1
		    : 0;
	return 0;
}

static int
load_cluster(struct segment *s, const struct model *m, struct ci_err *e)
{
	const json_t *a, *x;
	double        k = 0;
	size_t        i, d;
	char          path[64];

	if ((a = model_get(m, "cluster.columns", e)) == NULL)
		return -1;
	if (!json_is_array(a) || (d = json_array_size(a)) == 0)
		return model_broken(
		    m, "cluster.columns", "a list of columns", e);
	s->ccols = xcalloc(d, sizeof(*s->ccols));
	for (i = 0; i < d; i++) {
		x = json_array_get(a, i);
		if (!json_is_string(x))
			return model_broken(
			    m, "cluster.columns", "a list of columns", e);
		s->ccols[s->nccols++] = xstrdup(json_string_value(x));
	}
	s->cm.d = d;
	x = model_get(m, "cluster.log", e);
	if (x == NULL || !json_is_boolean(x))
		return x == NULL
		    ? -1
		    : model_broken(m, "cluster.log", "true or false", e);
	s->cm.log = json_is_true(x);
	x = model_get(m, "cluster.standardize", e);
	if (x == NULL || !json_is_boolean(x))
		return x == NULL ? -1
		                 : model_broken(m, "cluster.standardize",
		                       "true or false", e);
	s->cm.scale = json_is_true(x);
	s->cm.mean = xcalloc(d, sizeof(double));
	s->cm.sd = xcalloc(d, sizeof(double));
	if (model_numbers(m, "cluster.mean", s->cm.mean, d, e) < 0 ||
	    model_numbers(m, "cluster.sd", s->cm.sd, d, e) < 0 ||
	    model_number(m, "cluster.k", &k, e) < 0)
		return -1;
	for (i = 0; i < d; i++)
		if (!(s->cm.sd[i] > 0))
			return model_broken(
			    m, "cluster.sd", "positive numbers", e);
	if (!(k >= 1 && k <= 255) || k != floor(k))
		return model_broken(m, "cluster.k", "a number of clusters", e);
	s->cm.k = (size_t)k;
	s->cm.centroids = xcalloc(s->cm.k * d, sizeof(double));
	if ((a = model_get(m, "cluster.centroids", e)) == NULL)
		return -1;
	if (!json_is_array(a) || json_array_size(a) != s->cm.k)
		return model_broken(m, "cluster.centroids", "k centroids", e);
	for (i = 0; i < s->cm.k; i++) {
		snprintf(path, sizeof(path), "cluster.centroids[%zu]", i);
		if (get_numbers(m, json_array_get(a, i), path,
		        s->cm.centroids + i * d, d, e) < 0)
			return -1;
		for (size_t j = 0; j < d; j++)
			if (!isfinite(s->cm.centroids[i * d + j]))
				return model_broken(
				    m, path, "finite numbers", e);
	}
	return 0;
}

static int
load_anomaly(struct segment *s, const struct model *m, struct ci_err *e)
{
	const json_t *a = model_get(m, "anomaly_columns", e), *x;
	size_t        i, d;

	if (a == NULL)
		return -1;
	if (!json_is_array(a) || (d = json_array_size(a)) == 0 || d > 1000)
		return model_broken(
		    m, "anomaly_columns", "a list of columns", e);
	s->acols = xreallocarray(s->acols, d, sizeof(*s->acols));
	for (i = 0; i < d; i++) {
		x = json_array_get(a, i);
		if (!json_is_string(x))
			return model_broken(
			    m, "anomaly_columns", "a list of columns", e);
		s->acols[s->nacols++] = xstrdup(json_string_value(x));
	}
	return anomaly_load(&s->am, m, "anomaly", d, e);
}

static int
load_model(struct segment *s, const struct model *m, struct ci_err *e)
{
	if (strcmp(m->kind, MODEL_KIND) != 0)
		return ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "a model of kind '%s', not '%s'", m->kind, MODEL_KIND);
	if (load_kinds(s, m, e) < 0 ||
	    get_string(m, "columns.recency", &s->rfm_col[0], e) < 0 ||
	    get_string(m, "columns.frequency", &s->rfm_col[1], e) < 0 ||
	    get_string(m, "columns.monetary", &s->rfm_col[2], e) < 0)
		return -1;
	if ((s->kinds & SEG_RFM) &&
	    (get_cuts(m, "rfm.recency_cuts", s->cuts.r, RFM_CUTS, e) < 0 ||
	        get_cuts(m, "rfm.frequency_cuts", s->cuts.f, RFM_CUTS, e) < 0 ||
	        get_cuts(m, "rfm.monetary_cuts", s->cuts.m, RFM_CUTS, e) < 0))
		return -1;
	if ((s->kinds & SEG_TIER) && load_tier(s, m, e) < 0)
		return -1;
	if ((s->kinds & SEG_LIFECYCLE) &&
	    (get_number(m, "lifecycle.overdue", &s->o.life.overdue, false, e) <
	            0 ||
	        get_number(m, "lifecycle.lost_after", &s->o.life.lost_after,
	            false, e) < 0 ||
	        get_number(m, "lifecycle.growth", &s->o.life.growth, false, e) <
	            0 ||
	        get_number(
	            m, "lifecycle.falling", &s->o.life.falling, false, e) < 0))
		return -1;
	/*
	 * Tiers take the typical gap for their lost bound; a model from
	 * before it, with tiers by p_alive or churn_risk and no stages,
	 * lacks it, and the bound then holds only for repeat buyers.
	 */
	if (((s->kinds & SEG_LIFECYCLE) ||
	        ((s->kinds & SEG_TIER) &&
	            (s->rsrc == TIER_RISK_RHYTHM ||
	                model_get(m, "typical_gap_days", NULL) != NULL))) &&
	    get_number(m, "typical_gap_days", &s->typical_gap, true, e) < 0)
		return -1;
	if ((s->kinds & SEG_CLUSTER) && load_cluster(s, m, e) < 0)
		return -1;
	if ((s->kinds & SEG_ANOMALY) && load_anomaly(s, m, e) < 0)
		return -1;
	return 0;
}

struct segment *
segment_new_model(const char *path, struct ci_err *e)
{
	struct segment *s = alloc_segment();
	struct model    m;

	s->from_model = true;
	if (model_load(&m, path, TOOL, MODEL_VERSION, e) < 0) {
		segment_free(s);
		return NULL;
	}
	if (load_model(s, &m, e) < 0) {
		model_free(&m);
		segment_free(s);
		return NULL;
	}
	model_free(&m);
	return s;
}

int
segment_write_profiles(
    const struct segment *s, const char *path, int ndigits, struct ci_err *e)
{
	struct recout *w;
	const char   **cols;
	double        *sum;
	size_t        *size, i, j, c, d = s->nccols, k = s->cm.k, total = 0;

	cols = xcalloc(d + 3, sizeof(*cols));
	cols[0] = "cluster";
	cols[1] = "size";
	cols[2] = "share";
	for (j = 0; j < d; j++)
		cols[3 + j] = s->ccols[j];
	w = recout_open(path, REC_FMT_CSV, cols, d + 3, e);
	if (w != NULL)
		recout_set_digits(w, ndigits);
	free(cols);
	if (w == NULL)
		return -1;
	sum = xcalloc(k * d + 1, sizeof(*sum));
	size = xcalloc(k + 1, sizeof(*size));
	for (i = 0; i < s->n; i++) {
		if ((c = s->lab[i].cluster) == NONE)
			continue;
		size[c]++;
		total++;
		for (j = 0; j < d; j++)
			sum[c * d + j] += s->sv[s->cslot[j]][i];
	}
	for (c = 0; c < k; c++) {
		recout_int(w, (int64_t)c + 1);
		recout_int(w, (int64_t)size[c]);
		recout_double(
		    w, total > 0 ? (double)size[c] / (double)total : NAN);
		for (j = 0; j < d; j++)
			recout_double(w,
			    size[c] > 0 ? sum[c * d + j] / (double)size[c]
			                : NAN);
		if (recout_end(w, e) < 0)
			break;
	}
	free(sum);
	free(size);
	if (c < k) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

/* A small number as text, for the score and cluster columns. */
static const char *const digits[] = { "0", "1", "2", "3", "4", "5" };

/* Set the anomaly columns of row i in v (score in num, reason in b). */
static void
put_anomaly(const struct segment *s, size_t i, const char **v,
    unsigned char *kind, char *num, struct buf *b)
{
	double *row = xcalloc(s->nacols + 1, sizeof(*row));
	bool    flag = s->ascore[i] >= s->am.cut;
	size_t  j, nseg = 0;

	numfmt_double(num, s->ascore[i]);
	v[s->pos[AD_ASCORE]] = num;
	v[s->pos[AD_AFLAG]] = flag ? "1" : "0";
	kind[AD_ASCORE] = kind[AD_AFLAG] = REC_JSON;
	buf_reset(b);
	if (flag) {
		/* The values as written, not as the forest read them, so
		 * that the reason says what the row says. */
		for (j = 0; j < s->nacols; j++) {
			const char *t = v[s->scol[s->aslot[j]]];

			if (*t == '\0' || !numfmt_parse(t, strlen(t), &row[j]))
				row[j] = NAN;
		}
		if (s->kinds & SEG_RFM)
			rfm_segments(&nseg);
		anomaly_reason(&s->am, row,
		    s->lab[i].seg != NONE ? s->lab[i].seg : nseg,
		    (const char *const *)s->acols, b);
	}
	v[s->pos[AD_AREASON]] = buf_str(b);
	kind[AD_AREASON] = b->len > 0 ? REC_STR : REC_NULL;
	free(row);
}

int
segment_write(
    const struct segment *s, enum rec_fmt fmt, int ndigits, struct ci_err *e)
{
	const struct label       *l;
	struct recout            *w;
	const char              **v;
	size_t                   *len, i, j, nseg, pos = 0, blen = 0;
	const struct rfm_segment *segs = rfm_segments(&nseg);
	char                      rfm[4], cl[NUMFMT_MAX], acol[NUMFMT_MAX];
	const char               *p, *at = NULL, *end = NULL, *kinds = NULL;
	unsigned char             kind[AD_N];
	int                       rc = 0, a;
	struct buf                reason = { 0 }, rd = { 0 };

	if (!s->bound)
		return 0;
	w = recout_open(NULL, fmt, (const char *const *)s->out, s->nout, e);
	if (w != NULL)
		recout_set_digits(w, ndigits);
	if (w == NULL)
		return -1;
	v = xcalloc(s->nout, sizeof(*v));
	len = xcalloc(s->nout, sizeof(*len));
	for (i = 0; i < s->n && rc == 0; i++) {
		l = &s->lab[i];
		if (at == end) { /* the next block of rows, in order */
			rc = spill_next(s->rows, 0, &pos, &at, &blen, &rd, e);
			if (rc <= 0) {
				rc = rc < 0
				    ? -1
				    : ci_err_set(e, CI_EXIT_IO,
				          "temporary file", 0, "rows missing");
				break;
			}
			rc = 0;
			end = at + blen;
		}
		if (s->kinds_kept) {
			kinds = at;
			at += s->ncols;
		}
		for (j = 0; j < s->ncols; j++) {
			v[j] = at;
			len[j] = strlen(at);
			at += len[j] + 1;
		}
		memset(kind, REC_NULL, sizeof(kind));
		if (l->seg != NONE) {
			v[s->pos[AD_R]] = digits[l->r];
			v[s->pos[AD_F]] = digits[l->f];
			v[s->pos[AD_M]] = digits[l->m];
			rfm[0] = (char)('0' + l->r);
			rfm[1] = (char)('0' + l->f);
			rfm[2] = (char)('0' + l->m);
			rfm[3] = '\0';
			v[s->pos[AD_RFM]] = rfm;
			v[s->pos[AD_SEG]] = segs[l->seg].name;
			kind[AD_R] = kind[AD_F] = kind[AD_M] = REC_JSON;
			kind[AD_RFM] = kind[AD_SEG] = REC_STR;
		} else if (s->kinds & SEG_RFM) {
			for (a = AD_R; a <= AD_SEG; a++)
				v[s->pos[a]] = "";
		}
		if (s->pos[AD_TIER] >= 0) {
			p = l->tier != NONE ? tier_name(l->tier) : NULL;
			v[s->pos[AD_TIER]] = p ? p : "";
			kind[AD_TIER] = p ? REC_STR : REC_NULL;
		}
		if (s->pos[AD_STAGE] >= 0) {
			p = l->stage != NONE ? lifecycle_name(l->stage) : NULL;
			v[s->pos[AD_STAGE]] = p ? p : "";
			kind[AD_STAGE] = p ? REC_STR : REC_NULL;
		}
		if (s->pos[AD_CLUSTER] >= 0) {
			cl[0] = '\0';
			if (l->cluster != NONE)
				numfmt_int(cl, (int64_t)l->cluster + 1);
			v[s->pos[AD_CLUSTER]] = cl;
			kind[AD_CLUSTER] =
			    l->cluster != NONE ? REC_JSON : REC_NULL;
		}
		if (s->kinds & SEG_ANOMALY)
			put_anomaly(s, i, v, kind, acol, &reason);
		if (s->rules != NULL) {
			v[s->pos[AD_RULES]] = "";
			v[s->pos[AD_RULES]] =
			    segrules_eval(s->rules, (const char *const *)v);
			kind[AD_RULES] =
			    *v[s->pos[AD_RULES]] ? REC_STR : REC_NULL;
		}
		for (j = 0; j < s->nout; j++) {
			a = s->outadd[j];
			if (a < 0) {
				recout_field(w, v[j], len[j],
				    kinds != NULL ? (enum rec_kind)kinds[j]
				                  : REC_STR);
				continue;
			}
			recout_field(
			    w, v[j], strlen(v[j]), (enum rec_kind)kind[a]);
		}
		rc = recout_end(w, e);
	}
	free(v);
	free(len);
	buf_release(&reason);
	buf_release(&rd);
	if (rc < 0) {
		recout_close(w, NULL);
		return -1;
	}
	return recout_close(w, e);
}

void
segment_stats(const struct segment *s, struct segment_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->rows = s->n;
	st->no_rfm = s->no_rfm;
	st->no_tier = s->no_tier;
	st->no_stage = s->no_stage;
	st->no_cluster = s->no_cluster;
	if ((s->kinds & SEG_TIER) && s->bound) {
		st->value_from = tier_value_src_name(s->vsrc);
		st->risk_from = tier_risk_src_name(s->rsrc);
	}
	st->k = s->cm.k;
	st->cinfo = s->cfitted ? &s->cinfo : NULL;
	st->kmin = s->o.cluster.kmin;
}

unsigned
segment_kinds(const struct segment *s)
{
	return s->kinds;
}

const char *
segment_column(const struct segment *s, int which)
{
	return s->rfm_col[which];
}

const char *const *
segment_cluster_columns(const struct segment *s, size_t *n)
{
	*n = s->nccols;
	return (const char *const *)s->ccols;
}

void
segment_free(struct segment *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < 3; i++)
		free(s->rfm_col[i]);
	for (i = 0; i < s->nccols; i++)
		free(s->ccols[i]);
	free(s->ccols);
	for (i = 0; i < s->ncols; i++)
		free(s->cols[i]);
	free(s->cols);
	free(s->cslot);
	free(s->scol);
	for (i = 0; i < s->nstored; i++)
		free(s->sv[i]);
	free(s->sv);
	free(s->parsed);
	free(s->out);
	free(s->repl);
	free(s->outadd);
	spill_free(s->rows);
	cluster_model_release(&s->cm);
	for (i = 0; i < s->nacols; i++)
		free(s->acols[i]);
	free(s->acols);
	free(s->aslot);
	for (i = 0; s->af != NULL && i < s->nacols; i++)
		free(s->af[i]);
	free(s->af);
	free(s->ascore);
	anomaly_release(&s->am);
	free(s->lab);
	free(s);
}

/* Reading rows: the rules, and whether the first input with columns,
 * whose columns every later input must have, is bound. */
struct reading {
	struct segment  *s;
	struct segrules *rules;
	enum rec_fmt    *fmt;
	bool             bound;
};

static int
read_open(void *ctx, struct recin *r, size_t i, struct ci_err *e)
{
	struct reading *g = ctx;

	(void)i; /* the contract's: every input is bound alike */
	if (g->bound)
		return segment_check_columns(g->s, r, e);
	if (recin_ncols(r) == 0)
		return 0;
	*g->fmt = recin_format(r);
	g->bound = true;
	return segment_bind(g->s, r, g->rules, e);
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading *g = ctx;

	if (segment_add(g->s, rec, file, e) == 0)
		return REC_ROW;
	/* A bad number rejects the row; a temporary file that cannot be
	 * written stops the reading. */
	return e->code == CI_EXIT_IO ? REC_FAIL : REC_BAD;
}

int
segment_read(struct segment *s, const struct parread_files *in,
    struct segrules *rules, struct rejects *rj, uint64_t *rows,
    enum rec_fmt *fmt, struct ci_err *e)
{
	struct reading              g = { s, rules, fmt, false };
	const struct parread_reader rd = {
		.open = read_open, .row = read_row, .ctx = &g
	};

	return parread_files(in, &rd, rj, rows, e);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "row" : "rows";
}

void
segment_summary(const struct segment *s, uint64_t rejected, struct buf *out)
{
	struct segment_stats st;
	const char *const   *cc;
	char                 num[NUMFMT_MAX];
	size_t               i, n;

	segment_stats(s, &st);
	buf_addf(out, "%zu %s, %llu rejected", st.rows, plural(st.rows),
	    (unsigned long long)rejected);
	if (st.value_from != NULL)
		buf_addf(out, "; tiers by %s and %s", st.value_from,
		    st.risk_from != NULL ? st.risk_from : "");
	buf_addc(out, '\n');
	if (st.k > 0) {
		cc = segment_cluster_columns(s, &n);
		buf_addf(out, "%zu clusters on ", st.k);
		for (i = 0; i < n; i++)
			buf_addf(out, "%s%s", i > 0 ? ", " : "", cc[i]);
		buf_addc(out, '\n');
	}
	if (st.cinfo != NULL && st.cinfo->ntried > 0) {
		buf_addf(out, "--k auto: k = %zu by silhouette (", st.k);
		for (i = 0; i < st.cinfo->ntried; i++) {
			numfmt_fixed(num, st.cinfo->sil[i], 4);
			buf_addf(out, "%s%zu: %s", i > 0 ? ", " : "",
			    st.kmin + i, num);
		}
		buf_addstr(out, ")\n");
	}
	if (st.no_rfm > 0)
		buf_addf(out,
		    "%zu %s without an RFM score: '%s', '%s' or '%s' is "
		    "empty\n",
		    st.no_rfm, plural(st.no_rfm), segment_column(s, 0),
		    segment_column(s, 1), segment_column(s, 2));
	if (st.no_tier > 0)
		buf_addf(out, "%zu %s without a value tier\n", st.no_tier,
		    plural(st.no_tier));
	if (st.no_stage > 0)
		buf_addf(out, "%zu %s without a lifecycle stage\n", st.no_stage,
		    plural(st.no_stage));
	if (st.no_cluster > 0)
		buf_addf(out,
		    "%zu %s without a cluster: a clustering column is "
		    "empty\n",
		    st.no_cluster, plural(st.no_cluster));
	if (s->kinds & SEG_ANOMALY) {
		numfmt_double(num, s->am.cut);
		buf_addf(out,
		    "%zu %s flagged as anomalous (anomaly_score >= %s) on ",
		    s->flagged, plural(s->flagged), num);
		for (i = 0; i < s->nacols; i++)
			buf_addf(out, "%s%s", i > 0 ? ", " : "", s->acols[i]);
		buf_addc(out, '\n');
	}
}
