/*
 * tests/unit/match/mfield_test.c: the levels of each kind of compared
 * field, values normalised first; value counts for term frequencies.
 */
#include <string.h>

#include "mfield.h"
#include "phone.h"
#include "tap.h"

/* A field of kind k (close, swap) holding the NULL-terminated values. */
static void
field(struct mfield *f, enum mfield_kind k, enum mfield_method m, double close,
    bool swap, const char *const *v)
{
	struct mfield_spec s = { .column = "x",
		.kind = k,
		.method = m,
		.close = close,
		.swap = swap };

	mfield_init(f, &s, phone_region_code("CN"));
	for (; *v != NULL; v++)
		mfield_add(f, *v, strlen(*v));
}

static void
test_names(void)
{
	static const char *const v[] = { "张伟", "張 偉", "Zhang Wei",
		"Wei Zhang", "ZhangWei", "Zhang Wie", "Li Na", "", "Zhāng Wěi",
		NULL };
	struct mfield            f;
	size_t                   len;

	field(&f, MF_NAME, MM_JARO_WINKLER, 0.9, false, v);
	is_int(mfield_compare(&f, 0, 1), 0, "name: traditional, spaced: exact");
	is_int(
	    mfield_compare(&f, 0, 2), 1, "name: hanzi and pinyin: equivalent");
	is_int(mfield_compare(&f, 0, 3), 1, "name: swapped pinyin: equivalent");
	is_int(mfield_compare(&f, 2, 4), 1, "name: run together: equivalent");
	is_int(mfield_compare(&f, 2, 5), 2, "name: transposed letters: close");
	is_int(mfield_compare(&f, 0, 6), 3, "name: another name: different");
	is_int(
	    mfield_compare(&f, 0, 7), MFIELD_MISSING, "name: empty: missing");
	is_int(mfield_compare(&f, 2, 8), 0, "name: accents folded: exact");
	is_str(
	    mfield_value(&f, 0, &len), "wei zhang", "name value: sorted roman");
	ok(mfield_value(&f, 7, &len) == NULL, "no value for an empty name");
	is_int((int)mfield_count(&f, 0), 2, "张伟 and 張偉 count as one value");
	mfield_release(&f);
}

static void
test_strings(void)
{
	static const char *const v[] = { "Renmin Road 12", "renmin raod 12",
		"Renmin Rd 12", "Jiefang Road 7", NULL };
	struct mfield            f;

	field(&f, MF_STRING, MM_JARO_WINKLER, 0.9, false, v);
	is_int(
	    mfield_compare(&f, 0, 1), 1, "jaro-winkler: transposition close");
	is_int(mfield_compare(&f, 0, 3), 2, "jaro-winkler: other: different");
	mfield_release(&f);
	field(&f, MF_STRING, MM_LEVENSHTEIN, 1, false, v);
	is_int(mfield_compare(&f, 0, 1), 2,
	    "levenshtein 1: a transposition is two edits");
	is_int(mfield_compare(&f, 0, 0), 0, "levenshtein: same: exact");
	mfield_release(&f);
	field(&f, MF_STRING, MM_DAMERAU, 1, false, v);
	is_int(
	    mfield_compare(&f, 0, 1), 1, "damerau 1: a transposition is one");
	is_int(
	    mfield_compare(&f, 0, 2), 2, "damerau 1: two deletions: different");
	mfield_release(&f);
}

static void
test_identifiers(void)
{
	static const char *const ph[] = { "138 1111 2222", "+86 138-1111-2222",
		"13811112223", "call me", "CALL ME", NULL };
	static const char *const em[] = { "Lina88@QQ.com", "lina88@qq.com",
		"lina88@163.com", "lina89@qq.com", "zhao@sina.com", NULL };
	static const char *const ex[] = { "M", "M", "F", NULL };
	struct mfield            f;

	field(&f, MF_PHONE, MM_JARO_WINKLER, 0, false, ph);
	is_int(mfield_compare(&f, 0, 1), 0, "phone: +86 and spaces: exact");
	is_int(mfield_compare(&f, 0, 2), 1, "phone: another number: different");
	is_int(mfield_compare(&f, 3, 4), 0, "phone: not a number: folded text");
	mfield_release(&f);
	field(&f, MF_EMAIL, MM_JARO_WINKLER, 0, false, em);
	is_int(mfield_compare(&f, 0, 1), 0, "email: case folded: exact");
	is_int(mfield_compare(&f, 1, 2), 1, "email: mailbox at another domain");
	is_int(mfield_compare(&f, 1, 3), 1, "email: one edit: close");
	is_int(mfield_compare(&f, 1, 4), 2, "email: other: different");
	mfield_release(&f);
	field(&f, MF_EXACT, MM_JARO_WINKLER, 0, false, ex);
	is_int(mfield_compare(&f, 0, 1), 0, "exact: same");
	is_int(mfield_compare(&f, 0, 2), 1, "exact: not: different");
	mfield_release(&f);
}

