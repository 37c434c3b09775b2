/*
 * colenc_test: column typing (numbers, dates, categories with rare levels
 * pooled, the id, constant and id-like columns left out), encoding of a
 * row (one-hot, days before the reference, missing and unseen values),
 * bad values, and the encoding written to and read from JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "colenc.h"
#include "tap.h"

#define NC 7
static const char *const names[NC] = { "customer_id", "age", "plan",
	"last_order", "country", "code", "churned" };

static void
row(struct rec *r, const char **f, size_t *len, unsigned char *kind)
{
	size_t i;

	for (i = 0; i < NC; i++) {
		len[i] = strlen(f[i]);
		kind[i] = REC_STR;
	}
	r->n = NC;
	r->f = f;
	r->len = len;
	r->kind = kind;
	r->line = 2;
}

int
main(void)
{
	struct colenc_stats st;
	struct colenc       ce = { 0 }, back = { 0 };
	struct colenc_opts  o = { 0 };
	struct buf          notes = { 0 }, js = { 0 };
	struct jsonw        w;
	struct ci_err       e = { 0 };
	struct rec          r;
	size_t              len[NC], i;
	unsigned char       kind[NC];
	char                id[16], age[16], code[16];
	float               x[32];
	uint64_t            unseen[NC] = { 0 };
	json_t             *root;
	long                nf;

	plan(18);
	colenc_stats_init(&st, names, NC);
	for (i = 0; i < 40; i++) {
		const char *f[NC];

		snprintf(id, sizeof(id), "C%zu", i);
		snprintf(age, sizeof(age), "%zu", 20 + i);
		snprintf(code, sizeof(code), "K%zu", i * 7);
		f[0] = id;
		f[1] = i == 3 ? "" : age;
		f[2] = i % 3 == 0 ? "basic" : i % 3 == 1 ? "plus" : "pro";
		f[3] = i % 2 ? "2026-06-30" : "2026-06-20";
		f[4] = i == 5 ? "FR" : "CN"; /* FR: rare, pooled */
		f[5] = code;                 /* distinct in every row */
		f[6] = i % 4 ? "no" : "yes";
		row(&r, f, len, kind);
		colenc_stats_add(&st, &r);
	}
	o.label = "churned";
	nf = colenc_decide(&ce, &st, &o, &notes, &e);
	is_int(nf, 1 + 3 + 1 + 2, "age, 3 plans, last_order, CN + other");
	is_int(ce.col[1].type, COLENC_NUMERIC, "age is numeric");
	is_int(ce.col[2].type, COLENC_CATEGORICAL, "plan is categorical");
	is_int(ce.col[3].type, COLENC_DATE, "last_order is a date");
	ok(ce.col[4].type == COLENC_CATEGORICAL && ce.col[4].nlevels == 1 &&
	        ce.col[4].other,
	    "country: CN kept, FR pooled");
	ok(ce.col[0].type == COLENC_DROPPED &&
	        ce.col[5].type == COLENC_DROPPED &&
	        strstr(ce.col[5].why, "id-like") != NULL &&
	        ce.col[6].type == COLENC_DROPPED,
	    "id, id-like code and label left out");
	ok(strstr(buf_str(&notes), "dates, as days before 2026-06-30") != NULL,
	    "the typing is noted");
	ok(colenc_bind(&ce, names, NC, &e) == 0, "bound");
	{
		const char *f[NC] = { "Z", "33", "plus", "2026-06-01", "FR",
			"x", "no" };

		row(&r, f, len, kind);
		ok(colenc_row(&ce, &r, x, unseen, "t.csv", &e) == 0, "encoded");
		ok(x[0] == 33 && x[1] == 0 && x[2] == 1 && x[3] == 0,
		    "age as is; plan one-hot");
		is_near(x[4], 29, 0, "last_order: 29 days before 2026-06-30");
		ok(x[5] == 0 && x[6] == 1, "FR goes to (other)");
	}
	{
		const char *f[NC] = { "Z", "", "gold", "", "CN", "x", "no" };

		row(&r, f, len, kind);
		colenc_row(&ce, &r, x, unseen, "t.csv", &e);
		ok(isnan(x[0]) && isnan(x[1]) && isnan(x[3]) && isnan(x[4]),
		    "missing and unseen values are NaN");
		is_int((long)unseen[2], 1, "the unseen plan is counted");
	}
	{
		const char *f[NC] = { "Z", "old", "plus", "", "CN", "x", "no" };

		row(&r, f, len, kind);
		ok(colenc_row(&ce, &r, x, NULL, "t.csv", &e) == -1 &&
		        e.line == 2 &&
		        strstr(e.msg, "bad number 'old'") != NULL,
		    "a bad number: %s", e.msg);
	}
	jsonw_init(&w, &js, 0);
	jsonw_obj_begin(&w);
	colenc_write(&ce, &w);
	jsonw_obj_end(&w);
	root = json_loads(js.data, 0, NULL);
	ok(root != NULL && colenc_load(&back, root, "m.json", &e) == 0,
	    "read back");
	ok(back.nfeat == ce.nfeat && back.ref == ce.ref && back.col[4].other &&
	        back.col[4].npooled == 1 &&
	        strcmp(back.feat[6], "country=(other)") == 0,
	    "the same encoding");
	{
		struct colenc_opts bad = { 0 };
		struct strv        only = { 0 };
		struct colenc      c2 = { 0 };

		strv_add(&only, "age,height", true);
		bad.only = &only;
		ok(colenc_decide(&c2, &st, &bad, &notes, &e) == -1 &&
		        strstr(e.msg, "'height'") != NULL,
		    "--only of a missing column: %s", e.msg);
		strv_free(&only);
		colenc_release(&c2);
	}
	json_decref(root);
	buf_release(&js);
	buf_release(&notes);
	colenc_release(&ce);
	colenc_release(&back);
	colenc_stats_release(&st);
	return done_testing();
}
