/*
 * churnpred: scoring and evaluation.  Rows are read in batches of
 * CHURN_BATCH: each row's fields are copied and its features encoded;
 * a full batch is scored at once, its rows shared among --threads
 * threads (the margin, the contributions and the reasons of each row),
 * then written, matched against the playbook and logged in input order.
 * A row's result depends on that row and the model only, not on the
 * number of threads.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "binmetric.h"
#include "churn.h"
#include "civil.h"
#include "evtab.h"
#include "jsonw.h"
#include "numfmt.h"
#include "parread.h"
#include "playbook.h"
#include "recout.h"
#include "score.h"
#include "timeparse.h"
#include "xalloc.h"

/* The rows of a batch, copied, and what scoring found for each. */
struct batch {
	size_t         n, ncols;
	struct buf     text; /* every field, NUL-terminated */
	size_t        *off;  /* n x ncols offsets into text */
	unsigned char *kind; /* n x ncols */
	float         *X;    /* n x d */
	float         *y;    /* eval: labels */
	double        *pa;   /* --from-p-alive: the probability */
	unsigned long *line;
	double        *margin; /* the model's margin */
	double        *colc;   /* n x columns: contributions */
	size_t        *top;    /* n x CHURN_NREASONS: columns */
	uint8_t       *ntop;   /* reasons */
};

/*
 * A part of a batch, scored and written (into memory) by a thread of its
 * own; the parts are then written out in order.
 */
struct part {
	struct pctx   *c;
	struct batch  *b;
	size_t         r0, r1;
	struct recout *mem;   /* the rows written */
	size_t        *ends;  /* where each row ends in mem */
	struct buf     audit; /* the rows' decision log lines */
	struct buf     reasons[CHURN_NREASONS];
	const char   **f; /* the output fields of a row */
	double         pmin, pmax;
	uint64_t       scored;
};

/* The scoring of a batch, on threads while the next batch is read. */
struct job {
	struct batch *b;
	struct part  *part;
	pthread_t    *th;
	bool         *up; /* th[k] is running */
	size_t        nparts;
};

struct pctx {
	struct churn_model              *m;
	const struct churn_predict_opts *o;
	struct batch                     bb[2]; /* being read, being scored */
	struct job                       job[2];
	int                              cur; /* the batch being read */
	size_t                           d;
	size_t                           nthreads;
	/* output */
	struct recout  *w;
	int             digits;
	const char    **outcols;
	int            *src; /* input column, or -1 - added */
	size_t          nout;
	struct playbook pb;
	bool            has_pb;
	struct audit    au;
	bool            has_audit;
	char            now[CIVIL_ISO_MAX];
	int             idcol, pacol, labelcol;
	const char     *pos, *neg;
	uint64_t       *unseen;
	/* results */
	double   pmin, pmax;
	uint64_t scored;
	bool     eval;
	double  *ep;
	float   *ey;
	size_t   en, ecap;
	double  *imp; /* per column: sum |contrib| */
};

static const char *
field(const struct batch *b, size_t r, size_t c, size_t *len)
{
	size_t      i = r * b->ncols + c;
	const char *s = b->text.data + b->off[i];

	if (len != NULL)
		*len = b->off[i + 1] - b->off[i] - 1;
	return s;
}

static void
batch_init(struct batch *b, size_t ncols, size_t d, size_t nenc)
{
	memset(b, 0, sizeof(*b));
	b->ncols = ncols;
	b->margin = xcalloc(CHURN_BATCH, sizeof(*b->margin));
	b->colc = xcalloc(CHURN_BATCH * (nenc + 1), sizeof(*b->colc));
	b->top = xcalloc(CHURN_BATCH * CHURN_NREASONS, sizeof(*b->top));
	b->ntop = xcalloc(CHURN_BATCH, sizeof(*b->ntop));
	b->off = xreallocarray(NULL, CHURN_BATCH * ncols + 1, sizeof(*b->off));
	b->kind = xcalloc(CHURN_BATCH * ncols + 1, 1);
	b->X = xreallocarray(NULL, CHURN_BATCH * (d ? d : 1), sizeof(*b->X));
	b->y = xcalloc(CHURN_BATCH, sizeof(*b->y));
	b->pa = xcalloc(CHURN_BATCH, sizeof(*b->pa));
	b->line = xcalloc(CHURN_BATCH, sizeof(*b->line));
}

static void
batch_release(struct batch *b)
{
	buf_release(&b->text);
	free(b->off);
	free(b->kind);
	free(b->X);
	free(b->y);
	free(b->pa);
	free(b->line);
	free(b->margin);
	free(b->colc);
	free(b->top);
	free(b->ntop);
}

/* The reasons of row r: the columns whose contributions raise its risk
 * most, highest first (ties: the earlier column). */
