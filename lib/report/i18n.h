/*
 * i18n: every word the report shows, in English and simplified Chinese.
 * A label is looked up by its key (a short English phrase, such as
 * "customers"); the vocabulary of the tools (segment, tier, stage, band
 * and problem names such as "champions" or "churn-risk") is looked up the
 * same way, so that the Chinese report uses the domain's own terms
 * (高价值客户, 潜力客户, 一般客户, 流失风险客户, 沉睡客户, ...).  A word
 * the table does not have (a user's own segment name) is shown as it is.
 */
#ifndef CI_I18N_H
#define CI_I18N_H

#include <stddef.h>

#include "locfmt.h"

/*
 * The text of key in lang, or key itself when the table lacks it.  The
 * result is static or key.
 */
const char *i18n(enum locfmt_lang lang, const char *key);

/* Whether the table has key (for the tests). */
int i18n_has(const char *key);

/* The number of entries and entry i's key (for the tests). */
size_t      i18n_count(void);
const char *i18n_key(size_t i);

/* The language of a --lang value ("en", "zh"), or -1. */
int i18n_lang(const char *s);

#endif
