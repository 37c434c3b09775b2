/*
 * quality_test: the data-quality counts and report.  Problem names;
 * sources found again by name and kind; files and columns noted once;
 * errors summed over problems; the traffic light exactly at its 1% and 5%
 * thresholds; a source's light as the worst of its fields and its reject
 * rate, the overall light as the worst source; and quality_write()'s JSON
 * compared byte for byte for a small hand-built struct quality, and its
 * error when the file cannot be created.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "quality.h"
#include "tap.h"

static void
test_names(void)
{
	struct buf b = { 0 };
	int        p;

	for (p = 0; p < QP_COUNT; p++)
		buf_addf(&b, "%s%s", p > 0 ? "," : "",
		    quality_problem_name((enum qproblem)p));
	is_str(buf_str(&b),
	    "missing_required,unparseable,out_of_range,bad_email,bad_phone,"
	    "bad_id_format,bad_id_region,implausible_birth_date,"
	    "invalid_check_character,unknown_value,rounded",
	    "problem names in enum order");
	buf_release(&b);
}

static void
test_light(void)
{
	is_int(quality_light(0, 0), QL_GREEN, "no rows: green");
	is_int(quality_light(0, 100), QL_GREEN, "no errors: green");
	is_int(quality_light(99, 10000), QL_GREEN, "0.99%%: green");
	is_int(quality_light(1, 100), QL_YELLOW, "exactly 1%%: yellow");
	is_int(quality_light(100, 10000), QL_YELLOW, "100 in 10000: yellow");
	is_int(quality_light(1, 101), QL_GREEN, "1 in 101 (0.99%%): green");
	is_int(quality_light(499, 10000), QL_YELLOW, "4.99%%: yellow");
	is_int(quality_light(4, 100), QL_YELLOW, "4%%: yellow");
	is_int(quality_light(5, 100), QL_RED, "exactly 5%%: red");
	is_int(quality_light(1, 20), QL_RED, "1 in 20: red");
	is_int(quality_light(1, 21), QL_YELLOW, "1 in 21 (4.76%%): yellow");
	is_int(quality_light(7, 7), QL_RED, "all rows: red");
}

static void
test_counts(void)
{
	struct quality  q = { 0 };
	struct qsource *s, *t;

	s = quality_source(&q, "crm", CI_KIND_CUSTOMER);
	ok(s != NULL && q.n == 1 && strcmp(s->source, "crm") == 0 &&
	        s->kind == CI_KIND_CUSTOMER && s->rows == 0 && s->nfiles == 0,
	    "a new source starts empty");
	t = quality_source(&q, "crm", CI_KIND_CUSTOMER);
	ok(t == s && q.n == 1, "the same name and kind find it again");
	t = quality_source(&q, "crm", CI_KIND_EVENT);
	ok(q.n == 2 && t == &q.s[1] && t->kind == CI_KIND_EVENT,
	    "the same name with another kind is another source");
	s = &q.s[0];

	quality_file(s, "a.csv", 4, "手机");
	quality_file(s, "b.csv", 4, "mobile");
	quality_file(s, "a.csv", 2, NULL);
	quality_file(s, "a.csv", 3, "email");
	ok(s->nfiles == 2 && strcmp(s->files[0], "a.csv") == 0 &&
	        strcmp(s->files[1], "b.csv") == 0,
	    "files noted once each, in order");
	ok(strcmp(s->column[4], "手机") == 0 && s->column[2] == NULL &&
	        strcmp(s->column[3], "email") == 0,
	    "a field's first column is kept; NULL notes none");

	s->f[4].problems[QP_BAD_PHONE] = 3;
	s->f[4].problems[QP_MISSING_REQUIRED] = 2;
	s->f[4].problems[QP_UNKNOWN_VALUE] = 1;
	is_int(quality_errors(s, 4), 6, "errors: the sum of the problems");
	is_int(quality_errors(s, 3), 0, "no problems, no errors");

	/* Lights of sources and overall. */
	s->rows = 600; /* 6 errors in 600 rows: exactly 1% */
	is_int(quality_overall(&q), QL_YELLOW,
	    "a field at 1%% makes its source and the run yellow");
	s->f[4].problems[QP_BAD_PHONE] = 2;
	is_int(quality_overall(&q), QL_GREEN, "5 in 600: green");
	s->rejected = 30;
	is_int(quality_overall(&q), QL_RED, "a 5%% reject rate is red");
	s->rejected = 29;
	is_int(quality_overall(&q), QL_YELLOW, "29 rejected in 600: yellow");
	s->rejected = 0;
	q.s[1].rows = 10;
	q.s[1].f[11].problems[QP_UNPARSEABLE] = 1;
	is_int(quality_overall(&q), QL_RED,
	    "the overall light is the worst source's (the last field's "
	    "errors count)");
	q.s[1].f[11].problems[QP_UNPARSEABLE] = 0;
	q.s[1].f[0].problems[QP_MISSING_REQUIRED] = 1;
	is_int(quality_overall(&q), QL_RED, "and so do the first field's");
	quality_release(&q);
	ok(q.s == NULL && q.n == 0 && q.cap == 0, "release zeroes the struct");
	quality_release(&q);
	is_int(quality_overall(&q), QL_GREEN, "no sources: green");
}