static size_t
top_reasons(const struct pctx *c, const double *colc, size_t *top)
{
	const struct colenc *enc = &c->m->enc;
	size_t               k = 0, i, j;

	for (i = 0; i < enc->n; i++) {
		if (enc->col[i].nfeat == 0 || !(colc[i] >= 0.005))
			continue;
		for (j = k; j > 0 && colc[top[j - 1]] < colc[i]; j--)
			if (j < CHURN_NREASONS)
				top[j] = top[j - 1];
		if (j < CHURN_NREASONS) {
			top[j] = i;
			if (k < CHURN_NREASONS)
				k++;
		}
	}
	return k;
}

static void
reason_text(const struct pctx *c, const struct batch *b, size_t r, size_t col,
    double v, struct buf *out)
{
	const struct colenc_col *cc = &c->m->enc.col[col];
	size_t                   len;
	const char              *s = field(b, r, (size_t)cc->in, &len);
	char                     num[NUMFMT_MAX];

	buf_addstr(out, cc->name);
	buf_addc(out, '=');
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || rec_is_null(b->kind[r * b->ncols + (size_t)cc->in]))
		buf_addstr(out, "missing");
	else {
		double x;

		/* Numbers to two decimals at most, for people. */
		if (cc->type == COLENC_NUMERIC && numfmt_parse(s, len, &x)) {
			numfmt_fixed(num, x, 2);
			buf_addstr(out, num);
		} else
			buf_add(out, s, len);
		if (cc->unit != NULL) {
			buf_addc(out, ' ');
			buf_addstr(out, cc->unit);
		}
	}
	numfmt_fixed(num, v, 2);
	buf_addf(out, " (+%s)", num);
}

static size_t
fmt_p(char *dst, double p, int digits)
{
	return digits > 0 ? numfmt_double_digits(dst, p, digits)
	                  : numfmt_double(dst, p);
}

static int
band_of(const double *cuts, int risk)
{
	int i;

	for (i = 0; i < 3 && risk >= cuts[i]; i++)
		;
	return i;
}

/* One audit line for row r. */
static void
audit_line(const struct pctx *c, const struct batch *b, size_t r, double p,
    int risk, const char *band, struct buf *reasons, size_t nr,
    const char *action, struct buf *out)
{
	struct jsonw         j;
	const struct colenc *enc = &c->m->enc;
	size_t               i, len;

	jsonw_init(&j, out, 0);
	jsonw_obj_begin(&j);
	jsonw_key(&j, "time");
	jsonw_str(&j, c->now);
	jsonw_key(&j, "model");
	jsonw_str(&j, c->m->from_p_alive ? "from-p-alive" : c->m->digest);
	jsonw_key(&j, "line");
	jsonw_int(&j, (int64_t)b->line[r]);
	jsonw_key(&j, "customer_id");
	if (c->idcol >= 0) {
		const char *s = field(b, r, (size_t)c->idcol, &len);

		jsonw_strn(&j, s, len);
	} else
		jsonw_null(&j);
	jsonw_key(&j, "inputs");
	jsonw_obj_begin(&j);
	for (i = 0; i < enc->n && !c->m->from_p_alive; i++) {
		const char *s;

		if (enc->col[i].in < 0)
			continue;
		s = field(b, r, (size_t)enc->col[i].in, &len);
		jsonw_key(&j, enc->col[i].name);
		if (len == 0)
			jsonw_null(&j);
		else
			jsonw_strn(&j, s, len);
	}
	if (c->m->from_p_alive) {
		const char *s = field(b, r, (size_t)c->pacol, &len);

		jsonw_key(&j, c->o->p_alive);
		jsonw_strn(&j, s, len);
	}
	jsonw_obj_end(&j);
	jsonw_key(&j, "churn_probability");
	jsonw_double(&j, p);
	jsonw_key(&j, "churn_risk");
	if (isnan(p))
		jsonw_null(&j);
	else
		jsonw_int(&j, risk);
	jsonw_key(&j, "risk_band");
	jsonw_str(&j, band);
	jsonw_key(&j, "reasons");
	jsonw_arr_begin(&j);
	for (i = 0; i < nr; i++)
		jsonw_str(&j, buf_str(&reasons[i]));
	jsonw_arr_end(&j);
	if (c->has_pb) {
		jsonw_key(&j, "action");
		jsonw_str(&j, action);
	}
	jsonw_obj_end(&j);
	buf_addc(out, '\n');
}

