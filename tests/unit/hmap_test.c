/*
 * hmap_test: dense insertion-order indices, lookups after many rehashes,
 * keys with NUL bytes and of every length around the 8-byte word steps.
 */
#include <stdio.h>
#include <string.h>

#include "hmap.h"
#include "tap.h"

int
main(void)
{
	struct hmap m;
	char        key[32];
	size_t      i, bad = 0;
	bool        is_new;
	long        f;

	plan(9);
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
	hmap_release(&m);
	is_int(hmap_count(&m), 0, "released map is empty");
	return done_testing();
}
