/*
 * segment_test: the engine of ci-segment on small hand-made inputs whose
 * labels are worked out below from the definitions of ci-segment(1): the
 * defaults and the --segments lists; eleven feature rows read, fitted,
 * labelled and written (CSV, NDJSON, and again from their own output);
 * the counts and the summary; a saved model applied to the same rows and
 * to each row alone; clusters of two blobs and their profiles; a rule
 * segment; and the errors: a missing column, a second input with other
 * columns, a bad number, too few rows to cluster, no rows to save, a
 * model missing or of another kind, a rule on an unknown column.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "rejects.h"
#include "segment.h"
#include "segrules.h"
#include "tap.h"

static char dir[] = "/tmp/segment_testXXXXXX";

#define HEADER \
	"customer_id,recency_days,purchase_days,monetary_total,orders_90d," \
	"orders_180d,spend_trend,gap_days_mean"

/*
 * c1..c10 have R, F and M; c11 has bought nothing.  Sorted, R is 5 to 50
 * by 5, F 1 to 10 and M 50 100 200 300 400 600 700 800 900 1000; with m =
 * 10 the quintile cut points y[ceil(j m / 5) - 1] are y[1], y[3], y[5],
 * y[7]: R 10 20 30 40, F 2 4 6 8, M 100 300 600 800 (a value equal to a
 * cut point scores as the quintile below it).  The 99 percentile cut
 * points are y[ceil(j / 10) - 1], ten of each value, so the k-th smallest
 * is at percentile 10 (k - 1); the value v is the mean of those of F and
 * M.  The typical gap is the lower median of the gaps 5 5 10 10 15 20 30
 * 40 50: 15.  The ratio is R over the gap (the typical one for c2), at
 * risk from 2, lost from 4; FM = (F + M + 1) / 2.
 *
 *       R  F    M  RFM FM segment         v  ratio  tier        stage
 *  c1   5 10 1000  555  5 champions      90  0.5    high-value  growth
 *  c2  10  1   50  511  1 new             0  0.67   general     acquisition
 *  c3  15  8  400  443  4 loyal          55  3      churn-risk  decline
 *  c4  20  7  800  444  4 loyal          65  0.5    potential   decline
 *  c5  25  6  300  332  3 need-attention 40  0.83   potential   maturity
 *  c6  30  5  900  335  4 loyal          60  6      churn-risk  lost
 *  c7  35  4  200  222  2 hibernating    25  2.33   general     decline
 *  c8  40  3  700  224  3 at-risk        40  4      churn-risk  lost
 *  c9  45  2  100  111  1 lost           10  0.9    general     maturity
 *  c10 50  9  600  153  4 at-risk        65  2.5    churn-risk  decline
 *
 * c1 grows (4 orders in 90 days, >= 2 and >= 1.5 x the 1 before), c4
 * declines on its spend trend 0.4 <= 0.5, c5 and c9 are steady.
 */
static const char features[] =
    "customer_id,recency_days,purchase_days,monetary_total,orders_90d,"
    "orders_180d,spend_trend,gap_days_mean\n"
    "c1,5,10,1000,4,5,1.2,10\n"
    "c2,10,1,50,1,1,,\n"
    "c3,15,8,400,1,3,1.0,5\n"
    "c4,20,7,800,2,2,0.4,40\n"
    "c5,25,6,300,1,2,,30\n"
    "c6,30,5,900,0,2,0.8,5\n"
    "c7,35,4,200,0,1,,15\n"
    "c8,40,3,700,0,1,,10\n"
    "c9,45,2,100,0,0,,50\n"
    "c10,50,9,600,1,2,0.9,20\n"
    "c11,,0,0,0,0,,\n";

