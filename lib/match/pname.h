/*
 * pname: a person's name made comparable across scripts and systems.  A
 * name has two forms:
 *
 *   key    the name as written, NFKC, case-folded, accents removed,
 *          traditional ideographs made simplified and spaces between
 *          ideographs removed: "張 偉" and "张伟" are "张伟", "José
 *          GARCÍA" is "jose garcia"
 *   roman  its words in Latin letters, in the order written, one space
 *          between: a name all in ideographs is its family name (the
 *          first character) and its given name (the rest, one word) in
 *          pinyin without tones, so "张伟" is "zhang wei" and "王小明"
 *          "wang xiaoming"; other names are their words ("zhang wei" for
 *          "Zhang Wei", "wei zhang" for "Wei Zhang")
 *
 * Two names are equivalent when their romans, with the words joined,
 * read the same forwards or with the words in reverse order or sorted:
 * 张伟 = Zhang Wei = Wei Zhang = 張偉 = ZhangWei.
 */
#ifndef CI_PNAME_H
#define CI_PNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Append the key and the roman of the len bytes of valid UTF-8 at s to
 * key and roman (each emptied first).  Returns 0, or -1 when s is not
 * valid UTF-8 (both left empty).
 */
int pname_forms(const char *s, size_t len, struct buf *key, struct buf *roman);

/*
 * Append to out the roman's words joined in the order given by how: 0 as
 * written, 1 reversed, 2 sorted (bytewise); with sep between them (0: no
 * separator).
 */
void
pname_join(const char *roman, size_t len, int how, char sep, struct buf *out);

/* The number of words of a roman. */
size_t pname_words(const char *roman, size_t len);

#endif
