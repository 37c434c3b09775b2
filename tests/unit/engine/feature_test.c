/*
 * feature_test: a small run through the feature API.  Ten event rows of
 * three customers (and four bad rows) are read from memory, bound by name
 * and added; the rows written by feature_write() are read back and their
 * columns checked against values worked out by hand from ci-features(1)'s
 * definitions (recency, RFM, the Fader-Hardie-Lee x, t_x and T in weeks,
 * repeat_value, windows, gaps, items, channel shares, service counts).
 * Then the same events split in two, written as partial states and merged
 * must give the same bytes as the single run, whether the merging
 * accumulator takes its options from the states or has them already; and
 * merging refuses states made with other options, files that are not
 * states, and empty files.  Every field of a customer's state survives a
 * merge byte for byte, and a line with any one field out of range is
 * refused.
 *
 * The customers, as of asof = 2024-03-31T23:59:59Z (day 19813):
 *   A  orders on 01-01 (10.00 and 5.00), 01-15 (20.00), 03-01 (30.50, an
 *      empty type); a refund of -5.00 on 03-10, a ticket rated 4 on 03-20,
 *      a visit on 03-30, and an order on 04-02, after asof.
 *   B  one order of 7 on 03-31 ("ORDER").
 *   C  one order on 04-05 only: after asof, so no row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "feature.h"
#include "recin.h"
#include "recout.h"
#include "tap.h"

static char dir[] = "/tmp/feature_test.XXXXXX";

static const char header[] =
    "customer_id,ts,type,amount,product_id,category,channel,rating\n";

/* The good rows (lines 2 to 11 of the input) and the bad ones. */
static const char *const rows[] = {
	"A,2024-01-01T09:00:00Z,order,10.00,p1,books,web,\n",
	"A,2024-01-01T18:30:00Z,order,5.00,p2,books,app,\n",
	"A,2024-01-15,order,20.00,p1,music,web,\n",
	"A,2024-03-01T12:00:00Z,,30.50,p3,music,web,\n",
	"A,2024-03-10T08:00:00Z,refund,-5.00,,,,\n",
	"A,2024-03-20T10:00:00Z,ticket,,,,,4\n",
	"A,2024-03-30T10:00:00Z,visit,,,,,\n",
	"A,2024-04-02T10:00:00Z,order,99.00,p9,toys,web,\n",
	"B,2024-03-31T10:00:00Z,ORDER,7,p1,,store,\n",
	"C,2024-04-05T00:00:00Z,order,1.00,,,,\n",
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const char *const bad_rows[] = {
	" ,2024-01-01,order,1,,,,\n",
	"D,yesterday,order,1,,,,\n",
	"D,2024-01-01,order,abc,,,,\n",
	"D,2024-01-01,order,1,,,,x\n",
};
#define NBAD (sizeof(bad_rows) / sizeof(bad_rows[0]))

#define ASOF 1711929599 /* 2024-03-31T23:59:59Z */

static struct feature_opts
options(void)
{
	struct feature_opts o = { 0 };

	o.has_asof = true;
	o.asof = ASOF;
	o.unit_days = 7;
	o.windows[0] = 30;
	o.windows[1] = 90;
	o.nwindows = 2;
	return o;
}

/*
 * Add the rows whose bit is set in mask (all: ~0) to f, the bad rows after
 * them when bad is set; the messages of rejected rows go to rejected as
 * "LINE: MSG\n".  Returns the number of rows feature_add() refused.
 */
static int
add_rows(struct feature *f, unsigned mask, bool bad, struct buf *rejected)
{
	struct buf          text = { 0 };
	struct recin_opts   o = { 0 };
	struct ci_err       e = { 0 };
	struct feature_cols c;
	struct recin       *r;
	struct rec          rec;
	FILE               *fp;
	size_t              i;
	int                 nbad = 0;

	buf_addstr(&text, header);
	for (i = 0; i < NROWS; i++)
		if (mask & (1u << i))
			buf_addstr(&text, rows[i]);
	for (i = 0; bad && i < NBAD; i++)
		buf_addstr(&text, bad_rows[i]);
	fp = fmemopen(text.data, text.len, "rb");
	r = recin_open_stream(fp, "events.csv", &o, &e);
	if (r == NULL || feature_bind(r, &c, &e) < 0) {
		diag("cannot bind: %s", e.msg);
		nbad = -1;
	}
	while (nbad >= 0 && recin_read(r, &rec, &e) == REC_ROW)
		if (feature_add(f, &c, &rec, "events.csv", &e) < 0) {
			nbad++;
			if (rejected != NULL)
				buf_addf(rejected, "%s:%lu: %s\n", e.file,
				    e.line, e.msg);
		}
	recin_free(r);
	fclose(fp);
	buf_release(&text);
	return nbad;
}

/* feature_write() of f into the file name in dir; its bytes into out. */
static int
write_rows(struct feature *f, const char *name, struct buf *out)
{
	const char *const *cols;
	struct ci_err      e = { 0 };
	struct recout     *w;
	char               path[300], chunk[4096];
	size_t             n;
	FILE              *fp;
	int                rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = feature_columns(f, &cols);
	w = recout_open(path, REC_FMT_CSV, cols, n, &e);
	if (w == NULL)
		return -1;
	rc = feature_write(f, w, &e);
	if (recout_close(w, &e) < 0)
		rc = -1;
	buf_reset(out);
	if ((fp = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(out, chunk, n);
		fclose(fp);
	}
	return rc;
}

/* The rows read back from a feature_write() output. */
struct table {
	struct recin *r;
	char          cell[4][64][64]; /* row, column, text */
	size_t        nrows;
};

static void
load_table(struct table *t, const char *name)
{
	struct recin_opts o = { 0 };
	struct ci_err     e = { 0 };
	struct rec        rec;
	char              path[300];
	size_t            i;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((t->r = recin_open(path, &o, &e)) == NULL)
		return;
	while (t->nrows < 4 && recin_read(t->r, &rec, &e) == REC_ROW) {
		for (i = 0; i < rec.n && i < 64; i++)
			snprintf(t->cell[t->nrows][i], 64, "%s", rec.f[i]);
		t->nrows++;
	}
}

/* The cell of column name in row i, or "(no column)". */
static const char *
cell(const struct table *t, size_t i, const char *name)
{
	int c = t->r != NULL ? recin_find(t->r, name) : -1;

	return c < 0 || c >= 64 ? "(no column)" : t->cell[i][c];
}

/* Expect row i's columns to be the given name/value pairs. */
static void
expect(
    const struct table *t, size_t i, const char *who, const char *const *pairs)
{
	struct buf got = { 0 }, want = { 0 };

	for (; pairs[0] != NULL; pairs += 2) {
		buf_addf(&got, "%s=%s ", pairs[0], cell(t, i, pairs[0]));
		buf_addf(&want, "%s=%s ", pairs[0], pairs[1]);
	}
	is_str(buf_str(&got), buf_str(&want), "%s", who);
	buf_release(&got);
	buf_release(&want);
}

static void
test_single(struct buf *single)
{
	struct feature_opts o = options();
	struct feature     *f = feature_new(&o);
	struct buf          rejected = { 0 };
	struct table        t;
	const char *const  *cols;
	struct buf          names = { 0 };
	size_t              i, n;
	int64_t             asof = 0;

	is_int(add_rows(f, ~0u, true, &rejected), 4, "four rows refused");
	is_str(buf_str(&rejected),
	    "events.csv:12: missing customer_id\n"
	    "events.csv:13: bad ts 'yesterday': unrecognised date\n"
	    "events.csv:14: bad amount 'abc': no digits\n"
	    "events.csv:15: bad rating 'x': not a number\n",
	    "each with its line and reason");
	ok(feature_asof(f, &asof) && asof == ASOF, "the asof given");
	is_int(feature_customers(f), 0, "customers are counted when written");

	n = feature_columns(f, &cols);
	for (i = 0; i < n; i++)
		buf_addf(&names, "%s%s", i ? "," : "", cols[i]);
	is_str(buf_str(&names),
	    "customer_id,recency_days,orders,purchase_days,monetary_total,"
	    "monetary_avg,first_order,last_order,tenure_days,x,t_x,T,"
	    "repeat_value,orders_30d,spend_30d,orders_90d,spend_90d,"
	    "spend_trend,spend_cv_3m,spend_cv_12m,gap_days_mean,gap_days_sd,"
	    "distinct_products,distinct_categories,top_category,share_app,"
	    "share_store,share_web,refunds,refund_amount,tickets,complaints,"
	    "rating_mean,days_since_last_event,events_30d,events_prev_30d",
	    "the columns of ci-features(1) in order, one share per channel "
	    "ordered, in byte order");
	buf_release(&names);

	is_int(write_rows(f, "single.csv", single), 0, "feature_write");
	is_int(feature_customers(f), 2,
	    "two customers have a state (C's only event is after asof)");
	load_table(&t, "single.csv");
	is_int(t.nrows, 2, "two rows: A and B, not C");
	ok(strcmp(t.cell[0][0], "A") == 0 && strcmp(t.cell[1][0], "B") == 0,
	    "sorted by customer_id");

	expect(&t, 0, "A: recency, frequency and money",
	    (const char *const[]){ "recency_days", "30", /* 03-31 - 03-01 */
	        "orders", "4", "purchase_days", "3", "monetary_total", "65.50",
	        "monetary_avg", "16.375", /* 65.5 / 4 */
	        "first_order", "2024-01-01", "last_order", "2024-03-01",
	        "tenure_days", "90", NULL });
	expect(&t, 0, "A: x, t_x and T in weeks, repeat_value",
	    (const char *const[]){ "x", "2", "t_x",
	        "8.571428571428571",       /* 60/7 */
	        "T", "12.857142857142858", /* 90 / 7 */
	        "repeat_value", "25.25", /* (20 + 30.50) / 2 */ NULL });
	expect(&t, 0, "A: windows (03-01 is 30 days old) and trend",
	    (const char *const[]){ "orders_30d", "0", "spend_30d", "0.00",
	        "orders_90d", "2", "spend_90d", "50.50", "spend_trend",
	        "3.3666666666666667", /* 50.50 / 15.00 */ NULL });
	expect(&t, 0, "A: gaps of 14 and 46 days",
	    (const char *const[]){ "gap_days_mean", "30", "gap_days_sd",
	        "22.627416997969522", /* 32 / sqrt(2) */ NULL });
	expect(&t, 0, "A: items and channels",
	    (const char *const[]){ "distinct_products", "3",
	        "distinct_categories", "2", "top_category",
	        "books", /* 2 orders each: byte order */
	        "share_app", "0.25", "share_store", "0", "share_web", "0.75",
	        NULL });
	expect(&t, 0, "A: service and activity",
	    (const char *const[]){ "refunds", "1", "refund_amount", "5.00",
	        "tickets", "1", "complaints", "0", "rating_mean", "4",
	        "days_since_last_event", "1", "events_30d", "3",
	        "events_prev_30d", "1", NULL });
	expect(&t, 1, "B: one order on the asof day",
	    (const char *const[]){ "recency_days", "0", "orders", "1",
	        "purchase_days", "1", "monetary_total", "7.00", "monetary_avg",
	        "7", "first_order", "2024-03-31", "tenure_days", "0", "x", "0",
	        "t_x", "0", "T", "0", "repeat_value", "", "orders_30d", "1",
	        "spend_30d", "7.00", "spend_trend", "", "spend_cv_3m", "",
	        "gap_days_mean", "", "gap_days_sd", "", "distinct_products",
	        "1", "distinct_categories", "0", "top_category", "",
	        "share_store", "1", "share_web", "0", "rating_mean", "",
	        "events_30d", "1", NULL });
	recin_free(t.r);
	buf_release(&rejected);
	feature_free(f);
}

/* Write f's partial state to the file name in dir. */
static int
partial(struct feature *f, const char *name)
{
	struct ci_err e = { 0 };
	char          path[300];
	FILE         *fp;
	int           rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	rc = feature_write_partial(f, fp, name, &e);
	return fclose(fp) != 0 ? -1 : rc;
}

static int
merge(struct feature *f, const char *name, struct ci_err *e)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return feature_merge(f, path, e);
}

static void
test_partials(const struct buf *single)
{
	struct feature_opts o = options(), none = { .from_partials = true };
	struct feature     *a = feature_new(&o), *b = feature_new(&o);
	struct feature     *m;
	struct ci_err       e = { 0 };
	struct buf          out = { 0 };
	char                path[300];
	FILE               *fp;
	int64_t             asof = 0;

	/* A's rows alternate between the halves; B and C go to the second. */
	add_rows(a, 0x055, false, NULL);
	add_rows(b, 0x3AA, false, NULL);
	ok(partial(a, "a.ndjson") == 0 && partial(b, "b.ndjson") == 0,
	    "two partial states written");

	m = feature_new(&none);
	ok(!feature_asof(m, &asof), "before merging: no point in time");
	ok(merge(m, "b.ndjson", &e) == 0 && merge(m, "a.ndjson", &e) == 0,
	    "merged, options from the first state");
	ok(feature_asof(m, &asof) && asof == ASOF, "the asof of the states");
	write_rows(m, "merged.csv", &out);
	ok(out.len > 0 && out.len == single->len &&
	        memcmp(out.data, single->data, out.len) == 0,
	    "merged rows are the single run's, byte for byte");
	feature_free(m);

	m = feature_new(&o);
	ok(merge(m, "a.ndjson", &e) == 0 && merge(m, "b.ndjson", &e) == 0,
	    "merged into an accumulator with the same options");
	write_rows(m, "merged2.csv", &out);
	ok(out.len == single->len &&
	        memcmp(out.data, single->data, out.len) == 0,
	    "the same bytes again");
	feature_free(m);

	/* States merged and written as a state, then as rows. */
	feature_free(a);
	a = feature_new(&none);
	ok(merge(a, "a.ndjson", &e) == 0 && merge(a, "b.ndjson", &e) == 0 &&
	        partial(a, "ab.ndjson") == 0,
	    "states merged and written as a state");
	m = feature_new(&none);
	merge(m, "ab.ndjson", &e);
	write_rows(m, "merged3.csv", &out);
	ok(out.len == single->len &&
	        memcmp(out.data, single->data, out.len) == 0,
	    "whose rows are the single run's");
	feature_free(m);

	o.unit_days = 1;
	m = feature_new(&o);
	memset(&e, 0, sizeof(e));
	ok(merge(m, "a.ndjson", &e) == -1 && e.code == CI_EXIT_USAGE &&
	        e.line == 1,
	    "a state made with other options (days) is refused at line 1");
	is_str(e.msg,
	    "partial state made with other options (asof, unit, windows, "
	    "label window, zone or channels) than the first",
	    "saying why");
	feature_free(m);

	snprintf(path, sizeof(path), "%s/events.csv", dir);
	fp = fopen(path, "w");
	fputs(header, fp);
	fclose(fp);
	m = feature_new(&none);
	memset(&e, 0, sizeof(e));
	ok(merge(m, "events.csv", &e) == -1 && e.code == CI_EXIT_DATA &&
	        e.line == 1 &&
	        strcmp(e.msg, "not a partial state of ci-features") == 0,
	    "a CSV file is not a partial state");
	fp = fopen(path, "w");
	fclose(fp);
	memset(&e, 0, sizeof(e));
	ok(merge(m, "events.csv", &e) == -1 && e.code == CI_EXIT_DATA &&
	        strcmp(e.msg,
	            "empty file: not a partial state of ci-features") == 0,
	    "nor is an empty file");
	feature_free(m);
	remove(path);
	feature_free(a);
	feature_free(b);
	buf_release(&out);
}

/* The header line of a partial state made with options(). */
static const char state_header[] =
    "{\"ci_features_partial\":1,\"asof\":\"2024-03-31T23:59:59Z\","
    "\"unit_days\":7,\"windows\":[30,90],\"label_window\":0,"
    "\"tz\":\"UTC\",\"channels\":null}\n";

/* Write the text s to the file name in dir. */
static void
put_file(const char *name, const char *s)
{
	char  path[300];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs(s, fp);
		fclose(fp);
	}
}

