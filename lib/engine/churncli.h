/*
 * churncli: ci-churn's command line: its options, which subcommand takes
 * each, and the checks of their values.  Like cli, it prints and exits
 * (status 2) on behalf of the program for a usage error.
 */
#ifndef CI_CHURNCLI_H
#define CI_CHURNCLI_H

#include <stdbool.h>
#include <stdint.h>

#include "churn.h"
#include "cli.h"
#include "strv.h"

enum churncli_mode {
	CHURNCLI_TRAIN = 1,
	CHURNCLI_PREDICT = 2,
	CHURNCLI_EVAL = 4
};

/* What the command line asked for. */
struct churncli {
	struct cli_common         common;
	struct churn_train_opts   t;
	struct churn_predict_opts p;
	struct strv               exclude, only, categorical, units;
	enum churncli_mode        mode;
	const char               *mode_name, *model;
	bool                      has_bands;
};

/*
 * Parse argv (the subcommand first) into *o, initialised here; prog's texts
 * answer --help.  Exits 2 with a message for a usage error.
 */
void churncli_parse(
    struct churncli *o, const struct cli_prog *prog, int argc, char *argv[]);

/* The audit log's clock: SOURCE_DATE_EPOCH when set, else the time. */
int64_t churncli_now(void);

/* Free what o holds. */
void churncli_release(struct churncli *o);

#endif
