/*
 * tests/unit/report/intab_test.c: small tables by column name, numbers
 * with their line, and the long form of ci-churn eval as JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "intab.h"

int
main(void)
{
	char              path[] = "/tmp/intab_test.XXXXXX";
	int               fd = mkstemp(path);
	FILE             *fp = fdopen(fd, "w");
	struct intab      t;
	struct recin_opts o = { 0 };
	struct ci_err     e = { 0 };
	double            v;
	json_t           *j;

	plan(12);
	fputs("table,row,column,value\nmetrics,all,rows,240\n"
	      "metrics,all,roc_auc,0.78\nlift,1,decile,1\nlift,1,lift,1.9\n"
	      "lift,2,decile,2\nlift,2,lift,x\n",
	    fp);
	fclose(fp);
	is_int(intab_read(&t, path, &o, &e), 0, "a table is read");
	is_int(t.nrows, 6, "its rows");
	is_int(intab_col(&t, "value"), 3, "a column by name");
	is_int(intab_require(&t, "nope", "for a test", &e), -1,
	    "a missing column");
	ok(strstr(e.msg,
	       "missing column 'nope' (for a test); columns are: "
	       "'table'") != NULL,
	    "names the columns there are: %s", e.msg);
	is_int(intab_num(&t, 5, 3, &v, &e), -1, "a bad number");
	ok(e.line == 7 && strstr(e.msg, "'x' in column 'value'") != NULL,
	    "with its line and column");
	j = intab_tables(&t, &e);
	ok(json_array_size(json_object_get(j, "metrics")) == 1 &&
	        json_array_size(json_object_get(j, "lift")) == 2,
	    "the long form becomes tables of rows");
	ok(json_number_value(json_object_get(
	       json_array_get(json_object_get(j, "lift"), 0), "lift")) == 1.9,
	    "numbers as numbers");
	ok(json_is_string(json_object_get(
	       json_array_get(json_object_get(j, "lift"), 1), "lift")),
	    "other values as strings");
	json_decref(j);
	intab_widen(&t, "lift", "row");
	ok(t.nrows == 2 && t.ncols == 3 && intab_col(&t, "row") == 0 &&
	        intab_col(&t, "decile") == 1 && intab_col(&t, "lift") == 2,
	    "widened: a row per row, a column per column");
	ok(strcmp(intab_str(&t, 1, 0), "2") == 0 &&
	        strcmp(intab_str(&t, 0, 2), "1.9") == 0 &&
	        strcmp(intab_str(&t, 1, 2), "x") == 0,
	    "each value in its place");
	intab_release(&t);
	unlink(path);
	return done_testing();
}
