/*
 * score_test: reading feature rows (rejects, collapsing, the value read
 * only for a spend model), the fit and its model file written and read
 * back to the same doubles, the predictions of every row against the
 * models' own functions, value_score's ranks and ties, and an input read
 * twice from a pipe.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "bgnbd.h"
#include "gammagamma.h"
#include "recin.h"
#include "score.h"
#include "tap.h"

static char path[] = "/tmp/score_testXXXXXX";
static char mpath[] = "/tmp/score_test_mXXXXXX";

static const char rows[] =
    "customer_id,x,t_x,T,repeat_value\n"
    "A,0,0,30,\n"
    "B,2,10,30,50\n"
    "C,2,10,30,50\n"  /* B's twin */
    "D,1.5,3,10,20\n" /* x not whole */
    "E,3,25,20,40\n"  /* t_x after T */
    "F,4,28,30,0\n"   /* a repeat buyer without value */
    "G,6,29,30,120\n"
    "H,1,5,12,abc\n"; /* a bad value: bad only for a spend model */

static void
put(const char *p, const char *text)
{
	FILE *fp = fopen(p, "w");

	fputs(text, fp);
	fclose(fp);
}

/* Read path into sd with m; returns the rows rejected. */
static uint64_t
read_rows(const char *p, const struct score_model *m, bool spend,
    struct score_data *sd, uint64_t *n)
{
	struct recin_opts o = { 0 };
	struct ci_err     e;
	struct rejects   *rj = rejects_open("/dev/null", NULL, &e);
	struct recin     *in = recin_open(p, &o, &e);
	uint64_t          bad;

	*n = 0;
	memset(sd, 0, sizeof(*sd));
	if (score_read(sd, in, m, spend, spend, rj, n, &e) == -1)
		diag("%s", e.msg);
	bad = rejects_count(rj);
	rejects_close(rj, &e);
	recin_free(in);
	score_data_freeze(sd);
	return bad;
}

static void
test_read(void)
{
	struct score_model m;
	struct score_data  sd;
	uint64_t           n, bad;

	score_model_init(&m);
	bad = read_rows(path, &m, false, &sd, &n);
	ok(n == 8 && bad == 2 && sd.nrows == 8 && sd.d.n == 5 &&
	        sd.d.total == 6,
	    "8 rows, 2 rejected, 6 customers in 5 distinct summaries");
	ok(sd.row[3] == SCORE_REJECTED && sd.row[4] == SCORE_REJECTED &&
	        sd.row[1] == sd.row[2] && sd.d.w[sd.row[1]] == 2,
	    "rejected rows are marked, twins share their summary");
	score_data_release(&sd);
	bad = read_rows(path, &m, true, &sd, &n);
	ok(bad == 3 && sd.s.n == 2 && sd.spend_left_out == 1 &&
	        sd.value[1] == 50 && isnan(sd.value[0]),
	    "with a spend model the bad value rejects its row too; the repeat "
	    "buyer without value is left out of the spend fit");
	score_data_release(&sd);
	score_model_release(&m);
}

static void
test_model_file(void)
{
	struct score_model m, back;
	struct score_data  sd;
	struct buf         out = { 0 };
	struct ci_err      e;
	uint64_t           n;
	size_t             i, bad = 0;
	int                rc;

	score_model_init(&m);
	read_rows("testdata/features-clv.csv", &m, true, &sd, &n);
	rc = score_fit(&m, &sd, true, &e);
	ok(rc == 0 && m.info.converged && m.has_spend &&
	        m.spend_info.converged && m.info.n_customers == 120 &&
	        m.spend_info.n_customers == 103,
	    "BG/NBD and Gamma-Gamma fit the fixture's 120 customers (103 "
	    "repeat buyers)");
	{
		struct score_pred pr = { 0 };
		struct clvsum     plan;

		clvsum_init(&plan, 52, 7, 0.01, &e);
		score_predict(&m, &sd, &plan, &pr, &e);
		score_reference(&m, &pr, 52, 0.01);
		score_pred_release(&pr);
		clvsum_release(&plan);
	}
	score_model_write(&m, &sd, &out);
	put(mpath, buf_str(&out));
	score_model_init(&back);
	rc = score_model_load(&back, mpath, &e);
	for (i = 0; i < 4; i++)
		bad += back.par[i] != m.par[i];
	for (i = 0; i < 3; i++)
		bad += back.spend[i] != m.spend[i];
	for (i = 0; i < m.nref && back.nref == m.nref; i++)
		bad += back.ref[i] != m.ref[i];
	ok(rc == 0 && bad == 0 && back.kind == SCORE_BGNBD &&
	        back.nref == 120 && back.ref_horizon == 52 &&
	        back.unit_days == 7 && back.has_spend &&
	        strcmp(back.col[SCORE_COL_VALUE], "repeat_value") == 0,
	    "the model file reads back to the same doubles");
	score_model_release(&back);
	score_model_init(&back);
	put(mpath,
	    "{\"tool\": \"ci-score\", \"kind\": \"bgnbd\", "
	    "\"format_version\": 1}");
	rc = score_model_load(&back, mpath, &e);
	ok(rc == -1 && e.code == CI_EXIT_MODEL,
	    "a model without options is refused: %s", e.msg);
	score_model_release(&back);
	buf_release(&out);
	score_data_release(&sd);
	score_model_release(&m);
}

