/*
 * hanzi: what ci knows of Chinese characters, from tables generated at
 * build time out of Unihan (scripts/gen-unihan, Debian's unicode-data):
 * the usual Mandarin reading of an ideograph without its tone, and the
 * simplified form of a traditional one.
 */
#ifndef CI_HANZI_H
#define CI_HANZI_H

#include <stdbool.h>
#include <stdint.h>

/* True for a Han ideograph (the CJK Unified and Compatibility blocks). */
bool hanzi_is_han(uint32_t cp);

/*
 * The simplified form of cp (U+5F35 张 for U+5F35 張), or cp itself when
 * it has none (already simplified, or not an ideograph).
 */
uint32_t hanzi_simplified(uint32_t cp);

/*
 * The usual reading of ideograph cp in lower-case ASCII pinyin without
 * tone ("zhang" for 张 and for 張; u-umlaut is "u"), or NULL when Unihan
 * gives none.  Static storage.
 */
const char *hanzi_pinyin(uint32_t cp);

#endif