static const char *const labelled[] = {
	HEADER ",r_score,f_score,m_score,rfm_score,rfm_segment,value_tier,"
	       "lifecycle",
	"c1,5,10,1000,4,5,1.2,10,5,5,5,555,champions,high-value,growth",
	"c2,10,1,50,1,1,,,5,1,1,511,new,general,acquisition",
	"c3,15,8,400,1,3,1.0,5,4,4,3,443,loyal,churn-risk,decline",
	"c4,20,7,800,2,2,0.4,40,4,4,4,444,loyal,potential,decline",
	"c5,25,6,300,1,2,,30,3,3,2,332,need-attention,potential,maturity",
	"c6,30,5,900,0,2,0.8,5,3,3,5,335,loyal,churn-risk,lost",
	"c7,35,4,200,0,1,,15,2,2,2,222,hibernating,general,decline",
	"c8,40,3,700,0,1,,10,2,2,4,224,at-risk,churn-risk,lost",
	"c9,45,2,100,0,0,,50,1,1,1,111,lost,general,maturity",
	"c10,50,9,600,1,2,0.9,20,1,5,3,153,at-risk,churn-risk,decline",
	"c11,,0,0,0,0,,,,,,,,,",
};

#define NLINES (sizeof(labelled) / sizeof(labelled[0]))

/* dir/name, in one of a few buffers used in turn. */
static char *
path_of(const char *name)
{
	static char bufs[8][256];
	static int  next;
	char       *p = bufs[next++ % 8];

	snprintf(p, sizeof(bufs[0]), "%s/%s", dir, name);
	return p;
}

static char *
put(const char *name, const char *text)
{
	char *p = path_of(name);
	FILE *fp = fopen(p, "w");

	fputs(text, fp);
	fclose(fp);
	return p;
}

/* The whole file at p, NUL-terminated; the caller frees it. */
static char *
slurp(const char *p)
{
	FILE  *fp = fopen(p, "r");
	char  *s = calloc(1, 1 << 16);
	size_t n = 0;

	if (fp != NULL) {
		n = fread(s, 1, (1 << 16) - 1, fp);
		fclose(fp);
	}
	s[n] = '\0';
	return s;
}

/*
 * Line n (from 0) of text, without its newline; "" past the end.  The
 * result is valid until the fourth call after this one.
 */
static const char *
line(const char *text, size_t n)
{
	static char bufs[4][1024];
	static int  next;
	char       *l = bufs[next++ % 4];
	const char *end;

	for (; n > 0 && text != NULL; n--)
		if ((text = strchr(text, '\n')) != NULL)
			text++;
	if (text == NULL)
		return "";
	end = strchr(text, '\n');
	if (end == NULL)
		end = text + strlen(text);
	snprintf(l, sizeof(bufs[0]), "%.*s", (int)(end - text), text);
	return l;
}

/* The last field of line n of text. */
static const char *
last_field(const char *text, size_t n)
{
	const char *l = line(text, n), *c = strrchr(l, ',');

	return c != NULL ? c + 1 : l;
}

/*
 * Read the files called names into s (rules may be NULL), the rejects
 * going to the file rjname (or nowhere); *rows and *bad get the rows read
 * and rejected.  Returns segment_read()'s result.
 */
static int
read_into(struct segment *s, const char *const *names, size_t n,
    struct segrules *rules, const char *rjname, uint64_t *rows, uint64_t *bad,
    enum rec_fmt *fmt, struct ci_err *e)
{
	char                *paths[4];
	struct parread_files in = { 0 };
	struct rejects      *rj;
	struct ci_err        e2;
	size_t               i;
	int                  rc;

	for (i = 0; i < n; i++)
		paths[i] = path_of(names[i]);
	in.paths = paths;
	in.npaths = n;
	in.quiet = true;
	rj = rejects_open(
	    rjname != NULL ? path_of(rjname) : "/dev/null", NULL, &e2);
	*rows = 0;
	*fmt = REC_FMT_AUTO;
	rc = segment_read(s, &in, rules, rj, rows, fmt, e);
	*bad = rejects_count(rj);
	rejects_close(rj, &e2);
	return rc;
}

/* segment_write() with stdout going to the file name; its bytes. */
static char *
write_out(const struct segment *s, enum rec_fmt fmt, const char *name, int *rc)
{
	char         *p = path_of(name);
	struct ci_err e;
	int           fd, saved;

	fflush(stdout);
	saved = dup(1);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 1);
	close(fd);
	*rc = segment_write(s, fmt, 0, &e);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return slurp(p);
}

