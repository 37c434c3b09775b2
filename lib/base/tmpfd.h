/*
 * tmpfd: anonymous temporary files, deleted as they are made, for data a
 * tool keeps aside while it works: on disk in $TMPDIR (default /tmp) when
 * memory must not grow with the input, or in memory (a memfd) for data
 * written once in large pieces, where writing through a file costs far
 * less than a page fault for every page of fresh memory.
 */
#ifndef CI_TMPFD_H
#define CI_TMPFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/*
 * A new empty temporary file, in memory when in_memory is set (or in
 * $TMPDIR where the system has no memfd).  Returns its descriptor, or -1
 * with *e filled (CI_EXIT_IO).
 */
int tmpfd_open(bool in_memory, struct ci_err *e);

/* Write len bytes at s to fd at offset off; 0, or -1 with *e filled. */
int
tmpfd_write(int fd, uint64_t off, const void *s, size_t len, struct ci_err *e);

/* Read len bytes at offset off of fd into to; 0, or -1 with *e filled. */
int tmpfd_read(int fd, uint64_t off, void *to, size_t len, struct ci_err *e);

#endif
