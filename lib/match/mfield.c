/*
 * mfield: compared fields (see mfield.h).  Each distinct value is
 * normalised and analysed once, when first met; a record holds the index
 * of its value, so comparing two records costs two lookups and, for the
 * close levels only, one similarity of code point strings.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "email.h"
#include "mfield.h"
#include "numfmt.h"
#include "phone.h"
#include "pname.h"
#include "strsim.h"
#include "textnorm.h"
#include "timeparse.h"
#include "xalloc.h"

static const char *const kind_names[] = { "name", "string", "exact", "phone",
	"email", "date", "number", NULL };
static const char *const method_names[] = { "jaro_winkler", "levenshtein",
	"damerau", NULL };

static const char *const name_levels[] = { "exact", "equivalent", "close",
	"different" };
static const char *const three_levels[] = { "exact", "close", "different" };
static const char *const two_levels[] = { "exact", "different" };

static int
word_index(const char *const *words, const char *s)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

int
mfield_kind_parse(const char *s)
{
	return word_index(kind_names, s);
}

const char *
mfield_kind_name(enum mfield_kind k)
{
	return kind_names[k];
}

int
mfield_method_parse(const char *s)
{
	return word_index(method_names, s);
}

const char *
mfield_method_name(enum mfield_method m)
{
	return method_names[m];
}

bool
mfield_default_spec(const char *column, struct mfield_spec *spec)
{
	static const struct {
		const char      *column;
		enum mfield_kind kind;
		double           close;
		bool             tf;
	} defs[] = {
		{ "name", MF_NAME, 0.9, true },
		{ "email", MF_EMAIL, 0, true },
		{ "phone", MF_PHONE, 0, true },
		{ "id_number", MF_EXACT, 0, false },
		{ "birth_date", MF_DATE, 0, false },
		{ "gender", MF_EXACT, 0, false },
		{ "city", MF_STRING, 0.9, true },
		{ "address", MF_STRING, 0.9, false },
	};
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (strcmp(defs[i].column, column) == 0) {
			memset(spec, 0, sizeof(*spec));
			spec->column = (char *)defs[i].column;
			spec->kind = defs[i].kind;
			spec->method = MM_JARO_WINKLER;
			spec->close = defs[i].close;
			spec->swap = defs[i].kind == MF_DATE;
			spec->tf = defs[i].tf;
			return true;
		}
	return false;
}

size_t
mfield_levels(enum mfield_kind k)
{
	if (k == MF_NAME)
		return 4;
	if (k == MF_EXACT || k == MF_PHONE)
		return 2;
	return 3;
}

const char *
mfield_level_name(enum mfield_kind k, unsigned l)
{
	if (l == MFIELD_MISSING)
		return "missing";
	if (k == MF_NAME)
		return name_levels[l];
	if (mfield_levels(k) == 2)
		return two_levels[l];
	return three_levels[l];
}

void
mfield_init(struct mfield *f, const struct mfield_spec *spec, int cc)
{
	memset(f, 0, sizeof(*f));
	f->spec = *spec;
	f->spec.column = xstrdup(spec->column);
	f->phone_cc = cc;
	hmap_init(&f->vals);
	hmap_init(&f->forms);
}

static uint32_t
intern_form(struct mfield *f, const struct buf *b)
{
	bool is_new;

	return (uint32_t)hmap_intern(&f->forms, buf_str(b), b->len, &is_new);
}

/* Room for a normalised phone, ISO date or number. */
#define NORM_MAX 64
_Static_assert(NORM_MAX >= PHONE_MAX && NORM_MAX >= CIVIL_ISO_MAX &&
        NORM_MAX >= NUMFMT_MAX,
    "NORM_MAX holds every normal form");