/*
 * A segment with opts o (or the model at mpath) through read, fit, label
 * and write on the file name; the output, or NULL when a step failed.
 * *sp gets the segment unless sp is NULL.
 */
static char *
run(const struct segment_opts *o, const char *mpath, const char *name,
    struct segrules *rules, struct segment **sp)
{
	struct segment *s;
	struct ci_err   e = { 0 };
	uint64_t        rows, bad;
	enum rec_fmt    fmt;
	char           *out = NULL;
	int             rc;

	s = mpath != NULL ? segment_new_model(mpath, &e) : segment_new(o);
	if (s != NULL &&
	    read_into(s, &name, 1, rules, NULL, &rows, &bad, &fmt, &e) == 0 &&
	    segment_fit(s, &e) == 0) {
		segment_label(s);
		out = write_out(s, fmt, "run.out", &rc);
		if (rc != 0) {
			free(out);
			out = NULL;
		}
	}
	if (out == NULL)
		diag("  %s:%lu: %s", e.file, e.line, e.msg);
	if (sp != NULL)
		*sp = s;
	else
		segment_free(s);
	return out;
}

static void
test_opts(void)
{
	struct segment_opts o;
	unsigned            k;

	segment_opts_init(&o, 7);
	ok(o.kinds == SEG_ALL && strcmp(o.recency, "recency_days") == 0 &&
	        strcmp(o.frequency, "purchase_days") == 0 &&
	        strcmp(o.monetary, "monetary_total") == 0 &&
	        o.cluster_on.n == 0,
	    "defaults: every kind, on recency_days, purchase_days and "
	    "monetary_total");
	ok(o.tier.high == 80 && o.tier.potential == 40 &&
	        o.tier.risk_score == 60 && o.tier.risk_alive == 0.5 &&
	        o.tier.overdue == 2 && o.life.overdue == 2 &&
	        o.life.lost_after == 4 && o.life.growth == 1.5 &&
	        o.life.falling == 0.5,
	    "defaults: the thresholds of tiers and stages of the man page");
	ok(o.cluster.k == 4 && o.cluster.kmin == 2 && o.cluster.kmax == 10 &&
	        o.cluster.sample == 2000 && o.cluster.restarts == 10 &&
	        o.cluster.seed == 7 && o.cluster.log && o.cluster.scale,
	    "defaults: k 4 (auto: 2 to 10 on 2000 rows), 10 restarts, the "
	    "seed given, log and scale");
	ok(segment_kinds_parse("rfm,tier", &k) == 0 &&
	        k == (SEG_RFM | SEG_TIER),
	    "'rfm,tier' parses");
	ok(segment_kinds_parse("cluster,lifecycle,rfm", &k) == 0 &&
	        k == (SEG_CLUSTER | SEG_LIFECYCLE | SEG_RFM),
	    "'cluster,lifecycle,rfm' parses");
	ok(segment_kinds_parse("all", &k) == 0 && k == SEG_ALL &&
	        segment_kinds_parse("tier,all", &k) == 0 && k == SEG_ALL,
	    "'all' is every kind");
	ok(segment_kinds_parse("rfm,tiers", &k) == -1 &&
	        segment_kinds_parse("RFM", &k) == -1 &&
	        segment_kinds_parse("rfmx", &k) == -1,
	    "unknown kinds are refused");
	ok(segment_kinds_parse("", &k) == -1 &&
	        segment_kinds_parse("rfm,", &k) == -1 &&
	        segment_kinds_parse(",rfm", &k) == -1 &&
	        segment_kinds_parse("rfm,,tier", &k) == -1,
	    "empty kinds are refused");
}

