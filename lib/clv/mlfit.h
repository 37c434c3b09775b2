/*
 * mlfit: maximum-likelihood fitting for the customer-lifetime-value models:
 * the fit options and diagnostics they share, a GSL multimin driver over
 * log-parameters, and standard errors from a numerical Hessian.
 *
 * A model states its fit as an objective f(theta) to minimise over
 * theta = the logs of its (positive) parameters: the negative mean
 * log-likelihood per customer plus any penalty, as lifetimes does, so that
 * the size of the data set does not change the scale of the problem.  The
 * driver runs GSL's vector_bfgs2 (gsl_multimin) from the start; with a
 * gradient, after a few iterations it turns to Newton's method, which
 * converges in a few steps near the optimum and keeps taking long steps
 * where the likelihood flattens towards a boundary of the parameter space,
 * where BFGS crawls for hundreds of iterations (a BG/NBD fitted to
 * customers who never drop out, whose a goes to 0 and b to infinity).
 * Should the search stall away from the optimum, a round of nmsimplex2 and
 * a final bfgs2 follow.  GSL's error handler must be off (see specfun.h).
 *
 * mlfit_fit() does the whole fit of a model stated by its log-likelihood
 * in its natural parameters (struct mlfit_model): the objective over the
 * log-scaled parameters, lifetimes' penalty, the chain rule, the driver,
 * the standard errors of the natural parameters and the final
 * log-likelihood, so that each model keeps only its likelihood.
 */
#ifndef CI_MLFIT_H
#define CI_MLFIT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The most parameters a model has. */
#define MLFIT_MAXP 4

/* Fit options; a zeroed struct (or NULL where one is taken) is the default. */
struct mlfit_opts {
	/*
	 * lifetimes' penalizer_coef: c * sum(parameter^2) is added to the
	 * negative mean log-likelihood, with each model's parameters in the
	 * time scale its header states.  Must be >= 0; 0 is plain maximum
	 * likelihood.
	 */
	double penalizer;
	size_t max_iter; /* iterations allowed; 0 means 2000 */
	/*
	 * Convergence: the largest |d f / d theta_i| allowed at the end;
	 * 0 means 1e-6 (1e-5 where the gradient is numerical).  The
	 * minimiser does not stop there but goes on while it makes progress,
	 * so the gradient usually ends far below this.
	 */
	double gtol;
};

/* What a fit reports besides the parameters. */
struct mlfit_info {
	double loglik; /* total log-likelihood at the estimate (no penalty) */
	size_t iterations; /* minimiser iterations, all phases together */
	bool   converged;  /* the gradient test passed */
	double grad_max;   /* the largest |d f / d theta_i| at the end */
	/*
	 * Standard errors of the parameters, in the model's parameter order,
	 * from the inverse of the Hessian of the objective (the observed
	 * information per customer, times the number of customers); NaN when
	 * that Hessian is not positive definite.  Unused entries are NaN.
	 */
	double se[MLFIT_MAXP];
	size_t n_customers; /* the total weight of the data */
	size_t n_distinct;  /* distinct rows the data collapsed to */
};

/*
 * The objective at theta: *f and, unless grad is NULL, grad[0..k-1].  A
 * model whose objective has no analytic gradient never fills grad (see
 * mlfit_problem.has_grad).  Returns 0, or -1 with *err filled.
 */
typedef int mlfit_objective(void *ctx, const double *theta, double *f,
    double *grad, struct ci_err *err);

/*
 * The objective, its gradient and its Hessian (k * k, row-major) at theta
 * together.  Returns 0, or -1 with *err filled.
 */
typedef int mlfit_objective2(void *ctx, const double *theta, double *f,
    double *grad, double *hess, struct ci_err *err);

struct mlfit_problem {
	size_t           k;  /* parameters, 1..MLFIT_MAXP */
	mlfit_objective *fn; /* the objective */
	void            *ctx;
	/*
	 * Whether fn fills grad.  If not, the driver uses central differences
	 * with steps of about eps^(1/3) (times max(1, |theta_i|)), good to
	 * about 1e-10 for an objective of order 1, which is why the default
	 * gtol is larger then.
	 */
	bool has_grad;
	/*
	 * The analytic Hessian with the objective, or NULL.  Newton's steps
	 * and the standard errors use it; without it they take differences
	 * of the gradient.
	 */
	mlfit_objective2 *hess;
};

