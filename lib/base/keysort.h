/*
 * keysort: sort records that begin with a 64-bit key, such as the first
 * eight bytes of a string packed big-endian, by that key and then, among
 * records of equal key, by a comparison.
 *
 * The keys are sorted by a least-significant-digit radix sort on their
 * bytes, one stable counting pass per byte, a byte that every key shares
 * being skipped (identifiers such as C0241842 share their leading bytes).
 * That costs a few passes over the records where qsort() makes log2(n)
 * calls of a comparison per record; the comparison is then called only
 * within the runs of equal keys.
 */
#ifndef CI_KEYSORT_H
#define CI_KEYSORT_H

#include <stddef.h>

/*
 * Sort the n records of size bytes at a, each beginning with a uint64_t
 * key, by increasing key, and each run of equal keys by cmp (NULL: keep
 * their order).  size is at least 8; records need no alignment.
 */
void
keysort(void *a, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