static void
test_batch(void)
{
	struct segment_opts  o;
	struct segment      *s;
	struct segment_stats st;
	struct ci_err        e = { 0 };
	struct buf           sum = { 0 };
	const char          *name = "f.csv";
	uint64_t             rows, bad;
	enum rec_fmt         fmt = REC_FMT_NDJSON;
	char                *out, *again;
	size_t               i;
	int                  rc;

	segment_opts_init(&o, 1);
	o.kinds = SEG_RFM | SEG_TIER | SEG_LIFECYCLE;
	s = segment_new(&o);
	rc = read_into(s, &name, 1, NULL, NULL, &rows, &bad, &fmt, &e);
	ok(rc == 0 && rows == 11 && bad == 0 && fmt == REC_FMT_CSV,
	    "11 CSV rows read, none rejected");
	is_int(segment_fit(s, &e), 0, "the fit succeeds");
	segment_label(s);
	out = write_out(s, REC_FMT_CSV, "f.out", &rc);
	is_int(rc, 0, "segment_write succeeds");
	for (i = 0; i < NLINES; i++)
		is_str(line(out, i), labelled[i], "output line %zu: %s", i,
		    i == 0 ? "the input's columns, then the added ones"
		           : "as worked out above");
	is_str(line(out, NLINES), "", "no more rows");

	segment_stats(s, &st);
	ok(st.rows == 11 && st.no_rfm == 1 && st.no_tier == 1 &&
	        st.no_stage == 1 && st.no_cluster == 0 && st.k == 0 &&
	        st.cinfo == NULL,
	    "stats: 11 rows, c11 without RFM, tier or stage; no clusters");
	ok(st.value_from != NULL && st.risk_from != NULL &&
	        strcmp(st.value_from, "frequency_monetary") == 0 &&
	        strcmp(st.risk_from, "rhythm") == 0,
	    "stats: tiers by frequency_monetary and rhythm");
	segment_summary(s, 2, &sum);
	is_str(buf_str(&sum),
	    "11 rows, 2 rejected; tiers by frequency_monetary and rhythm\n"
	    "1 row without an RFM score: 'recency_days', 'purchase_days' or "
	    "'monetary_total' is empty\n"
	    "1 row without a value tier\n"
	    "1 row without a lifecycle stage\n",
	    "the summary");
	ok(segment_kinds(s) == o.kinds &&
	        strcmp(segment_column(s, 2), "monetary_total") == 0,
	    "segment_kinds and segment_column");
	free(out);

	out = write_out(s, REC_FMT_NDJSON, "f.ndjson", &rc);
	is_str(line(out, 0),
	    "{\"customer_id\":\"c1\",\"recency_days\":\"5\","
	    "\"purchase_days\":\"10\",\"monetary_total\":\"1000\","
	    "\"orders_90d\":\"4\",\"orders_180d\":\"5\","
	    "\"spend_trend\":\"1.2\",\"gap_days_mean\":\"10\",\"r_score\":5,"
	    "\"f_score\":5,\"m_score\":5,\"rfm_score\":\"555\","
	    "\"rfm_segment\":\"champions\",\"value_tier\":\"high-value\","
	    "\"lifecycle\":\"growth\"}",
	    "NDJSON: scores are numbers, the rest strings");
	is_str(line(out, 10),
	    "{\"customer_id\":\"c11\",\"recency_days\":\"\","
	    "\"purchase_days\":\"0\",\"monetary_total\":\"0\","
	    "\"orders_90d\":\"0\",\"orders_180d\":\"0\",\"spend_trend\":\"\","
	    "\"gap_days_mean\":\"\",\"r_score\":null,\"f_score\":null,"
	    "\"m_score\":null,\"rfm_score\":null,\"rfm_segment\":null,"
	    "\"value_tier\":null,\"lifecycle\":null}",
	    "NDJSON: labels that cannot be given are null");
	free(out);
	segment_free(s);
	buf_release(&sum);

	/* The output read again: its segment columns replaced in place. */
	out = slurp(path_of("f.out"));
	again = run(&o, NULL, "f.out", NULL, NULL);
	is_str(again, out, "the output read again gives the same bytes");
	free(again);
	free(out);
}

