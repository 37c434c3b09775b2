/* tests/unit/report/i18n_test.c: the table of the report's words. */
#include <string.h>

#include "tap.h"
#include "i18n.h"

int
main(void)
{
	size_t i, n = i18n_count();
	int    sorted = 1, full = 1;

	plan(9);
	for (i = 1; i < n; i++)
		if (strcmp(i18n_key(i - 1), i18n_key(i)) >= 0)
			sorted = 0;
	ok(sorted, "the %zu keys are sorted and unique (bsearch)", n);
	for (i = 0; i < n; i++)
		if (*i18n(LOCFMT_ZH, i18n_key(i)) == '\0' ||
		    *i18n(LOCFMT_EN, i18n_key(i)) == '\0')
			full = 0;
	ok(full, "every key has its English and Chinese text");
	is_str(i18n(LOCFMT_ZH, "high-value"), "高价值客户", "high value");
	is_str(i18n(LOCFMT_ZH, "potential"), "潜力客户", "potential");
	is_str(i18n(LOCFMT_ZH, "general"), "一般客户", "general");
	is_str(i18n(LOCFMT_ZH, "churn-risk"), "流失风险客户", "churn risk");
	is_str(i18n(LOCFMT_ZH, "hibernating"), "沉睡客户", "hibernating");
	is_str(i18n(LOCFMT_EN, "champions"), "Champions", "English words");
	is_str(i18n(LOCFMT_ZH, "my own segment"), "my own segment",
	    "a word not in the table is shown as it is");
	return done_testing();
}