/* The bytes of the file name in dir, in out. */
static void
get_file(const char *name, struct buf *out)
{
	char   path[300], chunk[4096];
	size_t n;
	FILE  *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf_reset(out);
	if ((fp = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(out, chunk, n);
		fclose(fp);
	}
}

/*
 * Every field of a customer's partial state survives a merge: states with
 * each field set (at the edge of what a reader takes, a day past the
 * 65535 orders of one day record, a customer with no event at or before
 * asof) are merged and written again, byte for byte.
 */
static void
test_state_fields(void)
{
	static const char customers[] =
	    "{\"customer_id\":\"A\",\"last_event\":1711929599,\"label\":true,"
	    "\"refunds\":4294967295,\"refund_amount\":2305843009213693951,"
	    "\"tickets\":2,\"complaints\":3,\"ratings\":4,"
	    "\"rating_sum\":-2305843009213693952,"
	    "\"days\":[[-3,0,1,0],[19700,70000,70001,-5],[19813,1,2,"
	    "9223372036854775807]],\"products\":{\"p1\":4294967295,"
	    "\"p2\":1},\"categories\":{\"b\":1,\"\u00e9\":2},"
	    "\"channels\":{\"web\":7}}\n"
	    "{\"customer_id\":\"B\",\"last_event\":null,\"label\":true,"
	    "\"refunds\":0,\"refund_amount\":0,\"tickets\":0,"
	    "\"complaints\":0,\"ratings\":0,\"rating_sum\":0,\"days\":[],"
	    "\"products\":{},\"categories\":{},\"channels\":{}}\n";
	struct feature_opts none = { .from_partials = true };
	struct feature     *m = feature_new(&none);
	struct ci_err       e = { 0 };
	struct buf          want = { 0 }, got = { 0 };

	buf_addstr(&want, state_header);
	buf_addstr(&want, customers);
	put_file("fields.ndjson", buf_str(&want));
	ok(merge(m, "fields.ndjson", &e) == 0 &&
	        partial(m, "fields2.ndjson") == 0,
	    "a state with every field set merged and written");
	get_file("fields2.ndjson", &got);
	is_str(buf_str(&got), buf_str(&want), "the same state, byte for byte");
	feature_free(m);
	buf_release(&want);
	buf_release(&got);
}

/*
 * A customer line with one field out of what the reader takes is refused,
 * at its line, whichever field it is.
 */
static void
test_state_malformed(void)
{
	static const char *const fields[][2] = {
		{ "\"customer_id\":\"A\"", "\"customer_id\":\"\"" },
		{ "\"last_event\":0", "\"last_event\":\"0\"" },
		{ "\"refunds\":0", "\"refunds\":-1" },
		{ "\"refund_amount\":0",
		    "\"refund_amount\":2305843009213693952" },
		{ "\"tickets\":0", "\"tickets\":4294967296" },
		{ "\"complaints\":0", "\"complaints\":0.5" },
		{ "\"ratings\":0", "\"ratings\":null" },
		{ "\"rating_sum\":0", "\"rating_sum\":-2305843009213693953" },
		{ "\"days\":[]", "\"days\":[[1,2,3]]" },
		{ "\"days\":[]", "\"days\":[[2147483648,0,1,0]]" },
		{ "\"days\":[]", "\"days\":[[1,-1,1,0]]" },
		{ "\"products\":{}", "\"products\":{\"p\":0}" },
		{ "\"categories\":{}", "\"categories\":{\"\":1}" },
		{ "\"channels\":{}", "\"channels\":[]" },
	};
	static const char good[] =
	    "{\"customer_id\":\"A\",\"last_event\":0,\"label\":false,"
	    "\"refunds\":0,\"refund_amount\":0,\"tickets\":0,"
	    "\"complaints\":0,\"ratings\":0,\"rating_sum\":0,\"days\":[],"
	    "\"products\":{},\"categories\":{},\"channels\":{}}\n";
	struct feature_opts none = { .from_partials = true };
	struct feature     *m;
	struct ci_err       e;
	struct buf          text = { 0 }, bad = { 0 };
	const char         *at;
	size_t              i, n = sizeof(fields) / sizeof(fields[0]);
	int                 refused = 0;

	buf_addstr(&text, state_header);
	buf_addstr(&text, good);
	put_file("good.ndjson", buf_str(&text));
	m = feature_new(&none);
	memset(&e, 0, sizeof(e));
	ok(merge(m, "good.ndjson", &e) == 0, "the line to spoil is taken");
	feature_free(m);
	for (i = 0; i < n; i++) {
		at = strstr(good, fields[i][0]);
		buf_reset(&bad);
		buf_addstr(&bad, state_header);
		buf_add(&bad, good, (size_t)(at - good));
		buf_addstr(&bad, fields[i][1]);
		buf_addstr(&bad, at + strlen(fields[i][0]));
		put_file("bad.ndjson", buf_str(&bad));
		m = feature_new(&none);
		memset(&e, 0, sizeof(e));
		if (merge(m, "bad.ndjson", &e) == -1 &&
		    e.code == CI_EXIT_DATA && e.line == 2 &&
		    strcmp(e.msg, "malformed customer state") == 0)
			refused++;
		else
			diag("taken: %s", fields[i][1]);
		feature_free(m);
	}
	is_int(refused, n, "each spoilt field: malformed customer state");
	buf_release(&text);
	buf_release(&bad);
}

/* Without --asof the point in time is the latest event read. */
static void
test_latest(void)
{
	struct feature_opts o = options();
	struct feature     *f;
	int64_t             asof = 0;

	o.has_asof = false;
	o.asof = 0;
	f = feature_new(&o);
	ok(!feature_asof(f, &asof), "no events yet: no point in time");
	add_rows(f, ~0u, false, NULL);
	ok(feature_asof(f, &asof) && asof == 1712275200,
	    "the latest event, C's 2024-04-05T00:00:00Z");
	feature_free(f);
	feature_free(NULL);
}

static void
test_bind(void)
{
	static const char   in[] = "customer_id,amount\n";
	struct recin_opts   o = { 0 };
	struct ci_err       e = { 0 };
	struct feature_cols c;
	FILE               *fp = fmemopen((void *)in, sizeof(in) - 1, "rb");
	struct recin       *r = recin_open_stream(fp, "x.csv", &o, &e);

	ok(feature_bind(r, &c, &e) == -1 && e.code == CI_EXIT_USAGE,
	    "a missing ts is a usage error");
	is_str(e.msg,
	    "missing column 'ts'; columns are: 'customer_id', 'amount'",
	    "naming it and the columns");
	recin_free(r);
	fclose(fp);
}

int
main(void)
{
	struct buf single = { 0 };
	char       cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	plan(16 + 13 + 2 + 2 + 2 + 2);
	test_single(&single);
	test_partials(&single);
	test_state_fields();
	test_state_malformed();
	test_latest();
	test_bind();
	buf_release(&single);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
