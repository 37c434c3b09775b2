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
 * refused, as is a header of another format version or with options no
 * run could have.
 *
 * Then the features of issue 19, each worked out by hand on a fixture of
 * its own (test_orders, test_service, test_rhythm): orders as distinct
 * order ids, net spend and refunds, the service windows, the rule of the
 * spend volatility, and the rhythm; money past int64 (test_money); and
 * the description of the columns (test_describe).
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
	char          cell[8][64][64]; /* row, column, text */
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
	while (t->nrows < 8 && recin_read(t->r, &rec, &e) == REC_ROW) {
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
	    "customer_id,recency_days,orders,order_lines,purchase_days,"
	    "monetary_total,monetary_avg,first_order,last_order,tenure_days,"
	    "x,t_x,T,repeat_value,orders_30d,spend_30d,orders_90d,spend_90d,"
	    "spend_prev_90d,spend_trend,spend_cv_3m,spend_cv_12m,"
	    "gap_days_mean,gap_days_sd,days_between_last_two,"
	    "distinct_products,distinct_categories,top_category,top_channel,"
	    "share_app,share_store,share_web,refunds,refund_amount,net_spend,"
	    "net_spend_365d,refund_rate,tickets,tickets_30d,tickets_90d,"
	    "complaints,complaints_90d,days_since_last_complaint,rating_mean,"
	    "rating_mean_90d,rating_trend,days_since_last_event,events_30d,"
	    "events_prev_30d,unit",
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
	        "events_prev_30d", "1", "unit", "week", NULL });
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
	    "label window, zone, channels or topics) than the first",
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
    "{\"ci_features_partial\":3,\"asof\":\"2024-03-31T23:59:59Z\","
    "\"unit_days\":7,\"windows\":[30,90],\"label_window\":0,"
    "\"tz\":\"UTC\",\"channels\":null,\"topics\":[\"delivery\","
    "\"app\"],\"sentiment\":true}\n";

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
 * 65535 lines of one day record, a customer with no event at or before
 * asof) are merged and written again, byte for byte.  Sums past what one
 * entry holds are written in the fewest entries, each as full as it can
 * be.
 */
static void
test_state_fields(void)
{
	static const char customers[] =
	    "{\"customer_id\":\"A\",\"last_event\":1711929599,\"label\":true,"
	    "\"days\":[[-3,0,1,0],[19700,70000,70001,-5],[19813,1,2,"
	    "9223372036854775807]],"
	    "\"service\":[[19700,4294967295,9223372036854775807,2,3,4,"
	    "-9223372036854775808,4294967295,-9223372036854775808,"
	    "4294967295],[19813,0,0,0,0,1,40000,2,-1300,2]],"
	    "\"orders\":[[null,19700,null,null,4294967295],"
	    "[\"o1\",19813,\"web\",\"b\",2],[\"o1\",19813,\"web\","
	    "\"\u00e9\",1]],"
	    "\"products\":[\"p1\",\"p2\"],"
	    "\"neg_topics\":[[-25567,1,4294967295],[19813,0,2],[19813,1,1]]}\n"
	    "{\"customer_id\":\"B\",\"last_event\":null,\"label\":true,"
	    "\"days\":[],\"service\":[],\"orders\":[],\"products\":[],"
	    "\"neg_topics\":[]}\n";
	static const char twice[] =
	    "{\"customer_id\":\"C\",\"last_event\":1,\"label\":false,"
	    "\"days\":[[7,4294967295,1,9223372036854775807]],"
	    "\"service\":[[7,1,9223372036854775807,0,0,0,0,4294967295,"
	    "-1000,4294967295]],"
	    "\"orders\":[[\"o\",7,null,null,4294967295]],\"products\":[],"
	    "\"neg_topics\":[[7,1,3]]}\n";
	static const char summed[] =
	    "{\"customer_id\":\"C\",\"last_event\":1,\"label\":false,"
	    "\"days\":[[7,4294967295,2,9223372036854775807],"
	    "[7,4294967295,0,9223372036854775807]],"
	    "\"service\":[[7,2,9223372036854775807,0,0,0,0,4294967295,"
	    "-2000,4294967295],"
	    "[7,0,9223372036854775807,0,0,0,0,4294967295,0,4294967295]],"
	    "\"orders\":[[\"o\",7,null,null,4294967295],"
	    "[\"o\",7,null,null,4294967295]],\"products\":[],"
	    "\"neg_topics\":[[7,1,6]]}\n";
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

	buf_reset(&want);
	buf_addstr(&want, state_header);
	buf_addstr(&want, twice);
	put_file("twice.ndjson", buf_str(&want));
	m = feature_new(&none);
	ok(merge(m, "twice.ndjson", &e) == 0 &&
	        merge(m, "twice.ndjson", &e) == 0 &&
	        partial(m, "summed.ndjson") == 0,
	    "a state at the edge of each entry merged with itself");
	get_file("summed.ndjson", &got);
	buf_reset(&want);
	buf_addstr(&want, state_header);
	buf_addstr(&want, summed);
	is_str(buf_str(&got), buf_str(&want),
	    "sums past an entry's range kept exactly, in two full entries");
	feature_free(m);
	buf_release(&want);
	buf_release(&got);
}

