/*
 * rec: the names of the record formats.
 */
#include <string.h>

#include "rec.h"

int
rec_fmt_parse(const char *s, enum rec_fmt *fmt)
{
	if (strcmp(s, "csv") == 0)
		*fmt = REC_FMT_CSV;
	else if (strcmp(s, "ndjson") == 0 || strcmp(s, "jsonl") == 0 ||
	    strcmp(s, "json") == 0)
		*fmt = REC_FMT_NDJSON;
	else
		return -1;
	return 0;
}
