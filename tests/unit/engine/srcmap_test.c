/*
 * srcmap_test: source maps from YAML and from the command line.  Defaults
 * from the caller and from the file inherited by every field and
 * overridden per source and per field (tz, date_order, region,
 * decimal_comma); fields as column names and as mappings; a source's
 * values overriding the built-in vocabulary word by word; required
 * fields; files as a value and as a list; the reading options; matching a
 * path or its base name against the patterns, first source first; finding
 * a source by name; every error a user can write in a map, with its exact
 * message and line; srcmap_add_cli() and srcmap_add_value() with good and
 * bad arguments; srcmap_field_value() folding what it looks up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "srcmap.h"
#include "tap.h"

static char dir[] = "/tmp/srcmap_test.XXXXXX";
static char mappath[300];

/* Scratch space for srcmap_field_value(). */
static struct buf scratch;

/* Write text to the map file and load it into *m (released first). */
static int
load(struct srcmap *m, const char *text, const struct srcmap_defaults *d,
    struct ci_err *e)
{
	FILE *fp = fopen(mappath, "w");

	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	srcmap_release(m);
	memset(e, 0, sizeof(*e));
	return srcmap_load(m, mappath, d, e);
}

/*
 * Load text with zeroed defaults, expecting failure: "LINE: message", or
 * what went wrong instead (success, another code or file).
 */
static const char *
fail(const char *text)
{
	static char            out[1200];
	struct srcmap          m = { 0 };
	struct srcmap_defaults d = { 0 };
	struct ci_err          e = { 0 };

	if (load(&m, text, &d, &e) == 0)
		snprintf(out, sizeof(out), "loaded");
	else if (e.code != CI_EXIT_USAGE || strcmp(e.file, mappath) != 0)
		snprintf(out, sizeof(out), "code %d, file '%s', line %lu: %s",
		    e.code, e.file, e.line, e.msg);
	else
		snprintf(out, sizeof(out), "%lu: %s", e.line, e.msg);
	srcmap_release(&m);
	return out;
}

/*
 * How field of s is read, in one line: column, date order, zone, calling
 * code, decimal comma, required.
 */
static const char *
settings(const struct srcmap_source *s, const char *field)
{
	static const char *const orders[] = { "auto", "dmy", "mdy" };
	static char              out[256];
	int i = s != NULL ? schema_field(s->kind, field) : -1;
	const struct srcmap_field *f;

	if (i < 0)
		return "no such field";
	f = &s->f[i];
	snprintf(out, sizeof(out), "col=%s order=%s tz=%s cc=%d dc=%d req=%d",
	    f->column != NULL ? f->column : "-", orders[f->order],
	    f->tz != NULL ? tz_name(f->tz) : "-", f->cc, (int)f->decimal_comma,
	    (int)f->required);
	return out;
}

/* The canonical value of word in field of s, or "(none)". */
static const char *
val(const struct srcmap_source *s, const char *field, const char *word)
{
	int         i = s != NULL ? schema_field(s->kind, field) : -1;
	const char *v;

	if (i < 0)
		return "no such field";
	v = srcmap_field_value(&s->f[i], word, strlen(word), &scratch);
	return v != NULL ? v : "(none)";
}

/* The file patterns of s joined with "|"; globs(NULL) frees the text. */
static const char *
globs(const struct srcmap_source *s)
{
	static struct buf b;
	size_t            i;

	buf_reset(&b);
	if (s == NULL) {
		buf_release(&b);
		return NULL;
	}
	for (i = 0; i < s->nglobs; i++)
		buf_addf(&b, "%s%s", i > 0 ? "|" : "", s->globs[i]);
	return buf_str(&b);
}

