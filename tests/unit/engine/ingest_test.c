/*
 * ingest_test: the ci-ingest engine through ingest_run(), on small files
 * in a temporary directory.  What the golden cases of ci-ingest cannot see
 * directly: the counts of struct ingest_stats (rows, written per kind,
 * rejected, emptied values, blank lines, files, the quality light, the
 * notes), two kinds from a source map written to two outputs at once, raw
 * mode's conversion, and the errors (a missing column, an unreadable
 * file) as they come back in struct ci_err.  The normalisation of each
 * kind of value is the business of its own module's test.  The test runs
 * in its temporary directory, so that file names are short.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "ingest.h"
#include "tap.h"

static char dir[] = "/tmp/ingest_test.XXXXXX";

static void
put(const char *name, const char *text)
{
	FILE *fp = fopen(name, "w");

	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* The contents of the file name in dir, or "(none)". */
static const char *
slurp(const char *name)
{
	static struct buf b;
	char              chunk[4096];
	size_t            n;
	FILE             *fp;

	buf_reset(&b);
	if (name == NULL) {
		buf_release(&b);
		return NULL;
	}
	if ((fp = fopen(name, "rb")) == NULL)
		return "(none)";
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_str(&b);
}

/* The stats as one line. */
static const char *
stats(const struct ingest_stats *st)
{
	static char s[256];

	snprintf(s, sizeof(s),
	    "rows=%llu customers=%llu events=%llu emptied=%llu blank=%llu "
	    "files=%zu light=%d",
	    (unsigned long long)st->rows,
	    (unsigned long long)st->written[CI_KIND_CUSTOMER],
	    (unsigned long long)st->written[CI_KIND_EVENT],
	    (unsigned long long)st->emptied,
	    (unsigned long long)st->blank_lines, st->files, (int)st->light);
	return s;
}

static void
test_events(void)
{
	static const char *const cols[] = { "customer_id=cust", "ts=order_time",
		"amount=total", "type=kind", "channel=chan" };
	struct srcmap            m = { 0 };
	struct srcmap_defaults   d = { 0 };
	struct recin_opts        in = { 0 };
	struct ingest_opts       o = { 0 };
	struct ingest_stats      st;
	struct ci_err            e = { 0 };
	struct rejects          *rj;
	char *const              paths[] = { (char *)"orders.csv" };

	put("orders.csv",
	    "cust,order_time,total,kind,chan,note\n"
	    "c1,2024-03-01 10:00,\"1,234.50\",sale,官网,first\n"
	    "c2,2024-03-02T08:00:00+08:00,¥88,return,APP,\n"
	    "\n"
	    ",2024-03-03,5,sale,web,x\n"
	    "c3,not a date,5,sale,web,y\n"
	    "c4,2024-03-04,12;3,visit,Carrier  Pigeon,z\n");
	srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, cols, 5, &d, &e);
	rj = rejects_open("rejects.ndjson", NULL, &e);
	o.map = &m;
	o.in.paths = paths;
	o.in.npaths = 1;
	o.out[CI_KIND_EVENT] = "events.csv";
	o.quality = "quality.json";
	o.today = 19813;
	is_int(ingest_run(&o, rj, &st, &e), 0, "events: ingest_run succeeds");
	is_str(slurp("events.csv"),
	    "customer_id,source,ts,type,order_id,amount,currency,product_id,"
	    "category,channel,rating,text,note\n"
	    "c1,orders,2024-03-01T10:00:00Z,order,,1234.50,,,,web,,,first\n"
	    "c2,orders,2024-03-02T00:00:00Z,refund,,88.00,CNY,,,app,,,\n"
	    "c4,orders,2024-03-04T00:00:00Z,visit,,,,,,carrier pigeon,,,z\n",
	    "events: canonical columns, then the others; values normalised, "
	    "a bad amount emptied");
	is_str(stats(&st),
	    "rows=5 customers=0 events=3 emptied=1 blank=1 files=1 light=2",
	    "events: 5 rows, 3 written, 1 value emptied, 1 blank line; red");
	ok(rejects_count(rj) == 2 && rejects_close(rj, &e) == 0,
	    "events: 2 rows rejected");
	is_str(slurp("rejects.ndjson"),
	    "{\"file\":\"orders.csv\",\"line\":5,\"reasons\":[\"missing "
	    "customer_id in column 'cust'\"],\"raw\":\",2024-03-03,5,sale,"
	    "web,x\"}\n"
	    "{\"file\":\"orders.csv\",\"line\":6,\"reasons\":[\"bad ts 'not a "
	    "date' in column 'order_time': unrecognised date\"],\"raw\":\"c3,"
	    "not a date,5,sale,web,y\"}\n",
	    "events: the rejected rows with their lines and reasons");
	ok(strstr(slurp("quality.json"), "\"rows\": 5,\n") != NULL &&
	        strstr(slurp("quality.json"), "\"rejected\": 2,\n") != NULL,
	    "events: the quality report counts them");
	buf_release(&st.notes);
	srcmap_release(&m);
}

