/*
 * mlfit: the GSL multimin driver, Newton's method, and the Hessian for the
 * standard errors.  The GSL
 * callbacks cannot fail, so an evaluation that fails is recorded in the
 * driver's state, reported to GSL as NaN, and ends the minimisation at the
 * last good point.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "mlfit.h"

#define DEFAULT_MAX_ITER 2000
#define DEFAULT_GTOL 1e-6
#define DEFAULT_GTOL_NUM 1e-5
/*
 * The gradient the minimiser aims at, whatever the convergence test: a
 * mean log-likelihood of order 1 is flat to rounding within about 1e-8
 * of its optimum, so the search stops there or where it stalls.  With
 * CDNOW's 2,357 customers the BG/NBD b is 2.42577 when the gradient is
 * first below 1e-6, and 2.42591 (the paper's 2.4259) below 1e-8.
 */
#define GTOL_FLOOR 1e-9
#define BFGS_RESTARTS 5
/* The longest step of Newton's method in a log-parameter. */
#define NEWTON_STEP 5
/*
 * BFGS iterations before Newton's method takes over: from the start
 * (each parameter 1.1) the Hessian is often indefinite and Newton's
 * method may head for the wrong boundary; ten BFGS iterations find the
 * right valley.
 */
#define BFGS_FIRST 10
/*
 * bfgs2's line-search tolerance.  GSL suggests 0.1; on the CDNOW fits
 * 0.01 takes about half the evaluations (Pareto/NBD: 800 against 1400).
 */
#define LINE_TOL 0.01
/* Central-difference steps: eps^(1/3) for a gradient, eps^(1/4) for a
 * Hessian from function values, and 1e-4 for a Hessian from gradients. */
#define STEP_GRAD 6.0555e-6
#define STEP_HESS_F 1.2207e-4
#define STEP_HESS_G 1e-4

struct drv {
	const struct mlfit_problem *pb;
	struct ci_err              *err;
	bool                        failed;
};

/* A step of about h * max(1, |t|) that is exact in binary: (t + h) - t. */
static double
step(double t, double h)
{
	volatile double up = t + h * fmax(1, fabs(t));

	return up - t;
}

/* The objective and, unless g is NULL, its gradient, at th. */
static int
eval(const struct mlfit_problem *pb, const double *th, double *f, double *g,
    struct ci_err *err)
{
	double t[MLFIT_MAXP], fp, fm;
	size_t i;

	if (pb->fn(pb->ctx, th, f, pb->has_grad ? g : NULL, err) == -1)
		return -1;
	if (!isfinite(*f))
		return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
		    "the likelihood is not finite at these parameters");
	if (g == NULL || pb->has_grad)
		return 0;
	memcpy(t, th, pb->k * sizeof(*t));
	for (i = 0; i < pb->k; i++) {
		double h = step(th[i], STEP_GRAD);

		t[i] = th[i] + h;
		if (pb->fn(pb->ctx, t, &fp, NULL, err) == -1)
			return -1;
		t[i] = th[i] - h;
		if (pb->fn(pb->ctx, t, &fm, NULL, err) == -1)
			return -1;
		t[i] = th[i];
		g[i] = (fp - fm) / (2 * h);
		if (!isfinite(g[i]))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "the likelihood is not finite at these parameters");
	}
	return 0;
}

static void
gsl_eval(const gsl_vector *x, struct drv *d, double *f, gsl_vector *gv)
{
	double th[MLFIT_MAXP], g[MLFIT_MAXP] = { 0 };
	size_t i;

	*f = GSL_NAN;
	for (i = 0; i < d->pb->k; i++) {
		th[i] = gsl_vector_get(x, i);
		if (gv != NULL)
			gsl_vector_set(gv, i, GSL_NAN);
	}
	if (d->failed ||
	    eval(d->pb, th, f, gv != NULL ? g : NULL, d->err) == -1) {
		d->failed = true;
		*f = GSL_NAN;
		return;
	}
	if (gv != NULL)
		for (i = 0; i < d->pb->k; i++)
			gsl_vector_set(gv, i, g[i]);
}

