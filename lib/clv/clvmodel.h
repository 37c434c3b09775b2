/*
 * clvmodel: what the customer-lifetime-value models share around their
 * likelihoods.  A model states itself once, as a static const struct
 * clvmodel in its file: its name, its parameters (their names, where
 * they are in its struct of parameters, and which are times) and its
 * log-likelihood.  The functions here check its parameters, evaluate its
 * log-likelihood with the workspace it asks for, and fit it to its data by
 * mlfit_fit(), so that a model's file keeps its formulas, its derivatives
 * and its predictions.
 *
 * The data are a struct cbs for the purchase-count models (BG/NBD,
 * MBG/NBD, Pareto/NBD) and a struct cbs_spend for the Gamma-Gamma spend
 * model, each with its own pair of functions.  A model's parameters are
 * its own struct (struct bgnbd_params, ...), passed here as a pointer to
 * it and read and written through the offsets its table gives.
 */
#ifndef CI_CLVMODEL_H
#define CI_CLVMODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "cbs.h"
#include "diag.h"
#include "mlfit.h"

/*
 * A model's log-likelihood over the data d (the struct cbs or the struct
 * cbs_spend given to the clvmodel function that calls it) at its k
 * parameters p[0..k-1] in the order of its table, already checked finite
 * and > 0.  It puts the total into *ll; with order >= 1 it adds its
 * gradient with respect to p into g[0..k-1], and with order 2 the upper
 * triangle (j >= i) of its Hessian into h[i * k + j] as well.  g and h
 * come zeroed; the caller fills the lower triangle and checks that *ll is
 * finite.  ws holds the doubles the model's table asks for, for the model
 * to use as it sees fit.  Returns 0, or -1 with *err filled.
 */
typedef int clvmodel_loglik_fn(const double *p, const void *d, double *ws,
    int order, double *ll, double *g, double *h, struct ci_err *err);

/* A parameter of a model. */
struct clvmodel_par {
	const char *name; /* in messages: "alpha" */
	size_t      off;  /* offsetof() its double in the model's struct */
	/*
	 * Whether it is a time (a scale in the time unit of the data).  The
	 * fit searches over a time in units of the largest T, and puts the
	 * penalty on it in those units, because lifetimes 0.11 rescales time
	 * so that the largest T is 1 before it fits.
	 */
	bool time;
};

/* A model, as its file states it. */
struct clvmodel {
	const char         *title; /* the model's name in messages: "BG/NBD" */
	size_t              k;     /* parameters, 1..MLFIT_MAXP */
	struct clvmodel_par par[MLFIT_MAXP]; /* in the model's order */
	/*
	 * The workspace loglik needs: ws_x doubles per distinct x, and
	 * ws_t per distinct T and per distinct t_x (struct cbs only).
	 */
	size_t ws_x, ws_t;
	/*
	 * Whether loglik computes its gradient and Hessian; when not, it is
	 * only ever called with order 0, and the fit takes differences.
	 */
	bool                derivs;
	clvmodel_loglik_fn *loglik;
};

/*
 * Check the parameters of m in *params, the model's struct of them.
 * Returns 0, or -1 with *err (CI_EXIT_MODEL) naming the first that is not
 * finite and > 0.
 */
int clvmodel_check(
    const struct clvmodel *m, const void *params, struct ci_err *err);

/*
 * Check what a prediction of a purchase-count model is given: the
 * parameters of m in *params, as clvmodel_check(), then the customer
 * summary (x, t_x, T): all finite, x >= 0 and 0 <= t_x <= T.  Unlike
 * cbs_acc_add() it takes any x >= 0, whole or not.  Returns 0, or -1 with
 * *err: CI_EXIT_MODEL for a parameter, CI_EXIT_DATA for the summary.
 */
int clvmodel_check_customer(const struct clvmodel *m, const void *params,
    double x, double tx, double T, struct ci_err *err);

/*
 * The total log-likelihood of d at the parameters *params of m into *ll;
 * unless grad is NULL its gradient with respect to them into
 * grad[0..k-1], and unless hess is NULL its Hessian (k * k, row-major)
 * into hess, both in the order of m's table.  A model without derivatives
 * (m->derivs false) takes NULL for both.  The workspace is allocated and
 * freed here.  Returns 0, or -1 with *err: CI_EXIT_MODEL for bad
 * parameters (as clvmodel_check()), CI_EXIT_DATA for a likelihood that is
 * not finite or cannot be computed.
 */
int clvmodel_loglik(const struct clvmodel *m, const void *params,
    const struct cbs *d, double *ll, double *grad, double *hess,
    struct ci_err *err);

/* As clvmodel_loglik(), for a spend model's data. */
int clvmodel_spend_loglik(const struct clvmodel *m, const void *params,
    const struct cbs_spend *d, double *ll, double *grad, double *hess,
    struct ci_err *err);

/*
 * Fit m to d by maximum likelihood and put the estimate into *params:
 * mlfit_fit() over the logs of the parameters, the times in units of the
 * largest T, from theta_i = 0.1 each (e^0.1, about 1.1, in those units),
 * with the analytic gradient and Hessian when m->derivs and by
 * differences otherwise.  o may be NULL (see struct mlfit_opts for the
 * penalty).  Fills *info, with the standard errors in the order of m's
 * table and info->n_distinct = d->n.  A fit that does not converge still
 * returns 0, with info->converged false.  Returns -1 with *err, *params
 * left alone: CI_EXIT_DATA when no customer is observed for a positive
 * time, CI_EXIT_USAGE for a bad option, or as clvmodel_loglik() when the
 * likelihood fails.
 */
int clvmodel_fit(const struct clvmodel *m, const struct cbs *d,
    const struct mlfit_opts *o, void *params, struct mlfit_info *info,
    struct ci_err *err);

/*
 * As clvmodel_fit(), for a spend model's data, in which no parameter is a
 * time: CI_EXIT_DATA when d has no customer.
 */
int clvmodel_spend_fit(const struct clvmodel *m, const struct cbs_spend *d,
    const struct mlfit_opts *o, void *params, struct mlfit_info *info,
    struct ci_err *err);

#endif