static const char full_map[] =
    "defaults: { tz: Asia/Shanghai, date_order: dmy, region: CN }\n"
    "sources:\n"
    "  - name: crm\n"
    "    kind: customer\n"
    "    files: [crm_*.csv, \"exports/*.csv\"]\n"
    "    delimiter: \";\"\n"
    "    encoding: GB18030\n"
    "    fields:\n"
    "      source_key: 客户编号\n"
    "      phone: { column: 手机, region: US }\n"
    "      birth_date: { column: dob, date_order: mdy, tz: Europe/Berlin }\n"
    "      created_at: { column: ts, required: true }\n"
    "      gender: sex\n"
    "    values:\n"
    "      gender: { m: female, 男: male, 保密: other, Herr: male }\n"
    "    required: [phone, email]\n"
    "  - name: pos\n"
    "    kind: events\n"
    "    files: pos.csv\n"
    "    date_order: auto\n"
    "    tz: \"+08:00\"\n"
    "    region: de\n"
    "    decimal_comma: yes\n"
    "    fields:\n"
    "      customer_id: kunde\n"
    "      amount: { column: betrag, decimal_comma: false }\n"
    "      type: typ\n"
    "    values:\n"
    "      type: { Verkauf: order, Rückgabe: refund }\n"
    "  - name: all\n"
    "    kind: customer\n"
    "    files: [\"*.csv\"]\n"
    "    format: ndjson\n"
    "    no_header: true\n"
    "    column_names: [a, b, c]\n";

