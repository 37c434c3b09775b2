/*
 * segrules_test: rule files parsed and evaluated (every kind of test,
 * and/or/not, first match, the default), and each configuration error
 * with the line it names.
 */
#include <string.h>

#include "segrules.h"
#include "tap.h"

static const char *const cols[] = { "id", "clv", "tier", "email", "n" };

static const char good[] =
    "column: campaign\n"
    "default: other\n"
    "rules:\n"
    "  - name: vip\n"
    "    when:\n"
    "      clv: \">= 1000\"\n"
    "      tier: [high-value, potential]\n"
    "  - name: mid\n"
    "    when:\n"
    "      any:\n"
    "        - clv: 500..999.5\n"
    "        - n: \"= 7\"\n"
    "  - name: no-email\n"
    "    when: { email: empty, not: { tier: general } }\n"
    "  - name: general\n"
    "    when: { tier: general, clv: \"!= 3\" }\n";

static const char *
eval(const struct segrules *rs, const char *clv, const char *tier,
    const char *email, const char *n)
{
	const char *f[5] = { "x", clv, tier, email, n };

	return segrules_eval(rs, f);
}

/* Load text; 1 when it fails with line and a message containing want. */
static int
fails(const char *text, unsigned long line, const char *want)
{
	struct segrules rs;
	struct ci_err   e = { 0 };
	int             rc;

	rc = segrules_load_string(&rs, "r.yaml", text, strlen(text), &e);
	if (rc == 0)
		rc = segrules_bind(&rs, cols, 5, &e);
	segrules_release(&rs);
	if (rc == 0 || e.code != CI_EXIT_USAGE || e.line != line ||
	    strcmp(e.file, "r.yaml") != 0 || strstr(e.msg, want) == NULL) {
		diag("  rc %d code %d %s:%lu: %s", rc, e.code, e.file, e.line,
		    e.msg);
		return 0;
	}
	return 1;
}

int
main(void)
{
	struct segrules rs;
	struct ci_err   e = { 0 };

	plan(24);
	is_int(segrules_load_string(&rs, "r.yaml", good, strlen(good), &e), 0,
	    "a good file loads");
	is_int(segrules_bind(&rs, cols, 5, &e), 0, "and binds");
	is_str(rs.column, "campaign", "the column is named");
	is_str(eval(&rs, "1000", "potential", "a@b", "1"), "vip",
	    "and: clv >= 1000 and tier in the list");
	is_str(eval(&rs, "1000.0", "general", "a@b", "1"), "general",
	    "first match wins: not vip (tier), so the later rule general");
	is_str(eval(&rs, "999.5", "high-value", "a@b", "1"), "mid",
	    "a range includes its ends");
	is_str(eval(&rs, "12", "high-value", "a@b", "7.0"), "mid",
	    "or: n = 7 as numbers");
	is_str(eval(&rs, "", "potential", "", "1"), "no-email",
	    "empty, and not general");
	is_str(eval(&rs, "", "general", "", "1"), "general",
	    "not: general is excluded from no-email");
	is_str(eval(&rs, "3", "general", "a@b", "1"), "other",
	    "!= 3 fails on 3: the default");
	is_str(eval(&rs, "abc", "potential", "a@b", "1"), "other",
	    "number tests fail on text");
	segrules_release(&rs);

	ok(fails("rules:\n  - name: a\n    when: { clv: \">= lots\" }\n", 3,
	       "'>=' compares with a number, not 'lots'"),
	    "an order test on a word names line 3");
	ok(fails("rules:\n  - name: a\n    colour: red\n", 3,
	       "unknown key 'colour' in a rule"),
	    "an unknown key in a rule");
	ok(fails("rules:\n  - when: { clv: 1 }\n", 2, "the rule has no 'name'"),
	    "a rule without a name");
	ok(fails("rules:\n  - name: a\n    when:\n      clvv: 1\n", 4,
	       "unknown column 'clvv' in rule 'a'; columns are: 'id', 'clv'"),
	    "an unknown column, at bind time");
	ok(fails("rules:\n  - name: a\n    when: { clv: 9..1 }\n", 3,
	       "the range '9..1' of the condition on 'clv' is empty"),
	    "an empty range");
	ok(fails("rules:\n  - name: a\n    when: { clv: {x: 1} }\n", 3,
	       "the condition on 'clv' must be a value"),
	    "a mapping as a test");
	ok(fails("rules:\n  - name: a\n    when: [1]\n", 3,
	       "must be a mapping of columns"),
	    "a list as the conditions");
	ok(fails("rules:\n  - name: a\n    when: { any: 3 }\n", 3,
	       "'any' must be a list of conditions"),
	    "any without a list");
	ok(fails("rules: []\n", 1, "'rules' must be a list of one rule"),
	    "no rules");
	ok(fails("default: x\n", 1, "the file has no 'rules'"),
	    "a file without rules");
	ok(fails("rules:\n  - name: a\n    when: { clv: \"<\" }\n", 3,
	       "a value must follow '<'"),
	    "an operator without a value");
	ok(fails("rules:\n  - name: [a\n", 3, "bad YAML"),
	    "a YAML syntax error names its line");
	ok(fails("rules:\n  - name: a\nrules: 2\n", 3, "key 'rules' repeated"),
	    "a repeated key");
	return done_testing();
}
