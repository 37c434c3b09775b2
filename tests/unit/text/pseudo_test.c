/*
 * tests/unit/text/pseudo_test.c: HMAC-SHA-256 tokens against the RFC 4231 test
 * vectors, and key files read from a temporary directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "diag.h"
#include "pseudo.h"

#define KEY16 "0123456789abcdef"

/* The token of data (n bytes) under key (klen bytes) must be want. */
static void
vector(const void *key, size_t klen, const void *data, size_t n,
    const char *want, const char *name)
{
	struct pseudo_key k = { 0 };
	char              tok[PSEUDO_TOKEN_MAX];

	pseudo_key_set(&k, key, klen);
	pseudo_token(&k, data, n, tok);
	is_str(tok, want, "%s", name);
	pseudo_key_release(&k);
}

static void
test_rfc4231(void)
{
	unsigned char k20[20], k25[25], k131[131], d50[50];
	size_t        i;

	/* RFC 4231, section 4.2 to 4.8 (4.6 truncates and is left out). */
	memset(k20, 0x0b, sizeof(k20));
	vector(k20, 20, "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "RFC 4231 test case 1");
	vector("Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "RFC 4231 test case 2");
	memset(k20, 0xaa, sizeof(k20));
	memset(d50, 0xdd, sizeof(d50));
	vector(k20, 20, d50, 50,
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	    "RFC 4231 test case 3");
	for (i = 0; i < sizeof(k25); i++)
		k25[i] = (unsigned char)(i + 1);
	memset(d50, 0xcd, sizeof(d50));
	vector(k25, 25, d50, 50,
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	    "RFC 4231 test case 4");
	memset(k131, 0xaa, sizeof(k131));
	vector(k131, 131,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "RFC 4231 test case 6 (131-byte key)");
	vector(k131, 131,
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.",
	    152,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    "RFC 4231 test case 7 (131-byte key and data)");
	vector(KEY16, 16, "", 0,
	    "496dc93fa2d26eae500ec0bc37a122706b88f8963cebf0899d0245fae313e241",
	    "token of the empty value");
}

/* Write n bytes to path; false on failure. */
static int
put_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int   okay;

	if (f == NULL)
		return 0;
	okay = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && okay;
}

/* Load the key file holding data; the result is compared with want. */
static void
load(const char *dir, const char *data, size_t n, const char *want,
    size_t wantlen, const char *name)
{
	char              path[512];
	struct pseudo_key k = { 0 };
	struct ci_err     e = { 0 };
	int               rc;

	snprintf(path, sizeof(path), "%s/key", dir);
	if (!put_file(path, data, n)) {
		ok(0, "%s", name);
		diag("  cannot write '%s'", path);
		return;
	}
	rc = pseudo_key_load(&k, path, &e);
	if (!ok(rc == 0 && k.len == wantlen &&
	            memcmp(k.key, want, wantlen) == 0,
	        "%s", name))
		diag("  rc %d, length %zu, message '%s'", rc, k.len, e.msg);
	pseudo_key_release(&k);
	unlink(path);
}

static void
test_load(const char *dir)
{
	char path[512], big[1000], t1[PSEUDO_TOKEN_MAX], t2[PSEUDO_TOKEN_MAX];
	struct pseudo_key k = { 0 }, k2 = { 0 };
	struct ci_err     e = { 0 };
	size_t            i;
	int               rc;

	load(dir, KEY16 "\n", 17, KEY16, 16, "trailing newline stripped");
	load(dir, KEY16 "\r\n", 18, KEY16, 16, "trailing CRLF stripped");
	load(dir, KEY16 "\n\n", 18, KEY16 "\n", 17,
	    "only one trailing newline stripped");
	load(dir, KEY16 "\r", 17, KEY16 "\r", 17, "a lone CR is key material");
	load(dir, KEY16, 16, KEY16, 16, "key without newline kept whole");
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)((i * 7 + 3) % 256);
	load(dir, big, sizeof(big), big, sizeof(big),
	    "1000-byte key with inner CR and LF read whole");

	snprintf(path, sizeof(path), "%s/key", dir);
	put_file(path, big, sizeof(big));
	rc = pseudo_key_load(&k, path, &e);
	pseudo_token(&k, "13800138000", 11, t1);
	ok(rc == 0 &&
	        strcmp(t1,
	            "1fd8c0c2424f8ecff616a826dd28479f1f38a7361b7d70c7d2056abf"
	            "b4e87c31") == 0,
	    "token under a key from a file");
	pseudo_key_release(&k);

	put_file(path, "short\n", 6);
	rc = pseudo_key_load(&k, path, &e);
	ok(rc == -1 && e.code == CI_EXIT_USAGE && k.key == NULL,
	    "short key refused with the usage exit code");
	if (!ok(strstr(e.msg, path) != NULL && strstr(e.msg, " 16 ") != NULL &&
	            strstr(e.msg, " 5 ") != NULL,
	        "message names the file, the length and the minimum"))
		diag("  %s", e.msg);
	put_file(path, "0123456789abcde\r\n", 17);
	ok(pseudo_key_load(&k, path, &e) == -1 && e.code == CI_EXIT_USAGE,
	    "15 bytes and CRLF refused: the length counts after stripping");
	unlink(path);

	memset(&e, 0, sizeof(e));
	rc = pseudo_key_load(&k, path, &e);
	ok(rc == -1 && e.code == CI_EXIT_IO && k.key == NULL && k.len == 0,
	    "missing file refused with the I/O exit code");
	if (!ok(strstr(e.msg, path) != NULL &&
	            strstr(e.msg, strerror(ENOENT)) != NULL,
	        "message names the file and the system error"))
		diag("  %s", e.msg);
	memset(&e, 0, sizeof(e));
	rc = pseudo_key_load(&k, dir, &e);
	if (!ok(rc == -1 && e.code == CI_EXIT_IO &&
	            strstr(e.msg, strerror(EISDIR)) != NULL,
	        "directory refused with the read error"))
		diag("  %s", e.msg);

	pseudo_key_set(&k, KEY16, 16);
	pseudo_token(&k, "zhang@qq.com", 12, t1);
	pseudo_token(&k, "zhang@qq.com", 12, t2);
	ok(strcmp(t1, t2) == 0 && strlen(t1) == 64,
	    "same value and key give the same 64-digit token");
	pseudo_token(&k, "zhang@qq.con", 12, t2);
	ok(strcmp(t1, t2) != 0, "different values give different tokens");
	pseudo_key_set(&k2, "0123456789abcdeF", 16);
	pseudo_token(&k2, "zhang@qq.com", 12, t2);
	ok(strcmp(t1, t2) != 0, "different keys give different tokens");
	pseudo_key_release(&k);
	pseudo_key_release(&k2);
	pseudo_key_release(&k2);
	pseudo_key_release(NULL);
	ok(k.key == NULL && k.len == 0 && k2.key == NULL,
	    "release zeroes the key and may be repeated");
}

int
main(void)
{
	char  tmpl[] = "/tmp/pseudo_test.XXXXXX";
	char *dir;
	int   rc;

	plan(24);
	test_rfc4231();
	dir = mkdtemp(tmpl);
	if (dir == NULL) {
		diag("cannot make a temporary directory: %s", strerror(errno));
		return 1;
	}
	test_load(dir);
	rc = rmdir(dir);
	if (rc != 0)
		diag("cannot remove '%s': %s", dir, strerror(errno));
	return done_testing();
}
