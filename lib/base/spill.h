/*
 * spill: records sorted into partitions, kept in memory up to a budget and
 * beyond it in a temporary file, then read back one partition at a time.
 *
 * This is how a tool aggregates per key over an input much larger than the
 * cache without reaching into memory at random for every row: a first pass
 * appends each row's record to the partition of its key's hash (a few
 * hundred write cursors, all in cache), and a second pass takes each
 * partition in turn, whose keys are few enough for their state to stay in
 * the cache.  Memory stays within the budget whatever the input's size; the
 * rest goes to a file in $TMPDIR (default /tmp), deleted as it is made.
 *
 * Records are opaque byte strings; the caller encodes and decodes them.  A
 * partition gives back its records in the order they were added, in one or
 * more blocks, never splitting a record.
 */
#ifndef CI_SPILL_H
#define CI_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

struct spill;

/*
 * A new store of nparts partitions (1..65536) keeping up to budget bytes
 * in memory (0: a default of 16 MiB).
 */
struct spill *spill_new(unsigned nparts, size_t budget);

/*
 * The write cursor of partition part: make room for at least len more
 * bytes and return where they go; spill_commit() then says how many were
 * written.  Returns NULL with *e (CI_EXIT_IO) when the temporary file
 * cannot be written.
 */
char *
spill_reserve(struct spill *s, unsigned part, size_t len, struct ci_err *e);

/* Count the len bytes written at spill_reserve()'s pointer as added. */
void spill_commit(struct spill *s, unsigned part, size_t len);

/*
 * Append the record (rec, len) to partition part: spill_reserve() and
 * spill_commit().  Returns 0, or -1 with *e.
 */
int spill_add(struct spill *s, unsigned part, const void *rec, size_t len,
    struct ci_err *e);

/*
 * Iterate over the blocks of partition part: start with *pos = 0; each
 * call sets *data and *len to the next block (valid until the next call)
 * and returns 1, or returns 0 after the last, or -1 with *e on a read
 * error.  Each block holds whole records, in the order added.  Blocks
 * from the file are read into rd.  Once everything is added, threads may
 * read and drop different partitions at the same time.
 */
int spill_next(struct spill *s, unsigned part, size_t *pos, const char **data,
    size_t *len, struct buf *rd, struct ci_err *e);

/*
 * Free the memory partition part holds; it reads back empty after.  Once
 * every partition is dropped (by any threads, each partition once), the
 * spill's memory and file go too.
 */
void spill_drop(struct spill *s, unsigned part);

/* Bytes added to all partitions, and how many of them went to the file. */
uint64_t spill_bytes(const struct spill *s, uint64_t *on_disk);

/* Free s and delete its file.  Safe on NULL. */
void spill_free(struct spill *s);

#endif
