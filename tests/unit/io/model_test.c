/*
 * model_test: the envelope written and read back, the digest's framing,
 * and each way model_load() refuses a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model.h"
#include "tap.h"

static char dir[] = "/tmp/model_testXXXXXX";

/* Write text to dir/name and return the path (static storage). */
static const char *
put(const char *name, const char *text)
{
	static char path[4][256];
	static int  k;
	char       *p = path[k++ % 4];
	FILE       *fp;

	snprintf(p, 256, "%s/%s", dir, name);
	fp = fopen(p, "w");
	fputs(text, fp);
	fclose(fp);
	return p;
}

static void
digest_of(const char *a, const char *b, char hex[65])
{
	struct model_digest d;
	const char         *s[2] = { a, b };
	size_t              len[2] = { a ? strlen(a) : 0, b ? strlen(b) : 0 };

	model_digest_init(&d);
	model_digest_add(&d, s, len, 2);
	model_digest_hex(&d, hex);
}

static int
load_fails(const char *text, const char *want, unsigned long line)
{
	struct model  m;
	struct ci_err e = { 0 };
	int rc = model_load(&m, put("m.json", text), "ci-score", 1, &e);
	int pass = rc == -1 && e.code == CI_EXIT_MODEL &&
	    strstr(e.msg, want) != NULL && e.line == line;

	if (!pass)
		diag("  rc %d code %d line %lu msg '%s'", rc, e.code, e.line,
		    e.msg);
	return pass;
}

int
main(void)
{
	struct model_digest d;
	struct model        m;
	struct ci_err       e = { 0 };
	struct buf          b = { 0 };
	struct jsonw        w;
	char                h1[65], h2[65], h3[65];
	double              v[3], r;
	const char         *path;

	plan(16);
	if (mkdtemp(dir) == NULL)
		return 1;

	digest_of("ab", "c", h1);
	digest_of("a", "bc", h2);
	ok(strcmp(h1, h2) != 0, "digest frames values by length");
	digest_of("", NULL, h2);
	digest_of(NULL, "", h3);
	ok(strcmp(h2, h3) != 0, "digest tells an empty value from none");
	digest_of("ab", "c", h2);
	is_str(h1, h2, "digest is deterministic");
	model_digest_init(&d);
	model_digest_hex(&d, h3);
	is_str(h3,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "no rows: SHA-256 of nothing");

	digest_of("x", "y", h1);
	jsonw_init(&w, &b, 2);
	{
		const char *s[2] = { "x", "y" };
		size_t      len[2] = { 1, 1 };

		model_digest_init(&d);
		model_digest_add(&d, s, len, 2);
	}
	model_begin(&w, "ci-score", "bgnbd", 1, &d);
	jsonw_key(&w, "parameters");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "r");
	jsonw_double(&w, 0.2425945);
	jsonw_key(&w, "v");
	jsonw_arr_begin(&w);
	jsonw_double(&w, 1);
	jsonw_double(&w, 0.1);
	jsonw_double(&w, 1e300);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	jsonw_obj_end(&w);
	path = put("ok.json", "");
	ok(model_save(path, &b, &e) == 0, "model_save");
	ok(model_load(&m, path, "ci-score", 1, &e) == 0, "model_load");
	is_str(m.kind, "bgnbd", "kind read back");
	is_str(model_string(&m, "input.sha256", &e), h1, "digest in envelope");
	ok(model_number(&m, "parameters.r", &r, &e) == 0 && r == 0.2425945,
	    "number reads back exactly");
	ok(model_numbers(&m, "parameters.v", v, 3, &e) == 0 && v[1] == 0.1 &&
	        v[2] == 1e300,
	    "array reads back exactly");
	ok(model_number(&m, "parameters.q", &r, &e) == -1 &&
	        strstr(e.msg, "no \"parameters.q\"") != NULL,
	    "missing member named");
	model_free(&m);

	ok(load_fails("{\"tool\":\"ci-segment\",\"kind\":\"rfm\","
	              "\"format_version\":1}",
	       "a model of ci-segment, not of ci-score", 0),
	    "another tool's model");
	ok(load_fails("{\"tool\":\"ci-score\",\"kind\":\"bgnbd\","
	              "\"format_version\":2}",
	       "format version 2 is newer", 0),
	    "a newer format");
	ok(load_fails("{\n\"tool\": \"ci-score\",\n", "not a JSON model", 3),
	    "truncated JSON names its line");
	ok(load_fails("[1, 2]", "not an object", 0), "not an object");
	{
		struct ci_err e2 = { 0 };

		ok(model_load(&m, "/nonexistent/m.json", "ci-score", 1, &e2) ==
		            -1 &&
		        e2.code == CI_EXIT_MODEL,
		    "missing file: exit 4");
	}
	buf_release(&b);
	unlink(put("m.json", ""));
	unlink(put("ok.json", ""));
	rmdir(dir);
	return done_testing();
}