/*
 * Minimise pb's objective from theta0, leaving the best point found in
 * theta (both of pb->k entries).  Fills info->iterations, converged and
 * grad_max, and leaves the other fields alone.  A fit that runs out of
 * iterations or stalls still returns 0, with info->converged false; -1
 * (with *err) means the objective failed or a bad option.
 */
int mlfit_minimize(const struct mlfit_problem *pb, const struct mlfit_opts *o,
    const double *theta0, double *theta, struct mlfit_info *info,
    struct ci_err *err);

/*
 * The Hessian of pb's objective at theta into H (k * k, row-major), by
 * central differences of the gradient (of the objective when there is no
 * gradient), symmetrised.  Returns 0, or -1 with *err.
 */
int mlfit_hessian(const struct mlfit_problem *pb, const double *theta,
    double *H, struct ci_err *err);

/*
 * The whole fit of a model: check o (a penalizer that is not a number >= 0
 * is CI_EXIT_USAGE), mlfit_minimize() from theta0 into theta, then the
 * Hessian at theta and mlfit_log_se() with n customers into info->se (in
 * theta's terms: a parameter p_i = exp(theta_i) times a constant has the
 * standard error p_i se[i]), and info->n_customers = n.  Returns 0 (also
 * for a fit that did not converge) or -1 with *err.
 */
int mlfit_run(const struct mlfit_problem *pb, const struct mlfit_opts *o,
    const double *theta0, double *theta, double n, struct mlfit_info *info,
    struct ci_err *err);

/*
 * Standard errors of theta, sqrt(diag((n H)^-1)), for the Hessian H of the
 * per-customer objective and n customers, into se[0..k-1]: the inverse
 * is taken by gsl_linalg's Cholesky factorisation once the symmetric
 * eigenvalues (gsl_eigen_symm) show H positive definite.  When it is not,
 * or H is not finite, every se is NaN.  The delta method turns these into
 * standard errors of the parameters: se(p_i) = p_i se(theta_i).
 */
void mlfit_log_se(const double *H, size_t k, double n, double *se);

/*
 * A model's log-likelihood, for mlfit_fit(), at its k positive (natural)
 * parameters p[0..k-1] in the model's order: the total over the data into
 * *ll; unless grad is NULL its gradient with respect to p into
 * grad[0..k-1], and unless hess is NULL its Hessian (k * k, row-major)
 * into hess.  A model without analytic derivatives is only ever asked for
 * *ll.  It checks p itself (the search may reach values that underflow to
 * 0 or overflow).  Returns 0, or -1 with *err filled.
 */
typedef int mlfit_loglik(void *ctx, const double *p, double *ll, double *grad,
    double *hess, struct ci_err *err);

/* A model to fit by mlfit_fit(). */
struct mlfit_model {
	size_t k; /* parameters, 1..MLFIT_MAXP */
	/*
	 * The time scale of each parameter: the search runs over
	 * theta_i = ln(p_i scale_i), and the penalty is on p_i scale_i.
	 * 1 for a parameter without a unit, 1 / max T for a rate parameter
	 * in the time unit of the data (lifetimes rescales time so that the
	 * largest T is 1 before it fits).
	 */
	double        scale[MLFIT_MAXP];
	double        start[MLFIT_MAXP]; /* theta where the search starts */
	double        n;                 /* the customers: the total weight */
	mlfit_loglik *loglik;
	void         *ctx; /* loglik's first argument */
	/* Whether loglik fills grad and hess (see mlfit_problem.has_grad). */
	bool derivs;
};

/*
 * Fit m by maximum likelihood: mlfit_run() on lifetimes' objective over
 * theta, -ll / n + c sum_i (p_i scale_i)^2 with c = o->penalizer (o may
 * be NULL), with its gradient and Hessian in theta by the chain rule when
 * m->derivs (with p_i = e^theta_i / scale_i, d / d theta_i = p_i d / d p_i,
 * and d2 / d theta_i d theta_j = p_i p_j d2 / d p_i d p_j, plus
 * p_i d / d p_i on the diagonal).  The estimate goes to p[0..k-1]; info as
 * mlfit_run() fills it, with the standard errors of the natural
 * parameters (se(p_i) = p_i se(theta_i)) and info->loglik the
 * log-likelihood at p; info->n_distinct is left alone.  Returns 0 (also
 * for a fit that did not converge) or -1 with *err.
 */
int mlfit_fit(const struct mlfit_model *m, const struct mlfit_opts *o,
    double *p, struct mlfit_info *info, struct ci_err *err);

#endif