static double
cb_f(const gsl_vector *x, void *arg)
{
	double f;

	gsl_eval(x, arg, &f, NULL);
	return f;
}

static void
cb_df(const gsl_vector *x, void *arg, gsl_vector *g)
{
	double f;

	gsl_eval(x, arg, &f, g);
}

static void
cb_fdf(const gsl_vector *x, void *arg, double *f, gsl_vector *g)
{
	gsl_eval(x, arg, f, g);
}

static double
max_abs(const double *g, size_t k)
{
	double m = 0;
	size_t i;

	for (i = 0; i < k; i++)
		if (!(fabs(g[i]) <= m))
			m = fabs(g[i]);
	return m;
}

/*
 * One bfgs2 phase from theta, leaving the best point in theta.  It goes on
 * past the convergence test until the gradient is below GTOL_FLOOR or the
 * line search stalls, which near the optimum happens when f no longer
 * changes in its last digits: the extra iterations are few and buy the
 * digits that the test alone would leave.  A stall restarts the search
 * from the point reached, at most BFGS_RESTARTS times.  Returns 0, or -1
 * when an evaluation failed (theta then holds the last good point).
 */
static int
run_bfgs(struct drv *d, double *theta, size_t *iter, size_t max_iter)
{
	gsl_multimin_function_fdf  fdf = { cb_f, cb_df, cb_fdf, d->pb->k, d };
	gsl_multimin_fdfminimizer *s;
	gsl_vector_view            x0 = gsl_vector_view_array(theta, d->pb->k);
	size_t                     i, restarts = 0;
	int                        st;

	s = gsl_multimin_fdfminimizer_alloc(
	    gsl_multimin_fdfminimizer_vector_bfgs2, d->pb->k);
	if (s == NULL)
		return ci_err_set(d->err, CI_EXIT_IO, NULL, 0,
		    "out of memory for the minimiser");
	gsl_multimin_fdfminimizer_set(s, &fdf, &x0.vector, 0.1, LINE_TOL);
	while (!d->failed && *iter < max_iter) {
		double gm;

		st = gsl_multimin_fdfminimizer_iterate(s);
		(*iter)++;
		if (d->failed)
			break;
		gm = max_abs(
		    gsl_multimin_fdfminimizer_gradient(s)->data, d->pb->k);
		if (gm <= GTOL_FLOOR)
			break;
		if (st != GSL_SUCCESS) {
			if (++restarts > BFGS_RESTARTS)
				break;
			gsl_vector_memcpy(
			    &x0.vector, gsl_multimin_fdfminimizer_x(s));
			gsl_multimin_fdfminimizer_set(
			    s, &fdf, &x0.vector, 0.01, LINE_TOL);
		}
	}
	for (i = 0; i < d->pb->k; i++)
		theta[i] = gsl_vector_get(gsl_multimin_fdfminimizer_x(s), i);
	gsl_multimin_fdfminimizer_free(s);
	return d->failed ? -1 : 0;
}

/*
 * f, g and H at th: the analytic Hessian, or forward differences of the
 * gradient (k more evaluations), symmetrised.
 */
static int
eval_hess(const struct mlfit_problem *pb, const double *th, double *f,
    double *g, double *H, struct ci_err *err)
{
	double t[MLFIT_MAXP], gj[MLFIT_MAXP], fj;
	size_t i, j, k = pb->k;

	if (pb->hess != NULL) {
		if (pb->hess(pb->ctx, th, f, g, H, err) == -1)
			return -1;
		if (!isfinite(*f))
			return ci_err_set(err, CI_EXIT_DATA, NULL, 0,
			    "the likelihood is not finite at these parameters");
		return 0;
	}
	if (eval(pb, th, f, g, err) == -1)
		return -1;
	memcpy(t, th, k * sizeof(*t));
	for (j = 0; j < k; j++) {
		double h = step(th[j], STEP_HESS_G);

		t[j] = th[j] + h;
		if (eval(pb, t, &fj, gj, err) == -1)
			return -1;
		t[j] = th[j];
		for (i = 0; i < k; i++)
			H[i * k + j] = (gj[i] - g[i]) / h;
	}
	for (i = 0; i < k; i++)
		for (j = 0; j < i; j++)
			H[i * k + j] = H[j * k + i] =
			    (H[i * k + j] + H[j * k + i]) / 2;
	return 0;
}

