/*
 * hmap_test: dense insertion-order indices, lookups after many rehashes,
 * keys with NUL bytes and of every length around the 8-byte word steps;
 * hmap_intern_hashed() against plain hmap_intern(); and hmap_hash() giving the
 * same values in another process (stable across runs: no per-run seed).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hmap.h"
#include "tap.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Keys of the staged test: "c" and a number, some repeated. */
static int
staged_key(char *key, size_t size, size_t i)
{
	return snprintf(key, size, "c%zu", (i * 7) % 30011);
}

/*
 * Intern 100000 keys with their hashes into one map and with hmap_intern()
 * into another: the indices and is_new flags must be the same.  Returns
 * the disagreements.
 */
static size_t
staged(void)
{
	struct hmap a = { 0 }, b = { 0 };
	char        key[64][32];
	int         len[64];
	uint64_t    h[64];
	size_t      i, k, n, bad = 0;
	bool        na, nb;

	for (i = 0; i < 100000; i += 64) {
		n = i + 64 <= 100000 ? 64 : 100000 - i;
		for (k = 0; k < n; k++) {
			len[k] = staged_key(key[k], sizeof(key[k]), i + k);
			h[k] = hmap_hash(key[k], (size_t)len[k]);
		}
		for (k = 0; k < n; k++)
			if (hmap_intern_hashed(
			        &a, key[k], (size_t)len[k], h[k], &na) !=
			        hmap_intern(&b, key[k], (size_t)len[k], &nb) ||
			    na != nb)
				bad++;
	}
	if (hmap_count(&a) != 30011 || hmap_count(&b) != 30011)
		bad++;
	for (i = 0; i < 30011; i++)
		if (strcmp(hmap_key(&a, i, NULL), hmap_key(&b, i, NULL)) != 0)
			bad++;
	hmap_release(&a);
	hmap_release(&b);
	return bad;
}

/*
 * How evenly the hash spreads 500000 customer ids "C0000000".. over the
 * 256 values of its top byte (the partitions of ci-features) and the 1024
 * of its low bits (the slots of a map): the largest relative deviation of
 * a count from the mean.
 */
static double
spread(bool top)
{
	static unsigned count[1024];
	char            key[16];
	unsigned        i, buckets = top ? 256 : 1024, worst = 0, mean;
	uint64_t        h;

	memset(count, 0, sizeof(count));
	for (i = 0; i < 500000; i++) {
		snprintf(key, sizeof(key), "C%07u", i);
		h = hmap_hash(key, 8);
		count[top ? h >> 56 : h & 1023]++;
	}
	mean = 500000 / buckets;
	for (i = 0; i < buckets; i++) {
		unsigned d =
		    count[i] > mean ? count[i] - mean : mean - count[i];

		worst = d > worst ? d : worst;
	}
	return (double)worst / mean;
}

/* Whether every string of at most 2 bytes hashes apart from the others. */
static bool
short_keys_apart(void)
{
	static uint64_t h[1 + 256 + 65536];
	unsigned char   k[2];
	size_t          n = 0, i;

	h[n++] = hmap_hash(k, 0);
	for (i = 0; i < 256; i++) {
		k[0] = (unsigned char)i;
		h[n++] = hmap_hash(k, 1);
	}
	for (i = 0; i < 65536; i++) {
		k[0] = (unsigned char)(i >> 8);
		k[1] = (unsigned char)i;
		h[n++] = hmap_hash(k, 2);
	}
	qsort(h, n, sizeof(h[0]), cmp_u64);
	for (i = 1; i < n; i++)
		if (h[i] == h[i - 1])
			return false;
	return true;
}

/* The hashes of a few keys, as text. */
static void
hashes(char *out, size_t size)
{
	static const char *const keys[] = { "", "a", "customer-000001", "张三",
		"0123456789abcdefg" };
	size_t                   i, n = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%016" PRIx64 " ",
		    hmap_hash(keys[i], strlen(keys[i])));
}

