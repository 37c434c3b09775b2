/*
 * ci-churn trains a churn model on labelled customer rows ("train"),
 * scores rows with it ("predict": probability, 0-100 risk, band, the three
 * reasons that raise the risk most, a playbook action, a decision log) and
 * measures it on labelled rows ("eval").  The work is in lib/engine/churn.
 */
#include <stdio.h>
#include <string.h>

#include "churn.h"
#include "churncli.h"
#include "cli.h"
#include "diag.h"

static const char usage_text[] =
    "usage: ci-churn train [-q] --label column [--positive value]\n"
    "                [--id column] [--model gbt | logistic | blend | auto]\n"
    "                [--seed n] [--folds n] [--trees n] [--max-depth n]\n"
    "                [--eta r] [--class-weight auto | balanced | none]\n"
    "                [--calibration platt | isotonic | none] [--bands list]\n"
    "                [--exclude list] [--only list] [--categorical list]\n"
    "                [--unit column=unit] [--asof date] [--threads n]\n"
    "                [common options] [file]\n"
    "       ci-churn predict [-q] --model file | --from-p-alive\n"
    "                [--playbook file] [--audit file] [--asof date]\n"
    "                [--bands list] [--approx-reasons] [--threads n]\n"
    "                [--digits n] [common options] [file]\n"
    "       ci-churn eval [-q] --model file [--label column]\n"
    "                [--positive value] [--asof date] [--approx-reasons]\n"
    "                [--threads n] [--digits n] [common options] [file]\n";

static const char options_text[] =
    "\n"
    "  --label COLUMN          train, eval: the outcome column\n"
    "  --positive VALUE        its value that means churn (Yes, 1, true)\n"
    "  --id COLUMN             the customer id, left out (customer_id)\n"
    "  --model KIND|FILE       train: gbt, logistic, blend or auto (auto);\n"
    "                          predict, eval: the model file\n"
    "  --seed N                folds and trees (20261101)\n"
    "  --folds N               cross-validation folds (5)\n"
    "  --trees N               trees, no early stopping (0: stop early)\n"
    "  --max-depth N           depth of a tree (4)\n"
    "  --eta R                 learning rate of the trees (0.05)\n"
    "  --class-weight W        auto (balanced under 20% churners),\n"
    "                          balanced or none\n"
    "  --calibration C         platt (default), isotonic or none\n"
    "  --bands A,B,C           risk_band cut points on churn_risk (25,50,75)\n"
    "  --exclude, --only, --categorical LIST  columns, comma-separated\n"
    "  --unit COLUMN=UNIT      written after the value in reasons\n"
    "  --asof DATE             the day dates are counted back from\n"
    "  --threads N             train: XGBoost threads; predict, eval:\n"
    "                          threads scoring the rows (1)\n"
    "  --playbook FILE         predict: YAML rules giving an action\n"
    "  --audit FILE            predict: append a decision log (NDJSON)\n"
    "  --from-p-alive          predict: churn_probability = 1 - p_alive\n"
    "  --approx-reasons        Saabas's reasons, not exact TreeSHAP\n"
    "\n" CLI_COMMON_HELP CLI_DIGITS_HELP "\n"
    "See ci-churn(1).\n";

static const struct cli_prog prog = { usage_text, options_text };

static int
run(struct churncli *o, struct churn_model *m, struct churn_run *r,
    struct ci_err *e)
{
	if (o->mode == CHURNCLI_TRAIN) {
		o->t.enc.exclude = &o->exclude;
		o->t.enc.only = &o->only;
		o->t.enc.categorical = &o->categorical;
		o->t.enc.units = &o->units;
		o->t.gp.seed = o->common.seed;
		return churn_run_train(&o->t, r, e);
	}
	o->p.now = churncli_now();
	o->p.threads = o->t.gp.threads;
	if (o->p.p_alive != NULL) {
		m->from_p_alive = true;
		memcpy(m->cuts, o->t.cuts, sizeof(m->cuts));
	} else if (churn_model_load(m, o->model, e) == -1)
		return -1;
	if (o->mode == CHURNCLI_PREDICT)
		return churn_run_predict(m, &o->p, r, e);
	return churn_run_eval(m, o->t.label, o->t.positive, &o->p, r, e);
}

int
main(int argc, char *argv[])
{
	struct churncli    o;
	struct churn_model m;
	struct churn_run   r;
	struct ci_err      e = { 0 };
	int                rc = CI_EXIT_OK, got = -1;

	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	churncli_parse(&o, &prog, argc, argv);
	r.path = o.common.in.npaths ? o.common.in.paths[0] : NULL;
	r.in = &o.common.in.opts;
	r.fmt = o.common.out_format;
	r.digits = o.common.digits;
	if ((r.rj = rejects_open(o.common.rejects, stderr, &e)) != NULL)
		got = run(&o, &m, &r, &e);
	if (!o.common.quiet)
		diag_lines(buf_str(&r.notes));
	if (got == -1)
		rc = diag_report(&e);
	else if (cli_too_many_errors(&o.common, rejects_count(r.rj), r.rows))
		rc = CI_EXIT_DATA;
	else if (r.degenerate) {
		diag_warn("every prediction is the same: a degenerate model "
		          "or input");
		rc = CI_EXIT_DATA;
	}
	if (rejects_close(r.rj, &e) < 0)
		rc = diag_report(&e);
	buf_release(&r.notes);
	churn_model_release(&m);
	churncli_release(&o);
	return cli_finish(rc);
}
