/*
 * tests/unit/match/matchcfg_test.c: match.yaml read into its structs;
 * each mistake reported at its line.
 */
#include <string.h>

#include "matchcfg.h"
#include "tap.h"

/* Load text; 0 or -1 as matchcfg_load_string(), c released. */
static int
load(const char *text, struct ci_err *e)
{
	struct matchcfg c;
	int             rc;

	memset(e, 0, sizeof(*e));
	rc = matchcfg_load_string(&c, "m.yaml", text, strlen(text), e);
	matchcfg_release(&c);
	return rc;
}

/* Whether text fails at line with a message holding what. */
static void
fails(const char *text, unsigned long line, const char *what)
{
	struct ci_err e;

	ok(load(text, &e) == -1 && e.code == CI_EXIT_USAGE && e.line == line &&
	        strstr(e.msg, what) != NULL,
	    "line %lu: %s", line, what);
	if (strstr(e.msg, what) == NULL || e.line != line)
		diag("  got line %lu: %s", e.line, e.msg);
}

static void
test_good(void)
{
	static const char text[] = "compare:\n"
	                           "  - column: name\n"
	                           "    similarity: damerau\n"
	                           "    close: 1\n"
	                           "  - column: loyalty\n"
	                           "    kind: number\n"
	                           "    close: 5\n"
	                           "  - column: birth_date\n"
	                           "    swap_day_month: no\n"
	                           "    term_frequency: yes\n"
	                           "blocking:\n"
	                           "  - phone\n"
	                           "  - name_part + birth_year\n"
	                           "golden:\n"
	                           "  address: most_recent\n";
	struct matchcfg   c;
	struct ci_err     e = { 0 };

	is_int(matchcfg_load_string(&c, "m.yaml", text, strlen(text), &e), 0,
	    "a good configuration loads");
	ok(c.has_cmp && c.ncmp == 3 && c.has_rules && c.nrules == 2 &&
	        c.ngolden == 1,
	    "three comparisons, two rules, one golden rule");
	ok(c.cmp[0].kind == MF_NAME && c.cmp[0].method == MM_DAMERAU &&
	        c.cmp[0].close == 1,
	    "name: its default kind, damerau within 1");
	ok(c.cmp[1].kind == MF_NUMBER && c.cmp[1].close == 5,
	    "loyalty: a number within 5");
	ok(c.cmp[2].kind == MF_DATE && !c.cmp[2].swap && c.cmp[2].tf,
	    "birth_date: no swap, term frequency");
	is_str(c.rules[1], "name_part + birth_year", "rule kept as written");
	ok(strcmp(c.gcol[0], "address") == 0 && c.grule[0] == GOLDEN_RECENT,
	    "golden address: most recent");
	matchcfg_release(&c);
	matchcfg_release(&c);
	ok(c.ncmp == 0 && c.cmp == NULL, "released twice: safe");
}

static void
test_bad(void)
{
	char   many[4096] = "blocking:\n";
	size_t i;

	fails("- phone\n", 1, "a match configuration is a mapping");
	fails("compare:\n  - column: name\nblock:\n  - phone\n", 3, "'block'");
	fails("compare: name\n", 1, "'compare' is a list");
	fails("compare:\n  - name\n", 2, "a comparison is a mapping");
	fails("compare:\n  - kind: name\n", 2, "without 'column'");
	fails("compare:\n  - column: name\n    kind: fuzzy\n", 3,
	    "bad kind 'fuzzy'");
	fails(
	    "compare:\n  - column: name\n    treshold: 0.8\n", 3, "'treshold'");
	fails("compare:\n  - column: phone\n    similarity: damerau\n", 3,
	    "'similarity' is for names and strings");
	fails("compare:\n  - column: name\n    similarity: soundex\n", 3,
	    "bad similarity 'soundex'");
	fails("compare:\n  - column: name\n    close: 1.5\n", 3,
	    "a similarity from 0 to 1");
	fails("compare:\n  - column: birth_date\n    close: -1\n", 3,
	    "a number not below 0");
	fails("compare:\n  - column: birth_date\n    swap_day_month: maybe\n",
	    3, "want true or false");
	fails("blocking:\n  - phone\n  - phone +\n", 3, "bad blocking rule");
	fails("blocking:\n  - + name\n", 2, "bad blocking rule");
	fails("blocking: phone\n", 1, "'blocking' is a list");
	fails("golden:\n  name: newest\n", 2, "bad golden rule 'newest'");
	fails("golden:\n  - name\n", 2, "'golden' is a mapping");
	for (i = 0; i <= MATCHCFG_MAX_RULES; i++)
		strcat(many, "  - phone\n");
	fails(many, 2, "more than 32 blocking rules");
	fails("compare:\n  - column: name\n  kind: name\n", 3, "bad YAML");
}

int
main(void)
{
	plan(29);
	test_good();
	test_bad();
	is_int(matchcfg_golden_parse("first"), GOLDEN_FIRST, "golden word");
	is_str(matchcfg_golden_name(GOLDEN_FREQUENT), "most_frequent",
	    "golden name");
	return done_testing();
}