static void
test_load(void)
{
	struct srcmap               m = { 0 };
	struct srcmap_defaults      d = { 0 };
	struct ci_err               e = { 0 };
	const struct srcmap_source *crm, *pos, *all;

	is_int(load(&m, full_map, &d, &e), 0, "a source map loads");
	ok(m.n == 3, "three sources");
	crm = srcmap_find(&m, "crm");
	pos = srcmap_find(&m, "pos");
	all = srcmap_find(&m, "all");
	ok(crm == &m.src[0] && pos == &m.src[1] && all == &m.src[2] &&
	        srcmap_find(&m, "CRM") == NULL && srcmap_find(&m, "") == NULL,
	    "srcmap_find by exact name");
	ok(crm->kind == CI_KIND_CUSTOMER && pos->kind == CI_KIND_EVENT &&
	        crm->line == 3 && pos->line == 17 && all->line == 30,
	    "kinds ('events' too) and the line of each source");
	is_str(globs(crm), "crm_*.csv|exports/*.csv", "files as a list");
	is_str(globs(pos), "pos.csv", "files as a single value");
	ok(crm->in.delim == ';' && strcmp(crm->encoding, "GB18030") == 0 &&
	        crm->in.encoding == crm->encoding &&
	        crm->in.format == REC_FMT_AUTO && !crm->in.no_header,
	    "delimiter and encoding");
	ok(all->in.format == REC_FMT_NDJSON && all->in.no_header &&
	        strcmp(all->columns, "a,b,c") == 0 &&
	        all->in.columns == all->columns && all->in.delim == 0,
	    "format, no_header and column_names");

	is_str(settings(crm, "name"),
	    "col=- order=dmy tz=Asia/Shanghai cc=86 dc=0 req=0",
	    "crm name: the file's defaults");
	is_str(settings(crm, "source_key"),
	    "col=客户编号 order=dmy tz=Asia/Shanghai cc=86 dc=0 req=1",
	    "crm source_key: a column name, required by the schema");
	is_str(settings(crm, "phone"),
	    "col=手机 order=dmy tz=Asia/Shanghai cc=1 dc=0 req=1",
	    "crm phone: region overridden in the field, required by the list");
	is_str(settings(crm, "email"),
	    "col=- order=dmy tz=Asia/Shanghai cc=86 dc=0 req=1",
	    "crm email: required by the list without a column");
	is_str(settings(crm, "birth_date"),
	    "col=dob order=mdy tz=Europe/Berlin cc=86 dc=0 req=0",
	    "crm birth_date: date_order and tz overridden in the field");
	is_str(settings(crm, "created_at"),
	    "col=ts order=dmy tz=Asia/Shanghai cc=86 dc=0 req=1",
	    "crm created_at: required in the field");
	is_str(settings(pos, "customer_id"),
	    "col=kunde order=auto tz=+08:00 cc=49 dc=1 req=1",
	    "pos customer_id: the source's own settings");
	is_str(settings(pos, "amount"),
	    "col=betrag order=auto tz=+08:00 cc=49 dc=0 req=0",
	    "pos amount: decimal_comma turned off in the field");
	is_str(settings(pos, "ts"),
	    "col=- order=auto tz=+08:00 cc=49 dc=1 req=1",
	    "pos ts: required by the schema");
	is_str(settings(all, "city"),
	    "col=- order=dmy tz=Asia/Shanghai cc=86 dc=0 req=0",
	    "all city: the file's defaults again");

	is_str(val(crm, "gender", "m"), "female",
	    "a source's word wins over the built-in one ('m')");
	is_str(val(crm, "gender", "Ｍ"), "female",
	    "and is found folded (full-width 'Ｍ')");
	is_str(val(crm, "gender", "保密"), "other",
	    "a built-in word mapped to another value");
	is_str(val(crm, "gender", "HERR"), "male",
	    "a new word, folded when loaded and when looked up");
	is_str(val(crm, "gender", "男"), "male", "a word given as built in");
	is_str(val(crm, "gender", "Woman"), "female",
	    "built-in words not overridden stay");
	is_str(
	    val(crm, "gender", "unknown"), "", "a built-in word with no value");
	is_str(val(crm, "gender", "robot"), "(none)", "an unknown word: NULL");
	is_str(val(all, "gender", "m"), "male",
	    "another source keeps the built-in 'm'");
	is_str(val(pos, "type", "ＳＡＬＥ"), "order",
	    "'ＳＡＬＥ' folds to the built-in 'sale'");
	is_str(val(pos, "type", " Verkauf "), "order",
	    "a source's event type, blanks trimmed");
	is_str(val(pos, "type", "RÜCKGABE"), "refund",
	    "non-ASCII upper case folded");
	is_str(val(pos, "currency", "￥"), "CNY",
	    "built-in currency words: full-width yen");
	is_str(val(pos, "customer_id", "x"), "(none)",
	    "a field without a vocabulary has no words");
	is_str(val(pos, "type", "\xff"), "(none)", "invalid UTF-8: NULL");

	ok(srcmap_match(&m, "crm_2024.csv") == crm &&
	        srcmap_match(&m, "/data/in/crm_1.csv") == crm,
	    "match a base name");
	ok(srcmap_match(&m, "exports/x.csv") == crm,
	    "match a whole path against a pattern with '/'");
	ok(srcmap_match(&m, "pos.csv") == pos &&
	        srcmap_match(&m, "/tmp/pos.csv") == pos,
	    "the first matching source wins over a later '*.csv'");
	ok(srcmap_match(&m, "crm.csv") == all &&
	        srcmap_match(&m, "/x/exports/y.csv") == all,
	    "'crm.csv' needs the later '*.csv'");
	ok(srcmap_match(&m, "pos.csv.bak") == NULL &&
	        srcmap_match(&m, "data.txt") == NULL,
	    "no pattern matches: NULL");
	srcmap_release(&m);
	ok(m.n == 0 && m.src == NULL && m.zones == NULL,
	    "release zeroes the map");
	srcmap_release(&m);
}

