/*
 * schema: the canonical record kinds of design.md and ci(7): their columns
 * in output order, what type of value each holds, which are required, and
 * the built-in vocabularies of the closed fields (type, gender, channel).
 */
#ifndef CI_SCHEMA_H
#define CI_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "mask.h"

enum ci_kind { CI_KIND_CUSTOMER = 0, CI_KIND_EVENT, CI_KIND_COUNT };

/* How a canonical field is parsed and normalised. */
enum field_type {
	FT_SOURCE,   /* the source's name, filled by ci-ingest */
	FT_KEY,      /* an identifier: NFKC, blanks trimmed */
	FT_TEXT,     /* free text: NFKC, white space collapsed */
	FT_NAME,     /* a person's name (textnorm_name) */
	FT_EMAIL,    /* email_normalize */
	FT_PHONE,    /* E.164 */
	FT_IDNUM,    /* PRC resident ID number */
	FT_DATE,     /* a calendar date, YYYY-MM-DD */
	FT_TIME,     /* a timestamp, ISO 8601 UTC */
	FT_GENDER,   /* male, female, other (closed) */
	FT_TYPE,     /* event type (canonical words, or the source's own) */
	FT_CHANNEL,  /* sales channel (canonical words, or the source's own) */
	FT_AMOUNT,   /* money */
	FT_CURRENCY, /* ISO 4217 code */
	FT_NUMBER    /* a plain number (rating) */
};

struct field_def {
	const char     *name;
	enum field_type type;
	bool            required;
	enum mask_kind  mask;   /* how --mask hides it */
	bool            closed; /* has a built-in vocabulary (schema_vocab) */
};

/* Most canonical fields of any kind. */
#define SCHEMA_MAX_FIELDS 16

/* The fields of kind k in output order; *n gets their number. */
const struct field_def *schema_fields(enum ci_kind k, size_t *n);

/* The index of field name in kind k, or -1. */
int schema_field(enum ci_kind k, const char *name);

/* "customer" or "event". */
const char *schema_kind_name(enum ci_kind k);

/* Parse "customer"/"customers" or "event"/"events"; returns 0 or -1. */
int schema_kind_parse(const char *s, enum ci_kind *k);

struct vocab_entry {
	const char *from; /* case-folded NFKC form */
	const char *to;   /* canonical value; "" means no value */
};

/*
 * The built-in vocabulary of a closed field type (FT_GENDER, FT_TYPE,
 * FT_CHANNEL, FT_CURRENCY), terminated by an entry with from == NULL; NULL for
 * other types.  Words are compared after textnorm_fold().
 */
const struct vocab_entry *schema_vocab(enum field_type t);

/*
 * True when a value outside the vocabulary is kept (folded) rather than
 * counted as a problem: event types and channels may be a source's own
 * words, genders may not, and a currency must be an ISO 4217 code or a
 * word of the vocabulary.
 */
bool schema_vocab_open(enum field_type t);

#endif