static void
test_model(void)
{
	struct segment_opts  o;
	struct segment      *s;
	struct segment_stats st;
	struct ci_err        e = { 0 };
	char                *fitted, *applied, *one, *m, *p, *mpath;
	char                 text[512];
	size_t               i, differ = 0, size[8] = { 0 };
	int                  sorted = 1;

	segment_opts_init(&o, 20261101);
	fitted = run(&o, NULL, "f.csv", NULL, &s);
	mpath = path_of("m.json");
	ok(fitted != NULL && segment_save_model(s, mpath, &e) == 0,
	    "every kind fitted, the model saved");
	segment_free(s);
	for (i = 1; i < NLINES; i++) {
		const char *c = last_field(fitted, i);

		if (*c != '\0')
			size[atoi(c) % 8]++;
	}
	for (i = 2; i <= 4; i++)
		sorted &= size[i] <= size[i - 1] && size[i] > 0;
	ok(sorted && size[1] > 0 && size[5] == 0 && size[0] == 0 &&
	        *last_field(fitted, 11) == '\0',
	    "four clusters numbered by decreasing size (%zu %zu %zu %zu); "
	    "none for c11",
	    size[1], size[2], size[3], size[4]);

	mpath = path_of("m.json");
	applied = run(NULL, mpath, "f.csv", NULL, &s);
	is_str(applied, fitted, "the model on the same rows: the same bytes");
	segment_stats(s, &st);
	ok(segment_kinds(s) == SEG_ALL && st.k == 4 && st.cinfo == NULL,
	    "the model's kinds and k; no fit info with a model");
	segment_free(s);

	/* Each row alone: the model's labels may not depend on the batch. */
	for (i = 1; i < NLINES; i++) {
		snprintf(
		    text, sizeof(text), HEADER "\n%s\n", line(features, i));
		put("one.csv", text);
		one = run(NULL, path_of("m.json"), "one.csv", NULL, NULL);
		if (one == NULL || strcmp(line(one, 1), line(fitted, i)) != 0) {
			if (differ++ == 0)
				diag("  alone: '%s'", one ? line(one, 1) : "");
		}
		free(one);
	}
	is_int(differ, 0, "each row alone gets the labels of the batch");
	free(applied);
	free(fitted);

	s = segment_new(&o);
	ok(segment_save_model(s, path_of("none.json"), &e) == -1 &&
	        e.code == CI_EXIT_DATA &&
	        strcmp(e.msg, "no rows to fit a model on") == 0,
	    "no rows: no model (%s)", e.msg);
	segment_free(s);

	s = segment_new_model(path_of("missing.json"), &e);
	ok(s == NULL && e.code == CI_EXIT_MODEL, "a missing model: %s", e.msg);
	m = slurp(path_of("m.json"));
	p = strstr(m, "\"kind\": \"segment\"");
	if (p != NULL)
		memcpy(p, "\"kind\": \"xegment\"", 17);
	put("other.json", m);
	free(m);
	s = segment_new_model(path_of("other.json"), &e);
	ok(p != NULL && s == NULL && e.code == CI_EXIT_MODEL &&
	        strcmp(e.msg, "a model of kind 'xegment', not 'segment'") == 0,
	    "a model of another kind: %s", e.msg);
	segment_free(s);
}

/*
 * Two blobs: a1..a6 about (1, 0.5), b1..b4 about (100.5, 101); z has no
 * x2.  Clustered on x1 and x2 with k = 2, the larger blob is cluster 1.
 */
static const char blobs[] = "id,x1,x2\n"
                            "a1,0,0\n"
                            "a2,1,0\n"
                            "a3,2,0\n"
                            "a4,0,1\n"
                            "b1,100,100\n"
                            "a5,1,1\n"
                            "b2,101,100\n"
                            "z,5,\n"
                            "b3,100,102\n"
                            "a6,2,1\n"
                            "b4,101,102\n";

