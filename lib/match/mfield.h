/*
 * mfield: one compared field of the records being resolved: how it is
 * compared, each record's value normalised and interned, the number of
 * records holding each value (for term frequencies), and the comparison
 * of two records' values into a level.
 *
 * Levels count from 0, the best:
 *
 *   name    exact, equivalent (swapped, traditional/simplified, hanzi
 *           against pinyin: pname.h), close, different
 *   string  exact, close (the method's similarity at least close, or its
 *           distance at most close), different
 *   email   exact, close (one edit apart, or the same mailbox at another
 *           domain), different
 *   date    exact, close (at most close days apart, or day and month
 *           swapped when swap is set), different
 *   number  exact, close (at most close apart), different
 *   exact, phone  exact, different
 *
 * and MFIELD_MISSING when either value is empty.  Values are normalised
 * first: names by pname, strings case-folded NFKC, phones to E.164,
 * e-mail addresses by lib/text/email, dates to ISO 8601 days; a value
 * that does not normalise (a phone with letters) is compared as its
 * folded text.
 */
#ifndef CI_MFIELD_H
#define CI_MFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hmap.h"

#define MFIELD_MISSING 255
#define MFIELD_MAX_LEVELS 4

enum mfield_kind {
	MF_NAME,
	MF_STRING,
	MF_EXACT,
	MF_PHONE,
	MF_EMAIL,
	MF_DATE,
	MF_NUMBER
};

enum mfield_method { MM_JARO_WINKLER, MM_LEVENSHTEIN, MM_DAMERAU };

struct mfield_spec {
	char              *column;
	enum mfield_kind   kind;
	enum mfield_method method; /* names and strings */
	double             close;  /* see above */
	bool               swap;   /* dates: day and month swapped is close */
	bool               tf;     /* term-frequency adjustment of exact */
};

/* Per distinct value. */
struct mfield_val {
	uint32_t count;   /* records holding it */
	uint32_t form[3]; /* names: roman joined as written, reversed,
	                        sorted (indices in forms) */
	double   num;     /* dates: days since 1970-01-01; numbers; NaN */
};

struct mfield {
	struct mfield_spec spec;
	int                phone_cc; /* default calling code of phones */
	struct hmap        vals;     /* normalised values */
	struct mfield_val *val;
	size_t             capval;
	struct hmap        forms; /* names: the joined romans */
	uint32_t          *rec;   /* per record: value index + 1, 0: none */
	size_t             nrec, caprec;
	uint64_t           nonnull;
	struct buf         t1, t2, t3; /* scratch */
};

/* The kind's word ("name", "string", ...) to a kind; -1 if none. */
int         mfield_kind_parse(const char *s);
const char *mfield_kind_name(enum mfield_kind k);
int         mfield_method_parse(const char *s);
const char *mfield_method_name(enum mfield_method m);

/* The default spec of a canonical field (name, email, phone, id_number,
 * birth_date, gender, city, address), or false if there is none. */
bool mfield_default_spec(const char *column, struct mfield_spec *spec);

/* The number of levels of a kind, MFIELD_MISSING apart. */
size_t mfield_levels(enum mfield_kind k);

/* The name of level l of kind k ("exact", ...; "missing"). */
const char *mfield_level_name(enum mfield_kind k, unsigned l);

/* Set up f for spec (copied, column duplicated), phones read with
 * default calling code cc. */
void mfield_init(struct mfield *f, const struct mfield_spec *spec, int cc);

/* Add the next record's value (len bytes at s, blank-trimmed; empty for
 * none). */
void mfield_add(struct mfield *f, const char *s, size_t len);

/* The level of records a and b. */
unsigned mfield_compare(const struct mfield *f, size_t a, size_t b);

/* The number of records whose value is record a's; 0 when a has none. */
uint32_t mfield_count(const struct mfield *f, size_t a);

/*
 * The mean number of records holding the value that two records with
 * equal values share, over all such pairs: sum c^2 (c - 1) / sum c (c -
 * 1) over the values held by c records.  0 when no value is shared.
 * mfield_count(a) over it is a's term-frequency ratio (fsmatch_bf).
 */
double mfield_count_mean(const struct mfield *f);

/*
 * Record a's normalised value, valid until f changes: names give their
 * sorted roman (the order-free key), dates their ISO date.  NULL when
 * empty.  A name's words are its sorted roman's, space-separated.
 */
const char *mfield_value(const struct mfield *f, size_t a, size_t *len);

/* Record a's value index (0: none; else index + 1). */
static inline uint32_t
mfield_vid(const struct mfield *f, size_t a)
{
	return f->rec[a];
}

void mfield_release(struct mfield *f);

#endif
