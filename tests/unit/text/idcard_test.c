/*
 * tests/unit/text/idcard_test.c: PRC resident identity card numbers.  Every
 * number below carries the check character worked out by hand in its
 * comment (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check characters
 * "10X98765432" indexed by the sum mod 11), so that a refusal is for the
 * reason tested and not for a wrong check character.
 */
#include <string.h>

#include "tap.h"
#include "idcard.h"

/* 2024-06-01: 54 years of 365 days and 13 leap days to 2024-01-01
 * (19723), then 31 + 29 + 31 + 30 + 31 = 152 days. */
#define TODAY 19875

static void
status(const char *in, int64_t today, enum idcard_status want, const char *name)
{
	struct idcard id;
	int           got = idcard_check(in, strlen(in), today, &id);

	if (!ok(got == (int)want, "%s: '%s'", name, in))
		diag("  got '%s', want '%s'",
		    idcard_strerror((enum idcard_status)got),
		    idcard_strerror(want));
}

/* in must be valid and normalise to number, birth day and gender. */
static void
valid(const char *in, const char *number, int64_t birth_day, char gender,
    const char *name)
{
	struct idcard id;
	int           got = idcard_check(in, strlen(in), TODAY, &id);

	if (got != IDCARD_OK) {
		ok(0, "%s: '%s'", name, in);
		diag("  refused: %s", idcard_strerror((enum idcard_status)got));
		return;
	}
	ok(strcmp(id.number, number) == 0 && id.birth_day == birth_day &&
	        id.gender == gender,
	    "%s: '%s' is %s, day %lld, %c", name, in, number,
	    (long long)birth_day, gender);
	if (strcmp(id.number, number) != 0 || id.birth_day != birth_day ||
	    id.gender != gender)
		diag("  got %s, day %lld, %c", id.number,
		    (long long)id.birth_day, id.gender);
}

