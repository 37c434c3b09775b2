/*
 * spill_test: records come back per partition in the order added, whether
 * they stayed in memory or went to the file, including a record larger
 * than a block; dropping a partition empties it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "spill.h"
#include "tap.h"

/* Record k of partition p: "p:k:" then k % 97 letters. */
static size_t
make(char *b, unsigned p, unsigned k)
{
	size_t n = (size_t)snprintf(b, 64, "%u:%u:", p, k), i;

	for (i = 0; i < k % 97; i++)
		b[n++] = (char)('a' + i % 26);
	return n;
}

/* Read partition p back and check it holds records 0..count-1 of p. */
static int
check(struct spill *s, unsigned p, unsigned count, size_t *blocks)
{
	const char   *data;
	char          want[256];
	size_t        pos = 0, len, off, n;
	unsigned      k = 0;
	int           rc;
	struct ci_err e = { 0 };
	struct buf    rd = { 0 };

	*blocks = 0;
	while ((rc = spill_next(s, p, &pos, &data, &len, &rd, &e)) == 1) {
		(*blocks)++;
		for (off = 0; off < len; off += n, k++) {
			n = make(want, p, k);
			if (k >= count || off + n > len ||
			    memcmp(data + off, want, n) != 0)
				return 0;
		}
	}
	buf_release(&rd);
	return rc == 0 && k == count;
}

int
main(void)
{
	struct spill *s;
	struct ci_err e = { 0 };
	char          b[256];
	char         *big;
	uint64_t      disk, total = 0;
	size_t        blocks, pos = 0, len;
	const char   *data;
	unsigned      p, k;
	int           good = 1;
	struct buf    rd = { 0 };

	plan(12);

	/* A budget of 64 KiB: most blocks go to the file. */
	s = spill_new(4, 64 << 10);
	for (k = 0; k < 20000; k++)
		for (p = 0; p < 4; p++) {
			size_t n = make(b, p, k);

			good &= spill_add(s, p, b, n, &e) == 0;
			total += n;
		}
	ok(good, "20000 records added to each of 4 partitions");
	is_int(spill_bytes(s, &disk), total, "bytes counted");
	ok(disk > 0 && disk < total, "some blocks on disk, some in memory");
	for (p = 0; p < 4; p++)
		good &= check(s, p, 20000, &blocks);
	ok(good, "every partition reads back in order");
	ok(blocks > 10, "in several blocks (%zu)", blocks);
	spill_drop(s, 2);
	ok(check(s, 2, 0, &blocks) && blocks == 0,
	    "a dropped partition is empty");
	ok(check(s, 3, 20000, &blocks), "the others are untouched");
	/* The file goes with the last partition dropped, not before. */
	spill_drop(s, 2);
	spill_drop(s, 0);
	spill_drop(s, 1);
	ok(check(s, 3, 20000, &blocks),
	    "the last partition reads back with the others dropped, one twice");
	spill_drop(s, 3);
	ok(check(s, 3, 0, &blocks) && blocks == 0,
	    "every partition dropped: nothing left to read");
	spill_free(s);

	/* A record larger than a block, between small ones. */
	s = spill_new(1, 0);
	big = malloc(100000);
	memset(big, 'x', 100000);
	spill_add(s, 0, "a", 1, &e);
	spill_add(s, 0, big, 100000, &e);
	spill_add(s, 0, "b", 1, &e);
	len = 0;
	{
		size_t got = 0, nb = 0;

		while (spill_next(s, 0, &pos, &data, &len, &rd, &e) == 1) {
			got += len;
			nb++;
			if (len == 1 && data[0] == 'b')
				good &= nb == 3;
		}
		is_int(got, 100002, "an outsize record comes back whole");
		ok(good, "and in its place");
	}
	spill_free(s);
	free(big);

	/* Nothing added: nothing read, no file. */
	s = spill_new(8, 0);
	pos = 0;
	ok(spill_next(s, 5, &pos, &data, &len, &rd, &e) == 0 &&
	        spill_bytes(s, &disk) == 0 && disk == 0,
	    "an empty store reads back nothing");
	spill_free(s);
	spill_free(NULL);
	buf_release(&rd);
	return done_testing();
}