/* The rows r0 to r1 of batch b: margins, contributions, reasons. */
static void
score_rows(const struct pctx *c, struct batch *b, size_t r0, size_t r1)
{
	const struct churn_model *m = c->m;
	const struct colenc      *enc = &m->enc;
	size_t                    d = c->d, r, i, j, n = r1 - r0;
	double *cd = xreallocarray(NULL, d + 1, sizeof(double));
	double *tphi = NULL, *tm = NULL;

	if (m->kind != CHURN_LOGISTIC) {
		tphi = xreallocarray(NULL, n * (d + 1), sizeof(*tphi));
		tm = xreallocarray(NULL, n, sizeof(*tm));
		if (!c->o->approx)
			treeshap_exact(&m->ts, &b->X[r0 * d], n, tphi, tm);
		else
			for (r = 0; r < n; r++)
				treeshap_saabas(&m->ts, &b->X[(r0 + r) * d],
				    &tphi[r * (d + 1)], &tm[r]);
	}
	for (r = r0; r < r1; r++) {
		const float *x = &b->X[r * d];
		double      *colc = &b->colc[r * enc->n], mg = 0;

		if (m->kind != CHURN_GBT) {
			logreg_contribs(&m->lr, x, cd);
			mg = logreg_margin(&m->lr, x);
		}
		if (m->kind != CHURN_LOGISTIC) {
			const double *tc = &tphi[(r - r0) * (d + 1)];

			/* A blend is the mean of both margins, and so of
			 * both contributions. */
			for (j = 0; j < d; j++)
				cd[j] = m->kind == CHURN_BLEND
				    ? (cd[j] + tc[j]) / 2
				    : tc[j];
			mg = m->kind == CHURN_BLEND ? (mg + tm[r - r0]) / 2
			                            : tm[r - r0];
		}
		b->margin[r] = mg;
		for (i = 0; i < enc->n; i++) {
			colc[i] = 0;
			for (j = 0; j < enc->col[i].nfeat; j++)
				colc[i] += cd[enc->col[i].first + j];
		}
		b->ntop[r] =
		    (uint8_t)top_reasons(c, colc, &b->top[r * CHURN_NREASONS]);
	}
	free(cd);
	free(tphi);
	free(tm);
}

/* The probability of row r of b. */
static double
prob_of(const struct pctx *c, const struct batch *b, size_t r)
{
	return c->m->from_p_alive ? b->pa[r]
	                          : calib_apply(&c->m->cal, b->margin[r]);
}

/* Write row r of the part's batch, scored, to its memory writer. */
static void
emit_row(struct part *pt, size_t r)
{
	const struct pctx   *c = pt->c;
	const struct batch  *b = pt->b;
	const struct colenc *enc = &c->m->enc;
	struct buf          *reasons = pt->reasons;
	const char         **f = pt->f;
	char                 pnum[NUMFMT_MAX], rnum[NUMFMT_MAX];
	const char          *reason_col[CHURN_NREASONS] = { NULL, NULL, NULL };
	const char          *band = "", *action = "";
	size_t               nr = 0, plen = 0, rlen = 0, i, len;
	double               p = prob_of(c, b, r);
	int                  risk = 0;

	for (i = 0; i < CHURN_NREASONS; i++)
		buf_reset(&reasons[i]);
	if (c->m->from_p_alive) {
		if (!isnan(p)) {
			char v[NUMFMT_MAX];

			numfmt_fixed(v, 1 - p, 2);
			buf_addf(&reasons[0], "%s=%s", c->o->p_alive, v);
			nr = 1;
		}
	} else {
		const double *colc = &b->colc[r * enc->n];
		const size_t *top = &b->top[r * CHURN_NREASONS];

		nr = b->ntop[r];
		for (i = 0; i < nr; i++) {
			reason_text(c, b, r, top[i], colc[top[i]], &reasons[i]);
			reason_col[i] = enc->col[top[i]].name;
		}
	}
	if (!isnan(p)) {
		risk = (int)floor(100 * p + 0.5);
		band = churn_band_names[band_of(c->m->cuts, risk)];
		plen = fmt_p(pnum, p, c->digits);
		rlen = numfmt_int(rnum, risk);
		pt->pmin = fmin(pt->pmin, p);
		pt->pmax = fmax(pt->pmax, p);
		pt->scored++;
	}
	for (i = 0; i < c->nout; i++) {
		int s = c->src[i];

		if (s >= 0)
			f[i] = field(b, r, (size_t)s, NULL);
		else if (s == -1)
			f[i] = isnan(p) ? "" : pnum;
		else if (s == -2)
			f[i] = isnan(p) ? "" : rnum;
		else if (s == -3)
			f[i] = band;
		else if (s >= -6)
			f[i] = buf_str(&reasons[-4 - s]);
		else
			f[i] = "";
	}
	if (c->has_pb) {
		action = playbook_eval(&c->pb, f, reason_col, nr);
		for (i = 0; i < c->nout; i++)
			if (c->src[i] == -7)
				f[i] = action;
	}
	for (i = 0; i < c->nout; i++) {
		int s = c->src[i];

		if (s >= 0) {
			const char *v = field(b, r, (size_t)s, &len);

			recout_field(
			    pt->mem, v, len, b->kind[r * b->ncols + (size_t)s]);
		} else if ((s == -1 || s == -2) && !isnan(p))
			recout_number(pt->mem, s == -1 ? pnum : rnum,
			    s == -1 ? plen : rlen);
		else if (f[i][0] == '\0')
			recout_null(pt->mem);
		else
			recout_str(pt->mem, f[i], strlen(f[i]));
	}
	/* A memory writer does not fail. */
	recout_end(pt->mem, NULL);
	recout_mem(pt->mem, &pt->ends[r - pt->r0]);
	if (c->has_audit)
		audit_line(
		    c, b, r, p, risk, band, reasons, nr, action, &pt->audit);
}

