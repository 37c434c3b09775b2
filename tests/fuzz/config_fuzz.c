/*
 * config_fuzz: libFuzzer target for the YAML files a user writes: source
 * maps (ci-ingest --map) and rule files (ci-segment --rules).  The first
 * byte picks which; the rest is the file.  A rule file that loads is bound
 * to a few columns and evaluated on a row; nothing may crash, hang or
 * leak, whatever the aliases, nesting or types.
 */
#include <stdint.h>
#include <string.h>

#include "fuzzfile.h"
#include "segrules.h"
#include "srcmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
rules(const uint8_t *data, size_t size)
{
	static const char *const cols[] = { "customer_id", "recency_days",
		"clv", "value_tier", "rfm_segment" };
	static const char *const row[] = { "c1", "12", "350.5", "high-value",
		"champions" };
	struct segrules          rs = { 0 };
	struct ci_err            e = { 0 };

	if (segrules_load_string(
	        &rs, "fuzz.yaml", (const char *)data, size, &e) == 0 &&
	    segrules_bind(&rs, cols, 5, &e) == 0)
		segrules_eval(&rs, row);
	segrules_release(&rs);
}

static void
source_map(const uint8_t *data, size_t size)
{
	struct srcmap_defaults d = { 0 };
	struct srcmap          m = { 0 };
	struct ci_err          e = { 0 };

	if (srcmap_load(&m, fuzz_file(data, size), &d, &e) == 0)
		srcmap_find(&m, "crm");
	srcmap_release(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		rules(data + 1, size - 1);
	else
		source_map(data + 1, size - 1);
	return 0;
}