static void
test_two_kinds(void)
{
	struct srcmap          m = { 0 };
	struct srcmap_defaults d = { 0 };
	struct ingest_opts     o = { 0 };
	struct ingest_stats    st;
	struct ci_err          e = { 0 };
	struct rejects        *rj = rejects_open(NULL, stderr, &e);
	char *const paths[] = { (char *)"crm.csv", (char *)"shop.csv",
		(char *)"shop-empty.csv" };

	put("map.yaml",
	    "sources:\n"
	    "  - name: crm\n"
	    "    kind: customer\n"
	    "    files: crm*.csv\n"
	    "    fields: {source_key: id, gender: sex}\n"
	    "  - name: shop\n"
	    "    kind: event\n"
	    "    files: shop*.csv\n"
	    "    fields: {customer_id: who, ts: when}\n");
	put("crm.csv", "id,name,sex\n1,  Ann   Lee ,F\n2,Bob,男\n");
	put("shop.csv", "who,when\n1,2024-01-02\n");
	put("shop-empty.csv", "");
	ok(srcmap_load(&m, "map.yaml", &d, &e) == 0, "a map of two kinds");
	o.map = &m;
	o.in.paths = paths;
	o.in.npaths = 3;
	o.out[CI_KIND_CUSTOMER] = "customers.csv";
	o.out[CI_KIND_EVENT] = "events2.csv";
	o.today = 19813;
	is_int(
	    ingest_run(&o, rj, &st, &e), 0, "two kinds: ingest_run succeeds");
	is_str(slurp("customers.csv"),
	    "source,source_key,name,email,phone,id_number,birth_date,gender,"
	    "city,address,created_at\n"
	    "crm,1,Ann Lee,,,,,female,,,\n"
	    "crm,2,Bob,,,,,male,,,\n",
	    "customers to their output, name blanks collapsed, genders "
	    "mapped");
	is_str(slurp("events2.csv"),
	    "customer_id,source,ts,type,order_id,amount,currency,product_id,"
	    "category,channel,rating,text\n"
	    "1,shop,2024-01-02T00:00:00Z,order,,,,,,,,\n",
	    "events to theirs, an event without a type an order");
	is_str(stats(&st),
	    "rows=3 customers=2 events=1 emptied=0 blank=0 files=3 light=0",
	    "two kinds: 3 rows in 3 files; green");
	is_str(buf_str(&st.notes), "shop-empty.csv: empty input\n",
	    "a note for the empty input");
	buf_release(&st.notes);
	rejects_close(rj, &e);
	srcmap_release(&m);
}

static void
test_raw(void)
{
	struct ingest_opts  o = { 0 };
	struct ingest_stats st;
	struct ci_err       e = { 0 };
	struct rejects     *rj = rejects_open(NULL, stderr, &e);
	char *const         paths[] = { (char *)"raw.csv" };
	int                 fd, saved, rc;

	put("raw.csv", "a,b\n1,\" x,y\"\n2,\n");
	o.raw = true;
	o.in.paths = paths;
	o.in.npaths = 1;
	/* Raw output goes to stdout (ci-ingest refuses output paths). */
	fflush(stdout);
	saved = dup(1);
	fd = open("raw.ndjson", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 1);
	close(fd);
	rc = ingest_run(&o, rj, &st, &e);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	is_int(rc, 0, "raw: ingest_run succeeds");
	is_str(slurp("raw.ndjson"),
	    "{\"a\":\"1\",\"b\":\" x,y\"}\n{\"a\":\"2\",\"b\":null}\n",
	    "raw: CSV becomes NDJSON on stdout, values untouched, empty ones "
	    "null");
	ok(st.rows == 2 && st.written[0] == 2 && st.files == 1,
	    "raw: 2 rows written");
	buf_release(&st.notes);
	rejects_close(rj, &e);
}

static void
test_errors(void)
{
	static const char *const cols[] = { "customer_id=client",
		"ts=order_time" };
	static const char *const no_ts[] = { "customer_id=cust" };
	struct srcmap            m = { 0 };
	struct srcmap_defaults   d = { 0 };
	struct recin_opts        in = { 0 };
	struct ingest_opts       o = { 0 };
	struct ingest_stats      st;
	struct ci_err            e = { 0 };
	struct rejects          *rj = rejects_open(NULL, stderr, &e);
	char *const              paths[] = { (char *)"orders.csv" };
	char *const              missing[] = { (char *)"nope.csv" };

	srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, cols, 2, &d, &e);
	o.map = &m;
	o.in.paths = paths;
	o.in.npaths = 1;
	o.out[CI_KIND_EVENT] = "never.csv";
	ok(ingest_run(&o, rj, &st, &e) == -1 && e.code == CI_EXIT_USAGE,
	    "a mapped column missing from the input is a usage error");
	is_str(e.msg,
	    "missing column 'client'; columns are: 'cust', 'order_time', "
	    "'total', 'kind', 'chan', 'note'",
	    "naming the column and the columns");
	buf_release(&st.notes);
	srcmap_release(&m);

	srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, no_ts, 1, &d, &e);
	memset(&e, 0, sizeof(e));
	ok(ingest_run(&o, rj, &st, &e) == -1 && e.code == CI_EXIT_USAGE &&
	        strcmp(e.file, "orders.csv") == 0,
	    "a required field with no column is a usage error");
	is_str(e.msg,
	    "no column for the required field 'ts'; map one with --col "
	    "ts=COLUMN or in the source map; columns are: 'cust', "
	    "'order_time', 'total', 'kind', 'chan', 'note'",
	    "saying how to map one");
	buf_release(&st.notes);

	o.in.paths = missing;
	memset(&e, 0, sizeof(e));
	ok(ingest_run(&o, rj, &st, &e) == -1 && e.code == CI_EXIT_IO,
	    "an input that cannot be opened is an I/O error");
	buf_release(&st.notes);
	rejects_close(rj, &e);
	srcmap_release(&m);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		return 1;
	plan(6 + 6 + 3 + 5);
	test_events();
	test_two_kinds();
	test_raw();
	test_errors();
	slurp(NULL);
	if (chdir("/") != 0)
		diag("cannot leave %s", dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