/*
 * The Newton direction -H'^-1 g into dir, where H' is H with its
 * eigenvalues made positive: their absolute values, and at least 1e-9 of
 * the largest, so that the direction goes downhill and its step along a
 * flat direction is long but finite.  Returns -1 when the eigensystem
 * cannot be computed.
 */
static int
newton_dir(double *H, const double *g, size_t k, double *dir)
{
	gsl_matrix_view            hv = gsl_matrix_view_array(H, k, k);
	gsl_vector                *ev = gsl_vector_alloc(k);
	gsl_matrix                *evec = gsl_matrix_alloc(k, k);
	gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
	double                     lmax = 0;
	size_t                     i, j;
	int                        rc = -1;

	if (ev == NULL || evec == NULL || w == NULL ||
	    gsl_eigen_symmv(&hv.matrix, ev, evec, w) != GSL_SUCCESS)
		goto out;
	for (i = 0; i < k; i++) {
		lmax = fmax(lmax, fabs(gsl_vector_get(ev, i)));
		dir[i] = 0;
	}
	for (j = 0; j < k; j++) {
		double l = fmax(
		    fabs(gsl_vector_get(ev, j)), fmax(1e-9 * lmax, 1e-300));
		double c = 0;

		for (i = 0; i < k; i++)
			c += gsl_matrix_get(evec, i, j) * g[i];
		for (i = 0; i < k; i++)
			dir[i] -= c / l * gsl_matrix_get(evec, i, j);
	}
	rc = 0;
out:
	gsl_vector_free(ev);
	gsl_matrix_free(evec);
	gsl_eigen_symmv_free(w);
	return rc;
}

/*
 * Newton's method from theta with the steps of newton_dir(), at most
 * NEWTON_STEP long in any log-parameter, and a backtracking line search
 * (Armijo).  Where the likelihood flattens towards a boundary, the
 * curvature falls with the gradient and the steps stay long.  Stops when
 * the gradient is below GTOL_FLOOR, or below gtol with f no longer
 * changing, or when no step lowers f.  Returns 0, or -1
 * when an evaluation failed (theta then holds the last good point).
 */
static int
run_newton(
    struct drv *d, double *theta, size_t *iter, size_t max_iter, double gtol)
{
	const struct mlfit_problem *pb = d->pb;
	size_t                      k = pb->k, i, n;
	double H[MLFIT_MAXP * MLFIT_MAXP], g[MLFIT_MAXP], t[MLFIT_MAXP];
	double Ht[MLFIT_MAXP * MLFIT_MAXP], gt[MLFIT_MAXP], dir[MLFIT_MAXP];
	double f, ft = 0;

	if (eval_hess(pb, theta, &f, g, H, d->err) == -1)
		return -1;
	while (*iter < max_iter && max_abs(g, k) > GTOL_FLOOR) {
		double slope = 0, big = 0, len = 1;

		(*iter)++;
		if (newton_dir(H, g, k, dir) == -1)
			break;
		for (i = 0; i < k; i++) {
			slope += g[i] * dir[i];
			big = fmax(big, fabs(dir[i]));
		}
		if (big > NEWTON_STEP)
			len = NEWTON_STEP / big;
		for (n = 0; n < 40; n++, len /= 2) {
			for (i = 0; i < k; i++)
				t[i] = theta[i] + len * dir[i];
			if (eval_hess(pb, t, &ft, gt, Ht, d->err) == 0 &&
			    ft <= f + 1e-4 * len * slope)
				break;
		}
		/* Near the optimum f is flat to rounding: accept a step
		 * that does not raise f but lowers the gradient. */
		if (n == 40 && !(ft <= f && max_abs(gt, k) < max_abs(g, k)))
			break;
		memcpy(theta, t, k * sizeof(*t));
		memcpy(g, gt, k * sizeof(*g));
		memcpy(H, Ht, k * k * sizeof(*H));
		/*
		 * Along a boundary the gradient may fall below the test long
		 * before GTOL_FLOOR while f no longer changes: stop there.
		 */
		if (max_abs(g, k) <= gtol && f - ft <= 1e-13 * (1 + fabs(f))) {
			f = ft;
			break;
		}
		f = ft;
	}
	return 0;
}