static void
test_defaults(void)
{
	struct srcmap          m = { 0 };
	struct srcmap_defaults d = { TP_ORDER_MDY, "UTC", "US", true };
	struct ci_err          e = { 0 };
	static const char      one[] = "sources:\n"
	                               "  - name: a\n"
	                               "    kind: customer\n";

	ok(load(&m, one, &d, &e) == 0 && m.n == 1, "a minimal map");
	is_str(settings(&m.src[0], "name"),
	    "col=- order=mdy tz=UTC cc=1 dc=1 req=0",
	    "the caller's defaults reach every field");
	ok(load(&m,
	       "defaults: {region: GB, decimal_comma: false}\n"
	       "sources:\n"
	       "  - {name: a, kind: customer}\n",
	       &d, &e) == 0,
	    "a map with defaults");
	is_str(settings(&m.src[0], "phone"),
	    "col=- order=mdy tz=UTC cc=44 dc=0 req=0",
	    "the file's defaults override the caller's, the rest stays");
	memset(&d, 0, sizeof(d));
	ok(load(&m, one, &d, &e) == 0, "zeroed defaults");
	is_str(settings(&m.src[0], "name"),
	    "col=- order=auto tz=- cc=86 dc=0 req=0",
	    "no defaults: auto, UTC (no zone), CN");

	d.region = "ZZ";
	ok(load(&m, one, &d, &e) == -1 && e.code == CI_EXIT_USAGE &&
	        strcmp(e.file, mappath) == 0 && e.line == 2,
	    "a bad region from the caller fails at the source");
	is_str(e.msg, "unknown region 'ZZ' (want an ISO 3166 code such as CN)",
	    "naming it");
	srcmap_release(&m);

	memset(&e, 0, sizeof(e));
	ok(srcmap_load(&m, "/nonexistent/map.yaml", &d, &e) == -1 &&
	        e.code == CI_EXIT_IO &&
	        strcmp(e.file, "/nonexistent/map.yaml") == 0,
	    "a missing map file is an I/O error");
	is_str(e.msg, "cannot open: No such file or directory", "naming why");
	srcmap_release(&m);
}