static void
test_clusters(void)
{
	static const char *const on[] = { "x1", "x2" };
	struct segment_opts      o;
	struct segment          *s;
	struct segment_stats     st;
	struct ci_err            e = { 0 };
	struct buf               sum = { 0 };
	const char              *name = "b3.csv";
	struct buf               want = { 0 }, got = { 0 };
	char                    *out, *prof;
	uint64_t                 rows, bad;
	enum rec_fmt             fmt;
	size_t                   i;

	segment_opts_init(&o, 5);
	o.kinds = SEG_CLUSTER;
	o.cluster_on.v = (char **)on;
	o.cluster_on.n = 2;
	o.cluster.k = 2;
	o.cluster.log = false;
	out = run(&o, NULL, "blobs.csv", NULL, &s);
	for (i = 1; i <= 11; i++) {
		const char *l = line(blobs, i);

		buf_addstr(&want,
		    l[0] == 'a'       ? "1 "
		        : l[0] == 'b' ? "2 "
		                      : "- ");
		l = last_field(out, i);
		buf_addf(&got, "%s ", *l != '\0' ? l : "-");
	}
	is_str(buf_str(&got), buf_str(&want),
	    "blob a is cluster 1, blob b cluster 2, z none");
	buf_release(&want);
	buf_release(&got);
	is_str(line(out, 0), "id,x1,x2,cluster", "only the cluster is added");
	free(out);

	ok(segment_write_profiles(s, path_of("prof.csv"), 0, &e) == 0,
	    "profiles written");
	prof = slurp(path_of("prof.csv"));
	is_str(prof,
	    "cluster,size,share,x1,x2\n"
	    "1,6,0.6,1,0.5\n"
	    "2,4,0.4,100.5,101\n",
	    "profiles: size, share and the means in the columns' units");
	free(prof);
	segment_stats(s, &st);
	ok(st.rows == 11 && st.k == 2 && st.no_cluster == 1 &&
	        st.cinfo != NULL && st.value_from == NULL,
	    "stats: 2 clusters, z without one, no tiers");
	segment_summary(s, 0, &sum);
	is_str(buf_str(&sum),
	    "11 rows, 0 rejected\n"
	    "2 clusters on x1, x2\n"
	    "1 row without a cluster: a clustering column is empty\n",
	    "the summary of clusters");
	buf_release(&sum);
	segment_free(s);

	/* Three distinct rows cannot make four clusters. */
	put("b3.csv", "id,x1,x2\na,0,0\nb,1,0\nc,2,0\nd,2,0\n");
	o.cluster.k = 4;
	s = segment_new(&o);
	ok(read_into(s, &name, 1, NULL, NULL, &rows, &bad, &fmt, &e) == 0 &&
	        segment_fit(s, &e) == -1 && e.code == CI_EXIT_DATA &&
	        strcmp(e.msg,
	            "cannot cluster on 'x1', 'x2': fewer distinct rows (3) "
	            "than clusters (4)") == 0,
	    "too few distinct rows: %s", e.msg);
	segment_free(s);
}

static void
test_errors(void)
{
	struct segment_opts  o;
	struct segment      *s;
	struct segment_stats st;
	struct recin_opts    ro = { 0 };
	struct recin        *r;
	struct ci_err        e = { 0 };
	const char          *two[] = { "f.csv", "g.csv" };
	const char          *name = "short.csv";
	char                 want[512], *rj;
	uint64_t             rows, bad;
	enum rec_fmt         fmt;
	int                  rc;

	segment_opts_init(&o, 1);
	put("short.csv",
	    "customer_id,recency_days,purchase_days,monetary_total\n1,2,3,4\n");
	s = segment_new(&o);
	rc = read_into(s, &name, 1, NULL, NULL, &rows, &bad, &fmt, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE &&
	        strcmp(e.file, path_of("short.csv")) == 0,
	    "a missing column is a usage error of the file");
	is_str(e.msg,
	    "missing column 'gap_days_mean' for value tiers; columns are: "
	    "'customer_id', 'recency_days', 'purchase_days', 'monetary_total'",
	    "the message names the column, its use and the columns there are");
	segment_free(s);

	/* g.csv lacks gap_days_mean, which the first input has. */
	put("g.csv",
	    "customer_id,recency_days,purchase_days,monetary_total,orders_90d,"
	    "orders_180d,spend_trend\nc1,5,10,1000,4,5,1.2\n");
	o.kinds = SEG_RFM;
	s = segment_new(&o);
	rc = read_into(s, two, 2, NULL, NULL, &rows, &bad, &fmt, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE &&
	        strcmp(e.file, path_of("g.csv")) == 0 &&
	        strcmp(e.msg,
	            "the columns differ from those of the first input") == 0,
	    "a second input without a column of the first is refused: %s",
	    e.msg);
	r = recin_open(path_of("g.csv"), &ro, &e);
	rc = segment_check_columns(s, r, &e);
	recin_free(r);
	r = recin_open(path_of("f.csv"), &ro, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE &&
	        segment_check_columns(s, r, &e) == 0,
	    "segment_check_columns: the first input's columns pass, others "
	    "not");
	recin_free(r);
	segment_free(s);

	put("bad.csv",
	    "customer_id,recency_days,purchase_days,monetary_total\n"
	    "a,1,2,3\nb,x,3,4\nc,3,3,5\n");
	name = "bad.csv";
	s = segment_new(&o);
	rc = read_into(s, &name, 1, NULL, "bad.rej", &rows, &bad, &fmt, &e);
	segment_stats(s, &st);
	ok(rc == 0 && rows == 3 && bad == 1 && st.rows == 2,
	    "a bad recency rejects its row; the other two are kept");
	rj = slurp(path_of("bad.rej"));
	snprintf(want, sizeof(want),
	    "{\"file\":\"%s\",\"line\":3,\"reasons\":[\"bad number 'x' in "
	    "column 'recency_days'\"],\"raw\":\"b,x,3,4\"}\n",
	    path_of("bad.csv"));
	is_str(rj, want, "the reject names the line, the value and column");
	free(rj);
	segment_free(s);
}

