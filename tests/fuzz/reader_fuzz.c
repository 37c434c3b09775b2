/*
 * reader_fuzz: libFuzzer target for the record reader and the value
 * parsers.  The first byte of an input picks the reading options (format,
 * delimiter, header, encoding); the rest is the file.  Every record read is
 * written back out as CSV and NDJSON, and every field goes through the
 * timestamp, amount, phone and ID parsers; nothing may crash, hang or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "idcard.h"
#include "phone.h"
#include "recin.h"
#include "recout.h"
#include "timeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
parse_fields(const struct rec *rec)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, NULL };
	struct tp_result t;
	struct amount    a;
	struct idcard    id;
	const char      *why;
	char             e164[PHONE_MAX];
	size_t           i;

	for (i = 0; i < rec->n; i++) {
		timeparse(rec->f[i], rec->len[i], &tp, &t, &why);
		tp.order = (enum tp_order)(i % 3);
		amount_parse(rec->f[i], rec->len[i], i % 2 == 0, &a, &why);
		phone_normalize(rec->f[i], rec->len[i], 86, e164, &why);
		idcard_check(rec->f[i], rec->len[i], 20000, &id);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int  delims[] = { ',', ';', '\t', REC_DELIM_BLANKS };
	struct recin_opts o = { 0 };
	struct ci_err     e = { 0 };
	struct recout    *w[2] = { NULL, NULL };
	struct recin     *r;
	struct rec        rec;
	FILE             *fp;
	unsigned          sel;
	enum rec_status   rc;
	int               k;

	if (size == 0)
		return 0;
	sel = data[0];
	o.format = (enum rec_fmt)(sel % 3);
	o.delim = delims[(sel >> 2) % 4];
	o.no_header = (sel >> 4) & 1;
	o.encoding = (sel >> 5) & 1 ? "GB18030" : NULL;
	o.columns = (sel >> 6) & 1 ? "a,b,c" : NULL;
	fp = fmemopen((void *)(data + 1), size - 1, "rb");
	if (fp == NULL)
		return 0;
	r = recin_open_stream(fp, "fuzz", &o, &e);
	if (r != NULL) {
		for (k = 0; k < 2; k++)
			w[k] = recout_open("/dev/null",
			    k == 0 ? REC_FMT_CSV : REC_FMT_NDJSON,
			    recin_cols(r), recin_ncols(r), &e);
		while ((rc = recin_read(r, &rec, &e)) != REC_END &&
		    rc != REC_FAIL) {
			if (rc == REC_BAD) {
				size_t len;

				recin_raw(r, &len);
				continue;
			}
			parse_fields(&rec);
			for (k = 0; k < 2; k++) {
				recout_rec(w[k], &rec);
				recout_end(w[k], &e);
			}
		}
		for (k = 0; k < 2; k++)
			recout_close(w[k], &e);
		recin_free(r);
	}
	fclose(fp);
	return 0;
}