int
main(int argc, char *argv[])
{
	struct hmap m;
	char        key[32];
	size_t      i, bad = 0;
	bool        is_new;
	long        f;

	char    mine[256], theirs[256], self[4096], cmd[4200];
	FILE   *p;
	ssize_t sn;

	if (argc == 2 && strcmp(argv[1], "--hashes") == 0) {
		hashes(mine, sizeof(mine));
		puts(mine);
		return 0;
	}
	plan(18);
	hmap_init(&m);
	is_int(hmap_find(&m, "x", 1), -1, "find in an empty map");
	is_int(hmap_intern(&m, "alpha", 5, &is_new), 0, "first key is 0");
	ok(is_new, "and is new");
	is_int(hmap_intern(&m, "beta", 4, NULL), 1, "second key is 1");
	is_int(hmap_intern(&m, "alpha", 5, &is_new), 0, "known key keeps 0");
	ok(!is_new, "and is not new");
	for (i = 0; i < 200000; i++) {
		int n = snprintf(key, sizeof(key), "k%zu", i * 7919);

		if (hmap_intern(&m, key, (size_t)n, NULL) != i + 2)
			bad++;
	}
	for (i = 0; i < 200000; i++) {
		int n = snprintf(key, sizeof(key), "k%zu", i * 7919);

		f = hmap_find(&m, key, (size_t)n);
		if (f != (long)(i + 2) ||
		    strcmp(hmap_key(&m, (size_t)f, NULL), key) != 0)
			bad++;
	}
	is_int(bad, 0, "200000 keys keep their indices through rehashing");
	memset(key, 'z', sizeof(key));
	key[3] = '\0';
	for (i = 0; i <= 17; i++)
		if (hmap_find(&m, key, i) != -1 ||
		    hmap_intern(&m, key, i, NULL) != 200002 + i)
			bad++;
	is_int(bad, 0, "keys of length 0..17 with a NUL inside are distinct");
	is_int(
	    hmap_intern_hashed(&m, "alpha", 5, hmap_hash("alpha", 5), &is_new),
	    0, "intern_hashed finds a key added by intern");
	hmap_clear(&m);
	is_int(hmap_count(&m), 0, "cleared map is empty");
	is_int(hmap_find(&m, "alpha", 5), -1, "and finds none of its keys");
	for (i = 0; i < 1000; i++) {
		int n = snprintf(key, sizeof(key), "c%zu", i);

		if (hmap_intern(&m, key, (size_t)n, NULL) != i ||
		    strcmp(hmap_key(&m, i, NULL), key) != 0)
			bad++;
	}
	is_int(bad, 0, "a cleared map numbers new keys from 0");
	hmap_release(&m);
	is_int(hmap_count(&m), 0, "released map is empty");

	is_int(staged(), 0,
	    "100000 keys interned with their hashes: the same indices as "
	    "hmap_intern");

	/* Another process, with its own address-space layout. */
	hashes(mine, sizeof(mine));
	theirs[0] = '\0';
	sn = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[sn > 0 ? sn : 0] = '\0';
	snprintf(cmd, sizeof(cmd), "'%s' --hashes", self);
	if (sn > 0 && (p = popen(cmd, "r")) != NULL) {
		if (fgets(theirs, sizeof(theirs), p) == NULL)
			theirs[0] = '\0';
		theirs[strcspn(theirs, "\n")] = '\0';
		pclose(p);
	}
	is_str(theirs, mine, "hmap_hash gives the same values in another run");
	ok(spread(true) < 0.15,
	    "ids spread over the top byte within 15%% "
	    "(%.3f)",
	    spread(true));
	ok(spread(false) < 0.25,
	    "ids spread over the low 10 bits within 25%% (%.3f)",
	    spread(false));
	ok(short_keys_apart(),
	    "the 65793 keys of 0, 1 and 2 bytes all hash "
	    "apart");
	return done_testing();
}