static void
test_rules(void)
{
	static const char   yaml[] = "column: campaign\n"
	                             "default: standard\n"
	                             "rules:\n"
	                             "  - name: vip\n"
	                             "    when:\n"
	                             "      rfm_segment: [champions, loyal]\n"
	                             "      monetary_total: \">= 800\"\n"
	                             "  - name: welcome\n"
	                             "    when: { lifecycle: acquisition }\n"
	                             "  - name: win-back\n"
	                             "    when: { value_tier: churn-risk }\n";
	static const char   bad[] = "rules:\n"
	                            "  - name: mail\n"
	                            "    when: { email: not empty }\n";
	struct segment_opts o;
	struct segment     *s;
	struct segrules     rs;
	struct ci_err       e = { 0 };
	const char         *name = "f.csv";
	struct buf          got = { 0 };
	char               *out;
	uint64_t            rows, n;
	enum rec_fmt        fmt;
	size_t              i;
	int                 rc;

	segment_opts_init(&o, 1);
	o.kinds = SEG_RFM | SEG_TIER | SEG_LIFECYCLE;
	rc = segrules_load_string(&rs, "r.yaml", yaml, strlen(yaml), &e);
	out = rc == 0 ? run(&o, NULL, "f.csv", &rs, NULL) : NULL;
	ok(out != NULL && strcmp(line(out, 0), labelled[0]) != 0 &&
	        strncmp(line(out, 0), labelled[0], strlen(labelled[0])) == 0 &&
	        strcmp(line(out, 0) + strlen(labelled[0]), ",campaign") == 0,
	    "the rules' column comes last");
	for (i = 1; i < NLINES; i++)
		buf_addf(&got, "%s%s", i > 1 ? " " : "", last_field(out, i));
	is_str(buf_str(&got),
	    "vip welcome win-back vip standard vip standard win-back "
	    "standard win-back standard",
	    "first rule that holds, on the added columns; else the default");
	buf_release(&got);
	free(out);
	segrules_release(&rs);

	rc = segrules_load_string(&rs, "bad.yaml", bad, strlen(bad), &e);
	s = segment_new(&o);
	ok(rc == 0 &&
	        read_into(s, &name, 1, &rs, NULL, &rows, &n, &fmt, &e) == -1 &&
	        e.code == CI_EXIT_USAGE && e.line == 3 &&
	        strstr(e.msg, "unknown column 'email'") != NULL,
	    "a rule on a column there is not: %s", e.msg);
	segment_free(s);
	segrules_release(&rs);
}

/* Remove dir and the files in it. */
static void
clean(void)
{
	DIR           *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			unlink(path_of(de->d_name));
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

int
main(void)
{
	plan(55);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 1;
	}
	put("f.csv", features);
	put("blobs.csv", blobs);
	test_opts();
	test_batch();
	test_model();
	test_clusters();
	test_errors();
	test_rules();
	clean();
	return done_testing();
}