static void
test_dates_numbers(void)
{
	static const char *const d[] = { "1992-05-06", "1992/05/06",
		"1992-06-05", "1992-05-08", "1993-05-06", "not a date", NULL };
	static const char *const n[] = { "10", "10.0", "10.4", "11", NULL };
	struct mfield            f;
	size_t                   len;

	field(&f, MF_DATE, MM_JARO_WINKLER, 0, true, d);
	is_int(mfield_compare(&f, 0, 1), 0, "date: written two ways: exact");
	is_int(
	    mfield_compare(&f, 0, 2), 1, "date: day and month swapped: close");
	is_int(mfield_compare(&f, 0, 3), 2, "date: two days apart, close 0");
	is_int(mfield_compare(&f, 0, 5), 2, "date: not a date: different");
	is_str(mfield_value(&f, 1, &len), "1992-05-06", "date value: ISO");
	mfield_release(&f);
	field(&f, MF_DATE, MM_JARO_WINKLER, 3, false, d);
	is_int(mfield_compare(&f, 0, 2), 2, "date: no swap: different");
	is_int(mfield_compare(&f, 0, 3), 1, "date: within 3 days: close");
	is_int(mfield_compare(&f, 0, 4), 2, "date: a year apart: different");
	mfield_release(&f);
	field(&f, MF_NUMBER, MM_JARO_WINKLER, 0.5, false, n);
	is_int(mfield_compare(&f, 0, 1), 0, "number: 10 and 10.0: exact");
	is_int(mfield_compare(&f, 0, 2), 1, "number: within 0.5: close");
	is_int(mfield_compare(&f, 0, 3), 2, "number: 1 apart: different");
	mfield_release(&f);
}

static void
test_counts_words(void)
{
	static const char *const v[] = { "a", "a", "b", "b", "b", "c", "",
		NULL };
	struct mfield_spec       s;
	struct mfield            f;

	field(&f, MF_EXACT, MM_JARO_WINKLER, 0, false, v);
	is_int((int)mfield_count(&f, 2), 3, "count of b");
	is_int((int)mfield_count(&f, 6), 0, "count of none");
	is_near(mfield_count_mean(&f), (4.0 * 1 + 9.0 * 2) / (2 + 6), 1e-12,
	    "count mean over agreeing pairs");
	ok(f.nonnull == 6, "six values");
	mfield_release(&f);
	is_int(mfield_kind_parse("date"), MF_DATE, "kind word");
	is_int(mfield_kind_parse("fuzzy"), -1, "unknown kind");
	is_int(mfield_method_parse("damerau"), MM_DAMERAU, "method word");
	is_str(mfield_level_name(MF_NAME, 1), "equivalent", "name level 1");
	is_str(mfield_level_name(MF_PHONE, 1), "different", "phone level 1");
	is_str(
	    mfield_level_name(MF_DATE, MFIELD_MISSING), "missing", "missing");
	is_int((int)mfield_levels(MF_EMAIL), 3, "three levels for email");
	ok(mfield_default_spec("birth_date", &s) && s.kind == MF_DATE && s.swap,
	    "birth_date: a date, swap on");
	ok(mfield_default_spec("phone", &s) && s.kind == MF_PHONE && s.tf,
	    "phone: term frequency on");
	ok(!mfield_default_spec("loyalty", &s), "no default for loyalty");
}

int
main(void)
{
	plan(51);
	test_names();
	test_strings();
	test_identifiers();
	test_dates_numbers();
	test_counts_words();
	return done_testing();
}