static void
test_predict(void)
{
	struct score_model       m;
	struct score_data        sd;
	struct score_pred        pr = { 0 };
	struct clvsum            plan;
	struct ci_err            e;
	struct bgnbd_params      p;
	struct gammagamma_params g;
	uint64_t                 n;
	size_t                   i, bad = 0, low = 0, high = 0;
	double                   pa = 0, ex = 0, v = 0;
	int                      rc;

	score_model_init(&m);
	read_rows("testdata/features-clv.csv", &m, true, &sd, &n);
	score_fit(&m, &sd, true, &e);
	clvsum_init(&plan, 26, 7, 0.01, &e);
	rc = score_predict(&m, &sd, &plan, &pr, &e);
	score_reference(&m, &pr, 26, 0.01);
	score_rescore(&m, &pr);
	p.r = m.par[0], p.alpha = m.par[1], p.a = m.par[2], p.b = m.par[3];
	g.p = m.spend[0], g.q = m.spend[1], g.gamma = m.spend[2];
	for (i = 0; i < pr.n; i++) {
		uint32_t t = sd.row[i];
		double   x = sd.d.x[t], mv = sd.value[i];

		bgnbd_p_alive(&p, x, sd.d.tx[t], sd.d.T[t], &pa, &e);
		bgnbd_expected(&p, 26, x, sd.d.tx[t], sd.d.T[t], &ex, &e);
		gammagamma_expected_value(
		    &g, mv > 0 ? x : 0, mv > 0 ? mv : 0, &v, &e);
		if (fabs(pr.p_alive[i] - pa) > 1e-15 ||
		    fabs(pr.expected[i] - ex) > 1e-12 * ex ||
		    fabs(pr.value[i] - v) > 1e-12 * v)
			bad++;
		low += pr.score[i] == 0;
		high += pr.score[i] == 100;
	}
	ok(rc == 0 && pr.n == 120 && bad == 0,
	    "every row's P(alive), expected purchases and value are the "
	    "models' own");
	ok(low == 1 && high == 1, "value_score runs from 0 to 100");
	for (i = 0; i < pr.n; i++) {
		size_t j, below = 0, same = 0;

		for (j = 0; j < pr.n; j++) {
			below += pr.clv[j] < pr.clv[i];
			same += pr.clv[j] == pr.clv[i];
		}
		if (fabs(pr.score[i] -
		        100 * ((double)below + (double)(same - 1) / 2) /
		            (double)(pr.n - 1)) > 1e-12)
			bad++;
	}
	ok(bad == 0, "value_score is 100 (L + (E - 1) / 2) / (n - 1)");
	score_pred_release(&pr);
	clvsum_release(&plan);
	score_data_release(&sd);
	score_model_release(&m);
}

static void
test_spool(void)
{
	struct score_spool sp;
	struct recin_opts  o = { 0 };
	struct recin      *in;
	struct rec         rec;
	struct ci_err      e;
	FILE              *fp;
	int                pass, n[2] = { 0, 0 };
	char               cmd[128];

	snprintf(cmd, sizeof(cmd), "cat %s", path);
	fp = popen(cmd, "r");
	/* The pipe stands in for stdin: spool it by its /dev/fd name. */
	snprintf(cmd, sizeof(cmd), "/dev/fd/%d", fileno(fp));
	ok(score_spool_open(&sp, cmd, &e) == 0 && sp.fp != NULL,
	    "a pipe is copied to a temporary file");
	for (pass = 0; pass < 2; pass++) {
		in = score_spool_read(&sp, &o, &e);
		while (in != NULL && recin_read(in, &rec, &e) != REC_END)
			n[pass]++;
		recin_free(in);
	}
	ok(n[0] == 8 && n[1] == 8, "and read twice: %d and %d rows", n[0],
	    n[1]);
	score_spool_close(&sp);
	pclose(fp);
	ok(score_spool_open(&sp, path, &e) == 0 && sp.fp == NULL,
	    "a regular file is reopened, not copied");
	score_spool_close(&sp);
}

int
main(void)
{
	int fd;

	gsl_set_error_handler_off();
	plan(3 + 3 + 3 + 3);
	fd = mkstemp(path);
	close(fd);
	fd = mkstemp(mpath);
	close(fd);
	put(path, rows);
	test_read();
	test_model_file();
	test_predict();
	test_spool();
	unlink(path);
	unlink(mpath);
	return done_testing();
}