/* Normalise the value at s into f->t1 (and the analysis into v). */
static void
normalise(struct mfield *f, const char *s, size_t len, struct mfield_val *v)
{
	char             tmp[NORM_MAX];
	const char      *why;
	struct tp_result tr;
	double           d;

	buf_reset(&f->t1);
	v->num = NAN;
	switch (f->spec.kind) {
	case MF_NAME:
		if (pname_forms(s, len, &f->t1, &f->t2) < 0)
			break;
		return;
	case MF_PHONE:
		if (phone_normalize(s, len, f->phone_cc, tmp, &why) == 0) {
			buf_addstr(&f->t1, tmp);
			return;
		}
		break;
	case MF_EMAIL:
		if (email_normalize(s, len, &f->t1, &why) == 0)
			return;
		buf_reset(&f->t1);
		break;
	case MF_DATE:
		if (timeparse(s, len, NULL, &tr, &why) == 0) {
			v->num = (double)civil_day(tr.utc);
			civil_format_date(tmp, civil_day(tr.utc));
			buf_addstr(&f->t1, tmp);
			return;
		}
		break;
	case MF_NUMBER:
		if (numfmt_parse(s, len, &d) && isfinite(d)) {
			v->num = d;
			buf_add(&f->t1, tmp, numfmt_double(tmp, d));
			return;
		}
		break;
	default:
		break;
	}
	buf_reset(&f->t1);
	if (textnorm_fold(s, len, &f->t1) < 0)
		buf_add(&f->t1, s, len);
}

void
mfield_add(struct mfield *f, const char *s, size_t len)
{
	struct mfield_val v = { 0 };
	size_t            id;
	bool              is_new;

	xgrow(&f->rec, &f->caprec, f->nrec + 1, sizeof(*f->rec));
	f->rec[f->nrec] = 0;
	if (len == 0) {
		f->nrec++;
		return;
	}
	normalise(f, s, len, &v);
	if (f->t1.len == 0) {
		f->nrec++;
		return;
	}
	id = hmap_intern(&f->vals, buf_str(&f->t1), f->t1.len, &is_new);
	if (is_new) {
		xgrow(&f->val, &f->capval, id + 1, sizeof(*f->val));
		if (f->spec.kind == MF_NAME) {
			const char *r = buf_str(&f->t2);
			size_t      i;

			for (i = 0; i < 3; i++) {
				buf_reset(&f->t3);
				pname_join(r, f->t2.len, (int)i,
				    i == 2 ? ' ' : 0, &f->t3);
				v.form[i] = intern_form(f, &f->t3);
			}
		}
		f->val[id] = v;
	}
	f->val[id].count++;
	f->nonnull++;
	f->rec[f->nrec++] = (uint32_t)id + 1;
}

/* The similarity test of the close level on two strings. */
static bool
close_strings(
    const struct mfield *f, const char *a, size_t na, const char *b, size_t nb)
{
	uint32_t ca[STRSIM_MAX], cb[STRSIM_MAX];
	size_t   la = strsim_decode(a, na, ca), lb = strsim_decode(b, nb, cb);

	switch (f->spec.method) {
	case MM_LEVENSHTEIN:
		return (double)strsim_levenshtein(ca, la, cb, lb) <=
		    f->spec.close;
	case MM_DAMERAU:
		return (double)strsim_damerau(ca, la, cb, lb) <= f->spec.close;
	default:
		return strsim_jaro_winkler(ca, la, cb, lb) >= f->spec.close;
	}
}

static unsigned
compare_names(const struct mfield *f, uint32_t a, uint32_t b)
{
	const struct mfield_val *va = &f->val[a], *vb = &f->val[b];
	const char              *sa, *sb, *rb;
	size_t                   na, nb, nr;

	if (va->form[0] == vb->form[0] || va->form[0] == vb->form[1] ||
	    va->form[2] == vb->form[2])
		return 1;
	sa = hmap_key(&f->forms, va->form[0], &na);
	sb = hmap_key(&f->forms, vb->form[0], &nb);
	rb = hmap_key(&f->forms, vb->form[1], &nr);
	if (na > 0 && nb > 0 &&
	    (close_strings(f, sa, na, sb, nb) ||
	        close_strings(f, sa, na, rb, nr)))
		return 2;
	sa = hmap_key(&f->vals, a, &na);
	sb = hmap_key(&f->vals, b, &nb);
	return close_strings(f, sa, na, sb, nb) ? 2 : 3;
}