static void
test_errors(void)
{
	static const char fields_c[] =
	    "fields are: 'source', 'source_key', 'name', 'email', 'phone', "
	    "'id_number', 'birth_date', 'gender', 'city', 'address', "
	    "'created_at'";
	char want[512];

	is_str(fail("sourcez: []\n"),
	    "1: unknown key 'sourcez' in the source map; known keys are: "
	    "'defaults', 'sources'",
	    "unknown key at the top");
	is_str(fail("defaults: {zone: UTC}\n"
	            "sources: [{name: a, kind: customer}]\n"),
	    "1: unknown key 'zone' in 'defaults'; known keys are: "
	    "'date_order', 'tz', 'region', 'decimal_comma'",
	    "unknown key in defaults");
	is_str(fail("sources:\n"
	            "  - name: crm\n"
	            "    kind: customer\n"
	            "    fiels: {}\n"),
	    "4: unknown key 'fiels' in source 'crm'; known keys are: 'name', "
	    "'kind', 'files', 'format', 'delimiter', 'encoding', 'no_header', "
	    "'column_names', 'fields', 'values', 'required', 'date_order', "
	    "'tz', 'region', 'decimal_comma', 'sentiment'",
	    "unknown key in a source");
	is_str(fail("sources:\n"
	            "  - name: crm\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      phone: {col: x}\n"),
	    "5: unknown key 'col' in a field; known keys are: 'column', "
	    "'date_order', 'tz', 'region', 'decimal_comma', 'required'",
	    "unknown key in a field");
	snprintf(want, sizeof(want),
	    "6: no field 'mobile' in customer records; %s", fields_c);
	is_str(fail("sources:\n"
	            "  - name: crm\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      phone: tel\n"
	            "      mobile: x\n"),
	    want, "unknown field, on its key's line");
	is_str(fail("sources:\n"
	            "  - {name: e, kind: event, fields: {source: x}}\n"),
	    "loaded", "'source' may name a column: each row's source");
	is_str(fail("sources:\n"
	            "  - name: crm\n"
	            "    kind: orders\n"),
	    "3: bad kind 'orders': want customer or event", "bad kind");
	is_str(fail("sources:\n"
	            "  - name: crm\n"
	            "    kind: customer\n"
	            "  - name: crm\n"
	            "    kind: event\n"),
	    "4: source 'crm' defined twice", "a source defined twice");
	is_str(fail("defaults:\n"
	            "  date_order: ymd\n"
	            "sources: [{name: a, kind: customer}]\n"),
	    "2: bad date_order 'ymd': want dmy, mdy or auto",
	    "bad date_order in defaults");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      birth_date: {column: d, date_order: ydm}\n"),
	    "5: bad date_order 'ydm': want dmy, mdy or auto",
	    "bad date_order in a field");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    region: XX\n"),
	    "4: unknown region 'XX' (want an ISO 3166 code such as CN)",
	    "unknown region");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      created_at:\n"
	            "        column: c\n"
	            "        tz: Mars/Olympus\n"),
	    "7: unknown time zone 'Mars/Olympus'", "unknown tz in a field");
	is_str(fail("defaults: {tz: Nowhere}\n"
	            "sources: [{name: a, kind: customer}]\n"),
	    "1: unknown time zone 'Nowhere'", "unknown tz in defaults");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    values:\n"
	            "      gender:\n"
	            "        m: male\n"
	            "        x: alien\n"),
	    "7: a gender must map to 'male', 'female', 'other' or ''",
	    "a gender that is not male, female, other or empty");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    values:\n"
	            "      gender: {x: ''}\n"),
	    "loaded", "a gender may map to ''");
	is_str(fail("defaults: {tz: UTC}\n"),
	    "1: 'sources' must be a list of sources", "'sources' missing");
	is_str(fail("defaults: {tz: UTC}\n"
	            "sources: []\n"),
	    "2: 'sources' must be a list of sources", "'sources' empty");
	is_str(fail("sources: {name: a}\n"),
	    "1: 'sources' must be a list of sources", "'sources' a mapping");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      phone: [tel, mobile]\n"),
	    "5: a field must name a column or be a mapping with 'column'",
	    "a field that is a list");
	snprintf(want, sizeof(want),
	    "6: no field 'fax' in customer records; %s", fields_c);
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    required:\n"
	            "      - phone\n"
	            "      - fax\n"),
	    want, "an unknown required field, at the line of the item");
	snprintf(want, sizeof(want),
	    "4: no field 'fax' in customer records; %s", fields_c);
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    required: fax\n"),
	    want, "an unknown required field given alone");
	is_str(fail(""), "0: a source map is a mapping with 'sources'",
	    "an empty file");
	is_str(fail("- a\n"), "1: a source map is a mapping with 'sources'",
	    "a list at the top");
	is_str(fail("sources: [crm]\n"), "1: a source must be a mapping",
	    "a source that is a word");
	is_str(fail("sources:\n"
	            "  - kind: customer\n"),
	    "2: source has no 'name'", "a source without a name");
	is_str(fail("sources:\n"
	            "  - name: crm\n"),
	    "2: source 'crm' has no 'kind' (customer or event)",
	    "a source without a kind");
	is_str(fail("sources:\n"
	            "  - name: [a, b]\n"
	            "    kind: customer\n"),
	    "2: 'name' must be a single value", "a name that is a list");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    decimal_comma: maybe\n"),
	    "4: bad decimal_comma 'maybe': want true or false",
	    "bad decimal_comma");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    fields:\n"
	            "      phone: {column: p, required: sometimes}\n"),
	    "5: bad required 'sometimes': want true or false",
	    "bad required in a field");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    no_header: 2\n"),
	    "4: bad no_header '2': want true or false", "bad no_header");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    delimiter: ';;'\n"),
	    "4: bad delimiter ';;': want one character, tab, space or "
	    "whitespace",
	    "bad delimiter");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    format: xml\n"),
	    "4: bad format 'xml': want csv or ndjson", "bad format");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    files: {a: b}\n"),
	    "4: 'files' must be a value or a list", "files as a mapping");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    fields: [phone]\n"),
	    "4: 'fields' must map canonical fields to columns",
	    "fields as a list");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    values: [gender]\n"),
	    "4: 'values' must map fields to word lists", "values as a list");
	is_str(fail("sources:\n"
	            "  - name: a\n"
	            "    kind: customer\n"
	            "    values:\n"
	            "      gender: m\n"),
	    "5: values of 'gender' must map words to values",
	    "values of a field as a word");
}

