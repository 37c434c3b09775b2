/*
 * pseudo: keyed pseudonymisation.  A value is replaced by the hex
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4; computed by libsodium) of its bytes
 * under a secret key, so that equal values give equal tokens under the
 * same key (joins still work) while the value cannot be recovered without
 * the key.
 */
#ifndef CI_PSEUDO_H
#define CI_PSEUDO_H

#include <stddef.h>

#include "diag.h"

/* Shortest key pseudo_key_load() accepts, in bytes. */
#define PSEUDO_MIN_KEY 16
/* A token: 64 hex digits and a NUL. */
#define PSEUDO_TOKEN_MAX 65

struct pseudo_key {
	unsigned char *key;
	size_t         len;
};

/*
 * Read the key from the file at path into *k (overwritten): its bytes,
 * less one trailing "\n" or "\r\n".  Returns 0, or -1 with *k zeroed and
 * *e filled: CI_EXIT_IO when the file cannot be opened or read (the message
 * names the file and gives strerror), CI_EXIT_USAGE when the key is
 * shorter than PSEUDO_MIN_KEY bytes (the message names the file, the
 * length and the minimum).  Every copy of the key made on the way is wiped.
 */
int pseudo_key_load(struct pseudo_key *k, const char *path, struct ci_err *e);

/*
 * Use the len bytes at key (copied) as the key; for tests.  *k is
 * overwritten, so release a key it holds first.
 */
void pseudo_key_set(struct pseudo_key *k, const void *key, size_t len);

/* Wipe and free the key.  Safe on a zeroed struct, and on NULL. */
void pseudo_key_release(struct pseudo_key *k);

/*
 * Write the lower-case hex HMAC-SHA-256 of the len bytes at s under k,
 * with its NUL, to dst (at least PSEUDO_TOKEN_MAX bytes).
 */
void
pseudo_token(const struct pseudo_key *k, const char *s, size_t len, char *dst);

#endif
