/*
 * playbook_test: rules evaluated first-match (values, order tests,
 * ranges, lists, reasons, any/not, the default) and each error with the
 * line it names.
 */
#include <string.h>

#include "playbook.h"
#include "tap.h"

static const char *const cols[] = { "churn_risk", "risk_band", "value_tier" };

static const char good[] = "default: none\n"
                           "rules:\n"
                           "  - action: VIP call\n"
                           "    when:\n"
                           "      risk_band: [high, critical]\n"
                           "      value_tier: top\n"
                           "  - action: follow-up\n"
                           "    when:\n"
                           "      reason: complaints_90d\n"
                           "  - action: coupon\n"
                           "    when:\n"
                           "      any:\n"
                           "        - churn_risk: \">= 60\"\n"
                           "        - not: { churn_risk: 0..40 }\n";

static const char *
eval(const struct playbook *pb, const char *risk, const char *band,
    const char *tier, const char *reason)
{
	const char *f[3] = { risk, band, tier };
	const char *rs[1] = { reason };

	return playbook_eval(pb, f, rs, 1);
}

static int
fails(const char *text, unsigned long line, const char *want)
{
	struct playbook pb = { 0 };
	struct ci_err   e = { 0 };
	int             rc;

	rc =
	    playbook_load_string(&pb, "p.yaml", text, strlen(text), &e) == -1 ||
	    playbook_bind(&pb, cols, 3, &e) == -1;
	rc = rc && e.line == line && strstr(e.msg, want) != NULL &&
	    e.code == CI_EXIT_USAGE;
	if (!rc)
		diag("got line %lu: %s", e.line, e.msg);
	playbook_release(&pb);
	return rc;
}

int
main(void)
{
	struct playbook pb = { 0 };
	struct ci_err   e = { 0 };

	plan(10);
	ok(playbook_load_string(&pb, "p.yaml", good, strlen(good), &e) == 0 &&
	        playbook_bind(&pb, cols, 3, &e) == 0,
	    "loads and binds");
	is_str(eval(&pb, "80", "critical", "top", NULL), "VIP call",
	    "first rule: band in the list and the tier");
	is_str(eval(&pb, "80", "critical", "low", "complaints_90d"),
	    "follow-up", "a reason names the column");
	is_str(eval(&pb, "65", "high", "low", "tenure"), "coupon",
	    "an order test");
	is_str(eval(&pb, "45", "medium", "low", NULL), "coupon",
	    "not in the range");
	is_str(eval(&pb, "20", "low", "low", NULL), "none", "the default");
	ok(fails("rules:\n  - action: x\n    when:\n      churn_risk: \"> "
	         "high\"\n",
	       4, "not 'high'"),
	    "an order test on a word names its line");
	ok(fails("rules:\n  - when: { risk_band: low }\n", 2, "no 'action'"),
	    "a rule without an action");
	ok(fails("rules:\n  - action: x\n    when:\n      tier: top\n", 4,
	       "unknown column 'tier'"),
	    "an unknown column names its line");
	ok(fails("rules:\n  - action: x\n    colour: red\n", 3, "colour"),
	    "an unknown key");
	playbook_release(&pb);
	return done_testing();
}
