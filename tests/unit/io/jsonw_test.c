/*
 * jsonw_test: separators, indentation, escapes, numbers through numfmt and
 * a jansson value written back out.
 */
#include <jansson.h>

#include "jsonw.h"
#include "tap.h"

int
main(void)
{
	struct buf   b = { 0 };
	struct jsonw w;
	json_error_t err;
	json_t      *v;

	plan(4);
	jsonw_init(&w, &b, 0);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "s");
	jsonw_str(&w, "a\"b\\c\n\x01张");
	jsonw_key(&w, "n");
	jsonw_double(&w, 0.1);
	jsonw_key(&w, "nan");
	jsonw_double(&w, 0.0 / 0.0);
	jsonw_key(&w, "a");
	jsonw_arr_begin(&w);
	jsonw_int(&w, -3);
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_arr_end(&w);
	jsonw_key(&w, "e");
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_obj_end(&w);
	is_str(buf_str(&b),
	    "{\"s\":\"a\\\"b\\\\c\\n\\u0001张\",\"n\":0.1,\"nan\":null,"
	    "\"a\":[-3,true,null],\"e\":{}}",
	    "compact object: escapes, shortest numbers, NaN as null");

	buf_reset(&b);
	jsonw_init(&w, &b, 2);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "k");
	jsonw_arr_begin(&w);
	jsonw_double(&w, 2.4259);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	is_str(buf_str(&b), "{\n  \"k\": [\n    2.4259\n  ]\n}",
	    "indented output");

	v = json_loads(
	    "{\"b\":[1,2.5,\"x\",{\"c\":null}],\"a\":false}", 0, &err);
	buf_reset(&b);
	jsonw_init(&w, &b, 0);
	jsonw_value(&w, v);
	is_str(buf_str(&b), "{\"b\":[1,2.5,\"x\",{\"c\":null}],\"a\":false}",
	    "a jansson value round-trips, key order kept");
	json_decref(v);

	buf_reset(&b);
	jsonw_put_string(&b, "", 0);
	is_str(buf_str(&b), "\"\"", "empty string");
	buf_release(&b);
	return done_testing();
}