/* A round of nmsimplex2 from theta, as run_bfgs(). */
static int
run_simplex(struct drv *d, double *theta, size_t *iter, size_t max_iter)
{
	gsl_multimin_function    fn = { cb_f, d->pb->k, d };
	gsl_multimin_fminimizer *s;
	gsl_vector_view          x0 = gsl_vector_view_array(theta, d->pb->k);
	gsl_vector              *ss;
	size_t                   i;

	s = gsl_multimin_fminimizer_alloc(
	    gsl_multimin_fminimizer_nmsimplex2, d->pb->k);
	ss = gsl_vector_alloc(d->pb->k);
	if (s == NULL || ss == NULL) {
		gsl_multimin_fminimizer_free(s);
		gsl_vector_free(ss);
		return ci_err_set(d->err, CI_EXIT_IO, NULL, 0,
		    "out of memory for the minimiser");
	}
	gsl_vector_set_all(ss, 0.1);
	if (gsl_multimin_fminimizer_set(s, &fn, &x0.vector, ss) == GSL_SUCCESS)
		while (!d->failed && *iter < max_iter) {
			if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
				break;
			(*iter)++;
			if (gsl_multimin_fminimizer_size(s) < 1e-10)
				break;
		}
	for (i = 0; i < d->pb->k; i++)
		theta[i] = gsl_vector_get(gsl_multimin_fminimizer_x(s), i);
	gsl_multimin_fminimizer_free(s);
	gsl_vector_free(ss);
	return d->failed ? -1 : 0;
}

int
mlfit_minimize(const struct mlfit_problem *pb, const struct mlfit_opts *o,
    const double *theta0, double *theta, struct mlfit_info *info,
    struct ci_err *err)
{
	struct drv d = { pb, err, false };
	size_t     max_iter = DEFAULT_MAX_ITER, iter = 0;
	double     gtol = pb->has_grad ? DEFAULT_GTOL : DEFAULT_GTOL_NUM;
	double     f, g[MLFIT_MAXP];
	int        rc;

	if (pb->k == 0 || pb->k > MLFIT_MAXP)
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "a model with %zu parameters", pb->k);
	if (o != NULL && o->max_iter > 0)
		max_iter = o->max_iter;
	if (o != NULL && o->gtol > 0)
		gtol = o->gtol;
	memcpy(theta, theta0, pb->k * sizeof(*theta));
	if (eval(pb, theta, &f, g, err) == -1)
		return -1;
	rc = run_bfgs(&d, theta, &iter,
	    pb->has_grad && BFGS_FIRST < max_iter ? BFGS_FIRST : max_iter);
	if (rc == 0 && pb->has_grad)
		rc = run_newton(&d, theta, &iter, max_iter, gtol);
	if (rc == 0 && iter < max_iter && eval(pb, theta, &f, g, err) == 0 &&
	    max_abs(g, pb->k) > gtol) {
		/*
		 * bfgs2 stalled away from the optimum: let the simplex move
		 * on, then polish, within the same budget of iterations.
		 */
		rc = run_simplex(&d, theta, &iter, max_iter);
		if (rc == 0 && iter < max_iter)
			rc = run_bfgs(&d, theta, &iter, max_iter);
	}
	/* After a failed evaluation theta is the last good point. */
	if (eval(pb, theta, &f, g, err) == -1)
		return -1;
	info->iterations = iter;
	info->grad_max = max_abs(g, pb->k);
	info->converged = rc == 0 && info->grad_max <= gtol;
	return 0;
}

int
mlfit_run(const struct mlfit_problem *pb, const struct mlfit_opts *o,
    const double *theta0, double *theta, double n, struct mlfit_info *info,
    struct ci_err *err)
{
	double H[MLFIT_MAXP * MLFIT_MAXP];
	size_t i;

