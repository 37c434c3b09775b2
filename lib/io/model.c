/*
 * model: the envelope of every model file.  The input digest is SHA-256
 * (libsodium) over the values a fit read, each framed with its length so
 * that no two different rows give the same bytes; model_load() checks the
 * envelope (tool, format version) before a caller looks at its members,
 * and the getters address members by a dotted path ("spend.parameters"),
 * naming that path in every message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

void
model_digest_init(struct model_digest *d)
{
	crypto_hash_sha256_init(&d->st);
	d->rows = 0;
}

/* One value: a tag byte (a value or none), its length little-endian, and
 * its bytes, so that ("ab", "c") and ("a", "bc") differ. */
static void
digest_value(struct model_digest *d, const char *s, size_t len)
{
	unsigned char frame[9];
	uint64_t      l = s != NULL ? len : 0;
	int           b;

	frame[0] = s != NULL;
	for (b = 0; b < 8; b++)
		frame[1 + b] = (unsigned char)(l >> (8 * b));
	crypto_hash_sha256_update(&d->st, frame, sizeof frame);
	if (l > 0)
		crypto_hash_sha256_update(&d->st, (const unsigned char *)s, l);
}

static void
digest_end_row(struct model_digest *d)
{
	crypto_hash_sha256_update(&d->st, (const unsigned char *)"\n", 1);
	d->rows++;
}

void
model_digest_add(
    struct model_digest *d, const char *const *s, const size_t *len, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		digest_value(d, s[i], s[i] != NULL ? len[i] : 0);
	digest_end_row(d);
}

void
model_digest_rec(
    struct model_digest *d, const struct rec *rec, const int *cols, size_t n)
{
	size_t i;
	int    c;

	for (i = 0; i < n; i++) {
		c = cols[i];
		if (c >= 0 && (size_t)c < rec->n && !rec_is_null(rec->kind[c]))
			digest_value(d, rec->f[c], rec->len[c]);
		else
			digest_value(d, NULL, 0);
	}
	digest_end_row(d);
}

void
model_digest_hex(struct model_digest *d, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final(&d->st, h);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

void
model_begin(struct jsonw *w, const char *tool, const char *kind,
    int format_version, struct model_digest *d)
{
	char     hex[65];
	uint64_t rows = d->rows;

	model_digest_hex(d, hex);
	jsonw_obj_begin(w);
	jsonw_key(w, "tool");
	jsonw_str(w, tool);
	jsonw_key(w, "kind");
	jsonw_str(w, kind);
	jsonw_key(w, "format_version");
	jsonw_int(w, format_version);
	jsonw_key(w, "ci_version");
	jsonw_str(w, CI_VERSION);
	jsonw_key(w, "input");
	jsonw_obj_begin(w);
	jsonw_key(w, "rows");
	jsonw_int(w, (int64_t)rows);
	jsonw_key(w, "sha256");
	jsonw_str(w, hex);
	jsonw_obj_end(w);
}

int
model_save(const char *path, const struct buf *out, struct ci_err *e)
{
	bool  std = path == NULL || strcmp(path, "-") == 0;
	FILE *fp = std ? stdout : fopen(path, "w");
	int   bad;

	if (fp == NULL)
		return ci_err_set(e, CI_EXIT_IO, path, 0, "cannot create: %s",
		    strerror(errno));
	fwrite(buf_str(out), 1, out->len, fp);
	fputc('\n', fp);
	bad = std ? fflush(fp) != 0 || ferror(fp) : fclose(fp) != 0;
	if (bad)
		return ci_err_set(e, CI_EXIT_IO, std ? "stdout" : path, 0,
		    "write failed: %s", strerror(errno));
	return 0;
}

/* A member of the envelope that must be a string. */
static const char *
envelope_string(const struct model *m, const char *key, struct ci_err *e)
{
	const json_t *v = json_object_get(m->root, key);

	if (!json_is_string(v)) {
		ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "not a ci model: no \"%s\" member", key);
		return NULL;
	}
	return json_string_value(v);
}

int
model_load(struct model *m, const char *path, const char *tool, int max_version,
    struct ci_err *e)
{
	json_error_t  je;
	const char   *who;
	const json_t *v;

	memset(m, 0, sizeof *m);
	m->path = path;
	m->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (m->root == NULL) {
		if (je.line <= 0 ||
		    json_error_code(&je) == json_error_cannot_open_file)
			return ci_err_set(
			    e, CI_EXIT_MODEL, path, 0, "%s", je.text);
		return ci_err_set(e, CI_EXIT_MODEL, path,
		    (unsigned long)je.line, "not a JSON model: %s", je.text);
	}
	if (!json_is_object(m->root)) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "not a ci model: the document is not an object");
		goto fail;
	}
	if ((who = envelope_string(m, "tool", e)) == NULL ||
	    (m->kind = envelope_string(m, "kind", e)) == NULL)
		goto fail;
	if (strcmp(who, tool) != 0) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "a model of %s, not of %s", who, tool);
		goto fail;
	}
	v = json_object_get(m->root, "format_version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "not a ci model: no valid \"format_version\"");
		goto fail;
	}
	if (json_integer_value(v) > max_version) {
		ci_err_set(e, CI_EXIT_MODEL, path, 0,
		    "format version %lld is newer than this %s reads (%d); "
		    "refit with this version or upgrade",
		    (long long)json_integer_value(v), tool, max_version);
		goto fail;
	}
	m->format_version = (int)json_integer_value(v);
	return 0;
fail:
	model_free(m);
	return -1;
}

void
model_free(struct model *m)
{
	json_decref(m->root);
	m->root = NULL;
	m->kind = NULL;
}

json_t *
model_get(const struct model *m, const char *path, struct ci_err *e)
{
	json_t     *v = m->root;
	const char *p = path, *dot;
	char        key[128];
	size_t      n;

	while (v != NULL) {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key) {
			v = NULL;
			break;
		}
		memcpy(key, p, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	if (v == NULL)
		ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "broken model: no \"%s\"", path);
	return v;
}

int
model_number(
    const struct model *m, const char *path, double *v, struct ci_err *e)
{
	const json_t *j = model_get(m, path, e);

	if (j == NULL)
		return -1;
	if (!json_is_number(j))
		return ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "broken model: \"%s\" is not a number", path);
	*v = json_number_value(j);
	return 0;
}

int
model_numbers(const struct model *m, const char *path, double *v, size_t n,
    struct ci_err *e)
{
	const json_t *j = model_get(m, path, e);
	size_t        i;

	if (j == NULL)
		return -1;
	if (!json_is_array(j) || json_array_size(j) != n)
		return ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "broken model: \"%s\" is not an array of %zu numbers", path,
		    n);
	for (i = 0; i < n; i++) {
		const json_t *x = json_array_get(j, i);

		if (!json_is_number(x))
			return ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
			    "broken model: \"%s\"[%zu] is not a number", path,
			    i);
		v[i] = json_number_value(x);
	}
	return 0;
}

int
model_broken(
    const struct model *m, const char *path, const char *what, struct ci_err *e)
{
	return ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
	    "broken model: \"%s\" is not %s", path, what);
}

const char *
model_string(const struct model *m, const char *path, struct ci_err *e)
{
	const json_t *j = model_get(m, path, e);

	if (j == NULL)
		return NULL;
	if (!json_is_string(j)) {
		ci_err_set(e, CI_EXIT_MODEL, m->path, 0,
		    "broken model: \"%s\" is not a string", path);
		return NULL;
	}
	return json_string_value(j);
}