/*
 * The report test_write() expects, up to the ten fields of the second
 * source that event_rest() appends; the version is the build's.
 */
static const char expected_head[] = "{\n"
                                    "  \"tool\": \"ci-ingest\",\n"
                                    "  \"version\": \"" CI_VERSION "\",\n"
                                    "  \"thresholds\": {\n"
                                    "    \"green_below\": 0.01,\n"
                                    "    \"yellow_below\": 0.05\n"
                                    "  },\n"
                                    "  \"rows\": 200,\n"
                                    "  \"rejected\": 2,\n"
                                    "  \"status\": \"red\",\n"
                                    "  \"sources\": [\n"
                                    "    {\n"
                                    "      \"source\": \"crm\",\n"
                                    "      \"kind\": \"customer\",\n"
                                    "      \"files\": [\n"
                                    "        \"a.csv\",\n"
                                    "        \"dir/b.csv\"\n"
                                    "      ],\n"
                                    "      \"rows\": 200,\n"
                                    "      \"rejected\": 2,\n"
                                    "      \"reject_rate\": 0.01,\n"
                                    "      \"blank_lines\": 3,\n"
                                    "      \"status\": \"red\",\n"
                                    "      \"fields\": {\n"
                                    "        \"source_key\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 198,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 2,\n"
                                    "          \"fill_rate\": 0.99,\n"
                                    "          \"error_rate\": 0.01,\n"
                                    "          \"status\": \"yellow\",\n"
                                    "          \"problems\": {\n"
                                    "            \"missing_required\": 2\n"
                                    "          }\n"
                                    "        },\n"
                                    "        \"name\": {\n"
                                    "          \"column\": \"姓名\",\n"
                                    "          \"filled\": 150,\n"
                                    "          \"missing\": 50,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0.75,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n"
                                    "        \"email\": {\n"
                                    "          \"column\": \"e\\\"mail\\t\",\n"
                                    "          \"filled\": 180,\n"
                                    "          \"missing\": 10,\n"
                                    "          \"errors\": 10,\n"
                                    "          \"fill_rate\": 0.9,\n"
                                    "          \"error_rate\": 0.05,\n"
                                    "          \"status\": \"red\",\n"
                                    "          \"problems\": {\n"
                                    "            \"bad_email\": 10\n"
                                    "          }\n"
                                    "        },\n"
                                    "        \"phone\": {\n"
                                    "          \"column\": \"手机\",\n"
                                    "          \"filled\": 190,\n"
                                    "          \"missing\": 9,\n"
                                    "          \"errors\": 1,\n"
                                    "          \"fill_rate\": 0.95,\n"
                                    "          \"error_rate\": 0.005,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {\n"
                                    "            \"bad_phone\": 1\n"
                                    "          }\n"
                                    "        },\n"
                                    "        \"id_number\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 0,\n"
                                    "          \"missing\": 200,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n"
                                    "        \"birth_date\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 1,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0.005,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n"
                                    "        \"gender\": {\n"
                                    "          \"column\": \"sex\",\n"
                                    "          \"filled\": 197,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 3,\n"
                                    "          \"fill_rate\": 0.985,\n"
                                    "          \"error_rate\": 0.015,\n"
                                    "          \"status\": \"yellow\",\n"
                                    "          \"problems\": {\n"
                                    "            \"unknown_value\": 3\n"
                                    "          }\n"
                                    "        },\n"
                                    "        \"city\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 0,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n"
                                    "        \"address\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 0,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n"
                                    "        \"created_at\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 198,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 2,\n"
                                    "          \"fill_rate\": 0.99,\n"
                                    "          \"error_rate\": 0.01,\n"
                                    "          \"status\": \"yellow\",\n"
                                    "          \"problems\": {\n"
                                    "            \"unparseable\": 1,\n"
                                    "            \"out_of_range\": 1\n"
                                    "          }\n"
                                    "        }\n"
                                    "      }\n"
                                    "    },\n"
                                    "    {\n"
                                    "      \"source\": \"empty\",\n"
                                    "      \"kind\": \"event\",\n"
                                    "      \"files\": [],\n"
                                    "      \"rows\": 0,\n"
                                    "      \"rejected\": 0,\n"
                                    "      \"reject_rate\": 0,\n"
                                    "      \"blank_lines\": 0,\n"
                                    "      \"status\": \"green\",\n"
                                    "      \"fields\": {\n"
                                    "        \"customer_id\": {\n"
                                    "          \"column\": null,\n"
                                    "          \"filled\": 0,\n"
                                    "          \"missing\": 0,\n"
                                    "          \"errors\": 0,\n"
                                    "          \"fill_rate\": 0,\n"
                                    "          \"error_rate\": 0,\n"
                                    "          \"status\": \"green\",\n"
                                    "          \"problems\": {}\n"
                                    "        },\n";

