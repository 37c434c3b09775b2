/*
 * schema_test: the canonical record kinds and their vocabularies.  The
 * field lists in output order with their types, required flags and masks;
 * schema_field() and the kind names; and the vocabularies held to their
 * contract: words already in textnorm_fold() form (they are looked up
 * folded), no word listed twice, genders only to male/female/other/"",
 * the canonical words of open vocabularies mapping to themselves,
 * currencies to ISO 4217 codes, and the closed flags of the fields
 * agreeing with schema_vocab().
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "schema.h"
#include "tap.h"
#include "textnorm.h"

/* The text field_list() and type_list() return. */
static struct buf list;

/* The names of kind k's fields joined with ",", required ones starred. */
static const char *
field_list(enum ci_kind k)
{
	const struct field_def *f;
	size_t                  n, i;

	buf_reset(&list);
	f = schema_fields(k, &n);
	for (i = 0; i < n; i++)
		buf_addf(&list, "%s%s%s", i > 0 ? "," : "", f[i].name,
		    f[i].required ? "*" : "");
	return buf_str(&list);
}

/* The types of kind k's fields as numbers joined with ",". */
static const char *
type_list(enum ci_kind k)
{
	const struct field_def *f;
	size_t                  n, i;

	buf_reset(&list);
	f = schema_fields(k, &n);
	for (i = 0; i < n; i++)
		buf_addf(&list, "%s%d", i > 0 ? "," : "", (int)f[i].type);
	return buf_str(&list);
}

static void
test_fields(void)
{
	const struct field_def *f;
	size_t                  n, i;
	int                     k, bad = 0;
	char                    want[64];

	is_str(field_list(CI_KIND_CUSTOMER),
	    "source*,source_key*,name,email,phone,id_number,birth_date,"
	    "gender,city,address,created_at",
	    "customer fields in output order, required starred");
	snprintf(want, sizeof(want), "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d",
	    FT_SOURCE, FT_KEY, FT_NAME, FT_EMAIL, FT_PHONE, FT_IDNUM, FT_DATE,
	    FT_GENDER, FT_TEXT, FT_TEXT, FT_TIME);
	is_str(type_list(CI_KIND_CUSTOMER), want, "customer field types");
	is_str(field_list(CI_KIND_EVENT),
	    "customer_id*,source*,ts*,type,order_id,amount,currency,"
	    "product_id,category,channel,rating,text",
	    "event fields in output order, required starred");
	snprintf(want, sizeof(want), "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d",
	    FT_KEY, FT_SOURCE, FT_TIME, FT_TYPE, FT_KEY, FT_AMOUNT, FT_CURRENCY,
	    FT_KEY, FT_TEXT, FT_CHANNEL, FT_NUMBER, FT_TEXT);
	is_str(type_list(CI_KIND_EVENT), want, "event field types");

	f = schema_fields(CI_KIND_CUSTOMER, &n);
	ok(f[2].mask == MASK_NAME && f[3].mask == MASK_EMAIL &&
	        f[4].mask == MASK_PHONE && f[5].mask == MASK_IDCARD &&
	        f[1].mask == MASK_GENERIC && f[8].mask == MASK_GENERIC,
	    "customer masks: name, email, phone, id_number; others generic");

	for (k = 0; k < CI_KIND_COUNT; k++) {
		f = schema_fields((enum ci_kind)k, &n);
		if (n > SCHEMA_MAX_FIELDS)
			bad++;
		for (i = 0; i < n; i++)
			if (schema_field((enum ci_kind)k, f[i].name) != (int)i)
				bad++;
	}
	is_int(bad, 0,
	    "every field is found at its index, at most SCHEMA_MAX_FIELDS");
	ok(schema_field(CI_KIND_CUSTOMER, "ts") == -1 &&
	        schema_field(CI_KIND_EVENT, "email") == -1 &&
	        schema_field(CI_KIND_CUSTOMER, "Name") == -1 &&
	        schema_field(CI_KIND_CUSTOMER, "") == -1 &&
	        schema_field(CI_KIND_EVENT, "source") == 1,
	    "schema_field: other kind's names, case and \"\" are not fields");
}

static void
test_kinds(void)
{
	enum ci_kind k = CI_KIND_COUNT;

	ok(schema_kind_parse("customer", &k) == 0 && k == CI_KIND_CUSTOMER,
	    "parse 'customer'");
	k = CI_KIND_COUNT;
	ok(schema_kind_parse("customers", &k) == 0 && k == CI_KIND_CUSTOMER,
	    "parse 'customers'");
	k = CI_KIND_COUNT;
	ok(schema_kind_parse("event", &k) == 0 && k == CI_KIND_EVENT,
	    "parse 'event'");
	k = CI_KIND_COUNT;
	ok(schema_kind_parse("events", &k) == 0 && k == CI_KIND_EVENT,
	    "parse 'events'");
	ok(schema_kind_parse("Customer", &k) == -1 &&
	        schema_kind_parse("", &k) == -1 &&
	        schema_kind_parse("evt", &k) == -1 &&
	        schema_kind_parse("events ", &k) == -1,
	    "case, empty, abbreviations and trailing blanks are refused");
	ok(strcmp(schema_kind_name(CI_KIND_CUSTOMER), "customer") == 0 &&
	        strcmp(schema_kind_name(CI_KIND_EVENT), "event") == 0,
	    "kind names");
}