static void *
part_run(void *arg)
{
	struct part *pt = arg;
	size_t       r;

	if (!pt->c->m->from_p_alive)
		score_rows(pt->c, pt->b, pt->r0, pt->r1);
	for (r = pt->r0; r < pt->r1 && !pt->c->eval; r++)
		emit_row(pt, r);
	return NULL;
}

static void
job_init(struct pctx *c, struct job *j, struct batch *b)
{
	size_t k;

	j->b = b;
	j->part = xcalloc(c->nthreads, sizeof(*j->part));
	j->th = xcalloc(c->nthreads, sizeof(*j->th));
	j->up = xcalloc(c->nthreads, sizeof(*j->up));
	for (k = 0; k < c->nthreads; k++) {
		struct part *pt = &j->part[k];

		pt->c = c;
		pt->b = b;
		pt->ends = xcalloc(CHURN_BATCH, sizeof(*pt->ends));
		pt->f = xcalloc(c->nout + 1, sizeof(*pt->f));
		if (!c->eval) {
			pt->mem = recout_open_mem(
			    recout_format(c->w), c->outcols, c->nout);
			recout_set_digits(pt->mem, c->digits);
		}
	}
}

/* Wait for the threads of j.  Safe on a job never started. */
static void
job_wait(struct job *j)
{
	size_t k;

	for (k = 0; k < j->nparts; k++)
		if (j->up[k]) {
			pthread_join(j->th[k], NULL);
			j->up[k] = false;
		}
}

static void
job_release(struct pctx *c, struct job *j)
{
	size_t k, i;

	job_wait(j);
	for (k = 0; k < c->nthreads && j->part != NULL; k++) {
		struct part *pt = &j->part[k];

		recout_close(pt->mem, NULL);
		free(pt->ends);
		free(pt->f);
		buf_release(&pt->audit);
		for (i = 0; i < CHURN_NREASONS; i++)
			buf_release(&pt->reasons[i]);
	}
	free(j->part);
	free(j->th);
	free(j->up);
	memset(j, 0, sizeof(*j));
}

/*
 * Score and write the rows of j's batch into memory, in as many even
 * parts as threads (at least 256 rows a part): on threads of their own
 * when there is more than one part, else here (and so is a part whose
 * thread cannot be started).
 */
static void
job_start(struct pctx *c, struct job *j)
{
	size_t n = j->b->n, k, nt = c->nthreads;

	if (nt > (n + 255) / 256)
		nt = (n + 255) / 256;
	if (nt == 0)
		nt = 1;
	j->nparts = nt;
	for (k = 0; k < nt; k++) {
		struct part *pt = &j->part[k];

		pt->r0 = n * k / nt;
		pt->r1 = n * (k + 1) / nt;
		pt->pmin = INFINITY;
		pt->pmax = -INFINITY;
		pt->scored = 0;
		buf_reset(&pt->audit);
		if (pt->mem != NULL)
			recout_mem_clear(pt->mem);
		j->up[k] = nt > 1 &&
		    pthread_create(&j->th[k], NULL, part_run, pt) == 0;
	}
	for (k = 0; k < nt; k++)
		if (!j->up[k])
			part_run(&j->part[k]);
}

