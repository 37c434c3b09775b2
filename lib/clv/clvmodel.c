/*
 * clvmodel: the checks, the log-likelihood wrapper and the fit that the
 * customer-lifetime-value models share.  The model's loglik accumulates
 * into zeroed arrays here, and the lower triangle of its Hessian is
 * copied from the upper one, so that what a model computes is what it
 * returns, bit for bit, whether it is called for a fit or on its own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clvmodel.h"
#include "xalloc.h"

/* The data as this file sees them: a struct cbs or a struct cbs_spend. */
struct data {
	const void *d;
	size_t      n;      /* distinct rows */
	size_t      nx;     /* distinct x */
	size_t      ntimes; /* distinct T and distinct t_x, together */
	double      total;  /* customers */
	double      max_T;  /* the largest T; 0 for spend data */
};

static struct data
counts(const struct cbs *d)
{
	struct data v = { d, d->n, d->nx, d->nT + d->ntx, d->total, d->max_T };

	return v;
}

static struct data
spend(const struct cbs_spend *d)
{
	struct data v = { d, d->n, d->nx, 0, d->total, 0 };

	return v;
}

/* The workspace m asks for on the data dv. */
static double *
ws_new(const struct clvmodel *m, const struct data *dv)
{
	return xreallocarray(
	    NULL, dv->nx * m->ws_x + dv->ntimes * m->ws_t + 1, sizeof(double));
}

/* The parameters of m in *params, as a vector in the order of m's table. */
static void
get(const struct clvmodel *m, const void *params, double *p)
{
	size_t i;

	for (i = 0; i < m->k; i++)
		memcpy(&p[i], (const char *)params + m->par[i].off, sizeof(*p));
}

/* The vector p into m's struct of parameters *params. */
static void
put(const struct clvmodel *m, const double *p, void *params)
{
	size_t i;

	for (i = 0; i < m->k; i++)
		memcpy((char *)params + m->par[i].off, &p[i], sizeof(*p));
}

/* Check the parameter vector p of m, as clvmodel_check(). */
static int
check(const struct clvmodel *m, const double *p, struct ci_err *err)
{
	size_t i;

	for (i = 0; i < m->k; i++)
		if (!(isfinite(p[i]) && p[i] > 0))
			return ci_err_set(err, CI_EXIT_MODEL, NULL, 0,
			    "bad %s parameter %s '%g': not a number > 0",
			    m->title, m->par[i].name, p[i]);
	return 0;
}

int
clvmodel_check(const struct clvmodel *m, const void *params, struct ci_err *err)
{
	double p[MLFIT_MAXP];

	get(m, params, p);
	return check(m, p, err);
}

int
clvmodel_check_customer(const struct clvmodel *m, const void *params, double x,
    double tx, double T, struct ci_err *err)
{
	if (clvmodel_check(m, params, err) == -1)
		return -1;
	if (!(isfinite(x) && x >= 0 && isfinite(T) && T >= 0 && isfinite(tx) &&
	        tx >= 0 && tx <= T))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "bad customer summary (x %g, t_x %g, T %g)", x, tx, T);
	return 0;
}

/*
 * m's log-likelihood of d at the checked parameters p, with the workspace
 * ws, as clvmodel_loglik() returns it.
 */
static int
eval(const struct clvmodel *m, const double *p, const void *d, double *ws,
    double *ll, double *grad, double *hess, struct ci_err *err)
{
	const size_t k = m->k;
	const int    order = !m->derivs ? 0 : hess != NULL ? 2 : grad != NULL;
	double       s = 0, g[MLFIT_MAXP] = { 0 };
	double       h[MLFIT_MAXP * MLFIT_MAXP] = { 0 };
	size_t       i, j;

	if (m->loglik(p, d, ws, order, &s, g, h, err) == -1)
		return -1;
	if (!isfinite(s))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the %s likelihood is not finite", m->title);
	*ll = s;
	if (grad != NULL)
		memcpy(grad, g, k * sizeof(*g));
	if (hess != NULL) {
		for (i = 0; i < k; i++)
			for (j = 0; j < i; j++)
				h[i * k + j] = h[j * k + i];
		memcpy(hess, h, k * k * sizeof(*h));
	}
	return 0;
}

static int
loglik(const struct clvmodel *m, const void *params, const struct data *dv,
    double *ll, double *grad, double *hess, struct ci_err *err)
{
	double p[MLFIT_MAXP], *ws;
	int    rc;

	get(m, params, p);
	if (check(m, p, err) == -1)
		return -1;
	ws = ws_new(m, dv);
	rc = eval(m, p, dv->d, ws, ll, grad, hess, err);
	free(ws);
	return rc;
}

int
clvmodel_loglik(const struct clvmodel *m, const void *params,
    const struct cbs *d, double *ll, double *grad, double *hess,
    struct ci_err *err)
{
	struct data dv = counts(d);

	return loglik(m, params, &dv, ll, grad, hess, err);
}

int
clvmodel_spend_loglik(const struct clvmodel *m, const void *params,
    const struct cbs_spend *d, double *ll, double *grad, double *hess,
    struct ci_err *err)
{
	struct data dv = spend(d);

	return loglik(m, params, &dv, ll, grad, hess, err);
}

/* The model, its data and the workspace of a fit, for fit_loglik(). */
struct fit_ctx {
	const struct clvmodel *m;
	const void            *d;
	double                *ws;
};

/* eval() at the natural parameters p, as mlfit_fit() calls it. */
static int
fit_loglik(void *arg, const double *p, double *ll, double *grad, double *hess,
    struct ci_err *err)
{
	const struct fit_ctx *c = arg;

	if (check(c->m, p, err) == -1)
		return -1;
	return eval(c->m, p, c->d, c->ws, ll, grad, hess, err);
}

static int
fit(const struct clvmodel *m, const struct data *dv, const struct mlfit_opts *o,
    void *params, struct mlfit_info *info, struct ci_err *err)
{
	struct fit_ctx     c = { m, dv->d, NULL };
	struct mlfit_model mm = {
		.k = m->k, .n = dv->total, .derivs = m->derivs
	};
	double p[MLFIT_MAXP] = { 0 };
	size_t i;
	int    rc;

	for (i = 0; i < m->k; i++) {
		mm.scale[i] = m->par[i].time ? 1 / dv->max_T : 1;
		mm.start[i] = 0.1;
	}
	c.ws = ws_new(m, dv);
	mm.loglik = fit_loglik;
	mm.ctx = &c;
	info->n_distinct = dv->n;
	rc = mlfit_fit(&mm, o, p, info, err);
	free(c.ws);
	if (rc == -1)
		return -1;
	put(m, p, params);
	return 0;
}

int
clvmodel_fit(const struct clvmodel *m, const struct cbs *d,
    const struct mlfit_opts *o, void *params, struct mlfit_info *info,
    struct ci_err *err)
{
	struct data dv = counts(d);

	/* -1, not ci_err_set()'s value: gcc -flto would warn on *params. */
	if (d->n == 0 || !(d->max_T > 0)) {
		ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "no customer observed for a positive time to fit to");
		return -1;
	}
	return fit(m, &dv, o, params, info, err);
}

int
clvmodel_spend_fit(const struct clvmodel *m, const struct cbs_spend *d,
    const struct mlfit_opts *o, void *params, struct mlfit_info *info,
    struct ci_err *err)
{
	struct data dv = spend(d);

	if (d->n == 0) {
		ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "no customer with a repeat purchase to fit to");
		return -1;
	}
	return fit(m, &dv, o, params, info, err);
}