/*
 * Check every entry of vocabulary v: returns the number of words that
 * textnorm_fold() changes (or refuses), and adds to *dups the words seen
 * twice.
 */
static int
unfolded(const struct vocab_entry *v, int *dups)
{
	struct buf                b = { 0 };
	const struct vocab_entry *w;
	int                       bad = 0;

	for (; v->from != NULL; v++) {
		buf_reset(&b);
		if (textnorm_fold(v->from, strlen(v->from), &b) < 0 ||
		    strcmp(buf_str(&b), v->from) != 0) {
			if (bad++ == 0)
				diag("  '%s' folds to '%s'", v->from,
				    buf_str(&b));
		}
		for (w = v + 1; w->from != NULL; w++)
			if (strcmp(w->from, v->from) == 0) {
				diag("  '%s' listed twice", v->from);
				(*dups)++;
			}
	}
	buf_release(&b);
	return bad;
}

/* The value of word in v, or NULL. */
static const char *
lookup(const struct vocab_entry *v, const char *word)
{
	for (; v->from != NULL; v++)
		if (strcmp(v->from, word) == 0)
			return v->to;
	return NULL;
}

static void
test_vocab(void)
{
	static const enum field_type closed[] = { FT_GENDER, FT_TYPE,
		FT_CHANNEL, FT_CURRENCY };
	const struct vocab_entry    *v, *g = schema_vocab(FT_GENDER);
	const struct field_def      *f;
	size_t                       i, n;
	int                          t, k, bad, dups, count;

	bad = 0;
	for (t = FT_SOURCE; t <= FT_NUMBER; t++) {
		bool want = false;

		for (i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
			want = want || closed[i] == (enum field_type)t;
		if ((schema_vocab((enum field_type)t) != NULL) != want)
			bad++;
	}
	is_int(bad, 0,
	    "schema_vocab() is non-NULL for gender, type, channel, currency "
	    "only");

	bad = 0;
	for (k = 0; k < CI_KIND_COUNT; k++) {
		f = schema_fields((enum ci_kind)k, &n);
		for (i = 0; i < n; i++)
			if (f[i].closed != (schema_vocab(f[i].type) != NULL)) {
				diag("  field '%s'", f[i].name);
				bad++;
			}
	}
	is_int(bad, 0, "each field's closed flag matches schema_vocab()");

	for (i = 0; i < sizeof(closed) / sizeof(closed[0]); i++) {
		dups = 0;
		count = 0;
		for (v = schema_vocab(closed[i]); v->from != NULL; v++)
			count++;
		is_int(unfolded(schema_vocab(closed[i]), &dups), 0,
		    "vocabulary %d: every word is in folded form", (int)i);
		ok(dups == 0 && count > 10,
		    "vocabulary %d: %d words, none listed twice", (int)i,
		    count);
	}

	bad = 0;
	for (v = g; v->from != NULL; v++)
		if (strcmp(v->to, "male") != 0 &&
		    strcmp(v->to, "female") != 0 &&
		    strcmp(v->to, "other") != 0 && v->to[0] != '\0') {
			diag("  '%s' -> '%s'", v->from, v->to);
			bad++;
		}
	is_int(bad, 0, "every gender maps to male, female, other or \"\"");
	ok(lookup(g, "m") != NULL && strcmp(lookup(g, "m"), "male") == 0 &&
	        strcmp(lookup(g, "女"), "female") == 0 &&
	        strcmp(lookup(g, "unknown"), "") == 0 && lookup(g, "M") == NULL,
	    "gender samples: m, 女, unknown; 'M' only after folding");

	bad = 0;
	for (i = 1; i <= 2; i++)
		for (v = schema_vocab(closed[i]); v->from != NULL; v++) {
			const char *self =
			    lookup(schema_vocab(closed[i]), v->to);

			if (self == NULL || strcmp(self, v->to) != 0) {
				diag("  '%s' is not a word of its own", v->to);
				bad++;
			}
		}
	is_int(bad, 0,
	    "type and channel values are canonical words mapping to "
	    "themselves");

	bad = 0;
	for (v = schema_vocab(FT_CURRENCY); v->from != NULL; v++)
		if (strlen(v->to) != 3 || !isupper((unsigned char)v->to[0]) ||
		    !isupper((unsigned char)v->to[1]) ||
		    !isupper((unsigned char)v->to[2]))
			bad++;
	is_int(bad, 0, "currency words map to three-letter codes");

	ok(schema_vocab_open(FT_TYPE) && schema_vocab_open(FT_CHANNEL) &&
	        !schema_vocab_open(FT_GENDER) &&
	        !schema_vocab_open(FT_CURRENCY) && !schema_vocab_open(FT_TEXT),
	    "open vocabularies: type and channel only");
}

int
main(void)
{
	plan(7 + 6 + 2 + 8 + 5);
	test_fields();
	test_kinds();
	test_vocab();
	buf_release(&list);
	return done_testing();
}