/* Wait for j, then write its rows and log lines out in input order. */
static int
job_finish(struct pctx *c, struct job *j, struct ci_err *e)
{
	struct batch        *b = j->b;
	const struct colenc *enc = &c->m->enc;
	struct iovec         v[256];
	size_t               k, r, i;

	job_wait(j);
	for (k = 0; k < j->nparts && !c->eval; k++) {
		struct part *pt = &j->part[k];
		size_t       len, at = 0, nv = 0;
		const char  *mem = recout_mem(pt->mem, &len);

		for (r = pt->r0; r < pt->r1; r++) {
			v[nv].iov_base = (char *)mem + at;
			v[nv].iov_len = pt->ends[r - pt->r0] - at;
			at = pt->ends[r - pt->r0];
			if (++nv == 256 || r + 1 == pt->r1) {
				if (recout_rawv(c->w, v, (int)nv, e) == -1)
					return -1;
				nv = 0;
			}
		}
		if (c->has_audit && pt->audit.len > 0 &&
		    audit_append(&c->au, pt->audit.data, pt->audit.len, e) ==
		        -1)
			return -1;
		c->pmin = fmin(c->pmin, pt->pmin);
		c->pmax = fmax(c->pmax, pt->pmax);
		c->scored += pt->scored;
	}
	for (r = 0; r < b->n && c->eval; r++) {
		double p = prob_of(c, b, r);

		for (i = 0; i < enc->n; i++)
			c->imp[i] += fabs(b->colc[r * enc->n + i]);
		if (!isnan(p)) {
			c->pmin = fmin(c->pmin, p);
			c->pmax = fmax(c->pmax, p);
			c->scored++;
		}
		xgrow(&c->ep, &c->ecap, c->en + 1, sizeof(*c->ep));
		c->ey = xreallocarray(c->ey, c->ecap, sizeof(*c->ey));
		c->ep[c->en] = p;
		c->ey[c->en++] = b->y[r];
	}
	j->nparts = 0;
	b->n = 0;
	buf_reset(&b->text);
	return 0;
}

/*
 * The batch being read is full (or the input ended): finish the one
 * being scored, start this one, and read into the other; with one
 * thread, finish this one at once.
 */
static int
flush(struct pctx *c, bool last, struct ci_err *e)
{
	struct job *now = &c->job[c->cur], *prev = &c->job[1 - c->cur];

	if (prev->nparts > 0 && job_finish(c, prev, e) == -1)
		return -1;
	if (now->b->n == 0)
		return 0;
	job_start(c, now);
	if (c->nthreads == 1 || last)
		return job_finish(c, now, e);
	c->cur = 1 - c->cur;
	return 0;
}

static enum rec_status
pred_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct pctx  *c = ctx;
	struct batch *b = &c->bb[c->cur];
	size_t        i, r = b->n;
	const char   *s;
	size_t        len;

	if (c->eval) {
		rec_field(rec, c->labelcol, &s, &len);
		if (len == 0) {
			ci_err_set(e, CI_EXIT_DATA, file, rec->line,
			    "no value in the label column '%s'", c->m->label);
			return REC_BAD;
		}
		if (strlen(c->pos) == len && memcmp(s, c->pos, len) == 0)
			b->y[r] = 1;
		else if (strlen(c->neg) == len && memcmp(s, c->neg, len) == 0)
			b->y[r] = 0;
		else {
			ci_err_set(e, CI_EXIT_DATA, file, rec->line,
			    "label '%.*s' is neither '%s' nor '%s'",
			    (int)(len > 40 ? 40 : len), s, c->pos, c->neg);
			return REC_BAD;
		}
	}
	if (c->m->from_p_alive) {
		double v;

		rec_field(rec, c->pacol, &s, &len);
		b->pa[r] = NAN;
		if (len > 0 &&
		    (!numfmt_parse(s, len, &v) || !(v >= 0 && v <= 1))) {
			ci_err_set(e, CI_EXIT_DATA, file, rec->line,
			    "bad probability '%.*s' in column '%s'",
			    (int)(len > 40 ? 40 : len), s, c->o->p_alive);
			return REC_BAD;
		}
		if (len > 0)
			b->pa[r] = 1 - v;
	} else if (colenc_row(&c->m->enc, rec, &b->X[r * c->d], c->unseen, file,
	               e) == -1)
		return REC_BAD;
	b->line[r] = rec->line;
	for (i = 0; i < b->ncols; i++) {
		b->off[r * b->ncols + i] = b->text.len;
		b->kind[r * b->ncols + i] = rec->kind[i];
		buf_add(&b->text, rec->f[i], rec->len[i]);
		buf_addc(&b->text, '\0');
	}
	b->off[(r + 1) * b->ncols] = b->text.len;
	b->n++;
	if (b->n == CHURN_BATCH && flush(c, false, e) == -1)
		return REC_FAIL;
	return REC_ROW;
}

/* The newest date of the model's date columns in the input. */
struct prescan {
	const struct colenc *enc;
	int64_t              max;
};

