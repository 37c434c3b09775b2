/*
 * cond_test: the conditions shared by ci-segment's rules and ci-churn's
 * playbook: each kind of test on a column, the combinators, the tag key,
 * and errors at their line.
 */
#include <string.h>

#include "cond.h"
#include "tap.h"
#include "yamlcfg.h"

static const char *const cols[] = { "spend", "tier", "email" };

/* Parse text (a condition mapping) with the tag key "reason"; NULL on an
 * error, whose message goes to msg. */
static struct cond *
parse(const char *text, char *msg, size_t size)
{
	struct yamlcfg_doc d = { 0 };
	struct ci_err      e = { 0 };
	struct cond       *c = NULL;
	int                rc;

	rc = yamlcfg_load_string(&d, "c.yaml", text, strlen(text), &e);
	if (rc == 0)
		rc = cond_parse(&d, d.root, "r", "reason", &c, &e);
	if (rc == 0)
		rc = cond_bind(c, "c.yaml", "r", cols, 3, &e);
	yamlcfg_release(&d);
	if (rc == 0)
		return c;
	snprintf(msg, size, "%s:%lu: %s", e.file, e.line, e.msg);
	cond_free(c);
	return NULL;
}

/* Whether text holds for the row (spend, tier, email) with one tag. */
static int
holds(const char *text, const char *spend, const char *tier, const char *email,
    const char *tag)
{
	char              msg[300];
	struct cond      *c = parse(text, msg, sizeof(msg));
	const char *const f[] = { spend, tier, email };
	int               r;

	if (c == NULL) {
		diag("%s", msg);
		return -1;
	}
	r = cond_holds(c, f, &tag, 1);
	cond_free(c);
	return r;
}

/* Whether text is refused with a message holding want, at line. */
static int
refused(const char *text, const char *want)
{
	char         msg[300] = "";
	struct cond *c = parse(text, msg, sizeof(msg));

	if (c != NULL) {
		cond_free(c);
		return 0;
	}
	if (strstr(msg, want) == NULL)
		diag("got %s", msg);
	return strstr(msg, want) != NULL;
}

int
main(void)
{
	plan(14);
	ok(holds("spend: 100", "100.0", "", "", NULL) == 1,
	    "a value equals a number as a number");
	ok(holds("tier: top", "1", "top", "", NULL) == 1 &&
	        holds("tier: top", "1", "low", "", NULL) == 0,
	    "a word equals as text");
	ok(holds("spend: \">= 50\"", "50", "", "", NULL) == 1 &&
	        holds("spend: \"> 50\"", "50", "", "", NULL) == 0 &&
	        holds("spend: \"== 50\"", "50", "", "", NULL) == 1,
	    "order tests and ==");
	ok(holds("spend: \"> 5\"", "", "", "", NULL) == 0 &&
	        holds("spend: \"> 5\"", "n/a", "", "", NULL) == 0,
	    "a number test on an empty field or a word fails");
	ok(holds("spend: 10..20", "20", "", "", NULL) == 1 &&
	        holds("spend: 10..20", "20.5", "", "", NULL) == 0,
	    "a range includes its ends");
	ok(holds("tier: [top, mid]", "0", "mid", "", NULL) == 1,
	    "a list of values");
	ok(holds("email: empty", "0", "", "", NULL) == 1 &&
	        holds("email: not empty", "0", "", "a@b", NULL) == 1,
	    "empty and not empty");
	ok(holds("any:\n  - tier: top\n  - spend: \"> 90\"\n", "95", "low", "",
	       NULL) == 1 &&
	        holds("not: { tier: low }", "0", "low", "", NULL) == 0 &&
	        holds("all: { tier: low, spend: 1 }", "1", "low", "", NULL) ==
	            1,
	    "any, not, and all with a mapping");
	ok(holds("reason: [spend, tier]", "0", "", "", "tier") == 1 &&
	        holds("reason: spend", "0", "", "", "tier") == 0 &&
	        holds("reason: spend", "0", "", "", NULL) == 0,
	    "the tag key tests the row's tags, not a column");
	ok(refused("spend: \"> high\"", "c.yaml:1: '>' compares with a number"),
	    "an order test on a word, at its line");
	ok(refused("spend: 20..10", "is empty"), "an empty range");
	ok(refused("spend: 1..inf", "a finite number at each end"),
	    "a range to infinity");
	ok(refused("\nany: { tier: top }", "c.yaml:2: 'any' must be a list"),
	    "any as a mapping");
	ok(refused("colour: red", "unknown column 'colour' in rule 'r'"),
	    "an unknown column names the rule and the columns");
	return done_testing();
}
