/* tests/unit/report/locfmt_test.c: numbers as the report shows them. */
#include <math.h>

#include "tap.h"
#include "locfmt.h"

int
main(void)
{
	struct locfmt en, zh, usd;
	char          s[LOCFMT_MAX];

	plan(20);
	locfmt_init(&en, LOCFMT_EN, NULL);
	locfmt_init(&zh, LOCFMT_ZH, NULL);
	locfmt_init(&usd, LOCFMT_EN, "$");
	locfmt_number(&en, s, 1234.5, 2);
	is_str(s, "1,234.50", "grouped, padded to the decimals");
	locfmt_money(&zh, s, 1234.5);
	is_str(s, "¥1,234.50", "Chinese money carries the yuan sign");
	locfmt_money(&en, s, 1234.5);
	is_str(s, "1,234.50", "English money has no sign by default");
	locfmt_money(&usd, s, -3);
	is_str(s, "-$3.00", "the minus before the sign");
	locfmt_money0(&zh, s, 1234567.5);
	is_str(s, "¥1,234,568", "whole money rounds half away from zero");
	locfmt_number(&en, s, 999.996, 2);
	is_str(s, "1,000.00", "rounding carries into a new group");
	locfmt_number(&en, s, 2.675, 2);
	is_str(s, "2.67", "the exact binary value is rounded");
	locfmt_number(&en, s, -0.001, 2);
	is_str(s, "0.00", "no negative zero");
	locfmt_number(&en, s, 100, 0);
	is_str(s, "100", "three digits, no separator");
	locfmt_percent(&en, s, 0.39437, 1);
	is_str(s, "39.4%", "a share as a percentage");
	locfmt_signed(&en, s, 12, 0);
	is_str(s, "+12", "a change has its sign");
	locfmt_signed(&en, s, 0, 0);
	is_str(s, "0", "no change has none");
	locfmt_signed_money(&zh, s, -30.5);
	is_str(s, "-¥30.50", "a fall of money");
	locfmt_signed_percent(&en, s, 0.035, 1);
	is_str(s, "+3.5%", "a relative change");
	locfmt_number(&en, s, NAN, 2);
	is_str(s, "-", "a figure that cannot be computed is a dash");
	locfmt_short(&en, s, 1200);
	is_str(s, "1.2k", "short English thousands");
	locfmt_short(&zh, s, 35000);
	is_str(s, "3.5万", "short Chinese ten-thousands");
	locfmt_short(&zh, s, 250000000);
	is_str(s, "2.5亿", "short Chinese hundred-millions");
	locfmt_short(&en, s, 20);
	is_str(s, "20", "small values as they are");
	locfmt_short(&en, s, 0.25);
	is_str(s, "0.25", "fractions keep two decimals");
	return done_testing();
}