/* The ten event fields after customer_id and source, all zero, and the end. */
static void
event_rest(struct buf *b)
{
	static const char *const names[] = { "ts", "type", "order_id", "amount",
		"currency", "product_id", "category", "channel", "rating",
		"text" };
	size_t                   i;

	for (i = 0; i < 10; i++)
		buf_addf(b,
		    "        \"%s\": {\n"
		    "          \"column\": null,\n"
		    "          \"filled\": 0,\n"
		    "          \"missing\": 0,\n"
		    "          \"errors\": 0,\n"
		    "          \"fill_rate\": 0,\n"
		    "          \"error_rate\": 0,\n"
		    "          \"status\": \"green\",\n"
		    "          \"problems\": {}\n"
		    "        }%s\n",
		    names[i], i < 9 ? "," : "");
	buf_addstr(b,
	    "      }\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
}

static void
test_write(const char *dir)
{
	struct quality  q = { 0 };
	struct qsource *s;
	struct ci_err   e = { 0 };
	struct buf      want = { 0 }, got = { 0 };
	char            path[300], chunk[4096];
	FILE           *fp;
	size_t          n;

	s = quality_source(&q, "crm", CI_KIND_CUSTOMER);
	quality_file(s, "a.csv", 2, "姓名");
	quality_file(s, "dir/b.csv", 4, "手机");
	quality_file(s, "a.csv", 3, "e\"mail\t");
	quality_file(s, "a.csv", 7, "sex");
	s->rows = 200;
	s->rejected = 2;
	s->blank_lines = 3;
	s->f[1].filled = 198;
	s->f[1].problems[QP_MISSING_REQUIRED] = 2;
	s->f[2].filled = 150;
	s->f[2].missing = 50;
	s->f[3].filled = 180;
	s->f[3].missing = 10;
	s->f[3].problems[QP_BAD_EMAIL] = 10;
	s->f[4].filled = 190;
	s->f[4].missing = 9;
	s->f[4].problems[QP_BAD_PHONE] = 1;
	s->f[5].missing = 200;
	s->f[6].filled = 1;
	s->f[7].filled = 197;
	s->f[7].problems[QP_UNKNOWN_VALUE] = 3;
	s->f[10].filled = 198;
	s->f[10].problems[QP_UNPARSEABLE] = 1;
	s->f[10].problems[QP_OUT_OF_RANGE] = 1;
	/* The source field is not written even when it has counts. */
	s->f[0].filled = 5;
	/* A source with no rows: rates 0, not NaN; no files: []. */
	quality_source(&q, "empty", CI_KIND_EVENT);

	snprintf(path, sizeof(path), "%s/quality.json", dir);
	is_int(quality_write(&q, path, &e), 0, "quality_write succeeds");

	buf_addstr(&want, expected_head);
	event_rest(&want);
	if ((fp = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&got, chunk, n);
		fclose(fp);
	}
	is_str(buf_str(&got), buf_str(&want), "the report, byte for byte");
	quality_release(&q);
	buf_release(&want);
	buf_release(&got);
}

static void
test_write_error(void)
{
	struct quality q = { 0 };
	struct ci_err  e = { 0 };

	quality_source(&q, "x", CI_KIND_EVENT);
	is_int(quality_write(&q, "/nonexistent-dir/q.json", &e), -1,
	    "an uncreatable report file fails");
	ok(e.code == CI_EXIT_IO &&
	        strcmp(e.file, "/nonexistent-dir/q.json") == 0 && e.line == 0,
	    "as an I/O error naming the file");
	is_str(e.msg, "cannot create: No such file or directory",
	    "with the system's reason");
	quality_release(&q);
}

/*
 * Example values: the first QUALITY_EXAMPLES of each problem of a field;
 * the notes file: a line for each value emptied or rounded; a rounded value
 * is counted but is no error.
 */
static void
test_values(const char *dir)
{
	struct quality  q = { 0 };
	struct qsource *s = quality_source(&q, "shop", CI_KIND_EVENT);
	struct ci_err   e = { 0 };
	struct buf      got = { 0 };
	char            path[300], chunk[4096], line[32];
	FILE           *fp;
	size_t          n;
	int             i;

	snprintf(path, sizeof(path), "%s/notes.ndjson", dir);
	quality_file(s, "o.csv", 5, "total");
	is_int(quality_notes_open(&q, path, &e), 0, "notes file opened");
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof(line), "x%d", i);
		quality_value(&q, s, 5, QP_UNPARSEABLE, "o.csv",
		    (unsigned long)i + 2, line, strlen(line), "no digits",
		    "emptied");
	}
	quality_value(&q, s, 5, QP_ROUNDED, "o.csv", 9, "1.234567", 8,
	    "more than four decimals", "rounded");
	quality_value(
	    &q, s, 5, QP_OUT_OF_RANGE, "o.csv", 10, "z", 1, "why", NULL);
	ok(s->f[5].nex == 5 && s->f[5].ex[2].line == 4 &&
	        strcmp(s->f[5].ex[2].value, "x2") == 0 &&
	        s->f[5].ex[3].problem == QP_ROUNDED &&
	        s->f[5].ex[4].problem == QP_OUT_OF_RANGE,
	    "three examples of each problem, in order");
	s->f[5].problems[QP_ROUNDED] = 7;
	is_int(quality_errors(s, 5), 0, "a rounded value is no error");
	is_int(quality_notes_close(&q, &e), 0, "notes file closed");
	if ((fp = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&got, chunk, n);
		fclose(fp);
	}
	ok(got.len > 0 &&
	        strncmp(buf_str(&got),
	            "{\"file\":\"o.csv\",\"line\":2,\"field\":\"amount\","
	            "\"column\":\"total\",\"value\":\"x0\",\"problem\":"
	            "\"unparseable\",\"reason\":\"no digits\",\"action\":"
	            "\"emptied\"}\n",
	            114) == 0,
	    "a note names file, line, field, column, value, problem, reason");
	ok(strstr(buf_str(&got),
	       "\"value\":\"1.234567\",\"problem\":"
	       "\"rounded\"") != NULL &&
	        strstr(buf_str(&got), "\"line\":10") == NULL,
	    "every value emptied or rounded, only those: 6 lines");
	remove(path);
	buf_release(&got);
	quality_release(&q);
}

int
main(void)
{
	char dir[] = "/tmp/quality_test.XXXXXX", path[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	plan(1 + 12 + 15 + 2 + 3 + 6);
	test_names();
	test_light();
	test_counts();
	test_write(dir);
	test_write_error();
	test_values(dir);
	snprintf(path, sizeof(path), "%s/quality.json", dir);
	remove(path);
	rmdir(dir);
	return done_testing();
}
