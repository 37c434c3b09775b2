/* evtab_test: the evaluation tables in CSV and in both JSON layouts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtab.h"
#include "tap.h"

/* Two tables of two rows, written in fmt with rows; returns stdout. */
static char *
tables(enum rec_fmt fmt, enum evtab_rows rows, int *rc)
{
	struct evtab  t;
	struct ci_err e;
	char          path[] = "/tmp/evtab_testXXXXXX";
	int           fd = mkstemp(path), saved = dup(1);
	char         *out = calloc(1, 4096);
	FILE         *fp;

	fflush(stdout);
	dup2(fd, 1);
	*rc = evtab_open(&t, fmt, rows, 3, &e);
	evtab_table(&t, "metrics");
	evtab_row(&t, "blend");
	evtab_num(&t, "hit_rate", 2.0 / 3, &e);
	evtab_num(&t, "ndcg", NAN, &e);
	evtab_row(&t, "own");
	evtab_str(&t, "note", "a \"b\"", &e);
	evtab_table(&t, "empty");
	*rc |= evtab_close(&t, &e);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	fp = fdopen(fd, "r");
	rewind(fp);
	if (fread(out, 1, 4095, fp) == 0)
		out[0] = '\0';
	fclose(fp);
	unlink(path);
	return out;
}

int
main(void)
{
	char *s;
	int   rc;

	plan(6);
	s = tables(REC_FMT_CSV, EVTAB_KEYED, &rc);
	is_int(rc, 0, "CSV: written");
	is_str(s,
	    "table,row,column,value\n"
	    "metrics,blend,hit_rate,0.667\n"
	    "metrics,blend,ndcg,\n"
	    "metrics,own,note,\"a \"\"b\"\"\"\n",
	    "CSV: a row a value, 3 digits, NaN empty, a string quoted");
	free(s);
	s = tables(REC_FMT_NDJSON, EVTAB_KEYED, &rc);
	is_int(rc, 0, "JSON keyed: written");
	is_str(s,
	    "{\n"
	    "  \"metrics\": {\n"
	    "    \"blend\": {\n"
	    "      \"hit_rate\": 0.6666666666666666,\n"
	    "      \"ndcg\": null\n"
	    "    },\n"
	    "    \"own\": {\n"
	    "      \"note\": \"a \\\"b\\\"\"\n"
	    "    }\n"
	    "  },\n"
	    "  \"empty\": {}\n"
	    "}\n",
	    "JSON keyed: rows by name, all digits, NaN null");
	free(s);
	s = tables(REC_FMT_NDJSON, EVTAB_LIST, &rc);
	is_int(rc, 0, "JSON list: written");
	is_str(s,
	    "{\n"
	    "  \"metrics\": [\n"
	    "    {\n"
	    "      \"hit_rate\": 0.6666666666666666,\n"
	    "      \"ndcg\": null\n"
	    "    },\n"
	    "    {\n"
	    "      \"note\": \"a \\\"b\\\"\"\n"
	    "    }\n"
	    "  ],\n"
	    "  \"empty\": []\n"
	    "}\n",
	    "JSON list: rows in order, without their names");
	free(s);
	return done_testing();
}