static void
test_cli(void)
{
	struct srcmap          m = { 0 };
	struct srcmap_defaults d = { TP_ORDER_DMY, NULL, NULL, false };
	struct recin_opts      in = { 0 };
	struct ci_err          e = { 0 };
	const char *good[] = { "source_key=id", "phone=tel", "phone=mobile",
		"gender=性别" };
	char        longname[80];
	const char *bad[] = { "phone", "=tel", "phone=", longname };
	const char *one[1];
	const struct srcmap_source *s;
	size_t                      i;
	int                         nbad = 0;
	char                        want[512];

	/* A field name of 64 bytes, one more than the longest allowed. */
	memset(longname, 'f', 64);
	strcpy(longname + 64, "=x");
	in.delim = '\t';
	in.encoding = "UTF-16LE";
	is_int(
	    srcmap_add_cli(&m, CI_KIND_CUSTOMER, "web", &in, good, 4, &d, &e),
	    0, "srcmap_add_cli with good pairs");
	s = srcmap_find(&m, "web");
	ok(s != NULL && s->line == 0 && s->nglobs == 0 && s->in.delim == '\t' &&
	        strcmp(s->in.encoding, "UTF-16LE") == 0,
	    "a named source with the reading options");
	is_str(settings(s, "phone"),
	    "col=mobile order=dmy tz=- cc=86 dc=0 req=0",
	    "the last pair for a field wins");
	is_str(settings(s, "source_key"),
	    "col=id order=dmy tz=- cc=86 dc=0 req=1", "source_key=id");
	is_str(val(s, "gender", "F"), "female",
	    "built-in words are loaded for command-line sources");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		one[0] = bad[i];
		memset(&e, 0, sizeof(e));
		snprintf(want, sizeof(want),
		    "bad value '%s' for --col: want FIELD=COLUMN", bad[i]);
		if (srcmap_add_cli(
		        &m, CI_KIND_EVENT, NULL, &in, one, 1, &d, &e) != -1 ||
		    e.code != CI_EXIT_USAGE || e.file[0] != '\0' ||
		    e.line != 0 || strcmp(e.msg, want) != 0) {
			diag("  '%s': %s", bad[i], e.msg);
			nbad++;
		}
	}
	is_int(nbad, 0,
	    "'phone', '=tel', 'phone=' and a 64-byte field name are refused");
	one[0] = "fax=f";
	ok(srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, one, 1, &d, &e) == -1 &&
	        e.code == CI_EXIT_USAGE,
	    "an unknown field is refused");
	is_str(e.msg,
	    "no field 'fax' in event records; fields are: 'customer_id', "
	    "'source', 'ts', 'type', 'order_id', 'amount', 'currency', "
	    "'product_id', 'category', 'channel', 'rating', 'text'",
	    "naming the fields of the kind");
	srcmap_release(&m);

	d.region = "XY";
	ok(srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, NULL, 0, &d, &e) == -1,
	    "an unknown default region is refused");
	is_str(e.msg, "unknown region 'XY' (want an ISO 3166 code such as CN)",
	    "naming it");
	d.region = NULL;
	d.tz = "Nowhere/Special";
	ok(srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, NULL, 0, &d, &e) == -1,
	    "an unknown default zone is refused");
	is_str(e.msg, "unknown time zone 'Nowhere/Special'", "naming it");
	srcmap_release(&m);

	d.tz = "Asia/Shanghai";
	ok(srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, NULL, 0, &d, &e) == 0 &&
	        srcmap_add_cli(&m, CI_KIND_EVENT, NULL, &in, NULL, 0, &d, &e) ==
	            0 &&
	        m.nzones == 1 && m.src[0].name == NULL &&
	        srcmap_find(&m, "x") == NULL,
	    "unnamed sources; one zone loaded once for both");
	is_str(settings(&m.src[1], "ts"),
	    "col=- order=dmy tz=Asia/Shanghai cc=86 dc=0 req=1",
	    "the default zone reaches their fields");
	srcmap_release(&m);
}