	if (o != NULL && !(o->penalizer >= 0 && isfinite(o->penalizer)))
		return ci_err_set(err, CI_EXIT_USAGE, NULL, 0,
		    "bad penalizer '%g': not a number >= 0", o->penalizer);
	for (i = 0; i < MLFIT_MAXP; i++)
		info->se[i] = NAN;
	info->n_customers = (size_t)n;
	if (mlfit_minimize(pb, o, theta0, theta, info, err) == -1 ||
	    mlfit_hessian(pb, theta, H, err) == -1)
		return -1;
	mlfit_log_se(H, pb->k, n, info->se);
	return 0;
}

int
mlfit_hessian(const struct mlfit_problem *pb, const double *theta, double *H,
    struct ci_err *err)
{
	double t[MLFIT_MAXP], gp[MLFIT_MAXP], gm[MLFIT_MAXP], h[MLFIT_MAXP];
	double f0, fpp, fpm, fmp, fmm;
	size_t i, j, k = pb->k;

	memcpy(t, theta, k * sizeof(*t));
	if (pb->hess != NULL)
		return eval_hess(pb, theta, &f0, gp, H, err);
	if (pb->has_grad) {
		for (j = 0; j < k; j++) {
			double hj = step(theta[j], STEP_HESS_G);

			t[j] = theta[j] + hj;
			if (pb->fn(pb->ctx, t, &f0, gp, err) == -1)
				return -1;
			t[j] = theta[j] - hj;
			if (pb->fn(pb->ctx, t, &f0, gm, err) == -1)
				return -1;
			t[j] = theta[j];
			for (i = 0; i < k; i++)
				H[i * k + j] = (gp[i] - gm[i]) / (2 * hj);
		}
		for (i = 0; i < k; i++)
			for (j = 0; j < i; j++)
				H[i * k + j] = H[j * k + i] =
				    (H[i * k + j] + H[j * k + i]) / 2;
		return 0;
	}
	for (i = 0; i < k; i++)
		h[i] = step(theta[i], STEP_HESS_F);
	if (pb->fn(pb->ctx, t, &f0, NULL, err) == -1)
		return -1;
	for (i = 0; i < k; i++) {
		t[i] = theta[i] + h[i];
		if (pb->fn(pb->ctx, t, &fpp, NULL, err) == -1)
			return -1;
		t[i] = theta[i] - h[i];
		if (pb->fn(pb->ctx, t, &fmm, NULL, err) == -1)
			return -1;
		t[i] = theta[i];
		H[i * k + i] = (fpp - 2 * f0 + fmm) / (h[i] * h[i]);
		for (j = 0; j < i; j++) {
			double v[4], si[4] = { 1, 1, -1, -1 },
			             sj[4] = { 1, -1, 1, -1 };
			size_t c;

			for (c = 0; c < 4; c++) {
				t[i] = theta[i] + si[c] * h[i];
				t[j] = theta[j] + sj[c] * h[j];
				if (pb->fn(pb->ctx, t, &v[c], NULL, err) == -1)
					return -1;
			}
			t[i] = theta[i];
			t[j] = theta[j];
			fpp = v[0], fpm = v[1], fmp = v[2], fmm = v[3];
			H[i * k + j] = H[j * k + i] =
			    (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
		}
	}
	return 0;
}

void
mlfit_log_se(const double *H, size_t k, double n, double *se)
{
	gsl_matrix               *a = NULL, *c = NULL;
	gsl_vector               *ev = NULL;
	gsl_eigen_symm_workspace *w = NULL;
	double                    lo, hi;
	size_t                    i, j;

	for (i = 0; i < k; i++)
		se[i] = GSL_NAN;
	for (i = 0; i < k * k; i++)
		if (!isfinite(H[i]))
			return;
	if (!(n > 0) || k == 0)
		return;
	a = gsl_matrix_alloc(k, k);
	c = gsl_matrix_alloc(k, k);
	ev = gsl_vector_alloc(k);
	w = gsl_eigen_symm_alloc(k);
	if (a == NULL || c == NULL || ev == NULL || w == NULL)
		goto out;
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++) {
			gsl_matrix_set(a, i, j, H[i * k + j]);
			gsl_matrix_set(c, i, j, n * H[i * k + j]);
		}
	/*
	 * The eigenvalues decide positive definiteness, so that the
	 * Cholesky factorisation below cannot fail (and call GSL's handler).
	 */
	if (gsl_eigen_symm(a, ev, w) != GSL_SUCCESS)
		goto out;
	lo = gsl_vector_min(ev);
	hi = gsl_vector_max(ev);
	if (!(lo > 0 && lo > hi * 1e3 * DBL_EPSILON))
		goto out;
	if (gsl_linalg_cholesky_decomp1(c) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_invert(c) != GSL_SUCCESS)
		goto out;
	for (i = 0; i < k; i++)
		se[i] = sqrt(gsl_matrix_get(c, i, i));
out:
	gsl_matrix_free(a);
	gsl_matrix_free(c);
	gsl_vector_free(ev);
	gsl_eigen_symm_free(w);
}