/* Whether two dates (days) are close: near, or day and month swapped. */
static bool
close_dates(const struct mfield *f, double a, double b)
{
	int64_t  ya, yb;
	unsigned ma, mb, da, db;

	if (isnan(a) || isnan(b))
		return false;
	if (fabs(a - b) <= f->spec.close)
		return true;
	if (!f->spec.swap)
		return false;
	civil_from_days((int64_t)a, &ya, &ma, &da);
	civil_from_days((int64_t)b, &yb, &mb, &db);
	return ya == yb && ma == db && da == mb;
}

static bool
close_emails(const struct mfield *f, uint32_t a, uint32_t b)
{
	size_t      na, nb;
	const char *sa = hmap_key(&f->vals, a, &na);
	const char *sb = hmap_key(&f->vals, b, &nb);
	const char *at_a = memchr(sa, '@', na), *at_b = memchr(sb, '@', nb);
	uint32_t    ca[STRSIM_MAX], cb[STRSIM_MAX];
	size_t      la, lb;

	if (at_a != NULL && at_b != NULL && at_a - sa == at_b - sb &&
	    memcmp(sa, sb, (size_t)(at_a - sa)) == 0)
		return true;
	la = strsim_decode(sa, na, ca);
	lb = strsim_decode(sb, nb, cb);
	return strsim_damerau(ca, la, cb, lb) <= 1;
}

unsigned
mfield_compare(const struct mfield *f, size_t ra, size_t rb)
{
	uint32_t    a = f->rec[ra], b = f->rec[rb];
	const char *sa, *sb;
	size_t      na, nb;

	if (a == 0 || b == 0)
		return MFIELD_MISSING;
	if (a == b)
		return 0;
	a--, b--;
	switch (f->spec.kind) {
	case MF_NAME:
		return compare_names(f, a, b);
	case MF_STRING:
		sa = hmap_key(&f->vals, a, &na);
		sb = hmap_key(&f->vals, b, &nb);
		return close_strings(f, sa, na, sb, nb) ? 1 : 2;
	case MF_EMAIL:
		return close_emails(f, a, b) ? 1 : 2;
	case MF_DATE:
		return close_dates(f, f->val[a].num, f->val[b].num) ? 1 : 2;
	case MF_NUMBER:
		return !isnan(f->val[a].num) && !isnan(f->val[b].num) &&
		        fabs(f->val[a].num - f->val[b].num) <= f->spec.close
		    ? 1
		    : 2;
	default:
		return 1;
	}
}

uint32_t
mfield_count(const struct mfield *f, size_t a)
{
	uint32_t v = f->rec[a];

	return v == 0 ? 0 : f->val[v - 1].count;
}

double
mfield_count_mean(const struct mfield *f)
{
	double num = 0, den = 0, c;
	size_t i, n = hmap_count(&f->vals);

	for (i = 0; i < n; i++) {
		c = (double)f->val[i].count;
		num += c * c * (c - 1);
		den += c * (c - 1);
	}
	return den > 0 ? num / den : 0;
}

const char *
mfield_value(const struct mfield *f, size_t a, size_t *len)
{
	uint32_t v = f->rec[a];

	if (v == 0)
		return NULL;
	if (f->spec.kind == MF_NAME)
		return hmap_key(&f->forms, f->val[v - 1].form[2], len);
	return hmap_key(&f->vals, v - 1, len);
}

void
mfield_release(struct mfield *f)
{
	free(f->spec.column);
	hmap_release(&f->vals);
	hmap_release(&f->forms);
	free(f->val);
	free(f->rec);
	buf_release(&f->t1);
	buf_release(&f->t2);
	buf_release(&f->t3);
	memset(f, 0, sizeof(*f));
}