static enum rec_status
scan_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct prescan *p = ctx;
	size_t          i;

	(void)file, (void)e;
	for (i = 0; i < p->enc->n; i++) {
		const char *s, *why;
		size_t      len;
		int64_t     d;

		if (p->enc->col[i].type != COLENC_DATE)
			continue;
		rec_field(rec, p->enc->col[i].in, &s, &len);
		if (len > 0 && colenc_parse_date(s, len, &d, &why) == 0 &&
		    d > p->max)
			p->max = d;
	}
	return REC_ROW;
}

/* Set the reference day of dates: --asof, or the newest in the input. */
static int
date_reference(struct churn_model *m, const struct churn_predict_opts *o,
    struct score_spool *sp, const struct recin_opts *ro, struct churn_run *r,
    struct ci_err *e)
{
	struct prescan        ps = { &m->enc, INT64_MIN };
	struct parread_reader rd = { .row = scan_row, .ctx = &ps };
	struct recin         *in;
	uint64_t              rows = 0;
	int64_t               utc;
	const char           *why;
	char                  day[CIVIL_ISO_MAX];

	if (o->asof != NULL) {
		if (timeparse_asof(o->asof, NULL, &utc, &why) == -1)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "bad value '%s' for --asof: %s", o->asof, why);
		m->enc.ref = civil_day(utc);
		return 0;
	}
	if (!m->enc.has_ref)
		return 0;
	if ((in = score_spool_read(sp, ro, e)) == NULL)
		return -1;
	if (colenc_bind(&m->enc, recin_cols(in), recin_ncols(in), e) == -1 ||
	    parread_input(in, &rd, NULL, NULL, NULL, &rows, e) == -1) {
		recin_free(in);
		return -1;
	}
	recin_free(in);
	if (ps.max != INT64_MIN) {
		m->enc.ref = ps.max;
		civil_format_date(day, ps.max);
		buf_addf(&r->notes,
		    "dates counted back from %s, the newest in the input "
		    "(--asof to set the day)\n",
		    day);
	}
	return 0;
}

/* Bind the input and lay out the output columns. */
static int
setup(struct pctx *c, struct recin *in, struct churn_run *r, struct ci_err *e)
{
	const char *const *icols = recin_cols(in);
	size_t             nin = recin_ncols(in), i, j;
	size_t             nadd = CHURN_NADDED + (c->has_pb ? 1 : 0);

	if (!c->m->from_p_alive && colenc_bind(&c->m->enc, icols, nin, e) == -1)
		return -1;
	if (c->m->from_p_alive &&
	    (c->pacol = recin_require(
	         in, c->o->p_alive, "for --from-p-alive", e)) < 0)
		return -1;
	if (c->eval &&
	    (c->labelcol = recin_require(in, c->m->label, "for --label", e)) <
	        0)
		return -1;
	c->idcol = recin_find(in, c->m->id != NULL ? c->m->id : "customer_id");
	c->d = c->m->enc.nfeat;
	batch_init(&c->bb[0], nin, c->d, c->m->enc.n);
	batch_init(&c->bb[1], nin, c->d, c->m->enc.n);
	c->nthreads = c->o->threads > 1 ? (size_t)c->o->threads : 1;
	c->unseen = xcalloc(c->m->enc.n + 1, sizeof(*c->unseen));
	c->imp = xcalloc(c->m->enc.n + 1, sizeof(*c->imp));
	c->pmin = INFINITY;
	c->pmax = -INFINITY;
	if (c->eval) {
		job_init(c, &c->job[0], &c->bb[0]);
		job_init(c, &c->job[1], &c->bb[1]);
		return 0;
	}
	c->outcols = xcalloc(nin + nadd, sizeof(*c->outcols));
	c->src = xcalloc(nin + nadd, sizeof(*c->src));
	for (i = 0; i < nin; i++) {
		c->outcols[i] = icols[i];
		c->src[i] = (int)i;
	}
	c->nout = nin;
	for (j = 0; j < nadd; j++) {
		const char *name =
		    j < CHURN_NADDED ? churn_added[j] : c->pb.column;
		int    at = recin_find(in, name);
		size_t k = at >= 0 ? (size_t)at : c->nout++;

		c->outcols[k] = name;
		c->src[k] = -1 - (int)j;
	}
	if (c->has_pb && playbook_bind(&c->pb, c->outcols, c->nout, e) == -1)
		return -1;
	c->w = recout_open(NULL,
	    r->fmt != REC_FMT_AUTO ? r->fmt : recin_format(in), c->outcols,
	    c->nout, e);
	if (c->w == NULL)
		return -1;
	recout_set_digits(c->w, r->digits);
	job_init(c, &c->job[0], &c->bb[0]);
	job_init(c, &c->job[1], &c->bb[1]);
	return 0;
}