/* The objective of mlfit_fit(): the model and the penalizer. */
struct model_ctx {
	const struct mlfit_model *m;
	double                    pen;
};

/* The natural parameters p_i = e^theta_i / scale_i. */
static void
natural(const struct mlfit_model *m, const double *th, double *p)
{
	size_t i;

	for (i = 0; i < m->k; i++)
		p[i] = exp(th[i]) / m->scale[i];
}

/* lifetimes' objective and its derivatives in theta (see mlfit_fit()). */
static int
model_objective2(void *arg, const double *th, double *f, double *grad,
    double *hess, struct ci_err *err)
{
	const struct model_ctx   *c = arg;
	const struct mlfit_model *m = c->m;
	const size_t              k = m->k;
	double                    nat[MLFIT_MAXP], ps[MLFIT_MAXP];
	double                    g[MLFIT_MAXP] = { 0 };
	double                    h[MLFIT_MAXP * MLFIT_MAXP] = { 0 };
	double                    ll, pen = 0, n = m->n;
	size_t                    i, j;

	if (!m->derivs)
		grad = NULL, hess = NULL;
	natural(m, th, nat);
	if (m->loglik(m->ctx, nat, &ll, grad != NULL ? g : NULL,
	        grad != NULL && hess != NULL ? h : NULL, err) == -1)
		return -1;
	for (i = 0; i < k; i++) {
		ps[i] = nat[i] * m->scale[i];
		pen += ps[i] * ps[i];
	}
	*f = -ll / n + c->pen * pen;
	if (grad == NULL)
		return 0;
	for (i = 0; i < k; i++)
		grad[i] = -nat[i] * g[i] / n + 2 * c->pen * ps[i] * ps[i];
	for (i = 0; hess != NULL && i < k; i++)
		for (j = 0; j < k; j++)
			hess[i * k + j] = -nat[i] * nat[j] * h[i * k + j] / n +
			    (i == j ? -nat[i] * g[i] / n +
			                4 * c->pen * ps[i] * ps[i]
			            : 0);
	return 0;
}

static int
model_objective(
    void *arg, const double *th, double *f, double *grad, struct ci_err *err)
{
	return model_objective2(arg, th, f, grad, NULL, err);
}

int
mlfit_fit(const struct mlfit_model *m, const struct mlfit_opts *o, double *p,
    struct mlfit_info *info, struct ci_err *err)
{
	struct model_ctx     c;
	struct mlfit_problem pb;
	double               th[MLFIT_MAXP];
	size_t               i;

	c.m = m;
	c.pen = o != NULL ? o->penalizer : 0;
	pb.k = m->k;
	pb.fn = model_objective;
	pb.ctx = &c;
	pb.has_grad = m->derivs;
	pb.hess = m->derivs ? model_objective2 : NULL;
	if (mlfit_run(&pb, o, m->start, th, m->n, info, err) == -1)
		return -1;
	natural(m, th, p);
	for (i = 0; i < m->k; i++)
		info->se[i] *= p[i];
	return m->loglik(m->ctx, p, &info->loglik, NULL, NULL, err);
}