/*
 * A customer line with one field out of what the reader takes is refused,
 * at its line, whichever field it is; so is anything after the point in
 * time the state was made at (day 19813), which no run writes.
 */
static void
test_state_malformed(void)
{
	static const char *const fields[][2] = {
		{ "\"customer_id\":\"A\"", "\"customer_id\":\"\"" },
		{ "\"last_event\":0", "\"last_event\":\"0\"" },
		{ "\"last_event\":0", "\"last_event\":1711929600" },
		{ "\"days\":[]", "\"days\":[[19814,0,1,0]]" },
		{ "\"service\":[]", "\"service\":[[19814,1,0,0,0,0,0,0,0,0]]" },
		{ "\"orders\":[]", "\"orders\":[[null,19814,null,null,1]]" },
		{ "\"days\":[]", "\"days\":[[1,2,3]]" },
		{ "\"days\":[]", "\"days\":[[2147483648,0,1,0]]" },
		{ "\"days\":[]", "\"days\":[[1,-1,1,0]]" },
		{ "\"days\":[]", "\"days\":[[1,4294967296,1,0]]" },
		{ "\"days\":[]", "\"days\":{}" },
		{ "\"service\":[]", "\"service\":[[1,-1,0,0,0,0,0,0,0,0]]" },
		{ "\"service\":[]", "\"service\":[[1,0,-1,0,0,0,0,0,0,0]]" },
		{ "\"service\":[]", "\"service\":[[1,0,0,0,0,0,0,0,0]]" },
		{ "\"service\":[]",
		    "\"service\":[[1,0,0,0,0,4294967296,0,0,0,0]]" },
		{ "\"service\":[]", "\"service\":[[1,0,0,0,0,1,0.5,0,0,0]]" },
		{ "\"service\":[]", "\"service\":[[1,0,0,0,0,0,0,-1,0,0]]" },
		{ "\"service\":[]",
		    "\"service\":[[1,0,0,0,0,0,0,1,0,4294967296]]" },
		{ "\"neg_topics\":[]", "\"neg_topics\":[[19814,0,1]]" },
		{ "\"neg_topics\":[]", "\"neg_topics\":[[1,2,1]]" },
		{ "\"neg_topics\":[]", "\"neg_topics\":[[1,0,0]]" },
		{ "\"neg_topics\":[]", "\"neg_topics\":[[1,0]]" },
		{ "\"neg_topics\":[]", "\"neg_topics\":{}" },
		{ "\"orders\":[]", "\"orders\":[[\"\",1,null,null,1]]" },
		{ "\"orders\":[]", "\"orders\":[[null,1,null,null,0]]" },
		{ "\"orders\":[]", "\"orders\":[[null,1,\"\",null,1]]" },
		{ "\"orders\":[]", "\"orders\":[[null,1,null,7,1]]" },
		{ "\"orders\":[]", "\"orders\":[[5,1,null,null,1]]" },
		{ "\"orders\":[]", "\"orders\":[[null,1,null,null]]" },
		{ "\"products\":[]", "\"products\":[\"\"]" },
		{ "\"products\":[]", "\"products\":{\"p\":1}" },
		{ "\"products\":[]", "\"products\":[1]" },
	};
	static const char good[] =
	    "{\"customer_id\":\"A\",\"last_event\":0,\"label\":false,"
	    "\"days\":[],\"service\":[],\"orders\":[],\"products\":[],"
	    "\"neg_topics\":[]}\n";
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

/*
 * A header of another format version is refused as a model file of
 * another version is (CI_EXIT_MODEL), naming it; one whose options no
 * run could have made (windows that do not increase, none, a channel
 * twice) is malformed.
 */
static void
test_state_headers(void)
{
	static const struct {
		const char *from, *to, *msg;
		int         code;
	} cases[] = {
		{ "\"ci_features_partial\":3", "\"ci_features_partial\":4",
		    "partial state of format version 4; this ci-features reads "
		    "version 3 only",
		    CI_EXIT_MODEL },
		{ "\"ci_features_partial\":3", "\"ci_features_partial\":2",
		    "partial state of format version 2; this ci-features reads "
		    "version 3 only",
		    CI_EXIT_MODEL },
		{ "\"ci_features_partial\":3", "\"ci_features_partial\":\"3\"",
		    "bad format version in the partial state's header",
		    CI_EXIT_DATA },
		{ "\"windows\":[30,90]", "\"windows\":[90,30]",
		    "bad windows in the partial state's header: want 1 to 8 "
		    "increasing lengths in days",
		    CI_EXIT_DATA },
		{ "\"windows\":[30,90]", "\"windows\":[]",
		    "bad windows in the partial state's header: want 1 to 8 "
		    "increasing lengths in days",
		    CI_EXIT_DATA },
		{ "\"channels\":null", "\"channels\":[\"web\",\"web\"]",
		    "bad channels in the partial state's header: want null or "
		    "distinct names",
		    CI_EXIT_DATA },
		{ "\"app\"]", "\"delivery\"]",
		    "bad topics in the partial state's header: want at most 64 "
		    "distinct names",
		    CI_EXIT_DATA },
		{ "\"sentiment\":true", "\"sentiment\":\"yes\"",
		    "bad sentiment in the partial state's header: want true or "
		    "false",
		    CI_EXIT_DATA },
	};
	struct feature_opts none = { .from_partials = true }, o = options();
	struct feature     *m;
	struct ci_err       e;
	struct buf          text = { 0 };
	const char         *at;
	size_t              i, n = sizeof(cases) / sizeof(cases[0]);
	int                 right = 0, later = 0;

	for (i = 0; i < n; i++) {
		at = strstr(state_header, cases[i].from);
		buf_reset(&text);
		buf_add(&text, state_header, (size_t)(at - state_header));
		buf_addstr(&text, cases[i].to);
		buf_addstr(&text, at + strlen(cases[i].from));
		put_file("header.ndjson", buf_str(&text));
		m = feature_new(&none);
		memset(&e, 0, sizeof(e));
		if (merge(m, "header.ndjson", &e) == -1 &&
		    e.code == cases[i].code && e.line == 1 &&
		    strcmp(e.msg, cases[i].msg) == 0)
			right++;
		else
			diag("%s: %d '%s'", cases[i].to, e.code, e.msg);
		feature_free(m);
		/* A version is checked on every header, not only the first. */
		m = feature_new(&o);
		memset(&e, 0, sizeof(e));
		if (cases[i].code != CI_EXIT_MODEL ||
		    (merge(m, "header.ndjson", &e) == -1 &&
		        e.code == CI_EXIT_MODEL))
			later++;
		feature_free(m);
	}
	is_int(right, n, "each header refused with its code and reason");
	is_int(later, n,
	    "another version refused by an accumulator with "
	    "options too");
	buf_release(&text);
}

/* Add the CSV text (a header and rows) to f; the messages of rejected
 * rows go to rejected (may be NULL).  Returns the rows refused. */
static int
add_text(struct feature *f, const char *text, struct buf *rejected)
{
	struct recin_opts   o = { 0 };
	struct ci_err       e = { 0 };
	struct feature_cols c;
	struct recin       *r;
	struct rec          rec;
	FILE               *fp;
	int                 nbad = 0;

	fp = fmemopen((void *)text, strlen(text), "rb");
	r = recin_open_stream(fp, "events.csv", &o, &e);
	if (r == NULL || feature_bind(r, &c, &e) < 0)
		nbad = -1;
	while (nbad >= 0 && recin_read(r, &rec, &e) == REC_ROW)
		if (feature_add(f, &c, &rec, "events.csv", &e) < 0) {
			nbad++;
			if (rejected != NULL)
				buf_addf(rejected, "%s:%lu: %s\n", e.file,
				    e.line, e.msg);
		}
	recin_free(r);
	fclose(fp);
	return nbad;
}

static const char shop_header[] =
    "customer_id,ts,type,order_id,amount,category,channel,rating\n";

/*
 * Orders as distinct order ids.  O's lines, as of 2024-03-31 (day 19813):
 *   o1  three lines on 03-30 (web; books, books, music): 10, 20, 30
 *   o2  a line on 01-01 (app, books) of 5 and one on 03-25 (web, toys)
 *       of 5: its last line is 6 days old
 *   o3  one line on 2023-12-01 (store, music) of 40, 121 days old
 *   and a line of no order id on 02-15 (web, books) of 15, 45 days old.
 * Four orders of seven lines; in the last 30 days o1 and o2, in the last
 * 90 those and the line of no id.  By channel (an order counting once for
 * each of its lines' channels): web o1, o2 and the line, app o2, store
 * o3; by category books 3, music 2, toys 1.  Split in two parts that cut
 * o1 and o2 (and a refund of o1 from its order), the partial states merge
 * to the same rows.
 */
static const char *const shop_rows[] = {
	"O,2024-03-30T10:00:00Z,order,o1,10.00,books,web,\n",
	"O,2024-03-30T10:00:00Z,order,o1,20.00,books,web,\n",
	"O,2024-03-30T10:00:00Z,order,o1,30.00,music,web,\n",
	"O,2024-01-01T10:00:00Z,order,o2,5.00,books,app,\n",
	"O,2024-03-25T10:00:00Z,order,o2,5.00,toys,web,\n",
	"O,2023-12-01T10:00:00Z,order,o3,40.00,music,store,\n",
	"O,2024-02-15T10:00:00Z,order,,15.00,books,web,\n",
	"O,2024-03-31T09:00:00Z,refund,o1,-30.00,music,web,\n",
};
#define NSHOP (sizeof(shop_rows) / sizeof(shop_rows[0]))

/* The shop rows whose bit is set in mask, as CSV text in out. */
static void
shop_text(unsigned mask, struct buf *out)
{
	size_t i;

	buf_reset(out);
	buf_addstr(out, shop_header);
	for (i = 0; i < NSHOP; i++)
		if (mask & (1u << i))
			buf_addstr(out, shop_rows[i]);
}

static void
test_orders(void)
{
	struct feature_opts o = options();
	struct feature     *f = feature_new(&o), *a, *b, *m;
	struct feature_opts none = { .from_partials = true };
	struct ci_err       e = { 0 };
	struct buf          text = { 0 }, single = { 0 }, out = { 0 };
	struct table        t;

	shop_text(~0u, &text);
	add_text(f, buf_str(&text), NULL);
	write_rows(f, "shop.csv", &single);
	load_table(&t, "shop.csv");
	expect(&t, 0, "O: distinct order ids are the orders",
	    (const char *const[]){ "orders", "4", "order_lines", "7",
	        "purchase_days", "5", "monetary_total", "125.00",
	        "monetary_avg", "31.25", /* 125 / 4 orders */
	        "orders_30d", "2", "spend_30d", "65.00", "orders_90d", "3",
	        "spend_90d", "80.00", NULL });
	expect(&t, 0, "O: channels and categories by order",
	    (const char *const[]){ "share_app", "0.25", "share_store", "0.25",
	        "share_web", "0.75", "top_channel", "web", "top_category",
	        "books", "distinct_categories", "3", NULL });
	expect(&t, 0, "O: the refund of o1, netted",
	    (const char *const[]){ "refund_amount", "30.00", "net_spend",
	        "95.00", "net_spend_365d", "95.00", "refund_rate", "0.24",
	        "days_between_last_two", "5", NULL });
	recin_free(t.r);

	/* o1 and o2 cut across two parts, the refund apart from o1. */
	a = feature_new(&o);
	b = feature_new(&o);
	shop_text(0x0A5, &text);
	add_text(a, buf_str(&text), NULL);
	shop_text(0x05A, &text);
	add_text(b, buf_str(&text), NULL);
	ok(partial(a, "shop-a.ndjson") == 0 && partial(b, "shop-b.ndjson") == 0,
	    "the shop in two parts, orders cut across them");
	m = feature_new(&none);
	merge(m, "shop-b.ndjson", &e);
	merge(m, "shop-a.ndjson", &e);
	write_rows(m, "shop-merged.csv", &out);
	ok(out.len > 0 && out.len == single.len &&
	        memcmp(out.data, single.data, out.len) == 0,
	    "merged, the same rows as one run");
	feature_free(m);
	feature_free(a);
	feature_free(b);

	/* Without order_id every line is an order. */
	feature_free(f);
	f = feature_new(&o);
	add_text(f,
	    "customer_id,ts,amount\n"
	    "N,2024-03-30T10:00:00Z,1\n"
	    "N,2024-03-30T11:00:00Z,2\n"
	    "N,2024-03-01T11:00:00Z,3\n",
	    NULL);
	write_rows(f, "lines.csv", &out);
	load_table(&t, "lines.csv");
	expect(&t, 0, "N: without order_id, a line is an order",
	    (const char *const[]){ "orders", "3", "order_lines", "3",
	        "monetary_avg", "2", "orders_30d", "2", NULL });
	recin_free(t.r);
	feature_free(f);
	buf_release(&text);
	buf_release(&single);
	buf_release(&out);
}

/*
 * Service in windows, refunds netted, and the volatility rule.  P, as of
 * 2024-03-31: one order of 100 on 01-10 (81 days old); refunds of 40 on
 * 02-01 and of 10 on 2023-01-01 (455 days old); tickets 11, 59 and 152
 * days old; complaints 30 (rated 2) and 183 days old; reviews rated 5 (107
 * days old) and 4 (on the asof day).
 */
static void
test_service(void)
{
	struct feature_opts o = options();
	struct feature     *f = feature_new(&o);
	struct buf          out = { 0 };
	struct table        t;

	add_text(f,
	    "customer_id,ts,type,amount,rating\n"
	    "P,2024-01-10T10:00:00Z,order,100,\n"
	    "P,2024-02-01T10:00:00Z,refund,-40,\n"
	    "P,2023-01-01T10:00:00Z,refund,-10,\n"
	    "P,2024-03-20T10:00:00Z,ticket,,\n"
	    "P,2024-02-01T10:00:00Z,ticket,,\n"
	    "P,2023-10-31T10:00:00Z,ticket,,\n"
	    "P,2024-03-01T10:00:00Z,complaint,,2\n"
	    "P,2023-09-30T10:00:00Z,complaint,,\n"
	    "P,2023-12-15T10:00:00Z,review,,5\n"
	    "P,2024-03-31T10:00:00Z,review,,4\n",
	    NULL);
	write_rows(f, "service.csv", &out);
	load_table(&t, "service.csv");
	expect(&t, 0, "P: refunds netted, gross monetary_total",
	    (const char *const[]){ "monetary_total", "100.00", "refund_amount",
	        "50.00", "net_spend", "50.00", "net_spend_365d",
	        "60.00", /* the old refund is out */
	        "refund_rate", "0.5", NULL });
	expect(&t, 0, "P: tickets and complaints in their windows",
	    (const char *const[]){ "tickets", "3", "tickets_30d", "1",
	        "tickets_90d", "2", "complaints", "2", "complaints_90d", "1",
	        "days_since_last_complaint", "30", NULL });
	expect(&t, 0, "P: ratings, the last 90 days against the 90 before",
	    (const char *const[]){ "rating_mean", "3.6666666666666665",
	        "rating_mean_90d", "3", /* (2 + 4) / 2 */
	        "rating_trend", "-2",   /* 3 - 5 */
	        NULL });
	expect(&t, 0, "P: one purchase day: no volatility, no last gap",
	    (const char *const[]){ "spend_cv_3m", "", "spend_cv_12m", "",
	        "days_between_last_two", "", "spend_prev_90d", "0.00", NULL });
	recin_free(t.r);
	feature_free(f);
	buf_release(&out);
}

/*
 * The rhythm: Q orders 10 on 01-31 and 10 on 03-31, the asof day, so its
 * tenure is 60 days, two whole 30-day blocks (10 and 0: a coefficient of
 * 1), the first order in the older one's first day; R orders on 02-02 (58
 * days old) and 03-31: its older block is partial, so it has none.  S
 * orders 7 on 2023-11-15 (137 days old) and 3 on 03-01.
 */
static void
test_rhythm(void)
{
	struct feature_opts o = options();
	struct feature     *f = feature_new(&o);
	struct buf          out = { 0 };
	struct table        t;

	add_text(f,
	    "customer_id,ts,amount\n"
	    "Q,2024-01-31T10:00:00Z,10\n"
	    "Q,2024-03-31T10:00:00Z,10\n"
	    "R,2024-02-02T10:00:00Z,10\n"
	    "R,2024-03-31T10:00:00Z,10\n"
	    "S,2023-11-15T10:00:00Z,7\n"
	    "S,2024-03-01T10:00:00Z,3\n",
	    NULL);
	write_rows(f, "rhythm.csv", &out);
	load_table(&t, "rhythm.csv");
	expect(&t, 0, "Q: two whole blocks",
	    (const char *const[]){ "tenure_days", "60", "spend_cv_3m", "1",
	        "spend_cv_12m", "1", "days_between_last_two", "60", NULL });
	expect(&t, 1, "R: one whole block",
	    (const char *const[]){ "tenure_days", "58", "spend_cv_3m", "",
	        "spend_cv_12m", "", "days_between_last_two", "58", NULL });
	expect(&t, 2, "S: the spend of the 90 days before the last 90",
	    (const char *const[]){ "spend_90d", "3.00", "spend_prev_90d",
	        "7.00", "spend_trend", "0.42857142857142855",
	        "days_between_last_two", "107", NULL });
	recin_free(t.r);
	feature_free(f);
	buf_release(&out);
}

/*
 * Money past int64: two orders of the largest amount are summed exactly,
 * in rows and through a partial state and a merge; a refund of the
 * smallest, whose absolute value does not fit, is refused.
 */
static void
test_money(void)
{
	static const char text[] =
	    "customer_id,ts,type,amount\n"
	    "M,2024-03-01T10:00:00Z,order,922337203685477.5807\n"
	    "M,2024-03-01T11:00:00Z,order,922337203685477.5807\n"
	    "M,2024-03-02T11:00:00Z,refund,-922337203685477.5808\n";
	struct feature_opts o = options(), none = { .from_partials = true };
	struct feature     *f = feature_new(&o), *m;
	struct ci_err       e = { 0 };
	struct buf          rejected = { 0 }, single = { 0 }, out = { 0 };
	struct table        t;

	is_int(add_text(f, text, &rejected), 1, "one row refused");
	is_str(buf_str(&rejected),
	    "events.csv:4: bad amount '-922337203685477.5808': refund too "
	    "large\n",
	    "the refund whose absolute value does not fit");
	ok(partial(f, "money.ndjson") == 0, "a partial state of the sums");
	get_file("money.ndjson", &out);
	ok(strstr(buf_str(&out),
	       "\"days\":[[19783,2,2,9223372036854775807],"
	       "[19783,0,0,9223372036854775807]]") != NULL,
	    "its day in two entries, each within int64");
	feature_free(f);
	f = feature_new(&o);
	add_text(f, text, NULL);
	write_rows(f, "money.csv", &single);
	load_table(&t, "money.csv");
	expect(&t, 0, "M: the sums past int64, exact",
	    (const char *const[]){ "monetary_total", "1844674407370955.1614",
	        "spend_90d", "1844674407370955.1614", "net_spend",
	        "1844674407370955.1614", "monetary_avg", "922337203685477.6",
	        NULL });
	recin_free(t.r);
	m = feature_new(&none);
	merge(m, "money.ndjson", &e);
	write_rows(m, "money-merged.csv", &out);
	ok(out.len > 0 && out.len == single.len &&
	        memcmp(out.data, single.data, out.len) == 0,
	    "merged from the state: the same rows");
	feature_free(m);
	feature_free(f);
	buf_release(&rejected);
	buf_release(&single);
	buf_release(&out);
}

/*
 * The description lists the columns feature_columns() gives, in order,
 * with their windows' lengths and the unit of t_x and T.
 */
static void
test_describe(void)
{
	static const char *const chans[] = { "web", "app" };
	struct feature_opts      o = options();
	struct feature          *f, *g;
	struct ci_err            e = { 0 };
	struct recout           *w;
	const char *const       *cols;
	const char *const        head[] = { "name", "unit", "definition" };
	struct buf               got = { 0 }, want = { 0 }, names = { 0 };
	const char              *line, *nl;
	char                     path[300];
	size_t                   i, n;

	o.channels = (char *const *)chans;
	o.nchannels = 2;
	o.unit_days = 1;
	o.label_window = 86400;
	f = feature_new(&o);
	g = feature_new(&o);
	snprintf(path, sizeof(path), "%s/describe.csv", dir);
	w = recout_open(path, REC_FMT_CSV, head, 3, &e);
	ok(w != NULL && feature_describe(f, w, &e) == 0 &&
	        recout_close(w, &e) == 0,
	    "described");
	get_file("describe.csv", &got);
	n = feature_columns(g, &cols);
	buf_addstr(&want, "name");
	for (i = 0; i < n; i++) {
		buf_addf(&want, ",%s", cols[i]);
		/* Described, though events without sentiment give none. */
		if (strcmp(cols[i], "rating_trend") == 0)
			buf_addstr(&want,
			    ",sentiment_mean_90d,negative_texts_90d,"
			    "last_sentiment,neg_topic_<topic>_90d");
	}
	/* The names are the first fields, none quoted. */
	for (line = buf_str(&got); *line != '\0'; line = nl + 1) {
		buf_addf(&names, "%s%.*s", line == got.data ? "" : ",",
		    (int)strcspn(line, ","), line);
		if ((nl = strchr(line, '\n')) == NULL)
			break;
	}
	is_str(buf_str(&names), buf_str(&want),
	    "a row per column written, in order");
	ok(strstr(buf_str(&got),
	       "\nt_x,days,from the first to the last purchase day (empty: no "
	       "order)\n") != NULL &&
	        strstr(buf_str(&got),
	            "\norders_90d,count,orders with a line in the last 90 "
	            "days\n") != NULL &&
	        strstr(buf_str(&got), "\nshare_app,ratio,") != NULL,
	    "units and windows as the options make them");
	feature_free(f);
	feature_free(g);
	buf_release(&got);
	buf_release(&want);
	buf_release(&names);
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
	plan(16 + 13 + 4 + 2 + 2 + 6 + 4 + 3 + 6 + 3 + 2 + 2);
	test_single(&single);
	test_partials(&single);
	test_state_fields();
	test_state_malformed();
	test_state_headers();
	test_orders();
	test_service();
	test_rhythm();
	test_money();
	test_describe();
	test_latest();
	test_bind();
	buf_release(&single);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
