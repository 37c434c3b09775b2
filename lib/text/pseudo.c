/*
 * pseudo: keyed pseudonymisation with HMAC-SHA-256 from libsodium.
 *
 * The key is secret, so every copy of it that this module makes is wiped
 * before its memory is freed: the key file is read with read(2) straight
 * into the key buffer (stdio would leave a copy in its own buffer), and a
 * buffer that has to grow is copied, wiped and then freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "diag.h"
#include "pseudo.h"
#include "xalloc.h"

/* Wipe and free the cap bytes at p. */
static void
wipe_free(unsigned char *p, size_t cap)
{
	if (p == NULL)
		return;
	sodium_memzero(p, cap);
	free(p);
}

/*
 * Read all of fd into *key (cap bytes, *len used), growing it as needed.
 * Returns 0, or -1 with errno set.
 */
static int
read_all(int fd, unsigned char **key, size_t *cap, size_t *len)
{
	unsigned char *grown;
	ssize_t        n;

	for (;;) {
		if (*len == *cap) {
			if (*cap > SIZE_MAX / 2)
				xalloc_fail(SIZE_MAX);
			grown = xmalloc(*cap * 2);
			memcpy(grown, *key, *len);
			wipe_free(*key, *cap);
			*key = grown;
			*cap *= 2;
		}
		n = read(fd, *key + *len, *cap - *len);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		*len += (size_t)n;
	}
}

int
pseudo_key_load(struct pseudo_key *k, const char *path, struct ci_err *e)
{
	unsigned char *key;
	size_t         cap = 64, len = 0;
	int            fd, rc, saved;

	k->key = NULL;
	k->len = 0;
	if (sodium_init() < 0)
		return ci_err_set(
		    e, CI_EXIT_IO, NULL, 0, "cannot initialise libsodium");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot open key file '%s': %s", path, strerror(errno));
	key = xmalloc(cap);
	rc = read_all(fd, &key, &cap, &len);
	saved = errno;
	close(fd);
	if (rc < 0) {
		wipe_free(key, cap);
		return ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot read key file '%s': %s", path, strerror(saved));
	}
	/* Editors end the file with a newline that is not part of the key. */
	if (len > 0 && key[len - 1] == '\n') {
		len--;
		if (len > 0 && key[len - 1] == '\r')
			len--;
	}
	if (len < PSEUDO_MIN_KEY) {
		wipe_free(key, cap);
		return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
		    "key in '%s' is too short: %zu bytes, at least %d needed",
		    path, len, PSEUDO_MIN_KEY);
	}
	k->key = key;
	k->len = len;
	return 0;
}

void
pseudo_key_set(struct pseudo_key *k, const void *key, size_t len)
{
	/*
	 * libsodium asks for sodium_init() before use.  Its HMAC-SHA-256 is
	 * portable code that needs nothing from it, and this function cannot
	 * fail, so the result is not looked at.
	 */
	int rc = sodium_init();

	(void)rc;
	k->key = xmalloc(len);
	if (len > 0)
		memcpy(k->key, key, len);
	k->len = len;
}

void
pseudo_key_release(struct pseudo_key *k)
{
	if (k == NULL)
		return;
	wipe_free(k->key, k->len);
	k->key = NULL;
	k->len = 0;
}

void
pseudo_token(const struct pseudo_key *k, const char *s, size_t len, char *dst)
{
	crypto_auth_hmacsha256_state st;
	unsigned char                mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, k->key, k->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)s, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(dst, PSEUDO_TOKEN_MAX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}
