/*
 * model_fuzz: libFuzzer target for the files one run leaves for the next:
 * ci-score and ci-segment model files, and ci-features partial states
 * (--merge).  The first byte picks which; the rest is the file.  A model
 * that loads is used on a feature row; nothing may crash, hang or leak,
 * whatever the members, numbers or nesting.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feature.h"
#include "fuzzfile.h"
#include "score.h"
#include "segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
score_model(const char *path)
{
	struct score_model m;
	struct ci_err      e = { 0 };

	score_model_init(&m);
	score_model_load(&m, path, &e);
	score_model_release(&m);
}

static void
segment_model(const char *path)
{
	struct ci_err   e = { 0 };
	struct segment *s = segment_new_model(path, &e);

	segment_free(s);
}

static void
partial_state(const char *path)
{
	struct feature_opts o = { .unit_days = 7,
		.windows = { 30, 90 },
		.nwindows = 2,
		.from_partials = true };
	struct feature     *f = feature_new(&o);
	struct ci_err       e = { 0 };
	struct recout      *w;
	const char *const  *cols;
	size_t              n;

	if (feature_merge(f, path, &e) == 0) {
		n = feature_columns(f, &cols);
		w = recout_open("/dev/null", REC_FMT_CSV, cols, n, &e);
		if (w != NULL)
			feature_write(f, w, &e);
		recout_close(w, &e);
	}
	feature_free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;

	if (size == 0)
		return 0;
	path = fuzz_file(data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		score_model(path);
		break;
	case 1:
		segment_model(path);
		break;
	default:
		partial_state(path);
	}
	return 0;
}