int
main(void)
{
	static const struct {
		const char *digits;
		int         sum;
		char        want;
	} checks[] = {
		{ "11010519491231001", 165, '1' }, /* 165 = 15 * 11 + 0 */
		{ "11010519491231007", 177, '0' }, /* 177 = 16 * 11 + 1 */
		{ "11010519491231002", 167, 'X' }, /* 167 = 15 * 11 + 2 */
		{ "11010519491231008", 179, '9' }, /* 179 = 16 * 11 + 3 */
		{ "11010519491231003", 169, '8' }, /* 169 = 15 * 11 + 4 */
		{ "11010519491231009", 181, '7' }, /* 181 = 16 * 11 + 5 */
		{ "11010519491231004", 171, '6' }, /* 171 = 15 * 11 + 6 */
		{ "11010519491231050", 183, '5' }, /* 183 = 16 * 11 + 7 */
		{ "11010519491231005", 173, '4' }, /* 173 = 15 * 11 + 8 */
		{ "11010519491231000", 163, '3' }, /* 163 = 14 * 11 + 9 */
		{ "11010519491231006", 175, '2' }, /* 175 = 15 * 11 + 10 */
		/*
		 * No digit is 0, so each weight counts: 7 + 18 + 30 + 20 + 40 +
		 * 24 + 14 + 8 + 54 + 3 + 14 + 27 + 40 + 25 + 48 + 28 + 16.
		 */
		{ "12345678912345678", 416, '3' }, /* 416 = 37 * 11 + 9 */
	};
	size_t i;

	plan(44);

	/*
	 * The published sample 11010519491231002X.  Weighted sum of the
	 * first 17: 1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 +
	 * 9*3 + 1*7 + 2*9 + 3*10 + 1*5 + 0*8 + 0*4 + 2*2 = 167; 167 mod 11 =
	 * 2, and check character 2 is 'X'.  Born 1949-12-31: from there to
	 * 1970-01-01 is 1 day plus 20 years with 5 leap days (1952 ... 1968),
	 * 1 + 20 * 365 + 5 = 7306 days, so day -7306.  Sequence 002 is even:
	 * a woman.
	 */
	valid("11010519491231002X", "11010519491231002X", -7306, 'F',
	    "published sample");
	valid("11010519491231002x", "11010519491231002X", -7306, 'F',
	    "lower-case x");
	valid("  11010519491231002X\t", "11010519491231002X", -7306, 'F',
	    "blanks around it");
	valid("110105491231002", "11010519491231002X", -7306, 'F',
	    "15 digits, converted to 18");

	/* Sequence 001: sum 167 - 2*2 + 1*2 = 165 = 0 mod 11, check '1'. */
	valid("110105194912310011", "110105194912310011", -7306, 'M',
	    "odd sequence is a man");
	/* Sequence 004: sum 167 - 2*2 + 4*2 = 171 = 6 mod 11, check '6'. */
	valid("110105194912310046", "110105194912310046", -7306, 'F',
	    "even sequence is a woman");

	/*
	 * 1900-01-01, the earliest: digits 7-14 weigh 2 1 6 3 7 9 10 5, and
	 * 19491231 gave 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 = 122 of the 167
	 * while 19000101 gives 2 + 9 + 0 + 0 + 0 + 9 + 0 + 5 = 25: sum 70 =
	 * 4 mod 11, check '8'.  70 years with 17 leap days (1904 ... 1968)
	 * to 1970: day -(70 * 365 + 17) = -25567.
	 */
	valid("110105190001010028", "110105190001010028", -25567, 'F',
	    "born 1900-01-01");
	/*
	 * 2000-02-29, a leap day: 20000229 weighs 4 + 0 + 0 + 0 + 0 + 18 +
	 * 20 + 45 = 87, sum 167 - 122 + 87 = 132 = 0 mod 11, check '1'.
	 * 30 years with 7 leap days (1972 ... 1996) to 2000-01-01 is 10957
	 * days, then 31 + 28: day 11016.
	 */
	valid("110105200002290021", "110105200002290021", 11016, 'F',
	    "born on a leap day");
	/* Province 83: 8*7 + 3*9 = 83 for 16, sum 234 = 3 mod 11, '9'. */
	valid("830105194912310029", "830105194912310029", -7306, 'F',
	    "province 83 (residence permit)");

	status("110105194912310021", TODAY, IDCARD_BAD_CHECK,
	    "wrong check character");
	status("110105194912310012", TODAY, IDCARD_BAD_CHECK,
	    "check digit off by one");
	/* Sequence 003: sum 167 - 2*2 + 3*2 = 169 = 4 mod 11, check '8'. */
	valid("110105491231003", "110105194912310038", -7306, 'M',
	    "15 digits, odd sequence");

	/* 19490230: 0*7 + 2*9 + 3*10 + 0*5 = 48 for 60, sum 155 = 1, '0'. */
	status("110105194902300020", TODAY, IDCARD_BAD_BIRTH,
	    "impossible date 1949-02-30");
	/* 19000229 (1900 is no leap year): 94 for 122, sum 139 = 7, '5'. */
	status("110105190002290025", TODAY, IDCARD_BAD_BIRTH,
	    "1900-02-29 does not exist");
	/* 18991231: 2 + 8 + 54 + 27 + 60 = 151 for 122, sum 196 = 9, '3'. */
	status(
	    "110105189912310023", TODAY, IDCARD_BAD_BIRTH, "born before 1900");
	/* 20250101: 4 + 0 + 12 + 15 + 0 + 9 + 0 + 5 = 45, sum 90 = 2, 'X'. */
	status("11010520250101002X", TODAY, IDCARD_BAD_BIRTH,
	    "born after today (2024-06-01)");
	status("11010520250101002X", 20089, IDCARD_OK,
	    "born on today (2025-01-01)");
	status("11010519491231002X", -7307, IDCARD_BAD_BIRTH,
	    "born the day after today");
	status("11010519491231002X", -7306, IDCARD_OK, "born today");

	/* Province 99: 9*7 + 9*9 = 144 for 16, sum 295 = 9 mod 11, '3'. */
	status("990105194912310023", TODAY, IDCARD_BAD_REGION, "province 99");
	/* Province 16: 1*7 + 6*9 = 61 for 16, sum 212 = 3 mod 11, '9'. */
	status("160105194912310029", TODAY, IDCARD_BAD_REGION,
	    "province 16 is not in use");
	status("990105491231002", TODAY, IDCARD_BAD_REGION,
	    "15 digits, province 99");

	status("", TODAY, IDCARD_BAD_FORMAT, "empty");
	status("   ", TODAY, IDCARD_BAD_FORMAT, "only blanks");
	status("11010519491231002", TODAY, IDCARD_BAD_FORMAT, "17 characters");
	status(
	    "11010519491231002X1", TODAY, IDCARD_BAD_FORMAT, "19 characters");
	status("1101054912310021", TODAY, IDCARD_BAD_FORMAT, "16 digits");
	status(
	    "1101051949123100AX", TODAY, IDCARD_BAD_FORMAT, "a letter inside");
	status(
	    "X10105194912310021", TODAY, IDCARD_BAD_FORMAT, "X not at the end");
	status("11010549123100X", TODAY, IDCARD_BAD_FORMAT,
	    "15 digits end in no X");
	status(
	    "110105 19491231002X", TODAY, IDCARD_BAD_FORMAT, "a blank inside");

	/*
	 * The check character on its own, once for each sum mod 11.  The
	 * prefixes are the sample's with sequence 00k, whose sum is 163 + 2k
	 * (sequence 000 sums to 167 - 2*2 = 163), and 050 for 163 + 5*4 =
	 * 183, the one residue (7) that 00k misses; the last has no 0.
	 */
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		char got = idcard_check_char(checks[i].digits);

		if (!ok(got == checks[i].want,
		        "check character of %s (sum %d, %d mod 11) is %c",
		        checks[i].digits, checks[i].sum, checks[i].sum % 11,
		        checks[i].want))
			diag("  got '%c'", got != '\0' ? got : '?');
	}
	ok(idcard_check_char("1101051949123100A") == '\0',
	    "no check character for a non-digit");
	return done_testing();
}