static void
pctx_release(struct pctx *c)
{
	job_release(c, &c->job[0]);
	job_release(c, &c->job[1]);
	batch_release(&c->bb[0]);
	batch_release(&c->bb[1]);
	free(c->unseen);
	free(c->imp);
	free(c->outcols);
	free(c->src);
	free(c->ep);
	free(c->ey);
	playbook_release(&c->pb);
}

/* Read, score and write (or gather, for eval) every row. */
static int
run(struct pctx *c, const struct churn_predict_opts *o, struct churn_run *r,
    struct ci_err *e)
{
	struct score_spool    sp = { 0 };
	struct recin         *in = NULL;
	struct parread_reader rd = { .row = pred_row, .ctx = c };
	size_t                i;
	int                   rc = -1;

	c->o = o;
	c->digits = r->digits;
	civil_format_iso(c->now, o->now);
	if (o->playbook != NULL && !c->eval) {
		if (playbook_load(&c->pb, o->playbook, e) == -1)
			goto out;
		c->has_pb = true;
	}
	if (score_spool_open(&sp, r->path, e) == -1)
		goto out;
	if (!c->m->from_p_alive &&
	    date_reference(c->m, o, &sp, r->in, r, e) == -1)
		goto out;
	if ((in = score_spool_read(&sp, r->in, e)) == NULL)
		goto out;
	if (recin_note(in) != NULL)
		buf_addf(&r->notes, "%s\n", recin_note(in));
	/* The log is checked before the output's header is written. */
	if (o->audit != NULL && !c->eval) {
		if (audit_open(&c->au, o->audit, e) == -1)
			goto out;
		c->has_audit = true;
	}
	if (setup(c, in, r, e) == -1)
		goto out;
	if (parread_input(in, &rd, NULL, r->rj, NULL, &r->rows, e) == -1 ||
	    flush(c, true, e) == -1)
		goto out;
	for (i = 0; i < c->m->enc.n; i++)
		if (c->unseen[i] > 0)
			buf_addf(&r->notes,
			    "column '%s': %llu value%s not seen in training, "
			    "taken as missing\n",
			    c->m->enc.col[i].name,
			    (unsigned long long)c->unseen[i],
			    c->unseen[i] == 1 ? "" : "s");
	r->degenerate = c->scored >= 2 && c->pmin == c->pmax;
	rc = 0;
out:
	/* No thread may still be at work when the output closes. */
	job_wait(&c->job[0]);
	job_wait(&c->job[1]);
	if (recout_close(c->w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	c->w = NULL;
	if (c->has_audit && audit_close(&c->au, rc == 0 ? e : NULL) == -1)
		rc = -1;
	if (!c->has_audit)
		audit_close(&c->au, NULL);
	recin_free(in);
	score_spool_close(&sp);
	return rc;
}

int
churn_run_predict(struct churn_model *m, const struct churn_predict_opts *o,
    struct churn_run *r, struct ci_err *e)
{
	struct pctx c;
	int         rc;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.idcol = c.pacol = c.labelcol = -1;
	rc = run(&c, o, r, e);
	pctx_release(&c);
	return rc;
}

struct imp {
	double v;
	size_t i;
};

static int
cmp_imp(const void *pa, const void *pb)
{
	const struct imp *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static int
eval_tables(struct pctx *c, struct evtab *m, struct ci_err *e)
{
	size_t                     n = c->en, i, k, pos = 0, cum = 0, tp, np;
	struct binmetric_bin       bins[10];
	struct binmetric_roc_point roc[BINMETRIC_ROC_MAX];
	const struct colenc       *enc = &c->m->enc;
	struct imp                *im = xcalloc(enc->n + 1, sizeof(*im));
	char                       row[32];

	for (i = 0; i < n; i++)
		pos += c->ey[i] > 0.5;
	evtab_table(m, "metrics");
	evtab_row(m, "all");
	evtab_num(m, "rows", (double)n, e);
	evtab_num(m, "churners", (double)pos, e);
	evtab_num(m, "churn_rate", (double)pos / (double)n, e);
	evtab_num(m, "roc_auc", binmetric_roc_auc(c->ep, c->ey, n), e);
	evtab_num(m, "pr_auc", binmetric_pr_auc(c->ep, c->ey, n), e);
	evtab_num(m, "log_loss", binmetric_log_loss(c->ep, c->ey, n), e);
	evtab_num(m, "brier", binmetric_brier(c->ep, c->ey, n), e);
	binmetric_bins(c->ep, c->ey, n, 10, bins);
	evtab_table(m, "lift");
	for (k = 0; k < 10; k++) {
		double rate = bins[k].n
		    ? (double)bins[k].positives / (double)bins[k].n
		    : NAN;

		cum += bins[k].positives;
		snprintf(row, sizeof(row), "%zu", k + 1);
		evtab_row(m, row);
		evtab_num(m, "decile", (double)(k + 1), e);
		evtab_num(m, "customers", (double)bins[k].n, e);
		evtab_num(m, "churners", (double)bins[k].positives, e);
		evtab_num(m, "churn_rate", rate, e);
		evtab_num(m, "lift", rate / ((double)pos / (double)n), e);
		evtab_num(
		    m, "capture", (double)bins[k].positives / (double)pos, e);
		evtab_num(
		    m, "cumulative_capture", (double)cum / (double)pos, e);
		evtab_num(m, "min_probability", bins[k].min_p, e);
		evtab_num(m, "max_probability", bins[k].max_p, e);
	}
	evtab_table(m, "calibration");
	for (k = 0; k < 10; k++) {
		const struct binmetric_bin *b = &bins[9 - k];

		snprintf(row, sizeof(row), "%zu", k + 1);
		evtab_row(m, row);
		evtab_num(m, "bin", (double)(k + 1), e);
		evtab_num(m, "customers", (double)b->n, e);
		evtab_num(m, "mean_predicted", b->mean_p, e);
		evtab_num(m, "observed_rate",
		    b->n ? (double)b->positives / (double)b->n : NAN, e);
	}
	evtab_table(m, "confusion");
	for (k = 0; k < 3; k++) {
		size_t fp = 0;

		tp = 0;
		for (i = 0; i < n; i++) {
			int risk = (int)floor(100 * c->ep[i] + 0.5);

			if (risk >= c->m->cuts[k]) {
				tp += c->ey[i] > 0.5;
				fp += c->ey[i] <= 0.5;
			}
		}
		evtab_row(m, churn_band_names[k + 1]);
		evtab_str(m, "band", churn_band_names[k + 1], e);
		evtab_num(m, "cut", c->m->cuts[k], e);
		evtab_num(m, "true_positives", (double)tp, e);
		evtab_num(m, "false_positives", (double)fp, e);
		evtab_num(m, "true_negatives", (double)(n - pos - fp), e);
		evtab_num(m, "false_negatives", (double)(pos - tp), e);
		evtab_num(m, "precision",
		    tp + fp ? (double)tp / (double)(tp + fp) : NAN, e);
		evtab_num(m, "recall", (double)tp / (double)pos, e);
	}
	evtab_table(m, "importance");
	for (i = k = 0; i < enc->n; i++)
		if (enc->col[i].nfeat > 0) {
			im[k].v = c->imp[i] / (double)n;
			im[k++].i = i;
		}
	qsort(im, k, sizeof(*im), cmp_imp);
	for (i = 0; i < k; i++) {
		evtab_row(m, enc->col[im[i].i].name);
		evtab_str(m, "feature", enc->col[im[i].i].name, e);
		evtab_num(m, "rank", (double)(i + 1), e);
		evtab_num(m, "mean_abs_contribution", im[i].v, e);
	}
	free(im);
	/* The ROC curve, thinned to at most 101 points (binmetric.h). */
	np = binmetric_roc_points(c->ep, c->ey, n, roc);
	evtab_table(m, "roc");
	for (k = 0; k < np; k++) {
		snprintf(row, sizeof(row), "%zu", k);
		evtab_row(m, row);
		evtab_num(m, "threshold", roc[k].threshold, e);
		evtab_num(m, "false_positive_rate", roc[k].fpr, e);
		evtab_num(m, "true_positive_rate", roc[k].tpr, e);
	}
	return m->rc;
}

int
churn_run_eval(struct churn_model *m, const char *label, const char *positive,
    const struct churn_predict_opts *o, struct churn_run *r, struct ci_err *e)
{
	struct pctx  c;
	struct evtab em;
	size_t       pos = 0, i;
	int          rc = -1;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.eval = true;
	c.idcol = c.pacol = c.labelcol = -1;
	if (label != NULL) {
		free(m->label);
		m->label = xstrdup(label);
	}
	c.pos = positive != NULL ? positive : m->positive;
	c.neg = m->negative;
	if (run(&c, o, r, e) == -1)
		goto out;
	for (i = 0; i < c.en; i++)
		pos += c.ey[i] > 0.5;
	if (c.en == 0 || pos == 0 || pos == c.en) {
		ci_err_set(e, CI_EXIT_DATA, NULL, 0, "%s: cannot evaluate",
		    c.en == 0      ? "no rows"
		        : pos == 0 ? "no churners among the rows"
		                   : "every row is a churner");
		goto out;
	}
	if (evtab_open(&em, r->fmt, EVTAB_LIST, r->digits, e) < 0)
		goto out;
	rc = eval_tables(&c, &em, e);
	if (evtab_close(&em, rc == 0 ? e : NULL) < 0)
		rc = -1;
out:
	pctx_release(&c);
	return rc;
}