static void
test_values(void)
{
	struct srcmap          m = { 0 };
	struct srcmap_defaults d = { 0 };
	struct recin_opts      in = { 0 };
	struct ci_err          e = { 0 };
	static const char     *bad[] = { "gender", "gender:x", ":x=y",
		    "gender:=male" };
	size_t                 i;
	int                    nbad = 0;
	char                   want[256];

	is_int(srcmap_add_value(&m, "gender:x=alien", &e), 0,
	    "no sources: nothing to check, nothing to do");
	srcmap_add_cli(&m, CI_KIND_CUSTOMER, "c", &in, NULL, 0, &d, &e);
	srcmap_add_cli(&m, CI_KIND_EVENT, "e", &in, NULL, 0, &d, &e);

	ok(srcmap_add_value(&m, "gender:Herr=male", &e) == 0 &&
	        srcmap_add_value(&m, "gender:m=female", &e) == 0 &&
	        srcmap_add_value(&m, "gender:robot=", &e) == 0,
	    "gender values added");
	is_str(val(&m.src[0], "gender", "HERR"), "male", "a new word");
	is_str(
	    val(&m.src[0], "gender", "M"), "female", "a built-in overridden");
	is_str(val(&m.src[0], "gender", "Robot"), "", "an empty value");
	ok(srcmap_add_value(&m, "type:Kauf=order=x", &e) == 0,
	    "a value may hold '='");
	is_str(val(&m.src[1], "type", "kauf"), "order=x",
	    "event sources get the type word");
	ok(srcmap_add_value(&m, "channel:ＡＰＰ Store=store", &e) == 0,
	    "a channel word");
	is_str(val(&m.src[1], "channel", "app store"), "store",
	    "folded when added and when looked up");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		snprintf(want, sizeof(want),
		    "bad value '%s' for --value: want FIELD:FROM=TO", bad[i]);
		if (srcmap_add_value(&m, bad[i], &e) != -1 ||
		    e.code != CI_EXIT_USAGE || strcmp(e.msg, want) != 0) {
			diag("  '%s': %s", bad[i], e.msg);
			nbad++;
		}
	}
	is_int(nbad, 0, "'gender', 'gender:x', ':x=y', 'gender:=male' refused");
	ok(srcmap_add_value(&m, "gender:x=alien", &e) == -1 &&
	        e.code == CI_EXIT_USAGE,
	    "a gender that is not male, female, other or '' is refused");
	is_str(e.msg,
	    "bad value 'gender:x=alien' for --value: a gender must map to "
	    "'male', 'female', 'other' or ''",
	    "saying what a gender may be");
	ok(srcmap_add_value(&m, "fax:x=y", &e) == -1, "an unknown field");
	is_str(e.msg,
	    "bad value 'fax:x=y' for --value: no source has a field "
	    "'fax'",
	    "is refused");
	ok(srcmap_add_value(&m, "source:1=crm", &e) == 0 &&
	        strcmp(val(&m.src[0], "source", "1"), "crm") == 0,
	    "a source column's words may be mapped too");
	srcmap_release(&m);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(mappath, sizeof(mappath), "%s/map.yaml", dir);
	plan(39 + 10 + 36 + 14 + 15);
	test_load();
	test_defaults();
	test_errors();
	test_cli();
	test_values();
	globs(NULL);
	buf_release(&scratch);
	remove(mappath);
	rmdir(dir);
	return done_testing();
}
