/*
 * reco_test: the engine of ci-recommend on small hand-made histories: the
 * reasons a salesperson reads (how often a customer buys a product, what
 * a product was bought with, what is popular lately), which the golden
 * cases of ci-recommend do not all reach.
 *
 * Customer e's days (2025-01-01 is day 0), 12 baskets in all:
 *
 *   milk  0 1 2       mean gap 1 day     "every day"
 *   bread 0 7 14      7 days             "every week"
 *   eggs  0 14 28     14 days            "every 2 weeks"
 *   oil   0 40 80     40 days            "every month" (40 / 30.44 = 1.3)
 *   salt  0 90 180    90 days            "every 3 months"
 *   tea   0 3         two days           "you bought it 2 times"
 *   jam   5           once               "you bought it before"
 *
 * Customer f bought soap (no category) on day 180, the last day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "reco.h"
#include "rejects.h"
#include "tap.h"

static char dir[] = "/tmp/reco_testXXXXXX";

static const char history[] = "customer_id,ts,product_id,category\n"
                              "e,2025-01-01,milk,dairy\n"
                              "e,2025-01-02,milk,dairy\n"
                              "e,2025-01-03,milk,dairy\n"
                              "e,2025-01-01,bread,bakery\n"
                              "e,2025-01-08,bread,bakery\n"
                              "e,2025-01-15,bread,bakery\n"
                              "e,2025-01-01,eggs,dairy\n"
                              "e,2025-01-15,eggs,dairy\n"
                              "e,2025-01-29,eggs,dairy\n"
                              "e,2025-01-01,oil,pantry\n"
                              "e,2025-02-10,oil,pantry\n"
                              "e,2025-03-22,oil,pantry\n"
                              "e,2025-01-01,salt,pantry\n"
                              "e,2025-04-01,salt,pantry\n"
                              "e,2025-06-30,salt,pantry\n"
                              "e,2025-01-01,tea,drinks\n"
                              "e,2025-01-04,tea,drinks\n"
                              "e,2025-01-06,jam,pantry\n"
                              "f,2025-06-30,soap,\n";

/*
 * Baskets (one customer each) for the rules: h1 and h2 bread, butter,
 * milk; h3 bread; h4 butter; h5 bread, butter.  confidence(bread + butter
 * -> milk) = 2/3, above that of bread -> milk and butter -> milk (2/4).
 */
static const char baskets[] = "customer_id,ts,product_id\n"
                              "h1,2025-01-01,bread\n"
                              "h1,2025-01-01,butter\n"
                              "h1,2025-01-01,milk\n"
                              "h2,2025-01-01,bread\n"
                              "h2,2025-01-01,butter\n"
                              "h2,2025-01-01,milk\n"
                              "h3,2025-01-01,bread\n"
                              "h4,2025-01-01,butter\n"
                              "h5,2025-01-01,bread\n"
                              "h5,2025-01-01,butter\n";

static void
put(const char *name, const char *text)
{
	FILE *fp = fopen(name, "w");

	fputs(text, fp);
	fclose(fp);
}

/* Run the engine on path with o; returns its stdout (the caller frees). */
static char *
run(struct reco_opts *o, char *path, int *rc)
{
	struct parread_files in = { 0 };
	struct ci_err        e;
	struct buf           notes = { 0 };
	struct rejects      *rj = rejects_open("/dev/null", NULL, &e);
	uint64_t             rows = 0;
	char                *out;
	size_t               len = 0;
	FILE                *fp;
	int                  saved = dup(1);

	in.paths = &path;
	in.npaths = 1;
	in.quiet = true;
	o->cf.threads = 2;
	fflush(stdout);
	fp = fopen("out.csv", "w");
	dup2(fileno(fp), 1);
	*rc = reco_run(o, &in, rj, &rows, &notes, &e);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	fclose(fp);
	if (*rc < 0)
		diag("%s", e.msg);
	rejects_close(rj, &e);
	buf_release(&notes);
	fp = fopen("out.csv", "r");
	out = calloc(1, 1 << 16);
	len = fread(out, 1, (1 << 16) - 1, fp);
	out[len] = '\0';
	fclose(fp);
	return out;
}

/* Whether out holds the line want. */
static int
has(const char *out, const char *want)
{
	size_t      n = strlen(want);
	const char *s;

	for (s = out; (s = strstr(s, want)) != NULL; s++)
		if ((s == out || s[-1] == '\n') && s[n] == '\n')
			return 1;
	return 0;
}

int
main(void)
{
	struct reco_opts o;
	char             h[] = "history.csv", b[] = "baskets.csv";
	char            *out;
	int              rc;

	plan(14);
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		return 1;
	put(h, history);
	put(b, baskets);

	reco_opts_init(&o);
	o.method = RECO_OWN;
	o.digits = 3;
	out = run(&o, h, &rc);
	is_int(rc, 0, "own: success");
	ok(has(out, "e,1,bread,0.25,you buy it every week"),
	    "bread every 7 days: every week (3 of 12 baskets)");
	ok(has(out, "e,2,eggs,0.25,you buy it every 2 weeks"),
	    "eggs every 14 days: every 2 weeks");
	ok(has(out, "e,3,milk,0.25,you buy it every day"),
	    "milk on three days running: every day");
	ok(has(out, "e,4,oil,0.25,you buy it every month"),
	    "oil every 40 days: every month");
	ok(has(out, "e,5,salt,0.25,you buy it every 3 months"),
	    "salt every 90 days: every 3 months");
	ok(has(out, "e,6,tea,0.167,you bought it 2 times"),
	    "tea on two days: 2 times");
	ok(has(out, "e,7,jam,0.0833,you bought it before"), "jam once: before");
	free(out);

	reco_opts_init(&o);
	o.method = RECO_RECENT;
	out = run(&o, h, &rc);
	ok(has(out, "e,1,salt,0.5,popular in pantry this month") &&
	        has(out, "e,2,soap,0.5,popular this month"),
	    "recent: salt and soap, half the customers of the last 30 days");
	free(out);
	o.recent_days = 7;
	out = run(&o, h, &rc);
	ok(has(out, "f,1,salt,0.5,popular in pantry in the last 7 days"),
	    "recent over 7 days");
	free(out);

	reco_opts_init(&o);
	o.method = RECO_RULESM;
	o.ar.min_support = 0.2;
	o.digits = 3;
	out = run(&o, b, &rc);
	is_int(rc, 0, "rules: success");
	ok(has(out, "h5,3,milk,0.667,bought with bread and butter"),
	    "h5: milk, by the rule of two products (2/3)");
	ok(has(out, "h3,1,butter,0.75,bought with bread"),
	    "h3: butter, bought with bread (3/4)");
	free(out);

	reco_opts_init(&o);
	o.method = RECO_OWN;
	o.mode = RECO_RULES;
	o.ar.min_support = 0.9;
	out = run(&o, b, &rc);
	is_int(rc, 1, "no rule at support 0.9: exit 1");
	free(out);

	unlink(h);
	unlink(b);
	unlink("out.csv");
	if (chdir("/") == 0)
		rmdir(dir);
	return done_testing();
}
