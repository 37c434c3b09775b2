/* tests/unit/match/strsim_test.c: similarities over code points. */
#include <math.h>
#include <string.h>

#include "strsim.h"
#include "tap.h"

static double
jw(const char *a, const char *b)
{
	uint32_t ca[STRSIM_MAX], cb[STRSIM_MAX];
	size_t   na = strsim_decode(a, strlen(a), ca);
	size_t   nb = strsim_decode(b, strlen(b), cb);

	return strsim_jaro_winkler(ca, na, cb, nb);
}

static size_t
dist(const char *a, const char *b, int damerau)
{
	uint32_t ca[STRSIM_MAX], cb[STRSIM_MAX];
	size_t   na = strsim_decode(a, strlen(a), ca);
	size_t   nb = strsim_decode(b, strlen(b), cb);

	return damerau ? strsim_damerau(ca, na, cb, nb)
	               : strsim_levenshtein(ca, na, cb, nb);
}

int
main(void)
{
	uint32_t cp[STRSIM_MAX];

	plan(9);
	is_int((int)strsim_decode("张伟", strlen("张伟"), cp), 2,
	    "two ideographs are two characters");
	ok(fabs(jw("MARTHA", "MARHTA") - 0.9611) < 1e-4,
	    "Jaro-Winkler MARTHA/MARHTA 0.9611 (Winkler 1990)");
	ok(fabs(jw("DIXON", "DICKSONX") - 0.8133) < 1e-4,
	    "Jaro-Winkler DIXON/DICKSONX 0.8133");
	ok(jw("", "") == 1 && jw("a", "") == 0, "empty strings");
	is_int((int)dist("kitten", "sitting", 0), 3, "Levenshtein 3");
	is_int((int)dist("ca", "ac", 0), 2, "a transposition is 2 edits");
	is_int((int)dist("ca", "ac", 1), 1, "Damerau: 1 transposition");
	is_int((int)dist("张伟", "张玮", 1), 1, "one ideograph differs");
	is_int((int)dist("李娜", "娜李", 1), 1, "swapped ideographs");
	return done_testing();
}
